/* Why an "APIC" table the RSDT/XSDT lists was not used, in words. */
#include "acpi/table.h"
#include "lib/format.h"

int madt_ignored_str(const struct madt_ignored *t, char *buf, size_t size)
{
	switch (t->error) {
	case ACPI_OK:
		return ksnprintf(buf, size, "a second MADT");
	case ACPI_BAD_LENGTH:
		if (t->detail < MADT_ENTRIES)
			return ksnprintf(buf, size, "length %u is below a MADT's minimum of %u "
					 "bytes", t->detail, MADT_ENTRIES);
		return ksnprintf(buf, size, "length %u is above smplab's limit of %u bytes",
				 t->detail, MAX_TABLE_LEN);
	case ACPI_TRUNCATED:
		return ksnprintf(buf, size, "the entry at offset %u runs past the end",
				 t->detail);
	case ACPI_BAD_ENTRY:
		return ksnprintf(buf, size, "the entry at offset %u is too short for its type",
				 t->detail);
	default:
		return ksnprintf(buf, size, "%s", acpi_error_str(t->error));
	}
}
