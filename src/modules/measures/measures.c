/* measures.c - the registers of the measures module: the catalogues an
 * organisation has loaded, its measures and their assessments (measures.h
 * states the rule). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/measures/measures.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"

const struct choice measure_areas[] = {
	{ "governance", M_AREA_GOVERNANCE },
	{ "organisation", M_AREA_ORGANISATION },
	{ "people", M_AREA_PEOPLE },
	{ "assets", M_AREA_ASSETS },
	{ "access", M_AREA_ACCESS },
	{ "crypto", M_AREA_CRYPTO },
	{ "physical", M_AREA_PHYSICAL },
	{ "operations", M_AREA_OPERATIONS },
	{ "communications", M_AREA_COMMUNICATIONS },
	{ "development", M_AREA_DEVELOPMENT },
	{ "suppliers", M_AREA_SUPPLIERS },
	{ "incidents", M_AREA_INCIDENTS },
	{ "continuity", M_AREA_CONTINUITY },
	{ "compliance", M_AREA_COMPLIANCE },
	{ NULL, 0 },
};

int measure_area_index(const char *code)
{
	for (int i = 0; code && measure_areas[i].value; i++)
		if (strcmp(measure_areas[i].value, code) == 0)
			return i;
	return -1;
}

const struct choice measure_types[] = {
	{ "organisational", M_MTYPE_ORGANISATIONAL },
	{ "administrative", M_MTYPE_ADMINISTRATIVE },
	{ "physical", M_MTYPE_PHYSICAL },
	{ "technical", M_MTYPE_TECHNICAL },
	{ NULL, 0 },
};

const struct choice measure_scopes[] = {
	{ "system", M_SCOPE_SYSTEM },
	{ "organisation", M_SCOPE_ORGANISATION },
	{ NULL, 0 },
};

static const struct choice measure_sources[] = {
	{ "catalogue", M_SOURCE_CATALOGUE },
	{ "own", M_SOURCE_OWN },
	{ NULL, 0 },
};

/* the first is the default of a new row */
const struct choice measure_statuses[] = {
	{ ST_NOT_ASSESSED, M_ST_NOT_ASSESSED },
	{ ST_MET, M_ST_MET },
	{ ST_PARTLY, M_ST_PARTLY },
	{ ST_NOT_MET, M_ST_NOT_MET },
	{ ST_NA, M_ST_NA },
	{ ST_SUPPLIER, M_ST_SUPPLIER },
	{ NULL, 0 },
};

const struct choice measure_severities[] = {
	{ "negligible", M_SEV_NEGLIGIBLE },
	{ "moderate", M_SEV_MODERATE },
	{ "significant", M_SEV_SIGNIFICANT },
	{ "serious", M_SEV_SERIOUS },
	{ NULL, 0 },
};

static const struct choice catalogue_sources[] = {
	{ "builtin", M_CSOURCE_BUILTIN },
	{ "imported", M_CSOURCE_IMPORTED },
	{ "manual", M_CSOURCE_MANUAL },
	{ NULL, 0 },
};

