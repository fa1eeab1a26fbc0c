/* What both multiboot readers share: copying a string out of the boot
 * information, and names for what it said, for the banner. */
#include "boot/bootinfo.h"
#include "lib/string.h"

bool boot_copy_string(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t n = 0;

	while (n < len && n + 1 < size && src[n])
		n++;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return n < len && src[n] != '\0';
}

const char *boot_error_str(enum boot_error e)
{
	switch (e) {
	case BOOT_OK: return "ok";
	case BOOT_TRUNCATED: return "its total_size is too small or too large";
	case BOOT_BAD_TAG: return "a tag's size is below 8 or runs past the end";
	case BOOT_NO_END_TAG: return "no end tag";
	}
	return "unknown error";
}

const char *boot_protocol_name(enum boot_protocol p)
{
	return p == BOOT_MULTIBOOT2 ? "multiboot 2" : "multiboot 1";
}

const char *boot_map_source_name(enum boot_map_source s)
{
	switch (s) {
	case MAP_NONE: return "none";
	case MAP_MULTIBOOT: return "multiboot memory map";
	case MAP_EFI: return "EFI memory map";
	}
	return "unknown";
}
