/* The monitor's command table: `help` and docs/monitor.md come from it. */
#include "monitor/handlers.h"
#include "monitor/monitor.h"

const struct command monitor_commands[] = {
	{ "help", "help [CMD]", "list the commands, or show how to use one", cmd_help },
	{ "cpus", "cpus", "the CPUs the ACPI MADT lists, by APIC ID", cmd_cpus },
	{ "lapic", "lapic", "this CPU's local APIC: mode, base, ID, version, SVR, ESR", cmd_lapic },
	{ "regs", "regs", "control registers, EFER, RFLAGS, GDTR and IDTR, flags decoded", cmd_regs },
	{ "cr3", "cr3", "CR3 decoded: where the PML4 is, and whether an AP can load it", cmd_cr3 },
	{ "pt", "pt ADDR", "walk a virtual address through the page tables of CR3", cmd_pt },
	{ "x", "x ADDR [COUNT]", "dump COUNT bytes (default 64, at most 4096) in hex and ASCII", cmd_x },
	{ "mem", "mem", "the physical memory map from the boot loader, and free frames", cmd_mem },
	{ "reboot", "reboot", "reset the machine", cmd_reboot },
};

const size_t monitor_command_count =
	sizeof(monitor_commands) / sizeof(monitor_commands[0]);
