/* session.c - browser sessions, API tokens and one-time reset links.
 *
 * All three are bearer secrets: 32 random bytes (base64url) handed to the
 * client once, of which the database keeps only the BLAKE2b hash, so a
 * leaked database or backup signs nobody in.  A plain (unkeyed) hash is
 * enough because the tokens have 256 bits of entropy: there is nothing to
 * guess offline.
 */
#include "base/base.h"

#include <sodium.h>

#include "base/clock.h"
#include "core/auth.h"
#include "db/db.h"
#include "core/i18n.h"

/* last_seen_at is written at most this often, so that an active user costs
 * one write a minute rather than one per request; the idle timeout is
 * therefore exact to within a minute. */
#define TOUCH_EVERY 60
#define RESET_VALID (24 * 60 * 60)
#define TOKEN_MAX 64 /* longer cookie values are not ours */
/* A session waiting for its TOTP code lives this long: enough to find the
 * phone, too short to sit on a half-signed-in session.  Promotion gives it
 * the full absolute lifetime, counted from creation. */
#define TOTP_STAGE_LIFETIME (15 * 60)

static void set_err(struct db_error *err, enum db_errcode code, const char *msg)
{
	if (!err)
		return;
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

static const char *stage_name(int stage)
{
	switch (stage) {
	case STAGE_TOTP:
		return "totp";
	case STAGE_SETUP:
		return "setup";
	default:
		return "full";
	}
}

static int stage_parse(const char *s)
{
	if (s && !strcmp(s, "totp"))
		return STAGE_TOTP;
	if (s && !strcmp(s, "setup"))
		return STAGE_SETUP;
	return STAGE_FULL;
}

static int token_ok(const char *token)
{
	size_t n;

	if (!token)
		return 0;
	n = strlen(token);
	return n >= 16 && n <= TOKEN_MAX;
}

/* ---- sessions ------------------------------------------------------------ */

const char *session_create(struct db *db, struct arena *a, int64_t user_id,
			   int stage, const char *ip, struct db_error *err)
{
	char token[48], csrf[48];
	int64_t now = clock_now();
	int64_t life = stage == STAGE_TOTP && auth_cfg.absolute_timeout > TOTP_STAGE_LIFETIME
			       ? TOTP_STAGE_LIFETIME : auth_cfg.absolute_timeout;

	auth_random_token(token, sizeof(token));
	auth_random_token(csrf, sizeof(csrf));
	if (db_exec(db, a,
		    "INSERT INTO session (token_hash, user_id, csrf_token, stage, ip, "
		    "created_at, last_seen_at, expires_at) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
		    DB_ARGS(DB_TEXT(auth_token_hash(a, token)), DB_INT(user_id),
			    DB_TEXT(csrf), DB_TEXT(stage_name(stage)), DB_TEXT(ip),
			    DB_INT(now), DB_INT(now + life)),
		    NULL, err))
		return NULL;
	return arena_strdup(a, token);
}

/* The columns both look-ups return after their own, in this order. */
#define USER_COLS \
	"u.email, u.lang, u.totp_enabled, u.disabled, " \
	"(SELECT p.name FROM person p WHERE p.user_id = u.id AND p.archived = 0 " \
	"ORDER BY p.id LIMIT 1)"

static void fill_user(struct session *s, const struct db_rows *r, size_t col)
{
	const char *lang = db_cell(r, 0, col + 1);

	s->email = db_cell(r, 0, col);
	s->lang = lang && !strcmp(lang, "en") ? LANG_EN : LANG_SV;
	s->totp_enabled = (int)db_cell_i64(r, 0, col + 2);
	s->name = db_cell(r, 0, col + 4);
	if (!s->name)
		s->name = s->email;
}

int session_lookup(struct db *db, struct arena *a, const char *token,
		   struct session **out, struct db_error *err)
{
	struct db_rows r;
	struct db_error werr;
	struct session *s;
	int64_t now = clock_now(), last_seen, id;

	*out = NULL;
	set_err(err, DBE_OK, "");
	if (!token_ok(token))
		return 0;
	if (db_exec(db, a,
		    "SELECT s.id, s.user_id, s.csrf_token, s.stage, s.created_at, "
		    "s.last_seen_at, s.expires_at, s.ended_at, " USER_COLS " "
		    "FROM session s JOIN app_user u ON u.id = s.user_id "
		    "WHERE s.token_hash = $1",
		    DB_ARGS(DB_TEXT(auth_token_hash(a, token))), &r, err)) {
		log_error("session_lookup: %s", err->msg);
		return -1;
	}
	if (r.nrows != 1 || db_cell(&r, 0, 7))
		return 0; /* unknown or ended */
	id = db_cell_i64(&r, 0, 0);
	last_seen = db_cell_i64(&r, 0, 5);
	if (now >= db_cell_i64(&r, 0, 6) || now - last_seen > auth_cfg.idle_timeout ||
	    db_cell_i64(&r, 0, 11)) {
		/* Expired, idle too long, or the account was disabled: end the
		 * row so that it is plainly over in the database too. */
		if (db_exec(db, a,
			    "UPDATE session SET ended_at = $1 "
			    "WHERE id = $2 AND ended_at IS NULL",
			    DB_ARGS(DB_INT(now), DB_INT(id)), NULL, &werr))
			log_warn("ending a timed-out session: %s", werr.msg);
		return 0;
	}
	if (now - last_seen >= TOUCH_EVERY &&
	    db_exec(db, a, "UPDATE session SET last_seen_at = $1 WHERE id = $2",
		    DB_ARGS(DB_INT(now), DB_INT(id)), NULL, &werr))
		log_warn("touching a session: %s", werr.msg); /* not fatal */

	s = arena_alloc(a, sizeof(*s));
	s->id = id;
	s->user_id = db_cell_i64(&r, 0, 1);
	s->csrf = db_cell(&r, 0, 2);
	s->stage = stage_parse(db_cell(&r, 0, 3));
	s->stage_totp = s->stage != STAGE_FULL;
	s->created_at = db_cell_i64(&r, 0, 4);
	fill_user(s, &r, 8);
	*out = s;
	return 0;
}

int session_promote(struct db *db, struct arena *a, struct session *s,
		    const char **new_token, struct db_error *err)
{
	char token[48], csrf[48];
	struct db_rows r;
	int64_t now = clock_now();

	/* A new token: whoever may have planted or seen the cookie of the
	 * half-signed-in session does not get the signed-in one. */
	auth_random_token(token, sizeof(token));
	auth_random_token(csrf, sizeof(csrf));
	if (db_exec(db, a,
		    "UPDATE session SET token_hash = $1, csrf_token = $2, "
		    "stage = 'full', last_seen_at = $3, expires_at = created_at + $5 "
		    "WHERE id = $4 AND ended_at IS NULL AND expires_at > $3",
		    DB_ARGS(DB_TEXT(auth_token_hash(a, token)), DB_TEXT(csrf),
			    DB_INT(now), DB_INT(s->id), DB_INT(auth_cfg.absolute_timeout)),
		    &r, err))
		return -1;
	if (r.changes != 1) {
		set_err(err, DBE_NOTFOUND, "session ended or expired");
		return -1;
	}
	s->stage = STAGE_FULL;
	s->stage_totp = 0;
	s->csrf = arena_strdup(a, csrf);
	*new_token = arena_strdup(a, token);
	return 0;
}

int session_end(struct db *db, struct arena *a, int64_t session_id, struct db_error *err)
{
	return db_exec(db, a,
		       "UPDATE session SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL",
		       DB_ARGS(DB_INT(clock_now()), DB_INT(session_id)), NULL, err);
}

int session_end_all(struct db *db, struct arena *a, int64_t user_id, struct db_error *err)
{
	return db_exec(db, a,
		       "UPDATE session SET ended_at = $1 "
		       "WHERE user_id = $2 AND ended_at IS NULL",
		       DB_ARGS(DB_INT(clock_now()), DB_INT(user_id)), NULL, err);
}

/* ---- API tokens ---------------------------------------------------------- */

const char *api_token_create(struct db *db, struct arena *a, int64_t user_id,
			     const char *label, int64_t days, struct db_error *err)
{
	/* a token of old: every organisation, every module, the highest
	 * rate (migration 0026 gives the existing ones the same) */
	struct api_token_spec spec = { .label = label, .days = days, .scopes = "*:write",
				       .rate = API_TOKEN_RATE_MAX };

	return api_token_create_spec(db, a, user_id, &spec, NULL, err);
}

const char *api_token_create_spec(struct db *db, struct arena *a, int64_t user_id,
				  const struct api_token_spec *spec, int64_t *id,
				  struct db_error *err)
{
	char token[48];
	int64_t now = clock_now(), days = spec->days;
	int rate = spec->rate > 0 ? spec->rate : API_TOKEN_RATE_DEFAULT;
	struct db_rows r;

	if (days <= 0)
		days = API_TOKEN_DAYS_DEFAULT;
	if (days > API_TOKEN_DAYS_MAX)
		days = API_TOKEN_DAYS_MAX;
	if (rate > API_TOKEN_RATE_MAX)
		rate = API_TOKEN_RATE_MAX;
	auth_random_token(token, sizeof(token));
	if (db_exec(db, a,
		    "INSERT INTO api_token (user_id, token_hash, label, created_at, "
		    "expires_at, org_id, scopes, rate_per_min) "
		    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
		    DB_ARGS(DB_INT(user_id), DB_TEXT(auth_token_hash(a, token)),
			    DB_TEXT(spec->label ? spec->label : ""), DB_INT(now),
			    DB_INT(now + days * 24 * 60 * 60),
			    spec->org_id > 0 ? DB_INT(spec->org_id) : DB_NULL,
			    DB_TEXT(spec->scopes && *spec->scopes ? spec->scopes : "*:read"),
			    DB_INT(rate)),
		    &r, err))
		return NULL;
	if (id)
		*id = r.nrows ? db_cell_i64(&r, 0, 0) : 0;
	return arena_strdup(a, token);
}

int api_token_lookup(struct db *db, struct arena *a, const char *token,
		     struct session **out, struct db_error *err)
{
	struct db_rows r;
	struct db_error werr;
	struct session *s;
	int64_t now = clock_now(), last_used, id;

	*out = NULL;
	set_err(err, DBE_OK, "");
	if (!token_ok(token))
		return 0;
	if (db_exec(db, a,
		    "SELECT t.id, t.user_id, t.expires_at, t.revoked_at, t.last_used_at, "
		    "t.created_at, " USER_COLS ", t.org_id, t.scopes, t.rate_per_min "
		    "FROM api_token t JOIN app_user u ON u.id = t.user_id "
		    "WHERE t.token_hash = $1",
		    DB_ARGS(DB_TEXT(auth_token_hash(a, token))), &r, err)) {
		log_error("api_token_lookup: %s", err->msg);
		return -1;
	}
	if (r.nrows != 1 || db_cell(&r, 0, 3) || now >= db_cell_i64(&r, 0, 2) ||
	    db_cell_i64(&r, 0, 9))
		return 0; /* unknown, revoked, expired, or account disabled */
	id = db_cell_i64(&r, 0, 0);
	last_used = db_cell_i64(&r, 0, 4);
	if ((!db_cell(&r, 0, 4) || now - last_used >= TOUCH_EVERY) &&
	    db_exec(db, a, "UPDATE api_token SET last_used_at = $1 WHERE id = $2",
		    DB_ARGS(DB_INT(now), DB_INT(id)), NULL, &werr))
		log_warn("touching an API token: %s", werr.msg);

	s = arena_alloc(a, sizeof(*s));
	s->token_id = id;
	s->user_id = db_cell_i64(&r, 0, 1);
	s->created_at = db_cell_i64(&r, 0, 5);
	s->stage = STAGE_FULL;
	fill_user(s, &r, 6);
	s->token_org_id = db_cell_i64(&r, 0, 11);
	s->token_scopes = db_cell(&r, 0, 12) ? db_cell(&r, 0, 12) : "";
	s->token_rate = (int)db_cell_i64(&r, 0, 13);
	*out = s;
	return 0;
}

int api_token_revoke(struct db *db, struct arena *a, int64_t user_id,
		     int64_t token_id, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(db, a,
		    "UPDATE api_token SET revoked_at = $1 "
		    "WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
		    DB_ARGS(DB_INT(clock_now()), DB_INT(token_id), DB_INT(user_id)),
		    &r, err))
		return -1;
	if (r.changes != 1) {
		set_err(err, DBE_NOTFOUND, "no such token of this user");
		return -1;
	}
	return 0;
}

