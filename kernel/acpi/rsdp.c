/* Finding the MADT: the RSDP in the EBDA or the BIOS area (or the copy a
 * multiboot 2 loader handed over), then the RSDT or XSDT it points to,
 * then the "APIC" tables listed there (ACPI 6.5, 5.2.5 RSDP, 5.2.7 RSDT,
 * 5.2.8 XSDT). */
#include "acpi/table.h"
#include "lib/string.h"

#define EBDA_SEGMENT_PTR	0x40e	/* 5.2.5.1: BDA word with the EBDA segment */
#define EBDA_SEARCH_LEN		1024
#define BIOS_AREA_START		0xe0000
#define BIOS_AREA_LEN		0x20000
#define RSDP_ALIGN		16

/* 5.2.5.3 RSDP structure */
#define RSDP_V1_LEN		20	/* bytes covered by the first checksum */
#define RSDP_REVISION		15
#define RSDP_RSDT_ADDR		16
#define RSDP_LENGTH		20
#define RSDP_XSDT_ADDR		24
#define RSDP_V2_LEN		36

/* Validate an RSDP candidate at addr and return the root table to use:
 * ACPI_NO_RSDP if the signature is not there. */
static enum acpi_error check_rsdp(acpi_read_fn read, void *ctx, uint64_t addr,
				  uint64_t *root, bool *xsdt)
{
	uint8_t rsdp[RSDP_MAX_LEN];
	uint32_t len;

	if (!read(ctx, addr, rsdp, 8))
		return ACPI_READ_FAILED;
	if (memcmp(rsdp, "RSD PTR ", 8) != 0)
		return ACPI_NO_RSDP;
	if (!read(ctx, addr, rsdp, RSDP_V1_LEN))
		return ACPI_READ_FAILED;
	if (byte_sum(rsdp, RSDP_V1_LEN) != 0)
		return ACPI_BAD_CHECKSUM;
	*root = le32(rsdp + RSDP_RSDT_ADDR);
	*xsdt = false;
	if (rsdp[RSDP_REVISION] < 2)
		return ACPI_OK;

	/* Revision 2+: the extended checksum covers the whole structure. */
	if (!read(ctx, addr, rsdp, RSDP_V2_LEN))
		return ACPI_READ_FAILED;
	len = le32(rsdp + RSDP_LENGTH);
	if (len < RSDP_V2_LEN || len > sizeof(rsdp))
		return ACPI_BAD_LENGTH;
	if (!read(ctx, addr, rsdp, len))
		return ACPI_READ_FAILED;
	if (byte_sum(rsdp, len) != 0)
		return ACPI_BAD_CHECKSUM;
	if (le64(rsdp + RSDP_XSDT_ADDR) != 0) {
		*root = le64(rsdp + RSDP_XSDT_ADDR);
		*xsdt = true;
	}
	return ACPI_OK;
}

/* Scan [start, start + len) at 16-byte steps.  A signature with a bad
 * checksum is remembered in *seen_bad but the scan goes on: the string
 * can occur by chance in BIOS code. */
static enum acpi_error scan_for_rsdp(acpi_read_fn read, void *ctx,
				     uint64_t start, uint64_t len,
				     uint64_t *found, uint64_t *root,
				     bool *xsdt, enum acpi_error *seen_bad)
{
	for (uint64_t addr = start; addr < start + len; addr += RSDP_ALIGN) {
		enum acpi_error err = check_rsdp(read, ctx, addr, root, xsdt);

		if (err == ACPI_OK) {
			*found = addr;
			return ACPI_OK;
		}
		if (err == ACPI_READ_FAILED)
			return err;
		if (err != ACPI_NO_RSDP)
			*seen_bad = err;
	}
	return ACPI_NO_RSDP;
}

static enum acpi_error find_rsdp(acpi_read_fn read, void *ctx, uint64_t *found,
				 uint64_t *root, bool *xsdt)
{
	enum acpi_error bad = ACPI_NO_RSDP;
	enum acpi_error err;
	uint8_t seg[2];
	uint64_t ebda;

	if (!read(ctx, EBDA_SEGMENT_PTR, seg, sizeof(seg)))
		return ACPI_READ_FAILED;
	ebda = (uint64_t)le16(seg) << 4;
	if (ebda) {
		err = scan_for_rsdp(read, ctx, ebda, EBDA_SEARCH_LEN, found,
				    root, xsdt, &bad);
		if (err != ACPI_NO_RSDP)
			return err;
	}
	err = scan_for_rsdp(read, ctx, BIOS_AREA_START, BIOS_AREA_LEN, found,
			    root, xsdt, &bad);
	return err == ACPI_NO_RSDP ? bad : err;
}

