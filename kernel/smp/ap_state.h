/* The BSP's bookkeeping of each AP start (what it sent, when, and where
 * the AP writes its stage record), and the view `status` prints. */
#ifndef SMP_AP_STATE_H
#define SMP_AP_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/trap.h"
#include "smp/mailbox.h"
#include "smp/status_format.h"
#include "trampoline/layout.h"

/* What the BSP keeps for one AP, in one place: what it sent and when, and
 * the mailbox `on` posts commands in. The AP's own half lives where it can
 * reach it before paging is on: its stage record in the trampoline
 * (trampoline/layout.h) and, by slot, its cpu_data in cpu_table
 * (smp/cpu_data.h). GDB reads aps[APIC ID].start. */
struct ap_start {
	enum ap_step step;
	uint64_t sipi_tsc;		/* the first SIPI after the last INIT */
	unsigned sipis;
	struct ap_record *record;	/* in the trampoline it was sent to */
	bool no_init;			/* the first SIPI came with no INIT before it */
};

struct ap {
	struct ap_start start;
	struct mailbox mailbox;
};

/* One slot per CPU the MADT lists (disabled ones too, a hot-plugged CPU
 * may answer a broadcast), in MADT order, up to TRAMP_MAX_SLOTS: the slot
 * is the CPU number. aps[] is allocated once ACPI is read; false when
 * there was no memory for it. */
bool ap_state_init(void);
unsigned ap_slots(void);
/* The slot of this APIC ID, or -1 when it has none. */
int ap_slot_index(uint32_t apic_id);
/* The AP with this APIC ID, or NULL when it has no slot: the one bounds
 * check of every per-AP table. */
struct ap *ap_slot(uint32_t apic_id);

/* An AP that has not reached a final stage this long after its SIPI has
 * timed out: a base, and more per CPU, since all APs share one console
 * to say hello on (under TCG on two host cores, 63 APs took 1 to 2.2 s). */
#define AP_TIMEOUT_BASE_MS	1000
#define AP_TIMEOUT_PER_CPU_MS	50
unsigned ap_timeout_ms(void);

/* The moment ap_view() last judged timeouts (the last `status` or wait
 * for the APs), and the timeout it judged by. GDB's `smplab status` reads
 * them, so that it calls an AP timed out exactly when the monitor did. */
struct ap_view_clock {
	uint64_t tsc;
	unsigned timeout_ms;
};
extern struct ap_view_clock ap_view_clock;

void ap_note_init(uint32_t apic_id);
/* Call before sending the SIPI: the first SIPI after an INIT clears the
 * AP's record in the trampoline at `vector` and starts its clock. */
void ap_note_sipi(uint32_t apic_id, uint8_t vector);
void ap_view(uint32_t apic_id, struct ap_view *v);

/* A broadcast INIT, then SIPI, also reaches processors the MADT does not
 * list as enabled: call these before sending them. */
void ap_note_broadcast_init(void);
void ap_note_broadcast_sipi(uint8_t vector);
/* The APIC IDs (and stages) of processors that answered the last
 * broadcast though the MADT does not list them as enabled: those with a
 * slot by their record, those without one (stage STAGE_NONE) from the
 * trampoline's strays. At most AP_UNLISTED_MAX are reported. */
#define AP_UNLISTED_MAX 64
int ap_unlisted_answers(uint32_t *ids, uint8_t *stages, int max);
/* Strays beyond the TRAMP_STRAYS whose APIC IDs the trampoline kept. */
unsigned ap_strays_unnamed(void);
/* True when each of those reached a final stage, or the AP timeout has
 * passed since the broadcast SIPI. */
bool ap_unlisted_settled(void);
/* How long to look for such processors after the listed APs are done:
 * they got the same SIPI, but on a busy host (2 cores, many vCPUs) their
 * first instruction may come milliseconds later. */
#define AP_UNLISTED_GRACE_US	20000

/* An AP marks that it reached `stage` (STAGE_HELLO, STAGE_IDLE). */
void record_stage(struct ap_record *r, uint8_t stage);
/* An AP in C that takes an exception records it before it halts. */
void record_fault(struct ap_record *r, uint8_t vector, uint32_t error, uint64_t ip);
/* The trap handler's halt hook (trap_set_halt_hook): records the fault of
 * an AP that has a stage record. */
void ap_fault_halt(const struct trap_frame *f, uint32_t apic_id);

#endif
