/* Interrupt descriptor table: the 32 exception vectors (SDM Vol 3A 6.3). */
#ifndef ARCH_IDT_H
#define ARCH_IDT_H

void idt_init(void);	/* build the table once, on the BSP */
void idt_load(void);	/* load it on this CPU */

#endif
