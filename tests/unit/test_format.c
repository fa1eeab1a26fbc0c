/* Unit tests for kernel/lib/format.c: ksnprintf against fixed expectations and,
 * for the C-standard subset, against the host C library's snprintf. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lib/format.h"

/* ksnprintf into a roomy buffer: the text and the return value. */
#define EXPECT(want, ...) do {							\
	char buf_[512];								\
	int n_ = ksnprintf(buf_, sizeof(buf_), __VA_ARGS__);			\
	assert_string_equal(buf_, (want));					\
	assert_int_equal(n_, (int)strlen(want));				\
} while (0)

/* Same text and return value as the host's snprintf. */
#define LIKE_LIBC(...) do {							\
	char want_[512], got_[512];						\
	int wn_ = snprintf(want_, sizeof(want_), __VA_ARGS__);			\
	int gn_ = ksnprintf(got_, sizeof(got_), __VA_ARGS__);			\
	assert_string_equal(got_, want_);					\
	assert_int_equal(gn_, wn_);						\
} while (0)

static void test_plain_and_percent(void **state)
{
	(void)state;
	EXPECT("", "%s", "");
	EXPECT("hello", "hello");
	EXPECT("100%", "100%%");
	EXPECT("%%", "%%%%");
	LIKE_LIBC("a%%b%%c");
}

static void test_signed(void **state)
{
	(void)state;
	EXPECT("0", "%d", 0);
	EXPECT("-42 42", "%d %i", -42, 42);
	EXPECT("2147483647 -2147483648", "%d %d", INT32_MAX, INT32_MIN);
	EXPECT("-9223372036854775808", "%ld", (long)INT64_MIN);
	EXPECT("-9223372036854775808", "%lld", (long long)INT64_MIN);
	EXPECT("9223372036854775807", "%lld", (long long)INT64_MAX);
	LIKE_LIBC("%d|%i|%ld|%lld", -1, 7, -123456789012L, 123456789012345LL);
}

static void test_unsigned_bases(void **state)
{
	(void)state;
	EXPECT("4294967295", "%u", UINT32_MAX);
	EXPECT("18446744073709551615", "%lu", (unsigned long)UINT64_MAX);
	EXPECT("ff FF 777", "%x %X %o", 255u, 255u, 0777u);
	EXPECT("deadbeefcafe", "%lx", 0xdeadbeefcafeul);
	EXPECT("ffffffffffffffff", "%llx", (unsigned long long)UINT64_MAX);
	EXPECT("1777777777777777777777", "%llo", (unsigned long long)UINT64_MAX);
	LIKE_LIBC("%u %x %X %o %lu %lx %llo", 0u, 0u, 0xABCu, 8u, 0ul, 0x1ul, 0ull);
}

static void test_length_modifiers(void **state)
{
	(void)state;
	/* hh and h convert the promoted int back to char / short. */
	EXPECT("-56 200", "%hhd %hhu", 200, 200);
	EXPECT("ff 7f", "%hhx %hhx", -1, 0x17f);
	EXPECT("-1 65535", "%hd %hu", 0xffff, 0xffff);
	EXPECT("1234", "%hx", 0x51234);
	EXPECT("18446744073709551615", "%zu", (size_t)SIZE_MAX);
	EXPECT("ffffffffffffffff", "%zx", (size_t)-1);
	LIKE_LIBC("%hhd %hhu %hd %hu %zu %zx", 300, -1, 70000, -2, (size_t)12345,
		  (size_t)0xfffff);
}

static void test_width_and_flags(void **state)
{
	(void)state;
	EXPECT("   42|42   |00042", "%5d|%-5d|%05d", 42, 42, 42);
	EXPECT("  -42|-42  |-0042", "%5d|%-5d|%05d", -42, -42, -42);
	EXPECT("0x00000000001000ff", "0x%016lx", 0x1000fful);
	EXPECT("12345", "%3d", 12345);		/* width is a minimum */
	EXPECT("   ab|ab   |  x|x  ", "%5s|%-5s|%3c|%-3c", "ab", "ab", 'x', 'x');
	LIKE_LIBC("[%8x][%-8X][%08o][%+d][% d][%+d][% 5d][%+05d]", 0xbeefu, 0xbeefu,
		  8u, 5, 5, -5, 7, 7);
	LIKE_LIBC("[%#x][%#X][%#o][%#10x][%#-10x][%#010x]", 0x1fu, 0x1fu, 8u, 0xabu,
		  0xabu, 0xabu);
}

/* Corners where a home-made printf often differs from C. */
static void test_c_corner_cases(void **state)
{
	char buf[8];

	(void)state;
	LIKE_LIBC("[%#x][%#o][%#X][%#5x]", 0u, 0u, 0u, 0u);	/* '#' adds no 0x to 0 */
	LIKE_LIBC("[%#.5o][%#.1o][%#3o]", 8u, 8u, 0u);		/* '#' o: one leading 0 */
	LIKE_LIBC("[%+.0d][% .0d]", 0, 0);
	/* %c of NUL writes a NUL and counts it. */
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, sizeof(buf), "a%cb", 0), 3);
	assert_int_equal(buf[0], 'a');
	assert_int_equal(buf[1], '\0');
	assert_int_equal(buf[2], 'b');
	assert_int_equal(buf[3], '\0');
}

