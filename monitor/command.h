/* Monitor command table: lookup by name, and a "did you mean" for typos. */
#ifndef SMPLAB_MONITOR_COMMAND_H
#define SMPLAB_MONITOR_COMMAND_H

#include <stddef.h>

struct command {
	const char *name;
	const char *usage;	/* e.g. "pt ADDR" */
	const char *help;	/* one line */
	int (*handler)(int argc, char *argv[]);
};

/* The entry named exactly name, or NULL. */
const struct command *command_find(const struct command *table, size_t n,
				   const char *name);

/* Nearest command name to a mistyped word, or NULL.  A word that is the
 * prefix of exactly one name gives that name; otherwise the name with the
 * smallest edit distance (insert, delete, replace, swap of two neighbours)
 * if it is at most 2 and smaller than the word's length, first in the table
 * on ties. */
const char *command_suggest(const struct command *table, size_t n,
			    const char *word);

#endif
