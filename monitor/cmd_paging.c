/* cr3 and pt: the page tables the BSP runs on, and that an AP will load. */
#include "arch/cpu.h"
#include "arch/flags.h"
#include "lib/console.h"
#include "mm/pagewalk.h"
#include "mm/physmem.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"
#include "smp/trampoline.h"

#define CR3_PWT		(1ull << 3)
#define CR3_PCD		(1ull << 4)
#define CR4_PCIDE	(1ull << 17)
#define CR3_ADDR_MASK	0x000FFFFFFFFFF000ull

int cmd_cr3(int argc, char *argv[])
{
	if (argc != 1)
		return usage_error(argv[0]);
	uint64_t cr3 = read_cr3();
	uint64_t pml4 = cr3 & CR3_ADDR_MASK;

	/* CR3 layout in 4-level paging (SDM Vol 3A 4.5, table 4-12/4-13). */
	kprintf("CR3 0x%016lx\n", cr3);
	kprintf("  PML4 table at physical 0x%lx\n", pml4);
	if (read_cr4() & CR4_PCIDE)
		kprintf("  PCID %lu (CR4.PCIDE is set)\n", cr3 & 0xFFF);
	else
		kprintf("  PWT %d, PCD %d (caching of the PML4 table itself)\n",
			!!(cr3 & CR3_PWT), !!(cr3 & CR3_PCD));
	if (cr3 < FOUR_GIB)
		kprintf("  below 4 GiB: yes - an AP loads CR3 while it still runs "
			"32-bit code, so it can use this one\n");
	else
		kprintf("  below 4 GiB: NO - an AP loads CR3 with a 32-bit mov, so "
			"it cannot use this one\n");
	if (!tramp_installed()) {
		kprintf("  no trampoline installed yet: 'tramp install VEC' gives it this CR3\n");
		return 0;
	}
	uint32_t tramp_cr3 = tramp_params()->cr3;
	kprintf("  the trampoline at vector 0x%02x loads CR3 0x%x into each AP%s\n",
		tramp_vector(), tramp_cr3,
		tramp_cr3 == cr3 ? ": the same page tables" :
		": NOT this CPU's (it changed since 'tramp install')");
	return 0;
}

static const char *size_name(uint64_t size)
{
	return size == (1ull << 30) ? "1 GiB" : size == (1ull << 21) ? "2 MiB"
									: "4 KiB";
}

int cmd_pt(int argc, char *argv[])
{
	uint64_t vaddr;
	struct pt_walk w;
	char names[120];

	if (argc != 2)
		return usage_error(argv[0]);
	if (!arg_number(argv[1], "ADDR", &vaddr))
		return 1;
	pt_walk(read_cr3(), vaddr, phys_read_entry, NULL, &w);
	kprintf("walk of 0x%lx through CR3 0x%lx\n", vaddr, w.cr3);
	for (int i = 0; i < w.nlevels; i++) {
		const struct pt_level *l = &w.level[i];

		format_flags(names, sizeof(names), l->entry, pte_flags,
			     pte_flags_count);
		kprintf("  %-5s[%3u] at 0x%09lx = 0x%016lx  %s\n", l->name,
			l->index, l->entry_addr, l->entry, names);
	}
	if (w.status != WALK_OK) {
		if (w.nlevels > 0)
			kprintf("  the walk stops at %s[%u]: %s - 0x%lx is not mapped\n",
				w.level[w.nlevels - 1].name,
				w.level[w.nlevels - 1].index,
				walk_status_str(w.status), vaddr);
		else
			kprintf("  the walk stops before the PML4: %s - 0x%lx cannot be mapped\n",
				walk_status_str(w.status), vaddr);
		return 1;
	}
	kprintf("  -> physical 0x%lx in a %s page (%s, %s, %s)\n", w.paddr,
		size_name(w.page_size), w.writable ? "writable" : "read-only",
		w.user ? "user" : "supervisor only",
		w.executable ? "executable" : "not executable");
	if (w.paddr == vaddr)
		kprintf("  identity-mapped: virtual = physical\n");
	return 0;
}
