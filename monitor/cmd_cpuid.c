/* cpuid: who this CPU is, or one raw CPUID leaf. */
#include "arch/cpu.h"
#include "lib/console.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"

/* Feature bits that matter for bringing up APs (SDM Vol 2A, CPUID). */
#define CPUID1_EDX_TSC		(1u << 4)
#define CPUID1_EDX_PAE		(1u << 6)
#define CPUID1_EDX_APIC		(1u << 9)
#define CPUID1_ECX_X2APIC	(1u << 21)
#define CPUID_EXT_EDX_NX	(1u << 20)
#define CPUID_EXT_EDX_LM	(1u << 29)

static const char *yes_no(uint32_t bit)
{
	return bit ? "yes" : "no";
}

static int cpuid_summary(void)
{
	struct cpuid_regs l0 = cpuid(0, 0), l1 = cpuid(1, 0);
	uint32_t vendor[4] = { l0.ebx, l0.edx, l0.ecx, 0 };
	uint32_t ext_edx = cpuid(0x80000000, 0).eax >= 0x80000001 ? cpuid(0x80000001, 0).edx : 0;

	kprintf("vendor             %s, max basic leaf 0x%x\n", (const char *)vendor, l0.eax);
	kprintf("initial APIC ID    %u (leaf 1, EBX[31:24])\n", l1.ebx >> 24);
	if (l0.eax >= 0xB && cpuid(0xB, 0).ebx != 0)
		kprintf("x2APIC ID          %u (leaf 0xB, EDX)\n", cpuid(0xB, 0).edx);
	kprintf("addressable IDs    %u (leaf 1, EBX[23:16]; not a count of CPUs)\n", (l1.ebx >> 16) & 0xFF);
	kprintf("APIC %s, x2APIC %s, TSC %s, PAE %s, NX %s, long mode %s\n",
		yes_no(l1.edx & CPUID1_EDX_APIC), yes_no(l1.ecx & CPUID1_ECX_X2APIC),
		yes_no(l1.edx & CPUID1_EDX_TSC), yes_no(l1.edx & CPUID1_EDX_PAE),
		yes_no(ext_edx & CPUID_EXT_EDX_NX), yes_no(ext_edx & CPUID_EXT_EDX_LM));
	return 0;
}

int cmd_cpuid(int argc, char *argv[])
{
	uint64_t leaf, subleaf = 0;

	if (argc == 1)
		return cpuid_summary();
	if (argc > 3)
		return usage_error(argv[0]);
	if (!arg_number(argv[1], "LEAF", &leaf) ||
	    (argc == 3 && !arg_number(argv[2], "SUBLEAF", &subleaf)))
		return 1;
	if (leaf > UINT32_MAX || subleaf > UINT32_MAX) {
		kprintf("error: LEAF and SUBLEAF are 32-bit\n");
		return 1;
	}
	struct cpuid_regs r = cpuid((uint32_t)leaf, (uint32_t)subleaf);
	kprintf("CPUID 0x%lx.%lu: EAX 0x%08x EBX 0x%08x ECX 0x%08x EDX 0x%08x\n",
		leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
	return 0;
}
