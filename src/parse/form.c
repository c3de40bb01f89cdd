/* form.c - application/x-www-form-urlencoded decoding; see form.h.
 *
 * The whole body is checked before anything is returned: a request with one
 * bad pair is refused outright (400) rather than half-read, so a handler
 * never sees a form with silently missing fields.
 */
#include "base/base.h"

#include "base/utf8.h"
#include "parse/form.h"

#define FORM_NAME_MAX 128

/* Decodes s[0..n) ('+' is a space, %XX a byte) into a NUL-terminated arena
 * string; the result is never longer than the input. */
static char *decode_part(struct arena *a, const char *s, size_t n,
			 size_t *out_len)
{
	char *out = arena_alloc(a, n + 1);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (n - i < 3)
				return NULL;
			hi = hex_digit((unsigned char)s[i + 1]);
			lo = hex_digit((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		out[o++] = (char)c;
	}
	*out_len = o;
	return out;
}

/* Names are identifiers chosen by us: no control characters at all. */
static int name_ok(const char *s, size_t n)
{
	if (!utf8_valid_text(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			return 0;
	return 1;
}

/* Decodes one non-empty "name=value" piece into *p; NULL or a reason. */
static const char *decode_pair(struct arena *a, const char *s, size_t n,
			       struct form_pair *p)
{
	const char *eq = memchr(s, '=', n);
	size_t name_raw = eq ? (size_t)(eq - s) : n, name_len, value_len = 0;
	char *name, *value;

	name = decode_part(a, s, name_raw, &name_len);
	value = eq ? decode_part(a, eq + 1, n - name_raw - 1, &value_len)
		   : arena_strdup(a, "");
	if (!name || !value)
		return "felaktig procentkodning (%XX)";
	if (name_len > FORM_NAME_MAX)
		return "ett fältnamn är för långt";
	if (!name_ok(name, name_len))
		return "ogiltiga tecken i ett fältnamn";
	/* Control characters in values are left to the field's validation,
	 * which names the field and keeps the form (text pasted from a word
	 * processor can carry them); malformed UTF-8 and NUL are refused. */
	if (!utf8_valid(value, value_len))
		return "ogiltig UTF-8 i ett värde";
	p->name = name;
	p->value = value;
	p->value_len = value_len;
	return NULL;
}

int form_decode(struct arena *a, const char *data, size_t len,
		size_t max_fields, struct form *out, const char **why)
{
	const char *reason = NULL, *end, *s = data;
	size_t slots = 1;

	out->pairs = NULL;
	out->n = 0;
	if (len == 0)
		goto done; /* data may be NULL then */
	end = data + len;
	for (size_t i = 0; i < len; i++)
		slots += data[i] == '&';
	if (slots > max_fields)
		slots = max_fields;
	out->pairs = arena_alloc(a, slots * sizeof(*out->pairs));
	while (s < end) {
		const char *amp = memchr(s, '&', (size_t)(end - s));
		size_t n = amp ? (size_t)(amp - s) : (size_t)(end - s);

		if (n > 0) {
			if (out->n == max_fields) {
				reason = "för många fält";
				break;
			}
			reason = decode_pair(a, s, n, &out->pairs[out->n]);
			if (reason)
				break;
			out->n++;
		}
		if (!amp)
			break;
		s = amp + 1;
	}
done:
	if (reason) {
		out->pairs = NULL;
		out->n = 0;
		if (why)
			*why = reason;
		return -1;
	}
	return 0;
}

const char *form_get(const struct form *f, const char *name)
{
	if (!f)
		return NULL;
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->pairs[i].name, name) == 0)
			return f->pairs[i].value;
	return NULL;
}

/* Returns how many were stored in vals (at most max), so a caller can loop
 * over the result without another bound. */
size_t form_get_all(const struct form *f, const char *name,
		    const char **vals, size_t max)
{
	size_t found = 0;

	if (!f)
		return 0;
	for (size_t i = 0; i < f->n && found < max; i++)
		if (strcmp(f->pairs[i].name, name) == 0)
			vals[found++] = f->pairs[i].value;
	return found;
}

/* RFC 3986 unreserved characters pass; everything else, space included, is
 * %XX, which is right both in a path segment and in a query. */
void url_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			buf_putc(b, (char)c);
		} else {
			char esc[3] = { '%', hex[c >> 4], hex[c & 15] };

			buf_add(b, esc, 3);
		}
	}
}
