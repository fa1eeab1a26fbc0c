/* Unit tests for kernel/smp/tsc_check.c (with kernel/lib/format.c): the
 * warp test's bookkeeping, the offset from ping-pong samples, the verdict
 * and report of `on APIC tsc`, and the bounds of a skew. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "smp/tsc_check.h"

#define HZ 3000000000ull	/* 3000 cycles a microsecond */

static void test_warp_counts_turns_and_backward_steps(void **state)
{
	struct tsc_warp w = { 0 };

	(void)state;
	tsc_warp_note(&w, TSC_BSP, 1000);	/* the first read compares with nothing */
	tsc_warp_note(&w, TSC_BSP, 1100);
	tsc_warp_note(&w, TSC_AP, 1200);	/* a turn, forwards */
	tsc_warp_note(&w, TSC_BSP, 1150);	/* a turn, 50 back */
	tsc_warp_note(&w, TSC_AP, 900);		/* a turn, 250 back */
	tsc_warp_note(&w, TSC_AP, 1000);
	assert_int_equal(w.reads, 6);
	assert_int_equal(w.crossings, 3);
	assert_int_equal(w.backwards, 2);
	assert_int_equal(w.max_backwards, 250);
	assert_int_equal(w.last, 1000);
}

static void test_offset_keeps_the_shortest_round_trip(void **state)
{
	struct tsc_offset o = { 0 };

	(void)state;
	tsc_offset_note(&o, 1000, 1600, 2000);	/* middle 1500: +100, trip 1000 */
	assert_int_equal(o.cycles, 100);
	assert_int_equal(o.round_trip, 1000);
	tsc_offset_note(&o, 5000, 5300, 5200);	/* middle 5100: +200, trip 200: kept */
	assert_int_equal(o.cycles, 200);
	assert_int_equal(o.round_trip, 200);
	tsc_offset_note(&o, 9000, 0, 9400);	/* trip 400: longer, ignored */
	assert_int_equal(o.cycles, 200);
	assert_int_equal(o.samples, 3);
}

static void test_offset_of_an_ap_behind_and_across_a_wrap(void **state)
{
	struct tsc_offset o = { 0 };

	(void)state;
	tsc_offset_note(&o, 100000000, 50000100, 100000200);
	assert_true(o.cycles == -50000000);
	o = (struct tsc_offset){ 0 };
	tsc_offset_note(&o, UINT64_MAX - 99, 50, UINT64_MAX - 99 + 200);
	assert_int_equal(o.cycles, 50);
}

static struct tsc_check agreeing(void)
{
	struct tsc_check c = { .apic_id = 2, .hz = HZ };

	c.offset = (struct tsc_offset){ .samples = 16, .cycles = -40, .round_trip = 900 };
	c.warp = (struct tsc_warp){ .reads = 5000, .crossings = 1200 };
	return c;
}

static void test_agreement_needs_zero_within_the_uncertainty(void **state)
{
	struct tsc_check c = agreeing();

	(void)state;
	assert_true(tsc_check_agrees(&c));
	assert_int_equal(tsc_check_bound(&c), 490);
	c.offset.cycles = 450;		/* exactly the half trip: still within */
	assert_true(tsc_check_agrees(&c));
	c.offset.cycles = -451;
	assert_false(tsc_check_agrees(&c));
	c.offset.cycles = 0;
	c.warp.backwards = 1;		/* a step back disagrees whatever the offset */
	assert_false(tsc_check_agrees(&c));
}

static void test_report_of_agreeing_tscs(void **state)
{
	struct tsc_check c = agreeing();
	char buf[1024];

	(void)state;
	int n = format_tsc_check(buf, sizeof(buf), &c);

	assert_int_equal(n, (int)strlen(buf));
	assert_string_equal(buf,
		"offset     APIC 2 minus BSP: -40 cycles (-0.0 us), +- 450 cycles (0.1 us): "
		"the best of 16 round trips\n"
		"warp test  5000 reads, 1200 turns from one CPU to the other: "
		"no read went backwards\n"
		"TSC_ADJUST none: CPUID.(EAX=07H,ECX=0):EBX bit 1 is 0\n"
		"invariant  not promised: CPUID.80000007H:EDX bit 8 is 0\n"
		"verdict    TSCs agree within 490 cycles: status's times are comparable "
		"across CPUs\n");
}

static void test_report_of_an_ap_behind(void **state)
{
	struct tsc_check c = agreeing();
	char buf[1024];

	(void)state;
	c.offset.cycles = -50000000;
	c.warp.backwards = 600;
	c.warp.max_backwards = 50000300;
	c.has_adjust = true;
	c.ap_adjust = -50000000;
	c.invariant = true;
	format_tsc_check(buf, sizeof(buf), &c);
	assert_non_null(strstr(buf, "APIC 2 minus BSP: -50000000 cycles (-16666.6 us), +- 450"));
	assert_non_null(strstr(buf, "600 went backwards, by up to 50000300 cycles\n"));
	assert_non_null(strstr(buf, "TSC_ADJUST BSP 0, APIC 2 -50000000 (IA32_TSC_ADJUST, "
			       "MSR 3BH)\n"));
	assert_non_null(strstr(buf, "invariant  yes: "));
	assert_non_null(strstr(buf, "verdict    APIC 2's TSC is 16666.6 us behind the "
			       "BSP's: status's times for it are off by that much (too "
			       "small, or negative)\n"));
}

