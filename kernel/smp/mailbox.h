/* A one-slot mailbox per AP through which the BSP asks an idle AP to run
 * a monitor command (`on APIC CMD`). The BSP fills it and sends
 * MAILBOX_VECTOR to wake the AP from hlt; the AP runs the command, which
 * prints its own answer, and sets done. */
#ifndef SMP_MAILBOX_H
#define SMP_MAILBOX_H

#include <stdbool.h>
#include <stdint.h>

#define MAILBOX_VECTOR	0xF0
#define MAILBOX_ARGS	8

struct mailbox {
	int (*volatile handler)(int argc, char *argv[]);
	int argc;
	char *argv[MAILBOX_ARGS];
	volatile uint32_t done;
};

/* BSP, once at boot: route MAILBOX_VECTOR to a handler that only wakes
 * the AP (the IDT is one table, shared by every CPU). */
void mailbox_init(void);
/* BSP: post a command and wake the AP; return at once (the BSP can do
 * its own part meanwhile), then mailbox_wait for the AP to finish. */
void mailbox_post(struct mailbox *m, uint32_t apic_id,
		  int (*handler)(int, char *[]), int argc, char *argv[]);
/* BSP: wait up to timeout_ms for the AP to finish what was posted. */
bool mailbox_wait(struct mailbox *m, unsigned timeout_ms);
/* BSP: both: post a command and wait up to timeout_ms for the AP to finish it. */
bool mailbox_call(struct mailbox *m, uint32_t apic_id,
		  int (*handler)(int, char *[]), int argc, char *argv[],
		  unsigned timeout_ms);
/* AP: wait in hlt for commands, forever. */
__attribute__((noreturn)) void mailbox_serve(struct mailbox *m);

#endif
