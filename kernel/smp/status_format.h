/* What `status` shows for each AP, and how it is formatted. Pure logic:
 * no hardware access, so the host unit tests compile this file too. */
#ifndef SMP_STATUS_FORMAT_H
#define SMP_STATUS_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trampoline/layout.h"

/*
 * The BSP's side of a start, what it last sent, and the stage `status`
 * shows for it until the AP writes its record. X(NAME, stage); the values
 * count from 0 (struct ap_start keeps one, and GDB reads it).
 */
#define AP_STEP_TABLE(X)			\
	X(AP_OFFLINE, STAGE_OFFLINE)		\
	X(AP_INIT_SENT, STAGE_INIT)		\
	X(AP_SIPI_SENT, STAGE_SIPI)

enum ap_step {
#define AP_STEP_ENUM(name, stage) name,
	AP_STEP_TABLE(AP_STEP_ENUM)
#undef AP_STEP_ENUM
};

/* One AP as `status` sees it. Times are microseconds after the SIPI. */
struct ap_view {
	uint32_t apic_id;
	enum ap_step step;
	uint8_t stage;			/* STAGE_* from its record */
	bool timed_out;			/* no final stage long after the SIPI */
	unsigned sipis;			/* SIPIs since the last INIT */
	bool no_init;			/* this monitor sent it no INIT first */
	bool has_time[STAGE_TIMED];
	int64_t stage_us[STAGE_TIMED];	/* stage_us[s - 1] for stage s */
	uint8_t fault_vector, fault_stage;
	uint32_t fault_error;
	uint64_t fault_ip;
	bool stack_overflow;
};

const char *stage_name(enum stage s);
/* The name of the stage code a record holds, or "corrupt" when the AP
 * writes no such code. */
const char *record_stage_name(uint8_t code);
/* True for the stages after which an AP writes nothing more. */
bool stage_is_final(uint8_t code);
/* The stage `status` shows: the BSP's step until the AP writes a stage. */
enum stage ap_stage(const struct ap_view *v);

/* Header and one row of the status table. */
int format_status_header(char *buf, size_t size);
int format_status_row(char *buf, size_t size, const struct ap_view *v);
/* Up to this many APs, `status` shows the table and then a timeline bar
 * for each; beyond, the compact form: a summary, then one line per AP. */
#define STATUS_FULL_MAX		16
#define TIMELINE_BAR_MAX	128	/* columns of a bar, and its NUL */

/* The line above the timeline bars: its scale and its letters. */
int format_timeline_header(char *buf, size_t size, int64_t max_us);
/* One timeline bar: each stage's letter at its time on a scale of
 * `width` columns for 0..max_us. */
int format_timeline_row(char *buf, size_t size, const struct ap_view *v,
			int64_t max_us, int width);
/* The compact form. The summary: how many APs are in each stage, and
 * when the last reached the final timed stage (last_final_us; < 0: none
 * did). Then a header and, per AP, its state, SIPIs, the time of its
 * latest stage, its timeline bar and any fault. */
int format_status_summary(char *buf, size_t size, const unsigned counts[STAGE_COUNT],
			  int64_t last_final_us);
int format_compact_header(char *buf, size_t size);
int format_compact_row(char *buf, size_t size, const struct ap_view *v,
		       int64_t max_us, int width);

#endif
