/* pages_audit.c - the audit trail view and its CSV export (seed 004
 * "Loggning och spårbarhet").  Readers: ROLES_AUDIT_READ.  Shows the
 * organisation's events and the sign-in events of its people, newest first,
 * filtered by action, register, record, actor and date; each change shows
 * its fields before and after. */
#include "base/base.h"

#include <jansson.h>

#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "parse/csv.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"

/* Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Midnight in Stockholm of "YYYY-MM-DD" as Unix time; -1 if malformed. */
static int64_t local_midnight(const char *s)
{
	int y, m, d;
	int64_t t;
	char tail;

	if (!s || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
	    d < 1 || d > 31)
		return -1;
	t = days_from_civil(y, (unsigned)m, (unsigned)d) * 86400;
	/* CET is UTC+1; CEST (UTC+2) from the last Sunday of March to the
	 * last Sunday of October.  Midnight is never inside a switch hour. */
	{
		int64_t mar = days_from_civil(y, 3, 31), oct = days_from_civil(y, 10, 31);
		int64_t day = t / 86400;
		mar -= (mar + 4) % 7; /* back to Sunday (1970-01-01 was a Thursday) */
		oct -= (oct + 4) % 7;
		t -= (day > mar && day <= oct) ? 7200 : 3600;
	}
	return t;
}

/* How each audit action reads in the trail.  Unknown codes (from a newer
 * version) are shown as they are. */
static const struct {
	const char *code;
	int label;
} actions[] = {
	{ "create", M_ACT_CREATE },
	{ "update", M_ACT_UPDATE },
	{ "archive", M_ACT_ARCHIVE },
	{ "restore", M_ACT_RESTORE },
	{ "import", M_ACT_IMPORT },
	{ "signin", M_ACT_SIGNIN },
	{ "signin_failed", M_ACT_SIGNIN_FAILED },
	{ "signout", M_ACT_SIGNOUT },
	{ "denied", M_ACT_DENIED },
	{ "document", M_ACT_DOCUMENT },
	{ "mail_resend", M_ACT_MAIL_RESEND },
	{ "mail_config", M_ACT_MAIL_CONFIG },
	{ "totp_enabled", M_ACT_TOTP_ENABLED },
	{ "totp_failed", M_ACT_TOTP_FAILED },
	{ "password_change", M_ACT_PASSWORD_CHANGE },
	{ "password_reset", M_ACT_PASSWORD_RESET },
	{ "password_set", M_ACT_PASSWORD_SET },
	{ "reset_link", M_ACT_RESET_LINK },
	{ "api_token_create", M_ACT_TOKEN_CREATE },
	{ "token_create", M_ACT_TOKEN_CREATE },
	{ "api_token_revoke", M_ACT_TOKEN_REVOKE },
	{ "link_account", M_ACT_LINK_ACCOUNT },
	{ "log_followup", M_ACT_LOG_FOLLOWUP },
};

const char *audit_action_label(struct req *q, const char *code, const char *entity)
{
	const struct entity *e = entity ? entity_by_name(entity) : NULL;
	int label;

	for (size_t i = 0; code && i < ARRAY_SIZE(actions); i++)
		if (strcmp(actions[i].code, code) == 0)
			return msg_text(q->cx.lang, actions[i].label);
	/* the modules' own actions (module.h) */
	if ((label = module_audit_label(code)))
		return msg_text(q->cx.lang, label);
	/* a register's own transition ("receive"): its button's words */
	for (const struct entity_transition *t = e ? e->transitions : NULL; code && t && t->name; t++)
		if (strcmp(t->name, code) == 0 && t->label)
			return msg_text(q->cx.lang, t->label);
	return code;
}

const char *audit_entity_label(struct req *q, const char *name)
{
	const struct entity *e = name ? entity_by_name(name) : NULL;

	if (e)
		return msg_text(q->cx.lang, e->label_many);
	if (name && strcmp(name, "organisation") == 0)
		return msg_text(q->cx.lang, M_ORGANISATION);
	if (name && strcmp(name, "users") == 0)
		return msg_text(q->cx.lang, M_AUDIT_USERS);
	if (name && strcmp(name, "outbox") == 0)
		return msg_text(q->cx.lang, M_OUTBOX_TITLE);
	return name;
}

static const char sql_events[] =
	"SELECT seq, at, actor, action, entity, entity_id, summary, before_json,"
	" after_json, ip FROM audit_event"
	" WHERE (org_id = $1 OR (org_id IS NULL AND user_id IN"
	"  (SELECT user_id FROM person WHERE org_id = $1 AND user_id IS NOT NULL)))"
	" AND ($2 = '' OR action = $2) AND ($3 = '' OR entity = $3)"
	" AND ($4 = 0 OR entity_id = $4) AND ($5 = '' OR actor = $5)"
	" AND at >= $6 AND at < $7 AND seq < $8"
	" ORDER BY seq DESC LIMIT $9";

/* One record's events and those of the records linked to it: up to
 * ENTITY_TITLES_MAX records of one register per query, served by
 * audit_event_record (migration 0008; checked with EXPLAIN QUERY PLAN on
 * the demo: SEARCH USING INDEX audit_event_record, then a sort of those
 * records' events). */
static const char sql_record_events[] =
	"SELECT seq, at, actor, action, entity, entity_id, summary, before_json,"
	" after_json, ip FROM audit_event"
	" WHERE org_id = $1 AND entity = $2 AND entity_id IN ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)"
	" AND ($35 = '' OR action = $35) AND ($36 = '' OR actor = $36)"
	" AND at >= $37 AND at < $38 AND +seq < $39"
	/* "+seq": the planner takes audit_event_record and sorts the few
	 * events of these records, rather than walk the organisation's trail
	 * back in audit_event_org_at's order */
	" ORDER BY +seq DESC LIMIT $40";

struct audit_filter {
	const char *action, *entity, *actor, *from, *to;
	int64_t entity_id, before_seq;
};

