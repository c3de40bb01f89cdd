/* secplans.c - the register "security-plans": a system's security plan in
 * versions, signed by its owner and frozen, revised as a new version, and
 * marked for a new version when the system changes (secplans.h states the
 * rules). */
#include "base/base.h"

#include "base/clock.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/secplans/secplans.h"
#include "modules/systems/systems.h"

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int64_t ref_of(const struct record *rec, int fi)
{
	int64_t x = 0;

	if (!rec->v[fi] || parse_i64(rec->v[fi], &x) != 0)
		return 0;
	return x;
}

static const struct choice plan_states[] = {
	{ SECPLAN_DRAFT, M_SSP_ST_DRAFT },
	{ SECPLAN_SIGNED, M_SSP_ST_SIGNED },
	{ NULL, 0 },
};

#define STATUS_FIELD(col, label, type, ref) \
	{ col, label, 0, type, 0, 0, FF_NO_FORM | FF_NO_IMPORT | FF_SUMMARY, NULL, ref, 0 }
#define TEXT(col, label, help, group) \
	{ col, label, help, F_TEXT, 0, 500, FF_SEARCH, NULL, NULL, group }
#define LONG(col, label, help, group) \
	{ col, label, help, F_LONGTEXT, 0, 8000, FF_SEARCH, NULL, NULL, group }

