/* obligation_pages.c - the countdowns of an incident's reporting duties on
 * its page: receiver, kind, deadline in Stockholm time, time left or how
 * late, how much of the time has passed, status and the button that
 * records the report.  A few rows by key (incident_obligation_incident). */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/incidents/deadline.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/obligations.h"
#include "web/html.h"
#include "web/parts.h"
#include "web/router.h"

#define PANEL_ROWS 20

static const char sql_of_incident[] =
	"SELECT o.id, o.title, o.receiver, r.receiver_name, o.kind, o.starts_at, o.due_at,"
	" o.status, o.discharged_at, r.draft FROM incident_obligation o"
	" LEFT JOIN reporting_rule r ON r.id = o.rule_id"
	" WHERE o.incident_id = $1 AND o.archived = 0 ORDER BY o.id LIMIT $2";

/* "31 h 12 min kvar" or "försenad 3 h 5 min" */
static const char *time_left(struct ctx *cx, int64_t due, int *late)
{
	int64_t d = due - cx->now, a = d < 0 ? -d : d;
	const char *s = arena_printf(cx->a, "%lld", (long long)(a / 3600));
	const char *m = arena_printf(cx->a, "%lld", (long long)(a % 3600 / 60));

	*late = d < 0;
	return msg_fill(cx->a, msg_fill(cx->a, msg_text(cx->lang, d < 0 ? M_IO_LATE : M_IO_LEFT),
					"{h}", s), "{m}", m);
}

void obligations_incident_panel(struct req *q, const struct entity *e, const struct record *rec,
				struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;
	int may_write = entity_may(cx, e, rec, OP_WRITE), imy = 0, nis2 = 0;

	if (rec->masked || !entity_may(cx, e, rec, OP_READ))
		return;
	if (db_exec(cx->db, cx->a, sql_of_incident, DB_ARGS(DB_INT(rec->id), DB_INT(PANEL_ROWS)),
		    &r, &err) != 0) {
		req_fail(q, "the incident's obligations", &err);
		return;
	}
	if (!r.nrows)
		return;
	part_card_begin(h, "in-obligations", M_IO_PANEL);
	h_lit(h, "<p>");
	h_msg(h, M_IO_PANEL_INTRO);
	h_lit(h, "</p>");
	part_table_begin(h, M_IO_PANEL, NULL);
	part_th(h, M_IO_F_TITLE);
	part_th(h, M_IO_F_RECEIVER);
	part_th(h, M_IO_F_DUE);
	part_th(h, M_IO_F_LEFT);
	part_th(h, M_IO_F_STATUS);
	part_table_body(h);
	for (size_t i = 0; i < r.nrows; i++) {
		const char *id = db_cell(&r, i, 0), *status = db_cell(&r, i, 7);
		int64_t starts = 0, due = 0, done = 0;
		int has_due = db_cell(&r, i, 6) && clock_parse_moment(db_cell(&r, i, 6), &due) == 0;
		int pending = strcmp(status, OBL_PENDING) == 0;

		if (db_cell(&r, i, 5))
			clock_parse_moment(db_cell(&r, i, 5), &starts);
		if (db_cell(&r, i, 8))
			clock_parse_moment(db_cell(&r, i, 8), &done);
		part_tr(h);
		part_th_row_begin(h);
		h_lit(h, "<a");
		h_href(h, "/o/%s/incident-obligations/%s", cx->org->slug, id);
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 1));
		h_lit(h, "</a> <span class=\"muted\">(");
		h_text(h, entity_choice_label(cx, &in_obligations.fields[OB_KIND], db_cell(&r, i, 4)));
		h_lit(h, ")</span>");
		part_th_row_end(h);
		part_td(h, db_cell(&r, i, 3) ? db_cell(&r, i, 3) : db_cell(&r, i, 2));
		part_td_begin(h);
		if (has_due)
			h_text(h, clock_format_local(cx->a, due));
		else if (db_cell(&r, i, 5))
			h_msg(h, M_IO_WITHOUT_DELAY);
		else
			h_msg(h, M_IO_NOT_STARTED);
		part_td_end(h);
		part_td_begin(h);
		if (pending && has_due) {
			int late;
			const char *left = time_left(cx, due, &late);

			if (late) {
				part_badge(h, M_IO_BADGE_LATE, "critical");
				h_lit(h, " ");
			}
			h_text(h, left);
			h_lit(h, "<br><span class=\"muted\">");
			h_text(h, msg_fill(cx->a, msg_text(cx->lang, M_IO_PERCENT), "{n}",
					   arena_printf(cx->a, "%d",
							deadline_percent(starts, due, cx->now))));
			h_lit(h, "</span>");
		} else if (done) {
			h_text(h, clock_format_local(cx->a, done));
			if (has_due && done > due) {
				h_lit(h, " ");
				part_badge(h, M_IO_BADGE_LATE, "critical");
			}
		}
		part_td_end(h);
		part_td_begin(h);
		h_text(h, entity_choice_label(cx, &in_obligations.fields[OB_STATUS], status));
		if (pending && may_write) {
			h_lit(h, " ");
			part_button_link(h, M_IO_T_DISCHARGE, 1, "/o/%s/incident-obligations/%s/discharge",
					 cx->org->slug, id);
		}
		part_td_end(h);
		part_tr_end(h);
		imy |= db_cell(&r, i, 9) && strcmp(db_cell(&r, i, 9), "imy") == 0;
		nis2 |= db_cell(&r, i, 9) && strcmp(db_cell(&r, i, 9), "nis2") == 0;
	}
	part_table_end(h);
	/* the drafts are the security function's (struct document roles) */
	if (ctx_has_role(cx, ROLES_INCIDENT_DESK) && imy)
		part_add_link(h, M_IO_DRAFT_IMY, "/o/%s/documents/imy-breach-draft?id=%lld",
			      cx->org->slug, (long long)rec->id);
	if (ctx_has_role(cx, ROLES_INCIDENT_DESK) && nis2)
		part_add_link(h, M_IO_DRAFT_NIS2, "/o/%s/documents/nis2-draft?id=%lld",
			      cx->org->slug, (long long)rec->id);
	part_section_end(h);
}

