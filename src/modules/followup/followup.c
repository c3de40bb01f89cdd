/* followup.c - the registers of follow-up: follow-ups and audits, their
 * findings, the annual goals with their activities, the IT needs
 * (followup.h states the rules). */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/followup/followup.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
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

/* The keepers change every record; anyone else only their own (the
 * responsible person, or the owner of an IT need). */
static int own_may(struct ctx *cx, const struct record *rec, int owner_field, enum entity_op op)
{
	if (op == OP_READ || !cx->user_id || ctx_has_role(cx, ROLES_FU_KEEP))
		return 1;
	return cx->org->person_id && ref_of(rec, owner_field) == cx->org->person_id;
}

/* The day months after day (YYYY-MM-DD), the last of a shorter month
 * when day is past it. */
static const char *add_months(struct ctx *cx, const char *day, int months)
{
	int y, m, d, dim;

	if (!day || sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return NULL;
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	dim = clock_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return arena_printf(cx->a, "%04d-%02d-%02d", y, m, d);
}

/* ---- follow-ups ---- */

static const struct choice fu_kinds[] = {
	{ "follow_up", M_FU_KIND_FOLLOW_UP },
	{ "audit", M_FU_KIND_AUDIT },
	{ "log_review", M_FU_KIND_LOG_REVIEW },
	{ "scanning", M_FU_KIND_SCANNING },
	{ "system_owner", M_FU_KIND_SYSTEM_OWNER },
	{ NULL, 0 },
};

static const struct choice fu_states[] = {
	{ FU_PLANNED_S, M_FU_STATE_PLANNED },
	{ FU_ONGOING_S, M_FU_STATE_ONGOING },
	{ FU_DONE_S, M_FU_STATE_DONE },
	{ NULL, 0 },
};

static const struct choice fu_guidelines[] = {
	{ "followed", M_FU_GL_FOLLOWED },
	{ "partly", M_FU_GL_PARTLY },
	{ "not_followed", M_FU_GL_NOT_FOLLOWED },
	{ "not_checked", M_FU_NOT_CHECKED },
	{ NULL, 0 },
};

static const struct choice fu_goal_checks[] = {
	{ "met", M_FU_GOALS_MET },
	{ "partly", M_FU_GOALS_PARTLY },
	{ "not_met", M_FU_GOALS_NOT_MET },
	{ "not_checked", M_FU_NOT_CHECKED },
	{ NULL, 0 },
};

#define CHECK(col, label, help, type, max, choices) \
	{ col, label, help, type, 0, max, 0, choices, NULL, M_FU_G_CHECKS }
#define KEPT(col, label) \
	{ col, label, 0, F_INT, 0, INT64_MAX, FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_FU_G_CHECKS }

static const struct entity_field followup_fields[] = {
	[FU_TITLE] = { "title", M_FU_F_TITLE, M_FU_H_TITLE, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[FU_KIND] = { "kind", M_FU_F_KIND, M_FU_H_KIND, F_ENUM, 0, 0,
		      FF_REQUIRED | FF_LIST | FF_FILTER, fu_kinds, NULL, 0 },
	[FU_SYSTEM] = { "system_id", M_FU_F_SYSTEM, M_FU_H_SYSTEM, F_REF, 0, 0, FF_FILTER, NULL,
			&sys_systems, 0 },
	[FU_SCOPE] = { "scope", M_FU_F_SCOPE, M_FU_H_SCOPE, F_LONGTEXT, 0, 4000, FF_SEARCH, NULL,
		       NULL, 0 },
	[FU_RESPONSIBLE] = { "responsible_id", M_FU_F_RESPONSIBLE, 0, F_REF, 0, 0,
			     FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &org_people, 0 },
	[FU_PLANNED] = { "planned_on", M_FU_F_PLANNED, 0, F_DATE, 0, 0,
			 FF_REQUIRED | FF_LIST | FF_SORT | FF_SET, NULL, NULL, 0 },
	[FU_RECURRENCE] = { "recurrence_months", M_FU_F_RECURRENCE, M_FU_H_RECURRENCE, F_INT, 0,
			    60, 0, NULL, NULL, 0 },
	[FU_STATE] = { "state", M_FU_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER, fu_states,
		       NULL, 0 },
	[FU_GUIDELINES] = CHECK("guidelines", M_FU_F_GUIDELINES, M_FU_H_GUIDELINES, F_ENUM, 0,
				fu_guidelines),
	[FU_GUIDELINES_NOTE] = CHECK("guidelines_note", M_FU_F_GUIDELINES_NOTE, 0, F_LONGTEXT,
				     4000, NULL),
	[FU_ACTIONS_TOTAL] = KEPT("actions_total", M_FU_F_ACTIONS_TOTAL),
	[FU_ACTIONS_DONE] = KEPT("actions_done", M_FU_F_ACTIONS_DONE),
	[FU_ACTIONS_OVERDUE] = KEPT("actions_overdue", M_FU_F_ACTIONS_OVERDUE),
	[FU_ACTIONS_NOTE] = CHECK("actions_note", M_FU_F_ACTIONS_NOTE, M_FU_H_ACTIONS_NOTE,
				  F_LONGTEXT, 4000, NULL),
	[FU_GOALS] = CHECK("goals", M_FU_F_GOALS, M_FU_H_GOALS, F_ENUM, 0, fu_goal_checks),
	[FU_GOALS_NOTE] = CHECK("goals_note", M_FU_F_GOALS_NOTE, 0, F_LONGTEXT, 4000, NULL),
	[FU_REVISION] = CHECK("revision_needed", M_FU_F_REVISION, M_FU_H_REVISION, F_LONGTEXT,
			      4000, NULL),
	[FU_CONCLUSION] = { "conclusion", M_FU_F_CONCLUSION, M_FU_H_CONCLUSION, F_LONGTEXT, 0,
			    4000, FF_SEARCH, NULL, NULL, M_FU_G_CHECKS },
	[FU_DONE_ON] = { "done_on", M_FU_F_DONE_ON, 0, F_DATE, 0, 0,
			 FF_NO_FORM | FF_NO_IMPORT | FF_LIST, NULL, NULL, 0 },
	[FU_NEXT] = { "next_id", M_FU_F_NEXT, 0, F_REF, 0, 0, FF_NO_FORM | FF_NO_IMPORT, NULL,
		      &fu_followups, 0 },
	{ NULL },
};

static void followup_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			      const struct record *old, struct field_errors *errs)
{
	(void)cx;
	(void)e;
	(void)old;
	/* a system owner's follow-up names the system it is about (R-15-17) */
	if (is(rec->v[FU_KIND], "system_owner") && !rec->v[FU_SYSTEM])
		field_error_add(errs, FU_SYSTEM, M_FU_V_SYSTEM_NEEDED, "required");
}

static int followup_may(struct ctx *cx, const struct entity *e, const struct record *rec,
			enum entity_op op)
{
	(void)e;
	return own_may(cx, rec, FU_RESPONSIBLE, op);
}

static const char *const from_planned[] = { FU_PLANNED_S, NULL };
static const char *const from_open[] = { FU_PLANNED_S, FU_ONGOING_S, NULL };

static const struct entity_field complete_params[] = {
	{ "conclusion", M_FU_F_CONCLUSION, M_FU_H_CONCLUSION, F_LONGTEXT, 1, 4000, FF_REQUIRED,
	  NULL, NULL, 0 },
	{ NULL },
};

/* Done: the conclusion, the day, the action plan's numbers as they stand
 * (R-15-03, kept in the record), and the next one when it recurs. */
static int complete_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
			 struct record *rec, const struct record *old, const char *const *pv,
			 struct field_errors *errs, struct db_error *err)
{
	int64_t plan, months = 0;
	struct plan_progress pp = { 0 };

