/* Unit tests for kernel/smp/status_format.c (with kernel/lib/format.c and
 * kernel/arch/exceptions.c): the stage `status` shows for every BSP step and
 * recorded stage, the table rows, and the timeline bars. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/exceptions.h"
#include "smp/status_format.h"

/* An AP as the BSP last saw it: its step and the stage in its record; no
 * times yet (set_times adds them). */
static struct ap_view view(uint32_t apic, enum ap_step step, uint8_t stage)
{
	struct ap_view v;

	memset(&v, 0, sizeof(v));
	v.apic_id = apic;
	v.step = step;
	v.stage = stage;
	v.sipis = step == AP_SIPI_SENT ? 1 : 0;
	return v;
}

static void set_times(struct ap_view *v, const int64_t *us, int count)
{
	for (int s = 0; s < count; s++) {
		v->has_time[s] = true;
		v->stage_us[s] = us[s];
	}
}

/* ---- names ------------------------------------------------------------- */

static void test_stage_names(void **state)
{
	static const char *const want[STAGE_COUNT] = {
		"none", "real", "protected", "long", "c-entry", "hello", "idle",
		"no-cpudata", "fault", "offline", "init", "sipi", "timeout",
	};

	(void)state;
	for (int s = 0; s < STAGE_COUNT; s++)
		assert_string_equal(stage_name((enum stage)s), want[s]);
	assert_string_equal(stage_name(STAGE_COUNT), "corrupt");
}

/* A record holds only what the AP writes; any other code is corrupt. */
static void test_record_stage_names(void **state)
{
	(void)state;
	for (int s = 0; s < 256; s++)
		assert_string_equal(record_stage_name((uint8_t)s),
				    s < STAGE_RECORDED ? stage_name((enum stage)s) : "corrupt");
	assert_string_equal(record_stage_name(STAGE_FAULT), "fault");
	assert_string_equal(record_stage_name(STAGE_OFFLINE), "corrupt");
}

static void test_final_stages(void **state)
{
	(void)state;
	for (int s = 0; s < 256; s++) {
		bool final = s == STAGE_IDLE || s == STAGE_NO_CPUDATA || s == STAGE_FAULT;

		assert_int_equal(stage_is_final((uint8_t)s), final);
	}
}

static void test_exception_names(void **state)
{
	(void)state;
	assert_string_equal(exception_name(0), "#DE divide error");
	assert_string_equal(exception_name(6), "#UD invalid opcode");
	assert_string_equal(exception_name(13), "#GP general protection");
	assert_string_equal(exception_name(14), "#PF page fault");
	assert_string_equal(exception_name(15), "reserved vector");
	assert_string_equal(exception_name(31), "reserved vector");
	assert_string_equal(exception_name(32), "reserved vector");
	assert_string_equal(exception_name(0xFFFFFFFFu), "reserved vector");
	for (unsigned v = 0; v < 32; v++)
		assert_non_null(exception_name(v));
}

/* ---- ap_stage: every step x recorded code, and the timeout --------------- */

static void test_ap_stage_every_combination(void **state)
{
	(void)state;
	for (int s = 0; s < 256; s++) {
		struct ap_view v = view(1, AP_OFFLINE, (uint8_t)s);

		/* Before the SIPI a record is stale: the BSP's step wins. */
		assert_int_equal(ap_stage(&v), STAGE_OFFLINE);
		v.step = AP_INIT_SENT;
		assert_int_equal(ap_stage(&v), STAGE_INIT);
		v.step = AP_SIPI_SENT;
		/* A stage code beyond the recorded ones is not trusted. */
		assert_int_equal(ap_stage(&v),
				 s == STAGE_NONE || s >= STAGE_RECORDED ? STAGE_SIPI : s);
		for (int step = AP_OFFLINE; step <= AP_SIPI_SENT; step++) {
			v.step = (enum ap_step)step;
			v.timed_out = true;
			assert_int_equal(ap_stage(&v), STAGE_TIMEOUT);
			v.timed_out = false;
		}
	}
}

/* ---- rows ----------------------------------------------------------------- */

static void test_timeline_header(void **state)
{
	char buf[200];
	const char *want = "timeline, 0 to 639 us after SIPI (R real, P protected, L long, "
			   "C c-entry, H hello, I idle):";

	(void)state;
	assert_int_equal(format_timeline_header(buf, sizeof(buf), 639), (int)strlen(want));
	assert_string_equal(buf, want);
	/* Cut short, it still ends in a NUL inside the buffer. */
	format_timeline_header(buf, 40, 639);
	assert_int_equal(strlen(buf), 39);
}

