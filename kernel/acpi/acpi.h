/* The machine's CPUs and interrupt controllers, as ACPI's MADT lists them. */
#ifndef ACPI_ACPI_H
#define ACPI_ACPI_H

#include <stdint.h>

#include "acpi/madt.h"

struct acpi_state {
	enum acpi_error error;		/* ACPI_OK when the MADT was read */
	uint64_t rsdp_addr, madt_addr;
	struct madt_info madt;
};

extern struct acpi_state acpi;

void acpi_init(void);

#endif
