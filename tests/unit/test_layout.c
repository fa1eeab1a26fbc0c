/* Unit tests for the trampoline's layout: the structs of trampoline/layout.h
 * (what C uses, and what NASM gets its offsets from) against the assembled
 * binary build/trampoline/trampoline.bin and the label offsets NASM wrote to
 * build/trampoline/labels.txt (what the CPU runs and what the GDB scripts
 * read); and the rules the hardware and the record pages set for them.
 * TRAMP_BUILD_DIR comes from tests/unit/unit.mk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "smp/slot_area.h"
#include "trampoline/layout.h"

#ifndef TRAMP_BUILD_DIR
#error "TRAMP_BUILD_DIR (build/trampoline) must be defined by the build"
#endif

#define PAGE 4096
/* Offset of a parameter-block field from the start of the trampoline. */
#define TP(field) (TP_OFFSET + offsetof(struct tramp_params, field))
#define TP_END (TP_OFFSET + sizeof(struct tramp_params))

static uint8_t bin[2 * PAGE];
static size_t bin_size;

struct label {
	char name[64];
	unsigned long offset;
};
static struct label labels[128];
static int nlabels;

static int setup(void **state)
{
	(void)state;
	FILE *f = fopen(TRAMP_BUILD_DIR "/trampoline.bin", "rb");
	if (!f) {
		fprintf(stderr, "cannot open " TRAMP_BUILD_DIR "/trampoline.bin (run make)\n");
		return -1;
	}
	bin_size = fread(bin, 1, sizeof(bin), f);
	fclose(f);

	f = fopen(TRAMP_BUILD_DIR "/labels.txt", "r");
	if (!f) {
		fprintf(stderr, "cannot open " TRAMP_BUILD_DIR "/labels.txt (run make)\n");
		return -1;
	}
	while (nlabels < (int)(sizeof(labels) / sizeof(labels[0])) &&
	       fscanf(f, "%63s %lx", labels[nlabels].name, &labels[nlabels].offset) == 2)
		nlabels++;
	fclose(f);
	return 0;
}

static unsigned long label(const char *name)
{
	for (int i = 0; i < nlabels; i++)
		if (strcmp(labels[i].name, name) == 0)
			return labels[i].offset;
	fail_msg("label %s is not in labels.txt", name);
	return 0;
}

static uint16_t u16_at(size_t off)
{
	return (uint16_t)(bin[off] | bin[off + 1] << 8);
}

static uint32_t u32_at(size_t off)
{
	return (uint32_t)u16_at(off) | (uint32_t)u16_at(off + 2) << 16;
}

static uint64_t u64_at(size_t off)
{
	return (uint64_t)u32_at(off) | (uint64_t)u32_at(off + 4) << 32;
}

static void test_binary_is_one_page(void **state)
{
	(void)state;
	/* The last line of trampoline.asm pads page 0 to 4096 bytes exactly. */
	assert_int_equal(bin_size, PAGE);
	assert_true(nlabels >= 20);
}

static void test_magic_and_size(void **state)
{
	(void)state;
	assert_int_equal(u32_at(TP(magic)), TRAMP_MAGIC);
	uint16_t size = u16_at(TP(size_bytes));
	assert_true(size <= PAGE);
	assert_true(size > TP_END);
	assert_int_equal(size, label("trampoline_end"));
	/* Everything after the code and tables is padding. */
	for (size_t i = size; i < bin_size; i++)
		assert_int_equal(bin[i], 0);
}

static void test_entry_and_params_positions(void **state)
{
	(void)state;
	/* The AP starts at offset 0; the block follows the first jump. */
	assert_int_equal(label("rm_entry"), 0);
	assert_int_equal(label("params"), TP_OFFSET);
	assert_true(label("rm_start") >= TP_END);
}

/* The assembler writes its half of the block in the order of the struct's
 * fields, by position: each must land on its field and name its label. */
