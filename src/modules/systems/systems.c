/* systems.c - declarations and rules of the system register and of
 * information classification (systems.h). */
#include "base/base.h"

#include "base/clock.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"
#include "core/ctx.h"
#include "core/i18n.h"

const char aspect_letter[ASPECT__COUNT] = { 'K', 'R', 'T', 'S' };
const int aspect_label[ASPECT__COUNT] = { M_ASPECT_K, M_ASPECT_R, M_ASPECT_T, M_ASPECT_S };

/* Who writes what: ROLES_SYSTEMS_WRITE and ROLES_CLASSIFY in systems.h. */

static const struct choice hostings[] = {
	{ "own", M_HOSTING_OWN },
	{ "joint", M_HOSTING_JOINT },
	{ "supplier", M_HOSTING_SUPPLIER },
	{ "cloud", M_HOSTING_CLOUD },
	{ NULL, 0 },
};

static const struct choice lifecycles[] = {
	{ "planned", M_LIFE_PLANNED },
	{ "introducing", M_LIFE_INTRODUCING },
	{ "operation", M_LIFE_OPERATION },
	{ "decommissioning", M_LIFE_DECOMMISSIONING },
	{ "retired", M_LIFE_RETIRED },
	{ NULL, 0 },
};

static const struct choice personal_data_kinds[] = {
	{ "none", M_PD_NONE },
	{ "ordinary", M_PD_ORDINARY },
	{ "sensitive", M_PD_SENSITIVE },
	{ NULL, 0 },
};

static const struct choice system_roles[] = {
	{ "business_owner", M_SROLE_BUSINESS_OWNER },
	{ "manager", M_SROLE_MANAGER },
	{ "administrator", M_SROLE_ADMIN },
	{ NULL, 0 },
};

static const struct choice directions[] = {
	{ "out", M_DIR_OUT },
	{ "in", M_DIR_IN },
	{ "both", M_DIR_BOTH },
	{ NULL, 0 },
};

/* ---- systems ---- */

static void system_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			    const struct record *old, struct field_errors *errs)
{
	int raised = 0;

	for (int a = 0; a < ASPECT__COUNT; a++)
		raised |= rec->v[SYS_RAISE_K + a] != NULL;
	if (raised && !rec->v[SYS_RAISE_REASON])
		field_error_add(errs, SYS_RAISE_REASON, M_V_RAISE_REASON, "required");
}

static int system_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			      const struct record *old, struct db_error *err)
{
	return systems_derive(cx, rec->id, err);
}

#define LEVEL_FIELD(col, label) \
	{ col, label, 0, F_INT, 0, LEVEL_MAX, FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER | FF_LEVEL, NULL, NULL }
#define RAISE_FIELD(col, label) \
	{ col, label, M_H_RAISE, F_INT, 0, LEVEL_MAX, 0, NULL, NULL }

