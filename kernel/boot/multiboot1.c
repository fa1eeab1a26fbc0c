/* Reading the multiboot 1 information (Multiboot 0.6.96, section 3.3). */
#include "boot/bootinfo.h"
#include "lib/string.h"

#define MB1_INFO_CMDLINE	(1u << 2)
#define MB1_INFO_MMAP		(1u << 6)
#define MB1_INFO_LOADER_NAME	(1u << 9)

struct multiboot1_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device, cmdline, mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr;
	uint32_t config_table;
	uint32_t boot_loader_name;
} __attribute__((packed));

/* Each entry starts with its size, which does not count the size field. */
struct multiboot1_mmap_entry {
	uint32_t size;
	uint64_t base, length;
	uint32_t type;
} __attribute__((packed));

/* A string the information points to: NUL-terminated, no length given. */
static bool copy_string(char *dst, size_t size, uint32_t paddr)
{
	return boot_copy_string(dst, size, (const uint8_t *)(uint64_t)paddr, SIZE_MAX);
}

void multiboot1_read(uint64_t mbi, struct boot_info *info, struct memmap *map)
{
	const struct multiboot1_info *mb = (const void *)mbi;

	memset(info, 0, sizeof(*info));
	info->protocol = BOOT_MULTIBOOT1;
	map->count = 0;
	map->dropped = 0;
	if (mb->flags & MB1_INFO_CMDLINE)
		info->cmdline_cut = copy_string(info->cmdline, sizeof(info->cmdline),
						mb->cmdline);
	if (mb->flags & MB1_INFO_LOADER_NAME)
		copy_string(info->loader, sizeof(info->loader), mb->boot_loader_name);
	if (!(mb->flags & MB1_INFO_MMAP))
		return;
	info->map_source = MAP_MULTIBOOT;
	uint64_t p = mb->mmap_addr, end = p + mb->mmap_length;
	while (p + sizeof(struct multiboot1_mmap_entry) <= end) {
		const struct multiboot1_mmap_entry *e = (const void *)p;

		memmap_add(map, e->base, e->length, e->type);
		p += (uint64_t)e->size + sizeof(e->size);
	}
}
