/* pages_auth.c - signing in and out, the TOTP step, reset links and the
 * user's own account page.
 *
 * Forms posted before there is a session (sign-in, reset link) cannot carry
 * the session's CSRF token, so they use a double-submit cookie: GET sets
 * PRE_COOKIE to a random value that the form repeats in the hidden field
 * "pre"; POST requires the two to match (an attacker's page can make the
 * browser post, but cannot read or set our cookie), plus a same-origin
 * Origin header when one is sent.  Those routes are RF_NO_CSRF and check
 * this themselves (pre_ok).
 *
 * Session stages (auth.h): a session in stage totp or setup has stage_totp
 * set, so the router sends it to /logga-in/kod for anything not flagged
 * RF_TOTP_STAGE.  The RF_TOTP_STAGE handlers here then tell the stages
 * apart: totp may only use the code form; setup only the TOTP setup on
 * /konto (and /logga-in/kod sends it there).
 */
#include "base/base.h"

#include "base/clock.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/scope.h"
#include "db/db.h"
#include "modules/signin/signin.h"
#include "modules/signin/identity.h"
#include "parse/cookie.h"
#include "parse/form.h"
#include "web/app.h"
#include "web/html.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"
#include "web/router.h"

#define TOKEN_LEN 43 /* 32 bytes in unpadded base64url */
#define LABEL_MAX 100

/* ---- small helpers ------------------------------------------------------- */

static void set_cookie(struct req *q, struct resp *r, const char *name,
		       const char *value, const char *extra)
{
	resp_header(r, "Set-Cookie",
		    arena_printf(q->cx.a, "%s=%s; Path=/; HttpOnly; %s%s", name, value,
				 extra, auth_cfg.cookie_secure ? "; Secure" : ""));
}

/* The browser's language (app.h LANG_COOKIE): a preference, not a secret. */
static void set_lang_cookie(struct req *q, struct resp *r, int lang)
{
	set_cookie(q, r, LANG_COOKIE, lang_code(lang), "SameSite=Lax; Max-Age=31536000");
}

static void set_session_cookie(struct req *q, struct resp *r, const char *token)
{
	/* No Max-Age: the cookie dies with the browser; the server's idle
	 * and absolute time-outs apply either way. */
	set_cookie(q, r, SESSION_COOKIE, token, "SameSite=Lax");
}

static void clear_session_cookie(struct req *q, struct resp *r)
{
	set_cookie(q, r, SESSION_COOKIE, "", "SameSite=Lax; Max-Age=0");
}

static void clear_pre_cookie(struct req *q, struct resp *r)
{
	set_cookie(q, r, PRE_COOKIE, "", "SameSite=Strict; Max-Age=0");
}

/* The double-submit value for a pre-session form: the browser's current
 * one if it has one (several open tabs keep working), else a new one. */
static const char *pre_token(struct req *q, struct resp *r)
{
	const char *v = cookie_get(q->cx.a, q->h_cookie, PRE_COOKIE);
	char fresh[48];

	if (!v || strlen(v) != TOKEN_LEN) {
		auth_random_token(fresh, sizeof(fresh));
		v = arena_strdup(q->cx.a, fresh);
	}
	set_cookie(q, r, PRE_COOKIE, v, "SameSite=Strict; Max-Age=7200");
	return v;
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Origin, when the browser sends it, must be this site; a browser that
 * says the request is cross-site is believed. */
static int same_origin(struct req *q)
{
	const char *o = q->h_origin, *host = q->h_host;

	if (q->h_sec_fetch_site && !strcmp(q->h_sec_fetch_site, "cross-site"))
		return 0;
	if (!o)
		return 1;
	if (q->app && q->app->base_url && !strcmp(o, q->app->base_url))
		return 1;
	if (!host)
		return 0;
	return (starts_with(o, "http://") && !strcmp(o + 7, host)) ||
	       (starts_with(o, "https://") && !strcmp(o + 8, host));
}

static int pre_ok(struct req *q)
{
	const char *c = cookie_get(q->cx.a, q->h_cookie, PRE_COOKIE);
	const char *f = req_param(q, "pre");

	if (!same_origin(q) || !c || !f || strlen(c) != TOKEN_LEN ||
	    strlen(f) != TOKEN_LEN)
		return 0;
	return ct_equal(c, f, TOKEN_LEN);
}

/* A local path to go on to after signing in, or NULL.  resp_redirect
 * refuses off-site targets anyway; this also keeps out loops. */
static const char *local_next(const char *n)
{
	if (!n || n[0] != '/' || n[1] == '/' || n[1] == '\\' ||
	    starts_with(n, "/logga-in") || starts_with(n, "/logga-ut"))
		return NULL;
	for (const char *c = n; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '\\')
			return NULL;
	return n;
}

static const char *next_path(struct req *q)
{
	return local_next(req_param(q, "next"));
}

static void redirect_next(struct req *q, struct resp *r)
{
	const char *n = next_path(q);

	resp_redirect(q, r, n ? n : "/");
}

static void no_store(struct req *q, struct resp *r)
{
	/* page_begin says no-store for signed-in pages; these carry secrets
	 * (the double-submit value, a reset link) before there is a session. */
	if (!q->sess)
		resp_header(r, "Cache-Control", "no-store");
}

static void audit_auth(struct req *q, const char *action, int64_t user_id,
		       const char *actor, const char *summary)
{
	struct audit_event ev = { 0 };

	audit_from_ctx(&q->cx, &ev);
	ev.action = action;
	if (user_id)
		ev.user_id = user_id;
	if (actor)
		ev.actor = actor;
	ev.summary = summary ? summary : "";
	audit_append_now(q->cx.db, q->cx.a, &ev);
}

static void mark_login(struct req *q, int64_t user_id)
{
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, "UPDATE app_user SET last_login_at = $1 WHERE id = $2",
		    DB_ARGS(DB_INT(clock_now()), DB_INT(user_id)), NULL, &err))
		log_warn("recording the sign-in time: %s", err.msg);
}

static const char *user_email(struct req *q, int64_t user_id)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, "SELECT email FROM app_user WHERE id = $1",
		    DB_ARGS(DB_INT(user_id)), &rows, &err) || rows.nrows != 1)
		return "";
	return db_cell(&rows, 0, 0);
}

/* Cut a typed e-mail address to a sane length for the audit trail. */
static const char *actor_of(struct req *q, const char *email)
{
	const char *e = auth_normalize_email(q->cx.a, email);

	return strlen(e) > 254 ? arena_strndup(q->cx.a, e, 254) : e;
}

/* ---- form markup ----------------------------------------------------------- */

/* The alert at the top of a form; id "errors" for aria-describedby. */
static void form_alert(struct html *h, int msg)
{
	h_lit(h, "<div class=\"error-summary\" role=\"alert\" id=\"errors\" tabindex=\"-1\" autofocus><p>");
	h_msg(h, msg);
	h_lit(h, "</p></div>\n");
}

static void submit(struct html *h, int label)
{
	h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(h, label);
	h_lit(h, "</button></div>");
}