static const struct entity_field plan_fields[] = {
	[SP_SYSTEM] = { "system_id", M_SSP_F_SYSTEM, M_SSP_H_SYSTEM, F_REF, 0, 0,
			FF_REQUIRED | FF_LIST | FF_FILTER | FF_SUMMARY, NULL, &sys_systems, 0 },
	[SP_TITLE] = { "title", M_SSP_F_TITLE, 0, F_TEXT, 0, 300,
		       FF_NO_FORM | FF_NO_IMPORT | FF_SEARCH | FF_SORT | FF_SUMMARY, NULL, NULL, 0 },
	[SP_PLAN_VERSION] = { "plan_version", M_SSP_F_VERSION, 0, F_INT, 0, INT32_MAX,
			      FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_SUMMARY, NULL, NULL, 0 },
	[SP_STATE] = { "state", M_SSP_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER | FF_SUMMARY,
		       plan_states, NULL, 0 },
	[SP_LATEST] = { "latest", M_SSP_F_LATEST, M_SSP_H_LATEST, F_BOOL, 0, 0,
			FF_NO_FORM | FF_NO_IMPORT | FF_FILTER | FF_SUMMARY, NULL, NULL, 0 },
	[SP_NEEDS_NEW] = { "needs_new_version", M_SSP_F_NEEDS_NEW, 0, F_BOOL, 0, 0,
			   FF_NO_FORM | FF_NO_IMPORT | FF_FILTER | FF_SUMMARY, NULL, NULL, 0 },
	[SP_NEW_REASON] = STATUS_FIELD("new_version_reason", M_SSP_F_NEW_REASON, F_LONGTEXT, NULL),
	[SP_SIGNED_BY] = STATUS_FIELD("signed_by", M_SSP_F_SIGNED_BY, F_REF, &org_people),
	[SP_SIGNED_ON] = { "signed_on", M_SSP_F_SIGNED_ON, 0, F_DATE, 0, 0,
			   FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_SUMMARY, NULL, NULL, 0 },
	[SP_RECORDED_BY] = STATUS_FIELD("signed_recorded_by", M_SSP_F_RECORDED_BY, F_REF,
					&org_people),
	[SP_REVIEW_ON] = { "review_on", M_SSP_F_REVIEW_ON, 0, F_DATE, 0, 0,
			   FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_DUE | FF_SUMMARY, NULL, NULL,
			   0 },
	[SP_PREVIOUS] = STATUS_FIELD("previous_id", M_SSP_F_PREVIOUS, F_REF, &sp_plans),
	/* seed 004 §3 Systemägare, in its order (R-5-02 .. R-5-14) */
	[SP_INFORMATION] = LONG("information", M_SSP_F_INFORMATION, M_SSP_H_INFORMATION,
				M_SSP_G_INFORMATION),
	[SP_LAWS] = LONG("laws", M_SSP_F_LAWS, M_SSP_H_LAWS, M_SSP_G_INFORMATION),
	[SP_CIA] = LONG("cia_requirements", M_SSP_F_CIA, M_SSP_H_CIA, M_SSP_G_PROTECTION),
	[SP_EXTRA] = LONG("extra_requirements", M_SSP_F_EXTRA, M_SSP_H_EXTRA, M_SSP_G_PROTECTION),
	[SP_THREATS] = LONG("threats", M_SSP_F_THREATS, M_SSP_H_THREATS, M_SSP_G_THREATS),
	[SP_ACCESS_PROFILES] = LONG("access_profiles", M_SSP_F_ACCESS, M_SSP_H_ACCESS,
				    M_SSP_G_ACCESS),
	[SP_ACCESS_DECIDED_BY] = TEXT("access_decided_by", M_SSP_F_ACCESS_BY, M_SSP_H_ACCESS_BY,
				      M_SSP_G_ACCESS),
	[SP_LOG_SCOPE] = LONG("log_scope", M_SSP_F_LOG_SCOPE, M_SSP_H_LOG_SCOPE, M_SSP_G_LOGGING),
	[SP_LOG_WHO] = TEXT("log_followup_who", M_SSP_F_LOG_WHO, 0, M_SSP_G_LOGGING),
	[SP_LOG_OFTEN] = TEXT("log_followup_often", M_SSP_F_LOG_OFTEN, M_SSP_H_LOG_OFTEN,
			      M_SSP_G_LOGGING),
	[SP_LOG_RETENTION] = LONG("log_retention", M_SSP_F_LOG_RETENTION, M_SSP_H_LOG_RETENTION,
				  M_SSP_G_LOGGING),
	[SP_MAX_OUTAGE] = TEXT("max_outage", M_SSP_F_MAX_OUTAGE, M_SSP_H_MAX_OUTAGE,
			       M_SSP_G_CONTINUITY),
	[SP_MAX_LOSS] = TEXT("max_data_loss", M_SSP_F_MAX_LOSS, M_SSP_H_MAX_LOSS,
			     M_SSP_G_CONTINUITY),
	[SP_RESTORE_TIME] = TEXT("restore_time", M_SSP_F_RESTORE, M_SSP_H_RESTORE,
				 M_SSP_G_CONTINUITY),
	[SP_BACKUP] = LONG("backup", M_SSP_F_BACKUP, M_SSP_H_BACKUP, M_SSP_G_CONTINUITY),
	[SP_CONTINUITY] = LONG("continuity", M_SSP_F_CONTINUITY, M_SSP_H_CONTINUITY,
			       M_SSP_G_CONTINUITY),
	[SP_ORGANISATION] = LONG("organisation_roles", M_SSP_F_ORGANISATION, M_SSP_H_ORGANISATION,
				 M_SSP_G_ORGANISATION),
	/* what the listener compares and what the signer saw: the module's */
	[SP_BASIS] = { "basis", M_SSP_F_BASIS, 0, F_TEXT, 0, 500,
		       FF_NO_FORM | FF_NO_IMPORT | FF_SUMMARY, NULL, NULL, 0 },
	[SP_FACTS] = { "facts_json", M_SSP_F_FACTS, 0, F_LONGTEXT, 0, 200000,
		       FF_NO_FORM | FF_NO_IMPORT | FF_SUMMARY, NULL, NULL, 0 },
	{ NULL },
};

/* ---- the system's versions ---- */

static const char sql_latest[] =
	"SELECT id, plan_version, state FROM security_plan"
	" WHERE org_id = $1 AND system_id = $2 AND archived = 0"
	" ORDER BY plan_version DESC LIMIT 1";
static const char sql_max_version[] =
	"SELECT max(plan_version) FROM security_plan WHERE org_id = $1 AND system_id = $2";
static const char sql_system_name[] =
	"SELECT name FROM it_system WHERE org_id = $1 AND id = $2";
/* the newest live version is the latest; every other is not */
static const char sql_relatest[] =
	"UPDATE security_plan SET latest = CASE WHEN id = $3 THEN 1 ELSE 0 END"
	" WHERE org_id = $1 AND system_id = $2 AND (latest = 1 OR id = $3)";

static const char *prefill_organisation(struct ctx *cx, int64_t system_id,
					const struct secplan_facts *f);
