/* demo_scale.c - ten years of incidents at scale (core/scale.h).
 *
 * The demo's year of incidents (demo.c, made through the engine: every
 * transition, the timeline, the grants, the summaries) is the pattern:
 * each generated incident is one of them - its category, texts, the
 * assessment and the severity the engine computed, how far its handling
 * came and how long each step took - moved to its own moment in the last
 * s->years years (more in the recent ones), reported by one of the
 * organisation's people in their unit, handled by one of its handlers,
 * about one of its systems when the pattern had one, with its own
 * receipt.  Old incidents are closed, recent ones still open: a pattern
 * whose handling would reach past now is not used for a recent moment.
 *
 * The rows are written with prepared statements in batches of
 * SCALE_BATCH incidents, with what the engine would have written: the
 * moments shifted as one, the receipt from the organisation's sequence,
 * the search text and the compilation's month recomputed, the timeline's
 * entries, the grants of incidents.c (handler, data protection officers,
 * the system's owner and manager), the system link, and an audit event
 * for the report and for each step, dated when it happened.  The
 * summaries (incident_month_stat) follow by their triggers; SQLite's
 * full-text queue by its triggers too (indexed at the end of the run). */
#include "base/base.h"

#include <math.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/scale.h"
#include "db/db.h"
#include "modules/incidents/compilation.h"
#include "modules/incidents/incidents.h"

/* The columns copied, in the order of both statements below. */
enum col {
	C_RECEIPT, C_TITLE, C_TITLE_SK, C_CATEGORY, C_DESCRIPTION, C_OCCURRED, C_AWARE,
	C_REPORTED, C_LOCATION, C_UNIT, C_SYSTEM, C_INFORMATION, C_PERSONAL, C_REPORTER,
	C_REPORTER_NAME, C_REPORTER_CONTACT, C_CHANNEL, C_REGISTERED_BY, C_STATE, C_HANDLER,
	C_CONSEQUENCE, C_HARM_C, C_HARM_I, C_HARM_A, C_SPREAD, C_URGENCY, C_SEVERITY,
	C_SEVERITY_WHY, C_CLASS_LEVEL, C_TAXONOMY, C_DUTY_PERSONAL, C_DUTY_HIGH_RISK,
	C_DUTY_NIS2, C_DUTY_SAPO, C_DUTY_CARE, C_DUTY_CRIME, C_DUTY_REASONING, C_REMEDIATION,
	C_ROOT_GROUP, C_ROOT_CAUSE, C_LESSONS, C_NOT_INCIDENT, C_RECEIVED_AT, C_ASSESSED_AT,
	C_RESTORED_AT, C_CLOSED_AT, C_ESCALATED, C_ESCALATED_AT, C_ESCALATED_BY,
	C_ESCALATED_TO, C_SEARCH, C_VERSION, C_ARCHIVED, C_CREATED_AT, C_UPDATED_AT,
	C_CREATED_BY, C_UPDATED_BY, C_STAT_MONTH, C_STAT_ASSESS_S, C_STAT_RESTORE_S,
	C_STAT_BREACH, C_STAT_DISRUPT, C__COUNT
};

#define COLUMNS \
	"receipt, title, title_sk, category, description, occurred_at, aware_at," \
	" reported_at, location, unit_id, system_id, information_text, personal_data," \
	" reporter_id, reporter_name, reporter_contact, channel, registered_by, state," \
	" handler_id, consequence, harm_c, harm_i, harm_a, spread, urgency, severity," \
	" severity_why, class_level, taxonomy, duty_personal, duty_high_risk, duty_nis2," \
	" duty_sapo, duty_care, duty_crime, duty_reasoning, remediation, root_cause_group," \
	" root_cause, lessons, not_incident_reason, received_at, assessed_at, restored_at," \
	" closed_at, escalated, escalated_at, escalated_by, escalated_to, search, version," \
	" archived, created_at, updated_at, created_by, updated_by, stat_month," \
	" stat_assess_s, stat_restore_s, stat_breach, stat_disrupt"

