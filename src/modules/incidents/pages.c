/* pages.c - handling an incident: its own page (where it stands and what
 * comes next, how serious and why, the timeline with notes, the systems
 * and information it affects with their levels, earlier incidents of the
 * same root cause, the activities its lessons became), the desk's queue of
 * open incidents with the time since each was reported (R-8-15), and the
 * panel on a system's page listing its incidents (R-8-27).
 *
 * Costs: an incident's page reads its own rows (at most TIMELINE_ROWS
 * entries, LINK_ROWS links, RECUR_ROWS earlier incidents by the index
 * incident_cause); the queue is keyset-paged on (reported_at, id) by
 * incident_state per open state; the system's panel reads at most
 * PANEL_ROWS of the system's incidents by incident_system_system and
 * incident_by_system, within the viewer's read scope. */
#include "base/base.h"

#include "base/clock.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/actions/actions.h"
#include "modules/incidents/incidents.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages_entity.h"
#include "web/parts.h"
#include "web/router.h"

#define TIMELINE_ROWS 200
#define LINK_ROWS 50
#define RECUR_ROWS 10
#define RECUR_DAYS 183           /* "the same root cause in six months" */
#define PANEL_ROWS 10
#define QUEUE_PAGE 30            /* <= ENTITY_TITLES_MAX: names in one query */

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static const char *id_text(struct ctx *cx, int64_t id)
{
	return arena_printf(cx->a, "%lld", (long long)id);
}

/* "3 d 4 h", "5 h 12 min", "8 min": how long ago, for the queue. */
static const char *elapsed(struct ctx *cx, int64_t secs)
{
	if (secs < 0)
		secs = 0;
	if (secs >= 86400)
		return msg_fill(cx->a, msg_fill(cx->a, msg_text(cx->lang, M_IN_AGE_DAYS), "{d}",
						id_text(cx, secs / 86400)),
				"{h}", id_text(cx, secs % 86400 / 3600));
	if (secs >= 3600)
		return msg_fill(cx->a, msg_fill(cx->a, msg_text(cx->lang, M_IN_AGE_HOURS), "{h}",
						id_text(cx, secs / 3600)),
				"{m}", id_text(cx, secs % 3600 / 60));
	return msg_fill(cx->a, msg_text(cx->lang, M_IN_AGE_MINUTES), "{m}",
			id_text(cx, secs / 60));
}

static int64_t moment(const char *v)
{
	int64_t t = 0;

	return v && clock_parse_moment(v, &t) == 0 ? t : 0;
}

/* ---- where it stands ---- */

/* What comes next in each state, said to whoever may do it, and the
 * transition that does it. */
static const struct { const char *state; int msg; const char *transition; } steps[] = {
	{ INC_REPORTED, M_IN_NEXT_RECEIVE, "receive" },
	{ INC_RECEIVED, M_IN_NEXT_ASSESS, "assess" },
	{ INC_ASSESSED, M_IN_NEXT_REMEDIATE, "remediate" },
	{ INC_REMEDIATING, M_IN_NEXT_RESTORE, "recover" },
	{ INC_RESTORED, M_IN_NEXT_INVESTIGATE, "investigate" },
	{ INC_INVESTIGATED, M_IN_NEXT_CLOSE, "close" },
};

static int next_step(const char *state, const char **transition)
{
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (is(state, steps[i].state)) {
			*transition = steps[i].transition;
			return steps[i].msg;
		}
	*transition = NULL;
	return 0;
}

/* The incident's transitions where it stands: the next step first, as the
 * page's main action (the engine's own bar below leaves them out). */
static void step_buttons(struct req *q, const struct entity *e, const struct record *rec,
			 const char *next, struct html *h)
{
	const struct entity_transition *t;

	h_lit(h, "<div class=\"actions\">");
	if (next && (t = entity_transition_by_name(e, next)))
		entity_transition_button(q, e, t, rec, 1, h);
	for (t = e->all_transitions; t && t->name; t++)
		if (t->own_button && !(next && is(t->name, next)))
			entity_transition_button(q, e, t, rec, 0, h);
	h_lit(h, "</div>");
}