static void fill_tokens(struct arena *a, const struct db_rows *r,
			struct api_token_info **out)
{
	struct api_token_info *t = arena_alloc(a, (r->nrows + 1) * sizeof(*t));

	for (size_t i = 0; i < r->nrows; i++) {
		t[i].id = db_cell_i64(r, i, 0);
		t[i].label = db_cell(r, i, 1) ? db_cell(r, i, 1) : "";
		t[i].created_at = db_cell_i64(r, i, 2);
		t[i].expires_at = db_cell_i64(r, i, 3);
		t[i].last_used_at = db_cell_i64(r, i, 4);
		t[i].org_id = db_cell_i64(r, i, 5);
		t[i].org_name = db_cell(r, i, 6);
		t[i].scopes = db_cell(r, i, 7) ? db_cell(r, i, 7) : "";
		t[i].rate = (int)db_cell_i64(r, i, 8);
		t[i].email = db_cell(r, i, 9);
	}
	*out = t;
}

#define TOKEN_COLS \
	"t.id, t.label, t.created_at, t.expires_at, t.last_used_at, t.org_id, " \
	"o.name, t.scopes, t.rate_per_min, u.email "
#define TOKEN_FROM \
	"FROM api_token t JOIN app_user u ON u.id = t.user_id " \
	"LEFT JOIN organisation o ON o.id = t.org_id "

