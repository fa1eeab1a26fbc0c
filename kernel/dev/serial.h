/* COM1, a 16550 UART driven by polling (no interrupts). */
#ifndef DEV_SERIAL_H
#define DEV_SERIAL_H

#include <stdbool.h>
#include <stdint.h>

void serial_init(void);
void serial_putc(char c);
/* Returns true and stores a byte when one has arrived. */
bool serial_try_getc(uint8_t *c);

#endif
