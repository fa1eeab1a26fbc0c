/* x and mem: read memory, and the physical memory map. */
#include "lib/console.h"
#include "lib/format.h"
#include "mm/frames.h"
#include "mm/memmap.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"

#define X_DEFAULT_COUNT 64
#define X_MAX_COUNT	4096
#define X_PER_LINE	16

/* Read with aligned 32-bit loads: device registers (the local APIC's,
 * say) must not be read a byte at a time. A bad address faults here and
 * the monitor's fault recovery brings the prompt back. */
static uint8_t read_byte(uint64_t addr)
{
	uint32_t word = *(const volatile uint32_t *)(addr & ~3ull);

	return (uint8_t)(word >> (8 * (addr & 3)));
}

static void dump_line(uint64_t addr, unsigned n)
{
	char line[100];
	int len = ksnprintf(line, sizeof(line), "%016lx ", addr);
	uint8_t bytes[X_PER_LINE];

	for (unsigned i = 0; i < n; i++)
		bytes[i] = read_byte(addr + i);
	for (unsigned i = 0; i < X_PER_LINE; i++) {
		if (i == 8)
			line[len++] = ' ';
		if (i < n)
			len += ksnprintf(line + len, sizeof(line) - len, " %02x", bytes[i]);
		else
			len += ksnprintf(line + len, sizeof(line) - len, "   ");
	}
	len += ksnprintf(line + len, sizeof(line) - len, "  |");
	for (unsigned i = 0; i < n; i++)
		line[len++] = bytes[i] >= 0x20 && bytes[i] < 0x7F ? (char)bytes[i] : '.';
	line[len] = '\0';
	kprintf("%s|\n", line);
}

int cmd_x(int argc, char *argv[])
{
	uint64_t addr, count = X_DEFAULT_COUNT;

	if (argc < 2 || argc > 3)
		return usage_error(argv[0]);
	if (!arg_number(argv[1], "ADDR", &addr))
		return 1;
	if (argc == 3 && !arg_number(argv[2], "COUNT", &count))
		return 1;
	if (count == 0 || count > X_MAX_COUNT) {
		kprintf("error: COUNT must be 1 to %d\n", X_MAX_COUNT);
		return 1;
	}
	/* The last byte is addr + count - 1; the range may end exactly at 2^64. */
	if (addr + (count - 1) < addr) {
		kprintf("error: 0x%lx + %lu runs past the end of the address space\n",
			addr, count);
		return 1;
	}
	for (uint64_t off = 0; off < count; off += X_PER_LINE) {
		uint64_t left = count - off;

		dump_line(addr + off, left < X_PER_LINE ? (unsigned)left : X_PER_LINE);
	}
	return 0;
}

int cmd_mem(int argc, char *argv[])
{
	if (argc != 1)
		return usage_error(argv[0]);
	kprintf("start              end (exclusive)    type\n");
	for (size_t i = 0; i < boot_memmap.count; i++) {
		const struct mem_region *r = &boot_memmap.region[i];

		kprintf("0x%016lx 0x%016lx %s\n", r->base, r->base + r->length,
			mem_type_name(r->type));
	}
	kprintf("%lu KiB usable, %zu free 4 KiB frames for stacks and tables\n",
		memmap_usable_bytes(&boot_memmap) / 1024, frames_free_count());
	return 0;
}
