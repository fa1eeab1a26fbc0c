/* The 8254 PIT, used only as a known clock to measure the TSC against. */
#ifndef DEV_PIT_H
#define DEV_PIT_H

#include <stdint.h>

#define PIT_HZ 1193182
/* The TSC is measured against PIT one-shots of this many milliseconds,
 * the shortest of this many runs counting (dev/tsc.c, and make bench's
 * reference kernel through build/kernel/dev/pit.inc). 5 ms is 5966 PIT
 * ticks: one tick is 0.02% of the result. */
#define TSC_CALIBRATION_MS 5
#define TSC_CALIBRATION_RUNS 3

/* Run PIT channel 2 as a one-shot of `ticks` PIT ticks (at most 65535)
 * and return how many TSC cycles passed meanwhile. */
uint64_t pit_measure_tsc(uint16_t ticks);

#endif
