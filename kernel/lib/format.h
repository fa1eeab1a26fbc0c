/* printf-style formatting into a buffer: no hardware, so the host unit
 * tests compile this file too. Supports %d %i %u %x %X %o %c %s %p %%,
 * flags '-' '0' ' ' '+' '#', width and precision (also '*'), and the
 * length modifiers hh h l ll z. */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Like C's vsnprintf: always NUL-terminates (when size > 0) and returns
 * the length the full output would have had. */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Append to buf at *len, as far as it fits; *len counts the full text
 * (so a report built in pieces can be measured with size 0). */
void kappendf(char *buf, size_t size, int *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A size for people, in the largest unit that divides it: "16 KiB",
 * "2 GiB", "1536 B". */
int format_size(char *buf, size_t size, uint64_t bytes);

#endif
