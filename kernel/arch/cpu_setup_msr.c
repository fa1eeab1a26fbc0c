/* Reading this CPU's MTRRs, PAT and microcode revision, and writing its
 * PAT: each MSR only where CPUID says it exists, since RDMSR and WRMSR of
 * one that does not raise #GP (SDM Vol 2B), and on an AP that halts it. */
#include "arch/cpu.h"
#include "arch/cpu_setup.h"
#include "lib/string.h"

#define CPUID1_EDX_MTRR		(1u << 12)
#define CPUID1_EDX_PAT		(1u << 16)
#define MAXPHYADDR_DEFAULT	36	/* without CPUID 80000008H (SDM 4.1.4) */

static unsigned maxphyaddr(void)
{
	if (cpuid(0x80000000, 0).eax < 0x80000008)
		return MAXPHYADDR_DEFAULT;
	return cpuid(0x80000008, 0).eax & 0xFF;
}

static bool vendor_is(const char *name)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t vendor[3] = { r.ebx, r.edx, r.ecx };

	return memcmp(vendor, name, sizeof(vendor)) == 0;
}

/* Intel: write 0 to IA32_BIOS_SIGN_ID, run CPUID(1), and the revision is
 * in bits 63:32 (SDM 9.11.7.1). AMD: bits 31:0 hold the patch level and
 * the MSR is read as is (AMD's BIOS and Kernel Developer's Guides,
 * MSR0000_008B). */
static void read_microcode(struct cpu_setup *s)
{
	if (vendor_is("GenuineIntel")) {
		wrmsr(MSR_IA32_BIOS_SIGN_ID, 0);
		cpuid(1, 0);
		s->microcode_source = MICROCODE_INTEL;
		s->microcode = (uint32_t)(rdmsr(MSR_IA32_BIOS_SIGN_ID) >> 32);
	} else if (vendor_is("AuthenticAMD")) {
		s->microcode_source = MICROCODE_AMD;
		s->microcode = (uint32_t)rdmsr(MSR_IA32_BIOS_SIGN_ID);
	}
}

static void read_mtrrs(struct cpu_setup *s)
{
	s->mtrrcap = rdmsr(MSR_IA32_MTRRCAP);
	s->def_type = rdmsr(MSR_IA32_MTRR_DEF_TYPE);
	if (s->mtrrcap & MTRRCAP_FIX)
		for (unsigned m = 0; m < MTRR_FIXED_MSRS; m++)
			s->fixed[m] = rdmsr(mtrr_fixed_msrs[m].msr);
	s->variable_count = s->mtrrcap & MTRRCAP_VCNT;
	if (s->variable_count > MTRR_VARIABLE_MAX)
		s->variable_count = MTRR_VARIABLE_MAX;
	for (unsigned i = 0; i < s->variable_count; i++) {
		s->variable[i].base = rdmsr(MSR_IA32_MTRR_PHYSBASE(i));
		s->variable[i].mask = rdmsr(MSR_IA32_MTRR_PHYSMASK(i));
	}
}

void cpu_setup_read(struct cpu_setup *s)
{
	uint32_t edx = cpuid(1, 0).edx;

	memset(s, 0, sizeof(*s));
	s->has_mtrr = edx & CPUID1_EDX_MTRR;
	s->has_pat = edx & CPUID1_EDX_PAT;
	s->maxphyaddr = maxphyaddr();
	if (s->has_mtrr)
		read_mtrrs(s);
	if (s->has_pat)
		s->pat = rdmsr(MSR_IA32_PAT);
	read_microcode(s);
}

bool pat_write(uint64_t value, uint64_t *was)
{
	if (!(cpuid(1, 0).edx & CPUID1_EDX_PAT))
		return false;
	*was = rdmsr(MSR_IA32_PAT);
	/* SDM 11.12.4 asks for 11.11.8's care: no cache line and no TLB
	 * entry may keep the old type. Interrupts are off (mailbox_serve). */
	wbinvd();
	wrmsr(MSR_IA32_PAT, value);
	wbinvd();
	write_cr3(read_cr3());
	return true;
}
