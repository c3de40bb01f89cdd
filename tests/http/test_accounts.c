/* test_accounts.c - the account life cycle and scoped API tokens (issue
 * 13), through the real router on either engine (VARN_TEST_DB).
 *
 * fixture.h: "alfa" and "beta"; admin@a.se administrator in alfa,
 * anvandare@a.se plain user in alfa, samordnare@a.se coordinator in alfa
 * AND beta, admin@b.se administrator in beta.
 */
#include "base/base.h"

#include "base/clock.h"
#include "cli/ops.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/scope.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"
#define COORD "samordnare@a.se"
#define ADMIN_B "admin@b.se"

static struct fixture *fx;

static int64_t person_of(const char *email, int64_t org)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a,
		    "SELECT p.id FROM person p JOIN app_user u ON u.id = p.user_id"
		    " WHERE u.email = $1 AND p.org_id = $2",
		    DB_ARGS(DB_TEXT(email), DB_INT(org)), &r, &err) || r.nrows != 1)
		return 0;
	return db_cell_i64(&r, 0, 0);
}

static const char *token(const char *email, int64_t org, const char *scopes, int rate,
			 int days, int64_t *id)
{
	struct db_error err;
	const char *norm;
	struct api_token_spec s = { .label = "test", .days = days, .org_id = org, .rate = rate };

	if (scope_parse(&fx->a, scopes, &norm, NULL))
		BUG("bad scopes in the test: %s", scopes);
	s.scopes = norm;
	return api_token_create_spec(fx->db, &fx->a, fx_user_id(fx, email), &s, id, &err);
}

static struct fx_resp api(const char *tok, const char *method, const char *path,
			  const char *json)
{
	return fx_request(fx, NULL, method, path, json, json ? "application/json" : NULL,
			  "Authorization", arena_printf(&fx->a, "Bearer %s", tok));
}

static int64_t n(const char *sql, int64_t arg)
{
	return fx_scalar(fx, sql, arg);
}

static const char *acct(int64_t person, const char *tail)
{
	return arena_printf(&fx->a, "/o/alfa/people/%lld/account%s", (long long)person, tail);
}

#define LIVE_TOKENS "SELECT count(*) FROM api_token WHERE user_id = $1 AND revoked_at IS NULL"
#define OPEN_SESSIONS "SELECT count(*) FROM session WHERE user_id = $1 AND ended_at IS NULL"
#define DISABLED "SELECT disabled FROM app_user WHERE id = $1"

/* covers R-17-01 R-17-02 */
static void test_who_sees_the_account_page(void)
{
	int64_t p = person_of(USER, fx->org_alfa);
	struct fx_resp r;
	struct audit_event ev = { .user_id = fx_user_id(fx, USER), .actor = USER,
				  .action = "signin", .summary = "password", .ip = "192.0.2.7" };

	audit_append_now(fx->db, &fx->a, &ev); /* as the sign-in page writes it */
	r = fx_get(fx, USER, "/o/alfa");
	r = fx_get(fx, USER, acct(p, ""));
	is_int(r.status, 403, "a plain user cannot open an account page");
	r = fx_get(fx, COORD, acct(p, ""));
	is_int(r.status, 403, "nor a coordinator");
	r = fx_get(fx, ADMIN_B, acct(p, ""));
	is_int(r.status, 404, "nor another organisation's administrator");
	r = fx_get(fx, ADMIN, acct(p, ""));
	is_int(r.status, 200, "the administrator opens it");
	has_str(r.body, "anvandare@a.se", "it names the account");
	has_str(r.body, "Senaste inloggningar", "its recent sign-ins");
	has_str(r.body, "192.0.2.7", "... with the address");
	has_str(r.body, "<td>Inloggning</td>", "... and what happened");
	has_str(r.body, "Öppna sessioner", "its open sessions");
	r = fx_get(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)p));
	has_str(r.body, acct(p, ""), "the person's page links to it");
}