/* ---- sign-in ------------------------------------------------------------- */

struct signin_view {
	int status;
	int notice;         /* M_SIGNED_OUT, ... */
	int alert;          /* M_SIGN_IN_FAILED, M_ERR_CSRF */
	int email_err, pw_err;
	const char *email;
};

/* The language choice of the pages before signing in: two links, each
 * language named in itself, that work without JavaScript (GET /sprak sets
 * LANG_COOKIE and comes back). */
static void lang_links(struct req *q, struct html *h)
{
	static const struct { int lang; const char *code, *name; } langs[] = {
		{ LANG_SV, "sv", "Svenska" }, { LANG_EN, "en", "English" },
	};
	const char *next = next_path(q);

	h_lit(h, "<nav class=\"langs\"");
	h_attr(h, "aria-label", msg_text(q->cx.lang, M_LANGUAGE));
	h_lit(h, "><ul>");
	for (size_t i = 0; i < ARRAY_SIZE(langs); i++) {
		h_lit(h, "<li><a");
		h_attr(h, "lang", langs[i].code);
		h_attr(h, "hreflang", langs[i].code);
		if (q->cx.lang == langs[i].lang)
			h_lit(h, " aria-current=\"true\"");
		h_lit(h, " href=\"");
		if (next)
			h_url(h, "/sprak?lang=%s&next=%s", langs[i].code, next);
		else
			h_url(h, "/sprak?lang=%s", langs[i].code);
		h_lit(h, "\">");
		h_text(h, langs[i].name);
		h_lit(h, "</a></li>");
	}
	h_lit(h, "</ul></nav>");
}

/* GET /sprak?lang=en[&next=/path]: the browser's language, then back to
 * the sign-in page (or the local path it came from). */
static void get_lang(struct req *q, struct resp *r)
{
	const char *l = req_param(q, "lang");
	const char *next = next_path(q);

	if (!l || (strcmp(l, "sv") && strcmp(l, "en"))) {
		respond_error(q, r, 400);
		return;
	}
	set_lang_cookie(q, r, lang_parse(l));
	if (next) {
		struct buf b = BUF_INIT;
		buf_puts(&b, "/logga-in?next=");
		url_encode(&b, next);
		resp_redirect(q, r, arena_strdup(q->cx.a, b.p));
		buf_release(&b);
	} else {
		resp_redirect(q, r, "/logga-in");
	}
}

static void signin_page(struct req *q, struct resp *r, const struct signin_view *v)
{
	struct html h;
	const char *pre = pre_token(q, r);

	page_begin(q, r, &h, M_SIGN_IN);
	r->status = v->status;
	no_store(q, r);
	lang_links(q, &h);
	if (v->notice)
		page_notice(&h, v->notice);
	if (v->alert)
		form_alert(&h, v->alert);
	signin_external_buttons(q, &h, next_path(q)); /* modules/signin */
	h_lit(&h, "<p>");
	h_msg(&h, M_SIGN_IN_INTRO);
	h_lit(&h, "</p><form method=\"post\" action=\"/logga-in\" class=\"form narrow\">");
	part_hidden(&h, "pre", pre);
	part_hidden(&h, "next", next_path(q));
	/* an e-mail address, or a directory's user name (modules/signin) */
	part_field(&h, &(struct part_field){ .type = PI_TEXT, .name = "email", .plain = 1,
					     .label = M_SI_LOGIN, .error = v->email_err,
					     .autocomplete = "username",
					     .value = v->email ? v->email : "", .max = 254,
					     .required = 1,
					     .describedby = v->alert ? "errors" : NULL });
	part_field(&h, &(struct part_field){ .type = PI_PASSWORD, .name = "password",
					     .label = M_PASSWORD, .error = v->pw_err,
					     .autocomplete = "current-password", .required = 1,
					     .describedby = v->alert ? "errors" : NULL });
	submit(&h, M_SIGN_IN);
	h_lit(&h, "</form><p class=\"hint\">");
	h_msg(&h, M_SIGN_IN_FORGOT);
	h_lit(&h, "</p>");
	page_end(q, r, &h);
}

static void throttled_page(struct req *q, struct resp *r, int64_t wait)
{
	struct html h;
	int64_t minutes = (wait + 59) / 60;

	page_begin(q, r, &h, M_THROTTLED_TITLE);
	r->status = 429;
	resp_header(r, "Retry-After", arena_printf(q->cx.a, "%lld", (long long)wait));
	h_lit(&h, "<p>");
	h_msg(&h, M_THROTTLED_TEXT);
	h_lit(&h, "</p><p>");
	h_msg(&h, M_TRY_AGAIN_IN);
	h_lit(&h, " ");
	h_int(&h, minutes);
	h_lit(&h, " ");
	h_msg(&h, minutes == 1 ? M_AUTH_MINUTE : M_AUTH_MINUTES);
	h_lit(&h, ".</p><p class=\"hint\">");
	h_msg(&h, M_SIGN_IN_FORGOT);
	h_lit(&h, "</p>");
	page_end(q, r, &h);
}

/* Where a session that is not yet full belongs. */
static const char *stage_home(const struct session *s)
{
	return s->stage == STAGE_SETUP ? "/konto" : "/logga-in/kod";
}

static void get_sign_in(struct req *q, struct resp *r)
{
	const char *out = req_param(q, "utloggad");
	struct signin_view v = { .status = 200 };

	if (q->sess) {
		if (q->sess->stage != STAGE_FULL)
			resp_redirect(q, r, stage_home(q->sess));
		else
			redirect_next(q, r);
		return;
	}
	if (out && !strcmp(out, "1"))
		v.notice = M_SIGNED_OUT;
	signin_page(q, r, &v);
}

/* A login the local accounts did not sign in, tried against the
 * organisations' directories (modules/signin/identity.h).  On success the
 * source's name, with si filled as for a local sign-in; else NULL with
 * *alert the message to show (a directory that does not answer, or a
 * person without a role, said plainly; anything else the generic one). */
static const char *directory_sign_in(struct req *q, const char *login, const char *pw,
				     struct signin *si, int *alert)
{
	const struct identity_source *src = NULL;
	struct db_rows rows;
	struct db_error err;
	int64_t uid = 0;
	enum identity_result res = identity_password_signin(q->cx.db, q->cx.a, login, pw,
							    q->remote_ip, &uid, &src);

