/* actions.c - the registers of the action plan: plans, their activities,
 * the gaps an activity addresses, dependencies between activities, and
 * the deviations from a decided plan (actions.h states the rules). */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/measures/measures.h"
#include "modules/org/org.h"

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static const char *id_text(struct ctx *cx, int64_t id)
{
	return arena_printf(cx->a, "%lld", (long long)id);
}

/* ---- plans ---- */

static const struct choice plan_states[] = {
	{ PLAN_DRAFT, M_AP_PLAN_DRAFT },
	{ PLAN_SUBMITTED, M_AP_PLAN_SUBMITTED },
	{ PLAN_DECIDED, M_AP_PLAN_DECIDED },
	{ PLAN_CLOSED, M_AP_PLAN_CLOSED },
	{ NULL, 0 },
};

#define DECISION(col, label) \
	{ col, label, 0, F_TEXT, 0, 300, FF_NO_FORM | FF_NO_IMPORT | FF_SUMMARY, NULL, NULL, \
	  M_AP_G_DECISION }

static const struct entity_field plan_fields[] = {
	[PF_TITLE] = { "title", M_AP_F_PLAN_TITLE, M_AP_H_PLAN_TITLE, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[PF_START] = { "period_start", M_AP_F_PERIOD_START, 0, F_DATE, 0, 0,
		       FF_REQUIRED | FF_LIST, NULL, NULL, 0 },
	[PF_END] = { "period_end", M_AP_F_PERIOD_END, 0, F_DATE, 0, 0, FF_REQUIRED | FF_LIST, NULL,
		     NULL, 0 },
	[PF_DESCRIPTION] = { "description", M_AP_F_PLAN_DESCRIPTION, M_AP_H_PLAN_DESCRIPTION,
			     F_LONGTEXT, 0, 4000, FF_SEARCH, NULL, NULL, 0 },
	[PF_STATE] = { "state", M_AP_F_PLAN_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER | FF_SUMMARY,
		       plan_states, NULL, 0 },
	/* R-7-07: who decided, when, what, where it is minuted, which version */
	[PF_DECIDED_BY] = DECISION("decided_by", M_AP_F_DECIDED_BY),
	[PF_DECIDED_ON] = { "decided_on", M_AP_F_DECIDED_ON, 0, F_DATE, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_SUMMARY, NULL, NULL,
			    M_AP_G_DECISION },
	[PF_DECISION] = { "decision", M_AP_F_DECISION, 0, F_LONGTEXT, 0, 4000,
			  FF_NO_FORM | FF_NO_IMPORT | FF_SUMMARY, NULL, NULL, M_AP_G_DECISION },
	[PF_MINUTES] = DECISION("minutes_ref", M_AP_F_MINUTES),
	[PF_DECIDED_VERSION] = { "decided_version", M_AP_F_DECIDED_VERSION, 0, F_INT, 0, INT32_MAX,
				 FF_NO_FORM | FF_NO_IMPORT | FF_SUMMARY, NULL, NULL,
				 M_AP_G_DECISION },
	[PF_CARRIED_TO] = { "carried_to", M_AP_F_CARRIED_TO, 0, F_REF, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT | FF_SUMMARY, NULL, &ap_plans, 0 },
	{ NULL },
};

/* A decided or closed plan is frozen: what management decided stays as it
 * was decided.  Its state moves by its transitions; it may be archived. */
static int plan_frozen(const struct record *old)
{
	return old && (is(old->v[PF_STATE], PLAN_DECIDED) || is(old->v[PF_STATE], PLAN_CLOSED));
}

static void plan_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	(void)cx;
	if (!old && !rec->v[PF_STATE])
		rec->v[PF_STATE] = PLAN_DRAFT;
	if (plan_frozen(old) && old->archived == rec->archived) {
		for (size_t i = 0; i < e->nfields; i++) {
			if (i == PF_STATE || i == PF_CARRIED_TO || same(old->v[i], rec->v[i]))
				continue;
			field_error_add(errs, -1, M_AP_V_FROZEN, "frozen");
			return;
		}
	}
	if (rec->v[PF_START] && rec->v[PF_END] && strcmp(rec->v[PF_END], rec->v[PF_START]) < 0)
		field_error_add(errs, PF_END, M_AP_V_END_BEFORE_START, "invalid");
}

static const char *const from_draft[] = { PLAN_DRAFT, NULL };
static const char *const from_submitted[] = { PLAN_SUBMITTED, NULL };
static const char *const from_decided[] = { PLAN_DECIDED, NULL };

/* The decision's inputs, all required (R-7-07); the rule keeps them on the
 * plan, the audit event keeps them as given. */
