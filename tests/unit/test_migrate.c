/* test_migrate.c - embedded, checksummed, forward-only migrations. */
#include "base/base.h"

#include <pthread.h>
#include <unistd.h>

#include "base/embedded.h"
#include "db/db.h"
#include "db/db_impl.h"
#include "tap.h"
#include "testdb.h"

/* db_status's output, into a string from the arena. */
static char *status_text(struct db *db, struct arena *a, int *rc,
			 struct db_error *err)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);
	char *s;

	*rc = db_status(db, f, err);
	fclose(f);
	s = arena_strdup(a, p ? p : "");
	free(p);
	return s;
}

static int64_t one_int(struct db *db, const char *sql)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct db_error err;
	int64_t v = -1;

	if (!db_exec(db, &a, sql, DB_NOARGS, &r, &err) && r.nrows)
		v = db_cell_i64(&r, 0, 0);
	arena_release(&a);
	return v;
}

TEST(dialects_pair_up)
{
	size_t i;

	for (i = 0; db_migrations_sqlite[i].name; i++) {
		ok(db_migrations_pg[i].name != NULL, "pg has %s",
		   db_migrations_sqlite[i].name);
		if (!db_migrations_pg[i].name)
			return;
		is_str(db_migrations_pg[i].name, db_migrations_sqlite[i].name,
		       "same name in both dialects");
	}
	ok(db_migrations_pg[i].name == NULL, "no extra pg migration");
	ok(i >= 1, "at least one migration embedded");
	is_int(db_migration_latest(db_migrations_sqlite),
	       db_migration_latest(db_migrations_pg), "same latest version");
}

TEST(fresh_database)
{
	struct db *db = testdb_open(0);
	struct arena a = ARENA_INIT;
	struct db_error err;
	int latest = db_migration_latest(db_migration_files(db));
	int embedded = 0;
	char *out;
	int rc;

	/* the numbers may have gaps (a branch's migration merged later) */
	for (const struct embedded_file *f = db_migration_files(db); f->name; f++)
		embedded++;

	is_int(db_schema_version(db, &err), 0, "version 0 before");
	is_int(db_migrate_check(db, db_migration_files(db), &err), embedded,
	       "all pending");
	out = status_text(db, &a, &rc, &err);
	is_int(rc, embedded, "db_status counts pending");
	has_str(out, "0001_foundation", "names the migration");
	has_str(out, "pending", "as pending");

	ok(db_migrate(db, &err) == 0, "migrates: %s", err.msg);
	is_int(db_schema_version(db, &err), latest, "at the latest version");
	out = status_text(db, &a, &rc, &err);
	is_int(rc, 0, "nothing pending");
	has_str(out, "checksum ok", "checksum ok");
	lacks_str(out, "pending", "no pending line");
	for (size_t i = 0; db_tables[i]; i++)
		ok(db_table_exists(db, db_tables[i], &err) == 1, "table %s",
		   db_tables[i]);
	is_int(one_int(db, "SELECT seq FROM audit_head WHERE id = 1"), 0,
	       "audit head seeded");

	ok(db_migrate(db, &err) == 0, "migrating again is a no-op");
	is_int(one_int(db, "SELECT count(*) FROM schema_migrations"), embedded,
	       "one row per migration");
	is_int(one_int(db, "SELECT count(*) FROM audit_head"), 1,
	       "seed rows not doubled");
	ok(db_in_transaction(db) == 0, "no transaction left open");
	arena_release(&a);
	db_close(db);
}

TEST(changed_and_unknown_refused)
{
	struct db *db = testdb_open(1);
	struct arena a = ARENA_INIT;
	struct db_error err;
	char *out;
	int rc;

	ok(db_exec_script(db, "UPDATE schema_migrations SET checksum = 'abc' "
			  "WHERE version = 1", &err) == 0, "tamper with a checksum");
	ok(db_migrate(db, &err) == -1, "migrate refuses");
	has_str(err.msg, "0001_foundation was changed", "names the changed one");
	out = status_text(db, &a, &rc, &err);
	is_int(rc, -1, "status reports an error");
	has_str(out, "CHANGED", "status shows CHANGED");
	ok(db_migrate_check(db, db_migration_files(db), &err) == -1,
	   "check refuses too");

	ok(db_exec_script(db, "DELETE FROM schema_migrations", &err) == 0 &&
	   db_exec_script(db, "INSERT INTO schema_migrations (version, name, "
			  "checksum, applied_at) VALUES (9999, 'future', 'x', 0)",
			  &err) == 0, "pretend a newer Värn migrated");
	ok(db_migrate(db, &err) == -1, "migrate refuses");
	has_str(err.msg, "9999_future", "names the unknown migration");
	has_str(err.msg, "does not know", "and says why");
	out = status_text(db, &a, &rc, &err);
	has_str(out, "UNKNOWN", "status shows UNKNOWN");
	arena_release(&a);
	db_close(db);
}

