/* pages.c - the risk model's page, an analysis's risks and heat maps, a
 * risk's activities, the organisation's heat maps, and the two buttons:
 * "Hämta hot från systemsäkerhetsplanen" and "Gör till åtgärd". */
#include "base/base.h"

#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/actions/actions.h"
#include "modules/risks/risks.h"
#include "web/app.h"
#include "web/chart_svg.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define ACTION_ROWS 50

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static const struct choice tiers[] = {
	{ TIER_OWNER, M_RK_TIER_OWNER },
	{ TIER_MANAGEMENT, M_RK_TIER_MANAGEMENT },
	{ TIER_CHIEF, M_RK_TIER_CHIEF },
	{ TIER_NONE, M_RK_TIER_NONE },
	{ NULL, 0 },
};
static const int cons_msg[] = { M_RK_C1, M_RK_C2, M_RK_C3, M_RK_C4 };
static const int like_msg[] = { M_RK_L1, M_RK_L2, M_RK_L3, M_RK_L4 };

static void heat_pair(struct req *q, struct html *h, const struct risk_model *m, int64_t analysis)
{
	struct ctx *cx = &q->cx;
	struct db_error err;
	struct chart *a, *b;

	if (!(a = risk_heat(cx, m, analysis, 0, "ch-risk-before", &err)) ||
	    !(b = risk_heat(cx, m, analysis, 1, "ch-risk-after", &err))) {
		req_fail(q, "the heat maps", &err);
		return;
	}
	h_lit(h, "<div class=\"home-charts\"><section aria-labelledby=\"rk-h-before\">"
		 "<h3 id=\"rk-h-before\">");
	h_msg(h, M_RK_HEAT_INHERENT);
	h_lit(h, "</h3>");
	h_chart(h, a);
	h_lit(h, "</section><section aria-labelledby=\"rk-h-after\"><h3 id=\"rk-h-after\">");
	h_msg(h, M_RK_HEAT_RESIDUAL);
	h_lit(h, "</h3>");
	h_chart(h, b);
	h_lit(h, "</section></div><p class=\"hint\">");
	h_msg(h, M_RK_HEAT_X);
	h_lit(h, "</p>");
}

/* ---- the model ---- */

