/* Where the trampoline's per-slot arrays go (trampoline/layout.h): the
 * APIC ID table, then the stage records (aligned to their size), then the
 * early stacks, all in the trampoline's 64 KiB real-mode segment. */
#include "smp/slot_area.h"

struct tramp_geometry tramp_geometry(unsigned slots)
{
	uint32_t table = TRAMP_SLOT_AREA;
	uint32_t records = table + slots * sizeof(uint32_t);
	uint32_t align = sizeof(struct ap_record);

	records = (records + align - 1) / align * align;
	uint32_t stacks = records + slots * sizeof(struct ap_record);
	uint32_t end = stacks + slots * TRAMP_EARLY_STACK;

	return (struct tramp_geometry){ (uint16_t)table, (uint16_t)records, (uint16_t)stacks,
					(uint16_t)((end + 4095) / 4096) };
}
