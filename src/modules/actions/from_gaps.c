/* from_gaps.c - activities from the gap analysis (R-4-20, R-7-06): the
 * open gaps (assessments whose status in effect is partly or not met),
 * keyset-paged and filtered by area, system and severity, each with a
 * button that makes its activity in one step, and checkboxes to put many
 * in a plan at once (or to link them to an existing activity); and on a
 * gap's own page, the activities that address it.
 *
 * The list pages on measure_assessment_list (org, archived, code_sk, id)
 * with LIMIT; what each row already has is one indexed lookup per row of
 * the page (activity_gap_assessment). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/measures/measures.h"
#include "modules/systems/systems.h"
#include "parse/form.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define GAP_PAGE 50
#define GAPS_AT_ONCE 200

/* One status at a time, each in the order of the index on gaps (migration
 * 0013: org, archived, status in effect, code, id), then merged: a page
 * costs what its rows cost, however few gaps among many assessments. */
#define GAP_COLS \
	"SELECT a.id, a.code, m.title, a.system_id, s.name, a.severity, a.effective_status," \
	" a.code_sk," \
	" (SELECT count(*) FROM activity_gap g JOIN activity x ON x.id = g.activity_id" \
	"  WHERE g.org_id = a.org_id AND g.assessment_id = a.id AND g.archived = 0" \
	"  AND x.archived = 0 AND x.status <> 'cancelled') AS planned" \
	" FROM measure_assessment a JOIN measure m ON m.id = a.measure_id" \
	" LEFT JOIN it_system s ON s.id = a.system_id" \
	" WHERE a.org_id = $1 AND a.archived = 0 AND a.required = 1" \
	" AND ($2 = '' OR a.area = $2) AND ($3 = 0 OR a.system_id = $3)" \
	" AND ($4 = '' OR a.severity = $4)" \
	" AND (a.code_sk > $5 OR (a.code_sk = $5 AND a.id > $6))"
static const char sql_gaps[] =
	"SELECT * FROM (" GAP_COLS " AND a.effective_status = 'partly'"
	" ORDER BY a.code_sk, a.id LIMIT $7) AS partly"
	" UNION ALL SELECT * FROM (" GAP_COLS " AND a.effective_status = 'not_met'"
	" ORDER BY a.code_sk, a.id LIMIT $7) AS not_met"
	" ORDER BY 8, 1 LIMIT $7";

static const char sql_open_plans[] =
	"SELECT id, title, state FROM action_plan WHERE org_id = $1 AND archived = 0"
	" AND state <> 'closed' ORDER BY period_start DESC, id DESC LIMIT 20";

static const char *s_or_empty(const char *s)
{
	return s ? s : "";
}

static void filters(struct req *q, struct html *h, const char *area, int64_t system,
		    const char *severity, int64_t plan, int64_t activity)
{
	const char *sys = system ? arena_printf(q->cx.a, "%lld", (long long)system) : NULL;

	h_lit(h, "<form method=\"get\" class=\"filters\" action=\"");
	h_url(h, "/o/%s/actions/from-gaps", q->cx.org->slug);
	h_lit(h, "\"><fieldset><legend>");
	h_msg(h, M_FILTERS);
	h_lit(h, "</legend>");
	if (plan)
		part_hidden(h, "plan_id", arena_printf(q->cx.a, "%lld", (long long)plan));
	if (activity)
		part_hidden(h, "activity", arena_printf(q->cx.a, "%lld", (long long)activity));
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "area", .label = M_AP_F_AREA,
					    .value = area, .placeholder = M_AP_ALL,
					    .choices = part_choices(h, measure_areas) });
	/* one system's gaps (?system_id=, from a system's pages): kept, and
	 * said; no chooser of every system, whose size would be the
	 * register's */
	if (sys) {
		struct record rec;
		struct db_error err;
		part_hidden(h, "system_id", sys);
		if (entity_get(&q->cx, &sys_systems, system, &rec, &err) == 0) {
			h_lit(h, "<p class=\"ap-only-system\">");
			h_msg(h, M_AP_ONLY_SYSTEM);
			h_lit(h, " <a");
			h_href(h, "/o/%s/systems/%lld", q->cx.org->slug, (long long)system);
			h_lit(h, ">");
			h_text(h, entity_title(&sys_systems, &rec));
			h_lit(h, "</a> · <a");
			h_href(h, "/o/%s/actions/from-gaps", q->cx.org->slug);
			h_lit(h, ">");
			h_msg(h, M_AP_ALL_SYSTEMS);
			h_lit(h, "</a></p>");
		}
	}
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "severity",
					    .label = M_AP_F_SEVERITY, .value = severity,
					    .placeholder = M_AP_ALL,
					    .choices = part_choices(h, measure_severities) });
	h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(h, M_FILTER_APPLY);
	h_lit(h, "</button></div></fieldset></form>");
}