static const struct entity_field system_fields[] = {
	[SYS_NAME] = { "name", M_F_NAME, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL },
	[SYS_DESCRIPTION] = { "description", M_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			      FF_SEARCH, NULL, NULL },
	[SYS_PURPOSE] = { "purpose", M_F_PURPOSE, M_H_PURPOSE, F_LONGTEXT, 0, 2000,
			  FF_SEARCH, NULL, NULL },
	[SYS_UNIT] = { "unit_id", M_F_UNIT, 0, F_REF, 0, 0, FF_LIST | FF_FILTER, NULL, &org_units },
	[SYS_OWNER] = { "owner_id", M_F_SYSTEM_OWNER, M_H_SYSTEM_OWNER, F_REF, 0, 0,
			FF_LIST | FF_FILTER, NULL, &org_people },
	[SYS_SUPPLIER] = { "supplier", M_F_SUPPLIER, 0, F_TEXT, 0, 200,
			   FF_SEARCH | FF_SORT, NULL, NULL },
	[SYS_AGREEMENT] = { "agreement", M_F_AGREEMENT, M_H_AGREEMENT, F_TEXT, 0, 200,
			    FF_SEARCH, NULL, NULL },
	[SYS_AGREEMENT_SECURITY] = { "agreement_security", M_F_AGREEMENT_SECURITY, 0, F_BOOL,
				     0, 0, FF_FILTER, NULL, NULL },
	[SYS_AGREEMENT_EXPIRES] = { "agreement_expires", M_F_AGREEMENT_EXPIRES, 0, F_DATE,
				    0, 0, 0, NULL, NULL },
	[SYS_HOSTING] = { "hosting", M_F_HOSTING, 0, F_ENUM, 0, 0,
			  FF_REQUIRED | FF_FILTER, hostings, NULL },
	[SYS_HOSTING_COUNTRY] = { "hosting_country", M_F_HOSTING_COUNTRY, M_H_HOSTING_COUNTRY,
				  F_TEXT, 0, 100, 0, NULL, NULL },
	[SYS_LIFECYCLE] = { "lifecycle", M_F_LIFECYCLE, 0, F_ENUM, 0, 0,
			    FF_REQUIRED | FF_LIST | FF_FILTER, lifecycles, NULL },
	[SYS_CRITICAL_SOCIETY] = { "critical_society", M_F_CRITICAL_SOCIETY,
				   M_H_CRITICAL_SOCIETY, F_BOOL, 0, 0, FF_FILTER, NULL, NULL },
	[SYS_PERSONAL_DATA] = { "personal_data", M_F_PERSONAL_DATA, 0, F_ENUM, 0, 0,
				FF_REQUIRED | FF_FILTER, personal_data_kinds, NULL },
	[SYS_GDPR_REF] = { "gdpr_ref", M_F_GDPR_REF, M_H_GDPR_REF, F_TEXT, 0, 200, 0, NULL, NULL },
	[SYS_USERS] = { "users_count", M_F_USERS_COUNT, 0, F_INT, 0, 10000000, 0, NULL, NULL },
	[SYS_LAST_UPDATE] = { "last_security_update", M_F_LAST_SECURITY_UPDATE, 0, F_DATE,
			      0, 0, 0, NULL, NULL },
	[SYS_KEY_PERSON] = { "key_person_risk", M_F_KEY_PERSON, M_H_KEY_PERSON, F_BOOL, 0, 0,
			     FF_FILTER, NULL, NULL },
	[SYS_RAISE_K] = RAISE_FIELD("raise_k", M_F_RAISE_K),
	[SYS_RAISE_R] = RAISE_FIELD("raise_r", M_F_RAISE_R),
	[SYS_RAISE_T] = RAISE_FIELD("raise_t", M_F_RAISE_T),
	[SYS_RAISE_S] = RAISE_FIELD("raise_s", M_F_RAISE_S),
	[SYS_RAISE_REASON] = { "raise_reason", M_F_RAISE_REASON, M_H_RAISE_REASON, F_LONGTEXT,
			       0, 2000, 0, NULL, NULL },
	[SYS_LEVEL_K] = LEVEL_FIELD("level_k", M_ASPECT_K_SHORT),
	[SYS_LEVEL_R] = LEVEL_FIELD("level_r", M_ASPECT_R_SHORT),
	[SYS_LEVEL_T] = LEVEL_FIELD("level_t", M_ASPECT_T_SHORT),
	[SYS_LEVEL_S] = LEVEL_FIELD("level_s", M_ASPECT_S_SHORT),
	[SYS_BUSINESS_CRITICAL] = { "business_critical", M_F_BUSINESS_CRITICAL,
				    M_H_BUSINESS_CRITICAL, F_BOOL, 0, 0,
				    FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL },
	[SYS_NEEDS_REVIEW] = { "needs_review", M_F_NEEDS_REVIEW, 0, F_BOOL, 0, 0,
			       FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL },
	{ NULL },
};

/* "Markera som granskad": someone who may change the system has looked at
 * a changed level (derive.c sets needs_review); made with the version the
 * page showed, so a level that changed again meanwhile is looked at again. */
static const char *const from_needs_review[] = { "1", NULL };

