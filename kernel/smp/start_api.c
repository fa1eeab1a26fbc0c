#include "dev/tsc.h"
#include "lib/console.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"
#include "smp/start_api.h"
#include "smp/start_trace.h"
#include "trampoline/layout.h"

static bool fast;

void start_api_set_fast(bool on)
{
	fast = on;
}

static void for_each_ap(uint32_t target, void (*fn)(uint32_t, uint8_t), uint8_t arg)
{
	uint32_t ids[TRAMP_SLOTS];
	int n = ap_ids_of(target, ids, TRAMP_SLOTS);

	for (int i = 0; i < n; i++)
		fn(ids[i], arg);
}

static void note_init(uint32_t apic_id, uint8_t unused)
{
	(void)unused;
	ap_note_init(apic_id);
}

bool send_init(uint32_t target)
{
	if (target == IPI_ALL_BUT_SELF)
		ap_note_broadcast_init();
	for_each_ap(target, note_init, 0);
	trace_add(TRACE_INIT, target, 0, false);
	return ipi_init(target);
}

bool send_sipi(uint32_t target, uint8_t vector)
{
	if (target == IPI_ALL_BUT_SELF)
		ap_note_broadcast_sipi(vector);
	for_each_ap(target, ap_note_sipi, vector);
	trace_add(TRACE_SIPI, target, vector, false);
	return ipi_sipi(target, vector);
}

void delay_us(uint64_t us)
{
	trace_add(TRACE_DELAY, 0, us, fast);
	if (fast)
		return;
	kprintf("  wait %lu us\n", us);
	udelay(us);
}

bool ap_answered(uint32_t target)
{
	uint32_t ids[TRAMP_SLOTS];
	int n = ap_ids_of(target, ids, TRAMP_SLOTS);

	for (int i = 0; i < n; i++) {
		struct ap_view v;

		ap_view(ids[i], &v);
		if (v.stage == STAGE_NONE)
			return false;
	}
	kprintf("  every AP answered: no need for another SIPI\n");
	return true;
}
