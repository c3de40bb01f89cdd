/* module.c - the organisation register as a module (core/module.h). */
#include "base/base.h"

#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/org/org.h"
#include "web/router.h"

extern const struct route org_routes[];  /* org_pages.c: settings, reset links */

static const struct entity *const entities[] = {
	&org_units, &org_people, &org_roles, NULL,
};

static const struct route *const routes[] = { org_routes, NULL };

static const struct menu_item menu[] = {
	{ M_MENU_UNITS, "/units", ROLES_ANY, 10 },
	{ M_MENU_PEOPLE, "/people", ROLES_STAFF, 11 },
	{ M_MENU_ROLES, "/roles", ROLES_STAFF, 12 },
	{ M_MENU_SETTINGS, "/settings", RB(ROLE_ADMIN), 950 },
	{ 0, NULL, 0, 0 },
};

static const struct waiting_item waiting[] = {
	{ ROLES_REGISTER_ADMIN, M_WAIT_ENDED_WITH_ROLES, "/people?employment=ended",
	  "SELECT p.id FROM person p WHERE p.org_id = $1 AND p.archived = 0"
	  " AND p.employment = 'ended' AND EXISTS (SELECT 1 FROM role_assignment ra"
	  "  WHERE ra.person_id = p.id AND ra.archived = 0) LIMIT $4", 1 },
	{ ROLES_REGISTER_ADMIN, M_WAIT_PEOPLE_WITHOUT_UNIT, "/people",
	  "SELECT id FROM person WHERE org_id = $1 AND archived = 0"
	  " AND unit_id IS NULL AND employment <> 'ended' LIMIT $4", 1 },
	{ 0, 0, NULL, NULL, 0 },
};

static const struct waiting_item overview[] = {
	{ ROLES_STAFF, M_MENU_UNITS, "/units",
	  "SELECT id FROM unit WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ ROLES_STAFF, M_MENU_PEOPLE, "/people",
	  "SELECT id FROM person WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ ROLES_STAFF, M_MENU_ROLES, "/roles",
	  "SELECT id FROM role_assignment WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ 0, 0, NULL, NULL, 0 },
};

const struct module org_module = {
	.name = "org",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.overview = overview,
	/* unit, person and role_assignment are the foundation's tables
	 * (db_tables[]): accounts and sessions depend on them */
};
