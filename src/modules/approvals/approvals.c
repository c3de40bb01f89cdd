/* approvals.c - the registers of the operational approval: approvals and
 * their conditions, the transitions from draft to decision, and the
 * marking for review (approvals.h states the rules). */
#include "base/base.h"

#include <jansson.h>
#include <stdlib.h>

#include "base/arena.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/approvals/approvals.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *id_text(struct ctx *cx, int64_t id)
{
	return arena_printf(cx->a, "%lld", (long long)id);
}

static int64_t ref_of(const struct record *rec, int fi)
{
	int64_t x = 0;

	if (!rec->v[fi] || parse_i64(rec->v[fi], &x) != 0)
		return 0;
	return x;
}

static int keeper(struct ctx *cx)
{
	return !cx->user_id || ctx_has_role(cx, ROLES_APPROVAL_PREPARE);
}

/* ---- approvals ---- */

static const struct choice states[] = {
	{ DG_DRAFT, M_DG_ST_DRAFT },
	{ DG_PROPOSED, M_DG_ST_PROPOSED },
	{ DG_DECIDED, M_DG_ST_DECIDED },
	{ DG_SUPERSEDED, M_DG_ST_SUPERSEDED },
	{ NULL, 0 },
};

/* the proposal and the decision say the same three things */
static const struct choice decisions[] = {
	{ DG_APPROVED, M_DG_DEC_APPROVED },
	{ DG_CONDITIONS, M_DG_DEC_CONDITIONS },
	{ DG_REJECTED, M_DG_DEC_REJECTED },
	{ NULL, 0 },
};

static const struct choice validities[] = {
	{ "valid", M_DG_VALID },
	{ "due", M_DG_DUE },
	{ "expired", M_DG_EXPIRED },
	{ NULL, 0 },
};

#define SNAP(col, label, type, group) \
	{ col, label, 0, type, 0, type == F_INT ? INT32_MAX : 8000, FF_NO_FORM | FF_NO_IMPORT, \
	  NULL, NULL, group }
#define SET(col, label, type, group) \
	{ col, label, 0, type, 0, type == F_INT ? INT32_MAX : 4000, FF_NO_FORM | FF_NO_IMPORT, \
	  NULL, NULL, group }

