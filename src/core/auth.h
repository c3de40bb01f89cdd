/* auth.h - passwords, sessions, API tokens, one-time reset links, TOTP.
 *
 * Secrets are never stored or logged in clear: session and API tokens and
 * reset links are 32 random bytes, base64url, of which the database keeps
 * only the BLAKE2b hash; passwords are Argon2id (libsodium crypto_pwhash_str)
 * with a bounded number of hashes running at once; the TOTP key is
 * encrypted with the server key (secretbox), which lives outside the
 * database (the key file, docs/OPERATIONS.md).
 */
#ifndef VARN_AUTH_H
#define VARN_AUTH_H

#include "base/base.h"

struct db;
struct db_error;
struct req;

/* Cookie names.  The session cookie is HttpOnly, SameSite=Lax, Path=/ and
 * Secure behind TLS; "varn_pre" carries the double-submit value of forms
 * that are posted before there is a session (sign-in, reset link). */
#define SESSION_COOKIE "varn_session"
#define PRE_COOKIE "varn_pre"

/* Session stages (session.stage column):
 *   full   signed in;
 *   totp   password accepted, the TOTP code (or a recovery code) pending;
 *   setup  password accepted, but an organisation requires TOTP for one of
 *          the user's roles and the user has none yet: only the TOTP setup
 *          on /konto and sign-out are reachable until it is done.
 * Both unfinished stages set stage_totp, so a router that only knows
 * RF_TOTP_STAGE keeps them away from everything else; the handlers of the
 * RF_TOTP_STAGE routes tell the two apart. */
enum session_stage { STAGE_FULL = 0, STAGE_TOTP = 1, STAGE_SETUP = 2 };

/* The signed-in user of a request (cookie session or API token). */
struct session {
	int64_t id;            /* session id, 0 for API tokens */
	int64_t user_id;
	int64_t token_id;      /* API token id, 0 for sessions */
	const char *email;
	const char *name;      /* display name (first linked person) */
	const char *csrf;      /* CSRF token for forms; NULL for API */
	int lang;
	int totp_enabled;
	int stage_totp;        /* 1: stage is not full (second factor pending) */
	int stage;             /* enum session_stage */
	int64_t created_at;
	/* API tokens only (migration 0026): the organisation the token acts
	 * in (0: a token older than organisations on tokens, which reaches
	 * every organisation of its account), its scopes ("systems:read
	 * *:read", core/scope.h) and its rate limit per minute. */
	int64_t token_org_id;
	const char *token_scopes;
	int token_rate;
};

/* Server-wide settings for authentication (from the command line/env). */
struct auth_config {
	int64_t idle_timeout;      /* seconds, default 30 min */
	int64_t absolute_timeout;  /* seconds, default 10 h */
	int cookie_secure;         /* set Secure on cookies (behind TLS) */
	int fast_hash;             /* tests only: minimal Argon2id cost */
	unsigned char key[32];     /* server key (secretbox) from the key file */
};
extern struct auth_config auth_cfg;

/* Loads the key file (64 hex digits), creating it (0600) with a fresh
 * random key if absent.  Until a key is loaded (all-zero key) the TOTP
 * functions refuse to work rather than encrypt under a known key. */
int auth_load_key(const char *path);

/* Passwords. */
int auth_hash_password(const char *pw, char *out, size_t outlen);
int auth_verify_password(const char *hash, const char *pw); /* 1 ok, 0 no, -1 error */
/* Spends the time of one verification against a dummy hash, so that an
 * unknown account answers as slowly as a known one. */
void auth_verify_dummy(const char *pw);
/* 12..200 code points of valid text, not one repeated character, not one
 * of the most common passwords.  Returns the message id of the problem or
 * 0.  Deliberately no composition rules (NIST SP 800-63B). */
int auth_password_problem(const char *pw);
/* "  Anna@Kommun.SE " -> "anna@kommun.se" (trimmed, ASCII lower-cased), in
 * the arena.  Every look-up and insert of app_user.email goes through it. */
char *auth_normalize_email(struct arena *a, const char *email);

/* Throttling of failed sign-ins per account and per address: counted in
 * the database (signin_failure), so that it holds across every server on
 * it, and in this process's memory, which still counts when the database
 * cannot (db NULL, or an error: logged).  The wait is the longer of the
 * two.  Called outside any transaction. */
