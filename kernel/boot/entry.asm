; Multiboot entry: the boot loader hands over in 32-bit protected mode,
; paging off, EBX = physical address of the boot information, and EAX =
; MB1_LOADER_MAGIC (QEMU -kernel, GRUB `multiboot`; Multiboot 0.6.96,
; section 3.2) or MB2_LOADER_MAGIC (GRUB `multiboot2`, also from UEFI;
; Multiboot2 2.0, section 3.3). kmain tells them apart.
;
; We build page tables that identity-map the low 4 GiB with 2 MiB pages,
; enable PAE, set EFER.LME, turn paging on (SDM Vol 3A 9.8.5 "Initializing
; IA-32e Mode") and far-jump into 64-bit code, which calls kmain(magic, mbi).
; The same tables stay the kernel's page tables: their CR3 is below 4 GiB,
; which is what an AP needs while it still runs 32-bit code.

%include "boot/multiboot.inc"
%include "arch/control_regs.inc"
%define PTE_P               (1 << 0)
%define PTE_RW              (1 << 1)
%define PTE_PWT             (1 << 3)
%define PTE_PCD             (1 << 4)
%define PTE_PS              (1 << 7)
%define BOOT_STACK_SIZE     16384
%define COM1                0x3F8

; Both headers: QEMU's -kernel reads only the first, GRUB's multiboot2
; command only the second. The checksums make each header's u32 sum 0.
section .multiboot
align 4
multiboot1_header:
	dd MB1_HEADER_MAGIC
	dd MB1_HEADER_FLAGS                 ; page-align modules, want memory map
	dd 0x100000000 - (MB1_HEADER_MAGIC + MB1_HEADER_FLAGS)

align 8
multiboot2_header:
	dd MB2_HEADER_MAGIC
	dd MB2_ARCH_I386
	dd multiboot2_header_end - multiboot2_header
	dd 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + \
			  (multiboot2_header_end - multiboot2_header))
align 8
	dw MB2_HEADER_TAG_END, 0            ; type, flags
	dd 8                                ; size
multiboot2_header_end:

section .text.boot
bits 32
global multiboot_entry
multiboot_entry:
	cli
	cld                                 ; the loader need not clear DF; C needs it
	mov esp, boot_stack_top
	mov [boot_magic], eax
	mov [boot_mbi], ebx

	; Long mode needs CPUID.80000001H:EDX.LM[bit 29].
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no_long_mode

	; PML4[0] -> PDPT; PDPT[0..3] -> four page directories; each PDE maps
	; 2 MiB. The 4th GiB holds the LAPIC, IOAPIC and other MMIO: mark it
	; uncacheable (PCD|PWT).
	mov eax, boot_pdpt
	or eax, PTE_P | PTE_RW
	mov [boot_pml4], eax
	mov edi, boot_pdpt
	mov eax, boot_pd
	mov ecx, 4
.fill_pdpt:
	mov edx, eax
	or edx, PTE_P | PTE_RW
	mov [edi], edx
	add edi, 8
	add eax, 4096
	loop .fill_pdpt

	mov edi, boot_pd
	xor eax, eax                        ; physical address, in 2 MiB steps
	xor ecx, ecx                        ; entry number 0..2047
.fill_pd:
	mov edx, eax
	or edx, PTE_P | PTE_RW | PTE_PS
	cmp ecx, 3 * 512
	jb .cached
	or edx, PTE_PCD | PTE_PWT
.cached:
	mov [edi + ecx * 8], edx
	add eax, 0x200000
	inc ecx
	cmp ecx, 4 * 512
	jne .fill_pd

	mov eax, boot_pml4
	mov cr3, eax
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, EFER_LME
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_PE | CR0_WP
	mov cr0, eax                        ; now in IA-32e compatibility mode

	lgdt [boot_gdt_ptr]
	jmp BOOT_CS64:long_mode_entry

.no_long_mode:
	mov esi, no_long_mode_msg
.print:
	lodsb
	test al, al
	jz .halt
	mov dx, COM1
	out dx, al
	jmp .print
.halt:
	hlt
	jmp .halt

bits 64
extern kmain
long_mode_entry:
	mov ax, BOOT_DS
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rsp, boot_stack_top
	xor ebp, ebp
	mov edi, [boot_magic]
	mov esi, [boot_mbi]
	call kmain
.hang:
	hlt
	jmp .hang

section .rodata
no_long_mode_msg: db "smplab: this CPU has no long mode (CPUID.80000001H:EDX.LM = 0)", 13, 10, 0

; A minimal GDT for the jump into 64-bit code; gdt.c installs the real one.
align 8
boot_gdt:
	dq 0
	dq 0x00AF9A000000FFFF               ; 64-bit code, DPL 0
	dq 0x00CF92000000FFFF               ; data, DPL 0
boot_gdt_end:
BOOT_CS64 equ 0x08
BOOT_DS   equ 0x10
boot_gdt_ptr:
	dw boot_gdt_end - boot_gdt - 1
	dd boot_gdt

section .data
boot_magic: dd 0
boot_mbi:   dd 0

section .bss
align 4096
global boot_pml4
boot_pml4:  resb 4096
boot_pdpt:  resb 4096
boot_pd:    resb 4 * 4096
align 16
global boot_stack_top
boot_stack: resb BOOT_STACK_SIZE
boot_stack_top:
