/* org_pages.c - pages of the organisation register beyond the generic ones:
 * the organisation's settings (name, kind, which roles must use two-step
 * verification) and, on a person's page, their roles and account. */
#include "base/base.h"

#include "base/utf8.h"
#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/pages_entity.h"

/* ---- a person's roles and account, on the person's page ---- */

static const char sql_person_roles[] =
	"SELECT ra.id, ra.role, u.name FROM role_assignment ra"
	" LEFT JOIN unit u ON u.id = ra.unit_id AND u.org_id = ra.org_id"
	" WHERE ra.org_id = $1 AND ra.person_id = $2 AND ra.archived = 0"
	" ORDER BY ra.role, ra.id";

static const char sql_person_user[] =
	"SELECT u.id, u.email, u.totp_enabled, u.last_login_at FROM person p"
	" JOIN app_user u ON u.id = p.user_id WHERE p.org_id = $1 AND p.id = $2";

void org_person_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, sql_person_roles, DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)),
		    &rows, &err) != 0)
		return;
	h_lit(h, "<section aria-labelledby=\"p-roles\"><h2 id=\"p-roles\">");
	h_msg(h, M_ROLE_ASSIGNMENTS);
	h_lit(h, "</h2>");
	if (rows.nrows == 0) {
		h_lit(h, "<p class=\"muted\">");
		h_msg(h, M_PERSON_NO_ROLES);
		h_lit(h, "</p>");
	} else {
		h_lit(h, "<ul>");
		for (size_t i = 0; i < rows.nrows; i++) {
			int role = role_parse(db_cell(&rows, i, 1));
			h_lit(h, "<li><a");
			h_href(h, "/o/%s/roles/%s", q->cx.org->slug, db_cell(&rows, i, 0));
			h_lit(h, ">");
			h_msg(h, role_label(role));
			h_lit(h, "</a>");
			if (db_cell(&rows, i, 2)) {
				h_lit(h, " – ");
				h_text(h, db_cell(&rows, i, 2));
			}
			h_lit(h, "</li>");
		}
		h_lit(h, "</ul>");
	}
	if (q->cx.org->roles & ROLES_REGISTER_ADMIN && !rec->archived) {
		h_lit(h, "<p><a class=\"button\"");
		h_href(h, "/o/%s/roles/new?person_id=%lld", q->cx.org->slug, (long long)rec->id);
		h_lit(h, ">");
		h_msg(h, M_GIVE_PERSON_ROLE);
		h_lit(h, "</a></p>");
	}
	h_lit(h, "</section>");

	if (!(q->cx.org->roles & RB(ROLE_ADMIN)) || rec->masked)
		return;
	if (db_exec(q->cx.db, q->cx.a, sql_person_user, DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)),
		    &rows, &err) != 0)
		return;
	h_lit(h, "<section aria-labelledby=\"p-account\"><h2 id=\"p-account\">");
	h_msg(h, M_PERSON_ACCOUNT);
	h_lit(h, "</h2>");
	if (rows.nrows == 0) {
		h_lit(h, "<p class=\"muted\">");
		h_msg(h, M_PERSON_NO_ACCOUNT);
		h_lit(h, "</p></section>");
		return;
	}
	h_lit(h, "<p>");
	h_text(h, db_cell(&rows, 0, 1));
	h_lit(h, " · ");
	h_msg(h, db_cell_i64(&rows, 0, 2) ? M_TOTP_ON : M_TOTP_OFF);
	h_lit(h, "</p><form method=\"post\"");
	h_lit(h, " action=\"");
	h_url(h, "/o/%s/people/%lld/reset-link", q->cx.org->slug, (long long)rec->id);
	h_lit(h, "\">");
	h_csrf(h);
	h_lit(h, "<p class=\"hint\">");
	h_msg(h, M_RESET_LINK_HINT);
	h_lit(h, "</p><button type=\"submit\">");
	h_msg(h, M_RESET_LINK_CREATE);
	h_lit(h, "</button></form></section>");
}

/* Organisations where the account has a person but the requesting
 * administrator is not an administrator.  A shared coordinator's account
 * reaches several municipalities: one municipality's administrator must not
 * be able to take it over (the operator's `varn reset-link` can). */
