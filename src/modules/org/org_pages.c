/* org_pages.c - pages of the organisation register beyond the generic ones:
 * the organisation's settings (name, kind, which roles must use two-step
 * verification) and, on a person's page, their roles and account. */
#include "base/base.h"

#include "base/utf8.h"
#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/signin/signin.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/pages_entity.h"
#include "web/parts.h"

/* ---- sections the modules declare for the organisation's records ---- */

/* Every module's related lists for a record of register e (module.h
 * struct related_list): a unit's systems, the information a person owns,
 * declared by the modules that own them, so this module names none. */
static void module_related(struct html *h, const struct entity *e, const struct record *rec)
{
	for (size_t m = 0; modules[m]; m++)
		for (const struct related_list *l = modules[m]->related; l && l->of; l++) {
			if (strcmp(l->of, e->name) != 0)
				continue;
			part_related(h, &(struct part_related){ .e = l->e,
								.ref_field = l->ref_field,
								.cols = l->cols, .id = l->id,
								.heading = l->heading,
								.empty = l->empty, .sort = l->sort },
				     rec);
		}
}

/* A unit's page: its sub-units, people, roles, systems and information. */
void org_unit_extra(struct req *q, const struct entity *e, const struct record *rec,
		    struct html *h)
{
	(void)q;
	module_related(h, e, rec);
}

/* ---- a person's roles and account, on the person's page ---- */

static const char sql_person_user[] =
	"SELECT u.id, u.email, u.totp_enabled, u.last_login_at, u.disabled FROM person p"
	" JOIN app_user u ON u.id = p.user_id WHERE p.org_id = $1 AND p.id = $2";

static const int person_role_cols[] = { ROLEA_ROLE, ROLEA_UNIT, -1 };

void org_person_extra(struct req *q, const struct entity *e, const struct record *rec,
		      struct html *h)
{
	struct db_rows rows;
	struct db_error err;

	part_related(h, &(struct part_related){ .e = &org_roles, .ref_field = ROLEA_PERSON,
						.cols = person_role_cols, .id = "p-roles",
						.heading = M_ROLE_ASSIGNMENTS,
						.empty = M_PERSON_NO_ROLES,
						.add = M_GIVE_PERSON_ROLE, .sort = "role" },
		     rec);
	signin_person_panel(q, e, rec, h); /* which came from a directory */
	module_related(h, e, rec);

	if (!(q->cx.org->roles & RB(ROLE_ADMIN)) || rec->masked)
		return;
	if (db_exec(q->cx.db, q->cx.a, sql_person_user, DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)),
		    &rows, &err) != 0) {
		req_fail(q, "the person's account", &err);
		return;
	}
	part_section_begin(h, "p-account", M_PERSON_ACCOUNT);
	if (rows.nrows == 0) {
		part_empty(h, M_PERSON_NO_ACCOUNT);
		part_section_end(h);
		return;
	}
	h_lit(h, "<p>");
	h_text(h, db_cell(&rows, 0, 1));
	h_lit(h, " · ");
	h_msg(h, db_cell_i64(&rows, 0, 2) ? M_TOTP_ON : M_TOTP_OFF);
	if (db_cell_i64(&rows, 0, 4)) {
		h_lit(h, " · ");
		part_badge(h, M_ACCT_DISABLED_BADGE, "critical");
	}
	h_lit(h, "</p><p><a");
	h_href(h, "/o/%s/people/%lld/account", q->cx.org->slug, (long long)rec->id);
	h_lit(h, ">");
	h_msg(h, M_ACCT_MANAGE);
	h_lit(h, "</a></p><p class=\"hint\">");
	h_msg(h, M_RESET_LINK_HINT);
	h_lit(h, "</p>");
	part_post_button(h, &(struct part_post){ .label = M_RESET_LINK_CREATE },
			 "/o/%s/people/%lld/reset-link", q->cx.org->slug, (long long)rec->id);
	part_section_end(h);
}

/* ---- bodies: the information-security function and the groups ---- */

/* The function record's two questions (seed 001 §1): does it report
 * directly to top management, and does it spend a majority of its time on
 * the assignment?  Said in words, with a warning badge when not. */
void org_body_summary(struct req *q, const struct entity *e, const struct record *rec,
		      struct html *h)
{
	const char *kind = rec->v[BODY_KIND], *share = rec->v[BODY_TIME_SHARE];
	int64_t pct = -1;

