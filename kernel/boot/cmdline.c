#include "boot/cmdline.h"
#include "boot/bootinfo.h"
#include "lib/parse.h"
#include "lib/string.h"

/* BOOT_CMDLINE_MAX bytes hold at most half as many words. */
#define CMDLINE_MAX_WORDS (BOOT_CMDLINE_MAX / 2)
#define RESERVE "reserve="

static bool has_char(const char *s, char c)
{
	while (*s && *s != c)
		s++;
	return *s == c;
}

/* "BASE+LENGTH", both numbers as the monitor reads them; text is cut. */
static bool parse_range(char *text, uint64_t *base, uint64_t *length)
{
	char *plus = text;

	while (*plus && *plus != '+')
		plus++;
	if (!*plus)
		return false;
	*plus = '\0';
	return parse_u64(text, base) == NUM_OK && parse_u64(plus + 1, length) == NUM_OK &&
	       *length != 0 && *base + *length > *base;
}

void cmdline_apply(const char *cmdline, bool cut, struct memmap *map,
		   cmdline_report_fn report)
{
	char copy[BOOT_CMDLINE_MAX], value[BOOT_CMDLINE_MAX];
	char *argv[CMDLINE_MAX_WORDS];
	size_t len = strlen(cmdline);

	if (len >= sizeof(copy))
		len = sizeof(copy) - 1;
	memcpy(copy, cmdline, len);
	copy[len] = '\0';
	int argc = tokenize(copy, argv, CMDLINE_MAX_WORDS);
	for (int i = 0; i < argc; i++) {
		uint64_t base, length;

		if (!has_char(argv[i], '='))
			continue;
		if (cut && i == argc - 1) {
			report(argv[i], CMDLINE_CUT);
			continue;
		}
		if (strncmp(argv[i], RESERVE, sizeof(RESERVE) - 1) != 0) {
			report(argv[i], CMDLINE_UNKNOWN);
			continue;
		}
		memcpy(value, argv[i] + sizeof(RESERVE) - 1,
		       strlen(argv[i]) - (sizeof(RESERVE) - 1) + 1);
		if (!parse_range(value, &base, &length)) {
			report(argv[i], CMDLINE_MALFORMED);
			continue;
		}
		memmap_reserve(map, base, length);
		report(argv[i], CMDLINE_APPLIED);
	}
}
