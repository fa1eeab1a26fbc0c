#include <stdint.h>

#include "arch/cpu.h"
#include "arch/gdt.h"

/* Descriptor bits (SDM Vol 3A 3.4.5): in long mode base and limit are
 * ignored for code and data; what matters is P, DPL, S, type and L. */
#define SEG_PRESENT	(1ull << 47)
#define SEG_CODE_DATA	(1ull << 44)	/* S: code or data, not system */
#define SEG_EXECUTE	(1ull << 43)
#define SEG_READ_WRITE	(1ull << 41)
#define SEG_LONG	(1ull << 53)	/* L: 64-bit code segment */
#define SEG_GRANULAR_4K	(1ull << 55)
#define SEG_LIMIT_MAX	(0xFull << 48 | 0xFFFFull)

static const uint64_t gdt[] = {
	0,
	SEG_PRESENT | SEG_CODE_DATA | SEG_EXECUTE | SEG_READ_WRITE | SEG_LONG |
		SEG_GRANULAR_4K | SEG_LIMIT_MAX,	/* KERNEL_CS */
	SEG_PRESENT | SEG_CODE_DATA | SEG_READ_WRITE | SEG_GRANULAR_4K |
		SEG_LIMIT_MAX | (1ull << 54),		/* KERNEL_DS, B = 1 */
};

void gdt_load(void)
{
	struct descriptor_ptr p = { sizeof(gdt) - 1, (uint64_t)gdt };

	lgdt(&p);
	/* A far return is the way to reload CS in 64-bit mode. */
	__asm__ volatile("pushq %0\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %1, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 : : "i"(KERNEL_CS), "i"(KERNEL_DS) : "rax", "memory");
}