static void test_disable_enable(void)
{
	int64_t p = person_of(USER, fx->org_alfa), uid = fx_user_id(fx, USER);
	const char *t = token(USER, fx->org_alfa, "*:read", 0, 30, NULL);
	struct fx_resp r;

	fx_get(fx, USER, "/o/alfa"); /* a session */
	ok(n(OPEN_SESSIONS, uid) >= 1 && n(LIVE_TOKENS, uid) >= 1, "a session and a token");
	is_int(api(t, "GET", "/api/v1/orgs/alfa/units", NULL).status, 200, "the token works");

	r = fx_get(fx, ADMIN, acct(p, ""));
	has_str(r.body, arena_printf(&fx->a, "action=\"%s\"", acct(p, "/disable")),
		"the page's form posts to the disable address");
	r = fx_request(fx, ADMIN, "POST", acct(p, "/disable"), "note=x",
		       "application/x-www-form-urlencoded", NULL, NULL);
	is_int(r.status, 403, "without the CSRF token: refused");
	is_int(n(DISABLED, uid), 0, "... and nothing changed");

	r = fx_post(fx, ADMIN, acct(p, "/disable"), "note=Slutar+fredag");
	is_int(r.status, 303, "disabled through the page");
	is_int(n(DISABLED, uid), 1, "the account is disabled");
	is_int(n(OPEN_SESSIONS, uid), 0, "its sessions ended at once");
	is_int(n(LIVE_TOKENS, uid), 0, "its tokens are revoked");
	is_int(api(t, "GET", "/api/v1/orgs/alfa/units", NULL).status, 401, "the token no longer works");
	is_int(fx_get(fx, USER, "/o/alfa").status, 303, "the session no longer works");
	{
		struct db_error err;
		struct session *s = NULL;
		const char *c = session_create(fx->db, &fx->a, uid, STAGE_FULL, NULL, &err);

		ok(c && session_lookup(fx->db, &fx->a, c, &s, &err) == 0 && !s,
		   "a new session of the disabled account is refused by the look-up");
	}
	is_int(n("SELECT count(*) FROM audit_event WHERE action = 'account_disable'"
		 " AND org_id = $1 AND after_json LIKE '%Slutar fredag%'", fx->org_alfa), 1,
	       "audited in the organisation, with the note");
	r = fx_get(fx, ADMIN, acct(p, "?notis=disabled"));
	has_str(r.body, "Avstängt av en administratör", "the page says why");
	r = fx_get(fx, ADMIN, "/o/alfa/audit");
	has_str(r.body, "Konto avstängt", "the organisation's audit page reads the event");

	r = fx_post(fx, ADMIN, acct(p, "/enable"), "note=tillbaka");
	is_int(r.status, 303, "enabled through the page");
	is_int(n(DISABLED, uid), 0, "the account is enabled");
	fx_new_sessions(fx);
	is_int(fx_get(fx, USER, "/o/alfa").status, 200, "and signs in again");
	is_int(n("SELECT count(*) FROM audit_event WHERE action = 'account_enable' AND org_id = $1",
		 fx->org_alfa), 1, "audited");

	/* the administrator's own account, and a shared one */
	r = fx_post(fx, ADMIN, acct(person_of(ADMIN, fx->org_alfa), "/disable"), "note=");
	is_int(r.status, 403, "an administrator cannot disable their own account");
	r = fx_post(fx, ADMIN, acct(person_of(COORD, fx->org_alfa), "/disable"), "note=");
	is_int(r.status, 403, "nor an account that also works in an organisation they do not administer");
	has_str(r.body, "varn user", "and is told who can");
	is_int(n(DISABLED, fx_user_id(fx, COORD)), 0, "the coordinator's account is untouched");
	r = fx_post(fx, USER, acct(p, "/disable"), "note=");
	is_int(r.status, 403, "a plain user cannot disable");
}

