#include "lib/console.h"
#include "lib/string.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"

#define USAGE_COLUMN 16

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
	/* Usage in a column of USAGE_COLUMN; a longer usage gets a line of its
	 * own and the help goes below it, in the same column. */
	for (size_t i = 0; i < monitor_command_count; i++) {
		const struct command *c = &monitor_commands[i];

		if (strlen(c->usage) > USAGE_COLUMN)
			kprintf("  %s\n  %-*s %s\n", c->usage, USAGE_COLUMN, "", c->help);
		else
			kprintf("  %-*s %s\n", USAGE_COLUMN, c->usage, c->help);
	}
	kprintf("Numbers are decimal or 0x hex. Keys: Backspace, Ctrl-U (erase line),\n"
		"Ctrl-C (abandon line), Up/Down (history).\n");
	return 0;
}
