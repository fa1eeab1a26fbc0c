"""Known-wrong long-mode switches (lab 8 check): each is the reference,
trampoline/long_mode.asm, with one mistake made in it, so that the mistake is all
that differs and the check follows the reference when it changes. Each gets the
hint that names the mistake (test_lab8.py).

    name: (what goes wrong, text of the reference, what it becomes, expected hint)"""

MISTAKES = {
    "no_pae": (
        "paging on in IA-32e mode without CR4.PAE. A real CPU (and KVM) raises #GP at "
        "the MOV to CR0; QEMU's TCG turns on 32-bit paging instead, and the machine "
        "triple-faults",
        "\tmov eax, cr4\n\tor eax, CR4_PAE\n\tmov cr4, eax\n", "",
        "CR4.PAE is 0"),
    "no_lme": (
        "EFER.LME never set, so paging turns on in 32-bit PAE mode over page tables "
        "built for long mode: the next fetch goes astray and the machine triple-faults",
        "\tmov ecx, MSR_EFER\n\trdmsr\n\tor eax, [ebp + TP_EFER]\n\twrmsr\n", "",
        "EFER.LME is 0"),
    "no_cr3": (
        "CR3 never loaded, so it holds 0 from INIT: paging goes on over whatever the "
        "first page of memory holds, and the machine triple-faults",
        "\tmov eax, [ebp + TP_CR3]\n\tmov cr3, eax\n", "",
        "CR3 is 0"),
    "no_pg": (
        "paging never turned on (CR0.WP alone), so the CPU stays in protected mode and "
        "the far jump runs lm_entry's 64-bit code in a segment it treats as 16-bit",
        "or eax, CR0_PG | CR0_WP", "or eax, CR0_WP",
        "CR0.PG is 0"),
    "no_wp": (
        "long mode reached, but without CR0.WP, so the AP's kernel code may write to "
        "read-only pages (the BSP has WP set)",
        "or eax, CR0_PG | CR0_WP", "or eax, CR0_PG",
        "CR0.WP"),
    "unrelocated_jump": (
        "the classic trampoline bug: a far jump to the label as assembled (origin 0) "
        "instead of through TP_LM_FAR, which holds the trampoline's base + lm_entry",
        "jmp far [ebp + TP_LM_FAR]", "jmp dword TRAMP_CS64:lm_entry",
        "the far jump went to an unrelocated address"),
    "near_jump": (
        "a near jump to lm_entry: the address is right, but CS still holds the 32-bit "
        "code segment, so the 64-bit code after it runs in compatibility mode",
        "jmp far [ebp + TP_LM_FAR]", "jmp lm_entry",
        "jump far"),
}
