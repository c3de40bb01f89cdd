/* oidc_pages.c - signing in through an OpenID Connect provider (oidc.h):
 * the sign-in page's buttons, the start (GET /logga-in/extern/{id}: to the
 * provider) and the way back (GET /logga-in/extern/svar: the provider's
 * redirect with the code).
 *
 * A started sign-in is a row of oidc_pending (migration 0027) found by the
 * hash of its state, bound to the browser by the cookie varn_oidc (its
 * hash in the row; SameSite=Lax, because the way back is a navigation from
 * the provider's site, which a Strict cookie would not come with), used
 * once, within OIDC_PENDING_LIFE.  The redirect URI is the configured
 * --base-url (struct app's base_url, as reset links are made) followed by
 * /logga-in/extern/svar: never the request's Host header.
 */
#include "base/base.h"

#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/signin/identity.h"
#include "modules/signin/oidc.h"
#include "modules/signin/signin.h"
#include "parse/cookie.h"
#include "web/app.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/router.h"

#define TOKEN_LEN 43 /* auth_random_token: 32 bytes in unpadded base64url */

/* ---- the sign-in page's buttons ------------------------------------------ */

void signin_external_buttons(struct req *q, struct html *h, const char *next)
{
	struct identity_source **s;
	struct db_error err = { 0 };
	int n = identity_sources_enabled(q->cx.db, q->cx.a, NULL, 0, &s, &err), shown = 0;

	if (n < 0) {
		/* the password form below still works */
		log_error("the sign-in page's identity sources: %s", err.msg);
		return;
	}
	for (int i = 0; i < n; i++) {
		if (!s[i]->k->redirect)
			continue;
		if (!shown++) {
			h_lit(h, "<section class=\"external-signin\" aria-labelledby=\"h-external\">"
				 "<h2 id=\"h-external\">");
			h_msg(h, M_OIDC_EXTERNAL);
			h_lit(h, "</h2><ul>");
		}
		h_lit(h, "<li><a class=\"button primary\" href=\"");
		if (next)
			h_url(h, "/logga-in/extern/%lld?next=%s", (long long)s[i]->id, next);
		else
			h_url(h, "/logga-in/extern/%lld", (long long)s[i]->id);
		h_lit(h, "\">");
		h_text(h, msg_fill(q->cx.a, msg_text(q->cx.lang, M_OIDC_SIGN_IN_WITH), "{name}",
				   s[i]->name));
		h_lit(h, "</a></li>");
	}
	if (shown)
		h_lit(h, "</ul></section>");
}

/* ---- answers ----------------------------------------------------------------- */

static void set_oidc_cookie(struct req *q, struct resp *r, const char *value, int max_age)
{
	resp_header(r, "Set-Cookie",
		    arena_printf(q->cx.a, "%s=%s; Path=/logga-in/extern; HttpOnly; SameSite=Lax; "
				 "Max-Age=%d%s", OIDC_COOKIE, value, max_age,
				 auth_cfg.cookie_secure ? "; Secure" : ""));
}

/* What went wrong, in words, with a way back to the sign-in page. */
static void fail_page(struct req *q, struct resp *r, int status, int msg,
		      const struct identity_source *src)
{
	struct html h;

	page_begin(q, r, &h, M_OIDC_E_TITLE);
	r->status = status;
	resp_header(r, "Cache-Control", "no-store");
	h_lit(&h, "<div class=\"notice warning\" role=\"alert\"><p>");
	h_text(&h, msg_fill(q->cx.a, msg_text(q->cx.lang, msg), "{name}",
			    src ? src->name : "OpenID Connect"));
	h_lit(&h, "</p></div><p><a class=\"button\" href=\"/logga-in\">");
	h_msg(&h, M_OIDC_BACK);
	h_lit(&h, "</a></p>");
	page_end(q, r, &h);
}

/* "signin_failed" in the trail: the source and a short reason (never a
 * code, a token or what the provider wrote). */
static void audit_failed(struct req *q, const struct identity_source *src, const char *actor,
			 const char *why)
{
	struct audit_event ev = { 0 };

	audit_from_ctx(&q->cx, &ev);
	ev.action = "signin_failed";
	if (src)
		ev.org_id = src->org_id;
	if (actor)
		ev.actor = actor;
	ev.summary = arena_printf(q->cx.a, "%s: %.200s", src ? src->name : "OpenID Connect", why);
	audit_append_now(q->cx.db, q->cx.a, &ev);
	log_info("OpenID Connect sign-in refused (source %lld): %s",
		 src ? (long long)src->id : 0LL, why);
}

/* ---- the start ------------------------------------------------------------------ */

static const char sql_pending_clean[] = "DELETE FROM oidc_pending WHERE created_at < $1";
static const char sql_pending_add[] =
	"INSERT INTO oidc_pending (source_id, state_hash, browser_hash, next_path, created_at)"
	" VALUES ($1, $2, $3, $4, $5)";