const struct entity_transition sys_transitions[] = {
	{ .name = "reviewed", .label = M_SP_MARK_REVIEWED, .field = "needs_review",
	  .from = from_needs_review, .to = "0", .own_button = 1 },
	{ .name = NULL },
};

struct entity sys_systems = {
	.name = "systems",
	.table = "it_system",
	.label_one = M_SYSTEM,
	.label_many = M_SYSTEMS,
	.label_new = M_SYSTEM_NEW,
	.intro = M_SYSTEMS_INTRO,
	.fields = system_fields,
	.title_field = SYS_NAME,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_SYSTEMS_WRITE,
	.validate = system_validate,
	.after_write = system_after_write,
	.show_summary = system_show_summary,
	.show_extra = system_show_extra,
	/* a unit's system owner changes that unit's systems, and an owner
	 * their own; the coordinator and the administrator every one */
	.unit_field = "unit_id",
	.owner_field = "owner_id",
	.transitions = sys_transitions,
};

/* ---- information sets ---- */

static int infoset_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			       const struct record *old, struct db_error *err)
{
	/* archiving or restoring changes what the systems handle */
	if (old && old->archived != rec->archived)
		return systems_derive_for_infoset(cx, rec->id, err);
	return 0;
}

#define INF_LEVEL(col, label) \
	{ col, label, 0, F_INT, 0, LEVEL_MAX, FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER | FF_LEVEL, NULL, NULL }

static const struct entity_field infoset_fields[] = {
	[INF_NAME] = { "name", M_F_NAME, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL },
	[INF_TYPE] = { "info_type", M_F_INFO_TYPE, M_H_INFO_TYPE, F_TEXT, 0, 200,
		       FF_LIST | FF_SEARCH, NULL, NULL },
	[INF_DESCRIPTION] = { "description", M_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			      FF_SEARCH, NULL, NULL },
	[INF_OWNER] = { "owner_id", M_F_INFO_OWNER, M_H_INFO_OWNER, F_REF, 0, 0,
			FF_LIST | FF_FILTER, NULL, &org_people },
	[INF_UNIT] = { "unit_id", M_F_UNIT, 0, F_REF, 0, 0, FF_FILTER, NULL, &org_units },
	[INF_SOURCES] = { "sources", M_F_SOURCES, M_H_SOURCES, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL, NULL },
	[INF_STORAGE] = { "storage", M_F_STORAGE, M_H_STORAGE, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL, NULL },
	[INF_OUTPUTS] = { "outputs", M_F_OUTPUTS, M_H_OUTPUTS, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL, NULL },
	[INF_FORM_DIGITAL] = { "form_digital", M_F_FORM_DIGITAL, 0, F_BOOL, 0, 0, 0, NULL, NULL },
	[INF_FORM_PAPER] = { "form_paper", M_F_FORM_PAPER, 0, F_BOOL, 0, 0, 0, NULL, NULL },
	[INF_FORM_SPOKEN] = { "form_spoken", M_F_FORM_SPOKEN, 0, F_BOOL, 0, 0, 0, NULL, NULL },
	[INF_PERSONAL] = { "personal_data", M_F_PERSONAL, 0, F_BOOL, 0, 0, FF_FILTER, NULL, NULL },
	[INF_SENSITIVE] = { "sensitive_data", M_F_SENSITIVE, M_H_SENSITIVE, F_BOOL, 0, 0,
			    FF_FILTER, NULL, NULL },
	[INF_SECRECY] = { "secrecy", M_F_SECRECY, 0, F_BOOL, 0, 0, FF_FILTER, NULL, NULL },
	[INF_SECRECY_REF] = { "secrecy_ref", M_F_SECRECY_REF, M_H_SECRECY_REF, F_TEXT, 0, 200,
			      FF_SEARCH, NULL, NULL },
	[INF_PROTECTED] = { "protected_identities", M_F_PROTECTED_IDENTITIES, 0, F_BOOL, 0, 0,
			    FF_FILTER, NULL, NULL },
	[INF_PATIENT] = { "patient_data", M_F_PATIENT_DATA, M_H_PATIENT_DATA, F_BOOL, 0, 0,
			  FF_FILTER, NULL, NULL },
	[INF_SECURITY_PROTECTION] = { "security_protection", M_F_SECURITY_PROTECTION,
				      M_H_SECURITY_PROTECTION, F_BOOL, 0, 0, FF_FILTER, NULL, NULL },
	[INF_LEVEL_K] = INF_LEVEL("level_k", M_ASPECT_K_SHORT),
	[INF_LEVEL_R] = INF_LEVEL("level_r", M_ASPECT_R_SHORT),
	[INF_LEVEL_T] = INF_LEVEL("level_t", M_ASPECT_T_SHORT),
	[INF_LEVEL_S] = INF_LEVEL("level_s", M_ASPECT_S_SHORT),
	[INF_CLASSIFIED_ON] = { "classified_on", M_F_CLASSIFIED_ON, 0, F_DATE, 0, 0,
				FF_NO_FORM | FF_NO_IMPORT, NULL, NULL },
	[INF_REVIEW_ON] = { "review_on", M_F_REVIEW_ON, 0, F_DATE, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_SORT | FF_DUE, NULL, NULL },
	{ NULL },
};

