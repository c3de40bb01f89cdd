/* totp.c - the TOTP second factor (RFC 6238) and recovery codes.
 *
 * The code arithmetic is liboath's; what is ours is how the secret is kept
 * and spent:
 *   - the 20-byte secret is stored as base64(nonce || secretbox(secret))
 *     under a key derived from the server key and the user id, so neither
 *     the database nor a backup alone reveals it, and a row copied to
 *     another account does not decrypt there;
 *   - app_user.totp_last_step makes every code single-use: a time step at
 *     or below the last accepted one is refused, and the step is advanced
 *     with a guarded UPDATE, so two requests racing with one code cannot
 *     both win;
 *   - recovery codes are stored as keyed BLAKE2b hashes and spent with the
 *     same kind of guarded UPDATE.
 */
#include "base/base.h"

#include <pthread.h>

#include <liboath/oath.h>
#include <sodium.h>

#include "base/clock.h"
#include "core/auth.h"
#include "db/db.h"
#include "parse/form.h"

#define TOTP_STEP 30
#define TOTP_WINDOW 1     /* one step either way: phone clocks drift */
#define SECRET_LEN 20     /* 160 bits, as RFC 4226 recommends */
#define ISSUER "Värn"

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ok;

static void oath_setup(void)
{
	oath_ok = oath_init() == OATH_OK;
}

static int oath_ready(void)
{
	pthread_once(&oath_once, oath_setup);
	if (!oath_ok)
		log_error("liboath could not be initialised");
	return oath_ok;
}

static void set_err(struct db_error *err, enum db_errcode code, const char *msg)
{
	if (!err)
		return;
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

static int have_key(void)
{
	static const unsigned char zero[32];

	if (sodium_memcmp(auth_cfg.key, zero, 32) == 0) {
		log_error("no server key loaded: TOTP is unavailable");
		return 0;
	}
	return 1;
}

/* A key per purpose and user from the server key (BLAKE2b keyed with it). */
static void derive_key(unsigned char out[32], const char *purpose, int64_t user_id)
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "varn:%s:%lld", purpose, (long long)user_id);

	crypto_generichash(out, 32, (const unsigned char *)msg, (size_t)n,
			   auth_cfg.key, 32);
}

/* ---- base32 (RFC 4648, no padding: what authenticator apps expect) ------ */

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static char *b32_encode(struct arena *a, const unsigned char *in, size_t n)
{
	char *out = arena_alloc(a, (n * 8 + 4) / 5 + 1);
	size_t o = 0;
	unsigned bits = 0, acc = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[o++] = b32_alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits)
		out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
	out[o] = '\0';
	return out;
}

/* Lenient on what people type: spaces, hyphens, lower case, padding. */
static int b32_decode(const char *s, unsigned char *out, size_t max, size_t *len)
{
	unsigned bits = 0, acc = 0;
	size_t o = 0;

	for (; *s; s++) {
		char c = *s;
		const char *p;

		if (c == ' ' || c == '-' || c == '=')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		p = strchr(b32_alphabet, c);
		if (!p || !c)
			return -1;
		acc = (acc << 5) | (unsigned)(p - b32_alphabet);
		bits += 5;
		if (bits >= 8) {
			if (o == max)
				return -1;
			out[o++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
	}
	*len = o;
	return 0;
}

/* ---- the stored secret --------------------------------------------------- */

static char *seal_secret(struct arena *a, int64_t user_id, const unsigned char *secret)
{
	unsigned char key[32];
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SECRET_LEN];
	size_t b64len = sodium_base64_ENCODED_LEN(sizeof(box), sodium_base64_VARIANT_ORIGINAL);
	char *out = arena_alloc(a, b64len);

	derive_key(key, "totp", user_id);
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, secret, SECRET_LEN,
			      box, key);
	sodium_bin2base64(out, b64len, box, sizeof(box), sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key, sizeof(key));
	return out;
}