/* the plan to add to: the open plans, the one asked for selected */
static void plan_choice(struct req *q, struct html *h, int64_t plan)
{
	struct db_rows r;
	struct db_error err;
	struct part_choice *ch;
	const char *sel = NULL;

	if (db_exec(q->cx.db, q->cx.a, sql_open_plans, DB_ARGS(DB_INT(q->cx.org->id)), &r,
		    &err) != 0) {
		req_fail(q, "open plans", &err);
		return;
	}
	ch = arena_alloc(q->cx.a, (r.nrows + 1) * sizeof(*ch));
	for (size_t i = 0; i < r.nrows; i++) {
		ch[i] = (struct part_choice){ db_cell(&r, i, 0), arena_printf(q->cx.a, "%s (%s)",
			db_cell(&r, i, 1), entity_choice_label(&q->cx, &ap_plans.fields[PF_STATE],
							       db_cell(&r, i, 2))), NULL };
		if (plan && db_cell_i64(&r, i, 0) == plan)
			sel = db_cell(&r, i, 0);
	}
	ch[r.nrows] = (struct part_choice){ NULL, NULL, NULL };
	if (!r.nrows) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\">");
		h_msg(h, M_AP_NO_OPEN_PLAN);
		h_lit(h, " <a");
		h_href(h, "/o/%s/action-plans/new", q->cx.org->slug);
		h_lit(h, ">");
		h_msg(h, M_AP_PLAN_NEW);
		h_lit(h, "</a></p>");
		return;
	}
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "plan_id",
					    .label = M_AP_ADD_TO_PLAN, .help = M_AP_ADD_TO_PLAN_HELP,
					    .value = sel, .choices = ch });
}

