/* Names of the 32 exception vectors. No hardware access: the host unit
 * tests use it through the status formatting. */
#ifndef ARCH_EXCEPTIONS_H
#define ARCH_EXCEPTIONS_H

/* e.g. "#PF page fault"; "reserved vector" for the unnamed ones. */
const char *exception_name(unsigned vector);

#endif
