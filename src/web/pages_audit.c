/* pages_audit.c - the audit trail view and its CSV export (seed 004
 * "Loggning och spårbarhet").  Readers: ROLES_AUDIT_READ.  Shows the
 * organisation's events and the sign-in events of its people, newest first,
 * filtered by action, register, record, actor and date; each change shows
 * its fields before and after. */
#include "base/base.h"

#include <jansson.h>

#include "base/clock.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "parse/csv.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"

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
};

const char *audit_action_label(struct req *q, const char *code)
{
	int label;

	for (size_t i = 0; code && i < ARRAY_SIZE(actions); i++)
		if (strcmp(actions[i].code, code) == 0)
			return msg_text(q->cx.lang, actions[i].label);
	/* the modules' own actions (module.h) */
	if ((label = module_audit_label(code)))
		return msg_text(q->cx.lang, label);
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

struct audit_filter {
	const char *action, *entity, *actor, *from, *to;
	int64_t entity_id, before_seq;
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

static int load_events(struct req *q, const struct audit_filter *f, int limit,
		       struct db_rows *rows)
{
	struct db_error err;
	int64_t from = local_midnight(f->from), to = local_midnight(f->to);

	if (from < 0)
		from = 0;
	to = to < 0 ? INT64_MAX : to + 86400; /* "to" is inclusive */
	if (db_exec(q->cx.db, q->cx.a, sql_events,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_TEXT(f->action ? f->action : ""),
			    DB_TEXT(f->entity ? f->entity : ""), DB_INT(f->entity_id),
			    DB_TEXT(f->actor ? f->actor : ""), DB_INT(from), DB_INT(to),
			    DB_INT(f->before_seq), DB_INT(limit)),
		    rows, &err) != 0) {
		log_error("audit list: %s", err.msg);
		return -1;
	}
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

/* A JSON value as a person reads it: labels for choices, Ja/Nej, "–". */
static const char *value_text(struct req *q, const struct entity_field *f, json_t *v)
{
	if (!v || json_is_null(v))
		return "–";
	if (json_is_boolean(v))
		return msg_text(q->cx.lang, json_is_true(v) ? M_YES : M_NO);
	if (json_is_integer(v)) {
		const char *s = arena_printf(q->cx.a, "%lld", (long long)json_integer_value(v));
		return f && f->type == F_REF ? arena_printf(q->cx.a, "#%s", s) : s;
	}
	if (json_is_string(v)) {
		const char *s = json_string_value(v);
		for (const struct choice *c = f ? f->choices : NULL; c && c->value; c++)
			if (strcmp(c->value, s) == 0)
				return msg_text(q->cx.lang, c->label);
		return s;
	}
	return "…";
}

/* The fields that differ between before and after, as "Label: a → b",
 * with the register's own labels. */
static void changes(struct req *q, struct html *h, const char *entity,
		    const char *before, const char *after)
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
			h_text(h, value_text(q, f, old));
			h_lit(h, "</del> → ");
		}
		h_lit(h, "<ins>");
		h_text(h, value_text(q, f, v));
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

static void audit_page(struct req *q, struct resp *r)
{
	struct audit_filter f;
	struct db_rows rows;
	struct html h;
	const int limit = 50;

	filter_from_req(q, &f);
	if (load_events(q, &f, limit + 1, &rows) != 0) {
		respond_error(q, r, 500);
		return;
	}
	page_begin(q, r, &h, M_MENU_AUDIT);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_AUDIT_INTRO);
	h_lit(&h, "</p><form class=\"filters\" method=\"get\" role=\"search\"");
	h_attr(&h, "aria-label", msg_text(q->cx.lang, M_SEARCH_AND_FILTER));
	h_lit(&h, ">");
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
	h_lit(&h, "</button></div></form><div class=\"toolbar\"><a class=\"button\" href=\"");
	h_url(&h, "/o/%s/audit.csv?action=%s&entity=%s&actor=%s&from=%s&to=%s&entity_id=%lld",
	      q->cx.org->slug, f.action ? f.action : "", f.entity ? f.entity : "",
	      f.actor ? f.actor : "", f.from ? f.from : "", f.to ? f.to : "",
	      (long long)f.entity_id);
	h_lit(&h, "\">");
	h_msg(&h, M_EXPORT_CSV);
	h_lit(&h, "</a></div>");
	if (rows.nrows == 0) {
		h_lit(&h, "<p class=\"empty\">");
		h_msg(&h, M_NOTHING_FOUND);
		h_lit(&h, "</p>");
	} else {
		h_lit(&h, "<div class=\"table-wrap\"><table class=\"list audit\"><caption class=\"sr-only\">");
		h_msg(&h, M_MENU_AUDIT);
		h_lit(&h, "</caption><thead><tr><th scope=\"col\">");
		h_msg(&h, M_AUDIT_WHEN);
		h_lit(&h, "</th><th scope=\"col\">");
		h_msg(&h, M_AUDIT_ACTOR);
		h_lit(&h, "</th><th scope=\"col\">");
		h_msg(&h, M_AUDIT_ACTION);
		h_lit(&h, "</th><th scope=\"col\">");
		h_msg(&h, M_AUDIT_WHAT);
		h_lit(&h, "</th><th scope=\"col\">");
		h_msg(&h, M_AUDIT_CHANGES);
		h_lit(&h, "</th></tr></thead><tbody>");
		for (size_t i = 0; i < rows.nrows && i < (size_t)limit; i++) {
			h_lit(&h, "<tr><td class=\"nowrap\"><time>");
			h_text(&h, clock_format_local(q->cx.a, db_cell_i64(&rows, i, 1)));
			h_lit(&h, "</time></td><td>");
			h_text(&h, db_cell(&rows, i, 2));
			h_lit(&h, "<br><span class=\"muted\">");
			h_text(&h, db_cell(&rows, i, 9));
			h_lit(&h, "</span></td><td>");
			h_text(&h, audit_action_label(q, db_cell(&rows, i, 3)));
			h_lit(&h, "</td><td>");
			h_text(&h, audit_entity_label(q, db_cell(&rows, i, 4)));
			if (db_cell(&rows, i, 5)) {
				h_lit(&h, " #");
				h_text(&h, db_cell(&rows, i, 5));
			}
			h_lit(&h, "<br>");
			h_text(&h, summary_text(q, db_cell(&rows, i, 3), db_cell(&rows, i, 6)));
			h_lit(&h, "</td><td>");
			{
				const char *before = db_cell(&rows, i, 7), *after = db_cell(&rows, i, 8);
				mask_event(q, db_cell(&rows, i, 4), db_cell_i64(&rows, i, 5),
					   &before, &after);
				changes(q, &h, db_cell(&rows, i, 4), before, after);
			}
			h_lit(&h, "</td></tr>");
		}
		h_lit(&h, "</tbody></table></div>");
	}
	if (rows.nrows > (size_t)limit) {
		h_lit(&h, "<nav class=\"pager\"");
		h_attr(&h, "aria-label", msg_text(q->cx.lang, M_PAGES));
		h_lit(&h, "><a rel=\"next\" href=\"");
		h_url(&h, "?action=%s&entity=%s&actor=%s&from=%s&to=%s&entity_id=%lld&before=%lld",
		      f.action ? f.action : "", f.entity ? f.entity : "", f.actor ? f.actor : "",
		      f.from ? f.from : "", f.to ? f.to : "", (long long)f.entity_id,
		      (long long)db_cell_i64(&rows, (size_t)limit - 1, 0));
		h_lit(&h, "\">");
		h_msg(&h, M_NEXT_PAGE);
		h_lit(&h, "</a></nav>");
	}
	page_end(q, r, &h);
}

