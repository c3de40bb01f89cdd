/* overview_section.c - the action plan's section of the coordinator's
 * overview (core/module.h struct follow_up_section): plans waiting for
 * management's decision, the decided plans' activities (done, overdue,
 * starting soon), each a link to the list behind it.
 *
 * The decided plans not yet closed are few (a plan a year); each one's
 * figures are plan_progress's grouped query on the plan's own rows (index
 * activity_plan).  The overdue and starting counts are bounded and
 * answered by the same indexes as the start page's lines (module.c). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/actions/actions.h"

/* The decided plans the follow-up is about: at most a handful. */
#define DECIDED_MAX 10

static const char sql_decided[] =
	"SELECT id FROM action_plan WHERE org_id = $1 AND state = 'decided' AND archived = 0"
	" ORDER BY period_start DESC, id DESC LIMIT 10";
static const char sql_submitted[] =
	"SELECT count(*) FROM (SELECT id FROM action_plan WHERE org_id = $1"
	" AND state = 'submitted' AND archived = 0 LIMIT $2) x";
static const char sql_starting[] =
	"SELECT count(*) FROM (SELECT a.id FROM activity a WHERE a.org_id = $1 AND a.plan_id IN ("
	" SELECT id FROM action_plan WHERE org_id = $1 AND state = 'decided' AND archived = 0)"
	" AND a.archived = 0 AND a.status = 'planned' AND a.start_on >= $2 AND a.start_on <= $3"
	" LIMIT $4) x";

static int plan_figures(struct ctx *cx, struct overview_figure *out, int max,
			struct db_error *err)
{
	struct plan_progress sum = { 0 };
	struct db_rows r;
	struct db_val p1[2] = { DB_INT(cx->org->id) };
	struct db_val p3[4] = { DB_INT(cx->org->id), DB_TEXT(ctx_today(cx)),
				DB_TEXT(ctx_date_in(cx, WAIT_SOON_DAYS)) };
	const char *plans_path;
	int n = 0;

	if (max < 6)
		return 0;
	out[n] = (struct overview_figure){ .label = M_AP_OV_SUBMITTED,
					   .path = "/action-plans?state=submitted" };
	if (overview_count(cx, &out[n++], sql_submitted, p1, 1, err) != 0)
		return -1;
	if (db_exec(cx->db, cx->a, sql_decided, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows && i < DECIDED_MAX; i++) {
		struct plan_progress pp;
		if (plan_progress(cx, db_cell_i64(&r, i, 0), &pp, err) != 0)
			return -1;
		sum.total += pp.total;
		sum.done += pp.done;
		sum.overdue += pp.overdue;
	}
	/* one decided plan (the usual case): its own page; several: the list */
	plans_path = r.nrows == 1 ? arena_printf(cx->a, "/action-plans/%s", db_cell(&r, 0, 0))
				  : "/action-plans?state=decided";
	out[n++] = (struct overview_figure){ .label = M_AP_OV_DECIDED_PLANS,
					     .n = (int64_t)r.nrows, .path = "/action-plans?state=decided" };
	out[n++] = (struct overview_figure){ .label = M_AP_OV_ACTIVITIES, .n = sum.total,
					     .path = plans_path };
	out[n++] = (struct overview_figure){ .label = M_AP_OV_DONE, .n = sum.done,
					     .path = plans_path };
	out[n++] = (struct overview_figure){ .label = M_AP_OV_OVERDUE, .n = sum.overdue,
					     .path = "/actions/activities?show=overdue&decided=1",
					     .attention = 1 };
	out[n] = (struct overview_figure){ .label = M_AP_OV_STARTING,
					   .path = "/actions/activities?show=starting&decided=1" };
	if (overview_count(cx, &out[n++], sql_starting, p3, 3, err) != 0)
		return -1;
	return n;
}

const struct follow_up_section actions_follow_up[] = {
	{ ROLES_OVERVIEW, M_AP_OV_HEADING, plan_figures },
	{ 0, 0, NULL },
};
