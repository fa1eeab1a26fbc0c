/* The TSC check between the BSP and one AP (`on APIC tsc`): judging the
 * warp test and the offset samples, the bounds of a skew, and the report.
 * Pure logic: no hardware access, so the host unit tests compile this
 * file too (smp/tsc_sync.c takes the readings). */
#ifndef SMP_TSC_CHECK_H
#define SMP_TSC_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tsc_side { TSC_BSP, TSC_AP };

/* The warp test: the two CPUs take turns under one lock; each reads its
 * TSC and compares it with the last value either of them read. A value
 * below it means time went backwards from one CPU to the other. */
struct tsc_warp {
	uint64_t last;			/* the last value read, by either CPU */
	enum tsc_side last_side;
	uint64_t reads;
	uint64_t crossings;		/* reads that came right after the other CPU's */
	uint64_t backwards;		/* reads below the last value */
	uint64_t max_backwards;		/* the largest such step, in cycles */
};
/* One read, under the lock. */
void tsc_warp_note(struct tsc_warp *w, enum tsc_side side, uint64_t now);

/* The offset, AP minus BSP, from ping-pong samples: the BSP reads its TSC
 * (before), raises a flag; the AP reads its TSC when it sees the flag and
 * answers; the BSP reads again (after). The AP's read happened between
 * the BSP's two, so the offset lies within round_trip / 2 of the middle.
 * The sample with the smallest round trip is kept. */
struct tsc_offset {
	unsigned samples;
	int64_t cycles;			/* the middle of the best sample */
	uint64_t round_trip;		/* of the best sample */
};
void tsc_offset_note(struct tsc_offset *o, uint64_t bsp_before, uint64_t ap,
		     uint64_t bsp_after);

struct tsc_check {
	uint32_t apic_id;
	uint64_t hz;			/* TSC frequency: cycles to microseconds */
	struct tsc_offset offset;
	struct tsc_warp warp;
	bool has_adjust;		/* IA32_TSC_ADJUST exists: CPUID.(7,0):EBX[1] */
	int64_t bsp_adjust, ap_adjust;
	bool invariant;			/* CPUID.80000007H:EDX[8] */
};

/* The largest offset the TSCs may have and still agree: the measured
 * offset plus its uncertainty. */
uint64_t tsc_check_bound(const struct tsc_check *c);
/* They agree when the offset is within its uncertainty of 0 and nothing
 * went backwards. */
bool tsc_check_agrees(const struct tsc_check *c);
/* The report `on APIC tsc` prints: lines, the verdict last. */
int format_tsc_check(char *buf, size_t size, const struct tsc_check *c);

/* `on APIC tsc skew CYCLES` moves the AP's TSC to the BSP's plus CYCLES:
 * within a minute of TSC ticks either way, and never below 0. */
#define TSC_SKEW_MAX_SECONDS	60
enum tsc_skew_check {
	TSC_SKEW_OK,
	TSC_SKEW_TOO_FAR,		/* beyond TSC_SKEW_MAX_SECONDS */
	TSC_SKEW_BELOW_ZERO,		/* the AP's TSC would wrap below 0 */
};
enum tsc_skew_check tsc_skew_check(int64_t cycles, uint64_t hz, uint64_t bsp_tsc);
/* Whether a shift of delta cycles took: the offset moved from before to
 * after by delta, within both measurements' uncertainty and half of delta
 * (a CPU that ignores the write leaves it where it was). */
bool tsc_skew_took(const struct tsc_offset *before, const struct tsc_offset *after,
		   int64_t delta);

/* Cycles as microseconds with one decimal ("-16666.6", "0.3"), the way
 * `status` converts them (whole MHz). */
int format_cycles_us(char *buf, size_t size, int64_t cycles, uint64_t hz);

#endif