	*alert = res == ID_UNAVAILABLE ? M_SI_SIGNIN_DOWN
		 : res == ID_NO_ROLE   ? M_SI_SIGNIN_NO_ROLE
				       : M_SIGN_IN_FAILED;
	if (res != ID_OK) {
		/* the directory that knew the person, if one did, in the trail */
		/* what was typed for an account no one knows (often a password
		 * in the wrong field) is not stored */
		audit_auth(q, "signin_failed", si->user_id,
			   si->user_id || src ? actor_of(q, login) : AUDIT_ACTOR_UNKNOWN,
			   src ? src->name : NULL);
		return NULL;
	}
	if (db_exec(q->cx.db, q->cx.a, "SELECT totp_enabled FROM app_user WHERE id = $1",
		    DB_ARGS(DB_INT(uid)), &rows, &err) || rows.nrows != 1)
		return NULL;
	memset(si, 0, sizeof(*si));
	si->user_id = uid;
	si->totp_enabled = (int)db_cell_i64(&rows, 0, 0);
	si->totp_required = !si->totp_enabled && auth_totp_required(q->cx.db, q->cx.a, uid) > 0;
	auth_note_success(q->cx.db, auth_normalize_email(q->cx.a, login), q->remote_ip);
	return src->name;
}

/* The end of every sign-in (password, directory, provider): a fresh
 * session at stage, an old one in this browser ended (no session
 * fixation); then the code page when the second factor is due, else the
 * "signin" event and the page to go on to (next: a checked local path, or
 * NULL for the start page; /konto for the TOTP setup). */
