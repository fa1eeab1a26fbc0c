/* Reading the fixture files the build makes (build/unit/fixtures). */
#ifndef TESTS_UNIT_FIXTURE_H
#define TESTS_UNIT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

/* The whole file FIXTURE_DIR/name, malloc'ed; fails the test if missing. */
uint8_t *slurp(const char *name, size_t *len);

#endif
