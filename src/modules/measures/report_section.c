/* report_section.c - the gap analysis's section of the management report
 * (core/module.h struct report_section, R-15-13): the open gaps (required
 * measures partly or not met) by area, and their trend over the period.
 *
 * The trend needs history, which the counts kept in gap_area_stat do not
 * hold: the daily job "gap-snapshot" writes each organisation's open gaps
 * per area to gap_snapshot (migration 0024), one row per area and day.
 * The report compares the period's end (the last snapshot before it ends,
 * or the counts now while it lasts) with its start (the last snapshot on
 * or before its first day, else the first one inside it), and says so
 * when there is no earlier snapshot yet.  Each read is a few rows by the
 * snapshot table's key (org_id, day, area): the same cost whatever the
 * size of the registers or the history. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/outbox.h"
#include "core/report.h"
#include "core/roles.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "modules/measures/measures.h"
#include "modules/measures/overview.h"

static const char sql_day_on_or_before[] =
	"SELECT max(day) FROM gap_snapshot WHERE org_id = $1 AND day <= $2";
static const char sql_first_day_in[] =
	"SELECT min(day) FROM gap_snapshot WHERE org_id = $1 AND day >= $2 AND day < $3";
static const char sql_day_rows[] =
	"SELECT area, n_open, n_not_assessed FROM gap_snapshot WHERE org_id = $1 AND day = $2";
static const char sql_forget_day[] =
	"DELETE FROM gap_snapshot WHERE org_id = $1 AND day = $2";
static const char sql_keep[] =
	"INSERT INTO gap_snapshot (org_id, day, area, n_open, n_not_assessed)"
	" VALUES ($1, $2, $3, $4, $5)";

/* the areas the picture shows one by one; the rest are one bar */
#define CHART_AREAS 5

struct snap {
	const char *day;              /* or NULL: none */
	int64_t open[AREA__COUNT], total, not_assessed;
};

