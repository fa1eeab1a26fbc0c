/* boot: the whole INIT-SIPI-SIPI sequence; on: run a command on an AP. */
#include "arch/cpu.h"
#include "arch/exceptions.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"
#include "monitor/prepare.h"
#include "monitor/target.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"
#include "smp/start_steps.h"
#include "smp/start_trace.h"
#include "smp/trampoline.h"

#define ON_TIMEOUT_MS	1000

static bool prepare(const uint32_t *ids, int n)
{
	if (!tramp_installed()) {
		uint8_t v = tramp_default_vector();

		if (!v) {
			kprintf("error: no page below 0xA0000 is usable RAM in the memory map "
				"('mem' shows it); 'tramp install VEC force' overrides\n");
			return false;
		}
		if (v != TRAMP_PREFERRED_VECTOR)
			kprintf("  vector 0x%02x: %s; using 0x%02x, the first vector from there "
				"(or from 1) where the trampoline fits in usable RAM\n",
				TRAMP_PREFERRED_VECTOR,
				vector_problem(tramp_check_vector(TRAMP_PREFERRED_VECTOR)), v);
		if (!install_trampoline(v))
			return false;
		kprintf("  tramp install 0x%02x: %u bytes at 0x%x\n", v, tramp_code_size(),
			v << 12);
	} else {
		kprintf("  trampoline already at vector 0x%02x\n", tramp_vector());
	}
	for (int i = 0; i < n; i++) {
		struct cpu_data *cd = cpu_data_find(ids[i]);

		if (cd) {
			char size[16];

			format_size(size, sizeof(size), cd->stack_size);
			kprintf("  cpudata %u: exists (stack 0x%lx, %s)\n", ids[i],
				cd->stack_base, size);
			continue;
		}
		if (!build_cpu_data(ids[i], ap_entry, AP_STACK_DEFAULT, false, &cd))
			return false;
		kprintf("  cpudata %u: stack 0x%lx-0x%lx, entry ap_entry\n", ids[i],
			cd->stack_base, cd->stack_top - 1);
	}
	return true;
}

static bool all_final(const uint32_t *ids, int n)
{
	struct ap_view v;

	for (int i = 0; i < n; i++) {
		ap_view(ids[i], &v);
		/* An AP that got no SIPI will not answer: nothing to wait for. */
		if (v.step == AP_SIPI_SENT && !stage_is_final(v.stage) && !v.timed_out)
			return false;
	}
	return true;
}

/* Until every AP of ids has settled (a final stage, or its time is up);
 * then the console prints what the quiet spell held back. */
static void wait_until_settled(const uint32_t *ids, int n)
{
	while (!all_final(ids, n)) {
		console_drain();
		cpu_relax();
	}
	console_quiet_end();
}

static int verdicts(const uint32_t *ids, int n)
{
	struct ap_view v;
	int good = 0;

	for (int i = 0; i < n; i++) {
		ap_view(ids[i], &v);
		enum stage shown = ap_stage(&v);

		if (shown == STAGE_IDLE) {
			good++;
			kprintf("  APIC %u: idle, %ld us after the first SIPI\n", ids[i],
				v.stage_us[STAGE_IDLE - 1]);
		} else if (shown == STAGE_FAULT) {
			kprintf("  APIC %u: FAILED: %s at 0x%lx, after stage %s\n", ids[i],
				exception_name(v.fault_vector), v.fault_ip,
				record_stage_name(v.fault_stage));
		} else {
			kprintf("  APIC %u: FAILED: %s (last stage %s); 'status' has the details\n",
				ids[i], stage_name(shown), record_stage_name(v.stage));
		}
	}
	return good;
}

/* Say so when the INIT about to go out stops APs that are running. */
static void note_restarts(const uint32_t *ids, int n)
{
	struct ap_view v;
	int running = 0;

	for (int i = 0; i < n; i++) {
		ap_view(ids[i], &v);
		running += v.step == AP_SIPI_SENT && v.stage == STAGE_IDLE;
	}
	if (running == 1 && n == 1)
		kprintf("  APIC %u is running (idle): the INIT restarts it\n", ids[0]);
	else if (running == n)
		kprintf("  all %d APs are running (idle): the INIT restarts them\n", n);
	else if (running)
		kprintf("  %d of the %d APs are running (idle): the INIT restarts them\n",
			running, n);
}

