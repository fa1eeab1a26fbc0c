/* Unit tests for kernel/acpi/madt.c: tables captured from QEMU 7.2 +
 * SeaBIOS by tools/dump-acpi.py, and hand-built tables for the cases QEMU
 * does not produce (x2APIC entries, XSDT, overrides, damage). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "acpi/madt.h"
#include "tests/unit/fixture.h"

/* ---- physical memory made of chunks ------------------------------------ */

#define MAX_CHUNKS 8

struct chunk {
	uint64_t addr;
	size_t len;
	uint8_t *data;
};

struct memimg {
	size_t n;
	struct chunk c[MAX_CHUNKS];
};

static bool read_img(void *ctx, uint64_t paddr, void *buf, size_t len)
{
	const struct memimg *m = ctx;

	for (size_t i = 0; i < m->n; i++) {
		const struct chunk *c = &m->c[i];

		if (paddr >= c->addr && paddr - c->addr <= c->len &&
		    len <= c->len - (paddr - c->addr)) {
			memcpy(buf, c->data + (paddr - c->addr), len);
			return true;
		}
	}
	return false;
}

static uint8_t *img_at(struct memimg *m, uint64_t paddr)
{
	for (size_t i = 0; i < m->n; i++) {
		if (paddr >= m->c[i].addr && paddr < m->c[i].addr + m->c[i].len)
			return m->c[i].data + (paddr - m->c[i].addr);
	}
	fail_msg("address %#llx not in image", (unsigned long long)paddr);
	return NULL;
}

static uint8_t *img_add(struct memimg *m, uint64_t addr, size_t len)
{
	struct chunk *c = &m->c[m->n++];

	assert_true(m->n <= MAX_CHUNKS);
	c->addr = addr;
	c->len = len;
	c->data = calloc(1, len);
	assert_non_null(c->data);
	return c->data;
}

static void img_free(struct memimg *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->c[i].data);
	free(m);
}

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* Load a chunk file written by tools/dump-acpi.py ("SMPLMEM1" format). */
static struct memimg *load_image(const char *name)
{
	struct memimg *m = calloc(1, sizeof(*m));
	size_t len, pos, data;
	uint8_t *file = slurp(name, &len);
	uint32_t n;

	assert_non_null(m);
	assert_true(len >= 16);
	assert_memory_equal(file, "SMPLMEM1", 8);
	n = (uint32_t)get_le(file + 8, 4);
	assert_true(n <= MAX_CHUNKS);
	data = 16 + 16 * (size_t)n;
	for (pos = 16; pos < 16 + 16 * (size_t)n; pos += 16) {
		uint64_t addr = get_le(file + pos, 8);
		size_t clen = (size_t)get_le(file + pos + 8, 8);

		assert_true(data + clen <= len);
		memcpy(img_add(m, addr, clen), file + data, clen);
		data += clen;
	}
	assert_int_equal(data, len);
	free(file);
	return m;
}

/* ---- hand-built tables --------------------------------------------------- */

static void fix_checksum(uint8_t *table, size_t len, size_t field)
{
	uint8_t sum = 0;

	table[field] = 0;
	for (size_t i = 0; i < len; i++)
		sum += table[i];
	table[field] = (uint8_t)-sum;
}

static void make_header(uint8_t *t, const char *sig, uint32_t len)
{
	memcpy(t, sig, 4);
	put_le(t + 4, len, 4);
	t[8] = 1;				/* revision */
	memcpy(t + 10, "SMPLAB", 6);		/* OEM ID */
	memcpy(t + 16, "UNITTEST", 8);		/* OEM table ID */
	fix_checksum(t, len, 9);
}

struct madt_builder {
	uint8_t buf[16384];
	size_t len;
};

static void mb_init(struct madt_builder *b, uint32_t lapic, uint32_t flags)
{
	memset(b, 0, sizeof(*b));
	put_le(b->buf + 36, lapic, 4);
	put_le(b->buf + 40, flags, 4);
	b->len = 44;
}

static uint8_t *mb_entry(struct madt_builder *b, uint8_t type, uint8_t len)
{
	uint8_t *e = b->buf + b->len;

	assert_true(b->len + len <= sizeof(b->buf));
	e[0] = type;
	e[1] = len;
	b->len += len;
	return e;
}

static void mb_lapic(struct madt_builder *b, uint8_t uid, uint8_t id,
		     uint32_t flags)
{
	uint8_t *e = mb_entry(b, 0, 8);

	e[2] = uid;
	e[3] = id;
	put_le(e + 4, flags, 4);
}

