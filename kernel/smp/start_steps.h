/* The steps of starting an AP, as the start-up sequence takes them
 * (kernel/smp/start_sequence.c, or the learner's own in lab 8). Each step
 * does the bookkeeping `status` needs, sends or waits, and is recorded in
 * the start trace (smp/start_trace.h), from which the monitor shows it.
 * The raw IPIs, without any of that, are in smp/ipi.h. */
#ifndef SMP_START_STEPS_H
#define SMP_START_STEPS_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/ipi.h"		/* IPI_ALL_BUT_SELF */

/* How a sequence runs: `boot ... fast` sets skip_waits. */
struct start_options {
	bool skip_waits;	/* waits are traced, not waited */
};

/* INIT to one AP (APIC ID) or to IPI_ALL_BUT_SELF. Both return false
 * when the local APIC reported a problem (the trace has it). */
bool step_init(uint32_t target);
/* Startup IPI: the AP starts in real mode at vector * 4096. */
bool step_sipi(uint32_t target, uint8_t vector);
/* Busy-wait until us microseconds have passed since the last INIT or
 * SIPI was sent, unless opt->skip_waits. */
void step_wait_us(const struct start_options *opt, uint64_t us);
/* True when every targeted AP has written at least its first stage. */
bool step_all_answered(uint32_t target);

/* The sequence itself: INIT, wait, SIPI, wait, SIPI again if needed. */
void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector);

#endif
