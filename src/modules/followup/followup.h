/* followup.h - follow-up (issue 12; seed 001 §8, 004 §3 and §8;
 * R-15-01..07, R-15-14..19).
 *
 * The rules:
 *
 *  - Everything that must be kept current has a review day, declared by
 *    its module as a struct review_source (core/module.h).  This module
 *    reads them all, through modules[] and never by a table's name: the
 *    follow-up calendar (a month, grouped by week and day), the one list
 *    of everything overdue (due before today, R-15-19), both for everyone
 *    or one person (the owner), and a source only for those who may read
 *    its register.  Each source's query is LIMITed and answered by an
 *    index; the rows are merged by day in C, so a page costs one query
 *    per source whatever the size of the registers.
 *
 *  - A follow-up (uppföljning, revision, loggranskning, omvärldsbevakning,
 *    a system owner's follow-up of a system) is planned with a subject,
 *    a responsible person and a day (R-15-01), then ongoing, then done
 *    with a conclusion.  What it checked is recorded on it: the adopted
 *    guidelines followed (R-15-02), the decided actions done (R-15-03: the
 *    action plan's numbers at the moment it is done are kept in the
 *    record), the annual goals met (R-15-04), the plans and documents
 *    that need revision (R-15-05).  One that recurs (every N months)
 *    plans the next one when it is done (next_id).
 *
 *  - A finding of a follow-up is an observation or a deviation, with a
 *    severity; a deviation becomes an activity of the open action plan in
 *    one step (the transition "to-action", R-15-07), linked both ways.
 *
 *  - An annual goal is proposed (perhaps from the IT needs the system
 *    owners submitted, R-15-14/15), decided by management (who, when, the
 *    minutes: R-15-16), and at the year's follow-up met, partly met or
 *    not met with a comment (R-15-04); activities of the action plan are
 *    linked to it.
 *
 *  - The daily job "follow-up-reminders" mails the responsible person of a
 *    follow-up or goal due within REMIND_DAYS days, and again when it is
 *    overdue: once per record, day and stage (the outbox's dedup key).
 */
#ifndef VARN_FOLLOWUP_H
#define VARN_FOLLOWUP_H

#include "base/base.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/roles.h"

struct buf;
struct ctx;
struct db_error;

extern const struct module followup_module;  /* module.c */
extern struct entity fu_followups;            /* followup.c */
extern struct entity fu_findings;
extern struct entity fu_goals;
extern struct entity fu_goal_activities;
extern struct entity fu_needs;

/* Who keeps the registers: the coordinator and the administrator; who
 * decides goals: management, the chief executive, or the keepers
 * recording their decision. */
#define ROLES_FU_KEEP ROLES_REGISTER_ADMIN
#define ROLES_FU_DECIDE \
	(RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF) | ROLES_REGISTER_ADMIN)

enum followup_field {
	FU_TITLE = 0, FU_KIND, FU_SYSTEM, FU_SCOPE, FU_RESPONSIBLE, FU_PLANNED, FU_RECURRENCE,
	FU_STATE, FU_GUIDELINES, FU_GUIDELINES_NOTE, FU_ACTIONS_TOTAL, FU_ACTIONS_DONE,
	FU_ACTIONS_OVERDUE, FU_ACTIONS_NOTE, FU_GOALS, FU_GOALS_NOTE, FU_REVISION,
	FU_CONCLUSION, FU_DONE_ON, FU_NEXT,
	FU__COUNT
};
enum finding_field {
	FN_FOLLOWUP = 0, FN_TITLE, FN_DESCRIPTION, FN_KIND, FN_SEVERITY, FN_STATE, FN_ACTIVITY,
	FN__COUNT
};
enum goal_field {
	GO_YEAR = 0, GO_TITLE, GO_DESCRIPTION, GO_RESPONSIBLE, GO_FOLLOW_UP_ON, GO_STATE,
	GO_DECIDED_BY, GO_DECIDED_ON, GO_MINUTES, GO_OUTCOME, GO_FOLLOWED_UP_ON,
	GO__COUNT
};
enum goal_activity_field { GA_GOAL = 0, GA_ACTIVITY, GA_NOTE, GA__COUNT };
enum need_field {
	ND_YEAR = 0, ND_TITLE, ND_AREA, ND_SYSTEM, ND_OWNER, ND_GOALS, ND_REQUIREMENTS, ND_GOAL,
	ND_STATE,
	ND__COUNT
};

#define FU_PLANNED_S "planned"
#define FU_ONGOING_S "ongoing"
#define FU_DONE_S "done"

/* Reminders: due within this many days, and when overdue. */
#define REMIND_DAYS 14

/* ---- the review sources, read together (calendar.c) ---- */

/* One row of a source. */
struct review_item {
	const struct review_source *src;
	int64_t id;
	const char *title;
	const char *due;     /* YYYY-MM-DD */
	int64_t owner;       /* a person, or 0 */
};

/* Whether the actor may see src's rows (its register's read roles, or
 * its roles held anywhere in the organisation). */
int review_source_visible(struct ctx *cx, const struct review_source *src);

/* The rows due in [from, to) of every source the actor may see, person's
 * only when person is not 0: each source LIMIT limit + 1, merged by (due,
 * source, id), at most limit in *out (cx->a); *more is set when a source
 * had more than fitted.  only: a module's name, or NULL for every
 * module.  One query per visible source.  0, or -1 with err. */
int review_collect(struct ctx *cx, const char *from, const char *to, int64_t person,
		   const char *only, int limit, struct review_item **out, size_t *n, int *more,
		   struct db_error *err);

/* The number of rows of src due in [from, to), at most OVERVIEW_COUNT_MAX
 * (f->more past it): one bounded count. */
int review_count(struct ctx *cx, const struct review_source *src, const char *from,
		 const char *to, int64_t person, struct overview_figure *f,
		 struct db_error *err);

/* The first day of a time far before any review: "due before today". */
#define REVIEW_DAWN "0001-01-01"

/* Module parts */
int followup_reminders_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			   struct db_error *err);              /* reminders.c */
int followup_demo(struct ctx *cx, struct buf *summary, struct db_error *err); /* demo.c */
extern const struct report_section followup_report[];       /* report.c */
extern const struct follow_up_section followup_overview[];  /* report.c */
struct req;
struct html;
struct record;
void followup_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h);                       /* pages.c */
void goal_show_extra(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h);
void followup_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			   struct html *h);

#endif
