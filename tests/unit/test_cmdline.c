/* Unit tests for kernel/boot/cmdline.c and kernel/mm/memmap.c's memmap_reserve and
 * memmap_add: the kernel command line's reserve=BASE+LENGTH, which marks part of the
 * firmware's memory map reserved, as a firmware that keeps low memory for itself would. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "boot/bootinfo.h"
#include "boot/cmdline.h"
#include "mm/memmap.h"

/* What the report callback was told, in order. */
#define MAX_REPORTS 200
static struct {
	char word[2 * BOOT_CMDLINE_MAX];
	enum cmdline_verdict verdict;
} reports[MAX_REPORTS];
static size_t nreports;

static void record(const char *word, enum cmdline_verdict v)
{
	assert_true(nreports < MAX_REPORTS);
	assert_true(strlen(word) < sizeof(reports[0].word));
	strcpy(reports[nreports].word, word);
	reports[nreports].verdict = v;
	nreports++;
}

static void assert_report(size_t i, const char *word, enum cmdline_verdict v)
{
	assert_true(i < nreports);
	assert_string_equal(reports[i].word, word);
	assert_int_equal(reports[i].verdict, v);
}

static int setup(void **state)
{
	(void)state;
	memset(reports, 0, sizeof(reports));
	nreports = 0;
	return 0;
}

/* QEMU's map for -m 128M below the PCI hole, as `mem` prints it. */
static void qemu_128m(struct memmap *map)
{
	memset(map, 0, sizeof(*map));
	memmap_add(map, 0x0, 0x9fc00, MEM_USABLE);
	memmap_add(map, 0x9fc00, 0x400, MEM_RESERVED);
	memmap_add(map, 0xf0000, 0x10000, MEM_RESERVED);
	memmap_add(map, 0x100000, 0x7ee0000, MEM_USABLE);
	memmap_add(map, 0x7fe0000, 0x20000, MEM_RESERVED);
	assert_int_equal(map->count, 5);
}

static void assert_region(const struct memmap *map, size_t i, uint64_t base,
			  uint64_t length, uint32_t type)
{
	assert_true(i < map->count);
	assert_int_equal(map->region[i].base, base);
	assert_int_equal(map->region[i].length, length);
	assert_int_equal(map->region[i].type, type);
}

/* Field by field: struct assignment need not copy the padding memcmp would see. */
static void assert_same_map(const struct memmap *a, const struct memmap *b)
{
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->dropped, b->dropped);
	for (size_t i = 0; i < a->count; i++)
		assert_region(a, i, b->region[i].base, b->region[i].length, b->region[i].type);
}

/* memmap_add */

/* A line that fitted the boot information's copy. */
static void cmdline_apply_uncut(const char *cmdline, struct memmap *map, cmdline_report_fn report)
{
	cmdline_apply(cmdline, false, map, report);
}

static void test_add_merges_continuation_of_same_type(void **state)
{
	struct memmap map = { 0 };

	(void)state;
	memmap_add(&map, 0x0, 0x1000, MEM_USABLE);
	memmap_add(&map, 0x1000, 0x2000, MEM_USABLE);		/* continues: merged */
	memmap_add(&map, 0x3000, 0x1000, MEM_RESERVED);	/* other type: new */
	memmap_add(&map, 0x4000, 0x1000, MEM_RESERVED);	/* continues: merged */
	memmap_add(&map, 0x6000, 0x1000, MEM_RESERVED);	/* a gap: new */
	memmap_add(&map, 0x7000, 0, MEM_USABLE);		/* empty: dropped */
	memmap_add(&map, 0x7000, 0x1000, MEM_ACPI_NVS);
	assert_int_equal(map.count, 4);
	assert_region(&map, 0, 0x0, 0x3000, MEM_USABLE);
	assert_region(&map, 1, 0x3000, 0x2000, MEM_RESERVED);
	assert_region(&map, 2, 0x6000, 0x1000, MEM_RESERVED);
	assert_region(&map, 3, 0x7000, 0x1000, MEM_ACPI_NVS);
	assert_int_equal(map.dropped, 0);
}

