/* documents.c - the decision on an operational approval with its basis
 * attached ("approval-decision", core/module.h struct document, ?id= the
 * approval): what is approved, the measures' review and the security
 * plan's state as they stood when it was proposed, the proposal, the
 * owner's decision with its conditions and deadlines (and how far their
 * activities have come), who decided, who recorded it and when, how long
 * it is valid, and why it is marked for review.
 *
 * Bounded by the approval: its own row, at most DOC_GAPS gap lines (the
 * snapshot holds no more) and DOC_CONDITIONS conditions in one query. */
#include "base/base.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/actions/actions.h"
#include "modules/approvals/approvals.h"
#include "modules/org/org.h"

#define DOC_CONDITIONS 100

static const char sql_doc_conditions[] =
	"SELECT c.title, c.deadline, coalesce(c.responsible_id, x.responsible_id), x.status,"
	" c.overdue, c.description"
	" FROM approval_condition c LEFT JOIN activity x ON x.id = c.activity_id"
	" WHERE c.org_id = $1 AND c.approval_id = $2 AND c.archived = 0"
	" ORDER BY c.deadline, c.id LIMIT $3";

static const char *label(struct ctx *cx, const struct entity *e, int field, const char *code)
{
	return code ? entity_choice_label(cx, &e->fields[field], code) : NULL;
}

static const char *msg(struct ctx *cx, int id)
{
	return msg_text(cx->lang, id);
}

static void def(struct ctx *cx, struct doc *d, struct doc_block *dl, int term, const char *v)
{
	if (v && *v)
		doc_def(d, dl, msg(cx, term), v);
}

/* The gap lines "CODE Title — status, severity" as a table. */
static void gaps_table(struct ctx *cx, struct doc *d, const char *snapshot)
{
	struct doc_table *t = doc_table(d, 2, NULL);
	const char *p = snapshot;

	doc_col(t, 0, msg(cx, M_DG_DOC_GAP), 3.2, DOC_LEFT);
	doc_col(t, 1, msg(cx, M_DG_DOC_GAP_STATUS), 1.8, DOC_LEFT);
	while (p && *p) {
		const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
		const char *dash = strstr(p, " \xe2\x80\x94 ");
		const char **row = doc_row(d, t);
		if (dash && dash < end) {
			row[0] = arena_strndup(cx->a, p, (size_t)(dash - p));
			row[1] = arena_strndup(cx->a, dash + 5, (size_t)(end - dash - 5));
		} else {
			row[0] = arena_strndup(cx->a, p, (size_t)(end - p));
		}
		p = nl ? nl + 1 : end;
	}
}

static int conditions_table(struct ctx *cx, struct doc *d, const struct db_rows *r,
			    struct db_error *err)
{
	struct doc_table *t = doc_table(d, 4, NULL);

	doc_col(t, 0, msg(cx, M_DG_F_COND_TITLE), 3.0, DOC_LEFT);
	doc_col(t, 1, msg(cx, M_DG_F_COND_DEADLINE), 1.1, DOC_LEFT);
	doc_col(t, 2, msg(cx, M_DG_F_COND_RESPONSIBLE), 1.5, DOC_LEFT);
	doc_col(t, 3, msg(cx, M_DG_F_COND_STATUS), 1.2, DOC_LEFT);
	for (size_t from = 0; from < r->nrows; from += ENTITY_TITLES_MAX) {
		size_t n = r->nrows - from < ENTITY_TITLES_MAX ? r->nrows - from : ENTITY_TITLES_MAX;
		int64_t ids[ENTITY_TITLES_MAX];
		const char *names[ENTITY_TITLES_MAX];

		for (size_t k = 0; k < n; k++)
			ids[k] = db_cell_i64(r, from + k, 2);
		if (entity_titles(cx, &org_people, ids, n, names, err) != 0)
			return -1;
		for (size_t k = 0; k < n; k++) {
			size_t i = from + k;
			const char **row = doc_row(d, t);
			row[0] = db_cell(r, i, 5) ? arena_printf(cx->a, "%s. %s", db_cell(r, i, 0),
								 db_cell(r, i, 5)) : db_cell(r, i, 0);
			row[1] = db_cell_i64(r, i, 4) ?
				 arena_printf(cx->a, "%s (%s)", db_cell(r, i, 1), msg(cx, M_DG_LATE)) :
				 db_cell(r, i, 1);
			row[2] = ids[k] ? names[k] : NULL;
			row[3] = db_cell(r, i, 3) ? label(cx, &ap_activities, AC_STATUS,
							  db_cell(r, i, 3)) :
				 msg(cx, M_DG_NO_ACTIVITY_YET);
		}
	}
	return 0;
}

