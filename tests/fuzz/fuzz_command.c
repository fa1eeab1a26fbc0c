/* The monitor's dispatch path over random lines: tokenize, find the command
 * in the real table (monitor/commands.c), or suggest one for a typo
 * (monitor/command.c), and parse the arguments as numbers the way the
 * handlers do. Every handler touches the console or the hardware, so none
 * is called: each is replaced by a stub that checks the vector it gets. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "lib/parse.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"

static int check_args(int argc, char *argv[])
{
	uint64_t value;

	if (argc < 1 || argc > MAX_ARGS)
		abort();
	for (int i = 1; i < argc; i++)
		parse_u64(argv[i], &value);
	return 0;
}

#define STUB(name) int name(int argc, char *argv[]) { return check_args(argc, argv); }
STUB(cmd_help) STUB(cmd_cpus) STUB(cmd_lapic) STUB(cmd_regs) STUB(cmd_cr3)
STUB(cmd_pt) STUB(cmd_x) STUB(cmd_mem) STUB(cmd_reboot) STUB(cmd_cpuid)
STUB(cmd_tramp) STUB(cmd_cpudata) STUB(cmd_init) STUB(cmd_sipi)
STUB(cmd_status) STUB(cmd_boot) STUB(cmd_on) STUB(cmd_trace) STUB(cmd_mtrr)

static bool in_table(const char *name)
{
	for (size_t i = 0; i < monitor_command_count; i++)
		if (monitor_commands[i].name == name)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = take_line(data, size);
	char *argv[MAX_ARGS];
	int argc = tokenize(line, argv, MAX_ARGS);

	if (argc > 0) {
		const struct command *c = command_find(monitor_commands,
						       monitor_command_count, argv[0]);
		if (c) {
			if (strcmp(c->name, argv[0]) != 0)
				abort();
			c->handler(argc, argv);
		} else {
			const char *near = command_suggest(monitor_commands,
							   monitor_command_count, argv[0]);
			if (near && !in_table(near))
				abort();
		}
	}
	free(line);
	return 0;
}
