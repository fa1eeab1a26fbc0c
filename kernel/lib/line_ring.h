/* A line ring: one CPU's console output on its way to the serial port.
 *
 * One producer (the CPU that owns the ring) stores text without any lock;
 * one consumer (the BSP) prints it. Text becomes visible only as records
 * of whole lines: a record is published when a newline closes it, by a
 * release store of `published`, and carries a number taken from a counter
 * that every ring shares, so the BSP can print the records of all CPUs in
 * the order they were completed (printk's ring buffer separates storing a
 * record from printing it the same way). The bytes of a line still being
 * written (the open record) stay unseen until its newline comes.
 *
 * No hardware access: the host unit tests compile this file. */
#ifndef LIB_LINE_RING_H
#define LIB_LINE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINE_RING_SIZE		4096	/* bytes, a power of two */
#define LINE_RING_HEADER	8	/* a record's number and length */

struct line_ring {
	uint32_t published;	/* producer: end of the last published record */
	uint32_t consumed;	/* consumer: start of the oldest unprinted one */
	uint32_t open_len;	/* producer only: text in the open record */
	char bytes[LINE_RING_SIZE];
};

/* Producer. Store up to n bytes of s, publishing each stretch that ends
 * in a newline as one record numbered from *counter. Returns how many
 * bytes were taken: fewer than n only when the ring is full, until the
 * consumer prints. A line longer than the ring is published in pieces. */
size_t line_ring_write(struct line_ring *r, const char *s, size_t n, uint32_t *counter);
/* Producer: forget the open record (a CPU that starts again after INIT
 * does not finish the line it was writing). */
void line_ring_drop_open(struct line_ring *r);

/* Consumer. Print every published record of the nrings rings, oldest
 * number first, through emit (which may be called twice per record, the
 * text wrapping around the end of a ring). A number taken but not yet
 * published does not hold back the records after it: a CPU stopped by
 * INIT between the two must not stall the console. Returns the count. */
size_t line_rings_drain(struct line_ring *rings, size_t nrings,
			void (*emit)(const char *s, size_t n));
/* Consumer: whether any ring holds a published record. */
bool line_rings_pending(struct line_ring *rings, size_t nrings);

#endif