static void model_get(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *notice = req_param(q, "notice");
	int edit = ctx_has_role(cx, ROLES_RISK_KEEP);
	struct risk_model m;
	struct db_error err;
	struct html h;

	if (risk_model_get(cx, &m, &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	page_begin(q, resp, &h, M_RK_MODEL);
	if (is(notice, "saved"))
		page_notice(&h, M_RK_MODEL_SAVED);
	else if (is(notice, "invalid"))
		page_notice(&h, M_RK_MODEL_INVALID);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_RK_MODEL_INTRO);
	h_lit(&h, "</p>");
	if (edit) {
		h_lit(&h, "<form method=\"post\" class=\"record\" action=\"");
		h_url(&h, "/o/%s/risk-model", cx->org->slug);
		h_lit(&h, "\">");
		h_csrf(&h);
	}
	part_section_begin(&h, "rk-matrix", M_RK_MATRIX);
	h_lit(&h, "<p class=\"hint\">");
	h_msg(&h, M_RK_MATRIX_HELP);
	h_lit(&h, "</p>");
	part_table_begin(&h, 0, "rk-matrix");
	h_lit(&h, "<th scope=\"col\">");
	h_msg(&h, M_RK_MATRIX_CORNER);
	h_lit(&h, "</th>");
	for (int l = 0; l < 4; l++) {
		h_lit(&h, "<th scope=\"col\">");
		h_textf(&h, "%d ", l + 1);
		h_msg(&h, like_msg[l]);
		h_lit(&h, "</th>");
	}
	part_table_body(&h);
	for (int c = 3; c >= 0; c--) {
		part_tr(&h);
		part_th_row_begin(&h);
		h_textf(&h, "%d ", c + 1);
		h_msg(&h, cons_msg[c]);
		part_th_row_end(&h);
		for (int l = 0; l < 4; l++) {
			int lv = m.matrix[c * 4 + l] - '0';
			part_td_begin(&h);
			if (edit) {
				const char *name = arena_printf(cx->a, "cell_%d_%d", c + 1, l + 1);
				/* named by aria-label: a hidden <label> placed
				 * absolutely would widen the page past the table's
				 * scrolling frame */
				h_lit(&h, "<select");
				h_attr(&h, "aria-label",
				       arena_printf(cx->a, "%s %d, %s %d",
						    msg_text(cx->lang, M_RK_F_CONSEQUENCE), c + 1,
						    msg_text(cx->lang, M_RK_F_LIKELIHOOD), l + 1));
				h_attr(&h, "id", arena_printf(cx->a, "f-%s", name));
				h_attr(&h, "name", name);
				h_lit(&h, ">");
				for (int k = 1; k <= 4; k++) {
					h_lit(&h, "<option");
					h_attr(&h, "value", arena_printf(cx->a, "%d", k));
					if (k == lv)
						h_lit(&h, " selected");
					h_lit(&h, ">");
					h_msg(&h, risk_level_msg(k));
					h_lit(&h, "</option>");
				}
				h_lit(&h, "</select>");
			} else {
				h_lit(&h, "<span");
				h_attr(&h, "class", arena_printf(cx->a, "badge rk-level-%d", lv));
				h_lit(&h, ">");
				h_msg(&h, risk_level_msg(lv));
				h_lit(&h, "</span>");
			}
			part_td_end(&h);
		}
		part_tr_end(&h);
	}
	part_table_end(&h);
	part_section_end(&h);

	part_section_begin(&h, "rk-acceptance", M_RK_ACCEPTANCE);
	h_lit(&h, "<p class=\"hint\">");
	h_msg(&h, M_RK_ACCEPTANCE_HELP);
	h_lit(&h, "</p>");
	for (int i = 0; i < 4; i++) {
		const char *lvl = msg_text(cx->lang, risk_level_msg(i + 1));
		h_lit(&h, "<fieldset><legend>");
		h_text(&h, lvl);
		h_lit(&h, "</legend>");
		if (edit) {
			part_field(&h, &(struct part_field){
				.type = PI_SELECT, .name = arena_printf(cx->a, "accept_%d", i + 1),
				.label = M_RK_ACCEPT_WHO, .value = m.accept[i],
				.choices = part_choices(&h, tiers) });
			part_field(&h, &(struct part_field){
				.type = PI_INT, .name = arena_printf(cx->a, "months_%d", i + 1),
				.label = M_RK_ACCEPT_MONTHS, .min = 1, .max = 120,
				.value = arena_printf(cx->a, "%d", m.months[i]) });
		} else {
			const char *who = NULL;
			for (size_t k = 0; tiers[k].value; k++)
				if (is(m.accept[i], tiers[k].value))
					who = msg_text(cx->lang, tiers[k].label);
			part_dl_begin(&h);
			part_dl_item(&h, M_RK_ACCEPT_WHO, who);
			part_dl_item(&h, M_RK_ACCEPT_MONTHS, arena_printf(cx->a, "%d", m.months[i]));
			part_dl_end(&h);
		}
		h_lit(&h, "</fieldset>");
	}
	part_section_end(&h);
	if (edit) {
		h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
		h_msg(&h, M_RK_MODEL_SAVE);
		h_lit(&h, "</button></div></form>");
	}
	part_section_begin(&h, "rk-scales", M_RK_SCALES);
	part_dl_begin(&h);
	for (int i = 0; i < 4; i++)
		part_dl_item(&h, cons_msg[i], msg_fill(cx->a, msg_text(cx->lang, M_RK_SCALE_C), "{n}",
						       arena_printf(cx->a, "%d", i + 1)));
	for (int i = 0; i < 4; i++)
		part_dl_item(&h, like_msg[i], msg_fill(cx->a, msg_text(cx->lang, M_RK_SCALE_L), "{n}",
						       arena_printf(cx->a, "%d", i + 1)));
	part_dl_end(&h);
	h_lit(&h, "<p>");
	part_link(&h, msg_text(cx->lang, M_RK_CATEGORIES), "/o/%s/risk-categories", cx->org->slug);
	h_lit(&h, "</p>");
	part_section_end(&h);
	page_end(q, resp, &h);
}

static void model_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct risk_model m = { 0 };
	struct db_error err = { 0 };
	int bad = 0;

	/* the model is the whole organisation's: a keeper of one unit may not */
	if (!ctx_has_role(cx, ROLES_RISK_KEEP)) {
		respond_error(q, resp, 403);
		return;
	}
	for (int c = 0; c < 4; c++)
		for (int l = 0; l < 4; l++) {
			const char *v = req_param(q, arena_printf(cx->a, "cell_%d_%d", c + 1, l + 1));
			bad |= !v || !v[0] || v[1] || v[0] < '1' || v[0] > '4';
			m.matrix[c * 4 + l] = v && v[0] ? v[0] : '0';
		}
	for (int i = 0; i < 4; i++) {
		const char *t = req_param(q, arena_printf(cx->a, "accept_%d", i + 1));
		const char *n = req_param(q, arena_printf(cx->a, "months_%d", i + 1));
		int64_t months = 0;
		bad |= !t || strlen(t) >= sizeof(m.accept[i]) || !n || parse_i64(n, &months) != 0 ||
		       months < 1 || months > 120;
		snprintf(m.accept[i], sizeof(m.accept[i]), "%s", t ? t : "");
		m.months[i] = (int)months;
	}
	if (bad || risk_model_save(cx, &m, &err) != 0) {
		if (!bad && err.code != DBE_CHECK) {
			respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
			return;
		}
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/risk-model?notice=invalid",
						    cx->org->slug));
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/risk-model?notice=saved", cx->org->slug));
}

