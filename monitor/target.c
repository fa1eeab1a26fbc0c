#include "acpi/acpi.h"
#include "lib/console.h"
#include "lib/string.h"
#include "monitor/monitor.h"
#include "monitor/target.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"

bool parse_target(const char *word, bool allow_all, uint32_t *target)
{
	uint64_t id;

	if (allow_all && strcmp(word, "all") == 0) {
		*target = IPI_ALL_BUT_SELF;
		return true;
	}
	if (!arg_number(word, "APIC ID", &id))
		return false;
	switch (ap_target_check(id)) {
	case AP_TARGET_OK:
		break;
	case AP_TARGET_IS_BSP:
		kprintf("error: APIC %lu is the BSP, the CPU running this monitor\n", id);
		return false;
	case AP_TARGET_NO_MADT:
		kprintf("error: no MADT (%s), so smplab knows no processor to start\n",
			acpi_error_str(acpi.error));
		return false;
	case AP_TARGET_NOT_IN_MADT:
		kprintf("error: the MADT lists no enabled CPU with APIC ID %lu "
			"('cpus' shows them)\n", id);
		return false;
	case AP_TARGET_NO_SLOT:
		kprintf("error: APIC ID %lu: the trampoline has slots for the first %d "
			"CPUs of the MADT only\n", id, TRAMP_MAX_SLOTS);
		return false;
	}
	*target = (uint32_t)id;
	return true;
}

/* Says why a broadcast cannot be accounted for; true when it can. */
static bool broadcast_accountable(enum broadcast_check *check)
{
	uint32_t ids[MAX_CPUS];
	int n;
	enum broadcast_check c = broadcast_check(ids, MAX_CPUS, &n);

	*check = c;
	switch (c) {
	case BROADCAST_OK:
		return true;
	case BROADCAST_NO_MADT:
		kprintf("refused: no MADT (%s), so nothing tells which processors a "
			"broadcast would wake; smplab sends nothing it cannot account for\n",
			acpi_error_str(acpi.error));
		return false;
	case BROADCAST_TOO_MANY:
		kprintf("the MADT lists %zu CPUs more than smplab's table of %d holds: a "
			"broadcast would wake processors it does not know\n",
			acpi.madt.cpus_dropped, MAX_CPUS);
		break;
	case BROADCAST_NO_SLOT:
		for (int i = 0; i < n; i++)
			kprintf("APIC %u is enabled in the MADT, but the trampoline has slots "
				"for the first %d CPUs of the MADT only: a broadcast would wake "
				"it with nothing to follow it\n", ids[i], TRAMP_MAX_SLOTS);
		break;
	}
	return false;
}

bool broadcast_allowed(bool *one_by_one)
{
	enum broadcast_check c;

	if (one_by_one)
		*one_by_one = false;
	if (broadcast_accountable(&c))
		return true;
	if (c == BROADCAST_NO_SLOT && one_by_one) {
		kprintf("boot all: so starting the others one at a time instead\n");
		*one_by_one = true;
		return true;
	}
	if (c != BROADCAST_NO_MADT)
		kprintf("refused: 'all' is a broadcast; name one APIC ID instead%s\n",
			c == BROADCAST_NO_SLOT ? " ('boot all' starts the others one at a time)"
					       : "");
	return false;
}

int report_unlisted_answers(void)
{
	uint32_t ids[AP_UNLISTED_MAX];
	uint8_t stages[AP_UNLISTED_MAX];
	int n = ap_unlisted_answers(ids, stages, AP_UNLISTED_MAX);
	unsigned unnamed = ap_strays_unnamed();

	for (int i = 0; i < n; i++)
		if (stages[i] == STAGE_NONE)
			kprintf("  APIC %u: answered the broadcast, but the MADT does not list it "
				"at all: it found no slot in the trampoline and halted\n", ids[i]);
		else
			kprintf("  APIC %u: answered the broadcast, but the MADT does not list it "
				"as an enabled CPU; its record says %s\n", ids[i],
				record_stage_name(stages[i]));
	if (unnamed)
		kprintf("  and %u more without a slot, whose APIC IDs the trampoline had no "
			"room to keep\n", unnamed);
	return n + (int)unnamed;
}
