/* follow_up.c - a plan's page (its decision, progress, timeline, ranked
 * activities and deviations), an activity's gaps and what came of it, and
 * the lists behind the start page's lines (R-7-10, R-7-11).
 *
 * Costs: a plan's page reads its own rows (one grouped count, at most
 * PLAN_ROWS activities, the newest DEVIATION_ROWS deviations), by the
 * indexes on plan; the lists are keyset-paged on (date, id) with LIMIT. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/measures/measures.h"
#include "modules/org/org.h"
#include "web/chart_svg.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define PLAN_ROWS 200       /* activities shown on a plan's page */
#define DEVIATION_ROWS 50
#define LIST_PAGE 30        /* <= ENTITY_TITLES_MAX: names in one query */

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static const char sql_progress[] =
	"SELECT a.status, count(*), coalesce(sum(CASE WHEN a.end_on < $3 AND " ACT_OPEN_SQL
	" THEN 1 ELSE 0 END), 0)"
	" FROM activity a WHERE a.org_id = $1 AND a.plan_id = $2 AND a.archived = 0"
	" GROUP BY a.status";

int plan_progress(struct ctx *cx, int64_t plan_id, struct plan_progress *p, struct db_error *err)
{
	struct db_rows r;

	memset(p, 0, sizeof(*p));
	if (db_exec(cx->db, cx->a, sql_progress,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(plan_id), DB_TEXT(ctx_today(cx))), &r,
		    err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *st = db_cell(&r, i, 0);
		int64_t n = db_cell_i64(&r, i, 1);
		p->overdue += db_cell_i64(&r, i, 2);
		if (is(st, ACT_DONE))
			p->done += n;
		else if (is(st, ACT_ONGOING))
			p->ongoing += n;
		else if (is(st, ACT_PLANNED))
			p->planned += n;
		else if (is(st, ACT_CANCELLED))
			p->cancelled += n;
		else if (is(st, ACT_CARRIED))
			p->carried += n;
	}
	p->total = p->done + p->ongoing + p->planned + p->cancelled;
	return 0;
}

/* ---- the plan's page ---- */

void plan_show_summary(struct req *q, const struct entity *e, const struct record *rec,
		       struct html *h)
{
	const char *st = rec->v[PF_STATE];
	const char *slug = q->cx.org->slug;
	long long id = (long long)rec->id;

	h_lit(h, "<p>");
	h_msg(h, M_AP_F_PLAN_STATE);
	h_lit(h, ": ");
	part_badge(h, is(st, PLAN_DECIDED) ? M_AP_PLAN_DECIDED : is(st, PLAN_SUBMITTED) ?
		   M_AP_PLAN_SUBMITTED : is(st, PLAN_CLOSED) ? M_AP_PLAN_CLOSED : M_AP_PLAN_DRAFT,
		   is(st, PLAN_DECIDED) ? "ok" : NULL);
	h_lit(h, "</p>");
	if (is(st, PLAN_SUBMITTED)) {
		h_lit(h, "<p class=\"notice\" role=\"note\">");
		h_msg(h, M_AP_AWAITS_DECISION);
		h_lit(h, "</p>");
	}
	if (is(st, PLAN_DECIDED) || is(st, PLAN_CLOSED)) {
		part_card_begin(h, "ap-decision", M_AP_DECISION_HEADING);
		part_dl_begin(h);
		part_dl_item(h, M_AP_F_DECIDED_BY, rec->v[PF_DECIDED_BY]);
		part_dl_item(h, M_AP_F_DECIDED_ON, rec->v[PF_DECIDED_ON]);
		part_dl_item(h, M_AP_F_DECISION, rec->v[PF_DECISION]);
		part_dl_item(h, M_AP_F_MINUTES, rec->v[PF_MINUTES]);
		part_dl_item(h, M_AP_F_DECIDED_VERSION, rec->v[PF_DECIDED_VERSION]);
		if (rec->v[PF_CARRIED_TO]) {
			part_dl_item_begin(h, M_AP_F_CARRIED_TO);
			part_value(h, e, rec, PF_CARRIED_TO);
			part_dl_item_end(h);
		}
		part_dl_end(h);
		h_lit(h, "<p>");
		h_msg(h, M_AP_FROZEN_NOTE);
		h_lit(h, "</p>");
		part_section_end(h);
	}
	h_lit(h, "<p class=\"toolbar\">");
	part_button_link(h, M_AP_DOC_PDF, 0, "/o/%s/documents/action-plan.pdf?id=%lld", slug, id);
	part_button_link(h, M_AP_DOC_PRINT, 0, "/o/%s/documents/action-plan?id=%lld", slug, id);
	part_button_link(h, M_AP_XLSX, 0, "/o/%s/activities.xlsx?plan_id=%lld", slug, id);
	if (!rec->archived && !is(st, PLAN_CLOSED)) {
		part_button_link(h, M_AP_FROM_GAPS, 0, "/o/%s/actions/from-gaps?plan_id=%lld", slug,
				 id);
		if (entity_may_create(&q->cx, &ap_activities))
			part_button_link(h, M_AP_ACTIVITY_NEW, 0, "/o/%s/activities/new?plan_id=%lld",
					 slug, id);
	}
	h_lit(h, "</p>");
}