void incident_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			   struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *next;
	int step = next_step(rec->v[IN_STATE], &next);

	part_card_begin(h, "in-status", M_IN_STATUS);
	part_dl_begin(h);
	part_dl_item(h, M_IN_F_RECEIPT, rec->v[IN_RECEIPT]);
	part_dl_item(h, M_IN_F_STATE, entity_display(cx, e, rec, IN_STATE));
	part_dl_item_begin(h, M_IN_F_SEVERITY);
	if (rec->v[IN_SEVERITY]) {
		int64_t s = 0;
		(void)parse_i64(rec->v[IN_SEVERITY], &s);
		h_lit(h, "<strong class=\"in-severity s");
		h_int(h, s);
		h_lit(h, "\">");
		h_text(h, rec->v[IN_SEVERITY]);
		h_lit(h, " – ");
		h_text(h, incident_severity_term(cx, (int)s));
		h_lit(h, "</strong>");
	} else {
		h_msg(h, M_IN_NOT_ASSESSED);
	}
	part_dl_item_end(h);
	if (rec->v[IN_SEVERITY_WHY])
		part_dl_item(h, M_IN_F_SEVERITY_WHY, rec->v[IN_SEVERITY_WHY]);
	if (rec->v[IN_CLASS_LEVEL])
		part_dl_item(h, M_IN_F_CLASS_LEVEL, rec->v[IN_CLASS_LEVEL]);
	part_dl_item(h, M_IN_F_AWARE, entity_display(cx, e, rec, IN_AWARE));
	part_dl_item(h, M_IN_F_REPORTED, entity_display(cx, e, rec, IN_REPORTED));
	if (rec->v[IN_HANDLER])
		part_dl_item(h, M_IN_F_HANDLER, entity_display(cx, e, rec, IN_HANDLER));
	if (is(rec->v[IN_ESCALATED], "1")) {
		part_dl_item_begin(h, M_IN_F_ESCALATED);
		h_text(h, rec->v[IN_ESCALATED_TO]);
		h_lit(h, ", ");
		h_text(h, entity_display(cx, e, rec, IN_ESCALATED_AT));
		part_dl_item_end(h);
	}
	if (is(rec->v[IN_STATE], INC_NOT_INCIDENT))
		part_dl_item(h, M_IN_F_NOT_REASON, rec->v[IN_NOT_REASON]);
	part_dl_end(h);
	if (step && !rec->archived) {
		h_lit(h, "<p class=\"in-next\"><strong>");
		h_msg(h, M_IN_NEXT);
		h_lit(h, "</strong> ");
		h_msg(h, step);
		h_lit(h, "</p>");
	}
	if (!rec->archived && !rec->masked)
		step_buttons(q, e, rec, next, h);
	part_section_end(h);
}

/* ---- the timeline, and a note added to it ---- */

static const char sql_timeline[] =
	"SELECT at, kind, from_state, to_state, body, actor FROM incident_event"
	" WHERE incident_id = $1 AND org_id = $2 ORDER BY at, id LIMIT $3";

static int event_label(const char *kind)
{
	static const struct { const char *kind; int msg; } k[] = {
		{ "reported", M_IN_EV_REPORTED }, { "status", M_IN_EV_STATUS },
		{ "handover", M_IN_EV_HANDOVER }, { "assigned", M_IN_EV_ASSIGNED }, { "reassessment", M_IN_EV_REASSESSMENT },
		{ "escalation", M_IN_EV_ESCALATION }, { "note", M_IN_EV_NOTE },
		{ "troubleshooting", M_IN_EV_TROUBLESHOOTING }, { "action", M_IN_EV_ACTION },
		{ "obligation", M_IN_EV_OBLIGATION }, { "shared", M_IN_EV_SHARED },
	};
	for (size_t i = 0; kind && i < sizeof(k) / sizeof(k[0]); i++)
		if (strcmp(k[i].kind, kind) == 0)
			return k[i].msg;
	return M_IN_EV_NOTE;
}

static const struct choice note_kinds[] = {
	{ "note", M_IN_EV_NOTE },
	{ "troubleshooting", M_IN_EV_TROUBLESHOOTING },
	{ NULL, 0 },
};

