/* The local APIC, in either of its two programming interfaces behind one
 * set of functions (SDM Vol 3A chapter 10):
 *   xAPIC   registers are 32-bit MMIO at the APIC base (default 0xFEE00000)
 *   x2APIC  the same registers are MSRs 0x800 + offset/16 (10.12.1.2)
 * Callers name registers by their xAPIC offset. */
#ifndef DEV_LAPIC_H
#define DEV_LAPIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAPIC_ID	0x020
#define LAPIC_VERSION	0x030
#define LAPIC_TPR	0x080
#define LAPIC_EOI	0x0B0
#define LAPIC_SVR	0x0F0
#define LAPIC_ESR	0x280
#define LAPIC_ICR_LOW	0x300
#define LAPIC_ICR_HIGH	0x310

#define LAPIC_SVR_ENABLE	(1u << 8)
#define LAPIC_SPURIOUS_VECTOR	0xFF

/* Interrupt Command Register, low half (SDM Vol 3A 10.6.1, figure 10-12). */
#define ICR_FIXED		(0u << 8)
#define ICR_INIT		(5u << 8)
#define ICR_STARTUP		(6u << 8)
#define ICR_DELIVERY_PENDING	(1u << 12)	/* xAPIC only */
#define ICR_LEVEL_ASSERT	(1u << 14)
#define ICR_TRIGGER_LEVEL	(1u << 15)
#define ICR_ALL_INCLUDING_SELF	(2u << 18)	/* destination shorthands */
#define ICR_ALL_BUT_SELF	(3u << 18)

enum lapic_mode { LAPIC_XAPIC, LAPIC_X2APIC };

/* What an IPI write did, for the monitor to show. */
struct ipi_result {
	uint64_t icr;		/* the full ICR value written (destination in the high half) */
	/* xAPIC: the delivery status went back to idle, so the local APIC has
	 * sent it (SDM Vol 3A 10.6.1); whether a target accepted it only the
	 * ESR can tell. x2APIC: the ICR has no delivery status (10.12.9), so
	 * true once written. */
	bool sent;
	uint32_t esr;		/* Error Status Register read after the send */
};

/* BSP: choose the mode (x2APIC when CPUID.01H:ECX[21] offers it), then
 * enable this CPU's APIC. APs: enable in the mode the BSP chose. */
void lapic_init(void);
enum lapic_mode lapic_mode(void);
const char *lapic_mode_name(void);
/* True when IA32_APIC_BASE already had x2APIC on when the kernel started. */
bool lapic_x2apic_from_firmware(void);
uint64_t lapic_base(void);		/* physical base from IA32_APIC_BASE */
bool lapic_is_bsp(void);		/* IA32_APIC_BASE.BSP */
uint32_t lapic_id(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);
/* Error Status Register: the write before the read latches the errors
 * seen since the last write (SDM Vol 3A 10.5.3). */
uint32_t lapic_read_esr(void);
/* Send an IPI: destination APIC ID (ignored with a shorthand) and the
 * ICR low half. Waits for the xAPIC's delivery status, then reads ESR. */
struct ipi_result lapic_send_ipi(uint32_t dest, uint32_t icr_low);
void lapic_eoi(void);
/* The names of the ESR bits that are set, or "no errors". */
void lapic_format_esr(char *buf, size_t size, uint32_t esr);

#endif
