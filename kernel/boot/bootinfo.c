/* Names for what the boot information said, for the banner. */
#include "boot/bootinfo.h"

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