static void test_add_counts_what_does_not_fit(void **state)
{
	struct memmap map = { 0 };

	(void)state;
	for (unsigned i = 0; i < MEMMAP_MAX + 3; i++)
		memmap_add(&map, (uint64_t)i << 20, 1 << 20, i % 2 ? MEM_RESERVED : MEM_USABLE);
	assert_int_equal(map.count, MEMMAP_MAX);
	assert_int_equal(map.dropped, 3);
	/* A continuation of the last region still merges into it when the table is full. */
	memmap_add(&map, (uint64_t)MEMMAP_MAX << 20, 0x1000,
		   map.region[MEMMAP_MAX - 1].type);
	assert_int_equal(map.dropped, 3);
	assert_int_equal(map.region[MEMMAP_MAX - 1].length, (1 << 20) + 0x1000);
}

/* memmap_reserve */

static void test_reserve_inside_usable_splits_in_three(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	memmap_reserve(&map, 0x8000, 0x3000);
	assert_int_equal(map.count, 7);
	assert_region(&map, 0, 0x0, 0x8000, MEM_USABLE);
	assert_region(&map, 1, 0x8000, 0x3000, MEM_RESERVED);
	assert_region(&map, 2, 0xb000, 0x9fc00 - 0xb000, MEM_USABLE);
	assert_region(&map, 3, 0x9fc00, 0x400, MEM_RESERVED);
	assert_region(&map, 4, 0xf0000, 0x10000, MEM_RESERVED);
	assert_region(&map, 5, 0x100000, 0x7ee0000, MEM_USABLE);
	assert_region(&map, 6, 0x7fe0000, 0x20000, MEM_RESERVED);
	assert_int_equal(memmap_usable_bytes(&map), 0x9fc00 + 0x7ee0000 - 0x3000);
	assert_int_equal(map.dropped, 0);
}

static void test_reserve_one_byte(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	memmap_reserve(&map, 0x12345, 1);
	assert_int_equal(map.count, 7);
	assert_region(&map, 0, 0x0, 0x12345, MEM_USABLE);
	assert_region(&map, 1, 0x12345, 1, MEM_RESERVED);
	assert_region(&map, 2, 0x12346, 0x9fc00 - 0x12346, MEM_USABLE);
	assert_false(memmap_is_usable(&map, 0x12000, 0x1000));
	assert_true(memmap_is_usable(&map, 0x11000, 0x1000));
	assert_true(memmap_is_usable(&map, 0x13000, 0x1000));
}

/* From the last 4 KiB below the EBDA to the first 4 KiB above 1 MiB: the cut ends of
 * both usable regions join the reserved regions they touch. */
static void test_reserve_spanning_two_usable_and_a_hole(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	memmap_reserve(&map, 0x9f000, 0x101000 - 0x9f000);
	assert_int_equal(map.count, 5);
	assert_region(&map, 0, 0x0, 0x9f000, MEM_USABLE);
	assert_region(&map, 1, 0x9f000, 0x1000, MEM_RESERVED);	/* + the EBDA */
	assert_region(&map, 2, 0xf0000, 0x11000, MEM_RESERVED);	/* BIOS + 4 KiB */
	assert_region(&map, 3, 0x101000, 0x7ee0000 - 0x1000, MEM_USABLE);
	assert_region(&map, 4, 0x7fe0000, 0x20000, MEM_RESERVED);
	assert_int_equal(memmap_usable_bytes(&map), 0x9f000 + 0x7ee0000 - 0x1000);
}

/* Two usable regions either side of a reserved page, all touching. */
static void test_reserve_across_a_reserved_page(void **state)
{
	struct memmap map = { 0 };

	(void)state;
	memmap_add(&map, 0x0, 0x10000, MEM_USABLE);
	memmap_add(&map, 0x10000, 0x1000, MEM_RESERVED);
	memmap_add(&map, 0x11000, 0xf000, MEM_USABLE);
	memmap_reserve(&map, 0xf000, 0x3000);
	assert_int_equal(map.count, 3);
	assert_region(&map, 0, 0x0, 0xf000, MEM_USABLE);
	assert_region(&map, 1, 0xf000, 0x3000, MEM_RESERVED);
	assert_region(&map, 2, 0x12000, 0xe000, MEM_USABLE);
}

static void test_reserve_at_start_of_region(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	memmap_reserve(&map, 0x0, 0x1000);
	assert_int_equal(map.count, 6);
	assert_region(&map, 0, 0x0, 0x1000, MEM_RESERVED);
	assert_region(&map, 1, 0x1000, 0x9fc00 - 0x1000, MEM_USABLE);
	assert_region(&map, 2, 0x9fc00, 0x400, MEM_RESERVED);
	assert_false(memmap_is_usable(&map, 0x0, 0x1000));
	assert_true(memmap_is_usable(&map, 0x1000, 0x1000));
}