static void gaps_page(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *area = req_param(q, "area"), *severity = req_param(q, "severity");
	int64_t system = req_int(q, "system_id", 0, INT64_MAX, 0);
	int64_t plan = req_int(q, "plan_id", 0, INT64_MAX, 0);
	int64_t activity = req_int(q, "activity", 0, INT64_MAX, 0);
	const char *after = req_param(q, "after_k");
	int64_t after_id = req_int(q, "after_id", 0, INT64_MAX, 0);
	struct record act;
	struct db_rows r;
	struct db_error err;
	struct html h;
	size_t n;

	if (activity && entity_get(cx, &ap_activities, activity, &act, &err) != 0) {
		respond_error(q, resp, err.code == DBE_NOTFOUND ? 404 : 503);
		return;
	}
	if (db_exec(cx->db, cx->a, sql_gaps,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(s_or_empty(area)), DB_INT(system),
			    DB_TEXT(s_or_empty(severity)), DB_TEXT(s_or_empty(after)),
			    DB_INT(after_id), DB_INT(GAP_PAGE + 1)), &r, &err) != 0) {
		req_fail(q, "open gaps", &err);
		return;
	}
	n = r.nrows > GAP_PAGE ? GAP_PAGE : r.nrows;
	page_begin(q, resp, &h, M_AP_FROM_GAPS_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_AP_FROM_GAPS_INTRO);
	h_lit(&h, "</p>");
	if (activity) {
		h_lit(&h, "<p class=\"notice\" role=\"note\">");
		h_msg(&h, M_AP_LINK_TO_ACTIVITY);
		h_lit(&h, " <a");
		h_href(&h, "/o/%s/activities/%lld", cx->org->slug, (long long)activity);
		h_lit(&h, ">");
		h_text(&h, entity_title(&ap_activities, &act));
		h_lit(&h, "</a></p>");
	}
	filters(q, &h, area, system, severity, plan, activity);
	part_section_begin(&h, "ap-gap-list", M_AP_OPEN_GAPS);
	if (!n) {
		part_empty(&h, M_AP_NO_OPEN_GAPS);
		part_section_end(&h);
		page_end(q, resp, &h);
		return;
	}
	h_lit(&h, "<form method=\"post\" action=\"");
	h_url(&h, "/o/%s/actions/from-gaps", cx->org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	if (activity)
		part_hidden(&h, "activity", arena_printf(cx->a, "%lld", (long long)activity));
	else
		plan_choice(q, &h, plan);
	part_table_begin(&h, M_AP_OPEN_GAPS, NULL);
	part_th(&h, M_AP_F_CHOOSE);
	part_th(&h, M_AP_F_GAP);
	part_th(&h, M_AP_F_SYSTEM);
	part_th(&h, M_AP_F_SEVERITY);
	part_th(&h, M_AP_F_GAP_STATUS);
	part_th(&h, M_AP_F_PLANNED);
	part_th(&h, M_AP_F_ACTION);
	part_table_body(&h);
	for (size_t i = 0; i < n; i++) {
		const char *id = db_cell(&r, i, 0);
		const char *what = arena_printf(cx->a, "%s %s", db_cell(&r, i, 1), db_cell(&r, i, 2));
		const char *where = db_cell(&r, i, 4) ? db_cell(&r, i, 4) :
				    msg_text(cx->lang, M_AP_WHOLE_ORG);
		int64_t planned = db_cell_i64(&r, i, 8);

		part_tr(&h);
		part_td_begin(&h);
		h_lit(&h, "<input type=\"checkbox\" name=\"gap\"");
		h_attr(&h, "value", id);
		h_attr(&h, "id", arena_printf(cx->a, "gap-%s", id));
		h_attr(&h, "aria-label", arena_printf(cx->a, "%s %s, %s",
						       msg_text(cx->lang, M_AP_F_CHOOSE), what, where));
		h_lit(&h, ">");
		part_td_end(&h);
		part_th_row_begin(&h);
		h_lit(&h, "<a");
		h_href(&h, "/o/%s/assessments/%s", cx->org->slug, id);
		h_lit(&h, ">");
		h_text(&h, what);
		h_lit(&h, "</a>");
		part_th_row_end(&h);
		part_td(&h, where);
		part_td(&h, db_cell(&r, i, 5) ? entity_choice_label(cx,
			&ms_assessments.fields[AF_SEVERITY], db_cell(&r, i, 5)) : NULL);
		part_td(&h, entity_choice_label(cx, &ms_assessments.fields[AF_EFFECTIVE],
						db_cell(&r, i, 6)));
		part_td_begin(&h);
		if (planned)
			h_msg_n(&h, M_AP_N_PLANNED_FOR, planned);
		else
			h_msg(&h, M_NO);
		part_td_end(&h);
		part_td_begin(&h);
		h_lit(&h, "<button type=\"submit\" class=\"link\" name=\"one\"");
		h_attr(&h, "value", id);
		h_attr(&h, "aria-label", arena_printf(cx->a, "%s: %s, %s",
			msg_text(cx->lang, activity ? M_AP_LINK_ONE : M_AP_REMEDY_ONE), what, where));
		h_lit(&h, ">");
		h_msg(&h, activity ? M_AP_LINK_ONE : M_AP_REMEDY_ONE);
		h_lit(&h, "</button>");
		part_td_end(&h);
		part_tr_end(&h);
	}
	part_table_end(&h);
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\" name=\"many\""
		  " value=\"1\">");
	h_msg(&h, activity ? M_AP_LINK_CHOSEN : M_AP_ADD_CHOSEN);
	h_lit(&h, "</button></div></form>");
	if (r.nrows > GAP_PAGE) {
		struct buf b = BUF_INIT;
		const char *k = db_cell(&r, n - 1, 7);
		url_encode(&b, k ? k : "");
		part_button_link(&h, M_NEXT_PAGE, 0,
				 "/o/%s/actions/from-gaps?area=%s&system_id=%lld&severity=%s"
				 "&plan_id=%lld&activity=%lld&after_k=%s&after_id=%s",
				 cx->org->slug, s_or_empty(area), (long long)system,
				 s_or_empty(severity), (long long)plan, (long long)activity,
				 arena_strdup(cx->a, b.p ? b.p : ""), db_cell(&r, n - 1, 0));
		buf_release(&b);
	}
	part_section_end(&h);
	page_end(q, resp, &h);
}

