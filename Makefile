# smplab — build, run, debug and test the x86-64 AP bring-up kernel.
#   make run     boot the monitor in QEMU (serial on this terminal)
#   make test    every test: host unit tests, QEMU tests, GDB tests, labs
#   make iso     build/smplab.iso: GRUB for BIOS and UEFI, then the kernel
# Variables: SMP (CPUs, default 4), ACCEL (auto|kvm|tcg), MEM, QEMU_EXTRA,
# BOOT (kernel|iso), FIRMWARE (bios|uefi), MACHINE (pc|q35),
# GRUB_ENTRY (multiboot2|multiboot).

SMP        ?= 4
ACCEL      ?= auto
MEM        ?= 128M
QEMU_EXTRA ?=
GDBPORT    ?= 1234
BOOT       ?= kernel
FIRMWARE   ?= bios
MACHINE    ?= pc
GRUB_ENTRY ?= multiboot2

BUILD   := build
TRAMP_DIR := $(BUILD)/trampoline
# The reference kernels of `make bench` (tools/bench/).
BENCH_DIR  := $(BUILD)/bench
BENCH_REFS := $(BENCH_DIR)/ref_byte.elf $(BENCH_DIR)/ref_smp.elf
CC      := gcc
LD      := ld
NASM    := nasm
# Debian's Python, which has the packages `make deps` installs (pytest, pexpect, capstone),
# whatever other python3 comes first on PATH (pyenv, conda, a venv).
PYTHON  := /usr/bin/python3

KCFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -nostdlib \
	-fno-stack-protector -fno-tree-loop-distribute-patterns -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
	-fno-omit-frame-pointer -fno-asynchronous-unwind-tables \
	-Ikernel -I. -MMD -MP
KLDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack -T kernel/boot/linker.ld

KERNEL_C := $(wildcard kernel/*.c kernel/*/*.c monitor/*.c)
KERNEL_ASM := $(wildcard kernel/*/*.asm)
KERNEL_OBJ := $(KERNEL_ASM:%.asm=$(BUILD)/%.o) $(KERNEL_C:%.c=$(BUILD)/%.o)

LAUNCH := $(PYTHON) tools/launch.py --smp $(SMP) --accel $(ACCEL) --mem $(MEM) \
	--boot $(BOOT) --firmware $(FIRMWARE) --machine $(MACHINE) --grub-entry $(GRUB_ENTRY) \
	--extra "$(QEMU_EXTRA)"
# What the chosen boot path boots; the tests and labs boot the same way.
BOOT_IMAGE := $(if $(filter iso,$(BOOT)),$(BUILD)/smplab.iso)
BOOT_ENV := SMPLAB_BOOT=$(BOOT) SMPLAB_FIRMWARE=$(FIRMWARE) SMPLAB_MACHINE=$(MACHINE) \
	SMPLAB_GRUB_ENTRY=$(GRUB_ENTRY)

.PHONY: all deps run debug gdb test unit lab lab8-kernel bench iso clean

all: $(BUILD)/smplab.elf $(BUILD)/smplab32.elf $(TRAMP_DIR)/labels.txt $(TRAMP_DIR)/layout.json \
	$(TRAMP_DIR)/trampoline.sym.elf $(BENCH_REFS)

deps:
	@sh tools/install-deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KCFLAGS) -c $< -o $@

$(BUILD)/%.o: %.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(NASM) -f elf64 -g -F dwarf -Ikernel/ -I$(BUILD)/kernel/ -I$(TRAMP_DIR)/ -MD $(@:.o=.d) $< -o $@

# Headers shared with NASM (kernel/boot/multiboot.h, kernel/arch/control_regs.h,
# kernel/dev/pit.h)
# are the one definition of their facts; NASM reads them as %defines.
$(BUILD)/%.inc: %.h
	@mkdir -p $(dir $@)
	@sed -n 's/^#define \([A-Z_0-9]*\) \(.*\)$$/%define \1 \2/p' $< > $@

CONTROL_REGS_INC := $(BUILD)/kernel/arch/control_regs.inc
$(BUILD)/kernel/boot/entry.o: $(BUILD)/kernel/boot/multiboot.inc $(CONTROL_REGS_INC)

# The AP trampoline: a flat binary, embedded in the kernel.

# asm-offsets: the compiler works out the trampoline's layout from the C
# structs (trampoline/offsets.c); every "->NAME value" line of its assembly
# output becomes a NASM %define.
$(TRAMP_DIR)/offsets.s: trampoline/offsets.c
	@mkdir -p $(dir $@)
	@echo "  CC -S   $<"
	@$(CC) $(KCFLAGS) -S $< -o $@

$(TRAMP_DIR)/layout.inc: $(TRAMP_DIR)/offsets.s
	@sed -n 's/^->\([A-Z_0-9]*\) \([0-9]*\) .*$$/%define \1 \2/p' $< > $@

