/* pdf_lang.c - /Lang in the catalog of a PDF cairo wrote (pdf_lang.h).
 *
 * Cairo writes the file as objects, one classic cross-reference table
 * ("xref", "0 N", N entries of 20 bytes: a 10-digit offset, a 5-digit
 * generation, "n" or "f"), "trailer" and "startxref" with the table's
 * offset.  The catalog ("<< /Type /Catalog") is one of the objects; the
 * text goes right after its "<<", and every offset past that point moves
 * by the text's length. */
#include "base/base.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "doc/pdf_lang.h"

/* The last occurrence of needle in [p, p + n), or NULL. */
static const char *find_last(const char *p, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	if (n < k)
		return NULL;
	for (size_t i = n - k + 1; i-- > 0;)
		if (memcmp(p + i, needle, k) == 0)
			return p + i;
	return NULL;
}

/* Reads a decimal number of exactly width digits at p. */
static int digits(const char *p, int width, size_t *out)
{
	size_t v = 0;

	for (int i = 0; i < width; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (size_t)(p[i] - '0');
	}
	*out = v;
	return 0;
}

int pdf_set_lang(struct buf *pdf, const char *lang)
{
	const char *s = pdf->p, *end, *cat, *xref, *sx, *p;
	char ins[64];
	size_t n = pdf->len, at, shift, first, count, table, old_sx;
	struct buf out = BUF_INIT;

	if (!s || !lang || !*lang || strlen(lang) > 35 ||
	    strspn(lang, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
	    != strlen(lang))
		return -1;
	end = s + n;
	/* the table and startxref at the end; one table only (no updates) */
	xref = find_last(s, n, "\nxref\n");
	sx = find_last(s, n, "\nstartxref\n");
	cat = find_last(s, n, "<< /Type /Catalog");
	if (!xref || !sx || !cat || cat > xref || sx < xref ||
	    find_last(s, (size_t)(xref - s), "\nxref\n") || find_last(s, n, "/Lang"))
		return -1;
	table = (size_t)(xref - s) + 1;
	/* "0 N\n" */
	p = xref + 6;
	first = strtoul(p, (char **)&p, 10);
	if (*p != ' ')
		return -1;
	count = strtoul(p + 1, (char **)&p, 10);
	if (*p != '\n' || first != 0 || count == 0 || count > 1000000 ||
	    (size_t)(end - (p + 1)) < count * 20)
		return -1;
	p++;
	/* startxref's number must name the table */
	if (sx[11] < '0' || sx[11] > '9')
		return -1;
	old_sx = strtoul(sx + 11, NULL, 10);
	if (old_sx != table)
		return -1;

	snprintf(ins, sizeof ins, " /Lang (%s)", lang);
	shift = strlen(ins);
	at = (size_t)(cat - s) + 2;      /* right after "<<" */

	buf_add(&out, s, at);
	buf_puts(&out, ins);
	buf_add(&out, s + at, (size_t)(p - s) - at);
	for (size_t i = 0; i < count; i++, p += 20) {
		size_t off, gen;
		if (digits(p, 10, &off) != 0 || p[10] != ' ' || digits(p + 11, 5, &gen) != 0 ||
		    p[16] != ' ' || (p[17] != 'n' && p[17] != 'f')) {
			buf_release(&out);
			return -1;
		}
		if (p[17] == 'n' && off > at)
			off += shift;
		buf_printf(&out, "%010zu %05zu %c", off, gen, p[17]);
		buf_add(&out, p + 18, 2);
	}
	buf_add(&out, p, (size_t)(sx - p));
	buf_printf(&out, "\nstartxref\n%zu\n%%%%EOF\n", table + shift);
	if (!buf_ok(&out)) {
		buf_release(&out);
		return -1;
	}
	buf_release(pdf);
	*pdf = out;
	return 0;
}
