/* report_section.c - the action plan's section of the management report
 * (core/module.h struct report_section, R-15-13, R-15-06): how far the
 * decided plan has come - its activities done, ongoing, planned and
 * overdue.
 *
 * The decided plans not closed are a handful (a plan a year; at most 10
 * read); each one's counts are plan_progress's grouped query on the
 * plan's own rows (index activity_plan), as the overview's section. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/report.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/actions/actions.h"

static const char sql_decided[] =
	"SELECT id FROM action_plan WHERE org_id = $1 AND state = 'decided' AND archived = 0"
	" ORDER BY period_start DESC, id DESC LIMIT 10";

static int progress(struct ctx *cx, const struct report_period *p, struct report_part *out,
		    struct db_error *err)
{
	struct plan_progress sum = { 0 };
	struct db_rows r;
	const char **cats = arena_alloc(cx->a, 4 * sizeof(*cats));
	double v[4];
	const char *plan_path;
	int64_t planned;
	struct chart *c;
	int msg;

	(void)p;
	if (db_exec(cx->db, cx->a, sql_decided, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		struct plan_progress pp;
		if (plan_progress(cx, db_cell_i64(&r, i, 0), &pp, err) != 0)
			return -1;
		sum.total += pp.total;
		sum.done += pp.done;
		sum.ongoing += pp.ongoing;
		sum.planned += pp.planned;
		sum.overdue += pp.overdue;
	}
	plan_path = r.nrows == 1 ? arena_printf(cx->a, "/action-plans/%s", db_cell(&r, 0, 0))
				 : "/action-plans?state=decided";
	planned = sum.planned;
	cats[0] = msg_text(cx->lang, M_AP_RP_DONE);
	cats[1] = msg_text(cx->lang, M_AP_RP_ONGOING);
	cats[2] = msg_text(cx->lang, M_AP_RP_PLANNED);
	cats[3] = msg_text(cx->lang, M_AP_RP_OVERDUE);
	v[0] = (double)sum.done;
	v[1] = (double)sum.ongoing;
	v[2] = (double)planned;
	v[3] = (double)sum.overdue;
	c = chart_new(cx->a, CHART_BAR, "rp-actions");
	c->title = msg_text(cx->lang, M_AP_RP_HEADING);
	c->cat_title = msg_text(cx->lang, M_AP_RP_STATE);
	c->x_label = msg_text(cx->lang, M_AP_RP_ACTIVITIES);
	c->empty = msg_text(cx->lang, M_AP_RP_NO_PLAN);
	c->cats = cats;
	c->ncat = r.nrows ? 4 : 0;
	c->horizontal = 1;
	chart_add_series(cx->a, c, msg_text(cx->lang, M_AP_RP_ACTIVITIES), v);
	if (r.nrows == 0)
		msg = M_AP_RP_READ_NO_PLAN;
	else if (sum.total == 0)
		msg = M_AP_RP_READ_EMPTY;
	else if (sum.overdue == 0)
		msg = M_AP_RP_READ_ON_TRACK;
	else
		msg = M_AP_RP_READ_OVERDUE;
	out->reading = report_say(cx, msg, "{done}", sum.done, "{total}", sum.total, "{overdue}",
				  sum.overdue, "{ongoing}", sum.ongoing);
	c->alt = out->reading;
	out->chart = c;
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_AP_OV_ACTIVITIES, .n = sum.total, .path = plan_path };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_AP_RP_DONE, .n = sum.done, .path = plan_path };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_AP_RP_ONGOING, .n = sum.ongoing, .path = plan_path };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_AP_RP_PLANNED, .n = planned, .path = plan_path };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_AP_RP_OVERDUE, .n = sum.overdue, .attention = 1,
		.path = "/actions/activities?show=overdue&decided=1" };
	return 0;
}

const struct report_section actions_report[] = {
	{ 50, ROLES_OVERVIEW, M_AP_RP_HEADING, progress },
	{ 0, 0, 0, NULL },
};