static void progress_section(struct req *q, const struct record *rec, struct html *h)
{
	struct plan_progress p;
	struct db_error err;
	const char *slug = q->cx.org->slug;

	if (plan_progress(&q->cx, rec->id, &p, &err) != 0) {
		req_fail(q, "the plan's progress", &err);
		return;
	}
	part_section_begin(h, "ap-progress", M_AP_PROGRESS);
	h_lit(h, "<p id=\"ap-progress-text\">");
	h_msg_n(h, M_AP_N_DONE, p.done);
	h_lit(h, " ");
	h_msg_n(h, M_AP_OF_TOTAL, p.total);
	h_lit(h, "</p>");
	if (p.total) {
		h_lit(h, "<progress max=\"");
		h_int(h, p.total);
		h_lit(h, "\" value=\"");
		h_int(h, p.done);
		h_lit(h, "\" aria-labelledby=\"ap-progress ap-progress-text\"></progress>");
	}
	h_lit(h, "<ul class=\"counts\"><li>");
	h_msg_n(h, M_AP_N_ONGOING, p.ongoing);
	h_lit(h, "</li><li>");
	h_msg_n(h, M_AP_N_PLANNED, p.planned);
	h_lit(h, "</li><li>");
	h_msg_n(h, M_AP_N_CANCELLED, p.cancelled);
	h_lit(h, "</li>");
	if (p.carried) {
		h_lit(h, "<li>");
		h_msg_n(h, M_AP_N_CARRIED, p.carried);
		h_lit(h, "</li>");
	}
	h_lit(h, "<li>");
	if (p.overdue) {
		h_lit(h, "<a class=\"overdue\"");
		h_href(h, "/o/%s/actions/activities?show=overdue&plan=%lld", slug,
		       (long long)rec->id);
		h_lit(h, ">");
		h_msg_n(h, M_AP_N_OVERDUE, p.overdue);
		h_lit(h, "</a>");
	} else {
		h_msg_n(h, M_AP_N_OVERDUE, 0);
	}
	h_lit(h, "</li></ul>");
	part_section_end(h);
}

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD" as Unix seconds at noon UTC (a day on a time axis), 0 if
 * it is not a date. */
static int64_t date_seconds(const char *s)
{
	int y, m, d;

	if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	return days_from_civil(y, m, d) * 86400 + 43200;
}

static const char sql_plan_rows[] =
	"SELECT a.id, a.title, a.priority, a.kind, a.responsible_id, a.start_on, a.end_on,"
	" a.status, a.carried_from"
	" FROM activity a WHERE a.org_id = $1 AND a.plan_id = $2 AND a.archived = 0"
	" ORDER BY a.priority, a.end_on, a.id LIMIT $3";