/* ---- the coordinator's overview: the duties to the authorities ---- */

/* Bounded counts on incident_obligation_due (org, status, archived,
 * due_at): the duties not yet met, those past their deadline now, those
 * due within a day. */
static const char sql_pending[] =
	"SELECT count(*) FROM (SELECT 1 FROM incident_obligation WHERE org_id = $1"
	" AND status = 'pending' AND archived = 0 LIMIT $2) x";
static const char sql_due_before[] =
	"SELECT count(*) FROM (SELECT 1 FROM incident_obligation WHERE org_id = $1"
	" AND status = 'pending' AND archived = 0 AND due_at IS NOT NULL AND due_at >= $2"
	" AND due_at < $3 LIMIT $4) x";

int obligation_figures(struct ctx *cx, struct overview_figure *out, int max,
		       struct db_error *err)
{
	struct overview_figure f;
	struct db_val p[4];
	const char *now = clock_format_iso(cx->a, cx->now);
	int n = 0;

	memset(&f, 0, sizeof(f));
	p[0] = DB_INT(cx->org->id);
	if (overview_count(cx, &f, sql_pending, p, 1, err) != 0)
		return -1;
	f.label = M_IO_OV_PENDING;
	f.path = "/incident-obligations?status=pending";
	if (n < max)
		out[n++] = f;
	memset(&f, 0, sizeof(f));
	p[1] = DB_TEXT("0000");
	p[2] = DB_TEXT(now);
	if (overview_count(cx, &f, sql_due_before, p, 3, err) != 0)
		return -1;
	f.label = M_IO_OV_OVERDUE;
	f.path = "/incident-obligations?status=pending";
	f.attention = 1;
	if (n < max)
		out[n++] = f;
	memset(&f, 0, sizeof(f));
	p[1] = DB_TEXT(now);
	p[2] = DB_TEXT(clock_format_iso(cx->a, cx->now + 86400));
	if (overview_count(cx, &f, sql_due_before, p, 3, err) != 0)
		return -1;
	f.label = M_IO_OV_DUE_DAY;
	f.path = "/incident-obligations?status=pending";
	f.attention = 1;
	if (n < max)
		out[n++] = f;
	return n;
}
