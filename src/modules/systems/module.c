/* module.c - the system register as a module (core/module.h). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/systems/interchange.h"
#include "modules/systems/reminders.h"
#include "modules/systems/systems.h"
#include "web/router.h"

extern const struct route system_page_routes[];  /* system_pages.c */
extern const struct route classify_routes[];     /* classify.c */
extern const struct route interchange_routes[];  /* interchange.c: KLASSA, Excel */
extern const struct follow_up_section systems_follow_up[]; /* follow_up.c */
extern const struct report_section systems_report[]; /* report_section.c */

static const struct entity *const entities[] = {
	&sys_systems, &sys_infosets, &sys_classifications, &sys_handles,
	&sys_people, &sys_dependencies, &sys_scales, NULL,
};

static const struct route *const routes[] = {
	system_page_routes, classify_routes, interchange_routes, NULL,
};

static const struct menu_item menu[] = {
	{ M_MENU_SYSTEMS, "/systems", ROLES_STAFF, 20 },
	{ M_MENU_INFORMATION, "/information", ROLES_STAFF, 21 },
	{ 0, NULL, 0, 0 },
};

/* Each query is bounded by LIMIT $4 and served by an index on what it asks
 * (migrations 0002, 0004, 0005 and 0007); each links to a list filtered to
 * exactly the records it counts (module.h). */
#define ROLES_UNIT_SYSTEMS (RB(ROLE_SYSTEM_OWNER) | RB(ROLE_SYSTEM_MANAGER) | RB(ROLE_IT_MANAGER))
static const struct waiting_item waiting[] = {
	/* the person's own systems and information: whoever is named owner,
	 * whatever their roles (a system's owner need not hold the role) */
	{ 0, M_WAIT_MY_SYSTEMS_REVIEW, "/systems?needs_review=1&owner_id={person}",
	  "SELECT id FROM it_system WHERE org_id = $1 AND owner_id = $2"
	  " AND archived = 0 AND needs_review = 1 LIMIT $4", WAIT_MINE, M_WAIT_MY_SYSTEMS_REVIEW_ONE },
	{ 0, M_WAIT_MY_INFO_NOT_CLASSIFIED,
	  "/information-review?show=unclassified&owner_id={person}",
	  "SELECT id FROM information_set WHERE org_id = $1 AND owner_id = $2"
	  " AND archived = 0 AND classified_on IS NULL LIMIT $4", WAIT_MINE,
	  M_WAIT_MY_INFO_NOT_CLASSIFIED_ONE },
	{ 0, M_WAIT_MY_INFO_OVERDUE, "/information-review?show=overdue&owner_id={person}",
	  "SELECT id FROM information_set WHERE org_id = $1 AND owner_id = $2"
	  " AND archived = 0 AND review_on < $3 LIMIT $4", WAIT_MINE, M_WAIT_MY_INFO_OVERDUE_ONE },
	{ 0, M_WAIT_MY_INFO_SOON, "/information-review?show=soon&owner_id={person}",
	  "SELECT id FROM information_set WHERE org_id = $1 AND owner_id = $2"
	  " AND archived = 0 AND review_on >= $3 AND review_on <= $6 LIMIT $4", WAIT_MINE,
	  M_WAIT_MY_INFO_SOON_ONE },
	/* what the review reminders (reminders.c) tell a system's owner: the
	 * information their live systems hold, due within 30 days or past */
	{ 0, M_WAIT_MY_SYSTEMS_INFO_DUE,
	  "/information-review?show=due&system_owner_id={person}",
	  "SELECT DISTINCT i.id FROM it_system s"
	  " JOIN system_information l ON l.org_id = s.org_id AND l.system_id = s.id"
	  "  AND l.archived = 0"
	  " JOIN information_set i ON i.id = l.infoset_id AND i.archived = 0"
	  "  AND i.review_on <= $6"
	  " WHERE s.owner_id = $2 AND s.org_id = $1 AND s.archived = 0 LIMIT $4", WAIT_MINE, M_WAIT_MY_SYSTEMS_INFO_DUE_ONE },
	/* the units of those who hold a role for a unit */
	{ ROLES_UNIT_SYSTEMS, M_WAIT_UNIT_SYSTEMS_REVIEW, "/systems?needs_review=1&unit_id={unit}",
	  "SELECT id FROM it_system WHERE org_id = $1 AND unit_id = $5"
	  " AND archived = 0 AND needs_review = 1 LIMIT $4", WAIT_UNIT, M_WAIT_UNIT_SYSTEMS_REVIEW_ONE },
	{ RB(ROLE_INFO_OWNER), M_WAIT_UNIT_INFO_NOT_CLASSIFIED,
	  "/information-review?show=unclassified&unit_id={unit}",
	  "SELECT id FROM information_set WHERE org_id = $1 AND unit_id = $5"
	  " AND archived = 0 AND classified_on IS NULL LIMIT $4", WAIT_UNIT,
	  M_WAIT_UNIT_INFO_NOT_CLASSIFIED_ONE },
	/* the whole organisation's, for those who run the register */
	{ ROLES_REGISTER_ADMIN, M_WAIT_LEVEL4, "/outside-baseline",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0"
	  " AND (level_k >= 4 OR level_r >= 4 OR level_t >= 4 OR level_s >= 4)"
	  " LIMIT $4", WAIT_ORG, M_WAIT_LEVEL4_ONE },
	{ ROLES_REGISTER_ADMIN, M_WAIT_SYSTEMS_REVIEW, "/systems?needs_review=1",
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0"
	  " AND needs_review = 1 LIMIT $4", WAIT_ORG, M_WAIT_SYSTEMS_REVIEW_ONE },
	{ ROLES_REGISTER_ADMIN, M_WAIT_NOT_CLASSIFIED, "/information-review?show=unclassified",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0"
	  " AND classified_on IS NULL LIMIT $4", WAIT_ORG, M_WAIT_NOT_CLASSIFIED_ONE },
	{ ROLES_REGISTER_ADMIN, M_WAIT_INFO_OVERDUE, "/information-review?show=overdue",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0"
	  " AND review_on < $3 LIMIT $4", WAIT_ORG, M_WAIT_INFO_OVERDUE_ONE },
	{ ROLES_REGISTER_ADMIN, M_WAIT_INFO_SOON, "/information-review?show=soon",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0"
	  " AND review_on >= $3 AND review_on <= $6 LIMIT $4", WAIT_ORG, M_WAIT_INFO_SOON_ONE },
	{ ROLES_REGISTER_ADMIN, M_WAIT_SYSTEMS_ROLES_MISSING, "/systems?roles_missing=1",
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0"
	  " AND roles_missing = 1 LIMIT $4", WAIT_ORG, M_WAIT_SYSTEMS_ROLES_MISSING_ONE },
	{ ROLES_REGISTER_ADMIN, M_WAIT_SYSTEMS_NO_OWNER, "/systems?owner_id=none",
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0"
	  " AND owner_id IS NULL LIMIT $4", WAIT_ORG, M_WAIT_SYSTEMS_NO_OWNER_ONE },
	{ 0, 0, NULL, NULL, 0 },
};

