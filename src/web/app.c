/* app.c - the request pipeline (app.h).
 *
 * A request flows (docs/ARCHITECTURE.md, "A request"):
 *   server.c -> app_handle: match route -> decode and allowlist parameters
 *   -> take a database connection -> authenticate (cookie or Bearer)
 *   -> CSRF and Origin -> organisation and role -> handler -> give back the
 *   connection.  Every refusal answers through respond_error(), which hands
 *   it to the page layer or the API as the site registered them: this file
 *   writes no page and no JSON.
 */
#include "base/base.h"

#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "parse/cookie.h"
#include "parse/multipart.h"
#include "web/app.h"

/* What a 503 asks the client to wait before trying again (seconds): the
 * database was busy or could not be reached. */
#define RETRY_AFTER "10"

/* ---- start-up ---- */

void app_add_route(struct app *app, const struct route *rt)
{
	for (size_t i = 0; i < app->router.n; i++)
		if (strcmp(app->router.routes[i]->method, rt->method) == 0 &&
		    strcmp(app->router.routes[i]->pattern, rt->pattern) == 0)
			BUG("two routes for %s %s", rt->method, rt->pattern);
	router_add(&app->router, rt);
}

void app_add_routes(struct app *app, const struct route *table)
{
	for (; table->method; table++)
		app_add_route(app, table);
}

int app_open(struct app *app, const char *db_url, int pool_size)
{
	struct db_error err;

	memset(app, 0, sizeof(*app));
	app->db_url = db_url;
	if (db_pool_open(db_url, pool_size, &app->pool, &err) != 0) {
		log_error("cannot open database: %s", err.msg);
		return -1;
	}
	return 0;
}

void app_release(struct app *app)
{
	if (app->pool)
		db_pool_close(app->pool);
	router_free(&app->router);
	memset(app, 0, sizeof(*app));
}

size_t app_body_limit(struct app *app, const char *method, const char *path)
{
	const char *pathv[8];
	size_t npathv;
	int mismatch;
	const struct route *rt = router_match(&app->router, method,
					      path, pathv, &npathv, &mismatch);
	return rt ? rt->body_max : 0;
}

/* ---- organisations and the user's roles in them ---- */

static const char sql_user_org_roles[] =
	"SELECT o.id, o.slug, o.name, o.kind, o.totp_roles, p.id, ra.role, ra.unit_id"
	" FROM organisation o"
	" JOIN person p ON p.org_id = o.id AND p.user_id = $1 AND p.archived = 0"
	/* roles count while the person works here: not on leave, not left
	 * (modules/org/accounts.c) */
	"  AND p.employment = 'active'"
	" JOIN role_assignment ra ON ra.person_id = p.id AND ra.org_id = o.id"
	"  AND ra.archived = 0"
	" WHERE o.archived = 0"
	" ORDER BY o.name_sk, o.id";

/* A role held for a unit covers the units below it too: the person's
 * roles held for units, each with the units below it, in one statement
 * whatever the number of such roles. */
static const char sql_unit_roles_below[] =
	"WITH RECURSIVE below(role, id) AS ("
	" SELECT ra.role, ra.unit_id FROM role_assignment ra"
	"  WHERE ra.org_id = $1 AND ra.person_id = $2 AND ra.archived = 0"
	"  AND ra.unit_id > 0"
	" UNION SELECT b.role, u.id FROM unit u JOIN below b ON u.parent_id = b.id"
	"  WHERE u.org_id = $1 AND u.archived = 0)"
	" SELECT role, id FROM below";

static int add_unit_roles(struct req *q, struct org_ctx *o, struct db_error *err)
{
	struct db_rows rows;
	struct unit_role *ur;
	size_t n = 0;

	if (db_exec(q->cx.db, q->cx.a, sql_unit_roles_below,
		    DB_ARGS(DB_INT(o->id), DB_INT(o->person_id)), &rows, err) != 0)
		return -1;
	ur = arena_alloc(q->cx.a, (rows.nrows + 1) * sizeof(*ur));
	for (size_t i = 0; i < rows.nrows; i++) {
		int role = role_parse(db_cell(&rows, i, 0));
		if (role < 0)
			continue;
		ur[n].role = role;
		ur[n++].unit_id = db_cell_i64(&rows, i, 1);
	}
	o->unit_roles = ur;
	o->n_unit_roles = n;
	return 0;
}

