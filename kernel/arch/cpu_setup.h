/* What INIT keeps and every AP must match with the BSP (`mtrr`, `on APIC
 * mtrr`): the MTRRs, the PAT and the microcode revision. INIT leaves the
 * MTRRs and the MSRs it does not list unchanged (SDM Vol 3A 9.1.1, table
 * 9-1); all processors should use the same MTRRs (11.11.8) and PAT
 * (11.12.4), and run the same microcode revision (8.7.11).
 * cpu_setup_msr.c reads and writes this CPU's registers; cpu_setup.c is
 * pure logic, which the host unit tests compile. */
#ifndef ARCH_CPU_SETUP_H
#define ARCH_CPU_SETUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSR_IA32_BIOS_SIGN_ID		0x8B	/* the microcode revision (SDM 9.11.7.1) */
#define MSR_IA32_MTRRCAP		0xFE	/* SDM 11.11.1 */
#define MSR_IA32_MTRR_PHYSBASE(n)	(0x200 + 2 * (n))	/* 11.11.2.3 */
#define MSR_IA32_MTRR_PHYSMASK(n)	(0x201 + 2 * (n))
#define MSR_IA32_PAT			0x277	/* 11.12.2 */
#define MSR_IA32_MTRR_DEF_TYPE		0x2FF	/* 11.11.2.1 */

#define MTRRCAP_VCNT		0xFFu		/* variable ranges */
#define MTRRCAP_FIX		(1u << 8)	/* fixed ranges supported */
#define MTRRCAP_WC		(1u << 10)	/* write-combining supported */
#define MTRR_DEF_TYPE_TYPE	0xFFu
#define MTRR_DEF_TYPE_FE	(1u << 10)	/* fixed ranges enabled */
#define MTRR_DEF_TYPE_E		(1u << 11)	/* MTRRs enabled */
#define MTRR_PHYSMASK_VALID	(1u << 11)

/* The power-up PAT: PA0-PA7 = WB WT UC- UC WB WT UC- UC (SDM 11.12.4). */
#define PAT_POWER_UP		0x0007040600070406ull

/* The fixed ranges: 11 MSRs of 8 one-byte types each, 88 ranges that
 * cover 0-0xFFFFF (SDM 11.11.2.2, table 11-9). */
#define MTRR_FIXED_MSRS		11
struct mtrr_fixed_msr {
	uint32_t msr;
	uint32_t start;		/* of its first range */
	uint32_t range_size;	/* each of its 8 ranges */
};
extern const struct mtrr_fixed_msr mtrr_fixed_msrs[MTRR_FIXED_MSRS];

/* Variable ranges read at most (IA32_MTRRCAP may offer up to 255). */
#define MTRR_VARIABLE_MAX	16

/* How this CPU's vendor reports the microcode revision in MSR 8BH. */
enum microcode_source {
	MICROCODE_UNKNOWN,	/* another vendor: not read */
	MICROCODE_INTEL,	/* bits 63:32, after writing 0 and CPUID(1) (SDM 9.11.7.1) */
	MICROCODE_AMD,		/* bits 31:0, the patch level, read as is */
};

struct cpu_setup {
	bool has_mtrr;		/* CPUID.01H:EDX bit 12 */
	bool has_pat;		/* CPUID.01H:EDX bit 16 */
	unsigned maxphyaddr;	/* CPUID.80000008H:EAX[7:0], else 36 */
	uint64_t mtrrcap, def_type;
	uint64_t fixed[MTRR_FIXED_MSRS];	/* 0 unless IA32_MTRRCAP offers them */
	unsigned variable_count;		/* pairs read: VCNT, at most MTRR_VARIABLE_MAX */
	struct {
		uint64_t base, mask;		/* IA32_MTRR_PHYSBASEn, IA32_MTRR_PHYSMASKn */
	} variable[MTRR_VARIABLE_MAX];
	uint64_t pat;
	enum microcode_source microcode_source;
	uint32_t microcode;
};

/* Read this CPU's registers, each only where CPUID says it exists
 * (cpu_setup_msr.c, with pat_write the only part that touches them). */
void cpu_setup_read(struct cpu_setup *s);
/* Write this CPU's IA32_PAT, caches written back and TLBs flushed around
 * it; a value pat_write_allowed accepts. *was gets the old value. False,
 * nothing written, when CPUID says the CPU has no PAT. */
bool pat_write(uint64_t value, uint64_t *was);

/* The report `mtrr` prints: one line per register, ranges of one memory
 * type merged, the PAT's eight entries named. Returns the full length. */
int format_cpu_setup(char *buf, size_t size, const struct cpu_setup *s);

/* What differs between an AP's setup and the BSP's, one line per
 * register named, or that they are the same. Returns the full length;
 * *differences gets the count. */
int format_cpu_setup_diff(char *buf, size_t size, const struct cpu_setup *ap,
			  const struct cpu_setup *bsp, uint32_t apic_id, unsigned *differences);

/* Whether value may go into IA32_PAT through `on APIC mtrr pat`: every
 * entry a valid encoding (others #GP, SDM 11.12.2), and PA0 and PA3, which
 * smplab's own page tables use, at their power-up WB and UC. If not, a
 * reason goes into why (never more than a line). */
bool pat_write_allowed(uint64_t value, char *why, size_t size);

#endif