static void finish_sign_in(struct req *q, struct resp *r, int64_t user_id, int64_t org_id,
			   int stage, const char *next, const char *actor, const char *method)
{
	struct audit_event ev = { 0 };
	struct db_error err;
	const char *token;

	if (q->sess && q->sess->id)
		session_end(q->cx.db, q->cx.a, q->sess->id, &err);
	token = session_create(q->cx.db, q->cx.a, user_id, stage, q->remote_ip, &err);
	if (!token) {
		log_error("creating a session: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	clear_pre_cookie(q, r);
	set_session_cookie(q, r, token);
	if (stage == STAGE_TOTP) {
		struct buf b = BUF_INIT;

		buf_puts(&b, "/logga-in/kod");
		if (next) {
			buf_puts(&b, "?next=");
			url_encode(&b, next);
		}
		resp_redirect(q, r, b.p);
		buf_release(&b);
		return;
	}
	mark_login(q, user_id);
	audit_from_ctx(&q->cx, &ev);
	ev.action = "signin";
	ev.user_id = user_id;
	if (org_id)
		ev.org_id = org_id;
	ev.actor = actor_of(q, actor);
	ev.summary = method ? method : "";
	audit_append_now(q->cx.db, q->cx.a, &ev);
	resp_redirect(q, r, stage == STAGE_SETUP ? "/konto" : next ? next : "/");
}

static void post_sign_in(struct req *q, struct resp *r)
{
	const char *email = req_param(q, "email");
	const char *pw = req_param(q, "password");
	struct signin_view v = { .status = 422, .email = email };
	struct signin si;
	const char *method = "password";
	int stage;

	if (!pre_ok(q)) {
		v.status = 400;
		v.alert = M_ERR_CSRF;
		signin_page(q, r, &v);
		return;
	}
	if (!email || !*email)
		v.email_err = M_V_REQUIRED;
	if (!pw || !*pw)
		v.pw_err = M_V_REQUIRED;
	if (v.email_err || v.pw_err) {
		v.alert = M_FORM_HAS_ERRORS;
		signin_page(q, r, &v);
		return;
	}

	switch (auth_check_password(q->cx.db, q->cx.a, email, pw, q->remote_ip, &si)) {
	case SIGNIN_THROTTLED:
		log_warn("sign-in throttled (address %s)", q->remote_ip ? q->remote_ip : "-");
		throttled_page(q, r, si.wait);
		return;
	case SIGNIN_ERROR:
		respond_error(q, r, 500);
		return;
	case SIGNIN_BAD:
		if ((method = directory_sign_in(q, email, pw, &si, &v.alert)) != NULL)
			break;
		signin_page(q, r, &v);
		return;
	case SIGNIN_OK:
		break;
	}

	stage = si.totp_enabled ? STAGE_TOTP : si.totp_required ? STAGE_SETUP : STAGE_FULL;
	finish_sign_in(q, r, si.user_id, 0, stage, next_path(q), user_email(q, si.user_id),
		       stage == STAGE_SETUP ? arena_printf(q->cx.a, "%s_setup", method) : method);
}

/* The end of a sign-in through an identity source (web/pages.h): a fresh
 * session with the stages of a password sign-in, unless the source's own
 * sign-in counts as the second factor. */
void auth_external_signin(struct req *q, struct resp *r, const struct auth_external *x)
{
	struct db_rows rows;
	struct db_error err;
	int stage = STAGE_FULL, req = 0;

	if (!x->second_factor_done) {
		if (db_exec(q->cx.db, q->cx.a, "SELECT totp_enabled FROM app_user WHERE id = $1",
			    DB_ARGS(DB_INT(x->user_id)), &rows, &err) || rows.nrows != 1 ||
		    (!db_cell_i64(&rows, 0, 0) &&
		     (req = auth_totp_required(q->cx.db, q->cx.a, x->user_id)) < 0)) {
			respond_error(q, r, 500);
			return;
		}
		stage = db_cell_i64(&rows, 0, 0) ? STAGE_TOTP : req ? STAGE_SETUP : STAGE_FULL;
	}
	finish_sign_in(q, r, x->user_id, x->org_id, stage, local_next(x->next), x->actor,
		       x->method);
}

/* ---- the second factor ----------------------------------------------------- */

static void code_page(struct req *q, struct resp *r, int status, int err)
{
	struct html h;

	page_begin(q, r, &h, M_TOTP_TITLE);
	r->status = status;
	if (err)
		form_alert(&h, M_FORM_HAS_ERRORS);
	h_lit(&h, "<p>");
	h_msg(&h, M_TOTP_SIGN_IN_TEXT);
	h_lit(&h, "</p><form method=\"post\" action=\"/logga-in/kod\" class=\"form narrow\">");
	h_csrf(&h);
	part_hidden(&h, "next", next_path(q));
	/* One field for both kinds of code: people who lost the phone should
	 * not have to find a second form.  No inputmode=numeric, because
	 * recovery codes have letters. */
	part_field(&h, &(struct part_field){ .type = PI_TEXT, .name = "code", .label = M_TOTP_CODE,
					     .help = M_TOTP_CODE_HINT, .error = err,
					     .autocomplete = "one-time-code", .value = "",
					     .max = 20, .required = 1, .plain = 1 });
	submit(&h, M_AUTH_CONTINUE);
	h_lit(&h, "</form>");
	/* The header has no sign-out button before the second factor. */
	part_post_button(&h, &(struct part_post){ .label = M_SIGN_OUT, .cls = "link" },
			 "/logga-ut");
	page_end(q, r, &h);
}

static void get_code(struct req *q, struct resp *r)
{
	if (q->sess->stage == STAGE_FULL) {
		redirect_next(q, r);
		return;
	}
	if (q->sess->stage == STAGE_SETUP) {
		resp_redirect(q, r, "/konto");
		return;
	}
	code_page(q, r, 200, 0);
}

static int is_digits_code(const char *c)
{
	size_t n = 0;

	for (; *c; c++) {
		if (*c >= '0' && *c <= '9')
			n++;
		else if (*c != ' ')
			return 0;
	}
	return n == 6;
}

static void post_code(struct req *q, struct resp *r)
{
	struct session *s = q->sess;
	const char *code = req_param(q, "code");
	const char *token, *how;
	struct db_error err;
	int64_t wait;
	int ok;

	if (s->stage != STAGE_TOTP) {
		get_code(q, r);
		return;
	}
	wait = auth_throttled(q->cx.db, s->email, q->remote_ip);
	if (wait > 0) {
		throttled_page(q, r, wait);
		return;
	}
	if (!code || !*code) {
		code_page(q, r, 422, M_V_REQUIRED);
		return;
	}
	if (is_digits_code(code)) {
		ok = totp_check(q->cx.db, q->cx.a, s->user_id, code);
		how = "totp";
	} else {
		ok = recovery_code_use(q->cx.db, q->cx.a, s->user_id, code);
		how = "recovery";
	}
	if (ok < 0) {
		respond_error(q, r, 500);
		return;
	}
	if (!ok) {
		auth_note_failure(q->cx.db, s->email, q->remote_ip);
		audit_auth(q, "totp_failed", 0, NULL, how);
		code_page(q, r, 422, M_TOTP_WRONG);
		return;
	}
	if (session_promote(q->cx.db, q->cx.a, s, &token, &err)) {
		log_error("promoting a session: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	auth_note_success(q->cx.db, s->email, q->remote_ip);
	set_session_cookie(q, r, token);
	mark_login(q, s->user_id);
	audit_auth(q, "signin", 0, NULL, how); /* method codes: pages_audit.c */
	redirect_next(q, r);
}

/* ---- signing out ------------------------------------------------------------- */

static void post_sign_out(struct req *q, struct resp *r)
{
	struct db_error err;

	if (session_end(q->cx.db, q->cx.a, q->sess->id, &err))
		log_error("ending a session: %s", err.msg);
	audit_auth(q, "signout", 0, NULL, NULL);
	clear_session_cookie(q, r);
	resp_redirect(q, r, "/logga-in?utloggad=1");
}

static void post_sign_out_all(struct req *q, struct resp *r)
{
	struct db_error err;

	if (session_end_all(q->cx.db, q->cx.a, q->sess->user_id, &err)) {
		log_error("ending all sessions: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	audit_auth(q, "signout", 0, NULL, "everywhere");
	clear_session_cookie(q, r);
	resp_redirect(q, r, "/logga-in?utloggad=1");
}

/* ---- reset links --------------------------------------------------------------- */

static void reset_invalid(struct req *q, struct resp *r)
{
	struct html h;

	page_begin(q, r, &h, M_RESET_INVALID_TITLE);
	r->status = 404;
	no_store(q, r);
	h_lit(&h, "<p>");
	h_msg(&h, M_RESET_INVALID);
	h_lit(&h, "</p>");
	page_end(q, r, &h);
}

static void reset_page(struct req *q, struct resp *r, int status, const char *email,
		       int alert, int pw_err, int repeat_err)
{
	struct html h;
	const char *pre = pre_token(q, r);

	page_begin(q, r, &h, M_RESET_TITLE);
	r->status = status;
	no_store(q, r);
	/* The token is in the address: tell the browser not to pass it on. */
	resp_header(r, "Referrer-Policy", "no-referrer");
	if (alert)
		form_alert(&h, alert);
	h_lit(&h, "<form method=\"post\" class=\"form narrow\"");
	h_attr(&h, "action", arena_printf(q->cx.a, "/aterstall/%s", q->pathv[0]));
	h_lit(&h, ">");
	part_hidden(&h, "pre", pre);
	/* For password managers: which account the new password belongs to. */
	h_lit(&h, "<p>");
	h_msg(&h, M_AUTH_EMAIL);
	h_lit(&h, ": <strong>");
	h_text(&h, email);
	h_lit(&h, "</strong></p><input type=\"email\" name=\"username\" autocomplete=\"username\" hidden readonly");
	h_attr(&h, "value", email);
	h_lit(&h, ">");
	part_field(&h, &(struct part_field){ .type = PI_PASSWORD, .name = "password",
					     .label = M_NEW_PASSWORD, .help = M_PASSWORD_HINT,
					     .error = pw_err, .autocomplete = "new-password",
					     .required = 1 });
	part_field(&h, &(struct part_field){ .type = PI_PASSWORD, .name = "repeat",
					     .label = M_REPEAT_PASSWORD, .error = repeat_err,
					     .autocomplete = "new-password", .required = 1 });
	submit(&h, M_SAVE);
	h_lit(&h, "</form>");
	page_end(q, r, &h);
}

static void get_reset(struct req *q, struct resp *r)
{
	int64_t uid = reset_token_check(q->cx.db, q->cx.a, q->pathv[0]);

	if (!uid) {
		reset_invalid(q, r);
		return;
	}
	reset_page(q, r, 200, user_email(q, uid), 0, 0, 0);
}

/* Checks a new password and its repetition; 0 if both are fine. */
static int new_password_errors(const char *pw, const char *repeat, int *pw_err,
			       int *repeat_err)
{
	*pw_err = pw && *pw ? auth_password_problem(pw) : M_V_REQUIRED;
	*repeat_err = 0;
	if (!*pw_err && (!repeat || strcmp(pw, repeat)))
		*repeat_err = M_PW_MISMATCH;
	return *pw_err || *repeat_err;
}

static void post_reset(struct req *q, struct resp *r)
{
	const char *pw = req_param(q, "password");
	const char *repeat = req_param(q, "repeat");
	int64_t uid = reset_token_check(q->cx.db, q->cx.a, q->pathv[0]);
	struct db_error err;
	const char *email;
	struct html h;
	int pw_err, repeat_err;

	if (!uid) {
		reset_invalid(q, r);
		return;
	}
	email = user_email(q, uid);
	if (!pre_ok(q)) {
		reset_page(q, r, 400, email, M_ERR_CSRF, 0, 0);
		return;
	}
	if (new_password_errors(pw, repeat, &pw_err, &repeat_err)) {
		reset_page(q, r, 422, email, M_FORM_HAS_ERRORS, pw_err, repeat_err);
		return;
	}
	uid = reset_token_use(q->cx.db, q->cx.a, q->pathv[0], pw, &err);
	if (uid == 0) {
		reset_invalid(q, r);
		return;
	}
	if (uid < 0) {
		log_error("using a reset link: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	auth_note_success(q->cx.db, email, NULL);
	audit_auth(q, "password_reset", uid, email, "one-time link");
	clear_pre_cookie(q, r);
	if (q->sess && q->sess->user_id == uid) {
		/* reset_token_use ended it with the user's other sessions */
		clear_session_cookie(q, r);
		q->sess = NULL;
	}
	page_begin(q, r, &h, M_RESET_TITLE);
	no_store(q, r);
	resp_header(r, "Referrer-Policy", "no-referrer");
	page_notice(&h, M_RESET_DONE);
	h_lit(&h, "<p><a href=\"/logga-in\">");
	h_msg(&h, M_SIGN_IN);
	h_lit(&h, "</a></p>");
	page_end(q, r, &h);
}

/* ---- the account page ---------------------------------------------------------- */

struct account_view {
	int status;
	int notice;
	/* password form */
	int pw_alert, cur_err, new_err, repeat_err;
	/* API token form */
	int tok_alert, label_err, days_err, org_err, scope_err, rate_err;
	const char *label, *days, *org, *scopes, *rate;
};

static void section_lang(struct req *q, struct html *h)
{
	/* each language named in itself */
	const struct part_choice langs[] = {
		{ "sv", msg_text(LANG_SV, M_SWEDISH), "sv" },
		{ "en", msg_text(LANG_EN, M_ENGLISH), "en" },
		{ NULL, NULL, NULL },
	};

	part_card_begin(h, "h-lang", M_LANGUAGE);
	h_lit(h, "<form method=\"post\" action=\"/konto/sprak\" class=\"form\">");
	h_csrf(h);
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "lang", .label = M_LANGUAGE,
					    .help = M_LANG_HINT, .choices = langs,
					    .value = q->sess->lang == LANG_EN ? "en" : "sv" });
	submit(h, M_SAVE);
	h_lit(h, "</form>");
	part_section_end(h);
}

static void section_password(struct req *q, struct html *h, const struct account_view *v)
{
	part_card_begin(h, "h-password", M_CHANGE_PASSWORD);
	if (v->pw_alert)
		form_alert(h, v->pw_alert);
	h_lit(h, "<form method=\"post\" action=\"/konto/losenord\" class=\"form\">");
	h_csrf(h);
	h_lit(h, "<input type=\"email\" name=\"username\" autocomplete=\"username\" hidden readonly");
	h_attr(h, "value", q->sess->email);
	h_lit(h, ">");
	part_field(h, &(struct part_field){ .type = PI_PASSWORD, .name = "current",
					    .label = M_CURRENT_PASSWORD, .error = v->cur_err,
					    .autocomplete = "current-password", .required = 1 });
	part_field(h, &(struct part_field){ .type = PI_PASSWORD, .name = "password",
					    .label = M_NEW_PASSWORD, .help = M_PASSWORD_HINT,
					    .error = v->new_err, .autocomplete = "new-password",
					    .required = 1 });
	part_field(h, &(struct part_field){ .type = PI_PASSWORD, .name = "repeat",
					    .label = M_REPEAT_PASSWORD, .error = v->repeat_err,
					    .autocomplete = "new-password", .required = 1 });
	submit(h, M_CHANGE_PASSWORD);
	h_lit(h, "</form>");
	part_section_end(h);
}

static void section_totp(struct req *q, struct html *h)
{
	part_card_begin(h, "h-totp", M_TOTP_TITLE);
	if (q->sess->totp_enabled) {
		int left = recovery_codes_left(q->cx.db, q->cx.a, q->sess->user_id);

		if (left < 0)
			req_fail(q, "recovery codes left", NULL);
		h_lit(h, "<p>");
		h_msg(h, M_TOTP_IS_ON);
		h_lit(h, "</p>");
		if (left >= 0) {
			h_lit(h, "<p>");
			h_msg(h, M_RECOVERY_LEFT);
			h_lit(h, " ");
			h_int(h, left);
			h_lit(h, "</p>");
		}
	} else {
		h_lit(h, "<p>");
		h_msg(h, M_TOTP_IS_OFF);
		h_lit(h, "</p>");
		part_post_button(h, &(struct part_post){ .label = M_TOTP_ENABLE },
				 "/konto/tvastegs");
	}
	part_section_end(h);
}

/* A token's organisation (one where the account holds a role), scopes
 * and rate limit (issue 13; core/scope.h). */
static void token_scope_fields(struct req *q, struct html *h, const struct account_view *v)
{
	size_t n = 0;
	struct org_ctx *orgs = app_user_orgs(q, &n);
	struct part_choice *ch = arena_alloc(q->cx.a, (n + 1) * sizeof(*ch));
	struct buf mods = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		ch[i] = (struct part_choice){ orgs[i].slug, orgs[i].name, NULL };
	ch[n] = (struct part_choice){ NULL, NULL, NULL };
	for (const char *const *m = scope_modules(); *m; m++)
		buf_printf(&mods, "%s%s", m == scope_modules() ? "" : ", ", *m);
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "org", .label = M_TOKEN_ORG,
					    .choices = ch, .error = v->org_err, .required = 1,
					    .value = v->org ? v->org : (n ? orgs[0].slug : "") });
	/* the hint names the modules, so it is composed here rather than a
	 * field's help message */
	h_lit(h, "<p id=\"scopes-hint\">");
	h_text(h, msg_fill(q->cx.a, msg_text(q->cx.lang, M_TOKEN_SCOPES_HINT), "{modules}",
			   mods.p ? mods.p : ""));
	h_lit(h, "</p>");
	part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "scopes",
					    .label = M_TOKEN_SCOPES, .error = v->scope_err,
					    .autocomplete = "off", .plain = 1,
					    .value = v->scopes ? v->scopes : "*:read", .max = 500,
					    .required = 1, .describedby = "scopes-hint" });
	buf_release(&mods);
	part_field(h, &(struct part_field){ .type = PI_INT, .name = "rate", .label = M_TOKEN_RATE,
					    .error = v->rate_err, .autocomplete = "off",
					    .value = v->rate ? v->rate : "120", .min = 1,
					    .max = API_TOKEN_RATE_MAX, .required = 1 });
}

static void section_tokens(struct req *q, struct html *h, const struct account_view *v)
{
	struct api_token_info *t;
	int n = api_token_list(q->cx.db, q->cx.a, q->sess->user_id, &t);

	if (n < 0) {
		req_fail(q, "the account's API tokens", NULL);
		return;
	}
	part_card_begin(h, "h-tokens", M_API_TOKENS);
	h_lit(h, "<p>");
	h_msg(h, M_API_TOKENS_TEXT);
	h_lit(h, "</p>");
	if (!n) {
		part_empty(h, M_API_TOKEN_NONE);
	} else {
		part_table_begin(h, 0, "h-tokens");
		part_th(h, M_API_TOKEN_LABEL);
		part_th(h, M_TOKEN_ORG);
		part_th(h, M_TOKEN_SCOPES);
		part_th(h, M_TOKEN_CREATED_AT);
		part_th(h, M_TOKEN_EXPIRES_AT);
		part_th(h, M_TOKEN_LAST_USED_AT);
		part_th(h, M_ACTIONS);
		part_table_body(h);
		for (int i = 0; i < n; i++) {
			part_tr(h);
			part_th_row_begin(h);
			h_text(h, t[i].label);
			part_th_row_end(h);
			if (t[i].org_id)
				part_td(h, t[i].org_name ? t[i].org_name : "");
			else
				part_td_msg(h, M_TOKEN_ALL_ORGS);
			part_td(h, arena_printf(q->cx.a, "%s · %d/min", t[i].scopes, t[i].rate));
			part_td(h, clock_format_local(q->cx.a, t[i].created_at));
			part_td(h, clock_format_local(q->cx.a, t[i].expires_at));
			if (t[i].last_used_at)
				part_td(h, clock_format_local(q->cx.a, t[i].last_used_at));
			else
				part_td_msg(h, M_TOKEN_NEVER_USED);
			part_td_begin(h);
			part_post_button(h, &(struct part_post){ .label = M_API_TOKEN_REVOKE,
								 .cls = "danger" },
					 "/konto/nycklar/%lld/aterkalla", (long long)t[i].id);
			part_td_end(h);
			part_tr_end(h);
		}
		part_table_end(h);
	}
	h_lit(h, "<h3>");
	h_msg(h, M_API_TOKEN_CREATE);
	h_lit(h, "</h3>");
	if (v->tok_alert)
		form_alert(h, v->tok_alert);
	h_lit(h, "<form method=\"post\" action=\"/konto/nycklar\" class=\"form\">");
	h_csrf(h);
	part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "label",
					    .label = M_API_TOKEN_LABEL, .help = M_API_TOKEN_LABEL_HINT,
					    .error = v->label_err, .autocomplete = "off",
					    .value = v->label ? v->label : "", .max = LABEL_MAX,
					    .required = 1 });
	part_field(h, &(struct part_field){ .type = PI_INT, .name = "days",
					    .label = M_API_TOKEN_DAYS, .error = v->days_err,
					    .autocomplete = "off", .value = v->days ? v->days : "90",
					    .min = 1, .max = API_TOKEN_DAYS_MAX, .required = 1 });
	token_scope_fields(q, h, v);
	submit(h, M_API_TOKEN_CREATE);
	h_lit(h, "</form>");
	part_section_end(h);
}

