/* html.h - the escape-by-default HTML writer.
 *
 * Every byte of a page goes through one of these:
 *   h_lit(h, "<td>")      raw markup, STRING LITERALS ONLY (enforced: the
 *                         macro pastes "" around its argument, so a variable
 *                         does not compile);
 *   h_text(h, s)          text content, escaped (& < > " ');
 *   h_textf(h, fmt, ...)  formatted, then escaped;
 *   h_attr(h, "name", v)  a complete attribute ` name="v"`, v escaped;
 *   h_int(h, n)           a number;
 *   h_url(h, fmt, ...)    an href value: formatted with each %s argument
 *                         percent-encoded as a path segment, then escaped;
 *   h_msg(h, M_X)         a translated text in the request's language
 *                         (escaped: translations are text, not markup).
 * There is no other way in: no type carries markup from elsewhere into a
 * page, so no value made from input can be taken for markup.  A renderer
 * of rich text (Markdown) will write through these calls itself, here in
 * the page layer, rather than hand over a string of markup.
 * tests/check-source.sh rejects any other way of writing raw HTML: h_lit_
 * called directly, markup put into a buffer, a writer's buffer (h->b)
 * touched outside this writer and the page shell (layout.c).
 */
#ifndef VARN_HTML_H
#define VARN_HTML_H

#include "base/base.h"

#include <stdarg.h>

struct req;

struct html {
	struct buf *b;
	struct req *q; /* for language and the CSRF token */
};

void h_lit_(struct html *h, const char *lit, size_t n);
#define h_lit(h, s) h_lit_((h), "" s "", sizeof("" s "") - 1)
void h_text(struct html *h, const char *s);
void h_textn(struct html *h, const char *s, size_t n);
void h_textf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void h_attr(struct html *h, const char *name, const char *value);
void h_attr_int(struct html *h, const char *name, int64_t v);
void h_int(struct html *h, int64_t v);
void h_url(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* h_url with a va_list, for writers of page parts that take a path format
 * (web/parts.h). */
void h_urlv(struct html *h, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* ` href="..."` with h_url's formatting. */
void h_href(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void h_msg(struct html *h, int msg);
/* A message with "{n}" replaced by n ("{n} träffar"). */
void h_msg_n(struct html *h, int msg, int64_t n);
/* h_msg_n with the plural form of n: one for 1, many otherwise. */
void h_msg_plural(struct html *h, int64_t n, int one, int many);
/* The hidden CSRF input of the current session. */
void h_csrf(struct html *h);
/* Escapes s into the arena (for the rare case text must be pre-built). */
void html_escape(struct buf *b, const char *s, size_t n);

#endif
