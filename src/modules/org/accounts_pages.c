/* accounts_pages.c - an account under the organisation (issue 13): the
 * administrator's page of a person's account (state, disable and enable,
 * reset of the second factor after a recorded identity check, recent
 * sign-ins, open sessions, API tokens) and the organisation's API tokens.
 *
 * Who: administrators of the organisation (the routes' roles).  A change
 * to an account that also has a live person in an organisation the
 * administrator does not administer is refused (403), as for reset links:
 * one municipality's administrator must not lock out or take over another
 * municipality's coordinator; the operator can (`varn user`).  Viewing is
 * allowed.  Every change is audited in its transaction (accounts.c).
 *
 * Cost: every list is bounded (LIMIT) and answered by an index of
 * migration 0026 (audit_event_user_signin, session_user_open,
 * api_token_user_live, api_token_org_live).
 */
#include "base/base.h"

#include "base/clock.h"
#include "base/utf8.h"
#include "core/auth.h"
#include "core/entity.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/accounts.h"
#include "modules/org/org.h"
#include "web/app.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"

#define NOTE_MAX 500
#define SIGNINS_SHOWN 15
#define SESSIONS_SHOWN 20

static const char sql_person_account[] =
	"SELECT p.user_id, p.name, p.protected_identity FROM person p"
	" WHERE p.org_id = $1 AND p.id = $2 AND p.user_id IS NOT NULL";

/* Live people of the account in organisations where the acting account is
 * not an administrator (org_pages.c has the same for reset links). */
static const char sql_foreign_orgs[] =
	"SELECT count(*) FROM person p WHERE p.user_id = $1 AND p.archived = 0"
	" AND p.org_id NOT IN (SELECT p2.org_id FROM person p2"
	"  JOIN role_assignment ra ON ra.person_id = p2.id AND ra.org_id = p2.org_id"
	"   AND ra.archived = 0 AND ra.role = 'administrator'"
	"  WHERE p2.user_id = $2 AND p2.archived = 0)";

struct acct {
	int64_t person_id, user_id;
	const char *name;
	struct account_state st;
	int foreign;   /* the account reaches an organisation we do not administer */
};

/* The person of {id} in the organisation with an account, or 404. */
static int load(struct req *q, struct resp *r, struct acct *a)
{
	struct db_rows rows;
	struct db_error err;

	memset(a, 0, sizeof(*a));
	a->person_id = req_id(q);
	if (db_exec(q->cx.db, q->cx.a, sql_person_account,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(a->person_id)), &rows, &err)) {
		req_fail(q, "the person's account", &err);
		return -1;
	}
	if (rows.nrows != 1) {
		respond_error(q, r, 404);
		return -1;
	}
	a->user_id = db_cell_i64(&rows, 0, 0);
	{
		/* the name as the engine shows it to this administrator: a
		 * protected identity is not opened to one without the need
		 * to know (404, as on the person's page) */
		struct record rec;

		if (entity_get(&q->cx, &org_people, a->person_id, &rec, &err)) {
			if (err.code == DBE_NOTFOUND)
				respond_error(q, r, 404);
			else
				req_fail(q, "the person", &err);
			return -1;
		}
		if (rec.masked) {
			respond_error(q, r, 404);
			return -1;
		}
		a->name = rec.v[PERSON_NAME];
	}
	if (account_get(&q->cx, a->user_id, &a->st, &err) ||
	    db_exec(q->cx.db, q->cx.a, sql_foreign_orgs,
		    DB_ARGS(DB_INT(a->user_id), DB_INT(q->sess->user_id)), &rows, &err)) {
		req_fail(q, "the account", &err);
		return -1;
	}
	a->foreign = db_cell_i64(&rows, 0, 0) > 0;
	return 0;
}

static void refuse(struct req *q, struct resp *r, int msg)
{
	struct html h;

	page_begin(q, r, &h, M_ACCT_TITLE);
	r->status = 403;
	h_lit(&h, "<p>");
	h_msg(&h, msg);
	h_lit(&h, "</p>");
	page_end(q, r, &h);
}

