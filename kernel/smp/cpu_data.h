/* struct cpu_data: what the BSP prepares for one AP before starting it.
 * The trampoline finds it in cpu_table by its slot, loads stack_top into
 * RSP and calls entry(cpu_data): trampoline/offsets.c gives NASM the
 * offsets of the first three fields as CPU_DATA_*. */
#ifndef SMP_CPU_DATA_H
#define SMP_CPU_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/frames.h"
#include "smp/mailbox.h"
#include "trampoline/layout.h"

#define AP_STACK_DEFAULT	(16 * 1024)
#define AP_STACK_MIN		4096		/* below this only when forced */
#define AP_STACK_FORCED_MIN	64
#define AP_STACK_MAX		(256 * 1024)
#define STACK_CANARY		0x5354434B43414E59ull	/* "YNACKCTS" */
#define STACK_PADDING		PAGE_SIZE	/* one page below each stack, filled with the canary */

struct cpu_data {
	uint64_t stack_top;			/* CPU_DATA_STACK_TOP */
	void (*entry)(const struct cpu_data *);	/* CPU_DATA_ENTRY */
	struct ap_record *record;		/* CPU_DATA_RECORD: set by the trampoline */
	uint32_t apic_id;
	uint32_t index;			/* CPU number: position in the MADT */
	uint64_t cr3;			/* the page tables it runs on (the BSP's) */
	uint64_t stack_base;		/* lowest byte; the canary below and here */
	uint64_t stack_size;
	struct mailbox *mailbox;	/* how the BSP asks it to run commands */
	uint64_t stack_pages;		/* allocated, the padding page included */
};

/* By slot (CPU number), ap_slots() of them (allocated by ap_state_init);
 * the trampoline's parameter block points here. */
extern struct cpu_data **cpu_table;

void ap_entry(const struct cpu_data *cd);

/* Why cpu_data_build refused, or CPU_DATA_OK. */
enum cpu_data_error {
	CPU_DATA_OK,
	CPU_DATA_BAD_TARGET,		/* ap_target_check says why */
	CPU_DATA_BAD_STACK_SIZE,	/* AP_STACK_MIN (forced: AP_STACK_FORCED_MIN) to AP_STACK_MAX */
	CPU_DATA_AP_RUNNING,		/* the AP runs on it (C entry, hello or idle) */
	CPU_DATA_NO_MEMORY,
};

/* Build (or rebuild) the cpu_data of one AP: a stack of stack_size bytes
 * (AP_STACK_MIN and up: rounded up to pages; smaller ones, from
 * AP_STACK_FORCED_MIN and only when forced, are kept exact to show an
 * overflow), entry, and the BSP's CR3. New pages are zeroed; an existing
 * stack of the same size is reused as it is, never leaked. Below every
 * stack lies one padding page that nothing else uses, filled with the
 * canary, so an overflow of less than a page shows in the canary instead
 * of corrupting a neighbour. Refused while the AP runs on its cpu_data:
 * it would lose its stack to the allocator (INIT stops it first). */
enum cpu_data_error cpu_data_build(uint32_t apic_id, void (*entry)(const struct cpu_data *),
				   uint64_t stack_size, bool force, struct cpu_data **out);
struct cpu_data *cpu_data_find(uint32_t apic_id);
/* False when the canary (the padding page below the stack and the
 * stack's lowest word) was overwritten: the stack overflowed. */
bool cpu_data_stack_intact(const struct cpu_data *cd);
/* Whether an APIC ID names an AP smplab can start and follow: the one
 * check every command that names an AP goes through. */
enum ap_target_check {
	AP_TARGET_OK,
	AP_TARGET_IS_BSP,		/* the CPU running the monitor */
	AP_TARGET_NO_MADT,		/* no MADT: no processor is known */
	AP_TARGET_NOT_IN_MADT,		/* not listed as enabled */
	AP_TARGET_NO_SLOT,		/* past the TRAMP_MAX_SLOTS slots: no record */
};
enum ap_target_check ap_target_check(uint64_t apic_id);
/* The APs a target stands for: one APIC ID, or for IPI_ALL_BUT_SELF every
 * enabled AP in the MADT that has a record slot. Returns the count. */
int ap_ids_of(uint32_t target, uint32_t *ids, int max);

/* Whether a broadcast (all but self) wakes only processors smplab can
 * start and follow: it wakes every processor, listed or not. */
enum broadcast_check {
	BROADCAST_OK,
	BROADCAST_NO_MADT,		/* nothing says which processors exist */
	BROADCAST_TOO_MANY,		/* the MADT lists more CPUs than fit the table */
	BROADCAST_NO_SLOT,		/* an enabled AP has an APIC ID with no record slot */
};
/* BROADCAST_NO_SLOT also lists those APIC IDs (up to max) in *ids. */
enum broadcast_check broadcast_check(uint32_t *ids, int max, int *n);

#endif