static void sign_out_all_section(struct html *h)
{
	part_card_begin(h, "h-signout", M_SIGN_OUT_ALL);
	h_lit(h, "<p>");
	h_msg(h, M_SIGN_OUT_ALL_TEXT);
	h_lit(h, "</p>");
	part_post_button(h, &(struct part_post){ .label = M_SIGN_OUT_ALL }, "/konto/logga-ut-overallt");
	part_section_end(h);
}

static void account_page(struct req *q, struct resp *r, const struct account_view *v)
{
	struct html h;

	page_begin(q, r, &h, M_ACCOUNT);
	r->status = v->status ? v->status : 200;
	if (v->notice)
		page_notice(&h, v->notice);
	h_lit(&h, "<p>");
	h_msg(&h, M_SIGNED_IN_AS);
	h_lit(&h, ": <strong>");
	h_text(&h, q->sess->email);
	h_lit(&h, "</strong></p>\n");
	if (q->sess->stage == STAGE_SETUP) {
		/* Only the TOTP setup until it is done (auth.h, stages). */
		h_lit(&h, "<div class=\"notice warning\" role=\"alert\">");
		h_msg(&h, M_TOTP_REQUIRED);
		h_lit(&h, "</div>");
		section_totp(q, &h);
		part_post_button(&h, &(struct part_post){ .label = M_SIGN_OUT, .cls = "link" },
			 "/logga-ut");
		page_end(q, r, &h);
		return;
	}
	section_lang(q, &h);
	section_password(q, &h, v);
	section_totp(q, &h);
	section_tokens(q, &h, v);
	sign_out_all_section(&h);
	page_end(q, r, &h);
}

