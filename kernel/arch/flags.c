/* Bit names of CR0, CR4, EFER, RFLAGS and page-table entries. */
#include "arch/flags.h"

#include <stdbool.h>

#include "lib/string.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Intel SDM Vol 3A 2.5, "Control Registers". */
const struct flag_name cr0_flags[] = {
	{ 0, "PE" }, { 1, "MP" }, { 2, "EM" }, { 3, "TS" }, { 4, "ET" },
	{ 5, "NE" }, { 16, "WP" }, { 18, "AM" }, { 29, "NW" }, { 30, "CD" },
	{ 31, "PG" },
};
const size_t cr0_flags_count = COUNT(cr0_flags);

/* Intel SDM Vol 3A 2.5, "Control Registers". */
const struct flag_name cr4_flags[] = {
	{ 0, "VME" }, { 1, "PVI" }, { 2, "TSD" }, { 3, "DE" }, { 4, "PSE" },
	{ 5, "PAE" }, { 6, "MCE" }, { 7, "PGE" }, { 8, "PCE" },
	{ 9, "OSFXSR" }, { 10, "OSXMMEXCPT" }, { 11, "UMIP" }, { 12, "LA57" },
	{ 13, "VMXE" }, { 14, "SMXE" }, { 16, "FSGSBASE" }, { 17, "PCIDE" },
	{ 18, "OSXSAVE" }, { 20, "SMEP" }, { 21, "SMAP" }, { 22, "PKE" },
};
const size_t cr4_flags_count = COUNT(cr4_flags);

/* IA32_EFER, MSR 0xC0000080: Intel SDM Vol 3A 2.2.1; SVME (bit 12) is
 * AMD's, APM Vol 2 3.1.7. */
const struct flag_name efer_flags[] = {
	{ 0, "SCE" }, { 8, "LME" }, { 10, "LMA" }, { 11, "NXE" },
	{ 12, "SVME" },
};
const size_t efer_flags_count = COUNT(efer_flags);

/* Intel SDM Vol 1 3.4.3, "EFLAGS Register" (IOPL, bits 12-13, not named). */
const struct flag_name rflags_flags[] = {
	{ 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" }, { 7, "SF" },
	{ 8, "TF" }, { 9, "IF" }, { 10, "DF" }, { 11, "OF" }, { 14, "NT" },
	{ 16, "RF" }, { 17, "VM" }, { 18, "AC" }, { 19, "VIF" },
	{ 20, "VIP" }, { 21, "ID" },
};
const size_t rflags_flags_count = COUNT(rflags_flags);

/* Intel SDM Vol 3A 4.5 (paging-structure entry formats).  Bit 7 is PS in
 * a PDPTE or PDE; in a 4 KiB PTE the same bit is PAT. */
const struct flag_name pte_flags[] = {
	{ 0, "P" }, { 1, "RW" }, { 2, "US" }, { 3, "PWT" }, { 4, "PCD" },
	{ 5, "A" }, { 6, "D" }, { 7, "PS" }, { 8, "G" }, { 63, "NX" },
};
const size_t pte_flags_count = COUNT(pte_flags);

size_t format_flags(char *buf, size_t size, uint64_t value,
		    const struct flag_name *names, size_t n)
{
	size_t len = 0;

	if (size == 0)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t name_len;
		bool sep = len > 0;

		if (!((value >> names[i].bit) & 1))
			continue;
		name_len = strlen(names[i].name);
		if (len + sep + name_len + 1 > size)
			break;
		if (sep)
			buf[len++] = ' ';
		memcpy(buf + len, names[i].name, name_len + 1);
		len += name_len;
	}
	return len;
}