static const char *prefill_extra(struct ctx *cx, int64_t system_id,
				 const struct secplan_facts *f);

/* Version 1 comes filled in with what Värn knows (secplans.h); the owner
 * changes what it says. */
static void prefill(struct ctx *cx, struct record *rec, int64_t system_id)
{
	struct secplan_facts f;
	struct db_error err;
	struct buf b = BUF_INIT;
	int lang = cx->lang;

	if (secplan_facts_now(cx, system_id, &f, &err) != 0)
		return;
	if (!rec->v[SP_INFORMATION] && f.ninfo) {
		for (size_t i = 0; i < f.ninfo; i++)
			buf_printf(&b, "%s%s (%s)", i ? "\n" : "", f.info[i].name, f.info[i].levels);
		rec->v[SP_INFORMATION] = arena_strdup(cx->a, b.p);
		buf_reset(&b);
	}
	if (!rec->v[SP_LAWS]) {
		for (size_t i = 0; i < f.ninfo; i++)
			if (f.info[i].laws)
				buf_printf(&b, "%s%s: %s", b.len ? "\n" : "", f.info[i].name,
					   f.info[i].laws);
		if (b.len)
			rec->v[SP_LAWS] = arena_strdup(cx->a, b.p);
		buf_reset(&b);
	}
	if (!rec->v[SP_CIA])
		rec->v[SP_CIA] = arena_printf(cx->a, "%s %s.%s", msg_text(lang, M_SSP_PRE_CIA),
			f.levels, is(f.business_critical, msg_text(lang, M_SSP_YES)) ?
			arena_printf(cx->a, " %s", msg_text(lang, M_SSP_PRE_CRITICAL)) : "");
	if (!rec->v[SP_EXTRA])
		rec->v[SP_EXTRA] = prefill_extra(cx, system_id, &f);
	if (!rec->v[SP_ACCESS_DECIDED_BY] && f.owner)
		rec->v[SP_ACCESS_DECIDED_BY] = arena_printf(cx->a, "%s (%s)",
			msg_text(lang, M_SSP_PRE_OWNER), f.owner);
	if (!rec->v[SP_ORGANISATION])
		rec->v[SP_ORGANISATION] = prefill_organisation(cx, system_id, &f);
	buf_release(&b);
}

static const char sql_backup[] =
	"SELECT backup_by, backup_how FROM it_system WHERE org_id = $1 AND id = $2";

static void prefill_backup(struct ctx *cx, struct record *rec, int64_t system_id)
{
	struct db_rows r;
	struct db_error err;

	if (rec->v[SP_BACKUP] ||
	    db_exec(cx->db, cx->a, sql_backup, DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)),
		    &r, &err) != 0 || r.nrows != 1)
		return;
	if (db_cell(&r, 0, 0) || db_cell(&r, 0, 1))
		rec->v[SP_BACKUP] = arena_printf(cx->a, "%s%s%s",
			db_cell(&r, 0, 0) ? db_cell(&r, 0, 0) : "",
			db_cell(&r, 0, 0) && db_cell(&r, 0, 1) ? ": " : "",
			db_cell(&r, 0, 1) ? db_cell(&r, 0, 1) : "");
}

static const char sql_people[] =
	"SELECT person_id, role FROM system_person WHERE org_id = $1 AND system_id = $2"
	" AND archived = 0 ORDER BY role, id LIMIT 32";

static const char *prefill_organisation(struct ctx *cx, int64_t system_id,
					const struct secplan_facts *f)
{
	struct db_rows r;
	struct db_error err;
	struct buf b = BUF_INIT;
	int64_t ids[ENTITY_TITLES_MAX];
	const char *names[ENTITY_TITLES_MAX], *out;
	int lang = cx->lang;

	if (f->owner)
		buf_printf(&b, "%s: %s", msg_text(lang, M_SSP_PRE_OWNER), f->owner);
	if (f->unit)
		buf_printf(&b, "%s%s: %s", b.len ? "\n" : "", msg_text(lang, M_SSP_PRE_UNIT), f->unit);
	if (db_exec(cx->db, cx->a, sql_people, DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)),
		    &r, &err) == 0 && r.nrows) {
		for (size_t i = 0; i < r.nrows; i++)
			ids[i] = db_cell_i64(&r, i, 0);
		if (entity_titles(cx, &org_people, ids, r.nrows, names, &err) == 0)
			for (size_t i = 0; i < r.nrows; i++)
				if (names[i])
					buf_printf(&b, "%s%s: %s", b.len ? "\n" : "",
						   entity_choice_label(cx, &sys_people.fields[SPR_ROLE],
								       db_cell(&r, i, 1)), names[i]);
	}
	out = b.len ? arena_strdup(cx->a, b.p) : NULL;
	buf_release(&b);
	return out;
}

