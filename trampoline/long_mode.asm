; The switch from 32-bit protected mode to 64-bit long mode, included by
; trampoline.asm right after the label lm_enter.
;
; Entry: 32-bit protected mode, flat segments, paging off.
;        EBP = physical base of the trampoline (parameter block at
;        EBP + TP_*), ESI = slot (CPU number), EDI = stage record: keep all three.
; Exit:  a far jump through the parameter block's TP_LM_FAR (selector
;        TRAMP_CS64, offset of lm_entry), which loads a 64-bit CS.
;
; IA-32e mode: PAE, then CR3, then EFER.LME, then paging on; the CPU is
; then in compatibility mode until the far jump (SDM Vol 3A 9.8.5). The
; code page must be identity-mapped in that CR3, since the next
; instruction is fetched through the new page tables.

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
	jmp far [ebp + TP_LM_FAR]
