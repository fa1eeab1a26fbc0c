/* Installing the AP trampoline (trampoline/trampoline.asm) below 1 MiB. */
#ifndef SMP_TRAMPOLINE_H
#define SMP_TRAMPOLINE_H

#include <stdbool.h>
#include <stdint.h>

#include "smp/slot_area.h"
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
enum tramp_vector_check tramp_check_vector(uint8_t vector);

/* The pages the trampoline takes for this machine's slots. */
unsigned tramp_pages(void);
/* The vector to use when none is named, from the memory map: the lowest
 * usable one from TRAMP_PREFERRED_VECTOR up, else the lowest from 1 up;
 * 0 when no page below 0xA0000 can hold the trampoline. */
uint8_t tramp_default_vector(void);

/* What an AP needs from the page tables it loads (this CPU's CR3). */
enum tramp_install_status {
	TRAMP_INSTALLED,
	TRAMP_CR3_ABOVE_4G,		/* the AP loads CR3 with a 32-bit mov */
	TRAMP_NOT_IDENTITY_MAPPED,	/* a page the AP touches, at bad_addr */
};
struct tramp_install_result {
	enum tramp_install_status status;
	uint64_t bad_addr;
};

/* Copy the trampoline to vector * 4096 and fill its parameter block,
 * after checking this CPU's CR3: below 4 GiB, and each of the pages the
 * AP touches after paging is on (code, records, early stacks) mapped to
 * itself (SDM Vol 3A 9.8.5: the instruction after the MOV to CR0 is
 * fetched through the new tables). Changes nothing unless it installs.
 * The vector itself is the caller's to check (tramp_check_vector), since
 * the user may force it. */
struct tramp_install_result tramp_install(uint8_t vector);
bool tramp_installed(void);
uint8_t tramp_vector(void);
/* The installed trampoline's parameter block; the one at a vector. */
struct tramp_params *tramp_params(void);
struct tramp_params *tramp_params_at(uint8_t vector);
/* True when a trampoline (magic intact) sits at vector * 4096. */
bool tramp_present_at(uint8_t vector);
uint32_t tramp_code_size(void);

/* Where lab 7's `tramp fault` plants a UD2 (SDM Vol 2B, UD): the first
 * instruction of a mode switch, so the next AP to start takes #UD in the
 * mode it was about to leave. */
enum tramp_fault_site {
	TRAMP_FAULT_REAL,		/* at pm_enter */
	TRAMP_FAULT_PROTECTED,		/* at lm_enter */
	TRAMP_FAULT_LONG,		/* at c_call */
};
/* Plant a UD2 at one site of the installed trampoline, and put back the
 * original bytes at the others: one fault at a time (tramp_install
 * repairs them all). Returns its address; 0 when none is installed. */
uint64_t tramp_plant_fault(enum tramp_fault_site site);

#endif
