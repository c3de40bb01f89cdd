/* incidents.h - incident handling, from a report by anyone to on-time
 * reports to the authorities (issue 11; seed 003, 000 ¶4-5, 004 §3-4;
 * part 8 of REQUIREMENTS.md).
 *
 * The rules:
 *
 *  - Anyone reports (R-8-01): an employee signed in, a person without an
 *    account through the organisation's intake link, or the security
 *    function on someone's behalf (channel phone or e-mail, registered_by).
 *    A report says what happened (category in plain Swedish, non-IT ones
 *    first; a description), when, where, which system or information if
 *    known, and whether personal data may be involved.  It gets a receipt
 *    number ("IN-2026-0042", per organisation and year) at once.
 *
 *  - aware_at is when the organisation became aware (the moment of the
 *    report unless the security function records an earlier one when it
 *    registers the report); it is written once and never changed: every
 *    legal deadline counts from it.  occurred_at (when it happened) and
 *    reported_at (when it was reported) are kept apart from it.
 *
 *  - States, by engine transitions: reported -> received -> assessed ->
 *    remediating -> restored -> investigated -> closed; "not_incident"
 *    (with the reason) from reported, received or assessed; a closed or
 *    not-incident one reopened (with the reason) to received.  Escalation
 *    to the crisis organisation (who, when, by whom) is a transition of its
 *    own that keeps the state (R-8-19).  Every step, note, re-assessment,
 *    hand-over and escalation is an entry of the timeline (incident_event),
 *    which is only ever appended to.
 *
 *  - The assessment: the consequence on the classification's levels (0-4),
 *    the aspects harmed (K, R, T: R-8-10), the spread and the urgency give
 *    the severity (1-4) with the reason in words; the affected systems and
 *    information sets bring their levels in (class_level, the highest level
 *    of a harmed aspect): an incident that harms an aspect classified 3 or
 *    more is at least severity 3.  The organisation names the severities
 *    in its own terms (R-8-11).  The category maps to the ENISA/TF-CSIRT
 *    reference taxonomy (taxonomy) and suggests a root-cause group (system
 *    failure, natural phenomenon, human error, malicious action, third-party
 *    failure) for the investigation.
 *
 *  - Confidential (read-scoped, grants): the security function (coordinator
 *    and administrator; for a unit, theirs) sees every incident; its
 *    handler, the data protection officers of a personal-data incident and
 *    the owners of the systems and information it affects see it through a
 *    grant (incident_grant, kept by incident_grants_refresh in every write
 *    that can change who they are); the handler works on it.  Reading one
 *    is audited.  A reporter sees only the status of their own reports.
 */
#ifndef VARN_INCIDENTS_H
#define VARN_INCIDENTS_H

#include "base/base.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/roles.h"

struct ctx;
struct db_error;
struct req;
struct html;
struct record;

extern const struct module incidents_module;  /* module.c */
extern struct entity in_incidents;             /* incidents.c */
extern struct entity in_incident_systems;
extern struct entity in_incident_infosets;

/* The security function: receives, assesses and reads every incident
 * (held for a unit: that unit's). */
#define ROLES_INCIDENT_DESK ROLES_REGISTER_ADMIN
/* Who opens the register at all (the records are granted one by one). */
#define ROLES_INCIDENT_GATE ROLES_ANY

enum incident_field {
	IN_RECEIPT = 0, IN_TITLE, IN_CATEGORY, IN_DESCRIPTION, IN_OCCURRED, IN_AWARE,
	IN_REPORTED, IN_LOCATION, IN_UNIT, IN_SYSTEM, IN_INFORMATION, IN_PERSONAL,
	IN_REPORTER, IN_REPORTER_NAME, IN_REPORTER_CONTACT, IN_CHANNEL, IN_REGISTERED_BY,
	IN_STATE, IN_HANDLER,
	IN_CONSEQUENCE, IN_HARM_C, IN_HARM_I, IN_HARM_A, IN_SPREAD, IN_URGENCY,
	IN_SEVERITY, IN_SEVERITY_WHY, IN_CLASS_LEVEL, IN_TAXONOMY,
	IN_DUTY_PERSONAL, IN_DUTY_HIGH_RISK, IN_DUTY_NIS2, IN_DUTY_SAPO, IN_DUTY_CARE,
	IN_DUTY_CRIME, IN_DUTY_REASONING,
	IN_REMEDIATION, IN_ROOT_GROUP, IN_ROOT_CAUSE, IN_LESSONS, IN_NOT_REASON,
	IN_RECEIVED_AT, IN_ASSESSED_AT, IN_RESTORED_AT, IN_CLOSED_AT,
	IN_ESCALATED, IN_ESCALATED_AT, IN_ESCALATED_BY, IN_ESCALATED_TO,
	IN__COUNT
};