static const struct entity_link infoset_links[] = {
	{ M_MENU_INFORMATION_REVIEW, "/information-review", ROLES_STAFF },
	{ M_KLASSA_EXPORT, "/klassa.csv", ROLES_STAFF },
	{ M_KLASSA_IMPORT, "/klassa/import", ROLES_CLASSIFY },
	{ 0, NULL, 0 },
};

struct entity sys_infosets = {
	.list_links = infoset_links,
	.name = "information",
	.table = "information_set",
	.label_one = M_INFOSET,
	.label_many = M_INFOSETS,
	.label_new = M_INFOSET_NEW,
	.intro = M_INFOSETS_INTRO,
	.fields = infoset_fields,
	.title_field = INF_NAME,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_CLASSIFY,
	.after_write = infoset_after_write,
	.show_extra = infoset_show_extra,
	/* the information owner (verksamhetsansvarig) classifies their own
	 * and their unit's information */
	.unit_field = "unit_id",
	.owner_field = "owner_id",
};

/* ---- classifications ---- */

/* Review a year after the decision unless another date is given; the
 * decision date defaults to today. */
static void classification_validate(struct ctx *cx, const struct entity *e, struct record *rec,
				    const struct record *old, struct field_errors *errs)
{
	/* today in Stockholm: the date part of the local time */
	const char *today = arena_strndup(cx->a, clock_format_local(cx->a, clock_now()), 10);

	if (!rec->v[CLS_DECIDED_ON])
		rec->v[CLS_DECIDED_ON] = today;
	if (!rec->v[CLS_REVIEW_ON] && strlen(rec->v[CLS_DECIDED_ON]) == 10) {
		int y = atoi(rec->v[CLS_DECIDED_ON]);
		const char *rest = rec->v[CLS_DECIDED_ON] + 4;
		/* 29 February reviews on 28 February */
		if (strcmp(rest, "-02-29") == 0)
			rest = "-02-28";
		rec->v[CLS_REVIEW_ON] = arena_printf(cx->a, "%04d%s", y + 1, rest);
	}
	if (!rec->v[CLS_SCALE])
		rec->v[CLS_SCALE] = scale_current(cx);
	if (rec->v[CLS_REVIEW_ON] && rec->v[CLS_DECIDED_ON] &&
	    strcmp(rec->v[CLS_REVIEW_ON], rec->v[CLS_DECIDED_ON]) <= 0)
		field_error_add(errs, CLS_REVIEW_ON, M_V_REVIEW_AFTER_DECISION, "invalid");
}

static int classification_after_write(struct ctx *cx, const struct entity *e,
				      const struct record *rec, const struct record *old,
				      struct db_error *err)
{
	int64_t infoset = 0, was = 0;