static const struct entity_field approval_fields[] = {
	[DG_SYSTEM] = { "system_id", M_DG_F_SYSTEM, M_DG_H_SYSTEM, F_REF, 0, 0,
			FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_systems, 0 },
	[DG_OWNER] = { "owner_id", M_DG_F_OWNER, 0, F_REF, 0, 0,
		       FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER, NULL, &org_people, 0 },
	[DG_TITLE] = { "title", M_DG_F_TITLE, M_DG_H_TITLE, F_TEXT, 0, 200,
		       FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[DG_STATE] = { "state", M_DG_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER, states, NULL,
		       0 },
	/* what is approved */
	[DG_SCOPE_VERSION] = { "scope_version", M_DG_F_SCOPE_VERSION, M_DG_H_SCOPE_VERSION, F_TEXT,
			       0, 200, FF_SEARCH, NULL, NULL, M_DG_G_SCOPE },
	[DG_SCOPE_ENV] = { "scope_environments", M_DG_F_SCOPE_ENV, M_DG_H_SCOPE_ENV, F_TEXT, 0, 500,
			   0, NULL, NULL, M_DG_G_SCOPE },
	[DG_SCOPE_INTEGRATIONS] = { "scope_integrations", M_DG_F_SCOPE_INTEGRATIONS,
				    M_DG_H_SCOPE_INTEGRATIONS, F_LONGTEXT, 0, 4000, 0, NULL, NULL,
				    M_DG_G_SCOPE },
	[DG_SCOPE_NOTES] = { "scope_notes", M_DG_F_SCOPE_NOTES, 0, F_LONGTEXT, 0, 4000, FF_SEARCH,
			     NULL, NULL, M_DG_G_SCOPE },
	/* the measures' review as it stood when proposed */
	[DG_GAP_REQUIRED] = SNAP("gap_required", M_DG_F_GAP_REQUIRED, F_INT, M_DG_G_MEASURES),
	[DG_GAP_ASSESSED] = SNAP("gap_assessed", M_DG_F_GAP_ASSESSED, F_INT, M_DG_G_MEASURES),
	[DG_GAP_MET] = SNAP("gap_met", M_DG_F_GAP_MET, F_INT, M_DG_G_MEASURES),
	[DG_GAP_OPEN] = SNAP("gap_open", M_DG_F_GAP_OPEN, F_INT, M_DG_G_MEASURES),
	[DG_GAP_SERIOUS] = SNAP("gap_serious", M_DG_F_GAP_SERIOUS, F_INT, M_DG_G_MEASURES),
	[DG_GAP_SNAPSHOT] = SNAP("gap_snapshot", M_DG_F_GAP_SNAPSHOT, F_LONGTEXT, M_DG_G_MEASURES),
	/* the security plan as it stood when proposed, and the evaluation */
	[DG_SP_ID] = SNAP("secplan_id", M_DG_F_SP_ID, F_INT, M_DG_G_SECPLAN),
	[DG_SP_VERSION] = SNAP("secplan_version", M_DG_F_SP_VERSION, F_INT, M_DG_G_SECPLAN),
	[DG_SP_STATE] = SNAP("secplan_state", M_DG_F_SP_STATE, F_TEXT, M_DG_G_SECPLAN),
	[DG_SP_SIGNED_ON] = SNAP("secplan_signed_on", M_DG_F_SP_SIGNED_ON, F_TEXT, M_DG_G_SECPLAN),
	[DG_SP_REVIEW_ON] = SNAP("secplan_review_on", M_DG_F_SP_REVIEW_ON, F_TEXT, M_DG_G_SECPLAN),
	[DG_SP_EVALUATION] = { "secplan_evaluation", M_DG_F_SP_EVALUATION, M_DG_H_SP_EVALUATION,
			       F_LONGTEXT, 0, 4000, FF_SEARCH, NULL, NULL, M_DG_G_SECPLAN },
	/* the decision basis: the proposal */
	[DG_PROPOSAL] = { "proposal", M_DG_F_PROPOSAL, M_DG_H_PROPOSAL, F_ENUM, 0, 0, 0, decisions,
			  NULL, M_DG_G_PROPOSAL },
	[DG_PROPOSAL_TEXT] = { "proposal_text", M_DG_F_PROPOSAL_TEXT, M_DG_H_PROPOSAL_TEXT,
			       F_LONGTEXT, 0, 4000, FF_SEARCH, NULL, NULL, M_DG_G_PROPOSAL },
	[DG_PROPOSED_BY] = { "proposed_by", M_DG_F_PROPOSED_BY, 0, F_REF, 0, 0,
			     FF_NO_FORM | FF_NO_IMPORT, NULL, &org_people, M_DG_G_PROPOSAL },
	[DG_PROPOSED_ON] = SET("proposed_on", M_DG_F_PROPOSED_ON, F_DATE, M_DG_G_PROPOSAL),
	/* the owner's decision */
	[DG_DECISION] = { "decision", M_DG_F_DECISION, 0, F_ENUM, 0, 0,
			  FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER, decisions, NULL,
			  M_DG_G_DECISION },
	[DG_DECISION_TEXT] = SET("decision_text", M_DG_F_DECISION_TEXT, F_LONGTEXT,
				 M_DG_G_DECISION),
	[DG_DECIDED_BY] = { "decided_by", M_DG_F_DECIDED_BY, 0, F_REF, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT, NULL, &org_people, M_DG_G_DECISION },
	[DG_DECIDED_ON] = SET("decided_on", M_DG_F_DECIDED_ON, F_DATE, M_DG_G_DECISION),
	[DG_DECIDED_LEVELS] = SET("decided_levels", M_DG_F_DECIDED_LEVELS, F_TEXT,
				  M_DG_G_DECISION),
	[DG_RECORDED_BY] = SET("recorded_by", M_DG_F_RECORDED_BY, F_TEXT, M_DG_G_DECISION),
	[DG_VALID_UNTIL] = { "valid_until", M_DG_F_VALID_UNTIL, 0, F_DATE, 0, 0,
			     FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_DUE, NULL, NULL,
			     M_DG_G_DECISION },
	[DG_VALIDITY] = { "validity", M_DG_F_VALIDITY, 0, F_ENUM, 0, 0,
			  FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, validities, NULL,
			  M_DG_G_DECISION },
	/* omprövning */
	[DG_REVIEW] = { "review", M_DG_F_REVIEW, 0, F_BOOL, 0, 1,
			FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL, M_DG_G_REVIEW },
	[DG_REVIEW_REASON] = SET("review_reason", M_DG_F_REVIEW_REASON, F_LONGTEXT, M_DG_G_REVIEW),
	[DG_REVIEW_SINCE] = SET("review_since", M_DG_F_REVIEW_SINCE, F_DATE, M_DG_G_REVIEW),
	[DG_SUPERSEDED_BY] = { "superseded_by", M_DG_F_SUPERSEDED_BY, 0, F_REF, 0, 0,
			       FF_NO_FORM | FF_NO_IMPORT, NULL, &dg_approvals, M_DG_G_REVIEW },
	{ NULL },
};

static const char sql_system[] =
	"SELECT name, owner_id, level_k, level_r, level_t, level_s, archived FROM it_system"
	" WHERE org_id = $1 AND id = $2";

static const char sql_open_one[] =
	"SELECT id FROM approval WHERE org_id = $1 AND system_id = $2 AND archived = 0"
	" AND state IN ('draft', 'proposed') AND id <> $3 LIMIT 1";

/* Decided and superseded approvals are what was decided: frozen.  While
 * it is prepared, only the keepers change it (the owner decides or sends
 * it back through the transitions). */
static void approval_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			      const struct record *old, struct field_errors *errs)
{
	struct db_rows r;
	struct db_error err;
	int64_t sys = ref_of(rec, DG_SYSTEM);

	if (!old && !rec->v[DG_STATE])
		rec->v[DG_STATE] = DG_DRAFT;
	if (old && (is(old->v[DG_STATE], DG_DECIDED) || is(old->v[DG_STATE], DG_SUPERSEDED))) {
		if (old->archived != rec->archived)
			return;
		for (size_t i = 0; i < e->nfields; i++) {
			if (same(old->v[i], rec->v[i]))
				continue;
			field_error_add(errs, -1, M_DG_V_FROZEN, "frozen");
			return;
		}
		return;
	}
	if (old && same(old->v[DG_STATE], rec->v[DG_STATE]) && old->archived == rec->archived &&
	    !keeper(cx)) {
		field_error_add(errs, -1, M_DG_V_KEEPERS, "forbidden");
		return;
	}
	if (old && !is(old->v[DG_STATE], DG_DRAFT) && ref_of(old, DG_SYSTEM) != sys) {
		field_error_add(errs, DG_SYSTEM, M_DG_V_SYSTEM_FIXED, "invalid");
		return;
	}
	if (!sys || rec->archived)
		return;
	if (db_exec(cx->db, cx->a, sql_system, DB_ARGS(DB_INT(cx->org->id), DB_INT(sys)), &r,
		    &err) != 0 || r.nrows != 1)
		return; /* the engine's reference check says so */
	/* the owner who decides is the system's, as it is while prepared */
	rec->v[DG_OWNER] = db_cell(&r, 0, 1);
	if (!rec->v[DG_TITLE])
		rec->v[DG_TITLE] = arena_printf(cx->a, "%s %s", msg_text(LANG_SV, M_DG_ONE),
						db_cell(&r, 0, 0));
	if (!rec->archived &&
	    db_exec(cx->db, cx->a, sql_open_one,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(sys), DB_INT(rec->id)), &r, &err) == 0 &&
	    r.nrows)
		field_error_add(errs, DG_SYSTEM, M_DG_V_OPEN_EXISTS, "unique");
}

