/* documents.c - an analysis as a document ("risk-analysis", ?id= the
 * analysis; print view and PDF): what was analysed and how, the risks in a
 * table with their levels, treatment and handling, the heat maps before and
 * after treatment with the numbers, the acceptances, and the decision.
 * Bounded by the analysis: at most DOC_ROWS risks (risk_analysis_risks). */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/risks/risks.h"

#define DOC_ROWS 300

static const char sql_doc_risks[] =
	"SELECT r.title, r.level, r.treatment, r.residual_level, r.status, r.handling,"
	" p.name, r.accepted_on, r.accepted_until, r.accept_reason, r.cause, r.event,"
	" r.consequence_text"
	" FROM risk r LEFT JOIN person p ON p.id = r.owner_id"
	" WHERE r.org_id = $1 AND r.analysis_id = $2 AND r.archived = 0"
	" ORDER BY r.id LIMIT $3";

static const char *choice_text(struct ctx *cx, const struct entity *e, int fi, const char *v)
{
	return v ? entity_choice_label(cx, &e->fields[fi], v) : "–";
}

static int build(struct ctx *cx, const struct doc_params *p, struct doc *d, struct db_error *err)
{
	int lang = cx->lang;
	const struct entity *E = &rk_risks;
	struct risk_model m;
	struct record an;
	struct db_rows r;
	struct doc_block *dl;
	struct doc_table *t;
	struct chart *before, *after;
	int accepted = 0;

	if (entity_get(cx, &rk_analyses, p->id, &an, err) != 0)
		return -1;
	if (risk_model_get(cx, &m, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_doc_risks,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(an.id), DB_INT(DOC_ROWS)), &r, err) != 0 ||
	    !(before = risk_heat(cx, &m, an.id, 0, "ch-doc-before", err)) ||
	    !(after = risk_heat(cx, &m, an.id, 1, "ch-doc-after", err)))
		return -1;
	d->subtitle = an.v[RA_TITLE];
	doc_heading(d, 1, an.v[RA_TITLE]);
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_RK_F_KIND),
		choice_text(cx, &rk_analyses, RA_KIND, an.v[RA_KIND]));
	if (an.ref_title[RA_SYSTEM])
		doc_def(d, dl, msg_text(lang, M_RK_F_SYSTEM), an.ref_title[RA_SYSTEM]);
	doc_def(d, dl, msg_text(lang, M_RK_F_PURPOSE), an.v[RA_PURPOSE] ? an.v[RA_PURPOSE] : "–");
	doc_def(d, dl, msg_text(lang, M_RK_F_PARTICIPANTS),
		an.v[RA_PARTICIPANTS] ? an.v[RA_PARTICIPANTS] : "–");
	doc_def(d, dl, msg_text(lang, M_RK_F_RISK_OWNER),
		an.ref_title[RA_OWNER] ? an.ref_title[RA_OWNER] : "–");
	doc_def(d, dl, msg_text(lang, M_RK_F_METHOD), an.v[RA_METHOD] ? an.v[RA_METHOD] : "–");
	doc_def(d, dl, msg_text(lang, M_RK_F_PERFORMED_ON),
		an.v[RA_PERFORMED_ON] ? an.v[RA_PERFORMED_ON] : "–");
	doc_def(d, dl, msg_text(lang, M_RK_F_REVIEW_ON), an.v[RA_REVIEW_ON] ? an.v[RA_REVIEW_ON] : "–");
	doc_def(d, dl, msg_text(lang, M_RK_F_STATE),
		choice_text(cx, &rk_analyses, RA_STATE, an.v[RA_STATE]));

	doc_heading(d, 2, msg_text(lang, M_RK_RISKS));
	if (!r.nrows)
		doc_para(d, msg_text(lang, M_RK_NO_RISKS));
	else {
		t = doc_table(d, 6, NULL);
		doc_col(t, 0, msg_text(lang, M_RK_F_RISK_TITLE), 3.0, DOC_LEFT);
		doc_col(t, 1, msg_text(lang, M_RK_F_LEVEL), 1.1, DOC_LEFT);
		doc_col(t, 2, msg_text(lang, M_RK_F_TREATMENT), 1.1, DOC_LEFT);
		doc_col(t, 3, msg_text(lang, M_RK_F_RES_LEVEL), 1.1, DOC_LEFT);
		doc_col(t, 4, msg_text(lang, M_RK_F_RISK_OWNER), 1.4, DOC_LEFT);
		doc_col(t, 5, msg_text(lang, M_RK_F_HANDLING), 2.4, DOC_LEFT);
		for (size_t i = 0; i < r.nrows; i++) {
			const char **row = doc_row(d, t);
			row[0] = db_cell(&r, i, 0);
			row[1] = choice_text(cx, E, RK_LEVEL, db_cell(&r, i, 1));
			row[2] = choice_text(cx, E, RK_TREATMENT, db_cell(&r, i, 2));
			row[3] = choice_text(cx, E, RK_RES_LEVEL, db_cell(&r, i, 3));
			row[4] = db_cell(&r, i, 6) ? db_cell(&r, i, 6) : "–";
			row[5] = db_cell(&r, i, 5) ? db_cell(&r, i, 5) : "–";
			accepted += db_cell(&r, i, 7) != NULL;
		}
	}
	doc_heading(d, 2, msg_text(lang, M_RK_HEAT));
	doc_para(d, msg_text(lang, M_RK_HEAT_X));
	doc_picture_at(d, before, 0.55);
	doc_picture_at(d, after, 0.55);

	if (accepted) {
		doc_heading(d, 2, msg_text(lang, M_RK_ACCEPTED_RISKS));
		t = doc_table(d, 4, NULL);
		doc_col(t, 0, msg_text(lang, M_RK_F_RISK_TITLE), 2.5, DOC_LEFT);
		doc_col(t, 1, msg_text(lang, M_RK_F_ACCEPTED_ON), 1.1, DOC_LEFT);
		doc_col(t, 2, msg_text(lang, M_RK_F_ACCEPTED_UNTIL), 1.1, DOC_LEFT);
		doc_col(t, 3, msg_text(lang, M_RK_F_ACCEPT_REASON), 3.5, DOC_LEFT);
		for (size_t i = 0; i < r.nrows; i++) {
			const char **row;
			if (!db_cell(&r, i, 7))
				continue;
			row = doc_row(d, t);
			row[0] = db_cell(&r, i, 0);
			row[1] = db_cell(&r, i, 7);
			row[2] = db_cell(&r, i, 8) ? db_cell(&r, i, 8) : "–";
			row[3] = db_cell(&r, i, 9) ? db_cell(&r, i, 9) : "–";
		}
	}
	doc_heading(d, 2, msg_text(lang, M_RK_G_DECISION));
	if (an.v[RA_DECIDED_ON]) {
		dl = doc_deflist(d);
		doc_def(d, dl, msg_text(lang, M_RK_F_DECIDED_BY),
			an.ref_title[RA_DECIDED_BY] ? an.ref_title[RA_DECIDED_BY] : "–");
		doc_def(d, dl, msg_text(lang, M_RK_F_DECIDED_ON), an.v[RA_DECIDED_ON]);
		doc_def(d, dl, msg_text(lang, M_RK_F_DECISION),
			an.v[RA_DECISION] ? an.v[RA_DECISION] : "–");
	} else {
		doc_para(d, msg_text(lang, M_RK_NOT_DECIDED));
	}
	return 0;
}

const struct document risk_documents[] = {
	{ "risk-analysis", M_RK_DOC_TITLE, "riskanalys", ROLES_STAFF, 1, build },
	{ NULL, 0, NULL, 0, 0, NULL },
};