	parse_i64(rec->v[CLS_INFOSET], &infoset);
	if (old && old->v[CLS_INFOSET])
		parse_i64(old->v[CLS_INFOSET], &was);
	if (was && was != infoset && infoset_refresh(cx, was, err) != 0)
		return -1;
	return infoset_refresh(cx, infoset, err);
}

#define CLS_LEVEL(col, label) \
	{ col, label, 0, F_INT, 0, LEVEL_MAX, FF_REQUIRED | FF_LIST | FF_FILTER | FF_LEVEL, NULL, NULL }
#define CLS_REASON(col, label) \
	{ col, label, 0, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL, NULL }

static const struct entity_field classification_fields[] = {
	[CLS_INFOSET] = { "infoset_id", M_INFOSET, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_infosets },
	[CLS_LEVEL_K] = CLS_LEVEL("level_k", M_ASPECT_K_SHORT),
	[CLS_LEVEL_R] = CLS_LEVEL("level_r", M_ASPECT_R_SHORT),
	[CLS_LEVEL_T] = CLS_LEVEL("level_t", M_ASPECT_T_SHORT),
	[CLS_LEVEL_S] = CLS_LEVEL("level_s", M_ASPECT_S_SHORT),
	[CLS_REASON_K] = CLS_REASON("reason_k", M_F_REASON_K),
	[CLS_REASON_R] = CLS_REASON("reason_r", M_F_REASON_R),
	[CLS_REASON_T] = CLS_REASON("reason_t", M_F_REASON_T),
	[CLS_REASON_S] = CLS_REASON("reason_s", M_F_REASON_S),
	[CLS_PARTICIPANTS] = { "participants", M_F_PARTICIPANTS, M_H_PARTICIPANTS, F_TEXT, 0, 500,
			       FF_SEARCH, NULL, NULL },
	[CLS_DECISION] = { "decision", M_F_DECISION, 0, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL, NULL },
	[CLS_DECIDED_ON] = { "decided_on", M_F_DECIDED_ON, 0, F_DATE, 0, 0,
			     FF_LIST | FF_SORT, NULL, NULL },
	[CLS_REVIEW_ON] = { "review_on", M_F_REVIEW_ON, M_H_REVIEW_ON, F_DATE, 0, 0,
			    FF_LIST | FF_SORT, NULL, NULL },
	[CLS_ANSWERS] = { "answers_json", M_F_ANSWERS, 0, F_LONGTEXT, 0, 20000,
			  FF_NO_FORM | FF_NO_IMPORT, NULL, NULL },
	[CLS_SCALE] = { "scale_json", M_F_SCALE, 0, F_LONGTEXT, 0, 20000,
			FF_NO_FORM | FF_NO_IMPORT, NULL, NULL },
	{ NULL },
};

struct entity sys_classifications = {
	.name = "classifications",
	.table = "classification",
	.label_one = M_CLASSIFICATION,
	.label_many = M_CLASSIFICATIONS,
	.label_new = M_CLASSIFICATION_NEW,
	.intro = M_CLASSIFICATIONS_INTRO,
	.fields = classification_fields,
	.title_field = CLS_INFOSET,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_CLASSIFY,
	.validate = classification_validate,
	.after_write = classification_after_write,
	.parent_field = "infoset_id",
};

/* ---- links ---- */

static int handles_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			       const struct record *old, struct db_error *err)
{
	int64_t sys = 0, was = 0;

	parse_i64(rec->v[HND_SYSTEM], &sys);
	if (old && old->v[HND_SYSTEM])
		parse_i64(old->v[HND_SYSTEM], &was);
	if (was && was != sys && systems_derive(cx, was, err) != 0)
		return -1;
	return systems_derive(cx, sys, err);
}

static const struct entity_field handles_fields[] = {
	[HND_SYSTEM] = { "system_id", M_SYSTEM, 0, F_REF, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_systems },
	[HND_INFOSET] = { "infoset_id", M_INFOSET, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_infosets },
	[HND_NOTE] = { "note", M_F_NOTE, M_H_HANDLES_NOTE, F_TEXT, 0, 500, FF_LIST | FF_SEARCH,
		       NULL, NULL },
	{ NULL },
};

