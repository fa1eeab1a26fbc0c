/* The readings of the TSC check (`on APIC tsc`), taken by the BSP and one
 * idle AP at the same time, and the skew that writes an AP's TSC. The BSP
 * posts the AP's half in the AP's mailbox and runs its own half while the
 * AP runs the other; smp/tsc_check.c judges what they read. */
#ifndef SMP_TSC_SYNC_H
#define SMP_TSC_SYNC_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/mailbox.h"
#include "smp/tsc_check.h"

#define TSC_SYNC_TIMEOUT_MS	1000	/* for the AP to take part, and to finish */
#define TSC_SYNC_PINGS		16	/* offset samples: the shortest round trip counts */
#define TSC_WARP_MS		5	/* how long each CPU runs the warp test */
#define TSC_WARP_MAX_READS	100000	/* and at most this many reads each */

/* Whether IA32_TSC_ADJUST exists: CPUID.(EAX=07H,ECX=0):EBX bit 1. */
bool tsc_has_adjust(void);

/* Both halves of the check against the idle AP whose mailbox is m; false
 * when the AP did not take part or finish in time. */
bool tsc_sync_check(uint32_t apic_id, struct mailbox *m, struct tsc_check *out);

/* Add delta to the AP's TSC: through IA32_TSC_ADJUST where it exists (the
 * TSC moves by exactly what is added), else by writing IA32_TSC with the
 * AP's TSC plus delta. False when the AP did not answer in time. Whether
 * the CPU honoured the write only a new check can tell. */
bool tsc_sync_shift(uint32_t apic_id, struct mailbox *m, int64_t delta);

#endif