static int same_value(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---- catalogues ---- */

static const struct entity_field catalogue_fields[] = {
	[CF_CODE] = { "code", M_F_CAT_CODE, M_H_CAT_CODE, F_TEXT, 1, 60,
		      FF_REQUIRED | FF_SEARCH | FF_UNIQUE, NULL, NULL, 0 },
	[CF_TITLE] = { "title", M_F_CAT_TITLE, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[CF_VERSION] = { "cat_version", M_F_CAT_VERSION, 0, F_TEXT, 1, 40,
			 FF_REQUIRED | FF_LIST, NULL, NULL, 0 },
	[CF_LICENCE] = { "licence", M_F_CAT_LICENCE, M_H_CAT_LICENCE, F_LONGTEXT, 0, 2000, 0,
			 NULL, NULL, 0 },
	[CF_SOURCE] = { "source", M_F_CAT_SOURCE, 0, F_ENUM, 0, 0, FF_NO_FORM | FF_NO_IMPORT | FF_LIST,
			catalogue_sources, NULL, 0 },
	/* R-4-01: the framework adopted as the baseline every system reaches */
	[CF_BASELINE] = { "is_baseline", M_F_CAT_BASELINE, M_H_CAT_BASELINE, F_BOOL, 0, 0,
			  FF_LIST | FF_FILTER, NULL, NULL, 0 },
	[CF_LOADED_ON] = { "loaded_on", M_F_CAT_LOADED_ON, 0, F_DATE, 0, 0,
			   FF_NO_FORM | FF_NO_IMPORT | FF_LIST, NULL, NULL, 0 },
	{ NULL },
};

static void catalogue_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			       const struct record *old, struct field_errors *errs)
{
	/* one registered by hand: a framework adopted outside Värn */
	if (!old && !rec->v[CF_SOURCE])
		rec->v[CF_SOURCE] = "manual";
}

static const struct entity_link catalogue_links[] = {
	{ M_CAT_PAGE, "/measures/catalogue", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity ms_catalogues = {
	.name = "measure-catalogues",
	.table = "measure_catalogue",
	.label_one = M_CATALOGUE,
	.label_many = M_CATALOGUES,
	.label_new = M_CATALOGUE_NEW,
	.intro = M_CATALOGUES_INTRO,
	.list_links = catalogue_links,
	.fields = catalogue_fields,
	.title_field = CF_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_MEASURES_ADMIN,
	.validate = catalogue_validate,
};

/* ---- measures ---- */

#define MIN_FIELD(col, label) \
	{ col, label, M_H_MIN_LEVEL, F_INT, 0, 3, 0, NULL, NULL, M_G_MIN_LEVELS }
#define REF_FIELD(col, label, help) \
	{ col, label, help, F_TEXT, 0, 200, FF_SEARCH, NULL, NULL, M_G_REFERENCES }

static const struct entity_field measure_fields[] = {
	[MF_CODE] = { "code", M_F_MEASURE_CODE, M_H_MEASURE_CODE, F_TEXT, 1, 20,
		      FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT | FF_UNIQUE, NULL, NULL, 0 },
	[MF_TITLE] = { "title", M_F_MEASURE_TITLE, 0, F_TEXT, 1, 300,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[MF_TITLE_EN] = { "title_en", M_F_TITLE_EN, 0, F_TEXT, 0, 300, FF_SEARCH, NULL, NULL, 0 },
	[MF_AREA] = { "area", M_F_AREA, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER,
		      measure_areas, NULL, 0 },
	[MF_TYPE] = { "mtype", M_F_MTYPE, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_FILTER, measure_types,
		      NULL, 0 },
	[MF_SCOPE] = { "scope", M_F_SCOPE, M_H_SCOPE, F_ENUM, 0, 0,
		       FF_REQUIRED | FF_LIST | FF_FILTER, measure_scopes, NULL, 0 },
	[MF_MIN_K] = MIN_FIELD("min_k", M_F_MIN_K),
	[MF_MIN_R] = MIN_FIELD("min_r", M_F_MIN_R),
	[MF_MIN_T] = MIN_FIELD("min_t", M_F_MIN_T),
	[MF_MIN_S] = MIN_FIELD("min_s", M_F_MIN_S),
	[MF_DESCRIPTION] = { "description", M_F_MEASURE_TEXT, 0, F_LONGTEXT, 0, 4000, FF_SEARCH,
			     NULL, NULL, 0 },
	[MF_DESCRIPTION_EN] = { "description_en", M_F_MEASURE_TEXT_EN, 0, F_LONGTEXT, 0, 4000, 0,
				NULL, NULL, 0 },
	[MF_REQ_TEXT] = { "req_text", M_F_REQ_TEXT, M_H_REQ_TEXT, F_LONGTEXT, 0, 2000, FF_SEARCH,
			  NULL, NULL, 0 },
	[MF_REF_ISO] = REF_FIELD("ref_iso", M_F_REF_ISO, M_H_REF_ISO),
	[MF_REF_MSBFS] = REF_FIELD("ref_msbfs", M_F_REF_MSBFS, 0),
	[MF_REF_NIS2] = REF_FIELD("ref_nis2", M_F_REF_NIS2, M_H_REF_NIS2),
	[MF_REF_SEED] = REF_FIELD("ref_seed", M_F_REF_SEED, 0),
	[MF_REF_REQ] = REF_FIELD("ref_req", M_F_REF_REQ, 0),
	/* R-4-05: an extra requirement of one system, beyond the baseline */
	[MF_SYSTEM] = { "system_id", M_F_EXTRA_FOR, M_H_EXTRA_FOR, F_REF, 0, 0, FF_FILTER, NULL,
			&sys_systems, 0 },
	[MF_SOURCE] = { "source", M_F_MEASURE_SOURCE, 0, F_ENUM, 0, 0,
			FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, measure_sources, NULL, 0 },
	[MF_CATALOGUE] = { "catalogue_id", M_CATALOGUE, 0, F_REF, 0, 0,
			   FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, &ms_catalogues, 0 },
	[MF_CHANGED_IN] = { "changed_in", M_F_CHANGED_IN, 0, F_TEXT, 0, 40,
			    FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, 0 },
	{ NULL },
};

static void measure_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			     const struct record *old, struct field_errors *errs)
{
	int any = 0;

	if (!old && !rec->v[MF_SOURCE])
		rec->v[MF_SOURCE] = "own";
	for (int a = 0; a < ASPECTS; a++)
		any |= rec->v[MF_MIN_K + a] != NULL;
	if (!any && !rec->v[MF_SYSTEM])
		field_error_add(errs, MF_MIN_K, M_V_MIN_LEVEL, "required");
	if (rec->v[MF_SYSTEM] && rec->v[MF_SCOPE] && strcmp(rec->v[MF_SCOPE], "system") != 0)
		field_error_add(errs, MF_SYSTEM, M_V_EXTRA_SCOPE, "invalid");
}

/* A catalogue's measure changes only with a new version of the catalogue
 * (catalogue.c, which writes without the engine): its text is the
 * catalogue's, and the assessments made against it are kept. */
static int measure_may(struct ctx *cx, const struct entity *e, const struct record *rec,
		       enum entity_op op)
{
	if (op == OP_READ || !rec->id)
		return 1;
	return !rec->v[MF_SOURCE] || strcmp(rec->v[MF_SOURCE], "catalogue") != 0;
}

static int measure_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			       const struct record *old, struct db_error *err)
{
	return gap_sync_measure(cx, rec->id, err);
}

static const struct entity_link measure_links[] = {
	{ M_CAT_PAGE, "/measures/catalogue", ROLES_STAFF },
	{ M_GAP_OVERVIEW, "/gap", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity ms_measures = {
	.name = "measures",
	.table = "measure",
	.label_one = M_MEASURE,
	.label_many = M_MEASURES,
	.label_new = M_MEASURE_NEW,
	.intro = M_MEASURES_INTRO,
	.list_links = measure_links,
	.fields = measure_fields,
	.title_field = MF_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_MEASURES_ADMIN | RB(ROLE_SYSTEM_OWNER),
	/* an extra requirement is its system's: its owner adds it */
	.parent_field = "system_id",
	.validate = measure_validate,
	.may = measure_may,
	.after_write = measure_after_write,
	.show_extra = measure_show_extra,
};

/* ---- assessments ---- */

static const struct entity_field assessment_fields[] = {
	[AF_MEASURE] = { "measure_id", M_MEASURE, 0, F_REF, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &ms_measures, 0 },
	[AF_SYSTEM] = { "system_id", M_F_SYSTEM, M_H_ASSESS_SYSTEM, F_REF, 0, 0,
			FF_LIST | FF_FILTER, NULL, &sys_systems, 0 },
	[AF_STATUS] = { "status", M_F_STATUS, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_FILTER,
			measure_statuses, NULL, 0 },
	[AF_INHERIT] = { "inherit", M_F_INHERIT, M_H_INHERIT, F_BOOL, 0, 0, FF_FILTER, NULL, NULL,
			 0 },
	[AF_HOW] = { "how", M_F_HOW, M_H_HOW, F_LONGTEXT, 0, 4000, FF_SEARCH, NULL, NULL, 0 },
	[AF_EVIDENCE] = { "evidence", M_F_EVIDENCE, M_H_EVIDENCE, F_TEXT, 0, 500, FF_SEARCH, NULL,
			  NULL, 0 },
	[AF_SEVERITY] = { "severity", M_F_SEVERITY, M_H_SEVERITY, F_ENUM, 0, 0, FF_FILTER,
			  measure_severities, NULL, 0 },
	[AF_MOTIVATION] = { "motivation", M_F_MOTIVATION, M_H_MOTIVATION, F_LONGTEXT, 0, 2000,
			    FF_SEARCH, NULL, NULL, 0 },
	[AF_COMMENT] = { "comment", M_F_COMMENT, 0, F_LONGTEXT, 0, 2000, FF_SEARCH, NULL, NULL, 0 },
	[AF_ASSESSED_BY] = { "assessed_by", M_F_ASSESSED_BY, 0, F_REF, 0, 0,
			     FF_NO_FORM | FF_NO_IMPORT, NULL, &org_people, 0 },
	[AF_ASSESSED_ON] = { "assessed_on", M_F_ASSESSED_ON, 0, F_DATE, 0, 0,
			     FF_NO_FORM | FF_NO_IMPORT | FF_LIST, NULL, NULL, 0 },
	[AF_REQUIRED] = { "required", M_F_REQUIRED, M_H_REQUIRED, F_BOOL, 0, 0,
			  FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL, 0 },
	[AF_NEW] = { "new_required", M_F_NEW_REQUIRED, 0, F_BOOL, 0, 0,
		     FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL, 0 },
	[AF_CHANGED] = { "measure_changed", M_F_MEASURE_CHANGED, 0, F_BOOL, 0, 0,
			 FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL, 0 },
	[AF_AREA] = { "area", M_F_AREA, 0, F_ENUM, 0, 0, FF_NO_FORM | FF_NO_IMPORT | FF_FILTER,
		      measure_areas, NULL, 0 },
	[AF_UNIT] = { "unit_id", M_F_UNIT_OF_SYSTEM, 0, F_REF, 0, 0,
		      FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, &org_units, 0 },
	[AF_SYS_LEVEL] = { "sys_level", M_F_SYS_LEVEL, 0, F_INT, -1, 4,
			   FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL, 0 },
	[AF_EFFECTIVE] = { "effective_status", M_F_EFFECTIVE, 0, F_ENUM, 0, 0,
			   FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER, measure_statuses, NULL,
			   0 },
	[AF_CODE] = { "code", M_F_MEASURE_CODE, 0, F_TEXT, 0, 20,
		      FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_SORT, NULL, NULL, 0 },
	{ NULL },
};

static const char sql_measure_facts[] =
	"SELECT area, code, scope, min_k, min_r, min_t, min_s, system_id, archived, code_sk"
	" FROM measure WHERE org_id = $1 AND id = $2";
static const char sql_system_facts[] =
	"SELECT level_k, level_r, level_t, level_s, level_max, unit_id, archived"
	" FROM it_system WHERE org_id = $1 AND id = $2";
static const char sql_shared_status[] =
	"SELECT status FROM measure_assessment"
	" WHERE org_id = $1 AND measure_id = $2 AND system_id IS NULL";
static const char sql_same_row[] =
	"SELECT id FROM measure_assessment WHERE org_id = $1 AND measure_id = $2"
	" AND ((system_id IS NULL AND $3 = 0) OR system_id = $3) AND id <> $4";

static int cell_level(const struct db_rows *r, size_t c)
{
	return db_cell(r, 0, c) ? (int)db_cell_i64(r, 0, c) : LEVEL_NOT_SET;
}

/* Everything an assessment carries besides what the person says: the
 * measure's area and code, the system's unit and level, whether it is
 * required, the status in effect, who assessed it and when. */
static void assessment_validate(struct ctx *cx, const struct entity *e, struct record *rec,
				const struct record *old, struct field_errors *errs)
{
	struct db_rows m, s, r;
	struct db_error err;
	int64_t mid = 0, sid = 0;
	int min[ASPECTS], lv[ASPECTS], required = 1;
	const char *st = rec->v[AF_STATUS] ? rec->v[AF_STATUS] : ST_NOT_ASSESSED;

	if (!rec->v[AF_MEASURE] || parse_i64(rec->v[AF_MEASURE], &mid) != 0)
		return; /* required: reported */
	if (rec->v[AF_SYSTEM])
		parse_i64(rec->v[AF_SYSTEM], &sid);
	/* an assessment is of one measure for one holder, for good */
	if (old && (!same_value(old->v[AF_MEASURE], rec->v[AF_MEASURE]) ||
		    !same_value(old->v[AF_SYSTEM], rec->v[AF_SYSTEM]))) {
		field_error_add(errs, same_value(old->v[AF_MEASURE], rec->v[AF_MEASURE]) ?
				AF_SYSTEM : AF_MEASURE, M_V_ASSESSMENT_FIXED, "invalid");
		return;
	}
	if (db_exec(cx->db, cx->a, sql_measure_facts, DB_ARGS(DB_INT(cx->org->id), DB_INT(mid)),
		    &m, &err) != 0 || m.nrows != 1)
		return; /* the reference check reports it */
	if (db_exec(cx->db, cx->a, sql_same_row,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(mid), DB_INT(sid), DB_INT(rec->id)), &r,
		    &err) == 0 && r.nrows > 0) {
		field_error_add(errs, AF_MEASURE, sid ? M_V_ASSESSED_ALREADY : M_V_ASSESSED_ALREADY_ORG,
				"unique");
		return;
	}
	rec->v[AF_AREA] = db_cell(&m, 0, 0);
	rec->v[AF_CODE] = db_cell(&m, 0, 1);
	if (sid) {
		if (strcmp(db_cell(&m, 0, 2), "organisation") == 0) {
			field_error_add(errs, AF_SYSTEM, M_V_ORG_MEASURE, "invalid");
			return;
		}
		if (db_exec(cx->db, cx->a, sql_system_facts,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(sid)), &s, &err) != 0 ||
		    s.nrows != 1)
			return;
		for (int a = 0; a < ASPECTS; a++) {
			min[a] = db_cell(&m, 0, 3 + (size_t)a) ? (int)db_cell_i64(&m, 0, 3 + (size_t)a)
							      : MIN_NONE;
			lv[a] = cell_level(&s, (size_t)a);
		}
		/* an extra requirement is its system's alone (selection.c) */
		required = db_cell(&m, 0, 7) ? db_cell_i64(&m, 0, 7) == sid
					     : measure_required(min, lv);
		required = required && db_cell_i64(&s, 0, 6) == 0;
		rec->v[AF_UNIT] = db_cell(&s, 0, 5);
		rec->v[AF_SYS_LEVEL] = db_cell(&s, 0, 4) ? db_cell(&s, 0, 4) : "0";
	} else {
		rec->v[AF_UNIT] = NULL;
		rec->v[AF_SYS_LEVEL] = "-1";
		rec->v[AF_INHERIT] = "0";
	}
	required = required && db_cell_i64(&m, 0, 8) == 0;
	rec->v[AF_REQUIRED] = required ? "1" : "0";
	if (rec->v[AF_INHERIT] && strcmp(rec->v[AF_INHERIT], "1") == 0) {
		if (db_exec(cx->db, cx->a, sql_shared_status,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(mid)), &r, &err) != 0 ||
		    r.nrows != 1) {
			field_error_add(errs, AF_INHERIT, M_V_NO_SHARED, "invalid");
			return;
		}
		rec->v[AF_EFFECTIVE] = db_cell(&r, 0, 0);
	} else {
		rec->v[AF_EFFECTIVE] = st;
	}
	if (strcmp(st, ST_NA) == 0 && !rec->v[AF_MOTIVATION])
		field_error_add(errs, AF_MOTIVATION, M_V_NA_MOTIVATION, "required");
	/* who assessed and when: whoever changed what is said about it */
	if (!old || !same_value(old->v[AF_STATUS], rec->v[AF_STATUS]) ||
	    !same_value(old->v[AF_HOW], rec->v[AF_HOW]) ||
	    !same_value(old->v[AF_EVIDENCE], rec->v[AF_EVIDENCE]) ||
	    !same_value(old->v[AF_INHERIT], rec->v[AF_INHERIT]) ||
	    !same_value(old->v[AF_SEVERITY], rec->v[AF_SEVERITY])) {
		if (strcmp(st, ST_NOT_ASSESSED) != 0 || (rec->v[AF_INHERIT] &&
							 strcmp(rec->v[AF_INHERIT], "1") == 0)) {
			rec->v[AF_ASSESSED_BY] = cx->org->person_id ?
				arena_printf(cx->a, "%lld", (long long)cx->org->person_id) : NULL;
			rec->v[AF_ASSESSED_ON] = ctx_today(cx);
			/* assessed again: no longer new, nor left from an
			 * older text of the measure */
			rec->v[AF_NEW] = "0";
			rec->v[AF_CHANGED] = "0";
		}
	}
	if (!rec->v[AF_NEW])
		rec->v[AF_NEW] = "0";
	if (!rec->v[AF_CHANGED])
		rec->v[AF_CHANGED] = "0";
}

/* The organisation's own rows (organisation-wide measures and the shared
 * assessments) are the organisation's keepers' and the IT manager's; a
 * system's rows follow the access to their system: parent_field. */
static int assessment_may(struct ctx *cx, const struct entity *e, const struct record *rec,
			  enum entity_op op)
{
	if (op == OP_READ || rec->v[AF_SYSTEM] || !cx->user_id)
		return 1;
	return ctx_has_role(cx, ROLES_MEASURES_ADMIN);
}

static int assessment_after_write(struct ctx *cx, const struct entity *e,
				  const struct record *rec, const struct record *old,
				  struct db_error *err)
{
	int64_t mid = 0;

	/* a shared assessment: the systems that inherit it follow */
	if (rec->v[AF_SYSTEM] || parse_i64(rec->v[AF_MEASURE], &mid) != 0)
		return 0;
	if (old && same_value(old->v[AF_STATUS], rec->v[AF_STATUS]) &&
	    old->archived == rec->archived)
		return 0;
	return gap_sync_inherited(cx, mid, err);
}

static const struct entity_link assessment_links[] = {
	{ M_GAP_OVERVIEW, "/gap", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity ms_assessments = {
	.name = "assessments",
	.table = "measure_assessment",
	.label_one = M_ASSESSMENT,
	.label_many = M_ASSESSMENTS,
	.label_new = M_ASSESSMENT_NEW,
	.intro = M_ASSESSMENTS_INTRO,
	.list_links = assessment_links,
	.fields = assessment_fields,
	.title_field = AF_MEASURE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_SYSTEMS_WRITE | RB(ROLE_SYSTEM_ADMIN),
	.parent_field = "system_id",
	.validate = assessment_validate,
	.may = assessment_may,
	.after_write = assessment_after_write,
	.show_summary = assessment_show_summary,
};
