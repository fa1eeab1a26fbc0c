/* Known wrong (lab 8 check): no wait between INIT and SIPI.
 * expect-hint: wait 10 ms after INIT */
#include "smp/start_steps.h"

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	step_init(target);
	step_sipi(target, vector);
	step_wait_us(opt, 200);
	if (!step_all_answered(target)) {
		step_sipi(target, vector);
		step_wait_us(opt, 200);
	}
}