int auth_throttled(struct db *db, const char *email, const char *ip);  /* seconds to wait, 0 = go */
void auth_note_failure(struct db *db, const char *email, const char *ip);
void auth_note_success(struct db *db, const char *email, const char *ip);
/* Forgets every count: this process's, and the database's when db is not
 * NULL (tests). */
void auth_throttle_reset(struct db *db);
/* Removes rows of the database's throttle that no longer limit anything
 * (the daily "sessions" job); their number, or -1 with err. */
int64_t auth_throttle_prune(struct db *db, int64_t now, struct db_error *err);

/* The whole password step of signing in: throttling, look-up, verification
 * (against a dummy hash when the account is unknown, so both take the same
 * time), disabled accounts, and the failure/success bookkeeping of the
 * throttle.  Writes no audit event (the caller knows the request). */
enum signin_result { SIGNIN_OK = 0, SIGNIN_BAD, SIGNIN_THROTTLED, SIGNIN_ERROR };
struct signin {
	int64_t user_id;      /* also set for SIGNIN_BAD when the account exists */
	int totp_enabled;
	int totp_required;    /* an organisation requires TOTP for a role held */
	int64_t wait;         /* SIGNIN_THROTTLED: seconds */
};
enum signin_result auth_check_password(struct db *db, struct arena *a,
				       const char *email, const char *pw,
				       const char *ip, struct signin *out);
/* 1 if the user holds, in any organisation, a role that organisation
 * requires TOTP for (organisation.totp_roles); 0 if not; -1 on error. */
int auth_totp_required(struct db *db, struct arena *a, int64_t user_id);

/* Random token: 32 bytes base64url into out (>= 44 bytes). */
void auth_random_token(char *out, size_t outlen);
/* BLAKE2b-256 hex of a token into the arena. */
char *auth_token_hash(struct arena *a, const char *token);

/* Sessions.  session_create returns the cookie value (in the arena); stage
 * is an enum session_stage.  A session in stage totp expires after 15
 * minutes unless promoted; the others after absolute_timeout. */
const char *session_create(struct db *db, struct arena *a, int64_t user_id,
			   int stage, const char *ip, struct db_error *err);
/* Finds and touches the session of a cookie value: 0 with *out the session,
 * or NULL if there is none (unknown, expired, ended, idle too long); -1
 * with err set (and *out NULL) when the database could not be asked, which
 * callers must not take for "signed out" (the pipeline answers 503). */
int session_lookup(struct db *db, struct arena *a, const char *token,
		   struct session **out, struct db_error *err);
/* After TOTP (or TOTP setup): the session becomes full under a NEW token
 * and CSRF token (no session fixation); s is updated. */
int session_promote(struct db *db, struct arena *a, struct session *s,
		    const char **new_token, struct db_error *err);
int session_end(struct db *db, struct arena *a, int64_t session_id, struct db_error *err);
int session_end_all(struct db *db, struct arena *a, int64_t user_id, struct db_error *err);

/* API tokens (Bearer).  Created by `varn token create` and on the account
 * page; expire after days (default 90). */
const char *api_token_create(struct db *db, struct arena *a, int64_t user_id,
			     const char *label, int64_t days, struct db_error *err);
/* As session_lookup, for a Bearer token: *out NULL when the token is
 * unknown, revoked, expired or its account disabled; -1 on a database
 * error. */
int api_token_lookup(struct db *db, struct arena *a, const char *token,
		     struct session **out, struct db_error *err);
int api_token_revoke(struct db *db, struct arena *a, int64_t user_id,
		     int64_t token_id, struct db_error *err);
/* A scoped token (issue 13): what api_token_create makes is the token of
 * old, scopes "*:write", no organisation and the highest rate limit; this
 * one names them.  scopes
 * must be normalised by the caller (scope_parse, core/scope.h); rate 0
 * gives API_TOKEN_RATE_DEFAULT. */
struct api_token_spec {
	const char *label;
	int64_t days;
	int64_t org_id;
	const char *scopes;
	int rate;
};
#define API_TOKEN_RATE_DEFAULT 120
/* requests per minute: 1,000 a second, for a bulk integration or a benchmark */
#define API_TOKEN_RATE_MAX 60000
const char *api_token_create_spec(struct db *db, struct arena *a, int64_t user_id,
				  const struct api_token_spec *spec, int64_t *id,
				  struct db_error *err);
