/*
 * asm-offsets: the trampoline's layout as the C compiler works it out from
 * the structs, for NASM and the host tools. Compiled with -S and never
 * linked: each line below leaves "->NAME value kind ..." in the assembly
 * output. The Makefile turns every such line into a NASM %define
 * (build/trampoline/layout.inc, which trampoline.asm includes), and
 * tools/gen-layout-json.py turns them into build/trampoline/layout.json.
 */
#include <stddef.h>

#include "smp/cpu_data.h"
#include "smp/status_format.h"
#include "trampoline/layout.h"

#define EMIT(name, value, kind) __asm__ volatile("\n->" name " %c0 " kind : : "i"(value))
#define CONSTANT(name) EMIT(#name, name, "constant")
#define SIZE(name, type) EMIT(#name, sizeof(struct type), "size")
#define OFFSET(name, type, field) EMIT(#name, offsetof(struct type, field), "offset")
/* The parameter block's offsets count from the start of the trampoline. */
#define PARAM(name, field) EMIT(#name, TP_OFFSET + offsetof(struct tramp_params, field), "offset")
/* "->STAGE_REAL 1 stage real 82 8 0": value, name shown, letter, column, final. */
#define STAGE(name, value, shown, letter, column, final)				\
	__asm__ volatile("\n->STAGE_" #name " %c0 stage " shown " %c1 %c2 %c3"		\
		     : : "i"(value), "i"(letter), "i"(column), "i"(final));
/* "->AP_SIPI_SENT 2 step 11": the BSP's step, and the stage it shows. */
#define STEP(name, stage) __asm__ volatile("\n->" #name " %c0 step %c1" : : "i"(name), "i"(stage));

void trampoline_offsets(void);

void trampoline_offsets(void)
{
	CONSTANT(TRAMP_SLOT_AREA);
	CONSTANT(TRAMP_SEGMENT);
	CONSTANT(TRAMP_EARLY_STACK);
	CONSTANT(TRAMP_STRAYS);
	/* The stack canary, for `smplab status` in GDB (cpu_data_stack_intact); the
	 * assembler output takes 32-bit numbers. */
	EMIT("STACK_CANARY_LOW", (uint32_t)STACK_CANARY, "constant");
	EMIT("STACK_CANARY_HIGH", (uint32_t)(STACK_CANARY >> 32), "constant");
	CONSTANT(STACK_PADDING);
	CONSTANT(TRAMP_MAX_SLOTS);
	CONSTANT(TRAMP_MAGIC);
	CONSTANT(TRAMP_STUB_SIZE);
	CONSTANT(TRAMP_EXCEPTIONS);
	CONSTANT(TRAMP_GDT_SIZE);
	CONSTANT(TRAMP_CS32);
	CONSTANT(TRAMP_DS);
	CONSTANT(TRAMP_CS64);

	/* Filled by the assembler: offsets of things inside the trampoline. */
	CONSTANT(TP_OFFSET);
	PARAM(TP_MAGIC, magic);
	PARAM(TP_SIZE_BYTES, size_bytes);
	PARAM(TP_GDT, gdt);
	PARAM(TP_RM_IVT, rm_ivt);
	PARAM(TP_PM_IDT, pm_idt);
	PARAM(TP_LM_IDT, lm_idt);
	PARAM(TP_RM_STUBS, rm_stubs);
	PARAM(TP_PM_STUBS, pm_stubs);
	PARAM(TP_LM_STUBS, lm_stubs);
	PARAM(TP_PM_ENTRY, pm_entry);
	PARAM(TP_LM_ENTRY, lm_entry);
	/* Filled by the BSP at install. LGDT and LIDT read a limit and then a
	 * base (SDM Vol 3A 3.5.1), JMP FAR m16:32 an offset and then a
	 * selector: each starts at its first field. */
	PARAM(TP_BASE, base);
	PARAM(TP_CR3, cr3);
	PARAM(TP_EFER, efer);
	PARAM(TP_CPU_TABLE, cpu_table);
	PARAM(TP_GDTR, gdtr_limit);
	PARAM(TP_PM_FAR, pm_far_offset);
	PARAM(TP_LM_FAR, lm_far_offset);
	PARAM(TP_RM_IDTR, rm_idtr_limit);
	PARAM(TP_PM_IDTR, pm_idtr_limit);
	PARAM(TP_LM_IDTR, lm_idtr_limit);
	/* Filled by the assembler: where the mode switches begin. */
	PARAM(TP_PM_ENTER, pm_enter);
	PARAM(TP_LM_ENTER, lm_enter);
	PARAM(TP_C_CALL, c_call);
	/* Filled by the BSP: the slot area. Filled by the APs: the strays. */
	PARAM(TP_SLOTS, slots);
	PARAM(TP_SLOT_TABLE, slot_table);
	PARAM(TP_RECORDS, records);
	PARAM(TP_STACKS, stacks);
	PARAM(TP_PAGES, pages);
	PARAM(TP_STRAY_COUNT, stray_count);
	PARAM(TP_STRAY_IDS, stray_ids);
	EMIT("TP_END", TP_OFFSET + sizeof(struct tramp_params), "offset");

	SIZE(AR_SIZE, ap_record);
	OFFSET(AR_STAGE, ap_record, stage);
	OFFSET(AR_FAULT_VECTOR, ap_record, fault_vector);
	OFFSET(AR_FAULT_STAGE, ap_record, fault_stage);
	OFFSET(AR_FAULT_ERROR, ap_record, fault_error);
	OFFSET(AR_FAULT_IP, ap_record, fault_ip);
	OFFSET(AR_TSC, ap_record, tsc);

	/* The fields of struct cpu_data that the trampoline uses. */
	OFFSET(CPU_DATA_STACK_TOP, cpu_data, stack_top);
	OFFSET(CPU_DATA_ENTRY, cpu_data, entry);
	OFFSET(CPU_DATA_RECORD, cpu_data, record);

	STAGE_TABLE(STAGE)
	CONSTANT(STAGE_RECORDED);
	CONSTANT(STAGE_TIMED);
	AP_STEP_TABLE(STEP)
}
