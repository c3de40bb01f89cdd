/* module.c - the system register as a module (core/module.h). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/systems/interchange.h"
#include "modules/systems/systems.h"
#include "web/router.h"

extern const struct route system_page_routes[];  /* system_pages.c */
extern const struct route classify_routes[];     /* classify.c */
extern const struct route interchange_routes[];  /* interchange.c: KLASSA, Excel */

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
 * (migrations 0002 and 0004). */
static const struct waiting_item waiting[] = {
	/* the person's own systems and information */
	{ RB(ROLE_SYSTEM_OWNER), M_WAIT_MY_SYSTEMS_REVIEW, "/systems?needs_review=1",
	  "SELECT id FROM it_system WHERE org_id = $1 AND owner_id = $2"
	  " AND archived = 0 AND needs_review = 1 LIMIT $4", 0 },
	{ 0, M_WAIT_MY_INFO_NOT_CLASSIFIED, "/information-review",
	  "SELECT id FROM information_set WHERE org_id = $1 AND owner_id = $2"
	  " AND archived = 0 AND classified_on IS NULL LIMIT $4", 0 },
	{ 0, M_WAIT_MY_INFO_OVERDUE, "/information-review",
	  "SELECT id FROM information_set WHERE org_id = $1 AND owner_id = $2"
	  " AND archived = 0 AND review_on < $3 LIMIT $4", 0 },
	/* the whole organisation's, for those who run the register */
	{ ROLES_REGISTER_ADMIN, M_WAIT_LEVEL4, "/outside-baseline",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0"
	  " AND (level_k >= 4 OR level_r >= 4 OR level_t >= 4 OR level_s >= 4)"
	  " LIMIT $4", 1 },
	{ ROLES_REGISTER_ADMIN, M_WAIT_SYSTEMS_REVIEW, "/systems?needs_review=1",
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0"
	  " AND needs_review = 1 LIMIT $4", 1 },
	{ ROLES_REGISTER_ADMIN, M_WAIT_NOT_CLASSIFIED, "/information-review",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0"
	  " AND classified_on IS NULL LIMIT $4", 1 },
	{ ROLES_REGISTER_ADMIN, M_WAIT_INFO_OVERDUE, "/information-review",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0"
	  " AND review_on < $3 LIMIT $4", 1 },
	{ ROLES_REGISTER_ADMIN, M_WAIT_SYSTEMS_NO_OWNER, "/systems",
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0"
	  " AND owner_id IS NULL LIMIT $4", 1 },
	{ 0, 0, NULL, NULL, 0 },
};

static const struct waiting_item overview[] = {
	{ ROLES_STAFF, M_MENU_SYSTEMS, "/systems",
	  "SELECT id FROM it_system WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ ROLES_STAFF, M_MENU_INFORMATION, "/information",
	  "SELECT id FROM information_set WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ 0, 0, NULL, NULL, 0 },
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
	  klassa_export, klassa_run_import, klassa_commit, klassa_summary },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
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
	"system_information", "system_person", "system_dependency", NULL,
};

const struct module systems_module = {
	.name = "systems",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.overview = overview,
	.search = search,
	.interchange = interchange,
	.audit_labels = audit_labels,
	.tables = tables,
	.demo = systems_demo,
};