/* The keepers prepare; the system's owner acts on a proposal (decides or
 * sends it back).  The owner passes here in any state because the
 * engine asks again with the state a transition leads to; what the owner
 * may do is bounded by the register's roles (forms are the keepers') and
 * the transitions' own roles and states. */
static int approval_may(struct ctx *cx, const struct entity *e, const struct record *rec,
			enum entity_op op)
{
	(void)e;
	if (op == OP_READ || keeper(cx))
		return 1;
	return cx->org->person_id && ref_of(rec, DG_OWNER) == cx->org->person_id;
}

static const char *const from_draft[] = { DG_DRAFT, NULL };
static const char *const from_proposed[] = { DG_PROPOSED, NULL };
static const char *const propose_requires[] = { "proposal", "proposal_text", NULL };

static const char sql_conditions[] =
	"SELECT id, title, description, deadline, responsible_id FROM approval_condition"
	" WHERE org_id = $1 AND approval_id = $2 AND archived = 0 ORDER BY deadline, id LIMIT 100";

static int64_t live_conditions(struct ctx *cx, int64_t approval_id, struct db_rows *r,
			       struct db_error *err)
{
	if (db_exec(cx->db, cx->a, sql_conditions,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(approval_id)), r, err) != 0)
		return -1;
	return (int64_t)r->nrows;
}

