/* systems.c - declarations and rules of the system register and of
 * information classification (systems.h). */
#include "base/base.h"

#include "base/clock.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/systems/interchange.h"
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

static const struct choice dpa_choices[] = {
	{ "yes", M_DPA_YES },
	{ "no", M_DPA_NO },
	{ "not_needed", M_DPA_NOT_NEEDED },
	{ NULL, 0 },
};

static const struct choice patch_choices[] = {
	{ "current", M_PATCH_CURRENT },
	{ "behind", M_PATCH_BEHIND },
	{ "unknown", M_PATCH_UNKNOWN },
	{ NULL, 0 },
};

/* R-2-13: whether the information may be handled remotely, and with what
 * equipment (the rules themselves are part 12's) */
static const struct choice remote_choices[] = {
	{ "no", M_REMOTE_NO },
	{ "stationary", M_REMOTE_STATIONARY },
	{ "mobile", M_REMOTE_MOBILE },
	{ NULL, 0 },
};

static const struct choice directions[] = {
	{ "out", M_DIR_OUT },
	{ "in", M_DIR_IN },
	{ "both", M_DIR_BOTH },
	{ NULL, 0 },
};

/* ---- systems ---- */

static const char sql_min_k[] =
	"SELECT min_k_sensitive FROM organisation WHERE id = $1";

int systems_min_k_sensitive(struct ctx *cx)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_min_k, DB_ARGS(DB_INT(cx->org->id)), &rows, &err) == 0 &&
	    rows.nrows == 1 && db_cell(&rows, 0, 0))
		return (int)db_cell_i64(&rows, 0, 0);
	return 2;
}

static int same_value(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The actor's person record here as a reference value, or NULL (the
 * command line and scheduled jobs act as no person). */
static const char *actor_person(struct ctx *cx)
{
	return cx->org->person_id ? arena_printf(cx->a, "%lld", (long long)cx->org->person_id) :
				    NULL;
}

static void system_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			    const struct record *old, struct field_errors *errs)
{
	int raised = 0;
	const char *was_owner = old ? old->v[SYS_OWNER] : NULL;

	for (int a = 0; a < ASPECT__COUNT; a++)
		raised |= rec->v[SYS_RAISE_K + a] != NULL;
	if (raised && !rec->v[SYS_RAISE_REASON])
		field_error_add(errs, SYS_RAISE_REASON, M_V_RAISE_REASON, "required");
	if (rec->v[SYS_THIRD_COUNTRY] && strcmp(rec->v[SYS_THIRD_COUNTRY], "1") == 0 &&
	    !rec->v[SYS_THIRD_COUNTRY_DETAIL])
		field_error_add(errs, SYS_THIRD_COUNTRY_DETAIL, M_V_THIRD_COUNTRY, "required");
	/* R-1-09: the municipal chief executive appoints system owners (the
	 * register's keepers record it for them); who and when is kept */
	if (!same_value(rec->v[SYS_OWNER], was_owner)) {
		if (cx->user_id && !ctx_has_role(cx, ROLES_APPOINT_OWNER)) {
			field_error_add(errs, SYS_OWNER, M_V_OWNER_APPOINT, "forbidden");
			return;
		}
		/* the command line and the demo, acting as no person, may
		 * record who made the appointment; a person records themselves */
		if (cx->user_id || !rec->v[SYS_OWNER_APPOINTED_BY])
			rec->v[SYS_OWNER_APPOINTED_BY] = rec->v[SYS_OWNER] ? actor_person(cx) : NULL;
		rec->v[SYS_OWNER_APPOINTED_ON] = rec->v[SYS_OWNER] ? ctx_today(cx) : NULL;
	}
}

static int system_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			      const struct record *old, struct db_error *err)
{
	if (systems_derive_from(cx, rec->id, 0, 0, old == NULL, err) != 0)
		return -1;
	/* the levels' changes are told by the derivation; the rest here */
	if (!old || old->archived != rec->archived || !same_value(old->v[SYS_UNIT], rec->v[SYS_UNIT]))
		return module_emit(cx, SYSTEM_CHANGED, rec->id, err);
	return 0;
}

