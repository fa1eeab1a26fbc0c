/* kmain: bring the BSP up to the monitor prompt. */
#include "acpi/acpi.h"
#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/idt.h"
#include "arch/trap.h"
#include "boot/bootinfo.h"
#include "boot/cmdline.h"
#include "boot/multiboot.h"
#include "dev/lapic.h"
#include "dev/serial.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/frames.h"
#include "mm/memmap.h"
#include "monitor/monitor.h"
#include "smp/ap_state.h"
#include "smp/mailbox.h"

/* The kernel image's bounds, from the linker script. */
extern char kernel_start[], frames_start[];	/* linker.ld */

static struct boot_info boot_info;

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
	size_t len = 0, enabled = 0;
	uint32_t highest = 0;

	ids[0] = '\0';
	for (size_t i = 0; i < acpi.madt.ncpus; i++) {
		uint32_t id = acpi.madt.cpus[i].apic_id;

		if (!acpi.madt.cpus[i].enabled)
			continue;
		enabled++;
		highest = id > highest ? id : highest;
		/* Room for one more ID, " ..." and the highest. */
		if (len < sizeof(ids) - 48)
			len += ksnprintf(ids + len, sizeof(ids) - len, " %u", id);
		else if (ids[len - 1] != '.')
			len += ksnprintf(ids + len, sizeof(ids) - len, " ...");
	}
	if (len && ids[len - 1] == '.')
		ksnprintf(ids + len, sizeof(ids) - len, " (the highest %u)", highest);
	kprintf("CPUs    %zu enabled in the ACPI MADT, APIC IDs%s; %zu I/O APIC%s\n",
		enabled, ids, acpi.madt.nioapics, acpi.madt.nioapics == 1 ? "" : "s");
	if (acpi.madt.cpus_dropped)
		kprintf("warning: the MADT lists %zu more CPUs than smplab's table of %d holds; "
			"they are left alone\n", acpi.madt.cpus_dropped, MAX_CPUS);
}

/* Copy what the loader said into kernel memory first: its boot
 * information may lie in pages the frame allocator hands out later. */
static void read_boot_info(uint32_t magic, uint32_t mbi)
{
	if (magic == MB1_LOADER_MAGIC) {
		multiboot1_read(mbi, &boot_info, &boot_memmap);
	} else if (magic == MB2_LOADER_MAGIC) {
		uint32_t total = *(const uint32_t *)(uint64_t)mbi;
		enum boot_error e = multiboot2_parse((const uint8_t *)(uint64_t)mbi,
						     total < MB2_INFO_MAX ? total : MB2_INFO_MAX,
						     &boot_info, &boot_memmap);
		if (e != BOOT_OK)
			kprintf("warning: the multiboot 2 information at 0x%x is damaged "
				"(%s); using what came before the damage\n", mbi,
				boot_error_str(e));
	} else {
		kprintf("error: not started by a multiboot loader (magic 0x%x)\n", magic);
		halt_forever();
	}
}

/* A console ring per CPU the MADT lists, and the spare (lib/console.h). */
static bool give_console_rings(void)
{
	unsigned cpus = ap_slots();
	size_t bytes = (cpus + 1) * sizeof(struct line_ring);
	uint64_t rings = frames_alloc(pages_for(bytes));

	if (!rings)
		return false;
	int bsp = ap_slot_index(cpu_apic_id());

	console_give_rings((struct line_ring *)rings, cpus, bsp < 0 ? cpus : (unsigned)bsp);
	return true;
}

static void report_option(const char *word, enum cmdline_verdict v)
{
	switch (v) {
	case CMDLINE_APPLIED:
		kprintf("Option  %s: marked reserved in the memory map\n", word);
		break;
	case CMDLINE_UNKNOWN:
		kprintf("warning: command line: unknown option '%s' ignored; the one "
			"option is reserve=BASE+LENGTH\n", word);
		break;
	case CMDLINE_CUT:
		kprintf("warning: command line longer than %d bytes: '%s' may be cut short; "
			"ignored\n", BOOT_CMDLINE_MAX - 1, word);
		break;
	case CMDLINE_MALFORMED:
		kprintf("warning: command line: '%s' ignored: write reserve=BASE+LENGTH, "
			"e.g. reserve=0x8000+0x3000\n", word);
		break;
	}
}