/* the patterns: the demo's incidents without reporting duties (whose
 * obligations are their own records), escalations or information links */
static const char sql_patterns[] =
	"SELECT id, " COLUMNS " FROM incident i WHERE org_id = $1 AND archived = 0"
	" AND escalated = 0 AND receipt LIKE 'IN-%'"
	" AND NOT EXISTS (SELECT 1 FROM incident_obligation o WHERE o.incident_id = i.id)"
	" AND NOT EXISTS (SELECT 1 FROM incident_infoset f WHERE f.incident_id = i.id)"
	" ORDER BY id LIMIT 400";
static const char sql_pattern_events[] =
	"SELECT e.incident_id, e.at, e.kind, e.from_state, e.to_state, e.body, e.internal"
	" FROM incident_event e JOIN incident i ON i.id = e.incident_id"
	" WHERE i.org_id = $1 AND i.id <= $2 ORDER BY e.incident_id, e.at, e.id";
static const char sql_insert[] =
	"INSERT INTO incident (org_id, " COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
	" $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25,"
	" $26, $27, $28, $29, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42,"
	" $43, $44, $45, $46, $47, $48, $49, $50, $51, $52, $53, $54, $55, $56, $57, $58, $59,"
	" $60, $61, $62, $63) RETURNING id";
/* the pattern's timeline, moved: one statement for all its entries (a
 * round trip each would be most of the time on PostgreSQL) */
static const char sql_events[] =
	"INSERT INTO incident_event (org_id, incident_id, at, kind, from_state, to_state, body,"
	" person_id, actor, internal)"
	" SELECT $1, $2, at + $3, kind, from_state, to_state,"
	" CASE WHEN kind IN ('assigned', 'handover') AND $4 <> '' THEN $4 ELSE body END,"
	" NULL, $5, internal FROM incident_event WHERE incident_id = $6 ORDER BY at, id";
static const char sql_grant[] =
	"INSERT INTO incident_grant (org_id, record_id, person_id, why, may_write)"
	" VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
static const char sql_link[] =
	"INSERT INTO incident_system (org_id, incident_id, system_id, search, created_at,"
	" updated_at) VALUES ($1, $2, $3, '', $4, $4) RETURNING id";
static const char sql_setting_ensure[] =
	"INSERT INTO incident_setting (org_id, updated_at) VALUES ($1, $2)"
	" ON CONFLICT (org_id) DO NOTHING";
static const char sql_seq[] =
	"SELECT receipt_seq FROM incident_setting WHERE org_id = $1";
static const char sql_seq_set[] =
	"UPDATE incident_setting SET receipt_seq = $2 WHERE org_id = $1";
static const char sql_exempelstad[] =
	"SELECT id FROM organisation WHERE slug = 'exempelstad'";
static const char sql_people[] =
	"SELECT id, unit_id FROM person WHERE org_id = $1 AND archived = 0"
	" AND employment <> 'ended' AND unit_id IS NOT NULL ORDER BY id";
static const char sql_handlers[] =
	"SELECT DISTINCT p.id, p.name FROM person p JOIN role_assignment r ON r.person_id = p.id"
	" AND r.org_id = p.org_id AND r.archived = 0"
	" AND r.role IN ('samordnare', 'systemforvaltare', 'it_chef')"
	" WHERE p.org_id = $1 AND p.archived = 0 AND p.protected_identity = 0 ORDER BY p.id";
static const char sql_dpos[] =
	"SELECT DISTINCT person_id FROM role_assignment WHERE org_id = $1"
	" AND role = 'dataskyddsombud' AND archived = 0 ORDER BY person_id";
