# Host unit tests (cmocka).  Included by the top-level Makefile.
# Each tests/unit/test_X.c is linked with the pure kernel/monitor sources it
# tests into build/unit/test_X; the string functions come from the host libc.

UNIT_BUILD  := $(BUILD)/unit
# QEMU's real ACPI tables, dumped by booting SeaBIOS (tools/dump-acpi.py):
# made by the build, not kept in the repository.
ACPI_FIXTURES := $(UNIT_BUILD)/fixtures
UNIT_CC     := gcc
# UNIT_CFLAGS and UNIT_LIBS are recursive (=): pkg-config runs when a recipe
# needs them, after `make test` has installed pkg-config and cmocka (deps).
UNIT_CFLAGS  = -std=c11 -Wall -Wextra -Werror -g \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-I. -Ikernel -MMD -MP $(shell pkg-config --cflags cmocka) \
	-DFIXTURE_DIR='"$(CURDIR)/$(ACPI_FIXTURES)"' \
	-DTRAMP_BUILD_DIR='"$(CURDIR)/$(TRAMP_DIR)"'
UNIT_LIBS    = $(shell pkg-config --libs cmocka)

# test name, then the sources under test, all separated by ':'
UNIT_SPECS := \
	test_parse:kernel/lib/parse.c \
	test_lineedit:monitor/lineedit.c \
	test_line_ring:kernel/lib/line_ring.c \
	test_command:monitor/command.c \
	test_madt:kernel/acpi/madt.c:kernel/acpi/table.c:kernel/acpi/rsdp.c:kernel/acpi/ignored.c:kernel/lib/format.c:tests/unit/fixture.c \
	test_pagewalk:kernel/mm/pagewalk.c \
	test_flags:kernel/arch/flags.c \
	test_format:kernel/lib/format.c \
	test_memmap:kernel/mm/memmap.c:kernel/boot/multiboot1.c:kernel/boot/bootinfo.c \
	test_cmdline:kernel/boot/cmdline.c:kernel/lib/parse.c:kernel/mm/memmap.c \
	test_multiboot2:kernel/boot/multiboot2.c:kernel/boot/bootinfo.c:kernel/mm/memmap.c:tests/unit/fixture.c \
	test_status_format:kernel/smp/status_format.c:kernel/lib/format.c:kernel/arch/exceptions.c \
	test_layout:kernel/smp/slot_area.c \
	test_frames:kernel/mm/frames.c \
	test_tsc_check:kernel/smp/tsc_check.c:kernel/lib/format.c \
	test_cpu_setup:kernel/arch/cpu_setup.c:kernel/lib/format.c

UNIT_TESTS := $(foreach s,$(UNIT_SPECS),$(UNIT_BUILD)/$(firstword $(subst :, ,$(s))))

unit: $(UNIT_TESTS)

$(UNIT_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(UNIT_CC) $(UNIT_CFLAGS) -c $< -o $@

define UNIT_TEST_RULE
$(UNIT_BUILD)/$(1): $(UNIT_BUILD)/obj/tests/unit/$(1).o $(2:%.c=$(UNIT_BUILD)/obj/%.o)
	$$(UNIT_CC) $$(UNIT_CFLAGS) $$(filter %.o,$$^) -o $$@ $$(UNIT_LIBS)
endef
$(foreach s,$(UNIT_SPECS),$(eval $(call UNIT_TEST_RULE,$(firstword $(subst :, ,$(s))),$(wordlist 2,99,$(subst :, ,$(s))))))

# test_layout reads the assembled trampoline and its label offsets.
$(UNIT_BUILD)/test_layout: $(TRAMP_DIR)/labels.txt

# test_madt reads the ACPI tables QEMU builds for two topologies.
$(ACPI_FIXTURES)/smp4.bin: tools/dump-acpi.py
	@mkdir -p $(dir $@)
	@$(PYTHON) tools/dump-acpi.py smp4 4 --out $(ACPI_FIXTURES)
$(ACPI_FIXTURES)/smp6-2s3c.bin: tools/dump-acpi.py
	@mkdir -p $(dir $@)
	@$(PYTHON) tools/dump-acpi.py smp6-2s3c 6,sockets=2,cores=3 --out $(ACPI_FIXTURES)
$(UNIT_BUILD)/test_madt: $(ACPI_FIXTURES)/smp4.bin $(ACPI_FIXTURES)/smp6-2s3c.bin

# test_multiboot2 reads the boot information GRUB hands over, under SeaBIOS
# and under OVMF (tools/dump-multiboot.py boots the ISO to take it).
$(ACPI_FIXTURES)/mb2-%.bin: tools/dump-multiboot.py $(BUILD)/smplab.iso
	@mkdir -p $(dir $@)
	@$(PYTHON) tools/dump-multiboot.py mb2-$* $* --out $(ACPI_FIXTURES)
$(UNIT_BUILD)/test_multiboot2: $(ACPI_FIXTURES)/mb2-bios.bin $(ACPI_FIXTURES)/mb2-uefi.bin