static void print_boot(void)
{
	kprintf("Boot    %s from %s%s, %s\n", boot_protocol_name(boot_info.protocol),
		boot_info.loader[0] ? boot_info.loader : "an unnamed loader",
		boot_info.efi ? " on UEFI firmware" : "",
		boot_map_source_name(boot_info.map_source));
	if (boot_info.cmdline[0])
		kprintf("Command line \"%s\"\n", boot_info.cmdline);
	if (boot_info.map_source == MAP_NONE)
		kprintf("warning: the boot loader gave no memory map\n");
}

/* One line per "APIC" table the kernel did not use (the ACPI line above
 * names the one it uses). */
static void print_ignored_madts(void)
{
	size_t kept = acpi.ignored.count < MADT_IGNORED_MAX ? acpi.ignored.count : MADT_IGNORED_MAX;
	char why[96];

	for (size_t i = 0; i < kept; i++) {
		const struct madt_ignored *t = &acpi.ignored.tables[i];

		madt_ignored_str(t, why, sizeof(why));
		kprintf("ACPI    ignored the MADT at 0x%lx: %s\n", t->addr, why);
	}
	if (acpi.ignored.count > kept)
		kprintf("ACPI    and %zu more MADTs ignored\n", acpi.ignored.count - kept);
}

static void print_acpi(void)
{
	if (acpi.rsdp_tag)
		kprintf("ACPI    RSDP from the loader's %s tag", acpi.rsdp_tag == MB2_TAG_ACPI_NEW ?
			"ACPI 2.0+ (new RSDP)" : "ACPI 1.0 (old RSDP)");
	else if (acpi.error != ACPI_NO_RSDP)
		kprintf("ACPI    RSDP at 0x%lx (EBDA and BIOS area search)", acpi.rsdp_addr);
	else
		kprintf("ACPI    no RSDP: %s, and the EBDA and BIOS area hold none",
			boot_info.protocol == BOOT_MULTIBOOT1 ?
			"multiboot 1 cannot pass one (boot by multiboot 2)" : "the loader passed none");
	if (acpi.error == ACPI_OK)
		kprintf(", MADT at 0x%lx\n", acpi.madt_addr);
	else if (acpi.error != ACPI_NO_RSDP)
		kprintf(", but %s\n", acpi_error_str(acpi.error));
	else
		kprintf("\n");
	print_ignored_madts();
}

void kmain(uint32_t magic, uint32_t mbi)
{
	serial_init();
	gdt_load();
	idt_init();
	mailbox_init();
	trap_set_halt_hook(ap_fault_halt);
	idt_load();

	kprintf("\nsmplab - x86-64 multiprocessor bring-up lab\n");
	read_boot_info(magic, mbi);
	print_boot();
	cmdline_apply(boot_info.cmdline, boot_info.cmdline_cut, &boot_memmap, report_option);
	if (boot_memmap.dropped)
		kprintf("warning: %zu memory regions did not fit the table of %d\n",
			boot_memmap.dropped, MEMMAP_MAX);
	frames_init(&boot_memmap, (uint64_t)kernel_start, (uint64_t)frames_start);
	acpi_init(&boot_info);
	if (!ap_state_init() || !give_console_rings())
		kprintf("warning: no memory for the per-CPU tables: no AP can be started\n");
	lapic_init();
	tsc_init();

	print_acpi();
	print_cpu();
	kprintf("LAPIC   %s%s, BSP APIC ID %u\n", lapic_mode_name(),
		lapic_x2apic_from_firmware() ? " (the firmware had enabled it; kept)" : "",
		lapic_id());
	print_cpus();
	kprintf("Memory  %lu MiB usable, %zu free pages\n",
		memmap_usable_bytes(&boot_memmap) >> 20, frames_free_count());
	kprintf("TSC     %lu MHz (%s)\n", tsc_hz() / 1000000, tsc_source());
	kprintf("Type 'help' for the commands.\n");
	monitor_run();
}
