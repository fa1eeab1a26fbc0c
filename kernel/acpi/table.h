/* What every ACPI table shares (ACPI 6.5, 5.2.6): the header, the
 * checksum, and little-endian fields that need not be aligned, so they
 * are assembled byte by byte. Internal to kernel/acpi/. */
#ifndef ACPI_TABLE_H
#define ACPI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "acpi/madt.h"

/* 5.2.6 header */
#define HDR_LENGTH		4
#define HDR_LEN			36
#define MAX_TABLE_LEN		(1u << 20)	/* sanity bound for length fields */

/* 5.2.12: the MADT's entries start after the header, the local APIC
 * address and the flags; no MADT is shorter. */
#define MADT_ENTRIES		44

static inline uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static inline uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static inline uint8_t byte_sum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum += *p++;
	return sum;
}

/* A table (or an RSDP) already in memory, read as acpi_read_fn reads:
 * "physical address" = offset into bytes. */
struct acpi_buffer {
	const uint8_t *bytes;
	size_t len;
};
bool acpi_read_buffer(void *ctx, uint64_t offset, void *buf, size_t len);

/* Read a table header at addr, check its signature, its length (*len:
 * min_len up to MAX_TABLE_LEN) and then its checksum. */
enum acpi_error acpi_check_table(acpi_read_fn read, void *ctx, uint64_t addr,
				 const char *signature, uint32_t min_len, uint32_t *len);

/* Check the MADT at addr and, unless out is NULL, parse it (madt.c).
 * *where receives the detail struct madt_ignored keeps: the length field
 * or the offset of the entry at fault. */
enum acpi_error madt_parse_at(acpi_read_fn read, void *ctx, uint64_t addr,
			      struct madt_info *out, uint32_t *where);

#endif
