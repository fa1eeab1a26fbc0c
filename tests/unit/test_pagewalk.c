/* Unit tests for kernel/mm/pagewalk.c over page tables in a host array. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "mm/pagewalk.h"

#define P	(1ull << 0)
#define RW	(1ull << 1)
#define US	(1ull << 2)
#define PS	(1ull << 7)
#define PAT4K	(1ull << 7)	/* bit 7 of a 4 KiB PTE */
#define PAT_BIG	(1ull << 12)	/* PAT bit of a 2 MiB / 1 GiB entry */
#define XD	(1ull << 63)

/* Fake physical memory: NPAGES pages starting at MEM_BASE. */
#define MEM_BASE	0x200000ull
#define NPAGES		8
#define PML4		(MEM_BASE + 0x0000)
#define PDPT		(MEM_BASE + 0x1000)
#define PD		(MEM_BASE + 0x2000)
#define PT		(MEM_BASE + 0x3000)

static uint64_t mem[NPAGES * 512];
static int reads;

static bool read_fake(void *ctx, uint64_t paddr, uint64_t *value)
{
	assert_ptr_equal(ctx, mem);
	reads++;
	if (paddr < MEM_BASE || paddr >= MEM_BASE + sizeof(mem) || paddr % 8)
		return false;
	*value = mem[(paddr - MEM_BASE) / 8];
	return true;
}

static void set(uint64_t table, unsigned index, uint64_t entry)
{
	mem[(table - MEM_BASE) / 8 + index] = entry;
}

/* 0x00007f0012345678: PML4 index 254, PDPT 0, PD 145, PT 325, offset 0x678 */
#define USER_VA		0x00007f0012345678ull
#define USER_IDX	254, 0, 145, 325

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	reads = 0;
	set(PML4, 254, PDPT | P | RW | US);
	set(PDPT, 0, PD | P | RW | US);
	set(PD, 145, PT | P | RW | US);
	set(PT, 325, 0x0000000abcdef000ull | P | RW | US);
	return 0;
}

static void walk(uint64_t va, struct pt_walk *w)
{
	pt_walk(PML4, va, read_fake, mem, w);
}

static void test_4k_page(void **state)
{
	const unsigned idx[4] = { USER_IDX };
	const uint64_t tables[4] = { PML4, PDPT, PD, PT };
	const char *names[4] = { "PML4E", "PDPTE", "PDE", "PTE" };
	struct pt_walk w;

	(void)state;
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.nlevels, 4);
	for (int i = 0; i < 4; i++) {
		assert_string_equal(w.level[i].name, names[i]);
		assert_int_equal(w.level[i].index, idx[i]);
		assert_int_equal(w.level[i].entry_addr, tables[i] + 8 * idx[i]);
	}
	assert_int_equal(w.level[3].entry, 0x0000000abcdef000ull | P | RW | US);
	assert_int_equal(w.paddr, 0x0000000abcdef678ull);
	assert_int_equal(w.page_size, 4096);
	assert_true(w.writable);
	assert_true(w.user);
	assert_true(w.executable);
	assert_int_equal(w.cr3, PML4);
	assert_int_equal(w.vaddr, USER_VA);
	assert_int_equal(reads, 4);
}

static void test_kernel_half(void **state)
{
	/* 0xffffffff80001abc: PML4 511, PDPT 510, PD 0, PT 1 */
	const uint64_t va = 0xffffffff80001abcull;
	struct pt_walk w;

	(void)state;
	set(PML4, 511, PDPT | P | RW);
	set(PDPT, 510, PD | P | RW);
	set(PD, 0, PT | P | RW);
	set(PT, 1, 0x5000 | P);
	walk(va, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.level[0].index, 511);
	assert_int_equal(w.level[1].index, 510);
	assert_int_equal(w.level[2].index, 0);
	assert_int_equal(w.level[3].index, 1);
	assert_int_equal(w.paddr, 0x5abc);
	assert_false(w.writable);	/* PTE is read-only */
	assert_false(w.user);
	assert_true(w.executable);
}