static void mb_x2apic(struct madt_builder *b, uint32_t id, uint32_t flags,
		      uint32_t uid)
{
	uint8_t *e = mb_entry(b, 9, 16);

	put_le(e + 4, id, 4);
	put_le(e + 8, flags, 4);
	put_le(e + 12, uid, 4);
}

static void mb_ioapic(struct madt_builder *b, uint8_t id, uint32_t addr,
		      uint32_t gsi)
{
	uint8_t *e = mb_entry(b, 1, 12);

	e[2] = id;
	put_le(e + 4, addr, 4);
	put_le(e + 8, gsi, 4);
}

static size_t mb_finish(struct madt_builder *b)
{
	make_header(b->buf, "APIC", (uint32_t)b->len);
	return b->len;
}

/* ---- expectations -------------------------------------------------------- */

static void expect_qemu_cpus(const struct madt_info *info,
			     const uint32_t *ids, size_t n)
{
	assert_int_equal(info->lapic_addr, 0xfee00000);
	assert_int_equal(info->flags, 1);
	assert_true(info->pcat_compat);
	assert_int_equal(info->ncpus, n);
	assert_int_equal(info->cpus_dropped, 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(info->cpus[i].apic_id, ids[i]);
		assert_int_equal(info->cpus[i].acpi_uid, i);
		assert_true(info->cpus[i].enabled);
		assert_false(info->cpus[i].online_capable);
		assert_false(info->cpus[i].from_x2apic_entry);
	}
	assert_int_equal(info->nioapics, 1);
	assert_int_equal(info->ioapics[0].id, 0);
	assert_int_equal(info->ioapics[0].addr, 0xfec00000);
	assert_int_equal(info->ioapics[0].gsi_base, 0);
}

static const uint32_t smp4_ids[] = { 0, 1, 2, 3 };
/* -smp 6,sockets=2,cores=3: the core ID takes 2 bits, so socket 1 starts
 * at APIC ID 4 and ID 3 does not exist. */
static const uint32_t smp6_ids[] = { 0, 1, 2, 4, 5, 6 };

static void same_info(const struct madt_info *a, const struct madt_info *b)
{
	assert_int_equal(a->lapic_addr, b->lapic_addr);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->ncpus, b->ncpus);
	for (size_t i = 0; i < a->ncpus; i++) {
		assert_int_equal(a->cpus[i].apic_id, b->cpus[i].apic_id);
		assert_int_equal(a->cpus[i].acpi_uid, b->cpus[i].acpi_uid);
		assert_int_equal(a->cpus[i].enabled, b->cpus[i].enabled);
	}
	assert_int_equal(a->nioapics, b->nioapics);
}

/* ---- madt_parse on captured tables --------------------------------------- */

static void test_parse_qemu_smp4(void **state)
{
	struct madt_info info;
	size_t len;
	uint8_t *madt = slurp("smp4-madt.bin", &len);

	(void)state;
	assert_int_equal(madt_parse(madt, len, &info), ACPI_OK);
	expect_qemu_cpus(&info, smp4_ids, 4);
	free(madt);
}

static void test_parse_qemu_smp6_two_sockets(void **state)
{
	struct madt_info info;
	size_t len;
	uint8_t *madt = slurp("smp6-2s3c-madt.bin", &len);

	(void)state;
	assert_int_equal(madt_parse(madt, len, &info), ACPI_OK);
	expect_qemu_cpus(&info, smp6_ids, 6);
	/* The CPU number of an APIC ID; the gap at 3 is no CPU. */
	assert_int_equal(madt_find(&info, 4), 3);
	assert_int_equal(madt_find(&info, 6), 5);
	assert_int_equal(madt_find(&info, 3), -1);
	free(madt);
}

static void test_parse_truncated_copy(void **state)
{
	struct madt_info info;
	size_t len;
	uint8_t *madt = slurp("smp4-madt.bin", &len);

	(void)state;
	assert_int_equal(madt_parse(madt, len - 1, &info), ACPI_TRUNCATED);
	assert_int_equal(info.ncpus, 0);
	assert_int_equal(madt_parse(madt, 44, &info), ACPI_TRUNCATED);
	assert_int_equal(madt_parse(madt, 7, &info), ACPI_TRUNCATED);
	assert_int_equal(madt_parse(madt, 0, &info), ACPI_TRUNCATED);
	/* More bytes than the table is fine: the header length rules. */
	madt = realloc(madt, len + 100);
	memset(madt + len, 0xee, 100);
	assert_int_equal(madt_parse(madt, len + 100, &info), ACPI_OK);
	expect_qemu_cpus(&info, smp4_ids, 4);
	free(madt);
}

