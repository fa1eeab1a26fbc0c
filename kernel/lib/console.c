/* Console output: only the BSP drives COM1. An AP stores its text in a
 * line ring of its own (lib/line_ring.h), without any lock, and the BSP
 * prints the whole lines of every ring, in the order they were completed,
 * whenever it prints or waits. So no AP ever waits for another CPU's
 * output, and lines from several CPUs never mix.
 *
 * While APs climb out of a SIPI, the BSP keeps off the port altogether
 * (a quiet spell): its own lines go into its ring too, in their place
 * among the APs'. Every port access is an exit to the emulator, which
 * under QEMU takes the lock the starting vCPUs need to take their INIT
 * and SIPI; printing while they climb made the last AP of three start
 * ten times later than without (docs/performance.md). */
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

static struct line_ring *bsp_ring;	/* the BSP's own, for quiet spells */
static uint64_t quiet_until;		/* TSC; 0 when not quiet */
/* A quiet spell ends when the APs settle (console_quiet_end) or after
 * this long, so that a stuck AP never silences the console for long. */
#define QUIET_MAX_US	100000

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

/* Store all of s in ring r, calling make_room whenever it is full. */
static void ring_write(struct line_ring *r, const char *s, size_t n, void (*make_room)(void))
{
	for (;;) {
		size_t k = line_ring_write(r, s, n, &records_completed);

		s += k;
		n -= k;
		if (!n)
			return;
		make_room();
	}
}

/* An AP waits for room in its own ring, which the BSP empties while it
 * waits for anything; never for another AP. */
static void wait_for_bsp(void)
{
	cpu_relax();
}

/* An AP without a ring (it faulted before console_attach) borrows the
 * spare one; a second such AP, meanwhile, loses its text rather than
 * wait. A line left without its newline is dropped: the next borrower
 * must not continue it. */
static void spare_write(const char *s, size_t n)
{
	if (!nrings || __atomic_exchange_n(&spare_taken, 1, __ATOMIC_ACQUIRE))
		return;
	ring_write(&rings[SPARE_RING], s, n, wait_for_bsp);
	line_ring_drop_open(&rings[SPARE_RING]);
	__atomic_store_n(&spare_taken, 0, __ATOMIC_RELEASE);
}

void console_give_rings(struct line_ring *r, unsigned cpus, unsigned bsp_index)
{
	rings = r;
	nrings = cpus + 1;
	bsp_ring = bsp_index < cpus ? &r[bsp_index] : NULL;
}

static bool quiet(void)
{
	return quiet_until && rdtsc() < quiet_until;
}

void console_quiet(void)
{
	if (bsp_ring)
		quiet_until = rdtsc() + QUIET_MAX_US * (tsc_hz() / 1000000);
}

void console_quiet_end(void)
{
	quiet_until = 0;
	console_drain();
}

/* The BSP's ring is full in a quiet spell: the spell ends, since the BSP
 * cannot wait for itself to print. */
static void end_quiet_and_print(void)
{
	quiet_until = 0;
	line_rings_drain(rings, nrings, uart_write_translated);
}

/* The BSP's own text: into its ring in a quiet spell, or to finish a
 * line begun in one; else to the port, after the lines waiting. */
static void bsp_write(const char *s, size_t n)
{
	if (bsp_ring && (quiet() || bsp_ring->open_len)) {
		ring_write(bsp_ring, s, n, end_quiet_and_print);
		console_drain();
	} else {
		console_drain();
		uart_write_translated(s, n);
	}
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
		bsp_write(buf, (size_t)n);
		return n;
	}
	struct line_ring *own = (struct line_ring *)rdmsr(MSR_IA32_GS_BASE);

	if (own)
		ring_write(own, buf, (size_t)n, wait_for_bsp);
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
	if (bsp_at_line_start && nrings && !quiet())
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