static const struct waiting_item overview[] = {
	{ ROLES_STAFF, M_MENU_SYSTEMS, "/systems",
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ ROLES_STAFF, M_MENU_INFORMATION, "/information",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ 0, 0, NULL, NULL, 0 },
};

/* Sections on the organisation's pages: a unit's systems and information,
 * what a person owns and their part in systems (org_pages.c shows them). */
static const int sys_cols[] = { SYS_NAME, SYS_OWNER, SYS_LIFECYCLE, -1 };
static const int sys_unit_cols[] = { SYS_NAME, SYS_UNIT, SYS_LIFECYCLE, -1 };
static const int inf_cols[] = { INF_NAME, INF_OWNER, -1 };
static const int inf_owner_cols[] = { INF_NAME, INF_TYPE, -1 };
static const int spr_cols[] = { SPR_SYSTEM, SPR_ROLE, -1 };

static const struct related_list related[] = {
	{ "units", &sys_systems, SYS_UNIT, sys_cols, "u-systems", M_REL_UNIT_SYSTEMS,
	  M_REL_UNIT_NO_SYSTEMS, NULL },
	{ "units", &sys_infosets, INF_UNIT, inf_cols, "u-information", M_REL_UNIT_INFOSETS,
	  M_REL_UNIT_NO_INFOSETS, NULL },
	{ "people", &sys_systems, SYS_OWNER, sys_unit_cols, "p-systems", M_REL_PERSON_SYSTEMS,
	  0, NULL },
	{ "people", &sys_systems, SYS_BUSINESS_OWNER, sys_unit_cols, "p-business-systems",
	  M_REL_PERSON_BUSINESS_SYSTEMS, 0, NULL },
	{ "people", &sys_people, SPR_PERSON, spr_cols, "p-system-roles",
	  M_REL_PERSON_SYSTEM_ROLES, 0, NULL },
	{ "people", &sys_infosets, INF_OWNER, inf_owner_cols, "p-information",
	  M_REL_PERSON_INFOSETS, 0, NULL },
	{ NULL, NULL, 0, NULL, NULL, 0, 0, NULL },
};

/* "Kom igång" after the organisation's units and people: systems,
 * information, classification, review.  Each asks whether one row exists
 * (LIMIT $4 on an index). */
