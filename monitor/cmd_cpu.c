/* cpus, lapic, regs: what the BSP knows about the processors. */
#include "acpi/acpi.h"
#include "arch/cpu.h"
#include "arch/flags.h"
#include "dev/lapic.h"
#include "lib/console.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"

int cmd_cpus(int argc, char *argv[])
{
	if (argc != 1)
		return usage_error(argv[0]);
	if (acpi.error != ACPI_OK) {
		kprintf("error: no MADT: %s\n", acpi_error_str(acpi.error));
		return 1;
	}
	const struct madt_info *m = &acpi.madt;
	uint32_t self = lapic_id();

	kprintf("APIC ID  ACPI UID  MADT entry  state\n");
	for (size_t i = 0; i < m->ncpus; i++) {
		const struct madt_cpu *c = &m->cpus[i];
		const char *state = c->enabled ? "enabled"
				  : c->online_capable ? "online-capable"
				  : "disabled";

		kprintf("%7u  %8u  %-10s  %s%s\n", c->apic_id, c->acpi_uid,
			c->from_x2apic_entry ? "x2APIC" : "LAPIC", state,
			c->apic_id == self ? "  BSP (runs this monitor)" : "");
	}
	kprintf("%zu CPUs; MADT at 0x%lx, local APIC address 0x%lx\n",
		m->ncpus, acpi.madt_addr, m->lapic_addr);
	if (m->cpus_dropped)
		kprintf("warning: %zu more CPUs did not fit the table of %d\n",
			m->cpus_dropped, MAX_CPUS);
	return 0;
}

int cmd_lapic(int argc, char *argv[])
{
	char names[160];

	if (argc != 1)
		return usage_error(argv[0]);
	uint32_t version = lapic_read(LAPIC_VERSION);
	uint32_t svr = lapic_read(LAPIC_SVR);
	uint32_t esr = lapic_read_esr();

	if (lapic_mode() == LAPIC_X2APIC)
		kprintf("mode     x2APIC (registers are MSRs 0x800-0x8ff)\n");
	else
		kprintf("mode     xAPIC (registers are MMIO at 0x%lx)\n", lapic_base());
	kprintf("base     0x%lx (IA32_APIC_BASE)%s\n", lapic_base(),
		lapic_is_bsp() ? ", BSP flag set" : "");
	kprintf("ID       %u\n", lapic_id());
	/* Version register (10.4.8): version in 7:0, max LVT entry in 23:16. */
	kprintf("version  0x%08x: version 0x%02x, %u LVT entries\n", version,
		version & 0xFF, ((version >> 16) & 0xFF) + 1);
	kprintf("SVR      0x%08x: APIC %s, spurious vector 0x%02x\n", svr,
		svr & LAPIC_SVR_ENABLE ? "software-enabled" : "software-disabled",
		svr & 0xFF);
	lapic_format_esr(names, sizeof(names), esr);
	kprintf("ESR      0x%08x: %s\n", esr, names);
	return 0;
}

static void print_flags_row(const char *name, uint64_t value,
			    const struct flag_name *table, size_t n)
{
	char names[200];

	format_flags(names, sizeof(names), value, table, n);
	kprintf("%-7s 0x%016lx  %s\n", name, value, names);
}

int cmd_regs(int argc, char *argv[])
{
	if (argc != 1)
		return usage_error(argv[0]);
	struct descriptor_ptr gdtr = sgdt(), idtr = sidt();
	uint64_t rflags = read_rflags();

	print_flags_row("CR0", read_cr0(), cr0_flags, cr0_flags_count);
	kprintf("%-7s 0x%016lx  last page-fault address\n", "CR2", read_cr2());
	kprintf("%-7s 0x%016lx  page-table root ('cr3' decodes it)\n", "CR3",
		read_cr3());
	print_flags_row("CR4", read_cr4(), cr4_flags, cr4_flags_count);
	print_flags_row("EFER", rdmsr(MSR_EFER), efer_flags, efer_flags_count);
	print_flags_row("RFLAGS", rflags, rflags_flags, rflags_flags_count);
	kprintf("%-7s base 0x%016lx  limit 0x%04x\n", "GDTR", gdtr.base, gdtr.limit);
	kprintf("%-7s base 0x%016lx  limit 0x%04x\n", "IDTR", idtr.base, idtr.limit);
	return 0;
}
