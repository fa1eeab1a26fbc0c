/* Physical memory as the kernel reaches it: entry.asm maps the low 4 GiB
 * 1:1 (2 MiB pages), and nothing above. Every reader of physical memory
 * goes through here, so the limit is named once. */
#ifndef MM_PHYSMEM_H
#define MM_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 4 GiB: what 32-bit code can address, so also where an AP's CR3 must
 * lie (it is loaded before long mode), and where the identity map ends. */
#define FOUR_GIB		0x100000000ull
#define IDENTITY_MAP_END	FOUR_GIB

/* Copy len bytes at physical address paddr to buf; false when any of
 * them lies past the identity map. (The shape of acpi_read_fn.) */
bool phys_read(void *ctx, uint64_t paddr, void *buf, size_t len);

/* One aligned 8-byte page-table entry at paddr (the shape of the page
 * walker's read callback); false when unaligned or not mapped. */
bool phys_read_entry(void *ctx, uint64_t paddr, uint64_t *value);

#endif
