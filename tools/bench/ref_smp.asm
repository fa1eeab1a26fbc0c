; ref_smp, the bootstrap processor: the reference for `boot all fast` in
; `make bench`. It starts every AP at once with the least work: INIT and one
; Startup IPI, both broadcast to all but itself, then waits until each AP has
; reached long mode (ref_ap.asm) and prints the time from the SIPI to the last
; one, by the TSC.
;
; Entry contract: multiboot 1 (Multiboot 0.6.96, section 3.2): 32-bit
; protected mode, paging off, interrupts in any state; nothing else is used.
; The BSP stays there: the local APIC's registers are memory-mapped (xAPIC,
; at the base IA32_APIC_BASE gives), below 4 GiB, so it needs no paging.
;
; What it prints on COM1 (smplab.refs reads it):
;   ref_smp: TSC 2596 MHz (PIT channel 2), 3 APs (QEMU fw_cfg)
;   ref_smp: 3 of 3 APs in long mode, the last 412 us after the SIPI
; and after each result line it waits for a byte on COM1 and starts the APs
; again (INIT puts an AP that halted in long mode back to wait-for-SIPI).
;
; The TSC frequency is measured against PIT channel 2 (the smallest of
; TSC_CALIBRATION_RUNS one-shots of TSC_CALIBRATION_MS, from kernel/dev/pit.h),
; the way smplab does when CPUID leaves 15H and 16H give
; none. The number of CPUs comes from QEMU's firmware configuration device
; (docs/specs/fw_cfg.rst in QEMU: key 0x05, the CPUs present at boot).

%include "mb1_header.inc"
%include "ref_facts.inc"
%include "dev/pit.inc"

%define COM1            0x3F8
%define LSR             5               ; line status register
%define LSR_DATA_READY  0x01
%define LSR_THR_EMPTY   0x20

; Local APIC (SDM Vol 3A 10.4.4, 10.6.1, 10.9).
%define MSR_APIC_BASE   0x1B
%define APIC_BASE_MASK  0xFFFFF000
%define APIC_SVR        0xF0
%define SVR_ENABLE      0x100
%define SPURIOUS_VECTOR 0xFF
%define APIC_ICR_LOW    0x300
%define ICR_INIT        0x500
%define ICR_STARTUP     0x600
%define ICR_PENDING     0x1000          ; delivery status: send pending
%define ICR_ASSERT      0x4000
%define ICR_LEVEL       0x8000
%define ICR_ALL_BUT_SELF 0xC0000
%define TRAMP_VECTOR    0x08            ; the APs start at 0x8000
%define TRAMP_BASE      (TRAMP_VECTOR << 12)

; 8254 channel 2, gated and read back through port 0x61 (IBM PC/AT).
%define PIT_CH2         0x42
%define PIT_COMMAND     0x43
%define CH2_LOHI_MODE0  0xB0
%define PORT_61         0x61
%define P61_GATE2       0x01
%define P61_SPEAKER     0x02
%define P61_OUT2        0x20
%define CALIBRATION_TICKS (PIT_HZ * TSC_CALIBRATION_MS / 1000)

; QEMU fw_cfg, I/O port interface.
%define FW_CFG_SELECTOR 0x510
%define FW_CFG_DATA     0x511
%define FW_CFG_NB_CPUS  0x05

%define WAIT_LIMIT_US   2000000         ; give up on missing APs after 2 s

extern ap_tramp, ap_tramp_size, ap_arrived, ap_tsc

section .text.boot
bits 32
global multiboot_entry
multiboot_entry:
	cli
	mov esp, stack_top
	call calibrate_tsc
	call count_aps
	mov esi, msg_tsc
	call puts
	mov eax, [tsc_mhz]
	call putdec
	mov esi, msg_pit
	call puts
	mov eax, [aps]
	call putdec
	mov esi, msg_fw_cfg
	call puts

	mov ecx, MSR_APIC_BASE
	rdmsr
	and eax, APIC_BASE_MASK
	mov [apic], eax
	mov dword [eax + APIC_SVR], SVR_ENABLE | SPURIOUS_VECTOR

	mov esi, ap_tramp                   ; the real-mode part, below 1 MiB
	mov edi, TRAMP_BASE
	mov ecx, ap_tramp_size
	rep movsb

.round:
	call start_aps
	call report
	call getc
	jmp .round

; INIT, then one SIPI, to all but self; wait for the APs or the time limit.
start_aps:
	mov dword [ap_arrived], 0
	mov edi, ap_tsc
	mov ecx, AP_TSC_SLOTS * 2
	xor eax, eax
	rep stosd
	mov eax, ICR_ALL_BUT_SELF | ICR_LEVEL | ICR_ASSERT | ICR_INIT
	call send_ipi
	mov eax, ICR_ALL_BUT_SELF | ICR_LEVEL | ICR_INIT
	call send_ipi
	rdtsc
	mov [sipi_tsc], eax
	mov [sipi_tsc + 4], edx
	mov eax, ICR_ALL_BUT_SELF | ICR_ASSERT | ICR_STARTUP | TRAMP_VECTOR
	call send_ipi
.wait:
	mov eax, [ap_arrived]
	cmp eax, [aps]
	jae .done
	call us_since_sipi
	cmp eax, WAIT_LIMIT_US
	jb .wait
.done:
	ret

; EAX = ICR low word (the shorthand needs no destination); waits until sent.
send_ipi:
	mov edx, [apic]
	mov [edx + APIC_ICR_LOW], eax
