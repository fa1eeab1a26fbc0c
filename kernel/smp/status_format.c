#include "arch/exceptions.h"
#include "lib/format.h"
#include "smp/status_format.h"

static const char *const stage_names[] = {
	[STAGE_NONE] = "none",
	[STAGE_REAL] = "real",
	[STAGE_PROTECTED] = "protected",
	[STAGE_LONG] = "long",
	[STAGE_C_ENTRY] = "c-entry",
	[STAGE_HELLO] = "hello",
	[STAGE_IDLE] = "idle",
	[STAGE_NO_CPUDATA] = "no-cpudata",
	[STAGE_FAULT] = "fault",
};

/* Timeline letters, one per timed stage. */
static const char stage_letters[STAGE_TIMED] = { 'R', 'P', 'L', 'C', 'H', 'I' };

const char *stage_name(uint8_t stage)
{
	if (stage < sizeof(stage_names) / sizeof(stage_names[0]))
		return stage_names[stage];
	return "corrupt";
}

static const char *const shown_names[] = {
	[SHOWN_OFFLINE] = "offline", [SHOWN_INIT] = "init", [SHOWN_SIPI] = "sipi",
	[SHOWN_REAL] = "real", [SHOWN_PROTECTED] = "protected", [SHOWN_LONG] = "long",
	[SHOWN_C_ENTRY] = "c-entry", [SHOWN_HELLO] = "hello", [SHOWN_IDLE] = "idle",
	[SHOWN_NO_CPUDATA] = "no-cpudata", [SHOWN_FAULT] = "fault",
	[SHOWN_TIMEOUT] = "timeout",
};

const char *ap_shown_name(enum ap_shown s)
{
	return shown_names[s];
}

bool stage_is_final(uint8_t stage)
{
	return stage == STAGE_IDLE || stage == STAGE_NO_CPUDATA || stage == STAGE_FAULT;
}

enum ap_shown ap_shown_state(const struct ap_view *v)
{
	if (v->timed_out)
		return SHOWN_TIMEOUT;
	if (v->step == AP_SIPI_SENT && v->stage != STAGE_NONE && v->stage <= STAGE_FAULT)
		return (enum ap_shown)(SHOWN_SIPI + v->stage);
	switch (v->step) {
	case AP_INIT_SENT: return SHOWN_INIT;
	case AP_SIPI_SENT: return SHOWN_SIPI;
	default: return SHOWN_OFFLINE;
	}
}

int format_status_header(char *buf, size_t size)
{
	return ksnprintf(buf, size, "APIC  state       SIPIs %8s %9s %8s %8s %8s %8s   (us after SIPI)",
			 "real", "protected", "long", "c-entry", "hello", "idle");
}

int format_status_row(char *buf, size_t size, const struct ap_view *v)
{
	enum ap_shown shown = ap_shown_state(v);
	size_t len = (size_t)ksnprintf(buf, size, "%4u  %-10s  %5u", v->apic_id,
				       ap_shown_name(shown), v->sipis);
	static const int widths[STAGE_TIMED] = { 8, 9, 8, 8, 8, 8 };

	for (int s = 0; s < STAGE_TIMED && len < size; s++) {
		if (v->has_time[s])
			len += ksnprintf(buf + len, size - len, " %*lld", widths[s],
					 (long long)v->stage_us[s]);
		else
			len += ksnprintf(buf + len, size - len, " %*s", widths[s], "-");
	}
	if (len < size && v->stage == STAGE_FAULT && v->step == AP_SIPI_SENT)
		len += ksnprintf(buf + len, size - len,
				 "   %s, error code 0x%x, at 0x%llx, after stage %s",
				 exception_name(v->fault_vector), v->fault_error,
				 (unsigned long long)v->fault_ip, stage_name(v->fault_stage));
	else if (len < size && shown == SHOWN_TIMEOUT)
		len += ksnprintf(buf + len, size - len, "   no answer; last stage: %s",
				 stage_name(v->stage));
	if (len < size && v->stack_overflow)
		len += ksnprintf(buf + len, size - len, "   STACK OVERFLOW (canary overwritten)");
	return (int)len;
}

int format_timeline_row(char *buf, size_t size, const struct ap_view *v,
			int64_t max_us, int width)
{
	char bar[128];
	int last = -1;

	if (width > (int)sizeof(bar) - 1)
		width = sizeof(bar) - 1;
	for (int i = 0; i < width; i++)
		bar[i] = ' ';
	for (int s = 0; s < STAGE_TIMED; s++) {
		if (!v->has_time[s])
			continue;
		int64_t t = v->stage_us[s] < 0 ? 0 : v->stage_us[s];
		int col = max_us > 0 ? (int)(t * (width - 1) / max_us) : 0;
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
		bar[col] = stage_letters[s];
		last = col;
	}
	bar[width] = '\0';
	return ksnprintf(buf, size, "%4u |%s|", v->apic_id, bar);
}
