/* Unit tests for monitor/lineedit.c, fed byte by byte like a serial port. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "monitor/lineedit.h"

struct screen {
	char out[16384];	/* everything echoed since the last take_echo */
	size_t len;
};

static void capture(void *ctx, const char *s, size_t n)
{
	struct screen *scr = ctx;

	assert_true(scr->len + n < sizeof(scr->out));
	memcpy(scr->out + scr->len, s, n);
	scr->len += n;
	scr->out[scr->len] = '\0';
}

struct fixture {
	struct line_editor le;
	struct screen scr;
};

static int setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof(f));
	le_init(&f.le, capture, &f.scr);
	*state = &f;
	return 0;
}

/* Feed a byte string; return the result of the last byte. */
static enum le_result feed(struct fixture *f, const char *bytes, size_t n)
{
	enum le_result r = LE_NONE;

	for (size_t i = 0; i < n; i++)
		r = le_feed(&f->le, (uint8_t)bytes[i]);
	return r;
}

/* Feed a NUL-terminated string; every byte but the last must give LE_NONE. */
static enum le_result type(struct fixture *f, const char *s)
{
	size_t n = strlen(s);

	if (n > 1)
		assert_int_equal(feed(f, s, n - 1), LE_NONE);
	return le_feed(&f->le, (uint8_t)s[n - 1]);
}

/* Return what was echoed since the last call and forget it. */
static const char *take_echo(struct fixture *f)
{
	static char copy[sizeof(((struct screen *)0)->out)];

	memcpy(copy, f->scr.out, f->scr.len + 1);
	f->scr.len = 0;
	f->scr.out[0] = '\0';
	return copy;
}