static void test_reserve_at_end_of_region(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	/* The last 4 KiB of RAM below the PCI hole, up to the reserved top region. */
	memmap_reserve(&map, 0x7fdf000, 0x1000);
	assert_int_equal(map.count, 5);
	assert_region(&map, 3, 0x100000, 0x7ee0000 - 0x1000, MEM_USABLE);
	assert_region(&map, 4, 0x7fdf000, 0x21000, MEM_RESERVED);
	assert_true(memmap_is_usable(&map, 0x7fde000, 0x1000));
	assert_false(memmap_is_usable(&map, 0x7fdf000, 0x1000));
}

static void test_reserve_whole_region(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	memmap_reserve(&map, 0x0, 0x9fc00);
	assert_int_equal(map.count, 4);
	assert_region(&map, 0, 0x0, 0xa0000, MEM_RESERVED);
	assert_region(&map, 1, 0xf0000, 0x10000, MEM_RESERVED);
	assert_int_equal(memmap_usable_bytes(&map), 0x7ee0000);
}

static void test_reserve_over_non_usable_changes_nothing(void **state)
{
	struct memmap map, before;

	(void)state;
	qemu_128m(&map);
	qemu_128m(&before);
	memmap_reserve(&map, 0xf0000, 0x10000);	/* the BIOS area: already reserved */
	assert_same_map(&map, &before);
	memmap_reserve(&map, 0x9fc00, 0x400);		/* the EBDA */
	assert_same_map(&map, &before);
	memmap_reserve(&map, 0xa0000, 0x50000);	/* the hole: in no region */
	assert_same_map(&map, &before);
	memmap_reserve(&map, 0x8000000, 0x1000000);	/* above the RAM */
	assert_same_map(&map, &before);
}

/* ACPI tables, ACPI NVS and bad RAM keep their type: only usable RAM becomes reserved. */
static void test_reserve_keeps_other_types(void **state)
{
	struct memmap map = { 0 };

	(void)state;
	memmap_add(&map, 0x0, 0x10000, MEM_USABLE);
	memmap_add(&map, 0x10000, 0x1000, MEM_ACPI_RECLAIMABLE);
	memmap_add(&map, 0x11000, 0xf000, MEM_USABLE);
	memmap_add(&map, 0x20000, 0x1000, MEM_ACPI_NVS);
	memmap_add(&map, 0x21000, 0x1000, MEM_BAD);
	memmap_reserve(&map, 0xf000, 0x22000 - 0xf000);
	assert_int_equal(map.count, 6);
	assert_region(&map, 0, 0x0, 0xf000, MEM_USABLE);
	assert_region(&map, 1, 0xf000, 0x1000, MEM_RESERVED);
	assert_region(&map, 2, 0x10000, 0x1000, MEM_ACPI_RECLAIMABLE);
	assert_region(&map, 3, 0x11000, 0xf000, MEM_RESERVED);
	assert_region(&map, 4, 0x20000, 0x1000, MEM_ACPI_NVS);
	assert_region(&map, 5, 0x21000, 0x1000, MEM_BAD);
}

static void test_reserve_empty_or_wrapping_does_nothing(void **state)
{
	struct memmap map, before;

	(void)state;
	qemu_128m(&map);
	qemu_128m(&before);
	memmap_reserve(&map, 0x8000, 0);
	assert_same_map(&map, &before);
	memmap_reserve(&map, 0x1000, UINT64_MAX);		/* past 2^64 */
	assert_same_map(&map, &before);
	memmap_reserve(&map, UINT64_MAX - 0xff, 0x200);
	assert_same_map(&map, &before);
}

/* Splitting a region in three needs two more entries; what does not fit is counted. */
static void test_reserve_in_a_full_table(void **state)
{
	struct memmap map = { 0 };

	(void)state;
	for (unsigned i = 0; i < MEMMAP_MAX; i++)
		memmap_add(&map, (uint64_t)i << 20, 1 << 20, i % 2 ? MEM_RESERVED : MEM_USABLE);
	assert_int_equal(map.count, MEMMAP_MAX);
	memmap_reserve(&map, 0x8000, 0x3000);
	assert_int_equal(map.count, MEMMAP_MAX);
	assert_int_equal(map.dropped, 2);
	assert_region(&map, 0, 0x0, 0x8000, MEM_USABLE);
	assert_region(&map, 1, 0x8000, 0x3000, MEM_RESERVED);
	assert_region(&map, 2, 0xb000, 0x100000 - 0xb000, MEM_USABLE);
	assert_false(memmap_is_usable(&map, 0x8000, 0x1000));
}

