/* Parsing the Multiple APIC Description Table (ACPI 6.5, 5.2.12): the
 * local APICs and x2APICs (the CPUs), the I/O APICs, and the local APIC
 * address. */
#include "acpi/table.h"
#include "lib/string.h"

/* 5.2.12 MADT: header, then these fields, then the entries (MADT_ENTRIES) */
#define MADT_LAPIC_ADDR		36
#define MADT_FLAGS		40
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

int madt_find(const struct madt_info *m, uint32_t apic_id)
{
	for (size_t i = 0; i < m->ncpus; i++)
		if (m->cpus[i].apic_id == apic_id)
			return (int)i;
	return -1;
}

static void add_cpu(struct madt_info *out, uint32_t apic_id, uint32_t uid,
		    uint32_t flags, bool x2apic)
{
	struct madt_cpu *cpu;

	/* Firmware may describe one CPU by both entry types; keep the first. */
	if (madt_find(out, apic_id) >= 0)
		return;
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

/* The bytes an entry of this type needs for the fields decoded below
 * (the lengths 5.2.12.2, .3, .8 and .12 give); 2 (type and length) for
 * the types skipped. */
static uint32_t entry_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LOCAL_APIC:
		return 8;
	case MADT_IO_APIC:
	case MADT_LAPIC_ADDR_OVERRIDE:
		return 12;
	case MADT_LOCAL_X2APIC:
		return 16;
	}
	return 2;
}

/* Decode one interrupt controller structure, entry_min_len bytes or more
 * (e holds the first MADT_ENTRY_MAX of them).  Unknown types are skipped. */
static void decode_entry(const uint8_t *e, struct madt_info *out)
{
	switch (e[0]) {
	case MADT_LOCAL_APIC:		/* uid, APIC ID (8 bit), flags */
		add_cpu(out, e[3], e[2], le32(e + 4), false);
		break;
	case MADT_IO_APIC:		/* id, reserved, address, GSI base */
		add_ioapic(out, e);
		break;
	case MADT_LAPIC_ADDR_OVERRIDE:	/* reserved (2), 64-bit address */
		out->lapic_addr = le64(e + 4);
		break;
	case MADT_LOCAL_X2APIC:		/* reserved (2), x2APIC ID, flags, uid */
		add_cpu(out, le32(e + 4), le32(e + 12), le32(e + 8), true);
		break;
	}
}

enum acpi_error madt_parse_at(acpi_read_fn read, void *ctx, uint64_t addr,
			      struct madt_info *out, uint32_t *where)
{
	uint8_t fixed[MADT_ENTRIES];
	uint32_t len = 0, off;
	enum acpi_error err;

	if (out)
		memset(out, 0, sizeof(*out));
	err = acpi_check_table(read, ctx, addr, "APIC", MADT_ENTRIES, &len);
	*where = len;
	if (err != ACPI_OK)
		return err;
	if (out) {
		if (!read(ctx, addr, fixed, sizeof(fixed)))
			return ACPI_READ_FAILED;
		out->lapic_addr = le32(fixed + MADT_LAPIC_ADDR);
		out->flags = le32(fixed + MADT_FLAGS);
		out->pcat_compat = out->flags & MADT_PCAT_COMPAT;
	}

	for (off = MADT_ENTRIES; off < len;) {
		uint8_t entry[MADT_ENTRY_MAX];
		uint32_t entry_len;

		*where = off;
		if (len - off < 2)
			return ACPI_TRUNCATED;
		if (!read(ctx, addr + off, entry, 2))
			return ACPI_READ_FAILED;
		entry_len = entry[1];
		if (entry_len > len - off)
			return ACPI_TRUNCATED;
		if (entry_len < entry_min_len(entry[0]))
			return ACPI_BAD_ENTRY;
		if (out) {
			if (!read(ctx, addr + off, entry,
				  entry_len < sizeof(entry) ? entry_len : sizeof(entry)))
				return ACPI_READ_FAILED;
			decode_entry(entry, out);
		}
		off += entry_len;
	}
	return ACPI_OK;
}

enum acpi_error madt_parse(const void *table, size_t len, struct madt_info *out)
{
	struct acpi_buffer t = { table, len };
	uint32_t where;

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
	return madt_parse_at(acpi_read_buffer, &t, 0, out, &where);
}