static const char *status_label(struct ctx *cx, const char *code)
{
	return entity_choice_label(cx, &ap_activities.fields[AC_STATUS], code);
}

static int overdue(const char *end, const char *status, const char *today)
{
	return end && strcmp(end, today) < 0 && (is(status, ACT_PLANNED) || is(status, ACT_ONGOING));
}

/* A title without the "Åtgärda: " every activity from a gap starts with
 * (stored in Swedish): the picture has little room for labels. */
static const char *short_title(const char *title)
{
	const char *remedy = msg_text(LANG_SV, M_AP_REMEDY);
	size_t n = strlen(remedy);

	if (title && strncmp(title, remedy, n) == 0 && title[n] == ':' && title[n + 1] == ' ')
		return title + n + 2;
	return title;
}

struct chart *plan_timeline(struct ctx *cx, const char *period_start, const char *period_end,
			    const struct db_rows *r)
{
	struct chart *c = chart_new(cx->a, CHART_TIMELINE, "ap-gantt");
	struct chart_item *it = arena_alloc(cx->a, (r->nrows + 1) * sizeof(*it));
	const char *today = ctx_today(cx);
	size_t n = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		const char *st = db_cell(r, i, 7);
		int64_t s = date_seconds(db_cell(r, i, 5)), e = date_seconds(db_cell(r, i, 6));
		int late = overdue(db_cell(r, i, 6), st, today);

		if (!s && !e)
			continue;
		if (!s)
			s = e;
		it[n].label = short_title(db_cell(r, i, 1));
		it[n].start = s;
		it[n].end = e;
		it[n].state = late ? arena_printf(cx->a, "%s, %s", status_label(cx, st),
						  msg_text(cx->lang, M_AP_LATE)) :
				     status_label(cx, st);
		it[n].colour = late ? chart_palette[3] : is(st, ACT_DONE) ? chart_palette[2] :
			       is(st, ACT_ONGOING) ? chart_palette[0] : chart_palette[1];
		it[n].pattern = late ? CHART_PAT_CROSS : is(st, ACT_DONE) ? CHART_PAT_SOLID :
				is(st, ACT_ONGOING) ? CHART_PAT_HATCH : CHART_PAT_DOTS;
		n++;
	}
	c->items = it;
	c->nitems = n;
	c->t0 = date_seconds(period_start);
	c->t1 = c->t0 ? date_seconds(period_end) : 0;
	/* an activity moved past the period still shows where it ends */
	for (size_t i = 0; c->t0 && i < n; i++)
		if (it[i].end > c->t1)
			c->t1 = it[i].end;
	c->title = msg_text(cx->lang, M_AP_TIMELINE);
	c->cat_title = msg_text(cx->lang, M_AP_ACTIVITY);
	c->empty = msg_text(cx->lang, M_AP_NO_DATES);
	c->alt = arena_printf(cx->a, "%s %zu.", msg_text(cx->lang, M_AP_TIMELINE_ALT), n);
	return c;
}

int plan_rows(struct ctx *cx, int64_t plan_id, int limit, struct db_rows *r,
	      struct db_error *err)
{
	return db_exec(cx->db, cx->a, sql_plan_rows,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(plan_id), DB_INT(limit)), r, err);
}

static void timeline(struct req *q, const struct record *rec, const struct db_rows *r,
		     struct html *h)
{
	struct chart *c = plan_timeline(&q->cx, rec->v[PF_START], rec->v[PF_END], r);

	part_section_begin(h, "ap-timeline", M_AP_TIMELINE);
	h_lit(h, "<div class=\"ap-timeline\">");
	h_chart(h, c);
	h_lit(h, "</div>");
	part_section_end(h);
}

