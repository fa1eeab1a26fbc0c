/* ACPI table discovery and MADT parsing, ACPI 6.5:
 *   5.2.5   Root System Description Pointer (RSDP)
 *   5.2.6   System Description Table Header
 *   5.2.7/8 RSDT / XSDT
 *   5.2.12  Multiple APIC Description Table (MADT)
 * All fields are little-endian and need not be aligned, so they are
 * assembled byte by byte. */
#include "acpi/madt.h"

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
#define RSDP_MAX_LEN		64

/* 5.2.6 header */
#define HDR_LENGTH		4
#define HDR_LEN			36
#define MAX_TABLE_LEN		(1u << 20)	/* sanity bound for length fields */

/* 5.2.12 MADT: header, then these fields, then the entries */
#define MADT_LAPIC_ADDR		36
#define MADT_FLAGS		40
#define MADT_ENTRIES		44
#define MADT_PCAT_COMPAT	(1u << 0)

/* 5.2.12: interrupt controller structure types */
enum madt_entry_type {
	MADT_LOCAL_APIC = 0,		/* 5.2.12.2 */
	MADT_IO_APIC = 1,		/* 5.2.12.3 */
	MADT_LAPIC_ADDR_OVERRIDE = 5,	/* 5.2.12.8 */
	MADT_LOCAL_X2APIC = 9,		/* 5.2.12.12 */
};

#define MADT_ENTRY_MAX		16	/* bytes of the largest type we decode */

/* Local APIC Flags, 5.2.12.2 (the x2APIC entry, 5.2.12.12, uses the same) */
#define LAPIC_ENABLED		(1u << 0)
#define LAPIC_ONLINE_CAPABLE	(1u << 1)

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static uint8_t byte_sum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum += *p++;
	return sum;
}

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

/* Read a table header at addr, check its signature, length and checksum. */
static enum acpi_error check_table(acpi_read_fn read, void *ctx, uint64_t addr,
				   const char *signature, uint32_t *len)
{
	uint8_t hdr[HDR_LEN];

	if (!read(ctx, addr, hdr, sizeof(hdr)))
		return ACPI_READ_FAILED;
	if (memcmp(hdr, signature, 4) != 0)
		return ACPI_BAD_SIGNATURE;
	*len = le32(hdr + HDR_LENGTH);
	if (*len < HDR_LEN || *len > MAX_TABLE_LEN)
		return ACPI_BAD_LENGTH;
	return checksum_table(read, ctx, addr, *len);
}

static void add_cpu(struct madt_info *out, uint32_t apic_id, uint32_t uid,
		    uint32_t flags, bool x2apic)
{
	struct madt_cpu *cpu;

	/* Firmware may describe one CPU by both entry types; keep the first. */
	for (size_t i = 0; i < out->ncpus; i++) {
		if (out->cpus[i].apic_id == apic_id)
			return;
	}
	if (out->ncpus == MAX_CPUS) {
		out->cpus_dropped++;
		return;
	}
	cpu = &out->cpus[out->ncpus++];
	cpu->apic_id = apic_id;
	cpu->acpi_uid = uid;
	cpu->enabled = flags & LAPIC_ENABLED;
	cpu->online_capable = flags & LAPIC_ONLINE_CAPABLE;
	cpu->from_x2apic_entry = x2apic;
}

static void add_ioapic(struct madt_info *out, const uint8_t *e)
{
	struct madt_ioapic *io;

	if (out->nioapics == MAX_IOAPICS) {
		out->ioapics_dropped++;
		return;
	}
	io = &out->ioapics[out->nioapics++];
	io->id = e[2];
	io->addr = le32(e + 4);
	io->gsi_base = le32(e + 8);
}

/* Decode one interrupt controller structure of len bytes (e holds
 * min(len, MADT_ENTRY_MAX) of them).  Unknown types are skipped. */
static enum acpi_error parse_entry(const uint8_t *e, size_t len,
				   struct madt_info *out)
{
	switch (e[0]) {
	case MADT_LOCAL_APIC:		/* uid, APIC ID (8 bit), flags */
		if (len < 8)
			return ACPI_TRUNCATED;
		add_cpu(out, e[3], e[2], le32(e + 4), false);
		break;
	case MADT_IO_APIC:		/* id, reserved, address, GSI base */
		if (len < 12)
			return ACPI_TRUNCATED;
		add_ioapic(out, e);
		break;
	case MADT_LAPIC_ADDR_OVERRIDE:	/* reserved (2), 64-bit address */
		if (len < 12)
			return ACPI_TRUNCATED;
		out->lapic_addr = le64(e + 4);
		break;
	case MADT_LOCAL_X2APIC:		/* reserved (2), x2APIC ID, flags, uid */
		if (len < 16)
			return ACPI_TRUNCATED;
		add_cpu(out, le32(e + 4), le32(e + 12), le32(e + 8), true);
		break;
	}
	return ACPI_OK;
}