static const char sql_systems[] =
	"SELECT s.id, s.owner_id, s.level_max,"
	" (SELECT min(sp.person_id) FROM system_person sp WHERE sp.system_id = s.id"
	"  AND sp.org_id = s.org_id AND sp.archived = 0 AND sp.role = 'manager')"
	" FROM it_system s WHERE s.org_id = $1 AND s.archived = 0 ORDER BY s.id";

/* which columns hold integers, moments (shifted), seconds (shifted) */
static int is_int(int c)
{
	switch (c) {
	case C_UNIT: case C_SYSTEM: case C_REPORTER: case C_REGISTERED_BY: case C_HANDLER:
	case C_CONSEQUENCE: case C_HARM_C: case C_HARM_I: case C_HARM_A: case C_SEVERITY:
	case C_CLASS_LEVEL: case C_DUTY_PERSONAL: case C_DUTY_HIGH_RISK: case C_DUTY_NIS2:
	case C_DUTY_SAPO: case C_DUTY_CARE: case C_DUTY_CRIME: case C_ESCALATED:
	case C_ESCALATED_BY: case C_VERSION: case C_ARCHIVED: case C_CREATED_AT:
	case C_UPDATED_AT: case C_CREATED_BY: case C_UPDATED_BY: case C_STAT_ASSESS_S:
	case C_STAT_RESTORE_S: case C_STAT_BREACH: case C_STAT_DISRUPT:
		return 1;
	default:
		return 0;
	}
}

static int is_moment(int c)
{
	return c == C_OCCURRED || c == C_AWARE || c == C_REPORTED || c == C_RECEIVED_AT ||
	       c == C_ASSESSED_AT || c == C_RESTORED_AT || c == C_CLOSED_AT ||
	       c == C_ESCALATED_AT;
}

struct ev {
	int64_t at;
	const char *kind, *from, *to, *body;
	int internal;
};

struct pattern {
	int64_t id;
	const char *v[C__COUNT];
	int64_t reported, span;  /* the report, and how long its handling took */
	struct ev *ev;
	size_t nev;
	int final;               /* closed or not an incident */
};

struct sys {
	int64_t id, owner, manager;
	int level;
};

struct in_gen {
	struct ctx *cx;
	const struct demo_scale *s;
	struct scale_rng r;
	struct pattern *p;
	size_t np;
	int64_t *person, *person_unit;
	size_t npeople;
	int64_t *handler;
	const char **handler_name;
	size_t nhandlers;
	int64_t *dpo;
	size_t ndpo;
	struct sys *sys;
	size_t nsys;
	int field[C__COUNT];     /* the register's field of each column, or -1 */
	int64_t seq, made, events, audits;
	struct audit_history ab;
};

static const char *transition_of(const char *to)
{
	static const char *const map[][2] = {
		{ "received", "receive" }, { "assessed", "assess" },
		{ "remediating", "remediate" }, { "restored", "recover" },
		{ "investigated", "investigate" }, { "closed", "close" },
		{ "not_incident", "not-incident" },
	};

	for (size_t i = 0; to && i < ARRAY_SIZE(map); i++)
		if (strcmp(map[i][0], to) == 0)
			return map[i][1];
	return "update";
}

static int64_t moment_of(const char *s)
{
	int64_t t = 0;

	return s && clock_parse_moment(s, &t) == 0 ? t : 0;
}