/* Proposing takes the snapshot the decision is made on. */
static int propose_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
			struct record *rec, const struct record *old, const char *const *pv,
			struct field_errors *errs, struct db_error *err)
{
	struct approval_gaps g;
	struct db_rows c;
	int64_t sys = ref_of(rec, DG_SYSTEM);

	(void)e, (void)t, (void)old, (void)pv;
	if (is(rec->v[DG_PROPOSAL], DG_CONDITIONS)) {
		int64_t n = live_conditions(cx, rec->id, &c, err);
		if (n < 0)
			return -1;
		if (n == 0) {
			field_error_add(errs, DG_PROPOSAL, M_DG_V_NO_CONDITIONS, "required");
			return 0;
		}
	}
	if (approval_gaps_now(cx, sys, &g, err) != 0 ||
	    approval_secplan_snapshot(cx, sys, rec, err) != 0)
		return -1;
	rec->v[DG_GAP_REQUIRED] = id_text(cx, g.required);
	rec->v[DG_GAP_ASSESSED] = id_text(cx, g.assessed);
	rec->v[DG_GAP_MET] = id_text(cx, g.met);
	rec->v[DG_GAP_OPEN] = id_text(cx, g.open);
	rec->v[DG_GAP_SERIOUS] = id_text(cx, g.serious);
	rec->v[DG_GAP_SNAPSHOT] = g.snapshot;
	rec->v[DG_PROPOSED_BY] = cx->org->person_id ? id_text(cx, cx->org->person_id) : NULL;
	rec->v[DG_PROPOSED_ON] = ctx_today(cx);
	return 0;
}

static const struct entity_field return_params[] = {
	{ "note", M_DG_F_RETURN_NOTE, M_DG_H_RETURN_NOTE, F_LONGTEXT, 0, 2000, 0, NULL, NULL, 0 },
	{ NULL },
};

static const struct entity_field decide_params[] = {
	{ "decision_input", M_DG_F_DECISION, 0, F_ENUM, 0, 0, FF_REQUIRED, decisions, NULL, 0 },
	{ "decision_text_input", M_DG_F_DECISION_TEXT, M_DG_H_DECISION_TEXT, F_LONGTEXT, 1, 4000,
	  FF_REQUIRED, NULL, NULL, 0 },
	{ "decided_on_input", M_DG_F_DECIDED_ON, M_DG_H_DECIDED_ON, F_DATE, 0, 0, 0, NULL, NULL,
	  0 },
	{ "valid_until_input", M_DG_F_VALID_UNTIL, M_DG_H_VALID_UNTIL, F_DATE, 0, 0, 0, NULL, NULL,
	  0 },
	{ NULL },
};
enum { DP_DECISION = 0, DP_TEXT, DP_ON, DP_UNTIL };

static const char *years_after(struct ctx *cx, const char *date, int years)
{
	int y = atoi(date);

	/* 29 February has no twin three years on: the day before March */
	if (strcmp(date + 4, "-02-29") == 0)
		return arena_printf(cx->a, "%04d-02-28", y + years);
	return arena_printf(cx->a, "%04d%s", y + years, date + 4);
}

static const char *day_ahead(struct ctx *cx, int days)
{
	struct ctx then = *cx;

	then.now += (int64_t)days * 86400;
	return ctx_today(&then);
}

static const char *level_text(const char *v)
{
	return v ? v : "-";
}

/* The system's levels now, as "K2 R3 T2 S1" ("K-" where none). */
static const char *levels_now(struct ctx *cx, const struct db_rows *s)
{
	return arena_printf(cx->a, "K%s R%s T%s S%s", level_text(db_cell(s, 0, 2)),
			    level_text(db_cell(s, 0, 3)), level_text(db_cell(s, 0, 4)),
			    level_text(db_cell(s, 0, 5)));
}

static const char sql_supersede[] =
	"UPDATE approval SET state = 'superseded', superseded_by = $3, version = version + 1,"
	" updated_at = $4, updated_by = $5"
	" WHERE org_id = $1 AND system_id = $2 AND state = 'decided' AND archived = 0 AND id <> $3";
static const char sql_decided_before[] =
	"SELECT id, title FROM approval WHERE org_id = $1 AND system_id = $2 AND state = 'decided'"
	" AND archived = 0 AND id <> $3 LIMIT 10";

