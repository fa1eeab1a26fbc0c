/* Unit tests for kernel/boot/multiboot2.c: the boot information two real GRUB
 * boots handed over (captured by tools/dump-multiboot.py under SeaBIOS and
 * under OVMF), and hand-built information for the cases GRUB does not make. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "boot/bootinfo.h"
#include "boot/multiboot.h"
#include "tests/unit/bytes.h"
#include "tests/unit/fixture.h"

#define MIB (1ull << 20)
#define FIXTURE_MEM (128 * MIB)		/* the -m the fixtures were taken with */

static uint8_t sum(const uint8_t *p, size_t n)
{
	uint8_t s = 0;

	while (n--)
		s += *p++;
	return s;
}

/* The offset of the first tag of that type, or 0. */
static size_t find_tag(const uint8_t *mbi, uint32_t type)
{
	for (size_t off = 8; off + 8 <= get32(mbi); off += (get32(mbi + off + 4) + 7) & ~7u)
		if (get32(mbi + off) == type)
			return off;
	return 0;
}

/* The usable region that holds the kernel (1 MiB up). */
static const struct mem_region *kernel_region(const struct memmap *map)
{
	for (size_t i = 0; i < map->count; i++)
		if (map->region[i].type == MEM_USABLE && map->region[i].base <= MIB &&
		    map->region[i].base + map->region[i].length > 2 * MIB)
			return &map->region[i];
	fail_msg("no usable region from 1 MiB");
	return NULL;
}

static void test_grub_under_seabios(void **state)
{
	struct boot_info info;
	struct memmap map;
	size_t len;
	uint8_t *mbi = slurp("mb2-bios.bin", &len);

	(void)state;
	assert_int_equal(multiboot2_parse(mbi, len, &info, &map), BOOT_OK);
	assert_int_equal(info.protocol, BOOT_MULTIBOOT2);
	assert_memory_equal(info.loader, "GRUB ", 5);
	assert_false(info.efi);
	assert_int_equal(info.map_source, MAP_MULTIBOOT);
	/* SeaBIOS: RAM below the EBDA, then from 1 MiB to just below -m. */
	assert_int_equal(map.region[0].base, 0);
	assert_int_equal(map.region[0].type, MEM_USABLE);
	assert_true(map.region[0].length >= 0x9f000);
	assert_true(memmap_usable_bytes(&map) > FIXTURE_MEM - 2 * MIB);
	assert_true(memmap_usable_bytes(&map) <= FIXTURE_MEM);
	assert_non_null(kernel_region(&map));
	/* SeaBIOS makes an ACPI 1.0 RSDP: GRUB passes the old tag only. */
	assert_int_equal(info.rsdp_tag, MB2_TAG_ACPI_OLD);
	assert_int_equal(info.rsdp_len, 20);
	assert_memory_equal(info.rsdp, "RSD PTR ", 8);
	assert_int_equal(sum(info.rsdp, 20), 0);
	free(mbi);
}

static void test_grub_under_ovmf(void **state)
{
	struct boot_info info;
	struct memmap map;
	size_t len;
	uint8_t *mbi = slurp("mb2-uefi.bin", &len);

	(void)state;
	assert_int_equal(multiboot2_parse(mbi, len, &info, &map), BOOT_OK);
	assert_true(info.efi);
	assert_int_equal(info.map_source, MAP_MULTIBOOT);
	assert_int_equal(map.dropped, 0);
	assert_true(memmap_usable_bytes(&map) > FIXTURE_MEM / 2);
	assert_true(memmap_usable_bytes(&map) <= FIXTURE_MEM);
	assert_non_null(kernel_region(&map));
	/* OVMF's RSDP is revision 2: the new tag, 36 bytes, both checksums. */
	assert_int_equal(info.rsdp_tag, MB2_TAG_ACPI_NEW);
	assert_true(info.rsdp_len >= 36);
	assert_int_equal(info.rsdp[15], 2);
	assert_int_equal(sum(info.rsdp, 20), 0);
	assert_int_equal(sum(info.rsdp, 36), 0);
	free(mbi);
}

