#include "mm/memmap.h"

struct memmap boot_memmap;

void memmap_add(struct memmap *map, uint64_t base, uint64_t length, uint32_t type)
{
	struct mem_region *last = map->count ? &map->region[map->count - 1] : NULL;

	if (length == 0)
		return;
	/* Firmware maps (EFI's above all) split RAM into many runs of one
	 * type; neighbours of one type are one region to us. */
	if (last && last->type == type && last->base + last->length == base &&
	    last->length + length > last->length) {
		last->length += length;
		return;
	}
	if (map->count == MEMMAP_MAX) {
		map->dropped++;
		return;
	}
	map->region[map->count++] = (struct mem_region){ base, length, type };
}

void memmap_reserve(struct memmap *map, uint64_t base, uint64_t length)
{
	struct memmap old = *map;
	uint64_t end = base + length;

	if (length == 0 || end < base)
		return;
	map->count = 0;
	for (size_t i = 0; i < old.count; i++) {
		const struct mem_region *r = &old.region[i];
		uint64_t r_end = r->base + r->length;

		if (r_end < r->base)		/* a firmware region that wraps */
			r_end = UINT64_MAX;
		if (r->type != MEM_USABLE || end <= r->base || base >= r_end) {
			memmap_add(map, r->base, r->length, r->type);
			continue;
		}
		uint64_t cut_from = base > r->base ? base : r->base;
		uint64_t cut_to = end < r_end ? end : r_end;

		memmap_add(map, r->base, cut_from - r->base, MEM_USABLE);
		memmap_add(map, cut_from, cut_to - cut_from, MEM_RESERVED);
		memmap_add(map, cut_to, r_end - cut_to, MEM_USABLE);
	}
}

const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return "usable";
	case MEM_RESERVED: return "reserved";
	case MEM_ACPI_RECLAIMABLE: return "ACPI reclaimable";
	case MEM_ACPI_NVS: return "ACPI NVS";
	case MEM_BAD: return "bad RAM";
	default: return "unknown";
	}
}

bool memmap_is_usable(const struct memmap *map, uint64_t base, uint64_t length)
{
	for (size_t i = 0; i < map->count; i++) {
		const struct mem_region *r = &map->region[i];

		/* Compare lengths, not ends: base + length may wrap past 2^64. */
		if (r->type == MEM_USABLE && base >= r->base &&
		    base - r->base <= r->length &&
		    length <= r->length - (base - r->base))
			return true;
	}
	return false;
}

uint64_t memmap_usable_bytes(const struct memmap *map)
{
	uint64_t total = 0;

	for (size_t i = 0; i < map->count; i++)
		if (map->region[i].type == MEM_USABLE)
			total += map->region[i].length;
	return total;
}
