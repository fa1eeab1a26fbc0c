#include <stdint.h>

#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/idt.h"
#include "dev/lapic.h"

#define EXCEPTION_VECTORS 32
#define IDT_VECTORS	256
#define GATE_INTERRUPT	0x8E	/* P = 1, DPL 0, 64-bit interrupt gate */

/* 64-bit IDT gate descriptor (SDM Vol 3A 6.14.1, figure 6-8). */
struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

extern const uint64_t trap_stub_table[EXCEPTION_VECTORS];
extern const char spurious_interrupt_stub[];

static struct idt_gate idt[IDT_VECTORS];

void idt_set_gate(unsigned vector, uint64_t handler)
{
	idt[vector] = (struct idt_gate){
		.offset_low = (uint16_t)handler,
		.selector = KERNEL_CS,
		.type_attr = GATE_INTERRUPT,
		.offset_mid = (uint16_t)(handler >> 16),
		.offset_high = (uint32_t)(handler >> 32),
	};
}

/* Exceptions and the APIC's spurious vector; every other gate is not
 * present until a higher layer sets it (idt_set_gate). */
void idt_init(void)
{
	for (unsigned v = 0; v < EXCEPTION_VECTORS; v++)
		idt_set_gate(v, trap_stub_table[v]);
	idt_set_gate(LAPIC_SPURIOUS_VECTOR, (uint64_t)spurious_interrupt_stub);
}

void idt_load(void)
{
	struct descriptor_ptr p = { sizeof(idt) - 1, (uint64_t)idt };

	lidt(&p);
}