static const struct {
	const char *code;
	int msg;
} notices[] = {
	{ "sprak", M_LANG_SAVED },
	{ "losenord", M_PW_CHANGED },
	{ "aterkallad", M_API_TOKEN_REVOKED },
};

/* Account routes are RF_TOTP_STAGE so that a setup session reaches them;
 * a session still waiting for its code does not. */
static int account_stage_ok(struct req *q, struct resp *r, int setup_allowed)
{
	if (q->sess->stage == STAGE_FULL ||
	    (setup_allowed && q->sess->stage == STAGE_SETUP))
		return 1;
	resp_redirect(q, r, stage_home(q->sess));
	return 0;
}

static void get_account(struct req *q, struct resp *r)
{
	struct account_view v = { .status = 200 };
	const char *n = req_param(q, "notis");

	if (!account_stage_ok(q, r, 1))
		return;
	for (size_t i = 0; n && i < ARRAY_SIZE(notices); i++)
		if (!strcmp(n, notices[i].code))
			v.notice = notices[i].msg;
	account_page(q, r, &v);
}

static void post_lang(struct req *q, struct resp *r)
{
	const char *l = req_param(q, "lang");
	struct db_error err;
	int lang = l && !strcmp(l, "en") ? LANG_EN : LANG_SV;

	if (!l || (strcmp(l, "sv") && strcmp(l, "en"))) {
		respond_error(q, r, 400);
		return;
	}
	if (user_set_lang(q->cx.db, q->cx.a, q->sess->user_id, lang, &err)) {
		log_error("saving the language: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	set_lang_cookie(q, r, lang);
	resp_redirect(q, r, "/konto?notis=sprak");
}

static void post_password(struct req *q, struct resp *r)
{
	struct session *s = q->sess;
	const char *cur = req_param(q, "current");
	const char *pw = req_param(q, "password");
	const char *repeat = req_param(q, "repeat");
	struct account_view v = { .status = 422, .pw_alert = M_FORM_HAS_ERRORS };
	struct db_rows rows;
	struct db_error err;
	const char *token;
	int64_t wait;
	int ok;

	/* Guessing the current password through a borrowed session is
	 * throttled like signing in. */
	wait = auth_throttled(q->cx.db, s->email, q->remote_ip);
	if (wait > 0) {
		throttled_page(q, r, wait);
		return;
	}
	new_password_errors(pw, repeat, &v.new_err, &v.repeat_err);
	if (!cur || !*cur) {
		v.cur_err = M_V_REQUIRED;
	} else {
		if (db_exec(q->cx.db, q->cx.a, "SELECT pw_hash FROM app_user WHERE id = $1",
			    DB_ARGS(DB_INT(s->user_id)), &rows, &err) || rows.nrows != 1) {
			respond_error(q, r, 500);
			return;
		}
		ok = db_cell(&rows, 0, 0) ? auth_verify_password(db_cell(&rows, 0, 0), cur) : 0;
		if (ok < 0) {
			respond_error(q, r, 500);
			return;
		}
		if (!ok) {
			auth_note_failure(q->cx.db, s->email, q->remote_ip);
			v.cur_err = M_PW_CURRENT_WRONG;
		}
	}
	if (v.cur_err || v.new_err || v.repeat_err) {
		account_page(q, r, &v);
		return;
	}
	if (user_set_password(q->cx.db, q->cx.a, s->user_id, pw, &err)) {
		log_error("changing a password: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	/* Whoever else holds a session of this account (perhaps the reason
	 * for the change) is signed out; this browser gets a new session. */
	if (session_end_all(q->cx.db, q->cx.a, s->user_id, &err) ||
	    !(token = session_create(q->cx.db, q->cx.a, s->user_id, STAGE_FULL,
				     q->remote_ip, &err))) {
		log_error("renewing sessions after a password change: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	audit_auth(q, "password_change", 0, NULL, NULL);
	set_session_cookie(q, r, token);
	resp_redirect(q, r, "/konto?notis=losenord");
}

/* TOTP setup: POST starts (a new pending secret), GET shows it, POST
 * bekrafta checks a code and enables. */
static void totp_setup_page(struct req *q, struct resp *r, int status, int err,
			    const char *secret)
{
	struct html h;
	const char *uri = totp_uri(q->cx.a, q->sess->email, secret);

	page_begin(q, r, &h, M_TOTP_ENABLE);
	r->status = status;
	if (err)
		form_alert(&h, M_FORM_HAS_ERRORS);
	h_lit(&h, "<p>");
	h_msg(&h, M_TOTP_STEP1);
	h_lit(&h, "</p><dl class=\"secret\"><dt>");
	h_msg(&h, M_TOTP_SECRET);
	h_lit(&h, "</dt><dd><code class=\"secret-key\">");
	/* In groups of four, as authenticator apps show and accept it. */
	for (size_t i = 0; secret[i]; i += 4) {
		if (i)
			h_lit(&h, " ");
		h_textn(&h, secret + i, strnlen(secret + i, 4));
	}
	h_lit(&h, "</code></dd><dt>");
	h_msg(&h, M_TOTP_URI);
	h_lit(&h, "</dt><dd><a class=\"uri\"");
	h_attr(&h, "href", uri);
	h_lit(&h, "><code>");
	h_text(&h, uri);
	h_lit(&h, "</code></a></dd></dl><p>");
	h_msg(&h, M_TOTP_STEP2);
	h_lit(&h, "</p><form method=\"post\" action=\"/konto/tvastegs/bekrafta\" class=\"form narrow\">");
	h_csrf(&h);
	part_field(&h, &(struct part_field){ .type = PI_TEXT, .name = "code",
					     .label = M_TOTP_SIX_DIGITS, .error = err,
					     .autocomplete = "one-time-code", .inputmode = "numeric",
					     .value = "", .max = 7, .required = 1, .plain = 1 });
	submit(&h, M_TOTP_CONFIRM);
	h_lit(&h, "</form><p><a href=\"/konto\">");
	h_msg(&h, M_BACK_TO_ACCOUNT);
	h_lit(&h, "</a></p>");
	page_end(q, r, &h);
}

static void post_totp_start(struct req *q, struct resp *r)
{
	const char *secret;
	struct db_error err;

	if (!account_stage_ok(q, r, 1))
		return;
	if (q->sess->totp_enabled) {
		resp_redirect(q, r, "/konto");
		return;
	}
	if (totp_begin(q->cx.db, q->cx.a, q->sess->user_id, &secret, &err)) {
		log_error("starting a TOTP setup: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	resp_redirect(q, r, "/konto/tvastegs");
}

static void get_totp_setup(struct req *q, struct resp *r)
{
	const char *secret;

	if (!account_stage_ok(q, r, 1))
		return;
	secret = q->sess->totp_enabled ? NULL
				       : totp_pending_secret(q->cx.db, q->cx.a, q->sess->user_id);
	if (!secret) {
		resp_redirect(q, r, "/konto");
		return;
	}
	totp_setup_page(q, r, 200, 0, secret);
}

static void post_totp_confirm(struct req *q, struct resp *r)
{
	struct session *s = q->sess;
	const char *code = req_param(q, "code");
	const char **codes, *secret, *token;
	struct db_error err = { 0 };
	struct html h;
	int rc;

	if (!account_stage_ok(q, r, 1))
		return;
	if (s->totp_enabled || !(secret = totp_pending_secret(q->cx.db, q->cx.a, s->user_id))) {
		resp_redirect(q, r, "/konto");
		return;
	}
	if (!code || !is_digits_code(code)) {
		totp_setup_page(q, r, 422, code && *code ? M_TOTP_BAD_FORMAT : M_V_REQUIRED,
				secret);
		return;
	}
	rc = totp_enable(q->cx.db, q->cx.a, s->user_id, NULL, code, &codes, &err);
	if (rc < 0) {
		log_error("enabling TOTP: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	if (!rc) {
		totp_setup_page(q, r, 422, M_TOTP_WRONG, secret);
		return;
	}
	audit_auth(q, "totp_enabled", 0, NULL, NULL);
	s->totp_enabled = 1;
	if (s->stage == STAGE_SETUP) {
		if (session_promote(q->cx.db, q->cx.a, s, &token, &err)) {
			log_error("promoting a session: %s", err.msg);
			respond_error(q, r, 500);
			return;
		}
		set_session_cookie(q, r, token);
	}
	/* Shown once, in this response; never stored in clear. */
	page_begin(q, r, &h, M_RECOVERY_TITLE);
	page_notice(&h, M_TOTP_IS_ON);
	h_lit(&h, "<p>");
	h_msg(&h, M_RECOVERY_TEXT);
	h_lit(&h, "</p><ol class=\"codes\">");
	for (size_t i = 0; codes[i]; i++) {
		h_lit(&h, "<li><code>");
		h_text(&h, codes[i]);
		h_lit(&h, "</code></li>");
	}
	h_lit(&h, "</ol><p><a class=\"button\" href=\"/\">");
	h_msg(&h, M_RECOVERY_SAVED);
	h_lit(&h, "</a></p>");
	page_end(q, r, &h);
}

static void post_token_create(struct req *q, struct resp *r)
{
	const char *label = req_param(q, "label");
	const char *days_s = req_param(q, "days");
	const char *org = req_param(q, "org"), *scopes_s = req_param(q, "scopes");
	const char *rate_s = req_param(q, "rate"), *scopes = NULL, *bad;
	struct account_view v = { .status = 422, .tok_alert = M_FORM_HAS_ERRORS,
				  .label = label, .days = days_s, .org = org,
				  .scopes = scopes_s, .rate = rate_s };
	struct api_token_spec spec = { 0 };
	struct org_ctx *orgs;
	struct db_error err;
	const char *token;
	struct html h;
	int64_t days = 0, rate = 0;
	size_t norgs = 0;

	if (!label || !*label)
		v.label_err = M_V_REQUIRED;
	else if (utf8_length(label, strlen(label)) > LABEL_MAX)
		v.label_err = M_V_TOO_LONG;
	if (!days_s || !*days_s)
		v.days_err = M_V_REQUIRED;
	else if (parse_i64(days_s, &days))
		v.days_err = M_V_NOT_INT;
	else if (days < 1 || days > API_TOKEN_DAYS_MAX)
		v.days_err = M_V_OUT_OF_RANGE;
	/* an organisation where the account holds a role now */
	orgs = app_user_orgs(q, &norgs);
	for (size_t i = 0; org && i < norgs; i++)
		if (!strcmp(orgs[i].slug, org))
			spec.org_id = orgs[i].id;
	if (!org && norgs == 1) /* a client that leaves them out: the defaults */
		spec.org_id = orgs[0].id;
	if (!scopes_s)
		scopes_s = "*:read";
	if (!rate_s)
		rate_s = "120";
	if (!spec.org_id)
		v.org_err = M_V_TOKEN_ORG;
	if (scope_parse(q->cx.a, scopes_s, &scopes, &bad))
		v.scope_err = M_V_SCOPES;
	if (!rate_s || parse_i64(rate_s, &rate) || rate < 1 || rate > API_TOKEN_RATE_MAX)
		v.rate_err = M_V_OUT_OF_RANGE;
	if (v.label_err || v.days_err || v.org_err || v.scope_err || v.rate_err) {
		account_page(q, r, &v);
		return;
	}
	spec.label = label;
	spec.days = days;
	spec.scopes = scopes;
	spec.rate = (int)rate;
	token = api_token_create_spec(q->cx.db, q->cx.a, q->sess->user_id, &spec, NULL, &err);
	if (!token) {
		log_error("creating an API token: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	{
		struct audit_event ev = { 0 };

		audit_from_ctx(&q->cx, &ev);
		ev.org_id = spec.org_id; /* its organisation's audit page shows it */
		ev.action = "api_token_create";
		ev.summary = label;
		ev.after = arena_printf(q->cx.a, "{\"rate_per_min\":%d,\"scopes\":\"%s\"}",
					spec.rate, scopes); /* scope_parse: no quotes */
		audit_append_now(q->cx.db, q->cx.a, &ev);
	}
	page_begin(q, r, &h, M_API_TOKENS);
	page_notice(&h, M_API_TOKEN_CREATED);
	h_lit(&h, "<p><code class=\"token\">");
	h_text(&h, token);
	h_lit(&h, "</code></p><p><a href=\"/konto\">");
	h_msg(&h, M_BACK_TO_ACCOUNT);
	h_lit(&h, "</a></p>");
	page_end(q, r, &h);
}

static void post_token_revoke(struct req *q, struct resp *r)
{
	struct db_error err;
	int64_t id = req_id(q);

	if (api_token_revoke(q->cx.db, q->cx.a, q->sess->user_id, id, &err)) {
		if (err.code == DBE_NOTFOUND) {
			respond_error(q, r, 404);
			return;
		}
		log_error("revoking an API token: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	audit_auth(q, "api_token_revoke", 0, NULL, arena_printf(q->cx.a, "token %lld", (long long)id));
	resp_redirect(q, r, "/konto?notis=aterkallad");
}

/* ---- the route table ---------------------------------------------------------------- */

static const struct param p_sign_in_get[] = {
	{ "next", P_STR, 512 }, { "utloggad", P_STR, 1 }, { NULL, 0, 0 },
};
static const struct param p_sign_in[] = {
	{ "email", P_STR, 320 }, { "password", P_STR, 1024 }, { "pre", P_STR, 64 },
	{ "next", P_STR, 512 }, { NULL, 0, 0 },
};
static const struct param p_code[] = {
	{ "csrf", P_STR, 64 }, { "code", P_STR, 40 }, { "next", P_STR, 512 },
	{ NULL, 0, 0 },
};
static const struct param p_csrf[] = { { "csrf", P_STR, 64 }, { NULL, 0, 0 } };
static const struct param p_reset[] = {
	{ "pre", P_STR, 64 }, { "password", P_STR, 1024 }, { "repeat", P_STR, 1024 },
	{ NULL, 0, 0 },
};
static const struct param p_account[] = { { "notis", P_STR, 20 }, { NULL, 0, 0 } };
static const struct param p_lang[] = {
	{ "csrf", P_STR, 64 }, { "lang", P_STR, 2 }, { NULL, 0, 0 },
};
static const struct param p_lang_get[] = {
	{ "lang", P_STR, 2 }, { "next", P_STR, 1024 }, { NULL, 0, 0 },
};
static const struct param p_password[] = {
	{ "csrf", P_STR, 64 }, { "current", P_STR, 1024 }, { "password", P_STR, 1024 },
	{ "repeat", P_STR, 1024 }, { NULL, 0, 0 },
};
static const struct param p_token[] = {
	{ "csrf", P_STR, 64 }, { "label", P_STR, 4 * LABEL_MAX }, { "days", P_STR, 10 },
	{ "org", P_STR, 64 }, { "scopes", P_STR, 1000 }, { "rate", P_STR, 10 },
	{ NULL, 0, 0 },
};

#define SMALL_FORM (8 * 1024)

const struct route auth_routes[] = {
	{ "GET", "/logga-in", get_sign_in, 0, RF_PUBLIC, 0, p_sign_in_get, NULL },
	{ "GET", "/sprak", get_lang, 0, RF_PUBLIC | RF_TOTP_STAGE, 0, p_lang_get, NULL },
	{ "POST", "/logga-in", post_sign_in, 0, RF_PUBLIC | RF_NO_CSRF, SMALL_FORM,
	  p_sign_in, NULL },
	{ "GET", "/logga-in/kod", get_code, 0, RF_TOTP_STAGE, 0, p_sign_in_get, NULL },
	{ "POST", "/logga-in/kod", post_code, 0, RF_TOTP_STAGE, SMALL_FORM, p_code, NULL },
	{ "POST", "/logga-ut", post_sign_out, 0, RF_TOTP_STAGE, SMALL_FORM, p_csrf, NULL },
	{ "POST", "/konto/logga-ut-overallt", post_sign_out_all, 0, 0, SMALL_FORM, p_csrf,
	  NULL },
	{ "GET", "/aterstall/{token}", get_reset, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "POST", "/aterstall/{token}", post_reset, 0, RF_PUBLIC | RF_NO_CSRF, SMALL_FORM,
	  p_reset, NULL },
	{ "GET", "/konto", get_account, 0, RF_TOTP_STAGE, 0, p_account, NULL },
	{ "POST", "/konto/sprak", post_lang, 0, 0, SMALL_FORM, p_lang, NULL },
	{ "POST", "/konto/losenord", post_password, 0, 0, SMALL_FORM, p_password, NULL },
	{ "POST", "/konto/tvastegs", post_totp_start, 0, RF_TOTP_STAGE, SMALL_FORM, p_csrf,
	  NULL },
	{ "GET", "/konto/tvastegs", get_totp_setup, 0, RF_TOTP_STAGE, 0, NULL, NULL },
	{ "POST", "/konto/tvastegs/bekrafta", post_totp_confirm, 0, RF_TOTP_STAGE,
	  SMALL_FORM, p_code, NULL },
	{ "POST", "/konto/nycklar", post_token_create, 0, 0, SMALL_FORM, p_token, NULL },
	{ "POST", "/konto/nycklar/{id}/aterkalla", post_token_revoke, 0, 0, SMALL_FORM,
	  p_csrf, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
