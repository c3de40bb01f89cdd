/* test_backup.c - backup and restore across engines, and sealed backups
 * (core/backup.c): round trips with a key file and a passphrase, every
 * kind of tampering refused with nothing written, retention, the job. */
#include "base/base.h"

#include <dirent.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/buf.h"
#include "core/backup.h"
#include "core/module.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "db/db_impl.h"
#include "tap.h"
#include "testdb.h"

static struct arena A = ARENA_INIT;

static int run(struct db *db, const char *sql, const struct db_val *p,
	       size_t n, int64_t *id)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(db, &A, sql, p, n, &r, &err)) {
		ok(0, "%s: %s", sql, err.msg);
		return -1;
	}
	if (id)
		*id = r.nrows ? db_cell_i64(&r, 0, 0) : -1;
	return 0;
}

static int64_t one_int(struct db *db, const char *sql)
{
	int64_t v = -1;

	run(db, sql, NULL, 0, &v);
	return v;
}

static const char sql_org[] =
	"INSERT INTO organisation (slug, name, name_sk, kind, org_number, "
	"search, created_at, updated_at) VALUES ($1, $2, $3, 'kommun', $4, "
	"$5, 1700000000, 1700000000) RETURNING id";
static const char sql_unit[] =
	"INSERT INTO unit (org_id, name, name_sk, kind, code, created_at, "
	"updated_at) VALUES ($1, $2, $2, 'förvaltning', $3, 1, 1) RETURNING id";
static const char sql_user[] =
	"INSERT INTO app_user (email, pw_hash, created_at, updated_at) "
	"VALUES ($1, $2, 1, 1) RETURNING id";
static const char sql_person[] =
	"INSERT INTO person (org_id, user_id, name, name_sk, unit_id, email, "
	"created_at, updated_at) VALUES ($1, $2, $3, $3, $4, $5, 1, 1) "
	"RETURNING id";
static const char sql_event[] =
	"INSERT INTO audit_event (seq, at, org_id, user_id, action, entity, "
	"entity_id, before_json, after_json, prev_hash, hash) "
	"VALUES ($1, $2, $3, $4, 'update', 'person', $5, $6, $7, $8, $9)";

/* Some of everything: unicode, NULLs, a unit whose parent has a higher
 * id than itself, and more audit events than one copy batch holds. */
static void fill(struct db *db, int events)
{
	struct db_error err;
	int64_t o1, o2, u1, u2, u3, us1, us2, p1;

	ok(db_begin(db, &err) == 0, "begin fill");
	run(db, sql_org, DB_ARGS(DB_TEXT("malmo"), DB_TEXT("Malmö stad"),
				 DB_TEXT("malmo stad"), DB_TEXT("212000-1124"),
				 DB_TEXT("malmö stad")), &o1);
	run(db, sql_org, DB_ARGS(DB_TEXT("orebro"), DB_TEXT("Örebro kommun"),
				 DB_TEXT("ö"), DB_NULL, DB_TEXT("")), &o2);
	run(db, sql_unit, DB_ARGS(DB_INT(o1), DB_TEXT("IT-avdelningen"),
				  DB_TEXT("IT")), &u1);
	run(db, sql_unit, DB_ARGS(DB_INT(o1), DB_TEXT("Stadsledningskontoret"),
				  DB_NULL), &u2);
	run(db, sql_unit, DB_ARGS(DB_INT(o2), DB_TEXT("Räddningstjänst 🚒"),
				  DB_TEXT("R")), &u3);
	/* u1 moves under u2, which was created after it */
	run(db, "UPDATE unit SET parent_id = $1, version = version + 1 "
		"WHERE id = $2", DB_ARGS(DB_INT(u2), DB_INT(u1)), NULL);
	run(db, sql_user, DB_ARGS(DB_TEXT("asa@malmo.se"),
				  DB_TEXT("$argon2id$v=19$m=65536,t=2,p=1$abc$def")),
	    &us1);
	run(db, sql_user, DB_ARGS(DB_TEXT("bo@orebro.se"), DB_NULL), &us2);
	run(db, sql_person, DB_ARGS(DB_INT(o1), DB_INT(us1), DB_TEXT("Åsa Öberg"),
				    DB_INT(u1), DB_TEXT("asa@malmo.se")), &p1);
	run(db, sql_person, DB_ARGS(DB_INT(o2), DB_NULL, DB_TEXT("Bo \"Bosse\" O'Hara"),
				    DB_NULL, DB_NULL), NULL);
	run(db, "INSERT INTO role_assignment (org_id, person_id, unit_id, role, "
		"note, created_at, updated_at) VALUES ($1, $2, $3, "
		"'systemägare', 'rad 1\nrad 2\ttab', 1, 1)",
	    DB_ARGS(DB_INT(o1), DB_INT(p1), DB_INT(u1)), NULL);
	run(db, "INSERT INTO recovery_code (user_id, code_hash, created_at) "
		"VALUES ($1, 'h1', 5)", DB_ARGS(DB_INT(us1)), NULL);
	run(db, "INSERT INTO session (token_hash, user_id, csrf_token, ip, "
		"created_at, last_seen_at, expires_at) VALUES ('t1', $1, 'c', "
		"'::1', 1, 2, 3)", DB_ARGS(DB_INT(us1)), NULL);
	run(db, "INSERT INTO api_token (user_id, token_hash, label, created_at, "
		"expires_at) VALUES ($1, 'a1', 'CI', 1, 9)",
	    DB_ARGS(DB_INT(us2)), NULL);
	run(db, "INSERT INTO reset_token (user_id, token_hash, created_by, "
		"created_at, expires_at) VALUES ($1, 'r1', $2, 1, 2)",
	    DB_ARGS(DB_INT(us2), DB_INT(us1)), NULL);
	for (int i = 1; i <= events; i++) {
		char prev[16], hash[16];
		snprintf(prev, sizeof(prev), "h%d", i - 1);
		snprintf(hash, sizeof(hash), "h%d", i);
		run(db, sql_event, DB_ARGS(DB_INT(i), DB_INT(1700000000 + i),
					   i % 3 ? DB_INT(o1) : DB_NULL,
					   DB_INT(us1), DB_INT(p1),
					   DB_TEXT("{\"namn\":\"Åsa\"}"),
					   i % 2 ? DB_NULL : DB_TEXT("{}"),
					   DB_TEXT(prev), DB_TEXT(hash)), NULL);
	}
	run(db, "UPDATE audit_head SET seq = $1, hash = 'hN' WHERE id = 1",
	    DB_ARGS(DB_INT(events)), NULL);
	/* systems, for the counts the triggers keep (system_stat, not backed
	 * up: a restore's inserts make them again) */
	run(db, "INSERT INTO it_system (org_id, name, name_sk, level_k, level_r, "
		"infosets_total, created_at, updated_at) VALUES ($1, 'Lön', 'lon', 3, 2, 1, 1, 1)",
	    DB_ARGS(DB_INT(o1)), NULL);
	run(db, "INSERT INTO it_system (org_id, name, name_sk, created_at, updated_at, "
		"archived) VALUES ($1, 'Gammalt', 'gammalt', 1, 1, 1)", DB_ARGS(DB_INT(o1)), NULL);
	run(db, "INSERT INTO it_system (org_id, name, name_sk, created_at, updated_at) "
		"VALUES ($1, 'Brand', 'brand', 1, 1)", DB_ARGS(DB_INT(o2)), NULL);
	ok(db_commit(db, &err) == 0, "fill committed: %s", err.msg);
}

