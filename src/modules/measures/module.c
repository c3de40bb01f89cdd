/* module.c - security measures and the gap analysis as a module
 * (core/module.h; the rule in measures.h). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/measures/measures.h"
#include "modules/systems/systems.h"
#include "web/router.h"

extern const struct route gap_page_routes[];      /* gap_pages.c: the assessment pages */
extern const struct route gap_overview_routes[];  /* overview.c: the overviews */
extern const struct route catalogue_routes[];     /* catalogue_pages.c */
extern const struct follow_up_section measures_follow_up[]; /* follow_up.c */
extern const struct report_section measures_report[]; /* report_section.c */

static const struct entity *const entities[] = {
	&ms_catalogues, &ms_measures, &ms_assessments, NULL,
};

static const struct route *const routes[] = {
	gap_page_routes, gap_overview_routes, catalogue_routes, NULL,
};

static const struct menu_item menu[] = {
	{ M_MENU_GAP, "/gap", ROLES_STAFF, 30 },
	{ M_MENU_MEASURES, "/measures", ROLES_STAFF, 31 },
	{ 0, NULL, 0, 0 },
};

/* Each query is bounded by LIMIT $4 and drives from an index: a person's
 * systems by owner (it_system), then one key of gap_system_stat each. */
static const struct waiting_item waiting[] = {
	{ 0, M_WAIT_MY_GAP_NEW, "/gap/systems?show=new&owner_id={person}",
	  "SELECT s.id FROM it_system s JOIN gap_system_stat g ON g.org_id = s.org_id"
	  " AND g.system_id = s.id AND g.stat = 'new' AND g.n > 0"
	  " WHERE s.org_id = $1 AND s.owner_id = $2 AND s.archived = 0 LIMIT $4", WAIT_MINE,
	  M_WAIT_MY_GAP_NEW_ONE },
	{ 0, M_WAIT_MY_GAP_OPEN, "/gap/systems?show=not_assessed&owner_id={person}",
	  "SELECT s.id FROM it_system s JOIN gap_system_stat g ON g.org_id = s.org_id"
	  " AND g.system_id = s.id AND g.stat = 'not_assessed' AND g.n > 0"
	  " WHERE s.org_id = $1 AND s.owner_id = $2 AND s.archived = 0 LIMIT $4", WAIT_MINE,
	  M_WAIT_MY_GAP_OPEN_ONE },
	{ 0, M_WAIT_MY_GAP_CHANGED, "/gap/systems?show=changed&owner_id={person}",
	  "SELECT s.id FROM it_system s JOIN gap_system_stat g ON g.org_id = s.org_id"
	  " AND g.system_id = s.id AND g.stat = 'changed' AND g.n > 0"
	  " WHERE s.org_id = $1 AND s.owner_id = $2 AND s.archived = 0 LIMIT $4", WAIT_MINE,
	  M_WAIT_MY_GAP_CHANGED_ONE },
	/* the organisation's own measures, for those who keep them: read
	 * from the partial index of the organisation's rows (a few hundred);
	 * "|| ''" and the unary plus keep SQLite from the gap index (status first),
	 * which walks every system's unassessed rows to find them */
	{ ROLES_MEASURES_ADMIN, M_WAIT_ORG_GAP_OPEN, "/gap/organisation?show=not_assessed",
	  "SELECT id FROM measure_assessment WHERE org_id = $1 AND system_id IS NULL"
	  " AND effective_status || '' = 'not_assessed' AND required = 1 AND +archived = 0"
	  " LIMIT $4",
	  WAIT_ORG, M_WAIT_ORG_GAP_OPEN_ONE },
	{ ROLES_REGISTER_ADMIN, M_WAIT_GAP_NEW, "/gap/systems?show=new",
	  "SELECT system_id FROM gap_system_stat WHERE org_id = $1 AND stat = 'new' AND n > 0"
	  " AND system_id > 0 LIMIT $4", WAIT_ORG, M_WAIT_GAP_NEW_ONE },
	{ 0, 0, NULL, NULL, 0 },
};

/* "Kom igång" after the systems are classified: the catalogue, then the
 * first assessments (each asks whether one row exists, LIMIT $4). */
static const struct guide_step guide[] = {
	{ M_GUIDE_CATALOGUE, M_GUIDE_CATALOGUE_TEXT, M_GUIDE_CATALOGUE_N, "/measures/catalogue",
	  M_GUIDE_CATALOGUE_LINK, NULL, 0,
	  "SELECT id FROM measure_catalogue WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ M_GUIDE_ASSESS, M_GUIDE_ASSESS_TEXT, M_GUIDE_ASSESS_N, "/gap/systems",
	  M_GUIDE_ASSESS_LINK, NULL, 0,
	  "SELECT system_id FROM gap_system_stat WHERE org_id = $1 AND n > 0"
	  " AND stat IN ('met', 'partly', 'not_met', 'not_applicable', 'supplier') LIMIT $4", 0 },
	{ 0, 0, 0, NULL, 0, NULL, 0, NULL, 0 },
};

static const struct interchange interchange[] = {
	{ "measure-catalogue", "åtgärdskatalog",
	  "a catalogue of security measures (JSON, the form of Värn's catalogue)",
	  catalogue_export, catalogue_import_run, catalogue_import_commit,
	  catalogue_import_summary },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static const struct audit_label audit_labels[] = {
	{ "gap-sync", M_ACT_GAP_SYNC },
	{ "catalogue-load", M_ACT_CATALOGUE_LOAD },
	{ NULL, 0 },
};

/* Foreign keys first: catalogues, measures, then their assessments. */
static const char *const tables[] = {
	"measure_catalogue", "measure", "measure_assessment", "gap_snapshot", NULL,
};

/* Kept by triggers from measure_assessment (migration 0012), the last
 * from gap_area_stat (0031). */
static const char *const derived_tables[] = {
	"gap_system_stat", "gap_area_stat", "gap_measure_stat", "gap_org_area_stat", NULL,
};

/* A system whose levels, unit or life changed needs other measures. */
static const struct module_listener listeners[] = {
	{ SYSTEM_CHANGED, gap_sync_system },
	{ NULL, NULL },
};

static const struct record_panel panels[] = {
	{ "systems", measures_system_panel },
	{ NULL, NULL },
};

static const struct job jobs[] = {
	{ "gap-snapshot", 86400, M_GAP_JOB_SNAPSHOT, gap_snapshot_run },
	{ NULL, 0, 0, NULL },
};

const struct module measures_module = {
	.name = "measures",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.guide = guide,
	.interchange = interchange,
	.audit_labels = audit_labels,
	.tables = tables,
	.demo = measures_demo,
	.demo_scale = measures_demo_scale,
	.documents = measures_documents,
	.charts = measures_charts,
	.derived_tables = derived_tables,
	.listeners = listeners,
	.panels = panels,
	.follow_up = measures_follow_up,
	.report = measures_report,
	.jobs = jobs,
};