/* ---- the organisation's heat maps ---- */

static void overview_get(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct risk_model m;
	struct db_error err;
	struct html h;

	if (risk_model_get(cx, &m, &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	page_begin(q, resp, &h, M_RK_OVERVIEW);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_RK_OVERVIEW_INTRO);
	h_lit(&h, "</p>");
	heat_pair(q, &h, &m, 0);
	h_lit(&h, "<p>");
	part_link(&h, msg_text(cx->lang, M_RK_REGISTER), "/o/%s/risks", cx->org->slug);
	h_lit(&h, " · ");
	part_link(&h, msg_text(cx->lang, M_RK_ANALYSES), "/o/%s/risk-analyses", cx->org->slug);
	h_lit(&h, " · ");
	part_link(&h, msg_text(cx->lang, M_RK_MODEL), "/o/%s/risk-model", cx->org->slug);
	h_lit(&h, "</p>");
	page_end(q, resp, &h);
}

/* ---- an analysis's page ---- */

void analysis_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *notice = req_param(q, "notice");
	struct risk_model m;
	struct db_error err;

	if (risk_model_get(cx, &m, &err) != 0) {
		req_fail(q, "the risk model", &err);
		return;
	}
	if (is(notice, "imported"))
		page_notice(h, M_RK_IMPORTED);
	else if (is(notice, "import-none"))
		page_notice(h, M_RK_IMPORT_NONE);
	else if (is(notice, "no-plan"))
		page_notice(h, M_RK_IMPORT_NO_PLAN);
	/* R-7-04: each risk with how it is to be handled */
	part_related(h, &(struct part_related){
		.e = &rk_risks, .ref_field = RK_ANALYSIS,
		.cols = (const int[]){ RK_TITLE, RK_LEVEL, RK_TREATMENT, RK_RES_LEVEL, RK_STATUS,
				       RK_HANDLING, -1 },
		.id = "rk-risks", .heading = M_RK_RISKS, .empty = M_RK_NO_RISKS,
		.add = M_RK_RISK_NEW }, rec);
	if (!rec->archived && rec->v[RA_SYSTEM] && entity_may(cx, e, rec, OP_WRITE)) {
		part_section_begin(h, "rk-threats", M_RK_IMPORT);
		h_lit(h, "<p class=\"hint\">");
		h_msg(h, M_RK_IMPORT_HELP);
		h_lit(h, "</p>");
		part_post_button(h, &(struct part_post){ .label = M_RK_IMPORT },
				 "/o/%s/risk-analyses/%lld/import-threats", cx->org->slug,
				 (long long)rec->id);
		part_section_end(h);
	}
	part_section_begin(h, "rk-heat", M_RK_HEAT);
	heat_pair(q, h, &m, rec->id);
	part_section_end(h);
	part_section_begin(h, "rk-doc", M_RK_DOCUMENT);
	h_lit(h, "<p>");
	part_link(h, msg_text(cx->lang, M_RK_PRINT), "/o/%s/documents/risk-analysis?id=%lld",
		  cx->org->slug, (long long)rec->id);
	h_lit(h, " · ");
	part_link(h, msg_text(cx->lang, M_RK_PDF), "/o/%s/documents/risk-analysis.pdf?id=%lld",
		  cx->org->slug, (long long)rec->id);
	h_lit(h, "</p>");
	part_section_end(h);
}

