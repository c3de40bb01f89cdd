/* pages_core.c - the start pages, /healthz and the embedded static files. */
#include "base/base.h"

#include <pthread.h>

#include "base/clock.h"
#include "base/embedded.h"
#include "chart/chart.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "web/app.h"
#include "web/chart_svg.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"
#include "web/router.h"

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
		/* a shared coordinator: their organisations side by side
		 * (pages_overview.c) */
		size_t followed = 0;
		for (size_t i = 0; i < n; i++)
			followed += (orgs[i].org_roles & ROLES_OVERVIEW) != 0;
		if (followed > 1) {
			h_lit(&h, "<p><a href=\"/overview\">");
			h_msg_n(&h, M_OV_COMPARE, (int64_t)followed);
			h_lit(&h, "</a></p>");
		}
	}
	page_end(q, r, &h);
}

/* Things that wait for someone, shown on the start page: each module's
 * lines (module.h struct waiting_item), each a bounded query, the number
 * or "fler än 99" when the limit was reached. */
#define WAIT_LIMIT 99

/* Each item's statement, made once: the module's query counted, behind a
 * CTE that names every parameter, typed, so that a query may leave some
 * unused (PostgreSQL refuses a parameter it cannot type).  Made per
 * request, as it was, every start page prepared each statement anew (the
 * SQLite backend caches prepared statements by the text's address) and
 * churned the statement cache of everything else.  The guide's steps
 * (struct guide_step) are made the same way. */
struct item_sql {
	const void *w;
	const char *sql;
};

static struct item_sql *item_sqls;
static size_t n_item_sqls;
static pthread_once_t item_sqls_once = PTHREAD_ONCE_INIT;

static void add_item_sql(const void *w, const char *sql)
{
	struct item_sql *x = &item_sqls[n_item_sqls++];
	struct buf b = BUF_INIT;

	buf_printf(&b, "WITH bound(org, person, today, lim, unit, soon) AS"
		   " (SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT),"
		   " CAST($3 AS TEXT), CAST($4 AS BIGINT), CAST($5 AS BIGINT),"
		   " CAST($6 AS TEXT))"
		   " SELECT count(*) FROM (%s) item", sql);
	x->w = w;
	x->sql = buf_detach(&b, NULL);
}

static void make_item_sqls(void)
{
	size_t n = 0;

	for (size_t m = 0; modules[m]; m++) {
		for (const struct waiting_item *w = modules[m]->waiting; w && w->msg; w++)
			n++;
		for (const struct waiting_item *w = modules[m]->overview; w && w->msg; w++)
			n++;
		for (const struct guide_step *g = modules[m]->guide; g && g->label; g++)
			n++;
	}
	item_sqls = xcalloc(n + 1, sizeof(*item_sqls));
	for (size_t m = 0; modules[m]; m++) {
		for (const struct waiting_item *w = modules[m]->waiting; w && w->msg; w++)
			add_item_sql(w, w->sql);
		for (const struct waiting_item *w = modules[m]->overview; w && w->msg; w++)
			add_item_sql(w, w->sql);
		for (const struct guide_step *g = modules[m]->guide; g && g->label; g++)
			add_item_sql(g, g->sql);
	}
}

static const char *item_sql(const void *w)
{
	pthread_once(&item_sqls_once, make_item_sqls);
	for (size_t i = 0; i < n_item_sqls; i++)
		if (item_sqls[i].w == w)
			return item_sqls[i].sql;
	BUG("start page item is no module's");
}

/* $6 of an item's query: the day WAIT_SOON_DAYS from today. */
static const char *soon_date(struct ctx *cx)
{
	char *s = clock_format_local(cx->a, cx->now + (int64_t)WAIT_SOON_DAYS * 86400);

	s[10] = '\0';
	return s;
}

/* The number of rows of an item's query, at most WAIT_LIMIT (*more set
 * when there are more), or -1 on a database error. */
static int64_t item_count(struct req *q, const void *w, int64_t unit, int *more)
{
	struct db_rows rows;
	struct db_error err;
	int64_t n;

	*more = 0;
	if (db_exec(q->cx.db, q->cx.a, item_sql(w),
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(q->cx.org->person_id),
			    DB_TEXT(ctx_today(&q->cx)), DB_INT(WAIT_LIMIT + 1), DB_INT(unit),
			    DB_TEXT(soon_date(&q->cx))),
		    &rows, &err) != 0) {
		log_error("start page item: %s", err.msg);
		return -1;
	}
	n = rows.nrows == 1 ? db_cell_i64(&rows, 0, 0) : 0;
	*more = n > WAIT_LIMIT;
	return *more ? WAIT_LIMIT : n;
}