static void test_header(void **state)
{
	char buf[200];
	const char *want = "APIC  state       SIPIs     real protected     long  c-entry"
			   "    hello     idle   (us after SIPI)";

	(void)state;
	assert_int_equal(format_status_header(buf, sizeof(buf)), (int)strlen(want));
	assert_string_equal(buf, want);
}

static void test_row_idle(void **state)
{
	static const int64_t us[] = { 562, 617, 677, 690, 866, 871 };
	struct ap_view v = view(1, AP_SIPI_SENT, STAGE_IDLE);
	char buf[200];
	const char *want = "   1  idle            2      562       617      677      690"
			   "      866      871";

	(void)state;
	v.sipis = 2;
	set_times(&v, us, 6);
	assert_int_equal(format_status_row(buf, sizeof(buf), &v), (int)strlen(want));
	assert_string_equal(buf, want);
}

/* Each column of a row ends where its header word ends. */
static void test_row_columns_line_up_with_header(void **state)
{
	static const int64_t us[] = { 1, 22, 333, 4444, 55555, 666666 };
	static const char *const words[] = {
		"APIC", "SIPIs", "real", "protected", "long", "c-entry", "hello", "idle",
	};
	struct ap_view v = view(63, AP_SIPI_SENT, STAGE_IDLE);
	char head[200], row[200];

	(void)state;
	v.sipis = 12345;
	set_times(&v, us, 6);
	format_status_header(head, sizeof(head));
	format_status_row(row, sizeof(row), &v);
	const char *values[] = { "63", "12345", "1", "22", "333", "4444", "55555", "666666" };
	for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		const char *w = strstr(head, words[i]);
		assert_non_null(w);
		size_t end = (size_t)(w - head) + strlen(words[i]);
		size_t len = strlen(values[i]);

		assert_true(end <= strlen(row));
		assert_memory_equal(row + end - len, values[i], len);
		assert_true(row[end] == ' ' || row[end] == '\0');
	}
	/* state starts under "state" */
	assert_int_equal(strstr(row, "idle") - row, strstr(head, "state") - head);
}

static void test_row_missing_times_are_dashes(void **state)
{
	struct ap_view v = view(2, AP_OFFLINE, STAGE_NONE);
	char buf[200];
	const char *want = "   2  offline         0        -         -        -        -"
			   "        -        -";

	(void)state;
	format_status_row(buf, sizeof(buf), &v);
	assert_string_equal(buf, want);

	/* real and protected known, the rest not yet */
	static const int64_t us[] = { 100, 120 };
	v = view(3, AP_SIPI_SENT, STAGE_PROTECTED);
	set_times(&v, us, 2);
	format_status_row(buf, sizeof(buf), &v);
	assert_string_equal(buf, "   3  protected       1      100       120        -        -"
			    "        -        -");
}

static void test_row_fault_detail(void **state)
{
	static const int64_t us[] = { 349 };
	struct ap_view v = view(1, AP_SIPI_SENT, STAGE_FAULT);
	char buf[200];

	(void)state;
	v.sipis = 2;
	set_times(&v, us, 1);
	v.fault_vector = 6;
	v.fault_stage = STAGE_REAL;
	v.fault_ip = 0x100e5;
	format_status_row(buf, sizeof(buf), &v);
	assert_string_equal(buf, "   1  fault           2      349         -        -        -"
			    "        -        -   #UD invalid opcode, error code 0x0, at 0x100e5,"
			    " after stage real");

	static const int64_t us4[] = { 428, 489, 558, 572 };
	v = view(3, AP_SIPI_SENT, STAGE_FAULT);
	set_times(&v, us4, 4);
	v.fault_vector = 14;
	v.fault_error = 0x10;
	v.fault_stage = STAGE_C_ENTRY;
	v.fault_ip = 0x7f0000000000ull;
	format_status_row(buf, sizeof(buf), &v);
	assert_non_null(strstr(buf, "      572        -        -   #PF page fault, error code "
				    "0x10, at 0x7f0000000000, after stage c-entry"));

	/* A fault stage left in a record from before the last INIT is not shown. */
	v.step = AP_INIT_SENT;
	format_status_row(buf, sizeof(buf), &v);
	assert_null(strstr(buf, "page fault"));
	assert_memory_equal(buf, "   3  init", 10);
}