struct entity sys_handles = {
	.name = "system-information",
	.table = "system_information",
	.label_one = M_HANDLES,
	.label_many = M_HANDLES_MANY,
	.label_new = M_HANDLES_NEW,
	.intro = M_HANDLES_INTRO,
	.fields = handles_fields,
	.title_field = HND_SYSTEM,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_SYSTEMS_WRITE | ROLES_CLASSIFY,
	.after_write = handles_after_write,
	.parent_field = "system_id",
};

static const struct entity_field people_fields[] = {
	[SPR_SYSTEM] = { "system_id", M_SYSTEM, 0, F_REF, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_systems },
	[SPR_PERSON] = { "person_id", M_F_PERSON, 0, F_REF, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &org_people },
	[SPR_ROLE] = { "role", M_F_ROLE, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER,
		       system_roles, NULL },
	{ NULL },
};

struct entity sys_people = {
	.name = "system-roles",
	.table = "system_person",
	.label_one = M_SYSTEM_ROLE,
	.label_many = M_SYSTEM_ROLES,
	.label_new = M_SYSTEM_ROLE_NEW,
	.intro = M_SYSTEM_ROLES_INTRO,
	.fields = people_fields,
	.title_field = SPR_SYSTEM,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_SYSTEMS_WRITE,
	.parent_field = "system_id",
};

static void dependency_validate(struct ctx *cx, const struct entity *e, struct record *rec,
				const struct record *old, struct field_errors *errs)
{
	if (rec->v[DEP_SYSTEM] && rec->v[DEP_OTHER] &&
	    strcmp(rec->v[DEP_SYSTEM], rec->v[DEP_OTHER]) == 0)
		field_error_add(errs, DEP_OTHER, M_V_DEPENDS_ON_ITSELF, "invalid");
}

static const struct entity_field dependency_fields[] = {
	[DEP_SYSTEM] = { "system_id", M_SYSTEM, 0, F_REF, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_systems },
	[DEP_OTHER] = { "other_id", M_F_OTHER_SYSTEM, 0, F_REF, 0, 0,
			FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_systems },
	[DEP_DIRECTION] = { "direction", M_F_DIRECTION, M_H_DIRECTION, F_ENUM, 0, 0,
			    FF_REQUIRED | FF_LIST | FF_FILTER, directions, NULL },
	[DEP_FLOWS] = { "flows", M_F_FLOWS, M_H_FLOWS, F_TEXT, 0, 500, FF_LIST | FF_SEARCH,
			NULL, NULL },
	{ NULL },
};

struct entity sys_dependencies = {
	.name = "dependencies",
	.table = "system_dependency",
	.label_one = M_DEPENDENCY,
	.label_many = M_DEPENDENCIES,
	.label_new = M_DEPENDENCY_NEW,
	.intro = M_DEPENDENCIES_INTRO,
	.fields = dependency_fields,
	.title_field = DEP_SYSTEM,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_SYSTEMS_WRITE,
	.validate = dependency_validate,
	.parent_field = "system_id",
};

/* ---- the classification scale ---- */

static const struct entity_field scale_fields[] = {
	[SCL_NAME] = { "name", M_F_NAME, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL },
	[SCL_LEVELS] = { "levels_json", M_F_SCALE_LEVELS, M_H_SCALE_LEVELS, F_LONGTEXT, 2, 20000,
			 FF_REQUIRED, NULL, NULL },
	[SCL_CURRENT] = { "is_current", M_F_SCALE_CURRENT, 0, F_BOOL, 0, 0, FF_LIST, NULL, NULL },
	{ NULL },
};

struct entity sys_scales = {
	.name = "scales",
	.table = "classification_scale",
	.label_one = M_SCALE,
	.label_many = M_SCALES,
	.label_new = M_SCALE_NEW,
	.intro = M_SCALES_INTRO,
	.fields = scale_fields,
	.title_field = SCL_NAME,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_REGISTER_ADMIN,
	.validate = scale_validate,
	.after_write = scale_after_write,
};