/* Parse the MADT at addr, whose signature and length the caller has not
 * necessarily checked. */
static enum acpi_error parse_madt_at(acpi_read_fn read, void *ctx,
				     uint64_t addr, struct madt_info *out)
{
	uint8_t fixed[MADT_ENTRIES];
	uint32_t len, off;
	enum acpi_error err;

	memset(out, 0, sizeof(*out));
	err = check_table(read, ctx, addr, "APIC", &len);
	if (err != ACPI_OK)
		return err;
	if (len < MADT_ENTRIES)
		return ACPI_BAD_LENGTH;
	if (!read(ctx, addr, fixed, sizeof(fixed)))
		return ACPI_READ_FAILED;
	out->lapic_addr = le32(fixed + MADT_LAPIC_ADDR);
	out->flags = le32(fixed + MADT_FLAGS);
	out->pcat_compat = out->flags & MADT_PCAT_COMPAT;

	for (off = MADT_ENTRIES; off < len;) {
		uint8_t entry[MADT_ENTRY_MAX];
		uint32_t entry_len;

		if (len - off < 2)
			return ACPI_TRUNCATED;
		if (!read(ctx, addr + off, entry, 2))
			return ACPI_READ_FAILED;
		entry_len = entry[1];
		if (entry_len < 2 || entry_len > len - off)
			return ACPI_TRUNCATED;
		if (!read(ctx, addr + off, entry,
			  entry_len < sizeof(entry) ? entry_len : sizeof(entry)))
			return ACPI_READ_FAILED;
		err = parse_entry(entry, entry_len, out);
		if (err != ACPI_OK)
			return err;
		off += entry_len;
	}
	return ACPI_OK;
}

struct mem_table {
	const uint8_t *bytes;
	size_t len;
};

/* acpi_read_fn over a buffer: "physical address" = offset in the buffer. */
static bool read_mem_table(void *ctx, uint64_t paddr, void *buf, size_t len)
{
	const struct mem_table *t = ctx;

	if (paddr > t->len || len > t->len - paddr)
		return false;
	memcpy(buf, t->bytes + paddr, len);
	return true;
}

enum acpi_error madt_parse(const void *table, size_t len, struct madt_info *out)
{
	struct mem_table t = { table, len };

	if (len < HDR_LENGTH + 4) {
		memset(out, 0, sizeof(*out));
		return ACPI_TRUNCATED;
	}
	if (memcmp(table, "APIC", 4) != 0) {
		memset(out, 0, sizeof(*out));
		return ACPI_BAD_SIGNATURE;
	}
	/* Less than the header claims: a cut copy, not a bad table. */
	if (le32(t.bytes + HDR_LENGTH) > len) {
		memset(out, 0, sizeof(*out));
		return ACPI_TRUNCATED;
	}
	return parse_madt_at(read_mem_table, &t, 0, out);
}

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

/* Look through the RSDT (4-byte entries) or XSDT (8-byte entries) for the
 * first table whose signature is "APIC". */
static enum acpi_error find_in_root(acpi_read_fn read, void *ctx,
				    uint64_t root, bool xsdt, uint64_t *madt)
{
	size_t entry_size = xsdt ? 8 : 4;
	enum acpi_error err;
	uint32_t len;

	err = check_table(read, ctx, root, xsdt ? "XSDT" : "RSDT", &len);
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
		if (!read(ctx, table, sig, sizeof(sig)))
			return ACPI_READ_FAILED;
		if (memcmp(sig, "APIC", 4) == 0) {
			*madt = table;
			return ACPI_OK;
		}
	}
	return ACPI_NO_MADT;
}

enum acpi_error acpi_find_madt(acpi_read_fn read, void *ctx,
			       uint64_t *rsdp_addr, uint64_t *madt_addr,
			       struct madt_info *out)
{
	uint64_t rsdp, root, madt;
	enum acpi_error err;
	bool xsdt;

	memset(out, 0, sizeof(*out));
	err = find_rsdp(read, ctx, &rsdp, &root, &xsdt);
	if (err != ACPI_OK)
		return err;
	if (rsdp_addr)
		*rsdp_addr = rsdp;
	err = find_in_root(read, ctx, root, xsdt, &madt);
	if (err != ACPI_OK)
		return err;
	if (madt_addr)
		*madt_addr = madt;
	return parse_madt_at(read, ctx, madt, out);
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
	}
	return "unknown ACPI error";
}