/* covers R-9-14 */
static void test_reset_totp(void)
{
	int64_t p = person_of(USER, fx->org_alfa), uid = fx_user_id(fx, USER);
	struct db_error err;
	struct fx_resp r;

	db_exec(fx->db, &fx->a, "UPDATE app_user SET totp_enabled = 1 WHERE id = $1",
		DB_ARGS(DB_INT(uid)), NULL, &err);
	r = fx_get(fx, ADMIN, acct(p, ""));
	has_str(r.body, acct(p, "/reset-totp"), "the account page offers the reset");
	r = fx_get(fx, ADMIN, acct(p, "/reset-totp"));
	is_int(r.status, 200, "the reset form");
	has_str(r.body, "falska inloggningslänkar", "warns of fake reset calls and links");
	has_str(r.body, "Återuppringning", "offers the ways of checking");
	r = fx_post(fx, ADMIN, acct(p, "/reset-totp"), "checked_by=Ida+Ek&note=");
	is_int(r.status, 422, "without how the identity was checked: refused");
	r = fx_post(fx, ADMIN, acct(p, "/reset-totp"), "checked_by=&checked_how=via_manager");
	is_int(r.status, 422, "without who checked: refused");
	r = fx_post(fx, ADMIN, acct(p, "/reset-totp"), "checked_by=Ida+Ek&checked_how=other&note=");
	is_int(r.status, 422, "\"another way\" without a note: refused");
	is_int(n("SELECT totp_enabled FROM app_user WHERE id = $1", uid), 1, "... still on");
	fx_get(fx, USER, "/o/alfa");
	r = fx_post(fx, ADMIN, acct(p, "/reset-totp"),
		    "checked_by=Ida+Ek&checked_how=callback_known_number&note=");
	is_int(r.status, 303, "with the check: reset");
	is_int(n("SELECT totp_enabled FROM app_user WHERE id = $1", uid), 0, "TOTP is off");
	is_int(n(OPEN_SESSIONS, uid), 0, "the account's sessions ended");
	is_int(n("SELECT count(*) FROM audit_event WHERE action = 'totp_reset' AND org_id = $1"
		 " AND after_json LIKE '%callback_known_number%' AND after_json LIKE '%Ida Ek%'",
		 fx->org_alfa), 1, "who checked and how is in the audit trail");
}

static int64_t set_employment(const char *admin_tok, const char *org, int64_t person,
			      const char *state)
{
	const char *path = arena_printf(&fx->a, "/api/v1/orgs/%s/people/%lld", org,
					(long long)person);
	int64_t v = n("SELECT version FROM person WHERE id = $1", person);

	return api(admin_tok, "PATCH", path,
		   arena_printf(&fx->a, "{\"employment\":\"%s\",\"version\":%lld}", state,
				(long long)v)).status;
}

