/* on APIC tsc [skew CYCLES]: the TSC check between the BSP and one AP,
 * and a skew to see what `status` makes of a TSC that differs. */
#include "arch/cpu.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "lib/parse.h"
#include "lib/string.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"
#include "smp/cpu_data.h"
#include "smp/tsc_sync.h"

#define TSC_USAGE	"usage: on APIC tsc [skew CYCLES]\n"

static bool measure(uint32_t apic, struct mailbox *m, struct tsc_check *c)
{
	if (tsc_sync_check(apic, m, c))
		return true;
	kprintf("error: APIC %u did not take part in the check within %d ms\n", apic,
		TSC_SYNC_TIMEOUT_MS);
	return false;
}

static int check(uint32_t apic, struct mailbox *m)
{
	struct tsc_check c;
	char report[1024];

	if (!measure(apic, m, &c))
		return 1;
	format_tsc_check(report, sizeof(report), &c);
	print_lines(report);
	return 0;
}

static bool skew_allowed(uint32_t apic, const char *word, int64_t *cycles)
{
	enum num_error e = parse_i64(word, cycles);

	if (e != NUM_OK) {
		kprintf("error: CYCLES '%s': %s (a signed number of TSC cycles, decimal or "
			"0x hex: -50000000); nothing changed\n", word, num_error_str(e));
		return false;
	}
	uint64_t bsp_tsc = rdtsc();

	switch (tsc_skew_check(*cycles, tsc_hz(), bsp_tsc)) {
	case TSC_SKEW_OK:
		return true;
	case TSC_SKEW_TOO_FAR:
		kprintf("error: %s cycles is more than %d s of TSC ticks (%lu cycles); "
			"nothing changed\n", word, TSC_SKEW_MAX_SECONDS,
			TSC_SKEW_MAX_SECONDS * tsc_hz());
		return false;
	case TSC_SKEW_BELOW_ZERO:
		kprintf("error: APIC %u's TSC would go below 0 (the BSP's reads %lu); "
			"nothing changed\n", apic, bsp_tsc);
		return false;
	}
	return false;
}

/* Move the AP's TSC to the BSP's plus CYCLES: measure where it is, add
 * the difference, and measure again to see whether the CPU took it. */
static int skew(uint32_t apic, struct mailbox *m, const char *word)
{
	struct tsc_check before, after;
	int64_t target;
	char us[32];

	if (!skew_allowed(apic, word, &target) || !measure(apic, m, &before))
		return 1;
	int64_t delta = (int64_t)((uint64_t)target - (uint64_t)before.offset.cycles);

	if (!tsc_sync_shift(apic, m, delta)) {
		kprintf("error: APIC %u did not answer within %d ms\n", apic, TSC_SYNC_TIMEOUT_MS);
		return 1;
	}
	kprintf("APIC %u minus BSP was %ld cycles (+- %lu); added %ld through %s\n", apic,
		before.offset.cycles, before.offset.round_trip / 2, delta,
		tsc_has_adjust() ? "IA32_TSC_ADJUST (WRMSR 3BH)" : "IA32_TSC (WRMSR 10H)");
	if (!measure(apic, m, &after))
		return 1;
	format_cycles_us(us, sizeof(us), after.offset.cycles, after.hz);
	kprintf("APIC %u minus BSP is now %ld cycles (%s us), +- %lu\n", apic,
		after.offset.cycles, us, after.offset.round_trip / 2);
	if (tsc_skew_took(&before.offset, &after.offset, delta))
		return 0;
	kprintf("the TSC did not move as asked: the CPU, or the hypervisor under it, "
		"ignored the write (docs/going-further.md section 3 says which do)\n");
	return 1;
}

int on_tsc(uint32_t apic, int argc, char *argv[])
{
	struct mailbox *m = cpu_data_find(apic)->mailbox;

	if (argc == 1) {
		kprintf("TSC check, BSP and APIC %u at the same time:\n", apic);
		return check(apic, m);
	}
	if (argc == 3 && strcmp(argv[1], "skew") == 0)
		return skew(apic, m, argv[2]);
	kprintf(TSC_USAGE);
	return 1;
}
