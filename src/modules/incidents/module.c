/* module.c - incident handling as a module (core/module.h; the rules in
 * incidents.h). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/obligations.h"
#include "web/router.h"

extern const struct route incident_page_routes[];   /* pages.c */
extern const struct route incident_action_routes[]; /* actions_link.c */
extern const struct route incident_report_routes[];   /* report.c */
extern const struct route incident_mine_routes[];     /* my_reports.c */
extern const struct route incident_settings_routes[]; /* settings.c */
extern const struct route incident_intake_routes[];   /* intake.c */
extern const struct route incident_compilation_routes[]; /* compilation.c */
extern const struct route incident_breach_routes[];   /* breach_register.c */
extern const struct follow_up_section incident_follow_up[]; /* compilation.c */
extern const struct report_section incidents_report[]; /* report_section.c */
/* The compilation for management; the drafts of the reports to IMY and to
 * the CSIRT, laid out as their forms ask (an incident's, the desk's). */
static const struct document documents[] = {
	{ "incident-compilation", M_IC_DOC_TITLE, "incidenter-sammanstallning", ROLES_OVERVIEW, 0,
	  incident_compilation_build },
	{ "imy-breach-draft", M_IO_DOC_IMY_TITLE, "anmalan-imy", ROLES_INCIDENT_DESK, 1,
	  incident_draft_imy },
	{ "nis2-draft", M_IO_DOC_NIS2_TITLE, "rapport-csirt", ROLES_INCIDENT_DESK, 1,
	  incident_draft_nis2 },
	{ NULL, 0, NULL, 0, 0, NULL },
};
int incidents_demo(struct ctx *cx, struct buf *summary, struct db_error *err); /* demo.c */
struct demo_scale;
int incidents_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
			 struct db_error *err); /* demo_scale.c */

static const struct route *const routes[] = {
	incident_compilation_routes, incident_page_routes, incident_action_routes,
	incident_report_routes, incident_mine_routes, incident_settings_routes,
	incident_intake_routes, incident_breach_routes, NULL,
};

static const struct entity *const entities[] = {
	&in_incidents, &in_incident_systems, &in_incident_infosets, &in_shares, &in_processes,
	&in_self_assessments, &in_reporting_rules, &in_obligations, NULL,
};

/* Reachable from every page (R-8-02): the header's button and the menu */
static const struct menu_item header[] = {
	{ M_IR_MENU, "/report", ROLES_ANY, 10 },
	{ 0, NULL, 0, 0 },
};

static const struct menu_item menu[] = {
	{ M_IR_MENU, "/report", ROLES_ANY, 1 },
	{ M_IN_MENU, "/incidents?sort=reported_at&desc=1", ROLES_STAFF, 40 },
	{ M_IN_PR_MENU, "/incident-processes", ROLES_INCIDENT_DESK, 41 },
	{ M_IC_MENU, "/incidents/compilation", ROLES_OVERVIEW, 42 },
	{ M_IR_SET_MENU, "/incident-settings", ROLES_INCIDENT_DESK, 43 },
	{ 0, NULL, 0, 0 },
};

/* Each bounded by LIMIT $4 and answered by an index (incident_state,
 * incident_handler). */
static const struct waiting_item waiting[] = {
	{ ROLES_INCIDENT_DESK, M_IN_WAIT_NEW, "/incident-queue?state=reported",
	  "SELECT id FROM incident WHERE org_id = $1 AND state = 'reported' AND archived = 0"
	  " LIMIT $4", WAIT_ORG, M_IN_WAIT_NEW_ONE },
	{ ROLES_INCIDENT_DESK, M_IN_WAIT_UNASSESSED, "/incident-queue?state=received",
	  "SELECT id FROM incident WHERE org_id = $1 AND state = 'received' AND archived = 0"
	  " LIMIT $4", WAIT_ORG, M_IN_WAIT_UNASSESSED_ONE },
	{ 0, M_IN_WAIT_MINE, "/incidents?handler_id={person}",
	  "SELECT id FROM incident i WHERE i.org_id = $1 AND i.handler_id = $2"
	  " AND i.archived = 0 AND " INC_OPEN_SQL " LIMIT $4", WAIT_MINE, M_IN_WAIT_MINE_ONE },
	/* duties to the authorities not yet met (incident_obligation_due) */
	{ ROLES_INCIDENT_DESK, M_IO_WAIT_PENDING, "/incident-obligations?status=pending",
	  "SELECT id FROM incident_obligation WHERE org_id = $1 AND status = 'pending'"
	  " AND archived = 0 LIMIT $4", WAIT_ORG, M_IO_WAIT_PENDING_ONE },
	/* the reporter's own reports still handled (incident_reporter) */
	{ 0, M_IR_WAIT_MINE, "/my-reports",
	  "SELECT id FROM incident i WHERE i.org_id = $1 AND i.reporter_id = $2"
	  " AND i.archived = 0 AND " INC_OPEN_SQL " LIMIT $4", WAIT_MINE, M_IR_WAIT_MINE_ONE },
	{ 0, 0, NULL, NULL, 0, 0 },
};

static const struct search_source search[] = {
	{ &in_incidents },
	{ NULL },
};

/* Foreign keys first. */
static const char *const tables[] = {
	"incident_setting", "reporting_rule", "incident", "incident_event", "incident_system",
	"incident_infoset", "incident_activity", "incident_share", "incident_process",
	"incident_self_assessment", "incident_grant", "incident_status_link", "incident_obligation", NULL,
};

/* kept by migration 0020's triggers from incident */
static const char *const derived[] = { "incident_month_stat", NULL };

static const struct record_panel panels[] = {
	{ "systems", incidents_system_panel },
	{ "incidents", obligations_incident_panel },
	{ NULL, NULL },
};

static const struct job jobs[] = {
	{ "obligation-warnings", 300, M_IO_JOB_WARNINGS, obligation_warnings_run },
	{ NULL, 0, 0, NULL },
};

const struct module incidents_module = {
	.name = "incidents",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.header_actions = header,
	.waiting = waiting,
	.search = search,
	.tables = tables,
	.panels = panels,
	.derived_tables = derived,
	.follow_up = incident_follow_up,
	.report = incidents_report,
	.documents = documents,
	.demo = incidents_demo,
	.demo_scale = incidents_demo_scale,
	.jobs = jobs,
};