/* A change may go ahead: the account is not shared with an organisation
 * the actor does not administer. */
static int may_change(struct req *q, struct resp *r, const struct acct *a)
{
	if (a->foreign) {
		refuse(q, r, M_ACCT_SHARED);
		return 0;
	}
	return 1;
}

static const char *when(struct req *q, int64_t t)
{
	return t ? clock_format_local(q->cx.a, t) : msg_text(q->cx.lang, M_ACCT_NEVER);
}

static int reason_msg(const char *reason)
{
	if (reason && !strcmp(reason, ACCOUNT_ENDED))
		return M_ACCT_REASON_ENDED;
	if (reason && !strcmp(reason, ACCOUNT_LEAVE))
		return M_ACCT_REASON_LEAVE;
	return M_ACCT_REASON_ADMIN;
}

/* The account page's address and a tail ("/disable"), in an attribute:
 * h_url percent-encodes its %s arguments, so the tail is appended as it is
 * (always one of ours). */
static void base_path(struct req *q, struct html *h, const struct acct *a, const char *tail)
{
	h_url(h, "/o/%s/people/%lld/account", q->cx.org->slug, (long long)a->person_id);
	h_text(h, tail);
}

static void note_form(struct req *q, struct html *h, const struct acct *a, const char *tail,
		      int button, const char *cls)
{
	h_lit(h, "<form method=\"post\" class=\"form\" action=\"");
	base_path(q, h, a, tail);
	h_lit(h, "\">");
	h_csrf(h);
	part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "note",
					    .label = M_F_ACCT_NOTE, .help = M_H_ACCT_NOTE,
					    .max = NOTE_MAX, .value = "",
					    .id = tail + 1 });
	h_lit(h, "<div class=\"actions\"><button type=\"submit\" class=\"");
	h_text(h, cls);
	h_lit(h, "\">");
	h_msg(h, button);
	h_lit(h, "</button></div></form>");
}

/* Recent sign-ins of the account, newest first (R-17-01, R-17-02).  The
 * condition is the partial index's (migration 0026). */
static void signins(struct req *q, struct html *h, const struct acct *a)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a,
		    "SELECT at, action, ip FROM audit_event WHERE user_id = $1"
		    " AND action IN ('signin', 'signin_failed', 'signout')"
		    " ORDER BY seq DESC LIMIT $2",
		    DB_ARGS(DB_INT(a->user_id), DB_INT(SIGNINS_SHOWN)), &rows, &err)) {
		req_fail(q, "the account's sign-ins", &err);
		return;
	}
	part_section_begin(h, "a-signins", M_ACCT_SIGNINS);
	if (!rows.nrows) {
		part_empty(h, M_ACCT_SIGNINS_NONE);
	} else {
		part_table_begin(h, 0, "a-signins");
		part_th(h, M_ACCT_WHEN);
		part_th(h, M_ACCT_EVENT);
		part_th(h, M_ACCT_ADDRESS);
		part_table_body(h);
		for (size_t i = 0; i < rows.nrows; i++) {
			const char *act = db_cell(&rows, i, 1);

			part_tr(h);
			part_td(h, clock_format_local(q->cx.a, db_cell_i64(&rows, i, 0)));
			part_td_msg(h, !strcmp(act, "signin") ? M_ACCT_EV_SIGNIN
				       : !strcmp(act, "signout") ? M_ACCT_EV_SIGNOUT
								 : M_ACCT_EV_FAILED);
			part_td(h, db_cell(&rows, i, 2) ? db_cell(&rows, i, 2) : "");
			part_tr_end(h);
		}
		part_table_end(h);
	}
	part_section_end(h);
}