static void note_form(struct req *q, const struct record *rec, struct html *h)
{
	struct ctx *cx = &q->cx;

	h_lit(h, "<form method=\"post\" class=\"record in-note\" action=\"");
	h_url(h, "/o/%s/incidents/%lld/note", cx->org->slug, (long long)rec->id);
	h_lit(h, "\">");
	h_csrf(h);
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "kind",
					    .label = M_IN_NOTE_KIND,
					    .choices = part_choices(h, note_kinds), .value = "note" });
	part_field(h, &(struct part_field){ .type = PI_LONGTEXT, .name = "body",
					    .label = M_IN_NOTE_BODY, .help = M_IN_NOTE_HELP,
					    .required = 1, .max = 4000, .rows = 3 });
	h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(h, M_IN_NOTE_ADD);
	h_lit(h, "</button></div></form>");
}

static void timeline(struct req *q, const struct entity *e, const struct record *rec,
		     int may_write, struct html *h)
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
	h_lit(h, "<p class=\"intro\">");
	h_msg(h, M_IN_TIMELINE_INTRO);
	h_lit(h, "</p>");
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
	if (may_write && !rec->archived)
		note_form(q, rec, h);
	part_section_end(h);
}

/* The incident as the actor may change it, or an answer: 404 when it does
 * not exist for them, 403 when they may read but not work on it. */
static int writable_incident(struct req *q, struct resp *resp, struct record *rec)
{
	struct ctx *cx = &q->cx;
	struct db_error err;

	if (entity_get(cx, &in_incidents, req_id(q), rec, &err) != 0) {
		respond_error(q, resp, err.code == DBE_NOTFOUND ? 404 : 503);
		return -1;
	}
	if (rec->archived || !entity_may(cx, &in_incidents, rec, OP_WRITE)) {
		respond_error(q, resp, 403);
		return -1;
	}
	return 0;
}

static void audit_incident(struct ctx *cx, struct audit_event *ev, const char *action,
			   const struct record *rec)
{
	memset(ev, 0, sizeof(*ev));
	audit_from_ctx(cx, ev);
	ev->action = action;
	ev->entity = in_incidents.name;
	ev->entity_id = rec->id;
	/* the receipt names it; the incident's words stay in it */
	ev->summary = rec->v[IN_RECEIPT];
}

/* POST /o/{org}/incidents/{id}/note: a note or troubleshooting done
 * (R-8-22) appended to the timeline, audited in the same transaction. */
static void note_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *body = req_param(q, "body");
	const char *kind = is(req_param(q, "kind"), "troubleshooting") ? "troubleshooting" : "note";
	struct audit_event ev;
	struct record rec;
	struct db_error err;

	if (writable_incident(q, resp, &rec) != 0)
		return;
	while (body && (*body == ' ' || *body == '\n' || *body == '\r' || *body == '\t'))
		body++;
	if (!body || !*body || !utf8_valid_text(body, strlen(body))) {
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/incidents/%lld?notice=note-empty#in-timeline",
						    cx->org->slug, (long long)rec.id));
		return;
	}
	audit_incident(cx, &ev, kind, &rec);
	if (db_begin(cx->db, &err) != 0 ||
	    incident_event_add(cx, rec.id, kind, NULL, NULL, body, 1, &err) != 0 ||
	    audit_append(cx->db, cx->a, &ev, &err) != 0 || db_commit(cx->db, &err) != 0) {
		db_rollback(cx->db);
		respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/incidents/%lld#in-timeline",
					    cx->org->slug, (long long)rec.id));
}

/* ---- what it affects (R-8-27) ---- */

static const char sql_systems[] =
	"SELECT l.id, s.id, s.name, s.level_k, s.level_r, s.level_t, l.note"
	" FROM incident_system l JOIN it_system s ON s.id = l.system_id"
	" WHERE l.incident_id = $1 AND l.org_id = $2 AND l.archived = 0"
	" ORDER BY s.name_sk, s.id LIMIT $3";
static const char sql_infosets[] =
	"SELECT l.id, f.id, f.name, f.level_k, f.level_r, f.level_t, l.note"
	" FROM incident_infoset l JOIN information_set f ON f.id = l.infoset_id"
	" WHERE l.incident_id = $1 AND l.org_id = $2 AND l.archived = 0"
	" ORDER BY f.name_sk, f.id LIMIT $3";

