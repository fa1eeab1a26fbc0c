/* Where the trampoline's per-slot arrays go, for a number of slots. */
#ifndef SMP_SLOT_AREA_H
#define SMP_SLOT_AREA_H

#include <stdint.h>

#include "trampoline/layout.h"

/* Offsets from the trampoline's base, and the pages the whole trampoline
 * takes (code page included). */
struct tramp_geometry {
	uint16_t slot_table, records, stacks, pages;
};
struct tramp_geometry tramp_geometry(unsigned slots);

#endif
