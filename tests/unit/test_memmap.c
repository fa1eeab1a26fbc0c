/* Unit tests for kernel/mm/memmap.c and kernel/boot/multiboot1.c: the multiboot
 * memory map, read from a fake multiboot information block in a host buffer
 * (Multiboot 0.6.96, section 3.3). */
#define _GNU_SOURCE		/* MAP_32BIT */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "boot/bootinfo.h"
#include "mm/memmap.h"

#define MB_FLAG_MEM	(1u << 0)
#define MB_FLAG_CMDLINE	(1u << 2)
#define MB_FLAG_MMAP	(1u << 6)
#define MB_FLAG_LOADER	(1u << 9)
#define MBI_FLAGS	0	/* offsets in the boot information */
#define MBI_CMDLINE	16
#define MBI_LOADER_NAME	64
#define MBI_MMAP_LENGTH	44
#define MBI_MMAP_ADDR	48
#define MBI_SIZE	52
#define ENTRY_SIZE	24	/* size field + base + length + type */

/* Boot information followed by the map. mmap_addr is a 32-bit field, so the buffer
 * must lie below 4 GiB: mmap it with MAP_32BIT (Linux x86-64: the low 2 GiB). */
#define MEM_SIZE 4096
static uint8_t *mem;
static size_t map_len;

static void put32(size_t off, uint32_t v)
{
	memcpy(mem + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
	memcpy(mem + off, &v, 8);
}

/* Append an entry with the given size field (20 for a plain entry; the loader may
 * use larger ones, and the next entry starts size + 4 bytes later). */
static void add_entry_sized(uint32_t size, uint64_t base, uint64_t length, uint32_t type)
{
	size_t off = MBI_SIZE + map_len;

	memset(mem + off, 0xEE, size + 4);
	put32(off, size);
	put64(off + 4, base);
	put64(off + 12, length);
	put32(off + 20, type);
	map_len += size + 4;
	put32(MBI_MMAP_LENGTH, (uint32_t)map_len);
}

static void add_entry(uint64_t base, uint64_t length, uint32_t type)
{
	add_entry_sized(ENTRY_SIZE - 4, base, length, type);
}

static int group_setup(void **state)
{
	void *p = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	(void)state;
	if (p == MAP_FAILED)
		return -1;
	mem = p;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	return munmap(mem, MEM_SIZE);
}

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, MEM_SIZE);
	map_len = 0;
	put32(MBI_FLAGS, MB_FLAG_MEM | MB_FLAG_MMAP);
	/* mmap_addr is a 32-bit field; point it at the bytes after the header. The
	 * kernel reads it as an address, so here it must be the host address. */
	if ((uintptr_t)(mem + MBI_SIZE) > UINT32_MAX)
		return -1;
	put32(MBI_MMAP_ADDR, (uint32_t)(uintptr_t)(mem + MBI_SIZE));
	return 0;
}

static uint64_t mbi(void)
{
	return (uint64_t)(uintptr_t)mem;
}

/* Read the fake information; true when it had a memory map. */
static bool read_map(struct memmap *map)
{
	struct boot_info info;

	multiboot1_read(mbi(), &info, map);
	assert_int_equal(info.protocol, BOOT_MULTIBOOT1);
	return info.map_source == MAP_MULTIBOOT;
}

/* QEMU's map for -m 128M, as `mem` prints it. */
static void add_qemu_128m(void)
{
	add_entry(0x0, 0x9fc00, 1);
	add_entry(0x9fc00, 0x400, 2);
	add_entry(0xf0000, 0x10000, 2);
	add_entry(0x100000, 0x7ee0000, 1);
	add_entry(0x7fe0000, 0x20000, 2);
	add_entry(0xfffc0000, 0x40000, 2);
	add_entry(0xfd00000000ull, 0x300000000ull, 2);
}