static void test_parse_bad_checksum(void **state)
{
	struct madt_info info;
	size_t len;
	uint8_t *madt = slurp("smp6-2s3c-madt.bin", &len);

	(void)state;
	madt[44 + 3] ^= 0x10;			/* first CPU's APIC ID */
	assert_int_equal(madt_parse(madt, len, &info), ACPI_BAD_CHECKSUM);
	madt[44 + 3] ^= 0x10;
	madt[9]++;				/* the checksum byte itself */
	assert_int_equal(madt_parse(madt, len, &info), ACPI_BAD_CHECKSUM);
	free(madt);
}

static void test_parse_bad_signature_and_length(void **state)
{
	struct madt_info info;
	size_t len;
	uint8_t *madt = slurp("smp4-madt.bin", &len);

	(void)state;
	memcpy(madt, "FACP", 4);
	fix_checksum(madt, len, 9);
	assert_int_equal(madt_parse(madt, len, &info), ACPI_BAD_SIGNATURE);
	memcpy(madt, "APIC", 4);
	put_le(madt + 4, 40, 4);		/* shorter than the MADT header */
	fix_checksum(madt, 40, 9);
	assert_int_equal(madt_parse(madt, len, &info), ACPI_BAD_LENGTH);
	free(madt);
}

static void test_parse_entry_past_end(void **state)
{
	struct madt_info info;
	size_t len;
	uint8_t *madt = slurp("smp4-madt.bin", &len);
	size_t last = 0;

	(void)state;
	for (size_t off = 44; off < len; off += madt[off + 1])
		last = off;
	madt[last + 1]++;			/* one byte too long */
	fix_checksum(madt, len, 9);
	assert_int_equal(madt_parse(madt, len, &info), ACPI_TRUNCATED);
	free(madt);
}

static void test_parse_zero_length_entry(void **state)
{
	struct madt_builder b;
	struct madt_info info;

	(void)state;
	mb_init(&b, 0xfee00000, 0);
	mb_lapic(&b, 0, 0, 1);
	mb_entry(&b, 0x7f, 4)[1] = 0;		/* length 0: would loop forever */
	assert_int_equal(madt_parse(b.buf, mb_finish(&b), &info),
			 ACPI_BAD_ENTRY);
	/* An entry too short for its type is malformed too. */
	mb_init(&b, 0xfee00000, 0);
	mb_entry(&b, 9, 8);
	assert_int_equal(madt_parse(b.buf, mb_finish(&b), &info),
			 ACPI_BAD_ENTRY);
	/* A single byte left after the last entry. */
	mb_init(&b, 0xfee00000, 0);
	mb_lapic(&b, 0, 0, 1);
	b.len++;
	assert_int_equal(madt_parse(b.buf, mb_finish(&b), &info),
			 ACPI_TRUNCATED);
}

/* ---- madt_parse on hand-built tables ------------------------------------- */

static void test_parse_x2apic_override_and_flags(void **state)
{
	struct madt_builder b;
	struct madt_info info;
	uint8_t *e;

	(void)state;
	mb_init(&b, 0xfee00000, 0);
	mb_lapic(&b, 1, 0, 1);			/* enabled */
	mb_lapic(&b, 2, 3, 0);			/* disabled, not hot-pluggable */
	mb_lapic(&b, 3, 8, 2);			/* online capable */
	e = mb_entry(&b, 0x11, 7);		/* unknown type: skipped */
	memset(e + 2, 0xff, 5);
	mb_x2apic(&b, 300, 1, 77);
	mb_x2apic(&b, 0, 1, 99);		/* same CPU as the first entry */
	mb_ioapic(&b, 2, 0xfec01000, 24);
	e = mb_entry(&b, 5, 12);		/* LAPIC address override */
	put_le(e + 4, 0x0000000fee000000ull, 8);
	e = mb_entry(&b, 4, 6);			/* LAPIC NMI: skipped */
	e[2] = 0xff;
	assert_int_equal(madt_parse(b.buf, mb_finish(&b), &info), ACPI_OK);

	assert_int_equal(info.lapic_addr, 0x0000000fee000000ull);
	assert_false(info.pcat_compat);
	assert_int_equal(info.ncpus, 4);
	assert_int_equal(info.cpus[0].apic_id, 0);
	assert_int_equal(info.cpus[0].acpi_uid, 1);
	assert_true(info.cpus[0].enabled);
	assert_false(info.cpus[0].from_x2apic_entry);
	assert_int_equal(info.cpus[1].apic_id, 3);
	assert_false(info.cpus[1].enabled);
	assert_false(info.cpus[1].online_capable);
	assert_int_equal(info.cpus[2].apic_id, 8);
	assert_false(info.cpus[2].enabled);
	assert_true(info.cpus[2].online_capable);
	assert_int_equal(info.cpus[3].apic_id, 300);
	assert_int_equal(info.cpus[3].acpi_uid, 77);
	assert_true(info.cpus[3].enabled);
	assert_true(info.cpus[3].from_x2apic_entry);
	assert_int_equal(info.nioapics, 1);
	assert_int_equal(info.ioapics[0].id, 2);
	assert_int_equal(info.ioapics[0].addr, 0xfec01000);
	assert_int_equal(info.ioapics[0].gsi_base, 24);
}

