/* obligations.h - the reporting duties of an incident (issue 11, "the part
 * nobody else does"; R-8-16, R-8-17).
 *
 *  - The rules are versioned data (reporting_rules.json, embedded): each
 *    names the assessment answer that triggers it (duty_personal,
 *    duty_high_risk, duty_nis2, duty_sapo, duty_care, duty_crime), the
 *    receiver (imy, csirt, sapo, data_subjects, ivo, police), the kind of
 *    report, the deadline (deadline.h), what the report must contain and
 *    the source in law.  An organisation gets its own copy (reporting_rule)
 *    the first time it needs one; it may rename the receivers and change
 *    their contact, or turn a rule off, never the law's deadline.
 *
 *  - An incident's obligations follow its answers (incident_obligations_
 *    sync, called by the incident's after_write): an answer that becomes 1
 *    brings the rule's obligations (due_at from aware_at); one that goes
 *    back to 0 waives those still pending ("the assessment changed"); none
 *    is ever deleted.  A rule counted after another report (the NIS2 final
 *    report after the notification) gets its deadline when that report is
 *    discharged.
 *
 *  - An obligation is discharged only with when, how and the receiver's
 *    reference; one discharged after its due_at says why.  Each discharge
 *    is an entry of the incident's timeline.
 *
 *  - Warnings at 50, 75 and 90 % of the time (job "obligation-warnings"):
 *    one message per threshold to the handler and the security function,
 *    once, whatever restarts or processes (outbox dedup key and the
 *    warned bitmask, in the job's transaction). */
#ifndef VARN_INCIDENTS_OBLIGATIONS_H
#define VARN_INCIDENTS_OBLIGATIONS_H

#include "base/base.h"
#include "core/entity.h"
#include "core/module.h"

struct ctx;
struct db_error;
struct record;
struct buf;

extern struct entity in_reporting_rules;  /* obligations.c */
extern struct entity in_obligations;

enum obligation_field {
	OB_INCIDENT = 0, OB_RULE, OB_TITLE, OB_RECEIVER, OB_KIND, OB_STARTS, OB_DUE, OB_STATUS,
	OB_DISCHARGED, OB_HOW, OB_REF, OB_DELAY, OB_WAIVE, OB_WARNED, OB__COUNT
};

enum reporting_rule_field {
	RR_CODE = 0, RR_TITLE, RR_TRIGGER, RR_RECEIVER, RR_RECEIVER_NAME, RR_CONTACT, RR_KIND,
	RR_AMOUNT, RR_UNIT, RR_AFTER, RR_CONTENT, RR_SOURCE, RR_DRAFT, RR_VERSION, RR_ACTIVE,
	RR__COUNT
};

#define OBL_PENDING "pending"
#define OBL_DISCHARGED "discharged"
#define OBL_WAIVED "waived"

/* The embedded rules' version ("2026-1"). */
const char *reporting_rules_version(void);
/* Gives cx's organisation its copy of the rules when it has none, in the
 * caller's transaction.  0, or -1 with err. */
int reporting_rules_ensure(struct ctx *cx, struct db_error *err);
/* Brings the incident's obligations in line with its duty_* answers (rec
 * as stored, old as it was or NULL), in the write's transaction. */
int incident_obligations_sync(struct ctx *cx, const struct record *rec,
			      const struct record *old, struct db_error *err);

/* The warnings job (warnings.c). */
int obligation_warnings_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			    struct db_error *err);
/* The panel of countdowns on an incident's page (obligation_pages.c). */
struct req;
struct html;
/* The coordinator's overview: the reporting duties not yet met, past
 * their deadline, due within a day (bounded counts). */
struct overview_figure;
int obligation_figures(struct ctx *cx, struct overview_figure *out, int max,
		       struct db_error *err);
void obligations_incident_panel(struct req *q, const struct entity *e, const struct record *rec,
				struct html *h);

#endif
