/* Interrupt descriptor table (SDM Vol 3A 6.10): exceptions and IPIs. */
#ifndef ARCH_IDT_H
#define ARCH_IDT_H

void idt_init(void);	/* build the table once, on the BSP */
void idt_load(void);	/* load it on this CPU */

#endif
