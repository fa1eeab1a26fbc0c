/* Parsing the multiboot 2 boot information (Multiboot2 2.0, section 3.6):
 * u32 total_size, u32 reserved, then tags, each 8-byte aligned, each
 * u32 type, u32 size (without padding), ending with a tag of type 0. */
#include "boot/bootinfo.h"
#include "boot/multiboot.h"
#include "lib/string.h"

#define INFO_HEADER		8
#define TAG_HEADER		8
#define TAG_ALIGN		8

/* 3.6.8 memory map: u32 entry_size, u32 entry_version, then entries of
 * u64 base_addr, u64 length, u32 type, u32 reserved. */
#define MMAP_ENTRIES		16
#define MMAP_ENTRY_MIN		20

/* 3.6.17 EFI memory map: u32 descriptor_size, u32 descriptor_version,
 * then UEFI EFI_MEMORY_DESCRIPTORs (UEFI 2.10, 7.2 GetMemoryMap): u32
 * Type, pad, u64 PhysicalStart, u64 VirtualStart, u64 NumberOfPages. */
#define EFI_MMAP_DESCRIPTORS	16
#define EFI_DESC_TYPE		0
#define EFI_DESC_PHYS		8
#define EFI_DESC_PAGES		24
#define EFI_DESC_MIN		32
#define EFI_PAGE_SIZE		4096

/* UEFI 2.10 table 7.10, memory type usage after ExitBootServices(). */
enum efi_memory_type {
	EFI_LOADER_CODE = 1, EFI_LOADER_DATA, EFI_BOOT_SERVICES_CODE,
	EFI_BOOT_SERVICES_DATA, EFI_RUNTIME_SERVICES_CODE,
	EFI_RUNTIME_SERVICES_DATA, EFI_CONVENTIONAL_MEMORY, EFI_UNUSABLE_MEMORY,
	EFI_ACPI_RECLAIM_MEMORY, EFI_ACPI_MEMORY_NVS,
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void read_mmap(const uint8_t *tag, uint32_t size, struct memmap *map)
{
	uint32_t entry_size = rd32(tag + 8);

	if (entry_size < MMAP_ENTRY_MIN)
		return;
	/* 64-bit: an entry_size near 2^32 must step past the tag, not wrap. */
	for (uint64_t off = MMAP_ENTRIES; off + MMAP_ENTRY_MIN <= size; off += entry_size)
		memmap_add(map, rd64(tag + off), rd64(tag + off + 8), rd32(tag + off + 16));
}

static uint32_t efi_to_multiboot_type(uint32_t efi)
{
	switch (efi) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BOOT_SERVICES_CODE:
	case EFI_BOOT_SERVICES_DATA:
	case EFI_CONVENTIONAL_MEMORY:
		return MEM_USABLE;
	case EFI_UNUSABLE_MEMORY:
		return MEM_BAD;
	case EFI_ACPI_RECLAIM_MEMORY:
		return MEM_ACPI_RECLAIMABLE;
	case EFI_ACPI_MEMORY_NVS:
		return MEM_ACPI_NVS;
	default:
		return MEM_RESERVED;
	}
}

static void read_efi_mmap(const uint8_t *tag, uint32_t size, struct memmap *map)
{
	uint32_t desc_size = rd32(tag + 8);

	if (desc_size < EFI_DESC_MIN)
		return;
	for (uint64_t off = EFI_MMAP_DESCRIPTORS; off + EFI_DESC_MIN <= size; off += desc_size) {
		uint64_t pages = rd64(tag + off + EFI_DESC_PAGES);

		if (pages > UINT64_MAX / EFI_PAGE_SIZE)
			continue;
		memmap_add(map, rd64(tag + off + EFI_DESC_PHYS), pages * EFI_PAGE_SIZE,
			   efi_to_multiboot_type(rd32(tag + off + EFI_DESC_TYPE)));
	}
}

static void read_rsdp(const uint8_t *tag, uint32_t size, uint32_t type,
		      struct boot_info *info)
{
	uint32_t len = size - TAG_HEADER;

	/* The newer tag wins, whatever the order. */
	if (info->rsdp_tag == MB2_TAG_ACPI_NEW && type == MB2_TAG_ACPI_OLD)
		return;
	if (len > sizeof(info->rsdp))
		len = sizeof(info->rsdp);
	memcpy(info->rsdp, tag + TAG_HEADER, len);
	info->rsdp_len = len;
	info->rsdp_tag = type;
}

enum boot_error multiboot2_parse(const uint8_t *mbi, size_t avail,
				 struct boot_info *info, struct memmap *map)
{
	struct memmap efi_map = { 0 };
	bool have_mmap = false;

	memset(info, 0, sizeof(*info));
	info->protocol = BOOT_MULTIBOOT2;
	map->count = 0;
	map->dropped = 0;
	if (avail < INFO_HEADER)
		return BOOT_TRUNCATED;
	uint32_t total = rd32(mbi);
	if (total < INFO_HEADER + TAG_HEADER || total > avail)
		return BOOT_TRUNCATED;

	for (uint64_t off = INFO_HEADER; off + TAG_HEADER <= total;) {
		const uint8_t *tag = mbi + off;
		uint32_t type = rd32(tag), size = rd32(tag + 4);

		if (size < TAG_HEADER || size > total - off)
			return BOOT_BAD_TAG;
		switch (type) {
		case MB2_TAG_END:
			if (!have_mmap && efi_map.count) {
				*map = efi_map;
				info->map_source = MAP_EFI;
			}
			return BOOT_OK;
		case MB2_TAG_CMDLINE:
			info->cmdline_cut = boot_copy_string(info->cmdline, sizeof(info->cmdline),
							     tag + TAG_HEADER, size - TAG_HEADER);
			break;
		case MB2_TAG_LOADER_NAME:
			boot_copy_string(info->loader, sizeof(info->loader),
					 tag + TAG_HEADER, size - TAG_HEADER);
			break;
		case MB2_TAG_MMAP:
			if (size >= MMAP_ENTRIES && !have_mmap) {
				read_mmap(tag, size, map);
				have_mmap = true;
				info->map_source = MAP_MULTIBOOT;
			}
			break;
		case MB2_TAG_EFI_MMAP:
			if (size >= EFI_MMAP_DESCRIPTORS)
				read_efi_mmap(tag, size, &efi_map);
			break;
		case MB2_TAG_EFI64:
			info->efi = true;
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			read_rsdp(tag, size, type, info);
			break;
		}
		off += ((uint64_t)size + TAG_ALIGN - 1) & ~(uint64_t)(TAG_ALIGN - 1);
	}
	return BOOT_NO_END_TAG;
}