/* the system's own extra requirements (measures written for it, R-4-05)
 * and what lies outside the baseline */
static const char sql_own_measures[] =
	"SELECT code, title FROM measure WHERE system_id = $2 AND org_id = $1 AND archived = 0"
	" ORDER BY code_sk, id LIMIT 50";

static const char *prefill_extra(struct ctx *cx, int64_t system_id,
				 const struct secplan_facts *f)
{
	struct db_rows r;
	struct db_error err;
	struct buf b = BUF_INIT;
	const char *out;
	int lang = cx->lang;

	for (int a = 0; a < 4; a++)
		if (f->level[a] >= LEVEL_OUTSIDE_BASELINE) {
			buf_printf(&b, "%s", msg_text(lang, M_SSP_PRE_LEVEL4));
			break;
		}
	if (db_exec(cx->db, cx->a, sql_own_measures,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &r, &err) == 0)
		for (size_t i = 0; i < r.nrows; i++)
			buf_printf(&b, "%s%s %s", b.len ? "\n" : "", db_cell(&r, i, 0),
				   db_cell(&r, i, 1));
	if (f->gaps)
		buf_printf(&b, "%s%s", b.len ? "\n" : "", msg_fill(cx->a,
			msg_text(lang, M_SSP_PRE_GAPS), "{n}", arena_printf(cx->a, "%lld",
			(long long)f->gaps)));
	out = b.len ? arena_strdup(cx->a, b.p) : NULL;
	buf_release(&b);
	return out;
}

/* A signed version (and an older one) is frozen: what the owner signed
 * stays as signed.  Its state, review date and newest flag move by the
 * transitions and the module. */
static int plan_frozen(const struct record *old)
{
	return old && (is(old->v[SP_STATE], SECPLAN_SIGNED) || !is(old->v[SP_LATEST], "1"));
}

static int may_change_when_frozen(size_t i)
{
	return i == SP_STATE || i == SP_REVIEW_ON || i == SP_LATEST || i == SP_NEEDS_NEW ||
	       i == SP_NEW_REASON;
}

static void plan_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	int64_t sys = ref_of(rec, SP_SYSTEM);
	struct db_rows r;
	struct db_error err;

	if (old) {
		if (ref_of(old, SP_SYSTEM) != sys)
			field_error_add(errs, SP_SYSTEM, M_SSP_V_SYSTEM_FIXED, "invalid");
		if (plan_frozen(old) && old->archived == rec->archived)
			for (size_t i = 0; i < e->nfields; i++)
				if (!may_change_when_frozen(i) && !same(old->v[i], rec->v[i])) {
					field_error_add(errs, -1, M_SSP_V_FROZEN, "frozen");
					return;
				}
		return;
	}
	/* a new version: the next number; its predecessor must be signed */
	rec->v[SP_STATE] = SECPLAN_DRAFT;
	rec->v[SP_LATEST] = "1";
	rec->v[SP_NEEDS_NEW] = "0";
	if (!sys)
		return;
	if (db_exec(cx->db, cx->a, sql_latest, DB_ARGS(DB_INT(cx->org->id), DB_INT(sys)), &r,
		    &err) != 0) {
		field_error_add(errs, -1, M_SSP_V_READ, "invalid");
		return;
	}
	if (r.nrows && is(db_cell(&r, 0, 2), SECPLAN_DRAFT)) {
		field_error_add(errs, SP_SYSTEM, M_SSP_V_HAS_DRAFT, "unique");
		return;
	}
	rec->v[SP_PREVIOUS] = r.nrows ? db_cell(&r, 0, 0) : NULL;
	if (db_exec(cx->db, cx->a, sql_max_version, DB_ARGS(DB_INT(cx->org->id), DB_INT(sys)),
		    &r, &err) != 0)
		return;
	rec->v[SP_PLAN_VERSION] = arena_printf(cx->a, "%lld",
		(long long)(r.nrows && db_cell(&r, 0, 0) ? db_cell_i64(&r, 0, 0) + 1 : 1));
	if (db_exec(cx->db, cx->a, sql_system_name, DB_ARGS(DB_INT(cx->org->id), DB_INT(sys)),
		    &r, &err) != 0 || r.nrows != 1)
		return;
	rec->v[SP_TITLE] = arena_printf(cx->a, "%s %s %s", db_cell(&r, 0, 0),
					msg_text(LANG_SV, M_SSP_VERSION_WORD),
					rec->v[SP_PLAN_VERSION]);
	if (!rec->v[SP_PREVIOUS]) {
		prefill(cx, rec, sys);
		prefill_backup(cx, rec, sys);
	}
}