static void test_parse_too_many_cpus(void **state)
{
	struct madt_builder b;
	struct madt_info info;

	(void)state;
	mb_init(&b, 0xfee00000, 1);
	for (uint32_t i = 0; i < MAX_CPUS + 5; i++)
		mb_x2apic(&b, 2 * i, 1, i);
	for (uint8_t i = 0; i < MAX_IOAPICS + 2; i++)
		mb_ioapic(&b, i, 0xfec00000 + 0x1000u * i, 24u * i);
	assert_int_equal(madt_parse(b.buf, mb_finish(&b), &info), ACPI_OK);
	assert_int_equal(info.ncpus, MAX_CPUS);
	assert_int_equal(info.cpus_dropped, 5);
	assert_int_equal(info.cpus[MAX_CPUS - 1].apic_id, 2 * (MAX_CPUS - 1));
	assert_int_equal(info.nioapics, MAX_IOAPICS);
	assert_int_equal(info.ioapics_dropped, 2);
}

/* ---- acpi_find_madt end to end ------------------------------------------- */

static void find_in_fixture(const char *image, const char *raw,
			    uint64_t want_rsdp, const uint32_t *ids, size_t n)
{
	struct memimg *m = load_image(image);
	struct madt_info found, parsed;
	uint64_t rsdp = 0, madt = 0;
	size_t len;
	uint8_t *bytes = slurp(raw, &len);

	assert_int_equal(acpi_find_madt(read_img, m, &rsdp, &madt, &found, NULL),
			 ACPI_OK);
	assert_int_equal(rsdp, want_rsdp);
	/* The table it found is the one dump-acpi.py saved. */
	assert_memory_equal(img_at(m, madt), bytes, len);
	expect_qemu_cpus(&found, ids, n);
	assert_int_equal(madt_parse(bytes, len, &parsed), ACPI_OK);
	same_info(&found, &parsed);
	free(bytes);
	img_free(m);
}

static void test_find_qemu_smp4(void **state)
{
	(void)state;
	find_in_fixture("smp4.bin", "smp4-madt.bin", 0xf59d0, smp4_ids, 4);
}

static void test_find_qemu_smp6_two_sockets(void **state)
{
	(void)state;
	find_in_fixture("smp6-2s3c.bin", "smp6-2s3c-madt.bin", 0xf5980,
			smp6_ids, 6);
}

static void test_find_optional_out_params(void **state)
{
	struct memimg *m = load_image("smp4.bin");
	struct madt_info info;

	(void)state;
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_OK);
	assert_int_equal(info.ncpus, 4);
	img_free(m);
}

static void test_find_damaged_fixture(void **state)
{
	struct memimg *m = load_image("smp4.bin");
	struct madt_info info;
	uint64_t rsdp, madt;
	uint8_t *p;

	(void)state;
	assert_int_equal(acpi_find_madt(read_img, m, &rsdp, &madt, &info, NULL),
			 ACPI_OK);

	p = img_at(m, madt + 44);		/* MADT body */
	*p ^= 1;
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_BAD_CHECKSUM);
	*p ^= 1;

	p = img_at(m, get_le(img_at(m, rsdp + 16), 4) + 20);	/* RSDT body */
	*p ^= 1;
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_BAD_CHECKSUM);
	*p ^= 1;

	p = img_at(m, madt);			/* MADT signature */
	memcpy(p, "APIX", 4);
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_NO_MADT);
	memcpy(p, "APIC", 4);

	p = img_at(m, rsdp + 8);		/* RSDP checksum */
	(*p)++;
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_BAD_CHECKSUM);
	memset(img_at(m, rsdp), 0, 8);		/* no signature at all */
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_NO_RSDP);
	img_free(m);
}

static void test_find_unreadable(void **state)
{
	struct memimg *m = load_image("smp4.bin");
	struct madt_info info;

	(void)state;
	m->c[m->n - 1].addr += 0x10000000;	/* tables no longer readable */
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_READ_FAILED);
	img_free(m);
}

