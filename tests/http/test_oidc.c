/* test_oidc.c - signing in through OpenID Connect (issue 13) against a
 * provider on loopback that signs with real keys (oidc_provider.h), on the
 * engine chosen by VARN_TEST_DB: the whole flow through the real router
 * (the button, the start, the provider, the way back, the session, sign
 * out), and every refusal: wrong audience, expired, forged signature,
 * wrong nonce, wrong issuer, a replayed code, a used or unknown state, a
 * state brought back by another browser, a rotated key, a provider that
 * is down, a switched-off source, a disabled account, no role. */
#include "base/base.h"

#include <curl/curl.h>
#include <signal.h>
#include <time.h>
#include <sodium.h>

#include "base/clock.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/roles.h"
#include "db/db.h"
#include "fixture.h"
#include "modules/signin/identity.h"
#include "modules/signin/oidc.h"
#include "modules/signin/signin.h"
#include "oidc_provider.h"
#include "tap.h"

#define T0 1780308000 /* 2026-06-01 12:00 in Stockholm */
#define BASE "http://varn.test"
#define GROUP_COORD "6f1c2d3e-0000-4000-8000-00000000c00d"
#define GROUP_USERS "6f1c2d3e-0000-4000-8000-0000000005e5"

static struct fixture *fx;
static struct oidc_provider op;
static int64_t src_main; /* "Entra test": the provider above */

/* ---- helpers --------------------------------------------------------------- */

static struct ctx *admin_ctx(void)
{
	static struct org_ctx org;
	static struct ctx cx;

	org.id = fx->org_alfa;
	org.slug = "alfa";
	org.roles = org.org_roles = 0xffff;
	ctx_system(&cx, &fx->a, fx->db, "admin@a.se", VIA_WEB);
	cx.org = &org;
	cx.user_id = fx_user_id(fx, "admin@a.se");
	return &cx;
}

/* Saves an OpenID Connect source of alfa; extra pairs override. */
static int64_t add_source(const char *name, const char *issuer, int enabled, const char *role,
			  const char *k1, const char *v1)
{
	const char *keys[] = { "issuer", "client_id", "client_secret", "claim_unit", k1 };
	const char *vals[] = { issuer, "varn-client", "s3cret/with+odd&chars", "department", v1 };
	struct db_error err;
	int64_t id = identity_source_save(admin_ctx(), 0, 0, "oidc", name, enabled, role,
					  k1 ? 5 : 4, keys, vals, &err);

	if (!id)
		printf("# saving the source: %s\n", err.msg);
	return id;
}

static int64_t count_text(const char *sql, const char *a1, const char *a2)
{
	struct db_rows r;
	struct db_error err;

	int rc = a2 ? db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_TEXT(a1), DB_TEXT(a2)), &r, &err)
		    : db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_TEXT(a1)), &r, &err);

	if (rc || r.nrows != 1) {
		printf("# %s: %s\n", sql, err.msg);
		return -1;
	}
	return db_cell_i64(&r, 0, 0);
}

/* "name=value" of a Set-Cookie value, or NULL. */
static const char *cookie_pair(const char *set_cookie, const char *name)
{
	size_t n = strlen(name);

	if (!set_cookie || strncmp(set_cookie, name, n) || set_cookie[n] != '=')
		return NULL;
	return arena_strndup(&fx->a, set_cookie, strcspn(set_cookie, ";"));
}

struct flow {
	struct fx_resp start;   /* GET /logga-in/extern/{id} */
	const char *oidc_cookie;
	const char *back_path;  /* where the provider sent the browser back */
	struct fx_resp back;    /* GET /logga-in/extern/svar?... */
	const char *session;    /* "varn_session=..." or NULL */
};

/* The way back with the browser's cookie. */
static struct fx_resp come_back(const char *path, const char *cookie)
{
	return fx_request(fx, NULL, "GET", path, NULL, NULL, cookie ? "Cookie" : NULL, cookie);
}

/* A browser signs in through source id: Värn's start, the provider's
 * authorization endpoint, the way back.  Stops early when a step does not
 * go on. */
static struct flow sign_in(int64_t id, const char *next)
{
	struct flow f;
	const char *loc;