/* The user's organisations with their roles, read once per request and
 * kept in it (q->user_orgs): 0, or -1 with err set on a database error,
 * so that a caller can answer 503 rather than "no such organisation", and
 * a role never covers less than was granted.  An organisation's
 * n_unit_roles is 1 here when a role is held for one of its units. */
static int load_orgs(struct req *q, struct db_error *err)
{
	struct db_rows rows;
	struct org_ctx *orgs;
	size_t k = 0;

	if (q->user_orgs || !q->sess)
		return 0;
	if (db_exec(q->cx.db, q->cx.a, sql_user_org_roles,
		    DB_ARGS(DB_INT(q->sess->user_id)), &rows, err) != 0)
		return -1;
	orgs = arena_alloc(q->cx.a, (rows.nrows + 1) * sizeof(*orgs));
	for (size_t i = 0; i < rows.nrows; i++) {
		int64_t id = db_cell_i64(&rows, i, 0);
		int role = role_parse(db_cell(&rows, i, 6));
		int64_t unit = db_cell_i64(&rows, i, 7);
		if (k == 0 || orgs[k - 1].id != id) {
			struct org_ctx *o = &orgs[k++];
			memset(o, 0, sizeof(*o));
			o->id = id;
			o->slug = db_cell(&rows, i, 1);
			o->name = db_cell(&rows, i, 2);
			o->kind = db_cell(&rows, i, 3);
			o->totp_roles = (unsigned)db_cell_i64(&rows, i, 4);
			o->person_id = db_cell_i64(&rows, i, 5);
		}
		if (role < 0)
			continue;
		orgs[k - 1].roles |= RB(role);
		if (unit <= 0)
			orgs[k - 1].org_roles |= RB(role);
		else /* marks it: the units below are read for the one acted in */
			orgs[k - 1].n_unit_roles = 1;
	}
	q->user_orgs = orgs;
	q->n_user_orgs = k;
	return 0;
}

/* The organisation of the path, with the units below its unit roles, in
 * the request's arena: *out NULL when the user has no role there. */
static int load_org(struct req *q, const char *slug, struct org_ctx **out,
		    struct db_error *err)
{
	struct org_ctx *o;

	*out = NULL;
	if (load_orgs(q, err) != 0)
		return -1;
	for (size_t i = 0; i < q->n_user_orgs; i++) {
		if (strcmp(q->user_orgs[i].slug, slug) != 0)
			continue;
		o = arena_alloc(q->cx.a, sizeof(*o));
		*o = q->user_orgs[i];
		o->unit_roles = NULL;
		o->n_unit_roles = 0;
		if (q->user_orgs[i].n_unit_roles && add_unit_roles(q, o, err) != 0)
			return -1;
		*out = o;
		return 0;
	}
	return 0;
}

struct org_ctx *app_user_orgs(struct req *q, size_t *n)
{
	struct org_ctx *orgs;
	struct db_error err;

	*n = 0;
	if (load_orgs(q, &err) != 0) {
		req_fail(q, "the user's organisations", &err);
		return arena_alloc(q->cx.a, sizeof(*orgs));
	}
	/* a copy: callers may reorder or filter what they get */
	orgs = arena_alloc(q->cx.a, (q->n_user_orgs + 1) * sizeof(*orgs));
	for (size_t i = 0; i < q->n_user_orgs; i++) {
		orgs[i] = q->user_orgs[i];
		orgs[i].unit_roles = NULL; /* only the organisation acted in has them */
		orgs[i].n_unit_roles = 0;
	}
	*n = q->n_user_orgs;
	return orgs;
}

/* ---- the pipeline ---- */

