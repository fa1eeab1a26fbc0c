; Known wrong (lab 8 check): EFER.LME never set, so paging turns on in
; 32-bit PAE mode over page tables built for long mode: the next fetch
; goes astray and the machine triple-faults.
; expect-hint: EFER.LME was set
	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, [ebp + TP_CR3]
	mov cr3, eax
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	jmp far [ebp + TP_LM_FAR]