	memset(&f, 0, sizeof(f));
	f.start = fx_get(fx, NULL, next ? arena_printf(&fx->a, "/logga-in/extern/%lld?next=%s",
						       (long long)id, next)
					: arena_printf(&fx->a, "/logga-in/extern/%lld", (long long)id));
	if (f.start.status != 303 || !f.start.location)
		return f;
	f.oidc_cookie = cookie_pair(f.start.set_cookie, OIDC_COOKIE);
	loc = oidc_provider_authorize(&op, &fx->a, f.start.location);
	if (!loc || strncmp(loc, BASE "/", strlen(BASE) + 1))
		return f;
	f.back_path = loc + strlen(BASE);
	f.back = come_back(f.back_path, f.oidc_cookie);
	f.session = cookie_pair(f.back.set_cookie, "varn_session");
	return f;
}

/* A flow that must be refused at the way back with status and a text. */
static void refused(const char *what, int status, const char *text, const char *trail)
{
	struct flow f = sign_in(src_main, NULL);

	is_int(f.start.status, 303, arena_printf(&fx->a, "%s: the start goes to the provider", what));
	is_int(f.back.status, status, arena_printf(&fx->a, "%s: refused with %d", what, status));
	has_str(f.back.body, text, arena_printf(&fx->a, "%s: the page says why", what));
	ok(f.session == NULL, "%s: no session", what);
	if (trail)
		ok(count_text("SELECT count(*) FROM audit_event WHERE action = 'signin_failed'"
			      " AND summary = $1", trail, NULL) >= 1,
		   "%s: the trail says \"%s\"", what, trail);
}

/* The provider as a good one is, signing in Eva. */
static void provider_reset(void)
{
	op.client_id = "varn-client";
	op.client_secret = "s3cret/with+odd&chars";
	op.sub = "eva-0001";
	op.email = "eva.ek@alfa.se";
	op.name = "Eva Ek";
	op.unit = NULL;
	op.groups_json = "[\"" GROUP_COORD "\", \"unmapped-group\"]";
	op.key = 0;
	op.publish = 1;
	op.rogue = 0;
	op.kid = NULL;
	op.aud_json = NULL;
	op.azp = NULL;
	op.iss = NULL;
	op.nonce = NULL;
	op.exp_in = 0;
	op.omit_email = 0;
}

/* ---- the flow ---------------------------------------------------------------- */

TEST(the_sign_in_page_offers_the_provider)
{
	struct fx_resp r = fx_get(fx, NULL, "/logga-in");

	is_int(r.status, 200, "the sign-in page");
	has_str(r.body, "Logga in med Entra test", "a button per enabled source");
	has_str(r.body, "href=\"/logga-in/extern/", "leading to the start");
	r = fx_request(fx, NULL, "GET", "/logga-in", NULL, NULL, "Cookie", "varn_lang=en");
	has_str(r.body, "Sign in with Entra test", "in English for an English browser");
	r = fx_get(fx, NULL, "/logga-in?next=/o/alfa/units");
	has_str(r.body, "?next=%2Fo%2Falfa%2Funits", "the page to go on to is passed on");
}

TEST(the_start_sends_the_browser_to_the_provider_with_pkce)
{
	struct fx_resp r = fx_get(fx, NULL, arena_printf(&fx->a, "/logga-in/extern/%lld",
							 (long long)src_main));
	const char *loc = r.location ? r.location : "";

	is_int(r.status, 303, "the start redirects");
	ok(!strncmp(loc, op.issuer, strlen(op.issuer)), "to the provider's authorization endpoint");
	has_str(loc, "response_type=code", "the code flow");
	has_str(loc, "client_id=varn-client", "with the client id");
	has_str(loc, "redirect_uri=http%3A%2F%2Fvarn.test%2Flogga-in%2Fextern%2Fsvar",
		"the redirect URI from the configured base URL");
	has_str(loc, "code_challenge_method=S256", "PKCE with S256");
	has_str(loc, "&nonce=", "a nonce");
	has_str(loc, "scope=openid%20profile%20email", "the default scopes");
	has_str(r.set_cookie, "varn_oidc=", "a cookie binds the sign-in to the browser");
	has_str(r.set_cookie, "SameSite=Lax", "Lax: it comes back with the provider's redirect");
	has_str(r.set_cookie, "HttpOnly", "HttpOnly");
	r = fx_get(fx, NULL, "/logga-in/extern/999999");
	is_int(r.status, 404, "an unknown source is 404");
}