static void get_start(struct req *q, struct resp *r)
{
	struct identity_source *src;
	struct oidc_endpoints ep;
	struct db_error err = { 0 };
	const char *why = "", *cookie, *url, *next = req_param(q, "next");
	char state[48], fresh[48];
	int64_t now = clock_now();
	int rc;

	if (q->sess && q->sess->stage == STAGE_FULL) {
		resp_redirect(q, r, "/");
		return;
	}
	rc = identity_source_load(q->cx.db, q->cx.a, req_id(q), &src, &err);
	if (rc < 0) {
		log_error("loading an identity source: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	if (rc > 0 || src->k != &oidc_kind) {
		respond_error(q, r, 404);
		return;
	}
	if (!src->enabled) {
		fail_page(q, r, 403, M_OIDC_E_SOURCE_OFF, src);
		return;
	}
	if (!q->app || !q->app->base_url) {
		log_error("OpenID Connect needs --base-url for its redirect address");
		respond_error(q, r, 500);
		return;
	}
	if (oidc_discover(src, q->cx.a, &ep, &why)) {
		log_warn("identity source %lld (OpenID Connect) unavailable: %s", (long long)src->id,
			 why);
		fail_page(q, r, 502, M_OIDC_E_UNAVAILABLE, src);
		return;
	}
	auth_random_token(state, sizeof(state));
	cookie = cookie_get(q->cx.a, q->h_cookie, OIDC_COOKIE);
	if (!cookie || strlen(cookie) != TOKEN_LEN) {
		auth_random_token(fresh, sizeof(fresh));
		cookie = arena_strdup(q->cx.a, fresh);
	}
	url = oidc_authorize_url(src, q->cx.a, &ep, oidc_redirect_uri(q->cx.a, q->app->base_url),
				 state);
	if (!url) {
		log_error("OpenID Connect needs the server key (--key)");
		respond_error(q, r, 500);
		return;
	}
	if (db_exec(q->cx.db, q->cx.a, sql_pending_clean, DB_ARGS(DB_INT(now - 86400)), NULL,
		    &err) ||
	    db_exec(q->cx.db, q->cx.a, sql_pending_add,
		    DB_ARGS(DB_INT(src->id), DB_TEXT(auth_token_hash(q->cx.a, state)),
			    DB_TEXT(auth_token_hash(q->cx.a, cookie)),
			    next && *next ? DB_TEXT(next) : DB_NULL, DB_INT(now)),
		    NULL, &err)) {
		log_error("starting an OpenID Connect sign-in: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	set_oidc_cookie(q, r, cookie, OIDC_PENDING_LIFE);
	resp_header(r, "Cache-Control", "no-store");
	/* Off-site on purpose, so not resp_redirect (local paths only): the
	 * provider's authorization endpoint from its discovery document,
	 * https:// (oidc_url_ok), our parameters percent-encoded. */
	r->status = 303;
	resp_header(r, "Location", url);
}

/* ---- the way back ------------------------------------------------------------------ */

static const char sql_pending_get[] =
	"SELECT id, source_id, browser_hash, next_path, created_at, used_at FROM oidc_pending"
	" WHERE state_hash = $1";
static const char sql_pending_use[] =
	"UPDATE oidc_pending SET used_at = $1 WHERE id = $2 AND used_at IS NULL RETURNING id";

static void get_back(struct req *q, struct resp *r)
{
	const char *state = req_param(q, "state"), *code = req_param(q, "code");
	const char *error = req_param(q, "error"), *why = "", *cookie, *next, *mfa;
	struct identity_source *src = NULL;
	struct identity_claims claims;
	struct db_rows rows;
	struct db_error err = { 0 };
	int64_t now = clock_now(), pending, uid = 0;
	enum oidc_result res;

	cookie = cookie_get(q->cx.a, q->h_cookie, OIDC_COOKIE);
	set_oidc_cookie(q, r, "", 0);
	if (!state || strlen(state) != TOKEN_LEN) {
		fail_page(q, r, 400, M_OIDC_E_STATE, NULL);
		return;
	}
	if (db_exec(q->cx.db, q->cx.a, sql_pending_get,
		    DB_ARGS(DB_TEXT(auth_token_hash(q->cx.a, state))), &rows, &err)) {
		log_error("finishing an OpenID Connect sign-in: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	if (rows.nrows != 1) {
		log_info("OpenID Connect: a sign-in came back that Värn did not start");
		fail_page(q, r, 400, M_OIDC_E_STATE, NULL);
		return;
	}
	pending = db_cell_i64(&rows, 0, 0);
	next = db_cell(&rows, 0, 3);
	if (identity_source_load(q->cx.db, q->cx.a, db_cell_i64(&rows, 0, 1), &src, &err)) {
		log_error("loading the identity source of a sign-in: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	if (db_cell(&rows, 0, 5)) {
		audit_failed(q, src, NULL, "the sign-in's state came back a second time");
		fail_page(q, r, 400, M_OIDC_E_STATE, src);
		return;
	}
	if (db_cell_i64(&rows, 0, 4) + OIDC_PENDING_LIFE < now) {
		audit_failed(q, src, NULL, "the sign-in took more than 10 minutes");
		fail_page(q, r, 400, M_OIDC_E_STATE, src);
		return;
	}
	if (!cookie || strlen(cookie) != TOKEN_LEN ||
	    strcmp(auth_token_hash(q->cx.a, cookie), db_cell(&rows, 0, 2))) {
		audit_failed(q, src, NULL, "the sign-in came back to another browser");
		fail_page(q, r, 400, M_OIDC_E_STATE, src);
		return;
	}
	if (db_exec(q->cx.db, q->cx.a, sql_pending_use, DB_ARGS(DB_INT(now), DB_INT(pending)),
		    &rows, &err)) {
		log_error("finishing an OpenID Connect sign-in: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	if (rows.nrows != 1) {
		audit_failed(q, src, NULL, "the sign-in's state came back a second time");
		fail_page(q, r, 400, M_OIDC_E_STATE, src);
		return;
	}
	if (!src->enabled || src->k != &oidc_kind) {
		audit_failed(q, src, NULL, "the source is switched off");
		fail_page(q, r, 403, M_OIDC_E_SOURCE_OFF, src);
		return;
	}
	if (error || !code || !*code) {
		audit_failed(q, src, NULL,
			     arena_printf(q->cx.a, "the provider refused (%s)",
					  oidc_safe_code(q->cx.a, error)));
		fail_page(q, r, 403, M_OIDC_E_REFUSED, src);
		return;
	}
	res = oidc_finish(src, q->cx.a, oidc_redirect_uri(q->cx.a, q->app ? q->app->base_url : ""),
			  code, state, &claims, &why);
	switch (res) {
	case OIDC_OK:
		break;
	case OIDC_UNAVAILABLE:
		log_warn("identity source %lld (OpenID Connect) unavailable: %s", (long long)src->id,
			 why);
		audit_failed(q, src, NULL, why);
		fail_page(q, r, 502, M_OIDC_E_UNAVAILABLE, src);
		return;
	case OIDC_REFUSED:
		audit_failed(q, src, NULL, why);
		fail_page(q, r, 403, M_OIDC_E_REFUSED, src);
		return;
	case OIDC_NO_EMAIL:
		audit_failed(q, src, NULL, why);
		fail_page(q, r, 403, M_OIDC_E_CLAIMS, src);
		return;
	case OIDC_INVALID:
	default:
		audit_failed(q, src, NULL, why);
		fail_page(q, r, 400, M_OIDC_E_INVALID, src);
		return;
	}
	switch (identity_signin(q->cx.db, q->cx.a, src, &claims, q->remote_ip, &uid, &err)) {
	case ID_OK:
		break;
	case ID_DISABLED:
		audit_failed(q, src, auth_normalize_email(q->cx.a, claims.email),
			     "the account is disabled");
		fail_page(q, r, 403, M_OIDC_E_DISABLED, src);
		return;
	case ID_NO_ROLE:
		audit_failed(q, src, auth_normalize_email(q->cx.a, claims.email),
			     "no role in Värn");
		fail_page(q, r, 403, M_OIDC_E_NO_ROLE, src);
		return;
	default:
		audit_failed(q, src, auth_normalize_email(q->cx.a, claims.email),
			     "the account could not be brought up to date");
		fail_page(q, r, 500, M_OIDC_E_ERROR, src);
		return;
	}
	mfa = identity_get(src, "provider_mfa");
	auth_external_signin(q, r, &(struct auth_external){
		.user_id = uid,
		.org_id = src->org_id,
		.actor = auth_normalize_email(q->cx.a, claims.email),
		.method = src->name,
		.second_factor_done = mfa && !strcmp(mfa, "1"),
		.next = next,
	});
}

/* ---- routes ---------------------------------------------------------------------- */

static const struct param p_start[] = { { "next", P_STR, 512 }, { NULL, 0, 0 } };
/* What a provider sends back (RFC 6749 4.1.2, OpenID Connect, RFC 9207). */
static const struct param p_back[] = {
	{ "code", P_STR, 8192 }, { "state", P_STR, 128 }, { "error", P_STR, 200 },
	{ "error_description", P_STR, 2000 }, { "session_state", P_STR, 500 },
	{ "iss", P_STR, 1000 }, { NULL, 0, 0 },
};

const struct route signin_oidc_routes[] = {
	/* before {id}: the router takes the first pattern that matches */
	{ "GET", "/logga-in/extern/svar", get_back, 0, RF_PUBLIC, 0, p_back, NULL },
	{ "GET", "/logga-in/extern/{id}", get_start, 0, RF_PUBLIC, 0, p_start, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
