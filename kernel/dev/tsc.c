#include "arch/cpu.h"
#include "dev/pit.h"
#include "dev/tsc.h"

static uint64_t tsc_frequency;
static const char *source;

/* CPUID 15H: TSC = crystal * EBX / EAX; ECX = crystal Hz when non-zero.
 * CPUID 16H: EAX = processor base frequency in MHz (SDM Vol 2A, CPUID). */
static uint64_t hz_from_cpuid(void)
{
	uint32_t max = cpuid(0, 0).eax;

	if (max >= 0x15) {
		struct cpuid_regs r = cpuid(0x15, 0);

		if (r.eax && r.ebx && r.ecx) {
			source = "CPUID leaf 15H";
			return (uint64_t)r.ecx * r.ebx / r.eax;
		}
	}
	if (max >= 0x16) {
		struct cpuid_regs r = cpuid(0x16, 0);

		if (r.eax & 0xFFFF) {
			source = "CPUID leaf 16H";
			return (uint64_t)(r.eax & 0xFFFF) * 1000000;
		}
	}
	return 0;
}

/* The smallest of a few runs: an interruption (the host scheduling the
 * emulator away) only ever makes a run longer. */
static uint64_t hz_from_pit(void)
{
	uint16_t ticks = PIT_HZ * TSC_CALIBRATION_MS / 1000;
	uint64_t best = UINT64_MAX;

	for (int i = 0; i < TSC_CALIBRATION_RUNS; i++) {
		uint64_t cycles = pit_measure_tsc(ticks);

		if (cycles < best)
			best = cycles;
	}
	source = "measured against PIT channel 2";
	return best * PIT_HZ / ticks;
}

void tsc_init(void)
{
	tsc_frequency = hz_from_cpuid();
	if (!tsc_frequency)
		tsc_frequency = hz_from_pit();
}

uint64_t tsc_hz(void)
{
	return tsc_frequency;
}

const char *tsc_source(void)
{
	return source;
}

uint64_t tsc_to_us(uint64_t cycles)
{
	return cycles / (tsc_frequency / 1000000);
}

