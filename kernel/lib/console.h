/* Console output on COM1. Each kprintf call is written whole under one
 * lock, so lines printed by different CPUs never mix: print whole lines. */
#ifndef LIB_CONSOLE_H
#define LIB_CONSOLE_H

#include <stddef.h>

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Raw bytes, no "\n" -> "\r\n" translation (terminal echo). */
void console_write_raw(const char *s, size_t n);

#endif
