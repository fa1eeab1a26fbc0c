#include "arch/cpu.h"
#include "dev/tsc.h"
#include "lib/string.h"
#include "smp/tsc_sync.h"

#define CPUID_7_EBX_TSC_ADJUST		(1u << 1)
#define CPUID_80000007_EDX_INVARIANT	(1u << 8)

/* What the two halves share. The AP's half runs with interrupts off
 * (mailbox_serve), and every wait ends at a deadline on the waiting CPU's
 * own TSC, so a CPU that does not take part delays the other by at most
 * TSC_SYNC_TIMEOUT_MS. */
static struct {
	uint32_t ap_here;		/* the AP has started its half */
	uint32_t ping, pong;		/* the round trip's number: BSP's, AP's */
	uint64_t ap_tsc;		/* the AP's read for the last ping */
	uint32_t lock;			/* the warp test's */
	struct tsc_warp warp;
	int64_t ap_adjust;
	int64_t shift;			/* what tsc_sync_shift adds */
} sync;

bool tsc_has_adjust(void)
{
	return cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & CPUID_7_EBX_TSC_ADJUST);
}

static bool tsc_invariant(void)
{
	return cpuid(0x80000000, 0).eax >= 0x80000007 &&
	       (cpuid(0x80000007, 0).edx & CPUID_80000007_EDX_INVARIANT);
}

static uint64_t deadline_after_ms(unsigned ms)
{
	return rdtsc() + ms * (tsc_hz() / 1000);
}

static bool wait_for(const uint32_t *word, uint32_t value, uint64_t deadline)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) != value) {
		if (rdtsc() > deadline)
			return false;
		cpu_relax();
	}
	return true;
}

/* Take turns with the other CPU under the lock for TSC_WARP_MS of this
 * CPU's own time (or TSC_WARP_MAX_READS reads). */
static void warp_test(enum tsc_side side)
{
	uint64_t end = deadline_after_ms(TSC_WARP_MS);

	for (unsigned n = 0; n < TSC_WARP_MAX_READS; n++) {
		while (__atomic_exchange_n(&sync.lock, 1, __ATOMIC_ACQUIRE))
			cpu_relax();
		uint64_t now = rdtsc_ordered();

		tsc_warp_note(&sync.warp, side, now);
		__atomic_store_n(&sync.lock, 0, __ATOMIC_RELEASE);
		if (now > end)
			return;
	}
}

/* The AP's half: answer each ping with a TSC read, then the warp test. */
static int ap_half(int argc, char *argv[])
{
	uint64_t deadline = deadline_after_ms(TSC_SYNC_TIMEOUT_MS);

	(void)argc;
	(void)argv;
	__atomic_store_n(&sync.ap_here, 1, __ATOMIC_RELEASE);
	for (uint32_t i = 1; i <= TSC_SYNC_PINGS; i++) {
		if (!wait_for(&sync.ping, i, deadline))
			return 1;
		sync.ap_tsc = rdtsc_ordered();
		__atomic_store_n(&sync.pong, i, __ATOMIC_RELEASE);
	}
	warp_test(TSC_AP);
	if (tsc_has_adjust())
		sync.ap_adjust = (int64_t)rdmsr(MSR_IA32_TSC_ADJUST);
	return 0;
}

/* The BSP's half: the pings, then the warp test; false if the AP is late. */
static bool bsp_half(struct tsc_check *out)
{
	uint64_t deadline = deadline_after_ms(TSC_SYNC_TIMEOUT_MS);

	if (!wait_for(&sync.ap_here, 1, deadline))
		return false;
	for (uint32_t i = 1; i <= TSC_SYNC_PINGS; i++) {
		uint64_t before = rdtsc_ordered();

		__atomic_store_n(&sync.ping, i, __ATOMIC_RELEASE);
		if (!wait_for(&sync.pong, i, deadline))
			return false;
		uint64_t after = rdtsc_ordered();

		tsc_offset_note(&out->offset, before, sync.ap_tsc, after);
	}
	warp_test(TSC_BSP);
	return true;
}

bool tsc_sync_check(uint32_t apic_id, struct mailbox *m, struct tsc_check *out)
{
	memset(&sync, 0, sizeof(sync));
	memset(out, 0, sizeof(*out));
	out->apic_id = apic_id;
	out->hz = tsc_hz();
	out->has_adjust = tsc_has_adjust();
	out->invariant = tsc_invariant();
	if (out->has_adjust)
		out->bsp_adjust = (int64_t)rdmsr(MSR_IA32_TSC_ADJUST);
	mailbox_post(m, apic_id, ap_half, 0, NULL);
	bool in_time = bsp_half(out);

	if (!mailbox_wait(m, TSC_SYNC_TIMEOUT_MS) || !in_time)
		return false;
	out->warp = sync.warp;
	out->ap_adjust = sync.ap_adjust;
	return true;
}

/* On the AP. A write to IA32_TSC_ADJUST adds its change to the TSC (SDM
 * Vol 3B 17.17.3); without it, IA32_TSC is written whole, and the cycles
 * between the read and the write are lost. */
static int ap_shift(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	if (tsc_has_adjust())
		wrmsr(MSR_IA32_TSC_ADJUST, rdmsr(MSR_IA32_TSC_ADJUST) + (uint64_t)sync.shift);
	else
		wrmsr(MSR_IA32_TSC, rdtsc() + (uint64_t)sync.shift);
	return 0;
}

bool tsc_sync_shift(uint32_t apic_id, struct mailbox *m, int64_t delta)
{
	sync.shift = delta;
	return mailbox_call(m, apic_id, ap_shift, 0, NULL, TSC_SYNC_TIMEOUT_MS);
}
