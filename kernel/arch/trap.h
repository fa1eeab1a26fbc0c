/* What happens when a CPU raises an exception. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

#include "arch/jump.h"

/* The stack as trap_common leaves it (trap_stubs.asm). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

/* While armed, an exception on this CPU is reported and then resumes at
 * ctx (jump_save returns 1) instead of halting the CPU. The monitor arms
 * it around each command so that a bad address cannot kill the session. */
void trap_arm_recovery(struct jump_ctx *ctx);
void trap_disarm_recovery(void);

/* Called on a CPU that halts after an exception no recovery was armed
 * for, before it halts: a higher layer (smp) records the fault where the
 * BSP will look. */
typedef void (*trap_halt_hook_fn)(const struct trap_frame *f, uint32_t apic_id);
void trap_set_halt_hook(trap_halt_hook_fn hook);

void trap_handler(struct trap_frame *f);

#endif
