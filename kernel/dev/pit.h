/* The 8254 PIT, used only as a known clock to measure the TSC against. */
#ifndef DEV_PIT_H
#define DEV_PIT_H

#include <stdint.h>

#define PIT_HZ 1193182

/* Run PIT channel 2 as a one-shot of `ticks` PIT ticks (at most 65535)
 * and return how many TSC cycles passed meanwhile. */
uint64_t pit_measure_tsc(uint16_t ticks);

#endif
