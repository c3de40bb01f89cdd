/* buf.c - the capped string builder; see buf.h for the contract. */
#include "base/base.h"

#include <stdarg.h>

#define BUF_MIN_ALLOC 64

void buf_init(struct buf *b, size_t max)
{
	b->p = buf_empty;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : BUF_DEFAULT_MAX;
	b->err = 0;
}

/* Keeps max: a buf reused after release keeps the cap it was given. */
void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->p);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->p[0] = '\0';
	b->err = 0;
}

/*
 * Makes room for extra more bytes plus the NUL.  Fails (and sets the sticky
 * err) when len + extra would pass max; the contents are untouched then.
 * Growth doubles, but never allocates far past max, so a small cap really
 * bounds memory.
 */
int buf_grow(struct buf *b, size_t extra)
{
	size_t need, alloc;

	if (b->err)
		return -1;
	if (extra > b->max || b->len > b->max - extra) {
		b->err = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	alloc = b->cap < BUF_MIN_ALLOC ? BUF_MIN_ALLOC : b->cap;
	while (alloc < need)
		alloc = alloc > SIZE_MAX / 2 ? need : alloc * 2;
	if (alloc > b->max + 1)
		alloc = b->max + 1 > need ? b->max + 1 : need;
	if (b->cap) {
		b->p = xrealloc(b->p, alloc);
	} else {
		b->p = xmalloc(alloc);
		b->p[0] = '\0';
	}
	b->cap = alloc;
	return 0;
}

int buf_add(struct buf *b, const void *data, size_t n)
{
	const char *d = data;
	int inside = b->cap && d >= b->p && d < b->p + b->cap;
	size_t off = inside ? (size_t)(d - b->p) : 0;

	if (b->err)
		return -1;
	if (n == 0)
		return 0;
	if (b->cap - b->len <= n && buf_grow(b, n) < 0) /* no room for n and the NUL */
		return -1;
	/* Appending part of b to itself: growing may have moved it. */
	if (inside)
		d = b->p + off;
	memcpy(b->p + b->len, d, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_put_i64(struct buf *b, int64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	return buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

int buf_putc_grow(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return r;
}

/* Formats straight into the spare room; if that is too small, grows to the
 * exact size vsnprintf asked for and formats once more. */
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	size_t room;
	int n;

	if (b->err)
		return -1;
	room = b->cap ? b->cap - b->len : 0;
	va_copy(cp, ap);
	n = vsnprintf(room ? b->p + b->len : NULL, room, fmt, cp);
	va_end(cp);
	if (n < 0) {
		if (b->cap)
			b->p[b->len] = '\0';
		b->err = 1;
		return -1;
	}
	if ((size_t)n >= room) {
		if (b->cap)
			b->p[b->len] = '\0'; /* undo the partial write */
		if (buf_grow(b, (size_t)n) < 0)
			return -1;
		vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	}
	b->len += (size_t)n;
	return 0;
}

/* Shortens to len bytes; a len past the end changes nothing. */
void buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->p[len] = '\0';
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *s;

	if (len)
		*len = b->len;
	s = b->cap ? b->p : xstrdup("");
	buf_init(b, b->max);
	return s;
}
