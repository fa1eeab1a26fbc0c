/* Known wrong (lab 8 check): no wait between INIT and SIPI.
 * expect-hint: wait 10 ms after INIT */
#include "smp/start_api.h"

void start_sequence(uint32_t target, uint8_t vector)
{
	send_init(target);
	send_sipi(target, vector);
	delay_us(200);
	if (!ap_answered(target)) {
		send_sipi(target, vector);
		delay_us(200);
	}
}