static const struct entity_field decide_params[] = {
	{ "decider", M_AP_F_DECIDED_BY, M_AP_H_DECIDED_BY, F_TEXT, 1, 300, FF_REQUIRED, NULL, NULL,
	  0 },
	{ "decision_date", M_AP_F_DECIDED_ON, 0, F_DATE, 0, 0, FF_REQUIRED, NULL, NULL, 0 },
	{ "decision_text", M_AP_F_DECISION, M_AP_H_DECISION, F_LONGTEXT, 1, 4000, FF_REQUIRED, NULL,
	  NULL, 0 },
	{ "minutes", M_AP_F_MINUTES, M_AP_H_MINUTES, F_TEXT, 1, 300, FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

static const struct entity_field return_params[] = {
	{ "note", M_AP_F_RETURN_NOTE, 0, F_LONGTEXT, 0, 2000, 0, NULL, NULL, 0 },
	{ NULL },
};

/* the next period's plan, by its number (a reference is no input: the
 * rule checks it; the plan's page offers the plans in a list) */
static const struct entity_field close_params[] = {
	{ "carry_to", M_AP_F_CARRY_TO, M_AP_H_CARRY_TO, F_INT, 0, INT64_MAX, 0, NULL, NULL, 0 },
	{ NULL },
};

static int decide_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		       struct record *rec, const struct record *old, const char *const *pv,
		       struct field_errors *errs, struct db_error *err)
{
	(void)e;
	(void)t;
	(void)err;
	if (pv[1] && strcmp(pv[1], ctx_today(cx)) > 0) {
		field_error_add(errs, (int)e->nfields + 1, M_AP_V_DECIDED_FUTURE, "invalid");
		return 0;
	}
	rec->v[PF_DECIDED_BY] = pv[0];
	rec->v[PF_DECIDED_ON] = pv[1];
	rec->v[PF_DECISION] = pv[2];
	rec->v[PF_MINUTES] = pv[3];
	/* the version decided: the plan as it stood when it was decided */
	rec->v[PF_DECIDED_VERSION] = id_text(cx, old->version);
	return 0;
}

static int carry_over(struct ctx *cx, int64_t from_plan, int64_t to_plan, struct db_error *err);

static const char sql_plan_state[] =
	"SELECT state, archived, period_start, period_end FROM action_plan"
	" WHERE org_id = $1 AND id = $2";

static int close_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		      struct record *rec, const struct record *old, const char *const *pv,
		      struct field_errors *errs, struct db_error *err)
{
	struct db_rows r;
	int64_t to = 0;
	int bad;

	(void)t;
	(void)old;
	if (!pv[0] || parse_i64(pv[0], &to) != 0 || to == 0)
		return 0; /* closed without carrying anything over */
	if (db_exec(cx->db, cx->a, sql_plan_state, DB_ARGS(DB_INT(cx->org->id), DB_INT(to)), &r,
		    err) != 0)
		return -1;
	/* the next plan: another, live, not yet decided */
	bad = r.nrows != 1 || to == rec->id || db_cell_i64(&r, 0, 1) != 0 ||
	      !(is(db_cell(&r, 0, 0), PLAN_DRAFT) || is(db_cell(&r, 0, 0), PLAN_SUBMITTED));
	if (bad) {
		field_error_add(errs, (int)e->nfields, M_AP_V_CARRY_TARGET, "invalid");
		return 0;
	}
	rec->v[PF_CARRIED_TO] = id_text(cx, to);
	/* before the plan is closed: its activities may still move */
	return carry_over(cx, rec->id, to, err);
}

const struct entity_transition plan_transitions[] = {
	{ .name = "submit", .label = M_AP_T_SUBMIT, .help = M_AP_T_SUBMIT_HELP, .field = "state",
	  .from = from_draft, .to = PLAN_SUBMITTED },
	{ .name = "return", .label = M_AP_T_RETURN, .field = "state", .from = from_submitted,
	  .to = PLAN_DRAFT, .roles = ROLES_PLAN_DECIDE, .params = return_params },
	{ .name = "decide", .label = M_AP_T_DECIDE, .help = M_AP_T_DECIDE_HELP, .field = "state",
	  .from = from_submitted, .to = PLAN_DECIDED, .roles = ROLES_PLAN_DECIDE,
	  .params = decide_params, .rule = decide_rule },
	{ .name = "close", .label = M_AP_T_CLOSE, .help = M_AP_T_CLOSE_HELP, .field = "state",
	  .from = from_decided, .to = PLAN_CLOSED, .params = close_params, .rule = close_rule,
	  .own_button = 1 },
	{ .name = NULL },
};

