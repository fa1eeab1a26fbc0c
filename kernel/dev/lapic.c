#include "arch/cpu.h"
#include "arch/flags.h"
#include "dev/lapic.h"
#include "dev/tsc.h"
#include "lib/format.h"

/* IA32_APIC_BASE MSR bits (SDM Vol 3A 10.4.4, figure 10-5). */
#define APIC_BASE_BSP		(1ull << 8)
#define APIC_BASE_X2APIC	(1ull << 10)
#define APIC_BASE_ENABLE	(1ull << 11)
#define APIC_BASE_ADDR_MASK	0x000FFFFFFFFFF000ull
#define CPUID_1_ECX_X2APIC	(1u << 21)
#define X2APIC_MSR_BASE		0x800
#define X2APIC_MSR_ICR		0x830	/* one 64-bit MSR in x2APIC mode (10.12.9) */
#define IPI_DELIVERY_TIMEOUT_US	10000

static enum lapic_mode mode;
static bool x2apic_from_firmware;
static volatile uint32_t *mmio;

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);

	/* UEFI firmware on machines with many CPUs hands over in x2APIC
	 * mode; going back to xAPIC would need the APIC disabled first
	 * (SDM Vol 3A 10.12.5, figure 10-27), and the CPUID check below
	 * keeps x2APIC, since a CPU in x2APIC mode reports it. */
	if (base & APIC_BASE_BSP) {
		x2apic_from_firmware = (base & APIC_BASE_ENABLE) && (base & APIC_BASE_X2APIC);
		mode = (cpuid(1, 0).ecx & CPUID_1_ECX_X2APIC) ? LAPIC_X2APIC
							      : LAPIC_XAPIC;
	}
	/* xAPIC must be enabled before x2APIC can be (10.12.5). */
	base |= APIC_BASE_ENABLE;
	wrmsr(MSR_IA32_APIC_BASE, base);
	if (mode == LAPIC_X2APIC)
		wrmsr(MSR_IA32_APIC_BASE, base | APIC_BASE_X2APIC);
	else
		mmio = (volatile uint32_t *)(base & APIC_BASE_ADDR_MASK);

	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
}

enum lapic_mode lapic_mode(void)
{
	return mode;
}

bool lapic_x2apic_from_firmware(void)
{
	return x2apic_from_firmware;
}

const char *lapic_mode_name(void)
{
	return mode == LAPIC_X2APIC ? "x2APIC" : "xAPIC";
}

uint64_t lapic_base(void)
{
	return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_ADDR_MASK;
}

bool lapic_is_bsp(void)
{
	return rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_BSP;
}

uint32_t lapic_read(uint32_t reg)
{
	if (mode == LAPIC_X2APIC)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + reg / 16);
	return mmio[reg / 4];
}

void lapic_write(uint32_t reg, uint32_t value)
{
	if (mode == LAPIC_X2APIC)
		wrmsr(X2APIC_MSR_BASE + reg / 16, value);
	else
		mmio[reg / 4] = value;
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_ID);

	/* xAPIC keeps the 8-bit ID in bits 31:24; x2APIC uses all 32 (10.12.5.1). */
	return mode == LAPIC_X2APIC ? id : id >> 24;
}

uint32_t lapic_read_esr(void)
{
	lapic_write(LAPIC_ESR, 0);
	return lapic_read(LAPIC_ESR);
}

struct ipi_result lapic_send_ipi(uint32_t dest, uint32_t icr_low)
{
	struct ipi_result r = { .sent = true };

	lapic_write(LAPIC_ESR, 0);
	if (mode == LAPIC_X2APIC) {
		/* x2APIC: 32-bit destination in bits 63:32, one write sends. */
		r.icr = (uint64_t)dest << 32 | icr_low;
		/* A WRMSR to an x2APIC register is not serializing and may
		 * complete before earlier stores are visible (SDM Vol 3A 10.12.3):
		 * the mailbox, cpu_data and record stores the AP will read must
		 * be out before the IPI is. MFENCE orders the stores, LFENCE
		 * keeps the WRMSR from starting before the MFENCE is done. */
		__asm__ volatile("mfence; lfence" : : : "memory");
		wrmsr(X2APIC_MSR_ICR, r.icr);
	} else {
		/* xAPIC: 8-bit destination in ICR high bits 31:24; the write of
		 * the low half sends, and delivery status tells when the APIC
		 * has accepted it (10.6.1). */
		r.icr = (uint64_t)(dest << 24) << 32 | icr_low;
		mmio[LAPIC_ICR_HIGH / 4] = dest << 24;
		mmio[LAPIC_ICR_LOW / 4] = icr_low;
		uint64_t deadline = rdtsc() + IPI_DELIVERY_TIMEOUT_US * (tsc_hz() / 1000000);
		while (mmio[LAPIC_ICR_LOW / 4] & ICR_DELIVERY_PENDING) {
			if (rdtsc() > deadline) {
				r.sent = false;
				break;
			}
			cpu_relax();
		}
	}
	r.esr = lapic_read_esr();
	return r;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

/* Error Status Register bits (SDM Vol 3A 10.5.3, figure 10-9). */
static const struct flag_name esr_flags[] = {
	{ 0, "send-checksum" }, { 1, "receive-checksum" },
	{ 2, "send-accept" }, { 3, "receive-accept" },
	{ 4, "redirectable-IPI" }, { 5, "send-illegal-vector" },
	{ 6, "receive-illegal-vector" }, { 7, "illegal-register-address" },
};

void lapic_format_esr(char *buf, size_t size, uint32_t esr)
{
	if (!esr) {
		ksnprintf(buf, size, "no errors");
		return;
	}
	format_flags(buf, size, esr, esr_flags, sizeof(esr_flags) / sizeof(esr_flags[0]));
}
