/* The MTRR, PAT and microcode report of `mtrr`, its comparison with the
 * BSP's, and which PAT values `on APIC mtrr pat` may write. No hardware
 * access (cpu_setup_read.c reads the registers). */
#include "arch/cpu_setup.h"
#include "lib/format.h"

#define KIB 1024u

const struct mtrr_fixed_msr mtrr_fixed_msrs[MTRR_FIXED_MSRS] = {
	{ 0x250, 0x00000, 64 * KIB },
	{ 0x258, 0x80000, 16 * KIB },
	{ 0x259, 0xA0000, 16 * KIB },
	{ 0x268, 0xC0000, 4 * KIB },
	{ 0x269, 0xC8000, 4 * KIB },
	{ 0x26A, 0xD0000, 4 * KIB },
	{ 0x26B, 0xD8000, 4 * KIB },
	{ 0x26C, 0xE0000, 4 * KIB },
	{ 0x26D, 0xE8000, 4 * KIB },
	{ 0x26E, 0xF0000, 4 * KIB },
	{ 0x26F, 0xF8000, 4 * KIB },
};
#define FIXED_RANGES_PER_MSR	8

/* Memory types by encoding (SDM 11.11.2.1 for the MTRRs, 11.12.2 for the
 * PAT, which adds UC- at 7); NULL for a reserved one. */
static const char *const memory_types[8] = {
	"UC", "WC", NULL, NULL, "WT", "WP", "WB", "UC-",
};
#define PAT_UC_MINUS	7

static const char *memory_type(uint8_t type, bool pat, char *buf, size_t size)
{
	if (type < 8 && memory_types[type] && (pat || type != PAT_UC_MINUS))
		return memory_types[type];
	ksnprintf(buf, size, "reserved 0x%02x", type);
	return buf;
}

static uint8_t pat_entry(uint64_t pat, unsigned i)
{
	return (uint8_t)(pat >> (8 * i));
}

static uint64_t address_mask(const struct cpu_setup *s)
{
	return s->maxphyaddr >= 64 ? UINT64_MAX : (1ull << s->maxphyaddr) - 1;
}

static void add_mtrrcap(char *buf, size_t size, int *len, const struct cpu_setup *s)
{
	kappendf(buf, size, len, "MTRRCAP    0x%016lx (MSR FEH): %lu variable ranges, "
		 "fixed ranges %s, WC %s\n", s->mtrrcap, s->mtrrcap & MTRRCAP_VCNT,
		 s->mtrrcap & MTRRCAP_FIX ? "yes" : "no", s->mtrrcap & MTRRCAP_WC ? "yes" : "no");
}

static void add_def_type(char *buf, size_t size, int *len, const struct cpu_setup *s)
{
	char t[24];
	const char *type = memory_type(s->def_type & MTRR_DEF_TYPE_TYPE, false, t, sizeof(t));

	kappendf(buf, size, len, "DEF_TYPE   0x%016lx (MSR 2FFH): ", s->def_type);
	if (!(s->def_type & MTRR_DEF_TYPE_E)) {
		kappendf(buf, size, len, "MTRRs off (E is 0): all memory is UC\n");
		return;
	}
	kappendf(buf, size, len, "MTRRs on (E), fixed ranges %s, default type %s\n",
		 s->def_type & MTRR_DEF_TYPE_FE ? "on (FE)" : "off (FE is 0)", type);
}

/* The 88 fixed ranges, runs of one type merged, RUNS_PER_LINE a line. */
#define RUNS_PER_LINE	4
static void add_fixed(char *buf, size_t size, int *len, const struct cpu_setup *s)
{
	uint32_t run_start = 0;
	unsigned runs = 0;
	char t[24];

	if (!(s->mtrrcap & MTRRCAP_FIX)) {
		kappendf(buf, size, len, "fixed      none: IA32_MTRRCAP bit 8 is 0\n");
		return;
	}
	for (unsigned m = 0; m < MTRR_FIXED_MSRS; m++) {
		const struct mtrr_fixed_msr *f = &mtrr_fixed_msrs[m];

		for (unsigned r = 0; r < FIXED_RANGES_PER_MSR; r++) {
			uint8_t type = (uint8_t)(s->fixed[m] >> (8 * r));
			uint32_t end = f->start + (r + 1) * f->range_size;	/* exclusive */
			bool last = m == MTRR_FIXED_MSRS - 1 && r == FIXED_RANGES_PER_MSR - 1;
			uint8_t next = last ? 0 : r + 1 < FIXED_RANGES_PER_MSR ?
				(uint8_t)(s->fixed[m] >> (8 * (r + 1))) : (uint8_t)s->fixed[m + 1];

			if (!last && next == type)
				continue;
			kappendf(buf, size, len, "%s0x%05x-0x%05x %s", !runs ? "fixed      " :
				 runs % RUNS_PER_LINE ? ", " : ",\n           ", run_start, end - 1,
				 memory_type(type, false, t, sizeof(t)));
			run_start = end;
			runs++;
		}
	}
	kappendf(buf, size, len, "\n");
}