int api_token_list(struct db *db, struct arena *a, int64_t user_id,
		   struct api_token_info **out)
{
	struct db_rows r;
	struct db_error err;

	*out = NULL;
	if (db_exec(db, a,
		    "SELECT " TOKEN_COLS TOKEN_FROM
		    "WHERE t.user_id = $1 AND t.revoked_at IS NULL "
		    "AND t.expires_at > $2 ORDER BY t.id DESC LIMIT 100",
		    DB_ARGS(DB_INT(user_id), DB_INT(clock_now())), &r, &err)) {
		log_error("api_token_list: %s", err.msg);
		return -1;
	}
	fill_tokens(a, &r, out);
	return (int)r.nrows;
}

int api_token_list_org(struct db *db, struct arena *a, int64_t org_id,
		       struct api_token_info **out)
{
	struct db_rows r;
	struct db_error err;

	*out = NULL;
	if (db_exec(db, a,
		    "SELECT " TOKEN_COLS TOKEN_FROM
		    "WHERE t.org_id = $1 AND t.revoked_at IS NULL "
		    "AND t.expires_at > $2 ORDER BY t.id DESC LIMIT 200",
		    DB_ARGS(DB_INT(org_id), DB_INT(clock_now())), &r, &err)) {
		log_error("api_token_list_org: %s", err.msg);
		return -1;
	}
	fill_tokens(a, &r, out);
	return (int)r.nrows;
}