static int read_day(struct ctx *cx, const char *day, struct snap *s, struct db_error *err)
{
	struct db_rows r;

	memset(s, 0, sizeof(*s));
	if (!day)
		return 0;
	s->day = day;
	if (db_exec(cx->db, cx->a, sql_day_rows, DB_ARGS(DB_INT(cx->org->id), DB_TEXT(day)), &r,
		    err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int a = measure_area_index(db_cell(&r, i, 0));
		if (a < 0)
			continue;
		s->open[a] = db_cell_i64(&r, i, 1);
		s->total += s->open[a];
		s->not_assessed += db_cell_i64(&r, i, 2);
	}
	return 0;
}

static int now_numbers(struct ctx *cx, struct snap *s, struct db_error *err)
{
	struct gap_numbers *g = arena_alloc(cx->a, sizeof(*g));

	memset(s, 0, sizeof(*s));
	if (gap_read_area_totals(cx, g, err) != 0)
		return -1;
	for (int a = 0; a < AREA__COUNT; a++) {
		s->open[a] = g->area[a][GS_NOT_MET] + g->area[a][GS_PARTLY];
		s->total += s->open[a];
	}
	s->not_assessed = g->total[GS_NOT_ASSESSED];
	s->day = ctx_today(cx);
	return 0;
}

/* a single day from "SELECT max(day)"/"min(day)" */
static int one_day(struct ctx *cx, const char *sql, struct db_val *p, size_t np,
		   const char **day, struct db_error *err)
{
	struct db_rows r;

	*day = NULL;
	if (db_exec(cx->db, cx->a, sql, p, np, &r, err) != 0)
		return -1;
	if (r.nrows && db_cell(&r, 0, 0) && *db_cell(&r, 0, 0))
		*day = arena_strdup(cx->a, db_cell(&r, 0, 0));
	return 0;
}

static int gaps(struct ctx *cx, const struct report_period *p, struct report_part *out,
		struct db_error *err)
{
	const char *first = report_day(cx->a, p->from), *end = report_day(cx->a, p->to);
	const char *last = report_last_day(cx->a, p), *start_day, *end_day = NULL;
	struct snap *now = arena_alloc(cx->a, sizeof(*now)), *then = arena_alloc(cx->a, sizeof(*then));
	struct db_val p2[2] = { DB_INT(cx->org->id), DB_TEXT(first) };
	struct db_val p3[3] = { DB_INT(cx->org->id), DB_TEXT(first), DB_TEXT(end) };
	const char **cats = arena_alloc(cx->a, (CHART_AREAS + 1) * sizeof(*cats));
	double *v_now = arena_alloc(cx->a, (CHART_AREAS + 1) * sizeof(double));
	double *v_then = arena_alloc(cx->a, (CHART_AREAS + 1) * sizeof(double));
	int top[CHART_AREAS];
	size_t ncat = 0;
	struct chart *c;
	int msg;

	for (int k = 0; k < CHART_AREAS; k++)
		top[k] = -1;
	/* the end: the counts now while the period lasts, else its last
	 * snapshot (the counts now when there is none) */
	if (p->to <= cx->now) {
		struct db_val pe[2] = { DB_INT(cx->org->id), DB_TEXT(last) };
		if (one_day(cx, sql_day_on_or_before, pe, 2, &end_day, err) != 0)
			return -1;
	}
	if (end_day ? read_day(cx, end_day, now, err) : now_numbers(cx, now, err))
		return -1;
	if (one_day(cx, sql_day_on_or_before, p2, 2, &start_day, err) != 0)
		return -1;
	if (!start_day && one_day(cx, sql_first_day_in, p3, 3, &start_day, err) != 0)
		return -1;
	if (start_day && now->day && strcmp(start_day, now->day) >= 0)
		start_day = NULL; /* the same day as the end: no trend */
	if (read_day(cx, start_day, then, err) != 0)
		return -1;

	/* the areas with the most open gaps now, then the rest as one */
	for (int a = 0; a < AREA__COUNT && measure_areas[a].value; a++) {
		int k;
		if (now->open[a] == 0 && then->open[a] == 0)
			continue;
		for (k = 0; k < CHART_AREAS; k++)
			if (top[k] < 0 || now->open[a] > now->open[top[k]])
				break;
		if (k == CHART_AREAS)
			continue;
		memmove(&top[k + 1], &top[k], (size_t)(CHART_AREAS - 1 - k) * sizeof(int));
		top[k] = a;
	}
	{
		int64_t rest_now = now->total, rest_then = then->total;
		for (int k = 0; k < CHART_AREAS && top[k] >= 0; k++) {
			cats[ncat] = msg_text(cx->lang, measure_areas[top[k]].label);
			v_now[ncat] = (double)now->open[top[k]];
			v_then[ncat] = (double)then->open[top[k]];
			rest_now -= now->open[top[k]];
			rest_then -= then->open[top[k]];
			ncat++;
		}
		if (rest_now > 0 || rest_then > 0) {
			cats[ncat] = msg_text(cx->lang, M_GAP_RP_OTHER_AREAS);
			v_now[ncat] = (double)rest_now;
			v_then[ncat] = (double)rest_then;
			ncat++;
		}
	}
	c = chart_new(cx->a, CHART_BAR, "rp-gaps");
	c->title = msg_text(cx->lang, M_GAP_RP_HEADING);
	c->cat_title = msg_text(cx->lang, M_GAP_RP_AREA);
	c->x_label = msg_text(cx->lang, M_GAP_RP_OPEN_GAPS);
	c->empty = msg_text(cx->lang, M_GAP_RP_NONE);
	c->cats = cats;
	c->ncat = ncat;
	c->horizontal = 1;
	chart_add_series(cx->a, c,
			 arena_printf(cx->a, "%s %s", msg_text(cx->lang, M_GAP_RP_AT), now->day), v_now);
	if (then->day)
		chart_add_series(cx->a, c, arena_printf(cx->a, "%s %s",
							 msg_text(cx->lang, M_GAP_RP_AT), then->day),
				 v_then);

	if (now->total == 0 && now->not_assessed == 0 && !then->day)
		msg = M_GAP_RP_READ_EMPTY;
	else if (!then->day)
		msg = M_GAP_RP_READ_NO_HISTORY;
	else if (now->total < then->total)
		msg = M_GAP_RP_READ_FEWER;
	else if (now->total > then->total)
		msg = M_GAP_RP_READ_MORE;
	else
		msg = M_GAP_RP_READ_SAME;
	out->reading = report_say(cx, msg, "{n}", now->total, "{then}", then->total, "{diff}",
				  now->total > then->total ? now->total - then->total
							   : then->total - now->total,
				  NULL, 0);
	if (top[0] >= 0 && now->open[top[0]] > 0)
		out->reading = msg_fill(cx->a, out->reading, "{area}",
					msg_text(cx->lang, measure_areas[top[0]].label));
	else
		out->reading = msg_fill(cx->a, out->reading, "{area}", "–");
	c->alt = out->reading;
	out->chart = c;
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_GAP_OV_OPEN, .n = now->total, .path = "/actions/from-gaps" };
	if (then->day)
		out->figures[out->nfigures++] = (struct overview_figure){
			.label = M_GAP_RP_AT_START, .n = then->total };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_GAP_OV_NOT_ASSESSED, .n = now->not_assessed, .attention = 1,
		.path = "/assessments?required=1&effective_status=not_assessed" };
	for (int k = 0; k < 3 && top[k] >= 0 && out->nfigures < REPORT_FIGURES_MAX; k++)
		if (now->open[top[k]] > 0)
			out->figures[out->nfigures++] = (struct overview_figure){
				.label = measure_areas[top[k]].label, .n = now->open[top[k]],
				.path = arena_printf(cx->a, "/actions/from-gaps?area=%s",
						     measure_areas[top[k]].value) };
	return 0;
}

