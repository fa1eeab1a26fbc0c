#include <stdbool.h>

#include "acpi/acpi.h"
#include "arch/cpu.h"
#include "dev/lapic.h"
#include "dev/tsc.h"
#include "lib/string.h"
#include "mm/frames.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"
#include "smp/trampoline.h"

struct ap *aps;			/* by slot: ap_slots() of them */
static unsigned ap_slot_count;	/* GDB reads it */

bool ap_state_init(void)
{
	unsigned n = acpi.error == ACPI_OK ? (unsigned)acpi.madt.ncpus : 0;

	if (n > TRAMP_MAX_SLOTS)
		n = TRAMP_MAX_SLOTS;
	if (n == 0)
		return true;
	aps = (struct ap *)frames_alloc(pages_for(n * sizeof(struct ap)));
	cpu_table = (struct cpu_data **)frames_alloc(pages_for(n * sizeof(*cpu_table)));
	if (!aps || !cpu_table)
		return false;
	ap_slot_count = n;
	return true;
}

unsigned ap_slots(void)
{
	return ap_slot_count;
}

int ap_slot_index(uint32_t apic_id)
{
	int i = madt_find(&acpi.madt, apic_id);

	return i >= 0 && (unsigned)i < ap_slot_count ? i : -1;
}

struct ap *ap_slot(uint32_t apic_id)
{
	int i = ap_slot_index(apic_id);

	return i < 0 ? NULL : &aps[i];
}

/* A broadcast wakes processors the MADT does not list as enabled APs
 * too; their records (or, without a slot, the strays) are watched at the
 * vector of the last broadcast. */
static bool broadcast_init_sent;
static int broadcast_vector = -1;
static uint64_t broadcast_sipi_tsc;

static int64_t us_between(uint64_t from, uint64_t to)
{
	int64_t cycles = (int64_t)(to - from);

	return cycles / (int64_t)(tsc_hz() / 1000000);
}

static struct ap_record *record_at(uint8_t vector, unsigned slot)
{
	const struct tramp_params *p = tramp_params_at(vector);

	return (struct ap_record *)((uint64_t)p->base + p->records) + slot;
}

void ap_note_broadcast_init(void)
{
	broadcast_init_sent = true;
}

void ap_note_broadcast_sipi(uint8_t vector)
{
	/* The first SIPI after a broadcast INIT: start from clean records. */
	if (!broadcast_init_sent || !tramp_present_at(vector))
		return;
	broadcast_init_sent = false;
	broadcast_vector = vector;
	broadcast_sipi_tsc = rdtsc();
	for (unsigned i = 0; i < ap_slot_count; i++)
		if (!acpi.madt.cpus[i].enabled)
			memset(record_at(vector, i), 0, sizeof(struct ap_record));
	tramp_params_at(vector)->stray_count = 0;
}

int ap_unlisted_answers(uint32_t *ids, uint8_t *stages, int max)
{
	int n = 0;

	if (broadcast_vector < 0 || !tramp_present_at((uint8_t)broadcast_vector))
		return 0;
	for (unsigned i = 0; i < ap_slot_count && n < max; i++) {
		const struct ap_record *r = record_at((uint8_t)broadcast_vector, i);
		uint32_t id = acpi.madt.cpus[i].apic_id;

		if (!acpi.madt.cpus[i].enabled && r->stage != STAGE_NONE) {
			ids[n] = id;
			stages[n++] = r->stage;
		}
	}
	const struct tramp_params *p = tramp_params_at((uint8_t)broadcast_vector);
	unsigned strays = p->stray_count < TRAMP_STRAYS ? p->stray_count : TRAMP_STRAYS;

	for (unsigned i = 0; i < strays && n < max; i++) {
		ids[n] = p->stray_ids[i];
		stages[n++] = STAGE_NONE;
	}
	return n;
}

unsigned ap_strays_unnamed(void)
{
	if (broadcast_vector < 0 || !tramp_present_at((uint8_t)broadcast_vector))
		return 0;
	unsigned count = tramp_params_at((uint8_t)broadcast_vector)->stray_count;

	return count > TRAMP_STRAYS ? count - TRAMP_STRAYS : 0;
}

