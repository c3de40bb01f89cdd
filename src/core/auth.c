/* auth.c - the server key, passwords, the sign-in throttle, random tokens
 * and user accounts.  Sessions and tokens are in session.c, TOTP in totp.c.
 *
 * See auth.h for the contract and docs/SECURITY.md for the threat model.
 */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "core/auth.h"
#include "core/roles.h"
#include "db/db.h"
#include "core/i18n.h"

struct auth_config auth_cfg = {
	.idle_timeout = 30 * 60,
	.absolute_timeout = 10 * 60 * 60,
};

/*
 * Argon2id is deliberately expensive (64 MiB and ~0.1 s per hash at the
 * interactive limits).  Unbounded, a burst of sign-ins would take the
 * server's memory with it, so at most HASH_SLOTS hashes run at once and the
 * rest wait their turn; the throttle below keeps the queue short.
 */
#define HASH_SLOTS 2

static pthread_once_t auth_once = PTHREAD_ONCE_INIT;
static sem_t hash_sem;
static int sodium_ok;

static void auth_init(void)
{
	sodium_ok = sodium_init() >= 0;
	if (sem_init(&hash_sem, 0, HASH_SLOTS))
		BUG("sem_init: %s", strerror(errno));
}

static void auth_init_once(void)
{
	pthread_once(&auth_once, auth_init);
	if (!sodium_ok)
		BUG("libsodium could not be initialised");
}

static void hash_slot_take(void)
{
	while (sem_wait(&hash_sem) && errno == EINTR)
		;
}

static void hash_slot_give(void)
{
	sem_post(&hash_sem);
}

/* ---- the server key ------------------------------------------------------ */

/*
 * The key file holds 64 hex digits and a newline.  Text rather than raw
 * bytes so that an operator can see it is intact and back it up with
 * ordinary tools; it lives outside the database so that a stolen backup does
 * not also hold the key to the TOTP secrets in it.
 */
static int parse_key(const char *s, size_t n, unsigned char key[32])
{
	size_t bin_len = 0;
	const char *end;

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (n != 64)
		return -1;
	if (sodium_hex2bin(key, 32, s, n, NULL, &bin_len, &end) || bin_len != 32)
		return -1;
	return 0;
}

int auth_load_key(const char *path)
{
	char text[130];
	unsigned char key[32];
	struct stat st;
	ssize_t n;
	int fd;

	auth_init_once();
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT) {
		char hex[65];

		/* O_EXCL: if two processes race to create it, one wins and
		 * the other reads the winner's key on its retry. */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0) {
			if (errno == EEXIST)
				return auth_load_key(path);
			log_error("cannot create key file %s: %s", path, strerror(errno));
			return -1;
		}
		randombytes_buf(key, sizeof(key));
		sodium_bin2hex(hex, sizeof(hex), key, sizeof(key));
		hex[64] = '\n';
		if (write(fd, hex, 65) != 65 || fsync(fd)) {
			log_error("cannot write key file %s: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			sodium_memzero(hex, sizeof(hex));
			sodium_memzero(key, sizeof(key));
			return -1;
		}
		close(fd);
		sodium_memzero(hex, sizeof(hex));
		memcpy(auth_cfg.key, key, 32);
		sodium_memzero(key, sizeof(key));
		log_info("created a new server key in %s", path);
		return 0;
	}
	if (fd < 0) {
		log_error("cannot open key file %s: %s", path, strerror(errno));
		return -1;
	}
	if (!fstat(fd, &st) && (st.st_mode & 077))
		log_warn("key file %s is readable by others; chmod 600 it", path);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0 || parse_key(text, (size_t)n, key)) {
		log_error("key file %s is not 64 hexadecimal digits", path);
		sodium_memzero(text, sizeof(text));
		return -1;
	}
	memcpy(auth_cfg.key, key, 32);
	sodium_memzero(text, sizeof(text));
	sodium_memzero(key, sizeof(key));
	return 0;
}

/* ---- passwords ----------------------------------------------------------- */

