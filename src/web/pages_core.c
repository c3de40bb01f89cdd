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
 * (struct guide_step) are made the same way.
 *
 * A page counts all its items of one unit in one statement (items_count):
 * the start page's dozens of lines were a statement each, a round trip
 * each on PostgreSQL.  The statement for a set of items is made the first
 * time a viewer needs that set and kept for the process (viewers with the
 * same roles need the same set; at most ITEM_SETS_MAX are kept, past that
 * a set is counted an item at a time). */
struct item_sql {
	const void *w;
	const char *raw;     /* the module's query */
	const char *sql;
};

static struct item_sql *item_sqls;
static size_t n_item_sqls;
static pthread_once_t item_sqls_once = PTHREAD_ONCE_INIT;

#define ITEM_BOUND_CTE \
	"WITH bound(org, person, today, lim, unit, soon) AS" \
	" (SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT)," \
	" CAST($3 AS TEXT), CAST($4 AS BIGINT), CAST($5 AS BIGINT)," \
	" CAST($6 AS TEXT))"

static void add_item_sql(const void *w, const char *sql)
{
	struct item_sql *x = &item_sqls[n_item_sqls++];
	struct buf b = BUF_INIT;

	buf_printf(&b, ITEM_BOUND_CTE " SELECT count(*) FROM (%s) item", sql);
	x->w = w;
	x->raw = sql;
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

static size_t item_index(const void *w)
{
	pthread_once(&item_sqls_once, make_item_sqls);
	for (size_t i = 0; i < n_item_sqls; i++)
		if (item_sqls[i].w == w)
			return i;
	BUG("start page item is no module's");
}

/* The statements of sets of items: key "3,4,17," (their indices). */
#define ITEM_SETS_MAX 256
struct item_set {
	char *key;
	const char *sql;
	struct item_set *next;
};
static struct item_set *item_sets;
static size_t n_item_sets;
static pthread_mutex_t item_sets_lock = PTHREAD_MUTEX_INITIALIZER;

/* The one statement that counts the items ws[0..n), a column each, or
 * NULL when ITEM_SETS_MAX sets are kept already. */
static const char *item_set_sql(const void *const *ws, size_t n)
{
	struct buf key = BUF_INIT, sql = BUF_INIT;
	struct item_set *s;
	const char *found = NULL;

	for (size_t i = 0; i < n; i++)
		buf_printf(&key, "%zu,", item_index(ws[i]));
	pthread_mutex_lock(&item_sets_lock);
	for (s = item_sets; s && !found; s = s->next)
		if (strcmp(s->key, key.p) == 0)
			found = s->sql;
	if (!found && n_item_sets < ITEM_SETS_MAX) {
		buf_puts(&sql, ITEM_BOUND_CTE " SELECT ");
		for (size_t i = 0; i < n; i++)
			buf_printf(&sql, "%s(SELECT count(*) FROM (%s) item)", i ? ", " : "",
				   item_sqls[item_index(ws[i])].raw);
		s = xcalloc(1, sizeof(*s));
		s->key = buf_detach(&key, NULL);
		s->sql = found = buf_detach(&sql, NULL);
		s->next = item_sets;
		item_sets = s;
		n_item_sets++;
	}
	pthread_mutex_unlock(&item_sets_lock);
	buf_release(&key);
	return found;
}

/* $6 of an item's query: the day WAIT_SOON_DAYS from today. */
static const char *soon_date(struct ctx *cx)
{
	char *s = clock_format_local(cx->a, cx->now + (int64_t)WAIT_SOON_DAYS * 86400);

	s[10] = '\0';
	return s;
}

/* The numbers of rows of the queries of items ws[0..n) for one unit (0:
 * none), each at most WAIT_LIMIT + 1 (more than WAIT_LIMIT: "fler än
 * 99"), in one statement: 0, or -1 on a database error (logged). */
static int items_count(struct req *q, const void *const *ws, size_t n, int64_t unit,
		       int64_t *counts)
{
	const char *set = n > 1 ? item_set_sql(ws, n) : NULL;
	const char *today = ctx_today(&q->cx), *soon = soon_date(&q->cx);
	struct db_rows rows;
	struct db_error err;

	for (size_t i = 0; i < n; i++) {
		const char *sql = set ? set : item_sqls[item_index(ws[i])].sql;
		if (db_exec(q->cx.db, q->cx.a, sql,
			    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(q->cx.org->person_id),
				    DB_TEXT(today), DB_INT(WAIT_LIMIT + 1), DB_INT(unit),
				    DB_TEXT(soon)),
			    &rows, &err) != 0) {
			log_error("start page item: %s", err.msg);
			return -1;
		}
		if (set) {
			for (size_t k = 0; k < n; k++)
				counts[k] = rows.nrows == 1 && k < rows.ncols ?
					db_cell_i64(&rows, 0, k) : 0;
			return 0;
		}
		counts[i] = rows.nrows == 1 ? db_cell_i64(&rows, 0, 0) : 0;
	}
	return 0;
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

/* The lines a page shows, in order: found first, then counted together
 * (a statement per unit, not per line), then written. */
struct line {
	const struct waiting_item *w;
	int64_t unit;
	const char *url;
	int64_t n;
};
struct lines {
	struct line *v;
	size_t n, cap;
};

/* A line, unless the viewer may not open its link. */
static void add_line(struct req *q, struct lines *l, const struct waiting_item *w, int64_t unit)
{
	const char *url = item_path(q, w->path, unit);

	if (!may_open(q, url))
		return;
	if (l->n == l->cap) {
		struct line *v;
		l->cap = l->cap ? 2 * l->cap : 32;
		v = arena_alloc(q->cx.a, l->cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
	}
	l->v[l->n++] = (struct line){ w, unit, url, 0 };
}

/* Every line's number: one statement for the lines of each unit (0 for
 * those of the person and the organisation).  0, or -1. */
static int count_lines(struct req *q, struct lines *l)
{
	const void **ws = arena_alloc(q->cx.a, (l->n + 1) * sizeof(*ws));
	int64_t *counts = arena_alloc(q->cx.a, (l->n + 1) * sizeof(*counts));
	size_t *at = arena_alloc(q->cx.a, (l->n + 1) * sizeof(*at));
	unsigned char *done = arena_alloc(q->cx.a, l->n + 1);

	memset(done, 0, l->n + 1);
	for (size_t i = 0; i < l->n; i++) {
		size_t k = 0;
		if (done[i])
			continue;
		for (size_t j = i; j < l->n; j++)
			if (!done[j] && l->v[j].unit == l->v[i].unit) {
				done[j] = 1;
				at[k] = j;
				ws[k++] = l->v[j].w;
			}
		if (items_count(q, ws, k, l->v[i].unit, counts) != 0)
			return -1;
		for (size_t j = 0; j < k; j++)
			l->v[at[j]].n = counts[j];
	}
	return 0;
}

/* A unit's name for its lines (the caller reads it once per unit): NULL
 * on a database error. */
static const char *unit_name(struct req *q, int64_t unit)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, sql_unit_name,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(unit)), &rows, &err) != 0)
		return NULL;
	return rows.nrows ? db_cell(&rows, 0, 0) : "";
}

