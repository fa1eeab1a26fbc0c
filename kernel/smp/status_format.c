/* The `status` table and timeline: the words, letters and columns of
 * trampoline/stages.h put in rows. Pure logic, so that the host unit
 * tests compile this file too. */
#include "arch/exceptions.h"
#include "lib/format.h"
#include "smp/status_format.h"

/* The columns of trampoline/stages.h that `status` prints. */
static const struct {
	const char *name;
	char letter;		/* on the timeline; 0 for a stage with no TSC */
	int column;		/* width of its column in the table */
	bool final;
} stages[STAGE_COUNT] = {
#define STAGE_INFO(name, value, shown, letter, column, final) \
	[STAGE_##name] = { shown, letter, column, final },
	STAGE_TABLE(STAGE_INFO)
#undef STAGE_INFO
};

static const enum stage step_stages[] = {
#define STEP_STAGE(name, stage) [name] = stage,
	AP_STEP_TABLE(STEP_STAGE)
#undef STEP_STAGE
};

const char *stage_name(enum stage s)
{
	return s < STAGE_COUNT ? stages[s].name : "corrupt";
}

const char *record_stage_name(uint8_t code)
{
	return stage_name(code < STAGE_RECORDED ? (enum stage)code : STAGE_COUNT);
}

bool stage_is_final(uint8_t code)
{
	return code < STAGE_RECORDED && stages[code].final;
}

enum stage ap_stage(const struct ap_view *v)
{
	if (v->timed_out)
		return STAGE_TIMEOUT;
	if (v->step == AP_SIPI_SENT && v->stage != STAGE_NONE && v->stage < STAGE_RECORDED)
		return (enum stage)v->stage;
	return step_stages[v->step];
}

int format_status_header(char *buf, size_t size)
{
	size_t len = (size_t)ksnprintf(buf, size, "APIC  state       SIPIs");

	for (int s = STAGE_REAL; s <= STAGE_TIMED && len < size; s++)
		len += ksnprintf(buf + len, size - len, " %*s", stages[s].column, stages[s].name);
	if (len < size)
		len += ksnprintf(buf + len, size - len, "   (us after SIPI)");
	return (int)len;
}

int format_timeline_header(char *buf, size_t size, int64_t max_us)
{
	size_t len = (size_t)ksnprintf(buf, size, "timeline, 0 to %ld us after SIPI (", max_us);

	for (int s = STAGE_REAL; s <= STAGE_TIMED && len < size; s++)
		len += ksnprintf(buf + len, size - len, "%c %s%s", stages[s].letter,
				 stages[s].name, s < STAGE_TIMED ? ", " : "):");
	return (int)len;
}

/* What follows an AP's times: its fault, its timeout, its stack. */
static size_t row_notes(char *buf, size_t size, const struct ap_view *v)
{
	size_t len = 0;

	if (len < size && v->stage == STAGE_FAULT && v->step == AP_SIPI_SENT)
		len += ksnprintf(buf + len, size - len,
				 "   %s, error code 0x%x, at 0x%llx, after stage %s",
				 exception_name(v->fault_vector), v->fault_error,
				 (unsigned long long)v->fault_ip, record_stage_name(v->fault_stage));
	else if (len < size && ap_stage(v) == STAGE_TIMEOUT)
		len += ksnprintf(buf + len, size - len, "   no answer; last stage: %s%s",
				 record_stage_name(v->stage),
				 v->no_init && v->stage == STAGE_NONE ?
				 " (no INIT before the SIPI: 'init APIC' first)" : "");
	if (len < size && v->stack_overflow)
		len += ksnprintf(buf + len, size - len, "   STACK OVERFLOW (canary overwritten)");
	return len;
}

int format_status_row(char *buf, size_t size, const struct ap_view *v)
{
	enum stage shown = ap_stage(v);
	size_t len = (size_t)ksnprintf(buf, size, "%4u  %-10s  %5u", v->apic_id,
				       stage_name(shown), v->sipis);

	for (int s = 0; s < STAGE_TIMED && len < size; s++) {
		int column = stages[s + 1].column;

		if (v->has_time[s])
			len += ksnprintf(buf + len, size - len, " %*lld", column,
					 (long long)v->stage_us[s]);
		else
			len += ksnprintf(buf + len, size - len, " %*s", column, "-");
	}
	return (int)(len + row_notes(buf + (len < size ? len : size), len < size ? size - len : 0, v));
}

/* The column of time t on a scale of columns 0..last for 0..max_us
 * (max_us > 0). The times are whatever the records hold, so t * last
 * must not overflow: a time beyond the scale is at its end, and a scale
 * too long to multiply is divided first. */
static int time_column(int64_t t, int64_t max_us, int last)
{
	if (t >= max_us)
		return last;
	if (last == 0 || max_us <= INT64_MAX / last)
		return (int)(t * last / max_us);
	return (int)(t / (max_us / last));
}

/* A timeline bar of width columns (width < TIMELINE_BAR_MAX): each
 * stage's letter at its time on a scale of 0..max_us. */
static void timeline_bar(char *bar, const struct ap_view *v, int64_t max_us, int width)
{
	int last = -1;

	for (int i = 0; i < width; i++)
		bar[i] = ' ';
	bar[width] = '\0';
	for (int s = 0; s < STAGE_TIMED; s++) {
		if (!v->has_time[s])
			continue;
		int64_t t = v->stage_us[s] < 0 ? 0 : v->stage_us[s];
		int col = max_us > 0 ? time_column(t, max_us, width - 1) : 0;
		int later = 0;		/* letters still to draw after this one */

		for (int r = s + 1; r < STAGE_TIMED; r++)
			later += v->has_time[r];
		/* Keep the order visible: never overwrite a letter, and leave
		 * room at the right edge for the letters still to come. */
		if (col > width - 1 - later)
			col = width - 1 - later;
		if (col <= last)
			col = last + 1;
		if (col > width - 1)
			break;		/* a bar too narrow for every letter */
		for (int i = last + 1; i < col; i++)
			bar[i] = '-';
		bar[col] = stages[s + 1].letter;
		last = col;
	}
}

static int clamp_width(int width)
{
	return width < 1 ? 1 : width > TIMELINE_BAR_MAX - 1 ? TIMELINE_BAR_MAX - 1 : width;
}

int format_timeline_row(char *buf, size_t size, const struct ap_view *v,
			int64_t max_us, int width)
{
	char bar[TIMELINE_BAR_MAX];

	timeline_bar(bar, v, max_us, clamp_width(width));
	return ksnprintf(buf, size, "%4u |%s|", v->apic_id, bar);
}

int format_compact_header(char *buf, size_t size)
{
	return ksnprintf(buf, size, "APIC  state       SIPIs  latest us");
}

int format_compact_row(char *buf, size_t size, const struct ap_view *v,
		       int64_t max_us, int width)
{
	char bar[TIMELINE_BAR_MAX], latest[24] = "-";

	for (int s = STAGE_TIMED - 1; s >= 0; s--)
		if (v->has_time[s]) {
			ksnprintf(latest, sizeof(latest), "%lld", (long long)v->stage_us[s]);
			break;
		}
	timeline_bar(bar, v, max_us, clamp_width(width));
	size_t len = (size_t)ksnprintf(buf, size, "%4u  %-10s  %5u  %9s |%s|", v->apic_id,
				       stage_name(ap_stage(v)), v->sipis, latest, bar);

	return (int)(len + row_notes(buf + (len < size ? len : size), len < size ? size - len : 0, v));
}

int format_status_summary(char *buf, size_t size, const unsigned counts[STAGE_COUNT],
			  int64_t last_final_us)
{
	unsigned total = 0;
	size_t len;

	for (int s = 0; s < STAGE_COUNT; s++)
		total += counts[s];
	len = (size_t)ksnprintf(buf, size, "%u AP%s:", total, total == 1 ? "" : "s");
	const char *sep = " ";

	for (int s = 0; s < STAGE_COUNT && len < size; s++)
		if (counts[s]) {
			len += ksnprintf(buf + len, size - len, "%s%u %s", sep, counts[s],
					 stages[s].name);
			sep = ", ";
		}
	if (len < size && last_final_us >= 0)
		len += ksnprintf(buf + len, size - len, "; the last %s %lld us after the first SIPI",
				 stages[STAGE_TIMED].name, (long long)last_final_us);
	return (int)len;
}
