#include "dev/lapic.h"
#include "lib/console.h"
#include "lib/format.h"
#include "smp/ipi.h"

static void target_name(char *buf, size_t size, uint32_t target)
{
	if (target == IPI_ALL_BUT_SELF)
		ksnprintf(buf, size, "all but self");
	else
		ksnprintf(buf, size, "APIC %u", target);
}

/* Say what is about to be sent before sending it: an AP may answer
 * (and print) before the send returns. */
static void announce(const char *what, uint32_t target)
{
	char who[24];

	target_name(who, sizeof(who), target);
	kprintf("  %s -> %s\n", what, who);
}

static bool report(const struct ipi_result *r)
{
	char esr[160];

	lapic_format_esr(esr, sizeof(esr), r->esr);
	kprintf("    ICR 0x%016lx %s, ESR 0x%x (%s)\n", r->icr,
		r->delivered ? "delivered" : "NOT DELIVERED (delivery status stuck)",
		r->esr, esr);
	return r->delivered && r->esr == 0;
}

static uint32_t destination(uint32_t target, uint32_t icr_low, uint32_t *icr)
{
	if (target == IPI_ALL_BUT_SELF) {
		*icr = icr_low | ICR_ALL_BUT_SELF;
		return 0;
	}
	*icr = icr_low;
	return target;
}

bool ipi_init(uint32_t target)
{
	uint32_t icr;
	uint32_t dest = destination(target, ICR_INIT | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL, &icr);

	announce("INIT assert", target);
	struct ipi_result r = lapic_send_ipi(dest, icr);
	bool ok = report(&r);

	/* The xAPIC of older processors also wants a level de-assert
	 * (SDM Vol 3A 10.6.1: "INIT Level De-assert"); x2APIC has none. */
	if (lapic_mode() == LAPIC_XAPIC) {
		destination(target, ICR_INIT | ICR_TRIGGER_LEVEL, &icr);
		announce("INIT de-assert", target);
		r = lapic_send_ipi(dest, icr);
		ok &= report(&r);
	}
	return ok;
}

bool ipi_sipi(uint32_t target, uint8_t vector)
{
	uint32_t icr;
	/* Level = 1 as SDM Vol 3A 10.6.1 asks for every mode but the INIT
	 * de-assert (newer processors ignore it for start-up IPIs). */
	uint32_t dest = destination(target, ICR_STARTUP | ICR_LEVEL_ASSERT | vector, &icr);

	announce("SIPI", target);
	struct ipi_result r = lapic_send_ipi(dest, icr);
	return report(&r);
}