static void test_leavers(void)
{
	const char *adm = token(ADMIN, fx->org_alfa, "org:write", 0, 30, NULL);
	const char *adm_b = token(ADMIN_B, fx->org_beta, "org:write", 0, 30, NULL);
	int64_t p = person_of(USER, fx->org_alfa), uid = fx_user_id(fx, USER);
	int64_t cp = person_of(COORD, fx->org_alfa), cuid = fx_user_id(fx, COORD);
	int64_t cpb = person_of(COORD, fx->org_beta), ta = 0, tb = 0;
	const char *t;

	t = token(USER, fx->org_alfa, "*:read", 0, 30, NULL);
	fx_new_sessions(fx);
	fx_get(fx, USER, "/o/alfa");
	is_int(set_employment(adm, "alfa", p, "leave"), 200, "on leave");
	is_int(n(DISABLED, uid), 1, "leave suspends the account");
	is_int(n("SELECT count(*) FROM app_user WHERE id = $1 AND disabled_reason = 'leave'", uid), 1,
	       "... for leave");
	is_int(n(OPEN_SESSIONS, uid), 0, "its sessions ended");
	is_int(api(t, "GET", "/api/v1/orgs/alfa/units", NULL).status, 401, "its tokens too");
	is_int(set_employment(adm, "alfa", p, "active"), 200, "back");
	is_int(n(DISABLED, uid), 0, "coming back lifts the suspension");
	is_int(set_employment(adm, "alfa", p, "ended"), 200, "left");
	is_int(n("SELECT count(*) FROM app_user WHERE id = $1 AND disabled = 1"
		 " AND disabled_reason = 'ended'", uid), 1, "an ended employment disables the account");
	is_int(n("SELECT count(*) FROM audit_event WHERE action = 'account_disable'"
		 " AND after_json LIKE '%\"ended\"%' AND entity_id = $1", p), 1,
	       "audited on the person's record");
	is_int(set_employment(adm, "alfa", p, "active"), 200, "active again");
	is_int(n(DISABLED, uid), 1, "returning does not undo an ended employment: an administrator enables");

	/* an account with people in two organisations */
	t = token(COORD, fx->org_alfa, "*:read", 0, 30, &ta);
	token(COORD, fx->org_beta, "*:read", 0, 30, &tb);
	is_int(set_employment(adm, "alfa", cp, "ended"), 200, "the shared coordinator leaves alfa");
	is_int(n(DISABLED, cuid), 0, "the account stays: the person still works in beta");
	is_int(n("SELECT count(*) FROM api_token WHERE id = $1 AND revoked_at IS NOT NULL", ta), 1,
	       "the token for alfa is revoked");
	is_int(n("SELECT count(*) FROM api_token WHERE id = $1 AND revoked_at IS NULL", tb), 1,
	       "the token for beta still works");
	fx_new_sessions(fx);
	is_int(fx_get(fx, COORD, "/o/alfa").status, 404, "alfa is closed to them");
	is_int(fx_get(fx, COORD, "/o/beta").status, 200, "beta is not");
	is_int(set_employment(adm_b, "beta", cpb, "ended"), 200, "and then leaves beta");
	is_int(n(DISABLED, cuid), 1, "no organisation needs the account: disabled");
}

static void test_scopes(void)
{
	const char *sys_read = token(ADMIN, fx->org_alfa, "systems:read", 0, 30, NULL);
	const char *all_read = token(ADMIN, fx->org_alfa, "*:read", 0, 30, NULL);
	const char *org_write = token(ADMIN, fx->org_alfa, "org:write", 0, 30, NULL);
	const char *coord_a = token(ADMIN_B, fx->org_beta, "*:write", 0, 30, NULL);
	const char *legacy;
	struct db_error err;
	struct fx_resp r;

	is_int(api(sys_read, "GET", "/api/v1/orgs/alfa/systems", NULL).status, 200,
	       "systems:read reads systems");
	r = api(sys_read, "GET", "/api/v1/orgs/alfa/incidents", NULL);
	is_int(r.status, 403, "but not incidents");
	has_str(r.body, "\"code\":\"insufficient_scope\"", "a structured error");
	is_int(api(sys_read, "POST", "/api/v1/orgs/alfa/systems", "{\"name\":\"X\"}").status, 403,
	       "nor writes systems");
	is_int(api(all_read, "GET", "/api/v1/orgs/alfa/units", NULL).status, 200, "*:read reads units");
	is_int(api(all_read, "POST", "/api/v1/orgs/alfa/units",
		   "{\"name\":\"Läsenheten\",\"kind\":\"enhet\"}").status, 403,
	       "a read token cannot POST");
	is_int(api(org_write, "POST", "/api/v1/orgs/alfa/units",
		   "{\"name\":\"Skrivenheten\",\"kind\":\"enhet\"}").status, 201,
	       "org:write creates a unit");
	is_int(api(org_write, "GET", "/api/v1/orgs/alfa/units", NULL).status, 200,
	       "write includes read");
	is_int(api(coord_a, "GET", "/api/v1/orgs/alfa/units", NULL).status, 404,
	       "a token of beta does not reach alfa");
	is_int(api(sys_read, "GET", "/api/v1/orgs/beta/units", NULL).status, 404,
	       "nor one of alfa beta");
	r = api(sys_read, "GET", "/api/v1/me", NULL);
	is_int(r.status, 200, "/me answers any valid token");
	lacks_str(r.body, "\"slug\":\"beta\"", "and tells of the token's organisation only");
	/* a token made before scopes: "*:write", every organisation */
	legacy = api_token_create(fx->db, &fx->a, fx_user_id(fx, ADMIN), "old", 10, &err);
	is_int(api(legacy, "POST", "/api/v1/orgs/alfa/units",
		   "{\"name\":\"Gamla enheten\",\"kind\":\"enhet\"}").status, 201,
	       "an older token keeps writing");
	is_int(scope_parse(&fx->a, "systems:maybe", &(const char *){ NULL }, NULL), -1,
	       "an unknown scope is refused");
	is_int(scope_parse(&fx->a, "nosuchmodule:read", &(const char *){ NULL }, NULL), -1,
	       "an unknown module is refused");
}