static void test_reads_qemu_map(void **state)
{
	struct memmap map;

	(void)state;
	add_qemu_128m();
	assert_true(read_map(&map));
	assert_int_equal(map.count, 7);
	assert_int_equal(map.region[0].base, 0);
	assert_int_equal(map.region[0].length, 0x9fc00);
	assert_int_equal(map.region[0].type, MEM_USABLE);
	assert_int_equal(map.region[3].base, 0x100000);
	assert_int_equal(map.region[3].length, 0x7ee0000);
	assert_int_equal(map.region[6].base, 0xfd00000000ull);
	assert_int_equal(map.region[6].length, 0x300000000ull);
	assert_int_equal(map.region[6].type, 2);
	assert_int_equal(memmap_usable_bytes(&map), 0x9fc00 + 0x7ee0000);
}

static void test_no_map_flag(void **state)
{
	struct memmap map = { .count = 5 };

	(void)state;
	add_qemu_128m();
	put32(MBI_FLAGS, MB_FLAG_MEM);		/* mem_lower/upper only */
	assert_false(read_map(&map));
	assert_int_equal(map.count, 0);
	assert_int_equal(memmap_usable_bytes(&map), 0);
}

static void test_empty_map(void **state)
{
	struct memmap map;

	(void)state;
	assert_true(read_map(&map));
	assert_int_equal(map.count, 0);
}

static void test_entry_size_field_is_honoured(void **state)
{
	struct memmap map;

	(void)state;
	add_entry_sized(28, 0x0, 0x1000, 1);	/* 8 bytes of padding after the type */
	add_entry(0x2000, 0x3000, 3);
	assert_true(read_map(&map));
	assert_int_equal(map.count, 2);
	assert_int_equal(map.region[1].base, 0x2000);
	assert_int_equal(map.region[1].length, 0x3000);
	assert_int_equal(map.region[1].type, 3);
}

static void test_more_than_max_entries(void **state)
{
	struct memmap map;

	(void)state;
	/* Alternate types, so that no two neighbours merge. */
	for (unsigned i = 0; i < MEMMAP_MAX + 5; i++)
		add_entry((uint64_t)i << 20, 1 << 20, i % 2 ? 2 : 1);
	assert_true(read_map(&map));
	assert_int_equal(map.count, MEMMAP_MAX);
	assert_int_equal(map.dropped, 5);
	assert_int_equal(map.region[MEMMAP_MAX - 1].base, (uint64_t)(MEMMAP_MAX - 1) << 20);
	assert_int_equal(memmap_usable_bytes(&map), (uint64_t)(MEMMAP_MAX / 2) << 20);
}

static void test_neighbours_of_one_type_merge(void **state)
{
	struct memmap map;

	(void)state;
	add_entry(0x0, 0x1000, 1);
	add_entry(0x1000, 0x2000, 1);		/* continues the first: merged */
	add_entry(0x3000, 0x1000, 2);
	add_entry(0x5000, 0x1000, 2);		/* a gap: not merged */
	add_entry(0x6000, 0, 1);		/* empty: dropped silently */
	assert_true(read_map(&map));
	assert_int_equal(map.count, 3);
	assert_int_equal(map.region[0].length, 0x3000);
	assert_int_equal(map.region[2].base, 0x5000);
	assert_int_equal(map.dropped, 0);
}