TEST(a_person_signs_in_gets_roles_from_groups_and_signs_out)
{
	/* covers R-17-01 R-17-02 R-17-03 */
	struct flow f;
	struct session *s = NULL;
	struct db_error err;
	struct fx_resp r;
	int64_t uid, pid;
	int hits;

	provider_reset();
	hits = op.hits_token;
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		f = sign_in(src_main, "/o/alfa/units");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("# a first sign-in through the provider (discovery and keys fetched): %.1f ms\n",
		       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	is_int(f.back.status, 303, "the way back signs in");
	is_str(f.back.location, "/o/alfa/units", "and goes on to the page asked for");
	ok(f.session != NULL, "with a session cookie");
	is_int(op.hits_token, hits + 1, "the code was exchanged once");
	uid = fx_user_id(fx, "eva.ek@alfa.se");
	ok(uid > 0, "the account is created, keyed by the e-mail address");
	pid = count_text("SELECT id FROM person WHERE user_id = (SELECT id FROM app_user WHERE"
			 " email = $1) AND name = $2", "eva.ek@alfa.se", "Eva Ek");
	ok(pid > 0, "the person is created with the name from the token");
	is_int(count_text("SELECT count(*) FROM role_assignment WHERE person_id = (SELECT id FROM"
			  " person WHERE lower(email) = $1) AND role = $2 AND archived = 0 AND source_id IS"
			  " NOT NULL", "eva.ek@alfa.se", "samordnare"),
	       1, "the mapped group gives the coordinator role, marked as the source's");
	is_int(count_text("SELECT count(*) FROM role_assignment WHERE person_id = (SELECT id FROM"
			  " person WHERE lower(email) = $1) AND archived = 0",
			  "eva.ek@alfa.se", NULL),
	       1, "an unmapped group gives nothing");
	is_int(count_text("SELECT count(*) FROM audit_event WHERE action = 'signin' AND actor = $1"
			  " AND summary = $2", "eva.ek@alfa.se", "Entra test"),
	       1, "the trail has the sign-in with the source's name");
	r = fx_request(fx, NULL, "GET", "/o/alfa/units", NULL, NULL, "Cookie", f.session);
	is_int(r.status, 200, "the session works");
	if (f.session &&
	    session_lookup(fx->db, &fx->a, f.session + strlen("varn_session="), &s, &err) == 0 && s) {
		is_int(s->stage, STAGE_FULL, "a full session (no TOTP for this account)");
		r = fx_request(fx, NULL, "POST", "/logga-ut",
			       arena_printf(&fx->a, "csrf=%s", s->csrf),
			       "application/x-www-form-urlencoded", "Cookie", f.session);
		is_int(r.status, 303, "sign-out");
		r = fx_request(fx, NULL, "GET", "/o/alfa/units", NULL, NULL, "Cookie", f.session);
		is_int(r.status, 303, "after sign-out the session no longer works");
		has_str(r.location, "/logga-in", "back to the sign-in page");
		is_int(count_text("SELECT count(*) FROM audit_event WHERE action = 'signout' AND"
				  " actor = $1", "eva.ek@alfa.se", NULL),
		       1, "the sign-out is in the trail");
	} else {
		ok(0, "the session is found");
	}

	/* again, with other groups: the source's role goes, others stay */
	op.groups_json = "[\"" GROUP_USERS "\"]";
	op.name = "Eva Ek-Lund";
	op.unit = "IT";
	{
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		f = sign_in(src_main, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("# a later sign-in (discovery and keys from the cache): %.1f ms\n",
		       (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	}
	is_int(f.back.status, 303, "a second sign-in");
	is_str(f.back.location, "/", "to the start page");
	is_int(count_text("SELECT count(*) FROM role_assignment WHERE person_id = (SELECT id FROM"
			  " person WHERE lower(email) = $1) AND role = $2 AND archived = 0",
			  "eva.ek@alfa.se", "samordnare"),
	       0, "the coordinator role from the old group is archived");
	is_int(count_text("SELECT count(*) FROM role_assignment WHERE person_id = (SELECT id FROM"
			  " person WHERE lower(email) = $1) AND role = $2 AND archived = 0",
			  "eva.ek@alfa.se", "anvandare"),
	       1, "the new group's role is given");
	is_int(count_text("SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id WHERE"
			  " lower(p.email) = $1 AND u.code = $2", "eva.ek@alfa.se", "IT"),
	       1, "the unit claim places the person in the unit");
	is_int(count_text("SELECT count(*) FROM person WHERE lower(email) = $1 AND name = $2",
			  "eva.ek@alfa.se", "Eva Ek-Lund"),
	       1, "the name is brought up to date");
	provider_reset();
}

TEST(totp_applies_unless_the_provider_gives_the_second_factor)
{
	struct flow f;
	int64_t mfa_src;

	provider_reset();
	op.sub = "tove-1";
	op.email = "tove@alfa.se";
	op.name = "Tove";
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 303, "Tove signs in");
	count_text("UPDATE app_user SET totp_enabled = 1 WHERE email = $1 RETURNING 1",
		   "tove@alfa.se", NULL);
	f = sign_in(src_main, "/o/alfa/units");
	is_int(f.back.status, 303, "with TOTP on");
	has_str(f.back.location, "/logga-in/kod", "Värn asks for the code, as after a password");
	ok(f.session != NULL, "a session waiting for the code");
	/* an organisation that requires TOTP of coordinators: its setup first */
	op.sub = "sara-1";
	op.email = "sara@alfa.se";
	op.name = "Sara";
	db_exec(fx->db, &fx->a, "UPDATE organisation SET totp_roles = $1 WHERE id = $2",
		DB_ARGS(DB_INT(RB(ROLE_COORDINATOR)), DB_INT(fx->org_alfa)), NULL,
		&(struct db_error){ 0 });
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 303, "a coordinator where TOTP is required, without TOTP");
	is_str(f.back.location, "/konto", "goes to the TOTP setup first, as after a password");
	db_exec(fx->db, &fx->a, "UPDATE organisation SET totp_roles = 0 WHERE id = $1",
		DB_ARGS(DB_INT(fx->org_alfa)), NULL, &(struct db_error){ 0 });
	mfa_src = add_source("Entra med MFA", op.issuer, 1, NULL, "provider_mfa", "1");
	identity_map_add(admin_ctx(), mfa_src, GROUP_COORD, "samordnare", 0,
			 &(struct db_error){ 0 });
	f = sign_in(mfa_src, NULL);
	is_int(f.back.status, 303, "through a source that gives the second factor");
	is_str(f.back.location, "/", "no code asked");
	/* switched off again, so the other tests' pages are as they were */
	identity_source_save(admin_ctx(), mfa_src, 1, "oidc", "Entra med MFA", 0, NULL, 0, NULL,
			     NULL, &(struct db_error){ 0 });
	provider_reset();
}

/* ---- the ID token's checks --------------------------------------------------------- */

TEST(a_token_for_another_client_is_refused)
{
	provider_reset();
	op.aud_json = "\"another-client\"";
	refused("wrong audience", 400, "kunde inte godkännas",
		"Entra test: the ID token's audience is not this client");
	op.aud_json = "[\"another-client\", \"varn-client\"]";
	refused("several audiences without azp", 400, "kunde inte godkännas",
		"Entra test: the ID token's authorized party is not this client");
	op.azp = "varn-client";
	{
		struct flow f = sign_in(src_main, NULL);

		is_int(f.back.status, 303, "several audiences with azp = this client: accepted");
	}
	provider_reset();
}

TEST(an_expired_token_is_refused)
{
	provider_reset();
	op.exp_in = -600;
	refused("expired token", 400, "kunde inte godkännas", "Entra test: the ID token has expired");
	provider_reset();
}

TEST(a_forged_signature_is_refused)
{
	provider_reset();
	op.rogue = 1;
	refused("bad signature", 400, "kunde inte godkännas",
		"Entra test: the ID token's signature is wrong");
	provider_reset();
}

TEST(a_wrong_nonce_is_refused)
{
	provider_reset();
	op.nonce = "not-the-nonce-varn-made";
	refused("wrong nonce", 400, "kunde inte godkännas", "Entra test: the ID token's nonce is wrong");
	provider_reset();
}

TEST(a_wrong_issuer_is_refused)
{
	provider_reset();
	op.iss = "https://login.example.com/other-tenant/v2.0";
	refused("wrong issuer", 400, "kunde inte godkännas",
		"Entra test: the ID token's issuer is wrong");
	provider_reset();
}

TEST(a_token_without_email_is_refused_clearly)
{
	provider_reset();
	op.omit_email = 1;
	refused("no e-mail", 403, "ingen e-postadress", NULL);
	provider_reset();
}

TEST(es256_tokens_are_accepted)
{
	struct flow f;

	provider_reset();
	op.key = 2;
	op.publish = 1 | 4;
	/* the cached key set lacks ec-1: fetched again once the floor has
	 * passed, as after a rotation */
	clock_advance(OIDC_JWKS_FLOOR + 1);
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 303, "an ES256 token is accepted");
	provider_reset();
}

/* ---- codes, states and browsers -------------------------------------------------------- */

TEST(a_replayed_code_and_a_used_state_are_refused)
{
	struct flow first, second;
	const char *code, *amp;
	struct fx_resp r;
	int hits;

	provider_reset();
	first = sign_in(src_main, NULL);
	is_int(first.back.status, 303, "a sign-in");
	/* the same way back again: Värn refuses the used state itself */
	hits = op.hits_token;
	r = come_back(first.back_path, first.oidc_cookie);
	is_int(r.status, 400, "the same state a second time is refused");
	has_str(r.body, "redan använts", "saying the sign-in was used");
	is_int(op.hits_token, hits, "without asking the provider");
	ok(count_text("SELECT count(*) FROM audit_event WHERE action = 'signin_failed' AND"
		      " summary = $1",
		      "Entra test: the sign-in's state came back a second time", NULL) >= 1,
	   "the trail has it");

	/* the old code with a new state: the provider refuses the code */
	second = sign_in(src_main, NULL);
	code = strstr(first.back_path ? first.back_path : "", "code=");
	amp = code ? strchr(code, '&') : NULL;
	if (code && amp && second.back_path) {
		const char *st = strstr(second.back_path, "state=");

		/* a fresh start, so the state is unused */
		second.start = fx_get(fx, NULL, arena_printf(&fx->a, "/logga-in/extern/%lld",
							     (long long)src_main));
		st = strstr(second.start.location ? second.start.location : "", "state=");
		if (st) {
			const char *path = arena_printf(&fx->a, "/logga-in/extern/svar?%.*s&%.*s",
							(int)(amp - code), code,
							(int)strcspn(st, "&"), st);

			hits = op.token_refused;
			r = come_back(path, cookie_pair(second.start.set_cookie, OIDC_COOKIE));
			is_int(r.status, 403, "a replayed code is refused");
			has_str(r.body, "godkände inte inloggningen", "the provider did not accept it");
			is_int(op.token_refused, hits + 1, "the provider refused the used code");
			ok(count_text("SELECT count(*) FROM audit_event WHERE action = 'signin_failed'"
				      " AND summary LIKE $1",
				      "Entra test: the token endpoint refused (HTTP 400, invalid_grant)%", NULL) >= 1,
			   "the trail says the provider refused, without the code");
		} else {
			ok(0, "a state in the second start");
		}
	} else {
		ok(0, "a code in the way back");
	}
	is_int(count_text("SELECT count(*) FROM audit_event WHERE summary LIKE $1", "%code=%", NULL),
	       0, "no code in the trail");
	provider_reset();
}

TEST(an_unknown_state_and_another_browser_are_refused)
{
	struct fx_resp r, start;
	const char *st;

	r = come_back("/logga-in/extern/svar?code=abc&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		      "varn_oidc=BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB");
	is_int(r.status, 400, "an unknown state is refused");
	has_str(r.body, "Börja om", "with a way to start again");
	has_str(r.body, "href=\"/logga-in\"", "a link to the sign-in page");
	r = come_back("/logga-in/extern/svar?code=abc&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		      "varn_lang=en");
	has_str(r.body, "The sign-in has expired, has already been used", "in English too");
	r = come_back("/logga-in/extern/svar?code=abc", NULL);
	is_int(r.status, 400, "no state at all is refused");

	start = fx_get(fx, NULL, arena_printf(&fx->a, "/logga-in/extern/%lld", (long long)src_main));
	st = oidc_provider_authorize(&op, &fx->a, start.location ? start.location : "");
	r = come_back(st ? st + strlen(BASE) : "/logga-in/extern/svar",
		      "varn_oidc=CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC");
	is_int(r.status, 400, "a state brought back by another browser is refused");
	r = come_back(st ? st + strlen(BASE) : "/logga-in/extern/svar", NULL);
	is_int(r.status, 400, "and without the cookie");
	/* the browser that started it may still finish */
	r = come_back(st ? st + strlen(BASE) : "/logga-in/extern/svar",
		      cookie_pair(start.set_cookie, OIDC_COOKIE));
	is_int(r.status, 303, "the browser that started it signs in");
}

TEST(a_started_sign_in_lives_ten_minutes)
{
	struct fx_resp start, r;
	const char *back;

	provider_reset();
	start = fx_get(fx, NULL, arena_printf(&fx->a, "/logga-in/extern/%lld", (long long)src_main));
	back = oidc_provider_authorize(&op, &fx->a, start.location ? start.location : "");
	clock_advance(OIDC_PENDING_LIFE + 1);
	r = come_back(back ? back + strlen(BASE) : "/", cookie_pair(start.set_cookie, OIDC_COOKIE));
	is_int(r.status, 400, "a sign-in that took more than 10 minutes is refused");
	has_str(r.body, "gått ut", "it has expired");
}

/* ---- keys ------------------------------------------------------------------------------ */

TEST(a_rotated_key_is_fetched_and_accepted)
{
	struct flow f;
	int hits;

	provider_reset();
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 303, "signed with the first key");
	/* the provider rotates: a new key signs, only it is published */
	op.key = 1;
	op.publish = 2;
	clock_advance(OIDC_JWKS_FLOOR + 1);
	hits = op.hits_jwks;
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 303, "a token under the new key is accepted");
	is_int(op.hits_jwks, hits + 1, "after fetching the keys once more");
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 303, "and the next one");
	is_int(op.hits_jwks, hits + 1, "from the cache");

	/* a key id nobody published: fetched once, then not again within
	 * the floor */
	op.kid = "made-up";
	clock_advance(OIDC_JWKS_FLOOR + 1);
	hits = op.hits_jwks;
	refused("unknown key", 400, "kunde inte godkännas", NULL);
	is_int(op.hits_jwks, hits + 1, "an unknown key id makes Värn fetch the keys");
	refused("unknown key again", 400, "kunde inte godkännas", NULL);
	is_int(op.hits_jwks, hits + 1, "but not again within a minute");
	provider_reset();
	clock_advance(OIDC_JWKS_FLOOR + 1); /* the first key back for the next tests */
}

