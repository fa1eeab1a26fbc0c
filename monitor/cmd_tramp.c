/* tramp and cpudata: prepare what an AP needs before it is started. */
#include "arch/cpu.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "monitor/handlers.h"
#include "monitor/monitor.h"
#include "monitor/prepare.h"
#include "monitor/target.h"
#include "smp/ap_state.h"
#include "smp/cpu_data.h"
#include "smp/status_format.h"
#include "smp/trampoline.h"

#define CPUID1_ECX_HYPERVISOR	(1u << 31)	/* set by hypervisors for their guests */
#define CPUID_HYPERVISOR_LEAF	0x40000000	/* EBX ECX EDX: the hypervisor's name */

extern const char kernel_text_start[], kernel_text_end[];

static void print_params(const struct tramp_params *p)
{
	uint32_t base = p->base;

	kprintf("trampoline at vector 0x%02x: 0x%x-0x%x (%u pages)\n", base >> 12,
		base, base + p->pages * 4096 - 1, p->pages);
	kprintf("  code and tables  0x%x, %u bytes; real mode starts at %04x:0000\n",
		base, p->size_bytes, base >> 4);
	kprintf("  slot table       0x%x (%u slots: each CPU's APIC ID, in MADT order)\n",
		base + p->slot_table, p->slots);
	kprintf("  stage records    0x%x (%d bytes per slot)\n",
		base + p->records, (int)sizeof(struct ap_record));
	kprintf("  early stacks     0x%x (%d bytes per slot)\n",
		base + p->stacks, TRAMP_EARLY_STACK);
	kprintf("parameter block at 0x%x:\n", base + TP_OFFSET);
	kprintf("  magic      0x%08x\n", p->magic);
	kprintf("  base       0x%08x  physical address of the trampoline\n", p->base);
	kprintf("  cr3        0x%08x  page tables the AP loads (32-bit mov: below 4 GiB)\n", p->cr3);
	kprintf("  efer       0x%08lx  EFER bits the AP sets: LME%s\n", p->efer,
		p->efer & (1ull << 11) ? " NXE" : "");
	kprintf("  cpu_table  0x%08lx  struct cpu_data *[%u], by slot\n",
		p->cpu_table, p->slots);
	kprintf("  gdtr       base 0x%x limit 0x%x  (GDT at offset 0x%x)\n",
		p->gdtr_base, p->gdtr_limit, p->gdt);
	kprintf("  pm_far     %04x:%08x  far jump to pm_entry (offset 0x%x)\n",
		p->pm_far_selector, p->pm_far_offset, p->pm_entry);
	kprintf("  lm_far     %04x:%08x  far jump to lm_entry (offset 0x%x)\n",
		p->lm_far_selector, p->lm_far_offset, p->lm_entry);
	kprintf("  rm_idtr    base 0x%x limit 0x%x  real-mode IVT -> stubs at %04x:%04x\n",
		p->rm_idtr_base, p->rm_idtr_limit, base >> 4, p->rm_stubs);
	kprintf("  pm_idtr    base 0x%x limit 0x%x  32-bit IDT -> stubs at 0x%x\n",
		p->pm_idtr_base, p->pm_idtr_limit, base + p->pm_stubs);
	kprintf("  lm_idtr    base 0x%lx limit 0x%x  64-bit IDT -> stubs at 0x%x\n",
		p->lm_idtr_base, p->lm_idtr_limit, base + p->lm_stubs);
}

static int tramp_install_cmd(int argc, char *argv[])
{
	uint64_t vector;
	bool force = argc == 4 && strcmp(argv[3], "force") == 0;

	if (argc < 3 || argc > 4 || (argc == 4 && !force))
		return usage_error(argv[0]);
	if (!arg_number(argv[2], "VEC", &vector))
		return 1;
	if (vector > 0xFF) {
		kprintf("error: VEC 0x%lx: a SIPI vector is 8 bits (0x01-0xff); the AP "
			"starts at VEC * 4096, below 1 MiB\n", vector);
		return 1;
	}
	enum tramp_vector_check check = tramp_check_vector((uint8_t)vector);
	if (check != TRAMP_VECTOR_OK && !force) {
		kprintf("error: vector 0x%02lx (0x%lx-0x%lx): %s; add 'force' to install anyway\n",
			vector, vector << 12, (vector << 12) + tramp_pages() * 4096 - 1,
			vector_problem(check));
		return 1;
	}
	if (!install_trampoline((uint8_t)vector))
		return 1;
	if (check != TRAMP_VECTOR_OK)
		kprintf("warning: forced: %s\n", vector_problem(check));
	kprintf("installed: copied %u bytes to 0x%lx and wrote its parameter block\n",
		tramp_code_size(), vector << 12);
	print_params(tramp_params());
	return 0;
}

static bool under_kvm(void)
{
	if (!(cpuid(1, 0).ecx & CPUID1_ECX_HYPERVISOR))
		return false;
	struct cpuid_regs r = cpuid(CPUID_HYPERVISOR_LEAF, 0);
	uint32_t name[3] = { r.ebx, r.ecx, r.edx };

	return memcmp(name, "KVMKVMKVM", 9) == 0;
}

/* tramp fault real|protected|long: put a UD2 at the next mode switch,
 * so that the next AP to start takes #UD in that mode, the stage it is in. */
