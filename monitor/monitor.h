/* The serial command monitor that runs on the BSP. */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "monitor/command.h"

#define PROMPT "smplab> "

__attribute__((noreturn)) void monitor_run(void);

/* The command table (commands.c). */
extern const struct command monitor_commands[];
extern const size_t monitor_command_count;

/* Parse argv[i] as a number for the argument called `what`; on a bad
 * word print an error naming it and return false. */
bool arg_number(const char *word, const char *what, uint64_t *out);
/* Print a report made of lines; kprintf takes a line at a time (an AP's
 * console keeps lines whole, CONSOLE_LINE_MAX at most). */
void print_lines(const char *text);
/* Print "usage: ..." for the command and return the error status. */
int usage_error(const char *name);

#endif