static void test_expiry_and_rate(void)
{
	const char *t = token(ADMIN, fx->org_alfa, "*:read", 2, 1, NULL);
	struct fx_resp r;

	scope_rate_reset();
	is_int(api(t, "GET", "/api/v1/orgs/alfa/units", NULL).status, 200, "first request");
	is_int(api(t, "GET", "/api/v1/orgs/alfa/units", NULL).status, 200, "second request");
	r = api(t, "GET", "/api/v1/orgs/alfa/units", NULL);
	is_int(r.status, 429, "the third within the minute: 429");
	ok(r.retry_after && atoi(r.retry_after) >= 1 && atoi(r.retry_after) <= 60,
	   "with Retry-After");
	has_str(r.body, "\"code\":\"rate_limited\"", "and a structured JSON error");
	clock_set(clock_now() + 61);
	is_int(api(t, "GET", "/api/v1/orgs/alfa/units", NULL).status, 200, "a minute later: again");
	clock_set(clock_now() + 2 * 86400);
	is_int(api(t, "GET", "/api/v1/orgs/alfa/units", NULL).status, 401, "expired: 401");
	clock_set(0);
	fx_new_sessions(fx);
}

static void test_revoke(void)
{
	int64_t id = 0, id2 = 0;
	const char *t = token(COORD, fx->org_beta, "*:read", 0, 30, &id);
	const char *t2 = token(ADMIN, fx->org_alfa, "*:read", 0, 30, &id2);
	struct fx_resp r;

	r = fx_get(fx, COORD, "/konto");
	has_str(r.body, "*:read", "the owner sees the token's scope on /konto");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/konto/nycklar/%lld/aterkalla", (long long)id), "");
	is_int(r.status, 303, "revoked by the owner");
	is_int(api(t, "GET", "/api/v1/me", NULL).status, 401, "it no longer works");

	is_int(fx_get(fx, USER, "/o/alfa/tokens").status, 403, "a plain user cannot list the organisation's tokens");
	r = fx_get(fx, ADMIN, "/o/alfa/tokens");
	is_int(r.status, 200, "the administrator lists them");
	has_str(r.body, "admin@a.se", "with their owners");
	lacks_str(r.body, "admin@b.se", "only this organisation's");
	r = fx_post(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/tokens/%lld/revoke", (long long)id2), "");
	is_int(r.status, 404, "another organisation's administrator cannot revoke it");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/tokens/%lld/revoke", (long long)id2), "");
	is_int(r.status, 303, "revoked by the administrator");
	is_int(api(t2, "GET", "/api/v1/me", NULL).status, 401, "it no longer works");
	r = fx_request(fx, ADMIN, "POST", arena_printf(&fx->a, "/o/alfa/tokens/%lld/revoke", (long long)id2),
		       "", "application/x-www-form-urlencoded", NULL, NULL);
	is_int(r.status, 403, "without the CSRF token: refused");

	/* /konto makes a scoped token */
	r = fx_post(fx, ADMIN, "/konto/nycklar", "label=Skript&days=30&org=alfa&scopes=systems:read+nonsense&rate=10");
	is_int(r.status, 422, "a bad scope on /konto: refused");
	has_str(r.body, "id=\"f-scopes-error\"", "said beside the field");
	r = fx_post(fx, ADMIN, "/konto/nycklar", "label=Skript&days=30&org=beta&scopes=systems:read&rate=10");
	is_int(r.status, 422, "an organisation without a role there: refused");
	r = fx_post(fx, ADMIN, "/konto/nycklar", "label=Skript&days=30&org=alfa&scopes=systems:read,systems:write&rate=10");
	is_int(r.status, 200, "a scoped token made on /konto");
	is_int(n("SELECT count(*) FROM api_token WHERE label = 'Skript' AND org_id = $1"
		 " AND scopes = 'systems:write' AND rate_per_min = 10", fx->org_alfa), 1,
	       "with its organisation, scope (write over read) and rate");
}

static void test_sessions_end(void)
{
	int64_t p = person_of(USER, fx->org_alfa), uid = fx_user_id(fx, USER);
	struct db_error err;
	struct fx_resp r;

	db_exec(fx->db, &fx->a, "UPDATE app_user SET disabled = 0 WHERE id = $1",
		DB_ARGS(DB_INT(uid)), NULL, &err);
	fx_new_sessions(fx);
	fx_get(fx, USER, "/o/alfa");
	ok(n(OPEN_SESSIONS, uid) >= 1, "an open session");
	r = fx_post(fx, ADMIN, acct(p, "/end-sessions"), "");
	is_int(r.status, 303, "the administrator ends them all");
	is_int(n(OPEN_SESSIONS, uid), 0, "none open");
	is_int(n("SELECT count(*) FROM audit_event WHERE action = 'sessions_end' AND org_id = $1",
		 fx->org_alfa), 1, "audited");
}

static void test_cli_org_on_audit_page(void)
{
	struct cli_ctx c;
	struct db_error err;
	struct api_token_spec s = { .label = "cli-skript", .days = 5, .scopes = "*:read" };
	const char *tok, *link;
	struct fx_resp r;

	cli_ctx_init(&c, fx->db);
	ok(cli_use_org(&c, "alfa", &err) == 0, "the CLI selects alfa");
	s.org_id = c.org.id;
	tok = cli_token_create(&c, fx_user_id(fx, USER), USER, &s, &err);
	link = cli_reset_token_create(&c, fx_user_id(fx, USER), USER, c.org.id, &err);
	ok(tok && link, "a token and a reset link from the CLI");
	cli_ctx_release(&c);
	r = fx_get(fx, ADMIN, "/o/alfa/audit");
	is_int(r.status, 200, "alfa's audit page");
	has_str(r.body, "Skapade API-nyckel", "shows the CLI's token");
	has_str(r.body, "Skapade engångslänk", "and its reset link");
	r = fx_get(fx, ADMIN_B, "/o/beta/audit");
	lacks_str(r.body, "cli-skript", "beta's does not");
}

int main(void)
{
	fx = fixture_new();
	log_quiet = !getenv("TEST_VERBOSE");
	test_who_sees_the_account_page();
	test_disable_enable();
	test_reset_totp();
	test_scopes();
	test_expiry_and_rate();
	test_revoke();
	test_sessions_end();
	test_cli_org_on_audit_page();
	test_leavers();
	{
		int rc = tap_run();

		fixture_free(fx);
		testdb_cleanup();
		return rc;
	}
}