TEST(failed_migration_leaves_no_trace)
{
	struct db *db = testdb_open(0);
	struct db_error err;
	const struct embedded_file *base = db_migration_files(db);
	static const char good[] = "CREATE TABLE x2 (a INTEGER);";
	static const char bad[] =
		"CREATE TABLE x3 (a INTEGER);\n"
		"INSERT INTO x2 (a) VALUES (1);\n"
		"INSERT INTO no_such_table VALUES (1);\n";
	struct embedded_file files[4] = {
		base[0],
		{ "0002_good.sql", good, sizeof(good) - 1 },
		{ "0003_bad.sql", bad, sizeof(bad) - 1 },
		{ NULL, NULL, 0 },
	};
	static const char late[] = "CREATE TABLE x4 (a INTEGER);";
	struct embedded_file gap[3] = {
		base[0],
		{ "0003_late.sql", late, sizeof(late) - 1 },
		{ NULL, NULL, 0 },
	};
	struct embedded_file filled[4] = {
		base[0],
		{ "0002_good.sql", good, sizeof(good) - 1 },
		{ "0003_late.sql", late, sizeof(late) - 1 },
		{ NULL, NULL, 0 },
	};
	struct embedded_file badname[3] = {
		base[0],
		{ "2_x.sql", good, sizeof(good) - 1 },
		{ NULL, NULL, 0 },
	};

	ok(db_migrate_files(db, files, &err) == -1, "a failing migration fails");
	has_str(err.msg, "0003_bad failed", "named in the message");
	is_int(db_schema_version(db, &err), 2, "the ones before it stay applied");
	ok(db_table_exists(db, "x2", &err) == 1, "0002's table exists");
	ok(db_table_exists(db, "x3", &err) == 0, "0003's table was rolled back");
	is_int(one_int(db, "SELECT count(*) FROM x2"), 0,
	       "0003's insert was rolled back");
	ok(!db_in_transaction(db), "no transaction left open");
	ok(db_migrate_files(db, badname, &err) == -1, "badly named file refused");
	has_str(err.msg, "NNNN_name.sql", "says how to name it");

	{
		struct db *db2 = testdb_open(0);
		ok(db_migrate_files(db2, gap, &err) == 0, "0001 and 0003 applied");
		ok(db_migrate_files(db2, filled, &err) == -1,
		   "a new migration numbered below an applied one refused");
		ok(strstr(err.msg, "0002_good is not applied although later") != NULL,
		   "says which: %s", err.msg);
		db_close(db2);
	}
	db_close(db);
}

struct migrator {
	const char *url;
	int rc;
	char msg[512];
};

static void *migrate_thread(void *arg)
{
	struct migrator *m = arg;
	struct db_error err;
	struct db *db;

	m->rc = db_open(m->url, &db, &err);
	if (!m->rc) {
		m->rc = db_migrate(db, &err);
		db_close(db);
	}
	if (m->rc)
		snprintf(m->msg, sizeof(m->msg), "%s", err.msg);
	return NULL;
}