static void sessions(struct req *q, struct html *h, const struct acct *a)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a,
		    "SELECT id, created_at, last_seen_at, ip FROM session WHERE user_id = $1"
		    " AND ended_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT $3",
		    DB_ARGS(DB_INT(a->user_id), DB_INT(q->cx.now), DB_INT(SESSIONS_SHOWN)),
		    &rows, &err)) {
		req_fail(q, "the account's sessions", &err);
		return;
	}
	part_section_begin(h, "a-sessions", M_ACCT_SESSIONS);
	if (!rows.nrows) {
		part_empty(h, M_ACCT_SESSIONS_NONE);
		part_section_end(h);
		return;
	}
	part_table_begin(h, 0, "a-sessions");
	part_th(h, M_ACCT_STARTED);
	part_th(h, M_ACCT_LAST_SEEN);
	part_th(h, M_ACCT_ADDRESS);
	if (!a->foreign)
		part_th(h, M_ACTIONS);
	part_table_body(h);
	for (size_t i = 0; i < rows.nrows; i++) {
		part_tr(h);
		part_td(h, clock_format_local(q->cx.a, db_cell_i64(&rows, i, 1)));
		part_td(h, clock_format_local(q->cx.a, db_cell_i64(&rows, i, 2)));
		part_td(h, db_cell(&rows, i, 3) ? db_cell(&rows, i, 3) : "");
		if (!a->foreign) {
			part_td_begin(h);
			part_post_button(h, &(struct part_post){
				.label = M_ACCT_END_SESSION, .cls = "danger",
				.hidden = (const struct part_hidden[]){
					{ "session", db_cell(&rows, i, 0) }, { NULL, NULL } } },
				"/o/%s/people/%lld/account/end-sessions", q->cx.org->slug,
				(long long)a->person_id);
			part_td_end(h);
		}
		part_tr_end(h);
	}
	part_table_end(h);
	if (!a->foreign)
		part_post_button(h, &(struct part_post){ .label = M_ACCT_END_ALL, .cls = "danger" },
				 "/o/%s/people/%lld/account/end-sessions", q->cx.org->slug,
				 (long long)a->person_id);
	part_section_end(h);
}

/* A table of tokens; revoke_fmt has %s (org slug) and %lld (token id),
 * or is NULL for no revoke buttons. */
static void token_table(struct req *q, struct html *h, const char *labelledby,
			const struct api_token_info *t, int n, int owner,
			const char *revoke_path, int64_t person_id)
{
	part_table_begin(h, 0, labelledby);
	part_th(h, M_API_TOKEN_LABEL);
	if (owner)
		part_th(h, M_TOKEN_OWNER); /* the organisation's page: no column of it */
	else
		part_th(h, M_TOKEN_ORG);
	part_th(h, M_TOKEN_SCOPES);
	part_th(h, M_TOKEN_RATE_SHORT);
	part_th(h, M_TOKEN_EXPIRES_AT);
	part_th(h, M_TOKEN_LAST_USED_AT);
	if (revoke_path)
		part_th(h, M_ACTIONS);
	part_table_body(h);
	for (int i = 0; i < n; i++) {
		part_tr(h);
		part_th_row_begin(h);
		h_text(h, t[i].label);
		part_th_row_end(h);
		if (owner)
			part_td(h, t[i].email ? t[i].email : "");
		else if (t[i].org_id)
			part_td(h, t[i].org_name ? t[i].org_name : "");
		else
			part_td_msg(h, M_TOKEN_ALL_ORGS);
		part_td_begin(h);
		h_lit(h, "<code>");
		h_text(h, t[i].scopes);
		h_lit(h, "</code>");
		part_td_end(h);
		part_td(h, arena_printf(q->cx.a, "%d", t[i].rate));
		part_td(h, clock_format_local(q->cx.a, t[i].expires_at));
		part_td(h, when(q, t[i].last_used_at));
		if (revoke_path) {
			part_td_begin(h);
			if (person_id)
				part_post_button(h, &(struct part_post){
					.label = M_API_TOKEN_REVOKE, .cls = "danger",
					.hidden = (const struct part_hidden[]){
						{ "token", arena_printf(q->cx.a, "%lld",
									(long long)t[i].id) },
						{ NULL, NULL } } },
					"/o/%s/people/%lld/account/revoke-token", q->cx.org->slug,
					(long long)person_id);
			else
				part_post_button(h, &(struct part_post){ .label = M_API_TOKEN_REVOKE,
									 .cls = "danger" },
						 "/o/%s/tokens/%lld/revoke", q->cx.org->slug,
						 (long long)t[i].id);
			part_td_end(h);
		}
		part_tr_end(h);
	}
	part_table_end(h);
}