static int relatest(struct ctx *cx, int64_t system_id, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_latest, DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)),
		    &r, err) != 0)
		return -1;
	return db_exec(cx->db, cx->a, sql_relatest,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id),
			       DB_INT(r.nrows ? db_cell_i64(&r, 0, 0) : 0)), NULL, err);
}

static int plan_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			    const struct record *old, struct db_error *err)
{
	(void)e;
	/* a new version, or one archived or restored: the newest live one is
	 * the latest */
	if (!old || old->archived != rec->archived)
		return relatest(cx, ref_of(rec, SP_SYSTEM), err);
	return 0;
}

/* ---- signing and review ---- */

static const char sql_owner[] =
	"SELECT owner_id FROM it_system WHERE org_id = $1 AND id = $2";

/* The system's owner signs; the keepers record it on their behalf.  The
 * signer (owner) into *owner; 0 ok, 1 refused (errs), -1 err. */
static int who_signs(struct ctx *cx, const struct entity *e, const struct record *rec,
		     int64_t *owner, int64_t *recorder, struct field_errors *errs,
		     struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_owner,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(ref_of(rec, SP_SYSTEM))), &r, err) != 0)
		return -1;
	*owner = r.nrows ? db_cell_i64(&r, 0, 0) : 0;
	*recorder = 0;
	if (!*owner) {
		field_error_add(errs, SP_SYSTEM, M_SSP_V_NO_OWNER, "invalid");
		return 1;
	}
	if (cx->org->person_id && cx->org->person_id == *owner)
		return 0;
	if (!cx->user_id || ctx_has_role(cx, ROLES_SECPLAN_KEEPER)) {
		*recorder = cx->org->person_id;
		return 0;
	}
	(void)e;
	field_error_add(errs, -1, M_SSP_V_NOT_SIGNER, "denied");
	return 1;
}

static const char *year_after(struct ctx *cx, const char *day)
{
	int y, m, d;

	if (!day || sscanf(day, "%d-%d-%d", &y, &m, &d) != 3)
		return NULL;
	if (m == 2 && d == 29)
		d = 28;
	return arena_printf(cx->a, "%04d-%02d-%02d", y + 1, m, d);
}

static const struct entity_field sign_params[] = {
	{ "next_review", M_SSP_F_REVIEW_ON, M_SSP_H_NEXT_REVIEW, F_DATE, 0, 0, 0, NULL, NULL, 0 },
	{ "note", M_SSP_F_SIGN_NOTE, 0, F_LONGTEXT, 0, 2000, 0, NULL, NULL, 0 },
	{ NULL },
};

static int review_date(struct ctx *cx, const struct entity *e, const char *given,
		       struct record *rec, struct field_errors *errs)
{
	const char *today = ctx_today(cx);

	if (given && strcmp(given, today) <= 0) {
		field_error_add(errs, (int)e->nfields, M_SSP_V_REVIEW_PAST, "invalid");
		return 1;
	}
	rec->v[SP_REVIEW_ON] = given ? given : year_after(cx, today);
	return 0;
}

static int sign_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		     struct record *rec, const struct record *old, const char *const *pv,
		     struct field_errors *errs, struct db_error *err)
{
	int64_t owner, recorder, sys = ref_of(rec, SP_SYSTEM);
	struct secplan_facts f;
	const char *basis;
	int k;

