/* Command table lookup and typo suggestions. */
#include "monitor/command.h"

#include <stdbool.h>

#include "lib/string.h"

#define SUGGEST_MAX_DISTANCE 2
#define SUGGEST_MAX_LEN 32	/* longer names or words are never suggested */

const struct command *command_find(const struct command *table, size_t n,
				   const char *name)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	}
	return NULL;
}

static size_t min2(size_t a, size_t b)
{
	return a < b ? a : b;
}

/* Optimal string alignment distance: Levenshtein plus the swap of two
 * adjacent characters as one edit ("hlep" -> "help" is 1). */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t rows[3][SUGGEST_MAX_LEN + 1];
	size_t *before = rows[0], *prev = rows[1], *cur = rows[2];

	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t d = min2(prev[j] + 1, cur[j - 1] + 1);

			d = min2(d, prev[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1])
				d = min2(d, before[j - 2] + 1);
			cur[j] = d;
		}
		size_t *spare = before;

		before = prev;
		prev = cur;
		cur = spare;
	}
	return prev[lb];
}

static const char *unique_prefix_match(const struct command *table, size_t n,
				       const char *word, size_t len)
{
	const char *found = NULL;

	for (size_t i = 0; i < n; i++) {
		if (strncmp(table[i].name, word, len) != 0)
			continue;
		if (found)
			return NULL;
		found = table[i].name;
	}
	return found;
}

const char *command_suggest(const struct command *table, size_t n,
			    const char *word)
{
	size_t len = strlen(word);
	size_t best_distance = SUGGEST_MAX_DISTANCE + 1;
	const char *best;

	if (len == 0 || len > SUGGEST_MAX_LEN)
		return NULL;
	best = unique_prefix_match(table, n, word, len);
	if (best)
		return best;
	for (size_t i = 0; i < n; i++) {
		size_t name_len = strlen(table[i].name);
		size_t d;

		if (name_len > SUGGEST_MAX_LEN)
			continue;
		d = edit_distance(word, len, table[i].name, name_len);
		if (d < best_distance && d < len) {
			best = table[i].name;
			best_distance = d;
		}
	}
	return best;
}
