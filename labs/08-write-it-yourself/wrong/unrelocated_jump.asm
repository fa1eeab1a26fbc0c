; Known wrong (lab 8 check): the classic trampoline bug, a far jump to the
; label as assembled (origin 0) instead of through TP_LM_FAR, which holds
; the trampoline's base + lm_entry.
; expect-hint: TP_LM_FAR
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
	jmp dword TRAMP_CS64:lm_entry
