/* Physical page frames: a bitmap over the identity-mapped low 4 GiB. */
#ifndef MM_FRAMES_H
#define MM_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "mm/memmap.h"

#define PAGE_SIZE 4096

/* The pages that hold bytes bytes. */
static inline size_t pages_for(uint64_t bytes)
{
	return (size_t)((bytes + PAGE_SIZE - 1) / PAGE_SIZE);
}

/* Every usable page of the map, above 1 MiB and outside the kernel
 * image [image_base, image_end), becomes free. Low memory is kept for
 * trampolines. */
void frames_init(const struct memmap *map, uint64_t image_base, uint64_t image_end);
/* n physically contiguous pages, zeroed; 0 when none are left. */
uint64_t frames_alloc(size_t n);
void frames_free(uint64_t paddr, size_t n);
size_t frames_free_count(void);

#endif
