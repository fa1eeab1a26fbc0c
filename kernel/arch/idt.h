/* Interrupt descriptor table (SDM Vol 3A 6.10): exceptions and IPIs. */
#ifndef ARCH_IDT_H
#define ARCH_IDT_H

#include <stdint.h>

void idt_init(void);	/* build the table once, on the BSP */
void idt_load(void);	/* load it on this CPU */
/* Point a vector at a handler (an interrupt gate, kernel code segment). */
void idt_set_gate(unsigned vector, uint64_t handler);
/* A handler for IPIs that only wake a CPU from HLT: EOI, then return. */
extern const char eoi_interrupt_stub[];

#endif
