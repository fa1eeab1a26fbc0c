/* Console output on COM1, which only the BSP drives. An AP's kprintf
 * stores its text in that AP's own buffer; the BSP prints the buffered
 * lines (console_drain) before its own output and while it waits. Lines
 * come out whole and in the order they were completed: print whole lines. */
#ifndef LIB_CONSOLE_H
#define LIB_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/line_ring.h"

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* AP, in ap_entry: from now on this CPU prints into the buffer of CPU
 * number cpu_index (its MADT position). */
void console_attach(uint32_t cpu_index);

/* BSP only. */
/* At boot, once the CPU count is known: cpus + 1 zeroed rings, one per
 * CPU number and a spare for an AP that prints before it has its own;
 * the BSP's (CPU number bsp_index) holds its text in quiet spells. */
void console_give_rings(struct line_ring *rings, unsigned cpus, unsigned bsp_index);
/* A quiet spell, while APs climb: nothing is printed, the BSP's text
 * included, until console_quiet_end (which prints what waits) or 100 ms. */
void console_quiet(void);
void console_quiet_end(void);
/* Raw bytes, no "\n" -> "\r\n" translation (terminal echo). */
void console_write_raw(const char *s, size_t n);
/* Whether an AP's line waits to be printed. */
bool console_lines_waiting(void);
/* Print the lines waiting, unless the BSP's own output is in the middle
 * of a line (they come after its newline) or in a quiet spell. */
void console_drain(void);
/* Wait us microseconds, printing AP lines meanwhile. */
void console_wait_us(uint64_t us);

#endif
