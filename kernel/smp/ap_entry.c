/* Where an AP arrives in C, called by the trampoline as
 * cpu_data->entry(cpu_data) on the stack cpu_data gave it. */
#include "arch/gdt.h"
#include "arch/idt.h"
#include "dev/lapic.h"
#include "lib/console.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"

void ap_entry(const struct cpu_data *cd)
{
	/* Leave the trampoline's tables for the kernel's. */
	gdt_load();
	console_attach(cd->index);
	idt_load();
	lapic_init();

	kprintf("Hello World from CPU %u (APIC ID %u)\n", cd->index, cd->apic_id);
	record_stage(cd->record, STAGE_HELLO);
	record_stage(cd->record, STAGE_IDLE);
	mailbox_serve(cd->mailbox);
}