/* The earlier decisions of the system give way to this one; each stays
 * readable, naming the one that superseded it (audited). */
static int supersede(struct ctx *cx, int64_t system_id, int64_t by, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_decided_before,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), DB_INT(by)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		struct audit_event ev = { 0 };
		audit_from_ctx(cx, &ev);
		ev.org_id = cx->org->id;
		ev.action = "supersede";
		ev.entity = dg_approvals.name;
		ev.entity_id = db_cell_i64(&r, i, 0);
		ev.summary = db_cell(&r, i, 1);
		ev.after = arena_printf(cx->a, "{\"superseded_by\":%lld}", (long long)by);
		if (audit_append(cx->db, cx->a, &ev, err) != 0)
			return -1;
	}
	if (!r.nrows)
		return 0;
	return db_exec(cx->db, cx->a, sql_supersede,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), DB_INT(by), DB_INT(cx->now),
			       DB_INT(cx->user_id)), NULL, err);
}

static const char sql_plan_for[] =
	"SELECT id FROM action_plan WHERE org_id = $1 AND archived = 0 AND state <> 'closed'"
	" AND period_start <= $2 AND period_end >= $2"
	" ORDER BY CASE state WHEN 'decided' THEN 0 WHEN 'submitted' THEN 1 ELSE 2 END, id DESC"
	" LIMIT 1";

/* The plan a condition's activity goes in: the live plan whose period
 * holds the deadline (decided first: adding to it is a deviation, as it
 * should be), else the open plan. */
static int64_t plan_for(struct ctx *cx, const char *deadline, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_plan_for, DB_ARGS(DB_INT(cx->org->id), DB_TEXT(deadline)),
		    &r, err) != 0)
		return -1;
	return r.nrows ? db_cell_i64(&r, 0, 0) : plan_open_default(cx, err);
}

/* Each condition becomes an activity of the action plan, due on its
 * deadline, and the condition names it (unless it was linked to one
 * already planned).  The activities are the decision's consequence, made
 * on its authority whoever records it (an owner may not otherwise add to
 * the plan): through the engine, audited with the actor, in the
 * decision's transaction. */
static int conditions_to_activities(struct ctx *cx, const struct record *rec,
				    const struct db_rows *c, const char *system_name,
				    struct field_errors *errs, int perr, struct db_error *err)
{
	struct org_ctx org = *cx->org;
	struct ctx as = *cx;
	const char *today = ctx_today(cx);

	org.org_roles |= ROLES_PLAN_WRITE;
	org.roles |= ROLES_PLAN_WRITE;
	as.org = &org;
	for (size_t i = 0; i < c->nrows; i++) {
		const char *v[AC__COUNT] = { 0 };
		const char *deadline = db_cell(c, i, 3);
		struct record cond;
		struct field_errors ce = { .n = 0 };
		int64_t act, plan;

		if (entity_get(&as, &dg_conditions, db_cell_i64(c, i, 0), &cond, err) != 0)
			return -1;
		if (cond.v[DC_ACTIVITY])
			continue; /* linked to an activity already planned */
		if ((plan = plan_for(&as, deadline, err)) < 0)
			return -1;
		if (!plan) {
			field_error_add(errs, perr, M_DG_V_NO_PLAN, "invalid");
			return 0;
		}
		v[AC_PLAN] = id_text(cx, plan);
		v[AC_TITLE] = arena_printf(cx->a, "%s: %s (%s)", msg_text(LANG_SV, M_DG_CONDITION),
					   db_cell(c, i, 1), system_name);
		if (strlen(v[AC_TITLE]) > 290)
			v[AC_TITLE] = arena_strndup(cx->a, v[AC_TITLE], 290);
		v[AC_KIND] = "deficiency";
		v[AC_PRIORITY] = "2";
		v[AC_GOAL] = db_cell(c, i, 2) ? db_cell(c, i, 2) : db_cell(c, i, 1);
		v[AC_RESPONSIBLE] = db_cell(c, i, 4) ? db_cell(c, i, 4) : rec->v[DG_OWNER];
		v[AC_START] = strcmp(today, deadline) <= 0 ? today : deadline;
		v[AC_END] = deadline;
		if (!(act = entity_create_values(&as, &ap_activities, v, err)))
			return -1;
		cond.v[DC_ACTIVITY] = id_text(cx, act);
		if (entity_update(&as, &dg_conditions, &cond, &ce, err) != 0) {
			if (!err->code)
				err->code = DBE_CHECK;
			if (!err->msg[0])
				snprintf(err->msg, sizeof(err->msg), "condition %lld: no activity",
					 (long long)cond.id);
			return -1;
		}
	}
	return 0;
}

