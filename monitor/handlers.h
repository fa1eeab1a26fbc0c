/* Command handlers, one file per topic. Each returns 0 on success. */
#ifndef MONITOR_HANDLERS_H
#define MONITOR_HANDLERS_H

#include <stdbool.h>
#include <stdint.h>

int cmd_help(int argc, char *argv[]);
int cmd_cpus(int argc, char *argv[]);
int cmd_lapic(int argc, char *argv[]);
int cmd_regs(int argc, char *argv[]);
int cmd_cr3(int argc, char *argv[]);
int cmd_pt(int argc, char *argv[]);
int cmd_x(int argc, char *argv[]);
int cmd_mem(int argc, char *argv[]);
int cmd_reboot(int argc, char *argv[]);
int cmd_cpuid(int argc, char *argv[]);
int cmd_tramp(int argc, char *argv[]);
int cmd_cpudata(int argc, char *argv[]);
int cmd_init(int argc, char *argv[]);
int cmd_sipi(int argc, char *argv[]);
int cmd_status(int argc, char *argv[]);
int cmd_boot(int argc, char *argv[]);
int cmd_on(int argc, char *argv[]);
int cmd_trace(int argc, char *argv[]);
int cmd_mtrr(int argc, char *argv[]);
/* on APIC tsc|mtrr ...: argv[0] is "tsc" or "mtrr"; the BSP takes part. */
int on_tsc(uint32_t apic, int argc, char *argv[]);
int on_mtrr(uint32_t apic, int argc, char *argv[]);
/* Run handler on the idle AP apic through its mailbox and wait for it;
 * false, and said, when it did not answer in time. */
bool ap_call(uint32_t apic, int (*handler)(int, char *[]), int argc, char *argv[]);

#endif
