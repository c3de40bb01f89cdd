/* my_reports.c - "Mina rapporter": a person's own reports and where each
 * stands, in plain words (R-8-01); and the reporter's view of one report,
 * shared with the intake link's private status page: what was reported,
 * the state, the not-incident reason and the timeline entries meant for
 * the reporter (incident_event.internal = 0: the report and each state
 * change) - never the assessment, the handler's notes or anything else
 * internal.  The reporter reads their own rows by reporter_id, not
 * through the engine's grants: a report is theirs, its handling is not.
 *
 * Costs: the list is keyset-paged on (reported_at, id) by incident_reporter
 * (org_id, reporter_id, reported_at, id), MINE_PAGE rows, each row's last
 * change one look-up by incident_event_incident; a report's page its row
 * by key and at most VIEW_EVENTS timeline entries. */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/report.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define MINE_PAGE 30
#define VIEW_EVENTS 100

static int64_t moment(const char *v)
{
	int64_t t = 0;

	return v && clock_parse_moment(v, &t) == 0 ? t : 0;
}

static const char *local(struct ctx *cx, const char *iso)
{
	int64_t t = moment(iso);

	return t ? clock_format_local(cx->a, t) : NULL;
}

static const char *state_label(struct ctx *cx, const char *state)
{
	return entity_choice_label(cx, &in_incidents.fields[IN_STATE], state);
}

static const char *category_label(struct ctx *cx, const char *cat)
{
	return entity_choice_label(cx, &in_incidents.fields[IN_CATEGORY], cat);
}

/* ---- one report, as its reporter sees it ---- */

static const char sql_reporter_events[] =
	"SELECT at, kind, to_state FROM incident_event"
	" WHERE incident_id = $1 AND org_id = $2 AND internal = 0 ORDER BY at, id LIMIT $3";

void report_view(struct req *q, struct html *h, const struct db_rows *r)
{
	struct ctx *cx = &q->cx;
	const char *state = db_cell(r, 0, 4);
	struct db_rows ev;
	struct db_error err;
	int help;

	if (db_exec(cx->db, cx->a, sql_reporter_events,
		    DB_ARGS(DB_INT(db_cell_i64(r, 0, 0)), DB_INT(db_cell_i64(r, 0, 8)),
			    DB_INT(VIEW_EVENTS)), &ev, &err) != 0) {
		req_fail(q, "the report's history", &err);
		return;
	}
	if (!strcmp(state, INC_REPORTED))
		help = M_IR_STATE_HELP_REPORTED;
	else if (!strcmp(state, INC_CLOSED) || !strcmp(state, INC_NOT_INCIDENT))
		help = M_IR_STATE_HELP_DONE;
	else
		help = M_IR_STATE_HELP_OPEN;
	part_card_begin(h, "ir-state", M_IN_STATUS);
	part_dl_begin(h);
	part_dl_item(h, M_IR_RECEIPT_NUMBER, db_cell(r, 0, 1));
	part_dl_item_begin(h, M_IR_COL_STATE);
	h_lit(h, "<strong>");
	h_text(h, state_label(cx, state));
	h_lit(h, "</strong> ");
	h_msg(h, help);
	part_dl_item_end(h);
	part_dl_item(h, M_IN_F_TITLE, db_cell(r, 0, 2));
	part_dl_item(h, M_IR_COL_CATEGORY, category_label(cx, db_cell(r, 0, 3)));
	part_dl_item(h, M_IR_COL_REPORTED, local(cx, db_cell(r, 0, 5)));
	if (db_cell(r, 0, 7))
		part_dl_item(h, M_IN_F_LOCATION, db_cell(r, 0, 7));
	if (!strcmp(state, INC_NOT_INCIDENT) && db_cell(r, 0, 6))
		part_dl_item(h, M_IR_NOT_REASON, db_cell(r, 0, 6));
	part_dl_end(h);
	part_section_end(h);
	part_section_begin(h, "ir-history", M_IR_STATUS_HISTORY);
	h_lit(h, "<ol class=\"ir-history\">");
	for (size_t i = 0; i < ev.nrows; i++) {
		const char *kind = db_cell(&ev, i, 1), *to = db_cell(&ev, i, 2);
		h_lit(h, "<li><time>");
		h_text(h, clock_format_local(cx->a, db_cell_i64(&ev, i, 0)));
		h_lit(h, "</time> ");
		if (!strcmp(kind, "reported") || !to)
			h_msg(h, M_IR_EV_REPORTED);
		else
			h_text(h, msg_fill(cx->a, msg_text(cx->lang, M_IR_EV_STATE), "{state}",
					   state_label(cx, to)));
		h_lit(h, "</li>");
	}
	h_lit(h, "</ol>");
	part_section_end(h);
}

static const char sql_mine_one[] =
	"SELECT " REPORT_VIEW_COLS " FROM incident i"
	" WHERE i.id = $1 AND i.org_id = $2 AND i.reporter_id = $3 AND i.archived = 0";

