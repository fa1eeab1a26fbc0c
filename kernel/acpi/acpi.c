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

void acpi_init(void)
{
	acpi.error = acpi_find_madt(read_identity_mapped, NULL, &acpi.rsdp_addr,
				    &acpi.madt_addr, &acpi.madt);
}