static const struct entity_link plan_links[] = {
	{ M_AP_FROM_GAPS, "/actions/from-gaps", ROLES_STAFF },
	{ M_AP_ACTIVITIES, "/activities", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity ap_plans = {
	.name = "action-plans",
	.table = "action_plan",
	.label_one = M_AP_PLAN,
	.label_many = M_AP_PLANS,
	.label_new = M_AP_PLAN_NEW,
	.intro = M_AP_PLANS_INTRO,
	.list_links = plan_links,
	.fields = plan_fields,
	.title_field = PF_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_PLAN_WRITE,
	.validate = plan_validate,
	.transitions = plan_transitions,
	.show_summary = plan_show_summary,
	.show_extra = plan_show_extra,
};

/* ---- activities ---- */

static const struct choice activity_statuses[] = {
	{ ACT_PLANNED, M_AP_ST_PLANNED },
	{ ACT_ONGOING, M_AP_ST_ONGOING },
	{ ACT_DONE, M_AP_ST_DONE },
	{ ACT_CANCELLED, M_AP_ST_CANCELLED },
	{ ACT_CARRIED, M_AP_ST_CARRIED },
	{ NULL, 0 },
};

static const struct choice activity_kinds[] = {
	{ "deficiency", M_AP_KIND_DEFICIENCY },   /* R-7-09 */
	{ "governance", M_AP_KIND_GOVERNANCE },   /* R-7-08 */
	{ "other", M_AP_KIND_OTHER },
	{ NULL, 0 },
};

static const struct entity_field activity_fields[] = {
	[AC_PLAN] = { "plan_id", M_AP_PLAN, 0, F_REF, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER, NULL,
		      &ap_plans, 0 },
	[AC_TITLE] = { "title", M_AP_F_ACTIVITY_TITLE, 0, F_TEXT, 1, 300,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[AC_KIND] = { "kind", M_AP_F_KIND, M_AP_H_KIND, F_ENUM, 0, 0, FF_FILTER, activity_kinds,
		      NULL, 0 },
	/* R-7-09: ranked by importance */
	[AC_PRIORITY] = { "priority", M_AP_F_PRIORITY, M_AP_H_PRIORITY, F_INT, 1, 5,
			  FF_LIST | FF_SORT, NULL, NULL, 0 },
	[AC_GOAL] = { "goal", M_AP_F_GOAL, M_AP_H_GOAL, F_LONGTEXT, 0, 4000, FF_SEARCH, NULL, NULL,
		      0 },
	[AC_DESCRIPTION] = { "description", M_AP_F_ACTIVITY_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			     FF_SEARCH, NULL, NULL, 0 },
	[AC_COST] = { "cost", M_AP_F_COST, M_AP_H_COST, F_INT, 0, 1000000000, 0, NULL, NULL,
		      M_AP_G_RESOURCES },
	[AC_RESOURCES] = { "resources", M_AP_F_RESOURCES, M_AP_H_RESOURCES, F_TEXT, 0, 500, 0,
			   NULL, NULL, M_AP_G_RESOURCES },
	/* R-7-10: an owner, a deadline and a status */
	[AC_RESPONSIBLE] = { "responsible_id", M_AP_F_RESPONSIBLE, 0, F_REF, 0, 0,
			     FF_LIST | FF_FILTER, NULL, &org_people, M_AP_G_WHEN },
	[AC_START] = { "start_on", M_AP_F_START, 0, F_DATE, 0, 0, 0, NULL, NULL, M_AP_G_WHEN },
	[AC_END] = { "end_on", M_AP_F_END, M_AP_H_END, F_DATE, 0, 0, FF_LIST | FF_DUE, NULL, NULL,
		     M_AP_G_WHEN },
	[AC_STATUS] = { "status", M_AP_F_STATUS, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER,
			activity_statuses, NULL, 0 },
	[AC_CANCEL_REASON] = { "cancel_reason", M_AP_F_CANCEL_REASON, 0, F_LONGTEXT, 0, 2000,
			       FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, 0 },
	[AC_DONE_ON] = { "done_on", M_AP_F_DONE_ON, 0, F_DATE, 0, 0, FF_NO_FORM | FF_NO_IMPORT, NULL,
			 NULL, 0 },
	[AC_CARRIED_FROM] = { "carried_from", M_AP_F_CARRIED_FROM, 0, F_REF, 0, 0,
			      FF_NO_FORM | FF_NO_IMPORT, NULL, &ap_activities, 0 },
	{ NULL },
};

int activity_priority_for(const char *severity)
{
	if (is(severity, "serious"))
		return 1;
	if (is(severity, "significant"))
		return 2;
	if (is(severity, "negligible"))
		return 4;
	return 3;
}

static void activity_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			      const struct record *old, struct field_errors *errs)
{
	(void)e;
	if (!old && !rec->v[AC_STATUS])
		rec->v[AC_STATUS] = ACT_PLANNED;
	if (!rec->v[AC_PRIORITY])
		rec->v[AC_PRIORITY] = "3";
	if (!rec->v[AC_KIND])
		rec->v[AC_KIND] = "deficiency";
	if (rec->v[AC_START] && rec->v[AC_END] && strcmp(rec->v[AC_END], rec->v[AC_START]) < 0)
		field_error_add(errs, AC_END, M_AP_V_END_BEFORE_START, "invalid");
	/* done: when, for the follow-up; undone: not done any more */
	if (is(rec->v[AC_STATUS], ACT_DONE) && (!old || !is(old->v[AC_STATUS], ACT_DONE)))
		rec->v[AC_DONE_ON] = ctx_today(cx);
	else if (!is(rec->v[AC_STATUS], ACT_DONE))
		rec->v[AC_DONE_ON] = NULL;
}

static int64_t ref_of(const struct record *rec, int fi)
{
	int64_t x = 0;

	if (!rec->v[fi] || parse_i64(rec->v[fi], &x) != 0)
		return 0;
	return x;
}

static const char *plan_state(struct ctx *cx, int64_t plan)
{
	struct db_rows r;
	struct db_error err;

	if (!plan || db_exec(cx->db, cx->a, sql_plan_state,
			     DB_ARGS(DB_INT(cx->org->id), DB_INT(plan)), &r, &err) != 0 ||
	    r.nrows != 1)
		return NULL;
	return db_cell(&r, 0, 0);
}

/* The plan's keepers change every activity; the responsible person their
 * own; nobody one of a closed plan (its follow-up is history). */
static int activity_may(struct ctx *cx, const struct entity *e, const struct record *rec,
			enum entity_op op)
{
	(void)e;
	if (op == OP_READ)
		return 1;
	if (is(plan_state(cx, ref_of(rec, AC_PLAN)), PLAN_CLOSED))
		return 0;
	if (!cx->user_id || ctx_has_role(cx, ROLES_PLAN_WRITE))
		return 1;
	return cx->org->person_id && ref_of(rec, AC_RESPONSIBLE) == cx->org->person_id;
}

static const char sql_deviation[] =
	"INSERT INTO plan_deviation (org_id, plan_id, activity_id, what, before_text, after_text,"
	" happened_on, person_id, actor, search, created_at, updated_at, created_by, updated_by)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $12)";

static int deviation(struct ctx *cx, int64_t plan, int64_t activity, const char *what,
		     const char *before, const char *after, struct db_error *err)
{
	int64_t person = cx->org->person_id;

	return db_exec(cx->db, cx->a, sql_deviation,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(plan), DB_INT(activity), DB_TEXT(what),
			       before ? DB_TEXT(before) : DB_NULL, after ? DB_TEXT(after) : DB_NULL,
			       DB_TEXT(clock_format_local(cx->a, cx->now)),
			       person ? DB_INT(person) : DB_NULL, DB_TEXT(cx->actor ? cx->actor : ""),
			       DB_TEXT(""), DB_INT(cx->now), DB_INT(cx->user_id)),
		       NULL, err);
}

static const char *status_text(const char *code)
{
	for (size_t i = 0; activity_statuses[i].value; i++)
		if (is(code, activity_statuses[i].value))
			return msg_text(LANG_SV, activity_statuses[i].label);
	return code;
}

/* Changes of an activity of a decided plan are deviations from what was
 * decided (actions.h): recorded for the plan's follow-up. */
static int activity_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
				const struct record *old, struct db_error *err)
{
	int64_t plan = ref_of(rec, AC_PLAN), id = rec->id;
	int rc = 0;

	(void)e;
	if (old && ref_of(old, AC_PLAN) != plan &&
	    is(plan_state(cx, ref_of(old, AC_PLAN)), PLAN_DECIDED))
		rc = deviation(cx, ref_of(old, AC_PLAN), id, "plan", old->ref_title[AC_PLAN],
			       rec->ref_title[AC_PLAN], err);
	if (rc || !is(plan_state(cx, plan), PLAN_DECIDED))
		return rc;
	if (!old || (old && ref_of(old, AC_PLAN) != plan))
		return deviation(cx, plan, id, "added", NULL, rec->v[AC_TITLE], err);
	if (old->archived != rec->archived)
		return deviation(cx, plan, id, rec->archived ? "archived" : "restored", NULL, NULL,
				 err);
	if (!same(old->v[AC_START], rec->v[AC_START]))
		rc = deviation(cx, plan, id, "start", old->v[AC_START], rec->v[AC_START], err);
	if (!rc && !same(old->v[AC_END], rec->v[AC_END]))
		rc = deviation(cx, plan, id, "end", old->v[AC_END], rec->v[AC_END], err);
	if (!rc && !same(old->v[AC_RESPONSIBLE], rec->v[AC_RESPONSIBLE]))
		rc = deviation(cx, plan, id, "responsible", old->ref_title[AC_RESPONSIBLE],
			       rec->ref_title[AC_RESPONSIBLE], err);
	if (!rc && !same(old->v[AC_COST], rec->v[AC_COST]))
		rc = deviation(cx, plan, id, "cost", old->v[AC_COST], rec->v[AC_COST], err);
	if (!rc && !same(old->v[AC_STATUS], rec->v[AC_STATUS]) &&
	    (is(rec->v[AC_STATUS], ACT_CANCELLED) || is(rec->v[AC_STATUS], ACT_CARRIED)))
		rc = deviation(cx, plan, id, "status", status_text(old->v[AC_STATUS]),
			       is(rec->v[AC_STATUS], ACT_CANCELLED) && rec->v[AC_CANCEL_REASON] ?
			       arena_printf(cx->a, "%s: %s", status_text(rec->v[AC_STATUS]),
					    rec->v[AC_CANCEL_REASON]) :
			       status_text(rec->v[AC_STATUS]), err);
	return rc;
}

