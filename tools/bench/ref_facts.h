/* What the reference kernels of `make bench` share with each other and with
 * their reader, smplab.refs: the build turns these "#define NAME VALUE"
 * lines into NASM %defines (build/tools/bench/ref_facts.inc) and
 * smplab.refs reads this file, so keep the lines plain. */
#ifndef BENCH_REF_FACTS_H
#define BENCH_REF_FACTS_H

/* The one byte ref_byte writes to COM1: an asterisk. */
#define REF_BYTE 0x2A

/* ref_smp's table of TSC values, one per 8-bit APIC ID. */
#define AP_TSC_SLOTS 256

#endif
