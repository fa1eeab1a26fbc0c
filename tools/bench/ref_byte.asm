; ref_byte: the smallest kernel QEMU's -kernel boots, for `make bench`.
; It writes one byte (REF_BYTE) to COM1 and halts, so the host's clock
; from QEMU's start to that byte is what QEMU, SeaBIOS and the multiboot
; loader cost before any kernel runs: the yardstick for smplab's boot.
;
; Entry contract: multiboot 1 (Multiboot 0.6.96, section 3.2): 32-bit
; protected mode, paging off, interrupts in any state. No stack is used.
; The UART needs no set-up to take one byte (its transmit register is
; empty at reset), and QEMU's 16550 ignores the baud rate.

%include "mb1_header.inc"
%include "ref_facts.inc"
%define COM1 0x3F8

section .text.boot
bits 32
global multiboot_entry
multiboot_entry:
	cli
	mov dx, COM1
	mov al, REF_BYTE
	out dx, al
.halt:
	hlt
	jmp .halt
