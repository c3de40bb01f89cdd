/* pages_core.c - the start pages, /healthz and the embedded static files. */
#include "base/base.h"

#include <pthread.h>

#include "base/clock.h"
#include "base/embedded.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"

extern const struct embedded_file web_asset_files[];

static void healthz(struct req *q, struct resp *r)
{
	struct db_rows rows;
	struct db_error err;

	r->content_type = "text/plain; charset=utf-8";
	if (db_exec(q->cx.db, q->cx.a, "SELECT 1", DB_NOARGS, &rows, &err) != 0) {
		r->status = 503;
		buf_puts(&r->body, "database unavailable\n");
		return;
	}
	r->status = 200;
	buf_puts(&r->body, "ok\n");
}

static void static_file(struct req *q, struct resp *r)
{
	const struct embedded_file *f = embedded_find(web_asset_files, q->pathv[0]);
	const char *dot;

	if (!f) {
		respond_error(q, r, 404);
		return;
	}
	dot = strrchr(f->name, '.');
	r->status = 200;
	if (dot && strcmp(dot, ".css") == 0)
		r->content_type = "text/css; charset=utf-8";
	else if (dot && strcmp(dot, ".svg") == 0)
		r->content_type = "image/svg+xml";
	else if (dot && strcmp(dot, ".js") == 0)
		r->content_type = "text/javascript; charset=utf-8";
	else
		r->content_type = "application/octet-stream";
	resp_header(r, "Cache-Control", "public, max-age=3600");
	buf_add(&r->body, f->data, f->len);
}

/* "/" : the organisations of the signed-in user. */
static void root_page(struct req *q, struct resp *r)
{
	size_t n;
	struct org_ctx *orgs = app_user_orgs(q, &n);
	struct html h;

	if (n == 1) {
		resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/", orgs[0].slug));
		return;
	}
	page_begin(q, r, &h, M_CHOOSE_ORG);
	if (n == 0) {
		h_lit(&h, "<p>");
		h_msg(&h, M_NO_ORGS);
		h_lit(&h, "</p>");
	} else {
		h_lit(&h, "<p>");
		h_msg(&h, M_CHOOSE_ORG_INTRO);
		h_lit(&h, "</p><ul class=\"cards\">");
		for (size_t i = 0; i < n; i++) {
			h_lit(&h, "<li><a");
			h_href(&h, "/o/%s/", orgs[i].slug);
			h_lit(&h, ">");
			h_text(&h, orgs[i].name);
			h_lit(&h, "</a></li>");
		}
		h_lit(&h, "</ul>");
	}
	page_end(q, r, &h);
}

/* Things that wait for someone, shown on the start page.  Each is a count
 * query over the organisation ($1) and a link; modules add theirs here. */
/* A module's start-page line, run with its bound parameters (module.h):
 * the number of rows, at most WAIT_LIMIT (*more set when there are more),
 * or -1 on a database error. */
#define WAIT_LIMIT 99

/* Each item's statement, made once: the module's query counted, behind a
 * CTE that names every parameter, typed, so that a query may leave some
 * unused (PostgreSQL refuses a parameter it cannot type).  Made per
 * request, as it was, every start page prepared each statement anew (the
 * SQLite backend caches prepared statements by the text's address) and
 * churned the statement cache of everything else. */
struct item_sql {
	const struct waiting_item *w;
	const char *sql;
};

static struct item_sql *item_sqls;
static size_t n_item_sqls;
static pthread_once_t item_sqls_once = PTHREAD_ONCE_INIT;

static void add_item_sqls(const struct waiting_item *w)
{
	for (; w && w->msg; w++) {
		struct item_sql *x = &item_sqls[n_item_sqls++];
		struct buf b = BUF_INIT;

		buf_printf(&b, "WITH bound(org, person, today, lim) AS"
			   " (SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT),"
			   " CAST($3 AS TEXT), CAST($4 AS BIGINT))"
			   " SELECT count(*) FROM (%s) item", w->sql);
		x->w = w;
		x->sql = buf_detach(&b, NULL);
	}
}

