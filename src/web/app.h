/* app.h - the application: configuration, database pool, routes.
 *
 * One struct app lives for the whole process; requests read it, never write.
 */
#ifndef VARN_APP_H
#define VARN_APP_H

#include "base/base.h"
#include "core/ctx.h"
#include "web/router.h"

struct db_pool;

struct app {
	struct db_pool *pool;
	const char *db_url;
	const char *base_url;      /* "http://127.0.0.1:8080", for Origin checks */
	const struct route **routes;
	size_t nroutes;
	const struct menu_item **menu; /* the foundation's and the modules' */
	size_t nmenu;
};

int app_init(struct app *app, const char *db_url, int pool_size);
void app_release(struct app *app);
/* Fills app->routes and app->menu from the foundation's and the modules'
 * tables, and refuses (BUG) two routes with the same method and pattern
 * (app_init does it; the router fuzzer calls it alone, without a
 * database). */
void app_collect_routes(struct app *app);
/* Signed-in user's organisations (for the switcher and the start page). */
struct org_ctx *app_user_orgs(struct req *q, size_t *n);
/* Loads the organisation called slug with the user's roles in it; NULL when
 * it does not exist or the user has no role there. */
struct org_ctx *app_org_for_user(struct req *q, const char *slug);

#endif