static const struct guide_step guide[] = {
	{ M_GUIDE_SYSTEMS, M_GUIDE_SYSTEMS_TEXT, M_GUIDE_SYSTEMS_N, "/systems/new",
	  M_GUIDE_SYSTEMS_NEW, "/systems/import", M_GUIDE_SYSTEMS_IMPORT,
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ M_GUIDE_INFOSETS, M_GUIDE_INFOSETS_TEXT, M_GUIDE_INFOSETS_N, "/information/new",
	  M_GUIDE_INFOSETS_NEW, "/information/import", M_GUIDE_INFOSETS_IMPORT,
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ M_GUIDE_CLASSIFY, M_GUIDE_CLASSIFY_TEXT, M_GUIDE_CLASSIFY_N,
	  "/information-review?show=unclassified", M_GUIDE_CLASSIFY_LINK, NULL, 0,
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0"
	  " AND classified_on IS NOT NULL LIMIT $4", 0 },
	{ M_GUIDE_REVIEW, M_GUIDE_REVIEW_TEXT, M_GUIDE_REVIEW_N, "/systems?needs_review=1",
	  M_GUIDE_REVIEW_LINK, NULL, 0,
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0"
	  " AND needs_review = 1 LIMIT $4", 1 },
	{ 0, 0, 0, NULL, 0, NULL, 0, NULL, 0 },
};

static const struct search_source search[] = {
	{ &sys_systems }, { &sys_infosets }, { NULL },
};

/* ---- the KLASSA interchange for `varn import|export --register klassa` ---- */

static struct import_run *klassa_run_import(struct ctx *cx, const char *text, size_t len,
					    void (*progress)(void *, size_t, size_t),
					    void *arg)
{
	struct klassa_run *run = arena_alloc(cx->a, sizeof(*run));

	memset(run, 0, sizeof(*run));
	klassa_import_run(cx, text, len, progress, arg, run);
	return &run->base;
}

static struct import_run *klassa_stream_import(struct ctx *cx, struct csv_reader *r,
					       void (*progress)(void *, size_t, size_t),
					       void *arg)
{
	struct klassa_run *run = arena_alloc(cx->a, sizeof(*run));

	klassa_import_stream(cx, r, 0, progress, arg, run);
	return &run->base;
}

static struct klassa_run *klassa_of(const struct import_run *base)
{
	/* base is the first member of the klassa_run made above */
	return (struct klassa_run *)(void *)base;
}

static int klassa_commit(struct ctx *cx, struct import_run *base, struct db_error *err)
{
	return klassa_import_commit(cx, klassa_of(base), err);
}

static const char *klassa_summary(struct ctx *cx, const struct import_run *base)
{
	const struct klassa_run *run = klassa_of(base);

	return arena_printf(cx->a, "%zu lines: %zu new classifications, %zu new links,"
			    " %zu lines unchanged", base->rows, run->classified,
			    run->linked, run->unchanged);
}

static const struct interchange interchange[] = {
	{ "klassa", "KLASSA", "a KLASSA file (System; Informationsmängd; K; R; T; S; Datum)",
	  klassa_export, klassa_run_import, klassa_commit, klassa_summary,
	  klassa_stream_import },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static const struct audit_label audit_labels[] = {
	{ "derive", M_ACT_DERIVE },
	{ "reviewed", M_ACT_REVIEWED },
	{ NULL, 0 },
};

/* Foreign keys first: a scale before classifications, systems and sets
 * before what links them. */
static const char *const tables[] = {
	"classification_scale", "it_system", "information_set", "classification",
	"system_information", "system_person", "system_dependency", "review_reminder",
	NULL,
};

/* The review reminders (reminders.c): the owners daily, only when
 * something new is due; the coordinators weekly. */
static const struct job jobs[] = {
	{ "review-reminders", 86400, M_JOB_REVIEW_REMINDERS, review_reminders_run },
	{ "review-summary", 604800, M_JOB_REVIEW_SUMMARY, review_summary_run },
	{ NULL, 0, 0, NULL },
};

extern const struct overview_chart systems_charts[]; /* charts.c */
extern const struct document systems_documents[];   /* documents.c */

/* Kept by triggers from it_system (migrations 0011): the start page's
 * counts. */
static const char *const derived_tables[] = { "system_stat", NULL };

extern const struct review_source systems_reviews[]; /* reviews.c */

const struct module systems_module = {
	.name = "systems",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.overview = overview,
	.related = related,
	.guide = guide,
	.search = search,
	.interchange = interchange,
	.audit_labels = audit_labels,
	.tables = tables,
	.demo = systems_demo,
	.demo_scale = systems_demo_scale,
	.charts = systems_charts,
	.documents = systems_documents,
	.derived_tables = derived_tables,
	.jobs = jobs,
	.follow_up = systems_follow_up,
	.reviews = systems_reviews,
	.report = systems_report,
};