static int build_decision(struct ctx *cx, const struct doc_params *p, struct doc *d,
			  struct db_error *err)
{
	struct record a;
	struct db_rows c;
	struct doc_block *dl;
	const char *const *v;
	const char *gap_lines;
	struct approval_gaps now;
	int decided;

	if (entity_get(cx, &dg_approvals, p->id, &a, err) != 0)
		return -1;
	if (db_exec(cx->db, cx->a, sql_doc_conditions,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(p->id), DB_INT(DOC_CONDITIONS)), &c,
		    err) != 0)
		return -1;
	v = a.v;
	decided = v[DG_DECIDED_ON] != NULL;
	d->subtitle = a.ref_title[DG_SYSTEM];
	d->subject = v[DG_TITLE];
	d->marking = msg(cx, M_DG_DOC_MARKING);

	doc_heading(d, 1, msg(cx, M_DG_DOC_ABOUT));
	doc_para(d, msg(cx, M_DG_DOC_INTRO));
	dl = doc_deflist(d);
	def(cx, d, dl, M_DG_F_STATE, label(cx, &dg_approvals, DG_STATE, v[DG_STATE]));
	def(cx, d, dl, M_DG_F_DECISION, label(cx, &dg_approvals, DG_DECISION, v[DG_DECISION]));
	def(cx, d, dl, M_DG_F_VALID_UNTIL, v[DG_VALID_UNTIL]);
	if (!decided)
		doc_note(d, msg(cx, M_DG_DOC_NOT_DECIDED));

	/* 1. what is approved */
	doc_heading(d, 1, msg(cx, M_DG_G_SCOPE));
	dl = doc_deflist(d);
	def(cx, d, dl, M_DG_F_SYSTEM, a.ref_title[DG_SYSTEM]);
	def(cx, d, dl, M_DG_F_OWNER, a.ref_title[DG_OWNER]);
	def(cx, d, dl, M_DG_F_SCOPE_VERSION, v[DG_SCOPE_VERSION]);
	def(cx, d, dl, M_DG_F_SCOPE_ENV, v[DG_SCOPE_ENV]);
	def(cx, d, dl, M_DG_F_SCOPE_INTEGRATIONS, v[DG_SCOPE_INTEGRATIONS]);
	def(cx, d, dl, M_DG_F_SCOPE_NOTES, v[DG_SCOPE_NOTES]);

	/* 2. the measures' review: the snapshot, or (a draft) as it is now */
	doc_heading(d, 1, msg(cx, M_DG_G_MEASURES));
	if (v[DG_PROPOSED_ON]) {
		doc_note(d, arena_printf(cx->a, "%s %s.", msg(cx, M_DG_DOC_SNAPSHOT_ON),
					 v[DG_PROPOSED_ON]));
		dl = doc_deflist(d);
		def(cx, d, dl, M_DG_F_GAP_REQUIRED, v[DG_GAP_REQUIRED]);
		def(cx, d, dl, M_DG_F_GAP_ASSESSED, v[DG_GAP_ASSESSED]);
		def(cx, d, dl, M_DG_F_GAP_MET, v[DG_GAP_MET]);
		def(cx, d, dl, M_DG_F_GAP_OPEN, v[DG_GAP_OPEN]);
		def(cx, d, dl, M_DG_F_GAP_SERIOUS, v[DG_GAP_SERIOUS]);
		gap_lines = v[DG_GAP_SNAPSHOT];
	} else {
		int64_t sys = 0;
		if (parse_i64(v[DG_SYSTEM], &sys) != 0 || approval_gaps_now(cx, sys, &now, err) != 0)
			return -1;
		doc_note(d, msg(cx, M_DG_NOW_INTRO));
		dl = doc_deflist(d);
		doc_def(d, dl, msg(cx, M_DG_F_GAP_REQUIRED), doc_number(cx->a, now.required));
		doc_def(d, dl, msg(cx, M_DG_F_GAP_ASSESSED), doc_number(cx->a, now.assessed));
		doc_def(d, dl, msg(cx, M_DG_F_GAP_MET), doc_number(cx->a, now.met));
		doc_def(d, dl, msg(cx, M_DG_F_GAP_OPEN), doc_number(cx->a, now.open));
		doc_def(d, dl, msg(cx, M_DG_F_GAP_SERIOUS), doc_number(cx->a, now.serious));
		gap_lines = now.snapshot;
	}
	if (gap_lines && *gap_lines) {
		doc_heading(d, 2, msg(cx, M_DG_DOC_OPEN_GAPS));
		gaps_table(cx, d, gap_lines);
	} else {
		doc_para(d, msg(cx, M_DG_DOC_NO_GAPS));
	}

	/* 3. the security plan */
	doc_heading(d, 1, msg(cx, M_DG_G_SECPLAN));
	dl = doc_deflist(d);
	def(cx, d, dl, M_DG_F_SP_STATE, v[DG_SP_STATE] ? v[DG_SP_STATE] :
		msg(cx, M_DG_DOC_NOT_PROPOSED));
	def(cx, d, dl, M_DG_F_SP_VERSION, v[DG_SP_VERSION]);
	def(cx, d, dl, M_DG_F_SP_SIGNED_ON, v[DG_SP_SIGNED_ON]);
	def(cx, d, dl, M_DG_F_SP_REVIEW_ON, v[DG_SP_REVIEW_ON]);
	if (v[DG_SP_EVALUATION])
		doc_para(d, v[DG_SP_EVALUATION]);

	/* 4. the decision basis */
	doc_heading(d, 1, msg(cx, M_DG_G_PROPOSAL));
	dl = doc_deflist(d);
	def(cx, d, dl, M_DG_F_PROPOSAL, label(cx, &dg_approvals, DG_PROPOSAL, v[DG_PROPOSAL]));
	def(cx, d, dl, M_DG_F_PROPOSED_BY, a.ref_title[DG_PROPOSED_BY]);
	def(cx, d, dl, M_DG_F_PROPOSED_ON, v[DG_PROPOSED_ON]);
	if (v[DG_PROPOSAL_TEXT])
		doc_para(d, v[DG_PROPOSAL_TEXT]);

	/* 5. the decision */
	doc_heading(d, 1, msg(cx, M_DG_G_DECISION));
	if (decided) {
		dl = doc_deflist(d);
		def(cx, d, dl, M_DG_F_DECISION, label(cx, &dg_approvals, DG_DECISION,
						      v[DG_DECISION]));
		def(cx, d, dl, M_DG_F_DECIDED_BY, a.ref_title[DG_DECIDED_BY]);
		def(cx, d, dl, M_DG_F_DECIDED_ON, v[DG_DECIDED_ON]);
		def(cx, d, dl, M_DG_F_RECORDED_BY, v[DG_RECORDED_BY]);
		def(cx, d, dl, M_DG_F_VALID_UNTIL, v[DG_VALID_UNTIL]);
		def(cx, d, dl, M_DG_F_DECIDED_LEVELS, v[DG_DECIDED_LEVELS]);
		if (v[DG_DECISION_TEXT])
			doc_para(d, v[DG_DECISION_TEXT]);
	} else {
		doc_para(d, msg(cx, M_DG_DOC_NOT_DECIDED));
	}

	/* 6. the conditions, with their deadlines and follow-up */
	doc_heading(d, 1, msg(cx, M_DG_CONDITIONS));
	if (!c.nrows)
		doc_para(d, msg(cx, M_DG_NO_CONDITIONS));
	else if (conditions_table(cx, d, &c, err) != 0)
		return -1;

	if (v[DG_REVIEW] && strcmp(v[DG_REVIEW], "1") == 0) {
		doc_heading(d, 1, msg(cx, M_DG_G_REVIEW));
		dl = doc_deflist(d);
		def(cx, d, dl, M_DG_F_REVIEW_SINCE, v[DG_REVIEW_SINCE]);
		def(cx, d, dl, M_DG_F_REVIEW_REASON, v[DG_REVIEW_REASON]);
	}
	if (v[DG_SUPERSEDED_BY])
		doc_note(d, arena_printf(cx->a, "%s %s.", msg(cx, M_DG_F_SUPERSEDED_BY),
					 a.ref_title[DG_SUPERSEDED_BY]));
	doc_signature(d, a.ref_title[DG_OWNER] ? a.ref_title[DG_OWNER] : "",
		      msg(cx, M_DG_F_OWNER));
	return 0;
}

const struct document approvals_documents[] = {
	{ "approval-decision", M_DG_DOC_TITLE, "driftgodkannande", ROLES_STAFF, 1,
	  build_decision },
	{ NULL, 0, NULL, 0, 0, NULL },
};
