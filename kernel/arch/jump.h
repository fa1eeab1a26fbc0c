/* setjmp/longjmp for the kernel (see jump.asm). */
#ifndef ARCH_JUMP_H
#define ARCH_JUMP_H

#include <stdint.h>

struct jump_ctx {
	uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

/* Returns 0 when saving, and the value given to jump_restore later. */
int jump_save(struct jump_ctx *ctx) __attribute__((returns_twice));
__attribute__((noreturn)) void jump_restore(struct jump_ctx *ctx, int value);

#endif
