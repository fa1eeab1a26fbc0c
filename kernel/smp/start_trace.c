/* The start trace: a ring of the last TRACE_MAX steps, and the observer
 * told of each step as it happens. */
#include "arch/cpu.h"
#include "smp/start_trace.h"

static struct trace_event events[TRACE_MAX];
static unsigned count;		/* events recorded; the oldest are dropped */
static trace_observer_fn *observer;

void trace_set_observer(trace_observer_fn *fn)
{
	observer = fn;
}

struct trace_event *trace_begin(struct trace_event step)
{
	struct trace_event *e = &events[count % TRACE_MAX];

	*e = step;
	e->tsc = rdtsc();
	count++;
	if (observer)
		observer(e, TRACE_STEP_BEGIN);
	return e;
}

void trace_done(const struct trace_event *e)
{
	if (observer)
		observer(e, TRACE_STEP_DONE);
}

void trace_clear(void)
{
	count = 0;
}

unsigned trace_count(void)
{
	return count > TRACE_MAX ? TRACE_MAX : count;
}

const struct trace_event *trace_event_at(unsigned i)
{
	unsigned first = count > TRACE_MAX ? count - TRACE_MAX : 0;

	return &events[(first + i) % TRACE_MAX];
}
