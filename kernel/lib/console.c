/* Console output: only the BSP drives COM1. An AP stores its text in a
 * line ring of its own (lib/line_ring.h), without any lock, and the BSP
 * prints the whole lines of every ring, in the order they were completed,
 * whenever it prints or waits. So no AP ever waits for another CPU's
 * output, and lines from several CPUs never mix. */
#include <stdarg.h>

#include "arch/cpu.h"
#include "dev/lapic.h"
#include "dev/serial.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/line_ring.h"

#define CONSOLE_LINE_MAX 512
/* Holds this CPU's ring once console_attach ran. A load of GS replaces
 * it (SDM Vol 3A 3.4.4), so ap_entry attaches after gdt_load; INIT clears
 * it (Vol 3A 9.1.1, table 9-1: segment bases 0). */
#define MSR_IA32_GS_BASE 0xC0000101
/* One ring per CPU number, then one that an AP without a ring borrows
 * (console_give_rings; before it, no AP runs). */
static struct line_ring *rings;
static unsigned nrings;
#define SPARE_RING	(nrings - 1)

static uint32_t records_completed;	/* numbers the records of every ring */
static uint32_t spare_taken;
static bool bsp_at_line_start = true;

static void uart_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		serial_putc(s[i]);
	if (n)
		bsp_at_line_start = s[n - 1] == '\n' || s[n - 1] == '\r';
}

static void uart_write_translated(const char *s, size_t n)
{
	size_t from = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n') {
			uart_write(s + from, i - from);
			uart_write("\r\n", 2);
			from = i + 1;
		}
	uart_write(s + from, n - from);
}

/* The AP may wait for room in its own ring, which the BSP empties while
 * it waits for anything; never for another AP. */
static void ring_write(struct line_ring *r, const char *s, size_t n)
{
	for (;;) {
		size_t k = line_ring_write(r, s, n, &records_completed);

		s += k;
		n -= k;
		if (!n)
			return;
		cpu_relax();
	}
}

/* An AP without a ring (it faulted before console_attach) borrows the
 * spare one; a second such AP, meanwhile, loses its text rather than
 * wait. A line left without its newline is dropped: the next borrower
 * must not continue it. */
static void spare_write(const char *s, size_t n)
{
	if (!nrings || __atomic_exchange_n(&spare_taken, 1, __ATOMIC_ACQUIRE))
		return;
	ring_write(&rings[SPARE_RING], s, n);
	line_ring_drop_open(&rings[SPARE_RING]);
	__atomic_store_n(&spare_taken, 0, __ATOMIC_RELEASE);
}

void console_give_rings(struct line_ring *r, unsigned cpus)
{
	rings = r;
	nrings = cpus + 1;
}

void console_attach(uint32_t cpu_index)
{
	if (!nrings || cpu_index >= SPARE_RING)
		return;
	line_ring_drop_open(&rings[cpu_index]);
	wrmsr(MSR_IA32_GS_BASE, (uint64_t)&rings[cpu_index]);
}

int kprintf(const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;	/* truncated: keep what fits */

	if (lapic_is_bsp()) {
		console_drain();
		uart_write_translated(buf, (size_t)n);
		return n;
	}
	struct line_ring *own = (struct line_ring *)rdmsr(MSR_IA32_GS_BASE);

	if (own)
		ring_write(own, buf, (size_t)n);
	else
		spare_write(buf, (size_t)n);
	return n;
}

void console_write_raw(const char *s, size_t n)
{
	uart_write(s, n);
}

bool console_lines_waiting(void)
{
	return nrings && line_rings_pending(rings, nrings);
}

void console_drain(void)
{
	if (bsp_at_line_start && nrings)
		line_rings_drain(rings, nrings, uart_write_translated);
}

void console_wait_us(uint64_t us)
{
	uint64_t end = rdtsc() + us * (tsc_hz() / 1000000);

	while (rdtsc() < end) {
		console_drain();
		cpu_relax();
	}
}