$(TRAMP_DIR)/trampoline.bin: trampoline/trampoline.asm $(TRAMP_DIR)/layout.inc \
		$(CONTROL_REGS_INC) trampoline/long_mode.asm
	@echo "  NASM    $<"
	@$(NASM) -f bin -I$(TRAMP_DIR)/ -I$(BUILD)/kernel/ -Itrampoline/ -DTRAMP_MAP=$(TRAMP_DIR)/trampoline.map \
		-l $(TRAMP_DIR)/trampoline.lst $< -o $@

# Label offsets for the GDB scripts: "name 0xoffset" per line.
$(TRAMP_DIR)/labels.txt: $(TRAMP_DIR)/trampoline.bin
	@awk '/^Real/ { on = 1; next } on && NF == 3 && $$3 !~ /^\.\.@/ \
		{ printf "%s 0x%s\n", $$3, tolower($$1) }' $(TRAMP_DIR)/trampoline.map > $@

# The labels as an ELF file of symbols over the trampoline's bytes, for GDB's `disassemble`,
# `info symbol` and `bt`: gdb/smplab_gdb/symbols.py loads it where the trampoline runs.
$(TRAMP_DIR)/trampoline.sym.elf: $(TRAMP_DIR)/trampoline.bin $(TRAMP_DIR)/labels.txt
	@objcopy -I binary -O elf64-x86-64 --rename-section .data=.text,alloc,load,readonly,code,contents \
		--wildcard --strip-symbol='_binary_*' \
		$$(awk '$$1 !~ /\./ { printf " --add-symbol %s=.text:%s,global", $$1, $$2 }' \
		$(TRAMP_DIR)/labels.txt) $< $@

$(BUILD)/kernel/smp/trampoline_blob.o: $(TRAMP_DIR)/trampoline.bin

# The same layout, the stage table, the labels and the kernel symbols that
# GDB reads, for every Python reader.
$(TRAMP_DIR)/layout.json: tools/gen-layout-json.py $(TRAMP_DIR)/offsets.s \
		$(TRAMP_DIR)/labels.txt $(BUILD)/smplab.elf
	@echo "  GEN     $@"
	@$(PYTHON) tools/gen-layout-json.py $(TRAMP_DIR)/offsets.s $(TRAMP_DIR)/labels.txt \
		$(BUILD)/smplab.elf > $@.tmp && mv $@.tmp $@

# The 64-bit ELF keeps the symbols for GDB; QEMU's -kernel only loads a
# 32-bit ELF, so boot a 32-bit copy of the same image.
$(BUILD)/smplab.elf: $(KERNEL_OBJ) kernel/boot/linker.ld
	@echo "  LD      $@"
	@$(LD) $(KLDFLAGS) -o $@ $(KERNEL_OBJ)

$(BUILD)/smplab32.elf: $(BUILD)/smplab.elf
	@echo "  OBJCOPY $@"
	@objcopy -O elf32-i386 $< $@

# A GRUB image that boots under BIOS (i386-pc) and UEFI (x86_64-efi); the
# kernel is the 32-bit ELF, which both the multiboot and multiboot2
# commands load. grub-mkrescue is quiet unless it fails.
ISO_ROOT := $(BUILD)/iso
$(BUILD)/smplab.iso: $(BUILD)/smplab32.elf kernel/boot/grub.cfg
	@echo "  ISO     $@"
	@rm -rf $(ISO_ROOT) && mkdir -p $(ISO_ROOT)/boot/grub
	@cp $(BUILD)/smplab32.elf $(ISO_ROOT)/boot/smplab.elf
	@cp kernel/boot/grub.cfg $(ISO_ROOT)/boot/grub/grub.cfg
	@grub-mkrescue -o $@ $(ISO_ROOT) > $(BUILD)/iso.log 2>&1 || \
		{ cat $(BUILD)/iso.log; rm -f $@; exit 1; }

iso: deps $(BUILD)/smplab.iso

run: deps all $(BOOT_IMAGE)
	@$(LAUNCH)

# QEMU as for `make run`, but paused, with a gdbstub; `make gdb` attaches.
debug: deps all $(BOOT_IMAGE)
	@echo "smplab: QEMU is paused with a gdbstub on port $(GDBPORT); run 'make gdb' in a second terminal"
	@$(LAUNCH) --paused --gdb $(GDBPORT)

gdb: deps all
	@echo "smplab: attaching GDB; try 'help smplab', 'smplab break-modes', then 'continue'"
	@gdb -q -x gdb/gdbinit -ex "target remote :$(GDBPORT)"

include tests/unit/unit.mk
include tests/fuzz/fuzz.mk

# pytest (pytest.ini, conftest.py): unit, QEMU, GDB and lab tests; the last line counts them all.
# PYTEST_ARGS picks some, e.g. make test PYTEST_ARGS='-k monitor'.
test: deps all unit $(BUILD)/smplab.iso
	@$(BOOT_ENV) SMPLAB_ACCEL=$(if $(filter auto,$(ACCEL)),,$(ACCEL)) \
		$(PYTHON) -m pytest -v $(PYTEST_ARGS)

