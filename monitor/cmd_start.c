/* init, sipi and status: start APs one IPI at a time and watch them. */
#include "acpi/acpi.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"
#include "monitor/target.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"
#include "monitor/trace_view.h"
#include "smp/start_steps.h"
#include "smp/trampoline.h"

#define TIMELINE_WIDTH 60
#define COMPACT_TIMELINE_WIDTH 40	/* beside the state: 80 columns in all */

int cmd_init(int argc, char *argv[])
{
	uint32_t target, ids[TRAMP_MAX_SLOTS];

	if (argc != 2)
		return usage_error(argv[0]);
	if (!parse_target(argv[1], true, &target))
		return 1;
	if (target == IPI_ALL_BUT_SELF && !broadcast_allowed(NULL))
		return 1;
	int n = ap_ids_of(target, ids, TRAMP_MAX_SLOTS);
	kprintf("INIT: the AP%s reset%s and wait%s for a Startup IPI\n",
		n == 1 ? "" : "s", n == 1 ? "s" : "", n == 1 ? "s" : "");
	return step_init(target) ? 0 : 1;
}

/* The checks a SIPI must pass unless forced; prints each problem. */
static bool sipi_ready(const uint32_t *ids, int n, uint8_t vector)
{
	bool ok = true;

	if (!tramp_present_at(vector)) {
		char remedy[80];

		if (tramp_installed())
			ksnprintf(remedy, sizeof(remedy), "the trampoline is at vector 0x%02x, or "
				  "'tramp install 0x%x' moves it", tramp_vector(), vector);
		else
			ksnprintf(remedy, sizeof(remedy), "'tramp install 0x%x' puts one there",
				  vector);
		kprintf("refused: no trampoline at vector 0x%02x (0x%x): the AP would run "
			"whatever is there; %s\n", vector, vector << 12, remedy);
		ok = false;
	}
	for (int i = 0; i < n; i++)
		if (!cpu_data_find(ids[i])) {
			kprintf("refused: APIC %u has no cpu_data, so the trampoline would "
				"stop at 'no-cpudata'; 'cpudata %u' builds it\n", ids[i], ids[i]);
			ok = false;
		}
	return ok;
}

/* sipi APIC|all VEC [force] */
int cmd_sipi(int argc, char *argv[])
{
	uint32_t target, ids[TRAMP_MAX_SLOTS];
	uint64_t vector;
	bool force = argc == 4 && strcmp(argv[3], "force") == 0;

	if (argc < 3 || argc > 4 || (argc == 4 && !force))
		return usage_error(argv[0]);
	if (!parse_target(argv[1], true, &target) || !arg_number(argv[2], "VEC", &vector))
		return 1;
	if (target == IPI_ALL_BUT_SELF && !broadcast_allowed(NULL))
		return 1;	/* not even with force */
	if (vector > 0xFF) {
		kprintf("error: VEC 0x%lx: a SIPI vector is 8 bits; the AP starts at VEC * 4096\n",
			vector);
		return 1;
	}
	int n = ap_ids_of(target, ids, TRAMP_MAX_SLOTS);
	if (!sipi_ready(ids, n, (uint8_t)vector)) {
		if (!force) {
			kprintf("(add 'force' to send it anyway)\n");
			return 1;
		}
		kprintf("forced: sending anyway\n");
	}
	for (int i = 0; i < n; i++) {
		struct ap_view v;

		ap_view(ids[i], &v);
		if (v.step == AP_OFFLINE)
			kprintf("note: APIC %u got no INIT from this monitor; only an AP "
				"waiting for SIPI (after INIT) starts\n", ids[i]);
	}
	kprintf("SIPI vector 0x%02lx: the AP starts in real mode at %04lx:0000 = 0x%lx\n",
		vector, vector << 8, vector << 12);
	return step_sipi(target, (uint8_t)vector) ? 0 : 1;
}