static const char sql_in_plan[] =
	"SELECT g.id FROM activity_gap g JOIN activity x ON x.id = g.activity_id"
	" WHERE g.org_id = $1 AND g.assessment_id = $2 AND g.archived = 0 AND x.archived = 0"
	" AND x.plan_id = $3 AND x.status <> 'cancelled' LIMIT 1";
static const char sql_linked[] =
	"SELECT id FROM activity_gap WHERE org_id = $1 AND assessment_id = $2"
	" AND activity_id = $3 AND archived = 0 LIMIT 1";

/* POST: one gap ("one") or the ones checked ("gap") made into activities
 * of the plan, or linked to the activity; gaps already addressed there
 * are skipped and counted. */
static void gaps_action(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *ids[GAPS_AT_ONCE];
	const char *one = req_param(q, "one");
	int64_t plan = req_int(q, "plan_id", 0, INT64_MAX, 0);
	int64_t activity = req_int(q, "activity", 0, INT64_MAX, 0);
	int64_t last = 0;
	size_t n, made = 0, skipped = 0;
	struct db_error err = { 0 };

	n = one ? (ids[0] = one, 1) : form_get_all(&q->body_form, "gap", ids, GAPS_AT_ONCE);
	if (!activity && !plan) {
		if ((plan = plan_open_default(cx, &err)) < 0) {
			respond_error(q, resp, 503);
			return;
		}
		if (!plan) {
			resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/action-plans/new",
							    cx->org->slug));
			return;
		}
	}
	if (!n) {
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/actions/from-gaps?plan_id=%lld"
						    "&activity=%lld", cx->org->slug,
						    (long long)plan, (long long)activity));
		return;
	}
	if (db_begin(cx->db, &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int64_t gap = 0;
		struct db_rows r;

		if (parse_i64(ids[i], &gap) != 0 || gap <= 0) {
			err.code = DBE_NOTFOUND;
			goto fail;
		}
		if (db_exec(cx->db, cx->a, activity ? sql_linked : sql_in_plan,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(gap),
				    DB_INT(activity ? activity : plan)), &r, &err) != 0)
			goto fail;
		if (r.nrows) {
			skipped++;
			continue;
		}
		if (!(last = activity_from_gap(cx, gap, plan, activity, &err)))
			goto fail;
		made++;
	}
	if (db_commit(cx->db, &err) != 0)
		goto fail;
	if (activity)
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/activities/%lld?saved=1",
						    cx->org->slug, (long long)activity));
	else if (made == 1 && one)
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/activities/%lld?created=1",
						    cx->org->slug, (long long)last));
	else
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/action-plans/%lld?added=%zu"
						    "&skipped=%zu", cx->org->slug, (long long)plan,
						    made, skipped));
	return;
