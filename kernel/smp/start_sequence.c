/* The universal start-up algorithm (MP spec 1.4, appendix B.4; SDM Vol 3A
 * 8.4.4.1): INIT, 10 ms, SIPI, 200 us, SIPI, 200 us. The second SIPI is
 * for processors that miss the first; one that already runs ignores it,
 * so it is skipped once every AP has answered.
 *
 * This is the reference implementation. Lab 8 builds a kernel with the
 * learner's version of this file instead (labs/08-write-it-yourself). */
#include "smp/start_steps.h"

#define INIT_DELAY_US	10000
#define SIPI_DELAY_US	200

void start_sequence(const struct start_options *opt, uint32_t target, uint8_t vector)
{
	step_init(target);
	step_wait_us(opt, INIT_DELAY_US);
	step_sipi(target, vector);
	step_wait_us(opt, SIPI_DELAY_US);
	if (!step_all_answered(target)) {
		step_sipi(target, vector);
		step_wait_us(opt, SIPI_DELAY_US);
	}
}