/* GET /o/{org}/my-reports/{id} */
static void mine_one(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;
	struct html h;

	if (cx->org->person_id <= 0) {
		respond_error(q, resp, 404);
		return;
	}
	if (db_exec(cx->db, cx->a, sql_mine_one,
		    DB_ARGS(DB_INT(req_id(q)), DB_INT(cx->org->id), DB_INT(cx->org->person_id)),
		    &r, &err) != 0) {
		req_fail(q, "the report", &err);
		return;
	}
	if (r.nrows != 1) {
		respond_error(q, resp, 404);
		return;
	}
	page_begin_text(q, resp, &h, msg_fill(cx->a, msg_text(cx->lang, M_IR_STATUS_TITLE),
					      "{receipt}", db_cell(&r, 0, 1)));
	report_view(q, &h, &r);
	h_lit(&h, "<p><a");
	h_href(&h, "/o/%s/my-reports", cx->org->slug);
	h_lit(&h, ">");
	h_msg(&h, M_IR_MINE_TITLE);
	h_lit(&h, "</a></p>");
	page_end(q, resp, &h);
}

/* ---- the list ---- */

static const char sql_mine[] =
	"SELECT i.id, i.receipt, i.title, i.category, i.state, i.reported_at,"
	" (SELECT max(e.at) FROM incident_event e WHERE e.incident_id = i.id AND e.internal = 0)"
	" FROM incident i WHERE i.org_id = $1 AND i.reporter_id = $2 AND i.archived = 0"
	" AND (i.reported_at < $3 OR (i.reported_at = $3 AND i.id < $4))"
	" ORDER BY i.reported_at DESC, i.id DESC LIMIT $5";

/* GET /o/{org}/my-reports: newest first */
static void mine_list(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *before = req_param(q, "before_at");
	int64_t before_id = req_int(q, "before_id", 0, INT64_MAX, INT64_MAX);
	struct db_rows r;
	struct db_error err;
	struct html h;
	size_t n;

	if (cx->org->person_id > 0 &&
	    db_exec(cx->db, cx->a, sql_mine,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(cx->org->person_id),
			    DB_TEXT(before ? before : "9999"), DB_INT(before_id),
			    DB_INT(MINE_PAGE + 1)), &r, &err) != 0) {
		req_fail(q, "the person's reports", &err);
		return;
	}
	if (cx->org->person_id <= 0)
		memset(&r, 0, sizeof(r));
	n = r.nrows > MINE_PAGE ? MINE_PAGE : r.nrows;
	page_begin(q, resp, &h, M_IR_MINE_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_IR_MINE_INTRO);
	h_lit(&h, "</p>");
	part_button_link(&h, M_IR_MENU, 1, "/o/%s/report", cx->org->slug);
	if (!n) {
		part_empty(&h, M_IR_MINE_EMPTY);
	} else {
		part_table_begin(&h, M_IR_MINE_TITLE, NULL);
		part_th(&h, M_IR_RECEIPT_NUMBER);
		part_th(&h, M_IN_F_TITLE);
		part_th(&h, M_IR_COL_CATEGORY);
		part_th(&h, M_IR_COL_STATE);
		part_th(&h, M_IR_COL_REPORTED);
		part_th(&h, M_IR_COL_CHANGED);
		part_table_body(&h);
		for (size_t i = 0; i < n; i++) {
			part_tr(&h);
			part_td(&h, db_cell(&r, i, 1));
			part_th_row_begin(&h);
			h_lit(&h, "<a");
			h_href(&h, "/o/%s/my-reports/%s", cx->org->slug, db_cell(&r, i, 0));
			h_lit(&h, ">");
			h_text(&h, db_cell(&r, i, 2));
			h_lit(&h, "</a>");
			part_th_row_end(&h);
			part_td(&h, category_label(cx, db_cell(&r, i, 3)));
			part_td(&h, state_label(cx, db_cell(&r, i, 4)));
			part_td(&h, local(cx, db_cell(&r, i, 5)));
			part_td(&h, db_cell(&r, i, 6) ?
				clock_format_local(cx->a, db_cell_i64(&r, i, 6)) : NULL);
			part_tr_end(&h);
		}
		part_table_end(&h);
	}
	if (r.nrows > MINE_PAGE)
		part_button_link(&h, M_NEXT_PAGE, 0, "/o/%s/my-reports?before_at=%s&before_id=%s",
				 cx->org->slug, db_cell(&r, n - 1, 5), db_cell(&r, n - 1, 0));
	page_end(q, resp, &h);
}

static const struct param mine_params[] = {
	{ "before_at", P_STR, 40 },
	{ "before_id", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

const struct route incident_mine_routes[] = {
	{ "GET", "/o/{org}/my-reports", mine_list, ROLES_ANY, 0, 0, mine_params, NULL },
	{ "GET", "/o/{org}/my-reports/{id}", mine_one, ROLES_ANY, 0, 0, NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