/* A message with "{n}" (the number, or "fler än 99") and "{unit}" (a
 * unit's name) filled in. */
static void count_text(struct html *h, int msg, int64_t n, int more, const char *unit)
{
	const char *t = msg_text(h->q->cx.lang, msg);

	while (*t) {
		const char *a = strstr(t, "{n}"), *u = strstr(t, "{unit}");
		const char *at = a && (!u || a < u) ? a : u;
		if (!at) {
			h_text(h, t);
			break;
		}
		h_textn(h, t, (size_t)(at - t));
		if (at == a) {
			if (more)
				h_msg_n(h, M_MORE_THAN, n);
			else
				h_int(h, n);
			t = at + 3;
		} else {
			h_text(h, unit ? unit : "");
			t = at + 6;
		}
	}
}

/* An item's link under /o/{org}, "{person}" and "{unit}" filled in. */
static const char *item_path(struct req *q, const char *path, int64_t unit)
{
	struct buf b = BUF_INIT;
	const char *p = path, *at;
	char *out, *tmp;

	buf_printf(&b, "/o/%s", q->cx.org->slug);
	while ((at = strchr(p, '{')) != NULL) {
		buf_add(&b, p, (size_t)(at - p));
		if (strncmp(at, "{person}", 8) == 0) {
			buf_printf(&b, "%lld", (long long)q->cx.org->person_id);
			p = at + 8;
		} else if (strncmp(at, "{unit}", 6) == 0) {
			buf_printf(&b, "%lld", (long long)unit);
			p = at + 6;
		} else {
			buf_add(&b, at, 1);
			p = at + 1;
		}
	}
	buf_puts(&b, p);
	tmp = buf_detach(&b, NULL);
	out = arena_strdup(q->cx.a, tmp ? tmp : "");
	free(tmp);
	return out;
}

/* The viewer may open the page a link leads to: its route admits one of
 * their roles.  A start page offers no line that ends in "not allowed". */
static int may_open(struct req *q, const char *url)
{
	const char *pathv[8];
	size_t npathv = 8;
	int mismatch = 0;
	const char *qm = strchr(url, '?');
	const char *path = qm ? arena_strndup(q->cx.a, url, (size_t)(qm - url)) : url;
	const struct route *rt = router_match(&q->app->router, "GET", path,
					      pathv, &npathv, &mismatch);

	return rt && (!rt->roles || (rt->roles & q->cx.org->roles));
}

/* The viewer holds the item's roles: organisation-wide for WAIT_ORG,
 * anywhere otherwise (0: everyone). */
static int holds(const struct req *q, const struct waiting_item *w)
{
	unsigned held = w->scope == WAIT_ORG ? q->cx.org->org_roles : q->cx.org->roles;

	return !w->roles || (w->roles & held);
}

static int asked(const struct req *q, const struct waiting_item *w)
{
	if (w->scope == WAIT_MINE && !q->cx.org->person_id)
		return 0; /* the person's own lines need a person record here */
	return holds(q, w);
}

static const char sql_unit_name[] = "SELECT name FROM unit WHERE org_id = $1 AND id = $2";

/* One line: a link with its number, unless there is nothing or the viewer
 * may not open the link.  1 written, 0 not, -1 on a database error. */
static int waiting_line(struct req *q, struct html *h, const struct waiting_item *w,
			int64_t unit)
{
	int more;
	int64_t n;
	const char *url = item_path(q, w->path, unit), *name = NULL;

	if (!may_open(q, url))
		return 0;
	if ((n = item_count(q, w, unit, &more)) <= 0)
		return n < 0 ? -1 : 0;
	if (unit) {
		struct db_rows rows;
		struct db_error err;
		if (db_exec(q->cx.db, q->cx.a, sql_unit_name,
			    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(unit)), &rows, &err) != 0)
			return -1;
		name = rows.nrows ? db_cell(&rows, 0, 0) : "";
	}
	h_lit(h, "<li><a");
	h_attr(h, "href", url);
	h_lit(h, ">");
	count_text(h, n == 1 && !more && w->msg_one ? w->msg_one : w->msg, n, more, name);
	h_lit(h, "</a></li>");
	return 1;
}

