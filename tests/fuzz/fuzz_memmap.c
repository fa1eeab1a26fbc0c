/* The memory map (kernel/mm/memmap.c) under random operations: each is an
 * opcode byte, a base, a length and a type; reserving never adds usable
 * bytes (counted here without wrapping at 2^64, as random regions may
 * overlap), and the map never outgrows its array. */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_input.h"
#include "mm/memmap.h"

static unsigned __int128 usable_bytes(const struct memmap *map)
{
	unsigned __int128 total = 0;

	for (size_t i = 0; i < map->count; i++)
		if (map->region[i].type == MEM_USABLE)
			total += map->region[i].length;
	return total;
}

enum { OP_ADD, OP_RESERVE, OP_IS_USABLE, OP_COUNT };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct memmap map = { 0 };

	while (in.size) {
		uint8_t op = take_u8(&in) % OP_COUNT;
		uint64_t base = take_u64(&in), length = take_u64(&in);
		uint32_t type = take_u8(&in);
		unsigned __int128 usable = usable_bytes(&map);

		switch (op) {
		case OP_ADD:
			memmap_add(&map, base, length, type);
			break;
		case OP_RESERVE:
			memmap_reserve(&map, base, length);
			if (usable_bytes(&map) > usable)
				abort();
			break;
		case OP_IS_USABLE:
			memmap_is_usable(&map, base, length);
			memmap_usable_bytes(&map);
			break;
		}
		if (map.count > MEMMAP_MAX || !mem_type_name(type))
			abort();
	}
	return 0;
}
