/* multipart.c - multipart/form-data parsing (multipart.h). */
#include "base/base.h"

#include "base/utf8.h"
#include "parse/form.h"
#include "parse/multipart.h"

#define NAME_MAX_LEN 128

static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m == 0 || n < m)
		return NULL;
	for (size_t i = 0; i + m <= n; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, m) == 0)
			return hay + i;
	return NULL;
}

/* The boundary parameter of the content type, quoted or not. */
static char *boundary_of(struct arena *a, const char *ct)
{
	const char *p = ct ? strcasestr(ct, "boundary=") : NULL;
	size_t n;

	if (!p)
		return NULL;
	p += 9;
	if (*p == '"') {
		const char *end = strchr(++p, '"');
		n = end ? (size_t)(end - p) : 0;
	} else {
		n = strcspn(p, "; \t");
	}
	if (n == 0 || n > 70)
		return NULL;
	return arena_strndup(a, p, n);
}

/* name="..." from a Content-Disposition header line. */
static char *part_name(struct arena *a, const char *h, size_t n)
{
	const char *p = find(h, n, "name=\"", 6);
	const char *end;

	/* "filename=" also contains "name=": skip a match preceded by "file" */
	while (p && p - h >= 4 && strncasecmp(p - 4, "file", 4) == 0)
		p = find(p + 6, n - (size_t)(p + 6 - h), "name=\"", 6);
	if (!p)
		return NULL;
	p += 6;
	end = memchr(p, '"', n - (size_t)(p - h));
	if (!end || end - p > NAME_MAX_LEN || end == p)
		return NULL;
	if (!utf8_valid_text(p, (size_t)(end - p)))
		return NULL;
	return arena_strndup(a, p, (size_t)(end - p));
}

int multipart_parse(struct arena *a, const char *content_type, const char *body,
		    size_t len, size_t max_fields, struct form *out, const char **why)
{
	char *b = boundary_of(a, content_type);
	char *delim;
	size_t dn, k = 0;
	const char *p, *end = body + len;

	out->pairs = NULL;
	out->n = 0;
	if (!b) {
		*why = "ingen gräns (boundary) i innehållstypen";
		return -1;
	}
	delim = arena_printf(a, "--%s", b);
	dn = strlen(delim);
	p = find(body, len, delim, dn);
	if (!p) {
		*why = "formulärdelarna saknas";
		return -1;
	}
	out->pairs = arena_alloc(a, (max_fields + 1) * sizeof(*out->pairs));
	p += dn;
	for (;;) {
		const char *hdr_end, *next, *value;
		char *name;

		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break; /* the closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			goto bad;
		p += 2;
		hdr_end = find(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (!hdr_end)
			goto bad;
		name = part_name(a, p, (size_t)(hdr_end - p));
		if (!name) {
			*why = "en formulärdel saknar giltigt namn";
			out->n = 0;
			return -1;
		}
		value = hdr_end + 4;
		/* the value ends at CRLF + delimiter */
		next = value;
		for (;;) {
			next = find(next, (size_t)(end - next), delim, dn);
			if (!next || (next - value >= 2 && next[-2] == '\r' && next[-1] == '\n'))
				break;
			if (next == value)
				break;
			next++;
		}
		if (!next || next - value < 2)
			goto bad;
		if (k == max_fields) {
			*why = "för många formulärdelar";
			out->n = 0;
			return -1;
		}
		out->pairs[k].name = name;
		out->pairs[k].value = arena_strndup(a, value, (size_t)(next - 2 - value));
		out->pairs[k].value_len = (size_t)(next - 2 - value);
		k++;
		out->n = k;
		p = next + dn;
	}
	return 0;
bad:
	*why = "felaktigt uppbyggt formulär (multipart)";
	out->n = 0;
	return -1;
}
