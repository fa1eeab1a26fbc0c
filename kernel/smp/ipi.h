/* The IPIs that start an AP (SDM Vol 3A 8.4.4.1, "Typical BSP
 * Initialization Sequence"; MP spec 1.4 appendix B.4), sent through the
 * local APIC. They print nothing: each returns what the local APIC did
 * (struct ipi_result), for the caller to record and show. */
#ifndef SMP_IPI_H
#define SMP_IPI_H

#include <stdbool.h>
#include <stdint.h>

#include "dev/lapic.h"

#define IPI_ALL_BUT_SELF UINT32_MAX

/* An INIT is one IPI (assert), or two in xAPIC mode (assert, de-assert). */
#define IPI_INIT_MAX 2

/* INIT to one APIC ID or to IPI_ALL_BUT_SELF: the AP resets and waits for
 * a Startup IPI. Fills sent[] in the order sent; returns how many. */
int ipi_send_init(uint32_t target, struct ipi_result sent[IPI_INIT_MAX]);
/* Startup IPI: the AP starts in real mode at vector * 4096. */
struct ipi_result ipi_send_startup(uint32_t target, uint8_t vector);
/* Sent by the local APIC (xAPIC: delivery status idle again; x2APIC has
 * no such bit), and the Error Status Register read afterwards is clear.
 * Neither says the target accepted it. */
bool ipi_ok(const struct ipi_result *r);

#endif