/* An event as read (the columns of both queries). */
struct ev {
	int64_t seq, at, entity_id;
	const char *actor, *action, *entity, *summary, *before, *after, *ip;
};

static void filter_from_req(struct req *q, struct audit_filter *f)
{
	f->action = req_param(q, "action");
	f->entity = req_param(q, "entity");
	f->actor = req_param(q, "actor");
	f->from = req_param(q, "from");
	f->to = req_param(q, "to");
	f->entity_id = req_int(q, "entity_id", 1, INT64_MAX, 0);
	f->before_seq = req_int(q, "before", 1, INT64_MAX, INT64_MAX);
}

static void add_rows(struct req *q, const struct db_rows *rows, struct ev **v, size_t *n)
{
	struct ev *w = arena_alloc(q->cx.a, (*n + rows->nrows + 1) * sizeof(*w));

	if (*n)
		memcpy(w, *v, *n * sizeof(*w));
	*v = w;
	for (size_t i = 0; i < rows->nrows; i++)
		(*v)[(*n)++] = (struct ev){
			.seq = db_cell_i64(rows, i, 0), .at = db_cell_i64(rows, i, 1),
			.actor = db_cell(rows, i, 2), .action = db_cell(rows, i, 3),
			.entity = db_cell(rows, i, 4), .entity_id = db_cell_i64(rows, i, 5),
			.summary = db_cell(rows, i, 6), .before = db_cell(rows, i, 7),
			.after = db_cell(rows, i, 8), .ip = db_cell(rows, i, 9),
		};
}

static int newest_first(const void *a, const void *b)
{
	int64_t x = ((const struct ev *)a)->seq, y = ((const struct ev *)b)->seq;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The events of records ids[0..n) of register e (n <= ENTITY_TITLES_MAX). */
static int record_events(struct req *q, const struct audit_filter *f, const struct entity *e,
			 const int64_t *ids, size_t n, int64_t from, int64_t to, int limit,
			 struct ev **v, size_t *nv)
{
	struct db_val p[40];
	struct db_rows rows;
	struct db_error err;

	p[0] = DB_INT(q->cx.org->id);
	p[1] = DB_TEXT(e->name);
	for (size_t k = 0; k < ENTITY_TITLES_MAX; k++)
		p[2 + k] = DB_INT(k < n ? ids[k] : 0);
	p[34] = DB_TEXT(f->action ? f->action : "");
	p[35] = DB_TEXT(f->actor ? f->actor : "");
	p[36] = DB_INT(from);
	p[37] = DB_INT(to);
	p[38] = DB_INT(f->before_seq);
	p[39] = DB_INT(limit);
	if (db_exec(q->cx.db, q->cx.a, sql_record_events, p, 40, &rows, &err) != 0) {
		log_error("audit record: %s", err.msg);
		return -1;
	}
	add_rows(q, &rows, v, nv);
	return 0;
}

/* A record's history includes its parts: the events of the records of
 * each register whose parent_field refers to the record's register (a
 * system's dependencies, people and information), up to
 * ENTITY_TITLES_MAX of them per register (live first, then archived), so
 * the page costs one bounded query per register. */
static int linked_events(struct req *q, const struct audit_filter *f, const struct entity *e,
			 int64_t from, int64_t to, int limit, struct ev **v, size_t *nv)
{
	for (size_t k = 0; module_entities()[k]; k++) {
		const struct entity *c = module_entities()[k];
		int pf = c->parent_field ? entity_field_index(c, c->parent_field) : -1;
		int64_t ids[ENTITY_TITLES_MAX];
		size_t n = 0;

		if (pf < 0 || c->fields[pf].ref != e || !(c->fields[pf].flags & FF_FILTER))
			continue;
		for (int archived = 0; archived < 2 && n < ENTITY_TITLES_MAX; archived++) {
			struct list_query lq = { .sort_field = -1, .archived = archived,
						 .limit = (int)(ENTITY_TITLES_MAX - n) };
			struct list_result res;
			struct db_error err;

			lq.sort_field = c->title_field;
			lq.filters = arena_alloc(q->cx.a, (c->nfields + 1) * sizeof(char *));
			lq.filters[pf] = arena_printf(q->cx.a, "%lld", (long long)f->entity_id);
			if (entity_list(&q->cx, c, &lq, &res, &err) != 0) {
				log_error("audit linked %s: %s", c->name, err.msg);
				return -1;
			}
			for (size_t i = 0; i < res.n; i++)
				ids[n++] = res.rows[i].id;
		}
		if (n && record_events(q, f, c, ids, n, from, to, limit, v, nv) != 0)
			return -1;
	}
	return 0;
}

static int load_events(struct req *q, const struct audit_filter *f, int limit,
		       struct ev **v, size_t *nv)
{
	struct db_error err;
	struct db_rows rows;
	int64_t from = local_midnight(f->from), to = local_midnight(f->to);
	const struct entity *e = f->entity ? entity_by_name(f->entity) : NULL;

	*v = NULL;
	*nv = 0;
	if (from < 0)
		from = 0;
	to = to < 0 ? INT64_MAX : to + 86400; /* "to" is inclusive */
	if (e && f->entity_id) {
		if (record_events(q, f, e, &f->entity_id, 1, from, to, limit, v, nv) != 0 ||
		    linked_events(q, f, e, from, to, limit, v, nv) != 0)
			return -1;
		qsort(*v, *nv, sizeof(**v), newest_first);
		if (*nv > (size_t)limit)
			*nv = (size_t)limit;
		return 0;
	}
	if (db_exec(q->cx.db, q->cx.a, sql_events,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_TEXT(f->action ? f->action : ""),
			    DB_TEXT(f->entity ? f->entity : ""), DB_INT(f->entity_id),
			    DB_TEXT(f->actor ? f->actor : ""), DB_INT(from), DB_INT(to),
			    DB_INT(f->before_seq), DB_INT(limit)),
		    &rows, &err) != 0) {
		log_error("audit list: %s", err.msg);
		return -1;
	}
	add_rows(q, &rows, v, nv);
	return 0;
}

