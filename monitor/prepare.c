/* Installing the trampoline and building cpu_data from the monitor: the
 * kernel's refusals, in words. */
#include "arch/cpu.h"
#include "lib/console.h"
#include "monitor/prepare.h"
#include "smp/ap_state.h"

const char *vector_problem(enum tramp_vector_check c)
{
	switch (c) {
	case TRAMP_VECTOR_OK: return "ok";
	case TRAMP_VECTOR_ZERO: return "page 0 holds the real-mode IVT and the BIOS data area";
	case TRAMP_VECTOR_TOO_HIGH: return "0xA0000-0xFFFFF is video memory and ROM, not RAM";
	case TRAMP_VECTOR_NOT_RAM: return "those pages are not usable RAM in the memory map ('mem' shows it)";
	}
	return "unknown";
}

bool install_trampoline(uint8_t vector)
{
	struct tramp_install_result r = tramp_install(vector);
	uint64_t bad = r.bad_addr;

	switch (r.status) {
	case TRAMP_INSTALLED:
		return true;
	case TRAMP_CR3_ABOVE_4G:
		kprintf("error: CR3 0x%lx is above 4 GiB; the AP loads CR3 in 32-bit mode\n",
			read_cr3());
		break;
	case TRAMP_NOT_IDENTITY_MAPPED:
		kprintf("error: 0x%lx is not identity-mapped in CR3; the AP %s\n", bad,
			bad == (uint64_t)vector << 12 ?
			"would lose its next instruction when paging turns on" :
			"writes its stage record and early stack there with paging on");
		break;
	}
	return false;
}

bool build_cpu_data(uint32_t apic_id, void (*entry)(const struct cpu_data *),
		    uint64_t stack_size, bool force, struct cpu_data **out)
{
	struct ap_view v;

	switch (cpu_data_build(apic_id, entry, stack_size, force, out)) {
	case CPU_DATA_OK:
		return true;
	case CPU_DATA_BAD_TARGET:
		kprintf("error: cpudata %u: not an AP smplab can start\n", apic_id);
		break;
	case CPU_DATA_BAD_STACK_SIZE:
		kprintf("error: cpudata %u: stack size must be %u to %u bytes (%u and up with "
			"'force')\n", apic_id, AP_STACK_MIN, AP_STACK_MAX, AP_STACK_FORCED_MIN);
		break;
	case CPU_DATA_AP_RUNNING:
		ap_view(apic_id, &v);
		kprintf("error: APIC %u is running on its cpu_data (state %s); 'init %u' "
			"stops it first\n", apic_id, stage_name(v.stage), apic_id);
		break;
	case CPU_DATA_NO_MEMORY:
		kprintf("error: cpudata %u: out of physical memory\n", apic_id);
		break;
	}
	return false;
}
