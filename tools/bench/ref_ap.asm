; ref_smp, the application processors: the least an AP must do to get from
; its Startup IPI to 64-bit long mode, for `make bench` (ref_smp.asm starts
; them). No stage records, no fault tables, no stack, no C: in long mode the
; AP reads the TSC first, stores it in its slot of ap_tsc (by its initial
; APIC ID), counts itself in ap_arrived with a locked add, and halts.
;
; Entry contract. After INIT and a SIPI with vector V an AP runs in real mode
; at CS:IP = (V << 8):0000 (SDM Vol 3A 8.4.4.1); its other registers are
; not to be trusted. Only the first ap_tramp_size bytes are copied below 1 MiB (to
; V * 4096, by the BSP); it loads the GDT with CS-relative addressing and
; far-jumps into the kernel image at 1 MiB, where the rest runs in place
; (A20 is on: the firmware turned it on before the kernel was loaded).
; The page tables identity-map the first 2 MiB, which holds both.

%include "arch/control_regs.inc"
%include "ref_facts.inc"

%define PTE_P  (1 << 0)
%define PTE_RW (1 << 1)
%define PTE_PS (1 << 7)
%define CS32   0x08
%define DS32   0x10
%define CS64   0x18

global ap_tramp, ap_tramp_size, ap_arrived, ap_tsc

section .text
bits 16
ap_tramp:
	cli
	o32 lgdt [cs:gdtr - ap_tramp]
	mov eax, cr0
	and eax, ~(CR0_CD | CR0_NW)         ; INIT may leave the caches off
	or eax, CR0_PE
	mov cr0, eax
	jmp dword CS32:ap_protected
align 4
gdtr:
	dw gdt_end - gdt - 1
	dd gdt
ap_tramp_size equ $ - ap_tramp

bits 32
ap_protected:
	mov ax, DS32
	mov ds, ax
	mov es, ax
	mov ss, ax
	; Each register gets the whole value long mode needs (INIT cleared
	; the rest): no read-modify-write.
	mov eax, CR4_PAE
	mov cr4, eax
	mov ecx, MSR_EFER
	mov eax, EFER_LME
	xor edx, edx
	wrmsr
	mov eax, pml4
	mov cr3, eax
	mov eax, CR0_PG | CR0_PE
	mov cr0, eax                        ; IA-32e mode, 32-bit compatibility
	jmp CS64:ap_long

bits 64
ap_long:
	rdtsc
	mov esi, eax
	mov edi, edx
	mov eax, 1
	cpuid
	shr ebx, 24                         ; initial APIC ID, CPUID.1:EBX[31:24]
	mov [ap_tsc + rbx * 8], esi
	mov [ap_tsc + rbx * 8 + 4], edi
	lock inc dword [ap_arrived]         ; after the TSC: the BSP reads it then
.halt:
	cli
	hlt
	jmp .halt

section .data align=4096
align 8
gdt:
	dq 0
	dq 0x00CF9A000000FFFF               ; CS32: 32-bit code, flat
	dq 0x00CF92000000FFFF               ; DS32: data, flat
	dq 0x00AF9A000000FFFF               ; CS64: 64-bit code
gdt_end:

; PML4[0] -> PDPT[0] -> PD[0]: one 2 MiB page at 0.
align 4096
pml4: dd pdpt + (PTE_P | PTE_RW), 0
	times 4096 - 8 db 0
pdpt: dd pd + (PTE_P | PTE_RW), 0
	times 4096 - 8 db 0
pd:   dd PTE_P | PTE_RW | PTE_PS, 0
	times 4096 - 8 db 0

section .bss
alignb 8
ap_arrived: resd 1
alignb 8
ap_tsc:     resq AP_TSC_SLOTS
