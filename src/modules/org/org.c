/* org.c - declarations and rules of the organisation register (org.h). */
#include "base/base.h"

#include "core/roles.h"
#include "db/db.h"
#include "modules/org/accounts.h"
#include "modules/org/org.h"
#include "core/ctx.h"
#include "core/i18n.h"

const struct choice org_kinds[] = {
	{ "kommun", M_ORGKIND_KOMMUN },
	{ "kommunalforbund", M_ORGKIND_FORBUND },
	{ "bolag", M_ORGKIND_BOLAG },
	{ "raddningstjanst", M_ORGKIND_RADDNING },
	{ "it_organisation", M_ORGKIND_JOINT_IT },
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
	{ "kommunchef", M_ROLE_MUNICIPAL_CHIEF },
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
	.show_extra = org_unit_extra,
};

/* ---- administrators ---- */

static int is_admin_role(const char *code)
{
	return code && strcmp(code, "administrator") == 0;
}

/* Live administrator assignments of the organisation other than `except`
 * (a role assignment's id), held by live people. */
static const char sql_other_admins[] =
	"SELECT ra.id FROM role_assignment ra JOIN person p ON p.id = ra.person_id"
	" AND p.archived = 0 WHERE ra.org_id = $1 AND ra.archived = 0"
	" AND ra.role = 'administrator' AND ra.unit_id IS NULL"
	" AND ra.id <> $2 AND ra.person_id <> $3 LIMIT 1";

static int others_administer(struct ctx *cx, int64_t except_assignment,
			     int64_t except_person)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_other_admins,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(except_assignment),
			    DB_INT(except_person)), &rows, &err) != 0)
		return 0; /* fails closed: the change is refused */
	return rows.nrows > 0;
}

/* ---- people ---- */

/* Need to know a protected identity: the organisation's administrators
 * and the person themself. */
static int person_need_to_know(struct ctx *cx, const struct entity *e, int64_t id)
{
	if (!cx->org)
		return 0;
	return ctx_has_role(cx, RB(ROLE_ADMIN)) || (id && cx->org->person_id == id);
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

/* People who can own a system or information, offered first by the
 * owner pickers: a live role other than the plain user's, no protected
 * identity, employment not ended.  Ordered by id (parts.c looks them up). */
static const char sql_can_own[] =
	"SELECT DISTINCT p.id FROM person p JOIN role_assignment ra ON ra.person_id = p.id"
	" AND ra.org_id = p.org_id AND ra.archived = 0 AND ra.role <> 'anvandare'"
	" WHERE p.org_id = $1 AND p.archived = 0 AND p.protected_identity = 0"
	" AND p.employment <> 'ended' ORDER BY p.id LIMIT 5000";

static int person_ref_first(struct ctx *cx, const struct entity *e, int64_t **ids,
			    size_t *n, struct db_error *err)
{
	struct db_rows rows;

	*ids = NULL;
	*n = 0;
	if (!cx->org)
		return 0;
	if (db_exec(cx->db, cx->a, sql_can_own, DB_ARGS(DB_INT(cx->org->id)), &rows, err) != 0)
		return -1;
	*ids = arena_alloc(cx->a, (rows.nrows + 1) * sizeof(**ids));
	for (size_t i = 0; i < rows.nrows; i++)
		(*ids)[i] = db_cell_i64(&rows, i, 0);
	*n = rows.nrows;
	return 0;
}

/* ---- archiving a person ---- */

static const struct choice account_choices[] = {
	{ "unlink", M_ACCOUNT_UNLINK },
	{ NULL, 0 },
};

static const struct entity_field person_archive_params[] = {
	{ "account", M_F_ACCOUNT_DECISION, M_H_ACCOUNT_DECISION, F_ENUM, 0, 0, 0,
	  account_choices, NULL },
	{ NULL },
};

static const char sql_person_account[] =
	"SELECT user_id FROM person WHERE org_id = $1 AND id = $2 AND user_id IS NOT NULL";
static const char sql_person_admin[] =
	"SELECT id FROM role_assignment WHERE org_id = $1 AND person_id = $2"
	" AND archived = 0 AND role = 'administrator' LIMIT 1";
static const char sql_person_unlink[] =
	"UPDATE person SET user_id = NULL WHERE org_id = $1 AND id = $2";

static const char sql_person_roles[] =
	"SELECT role, unit_id FROM role_assignment WHERE org_id = $1 AND person_id = $2"
	" AND archived = 0";

/* Archiving or restoring a person ends or brings back every role they
 * hold: the actor must cover each (an organisation-wide role needs an
 * organisation-wide right, a unit's role a right for that unit), or a
 * coordinator for one unit could lock out the organisation's coordinator. */
static int covers_roles_of(struct ctx *cx, const struct entity *e, int64_t person,
			   struct field_errors *errs, struct db_error *err)
{
	struct db_rows rows;

	if (db_exec(cx->db, cx->a, sql_person_roles,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(person)), &rows, err))
		return -1;
	for (size_t i = 0; i < rows.nrows; i++) {
		int64_t unit = db_cell_i64(&rows, i, 1);
		int ok = unit > 0 ? ctx_has_role_for_unit(cx, e->roles_write, unit)
				  : ctx_has_role(cx, e->roles_write);
		if (!ok) {
			field_error_add(errs, -1, M_V_ROLES_BEYOND, "forbidden");
			return 0;
		}
	}
	return 0;
}

