/* Unit tests for kernel/mm/frames.c: which frames frames_init frees, and how
 * many, checked against a frame-by-frame count of the same rules (usable,
 * whole pages, at or above 1 MiB, below 4 GiB, outside the kernel image). */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "mm/frames.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static void add(struct memmap *m, uint64_t base, uint64_t length, uint32_t type)
{
	m->region[m->count++] = (struct mem_region){ .base = base, .length = length,
						     .type = type };
}

/* The rules, one frame at a time. */
static size_t expected_free(const struct memmap *m, uint64_t image_base, uint64_t image_end)
{
	size_t n = 0;

	for (uint64_t f = MiB / PAGE_SIZE; f < 4 * GiB / PAGE_SIZE; f++) {
		uint64_t a = f * PAGE_SIZE;
		bool usable = false;

		if (a + PAGE_SIZE > image_base && a < image_end)
			continue;
		for (size_t i = 0; i < m->count && !usable; i++)
			usable = m->region[i].type == MEM_USABLE && a >= m->region[i].base &&
				 a + PAGE_SIZE <= m->region[i].base + m->region[i].length;
		n += usable;
	}
	return n;
}

static void check(const struct memmap *m, uint64_t image_base, uint64_t image_end)
{
	frames_init(m, image_base, image_end);
	assert_int_equal(frames_free_count(), expected_free(m, image_base, image_end));
}

/* QEMU's 128 MiB map with the kernel at 1 MiB. */
static void test_qemu_map(void **state)
{
	struct memmap m = { 0 };

	(void)state;
	add(&m, 0, 0x9fc00, MEM_USABLE);
	add(&m, 0x9fc00, 0x400, MEM_RESERVED);
	add(&m, 0xf0000, 0x10000, MEM_RESERVED);
	add(&m, MiB, 128 * MiB - MiB - 0x20000, MEM_USABLE);
	add(&m, 128 * MiB - 0x20000, 0x20000, MEM_RESERVED);
	add(&m, 0xfffc0000, 0x40000, MEM_RESERVED);
	check(&m, MiB, MiB + 0x52345);
}

/* Edges that are not on 64-frame words or pages, a kernel image in the middle
 * of a region, overlapping usable regions, a region past 4 GiB, and a
 * reserved region inside a usable one (the map reports both). */
static void test_ragged_edges(void **state)
{
	struct memmap m = { 0 };

	(void)state;
	add(&m, MiB + 0x800, 3 * MiB + 0x1234, MEM_USABLE);
	add(&m, 2 * MiB + 37 * PAGE_SIZE, 130 * PAGE_SIZE + 5, MEM_USABLE);
	add(&m, 9 * MiB, 200 * MiB, MEM_USABLE);
	add(&m, 40 * MiB, 64 * PAGE_SIZE, MEM_RESERVED);
	add(&m, 4 * GiB - 3 * PAGE_SIZE, 8 * GiB, MEM_USABLE);
	add(&m, 0x500, 0x1000, MEM_USABLE);
	check(&m, 12 * MiB + 0x80, 13 * MiB + 65 * PAGE_SIZE + 1);
}

/* Freed frames count once; frames_init again starts from scratch. */
static void test_free_and_again(void **state)
{
	struct memmap m = { 0 };

	(void)state;
	add(&m, 2 * MiB, 2 * MiB, MEM_USABLE);
	check(&m, MiB, 2 * MiB);
	size_t before = frames_free_count();

	frames_free(2 * MiB, 4);	/* already free: nothing changes */
	assert_int_equal(frames_free_count(), before);
	frames_free(MiB, 2);		/* the kernel's own frames */
	assert_int_equal(frames_free_count(), before + 2);
	frames_free(MiB, 2);
	assert_int_equal(frames_free_count(), before + 2);
	check(&m, MiB, 2 * MiB);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_map),
		cmocka_unit_test(test_ragged_edges),
		cmocka_unit_test(test_free_and_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
