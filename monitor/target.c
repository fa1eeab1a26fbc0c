#include "acpi/acpi.h"
#include "dev/lapic.h"
#include "lib/console.h"
#include "lib/string.h"
#include "monitor/monitor.h"
#include "monitor/target.h"
#include "smp/cpu_data.h"

bool parse_target(const char *word, bool allow_all, uint32_t *target)
{
	uint64_t id;

	if (allow_all && strcmp(word, "all") == 0) {
		*target = IPI_ALL_BUT_SELF;
		return true;
	}
	if (!arg_number(word, "APIC ID", &id))
		return false;
	if (id == lapic_id()) {
		kprintf("error: APIC %lu is the BSP, the CPU running this monitor\n", id);
		return false;
	}
	if (id > UINT32_MAX || madt_index_of((uint32_t)id) < 0) {
		kprintf("error: the MADT lists no enabled CPU with APIC ID %lu "
			"('cpus' shows them)\n", id);
		return false;
	}
	if (id > TRAMP_MAX_APIC_ID) {
		kprintf("error: APIC ID %lu: the trampoline has stage records for "
			"APIC IDs 0-%d only\n", id, TRAMP_MAX_APIC_ID);
		return false;
	}
	*target = (uint32_t)id;
	return true;
}
