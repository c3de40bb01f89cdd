/* test_backup.c - backup and restore across engines. */
#include "base/base.h"

#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/module.h"
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

int main(void)
{
	int rc;

	log_quiet = 1;
	rc = tap_run();
	arena_release(&A);
	return rc;
}