static void clear_results(struct madt_info *out, struct madt_ignored_list *ignored)
{
	memset(out, 0, sizeof(*out));
	if (ignored)
		memset(ignored, 0, sizeof(*ignored));
}

static void note_ignored(struct madt_ignored_list *ignored, uint64_t addr,
			 enum acpi_error error, uint32_t detail)
{
	if (!ignored)
		return;
	if (ignored->count < MADT_IGNORED_MAX)
		ignored->tables[ignored->count] =
			(struct madt_ignored){ addr, error, detail };
	ignored->count++;
}

/* Check every "APIC" table the RSDT (4-byte entries) or XSDT (8-byte
 * entries) lists, in order: ACPI 6.5 5.2.12 expects one, firmware may
 * list a broken one or two.  The first sound one is parsed into out. */
static enum acpi_error madt_from_root(acpi_read_fn read, void *ctx,
				      uint64_t root, bool xsdt,
				      uint64_t *madt_addr, struct madt_info *out,
				      struct madt_ignored_list *ignored)
{
	size_t entry_size = xsdt ? 8 : 4;
	enum acpi_error result = ACPI_NO_MADT, err;
	bool unreadable = false;
	uint32_t len, where;

	err = acpi_check_table(read, ctx, root, xsdt ? "XSDT" : "RSDT", HDR_LEN, &len);
	if (err != ACPI_OK)
		return err;
	for (uint32_t off = HDR_LEN; off + entry_size <= len; off += entry_size) {
		uint8_t entry[8], sig[4];
		uint64_t table;

		if (!read(ctx, root + off, entry, entry_size))
			return ACPI_READ_FAILED;
		table = xsdt ? le64(entry) : le32(entry);
		if (table == 0)
			continue;
		/* A pointer to nowhere may have been the MADT, or not. */
		if (!read(ctx, table, sig, sizeof(sig))) {
			unreadable = true;
			continue;
		}
		if (memcmp(sig, "APIC", 4) != 0)
			continue;
		/* Until one is sound, each is parsed into out; after, only checked. */
		bool first = result != ACPI_OK;

		err = madt_parse_at(read, ctx, table, first ? out : NULL, &where);
		if (err == ACPI_OK && first) {
			result = ACPI_OK;
			if (madt_addr)
				*madt_addr = table;
			continue;
		}
		if (result == ACPI_NO_MADT)
			result = err;
		note_ignored(ignored, table, err, where);
	}
	if (result != ACPI_OK)
		memset(out, 0, sizeof(*out));	/* what a broken one left there */
	return result == ACPI_NO_MADT && unreadable ? ACPI_READ_FAILED : result;
}

enum acpi_error acpi_find_madt(acpi_read_fn read, void *ctx,
			       uint64_t *rsdp_addr, uint64_t *madt_addr,
			       struct madt_info *out, struct madt_ignored_list *ignored)
{
	uint64_t rsdp, root;
	enum acpi_error err;
	bool xsdt;

	clear_results(out, ignored);
	err = find_rsdp(read, ctx, &rsdp, &root, &xsdt);
	if (err != ACPI_OK)
		return err;
	if (rsdp_addr)
		*rsdp_addr = rsdp;
	return madt_from_root(read, ctx, root, xsdt, madt_addr, out, ignored);
}

enum acpi_error acpi_find_madt_from_rsdp(acpi_read_fn read, void *ctx,
					 const uint8_t *rsdp, size_t rsdp_len,
					 uint64_t *madt_addr, struct madt_info *out,
					 struct madt_ignored_list *ignored)
{
	struct acpi_buffer copy = { rsdp, rsdp_len };
	uint64_t root;
	bool xsdt;
	enum acpi_error err;

	clear_results(out, ignored);
	err = check_rsdp(acpi_read_buffer, &copy, 0, &root, &xsdt);
	if (err == ACPI_READ_FAILED)
		return ACPI_TRUNCATED;
	if (err != ACPI_OK)
		return err;
	return madt_from_root(read, ctx, root, xsdt, madt_addr, out, ignored);
}
