#include <stdbool.h>

#include "lib/string.h"
#include "mm/frames.h"
#include "mm/physmem.h"

#define LOW_MEMORY_END	0x100000ull
#define MANAGED_END	IDENTITY_MAP_END	/* frames the kernel can reach */
#define FRAME_COUNT	(MANAGED_END / PAGE_SIZE)

extern char kernel_start[], kernel_end[];

static uint64_t used[FRAME_COUNT / 64];		/* bit set = not free */
static size_t free_count;

static bool is_used(uint64_t frame)
{
	return used[frame / 64] & (1ull << (frame % 64));
}

static void set_used(uint64_t frame, bool u)
{
	if (u)
		used[frame / 64] |= 1ull << (frame % 64);
	else
		used[frame / 64] &= ~(1ull << (frame % 64));
}

void frames_init(const struct memmap *map)
{
	uint64_t kstart = (uint64_t)kernel_start, kend = (uint64_t)kernel_end;

	memset(used, 0xFF, sizeof(used));
	for (size_t i = 0; i < map->count; i++) {
		const struct mem_region *r = &map->region[i];

		if (r->type != MEM_USABLE)
			continue;
		/* Whole pages only. */
		uint64_t start = (r->base + PAGE_SIZE - 1) / PAGE_SIZE;
		uint64_t end = (r->base + r->length) / PAGE_SIZE;

		for (uint64_t f = start; f < end && f < FRAME_COUNT; f++) {
			uint64_t addr = f * PAGE_SIZE;

			if (addr < LOW_MEMORY_END || (addr >= kstart && addr < kend))
				continue;
			if (is_used(f)) {
				set_used(f, false);
				free_count++;
			}
		}
	}
}

uint64_t frames_alloc(size_t n)
{
	size_t run = 0;

	for (uint64_t f = LOW_MEMORY_END / PAGE_SIZE; f < FRAME_COUNT; f++) {
		run = is_used(f) ? 0 : run + 1;
		if (run == n) {
			uint64_t first = f + 1 - n;

			for (uint64_t g = first; g <= f; g++)
				set_used(g, true);
			free_count -= n;
			memset((void *)(first * PAGE_SIZE), 0, n * PAGE_SIZE);
			return first * PAGE_SIZE;
		}
	}
	return 0;
}

void frames_free(uint64_t paddr, size_t n)
{
	for (uint64_t f = paddr / PAGE_SIZE; n--; f++) {
		if (!is_used(f))
			continue;	/* freeing twice changes nothing */
		set_used(f, false);
		free_count++;
	}
}

size_t frames_free_count(void)
{
	return free_count;
}