static void test_noncanonical(void **state)
{
	const uint64_t bad[] = { 0xdead00000000ull, 0x0000800000000000ull,
				 0xffff7fffffffffffull, 0x8000000000000000ull,
				 0x00ff000000000000ull };
	struct pt_walk w;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		walk(bad[i], &w);
		assert_int_equal(w.status, WALK_NONCANONICAL);
		assert_int_equal(w.nlevels, 0);
		assert_false(w.writable || w.user || w.executable);
	}
	assert_int_equal(reads, 0);
	/* The edges of both halves are canonical. */
	walk(0x00007fffffffffffull, &w);
	assert_int_equal(w.status, WALK_NOT_PRESENT);
	walk(0xffff800000000000ull, &w);
	assert_int_equal(w.status, WALK_NOT_PRESENT);
}

static void test_not_present_each_level(void **state)
{
	const uint64_t tables[4] = { PML4, PDPT, PD, PT };
	const unsigned idx[4] = { USER_IDX };
	struct pt_walk w;

	(void)state;
	for (int level = 3; level >= 0; level--) {
		/* Clear P but leave other bits: they must be ignored. */
		set(tables[level], idx[level], 0xfffffffffffffffeull);
		walk(USER_VA, &w);
		assert_int_equal(w.status, WALK_NOT_PRESENT);
		assert_int_equal(w.nlevels, level + 1);
		assert_int_equal(w.level[level].entry, 0xfffffffffffffffeull);
		assert_false(w.writable || w.user || w.executable);
		assert_int_equal(w.paddr, 0);
		assert_int_equal(w.page_size, 0);
	}
}

static void test_2m_page(void **state)
{
	struct pt_walk w;

	(void)state;
	set(PD, 145, 0x0000001234600000ull | PS | P | RW);
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.nlevels, 3);
	assert_int_equal(w.page_size, 2ull << 20);
	/* Offset = bits 20:0 of 0x12345678 = 0x145678. */
	assert_int_equal(w.paddr, 0x0000001234745678ull);
	assert_false(w.user);
	assert_true(w.writable);
}

static void test_2m_page_pat_bit_not_address(void **state)
{
	struct pt_walk w;

	(void)state;
	set(PD, 145, 0x0000001234600000ull | PAT_BIG | PS | P);
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.paddr, 0x0000001234745678ull);
}

static void test_1g_page(void **state)
{
	struct pt_walk w;

	(void)state;
	set(PDPT, 0, 0x000fffffc0000000ull | PAT_BIG | PS | P | RW | US);
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.nlevels, 2);
	assert_int_equal(w.page_size, 1ull << 30);
	/* Offset = bits 29:0 of the address, 0x12345678. */
	assert_int_equal(w.paddr, 0x000fffffd2345678ull);
	assert_true(w.writable && w.user && w.executable);
}

static void test_pat_bit_in_4k_pte_is_not_ps(void **state)
{
	struct pt_walk w;

	(void)state;
	set(PT, 325, 0x7000 | PAT4K | P);
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.page_size, 4096);
	assert_int_equal(w.paddr, 0x7678);
}

static void test_nx_propagates(void **state)
{
	const uint64_t tables[4] = { PML4, PDPT, PD, PT };
	const unsigned idx[4] = { USER_IDX };
	struct pt_walk w;

	(void)state;
	for (int level = 0; level < 4; level++) {
		setup(NULL);
		set(tables[level], idx[level],
		    mem[(tables[level] - MEM_BASE) / 8 + idx[level]] | XD);
		walk(USER_VA, &w);
		assert_int_equal(w.status, WALK_OK);
		assert_false(w.executable);
		assert_true(w.writable);
		assert_true(w.user);
		/* XD is not an address bit. */
		assert_int_equal(w.paddr, 0x0000000abcdef678ull);
	}
}