static int person_query(struct ctx *cx, const char *sql, int64_t id, int *found,
			struct db_error *err)
{
	struct db_rows rows;

	if (db_exec(cx->db, cx->a, sql, DB_ARGS(DB_INT(cx->org->id), DB_INT(id)), &rows, err))
		return -1;
	*found = rows.nrows > 0;
	return 0;
}

/* Archiving a person ends what their account may do in the organisation
 * (roles count only for live people): so someone who administers it is
 * archived only by an administrator, never the last one, and a person with
 * an account only once it is decided what happens to the account (it is
 * unlinked from the organisation; in others it stays as it is). */
static int person_archive_rule(struct ctx *cx, const struct entity *e,
			       const struct entity_transition *t, struct record *rec,
			       const struct record *old, const char *const *pv,
			       struct field_errors *errs, struct db_error *err)
{
	int account, admin;

	if (person_query(cx, sql_person_admin, rec->id, &admin, err) ||
	    person_query(cx, sql_person_account, rec->id, &account, err))
		return -1;
	if (admin && !ctx_has_role(cx, RB(ROLE_ADMIN))) {
		field_error_add(errs, -1, M_V_ADMIN_ROLE_ONLY, "forbidden");
		return 0;
	}
	if (admin && !others_administer(cx, 0, rec->id)) {
		field_error_add(errs, -1, M_V_LAST_ADMIN, "last_admin");
		return 0;
	}
	if (covers_roles_of(cx, e, rec->id, errs, err) != 0 || errs->n)
		return errs->n ? 0 : -1;
	if (account && !pv[0]) {
		field_error_add(errs, entity_param_error_index(e, t, "account"),
				M_V_ACCOUNT_DECISION, "required");
		return 0;
	}
	if (account) {
		struct db_rows rows;
		if (db_exec(cx->db, cx->a, sql_person_unlink,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id)), &rows, err))
			return -1;
	}
	return 0;
}

/* The archive page asks about the account only of a person with one. */
static int person_archive_asks(struct ctx *cx, const struct entity *e,
			       const struct record *rec, size_t i)
{
	struct db_error err;
	int account = 1;

	person_query(cx, sql_person_account, rec->id, &account, &err);
	return account;
}

/* Restoring a person brings their roles back: an administrator's only by an
 * administrator. */
static int person_restore_rule(struct ctx *cx, const struct entity *e,
			       const struct entity_transition *t, struct record *rec,
			       const struct record *old, const char *const *pv,
			       struct field_errors *errs, struct db_error *err)
{
	int admin;

	if (person_query(cx, sql_person_admin, rec->id, &admin, err))
		return -1;
	if (admin && !ctx_has_role(cx, RB(ROLE_ADMIN))) {
		field_error_add(errs, -1, M_V_ADMIN_ROLE_ONLY, "forbidden");
		return 0;
	}
	return covers_roles_of(cx, e, rec->id, errs, err);
}

/* A change of employment closes or opens the person's account in the
 * write's transaction (accounts.c: the leaver rule). */
static int person_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			      const struct record *old, struct db_error *err)
{
	(void)e;
	if (!old || rec->archived || old->archived)
		return 0;
	return account_employment_changed(cx, rec->id, old->v[PERSON_EMPLOYMENT],
					  rec->v[PERSON_EMPLOYMENT], err);
}