/* Without the memory-map tag, the EFI memory map gives the same usable RAM. */
static void test_efi_map_when_no_multiboot_map(void **state)
{
	struct boot_info info;
	struct memmap map, efi_map;
	size_t len;
	uint8_t *mbi = slurp("mb2-uefi.bin", &len);
	size_t mmap = find_tag(mbi, MB2_TAG_MMAP);

	(void)state;
	assert_true(mmap != 0);
	assert_true(find_tag(mbi, MB2_TAG_EFI_MMAP) != 0);
	assert_int_equal(multiboot2_parse(mbi, len, &info, &map), BOOT_OK);
	put32(mbi + mmap, 0xFFFF);		/* an unknown tag is skipped */
	assert_int_equal(multiboot2_parse(mbi, len, &info, &efi_map), BOOT_OK);
	assert_int_equal(info.map_source, MAP_EFI);
	assert_int_equal(memmap_usable_bytes(&efi_map), memmap_usable_bytes(&map));
	assert_int_equal(kernel_region(&efi_map)->base, kernel_region(&map)->base);
	free(mbi);
}

/* Every cut of a real boot information is refused, never read past. */
static void test_every_truncation_refused(void **state)
{
	const char *names[] = { "mb2-bios.bin", "mb2-uefi.bin" };

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		size_t len;
		uint8_t *mbi = slurp(names[f], &len);

		for (size_t cut = 0; cut < len; cut++) {
			struct boot_info info;
			struct memmap map;
			uint8_t *copy = malloc(cut ? cut : 1);	/* exact size for ASan */

			memcpy(copy, mbi, cut);
			assert_int_equal(multiboot2_parse(copy, cut, &info, &map),
					 BOOT_TRUNCATED);
			if (cut >= 8) {		/* total_size shrunk to the cut */
				put32(copy, (uint32_t)cut);
				assert_int_not_equal(multiboot2_parse(copy, cut, &info, &map),
						     BOOT_OK);
			}
			free(copy);
		}
		free(mbi);
	}
}

/* ---- hand-built information --------------------------------------------- */

static uint8_t buf[512];
static size_t used;

static void begin(void)
{
	memset(buf, 0, sizeof(buf));
	used = 8;
}

static uint8_t *tag(uint32_t type, uint32_t size)
{
	uint8_t *t = buf + used;

	put32(t, type);
	put32(t + 4, size);
	used += (size + 7) & ~7u;
	return t;
}

static size_t finish(void)
{
	tag(MB2_TAG_END, 8);
	put32(buf, (uint32_t)used);
	return used;
}

static void test_new_rsdp_wins_in_any_order(void **state)
{
	struct boot_info info;
	struct memmap map;

	(void)state;
	for (int new_first = 0; new_first < 2; new_first++) {
		begin();
		if (new_first)
			memcpy(tag(MB2_TAG_ACPI_NEW, 8 + 36) + 8, "RSD PTR new", 11);
		memcpy(tag(MB2_TAG_ACPI_OLD, 8 + 20) + 8, "RSD PTR old", 11);
		if (!new_first)
			memcpy(tag(MB2_TAG_ACPI_NEW, 8 + 36) + 8, "RSD PTR new", 11);
		assert_int_equal(multiboot2_parse(buf, finish(), &info, &map), BOOT_OK);
		assert_int_equal(info.rsdp_tag, MB2_TAG_ACPI_NEW);
		assert_int_equal(info.rsdp_len, 36);
		assert_memory_equal(info.rsdp, "RSD PTR new", 11);
	}
	/* A tag longer than the copy is cut to it. */
	begin();
	tag(MB2_TAG_ACPI_NEW, 8 + 200);
	assert_int_equal(multiboot2_parse(buf, finish(), &info, &map), BOOT_OK);
	assert_int_equal(info.rsdp_len, RSDP_MAX_LEN);
}

static void test_strings_cut_and_terminated(void **state)
{
	struct boot_info info;
	struct memmap map;

	(void)state;
	begin();
	memset(tag(MB2_TAG_CMDLINE, 8 + 300) + 8, 'c', 300);	/* no NUL at all */
	memcpy(tag(MB2_TAG_LOADER_NAME, 8 + 5) + 8, "GRUBX", 5);	/* none either */
	assert_int_equal(multiboot2_parse(buf, finish(), &info, &map), BOOT_OK);
	assert_int_equal(strlen(info.cmdline), BOOT_CMDLINE_MAX - 1);
	assert_true(info.cmdline_cut);
	assert_string_equal(info.loader, "GRUBX");
	assert_int_equal(info.map_source, MAP_NONE);
	assert_int_equal(map.count, 0);
}

