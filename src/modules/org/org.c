/* org.c - declarations and rules of the organisation register (org.h). */
#include "base/base.h"

#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "core/ctx.h"
#include "core/i18n.h"

const struct choice org_kinds[] = {
	{ "kommun", M_ORGKIND_KOMMUN },
	{ "kommunalforbund", M_ORGKIND_FORBUND },
	{ "bolag", M_ORGKIND_BOLAG },
	{ "raddningstjanst", M_ORGKIND_RADDNING },
	{ NULL, 0 },
};

static const struct choice unit_kinds[] = {
	{ "namnd", M_UNITKIND_NAMND },
	{ "forvaltning", M_UNITKIND_FORVALTNING },
	{ "avdelning", M_UNITKIND_AVDELNING },
	{ "enhet", M_UNITKIND_ENHET },
	{ NULL, 0 },
};

static const struct choice employment_states[] = {
	{ "active", M_EMPLOYMENT_ACTIVE },
	{ "leave", M_EMPLOYMENT_LEAVE },
	{ "ended", M_EMPLOYMENT_ENDED },
	{ NULL, 0 },
};

static const struct choice role_choices[] = {
	{ "samordnare", M_ROLE_COORDINATOR },
	{ "ledning", M_ROLE_MANAGEMENT },
	{ "systemagare", M_ROLE_SYSTEM_OWNER },
	{ "informationsagare", M_ROLE_INFO_OWNER },
	{ "systemforvaltare", M_ROLE_SYSTEM_MANAGER },
	{ "systemadministrator", M_ROLE_SYSTEM_ADMIN },
	{ "it_chef", M_ROLE_IT_MANAGER },
	{ "dataskyddsombud", M_ROLE_DPO },
	{ "anvandare", M_ROLE_USER },
	{ "administrator", M_ROLE_ADMIN },
	{ NULL, 0 },
};

/* ---- units ---- */

static const char sql_unit_parent[] =
	"SELECT parent_id FROM unit WHERE org_id = $1 AND id = $2";

/* A unit may not become its own ancestor. */
static void unit_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	int64_t cur, self = rec->id;
	struct db_error err;

	if (!rec->v[UNIT_PARENT] || !self || parse_i64(rec->v[UNIT_PARENT], &cur) != 0)
		return;
	for (int depth = 0; cur && depth < 64; depth++) {
		struct db_rows rows;
		if (cur == self) {
			field_error_add(errs, UNIT_PARENT, M_V_UNIT_CYCLE, "cycle");
			return;
		}
		if (db_exec(cx->db, cx->a, sql_unit_parent,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(cur)), &rows, &err) != 0 ||
		    rows.nrows == 0)
			return;
		cur = db_cell_i64(&rows, 0, 0);
	}
}

static const struct entity_field unit_fields[] = {
	[UNIT_NAME] = { "name", M_F_NAME, 0, F_TEXT, 1, 200,
			FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL },
	[UNIT_KIND] = { "kind", M_F_UNIT_KIND, 0, F_ENUM, 0, 0,
			FF_REQUIRED | FF_LIST | FF_FILTER, unit_kinds, NULL },
	[UNIT_PARENT] = { "parent_id", M_F_PARENT_UNIT, M_H_PARENT_UNIT, F_REF, 0, 0,
			  FF_LIST | FF_FILTER, NULL, &org_units },
	[UNIT_CODE] = { "code", M_F_UNIT_CODE, M_H_UNIT_CODE, F_TEXT, 0, 40,
			FF_LIST | FF_SEARCH | FF_UNIQUE | FF_SORT, NULL, NULL },
	[UNIT_DESCRIPTION] = { "description", M_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			       FF_SEARCH, NULL, NULL },
	{ NULL },
};

struct entity org_units = {
	.name = "units",
	.table = "unit",
	.label_one = M_UNIT,
	.label_many = M_UNITS,
	.label_new = M_UNIT_NEW,
	.intro = M_UNITS_INTRO,
	.fields = unit_fields,
	.title_field = UNIT_NAME,
	.roles_read = ROLES_ANY,
	.roles_write = ROLES_REGISTER_ADMIN,
	.validate = unit_validate,
};