enum incident_link_field { IL_INCIDENT = 0, IL_OTHER, IL_NOTE, IL__COUNT };

/* The self-assessment of the current way of working (process.c) */
enum self_assessment_field {
	SA_TITLE = 0, SA_ON, SA_AUTHOR, SA_EMPLOYEES, SA_HANDLING, SA_ROLES, SA_TERMS,
	SA_AWARENESS, SA_COOPERATION, SA_REMEDY, SA_PROBLEMS, SA_CRISIS, SA_FINDINGS, SA__COUNT
};
extern struct entity in_processes;          /* process.c */
extern struct entity in_self_assessments;
extern struct entity in_shares;

/* States, as stored. */
#define INC_REPORTED "reported"
#define INC_RECEIVED "received"
#define INC_ASSESSED "assessed"
#define INC_REMEDIATING "remediating"
#define INC_RESTORED "restored"
#define INC_INVESTIGATED "investigated"
#define INC_CLOSED "closed"
#define INC_NOT_INCIDENT "not_incident"
/* The SQL condition of an incident still being handled (alias i). */
#define INC_OPEN_SQL "i.state NOT IN ('closed', 'not_incident')"

/* The categories a reporter chooses from, non-IT ones first (R-8-04..09). */
struct incident_category {
	const char *code;        /* "lost_equipment" */
	int label;               /* message: how the reporter reads it */
	int advice;              /* message: what to do now (shown after the report) */
	const char *taxonomy;    /* ENISA/TF-CSIRT reference taxonomy class/type */
	const char *root_group;  /* the root-cause group it suggests, or NULL */
};
extern const struct incident_category incident_categories[]; /* code NULL ends */
const struct incident_category *incident_category(const char *code);
extern const struct choice incident_category_choices[];
extern const struct choice incident_state_choices[];
extern const struct choice incident_root_group_choices[];

/* The severity (1-4) from the assessment, with the reason in words in
 * cx->lang (into cx->a); 0 when the consequence is not assessed.
 * class_level: the highest level of a harmed aspect among the affected
 * systems and information sets (-1: none known). */
struct incident_assessment {
	int consequence;         /* 0-4, -1 not assessed */
	int harm_c, harm_i, harm_a;
	const char *spread;      /* one, unit, several_units, organisation, external */
	const char *urgency;     /* low, normal, high, immediate */
	int class_level;
};
int incident_severity(struct ctx *cx, const struct incident_assessment *in, const char **why);
/* The organisation's term for severity s (R-8-11), or Värn's. */
const char *incident_severity_term(struct ctx *cx, int s);

/* Appends an entry to the incident's timeline, in the caller's
 * transaction.  internal 0: the reporter may read it. */
int incident_event_add(struct ctx *cx, int64_t incident_id, const char *kind,
		       const char *from_state, const char *to_state, const char *body,
		       int internal, struct db_error *err);
/* Recomputes who is granted the incident (handler, data protection
 * officers, owners of affected systems and information), in the caller's
 * transaction. */
int incident_grants_refresh(struct ctx *cx, int64_t incident_id, struct db_error *err);
/* Tells whom a write concerns through the outbox (notify.c), in the
 * write's transaction: the security function of a new report, a new
 * handler, the reporter of a new state (R-8-21: a system's owner and
 * administrators of a report naming it). */
int incident_notify(struct ctx *cx, const struct record *rec, const struct record *old,
		    struct db_error *err);
/* The next receipt number of the organisation ("IN-2026-0042"). */
const char *incident_next_receipt(struct ctx *cx, struct db_error *err);

/* The activities of the action plan an incident's lessons or a
 * self-assessment's findings became (actions_link.c): listed on rec's
 * page, with the form that makes one when may_make. */
void incident_actions_section(struct req *q, const struct entity *e, const struct record *rec,
			      int may_make, struct html *h);

/* The module's documents (module.c lists them): the compilation for
 * management (documents_compilation.c) and the drafts of the reports to
 * IMY and to the CSIRT (obligation_drafts.c). */
struct doc;
struct doc_params;
int incident_compilation_build(struct ctx *cx, const struct doc_params *p, struct doc *d,
			       struct db_error *err);
int incident_draft_imy(struct ctx *cx, const struct doc_params *p, struct doc *d,
		       struct db_error *err);
int incident_draft_nis2(struct ctx *cx, const struct doc_params *p, struct doc *d,
			struct db_error *err);

/* Pages (pages.c) */
void incident_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			   struct html *h);
void incident_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h);
void incidents_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			    struct html *h);

#endif