static void test_rw_us_are_anded(void **state)
{
	struct pt_walk w;

	(void)state;
	set(PDPT, 0, PD | P | US);		/* read-only from here down */
	walk(USER_VA, &w);
	assert_false(w.writable);
	assert_true(w.user);
	setup(NULL);
	set(PML4, 254, PDPT | P | RW);		/* supervisor-only at the top */
	walk(USER_VA, &w);
	assert_true(w.writable);
	assert_false(w.user);
	/* And on the level that maps a large page. */
	setup(NULL);
	set(PD, 145, 0x400000 | PS | P | US | XD);
	walk(USER_VA, &w);
	assert_false(w.writable);
	assert_true(w.user);
	assert_false(w.executable);
}

static void test_reserved_bits(void **state)
{
	struct pt_walk w;

	(void)state;
	set(PML4, 254, PDPT | PS | P | RW | US);
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_RESERVED_BITS);
	assert_int_equal(w.nlevels, 1);
	assert_false(w.writable || w.user || w.executable);

	setup(NULL);
	set(PD, 145, 0x0000001234600000ull | (1ull << 13) | PS | P);
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_RESERVED_BITS);
	assert_int_equal(w.nlevels, 3);

	setup(NULL);
	set(PDPT, 0, 0x40000000ull | (1ull << 20) | PS | P);
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_RESERVED_BITS);
	assert_int_equal(w.nlevels, 2);
}

static void test_read_failure(void **state)
{
	struct pt_walk w;

	(void)state;
	set(PDPT, 0, 0x7fff0000ull | P | RW | US);	/* PD outside memory */
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_READ_FAILED);
	assert_int_equal(w.nlevels, 3);
	assert_int_equal(w.level[2].entry_addr, 0x7fff0000ull + 8 * 145);
	assert_int_equal(w.level[2].entry, 0);
	assert_false(w.writable || w.user || w.executable);
}

static void test_cr3_low_bits_ignored(void **state)
{
	struct pt_walk w;

	(void)state;
	/* PWT, PCD, and a PCID in bits 11:0 do not move the PML4. */
	pt_walk(PML4 | 0x18 | 0xfff, USER_VA, read_fake, mem, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.level[0].entry_addr, PML4 + 8 * 254);
	assert_int_equal(w.paddr, 0x0000000abcdef678ull);
}

static void test_high_entry_bits_not_address(void **state)
{
	struct pt_walk w;

	(void)state;
	/* Bits 62:52 (ignored / protection key) stay out of the address. */
	set(PT, 325, 0x7ff0000000001000ull | P);
	walk(USER_VA, &w);
	assert_int_equal(w.status, WALK_OK);
	assert_int_equal(w.paddr, 0x1678);
	assert_true(w.executable);
}

static void test_status_strings(void **state)
{
	(void)state;
	assert_string_equal(walk_status_str(WALK_OK), "ok");
	assert_string_equal(walk_status_str(WALK_NOT_PRESENT), "not present");
	assert_non_null(strstr(walk_status_str(WALK_NONCANONICAL), "canonical"));
	assert_non_null(strstr(walk_status_str(WALK_RESERVED_BITS), "reserved"));
	assert_non_null(strstr(walk_status_str(WALK_READ_FAILED), "readable"));
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_4k_page),
		T(test_kernel_half),
		T(test_noncanonical),
		T(test_not_present_each_level),
		T(test_2m_page),
		T(test_2m_page_pat_bit_not_address),
		T(test_1g_page),
		T(test_pat_bit_in_4k_pte_is_not_ps),
		T(test_nx_propagates),
		T(test_rw_us_are_anded),
		T(test_reserved_bits),
		T(test_read_failure),
		T(test_cr3_low_bits_ignored),
		T(test_high_entry_bits_not_address),
		T(test_status_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
