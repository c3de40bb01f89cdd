/* module.c - follow-up as a module (core/module.h; the rules in
 * followup.h). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/followup/followup.h"
#include "web/router.h"

extern const struct route followup_calendar_routes[]; /* calendar.c */

static const struct entity *const entities[] = {
	&fu_followups, &fu_findings, &fu_goals, &fu_goal_activities, &fu_needs, NULL,
};

static const struct route *const routes[] = { followup_calendar_routes, NULL };

static const struct menu_item menu[] = {
	{ M_FU_MENU, "/follow-up", ROLES_STAFF, 34 },
	{ 0, NULL, 0, 0 },
};

/* The start page: the person's own follow-ups and goals that are late,
 * one line (one bounded query over this module's two registers, answered
 * by follow_up_mine and annual_goal_mine); the link opens the overdue list
 * of this module's sources for that person, which counts the same rows.
 * What is late in the other modules is on their own lines (an activity, a
 * security plan, an approval), so nothing is counted twice. */
static const struct waiting_item waiting[] = {
	{ 0, M_FU_WAIT_LATE, "/follow-up/overdue?owner={person}&kind=followup",
	  "SELECT id FROM follow_up WHERE org_id = $1 AND responsible_id = $2 AND archived = 0"
	  " AND state IN ('planned', 'ongoing') AND planned_on < $3"
	  " UNION ALL SELECT id FROM annual_goal WHERE org_id = $1 AND responsible_id = $2"
	  " AND archived = 0 AND state IN ('proposed', 'decided') AND follow_up_on < $3"
	  " LIMIT $4", WAIT_MINE, M_FU_WAIT_LATE_ONE },
	{ 0, 0, NULL, NULL, 0, 0 },
};

/* A person's page: the follow-ups they are responsible for. */
static const struct related_list related[] = {
	{ "people", &fu_followups, FU_RESPONSIBLE,
	  (const int[]){ FU_TITLE, FU_KIND, FU_PLANNED, FU_STATE, -1 }, "fu-person-followups",
	  M_FU_RESPONSIBLE_FOR, 0, "planned_on" },
	{ NULL, NULL, 0, NULL, NULL, 0, 0, NULL },
};

/* A system's page: its follow-ups (R-15-17). */
static const struct record_panel panels[] = {
	{ "systems", followup_system_panel },
	{ NULL, NULL },
};

/* The module's own review days. */
static const struct review_source reviews[] = {
	{ M_FU_REVIEW_FOLLOWUP, &fu_followups, 0, "/follow-ups/{id}",
	  "SELECT * FROM (SELECT id, title, planned_on, responsible_id FROM follow_up"
	  " WHERE $5 = 0 AND org_id = $1 AND archived = 0 AND state IN ('planned', 'ongoing')"
	  " AND planned_on >= $2 AND planned_on < $3 ORDER BY planned_on, id LIMIT $4) a"
	  " UNION ALL SELECT * FROM (SELECT id, title, planned_on, responsible_id FROM follow_up"
	  " WHERE $5 <> 0 AND org_id = $1 AND responsible_id = $5 AND archived = 0"
	  " AND state IN ('planned', 'ongoing') AND planned_on >= $2 AND planned_on < $3"
	  " ORDER BY planned_on, id LIMIT $4) b ORDER BY 3, 1 LIMIT $4" },
	{ M_FU_REVIEW_GOAL, &fu_goals, 0, "/annual-goals/{id}",
	  "SELECT * FROM (SELECT id, title, follow_up_on, responsible_id FROM annual_goal"
	  " WHERE $5 = 0 AND org_id = $1 AND archived = 0 AND state IN ('proposed', 'decided')"
	  " AND follow_up_on >= $2 AND follow_up_on < $3 ORDER BY follow_up_on, id LIMIT $4) a"
	  " UNION ALL SELECT * FROM (SELECT id, title, follow_up_on, responsible_id FROM annual_goal"
	  " WHERE $5 <> 0 AND org_id = $1 AND responsible_id = $5 AND archived = 0"
	  " AND state IN ('proposed', 'decided') AND follow_up_on >= $2 AND follow_up_on < $3"
	  " ORDER BY follow_up_on, id LIMIT $4) b ORDER BY 3, 1 LIMIT $4" },
	{ 0, NULL, 0, NULL, NULL },
};

static const struct search_source search[] = {
	{ &fu_followups },
	{ NULL },
};

static const struct job jobs[] = {
	{ "follow-up-reminders", 86400, M_FU_JOB_REMINDERS, followup_reminders_run },
	{ NULL, 0, 0, NULL },
};

/* Foreign keys first. */
static const char *const tables[] = {
	"follow_up", "annual_goal", "follow_up_finding", "annual_goal_activity", "it_need", NULL,
};

static const struct audit_label audit_labels[] = {
	{ "complete", M_FU_ACT_COMPLETE },
	{ "to-action", M_FU_ACT_TO_ACTION },
	{ "met", M_FU_ACT_MET },
	{ "partly", M_FU_ACT_PARTLY },
	{ "not-met", M_FU_ACT_NOT_MET },
	{ NULL, 0 },
};

const struct module followup_module = {
	.name = "followup",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.related = related,
	.search = search,
	.audit_labels = audit_labels,
	.tables = tables,
	.demo = followup_demo,
	.jobs = jobs,
	.panels = panels,
	.follow_up = followup_overview,
	.reviews = reviews,
	.report = followup_report,
};
