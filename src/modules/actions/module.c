/* module.c - the action plan as a module (core/module.h; the rules in
 * actions.h). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/actions/actions.h"
#include "web/router.h"

extern const struct route from_gaps_routes[];  /* from_gaps.c */
extern const struct route follow_up_routes[];  /* follow_up.c */
extern const struct follow_up_section actions_follow_up[]; /* overview_section.c */
extern const struct report_section actions_report[]; /* report_section.c */

static const struct entity *const entities[] = {
	&ap_plans, &ap_activities, &ap_activity_gaps, &ap_dependencies, &ap_deviations, NULL,
};

static const struct route *const routes[] = {
	from_gaps_routes, follow_up_routes, NULL,
};

static const struct menu_item menu[] = {
	{ M_AP_MENU, "/action-plans", ROLES_STAFF, 32 },
	{ 0, NULL, 0, 0 },
};

/* Each bounded by LIMIT $4 and answered by an index: a person's
 * activities by end or start (activity_mine_end, activity_mine_start),
 * the decided plans (action_plan_state) and their open activities by end
 * (activity_plan).  The lists behind them (follow_up.c) ask the same. */
static const struct waiting_item waiting[] = {
	{ 0, M_AP_WAIT_MY_OVERDUE, "/actions/activities?show=overdue&responsible={person}",
	  "SELECT a.id FROM activity a JOIN action_plan p ON p.id = a.plan_id"
	  " AND p.archived = 0 AND p.state <> 'closed'"
	  " WHERE a.org_id = $1 AND a.responsible_id = $2 AND a.archived = 0"
	  " AND a.end_on < $3 AND " ACT_OPEN_SQL " LIMIT $4", WAIT_MINE, M_AP_WAIT_MY_OVERDUE_ONE },
	{ 0, M_AP_WAIT_MY_STARTING, "/actions/activities?show=starting&responsible={person}",
	  "SELECT a.id FROM activity a JOIN action_plan p ON p.id = a.plan_id"
	  " AND p.archived = 0 AND p.state <> 'closed'"
	  " WHERE a.org_id = $1 AND a.responsible_id = $2 AND a.archived = 0"
	  " AND a.start_on >= $3 AND a.start_on <= $6 AND a.status = 'planned' LIMIT $4",
	  WAIT_MINE, M_AP_WAIT_MY_STARTING_ONE },
	{ ROLES_PLAN_WRITE, M_AP_WAIT_OVERDUE, "/actions/activities?show=overdue&decided=1",
	  "SELECT a.id FROM activity a WHERE a.org_id = $1 AND a.plan_id IN ("
	  " SELECT id FROM action_plan WHERE org_id = $1 AND state = 'decided' AND archived = 0)"
	  " AND a.archived = 0 AND " ACT_OPEN_SQL " AND a.end_on < $3 LIMIT $4", WAIT_ORG,
	  M_AP_WAIT_OVERDUE_ONE },
	{ RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF), M_AP_WAIT_DECIDE,
	  "/action-plans?state=submitted",
	  "SELECT id FROM action_plan WHERE org_id = $1 AND state = 'submitted' AND archived = 0"
	  " LIMIT $4", WAIT_ORG, M_AP_WAIT_DECIDE_ONE },
	{ 0, 0, NULL, NULL, 0, 0 },
};

static const struct related_list related[] = {
	/* a person's page: the activities they are responsible for */
	{ "people", &ap_activities, AC_RESPONSIBLE,
	  (const int[]){ AC_TITLE, AC_PLAN, AC_END, AC_STATUS, -1 }, "ap-person-activities",
	  M_AP_RESPONSIBLE_FOR, 0, "priority" },
	{ NULL, NULL, 0, NULL, NULL, 0, 0, NULL },
};

/* Plans and activities are found by the search page (migration 0013
 * keeps their index). */
static const struct search_source search[] = {
	{ &ap_plans },
	{ &ap_activities },
	{ NULL },
};

static const struct job jobs[] = {
	{ "activity-overdue", 86400, M_AP_JOB_OVERDUE, activity_overdue_run },
	{ NULL, 0, 0, NULL },
};

/* Foreign keys first: plans, activities, then their parts. */
static const char *const tables[] = {
	"action_plan", "activity", "activity_gap", "activity_dependency", "plan_deviation", NULL,
};

/* A gap's page shows the activities that address it (R-4-20). */
static const struct record_panel panels[] = {
	{ "assessments", actions_assessment_panel },
	{ NULL, NULL },
};

extern const struct review_source actions_reviews[]; /* reviews.c */

const struct module actions_module = {
	.name = "actions",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.related = related,
	.search = search,
	.tables = tables,
	.demo = actions_demo,
	.demo_scale = actions_demo_scale,
	.jobs = jobs,
	.documents = actions_documents,
	.panels = panels,
	.follow_up = actions_follow_up,
	.reviews = actions_reviews,
	.report = actions_report,
};
