#include <stddef.h>

#include "arch/cpu.h"
#include "lib/string.h"
#include "mm/memmap.h"
#include "mm/pagewalk.h"
#include "mm/physmem.h"
#include "acpi/acpi.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"
#include "smp/trampoline.h"

#define GATE_INTERRUPT	0x8E	/* present, DPL 0, interrupt gate (32- or 64-bit) */
#define VIDEO_AND_ROM_VECTOR 0xA0

extern const uint8_t trampoline_blob[], trampoline_blob_end[];

static int installed_vector = -1;

unsigned tramp_pages(void)
{
	return tramp_geometry(ap_slots()).pages;
}

enum tramp_vector_check tramp_check_vector(uint8_t vector)
{
	unsigned pages = tramp_pages();

	if (vector == 0)
		return TRAMP_VECTOR_ZERO;
	if (vector + pages > VIDEO_AND_ROM_VECTOR)
		return TRAMP_VECTOR_TOO_HIGH;
	if (!memmap_is_usable(&boot_memmap, (uint64_t)vector << 12, pages * 4096))
		return TRAMP_VECTOR_NOT_RAM;
	return TRAMP_VECTOR_OK;
}

uint8_t tramp_default_vector(void)
{
	for (unsigned v = TRAMP_PREFERRED_VECTOR; v < VIDEO_AND_ROM_VECTOR; v++)
		if (tramp_check_vector((uint8_t)v) == TRAMP_VECTOR_OK)
			return (uint8_t)v;
	for (unsigned v = 1; v < TRAMP_PREFERRED_VECTOR; v++)
		if (tramp_check_vector((uint8_t)v) == TRAMP_VECTOR_OK)
			return (uint8_t)v;
	return 0;
}

/* Real-mode IVT entry: offset in the low word, segment in the high one. */
static uint32_t ivt_entry(uint16_t segment, uint16_t offset)
{
	return (uint32_t)segment << 16 | offset;
}

/* 32-bit interrupt gate (SDM Vol 3A 6.11, figure 6-2). */
static uint64_t gate32(uint32_t offset, uint16_t selector)
{
	return (uint64_t)(offset >> 16) << 48 | (uint64_t)GATE_INTERRUPT << 40 |
	       (uint64_t)selector << 16 | (offset & 0xFFFF);
}

/* 64-bit interrupt gate (SDM Vol 3A 6.14.1, figure 6-8): two quadwords. */
static void gate64(uint64_t *gate, uint64_t offset, uint16_t selector)
{
	gate[0] = gate32((uint32_t)offset, selector);
	gate[1] = offset >> 32;
}

static bool identity_mapped(uint64_t cr3, uint64_t addr)
{
	struct pt_walk w;

	pt_walk(cr3, addr, phys_read_entry, NULL, &w);
	return w.status == WALK_OK && w.paddr == addr;
}

/* The page tables an AP at base will load: this CPU's. */
static __attribute__((noinline)) struct tramp_install_result check_page_tables(uint64_t base)
{
	uint64_t cr3 = read_cr3();

	if (cr3 >= FOUR_GIB)
		return (struct tramp_install_result){ TRAMP_CR3_ABOVE_4G, 0 };
	for (unsigned i = 0; i < tramp_pages(); i++)
		if (!identity_mapped(cr3 & ~0xFFFull, base + i * 4096))
			return (struct tramp_install_result){ TRAMP_NOT_IDENTITY_MAPPED,
							      base + i * 4096 };
	return (struct tramp_install_result){ TRAMP_INSTALLED, 0 };
}

struct tramp_install_result tramp_install(uint8_t vector)
{
	uint64_t base = (uint64_t)vector << 12;
	uint8_t *page = (uint8_t *)base;
	struct tramp_params *p = (struct tramp_params *)(page + TP_OFFSET);
	struct tramp_install_result r = check_page_tables(base);

	if (r.status != TRAMP_INSTALLED)
		return r;

	struct tramp_geometry g = tramp_geometry(ap_slots());
	/* Installed again where it is (to take out a planted fault, say), the
	 * stage records stay: they are what the APs that ran from here did,
	 * and `status` and `on` still read them. */
	bool again = tramp_present_at(vector) && p->slots == ap_slots() &&
		     p->records == g.records && p->stacks == g.stacks;