static void test_assembler_filled_fields(void **state)
{
	static const struct { size_t field; const char *label; } fields[] = {
		{ TP(gdt), "gdt" },		{ TP(rm_ivt), "rm_ivt" },
		{ TP(pm_idt), "pm_idt" },	{ TP(lm_idt), "lm_idt" },
		{ TP(rm_stubs), "rm_stubs" },	{ TP(pm_stubs), "pm_stubs" },
		{ TP(lm_stubs), "lm_stubs" },	{ TP(pm_entry), "pm_entry" },
		{ TP(lm_entry), "lm_entry" },	{ TP(pm_enter), "pm_enter" },
		{ TP(lm_enter), "lm_enter" },	{ TP(c_call), "c_call" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		unsigned long want = label(fields[i].label);

		if (u16_at(fields[i].field) != want)
			fail_msg("field at 0x%zx holds 0x%x, label %s is at 0x%lx",
				 fields[i].field, u16_at(fields[i].field), fields[i].label, want);
	}
}

/* The mode switches come in the order the AP climbs. */
static void test_label_order(void **state)
{
	static const char *const order[] = {
		"rm_entry", "params", "rm_start", "pm_enter", "pm_entry", "lm_enter",
		"lm_entry", "c_call", "rm_stubs", "pm_stubs", "lm_stubs", "gdt", "rm_ivt",
		"pm_idt", "lm_idt", "trampoline_end",
	};

	(void)state;
	for (size_t i = 1; i < sizeof(order) / sizeof(order[0]); i++)
		if (label(order[i - 1]) >= label(order[i]))
			fail_msg("%s (0x%lx) is not before %s (0x%lx)", order[i - 1],
				 label(order[i - 1]), order[i], label(order[i]));
}

/* The BSP finds vector v's stub at stubs + v * TRAMP_STUB_SIZE, and fills
 * tables of TRAMP_EXCEPTIONS entries: check the room for them. */
static void test_stub_and_table_sizes(void **state)
{
	(void)state;
	assert_int_equal(label("rm_fault") - label("rm_stubs"), TRAMP_EXCEPTIONS * TRAMP_STUB_SIZE);
	assert_int_equal(label("pm_fault") - label("pm_stubs"), TRAMP_EXCEPTIONS * TRAMP_STUB_SIZE);
	assert_int_equal(label("lm_fault") - label("lm_stubs"), TRAMP_EXCEPTIONS * TRAMP_STUB_SIZE);
	assert_int_equal(label("rm_ivt") - label("gdt"), TRAMP_GDT_SIZE);
	assert_int_equal(label("pm_idt") - label("rm_ivt"), TRAMP_EXCEPTIONS * 4);
	assert_true(label("lm_idt") - label("pm_idt") >= TRAMP_EXCEPTIONS * 8);
	assert_int_equal(label("trampoline_end") - label("lm_idt"), TRAMP_EXCEPTIONS * 16);
	assert_int_equal(label("gdt") % 8, 0);
	assert_int_equal(label("lm_idt") % 16, 0);
	/* The slot area starts after the code and tables. */
	assert_true(label("trampoline_end") <= TRAMP_SLOT_AREA);
}

/* The slot area: the three arrays one after the other, records aligned,
 * and all of it, for as many as TRAMP_MAX_SLOTS slots, inside the one
 * 64 KiB segment real mode reaches (the stack pointer is 16 bits). */
static void test_slot_area(void **state)
{
	(void)state;
	static const unsigned counts[] = { 0, 1, 4, 63, 64, 255, 288, TRAMP_MAX_SLOTS };

	for (unsigned i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		unsigned n = counts[i];
		struct tramp_geometry g = tramp_geometry(n);
		uint32_t end = g.stacks + n * TRAMP_EARLY_STACK;

		assert_int_equal(g.slot_table, TRAMP_SLOT_AREA);
		assert_true(g.records >= g.slot_table + n * sizeof(uint32_t));
		assert_int_equal(g.records % sizeof(struct ap_record), 0);
		assert_int_equal(g.stacks, g.records + n * sizeof(struct ap_record));
		assert_true(end <= TRAMP_SEGMENT);
		assert_int_equal(g.pages, (end + PAGE - 1) / PAGE);
	}
	assert_int_equal(tramp_geometry(0).pages, 1);
	assert_int_equal(tramp_geometry(4).pages, 2);
}

/* What the BSP fills at install time is zero in the binary: base, CR3,
 * EFER, the table pointer, the descriptor-table registers and far pointers;
 * and so are the exception tables. */
static void test_install_time_fields_are_zero(void **state)
{
	(void)state;
	for (size_t i = TP(base); i < TP(pm_enter); i++)
		if (bin[i])
			fail_msg("byte 0x%zx of the parameter block is 0x%02x in the binary", i, bin[i]);
	static const struct { const char *label; size_t size; } tables[] = {
		{ "rm_ivt", TRAMP_EXCEPTIONS * 4 },	/* segment:offset */
		{ "pm_idt", TRAMP_EXCEPTIONS * 8 },	/* 32-bit gates */
		{ "lm_idt", TRAMP_EXCEPTIONS * 16 },	/* 64-bit gates */
	};
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (size_t i = 0; i < tables[t].size; i++)
			if (bin[label(tables[t].label) + i])
				fail_msg("%s byte %zu is 0x%02x in the binary", tables[t].label, i,
					 bin[label(tables[t].label) + i]);
}

/* LGDT and LIDT read a 16-bit limit, then the base (SDM Vol 3A 3.5.1,
 * figure 3-11); JMP FAR m16:32 reads the offset, then the selector (SDM
 * Vol 2A, JMP). The trampoline hands the first field to each. */
static void test_operands_as_the_cpu_reads_them(void **state)
{
	(void)state;
	assert_int_equal(TP(gdtr_base), TP(gdtr_limit) + 2);
	assert_int_equal(TP(rm_idtr_base), TP(rm_idtr_limit) + 2);
	assert_int_equal(TP(pm_idtr_base), TP(pm_idtr_limit) + 2);
	assert_int_equal(TP(lm_idtr_base), TP(lm_idtr_limit) + 2);
	assert_int_equal(TP(pm_far_selector), TP(pm_far_offset) + 4);
	assert_int_equal(TP(lm_far_selector), TP(lm_far_offset) + 4);
	/* A 64-bit mov loads EFER's bits and the table pointer. */
	assert_int_equal(TP(efer) % 8, 0);
	assert_int_equal(TP(cpu_table) % 8, 0);
}

/* The record has a TSC for each timed stage, and nothing after them: the
 * trampoline writes tsc[s - 1] at AR_TSC + 8 * (s - 1). */
static void test_record_holds_the_timed_stages(void **state)
{
	(void)state;
	assert_int_equal(offsetof(struct ap_record, tsc) + 8 * STAGE_TIMED,
			 sizeof(struct ap_record));
	assert_int_equal(offsetof(struct ap_record, tsc) % 8, 0);
	/* Only stages the AP writes leave a TSC. */
	assert_true(STAGE_TIMED < STAGE_RECORDED);
}

/* The trampoline's GDT (SDM Vol 3A 3.4.5): null, then flat 32-bit code,
 * flat data and 64-bit code at the selectors layout.h names. */
static void test_gdt_descriptors(void **state)
{
	size_t gdt = label("gdt");

	(void)state;
	assert_true(gdt + TRAMP_GDT_SIZE <= bin_size);
	uint64_t null = u64_at(gdt), cs32 = u64_at(gdt + TRAMP_CS32);
	uint64_t ds = u64_at(gdt + TRAMP_DS), cs64 = u64_at(gdt + TRAMP_CS64);
#define BIT(d, n) (((d) >> (n)) & 1)
	assert_int_equal(null, 0);
	/* present, code, D = 1, L = 0, G = 1, base 0, limit 0xFFFFF */
	assert_int_equal(BIT(cs32, 47), 1);
	assert_int_equal(BIT(cs32, 43), 1);
	assert_int_equal(BIT(cs32, 54), 1);
	assert_int_equal(BIT(cs32, 53), 0);
	assert_int_equal(BIT(cs32, 55), 1);
	/* present, data, writable */
	assert_int_equal(BIT(ds, 47), 1);
	assert_int_equal(BIT(ds, 43), 0);
	assert_int_equal(BIT(ds, 41), 1);
	/* 64-bit code: L = 1 and D = 0 (SDM Vol 3A 5.2.1) */
	assert_int_equal(BIT(cs64, 47), 1);
	assert_int_equal(BIT(cs64, 43), 1);
	assert_int_equal(BIT(cs64, 53), 1);
	assert_int_equal(BIT(cs64, 54), 0);
	for (size_t d = TRAMP_CS32; d <= TRAMP_CS64; d += 8) {
		uint64_t desc = u64_at(gdt + d);

		assert_int_equal(desc & 0xFFFF, 0xFFFF);		/* limit 15:0 */
		assert_int_equal((desc >> 16) & 0xFFFFFF, 0);		/* base 23:0 */
		assert_int_equal(desc >> 56, 0);			/* base 31:24 */
	}
#undef BIT
}

/* The first bytes are CLI and a short jump over the parameter block. */
static void test_entry_code(void **state)
{
	(void)state;
	assert_int_equal(bin[0], 0xFA);				/* cli */
	if (bin[1] == 0xEB)					/* jmp rel8 */
		assert_int_equal(3 + (int8_t)bin[2], label("rm_start"));
	else if (bin[1] == 0xE9)				/* jmp rel16 */
		assert_int_equal(4 + (int16_t)u16_at(2), label("rm_start"));
	else
		fail_msg("byte 1 is 0x%02x, not a jmp", bin[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binary_is_one_page),
		cmocka_unit_test(test_magic_and_size),
		cmocka_unit_test(test_entry_and_params_positions),
		cmocka_unit_test(test_assembler_filled_fields),
		cmocka_unit_test(test_label_order),
		cmocka_unit_test(test_stub_and_table_sizes),
		cmocka_unit_test(test_slot_area),
		cmocka_unit_test(test_install_time_fields_are_zero),
		cmocka_unit_test(test_operands_as_the_cpu_reads_them),
		cmocka_unit_test(test_record_holds_the_timed_stages),
		cmocka_unit_test(test_gdt_descriptors),
		cmocka_unit_test(test_entry_code),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
