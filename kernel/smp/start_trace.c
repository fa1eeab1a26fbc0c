#include "arch/cpu.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "lib/format.h"
#include "smp/ipi.h"
#include "smp/start_trace.h"

static struct trace_event events[TRACE_MAX];
static unsigned count;		/* events recorded; the oldest are dropped */

void trace_clear(void)
{
	count = 0;
}

void trace_add(enum trace_kind kind, uint32_t target, uint64_t value, bool skipped)
{
	events[count % TRACE_MAX] = (struct trace_event){ kind, target, value, skipped, rdtsc() };
	count++;
}

void trace_print(void)
{
	unsigned first = count > TRACE_MAX ? count - TRACE_MAX : 0;

	if (count == 0) {
		kprintf("no start-up steps yet (init, sipi and boot record them)\n");
		return;
	}
	uint64_t t0 = events[first % TRACE_MAX].tsc;
	for (unsigned i = first; i < count; i++) {
		const struct trace_event *e = &events[i % TRACE_MAX];
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
		}
	}
}