const struct report_section measures_report[] = {
	{ 20, ROLES_OVERVIEW, M_GAP_RP_HEADING, gaps },
	{ 0, 0, 0, NULL },
};

/* ---- the snapshot (the daily job; the demo) ---- */

int gap_snapshot_write(struct ctx *cx, const char *day, int extra, struct db_error *err)
{
	struct gap_numbers *g = arena_alloc(cx->a, sizeof(*g));

	if (gap_read_area_totals(cx, g, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_forget_day, DB_ARGS(DB_INT(cx->org->id), DB_TEXT(day)), NULL,
		    err) != 0)
		return -1;
	for (int a = 0; a < AREA__COUNT && measure_areas[a].value; a++) {
		int64_t open = g->area[a][GS_NOT_MET] + g->area[a][GS_PARTLY];
		if (open > 0)
			open += extra;
		if (db_exec(cx->db, cx->a, sql_keep,
			    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(day), DB_TEXT(measure_areas[a].value),
				    DB_INT(open), DB_INT(g->area[a][GS_NOT_ASSESSED])),
			    NULL, err) != 0)
			return -1;
	}
	return 0;
}

static int snapshot_org(struct ctx *cx, const struct mail_config *mc, void *arg,
			struct db_error *err)
{
	int *n = arg;

	(void)mc;
	if (db_begin(cx->db, err) != 0)
		return -1;
	if (gap_snapshot_write(cx, ctx_today(cx), 0, err) != 0) {
		db_rollback(cx->db);
		return -1;
	}
	if (db_commit(cx->db, err) != 0)
		return -1;
	(*n)++;
	return 0;
}

int gap_snapshot_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		     struct db_error *err)
{
	int n = 0;

	(void)period_start;
	if (outbox_each_org(cx, snapshot_org, &n, err) != 0)
		return -1;
	buf_printf(summary, "gapen per område sparade för %d organisationer", n);
	return 0;
}
