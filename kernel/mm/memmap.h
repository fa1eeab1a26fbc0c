/* The physical memory map the boot loader gave us (Multiboot 0.6.96,
 * section 3.3: mmap_* fields of the boot information). */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MEMMAP_MAX 32
#define MEM_USABLE 1		/* multiboot type 1: available RAM */

struct mem_region {
	uint64_t base, length;
	uint32_t type;
};

struct memmap {
	size_t count;
	struct mem_region region[MEMMAP_MAX];
};

/* Read the map from the multiboot information at mbi (a physical
 * address, identity-mapped). Returns false when the loader gave none. */
bool memmap_from_multiboot(uint64_t mbi, struct memmap *map);
const char *mem_type_name(uint32_t type);
/* True when [base, base+length) lies entirely inside usable RAM. */
bool memmap_is_usable(const struct memmap *map, uint64_t base, uint64_t length);
uint64_t memmap_usable_bytes(const struct memmap *map);

extern struct memmap boot_memmap;

#endif
