/* actions.h - the action plan (handlingsplan) decided by management and
 * followed up (issue 10; seed 001 §4, 004 §8; R-7-06..R-7-11, R-4-20).
 *
 * The rules:
 *
 *  - A plan covers a period (usually a year).  It is drawn up as a draft,
 *    submitted for management's decision, decided (by whom, the date, the
 *    decision's text and the minutes' reference are inputs of the
 *    "decide" transition and required; the version of the plan decided is
 *    kept), and closed at the end of its period.  Only management (ledning,
 *    kommunchef) and the register's keepers, who record management's
 *    decision, decide; anyone else is refused.
 *
 *  - A decided plan is frozen: its own fields do not change any more (its
 *    validate refuses it; the state changes only by its transitions).  Its
 *    activities may still move - life goes on - but every change of one
 *    of them that matters for the follow-up (dates, status, responsible
 *    person, a new or archived activity) is recorded as a deviation
 *    (plan_deviation: what, before, after, when, who) in the change's
 *    transaction, besides the audit event the engine writes anyway.  A
 *    closed plan's activities do not change at all (their may).
 *
 *  - An activity (R-7-10) has a responsible person, a start and an end
 *    (the deadline) and a status: planned -> ongoing -> done, or cancelled
 *    with a reason; "carried" when its plan was closed with it unfinished.
 *    Its priority (1 highest .. 5) ranks the plan (R-7-09); its kind says
 *    whether it produces a governance document (R-7-08), remedies a
 *    deficiency or vulnerability (R-7-09), or is something else.  It is
 *    overdue when its end is before today and it is neither done nor
 *    cancelled (nor carried).
 *
 *  - An activity addresses gaps of the gap analysis (activity_gap: an
 *    assessment whose status in effect is partly or not met), many of them
 *    if need be; a gap shows the activities that address it on its page
 *    (R-7-06, R-4-20).  "Åtgärda" on a gap makes the activity in one step,
 *    filled in from the measure and the gap (title, goal, priority from the
 *    gap's severity, the system's owner as responsible) and linked to it.
 *
 *  - Closing a plan may carry its unfinished activities to the next
 *    period's plan (not yet decided): each becomes a new activity there
 *    naming the one it came from (carried_from), with its gaps, and the old
 *    one is marked carried - so both plans keep their history.
 */
#ifndef VARN_ACTIONS_H
#define VARN_ACTIONS_H

#include "base/base.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/roles.h"

struct buf;
struct ctx;
struct db_error;
struct req;
struct html;
struct record;

extern const struct module actions_module;  /* module.c */
extern struct entity ap_plans;               /* actions.c */
extern struct entity ap_activities;
extern struct entity ap_activity_gaps;
extern struct entity ap_dependencies;
extern struct entity ap_deviations;

/* Who draws up plans and keeps the register: the coordinator and the
 * administrator.  Who decides: management, the chief executive, or the
 * keepers recording management's decision. */
#define ROLES_PLAN_WRITE ROLES_REGISTER_ADMIN
#define ROLES_PLAN_DECIDE \
	(RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF) | ROLES_REGISTER_ADMIN)
/* Who may be responsible for and work on activities (their own). */
#define ROLES_ACTIVITY_WRITE ROLES_STAFF

enum plan_field {
	PF_TITLE = 0, PF_START, PF_END, PF_DESCRIPTION, PF_STATE,
	PF_DECIDED_BY, PF_DECIDED_ON, PF_DECISION, PF_MINUTES, PF_DECIDED_VERSION,
	PF_CARRIED_TO,
	PF__COUNT
};

enum activity_field {
	AC_PLAN = 0, AC_TITLE, AC_KIND, AC_PRIORITY, AC_GOAL, AC_DESCRIPTION,
	AC_COST, AC_RESOURCES, AC_RESPONSIBLE, AC_START, AC_END, AC_STATUS,
	AC_CANCEL_REASON, AC_DONE_ON, AC_CARRIED_FROM,
	AC__COUNT
};

enum activity_gap_field { AG_ACTIVITY = 0, AG_ASSESSMENT, AG_NOTE, AG__COUNT };
enum dependency_field { AD_ACTIVITY = 0, AD_DEPENDS_ON, AD_NOTE, AD__COUNT };
enum deviation_field {
	DV_PLAN = 0, DV_ACTIVITY, DV_WHAT, DV_BEFORE, DV_AFTER, DV_ON, DV_PERSON, DV_ACTOR,
	DV__COUNT
};

/* States and statuses, as stored. */
#define PLAN_DRAFT "draft"
#define PLAN_SUBMITTED "submitted"
#define PLAN_DECIDED "decided"
#define PLAN_CLOSED "closed"
#define ACT_PLANNED "planned"
#define ACT_ONGOING "ongoing"
#define ACT_DONE "done"
#define ACT_CANCELLED "cancelled"
#define ACT_CARRIED "carried"

/* The SQL condition of an open activity (alias a), overdue when its end
 * is before $3 (today): the start page, the lists behind it and the
 * reminder say the same. */
#define ACT_OPEN_SQL "a.status IN ('planned', 'ongoing')"

/* An activity's priority from a gap's severity (1 highest). */
int activity_priority_for(const char *severity);

/* Makes an activity from the gap (assessment) in plan_id, or links the gap
 * to activity_id when that is not 0; in the caller's transaction, through
 * the engine.  The new activity's id (or activity_id), 0 with err (a gap
 * that is no gap, of another organisation, or refused). */
int64_t activity_from_gap(struct ctx *cx, int64_t assessment_id, int64_t plan_id,
			  int64_t activity_id, struct db_error *err);
/* The newest plan that is not closed (draft first), or 0. */
int64_t plan_open_default(struct ctx *cx, struct db_error *err);

/* The newest decided plan, or 0; -1 with err (reviews.c). */
int64_t plan_decided_current(struct ctx *cx, struct db_error *err);

/* Pages (follow_up.c, from_gaps.c) */
void plan_show_summary(struct req *q, const struct entity *e, const struct record *rec,
		       struct html *h);
void plan_show_extra(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h);
void activity_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h);
void actions_assessment_panel(struct req *q, const struct entity *e, const struct record *rec,
			      struct html *h);

/* The plan's progress: activities (live, not carried away), done,
 * cancelled, overdue on today; one grouped query over the plan's own rows
 * (an index on plan and status). */
struct plan_progress {
	int64_t total, done, ongoing, planned, cancelled, carried, overdue;
};
int plan_progress(struct ctx *cx, int64_t plan_id, struct plan_progress *p,
		  struct db_error *err);

/* A plan's activities, ranked (priority, end, id), at most limit: id,
 * title, priority, kind, responsible_id, start_on, end_on, status,
 * carried_from.  And the timeline (Gantt) of those rows over the period,
 * with its text alternative, for the page and the PDF (follow_up.c). */
struct db_rows;
struct chart;
int plan_rows(struct ctx *cx, int64_t plan_id, int limit, struct db_rows *r,
	      struct db_error *err);
struct chart *plan_timeline(struct ctx *cx, const char *period_start, const char *period_end,
			    const struct db_rows *r);

/* The overdue reminder (reminders.c) */
int activity_overdue_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			 struct db_error *err);
extern const struct document actions_documents[]; /* documents.c */
int actions_demo(struct ctx *cx, struct buf *summary, struct db_error *err); /* demo.c */
struct demo_scale; /* core/scale.h: the plan at scale (demo_scale.c) */
int actions_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
		       struct db_error *err);

#endif
