/* obligation_drafts.c - authority-ready drafts of an incident's reports
 * (core/module.h struct document, ?id= the incident, for the security
 * function): its facts in the order of the receiver's form, to copy,
 * print or save as PDF.  A fact the incident does not hold reads "Att
 * fylla i": nothing is invented.
 *
 *   "imy-breach-draft"  IMY's form for a personal-data breach (GDPR art.
 *                       33.3): controller, contact, what happened, when it
 *                       happened and was discovered, data subjects and
 *                       records, consequences, measures, whether the data
 *                       subjects are told, the reason for a delay;
 *   "nis2-draft"        the NIS2 early warning, notification and final
 *                       report (cybersäkerhetslagen; NIS2 art. 23.4).
 *
 * Bounded: one incident and its obligations (at most DRAFT_ROWS). */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/obligations.h"

#define DRAFT_ROWS 20

static const char sql_obligation[] =
	"SELECT status, due_at, discharged_at, delay_reason, receiver_ref FROM incident_obligation"
	" WHERE incident_id = $1 AND receiver = $2 AND kind = $3 AND archived = 0"
	" AND status <> 'waived' ORDER BY id DESC LIMIT 1";

struct draft {
	struct ctx *cx;
	struct doc *d;
	struct record inc;
	const char *todo;
};

/* The value, or "Att fylla i" */
static const char *or_todo(struct draft *w, const char *v)
{
	return v && *v ? v : w->todo;
}

static const char *field(struct draft *w, int i)
{
	if (!w->inc.v[i])
		return w->todo;
	return or_todo(w, entity_display(w->cx, &in_incidents, &w->inc, i));
}

static const char *moment_local(struct draft *w, const char *iso)
{
	int64_t t;

	if (!iso || clock_parse_moment(iso, &t) != 0)
		return w->todo;
	return clock_format_local(w->cx->a, t);
}

static void def(struct draft *w, struct doc_block *dl, int term, const char *v)
{
	doc_def(w->d, dl, msg_text(w->cx->lang, term), v);
}

static int open_incident(struct ctx *cx, const struct doc_params *p, struct doc *d,
			 struct draft *w, struct db_error *err)
{
	memset(w, 0, sizeof(*w));
	w->cx = cx;
	w->d = d;
	w->todo = msg_text(cx->lang, M_IO_TODO);
	if (entity_get(cx, &in_incidents, p->id, &w->inc, err) != 0)
		return -1;
	d->subtitle = arena_printf(cx->a, "%s %s", w->inc.v[IN_RECEIPT], w->inc.v[IN_TITLE]);
	d->subject = d->subtitle;
	d->marking = msg_text(cx->lang, M_IO_DOC_MARKING);
	return 0;
}

/* One obligation of the incident (receiver, kind): status, due_at,
 * discharged_at, delay_reason, receiver_ref; r.nrows 0 when none. */
static int obligation_of(struct draft *w, const char *receiver, const char *kind,
			 struct db_rows *r, struct db_error *err)
{
	return db_exec(w->cx->db, w->cx->a, sql_obligation,
		       DB_ARGS(DB_INT(w->inc.id), DB_TEXT(receiver), DB_TEXT(kind)), r, err);
}

int incident_draft_imy(struct ctx *cx, const struct doc_params *p, struct doc *d,
		     struct db_error *err)
{
	int lang = cx->lang;
	struct draft w;
	struct db_rows imy, subjects;
	struct doc_block *dl;
	const char *told, *delay;

	if (open_incident(cx, p, d, &w, err) != 0 ||
	    obligation_of(&w, "imy", "notification", &imy, err) != 0 ||
	    obligation_of(&w, "data_subjects", "communication", &subjects, err) != 0)
		return -1;
	doc_para(d, msg_text(lang, M_IO_DOC_IMY_INTRO));
	if (imy.nrows)
		doc_note(d, msg_fill(cx->a, msg_text(lang, M_IO_DOC_DUE), "{due}",
				     moment_local(&w, db_cell(&imy, 0, 1))));

	doc_heading(d, 1, msg_text(lang, M_IO_DOC_CONTROLLER));
	dl = doc_deflist(d);
	def(&w, dl, M_IO_DOC_CONTROLLER_NAME, cx->org->name);
	def(&w, dl, M_IO_DOC_ORG_NUMBER, w.todo);
	def(&w, dl, M_IO_DOC_CONTACT, field(&w, IN_HANDLER));

	doc_heading(d, 1, msg_text(lang, M_IO_DOC_WHAT));
	dl = doc_deflist(d);
	def(&w, dl, M_IN_F_CATEGORY, field(&w, IN_CATEGORY));
	def(&w, dl, M_IN_F_DESCRIPTION, field(&w, IN_DESCRIPTION));
	def(&w, dl, M_IO_DOC_OCCURRED, moment_local(&w, w.inc.v[IN_OCCURRED]));
	def(&w, dl, M_IO_DOC_DISCOVERED, moment_local(&w, w.inc.v[IN_AWARE]));
	def(&w, dl, M_IN_F_RECEIPT, w.inc.v[IN_RECEIPT]);

	doc_heading(d, 1, msg_text(lang, M_IO_DOC_SUBJECTS));
	dl = doc_deflist(d);
	def(&w, dl, M_IO_DOC_SUBJECT_KINDS, w.todo);
	def(&w, dl, M_IO_DOC_SUBJECT_COUNT, w.todo);
	def(&w, dl, M_IO_DOC_DATA_KINDS, field(&w, IN_INFORMATION));
	def(&w, dl, M_IO_DOC_RECORD_COUNT, w.todo);

