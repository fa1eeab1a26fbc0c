/* Command-line words and numbers for the monitor. */
#include "lib/parse.h"

#include <stdbool.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int tokenize(char *line, char *argv[], int max_args)
{
	int argc = 0;

	for (;;) {
		while (is_blank(*line))
			*line++ = '\0';
		if (!*line)
			return argc;
		if (argc == max_args)
			return -1;
		argv[argc++] = line;
		while (*line && !is_blank(*line))
			line++;
	}
}

/* Value of c as a digit in base, or -1 if it is not one. */
static int digit_value(char c, unsigned base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < (int)base ? v : -1;
}

enum num_error parse_u64(const char *word, uint64_t *out)
{
	unsigned base = 10;
	uint64_t value = 0;
	bool overflow = false;

	if (!word)
		return NUM_EMPTY;
	if (word[0] == '0' && (word[1] == 'x' || word[1] == 'X')) {
		base = 16;
		word += 2;
	}
	if (!*word)
		return NUM_EMPTY;
	/* Check every character before reporting overflow: "99...9z" is junk. */
	for (; *word; word++) {
		int d = digit_value(*word, base);

		if (d < 0)
			return NUM_BAD_DIGIT;
		if (value > (UINT64_MAX - (uint64_t)d) / base)
			overflow = true;
		value = value * base + (uint64_t)d;
	}
	if (overflow)
		return NUM_OVERFLOW;
	*out = value;
	return NUM_OK;
}

enum num_error parse_i64(const char *word, int64_t *out)
{
	bool negative = word && word[0] == '-';
	uint64_t magnitude;

	if (word && (word[0] == '-' || word[0] == '+'))
		word++;
	enum num_error e = parse_u64(word, &magnitude);

	if (e == NUM_OVERFLOW)
		return NUM_SIGNED_OVERFLOW;
	if (e != NUM_OK)
		return e;
	if (magnitude > (uint64_t)INT64_MAX + negative)
		return NUM_SIGNED_OVERFLOW;
	/* -2^63 has no positive twin: negate in unsigned arithmetic. */
	*out = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
	return NUM_OK;
}

const char *num_error_str(enum num_error e)
{
	switch (e) {
	case NUM_OK:
		return "ok";
	case NUM_EMPTY:
		return "no digits";
	case NUM_BAD_DIGIT:
		return "not a number";
	case NUM_OVERFLOW:
		return "too large (above 2^64-1)";
	case NUM_SIGNED_OVERFLOW:
		return "too large (beyond -2^63 to 2^63-1)";
	}
	return "unknown number error";
}
