#include "lib/format.h"
#include "smp/tsc_check.h"

void tsc_warp_note(struct tsc_warp *w, enum tsc_side side, uint64_t now)
{
	if (w->reads) {
		w->crossings += side != w->last_side;
		if (now < w->last) {
			w->backwards++;
			if (w->last - now > w->max_backwards)
				w->max_backwards = w->last - now;
		}
	}
	w->last = now;
	w->last_side = side;
	w->reads++;
}

void tsc_offset_note(struct tsc_offset *o, uint64_t bsp_before, uint64_t ap,
		     uint64_t bsp_after)
{
	uint64_t round_trip = bsp_after - bsp_before;

	if (o->samples++ && round_trip >= o->round_trip)
		return;
	o->round_trip = round_trip;
	/* Modulo 2^64, then signed: right across a wrap and for an AP behind. */
	o->cycles = (int64_t)(ap - bsp_before - round_trip / 2);
}

static uint64_t magnitude(int64_t v)
{
	return v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
}

uint64_t tsc_check_bound(const struct tsc_check *c)
{
	return magnitude(c->offset.cycles) + c->offset.round_trip / 2;
}

bool tsc_check_agrees(const struct tsc_check *c)
{
	return magnitude(c->offset.cycles) <= c->offset.round_trip / 2 &&
	       c->warp.backwards == 0;
}

int format_cycles_us(char *buf, size_t size, int64_t cycles, uint64_t hz)
{
	uint64_t mhz = hz / 1000000, m = magnitude(cycles);

	if (!mhz)
		return ksnprintf(buf, size, "?");
	return ksnprintf(buf, size, "%s%lu.%lu", cycles < 0 ? "-" : "", m / mhz,
			 m % mhz * 10 / mhz);
}

static void add_warp(char *buf, size_t size, int *len, const struct tsc_warp *w)
{
	kappendf(buf, size, len, "warp test  %lu reads, %lu turn%s from one CPU to the other: ",
	    w->reads, w->crossings, w->crossings == 1 ? "" : "s");
	if (!w->crossings)
		kappendf(buf, size, len, "the CPUs never took turns, nothing compared\n");
	else if (!w->backwards)
		kappendf(buf, size, len, "no read went backwards\n");
	else
		kappendf(buf, size, len, "%lu went backwards, by up to %lu cycles\n",
		    w->backwards, w->max_backwards);
}

static void add_verdict(char *buf, size_t size, int *len, const struct tsc_check *c)
{
	char us[32];

	if (tsc_check_agrees(c)) {
		kappendf(buf, size, len, "verdict    TSCs agree within %lu cycles: status's times "
		    "are comparable across CPUs\n", tsc_check_bound(c));
		return;
	}
	if (magnitude(c->offset.cycles) > c->offset.round_trip / 2) {
		format_cycles_us(us, sizeof(us), (int64_t)magnitude(c->offset.cycles), c->hz);
		kappendf(buf, size, len, "verdict    APIC %u's TSC is %s us %s the BSP's: status's "
		    "times for it are off by that much (%s)\n", c->apic_id, us,
		    c->offset.cycles > 0 ? "ahead of" : "behind",
		    c->offset.cycles > 0 ? "too large" : "too small, or negative");
		return;
	}
	kappendf(buf, size, len, "verdict    APIC %u's TSC went backwards against the BSP's by up "
	    "to %lu cycles: status's times for it are off by up to that much\n",
	    c->apic_id, c->warp.max_backwards);
}

int format_tsc_check(char *buf, size_t size, const struct tsc_check *c)
{
	char off[32], unc[32];
	int len = 0;

	format_cycles_us(off, sizeof(off), c->offset.cycles, c->hz);
	format_cycles_us(unc, sizeof(unc), (int64_t)(c->offset.round_trip / 2), c->hz);
	kappendf(buf, size, &len, "offset     APIC %u minus BSP: %ld cycles (%s us), +- %lu cycles "
	    "(%s us): the best of %u round trips\n", c->apic_id, c->offset.cycles, off,
	    c->offset.round_trip / 2, unc, c->offset.samples);
	add_warp(buf, size, &len, &c->warp);
	if (c->has_adjust)
		kappendf(buf, size, &len, "TSC_ADJUST BSP %ld, APIC %u %ld (IA32_TSC_ADJUST, "
		    "MSR 3BH)\n", c->bsp_adjust, c->apic_id, c->ap_adjust);
	else
		kappendf(buf, size, &len, "TSC_ADJUST none: CPUID.(EAX=07H,ECX=0):EBX bit 1 is 0\n");
	kappendf(buf, size, &len, "invariant  %s\n", c->invariant ?
	    "yes: CPUID.80000007H:EDX bit 8 promises a constant rate in every power state" :
	    "not promised: CPUID.80000007H:EDX bit 8 is 0");
	add_verdict(buf, size, &len, c);
	return len;
}

enum tsc_skew_check tsc_skew_check(int64_t cycles, uint64_t hz, uint64_t bsp_tsc)
{
	if (magnitude(cycles) > TSC_SKEW_MAX_SECONDS * hz)
		return TSC_SKEW_TOO_FAR;
	if (cycles < 0 && magnitude(cycles) > bsp_tsc)
		return TSC_SKEW_BELOW_ZERO;
	return TSC_SKEW_OK;
}

bool tsc_skew_took(const struct tsc_offset *before, const struct tsc_offset *after,
		   int64_t delta)
{
	int64_t moved = (int64_t)((uint64_t)after->cycles - (uint64_t)before->cycles);
	uint64_t slack = (before->round_trip + after->round_trip) / 2 + magnitude(delta) / 2;

	return magnitude((int64_t)((uint64_t)moved - (uint64_t)delta)) <= slack;
}
