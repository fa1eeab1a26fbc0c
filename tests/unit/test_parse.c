/* Unit tests for monitor/parse.c: tokenize, parse_u64, parse_i64. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "lib/parse.h"

static void test_tokenize_words(void **state)
{
	char line[] = "  pt\t0x1000   extra ";
	char *argv[MAX_ARGS];

	(void)state;
	assert_int_equal(tokenize(line, argv, MAX_ARGS), 3);
	assert_string_equal(argv[0], "pt");
	assert_string_equal(argv[1], "0x1000");
	assert_string_equal(argv[2], "extra");
	/* The words point into the line itself. */
	assert_ptr_equal(argv[0], line + 2);
}

static void test_tokenize_empty_and_blank(void **state)
{
	char empty[] = "";
	char blank[] = " \t \t";
	char *argv[MAX_ARGS];

	(void)state;
	assert_int_equal(tokenize(empty, argv, MAX_ARGS), 0);
	assert_int_equal(tokenize(blank, argv, MAX_ARGS), 0);
}

static void test_tokenize_exactly_max(void **state)
{
	char line[] = "a b c d e f g h";
	char *argv[MAX_ARGS];

	(void)state;
	assert_int_equal(tokenize(line, argv, MAX_ARGS), MAX_ARGS);
	assert_string_equal(argv[7], "h");
}

static void test_tokenize_too_many(void **state)
{
	char line[] = "a b c d e f g h i";
	char trailing_blank[] = "a b c d e f g h   ";
	char *argv[MAX_ARGS + 1] = { 0 };

	(void)state;
	assert_int_equal(tokenize(line, argv, MAX_ARGS), -1);
	assert_null(argv[MAX_ARGS]);	/* never writes past max_args */
	assert_int_equal(tokenize(trailing_blank, argv, MAX_ARGS), MAX_ARGS);
}

static void test_decimal(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_u64("0", &v), NUM_OK);
	assert_int_equal(v, 0);
	assert_int_equal(parse_u64("4096", &v), NUM_OK);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_u64("007", &v), NUM_OK);
	assert_int_equal(v, 7);
	assert_int_equal(parse_u64("18446744073709551615", &v), NUM_OK);
	assert_true(v == UINT64_MAX);
}

static void test_hex(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(parse_u64("0x1000", &v), NUM_OK);
	assert_int_equal(v, 0x1000);
	assert_int_equal(parse_u64("0XdeadBEEF", &v), NUM_OK);
	assert_int_equal(v, 0xdeadbeef);
	assert_int_equal(parse_u64("0xffffffffffffffff", &v), NUM_OK);
	assert_true(v == UINT64_MAX);
	assert_int_equal(parse_u64("0x0000000000000000001", &v), NUM_OK);
	assert_int_equal(v, 1);
}

static void test_overflow(void **state)
{
	uint64_t v = 42;

	(void)state;
	assert_int_equal(parse_u64("18446744073709551616", &v), NUM_OVERFLOW);
	assert_int_equal(parse_u64("99999999999999999999999", &v), NUM_OVERFLOW);
	assert_int_equal(parse_u64("0x10000000000000000", &v), NUM_OVERFLOW);
	assert_int_equal(v, 42);	/* untouched on error */
}

static void test_rejects(void **state)
{
	uint64_t v = 42;

	(void)state;
	assert_int_equal(parse_u64("", &v), NUM_EMPTY);
	assert_int_equal(parse_u64(NULL, &v), NUM_EMPTY);
	assert_int_equal(parse_u64("0x", &v), NUM_EMPTY);
	assert_int_equal(parse_u64("0X", &v), NUM_EMPTY);
	assert_int_equal(parse_u64("12z", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_u64("-1", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_u64("+1", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_u64("12a", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_u64("0xfg", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_u64("0x0x1", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_u64(" 1", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_u64("1 ", &v), NUM_BAD_DIGIT);
	/* Junk wins over overflow: the word is not a number at all. */
	assert_int_equal(parse_u64("99999999999999999999999z", &v),
			 NUM_BAD_DIGIT);
	assert_int_equal(v, 42);
}

static void test_signed(void **state)
{
	int64_t v = 42;

	(void)state;
	assert_int_equal(parse_i64("-50000000", &v), NUM_OK);
	assert_true(v == -50000000);
	assert_int_equal(parse_i64("+0x10", &v), NUM_OK);
	assert_true(v == 16);
	assert_int_equal(parse_i64("-0", &v), NUM_OK);
	assert_true(v == 0);
	assert_int_equal(parse_i64("9223372036854775807", &v), NUM_OK);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_i64("-9223372036854775808", &v), NUM_OK);
	assert_true(v == INT64_MIN);
	v = 42;
	assert_int_equal(parse_i64("9223372036854775808", &v), NUM_SIGNED_OVERFLOW);
	assert_int_equal(parse_i64("-9223372036854775809", &v), NUM_SIGNED_OVERFLOW);
	assert_int_equal(parse_i64("-99999999999999999999999", &v), NUM_SIGNED_OVERFLOW);
	assert_int_equal(parse_i64("-", &v), NUM_EMPTY);
	assert_int_equal(parse_i64("--5", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_i64("+-5", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_i64("-5x", &v), NUM_BAD_DIGIT);
	assert_int_equal(parse_i64(NULL, &v), NUM_EMPTY);
	assert_int_equal(v, 42);	/* untouched on error */
}

static void test_error_strings(void **state)
{
	(void)state;
	assert_string_equal(num_error_str(NUM_BAD_DIGIT), "not a number");
	assert_string_equal(num_error_str(NUM_OVERFLOW),
			    "too large (above 2^64-1)");
	assert_string_equal(num_error_str(NUM_SIGNED_OVERFLOW),
			    "too large (beyond -2^63 to 2^63-1)");
	assert_string_equal(num_error_str(NUM_EMPTY), "no digits");
	assert_string_equal(num_error_str(NUM_OK), "ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize_words),
		cmocka_unit_test(test_tokenize_empty_and_blank),
		cmocka_unit_test(test_tokenize_exactly_max),
		cmocka_unit_test(test_tokenize_too_many),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_error_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
