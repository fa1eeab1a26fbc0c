/* The multiboot 2 information parser (kernel/boot/multiboot2.c), seeded
 * with what GRUB hands over under SeaBIOS and OVMF, then what the kernel
 * does next with it: the command line's options applied to the memory
 * map (kernel/boot/cmdline.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "boot/bootinfo.h"
#include "boot/cmdline.h"

static struct boot_info info;
static struct memmap map;

static void read_report(const char *word, enum cmdline_verdict v)
{
	if (strlen(word) >= BOOT_CMDLINE_MAX || v > CMDLINE_CUT)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum boot_error e = multiboot2_parse(data, size, &info, &map);

	if (!boot_error_str(e) || !boot_map_source_name(info.map_source))
		abort();
	if (map.count > MEMMAP_MAX || info.rsdp_len > RSDP_MAX_LEN ||
	    strlen(info.cmdline) >= BOOT_CMDLINE_MAX || strlen(info.loader) >= BOOT_NAME_MAX)
		abort();
	cmdline_apply(info.cmdline, info.cmdline_cut, &map, read_report);
	if (map.count > MEMMAP_MAX)
		abort();
	return 0;
}
