/* What an AP needs before its start, as tramp, cpudata and boot prepare
 * it: the kernel checks (kernel/smp/trampoline.c, cpu_data.c), the
 * monitor says in words why one refused and what the user can do. */
#ifndef MONITOR_PREPARE_H
#define MONITOR_PREPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/cpu_data.h"
#include "smp/trampoline.h"

/* Why a vector cannot hold the trampoline, with where to look. */
const char *vector_problem(enum tramp_vector_check c);
/* Install the trampoline at vector, or say why not. */
bool install_trampoline(uint8_t vector);
/* Build an AP's cpu_data (cpu_data_build), or say why not. */
bool build_cpu_data(uint32_t apic_id, void (*entry)(const struct cpu_data *),
		    uint64_t stack_size, bool force, struct cpu_data **out);

#endif
