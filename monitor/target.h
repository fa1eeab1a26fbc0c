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
 * smplab can start and follow; else says which and why, and returns
 * false. *check receives the verdict. */
bool broadcast_accountable(enum broadcast_check *check);
/* The same, for commands that then refuse: says so. */
bool broadcast_allowed(void);

/* Report the processors that answered the last broadcast though the MADT
 * does not list them; returns how many. */
int report_unlisted_answers(void);

#endif
