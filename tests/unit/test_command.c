/* Unit tests for monitor/command.c: lookup and typo suggestions. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "monitor/command.h"

static int dummy(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	return 0;
}

static const struct command table[] = {
	{ "help", "help", "list commands", dummy },
	{ "cr3", "cr3", "show CR3", dummy },
	{ "pt", "pt ADDR", "walk the page tables", dummy },
	{ "status", "status", "AP stages", dummy },
	{ "sipi", "sipi ID VEC", "send a Startup IPI", dummy },
	{ "init", "init ID", "send INIT", dummy },
	{ "tramp", "tramp install VEC", "trampoline", dummy },
	{ "cpudata", "cpudata ID", "allocate AP data", dummy },
};
#define N (sizeof(table) / sizeof(table[0]))

static void test_find(void **state)
{
	(void)state;
	assert_ptr_equal(command_find(table, N, "help"), &table[0]);
	assert_ptr_equal(command_find(table, N, "cpudata"), &table[7]);
	assert_string_equal(command_find(table, N, "pt")->usage, "pt ADDR");
}

static void test_find_misses(void **state)
{
	(void)state;
	assert_null(command_find(table, N, "hel"));
	assert_null(command_find(table, N, "helpx"));
	assert_null(command_find(table, N, "HELP"));
	assert_null(command_find(table, N, ""));
	assert_null(command_find(table, 0, "help"));
}

static void test_suggest_typos(void **state)
{
	(void)state;
	assert_string_equal(command_suggest(table, N, "hlep"), "help");	/* swap */
	assert_string_equal(command_suggest(table, N, "halp"), "help");	/* replace */
	assert_string_equal(command_suggest(table, N, "helpp"), "help");	/* insert */
	assert_string_equal(command_suggest(table, N, "stats"), "status");	/* delete */
	assert_string_equal(command_suggest(table, N, "sttaus"), "status");
	assert_string_equal(command_suggest(table, N, "cr4"), "cr3");
	assert_string_equal(command_suggest(table, N, "cpudtaa"), "cpudata");
}

static void test_suggest_prefix(void **state)
{
	(void)state;
	assert_string_equal(command_suggest(table, N, "tr"), "tramp");
	assert_string_equal(command_suggest(table, N, "cpu"), "cpudata");
	assert_string_equal(command_suggest(table, N, "stat"), "status");
}

static void test_suggest_nothing(void **state)
{
	(void)state;
	assert_null(command_suggest(table, N, ""));
	assert_null(command_suggest(table, N, "reboot"));
	assert_null(command_suggest(table, N, "xyzzy"));
	/* Distance 2 from "pt", but nothing of the word would be kept. */
	assert_null(command_suggest(table, N, "ab"));
	/* Three edits away. */
	assert_null(command_suggest(table, N, "hxxxp"));
	assert_null(command_suggest(table, 0, "help"));
}

static void test_suggest_ambiguous_prefix(void **state)
{
	(void)state;
	/* "s" is a prefix of sipi and status, and too short for a typo. */
	assert_null(command_suggest(table, N, "s"));
	/* "si" is a prefix of sipi only. */
	assert_string_equal(command_suggest(table, N, "si"), "sipi");
}

static void test_suggest_closest_wins(void **state)
{
	static const struct command t[] = {
		{ "boot", "", "", dummy },
		{ "bloat", "", "", dummy },
	};

	(void)state;
	/* "bloot": 1 from bloat ... and 1 from boot: first in table wins. */
	assert_string_equal(command_suggest(t, 2, "bloot"), "boot");
	/* "blost": 2 from boot, 1 from bloat. */
	assert_string_equal(command_suggest(t, 2, "blost"), "bloat");
}

static void test_suggest_long_word(void **state)
{
	char word[200];

	(void)state;
	for (size_t i = 0; i < sizeof(word) - 1; i++)
		word[i] = 'h';
	word[sizeof(word) - 1] = '\0';
	assert_null(command_suggest(table, N, word));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_find_misses),
		cmocka_unit_test(test_suggest_typos),
		cmocka_unit_test(test_suggest_prefix),
		cmocka_unit_test(test_suggest_nothing),
		cmocka_unit_test(test_suggest_ambiguous_prefix),
		cmocka_unit_test(test_suggest_closest_wins),
		cmocka_unit_test(test_suggest_long_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