/* cmdline_apply */

static void test_cmdline_qemu_example(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	assert_true(memmap_is_usable(&map, 0x8000, 0x3000));
	cmdline_apply_uncut("build/smplab32.elf reserve=0x8000+0x3000", &map, record);
	assert_int_equal(nreports, 1);
	assert_report(0, "reserve=0x8000+0x3000", CMDLINE_APPLIED);
	assert_false(memmap_is_usable(&map, 0x8000, 0x3000));
	assert_false(memmap_is_usable(&map, 0xa000, 0x1000));
	assert_true(memmap_is_usable(&map, 0xb000, 0x3000));
	assert_true(memmap_is_usable(&map, 0x7000, 0x1000));
	assert_int_equal(map.count, 7);
	assert_region(&map, 1, 0x8000, 0x3000, MEM_RESERVED);
}

static void test_cmdline_decimal_numbers(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	cmdline_apply_uncut("reserve=32768+12288", &map, record);
	assert_int_equal(nreports, 1);
	assert_report(0, "reserve=32768+12288", CMDLINE_APPLIED);
	assert_region(&map, 1, 0x8000, 0x3000, MEM_RESERVED);
}

static void test_cmdline_several_options_in_order(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	/* The second overlaps the first: it only adds 0xb000-0xd000. */
	cmdline_apply_uncut("/boot/smplab.elf reserve=0x8000+0x3000 x=1\treserve=0x9000+0x4000 "
		      "reserve=0x200000+0x1000", &map, record);
	assert_int_equal(nreports, 4);
	assert_report(0, "reserve=0x8000+0x3000", CMDLINE_APPLIED);
	assert_report(1, "x=1", CMDLINE_UNKNOWN);
	assert_report(2, "reserve=0x9000+0x4000", CMDLINE_APPLIED);
	assert_report(3, "reserve=0x200000+0x1000", CMDLINE_APPLIED);
	assert_int_equal(map.count, 9);
	assert_region(&map, 0, 0x0, 0x8000, MEM_USABLE);
	assert_region(&map, 1, 0x8000, 0x5000, MEM_RESERVED);
	assert_region(&map, 2, 0xd000, 0x9fc00 - 0xd000, MEM_USABLE);
	assert_region(&map, 5, 0x100000, 0x100000, MEM_USABLE);
	assert_region(&map, 6, 0x200000, 0x1000, MEM_RESERVED);
	assert_region(&map, 7, 0x201000, 0x8000000 - 0x20000 - 0x201000, MEM_USABLE);
	assert_region(&map, 8, 0x7fe0000, 0x20000, MEM_RESERVED);
}

static void test_cmdline_malformed_reported_map_untouched(void **state)
{
	static const char *const words[] = {
		"reserve=",				/* nothing */
		"reserve=0x8000",			/* no '+' */
		"reserve=0x8000+",			/* no length */
		"reserve=+0x3000",			/* no base */
		"reserve=0x80g0+0x3000",		/* bad digit */
		"reserve=0x8000+0x3000k",		/* trailing junk */
		"reserve=0x8000+0x1000+0x1000",		/* two '+' */
		"reserve=-1+0x1000",			/* a sign */
		"reserve=0x8000+0",			/* zero length */
		"reserve=0x8000+0x0",
		"reserve=0xffffffffffffff00+0x200",	/* base + length past 2^64 */
		"reserve=0x1000+0xffffffffffffffff",
		"reserve=18446744073709551616+1",	/* 2^64: not a u64 */
	};
	struct memmap map, before;

	(void)state;
	qemu_128m(&before);
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		char line[80] = "kernel ";

		strcat(line, words[i]);
		qemu_128m(&map);
		nreports = 0;
		cmdline_apply_uncut(line, &map, record);
		assert_int_equal(nreports, 1);
		assert_report(0, words[i], CMDLINE_MALFORMED);
		assert_same_map(&map, &before);
	}
}