static void affected_table(struct req *q, const struct record *rec, const char *sql,
			   const char *kind, int heading, int empty, int add, int may_write,
			   struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql,
		    DB_ARGS(DB_INT(rec->id), DB_INT(cx->org->id), DB_INT(LINK_ROWS)), &r,
		    &err) != 0) {
		req_fail(q, "what the incident affects", &err);
		return;
	}
	h_lit(h, "<h3>");
	h_msg(h, heading);
	h_lit(h, "</h3>");
	if (!r.nrows) {
		part_empty(h, empty);
	} else {
		part_table_begin(h, heading, NULL);
		part_th(h, M_IN_F_NAME);
		part_th_abbr(h, M_IN_ABBR_K, M_IN_LEVEL_K);
		part_th_abbr(h, M_IN_ABBR_R, M_IN_LEVEL_R);
		part_th_abbr(h, M_IN_ABBR_T, M_IN_LEVEL_T);
		part_th(h, M_IN_F_LINK_NOTE);
		part_table_body(h);
		for (size_t i = 0; i < r.nrows; i++) {
			part_tr(h);
			part_th_row_begin(h);
			h_lit(h, "<a");
			h_href(h, "/o/%s/%s/%s", cx->org->slug,
			       strcmp(kind, "systems") == 0 ? "systems" : "information",
			       db_cell(&r, i, 1));
			h_lit(h, ">");
			h_text(h, db_cell(&r, i, 2));
			h_lit(h, "</a>");
			part_th_row_end(h);
			for (size_t c = 3; c <= 5; c++) {
				part_td_begin(h);
				part_level(h, 0, db_cell(&r, i, c));
				part_td_end(h);
			}
			part_td(h, db_cell(&r, i, 6));
			part_tr_end(h);
		}
		part_table_end(h);
	}
	if (may_write && !rec->archived)
		part_add_link(h, add, "/o/%s/%s/new?incident_id=%lld", cx->org->slug,
			      strcmp(kind, "systems") == 0 ? in_incident_systems.name
							   : in_incident_infosets.name,
			      (long long)rec->id);
}

static void affected(struct req *q, const struct record *rec, int may_write, struct html *h)
{
	part_section_begin(h, "in-affected", M_IN_AFFECTED);
	h_lit(h, "<p class=\"intro\">");
	h_msg(h, M_IN_AFFECTED_INTRO);
	h_lit(h, "</p>");
	affected_table(q, rec, sql_systems, "systems", M_IN_LINK_SYSTEMS, M_IN_NO_SYSTEMS,
		       M_IN_LINK_SYSTEM_NEW, may_write, h);
	affected_table(q, rec, sql_infosets, "information", M_IN_LINK_INFOSETS, M_IN_NO_INFOSETS,
		       M_IN_LINK_INFOSET_NEW, may_write, h);
	part_section_end(h);
}

/* ---- shared with other incident-handling areas (R-8-20) ---- */

static const char sql_shares[] =
	"SELECT area, contact, reference, note FROM incident_share"
	" WHERE incident_id = $1 AND org_id = $2 AND archived = 0 ORDER BY id LIMIT $3";

static void shares(struct req *q, const struct record *rec, int may_write, struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_shares,
		    DB_ARGS(DB_INT(rec->id), DB_INT(cx->org->id), DB_INT(LINK_ROWS)), &r,
		    &err) != 0) {
		req_fail(q, "whom the incident is shared with", &err);
		return;
	}
	if (!r.nrows && !may_write)
		return;
	part_section_begin(h, "in-shares", M_IN_SH_MANY);
	if (!r.nrows) {
		part_empty(h, M_IN_SH_NONE);
	} else {
		part_table_begin(h, M_IN_SH_MANY, NULL);
		part_th(h, M_IN_SH_AREA);
		part_th(h, M_IN_SH_CONTACT);
		part_th(h, M_IN_SH_REFERENCE);
		part_th(h, M_IN_SH_NOTE);
		part_table_body(h);
		for (size_t i = 0; i < r.nrows; i++) {
			part_tr(h);
			part_td(h, entity_choice_label(cx, &in_shares.fields[1], db_cell(&r, i, 0)));
			part_td(h, db_cell(&r, i, 1));
			part_td(h, db_cell(&r, i, 2));
			part_td(h, db_cell(&r, i, 3));
			part_tr_end(h);
		}
		part_table_end(h);
	}
	if (may_write && !rec->archived)
		part_add_link(h, M_IN_SH_NEW, "/o/%s/%s/new?incident_id=%lld", cx->org->slug,
			      in_shares.name, (long long)rec->id);
	part_section_end(h);
}