	(void)t;
	(void)old;
	if (!is(rec->v[SP_LATEST], "1")) {
		field_error_add(errs, -1, M_SSP_OLDER_VERSION, "invalid");
		return 0;
	}
	if ((k = who_signs(cx, e, rec, &owner, &recorder, errs, err)) != 0)
		return k < 0 ? -1 : 0;
	if (review_date(cx, e, pv[0], rec, errs))
		return 0;
	if (secplan_facts_now(cx, sys, &f, err) != 0 || secplan_basis_now(cx, sys, &basis, err) != 0)
		return -1;
	rec->v[SP_SIGNED_BY] = arena_printf(cx->a, "%lld", (long long)owner);
	rec->v[SP_RECORDED_BY] = recorder ? arena_printf(cx->a, "%lld", (long long)recorder) : NULL;
	rec->v[SP_SIGNED_ON] = ctx_today(cx);
	rec->v[SP_FACTS] = secplan_facts_json(cx, &f);
	rec->v[SP_BASIS] = basis;
	rec->v[SP_NEEDS_NEW] = "0";
	rec->v[SP_NEW_REASON] = NULL;
	return 0;
}

static int reviewed_rule(struct ctx *cx, const struct entity *e,
			 const struct entity_transition *t, struct record *rec,
			 const struct record *old, const char *const *pv,
			 struct field_errors *errs, struct db_error *err)
{
	int64_t owner, recorder;
	int k;

	(void)t;
	(void)old;
	if ((k = who_signs(cx, e, rec, &owner, &recorder, errs, err)) != 0)
		return k < 0 ? -1 : 0;
	if (!is(rec->v[SP_LATEST], "1")) {
		field_error_add(errs, -1, M_SSP_OLDER_VERSION, "invalid");
		return 0;
	}
	if (is(rec->v[SP_NEEDS_NEW], "1")) {
		field_error_add(errs, -1, M_SSP_V_NEEDS_NEW, "invalid");
		return 0;
	}
	review_date(cx, e, pv[0], rec, errs);
	return 0;
}

static const char *const from_draft[] = { SECPLAN_DRAFT, NULL };
static const char *const from_signed[] = { SECPLAN_SIGNED, NULL };

static const struct entity_field reviewed_params[] = {
	{ "next_review", M_SSP_F_REVIEW_ON, M_SSP_H_NEXT_REVIEW, F_DATE, 0, 0, 0, NULL, NULL, 0 },
	{ "note", M_SSP_F_REVIEW_NOTE, M_SSP_H_REVIEW_NOTE, F_LONGTEXT, 0, 2000, 0, NULL, NULL, 0 },
	{ NULL },
};

static const struct entity_transition secplan_transitions[] = {
	{ .name = "sign", .label = M_SSP_T_SIGN, .help = M_SSP_T_SIGN_HELP, .field = "state",
	  .from = from_draft, .to = SECPLAN_SIGNED, .params = sign_params, .rule = sign_rule },
	{ .name = "reviewed", .label = M_SSP_T_REVIEWED, .help = M_SSP_T_REVIEWED_HELP,
	  .field = "state", .from = from_signed, .to = SECPLAN_SIGNED, .params = reviewed_params,
	  .rule = reviewed_rule },
	{ .name = NULL },
};

static const struct entity_link plan_links[] = {
	{ M_SSP_LISTS, "/security-plan-lists", ROLES_STAFF, NULL, NULL },
	{ 0, NULL, 0, NULL, NULL },
};

struct entity sp_plans = {
	.name = "security-plans",
	.table = "security_plan",
	.label_one = M_SSP_PLAN,
	.label_many = M_SSP_PLANS,
	.label_new = M_SSP_PLAN_NEW,
	.intro = M_SSP_PLANS_INTRO,
	.list_links = plan_links,
	.fields = plan_fields,
	.title_field = SP_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_SYSTEMS_WRITE,
	/* anyone who may change the system works on its plan; an older
	 * version is history (validate: frozen) */
	.parent_field = "system_id",
	.validate = plan_validate,
	.after_write = plan_after_write,
	.transitions = secplan_transitions,
	.show_summary = secplan_show_summary,
	.show_extra = secplan_show_extra,
};

/* ---- new versions ---- */

