#include <stdbool.h>
#include <stdint.h>

#include "lib/format.h"

struct out {
	char *buf;
	size_t size;
	size_t len;		/* characters produced, even past size */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int precision;		/* -1: none */
	bool pointer;		/* %p: "0x" even for 0 */
	int length;		/* 0 int, -1 short, -2 char, 1 long, 2 long long */
};

static void put_string(struct out *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->precision < 0 || n < sp->precision))
		n++;
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v,
		       bool negative, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	bool is_zero = v == 0;

	if (v == 0 && sp->precision == 0)
		n = 0;
	else
		do {
			tmp[n++] = digits[v % base];
			v /= base;
		} while (v);

	int zeros = sp->precision > n ? sp->precision - n : 0;
	const char *prefix = "";
	if (negative)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	else if (sp->alt && base == 16 && (!is_zero || sp->pointer))
		prefix = upper ? "0X" : "0x";	/* C: no 0x on a zero */
	else if (sp->alt && base == 8 && zeros == 0 && !(is_zero && n == 1))
		prefix = "0";	/* C: just enough to make the first digit 0 */

	int plen = 0;
	while (prefix[plen])
		plen++;
	int fill = sp->width - plen - zeros - n;

	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += fill > 0 ? fill : 0;
		fill = 0;
	}
	if (!sp->left)
		pad(o, ' ', fill);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', fill);
}

static const char *parse_int(const char *f, int *out)
{
	int v = 0;

	while (*f >= '0' && *f <= '9')
		v = v * 10 + (*f++ - '0');
	*out = v;
	return f;
}

static uint64_t arg_unsigned(va_list *ap, int length)
{
	switch (length) {
	case -2: return (unsigned char)va_arg(*ap, unsigned int);
	case -1: return (unsigned short)va_arg(*ap, unsigned int);
	case 0:  return va_arg(*ap, unsigned int);
	case 1:  return va_arg(*ap, unsigned long);
	default: return va_arg(*ap, unsigned long long);
	}
}

static int64_t arg_signed(va_list *ap, int length)
{
	switch (length) {
	case -2: return (signed char)va_arg(*ap, int);
	case -1: return (short)va_arg(*ap, int);
	case 0:  return va_arg(*ap, int);
	case 1:  return va_arg(*ap, long);
	default: return va_arg(*ap, long long);
	}
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		struct spec sp = { .precision = -1 };

		for (;; f++) {
			if (f[1] == '-') sp.left = true;
			else if (f[1] == '0') sp.zero = true;
			else if (f[1] == '+') sp.plus = true;
			else if (f[1] == ' ') sp.space = true;
			else if (f[1] == '#') sp.alt = true;
			else break;
		}
		f++;
		if (*f == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			f++;
		} else {
			f = parse_int(f, &sp.width);
		}
		if (*f == '.') {
			f++;
			if (*f == '*') {
				sp.precision = va_arg(ap, int);
				f++;
			} else {
				f = parse_int(f, &sp.precision);
			}
		}
		for (;; f++) {
			if (*f == 'h') sp.length--;
			else if (*f == 'l') sp.length++;
			else if (*f == 'z') sp.length = 1;
			else break;
		}

		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = arg_signed(&ap, sp.length);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			put_number(&o, &sp, mag, v < 0, 10, false);
			break;
		}
		case 'u':
			put_number(&o, &sp, arg_unsigned(&ap, sp.length), false, 10, false);
			break;
		case 'x':
		case 'X':
			put_number(&o, &sp, arg_unsigned(&ap, sp.length), false, 16, *f == 'X');
			break;
		case 'o':
			put_number(&o, &sp, arg_unsigned(&ap, sp.length), false, 8, false);
			break;
		case 'p':
			sp.alt = sp.pointer = true;
			put_number(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false);
			break;
		case 'c': {		/* not via put_string: '\0' is a character */
			char c = (char)va_arg(ap, int);

			if (!sp.left)
				pad(&o, ' ', sp.width - 1);
			put(&o, c);
			if (sp.left)
				pad(&o, ' ', sp.width - 1);
			break;
		}
		case 's':
			put_string(&o, &sp, va_arg(ap, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			f--;		/* lone '%' at the end */
			break;
		default:		/* unknown conversion: print it as is */
			put(&o, '%');
			put(&o, *f);
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void kappendf(char *buf, size_t size, int *len, const char *fmt, ...)
{
	va_list ap;
	size_t at = (size_t)*len < size ? (size_t)*len : size;

	va_start(ap, fmt);
	*len += kvsnprintf(buf + at, size - at, fmt, ap);
	va_end(ap);
}

int format_size(char *buf, size_t size, uint64_t bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;

	while (bytes && bytes % 1024 == 0 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1024;
		u++;
	}
	return ksnprintf(buf, size, "%lu %s", (unsigned long)bytes, units[u]);
}