static int tramp_fault_cmd(int argc, char *argv[])
{
	static const struct {
		enum stage mode;
		const char *label;
		enum tramp_fault_site site;
	} modes[] = {
		{ STAGE_REAL, "pm_enter", TRAMP_FAULT_REAL },
		{ STAGE_PROTECTED, "lm_enter", TRAMP_FAULT_PROTECTED },
		{ STAGE_LONG, "c_call", TRAMP_FAULT_LONG },
	};
	unsigned count = sizeof(modes) / sizeof(modes[0]);
	unsigned i;

	if (argc != 3)
		return usage_error(argv[0]);
	for (i = 0; i < count && strcmp(argv[2], stage_name(modes[i].mode)) != 0; i++)
		;
	if (i == count) {
		kprintf("error: MODE is real, protected or long\n");
		return 1;
	}
	uint64_t at = tramp_plant_fault(modes[i].site);
	if (!at) {
		kprintf("error: no trampoline installed\n");
		return 1;
	}
	kprintf("planted ud2 at 0x%lx (%s): the next AP to start takes #UD in %s "
		"mode; 'tramp install 0x%x' repairs it\n", at, modes[i].label,
		stage_name(modes[i].mode), tramp_vector());
	if (modes[i].site == TRAMP_FAULT_REAL && under_kvm())
		kprintf("warning: under a hypervisor (KVM) a real-mode #UD may need "
			"emulation the host lacks: on some hosts QEMU then stops with "
			"\"KVM internal error\"; TCG always works\n");
	return 0;
}

static const struct command tramp_words[] = {
	{ "install", "tramp install VEC [force]", "copy the trampoline to VEC * 4096", tramp_install_cmd },
	{ "fault", "tramp fault real|protected|long", "plant a ud2 in one mode", tramp_fault_cmd },
};
#define TRAMP_WORDS (sizeof(tramp_words) / sizeof(tramp_words[0]))

int cmd_tramp(int argc, char *argv[])
{
	if (argc >= 2) {
		const struct command *c = command_find(tramp_words, TRAMP_WORDS, argv[1]);
		const char *near = command_suggest(tramp_words, TRAMP_WORDS, argv[1]);

		if (c)
			return c->handler(argc, argv);
		if (near) {
			kprintf("error: 'tramp %s': did you mean 'tramp %s'?\n", argv[1], near);
			return 1;
		}
		return usage_error(argv[0]);
	}
	if (!tramp_installed()) {
		uint8_t v = tramp_default_vector();

		if (v)
			kprintf("no trampoline installed; 'tramp install 0x%02x' puts one at 0x%x\n",
				v, v << 12);
		else
			kprintf("no trampoline installed, and no page below 0xA0000 is usable RAM "
				"for one ('mem' shows the map)\n");
		return 0;
	}
	print_params(tramp_params());
	return 0;
}

static void print_cpu_data(const struct cpu_data *cd)
{
	char size[16];

	format_size(size, sizeof(size), cd->stack_size);
	kprintf("%4u  %3u  0x%08lx  0x%08lx %-11s  0x%08lx-0x%08lx  %7s  %s\n",
		cd->apic_id, cd->index, (uint64_t)cd, (uint64_t)cd->entry,
		cd->entry == ap_entry ? "(ap_entry)" : "",
		cd->stack_base, cd->stack_top - 1, size,
		cpu_data_stack_intact(cd) ? "intact" : "OVERWRITTEN");
}

static void print_cpu_data_header(void)
{
	kprintf("APIC  CPU  cpu_data    entry                   stack                    size  canary\n");
}

static int cpudata_show_all(void)
{
	int shown = 0;

	for (unsigned slot = 0; slot < ap_slots(); slot++) {
		const struct cpu_data *cd = cpu_table[slot];

		if (!cd)
			continue;
		if (!shown++)
			print_cpu_data_header();
		print_cpu_data(cd);
	}
	if (!shown)
		kprintf("no cpu_data yet; 'cpudata APIC' builds one\n");
	return 0;
}

/* cpudata APIC [entry=ADDR] [stack=SIZE] [force] */
int cmd_cpudata(int argc, char *argv[])
{
	uint32_t apic;
	uint64_t entry = (uint64_t)ap_entry, stack = AP_STACK_DEFAULT;
	bool force = false;

	if (argc == 1)
		return cpudata_show_all();
	if (argc > 5)
		return usage_error(argv[0]);
	if (!parse_target(argv[1], false, &apic))
		return 1;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "force") == 0) {
			force = true;
			continue;
		}
		if (strncmp(argv[i], "entry=", 6) == 0) {
			if (!arg_number(argv[i] + 6, "entry", &entry))
				return 1;
		} else if (strncmp(argv[i], "stack=", 6) == 0) {
			if (!arg_number(argv[i] + 6, "stack", &stack))
				return 1;
		} else {
			kprintf("error: '%s': expected entry=ADDR, stack=SIZE or force\n", argv[i]);
			return usage_error(argv[0]);
		}
	}
	struct cpu_data *cd;
	if (!build_cpu_data(apic, (void (*)(const struct cpu_data *))entry, stack, force, &cd))
		return 1;
	if (stack < AP_STACK_MIN)
		kprintf("warning: forced: a %lu-byte stack is too small for ap_entry; watch "
			"the canary in 'cpudata' and 'status'\n", stack);
	print_cpu_data_header();
	print_cpu_data(cd);
	kprintf("cpu_table[%u] = 0x%lx; the trampoline calls entry(cpu_data) on this stack\n",
		cd->index, (uint64_t)cd);
	if (entry < (uint64_t)kernel_text_start || entry >= (uint64_t)kernel_text_end)
		kprintf("warning: entry 0x%lx is outside the kernel's code; the AP will run "
			"whatever is there\n", entry);
	return 0;
}
