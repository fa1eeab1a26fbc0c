/* Line editor for the serial monitor, fed one received byte at a time.
 * The other end is a terminal emulator (VT100/xterm keys). */
#ifndef SMPLAB_MONITOR_LINEEDIT_H
#define SMPLAB_MONITOR_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_MAX 128		/* characters in a line, not counting NUL */
#define HISTORY_LEN 16

/* Called with the bytes to send back to the terminal. */
typedef void (*le_echo_fn)(void *ctx, const char *s, size_t n);

enum le_escape {
	ESC_NONE,	/* not inside an escape sequence */
	ESC_START,	/* got ESC */
	ESC_CSI,	/* got ESC [ : parameters until a final byte */
	ESC_SS3,	/* got ESC O : one final byte follows */
};

struct line_editor {
	char buf[LINE_MAX + 1];
	size_t len;
	bool overflow;		/* printable bytes were dropped on a full line */
	bool done;		/* buf holds a finished line; clear on next byte */
	bool after_cr;		/* last line ended with CR: swallow one LF */
	enum le_escape esc;
	char history[HISTORY_LEN][LINE_MAX + 1];
	unsigned hist_count;	/* entries in use */
	unsigned hist_next;	/* slot the next entry goes to */
	int hist_pos;		/* -1: editing the draft; k: k-th newest entry */
	char draft[LINE_MAX + 1];	/* the typed line, kept while browsing */
	le_echo_fn echo;
	void *ctx;
};

enum le_result { LE_NONE, LE_LINE, LE_CANCEL, LE_TOO_LONG };

/* echo may be NULL for no echo. */
void le_init(struct line_editor *le, le_echo_fn echo, void *ctx);
enum le_result le_feed(struct line_editor *le, uint8_t byte);
/* The finished line, valid after LE_LINE until the next le_feed. */
const char *le_line(const struct line_editor *le);
/* Echo the line typed so far again (after the prompt was redrawn). */
void le_redraw(struct line_editor *le);

#endif