void ap_note_init(uint32_t apic_id)
{
	struct ap *ap = ap_slot(apic_id);

	if (ap)
		ap->start = (struct ap_start){ .step = AP_INIT_SENT };
}

bool ap_unlisted_settled(void)
{
	uint32_t ids[AP_UNLISTED_MAX];
	uint8_t stages[AP_UNLISTED_MAX];

	if (us_between(broadcast_sipi_tsc, rdtsc()) > (int64_t)ap_timeout_ms() * 1000)
		return true;
	int n = ap_unlisted_answers(ids, stages, AP_UNLISTED_MAX);
	for (int i = 0; i < n; i++)
		if (stages[i] != STAGE_NONE && !stage_is_final(stages[i]))
			return false;
	return true;
}

void ap_note_sipi(uint32_t apic_id, uint8_t vector)
{
	struct ap *ap = ap_slot(apic_id);

	if (!ap)
		return;
	struct ap_start *s = &ap->start;

	if (s->sipis == 0 || s->step != AP_SIPI_SENT) {
		s->no_init = s->step == AP_OFFLINE;
		s->record = NULL;
		if (tramp_present_at(vector)) {
			s->record = record_at(vector, (unsigned)(ap - aps));
			memset((void *)s->record, 0, sizeof(*s->record));
		}
		s->sipis = 0;
		s->sipi_tsc = rdtsc();
	}
	s->step = AP_SIPI_SENT;
	s->sipis++;
}


struct ap_view_clock ap_view_clock;

void ap_view(uint32_t apic_id, struct ap_view *v)
{
	ap_view_clock = (struct ap_view_clock){ rdtsc(), ap_timeout_ms() };
	memset(v, 0, sizeof(*v));
	v->apic_id = apic_id;
	const struct ap *ap = ap_slot(apic_id);

	if (!ap)
		return;
	const struct ap_start *s = &ap->start;
	const struct ap_record *r = s->record;
	const struct cpu_data *cd = cpu_data_find(apic_id);

	v->step = s->step;
	v->sipis = s->sipis;
	v->no_init = s->no_init;
	if (cd && cd->stack_base)
		v->stack_overflow = !cpu_data_stack_intact(cd);
	if (s->step != AP_SIPI_SENT)
		return;
	if (r) {
		v->stage = r->stage;
		for (int i = 0; i < STAGE_TIMED; i++) {
			v->has_time[i] = r->tsc[i] != 0;
			v->stage_us[i] = us_between(s->sipi_tsc, r->tsc[i]);
		}
		v->fault_vector = r->fault_vector;
		v->fault_stage = r->fault_stage;
		v->fault_error = r->fault_error;
		v->fault_ip = r->fault_ip;
	}
	v->timed_out = !stage_is_final(v->stage) &&
		       us_between(s->sipi_tsc, ap_view_clock.tsc) >
		       (int64_t)ap_view_clock.timeout_ms * 1000;
}

unsigned ap_timeout_ms(void)
{
	return AP_TIMEOUT_BASE_MS + AP_TIMEOUT_PER_CPU_MS * (unsigned)acpi.madt.ncpus;
}

void record_stage(struct ap_record *r, uint8_t stage)
{
	r->tsc[stage - 1] = rdtsc();
	r->stage = stage;
}

void ap_fault_halt(const struct trap_frame *f, uint32_t apic_id)
{
	struct cpu_data *cd = cpu_data_find(apic_id);

	if (cd && cd->record && !lapic_is_bsp())
		record_fault(cd->record, (uint8_t)f->vector, (uint32_t)f->error, f->rip);
}

void record_fault(struct ap_record *r, uint8_t vector, uint32_t error, uint64_t ip)
{
	r->fault_vector = vector;
	r->fault_error = error;
	r->fault_ip = ip;
	r->fault_stage = r->stage;
	r->stage = STAGE_FAULT;
}