static const char sql_foreign_orgs_of_account[] =
	"SELECT count(*) FROM person p WHERE p.user_id = $1 AND p.archived = 0"
	" AND p.org_id NOT IN (SELECT p2.org_id FROM person p2"
	"  JOIN role_assignment ra ON ra.person_id = p2.id AND ra.org_id = p2.org_id"
	"   AND ra.archived = 0 AND ra.role = 'administrator'"
	"  WHERE p2.user_id = $2 AND p2.archived = 0)";

/* An administrator makes a one-time link and hands it over in person or by
 * a known channel (seed 000: beware of fake reset calls). */
static void reset_link(struct req *q, struct resp *r)
{
	struct db_rows rows;
	struct db_error err;
	struct html h;
	const char *token, *link;
	struct audit_event ev = { 0 };

	if (db_exec(q->cx.db, q->cx.a, sql_person_user, DB_ARGS(DB_INT(q->cx.org->id), DB_INT(req_id(q))),
		    &rows, &err) != 0 || rows.nrows == 0) {
		respond_error(q, r, 404);
		return;
	}
	{
		struct db_rows other;
		if (db_exec(q->cx.db, q->cx.a, sql_foreign_orgs_of_account,
			    DB_ARGS(DB_INT(db_cell_i64(&rows, 0, 0)), DB_INT(q->sess->user_id)),
			    &other, &err) != 0) {
			respond_error(q, r, 500);
			return;
		}
		if (db_cell_i64(&other, 0, 0) > 0) {
			page_begin(q, r, &h, M_RESET_LINK_TITLE);
			r->status = 403;
			h_lit(&h, "<p>");
			h_msg(&h, M_RESET_LINK_SHARED_ACCOUNT);
			h_lit(&h, "</p>");
			page_end(q, r, &h);
			return;
		}
	}
	token = reset_token_create(q->cx.db, q->cx.a, db_cell_i64(&rows, 0, 0), q->sess->user_id, &err);
	if (!token) {
		respond_error(q, r, 500);
		return;
	}
	audit_from_ctx(&q->cx, &ev);
	ev.org_id = q->cx.org->id;
	ev.action = "reset_link";
	ev.entity = "people";
	ev.entity_id = req_id(q);
	ev.summary = db_cell(&rows, 0, 1);
	audit_append_now(q->cx.db, q->cx.a, &ev);
	link = arena_printf(q->cx.a, "%s/aterstall/%s", q->app->base_url ? q->app->base_url : "",
			    token);
	page_begin(q, r, &h, M_RESET_LINK_TITLE);
	h_lit(&h, "<p>");
	h_msg(&h, M_RESET_LINK_SHOWN_ONCE);
	h_lit(&h, "</p><p><code class=\"secret\">");
	h_text(&h, link);
	h_lit(&h, "</code></p><p><a");
	h_href(&h, "/o/%s/people/%lld", q->cx.org->slug, (long long)req_id(q));
	h_lit(&h, ">");
	h_msg(&h, M_BACK_TO_LIST);
	h_lit(&h, "</a></p>");
	page_end(q, r, &h);
}

/* ---- settings ---- */

static const char sql_org_get[] =
	"SELECT name, kind, org_number, totp_roles, version FROM organisation WHERE id = $1";
static const char sql_org_update[] =
	"UPDATE organisation SET name = $2, name_sk = $3, kind = $4, org_number = $5,"
	" totp_roles = $6, search = $7, version = version + 1, updated_at = $8, updated_by = $9"
	" WHERE id = $1 AND version = $10";

struct org_form {
	const char *name, *kind, *org_number;
	unsigned totp_roles;
	int64_t version;
};