/* ---- acpi_find_madt on a hand-built ACPI 2.0+ system ---------------------- */

#define EBDA		0x9fc00ull
#define RSDP_AT		(EBDA + 0x40)
#define TABLES		0x100000000ull	/* above 4 GiB: needs the XSDT */
#define XSDT_AT		(TABLES + 0x000)
#define RSDT_AT		0xfe0000ull
#define MADT_X_AT	(TABLES + 0x200)
#define MADT_R_AT	(RSDT_AT + 0x100)
#define HPET_AT		(TABLES + 0x100)

/* RSDP rev 2 in the EBDA -> XSDT -> {HPET, MADT with x2APIC CPUs 1,7};
 * RSDT -> MADT with one xAPIC CPU, to show which root is used. */
static struct memimg *acpi2_system(void)
{
	struct memimg *m = calloc(1, sizeof(*m));
	struct madt_builder b;
	uint8_t *bda, *ebda, *tables, *low, *rsdp, *t;

	assert_non_null(m);
	bda = img_add(m, 0x400, 0x100);
	ebda = img_add(m, EBDA, 0x400);
	img_add(m, 0xe0000, 0x20000);
	tables = img_add(m, TABLES, 0x1000);
	low = img_add(m, RSDT_AT, 0x1000);

	put_le(bda + 0x0e, EBDA >> 4, 2);

	rsdp = ebda + (RSDP_AT - EBDA);
	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + 9, "SMPLAB", 6);
	rsdp[15] = 2;
	put_le(rsdp + 16, RSDT_AT, 4);
	put_le(rsdp + 20, 36, 4);
	put_le(rsdp + 24, XSDT_AT, 8);
	fix_checksum(rsdp, 20, 8);
	fix_checksum(rsdp, 36, 32);

	t = tables + (XSDT_AT - TABLES);
	put_le(t + 36, 0, 8);			/* a null entry is skipped */
	put_le(t + 44, HPET_AT, 8);
	put_le(t + 52, MADT_X_AT, 8);
	make_header(t, "XSDT", 60);

	make_header(tables + (HPET_AT - TABLES), "HPET", 56);

	mb_init(&b, 0xfee00000, 1);
	mb_x2apic(&b, 1, 1, 0);
	mb_x2apic(&b, 7, 1, 1);
	memcpy(tables + (MADT_X_AT - TABLES), b.buf, mb_finish(&b));

	put_le(low + 36, MADT_R_AT, 4);
	make_header(low, "RSDT", 40);
	mb_init(&b, 0xfee00000, 1);
	mb_lapic(&b, 0, 5, 1);
	memcpy(low + (MADT_R_AT - RSDT_AT), b.buf, mb_finish(&b));
	return m;
}

/* A multiboot 2 loader's copy of the RSDP leads to the same tables, with no
 * search: here the RSDP is wiped from memory after it was copied. */
static void test_find_from_rsdp_copy(void **state)
{
	struct memimg *m = acpi2_system();
	struct madt_info info;
	uint8_t copy[36];
	uint64_t madt = 0;

	(void)state;
	memcpy(copy, img_at(m, RSDP_AT), sizeof(copy));
	memset(img_at(m, RSDP_AT), 0, sizeof(copy));
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL), ACPI_NO_RSDP);
	assert_int_equal(acpi_find_madt_from_rsdp(read_img, m, copy, sizeof(copy),
						  &madt, &info, NULL), ACPI_OK);
	assert_int_equal(madt, MADT_X_AT);		/* through the XSDT */
	assert_int_equal(info.ncpus, 2);
	assert_int_equal(info.cpus[1].apic_id, 7);

	/* Revision 0 (the "old" tag): 20 bytes, the RSDT. */
	copy[15] = 0;
	fix_checksum(copy, 20, 8);
	assert_int_equal(acpi_find_madt_from_rsdp(read_img, m, copy, 20, &madt, &info, NULL),
			 ACPI_OK);
	assert_int_equal(madt, MADT_R_AT);
	assert_int_equal(info.cpus[0].apic_id, 5);

	/* Damaged or cut copies are refused, and say why. */
	copy[9] ^= 1;
	assert_int_equal(acpi_find_madt_from_rsdp(read_img, m, copy, 20, &madt, &info, NULL),
			 ACPI_BAD_CHECKSUM);
	copy[9] ^= 1;
	assert_int_equal(acpi_find_madt_from_rsdp(read_img, m, copy, 12, &madt, &info, NULL),
			 ACPI_TRUNCATED);
	memcpy(copy, "RSD PTX ", 8);
	assert_int_equal(acpi_find_madt_from_rsdp(read_img, m, copy, 20, &madt, &info, NULL),
			 ACPI_NO_RSDP);
	img_free(m);
}