/* ---- recurrence: the same root cause within six months ---- */

static const char sql_recurrence[] =
	"SELECT t.id, t.receipt, t.title, t.reported_at FROM incident t"
	" WHERE t.org_id = $1 AND t.root_cause_group = $2 AND t.archived = 0"
	" AND t.reported_at >= $3 AND t.reported_at <= $4 AND t.id <> $5";

static void recurrence(struct req *q, const struct record *rec, struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *group = rec->v[IN_ROOT_GROUP];
	int64_t at = moment(rec->v[IN_REPORTED]);
	struct db_val p[10];
	struct buf b = BUF_INIT;
	struct db_rows r;
	struct db_error err;
	size_t np = 0;
	int rc;

	if (!group || !at)
		return;
	buf_puts(&b, sql_recurrence);
	entity_scope_sql(&in_incidents, &b, 5);
	buf_printf(&b, " ORDER BY t.reported_at DESC, t.id DESC LIMIT %d", RECUR_ROWS);
	p[np++] = DB_INT(cx->org->id);
	p[np++] = DB_TEXT(group);
	p[np++] = DB_TEXT(clock_format_iso(cx->a, at - (int64_t)RECUR_DAYS * 86400));
	p[np++] = DB_TEXT(rec->v[IN_REPORTED]);
	p[np++] = DB_INT(rec->id);
	np = entity_scope_bind(cx, &in_incidents, p, np);
	rc = buf_ok(&b) ? db_exec(cx->db, cx->a, b.p, p, np, &r, &err) : -1;
	buf_release(&b);
	if (rc != 0) {
		req_fail(q, "earlier incidents of the same cause", &err);
		return;
	}
	if (!r.nrows)
		return;
	part_card_begin(h, "in-recurrence", M_IN_RECURRENCE);
	h_lit(h, "<p>");
	/* the list is bounded: at its bound there may be more */
	h_text(h, msg_fill(cx->a, msg_fill(cx->a, msg_text(cx->lang, r.nrows == RECUR_ROWS ?
							   M_IN_RECURRENCE_MANY :
							   M_IN_RECURRENCE_TEXT), "{n}",
					   id_text(cx, (int64_t)r.nrows)),
			   "{cause}", entity_choice_label(cx, &in_incidents.fields[IN_ROOT_GROUP],
							  group)));
	h_lit(h, "</p><ul>");
	for (size_t i = 0; i < r.nrows; i++) {
		h_lit(h, "<li><a");
		h_href(h, "/o/%s/incidents/%s", cx->org->slug, db_cell(&r, i, 0));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 1));
		h_lit(h, " ");
		h_text(h, db_cell(&r, i, 2));
		h_lit(h, "</a> (");
		h_text(h, clock_format_local(cx->a, moment(db_cell(&r, i, 3))));
		h_lit(h, ")</li>");
	}
	h_lit(h, "</ul>");
	part_section_end(h);
}

void incident_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	struct ctx *cx = &q->cx;
	int may_write = entity_may(cx, e, rec, OP_WRITE);
	const char *notice = req_param(q, "notice");

	if (rec->masked)
		return;
	if (is(notice, "note-empty"))
		page_notice(h, M_IN_NOTE_EMPTY);

	recurrence(q, rec, h);
	affected(q, rec, may_write, h);
	shares(q, rec, may_write, h);
	incident_actions_section(q, e, rec, ctx_has_role(cx, ROLES_INCIDENT_DESK) &&
				 !rec->archived && rec->v[IN_LESSONS] != NULL, h);
	timeline(q, e, rec, may_write, h);
}

/* ---- the desk's queue: open incidents, oldest first (R-8-15) ---- */

static const char *const open_states[] = {
	INC_REPORTED, INC_RECEIVED, INC_ASSESSED, INC_REMEDIATING, INC_RESTORED, INC_INVESTIGATED,
};

