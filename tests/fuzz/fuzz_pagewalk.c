/* The page walker (kernel/mm/pagewalk.c) over random page tables: the
 * input is CR3, the virtual address, then physical memory from address 0,
 * 8 bytes an entry. Tables that point back at themselves or at each other
 * are as likely as any: a walk must still read at most one entry a level. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "mm/pagewalk.h"

#define LEVELS 4

struct memory {
	struct fuzz_input bytes;
	int reads;
};

static bool read_entry(void *ctx, uint64_t paddr, uint64_t *value)
{
	struct memory *m = ctx;

	if (++m->reads > LEVELS)
		abort();
	if (paddr % 8 || paddr >= m->bytes.size || m->bytes.size - paddr < 8)
		return false;
	memcpy(value, m->bytes.data + paddr, 8);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	uint64_t cr3 = take_u64(&in), vaddr = take_u64(&in);
	struct memory m = { in, 0 };
	struct pt_walk walk;

	pt_walk(cr3, vaddr, read_entry, &m, &walk);
	if (walk.nlevels < 0 || walk.nlevels > LEVELS || !walk_status_str(walk.status))
		abort();
	if (walk.status == WALK_OK && walk.page_size != 1ull << 12 &&
	    walk.page_size != 1ull << 21 && walk.page_size != 1ull << 30)
		abort();
	return 0;
}
