; Known wrong (lab 8 check): paging on in IA-32e mode without CR4.PAE.
; A real CPU (and KVM) raises #GP at the MOV to CR0; QEMU's TCG turns on
; 32-bit paging instead, and the machine triple-faults.
; expect-hint: CR4.PAE
	mov eax, [ebp + TP_CR3]
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, [ebp + TP_EFER]
	wrmsr
	mov eax, cr0
	or eax, CR0_PG | CR0_WP
	mov cr0, eax
	jmp far [ebp + TP_LM_FAR]