/* The enabled variable ranges: base, size (from the mask, which must be
 * contiguous to describe one range), type (SDM 11.11.2.3). */
static void add_variable(char *buf, size_t size, int *len, const struct cpu_setup *s)
{
	uint64_t addr = address_mask(s) & ~0xFFFull;
	unsigned shown = 0;
	char t[24], sz[24];

	for (unsigned i = 0; i < s->variable_count; i++) {
		uint64_t base = s->variable[i].base & addr, mask = s->variable[i].mask & addr;
		uint64_t span = (~mask & address_mask(s)) + 1;

		if (!(s->variable[i].mask & MTRR_PHYSMASK_VALID))
			continue;
		kappendf(buf, size, len, "variable   %u: base 0x%lx, ", i, base);
		if (span & (span - 1)) {
			kappendf(buf, size, len, "mask 0x%lx (not contiguous: several ranges), ",
				 mask);
		} else {
			format_size(sz, sizeof(sz), span);
			kappendf(buf, size, len, "size %s, ", sz);
		}
		kappendf(buf, size, len, "%s\n",
			 memory_type((uint8_t)s->variable[i].base, false, t, sizeof(t)));
		shown++;
	}
	if (!shown)
		kappendf(buf, size, len, "variable   none of %u enabled\n", s->variable_count);
	if ((s->mtrrcap & MTRRCAP_VCNT) > s->variable_count)
		kappendf(buf, size, len, "variable   (the first %u of %lu read)\n",
			 s->variable_count, s->mtrrcap & MTRRCAP_VCNT);
	kappendf(buf, size, len, "MAXPHYADDR %u bits (CPUID.80000008H:EAX[7:0]): the masks' "
		 "width\n", s->maxphyaddr);
}

static void add_pat(char *buf, size_t size, int *len, const struct cpu_setup *s)
{
	char t[24];

	if (!s->has_pat) {
		kappendf(buf, size, len, "PAT        none: CPUID.01H:EDX bit 16 is 0\n");
		return;
	}
	kappendf(buf, size, len, "PAT        0x%016lx (MSR 277H):", s->pat);
	for (unsigned i = 0; i < 8; i++)
		kappendf(buf, size, len, "%s PA%u %s", i ? "," : "", i,
			 memory_type(pat_entry(s->pat, i), true, t, sizeof(t)));
	kappendf(buf, size, len, "%s\n", s->pat == PAT_POWER_UP ? " (the power-up value)" : "");
}

static void add_microcode(char *buf, size_t size, int *len, const struct cpu_setup *s)
{
	switch (s->microcode_source) {
	case MICROCODE_INTEL:
		kappendf(buf, size, len, "microcode  revision 0x%x (MSR 8BH bits 63:32, read after "
			 "writing 0 and CPUID(1))\n", s->microcode);
		break;
	case MICROCODE_AMD:
		kappendf(buf, size, len, "microcode  patch level 0x%x (MSR 8BH bits 31:0, AMD)\n",
			 s->microcode);
		break;
	case MICROCODE_UNKNOWN:
		kappendf(buf, size, len, "microcode  not read: MSR 8BH is Intel's and AMD's, and "
			 "this CPU is neither\n");
		break;
	}
}

int format_cpu_setup(char *buf, size_t size, const struct cpu_setup *s)
{
	int len = 0;

	if (s->has_mtrr) {
		add_mtrrcap(buf, size, &len, s);
		add_def_type(buf, size, &len, s);
		add_fixed(buf, size, &len, s);
		add_variable(buf, size, &len, s);
	} else {
		kappendf(buf, size, &len, "MTRRs      none: CPUID.01H:EDX bit 12 is 0\n");
	}
	add_pat(buf, size, &len, s);
	add_microcode(buf, size, &len, s);
	return len;
}

/* One register compared: a line when the values differ. */
struct diff {
	char *buf;
	size_t size;
	int len;
	uint32_t apic_id;
	unsigned count;
};

/* digits: at least this many hex digits (16 for an MSR, 1 for a bit). */
static void compare(struct diff *d, const char *name, uint64_t ap, uint64_t bsp, int digits)
{
	if (ap == bsp)
		return;
	d->count++;
	kappendf(d->buf, d->size, &d->len, "  %s: APIC %u 0x%0*lx, BSP 0x%0*lx\n", name,
		 d->apic_id, digits, ap, digits, bsp);
}

