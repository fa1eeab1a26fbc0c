/* The IPIs that start an AP (SDM Vol 3A 8.4.4.1, "Typical BSP
 * Initialization Sequence"; MP spec 1.4 appendix B.4). Each is sent
 * through the local APIC and its result printed for the user. */
#ifndef SMP_IPI_H
#define SMP_IPI_H

#include <stdbool.h>
#include <stdint.h>

#define IPI_ALL_BUT_SELF UINT32_MAX

/* INIT: the AP resets and waits for a Startup IPI. Returns false when
 * the local APIC reported a problem (printed). */
bool ipi_init(uint32_t target);
/* Startup IPI: the AP starts in real mode at vector * 4096. */
bool ipi_sipi(uint32_t target, uint8_t vector);

#endif
