/* What `status` shows for each AP, and how it is formatted. Pure logic:
 * no hardware access, so the host unit tests compile this file too. */
#ifndef SMP_STATUS_FORMAT_H
#define SMP_STATUS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trampoline/layout.h"

/* The BSP's side of a start: what it last sent. */
enum ap_step { AP_OFFLINE, AP_INIT_SENT, AP_SIPI_SENT };

/* The state `status` shows: the BSP's step until the AP writes a stage. */
enum ap_shown {
	SHOWN_OFFLINE, SHOWN_INIT, SHOWN_SIPI, SHOWN_REAL, SHOWN_PROTECTED,
	SHOWN_LONG, SHOWN_C_ENTRY, SHOWN_HELLO, SHOWN_IDLE, SHOWN_NO_CPUDATA,
	SHOWN_FAULT, SHOWN_TIMEOUT,
};

/* One AP as `status` sees it. Times are microseconds after the SIPI. */
struct ap_view {
	uint32_t apic_id;
	enum ap_step step;
	uint8_t stage;			/* STAGE_* from its record */
	bool timed_out;			/* no final stage long after the SIPI */
	unsigned sipis;			/* SIPIs since the last INIT */
	bool has_time[STAGE_TIMED];
	int64_t stage_us[STAGE_TIMED];	/* stage_us[s - 1] for stage s */
	uint8_t fault_vector, fault_stage;
	uint32_t fault_error;
	uint64_t fault_ip;
	bool stack_overflow;
};

const char *stage_name(uint8_t stage);
const char *ap_shown_name(enum ap_shown s);
/* True for the stages after which an AP writes nothing more. */
bool stage_is_final(uint8_t stage);
enum ap_shown ap_shown_state(const struct ap_view *v);

/* Header and one row of the status table. */
int format_status_header(char *buf, size_t size);
int format_status_row(char *buf, size_t size, const struct ap_view *v);
/* One timeline bar: each stage's letter at its time on a scale of
 * `width` columns for 0..max_us. */
int format_timeline_row(char *buf, size_t size, const struct ap_view *v,
			int64_t max_us, int width);

#endif
