/* Names of the bits in control registers, EFER, RFLAGS and page-table
 * entries, for printing. */
#ifndef SMPLAB_ARCH_FLAGS_H
#define SMPLAB_ARCH_FLAGS_H

#include <stddef.h>
#include <stdint.h>

struct flag_name {
	uint8_t bit;
	const char *name;
};

/* Write the names of the set bits of value, space separated, into buf
 * (always NUL-terminated when size > 0; a name that does not fit is left
 * out whole).  Returns the length written, not counting the NUL. */
size_t format_flags(char *buf, size_t size, uint64_t value,
		    const struct flag_name *names, size_t n);

extern const struct flag_name cr0_flags[], cr4_flags[], efer_flags[],
	rflags_flags[], pte_flags[];
extern const size_t cr0_flags_count, cr4_flags_count, efer_flags_count,
	rflags_flags_count, pte_flags_count;

#endif