static void make_item_sqls(void)
{
	size_t n = 0;

	for (size_t m = 0; modules[m]; m++) {
		for (const struct waiting_item *w = modules[m]->waiting; w && w->msg; w++)
			n++;
		for (const struct waiting_item *w = modules[m]->overview; w && w->msg; w++)
			n++;
	}
	item_sqls = xcalloc(n + 1, sizeof(*item_sqls));
	for (size_t m = 0; modules[m]; m++) {
		add_item_sqls(modules[m]->waiting);
		add_item_sqls(modules[m]->overview);
	}
}

static const char *item_sql(const struct waiting_item *w)
{
	pthread_once(&item_sqls_once, make_item_sqls);
	for (size_t i = 0; i < n_item_sqls; i++)
		if (item_sqls[i].w == w)
			return item_sqls[i].sql;
	BUG("start page item %s is no module's", w->path);
}

static int64_t waiting_count(struct req *q, const struct waiting_item *w, int *more)
{
	struct db_rows rows;
	struct db_error err;
	int64_t n;

	*more = 0;
	if (db_exec(q->cx.db, q->cx.a, item_sql(w),
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(q->cx.org->person_id),
			    DB_TEXT(ctx_today(&q->cx)), DB_INT(WAIT_LIMIT + 1)),
		    &rows, &err) != 0) {
		log_error("start page item %s: %s", w->path, err.msg);
		return -1;
	}
	n = rows.nrows == 1 ? db_cell_i64(&rows, 0, 0) : 0;
	*more = n > WAIT_LIMIT;
	return *more ? WAIT_LIMIT : n;
}

/* "{n} ..." with the number, or "fler än 99 ..." when there are more. */
static void count_text(struct html *h, int msg, int64_t n, int more)
{
	const char *t = msg_text(h->q->cx.lang, msg);
	const char *at = strstr(t, "{n}");

	if (!more || !at) {
		h_msg_n(h, msg, n);
		return;
	}
	h_textn(h, t, (size_t)(at - t));
	h_msg_n(h, M_MORE_THAN, n);
	h_text(h, at + 3);
}

static int asked(const struct req *q, const struct waiting_item *w)
{
	unsigned held = w->org_wide ? q->cx.org->org_roles : q->cx.org->roles;
	return !w->roles || (w->roles & held);
}

/* What waits for this person: the foundation's own lines, then each
 * module's, each a bounded query (module.h).  A line whose query fails
 * fails the page: a start page that silently drops work is worse than an
 * error. */
static int waiting_list(struct req *q, struct html *h)
{
	int any = 0;

	h_lit(h, "<section aria-labelledby=\"waiting\"><h2 id=\"waiting\">");
	h_msg(h, M_WAITING_FOR_YOU);
	h_lit(h, "</h2><ul class=\"waiting\">");
	if (q->sess && !q->sess->totp_enabled && (q->cx.org->totp_roles & q->cx.org->roles)) {
		h_lit(h, "<li><a href=\"/konto\">");
		h_msg(h, M_WAIT_ENABLE_TOTP);
		h_lit(h, "</a></li>");
		any = 1;
	}
	for (size_t m = 0; modules[m]; m++) {
		for (const struct waiting_item *w = modules[m]->waiting; w && w->msg; w++) {
			int more;
			int64_t n;
			if (!asked(q, w))
				continue;
			/* the person's own lines need a person record here */
			if (!w->roles && !q->cx.org->person_id)
				continue;
			if ((n = waiting_count(q, w, &more)) < 0)
				return -1;
			if (n == 0)
				continue;
			h_lit(h, "<li><a href=\"");
			h_url(h, "/o/%s", q->cx.org->slug);
			h_text(h, w->path);
			h_lit(h, "\">");
			count_text(h, w->msg, n, more);
			h_lit(h, "</a></li>");
			any = 1;
		}
	}
	if (!any) {
		h_lit(h, "<li class=\"muted\">");
		h_msg(h, M_WAIT_NOTHING);
		h_lit(h, "</li>");
	}
	h_lit(h, "</ul></section>");
	return 0;
}

/* The registers at a glance: each module's overview lines, bounded the
 * same way ("fler än 99"). */