	if (!kind || strcmp(kind, "security_function") != 0)
		return;
	if (share)
		parse_i64(share, &pct);
	h_lit(h, "<ul class=\"flags\">");
	if (rec->v[BODY_REPORTS_TO_TOP] && strcmp(rec->v[BODY_REPORTS_TO_TOP], "1") == 0) {
		h_lit(h, "<li>");
		h_msg(h, M_BODY_REPORTS_OK);
	} else {
		h_lit(h, "<li class=\"warn\">");
		part_badge(h, M_BODY_WARNING, "warning");
		h_lit(h, " ");
		h_msg(h, M_BODY_REPORTS_NOT);
	}
	h_lit(h, "</li>");
	if (pct < 0) {
		h_lit(h, "<li class=\"warn\">");
		part_badge(h, M_BODY_WARNING, "warning");
		h_lit(h, " ");
		h_msg(h, M_BODY_SHARE_UNKNOWN);
	} else if (pct <= BODY_MAJORITY) {
		h_lit(h, "<li class=\"warn\">");
		part_badge(h, M_BODY_WARNING, "warning");
		h_lit(h, " ");
		h_msg_n(h, M_BODY_SHARE_MINORITY, pct);
	} else {
		h_lit(h, "<li>");
		h_msg_n(h, M_BODY_SHARE_OK, pct);
	}
	h_lit(h, "</li></ul>");
}

static const int member_cols[] = { MEMBER_PERSON, MEMBER_TASK, -1 };

void org_body_extra(struct req *q, const struct entity *e, const struct record *rec,
		    struct html *h)
{
	part_related(h, &(struct part_related){ .e = &org_body_members,
						.ref_field = MEMBER_BODY, .cols = member_cols,
						.id = "b-members", .heading = M_BODY_MEMBERS,
						.empty = M_BODY_NO_MEMBERS,
						.add = M_BODY_MEMBER_NEW },
		     rec);
}

/* ---- the roles and their duties (seed 004 §3) ---- */

/* What the instruction gives each role; one duty a line.  A role added
 * later without a text here is listed without duties. */
static const int role_duties[ROLE__COUNT] = {
	[ROLE_COORDINATOR] = M_DUTIES_COORDINATOR,
	[ROLE_MANAGEMENT] = M_DUTIES_MANAGEMENT,
	[ROLE_SYSTEM_OWNER] = M_DUTIES_SYSTEM_OWNER,
	[ROLE_INFO_OWNER] = M_DUTIES_INFO_OWNER,
	[ROLE_SYSTEM_MANAGER] = M_DUTIES_SYSTEM_MANAGER,
	[ROLE_SYSTEM_ADMIN] = M_DUTIES_SYSTEM_ADMIN,
	[ROLE_IT_MANAGER] = M_DUTIES_IT_MANAGER,
	[ROLE_DPO] = M_DUTIES_DPO,
	[ROLE_USER] = M_DUTIES_USER,
	[ROLE_ADMIN] = M_DUTIES_ADMIN,
	[ROLE_MUNICIPAL_CHIEF] = M_DUTIES_MUNICIPAL_CHIEF,
};

/* A message of lines as a list, one item a line. */
static void duty_list(struct html *h, int msg)
{
	const char *t = msg_text(h->q->cx.lang, msg), *nl;

	h_lit(h, "<ul class=\"duties\">");
	for (; *t; t = nl ? nl + 1 : t + strlen(t)) {
		nl = strchr(t, '\n');
		h_lit(h, "<li>");
		h_textn(h, t, nl ? (size_t)(nl - t) : strlen(t));
		h_lit(h, "</li>");
		if (!nl)
			break;
	}
	h_lit(h, "</ul>");
}

/* "Roller och ansvar": each role, what the instruction gives it, who
 * holds it, and for the viewer's own roles the way to what waits for
 * them (the start page gathers every module's open tasks). */
