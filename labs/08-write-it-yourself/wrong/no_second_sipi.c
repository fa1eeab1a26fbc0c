/* Known wrong (lab 8 check): one SIPI, even when the AP did not answer it.
 * expect-hint: send a second one */
#include "smp/start_steps.h"

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	step_init(target);
	step_wait_us(opt, 10000);
	step_sipi(target, vector);
	step_wait_us(opt, 200);
}