static void import_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct record rec;
	struct db_error err = { 0 };
	const char *back;
	int n;

	if (entity_get(cx, &rk_analyses, req_id(q), &rec, &err) != 0) {
		respond_error(q, resp, err.code == DBE_NOTFOUND ? 404 : 503);
		return;
	}
	if (rec.archived || !entity_may(cx, &rk_analyses, &rec, OP_WRITE)) {
		respond_error(q, resp, 403);
		return;
	}
	back = arena_printf(cx->a, "/o/%s/risk-analyses/%lld", cx->org->slug, (long long)rec.id);
	if (db_begin(cx->db, &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	n = risk_import_threats(cx, rec.id, &err);
	if (n < 0 || db_commit(cx->db, &err) != 0) {
		db_rollback(cx->db);
		if (err.code == DBE_NOTFOUND || err.code == DBE_CHECK) {
			resp_redirect(q, resp, arena_printf(cx->a, "%s?notice=no-plan#rk-threats",
							    back));
			return;
		}
		log_info("risk import: %s", err.msg);
		respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "%s?notice=%s#rk-risks", back,
					    n ? "imported" : "import-none"));
}

/* ---- the panel on a system's page ---- */

#define PANEL_ROWS 10

static const char sql_system_analyses[] =
	"SELECT id, title, kind, state, review_on FROM risk_analysis"
	" WHERE org_id = $1 AND system_id = $2 AND archived = 0 ORDER BY id DESC LIMIT $3";

/* The system's risk analyses, newest first (an introduction project's
 * initial assessment among them, R-7-03): at most PANEL_ROWS by
 * risk_analysis_system, and a link to make one. */
void risks_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;

	(void)e;
	if (rec->masked || !(cx->org->roles & rk_analyses.roles_read))
		return;
	if (db_exec(cx->db, cx->a, sql_system_analyses,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id), DB_INT(PANEL_ROWS)), &r,
		    &err) != 0) {
		req_fail(q, "the system's risk analyses", &err);
		return;
	}
	part_card_begin(h, "rk-system-panel", M_RK_ANALYSES);
	if (!r.nrows)
		part_empty(h, M_RK_SYSTEM_NONE);
	else {
		part_table_begin(h, M_RK_ANALYSES, NULL);
		part_th(h, M_RK_F_ANALYSIS_TITLE);
		part_th(h, M_RK_F_KIND);
		part_th(h, M_RK_F_STATE);
		part_th(h, M_RK_F_REVIEW_ON);
		part_table_body(h);
		for (size_t i = 0; i < r.nrows; i++) {
			part_tr(h);
			part_th_row_begin(h);
			part_link(h, db_cell(&r, i, 1), "/o/%s/risk-analyses/%s", cx->org->slug,
				  db_cell(&r, i, 0));
			part_th_row_end(h);
			part_td(h, entity_choice_label(cx, &rk_analyses.fields[RA_KIND],
						       db_cell(&r, i, 2)));
			part_td(h, entity_choice_label(cx, &rk_analyses.fields[RA_STATE],
						       db_cell(&r, i, 3)));
			part_td(h, db_cell(&r, i, 4));
			part_tr_end(h);
		}
		part_table_end(h);
	}
	if (entity_may_create(cx, &rk_analyses))
		part_add_link(h, M_RK_ANALYSIS_NEW, "/o/%s/risk-analyses/new?kind=system&system_id=%lld",
			      cx->org->slug, (long long)rec->id);
	part_section_end(h);
}

/* ---- a risk's page ---- */

static void level_badge(struct html *h, const char *v)
{
	int lv = v && v[0] >= '1' && v[0] <= '4' && !v[1] ? v[0] - '0' : 0;

	part_badge(h, risk_level_msg(lv), lv >= 3 ? "critical" : lv == 1 ? "ok" : NULL);
}

