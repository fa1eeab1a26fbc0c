; Entry stubs for the 32 exception vectors (SDM Vol 3A 6.15). The CPU
; pushes SS, RSP, RFLAGS, CS, RIP and, for some vectors, an error code
; (6.13). Each stub makes the frame uniform: it pushes 0 where the CPU
; pushed no error code, then the vector number; trap_common saves the
; general registers and calls trap_handler(struct trap_frame *).

bits 64
section .text

extern trap_handler

%macro TRAP_NO_ERROR 1
trap_stub_%1:
	push 0
	push %1
	jmp trap_common
%endmacro

%macro TRAP_WITH_ERROR 1
trap_stub_%1:
	push %1
	jmp trap_common
%endmacro

%assign v 0
%rep 32
%if v == 8 || v == 10 || v == 11 || v == 12 || v == 13 || v == 14 || v == 17 || v == 21 || v == 29 || v == 30
	TRAP_WITH_ERROR v
%else
	TRAP_NO_ERROR v
%endif
%assign v v + 1
%endrep

trap_common:
	push rax
	push rbx
	push rcx
	push rdx
	push rsi
	push rdi
	push rbp
	push r8
	push r9
	push r10
	push r11
	push r12
	push r13
	push r14
	push r15
	mov rdi, rsp
	cld
	call trap_handler
	pop r15
	pop r14
	pop r13
	pop r12
	pop r11
	pop r10
	pop r9
	pop r8
	pop rbp
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rbx
	pop rax
	add rsp, 16			; vector and error code
	iretq

section .rodata
global trap_stub_table
trap_stub_table:
%assign v 0
%rep 32
	dq trap_stub_%+ v
%assign v v + 1
%endrep

; For IPIs that only wake a CPU from HLT (smp/mailbox.c uses one):
; acknowledge with an EOI and return. Caller-saved registers are saved
; for the C call.
extern lapic_eoi
section .text
global eoi_interrupt_stub
eoi_interrupt_stub:
	push rax
	push rcx
	push rdx
	push rsi
	push rdi
	push r8
	push r9
	push r10
	push r11
	cld
	call lapic_eoi
	pop r11
	pop r10
	pop r9
	pop r8
	pop rdi
	pop rsi
	pop rdx
	pop rcx
	pop rax
	iretq

; A spurious interrupt needs no EOI (SDM Vol 3A 10.9).
global spurious_interrupt_stub
spurious_interrupt_stub:
	iretq