static int decide_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		       struct record *rec, const struct record *old, const char *const *pv,
		       struct field_errors *errs, struct db_error *err)
{
	const char *today = ctx_today(cx), *on = pv[DP_ON] ? pv[DP_ON] : today, *until;
	int64_t owner = ref_of(rec, DG_OWNER), sys = ref_of(rec, DG_SYSTEM);
	int base = entity_param_error_index(e, t, "decision_input");
	struct db_rows s, c;

	(void)old;
	/* the owner decides; the keepers record the owner's decision */
	if (cx->user_id && !keeper(cx) && (!cx->org->person_id || cx->org->person_id != owner)) {
		err->code = DBE_DENIED;
		snprintf(err->msg, sizeof(err->msg), "only the system's owner decides");
		return -1;
	}
	if (!owner) {
		field_error_add(errs, base, M_DG_V_NO_OWNER, "invalid");
		return 0;
	}
	if (strcmp(on, today) > 0) {
		field_error_add(errs, base + DP_ON, M_DG_V_FUTURE, "invalid");
		return 0;
	}
	if (db_exec(cx->db, cx->a, sql_system, DB_ARGS(DB_INT(cx->org->id), DB_INT(sys)), &s,
		    err) != 0)
		return -1;
	if (s.nrows != 1) {
		err->code = DBE_NOTFOUND;
		snprintf(err->msg, sizeof(err->msg), "system %lld", (long long)sys);
		return -1;
	}
	rec->v[DG_DECISION] = pv[DP_DECISION];
	rec->v[DG_DECISION_TEXT] = pv[DP_TEXT];
	rec->v[DG_DECIDED_ON] = on;
	rec->v[DG_DECIDED_BY] = id_text(cx, owner);
	rec->v[DG_RECORDED_BY] = cx->org->person_id == owner ? NULL : cx->actor;
	rec->v[DG_DECIDED_LEVELS] = levels_now(cx, &s);
	rec->v[DG_REVIEW] = "0";
	rec->v[DG_REVIEW_REASON] = NULL;
	rec->v[DG_REVIEW_SINCE] = NULL;
	if (is(pv[DP_DECISION], DG_REJECTED)) {
		rec->v[DG_VALID_UNTIL] = NULL;
		rec->v[DG_VALIDITY] = NULL;
	} else {
		until = pv[DP_UNTIL] ? pv[DP_UNTIL] : years_after(cx, on, APPROVAL_VALID_YEARS);
		if (strcmp(until, today) <= 0) {
			field_error_add(errs, base + DP_UNTIL, M_DG_V_UNTIL_PAST, "invalid");
			return 0;
		}
		rec->v[DG_VALID_UNTIL] = until;
		rec->v[DG_VALIDITY] = strcmp(until, day_ahead(cx, APPROVAL_DUE_DAYS)) <= 0 ? "due" :
				      "valid";
	}
	if (is(pv[DP_DECISION], DG_CONDITIONS)) {
		int64_t n = live_conditions(cx, rec->id, &c, err);
		if (n < 0)
			return -1;
		if (n == 0) {
			field_error_add(errs, base, M_DG_V_NO_CONDITIONS, "required");
			return 0;
		}
		if (conditions_to_activities(cx, rec, &c, db_cell(&s, 0, 0), errs, base, err) != 0)
			return -1;
		if (errs->n)
			return 0;
	}
	return supersede(cx, sys, rec->id, err);
}

static const struct entity_transition approval_transitions[] = {
	{ .name = "propose", .label = M_DG_T_PROPOSE, .help = M_DG_T_PROPOSE_HELP, .field = "state",
	  .from = from_draft, .to = DG_PROPOSED, .roles = ROLES_APPROVAL_PREPARE,
	  .requires = propose_requires, .rule = propose_rule },
	{ .name = "return", .label = M_DG_T_RETURN, .help = M_DG_T_RETURN_HELP, .field = "state",
	  .from = from_proposed, .to = DG_DRAFT, .roles = ROLES_STAFF, .params = return_params },
	{ .name = "decide", .label = M_DG_T_DECIDE, .help = M_DG_T_DECIDE_HELP, .field = "state",
	  .from = from_proposed, .to = DG_DECIDED, .roles = ROLES_STAFF, .params = decide_params,
	  .rule = decide_rule },
	{ .name = NULL },
};