static const char *const from_planned[] = { ACT_PLANNED, NULL };
static const char *const from_open[] = { ACT_PLANNED, ACT_ONGOING, NULL };
static const char *const from_ended[] = { ACT_DONE, ACT_CANCELLED, NULL };

static const struct entity_field cancel_params[] = {
	{ "cancel_reason_input", M_AP_F_CANCEL_REASON, M_AP_H_CANCEL_REASON, F_LONGTEXT, 1, 2000,
	  FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

static int cancel_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		       struct record *rec, const struct record *old, const char *const *pv,
		       struct field_errors *errs, struct db_error *err)
{
	(void)cx, (void)e, (void)t, (void)old, (void)errs, (void)err;
	rec->v[AC_CANCEL_REASON] = pv[0];
	return 0;
}

const struct entity_transition activity_transitions[] = {
	{ .name = "start", .label = M_AP_T_START, .field = "status", .from = from_planned,
	  .to = ACT_ONGOING },
	{ .name = "complete", .label = M_AP_T_COMPLETE, .field = "status", .from = from_open,
	  .to = ACT_DONE },
	{ .name = "cancel", .label = M_AP_T_CANCEL, .help = M_AP_T_CANCEL_HELP, .field = "status",
	  .from = from_open, .to = ACT_CANCELLED, .params = cancel_params, .rule = cancel_rule },
	{ .name = "reopen", .label = M_AP_T_REOPEN, .field = "status", .from = from_ended,
	  .to = ACT_ONGOING },
	/* made by closing the plan (carry_over), never by hand */
	{ .name = "carry", .label = M_AP_T_CARRY, .field = "status", .from = from_open,
	  .to = ACT_CARRIED, .roles = ROLES_PLAN_WRITE, .own_button = 1 },
	{ .name = NULL },
};

static const struct entity_link activity_links[] = {
	{ M_AP_PLANS, "/action-plans", ROLES_STAFF },
	{ M_AP_FROM_GAPS, "/actions/from-gaps", ROLES_STAFF },
	{ M_AP_OVERDUE_LIST, "/actions/activities?show=overdue", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity ap_activities = {
	.name = "activities",
	.table = "activity",
	.label_one = M_AP_ACTIVITY,
	.label_many = M_AP_ACTIVITIES,
	.label_new = M_AP_ACTIVITY_NEW,
	.intro = M_AP_ACTIVITIES_INTRO,
	.list_links = activity_links,
	.fields = activity_fields,
	.title_field = AC_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_ACTIVITY_WRITE,
	.owner_field = "responsible_id",
	.parent_field = "plan_id",
	.validate = activity_validate,
	.may = activity_may,
	.after_write = activity_after_write,
	.transitions = activity_transitions,
	.show_extra = activity_show_extra,
};

/* ---- the gaps an activity addresses, and its dependencies ---- */

static const struct entity_field gap_fields[] = {
	[AG_ACTIVITY] = { "activity_id", M_AP_ACTIVITY, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &ap_activities, 0 },
	[AG_ASSESSMENT] = { "assessment_id", M_AP_F_GAP, M_AP_H_GAP, F_REF, 0, 0,
			    FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &ms_assessments, 0 },
	[AG_NOTE] = { "note", M_AP_F_NOTE, 0, F_TEXT, 0, 500, FF_SEARCH, NULL, NULL, 0 },
	{ NULL },
};

static const char sql_same_link[] =
	"SELECT id FROM activity_gap WHERE org_id = $1 AND activity_id = $2"
	" AND assessment_id = $3 AND archived = 0 AND id <> $4 LIMIT 1";

static void gap_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			 const struct record *old, struct field_errors *errs)
{
	struct db_rows r;
	struct db_error err;

	(void)e;
	(void)old;
	if (rec->archived || !ref_of(rec, AG_ACTIVITY) || !ref_of(rec, AG_ASSESSMENT))
		return;
	if (db_exec(cx->db, cx->a, sql_same_link,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(ref_of(rec, AG_ACTIVITY)),
			    DB_INT(ref_of(rec, AG_ASSESSMENT)), DB_INT(rec->id)), &r, &err) == 0 &&
	    r.nrows)
		field_error_add(errs, AG_ASSESSMENT, M_AP_V_GAP_LINKED, "unique");
}

/* A part of an activity is changed by whoever may change the activity
 * (its may too: not one of a closed plan). */
static int part_may(struct ctx *cx, const struct entity *e, const struct record *rec,
		    enum entity_op op)
{
	struct record act;
	struct db_error err;
	int64_t id = ref_of(rec, 0);

	(void)e;
	if (op == OP_READ)
		return 1;
	return id && entity_get(cx, &ap_activities, id, &act, &err) == 0 &&
	       entity_may(cx, &ap_activities, &act, OP_WRITE);
}

struct entity ap_activity_gaps = {
	.name = "activity-gaps",
	.table = "activity_gap",
	.label_one = M_AP_ACTIVITY_GAP,
	.label_many = M_AP_ACTIVITY_GAPS,
	.label_new = M_AP_ACTIVITY_GAP_NEW,
	.fields = gap_fields,
	.title_field = AG_ACTIVITY,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_ACTIVITY_WRITE,
	.parent_field = "activity_id",
	.validate = gap_validate,
	.may = part_may,
};

static const struct entity_field dependency_fields[] = {
	[AD_ACTIVITY] = { "activity_id", M_AP_ACTIVITY, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &ap_activities, 0 },
	[AD_DEPENDS_ON] = { "depends_on_id", M_AP_F_DEPENDS_ON, M_AP_H_DEPENDS_ON, F_REF, 0, 0,
			    FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &ap_activities, 0 },
	[AD_NOTE] = { "note", M_AP_F_NOTE, 0, F_TEXT, 0, 500, FF_SEARCH, NULL, NULL, 0 },
	{ NULL },
};

static void dependency_validate(struct ctx *cx, const struct entity *e, struct record *rec,
				const struct record *old, struct field_errors *errs)
{
	(void)cx, (void)e, (void)old;
	if (ref_of(rec, AD_ACTIVITY) && ref_of(rec, AD_ACTIVITY) == ref_of(rec, AD_DEPENDS_ON))
		field_error_add(errs, AD_DEPENDS_ON, M_AP_V_DEPENDS_SELF, "invalid");
}

struct entity ap_dependencies = {
	.name = "activity-dependencies",
	.table = "activity_dependency",
	.label_one = M_AP_DEPENDENCY,
	.label_many = M_AP_DEPENDENCIES,
	.label_new = M_AP_DEPENDENCY_NEW,
	.fields = dependency_fields,
	.title_field = AD_ACTIVITY,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_ACTIVITY_WRITE,
	.parent_field = "activity_id",
	.validate = dependency_validate,
	.may = part_may,
};

/* ---- deviations: written by the module, read by everyone ---- */

static const struct choice deviation_kinds[] = {
	{ "added", M_AP_DV_ADDED },
	{ "start", M_AP_DV_START },
	{ "end", M_AP_DV_END },
	{ "responsible", M_AP_DV_RESPONSIBLE },
	{ "status", M_AP_DV_STATUS },
	{ "cost", M_AP_DV_COST },
	{ "plan", M_AP_DV_PLAN },
	{ "archived", M_AP_DV_ARCHIVED },
	{ "restored", M_AP_DV_RESTORED },
	{ NULL, 0 },
};

#define DV_FIELD(col, label, type) \
	{ col, label, 0, type, 0, 4000, FF_NO_FORM | FF_NO_IMPORT | FF_LIST, NULL, NULL, 0 }

static const struct entity_field deviation_fields[] = {
	[DV_PLAN] = { "plan_id", M_AP_PLAN, 0, F_REF, 0, 0,
		      FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER, NULL, &ap_plans, 0 },
	[DV_ACTIVITY] = { "activity_id", M_AP_ACTIVITY, 0, F_REF, 0, 0,
			  FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER, NULL, &ap_activities, 0 },
	[DV_WHAT] = { "what", M_AP_F_DV_WHAT, 0, F_ENUM, 0, 0,
		      FF_NO_FORM | FF_NO_IMPORT | FF_LIST | FF_FILTER, deviation_kinds, NULL, 0 },
	[DV_BEFORE] = DV_FIELD("before_text", M_AP_F_DV_BEFORE, F_TEXT),
	[DV_AFTER] = DV_FIELD("after_text", M_AP_F_DV_AFTER, F_TEXT),
	[DV_ON] = DV_FIELD("happened_on", M_AP_F_DV_ON, F_TEXT),
	[DV_PERSON] = { "person_id", M_AP_F_DV_WHO, 0, F_REF, 0, 0, FF_NO_FORM | FF_NO_IMPORT, NULL,
			&org_people, 0 },
	[DV_ACTOR] = { "actor", M_AP_F_DV_ACTOR, 0, F_TEXT, 0, 300, FF_NO_FORM | FF_NO_IMPORT,
		       NULL, NULL, 0 },
	{ NULL },
};

/* Nobody writes a deviation by hand: roles_write 0 leaves the register
 * without forms, imports or transitions; the module writes them. */
struct entity ap_deviations = {
	.name = "plan-deviations",
	.table = "plan_deviation",
	.label_one = M_AP_DEVIATION,
	.label_many = M_AP_DEVIATIONS,
	.label_new = M_AP_DEVIATION,
	.intro = M_AP_DEVIATIONS_INTRO,
	.fields = deviation_fields,
	.title_field = DV_WHAT,
	.roles_read = ROLES_STAFF,
	.roles_write = 0,
};

/* ---- carrying unfinished activities over (close_rule) ---- */

static const char sql_unfinished[] =
	"SELECT a.id FROM activity a WHERE a.org_id = $1 AND a.plan_id = $2 AND a.archived = 0"
	" AND " ACT_OPEN_SQL " ORDER BY a.priority, a.id";
static const char sql_gaps_of[] =
	"SELECT assessment_id, note FROM activity_gap WHERE org_id = $1 AND activity_id = $2"
	" AND archived = 0 ORDER BY id LIMIT 200";

/* Each unfinished activity of from_plan becomes a new one in to_plan that
 * names it (carried_from) and addresses the same gaps; the old one is
 * marked carried (a deviation of the decided plan, audited). */
static int carry_over(struct ctx *cx, int64_t from_plan, int64_t to_plan, struct db_error *err)
{
	struct db_rows r, g;

	if (db_exec(cx->db, cx->a, sql_unfinished, DB_ARGS(DB_INT(cx->org->id), DB_INT(from_plan)),
		    &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int64_t id = db_cell_i64(&r, i, 0);
		struct record old, rec;
		struct field_errors errs = { .n = 0 };
		const char *vals[AG__COUNT] = { 0 };

		if (entity_get(cx, &ap_activities, id, &old, err) != 0)
			return -1;
		rec = old;
		rec.id = 0;
		rec.version = 0;
		rec.v = arena_alloc(cx->a, (ap_activities.nfields + 1) * sizeof(char *));
		memcpy(rec.v, old.v, ap_activities.nfields * sizeof(char *));
		rec.v[AC_PLAN] = id_text(cx, to_plan);
		rec.v[AC_STATUS] = is(old.v[AC_STATUS], ACT_ONGOING) ? ACT_ONGOING : ACT_PLANNED;
		rec.v[AC_CARRIED_FROM] = id_text(cx, id);
		rec.v[AC_CANCEL_REASON] = NULL;
		rec.v[AC_DONE_ON] = NULL;
		if (entity_create(cx, &ap_activities, &rec, &errs, err) != 0)
			goto refused;
		if (db_exec(cx->db, cx->a, sql_gaps_of, DB_ARGS(DB_INT(cx->org->id), DB_INT(id)), &g,
			    err) != 0)
			return -1;
		for (size_t k = 0; k < g.nrows; k++) {
			vals[AG_ACTIVITY] = id_text(cx, rec.id);
			vals[AG_ASSESSMENT] = db_cell(&g, k, 0);
			vals[AG_NOTE] = db_cell(&g, k, 1);
			if (!entity_create_values(cx, &ap_activity_gaps, vals, err))
				return -1;
		}
		if (entity_transition(cx, &ap_activities, id, old.version, "carry", NULL, &errs,
				      err) != 0)
			goto refused;
	}
	return 0;
refused:
	if (!err->code)
		err->code = DBE_CHECK;
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "activity not carried over");
	return -1;
}

/* ---- an activity from a gap (R-4-20) ---- */

static const char sql_gap[] =
	"SELECT a.effective_status, a.severity, a.system_id, m.code, m.title, m.description,"
	" m.req_text, s.owner_id, s.name, a.archived"
	" FROM measure_assessment a JOIN measure m ON m.id = a.measure_id"
	" LEFT JOIN it_system s ON s.id = a.system_id"
	" WHERE a.org_id = $1 AND a.id = $2";

int64_t activity_from_gap(struct ctx *cx, int64_t assessment_id, int64_t plan_id,
			  int64_t activity_id, struct db_error *err)
{
	struct db_rows g, p;
	const char *st, *vals[AC__COUNT] = { 0 }, *links[AG__COUNT] = { 0 };
	const char *today = ctx_today(cx);

	memset(err, 0, sizeof(*err));
	if (db_exec(cx->db, cx->a, sql_gap, DB_ARGS(DB_INT(cx->org->id), DB_INT(assessment_id)),
		    &g, err) != 0)
		return 0;
	st = g.nrows == 1 ? db_cell(&g, 0, 0) : NULL;
	if (!st || db_cell_i64(&g, 0, 9) != 0) {
		err->code = DBE_NOTFOUND;
		snprintf(err->msg, sizeof(err->msg), "assessment %lld", (long long)assessment_id);
		return 0;
	}
	if (!is(st, ST_PARTLY) && !is(st, ST_NOT_MET)) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof(err->msg), "assessment %lld is no gap",
			 (long long)assessment_id);
		return 0;
	}
	if (!activity_id) {
		const char *sys = db_cell(&g, 0, 8), *start;
		if (db_exec(cx->db, cx->a, sql_plan_state,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(plan_id)), &p, err) != 0)
			return 0;
		if (p.nrows != 1 || db_cell_i64(&p, 0, 1) != 0) {
			err->code = DBE_NOTFOUND;
			snprintf(err->msg, sizeof(err->msg), "plan %lld", (long long)plan_id);
			return 0;
		}
		start = strcmp(today, db_cell(&p, 0, 2)) > 0 ? today : db_cell(&p, 0, 2);
		vals[AC_PLAN] = id_text(cx, plan_id);
		vals[AC_TITLE] = sys ? arena_printf(cx->a, "%s: %s %s (%s)",
						    msg_text(LANG_SV, M_AP_REMEDY), db_cell(&g, 0, 3),
						    db_cell(&g, 0, 4), sys)
				     : arena_printf(cx->a, "%s: %s %s", msg_text(LANG_SV, M_AP_REMEDY),
						    db_cell(&g, 0, 3), db_cell(&g, 0, 4));
		if (strlen(vals[AC_TITLE]) > 290)
			vals[AC_TITLE] = arena_strndup(cx->a, vals[AC_TITLE], 290);
		vals[AC_KIND] = "deficiency";
		vals[AC_PRIORITY] = id_text(cx, activity_priority_for(db_cell(&g, 0, 1)));
		vals[AC_GOAL] = db_cell(&g, 0, 6) ? db_cell(&g, 0, 6) : db_cell(&g, 0, 5);
		vals[AC_RESPONSIBLE] = db_cell(&g, 0, 7) ? db_cell(&g, 0, 7) :
				       cx->org->person_id ? id_text(cx, cx->org->person_id) : NULL;
		vals[AC_START] = strcmp(start, db_cell(&p, 0, 3)) > 0 ? db_cell(&p, 0, 3) : start;
		vals[AC_END] = db_cell(&p, 0, 3);
		if (!(activity_id = entity_create_values(cx, &ap_activities, vals, err)))
			return 0;
	}
	links[AG_ACTIVITY] = id_text(cx, activity_id);
	links[AG_ASSESSMENT] = id_text(cx, assessment_id);
	if (!entity_create_values(cx, &ap_activity_gaps, links, err))
		return 0;
	return activity_id;
}

static const char sql_open_plan[] =
	"SELECT id FROM action_plan WHERE org_id = $1 AND archived = 0 AND state <> 'closed'"
	" ORDER BY CASE state WHEN 'draft' THEN 0 WHEN 'submitted' THEN 1 ELSE 2 END,"
	" period_start DESC, id DESC LIMIT 1";

int64_t plan_open_default(struct ctx *cx, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_open_plan, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	return r.nrows ? db_cell_i64(&r, 0, 0) : 0;
}