static int open_secret(int64_t user_id, const char *stored, unsigned char *secret)
{
	unsigned char key[32];
	unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + SECRET_LEN];
	size_t n = 0;
	int rc;

	if (!stored || sodium_base642bin(box, sizeof(box), stored, strlen(stored), NULL,
					 &n, NULL, sodium_base64_VARIANT_ORIGINAL) ||
	    n != sizeof(box))
		return -1;
	derive_key(key, "totp", user_id);
	rc = crypto_secretbox_open_easy(secret, box + crypto_secretbox_NONCEBYTES,
					n - crypto_secretbox_NONCEBYTES, box, key);
	sodium_memzero(key, sizeof(key));
	if (rc)
		log_error("TOTP secret of user %lld does not decrypt (wrong key file?)",
			  (long long)user_id);
	return rc ? -1 : 0;
}

struct totp_row {
	const char *secret;
	int enabled;
	int64_t last_step;
};

static int load_row(struct db *db, struct arena *a, int64_t user_id, struct totp_row *t)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(db, a,
		    "SELECT totp_secret, totp_enabled, totp_last_step FROM app_user "
		    "WHERE id = $1",
		    DB_ARGS(DB_INT(user_id)), &r, &err)) {
		log_error("loading TOTP state: %s", err.msg);
		return -1;
	}
	if (r.nrows != 1)
		return 0;
	t->secret = db_cell(&r, 0, 0);
	t->enabled = (int)db_cell_i64(&r, 0, 1);
	t->last_step = db_cell_i64(&r, 0, 2);
	return 1;
}

/* "123 456" -> "123456"; NULL unless exactly six digits. */
static const char *six_digits(struct arena *a, const char *code)
{
	char d[7];
	size_t n = 0;

	for (const char *c = code ? code : ""; *c; c++) {
		if (*c == ' ' || *c == '-')
			continue;
		if (*c < '0' || *c > '9' || n == 6)
			return NULL;
		d[n++] = *c;
	}
	if (n != 6)
		return NULL;
	d[6] = '\0';
	return arena_strdup(a, d);
}

/* The time step the code belongs to (within the window), or -1. */
static int64_t code_step(const unsigned char *secret, const char *code)
{
	uint64_t counter = 0;
	int pos = 0, rc;

	if (!oath_ready())
		return -1;
	rc = oath_totp_validate3((const char *)secret, SECRET_LEN, (time_t)clock_now(),
				 TOTP_STEP, 0, TOTP_WINDOW, &pos, &counter, code);
	return rc >= 0 ? (int64_t)counter : -1;
}

/* ---- public -------------------------------------------------------------- */