static void activities_section(struct req *q, const struct record *rec, const struct db_rows *r,
			       struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *slug = cx->org->slug, *today = ctx_today(cx);
	int64_t *ids = arena_alloc(cx->a, (r->nrows + 1) * sizeof(*ids));
	const char **names = arena_alloc(cx->a, (r->nrows + 1) * sizeof(*names));
	size_t nrows = r->nrows;
	struct db_error err;

	part_section_begin_n(h, "ap-activities", M_AP_ACTIVITIES_RANKED, (int64_t)r->nrows);
	if (!r->nrows) {
		part_empty(h, M_AP_NO_ACTIVITIES);
		part_section_end(h);
		return;
	}
	part_table_begin(h, 0, "ap-activities");
	part_th(h, M_AP_F_PRIORITY);
	part_th(h, M_AP_F_ACTIVITY_TITLE);
	part_th(h, M_AP_F_RESPONSIBLE);
	part_th(h, M_AP_F_START);
	part_th(h, M_AP_F_END);
	part_th(h, M_AP_F_STATUS);
	part_table_body(h);
	/* the responsible people's names: the same few on every row, one
	 * statement (not one per ENTITY_TITLES_MAX rows) */
	for (size_t i = 0; i < nrows; i++)
		ids[i] = db_cell_i64(r, i, 4);
	if (entity_titles_all(cx, &org_people, ids, nrows, names, &err) != 0) {
		req_fail(q, "responsible people", &err);
		nrows = 0;
	}
	{
		for (size_t i = 0; i < nrows; i++) {
			const char *st = db_cell(r, i, 7), *end = db_cell(r, i, 6);
			part_tr(h);
			part_td(h, db_cell(r, i, 2));
			part_th_row_begin(h);
			h_lit(h, "<a");
			h_href(h, "/o/%s/activities/%s", slug, db_cell(r, i, 0));
			h_lit(h, ">");
			h_text(h, db_cell(r, i, 1));
			h_lit(h, "</a>");
			if (db_cell(r, i, 8)) {
				h_lit(h, " ");
				part_badge(h, M_AP_CARRIED_IN, NULL);
			}
			part_th_row_end(h);
			part_td(h, ids[i] ? names[i] : NULL);
			part_td(h, db_cell(r, i, 5));
			part_td_begin(h);
			if (overdue(end, st, today)) {
				h_lit(h, "<span class=\"overdue\">");
				h_text(h, end);
				h_lit(h, " (");
				h_msg(h, M_AP_LATE);
				h_lit(h, ")</span>");
			} else {
				h_text(h, end ? end : "\xe2\x80\x93");
			}
			part_td_end(h);
			part_td(h, status_label(cx, st));
			part_tr_end(h);
		}
	}
	part_table_end(h);
	if (r->nrows >= PLAN_ROWS)
		part_add_link(h, M_AP_ALL_ACTIVITIES, "/o/%s/activities?plan_id=%lld", slug,
			      (long long)rec->id);
	part_section_end(h);
}

static const char sql_deviations[] =
	"SELECT d.happened_on, d.activity_id, x.title, d.what, d.before_text, d.after_text,"
	" d.actor FROM plan_deviation d LEFT JOIN activity x ON x.id = d.activity_id"
	" WHERE d.org_id = $1 AND d.plan_id = $2 ORDER BY d.id DESC LIMIT $3";