static void test_find_xsdt_in_ebda(void **state)
{
	struct memimg *m = acpi2_system();
	struct madt_info info;
	uint64_t rsdp, madt;

	(void)state;
	assert_int_equal(acpi_find_madt(read_img, m, &rsdp, &madt, &info, NULL),
			 ACPI_OK);
	assert_int_equal(rsdp, RSDP_AT);
	assert_int_equal(madt, MADT_X_AT);
	assert_int_equal(info.ncpus, 2);
	assert_int_equal(info.cpus[0].apic_id, 1);
	assert_int_equal(info.cpus[1].apic_id, 7);
	assert_true(info.cpus[1].from_x2apic_entry);
	img_free(m);
}

static void test_find_rsdt_when_xsdt_zero(void **state)
{
	struct memimg *m = acpi2_system();
	uint8_t *rsdp = img_at(m, RSDP_AT);
	struct madt_info info;
	uint64_t madt;

	(void)state;
	put_le(rsdp + 24, 0, 8);
	fix_checksum(rsdp, 36, 32);
	assert_int_equal(acpi_find_madt(read_img, m, NULL, &madt, &info, NULL),
			 ACPI_OK);
	assert_int_equal(madt, MADT_R_AT);
	assert_int_equal(info.ncpus, 1);
	assert_int_equal(info.cpus[0].apic_id, 5);

	/* Revision 0 ignores the XSDT field altogether. */
	put_le(rsdp + 24, XSDT_AT, 8);
	rsdp[15] = 0;
	fix_checksum(rsdp, 20, 8);
	assert_int_equal(acpi_find_madt(read_img, m, NULL, &madt, &info, NULL),
			 ACPI_OK);
	assert_int_equal(madt, MADT_R_AT);
	img_free(m);
}

static void test_find_extended_checksum(void **state)
{
	struct memimg *m = acpi2_system();
	uint8_t *rsdp = img_at(m, RSDP_AT);
	struct madt_info info;

	(void)state;
	rsdp[33]++;				/* reserved byte, in the v2 sum only */
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_BAD_CHECKSUM);
	rsdp[33]--;
	put_le(rsdp + 20, 20, 4);		/* v2 length too small */
	fix_checksum(rsdp, 36, 32);
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_BAD_LENGTH);
	img_free(m);
}

static void test_find_bios_area_when_ebda_empty(void **state)
{
	struct memimg *m = acpi2_system();
	uint8_t *rsdp = img_at(m, RSDP_AT);
	struct madt_info info;
	uint64_t found;

	(void)state;
	memcpy(img_at(m, 0xfffd0), rsdp, 36);	/* near the end */
	memset(rsdp, 0, 36);
	assert_int_equal(acpi_find_madt(read_img, m, &found, NULL, &info, NULL),
			 ACPI_OK);
	assert_int_equal(found, 0xfffd0);
	/* With no EBDA pointer the BIOS area is still searched. */
	put_le(img_at(m, 0x40e), 0, 2);
	assert_int_equal(acpi_find_madt(read_img, m, &found, NULL, &info, NULL),
			 ACPI_OK);
	img_free(m);
}

static void test_find_no_madt(void **state)
{
	struct memimg *m = acpi2_system();
	uint8_t *xsdt = img_at(m, XSDT_AT);
	struct madt_info info;

	(void)state;
	make_header(xsdt, "XSDT", 52);		/* drop the MADT pointer */
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_NO_MADT);
	memcpy(xsdt, "RSDT", 4);		/* wrong root signature */
	assert_int_equal(acpi_find_madt(read_img, m, NULL, NULL, &info, NULL),
			 ACPI_BAD_SIGNATURE);
	img_free(m);
}

/* ---- several "APIC" tables in the root ------------------------------------ */

#define MADT_A_AT	(TABLES + 0x400)
#define MADT_B_AT	(TABLES + 0x600)
#define NOWHERE		0x200000000ull	/* not in the image: unreadable */

static const uint32_t ids_a[] = { 1, 7 };
static const uint32_t ids_b[] = { 2, 3, 4 };

/* A MADT at addr with one enabled x2APIC CPU per ID; returns its length. */
static size_t put_madt(struct memimg *m, uint64_t addr, const uint32_t *ids, size_t n)
{
	struct madt_builder b;

	mb_init(&b, 0xfee00000, 1);
	for (size_t i = 0; i < n; i++)
		mb_x2apic(&b, ids[i], 1, (uint32_t)i);
	memcpy(img_at(m, addr), b.buf, mb_finish(&b));
	return b.len;
}

