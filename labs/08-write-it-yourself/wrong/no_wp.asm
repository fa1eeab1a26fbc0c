; Known wrong (lab 8 check): long mode reached, but without CR0.WP, so the
; AP's kernel code may write to read-only pages (the BSP has WP set).
; expect-hint: CR0.WP
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
	or eax, CR0_PG
	mov cr0, eax
	jmp far [ebp + TP_LM_FAR]