int auth_hash_password(const char *pw, char *out, size_t outlen)
{
	unsigned long long ops = auth_cfg.fast_hash ? crypto_pwhash_OPSLIMIT_MIN
						    : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	size_t mem = auth_cfg.fast_hash ? crypto_pwhash_MEMLIMIT_MIN
					: crypto_pwhash_MEMLIMIT_INTERACTIVE;
	int rc;

	auth_init_once();
	if (!pw || outlen < crypto_pwhash_STRBYTES)
		return -1;
	hash_slot_take();
	rc = crypto_pwhash_str(out, pw, strlen(pw), ops, mem);
	hash_slot_give();
	if (rc) {
		log_error("password hashing failed (out of memory?)");
		return -1;
	}
	return 0;
}

int auth_verify_password(const char *hash, const char *pw)
{
	int rc;

	auth_init_once();
	if (!hash || !pw)
		return 0;
	if (strncmp(hash, "$argon2", 7))
		return -1; /* not a hash we wrote: a damaged row */
	hash_slot_take();
	rc = crypto_pwhash_str_verify(hash, pw, strlen(pw));
	hash_slot_give();
	return rc == 0;
}

/*
 * A hash of a random password, made once per cost setting, to verify
 * against when the account does not exist: the answer then takes as long
 * as for a real account, so timing does not tell which e-mail addresses
 * have accounts.
 */
static pthread_mutex_t dummy_lock = PTHREAD_MUTEX_INITIALIZER;
static char dummy_hash[2][crypto_pwhash_STRBYTES];

void auth_verify_dummy(const char *pw)
{
	int fast = !!auth_cfg.fast_hash;
	char h[crypto_pwhash_STRBYTES];

	pthread_mutex_lock(&dummy_lock);
	if (!dummy_hash[fast][0]) {
		char rnd[44];

		auth_random_token(rnd, sizeof(rnd));
		if (auth_hash_password(rnd, dummy_hash[fast], sizeof(dummy_hash[fast])))
			dummy_hash[fast][0] = '\0';
	}
	memcpy(h, dummy_hash[fast], sizeof(h));
	pthread_mutex_unlock(&dummy_lock);
	if (h[0])
		(void)auth_verify_password(h, pw ? pw : "");
}

#define PW_MIN 12
#define PW_MAX 200

/* The most common long passwords in breach lists, and the obvious local
 * ones.  Compared case-insensitively.  Not a substitute for length; it
 * only catches what an attacker tries first. */
static const char *const common_passwords[] = {
	"123456789012", "1234567890123", "12345678901234", "123456789123",
	"qwertyuiopasdfgh", "qwertyuiop123", "qwertyuiopå", "qwertyuiopåä",
	"password1234", "password12345", "passwordpassword", "lösenord1234",
	"lösenordlösenord", "sommaren2024!", "sommaren2025!", "sommar2025!!",
	"vinter2025!!", "välkommen123", "välkommen1234", "valkommen123",
	"varnvarnvarn", "administrator", "administratör", "abcdefghijkl",
	"iloveyou1234", "1q2w3e4r5t6y", "1qaz2wsx3edc", "zaq12wsxcde3",
	NULL,
};

int auth_password_problem(const char *pw)
{
	size_t n, cps;
	const char *p;
	uint32_t first;
	int same = 1;

	if (!pw)
		return M_PW_TOO_SHORT;
	n = strlen(pw);
	if (!utf8_valid_text(pw, n) || memchr(pw, '\n', n) || memchr(pw, '\r', n))
		return M_PW_BAD_TEXT;
	cps = utf8_length(pw, n);
	if (cps < PW_MIN)
		return M_PW_TOO_SHORT;
	if (cps > PW_MAX || n > 4 * PW_MAX)
		return M_PW_TOO_LONG;
	p = pw;
	first = utf8_next(&p);
	while (*p)
		if (utf8_next(&p) != first)
			same = 0;
	if (same)
		return M_PW_TOO_SIMPLE;
	for (size_t i = 0; common_passwords[i]; i++)
		if (!strcasecmp(pw, common_passwords[i]))
			return M_PW_TOO_SIMPLE;
	return 0;
}