/* Every table has the same rows on both (checksums of the canonical
 * text form, which both engines must produce alike). */
static void same_rows(struct db *a, struct db *b, const char *what)
{
	const char *const *all_tables = module_tables();

	for (size_t i = 0; all_tables[i]; i++) {
		char ha[65] = "", hb[65] = "x";
		int64_t na = -1, nb = -2;
		struct db_error err;
		ok(db_table_checksum(a, all_tables[i], &na, ha, &err) == 0 &&
		   db_table_checksum(b, all_tables[i], &nb, hb, &err) == 0 &&
		   na == nb && strcmp(ha, hb) == 0,
		   "%s: %s identical (%" PRId64 " rows)", what, all_tables[i], na);
	}
}

static struct db *open_url(const char *url, int migrate)
{
	struct db_error err;
	struct db *db = NULL;

	if (db_open(url, &db, &err) || (migrate && db_migrate(db, &err)))
		ok(0, "open %s: %s", url, err.msg);
	return db;
}

static const char *path(const char *name)
{
	return arena_printf(&A, "%s/%s", testdb_dir(), name);
}

static int exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

static void check_restored(struct db *db, struct db *src, const char *what)
{
	int64_t max, id = -1;

	same_rows(src, db, what);
	/* the derived counts, rebuilt by the restore's inserts */
	is_int(one_int(db, "SELECT COALESCE(sum(n), 0) FROM system_stat"), 12,
	       "system_stat: two live systems counted, six keys each");
	is_int(one_int(db, "SELECT n FROM system_stat WHERE stat = 'k3'"), 1,
	       "system_stat: the level 3 system counted once");
	is_int(one_int(db, "SELECT count(*) FROM system_stat WHERE n < 0"), 0,
	       "system_stat: no negative count after the restore's deletes");
	run(db, "SELECT name FROM person WHERE email = 'asa@malmo.se'", NULL,
	    0, NULL);
	/* new rows continue after the restored ids (PG: sequences reset) */
	max = one_int(db, "SELECT max(id) FROM organisation");
	run(db, sql_org, DB_ARGS(DB_TEXT("ny"), DB_TEXT("Ny"), DB_TEXT("ny"),
				 DB_NULL, DB_TEXT("")), &id);
	ok(id > max, "%s: a new organisation gets id %" PRId64 " > %" PRId64,
	   what, id, max);
	max = one_int(db, "SELECT max(id) FROM audit_event");
	run(db, "INSERT INTO audit_event (seq, at, action, prev_hash, hash) "
		"VALUES (999999, 1, 'x', 'a', 'b') RETURNING id", NULL, 0, &id);
	ok(id > max, "%s: a new audit event gets a fresh id", what);
}

