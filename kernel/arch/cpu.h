/* Thin inline wrappers over the x86-64 instructions the kernel needs. */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <stdint.h>

#include "arch/control_regs.h"

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

/* This CPU's APIC ID as CPUID reports it, whatever state its local APIC
 * is in: leaf 0BH gives the 32-bit x2APIC ID, leaf 01H EBX[31:24] the
 * 8-bit initial APIC ID (SDM Vol 3A 10.4.6 and 10.12.8.1). */
static inline uint32_t cpu_apic_id(void)
{
	if (cpuid(0, 0).eax >= 0xB) {
		struct cpuid_regs r = cpuid(0xB, 0);

		if (r.ebx != 0)
			return r.edx;
	}
	return cpuid(1, 0).ebx >> 24;
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((uint32_t)v),
			 "d"((uint32_t)(v >> 32)) : "memory");
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* RDTSC is not serializing: LFENCE before it waits for earlier loads,
 * LFENCE after it holds later instructions back (SDM Vol 2B, RDTSC). For
 * reads that must fall between two memory accesses of another CPU. */
static inline uint64_t rdtsc_ordered(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
}

#define DEFINE_READ_CR(n)					\
	static inline uint64_t read_cr##n(void)			\
	{							\
		uint64_t v;					\
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));	\
		return v;					\
	}
DEFINE_READ_CR(0)
DEFINE_READ_CR(2)
DEFINE_READ_CR(3)
DEFINE_READ_CR(4)
#undef DEFINE_READ_CR

static inline void write_cr3(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr3" : : "r"(v) : "memory");
}

/* Write back and invalidate every cache line (SDM Vol 2D, WBINVD). */
static inline void wbinvd(void)
{
	__asm__ volatile("wbinvd" ::: "memory");
}

static inline uint64_t read_rflags(void)
{
	uint64_t v;

	__asm__ volatile("pushfq; popq %0" : "=r"(v));
	return v;
}

struct __attribute__((packed)) descriptor_ptr {
	uint16_t limit;
	uint64_t base;
};

static inline void lgdt(const struct descriptor_ptr *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p));
}

static inline void lidt(const struct descriptor_ptr *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p));
}

static inline struct descriptor_ptr sgdt(void)
{
	struct descriptor_ptr p;

	__asm__ volatile("sgdt %0" : "=m"(p));
	return p;
}

static inline struct descriptor_ptr sidt(void)
{
	struct descriptor_ptr p;

	__asm__ volatile("sidt %0" : "=m"(p));
	return p;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

static inline void halt(void)
{
	__asm__ volatile("hlt" ::: "memory");
}

static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#define MSR_IA32_TSC		0x10	/* the TSC itself (SDM Vol 3B 17.17) */
#define MSR_IA32_APIC_BASE	0x1B
#define MSR_IA32_TSC_ADJUST	0x3B	/* SDM Vol 3B 17.17.3 */

#endif