char *auth_normalize_email(struct arena *a, const char *email)
{
	const char *s = email ? email : "";
	size_t n;
	char *out;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		n--;
	out = arena_strndup(a, s, n);
	for (char *c = out; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	return out;
}

/* ---- throttling ---------------------------------------------------------- */

/*
 * Failed sign-ins are counted per account (e-mail) and per client address,
 * in memory and in the database (below): after THR_FREE failures within
 * THR_WINDOW, every further failure doubles the wait, from THR_BASE up to
 * THR_MAX.  Per address the
 * allowance is larger (THR_FREE_IP), because a whole town hall may reach us
 * from one NAT address and one person's typos must not lock out the rest.
 *
 * Keys are keyed BLAKE2b hashes (a per-process random key), so the table
 * never holds an e-mail address and nobody can aim collisions at it.  The
 * table has a fixed size; when it is full the least recently touched entry
 * is evicted (an attacker spraying addresses can at worst evict others'
 * counters, which a distributed attack gets anyway).
 */
#define THR_SLOTS 4096
#define THR_WINDOW (15 * 60)
#define THR_FREE 5
#define THR_FREE_IP 20
#define THR_BASE 15
#define THR_MAX (15 * 60)

struct thr_entry {
	unsigned char key[16];
	int used;
	int fails;
	int64_t last;   /* time of the last failure */
	int64_t until;  /* no attempts before this time */
};

static pthread_mutex_t thr_lock = PTHREAD_MUTEX_INITIALIZER;
static struct thr_entry thr_table[THR_SLOTS];
static unsigned char thr_secret[crypto_generichash_KEYBYTES];
static int thr_secret_set;

static void thr_key(unsigned char out[16], char kind, const char *s)
{
	crypto_generichash_state st;

	if (!thr_secret_set) {
		randombytes_buf(thr_secret, sizeof(thr_secret));
		thr_secret_set = 1;
	}
	crypto_generichash_init(&st, thr_secret, sizeof(thr_secret), 16);
	crypto_generichash_update(&st, (const unsigned char *)&kind, 1);
	crypto_generichash_update(&st, (const unsigned char *)s, strlen(s));
	crypto_generichash_final(&st, out, 16);
}

/* An entry is stale when it no longer limits anything. */
static int thr_stale(const struct thr_entry *e, int64_t now)
{
	return !e->used || (now - e->last > THR_WINDOW && now >= e->until);
}

static struct thr_entry *thr_find(const unsigned char key[16], int create, int64_t now)
{
	struct thr_entry *free_slot = NULL, *oldest = NULL;

	for (size_t i = 0; i < THR_SLOTS; i++) {
		struct thr_entry *e = &thr_table[i];

		if (e->used && !memcmp(e->key, key, 16))
			return e;
		if (!free_slot && thr_stale(e, now))
			free_slot = e;
		if (e->used && (!oldest || e->last < oldest->last))
			oldest = e;
	}
	if (!create)
		return NULL;
	if (!free_slot)
		free_slot = oldest;
	memset(free_slot, 0, sizeof(*free_slot));
	memcpy(free_slot->key, key, 16);
	free_slot->used = 1;
	return free_slot;
}

static int64_t thr_wait(char kind, const char *s, int64_t now)
{
	unsigned char key[16];
	struct thr_entry *e;

	if (!s || !*s)
		return 0;
	thr_key(key, kind, s);
	e = thr_find(key, 0, now);
	return e && e->until > now ? e->until - now : 0;
}

static void thr_fail(char kind, const char *s, int free_tries, int64_t now)
{
	unsigned char key[16];
	struct thr_entry *e;

	if (!s || !*s)
		return;
	thr_key(key, kind, s);
	e = thr_find(key, 1, now);
	if (e->fails && now - e->last > THR_WINDOW)
		e->fails = 0;
	e->fails++;
	e->last = now;
	if (e->fails >= free_tries) {
		int shift = e->fails - free_tries;
		int64_t wait = shift > 10 ? THR_MAX : (int64_t)THR_BASE << shift;

		e->until = now + (wait > THR_MAX ? THR_MAX : wait);
	}
}

/* ---- the same counts in the database, shared by every server ----
 *
 * The key is keyed BLAKE2b of the kind and the value with the server key,
 * which every process on one database holds (OPERATIONS.md), so all of
 * them count one row per account and per address, and the table never
 * holds an address.  The counting is one statement per row (an upsert),
 * atomic on both engines, so failures tried at once on two servers are
 * all counted. */

static const char *db_thr_key(struct arena *a, char kind, const char *s)
{
	static const char tag[] = "varn signin throttle";
	crypto_generichash_state st;
	unsigned char h[16];
	char *hex = arena_alloc(a, 33);

	crypto_generichash_init(&st, auth_cfg.key, sizeof(auth_cfg.key), sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)tag, sizeof(tag));
	crypto_generichash_update(&st, (const unsigned char *)&kind, 1);
	crypto_generichash_update(&st, (const unsigned char *)s, strlen(s));
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(hex, 33, h, sizeof(h));
	return hex;
}