static void settings_form(struct req *q, struct resp *r, const struct org_form *f,
			  int err_name, int err_kind, int conflict, int saved, int status)
{
	struct html h;

	page_begin(q, r, &h, M_SETTINGS_TITLE);
	r->status = status;
	if (saved)
		page_notice(&h, M_SAVED);
	if (err_name || err_kind || conflict) {
		h_lit(&h, "<div class=\"error-summary\" role=\"alert\" id=\"errors\" tabindex=\"-1\"><h2>");
		h_msg(&h, M_FORM_HAS_ERRORS);
		h_lit(&h, "</h2><ul>");
		if (conflict) {
			h_lit(&h, "<li>");
			h_msg(&h, M_V_CONFLICT);
			h_lit(&h, "</li>");
		}
		if (err_name) {
			h_lit(&h, "<li><a href=\"#f-name\">");
			h_msg(&h, M_F_NAME);
			h_lit(&h, ": ");
			h_msg(&h, err_name);
			h_lit(&h, "</a></li>");
		}
		if (err_kind) {
			h_lit(&h, "<li><a href=\"#f-kind\">");
			h_msg(&h, M_F_ORG_KIND);
			h_lit(&h, ": ");
			h_msg(&h, err_kind);
			h_lit(&h, "</a></li>");
		}
		h_lit(&h, "</ul></div>");
	}
	h_lit(&h, "<form method=\"post\" class=\"record\" novalidate action=\"");
	h_url(&h, "/o/%s/settings", q->cx.org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	h_lit(&h, "<input type=\"hidden\" name=\"version\"");
	h_attr_int(&h, "value", f->version);
	h_lit(&h, "><div class=\"field");
	if (err_name)
		h_lit(&h, " has-error");
	h_lit(&h, "\"><label for=\"f-name\">");
	h_msg(&h, M_F_NAME);
	h_lit(&h, "</label>");
	if (err_name) {
		h_lit(&h, "<p class=\"error\" id=\"f-name-error\">");
		h_msg(&h, err_name);
		h_lit(&h, "</p>");
	}
	h_lit(&h, "<input type=\"text\" id=\"f-name\" name=\"name\" maxlength=\"200\" required");
	if (err_name)
		h_lit(&h, " aria-invalid=\"true\" aria-describedby=\"f-name-error\"");
	h_attr(&h, "value", f->name);
	h_lit(&h, "></div><div class=\"field\"><label for=\"f-kind\">");
	h_msg(&h, M_F_ORG_KIND);
	h_lit(&h, "</label><select id=\"f-kind\" name=\"kind\">");
	for (const struct choice *c = org_kinds; c->value; c++) {
		h_lit(&h, "<option");
		h_attr(&h, "value", c->value);
		if (f->kind && strcmp(f->kind, c->value) == 0)
			h_lit(&h, " selected");
		h_lit(&h, ">");
		h_msg(&h, c->label);
		h_lit(&h, "</option>");
	}
	h_lit(&h, "</select></div><div class=\"field\"><label for=\"f-orgnr\">");
	h_msg(&h, M_F_ORG_NUMBER);
	h_lit(&h, "</label><input type=\"text\" id=\"f-orgnr\" name=\"org_number\" maxlength=\"20\"");
	h_attr(&h, "value", f->org_number);
	h_lit(&h, "></div><fieldset><legend>");
	h_msg(&h, M_F_TOTP_ROLES);
	h_lit(&h, "</legend><p class=\"hint\">");
	h_msg(&h, M_H_TOTP_ROLES);
	h_lit(&h, "</p>");
	for (int i = 0; i < ROLE__COUNT; i++) {
		const char *id = arena_printf(q->cx.a, "totp-%s", role_code(i));
		h_lit(&h, "<div class=\"field check\"><input type=\"checkbox\" name=\"totp_role\"");
		h_attr(&h, "id", id);
		h_attr(&h, "value", role_code(i));
		if (f->totp_roles & RB(i))
			h_lit(&h, " checked");
		h_lit(&h, "><label");
		h_attr(&h, "for", id);
		h_lit(&h, ">");
		h_msg(&h, role_label(i));
		h_lit(&h, "</label></div>");
	}
	h_lit(&h, "</fieldset><div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_SAVE);
	h_lit(&h, "</button></div></form>");
	page_end(q, r, &h);
}

static int load_org(struct req *q, struct org_form *f)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, sql_org_get, DB_ARGS(DB_INT(q->cx.org->id)), &rows, &err) != 0 ||
	    rows.nrows != 1)
		return -1;
	f->name = db_cell(&rows, 0, 0);
	f->kind = db_cell(&rows, 0, 1);
	f->org_number = db_cell(&rows, 0, 2);
	f->totp_roles = (unsigned)db_cell_i64(&rows, 0, 3);
	f->version = db_cell_i64(&rows, 0, 4);
	return 0;
}

static void settings_page(struct req *q, struct resp *r)
{
	struct org_form f;

	if (load_org(q, &f) != 0) {
		respond_error(q, r, 500);
		return;
	}
	settings_form(q, r, &f, 0, 0, 0, req_param(q, "saved") != NULL, 200);
}

static char *org_json(struct arena *a, const struct org_form *f)
{
	return arena_printf(a, "{\"kind\":\"%s\",\"totp_roles\":%u,\"version\":%lld}",
			    f->kind ? f->kind : "", f->totp_roles, (long long)f->version);
}

