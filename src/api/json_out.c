/* json_out.c - JSON text written straight into a buffer (json_out.h). */
#include "base/base.h"

#include "api/json_out.h"
#include "base/buf.h"
#include "base/utf8.h"

int jo_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *run, *start = s;
	size_t at = b->len;
	int wide = 0;

	if (!s) {
		jo_null(b);
		return 0;
	}
	buf_putc(b, '"');
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = "\\u00";

		if (c >= 0x80)
			wide = 1;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_add(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xf];
			esc[6] = 0;
			buf_add(b, esc, 6);
			break;
		}
	}
	buf_add(b, run, (size_t)(s - run));
	buf_putc(b, '"');
	/* ASCII is always well-formed: only text with other bytes is checked,
	 * after the fact (and taken back) */
	if (wide && !utf8_valid(start, (size_t)(s - start))) {
		buf_truncate(b, at);
		jo_null(b);
		return -1;
	}
	return 0;
}

void jo_int(struct buf *b, int64_t v)
{
	buf_put_i64(b, v);
}

void jo_bool(struct buf *b, int v)
{
	if (v)
		buf_add(b, "true", 4);
	else
		buf_add(b, "false", 5);
}

void jo_null(struct buf *b)
{
	buf_add(b, "null", 4);
}

void jo_key(struct buf *b, int *first, const char *key)
{
	if (!*first)
		buf_putc(b, ',');
	*first = 0;
	buf_putc(b, '"');
	buf_puts(b, key);
	buf_add(b, "\":", 2);
}