static int64_t db_thr_wait(struct db *db, struct arena *a, const char *em,
			   const char *ip, int64_t now)
{
	static const char sql[] =
		"SELECT COALESCE(max(until_at), 0) FROM signin_failure"
		" WHERE throttle_key = $1 OR throttle_key = $2";
	struct db_error err;
	struct db_rows r;
	int64_t until;

	if (db_exec(db, a, sql, DB_ARGS(DB_TEXT(*em ? db_thr_key(a, 'e', em) : ""),
					DB_TEXT(ip && *ip ? db_thr_key(a, 'i', ip) : "")),
		    &r, &err)) {
		log_warn("sign-in throttle: cannot read the shared counts, this"
			 " server's alone hold: %s", err.msg);
		return 0;
	}
	until = r.nrows ? db_cell_i64(&r, 0, 0) : 0;
	return until > now ? until - now : 0;
}

static void db_thr_fail(struct db *db, struct arena *a, char kind, const char *s,
			int free_tries, int64_t now)
{
	static const char count[] =
		"INSERT INTO signin_failure (throttle_key, fails, last_at, until_at)"
		" VALUES ($1, 1, $2, 0) ON CONFLICT (throttle_key) DO UPDATE SET"
		" fails = CASE WHEN signin_failure.last_at < $2 - $3 THEN 1"
		" ELSE signin_failure.fails + 1 END, last_at = $2"
		" RETURNING fails";
	static const char hold[] =
		"UPDATE signin_failure SET until_at = $2"
		" WHERE throttle_key = $1 AND until_at < $2";
	const char *key;
	struct db_error err;
	struct db_rows r;
	int64_t fails;

	if (!s || !*s)
		return;
	key = db_thr_key(a, kind, s);
	if (db_exec(db, a, count, DB_ARGS(DB_TEXT(key), DB_INT(now), DB_INT(THR_WINDOW)),
		    &r, &err))
		goto fail;
	fails = r.nrows ? db_cell_i64(&r, 0, 0) : 0;
	if (fails >= free_tries) {
		int64_t shift = fails - free_tries;
		int64_t wait = shift > 10 ? THR_MAX : (int64_t)THR_BASE << shift;

		if (db_exec(db, a, hold, DB_ARGS(DB_TEXT(key),
					 DB_INT(now + (wait > THR_MAX ? THR_MAX : wait))),
			    NULL, &err))
			goto fail;
	}
	return;
fail:
	log_warn("sign-in throttle: cannot count a failure in the database, this"
		 " server's count alone holds: %s", err.msg);
}

int auth_throttled(struct db *db, const char *email, const char *ip)
{
	struct arena a = ARENA_INIT;
	int64_t now = clock_now(), w1, w2, w3 = 0;
	const char *em = auth_normalize_email(&a, email);

	auth_init_once();
	pthread_mutex_lock(&thr_lock);
	w1 = thr_wait('e', em, now);
	w2 = thr_wait('i', ip, now);
	pthread_mutex_unlock(&thr_lock);
	if (db)
		w3 = db_thr_wait(db, &a, em, ip, now);
	arena_release(&a);
	if (w2 > w1)
		w1 = w2;
	return (int)(w3 > w1 ? w3 : w1);
}

void auth_note_failure(struct db *db, const char *email, const char *ip)
{
	struct arena a = ARENA_INIT;
	int64_t now = clock_now();
	const char *em = auth_normalize_email(&a, email);

	auth_init_once();
	pthread_mutex_lock(&thr_lock);
	thr_fail('e', em, THR_FREE, now);
	thr_fail('i', ip, THR_FREE_IP, now);
	pthread_mutex_unlock(&thr_lock);
	if (db) {
		db_thr_fail(db, &a, 'e', em, THR_FREE, now);
		db_thr_fail(db, &a, 'i', ip, THR_FREE_IP, now);
	}
	arena_release(&a);
}

/* Success clears the account's counter only: clearing the address's too
 * would let an attacker reset it by signing in to an account of their own
 * between guesses. */
