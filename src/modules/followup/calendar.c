/* calendar.c - every module's review days read together (core/module.h
 * struct review_source): the follow-up calendar of a month
 * (/o/{org}/follow-up, R-15-01) and the one list of everything overdue
 * (/o/{org}/follow-up/overdue, R-15-19), everyone's or one person's.
 *
 * Costs: one query per source the viewer may see, each LIMITed and
 * answered by its module's index; the rows are merged here by day.  The
 * overdue list's counts are bounded (overview_count: "fler än 999"); the
 * owners' names are read 32 at a time (entity_titles).  So a page costs
 * the same whatever the size of the registers. */
#include "base/base.h"

#include "base/buf.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/followup/followup.h"
#include "modules/org/org.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

/* A month shows at most this many; the overdue list this many a page. */
#define MONTH_ROWS 300
#define OVERDUE_ROWS 200

int review_source_visible(struct ctx *cx, const struct review_source *src)
{
	const struct entity *e = src->entity;

	if (!cx->org)
		return 0;
	if (!cx->user_id)
		return 1;
	if (!e)
		return (cx->org->roles & src->roles) != 0;
	/* a register read record by record is in the calendar only for
	 * those who read all of it */
	if (e->read_scoped)
		return ctx_has_role(cx, e->roles_all ? e->roles_all : e->roles_read);
	return (cx->org->roles & e->roles_read) != 0;
}

static int item_cmp(const void *a, const void *b)
{
	const struct review_item *x = a, *y = b;
	int c = strcmp(x->due, y->due);

	if (c)
		return c;
	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int review_collect(struct ctx *cx, const char *from, const char *to, int64_t person,
		   const char *only, int limit, struct review_item **out, size_t *n, int *more,
		   struct db_error *err)
{
	struct review_item *v = NULL;
	size_t nv = 0, cap = 0;

	*more = 0;
	for (size_t m = 0; modules[m]; m++) {
		const struct review_source *s = modules[m]->reviews;
		if (!s || (only && strcmp(only, modules[m]->name) != 0))
			continue;
		for (; s->label; s++) {
			struct db_rows r;
			if (!review_source_visible(cx, s))
				continue;
			if (db_exec(cx->db, cx->a, s->sql,
				    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(from), DB_TEXT(to),
					    DB_INT(limit + 1), DB_INT(person)), &r, err) != 0)
				return -1;
			if (r.nrows > (size_t)limit)
				*more = 1;
			if (nv + r.nrows > cap) {
				size_t nc = (nv + r.nrows) * 2;
				struct review_item *w = arena_alloc(cx->a, nc * sizeof(*w));
				if (nv)
					memcpy(w, v, nv * sizeof(*w));
				v = w;
				cap = nc;
			}
			for (size_t i = 0; i < r.nrows && i < (size_t)limit; i++) {
				v[nv].src = s;
				v[nv].id = db_cell_i64(&r, i, 0);
				v[nv].title = db_cell(&r, i, 1) ? db_cell(&r, i, 1) : "";
				v[nv].due = db_cell(&r, i, 2) ? db_cell(&r, i, 2) : "";
				v[nv].owner = db_cell(&r, i, 3) ? db_cell_i64(&r, i, 3) : 0;
				nv++;
			}
		}
	}
	if (nv)
		qsort(v, nv, sizeof(*v), item_cmp);
	if (nv > (size_t)limit) {
		nv = (size_t)limit;
		*more = 1;
	}
	*out = v;
	*n = nv;
	return 0;
}

int review_count(struct ctx *cx, const struct review_source *src, const char *from,
		 const char *to, int64_t person, struct overview_figure *f,
		 struct db_error *err)
{
	/* the source's own query with its limit ($4) as the bound: at most
	 * OVERVIEW_COUNT_MAX + 1 index entries, never formatted SQL */
	struct db_rows r;

	if (db_exec(cx->db, cx->a, src->sql,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(from), DB_TEXT(to),
			    DB_INT(OVERVIEW_COUNT_MAX + 1), DB_INT(person)), &r, err) != 0)
		return -1;
	f->n = (int64_t)r.nrows;
	f->more = f->n > OVERVIEW_COUNT_MAX;
	if (f->more)
		f->n = OVERVIEW_COUNT_MAX;
	return 0;
}

/* ---- shared by the pages ---- */