static void test_row_timeout_and_overflow(void **state)
{
	struct ap_view v = view(5, AP_SIPI_SENT, STAGE_NONE);
	char buf[300];

	(void)state;
	v.timed_out = true;
	format_status_row(buf, sizeof(buf), &v);
	assert_string_equal(buf, "   5  timeout         1        -         -        -        -"
			    "        -        -   no answer; last stage: none");
	/* A SIPI with no INIT before it: the row says what was missing. */
	v.no_init = true;
	format_status_row(buf, sizeof(buf), &v);
	assert_non_null(strstr(buf, "   no answer; last stage: none (no INIT before the SIPI: "
				    "'init APIC' first)"));

	static const int64_t us[] = { 10, 20, 30 };
	v = view(5, AP_SIPI_SENT, STAGE_LONG);
	set_times(&v, us, 3);
	v.timed_out = true;
	v.stack_overflow = true;
	format_status_row(buf, sizeof(buf), &v);
	assert_non_null(strstr(buf, "   no answer; last stage: long   STACK OVERFLOW "
				    "(canary overwritten)"));

	v = view(6, AP_OFFLINE, STAGE_NONE);
	v.stack_overflow = true;
	format_status_row(buf, sizeof(buf), &v);
	assert_non_null(strstr(buf, "-   STACK OVERFLOW (canary overwritten)"));
}

static void test_row_negative_and_wide_times(void **state)
{
	static const int64_t us[] = { -3, 0, 123456789 };
	struct ap_view v = view(1, AP_SIPI_SENT, STAGE_LONG);
	char buf[200];

	(void)state;
	set_times(&v, us, 3);
	format_status_row(buf, sizeof(buf), &v);
	assert_string_equal(buf, "   1  long            1       -3         0 123456789        -"
			    "        -        -");
}

/* A short buffer: truncated, terminated, never overrun (ASan watches). */
static void test_row_truncation(void **state)
{
	static const int64_t us[] = { 1, 2, 3, 4 };
	struct ap_view v = view(1, AP_SIPI_SENT, STAGE_FAULT);
	char full[300];

	(void)state;
	set_times(&v, us, 4);
	v.fault_vector = 14;
	v.fault_stage = STAGE_C_ENTRY;
	v.stack_overflow = true;
	int n = format_status_row(full, sizeof(full), &v);
	assert_int_equal(n, (int)strlen(full));
	for (size_t size = 1; size < strlen(full) + 2; size++) {
		char *buf = test_malloc(size);

		format_status_row(buf, size, &v);
		assert_int_equal(strlen(buf), size - 1 < strlen(full) ? size - 1 : strlen(full));
		assert_memory_equal(buf, full, strlen(buf));
		test_free(buf);
	}
}

/* ---- timeline -------------------------------------------------------------- */

static const char *bar_of(const char *row)
{
	const char *bar = strchr(row, '|');

	assert_non_null(bar);
	assert_int_equal(row[strlen(row) - 1], '|');
	return bar + 1;
}

