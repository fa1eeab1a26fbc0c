#include <stdbool.h>

#include "acpi/acpi.h"
#include "mm/physmem.h"

struct acpi_state acpi;

void acpi_init(const struct boot_info *boot)
{
	/* Under UEFI only the loader's copy leads to the tables: the firmware
	 * need not put an RSDP in the BIOS area (ACPI 6.5 5.2.5.2). */
	if (boot->rsdp_tag) {
		acpi.rsdp_tag = boot->rsdp_tag;
		acpi.error = acpi_find_madt_from_rsdp(phys_read, NULL,
						      boot->rsdp, boot->rsdp_len,
						      &acpi.madt_addr, &acpi.madt,
						      &acpi.ignored);
		return;
	}
	acpi.error = acpi_find_madt(phys_read, NULL, &acpi.rsdp_addr,
				    &acpi.madt_addr, &acpi.madt, &acpi.ignored);
}
