/* report.h - what the report forms share (report.c): the employee's form,
 * the intake link's (intake.c) and the security function's registration
 * on someone's behalf; and the reporter's view of a report (my_reports.c),
 * the same for an account and a status link. */
#ifndef VARN_INCIDENTS_REPORT_H
#define VARN_INCIDENTS_REPORT_H

#include "base/base.h"

struct ctx;
struct db_error;
struct db_rows;
struct field_errors;
struct html;
struct req;

/* What a report says, as posted (NULL: not given).  The names are the
 * incident's fields' (category, title, description, occurred_at,
 * location, information_text, personal_data, system_id, channel,
 * reporter_name, reporter_contact, aware_at). */
struct report_input {
	const char *category, *title, *description, *occurred, *location, *which;
	const char *personal, *system_id;
	const char *channel, *reporter_name, *reporter_contact, *aware;
};

/* The form's kinds: what it asks besides the report itself. */
enum report_kind {
	REPORT_EMPLOYEE = 0, /* signed in: their own systems offered */
	REPORT_INTAKE,       /* no account: name and contact, optional */
	REPORT_REGISTER,     /* the desk, on someone's behalf: channel, reporter, awareness */
};

void report_read(struct req *q, struct report_input *in);
/* The form's fields (not the <form> itself), with the errors of errs
 * (field indexes of in_incidents) beside them.  systems: the reporter's
 * own systems ("id", "name" rows) for REPORT_EMPLOYEE, or NULL. */
void report_fields(struct req *q, struct html *h, enum report_kind kind,
		   const struct report_input *in, const struct field_errors *errs,
		   const struct db_rows *systems);
/* The error summary at the top of a form that came back. */
void report_errors(struct html *h, const struct field_errors *errs);

/* Makes the incident through the engine, with the security function's
 * roles added to cx (a reporter may not otherwise create one; the audit
 * trail and the timeline keep cx's actor), from channel, reporter
 * (person id or 0) and registered_by (person id or 0).  A heading is
 * composed from the category and the first words when none is given.
 * Returns the id; 0 with errs (the form comes back); -1 with err. */
int64_t report_create(struct ctx *cx, const struct report_input *in, const char *channel,
		      int64_t reporter, int64_t registered_by, struct field_errors *errs,
		      struct db_error *err);

/* The systems a person is responsible for (owner, manager,
 * administrator), at most REPORT_SYSTEMS_MAX, by name; -1 with err. */
#define REPORT_SYSTEMS_MAX 50
int report_my_systems(struct ctx *cx, int64_t person, struct db_rows *out, struct db_error *err);

/* "What to do now" for the category, in a card. */
void report_advice(struct html *h, const char *category);

/* The reporter's view (my_reports.c): the report's columns to select (alias
 * i), then report_view() of that row: what was reported, where it stands
 * in plain words, the not-incident reason, and the timeline entries the
 * reporter may read (internal = 0) - never the assessment or the notes. */
#define REPORT_VIEW_COLS "i.id, i.receipt, i.title, i.category, i.state, i.reported_at," \
	" i.not_incident_reason, i.location, i.org_id"
void report_view(struct req *q, struct html *h, const struct db_rows *r);

/* The intake link's rate limits (intake.c), for tests. */
void intake_rate_reset(void);

#endif
