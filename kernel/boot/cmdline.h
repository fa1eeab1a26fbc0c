/* The kernel command line (QEMU's -append, the words after the kernel in
 * GRUB's multiboot2 line). One option today:
 *   reserve=BASE+LENGTH   mark that range reserved in the memory map, as a
 *                         firmware that keeps low memory for itself would
 * Words without '=' (QEMU and GRUB's multiboot put the kernel's path first)
 * are not options. */
#ifndef BOOT_CMDLINE_H
#define BOOT_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "mm/memmap.h"

enum cmdline_verdict {
	CMDLINE_APPLIED,
	CMDLINE_UNKNOWN,
	CMDLINE_MALFORMED,
	CMDLINE_CUT,		/* the last word of a line that was cut: ignored */
};

/* Called for each option: the word as typed and what became of it. */
typedef void (*cmdline_report_fn)(const char *word, enum cmdline_verdict v);

/* Apply the options in cmdline to map. cut: the line was longer than the
 * boot information's copy, so its last word may be partial. Pure: the
 * host tests compile it. */
void cmdline_apply(const char *cmdline, bool cut, struct memmap *map,
		   cmdline_report_fn report);

#endif