TEST(sqlite_to_engine_under_test)
{
	struct db *src = open_url(arena_printf(&A, "sqlite:%s", path("src1.sqlite")), 1);
	const char *file = path("one.varnbackup");
	struct db_error err;
	struct db *dst;

	fill(src, 1234);
	ok(db_backup(src, module_tables(), file, &err) == 0, "backup: %s", err.msg);
	ok(exists(file), "backup file written");
	ok(!exists(arena_printf(&A, "%s.tmp", file)), "no .tmp left");
	ok(!exists(arena_printf(&A, "%s.tmp-journal", file)) &&
	   !exists(arena_printf(&A, "%s-wal", file)), "no journal beside it");
	dst = testdb_open(1);
	ok(db_restore(dst, module_tables(), file, &err) == 0, "restore into %s: %s",
	   testdb_is_pg() ? "PostgreSQL" : "SQLite", err.msg);
	ok(!db_in_transaction(dst), "no transaction left open");
	check_restored(dst, src, "sqlite -> engine");
	db_close(dst);
	db_close(src);
}

TEST(engine_under_test_to_both)
{
	struct db *src = testdb_open(1);
	const char *file = path("two.varnbackup");
	struct db_error err;
	struct db *sq, *same;

	fill(src, 40);
	ok(db_backup(src, module_tables(), file, &err) == 0, "backup from the engine under "
	   "test: %s", err.msg);
	sq = open_url(arena_printf(&A, "sqlite:%s", path("dst2.sqlite")), 1);
	ok(db_restore(sq, module_tables(), file, &err) == 0, "restore into SQLite: %s", err.msg);
	check_restored(sq, src, "engine -> sqlite");
	same = testdb_open(1);
	ok(db_restore(same, module_tables(), file, &err) == 0, "restore into the same engine: %s",
	   err.msg);
	check_restored(same, src, "engine -> engine");

	/* a second backup replaces the first in one step */
	ok(db_backup(sq, module_tables(), file, &err) == 0, "backup over an existing file");
	db_close(same);
	same = testdb_open(1);
	ok(db_restore(same, module_tables(), file, &err) == 0, "and it restores");
	same_rows(sq, same, "replaced backup");
	db_close(same);
	db_close(sq);
	db_close(src);
}

TEST(empty_database_round_trip)
{
	struct db *src = testdb_open(1), *dst = testdb_open(1);
	const char *file = path("empty.varnbackup");
	struct db_error err;

	ok(db_backup(src, module_tables(), file, &err) == 0, "backup of an empty database");
	ok(db_restore(dst, module_tables(), file, &err) == 0, "restores: %s", err.msg);
	same_rows(src, dst, "empty");
	db_close(src);
	db_close(dst);
}

TEST(refusals)
{
	struct db *src = testdb_open(1), *dst = testdb_open(1), *raw, *bk;
	const char *file = path("three.varnbackup");
	const char *bad = path("edited.varnbackup");
	struct db_error err;
	FILE *f;

	fill(src, 5);
	ok(db_backup(src, module_tables(), file, &err) == 0, "backup");

	/* an edited row */
	f = fopen(bad, "wb");
	{
		FILE *in = fopen(file, "rb");
		char chunk[4096];
		size_t n;
		while (in && (n = fread(chunk, 1, sizeof(chunk), in)) > 0)
			fwrite(chunk, 1, n, f);
		if (in)
			fclose(in);
	}
	fclose(f);
	bk = open_url(arena_printf(&A, "sqlite:%s", bad), 0);
	run(bk, "UPDATE person SET name = 'Mallory' WHERE name = 'Åsa Öberg'",
	    NULL, 0, NULL);
	run(bk, "PRAGMA journal_mode = DELETE", NULL, 0, NULL);
	db_close(bk);
	ok(db_restore(dst, module_tables(), bad, &err) == -1, "an edited backup is refused");
	has_str(err.msg, "person does not match its manifest", "names the table");
	is_int(one_int(dst, "SELECT count(*) FROM person"), 0,
	       "nothing was restored");
	is_int(one_int(dst, "SELECT count(*) FROM audit_head"), 1,
	       "the target's seed rows are intact");

	ok(db_restore(src, module_tables(), file, &err) == -1, "restore into a non-empty "
	   "database is refused");
	has_str(err.msg, "not empty", "says why");

	raw = testdb_open(0);
	ok(db_restore(raw, module_tables(), file, &err) == -1, "restore into an unmigrated "
	   "database is refused");
	has_str(err.msg, "migrate", "says to migrate");
	ok(db_backup(raw, module_tables(), path("raw.varnbackup"), &err) == -1,
	   "backup of an unmigrated database is refused");
	ok(!exists(path("raw.varnbackup")) && !exists(path("raw.varnbackup.tmp")),
	   "and leaves no file");

	ok(db_restore(dst, module_tables(), path("missing.varnbackup"), &err) == -1,
	   "a missing file is refused");
	has_str(err.msg, "no backup file", "says so");
	f = fopen(path("text.varnbackup"), "w");
	fputs("this is not a database\n", f);
	fclose(f);
	ok(db_restore(dst, module_tables(), path("text.varnbackup"), &err) == -1,
	   "a text file is refused");
	ok(db_restore(dst, module_tables(), path("src1.sqlite"), &err) == -1,
	   "a database that is not a backup is refused");
	ok(db_restore(dst, module_tables(), file, &err) == 0, "the good backup still restores: %s",
	   err.msg);
	db_close(raw);
	db_close(src);
	db_close(dst);
}

static int verify_fail(struct db *db, void *ctx, struct db_error *err)
{
	(void)db;
	(void)ctx;
	return db_fail(err, DBE_OTHER, "audit chain broken at seq 2");
}

