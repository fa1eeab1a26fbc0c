#include "arch/cpu.h"
#include "arch/trap.h"
#include "dev/serial.h"
#include "lib/console.h"
#include "lib/string.h"
#include "monitor/lineedit.h"
#include "monitor/monitor.h"
#include "monitor/trace_view.h"
#include "lib/parse.h"

static struct line_editor editor;

/* ECMA-48 8.3.41 EL (erase in line), parameter 2: the whole line; the
 * cursor stays where it is. */
#define ERASE_LINE "\x1b[2K"

static void echo_to_console(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	console_write_raw(s, n);
}

/* Lines APs print while the prompt waits go above it: the prompt line is
 * erased, the lines printed, and the prompt and what was typed so far
 * drawn again. */
static void print_ap_lines_above_prompt(void)
{
	if (!console_lines_waiting())
		return;
	console_write_raw(ERASE_LINE "\r", sizeof(ERASE_LINE "\r") - 1);
	console_drain();
	kprintf(PROMPT);
	le_redraw(&editor);
}

bool arg_number(const char *word, const char *what, uint64_t *out)
{
	enum num_error e = parse_u64(word, out);

	if (e == NUM_OK)
		return true;
	kprintf("error: %s '%s': %s (use decimal or 0x hex)\n", what, word,
		num_error_str(e));
	return false;
}

void print_lines(const char *text)
{
	while (*text) {
		int n = 0;

		while (text[n] && text[n] != '\n')
			n++;
		kprintf("%.*s\n", n, text);
		text += n + (text[n] == '\n');
	}
}

int usage_error(const char *name)
{
	const struct command *c = command_find(monitor_commands,
					       monitor_command_count, name);

	kprintf("usage: %s\n", c ? c->usage : name);
	return 1;
}

static void unknown_command(const char *word)
{
	const char *near = command_suggest(monitor_commands,
					   monitor_command_count, word);

	if (near)
		kprintf("error: unknown command '%s'; did you mean '%s'? "
			"('help' lists all)\n", word, near);
	else
		kprintf("error: unknown command '%s' ('help' lists all)\n", word);
}

/* Run a command with fault recovery armed: if it faults, the trap
 * handler reports the fault and jump_save returns a second time, with 1. */
static void run_command(const struct command *c, int argc, char *argv[])
{
	struct jump_ctx ctx;

	if (jump_save(&ctx) == 0) {
		trap_arm_recovery(&ctx);
		c->handler(argc, argv);
	} else {
		kprintf("    the command was stopped; nothing else changed\n");
	}
	trap_disarm_recovery();
	console_quiet_end();	/* a SIPI the command sent made it quiet */
}

static void run_line(const char *line)
{
	char buf[LINE_MAX + 1];
	char *argv[MAX_ARGS];
	int argc;

	memcpy(buf, line, sizeof(buf));
	buf[LINE_MAX] = '\0';
	argc = tokenize(buf, argv, MAX_ARGS);
	if (argc < 0) {
		kprintf("error: too many words (at most %d)\n", MAX_ARGS);
		return;
	}
	if (argc == 0)
		return;
	const struct command *c = command_find(monitor_commands,
					       monitor_command_count, argv[0]);
	if (!c) {
		unknown_command(argv[0]);
		return;
	}
	run_command(c, argc, argv);
}

void monitor_run(void)
{
	le_init(&editor, echo_to_console, NULL);
	trace_set_observer(trace_view_step);
	kprintf(PROMPT);
	for (;;) {
		uint8_t byte;

		if (!serial_try_getc(&byte)) {
			print_ap_lines_above_prompt();
			cpu_relax();
			continue;
		}
		switch (le_feed(&editor, byte)) {
		case LE_NONE:
			continue;
		case LE_LINE:
			run_line(le_line(&editor));
			break;
		case LE_TOO_LONG:
			kprintf("error: line longer than %d characters, ignored\n",
				LINE_MAX);
			break;
		case LE_CANCEL:
			break;
		}
		kprintf(PROMPT);
	}
}