.pending:
	pause
	test dword [edx + APIC_ICR_LOW], ICR_PENDING
	jnz .pending
	ret

; "ref_smp: A of N APs in long mode, the last U us after the SIPI"
report:
	mov esi, msg_round
	call puts
	mov eax, [ap_arrived]
	call putdec
	mov esi, msg_of
	call puts
	mov eax, [aps]
	call putdec
	mov esi, msg_in_long
	call puts
	; the latest TSC any AP stored (0: none)
	xor ebx, ebx
	xor ebp, ebp                        ; EBP:EBX = the latest
	mov esi, ap_tsc
	mov ecx, AP_TSC_SLOTS
.latest:
	mov eax, [esi]
	mov edx, [esi + 4]
	cmp edx, ebp
	jb .next
	ja .take
	cmp eax, ebx
	jbe .next
.take:
	mov ebx, eax
	mov ebp, edx
.next:
	add esi, 8
	loop .latest
	mov eax, ebx
	mov edx, ebp
	call tsc_to_us
	call putdec
	mov esi, msg_after
	jmp puts

; EAX = microseconds from the SIPI to now (CPU time stamps as tsc_to_us).
us_since_sipi:
	rdtsc
	jmp tsc_to_us

; EDX:EAX = a TSC value after the SIPI -> EAX = microseconds after it,
; truncated like smplab's tsc_to_us (cycles / whole MHz).
tsc_to_us:
	sub eax, [sipi_tsc]
	sbb edx, [sipi_tsc + 4]
	jb .before
	div dword [tsc_mhz]
	ret
.before:
	xor eax, eax
	ret

; [tsc_mhz] = the TSC's frequency: the fewest cycles over the calibration runs
; of PIT channel 2 in mode 0, whose OUT2 rises when the count reaches zero.
calibrate_tsc:
	mov dword [best], 0xFFFFFFFF
	mov ecx, TSC_CALIBRATION_RUNS
.run:
	in al, PORT_61
	and al, ~(P61_GATE2 | P61_SPEAKER)
	mov bl, al
	out PORT_61, al                     ; gate low: the counter waits
	mov al, CH2_LOHI_MODE0
	out PIT_COMMAND, al
	mov al, CALIBRATION_TICKS & 0xFF
	out PIT_CH2, al
	mov al, CALIBRATION_TICKS >> 8
	out PIT_CH2, al
	mov al, bl
	or al, P61_GATE2
	out PORT_61, al                     ; gate high: count
	rdtsc
	mov esi, eax
.count:
	in al, PORT_61
	test al, P61_OUT2
	jz .count
	rdtsc
	sub eax, esi                        ; 10 ms of cycles: fits in 32 bits
	cmp eax, [best]
	jae .slower
	mov [best], eax
.slower:
	mov al, bl
	out PORT_61, al
	loop .run
	; MHz = cycles * PIT_HZ / ticks / 1000000, in two exact-enough steps
	mov eax, [best]
	mov ebx, PIT_HZ
	mul ebx
	mov ebx, CALIBRATION_TICKS * 1000
	div ebx                             ; kHz
	xor edx, edx
	mov ebx, 1000
	div ebx
	mov [tsc_mhz], eax
	ret

; [aps] = CPUs present at boot - 1, from fw_cfg (a 16-bit little-endian item).
count_aps:
	mov dx, FW_CFG_SELECTOR
	mov ax, FW_CFG_NB_CPUS
	out dx, ax
	mov dx, FW_CFG_DATA
	in al, dx
	mov cl, al
	in al, dx
	mov ah, al
	mov al, cl
	movzx eax, ax
	dec eax
	mov [aps], eax
	ret

; ---- COM1 ---------------------------------------------------------------
; AL = byte to send, once the transmitter is empty. Keeps every register.
putc:
	push edx
	push eax
	mov dx, COM1 + LSR
.busy:
	in al, dx
	test al, LSR_THR_EMPTY
	jz .busy
	pop eax
	mov dx, COM1
	out dx, al
	pop edx
	ret

; ESI = NUL-terminated string.
puts:
	lodsb
	test al, al
	jz .end
	call putc
	jmp puts
.end:
	ret

; EAX = unsigned number, printed in decimal.
putdec:
	mov ebx, 10
	xor ecx, ecx
.digit:
	xor edx, edx
	div ebx
	push edx
	inc ecx
	test eax, eax
	jnz .digit
.print:
	pop eax
	add al, '0'
	call putc
	loop .print
	ret

; Waits for a byte on COM1 (the host's "again").
getc:
	mov dx, COM1 + LSR
.empty:
	in al, dx
	test al, LSR_DATA_READY
	jz .empty
	mov dx, COM1
	in al, dx
	ret

section .rodata
msg_tsc:     db "ref_smp: TSC ", 0
msg_pit:     db " MHz (PIT channel 2), ", 0
msg_fw_cfg:  db " APs (QEMU fw_cfg)", 13, 10, 0
msg_round:   db "ref_smp: ", 0
msg_of:      db " of ", 0
msg_in_long: db " APs in long mode, the last ", 0
msg_after:   db " us after the SIPI", 13, 10, 0

section .bss
apic:     resd 1
aps:      resd 1
tsc_mhz:  resd 1
best:     resd 1
sipi_tsc: resq 1
alignb 16
          resb 4096
stack_top:
