/* The MADT parser (kernel/acpi/madt.c) over one table, header included.
 * Each input is parsed twice: as it is, and with its checksum made right,
 * so that mutations reach the entries behind the checksum. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/madt.h"

#define CHECKSUM_OFFSET 9	/* ACPI 6.5 5.2.6: the byte that makes the sum 0 */

static struct madt_info info;

static void parse_and_check(const uint8_t *table, size_t len)
{
	memset(&info, 0, sizeof(info));
	if (!acpi_error_str(madt_parse(table, len, &info)))
		abort();
	if (info.ncpus > MAX_CPUS || info.nioapics > MAX_IOAPICS)
		abort();
	/* One entry per APIC ID, and madt_find finds each. */
	for (size_t i = 0; i < info.ncpus; i++)
		if (madt_find(&info, info.cpus[i].apic_id) != (int)i)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parse_and_check(data, size);
	if (size <= CHECKSUM_OFFSET)
		return 0;

	uint8_t *fixed = malloc(size);
	uint32_t length = (uint32_t)data[4] | (uint32_t)data[5] << 8 |
			  (uint32_t)data[6] << 16 | (uint32_t)data[7] << 24;
	uint8_t sum = 0;

	memcpy(fixed, data, size);
	fixed[CHECKSUM_OFFSET] = 0;
	for (size_t i = 0; i < size && i < length; i++)
		sum += fixed[i];
	fixed[CHECKSUM_OFFSET] = (uint8_t)-sum;
	parse_and_check(fixed, size);
	free(fixed);
	return 0;
}
