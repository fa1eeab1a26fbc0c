#include "acpi/acpi.h"
#include "arch/cpu.h"
#include "dev/lapic.h"
#include "lib/string.h"
#include "mm/frames.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"
#include "smp/ipi.h"

struct cpu_data **cpu_table;	/* by slot: ap_slots() of them */

enum ap_target_check ap_target_check(uint64_t apic_id)
{
	if (apic_id == lapic_id())
		return AP_TARGET_IS_BSP;
	if (acpi.error != ACPI_OK)
		return AP_TARGET_NO_MADT;
	int index = apic_id > UINT32_MAX ? -1 : madt_find(&acpi.madt, (uint32_t)apic_id);

	if (index < 0 || !acpi.madt.cpus[index].enabled)
		return AP_TARGET_NOT_IN_MADT;
	if (!ap_slot((uint32_t)apic_id))
		return AP_TARGET_NO_SLOT;
	return AP_TARGET_OK;
}

int ap_ids_of(uint32_t target, uint32_t *ids, int max)
{
	int n = 0;

	if (target != IPI_ALL_BUT_SELF) {
		ids[0] = target;
		return 1;
	}
	for (size_t i = 0; i < acpi.madt.ncpus && n < max; i++)
		if (ap_target_check(acpi.madt.cpus[i].apic_id) == AP_TARGET_OK)
			ids[n++] = acpi.madt.cpus[i].apic_id;
	return n;
}

enum broadcast_check broadcast_check(uint32_t *ids, int max, int *n)
{
	*n = 0;
	if (acpi.error != ACPI_OK)
		return BROADCAST_NO_MADT;
	if (acpi.madt.cpus_dropped)
		return BROADCAST_TOO_MANY;
	for (size_t i = 0; i < acpi.madt.ncpus && *n < max; i++)
		if (ap_target_check(acpi.madt.cpus[i].apic_id) == AP_TARGET_NO_SLOT)
			ids[(*n)++] = acpi.madt.cpus[i].apic_id;
	return *n ? BROADCAST_NO_SLOT : BROADCAST_OK;
}

/* From its C entry on, an AP runs on the stack its cpu_data gave it. */
static bool runs_on_cpu_data(uint32_t apic_id)
{
	struct ap_view v;

	ap_view(apic_id, &v);
	return v.step == AP_SIPI_SENT && (v.stage == STAGE_C_ENTRY || v.stage == STAGE_HELLO ||
					  v.stage == STAGE_IDLE);
}

enum cpu_data_error cpu_data_build(uint32_t apic_id, void (*entry)(const struct cpu_data *),
				   uint64_t stack_size, bool force, struct cpu_data **out)
{
	if (ap_target_check(apic_id) != AP_TARGET_OK)
		return CPU_DATA_BAD_TARGET;
	int index = ap_slot_index(apic_id);

	if (stack_size < (force ? AP_STACK_FORCED_MIN : AP_STACK_MIN) || stack_size > AP_STACK_MAX)
		return CPU_DATA_BAD_STACK_SIZE;
	if (runs_on_cpu_data(apic_id))
		return CPU_DATA_AP_RUNNING;
	if (stack_size >= AP_STACK_MIN)
		stack_size = pages_for(stack_size) * PAGE_SIZE;

	struct cpu_data *cd = cpu_table[index];
	if (!cd) {
		cd = (struct cpu_data *)frames_alloc(pages_for(sizeof(*cd)));
		if (!cd)
			return CPU_DATA_NO_MEMORY;
	}
	if (cd->stack_base && cd->stack_size != stack_size) {
		frames_free(cd->stack_base - STACK_PADDING, cd->stack_pages);
		cd->stack_base = 0;
	}
	if (!cd->stack_base) {
		uint64_t pages = STACK_PADDING / PAGE_SIZE + pages_for(stack_size);
		uint64_t frames = frames_alloc(pages);

		if (!frames) {
			if (!cpu_table[index])
				frames_free((uint64_t)cd, pages_for(sizeof(*cd)));
			return CPU_DATA_NO_MEMORY;
		}
		cd->stack_base = frames + STACK_PADDING;
		cd->stack_pages = pages;
	}
	cd->stack_size = stack_size;
	cd->stack_top = cd->stack_base + stack_size;
	cd->entry = entry;
	cd->record = NULL;
	cd->apic_id = apic_id;
	cd->index = (uint32_t)index;
	cd->cr3 = read_cr3();
	cd->mailbox = &ap_slot(apic_id)->mailbox;
	memset(cd->mailbox, 0, sizeof(*cd->mailbox));
	/* The canary: the padding page and the stack's lowest word. */
	for (uint64_t *w = (uint64_t *)(cd->stack_base - STACK_PADDING);
	     w <= (uint64_t *)cd->stack_base; w++)
		*(volatile uint64_t *)w = STACK_CANARY;
	__atomic_store_n(&cpu_table[index], cd, __ATOMIC_RELEASE);
	*out = cd;
	return CPU_DATA_OK;
}

struct cpu_data *cpu_data_find(uint32_t apic_id)
{
	int index = ap_slot_index(apic_id);

	return index < 0 ? NULL : cpu_table[index];
}

bool cpu_data_stack_intact(const struct cpu_data *cd)
{
	for (const uint64_t *w = (const uint64_t *)(cd->stack_base - STACK_PADDING);
	     w <= (const uint64_t *)cd->stack_base; w++)
		if (*(const volatile uint64_t *)w != STACK_CANARY)
			return false;
	return true;
}
