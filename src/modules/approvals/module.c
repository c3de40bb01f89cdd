/* module.c - the operational approval as a module (core/module.h; the
 * rules in approvals.h). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/approvals/approvals.h"
#include "modules/systems/systems.h"
#include "web/router.h"

extern const struct route approval_routes[]; /* pages.c */
extern const struct follow_up_section approvals_follow_up[]; /* overview_section.c */
extern const struct report_section approvals_report[]; /* report_section.c */

static const struct entity *const entities[] = {
	&dg_approvals, &dg_conditions, NULL,
};

static const struct route *const routes[] = {
	approval_routes, NULL,
};

static const struct menu_item menu[] = {
	{ M_DG_MENU, "/approvals", ROLES_STAFF, 34 },
	{ 0, NULL, 0, 0 },
};

/* Each bounded by LIMIT $4 and answered by an index: the owner's
 * proposals (approval_owner_state), the owner's systems in
 * approval_system (approval_system_owner), the organisation's missing
 * and marked ones (approval_system_missing, approval_system_review).  The
 * lists behind them (pages.c) ask the same. */
static const struct waiting_item waiting[] = {
	{ 0, M_DG_WAIT_DECIDE, "/operational-approvals?state=proposed&owner_id={person}",
	  "SELECT id FROM approval WHERE org_id = $1 AND owner_id = $2 AND state = 'proposed'"
	  " AND archived = 0 LIMIT $4", WAIT_MINE, M_DG_WAIT_DECIDE_ONE },
	{ 0, M_DG_WAIT_MY_REVIEW, "/approvals?show=review&owner={person}",
	  "SELECT system_id FROM approval_system WHERE org_id = $1 AND owner_id = $2"
	  " AND review = 1 LIMIT $4", WAIT_MINE, M_DG_WAIT_MY_REVIEW_ONE },
	{ 0, M_DG_WAIT_MY_MISSING, "/approvals?show=missing&owner={person}",
	  "SELECT system_id FROM approval_system WHERE org_id = $1 AND owner_id = $2"
	  " AND in_operation = 1 AND valid = 0 LIMIT $4", WAIT_MINE, M_DG_WAIT_MY_MISSING_ONE },
	/* R-6-15: warned before a deadline passes (approval_condition_deadline,
	 * then the approval by key) */
	{ 0, M_DG_WAIT_MY_SOON, "/approvals?show=conditions-soon&owner={person}",
	  "SELECT c.id FROM approval_condition c JOIN approval a ON a.id = c.approval_id"
	  " AND a.state = 'decided' AND a.owner_id = $2"
	  " LEFT JOIN activity x ON x.id = c.activity_id"
	  " WHERE c.org_id = $1 AND c.archived = 0 AND c.overdue = 0"
	  " AND c.deadline >= $3 AND c.deadline <= $6 AND (x.id IS NULL OR x.status <> 'done')"
	  " LIMIT $4", WAIT_MINE, M_DG_WAIT_MY_SOON_ONE },
	{ ROLES_APPROVAL_PREPARE, M_DG_WAIT_OVERDUE, "/approvals?show=conditions-overdue",
	  "SELECT c.id FROM approval_condition c JOIN approval a ON a.id = c.approval_id"
	  " AND a.state = 'decided' AND a.archived = 0"
	  " WHERE c.org_id = $1 AND c.archived = 0 AND c.overdue = 1 LIMIT $4", WAIT_ORG,
	  M_DG_WAIT_OVERDUE_ONE },
	{ ROLES_APPROVAL_PREPARE, M_DG_WAIT_MISSING, "/approvals?show=missing",
	  "SELECT system_id FROM approval_system WHERE org_id = $1 AND in_operation = 1"
	  " AND valid = 0 LIMIT $4", WAIT_ORG, M_DG_WAIT_MISSING_ONE },
	{ ROLES_APPROVAL_PREPARE, M_DG_WAIT_REVIEW, "/approvals?show=review",
	  "SELECT system_id FROM approval_system WHERE org_id = $1 AND review = 1 LIMIT $4",
	  WAIT_ORG, M_DG_WAIT_REVIEW_ONE },
	{ 0, 0, NULL, NULL, 0, 0 },
};

static const struct search_source search[] = {
	{ &dg_approvals },
	{ NULL },
};

static const struct job jobs[] = {
	{ "approval-review", 86400, M_DG_JOB, approval_daily_run },
	{ NULL, 0, 0, NULL },
};

static const struct audit_label audit_labels[] = {
	{ "review", M_DG_ACT_REVIEW },
	{ "supersede", M_DG_ACT_SUPERSEDE },
	{ NULL, 0 },
};

/* Foreign keys first: approvals, then their conditions. */
static const char *const tables[] = {
	"approval", "approval_condition", NULL,
};

/* Kept by triggers from it_system, approval and approval_condition
 * (migration 0015). */
static const char *const derived_tables[] = {
	"approval_system", "approval_stat", NULL,
};

/* A rise in the system's classification marks its approval for review. */
static const struct module_listener listeners[] = {
	{ SYSTEM_CHANGED, approval_system_changed },
	{ NULL, NULL },
};

static const struct record_panel panels[] = {
	{ "systems", approvals_system_panel },
	{ NULL, NULL },
};

extern const struct review_source approvals_reviews[]; /* reviews.c */

const struct module approvals_module = {
	.name = "approvals",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.search = search,
	.audit_labels = audit_labels,
	.tables = tables,
	.demo = approvals_demo,
	.jobs = jobs,
	.documents = approvals_documents,
	.derived_tables = derived_tables,
	.listeners = listeners,
	.panels = panels,
	.follow_up = approvals_follow_up,
	.reviews = approvals_reviews,
	.report = approvals_report,
};
