/* Parsing and checking the APIC ID a command targets. */
#ifndef MONITOR_TARGET_H
#define MONITOR_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/cpu_data.h"
#include "smp/ipi.h"

/* Parse "all" (when allowed: gives IPI_ALL_BUT_SELF) or an APIC ID that
 * the MADT lists as enabled and that is not the BSP. Prints why not. */
bool parse_target(const char *word, bool allow_all, uint32_t *target);

/* For a target of "all": true when a broadcast wakes only processors
 * smplab can start and follow; else says which and why, and that it
 * refuses. With one_by_one (boot all), APs it cannot follow are no
 * refusal: *one_by_one is set, and the caller starts the others one at
 * a time. */
bool broadcast_allowed(bool *one_by_one);

/* Report the processors that answered the last broadcast though the MADT
 * does not list them; returns how many. */
int report_unlisted_answers(void);

#endif
