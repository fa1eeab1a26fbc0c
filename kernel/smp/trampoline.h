/* Installing the AP trampoline (trampoline/trampoline.asm) below 1 MiB. */
#ifndef SMP_TRAMPOLINE_H
#define SMP_TRAMPOLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "trampoline/layout.h"

/* The vector tried first when none is named: 0x8000, above the first
 * 32 KiB (the IVT, the BIOS data area, the boot sector at 0x7C00). */
#define TRAMP_PREFERRED_VECTOR 0x08

/* Why a vector cannot hold the trampoline, or TRAMP_VECTOR_OK. */
enum tramp_vector_check {
	TRAMP_VECTOR_OK,
	TRAMP_VECTOR_ZERO,		/* page 0: real-mode IVT and BIOS data */
	TRAMP_VECTOR_TOO_HIGH,		/* 0xA0-0xFF: video memory and ROM */
	TRAMP_VECTOR_NOT_RAM,		/* not usable RAM in the memory map */
};
const char *tramp_vector_check_str(enum tramp_vector_check c);
enum tramp_vector_check tramp_check_vector(uint8_t vector);
/* The vector to use when none is named, from the memory map: the lowest
 * usable one from TRAMP_PREFERRED_VECTOR up, else the lowest from 1 up;
 * 0 when no page below 0xA0000 can hold the trampoline. */
uint8_t tramp_default_vector(void);

/* Copy the trampoline to vector * 4096 and fill its parameter block.
 * The caller has checked the vector (or the user forced it). */
void tramp_install(uint8_t vector);
bool tramp_installed(void);
uint8_t tramp_vector(void);
/* The installed trampoline's parameter block. */
struct tramp_params *tramp_params(void);
/* True when a trampoline (magic intact) sits at vector * 4096. */
bool tramp_present_at(uint8_t vector);
uint32_t tramp_code_size(void);

#endif
