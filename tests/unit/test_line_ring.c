/* Unit tests for kernel/lib/line_ring.c: whole lines only, publish order
 * across rings, wrap-around, a full ring, lines longer than a ring. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/line_ring.h"

#define NRINGS 3

static struct line_ring rings[NRINGS];
static uint32_t counter;
static char printed[64 * LINE_RING_SIZE];
static size_t printed_len;
static size_t emits;

static void emit(const char *s, size_t n)
{
	assert_true(printed_len + n < sizeof(printed));
	memcpy(printed + printed_len, s, n);
	printed_len += n;
	printed[printed_len] = '\0';
	emits++;
}

static int setup(void **state)
{
	(void)state;
	memset(rings, 0, sizeof(rings));
	counter = 0;
	printed_len = 0;
	printed[0] = '\0';
	emits = 0;
	return 0;
}

static size_t put(int ring, const char *s)
{
	return line_ring_write(&rings[ring], s, strlen(s), &counter);
}

static size_t drain(void)
{
	return line_rings_drain(rings, NRINGS, emit);
}

/* Print what was drained since the last call and forget it. */
static const char *take(void)
{
	static char copy[sizeof(printed)];

	memcpy(copy, printed, printed_len + 1);
	printed_len = 0;
	printed[0] = '\0';
	return copy;
}

static void test_only_whole_lines(void **state)
{
	(void)state;
	assert_int_equal(put(0, "Hello "), 6);
	assert_false(line_rings_pending(rings, NRINGS));
	assert_int_equal(drain(), 0);
	put(0, "World\nand the next");
	assert_true(line_rings_pending(rings, NRINGS));
	assert_int_equal(drain(), 1);
	assert_string_equal(take(), "Hello World\n");
	assert_int_equal(drain(), 0);		/* each line once */
	put(0, " line\n");
	drain();
	assert_string_equal(take(), "and the next line\n");
	assert_false(line_rings_pending(rings, NRINGS));
}

/* Writes to the rings in order, then one drain that must print expected. */
struct step {
	int ring;
	const char *text;
};

static void check_drain(const struct step *steps, size_t n, const char *expected)
{
	for (size_t i = 0; i < n; i++)
		put(steps[i].ring, steps[i].text);
	drain();
	assert_string_equal(take(), expected);
}
#define CHECK_DRAIN(steps, expected) \
	check_drain(steps, sizeof(steps) / sizeof(steps[0]), expected)

static void test_lines_of_one_write_are_one_record(void **state)
{
	static const struct step steps[] = { { 0, "a1\n" }, { 1, "b1\nb2\n" }, { 0, "a2\n" } };

	(void)state;
	CHECK_DRAIN(steps, "a1\nb1\nb2\na2\n");
	assert_int_equal(counter, 3);
}

/* Completed in this order; the open part "c1 " does not count. */
static void test_publish_order_across_rings(void **state)
{
	static const struct step steps[] = {
		{ 2, "c1 " }, { 1, "b1\n" }, { 0, "a1\n" }, { 2, "done\n" }, { 0, "a2\n" },
		{ 1, "b2\n" },
	};

	(void)state;
	CHECK_DRAIN(steps, "b1\na1\nc1 done\na2\nb2\n");
}

static void test_order_survives_counter_wrap(void **state)
{
	static const struct step steps[] = {
		{ 1, "first\n" }, { 0, "second\n" }, { 1, "third\n" /* numbered 0 */ },
		{ 0, "fourth\n" },
	};

	(void)state;
	counter = UINT32_MAX - 1;
	CHECK_DRAIN(steps, "first\nsecond\nthird\nfourth\n");
}

/* A number taken but never published (its CPU got INIT in between)
 * does not hold back the lines after it. */
static void test_lost_number_does_not_stall(void **state)
{
	(void)state;
	put(0, "before\n");
	counter++;
	put(1, "after\n");
	assert_int_equal(drain(), 2);
	assert_string_equal(take(), "before\nafter\n");
}

static void test_drop_open(void **state)
{
	(void)state;
	put(0, "half a li");
	line_ring_drop_open(&rings[0]);
	put(0, "whole\n");
	drain();
	assert_string_equal(take(), "whole\n");
}

/* Lines of many lengths through one ring, drained now and then: every
 * byte comes out once, in order, across many wrap-arounds. */
static void test_wrap_around(void **state)
{
	static char sent[16 * LINE_RING_SIZE];
	size_t sent_len = 0;

	(void)state;
	for (int i = 0; sent_len + 200 < sizeof(sent); i++) {
		char line[200];
		int n = snprintf(line, sizeof(line), "%d:%.*s\n", i, i % 150,
				 "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghij"
				 "klmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrs"
				 "tuvwxyzabcdefghijklmnopqrstuvwxyz");

		assert_int_equal(line_ring_write(&rings[0], line, (size_t)n, &counter),
				 (size_t)n);
		memcpy(sent + sent_len, line, (size_t)n);
		sent_len += (size_t)n;
		if (i % 7 == 0)
			drain();
	}
	drain();
	assert_int_equal(printed_len, sent_len);
	assert_memory_equal(printed, sent, sent_len);
	assert_true(emits > counter);	/* some records were split by the wrap */
}

/* A full ring takes no more until the consumer prints; nothing is lost. */
static void test_full_ring_waits_for_the_consumer(void **state)
{
	char line[64];
	size_t taken = 0, lines = 0;

	(void)state;
	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (;;) {
		size_t k = line_ring_write(&rings[0], line, sizeof(line), &counter);

		taken += k;
		if (k < sizeof(line))
			break;
		lines++;
	}
	/* Every published line costs its text and a header. */
	assert_int_equal(lines, LINE_RING_SIZE / (sizeof(line) + LINE_RING_HEADER));
	assert_true(taken <= LINE_RING_SIZE);
	assert_int_equal(line_ring_write(&rings[0], "y\n", 2, &counter), 0);
	assert_int_equal(drain(), lines);	/* the partial line stays open */
	size_t rest = sizeof(line) - (taken - lines * sizeof(line));

	assert_int_equal(line_ring_write(&rings[0], line + sizeof(line) - rest, rest,
					 &counter), rest);
	drain();
	assert_int_equal(printed_len, (lines + 1) * sizeof(line));
}

/* A line longer than the ring goes out in pieces, each once. */
static void test_line_longer_than_ring(void **state)
{
	static char line[2 * LINE_RING_SIZE + 100];
	size_t done = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(line) - 1; i++)
		line[i] = (char)('a' + i % 26);
	line[sizeof(line) - 1] = '\n';
	while (done < sizeof(line)) {
		size_t k = line_ring_write(&rings[0], line + done, sizeof(line) - done, &counter);

		done += k;
		drain();
	}
	assert_int_equal(printed_len, sizeof(line));
	assert_memory_equal(printed, line, sizeof(line));
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_only_whole_lines),
		T(test_lines_of_one_write_are_one_record),
		T(test_publish_order_across_rings),
		T(test_order_survives_counter_wrap),
		T(test_lost_number_does_not_stall),
		T(test_drop_open),
		T(test_wrap_around),
		T(test_full_ring_waits_for_the_consumer),
		T(test_line_longer_than_ring),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
