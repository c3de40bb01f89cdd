/* secplans.h - the system security plan (systemsäkerhetsplan, issue 10;
 * seed 004 §3 Systemägare, §4, §6, §8; R-5-01..R-5-14, R-5-24..R-5-26).
 *
 * The rules:
 *
 *  - A system has at most one plan, in versions 1, 2, ...  Each version is
 *    a row of security_plan (the register "security-plans"); the newest
 *    has latest = 1.  An older version stays readable and is never
 *    rewritten.
 *
 *  - A version is a draft until it is signed ("sign", an engine
 *    transition): by the system's owner, or by the coordinator (or the
 *    administrator) recording the owner's sign-off on their behalf - the
 *    plan keeps the owner as signer, who recorded it and the date.  A
 *    signed version is frozen: its validate refuses any change of its
 *    content.  Changing a signed plan starts a new draft version with the
 *    content copied ("revise"); the signed one stays valid until the new
 *    one is signed.
 *
 *  - What Värn knows is filled in: the system register (owner, unit,
 *    supplier, hosting, personal data), the information sets the system
 *    handles with their levels and laws, the system's levels and the gap
 *    analysis's progress and open gaps (measures.h).  A draft shows them
 *    as they are now; signing keeps them (facts_json) as they were.  The
 *    owner writes the rest (threats, access profiles, logging, outage and
 *    restore times, backup, organisation) in the plan's form.
 *
 *  - Signing sets the review date (a year later unless the signer sets
 *    another); "reviewed" sets the next one without a new version.  When
 *    the system's levels or unit change (the systems module's
 *    "system-changed" event) after signing, or a new draft version is
 *    started, the signed version is marked needs_new_version with the
 *    reason.
 */
#ifndef VARN_SECPLANS_H
#define VARN_SECPLANS_H

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

extern const struct module secplans_module; /* module.c */
extern struct entity sp_plans;              /* secplans.c */

/* Who records a sign-off on the owner's behalf: the register's keepers. */
#define ROLES_SECPLAN_KEEPER ROLES_REGISTER_ADMIN

#define SECPLAN_DRAFT "draft"
#define SECPLAN_SIGNED "signed"
/* A review is due "soon" within this many days (the start page's $6). */
#define SECPLAN_DUE_DAYS 30
/* The overview's numbers count at most this many rows each. */
#define SECPLAN_COUNT_MAX 1000

enum secplan_field {
	SP_SYSTEM = 0, SP_TITLE, SP_PLAN_VERSION, SP_STATE, SP_LATEST,
	SP_NEEDS_NEW, SP_NEW_REASON, SP_SIGNED_BY, SP_SIGNED_ON, SP_RECORDED_BY,
	SP_REVIEW_ON, SP_PREVIOUS,
	/* the content, in the order of seed 004 §3 */
	SP_INFORMATION, SP_LAWS, SP_CIA, SP_EXTRA, SP_THREATS, SP_ACCESS_PROFILES,
	SP_ACCESS_DECIDED_BY, SP_LOG_SCOPE, SP_LOG_WHO, SP_LOG_OFTEN, SP_LOG_RETENTION,
	SP_MAX_OUTAGE, SP_MAX_LOSS, SP_RESTORE_TIME, SP_BACKUP, SP_CONTINUITY,
	SP_ORGANISATION,
	SP_BASIS, SP_FACTS,
	SP__COUNT
};
#define SP_CONTENT_FIRST SP_INFORMATION
#define SP_CONTENT_LAST SP_ORGANISATION

/* A system's plan as other modules see it (the operational approval ties
 * its decision to a version, R-6-04). */
struct secplan_state {
	int64_t id;          /* the newest version's record, 0 when none */
	int version;         /* its number (1, 2, ...) */
	char state[12];      /* "draft", "signed", or "" when the system has no plan */
	char signed_on[11];  /* YYYY-MM-DD or "" */
	char review_on[11];  /* YYYY-MM-DD or "" */
	int64_t signed_by;   /* the person who signed (the owner), or 0 */
	int needs_new_version;
	/* the newest signed version (the valid plan while a new draft is
	 * written), 0 when none */
	int64_t signed_id;
	int signed_version;
};
/* The newest version of the system's plan; 0 ok (state "" when there is
 * none), -1 with err.  One indexed read. */
int secplan_current(struct ctx *cx, int64_t system_id, struct secplan_state *out,
		    struct db_error *err);

/* The coordinator's overview: the newest versions by state, review
 * overdue (review_on < today), due within SECPLAN_DUE_DAYS, needing a
 * new version, and the systems in operation (business-critical or
 * classified) without any plan.  Each counts at most SECPLAN_COUNT_MAX
 * (more: the *_more flag), from an index.  The lists behind them:
 * /o/{org}/security-plans/lists?show=signed|draft|overdue|due|new-version|missing. */
struct secplan_counts {
	int64_t signed_n, draft, overdue_review, due_review, needs_new_version, missing;
	int more; /* bit per field, in that order, when there are more */
};
int secplan_overview(struct ctx *cx, struct secplan_counts *c, struct db_error *err);

/* Starts a new draft version of a signed plan (the content copied), in
 * one transaction; the new version's id, or 0 with err (DBE_CHECK: not
 * the newest version or not signed; DBE_DENIED). */
int64_t secplan_revise(struct ctx *cx, int64_t plan_id, struct db_error *err);
/* Makes version 1 of the system's plan, filled in from what Värn knows;
 * its id, or 0 with err (DBE_CHECK when the system has a plan). */
int64_t secplan_start(struct ctx *cx, int64_t system_id, struct db_error *err);

/* The listener of "system-changed" (secplans.c). */
int secplan_system_changed(struct ctx *cx, int64_t system_id, struct db_error *err);

/* Pages (pages.c) */
void secplan_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			  struct html *h);
void secplan_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h);
void secplan_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			  struct html *h);

/* What Värn knows about the system (facts.c): filled now for a draft, read
 * back from facts_json for a signed version. */
struct secplan_infoset {
	const char *name, *levels, *laws;
};
struct secplan_facts {
	const char *system, *unit, *owner, *supplier, *hosting, *personal_data,
		*lifecycle, *levels, *business_critical;
	int level[4]; /* -1: none */
	struct secplan_infoset *info;
	size_t ninfo;
	int64_t required, assessed, met, gaps, supplier_gaps;
	const char **open_gaps; /* "code title (status)", at most SECPLAN_GAPS */
	size_t nopen;
	const char *as_of;      /* the date they were read */
};
#define SECPLAN_GAPS 30
int secplan_facts_now(struct ctx *cx, int64_t system_id, struct secplan_facts *f,
		      struct db_error *err);
const char *secplan_facts_json(struct ctx *cx, const struct secplan_facts *f);
int secplan_facts_parse(struct ctx *cx, const char *json, struct secplan_facts *f);
/* The facts of a plan version: its snapshot when signed, else now. */
int secplan_facts_of(struct ctx *cx, const struct record *plan, struct secplan_facts *f,
		     struct db_error *err);
/* "34 av 60 bedömda, 20 uppfyllda, 9 brister" in cx's language */
const char *secplan_progress_text(struct ctx *cx, const struct secplan_facts *f);
/* The basis the listener compares: levels and unit, as text. */
int secplan_basis_now(struct ctx *cx, int64_t system_id, const char **basis,
		      struct db_error *err);

/* The daily review reminder (reminders.c), the document (documents.c),
 * the demo (demo.c). */
int secplan_review_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		       struct db_error *err);
extern const struct document secplans_documents[];
int secplans_demo(struct ctx *cx, struct buf *summary, struct db_error *err);

#endif
