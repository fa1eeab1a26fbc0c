#include <stdbool.h>

#include "acpi/acpi.h"
#include "lib/string.h"

#define IDENTITY_MAP_END 0x100000000ull

struct acpi_state acpi;

/* ACPI tables lie in RAM below 4 GiB here, which the kernel maps 1:1. */
static bool read_identity_mapped(void *ctx, uint64_t paddr, void *buf, size_t len)
{
	(void)ctx;
	if (paddr >= IDENTITY_MAP_END || len > IDENTITY_MAP_END - paddr)
		return false;
	memcpy(buf, (const void *)paddr, len);
	return true;
}

void acpi_init(const struct boot_info *boot)
{
	/* Under UEFI only the loader's copy leads to the tables: the firmware
	 * need not put an RSDP in the BIOS area (ACPI 6.5 5.2.5.2). */
	if (boot->rsdp_tag) {
		acpi.rsdp_tag = boot->rsdp_tag;
		acpi.error = acpi_find_madt_from_rsdp(read_identity_mapped, NULL,
						      boot->rsdp, boot->rsdp_len,
						      &acpi.madt_addr, &acpi.madt);
		return;
	}
	acpi.error = acpi_find_madt(read_identity_mapped, NULL, &acpi.rsdp_addr,
				    &acpi.madt_addr, &acpi.madt);
}