static void tokens(struct req *q, struct html *h, const struct acct *a)
{
	struct api_token_info *t;
	int n = api_token_list(q->cx.db, q->cx.a, a->user_id, &t);

	if (n < 0) {
		req_fail(q, "the account's tokens", NULL);
		return;
	}
	part_section_begin(h, "a-tokens", M_API_TOKENS);
	if (!n)
		part_empty(h, M_ACCT_TOKENS_NONE);
	else
		token_table(q, h, "a-tokens", t, n, 0, a->foreign ? NULL : "x", a->person_id);
	part_section_end(h);
}

static const struct {
	const char *code;
	int msg;
} notices[] = {
	{ "disabled", M_ACCT_DISABLED_DONE }, { "enabled", M_ACCT_ENABLED_DONE },
	{ "totp", M_ACCT_TOTP_DONE }, { "sessions", M_ACCT_SESSIONS_DONE },
	{ "token", M_ACCT_TOKEN_DONE },
};

static void account_page(struct req *q, struct resp *r)
{
	struct acct a;
	struct html h;
	const char *notis = req_param(q, "notis");

	if (load(q, r, &a))
		return;
	page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s",
					       msg_text(q->cx.lang, M_ACCT_TITLE), a.name));
	for (size_t i = 0; notis && i < ARRAY_SIZE(notices); i++)
		if (!strcmp(notis, notices[i].code))
			page_notice(&h, notices[i].msg);
	h_lit(&h, "<p><a");
	h_href(&h, "/o/%s/people/%lld", q->cx.org->slug, (long long)a.person_id);
	h_lit(&h, ">");
	h_text(&h, a.name);
	h_lit(&h, "</a></p>");
	part_dl_begin(&h);
	part_dl_item(&h, M_F_EMAIL, a.st.email);
	part_dl_item(&h, M_ACCT_STATE, msg_text(q->cx.lang, a.st.disabled ? reason_msg(a.st.reason)
									   : M_ACCT_ACTIVE));
	if (a.st.disabled)
		part_dl_item(&h, M_ACCT_DISABLED_AT, when(q, a.st.disabled_at));
	part_dl_item(&h, M_ACCT_TOTP, msg_text(q->cx.lang, a.st.totp_enabled ? M_TOTP_ON
										: M_TOTP_OFF));
	part_dl_item(&h, M_ACCT_LAST_LOGIN, when(q, a.st.last_login_at));
	part_dl_end(&h);
	if (a.foreign) {
		h_lit(&h, "<div class=\"notice warning\" role=\"note\"><p>");
		h_msg(&h, M_ACCT_SHARED);
		h_lit(&h, "</p></div>");
	} else if (!a.st.disabled && a.user_id != q->sess->user_id) {
		part_card_begin(&h, "a-disable", M_ACCT_DISABLE);
		h_lit(&h, "<p>");
		h_msg(&h, M_ACCT_DISABLE_TEXT);
		h_lit(&h, "</p>");
		note_form(q, &h, &a, "/disable", M_ACCT_DISABLE, "danger");
		part_section_end(&h);
	} else if (a.st.disabled) {
		part_card_begin(&h, "a-enable", M_ACCT_ENABLE);
		h_lit(&h, "<p>");
		h_msg(&h, M_ACCT_ENABLE_TEXT);
		h_lit(&h, "</p>");
		note_form(q, &h, &a, "/enable", M_ACCT_ENABLE, "primary");
		part_section_end(&h);
	}
	if (!a.foreign && a.st.totp_enabled) {
		part_card_begin(&h, "a-totp", M_ACCT_TOTP_RESET);
		h_lit(&h, "<p>");
		h_msg(&h, M_ACCT_TOTP_RESET_TEXT);
		h_lit(&h, "</p><p>");
		h_lit(&h, "<a");
		h_href(&h, "/o/%s/people/%lld/account/reset-totp", q->cx.org->slug,
		       (long long)a.person_id);
		h_lit(&h, ">");
		h_msg(&h, M_ACCT_TOTP_RESET);
		h_lit(&h, "</a></p>");
		part_section_end(&h);
	}
	signins(q, &h, &a);
	sessions(q, &h, &a);
	tokens(q, &h, &a);
	page_end(q, r, &h);
}

