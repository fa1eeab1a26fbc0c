# Fuzzers (clang's libFuzzer, with ASan and UBSan).  Included by the
# top-level Makefile.  Each tests/fuzz/fuzz_X.c is linked with the same pure
# kernel/monitor sources the kernel compiles into build/fuzz/fuzz_X.
#   make fuzz                 run every target for FUZZ_SECONDS (default 60)
#   make fuzz FUZZ_TARGETS='fuzz_madt fuzz_acpi'   some of them
# `make test` runs each briefly on its seeds (tests/fuzz/test_fuzz_smoke.py).
# Seeds: tests/fuzz/seeds/TARGET/, and for the ACPI and multiboot 2 targets
# the fixtures `make unit` dumps from QEMU (tests/fuzz/fuzzrun.py copies
# them), so building and running the fuzzers never starts QEMU.

FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_CC      := clang
FUZZ_CFLAGS  := -std=c11 -g -O1 -Wall -Wextra -Werror -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
	-I. -Ikernel -Itests/fuzz -MMD -MP

# target name, then the sources under test, all separated by ':'
FUZZ_SPECS := \
	fuzz_lineedit:monitor/lineedit.c \
	fuzz_parse:kernel/lib/parse.c \
	fuzz_command:monitor/command.c:monitor/commands.c:kernel/lib/parse.c \
	fuzz_madt:kernel/acpi/madt.c:kernel/acpi/table.c \
	fuzz_acpi:kernel/acpi/rsdp.c:kernel/acpi/table.c:kernel/acpi/madt.c:kernel/acpi/ignored.c:kernel/lib/format.c \
	fuzz_multiboot1:kernel/boot/multiboot1.c:kernel/boot/bootinfo.c:kernel/mm/memmap.c \
	fuzz_multiboot2:kernel/boot/multiboot2.c:kernel/boot/bootinfo.c:kernel/mm/memmap.c:kernel/boot/cmdline.c:kernel/lib/parse.c \
	fuzz_cmdline:kernel/boot/cmdline.c:kernel/lib/parse.c:kernel/mm/memmap.c \
	fuzz_memmap:kernel/mm/memmap.c \
	fuzz_pagewalk:kernel/mm/pagewalk.c \
	fuzz_status_format:kernel/smp/status_format.c:kernel/lib/format.c:kernel/arch/exceptions.c

FUZZ_ALL     := $(foreach s,$(FUZZ_SPECS),$(firstword $(subst :, ,$(s))))
FUZZ_TARGETS ?= $(FUZZ_ALL)

.PHONY: fuzz fuzz-build

fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/%)

fuzz: fuzz-build
	@$(PYTHON) tests/fuzz/fuzzrun.py --seconds $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CLANG   $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

define FUZZ_TARGET_RULE
$(FUZZ_BUILD)/$(1): $(FUZZ_BUILD)/obj/tests/fuzz/$(1).o $(2:%.c=$(FUZZ_BUILD)/obj/%.o)
	@echo "  LD      $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $$^ -o $$@
endef
$(foreach s,$(FUZZ_SPECS),$(eval $(call FUZZ_TARGET_RULE,$(firstword $(subst :, ,$(s))),$(wordlist 2,99,$(subst :, ,$(s))))))
