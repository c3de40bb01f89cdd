/* test_auth.c - passwords, throttling, sessions, API tokens, reset links
 * and TOTP against a real database (SQLite, or PostgreSQL with
 * VARN_TEST_DB), with the fake clock. */
#include "base/base.h"

#include <pthread.h>
#include <sys/time.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "base/clock.h"
#include "core/auth.h"
#include "core/audit.h"
#include "core/roles.h"
#include "db/db.h"
#include "http/http.h"
#include "parse/form.h"
#include "web/app.h"
#include "core/i18n.h"
#include "tap.h"
#include "testdb.h"

#define T0 1700000000LL

static struct db *db;
static struct arena A = ARENA_INIT;

static int64_t mkuser(const char *email)
{
	struct db_error err;
	int64_t id = user_create(db, &A, email, "korrekt häst batteri", &err);

	if (!id)
		printf("# user_create(%s): %s\n", email, err.msg);
	return id;
}

static int64_t q_int(const char *sql, int64_t arg)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(db, &A, sql, DB_ARGS(DB_INT(arg)), &r, &err) || r.nrows != 1) {
		printf("# %s: %s\n", sql, err.msg);
		return -999;
	}
	return db_cell_i64(&r, 0, 0);
}

static const char *q_text(const char *sql, int64_t arg)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(db, &A, sql, DB_ARGS(DB_INT(arg)), &r, &err) || r.nrows != 1)
		return NULL;
	return db_cell(&r, 0, 0);
}

static void exec(const char *sql, int64_t arg)
{
	struct db_error err;

	if (db_exec(db, &A, sql, DB_ARGS(DB_INT(arg)), NULL, &err))
		printf("# %s: %s\n", sql, err.msg);
}

