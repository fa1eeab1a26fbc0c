/* A line ring: whole lines from one producer, numbered, for one consumer
 * (see line_ring.h). Positions are free-running 32-bit byte counts; the
 * offset in bytes[] is the count modulo LINE_RING_SIZE. A record is its
 * number and text length (LINE_RING_HEADER bytes) and then its text. */
#include "lib/line_ring.h"

#define MASK (LINE_RING_SIZE - 1)

static void copy_in(struct line_ring *r, uint32_t at, const void *src, size_t n)
{
	const char *s = src;

	for (size_t i = 0; i < n; i++)
		r->bytes[(at + i) & MASK] = s[i];
}

static void copy_out(const struct line_ring *r, uint32_t at, void *dst, size_t n)
{
	char *d = dst;

	for (size_t i = 0; i < n; i++)
		d[i] = r->bytes[(at + i) & MASK];
}

/* Bytes of text the open record can still take. */
static size_t room(const struct line_ring *r)
{
	uint32_t used = r->published - __atomic_load_n(&r->consumed, __ATOMIC_ACQUIRE) +
			LINE_RING_HEADER + r->open_len;

	return used < LINE_RING_SIZE ? LINE_RING_SIZE - used : 0;
}

static void publish(struct line_ring *r, uint32_t *counter)
{
	uint32_t header[2] = { __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED), r->open_len };

	copy_in(r, r->published, header, sizeof(header));
	r->open_len = 0;
	__atomic_store_n(&r->published, r->published + LINE_RING_HEADER + header[1],
			 __ATOMIC_RELEASE);
}

size_t line_ring_write(struct line_ring *r, const char *s, size_t n, uint32_t *counter)
{
	size_t done = 0;

	while (done < n) {
		size_t fits = room(r);

		if (fits == 0) {
			/* Nothing left to print and still no room: the open
			 * line fills the ring, so it goes out in pieces. */
			if (__atomic_load_n(&r->consumed, __ATOMIC_ACQUIRE) != r->published)
				break;
			publish(r, counter);
			continue;
		}
		size_t take = n - done < fits ? n - done : fits;
		/* Close the record at the last newline that fits. */
		for (size_t i = take; i > 0; i--)
			if (s[done + i - 1] == '\n') {
				take = i;
				break;
			}
		copy_in(r, r->published + LINE_RING_HEADER + r->open_len, s + done, take);
		r->open_len += take;
		done += take;
		if (s[done - 1] == '\n')
			publish(r, counter);
	}
	return done;
}

void line_ring_drop_open(struct line_ring *r)
{
	r->open_len = 0;
}

/* The number of the oldest unprinted record, if there is one. */
static bool oldest_number(const struct line_ring *r, uint32_t *number)
{
	if (__atomic_load_n(&r->published, __ATOMIC_ACQUIRE) == r->consumed)
		return false;
	copy_out(r, r->consumed, number, sizeof(*number));
	return true;
}

static void print_oldest(struct line_ring *r, void (*emit)(const char *s, size_t n))
{
	uint32_t len, start;

	copy_out(r, r->consumed + sizeof(uint32_t), &len, sizeof(len));
	start = (r->consumed + LINE_RING_HEADER) & MASK;
	if (start + len > LINE_RING_SIZE) {
		emit(r->bytes + start, LINE_RING_SIZE - start);
		emit(r->bytes, start + len - LINE_RING_SIZE);
	} else {
		emit(r->bytes + start, len);
	}
	__atomic_store_n(&r->consumed, r->consumed + LINE_RING_HEADER + len, __ATOMIC_RELEASE);
}

size_t line_rings_drain(struct line_ring *rings, size_t nrings,
			void (*emit)(const char *s, size_t n))
{
	size_t printed = 0;

	for (;;) {
		struct line_ring *next = NULL;
		uint32_t best = 0, number;

		for (size_t i = 0; i < nrings; i++)
			if (oldest_number(&rings[i], &number) &&
			    (!next || (int32_t)(number - best) < 0)) {
				next = &rings[i];
				best = number;
			}
		if (!next)
			return printed;
		print_oldest(next, emit);
		printed++;
	}
}

bool line_rings_pending(struct line_ring *rings, size_t nrings)
{
	uint32_t number;

	for (size_t i = 0; i < nrings; i++)
		if (oldest_number(&rings[i], &number))
			return true;
	return false;
}