static void deny(struct req *q, struct resp *r, int status, const char *why)
{
	struct audit_event ev = { 0 };

	audit_from_ctx(&q->cx, &ev);
	ev.action = "denied";
	ev.summary = arena_printf(q->cx.a, "%s %s: %s", q->method, q->path, why);
	audit_append_now(q->cx.db, q->cx.a, &ev);
	respond_error(q, r, status);
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int decode_params(struct req *q, struct form *f, const char *data, size_t len)
{
	const char *why;
	struct form all;
	size_t k = 0;
	int multipart = f == &q->body_form &&
			starts_with(q->h_content_type, "multipart/form-data");

	memset(f, 0, sizeof(*f));
	if (len == 0)
		return 0;
	if (multipart ? multipart_parse(q->cx.a, q->h_content_type, data, len, 50, &all, &why)
		      : form_decode(q->cx.a, data, len, 1000, &all, &why))
		return -1;
	/* Allowlist: only declared parameters survive (kore). */
	f->pairs = arena_alloc(q->cx.a, (all.n + 1) * sizeof(*f->pairs));
	for (size_t i = 0; i < all.n; i++) {
		const struct param *p = q->route->params;
		for (; p && p->name; p++) {
			if (strcmp(p->name, all.pairs[i].name) != 0)
				continue;
			if (p->type == P_STR && p->max && (int64_t)all.pairs[i].value_len > p->max)
				return -1;
			f->pairs[k++] = all.pairs[i];
			break;
		}
	}
	f->n = k;
	return 0;
}

static int is_unsafe_method(const char *m)
{
	return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0;
}

/* An Origin header, when a browser sends one, must name this site. */
static int origin_ok(struct req *q)
{
	const char *o = q->h_origin;
	const char *host = q->h_host;

	if (!o)
		return 1;
	if (q->app->base_url && strcmp(o, q->app->base_url) == 0)
		return 1;
	if (!host)
		return 0;
	if (starts_with(o, "http://") && strcmp(o + 7, host) == 0)
		return 1;
	if (starts_with(o, "https://") && strcmp(o + 8, host) == 0)
		return 1;
	return 0;
}

static int csrf_ok(struct req *q)
{
	const char *sent = form_get(&q->body_form, "csrf");
	const char *want = q->sess ? q->sess->csrf : NULL;

	if (!sent || !want || strlen(sent) != strlen(want))
		return 0;
	return ct_equal(sent, want, strlen(want));
}

/* Finds the session of the cookie (pages) or the Bearer token (API): 0
 * (q->sess NULL when there is none), or -1 when the database could not say
 * (logged by the look-up), which is no reason to treat anyone as signed
 * out. */
static int authenticate(struct req *q)
{
	struct db_error err;
	int rc = 0;

	if (q->is_api) {
		const char *h = q->h_authorization;
		if (h && strncmp(h, "Bearer ", 7) == 0)
			rc = api_token_lookup(q->cx.db, q->cx.a, h + 7, &q->sess, &err);
	} else {
		const char *tok = cookie_get(q->cx.a, q->h_cookie, SESSION_COOKIE);
		if (tok)
			rc = session_lookup(q->cx.db, q->cx.a, tok, &q->sess, &err);
	}
	if (q->sess) {
		/* the account's own language; "sv" is also the default, so
		 * the browser's choice (LANG_COOKIE) stands beside it */
		if (q->sess->lang != LANG_SV || q->cx.lang == LANG_SV)
			q->cx.lang = q->sess->lang;
		q->cx.user_id = q->sess->user_id;
		q->cx.actor = q->sess->email;
	}
	return rc;
}

static int pattern_has_org(const struct route *rt)
{
	return strstr(rt->pattern, "{org}") != NULL;
}

static void dispatch(struct req *q, struct resp *r)
{
	const struct route *rt = q->route;

	if (authenticate(q) != 0 && !(rt->flags & RF_PUBLIC)) {
		/* the database is down or busy: not "signed out" (a sign-in
		 * page, a 401 for a valid token), but "try again" */
		respond_error(q, r, 503);
		return;
	}
	if (!(rt->flags & RF_PUBLIC)) {
		if (!q->sess) {
			if (q->is_api) {
				respond_error(q, r, 401);
			} else if (!is_unsafe_method(q->method)) {
				struct buf b = BUF_INIT;
				buf_puts(&b, "/logga-in?next=");
				url_encode(&b, q->path);
				resp_redirect(q, r, arena_strdup(q->cx.a, b.p));
				buf_release(&b);
			} else {
				respond_error(q, r, 403);
			}
			return;
		}
		if (q->sess->stage_totp && !(rt->flags & RF_TOTP_STAGE)) {
			resp_redirect(q, r, "/logga-in/kod");
			return;
		}
	}
	if (!q->is_api && is_unsafe_method(q->method) && !(rt->flags & RF_NO_CSRF)) {
		if (!origin_ok(q) || !csrf_ok(q)) {
			q->csrf_refused = 1;
			deny(q, r, 403, "csrf");
			return;
		}
	}
	if (pattern_has_org(rt)) {
		struct org_ctx *o;
		struct db_error err;
		if (load_org(q, q->pathv[0], &o, &err) != 0) {
			log_error("%s %s: the user's roles: %s", q->method, q->path, err.msg);
			respond_error(q, r, 503);
			return;
		}
		q->cx.org = o;
		if (!q->cx.org) {
			deny(q, r, 404, "organisation");
			return;
		}
		if (!(q->cx.org->roles & rt->roles)) {
			deny(q, r, 403, "role");
			return;
		}
	}
	if (strstr(rt->pattern, "{id}") && req_id(q) <= 0) {
		respond_error(q, r, 404);
		return;
	}
	rt->fn(q, r);
}

void app_handle(struct app *app, struct req *q, struct resp *r)
{
	const char *pathv[8];
	int mismatch;
	const struct route *rt;

	q->app = app;
	q->cx.now = clock_now();
	q->cx.ip = q->remote_ip;
	/* Swedish, the organisations' language, unless the browser chose
	 * another on the sign-in page (GET /sprak) */
	q->cx.lang = lang_parse(cookie_get(q->cx.a, q->h_cookie, LANG_COOKIE));
	q->is_api = starts_with(q->path, "/api/");
	rt = router_match(&app->router, q->method, q->path, pathv,
			  &q->npathv, &mismatch);
	if (!rt) {
		/* the error page speaks the signed-in user's language (when
		 * the database can say who that is) */
		q->cx.db = db_pool_get(app->pool);
		if (!q->is_api)
			(void)authenticate(q);
		respond_error(q, r, mismatch ? 405 : 404);
		db_pool_put(app->pool, q->cx.db);
		q->cx.db = NULL;
		return;
	}
	q->route = rt;
	q->is_api = !!(rt->flags & RF_API);
	q->cx.via = q->is_api ? VIA_API : VIA_WEB;
	for (size_t i = 0; i < q->npathv; i++)
		q->pathv[i] = arena_strdup(q->cx.a, pathv[i]);
	if (q->body_len > rt->body_max) {
		respond_error(q, r, 413);
		return;
	}
	if (decode_params(q, &q->query_form, q->query, q->query ? strlen(q->query) : 0) != 0) {
		respond_error(q, r, 400);
		return;
	}
	if (!q->is_api && q->body_len &&
	    (starts_with(q->h_content_type, "application/x-www-form-urlencoded") ||
	     starts_with(q->h_content_type, "multipart/form-data")) &&
	    decode_params(q, &q->body_form, q->body, q->body_len) != 0) {
		respond_error(q, r, 400);
		return;
	}
	q->cx.db = db_pool_get(app->pool);
	dispatch(q, r);
	if (q->failed)
		respond_error(q, r, q->failed); /* a part of it could not be made */
	if (db_in_transaction(q->cx.db)) {
		log_error("handler for %s %s left a transaction open", q->method,
			  rt->pattern);
		db_rollback(q->cx.db);
	}
	db_pool_put(app->pool, q->cx.db);
	q->cx.db = NULL;
}

/* ---- refusals ---- */

void respond_error(struct req *q, struct resp *r, int status)
{
	error_responder answer = q->app ? q->app->answer_error[q->is_api ? ANSWER_API
									   : ANSWER_PAGE] : NULL;

	buf_reset(&r->body);
	r->nheaders = 0;
	r->download_name = NULL;
	if (answer) {
		answer(q, r, status);
	} else {
		/* no layer registered one (a test's bare app): plain text */
		r->status = status;
		r->content_type = "text/plain; charset=utf-8";
		buf_printf(&r->body, "%d\n", status);
	}
	r->status = status;
	if (status == 503)
		resp_header(r, "Retry-After", RETRY_AFTER);
}

void req_fail(struct req *q, const char *what, const struct db_error *err)
{
	int status = err && err->code == DBE_BUSY ? 503 : 500;

	log_error("%s %s: %s%s%s", q->method, q->path, what, err ? ": " : "",
		  err ? err->msg : "");
	if (q->failed < status)
		q->failed = status;
}
