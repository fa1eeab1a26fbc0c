; Lab 8, part 2: the switch from protected mode to long mode.
;
; trampoline.asm includes this file right after the label lm_enter.
; Entry: 32-bit protected mode, flat segments, paging off.
;        EBP = physical base of the trampoline; its parameter block is at
;        EBP + TP_* (struct tramp_params, trampoline/layout.h): TP_CR3 holds the page tables'
;        address, TP_EFER the EFER bits to set, TP_LM_FAR a far pointer
;        (offset, then selector) to lm_entry in a 64-bit code segment.
;        ESI = slot (CPU number), EDI = stage record: leave both as they are.
; Exit:  a far jump to lm_entry through TP_LM_FAR.
; Names you may use: CR4_PAE, CR0_PG, CR0_WP, MSR_EFER.
;
; Grade it with `make lab N=8`.

	ud2                             ; TODO: replace this with your code
