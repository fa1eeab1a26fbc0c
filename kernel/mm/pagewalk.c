/* 4-level paging walk, Intel SDM Vol 3A 4.5 (the formats of CR3 and of
 * PML4E, PDPTE, PDE and PTE are the tables in that section).
 *
 * Assumes MAXPHYADDR = 52, so every entry's address field is bits 51:12 and
 * no address bits are reserved; and IA32_EFER.NXE = 1, so bit 63 is XD
 * rather than reserved.  Protection keys (bits 62:59) are not decoded. */
#include "mm/pagewalk.h"

#include "lib/string.h"

#define PTE_P		(1ull << 0)
#define PTE_RW		(1ull << 1)
#define PTE_US		(1ull << 2)
#define PTE_PS		(1ull << 7)	/* page size; PAT in a 4 KiB PTE */
#define PTE_XD		(1ull << 63)
#define ADDR_MASK	0x000ffffffffff000ull	/* bits 51:12 */

#define LEVELS		4
#define SIZE_4K		(1ull << 12)
#define SIZE_2M		(1ull << 21)
#define SIZE_1G		(1ull << 30)

/* Bits 29:13 of a PDPTE that maps a 1 GiB page and 20:13 of a PDE that
 * maps a 2 MiB page lie between the PAT bit (12) and the page frame:
 * reserved, must be 0 (SDM 4.5). */
#define RSVD_1G		(0x3fffe000ull)
#define RSVD_2M		(0x001fe000ull)

static const char *const level_names[LEVELS] = { "PML4E", "PDPTE", "PDE", "PTE" };

/* Linear address bit that selects the entry at each level: 39, 30, 21, 12. */
static unsigned index_shift(int level)
{
	return 39 - 9 * (unsigned)level;
}

/* With 4-level paging, bits 63:47 must all equal bit 47 (SDM Vol 1 3.3.7.1). */
static bool is_canonical(uint64_t vaddr)
{
	uint64_t top = vaddr >> 47;

	return top == 0 || top == 0x1ffff;
}

static void finish(struct pt_walk *out, uint64_t entry, uint64_t size)
{
	out->status = WALK_OK;
	out->page_size = size;
	out->paddr = (entry & ADDR_MASK & ~(size - 1)) | (out->vaddr & (size - 1));
}

void pt_walk(uint64_t cr3, uint64_t vaddr, read_phys_fn read, void *ctx,
	     struct pt_walk *out)
{
	uint64_t table = cr3 & ADDR_MASK;

	memset(out, 0, sizeof(*out));
	out->cr3 = cr3;
	out->vaddr = vaddr;
	if (!is_canonical(vaddr)) {
		out->status = WALK_NONCANONICAL;
		return;
	}
	out->writable = out->user = out->executable = true;

	for (int i = 0; i < LEVELS; i++) {
		struct pt_level *lvl = &out->level[i];
		uint64_t entry, size, reserved;

		lvl->name = level_names[i];
		lvl->index = (unsigned)(vaddr >> index_shift(i)) & 511;
		lvl->entry_addr = table + 8ull * lvl->index;
		out->nlevels = i + 1;
		if (!read(ctx, lvl->entry_addr, &entry)) {
			out->status = WALK_READ_FAILED;
			break;
		}
		lvl->entry = entry;
		if (!(entry & PTE_P)) {
			out->status = WALK_NOT_PRESENT;
			break;
		}
		out->writable &= !!(entry & PTE_RW);
		out->user &= !!(entry & PTE_US);
		out->executable &= !(entry & PTE_XD);

		if (i == LEVELS - 1) {
			finish(out, entry, SIZE_4K);
			return;
		}
		if (!(entry & PTE_PS)) {
			table = entry & ADDR_MASK;
			continue;
		}
		if (i == 0) {
			/* Bit 7 of a PML4E is reserved, must be 0 (SDM 4.5). */
			out->status = WALK_RESERVED_BITS;
			break;
		}
		size = i == 1 ? SIZE_1G : SIZE_2M;
		reserved = i == 1 ? RSVD_1G : RSVD_2M;
		if (entry & reserved) {
			out->status = WALK_RESERVED_BITS;
			break;
		}
		finish(out, entry, size);
		return;
	}
	out->writable = out->user = out->executable = false;
}

const char *walk_status_str(enum walk_status s)
{
	switch (s) {
	case WALK_OK:
		return "ok";
	case WALK_NONCANONICAL:
		return "not canonical (bits 63:47 differ)";
	case WALK_NOT_PRESENT:
		return "not present";
	case WALK_RESERVED_BITS:
		return "reserved bit set";
	case WALK_READ_FAILED:
		return "page table not readable";
	}
	return "unknown walk status";
}