/* Events of a register with private fields (protected identities) carry
 * those fields in before/after; a reader without a need to know sees them
 * replaced, in the page and in the export alike. */
static int json_private(const struct entity *e, const char *text)
{
	json_t *o = text ? json_loads(text, 0, NULL) : NULL;
	int priv = o && json_is_true(json_object_get(o, e->private_flag));

	json_decref(o);
	return priv;
}

static const char *masked_json(struct req *q, const struct entity *e, const char *text)
{
	json_t *o = json_loads(text, 0, NULL);
	char *s;
	const char *out;

	if (!o)
		return text;
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & FF_PRIVATE)
			json_object_set_new(o, e->fields[i].name,
					    json_string(msg_text(q->cx.lang, M_PROTECTED_IDENTITY)));
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	out = s ? arena_strdup(q->cx.a, s) : "";
	free(s);
	return out;
}

static void mask_event(struct req *q, const char *entity, int64_t entity_id,
		       const char **before, const char **after)
{
	const struct entity *e = entity ? entity_by_name(entity) : NULL;

	if (!e || !e->private_flag)
		return;
	if (!json_private(e, *before) && !json_private(e, *after))
		return;
	if (e->need_to_know && e->need_to_know(&q->cx, e, entity_id))
		return;
	if (*before)
		*before = masked_json(q, e, *before);
	if (*after)
		*after = masked_json(q, e, *after);
}

/* ---- names of the records an audit page mentions ----
 *
 * A page names at most 50 events, each its record and the records its
 * fields refer to.  The names are read once per page, one query per
 * register (entity_titles), never one per row. */

#define NAMES_REGS 16

struct names {
	const struct entity *e[NAMES_REGS];
	int64_t ids[NAMES_REGS][ENTITY_TITLES_MAX];
	const char *titles[NAMES_REGS][ENTITY_TITLES_MAX];
	size_t n[NAMES_REGS];
	size_t ne;
};

static void names_want(struct names *nm, const struct entity *e, int64_t id)
{
	size_t r;

	if (!e || id <= 0)
		return;
	for (r = 0; r < nm->ne && nm->e[r] != e; r++)
		;
	if (r == nm->ne) {
		if (nm->ne == NAMES_REGS)
			return;
		nm->e[nm->ne++] = e;
	}
	for (size_t k = 0; k < nm->n[r]; k++)
		if (nm->ids[r][k] == id)
			return;
	if (nm->n[r] < ENTITY_TITLES_MAX) /* beyond: shown by number */
		nm->ids[r][nm->n[r]++] = id;
}

static const char *names_get(const struct names *nm, const struct entity *e, int64_t id)
{
	for (size_t r = 0; nm && r < nm->ne; r++)
		if (nm->e[r] == e)
			for (size_t k = 0; k < nm->n[r]; k++)
				if (nm->ids[r][k] == id)
					return nm->titles[r][k];
	return NULL;
}

/* The references in an event's before/after. */
static void names_want_json(struct names *nm, const struct entity *e, const char *text)
{
	json_t *o = text && e ? json_loads(text, 0, NULL) : NULL;
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v) {
		int fi = entity_field_index(e, key);
		if (fi >= 0 && e->fields[fi].type == F_REF && json_is_integer(v))
			names_want(nm, e->fields[fi].ref, json_integer_value(v));
	}
	json_decref(o);
}

static int names_load(struct req *q, struct names *nm)
{
	struct db_error err;

	for (size_t r = 0; r < nm->ne; r++)
		if (entity_titles(&q->cx, nm->e[r], nm->ids[r], nm->n[r], nm->titles[r],
				  &err) != 0) {
			log_error("audit names: %s", err.msg);
			return -1;
		}
	return 0;
}

/* A record as a person reads it: its name, or "#4" when it has none the
 * reader may see (removed from the page's lookup, or not readable). */
static const char *record_name(struct req *q, const struct names *nm,
			       const struct entity *e, int64_t id)
{
	const char *t = e ? names_get(nm, e, id) : NULL;

	return t ? t : arena_printf(q->cx.a, "#%lld", (long long)id);
}

/* A JSON value as a person reads it: labels for choices, Ja/Nej, names of
 * referenced records, "–". */
static const char *value_text(struct req *q, const struct names *nm,
			      const struct entity_field *f, json_t *v)
{
	if (!v || json_is_null(v))
		return "–";
	if (json_is_boolean(v))
		return msg_text(q->cx.lang, json_is_true(v) ? M_YES : M_NO);
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		if (f && f->type == F_BOOL)
			return msg_text(q->cx.lang, x ? M_YES : M_NO);
		if (f && f->type == F_REF)
			return record_name(q, nm, f->ref, x);
		return arena_printf(q->cx.a, "%lld", (long long)x);
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		for (const struct choice *c = f ? f->choices : NULL; c && c->value; c++)
			if (strcmp(c->value, s) == 0)
				return msg_text(q->cx.lang, c->label);
		if (f && f->type == F_BOOL)
			return msg_text(q->cx.lang, strcmp(s, "1") == 0 ? M_YES : M_NO);
		return s;
	}
	return "…";
}

/* The actor as a person reads it: the command line is the operator. */
/* The accounts of people with a protected identity here, by e-mail: few
 * (person_protected, migration 0025, answers it without reading the
 * register). */
static const char sql_protected_actors[] =
	"SELECT u.email FROM person p JOIN app_user u ON u.id = p.user_id"
	" WHERE p.org_id = $1 AND p.protected_identity = 1 AND p.user_id IS NOT NULL"
	" ORDER BY p.id LIMIT 500";

/* The actor as stored, or "Skyddad identitet" when it is the account of a
 * person with a protected identity and the viewer has no need to know it
 * (the organisation's administrators and the person themself do, as on
 * the person's own page).  Identity sources write "e-mail (source)". */
