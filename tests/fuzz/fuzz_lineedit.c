/* The monitor's line editor (monitor/lineedit.c) fed what a terminal might
 * send: keys, escape sequences cut anywhere, NULs, Ctrl-C and Ctrl-U,
 * lines longer than LINE_MAX, history browsing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/lineedit.h"

/* Read every echoed byte, so that an echo from outside a buffer is seen. */
static void read_echo(void *ctx, const char *s, size_t n)
{
	unsigned *sum = ctx;

	for (size_t i = 0; i < n; i++)
		*sum += (unsigned char)s[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct line_editor le;
	unsigned echo_sum = 0;

	le_init(&le, read_echo, &echo_sum);
	for (size_t i = 0; i < size; i++) {
		enum le_result r = le_feed(&le, data[i]);

		if (le.len > LINE_MAX || le.hist_count > HISTORY_LEN)
			abort();
		if (r == LE_LINE && strlen(le_line(&le)) > LINE_MAX)
			abort();
		/* The monitor prints its prompt again after every line. */
		if (r != LE_NONE)
			le_redraw(&le);
	}
	return 0;
}
