/* A one-slot mailbox through which the BSP asks an idle AP to run a
 * command (`on APIC CMD`). The BSP fills it, then sends MAILBOX_VECTOR to
 * wake the AP from hlt; the AP runs it and sets done. */
#ifndef SMP_MAILBOX_H
#define SMP_MAILBOX_H

#include <stdint.h>

#define MAILBOX_VECTOR 0xF0

struct mailbox {
	int (*volatile handler)(int argc, char *argv[]);
	int argc;
	char *argv[8];
	volatile uint32_t done;
};

#endif