static void back(struct req *q, struct resp *r, const struct acct *a, const char *notis)
{
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/people/%lld/account?notis=%s",
					 q->cx.org->slug, (long long)a->person_id, notis));
}

static const char *note_param(struct req *q)
{
	const char *n = req_param(q, "note");

	return n && utf8_length(n, strlen(n)) <= NOTE_MAX ? n : NULL;
}

static void post_disable(struct req *q, struct resp *r)
{
	struct acct a;
	struct db_error err;

	if (load(q, r, &a) || !may_change(q, r, &a))
		return;
	if (a.user_id == q->sess->user_id) {
		refuse(q, r, M_ACCT_SELF);
		return;
	}
	if (account_disable(&q->cx, a.user_id, a.person_id, ACCOUNT_BY_ADMIN, note_param(q),
			    &err)) {
		req_fail(q, "disabling an account", &err);
		return;
	}
	back(q, r, &a, "disabled");
}

static void post_enable(struct req *q, struct resp *r)
{
	struct acct a;
	struct db_error err;
	int changed;

	if (load(q, r, &a) || !may_change(q, r, &a))
		return;
	if (account_enable(&q->cx, a.user_id, a.person_id, NULL, note_param(q), &changed,
			   &err)) {
		req_fail(q, "enabling an account", &err);
		return;
	}
	back(q, r, &a, "enabled");
}

struct totp_form {
	const char *by, *how, *note;
	int by_err, how_err, note_err;
};

static void totp_page(struct req *q, struct resp *r, const struct acct *a,
		      const struct totp_form *f, int status)
{
	static const char *const names[] = { "checked_by", "checked_how", "note" };
	static const int labels[] = { M_F_CHECKED_BY, M_F_CHECKED_HOW, M_F_ACCT_NOTE };
	struct field_errors errs = { .n = 0 };
	struct part_choice ch[5];
	struct html h;
	size_t i;

	if (f->by_err)
		field_error_add(&errs, 0, f->by_err, "required");
	if (f->how_err)
		field_error_add(&errs, 1, f->how_err, "required");
	if (f->note_err)
		field_error_add(&errs, 2, f->note_err, "required");
	page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s",
					       msg_text(q->cx.lang, M_ACCT_TOTP_RESET), a->name));
	r->status = status;
	page_error_summary(&h, names, labels, &errs);
	/* R-9-14: the form warns of fake reset calls and fake sign-in links */
	h_lit(&h, "<div class=\"notice warning\" role=\"note\" id=\"fraud-warning\"><p>");
	h_msg(&h, M_ACCT_TOTP_WARNING);
	h_lit(&h, "</p></div><p>");
	h_msg(&h, M_ACCT_TOTP_RESET_TEXT);
	h_lit(&h, "</p><form method=\"post\" class=\"record\" novalidate action=\"");
	base_path(q, &h, a, "/reset-totp");
	h_lit(&h, "\">");
	h_csrf(&h);
	for (i = 0; account_check_methods[i]; i++)
		ch[i] = (struct part_choice){ account_check_methods[i],
					      msg_text(q->cx.lang,
						       account_check_label(account_check_methods[i])),
					      NULL };
	ch[i] = (struct part_choice){ NULL, NULL, NULL };
	part_field(&h, &(struct part_field){ .type = PI_TEXT, .name = "checked_by",
					     .label = M_F_CHECKED_BY, .help = M_H_CHECKED_BY,
					     .value = f->by, .max = 200, .required = 1,
					     .error = f->by_err, .autocomplete = "off" });
	part_field(&h, &(struct part_field){ .type = PI_RADIOS, .name = "checked_how",
					     .label = M_F_CHECKED_HOW, .choices = ch,
					     .value = f->how, .required = 1, .error = f->how_err });
	part_field(&h, &(struct part_field){ .type = PI_LONGTEXT, .name = "note",
					     .label = M_F_ACCT_NOTE, .help = M_H_CHECK_NOTE,
					     .value = f->note, .max = NOTE_MAX, .rows = 3,
					     .error = f->note_err });
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"danger\">");
	h_msg(&h, M_ACCT_TOTP_RESET);
	h_lit(&h, "</button> <a");
	h_href(&h, "/o/%s/people/%lld/account", q->cx.org->slug, (long long)a->person_id);
	h_lit(&h, ">");
	h_msg(&h, M_CANCEL);
	h_lit(&h, "</a></div></form>");
	page_end(q, r, &h);
}