/* acpi2_system with its XSDT listing these tables (the first MADT_X_AT's
 * slot is replaced: MADT_A then MADT_B, with ids_a and ids_b). */
static struct memimg *two_madts(const uint64_t *list, size_t n)
{
	struct memimg *m = acpi2_system();
	uint8_t *xsdt = img_at(m, XSDT_AT);

	put_madt(m, MADT_A_AT, ids_a, 2);
	put_madt(m, MADT_B_AT, ids_b, 3);
	for (size_t i = 0; i < n; i++)
		put_le(xsdt + 36 + 8 * i, list[i], 8);
	make_header(xsdt, "XSDT", 36 + 8 * (uint32_t)n);
	return m;
}

static const uint64_t hpet_a_b[] = { HPET_AT, MADT_A_AT, MADT_B_AT };

static void expect_cpus(const struct madt_info *info, const uint32_t *ids, size_t n)
{
	assert_int_equal(info->ncpus, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(info->cpus[i].apic_id, ids[i]);
}

static void expect_ignored(const struct madt_ignored_list *l, size_t i, uint64_t addr,
			   enum acpi_error error, const char *why)
{
	char text[128];

	assert_true(i < l->count && i < MADT_IGNORED_MAX);
	assert_int_equal(l->tables[i].addr, addr);
	assert_int_equal(l->tables[i].error, error);
	madt_ignored_str(&l->tables[i], text, sizeof(text));
	assert_string_equal(text, why);
}

/* Find the MADT in m: expect err, and which table (if any) was used. */
static void find_expecting(struct memimg *m, enum acpi_error err, uint64_t used,
			   struct madt_info *info, struct madt_ignored_list *ignored)
{
	uint64_t madt = 0;

	assert_int_equal(acpi_find_madt(read_img, m, NULL, &madt, info, ignored), err);
	assert_int_equal(madt, used);
}

/* One of MADT_A and MADT_B is used, its CPUs found; the other is ignored. */
static void one_used_one_ignored(struct memimg *m, uint64_t used, enum acpi_error error,
				 const char *why)
{
	struct madt_ignored_list ignored;
	struct madt_info info;
	bool a = used == MADT_A_AT;

	find_expecting(m, ACPI_OK, used, &info, &ignored);
	expect_cpus(&info, a ? ids_a : ids_b, a ? 2 : 3);
	assert_int_equal(ignored.count, 1);
	expect_ignored(&ignored, 0, a ? MADT_B_AT : MADT_A_AT, error, why);
}

static void test_root_second_madt_ignored(void **state)
{
	struct memimg *m = two_madts(hpet_a_b, 3);

	(void)state;
	one_used_one_ignored(m, MADT_A_AT, ACPI_OK, "a second MADT");
	img_free(m);
}

static void test_root_bad_checksum_then_good(void **state)
{
	struct memimg *m = two_madts(hpet_a_b, 3);

	(void)state;
	img_at(m, MADT_A_AT)[9]++;
	one_used_one_ignored(m, MADT_B_AT, ACPI_BAD_CHECKSUM, "bad checksum");
	img_free(m);
}

static void test_root_wrong_length(void **state)
{
	struct memimg *m = two_madts(hpet_a_b, 3);
	uint8_t *a = img_at(m, MADT_A_AT);

	(void)state;
	put_le(a + 4, 40, 4);			/* the length is checked before the sum */
	one_used_one_ignored(m, MADT_B_AT, ACPI_BAD_LENGTH,
			     "length 40 is below a MADT's minimum of 44 bytes");
	put_le(a + 4, 3u << 20, 4);		/* 3 MiB */
	one_used_one_ignored(m, MADT_B_AT, ACPI_BAD_LENGTH,
			     "length 3145728 is above smplab's limit of 1048576 bytes");
	/* Longer than memory: the end cannot be read. */
	put_le(a + 4, 0x1000 - 0x400 + 1, 4);
	one_used_one_ignored(m, MADT_B_AT, ACPI_READ_FAILED, "could not read physical memory");
	img_free(m);
}

static void test_root_entry_overflow(void **state)
{
	struct memimg *m = two_madts(hpet_a_b, 3);
	uint8_t *a = img_at(m, MADT_A_AT);

	(void)state;
	a[44 + 16 + 1]++;			/* the second x2APIC entry: 17 bytes */
	fix_checksum(a, 44 + 2 * 16, 9);
	one_used_one_ignored(m, MADT_B_AT, ACPI_TRUNCATED,
			     "the entry at offset 60 runs past the end");
	a[44 + 16 + 1] = 8;			/* too short for an x2APIC entry */
	fix_checksum(a, 44 + 2 * 16, 9);
	one_used_one_ignored(m, MADT_B_AT, ACPI_BAD_ENTRY,
			     "the entry at offset 60 is too short for its type");
	img_free(m);
}

static void test_root_all_bad(void **state)
{
	struct memimg *m = two_madts(hpet_a_b, 3);
	struct madt_ignored_list ignored;
	struct madt_info info;

	(void)state;
	img_at(m, MADT_A_AT)[9]++;
	make_header(img_at(m, MADT_B_AT), "APIC", 40);
	find_expecting(m, ACPI_BAD_CHECKSUM, 0, &info, &ignored);	/* the first's */
	assert_int_equal(info.ncpus, 0);
	assert_int_equal(ignored.count, 2);
	expect_ignored(&ignored, 0, MADT_A_AT, ACPI_BAD_CHECKSUM, "bad checksum");
	expect_ignored(&ignored, 1, MADT_B_AT, ACPI_BAD_LENGTH,
		       "length 40 is below a MADT's minimum of 44 bytes");
	img_free(m);
}

/* More tables than the list keeps: all counted; a sound one before a
 * broken one; an entry that leads nowhere passed over. */
static void test_root_many_and_unreadable(void **state)
{
	const uint64_t list[] = { NOWHERE, MADT_A_AT, MADT_B_AT, MADT_B_AT, MADT_A_AT,
				  MADT_B_AT, MADT_X_AT };
	struct memimg *m = two_madts(list, 7);
	struct madt_ignored_list ignored;
	struct madt_info info;

	(void)state;
	find_expecting(m, ACPI_OK, MADT_A_AT, &info, &ignored);
	assert_int_equal(ignored.count, 5);
	for (size_t i = 0; i < MADT_IGNORED_MAX; i++)
		expect_ignored(&ignored, i, list[i + 2], ACPI_OK, "a second MADT");

	/* Only a pointer to nowhere: no MADT, and the reason is the read. */
	img_free(m);
	m = two_madts(list, 1);
	find_expecting(m, ACPI_READ_FAILED, 0, &info, &ignored);
	assert_int_equal(ignored.count, 0);
	img_free(m);
}

static void test_error_strings(void **state)
{
	(void)state;
	for (int e = ACPI_OK; e <= ACPI_BAD_ENTRY; e++) {
		const char *s = acpi_error_str((enum acpi_error)e);

		assert_non_null(s);
		for (int f = ACPI_OK; f < e; f++)
			assert_string_not_equal(s, acpi_error_str((enum acpi_error)f));
	}
	assert_string_equal(acpi_error_str(ACPI_OK), "ok");
	assert_string_equal(acpi_error_str(ACPI_BAD_CHECKSUM), "bad checksum");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_qemu_smp4),
		cmocka_unit_test(test_parse_qemu_smp6_two_sockets),
		cmocka_unit_test(test_parse_truncated_copy),
		cmocka_unit_test(test_parse_bad_checksum),
		cmocka_unit_test(test_parse_bad_signature_and_length),
		cmocka_unit_test(test_parse_entry_past_end),
		cmocka_unit_test(test_parse_zero_length_entry),
		cmocka_unit_test(test_parse_x2apic_override_and_flags),
		cmocka_unit_test(test_parse_too_many_cpus),
		cmocka_unit_test(test_find_qemu_smp4),
		cmocka_unit_test(test_find_qemu_smp6_two_sockets),
		cmocka_unit_test(test_find_optional_out_params),
		cmocka_unit_test(test_find_damaged_fixture),
		cmocka_unit_test(test_find_unreadable),
		cmocka_unit_test(test_find_xsdt_in_ebda),
		cmocka_unit_test(test_find_from_rsdp_copy),
		cmocka_unit_test(test_find_rsdt_when_xsdt_zero),
		cmocka_unit_test(test_find_extended_checksum),
		cmocka_unit_test(test_find_bios_area_when_ebda_empty),
		cmocka_unit_test(test_find_no_madt),
		cmocka_unit_test(test_root_second_madt_ignored),
		cmocka_unit_test(test_root_bad_checksum_then_good),
		cmocka_unit_test(test_root_wrong_length),
		cmocka_unit_test(test_root_entry_overflow),
		cmocka_unit_test(test_root_all_bad),
		cmocka_unit_test(test_root_many_and_unreadable),
		cmocka_unit_test(test_error_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
