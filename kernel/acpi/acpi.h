/* The machine's CPUs and interrupt controllers, as ACPI's MADT lists them. */
#ifndef ACPI_ACPI_H
#define ACPI_ACPI_H

#include <stdint.h>

#include "acpi/madt.h"
#include "boot/bootinfo.h"

struct acpi_state {
	enum acpi_error error;		/* ACPI_OK when the MADT was read */
	uint32_t rsdp_tag;		/* the RSDP came from this multiboot 2 tag */
	uint64_t rsdp_addr;		/* else it was found at this address */
	uint64_t madt_addr;
	struct madt_info madt;
	struct madt_ignored_list ignored;	/* the other "APIC" tables listed */
};

extern struct acpi_state acpi;

/* Find the MADT from the RSDP the loader passed, else by searching the
 * EBDA and the BIOS area; note the "APIC" tables not used, and why. */
void acpi_init(const struct boot_info *boot);

#endif
