/* Parsing and checking the APIC ID a command targets. */
#ifndef MONITOR_TARGET_H
#define MONITOR_TARGET_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/ipi.h"

/* Parse "all" (when allowed: gives IPI_ALL_BUT_SELF) or an APIC ID that
 * the MADT lists as enabled and that is not the BSP. Prints why not. */
bool parse_target(const char *word, bool allow_all, uint32_t *target);

#endif