static const struct entity_transition person_transitions[] = {
	{ .name = "archive", .label = M_ARCHIVE, .help = M_PERSON_ARCHIVE_HELP,
	  .params = person_archive_params, .rule = person_archive_rule,
	  .asks = person_archive_asks },
	{ .name = "restore", .label = M_RESTORE, .rule = person_restore_rule },
	{ .name = NULL },
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
	.ref_first = person_ref_first,
	.ref_first_label = M_REF_CAN_OWN,
	.ref_rest_label = M_REF_OTHERS,
	.unit_field = "unit_id",
	.transitions = person_transitions,
	.after_write = person_after_write,
};

/* ---- role assignments ---- */

/* Only an administrator (of the whole organisation) may hand out, change,
 * archive or restore an administrator role, so that no one can raise their
 * own privileges or remove the administrators; and an organisation keeps
 * at least one administrator. */
static void role_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	const char *r = rec->v[ROLEA_ROLE];
	const char *was = old ? old->v[ROLEA_ROLE] : NULL;
	int was_live_admin = old && !old->archived && is_admin_role(was) && !old->v[ROLEA_UNIT];
	/* handing the assignment to someone else is its holder losing it */
	int stays_live_admin = !rec->archived && is_admin_role(r) && !rec->v[ROLEA_UNIT] &&
			       old && rec->v[ROLEA_PERSON] && old->v[ROLEA_PERSON] &&
			       strcmp(rec->v[ROLEA_PERSON], old->v[ROLEA_PERSON]) == 0;

	if (!ctx_has_role(cx, RB(ROLE_ADMIN)) && (is_admin_role(r) || is_admin_role(was))) {
		field_error_add(errs, ROLEA_ROLE, M_V_ADMIN_ROLE_ONLY, "forbidden");
		return;
	}
	if (was_live_admin && !stays_live_admin && !others_administer(cx, old->id, 0))
		field_error_add(errs, ROLEA_ROLE, M_V_LAST_ADMIN, "last_admin");
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
	.unit_field = "unit_id",
};

/* ---- bodies of the security work (seed 001 §1, seed 004 §3) ---- */

static const struct choice body_kinds[] = {
	{ "security_function", M_BODYKIND_SECURITY_FUNCTION },
	{ "management_group", M_BODYKIND_MANAGEMENT_GROUP },
	{ "it_preparation_group", M_BODYKIND_IT_PREPARATION },
	{ "other", M_BODYKIND_OTHER },
	{ NULL, 0 },
};

static const struct entity_field body_fields[] = {
	[BODY_NAME] = { "name", M_F_NAME, 0, F_TEXT, 1, 200,
			FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL },
	[BODY_KIND] = { "kind", M_F_BODY_KIND, 0, F_ENUM, 0, 0,
			FF_REQUIRED | FF_LIST | FF_FILTER, body_kinds, NULL },
	[BODY_UNIT] = { "unit_id", M_F_BODY_UNIT, M_H_BODY_UNIT, F_REF, 0, 0,
			FF_LIST | FF_FILTER, NULL, &org_units },
	[BODY_CHAIR] = { "chair_id", M_F_BODY_CHAIR, M_H_BODY_CHAIR, F_REF, 0, 0,
			 FF_LIST | FF_FILTER, NULL, &org_people },
	[BODY_REPORTS_TO_TOP] = { "reports_to_top", M_F_REPORTS_TO_TOP, M_H_REPORTS_TO_TOP,
				  F_BOOL, 0, 0, FF_FILTER, NULL, NULL },
	[BODY_TIME_SHARE] = { "time_share", M_F_TIME_SHARE, M_H_TIME_SHARE, F_INT, 0, 100,
			      0, NULL, NULL },
	[BODY_ADVISORY] = { "advisory", M_F_ADVISORY, M_H_ADVISORY, F_LONGTEXT, 0, 4000,
			    FF_SEARCH, NULL, NULL },
	[BODY_PARTNERS] = { "partners", M_F_PARTNERS, M_H_PARTNERS, F_LONGTEXT, 0, 4000,
			    FF_SEARCH, NULL, NULL },
	[BODY_DESCRIPTION] = { "description", M_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			       FF_SEARCH, NULL, NULL },
	{ NULL },
};

struct entity org_bodies = {
	.name = "bodies",
	.table = "org_body",
	.label_one = M_BODY,
	.label_many = M_BODIES,
	.label_new = M_BODY_NEW,
	.intro = M_BODIES_INTRO,
	.fields = body_fields,
	.title_field = BODY_NAME,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_REGISTER_ADMIN,
	.show_summary = org_body_summary,
	.show_extra = org_body_extra,
};

