/* html.c - the escape-by-default HTML writer (see html.h). */
#include "base/base.h"

#include <stdarg.h>

#include "core/auth.h"
#include "core/i18n.h"
#include "http/http.h"
#include "parse/form.h"
#include "web/html.h"

void html_escape(struct buf *b, const char *s, size_t n)
{
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		const char *rep;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		buf_add(b, s + start, i - start);
		buf_puts(b, rep);
		start = i + 1;
	}
	buf_add(b, s + start, n - start);
}

void h_lit_(struct html *h, const char *lit, size_t n)
{
	buf_add(h->b, lit, n);
}

void h_text(struct html *h, const char *s)
{
	if (s)
		html_escape(h->b, s, strlen(s));
}

void h_textn(struct html *h, const char *s, size_t n)
{
	html_escape(h->b, s, n);
}

void h_textf(struct html *h, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&t, fmt, ap);
	va_end(ap);
	html_escape(h->b, t.p, t.len);
	buf_release(&t);
}

void h_attr(struct html *h, const char *name, const char *value)
{
	buf_putc(h->b, ' ');
	buf_puts(h->b, name); /* names are literals from the code */
	buf_puts(h->b, "=\"");
	if (value)
		html_escape(h->b, value, strlen(value));
	buf_putc(h->b, '"');
}

void h_attr_int(struct html *h, const char *name, int64_t v)
{
	buf_printf(h->b, " %s=\"%lld\"", name, (long long)v);
}

void h_int(struct html *h, int64_t v)
{
	buf_put_i64(h->b, v);
}

/* Formats fmt where every %s argument is percent-encoded (a path segment or
 * query value) and %d/%lld are numbers; then escapes the result. */
static void url_vformat(struct buf *out, const char *fmt, va_list ap)
{
	const char *p;

	for (p = fmt; *p; p++) {
		if (*p != '%') {
			buf_putc(out, *p);
			continue;
		}
		p++;
		if (*p == 's') {
			const char *s = va_arg(ap, const char *);
			url_encode(out, s ? s : "");
		} else if (*p == 'd') {
			buf_put_i64(out, va_arg(ap, int));
		} else if (p[0] == 'l' && p[1] == 'l' && p[2] == 'd') {
			buf_put_i64(out, va_arg(ap, long long));
			p += 2;
		} else if (*p == '%') {
			buf_putc(out, '%');
		} else {
			BUG("h_url: unsupported conversion %%%c", *p);
		}
	}
}

void h_urlv(struct html *h, const char *fmt, va_list ap)
{
	struct buf t = BUF_INIT;

	url_vformat(&t, fmt, ap);
	html_escape(h->b, t.p, t.len);
	buf_release(&t);
}

void h_url(struct html *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	h_urlv(h, fmt, ap);
	va_end(ap);
}

void h_href(struct html *h, const char *fmt, ...)
{
	struct buf t = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	url_vformat(&t, fmt, ap);
	va_end(ap);
	buf_puts(h->b, " href=\"");
	html_escape(h->b, t.p, t.len);
	buf_putc(h->b, '"');
	buf_release(&t);
}

void h_msg(struct html *h, int msg)
{
	h_text(h, msg_text(h->q ? h->q->cx.lang : LANG_SV, msg));
}

void h_msg_n(struct html *h, int msg, int64_t n)
{
	const char *t = msg_text(h->q ? h->q->cx.lang : LANG_SV, msg);
	const char *at = strstr(t, "{n}");

	if (!at) {
		h_text(h, t);
		return;
	}
	h_textn(h, t, (size_t)(at - t));
	h_int(h, n);
	h_text(h, at + 3);
}

void h_msg_plural(struct html *h, int64_t n, int one, int many)
{
	h_msg_n(h, msg_plural((long long)n, one, many), n);
}

void h_csrf(struct html *h)
{
	const char *tok = h->q && h->q->sess ? h->q->sess->csrf : NULL;

	h_lit(h, "<input type=\"hidden\" name=\"csrf\"");
	h_attr(h, "value", tok ? tok : "");
	h_lit(h, ">");
}
