/* The traced start-up steps: bookkeeping for `status`, the IPI or the
 * wait, and a trace event with the result. */
#include "arch/cpu.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"
#include "smp/start_steps.h"
#include "smp/start_trace.h"

/* When the last INIT or SIPI was sent: the spec's delays are between
 * IPIs, so the narration printed after one is inside the wait. */
static uint64_t last_ipi_tsc;

bool step_init(uint32_t target)
{
	uint32_t ids[TRAMP_MAX_SLOTS];
	int n = ap_ids_of(target, ids, TRAMP_MAX_SLOTS);

	if (target == IPI_ALL_BUT_SELF)
		ap_note_broadcast_init();
	for (int i = 0; i < n; i++)
		ap_note_init(ids[i]);
	struct trace_event *e = trace_begin((struct trace_event){ .kind = TRACE_INIT,
								   .target = target });
	bool ok = true;

	e->ipis = ipi_send_init(target, e->ipi);
	last_ipi_tsc = rdtsc();
	for (int i = 0; i < e->ipis; i++)
		ok &= ipi_ok(&e->ipi[i]);
	trace_done(e);
	return ok;
}

bool step_sipi(uint32_t target, uint8_t vector)
{
	uint32_t ids[TRAMP_MAX_SLOTS];
	int n = ap_ids_of(target, ids, TRAMP_MAX_SLOTS);

	/* Announce first (a debugger that stops the AP at its first
	 * instruction shows the SIPI went out); then the console keeps quiet
	 * until the APs settle (lib/console.h), and their clocks start. */
	struct trace_event *e = trace_begin((struct trace_event){ .kind = TRACE_SIPI,
								   .target = target,
								   .value = vector });

	console_quiet();

	if (target == IPI_ALL_BUT_SELF)
		ap_note_broadcast_sipi(vector);
	for (int i = 0; i < n; i++)
		ap_note_sipi(ids[i], vector);
	e->ipi[0] = ipi_send_startup(target, vector);
	last_ipi_tsc = rdtsc();
	e->ipis = 1;
	trace_done(e);
	return ipi_ok(&e->ipi[0]);
}

void step_wait_us(const struct start_options *opt, uint64_t us)
{
	struct trace_event *e = trace_begin((struct trace_event){ .kind = TRACE_DELAY,
								   .value = us,
								   .skipped = opt->skip_waits });

	uint64_t since = tsc_to_us(rdtsc() - last_ipi_tsc);

	if (!opt->skip_waits && since < us)
		console_wait_us(us - since);	/* APs print meanwhile */
	trace_done(e);
}

bool step_all_answered(uint32_t target)
{
	uint32_t ids[TRAMP_MAX_SLOTS];
	int n = ap_ids_of(target, ids, TRAMP_MAX_SLOTS);
	struct trace_event *e = trace_begin((struct trace_event){ .kind = TRACE_ALL_ANSWERED,
								   .target = target });

	e->answered = true;
	for (int i = 0; i < n && e->answered; i++) {
		struct ap_view v;

		ap_view(ids[i], &v);
		e->answered = v.stage != STAGE_NONE;
	}
	trace_done(e);
	return e->answered;
}