	doc_heading(d, 1, msg_text(lang, M_IO_DOC_CONSEQUENCES));
	dl = doc_deflist(d);
	def(&w, dl, M_IN_F_SEVERITY, field(&w, IN_SEVERITY));
	def(&w, dl, M_IO_DOC_LIKELY, or_todo(&w, w.inc.v[IN_SEVERITY_WHY]));
	def(&w, dl, M_IN_F_DUTY_REASONING, field(&w, IN_DUTY_REASONING));

	doc_heading(d, 1, msg_text(lang, M_IO_DOC_MEASURES));
	dl = doc_deflist(d);
	def(&w, dl, M_IN_F_REMEDIATION, field(&w, IN_REMEDIATION));
	def(&w, dl, M_IO_DOC_PLANNED, w.todo);

	doc_heading(d, 1, msg_text(lang, M_IO_DOC_INFORMED));
	if (!subjects.nrows)
		told = msg_text(lang, M_IO_DOC_NOT_TOLD_NO_RISK);
	else if (strcmp(db_cell(&subjects, 0, 0), OBL_DISCHARGED) == 0)
		told = msg_fill(cx->a, msg_text(lang, M_IO_DOC_TOLD), "{when}",
				moment_local(&w, db_cell(&subjects, 0, 2)));
	else
		told = msg_text(lang, M_IO_DOC_NOT_YET_TOLD);
	doc_para(d, told);

	doc_heading(d, 1, msg_text(lang, M_IO_DOC_DELAY));
	if (imy.nrows && db_cell(&imy, 0, 3))
		delay = db_cell(&imy, 0, 3);
	else if (imy.nrows && db_cell(&imy, 0, 1) &&
		 strcmp(db_cell(&imy, 0, 0), OBL_PENDING) == 0 &&
		 strcmp(clock_format_iso(cx->a, cx->now), db_cell(&imy, 0, 1)) > 0)
		delay = w.todo;
	else
		delay = msg_text(lang, M_IO_DOC_NO_DELAY);
	doc_para(d, delay);
	return 0;
}

int incident_draft_nis2(struct ctx *cx, const struct doc_params *p, struct doc *d,
		      struct db_error *err)
{
	int lang = cx->lang;
	struct draft w;
	struct db_rows note;
	struct doc_block *dl;
	const char *malicious, *cross;

	if (open_incident(cx, p, d, &w, err) != 0 ||
	    obligation_of(&w, "csirt", "notification", &note, err) != 0)
		return -1;
	malicious = w.inc.v[IN_ROOT_GROUP] ?
		msg_text(lang, strcmp(w.inc.v[IN_ROOT_GROUP], "malicious") == 0 ? M_YES : M_NO) :
		w.todo;
	cross = w.inc.v[IN_SPREAD] && strcmp(w.inc.v[IN_SPREAD], "external") == 0 ?
		msg_text(lang, M_IO_DOC_MAYBE_CROSS) : w.todo;
	doc_para(d, msg_text(lang, M_IO_DOC_NIS2_INTRO));

	doc_heading(d, 1, msg_text(lang, M_IO_KIND_EARLY_WARNING));
	dl = doc_deflist(d);
	def(&w, dl, M_IO_DOC_ENTITY, cx->org->name);
	def(&w, dl, M_IO_DOC_CONTACT, field(&w, IN_HANDLER));
	def(&w, dl, M_IN_F_CATEGORY, field(&w, IN_CATEGORY));
	def(&w, dl, M_IO_DOC_DISCOVERED, moment_local(&w, w.inc.v[IN_AWARE]));
	def(&w, dl, M_IO_DOC_MALICIOUS, malicious);
	def(&w, dl, M_IO_DOC_CROSS_BORDER, cross);

	doc_heading(d, 1, msg_text(lang, M_IO_KIND_NOTIFICATION));
	dl = doc_deflist(d);
	def(&w, dl, M_IO_DOC_INITIAL, field(&w, IN_DESCRIPTION));
	def(&w, dl, M_IN_F_SEVERITY, field(&w, IN_SEVERITY));
	def(&w, dl, M_IO_DOC_IMPACT, or_todo(&w, w.inc.v[IN_SEVERITY_WHY]));
	def(&w, dl, M_IO_DOC_IOC, w.todo);

	doc_heading(d, 1, msg_text(lang, M_IO_KIND_FINAL_REPORT));
	if (note.nrows && db_cell(&note, 0, 2))
		doc_note(d, msg_fill(cx->a, msg_text(lang, M_IO_DOC_NOTIFIED), "{when}",
				     moment_local(&w, db_cell(&note, 0, 2))));
	dl = doc_deflist(d);
	def(&w, dl, M_IO_DOC_DETAILED, field(&w, IN_DESCRIPTION));
	def(&w, dl, M_IO_DOC_ROOT, w.inc.v[IN_ROOT_CAUSE] ?
	    arena_printf(cx->a, "%s: %s", field(&w, IN_ROOT_GROUP), w.inc.v[IN_ROOT_CAUSE]) :
	    w.todo);
	def(&w, dl, M_IO_DOC_MITIGATION, field(&w, IN_REMEDIATION));
	def(&w, dl, M_IO_DOC_CROSS_BORDER, cross);
	return 0;
}

