#include "arch/cpu.h"
#include "arch/idt.h"
#include "dev/lapic.h"
#include "dev/tsc.h"
#include "lib/console.h"
#include "smp/mailbox.h"

void mailbox_init(void)
{
	idt_set_gate(MAILBOX_VECTOR, (uint64_t)eoi_interrupt_stub);
}

void mailbox_post(struct mailbox *m, uint32_t apic_id,
		  int (*handler)(int, char *[]), int argc, char *argv[])
{
	m->argc = argc;
	for (int i = 0; i < argc && i < MAILBOX_ARGS; i++)
		m->argv[i] = argv[i];
	m->done = 0;
	__atomic_store_n(&m->handler, handler, __ATOMIC_RELEASE);
	lapic_send_ipi(apic_id, ICR_FIXED | MAILBOX_VECTOR);
}

bool mailbox_wait(struct mailbox *m, unsigned timeout_ms)
{
	uint64_t deadline = rdtsc() + timeout_ms * (tsc_hz() / 1000);

	while (!__atomic_load_n(&m->done, __ATOMIC_ACQUIRE)) {
		if (rdtsc() > deadline) {
			m->handler = NULL;
			return false;
		}
		console_drain();	/* the AP prints its answer meanwhile */
		cpu_relax();
	}
	return true;
}

bool mailbox_call(struct mailbox *m, uint32_t apic_id,
		  int (*handler)(int, char *[]), int argc, char *argv[],
		  unsigned timeout_ms)
{
	mailbox_post(m, apic_id, handler, argc, argv);
	return mailbox_wait(m, timeout_ms);
}

void mailbox_serve(struct mailbox *m)
{
	for (;;) {
		__asm__ volatile("cli" ::: "memory");
		int (*handler)(int, char *[]) = __atomic_load_n(&m->handler, __ATOMIC_ACQUIRE);

		if (handler) {
			handler(m->argc, m->argv);
			m->handler = NULL;
			__atomic_store_n(&m->done, 1, __ATOMIC_RELEASE);
			continue;
		}
		/* STI delays interrupts by one instruction, so a wake-up IPI
		 * that arrives after the check above still ends the HLT
		 * (SDM Vol 2B, STI). */
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}
