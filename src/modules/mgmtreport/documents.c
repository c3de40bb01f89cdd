/* documents.c - the management report as a document ("management-report",
 * core/module.h struct document; R-15-08..R-15-13): a title block with
 * the organisation and the period, then every module's section in order
 * (core/report.h) - heading, the one-sentence reading, the picture and its
 * figures - and page numbers from the doc engine.  With ?id= a recorded
 * report (mgmtreport.c): its period (unless ?from=&to= say another), its
 * summary of what is done and why, the current-state texts, and its
 * decision items with management's decisions once made.
 *
 * Costs: the sections' own (summaries and bounded counts), the record by
 * key and at most ITEMS_MAX items by the index report_decision_item_report. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/report.h"
#include "core/roles.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/mgmtreport/mgmtreport.h"

#define ITEMS_MAX 50

static const char sql_items[] =
	"SELECT title, proposal, risk, state, decision, decided_by, decided_on"
	" FROM report_decision_item WHERE org_id = $1 AND report_id = $2 AND archived = 0"
	" ORDER BY id LIMIT 50";

static void text_block(struct doc *d, int lang, int heading, const char *text)
{
	if (!text || !*text)
		return;
	doc_heading(d, 2, msg_text(lang, heading));
	doc_para(d, text);
}

static void figures_table(struct ctx *cx, struct doc *d, const struct report_part *pt)
{
	struct doc_table *t;
	const char **row = NULL;

	if (pt->nfigures == 0)
		return;
	/* two figures a row: half the height of one a row, so that seven
	 * sections keep to four pages */
	t = doc_table(d, 4, NULL);
	t->keep = 1;
	doc_col(t, 0, msg_text(cx->lang, M_RP_WHAT), 3.2, DOC_LEFT);
	doc_col(t, 1, msg_text(cx->lang, M_RP_NUMBER), 0.8, DOC_RIGHT);
	doc_col(t, 2, msg_text(cx->lang, M_RP_WHAT), 3.2, DOC_LEFT);
	doc_col(t, 3, msg_text(cx->lang, M_RP_NUMBER), 0.8, DOC_RIGHT);
	for (int k = 0; k < pt->nfigures; k++) {
		const struct overview_figure *f = &pt->figures[k];
		int c = (k % 2) * 2;

		if (c == 0)
			row = doc_row(d, t);
		row[c] = msg_text(cx->lang, f->label);
		row[c + 1] = f->more ? arena_printf(cx->a, "> %s", doc_number(cx->a, f->n))
				     : doc_number(cx->a, f->n);
	}
}

static int decision_items(struct ctx *cx, struct doc *d, int64_t report, struct db_error *err)
{
	struct db_rows r;
	int lang = cx->lang;

	if (db_exec(cx->db, cx->a, sql_items, DB_ARGS(DB_INT(cx->org->id), DB_INT(report)), &r,
		    err) != 0)
		return -1;
	doc_heading(d, 1, msg_text(lang, M_MR_ITEMS));
	if (r.nrows == 0) {
		doc_para(d, msg_text(lang, M_MR_NO_ITEMS));
		return 0;
	}
	for (size_t i = 0; i < r.nrows; i++) {
		struct doc_block *dl;
		const char *decided = db_cell(&r, i, 3);
		doc_heading(d, 2, arena_printf(cx->a, "%zu. %s", i + 1, db_cell(&r, i, 0)));
		dl = doc_deflist(d);
		if (db_cell(&r, i, 1) && *db_cell(&r, i, 1))
			doc_def(d, dl, msg_text(lang, M_MR_F_PROPOSAL), db_cell(&r, i, 1));
		if (db_cell(&r, i, 2) && *db_cell(&r, i, 2))
			doc_def(d, dl, msg_text(lang, M_MR_F_RISK), db_cell(&r, i, 2));
		if (decided && strcmp(decided, "decided") == 0) {
			const char *how = msg_fill(cx->a, msg_text(lang, M_MR_DECIDED_BY_ON), "{who}",
						   db_cell(&r, i, 5) ? db_cell(&r, i, 5) : "");
			how = msg_fill(cx->a, how, "{day}", db_cell(&r, i, 6) ? db_cell(&r, i, 6) : "");
			doc_def(d, dl, msg_text(lang, M_MR_F_DECISION),
				arena_printf(cx->a, "%s (%s)", db_cell(&r, i, 4), how));
		} else {
			doc_def(d, dl, msg_text(lang, M_MR_F_DECISION), msg_text(lang, M_MR_NOT_DECIDED));
		}
	}
	return 0;
}

