#include <stdbool.h>

#include "arch/cpu.h"
#include "arch/exceptions.h"
#include "arch/trap.h"
#include "dev/lapic.h"
#include "lib/console.h"
#include "lib/format.h"

/* Recovery is per CPU: only the CPU that armed it may jump back. */
static struct jump_ctx *recovery_ctx;
static uint32_t recovery_apic_id;
static trap_halt_hook_fn halt_hook;

void trap_set_halt_hook(trap_halt_hook_fn hook)
{
	halt_hook = hook;
}

void trap_arm_recovery(struct jump_ctx *ctx)
{
	recovery_apic_id = cpu_apic_id();
	__atomic_store_n(&recovery_ctx, ctx, __ATOMIC_RELEASE);
}

void trap_disarm_recovery(void)
{
	__atomic_store_n(&recovery_ctx, NULL, __ATOMIC_RELEASE);
}

/* Page-fault error code bits (SDM Vol 3A 4.7, figure 4-12). */
static void describe_page_fault(uint64_t error, char *buf, size_t size)
{
	ksnprintf(buf, size, " (%s, %s, %s%s%s)",
		  error & 1 ? "protection violation" : "page not present",
		  error & 2 ? "write" : "read",
		  error & 4 ? "user" : "supervisor",
		  error & 8 ? ", reserved bit set" : "",
		  error & 16 ? ", instruction fetch" : "");
}

static void report(const struct trap_frame *f, uint32_t apic_id)
{
	char detail[96] = "";

	if (f->vector == 14)
		describe_page_fault(f->error, detail, sizeof(detail));
	else if (f->vector == 13 && f->error == 0)
		ksnprintf(detail, sizeof(detail),
			  " (a non-canonical address or a privileged operation)");

	kprintf("\n*** CPU with APIC ID %u: %s, error code 0x%lx%s\n"
		"    RIP %016lx  CS %04lx  RFLAGS %016lx  CR2 %016lx\n",
		apic_id, exception_name((unsigned)f->vector), f->error, detail,
		f->rip, f->cs, f->rflags, read_cr2());
	kprintf("    RAX %016lx  RBX %016lx  RCX %016lx  RDX %016lx\n"
		"    RSI %016lx  RDI %016lx  RBP %016lx  RSP %016lx\n"
		"    R8  %016lx  R9  %016lx  R10 %016lx  R11 %016lx\n"
		"    R12 %016lx  R13 %016lx  R14 %016lx  R15 %016lx\n",
		f->rax, f->rbx, f->rcx, f->rdx, f->rsi, f->rdi, f->rbp, f->rsp,
		f->r8, f->r9, f->r10, f->r11, f->r12, f->r13, f->r14, f->r15);
}

void trap_handler(struct trap_frame *f)
{
	uint32_t apic_id = cpu_apic_id();
	struct jump_ctx *ctx = __atomic_load_n(&recovery_ctx, __ATOMIC_ACQUIRE);

	report(f, apic_id);
	if (ctx && recovery_apic_id == apic_id) {
		trap_disarm_recovery();
		jump_restore(ctx, 1);
	}
	if (halt_hook)
		halt_hook(f, apic_id);
	kprintf("    CPU with APIC ID %u halted\n", apic_id);
	halt_forever();
}
