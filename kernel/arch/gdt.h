/* The kernel's GDT: flat 64-bit code and data (SDM Vol 3A 3.4.5, 5.2.1). */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10

/* Load the GDT on this CPU and reload every segment register. */
void gdt_load(void);

#endif