/* ---- people ---- */

/* Need to know a protected identity: the organisation's administrators
 * and the person themself. */
static int person_need_to_know(struct ctx *cx, const struct entity *e, int64_t id)
{
	if (!cx->org)
		return 0;
	return (cx->org->roles & RB(ROLE_ADMIN)) || (id && cx->org->person_id == id);
}

static const struct entity_field person_fields[] = {
	[PERSON_NAME] = { "name", M_F_NAME, 0, F_TEXT, 1, 200,
			  FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT | FF_PRIVATE, NULL, NULL },
	[PERSON_EMAIL] = { "email", M_F_EMAIL, 0, F_EMAIL, 0, 254,
			   FF_LIST | FF_SEARCH | FF_PRIVATE, NULL, NULL },
	[PERSON_PHONE] = { "phone", M_F_PHONE, 0, F_TEXT, 0, 40, FF_PRIVATE, NULL, NULL },
	[PERSON_TITLE] = { "title", M_F_TITLE, 0, F_TEXT, 0, 200,
			   FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL },
	[PERSON_UNIT] = { "unit_id", M_F_UNIT, 0, F_REF, 0, 0,
			  FF_LIST | FF_FILTER, NULL, &org_units },
	[PERSON_EMPLOYMENT] = { "employment", M_F_EMPLOYMENT, 0, F_ENUM, 0, 0,
				FF_REQUIRED | FF_LIST | FF_FILTER, employment_states, NULL },
	[PERSON_PROTECTED] = { "protected_identity", M_F_PROTECTED, M_H_PROTECTED, F_BOOL,
			       0, 0, FF_FILTER, NULL, NULL },
	{ NULL },
};

struct entity org_people = {
	.name = "people",
	.table = "person",
	.label_one = M_PERSON,
	.label_many = M_PEOPLE,
	.label_new = M_PERSON_NEW,
	.intro = M_PEOPLE_INTRO,
	.fields = person_fields,
	.title_field = PERSON_NAME,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_REGISTER_ADMIN,
	.private_flag = "protected_identity",
	.need_to_know = person_need_to_know,
	.show_extra = org_person_extra,
};

/* ---- role assignments ---- */

/* Only an administrator may hand out the administrator role, so that no one
 * can raise their own privileges. */
static void role_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	int admin = cx->org && (cx->org->roles & RB(ROLE_ADMIN));
	const char *r = rec->v[ROLEA_ROLE];
	const char *was = old ? old->v[ROLEA_ROLE] : NULL;

	if (admin)
		return;
	if ((r && strcmp(r, "administrator") == 0) ||
	    (was && strcmp(was, "administrator") == 0))
		field_error_add(errs, ROLEA_ROLE, M_V_ADMIN_ROLE_ONLY, "forbidden");
}

static const struct entity_field role_fields[] = {
	[ROLEA_PERSON] = { "person_id", M_F_PERSON, 0, F_REF, 0, 0,
			   FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &org_people },
	[ROLEA_ROLE] = { "role", M_F_ROLE, 0, F_ENUM, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_FILTER | FF_SORT, role_choices, NULL },
	[ROLEA_UNIT] = { "unit_id", M_F_ROLE_UNIT, M_H_ROLE_UNIT, F_REF, 0, 0,
			 FF_LIST | FF_FILTER, NULL, &org_units },
	[ROLEA_NOTE] = { "note", M_F_NOTE, 0, F_TEXT, 0, 500, FF_SEARCH, NULL, NULL },
	{ NULL },
};

struct entity org_roles = {
	.name = "roles",
	.table = "role_assignment",
	.label_one = M_ROLE_ASSIGNMENT,
	.label_many = M_ROLE_ASSIGNMENTS,
	.label_new = M_ROLE_ASSIGNMENT_NEW,
	.intro = M_ROLES_INTRO,
	.fields = role_fields,
	.title_field = ROLEA_PERSON,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_REGISTER_ADMIN,
	.validate = role_validate,
};