void auth_note_success(struct db *db, const char *email, const char *ip)
{
	struct arena a = ARENA_INIT;
	unsigned char key[16];
	struct thr_entry *e;
	struct db_error err;
	const char *em = auth_normalize_email(&a, email);

	(void)ip;
	if (!*em)
		goto out;
	auth_init_once();
	pthread_mutex_lock(&thr_lock);
	thr_key(key, 'e', em);
	e = thr_find(key, 0, clock_now());
	if (e)
		memset(e, 0, sizeof(*e));
	pthread_mutex_unlock(&thr_lock);
	if (db && db_exec(db, &a, "DELETE FROM signin_failure WHERE throttle_key = $1",
			  DB_ARGS(DB_TEXT(db_thr_key(&a, 'e', em))), NULL, &err))
		log_warn("sign-in throttle: cannot clear the account's count: %s", err.msg);
out:
	arena_release(&a);
}

void auth_throttle_reset(struct db *db)
{
	struct db_error err;

	pthread_mutex_lock(&thr_lock);
	memset(thr_table, 0, sizeof(thr_table));
	pthread_mutex_unlock(&thr_lock);
	if (db && db_exec(db, NULL, "DELETE FROM signin_failure", DB_NOARGS, NULL, &err))
		log_warn("sign-in throttle: cannot clear the counts: %s", err.msg);
}

int64_t auth_throttle_prune(struct db *db, int64_t now, struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	int rc;

	rc = db_exec(db, &a, "DELETE FROM signin_failure WHERE last_at < $1 AND until_at <= $2",
		     DB_ARGS(DB_INT(now - THR_WINDOW), DB_INT(now)), &r, err);
	arena_release(&a);
	return rc ? -1 : r.changes;
}

/* ---- tokens -------------------------------------------------------------- */