/* A WAIT_UNIT line for each unit where the person holds one of the line's
 * roles for that unit only (the context repeats a unit's role for each
 * unit below it), each unit once, at most WAIT_UNITS_MAX. */
static int waiting_unit_lines(struct req *q, struct html *h, const struct waiting_item *w)
{
	const struct org_ctx *o = q->cx.org;
	int64_t seen[WAIT_UNITS_MAX];
	size_t nseen = 0;
	int any = 0;

	for (size_t i = 0; i < o->n_unit_roles && nseen < WAIT_UNITS_MAX; i++) {
		int64_t u = o->unit_roles[i].unit_id;
		size_t k;
		int rc;
		if (!(RB(o->unit_roles[i].role) & w->roles))
			continue;
		for (k = 0; k < nseen && seen[k] != u; k++)
			;
		if (k < nseen)
			continue;
		seen[nseen++] = u;
		if ((rc = waiting_line(q, h, w, u)) < 0)
			return -1;
		any |= rc;
	}
	return any;
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
			int rc;
			if (w->scope == WAIT_UNIT) {
				/* only roles held for a unit; organisation-wide
				 * holders have the organisation's lines */
				if ((w->roles & q->cx.org->org_roles) || !q->cx.org->person_id)
					continue;
				rc = waiting_unit_lines(q, h, w);
			} else {
				if (!asked(q, w))
					continue;
				rc = waiting_line(q, h, w, 0);
			}
			if (rc < 0)
				return -1;
			any |= rc;
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
			const char *url;
			if (!holds(q, w))
				continue;
			url = item_path(q, w->path, 0);
			if (!may_open(q, url))
				continue;
			if ((n = item_count(q, w, 0, &more)) < 0)
				return -1;
			if (!any) {
				h_lit(h, "<section aria-labelledby=\"register\"><h2 id=\"register\">");
				h_msg(h, M_REGISTER_OVERVIEW);
				h_lit(h, "</h2><ul class=\"stats\">");
				any = 1;
			}
			h_lit(h, "<li><a");
			h_attr(h, "href", url);
			h_lit(h, "><span class=\"num\">");
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

/* The modules' pictures (struct overview_chart) for those who hold their
 * roles organisation-wide: each built from a summary the writes keep, so
 * the page costs the same whatever the size of the register. */
static void overview_charts(struct req *q, struct html *h)
{
	int any = 0;

	for (size_t m = 0; modules[m]; m++) {
		for (const struct overview_chart *oc = modules[m]->charts; oc && oc->heading; oc++) {
			struct chart *c = NULL;
			struct db_error err;
			const char *hid;
			if (!(q->cx.org->org_roles & oc->roles))
				continue;
			if (oc->build(&q->cx, &c, &err) != 0) {
				req_fail(q, "a picture of the start page", &err);
				return;
			}
			if (!any) {
				h_lit(h, "<div class=\"home-charts\">");
				any = 1;
			}
			hid = arena_printf(q->cx.a, "%s-h", c->id ? c->id : "chart");
			h_lit(h, "<section");
			h_attr(h, "aria-labelledby", hid);
			h_lit(h, "><h2");
			h_attr(h, "id", hid);
			h_lit(h, ">");
			h_msg(h, oc->heading);
			h_lit(h, "</h2>");
			h_chart(h, c);
			h_lit(h, "</section>");
		}
	}
	if (any)
		h_lit(h, "</div>");
}

/* ---- "Kom igång": the guide for a new organisation ---- */

struct guide_state {
	const struct guide_step *step;
	int64_t n;
	int more, done;
};

/* Every module's steps in order, each with its count and whether it is
 * done; the number of steps (at most max) and of those done, or -1. */
static int guide_read(struct req *q, struct guide_state *st, int max, int *ndone)
{
	int n = 0, all_before = 1;

	*ndone = 0;
	for (size_t m = 0; modules[m]; m++)
		for (const struct guide_step *g = modules[m]->guide; g && g->label && n < max; g++) {
			struct guide_state *s = &st[n++];
			s->step = g;
			if ((s->n = item_count(q, g, 0, &s->more)) < 0)
				return -1;
			s->done = g->done_when_none ? all_before && s->n == 0 : s->n > 0;
			all_before &= s->done;
			*ndone += s->done;
		}
	return n;
}

#define GUIDE_MAX 16

/* The start page's way to the guide while it is not complete, for those
 * who build the register. */
static int guide_link(struct req *q, struct html *h)
{
	struct guide_state st[GUIDE_MAX];
	int n, done;
	const char *url = item_path(q, "/kom-igang", 0);

	if (!may_open(q, url))
		return 0;
	if ((n = guide_read(q, st, GUIDE_MAX, &done)) < 0)
		return -1;
	if (n == 0 || done == n)
		return 0;
	h_lit(h, "<p class=\"guide-link\"><a");
	h_attr(h, "href", url);
	h_lit(h, "><strong>");
	h_msg(h, M_GUIDE_TITLE);
	h_lit(h, "</strong> – ");
	h_msg_n(h, M_GUIDE_PROGRESS, done);
	h_lit(h, " ");
	h_msg_n(h, M_GUIDE_OF, n);
	h_lit(h, "</a></p>");
	return 0;
}

/* A link to a path made by item_path (already a URL). */
static void link_to(struct html *h, const char *url, int msg)
{
	h_lit(h, "<a");
	h_attr(h, "href", url);
	h_lit(h, ">");
	h_msg(h, msg);
	h_lit(h, "</a>");
}

static void guide_page(struct req *q, struct resp *r)
{
	struct guide_state st[GUIDE_MAX];
	struct html h;
	int n, done;

	if ((n = guide_read(q, st, GUIDE_MAX, &done)) < 0) {
		respond_error(q, r, 500);
		return;
	}
	page_begin(q, r, &h, M_GUIDE_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_GUIDE_INTRO);
	h_lit(&h, "</p><p class=\"guide-progress\" role=\"status\"><strong>");
	h_msg_n(&h, M_GUIDE_PROGRESS, done);
	h_lit(&h, " ");
	h_msg_n(&h, M_GUIDE_OF, n);
	h_lit(&h, "</strong> <progress");
	h_attr_int(&h, "value", done);
	h_attr_int(&h, "max", n);
	h_lit(&h, " aria-hidden=\"true\"></progress></p><ol class=\"guide\">");
	for (int i = 0; i < n; i++) {
		const struct guide_step *g = st[i].step;
		if (st[i].done)
			h_lit(&h, "<li class=\"done\"><h2>");
		else
			h_lit(&h, "<li><h2>");
		h_msg(&h, g->label);
		h_lit(&h, " ");
		part_badge(&h, st[i].done ? M_GUIDE_DONE : M_GUIDE_NOT_DONE,
			   st[i].done ? "ok" : NULL);
		h_lit(&h, "</h2><p>");
		h_msg(&h, g->text);
		h_lit(&h, "</p><p class=\"muted\">");
		count_text(&h, g->count_msg, st[i].n, st[i].more, NULL);
		h_lit(&h, "</p><p class=\"guide-actions\">");
		if (may_open(q, item_path(q, g->path, 0)))
			link_to(&h, item_path(q, g->path, 0), g->link);
		if (g->path2 && may_open(q, item_path(q, g->path2, 0))) {
			h_lit(&h, " · ");
			link_to(&h, item_path(q, g->path2, 0), g->link2);
		}
		h_lit(&h, "</p></li>");
	}
	h_lit(&h, "</ol>");
	page_end(q, r, &h);
}

static const char sql_recent[] =
	"SELECT at, actor, action, entity, summary FROM audit_event"
	" WHERE org_id = $1 AND action <> 'denied' ORDER BY seq DESC LIMIT 5";

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
	h_lit(&h, ".</p>");
	if (guide_link(q, &h) != 0) {
		respond_error(q, r, 500);
		return;
	}
	h_lit(&h, "<div class=\"home-grid\">");
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
			h_text(&h, audit_action_label(q, db_cell(&rows, i, 2), db_cell(&rows, i, 3)));
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
	overview_charts(q, &h);
	page_end(q, r, &h);
}

const struct route core_routes[] = {
	{ "GET", "/", root_page, 0, 0, 0, NULL, NULL },
	{ "GET", "/healthz", healthz, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "GET", "/static/{file}", static_file, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "GET", "/o/{org}", org_home, ROLES_ANY, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/", org_home, ROLES_ANY, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/kom-igang", guide_page, ROLES_REGISTER_ADMIN, 0, 0, NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