	(void)e, (void)t, (void)old, (void)errs;
	rec->v[FU_CONCLUSION] = pv[0];
	rec->v[FU_DONE_ON] = ctx_today(cx);
	if ((plan = plan_decided_current(cx, err)) < 0)
		return -1;
	if (plan && plan_progress(cx, plan, &pp, err) != 0)
		return -1;
	if (plan) {
		rec->v[FU_ACTIONS_TOTAL] = id_text(cx, pp.total);
		rec->v[FU_ACTIONS_DONE] = id_text(cx, pp.done);
		rec->v[FU_ACTIONS_OVERDUE] = id_text(cx, pp.overdue);
	}
	if (rec->v[FU_RECURRENCE] && parse_i64(rec->v[FU_RECURRENCE], &months) == 0 &&
	    months > 0 && !rec->v[FU_NEXT]) {
		const char *v[FU__COUNT] = { 0 };
		int64_t next;
		v[FU_TITLE] = rec->v[FU_TITLE];
		v[FU_KIND] = rec->v[FU_KIND];
		v[FU_SYSTEM] = rec->v[FU_SYSTEM];
		v[FU_SCOPE] = rec->v[FU_SCOPE];
		v[FU_RESPONSIBLE] = rec->v[FU_RESPONSIBLE];
		v[FU_PLANNED] = add_months(cx, rec->v[FU_PLANNED], (int)months);
		v[FU_RECURRENCE] = rec->v[FU_RECURRENCE];
		if (!(next = entity_create_values(cx, &fu_followups, v, err)))
			return -1;
		rec->v[FU_NEXT] = id_text(cx, next);
	}
	return 0;
}