static void test_cmdline_unknown_reported_map_untouched(void **state)
{
	struct memmap map, before;

	(void)state;
	qemu_128m(&map);
	qemu_128m(&before);
	cmdline_apply_uncut("console=ttyS0 reserved=0x8000+0x3000 Reserve=0x8000+0x3000 "
		      "=0x8000+0x3000 = reserve_x=1", &map, record);
	assert_int_equal(nreports, 6);
	assert_report(0, "console=ttyS0", CMDLINE_UNKNOWN);
	assert_report(1, "reserved=0x8000+0x3000", CMDLINE_UNKNOWN);
	assert_report(2, "Reserve=0x8000+0x3000", CMDLINE_UNKNOWN);
	assert_report(3, "=0x8000+0x3000", CMDLINE_UNKNOWN);
	assert_report(4, "=", CMDLINE_UNKNOWN);
	assert_report(5, "reserve_x=1", CMDLINE_UNKNOWN);
	assert_same_map(&map, &before);
}

static void test_cmdline_plain_words_never_reported(void **state)
{
	struct memmap map, before;

	(void)state;
	qemu_128m(&map);
	qemu_128m(&before);
	cmdline_apply_uncut("", &map, record);
	cmdline_apply_uncut("  \t ", &map, record);
	cmdline_apply_uncut("/boot/smplab.elf reserve 0x8000+0x3000 quiet -- +", &map, record);
	assert_int_equal(nreports, 0);
	assert_same_map(&map, &before);
}

/* One call per option word, and the word as typed, between plain words. */
static void test_cmdline_one_report_per_option_word(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	cmdline_apply_uncut("a b=1 c reserve=0x8000+0x3000 d reserve=1 e reserve=0x8000+0x3000",
		      &map, record);
	assert_int_equal(nreports, 4);
	assert_report(0, "b=1", CMDLINE_UNKNOWN);
	assert_report(1, "reserve=0x8000+0x3000", CMDLINE_APPLIED);
	assert_report(2, "reserve=1", CMDLINE_MALFORMED);
	/* Reserving again what is reserved applies and changes nothing. */
	assert_report(3, "reserve=0x8000+0x3000", CMDLINE_APPLIED);
	assert_int_equal(map.count, 7);
}

/* The line is cut at BOOT_CMDLINE_MAX - 1 characters, like the boot information's
 * copy; what lies beyond is not read. ASan checks the buffers. */
static void test_cmdline_overlong_is_cut(void **state)
{
	char line[4 * BOOT_CMDLINE_MAX];
	struct memmap map, before;

	(void)state;
	qemu_128m(&before);

	/* An option after the cut is not seen. */
	qemu_128m(&map);
	memset(line, 'x', sizeof(line));
	strcpy(line + 2 * BOOT_CMDLINE_MAX, " reserve=0x8000+0x3000");
	cmdline_apply_uncut(line, &map, record);
	assert_int_equal(nreports, 0);
	assert_same_map(&map, &before);

	/* One long option word: reported once, cut to the limit. */
	memset(line, '1', sizeof(line));
	line[sizeof(line) - 1] = '\0';
	memcpy(line, "reserve=", 8);
	cmdline_apply_uncut(line, &map, record);
	assert_int_equal(nreports, 1);
	assert_int_equal(strlen(reports[0].word), BOOT_CMDLINE_MAX - 1);
	assert_memory_equal(reports[0].word, line, BOOT_CMDLINE_MAX - 1);
	assert_int_equal(reports[0].verdict, CMDLINE_MALFORMED);
	assert_same_map(&map, &before);

	memcpy(line, "foo=", 4);
	nreports = 0;
	cmdline_apply_uncut(line, &map, record);
	assert_int_equal(nreports, 1);
	assert_int_equal(strlen(reports[0].word), BOOT_CMDLINE_MAX - 1);
	assert_int_equal(reports[0].verdict, CMDLINE_UNKNOWN);
}

/* Lines of BOOT_CMDLINE_MAX - 1, BOOT_CMDLINE_MAX and BOOT_CMDLINE_MAX + 1
 * characters: the copy and its terminator stay inside the buffer (ASan). */
