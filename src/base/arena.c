/* arena.c - per-request bump allocator; see arena.h.
 *
 * Chunks are calloc'ed and memory is never reused inside a chunk, so every
 * allocation is already zero.  Small requests are carved from the head chunk;
 * a request bigger than a quarter of the chunk size gets a chunk of its own,
 * linked behind the head so the head's free space is not thrown away.
 */
#include "base/base.h"

#include <stdarg.h>
#include <stdint.h>

#define ARENA_ALIGN 16
#define ARENA_CHUNK 8192

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes in data */
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

static struct arena_chunk *chunk_new(size_t size)
{
	struct arena_chunk *c;

	if (size > SIZE_MAX - sizeof(*c) - ARENA_ALIGN)
		BUG("arena allocation of %zu bytes", size);
	/* aligned_alloc does not zero and calloc may return 8-aligned memory
	 * on some platforms, so align by hand inside a slightly larger block:
	 * used starts at the first 16-aligned offset. */
	c = xcalloc(1, sizeof(*c) + size + ARENA_ALIGN);
	c->size = size + ARENA_ALIGN;
	c->used = (size_t)(-(uintptr_t)c->data & (ARENA_ALIGN - 1));
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need;
	void *p;

	if (n > SIZE_MAX - ARENA_ALIGN)
		BUG("arena allocation of %zu bytes", n);
	/* Round up so the next allocation stays aligned; 0 still gets a
	 * unique, valid pointer. */
	need = n ? (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1)
		 : ARENA_ALIGN;
	if (!c || c->size - c->used < need) {
		if (need > ARENA_CHUNK / 4) {
			struct arena_chunk *big = chunk_new(need);

			if (c) {
				big->next = c->next;
				c->next = big;
			} else {
				a->head = big;
			}
			c = big;
		} else {
			c = chunk_new(ARENA_CHUNK);
			c->next = a->head;
			a->head = c;
		}
	}
	p = c->data + c->used;
	c->used += need;
	a->total += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	return p; /* p[n] is already 0 */
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	char *p;
	int n;

	if (!fmt)
		BUG("arena_vprintf: NULL format");
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		BUG("arena_vprintf: bad format \"%s\"", fmt);
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}
