/* Lab 8, part 1: start an AP yourself.
 *
 * Write start_sequence(): the steps that wake the AP(s) named by target
 * (an APIC ID, or IPI_ALL_BUT_SELF) and start them at vector * 4096.
 * `boot` calls it after it has installed the trampoline and built the
 * cpu_data, and before it waits for the APs. Use only these
 * (kernel/smp/start_api.h):
 *
 *   send_init(target)            INIT: the AP resets, then waits for a SIPI
 *   send_sipi(target, vector)    Startup IPI: the AP starts at vector * 4096
 *   delay_us(us)                 wait (skipped by `boot ... fast`)
 *   ap_answered(target)          true once every targeted AP has started
 *
 * Grade it with `make lab N=8`. */
#include "smp/start_api.h"

void start_sequence(uint32_t target, uint8_t vector)
{
	/* TODO: your code here. */
	(void)target;
	(void)vector;
}
