/* A record of the start-up steps taken (INIT, SIPI, delays), by `boot`
 * or by hand, with their times: what `trace` prints, and what the lab 8
 * grader reads to say which step is missing or out of order. */
#ifndef SMP_START_TRACE_H
#define SMP_START_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#define TRACE_MAX 32

enum trace_kind { TRACE_INIT, TRACE_SIPI, TRACE_DELAY };

struct trace_event {
	enum trace_kind kind;
	uint32_t target;		/* APIC ID, or IPI_ALL_BUT_SELF */
	uint64_t value;			/* SIPI: vector; delay: microseconds */
	bool skipped;			/* delay not waited (boot ... fast) */
	uint64_t tsc;
};

void trace_clear(void);
void trace_add(enum trace_kind kind, uint32_t target, uint64_t value, bool skipped);
/* Print the events, times in microseconds after the first. */
void trace_print(void);

#endif