static int verify_ok(struct db *db, void *ctx, struct db_error *err)
{
	(void)ctx;
	if (one_int(db, "SELECT count(*) FROM audit_event") != 3)
		return db_fail(err, DBE_OTHER, "verifier saw no rows");
	return 0;
}

TEST(verify_hook)
{
	struct db *src = testdb_open(1), *dst = testdb_open(1);
	const char *file = path("four.varnbackup");
	struct db_error err;

	fill(src, 3);
	db_backup(src, module_tables(), file, &err);
	ok(db_restore_verified(dst, module_tables(), file, verify_fail, NULL, &err) == -1,
	   "a failing verify rolls the restore back");
	has_str(err.msg, "audit chain broken", "with the verifier's message");
	is_int(one_int(dst, "SELECT count(*) FROM organisation"), 0,
	       "nothing restored");
	ok(db_restore_verified(dst, module_tables(), file, verify_ok, NULL, &err) == 0,
	   "a passing verify commits: %s", err.msg);
	is_int(one_int(dst, "SELECT count(*) FROM audit_event"), 3,
	       "restored, and the verifier saw the rows");
	db_close(src);
	db_close(dst);
}

/* ---- sealed backups ---- */

/* The documented format (core/backup.c): an 88-byte header, then chunks
 * of a 4-byte length and at most 65536 + 17 bytes. */
#define S_HDR 88
#define S_CHUNK (4 + 65536 + 17)

