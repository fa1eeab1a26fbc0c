/* Known wrong (lab 8 check): the right AP, but always vector 8.
 * expect-hint: the trampoline is at vector */
#include "smp/start_steps.h"

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	(void)vector;
	step_init(target);
	step_wait_us(opt, 10000);
	step_sipi(target, 8);
	step_wait_us(opt, 200);
	if (!step_all_answered(target)) {
		step_sipi(target, 8);
		step_wait_us(opt, 200);
	}
}
