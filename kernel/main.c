/* kmain: bring the BSP up to the monitor prompt. */
#include "acpi/acpi.h"
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/idt.h"
#include "dev/lapic.h"
#include "dev/serial.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/frames.h"
#include "mm/memmap.h"
#include "monitor/monitor.h"

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002

/* Vendor from CPUID 0, brand string from 80000002H-80000004H, family and
 * model from 01H with the extended fields folded in (SDM Vol 2A, CPUID). */
static void print_cpu(void)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t vendor[4] = { r.ebx, r.edx, r.ecx, 0 };
	uint32_t brand[13] = { 0 };
	uint32_t sig = cpuid(1, 0).eax;
	uint32_t family = (sig >> 8) & 0xF, model = (sig >> 4) & 0xF;

	if (family == 0xF)
		family += (sig >> 20) & 0xFF;
	if (family == 0x6 || family >= 0xF)
		model |= ((sig >> 16) & 0xF) << 4;
	if (cpuid(0x80000000, 0).eax >= 0x80000004)
		for (uint32_t i = 0; i < 3; i++) {
			struct cpuid_regs b = cpuid(0x80000002 + i, 0);

			memcpy(&brand[i * 4], &b, sizeof(b));
		}
	const char *name = (const char *)brand;
	while (*name == ' ')
		name++;
	kprintf("CPU     %s, %s, family %u model %u stepping %u\n",
		(const char *)vendor, *name ? name : "(no brand string)",
		family, model, sig & 0xF);
}

static void print_cpus(void)
{
	if (acpi.error != ACPI_OK) {
		kprintf("CPUs    unknown: %s\n", acpi_error_str(acpi.error));
		return;
	}
	char ids[256];
	size_t len = 0;

	ids[0] = '\0';
	for (size_t i = 0; i < acpi.madt.ncpus && len + 12 < sizeof(ids); i++)
		if (acpi.madt.cpus[i].enabled)
			len += ksnprintf(ids + len, sizeof(ids) - len, " %u",
					 acpi.madt.cpus[i].apic_id);
	size_t enabled = 0;
	for (size_t i = 0; i < acpi.madt.ncpus; i++)
		enabled += acpi.madt.cpus[i].enabled;
	kprintf("CPUs    %zu enabled in the ACPI MADT, APIC IDs%s; %zu I/O APIC%s\n",
		enabled, ids, acpi.madt.nioapics, acpi.madt.nioapics == 1 ? "" : "s");
}

void kmain(uint32_t magic, uint32_t mbi)
{
	serial_init();
	gdt_load();
	idt_init();
	idt_load();

	kprintf("\nsmplab - x86-64 multiprocessor bring-up lab\n");
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC) {
		kprintf("error: not started by a multiboot loader (magic 0x%x)\n", magic);
		halt_forever();
	}
	if (!memmap_from_multiboot(mbi, &boot_memmap))
		kprintf("warning: the boot loader gave no memory map\n");
	frames_init(&boot_memmap);
	acpi_init();
	lapic_init();
	tsc_init();

	print_cpu();
	kprintf("LAPIC   %s, BSP APIC ID %u\n", lapic_mode_name(), lapic_id());
	print_cpus();
	kprintf("Memory  %lu MiB usable, %zu free pages\n",
		memmap_usable_bytes(&boot_memmap) >> 20, frames_free_count());
	kprintf("TSC     %lu MHz (%s)\n", tsc_hz() / 1000000, tsc_source());
	kprintf("Type 'help' for the commands.\n");
	monitor_run();
}