static void test_precision(void **state)
{
	(void)state;
	EXPECT("00042|-00042|  00042", "%.5d|%.5d|%7.5d", 42, -42, 42);
	EXPECT("", "%.0d", 0);			/* zero digits of zero */
	EXPECT("  ", "%2.0u", 0u);
	EXPECT("hel|hello|  he", "%.3s|%.9s|%4.2s", "hello", "hello", "hello");
	LIKE_LIBC("[%.3x][%8.4X][%-8.3o][%.0x][%.1d][%.10lu]", 0xau, 0xbu, 8u, 0u, 0,
		  123ul);
	LIKE_LIBC("[%.0s][%.2s][%-6.2s]", "abc", "abc", "abc");
}

static void test_star(void **state)
{
	(void)state;
	EXPECT("   42", "%*d", 5, 42);
	EXPECT("42   |", "%*d|", -5, 42);	/* negative width: left-justify */
	EXPECT("00042", "%.*d", 5, 42);
	EXPECT("42", "%.*d", -1, 42);		/* negative precision: none */
	EXPECT("  hel", "%*.*s", 5, 3, "hello");
	LIKE_LIBC("[%*x][%-*d][%.*s][%*.*d]", 6, 0xffu, 4, 3, 2, "xyz", 7, 3, -9);
}

/* volatile: gcc would otherwise see the NULL and refuse (-Wformat-overflow). */
static const char *volatile null_string = NULL;

static void test_char_string_pointer(void **state)
{
	int x;
	char want[64];

	(void)state;
	EXPECT("a-b", "%c-%c", 'a', 'b');
	EXPECT("(null)", "%s", null_string);
	EXPECT("(nu", "%.3s", null_string);
	EXPECT("0x1000", "%p", (void *)0x1000);
	EXPECT("0xffff800000000000", "%p", (void *)0xffff800000000000ull);
	snprintf(want, sizeof(want), "%p", (void *)&x);	/* glibc: 0x... */
	EXPECT(want, "%p", (void *)&x);
}

static void test_truncation_and_return_value(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");	/* size-1 characters and the NUL */

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, sizeof(buf), "%d|%x", -123, 0xabcdefu), 11);
	assert_string_equal(buf, "-123|ab");

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, 1, "abc"), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'X');		/* nothing past size */

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, 0, "abc%d", 12345), 8);
	assert_int_equal(buf[0], 'X');		/* size 0: the buffer is not touched */
	assert_int_equal(ksnprintf(NULL, 0, "%20s", "x"), 20);

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, sizeof(buf), "1234567"), 7);	/* exactly fits */
	assert_string_equal(buf, "1234567");
}

static int via_kvsnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int via_kvsnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_kvsnprintf(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(via_kvsnprintf(buf, sizeof(buf), "%s=%lu", "n", 5ul), 3);
	assert_string_equal(buf, "n=5");
}

/* Formats gcc would warn about; the kernel must still not crash or overrun. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
static void test_odd_formats(void **state)
{
	(void)state;
	EXPECT("ab", "ab%");			/* lone '%' at the end */
	EXPECT("%q", "%q");			/* unknown conversion printed as is */
	EXPECT("x%yz", "x%yz");
	EXPECT("  042", "%05.3d", 42);		/* '0' is ignored with a precision */
	EXPECT("42   ", "%-05d", 42);		/* '-' wins over '0' */
}
#pragma GCC diagnostic pop

static void test_format_size(void **state)
{
	char buf[16];

	(void)state;
	format_size(buf, sizeof(buf), 16384);
	assert_string_equal(buf, "16 KiB");
	format_size(buf, sizeof(buf), 256);
	assert_string_equal(buf, "256 B");
	format_size(buf, sizeof(buf), 1536);
	assert_string_equal(buf, "1536 B");
	format_size(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0 B");
	assert_int_equal(format_size(buf, 4, 262144), 7);	/* "256 KiB", cut */
	assert_string_equal(buf, "256");
	format_size(buf, sizeof(buf), 2ull << 30);		/* the largest unit that divides */
	assert_string_equal(buf, "2 GiB");
	format_size(buf, sizeof(buf), 3ull << 20);
	assert_string_equal(buf, "3 MiB");
	format_size(buf, sizeof(buf), (1ull << 30) + 4096);
	assert_string_equal(buf, "1048580 KiB");
	format_size(buf, sizeof(buf), 1ull << 50);		/* no unit above TiB */
	assert_string_equal(buf, "1024 TiB");
}

static void test_kappendf(void **state)
{
	char buf[12];
	int len = 0;

	(void)state;
	kappendf(buf, sizeof(buf), &len, "%s", "abc");
	kappendf(buf, sizeof(buf), &len, "-%d", 42);
	assert_string_equal(buf, "abc-42");
	kappendf(buf, sizeof(buf), &len, "%s", "0123456789");	/* cut, counted whole */
	assert_int_equal(len, 16);
	assert_string_equal(buf, "abc-4201234");
	kappendf(buf, sizeof(buf), &len, "xyz");		/* past the end: counted only */
	assert_int_equal(len, 19);
	assert_string_equal(buf, "abc-4201234");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_percent),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned_bases),
		cmocka_unit_test(test_length_modifiers),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_c_corner_cases),
		cmocka_unit_test(test_precision),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_char_string_pointer),
		cmocka_unit_test(test_truncation_and_return_value),
		cmocka_unit_test(test_kvsnprintf),
		cmocka_unit_test(test_odd_formats),
		cmocka_unit_test(test_format_size),
		cmocka_unit_test(test_kappendf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