static void letters_of(const char *row, char *out)
{
	for (const char *p = bar_of(row); *p != '|'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*out++ = *p;
	*out = '\0';
}

static void test_timeline_positions(void **state)
{
	static const int64_t us[] = { 0, 100, 200, 300, 400, 590 };
	struct ap_view v = view(2, AP_SIPI_SENT, STAGE_IDLE);
	char buf[200];

	(void)state;
	set_times(&v, us, 6);
	/* width 60, max 590: column = t * 59 / 590 = t / 10 */
	int n = format_timeline_row(buf, sizeof(buf), &v, 590, 60);
	assert_int_equal(n, (int)strlen(buf));
	assert_string_equal(buf, "   2 |R---------P---------L---------C---------H----------"
			    "--------I|");
}

static void test_timeline_empty_and_partial(void **state)
{
	struct ap_view v = view(3, AP_OFFLINE, STAGE_NONE);
	char buf[200], letters[16];

	(void)state;
	format_timeline_row(buf, sizeof(buf), &v, 1000, 20);
	assert_string_equal(buf, "   3 |                    |");

	static const int64_t us[] = { 500 };
	v = view(3, AP_SIPI_SENT, STAGE_FAULT);
	set_times(&v, us, 1);
	format_timeline_row(buf, sizeof(buf), &v, 1000, 21);
	assert_string_equal(buf, "   3 |----------R          |");
	letters_of(buf, letters);
	assert_string_equal(letters, "R");
}

/* Stages whose times fall in one column still each get a column of their
 * own, in order: a letter is never overwritten. */
static void test_timeline_collisions_keep_every_letter(void **state)
{
	static const int64_t same[] = { 50, 50, 50, 50, 50, 50 };
	struct ap_view v = view(1, AP_SIPI_SENT, STAGE_IDLE);
	char buf[200], letters[16];

	(void)state;
	set_times(&v, same, 6);
	format_timeline_row(buf, sizeof(buf), &v, 100, 40);
	letters_of(buf, letters);
	assert_string_equal(letters, "RPLCHI");
	assert_non_null(strstr(buf, "RPLCHI"));
	assert_int_equal(strlen(bar_of(buf)), 40 + 1);

	/* max_us 0: everything at the start, still in order */
	format_timeline_row(buf, sizeof(buf), &v, 0, 10);
	assert_string_equal(buf, "   1 |RPLCHI    |");
}

/* The AP that sets the scale: hello and idle both at (or next to) the right
 * edge. The idle letter must still be drawn, inside the bar. */
static void test_timeline_collision_at_right_edge(void **state)
{
	static const int64_t us[] = { 291, 297, 306, 307, 720, 720 };
	struct ap_view v = view(3, AP_SIPI_SENT, STAGE_IDLE);
	char buf[200], letters[16];

	(void)state;
	set_times(&v, us, 6);
	format_timeline_row(buf, sizeof(buf), &v, 720, 60);
	letters_of(buf, letters);
	assert_string_equal(letters, "RPLCHI");
	assert_int_equal(strlen(bar_of(buf)), 60 + 1);
	assert_int_equal(bar_of(buf)[59], 'I');

	/* every stage at the maximum: the letters pile up leftwards from the edge */
	static const int64_t end[] = { 720, 720, 720, 720, 720, 720 };
	set_times(&v, end, 6);
	format_timeline_row(buf, sizeof(buf), &v, 720, 8);
	letters_of(buf, letters);
	assert_string_equal(letters, "RPLCHI");
	assert_int_equal(strlen(bar_of(buf)), 8 + 1);
}

static void test_timeline_width_respected(void **state)
{
	static const int64_t us[] = { 1, 2, 3, 4, 5, 1000000 };
	struct ap_view v = view(4, AP_SIPI_SENT, STAGE_IDLE);
	char buf[300];

	(void)state;
	set_times(&v, us, 6);
	for (int width = 6; width <= 127; width++) {
		format_timeline_row(buf, sizeof(buf), &v, 1000000, width);
		assert_int_equal(strlen(buf), 4 + 2 + (size_t)width + 1);
		assert_int_equal(bar_of(buf)[width - 1], 'I');
	}
	/* Wider than the internal bar: clamped, not overrun. */
	format_timeline_row(buf, sizeof(buf), &v, 1000000, 500);
	assert_int_equal(strlen(buf), 4 + 2 + 127 + 1);
	/* Narrower than the letters: what fits, in order, and no more. */
	format_timeline_row(buf, sizeof(buf), &v, 1000000, 3);
	assert_string_equal(buf, "   4 |RPL|");
	/* A short output buffer is truncated, not overrun. */
	char small[10];
	format_timeline_row(small, sizeof(small), &v, 1000000, 60);
	assert_string_equal(small, "   4 |RPL");
}

static void test_timeline_negative_times_clamped(void **state)
{
	static const int64_t us[] = { -50, -1, 0, 30 };
	struct ap_view v = view(1, AP_SIPI_SENT, STAGE_C_ENTRY);
	char buf[200];

	(void)state;
	set_times(&v, us, 4);
	format_timeline_row(buf, sizeof(buf), &v, 30, 31);
	assert_string_equal(buf, "   1 |RPL---------------------------C|");
}

/* Times beyond max_us (an AP still climbing while another set the scale)
 * stay inside the bar. */
static void test_timeline_time_beyond_max(void **state)
{
	static const int64_t us[] = { 10, 5000 };
	struct ap_view v = view(1, AP_SIPI_SENT, STAGE_PROTECTED);
	char buf[200];

	(void)state;
	set_times(&v, us, 2);
	format_timeline_row(buf, sizeof(buf), &v, 100, 11);
	assert_string_equal(buf, "   1 |-R--------P|");
}

/* Times as large as a record can hold (found by tests/fuzz/fuzz_status_format):
 * placing them on the bar must not overflow t * (width - 1). */
static void test_timeline_huge_times(void **state)
{
	static const int64_t us[] = { INT64_MAX / 4, INT64_MAX / 2, INT64_MAX };
	struct ap_view v = view(1, AP_SIPI_SENT, STAGE_LONG);
	char buf[200];

	(void)state;
	set_times(&v, us, 3);
	format_timeline_row(buf, sizeof(buf), &v, INT64_MAX, 9);
	assert_string_equal(buf, "   1 |--R-P---L|");
	/* far beyond the scale: at the right edge, not wrapped round */
	format_timeline_row(buf, sizeof(buf), &v, 1000, 9);
	assert_string_equal(buf, "   1 |------RPL|");
	format_compact_row(buf, sizeof(buf), &v, 1000, 9);
	assert_non_null(strstr(buf, "|------RPL|"));
}

/* ---- the compact form (many APs) ---------------------------------------- */

static void test_summary_counts_each_state(void **state)
{
	unsigned counts[STAGE_COUNT] = { 0 };
	char buf[200];

	(void)state;
	counts[STAGE_IDLE] = 250;
	counts[STAGE_FAULT] = 3;
	counts[STAGE_TIMEOUT] = 1;
	format_status_summary(buf, sizeof(buf), counts, 18465);
	assert_string_equal(buf, "254 APs: 250 idle, 3 fault, 1 timeout; the last idle "
				 "18465 us after the first SIPI");
	memset(counts, 0, sizeof(counts));
	counts[STAGE_INIT] = 1;
	format_status_summary(buf, sizeof(buf), counts, -1);
	assert_string_equal(buf, "1 AP: 1 init");
}

static void test_compact_row(void **state)
{
	static const int64_t us[] = { 100, 110, 120, 130, 900, 1000 };
	struct ap_view v = view(201, AP_SIPI_SENT, STAGE_IDLE);
	char head[100], buf[200];

	(void)state;
	set_times(&v, us, 6);
	format_compact_row(buf, sizeof(buf), &v, 2000, 40);
	/* On 0..39 for 0..2000 us: R at 100 us in column 1, then P, L and C
	 * each pushed one column on, H at column 17 (900 * 39 / 2000), I at 19. */
	assert_string_equal(buf, " 201  idle            1       1000 "
				 "|-RPLC------------H-I                    |");
	format_compact_header(head, sizeof(head));
	assert_int_equal(strstr(head, "latest us") + strlen("latest us") - head,
			 strstr(buf, "1000") + 4 - buf);
	/* Nothing yet: a dash for the time, an empty bar. */
	v = view(7, AP_INIT_SENT, STAGE_NONE);
	format_compact_row(buf, sizeof(buf), &v, 2000, 10);
	assert_string_equal(buf, "   7  init            0          - |          |");
}

static void test_compact_row_fault_and_truncation(void **state)
{
	static const int64_t us[] = { 100, 110 };
	struct ap_view v = view(3, AP_SIPI_SENT, STAGE_FAULT);
	char buf[200], small[20];

	(void)state;
	set_times(&v, us, 2);
	v.fault_vector = 13;
	v.fault_stage = STAGE_PROTECTED;
	format_compact_row(buf, sizeof(buf), &v, 110, 20);
	assert_non_null(strstr(buf, "|   #GP"));
	assert_non_null(strstr(buf, "after stage protected"));
	format_compact_row(small, sizeof(small), &v, 110, 20);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, buf, sizeof(small) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage_names),
		cmocka_unit_test(test_summary_counts_each_state),
		cmocka_unit_test(test_compact_row),
		cmocka_unit_test(test_compact_row_fault_and_truncation),
		cmocka_unit_test(test_record_stage_names),
		cmocka_unit_test(test_final_stages),
		cmocka_unit_test(test_exception_names),
		cmocka_unit_test(test_ap_stage_every_combination),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_timeline_header),
		cmocka_unit_test(test_row_idle),
		cmocka_unit_test(test_row_columns_line_up_with_header),
		cmocka_unit_test(test_row_missing_times_are_dashes),
		cmocka_unit_test(test_row_fault_detail),
		cmocka_unit_test(test_row_timeout_and_overflow),
		cmocka_unit_test(test_row_negative_and_wide_times),
		cmocka_unit_test(test_row_truncation),
		cmocka_unit_test(test_timeline_positions),
		cmocka_unit_test(test_timeline_empty_and_partial),
		cmocka_unit_test(test_timeline_collisions_keep_every_letter),
		cmocka_unit_test(test_timeline_collision_at_right_edge),
		cmocka_unit_test(test_timeline_width_respected),
		cmocka_unit_test(test_timeline_negative_times_clamped),
		cmocka_unit_test(test_timeline_time_beyond_max),
		cmocka_unit_test(test_timeline_huge_times),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
