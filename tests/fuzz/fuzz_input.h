/* Reading a fuzzer's input as a stream of fields: once the bytes run out,
 * every field reads as zero, so any input is a valid stream. Or as one
 * line of text (take_line). */
#ifndef TESTS_FUZZ_FUZZ_INPUT_H
#define TESTS_FUZZ_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_input {
	const uint8_t *data;
	size_t size;
};

static inline uint64_t take_bytes(struct fuzz_input *in, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n && in->size; i++, in->data++, in->size--)
		v |= (uint64_t)*in->data << (8 * i);
	return v;
}

static inline uint8_t take_u8(struct fuzz_input *in)
{
	return (uint8_t)take_bytes(in, 1);
}

static inline uint32_t take_u32(struct fuzz_input *in)
{
	return (uint32_t)take_bytes(in, 4);
}

static inline uint64_t take_u64(struct fuzz_input *in)
{
	return take_bytes(in, 8);
}

static inline bool take_bool(struct fuzz_input *in)
{
	return take_u8(in) & 1;
}

/* The whole input as a line of text, NUL-terminated (free it). */
static inline char *take_line(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);

	memcpy(line, data, size);
	line[size] = '\0';
	return line;
}

#endif
