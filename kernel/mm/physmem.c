#include "lib/string.h"
#include "mm/physmem.h"

bool phys_read(void *ctx, uint64_t paddr, void *buf, size_t len)
{
	(void)ctx;
	if (paddr >= IDENTITY_MAP_END || len > IDENTITY_MAP_END - paddr)
		return false;
	memcpy(buf, (const void *)paddr, len);
	return true;
}

bool phys_read_entry(void *ctx, uint64_t paddr, uint64_t *value)
{
	(void)ctx;
	if (paddr >= IDENTITY_MAP_END || (paddr & 7))
		return false;
	*value = *(const volatile uint64_t *)paddr;
	return true;
}