void auth_random_token(char *out, size_t outlen)
{
	unsigned char raw[32];

	auth_init_once();
	if (outlen < sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		BUG("token buffer too small (%zu)", outlen);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, outlen, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

char *auth_token_hash(struct arena *a, const char *token)
{
	unsigned char h[32];
	char *hex = arena_alloc(a, 65);

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
			   strlen(token), NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof(h));
	return hex;
}

/* ---- users --------------------------------------------------------------- */

int64_t user_find_by_email(struct db *db, struct arena *a, const char *email)
{
	struct db_rows r;
	struct db_error err;
	const char *em = auth_normalize_email(a, email);

	if (!*em)
		return 0;
	if (db_exec(db, a, "SELECT id FROM app_user WHERE email = $1",
		    DB_ARGS(DB_TEXT(em)), &r, &err)) {
		log_error("user_find_by_email: %s", err.msg);
		return 0;
	}
	return r.nrows ? db_cell_i64(&r, 0, 0) : 0;
}

static void set_err(struct db_error *err, enum db_errcode code, const char *msg)
{
	if (!err)
		return;
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

int64_t user_create(struct db *db, struct arena *a, const char *email,
		    const char *password, struct db_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	const char *em = auth_normalize_email(a, email);
	int64_t now = clock_now();
	struct db_rows r;

	if (!*em || strlen(em) > 254 || !utf8_valid_text(em, strlen(em))) {
		set_err(err, DBE_CHECK, "e-mail address empty or not valid");
		return 0;
	}
	if (password && auth_hash_password(password, hash, sizeof(hash))) {
		set_err(err, DBE_OTHER, "password hashing failed");
		return 0;
	}
	if (db_exec(db, a,
		    "INSERT INTO app_user (email, pw_hash, created_at, updated_at) "
		    "VALUES ($1, $2, $3, $3) RETURNING id",
		    DB_ARGS(DB_TEXT(em), DB_TEXT(password ? hash : NULL), DB_INT(now)),
		    &r, err))
		return 0;
	if (r.nrows != 1) {
		set_err(err, DBE_OTHER, "insert returned no id");
		return 0;
	}
	return db_cell_i64(&r, 0, 0);
}

int user_set_password(struct db *db, struct arena *a, int64_t user_id,
		      const char *password, struct db_error *err)
{
	char hash[crypto_pwhash_STRBYTES];
	struct db_rows r;

	if (!password || auth_hash_password(password, hash, sizeof(hash))) {
		set_err(err, DBE_OTHER, "password hashing failed");
		return -1;
	}
	if (db_exec(db, a,
		    "UPDATE app_user SET pw_hash = $1, version = version + 1, "
		    "updated_at = $2 WHERE id = $3",
		    DB_ARGS(DB_TEXT(hash), DB_INT(clock_now()), DB_INT(user_id)),
		    &r, err))
		return -1;
	if (r.changes != 1) {
		set_err(err, DBE_NOTFOUND, "no such user");
		return -1;
	}
	return 0;
}

int user_set_lang(struct db *db, struct arena *a, int64_t user_id, int lang,
		  struct db_error *err)
{
	struct db_rows r;

	if (db_exec(db, a,
		    "UPDATE app_user SET lang = $1, version = version + 1, "
		    "updated_at = $2 WHERE id = $3",
		    DB_ARGS(DB_TEXT(lang == LANG_EN ? "en" : "sv"),
			    DB_INT(clock_now()), DB_INT(user_id)),
		    &r, err))
		return -1;
	if (r.changes != 1) {
		set_err(err, DBE_NOTFOUND, "no such user");
		return -1;
	}
	return 0;
}

int auth_totp_required(struct db *db, struct arena *a, int64_t user_id)
{
	struct db_rows r;
	struct db_error err;

	/* Role codes are compared in C (role_parse) rather than in SQL,
	 * because the mask is of enum values, not of stored codes. */
	if (db_exec(db, a,
		    "SELECT ra.role, o.totp_roles FROM role_assignment ra "
		    "JOIN person p ON p.id = ra.person_id "
		    "JOIN organisation o ON o.id = ra.org_id "
		    "WHERE p.user_id = $1 AND ra.archived = 0 AND p.archived = 0 "
		    "AND o.archived = 0 AND o.totp_roles <> 0",
		    DB_ARGS(DB_INT(user_id)), &r, &err)) {
		log_error("auth_totp_required: %s", err.msg);
		return -1;
	}
	for (size_t i = 0; i < r.nrows; i++) {
		int role = role_parse(db_cell(&r, i, 0));
		int64_t mask = db_cell_i64(&r, i, 1);

		if (role >= 0 && (mask & RB(role)))
			return 1;
	}
	return 0;
}

enum signin_result auth_check_password(struct db *db, struct arena *a,
				       const char *email, const char *pw,
				       const char *ip, struct signin *out)
{
	const char *em = auth_normalize_email(a, email);
	struct db_rows r;
	struct db_error err;
	int64_t wait;
	int ok;

	memset(out, 0, sizeof(*out));
	wait = auth_throttled(db, em, ip);
	if (wait > 0) {
		out->wait = wait;
		return SIGNIN_THROTTLED;
	}
	if (!*em || !pw || !*pw) {
		auth_verify_dummy(pw);
		auth_note_failure(db, em, ip);
		return SIGNIN_BAD;
	}
	if (db_exec(db, a,
		    "SELECT id, pw_hash, disabled, totp_enabled FROM app_user "
		    "WHERE email = $1",
		    DB_ARGS(DB_TEXT(em)), &r, &err)) {
		log_error("sign-in look-up: %s", err.msg);
		return SIGNIN_ERROR;
	}
	if (!r.nrows || !db_cell(&r, 0, 1)) {
		/* Unknown account, or one without a password yet. */
		auth_verify_dummy(pw);
		if (r.nrows)
			out->user_id = db_cell_i64(&r, 0, 0);
		auth_note_failure(db, em, ip);
		return SIGNIN_BAD;
	}
	out->user_id = db_cell_i64(&r, 0, 0);
	ok = auth_verify_password(db_cell(&r, 0, 1), pw);
	if (ok < 0) {
		log_error("sign-in: stored hash of user %lld is not Argon2id",
			  (long long)out->user_id);
		return SIGNIN_ERROR;
	}
	/* A disabled account is refused only after the hash was checked, so
	 * the answer takes the same time and reads the same. */
	if (!ok || db_cell_i64(&r, 0, 2)) {
		auth_note_failure(db, em, ip);
		return SIGNIN_BAD;
	}
	out->totp_enabled = (int)db_cell_i64(&r, 0, 3);
	if (!out->totp_enabled) {
		int req = auth_totp_required(db, a, out->user_id);

		if (req < 0)
			return SIGNIN_ERROR;
		out->totp_required = req;
	}
	auth_note_success(db, em, ip);
	return SIGNIN_OK;
}