static const struct entity_field member_fields[] = {
	[MEMBER_BODY] = { "body_id", M_BODY, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &org_bodies },
	[MEMBER_PERSON] = { "person_id", M_F_PERSON, 0, F_REF, 0, 0,
			    FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &org_people },
	[MEMBER_TASK] = { "task", M_F_MEMBER_TASK, M_H_MEMBER_TASK, F_TEXT, 0, 200,
			  FF_LIST | FF_SEARCH, NULL, NULL },
	{ NULL },
};

struct entity org_body_members = {
	.name = "body-members",
	.table = "org_body_member",
	.label_one = M_BODY_MEMBER,
	.label_many = M_BODY_MEMBERS,
	.label_new = M_BODY_MEMBER_NEW,
	.fields = member_fields,
	.title_field = MEMBER_PERSON,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_REGISTER_ADMIN,
	.parent_field = "body_id",
};

/* ---- the demo's bodies (`varn init --demo`, module.h) ---- */

struct demo_body {
	const char *name, *kind, *unit, *chair; /* unit and chair by name */
	const char *reports, *share, *advisory, *partners, *description;
	const char *members[4][2];               /* person, task */
};

static const struct demo_body exempelstad_bodies[] = {
	{ "Informationssäkerhetsfunktionen", "security_function", "Kommunledningsförvaltningen",
	  "Åsa Öberg", "1", "60",
	  "Stöd i projekt, kontaktnät och utvärdering av metoder, plattformar och system.",
	  "Grannby kommuns samordnare (funktionen delas), Räddningstjänstens "
	  "säkerhetssamordnare, länets nätverk för informationssäkerhet.",
	  "Samordnar informationssäkerhetsarbetet; i säkerhetsfrågor direkt underställd "
	  "kommunchefen.", { { NULL, NULL } } },
	{ "Kommunförvaltningens ledningsgrupp", "management_group", "Kommunledningsförvaltningen",
	  "Karin Söderström", "1", NULL, NULL, NULL,
	  "Hanterar och utreder övergripande IT-frågor och bereder dem för beslut.",
	  { { "Karin Söderström", "Ordförande" }, { "Anders Åkesson", "Socialchef" },
	    { "Helena Fröberg", "Barn- och utbildningschef" }, { NULL, NULL } } },
	{ "IT-beredningsgruppen", "it_preparation_group", "IT-avdelningen", "Maria Björk", "0",
	  NULL, NULL, NULL,
	  "Prioriterar, beställer och godkänner förändringar; tar emot IT-chefens "
	  "omvärldsbevakning.",
	  { { "Maria Björk", "Sammankallande" }, { "Erik Nyström", "Systemförvaltare" },
	    { "Åsa Öberg", "Informationssäkerhet" }, { NULL, NULL } } },
	{ NULL },
};

static const char *demo_id(struct ctx *cx, const struct entity *e, const char *title)
{
	int64_t id = title ? entity_id_by_title(cx, e, title) : 0;

	return id ? arena_printf(cx->a, "%lld", (long long)id) : NULL;
}

/* Exempelstad's security function and groups; other organisations none. */
int org_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	size_t n = 0;

	if (!cx->org || strcmp(cx->org->slug, "exempelstad") != 0)
		return 0;
	for (const struct demo_body *b = exempelstad_bodies; b->name; b++) {
		const char *v[BODY_DESCRIPTION + 2] = { 0 };
		int64_t id;
		v[BODY_NAME] = b->name;
		v[BODY_KIND] = b->kind;
		v[BODY_UNIT] = demo_id(cx, &org_units, b->unit);
		v[BODY_CHAIR] = demo_id(cx, &org_people, b->chair);
		v[BODY_REPORTS_TO_TOP] = b->reports;
		v[BODY_TIME_SHARE] = b->share;
		v[BODY_ADVISORY] = b->advisory;
		v[BODY_PARTNERS] = b->partners;
		v[BODY_DESCRIPTION] = b->description;
		if (!(id = entity_create_values(cx, &org_bodies, v, err)))
			return -1;
		n++;
		for (size_t i = 0; b->members[i][0]; i++) {
			const char *m[MEMBER_TASK + 2] = { 0 };
			m[MEMBER_BODY] = arena_printf(cx->a, "%lld", (long long)id);
			m[MEMBER_PERSON] = demo_id(cx, &org_people, b->members[i][0]);
			m[MEMBER_TASK] = b->members[i][1];
			if (!entity_create_values(cx, &org_body_members, m, err))
				return -1;
		}
	}
	buf_printf(summary, "  %s (%s): %zu bodies (the information-security function and "
		   "two groups)\n", cx->org->name, cx->org->slug, n);
	return 0;
}
