/* Known wrong (lab 8 check): a SIPI before the INIT.
 * expect-hint: out of order */
#include "smp/start_api.h"

void start_sequence(uint32_t target, uint8_t vector)
{
	send_sipi(target, vector);
	delay_us(200);
	send_init(target);
	delay_us(10000);
	send_sipi(target, vector);
	delay_us(200);
}
