/* Software walk of 4-level x86-64 paging structures (Intel SDM Vol 3A 4.5),
 * reading entries through a callback so the same code runs in the kernel
 * and over fake tables in host tests. */
#ifndef SMPLAB_MM_PAGEWALK_H
#define SMPLAB_MM_PAGEWALK_H

#include <stdbool.h>
#include <stdint.h>

/* Read one 8-byte entry at physical address paddr; false if not readable. */
typedef bool (*read_phys_fn)(void *ctx, uint64_t paddr, uint64_t *value);

enum walk_status {
	WALK_OK,
	WALK_NONCANONICAL,
	WALK_NOT_PRESENT,
	WALK_RESERVED_BITS,
	WALK_READ_FAILED,
};

struct pt_level {
	const char *name;	/* "PML4E", "PDPTE", "PDE", "PTE" */
	unsigned index;		/* index of the entry in its table, 0..511 */
	uint64_t entry_addr;	/* physical address of the entry */
	uint64_t entry;		/* its value; 0 if it could not be read */
};

struct pt_walk {
	uint64_t cr3, vaddr;
	int nlevels;		/* levels visited, the one it stopped at included */
	struct pt_level level[4];
	enum walk_status status;
	/* Valid when status == WALK_OK: */
	uint64_t paddr;
	uint64_t page_size;	/* 4 KiB, 2 MiB or 1 GiB */
	bool writable, user, executable;	/* AND over all levels */
};

void pt_walk(uint64_t cr3, uint64_t vaddr, read_phys_fn read, void *ctx,
	     struct pt_walk *out);
const char *walk_status_str(enum walk_status s);

#endif