/* The latest time this AP reached a timed stage, or max_us if later. */
static int64_t latest_of(const struct ap_view *v, int64_t max_us)
{
	for (int s = 0; s < STAGE_TIMED; s++)
		if (v->has_time[s] && v->stage_us[s] > max_us)
			max_us = v->stage_us[s];
	return max_us;
}

/* Every stage's time for each AP, then a timeline bar for each; the
 * processors the MADT does not list that answered a broadcast, when
 * with_unlisted. */
static void status_full(const uint32_t *ids, int n, bool with_unlisted)
{
	struct ap_view v;
	char line[256];
	int64_t max_us = 0;

	format_status_header(line, sizeof(line));
	kprintf("%s\n", line);
	for (int i = 0; i < n; i++) {
		ap_view(ids[i], &v);
		format_status_row(line, sizeof(line), &v);
		kprintf("%s\n", line);
		max_us = latest_of(&v, max_us);
	}
	if (with_unlisted)
		report_unlisted_answers();
	if (max_us == 0)
		return;
	format_timeline_header(line, sizeof(line), max_us);
	kprintf("%s\n", line);
	for (int i = 0; i < n; i++) {
		ap_view(ids[i], &v);
		format_timeline_row(line, sizeof(line), &v, max_us, TIMELINE_WIDTH);
		kprintf("%s\n", line);
	}
}

/* Many APs: how many reached each stage, then one line per AP. */
static void status_compact(const uint32_t *ids, int n)
{
	struct ap_view v;
	char line[256];
	unsigned counts[STAGE_COUNT] = { 0 };
	int64_t max_us = 0, last_final_us = -1;

	for (int i = 0; i < n; i++) {
		ap_view(ids[i], &v);
		counts[ap_stage(&v)]++;
		max_us = latest_of(&v, max_us);
		if (v.has_time[STAGE_TIMED - 1] && v.stage_us[STAGE_TIMED - 1] > last_final_us)
			last_final_us = v.stage_us[STAGE_TIMED - 1];
	}
	format_status_summary(line, sizeof(line), counts, last_final_us);
	kprintf("%s\n", line);
	kprintf("('status full' has every stage's time, 'status APIC' one AP's)\n");
	if (max_us > 0) {
		format_timeline_header(line, sizeof(line), max_us);
		kprintf("%s\n", line);
	}
	format_compact_header(line, sizeof(line));
	kprintf("%s\n", line);
	for (int i = 0; i < n; i++) {
		ap_view(ids[i], &v);
		format_compact_row(line, sizeof(line), &v, max_us, COMPACT_TIMELINE_WIDTH);
		kprintf("%s\n", line);
	}
	report_unlisted_answers();
}

/* status [full | APIC] */
int cmd_status(int argc, char *argv[])
{
	uint32_t ids[TRAMP_MAX_SLOTS];
	bool full = false;
	int n;

	if (argc > 2)
		return usage_error(argv[0]);
	if (argc == 2 && strcmp(argv[1], "full") == 0) {
		full = true;
	} else if (argc == 2) {
		if (!parse_target(argv[1], false, &ids[0]))
			return 1;
		status_full(ids, 1, false);
		return 0;
	}
	n = ap_ids_of(IPI_ALL_BUT_SELF, ids, TRAMP_MAX_SLOTS);
	if (n == 0) {
		if (acpi.error != ACPI_OK)
			kprintf("no APs known: no MADT (%s)\n", acpi_error_str(acpi.error));
		else
			kprintf("no APs: the MADT lists only the BSP\n");
		return 0;
	}
	if (full || n <= STATUS_FULL_MAX)
		status_full(ids, n, true);
	else
		status_compact(ids, n);
	return 0;
}

/* trace [clear] */
int cmd_trace(int argc, char *argv[])
{
	if (argc == 2 && strcmp(argv[1], "clear") == 0) {
		trace_clear();
		return 0;
	}
	if (argc != 1)
		return usage_error(argv[0]);
	trace_view_list();
	return 0;
}