static void test_cmdline_lengths_around_the_limit(void **state)
{
	static const char option[] = "reserve=0x8000+0x3000 ";
	char line[BOOT_CMDLINE_MAX + 2];

	(void)state;
	for (size_t len = BOOT_CMDLINE_MAX - 1; len <= BOOT_CMDLINE_MAX + 1; len++) {
		struct memmap map;

		qemu_128m(&map);
		memset(line, 'y', len);
		memcpy(line, option, sizeof(option) - 1);
		line[len] = '\0';
		nreports = 0;
		cmdline_apply_uncut(line, &map, record);
		assert_int_equal(nreports, 1);
		assert_report(0, "reserve=0x8000+0x3000", CMDLINE_APPLIED);
		assert_region(&map, 1, 0x8000, 0x3000, MEM_RESERVED);
	}
}

/* As many words as the cut line can hold: one-character words "=", all options. */
static void test_cmdline_most_words(void **state)
{
	char line[4 * BOOT_CMDLINE_MAX];
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	for (size_t i = 0; i + 1 < sizeof(line); i += 2) {
		line[i] = '=';
		line[i + 1] = ' ';
	}
	line[sizeof(line) - 1] = '\0';
	cmdline_apply_uncut(line, &map, record);
	/* BOOT_CMDLINE_MAX - 1 characters: "= " repeated, ending on a "=". */
	assert_int_equal(nreports, BOOT_CMDLINE_MAX / 2);
	for (size_t i = 0; i < nreports; i++)
		assert_report(i, "=", CMDLINE_UNKNOWN);

	/* "a=1 " repeated: 31 whole words and a last "a=1" in 127 characters. */
	nreports = 0;
	for (size_t i = 0; i + 3 < sizeof(line); i += 4)
		memcpy(line + i, "a=1 ", 4);
	line[sizeof(line) - 1] = '\0';
	cmdline_apply_uncut(line, &map, record);
	assert_int_equal(nreports, (BOOT_CMDLINE_MAX - 1 + 1) / 4);
}

/* A line the loader's copy cut: its last word may be partial, so it is not
 * applied (reserve=0x8000+0x3000 cut to reserve=0x8000+0x300 would be). */
static void test_cut_line_last_word_ignored(void **state)
{
	struct memmap map;

	(void)state;
	qemu_128m(&map);
	cmdline_apply("k reserve=0x1000+0x1000 reserve=0x8000+0x300", true, &map, record);
	assert_int_equal(nreports, 2);
	assert_report(0, "reserve=0x1000+0x1000", CMDLINE_APPLIED);
	assert_report(1, "reserve=0x8000+0x300", CMDLINE_CUT);
	assert_true(memmap_is_usable(&map, 0x8000, 0x3000));
	assert_false(memmap_is_usable(&map, 0x1000, 0x1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_cut_line_last_word_ignored, setup),
		cmocka_unit_test(test_add_merges_continuation_of_same_type),
		cmocka_unit_test(test_add_counts_what_does_not_fit),
		cmocka_unit_test(test_reserve_inside_usable_splits_in_three),
		cmocka_unit_test(test_reserve_one_byte),
		cmocka_unit_test(test_reserve_spanning_two_usable_and_a_hole),
		cmocka_unit_test(test_reserve_across_a_reserved_page),
		cmocka_unit_test(test_reserve_at_start_of_region),
		cmocka_unit_test(test_reserve_at_end_of_region),
		cmocka_unit_test(test_reserve_whole_region),
		cmocka_unit_test(test_reserve_over_non_usable_changes_nothing),
		cmocka_unit_test(test_reserve_keeps_other_types),
		cmocka_unit_test(test_reserve_empty_or_wrapping_does_nothing),
		cmocka_unit_test(test_reserve_in_a_full_table),
		cmocka_unit_test_setup(test_cmdline_qemu_example, setup),
		cmocka_unit_test_setup(test_cmdline_decimal_numbers, setup),
		cmocka_unit_test_setup(test_cmdline_several_options_in_order, setup),
		cmocka_unit_test_setup(test_cmdline_malformed_reported_map_untouched, setup),
		cmocka_unit_test_setup(test_cmdline_unknown_reported_map_untouched, setup),
		cmocka_unit_test_setup(test_cmdline_plain_words_never_reported, setup),
		cmocka_unit_test_setup(test_cmdline_one_report_per_option_word, setup),
		cmocka_unit_test_setup(test_cmdline_overlong_is_cut, setup),
		cmocka_unit_test_setup(test_cmdline_lengths_around_the_limit, setup),
		cmocka_unit_test_setup(test_cmdline_most_words, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