static const struct entity_transition followup_transitions[] = {
	{ .name = "start", .label = M_FU_T_START, .field = "state", .from = from_planned,
	  .to = FU_ONGOING_S },
	{ .name = "complete", .label = M_FU_T_COMPLETE, .help = M_FU_T_COMPLETE_HELP,
	  .field = "state", .from = from_open, .to = FU_DONE_S, .params = complete_params,
	  .rule = complete_rule },
	{ .name = NULL },
};

static const struct entity_link followup_links[] = {
	{ M_FU_CALENDAR, "/follow-up", ROLES_STAFF },
	{ M_FU_OVERDUE, "/follow-up/overdue", ROLES_STAFF },
	{ M_FU_GOALS, "/annual-goals", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity fu_followups = {
	.name = "follow-ups",
	.table = "follow_up",
	.label_one = M_FU_FOLLOWUP,
	.label_many = M_FU_FOLLOWUPS,
	.label_new = M_FU_FOLLOWUP_NEW,
	.intro = M_FU_FOLLOWUPS_INTRO,
	.list_links = followup_links,
	.fields = followup_fields,
	.title_field = FU_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_STAFF,
	.owner_field = "responsible_id",
	.validate = followup_validate,
	.may = followup_may,
	.transitions = followup_transitions,
	.show_extra = followup_show_extra,
	.hide_empty_groups = 1,
};

/* ---- findings ---- */

static const struct choice finding_kinds[] = {
	{ "observation", M_FU_FN_OBSERVATION },
	{ "deviation", M_FU_FN_DEVIATION },
	{ NULL, 0 },
};

static const struct choice severities[] = {
	{ "low", M_FU_SEV_LOW },
	{ "medium", M_FU_SEV_MEDIUM },
	{ "high", M_FU_SEV_HIGH },
	{ NULL, 0 },
};

static const struct choice finding_states[] = {
	{ "open", M_FU_FN_OPEN },
	{ "action", M_FU_FN_ACTION },
	{ NULL, 0 },
};

static const struct entity_field finding_fields[] = {
	[FN_FOLLOWUP] = { "follow_up_id", M_FU_FOLLOWUP, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &fu_followups, 0 },
	[FN_TITLE] = { "title", M_FU_F_FINDING, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[FN_DESCRIPTION] = { "description", M_FU_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000, FF_SEARCH,
			     NULL, NULL, 0 },
	[FN_KIND] = { "kind", M_FU_F_FINDING_KIND, M_FU_H_FINDING_KIND, F_ENUM, 0, 0,
		      FF_REQUIRED | FF_LIST | FF_FILTER, finding_kinds, NULL, 0 },
	[FN_SEVERITY] = { "severity", M_FU_F_SEVERITY, 0, F_ENUM, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, severities, NULL, 0 },
	[FN_STATE] = { "state", M_FU_F_FINDING_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER,
		       finding_states, NULL, 0 },
	[FN_ACTIVITY] = { "activity_id", M_FU_F_ACTIVITY, 0, F_REF, 0, 0,
			  FF_NO_FORM | FF_NO_IMPORT | FF_LIST, NULL, &ap_activities, 0 },
	{ NULL },
};

/* A finding is changed by whoever may change its follow-up. */
static int finding_may(struct ctx *cx, const struct entity *e, const struct record *rec,
		       enum entity_op op)
{
	struct record fu;
	struct db_error err;
	int64_t id = ref_of(rec, FN_FOLLOWUP);

	(void)e;
	if (op == OP_READ)
		return 1;
	return id && entity_get(cx, &fu_followups, id, &fu, &err) == 0 &&
	       entity_may(cx, &fu_followups, &fu, OP_WRITE);
}

static const char *const from_finding_open[] = { "open", NULL };

static const struct entity_field action_params[] = {
	{ "action_title", M_FU_F_ACTION_TITLE, M_FU_H_ACTION_TITLE, F_TEXT, 1, 200, FF_REQUIRED,
	  NULL, NULL, 0 },
	{ "action_end", M_FU_F_ACTION_END, 0, F_DATE, 0, 0, FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

static void action_defaults(struct ctx *cx, const struct entity *e, const struct record *rec,
			    const char **pv)
{
	(void)e;
	pv[0] = rec->v[FN_TITLE];
	pv[1] = ctx_date_in(cx, 90);
}

/* A deviation becomes an activity of the open action plan (R-15-07): made
 * through the engine in the transition's transaction, the responsible
 * person the follow-up's, the priority from the severity. */
static int action_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		       struct record *rec, const struct record *old, const char *const *pv,
		       struct field_errors *errs, struct db_error *err)
{
	const char *v[AC__COUNT] = { 0 };
	const char *today = ctx_today(cx), *sev = rec->v[FN_SEVERITY];
	struct record fu;
	int64_t plan, act;

	(void)old;
	if (!is(rec->v[FN_KIND], "deviation")) {
		field_error_add(errs, FN_KIND, M_FU_V_ONLY_DEVIATION, "invalid");
		return 0;
	}
	if ((plan = plan_open_default(cx, err)) < 0)
		return -1;
	if (!plan) {
		field_error_add(errs, entity_param_error_index(e, t, "action_title"),
				M_FU_V_NO_PLAN, "invalid");
		return 0;
	}
	if (entity_get(cx, &fu_followups, ref_of(rec, FN_FOLLOWUP), &fu, err) != 0)
		return -1;
	v[AC_PLAN] = id_text(cx, plan);
	v[AC_TITLE] = pv[0];
	v[AC_KIND] = "deficiency";
	v[AC_PRIORITY] = is(sev, "high") ? "1" : is(sev, "medium") ? "2" : "3";
	v[AC_GOAL] = rec->v[FN_DESCRIPTION] ? rec->v[FN_DESCRIPTION] : rec->v[FN_TITLE];
	v[AC_DESCRIPTION] = msg_fill(cx->a, msg_text(LANG_SV, M_FU_ACTION_FROM), "{title}",
				     fu.v[FU_TITLE]);
	v[AC_RESPONSIBLE] = fu.v[FU_RESPONSIBLE];
	v[AC_START] = strcmp(today, pv[1]) <= 0 ? today : pv[1];
	v[AC_END] = pv[1];
	if (!(act = entity_create_values(cx, &ap_activities, v, err)))
		return -1;
	rec->v[FN_ACTIVITY] = id_text(cx, act);
	return 0;
}

static const struct entity_transition finding_transitions[] = {
	{ .name = "to-action", .label = M_FU_T_TO_ACTION, .help = M_FU_T_TO_ACTION_HELP,
	  .field = "state", .from = from_finding_open, .to = "action", .roles = ROLES_PLAN_WRITE,
	  .params = action_params, .rule = action_rule, .defaults = action_defaults },
	{ .name = NULL },
};

struct entity fu_findings = {
	.name = "follow-up-findings",
	.table = "follow_up_finding",
	.label_one = M_FU_FINDING,
	.label_many = M_FU_FINDINGS,
	.label_new = M_FU_FINDING_NEW,
	.fields = finding_fields,
	.title_field = FN_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_STAFF,
	.parent_field = "follow_up_id",
	.parent_path = "findings",
	.may = finding_may,
	.transitions = finding_transitions,
};

/* ---- annual goals ---- */

static const struct choice goal_states[] = {
	{ "proposed", M_FU_GO_PROPOSED },
	{ "decided", M_FU_GO_DECIDED },
	{ "met", M_FU_GOALS_MET },
	{ "partly", M_FU_GOALS_PARTLY },
	{ "not_met", M_FU_GOALS_NOT_MET },
	{ NULL, 0 },
};

#define GDECISION(col, label, type) \
	{ col, label, 0, type, 0, 300, FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_FU_G_DECISION }

static const struct entity_field goal_fields[] = {
	[GO_YEAR] = { "year", M_FU_F_YEAR, 0, F_INT, 2000, 2100, FF_REQUIRED | FF_LIST | FF_SORT,
		      NULL, NULL, 0 },
	[GO_TITLE] = { "title", M_FU_F_GOAL, M_FU_H_GOAL, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[GO_DESCRIPTION] = { "description", M_FU_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			     FF_SEARCH, NULL, NULL, 0 },
	[GO_RESPONSIBLE] = { "responsible_id", M_FU_F_RESPONSIBLE, 0, F_REF, 0, 0,
			     FF_LIST | FF_FILTER, NULL, &org_people, 0 },
	[GO_FOLLOW_UP_ON] = { "follow_up_on", M_FU_F_GOAL_FOLLOW_UP_ON, M_FU_H_GOAL_FOLLOW_UP_ON,
			      F_DATE, 0, 0, FF_LIST, NULL, NULL, 0 },
	[GO_STATE] = { "state", M_FU_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER, goal_states,
		       NULL, 0 },
	[GO_DECIDED_BY] = GDECISION("decided_by", M_FU_F_DECIDED_BY, F_TEXT),
	[GO_DECIDED_ON] = GDECISION("decided_on", M_FU_F_DECIDED_ON, F_DATE),
	[GO_MINUTES] = GDECISION("minutes_ref", M_FU_F_MINUTES, F_TEXT),
	[GO_OUTCOME] = { "outcome_comment", M_FU_F_OUTCOME, 0, F_LONGTEXT, 0, 4000,
			 FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_FU_G_OUTCOME },
	[GO_FOLLOWED_UP_ON] = { "followed_up_on", M_FU_F_FOLLOWED_UP_ON, 0, F_DATE, 0, 0,
				FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_FU_G_OUTCOME },
	{ NULL },
};

/* The year's follow-up is its last day unless set. */
static void goal_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	int64_t y;

	(void)e, (void)old, (void)errs;
	if (!rec->v[GO_FOLLOW_UP_ON] && rec->v[GO_YEAR] && parse_i64(rec->v[GO_YEAR], &y) == 0)
		rec->v[GO_FOLLOW_UP_ON] = arena_printf(cx->a, "%04lld-12-31", (long long)y);
}

/* Management (the management group, the chief executive) decides and
 * may change goals; the keepers and the responsible person too. */
static int goal_may(struct ctx *cx, const struct entity *e, const struct record *rec,
		    enum entity_op op)
{
	(void)e;
	if (op == OP_WRITE && cx->user_id && ctx_has_role(cx, ROLES_FU_DECIDE))
		return 1;
	return own_may(cx, rec, GO_RESPONSIBLE, op);
}

static const struct entity_field goal_decide_params[] = {
	{ "decider", M_FU_F_DECIDED_BY, M_FU_H_DECIDED_BY, F_TEXT, 1, 300, FF_REQUIRED, NULL,
	  NULL, 0 },
	{ "decision_date", M_FU_F_DECIDED_ON, 0, F_DATE, 0, 0, FF_REQUIRED, NULL, NULL, 0 },
	{ "minutes", M_FU_F_MINUTES, 0, F_TEXT, 1, 300, FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

static int goal_decide_rule(struct ctx *cx, const struct entity *e,
			    const struct entity_transition *t, struct record *rec,
			    const struct record *old, const char *const *pv,
			    struct field_errors *errs, struct db_error *err)
{
	(void)old, (void)err;
	if (pv[1] && strcmp(pv[1], ctx_today(cx)) > 0) {
		field_error_add(errs, entity_param_error_index(e, t, "decision_date"),
				M_FU_V_DECIDED_FUTURE, "invalid");
		return 0;
	}
	rec->v[GO_DECIDED_BY] = pv[0];
	rec->v[GO_DECIDED_ON] = pv[1];
	rec->v[GO_MINUTES] = pv[2];
	return 0;
}

static const struct entity_field outcome_params[] = {
	{ "outcome", M_FU_F_OUTCOME, M_FU_H_OUTCOME, F_LONGTEXT, 1, 4000, FF_REQUIRED, NULL, NULL,
	  0 },
	{ NULL },
};

static int outcome_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
			struct record *rec, const struct record *old, const char *const *pv,
			struct field_errors *errs, struct db_error *err)
{
	(void)e, (void)t, (void)old, (void)errs, (void)err;
	rec->v[GO_OUTCOME] = pv[0];
	rec->v[GO_FOLLOWED_UP_ON] = ctx_today(cx);
	return 0;
}

static const char *const from_proposed[] = { "proposed", NULL };
static const char *const from_decided[] = { "decided", NULL };

static const struct entity_transition goal_transitions[] = {
	{ .name = "decide", .label = M_FU_T_DECIDE, .help = M_FU_T_DECIDE_HELP, .field = "state",
	  .from = from_proposed, .to = "decided", .roles = ROLES_FU_DECIDE,
	  .params = goal_decide_params, .rule = goal_decide_rule },
	{ .name = "met", .label = M_FU_T_MET, .field = "state", .from = from_decided, .to = "met",
	  .params = outcome_params, .rule = outcome_rule },
	{ .name = "partly", .label = M_FU_T_PARTLY, .field = "state", .from = from_decided,
	  .to = "partly", .params = outcome_params, .rule = outcome_rule },
	{ .name = "not-met", .label = M_FU_T_NOT_MET, .field = "state", .from = from_decided,
	  .to = "not_met", .params = outcome_params, .rule = outcome_rule },
	{ .name = NULL },
};

static const struct entity_link goal_links[] = {
	{ M_FU_NEEDS, "/it-needs", ROLES_STAFF },
	{ M_FU_FOLLOWUPS, "/follow-ups", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity fu_goals = {
	.name = "annual-goals",
	.table = "annual_goal",
	.label_one = M_FU_GOAL,
	.label_many = M_FU_GOALS,
	.label_new = M_FU_GOAL_NEW,
	.intro = M_FU_GOALS_INTRO,
	.list_links = goal_links,
	.fields = goal_fields,
	.title_field = GO_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_STAFF,
	.owner_field = "responsible_id",
	.validate = goal_validate,
	.may = goal_may,
	.transitions = goal_transitions,
	.show_extra = goal_show_extra,
	.hide_empty_groups = 1,
};

/* ---- a goal's activities ---- */

static const struct entity_field goal_activity_fields[] = {
	[GA_GOAL] = { "goal_id", M_FU_GOAL, 0, F_REF, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER,
		      NULL, &fu_goals, 0 },
	[GA_ACTIVITY] = { "activity_id", M_FU_F_ACTIVITY, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &ap_activities, 0 },
	[GA_NOTE] = { "note", M_FU_F_NOTE, 0, F_TEXT, 0, 500, FF_SEARCH, NULL, NULL, 0 },
	{ NULL },
};

static int goal_part_may(struct ctx *cx, const struct entity *e, const struct record *rec,
			 enum entity_op op)
{
	struct record g;
	struct db_error err;
	int64_t id = ref_of(rec, GA_GOAL);

	(void)e;
	if (op == OP_READ)
		return 1;
	return id && entity_get(cx, &fu_goals, id, &g, &err) == 0 &&
	       entity_may(cx, &fu_goals, &g, OP_WRITE);
}

struct entity fu_goal_activities = {
	.name = "annual-goal-activities",
	.table = "annual_goal_activity",
	.label_one = M_FU_GOAL_ACTIVITY,
	.label_many = M_FU_GOAL_ACTIVITIES,
	.label_new = M_FU_GOAL_ACTIVITY_NEW,
	.fields = goal_activity_fields,
	.title_field = GA_ACTIVITY,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_STAFF,
	.parent_field = "goal_id",
	.may = goal_part_may,
};

/* ---- IT needs (R-15-14, R-15-15) ---- */

static const struct choice need_areas[] = {
	{ "introduction", M_FU_AREA_INTRODUCTION },
	{ "maintenance", M_FU_AREA_MAINTENANCE },
	{ "operations", M_FU_AREA_OPERATIONS },
	{ "decommissioning", M_FU_AREA_DECOMMISSIONING },
	{ NULL, 0 },
};

static const struct choice need_states[] = {
	{ "submitted", M_FU_ND_SUBMITTED },
	{ "compiled", M_FU_ND_COMPILED },
	{ NULL, 0 },
};

static const struct entity_field need_fields[] = {
	[ND_YEAR] = { "year", M_FU_F_NEED_YEAR, 0, F_INT, 2000, 2100,
		      FF_REQUIRED | FF_LIST | FF_SORT, NULL, NULL, 0 },
	[ND_TITLE] = { "title", M_FU_F_NEED, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[ND_AREA] = { "area", M_FU_F_AREA, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER,
		      need_areas, NULL, 0 },
	[ND_SYSTEM] = { "system_id", M_FU_F_SYSTEM, 0, F_REF, 0, 0, FF_LIST | FF_FILTER, NULL,
			&sys_systems, 0 },
	[ND_OWNER] = { "owner_id", M_FU_F_NEED_OWNER, 0, F_REF, 0, 0,
		       FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &org_people, 0 },
	[ND_GOALS] = { "goals", M_FU_F_NEED_GOALS, M_FU_H_NEED_GOALS, F_LONGTEXT, 0, 2000,
		       FF_SEARCH, NULL, NULL, 0 },
	[ND_REQUIREMENTS] = { "requirements", M_FU_F_NEED_REQUIREMENTS, 0, F_LONGTEXT, 0, 2000,
			      FF_SEARCH, NULL, NULL, 0 },
	[ND_GOAL] = { "goal_id", M_FU_F_NEED_GOAL, M_FU_H_NEED_GOAL, F_REF, 0, 0,
		      FF_LIST | FF_FILTER, NULL, &fu_goals, 0 },
	[ND_STATE] = { "state", M_FU_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER, need_states,
		       NULL, 0 },
	{ NULL },
};

static const char *const from_submitted[] = { "submitted", NULL };

static const struct entity_field compile_params[] = {
	{ "goal_title", M_FU_F_GOAL, M_FU_H_GOAL, F_TEXT, 1, 200, FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

static void compile_defaults(struct ctx *cx, const struct entity *e, const struct record *rec,
			     const char **pv)
{
	(void)cx, (void)e;
	pv[0] = rec->v[ND_TITLE];
}

/* The management group compiles a need into a proposed goal for its year
 * (R-15-16), or into one already proposed (the need's goal_id set by
 * hand before): the goal is made through the engine in the transition's
 * transaction, the need's goals and requirements its description. */
static int compile_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
			struct record *rec, const struct record *old, const char *const *pv,
			struct field_errors *errs, struct db_error *err)
{
	const char *v[GO__COUNT] = { 0 };
	int64_t g;

	(void)e, (void)t, (void)old, (void)errs;
	if (rec->v[ND_GOAL])
		return 0;
	v[GO_YEAR] = rec->v[ND_YEAR];
	v[GO_TITLE] = pv[0];
	v[GO_DESCRIPTION] = arena_printf(cx->a, "%s%s%s", rec->v[ND_GOALS] ? rec->v[ND_GOALS] : "",
					 rec->v[ND_GOALS] && rec->v[ND_REQUIREMENTS] ? "\n\n" : "",
					 rec->v[ND_REQUIREMENTS] ? rec->v[ND_REQUIREMENTS] : "");
	if (!*v[GO_DESCRIPTION])
		v[GO_DESCRIPTION] = NULL;
	v[GO_RESPONSIBLE] = rec->v[ND_OWNER];
	if (!(g = entity_create_values(cx, &fu_goals, v, err)))
		return -1;
	rec->v[ND_GOAL] = id_text(cx, g);
	return 0;
}

static const struct entity_transition need_transitions[] = {
	{ .name = "compile", .label = M_FU_T_COMPILE, .help = M_FU_T_COMPILE_HELP,
	  .field = "state", .from = from_submitted, .to = "compiled", .roles = ROLES_FU_DECIDE,
	  .params = compile_params, .rule = compile_rule, .defaults = compile_defaults },
	{ .name = NULL },
};

static int need_may(struct ctx *cx, const struct entity *e, const struct record *rec,
		    enum entity_op op)
{
	(void)e;
	if (op == OP_WRITE && cx->user_id && ctx_has_role(cx, ROLES_FU_DECIDE))
		return 1; /* the management group compiles them */
	return own_may(cx, rec, ND_OWNER, op);
}

struct entity fu_needs = {
	.name = "it-needs",
	.table = "it_need",
	.label_one = M_FU_NEED,
	.label_many = M_FU_NEEDS,
	.label_new = M_FU_NEED_NEW,
	.intro = M_FU_NEEDS_INTRO,
	.fields = need_fields,
	.title_field = ND_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_STAFF,
	.owner_field = "owner_id",
	.may = need_may,
	.transitions = need_transitions,
};