static const char sql_queue[] =
	"SELECT t.id, t.receipt, t.title, t.state, t.severity, t.handler_id, t.reported_at"
	" FROM incident t WHERE t.org_id = $1 AND t.state = $2 AND t.archived = 0"
	" AND (t.reported_at > $3 OR (t.reported_at = $3 AND t.id > $4))";

static void queue_page(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *state = req_param(q, "state");
	const char *after = req_param(q, "after_at");
	int64_t after_id = req_int(q, "after_id", 0, INT64_MAX, 0);
	int64_t ids[QUEUE_PAGE];
	const char *names[QUEUE_PAGE];
	struct db_val p[10];
	struct buf b = BUF_INIT;
	struct db_rows r;
	struct db_error err;
	struct html h;
	size_t np = 0, n;
	int rc, known = 0;

	for (size_t i = 0; i < sizeof(open_states) / sizeof(open_states[0]); i++)
		if (is(state, open_states[i]))
			known = 1;
	if (!known)
		state = INC_REPORTED;
	/* one state at a time: an index range (incident_state), oldest first */
	buf_puts(&b, sql_queue);
	entity_scope_sql(&in_incidents, &b, 4);
	buf_printf(&b, " ORDER BY t.reported_at, t.id LIMIT %d", QUEUE_PAGE + 1);
	p[np++] = DB_INT(cx->org->id);
	p[np++] = DB_TEXT(state);
	p[np++] = DB_TEXT(after ? after : "");
	p[np++] = DB_INT(after_id);
	np = entity_scope_bind(cx, &in_incidents, p, np);
	rc = buf_ok(&b) ? db_exec(cx->db, cx->a, b.p, p, np, &r, &err) : -1;
	buf_release(&b);
	if (rc != 0) {
		req_fail(q, "the incident queue", &err);
		return;
	}
	n = r.nrows > QUEUE_PAGE ? QUEUE_PAGE : r.nrows;
	for (size_t i = 0; i < n; i++)
		ids[i] = db_cell(&r, i, 5) ? db_cell_i64(&r, i, 5) : 0;
	if (entity_titles(cx, &org_people, ids, n, names, &err) != 0) {
		req_fail(q, "handlers", &err);
		return;
	}
	page_begin(q, resp, &h, M_IN_QUEUE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_IN_QUEUE_INTRO);
	h_lit(&h, "</p><nav class=\"in-states\" aria-label=\"");
	h_msg(&h, M_IN_F_STATE);
	h_lit(&h, "\"><ul>");
	for (size_t i = 0; i < sizeof(open_states) / sizeof(open_states[0]); i++) {
		h_lit(&h, "<li><a");
		h_href(&h, "/o/%s/incident-queue?state=%s", cx->org->slug, open_states[i]);
		if (is(state, open_states[i]))
			h_lit(&h, " aria-current=\"page\"");
		h_lit(&h, ">");
		h_text(&h, entity_choice_label(cx, &in_incidents.fields[IN_STATE], open_states[i]));
		h_lit(&h, "</a></li>");
	}
	h_lit(&h, "</ul></nav>");
	if (!n) {
		part_empty(&h, M_IN_QUEUE_EMPTY);
	} else {
		part_table_begin(&h, M_IN_QUEUE, NULL);
		part_th(&h, M_IN_F_RECEIPT);
		part_th(&h, M_IN_F_TITLE);
		part_th(&h, M_IN_F_SEVERITY);
		part_th(&h, M_IN_F_HANDLER);
		part_th(&h, M_IN_F_REPORTED);
		part_th(&h, M_IN_AGE);
		part_table_body(&h);
		for (size_t i = 0; i < n; i++) {
			int64_t at = moment(db_cell(&r, i, 6));
			part_tr(&h);
			part_td(&h, db_cell(&r, i, 1));
			part_th_row_begin(&h);
			h_lit(&h, "<a");
			h_href(&h, "/o/%s/incidents/%s", cx->org->slug, db_cell(&r, i, 0));
			h_lit(&h, ">");
			h_text(&h, db_cell(&r, i, 2));
			h_lit(&h, "</a>");
			part_th_row_end(&h);
			part_td(&h, db_cell(&r, i, 4) ?
				incident_severity_term(cx, (int)db_cell_i64(&r, i, 4)) : NULL);
			part_td(&h, ids[i] ? names[i] : NULL);
			part_td(&h, clock_format_local(cx->a, at));
			part_td(&h, elapsed(cx, cx->now - at));
			part_tr_end(&h);
		}
		part_table_end(&h);
	}
	if (r.nrows > QUEUE_PAGE)
		part_button_link(&h, M_NEXT_PAGE, 0,
				 "/o/%s/incident-queue?state=%s&after_at=%s&after_id=%s",
				 cx->org->slug, state, db_cell(&r, n - 1, 6), db_cell(&r, n - 1, 0));
	page_end(q, resp, &h);
}