static void deviations_section(struct req *q, const struct record *rec, struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;

	if (!is(rec->v[PF_STATE], PLAN_DECIDED) && !is(rec->v[PF_STATE], PLAN_CLOSED))
		return;
	if (db_exec(cx->db, cx->a, sql_deviations,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id), DB_INT(DEVIATION_ROWS)), &r,
		    &err) != 0) {
		req_fail(q, "the plan's deviations", &err);
		return;
	}
	part_section_begin_n(h, "ap-deviations", M_AP_DEVIATIONS, (int64_t)r.nrows);
	h_lit(h, "<p>");
	h_msg(h, M_AP_DEVIATIONS_INTRO);
	h_lit(h, "</p>");
	if (!r.nrows) {
		part_empty(h, M_AP_NO_DEVIATIONS);
		part_section_end(h);
		return;
	}
	part_table_begin(h, 0, "ap-deviations");
	part_th(h, M_AP_F_DV_ON);
	part_th(h, M_AP_ACTIVITY);
	part_th(h, M_AP_F_DV_WHAT);
	part_th(h, M_AP_F_DV_BEFORE);
	part_th(h, M_AP_F_DV_AFTER);
	part_th(h, M_AP_F_DV_ACTOR);
	part_table_body(h);
	for (size_t i = 0; i < r.nrows; i++) {
		part_tr(h);
		part_td(h, db_cell(&r, i, 0));
		part_th_row_begin(h);
		if (db_cell(&r, i, 1)) {
			h_lit(h, "<a");
			h_href(h, "/o/%s/activities/%s", cx->org->slug, db_cell(&r, i, 1));
			h_lit(h, ">");
			h_text(h, db_cell(&r, i, 2));
			h_lit(h, "</a>");
		}
		part_th_row_end(h);
		part_td(h, entity_choice_label(cx, &ap_deviations.fields[DV_WHAT], db_cell(&r, i, 3)));
		part_td(h, db_cell(&r, i, 4));
		part_td(h, db_cell(&r, i, 5));
		part_td(h, db_cell(&r, i, 6));
		part_tr_end(h);
	}
	part_table_end(h);
	if (r.nrows >= DEVIATION_ROWS)
		part_add_link(h, M_AP_ALL_DEVIATIONS, "/o/%s/plan-deviations?plan_id=%lld",
			      cx->org->slug, (long long)rec->id);
	part_section_end(h);
}

static const char sql_next_plans[] =
	"SELECT id, title FROM action_plan WHERE org_id = $1 AND archived = 0 AND id <> $2"
	" AND state IN ('draft', 'submitted') ORDER BY period_start DESC, id DESC LIMIT 20";

/* Closing the plan, its unfinished activities carried to the next one. */
static void close_section(struct req *q, const struct record *rec, struct html *h)
{
	struct ctx *cx = &q->cx;
	const struct entity_transition *t = entity_transition_by_name(&ap_plans, "close");
	struct part_choice *ch;
	struct db_rows r;
	struct db_error err;

	if (!t || !entity_transition_applies(&ap_plans, t, rec) ||
	    !entity_may_transition(cx, &ap_plans, t, rec))
		return;
	if (db_exec(cx->db, cx->a, sql_next_plans, DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id)),
		    &r, &err) != 0) {
		req_fail(q, "the next plans", &err);
		return;
	}
	ch = arena_alloc(cx->a, (r.nrows + 2) * sizeof(*ch));
	ch[0] = (struct part_choice){ "", msg_text(cx->lang, M_AP_CARRY_NONE), NULL };
	for (size_t i = 0; i < r.nrows; i++)
		ch[i + 1] = (struct part_choice){ db_cell(&r, i, 0), db_cell(&r, i, 1), NULL };
	ch[r.nrows + 1] = (struct part_choice){ NULL, NULL, NULL };
	part_section_begin(h, "ap-close", M_AP_CLOSE_HEADING);
	h_lit(h, "<p>");
	h_msg(h, M_AP_T_CLOSE_HELP);
	h_lit(h, "</p><form method=\"post\" class=\"record\" action=\"");
	h_url(h, "/o/%s/action-plans/%lld/close", cx->org->slug, (long long)rec->id);
	h_lit(h, "\">");
	h_csrf(h);
	part_hidden(h, "version", arena_printf(cx->a, "%lld", (long long)rec->version));
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "carry_to",
					    .label = M_AP_F_CARRY_TO, .help = M_AP_H_CARRY_TO_SELECT,
					    .choices = ch });
	h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(h, M_AP_T_CLOSE);
	h_lit(h, "</button></div></form>");
	part_section_end(h);
}