static void test_report_of_an_ap_ahead_and_of_a_warp_alone(void **state)
{
	struct tsc_check c = agreeing();
	char buf[1024];

	(void)state;
	c.offset.cycles = 3000000;
	format_tsc_check(buf, sizeof(buf), &c);
	assert_non_null(strstr(buf, "APIC 2's TSC is 1000.0 us ahead of the BSP's: status's "
			       "times for it are off by that much (too large)\n"));
	c.offset.cycles = 0;
	c.warp.backwards = 1;
	c.warp.max_backwards = 700;
	format_tsc_check(buf, sizeof(buf), &c);
	assert_non_null(strstr(buf, "verdict    APIC 2's TSC went backwards against the BSP's "
			       "by up to 700 cycles"));
	c.warp = (struct tsc_warp){ .reads = 3000 };
	format_tsc_check(buf, sizeof(buf), &c);
	assert_non_null(strstr(buf, "0 turns from one CPU to the other: the CPUs never took "
			       "turns, nothing compared\n"));
}

static void test_report_truncates_safely(void **state)
{
	struct tsc_check c = agreeing();
	char buf[40], full[1024];

	(void)state;
	int n = format_tsc_check(buf, sizeof(buf), &c);

	assert_int_equal(n, format_tsc_check(full, sizeof(full), &c));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_memory_equal(buf, full, sizeof(buf) - 1);
}

static void test_cycles_as_microseconds(void **state)
{
	char buf[32];

	(void)state;
	format_cycles_us(buf, sizeof(buf), 4500, HZ);
	assert_string_equal(buf, "1.5");
	format_cycles_us(buf, sizeof(buf), -299, HZ);
	assert_string_equal(buf, "-0.0");
	format_cycles_us(buf, sizeof(buf), INT64_MIN, HZ);
	assert_string_equal(buf, "-3074457345618258.6");
	format_cycles_us(buf, sizeof(buf), 5, 999999);	/* below 1 MHz: no scale */
	assert_string_equal(buf, "?");
}

static void test_skew_bounds(void **state)
{
	(void)state;
	assert_int_equal(tsc_skew_check(-50000000, HZ, 1000000000), TSC_SKEW_OK);
	assert_int_equal(tsc_skew_check(60 * (int64_t)HZ, HZ, 0), TSC_SKEW_OK);
	assert_int_equal(tsc_skew_check(60 * (int64_t)HZ + 1, HZ, 0), TSC_SKEW_TOO_FAR);
	assert_int_equal(tsc_skew_check(-60 * (int64_t)HZ - 1, HZ, UINT64_MAX), TSC_SKEW_TOO_FAR);
	assert_int_equal(tsc_skew_check(INT64_MIN, HZ, UINT64_MAX), TSC_SKEW_TOO_FAR);
	assert_int_equal(tsc_skew_check(-1001, HZ, 1000), TSC_SKEW_BELOW_ZERO);
	assert_int_equal(tsc_skew_check(-1000, HZ, 1000), TSC_SKEW_OK);
}

static void test_skew_took(void **state)
{
	struct tsc_offset before = { .samples = 16, .cycles = 100, .round_trip = 1000 };
	struct tsc_offset after = { .samples = 16, .cycles = -49999700, .round_trip = 800 };

	(void)state;
	assert_true(tsc_skew_took(&before, &after, -50000100));
	after.cycles = 300;		/* the CPU ignored the write */
	assert_false(tsc_skew_took(&before, &after, -50000100));
	after.cycles = -200;		/* skew 0 when already close: within the trips */
	assert_true(tsc_skew_took(&before, &after, -100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_warp_counts_turns_and_backward_steps),
		cmocka_unit_test(test_offset_keeps_the_shortest_round_trip),
		cmocka_unit_test(test_offset_of_an_ap_behind_and_across_a_wrap),
		cmocka_unit_test(test_agreement_needs_zero_within_the_uncertainty),
		cmocka_unit_test(test_report_of_agreeing_tscs),
		cmocka_unit_test(test_report_of_an_ap_behind),
		cmocka_unit_test(test_report_of_an_ap_ahead_and_of_a_warp_alone),
		cmocka_unit_test(test_report_truncates_safely),
		cmocka_unit_test(test_cycles_as_microseconds),
		cmocka_unit_test(test_skew_bounds),
		cmocka_unit_test(test_skew_took),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