static const char *actor_shown(struct req *q, const char *actor)
{
	size_t n;

	if (!actor || !q->cx.org || ctx_has_role(&q->cx, RB(ROLE_ADMIN)))
		return actor;
	if (!q->protected_actors) {
		struct db_rows rows;
		struct db_error err;

		if (db_exec(q->cx.db, q->cx.a, sql_protected_actors,
			    DB_ARGS(DB_INT(q->cx.org->id)), &rows, &err)) {
			log_error("protected actors: %s", err.msg);
			return msg_text(q->cx.lang, M_PROTECTED_IDENTITY); /* fails closed */
		}
		q->protected_actors = arena_alloc(q->cx.a, (rows.nrows + 1) * sizeof(char *));
		for (size_t i = 0; i < rows.nrows; i++)
			q->protected_actors[i] = db_cell(&rows, i, 0);
		q->protected_actors[rows.nrows] = NULL;
	}
	n = strcspn(actor, " ");
	for (size_t i = 0; q->protected_actors[i]; i++)
		if (strlen(q->protected_actors[i]) == n &&
		    !strncasecmp(q->protected_actors[i], actor, n) &&
		    !(q->sess && q->sess->email && !strcasecmp(q->sess->email, q->protected_actors[i])))
			return msg_text(q->cx.lang, M_PROTECTED_IDENTITY);
	return actor;
}

const char *audit_actor_label(struct req *q, const char *actor)
{
	if (actor && strcmp(actor, "varn-cli") == 0)
		return msg_text(q->cx.lang, M_AUDIT_ACTOR_CLI);
	if (actor && strcmp(actor, AUDIT_ACTOR_UNKNOWN) == 0)
		return msg_text(q->cx.lang, M_AUDIT_ACTOR_UNKNOWN);
	return actor_shown(q, actor);
}

/* The fields that differ between before and after, as "Label: a → b",
 * with the register's own labels. */
static void changes(struct req *q, struct html *h, const struct names *nm,
		    const char *entity, const char *before, const char *after)
{
	const struct entity *e = entity ? entity_by_name(entity) : NULL;
	json_t *b = before ? json_loads(before, 0, NULL) : NULL;
	json_t *a = after ? json_loads(after, 0, NULL) : NULL;
	const char *key;
	json_t *v;

	if (!a) {
		json_decref(b);
		return;
	}
	h_lit(h, "<ul class=\"changes\">");
	json_object_foreach(a, key, v) {
		json_t *old = b ? json_object_get(b, key) : NULL;
		int fi = e ? entity_field_index(e, key) : -1;
		const struct entity_field *f = fi >= 0 ? &e->fields[fi] : NULL;

		if (strcmp(key, "id") == 0 || (old && json_equal(old, v)))
			continue;
		if (!old && (json_is_null(v) || json_is_false(v)))
			continue; /* a new record's empty fields say nothing */
		h_lit(h, "<li><span class=\"field-name\">");
		if (f)
			h_msg(h, f->label);
		else
			h_text(h, key);
		h_lit(h, "</span>: ");
		if (old) {
			h_lit(h, "<del>");
			h_text(h, value_text(q, nm, f, old));
			h_lit(h, "</del> → ");
		}
		h_lit(h, "<ins>");
		h_text(h, value_text(q, nm, f, v));
		h_lit(h, "</ins></li>");
	}
	h_lit(h, "</ul>");
	json_decref(a);
	json_decref(b);
}

static void text_filter(struct req *q, struct html *h, const char *name, int label,
			const char *type, const char *value)
{
	h_lit(h, "<div class=\"field\"><label");
	h_attr(h, "for", arena_printf(q->cx.a, "a-%s", name));
	h_lit(h, ">");
	h_msg(h, label);
	h_lit(h, "</label><input");
	h_attr(h, "type", type);
	h_attr(h, "id", arena_printf(q->cx.a, "a-%s", name));
	h_attr(h, "name", name);
	h_attr(h, "value", value);
	h_lit(h, "></div>");
}

/* Sign-in events record the method in the summary. */
static const char *summary_text(struct req *q, const char *action, const char *summary)
{
	static const struct { const char *code; int label; } methods[] = {
		{ "password", M_SIGNIN_BY_PASSWORD },
		{ "totp", M_SIGNIN_BY_TOTP },
		{ "recovery", M_SIGNIN_BY_RECOVERY },
		{ "password_setup", M_SIGNIN_SETUP },
		{ "everywhere", M_SIGNOUT_EVERYWHERE },
	};
	if (action && summary && (strncmp(action, "sign", 4) == 0 ||
				  strcmp(action, "totp_failed") == 0))
		for (size_t i = 0; i < ARRAY_SIZE(methods); i++)
			if (strcmp(summary, methods[i].code) == 0)
				return msg_text(q->cx.lang, methods[i].label);
	return summary;
}

static void option(struct html *h, const char *value, const char *label, const char *cur)
{
	h_lit(h, "<option");
	h_attr(h, "value", value);
	if (cur && strcmp(cur, value) == 0)
		h_lit(h, " selected");
	h_lit(h, ">");
	h_text(h, label);
	h_lit(h, "</option>");
}

static void action_filter(struct req *q, struct html *h, const char *cur)
{
	h_lit(h, "<div class=\"field\"><label for=\"a-action\">");
	h_msg(h, M_AUDIT_ACTION);
	h_lit(h, "</label><select id=\"a-action\" name=\"action\">");
	option(h, "", msg_text(q->cx.lang, M_ALL), cur);
	for (size_t i = 0; i < ARRAY_SIZE(actions); i++)
		if (strcmp(actions[i].code, "token_create") != 0)
			option(h, actions[i].code, msg_text(q->cx.lang, actions[i].label), cur);
	for (size_t m = 0; modules[m]; m++)
		for (const struct audit_label *l = modules[m]->audit_labels; l && l->action; l++)
			option(h, l->action, msg_text(q->cx.lang, l->label), cur);
	h_lit(h, "</select></div>");
}