#define API_TOKEN_DAYS_DEFAULT 90
#define API_TOKEN_DAYS_MAX 366
struct api_token_info {
	int64_t id;
	const char *label;
	int64_t created_at, expires_at, last_used_at; /* last_used_at 0: never */
	int64_t org_id;          /* 0: every organisation of the account */
	const char *org_name;    /* or NULL */
	const char *scopes;
	int rate;
	const char *email;       /* the owner (api_token_list_org) */
};
/* The user's tokens that are neither revoked nor expired, newest first
 * (at most 100): their number, or -1 on a database error (logged). */
int api_token_list(struct db *db, struct arena *a, int64_t user_id,
		   struct api_token_info **out);
/* The live tokens of an organisation (every owner's), newest first, at
 * most 200, the same way. */
int api_token_list_org(struct db *db, struct arena *a, int64_t org_id,
		       struct api_token_info **out);

/* Password reset links, made by an administrator, valid 24 h, used once. */
const char *reset_token_create(struct db *db, struct arena *a, int64_t user_id,
			       int64_t created_by, struct db_error *err);
/* Returns the user id of a valid unused link or 0. */
int64_t reset_token_check(struct db *db, struct arena *a, const char *token);
/* Sets the password (policy checked by the caller), spends the link and
 * every other open link of the user, and ends all the user's sessions, in
 * one transaction.  Returns the user id, or 0 (err->code DBE_NOTFOUND) when
 * the link is not valid, or -1 on error. */
int64_t reset_token_use(struct db *db, struct arena *a, const char *token,
			const char *new_password, struct db_error *err);

/* TOTP (RFC 6238, 30 s, 6 digits, ±1 step), replay-protected: a code (time
 * step) is accepted once per user (app_user.totp_last_step).  The secret is
 * stored as base64(nonce || secretbox(secret)) under a key derived from the
 * server key and the user id, so a copied row does not work for another
 * user.  Functions returning int give 1 yes, 0 no, -1 error. */
#define TOTP_RECOVERY_CODES 10
const char *totp_new_secret(struct arena *a);  /* base32, 32 characters */
/* Setup, step 1: stores a new secret as pending (totp_enabled stays 0) and
 * returns it in base32.  Refused (-1, DBE_CHECK) while TOTP is enabled. */
int totp_begin(struct db *db, struct arena *a, int64_t user_id,
	       const char **secret_b32, struct db_error *err);
/* The pending secret of a setup under way (base32), or NULL. */
const char *totp_pending_secret(struct db *db, struct arena *a, int64_t user_id);
/* "otpauth://totp/Värn:EMAIL?secret=...&issuer=Värn", percent-encoded. */
const char *totp_uri(struct arena *a, const char *email, const char *secret_b32);
/* Checks the code of an enabled user and spends its time step. */
int totp_check(struct db *db, struct arena *a, int64_t user_id, const char *code);
/* Setup, step 2: checks code against secret_b32 (NULL: the pending secret),
 * then enables TOTP and makes TOTP_RECOVERY_CODES new recovery codes
 * ("xxxx-xxxx-xxxx", NULL-terminated array in the arena, shown once; the
 * database keeps keyed BLAKE2b hashes).  0 with *recovery NULL: wrong code. */
int totp_enable(struct db *db, struct arena *a, int64_t user_id,
		const char *secret_b32, const char *code, const char ***recovery,
		struct db_error *err);
/* Turns TOTP off and spends the recovery codes (administrators, CLI). */
int totp_disable(struct db *db, struct arena *a, int64_t user_id, struct db_error *err);
int recovery_code_use(struct db *db, struct arena *a, int64_t user_id, const char *code);
int recovery_codes_left(struct db *db, struct arena *a, int64_t user_id); /* -1 error */

/* Users (accounts). */
int64_t user_find_by_email(struct db *db, struct arena *a, const char *email);
/* password may be NULL: the account gets no password (a reset link or
 * directory sign-in sets it later).  Returns the id, or 0 with err set
 * (DBE_UNIQUE when the e-mail is taken, DBE_CHECK when it is empty).
 * Neither function checks the password policy: callers show its message. */
int64_t user_create(struct db *db, struct arena *a, const char *email,
		    const char *password, struct db_error *err);
int user_set_password(struct db *db, struct arena *a, int64_t user_id,
		      const char *password, struct db_error *err);
int user_set_lang(struct db *db, struct arena *a, int64_t user_id, int lang,
		  struct db_error *err);

#endif
