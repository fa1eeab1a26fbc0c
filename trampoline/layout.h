/*
 * The trampoline's memory layout and stage codes: the one definition that
 * both the C kernel and trampoline.asm use. The build turns every
 * "#define NAME VALUE" line of this file into a NASM "%define"
 * (build/trampoline/layout.inc), so keep those lines plain: a name, a
 * number or a simple expression of earlier names, and nothing else.
 *
 * The trampoline takes TRAMP_PAGES pages from vector * 4096:
 *   page 0  code, parameter block, GDT, the three exception tables
 *   page 1  one stage record per AP, indexed by APIC ID
 *   page 2  a small early stack per AP, indexed by APIC ID, so that an
 *           exception in real or protected mode has somewhere to push
 */
#ifndef TRAMPOLINE_LAYOUT_H
#define TRAMPOLINE_LAYOUT_H

#define TRAMP_PAGES 3
#define TRAMP_RECORDS 0x1000
#define TRAMP_STACKS 0x2000
#define TRAMP_MAX_APIC_ID 63
#define TRAMP_SLOTS 64
#define TRAMP_EARLY_STACK 64
#define TRAMP_MAGIC 0x54504D53
#define TRAMP_STUB_SIZE 16
#define TRAMP_EXCEPTIONS 32
#define TRAMP_GDT_SIZE 32

/* Segment selectors of the trampoline's own GDT. */
#define TRAMP_CS32 0x08
#define TRAMP_DS 0x10
#define TRAMP_CS64 0x18

/*
 * Parameter block, at TP_OFFSET from the start of the trampoline.
 * Filled by the assembler (offsets of things inside the trampoline):
 */
#define TP_OFFSET 0x10
#define TP_MAGIC 0x10
#define TP_SIZE_BYTES 0x14
#define TP_GDT 0x16
#define TP_RM_IVT 0x18
#define TP_PM_IDT 0x1A
#define TP_LM_IDT 0x1C
#define TP_RM_STUBS 0x1E
#define TP_PM_STUBS 0x20
#define TP_LM_STUBS 0x22
#define TP_PM_ENTRY 0x24
#define TP_LM_ENTRY 0x26
/* Filled by the BSP when it installs the trampoline: */
#define TP_BASE 0x28
#define TP_CR3 0x2C
#define TP_EFER 0x30
#define TP_CPU_TABLE 0x38
#define TP_GDTR 0x40
#define TP_PM_FAR 0x48
#define TP_LM_FAR 0x50
#define TP_RM_IDTR 0x58
#define TP_PM_IDTR 0x60
#define TP_LM_IDTR 0x68
/* Filled by the assembler: where the mode switches begin. */
#define TP_PM_ENTER 0x72
#define TP_LM_ENTER 0x74
#define TP_C_CALL 0x76
#define TP_END 0x78

/* Stage codes an AP writes into its record, in the order it climbs. */
#define STAGE_NONE 0
#define STAGE_REAL 1
#define STAGE_PROTECTED 2
#define STAGE_LONG 3
#define STAGE_C_ENTRY 4
#define STAGE_HELLO 5
#define STAGE_IDLE 6
#define STAGE_NO_CPUDATA 7
#define STAGE_FAULT 8
#define STAGE_TIMED 6

/* Stage record, TRAMP_RECORDS + APIC ID * AR_SIZE. */
#define AR_SIZE 64
#define AR_STAGE 0
#define AR_FAULT_VECTOR 1
#define AR_FAULT_STAGE 2
#define AR_FAULT_ERROR 4
#define AR_FAULT_IP 8
#define AR_TSC 16

/* The fields of struct cpu_data that the trampoline uses. */
#define CPU_DATA_STACK_TOP 0
#define CPU_DATA_ENTRY 8
#define CPU_DATA_RECORD 16

#ifndef __NASM__
#include <stdint.h>

/* The parameter block as C sees it (the offsets above, checked below). */
struct __attribute__((packed)) tramp_params {
	uint32_t magic;
	uint16_t size_bytes;		/* bytes of page 0 the code uses */
	uint16_t gdt, rm_ivt, pm_idt, lm_idt;
	uint16_t rm_stubs, pm_stubs, lm_stubs;
	uint16_t pm_entry, lm_entry;
	uint32_t base;			/* physical address = vector * 4096 */
	uint32_t cr3;			/* a 32-bit mov loads it: below 4 GiB */
	uint64_t efer;			/* bits to set: LME, and NXE if the BSP has it */
	uint64_t cpu_table;		/* struct cpu_data *[TRAMP_SLOTS], by APIC ID */
	uint16_t gdtr_limit;
	uint32_t gdtr_base;
	uint16_t pad0;
	uint32_t pm_far_offset;		/* far pointer to pm_entry */
	uint16_t pm_far_selector;
	uint16_t pad1;
	uint32_t lm_far_offset;		/* far pointer to lm_entry */
	uint16_t lm_far_selector;
	uint16_t pad2;
	uint16_t rm_idtr_limit;
	uint32_t rm_idtr_base;
	uint16_t pad3;
	uint16_t pm_idtr_limit;
	uint32_t pm_idtr_base;
	uint16_t pad4;
	uint16_t lm_idtr_limit;
	uint64_t lm_idtr_base;
	uint16_t pm_enter, lm_enter, c_call;	/* offsets of the mode switches */
};

/* One AP's stage record: what it reached, when (TSC), and any fault. */
struct ap_record {
	volatile uint8_t stage;
	volatile uint8_t fault_vector;
	volatile uint8_t fault_stage;
	uint8_t pad;
	volatile uint32_t fault_error;
	volatile uint64_t fault_ip;	/* linear address of the faulting instruction */
	volatile uint64_t tsc[STAGE_TIMED];	/* tsc[s - 1]: when stage s began */
};

#endif
#endif