static void entity_filter(struct req *q, struct html *h, const char *cur)
{
	h_lit(h, "<div class=\"field\"><label for=\"a-entity\">");
	h_msg(h, M_AUDIT_ENTITY);
	h_lit(h, "</label><select id=\"a-entity\" name=\"entity\">");
	option(h, "", msg_text(q->cx.lang, M_ALL), cur);
	for (size_t i = 0; module_entities()[i]; i++)
		option(h, module_entities()[i]->name, msg_text(q->cx.lang, module_entities()[i]->label_many), cur);
	option(h, "organisation", msg_text(q->cx.lang, M_ORGANISATION), cur);
	h_lit(h, "</select></div>");
}

/* ---- following up the log (R-17-05, R-17-06) ----
 *
 * The organisation says who follows up Värn's own logs and how often, and
 * how long they are kept; each follow-up done is an audit event
 * "log_followup" on the organisation (found through audit_event_record). */

static const char sql_log_settings[] =
	"SELECT log_followup_by, log_followup_days, log_retention_years, version,"
	" audit_head_to FROM organisation WHERE id = $1";
static const char sql_last_followup[] =
	"SELECT at, actor, summary FROM audit_event WHERE org_id = $1"
	" AND entity = 'organisation' AND entity_id = $1 AND action = 'log_followup'"
	" ORDER BY seq DESC LIMIT 1";
static const char sql_set_log_settings[] =
	"UPDATE organisation SET log_followup_by = $2, log_followup_days = $3,"
	" log_retention_years = $4, version = version + 1, updated_at = $5, updated_by = $6,"
	" audit_head_to = $8 WHERE id = $1 AND version = $7";

struct log_settings {
	const char *by, *head_to;
	int64_t days, years, version;
};

static int log_settings_load(struct req *q, struct log_settings *ls)
{
	struct db_rows rows;
	struct db_error err;

	memset(ls, 0, sizeof(*ls));
	if (db_exec(q->cx.db, q->cx.a, sql_log_settings, DB_ARGS(DB_INT(q->cx.org->id)), &rows,
		    &err) != 0 || rows.nrows != 1) {
		log_error("log settings: %s", err.msg);
		return -1;
	}
	ls->by = db_cell(&rows, 0, 0);
	ls->days = db_cell(&rows, 0, 1) ? db_cell_i64(&rows, 0, 1) : 0;
	ls->years = db_cell(&rows, 0, 2) ? db_cell_i64(&rows, 0, 2) : 0;
	ls->version = db_cell_i64(&rows, 0, 3);
	ls->head_to = db_cell(&rows, 0, 4);
	return 0;
}

/* The card on the audit page: the organisation's rule, the last
 * follow-up and when the next is due, and the button that records one. */
static void audit_followup(struct req *q, struct html *h)
{
	struct log_settings ls;
	struct db_rows rows;
	struct db_error err;
	int64_t last = 0;

	if (log_settings_load(q, &ls) != 0) {
		req_fail(q, "log settings", NULL);
		return;
	}
	if (db_exec(q->cx.db, q->cx.a, sql_last_followup, DB_ARGS(DB_INT(q->cx.org->id)), &rows,
		    &err) != 0) {
		req_fail(q, "last log follow-up", &err);
		return;
	}
	part_card_begin(h, "h-followup", M_LOG_FOLLOWUP);
	part_dl_begin(h);
	part_dl_item(h, M_LOG_FOLLOWUP_BY, ls.by ? ls.by : msg_text(q->cx.lang, M_LOG_NOT_SET));
	part_dl_item_begin(h, M_LOG_FOLLOWUP_DAYS);
	if (ls.days)
		h_msg_plural(h, ls.days, M_LOG_EVERY_DAY_ONE, M_LOG_EVERY_DAYS);
	else
		h_msg(h, M_LOG_NOT_SET);
	part_dl_item_end(h);
	part_dl_item_begin(h, M_LOG_RETENTION);
	if (ls.years)
		h_msg_plural(h, ls.years, M_LOG_YEARS_ONE, M_LOG_YEARS);
	else
		h_msg(h, M_LOG_NOT_SET);
	h_lit(h, "<br><span class=\"hint\">");
	h_msg(h, M_LOG_NEVER_REMOVED);
	h_lit(h, "</span>");
	part_dl_item_end(h);
	{
		int64_t seq;
		const char *hash;
		struct db_error herr;

		part_dl_item_begin(h, M_LOG_HEAD);
		if (audit_head(q->cx.db, q->cx.a, &seq, &hash, &herr) == 0) {
			h_lit(h, "<code class=\"head-hash\">");
			h_text(h, arena_printf(q->cx.a, "%lld:%s", (long long)seq, hash));
			h_lit(h, "</code>");
		}
		part_dl_item_end(h);
		part_dl_item(h, M_LOG_HEAD_TO, ls.head_to && *ls.head_to ? ls.head_to
					       : msg_text(q->cx.lang, M_LOG_HEAD_NOT_SENT));
	}
	part_dl_item_begin(h, M_LOG_LAST_FOLLOWUP);
	if (rows.nrows) {
		last = db_cell_i64(&rows, 0, 0);
		h_text(h, clock_format_local(q->cx.a, last));
		h_lit(h, ", ");
		h_text(h, audit_actor_label(q, db_cell(&rows, 0, 1)));
		if (db_cell(&rows, 0, 2) && *db_cell(&rows, 0, 2)) {
			h_lit(h, ": ");
			h_text(h, db_cell(&rows, 0, 2));
		}
		if (ls.days && q->cx.now > last + ls.days * 86400) {
			h_lit(h, " <span class=\"overdue\">(");
			h_msg(h, M_LOG_FOLLOWUP_DUE);
			h_lit(h, ")</span>");
		}
	} else {
		h_msg(h, M_LOG_NO_FOLLOWUP);
	}
	part_dl_item_end(h);
	part_dl_end(h);
	h_lit(h, "<form method=\"post\" class=\"inline-form\" action=\"");
	h_url(h, "/o/%s/audit/followup", q->cx.org->slug);
	h_lit(h, "\">");
	h_csrf(h);
	part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "note",
					    .label = M_LOG_FOLLOWUP_NOTE, .max = 500 });
	h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(h, M_LOG_FOLLOWUP_DONE);
	h_lit(h, "</button>");
	if (q->cx.org->roles & ROLES_REGISTER_ADMIN)
		part_button_link(h, M_LOG_SETTINGS, 0, "/o/%s/audit/settings", q->cx.org->slug);
	h_lit(h, "</div></form>");
	part_section_end(h);
}

