/* Line editor state machine: printable input, erase keys, history on the
 * arrow keys, and every other escape sequence swallowed whole.
 * Escape sequence syntax: ECMA-48 section 5.4 (CSI = ESC [, parameter bytes
 * 0x30-0x3f, intermediate bytes 0x20-0x2f, final byte 0x40-0x7e); VT100
 * cursor keys send ESC [ A / ESC [ B, or ESC O A / ESC O B in application
 * cursor mode. */
#include "monitor/lineedit.h"

#include "lib/string.h"

#define KEY_CTRL_C	0x03
#define KEY_BACKSPACE	0x08
#define KEY_TAB		0x09
#define KEY_LF		0x0a
#define KEY_CR		0x0d
#define KEY_CTRL_U	0x15
#define KEY_ESC		0x1b
#define KEY_DEL		0x7f
#define BEL		"\a"

static void echo(struct line_editor *le, const char *s, size_t n)
{
	if (le->echo && n)
		le->echo(le->ctx, s, n);
}

static void echo_str(struct line_editor *le, const char *s)
{
	echo(le, s, strlen(s));
}

/* Rub out the last n characters on the terminal. */
static void erase_on_screen(struct line_editor *le, size_t n)
{
	static const char rubout[] = "\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \b";
	const size_t per_call = (sizeof(rubout) - 1) / 3;

	while (n) {
		size_t k = n < per_call ? n : per_call;

		echo(le, rubout, 3 * k);
		n -= k;
	}
}

static void clear_line(struct line_editor *le)
{
	le->len = 0;
	le->buf[0] = '\0';
	le->overflow = false;
	le->hist_pos = -1;
}

/* Show s instead of the current line. */
static void replace_line(struct line_editor *le, const char *s)
{
	erase_on_screen(le, le->len);
	le->len = strlen(s);
	memcpy(le->buf, s, le->len + 1);
	le->overflow = false;
	echo(le, le->buf, le->len);
}

static char *history_entry(struct line_editor *le, unsigned newest_k)
{
	unsigned slot = (le->hist_next + HISTORY_LEN - 1 - newest_k) % HISTORY_LEN;

	return le->history[slot];
}

static void history_add(struct line_editor *le)
{
	if (le->len == 0)
		return;
	if (le->hist_count && strcmp(history_entry(le, 0), le->buf) == 0)
		return;
	memcpy(le->history[le->hist_next], le->buf, le->len + 1);
	le->hist_next = (le->hist_next + 1) % HISTORY_LEN;
	if (le->hist_count < HISTORY_LEN)
		le->hist_count++;
}

static void history_up(struct line_editor *le)
{
	if (le->hist_pos + 1 >= (int)le->hist_count) {
		echo_str(le, BEL);
		return;
	}
	if (le->hist_pos < 0)
		memcpy(le->draft, le->buf, le->len + 1);
	le->hist_pos++;
	replace_line(le, history_entry(le, (unsigned)le->hist_pos));
}

static void history_down(struct line_editor *le)
{
	if (le->hist_pos < 0) {
		echo_str(le, BEL);
		return;
	}
	le->hist_pos--;
	if (le->hist_pos < 0)
		replace_line(le, le->draft);
	else
		replace_line(le, history_entry(le, (unsigned)le->hist_pos));
}

/* Final byte of a cursor-key sequence: only up and down do anything. */
static void cursor_key(struct line_editor *le, uint8_t final)
{
	if (final == 'A')
		history_up(le);
	else if (final == 'B')
		history_down(le);
}

/* Returns true if the byte was part of an escape sequence. */
static bool feed_escape(struct line_editor *le, uint8_t byte)
{
	if (byte == KEY_ESC) {
		le->esc = ESC_START;
		return true;
	}
	if (le->esc == ESC_NONE)
		return false;
	/* Control bytes and non-ASCII abort the sequence, and the controls
	 * still act (a VT100 executes C0 controls received inside a
	 * sequence), so Enter and Ctrl-C work after a broken sequence. */
	if (byte < 0x20 || byte >= 0x80) {
		le->esc = ESC_NONE;
		return false;
	}
	switch (le->esc) {
	case ESC_START:
		if (byte == '[')
			le->esc = ESC_CSI;
		else if (byte == 'O')
			le->esc = ESC_SS3;
		else
			le->esc = ESC_NONE;	/* ESC + key (Alt-key): drop both */
		break;
	case ESC_CSI:
		if (byte >= 0x40 && byte <= 0x7e) {
			le->esc = ESC_NONE;
			cursor_key(le, byte);
		}
		break;
	case ESC_SS3:
		le->esc = ESC_NONE;
		cursor_key(le, byte);
		break;
	case ESC_NONE:
		break;
	}
	return true;
}

static enum le_result end_line(struct line_editor *le)
{
	echo_str(le, "\r\n");
	if (le->overflow) {
		clear_line(le);
		return LE_TOO_LONG;
	}
	history_add(le);
	le->hist_pos = -1;
	le->done = true;
	return LE_LINE;
}

static void insert_char(struct line_editor *le, uint8_t byte)
{
	if (le->len == LINE_MAX) {
		le->overflow = true;
		echo_str(le, BEL);
		return;
	}
	le->buf[le->len++] = (char)byte;
	le->buf[le->len] = '\0';
	echo(le, (const char *)&byte, 1);
}

void le_init(struct line_editor *le, le_echo_fn echo_fn, void *ctx)
{
	memset(le, 0, sizeof(*le));
	le->hist_pos = -1;
	le->echo = echo_fn;
	le->ctx = ctx;
}

enum le_result le_feed(struct line_editor *le, uint8_t byte)
{
	bool after_cr = le->after_cr;

	le->after_cr = false;
	if (le->done) {
		le->done = false;
		clear_line(le);
	}
	if (feed_escape(le, byte))
		return LE_NONE;

	switch (byte) {
	case KEY_CR:
		le->after_cr = true;
		return end_line(le);
	case KEY_LF:
		if (after_cr)
			return LE_NONE;	/* second half of CRLF */
		return end_line(le);
	case KEY_BACKSPACE:
	case KEY_DEL:
		if (le->len) {
			le->buf[--le->len] = '\0';
			erase_on_screen(le, 1);
		}
		return LE_NONE;
	case KEY_CTRL_U:
		erase_on_screen(le, le->len);
		clear_line(le);
		return LE_NONE;
	case KEY_CTRL_C:
		echo_str(le, "^C\r\n");
		clear_line(le);
		return LE_CANCEL;
	}
	if (byte == KEY_TAB)		/* separates words like a space */
		insert_char(le, ' ');
	else if (byte >= 0x20 && byte <= 0x7e)
		insert_char(le, byte);
	/* Other control bytes and bytes >= 0x80 are ignored. */
	return LE_NONE;
}

const char *le_line(const struct line_editor *le)
{
	return le->buf;
}

void le_redraw(struct line_editor *le)
{
	if (!le->done)
		echo(le, le->buf, le->len);
}
