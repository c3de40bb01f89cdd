/* arena.h - per-request memory (after h2o's mem pool).
 *
 * Everything a request allocates comes from its arena and is freed at once
 * by arena_release() when the request is done.  Allocation never returns
 * NULL: on out-of-memory the process aborts (a request cannot continue
 * half-allocated, and libmicrohttpd's limits keep requests small).
 * An arena is not thread-safe; one belongs to one request.
 */
#ifndef VARN_ARENA_H
#define VARN_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes handed out, for tests and limits */
};

#define ARENA_INIT { NULL, 0 }

void *arena_alloc(struct arena *a, size_t n);  /* zeroed, 16-aligned */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void arena_release(struct arena *a);

#endif