#define LEVEL_FIELD(col, label) \
	{ col, label, 0, F_INT, 0, LEVEL_MAX, \
	  FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER | FF_SUMMARY | FF_LEVEL, NULL, NULL, 0 }
/* in the form; on the page the profile says where a raise applies, and
 * empty raises are not shown at all */
#define RAISE_FIELD(col, label) \
	{ col, label, M_H_RAISE, F_INT, 0, LEVEL_MAX, FF_SUMMARY, NULL, NULL, M_G_LEVEL }

static const struct entity_field system_fields[] = {
	[SYS_NAME] = { "name", M_F_NAME, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[SYS_DESCRIPTION] = { "description", M_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			      FF_SEARCH, NULL, NULL, 0 },
	[SYS_PURPOSE] = { "purpose", M_F_PURPOSE, M_H_PURPOSE, F_LONGTEXT, 0, 2000,
			  FF_SEARCH, NULL, NULL, 0 },
	[SYS_UNIT] = { "unit_id", M_F_UNIT, 0, F_REF, 0, 0, FF_LIST | FF_FILTER, NULL, &org_units,
		       0 },
	/* ansvar (R-1-09, R-2-02, R-2-03) */
	[SYS_OWNER] = { "owner_id", M_F_SYSTEM_OWNER, M_H_SYSTEM_OWNER, F_REF, 0, 0,
			FF_LIST | FF_FILTER, NULL, &org_people, M_G_RESPONSIBILITY },
	[SYS_OWNER_APPOINTED_BY] = { "owner_appointed_by", M_F_OWNER_APPOINTED_BY, 0, F_REF, 0, 0,
				     FF_NO_FORM | FF_NO_IMPORT, NULL, &org_people,
				     M_G_RESPONSIBILITY },
	[SYS_OWNER_APPOINTED_ON] = { "owner_appointed_on", M_F_OWNER_APPOINTED_ON, 0, F_DATE, 0, 0,
				     FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_G_RESPONSIBILITY },
	[SYS_BUSINESS_OWNER] = { "business_owner_id", M_F_BUSINESS_OWNER, M_H_BUSINESS_OWNER,
				 F_REF, 0, 0, FF_FILTER, NULL, &org_people, M_G_RESPONSIBILITY },
	/* leverantör och avtal (R-2-06, R-2-18) */
	[SYS_SUPPLIER] = { "supplier", M_F_SUPPLIER, 0, F_TEXT, 0, 200,
			   FF_SEARCH | FF_SORT, NULL, NULL, M_G_SUPPLIER },
	[SYS_AGREEMENT] = { "agreement", M_F_AGREEMENT, M_H_AGREEMENT, F_TEXT, 0, 200,
			    FF_SEARCH, NULL, NULL, M_G_SUPPLIER },
	[SYS_AGREEMENT_SECURITY] = { "agreement_security", M_F_AGREEMENT_SECURITY, 0, F_BOOL,
				     0, 0, FF_FILTER, NULL, NULL, M_G_SUPPLIER },
	[SYS_AGREEMENT_EXPIRES] = { "agreement_expires", M_F_AGREEMENT_EXPIRES, 0, F_DATE,
				    0, 0, 0, NULL, NULL, M_G_SUPPLIER },
	[SYS_OPS_AGREEMENT] = { "operations_agreement", M_F_OPS_AGREEMENT, M_H_OPS_AGREEMENT,
				F_LONGTEXT, 0, 2000, FF_SEARCH, NULL, NULL, M_G_SUPPLIER },
	[SYS_DPA] = { "dpa", M_F_DPA, M_H_DPA, F_ENUM, 0, 0, FF_FILTER, dpa_choices, NULL,
		      M_G_SUPPLIER },
	[SYS_DPA_DATE] = { "dpa_date", M_F_DPA_DATE, 0, F_DATE, 0, 0, 0, NULL, NULL,
			   M_G_SUPPLIER },
	/* drift (R-2-10 .. R-2-14) */
	[SYS_HOSTING] = { "hosting", M_F_HOSTING, 0, F_ENUM, 0, 0,
			  FF_REQUIRED | FF_FILTER, hostings, NULL, M_G_OPERATION },
	[SYS_HOSTING_COUNTRY] = { "hosting_country", M_F_HOSTING_COUNTRY, M_H_HOSTING_COUNTRY,
				  F_TEXT, 0, 100, 0, NULL, NULL, M_G_OPERATION },
	[SYS_USERS] = { "users_count", M_F_USERS_COUNT, 0, F_INT, 0, 10000000, 0, NULL, NULL,
			M_G_OPERATION },
	[SYS_TEST_ENV] = { "test_environment", M_F_TEST_ENV, 0, F_BOOL, 0, 0, FF_FILTER, NULL,
			   NULL, M_G_OPERATION },
	[SYS_PATCH_STATUS] = { "patch_status", M_F_PATCH_STATUS, M_H_PATCH_STATUS, F_ENUM, 0, 0,
			       FF_FILTER, patch_choices, NULL, M_G_OPERATION },
	[SYS_PATCH_CHECKED_ON] = { "patch_checked_on", M_F_PATCH_CHECKED_ON, 0, F_DATE, 0, 0, 0,
				   NULL, NULL, M_G_OPERATION },
	[SYS_PATCH_CHECKED_BY] = { "patch_checked_by", M_F_PATCH_CHECKED_BY, 0, F_REF, 0, 0, 0,
				   NULL, &org_people, M_G_OPERATION },
	[SYS_LAST_UPDATE] = { "last_security_update", M_F_LAST_SECURITY_UPDATE, 0, F_DATE,
			      0, 0, 0, NULL, NULL, M_G_OPERATION },
	[SYS_BACKUP_BY] = { "backup_by", M_F_BACKUP_BY, 0, F_TEXT, 0, 200, FF_SEARCH, NULL, NULL,
			    M_G_OPERATION },
	[SYS_BACKUP_HOW] = { "backup_how", M_F_BACKUP_HOW, M_H_BACKUP_HOW, F_LONGTEXT, 0, 2000, 0,
			     NULL, NULL, M_G_OPERATION },
	[SYS_REMOTE] = { "remote_access", M_F_REMOTE, M_H_REMOTE, F_ENUM, 0, 0, FF_FILTER,
			 remote_choices, NULL, M_G_OPERATION },
	[SYS_EXT_AUTH] = { "external_auth", M_F_EXT_AUTH, M_H_EXT_AUTH, F_TEXT, 0, 500, 0, NULL,
			   NULL, M_G_OPERATION },
	[SYS_DOC_SYSTEM] = { "doc_system", M_F_DOC_SYSTEM, M_H_DOC_LINK, F_TEXT, 0, 500, 0, NULL,
			     NULL, M_G_OPERATION },
	[SYS_DOC_OPERATIONS] = { "doc_operations", M_F_DOC_OPERATIONS, M_H_DOC_LINK, F_TEXT, 0,
				 500, 0, NULL, NULL, M_G_OPERATION },
	[SYS_KEY_PERSON] = { "key_person_risk", M_F_KEY_PERSON, M_H_KEY_PERSON, F_BOOL, 0, 0,
			     FF_FILTER, NULL, NULL, M_G_OPERATION },
	/* personuppgifter */
	[SYS_PERSONAL_DATA] = { "personal_data", M_F_PERSONAL_DATA, 0, F_ENUM, 0, 0,
				FF_REQUIRED | FF_FILTER, personal_data_kinds, NULL,
				M_G_PERSONAL_DATA },
	[SYS_GDPR_REF] = { "gdpr_ref", M_F_GDPR_REF, M_H_GDPR_REF, F_TEXT, 0, 200, 0, NULL, NULL,
			   M_G_PERSONAL_DATA },
	[SYS_THIRD_COUNTRY] = { "third_country", M_F_THIRD_COUNTRY, M_H_THIRD_COUNTRY, F_BOOL, 0,
				0, FF_FILTER, NULL, NULL, M_G_PERSONAL_DATA },
	[SYS_THIRD_COUNTRY_DETAIL] = { "third_country_detail", M_F_THIRD_COUNTRY_DETAIL,
				       M_H_THIRD_COUNTRY_DETAIL, F_TEXT, 0, 500, 0, NULL, NULL,
				       M_G_PERSONAL_DATA },
	/* livscykel (R-2-07, R-2-09) */
	[SYS_LIFECYCLE] = { "lifecycle", M_F_LIFECYCLE, 0, F_ENUM, 0, 0,
			    FF_REQUIRED | FF_LIST | FF_FILTER, lifecycles, NULL, M_G_LIFECYCLE },
	[SYS_CRITICAL_SOCIETY] = { "critical_society", M_F_CRITICAL_SOCIETY,
				   M_H_CRITICAL_SOCIETY, F_BOOL, 0, 0, FF_FILTER, NULL, NULL,
				   M_G_LIFECYCLE },
	[SYS_SUPPORT_ENDS] = { "support_ends", M_F_SUPPORT_ENDS, M_H_SUPPORT_ENDS, F_DATE, 0, 0,
			       0, NULL, NULL, M_G_LIFECYCLE },
	/* skyddsnivå: the owner's raises; the levels are the profile's */
	[SYS_RAISE_K] = RAISE_FIELD("raise_k", M_F_RAISE_K),
	[SYS_RAISE_R] = RAISE_FIELD("raise_r", M_F_RAISE_R),
	[SYS_RAISE_T] = RAISE_FIELD("raise_t", M_F_RAISE_T),
	[SYS_RAISE_S] = RAISE_FIELD("raise_s", M_F_RAISE_S),
	[SYS_RAISE_REASON] = { "raise_reason", M_F_RAISE_REASON, M_H_RAISE_REASON, F_LONGTEXT,
			       0, 2000, FF_SUMMARY, NULL, NULL, M_G_LEVEL },
	[SYS_LEVEL_K] = LEVEL_FIELD("level_k", M_ASPECT_K_SHORT),
	[SYS_LEVEL_R] = LEVEL_FIELD("level_r", M_ASPECT_R_SHORT),
	[SYS_LEVEL_T] = LEVEL_FIELD("level_t", M_ASPECT_T_SHORT),
	[SYS_LEVEL_S] = LEVEL_FIELD("level_s", M_ASPECT_S_SHORT),
	/* for sorting the list by protection level (R-3-03) */
	[SYS_LEVEL_MAX] = { "level_max", M_F_LEVEL_MAX, 0, F_INT, 0, LEVEL_MAX,
			    FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_SORT | FF_SUMMARY | FF_FILTER,
			    NULL, NULL, 0 },
	[SYS_BUSINESS_CRITICAL] = { "business_critical", M_F_BUSINESS_CRITICAL,
				    M_H_BUSINESS_CRITICAL, F_BOOL, 0, 0,
				    FF_NO_FORM | FF_NO_IMPORT | FF_FILTER | FF_SUMMARY, NULL, NULL,
				    0 },
	[SYS_NEEDS_REVIEW] = { "needs_review", M_F_NEEDS_REVIEW, 0, F_BOOL, 0, 0,
			       FF_NO_FORM | FF_NO_IMPORT | FF_FILTER | FF_SUMMARY, NULL, NULL, 0 },
	/* R-1-18 and R-2-09: what a system lacks, as list filters */
	[SYS_ROLES_MISSING] = { "roles_missing", M_F_ROLES_MISSING, M_H_ROLES_MISSING, F_BOOL, 0,
				0, FF_NO_FORM | FF_NO_IMPORT | FF_FILTER | FF_SUMMARY, NULL, NULL,
				0 },
	[SYS_PLAN_MISSING] = { "security_plan_missing", M_F_PLAN_MISSING, M_H_PLAN_MISSING,
			       F_BOOL, 0, 0, FF_NO_FORM | FF_NO_IMPORT | FF_FILTER | FF_SUMMARY,
			       NULL, NULL, 0 },
	{ NULL },
};

/* "Markera som granskad": someone who may change the system has looked at
 * a changed level (derive.c sets needs_review); made with the version the
 * page showed, so a level that changed again meanwhile is looked at again. */
static const char *const from_needs_review[] = { "1", NULL };

/* An optional note on what was looked at, kept in the audit event and so
 * in the system's history. */
static const struct entity_field reviewed_params[] = {
	{ "note", M_F_REVIEW_NOTE, M_H_REVIEW_NOTE, F_LONGTEXT, 0, 2000, 0, NULL, NULL, 0 },
	{ NULL },
};

const struct entity_transition sys_transitions[] = {
	{ .name = "reviewed", .label = M_SP_MARK_REVIEWED, .field = "needs_review",
	  .from = from_needs_review, .to = "0", .params = reviewed_params, .own_button = 1 },
	{ .name = NULL },
};

/* The register as a document (documents.c), of the unit the list is
 * filtered by when it is. */
static const struct entity_link system_links[] = {
	{ M_DOC_REGISTER_PRINT, "/documents/system-register", ROLES_STAFF, "unit_id", "unit" },
	{ M_DOC_REGISTER_PDF, "/documents/system-register.pdf", ROLES_STAFF, "unit_id", "unit" },
	{ 0, NULL, 0 },
};

struct entity sys_systems = {
	.name = "systems",
	.table = "it_system",
	.list_links = system_links,
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
	.export_extra = &systems_export_extra, /* interchange.c */
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
	{ col, label, 0, F_INT, 0, LEVEL_MAX, FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER | FF_LEVEL, NULL, NULL, 0 }
#define INF_TEXT(col, label, help, max) \
	{ col, label, help, F_LONGTEXT, 0, max, FF_SEARCH, NULL, NULL, 0 }

static const struct entity_field infoset_fields[] = {
	[INF_NAME] = { "name", M_F_NAME, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[INF_TYPE] = { "info_type", M_F_INFO_TYPE, M_H_INFO_TYPE, F_TEXT, 0, 200,
		       FF_LIST | FF_SEARCH, NULL, NULL, 0 },
	[INF_DESCRIPTION] = { "description", M_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			      FF_SEARCH, NULL, NULL, 0 },
	[INF_OWNER] = { "owner_id", M_F_INFO_OWNER, M_H_INFO_OWNER, F_REF, 0, 0,
			FF_LIST | FF_FILTER, NULL, &org_people, 0 },
	[INF_UNIT] = { "unit_id", M_F_UNIT, 0, F_REF, 0, 0, FF_FILTER, NULL, &org_units, 0 },
	[INF_SOURCES] = INF_TEXT("sources", M_F_SOURCES, M_H_SOURCES, 2000),
	[INF_ENTRY_HOW] = INF_TEXT("entry_how", M_F_ENTRY_HOW, M_H_ENTRY_HOW, 2000),
	[INF_STORAGE] = INF_TEXT("storage", M_F_STORAGE, M_H_STORAGE, 2000),
	[INF_OUTPUTS] = INF_TEXT("outputs", M_F_OUTPUTS, M_H_OUTPUTS, 2000),
	[INF_FORM_DIGITAL] = { "form_digital", M_F_FORM_DIGITAL, 0, F_BOOL, 0, 0, 0, NULL, NULL, 0 },
	[INF_FORM_PAPER] = { "form_paper", M_F_FORM_PAPER, 0, F_BOOL, 0, 0, 0, NULL, NULL, 0 },
	[INF_FORM_SPOKEN] = { "form_spoken", M_F_FORM_SPOKEN, 0, F_BOOL, 0, 0, 0, NULL, NULL, 0 },
	[INF_PERSONAL] = { "personal_data", M_F_PERSONAL, 0, F_BOOL, 0, 0, FF_FILTER, NULL, NULL,
			   M_G_LEGAL },
	[INF_SENSITIVE] = { "sensitive_data", M_F_SENSITIVE, M_H_SENSITIVE, F_BOOL, 0, 0,
			    FF_FILTER, NULL, NULL, M_G_LEGAL },
	[INF_SECRECY] = { "secrecy", M_F_SECRECY, 0, F_BOOL, 0, 0, FF_FILTER, NULL, NULL,
			  M_G_LEGAL },
	[INF_SECRECY_REF] = { "secrecy_ref", M_F_SECRECY_REF, M_H_SECRECY_REF, F_TEXT, 0, 200,
			      FF_SEARCH, NULL, NULL, M_G_LEGAL },
	/* R-3-07: who decided what is secret, and when */
	[INF_SECRECY_BY] = { "secrecy_decided_by", M_F_SECRECY_BY, M_H_SECRECY_BY, F_REF, 0, 0, 0,
			     NULL, &org_people, M_G_LEGAL },
	[INF_SECRECY_ON] = { "secrecy_decided_on", M_F_SECRECY_ON, 0, F_DATE, 0, 0, 0, NULL,
			     NULL, M_G_LEGAL },
	[INF_PROTECTED] = { "protected_identities", M_F_PROTECTED_IDENTITIES, 0, F_BOOL, 0, 0,
			    FF_FILTER, NULL, NULL, M_G_LEGAL },
	[INF_PATIENT] = { "patient_data", M_F_PATIENT_DATA, M_H_PATIENT_DATA, F_BOOL, 0, 0,
			  FF_FILTER, NULL, NULL, M_G_LEGAL },
	[INF_SECURITY_PROTECTION] = { "security_protection", M_F_SECURITY_PROTECTION,
				      M_H_SECURITY_PROTECTION, F_BOOL, 0, 0, FF_FILTER, NULL, NULL,
				      M_G_LEGAL },
	[INF_LEGAL_BASIS] = { "legal_basis", M_F_LEGAL_BASIS, M_H_LEGAL_BASIS, F_LONGTEXT, 0, 2000,
			      FF_SEARCH, NULL, NULL, M_G_LEGAL },
	/* R-3-13 */
	[INF_SPECIAL_LAWS] = { "special_laws", M_F_SPECIAL_LAWS, M_H_SPECIAL_LAWS, F_LONGTEXT, 0,
			       2000, FF_SEARCH, NULL, NULL, M_G_LEGAL },
	/* R-3-08 */
	[INF_PUBLIC_ACCESS] = { "public_access", M_F_PUBLIC_ACCESS, M_H_PUBLIC_ACCESS, F_LONGTEXT,
				0, 2000, FF_SEARCH, NULL, NULL, M_G_LEGAL },
	[INF_RETENTION] = { "retention", M_F_RETENTION, M_H_RETENTION, F_LONGTEXT, 0, 2000,
			    FF_SEARCH, NULL, NULL, M_G_RETENTION },
	[INF_INFO_PLAN_REF] = { "info_plan_ref", M_F_INFO_PLAN_REF, M_H_INFO_PLAN_REF, F_TEXT, 0,
				200, FF_SEARCH, NULL, NULL, M_G_RETENTION },
	[INF_LEVEL_K] = INF_LEVEL("level_k", M_ASPECT_K_SHORT),
	[INF_LEVEL_R] = INF_LEVEL("level_r", M_ASPECT_R_SHORT),
	[INF_LEVEL_T] = INF_LEVEL("level_t", M_ASPECT_T_SHORT),
	[INF_LEVEL_S] = INF_LEVEL("level_s", M_ASPECT_S_SHORT),
	[INF_CLASSIFIED_ON] = { "classified_on", M_F_CLASSIFIED_ON, 0, F_DATE, 0, 0,
				FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, 0 },
	[INF_REVIEW_ON] = { "review_on", M_F_REVIEW_ON, 0, F_DATE, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_SORT | FF_DUE, NULL, NULL, 0 },
	{ NULL },
};

/* Who classifies (seed 004 §3): the information owner (verksamhetsansvarig)
 * of the set - the person named as its owner, or one holding the
 * information-owner role for its unit - and the register's keepers (the
 * coordinator, the administrator).  A system owner raises their own
 * system's level instead (the system's raise fields) and reads the rest,
 * as everyone else does.  A new set follows the same rule: one registers
 * information one owns, or for one's unit. */
static int infoset_may(struct ctx *cx, const struct entity *e, const struct record *rec,
		       enum entity_op op)
{
	int64_t owner = 0, unit = 0;

	if (op == OP_READ || !cx->user_id || ctx_has_role(cx, ROLES_REGISTER_ADMIN))
		return 1;
	if (rec->v[INF_OWNER] && parse_i64(rec->v[INF_OWNER], &owner) == 0 &&
	    owner == cx->org->person_id && cx->org->person_id)
		return 1;
	if (rec->v[INF_UNIT])
		parse_i64(rec->v[INF_UNIT], &unit);
	return ctx_has_role_for_unit(cx, RB(ROLE_INFO_OWNER), unit);
}

static const struct entity_link infoset_links[] = {
	{ M_MENU_INFORMATION_REVIEW, "/information-review", ROLES_STAFF },
	{ M_KLASSA_EXPORT, "/klassa.csv", ROLES_STAFF },
	{ M_KLASSA_IMPORT, "/klassa/import", ROLES_CLASSIFY },
	{ 0, NULL, 0 },
};

/* "Ny informationsmängd" on a system's page: the set and its link to the
 * system in one transaction. */
static const struct entity_create_link infoset_from_system = {
	"system_id", &sys_handles, HND_SYSTEM, HND_INFOSET,
};

struct entity sys_infosets = {
	.create_link = &infoset_from_system,
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
	.may = infoset_may,
	/* the information owner (verksamhetsansvarig) classifies their own
	 * and their unit's information */
	.unit_field = "unit_id",
	.owner_field = "owner_id",
};

/* ---- classifications ---- */

static const char sql_infoset_legal[] =
	"SELECT sensitive_data, secrecy FROM information_set WHERE org_id = $1 AND id = $2";

/* A legal floor (seed 004 §3, GDPR art. 9, OSL): information with sensitive
 * personal data or under secrecy classified below the organisation's
 * lowest confidentiality level (2 unless it set another) needs a
 * motivation for K. */
static void legal_floor(struct ctx *cx, struct record *rec, struct field_errors *errs)
{
	struct db_rows rows;
	struct db_error err;
	int64_t inf = 0, k = 0;

	if (!rec->v[CLS_INFOSET] || parse_i64(rec->v[CLS_INFOSET], &inf) != 0 ||
	    !rec->v[CLS_LEVEL_K] || parse_i64(rec->v[CLS_LEVEL_K], &k) != 0 ||
	    rec->v[CLS_REASON_K])
		return;
	if (db_exec(cx->db, cx->a, sql_infoset_legal, DB_ARGS(DB_INT(cx->org->id), DB_INT(inf)),
		    &rows, &err) != 0 || rows.nrows != 1)
		return; /* the reference check reports a missing set */
	if ((db_cell_i64(&rows, 0, 0) == 1 || db_cell_i64(&rows, 0, 1) == 1) &&
	    k < systems_min_k_sensitive(cx))
		field_error_add(errs, CLS_REASON_K, M_V_LEGAL_FLOOR_K, "required");
}

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
	/* an aspect left out was not analysed (R-3-04): say why; and a
	 * classification of nothing says nothing (every path: wizard, form,
	 * API, import) */
	{
		int analysed = 0;

		for (int a = 0; a < ASPECT__COUNT; a++) {
			analysed |= rec->v[CLS_LEVEL_K + a] != NULL;
			if (!rec->v[CLS_LEVEL_K + a] && !rec->v[CLS_REASON_K + a] &&
			    !field_error_find(errs, CLS_LEVEL_K + a))
				field_error_add(errs, CLS_REASON_K + a, M_V_WZ_NA_REASON, "required");
		}
		if (!analysed && !field_error_find(errs, CLS_LEVEL_K))
			field_error_add(errs, CLS_LEVEL_K, M_V_WZ_ALL_NA, "invalid");
	}
	legal_floor(cx, rec, errs);
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

/* A classification is the information set's: who may change the set may
 * classify it (infoset_may), whatever role they hold elsewhere. */
static int classification_may(struct ctx *cx, const struct entity *e, const struct record *rec,
			      enum entity_op op)
{
	int64_t inf = 0;
	struct record set;
	struct db_error err;

	if (op == OP_READ)
		return 1;
	if (!rec->v[CLS_INFOSET] || parse_i64(rec->v[CLS_INFOSET], &inf) != 0)
		return 1; /* the required-field check reports it */
	return entity_get(cx, &sys_infosets, inf, &set, &err) == 0 &&
	       entity_may(cx, &sys_infosets, &set, OP_WRITE);
}

/* Not required: an aspect left empty (null in the API) was not analysed
 * (R-3-04), which is never level 0. */
#define CLS_LEVEL(col, label) \
	{ col, label, M_H_CLS_LEVEL, F_INT, 0, LEVEL_MAX, FF_LIST | FF_FILTER | FF_LEVEL, NULL, NULL }
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
	.may = classification_may,
	.parent_field = "infoset_id",
};

/* ---- links ---- */

static int handles_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			       const struct record *old, struct db_error *err)
{
	int64_t sys = 0, was = 0, inf = 0;

	parse_i64(rec->v[HND_SYSTEM], &sys);
	parse_i64(rec->v[HND_INFOSET], &inf);
	if (old && old->v[HND_SYSTEM])
		parse_i64(old->v[HND_SYSTEM], &was);
	if (was && was != sys && systems_derive_from(cx, was, inf, 1, 0, err) != 0)
		return -1;
	return systems_derive_from(cx, sys, inf, 1, 0, err);
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

/* R-1-10: the system owner appoints the people in the system's roles;
 * who appointed and when is kept with each appointment (a new person or
 * role is a new appointment). */
static void people_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			    const struct record *old, struct field_errors *errs)
{
	if (old && same_value(old->v[SPR_PERSON], rec->v[SPR_PERSON]) &&
	    same_value(old->v[SPR_ROLE], rec->v[SPR_ROLE]))
		return;
	rec->v[SPR_APPOINTED_BY] = actor_person(cx);
	rec->v[SPR_APPOINTED_ON] = ctx_today(cx);
}

/* The system's roles decide whether it lacks one (R-1-18). */
static int people_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			      const struct record *old, struct db_error *err)
{
	int64_t sys = 0, was = 0;

	parse_i64(rec->v[SPR_SYSTEM], &sys);
	if (old && old->v[SPR_SYSTEM])
		parse_i64(old->v[SPR_SYSTEM], &was);
	if (was && was != sys && systems_derive(cx, was, err) != 0)
		return -1;
	return systems_derive(cx, sys, err);
}

static const struct entity_field people_fields[] = {
	[SPR_SYSTEM] = { "system_id", M_SYSTEM, 0, F_REF, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_systems, 0 },
	[SPR_PERSON] = { "person_id", M_F_PERSON, 0, F_REF, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &org_people, 0 },
	[SPR_ROLE] = { "role", M_F_ROLE, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER,
		       system_roles, NULL, 0 },
	[SPR_APPOINTED_BY] = { "appointed_by", M_F_APPOINTED_BY, 0, F_REF, 0, 0,
			       FF_NO_FORM | FF_NO_IMPORT, NULL, &org_people, 0 },
	[SPR_APPOINTED_ON] = { "appointed_on", M_F_APPOINTED_ON, 0, F_DATE, 0, 0,
			       FF_NO_FORM | FF_NO_IMPORT | FF_LIST, NULL, NULL, 0 },
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
	.validate = people_validate,
	.after_write = people_after_write,
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