static void test_simple_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(type(f, "help\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "help");
	assert_string_equal(take_echo(f), "help\r\n");
	/* The next line starts empty. */
	assert_int_equal(type(f, "x\n"), LE_LINE);
	assert_string_equal(le_line(&f->le), "x");
}

static void test_crlf_is_one_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(type(f, "cr3\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "cr3");
	assert_int_equal(le_feed(&f->le, '\n'), LE_NONE);
	assert_int_equal(type(f, "a\r"), LE_LINE);
	assert_int_equal(le_feed(&f->le, '\n'), LE_NONE);	/* CRLF */
	/* But a lone LF, LF LF, and CR CR are lines of their own. */
	assert_int_equal(type(f, "\n"), LE_LINE);
	assert_string_equal(le_line(&f->le), "");
	assert_int_equal(type(f, "\r"), LE_LINE);
	assert_int_equal(type(f, "\r"), LE_LINE);
	assert_int_equal(type(f, "\n"), LE_NONE);
	assert_int_equal(type(f, "\n"), LE_LINE);
}

static void test_empty_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(le_feed(&f->le, '\r'), LE_LINE);
	assert_string_equal(le_line(&f->le), "");
	assert_string_equal(take_echo(f), "\r\n");
}

static void test_backspace_and_del(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(type(f, "abc\b"), LE_NONE);
	assert_string_equal(take_echo(f), "abc\b \b");
	assert_int_equal(type(f, "\x7f" "d\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "ad");
	assert_string_equal(take_echo(f), "\b \bd\r\n");
}

static void test_backspace_on_empty(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(type(f, "\b\x7f\b"), LE_NONE);
	assert_string_equal(take_echo(f), "");
	assert_int_equal(type(f, "a\b\b\bz\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "z");
}

static void test_ctrl_u(void **state)
{
	struct fixture *f = *state;

	type(f, "status");
	take_echo(f);
	assert_int_equal(le_feed(&f->le, 0x15), LE_NONE);
	assert_string_equal(take_echo(f), "\b \b\b \b\b \b\b \b\b \b\b \b");
	assert_int_equal(type(f, "cr3\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "cr3");
	/* On an empty line it does nothing. */
	take_echo(f);
	assert_int_equal(le_feed(&f->le, 0x15), LE_NONE);
	assert_string_equal(take_echo(f), "");
}

static void test_ctrl_c(void **state)
{
	struct fixture *f = *state;

	type(f, "boot al");
	take_echo(f);
	assert_int_equal(le_feed(&f->le, 0x03), LE_CANCEL);
	assert_string_equal(take_echo(f), "^C\r\n");
	assert_int_equal(type(f, "\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "");
	take_echo(f);
	/* A cancelled line does not go into history. */
	assert_int_equal(type(f, "\x1b[A"), LE_NONE);
	assert_string_equal(take_echo(f), "\a");
}

static void test_history_up_down(void **state)
{
	struct fixture *f = *state;

	type(f, "one\r");
	type(f, "two\r");
	type(f, "three\r");
	take_echo(f);

	type(f, "dr");			/* a draft line, restored at the bottom */
	type(f, "\x1b[A");
	assert_string_equal(take_echo(f), "dr\b \b\b \bthree");
	type(f, "\x1b[A");
	assert_string_equal(take_echo(f), "\b \b\b \b\b \b\b \b\b \btwo");
	type(f, "\x1bOA");		/* application cursor mode */
	assert_string_equal(take_echo(f), "\b \b\b \b\b \bone");
	type(f, "\x1b[A");		/* no older entry */
	assert_string_equal(take_echo(f), "\a");
	type(f, "\x1b[B");
	assert_string_equal(take_echo(f), "\b \b\b \b\b \btwo");
	type(f, "\x1bOB");
	type(f, "\x1b[B");
	assert_string_equal(take_echo(f),
			    "\b \b\b \b\b \bthree\b \b\b \b\b \b\b \b\b \bdr");
	type(f, "\x1b[B");		/* already at the draft */
	assert_string_equal(take_echo(f), "\a");

	type(f, "\x1b[A\x1b[A");
	assert_int_equal(type(f, "\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "two");
}

static void test_history_edit_recalled(void **state)
{
	struct fixture *f = *state;

	type(f, "sipi 1 8\r");
	type(f, "\x1b[A\b9\r");
	assert_string_equal(le_line(&f->le), "sipi 1 9");
	type(f, "\x1b[A");
	type(f, "\x1b[A");
	assert_int_equal(type(f, "\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "sipi 1 8");
}

static void test_history_no_duplicates_or_empties(void **state)
{
	struct fixture *f = *state;

	type(f, "a\r");
	type(f, "a\r");
	type(f, "\r");
	type(f, "b\r");
	type(f, "a\r");
	take_echo(f);
	type(f, "\x1b[A\x1b[A\x1b[A");
	type(f, "\x1b[A");		/* only a, b, a are stored */
	assert_string_equal(take_echo(f), "a\b \bb\b \ba\a");
}

static void test_history_ring_keeps_newest(void **state)
{
	struct fixture *f = *state;
	char line[8];
	int i;

	for (i = 0; i < HISTORY_LEN + 3; i++) {
		snprintf(line, sizeof(line), "c%d\r", i);
		type(f, line);
	}
	for (i = 0; i < HISTORY_LEN; i++)
		type(f, "\x1b[A");
	take_echo(f);
	type(f, "\x1b[A");		/* the oldest three are gone */
	assert_string_equal(take_echo(f), "\a");
	assert_int_equal(type(f, "\r"), LE_LINE);
	snprintf(line, sizeof(line), "c%d", 3);
	assert_string_equal(le_line(&f->le), line);
}

static void test_other_escapes_consumed(void **state)
{
	struct fixture *f = *state;

	type(f, "ab");
	take_echo(f);
	type(f, "\x1b[C");		/* right */
	type(f, "\x1b[D");		/* left */
	type(f, "\x1b[3~");		/* delete */
	type(f, "\x1b[1;5C");		/* ctrl-right */
	type(f, "\x1b[15~");		/* F5 */
	type(f, "\x1bOP");		/* F1 */
	type(f, "\x1bx");		/* alt-x */
	type(f, "\x1b\x1b[C");		/* ESC ESC [ C */
	assert_string_equal(take_echo(f), "");
	assert_int_equal(type(f, "c\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "abc");
}

static void test_escape_cut_by_control(void **state)
{
	struct fixture *f = *state;

	/* A sequence broken off by Enter still ends the line. */
	type(f, "ab\x1b[1");
	assert_int_equal(le_feed(&f->le, '\r'), LE_LINE);
	assert_string_equal(le_line(&f->le), "ab");
	/* ... and by Ctrl-C, cancels it. */
	type(f, "x\x1b");
	assert_int_equal(le_feed(&f->le, 0x03), LE_CANCEL);
	assert_int_equal(type(f, "y\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "y");
}

static void test_controls_and_high_bytes_ignored(void **state)
{
	struct fixture *f = *state;
	const uint8_t junk[] = { 0x00, 0x01, 0x02, 0x04, 0x07, 0x0c,
				 0x1a, 0x1f, 0x80, 0xc3, 0xa9, 0xff };

	type(f, "a");
	for (size_t i = 0; i < sizeof(junk); i++)
		assert_int_equal(le_feed(&f->le, junk[i]), LE_NONE);
	type(f, "b");
	assert_string_equal(take_echo(f), "ab");
	assert_int_equal(type(f, "\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "ab");
}

static void test_tab_separates_words(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(type(f, "pt\t0x1000\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "pt 0x1000");
}

static void fill(struct fixture *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_int_equal(le_feed(&f->le, (uint8_t)('a' + i % 26)), LE_NONE);
}

static void test_exactly_line_max(void **state)
{
	struct fixture *f = *state;

	fill(f, LINE_MAX);
	assert_int_equal(le_feed(&f->le, '\r'), LE_LINE);
	assert_int_equal(strlen(le_line(&f->le)), LINE_MAX);
	assert_int_equal(le_line(&f->le)[LINE_MAX - 1], 'a' + (LINE_MAX - 1) % 26);
	assert_null(strchr(take_echo(f), '\a'));
}

static void test_overflow_at_line_max_plus_one(void **state)
{
	struct fixture *f = *state;
	const char *echoed;

	fill(f, LINE_MAX);
	take_echo(f);
	assert_int_equal(le_feed(&f->le, 'X'), LE_NONE);
	assert_string_equal(take_echo(f), "\a");	/* not stored, not shown */
	fill(f, 5);
	assert_int_equal(le_feed(&f->le, '\r'), LE_TOO_LONG);
	echoed = take_echo(f);
	assert_string_equal(echoed + strlen(echoed) - 2, "\r\n");
	/* Cleared, and not put in history. */
	assert_int_equal(type(f, "\x1b[A"), LE_NONE);
	assert_string_equal(take_echo(f), "\a");
	assert_int_equal(type(f, "ok\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "ok");
}

static void test_overflow_cleared_by_ctrl_u(void **state)
{
	struct fixture *f = *state;

	fill(f, LINE_MAX + 1);
	type(f, "\x15short\r");
	assert_string_equal(le_line(&f->le), "short");
}

static void test_no_echo_callback(void **state)
{
	struct line_editor le;

	(void)state;
	le_init(&le, NULL, NULL);
	le_feed(&le, 'q');
	le_feed(&le, '\b');
	le_feed(&le, 'x');
	assert_int_equal(le_feed(&le, '\r'), LE_LINE);
	assert_string_equal(le_line(&le), "x");
}

/* The monitor redraws the prompt after lines an AP printed over it; the
 * editor then echoes what was typed so far, and nothing for a finished
 * line (the prompt after a command is a fresh one). */
static void test_redraw(void **state)
{
	struct fixture *f = *state;

	le_redraw(&f->le);
	assert_string_equal(take_echo(f), "");
	type(f, "sta\b");
	take_echo(f);
	le_redraw(&f->le);
	assert_string_equal(take_echo(f), "st");
	assert_int_equal(type(f, "atus\r"), LE_LINE);
	assert_string_equal(le_line(&f->le), "status");
	take_echo(f);
	le_redraw(&f->le);
	assert_string_equal(take_echo(f), "");
	type(f, "\x1b[A");		/* a recalled line is redrawn too */
	take_echo(f);
	le_redraw(&f->le);
	assert_string_equal(take_echo(f), "status");
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_simple_line),
		T(test_crlf_is_one_line),
		T(test_empty_line),
		T(test_backspace_and_del),
		T(test_backspace_on_empty),
		T(test_ctrl_u),
		T(test_ctrl_c),
		T(test_history_up_down),
		T(test_history_edit_recalled),
		T(test_history_no_duplicates_or_empties),
		T(test_history_ring_keeps_newest),
		T(test_other_escapes_consumed),
		T(test_escape_cut_by_control),
		T(test_controls_and_high_bytes_ignored),
		T(test_tab_separates_words),
		T(test_exactly_line_max),
		T(test_overflow_at_line_max_plus_one),
		T(test_overflow_cleared_by_ctrl_u),
		T(test_no_echo_callback),
		T(test_redraw),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