static void followup_action(struct req *q, struct resp *r)
{
	struct audit_event ev = { 0 };
	const char *note = req_param(q, "note");

	audit_from_ctx(&q->cx, &ev);
	ev.action = "log_followup";
	ev.entity = "organisation";
	ev.entity_id = q->cx.org->id;
	ev.summary = note && *note ? note : "";
	if (audit_append_now(q->cx.db, q->cx.a, &ev) != 0) {
		respond_error(q, r, 500);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/audit", q->cx.org->slug));
}

static void settings_form(struct req *q, struct resp *r, const char *by, const char *days,
			  const char *years, const char *head_to, int64_t version,
			  const struct field_errors *errs, int status)
{
	static const char *const names[] = { "by", "days", "years", "head_to" };
	static const int labels[] = { M_LOG_FOLLOWUP_BY, M_LOG_FOLLOWUP_DAYS_FIELD,
				      M_LOG_RETENTION_FIELD, M_LOG_HEAD_TO };
	const struct field_error *e;
	struct html h;

	page_begin(q, r, &h, M_LOG_SETTINGS);
	r->status = status;
	page_error_summary(&h, names, labels, errs);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_LOG_SETTINGS_INTRO);
	h_lit(&h, "</p><form method=\"post\" class=\"record\" novalidate action=\"");
	h_url(&h, "/o/%s/audit/settings", q->cx.org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	part_hidden(&h, "version", arena_printf(q->cx.a, "%lld", (long long)version));
	e = field_error_find(errs, 0);
	part_field(&h, &(struct part_field){ .type = PI_TEXT, .name = "by", .label = labels[0],
					     .help = M_LOG_FOLLOWUP_BY_HINT, .value = by,
					     .max = 200, .error = e ? e->msg : 0 });
	e = field_error_find(errs, 1);
	part_field(&h, &(struct part_field){ .type = PI_INT, .name = "days", .label = labels[1],
					     .value = days, .min = 1, .max = 366,
					     .error = e ? e->msg : 0 });
	e = field_error_find(errs, 2);
	part_field(&h, &(struct part_field){ .type = PI_INT, .name = "years", .label = labels[2],
					     .help = M_LOG_RETENTION_HINT, .value = years, .min = 1,
					     .max = 100, .error = e ? e->msg : 0 });
	e = field_error_find(errs, 3);
	part_field(&h, &(struct part_field){ .type = PI_EMAIL, .name = "head_to", .label = labels[3],
					     .help = M_LOG_HEAD_TO_HINT, .value = head_to,
					     .max = 254, .error = e ? e->msg : 0 });
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_SAVE);
	h_lit(&h, "</button>");
	part_button_link(&h, M_CANCEL, 0, "/o/%s/audit", q->cx.org->slug);
	h_lit(&h, "</div></form>");
	page_end(q, r, &h);
}

static void settings_page(struct req *q, struct resp *r)
{
	struct log_settings ls;

	if (log_settings_load(q, &ls) != 0) {
		respond_error(q, r, 500);
		return;
	}
	settings_form(q, r, ls.by,
		      ls.days ? arena_printf(q->cx.a, "%lld", (long long)ls.days) : NULL,
		      ls.years ? arena_printf(q->cx.a, "%lld", (long long)ls.years) : NULL,
		      ls.head_to, ls.version, NULL, 200);
}

static const char *settings_json(struct req *q, const char *by, int64_t days, int64_t years,
				 const char *head_to)
{
	json_t *o = json_object();
	char *s;
	const char *out;

	json_object_set_new(o, "log_followup_by", by && *by ? json_string(by) : json_null());
	json_object_set_new(o, "log_followup_days", days ? json_integer(days) : json_null());
	json_object_set_new(o, "log_retention_years", years ? json_integer(years) : json_null());
	json_object_set_new(o, "audit_head_to", head_to && *head_to ? json_string(head_to) : json_null());
	s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	out = arena_strdup(q->cx.a, s ? s : "{}");
	free(s);
	return out;
}

/* An address the outbox can take: one @, something on both sides, no
 * spaces or controls (the SMTP server has the last word). */
static int email_plausible(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 254 ||
	    !strchr(at + 1, '.'))
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == '<' || *s == '>' || *s == ',' || *s == ';')
			return 0;
	return 1;
}