static const struct entity_link approval_links[] = {
	{ M_DG_OVERVIEW, "/approvals", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity dg_approvals = {
	.name = "operational-approvals",
	.table = "approval",
	.label_one = M_DG_ONE,
	.label_many = M_DG_MANY,
	.label_new = M_DG_NEW,
	.intro = M_DG_INTRO,
	.list_links = approval_links,
	.fields = approval_fields,
	.title_field = DG_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_APPROVAL_PREPARE,
	.owner_field = "owner_id",
	.validate = approval_validate,
	.may = approval_may,
	.transitions = approval_transitions,
	.show_extra = approval_show_extra,
};

/* ---- conditions ---- */

static const struct entity_field condition_fields[] = {
	[DC_APPROVAL] = { "approval_id", M_DG_ONE, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &dg_approvals, 0 },
	[DC_TITLE] = { "title", M_DG_F_COND_TITLE, M_DG_H_COND_TITLE, F_TEXT, 1, 250,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[DC_DESCRIPTION] = { "description", M_DG_F_COND_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			     FF_SEARCH, NULL, NULL, 0 },
	[DC_DEADLINE] = { "deadline", M_DG_F_COND_DEADLINE, M_DG_H_COND_DEADLINE, F_DATE, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_DUE, NULL, NULL, 0 },
	[DC_RESPONSIBLE] = { "responsible_id", M_DG_F_COND_RESPONSIBLE, M_DG_H_COND_RESPONSIBLE,
			     F_REF, 0, 0, FF_LIST, NULL, &org_people, 0 },
	/* made by the decision; or an activity already planned, linked by hand */
	[DC_ACTIVITY] = { "activity_id", M_DG_F_COND_ACTIVITY, M_DG_H_COND_ACTIVITY, F_REF, 0, 0,
			  FF_LIST, NULL, &ap_activities, 0 },
	[DC_OVERDUE] = { "overdue", M_DG_F_COND_OVERDUE, 0, F_BOOL, 0, 1,
			 FF_NO_FORM | FF_NO_IMPORT | FF_FILTER, NULL, NULL, 0 },
	{ NULL },
};

static const char sql_approval_state[] =
	"SELECT state FROM approval WHERE org_id = $1 AND id = $2";

/* A condition belongs to the decision: it changes while the approval is
 * prepared, by those who prepare it, and never after. */
static int condition_may(struct ctx *cx, const struct entity *e, const struct record *rec,
			 enum entity_op op)
{
	struct db_rows r;
	struct db_error err;

	(void)e;
	if (op == OP_READ || !cx->user_id)
		return 1;
	if (db_exec(cx->db, cx->a, sql_approval_state,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(ref_of(rec, DC_APPROVAL))), &r, &err) != 0 ||
	    r.nrows != 1)
		return 0;
	return is(db_cell(&r, 0, 0), DG_DRAFT) || is(db_cell(&r, 0, 0), DG_PROPOSED);
}

struct entity dg_conditions = {
	.name = "approval-conditions",
	.table = "approval_condition",
	.label_one = M_DG_CONDITION,
	.label_many = M_DG_CONDITIONS,
	.label_new = M_DG_CONDITION_NEW,
	.intro = M_DG_CONDITIONS_INTRO,
	.fields = condition_fields,
	.title_field = DC_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_APPROVAL_PREPARE,
	.parent_field = "approval_id",
	.may = condition_may,
};

/* ---- marked for review ---- */

static const char sql_current[] =
	"SELECT id, title, review_reason FROM approval WHERE org_id = $1 AND system_id = $2"
	" AND state = 'decided' AND archived = 0 ORDER BY id DESC LIMIT 1";
static const char sql_mark[] =
	"UPDATE approval SET review = 1, review_reason = $3, review_since = coalesce(review_since,"
	" $4), version = version + 1, updated_at = $5, updated_by = $6"
	" WHERE org_id = $1 AND id = $2";

int approval_mark_for_review(struct ctx *cx, int64_t system_id, const char *reason,
			     struct db_error *err)
{
	struct db_rows r;
	struct audit_event ev = { 0 };
	const char *was, *now;

	memset(err, 0, sizeof(*err));
	if (db_exec(cx->db, cx->a, sql_current, DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)),
		    &r, err) != 0)
		return -1;
	if (!r.nrows)
		return 0;
	was = db_cell(&r, 0, 2);
	if (was && strstr(was, reason))
		return 0; /* told already */
	now = was ? arena_printf(cx->a, "%s\n%s", was, reason) : reason;
	if (strlen(now) > 3900)
		return 0; /* enough reasons to review it */
	if (db_exec(cx->db, cx->a, sql_mark,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&r, 0, 0)), DB_TEXT(now),
			    DB_TEXT(ctx_today(cx)), DB_INT(cx->now), DB_INT(cx->user_id)),
		    NULL, err) != 0)
		return -1;
	audit_from_ctx(cx, &ev);
	ev.org_id = cx->org->id;
	ev.action = "review";
	ev.entity = dg_approvals.name;
	ev.entity_id = db_cell_i64(&r, 0, 0);
	ev.summary = db_cell(&r, 0, 1);
	ev.after = NULL;
	ev.before = NULL;
	{
		json_t *o = json_pack("{s:s}", "review_reason", reason);
		char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
		ev.after = text ? arena_strdup(cx->a, text) : NULL;
		free(text);
		json_decref(o);
	}
	return audit_append(cx->db, cx->a, &ev, err);
}

