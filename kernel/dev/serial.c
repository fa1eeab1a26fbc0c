#include "arch/cpu.h"
#include "dev/serial.h"

/* 16550 registers, as offsets from the base port (PC16550D data sheet). */
#define COM1		0x3F8
#define REG_DATA	0	/* RBR/THR; divisor low when DLAB = 1 */
#define REG_IER		1	/* interrupt enable; divisor high when DLAB = 1 */
#define REG_FCR		2	/* FIFO control */
#define REG_LCR		3	/* line control */
#define REG_MCR		4	/* modem control */
#define REG_LSR		5	/* line status */
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define FCR_ENABLE_CLEAR 0x07	/* enable FIFOs, clear both */
#define MCR_DTR_RTS	0x03
#define LSR_DATA_READY	0x01
#define LSR_THR_EMPTY	0x20
#define UART_CLOCK	115200	/* divisor 1 = 115200 baud */

void serial_init(void)
{
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_DLAB);
	outb(COM1 + REG_DATA, UART_CLOCK / 115200);
	outb(COM1 + REG_IER, 0);
	outb(COM1 + REG_LCR, LCR_8N1);
	outb(COM1 + REG_FCR, FCR_ENABLE_CLEAR);
	outb(COM1 + REG_MCR, MCR_DTR_RTS);
}

void serial_putc(char c)
{
	while (!(inb(COM1 + REG_LSR) & LSR_THR_EMPTY))
		cpu_relax();
	outb(COM1 + REG_DATA, (uint8_t)c);
}

bool serial_try_getc(uint8_t *c)
{
	if (!(inb(COM1 + REG_LSR) & LSR_DATA_READY))
		return false;
	*c = inb(COM1 + REG_DATA);
	return true;
}
