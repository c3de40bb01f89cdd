/* cookie.c - the Cookie request header; see cookie.h.
 *
 * Only the first cookie with the name counts, and if that one is malformed
 * the answer is "absent" rather than a later duplicate: a later duplicate is
 * what a cookie-tossing attacker on a sibling domain would add.
 */
#include "base/base.h"

#include "parse/cookie.h"

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* RFC 6265 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E */
static int is_cookie_octet(unsigned char c)
{
	return c >= 0x21 && c <= 0x7E && c != '"' && c != ',' && c != ';' &&
	       c != '\\';
}

/* The value in v[0..n) (already trimmed) without its optional quotes, or
 * NULL if it has bytes Värn never sets. */
static const char *clean_value(struct arena *a, const char *v, size_t n)
{
	if (n >= 1 && v[0] == '"') {
		if (n < 2 || v[n - 1] != '"')
			return NULL;
		v++;
		n -= 2;
	}
	for (size_t i = 0; i < n; i++)
		if (!is_cookie_octet((unsigned char)v[i]))
			return NULL;
	return arena_strndup(a, v, n);
}

/* Trims spaces and tabs from both ends of s[0..*n). */
static const char *trim(const char *s, size_t *n)
{
	while (*n && is_ows(*s)) {
		s++;
		(*n)--;
	}
	while (*n && is_ows(s[*n - 1]))
		(*n)--;
	return s;
}

const char *cookie_get(struct arena *a, const char *header, const char *name)
{
	const char *s = header;
	size_t name_len;

	if (!header || !name || !*name)
		return NULL;
	name_len = strlen(name);
	for (;;) {
		size_t seg = strcspn(s, ";"), n = seg, nlen;
		const char *p = trim(s, &n), *eq = memchr(p, '=', n);

		nlen = eq ? (size_t)(eq - p) : n;
		trim(p, &nlen);
		if (nlen == name_len && memcmp(p, name, name_len) == 0) {
			const char *v;
			size_t vn;

			/* Without '=' it is not a cookie: browsers skip
			 * such pieces, but for ours it means "absent". */
			if (!eq)
				return NULL;
			vn = n - (size_t)(eq + 1 - p);
			v = trim(eq + 1, &vn);
			return clean_value(a, v, vn);
		}
		if (!s[seg])
			return NULL;
		s += seg + 1;
	}
}