/* ---- sources, accounts, roles ------------------------------------------------------------ */

TEST(a_provider_that_is_down_gets_a_clear_message)
{
	struct flow f;
	struct fx_resp r;
	int64_t dead;

	/* a source whose provider never answered */
	dead = add_source("Nere", "http://127.0.0.1:9", 1, "anvandare", NULL, NULL);
	ok(dead > 0, "a source on a closed port");
	r = fx_get(fx, NULL, arena_printf(&fx->a, "/logga-in/extern/%lld", (long long)dead));
	is_int(r.status, 502, "the start says the provider cannot be reached");
	has_str(r.body, "Inloggningstjänsten Nere svarar inte just nu", "in words");
	has_str(r.body, "logga in med det", "and that a password still works");
	identity_source_save(admin_ctx(), dead, 1, "oidc", "Nere", 0, "anvandare", 0, NULL, NULL,
			     &(struct db_error){ 0 });

	/* the provider goes down between the start and the way back */
	provider_reset();
	f.start = fx_get(fx, NULL, arena_printf(&fx->a, "/logga-in/extern/%lld",
						(long long)src_main));
	f.back_path = oidc_provider_authorize(&op, &fx->a, f.start.location);
	oidc_provider_stop(&op);
	r = come_back(f.back_path ? f.back_path + strlen(BASE) : "/",
		      cookie_pair(f.start.set_cookie, OIDC_COOKIE));
	is_int(r.status, 502, "the token endpoint cannot be reached");
	has_str(r.body, "svarar inte just nu", "said in words");
	ok(oidc_provider_start(&op) == 0, "the provider is back");
	r = fx_get(fx, "admin@a.se", "/o/alfa/units");
	is_int(r.status, 200, "local accounts work all along");
}

