/* The ACPI table header and checksum (ACPI 6.5, 5.2.6), and tables read from a buffer. */
#include "acpi/table.h"
#include "lib/string.h"

/* 5.2.6: all bytes of a table, checksum included, add up to 0 mod 256. */
static enum acpi_error checksum_table(acpi_read_fn read, void *ctx,
				      uint64_t addr, uint32_t len)
{
	uint8_t chunk[64];
	uint8_t sum = 0;

	for (uint32_t off = 0; off < len; off += sizeof(chunk)) {
		size_t n = len - off < sizeof(chunk) ? len - off : sizeof(chunk);

		if (!read(ctx, addr + off, chunk, n))
			return ACPI_READ_FAILED;
		sum += byte_sum(chunk, n);
	}
	return sum == 0 ? ACPI_OK : ACPI_BAD_CHECKSUM;
}

enum acpi_error acpi_check_table(acpi_read_fn read, void *ctx, uint64_t addr,
				 const char *signature, uint32_t min_len, uint32_t *len)
{
	uint8_t hdr[HDR_LEN];

	if (!read(ctx, addr, hdr, sizeof(hdr)))
		return ACPI_READ_FAILED;
	if (memcmp(hdr, signature, 4) != 0)
		return ACPI_BAD_SIGNATURE;
	*len = le32(hdr + HDR_LENGTH);
	if (*len < min_len || *len > MAX_TABLE_LEN)
		return ACPI_BAD_LENGTH;
	return checksum_table(read, ctx, addr, *len);
}

bool acpi_read_buffer(void *ctx, uint64_t offset, void *buf, size_t len)
{
	const struct acpi_buffer *b = ctx;

	if (offset > b->len || len > b->len - offset)
		return false;
	memcpy(buf, b->bytes + offset, len);
	return true;
}

const char *acpi_error_str(enum acpi_error e)
{
	switch (e) {
	case ACPI_OK:
		return "ok";
	case ACPI_NO_RSDP:
		return "no RSDP found";
	case ACPI_BAD_CHECKSUM:
		return "bad checksum";
	case ACPI_BAD_SIGNATURE:
		return "wrong table signature";
	case ACPI_TRUNCATED:
		return "table truncated or entry runs past its end";
	case ACPI_NO_MADT:
		return "no MADT (\"APIC\") in the RSDT/XSDT";
	case ACPI_READ_FAILED:
		return "could not read physical memory";
	case ACPI_BAD_LENGTH:
		return "table length field out of range";
	case ACPI_BAD_ENTRY:
		return "a MADT entry is too short for its type";
	}
	return "unknown ACPI error";
}
