/* reboot */
#include "arch/cpu.h"
#include "lib/console.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"

/* QEMU's isa-debug-exit device, which tools/launch.py adds: a write makes
 * QEMU exit with status (value << 1) | 1, here 165, which the launcher
 * reads as "reboot requested" and boots the machine again. On a machine
 * without it the write does nothing. */
#define DEBUG_EXIT_PORT		0xF4
#define DEBUG_EXIT_REBOOT	0x52
/* Reset Control Register (PCI/ICH datasheets: port CF9h; 06h = full reset)
 * and the keyboard controller's reset line (8042: command FEh). */
#define RESET_CONTROL_PORT	0xCF9
#define RESET_CONTROL_FULL	0x06
#define KBC_COMMAND_PORT	0x64
#define KBC_PULSE_RESET		0xFE

int cmd_reboot(int argc, char *argv[])
{
	if (argc != 1)
		return usage_error(argv[0]);
	kprintf("rebooting\n");
	outb(DEBUG_EXIT_PORT, DEBUG_EXIT_REBOOT);
	outb(RESET_CONTROL_PORT, 0x02);
	outb(RESET_CONTROL_PORT, RESET_CONTROL_FULL);
	outb(KBC_COMMAND_PORT, KBC_PULSE_RESET);
	kprintf("error: the machine did not reset\n");
	return 1;
}