/* The settings and their audit event (before/after), in one transaction. */
static void settings_action(struct req *q, struct resp *r)
{
	const char *by = req_param(q, "by"), *days = req_param(q, "days");
	const char *years = req_param(q, "years"), *head_to = req_param(q, "head_to");
	int64_t d = 0, y = 0, version = req_int(q, "version", 1, INT64_MAX, 0);
	struct field_errors errs = { .n = 0 };
	struct log_settings ls;
	struct audit_event ev = { 0 };
	struct db_error err;
	struct db_rows rows;

	if (by && strlen(by) > 800)
		field_error_add(&errs, 0, M_V_TOO_LONG, "too_long");
	if (days && *days && (parse_i64(days, &d) != 0 || d < 1 || d > 366))
		field_error_add(&errs, 1, M_LOG_V_DAYS, "invalid");
	if (years && *years && (parse_i64(years, &y) != 0 || y < 1 || y > 100))
		field_error_add(&errs, 2, M_LOG_V_YEARS, "invalid");
	if (head_to && *head_to && !email_plausible(head_to))
		field_error_add(&errs, 3, M_LOG_V_HEAD_TO, "invalid");
	if (errs.n) {
		settings_form(q, r, by, days, years, head_to, version, &errs, 422);
		return;
	}
	if (db_begin(q->cx.db, &err) != 0 || log_settings_load(q, &ls) != 0) {
		respond_error(q, r, 500);
		return;
	}
	if (db_exec(q->cx.db, q->cx.a, sql_set_log_settings,
		    DB_ARGS(DB_INT(q->cx.org->id), by && *by ? DB_TEXT(by) : DB_NULL,
			    d ? DB_INT(d) : DB_NULL, y ? DB_INT(y) : DB_NULL, DB_INT(q->cx.now),
			    DB_INT(q->cx.user_id), DB_INT(version),
			    head_to && *head_to ? DB_TEXT(head_to) : DB_NULL), &rows, &err) != 0) {
		db_rollback(q->cx.db);
		respond_error(q, r, 500);
		return;
	}
	if (ls.version != version) { /* someone saved meanwhile: show theirs */
		db_rollback(q->cx.db);
		field_error_add(&errs, -1, M_ARCHIVE_CONFLICT, "conflict");
		settings_form(q, r, by, days, years, head_to, ls.version, &errs, 409);
		return;
	}
	audit_from_ctx(&q->cx, &ev);
	ev.action = "update";
	ev.entity = "organisation";
	ev.entity_id = q->cx.org->id;
	ev.summary = msg_text(LANG_SV, M_LOG_SETTINGS);
	ev.before = settings_json(q, ls.by, ls.days, ls.years, ls.head_to);
	ev.after = settings_json(q, by, d, y, head_to);
	if (audit_append(q->cx.db, q->cx.a, &ev, &err) != 0 || db_commit(q->cx.db, &err) != 0) {
		db_rollback(q->cx.db);
		respond_error(q, r, 500);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/audit", q->cx.org->slug));
}

/* The names an audit page mentions, in one query per register. */
static int page_names(struct req *q, const struct ev *v, size_t n, struct names *nm)
{
	memset(nm, 0, sizeof(*nm));
	for (size_t i = 0; i < n; i++) {
		const struct entity *e = v[i].entity ? entity_by_name(v[i].entity) : NULL;
		if (!e)
			continue;
		names_want(nm, e, v[i].entity_id);
		names_want_json(nm, e, v[i].before);
		names_want_json(nm, e, v[i].after);
	}
	return names_load(q, nm);
}

static void audit_page(struct req *q, struct resp *r)
{
	struct audit_filter f;
	struct ev *v;
	size_t nv;
	struct names *nm = arena_alloc(q->cx.a, sizeof(*nm));
	struct html h;
	const int limit = 50;
	const struct entity *fe;

	filter_from_req(q, &f);
	fe = f.entity ? entity_by_name(f.entity) : NULL;
	if (load_events(q, &f, limit + 1, &v, &nv) != 0 ||
	    page_names(q, v, nv < (size_t)limit ? nv : (size_t)limit, nm) != 0) {
		respond_error(q, r, 500);
		return;
	}
	if (fe && f.entity_id)
		page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s",
			msg_text(q->cx.lang, M_HISTORY), record_name(q, nm, fe, f.entity_id)));
	else
		page_begin(q, r, &h, M_MENU_AUDIT);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, fe && f.entity_id ? M_AUDIT_RECORD_INTRO : M_AUDIT_INTRO);
	h_lit(&h, "</p>");
	if (!(fe && f.entity_id))
		audit_followup(q, &h);
	h_lit(&h, "<form class=\"filters\" method=\"get\" role=\"search\"");
	h_attr(&h, "aria-label", msg_text(q->cx.lang, M_SEARCH_AND_FILTER));
	h_lit(&h, ">");
	{
		/* folded, so the trail starts above the fold; the summary says
		 * how many filters are in use */
		const char *const used[] = { f.action, f.entity, f.actor, f.from, f.to };
		int active = 0;
		for (size_t i = 0; i < ARRAY_SIZE(used); i++)
			active += used[i] && *used[i];
		h_lit(&h, "<details class=\"more-filters\"><summary>");
		if (active)
			h_msg_plural(&h, active, M_FILTERS_ACTIVE_ONE, M_FILTERS_ACTIVE);
		else
			h_msg(&h, M_FILTERS);
		h_lit(&h, "</summary><div class=\"fold\">");
	}
	action_filter(q, &h, f.action);
	entity_filter(q, &h, f.entity);
	text_filter(q, &h, "actor", M_AUDIT_ACTOR, "text", f.actor);
	text_filter(q, &h, "from", M_AUDIT_FROM, "date", f.from);
	text_filter(q, &h, "to", M_AUDIT_TO, "date", f.to);
	if (f.entity_id) {
		h_lit(&h, "<input type=\"hidden\" name=\"entity_id\"");
		h_attr_int(&h, "value", f.entity_id);
		h_lit(&h, ">");
	}
	h_lit(&h, "<div class=\"field\"><button type=\"submit\">");
	h_msg(&h, M_SEARCH);
	h_lit(&h, "</button></div></div></details></form><div class=\"toolbar\"><a class=\"button\" href=\"");
	h_url(&h, "/o/%s/audit.csv?action=%s&entity=%s&actor=%s&from=%s&to=%s&entity_id=%lld",
	      q->cx.org->slug, f.action ? f.action : "", f.entity ? f.entity : "",
	      f.actor ? f.actor : "", f.from ? f.from : "", f.to ? f.to : "",
	      (long long)f.entity_id);
	h_lit(&h, "\">");
	h_msg(&h, M_EXPORT_CSV);
	h_lit(&h, "</a></div>");
	if (nv == 0) {
		h_lit(&h, "<p class=\"empty\">");
		h_msg(&h, M_NOTHING_FOUND);
		h_lit(&h, "</p>");
	} else {
		part_table_begin(&h, M_MENU_AUDIT, NULL);
		part_th(&h, M_AUDIT_WHEN);
		part_th(&h, M_AUDIT_ACTOR);
		part_th(&h, M_AUDIT_ACTION);
		part_th(&h, M_AUDIT_WHAT);
		part_th(&h, M_AUDIT_CHANGES);
		part_table_body(&h);
		for (size_t i = 0; i < nv && i < (size_t)limit; i++) {
			const struct ev *x = &v[i];
			const struct entity *e = x->entity ? entity_by_name(x->entity) : NULL;
			const char *before = x->before, *after = x->after;

			h_lit(&h, "<tr><td class=\"nowrap\"><time>");
			h_text(&h, clock_format_local(q->cx.a, x->at));
			h_lit(&h, "</time></td><td>");
			h_text(&h, audit_actor_label(q, x->actor));
			h_lit(&h, "<br><span class=\"muted\">");
			h_text(&h, x->ip);
			h_lit(&h, "</span></td><td>");
			h_text(&h, audit_action_label(q, x->action, x->entity));
			h_lit(&h, "</td><td>");
			h_text(&h, audit_entity_label(q, x->entity));
			if (x->entity_id) {
				h_lit(&h, ": ");
				if (e)
					h_text(&h, record_name(q, nm, e, x->entity_id));
				else
					h_text(&h, arena_printf(q->cx.a, "#%lld",
						(long long)x->entity_id));
			}
			{
				/* the summary, unless it only repeats the name */
				const char *sm = summary_text(q, x->action, x->summary);
				if (sm && *sm && !(e && x->entity_id &&
						   strcmp(sm, record_name(q, nm, e, x->entity_id)) == 0)) {
					h_lit(&h, "<br>");
					h_text(&h, sm);
				}
			}
			h_lit(&h, "</td><td>");
			mask_event(q, x->entity, x->entity_id, &before, &after);
			changes(q, &h, nm, x->entity, before, after);
			h_lit(&h, "</td></tr>");
		}
		part_table_end(&h);
	}
	if (nv > (size_t)limit) {
		h_lit(&h, "<nav class=\"pager\"");
		h_attr(&h, "aria-label", msg_text(q->cx.lang, M_PAGES));
		h_lit(&h, "><a rel=\"next\" href=\"");
		h_url(&h, "?action=%s&entity=%s&actor=%s&from=%s&to=%s&entity_id=%lld&before=%lld",
		      f.action ? f.action : "", f.entity ? f.entity : "", f.actor ? f.actor : "",
		      f.from ? f.from : "", f.to ? f.to : "", (long long)f.entity_id,
		      (long long)v[limit - 1].seq);
		h_lit(&h, "\">");
		h_msg(&h, M_NEXT_PAGE);
		h_lit(&h, "</a></nav>");
	}
	page_end(q, r, &h);
}