const char *totp_new_secret(struct arena *a)
{
	unsigned char raw[SECRET_LEN];
	const char *s;

	randombytes_buf(raw, sizeof(raw));
	s = b32_encode(a, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return s;
}

int totp_begin(struct db *db, struct arena *a, int64_t user_id,
	       const char **secret_b32, struct db_error *err)
{
	unsigned char raw[SECRET_LEN];
	struct db_rows r;

	*secret_b32 = NULL;
	if (!have_key()) {
		set_err(err, DBE_OTHER, "no server key");
		return -1;
	}
	randombytes_buf(raw, sizeof(raw));
	if (db_exec(db, a,
		    "UPDATE app_user SET totp_secret = $1, updated_at = $2 "
		    "WHERE id = $3 AND totp_enabled = 0",
		    DB_ARGS(DB_TEXT(seal_secret(a, user_id, raw)), DB_INT(clock_now()),
			    DB_INT(user_id)),
		    &r, err)) {
		sodium_memzero(raw, sizeof(raw));
		return -1;
	}
	if (r.changes != 1) {
		sodium_memzero(raw, sizeof(raw));
		set_err(err, DBE_CHECK, "TOTP already enabled, or no such user");
		return -1;
	}
	*secret_b32 = b32_encode(a, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

const char *totp_pending_secret(struct db *db, struct arena *a, int64_t user_id)
{
	unsigned char raw[SECRET_LEN];
	struct totp_row t;
	const char *s;

	if (!have_key() || load_row(db, a, user_id, &t) != 1 || t.enabled || !t.secret ||
	    open_secret(user_id, t.secret, raw))
		return NULL;
	s = b32_encode(a, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	return s;
}

const char *totp_uri(struct arena *a, const char *email, const char *secret_b32)
{
	struct buf b = BUF_INIT;
	char *s;

	/* Key URI format: otpauth://totp/ISSUER:ACCOUNT?secret=..&issuer=.. */
	buf_puts(&b, "otpauth://totp/");
	url_encode(&b, ISSUER);
	buf_putc(&b, ':');
	url_encode(&b, email);
	buf_puts(&b, "?secret=");
	buf_puts(&b, secret_b32);
	buf_puts(&b, "&issuer=");
	url_encode(&b, ISSUER);
	buf_puts(&b, "&algorithm=SHA1&digits=6&period=30");
	s = arena_strdup(a, b.p);
	buf_release(&b);
	return s;
}

int totp_check(struct db *db, struct arena *a, int64_t user_id, const char *code)
{
	unsigned char raw[SECRET_LEN];
	struct totp_row t;
	struct db_rows r;
	struct db_error err;
	const char *digits = six_digits(a, code);
	int64_t step;
	int rc;

	if (!digits)
		return 0;
	if (!have_key())
		return -1;
	rc = load_row(db, a, user_id, &t);
	if (rc <= 0)
		return rc;
	if (!t.enabled)
		return 0;
	if (open_secret(user_id, t.secret, raw))
		return -1;
	step = code_step(raw, digits);
	sodium_memzero(raw, sizeof(raw));
	if (step < 0 || step <= t.last_step)
		return 0; /* wrong, or already used (replay) */
	if (db_exec(db, a,
		    "UPDATE app_user SET totp_last_step = $1 "
		    "WHERE id = $2 AND totp_enabled = 1 AND totp_last_step < $1",
		    DB_ARGS(DB_INT(step), DB_INT(user_id)), &r, &err)) {
		log_error("spending a TOTP step: %s", err.msg);
		return -1;
	}
	return r.changes == 1;
}

/* Recovery codes: 12 characters from an alphabet without look-alikes
 * (0/o, 1/l/i), about 59 bits each, shown as xxxx-xxxx-xxxx. */
static const char rc_alphabet[] = "23456789abcdefghjkmnpqrstuvwxyz";

static char *recovery_hash(struct arena *a, int64_t user_id, const char *norm)
{
	unsigned char key[32], h[32];
	char *hex = arena_alloc(a, 65);

	derive_key(key, "recovery", user_id);
	crypto_generichash(h, sizeof(h), (const unsigned char *)norm, strlen(norm),
			   key, sizeof(key));
	sodium_bin2hex(hex, 65, h, sizeof(h));
	sodium_memzero(key, sizeof(key));
	return hex;
}

/* "ABCD-efgh ijkm" -> "abcdefghijkm", or NULL if it cannot be a code. */
static char *recovery_normalize(struct arena *a, const char *code)
{
	char out[13];
	size_t n = 0;

	for (const char *c = code ? code : ""; *c; c++) {
		char ch = *c;

		if (ch == '-' || ch == ' ')
			continue;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (!strchr(rc_alphabet, ch) || !ch || n == 12)
			return NULL;
		out[n++] = ch;
	}
	if (n != 12)
		return NULL;
	out[12] = '\0';
	return arena_strdup(a, out);
}

int totp_enable(struct db *db, struct arena *a, int64_t user_id,
		const char *secret_b32, const char *code, const char ***recovery,
		struct db_error *err)
{
	unsigned char raw[SECRET_LEN];
	const char **codes;
	const char *digits = six_digits(a, code);
	const char *sealed;
	struct totp_row t;
	struct db_rows r;
	int64_t now = clock_now(), step;
	int rc;

	*recovery = NULL;
	if (!have_key()) {
		set_err(err, DBE_OTHER, "no server key");
		return -1;
	}
	rc = load_row(db, a, user_id, &t);
	if (rc <= 0) {
		set_err(err, rc ? DBE_OTHER : DBE_NOTFOUND, "no such user");
		return -1;
	}
	if (t.enabled) {
		set_err(err, DBE_CHECK, "TOTP already enabled");
		return -1;
	}
	if (secret_b32) {
		size_t n = 0;

		if (b32_decode(secret_b32, raw, sizeof(raw), &n) || n != SECRET_LEN) {
			set_err(err, DBE_CHECK, "secret is not 20 bytes of base32");
			return -1;
		}
	} else if (!t.secret || open_secret(user_id, t.secret, raw)) {
		set_err(err, DBE_CHECK, "no TOTP setup under way");
		return -1;
	}
	if (!digits) {
		sodium_memzero(raw, sizeof(raw));
		return 0;
	}
	step = code_step(raw, digits);
	sealed = seal_secret(a, user_id, raw);
	sodium_memzero(raw, sizeof(raw));
	if (step < 0 || step <= t.last_step)
		return 0;

	codes = arena_alloc(a, (TOTP_RECOVERY_CODES + 1) * sizeof(*codes));
	if (db_begin(db, err))
		return -1;
	if (db_exec(db, a,
		    "UPDATE app_user SET totp_secret = $1, totp_enabled = 1, "
		    "totp_last_step = $2, version = version + 1, updated_at = $3 "
		    "WHERE id = $4 AND totp_enabled = 0 AND totp_last_step < $2",
		    DB_ARGS(DB_TEXT(sealed), DB_INT(step), DB_INT(now), DB_INT(user_id)),
		    &r, err))
		goto fail;
	if (r.changes != 1) {
		db_rollback(db); /* someone else spent the step first */
		return 0;
	}
	/* Codes from an earlier setup are spent, never reused. */
	if (db_exec(db, a,
		    "UPDATE recovery_code SET used_at = $1 "
		    "WHERE user_id = $2 AND used_at IS NULL",
		    DB_ARGS(DB_INT(now), DB_INT(user_id)), NULL, err))
		goto fail;
	for (int i = 0; i < TOTP_RECOVERY_CODES; i++) {
		char norm[13], shown[15];

		for (int j = 0; j < 12; j++)
			norm[j] = rc_alphabet[randombytes_uniform(sizeof(rc_alphabet) - 1)];
		norm[12] = '\0';
		snprintf(shown, sizeof(shown), "%.4s-%.4s-%.4s", norm, norm + 4, norm + 8);
		if (db_exec(db, a,
			    "INSERT INTO recovery_code (user_id, code_hash, created_at) "
			    "VALUES ($1, $2, $3)",
			    DB_ARGS(DB_INT(user_id), DB_TEXT(recovery_hash(a, user_id, norm)),
				    DB_INT(now)),
			    NULL, err))
			goto fail;
		codes[i] = arena_strdup(a, shown);
		sodium_memzero(norm, sizeof(norm));
	}
	codes[TOTP_RECOVERY_CODES] = NULL;
	if (db_commit(db, err))
		return -1;
	*recovery = codes;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

int totp_disable(struct db *db, struct arena *a, int64_t user_id, struct db_error *err)
{
	int64_t now = clock_now();

	if (db_begin(db, err))
		return -1;
	if (db_exec(db, a,
		    "UPDATE app_user SET totp_secret = NULL, totp_enabled = 0, "
		    "version = version + 1, updated_at = $1 WHERE id = $2",
		    DB_ARGS(DB_INT(now), DB_INT(user_id)), NULL, err) ||
	    db_exec(db, a,
		    "UPDATE recovery_code SET used_at = $1 "
		    "WHERE user_id = $2 AND used_at IS NULL",
		    DB_ARGS(DB_INT(now), DB_INT(user_id)), NULL, err)) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err) ? -1 : 0;
}

int recovery_code_use(struct db *db, struct arena *a, int64_t user_id, const char *code)
{
	const char *norm = recovery_normalize(a, code);
	struct db_rows r;
	struct db_error err;

	if (!norm)
		return 0;
	if (!have_key())
		return -1;
	if (db_exec(db, a,
		    "UPDATE recovery_code SET used_at = $1 "
		    "WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
		    DB_ARGS(DB_INT(clock_now()), DB_INT(user_id),
			    DB_TEXT(recovery_hash(a, user_id, norm))),
		    &r, &err)) {
		log_error("spending a recovery code: %s", err.msg);
		return -1;
	}
	return r.changes == 1;
}

int recovery_codes_left(struct db *db, struct arena *a, int64_t user_id)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(db, a,
		    "SELECT COUNT(*) FROM recovery_code WHERE user_id = $1 AND used_at IS NULL",
		    DB_ARGS(DB_INT(user_id)), &r, &err)) {
		log_error("counting recovery codes: %s", err.msg);
		return -1;
	}
	return r.nrows ? (int)db_cell_i64(&r, 0, 0) : 0;
}
