#include "lib/console.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"

int cmd_help(int argc, char *argv[])
{
	if (argc > 2)
		return usage_error(argv[0]);
	if (argc == 2) {
		const struct command *c = command_find(monitor_commands,
						       monitor_command_count, argv[1]);
		if (!c) {
			kprintf("error: no command '%s' ('help' lists all)\n", argv[1]);
			return 1;
		}
		kprintf("usage: %s\n  %s\n", c->usage, c->help);
		return 0;
	}
	for (size_t i = 0; i < monitor_command_count; i++)
		kprintf("  %-16s %s\n", monitor_commands[i].usage,
			monitor_commands[i].help);
	kprintf("Numbers are decimal or 0x hex. Keys: Backspace, Ctrl-U (erase line),\n"
		"Ctrl-C (abandon line), Up/Down (history).\n");
	return 0;
}
