/* Unit tests for kernel/arch/flags.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "arch/flags.h"

static void test_cr0_long_mode(void **state)
{
	char buf[128];

	(void)state;
	/* PG | WP | NE | ET | PE, as a typical long-mode kernel has it */
	assert_int_equal(format_flags(buf, sizeof(buf), 0x80010031, cr0_flags,
				      cr0_flags_count), 14);
	assert_string_equal(buf, "PE ET NE WP PG");
}

static void test_cr0_reset_value(void **state)
{
	char buf[64];

	(void)state;
	/* CR0 after reset is 0x60000010 (SDM Vol 3A 10.1.1). */
	format_flags(buf, sizeof(buf), 0x60000010, cr0_flags, cr0_flags_count);
	assert_string_equal(buf, "ET NW CD");
}

static void test_cr4_and_efer(void **state)
{
	char buf[128];

	(void)state;
	format_flags(buf, sizeof(buf), (1u << 5) | (1u << 7) | (1u << 9) |
		     (1u << 10) | (1u << 12) | (1u << 22), cr4_flags,
		     cr4_flags_count);
	assert_string_equal(buf, "PAE PGE OSFXSR OSXMMEXCPT LA57 PKE");
	format_flags(buf, sizeof(buf), 0xd01, efer_flags, efer_flags_count);
	assert_string_equal(buf, "SCE LME LMA NXE");
}

static void test_rflags(void **state)
{
	char buf[128];

	(void)state;
	/* Bit 1 is always 1 and has no name; IOPL (12-13) is not named. */
	format_flags(buf, sizeof(buf), 0x3246, rflags_flags, rflags_flags_count);
	assert_string_equal(buf, "PF ZF IF");
	format_flags(buf, sizeof(buf), 1u << 21, rflags_flags, rflags_flags_count);
	assert_string_equal(buf, "ID");
}

static void test_pte_nx(void **state)
{
	char buf[64];

	(void)state;
	format_flags(buf, sizeof(buf), 0x8000000000000083ull | 0x1000,
		     pte_flags, pte_flags_count);
	assert_string_equal(buf, "P RW PS NX");
}

static void test_none_set(void **state)
{
	char buf[8] = "junk";

	(void)state;
	assert_int_equal(format_flags(buf, sizeof(buf), 0, cr0_flags,
				      cr0_flags_count), 0);
	assert_string_equal(buf, "");
	/* Bits without a name print nothing. */
	assert_int_equal(format_flags(buf, sizeof(buf), 1ull << 40, cr0_flags,
				      cr0_flags_count), 0);
}

static void test_truncation(void **state)
{
	char buf[32];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	/* "PE ET NE WP PG" needs 15 bytes: with 12, "PE ET NE WP" fits. */
	assert_int_equal(format_flags(buf, 12, 0x80010031, cr0_flags,
				      cr0_flags_count), 11);
	assert_string_equal(buf, "PE ET NE WP");
	assert_int_equal(buf[12], 'x');		/* nothing written past size */
	/* One byte short of a name drops it whole. */
	assert_int_equal(format_flags(buf, 11, 0x80010031, cr0_flags,
				      cr0_flags_count), 8);
	assert_string_equal(buf, "PE ET NE");
	assert_int_equal(format_flags(buf, 15, 0x80010031, cr0_flags,
				      cr0_flags_count), 14);
	assert_int_equal(format_flags(buf, 1, 0x80010031, cr0_flags,
				      cr0_flags_count), 0);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	assert_int_equal(format_flags(buf, 0, 0x80010031, cr0_flags,
				      cr0_flags_count), 0);
	assert_int_equal(buf[0], 'x');
}

static void test_tables_sorted_and_unique(void **state)
{
	const struct flag_name *tables[] = { cr0_flags, cr4_flags, efer_flags,
					     rflags_flags, pte_flags };
	const size_t counts[] = { cr0_flags_count, cr4_flags_count,
				  efer_flags_count, rflags_flags_count,
				  pte_flags_count };

	(void)state;
	assert_int_equal(cr0_flags_count, 11);
	assert_int_equal(cr4_flags_count, 21);
	assert_int_equal(efer_flags_count, 5);
	assert_int_equal(rflags_flags_count, 16);
	assert_int_equal(pte_flags_count, 10);
	for (size_t t = 0; t < 5; t++) {
		for (size_t i = 0; i < counts[t]; i++) {
			assert_true(tables[t][i].bit < 64);
			if (i)
				assert_true(tables[t][i - 1].bit < tables[t][i].bit);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cr0_long_mode),
		cmocka_unit_test(test_cr0_reset_value),
		cmocka_unit_test(test_cr4_and_efer),
		cmocka_unit_test(test_rflags),
		cmocka_unit_test(test_pte_nx),
		cmocka_unit_test(test_none_set),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_tables_sorted_and_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
