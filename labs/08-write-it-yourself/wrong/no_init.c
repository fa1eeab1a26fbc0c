/* Known wrong (lab 8 check): no INIT at all.
 * expect-hint: send INIT first */
#include "smp/start_api.h"

void start_sequence(uint32_t target, uint8_t vector)
{
	send_sipi(target, vector);
	delay_us(200);
	send_sipi(target, vector);
	delay_us(200);
}
