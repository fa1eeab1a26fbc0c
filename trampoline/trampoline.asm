; The AP boot trampoline: real mode -> 32-bit protected mode -> 64-bit long
; mode -> C, for any number of APs at once.
;
; Entry contract. After INIT and a Startup IPI with vector V, an AP starts
; in real mode at CS:IP = (V << 8):0000, that is at physical V * 4096
; (SDM Vol 3A 8.4.4.1 and 10.6.1, "start-up" delivery mode). Nothing else
; about its registers is promised, so the code trusts none of them.
;
; Position independence. The code is assembled once, at origin 0, and the
; BSP copies it to whatever page the vector names. In real mode every
; access is CS-relative, so offsets just work. Protected and long mode use
; flat segments, so absolute addresses (the GDT base, the far-jump targets,
; the IDT bases) are base + offset: the BSP writes them into the parameter
; block when it installs the trampoline (struct tramp_params in
; trampoline/layout.h, whose offsets trampoline/offsets.c hands to NASM as
; build/trampoline/layout.inc). EBP holds the base from real mode on.
;
; Slots. The BSP lists the APIC ID of every CPU the MADT names, one slot
; each, in MADT order (the slot is the CPU number); the AP finds its slot by
; the APIC ID CPUID gives it, as Linux 6.5's parallel bring-up does, and
; takes that slot's stage record, early stack and cpu_data. An AP in no slot
; (a processor the MADT does not list) adds its APIC ID to the strays and
; halts: nothing it could write would be its own.
;
; Registers along the way:  ESI = this AP's slot (its CPU number)
;                           EBP = physical base of the trampoline
;                           EDI = this AP's stage record
; At each step the AP writes the stage and the TSC into its record; the
; BSP's `status` reads them. Any exception before C is caught by the
; trampoline's own tables and recorded (vector, error code, address) and
; the AP halts, instead of triple-faulting the machine.

%include "layout.inc"
%include "arch/control_regs.inc"

[map symbols TRAMP_MAP]

bits 16
org 0

rm_entry:
	cli
	jmp rm_start

	times TP_OFFSET - ($ - $$) db 0
params:                                 ; filled by the assembler ...
	dd TRAMP_MAGIC
	dw trampoline_end
	dw gdt, rm_ivt, pm_idt, lm_idt
	dw rm_stubs, pm_stubs, lm_stubs
	dw pm_entry, lm_entry
	times TP_PM_ENTER - ($ - $$) db 0   ; ... and by the BSP at install
	dw pm_enter, lm_enter, c_call       ; (the assembler again)
	times TP_END - ($ - $$) db 0        ; the slot area: the BSP

; Put this CPU's APIC ID in ESI. CPUID leaf 0BH gives the full x2APIC ID,
; leaf 01H EBX[31:24] the 8-bit initial APIC ID (SDM Vol 3A 10.4.6,
; 10.12.8.1). Clobbers EAX, EBX, ECX, EDX.
%macro APIC_ID_TO_ESI 0
	xor eax, eax
	cpuid
	cmp eax, 0xB
	jb %%leaf1
	mov eax, 0xB
	xor ecx, ecx
	cpuid
	test ebx, ebx
	jz %%leaf1
	mov esi, edx
	jmp %%done
%%leaf1:
	mov eax, 1
	cpuid
	shr ebx, 24
	mov esi, ebx
%%done:
%endmacro

; Find the slot of the APIC ID in ESI: EDX = slot, or jump to %2 when no
; slot holds it. %1 is what the trampoline's offsets are relative to in
; this mode (0 in real mode, where DS = CS; the base, EBP, once flat).
; Clobbers ECX and EDI.
%macro FIND_SLOT 2
	movzx ecx, word [%1 + TP_SLOTS]
	movzx edi, word [%1 + TP_SLOT_TABLE]
	add edi, %1
	xor edx, edx
%%next:
	cmp edx, ecx
	jae %2
	cmp esi, [edi + edx * 4]
	je %%found
	inc edx
	jmp %%next
%%found:
%endmacro

