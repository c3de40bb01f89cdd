/* reviews.c - the action plan's dates in the follow-up calendar
 * (core/module.h struct review_source): an open activity's end (neither
 * done, cancelled nor carried; its plan not closed), the responsible
 * person its owner; and the end of a plan's period, when the plan is to
 * be followed up and revised for the next period (no one person owns it:
 * it is in everyone's calendar, never in a person's).
 *
 * Indexes: activity_review_due and activity_review_mine (0023, partial:
 * live and open), each activity's plan by key; the plans by
 * action_plan_state (a handful an organisation).  The branch not asked
 * for is cut by its constant condition on $5. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "db/db.h"
#include "modules/actions/actions.h"

const struct review_source actions_reviews[] = {
	{ M_AP_REVIEW_ACTIVITY, &ap_activities, 0, "/activities/{id}",
	  "SELECT * FROM (SELECT a.id, a.title, a.end_on, a.responsible_id FROM activity a"
	  " JOIN action_plan p ON p.id = a.plan_id AND p.archived = 0 AND p.state <> 'closed'"
	  " WHERE $5 = 0 AND a.org_id = $1 AND a.archived = 0"
	  " AND a.status IN ('planned', 'ongoing') AND a.end_on >= $2 AND a.end_on < $3"
	  " ORDER BY a.end_on, a.id LIMIT $4) x"
	  " UNION ALL SELECT * FROM (SELECT a.id, a.title, a.end_on, a.responsible_id FROM activity a"
	  " JOIN action_plan p ON p.id = a.plan_id AND p.archived = 0 AND p.state <> 'closed'"
	  " WHERE $5 <> 0 AND a.org_id = $1 AND a.responsible_id = $5 AND a.archived = 0"
	  " AND a.status IN ('planned', 'ongoing') AND a.end_on >= $2 AND a.end_on < $3"
	  " ORDER BY a.end_on, a.id LIMIT $4) y"
	  " ORDER BY 3, 1 LIMIT $4" },
	{ M_AP_REVIEW_PLAN, &ap_plans, 0, "/action-plans/{id}",
	  "SELECT id, title, period_end, NULL FROM action_plan"
	  " WHERE $5 = 0 AND org_id = $1 AND state IN ('draft', 'submitted', 'decided')"
	  " AND archived = 0 AND period_end >= $2 AND period_end < $3"
	  " ORDER BY period_end, id LIMIT $4" },
	{ 0, NULL, 0, NULL, NULL },
};

/* The newest decided plan (what a follow-up checks, R-15-03), or 0. */
static const char sql_decided_current[] =
	"SELECT id FROM action_plan WHERE org_id = $1 AND state = 'decided' AND archived = 0"
	" ORDER BY period_start DESC, id DESC LIMIT 1";

int64_t plan_decided_current(struct ctx *cx, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_decided_current, DB_ARGS(DB_INT(cx->org->id)), &r,
		    err) != 0)
		return -1;
	return r.nrows ? db_cell_i64(&r, 0, 0) : 0;
}