	memcpy(page, trampoline_blob, trampoline_blob_end - trampoline_blob);

	p->base = (uint32_t)base;
	p->cr3 = (uint32_t)read_cr3();
	p->efer = EFER_LME | (rdmsr(MSR_EFER) & EFER_NXE);
	p->cpu_table = (uint64_t)cpu_table;
	p->gdtr_limit = TRAMP_GDT_SIZE - 1;
	p->gdtr_base = (uint32_t)base + p->gdt;
	p->pm_far_offset = (uint32_t)base + p->pm_entry;
	p->pm_far_selector = TRAMP_CS32;
	p->lm_far_offset = (uint32_t)base + p->lm_entry;
	p->lm_far_selector = TRAMP_CS64;
	p->rm_idtr_limit = TRAMP_EXCEPTIONS * 4 - 1;
	p->rm_idtr_base = (uint32_t)base + p->rm_ivt;
	p->pm_idtr_limit = TRAMP_EXCEPTIONS * 8 - 1;
	p->pm_idtr_base = (uint32_t)base + p->pm_idt;
	p->lm_idtr_limit = TRAMP_EXCEPTIONS * 16 - 1;
	p->lm_idtr_base = base + p->lm_idt;

	uint32_t *slot_table = (uint32_t *)(page + g.slot_table);

	p->slots = (uint16_t)ap_slots();
	p->slot_table = g.slot_table;
	p->records = g.records;
	p->stacks = g.stacks;
	p->pages = g.pages;
	p->stray_count = 0;
	for (unsigned i = 0; i < ap_slots(); i++)
		slot_table[i] = acpi.madt.cpus[i].apic_id;
	if (!again)
		memset(page + g.records, 0, (size_t)(g.stacks - g.records));

	uint32_t *ivt = (uint32_t *)(page + p->rm_ivt);
	uint64_t *pm_idt = (uint64_t *)(page + p->pm_idt);
	uint64_t *lm_idt = (uint64_t *)(page + p->lm_idt);
	for (unsigned v = 0; v < TRAMP_EXCEPTIONS; v++) {
		unsigned stub = v * TRAMP_STUB_SIZE;

		ivt[v] = ivt_entry((uint16_t)(base >> 4), p->rm_stubs + stub);
		pm_idt[v] = gate32((uint32_t)base + p->pm_stubs + stub, TRAMP_CS32);
		gate64(&lm_idt[2 * v], base + p->lm_stubs + stub, TRAMP_CS64);
	}
	installed_vector = vector;
	return r;
}

bool tramp_installed(void)
{
	return installed_vector >= 0 && tramp_present_at((uint8_t)installed_vector);
}

uint8_t tramp_vector(void)
{
	return (uint8_t)installed_vector;
}

struct tramp_params *tramp_params_at(uint8_t vector)
{
	return (struct tramp_params *)(((uint64_t)vector << 12) + TP_OFFSET);
}

struct tramp_params *tramp_params(void)
{
	return tramp_params_at((uint8_t)installed_vector);
}

bool tramp_present_at(uint8_t vector)
{
	if (vector == 0 || vector >= VIDEO_AND_ROM_VECTOR)
		return false;
	const struct tramp_params *p =
		(const struct tramp_params *)(((uint64_t)vector << 12) + TP_OFFSET);
	return p->magic == TRAMP_MAGIC && p->base == (uint32_t)vector << 12;
}

uint32_t tramp_code_size(void)
{
	return ((const struct tramp_params *)(trampoline_blob + TP_OFFSET))->size_bytes;
}

uint64_t tramp_plant_fault(enum tramp_fault_site site)
{
	static const uint8_t ud2[] = { 0x0F, 0x0B };

	if (!tramp_installed())
		return 0;
	struct tramp_params *p = tramp_params();
	const uint16_t at[] = {
		[TRAMP_FAULT_REAL] = p->pm_enter,
		[TRAMP_FAULT_PROTECTED] = p->lm_enter,
		[TRAMP_FAULT_LONG] = p->c_call,
	};
	uint8_t *page = (uint8_t *)(uint64_t)p->base;

	for (unsigned i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		memcpy(page + at[i], trampoline_blob + at[i], sizeof(ud2));
	memcpy(page + at[site], ud2, sizeof(ud2));
	return (uint64_t)(page + at[site]);
}
