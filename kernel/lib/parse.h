/* Command lines (the monitor's, the kernel's): split into words, parse numbers. */
#ifndef LIB_PARSE_H
#define LIB_PARSE_H

#include <stdint.h>

#define MAX_ARGS 8

/* Split line in place at spaces/tabs; argv gets pointers into line.
 * argv must have room for max_args pointers.  Returns the word count, or -1
 * if there are more than max_args words. */
int tokenize(char *line, char *argv[], int max_args);

enum num_error { NUM_OK, NUM_EMPTY, NUM_BAD_DIGIT, NUM_OVERFLOW, NUM_SIGNED_OVERFLOW };

/* Decimal, or hex with 0x/0X prefix.  Rejects empty, sign, "0x" alone,
 * trailing junk, values above 2^64-1.  *out is written only on NUM_OK. */
enum num_error parse_u64(const char *word, uint64_t *out);
/* The same after an optional '-' or '+'; the value must fit int64_t
 * (NUM_SIGNED_OVERFLOW when it does not). */
enum num_error parse_i64(const char *word, int64_t *out);

const char *num_error_str(enum num_error e);

#endif
