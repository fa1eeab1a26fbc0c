/* Unit tests for kernel/arch/cpu_setup.c (with kernel/lib/format.c): the
 * report of `mtrr` (fixed ranges merged, variable ranges sized from their
 * masks, the PAT decoded, the microcode line by vendor), its comparison
 * with the BSP's, and which PAT values `on APIC mtrr pat` may write. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "arch/cpu_setup.h"

/* What SeaBIOS leaves under QEMU (its mtrr_setup): fixed ranges WB below
 * 0xA0000, UC for video memory, WP for the ROMs; one variable range, UC
 * from 2 GiB to 4 GiB; the rest WB; the power-up PAT. */
static struct cpu_setup seabios(void)
{
	struct cpu_setup s = {
		.has_mtrr = true, .has_pat = true, .maxphyaddr = 40,
		.mtrrcap = 0x508, .def_type = 0xC06, .variable_count = 8,
		.pat = PAT_POWER_UP, .microcode_source = MICROCODE_AMD,
		.microcode = 0x1000065,
	};

	s.fixed[0] = s.fixed[1] = 0x0606060606060606ull;
	for (int m = 3; m < MTRR_FIXED_MSRS; m++)
		s.fixed[m] = 0x0505050505050505ull;
	s.variable[0].base = 0x80000000;
	s.variable[0].mask = 0xFF80000800ull;
	return s;
}

static char buf[4096];

static void test_report_of_what_seabios_leaves(void **state)
{
	struct cpu_setup s = seabios();
	const char *want =
		"MTRRCAP    0x0000000000000508 (MSR FEH): 8 variable ranges, fixed ranges yes, WC yes\n"
		"DEF_TYPE   0x0000000000000c06 (MSR 2FFH): MTRRs on (E), fixed ranges on (FE), "
		"default type WB\n"
		"fixed      0x00000-0x9ffff WB, 0xa0000-0xbffff UC, 0xc0000-0xfffff WP\n"
		"variable   0: base 0x80000000, size 2 GiB, UC\n"
		"MAXPHYADDR 40 bits (CPUID.80000008H:EAX[7:0]): the masks' width\n"
		"PAT        0x0007040600070406 (MSR 277H): PA0 WB, PA1 WT, PA2 UC-, PA3 UC, PA4 WB, "
		"PA5 WT, PA6 UC-, PA7 UC (the power-up value)\n"
		"microcode  patch level 0x1000065 (MSR 8BH bits 31:0, AMD)\n";

	(void)state;
	assert_int_equal(format_cpu_setup(buf, sizeof(buf), &s), strlen(want));
	assert_string_equal(buf, want);
}

static void test_fixed_runs_merge_and_wrap(void **state)
{
	struct cpu_setup s = seabios();

	(void)state;
	s.fixed[0] = 0x0606060606060600ull;	/* 0-0xffff UC, then WB */
	s.fixed[10] = 0x0101010101010100ull;	/* 0xf8000 UC, then WC to the end */
	s.fixed[2] = 0x0000000000000002ull;	/* a reserved type */
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_non_null(strstr(buf, "fixed      0x00000-0x0ffff UC, 0x10000-0x9ffff WB, "
				    "0xa0000-0xa3fff reserved 0x02, 0xa4000-0xbffff UC,\n"
				    "           0xc0000-0xf7fff WP, 0xf8000-0xf8fff UC, "
				    "0xf9000-0xfffff WC\n"));
	/* Every range a type of its own: 88 runs, 4 to a line, no line too long for
	 * the console (512 bytes). */
	for (int m = 0; m < MTRR_FIXED_MSRS; m++)
		s.fixed[m] = 0x0600060006000600ull;
	format_cpu_setup(buf, sizeof(buf), &s);
	const char *fixed = strstr(buf, "\nfixed      ") + 1, *variable = strstr(fixed, "\nvariable");
	int lines = 0;

	for (const char *p = fixed; p < variable; p = strchr(p, '\n') + 1) {
		assert_true(strchr(p, '\n') - p < 100);
		lines++;
	}
	assert_int_equal(lines, 22);
}

