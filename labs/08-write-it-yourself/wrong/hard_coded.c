/* Known wrong (lab 8 check): the steps in the right order, for APIC 1 at
 * vector 8 whatever boot asked for.
 * expect-hint: pass target on */
#include "smp/start_steps.h"

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	(void)target;
	(void)vector;
	step_init(1);
	step_wait_us(opt, 10000);
	step_sipi(1, 8);
	step_wait_us(opt, 200);
}