static const int month_names[12] = {
	M_FU_MONTH_1, M_FU_MONTH_2, M_FU_MONTH_3, M_FU_MONTH_4, M_FU_MONTH_5, M_FU_MONTH_6,
	M_FU_MONTH_7, M_FU_MONTH_8, M_FU_MONTH_9, M_FU_MONTH_10, M_FU_MONTH_11, M_FU_MONTH_12,
};
static const int day_names[7] = {
	M_FU_DAY_1, M_FU_DAY_2, M_FU_DAY_3, M_FU_DAY_4, M_FU_DAY_5, M_FU_DAY_6, M_FU_DAY_7,
};

/* Day of the week, Monday 0 .. Sunday 6. */
static int weekday(int y, int m, int d)
{
	static const int t[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	int yy = m < 3 ? y - 1 : y;
	int w = (yy + yy / 4 - yy / 100 + yy / 400 + t[m - 1] + d) % 7; /* 0 Sunday */

	return (w + 6) % 7;
}

static int day_of_year(int y, int m, int d)
{
	int n = d;

	for (int i = 1; i < m; i++)
		n += clock_days_in_month(y, i);
	return n;
}

/* The ISO 8601 week number. */
static int iso_week(int y, int m, int d)
{
	int wd = weekday(y, m, d) + 1; /* 1 Monday */
	int w = (day_of_year(y, m, d) - wd + 10) / 7;

	if (w < 1) {
		int py = y - 1;
		return iso_week(py, 12, 31);
	}
	if (w == 53 && weekday(y, 12, 31) < 3)
		return 1;
	return w;
}

/* ?owner=: "me" is the viewer's person (-1 without one: nobody's), a
 * number that person, else 0 (everyone's). */
static int64_t owner_param(struct req *q)
{
	const char *o = req_param(q, "owner");
	int64_t id = 0;

	if (!o || !*o)
		return 0;
	if (strcmp(o, "me") == 0)
		return q->cx.org->person_id ? q->cx.org->person_id : -1;
	return parse_i64(o, &id) == 0 && id > 0 ? id : 0;
}

/* The owners' names: the distinct owners (a month has few), 32 at a
 * time, so the queries are bounded by the people, never by the rows. */
static int owner_names(struct ctx *cx, const struct review_item *v, size_t n, const char ***out,
		       struct db_error *err)
{
	const char **names = arena_alloc(cx->a, (n + 1) * sizeof(*names));
	int64_t *ids = arena_alloc(cx->a, (n + 1) * sizeof(*ids));
	const char **got = arena_alloc(cx->a, (n + 1) * sizeof(*got));
	size_t nd = 0;

	for (size_t i = 0; i < n; i++) {
		size_t j;
		if (!v[i].owner)
			continue;
		for (j = 0; j < nd && ids[j] != v[i].owner; j++)
			;
		if (j == nd)
			ids[nd++] = v[i].owner;
	}
	for (size_t i = 0; i < nd; i += ENTITY_TITLES_MAX) {
		size_t k = nd - i < ENTITY_TITLES_MAX ? nd - i : ENTITY_TITLES_MAX;
		if (entity_titles(cx, &org_people, ids + i, k, got + i, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		names[i] = NULL;
		for (size_t j = 0; v[i].owner && j < nd; j++)
			if (ids[j] == v[i].owner) {
				names[i] = got[j];
				break;
			}
	}
	*out = names;
	return 0;
}

static const char *item_path(struct ctx *cx, const struct review_item *it)
{
	const char *p = strstr(it->src->path, "{id}");

	if (!p)
		return arena_printf(cx->a, "/o/%s%s", cx->org->slug, it->src->path);
	return arena_printf(cx->a, "/o/%s%.*s%lld%s", cx->org->slug, (int)(p - it->src->path),
			    it->src->path, (long long)it->id, p + 4);
}

static void item_line(struct req *q, struct html *h, const struct review_item *it,
		      const char *owner, int late)
{
	struct ctx *cx = &q->cx;

	h_lit(h, "<a");
	h_attr(h, "href", item_path(cx, it));
	h_lit(h, ">");
	h_text(h, it->title);
	h_lit(h, "</a> <span class=\"fu-kind\">");
	h_msg(h, it->src->label);
	h_lit(h, "</span>");
	if (owner) {
		h_lit(h, " \xe2\x80\x93 ");
		h_text(h, owner);
	}
	if (late) {
		h_lit(h, " <span class=\"overdue\">(");
		h_msg(h, M_FU_LATE);
		h_lit(h, ")</span>");
	}
}

/* "Alla" and "Mina": on the month (month "YYYY-MM") or the overdue list
 * (month NULL).  Only values go through part_link's arguments (which it
 * escapes); the address's own "/", "?" and "&" are in its format. */
static void owner_filter(struct req *q, struct html *h, const char *month, int64_t person)
{
	struct ctx *cx = &q->cx;
	const char *org = cx->org->slug;

	h_lit(h, "<nav class=\"fu-nav\"");
	h_attr(h, "aria-label", msg_text(cx->lang, M_FU_FILTER));
	h_lit(h, "><ul><li>");
	if (person) {
		const char *t = msg_text(cx->lang, M_FU_EVERYONE);
		if (month)
			part_link(h, t, "/o/%s/follow-up?month=%s", org, month);
		else
			part_link(h, t, "/o/%s/follow-up/overdue", org);
	} else {
		h_lit(h, "<strong aria-current=\"page\">");
		h_msg(h, M_FU_EVERYONE);
		h_lit(h, "</strong>");
	}
	h_lit(h, "</li><li>");
	if (person && person == cx->org->person_id) {
		h_lit(h, "<strong aria-current=\"page\">");
		h_msg(h, M_FU_MINE);
		h_lit(h, "</strong>");
	} else {
		const char *t = msg_text(cx->lang, M_FU_MINE);
		if (month)
			part_link(h, t, "/o/%s/follow-up?month=%s&owner=me", org, month);
		else
			part_link(h, t, "/o/%s/follow-up/overdue?owner=me", org);
	}
	h_lit(h, "</li></ul></nav>");
}

/* ?owner= as the page was asked: "me", a person's id, or NULL (everyone). */
static const char *owner_value(struct ctx *cx, int64_t person)
{
	return person == 0 ? NULL : person == cx->org->person_id ? "me" :
		arena_printf(cx->a, "%lld", (long long)person);
}

/* ---- the month ---- */

static void calendar_page(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *mp = req_param(q, "month"), *today = ctx_today(cx);
	int64_t person = owner_param(q);
	int y, m, py, pm, ny, nm, more, last_week = -1;
	const char *from, *to, *own;
	struct review_item *v;
	const char **names;
	const char *last_day = NULL;
	struct db_error err;
	struct html h;
	size_t n;

	if (!mp || sscanf(mp, "%4d-%2d", &y, &m) != 2 || y < 2000 || y > 2100 || m < 1 || m > 12)
		if (sscanf(today, "%4d-%2d", &y, &m) != 2)
			y = 2026, m = 1;
	py = m == 1 ? y - 1 : y;
	pm = m == 1 ? 12 : m - 1;
	ny = m == 12 ? y + 1 : y;
	nm = m == 12 ? 1 : m + 1;
	from = arena_printf(cx->a, "%04d-%02d-01", y, m);
	to = arena_printf(cx->a, "%04d-%02d-01", ny, nm);
	if (review_collect(cx, from, to, person, NULL, MONTH_ROWS, &v, &n, &more, &err) != 0 ||
	    owner_names(cx, v, n, &names, &err) != 0) {
		req_fail(q, "the follow-up calendar", &err);
		return;
	}
	own = owner_value(cx, person);
	page_begin_text(q, resp, &h, arena_printf(cx->a, "%s: %s %d",
						   msg_text(cx->lang, M_FU_CALENDAR),
						   msg_text(cx->lang, month_names[m - 1]), y));
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, person ? M_FU_CALENDAR_INTRO_MINE : M_FU_CALENDAR_INTRO);
	h_lit(&h, "</p>");
	h_lit(&h, "<nav class=\"fu-nav\"");
	h_attr(&h, "aria-label", msg_text(cx->lang, M_FU_MONTHS));
	h_lit(&h, "><ul><li>");
	{
		const char *prev = arena_printf(cx->a, "\xe2\x86\x90 %s %d",
						msg_text(cx->lang, month_names[pm - 1]), py);
		const char *next = arena_printf(cx->a, "%s %d \xe2\x86\x92",
						msg_text(cx->lang, month_names[nm - 1]), ny);
		const char *pmon = arena_printf(cx->a, "%04d-%02d", py, pm);
		const char *nmon = arena_printf(cx->a, "%04d-%02d", ny, nm);
		const char *org = cx->org->slug;

		if (own)
			part_link(&h, prev, "/o/%s/follow-up?month=%s&owner=%s", org, pmon, own);
		else
			part_link(&h, prev, "/o/%s/follow-up?month=%s", org, pmon);
		h_lit(&h, "</li><li>");
		if (own)
			part_link(&h, msg_text(cx->lang, M_FU_THIS_MONTH), "/o/%s/follow-up?owner=%s",
				  org, own);
		else
			part_link(&h, msg_text(cx->lang, M_FU_THIS_MONTH), "/o/%s/follow-up", org);
		h_lit(&h, "</li><li>");
		if (own)
			part_link(&h, next, "/o/%s/follow-up?month=%s&owner=%s", org, nmon, own);
		else
			part_link(&h, next, "/o/%s/follow-up?month=%s", org, nmon);
		h_lit(&h, "</li><li>");
		if (own)
			part_link(&h, msg_text(cx->lang, M_FU_OVERDUE),
				  "/o/%s/follow-up/overdue?owner=%s", org, own);
		else
			part_link(&h, msg_text(cx->lang, M_FU_OVERDUE), "/o/%s/follow-up/overdue", org);
	}
	h_lit(&h, "</li></ul></nav>");
	owner_filter(q, &h, arena_printf(cx->a, "%04d-%02d", y, m), person);
	if (!n)
		part_empty(&h, M_FU_MONTH_EMPTY);
	for (size_t i = 0; i < n; i++) {
		int dy, dm, dd, wk;
		if (sscanf(v[i].due, "%4d-%2d-%2d", &dy, &dm, &dd) != 3)
			continue;
		wk = iso_week(dy, dm, dd);
		if (!last_day || strcmp(last_day, v[i].due) != 0) {
			if (last_day)
				h_lit(&h, "</ul></section>");
			if (wk != last_week) {
				h_lit(&h, "<h2 class=\"fu-week\">");
				h_text(&h, msg_fill(cx->a, msg_text(cx->lang, M_FU_WEEK), "{n}",
						    arena_printf(cx->a, "%d", wk)));
				h_lit(&h, "</h2>");
				last_week = wk;
			}
			h_lit(&h, "<section class=\"fu-day\"><h3><time");
			h_attr(&h, "datetime", v[i].due);
			h_lit(&h, ">");
			h_text(&h, arena_printf(cx->a, "%s %d %s",
						msg_text(cx->lang, day_names[weekday(dy, dm, dd)]), dd,
						msg_text(cx->lang, month_names[dm - 1])));
			h_lit(&h, "</time>");
			if (strcmp(v[i].due, today) == 0) {
				h_lit(&h, " (");
				h_msg(&h, M_FU_TODAY);
				h_lit(&h, ")");
			}
			h_lit(&h, "</h3><ul>");
			last_day = v[i].due;
		}
		h_lit(&h, "<li>");
		item_line(q, &h, &v[i], names[i], strcmp(v[i].due, today) < 0);
		h_lit(&h, "</li>");
	}
	if (last_day)
		h_lit(&h, "</ul></section>");
	if (more) {
		h_lit(&h, "<p class=\"notice\">");
		h_text(&h, msg_fill(cx->a, msg_text(cx->lang, M_FU_MONTH_MORE), "{n}",
				    arena_printf(cx->a, "%d", MONTH_ROWS)));
		h_lit(&h, "</p>");
	}
	page_end(q, resp, &h);
}

/* ---- everything overdue (R-15-19) ---- */

static void overdue_page(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *today = ctx_today(cx), *only = req_param(q, "kind"), *only_what = NULL;
	int64_t person = owner_param(q);
	struct review_item *v;
	const char **names;
	struct db_error err;
	struct html h;
	size_t n;
	int more, any = 0;
	const char *own;

	/* ?kind= a module's name: only its sources (a module's figure links
	 * here, e.g. the risk analyses whose review day has passed) */
	if (only) {
		const struct module *om = NULL;
		for (size_t mi = 0; modules[mi] && !om; mi++)
			if (modules[mi]->reviews && strcmp(only, modules[mi]->name) == 0)
				om = modules[mi];
		if (!om) {
			only = NULL;
		} else if (strcmp(only, "followup") != 0) {
			struct buf b = BUF_INIT;
			for (const struct review_source *s = om->reviews; s->label; s++)
				buf_printf(&b, "%s%s", s == om->reviews ? "" : ", ",
					   msg_text(cx->lang, s->label));
			only_what = arena_strdup(cx->a, b.p ? b.p : "");
			buf_release(&b);
		}
	}
	if (review_collect(cx, REVIEW_DAWN, today, person, only, OVERDUE_ROWS, &v, &n, &more,
			   &err) != 0 ||
	    owner_names(cx, v, n, &names, &err) != 0) {
		req_fail(q, "the overdue list", &err);
		return;
	}
	own = owner_value(cx, person);
	page_begin(q, resp, &h, M_FU_OVERDUE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, person ? M_FU_OVERDUE_INTRO_MINE : M_FU_OVERDUE_INTRO);
	if (only) {
		h_lit(&h, " ");
		if (only_what)
			h_text(&h, msg_fill(cx->a, msg_text(cx->lang, M_FU_OVERDUE_ONLY), "{what}",
					    only_what));
		else
			h_msg(&h, M_FU_OVERDUE_ONLY_FOLLOWUP);
	}
	h_lit(&h, "</p><p>");
	if (own)
		part_link(&h, msg_text(cx->lang, M_FU_CALENDAR), "/o/%s/follow-up?owner=%s",
			  cx->org->slug, own);
	else
		part_link(&h, msg_text(cx->lang, M_FU_CALENDAR), "/o/%s/follow-up", cx->org->slug);
	h_lit(&h, "</p>");
	owner_filter(q, &h, NULL, person);
	/* how many of each kind, bounded */
	h_lit(&h, "<h2 id=\"fu-by-kind\">");
	h_msg(&h, M_FU_OVERDUE_BY_KIND);
	h_lit(&h, "</h2>");
	part_table_begin(&h, M_FU_OVERDUE_BY_KIND, "fu-by-kind");
	part_th(&h, M_FU_WHAT);
	part_th(&h, M_FU_COUNT);
	part_table_body(&h);
	for (size_t mi = 0; modules[mi]; mi++) {
		const struct review_source *s = modules[mi]->reviews;
		if (!s || (only && strcmp(only, modules[mi]->name) != 0))
			continue;
		for (; s->label; s++) {
			struct overview_figure f = { 0 };
			if (!review_source_visible(cx, s))
				continue;
			if (review_count(cx, s, REVIEW_DAWN, today, person, &f, &err) != 0) {
				req_fail(q, "the overdue counts", &err);
				return;
			}
			part_tr(&h);
			part_th_row_begin(&h);
			h_msg(&h, s->label);
			part_th_row_end(&h);
			part_td(&h, f.more ? msg_fill(cx->a, msg_text(cx->lang, M_MORE_THAN), "{n}",
						      arena_printf(cx->a, "%d", OVERVIEW_COUNT_MAX)) :
				    arena_printf(cx->a, "%lld", (long long)f.n));
			part_tr_end(&h);
			any = 1;
		}
	}
	part_table_end(&h);
	(void)any;
	h_lit(&h, "<h2 id=\"fu-late\">");
	h_msg(&h, M_FU_OVERDUE_LIST);
	h_lit(&h, "</h2>");
	if (!n) {
		part_empty(&h, M_FU_OVERDUE_NONE);
	} else {
		part_table_begin(&h, M_FU_OVERDUE_LIST, "fu-late");
		part_th(&h, M_FU_DUE);
		part_th(&h, M_FU_WHAT);
		part_th(&h, M_FU_F_TITLE);
		part_th(&h, M_FU_OWNER);
		part_table_body(&h);
		for (size_t i = 0; i < n; i++) {
			part_tr(&h);
			part_td_begin(&h);
			h_lit(&h, "<span class=\"overdue\">");
			h_text(&h, v[i].due);
			h_lit(&h, "</span>");
			part_td_end(&h);
			part_td_msg(&h, v[i].src->label);
			part_th_row_begin(&h);
			h_lit(&h, "<a");
			h_attr(&h, "href", item_path(cx, &v[i]));
			h_lit(&h, ">");
			h_text(&h, v[i].title);
			h_lit(&h, "</a>");
			part_th_row_end(&h);
			part_td(&h, names[i]);
			part_tr_end(&h);
		}
		part_table_end(&h);
		if (more) {
			h_lit(&h, "<p class=\"notice\">");
			h_text(&h, msg_fill(cx->a, msg_text(cx->lang, M_FU_OVERDUE_MORE), "{n}",
					    arena_printf(cx->a, "%d", OVERDUE_ROWS)));
			h_lit(&h, "</p>");
		}
	}
	page_end(q, resp, &h);
}

static const struct param calendar_params[] = {
	{ "month", P_STR, 7 },
	{ "owner", P_STR, 20 },
	{ NULL, 0, 0 },
};
static const struct param overdue_params[] = {
	{ "owner", P_STR, 20 },
	{ "kind", P_STR, 16 },
	{ NULL, 0, 0 },
};

const struct route followup_calendar_routes[] = {
	{ "GET", "/o/{org}/follow-up", calendar_page, ROLES_ANY, 0, 0, calendar_params, NULL },
	{ "GET", "/o/{org}/follow-up/overdue", overdue_page, ROLES_ANY, 0, 0, overdue_params,
	  NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
