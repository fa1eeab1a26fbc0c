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
	{ "cpuid", "cpuid [LEAF [SUBLEAF]]", "this CPU's APIC IDs and features, or one CPUID leaf", cmd_cpuid },
	{ "mtrr", "mtrr", "this CPU's MTRRs, PAT and microcode revision: what each AP must match", cmd_mtrr },
	{ "tramp", "tramp [install VEC [force] | fault real|protected|long]", "show the AP trampoline, install it at VEC * 4096, or plant a fault", cmd_tramp },
	{ "cpudata", "cpudata [APIC [entry=ADDR] [stack=SIZE] [force]]", "show every cpu_data, or build one AP's", cmd_cpudata },
	{ "init", "init APIC|all", "send INIT: the AP resets and waits for a SIPI", cmd_init },
	{ "sipi", "sipi APIC|all VEC [force]", "send a Startup IPI: the AP starts at VEC * 4096", cmd_sipi },
	{ "status", "status [full|APIC]", "each AP's stage, the time of each stage, faults, a timeline", cmd_status },
	{ "boot", "boot APIC|all [fast] [one-by-one]", "install, cpudata, INIT, 10 ms, SIPI, 200 us, SIPI, wait", cmd_boot },
	{ "trace", "trace [clear]", "the INIT, SIPI and delay steps taken so far, with their times", cmd_trace },
	{ "on", "on APIC CMD [ARGS]", "run regs, cpuid, lapic, hello, tsc [skew CYCLES] or mtrr [pat VALUE] on a started AP", cmd_on },
	{ "reboot", "reboot", "reset the machine", cmd_reboot },
};

const size_t monitor_command_count =
	sizeof(monitor_commands) / sizeof(monitor_commands[0]);