TEST(a_switched_off_source_is_refused)
{
	struct fx_resp r;
	int64_t off = add_source("Avstängd källa", op.issuer, 0, "anvandare", NULL, NULL);

	ok(off > 0, "a switched-off source");
	r = fx_get(fx, NULL, arena_printf(&fx->a, "/logga-in/extern/%lld", (long long)off));
	is_int(r.status, 403, "its start is refused");
	has_str(r.body, "inte längre påslagen", "saying it is switched off");
	r = fx_get(fx, NULL, "/logga-in");
	lacks_str(r.body, "Avstängd källa", "the sign-in page offers no button for it");
}

TEST(a_disabled_account_cannot_sign_in)
{
	struct flow f;

	provider_reset();
	op.sub = "dan-1";
	op.email = "dan@alfa.se";
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 303, "Dan signs in");
	count_text("UPDATE app_user SET disabled = 1 WHERE email = $1 RETURNING 1",
		   "dan@alfa.se", NULL);
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 403, "disabled in Värn: refused");
	has_str(f.back.body, "Ditt konto i Värn är avstängt", "saying so");
	ok(f.session == NULL, "no session");
	ok(count_text("SELECT count(*) FROM audit_event WHERE action = 'signin_failed' AND"
		      " actor = $1 AND summary = $2", "dan@alfa.se",
		      "Entra test: the account is disabled") == 1,
	   "the trail has it, with the account");
	provider_reset();
}

