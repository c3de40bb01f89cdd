/* router.h - the declared route table.
 *
 * Every URL Värn answers is one struct route in a static table of the part
 * that owns it (the foundation's pages in web/pages.h, each module's in its
 * struct module), plus the routes the engine's pages and the API declare for
 * each register (entity_routes(), api_routes()); site/site.c hands them all
 * to the pipeline (web/app.h).
 * A route states what the router enforces before the handler runs:
 *
 *   - who:    RF_PUBLIC routes need no session; others need a full session
 *             (or an API token for RF_API); with {org} in the pattern the
 *             user must hold one of `roles` in that organisation: no role at
 *             all there -> 404 (other organisations are invisible), a role
 *             but not a permitted one -> 403, both audited as "denied";
 *   - CSRF:   unsafe methods on non-API routes need the session's CSRF token
 *             (field "csrf") and, when present, a same-origin Origin header;
 *   - body:   body_max bytes at most (413 above, before reading it);
 *   - params: only the parameters declared in `params` reach the handler
 *             (query and form alike); the rest are dropped.
 *
 * Patterns are literal segments and {name} captures: "/o/{org}/units/{id}".
 * {org} is resolved to req->cx.org; {id} must be a positive decimal integer
 * (otherwise 404).  Captures are in req->pathv[] in order.
 */
#ifndef VARN_ROUTER_H
#define VARN_ROUTER_H

#include "http/http.h"

struct db_error;

enum route_flag {
	RF_PUBLIC = 1 << 0,    /* no sign-in needed */
	RF_API = 1 << 1,       /* JSON API: Bearer token, JSON errors, no CSRF */
	RF_TOTP_STAGE = 1 << 2,/* reachable with a session still awaiting TOTP */
	RF_NO_CSRF = 1 << 3,   /* an unsafe method that needs no CSRF (sign-in form
				  carries its own pre-session token) */
};

enum param_type { P_STR = 0, P_INT, P_FILE };

struct param {
	const char *name;
	enum param_type type;
	int64_t max;      /* P_STR: bytes; P_INT: largest value */
};

typedef void (*route_fn)(struct req *q, struct resp *r);

struct route {
	const char *method;
	const char *pattern;
	route_fn fn;
	unsigned roles;          /* with {org}: roles that may use it */
	unsigned flags;
	size_t body_max;         /* 0: no body */
	const struct param *params; /* NULL-name terminated, or NULL */
	const void *ctx;         /* handler data, e.g. the entity */
};

#define BODY_FORM (64 * 1024)
#define BODY_IMPORT (8 * 1024 * 1024)

/* The routes of a program, each with its pattern split once into
 * segments when it is added, so that matching a path compares lengths and
 * bytes of the segments that differ instead of parsing every pattern of
 * every route (a start page matches fifty links against them). */
struct route_shape;
struct router {
	const struct route **routes;   /* in the order added */
	struct route_shape *shapes;    /* routes[i]'s pattern, split */
	size_t n;
};
/* Adds rt after the others (a pattern of more than 16 segments is a BUG). */
void router_add(struct router *r, const struct route *rt);
void router_free(struct router *r);

/* Matching (pure; fuzzed by tests/fuzz/fuzz_router.c): the first route in
 * the order added whose pattern matches path and whose method is method
 * (HEAD matches GET).  pathv receives the captures (at most 8) and
 * *method_mismatch is set when only another method's route matched. */
const struct route *router_match(const struct router *r,
				 const char *method, const char *path,
				 const char **pathv, size_t *npathv,
				 int *method_mismatch);

/* Typed access to declared parameters (query first for GET, body for POST). */
const char *req_param(struct req *q, const char *name);
int64_t req_int(struct req *q, const char *name, int64_t min, int64_t max, int64_t def);
/* The {id} capture as int64, 0 when absent or not a positive number. */
int64_t req_id(struct req *q);

/* Answers q with an error in the request's language: whatever was written
 * is dropped, then the page layer writes its error page or the API its JSON
 * error (RF_API routes), as registered with the pipeline (web/app.h).  503
 * adds Retry-After. */
void respond_error(struct req *q, struct resp *r, int status);
/* A part of the answer cannot be made (a page section's query failed):
 * logs `what` and err, and marks the request, so that the pipeline answers
 * with an error (503 when the database was busy, else 500) in place of
 * whatever the handler goes on to write.  A page is then whole or an
 * error, never a 200 with a part missing, and a section deep in a page
 * needs no way out of its callers: they may go on writing.  For reads
 * only: a write's failure is answered by the handler that made it.  err
 * may be NULL. */
void req_fail(struct req *q, const char *what, const struct db_error *err);

#endif
