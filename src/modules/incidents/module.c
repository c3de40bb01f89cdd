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

static const struct route *const routes[] = {
	incident_page_routes, incident_action_routes, NULL,
};

static const struct entity *const entities[] = {
	&in_incidents, &in_incident_systems, &in_incident_infosets, &in_shares, &in_processes,
	&in_self_assessments, &in_reporting_rules, &in_obligations, NULL,
};

static const struct menu_item menu[] = {
	{ M_IN_MENU, "/incidents?sort=reported_at&desc=1", ROLES_STAFF, 40 },
	{ M_IN_PR_MENU, "/incident-processes", ROLES_INCIDENT_DESK, 41 },
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
	.waiting = waiting,
	.search = search,
	.tables = tables,
	.panels = panels,
	.jobs = jobs,
};
