/* buf.h - the one string-building type (after git's strbuf, curl's dynbuf).
 *
 * A buf owns a NUL-terminated heap string of len bytes.  It has a cap: an
 * append that would grow it past max bytes fails, sets err and leaves the
 * contents as they were, so a runaway producer cannot exhaust memory.  err is
 * sticky: once set, further appends are no-ops and return -1; check it once
 * at the end (buf_ok).
 *
 *   struct buf b = BUF_INIT;           // max = BUF_DEFAULT_MAX
 *   buf_puts(&b, "x"); buf_printf(&b, "%d", 3);
 *   if (!buf_ok(&b)) ...;
 *   buf_release(&b);                    // frees and re-inits
 *
 * p is never NULL: an empty buf points at a static "" (do not write to it).
 */
#ifndef VARN_BUF_H
#define VARN_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define BUF_DEFAULT_MAX ((size_t)64 << 20) /* 64 MiB */

struct buf {
	char *p;
	size_t len;
	size_t cap; /* bytes allocated (0 while p is the static "") */
	size_t max; /* most len may ever be */
	int err;
};

extern char buf_empty[];
#define BUF_INIT { buf_empty, 0, 0, BUF_DEFAULT_MAX, 0 }

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);          /* len = 0, keeps memory, clears err */
int buf_grow(struct buf *b, size_t extra);
int buf_add(struct buf *b, const void *data, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc_grow(struct buf *b, char c);
/* v in decimal, as "%lld" writes it (without printf: pages write
 * thousands of numbers). */
int buf_put_i64(struct buf *b, int64_t v);
/* One character: a store when there is room (HTML and JSON writers call
 * it for every quote and bracket), else buf_putc_grow.  len + 1 < cap
 * leaves room for the NUL, and cap is at most max + 1. */
static inline int buf_putc(struct buf *b, char c)
{
	if (b->cap - b->len > 1 && !b->err) {
		b->p[b->len++] = c;
		b->p[b->len] = '\0';
		return 0;
	}
	return buf_putc_grow(b, c);
}
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_truncate(struct buf *b, size_t len);
/* Hands the string to the caller (free() it); b is re-initialised. */
char *buf_detach(struct buf *b, size_t *len);
static inline int buf_ok(const struct buf *b) { return !b->err; }

#endif