static void compare_msr(struct diff *d, const char *name, uint32_t msr, uint64_t ap,
			uint64_t bsp)
{
	char label[64];

	ksnprintf(label, sizeof(label), "%s (MSR %XH)", name, msr);
	compare(d, label, ap, bsp, 16);
}

static void compare_mtrrs(struct diff *d, const struct cpu_setup *ap, const struct cpu_setup *bsp)
{
	unsigned pairs = ap->variable_count > bsp->variable_count ? ap->variable_count
								   : bsp->variable_count;
	char name[32];

	compare_msr(d, "IA32_MTRRCAP", MSR_IA32_MTRRCAP, ap->mtrrcap, bsp->mtrrcap);
	compare_msr(d, "IA32_MTRR_DEF_TYPE", MSR_IA32_MTRR_DEF_TYPE, ap->def_type, bsp->def_type);
	for (unsigned m = 0; m < MTRR_FIXED_MSRS; m++) {
		const struct mtrr_fixed_msr *f = &mtrr_fixed_msrs[m];

		ksnprintf(name, sizeof(name), "IA32_MTRR_FIX%uK_%05X", f->range_size / KIB,
			  f->start);
		compare_msr(d, name, f->msr, ap->fixed[m], bsp->fixed[m]);
	}
	/* A pair one CPU lacks compares as 0 (disabled). */
	for (unsigned i = 0; i < pairs; i++) {
		uint64_t ap_base = i < ap->variable_count ? ap->variable[i].base : 0;
		uint64_t ap_mask = i < ap->variable_count ? ap->variable[i].mask : 0;
		uint64_t bsp_base = i < bsp->variable_count ? bsp->variable[i].base : 0;
		uint64_t bsp_mask = i < bsp->variable_count ? bsp->variable[i].mask : 0;

		ksnprintf(name, sizeof(name), "IA32_MTRR_PHYSBASE%u", i);
		compare_msr(d, name, MSR_IA32_MTRR_PHYSBASE(i), ap_base, bsp_base);
		ksnprintf(name, sizeof(name), "IA32_MTRR_PHYSMASK%u", i);
		compare_msr(d, name, MSR_IA32_MTRR_PHYSMASK(i), ap_mask, bsp_mask);
	}
}

static void compare_all(struct diff *d, const struct cpu_setup *ap, const struct cpu_setup *bsp)
{
	compare(d, "MTRRs (CPUID.01H:EDX bit 12)", ap->has_mtrr, bsp->has_mtrr, 1);
	compare(d, "PAT (CPUID.01H:EDX bit 16)", ap->has_pat, bsp->has_pat, 1);
	compare_mtrrs(d, ap, bsp);
	compare_msr(d, "IA32_PAT", MSR_IA32_PAT, ap->pat, bsp->pat);
	compare(d, "microcode revision (MSR 8BH)", ap->microcode, bsp->microcode, 1);
}

int format_cpu_setup_diff(char *buf, size_t size, const struct cpu_setup *ap,
			  const struct cpu_setup *bsp, uint32_t apic_id, unsigned *differences)
{
	struct diff counted = { NULL, 0, 0, apic_id, 0 }, d = { buf, size, 0, apic_id, 0 };

	compare_all(&counted, ap, bsp);		/* the count goes in the heading */
	*differences = counted.count;
	if (!counted.count)
		return ksnprintf(buf, size, "same as the BSP: every MTRR, the PAT and the "
				 "microcode revision\n");
	kappendf(buf, size, &d.len, "differs from the BSP in %u register%s (SDM 11.11.8, "
		 "11.12.4 and 8.7.11 ask for the same on every CPU):\n", counted.count,
		 counted.count == 1 ? "" : "s");
	compare_all(&d, ap, bsp);
	return d.len;
}

bool pat_write_allowed(uint64_t value, char *why, size_t size)
{
	for (unsigned i = 0; i < 8; i++) {
		uint8_t e = pat_entry(value, i);

		if (e < 8 && memory_types[e])
			continue;
		ksnprintf(why, size, "PA%u is 0x%02x, a reserved encoding (each byte must be 0 UC, "
			  "1 WC, 4 WT, 5 WP, 6 WB or 7 UC-; a reserved one would #GP)", i, e);
		return false;
	}
	if (pat_entry(value, 0) != pat_entry(PAT_POWER_UP, 0)) {
		ksnprintf(why, size, "PA0 must stay WB: smplab maps all RAM through it (PAT, PCD "
			  "and PWT clear); change PA1, PA2 or PA4-PA7");
		return false;
	}
	if (pat_entry(value, 3) != pat_entry(PAT_POWER_UP, 3)) {
		ksnprintf(why, size, "PA3 must stay UC: smplab maps the 4th GiB (local APIC, I/O "
			  "APIC) through it (PCD and PWT set); change PA1, PA2 or PA4-PA7");
		return false;
	}
	return true;
}
