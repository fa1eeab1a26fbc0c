#include "arch/cpu.h"
#include "dev/pit.h"

/* 8254 ports and the PC's port 0x61 (8254 data sheet; IBM PC/AT
 * technical reference): channel 2's gate is port 0x61 bit 0 and its
 * output can be read back in port 0x61 bit 5. */
#define PIT_CH2		0x42
#define PIT_COMMAND	0x43
#define PORT_61		0x61
#define P61_GATE2	0x01
#define P61_SPEAKER	0x02
#define P61_OUT2	0x20
#define CMD_CH2_LOHI_MODE0 0xB0	/* channel 2, lobyte/hibyte, mode 0, binary */

uint64_t pit_measure_tsc(uint16_t ticks)
{
	uint8_t p61 = inb(PORT_61) & ~(P61_GATE2 | P61_SPEAKER);

	outb(PORT_61, p61);			/* gate low: hold the counter */
	outb(PIT_COMMAND, CMD_CH2_LOHI_MODE0);
	outb(PIT_CH2, ticks & 0xFF);
	outb(PIT_CH2, ticks >> 8);

	/* Mode 0: OUT2 goes high when the count reaches zero. */
	outb(PORT_61, p61 | P61_GATE2);
	uint64_t start = rdtsc();
	while (!(inb(PORT_61) & P61_OUT2))
		;
	uint64_t end = rdtsc();

	outb(PORT_61, p61);
	return end - start;
}
