/* mtrr: this CPU's MTRRs, PAT and microcode revision. on APIC mtrr [pat
 * VALUE]: an idle AP's, compared with the BSP's, after writing the AP's
 * PAT if asked (to see a difference the check reports, and that INIT
 * keeps it). The BSP's own registers are never written. */
#include "arch/cpu_setup.h"
#include "lib/console.h"
#include "lib/string.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"

#define MTRR_USAGE	"usage: on APIC mtrr [pat VALUE]\n"
#define REPORT_SIZE	8192	/* the longest: 88 fixed runs, 16 variable ranges */

/* Static, not on a stack: an AP's may be as small as 4 KiB (less with
 * force). The BSP waits for the AP, so one AP at a time uses the AP's. */
static struct cpu_setup ap_setup, bsp_setup;
static char ap_report[REPORT_SIZE], bsp_report[REPORT_SIZE];
static uint64_t pat_asked;
static bool pat_written;

static void show(struct cpu_setup *s, char *report)
{
	cpu_setup_read(s);
	format_cpu_setup(report, REPORT_SIZE, s);
	print_lines(report);
}

int cmd_mtrr(int argc, char *argv[])
{
	if (argc != 1)
		return usage_error(argv[0]);
	show(&bsp_setup, bsp_report);
	return 0;
}

/* On the AP. */
static int ap_show(int argc, char *argv[])
{
	(void)argc;
	(void)argv;
	show(&ap_setup, ap_report);
	return 0;
}

/* On the AP. */
static int ap_write_pat(int argc, char *argv[])
{
	uint64_t was;

	(void)argc;
	(void)argv;
	pat_written = pat_write(pat_asked, &was);
	if (!pat_written) {
		kprintf("error: this CPU has no PAT (CPUID.01H:EDX bit 16 is 0); "
			"nothing changed\n");
		return 1;
	}
	kprintf("IA32_PAT 0x%016lx -> 0x%016lx (caches written back and TLBs flushed around "
		"the write, SDM 11.12.4)\n", was, pat_asked);
	return 0;
}

static bool pat_allowed(const char *word)
{
	char why[160];

	if (!arg_number(word, "VALUE", &pat_asked))
		return false;
	if (pat_write_allowed(pat_asked, why, sizeof(why)))
		return true;
	kprintf("error: PAT 0x%016lx: %s; nothing changed\n", pat_asked, why);
	return false;
}

int on_mtrr(uint32_t apic, int argc, char *argv[])
{
	unsigned differences;

	if (argc == 3 && strcmp(argv[1], "pat") == 0) {
		if (!pat_allowed(argv[2]))
			return 1;
		kprintf("APIC %u writes its PAT (the BSP's stays as it is):\n", apic);
		if (!ap_call(apic, ap_write_pat, 0, NULL) || !pat_written)
			return 1;
	} else if (argc != 1) {
		kprintf(MTRR_USAGE);
		return 1;
	}
	kprintf("APIC %u runs 'mtrr':\n", apic);
	if (!ap_call(apic, ap_show, 0, NULL))
		return 1;
	cpu_setup_read(&bsp_setup);
	format_cpu_setup_diff(bsp_report, REPORT_SIZE, &ap_setup, &bsp_setup, apic, &differences);
	print_lines(bsp_report);
	return 0;
}