/* ---- reset links --------------------------------------------------------- */

const char *reset_token_create(struct db *db, struct arena *a, int64_t user_id,
			       int64_t created_by, struct db_error *err)
{
	char token[48];
	int64_t now = clock_now();

	auth_random_token(token, sizeof(token));
	if (db_exec(db, a,
		    "INSERT INTO reset_token (user_id, token_hash, created_by, "
		    "created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
		    DB_ARGS(DB_INT(user_id), DB_TEXT(auth_token_hash(a, token)),
			    created_by > 0 ? DB_INT(created_by) : DB_NULL,
			    DB_INT(now), DB_INT(now + RESET_VALID)),
		    NULL, err))
		return NULL;
	return arena_strdup(a, token);
}

int64_t reset_token_check(struct db *db, struct arena *a, const char *token)
{
	struct db_rows r;
	struct db_error err;

	if (!token_ok(token))
		return 0;
	if (db_exec(db, a,
		    "SELECT t.user_id FROM reset_token t "
		    "JOIN app_user u ON u.id = t.user_id "
		    "WHERE t.token_hash = $1 AND t.used_at IS NULL "
		    "AND t.expires_at > $2 AND u.disabled = 0",
		    DB_ARGS(DB_TEXT(auth_token_hash(a, token)), DB_INT(clock_now())),
		    &r, &err)) {
		log_error("reset_token_check: %s", err.msg);
		return 0;
	}
	return r.nrows == 1 ? db_cell_i64(&r, 0, 0) : 0;
}

