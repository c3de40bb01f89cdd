/* approvals.h - the operational approval (driftgodkännande) of a system
 * (issue 10; seed 004 §7, §8).
 *
 * The rules:
 *
 *  - An approval is one system's: what is approved (the scope: the system,
 *    its version or release, the environments, the integrations), the
 *    review of its measures (the gap analysis: how far it has come, the
 *    open gaps with their severity), the evaluation against its security
 *    plan, and a proposal.  The coordinator or the administrator (the
 *    register's keepers, IT security) prepare it as a draft and propose
 *    it; proposing takes the snapshot of the measures and of the security
 *    plan that the decision is made on, kept with it for good.
 *
 *  - The system's owner decides (the keepers may record the owner's
 *    decision on their behalf; the owner is then who decided and the
 *    keeper who recorded it): approved, approved with conditions, or not
 *    approved.  Approved with conditions needs at least one condition (a
 *    complementary measure with a deadline); the decision makes each one
 *    an activity of the open action plan, due on the deadline, followed up
 *    there.  An approval is valid until a date (by default three years
 *    after the decision; the decision may set another).  A decided
 *    approval is frozen; a later decision for the system supersedes it,
 *    and it stays readable.  Nobody else prepares, proposes or decides.
 *
 *  - A decided approval is marked for review ("omprövning", with why) when
 *    the system's classification rises above what it was at the decision
 *    (the systems module's SYSTEM_CHANGED event), when a condition's
 *    activity is not done by its deadline or the approval's validity ends
 *    (the daily job), or when another module says so
 *    (approval_mark_for_review: an accepted major change).
 *
 *  - A live system in operation (it_system.lifecycle 'operation') without
 *    a valid approval (decided approved or approved with conditions, not
 *    expired) is "missing".  approval_system (one row per live system)
 *    and approval_stat (the organisation's counts) are kept by the
 *    triggers of migration 0015 in the writing transaction, so the
 *    overview and its lists read rows by key, never the register.
 */
#ifndef VARN_APPROVALS_H
#define VARN_APPROVALS_H

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

extern const struct module approvals_module;  /* module.c */
extern struct entity dg_approvals;             /* approvals.c */
extern struct entity dg_conditions;

/* Who prepares and proposes: the coordinator and the administrator. */
#define ROLES_APPROVAL_PREPARE ROLES_REGISTER_ADMIN

/* Years an approval is valid unless the decision says otherwise. */
#define APPROVAL_VALID_YEARS 3
/* Re-approval is "due" this many days before the validity ends. */
#define APPROVAL_DUE_DAYS 60

enum approval_field {
	DG_SYSTEM = 0, DG_OWNER, DG_TITLE, DG_STATE,
	DG_SCOPE_VERSION, DG_SCOPE_ENV, DG_SCOPE_INTEGRATIONS, DG_SCOPE_NOTES,
	DG_GAP_REQUIRED, DG_GAP_ASSESSED, DG_GAP_MET, DG_GAP_OPEN, DG_GAP_SERIOUS,
	DG_GAP_SNAPSHOT,
	DG_SP_ID, DG_SP_VERSION, DG_SP_STATE, DG_SP_SIGNED_ON, DG_SP_REVIEW_ON, DG_SP_EVALUATION,
	DG_PROPOSAL, DG_PROPOSAL_TEXT, DG_PROPOSED_BY, DG_PROPOSED_ON,
	DG_DECISION, DG_DECISION_TEXT, DG_DECIDED_BY, DG_DECIDED_ON, DG_DECIDED_LEVELS,
	DG_RECORDED_BY, DG_VALID_UNTIL, DG_VALIDITY,
	DG_REVIEW, DG_REVIEW_REASON, DG_REVIEW_SINCE, DG_SUPERSEDED_BY,
	DG__COUNT
};

enum condition_field {
	DC_APPROVAL = 0, DC_TITLE, DC_DESCRIPTION, DC_DEADLINE, DC_RESPONSIBLE, DC_ACTIVITY,
	DC_OVERDUE,
	DC__COUNT
};

/* States and decisions, as stored. */
#define DG_DRAFT "draft"
#define DG_PROPOSED "proposed"
#define DG_DECIDED "decided"
#define DG_SUPERSEDED "superseded"
#define DG_APPROVED "approved"
#define DG_CONDITIONS "conditions"
#define DG_REJECTED "rejected"

/* Marks the system's current decided approval for review, with why
 * (Swedish, shown to people; several reasons are kept one after another),
 * in the caller's transaction, audited ("review").  A system without a
 * decided approval has nothing to review: 0 and nothing written.  For the
 * change-management module's accepted major change, and this module's
 * own listener and job.  0, or -1 with err. */
int approval_mark_for_review(struct ctx *cx, int64_t system_id, const char *reason,
			     struct db_error *err);

/* The coordinator's overview: the organisation's counts, read from
 * approval_stat by key (a few rows, whatever the number of systems). */
struct approval_counts {
	int64_t approved;                 /* valid, approved */
	int64_t approved_with_conditions; /* valid, approved with conditions */
	int64_t rejected;                 /* the current decision is "not approved" */
	int64_t missing;                  /* in operation without a valid approval */
	int64_t for_review;               /* marked for review */
	int64_t due;                      /* valid, re-approval within 60 days */
	int64_t conditions_overdue;       /* conditions past their deadline undone */
	int64_t proposed;                 /* waiting for the owner's decision */
};
int approval_overview(struct ctx *cx, struct approval_counts *c, struct db_error *err);

/* The SYSTEM_CHANGED listener: a rise in the system's classification
 * since the decision marks the approval for review. */
int approval_system_changed(struct ctx *cx, int64_t system_id, struct db_error *err);

/* The measures' review of a system as it stands now (gap_system_stat and
 * the open gaps, at most a bounded number): for the draft's page and the
 * snapshot taken when it is proposed (review.c). */
struct approval_gaps {
	int64_t required, assessed, met, open, serious;
	const char *snapshot;   /* one line per open gap, most severe first */
};
int approval_gaps_now(struct ctx *cx, int64_t system_id, struct approval_gaps *g,
		      struct db_error *err);
/* The security plan's state for the snapshot (evaluation.c): fills the
 * DG_SP_* fields of rec from the system's current plan, or leaves them
 * empty when it has none. */
int approval_secplan_snapshot(struct ctx *cx, int64_t system_id, struct record *rec,
			      struct db_error *err);
/* How the plan stands, in Swedish, for the snapshot and the pages. */
struct secplan_state;
const char *approval_secplan_text(struct ctx *cx, const struct secplan_state *s);

/* The daily job (review.c): validity due and expired, conditions overdue
 * (the owner mailed once each). */
int approval_daily_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		       struct db_error *err);

/* One organisation's day of that job (cx->org), in the caller's
 * transaction, mailing through mc (NULL: no mail): for the demo and tests. */
struct mail_config;
int approval_review_org(struct ctx *cx, const struct mail_config *mc, struct db_error *err);

/* Pages (pages.c) */
void approval_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h);
void approvals_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			    struct html *h);
extern const struct document approvals_documents[]; /* documents.c */
int approvals_demo(struct ctx *cx, struct buf *summary, struct db_error *err); /* demo.c */

#endif
