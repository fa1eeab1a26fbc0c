#include "mm/memmap.h"

struct memmap boot_memmap;

#define MB_INFO_FLAG_MMAP	(1u << 6)

/* Multiboot information offsets (Multiboot 0.6.96, section 3.3). */
struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __attribute__((packed));

/* Each entry starts with its size, which does not count the size field. */
struct multiboot_mmap_entry {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

bool memmap_from_multiboot(uint64_t mbi, struct memmap *map)
{
	const struct multiboot_info *info = (const void *)mbi;

	map->count = 0;
	if (!(info->flags & MB_INFO_FLAG_MMAP))
		return false;
	uint64_t p = info->mmap_addr, end = p + info->mmap_length;
	while (p < end && map->count < MEMMAP_MAX) {
		const struct multiboot_mmap_entry *e = (const void *)p;

		map->region[map->count++] = (struct mem_region){
			e->base, e->length, e->type };
		p += e->size + sizeof(e->size);
	}
	return true;
}

const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case 1: return "usable";
	case 2: return "reserved";
	case 3: return "ACPI reclaimable";
	case 4: return "ACPI NVS";
	case 5: return "bad RAM";
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
