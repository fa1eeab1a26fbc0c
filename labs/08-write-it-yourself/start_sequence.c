/* Lab 8, part 1: start an AP yourself.
 *
 * Write start_sequence(): the steps that wake the AP(s) named by target
 * (an APIC ID, or IPI_ALL_BUT_SELF) and start them at vector * 4096.
 * `boot` calls it after it has installed the trampoline and built the
 * cpu_data, and before it waits for the APs. Use only these
 * (kernel/smp/start_steps.h):
 *
 *   step_init(target)            INIT: the AP resets, then waits for a SIPI
 *   step_sipi(target, vector)    Startup IPI: the AP starts at vector * 4096
 *   step_wait_us(opt, us)        wait (opt says when `boot ... fast` skips it)
 *   step_all_answered(target)    true once every targeted AP has started
 *
 * Grade it with `make lab N=8`. */
#include "smp/start_steps.h"

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	/* TODO: your code here. */
	(void)opt;
	(void)target;
	(void)vector;
}
