/* What `status` prints (kernel/smp/status_format.c, with kernel/lib/format.c
 * and kernel/arch/exceptions.c) for random records: any stage code, times
 * negative or huge, any fault, any scale and width, into buffers of every
 * size. Each line must fit its buffer, NUL included, and say how long it
 * would have been, as snprintf does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "smp/status_format.h"

#define LINE_MAX_TRIED 256

static void take_view(struct fuzz_input *in, struct ap_view *v)
{
	memset(v, 0, sizeof(*v));
	v->apic_id = take_u32(in);
	v->step = (enum ap_step)(take_u8(in) % (AP_SIPI_SENT + 1));
	v->stage = take_u8(in);
	v->timed_out = take_bool(in);
	v->sipis = take_u32(in);
	v->no_init = take_bool(in);
	for (int s = 0; s < STAGE_TIMED; s++) {
		v->has_time[s] = take_bool(in);
		v->stage_us[s] = (int64_t)take_u64(in);
	}
	v->fault_vector = take_u8(in);
	v->fault_stage = take_u8(in);
	v->fault_error = take_u32(in);
	v->fault_ip = take_u64(in);
	v->stack_overflow = take_bool(in);
}

/* The line in a buffer of exactly size bytes, which ASan guards. */
static void check_line(int len, const char *buf, size_t size)
{
	if (len < 0)
		abort();
	if (size && strlen(buf) != ((size_t)len < size ? (size_t)len : size - 1))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	struct ap_view v;
	unsigned counts[STAGE_COUNT];

	take_view(&in, &v);
	int64_t max_us = (int64_t)take_u64(&in);
	int width = (int)take_u32(&in);
	size_t line_size = take_u8(&in) % LINE_MAX_TRIED;
	for (int s = 0; s < STAGE_COUNT; s++)
		counts[s] = take_u32(&in);
	char *buf = malloc(line_size ? line_size : 1);

	if (!stage_name(ap_stage(&v)) || !record_stage_name(v.stage))
		abort();
	stage_is_final(v.stage);
	check_line(format_status_header(buf, line_size), buf, line_size);
	check_line(format_status_row(buf, line_size, &v), buf, line_size);
	check_line(format_timeline_header(buf, line_size, max_us), buf, line_size);
	check_line(format_timeline_row(buf, line_size, &v, max_us, width), buf, line_size);
	check_line(format_compact_header(buf, line_size), buf, line_size);
	check_line(format_compact_row(buf, line_size, &v, max_us, width), buf, line_size);
	check_line(format_status_summary(buf, line_size, counts, max_us), buf, line_size);
	free(buf);
	return 0;
}
