/*
 * Every stage an AP goes through, listed once. The AP writes the first
 * ones (NONE .. FAULT) into its stage record, from the trampoline and from
 * ap_entry; the rest are what only the BSP knows: what it last sent, and
 * that no answer came. From this table C gets enum stage and the names,
 * timeline letters and columns that `status` prints; trampoline.asm gets
 * the STAGE_* values, and the host tools get build/trampoline/layout.json,
 * both generated through trampoline/offsets.c.
 *
 * X(NAME, value, name shown, letter, column, final)
 *   letter  its mark on the `status` timeline; 0 for a stage with no TSC
 *   column  width of its column in the `status` table, for a timed stage
 *   final   the AP writes nothing after it
 */
#ifndef TRAMPOLINE_STAGES_H
#define TRAMPOLINE_STAGES_H

#define STAGE_TABLE(X)						\
	X(NONE,        0, "none",       0,   0, 0)		\
	X(REAL,        1, "real",       'R', 8, 0)		\
	X(PROTECTED,   2, "protected",  'P', 9, 0)		\
	X(LONG,        3, "long",       'L', 8, 0)		\
	X(C_ENTRY,     4, "c-entry",    'C', 8, 0)		\
	X(HELLO,       5, "hello",      'H', 8, 0)		\
	X(IDLE,        6, "idle",       'I', 8, 1)		\
	X(NO_CPUDATA,  7, "no-cpudata", 0,   0, 1)		\
	X(FAULT,       8, "fault",      0,   0, 1)		\
	X(OFFLINE,     9, "offline",    0,   0, 0)		\
	X(INIT,       10, "init",       0,   0, 0)		\
	X(SIPI,       11, "sipi",       0,   0, 0)		\
	X(TIMEOUT,    12, "timeout",    0,   0, 0)

enum stage {
#define STAGE_ENUM(name, value, shown, letter, column, final) STAGE_##name = value,
	STAGE_TABLE(STAGE_ENUM)
#undef STAGE_ENUM
	STAGE_COUNT
};

/* A record holds a code below STAGE_RECORDED; stages 1 .. STAGE_TIMED
 * also leave their TSC there, in tsc[s - 1]. */
#define STAGE_RECORDED (STAGE_FAULT + 1)
#define STAGE_TIMED STAGE_IDLE

#endif