; Record that stage %1 began: its TSC first, then the stage, so that a
; reader who sees the stage also sees its time. %2 is the record register.
%macro STAGE 2
	rdtsc
	mov [%2 + AR_TSC + 8 * (%1 - 1)], eax
	mov [%2 + AR_TSC + 8 * (%1 - 1) + 4], edx
	mov byte [%2 + AR_STAGE], %1
%endmacro

rm_start:
	cld
	mov ax, cs
	mov ds, ax
	mov es, ax
	mov ss, ax
	movzx ebp, ax
	shl ebp, 4                      ; base = CS * 16
	APIC_ID_TO_ESI
	xor eax, eax
	FIND_SLOT eax, rm_stray
	mov esi, edx                    ; from here on, the slot
	imul sp, dx, TRAMP_EARLY_STACK
	add sp, [TP_STACKS]
	add sp, TRAMP_EARLY_STACK
	imul di, dx, AR_SIZE
	add di, [TP_RECORDS]
	movzx edi, di
	o32 lidt [TP_RM_IDTR]           ; real-mode exceptions -> rm_stubs
	STAGE STAGE_REAL, di

; After INIT, protection and paging are off; CD and NW, the caches'
; switches, keep what they were (SDM Vol 3A 9.1.1, table 9-1, note 2;
; 60000010H, caches off, is the power-up and RESET value). Turn the caches
; on whatever they were, and protection on.
pm_enter:
	o32 lgdt [TP_GDTR]
	mov eax, cr0
	and eax, ~(CR0_CD | CR0_NW)
	or eax, CR0_PE
	mov cr0, eax
	; The far jump loads CS from the new GDT: from here on, 32-bit code.
	jmp far dword [TP_PM_FAR]

bits 32
pm_entry:
	mov ax, TRAMP_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov fs, ax
	mov gs, ax
	movzx edi, di
	add edi, ebp                    ; record, now as a physical address
	movzx esp, sp
	add esp, ebp
	lidt [ebp + TP_PM_IDTR]
	STAGE STAGE_PROTECTED, edi

; The switch to long mode has a file of its own: lab 8 has the learner
; write it (labs/08-write-it-yourself/long_mode.asm replaces it there).
lm_enter:
%include "long_mode.asm"

bits 64
lm_entry:
	mov ax, TRAMP_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov esi, esi                    ; zero the upper halves (SDM Vol 1 3.4.1.1)
	mov ebp, ebp
	mov edi, edi
	mov esp, esp
	lidt [rbp + TP_LM_IDTR]
	STAGE STAGE_LONG, rdi
	mov rax, [rbp + TP_CPU_TABLE]
	mov rbx, [rax + rsi * 8]        ; this AP's struct cpu_data, or 0
	test rbx, rbx
	jz no_cpu_data

c_call:
	mov [rbx + CPU_DATA_RECORD], rdi
	STAGE STAGE_C_ENTRY, rdi
	mov rsp, [rbx + CPU_DATA_STACK_TOP]
	mov rdi, rbx
	call [rbx + CPU_DATA_ENTRY]     ; entry(cpu_data); it never returns
	jmp lm_halt

no_cpu_data:
	mov byte [rdi + AR_STAGE], STAGE_NO_CPUDATA
lm_halt:
	cli
	hlt
	jmp lm_halt

; Exception stubs, TRAMP_STUB_SIZE bytes each, so that the BSP finds the
; stub for vector v at stubs + v * TRAMP_STUB_SIZE. Each pushes its vector
; (and, in protected and long mode, a 0 where the CPU pushes no error
; code: SDM Vol 3A 6.13) and jumps to the mode's recorder.
%macro STUBS 2                          ; %1 = recorder, %2 = 1: error codes exist
%%stubs:
%assign v 0
%rep TRAMP_EXCEPTIONS
%if %2 == 0 || !(v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30)
%if %2
	push byte 0
%endif
%endif
	push byte v
	jmp near %1
	times %%stubs + (v + 1) * TRAMP_STUB_SIZE - $ nop
%assign v v + 1
%endrep
%endmacro

