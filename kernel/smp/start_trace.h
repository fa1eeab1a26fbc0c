/* A record of the start-up steps taken (INIT, SIPI, waits, the check
 * whether every AP answered), by `boot` or by hand, with their times and
 * what each IPI did: what `trace` lists, what the lab 8 grader reads to
 * say which step is missing or out of order, and, through one registered
 * observer, what the monitor narrates while the steps run. */
#ifndef SMP_START_TRACE_H
#define SMP_START_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/ipi.h"

#define TRACE_MAX 32

enum trace_kind { TRACE_INIT, TRACE_SIPI, TRACE_DELAY, TRACE_ALL_ANSWERED };

struct trace_event {
	enum trace_kind kind;
	uint32_t target;		/* APIC ID, or IPI_ALL_BUT_SELF */
	uint64_t value;			/* SIPI: vector; delay: microseconds */
	bool skipped;			/* delay not waited (boot ... fast) */
	bool answered;			/* all-answered check: its answer */
	uint64_t tsc;			/* when the step began */
	int ipis;			/* IPIs sent: INIT 1 or 2, SIPI 1 */
	struct ipi_result ipi[IPI_INIT_MAX];
};

/* The observer hears of each step twice: when it is about to be taken
 * (an AP may answer a SIPI, and print, before the send returns), and when
 * its result is in the event. */
enum trace_moment { TRACE_STEP_BEGIN, TRACE_STEP_DONE };
typedef void trace_observer_fn(const struct trace_event *e, enum trace_moment when);
void trace_set_observer(trace_observer_fn *observer);

/* Record a step about to be taken: kind, target, value and skipped as in
 * step; stamps the time. Returns the recorded event for the result. */
struct trace_event *trace_begin(struct trace_event step);
/* The step's result is in e. */
void trace_done(const struct trace_event *e);

void trace_clear(void);
/* The events kept (the newest TRACE_MAX), oldest first. */
unsigned trace_count(void);
const struct trace_event *trace_event_at(unsigned i);

#endif