/* The levels before and after treatment, where the risk stands, and the
 * conscious decision when it was accepted (or has run out). */
void risk_show_summary(struct req *q, const struct entity *e, const struct record *rec,
		       struct html *h)
{
	const char *st = rec->v[RK_STATUS];

	(void)q;
	h_lit(h, "<p>");
	h_msg(h, M_RK_F_LEVEL);
	h_lit(h, ": ");
	level_badge(h, rec->v[RK_LEVEL]);
	h_lit(h, " · ");
	h_msg(h, M_RK_F_RES_LEVEL);
	h_lit(h, ": ");
	level_badge(h, rec->v[RK_RES_LEVEL]);
	h_lit(h, " · ");
	h_msg(h, M_RK_F_STATUS);
	h_lit(h, ": ");
	part_badge(h, is(st, RISK_ACCEPTED) ? M_RK_RS_ACCEPTED : is(st, RISK_EXPIRED) ?
		   M_RK_RS_EXPIRED : is(st, RISK_TREATING) ? M_RK_RS_TREATING : is(st, RISK_CLOSED) ?
		   M_RK_RS_CLOSED : M_RK_RS_OPEN, is(st, RISK_EXPIRED) ? "critical" :
		   is(st, RISK_ACCEPTED) ? "ok" : NULL);
	h_lit(h, "</p>");
	if (is(st, RISK_EXPIRED)) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\">");
		h_text(h, msg_fill(q->cx.a, msg_text(q->cx.lang, M_RK_EXPIRED_NOTE), "{date}",
				   rec->v[RK_ACCEPTED_UNTIL] ? rec->v[RK_ACCEPTED_UNTIL] : "–"));
		h_lit(h, "</p>");
	}
	(void)e;
}

static const char sql_activities[] =
	"SELECT x.id, x.title, x.status, x.end_on FROM risk_activity l"
	" JOIN activity x ON x.id = l.activity_id"
	" WHERE l.org_id = $1 AND l.risk_id = $2 ORDER BY l.id LIMIT $3";

void risk_show_extra(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *notice = req_param(q, "notice");
	int may_make = !rec->archived && ctx_has_role(cx, ROLES_PLAN_WRITE);
	struct db_rows r;
	struct db_error err;

	(void)e;
	if (db_exec(cx->db, cx->a, sql_activities,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id), DB_INT(ACTION_ROWS)), &r,
		    &err) != 0) {
		req_fail(q, "the risk's activities", &err);
		return;
	}
	part_section_begin_n(h, "rk-actions", M_RK_ACTIONS, (int64_t)r.nrows);
	if (is(notice, "action-missing"))
		page_notice(h, M_RK_ACTION_MISSING);
	else if (is(notice, "action-refused"))
		page_notice(h, M_RK_ACTION_REFUSED);
	else if (is(notice, "action-made"))
		page_notice(h, M_RK_ACTION_MADE);
	if (!r.nrows)
		part_empty(h, M_RK_NO_ACTIONS);
	else {
		part_table_begin(h, M_RK_ACTIONS, NULL);
		part_th(h, M_RK_ACTION_TITLE);
		part_th(h, M_RK_ACTION_STATUS);
		part_th(h, M_RK_ACTION_END);
		part_table_body(h);
		for (size_t i = 0; i < r.nrows; i++) {
			part_tr(h);
			part_th_row_begin(h);
			part_link(h, db_cell(&r, i, 1), "/o/%s/activities/%s", cx->org->slug,
				  db_cell(&r, i, 0));
			part_th_row_end(h);
			part_td(h, entity_choice_label(cx, &ap_activities.fields[AC_STATUS],
						       db_cell(&r, i, 2)));
			part_td(h, db_cell(&r, i, 3));
			part_tr_end(h);
		}
		part_table_end(h);
	}
	if (may_make) {
		h_lit(h, "<form method=\"post\" class=\"record\" action=\"");
		h_url(h, "/o/%s/risks/%lld/action", cx->org->slug, (long long)rec->id);
		h_lit(h, "\">");
		h_csrf(h);
		part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "title",
						    .label = M_RK_ACTION_TITLE,
						    .help = M_RK_ACTION_TITLE_HELP, .required = 1,
						    .max = 200 });
		part_field(h, &(struct part_field){ .type = PI_DATE, .name = "end_on",
						    .label = M_RK_ACTION_END, .required = 1,
						    .value = ctx_date_in(cx, 90) });
		h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
		h_msg(h, M_RK_ACTION_MAKE);
		h_lit(h, "</button></div></form>");
	}
	part_section_end(h);
}