TEST(concurrent_migrations_take_turns)
{
	const char *url = testdb_url();
	struct migrator m[4];
	pthread_t t[4];
	struct db *db;
	struct db_error err;

	for (int i = 0; i < 4; i++) {
		m[i] = (struct migrator){ .url = url };
		pthread_create(&t[i], NULL, migrate_thread, &m[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		ok(m[i].rc == 0, "migrator %d: %s", i, m[i].msg);
	}
	db_open(url, &db, &err);
	is_int(db_schema_version(db, &err),
	       db_migration_latest(db_migration_files(db)), "migrated once");
	is_int(one_int(db, "SELECT count(*) FROM audit_head"), 1,
	       "seed applied once");
	db_close(db);
}

static void *migrate_short_lock_timeout(void *arg)
{
	struct migrator *m = arg;
	struct db_error err;
	struct db *db;

	m->rc = db_open(m->url, &db, &err);
	if (!m->rc) {
		/* as if the other's migration took longer than lock_timeout */
		m->rc = db_exec(db, NULL, "SET lock_timeout = 200", DB_NOARGS, NULL, &err);
		if (!m->rc)
			m->rc = db_migrate(db, &err);
		db_close(db);
	}
	if (m->rc)
		snprintf(m->msg, sizeof(m->msg), "%s", err.msg);
	return NULL;
}

/* A server that starts while another migrates waits for it however long
 * the migration takes: the wait for the lock is not cut by lock_timeout
 * (issue 14: several servers started at once on an old database). */
TEST(a_long_migration_elsewhere_is_waited_for)
{
	const char *url = testdb_url();
	struct migrator m = { .url = url };
	struct db_error err;
	struct db *holder;
	pthread_t t;

	if (!testdb_is_pg()) {
		ok(1, "SQLite: BEGIN IMMEDIATE serialises migrations (busy timeout)");
		return;
	}
	ok(db_open(url, &holder, &err) == 0 && db_begin(holder, &err) == 0 &&
	   db_exec(holder, NULL, "SELECT pg_advisory_xact_lock(1447121518)", DB_NOARGS,
		   NULL, &err) == 0, "another process holds the migration lock");
	pthread_create(&t, NULL, migrate_short_lock_timeout, &m);
	usleep(1000 * 1000); /* five times the waiting connection's lock_timeout */
	db_rollback(holder);
	pthread_join(t, NULL);
	ok(m.rc == 0, "the waiting server migrated once the lock was free: %s", m.msg);
	is_int(db_schema_version(holder, &err), db_migration_latest(db_migration_files(holder)),
	       "up to date");
	db_close(holder);
}

/* An organisation's data from before 0005 (issue 7) survives it, and a set
 * never classified, which the old engine stored with 0 in each level, has
 * no level afterwards: never "0 Försumbar" (covers R-3-04). */
TEST(register_data_from_before_0005)
{
	struct db *db = testdb_open(0);
	const struct embedded_file *all = db_migration_files(db);
	struct embedded_file upto4[5] = { { 0 } };
	struct db_error err;
	struct arena a = ARENA_INIT;
	size_t n = 0;
	static const char *const old_data[] = {
		"INSERT INTO organisation (id, slug, name, name_sk, kind, created_at, updated_at)"
		" VALUES (7, 'gamla', 'Gamla kommun', 'gamla kommun', 'kommun', 1, 1)",
		"INSERT INTO information_set (id, org_id, name, name_sk, level_k, level_r, level_t,"
		" level_s, created_at, updated_at) VALUES (11, 7, 'Aldrig klassad', 'aldrig',"
		" 0, 0, 0, 0, 1, 1)",
		"INSERT INTO information_set (id, org_id, name, name_sk, level_k, level_r, level_t,"
		" level_s, classified_on, created_at, updated_at) VALUES (12, 7, 'Klassad',"
		" 'klassad', 2, 1, 3, 0, '2026-01-01', 1, 1)",
		"INSERT INTO it_system (id, org_id, name, name_sk, created_at, updated_at)"
		" VALUES (21, 7, 'Oklassat system', 'oklassat', 1, 1)",
		"INSERT INTO it_system (id, org_id, name, name_sk, created_at, updated_at)"
		" VALUES (22, 7, 'Klassat system', 'klassat', 1, 1)",
		"INSERT INTO system_information (id, org_id, system_id, infoset_id, created_at,"
		" updated_at) VALUES (31, 7, 21, 11, 1, 1)",
		"INSERT INTO system_information (id, org_id, system_id, infoset_id, created_at,"
		" updated_at) VALUES (32, 7, 22, 11, 1, 1)",
		"INSERT INTO system_information (id, org_id, system_id, infoset_id, created_at,"
		" updated_at) VALUES (33, 7, 22, 12, 1, 1)",
	};

	for (; all[n].name && n < 4; n++)
		upto4[n] = all[n];
	ok(n == 4 && strncmp(upto4[3].name, "0004", 4) == 0, "the first four migrations");
	ok(db_migrate_files(db, upto4, &err) == 0, "applied: %s", err.msg);
	for (size_t i = 0; i < ARRAY_SIZE(old_data); i++)
		ok(db_exec(db, &a, old_data[i], DB_NOARGS, NULL, &err) == 0, "old row %zu: %s", i,
		   err.msg);
	ok(db_migrate(db, &err) == 0, "the rest applied: %s", err.msg);
	is_int(one_int(db, "SELECT count(*) FROM information_set WHERE id = 11 AND level_k IS NULL"
		       " AND level_r IS NULL AND level_t IS NULL AND level_s IS NULL"), 1,
	       "the set never classified has no level, not 0");
	is_int(one_int(db, "SELECT level_k * 1000 + level_r * 100 + level_t * 10 + level_s"
		       " FROM information_set WHERE id = 12"), 2130, "the classified set keeps its own");
	is_int(one_int(db, "SELECT count(*) FROM it_system WHERE id = 21 AND level_k IS NULL"
		       " AND level_max IS NULL AND infosets_total = 1 AND infosets_unclassified = 1"),
	       1, "a system of unclassified information is not classified either");
	is_int(one_int(db, "SELECT level_k * 1000 + level_r * 100 + level_t * 10 + level_s"
		       " FROM it_system WHERE id = 22"), 2130,
	       "a system's levels come from its classified information");
	is_int(one_int(db, "SELECT infosets_total * 10 + infosets_unclassified + 100 * level_max"
		       " FROM it_system WHERE id = 22"), 321, "two sets, one unclassified, highest 3");
	is_int(one_int(db, "SELECT count(*) FROM system_information WHERE id IN (31, 32, 33)"),
	       3, "the links keep their ids");
	arena_release(&a);
	db_close(db);
}

int main(void)
{
	log_quiet = 1;
	return tap_run();
}
