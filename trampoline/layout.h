/*
 * The trampoline's memory layout: the one definition that both the C
 * kernel and trampoline.asm use. The structs below are the definition;
 * trampoline/offsets.c has the compiler work out their offsets and hands
 * them, with the constants here and the stages of trampoline/stages.h, to
 * NASM (build/trampoline/layout.inc, as TP_*, AR_*, CPU_DATA_*) and to the
 * host tools (build/trampoline/layout.json).
 *
 * The trampoline starts at vector * 4096 with one page of code, parameter
 * block, GDT and the three exception tables. From TRAMP_SLOT_AREA on come
 * three arrays with one entry per slot, a slot per CPU the MADT lists, in
 * MADT order (slot = CPU number), sized and placed by the BSP at install
 * (the parameter block says where):
 *   slot_table  the APIC ID of each slot: an AP finds its slot there by
 *               the APIC ID CPUID gives it
 *   records     one stage record per slot
 *   stacks      a small early stack per slot, so that an exception in real
 *               or protected mode has somewhere to push
 * Real mode reaches them as CS-relative offsets, so all of it fits in one
 * 64 KiB segment: TRAMP_MAX_SLOTS slots. An AP whose APIC ID is in no slot
 * adds it to stray_ids (the first TRAMP_STRAYS of them) and halts.
 */
#ifndef TRAMPOLINE_LAYOUT_H
#define TRAMPOLINE_LAYOUT_H

#define TRAMP_SLOT_AREA 0x1000
#define TRAMP_SEGMENT 0x10000
#define TRAMP_EARLY_STACK 64
#define TRAMP_STRAYS 8
/* Slots the 64 KiB segment holds with room to spare (tests/unit/test_layout.c). */
#define TRAMP_MAX_SLOTS 448
#define TRAMP_MAGIC 0x54504D53
#define TRAMP_STUB_SIZE 16
#define TRAMP_EXCEPTIONS 32
#define TRAMP_GDT_SIZE 32

/* Segment selectors of the trampoline's own GDT. */
#define TRAMP_CS32 0x08
#define TRAMP_DS 0x10
#define TRAMP_CS64 0x18

/* The parameter block starts after the first jump (trampoline.asm). */
#define TP_OFFSET 0x10

#include <stdint.h>

#include "trampoline/stages.h"

/*
 * The parameter block, at TP_OFFSET. The assembler fills the fields up to
 * lm_entry and the last three (offsets of things inside the trampoline),
 * the BSP the others when it installs the trampoline.
 */
struct __attribute__((packed)) tramp_params {
	uint32_t magic;
	uint16_t size_bytes;		/* bytes of page 0 the code uses */
	uint16_t gdt, rm_ivt, pm_idt, lm_idt;
	uint16_t rm_stubs, pm_stubs, lm_stubs;
	uint16_t pm_entry, lm_entry;
	uint32_t base;			/* physical address = vector * 4096 */
	uint32_t cr3;			/* a 32-bit mov loads it: below 4 GiB */
	uint64_t efer;			/* bits to set: LME, and NXE if the BSP has it */
	uint64_t cpu_table;		/* struct cpu_data *, by slot */
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
	/* The slot area, as offsets from the base (filled by the BSP). */
	uint16_t slots;			/* how many slots */
	uint16_t slot_table;		/* uint32_t APIC ID, by slot */
	uint16_t records;		/* struct ap_record, by slot */
	uint16_t stacks;		/* TRAMP_EARLY_STACK bytes, by slot */
	uint16_t pages;			/* the whole trampoline, in pages */
	/* APs with no slot (filled by them; the BSP zeroes the count). */
	volatile uint16_t stray_count;
	volatile uint32_t stray_ids[TRAMP_STRAYS];
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