int64_t secplan_start(struct ctx *cx, int64_t system_id, struct db_error *err)
{
	const char *vals[SP__COUNT] = { 0 };

	vals[SP_SYSTEM] = arena_printf(cx->a, "%lld", (long long)system_id);
	return entity_create_values(cx, &sp_plans, vals, err);
}

int64_t secplan_revise(struct ctx *cx, int64_t plan_id, struct db_error *err)
{
	struct record old;
	const char *vals[SP__COUNT] = { 0 };

	if (entity_get(cx, &sp_plans, plan_id, &old, err) != 0)
		return 0;
	if (!is(old.v[SP_STATE], SECPLAN_SIGNED) || !is(old.v[SP_LATEST], "1") || old.archived) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof(err->msg), "%s", msg_text(cx->lang, M_SSP_V_NOT_REVISABLE));
		return 0;
	}
	vals[SP_SYSTEM] = old.v[SP_SYSTEM];
	for (int i = SP_CONTENT_FIRST; i <= SP_CONTENT_LAST; i++)
		vals[i] = old.v[i];
	return entity_create_values(cx, &sp_plans, vals, err);
}

/* ---- the system changed (the "system-changed" listener) ---- */

static const char sql_latest_signed[] =
	"SELECT id, basis, needs_new_version, new_version_reason, title FROM security_plan"
	" WHERE org_id = $1 AND system_id = $2 AND latest = 1 AND archived = 0"
	" AND state = 'signed'";
static const char sql_mark[] =
	"UPDATE security_plan SET needs_new_version = $3, new_version_reason = $4"
	" WHERE org_id = $1 AND id = $2";

/* "K2 R3 T3 S2|unit 5" -> its parts */
static void split_basis(struct ctx *cx, const char *b, const char **levels, const char **unit)
{
	const char *bar = b ? strchr(b, '|') : NULL;

	*levels = bar ? arena_printf(cx->a, "%.*s", (int)(bar - b), b) : b;
	*unit = bar ? bar + 1 : NULL;
}

/* Why the signed plan needs a new version, in Swedish (stored, shown as
 * written), or NULL when the system is as it was signed for. */
static const char *why_new(struct ctx *cx, const char *was, const char *now)
{
	const char *lw, *uw, *ln, *un, *why = NULL;

	if (!was || !now || strcmp(was, now) == 0)
		return NULL;
	split_basis(cx, was, &lw, &uw);
	split_basis(cx, now, &ln, &un);
	if (!same(lw, ln))
		why = msg_fill(cx->a, msg_fill(cx->a, msg_text(LANG_SV, M_SSP_WHY_LEVELS),
						    "{from}", lw), "{to}", ln);
	if (!same(uw, un))
		why = why ? arena_printf(cx->a, "%s %s", why, msg_text(LANG_SV, M_SSP_WHY_UNIT)) :
			    msg_text(LANG_SV, M_SSP_WHY_UNIT);
	return why;
}

int secplan_system_changed(struct ctx *cx, int64_t system_id, struct db_error *err)
{
	struct db_rows r;
	const char *now, *why;
	int was_marked;
	struct audit_event ev;

	if (db_exec(cx->db, cx->a, sql_latest_signed,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &r, err) != 0)
		return -1;
	if (r.nrows != 1 || secplan_basis_now(cx, system_id, &now, err) != 0)
		return r.nrows != 1 ? 0 : -1;
	why = why_new(cx, db_cell(&r, 0, 1), now);
	was_marked = db_cell_i64(&r, 0, 2) == 1;
	if (same(why, db_cell(&r, 0, 3)) && was_marked == (why != NULL))
		return 0;
	if (db_exec(cx->db, cx->a, sql_mark,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&r, 0, 0)), DB_INT(why != NULL),
			    why ? DB_TEXT(why) : DB_NULL), NULL, err) != 0)
		return -1;
	memset(&ev, 0, sizeof(ev));
	audit_from_ctx(cx, &ev);
	ev.org_id = cx->org->id;
	ev.action = "needs-new-version";
	ev.entity = sp_plans.name;
	ev.entity_id = db_cell_i64(&r, 0, 0);
	ev.summary = db_cell(&r, 0, 4);
	ev.after = why ? "{\"needs_new_version\":1}" : "{\"needs_new_version\":0}";
	return audit_append(cx->db, cx->a, &ev, err);
}
