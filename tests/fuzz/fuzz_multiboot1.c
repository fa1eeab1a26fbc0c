/* The multiboot 1 information reader (kernel/boot/multiboot1.c). It reads
 * through the physical addresses the information holds, so the input is
 * laid out in memory below 4 GiB: first the information structure
 * (Multiboot 0.6.96 3.3), then bytes its pointers point into. Each pointer
 * is taken modulo the input's size, so it lands in the input, which is
 * followed by zeros: a string runs at most into them, and the memory map's
 * length is cut at the input's end, as a loader's map ends in its memory. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "boot/bootinfo.h"
#include "tests/unit/bytes.h"

#define AREA_SIZE	(1u << 20)
#define INPUT_MAX	(AREA_SIZE - 4096)	/* leave zeros after any input */
#define INFO_SIZE	68			/* the structure, boot_loader_name included */
#define OFF_CMDLINE	16
#define OFF_MMAP_LENGTH	44
#define OFF_MMAP_ADDR	48
#define OFF_LOADER_NAME	64

static uint8_t *area;
static struct boot_info info;
static struct memmap map;

/* Turn the pointer field at off into the address of a byte of the input. */
static void place_pointer(size_t off, size_t size)
{
	put32(area + off, (uint32_t)(uintptr_t)(area + get32(area + off) % size));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!area) {
		area = mmap(NULL, AREA_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (area == MAP_FAILED)
			abort();
	}
	if (size > INPUT_MAX)
		return 0;
	size_t used = size > INFO_SIZE ? size : INFO_SIZE;

	memset(area, 0, used + 4096);
	memcpy(area, data, size);
	place_pointer(OFF_CMDLINE, used);
	place_pointer(OFF_LOADER_NAME, used);
	uint32_t mmap_off = get32(area + OFF_MMAP_ADDR) % used;

	place_pointer(OFF_MMAP_ADDR, used);
	if (get32(area + OFF_MMAP_LENGTH) > used - mmap_off)
		put32(area + OFF_MMAP_LENGTH, (uint32_t)(used - mmap_off));

	multiboot1_read((uint64_t)(uintptr_t)area, &info, &map);
	if (map.count > MEMMAP_MAX || strlen(info.cmdline) >= BOOT_CMDLINE_MAX ||
	    strlen(info.loader) >= BOOT_NAME_MAX)
		abort();
	return 0;
}