TEST(no_role_in_varn_is_said_clearly)
{
	struct flow f;

	provider_reset();
	op.sub = "nils-1";
	op.email = "nils@alfa.se";
	op.groups_json = "[\"unmapped-group\"]";
	f = sign_in(src_main, NULL);
	is_int(f.back.status, 403, "no mapped group: refused");
	has_str(f.back.body, "har ingen roll i Värn", "saying there is no role");
	ok(f.session == NULL, "no session");
	is_int(fx_user_id(fx, "nils@alfa.se"), 0, "and no account is left behind");
	provider_reset();
}

TEST(client_secret_post_and_a_refused_client)
{
	struct flow f;
	int64_t post = add_source("Post-klient", op.issuer, 1, "anvandare", "token_auth",
				  "client_secret_post");

	provider_reset();
	f = sign_in(post, NULL);
	is_int(f.back.status, 303, "client_secret_post signs in");
	op.client_secret = "another";
	f = sign_in(post, NULL);
	is_int(f.back.status, 403, "a wrong client secret is refused by the provider");
	has_str(f.back.body, "godkände inte", "said in words");
	identity_source_save(admin_ctx(), post, 1, "oidc", "Post-klient", 0, "anvandare", 0, NULL,
			     NULL, &(struct db_error){ 0 });
	provider_reset();
}