static double now_s(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/* The TOTP code of a base32 secret at the fake clock's time + offset. */
static const char *code_at(const char *b32, int64_t offset)
{
	static char otp[8];
	char *secret = NULL;
	size_t len = 0;

	if (oath_base32_decode(b32, strlen(b32), &secret, &len) != OATH_OK)
		return "000000";
	oath_totp_generate(secret, len, (time_t)(clock_now() + offset), 30, 0, 6, otp);
	free(secret);
	return otp;
}

/* ---- passwords ---- */

TEST(hash_and_verify)
{
	char h[crypto_pwhash_STRBYTES], h2[crypto_pwhash_STRBYTES];

	auth_cfg.fast_hash = 1;
	ok(auth_hash_password("korrekt häst batteri", h, sizeof(h)) == 0, "hash");
	ok(!strncmp(h, "$argon2id$", 10), "Argon2id");
	is_int(auth_verify_password(h, "korrekt häst batteri"), 1, "right password");
	is_int(auth_verify_password(h, "korrekt häst batterI"), 0, "wrong password");
	is_int(auth_verify_password(NULL, "x"), 0, "no hash");
	is_int(auth_verify_password("plaintext", "plaintext"), -1, "not a hash");
	auth_hash_password("korrekt häst batteri", h2, sizeof(h2));
	ok(strcmp(h, h2) != 0, "salted: two hashes differ");
	ok(auth_hash_password("x", h, 10) == -1, "small buffer refused");

	auth_cfg.fast_hash = 0;
	ok(auth_hash_password("korrekt häst batteri", h, sizeof(h)) == 0, "interactive hash");
	ok(strstr(h, "m=65536") != NULL, "64 MiB memory cost when not in test mode");
	is_int(auth_verify_password(h, "korrekt häst batteri"), 1, "interactive verify");
	auth_cfg.fast_hash = 1;
}

static void *hash_worker(void *arg)
{
	char h[crypto_pwhash_STRBYTES];
	int *okp = arg;

	*okp = auth_hash_password("samtidiga hashningar", h, sizeof(h)) == 0 &&
	       auth_verify_password(h, "samtidiga hashningar") == 1;
	return NULL;
}

TEST(hashes_in_parallel)
{
	pthread_t th[6];
	int res[6] = { 0 }, all = 1;

	/* More threads than hash slots: the rest wait their turn, none fail. */
	for (int i = 0; i < 6; i++)
		pthread_create(&th[i], NULL, hash_worker, &res[i]);
	for (int i = 0; i < 6; i++) {
		pthread_join(th[i], NULL);
		all &= res[i];
	}
	ok(all, "six concurrent hashes through two slots");
}

TEST(password_policy)
{
	char s[260];

	is_int(auth_password_problem("kort"), M_PW_TOO_SHORT, "short");
	is_int(auth_password_problem("elva tecken"), M_PW_TOO_SHORT, "11 characters");
	is_int(auth_password_problem("tolv tecken!"), 0, "12 characters");
	is_int(auth_password_problem("åäöåäöåäöåäö"), 0, "12 code points, 24 bytes");
	is_int(auth_password_problem("åäöåäöåäöåä"), M_PW_TOO_SHORT, "11 code points");
	is_int(auth_password_problem("aaaaaaaaaaaaaaaa"), M_PW_TOO_SIMPLE, "one character repeated");
	is_int(auth_password_problem("Password1234"), M_PW_TOO_SIMPLE, "common password");
	is_int(auth_password_problem("tolv tecken\x01!"), M_PW_BAD_TEXT, "control character");
	is_int(auth_password_problem("tolv\ntecken!!"), M_PW_BAD_TEXT, "newline");
	is_int(auth_password_problem("\xff\xfe tolv tecken"), M_PW_BAD_TEXT, "invalid UTF-8");
	memset(s, 'a', 200);
	s[0] = 'b';
	s[200] = '\0';
	is_int(auth_password_problem(s), 0, "200 characters");
	s[200] = 'a';
	s[201] = '\0';
	is_int(auth_password_problem(s), M_PW_TOO_LONG, "201 characters");
	is_int(auth_password_problem(NULL), M_PW_TOO_SHORT, "NULL");
}

TEST(email_normalized)
{
	is_str(auth_normalize_email(&A, "  Anna.Berg@Kommun.SE \n"), "anna.berg@kommun.se",
	       "trimmed and lower-cased");
	is_str(auth_normalize_email(&A, NULL), "", "NULL is empty");
}

/* ---- throttling ---- */

TEST(throttle_grows_and_resets)
{
	const char *em = "mallory@example.se";
	int64_t expect = 15;

	clock_set(T0);
	auth_throttle_reset(db);
	for (int i = 0; i < 4; i++)
		auth_note_failure(NULL, em, NULL);
	is_int(auth_throttled(NULL, em, NULL), 0, "four failures: no wait");
	auth_note_failure(NULL, em, NULL);
	is_int(auth_throttled(NULL, em, NULL), 15, "fifth failure: 15 s");
	is_int(auth_throttled(NULL, "MALLORY@example.se ", NULL), 15, "same account, other spelling");
	is_int(auth_throttled(NULL, "other@example.se", NULL), 0, "other accounts unaffected");
	for (int i = 0; i < 7; i++) {
		clock_advance(auth_throttled(NULL, em, NULL));
		is_int(auth_throttled(NULL, em, NULL), 0, "wait over");
		auth_note_failure(NULL, em, NULL);
		expect = expect * 2 > 900 ? 900 : expect * 2;
		is_int(auth_throttled(NULL, em, NULL), expect, "wait doubles, at most 15 min");
	}
	auth_note_success(NULL, em, NULL);
	is_int(auth_throttled(NULL, em, NULL), 0, "success clears the account");

	/* Failures spread out more than the window apart do not add up. */
	for (int i = 0; i < 4; i++)
		auth_note_failure(NULL, em, NULL);
	clock_advance(16 * 60);
	auth_note_failure(NULL, em, NULL);
	is_int(auth_throttled(NULL, em, NULL), 0, "old failures forgotten after 15 min");

	/* Per address: a larger allowance, and success does not clear it. */
	auth_throttle_reset(db);
	for (int i = 0; i < 19; i++) {
		char e[64];

		snprintf(e, sizeof(e), "user%d@example.se", i);
		auth_note_failure(NULL, e, "192.0.2.7");
	}
	is_int(auth_throttled(NULL, "new@example.se", "192.0.2.7"), 0, "19 failures from one address");
	auth_note_failure(NULL, "user19@example.se", "192.0.2.7");
	is_int(auth_throttled(NULL, "new@example.se", "192.0.2.7"), 15, "20th: the address waits");
	is_int(auth_throttled(NULL, "new@example.se", "192.0.2.8"), 0, "other addresses do not");
	auth_note_success(NULL, "new@example.se", "192.0.2.7");
	is_int(auth_throttled(NULL, "new@example.se", "192.0.2.7"), 15, "success keeps the address wait");
	auth_throttle_reset(db);
	is_int(auth_throttled(NULL, "new@example.se", "192.0.2.7"), 0, "reset");
}

TEST(throttle_table_bounded)
{
	char e[64];

	clock_set(T0);
	auth_throttle_reset(db);
	/* More keys than the table has slots: the oldest are evicted, the
	 * newest still counted. */
	for (int i = 0; i < 5000; i++) {
		snprintf(e, sizeof(e), "spray%d@example.se", i);
		auth_note_failure(NULL, e, NULL);
		if (i % 100 == 0)
			clock_advance(1);
	}
	for (int i = 0; i < 5; i++)
		auth_note_failure(NULL, "target@example.se", NULL);
	ok(auth_throttled(NULL, "target@example.se", NULL) > 0, "still counting when full");
	auth_throttle_reset(db);
}

/* Several servers on one database: a failure counted by one holds on the
 * others.  This process's memory is cleared between the steps, as if the
 * next attempt reached another server. */
TEST(throttle_shared_through_the_database)
{
	const char *em = "eve@example.se";
	struct db_error err;

	clock_set(T0);
	auth_throttle_reset(db);
	for (int i = 0; i < 5; i++) {
		auth_note_failure(db, em, "198.51.100.9");
		auth_throttle_reset(NULL); /* the next one on another server */
	}
	is_int(auth_throttled(NULL, em, NULL), 0, "this server alone counted none");
	is_int(auth_throttled(db, em, NULL), 15, "five failures on five servers: 15 s on all");
	is_int(auth_throttled(db, "EVE@example.se", "203.0.113.1"), 15, "same account, other spelling and address");
	is_int(auth_throttled(db, "other@example.se", "198.51.100.9"), 0, "other accounts wait not");
	clock_advance(15);
	is_int(auth_throttled(db, em, NULL), 0, "wait over");
	auth_note_failure(db, em, NULL);
	auth_throttle_reset(NULL);
	is_int(auth_throttled(db, em, NULL), 30, "the next failure doubles it, wherever it was");
	auth_note_success(db, em, NULL);
	is_int(auth_throttled(db, em, NULL), 0, "success on one server clears the account on all");
	/* the address: 20 failures over any accounts and servers */
	for (int i = 0; i < 20; i++) {
		char e[64];

		snprintf(e, sizeof(e), "u%d@example.se", i);
		auth_note_failure(db, e, "198.51.100.7");
		auth_throttle_reset(NULL);
	}
	is_int(auth_throttled(db, "new@example.se", "198.51.100.7"), 15, "the address waits on all");
	is_int(auth_throttled(db, "new@example.se", "198.51.100.8"), 0, "other addresses do not");
	clock_advance(16 * 60);
	ok(auth_throttle_prune(db, clock_now(), &err) > 0, "stale rows pruned");
	is_int(q_int("SELECT count(*) FROM signin_failure WHERE until_at > $1", clock_now()), 0,
	       "none left that limits anything");
	auth_throttle_reset(db);
}

/* ---- tokens and users ---- */

TEST(tokens)
{
	char t1[48], t2[48];

	auth_random_token(t1, sizeof(t1));
	auth_random_token(t2, sizeof(t2));
	is_int(strlen(t1), 43, "43 characters");
	ok(strcmp(t1, t2) != 0, "random");
	ok(strspn(t1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43,
	   "base64url");
	is_int(strlen(auth_token_hash(&A, t1)), 64, "hash is 64 hex digits");
	is_str(auth_token_hash(&A, t1), auth_token_hash(&A, t1), "hash is deterministic");
}

TEST(users)
{
	struct db_error err;
	struct signin si;
	int64_t id;

	clock_set(T0);
	auth_throttle_reset(db);
	id = user_create(db, &A, " Eva.Lund@Kommun.se", "eva har ett långt lösenord", &err);
	ok(id > 0, "created");
	is_str(q_text("SELECT email FROM app_user WHERE id = $1", id), "eva.lund@kommun.se",
	       "stored lower-cased");
	lacks_str(q_text("SELECT pw_hash FROM app_user WHERE id = $1", id), "långt",
		  "password not stored in clear");
	is_int(user_find_by_email(db, &A, "EVA.LUND@kommun.se"), id, "found in any case");
	is_int(user_find_by_email(db, &A, "nobody@kommun.se"), 0, "unknown");
	is_int(user_create(db, &A, "eva.lund@kommun.se", NULL, &err), 0, "duplicate refused");
	is_int(err.code, DBE_UNIQUE, "as unique violation");
	is_int(user_create(db, &A, "  ", NULL, &err), 0, "empty e-mail refused");
	is_int(err.code, DBE_CHECK, "as check violation");

	is_int(auth_check_password(db, &A, "eva.lund@kommun.se", "eva har ett långt lösenord",
				   "198.51.100.1", &si), SIGNIN_OK, "sign in");
	is_int(si.user_id, id, "user id");
	is_int(auth_check_password(db, &A, "Eva.Lund@kommun.se", "fel", "198.51.100.1", &si),
	       SIGNIN_BAD, "wrong password");
	is_int(si.user_id, id, "account known to the caller (for the audit trail)");
	is_int(auth_check_password(db, &A, "ingen@kommun.se", "fel", "198.51.100.1", &si),
	       SIGNIN_BAD, "unknown account: same answer");
	is_int(si.user_id, 0, "no user id");

	ok(user_set_password(db, &A, id, "ett helt nytt lösenord", &err) == 0, "set password");
	is_int(auth_check_password(db, &A, "eva.lund@kommun.se", "ett helt nytt lösenord",
				   NULL, &si), SIGNIN_OK, "new password works");
	is_int(auth_check_password(db, &A, "eva.lund@kommun.se", "eva har ett långt lösenord",
				   NULL, &si), SIGNIN_BAD, "old one does not");

	exec("UPDATE app_user SET disabled = 1 WHERE id = $1", id);
	is_int(auth_check_password(db, &A, "eva.lund@kommun.se", "ett helt nytt lösenord",
				   NULL, &si), SIGNIN_BAD, "disabled account refused");
	exec("UPDATE app_user SET disabled = 0 WHERE id = $1", id);

	for (int i = 0; i < 5; i++)
		auth_check_password(db, &A, "eva.lund@kommun.se", "fel", NULL, &si);
	is_int(auth_check_password(db, &A, "eva.lund@kommun.se", "ett helt nytt lösenord",
				   NULL, &si), SIGNIN_THROTTLED, "throttled after five failures");
	ok(si.wait > 0, "with a wait");
	auth_throttle_reset(db);

	ok(user_set_lang(db, &A, id, LANG_EN, &err) == 0, "set language");
	is_str(q_text("SELECT lang FROM app_user WHERE id = $1", id), "en", "stored");
	ok(user_create(db, &A, "nopw@kommun.se", NULL, &err) > 0, "account without password");
	is_int(auth_check_password(db, &A, "nopw@kommun.se", "", NULL, &si), SIGNIN_BAD,
	       "cannot sign in with nothing");
}

TEST(unknown_account_takes_as_long)
{
	struct signin si;
	double t, known, unknown;

	auth_throttle_reset(db);
	auth_cfg.fast_hash = 0;
	mkuser("timing@kommun.se"); /* hashed at full cost */
	auth_check_password(db, &A, "nobody@kommun.se", "x", NULL, &si); /* dummy made */
	/* The fastest of three of each, so that a busy machine does not
	 * make the comparison flaky. */
	known = unknown = 1e9;
	for (int i = 0; i < 3; i++) {
		char e[64];
		double d;

		t = now_s();
		auth_check_password(db, &A, "timing@kommun.se", "fel lösenord", NULL, &si);
		d = now_s() - t;
		known = d < known ? d : known;
		snprintf(e, sizeof(e), "nobody%d@kommun.se", i);
		t = now_s();
		auth_check_password(db, &A, e, "fel lösenord", NULL, &si);
		d = now_s() - t;
		unknown = d < unknown ? d : unknown;
	}
	printf("# known %.3f s, unknown %.3f s\n", known, unknown);
	ok(unknown > known / 3 && known > unknown / 3, "comparable time");
	auth_cfg.fast_hash = 1;
	auth_throttle_reset(db);
}

TEST(totp_required_by_role)
{
	struct db_error err;
	struct db_rows r;
	struct signin si;
	int64_t uid, org, person;

	uid = mkuser("samordnare@kommun.se");
	is_int(auth_totp_required(db, &A, uid), 0, "no roles: not required");
	db_exec(db, &A,
		"INSERT INTO organisation (slug, name, name_sk, kind, totp_roles, created_at, "
		"updated_at) VALUES ('k', 'Kommunen', 'kommunen', 'kommun', $1, 1, 1) RETURNING id",
		DB_ARGS(DB_INT(RB(ROLE_COORDINATOR) | RB(ROLE_ADMIN))), &r, &err);
	org = db_cell_i64(&r, 0, 0);
	db_exec(db, &A,
		"INSERT INTO person (org_id, user_id, name, name_sk, created_at, updated_at) "
		"VALUES ($1, $2, 'Sam Ordnare', 'sam ordnare', 1, 1) RETURNING id",
		DB_ARGS(DB_INT(org), DB_INT(uid)), &r, &err);
	person = db_cell_i64(&r, 0, 0);
	db_exec(db, &A,
		"INSERT INTO role_assignment (org_id, person_id, role, created_at, updated_at) "
		"VALUES ($1, $2, $3, 1, 1)",
		DB_ARGS(DB_INT(org), DB_INT(person), DB_TEXT(role_code(ROLE_USER))), NULL, &err);
	is_int(auth_totp_required(db, &A, uid), 0, "a role without the requirement");
	db_exec(db, &A,
		"INSERT INTO role_assignment (org_id, person_id, role, created_at, updated_at) "
		"VALUES ($1, $2, $3, 1, 1)",
		DB_ARGS(DB_INT(org), DB_INT(person), DB_TEXT(role_code(ROLE_COORDINATOR))),
		NULL, &err);
	is_int(auth_totp_required(db, &A, uid), 1, "coordinator: required");
	is_int(auth_check_password(db, &A, "samordnare@kommun.se", "korrekt häst batteri",
				   NULL, &si), SIGNIN_OK, "signs in");
	is_int(si.totp_required, 1, "and is told TOTP is required");
	exec("UPDATE role_assignment SET archived = 1 WHERE person_id = $1", person);
	is_int(auth_totp_required(db, &A, uid), 0, "archived roles do not count");
}

/* ---- sessions ---- */

/* Look-ups that must not fail in the database: the session or NULL. */
static struct session *lookup(const char *tok)
{
	struct session *s;
	struct db_error err;

	if (session_lookup(db, &A, tok, &s, &err) != 0)
		printf("# session_lookup failed: %s\n", err.msg);
	return s;
}

static struct session *token_lookup(const char *tok)
{
	struct session *s;
	struct db_error err;

	if (api_token_lookup(db, &A, tok, &s, &err) != 0)
		printf("# api_token_lookup failed: %s\n", err.msg);
	return s;
}

TEST(session_lifecycle)
{
	struct db_error err;
	struct session *s;
	const char *tok;
	int64_t uid = mkuser("sess@kommun.se"), sid;

	clock_set(T0);
	auth_cfg.idle_timeout = 30 * 60;
	auth_cfg.absolute_timeout = 10 * 60 * 60;
	tok = session_create(db, &A, uid, STAGE_FULL, "203.0.113.5", &err);
	ok(tok && strlen(tok) == 43, "cookie value");
	s = lookup(tok);
	ok(s != NULL, "found");
	if (!s)
		return;
	sid = s->id;
	is_int(s->user_id, uid, "user");
	is_int(s->stage, STAGE_FULL, "full");
	is_int(s->stage_totp, 0, "not awaiting TOTP");
	is_str(s->email, "sess@kommun.se", "e-mail");
	is_str(s->name, "sess@kommun.se", "name falls back to e-mail");
	ok(s->csrf && strlen(s->csrf) == 43, "CSRF token");
	is_int(s->lang, LANG_SV, "Swedish");
	ok(strcmp(q_text("SELECT token_hash FROM session WHERE id = $1", sid), tok) != 0,
	   "token stored hashed");
	is_str(q_text("SELECT token_hash FROM session WHERE id = $1", sid),
	       auth_token_hash(&A, tok), "as its BLAKE2b hash");

	clock_advance(30);
	lookup(tok);
	is_int(q_int("SELECT last_seen_at FROM session WHERE id = $1", sid), T0,
	       "not touched within a minute");
	clock_advance(40);
	lookup(tok);
	is_int(q_int("SELECT last_seen_at FROM session WHERE id = $1", sid), T0 + 70,
	       "touched after a minute");

	clock_advance(30 * 60);
	ok(lookup(tok) != NULL, "idle exactly the limit: alive");
	clock_advance(30 * 60 + 1);
	ok(lookup(tok) == NULL, "idle too long: gone");
	ok(q_text("SELECT ended_at FROM session WHERE id = $1", sid) != NULL, "and ended");
	clock_advance(-(30 * 60 + 1));
	ok(lookup(tok) == NULL, "stays ended");

	ok(lookup(NULL) == NULL, "no token");
	ok(lookup("") == NULL, "empty token");
	ok(lookup("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") == NULL,
	   "unknown token");
}

TEST(session_absolute_timeout)
{
	struct db_error err;
	const char *tok;
	int64_t uid = mkuser("abs@kommun.se"), t;

	clock_set(T0);
	tok = session_create(db, &A, uid, STAGE_FULL, NULL, &err);
	/* Busy all day: the idle timer never runs out, the absolute one does. */
	for (t = 0; t + 20 * 60 < 10 * 60 * 60; t += 20 * 60) {
		clock_advance(20 * 60);
		if (!lookup(tok))
			break;
	}
	ok(t + 20 * 60 >= 10 * 60 * 60, "alive through the working day");
	clock_set(T0 + 10 * 60 * 60);
	ok(lookup(tok) == NULL, "gone after 10 hours");
}

TEST(session_disabled_user)
{
	struct db_error err;
	int64_t uid = mkuser("dis@kommun.se");
	const char *tok;

	clock_set(T0);
	tok = session_create(db, &A, uid, STAGE_FULL, NULL, &err);
	ok(lookup(tok) != NULL, "alive");
	exec("UPDATE app_user SET disabled = 1 WHERE id = $1", uid);
	ok(lookup(tok) == NULL, "disabling the account ends it");
}

TEST(session_promote)
{
	struct db_error err;
	struct session *s;
	const char *tok, *tok2, *csrf;
	int64_t uid = mkuser("promote@kommun.se");

	clock_set(T0);
	tok = session_create(db, &A, uid, STAGE_TOTP, NULL, &err);
	s = lookup(tok);
	ok(s && s->stage == STAGE_TOTP && s->stage_totp, "awaiting TOTP");
	if (!s)
		return;
	csrf = s->csrf;
	ok(session_promote(db, &A, s, &tok2, &err) == 0, "promoted");
	ok(strcmp(tok, tok2) != 0, "new token");
	ok(strcmp(csrf, s->csrf) != 0, "new CSRF token");
	is_int(s->stage, STAGE_FULL, "struct updated");
	ok(lookup(tok) == NULL, "old token dead (no fixation)");
	s = lookup(tok2);
	ok(s && s->stage == STAGE_FULL && !s->stage_totp, "new token: full session");

	is_int(q_int("SELECT expires_at - created_at FROM session WHERE id = $1", s ? s->id : 0),
	       auth_cfg.absolute_timeout, "full lifetime after promotion");

	tok = session_create(db, &A, uid, STAGE_TOTP, NULL, &err);
	clock_advance(15 * 60 - 1);
	ok(lookup(tok) != NULL, "waiting for the code: alive 15 min");
	clock_advance(1);
	ok(lookup(tok) == NULL, "but not longer");

	tok = session_create(db, &A, uid, STAGE_SETUP, NULL, &err);
	s = lookup(tok);
	ok(s && s->stage == STAGE_SETUP && s->stage_totp, "setup stage kept apart");
	if (s) {
		session_end(db, &A, s->id, &err);
		is_int(session_promote(db, &A, s, &tok2, &err), -1, "ended: cannot promote");
	}
}

TEST(session_end_all)
{
	struct db_error err;
	const char *a1, *a2, *a3, *b1;
	struct session *s;
	int64_t ua = mkuser("alla@kommun.se"), ub = mkuser("bertil@kommun.se");

	clock_set(T0);
	a1 = session_create(db, &A, ua, STAGE_FULL, NULL, &err);
	a2 = session_create(db, &A, ua, STAGE_FULL, NULL, &err);
	a3 = session_create(db, &A, ua, STAGE_TOTP, NULL, &err);
	b1 = session_create(db, &A, ub, STAGE_FULL, NULL, &err);
	s = lookup(a1);
	ok(s && session_end(db, &A, s->id, &err) == 0, "end one");
	ok(lookup(a1) == NULL, "ended");
	ok(lookup(a2) != NULL, "the other lives");
	ok(session_end_all(db, &A, ua, &err) == 0, "end all");
	ok(!lookup(a2) && !lookup(a3), "all of the user's gone");
	ok(lookup(b1) != NULL, "another user's untouched");
}

/* ---- API tokens ---- */

TEST(api_tokens)
{
	struct db_error err;
	struct session *s;
	struct api_token_info *list;
	const char *t1, *t2, *t3;
	int64_t uid = mkuser("api@kommun.se"), other = mkuser("annan@kommun.se");

	clock_set(T0);
	t1 = api_token_create(db, &A, uid, "skript", 0, &err);
	ok(t1 != NULL, "created");
	s = token_lookup(t1);
	ok(s != NULL, "found");
	if (!s)
		return;
	is_int(s->user_id, uid, "user");
	ok(s->token_id > 0 && s->id == 0, "token, not session");
	ok(s->csrf == NULL, "no CSRF for API");
	is_int(q_int("SELECT expires_at FROM api_token WHERE id = $1", s->token_id),
	       T0 + 90 * 86400, "90 days by default");
	is_int(q_int("SELECT last_used_at FROM api_token WHERE id = $1", s->token_id), T0,
	       "last use recorded");
	ok(lookup(t1) == NULL, "not a session cookie");

	is_int(api_token_revoke(db, &A, other, s->token_id, &err), -1,
	       "another user cannot revoke it");
	is_int(err.code, DBE_NOTFOUND, "not found for them");
	ok(token_lookup(t1) != NULL, "still valid");
	is_int(api_token_revoke(db, &A, uid, s->token_id, &err), 0, "owner revokes");
	ok(token_lookup(t1) == NULL, "revoked: refused");

	t2 = api_token_create(db, &A, uid, "kort", 1, &err);
	t3 = api_token_create(db, &A, uid, "lång", 10000, &err);
	s = token_lookup(t3);
	is_int(q_int("SELECT expires_at FROM api_token WHERE id = $1", s ? s->token_id : 0),
	       T0 + API_TOKEN_DAYS_MAX * 86400LL, "days capped");
	is_int(api_token_list(db, &A, uid, &list), 2, "two valid tokens listed");
	clock_advance(86400);
	ok(token_lookup(t2) == NULL, "expired: refused");
	ok(token_lookup(t3) != NULL, "the longer one lives");
	is_int(api_token_list(db, &A, uid, &list), 1, "one valid token listed");
	is_str(list[0].label, "lång", "its label");
	exec("UPDATE app_user SET disabled = 1 WHERE id = $1", uid);
	ok(token_lookup(t3) == NULL, "disabled account: refused");
}

/* ---- reset links ---- */

TEST(reset_links)
{
	struct db_error err;
	struct signin si;
	const char *link, *link2, *sess;
	int64_t uid = mkuser("glomsk@kommun.se"), admin = mkuser("admin@kommun.se");

	clock_set(T0);
	auth_throttle_reset(db);
	link = reset_token_create(db, &A, uid, admin, &err);
	link2 = reset_token_create(db, &A, uid, admin, &err);
	ok(link && link2, "two links made");
	sess = session_create(db, &A, uid, STAGE_FULL, NULL, &err);
	is_int(reset_token_check(db, &A, link), uid, "valid");
	is_int(reset_token_check(db, &A, "nonsense-nonsense-nonsense"), 0, "unknown");
	is_int(reset_token_use(db, &A, link, "ett nytt bra lösenord", &err), uid, "used");
	is_int(auth_check_password(db, &A, "glomsk@kommun.se", "ett nytt bra lösenord", NULL,
				   &si), SIGNIN_OK, "new password works");
	ok(lookup(sess) == NULL, "sessions ended");
	is_int(reset_token_check(db, &A, link), 0, "spent");
	is_int(reset_token_use(db, &A, link, "ännu ett lösenord här", &err), 0, "not twice");
	is_int(err.code, DBE_NOTFOUND, "as not found");
	is_int(reset_token_check(db, &A, link2), 0, "the other link is spent too");
	is_int(auth_check_password(db, &A, "glomsk@kommun.se", "ett nytt bra lösenord", NULL,
				   &si), SIGNIN_OK, "password unchanged by the refused use");

	link = reset_token_create(db, &A, uid, 0, &err);
	clock_advance(24 * 60 * 60 - 1);
	is_int(reset_token_check(db, &A, link), uid, "valid for almost a day");
	clock_advance(1);
	is_int(reset_token_check(db, &A, link), 0, "expired after 24 h");
	is_int(reset_token_use(db, &A, link, "ännu ett lösenord här", &err), 0, "cannot be used");

	link = reset_token_create(db, &A, uid, 0, &err);
	exec("UPDATE app_user SET disabled = 1 WHERE id = $1", uid);
	is_int(reset_token_check(db, &A, link), 0, "disabled account: link not valid");
}

/* ---- TOTP ---- */

TEST(totp)
{
	struct db_error err;
	const char **codes = NULL, *secret, *stored, *code;
	int64_t uid = mkuser("totp@kommun.se"), other = mkuser("totp2@kommun.se");

	clock_set(T0);
	secret = totp_new_secret(&A);
	is_int(strlen(secret), 32, "new secret: 32 base32 characters");
	ok(strspn(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == 32, "base32");

	ok(totp_begin(db, &A, uid, &secret, &err) == 0, "setup started");
	is_str(totp_pending_secret(db, &A, uid), secret, "pending secret readable");
	stored = q_text("SELECT totp_secret FROM app_user WHERE id = $1", uid);
	ok(stored && !strstr(stored, secret), "stored secret is not the plain secret");
	is_int(strlen(stored), 80, "nonce, box and MAC in base64");
	is_int(q_int("SELECT totp_enabled FROM app_user WHERE id = $1", uid), 0,
	       "not enabled before confirmation");
	has_str(totp_uri(&A, "totp@kommun.se", secret), "otpauth://totp/V%C3%A4rn:", "URI");
	has_str(totp_uri(&A, "totp@kommun.se", secret), secret, "URI carries the secret");

	/* The row copied to another user does not decrypt there. */
	db_exec(db, &A, "UPDATE app_user SET totp_secret = $1 WHERE id = $2",
		DB_ARGS(DB_TEXT(stored), DB_INT(other)), NULL, &err);
	ok(totp_pending_secret(db, &A, other) == NULL, "bound to the user");

	{
		char wrong[8];

		snprintf(wrong, sizeof(wrong), "%06d", (atoi(code_at(secret, 0)) + 1) % 1000000);
		is_int(totp_enable(db, &A, uid, NULL, wrong, &codes, &err), 0,
		       "wrong code refused");
		ok(codes == NULL, "no codes");
	}
	is_int(totp_enable(db, &A, uid, NULL, "12ab56", &codes, &err), 0, "not digits");
	code = code_at(secret, 0);
	is_int(totp_enable(db, &A, uid, NULL, code, &codes, &err), 1, "right code enables");
	is_int(q_int("SELECT totp_enabled FROM app_user WHERE id = $1", uid), 1, "enabled");
	ok(codes != NULL, "recovery codes");
	if (!codes)
		return;
	{
		int n = 0, fmt = 1;

		for (; codes[n]; n++) {
			const char *c = codes[n];

			if (strlen(c) != 14 || c[4] != '-' || c[9] != '-')
				fmt = 0;
		}
		is_int(n, 10, "ten codes");
		ok(fmt, "format xxxx-xxxx-xxxx");
		ok(strcmp(codes[0], codes[1]) != 0, "different");
	}
	is_int(recovery_codes_left(db, &A, uid), 10, "ten unused");
	lacks_str(q_text("SELECT code_hash FROM recovery_code WHERE user_id = $1 "
			 "ORDER BY id LIMIT 1", uid), codes[0] + 5, "codes stored hashed");

	is_int(totp_check(db, &A, uid, code), 0, "the confirming code is spent");
	clock_advance(30);
	code = code_at(secret, 0);
	is_int(totp_check(db, &A, uid, code), 1, "next code accepted");
	is_int(totp_check(db, &A, uid, code), 0, "the same code again: replay refused");
	is_int(totp_check(db, &A, uid, code_at(secret, -30)), 0, "an older code refused");
	clock_advance(30);
	{
		char wrong[8];

		snprintf(wrong, sizeof(wrong), "%06d", (atoi(code_at(secret, 0)) + 1) % 1000000);
		is_int(totp_check(db, &A, uid, wrong), 0, "wrong code refused");
	}
	is_int(totp_check(db, &A, uid, code_at(secret, 30)), 1, "one step ahead (clock drift)");
	is_int(totp_check(db, &A, uid, code_at(secret, 0)), 0,
	       "then the current step counts as used");
	clock_advance(60);
	is_int(totp_check(db, &A, uid, code_at(secret, 90)), 0, "three steps ahead refused");
	is_int(totp_check(db, &A, uid, "12345"), 0, "five digits");
	is_int(totp_check(db, &A, other, code_at(secret, 0)), 0, "user without TOTP");

	is_int(recovery_code_use(db, &A, uid, codes[0]), 1, "recovery code accepted");
	is_int(recovery_code_use(db, &A, uid, codes[0]), 0, "once only");
	{
		char loose[16];
		size_t k = 0;

		for (const char *c = codes[1]; *c; c++)
			if (*c != '-')
				loose[k++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 32 : *c);
		loose[k] = '\0';
		is_int(recovery_code_use(db, &A, uid, loose), 1,
		       "upper case without hyphens accepted");
	}
	is_int(recovery_code_use(db, &A, other, codes[2]), 0, "not another user's");
	is_int(recovery_code_use(db, &A, uid, "aaaa-bbbb-cccc"), 0, "made-up code");
	is_int(recovery_code_use(db, &A, uid, "x"), 0, "garbage");
	is_int(recovery_codes_left(db, &A, uid), 8, "eight left");

	{
		const char *s2 = "unchanged";

		ok(totp_begin(db, &A, uid, &s2, &err) == -1 && err.code == DBE_CHECK,
		   "no new setup while enabled");
		ok(s2 == NULL, "and no secret");
	}
	ok(totp_disable(db, &A, uid, &err) == 0, "disabled");
	is_int(recovery_codes_left(db, &A, uid), 0, "codes spent with it");
	is_int(totp_check(db, &A, uid, code_at(secret, 0)), 0, "no TOTP any more");
}

TEST(totp_enable_with_given_secret)
{
	struct db_error err;
	const char **codes, *secret;
	char typed[64];
	int64_t uid = mkuser("given@kommun.se");

	clock_set(T0 + 12345);
	secret = totp_new_secret(&A);
	/* as a person might type it back */
	snprintf(typed, sizeof(typed), "%.8s %.8s-%.16s", secret, secret + 8, secret + 16);
	for (char *c = typed; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
	is_int(totp_enable(db, &A, uid, typed, code_at(secret, 0), &codes, &err), 1,
	       "enabled with a typed secret");
	clock_advance(30);
	is_int(totp_check(db, &A, uid, code_at(secret, 0)), 1, "codes work");
	is_int(totp_enable(db, &A, uid, typed, code_at(secret, 30), &codes, &err), -1,
	       "cannot enable twice");
}

TEST(key_file)
{
	char path[512];
	unsigned char k1[32];
	FILE *f;

	snprintf(path, sizeof(path), "%s/varn.key", testdb_dir());
	ok(auth_load_key(path) == 0, "created");
	memcpy(k1, auth_cfg.key, 32);
	memset(auth_cfg.key, 0, 32);
	ok(auth_load_key(path) == 0, "loaded");
	ok(memcmp(k1, auth_cfg.key, 32) == 0, "same key");
	f = fopen(path, "w");
	fputs("not a key\n", f);
	fclose(f);
	ok(auth_load_key(path) == -1, "a damaged key file is refused");
	memcpy(auth_cfg.key, k1, 32);
}

/* ---- the pages, through the real router (app_handle) ---- */

/* A browser: a cookie jar of the two cookies Värn sets. */
struct browser {
	char session[64];
	char pre[64];
	const char *origin;
	const char *ip;
};

struct page {
	int status;
	const char *body;
	const char *location;
	const char *set_session; /* the Set-Cookie line for the session, if any */
};

static struct app app;

static void jar_take(struct browser *b, const char *line, struct page *p)
{
	const char *eq = strchr(line, '='), *semi;
	char *slot;
	size_t n;

	if (!eq)
		return;
	semi = strchr(eq, ';');
	n = semi ? (size_t)(semi - eq - 1) : strlen(eq + 1);
	if (!strncmp(line, SESSION_COOKIE "=", strlen(SESSION_COOKIE) + 1)) {
		slot = b->session;
		p->set_session = arena_strdup(&A, line);
	} else if (!strncmp(line, PRE_COOKIE "=", strlen(PRE_COOKIE) + 1)) {
		slot = b->pre;
	} else {
		return;
	}
	if (n >= 64 || strstr(line, "Max-Age=0"))
		n = 0;
	memcpy(slot, eq + 1, n);
	slot[n] = '\0';
}

static struct page http(struct browser *b, const char *method, const char *path,
			const char *form)
{
	struct arena a = ARENA_INIT;
	struct req q = { 0 };
	struct resp r;
	struct page p = { 0 };
	struct buf cookie = BUF_INIT;
	const char *qm = strchr(path, '?');

	resp_init(&r);
	if (b->session[0])
		buf_printf(&cookie, "%s=%s", SESSION_COOKIE, b->session);
	if (b->pre[0])
		buf_printf(&cookie, "%s%s=%s", cookie.len ? "; " : "", PRE_COOKIE, b->pre);
	q.cx.a = &a;
	q.method = method;
	q.path = qm ? arena_strndup(&a, path, (size_t)(qm - path)) : path;
	q.query = qm ? qm + 1 : "";
	q.body = form ? form : "";
	q.body_len = form ? strlen(form) : 0;
	q.h_content_type = form ? "application/x-www-form-urlencoded" : NULL;
	q.h_host = "varn.test";
	q.h_origin = b->origin;
	q.h_cookie = cookie.len ? cookie.p : NULL;
	q.remote_ip = b->ip ? b->ip : "127.0.0.1";
	app_handle(&app, &q, &r);
	p.status = r.status;
	p.body = arena_strndup(&A, r.body.p, r.body.len);
	for (size_t i = 0; i < r.nheaders; i++) {
		if (!strcasecmp(r.headers[i].name, "Location"))
			p.location = arena_strdup(&A, r.headers[i].value);
		if (!strcasecmp(r.headers[i].name, "Set-Cookie"))
			jar_take(b, r.headers[i].value, &p);
	}
	resp_release(&r);
	buf_release(&cookie);
	arena_release(&a);
	return p;
}

/* The value attribute following name="NAME" in a page. */
static const char *field_value(const char *body, const char *name)
{
	char pat[80];
	const char *p, *v, *e;

	snprintf(pat, sizeof(pat), "name=\"%s\" value=\"", name);
	p = body ? strstr(body, pat) : NULL;
	if (!p)
		return "";
	v = p + strlen(pat);
	e = strchr(v, '"');
	return arena_strndup(&A, v, (size_t)(e - v));
}

/* A form body: "k=v&..." with the values percent-encoded. */
static const char *form(const char *k1, const char *v1, const char *k2, const char *v2,
			const char *k3, const char *v3, const char *k4, const char *v4)
{
	const char *k[] = { k1, k2, k3, k4 }, *v[] = { v1, v2, v3, v4 };
	struct buf b = BUF_INIT;
	const char *out;

	for (int i = 0; i < 4 && k[i]; i++) {
		buf_printf(&b, "%s%s=", i ? "&" : "", k[i]);
		url_encode(&b, v[i] ? v[i] : "");
	}
	out = arena_strdup(&A, b.p);
	buf_release(&b);
	return out;
}

static struct page sign_in(struct browser *b, const char *email, const char *pw)
{
	struct page p = http(b, "GET", "/logga-in", NULL);

	return http(b, "POST", "/logga-in",
		    form("pre", field_value(p.body, "pre"), "email", email, "password", pw,
			 NULL, NULL));
}

static struct page post_csrf(struct browser *b, const char *path, const char *k1,
			     const char *v1, const char *k2, const char *v2)
{
	struct page p = http(b, "GET", "/konto", NULL);
	const char *csrf = field_value(p.body, "csrf");

	return http(b, "POST", path, form("csrf", csrf, k1, v1, k2, v2, NULL, NULL));
}

static int64_t audit_count(const char *action)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(db, &A, "SELECT COUNT(*) FROM audit_event WHERE action = $1",
		    DB_ARGS(DB_TEXT(action)), &r, &err))
		return -1;
	return db_cell_i64(&r, 0, 0);
}

static void pages_setup(void)
{
	struct db_error err;
	const char *url = testdb_url();
	struct db *d;

	if (db_open(url, &d, &err) || db_migrate(d, &err)) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
	db_close(d);
	db_close(db); /* the core tests' database; the pages get their own */
	if (app_init(&app, url, 2)) {
		printf("Bail out! app_init\n");
		exit(1);
	}
	if (db_open(url, &db, &err)) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
	clock_set(T0);
	auth_throttle_reset(db);
}

TEST(page_sign_in_form)
{
	struct browser b = { 0 };
	struct page p;

	pages_setup();
	mkuser("sida@kommun.se");
	p = http(&b, "GET", "/logga-in", NULL);
	is_int(p.status, 200, "sign-in page");
	ok(b.pre[0] != 0, "double-submit cookie set");
	is_str(field_value(p.body, "pre"), b.pre, "and repeated in the form");
	has_str(p.body, "<label for=\"f-email\">", "labelled e-mail field");
	has_str(p.body, "autocomplete=\"username\"", "autocomplete username");
	has_str(p.body, "autocomplete=\"current-password\"", "autocomplete current-password");

	p = http(&b, "POST", "/logga-in",
		 form("email", "sida@kommun.se", "password", "korrekt häst batteri", NULL, NULL,
		      NULL, NULL));
	is_int(p.status, 400, "no double-submit value: refused");
	ok(!b.session[0], "no session");
	has_str(p.body, "value=\"sida@kommun.se\"", "e-mail kept");

	b.origin = "https://evil.example";
	p = sign_in(&b, "sida@kommun.se", "korrekt häst batteri");
	is_int(p.status, 400, "foreign Origin refused");
	ok(!b.session[0], "no session");
	b.origin = "http://varn.test";

	p = sign_in(&b, "Sida@kommun.se", "fel lösenord här");
	is_int(p.status, 422, "wrong password");
	has_str(p.body, "Fel e-postadress eller lösenord.", "the generic message");
	has_str(p.body, "value=\"Sida@kommun.se\"", "e-mail kept as typed");
	lacks_str(p.body, "fel lösenord", "password not echoed");
	has_str(p.body, "aria-describedby=\"errors\"", "fields point at the message");
	is_int(audit_count("signin_failed"), 1, "audited");
	p = sign_in(&b, "finns-inte@kommun.se", "fel lösenord här");
	is_int(p.status, 422, "unknown account: same status");
	has_str(p.body, "Fel e-postadress eller lösenord.", "same message");
	is_int(audit_count("signin_failed"), 2, "audited");
	{
		struct db_rows r;
		struct db_error err;

		ok(db_exec(db, &A, "SELECT actor FROM audit_event WHERE action = 'signin_failed'"
			   " ORDER BY seq", DB_NOARGS, &r, &err) == 0 && r.nrows == 2,
		   "both failures read back");
		is_str(r.nrows == 2 ? db_cell(&r, 0, 0) : NULL, "sida@kommun.se",
		       "a known account's failure names the account");
		is_str(r.nrows == 2 ? db_cell(&r, 1, 0) : NULL, AUDIT_ACTOR_UNKNOWN,
		       "an unknown account's failure does not store what was typed");
		ok(db_exec(db, &A, "SELECT count(*) FROM audit_event WHERE actor LIKE '%finns-inte%'"
			   " OR summary LIKE '%finns-inte%'", DB_NOARGS, &r, &err) == 0 &&
		   db_cell_i64(&r, 0, 0) == 0, "the typed address is nowhere in the trail");
	}
	p = sign_in(&b, "", "");
	is_int(p.status, 422, "empty fields");
	has_str(p.body, "id=\"f-email-error\"", "error beside the field");

	p = sign_in(&b, "sida@kommun.se", "korrekt häst batteri");
	is_int(p.status, 303, "signed in");
	is_str(p.location, "/", "to the start page");
	ok(b.session[0], "session cookie");
	has_str(p.set_session, "HttpOnly", "HttpOnly");
	has_str(p.set_session, "SameSite=Lax", "SameSite=Lax");
	has_str(p.set_session, "Path=/", "Path=/");
	lacks_str(p.set_session, "Secure", "not Secure without TLS");
	ok(!b.pre[0], "double-submit cookie cleared");
	is_int(audit_count("signin"), 1, "audited");
	p = http(&b, "GET", "/logga-in", NULL);
	is_int(p.status, 303, "signed in: the form redirects");

	p = http(&b, "POST", "/logga-ut", "");
	is_int(p.status, 403, "sign-out without CSRF token refused");
	{
		struct browser keep = b;

		p = post_csrf(&b, "/logga-ut", NULL, NULL, NULL, NULL);
		is_int(p.status, 303, "signed out");
		has_str(p.location, "/logga-in", "to the sign-in page");
		ok(!b.session[0], "cookie cleared");
		is_int(audit_count("signout"), 1, "audited");
		p = http(&keep, "GET", "/konto", NULL);
		is_int(p.status, 303, "the old cookie no longer works");
		has_str(p.location, "/logga-in", "sent to sign in");
	}

	b = (struct browser){ 0 };
	b.ip = "192.0.2.99";
	auth_cfg.cookie_secure = 1;
	p = sign_in(&b, "sida@kommun.se", "korrekt häst batteri");
	has_str(p.set_session, "; Secure", "Secure behind TLS");
	auth_cfg.cookie_secure = 0;
	p = http(&b, "GET", "/logga-in?next=/konto", NULL);
	is_str(p.location, "/konto", "next followed");
	p = http(&b, "GET", "/logga-in?next=//evil.example/", NULL);
	is_str(p.location, "/", "off-site next ignored");

	b = (struct browser){ 0 };
	for (int i = 0; i < 5; i++)
		sign_in(&b, "sida@kommun.se", "fel lösenord här");
	p = sign_in(&b, "sida@kommun.se", "korrekt häst batteri");
	is_int(p.status, 429, "throttled");
	has_str(p.body, "Du kan försöka igen om", "says how long to wait");
	auth_throttle_reset(db);
}

TEST(page_totp_sign_in)
{
	struct browser b = { 0 };
	struct page p;
	struct db_error err;
	const char **codes, *secret, *first;
	int64_t uid = mkuser("tva@kommun.se");

	clock_set(T0 + 1000);
	totp_begin(db, &A, uid, &secret, &err);
	totp_enable(db, &A, uid, NULL, code_at(secret, 0), &codes, &err);
	clock_advance(30);

	p = sign_in(&b, "tva@kommun.se", "korrekt häst batteri");
	is_int(p.status, 303, "password accepted");
	is_str(p.location, "/logga-in/kod", "to the code step");
	first = arena_strdup(&A, b.session);
	p = http(&b, "GET", "/", NULL);
	is_str(p.location, "/logga-in/kod", "nothing else reachable");
	p = http(&b, "GET", "/konto", NULL);
	is_str(p.location, "/logga-in/kod", "not even the account page");
	p = http(&b, "GET", "/logga-in/kod", NULL);
	is_int(p.status, 200, "code form");
	has_str(p.body, "autocomplete=\"one-time-code\"", "one-time-code");
	p = http(&b, "POST", "/logga-in/kod",
		 form("csrf", field_value(p.body, "csrf"), "code", "000000", NULL, NULL, NULL,
		      NULL));
	if (!strcmp(code_at(secret, 0), "000000"))
		p.status = 422;
	is_int(p.status, 422, "wrong code");
	is_int(audit_count("totp_failed"), 1, "audited");
	p = http(&b, "POST", "/logga-in/kod",
		 form("csrf", field_value(p.body, "csrf"), "code", code_at(secret, 0), NULL,
		      NULL, NULL, NULL));
	is_int(p.status, 303, "right code");
	ok(strcmp(first, b.session) != 0, "a new session token");
	p = http(&b, "GET", "/konto", NULL);
	is_int(p.status, 200, "signed in fully");
	{
		struct browser old = { 0 };

		memcpy(old.session, first, strlen(first) + 1);
		p = http(&old, "GET", "/logga-in/kod", NULL);
		is_int(p.status, 303, "the pre-TOTP cookie is dead");
		has_str(p.location, "/logga-in?", "sent to sign in");
	}

	/* A recovery code in the same field. */
	b = (struct browser){ 0 };
	sign_in(&b, "tva@kommun.se", "korrekt häst batteri");
	p = http(&b, "GET", "/logga-in/kod", NULL);
	p = http(&b, "POST", "/logga-in/kod",
		 form("csrf", field_value(p.body, "csrf"), "code", codes[3], NULL, NULL, NULL,
		      NULL));
	is_int(p.status, 303, "recovery code accepted");
}

TEST(page_totp_required_setup)
{
	struct browser b = { 0 };
	struct page p;
	struct db_rows r;
	struct db_error err;
	const char *s, *e;
	char secret[64];
	size_t n = 0;
	int64_t uid = mkuser("krav@kommun.se"), org, person;

	db_exec(db, &A,
		"INSERT INTO organisation (slug, name, name_sk, kind, totp_roles, created_at, "
		"updated_at) VALUES ('krav', 'Krav', 'krav', 'kommun', $1, 1, 1) RETURNING id",
		DB_ARGS(DB_INT(RB(ROLE_COORDINATOR))), &r, &err);
	org = db_cell_i64(&r, 0, 0);
	db_exec(db, &A,
		"INSERT INTO person (org_id, user_id, name, name_sk, created_at, updated_at) "
		"VALUES ($1, $2, 'Krav Person', 'krav person', 1, 1) RETURNING id",
		DB_ARGS(DB_INT(org), DB_INT(uid)), &r, &err);
	person = db_cell_i64(&r, 0, 0);
	db_exec(db, &A,
		"INSERT INTO role_assignment (org_id, person_id, role, created_at, updated_at) "
		"VALUES ($1, $2, $3, 1, 1)",
		DB_ARGS(DB_INT(org), DB_INT(person), DB_TEXT(role_code(ROLE_COORDINATOR))),
		NULL, &err);

	clock_set(T0 + 5000);
	p = sign_in(&b, "krav@kommun.se", "korrekt häst batteri");
	is_int(p.status, 303, "password accepted");
	is_str(p.location, "/konto", "sent to the account page");
	p = http(&b, "GET", "/konto", NULL);
	is_int(p.status, 200, "account page");
	has_str(p.body, "kräver tvåstegsverifiering", "told why");
	lacks_str(p.body, "/konto/losenord", "only the TOTP setup offered");
	p = http(&b, "GET", "/o/krav", NULL);
	is_str(p.location, "/logga-in/kod", "the organisation is out of reach");
	p = http(&b, "GET", "/logga-in/kod", NULL);
	is_str(p.location, "/konto", "and the code step sends back to setup");
	p = post_csrf(&b, "/konto/losenord", "current", "korrekt häst batteri", NULL, NULL);
	ok(p.status == 303 && !strcmp(p.location, "/logga-in/kod"), "no password change yet");

	p = post_csrf(&b, "/konto/tvastegs", NULL, NULL, NULL, NULL);
	is_str(p.location, "/konto/tvastegs", "setup started");
	p = http(&b, "GET", "/konto/tvastegs", NULL);
	is_int(p.status, 200, "setup page");
	has_str(p.body, "otpauth://totp/", "otpauth URI shown");
	s = strstr(p.body, "class=\"secret-key\">");
	ok(s != NULL, "secret shown");
	if (!s)
		return;
	s += strlen("class=\"secret-key\">");
	e = strchr(s, '<');
	for (; s < e && n < sizeof(secret) - 1; s++)
		if (*s != ' ')
			secret[n++] = *s;
	secret[n] = '\0';
	is_int(strlen(secret), 32, "32 characters of base32");
	p = http(&b, "POST", "/konto/tvastegs/bekrafta",
		 form("csrf", field_value(p.body, "csrf"), "code", "12", NULL, NULL, NULL, NULL));
	is_int(p.status, 422, "bad code format");
	has_str(p.body, "aria-invalid=\"true\"", "marked");
	{
		const char *old = arena_strdup(&A, b.session);

		p = http(&b, "POST", "/konto/tvastegs/bekrafta",
			 form("csrf", field_value(p.body, "csrf"), "code", code_at(secret, 0),
			      NULL, NULL, NULL, NULL));
		is_int(p.status, 200, "enabled");
		has_str(p.body, "<ol class=\"codes\">", "recovery codes shown");
		ok(strcmp(old, b.session) != 0, "a new session token");
	}
	p = http(&b, "GET", "/o/krav", NULL);
	ok(p.status != 303 || strcmp(p.location, "/logga-in/kod"), "now the organisation is reachable");
	is_int(q_int("SELECT totp_enabled FROM app_user WHERE id = $1", uid), 1, "stored");
}

TEST(page_reset_link)
{
	struct browser b = { 0 };
	struct page p;
	struct db_error err;
	struct signin si;
	int64_t uid = mkuser("nyttpw@kommun.se");
	const char *link = reset_token_create(db, &A, uid, 0, &err);
	const char *path = arena_printf(&A, "/aterstall/%s", link);

	clock_set(T0 + 9000);
	p = http(&b, "GET", path, NULL);
	is_int(p.status, 200, "reset form");
	has_str(p.body, "nyttpw@kommun.se", "for the account");
	has_str(p.body, "autocomplete=\"new-password\"", "new-password");
	p = http(&b, "POST", path,
		 form("pre", b.pre, "password", "ett nytt lösenord!", "repeat", "ett annat lösenord",
		      NULL, NULL));
	is_int(p.status, 422, "mismatch");
	has_str(p.body, "Lösenorden är inte likadana.", "said so");
	p = http(&b, "POST", path,
		 form("pre", b.pre, "password", "kort", "repeat", "kort", NULL, NULL));
	has_str(p.body, "minst 12 tecken", "policy applied");
	p = http(&b, "POST", path,
		 form("pre", "x", "password", "ett nytt lösenord!", "repeat", "ett nytt lösenord!",
		      NULL, NULL));
	is_int(p.status, 400, "without the double-submit value: refused");
	p = http(&b, "POST", path,
		 form("pre", b.pre, "password", "ett nytt lösenord!", "repeat", "ett nytt lösenord!",
		      NULL, NULL));
	is_int(p.status, 200, "changed");
	has_str(p.body, "Ditt lösenord är bytt", "said so");
	is_int(audit_count("password_reset"), 1, "audited");
	is_int(auth_check_password(db, &A, "nyttpw@kommun.se", "ett nytt lösenord!", NULL, &si),
	       SIGNIN_OK, "works");
	p = http(&b, "GET", path, NULL);
	is_int(p.status, 404, "the link is spent");
	has_str(p.body, "Länken gäller inte", "explained");
}

TEST(page_account)
{
	struct browser b = { 0 }, other = { 0 };
	struct page p;
	struct db_rows r;
	struct db_error err;
	const char *tok, *id;

	{
		/* tokens belong to an organisation where the account holds a
		 * role (issue 13) */
		int64_t uid = mkuser("konto@kommun.se"), org, person;

		db_exec(db, &A,
			"INSERT INTO organisation (slug, name, name_sk, kind, totp_roles, created_at, "
			"updated_at) VALUES ('kk', 'Kontokommun', 'kontokommun', 'kommun', 0, 1, 1) "
			"RETURNING id", DB_NOARGS, &r, &err);
		org = db_cell_i64(&r, 0, 0);
		db_exec(db, &A,
			"INSERT INTO person (org_id, user_id, name, name_sk, created_at, updated_at) "
			"VALUES ($1, $2, 'Konto', 'konto', 1, 1) RETURNING id",
			DB_ARGS(DB_INT(org), DB_INT(uid)), &r, &err);
		person = db_cell_i64(&r, 0, 0);
		db_exec(db, &A,
			"INSERT INTO role_assignment (org_id, person_id, role, created_at, updated_at) "
			"VALUES ($1, $2, 'anvandare', 1, 1)",
			DB_ARGS(DB_INT(org), DB_INT(person)), NULL, &err);
	}
	mkuser("konto2@kommun.se");
	clock_set(T0 + 20000);
	auth_throttle_reset(db);
	sign_in(&b, "konto@kommun.se", "korrekt häst batteri");
	sign_in(&other, "konto@kommun.se", "korrekt häst batteri");
	p = http(&b, "GET", "/konto", NULL);
	is_int(p.status, 200, "account page");
	has_str(p.body, "konto@kommun.se", "shows the account");

	p = post_csrf(&b, "/konto/losenord", "current", "fel", "password", "ett nytt lösenord!");
	is_int(p.status, 422, "wrong current password");
	has_str(p.body, "Det nuvarande lösenordet stämmer inte.", "said beside the field");
	p = http(&b, "GET", "/konto", NULL);
	p = http(&b, "POST", "/konto/losenord",
		 form("csrf", field_value(p.body, "csrf"), "current", "korrekt häst batteri",
		      "password", "ett nytt lösenord!", "repeat", "ett nytt lösenord!"));
	is_int(p.status, 303, "changed");
	is_str(p.location, "/konto?notis=losenord", "with a notice");
	p = http(&b, "GET", p.location, NULL);
	is_int(p.status, 200, "this browser stays signed in");
	has_str(p.body, "Lösenordet är bytt", "notice shown");
	p = http(&other, "GET", "/konto", NULL);
	is_int(p.status, 303, "other sessions ended");

	p = post_csrf(&b, "/konto/nycklar", "label", "Rapport <skript>", "days", "30");
	is_int(p.status, 200, "token created");
	tok = strstr(p.body, "<code class=\"token\">");
	ok(tok != NULL, "token shown once");
	if (tok) {
		tok = arena_strndup(&A, tok + 20, 43);
		ok(token_lookup(tok) != NULL, "and it works");
	}
	p = http(&b, "GET", "/konto", NULL);
	lacks_str(p.body, tok ? tok : "-", "not shown again");
	has_str(p.body, "Rapport &lt;skript&gt;", "label listed, escaped");
	id = strstr(p.body, "/konto/nycklar/");
	ok(id != NULL, "listed with a revoke button");
	db_exec(db, &A, "SELECT id FROM api_token WHERE label = $1",
		DB_ARGS(DB_TEXT("Rapport <skript>")), &r, &err);
	{
		const char *path = arena_printf(&A, "/konto/nycklar/%s/aterkalla",
						r.nrows ? db_cell(&r, 0, 0) : "0");
		struct browser intruder = { 0 };

		sign_in(&intruder, "konto2@kommun.se", "korrekt häst batteri");
		p = post_csrf(&intruder, path, NULL, NULL, NULL, NULL);
		is_int(p.status, 404, "another user cannot revoke it");
		p = post_csrf(&b, path, NULL, NULL, NULL, NULL);
		is_int(p.status, 303, "revoked");
		ok(tok && token_lookup(tok) == NULL, "no longer works");
	}
	p = post_csrf(&b, "/konto/nycklar", "label", "", "days", "9999");
	is_int(p.status, 422, "bad token form");
	has_str(p.body, "id=\"f-label-error\"", "label error");
	has_str(p.body, "id=\"f-days-error\"", "days error");

	p = post_csrf(&b, "/konto/sprak", "lang", "en", NULL, NULL);
	is_int(p.status, 303, "language saved");
	p = http(&b, "GET", "/konto", NULL);
	has_str(p.body, "My account", "now in English");

	sign_in(&other, "konto@kommun.se", "ett nytt lösenord!");
	p = post_csrf(&b, "/konto/logga-ut-overallt", NULL, NULL, NULL, NULL);
	is_int(p.status, 303, "signed out everywhere");
	p = http(&other, "GET", "/konto", NULL);
	is_int(p.status, 303, "the other browser too");
	app_release(&app);
}

int main(void)
{
	int rc;

	log_quiet = 1;
	if (sodium_init() < 0)
		return 1;
	auth_cfg.fast_hash = 1;
	randombytes_buf(auth_cfg.key, sizeof(auth_cfg.key));
	db = testdb_open(1);
	rc = tap_run();
	clock_set(0);
	db_close(db);
	arena_release(&A);
	return rc;
}