static void test_whole_cmdline_not_cut(void **state)
{
	struct boot_info info;
	struct memmap map;

	(void)state;
	begin();
	memcpy(tag(MB2_TAG_CMDLINE, 8 + 6) + 8, "a=b c", 6);	/* with its NUL */
	assert_int_equal(multiboot2_parse(buf, finish(), &info, &map), BOOT_OK);
	assert_string_equal(info.cmdline, "a=b c");
	assert_false(info.cmdline_cut);
}

static void test_bad_tags(void **state)
{
	struct boot_info info;
	struct memmap map;
	size_t len;

	(void)state;
	begin();
	tag(MB2_TAG_CMDLINE, 4);			/* below the tag header */
	assert_int_equal(multiboot2_parse(buf, finish(), &info, &map), BOOT_BAD_TAG);

	begin();
	uint8_t *t = tag(MB2_TAG_CMDLINE, 16);
	len = finish();
	put32(t + 4, 0x10000);				/* runs past total_size */
	assert_int_equal(multiboot2_parse(buf, len, &info, &map), BOOT_BAD_TAG);

	begin();
	tag(MB2_TAG_CMDLINE, 16);
	put32(buf, (uint32_t)used);			/* no end tag */
	assert_int_equal(multiboot2_parse(buf, used, &info, &map), BOOT_NO_END_TAG);

	begin();
	len = finish();
	assert_int_equal(multiboot2_parse(buf, len - 1, &info, &map), BOOT_TRUNCATED);
	put32(buf, 0xFFFFFFF0);				/* absurd total_size */
	assert_int_equal(multiboot2_parse(buf, sizeof(buf), &info, &map), BOOT_TRUNCATED);
}

static void test_map_entry_size_honoured(void **state)
{
	struct boot_info info;
	struct memmap map;

	(void)state;
	begin();
	uint8_t *t = tag(MB2_TAG_MMAP, 16 + 2 * 32);
	put32(t + 8, 32);				/* entry_size with padding */
	uint64_t e0[3] = { 0x0, 0x9f000, MEM_USABLE }, e1[3] = { MIB, 8 * MIB, MEM_USABLE };
	memcpy(t + 16, e0, 20);
	memcpy(t + 48, e1, 20);
	assert_int_equal(multiboot2_parse(buf, finish(), &info, &map), BOOT_OK);
	assert_int_equal(map.count, 2);
	assert_int_equal(map.region[1].base, MIB);
	assert_int_equal(map.region[1].length, 8 * MIB);

	begin();
	t = tag(MB2_TAG_MMAP, 16 + 24);
	put32(t + 8, 0);				/* entry_size 0 would never end */
	assert_int_equal(multiboot2_parse(buf, finish(), &info, &map), BOOT_OK);
	assert_int_equal(map.count, 0);
}

/* An entry or descriptor size near 2^32 steps past the tag; the offset must
 * not wrap back into it, or past the end of the memory (found by
 * tests/fuzz/fuzz_multiboot2). */
static void test_huge_entry_size_ends_the_map(void **state)
{
	static const uint32_t types[] = { MB2_TAG_MMAP, MB2_TAG_EFI_MMAP };
	struct boot_info info;
	struct memmap map;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		for (uint32_t size = 0xFFFFFFE0; size != 0; size += 4) {
			begin();
			uint8_t *t = tag(types[i], 16 + 2 * 40);
			put32(t + 8, size);
			memset(t + 16, 0x11, 2 * 40);
			assert_int_equal(multiboot2_parse(buf, finish(), &info, &map), BOOT_OK);
			assert_true(map.count <= 1);
		}
	}
}

static void test_names(void **state)
{
	(void)state;
	for (int e = BOOT_OK; e <= BOOT_NO_END_TAG; e++)
		for (int f = BOOT_OK; f < e; f++)
			assert_string_not_equal(boot_error_str(e), boot_error_str(f));
	assert_string_equal(boot_protocol_name(BOOT_MULTIBOOT2), "multiboot 2");
	assert_string_equal(boot_map_source_name(MAP_EFI), "EFI memory map");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grub_under_seabios),
		cmocka_unit_test(test_grub_under_ovmf),
		cmocka_unit_test(test_efi_map_when_no_multiboot_map),
		cmocka_unit_test(test_every_truncation_refused),
		cmocka_unit_test(test_new_rsdp_wins_in_any_order),
		cmocka_unit_test(test_strings_cut_and_terminated),
		cmocka_unit_test(test_whole_cmdline_not_cut),
		cmocka_unit_test(test_bad_tags),
		cmocka_unit_test(test_map_entry_size_honoured),
		cmocka_unit_test(test_huge_entry_size_ends_the_map),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
