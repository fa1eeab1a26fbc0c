; Known wrong (lab 8 check): a near jump to lm_entry: the address is right,
; but CS still holds the 32-bit code segment, so the 64-bit code after it
; runs in compatibility mode.
; expect-hint: jump far
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, [ebp + TP_CR3]
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, [ebp + TP_EFER]
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	jmp lm_entry