/* The WAIT_UNIT lines of w: one for each unit where the person holds one
 * of the line's roles for that unit only (the context repeats a unit's
 * role for each unit below it), each unit once, at most WAIT_UNITS_MAX. */
static void unit_lines(struct req *q, struct lines *l, const struct waiting_item *w)
{
	const struct org_ctx *o = q->cx.org;
	int64_t seen[WAIT_UNITS_MAX];
	size_t nseen = 0;

	for (size_t i = 0; i < o->n_unit_roles && nseen < WAIT_UNITS_MAX; i++) {
		int64_t u = o->unit_roles[i].unit_id;
		size_t k;
		if (!(RB(o->unit_roles[i].role) & w->roles))
			continue;
		for (k = 0; k < nseen && seen[k] != u; k++)
			;
		if (k < nseen)
			continue;
		seen[nseen++] = u;
		add_line(q, l, w, u);
	}
}

/* What waits for this person: the foundation's own lines, then each
 * module's, each a bounded query (module.h).  A line whose query fails
 * fails the page: a start page that silently drops work is worse than an
 * error. */
static int waiting_list(struct req *q, struct html *h)
{
	struct lines l = { 0 };
	int any = 0;
	const char **names;

	for (size_t m = 0; modules[m]; m++) {
		for (const struct waiting_item *w = modules[m]->waiting; w && w->msg; w++) {
			if (w->scope == WAIT_UNIT) {
				/* only roles held for a unit; organisation-wide
				 * holders have the organisation's lines */
				if ((w->roles & q->cx.org->org_roles) || !q->cx.org->person_id)
					continue;
				unit_lines(q, &l, w);
			} else if (asked(q, w)) {
				add_line(q, &l, w, 0);
			}
		}
	}
	if (count_lines(q, &l) != 0)
		return -1;
	names = arena_alloc(q->cx.a, (l.n + 1) * sizeof(*names));
	for (size_t i = 0; i < l.n; i++) {
		names[i] = NULL;
		if (!l.v[i].unit || l.v[i].n <= 0)
			continue;
		for (size_t j = 0; j < i && !names[i]; j++)
			if (l.v[j].unit == l.v[i].unit)
				names[i] = names[j];
		if (!names[i] && !(names[i] = unit_name(q, l.v[i].unit)))
			return -1;
	}

	h_lit(h, "<section aria-labelledby=\"waiting\"><h2 id=\"waiting\">");
	h_msg(h, M_WAITING_FOR_YOU);
	h_lit(h, "</h2><ul class=\"waiting\">");
	if (q->sess && !q->sess->totp_enabled && (q->cx.org->totp_roles & q->cx.org->roles)) {
		h_lit(h, "<li><a href=\"/konto\">");
		h_msg(h, M_WAIT_ENABLE_TOTP);
		h_lit(h, "</a></li>");
		any = 1;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct line *x = &l.v[i];
		int more = x->n > WAIT_LIMIT;
		int64_t n = more ? WAIT_LIMIT : x->n;
		if (n <= 0)
			continue;
		h_lit(h, "<li><a");
		h_attr(h, "href", x->url);
		h_lit(h, ">");
		count_text(h, n == 1 && !more && x->w->msg_one ? x->w->msg_one : x->w->msg,
			   n, more, names[i]);
		h_lit(h, "</a></li>");
		any = 1;
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
 * same way ("fler än 99"), counted in one statement. */
static int overview(struct req *q, struct html *h)
{
	struct lines l = { 0 };

	for (size_t m = 0; modules[m]; m++)
		for (const struct waiting_item *w = modules[m]->overview; w && w->msg; w++)
			if (holds(q, w))
				add_line(q, &l, w, 0);
	if (count_lines(q, &l) != 0)
		return -1;
	if (!l.n)
		return 0;
	h_lit(h, "<section aria-labelledby=\"register\"><h2 id=\"register\">");
	h_msg(h, M_REGISTER_OVERVIEW);
	h_lit(h, "</h2><ul class=\"stats\">");
	for (size_t i = 0; i < l.n; i++) {
		int more = l.v[i].n > WAIT_LIMIT;
		h_lit(h, "<li><a");
		h_attr(h, "href", l.v[i].url);
		h_lit(h, "><span class=\"num\">");
		if (more)
			h_msg_n(h, M_MORE_THAN, WAIT_LIMIT);
		else
			h_int(h, l.v[i].n);
		h_lit(h, "</span> ");
		h_msg(h, l.v[i].w->msg);
		h_lit(h, "</a></li>");
	}
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

#define GUIDE_MAX 16

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
	const void *ws[GUIDE_MAX] = { 0 };
	int64_t counts[GUIDE_MAX] = { 0 };

	*ndone = 0;
	for (size_t m = 0; modules[m]; m++)
		for (const struct guide_step *g = modules[m]->guide; g && g->label && n < max; g++)
			ws[n++] = g;
	if (items_count(q, ws, (size_t)n, 0, counts) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		struct guide_state *s = &st[i];
		const struct guide_step *g = ws[i];
		s->step = g;
		s->more = counts[i] > WAIT_LIMIT;
		s->n = s->more ? WAIT_LIMIT : counts[i];
		s->done = g->done_when_none ? all_before && s->n == 0 : s->n > 0;
		all_before &= s->done;
		*ndone += s->done;
	}
	return n;
}

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
