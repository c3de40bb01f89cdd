/* module.c - the organisation register as a module (core/module.h). */
#include "base/base.h"

#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/org/org.h"
#include "web/router.h"

extern const struct route org_routes[];  /* org_pages.c: settings, reset links */
extern const struct route account_routes[]; /* accounts_pages.c: accounts, tokens */

static const struct entity *const entities[] = {
	&org_units, &org_people, &org_roles, &org_bodies, &org_body_members, NULL,
};

static const struct route *const routes[] = { org_routes, account_routes, NULL };

static const struct menu_item menu[] = {
	{ M_MENU_UNITS, "/units", ROLES_ANY, 10 },
	{ M_MENU_PEOPLE, "/people", ROLES_STAFF, 11 },
	{ M_MENU_ROLES, "/roles", ROLES_STAFF, 12 },
	{ M_MENU_BODIES, "/bodies", ROLES_STAFF, 13 },
	{ M_MENU_DUTIES, "/role-duties", ROLES_ANY, 14 },
	{ M_MENU_SETTINGS, "/settings", RB(ROLE_ADMIN), 950 },
	{ M_MENU_TOKENS, "/tokens", RB(ROLE_ADMIN), 951 },
	{ 0, NULL, 0, 0 },
};

static const struct waiting_item waiting[] = {
	{ ROLES_REGISTER_ADMIN, M_WAIT_ENDED_WITH_ROLES, "/people?employment=ended",
	  "SELECT p.id FROM person p WHERE p.org_id = $1 AND p.archived = 0"
	  " AND p.employment = 'ended' AND EXISTS (SELECT 1 FROM role_assignment ra"
	  "  WHERE ra.person_id = p.id AND ra.archived = 0) LIMIT $4", WAIT_ORG, M_WAIT_ENDED_WITH_ROLES_ONE },
	/* the list of exactly those: a person who has left is listed too,
	 * to be given a unit or archived */
	{ ROLES_REGISTER_ADMIN, M_WAIT_PEOPLE_WITHOUT_UNIT, "/people?unit_id=none",
	  "SELECT id FROM person WHERE org_id = $1 AND archived = 0"
	  " AND unit_id IS NULL LIMIT $4", WAIT_ORG, M_WAIT_PEOPLE_WITHOUT_UNIT_ONE },
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

/* A unit's sub-units, people and the roles held for it. */
static const int unit_cols[] = { UNIT_NAME, UNIT_KIND, -1 };
static const int person_cols[] = { PERSON_NAME, PERSON_TITLE, PERSON_EMPLOYMENT, -1 };
static const int role_cols[] = { ROLEA_PERSON, ROLEA_ROLE, -1 };
static const int body_member_cols[] = { MEMBER_BODY, MEMBER_TASK, -1 };
static const int body_cols[] = { BODY_NAME, BODY_KIND, -1 };

static const struct related_list related[] = {
	{ "units", &org_units, UNIT_PARENT, unit_cols, "u-units", M_REL_SUBUNITS, 0, NULL },
	{ "units", &org_people, PERSON_UNIT, person_cols, "u-people", M_REL_UNIT_PEOPLE,
	  M_REL_UNIT_NO_PEOPLE, NULL },
	{ "units", &org_roles, ROLEA_UNIT, role_cols, "u-roles", M_REL_UNIT_ROLES, 0, "role" },
	{ "people", &org_body_members, MEMBER_PERSON, body_member_cols, "p-bodies",
	  M_REL_PERSON_BODIES, 0, NULL },
	{ "people", &org_bodies, BODY_CHAIR, body_cols, "p-chairs", M_REL_PERSON_CHAIRS, 0,
	  NULL },
	{ "units", &org_bodies, BODY_UNIT, body_cols, "u-bodies", M_REL_UNIT_BODIES, 0, NULL },
	{ NULL, NULL, 0, NULL, NULL, 0, 0, NULL },
};

/* "Kom igång" begins with the organisation: units, then people and their
 * roles (beyond the administrator and the coordinator who set it up). */
static const struct guide_step guide[] = {
	{ M_GUIDE_UNITS, M_GUIDE_UNITS_TEXT, M_GUIDE_UNITS_N, "/units/new", M_GUIDE_UNITS_NEW,
	  "/units/import", M_GUIDE_UNITS_IMPORT,
	  "SELECT id FROM unit WHERE org_id = $1 AND archived = 0 LIMIT $4", 0 },
	{ M_GUIDE_PEOPLE, M_GUIDE_PEOPLE_TEXT, M_GUIDE_PEOPLE_N, "/roles/new", M_GUIDE_ROLES_NEW,
	  "/people/import", M_GUIDE_PEOPLE_IMPORT,
	  "SELECT id FROM role_assignment WHERE org_id = $1 AND archived = 0"
	  " AND role NOT IN ('administrator', 'samordnare') LIMIT $4", 0 },
	{ 0, 0, 0, NULL, 0, NULL, 0, NULL, 0 },
};

/* The account life cycle's actions (accounts.c). */
static const struct audit_label audit_labels[] = {
	{ "account_disable", M_ACT_ACCOUNT_DISABLE },
	{ "account_enable", M_ACT_ACCOUNT_ENABLE },
	{ "totp_reset", M_ACT_TOTP_RESET },
	{ "sessions_end", M_ACT_SESSIONS_END },
	{ "account_left_org", M_ACT_ACCOUNT_LEFT_ORG },
	{ NULL, 0 },
};

static const char *const tables[] = { "org_body", "org_body_member", NULL };

const struct module org_module = {
	.name = "org",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.overview = overview,
	.related = related,
	.guide = guide,
	/* unit, person and role_assignment are the foundation's tables
	 * (db_tables[]): accounts and sessions depend on them */
	.tables = tables,
	.demo = org_demo,
	.demo_scale = org_demo_scale,
	.audit_labels = audit_labels,
};