/* ---- a system's page: its incidents (R-8-27) ---- */

/* the system's own incidents, each side by its index (an OR here made
 * every incident of the organisation a candidate) */
static const char sql_system_incidents[] =
	"SELECT t.id, t.receipt, t.title, t.state, t.reported_at FROM incident t"
	" WHERE t.org_id = $1 AND t.archived = 0 AND t.id IN"
	" (SELECT id FROM incident WHERE org_id = $1 AND system_id = $2 AND archived = 0"
	"  UNION SELECT incident_id FROM incident_system WHERE org_id = $1 AND system_id = $2"
	"  AND archived = 0)";

void incidents_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			    struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_val p[8];
	struct buf b = BUF_INIT;
	struct db_rows r;
	struct db_error err;
	size_t np = 0;
	int rc;

	(void)e;
	if (rec->masked || !(cx->org->roles & in_incidents.roles_read))
		return;
	buf_puts(&b, sql_system_incidents);
	entity_scope_sql(&in_incidents, &b, 2);
	buf_printf(&b, " ORDER BY t.reported_at DESC, t.id DESC LIMIT %d", PANEL_ROWS);
	p[np++] = DB_INT(cx->org->id);
	p[np++] = DB_INT(rec->id);
	np = entity_scope_bind(cx, &in_incidents, p, np);
	rc = buf_ok(&b) ? db_exec(cx->db, cx->a, b.p, p, np, &r, &err) : -1;
	buf_release(&b);
	if (rc != 0) {
		req_fail(q, "the system's incidents", &err);
		return;
	}
	if (!r.nrows)
		return;
	part_card_begin(h, "in-system-panel", M_IN_SYSTEM_PANEL);
	part_table_begin(h, M_IN_SYSTEM_PANEL, NULL);
	part_th(h, M_IN_F_RECEIPT);
	part_th(h, M_IN_F_TITLE);
	part_th(h, M_IN_F_STATE);
	part_th(h, M_IN_F_REPORTED);
	part_table_body(h);
	for (size_t i = 0; i < r.nrows; i++) {
		part_tr(h);
		part_td(h, db_cell(&r, i, 1));
		part_th_row_begin(h);
		h_lit(h, "<a");
		h_href(h, "/o/%s/incidents/%s", cx->org->slug, db_cell(&r, i, 0));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 2));
		h_lit(h, "</a>");
		part_th_row_end(h);
		part_td(h, entity_choice_label(cx, &in_incidents.fields[IN_STATE], db_cell(&r, i, 3)));
		part_td(h, clock_format_local(cx->a, moment(db_cell(&r, i, 4))));
		part_tr_end(h);
	}
	part_table_end(h);
	if (r.nrows == PANEL_ROWS)
		part_add_link(h, M_IN_SYSTEM_PANEL_ALL, "/o/%s/incidents?system_id=%lld",
			      cx->org->slug, (long long)rec->id);
	part_section_end(h);
}

static const struct param note_params[] = {
	{ "csrf", P_STR, 128 },
	{ "kind", P_STR, 20 },
	{ "body", P_STR, 16000 },
	{ NULL, 0, 0 },
};

static const struct param queue_params[] = {
	{ "state", P_STR, 20 },
	{ "after_at", P_STR, 30 },
	{ "after_id", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

const struct route incident_page_routes[] = {
	{ "POST", "/o/{org}/incidents/{id}/note", note_post, ROLES_INCIDENT_GATE, 0, BODY_FORM,
	  note_params, NULL },
	{ "GET", "/o/{org}/incident-queue", queue_page, ROLES_INCIDENT_DESK, 0, 0, queue_params,
	  NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
