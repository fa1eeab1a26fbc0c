; jump_save / jump_restore: setjmp and longjmp for the kernel. The monitor
; saves a context before each command; when the command faults, the trap
; handler restores it and the monitor prints its prompt again.
; struct jump_ctx layout: rbx rbp r12 r13 r14 r15 rsp rip (8 bytes each).

bits 64
section .text

global jump_save
jump_save:				; int jump_save(struct jump_ctx *rdi)
	mov [rdi + 0], rbx
	mov [rdi + 8], rbp
	mov [rdi + 16], r12
	mov [rdi + 24], r13
	mov [rdi + 32], r14
	mov [rdi + 40], r15
	lea rax, [rsp + 8]		; the caller's RSP after we return
	mov [rdi + 48], rax
	mov rax, [rsp]			; our return address
	mov [rdi + 56], rax
	xor eax, eax
	ret

global jump_restore
jump_restore:				; void jump_restore(ctx *rdi, int esi)
	mov rbx, [rdi + 0]
	mov rbp, [rdi + 8]
	mov r12, [rdi + 16]
	mov r13, [rdi + 24]
	mov r14, [rdi + 32]
	mov r15, [rdi + 40]
	mov rsp, [rdi + 48]
	mov eax, esi
	jmp [rdi + 56]
