/* site.c - the program's site: which pages, which API, which answers.
 *
 * The request pipeline (web/app.c) knows neither the pages nor the API;
 * the page layer (web/) and the API (api/) stand on it.  This file, above
 * all three, is the one place that names them together: it hands the
 * pipeline every route table (the foundation's pages, each module's, the
 * engine's register pages, the API) and the way each answers a refusal
 * (an HTML page, the API's JSON error).  The CLI and the tests start a
 * server through app_init (declared in web/app.h).
 */
#include "base/base.h"

#include <unistd.h>

#include "api/api.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/search.h"
#include "db/db.h"
#include "web/app.h"
#include "web/layout.h"
#include "web/pages_doc.h"
#include "web/pages.h"

/* The foundation's route tables (NULL-method terminated); the modules
 * bring theirs (core/module.h). */
static const struct route *const core_route_tables[] = {
	core_routes,
	auth_routes,
	audit_routes,
	outbox_routes,
	search_routes,
	jobs_routes,
	overview_routes,
	report_routes,
};

static void add_list(struct app *app, const struct route **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		app_add_route(app, list[i]);
}

void app_collect_routes(struct app *app)
{
	const struct route **list;
	size_t n;

	app->answer_error[ANSWER_PAGE] = page_respond_error;
	app->answer_error[ANSWER_API] = api_respond_error;
	entity_prepare_all();
	for (size_t i = 0; i < ARRAY_SIZE(core_route_tables); i++)
		app_add_routes(app, core_route_tables[i]);
	for (size_t m = 0; modules[m]; m++)
		for (size_t k = 0; modules[m]->routes && modules[m]->routes[k]; k++)
			app_add_routes(app, modules[m]->routes[k]);
	n = entity_routes(&list);
	add_list(app, list, n);
	n = api_routes(&list);
	add_list(app, list, n);
	n = doc_routes(&list);
	add_list(app, list, n);
}

/* Half the workers (and at most half the cores) may search at once, at
 * least one: a burst of searches leaves the other half to everyone else. */
static int search_slots(int pool_size)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int workers = pool_size - 2, n;

	if (cores > 0 && cores < workers)
		workers = (int)cores;
	n = workers / 2;
	return n < 1 ? 1 : n;
}

int app_init(struct app *app, const char *db_url, int pool_size)
{
	struct db_error err;
	struct arena a = ARENA_INIT;
	struct ctx cx;
	struct db *db;
	int rc;

	if (app_open(app, db_url, pool_size) != 0)
		return -1;
	app->search_slots = search_slots(pool_size);
	app_collect_routes(app);
	/* searches only read the index: what a migration wrote without the
	 * engine is indexed here, before the first request */
	db = db_pool_get(app->pool);
	ctx_system(&cx, &a, db, "varn-serve", VIA_JOB);
	rc = search_catch_up(&cx, &err);
	db_pool_put(app->pool, db);
	arena_release(&a);
	if (rc) {
		log_error("cannot bring the search index up to date: %s", err.msg);
		app_release(app);
		return -1;
	}
	return 0;
}
