/* The kernel command line (kernel/boot/cmdline.c, with kernel/lib/parse.c
 * and kernel/mm/memmap.c): its reserve= options applied to QEMU's memory
 * map for 128 MiB. The first byte says whether the line was cut. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bootinfo.h"
#include "boot/cmdline.h"

static void read_report(const char *word, enum cmdline_verdict v)
{
	if (strlen(word) >= BOOT_CMDLINE_MAX || v > CMDLINE_CUT)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memmap map = { 0 };

	if (size == 0 || size > 4 * BOOT_CMDLINE_MAX)
		return 0;
	char *line = malloc(size);

	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';
	memmap_add(&map, 0x0, 0x9fc00, MEM_USABLE);
	memmap_add(&map, 0x9fc00, 0x400, MEM_RESERVED);
	memmap_add(&map, 0xf0000, 0x10000, MEM_RESERVED);
	memmap_add(&map, 0x100000, 0x7ee0000, MEM_USABLE);
	memmap_add(&map, 0xfffc0000, 0x40000, MEM_RESERVED);
	uint64_t before = memmap_usable_bytes(&map);

	cmdline_apply(line, data[0] & 1, &map, read_report);
	if (map.count > MEMMAP_MAX || memmap_usable_bytes(&map) > before)
		abort();
	free(line);
	return 0;
}