void plan_show_extra(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h)
{
	struct db_rows r;
	struct db_error err;

	(void)e;
	if (rec->masked)
		return;
	if (plan_rows(&q->cx, rec->id, PLAN_ROWS, &r, &err) != 0) {
		req_fail(q, "the plan's activities", &err);
		return;
	}
	progress_section(q, rec, h);
	activities_section(q, rec, &r, h);
	timeline(q, rec, &r, h);
	deviations_section(q, rec, h);
	if (!rec->archived)
		close_section(q, rec, h);
}

/* ---- an activity's page: the gaps it addresses, where it went ---- */

static const char sql_activity_gaps[] =
	"SELECT g.assessment_id, m.code, m.title, s.id, s.name, a.effective_status, a.severity"
	" FROM activity_gap g JOIN measure_assessment a ON a.id = g.assessment_id"
	" JOIN measure m ON m.id = a.measure_id LEFT JOIN it_system s ON s.id = a.system_id"
	" WHERE g.org_id = $1 AND g.activity_id = $2 AND g.archived = 0"
	" ORDER BY m.code_sk, g.id LIMIT 100";
static const char sql_carried_to[] =
	"SELECT x.id, x.title, p.title FROM activity x JOIN action_plan p ON p.id = x.plan_id"
	" WHERE x.org_id = $1 AND x.carried_from = $2 ORDER BY x.id LIMIT 5";

void activity_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *slug = cx->org->slug;
	struct db_rows r, c;
	struct db_error err;
	static const int dep_cols[] = { AD_DEPENDS_ON, AD_NOTE, -1 };
	struct part_related deps = {
		.e = &ap_dependencies, .ref_field = AD_ACTIVITY, .cols = dep_cols,
		.id = "ap-deps", .heading = M_AP_DEPENDENCIES, .empty = M_AP_NO_DEPENDENCIES,
		.add = M_AP_DEPENDENCY_NEW,
	};

	(void)e;
	if (rec->masked)
		return;
	if (db_exec(cx->db, cx->a, sql_activity_gaps, DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id)),
		    &r, &err) != 0 ||
	    db_exec(cx->db, cx->a, sql_carried_to, DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id)), &c,
		    &err) != 0) {
		req_fail(q, "the activity's gaps", &err);
		return;
	}
	/* R-7-06, R-4-20: the gaps it was made for, each a link */
	part_section_begin_n(h, "ap-gaps", M_AP_GAPS_ADDRESSED, (int64_t)r.nrows);
	if (!r.nrows) {
		part_empty(h, M_AP_NO_GAPS);
	} else {
		part_table_begin(h, 0, "ap-gaps");
		part_th(h, M_AP_F_GAP);
		part_th(h, M_AP_F_SYSTEM);
		part_th(h, M_AP_F_GAP_STATUS);
		part_th(h, M_AP_F_SEVERITY);
		part_table_body(h);
		for (size_t i = 0; i < r.nrows; i++) {
			part_tr(h);
			part_th_row_begin(h);
			h_lit(h, "<a");
			h_href(h, "/o/%s/assessments/%s", slug, db_cell(&r, i, 0));
			h_lit(h, ">");
			h_textf(h, "%s %s", db_cell(&r, i, 1), db_cell(&r, i, 2));
			h_lit(h, "</a>");
			part_th_row_end(h);
			part_td_begin(h);
			if (db_cell(&r, i, 3)) {
				h_lit(h, "<a");
				h_href(h, "/o/%s/systems/%s", slug, db_cell(&r, i, 3));
				h_lit(h, ">");
				h_text(h, db_cell(&r, i, 4));
				h_lit(h, "</a>");
			} else {
				h_msg(h, M_AP_WHOLE_ORG);
			}
			part_td_end(h);
			part_td(h, entity_choice_label(cx, &ms_assessments.fields[AF_EFFECTIVE],
						       db_cell(&r, i, 5)));
			part_td(h, db_cell(&r, i, 6) ?
				entity_choice_label(cx, &ms_assessments.fields[AF_SEVERITY],
						    db_cell(&r, i, 6)) : NULL);
			part_tr_end(h);
		}
		part_table_end(h);
	}
	if (!rec->archived && entity_may(cx, &ap_activities, rec, OP_WRITE))
		part_add_link(h, M_AP_ADD_GAPS, "/o/%s/actions/from-gaps?activity=%lld", slug,
			      (long long)rec->id);
	part_section_end(h);
	part_related(h, &deps, rec);
	if (c.nrows) {
		part_section_begin(h, "ap-carried", M_AP_CARRIED_TO_HEADING);
		h_lit(h, "<ul>");
		for (size_t i = 0; i < c.nrows; i++) {
			h_lit(h, "<li><a");
			h_href(h, "/o/%s/activities/%s", slug, db_cell(&c, i, 0));
			h_lit(h, ">");
			h_text(h, db_cell(&c, i, 1));
			h_lit(h, "</a> (");
			h_text(h, db_cell(&c, i, 2));
			h_lit(h, ")</li>");
		}
		h_lit(h, "</ul>");
		part_section_end(h);
	}
}