static void get_reset_totp(struct req *q, struct resp *r)
{
	struct acct a;
	struct totp_form f = { .by = q->sess->name, .how = "", .note = "" };

	if (load(q, r, &a) || !may_change(q, r, &a))
		return;
	totp_page(q, r, &a, &f, 200);
}

static void post_reset_totp(struct req *q, struct resp *r)
{
	struct acct a;
	struct db_error err;
	struct totp_form f = { .by = req_param(q, "checked_by"), .how = req_param(q, "checked_how"),
			       .note = req_param(q, "note") };

	if (load(q, r, &a) || !may_change(q, r, &a))
		return;
	if (!f.by || !*f.by || utf8_length(f.by, strlen(f.by)) > 200)
		f.by_err = M_V_REQUIRED;
	if (!account_check_label(f.how))
		f.how_err = M_V_REQUIRED;
	if (f.note && utf8_length(f.note, strlen(f.note)) > NOTE_MAX)
		f.note_err = M_V_TOO_LONG;
	else if (f.how && !strcmp(f.how, "other") && (!f.note || !*f.note))
		f.note_err = M_V_CHECK_NOTE;
	if (f.by_err || f.how_err || f.note_err) {
		totp_page(q, r, &a, &f, 422);
		return;
	}
	if (account_reset_totp(&q->cx, a.user_id, a.person_id, f.by, f.how, f.note, &err)) {
		req_fail(q, "resetting two-step verification", &err);
		return;
	}
	back(q, r, &a, "totp");
}

static void post_end_sessions(struct req *q, struct resp *r)
{
	struct acct a;
	struct db_error err;
	const char *s = req_param(q, "session");
	int64_t sid = 0;

	if (load(q, r, &a) || !may_change(q, r, &a))
		return;
	if (s && (parse_i64(s, &sid) || sid <= 0)) {
		respond_error(q, r, 400);
		return;
	}
	if (account_end_sessions(&q->cx, a.user_id, a.person_id, sid, &err)) {
		if (err.code == DBE_NOTFOUND)
			respond_error(q, r, 404);
		else
			req_fail(q, "ending sessions", &err);
		return;
	}
	back(q, r, &a, "sessions");
}

static void post_revoke(struct req *q, struct resp *r)
{
	struct acct a;
	struct db_error err;
	const char *t = req_param(q, "token");
	int64_t tid = 0;

	if (load(q, r, &a) || !may_change(q, r, &a))
		return;
	if (!t || parse_i64(t, &tid) || tid <= 0) {
		respond_error(q, r, 400);
		return;
	}
	if (account_revoke_token(&q->cx, a.user_id, a.person_id, tid, 0, &err)) {
		if (err.code == DBE_NOTFOUND)
			respond_error(q, r, 404);
		else
			req_fail(q, "revoking a token", &err);
		return;
	}
	back(q, r, &a, "token");
}

