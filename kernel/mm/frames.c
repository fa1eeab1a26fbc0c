#include <stdbool.h>

#include "lib/string.h"
#include "mm/frames.h"
#include "mm/physmem.h"

#define LOW_MEMORY_END	0x100000ull
#define MANAGED_END	IDENTITY_MAP_END	/* frames the kernel can reach */
#define FRAME_COUNT	(MANAGED_END / PAGE_SIZE)

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

/* Free frames [first, end): a whole 64-frame word of the bitmap at a
 * time where the range covers one, else frame by frame. A frame already
 * free (two map entries overlapping) is not counted twice. */
static void free_range(uint64_t first, uint64_t end)
{
	for (uint64_t f = first; f < end;) {
		if (f % 64 == 0 && f + 64 <= end) {
			uint64_t bits = used[f / 64];

			if (bits == ~0ull)
				free_count += 64;
			else
				for (; bits; bits &= bits - 1)
					free_count++;
			used[f / 64] = 0;
			f += 64;
			continue;
		}
		if (is_used(f)) {
			set_used(f, false);
			free_count++;
		}
		f++;
	}
}

void frames_init(const struct memmap *map, uint64_t image_base, uint64_t image_end)
{
	uint64_t kstart = image_base / PAGE_SIZE;
	uint64_t kend = (image_end + PAGE_SIZE - 1) / PAGE_SIZE;

	memset(used, 0xFF, sizeof(used));
	free_count = 0;
	for (size_t i = 0; i < map->count; i++) {
		const struct mem_region *r = &map->region[i];

		if (r->type != MEM_USABLE)
			continue;
		/* Whole pages only, above low memory, below FRAME_COUNT. */
		uint64_t start = (r->base + PAGE_SIZE - 1) / PAGE_SIZE;
		uint64_t end = (r->base + r->length) / PAGE_SIZE;

		if (start < LOW_MEMORY_END / PAGE_SIZE)
			start = LOW_MEMORY_END / PAGE_SIZE;
		if (end > FRAME_COUNT)
			end = FRAME_COUNT;
		/* The kernel image splits the region in two at most. */
		free_range(start, end < kstart ? end : kstart);
		free_range(start > kend ? start : kend, end);
	}
}

uint64_t frames_alloc(size_t n)
{
	size_t run = 0;

	for (uint64_t f = LOW_MEMORY_END / PAGE_SIZE; f < FRAME_COUNT; f++) {
		if (f % 64 == 0 && used[f / 64] == ~0ull) {
			f += 63;	/* a word of used frames: skip it whole */
			run = 0;
			continue;
		}
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