static int load(struct in_gen *g, struct arena *a, struct db_error *err)
{
	struct ctx *cx = g->cx;
	struct db_rows r, e, o;
	int64_t org;
	size_t k = 0;

	if (db_exec(cx->db, a, sql_exempelstad, DB_NOARGS, &o, err) != 0)
		return -1;
	org = o.nrows ? db_cell_i64(&o, 0, 0) : cx->org->id;
	if (db_exec(cx->db, a, sql_patterns, DB_ARGS(DB_INT(org)), &r, err) != 0)
		return -1;
	g->np = r.nrows;
	g->p = arena_alloc(a, (r.nrows + 1) * sizeof(*g->p));
	for (size_t i = 0; i < r.nrows; i++) {
		struct pattern *p = &g->p[i];
		p->id = db_cell_i64(&r, i, 0);
		for (int c = 0; c < C__COUNT; c++)
			p->v[c] = db_cell(&r, i, (size_t)c + 1);
		p->reported = moment_of(p->v[C_REPORTED]);
		p->final = strcmp(p->v[C_STATE], "closed") == 0 ||
			   strcmp(p->v[C_STATE], "not_incident") == 0;
	}
	if (!g->np)
		return 0;
	if (db_exec(cx->db, a, sql_pattern_events,
		    DB_ARGS(DB_INT(org), DB_INT(db_cell_i64(&r, r.nrows - 1, 0))), &e, err) != 0)
		return -1;
	/* the events of each pattern, in order (both lists by incident id) */
	for (size_t i = 0; i < g->np; i++) {
		int64_t id = db_cell_i64(&r, i, 0);
		struct pattern *p = &g->p[i];
		size_t from;

		while (k < e.nrows && db_cell_i64(&e, k, 0) < id)
			k++;
		from = k;
		while (k < e.nrows && db_cell_i64(&e, k, 0) == id)
			k++;
		p->nev = k - from;
		p->ev = arena_alloc(a, (p->nev + 1) * sizeof(*p->ev));
		for (size_t j = 0; j < p->nev; j++) {
			struct ev *x = &p->ev[j];
			x->at = db_cell_i64(&e, from + j, 1);
			x->kind = db_cell(&e, from + j, 2);
			x->from = db_cell(&e, from + j, 3);
			x->to = db_cell(&e, from + j, 4);
			x->body = db_cell(&e, from + j, 5);
			x->internal = (int)db_cell_i64(&e, from + j, 6);
			if (x->at - p->reported > p->span)
				p->span = x->at - p->reported;
		}
	}
	if (db_exec(cx->db, a, sql_people, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	g->npeople = r.nrows;
	g->person = arena_alloc(a, (r.nrows + 1) * sizeof(int64_t));
	g->person_unit = arena_alloc(a, (r.nrows + 1) * sizeof(int64_t));
	for (size_t i = 0; i < r.nrows; i++) {
		g->person[i] = db_cell_i64(&r, i, 0);
		g->person_unit[i] = db_cell_i64(&r, i, 1);
	}
	if (db_exec(cx->db, a, sql_handlers, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	g->nhandlers = r.nrows;
	g->handler = arena_alloc(a, (r.nrows + 1) * sizeof(int64_t));
	g->handler_name = arena_alloc(a, (r.nrows + 1) * sizeof(char *));
	for (size_t i = 0; i < r.nrows; i++) {
		g->handler[i] = db_cell_i64(&r, i, 0);
		g->handler_name[i] = db_cell(&r, i, 1);
	}
	if (db_exec(cx->db, a, sql_dpos, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	g->ndpo = r.nrows;
	g->dpo = arena_alloc(a, (r.nrows + 1) * sizeof(int64_t));
	for (size_t i = 0; i < r.nrows; i++)
		g->dpo[i] = db_cell_i64(&r, i, 0);
	if (db_exec(cx->db, a, sql_systems, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	g->nsys = r.nrows;
	g->sys = arena_alloc(a, (r.nrows + 1) * sizeof(*g->sys));
	for (size_t i = 0; i < r.nrows; i++) {
		g->sys[i].id = db_cell_i64(&r, i, 0);
		g->sys[i].owner = db_cell_i64(&r, i, 1);
		g->sys[i].level = (int)db_cell_i64(&r, i, 2);
		g->sys[i].manager = db_cell_i64(&r, i, 3);
	}
	for (int c = 0; c < C__COUNT; c++)
		g->field[c] = -1;
	{
		static const char *const names[C__COUNT] = {
			[C_RECEIPT] = "receipt", [C_TITLE] = "title", [C_CATEGORY] = "category",
			[C_DESCRIPTION] = "description", [C_LOCATION] = "location",
			[C_INFORMATION] = "information_text", [C_PERSONAL] = "personal_data",
			[C_REPORTER_NAME] = "reporter_name", [C_REPORTER_CONTACT] = "reporter_contact",
			[C_REMEDIATION] = "remediation", [C_ROOT_CAUSE] = "root_cause",
			[C_LESSONS] = "lessons", [C_NOT_INCIDENT] = "not_incident_reason",
			[C_DUTY_REASONING] = "duty_reasoning", [C_ESCALATED_TO] = "escalated_to",
			[C_SEVERITY_WHY] = "severity_why", [C_ROOT_GROUP] = "root_cause_group",
		};
		for (int c = 0; c < C__COUNT; c++)
			if (names[c])
				g->field[c] = entity_field_index(&in_incidents, names[c]);
	}
	return 0;
}

/* A pattern that fits: final for an old moment, any for a recent one,
 * never one whose handling would reach past now. */
static const struct pattern *pick(struct in_gen *g, int64_t t)
{
	int64_t room = g->cx->now - t;
	const struct pattern *best = NULL;

	for (int tries = 0; tries < 40; tries++) {
		const struct pattern *p = &g->p[scale_below(&g->r, (uint32_t)g->np)];
		if (p->span >= room)
			continue;
		if (room > 60 * 86400 && !p->final)
			continue;
		return p;
	}
	for (size_t i = 0; i < g->np; i++)
		if (!best || g->p[i].span < best->span)
			best = &g->p[i];
	return best;
}

static const char *shift(struct arena *a, const char *moment, int64_t delta)
{
	int64_t t;

	if (!moment || clock_parse_moment(moment, &t) != 0)
		return moment;
	return clock_format_iso(a, t + delta);
}

static int audit_of(struct in_gen *g, const struct entity *e, const char *action, int64_t id,
		    const char *summary, int64_t at, struct db_error *err)
{
	struct audit_event ev = { 0 };

	audit_from_ctx(g->cx, &ev);
	ev.action = action;
	ev.entity = e->name;
	ev.entity_id = id;
	ev.summary = summary;
	g->audits++;
	return audit_history_add(g->cx->db, g->cx->a, &g->ab, &ev, at, err);
}

static int grant(struct in_gen *g, int64_t id, int64_t person, const char *why, int write,
		 struct db_error *err)
{
	if (!person)
		return 0;
	return db_exec(g->cx->db, g->cx->a, sql_grant,
		       DB_ARGS(DB_INT(g->cx->org->id), DB_INT(id), DB_INT(person), DB_TEXT(why),
			       DB_INT(write)), NULL, err);
}

static int one(struct in_gen *g, int64_t t, struct db_error *err)
{
	struct ctx *cx = g->cx;
	const struct pattern *p = pick(g, t);
	const char *v[C__COUNT], *fv[IN__COUNT] = { 0 };
	struct db_val pv[C__COUNT + 1];
	struct record rec = { .v = fv };
	int64_t delta = t - p->reported, id;
	size_t who = scale_below(&g->r, (uint32_t)g->npeople);
	size_t h = g->nhandlers ? scale_below(&g->r, (uint32_t)g->nhandlers) : 0;
	const struct sys *sys = NULL;
	struct clock_local l;
	struct db_rows r;

	memcpy(v, p->v, sizeof(v));
	for (int c = 0; c < C__COUNT; c++)
		if (is_moment(c))
			v[c] = shift(cx->a, p->v[c], delta);
	clock_to_local(t, &l);
	v[C_RECEIPT] = arena_printf(cx->a, "IN-%04d-%04lld", l.y, (long long)++g->seq);
	v[C_REPORTER] = arena_printf(cx->a, "%lld", (long long)g->person[who]);
	v[C_UNIT] = arena_printf(cx->a, "%lld", (long long)g->person_unit[who]);
	if (p->v[C_HANDLER])
		v[C_HANDLER] = g->nhandlers ? arena_printf(cx->a, "%lld", (long long)g->handler[h]) :
			NULL;
	if (p->v[C_REGISTERED_BY])
		v[C_REGISTERED_BY] = v[C_HANDLER];
	if (p->v[C_SYSTEM] && g->nsys) {
		/* a system of the level the pattern's assessment counted with */
		int want = p->v[C_CLASS_LEVEL] ? atoi(p->v[C_CLASS_LEVEL]) : -1;
		for (int tries = 0; tries < 30 && !sys; tries++) {
			const struct sys *s = &g->sys[scale_below(&g->r, (uint32_t)g->nsys)];
			if (s->level == want || tries == 29)
				sys = s;
		}
		v[C_SYSTEM] = arena_printf(cx->a, "%lld", (long long)sys->id);
	} else {
		v[C_SYSTEM] = NULL;
	}
	v[C_CREATED_AT] = arena_printf(cx->a, "%lld", (long long)(atoll(p->v[C_CREATED_AT]) + delta));
	v[C_UPDATED_AT] = arena_printf(cx->a, "%lld", (long long)(atoll(p->v[C_UPDATED_AT]) + delta));
	v[C_STAT_MONTH] = incident_stat_month(cx->a, v[C_REPORTED]);
	for (int c = 0; c < C__COUNT; c++)
		if (g->field[c] >= 0)
			fv[g->field[c]] = v[c];
	v[C_SEARCH] = entity_search_text(cx->a, &in_incidents, &rec);
	pv[0] = DB_INT(cx->org->id);
	for (int c = 0; c < C__COUNT; c++)
		pv[c + 1] = !v[c] ? DB_NULL : is_int(c) ? DB_INT(atoll(v[c])) : DB_TEXT(v[c]);
	if (db_exec(cx->db, cx->a, sql_insert, pv, C__COUNT + 1, &r, err) != 0)
		return -1;
	id = db_cell_i64(&r, 0, 0);
	if (audit_of(g, &in_incidents, "create", id, v[C_TITLE], t, err) != 0)
		return -1;
	if (db_exec(cx->db, cx->a, sql_events,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(id), DB_INT(delta),
			    DB_TEXT(g->nhandlers ? g->handler_name[h] : ""),
			    DB_TEXT(cx->actor ? cx->actor : "system"), DB_INT(p->id)),
		    NULL, err) != 0)
		return -1;
	for (size_t j = 0; j < p->nev; j++) {
		const struct ev *x = &p->ev[j];

		g->events++;
		/* each step of the handling was a write with its audit event */
		if ((strcmp(x->kind, "status") == 0 || strcmp(x->kind, "assigned") == 0) &&
		    audit_of(g, &in_incidents, strcmp(x->kind, "status") == 0 ?
			     transition_of(x->to) : "update", id, v[C_TITLE], x->at + delta,
			     err) != 0)
			return -1;
	}
	if (v[C_HANDLER] && grant(g, id, atoll(v[C_HANDLER]), "handler", 1, err) != 0)
		return -1;
	if ((strcmp(v[C_PERSONAL], "yes") == 0 || atoi(v[C_DUTY_PERSONAL]) == 1))
		for (size_t d = 0; d < g->ndpo; d++)
			if (grant(g, id, g->dpo[d], "dpo", 0, err) != 0)
				return -1;
	if (sys) {
		if (grant(g, id, sys->owner, "system_owner", 0, err) != 0 ||
		    grant(g, id, sys->manager, "system_manager", 0, err) != 0 ||
		    db_exec(cx->db, cx->a, sql_link,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(id), DB_INT(sys->id),
				    DB_INT(atoll(v[C_CREATED_AT]))), &r, err) != 0 ||
		    audit_of(g, &in_incident_systems, "create", db_cell_i64(&r, 0, 0), v[C_TITLE], t,
			     err) != 0)
			return -1;
	}
	g->made++;
	return 0;
}

/* The moment of the i-th of n incidents, oldest first: working hours on
 * a day in the last `days` days, the recent years denser (three times as
 * many a day now as at the start: more is reported as the work matures).
 * x in [0, 1] from the oldest to now has the density (1 + 2x) / 2, whose
 * distribution (x + x^2) / 2 is inverted for evenly spread u. */
static int64_t moment(struct in_gen *g, int64_t i, int64_t n, int days)
{
	double u = ((double)i + (double)scale_below(&g->r, 1000) / 1000.0) / (double)n;
	double x = (sqrt(1.0 + 8.0 * u) - 1.0) / 2.0;
	int ago = (int)((1.0 - x) * days);
	int64_t t = clock_local_midnight(g->cx->now - (int64_t)ago * 86400, NULL) +
		7 * 3600 + 30 * 60 + (int64_t)scale_below(&g->r, 9 * 60) * 60;

	if (t > g->cx->now - 3600)
		t = g->cx->now - 3600 - (int64_t)scale_below(&g->r, 3600);
	return t;
}

int incidents_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
			 struct db_error *err);
int incidents_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
			 struct db_error *err)
{
	struct arena *outer = cx->a, keep = ARENA_INIT, scratch = ARENA_INIT;
	struct in_gen g;
	struct db_rows r;
	double t0 = scale_clock();
	int64_t n;
	int rc = 0;

	memset(&g, 0, sizeof(g));
	memset(err, 0, sizeof(*err));
	g.cx = cx;
	g.s = s;
	scale_rng_init(&g.r, s->seed, cx->org->id, "incidents");
	if (load(&g, &keep, err) != 0) {
		arena_release(&keep);
		return -1;
	}
	if (!g.np || !g.npeople) {
		arena_release(&keep);
		buf_printf(summary, "  %s: no incidents (no patterns or people)\n", cx->org->slug);
		return 0;
	}
	if (db_exec(cx->db, &keep, sql_setting_ensure,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(cx->now)), NULL, err) != 0 ||
	    db_exec(cx->db, &keep, sql_seq, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0) {
		arena_release(&keep);
		return -1;
	}
	g.seq = db_cell_i64(&r, 0, 0);
	/* the demo's own year counts towards the number */
	n = s->incidents - g.seq;
	cx->a = &scratch;
	for (int64_t i = 0; i < n && rc == 0; i += SCALE_BATCH) {
		if (db_begin(cx->db, err) != 0 || audit_history_begin(cx->db, cx->a, &g.ab, err) != 0) {
			rc = -1;
			break;
		}
		for (int64_t k = i; k < n && k < i + SCALE_BATCH && rc == 0; k++)
			rc = one(&g, moment(&g, k, n, s->years * 365), err);
		if (rc == 0 && (audit_history_end(cx->db, cx->a, &g.ab, err) != 0 ||
				db_exec(cx->db, cx->a, sql_seq_set,
					DB_ARGS(DB_INT(cx->org->id), DB_INT(g.seq)), NULL, err) != 0 ||
				db_commit(cx->db, err) != 0))
			rc = -1;
		arena_release(&scratch);
		scale_progress(s, "incidents", g.made, n);
	}
	if (db_in_transaction(cx->db))
		db_rollback(cx->db);
	cx->a = outer;
	arena_release(&scratch);
	arena_release(&keep);
	if (rc != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "scale incidents of %s: not made",
				 cx->org->slug);
		return -1;
	}
	buf_printf(summary, "  %s: %lld incidents over %d years, %lld timeline entries,"
		   " %lld audit events (%.1f s)\n", cx->org->slug, (long long)g.made, s->years,
		   (long long)g.events, (long long)g.audits, scale_clock() - t0);
	return 0;
}