/* ---- the organisation's tokens ---- */

static void org_tokens(struct req *q, struct resp *r)
{
	struct api_token_info *t;
	struct html h;
	int n = api_token_list_org(q->cx.db, q->cx.a, q->cx.org->id, &t);

	if (n < 0) {
		respond_error(q, r, 500);
		return;
	}
	page_begin(q, r, &h, M_ORG_TOKENS_TITLE);
	if (req_param(q, "notis"))
		page_notice(&h, M_ACCT_TOKEN_DONE);
	h_lit(&h, "<p>");
	h_msg(&h, M_ORG_TOKENS_INTRO);
	h_lit(&h, "</p>");
	part_section_begin(&h, "o-tokens", M_API_TOKENS);
	if (!n)
		part_empty(&h, M_ACCT_TOKENS_NONE);
	else
		token_table(q, &h, "o-tokens", t, n, 1, "x", 0);
	part_section_end(&h);
	page_end(q, r, &h);
}

static void org_token_revoke(struct req *q, struct resp *r)
{
	struct db_error err;

	/* a token of this organisation, whoever owns it */
	if (account_revoke_token(&q->cx, 0, 0, req_id(q), q->cx.org->id, &err)) {
		if (err.code == DBE_NOTFOUND)
			respond_error(q, r, 404);
		else
			req_fail(q, "revoking a token", &err);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/tokens?notis=1", q->cx.org->slug));
}

static const struct param p_notis[] = { { "notis", P_STR, 20 }, { NULL, 0, 0 } };
static const struct param p_note[] = {
	{ "csrf", P_STR, 128 }, { "note", P_STR, 4 * NOTE_MAX }, { NULL, 0, 0 },
};
static const struct param p_totp[] = {
	{ "csrf", P_STR, 128 }, { "checked_by", P_STR, 800 }, { "checked_how", P_STR, 40 },
	{ "note", P_STR, 4 * NOTE_MAX }, { NULL, 0, 0 },
};
static const struct param p_session[] = {
	{ "csrf", P_STR, 128 }, { "session", P_STR, 20 }, { NULL, 0, 0 },
};
static const struct param p_token[] = {
	{ "csrf", P_STR, 128 }, { "token", P_STR, 20 }, { NULL, 0, 0 },
};
static const struct param p_csrf[] = { { "csrf", P_STR, 128 }, { NULL, 0, 0 } };

#define SMALL (16 * 1024)

const struct route account_routes[] = {
	{ "GET", "/o/{org}/people/{id}/account", account_page, RB(ROLE_ADMIN), 0, 0, p_notis,
	  NULL },
	{ "POST", "/o/{org}/people/{id}/account/disable", post_disable, RB(ROLE_ADMIN), 0,
	  SMALL, p_note, NULL },
	{ "POST", "/o/{org}/people/{id}/account/enable", post_enable, RB(ROLE_ADMIN), 0, SMALL,
	  p_note, NULL },
	{ "GET", "/o/{org}/people/{id}/account/reset-totp", get_reset_totp, RB(ROLE_ADMIN), 0,
	  0, NULL, NULL },
	{ "POST", "/o/{org}/people/{id}/account/reset-totp", post_reset_totp, RB(ROLE_ADMIN),
	  0, SMALL, p_totp, NULL },
	{ "POST", "/o/{org}/people/{id}/account/end-sessions", post_end_sessions,
	  RB(ROLE_ADMIN), 0, SMALL, p_session, NULL },
	{ "POST", "/o/{org}/people/{id}/account/revoke-token", post_revoke, RB(ROLE_ADMIN), 0,
	  SMALL, p_token, NULL },
	{ "GET", "/o/{org}/tokens", org_tokens, RB(ROLE_ADMIN), 0, 0, p_notis, NULL },
	{ "POST", "/o/{org}/tokens/{id}/revoke", org_token_revoke, RB(ROLE_ADMIN), 0, SMALL,
	  p_csrf, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
