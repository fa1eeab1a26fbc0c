/* INIT and Startup IPIs: the ICR values the start-up sequence writes. */
#include "smp/ipi.h"

/* The ICR low half and the destination for a target: one APIC ID, or the
 * all-but-self shorthand, which ignores the destination field. */
static uint32_t destination(uint32_t target, uint32_t icr_low, uint32_t *icr)
{
	if (target == IPI_ALL_BUT_SELF) {
		*icr = icr_low | ICR_ALL_BUT_SELF;
		return 0;
	}
	*icr = icr_low;
	return target;
}

int ipi_send_init(uint32_t target, struct ipi_result sent[IPI_INIT_MAX])
{
	uint32_t icr;
	/* The trigger mode bit means something only to the de-assert below;
	 * it is set here as Linux sets it (processors since the Pentium 4
	 * ignore it, SDM Vol 3A 10.6.1). */
	uint32_t dest = destination(target, ICR_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL, &icr);
	int n = 0;

	sent[n++] = lapic_send_ipi(dest, icr);
	/* INIT level de-assert (level 0, trigger level): only older xAPICs use
	 * it, to resynchronise arbitration IDs. It goes to every APIC whatever
	 * the destination, and the SDM asks for the "all including self"
	 * shorthand (10.6.1). Processors since the Pentium 4 do not support
	 * it; x2APIC mode, which exists only on such processors, is left out. */
	if (lapic_mode() == LAPIC_XAPIC)
		sent[n++] = lapic_send_ipi(0, ICR_INIT | ICR_TRIGGER_LEVEL | ICR_ALL_INCLUDING_SELF);
	return n;
}

struct ipi_result ipi_send_startup(uint32_t target, uint8_t vector)
{
	uint32_t icr;
	/* Level = 1 as SDM Vol 3A 10.6.1 asks for every mode but the INIT
	 * de-assert (newer processors ignore it for start-up IPIs). */
	uint32_t dest = destination(target, ICR_STARTUP | ICR_LEVEL_ASSERT | vector, &icr);

	return lapic_send_ipi(dest, icr);
}

bool ipi_ok(const struct ipi_result *r)
{
	return r->sent && r->esr == 0;
}
