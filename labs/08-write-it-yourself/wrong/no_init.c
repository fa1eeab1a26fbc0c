/* Known wrong (lab 8 check): no INIT at all.
 * expect-hint: send INIT first */
#include "smp/start_steps.h"

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	step_sipi(target, vector);
	step_wait_us(opt, 200);
	step_sipi(target, vector);
	step_wait_us(opt, 200);
}