/* The trail as CSV, filtered as the page is (user, register, record with
 * its parts, period): R-17-07, for an investigation. */
static void audit_csv(struct req *q, struct resp *r)
{
	struct audit_filter f;
	struct ev *v;
	size_t nv;
	static const char *const head[] = { "seq", "tid", "aktor", "handelse", "register",
					    "post", "sammanfattning", "fore", "efter", "ip" };

	filter_from_req(q, &f);
	csv_write_bom(&r->body);
	for (size_t c = 0; c < ARRAY_SIZE(head); c++)
		csv_write_cell(&r->body, head[c], c == 0);
	csv_end_row(&r->body);
	for (int pages = 0; pages < 2000; pages++) {
		if (load_events(q, &f, 500, &v, &nv) != 0) {
			respond_error(q, r, 500);
			return;
		}
		for (size_t i = 0; i < nv; i++) {
			const struct ev *x = &v[i];
			const char *before = x->before, *after = x->after;
			const char *cells[10];

			mask_event(q, x->entity, x->entity_id, &before, &after);
			cells[0] = arena_printf(q->cx.a, "%lld", (long long)x->seq);
			cells[1] = clock_format_iso(q->cx.a, x->at);
			cells[2] = actor_shown(q, x->actor);
			cells[3] = x->action;
			cells[4] = x->entity;
			cells[5] = x->entity_id ? arena_printf(q->cx.a, "%lld",
							       (long long)x->entity_id) : NULL;
			cells[6] = x->summary;
			cells[7] = before;
			cells[8] = after;
			cells[9] = x->ip;
			for (size_t c = 0; c < 10; c++)
				csv_write_cell(&r->body, cells[c] ? cells[c] : "", c == 0);
			csv_end_row(&r->body);
		}
		if (nv < 500)
			break;
		f.before_seq = v[nv - 1].seq;
	}
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	r->download_name = arena_printf(q->cx.a, "%s-granskningslogg.csv", q->cx.org->slug);
	resp_header(r, "Cache-Control", "no-store");
}

static const struct param audit_params[] = {
	{ "action", P_STR, 64 }, { "entity", P_STR, 64 }, { "actor", P_STR, 254 },
	{ "from", P_STR, 10 }, { "to", P_STR, 10 }, { "entity_id", P_STR, 20 },
	{ "before", P_STR, 20 }, { NULL, 0, 0 },
};

static const struct param followup_params[] = {
	{ "csrf", P_STR, 128 }, { "note", P_STR, 2000 }, { NULL, 0, 0 },
};
static const struct param settings_params[] = {
	{ "csrf", P_STR, 128 }, { "version", P_STR, 24 }, { "by", P_STR, 1000 },
	{ "days", P_STR, 10 }, { "years", P_STR, 10 }, { "head_to", P_STR, 300 }, { NULL, 0, 0 },
};

const struct route audit_routes[] = {
	{ "POST", "/o/{org}/audit/followup", followup_action, ROLES_AUDIT_READ, 0, 8 * 1024,
	  followup_params, NULL },
	{ "GET", "/o/{org}/audit/settings", settings_page, ROLES_REGISTER_ADMIN, 0, 0, NULL, NULL },
	{ "POST", "/o/{org}/audit/settings", settings_action, ROLES_REGISTER_ADMIN, 0, 8 * 1024,
	  settings_params, NULL },
	{ "GET", "/o/{org}/audit", audit_page, ROLES_AUDIT_READ, 0, 0, audit_params, NULL },
	{ "GET", "/o/{org}/audit.csv", audit_csv, ROLES_AUDIT_READ, 0, 0, audit_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
