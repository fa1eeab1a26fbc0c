/* ACPI: find the RSDP, the RSDT/XSDT and the MADT, and list the CPUs and
 * I/O APICs the MADT describes.  Memory is read through a callback, so the
 * host tests run the same code over tables captured from QEMU. */
#ifndef SMPLAB_ACPI_MADT_H
#define SMPLAB_ACPI_MADT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_CPUS 512
#define MAX_IOAPICS 8
#define RSDP_MAX_LEN 64		/* ACPI 6.5 5.2.5.3: 36 bytes today, room for growth */

struct madt_cpu {
	uint32_t apic_id;	/* not contiguous in general */
	uint32_t acpi_uid;
	bool enabled;
	bool online_capable;	/* may be enabled later (ACPI 6.3+) */
	bool from_x2apic_entry;
};

struct madt_ioapic {
	uint8_t id;
	uint32_t addr;
	uint32_t gsi_base;
};

struct madt_info {
	uint64_t lapic_addr;	/* after any address override entry */
	uint32_t flags;
	bool pcat_compat;	/* dual 8259 PICs present */
	size_t ncpus;		/* every processor entry, disabled ones too */
	struct madt_cpu cpus[MAX_CPUS];
	size_t cpus_dropped;	/* entries beyond MAX_CPUS */
	size_t nioapics;
	struct madt_ioapic ioapics[MAX_IOAPICS];
	size_t ioapics_dropped;	/* entries beyond MAX_IOAPICS */
};

enum acpi_error {
	ACPI_OK,
	ACPI_NO_RSDP,
	ACPI_BAD_CHECKSUM,
	ACPI_BAD_SIGNATURE,
	ACPI_TRUNCATED,
	ACPI_NO_MADT,
	ACPI_READ_FAILED,
	ACPI_BAD_LENGTH,	/* a length field below the header size or absurd */
	ACPI_BAD_ENTRY,		/* a MADT entry shorter than its type needs */
};

const char *acpi_error_str(enum acpi_error e);

#define MADT_IGNORED_MAX 4

/* An "APIC" table the RSDT/XSDT lists that is not the one used. */
struct madt_ignored {
	uint64_t addr;
	enum acpi_error error;	/* ACPI_OK: sound, but one listed before it is used */
	uint32_t detail;	/* ACPI_BAD_LENGTH: the length field; ACPI_TRUNCATED,
				 * ACPI_BAD_ENTRY: the offset of the entry at fault */
};

struct madt_ignored_list {
	size_t count;		/* all of them; the first MADT_IGNORED_MAX are kept */
	struct madt_ignored tables[MADT_IGNORED_MAX];
};

/* Why t was ignored, in words ("bad checksum", "length 40 is ..."). */
int madt_ignored_str(const struct madt_ignored *t, char *buf, size_t size);

/* table = the whole MADT including its header, len = bytes available. */
enum acpi_error madt_parse(const void *table, size_t len, struct madt_info *out);
/* The index (CPU number) of the entry with this APIC ID, enabled or not,
 * or -1; madt_parse keeps one entry per APIC ID. */
int madt_find(const struct madt_info *m, uint32_t apic_id);

/* Copy len bytes at physical address paddr to buf; false if not readable. */
typedef bool (*acpi_read_fn)(void *ctx, uint64_t paddr, void *buf, size_t len);

/* Find the RSDP (16-byte aligned, in the first KiB of the EBDA, whose
 * segment is at 0x40E, then in 0xE0000-0xFFFFF), then the XSDT if the
 * RSDP revision is 2 or more and its address is not zero, else the RSDT,
 * then the "APIC" tables it lists; check the checksum of each of these.
 * Every "APIC" table is checked (length, checksum, entries); the first
 * sound one is parsed into out, the others go to ignored with the reason.
 * When none is sound the error is the first one's.  rsdp_addr, madt_addr
 * and ignored (any may be NULL) receive what was found. */
enum acpi_error acpi_find_madt(acpi_read_fn read, void *ctx,
			       uint64_t *rsdp_addr, uint64_t *madt_addr,
			       struct madt_info *out, struct madt_ignored_list *ignored);

/* The same from a copy of the RSDP (rsdp_len bytes), as a multiboot 2
 * loader hands it over in its ACPI tags (UEFI firmware puts none in the
 * BIOS area): check it, then follow its RSDT or XSDT through read. */
enum acpi_error acpi_find_madt_from_rsdp(acpi_read_fn read, void *ctx,
					 const uint8_t *rsdp, size_t rsdp_len,
					 uint64_t *madt_addr, struct madt_info *out,
					 struct madt_ignored_list *ignored);

#endif