/* ---- the lists behind the start page's lines ---- */

/* One query per list, the same conditions as the start page's lines
 * (module.c): $2 today, $3 the day WAIT_SOON_DAYS ahead, $4 a person or
 * 0, $5 decided plans only, $6 a plan or 0, then the cursor. */
#define LIST_COLS \
	"SELECT a.id, a.title, a.start_on, a.end_on, a.status, a.responsible_id, a.plan_id," \
	" p.title FROM activity a JOIN action_plan p ON p.id = a.plan_id" \
	" AND p.archived = 0 AND p.state <> 'closed'" \
	" WHERE a.org_id = $1 AND a.archived = 0" \
	" AND ($4 = 0 OR a.responsible_id = $4) AND ($5 = 0 OR p.state = 'decided')" \
	" AND ($6 = 0 OR a.plan_id = $6)"
static const char sql_list_overdue[] =
	LIST_COLS " AND " ACT_OPEN_SQL " AND a.end_on < $2"
	" AND a.end_on < $3"
	" AND (a.end_on > $7 OR (a.end_on = $7 AND a.id > $8))"
	" ORDER BY a.end_on, a.id LIMIT $9";
static const char sql_list_starting[] =
	LIST_COLS " AND a.status = 'planned' AND a.start_on >= $2 AND a.start_on <= $3"
	" AND (a.start_on > $7 OR (a.start_on = $7 AND a.id > $8))"
	" ORDER BY a.start_on, a.id LIMIT $9";

static const char *day_ahead(struct ctx *cx, int days)
{
	struct ctx then = *cx;

	then.now += (int64_t)days * 86400;
	return ctx_today(&then);
}

