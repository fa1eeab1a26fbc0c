/* The physical memory map the boot loader gave us, in multiboot's types
 * (Multiboot 0.6.96 section 3.3; Multiboot2 2.0 section 3.6.8). */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEMMAP_MAX 64
#define MEM_USABLE 1		/* multiboot type 1: available RAM */
#define MEM_RESERVED 2
#define MEM_ACPI_RECLAIMABLE 3
#define MEM_ACPI_NVS 4
#define MEM_BAD 5

struct mem_region {
	uint64_t base, length;
	uint32_t type;
};

struct memmap {
	size_t count;
	struct mem_region region[MEMMAP_MAX];
	size_t dropped;		/* regions that did not fit */
};

/* Append a region; one that continues the last region with the same
 * type extends it. A zero length adds nothing. */
void memmap_add(struct memmap *map, uint64_t base, uint64_t length, uint32_t type);
/* Mark [base, base+length) reserved where the map says usable, as if the
 * firmware kept it (the kernel command line's reserve=). */
void memmap_reserve(struct memmap *map, uint64_t base, uint64_t length);
const char *mem_type_name(uint32_t type);
/* True when [base, base+length) lies entirely inside usable RAM. */
bool memmap_is_usable(const struct memmap *map, uint64_t base, uint64_t length);
uint64_t memmap_usable_bytes(const struct memmap *map);

extern struct memmap boot_memmap;

#endif
