/* The start trace on the console: each step narrated as it is taken, and
 * the list `trace` prints. */
#include "dev/lapic.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "lib/format.h"
#include "monitor/trace_view.h"

static void target_name(char *buf, size_t size, uint32_t target)
{
	if (target == IPI_ALL_BUT_SELF)
		ksnprintf(buf, size, "all but self");
	else
		ksnprintf(buf, size, "APIC %u", target);
}

static void announce(const char *what, uint32_t target)
{
	char who[24];

	target_name(who, sizeof(who), target);
	kprintf("  %s -> %s\n", what, who);
}

static void report(const struct ipi_result *r)
{
	char esr[160];

	lapic_format_esr(esr, sizeof(esr), r->esr);
	kprintf("    ICR 0x%016lx %s, ESR 0x%x (%s)\n", r->icr,
		r->sent ? "sent" : "NOT SENT (delivery status still pending after 10 ms)",
		r->esr, esr);
}

/* Each IPI is announced before it is sent, since the AP may print before
 * the send returns; the INIT de-assert follows the assert at once, and an
 * AP in reset prints nothing, so it is announced with its result. */
static void step_begins(const struct trace_event *e)
{
	switch (e->kind) {
	case TRACE_INIT:
		announce("INIT assert", e->target);
		break;
	case TRACE_SIPI:
		announce("SIPI", e->target);
		break;
	case TRACE_DELAY:
		if (!e->skipped)
			kprintf("  wait %lu us\n", e->value);
		break;
	case TRACE_ALL_ANSWERED:
		break;
	}
}

static void step_ends(const struct trace_event *e)
{
	switch (e->kind) {
	case TRACE_INIT:
	case TRACE_SIPI:
		for (int i = 0; i < e->ipis; i++) {
			if (i > 0)
				kprintf("  INIT de-assert -> all including self\n");
			report(&e->ipi[i]);
		}
		break;
	case TRACE_DELAY:
		break;
	case TRACE_ALL_ANSWERED:
		if (e->answered)
			kprintf("  every AP answered: no need for another SIPI\n");
		break;
	}
}

void trace_view_step(const struct trace_event *e, enum trace_moment when)
{
	if (when == TRACE_STEP_BEGIN)
		step_begins(e);
	else
		step_ends(e);
}

/* The all-answered check is a decision, not a step: the list shows what
 * was sent and waited, the sequence of MP spec B.4. */
void trace_view_list(void)
{
	unsigned n = trace_count();

	if (n == 0) {
		kprintf("no start-up steps yet (init, sipi and boot record them)\n");
		return;
	}
	uint64_t t0 = trace_event_at(0)->tsc;
	for (unsigned i = 0; i < n; i++) {
		const struct trace_event *e = trace_event_at(i);
		uint64_t us = tsc_to_us(e->tsc - t0);
		char who[24];

		if (e->target == IPI_ALL_BUT_SELF)
			ksnprintf(who, sizeof(who), "all");
		else
			ksnprintf(who, sizeof(who), "%u", e->target);
		switch (e->kind) {
		case TRACE_INIT:
			kprintf("%8lu us  INIT %s\n", us, who);
			break;
		case TRACE_SIPI:
			kprintf("%8lu us  SIPI %s vector 0x%02lx\n", us, who, e->value);
			break;
		case TRACE_DELAY:
			kprintf("%8lu us  delay %lu us%s\n", us, e->value,
				e->skipped ? " (skipped: fast)" : "");
			break;
		case TRACE_ALL_ANSWERED:
			break;
		}
	}
}