int64_t reset_token_use(struct db *db, struct arena *a, const char *token,
			const char *new_password, struct db_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *th;
	struct db_rows r;
	int64_t now = clock_now(), user_id;

	if (!reset_token_check(db, a, token)) {
		set_err(err, DBE_NOTFOUND, "reset link not valid");
		return 0;
	}
	/* Hash before taking the write lock: Argon2id takes a while. */
	if (auth_hash_password(new_password, hash, sizeof(hash))) {
		set_err(err, DBE_OTHER, "password hashing failed");
		return -1;
	}
	th = auth_token_hash(a, token);
	if (db_begin(db, err))
		return -1;
	/* Spending the link is the guarded step: of two requests racing with
	 * the same link, only one changes the row. */
	if (db_exec(db, a,
		    "UPDATE reset_token SET used_at = $1 WHERE token_hash = $2 "
		    "AND used_at IS NULL AND expires_at > $1",
		    DB_ARGS(DB_INT(now), DB_TEXT(th)), &r, err))
		goto fail;
	if (r.changes != 1) {
		db_rollback(db);
		set_err(err, DBE_NOTFOUND, "reset link not valid");
		return 0;
	}
	if (db_exec(db, a, "SELECT user_id FROM reset_token WHERE token_hash = $1",
		    DB_ARGS(DB_TEXT(th)), &r, err) || r.nrows != 1)
		goto fail;
	user_id = db_cell_i64(&r, 0, 0);
	if (db_exec(db, a,
		    "UPDATE app_user SET pw_hash = $1, version = version + 1, "
		    "updated_at = $2 WHERE id = $3 AND disabled = 0",
		    DB_ARGS(DB_TEXT(hash), DB_INT(now), DB_INT(user_id)), &r, err))
		goto fail;
	if (r.changes != 1) {
		db_rollback(db);
		set_err(err, DBE_NOTFOUND, "account disabled");
		return 0;
	}
	/* Any other link the administrator made is spent too, and whoever
	 * was signed in as the user (perhaps the reason for the reset) is
	 * signed out. */
	if (db_exec(db, a,
		    "UPDATE reset_token SET used_at = $1 "
		    "WHERE user_id = $2 AND used_at IS NULL",
		    DB_ARGS(DB_INT(now), DB_INT(user_id)), NULL, err) ||
	    session_end_all(db, a, user_id, err))
		goto fail;
	if (db_commit(db, err))
		return -1;
	return user_id;
fail:
	db_rollback(db);
	return -1;
}