static unsigned char *slurp(const char *p, size_t *len)
{
	FILE *f = fopen(p, "rb");
	unsigned char *b;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	b = xmalloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

static void spill(const char *p, const unsigned char *b, size_t len)
{
	FILE *f = fopen(p, "wb");

	fwrite(b, 1, len, f);
	fclose(f);
}

static size_t file_size(const char *p)
{
	struct stat st;

	return stat(p, &st) ? 0 : (size_t)st.st_size;
}

/* The private temporary folder is left empty after each run. */
static const char *tmpdir;

static int tmp_entries(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void use_tmpdir(void)
{
	tmpdir = path("private-tmp");
	mkdir(tmpdir, 0700);
	setenv("TMPDIR", tmpdir, 1);
}

static struct seal_secret key_secret(unsigned char fill_byte)
{
	struct seal_secret s = { .mode = SEAL_KEY };

	memset(s.key, fill_byte, sizeof(s.key));
	return s;
}

static struct seal_secret pass_secret(const char *pass)
{
	struct seal_secret s = { .mode = SEAL_PASSPHRASE, .pass = pass,
				 .pass_len = strlen(pass) };

	return s;
}

/* Restores bad into a fresh target, expects a refusal naming want, and
 * that the target holds nothing and no temporary file is left. */
static struct db *target; /* one empty target for every refusal of a test */

static void refused(const char *bad, const struct seal_secret *s, const char *want,
		    const char *what)
{
	struct db *dst = target ? target : (target = testdb_open(1));
	struct db_error err = { 0 };

	ok(restore_sealed(dst, module_tables(), bad, s, NULL, NULL, &err) == -1,
	   "%s: refused", what);
	has_str(err.msg, want, what);
	is_int(one_int(dst, "SELECT count(*) FROM organisation") +
	       one_int(dst, "SELECT count(*) FROM audit_event") +
	       one_int(dst, "SELECT count(*) FROM person"), 0,
	       "... and nothing was written to the target");
	is_int(one_int(dst, "SELECT count(*) FROM audit_head WHERE seq = 0"), 1,
	       "... whose seed row is untouched");
	is_int(tmp_entries(), 0, "... and no plain temporary file is left");
}

static void refusals_done(void)
{
	db_close(target);
	target = NULL;
}

TEST(sealed_round_trip_key_both_engines)
{
	struct db *src = open_url(arena_printf(&A, "sqlite:%s", path("s1.sqlite")), 1);
	struct db *eng = testdb_open(1), *dst, *sq;
	struct seal_secret s = key_secret(7);
	const char *file = path("s1.varnbackup"), *file2 = path("s2.varnbackup");
	struct db_error err = { 0 };
	unsigned char *b;
	size_t len;

	use_tmpdir();
	fill(src, 1234);
	ok(backup_sealed(src, module_tables(), file, &s, &err) == 0, "sealed backup: %s",
	   err.msg);
	is_int(tmp_entries(), 0, "the plain intermediate is removed");
	ok(!exists(arena_printf(&A, "%s.tmp", file)), "no .tmp left");
	is_int(backup_sniff(file), BACKUP_SEALED, "the file is sealed");
	b = slurp(file, &len);
	ok(b && memcmp(b, "VARNSEAL\x01\x01", 10) == 0, "magic, format 1, key mode");
	ok(b && memmem(b, len, "Åsa Öberg", strlen("Åsa Öberg")) == NULL &&
	   memmem(b, len, "SQLite format 3", 15) == NULL, "no plain text in the file");
	ok(len > S_HDR + 3 * S_CHUNK, "more than three chunks (%zu bytes)", len);
	free(b);
	{
		struct stat st;
		ok(stat(file, &st) == 0 && (st.st_mode & 077) == 0, "the file is 0600");
	}
	dst = testdb_open(1);
	ok(restore_sealed(dst, module_tables(), file, &s, NULL, NULL, &err) == 0,
	   "sqlite -> sealed -> %s: %s", testdb_is_pg() ? "PostgreSQL" : "SQLite", err.msg);
	is_int(tmp_entries(), 0, "the opened plain file is removed");
	check_restored(dst, src, "sealed sqlite -> engine");

	/* the engine under test (PostgreSQL in the PG run) as the source */
	fill(eng, 30);
	ok(backup_sealed(eng, module_tables(), file2, &s, &err) == 0,
	   "sealed backup of the engine under test: %s", err.msg);
	sq = open_url(arena_printf(&A, "sqlite:%s", path("s2dst.sqlite")), 1);
	ok(restore_sealed(sq, module_tables(), file2, &s, NULL, NULL, &err) == 0,
	   "engine -> sealed -> SQLite: %s", err.msg);
	check_restored(sq, eng, "sealed engine -> sqlite");
	db_close(sq);
	db_close(dst);
	db_close(eng);
	db_close(src);
}

TEST(sealed_round_trip_passphrase)
{
	struct db *src = testdb_open(1), *dst = testdb_open(1);
	struct seal_secret s = pass_secret("korrekt häst batteri häftklammer");
	struct seal_secret shortp = pass_secret("för kort");
	const char *file = path("p1.varnbackup");
	struct db_error err = { 0 };
	unsigned char *b;
	size_t len;

	use_tmpdir();
	backup_fast_kdf = 1;
	fill(src, 20);
	ok(backup_sealed(src, module_tables(), file, &s, &err) == 0, "passphrase backup: %s",
	   err.msg);
	b = slurp(file, &len);
	ok(b && b[9] == SEAL_PASSPHRASE, "the header says passphrase");
	ok(b && !sodium_is_zero(b + 16, 16), "with a salt");
	free(b);
	is_int(backup_sealed_mode(file), SEAL_PASSPHRASE, "backup_sealed_mode reads it");
	ok(restore_sealed(dst, module_tables(), file, &s, NULL, NULL, &err) == 0,
	   "restores with the passphrase: %s", err.msg);
	same_rows(src, dst, "passphrase round trip");
	ok(backup_sealed(src, module_tables(), path("p2.varnbackup"), &shortp, &err) == -1,
	   "a passphrase under 12 characters is refused");
	has_str(err.msg, "too short", "says so");
	ok(!exists(path("p2.varnbackup")), "and writes no file");

	/* the real cost is the default: libsodium's MODERATE Argon2id */
	backup_fast_kdf = 0;
	spill(path("tiny.plain"), (const unsigned char *)"x", 1);
	ok(backup_seal_file(path("tiny.plain"), path("tiny.sealed"), &s, &err) == 0,
	   "sealing with the default cost: %s", err.msg);
	b = slurp(path("tiny.sealed"), &len);
	if (b) {
		uint64_t ops = 0, mem = 0;
		for (int i = 0; i < 8; i++) {
			ops = (ops << 8) | b[32 + i];
			mem = (mem << 8) | b[40 + i];
		}
		is_int(ops, crypto_pwhash_OPSLIMIT_MODERATE, "opslimit in the header: MODERATE");
		is_int(mem, crypto_pwhash_MEMLIMIT_MODERATE, "memlimit in the header: MODERATE");
	}
	free(b);
	backup_fast_kdf = 1;
	db_close(src);
	db_close(dst);
}

static void flip(const char *from, const char *to, size_t off)
{
	size_t len;
	unsigned char *b = slurp(from, &len);

	if (off < len)
		b[off] ^= 0x01;
	spill(to, b, len);
	free(b);
}

static void cut(const char *from, const char *to, size_t keep)
{
	size_t len;
	unsigned char *b = slurp(from, &len);

	spill(to, b, keep < len ? keep : len);
	free(b);
}

TEST(sealed_refusals_write_nothing)
{
	struct db *src = testdb_open(1);
	struct seal_secret s = key_secret(7), other = key_secret(8);
	struct seal_secret p = pass_secret("korrekt häst batteri häftklammer");
	struct seal_secret wrongp = pass_secret("korrekt häst batteri häftklamme");
	const char *file = path("r.varnbackup"), *pfile = path("rp.varnbackup");
	const char *bad = path("bad.varnbackup");
	struct db_error err = { 0 };
	unsigned char *b;
	size_t len;
	int all_refused = 1;

	use_tmpdir();
	backup_fast_kdf = 1;
	fill(src, 1234);
	ok(backup_sealed(src, module_tables(), file, &s, &err) == 0, "backup: %s", err.msg);
	ok(backup_sealed(src, module_tables(), pfile, &p, &err) == 0, "passphrase backup");
	len = file_size(file);
	ok(len > S_HDR + 3 * S_CHUNK, "several chunks");

	refused(file, &other, "wrong key", "another key");
	refused(pfile, &wrongp, "wrong passphrase", "a wrong passphrase");
	refused(pfile, &s, "sealed with a passphrase", "a key for a passphrase backup");
	refused(file, &p, "sealed with a backup key file", "a passphrase for a key backup");

	flip(file, bad, S_HDR + 4 + 1000);
	refused(bad, &s, "chunk 1 does not authenticate", "a flipped byte in chunk 1");
	flip(file, bad, S_HDR + 2 * S_CHUNK + 4 + 5);
	refused(bad, &s, "chunk 3 does not authenticate", "a flipped byte in chunk 3");
	flip(file, bad, len - 3);
	refused(bad, &s, "does not authenticate", "a flipped byte in the last chunk");
	flip(file, bad, S_HDR + S_CHUNK + 1);
	refused(bad, &s, "chunk 2", "a flipped byte in chunk 2's length");

	flip(file, bad, 70);
	refused(bad, &s, "chunk 1 does not authenticate (or its header was changed)",
		"a flipped byte in the stream header");
	flip(file, bad, 50);
	refused(bad, &s, "wrong key", "a flipped byte in the key check");
	flip(file, bad, 13);
	refused(bad, &s, "header is not valid", "a flipped byte in the chunk size");
	flip(file, bad, 2);
	refused(bad, &s, "not a sealed Värn backup", "a flipped byte in the magic");
	flip(pfile, bad, 20);
	refused(bad, &p, "wrong passphrase", "a flipped byte in the salt");
	/* every header byte: none goes unnoticed */
	for (size_t off = 0; off < S_HDR; off++) {
		flip(file, bad, off);
		if (restore_sealed(target, module_tables(), bad, &s, NULL, NULL, &err) != -1 ||
		    one_int(target, "SELECT count(*) FROM organisation") != 0) {
			all_refused = 0;
			fprintf(stderr, "# header byte %zu flipped was accepted\n", off);
		}
	}
	ok(all_refused, "each of the 88 header bytes flipped: refused, nothing written");

	cut(file, bad, S_HDR + S_CHUNK + 4 + 30000);
	refused(bad, &s, "cut short in the middle of chunk 2", "truncated inside a chunk");
	cut(file, bad, S_HDR + 2 * S_CHUNK);
	refused(bad, &s, "ends after chunk 2 without its end mark",
		"truncated exactly at a chunk boundary (no FINAL)");
	cut(file, bad, S_HDR + 2 * S_CHUNK + 2);
	refused(bad, &s, "cut short in the middle of chunk 3", "truncated inside a length");
	cut(file, bad, S_HDR);
	refused(bad, &s, "ends after chunk 0 without its end mark", "only the header");
	cut(file, bad, 40);
	refused(bad, &s, "ends inside its header", "truncated inside the header");
	cut(file, bad, 0);
	refused(bad, &s, "is empty", "an empty file");
	is_int(backup_sniff(bad), BACKUP_EMPTY, "an empty file is told apart");

	/* chunks 2 and 3 swapped; chunk 2 dropped; chunk 2 repeated */
	b = slurp(file, &len);
	{
		unsigned char *t = xmalloc(len + S_CHUNK);
		memcpy(t, b, S_HDR + S_CHUNK);
		memcpy(t + S_HDR + S_CHUNK, b + S_HDR + 2 * S_CHUNK, S_CHUNK);
		memcpy(t + S_HDR + 2 * S_CHUNK, b + S_HDR + S_CHUNK, S_CHUNK);
		memcpy(t + S_HDR + 3 * S_CHUNK, b + S_HDR + 3 * S_CHUNK,
		       len - S_HDR - 3 * S_CHUNK);
		spill(bad, t, len);
		refused(bad, &s, "chunk 2 does not authenticate", "two chunks swapped");
		spill(bad, t, 0);
		memcpy(t, b, S_HDR + S_CHUNK);
		memcpy(t + S_HDR + S_CHUNK, b + S_HDR + 2 * S_CHUNK, len - S_HDR - 2 * S_CHUNK);
		spill(bad, t, len - S_CHUNK);
		refused(bad, &s, "chunk 2 does not authenticate", "a chunk dropped");
		memcpy(t, b, S_HDR + 2 * S_CHUNK);
		memcpy(t + S_HDR + 2 * S_CHUNK, b + S_HDR + S_CHUNK, len - S_HDR - S_CHUNK);
		spill(bad, t, len + S_CHUNK);
		refused(bad, &s, "chunk 3 does not authenticate", "a chunk repeated");
		free(t);
	}
	/* appended: a byte, and the last chunk once more */
	{
		unsigned char *t = xmalloc(len + 1);
		memcpy(t, b, len);
		t[len] = 'x';
		spill(bad, t, len + 1);
		refused(bad, &s, "data after its end mark", "a byte appended");
		free(t);
	}
	free(b);

	/* chunks of another backup with the same key: the stream header differs */
	ok(backup_sealed(src, module_tables(), path("r2.varnbackup"), &s, &err) == 0,
	   "a second backup with the same key");
	{
		size_t l2;
		unsigned char *x = slurp(file, &len), *y = slurp(path("r2.varnbackup"), &l2);
		memcpy(x + S_HDR + S_CHUNK, y + S_HDR + S_CHUNK, S_CHUNK);
		spill(bad, x, len);
		refused(bad, &s, "chunk 2 does not authenticate", "a chunk from another backup");
		free(x);
		free(y);
	}

	/* something else under a backup's name */
	spill(bad, (const unsigned char *)"this is not a backup\n", 21);
	refused(bad, &s, "not a sealed Värn backup", "a text file");
	is_int(backup_sniff(bad), BACKUP_OTHER, "told apart");
	ok(restore_sealed(target, module_tables(), file, &s, NULL, NULL, &err) == 0,
	   "the untouched backup still restores into that same target: %s", err.msg);
	refusals_done();
	db_close(src);
}

/* Optional Ed25519 signature over the whole file. */
TEST(signed_backups)
{
	struct db *src = testdb_open(1), *dst;
	struct seal_secret s = key_secret(7), v = key_secret(7), nov = key_secret(7);
	unsigned char seed[32], pk[32], sk[64], seed2[32], pk2[32], sk2[64];
	const char *file = path("signed.varnbackup"), *plainf = path("unsigned.varnbackup");
	const char *bad = path("badsig.varnbackup");
	struct db_error err = { 0 };
	unsigned char *b;
	size_t len;

	use_tmpdir();
	memset(seed, 3, sizeof(seed));
	memset(seed2, 4, sizeof(seed2));
	backup_sign_keypair(seed, pk, sk);
	backup_sign_keypair(seed2, pk2, sk2);
	fill(src, 300);
	s.sign_sk = sk;
	ok(backup_sealed(src, module_tables(), file, &s, &err) == 0, "signed backup: %s", err.msg);
	ok(backup_signed(file), "the header says signed");
	nov.sign_sk = NULL;
	ok(backup_sealed(src, module_tables(), plainf, &nov, &err) == 0, "unsigned backup");
	ok(!backup_signed(plainf), "... says unsigned");
	ok(file_size(file) == file_size(plainf) + 64, "the signature is 64 bytes at the end");

	v.verify_pk = pk;
	dst = testdb_open(1);
	ok(restore_sealed(dst, module_tables(), file, &v, NULL, NULL, &err) == 0,
	   "restores with its verify key: %s", err.msg);
	same_rows(src, dst, "signed");
	db_close(dst);
	dst = testdb_open(1);
	ok(restore_sealed(dst, module_tables(), file, &nov, NULL, NULL, &err) == 0,
	   "restores without a verify key (the seal authenticates it): %s", err.msg);
	db_close(dst);

	v.verify_pk = pk2;
	refused(file, &v, "signature does not verify with the verify key given",
		"another verify key");
	v.verify_pk = pk;
	refused(plainf, &v, "is not signed, and a verify key was given", "an unsigned backup "
		"when a signature is demanded");
	flip(file, bad, file_size(file) - 10);
	refused(bad, &v, "signature does not verify", "a flipped byte in the signature");
	cut(file, bad, file_size(file) - 20);
	refused(bad, &nov, "its signature is missing or incomplete",
		"a cut signature, even unchecked");
	b = slurp(file, &len);
	b[10] = 0; /* the flag cleared and the signature taken off */
	spill(bad, b, len - 64);
	free(b);
	refused(bad, &nov, "chunk 1 does not authenticate", "a signature stripped with its flag");
	{
		unsigned char *t;
		b = slurp(file, &len);
		t = xmalloc(len + 1);
		memcpy(t, b, len);
		t[len] = 0;
		spill(bad, t, len + 1);
		free(t);
		free(b);
	}
	refused(bad, &v, "data after its signature", "data appended after the signature");
	refusals_done();
	db_close(src);
}

/* The old format: a plain SQLite backup is recognised, refused by the
 * sealed path, and restores only the old way (the CLI's --unsealed). */
TEST(unsealed_old_backups)
{
	struct db *src = testdb_open(1), *dst = testdb_open(1);
	struct seal_secret s = key_secret(7);
	const char *file = path("old.varnbackup");
	struct db_error err = { 0 };

	use_tmpdir();
	fill(src, 5);
	ok(db_backup(src, module_tables(), file, &err) == 0, "an unsealed backup");
	is_int(backup_sniff(file), BACKUP_UNSEALED, "recognised by its SQLite header");
	is_int(backup_sealed_mode(file), 0, "not sealed");
	refused(file, &s, "not a sealed Värn backup", "the sealed restore of an unsealed file");
	refusals_done();
	ok(db_restore(dst, module_tables(), file, &err) == 0, "the explicit unsealed "
	   "restore: %s", err.msg);
	same_rows(src, dst, "unsealed");
	db_close(src);
	db_close(dst);
}

TEST(backup_key_file)
{
	const char *k = path("x.backup-key");
	unsigned char a[32], b[32];
	struct db_error err = { 0 };
	struct stat st;
	char id1[17], id2[17];
	size_t len;
	unsigned char *text;

	unlink(k);
	is_int(backup_key_create(k, &err), 1, "made");
	ok(stat(k, &st) == 0 && (st.st_mode & 0777) == 0600, "mode 0600");
	text = slurp(k, &len);
	is_int(len, 65, "64 hex digits and a newline");
	free(text);
	ok(backup_key_load(k, a, &err) == 0, "loads");
	is_int(backup_key_create(k, &err), 0, "a second create keeps the key");
	ok(backup_key_load(k, b, &err) == 0 && memcmp(a, b, 32) == 0, "unchanged");
	backup_key_id(a, id1);
	backup_key_id(b, id2);
	is_str(id1, id2, "the key id is stable");
	is_int(strlen(id1), 16, "16 hex digits");
	{
		struct backup_tmp t;
		ok(backup_tmp_make(&t, &err) == 0 && stat(t.dir, &st) == 0 &&
		   (st.st_mode & 0777) == 0700, "the private temporary folder is 0700");
		backup_tmp_remove(&t);
		ok(stat(t.file, &st) != 0, "and is removed");
	}
	ok(backup_key_load(path("none.backup-key"), a, &err) == -1, "a missing key");
	has_str(err.msg, "there is no backup key", "says so");
	spill(path("bad.backup-key"), (const unsigned char *)"abc\n", 4);
	ok(backup_key_load(path("bad.backup-key"), a, &err) == -1, "a malformed key");
	has_str(err.msg, "not 64 hexadecimal digits", "says so");
}

TEST(retention_keeps_the_newest_n_of_ours)
{
	const char *dir = path("kept");
	const char *ours[] = { "varn-20260101T000000Z.varnbackup",
		"varn-20260102T000000Z.varnbackup", "varn-20260103T000000Z.varnbackup",
		"varn-20260104T120000Z.varnbackup", "varn-20260105T000000Z.varnbackup" };
	const char *others[] = { "varn-20260101T000000Z.varnbackup.tmp", "notes.txt",
		"varn-2026.varnbackup", "mine.varnbackup", "varn-20250101T000000Z.varnbackup" };
	struct db_error err = { 0 };
	int removed = -1;

	mkdir(dir, 0700);
	for (size_t i = 0; i < 5; i++)
		spill(arena_printf(&A, "%s/%s", dir, ours[i]),
		      (const unsigned char *)"VARNSEAL\x01\x01....", 14);
	/* others: a sealed file under another name, and one of our names that
	 * is not sealed (not made by Värn) */
	for (size_t i = 0; i < 4; i++)
		spill(arena_printf(&A, "%s/%s", dir, others[i]),
		      (const unsigned char *)"VARNSEAL\x01\x01....", 14);
	spill(arena_printf(&A, "%s/%s", dir, others[4]), (const unsigned char *)"x", 1);
	ok(backup_name_ours(ours[0]) && !backup_name_ours(others[0]) &&
	   !backup_name_ours(others[2]), "the name pattern");
	ok(backup_prune(dir, 2, &removed, &err) == 0, "prune: %s", err.msg);
	is_int(removed, 3, "three removed");
	for (size_t i = 0; i < 5; i++)
		ok(exists(arena_printf(&A, "%s/%s", dir, ours[i])) == (i >= 3),
		   "%s %s", ours[i], i >= 3 ? "kept (newest two)" : "removed");
	for (size_t i = 0; i < 5; i++)
		ok(exists(arena_printf(&A, "%s/%s", dir, others[i])), "%s untouched", others[i]);
	ok(backup_prune(dir, 0, &removed, &err) == -1, "keep 0 is refused");
}

TEST(scheduled_backup_job)
{
	struct db *db = testdb_open(1);
	const char *dir = path("scheduled"), *key = path("sched.backup-key");
	const struct job **list;
	const char *dup = NULL;
	struct buf log = BUF_INIT;
	struct db_error err = { 0 };
	struct seal_secret s = { .mode = SEAL_KEY };
	int64_t t0 = 1767225600; /* 2026-01-01 00:00 UTC */
	DIR *d;
	struct dirent *e;
	int n = 0;

	use_tmpdir();
	mkdir(dir, 0700);
	unlink(key);
	backup_key_create(key, &err);
	fill(db, 10);
	list = scheduler_gather(backup_job(dir, 1, 2, key), NULL, NULL, &dup);
	ok(list && strcmp(list[0]->name, "backup") == 0 && list[0]->period == 3600,
	   "the job: hourly");
	for (int h = 0; h < 4; h++)
		ok(scheduler_run_due(db, t0 + h * 3600 + 60, (const struct job *const *)list,
				     "backup", &log, NULL, &err) == 1, "run %d: %s", h, err.msg);
	has_str(log.p, "backup: ok: varn-20260101T030100Z.varnbackup written, 1 older removed",
		"the run's summary names the file and the removal");
	lacks_str(log.p, "failed", "no run failed");
	d = opendir(dir);
	while (d && (e = readdir(d)))
		n += backup_name_ours(e->d_name);
	if (d)
		closedir(d);
	is_int(n, 2, "two kept");
	ok(exists(arena_printf(&A, "%s/varn-20260101T030100Z.varnbackup", dir)) &&
	   exists(arena_printf(&A, "%s/varn-20260101T020100Z.varnbackup", dir)), "the newest two");
	is_int(one_int(db, "SELECT count(*) FROM job_run WHERE job = 'backup' AND outcome = 'ok'"),
	       4, "each run recorded");
	ok(backup_key_load(key, s.key, &err) == 0, "key");
	{
		struct db *dst = testdb_open(1);
		ok(restore_sealed(dst, module_tables(),
				  arena_printf(&A, "%s/varn-20260101T030100Z.varnbackup", dir),
				  &s, NULL, NULL, &err) == 0, "the scheduled backup restores: %s",
		   err.msg);
		is_int(one_int(dst, "SELECT count(*) FROM audit_event"), 10, "with its rows");
		db_close(dst);
	}
	free(list);
	buf_release(&log);
	db_close(db);
}

int main(void)
{
	int rc;

	log_quiet = 1;
	backup_fast_kdf = 1;
	rc = tap_run();
	arena_release(&A);
	return rc;
}