static void test_loader_name_and_cmdline(void **state)
{
	struct boot_info info;
	struct memmap map;
	char *name = (char *)mem + 2048, *cmdline = (char *)mem + 3072;

	(void)state;
	strcpy(name, "GRUB 2.06");
	strcpy(cmdline, "short");
	put32(MBI_FLAGS, MB_FLAG_CMDLINE);
	put32(MBI_CMDLINE, (uint32_t)(uintptr_t)cmdline);
	multiboot1_read(mbi(), &info, &map);
	assert_string_equal(info.cmdline, "short");
	assert_false(info.cmdline_cut);
	memset(cmdline, 'x', 1000);		/* longer than the copy: cut */
	cmdline[1000] = '\0';
	put32(MBI_FLAGS, MB_FLAG_CMDLINE | MB_FLAG_LOADER);
	put32(MBI_LOADER_NAME, (uint32_t)(uintptr_t)name);
	put32(MBI_CMDLINE, (uint32_t)(uintptr_t)cmdline);
	multiboot1_read(mbi(), &info, &map);
	assert_string_equal(info.loader, "GRUB 2.06");
	assert_int_equal(strlen(info.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_true(info.cmdline_cut);
	assert_int_equal(info.map_source, MAP_NONE);
	assert_int_equal(info.rsdp_tag, 0);
}

static void test_is_usable(void **state)
{
	struct memmap map;

	(void)state;
	add_qemu_128m();
	assert_true(read_map(&map));
	/* Trampoline pages below 1 MiB. */
	assert_true(memmap_is_usable(&map, 0x8000, 0x1000));
	assert_true(memmap_is_usable(&map, 0x0, 0x1000));
	assert_true(memmap_is_usable(&map, 0x9e000, 0x1000));
	assert_false(memmap_is_usable(&map, 0x9f000, 0x1000));	/* runs into the EBDA */
	assert_false(memmap_is_usable(&map, 0x9fc00, 0x400));	/* reserved */
	assert_false(memmap_is_usable(&map, 0xa0000, 0x1000));	/* not in the map */
	assert_false(memmap_is_usable(&map, 0xf0000, 0x1000));	/* BIOS */
	/* Exact bounds of the big region. */
	assert_true(memmap_is_usable(&map, 0x100000, 0x7ee0000));
	assert_false(memmap_is_usable(&map, 0x100000, 0x7ee0001));
	assert_false(memmap_is_usable(&map, 0xff000, 0x2000));	/* straddles a start */
	assert_false(memmap_is_usable(&map, 0x7fdf000, 0x2000));	/* straddles an end */
	assert_false(memmap_is_usable(&map, 0xfd00000000ull, 0x1000));
}

static void test_is_usable_no_wraparound(void **state)
{
	struct memmap map;

	(void)state;
	add_qemu_128m();
	assert_true(read_map(&map));
	/* base + length past 2^64 must not wrap into a usable region. */
	assert_false(memmap_is_usable(&map, 0x1000, UINT64_MAX));
	assert_false(memmap_is_usable(&map, 0x100000, UINT64_MAX - 0xfffff));
	assert_false(memmap_is_usable(&map, UINT64_MAX, 2));
}

static void test_usable_bytes_counts_only_usable(void **state)
{
	struct memmap map = { 0 };

	(void)state;
	assert_int_equal(memmap_usable_bytes(&map), 0);
	map.count = 3;
	map.region[0] = (struct mem_region){ 0x0, 0x1000, 1 };
	map.region[1] = (struct mem_region){ 0x1000, 0x1000, 3 };
	map.region[2] = (struct mem_region){ 0x100000000ull, 0x200000000ull, 1 };
	assert_int_equal(memmap_usable_bytes(&map), 0x1000 + 0x200000000ull);
}

static void test_type_names(void **state)
{
	(void)state;
	assert_string_equal(mem_type_name(1), "usable");
	assert_string_equal(mem_type_name(2), "reserved");
	assert_string_equal(mem_type_name(3), "ACPI reclaimable");
	assert_string_equal(mem_type_name(4), "ACPI NVS");
	assert_string_equal(mem_type_name(5), "bad RAM");
	assert_string_equal(mem_type_name(0), "unknown");
	assert_string_equal(mem_type_name(99), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reads_qemu_map, setup),
		cmocka_unit_test_setup(test_no_map_flag, setup),
		cmocka_unit_test_setup(test_empty_map, setup),
		cmocka_unit_test_setup(test_entry_size_field_is_honoured, setup),
		cmocka_unit_test_setup(test_more_than_max_entries, setup),
		cmocka_unit_test_setup(test_neighbours_of_one_type_merge, setup),
		cmocka_unit_test_setup(test_loader_name_and_cmdline, setup),
		cmocka_unit_test_setup(test_is_usable, setup),
		cmocka_unit_test_setup(test_is_usable_no_wraparound, setup),
		cmocka_unit_test(test_usable_bytes_counts_only_usable),
		cmocka_unit_test(test_type_names),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