static void action_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *title = req_param(q, "title"), *end = req_param(q, "end_on");
	const char *back;
	struct record rec;
	struct db_error err = { 0 };
	int64_t act;

	if (entity_get(cx, &rk_risks, req_id(q), &rec, &err) != 0) {
		respond_error(q, resp, err.code == DBE_NOTFOUND ? 404 : 503);
		return;
	}
	if (rec.archived) {
		respond_error(q, resp, 403);
		return;
	}
	back = arena_printf(cx->a, "/o/%s/risks/%lld", cx->org->slug, (long long)rec.id);
	if (!title || !*title || !end || strlen(end) != 10) {
		resp_redirect(q, resp, arena_printf(cx->a, "%s?notice=action-missing#rk-actions",
						    back));
		return;
	}
	if (db_begin(cx->db, &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	act = risk_make_activity(cx, rec.id, title, end, &err);
	if (act == 0) {
		db_rollback(cx->db);
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/action-plans/new", cx->org->slug));
		return;
	}
	if (act < 0 || db_commit(cx->db, &err) != 0) {
		db_rollback(cx->db);
		log_info("risk action: %s", err.msg);
		resp_redirect(q, resp, arena_printf(cx->a, "%s?notice=action-refused#rk-actions",
						    back));
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "%s?notice=action-made#rk-actions", back));
}

static const struct param notice_params[] = {
	{ "notice", P_STR, 20 },
	{ NULL, 0, 0 },
};

static const struct param model_params[] = {
	{ "csrf", P_STR, 128 },
	{ "cell_1_1", P_STR, 2 }, { "cell_1_2", P_STR, 2 }, { "cell_1_3", P_STR, 2 },
	{ "cell_1_4", P_STR, 2 }, { "cell_2_1", P_STR, 2 }, { "cell_2_2", P_STR, 2 },
	{ "cell_2_3", P_STR, 2 }, { "cell_2_4", P_STR, 2 }, { "cell_3_1", P_STR, 2 },
	{ "cell_3_2", P_STR, 2 }, { "cell_3_3", P_STR, 2 }, { "cell_3_4", P_STR, 2 },
	{ "cell_4_1", P_STR, 2 }, { "cell_4_2", P_STR, 2 }, { "cell_4_3", P_STR, 2 },
	{ "cell_4_4", P_STR, 2 },
	{ "accept_1", P_STR, 20 }, { "accept_2", P_STR, 20 }, { "accept_3", P_STR, 20 },
	{ "accept_4", P_STR, 20 },
	{ "months_1", P_STR, 4 }, { "months_2", P_STR, 4 }, { "months_3", P_STR, 4 },
	{ "months_4", P_STR, 4 },
	{ NULL, 0, 0 },
};

static const struct param csrf_params[] = {
	{ "csrf", P_STR, 128 },
	{ NULL, 0, 0 },
};

static const struct param action_params[] = {
	{ "csrf", P_STR, 128 },
	{ "title", P_STR, 800 },
	{ "end_on", P_STR, 10 },
	{ NULL, 0, 0 },
};

const struct route risk_routes[] = {
	{ "GET", "/o/{org}/risk-model", model_get, ROLES_STAFF, 0, 0, notice_params, NULL },
	{ "POST", "/o/{org}/risk-model", model_post, ROLES_RISK_KEEP, 0, BODY_FORM, model_params,
	  NULL },
	{ "GET", "/o/{org}/risk-overview", overview_get, ROLES_STAFF, 0, 0, NULL, NULL },
	{ "POST", "/o/{org}/risk-analyses/{id}/import-threats", import_post, ROLES_RISK_WRITE, 0,
	  BODY_FORM, csrf_params, NULL },
	{ "POST", "/o/{org}/risks/{id}/action", action_post, ROLES_PLAN_WRITE, 0, BODY_FORM,
	  action_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
