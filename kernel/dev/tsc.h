/* Time from the TSC: its frequency and conversions. */
#ifndef DEV_TSC_H
#define DEV_TSC_H

#include <stdint.h>

/* Learn the TSC frequency: CPUID leaf 15H (crystal ratio) or 16H (base
 * MHz) where the CPU reports it, else a measurement against the PIT. */
void tsc_init(void);
uint64_t tsc_hz(void);
const char *tsc_source(void);	/* how the frequency was found */

uint64_t tsc_to_us(uint64_t cycles);

#endif