; Mark the fault in this AP's record (%1), then halt. AL = vector,
; EDX = error code, %2 = linear address of the faulting instruction
; (ECX, or RCX in long mode).
%macro RECORD_FAULT 2
	mov [%1 + AR_FAULT_VECTOR], al
	mov [%1 + AR_FAULT_ERROR], edx
%ifidn %2, rcx
	mov [%1 + AR_FAULT_IP], rcx
%else
	mov [%1 + AR_FAULT_IP], ecx
	mov dword [%1 + AR_FAULT_IP + 4], 0
%endif
	mov al, [%1 + AR_STAGE]
	mov [%1 + AR_FAULT_STAGE], al
	mov byte [%1 + AR_STAGE], STAGE_FAULT
%endmacro

bits 16
rm_stubs:
	STUBS rm_fault, 0
rm_fault:                               ; stack: vector, IP, CS, FLAGS
	mov ax, cs
	mov ds, ax
	APIC_ID_TO_ESI
	xor eax, eax
	FIND_SLOT eax, rm_halt
	imul di, dx, AR_SIZE
	add di, [TP_RECORDS]
	pop ax
	movzx eax, al
	pop cx
	pop dx
	movzx ecx, cx
	movzx edx, dx
	shl edx, 4
	add ecx, edx                    ; CS * 16 + IP
	xor edx, edx                    ; real mode has no error codes
	RECORD_FAULT di, ecx
	jmp rm_halt

; An AP whose APIC ID no slot holds: count it, keep its APIC ID if there
; is room, and halt. ESI = its APIC ID.
rm_stray:
	mov ax, 1
	lock xadd [TP_STRAY_COUNT], ax
	cmp ax, TRAMP_STRAYS
	jae rm_halt
	movzx eax, ax
	mov [TP_STRAY_IDS + eax * 4], esi
rm_halt:
	cli
	hlt
	jmp rm_halt

bits 32
pm_stubs:
	STUBS pm_fault, 1
pm_fault:                               ; stack: vector, error, EIP, CS, EFLAGS
	mov ax, TRAMP_DS
	mov ds, ax
	APIC_ID_TO_ESI
	call .here
.here:
	pop ebp
	sub ebp, .here                  ; the trampoline's base
	FIND_SLOT ebp, pm_halt
	imul edi, edx, AR_SIZE
	movzx eax, word [ebp + TP_RECORDS]
	add edi, eax
	add edi, ebp
	pop eax
	pop edx
	pop ecx                         ; flat CS: EIP is the linear address
	RECORD_FAULT edi, ecx
pm_halt:
	cli
	hlt
	jmp pm_halt

bits 64
lm_stubs:
	STUBS lm_fault, 1
lm_fault:                               ; stack: vector, error, RIP, CS, ...
	APIC_ID_TO_ESI
	lea rbp, [rel $$]
	FIND_SLOT ebp, lm_halt
	imul edi, edx, AR_SIZE
	movzx eax, word [rbp + TP_RECORDS]
	add edi, eax
	add rdi, rbp
	pop rax
	pop rdx
	pop rcx
	RECORD_FAULT rdi, rcx
	jmp lm_halt

; The trampoline's GDT: flat 32-bit code, data, and 64-bit code
; (SDM Vol 3A 3.4.5; L = 1 marks 64-bit code, 5.2.1).
align 8
gdt:
	dq 0
	dq 0x00CF9A000000FFFF           ; TRAMP_CS32
	dq 0x00CF92000000FFFF           ; TRAMP_DS
	dq 0x00AF9A000000FFFF           ; TRAMP_CS64
	times TRAMP_GDT_SIZE - ($ - gdt) db 0

; Exception tables, filled by the BSP at install: a real-mode IVT
; (segment:offset per vector), a 32-bit IDT and a 64-bit IDT.
align 8
rm_ivt:
	times TRAMP_EXCEPTIONS dd 0
pm_idt:
	times TRAMP_EXCEPTIONS dq 0
align 16
lm_idt:
	times TRAMP_EXCEPTIONS * 2 dq 0

trampoline_end:
	times 4096 - ($ - $$) db 0      ; fails to assemble if page 0 overflows
