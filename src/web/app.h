/* app.h - the request pipeline: configuration, database pool, routes.
 *
 * One struct app lives for the whole process; requests read it, never write.
 *
 * The pipeline (app.c) matches the route, decodes and allowlists the
 * parameters, takes a database connection, authenticates, checks CSRF and
 * resolves the organisation, then runs the handler (docs/ARCHITECTURE.md,
 * "A request").  It knows neither the pages nor the API: they stand on it,
 * and are handed to it at start-up (site/site.c) as route tables and as
 * the functions that answer a refusal.
 */
#ifndef VARN_APP_H
#define VARN_APP_H

#include "base/base.h"
#include "core/ctx.h"
#include "web/router.h"

/* The language chosen on the sign-in page ("sv"/"en"), kept by the
 * browser; an account's own language other than Swedish wins. */
#define LANG_COOKIE "varn_lang"

struct db_pool;

/* How a refusal is answered: the pipeline resets the response and calls
 * one of these with the status; it writes the body (an HTML page, the
 * API's JSON error) and may add headers.  The page layer's is
 * page_respond_error (layout.h), the API's api_respond_error (api.h). */
typedef void (*error_responder)(struct req *q, struct resp *r, int status);
enum answer_kind {
	ANSWER_PAGE = 0,  /* routes without RF_API, and paths outside /api/ */
	ANSWER_API = 1,   /* RF_API routes, and unmatched paths under /api/ */
};

struct app {
	struct db_pool *pool;
	const char *db_url;
	const char *base_url;      /* "http://127.0.0.1:8080", for Origin checks */
	struct router router;      /* every route, in the order added */
	error_responder answer_error[2]; /* by enum answer_kind */
	/* Searches that may run at once (web/pages_search.c), set by the
	 * site: one more waits behind quick searches and is answered 503
	 * behind slow ones, so that searches never hold every worker. */
	int search_slots;
};

/* ---- start-up: the site (site/site.c) assembles the program ---- */

/* Opens the database pool, then app_collect_routes(); brings the search
 * index up to date with writes that bypassed the engine (search_catch_up),
 * once, before any request.  pool_size: the server's worker threads + 2 (as
 * `varn serve` opens it).  Defined by the site, the one file that names the
 * pages and the API; declared here so that whoever starts a server (the
 * CLI, the tests) includes one header. */
int app_init(struct app *app, const char *db_url, int pool_size);
/* Fills app->router from the foundation's pages, the modules, the
 * registers' pages and the API, and app->answer_error from the page layer
 * and the API (site/site.c; the router fuzzer calls it alone, without a
 * database). */
void app_collect_routes(struct app *app);

/* ---- the pipeline's own (app.c) ---- */

/* Zeroes app and opens its database pool: 0, or -1 (logged). */
int app_open(struct app *app, const char *db_url, int pool_size);
void app_release(struct app *app);
/* Adds one route, or every route of a table (NULL-method terminated).  A
 * second route with the same method and pattern would never be reached:
 * it is a mistake in a declaration, refused (BUG) at start-up. */
void app_add_route(struct app *app, const struct route *rt);
void app_add_routes(struct app *app, const struct route *table);

/* Signed-in user's organisations (for the switcher and the start page),
 * with the user's roles in each; NULL with *n 0 when there are none or on a
 * database error (logged). */
struct org_ctx *app_user_orgs(struct req *q, size_t *n);

#endif