static void test_variable_ranges(void **state)
{
	struct cpu_setup s = seabios();

	(void)state;
	s.variable[0].mask &= ~(uint64_t)MTRR_PHYSMASK_VALID;	/* disabled: not shown */
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_non_null(strstr(buf, "\nvariable   none of 8 enabled\n"));
	s = seabios();
	s.variable[3].base = 0x100000006ull;			/* 4 GiB, 256 MiB, WB */
	s.variable[3].mask = 0xFFF0000800ull;
	s.variable[5].base = 0x0;				/* a hole in the mask */
	s.variable[5].mask = 0xF7F0000800ull;
	s.variable[6].base = 0xC0000007ull;			/* 7 is no MTRR type */
	s.variable[6].mask = 0xFFFFFFF800ull;
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_non_null(strstr(buf, "variable   0: base 0x80000000, size 2 GiB, UC\n"
				    "variable   3: base 0x100000000, size 256 MiB, WB\n"
				    "variable   5: base 0x0, mask 0xf7f0000000 (not contiguous: "
				    "several ranges), UC\n"
				    "variable   6: base 0xc0000000, size 4 KiB, reserved 0x07\n"));
	/* More pairs than were read: said. */
	s.mtrrcap = 0x5FF;
	s.variable_count = MTRR_VARIABLE_MAX;
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_non_null(strstr(buf, "variable   (the first 16 of 255 read)\n"));
}

static void test_what_is_missing_or_off(void **state)
{
	struct cpu_setup s = seabios();

	(void)state;
	s.def_type = 0x6;
	s.mtrrcap = 0x08;
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_non_null(strstr(buf, "(MSR 2FFH): MTRRs off (E is 0): all memory is UC\n"));
	assert_non_null(strstr(buf, "\nfixed      none: IA32_MTRRCAP bit 8 is 0\n"));
	s.def_type = 0x806;
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_non_null(strstr(buf, "MTRRs on (E), fixed ranges off (FE is 0), default type WB\n"));
	s.has_mtrr = s.has_pat = false;
	s.microcode_source = MICROCODE_UNKNOWN;
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_string_equal(buf,
		"MTRRs      none: CPUID.01H:EDX bit 12 is 0\n"
		"PAT        none: CPUID.01H:EDX bit 16 is 0\n"
		"microcode  not read: MSR 8BH is Intel's and AMD's, and this CPU is neither\n");
	s.microcode_source = MICROCODE_INTEL;
	s.microcode = 0xf0;
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_non_null(strstr(buf, "microcode  revision 0xf0 (MSR 8BH bits 63:32, read after "
				    "writing 0 and CPUID(1))\n"));
}

static void test_pat_entries_named(void **state)
{
	struct cpu_setup s = seabios();

	(void)state;
	s.pat = 0x0007050403020106ull;
	format_cpu_setup(buf, sizeof(buf), &s);
	assert_non_null(strstr(buf, "PAT        0x0007050403020106 (MSR 277H): PA0 WB, PA1 WC, "
				    "PA2 reserved 0x02, PA3 reserved 0x03, PA4 WT, PA5 WP, PA6 UC-, "
				    "PA7 UC\n"));
}

static void test_report_cut_keeps_full_length(void **state)
{
	struct cpu_setup s = seabios();
	char small[20];
	int full = format_cpu_setup(buf, sizeof(buf), &s);

	(void)state;
	assert_int_equal(format_cpu_setup(small, sizeof(small), &s), full);
	assert_string_equal(small, "MTRRCAP    0x000000");
}

static void test_same_as_the_bsp(void **state)
{
	struct cpu_setup ap = seabios(), bsp = seabios();
	unsigned n = 99;

	(void)state;
	format_cpu_setup_diff(buf, sizeof(buf), &ap, &bsp, 1, &n);
	assert_int_equal(n, 0);
	assert_string_equal(buf, "same as the BSP: every MTRR, the PAT and the microcode revision\n");
}

