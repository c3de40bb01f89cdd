/* documents.c - the action plan as management decides it ("action-plan",
 * core/module.h struct document, ?id= the plan): the period and the
 * decision, the activities ranked by priority with who is responsible,
 * when and at what cost, the gaps each addresses, the follow-up so far,
 * the deviations after the decision, and the timeline with its numbers.
 *
 * Bounded by the plan: at most DOC_ROWS activities, their gaps in one
 * query, the newest DOC_DEVIATIONS deviations. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/actions/actions.h"
#include "modules/org/org.h"

#define DOC_ROWS 500
#define DOC_DEVIATIONS 200

static const char sql_doc_rows[] =
	"SELECT a.id, a.title, a.priority, a.kind, a.responsible_id, a.start_on, a.end_on,"
	" a.status, a.cost, a.resources, a.goal"
	" FROM activity a WHERE a.org_id = $1 AND a.plan_id = $2 AND a.archived = 0"
	" ORDER BY a.priority, a.end_on, a.id LIMIT $3";

static const char sql_doc_gaps[] =
	"SELECT x.title, m.code, m.title, s.name"
	" FROM activity x JOIN activity_gap g ON g.org_id = x.org_id AND g.activity_id = x.id"
	"  AND g.archived = 0"
	" JOIN measure_assessment a ON a.id = g.assessment_id"
	" JOIN measure m ON m.id = a.measure_id LEFT JOIN it_system s ON s.id = a.system_id"
	" WHERE x.org_id = $1 AND x.plan_id = $2 AND x.archived = 0"
	" ORDER BY x.priority, x.end_on, x.id, m.code_sk LIMIT $3";

static const char sql_doc_deviations[] =
	"SELECT d.happened_on, x.title, d.what, d.before_text, d.after_text"
	" FROM plan_deviation d LEFT JOIN activity x ON x.id = d.activity_id"
	" WHERE d.org_id = $1 AND d.plan_id = $2 ORDER BY d.id LIMIT $3";

static const char *label(struct ctx *cx, const struct entity *e, int field, const char *code)
{
	return code ? entity_choice_label(cx, &e->fields[field], code) : NULL;
}

static const char *kr(struct ctx *cx, const char *cost)
{
	int64_t n;

	if (!cost || parse_i64(cost, &n) != 0)
		return NULL;
	return arena_printf(cx->a, "%s kr", doc_number(cx->a, n));
}

static int activities_table(struct ctx *cx, struct doc *d, const struct db_rows *r,
			    struct db_error *err)
{
	int lang = cx->lang;
	struct doc_table *t = doc_table(d, 7, NULL);

	doc_col(t, 0, msg_text(lang, M_AP_F_PRIORITY_SHORT), 0.6, DOC_RIGHT);
	doc_col(t, 1, msg_text(lang, M_AP_F_ACTIVITY_TITLE), 3.0, DOC_LEFT);
	doc_col(t, 2, msg_text(lang, M_AP_F_RESPONSIBLE), 1.5, DOC_LEFT);
	doc_col(t, 3, msg_text(lang, M_AP_F_START), 1.1, DOC_LEFT);
	doc_col(t, 4, msg_text(lang, M_AP_F_END), 1.1, DOC_LEFT);
	doc_col(t, 5, msg_text(lang, M_AP_F_COST), 1.0, DOC_RIGHT);
	doc_col(t, 6, msg_text(lang, M_AP_F_STATUS), 1.1, DOC_LEFT);
	for (size_t from = 0; from < r->nrows; from += ENTITY_TITLES_MAX) {
		size_t n = r->nrows - from < ENTITY_TITLES_MAX ? r->nrows - from : ENTITY_TITLES_MAX;
		int64_t ids[ENTITY_TITLES_MAX];
		const char *names[ENTITY_TITLES_MAX];

		for (size_t k = 0; k < n; k++)
			ids[k] = db_cell_i64(r, from + k, 4);
		if (entity_titles(cx, &org_people, ids, n, names, err) != 0)
			return -1;
		for (size_t k = 0; k < n; k++) {
			size_t i = from + k;
			const char **row = doc_row(d, t);
			row[0] = db_cell(r, i, 2);
			row[1] = db_cell(r, i, 9) ? arena_printf(cx->a, "%s (%s: %s)", db_cell(r, i, 1),
				msg_text(lang, M_AP_F_RESOURCES), db_cell(r, i, 9)) : db_cell(r, i, 1);
			row[2] = ids[k] ? names[k] : NULL;
			row[3] = db_cell(r, i, 5);
			row[4] = db_cell(r, i, 6);
			row[5] = kr(cx, db_cell(r, i, 8));
			row[6] = label(cx, &ap_activities, AC_STATUS, db_cell(r, i, 7));
		}
	}
	return 0;
}

static int build_plan(struct ctx *cx, const struct doc_params *p, struct doc *d,
		      struct db_error *err)
{
	int lang = cx->lang;
	struct record plan;
	struct plan_progress pr;
	struct db_rows r, g, dv;
	struct doc_block *dl;
	int64_t cost = 0;

	if (entity_get(cx, &ap_plans, p->id, &plan, err) != 0)
		return -1;
	if (plan_progress(cx, p->id, &pr, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_doc_rows,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(p->id), DB_INT(DOC_ROWS)), &r, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_doc_gaps,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(p->id), DB_INT(DOC_ROWS)), &g, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_doc_deviations,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(p->id), DB_INT(DOC_DEVIATIONS)), &dv,
		    err) != 0)
		return -1;
	d->subtitle = plan.v[PF_TITLE];
	d->subject = d->subtitle;
	d->marking = msg_text(lang, M_AP_DOC_MARKING);
	if (plan.v[PF_DECIDED_VERSION])
		d->version = plan.v[PF_DECIDED_VERSION];
	for (size_t i = 0; i < r.nrows; i++) {
		int64_t c;
		if (db_cell(&r, i, 8) && parse_i64(db_cell(&r, i, 8), &c) == 0)
			cost += c;
	}

	doc_heading(d, 1, msg_text(lang, M_AP_DOC_ABOUT));
	doc_para(d, msg_text(lang, M_AP_DOC_INTRO));
	if (plan.v[PF_DESCRIPTION])
		doc_para(d, plan.v[PF_DESCRIPTION]);
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_AP_F_PERIOD), arena_printf(cx->a, "%s \xe2\x80\x93 %s",
		plan.v[PF_START], plan.v[PF_END]));
	doc_def(d, dl, msg_text(lang, M_AP_F_PLAN_STATE),
		label(cx, &ap_plans, PF_STATE, plan.v[PF_STATE]));
	doc_def(d, dl, msg_text(lang, M_AP_DOC_N_ACTIVITIES), doc_number(cx->a, pr.total));
	doc_def(d, dl, msg_text(lang, M_AP_DOC_TOTAL_COST),
		arena_printf(cx->a, "%s kr", doc_number(cx->a, cost)));

	/* R-7-07: the decision */
	doc_heading(d, 1, msg_text(lang, M_AP_DECISION_HEADING));
	if (plan.v[PF_DECIDED_ON]) {
		dl = doc_deflist(d);
		doc_def(d, dl, msg_text(lang, M_AP_F_DECIDED_BY), plan.v[PF_DECIDED_BY]);
		doc_def(d, dl, msg_text(lang, M_AP_F_DECIDED_ON), plan.v[PF_DECIDED_ON]);
		doc_def(d, dl, msg_text(lang, M_AP_F_DECISION), plan.v[PF_DECISION]);
		doc_def(d, dl, msg_text(lang, M_AP_F_MINUTES), plan.v[PF_MINUTES]);
		doc_def(d, dl, msg_text(lang, M_AP_F_DECIDED_VERSION), plan.v[PF_DECIDED_VERSION]);
	} else {
		doc_para(d, msg_text(lang, M_AP_DOC_NOT_DECIDED));
	}

	/* R-7-09: ranked by importance */
	doc_heading(d, 1, msg_text(lang, M_AP_ACTIVITIES_RANKED));
	doc_note(d, msg_text(lang, M_AP_DOC_RANK_NOTE));
	if (!r.nrows)
		doc_para(d, msg_text(lang, M_AP_NO_ACTIVITIES));
	else if (activities_table(cx, d, &r, err) != 0)
		return -1;

	/* R-7-06: the gaps each activity addresses */
	doc_heading(d, 1, msg_text(lang, M_AP_GAPS_ADDRESSED));
	if (!g.nrows) {
		doc_para(d, msg_text(lang, M_AP_NO_GAPS));
	} else {
		struct doc_table *t = doc_table(d, 3, NULL);
		doc_col(t, 0, msg_text(lang, M_AP_ACTIVITY), 2.5, DOC_LEFT);
		doc_col(t, 1, msg_text(lang, M_AP_F_GAP), 2.5, DOC_LEFT);
		doc_col(t, 2, msg_text(lang, M_AP_F_SYSTEM), 1.5, DOC_LEFT);
		for (size_t i = 0; i < g.nrows; i++) {
			const char **row = doc_row(d, t);
			row[0] = db_cell(&g, i, 0);
			row[1] = arena_printf(cx->a, "%s %s", db_cell(&g, i, 1), db_cell(&g, i, 2));
			row[2] = db_cell(&g, i, 3) ? db_cell(&g, i, 3) :
				 msg_text(lang, M_AP_WHOLE_ORG);
		}
	}

	/* R-7-11: the follow-up */
	doc_heading(d, 1, msg_text(lang, M_AP_PROGRESS));
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_AP_ST_DONE), doc_number(cx->a, pr.done));
	doc_def(d, dl, msg_text(lang, M_AP_ST_ONGOING), doc_number(cx->a, pr.ongoing));
	doc_def(d, dl, msg_text(lang, M_AP_ST_PLANNED), doc_number(cx->a, pr.planned));
	doc_def(d, dl, msg_text(lang, M_AP_ST_CANCELLED), doc_number(cx->a, pr.cancelled));
	doc_def(d, dl, msg_text(lang, M_AP_DOC_OVERDUE), doc_number(cx->a, pr.overdue));
	if (pr.carried)
		doc_def(d, dl, msg_text(lang, M_AP_ST_CARRIED), doc_number(cx->a, pr.carried));
	if (r.nrows) {
		struct db_rows tl;
		if (plan_rows(cx, p->id, DOC_ROWS, &tl, err) != 0)
			return -1;
		doc_picture(d, plan_timeline(cx, plan.v[PF_START], plan.v[PF_END], &tl));
	}
	if (dv.nrows) {
		struct doc_table *t;
		doc_heading(d, 2, msg_text(lang, M_AP_DEVIATIONS));
		doc_note(d, msg_text(lang, M_AP_DEVIATIONS_INTRO));
		t = doc_table(d, 5, NULL);
		doc_col(t, 0, msg_text(lang, M_AP_F_DV_ON), 1.3, DOC_LEFT);
		doc_col(t, 1, msg_text(lang, M_AP_ACTIVITY), 2.4, DOC_LEFT);
		doc_col(t, 2, msg_text(lang, M_AP_F_DV_WHAT), 1.2, DOC_LEFT);
		doc_col(t, 3, msg_text(lang, M_AP_F_DV_BEFORE), 1.3, DOC_LEFT);
		doc_col(t, 4, msg_text(lang, M_AP_F_DV_AFTER), 1.3, DOC_LEFT);
		for (size_t i = 0; i < dv.nrows; i++) {
			const char **row = doc_row(d, t);
			row[0] = db_cell(&dv, i, 0);
			row[1] = db_cell(&dv, i, 1);
			row[2] = label(cx, &ap_deviations, DV_WHAT, db_cell(&dv, i, 2));
			row[3] = db_cell(&dv, i, 3);
			row[4] = db_cell(&dv, i, 4);
		}
	}
	return 0;
}

const struct document actions_documents[] = {
	{ "action-plan", M_AP_DOC_TITLE, "handlingsplan", ROLES_STAFF, 1, build_plan },
	{ NULL, 0, NULL, 0, 0, NULL },
};