/* boot APIC|all [fast] [one-by-one] */
int cmd_boot(int argc, char *argv[])
{
	uint32_t target, ids[TRAMP_MAX_SLOTS];
	bool fast = false, asked_one_by_one = false, one_by_one = false;

	if (argc < 2 || argc > 4)
		return usage_error(argv[0]);
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "fast") == 0 && !fast)
			fast = true;
		else if (strcmp(argv[i], "one-by-one") == 0 && !asked_one_by_one)
			asked_one_by_one = true;
		else
			return usage_error(argv[0]);
	}
	if (!parse_target(argv[1], true, &target))
		return 1;
	if (asked_one_by_one && target != IPI_ALL_BUT_SELF) {
		kprintf("error: one-by-one goes with 'all' (one AP is always started alone)\n");
		return 1;
	}
	/* One AP after the other, each with its own INIT-SIPI-SIPI and no
	 * broadcast: how Linux started APs before 6.5. */
	if (asked_one_by_one)
		one_by_one = true;
	else if (target == IPI_ALL_BUT_SELF && !broadcast_allowed(&one_by_one))
		return 1;
	int n = ap_ids_of(target, ids, TRAMP_MAX_SLOTS);
	if (n == 0) {
		kprintf("boot: no APs to start: the MADT lists only the BSP\n");
		return 1;
	}
	uint64_t start = rdtsc();

	if (!prepare(ids, n))
		return 1;
	note_restarts(ids, n);
	struct start_options opt = { .skip_waits = fast };

	trace_clear();
	/* One at a time, as Linux did before 6.5: the next AP's INIT only once
	 * this one has settled. */
	if (one_by_one)
		for (int i = 0; i < n; i++) {
			start_sequence(&opt, ids[i], tramp_vector());
			wait_until_settled(ids + i, 1);
		}
	else
		start_sequence(&opt, target, tramp_vector());
	kprintf("  waiting up to %u ms for the AP%s\n", ap_timeout_ms(), n == 1 ? "" : "s");
	bool broadcast = target == IPI_ALL_BUT_SELF && !one_by_one;

	wait_until_settled(ids, n);
	if (broadcast) {
		console_wait_us(AP_UNLISTED_GRACE_US);
		while (!ap_unlisted_settled()) {
			console_drain();
			cpu_relax();
		}
	}
	int good = verdicts(ids, n);
	int unlisted = broadcast ? report_unlisted_answers() : 0;
	kprintf("boot: %d of %d AP%s idle", good, n, n == 1 ? "" : "s");
	if (unlisted)
		kprintf(", and %d processor%s the MADT does not list answered", unlisted,
			unlisted == 1 ? "" : "s");
	kprintf(", %lu us in all\n", tsc_to_us(rdtsc() - start));
	return good == n && !unlisted ? 0 : 1;
}

/* Runs on the AP, through its mailbox. */
static int cmd_hello(int argc, char *argv[])
{
	const struct cpu_data *cd = cpu_data_find(cpu_apic_id());

	if (argc != 1)
		return usage_error(argv[0]);
	kprintf("Hello World from CPU %u (APIC ID %u)\n", cd->index, cd->apic_id);
	return 0;
}

static const struct command ap_commands[] = {
	{ "regs", "regs", "the AP's control registers", cmd_regs },
	{ "cpuid", "cpuid [LEAF [SUBLEAF]]", "the AP's identity from CPUID", cmd_cpuid },
	{ "lapic", "lapic", "the AP's local APIC", cmd_lapic },
	{ "hello", "hello", "the AP says hello again", cmd_hello },
};
#define AP_COMMAND_COUNT (sizeof(ap_commands) / sizeof(ap_commands[0]))

/* Commands in which the BSP takes part: each posts the AP's half itself. */
static const struct {
	const char *name;
	int (*run)(uint32_t apic, int argc, char *argv[]);
} joint_commands[] = {
	{ "tsc", on_tsc },
	{ "mtrr", on_mtrr },
};
#define JOINT_COMMAND_COUNT (sizeof(joint_commands) / sizeof(joint_commands[0]))

static void list_ap_commands(void)
{
	kprintf("error: an AP can run:");
	for (size_t i = 0; i < AP_COMMAND_COUNT; i++)
		kprintf(" %s,", ap_commands[i].name);
	for (size_t i = 0; i < JOINT_COMMAND_COUNT; i++)
		kprintf(" %s%s", joint_commands[i].name, i + 1 < JOINT_COMMAND_COUNT ? "," : "\n");
}

bool ap_call(uint32_t apic, int (*handler)(int, char *[]), int argc, char *argv[])
{
	if (mailbox_call(cpu_data_find(apic)->mailbox, apic, handler, argc, argv, ON_TIMEOUT_MS))
		return true;
	kprintf("error: APIC %u did not answer within %d ms\n", apic, ON_TIMEOUT_MS);
	return false;
}

/* on APIC CMD [ARGS] */
int cmd_on(int argc, char *argv[])
{
	uint32_t apic;
	struct ap_view v;
	size_t joint = 0;

	if (argc < 3)
		return usage_error(argv[0]);
	if (!parse_target(argv[1], false, &apic))
		return 1;
	const struct command *c = command_find(ap_commands, AP_COMMAND_COUNT, argv[2]);

	while (joint < JOINT_COMMAND_COUNT && strcmp(argv[2], joint_commands[joint].name) != 0)
		joint++;
	if (!c && joint == JOINT_COMMAND_COUNT) {
		list_ap_commands();
		return 1;
	}
	ap_view(apic, &v);
	if (v.stage != STAGE_IDLE) {
		kprintf("error: APIC %u is not idle (state %s); 'boot %u' starts it\n",
			apic, stage_name(ap_stage(&v)), apic);
		return 1;
	}
	if (!c)
		return joint_commands[joint].run(apic, argc - 2, argv + 2);
	kprintf("APIC %u runs '%s':\n", apic, c->name);
	return ap_call(apic, c->handler, argc - 2, argv + 2) ? 0 : 1;
}