static void settings_save(struct req *q, struct resp *r)
{
	struct org_form old, f = { 0 };
	const char *vals[ROLE__COUNT];
	size_t n = form_get_all(&q->body_form, "totp_role", vals, ROLE__COUNT);
	int err_name = 0, err_kind = 0;
	struct db_error err;
	struct db_rows rows;
	struct audit_event ev = { 0 };
	const char *name = form_get(&q->body_form, "name");

	if (load_org(q, &old) != 0) {
		respond_error(q, r, 500);
		return;
	}
	f.name = name ? name : "";
	f.kind = form_get(&q->body_form, "kind");
	f.org_number = form_get(&q->body_form, "org_number");
	f.version = req_int(q, "version", 1, INT64_MAX, 0);
	for (size_t i = 0; i < n; i++) {
		int role = role_parse(vals[i]);
		if (role >= 0)
			f.totp_roles |= RB(role);
	}
	if (!*f.name || !utf8_valid_text(f.name, strlen(f.name)))
		err_name = M_V_REQUIRED;
	else if (utf8_length(f.name, strlen(f.name)) > 200)
		err_name = M_V_TOO_LONG;
	{
		int ok = 0;
		for (const struct choice *c = org_kinds; c->value; c++)
			ok |= f.kind && strcmp(f.kind, c->value) == 0;
		if (!ok)
			err_kind = M_V_BAD_CHOICE;
	}
	if (f.org_number && (!utf8_valid_text(f.org_number, strlen(f.org_number)) ||
			     strlen(f.org_number) > 20))
		err_name = err_name ? err_name : M_V_BAD_TEXT;
	if (err_name || err_kind) {
		settings_form(q, r, &f, err_name, err_kind, 0, 0, 422);
		return;
	}
	if (db_begin(q->cx.db, &err) != 0)
		goto fail;
	if (db_exec(q->cx.db, q->cx.a, sql_org_update,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_TEXT(f.name), DB_TEXT(utf8_sortkey(q->cx.a, f.name)),
			    DB_TEXT(f.kind), DB_TEXT(f.org_number && *f.org_number ? f.org_number : NULL),
			    DB_INT(f.totp_roles), DB_TEXT(utf8_fold(q->cx.a, f.name)),
			    DB_INT(clock_now()), DB_INT(q->sess->user_id), DB_INT(f.version)),
		    &rows, &err) != 0) {
		db_rollback(q->cx.db);
		goto fail;
	}
	if (rows.changes != 1) {
		db_rollback(q->cx.db);
		f.version = old.version;
		settings_form(q, r, &f, 0, 0, 1, 0, 409);
		return;
	}
	audit_from_ctx(&q->cx, &ev);
	ev.org_id = q->cx.org->id;
	ev.action = "update";
	ev.entity = "organisation";
	ev.entity_id = q->cx.org->id;
	ev.summary = f.name;
	ev.before = org_json(q->cx.a, &old);
	f.version++;
	ev.after = org_json(q->cx.a, &f);
	if (audit_append(q->cx.db, q->cx.a, &ev, &err) != 0 || db_commit(q->cx.db, &err) != 0) {
		db_rollback(q->cx.db);
		goto fail;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/settings?saved=1", q->cx.org->slug));
	return;
fail:
	log_error("organisation settings: %s", err.msg);
	respond_error(q, r, 500);
}

static const struct param settings_params[] = {
	{ "csrf", P_STR, 128 }, { "version", P_STR, 24 }, { "name", P_STR, 1024 },
	{ "kind", P_STR, 64 }, { "org_number", P_STR, 64 }, { "totp_role", P_STR, 64 },
	{ "saved", P_STR, 4 }, { NULL, 0, 0 },
};

static const struct param csrf_only[] = { { "csrf", P_STR, 128 }, { NULL, 0, 0 } };

const struct route org_routes[] = {
	{ "GET", "/o/{org}/settings", settings_page, RB(ROLE_ADMIN), 0, 0, settings_params, NULL },
	{ "POST", "/o/{org}/settings", settings_save, RB(ROLE_ADMIN), 0, BODY_FORM,
	  settings_params, NULL },
	{ "POST", "/o/{org}/people/{id}/reset-link", reset_link, RB(ROLE_ADMIN), 0, BODY_FORM,
	  csrf_only, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

