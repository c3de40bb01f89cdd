/* router.c - route matching and typed parameter access (router.h). */
#include "base/base.h"

#include "web/router.h"

#define MAX_SEGMENTS 16

struct seg {
	const char *p;
	size_t n;
};

/* Splits "/a/b/c" into segments; "/" has one empty segment.  Returns the
 * count, or -1 if the path does not start with '/' or has too many. */
static int split(const char *path, struct seg *segs)
{
	int n = 0;

	if (path[0] != '/')
		return -1;
	path++;
	for (;;) {
		const char *end = strchr(path, '/');
		size_t len = end ? (size_t)(end - path) : strlen(path);
		if (n == MAX_SEGMENTS)
			return -1;
		segs[n].p = path;
		segs[n].n = len;
		n++;
		if (!end)
			return n;
		path = end + 1;
	}
}

static int segment_matches(const struct seg *pat, const struct seg *s)
{
	return pat->n == s->n && memcmp(pat->p, s->p, s->n) == 0;
}

static int is_capture(const struct seg *pat)
{
	return pat->n >= 2 && pat->p[0] == '{' && pat->p[pat->n - 1] == '}';
}

/* Captures are written NUL-terminated into a thread-local scratch buffer
 * large enough for any path the server accepts; callers copy them to the
 * request's arena at once. */
static __thread char scratch[8192];

struct route_shape {
	int n;                          /* segments */
	struct seg seg[MAX_SEGMENTS];   /* into the route's pattern */
	unsigned capture;               /* bit i: segment i is a {capture} */
};

void router_add(struct router *r, const struct route *rt)
{
	struct route_shape *sh;

	if (r->n % 64 == 0) { /* full (or empty): 64 more */
		r->routes = xrealloc(r->routes, (r->n + 64) * sizeof(*r->routes));
		r->shapes = xrealloc(r->shapes, (r->n + 64) * sizeof(*r->shapes));
	}
	sh = &r->shapes[r->n];
	memset(sh, 0, sizeof(*sh));
	sh->n = split(rt->pattern, sh->seg);
	if (sh->n < 0)
		BUG("route pattern %s: not /-rooted or too many segments", rt->pattern);
	for (int i = 0; i < sh->n; i++)
		if (is_capture(&sh->seg[i]))
			sh->capture |= 1u << i;
	r->routes[r->n++] = rt;
}

void router_free(struct router *r)
{
	free(r->routes);
	free(r->shapes);
	memset(r, 0, sizeof(*r));
}

/* The literal segments first (they reject almost every route at once),
 * then the captures. */
static int match_one(const struct route_shape *sh, const struct seg *ps, int np,
		     const char **pathv, size_t *npathv)
{
	size_t used = 0, nv = 0;

	if (sh->n != np)
		return 0;
	for (int i = 0; i < np; i++)
		if (!(sh->capture & (1u << i)) && !segment_matches(&sh->seg[i], &ps[i]))
			return 0;
	for (int i = 0; i < np; i++) {
		if (!(sh->capture & (1u << i)))
			continue;
		if (ps[i].n == 0 || nv == 8 || used + ps[i].n + 1 > sizeof(scratch))
			return 0;
		memcpy(scratch + used, ps[i].p, ps[i].n);
		scratch[used + ps[i].n] = 0;
		pathv[nv++] = scratch + used;
		used += ps[i].n + 1;
	}
	*npathv = nv;
	return 1;
}

const struct route *router_match(const struct router *r,
				 const char *method, const char *path,
				 const char **pathv, size_t *npathv,
				 int *method_mismatch)
{
	struct seg ps[MAX_SEGMENTS];
	int np = split(path, ps);
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;

	*method_mismatch = 0;
	*npathv = 0;
	if (np < 0)
		return NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct route *rt = r->routes[i];
		if (!match_one(&r->shapes[i], ps, np, pathv, npathv))
			continue;
		if (strcmp(rt->method, m) == 0) {
			*method_mismatch = 0;
			return rt;
		}
		*method_mismatch = 1;
	}
	*npathv = 0;
	return NULL;
}

const char *req_param(struct req *q, const char *name)
{
	const char *v = NULL;

	if (strcmp(q->method, "GET") != 0 && strcmp(q->method, "HEAD") != 0)
		v = form_get(&q->body_form, name);
	if (!v)
		v = form_get(&q->query_form, name);
	return v;
}

int64_t req_int(struct req *q, const char *name, int64_t min, int64_t max, int64_t def)
{
	const char *v = req_param(q, name);
	int64_t x;

	if (!v || parse_i64(v, &x) != 0 || x < min || x > max)
		return def;
	return x;
}

/* The capture of the segment declared {id} (not just any number: an
 * organisation's slug may be numeric). */
int64_t req_id(struct req *q)
{
	const char *p;
	size_t k = 0;
	int64_t x;

	if (!q->route)
		return 0;
	for (p = q->route->pattern; (p = strchr(p, '{')); p++, k++)
		if (strncmp(p, "{id}", 4) == 0)
			break;
	if (!p || k >= q->npathv || parse_i64(q->pathv[k], &x) != 0 || x <= 0)
		return 0;
	return x;
}