# Lab 8: the kernel again, with a learner's start_sequence.c and
# long_mode.asm in place of the reference ones; everything else is shared.
LAB8_DIR      := labs/08-write-it-yourself
LAB8_SEQUENCE ?= $(LAB8_DIR)/start_sequence.c
LAB8_STAGE    ?= $(LAB8_DIR)/long_mode.asm
LAB8_OUT      ?= $(BUILD)/lab8
LAB8_SHARED   := $(filter-out $(BUILD)/kernel/smp/start_sequence.o \
	$(BUILD)/kernel/smp/trampoline_blob.o,$(KERNEL_OBJ))

lab8-kernel: $(LAB8_SHARED) $(TRAMP_DIR)/layout.inc $(CONTROL_REGS_INC)
	@rm -f $(LAB8_OUT)/smplab.elf $(LAB8_OUT)/smplab32.elf
	@mkdir -p $(LAB8_OUT)/stage
	@cp $(LAB8_STAGE) $(LAB8_OUT)/stage/long_mode.asm
	@$(CC) $(KCFLAGS) -c $(LAB8_SEQUENCE) -o $(LAB8_OUT)/start_sequence.o
	@$(NASM) -f bin -I$(TRAMP_DIR)/ -I$(BUILD)/kernel/ -I$(LAB8_OUT)/stage/ -DTRAMP_MAP=$(LAB8_OUT)/trampoline.map \
		-l $(LAB8_OUT)/trampoline.lst trampoline/trampoline.asm -o $(LAB8_OUT)/trampoline.bin
	@$(NASM) -f elf64 -I$(LAB8_OUT)/ kernel/smp/trampoline_blob.asm -o $(LAB8_OUT)/trampoline_blob.o
	@$(LD) $(KLDFLAGS) -o $(LAB8_OUT)/smplab.elf $(LAB8_SHARED) $(LAB8_OUT)/start_sequence.o \
		$(LAB8_OUT)/trampoline_blob.o
	@objcopy -O elf32-i386 $(LAB8_OUT)/smplab.elf $(LAB8_OUT)/smplab32.elf
	@echo "  LAB8    $(LAB8_OUT)/smplab32.elf ($(LAB8_SEQUENCE), $(LAB8_STAGE))"

# One lab's check: make lab N=3 (ACCEL and SMP pass through).
lab: deps all $(BOOT_IMAGE)
	@test -n "$(N)" || { echo "usage: make lab N=1..8"; exit 2; }
	@$(BOOT_ENV) SMPLAB_ACCEL=$(if $(filter auto,$(ACCEL)),,$(ACCEL)) SMPLAB_LAB_SMP=$(SMP) \
		SMPLAB_LAB_RUN=1 \
		SMPLAB_LAB8=$(if $(filter 8,$(N)),learner,reference) \
		$(PYTHON) -m pytest -v labs/0$(N)-*

# The reference kernels `make bench` measures smplab against (tools/bench/):
# 32-bit multiboot 1 ELFs that QEMU's -kernel boots, linked like smplab.
BENCH_NASM := $(NASM) -f elf32 -Itools/bench/ -I$(BUILD)/kernel/ -I$(BUILD)/tools/bench/
BENCH_INCS := $(BUILD)/kernel/boot/multiboot.inc $(CONTROL_REGS_INC) $(BUILD)/tools/bench/ref_facts.inc \
	$(BUILD)/kernel/dev/pit.inc

$(BENCH_DIR)/ref_byte.o $(BENCH_DIR)/ref_smp.o $(BENCH_DIR)/ref_ap.o: $(BENCH_INCS) \
	tools/bench/mb1_header.inc
$(BENCH_DIR)/%.o: tools/bench/%.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	@$(BENCH_NASM) $< -o $@

$(BENCH_DIR)/ref_byte.elf: $(BENCH_DIR)/ref_byte.o kernel/boot/linker.ld
	@echo "  LD      $@"
	@$(LD) -m elf_i386 $(KLDFLAGS) -o $@ $<

$(BENCH_DIR)/ref_smp.elf: $(BENCH_DIR)/ref_smp.o $(BENCH_DIR)/ref_ap.o kernel/boot/linker.ld
	@echo "  LD      $@"
	@$(LD) -m elf_i386 $(KLDFLAGS) -o $@ $(BENCH_DIR)/ref_smp.o $(BENCH_DIR)/ref_ap.o

# Figures, not pass/fail: smplab's boot and AP start-up times beside the
# reference kernels', as ratios (tools/bench.py; RUNS= runs per figure).
RUNS ?= 5
bench: deps all
	@$(PYTHON) tools/bench.py --runs $(RUNS)

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