static void audit_csv(struct req *q, struct resp *r)
{
	struct audit_filter f;
	struct db_rows rows;
	static const char *const head[] = { "seq", "tid", "aktor", "handelse", "register",
					    "post", "sammanfattning", "fore", "efter", "ip" };

	filter_from_req(q, &f);
	csv_write_bom(&r->body);
	for (size_t c = 0; c < ARRAY_SIZE(head); c++)
		csv_write_cell(&r->body, head[c], c == 0);
	csv_end_row(&r->body);
	for (int pages = 0; pages < 2000; pages++) {
		if (load_events(q, &f, 500, &rows) != 0) {
			respond_error(q, r, 500);
			return;
		}
		for (size_t i = 0; i < rows.nrows; i++) {
			const char *before = db_cell(&rows, i, 7), *after = db_cell(&rows, i, 8);
			mask_event(q, db_cell(&rows, i, 4), db_cell_i64(&rows, i, 5), &before, &after);
			for (size_t c = 0; c < 10; c++) {
				const char *v = c == 7 ? before : c == 8 ? after : db_cell(&rows, i, c);
				if (c == 1)
					v = clock_format_iso(q->cx.a, db_cell_i64(&rows, i, 1));
				csv_write_cell(&r->body, v ? v : "", c == 0);
			}
			csv_end_row(&r->body);
		}
		if (rows.nrows < 500)
			break;
		f.before_seq = db_cell_i64(&rows, rows.nrows - 1, 0);
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

const struct route audit_routes[] = {
	{ "GET", "/o/{org}/audit", audit_page, ROLES_AUDIT_READ, 0, 0, audit_params, NULL },
	{ "GET", "/o/{org}/audit.csv", audit_csv, ROLES_AUDIT_READ, 0, 0, audit_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
