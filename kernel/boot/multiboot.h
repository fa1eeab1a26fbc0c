/* The multiboot facts the kernel's header (entry.asm) and its readers of
 * the boot information share. The build turns every "#define NAME VALUE"
 * line into a NASM %define (build/kernel/boot/multiboot.inc), so keep
 * those lines plain.
 *
 * Multiboot 1: Multiboot Specification 0.6.96. QEMU's -kernel and GRUB's
 * `multiboot` command load it; EAX = MB1_LOADER_MAGIC at entry.
 * Multiboot 2: Multiboot2 Specification 2.0. GRUB's `multiboot2` command
 * loads it; EAX = MB2_LOADER_MAGIC. Both enter in 32-bit protected mode,
 * paging off, EBX = physical address of the boot information. */
#ifndef BOOT_MULTIBOOT_H
#define BOOT_MULTIBOOT_H

/* 0.6.96 section 3.1.1: the header, in the first 8 KiB of the file. */
#define MB1_HEADER_MAGIC 0x1BADB002
#define MB1_HEADER_FLAGS 0x00000003
#define MB1_LOADER_MAGIC 0x2BADB002

/* 2.0 section 3.1.1: the header, 8-byte aligned in the first 32 KiB. */
#define MB2_HEADER_MAGIC 0xE85250D6
#define MB2_ARCH_I386 0
#define MB2_LOADER_MAGIC 0x36D76289

/* 2.0 section 3.1.4: header tags. */
#define MB2_HEADER_TAG_END 0
#define MB2_HEADER_TAG_INFO_REQUEST 1

/* 2.0 section 3.6: boot information tags (8-byte aligned, each starts
 * with u32 type, u32 size; the size does not count the padding). */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_LOADER_NAME 2
#define MB2_TAG_MMAP 6
#define MB2_TAG_EFI64 12
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15
#define MB2_TAG_EFI_MMAP 17

#endif
