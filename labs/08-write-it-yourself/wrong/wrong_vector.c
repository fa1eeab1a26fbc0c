/* Known wrong (lab 8 check): the SIPI names the page after the trampoline.
 * expect-hint: the trampoline is at vector */
#include "smp/start_steps.h"

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	step_init(target);
	step_wait_us(opt, 10000);
	step_sipi(target, vector + 1);
	step_wait_us(opt, 200);
	step_sipi(target, vector + 1);
	step_wait_us(opt, 200);
}
