/* module.c - the system security plan as a module (core/module.h; the
 * rules in secplans.h). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/secplans/secplans.h"
#include "modules/systems/systems.h"
#include "web/router.h"

extern const struct route secplan_routes[]; /* pages.c */

extern const struct follow_up_section secplans_follow_up[]; /* overview_section.c */

static const struct entity *const entities[] = { &sp_plans, NULL };

static const struct route *const routes[] = { secplan_routes, NULL };

static const struct menu_item menu[] = {
	{ M_SSP_MENU, "/security-plans", ROLES_STAFF, 26 },
	{ 0, NULL, 0, 0 },
};

/* Each bounded by LIMIT $4 and answered by an index: the owner's systems
 * first (it_system_owner: CROSS JOIN fixes the order on SQLite; a unary
 * plus or "|| ''" keeps a column out of the index choice, so the
 * organisation-wide indexes are not taken), then each one's plan
 * (security_plan_system) or need (secplan_need's key); the organisation's
 * by security_plan_review and security_plan_renew.  The lists behind them
 * (pages.c) ask the same. */
static const struct waiting_item waiting[] = {
	{ 0, M_SSP_WAIT_MY_DRAFT, "/security-plan-lists?show=draft&owner={person}",
	  "SELECT p.id FROM it_system s CROSS JOIN security_plan p"
	  " WHERE s.owner_id = $2 AND +s.org_id = $1 AND +s.archived = 0"
	  " AND p.org_id = s.org_id AND p.system_id = s.id AND +p.latest = 1 AND +p.archived = 0"
	  " AND p.state || '' = 'draft' LIMIT $4", WAIT_MINE,
	  M_SSP_WAIT_MY_DRAFT_ONE },
	{ 0, M_SSP_WAIT_MY_MISSING, "/security-plan-lists?show=missing&owner={person}",
	  "SELECT n.system_id FROM it_system s CROSS JOIN secplan_need n"
	  " WHERE s.owner_id = $2 AND +s.org_id = $1 AND +s.archived = 0"
	  " AND n.system_id = s.id AND n.needs_plan = 1 AND n.has_plan = 0 LIMIT $4", WAIT_MINE,
	  M_SSP_WAIT_MY_MISSING_ONE },
	{ 0, M_SSP_WAIT_MY_REVIEW, "/security-plan-lists?show=review&owner={person}",
	  "SELECT p.id FROM it_system s CROSS JOIN security_plan p"
	  " WHERE s.owner_id = $2 AND +s.org_id = $1 AND +s.archived = 0"
	  " AND p.org_id = s.org_id AND p.system_id = s.id AND +p.latest = 1 AND +p.archived = 0"
	  " AND p.state || '' = 'signed' AND (p.review_on <= $6 OR p.needs_new_version = 1) LIMIT $4",
	  WAIT_MINE,
	  M_SSP_WAIT_MY_REVIEW_ONE },
	{ ROLES_SECPLAN_KEEPER, M_SSP_WAIT_OVERDUE, "/security-plan-lists?show=overdue",
	  "SELECT id FROM security_plan WHERE org_id = $1 AND latest = 1 AND archived = 0"
	  " AND state = 'signed' AND review_on < $3 LIMIT $4", WAIT_ORG, M_SSP_WAIT_OVERDUE_ONE },
	{ ROLES_SECPLAN_KEEPER, M_SSP_WAIT_NEW_VERSION, "/security-plan-lists?show=new-version",
	  "SELECT id FROM security_plan WHERE org_id = $1 AND latest = 1 AND archived = 0"
	  " AND needs_new_version = 1 LIMIT $4", WAIT_ORG, M_SSP_WAIT_NEW_VERSION_ONE },
	{ ROLES_SECPLAN_KEEPER, M_SSP_WAIT_MISSING, "/security-plan-lists?show=missing",
	  "SELECT system_id FROM secplan_need WHERE org_id = $1 AND needs_plan = 1"
	  " AND has_plan = 0 LIMIT $4", WAIT_ORG, M_SSP_WAIT_MISSING_ONE },
	{ 0, 0, NULL, NULL, 0, 0 },
};

static const struct job jobs[] = {
	{ "security-plan-review", 86400, M_SSP_JOB_REVIEW, secplan_review_run },
	{ NULL, 0, 0, NULL },
};

static const char *const tables[] = { "security_plan", NULL };
/* Kept by triggers from it_system and security_plan (migration 0014). */
static const char *const derived_tables[] = { "secplan_need", NULL };

/* A system whose levels or unit changed: its signed plan needs a new
 * version. */
static const struct module_listener listeners[] = {
	{ SYSTEM_CHANGED, secplan_system_changed },
	{ NULL, NULL },
};

static const struct record_panel panels[] = {
	{ "systems", secplan_system_panel },
	{ NULL, NULL },
};

static const struct audit_label audit_labels[] = {
	{ "sign", M_SSP_AUDIT_SIGN },
	{ "reviewed", M_SSP_AUDIT_REVIEWED },
	{ "needs-new-version", M_SSP_AUDIT_NEEDS_NEW },
	{ NULL, 0 },
};

extern const struct review_source secplans_reviews[]; /* reviews.c */

const struct module secplans_module = {
	.name = "secplans",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.audit_labels = audit_labels,
	.tables = tables,
	.demo = secplans_demo,
	.jobs = jobs,
	.documents = secplans_documents,
	.derived_tables = derived_tables,
	.listeners = listeners,
	.panels = panels,
	.follow_up = secplans_follow_up,
	.reviews = secplans_reviews,
};