static int overview(struct req *q, struct html *h)
{
	int any = 0;

	for (size_t m = 0; modules[m]; m++) {
		for (const struct waiting_item *w = modules[m]->overview; w && w->msg; w++) {
			int more;
			int64_t n;
			if (!asked(q, w))
				continue;
			if ((n = waiting_count(q, w, &more)) < 0)
				return -1;
			if (!any) {
				h_lit(h, "<section aria-labelledby=\"register\"><h2 id=\"register\">");
				h_msg(h, M_REGISTER_OVERVIEW);
				h_lit(h, "</h2><ul class=\"stats\">");
				any = 1;
			}
			h_lit(h, "<li><a href=\"");
			h_url(h, "/o/%s", q->cx.org->slug);
			h_text(h, w->path);
			h_lit(h, "\"><span class=\"num\">");
			if (more)
				h_msg_n(h, M_MORE_THAN, n);
			else
				h_int(h, n);
			h_lit(h, "</span> ");
			h_msg(h, w->msg);
			h_lit(h, "</a></li>");
		}
	}
	if (any)
		h_lit(h, "</ul></section>");
	return 0;
}

static const char sql_recent[] =
	"SELECT at, actor, action, entity, summary FROM audit_event"
	" WHERE org_id = $1 ORDER BY seq DESC LIMIT 5";

/* The latest events of the organisation: 0, or -1 with the request failed
 * (a start page without them would look like a quiet day). */
static int recent_events(struct req *q, struct db_rows *rows)
{
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, sql_recent, DB_ARGS(DB_INT(q->cx.org->id)), rows,
		    &err) != 0) {
		req_fail(q, "recent events", &err);
		return -1;
	}
	return 0;
}

static void org_home(struct req *q, struct resp *r)
{
	struct html h;
	struct db_rows rows;

	page_begin_text(q, r, &h, q->cx.org->name);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_WELCOME);
	h_lit(&h, " ");
	h_text(&h, q->sess->name ? q->sess->name : q->sess->email);
	h_lit(&h, ". ");
	h_msg(&h, M_YOUR_ROLES);
	h_lit(&h, " ");
	for (int i = 0, first = 1; i < ROLE__COUNT; i++) {
		if (!(q->cx.org->roles & RB(i)))
			continue;
		if (!first)
			h_lit(&h, ", ");
		h_msg(&h, role_label(i));
		first = 0;
	}
	h_lit(&h, ".</p><div class=\"home-grid\">");
	if (waiting_list(q, &h) != 0 || overview(q, &h) != 0) {
		respond_error(q, r, 500);
		return;
	}
	if ((q->cx.org->roles & ROLES_AUDIT_READ) && recent_events(q, &rows) == 0 &&
	    rows.nrows) {
		h_lit(&h, "<section aria-labelledby=\"recent\"><h2 id=\"recent\">");
		h_msg(&h, M_RECENT_EVENTS);
		h_lit(&h, "</h2><ul class=\"events\">");
		for (size_t i = 0; i < rows.nrows; i++) {
			h_lit(&h, "<li><time>");
			h_text(&h, clock_format_local(q->cx.a, db_cell_i64(&rows, i, 0)));
			h_lit(&h, "</time> ");
			h_text(&h, audit_actor_label(q, db_cell(&rows, i, 1)));
			h_lit(&h, " · ");
			h_text(&h, audit_action_label(q, db_cell(&rows, i, 2)));
			h_lit(&h, " ");
			h_text(&h, audit_entity_label(q, db_cell(&rows, i, 3)));
			h_lit(&h, ": ");
			h_text(&h, db_cell(&rows, i, 4));
			h_lit(&h, "</li>");
		}
		h_lit(&h, "</ul><p><a");
		h_href(&h, "/o/%s/audit", q->cx.org->slug);
		h_lit(&h, ">");
		h_msg(&h, M_MENU_AUDIT);
		h_lit(&h, "</a></p></section>");
	}
	h_lit(&h, "</div>");
	page_end(q, r, &h);
}

const struct route core_routes[] = {
	{ "GET", "/", root_page, 0, 0, 0, NULL, NULL },
	{ "GET", "/healthz", healthz, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "GET", "/static/{file}", static_file, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "GET", "/o/{org}", org_home, ROLES_ANY, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/", org_home, ROLES_ANY, 0, 0, NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
