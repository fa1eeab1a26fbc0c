/* The search for the MADT (kernel/acpi/rsdp.c, table.c, madt.c): the RSDP
 * in the EBDA or the BIOS area, then the RSDT or XSDT, then every "APIC"
 * table, over an image of physical memory in the format of the fixtures
 * tools/dump-acpi.py writes (the seeds are QEMU's own tables):
 *   "SMPLMEM1", u32 chunk count, u32 zero,
 *   per chunk: u64 physical address, u64 length; then the chunks' bytes.
 * Each image is searched as it is, then again with the checksum of every
 * RSDP, RSDT, XSDT and MADT in it made right, so that mutations reach the
 * fields the checksums guard. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/madt.h"
#include "fuzz_input.h"

#define MAX_CHUNKS	8
#define RSDP_V1_LEN	20	/* ACPI 6.5 5.2.5.3: what the first checksum covers */
#define RSDP_V2_LEN	36
#define HDR_LEN		36	/* 5.2.6: the table header */

/* The harness's own loops over the image are not the code under test: no
 * coverage for them, which would also slow every run down several times. */
#define HARNESS __attribute__((no_sanitize("coverage"), noinline))

struct chunk {
	uint64_t addr;
	uint64_t len;
	uint8_t *bytes;
};

struct image {
	size_t n;
	struct chunk c[MAX_CHUNKS];
};

static struct madt_info info;
static struct madt_ignored_list ignored;

HARNESS static bool read_image(void *ctx, uint64_t paddr, void *buf, size_t len)
{
	const struct image *m = ctx;

	for (size_t i = 0; i < m->n; i++) {
		const struct chunk *c = &m->c[i];

		if (paddr >= c->addr && paddr - c->addr <= c->len &&
		    len <= c->len - (paddr - c->addr)) {
			memcpy(buf, c->bytes + (paddr - c->addr), len);
			return true;
		}
	}
	return false;
}

/* False when the input is not an image; a chunk cut short keeps what is there. */
static bool load_image(struct fuzz_input in, struct image *m)
{
	if (in.size < 16 || memcmp(in.data, "SMPLMEM1", 8) != 0)
		return false;
	take_u64(&in);
	m->n = take_u32(&in);
	take_u32(&in);
	if (m->n > MAX_CHUNKS)
		return false;
	for (size_t i = 0; i < m->n; i++) {
		m->c[i].addr = take_u64(&in);
		m->c[i].len = take_u64(&in);
	}
	for (size_t i = 0; i < m->n; i++) {
		struct chunk *c = &m->c[i];

		if (c->len > in.size)
			c->len = in.size;
		c->bytes = malloc(c->len ? c->len : 1);
		memcpy(c->bytes, in.data, c->len);
		in.data += c->len;
		in.size -= c->len;
	}
	return true;
}

static void free_image(struct image *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->c[i].bytes);
}

static uint32_t le32_at(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Set the byte at p[at] so that the n bytes at p add up to 0. */
HARNESS static void fix_sum(uint8_t *p, size_t n, size_t at)
{
	uint8_t sum = 0;

	p[at] = 0;
	for (size_t i = 0; i < n; i++)
		sum += p[i];
	p[at] = (uint8_t)-sum;
}

/* Fix every checksum; returns the first RSDP (or NULL) and its room. */
HARNESS static bool is_signature(const uint8_t *p, const char *sig, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != (uint8_t)sig[i])
			return false;
	return true;
}

HARNESS static const uint8_t *fix_checksums(struct image *m, size_t *rsdp_room)
{
	const uint8_t *rsdp = NULL;

	for (size_t i = 0; i < m->n; i++) {
		uint8_t *b = m->c[i].bytes;
		uint64_t len = m->c[i].len;

		for (uint64_t off = 0; off + 8 <= len; off++) {
			uint8_t *p = b + off;
			uint64_t room = len - off;

			if (p[0] != 'R' && p[0] != 'X' && p[0] != 'A')
				continue;
			if ((m->c[i].addr + off) % 16 == 0 && is_signature(p, "RSD PTR ", 8) &&
			    room >= RSDP_V1_LEN) {
				fix_sum(p, RSDP_V1_LEN, 8);
				if (p[15] >= 2 && room >= RSDP_V2_LEN && le32_at(p + 20) >= RSDP_V2_LEN &&
				    le32_at(p + 20) <= RSDP_MAX_LEN && le32_at(p + 20) <= room)
					fix_sum(p, le32_at(p + 20), 32);
				if (!rsdp) {
					rsdp = p;
					*rsdp_room = room < RSDP_MAX_LEN ? room : RSDP_MAX_LEN;
				}
			}
			if (room >= HDR_LEN && (is_signature(p, "RSDT", 4) || is_signature(p, "XSDT", 4) ||
						is_signature(p, "APIC", 4)) &&
			    le32_at(p + 4) >= HDR_LEN && le32_at(p + 4) <= room)
				fix_sum(p, le32_at(p + 4), 9);
		}
	}
	return rsdp;
}

/* No CPUs unless a MADT was used; every "APIC" table ignored has a reason
 * that fits a line. */
static void check(enum acpi_error e)
{
	char why[128];

	if (!acpi_error_str(e) || info.ncpus > MAX_CPUS || info.nioapics > MAX_IOAPICS)
		abort();
	if (e != ACPI_OK && info.ncpus != 0)
		abort();
	for (size_t i = 0; i < ignored.count && i < MADT_IGNORED_MAX; i++) {
		const struct madt_ignored *t = &ignored.tables[i];
		int n = madt_ignored_str(t, why, sizeof(why));

		if (n <= 0 || (size_t)n >= sizeof(why))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image m;
	uint64_t rsdp_addr, madt_addr;
	size_t rsdp_room = 0;

	if (!load_image((struct fuzz_input){ data, size }, &m))
		return 0;
	check(acpi_find_madt(read_image, &m, &rsdp_addr, &madt_addr, &info, &ignored));

	const uint8_t *rsdp = fix_checksums(&m, &rsdp_room);

	check(acpi_find_madt(read_image, &m, &rsdp_addr, &madt_addr, &info, &ignored));
	if (rsdp)
		check(acpi_find_madt_from_rsdp(read_image, &m, rsdp, rsdp_room,
					       &madt_addr, &info, &ignored));
	free_image(&m);
	return 0;
}