static int build(struct ctx *cx, const struct doc_params *p, struct doc *d, struct db_error *err)
{
	struct report_period rp;
	struct report_entry *e;
	struct record rec;
	size_t n = 0;
	int lang = cx->lang, have = 0;
	const char *period;

	if (p->id) {
		if (entity_get(cx, &mr_reports, p->id, &rec, err) != 0)
			return -1;
		if (!entity_may(cx, &mr_reports, &rec, OP_READ)) {
			err->code = DBE_NOTFOUND;
			snprintf(err->msg, sizeof(err->msg), "management report %lld",
				 (long long)p->id);
			return -1;
		}
		have = 1;
	}
	if (p->from) {
		rp = (struct report_period){ p->from, p->to, p->prev_from };
	} else if (have) {
		int why;
		if (report_period_days(rec.v[MR_PERIOD_FROM], rec.v[MR_PERIOD_TO], &rp, &why) != 0)
			report_preset(REPORT_LAST_QUARTER, cx->now, &rp);
	} else {
		report_preset(REPORT_LAST_QUARTER, cx->now, &rp);
	}
	if (report_build(cx, &rp, &e, &n, err) != 0)
		return -1;

	period = arena_printf(cx->a, "%s %s – %s", msg_text(lang, M_RP_PERIOD),
			      report_day(cx->a, rp.from), report_last_day(cx->a, &rp));
	d->subtitle = have ? arena_printf(cx->a, "%s. %s", rec.v[MR_TITLE], period) : period;
	d->subject = msg_text(lang, M_RP_TITLE);
	doc_note(d, msg_fill(cx->a,
			     msg_fill(cx->a, msg_text(lang, M_MR_DOC_INTRO), "{prev_from}",
				      report_day(cx->a, rp.prev_from)),
			     "{prev_to}", report_day(cx->a, report_add_days(rp.from, -1))));

	if (have) {
		if (rec.v[MR_MEETING_ON])
			doc_para(d, msg_fill(cx->a, msg_text(lang, M_MR_DOC_MEETING), "{day}",
					     rec.v[MR_MEETING_ON]));
		text_block(d, lang, M_MR_F_SUMMARY, rec.v[MR_SUMMARY]);
		if (rec.v[MR_THREATS] || rec.v[MR_LEGAL] || rec.v[MR_DIGITALISATION]) {
			doc_heading(d, 1, msg_text(lang, M_MR_G_CURRENT));
			text_block(d, lang, M_MR_F_THREATS, rec.v[MR_THREATS]);
			text_block(d, lang, M_MR_F_LEGAL, rec.v[MR_LEGAL]);
			text_block(d, lang, M_MR_F_DIGITALISATION, rec.v[MR_DIGITALISATION]);
		}
	}
	if (n == 0)
		doc_para(d, msg_text(lang, M_RP_NO_SECTIONS));
	for (size_t i = 0; i < n; i++) {
		const struct report_part *pt = &e[i].part;
		struct doc_block *b = doc_heading(d, 1, msg_text(lang, e[i].section->heading));
		b->id = arena_printf(cx->a, "rp-%d", e[i].section->order);
		if (pt->reading)
			doc_para(d, pt->reading);
		if (pt->chart)
			doc_picture_brief(d, pt->chart, 0.45);
		figures_table(cx, d, pt);
	}
	if (have && decision_items(cx, d, p->id, err) != 0)
		return -1;
	return 0;
}

const struct document mgmtreport_documents[] = {
	{ "management-report", M_RP_TITLE, "ledningsrapport", ROLES_OVERVIEW, 0, build },
	{ NULL, 0, NULL, 0, 0, NULL },
};