static void activity_list(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *show = req_param(q, "show");
	int starting = is(show, "starting");
	int64_t person = req_int(q, "responsible", 0, INT64_MAX, 0);
	int64_t decided = req_int(q, "decided", 0, 1, 0);
	int64_t plan = req_int(q, "plan", 0, INT64_MAX, 0);
	const char *after = req_param(q, "after_on");
	int64_t after_id = req_int(q, "after_id", 0, INT64_MAX, 0);
	const char *today = ctx_today(cx);
	int64_t ids[LIST_PAGE + 1];
	const char *names[LIST_PAGE + 1];
	struct db_rows r;
	struct db_error err;
	struct html h;
	size_t n;

	if (db_exec(cx->db, cx->a, starting ? sql_list_starting : sql_list_overdue,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(today),
			    DB_TEXT(day_ahead(cx, WAIT_SOON_DAYS)), DB_INT(person), DB_INT(decided),
			    DB_INT(plan), DB_TEXT(after ? after : ""), DB_INT(after_id),
			    DB_INT(LIST_PAGE + 1)), &r, &err) != 0) {
		req_fail(q, "activities", &err);
		return;
	}
	n = r.nrows > LIST_PAGE ? LIST_PAGE : r.nrows;
	for (size_t i = 0; i < n; i++)
		ids[i] = db_cell_i64(&r, i, 5);
	if (entity_titles(cx, &org_people, ids, n, names, &err) != 0) {
		req_fail(q, "responsible people", &err);
		return;
	}
	page_begin(q, resp, &h, starting ? M_AP_LIST_STARTING : M_AP_LIST_OVERDUE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, starting ? M_AP_LIST_STARTING_INTRO : M_AP_LIST_OVERDUE_INTRO);
	if (person) {
		h_lit(&h, " ");
		h_msg(&h, M_AP_LIST_ONLY_PERSON);
	}
	if (decided) {
		h_lit(&h, " ");
		h_msg(&h, M_AP_LIST_ONLY_DECIDED);
	}
	h_lit(&h, "</p>");
	if (!n) {
		part_empty(&h, M_AP_LIST_NONE);
	} else {
		part_table_begin(&h, starting ? M_AP_LIST_STARTING : M_AP_LIST_OVERDUE, NULL);
		part_th(&h, M_AP_F_ACTIVITY_TITLE);
		part_th(&h, M_AP_PLAN);
		part_th(&h, M_AP_F_RESPONSIBLE);
		part_th(&h, M_AP_F_START);
		part_th(&h, M_AP_F_END);
		part_th(&h, M_AP_F_STATUS);
		part_table_body(&h);
		for (size_t i = 0; i < n; i++) {
			part_tr(&h);
			part_th_row_begin(&h);
			h_lit(&h, "<a class=\"ap-row\"");
			h_href(&h, "/o/%s/activities/%s", cx->org->slug, db_cell(&r, i, 0));
			h_lit(&h, ">");
			h_text(&h, db_cell(&r, i, 1));
			h_lit(&h, "</a>");
			part_th_row_end(&h);
			part_td_begin(&h);
			h_lit(&h, "<a");
			h_href(&h, "/o/%s/action-plans/%s", cx->org->slug, db_cell(&r, i, 6));
			h_lit(&h, ">");
			h_text(&h, db_cell(&r, i, 7));
			h_lit(&h, "</a>");
			part_td_end(&h);
			part_td(&h, ids[i] ? names[i] : NULL);
			part_td(&h, db_cell(&r, i, 2));
			part_td_begin(&h);
			if (!starting) {
				h_lit(&h, "<span class=\"overdue\">");
				h_text(&h, db_cell(&r, i, 3));
				h_lit(&h, " (");
				h_msg(&h, M_AP_LATE);
				h_lit(&h, ")</span>");
			} else {
				h_text(&h, db_cell(&r, i, 3) ? db_cell(&r, i, 3) : "\xe2\x80\x93");
			}
			part_td_end(&h);
			part_td(&h, status_label(cx, db_cell(&r, i, 4)));
			part_tr_end(&h);
		}
		part_table_end(&h);
	}
	if (r.nrows > LIST_PAGE)
		part_button_link(&h, M_NEXT_PAGE, 0,
				 "/o/%s/actions/activities?show=%s&responsible=%lld&decided=%lld"
				 "&plan=%lld&after_on=%s&after_id=%s", cx->org->slug,
				 starting ? "starting" : "overdue", (long long)person,
				 (long long)decided, (long long)plan,
				 db_cell(&r, n - 1, starting ? 2 : 3), db_cell(&r, n - 1, 0));
	page_end(q, resp, &h);
}

static const struct param list_params[] = {
	{ "show", P_STR, 16 },
	{ "responsible", P_INT, INT64_MAX },
	{ "decided", P_INT, 1 },
	{ "plan", P_INT, INT64_MAX },
	{ "after_on", P_STR, 10 },
	{ "after_id", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

const struct route follow_up_routes[] = {
	{ "GET", "/o/{org}/actions/activities", activity_list, ROLES_STAFF, 0, 0, list_params,
	  NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
