/* Known wrong (lab 8 check): the right vector, but always APIC 1.
 * expect-hint: pass target on */
#include "smp/start_steps.h"

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	(void)target;
	step_init(1);
	step_wait_us(opt, 10000);
	step_sipi(1, vector);
	step_wait_us(opt, 200);
	if (!step_all_answered(1)) {
		step_sipi(1, vector);
		step_wait_us(opt, 200);
	}
}