fail:
	db_rollback(cx->db);
	log_info("activities from gaps: %s", err.msg);
	respond_error(q, resp, err.code == DBE_DENIED ? 403 : err.code == DBE_NOTFOUND ? 404 :
		      err.code == DBE_BUSY ? 503 : 422);
}

static const struct param page_params[] = {
	{ "area", P_STR, 40 },
	{ "system_id", P_INT, INT64_MAX },
	{ "severity", P_STR, 40 },
	{ "plan_id", P_INT, INT64_MAX },
	{ "activity", P_INT, INT64_MAX },
	{ "after_k", P_STR, 200 },
	{ "after_id", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

static const struct param post_params[] = {
	{ "csrf", P_STR, 128 },
	{ "plan_id", P_INT, INT64_MAX },
	{ "activity", P_INT, INT64_MAX },
	{ "one", P_STR, 20 },
	{ "many", P_STR, 4 },
	{ "gap", P_STR, 20 },
	{ NULL, 0, 0 },
};

const struct route from_gaps_routes[] = {
	{ "GET", "/o/{org}/actions/from-gaps", gaps_page, ROLES_STAFF, 0, 0, page_params, NULL },
	{ "POST", "/o/{org}/actions/from-gaps", gaps_action, ROLES_STAFF, 0, BODY_FORM,
	  post_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

/* ---- on a gap's page: the activities that address it ---- */

static const char sql_for_gap[] =
	"SELECT x.id, x.title, x.status, x.end_on, p.id, p.title"
	" FROM activity_gap g JOIN activity x ON x.id = g.activity_id"
	" JOIN action_plan p ON p.id = x.plan_id"
	" WHERE g.org_id = $1 AND g.assessment_id = $2 AND g.archived = 0 AND x.archived = 0"
	" ORDER BY x.id DESC LIMIT 10";

void actions_assessment_panel(struct req *q, const struct entity *e, const struct record *rec,
			      struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *st = rec->v[AF_EFFECTIVE];
	int gap = st && (strcmp(st, ST_PARTLY) == 0 || strcmp(st, ST_NOT_MET) == 0);
	struct db_rows r;
	struct db_error err;

	(void)e;
	if (rec->masked)
		return;
	if (db_exec(cx->db, cx->a, sql_for_gap, DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id)), &r,
		    &err) != 0) {
		req_fail(q, "activities of the gap", &err);
		return;
	}
	if (!r.nrows && !gap)
		return;
	part_card_begin(h, "ap-panel", M_AP_PANEL);
	for (size_t i = 0; i < r.nrows; i++) {
		h_lit(h, "<p>");
		h_msg(h, M_AP_PLANNED_ACTIVITY);
		h_lit(h, " <a");
		h_href(h, "/o/%s/activities/%s", cx->org->slug, db_cell(&r, i, 0));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 1));
		h_lit(h, "</a> (");
		h_text(h, entity_choice_label(cx, &ap_activities.fields[AC_STATUS], db_cell(&r, i, 2)));
		if (db_cell(&r, i, 3)) {
			h_lit(h, ", ");
			h_msg(h, M_AP_F_END);
			h_lit(h, " ");
			h_text(h, db_cell(&r, i, 3));
		}
		h_lit(h, "), ");
		h_lit(h, "<a");
		h_href(h, "/o/%s/action-plans/%s", cx->org->slug, db_cell(&r, i, 4));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 5));
		h_lit(h, "</a></p>");
	}
	if (!r.nrows)
		part_empty(h, M_AP_NOT_PLANNED);
	if (gap && !rec->archived && entity_may_create(cx, &ap_activities)) {
		const struct part_hidden one[] = {
			{ "one", arena_printf(cx->a, "%lld", (long long)rec->id) }, { NULL, NULL },
		};
		part_post_button(h, &(struct part_post){ .label = M_AP_REMEDY_IN_PLAN,
							 .cls = r.nrows ? NULL : "primary",
							 .hidden = one },
				 "/o/%s/actions/from-gaps", cx->org->slug);
	}
	part_section_end(h);
}