/* ---- settings -------------------------------------------------------------------------- */

/* The administrator is told the redirect address to register with the
 * provider, from the installation's public address (--base-url). */
TEST(the_settings_page_names_the_redirect_address)
{
	struct fx_resp r = fx_get(fx, "admin@a.se",
				  arena_printf(&fx->a, "/o/alfa/sign-in-sources/%lld", (long long)src_main));

	is_int(r.status, 200, "the source's settings page");
	has_str(r.body, "svarsadressen (redirect URI):", "says what to register");
	has_str(r.body, BASE "/logga-in/extern/svar", "with the address the provider sends back to");
}

TEST(settings_are_checked_and_the_connection_tested)
{
	struct identity_source *s;
	struct db_error err;
	struct buf out = BUF_INIT;
	const char *keys[] = { "issuer", "client_id", "client_secret" };
	const char *bad[] = { "http://login.example.com/x", "c", "s" };
	const char *scopes_keys[] = { "issuer", "client_id", "client_secret", "scopes" };
	const char *scopes[] = { "https://login.example.com/x", "c", "s", "profile email" };

	ok(identity_source_save(admin_ctx(), 0, 0, "oidc", "Fel", 1, NULL, 3, keys, bad, &err) == 0,
	   "plain http to another computer is refused");
	is_int(err.code, DBE_CHECK, "as a problem with the settings");
	has_str(err.msg, arena_printf(&fx->a, "%d:issuer", M_OIDC_V_ISSUER), "on the issuer");
	ok(identity_source_save(admin_ctx(), 0, 0, "oidc", "Fel", 1, NULL, 4, scopes_keys, scopes,
				&err) == 0,
	   "scopes without openid are refused");
	ok(oidc_url_ok("https://login.microsoftonline.com/t/v2.0") && oidc_url_ok("http://127.0.0.1:80/x") &&
	   oidc_url_ok("http://[::1]:8/") && !oidc_url_ok("http://127.0.0.1.example.com/") &&
	   !oidc_url_ok("ftp://x/") && !oidc_url_ok("https://x/#f") &&
	   !oidc_url_ok("http://127.0.0.1:80@evil.example/") && !oidc_url_ok("http://localhost@evil/") &&
	   !oidc_url_ok("https://user@login.example/"),
	   "https, or http only to a loopback address");
	ok(identity_source_load(fx->db, &fx->a, src_main, &s, &err) == 0, "the source loads");
	is_str(identity_get(s, "client_secret"), "s3cret/with+odd&chars",
	       "the secret is kept sealed and opens");
	is_int(count_text("SELECT count(*) FROM identity_source WHERE config LIKE $1 OR secret LIKE $2",
			  "%s3cret%", "%s3cret%"),
	       0, "the secret is nowhere in clear in the database");
	is_int(oidc_kind.test(s, &fx->a, LANG_SV, &out), 0, "the connection test passes");
	has_str(out.p, "Tjänstens beskrivning (openid-configuration) hämtades", "the discovery");
	has_str(out.p, "Tjänstens signeringsnycklar hämtades", "the keys");
	buf_release(&out);
	oidc_provider_stop(&op);
	is_int(oidc_kind.test(s, &fx->a, LANG_EN, &out), -1, "a provider that is down fails");
	has_str(out.p, "could not be fetched", "saying so in English");
	buf_release(&out);
	ok(oidc_provider_start(&op) == 0, "the provider is back");
}

