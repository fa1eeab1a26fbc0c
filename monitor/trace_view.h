/* How the monitor shows the start trace (kernel/smp/start_trace.h): live,
 * as init, sipi and boot take each step, and afterwards as `trace`. */
#ifndef MONITOR_TRACE_VIEW_H
#define MONITOR_TRACE_VIEW_H

#include "smp/start_trace.h"

/* The trace's observer: one step's lines, as it begins and as it ends. */
void trace_view_step(const struct trace_event *e, enum trace_moment when);
/* The steps kept, one line each, times in microseconds after the first. */
void trace_view_list(void);

#endif
