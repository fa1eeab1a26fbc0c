/* The control-register and EFER bits that the boot code (entry.asm), the
 * trampoline and the kernel set (SDM Vol 3A 2.5 control registers, 2.2.1
 * EFER). Plain "#define NAME VALUE" lines: the build turns them into NASM
 * %defines (build/kernel/arch/control_regs.inc), so each is written once. */
#ifndef ARCH_CONTROL_REGS_H
#define ARCH_CONTROL_REGS_H

#define CR0_PE 0x00000001
#define CR0_WP 0x00010000
#define CR0_NW 0x20000000
#define CR0_CD 0x40000000
#define CR0_PG 0x80000000
#define CR4_PAE 0x00000020
#define MSR_EFER 0xC0000080
#define EFER_LME 0x00000100
#define EFER_NXE 0x00000800

#endif