/* ---- the classification rose (SYSTEM_CHANGED) ---- */

static const char sql_levels[] =
	"SELECT a.decided_levels, s.level_k, s.level_r, s.level_t, s.level_s"
	" FROM approval_system x JOIN approval a ON a.id = x.approval_id"
	" JOIN it_system s ON s.id = x.system_id"
	" WHERE x.system_id = $2 AND x.org_id = $1";

/* The level of aspect letter in "K2 R3 T- S1", or -1. */
static int level_in(const char *levels, char letter)
{
	for (const char *p = levels; p && *p; p++)
		if (*p == letter && (p == levels || p[-1] == ' '))
			return p[1] >= '0' && p[1] <= '9' ? p[1] - '0' : -1;
	return -1;
}

int approval_system_changed(struct ctx *cx, int64_t system_id, struct db_error *err)
{
	static const char letters[] = "KRTS";
	struct db_rows r;
	struct buf why = BUF_INIT;
	int rc = 0;

	if (db_exec(cx->db, cx->a, sql_levels, DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)),
		    &r, err) != 0)
		return -1;
	if (r.nrows != 1 || !db_cell(&r, 0, 0))
		return 0;
	for (int k = 0; k < 4; k++) {
		int then = level_in(db_cell(&r, 0, 0), letters[k]);
		int now = db_cell(&r, 0, 1 + k) ? (int)db_cell_i64(&r, 0, 1 + k) : -1;
		if (now > then)
			buf_printf(&why, "%s%c%s \xe2\x86\x92 %c%d", why.len ? ", " : "", letters[k],
				   then < 0 ? "-" : arena_printf(cx->a, "%d", then), letters[k],
				   now);
	}
	if (why.len)
		rc = approval_mark_for_review(cx, system_id,
					      arena_printf(cx->a, "%s: %s",
							   msg_text(LANG_SV, M_DG_WHY_RISE),
							   why.p), err);
	buf_release(&why);
	return rc;
}

/* ---- the overview's numbers ---- */

static const char sql_stat[] = "SELECT stat, n FROM approval_stat WHERE org_id = $1";

int approval_overview(struct ctx *cx, struct approval_counts *c, struct db_error *err)
{
	static const struct {
		const char *stat;
		size_t off;
	} map[] = {
		{ "approved", offsetof(struct approval_counts, approved) },
		{ "approved_with_conditions",
		  offsetof(struct approval_counts, approved_with_conditions) },
		{ "rejected", offsetof(struct approval_counts, rejected) },
		{ "missing", offsetof(struct approval_counts, missing) },
		{ "for_review", offsetof(struct approval_counts, for_review) },
		{ "due", offsetof(struct approval_counts, due) },
		{ "conditions_overdue", offsetof(struct approval_counts, conditions_overdue) },
		{ "proposed", offsetof(struct approval_counts, proposed) },
	};
	struct db_rows r;

	memset(c, 0, sizeof(*c));
	if (db_exec(cx->db, cx->a, sql_stat, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++)
		for (size_t k = 0; k < ARRAY_SIZE(map); k++)
			if (is(db_cell(&r, i, 0), map[k].stat))
				*(int64_t *)((char *)c + map[k].off) = db_cell_i64(&r, i, 1);
	return 0;
}