int main(void)
{
	int rc;

	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	clock_set(T0);
	randombytes_buf(auth_cfg.key, sizeof(auth_cfg.key));
	fx = fixture_new();
	if (oidc_provider_start(&op) != 0) {
		printf("Bail out! the test provider does not start\n");
		return 1;
	}
	provider_reset();
	src_main = add_source("Entra test", op.issuer, 1, NULL, NULL, NULL);
	if (!src_main) {
		printf("Bail out! the source cannot be saved\n");
		return 1;
	}
	identity_map_add(admin_ctx(), src_main, GROUP_COORD, "samordnare", 0,
			 &(struct db_error){ 0 });
	identity_map_add(admin_ctx(), src_main, GROUP_USERS, "anvandare", 0, &(struct db_error){ 0 });
	{
		struct db_error err;
		struct db_rows r;

		db_exec(fx->db, &fx->a,
			"INSERT INTO unit (org_id, name, name_sk, code, kind, search, created_at,"
			" updated_at) VALUES ($1, 'IT-enheten', 'it-enheten', 'IT', 'enhet', 'it', $2, $2)"
			" RETURNING id",
			DB_ARGS(DB_INT(fx->org_alfa), DB_INT(T0)), &r, &err);
	}
	rc = tap_run();
	oidc_provider_free(&op);
	fixture_free(fx);
	oidc_cache_clear();
	curl_global_cleanup();
	return rc;
}