static void role_duties_page(struct req *q, struct resp *r)
{
	struct html h;

	page_begin(q, r, &h, M_DUTIES_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_DUTIES_INTRO);
	h_lit(&h, "</p>");
	for (int i = 0; i < ROLE__COUNT; i++) {
		const char *id = arena_printf(q->cx.a, "role-%s", role_code(i));
		int mine = (q->cx.org->roles & RB(i)) != 0;
		part_section_begin(&h, id, role_label(i));
		if (mine) {
			h_lit(&h, "<p>");
			part_badge(&h, M_DUTIES_YOURS, "ok");
			h_lit(&h, " ");
			part_link(&h, msg_text(q->cx.lang, M_DUTIES_YOUR_TASKS), "/o/%s/",
				  q->cx.org->slug);
			h_lit(&h, "</p>");
		}
		if (role_duties[i])
			duty_list(&h, role_duties[i]);
		if (q->cx.org->roles & org_roles.roles_read) {
			h_lit(&h, "<p>");
			part_link(&h, msg_text(q->cx.lang, M_DUTIES_HOLDERS), "/o/%s/roles?role=%s",
				  q->cx.org->slug, role_code(i));
			h_lit(&h, "</p>");
		}
		part_section_end(&h);
	}
	page_end(q, r, &h);
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
	"SELECT name, kind, org_number, totp_roles, version, min_k_sensitive FROM organisation"
	" WHERE id = $1";
static const char sql_org_update[] =
	"UPDATE organisation SET name = $2, name_sk = $3, kind = $4, org_number = $5,"
	" totp_roles = $6, search = $7, version = version + 1, updated_at = $8, updated_by = $9,"
	" min_k_sensitive = $11 WHERE id = $1 AND version = $10";

struct org_form {
	const char *name, *kind, *org_number;
	unsigned totp_roles;
	int64_t version;
	int64_t min_k;   /* the lowest K of sensitive or secret information
			    without a motivation (the system register's rule) */
};

/* The settings form's fields, for the error summary (field_errors). */
enum { SET_NAME, SET_KIND, SET_ORG_NUMBER, SET_MIN_K };
static const char *const set_names[] = { "name", "kind", "org_number", "min_k_sensitive" };
static const int set_labels[] = { M_F_NAME, M_F_ORG_KIND, M_F_ORG_NUMBER, M_F_MIN_K_SENSITIVE };

static int set_error(const struct field_errors *errs, int field)
{
	const struct field_error *fe = field_error_find(errs, field);

	return fe ? fe->msg : 0;
}

/* The roles as choices, and those that must use TOTP as the checked ones. */
static void totp_choices(struct req *q, unsigned roles, const struct part_choice **choices,
			 const char *const **checked)
{
	struct part_choice *c = arena_alloc(q->cx.a, (ROLE__COUNT + 1) * sizeof(*c));
	const char **on = arena_alloc(q->cx.a, (ROLE__COUNT + 1) * sizeof(*on));
	size_t n = 0;

	for (int i = 0; i < ROLE__COUNT; i++) {
		c[i] = (struct part_choice){ role_code(i), msg_text(q->cx.lang, role_label(i)),
					     NULL };
		if (roles & RB(i))
			on[n++] = role_code(i);
	}
	*choices = c;
	*checked = on;
}

static void settings_form(struct req *q, struct resp *r, const struct org_form *f,
			  const struct field_errors *errs, int saved, int status)
{
	struct html h;
	const struct part_choice *roles;
	const char *const *totp;

	totp_choices(q, f->totp_roles, &roles, &totp);
	page_begin(q, r, &h, M_SETTINGS_TITLE);
	r->status = status;
	if (saved)
		page_notice(&h, M_SAVED);
	page_error_summary(&h, set_names, set_labels, errs);
	h_lit(&h, "<form method=\"post\" class=\"record\" novalidate action=\"");
	h_url(&h, "/o/%s/settings", q->cx.org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	part_hidden(&h, "version", arena_printf(q->cx.a, "%lld", (long long)f->version));
	part_field(&h, &(struct part_field){ .type = PI_TEXT, .name = "name", .label = M_F_NAME,
					     .value = f->name, .max = 200, .required = 1,
					     .error = set_error(errs, SET_NAME) });
	part_field(&h, &(struct part_field){ .type = PI_SELECT, .name = "kind",
					     .label = M_F_ORG_KIND, .value = f->kind,
					     .choices = part_choices(&h, org_kinds), .required = 1,
					     .error = set_error(errs, SET_KIND) });
	part_field(&h, &(struct part_field){ .type = PI_TEXT, .name = "org_number",
					     .label = M_F_ORG_NUMBER, .value = f->org_number,
					     .max = 20, .plain = 1,
					     .error = set_error(errs, SET_ORG_NUMBER) });
	part_field(&h, &(struct part_field){ .type = PI_CHECKS, .name = "totp_role",
					     .label = M_F_TOTP_ROLES, .help = M_H_TOTP_ROLES,
					     .choices = roles, .checked = totp });
	part_field(&h, &(struct part_field){ .type = PI_INT, .name = "min_k_sensitive",
					     .label = M_F_MIN_K_SENSITIVE,
					     .help = M_H_MIN_K_SENSITIVE, .min = 0, .max = 4,
					     .value = arena_printf(q->cx.a, "%lld", (long long)f->min_k),
					     .error = set_error(errs, SET_MIN_K) });
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_SAVE);
	h_lit(&h, "</button></div></form>");
	/* the organisation's e-mail (web/pages_outbox.c), for the same admins */
	h_lit(&h, "<p>");
	part_link(&h, msg_text(q->cx.lang, M_OUTBOX_TITLE), "/o/%s/outbox", q->cx.org->slug);
	h_lit(&h, "</p><p>"); /* sign-in through AD/OIDC (modules/signin) */
	part_link(&h, msg_text(q->cx.lang, M_SI_LINK), "/o/%s/sign-in-sources", q->cx.org->slug);
	h_lit(&h, "</p>");
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
	f->min_k = db_cell_i64(&rows, 0, 5);
	return 0;
}

static void settings_page(struct req *q, struct resp *r)
{
	struct org_form f;

	if (load_org(q, &f) != 0) {
		respond_error(q, r, 500);
		return;
	}
	settings_form(q, r, &f, NULL, req_param(q, "saved") != NULL, 200);
}

static char *org_json(struct arena *a, const struct org_form *f)
{
	return arena_printf(a, "{\"kind\":\"%s\",\"min_k_sensitive\":%lld,\"totp_roles\":%u,"
			    "\"version\":%lld}", f->kind ? f->kind : "", (long long)f->min_k,
			    f->totp_roles, (long long)f->version);
}

static void settings_save(struct req *q, struct resp *r)
{
	struct org_form old, f = { 0 };
	const char *vals[ROLE__COUNT];
	size_t n = form_get_all(&q->body_form, "totp_role", vals, ROLE__COUNT);
	struct field_errors errs = { .n = 0 };
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
	{
		/* absent: as it was */
		const char *mk = form_get(&q->body_form, "min_k_sensitive");
		f.min_k = old.min_k;
		if (mk && *mk && (parse_i64(mk, &f.min_k) != 0 || f.min_k < 0 || f.min_k > 4))
			field_error_add(&errs, SET_MIN_K, M_V_MIN_K_SENSITIVE, "invalid");
	}
	for (size_t i = 0; i < n; i++) {
		int role = role_parse(vals[i]);
		if (role >= 0)
			f.totp_roles |= RB(role);
	}
	if (!*f.name || !utf8_valid_text(f.name, strlen(f.name)))
		field_error_add(&errs, SET_NAME, M_V_REQUIRED, "required");
	else if (utf8_length(f.name, strlen(f.name)) > 200)
		field_error_add(&errs, SET_NAME, M_V_TOO_LONG, "too_long");
	{
		int ok = 0;
		for (const struct choice *c = org_kinds; c->value; c++)
			ok |= f.kind && strcmp(f.kind, c->value) == 0;
		if (!ok)
			field_error_add(&errs, SET_KIND, M_V_BAD_CHOICE, "invalid");
	}
	if (f.org_number && (!utf8_valid_text(f.org_number, strlen(f.org_number)) ||
			     strlen(f.org_number) > 20))
		field_error_add(&errs, SET_ORG_NUMBER, M_V_BAD_TEXT, "invalid");
	if (errs.n) {
		settings_form(q, r, &f, &errs, 0, 422);
		return;
	}
	if (db_begin(q->cx.db, &err) != 0)
		goto fail;
	if (db_exec(q->cx.db, q->cx.a, sql_org_update,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_TEXT(f.name), DB_TEXT(utf8_sortkey(q->cx.a, f.name)),
			    DB_TEXT(f.kind), DB_TEXT(f.org_number && *f.org_number ? f.org_number : NULL),
			    DB_INT(f.totp_roles), DB_TEXT(utf8_fold(q->cx.a, f.name)),
			    DB_INT(clock_now()), DB_INT(q->sess->user_id), DB_INT(f.version),
			    DB_INT(f.min_k)),
		    &rows, &err) != 0) {
		db_rollback(q->cx.db);
		goto fail;
	}
	if (rows.changes != 1) {
		db_rollback(q->cx.db);
		f.version = old.version;
		field_error_add(&errs, -1, M_V_CONFLICT, "conflict");
		settings_form(q, r, &f, &errs, 0, 409);
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
	{ "min_k_sensitive", P_STR, 8 },
	{ "saved", P_STR, 4 }, { NULL, 0, 0 },
};

static const struct param csrf_only[] = { { "csrf", P_STR, 128 }, { NULL, 0, 0 } };

const struct route org_routes[] = {
	{ "GET", "/o/{org}/role-duties", role_duties_page, ROLES_ANY, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/settings", settings_page, RB(ROLE_ADMIN), 0, 0, settings_params, NULL },
	{ "POST", "/o/{org}/settings", settings_save, RB(ROLE_ADMIN), 0, BODY_FORM,
	  settings_params, NULL },
	{ "POST", "/o/{org}/people/{id}/reset-link", reset_link, RB(ROLE_ADMIN), 0, BODY_FORM,
	  csrf_only, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

