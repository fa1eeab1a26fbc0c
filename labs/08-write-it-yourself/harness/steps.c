/* Lab 8's grader runs the learner's start_sequence() on the host against
 * these stand-ins for the four steps (kernel/smp/start_steps.h). Each call
 * is printed in the form of the kernel's `trace`, so grade.py reads both
 * the same way; the AP "answers" after as many SIPIs as the grader says,
 * to see whether a second SIPI follows when it has not.
 *
 *   steps TARGET VECTOR ANSWER_AFTER SKIP_WAITS
 *
 * TARGET is an APIC ID or "all"; ANSWER_AFTER 0 means never. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smp/start_steps.h"

static const struct start_options *given;
static unsigned sipis_sent, answer_after;

static const char *who(uint32_t target)
{
	static char buf[16];

	if (target == IPI_ALL_BUT_SELF)
		return "all";
	snprintf(buf, sizeof(buf), "%u", target);
	return buf;
}

bool step_init(uint32_t target)
{
	printf("0 us  INIT %s\n", who(target));
	return true;
}

bool step_sipi(uint32_t target, uint8_t vector)
{
	sipis_sent++;
	printf("0 us  SIPI %s vector 0x%02x\n", who(target), vector);
	return true;
}

void step_wait_us(const struct start_options *opt, uint64_t us)
{
	printf("0 us  delay %llu us%s\n", (unsigned long long)us,
	       opt == given ? "" : " (not the opt start_sequence was given)");
}

bool step_all_answered(uint32_t target)
{
	bool answered = answer_after && sipis_sent >= answer_after;

	printf("0 us  asked whether %s answered: %s\n", who(target), answered ? "yes" : "no");
	return answered;
}

int main(int argc, char *argv[])
{
	if (argc != 5) {
		fprintf(stderr, "usage: steps TARGET VECTOR ANSWER_AFTER SKIP_WAITS\n");
		return 2;
	}
	uint32_t target = strcmp(argv[1], "all") == 0 ? IPI_ALL_BUT_SELF
						       : (uint32_t)strtoul(argv[1], NULL, 0);
	struct start_options opt = { .skip_waits = atoi(argv[4]) != 0 };

	answer_after = (unsigned)atoi(argv[3]);
	given = &opt;
	start_sequence(&opt, target, (uint8_t)strtoul(argv[2], NULL, 0));
	return 0;
}
