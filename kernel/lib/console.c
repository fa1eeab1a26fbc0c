#include <stdarg.h>

#include "dev/serial.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/spinlock.h"

#define CONSOLE_LINE_MAX 512

static struct spinlock console_lock;

static void write_translated(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

int kprintf(const char *fmt, ...)
{
	char buf[CONSOLE_LINE_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;	/* truncated: keep what fits */

	spin_lock(&console_lock);
	write_translated(buf, (size_t)n);
	spin_unlock(&console_lock);
	return n;
}

void console_write_raw(const char *s, size_t n)
{
	spin_lock(&console_lock);
	for (size_t i = 0; i < n; i++)
		serial_putc(s[i]);
	spin_unlock(&console_lock);
}
