/* The steps of starting an AP, as the start-up sequence uses them
 * (kernel/smp/start_sequence.c, or the learner's own in lab 8). Each step
 * does the bookkeeping `status` needs, prints what it sends, and is
 * recorded in the trace that `trace` prints. */
#ifndef SMP_START_API_H
#define SMP_START_API_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/ipi.h"		/* IPI_ALL_BUT_SELF */

/* INIT to one AP (APIC ID) or to IPI_ALL_BUT_SELF. Both return false
 * when the local APIC reported a problem (printed). */
bool send_init(uint32_t target);
/* Startup IPI: the AP starts in real mode at vector * 4096. */
bool send_sipi(uint32_t target, uint8_t vector);
/* Busy-wait; skipped (but still traced) by `boot ... fast`. */
void delay_us(uint64_t us);
/* True when every targeted AP has written at least its first stage. */
bool ap_answered(uint32_t target);

/* The sequence itself: INIT, wait, SIPI, wait, SIPI again if needed. */
void start_sequence(uint32_t target, uint8_t vector);

/* How `boot` runs the sequence: with the delays or without. */
void start_api_set_fast(bool fast);

#endif
