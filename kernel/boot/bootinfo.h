/* What the boot loader told the kernel, copied out of its boot
 * information before anything can overwrite it: which protocol and
 * loader, the command line, the memory map and the RSDP it passed. */
#ifndef BOOT_BOOTINFO_H
#define BOOT_BOOTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acpi/madt.h"
#include "mm/memmap.h"

#define BOOT_NAME_MAX		64
#define BOOT_CMDLINE_MAX	128
#define MB2_INFO_MAX		(1u << 20)	/* sanity bound on total_size */

enum boot_protocol { BOOT_MULTIBOOT1 = 1, BOOT_MULTIBOOT2 };

enum boot_map_source {
	MAP_NONE,
	MAP_MULTIBOOT,		/* mb1 mmap_* fields, or the mb2 memory-map tag */
	MAP_EFI,		/* the mb2 EFI memory-map tag, converted */
};

struct boot_info {
	enum boot_protocol protocol;
	char loader[BOOT_NAME_MAX];	/* "" when the loader gave no name */
	char cmdline[BOOT_CMDLINE_MAX];
	bool cmdline_cut;		/* longer than that: its last word is partial */
	enum boot_map_source map_source;
	uint32_t rsdp_tag;		/* MB2_TAG_ACPI_NEW or _OLD, 0: none */
	uint32_t rsdp_len;
	uint8_t rsdp[RSDP_MAX_LEN];	/* the copy of the RSDP in that tag */
	bool efi;			/* an EFI system table tag: UEFI firmware */
};

enum boot_error {
	BOOT_OK,
	BOOT_TRUNCATED,		/* total_size too small or past what is readable */
	BOOT_BAD_TAG,		/* a tag's size is below 8 or runs past the end */
	BOOT_NO_END_TAG,
};

const char *boot_error_str(enum boot_error e);

/* Copy the string at src (at most len bytes, cut at its NUL) into dst of
 * size bytes, always terminated; true when dst was too small for it. */
bool boot_copy_string(char *dst, size_t size, const uint8_t *src, size_t len);

/* Multiboot 1: the information at physical address mbi (identity-mapped;
 * its pointers are physical addresses too). */
void multiboot1_read(uint64_t mbi, struct boot_info *info, struct memmap *map);

/* Multiboot 2: parse the avail bytes of boot information at mbi. Pure:
 * the host tests and fuzzers compile the same file. Fills what it could
 * read even when it returns an error. */
enum boot_error multiboot2_parse(const uint8_t *mbi, size_t avail,
				 struct boot_info *info, struct memmap *map);

const char *boot_protocol_name(enum boot_protocol p);
const char *boot_map_source_name(enum boot_map_source s);

#endif
