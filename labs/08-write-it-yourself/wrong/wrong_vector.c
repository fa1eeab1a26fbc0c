/* Known wrong (lab 8 check): the SIPI names the page after the trampoline.
 * expect-hint: the trampoline is at vector */
#include "smp/start_api.h"

void start_sequence(uint32_t target, uint8_t vector)
{
	send_init(target);
	delay_us(10000);
	send_sipi(target, vector + 1);
	delay_us(200);
	send_sipi(target, vector + 1);
	delay_us(200);
}