static void test_each_difference_named(void **state)
{
	struct cpu_setup ap = seabios(), bsp = seabios();
	unsigned n;

	(void)state;
	ap.pat = 0x0007040600070106ull;
	int len = format_cpu_setup_diff(buf, sizeof(buf), &ap, &bsp, 2, &n);

	assert_int_equal(n, 1);
	assert_string_equal(buf,
		"differs from the BSP in 1 register (SDM 11.11.8, 11.12.4 and 8.7.11 ask for the "
		"same on every CPU):\n"
		"  IA32_PAT (MSR 277H): APIC 2 0x0007040600070106, BSP 0x0007040600070406\n");
	assert_int_equal(len, strlen(buf));
	/* What QEMU's TCG leaves in an AP after INIT: every MTRR 0. */
	ap = seabios();
	ap.def_type = 0;
	memset(ap.fixed, 0, sizeof(ap.fixed));
	memset(ap.variable, 0, sizeof(ap.variable));
	ap.microcode = 0x1000066;
	format_cpu_setup_diff(buf, sizeof(buf), &ap, &bsp, 1, &n);
	assert_int_equal(n, 14);
	assert_non_null(strstr(buf, "differs from the BSP in 14 registers "));
	assert_non_null(strstr(buf, "\n  IA32_MTRR_DEF_TYPE (MSR 2FFH): APIC 1 0x0000000000000000, "
				    "BSP 0x0000000000000c06\n"));
	assert_non_null(strstr(buf, "\n  IA32_MTRR_FIX64K_00000 (MSR 250H): "));
	assert_null(strstr(buf, "FIX16K_A0000"));		/* 0 on both */
	assert_non_null(strstr(buf, "\n  IA32_MTRR_FIX4K_F8000 (MSR 26FH): APIC 1 "
				    "0x0000000000000000, BSP 0x0505050505050505\n"));
	assert_non_null(strstr(buf, "\n  IA32_MTRR_PHYSMASK0 (MSR 201H): APIC 1 0x0000000000000000, "
				    "BSP 0x000000ff80000800\n"));
	assert_non_null(strstr(buf, "\n  microcode revision (MSR 8BH): APIC 1 0x1000066, "
				    "BSP 0x1000065\n"));
}

static void test_pairs_one_cpu_lacks_compare_as_zero(void **state)
{
	struct cpu_setup ap = seabios(), bsp = seabios();
	unsigned n;

	(void)state;
	ap.mtrrcap = 0x50A;
	ap.variable_count = 10;
	ap.variable[9].mask = 0x800;
	format_cpu_setup_diff(buf, sizeof(buf), &ap, &bsp, 3, &n);
	assert_int_equal(n, 2);
	assert_non_null(strstr(buf, "\n  IA32_MTRRCAP (MSR FEH): APIC 3 0x000000000000050a, "
				    "BSP 0x0000000000000508\n"
				    "  IA32_MTRR_PHYSMASK9 (MSR 213H): APIC 3 0x0000000000000800, "
				    "BSP 0x0000000000000000\n"));
	ap = seabios();
	ap.has_pat = false;
	ap.pat = 0;
	format_cpu_setup_diff(buf, sizeof(buf), &ap, &bsp, 3, &n);
	assert_int_equal(n, 2);
	assert_non_null(strstr(buf, "\n  PAT (CPUID.01H:EDX bit 16): APIC 3 0x0, BSP 0x1\n"));
}

static void test_pat_writes_allowed(void **state)
{
	char why[160];

	(void)state;
	assert_true(pat_write_allowed(PAT_POWER_UP, why, sizeof(why)));
	assert_true(pat_write_allowed(0x0007040600070106ull, why, sizeof(why)));
	assert_true(pat_write_allowed(0x0101010100010106ull, why, sizeof(why)));
	assert_false(pat_write_allowed(0x0007040600070206ull, why, sizeof(why)));
	assert_string_equal(why, "PA1 is 0x02, a reserved encoding (each byte must be 0 UC, 1 WC, "
			    "4 WT, 5 WP, 6 WB or 7 UC-; a reserved one would #GP)");
	assert_false(pat_write_allowed(0x0307040600070406ull, why, sizeof(why)));
	assert_non_null(strstr(why, "PA7 is 0x03, a reserved encoding"));
	assert_false(pat_write_allowed(0x0007040600070486ull, why, sizeof(why)));
	assert_non_null(strstr(why, "PA0 is 0x86, a reserved encoding"));	/* bits 7:3 too */
	assert_false(pat_write_allowed(0x0007040600070400ull, why, sizeof(why)));
	assert_string_equal(why, "PA0 must stay WB: smplab maps all RAM through it (PAT, PCD and "
			    "PWT clear); change PA1, PA2 or PA4-PA7");
	assert_false(pat_write_allowed(0x0007040606070406ull, why, sizeof(why)));
	assert_non_null(strstr(why, "PA3 must stay UC: "));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_of_what_seabios_leaves),
		cmocka_unit_test(test_fixed_runs_merge_and_wrap),
		cmocka_unit_test(test_variable_ranges),
		cmocka_unit_test(test_what_is_missing_or_off),
		cmocka_unit_test(test_pat_entries_named),
		cmocka_unit_test(test_report_cut_keeps_full_length),
		cmocka_unit_test(test_same_as_the_bsp),
		cmocka_unit_test(test_each_difference_named),
		cmocka_unit_test(test_pairs_one_cpu_lacks_compare_as_zero),
		cmocka_unit_test(test_pat_writes_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
