/* The command-line tokenizer and number parser (kernel/lib/parse.c): the
 * input is one line; each word must be a piece of it, and a number that
 * parses must be the value the C library reads (parse_u64 and parse_i64). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
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

/* parse_i64 agrees with strtoull and the sign wherever it accepts (so the
 * value fits: its sign is the one typed), and leaves *out alone
 * where it refuses. */
static void check_signed(const char *word)
{
	int64_t value = 0x5a5a5a5a5a5a5a5all;
	enum num_error e = parse_i64(word, &value);
	const char *digits = word + (word[0] == '-' || word[0] == '+');

	if (!num_error_str(e))
		abort();
	if (e != NUM_OK) {
		if (value != 0x5a5a5a5a5a5a5a5all)
			abort();
		return;
	}
	int base = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X') ? 16 : 10;
	unsigned long long magnitude = strtoull(base == 16 ? digits + 2 : digits, NULL, base);
	int64_t expect = word[0] == '-' ? (int64_t)(0 - magnitude) : (int64_t)magnitude;

	if ((value < 0) != (word[0] == '-' && magnitude != 0))
		abort();
	if (value != expect)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = take_line(data, size);
	char *argv[MAX_ARGS];
	int argc = tokenize(line, argv, MAX_ARGS);

	if (argc < -1 || argc > MAX_ARGS)
		abort();
	for (int i = 0; i < argc; i++) {
		if (argv[i] < line || argv[i] >= line + size || !argv[i][0] ||
		    strpbrk(argv[i], " \t"))
			abort();
		check_number(argv[i]);
		check_signed(argv[i]);
	}
	free(line);
	return 0;
}
