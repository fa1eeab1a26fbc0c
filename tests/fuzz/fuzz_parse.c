/* The command-line tokenizer and number parser (kernel/lib/parse.c): the
 * input is one line; each word must be a piece of it, and a number that
 * parses must be the value the C library reads. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/parse.h"

static void check_number(const char *word)
{
	uint64_t value = 0x5a5a5a5a5a5a5a5aull, expect;
	enum num_error e = parse_u64(word, &value);

	if (!num_error_str(e))
		abort();
	if (e != NUM_OK) {
		if (value != 0x5a5a5a5a5a5a5a5aull)	/* written only on NUM_OK */
			abort();
		return;
	}
	if (word[0] == '0' && (word[1] == 'x' || word[1] == 'X'))
		expect = strtoull(word + 2, NULL, 16);
	else
		expect = strtoull(word, NULL, 10);
	if (value != expect)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	char *argv[MAX_ARGS];

	memcpy(line, data, size);
	line[size] = '\0';
	int argc = tokenize(line, argv, MAX_ARGS);

	if (argc < -1 || argc > MAX_ARGS)
		abort();
	for (int i = 0; i < argc; i++) {
		if (argv[i] < line || argv[i] >= line + size || !argv[i][0] ||
		    strpbrk(argv[i], " \t"))
			abort();
		check_number(argv[i]);
	}
	free(line);
	return 0;
}
