/* test_db.c - the storage interface, on the engine VARN_TEST_DB chooses. */
#include "base/base.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_impl.h"
#include "tap.h"
#include "testdb.h"

static const char sql_add_org[] =
	"INSERT INTO organisation (slug, name, name_sk, kind, org_number, "
	"created_at, updated_at, created_by) "
	"VALUES ($1, $2, $3, 'kommun', $4, $5, $5, $6) RETURNING id";
static const char sql_get_org[] =
	"SELECT id, slug, name, org_number, created_at, created_by, version "
	"FROM organisation WHERE id = $1";
static const char sql_count_org[] = "SELECT count(*) FROM organisation";

static int64_t add_org(struct db *db, const char *slug, struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	int64_t id = -1;

	if (!db_exec(db, &a, sql_add_org,
		     DB_ARGS(DB_TEXT(slug), DB_TEXT(slug), DB_TEXT(slug),
			     DB_NULL, DB_INT(1700000000), DB_NULL), &r, err))
		id = db_cell_i64(&r, 0, 0);
	arena_release(&a);
	return id;
}

static int64_t count_orgs(struct db *db)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct db_error err;
	int64_t n = -1;

	if (!db_exec(db, &a, sql_count_org, DB_NOARGS, &r, &err))
		n = db_cell_i64(&r, 0, 0);
	arena_release(&a);
	return n;
}

static const char *one_text(struct db *db, const char *sql)
{
	static char v[128];
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct db_error err;

	v[0] = '\0';
	if (!db_exec(db, &a, sql, DB_NOARGS, &r, &err) && r.nrows &&
	    db_cell(&r, 0, 0))
		snprintf(v, sizeof(v), "%s", db_cell(&r, 0, 0));
	arena_release(&a);
	return v;
}

static int64_t count_pid(struct db *db)
{
	int64_t pid = 0;

	parse_i64(one_text(db, "SELECT pg_backend_pid()"), &pid);
	return pid;
}

static int kill_backend(struct db *killer, int64_t pid)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct db_error err;
	int done = 0;

	if (!db_exec(killer, &a, "SELECT pg_terminate_backend(CAST($1 AS integer))",
		     DB_ARGS(DB_INT(pid)), &r, &err))
		done = strcmp(db_cell(&r, 0, 0), "t") == 0;
	arena_release(&a);
	/* the backend leaves asynchronously */
	usleep(200 * 1000);
	return done;
}

TEST(open_and_urls)
{
	struct db_error err;
	struct db *db;
	const char *url = testdb_url();

	ok(db_open(url, &db, &err) == 0, "opens %s", url);
	is_int(db_kind(db), testdb_is_pg() ? DB_PG : DB_SQLITE, "kind");
	is_str(db_url(db), url, "db_url gives the URL back");
	db_close(db);
	ok(db_open("mysql://x", &db, &err) == -1 && db == NULL,
	   "unknown scheme refused");
	has_str(err.msg, "unknown database URL", "says why");
	ok(db_open("sqlite:", &db, &err) == -1, "sqlite: without a file refused");
	ok(db_open("sqlite:/nonexistent-dir/x/y.db", &db, &err) == -1,
	   "unopenable file refused");
	has_str(err.msg, "cannot open", "with a message");
}

TEST(params_of_every_type)
{
	struct db *db = testdb_open(1);
	struct arena a = ARENA_INIT;
	struct db_error err;
	struct db_rows r;
	int64_t id;

	id = 0;
	ok(db_exec(db, &a, sql_add_org,
		   DB_ARGS(DB_TEXT("malmo"), DB_TEXT("Malmö stad"),
			   DB_TEXT("malmo"), DB_TEXT("212000-1124"),
			   DB_INT(INT64_MAX), DB_INT(INT64_MIN)),
		   &r, &err) == 0, "insert with text, int and extreme ints: %s",
	   err.msg);
	is_int(r.nrows, 1, "RETURNING gives a row");
	is_int(r.changes, 1, "INSERT ... RETURNING reports one change");
	id = db_cell_i64(&r, 0, 0);
	ok(id > 0, "id assigned");
	ok(db_exec(db, &a, sql_get_org, DB_ARGS(DB_INT(id)), &r, &err) == 0,
	   "select");
	is_int(r.nrows, 1, "one row");
	is_int(r.ncols, 7, "seven columns");
	is_str(r.names[1], "slug", "column names");
	is_int(db_col(&r, "created_by"), 5, "db_col finds a column");
	is_int(db_col(&r, "nope"), -1, "db_col: -1 for none");
	is_str(db_cell(&r, 0, 2), "Malmö stad", "text");
	is_str(db_cell(&r, 0, 3), "212000-1124", "text with digits stays text");
	is_str(db_cell(&r, 0, 4), "9223372036854775807", "INT64_MAX as text");
	is_str(db_cell(&r, 0, 5), "-9223372036854775808", "INT64_MIN as text");
	ok(db_cell_i64(&r, 0, 4) == INT64_MAX, "db_cell_i64 max");
	ok(db_cell_i64(&r, 0, 5) == INT64_MIN, "db_cell_i64 min");
	is_str(db_cell(&r, 0, 6), "1", "default applied");
	is_int(r.changes, 0, "SELECT reports no changes");
	is_int(db_cell_i64(&r, 0, 1), 0, "db_cell_i64 of text is 0");

	ok(db_exec(db, &a, "SELECT $1 + 1, $2 * 2 FROM organisation WHERE id = $3",
		   DB_ARGS(DB_INT(41), DB_INT(4000000000), DB_INT(id)), &r,
		   &err) == 0, "integer arithmetic on parameters: %s", err.msg);
	is_str(db_cell(&r, 0, 0), "42", "$1 + 1");
	is_str(db_cell(&r, 0, 1), "8000000000", "64-bit product");
	ok(db_exec(db, &a, "SELECT id FROM organisation ORDER BY id LIMIT $1",
		   DB_ARGS(DB_INT(0)), &r, &err) == 0 && r.nrows == 0,
	   "LIMIT $1 with an integer");
	is_int(r.ncols, 1, "an empty result still has its columns");
	is_str(r.names[0], "id", "and their names");
	arena_release(&a);
	db_close(db);
}

TEST(null_and_unicode)
{
	static const char *const texts[] = {
		"Åsa Öberg", "ÄÖÅ äöå é ü ø æ", "–„“”…", "🔒 säkerhet",
		"tab\tand\nnewline", "quote ' and \" and \\ backslash",
		"", "$1 not a parameter", "?1 nor this",
	};
	struct db *db = testdb_open(1);
	struct arena a = ARENA_INIT;
	struct db_error err;
	struct db_rows r;

	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		char slug[16];
		int64_t id;
		snprintf(slug, sizeof(slug), "s%zu", i);
		ok(db_exec(db, &a, sql_add_org,
			   DB_ARGS(DB_TEXT(slug), DB_TEXT(texts[i]), DB_TEXT(slug),
				   DB_TEXT(NULL), DB_INT(1), DB_NULL),
			   &r, &err) == 0, "insert %zu: %s", i, err.msg);
		id = db_cell_i64(&r, 0, 0);
		db_exec(db, &a, sql_get_org, DB_ARGS(DB_INT(id)), &r, &err);
		is_str(db_cell(&r, 0, 2), texts[i], "text round trip");
		ok(db_cell(&r, 0, 3) == NULL, "DB_TEXT(NULL) stored SQL NULL");
		ok(db_cell(&r, 0, 5) == NULL, "DB_NULL stored SQL NULL");
		is_int(db_cell_i64(&r, 0, 5), 0, "db_cell_i64(NULL) is 0");
	}
	arena_release(&a);
	db_close(db);
}

TEST(constraint_errors_mapped)
{
	struct db *db = testdb_open(1);
	struct arena a = ARENA_INIT;
	struct db_error err;
	int64_t org = add_org(db, "lund", &err);

	ok(org > 0, "organisation added");
	ok(add_org(db, "lund", &err) == -1, "duplicate slug refused");
	is_int(err.code, DBE_UNIQUE, "as DBE_UNIQUE");
	ok(err.msg[0] != '\0', "with an engine message: %s", err.msg);

	ok(db_exec(db, &a, "INSERT INTO unit (org_id, name, name_sk, kind, "
		   "created_at, updated_at) VALUES ($1, 'x', 'x', 'x', 0, 0)",
		   DB_ARGS(DB_INT(9999)), NULL, &err) == -1,
	   "unit of a missing organisation refused");
	is_int(err.code, DBE_FOREIGN, "as DBE_FOREIGN");

	ok(db_exec(db, &a, "INSERT INTO unit (org_id, name, name_sk, kind, "
		   "created_at, updated_at) VALUES ($1, $2, 'x', 'x', 0, 0)",
		   DB_ARGS(DB_INT(org), DB_NULL), NULL, &err) == -1,
	   "NULL name refused");
	is_int(err.code, DBE_CHECK, "NOT NULL as DBE_CHECK");

	ok(db_exec(db, &a, "INSERT INTO unit (org_id, name, name_sk, kind, "
		   "created_at, updated_at) VALUES ($1, 'x', 'x', 'x', $2, 0)",
		   DB_ARGS(DB_INT(org), DB_TEXT("yesterday")), NULL, &err) == -1,
	   "text in an integer column refused (STRICT / bigint)");
	is_int(err.code, DBE_CHECK, "as DBE_CHECK");
	ok(db_exec(db, &a, "INSERT INTO unit (org_id, name, name_sk, kind, "
		   "created_at, updated_at) VALUES ($1, 'x', 'x', 'x', $2, 0)",
		   DB_ARGS(DB_INT(org), DB_TEXT("17")), NULL, &err) == 0,
	   "digits as text go into an integer column on both engines");

	ok(db_exec(db, &a, "SELECT * FROM no_such_table", DB_NOARGS, NULL,
		   &err) == -1, "missing table is an error");
	is_int(err.code, DBE_OTHER, "as DBE_OTHER");
	ok(db_exec(db, &a, "SELECT 1; SELECT 2", DB_NOARGS, NULL, &err) == -1,
	   "two statements in one db_exec refused");
	arena_release(&a);
	db_close(db);
}

TEST(transactions)
{
	struct db *db = testdb_open(1);
	struct db_error err;

	ok(!db_in_transaction(db), "none at first");
	ok(db_begin(db, &err) == 0, "begin");
	ok(db_in_transaction(db), "in a transaction");
	ok(db_begin(db, &err) == -1, "nested begin refused");
	ok(add_org(db, "a", &err) > 0, "insert inside");
	is_int(count_orgs(db), 1, "visible inside");
	db_rollback(db);
	ok(!db_in_transaction(db), "rolled back");
	is_int(count_orgs(db), 0, "rollback really rolled back");

	ok(db_begin(db, &err) == 0, "begin");
	ok(add_org(db, "b", &err) > 0, "insert");
	ok(db_commit(db, &err) == 0, "commit");
	is_int(count_orgs(db), 1, "committed row stays");
	ok(db_commit(db, &err) == -1, "commit without a transaction refused");

	/* After a failed statement both engines refuse more work until the
	 * caller rolls back (PostgreSQL's rule, enforced on SQLite too). */
	ok(db_begin(db, &err) == 0, "begin");
	ok(add_org(db, "c", &err) > 0, "insert c");
	ok(add_org(db, "b", &err) == -1 && err.code == DBE_UNIQUE,
	   "a failing statement");
	ok(add_org(db, "d", &err) == -1, "the next statement is refused");
	has_str(err.msg, "roll", "telling to roll back");
	ok(db_commit(db, &err) == -1, "commit of a failed transaction refused");
	ok(!db_in_transaction(db), "and it was rolled back");
	is_int(count_orgs(db), 1, "nothing of it was written");
	ok(add_org(db, "d", &err) > 0, "the connection works again");

	/* a deferred foreign key that fails at COMMIT ends the transaction */
	ok(db_begin(db, &err) == 0, "begin");
	ok(db_exec_script(db, db_kind(db) == DB_PG ? "SET CONSTRAINTS ALL DEFERRED"
			  : "PRAGMA defer_foreign_keys = ON", &err) == 0,
	   "defer foreign keys");
	ok(db_exec(db, NULL, "INSERT INTO unit (org_id, name, name_sk, kind, "
		   "created_at, updated_at) VALUES (4242, 'x', 'x', 'x', 0, 0)",
		   DB_NOARGS, NULL, &err) == 0, "dangling reference accepted for now");
	ok(db_commit(db, &err) == -1, "commit refused");
	is_int(err.code, DBE_FOREIGN, "as DBE_FOREIGN");
	ok(!db_in_transaction(db), "no transaction left open");

	ok(db_begin_snapshot(db, &err) == 0, "snapshot");
	ok(db_in_transaction(db), "is a transaction");
	is_int(count_orgs(db), 2, "reads");
	ok(db_commit(db, &err) == 0, "ends");
	db_close(db);
}

TEST(snapshot_is_stable)
{
	const char *url = testdb_url();
	struct db *a, *b;
	struct db_error err;

	db_open(url, &a, &err);
	db_migrate(a, &err);
	db_open(url, &b, &err);
	add_org(a, "one", &err);
	ok(db_begin_snapshot(b, &err) == 0, "snapshot on b");
	is_int(count_orgs(b), 1, "b sees one");
	ok(add_org(a, "two", &err) > 0, "a writes meanwhile: %s", err.msg);
	is_int(count_orgs(b), 1, "b still sees one");
	db_rollback(b);
	is_int(count_orgs(b), 2, "after the snapshot b sees two");
	db_close(a);
	db_close(b);
}

TEST(busy_is_mapped)
{
	const char *url = testdb_url();
	struct db *a, *b;
	struct db_error err;
	int64_t id;
	int rc;

	db_open(url, &a, &err);
	db_migrate(a, &err);
	db_open(url, &b, &err);
	id = add_org(a, "x", &err);
	ok(db_set_lock_timeout(b, 100, &err) == 0, "short lock timeout on b");
	ok(db_begin(a, &err) == 0, "a begins");
	ok(db_exec(a, NULL, "UPDATE organisation SET name = 'a' WHERE id = $1",
		   DB_ARGS(DB_INT(id)), NULL, &err) == 0, "a writes");
	/* SQLite refuses b's BEGIN IMMEDIATE; PostgreSQL its UPDATE */
	rc = db_begin(b, &err);
	if (!rc)
		rc = db_exec(b, NULL, "UPDATE organisation SET name = 'b' "
			     "WHERE id = $1", DB_ARGS(DB_INT(id)), NULL, &err);
	ok(rc == -1, "b cannot write meanwhile");
	is_int(err.code, DBE_BUSY, "as DBE_BUSY");
	db_rollback(b);
	ok(db_commit(a, &err) == 0, "a commits");
	db_close(a);
	db_close(b);
}

TEST(time_limit)
{
	/* counts to a billion: minutes without a limit, on either engine */
	static const char slow[] =
		"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c"
		" WHERE x < 1000000000) SELECT count(*) FROM c";
	struct db *db = testdb_open(0);
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct db_error err;
	struct timespec t0, t1;
	long ms;

	ok(db_set_time_limit(db, 50, &err) == 0, "a limit of 50 ms");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ok(db_exec(db, &a, slow, DB_NOARGS, &r, &err) == -1, "a long statement is stopped");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	is_int(err.code, DBE_TIMEOUT, "as DBE_TIMEOUT");
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ok(ms >= 40 && ms < 2000, "after about its limit (%ld ms)", ms);
	ok(db_exec(db, &a, "SELECT 1", DB_NOARGS, &r, &err) == 0 && r.nrows == 1,
	   "a short one runs under the same limit, each statement has its own");
	ok(db_set_time_limit(db, 0, &err) == 0, "the limit lifted");
	ok(db_exec(db, &a, "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1"
		   " FROM c WHERE x < 200000) SELECT count(*) FROM c", DB_NOARGS, &r, &err) == 0,
	   "a longer statement runs to its end: %s", err.msg);
	arena_release(&a);
	db_close(db);
}

TEST(version_conflict)
{
	static const char upd[] =
		"UPDATE organisation SET name = $1, version = version + 1 "
		"WHERE id = $2 AND version = $3";
	struct db *db = testdb_open(1);
	struct arena a = ARENA_INIT;
	struct db_error err;
	struct db_rows r;
	int64_t id = add_org(db, "v", &err);

	ok(db_exec(db, &a, upd, DB_ARGS(DB_TEXT("first"), DB_INT(id), DB_INT(1)),
		   &r, &err) == 0, "update at version 1");
	is_int(r.changes, 1, "one row changed");
	ok(db_exec(db, &a, upd, DB_ARGS(DB_TEXT("stale"), DB_INT(id), DB_INT(1)),
		   &r, &err) == 0, "second update with the old version runs");
	is_int(r.changes, 0, "but changes nothing: the lost race is visible");
	db_exec(db, &a, sql_get_org, DB_ARGS(DB_INT(id)), &r, &err);
	is_str(db_cell(&r, 0, 2), "first", "first writer's name kept");
	is_str(db_cell(&r, 0, 6), "2", "version 2");
	add_org(db, "w", &err);
	ok(db_exec(db, &a, "DELETE FROM organisation WHERE id > $1",
		   DB_ARGS(DB_INT(0)), &r, &err) == 0, "delete");
	is_int(r.changes, 2, "DELETE reports two");
	ok(db_exec(db, &a, "CREATE TABLE tmp_x (a INTEGER)", DB_NOARGS, &r,
		   &err) == 0, "DDL through db_exec");
	is_int(r.changes, 0, "DDL reports no changes");
	arena_release(&a);
	db_close(db);
}

TEST(placeholders)
{
	struct db *db = testdb_open(0);
	struct arena a = ARENA_INIT;
	struct db_error err;
	struct db_rows r;

	ok(db_exec(db, &a, "SELECT '$1', 'it''s $2', $1 + 0 /* $2 */ -- $3",
		   DB_ARGS(DB_INT(7)), &r, &err) == 0,
	   "$N inside literals and comments is not a parameter: %s", err.msg);
	is_str(db_cell(&r, 0, 0), "$1", "literal '$1' untouched");
	is_str(db_cell(&r, 0, 1), "it's $2", "literal with a quote untouched");
	is_str(db_cell(&r, 0, 2), "7", "the real $1 bound");
	ok(db_exec(db, &a, "SELECT $2 + 0, $1 + 0, $2 + $1",
		   DB_ARGS(DB_INT(1), DB_INT(2)), &r, &err) == 0,
	   "out of order and repeated");
	is_str(db_cell(&r, 0, 0), "2", "$2");
	is_str(db_cell(&r, 0, 1), "1", "$1");
	is_str(db_cell(&r, 0, 2), "3", "$2 + $1");
	ok(db_exec(db, &a, "SELECT $1 + $2", DB_ARGS(DB_INT(1)), &r, &err) == -1,
	   "too few parameters refused");
	if (!testdb_is_pg())
		ok(db_exec(db, &a, "SELECT $1 + 0", DB_ARGS(DB_INT(1), DB_INT(2)),
			   &r, &err) == -1, "too many parameters refused");
	arena_release(&a);
	db_close(db);
}

TEST(statement_cache)
{
	struct db *db = testdb_open(1);
	struct db_stats s0, s1;
	struct db_error err;
	char sql[64];

	add_org(db, "warm", &err);
	db_get_stats(db, &s0);
	for (int i = 0; i < 10; i++) {
		char slug[16];
		snprintf(slug, sizeof(slug), "c%d", i);
		add_org(db, slug, &err);
	}
	db_get_stats(db, &s1);
	is_int(s1.queries - s0.queries, 10, "ten queries counted");
	is_int(s1.prepares - s0.prepares, 0, "no statement compiled again");
	is_int(count_orgs(db), 11, "all ran");

	/* A caller that reuses a buffer for other SQL (against the rules)
	 * still gets the right statement. */
	snprintf(sql, sizeof(sql), "SELECT 1 + 0");
	{
		struct arena a = ARENA_INIT;
		struct db_rows r;
		db_exec(db, &a, sql, DB_NOARGS, &r, &err);
		is_str(db_cell(&r, 0, 0), "1", "first text");
		snprintf(sql, sizeof(sql), "SELECT 2 + 0");
		db_exec(db, &a, sql, DB_NOARGS, &r, &err);
		is_str(db_cell(&r, 0, 0), "2", "changed text at the same address");
		db_forget(db, sql);
		arena_release(&a);
	}
	db_get_stats(db, &s0);
	for (int i = 0; i < 2; i++) {
		static const char q[] = "SELECT count(*) FROM app_user";
		db_exec(db, NULL, q, DB_NOARGS, NULL, &err);
	}
	db_get_stats(db, &s1);
	is_int(s1.prepares - s0.prepares, 1, "a new statement is compiled once");
	db_close(db);
}

TEST(statements_counted_with_transactions_and_traced_on_demand)
{
	struct db *db = testdb_open(1);
	struct db_error err;
	const char *const *t;
	size_t n;

	db_statements_reset(db);
	is_int(db_statements(db), 0, "reset to 0");
	is_int(db_begin(db, &err), 0, "begin");
	add_org(db, "s1", &err);
	is_int(db_commit(db, &err), 0, "commit");
	is_int(db_statements(db), 3, "BEGIN, the INSERT and COMMIT");
	t = db_trace_list(db, &n);
	is_int(n, 0, "no texts kept unless asked");
	db_rollback(db);
	is_int(db_statements(db), 3, "a rollback with nothing open sends nothing");

	db_trace(db, 1);
	db_begin(db, &err);
	count_orgs(db);
	db_rollback(db);
	is_int(db_statements(db), 6, "BEGIN, the SELECT and ROLLBACK");
	t = db_trace_list(db, &n);
	is_int(n, 3, "three texts kept");
	if (n == 3) {
		has_str(t[0], "BEGIN", "the first");
		has_str(t[1], "SELECT", "the second");
		is_str(t[2], "ROLLBACK", "the third");
	}
	db_statements_reset(db);
	t = db_trace_list(db, &n);
	is_int(n + db_statements(db), 0, "reset forgets the texts too");
	db_trace(db, 0);
	count_orgs(db);
	t = db_trace_list(db, &n);
	is_int(n, 0, "off: nothing kept");
	is_int(db_statements(db), 1, "but still counted");
	db_close(db);
}

TEST(scripts)
{
	struct db *db = testdb_open(0);
	struct arena a = ARENA_INIT;
	struct db_error err;
	struct db_rows r;

	ok(db_exec_script(db, "CREATE TABLE s1 (a INTEGER); "
			  "INSERT INTO s1 VALUES (1); INSERT INTO s1 VALUES (2);",
			  &err) == 0, "several statements");
	db_exec(db, &a, "SELECT sum(a) FROM s1", DB_NOARGS, &r, &err);
	is_str(db_cell(&r, 0, 0), "3", "all ran");
	ok(db_exec_script(db, "INSERT INTO s1 VALUES (3); SELEKT", &err) == -1,
	   "syntax error reported");
	ok(db_table_exists(db, "s1", &err) == 1, "db_table_exists yes");
	ok(db_table_exists(db, "s2", &err) == 0, "db_table_exists no");
	arena_release(&a);
	db_close(db);
}

TEST(pg_reconnects)
{
	const char *url;
	struct db *victim, *killer;
	struct db_error err;
	int64_t pid;

	if (!testdb_is_pg()) {
		printf("# skipped: PostgreSQL only\n");
		return;
	}
	url = testdb_url();
	db_open(url, &victim, &err);
	db_open(url, &killer, &err);
	db_migrate(victim, &err);

	/* killed while idle: one statement fails, then it reconnects */
	pid = count_pid(victim);
	ok(kill_backend(killer, pid), "backend %" PRId64 " terminated", pid);
	ok(add_org(victim, "a", &err) == -1, "the next statement fails");
	ok(add_org(victim, "b", &err) > 0, "the one after reconnects: %s",
	   err.msg);
	is_str(one_text(victim, "SHOW TIME ZONE"), "UTC",
	       "session settings applied again");

	/* killed inside a transaction: no silent autocommit afterwards */
	ok(db_begin(victim, &err) == 0, "begin");
	ok(add_org(victim, "c", &err) > 0, "write inside");
	kill_backend(killer, count_pid(victim));
	ok(add_org(victim, "d", &err) == -1, "fails");
	ok(db_in_transaction(victim), "still a transaction for the caller");
	ok(add_org(victim, "e", &err) == -1, "refused until rolled back");
	ok(db_commit(victim, &err) == -1, "commit reports the loss");
	ok(!db_in_transaction(victim), "over");
	ok(add_org(victim, "f", &err) > 0, "works again: %s", err.msg);
	is_int(count_orgs(victim), 2, "only the autocommitted rows exist");
	db_close(victim);
	db_close(killer);
}

struct getter {
	struct db_pool *pool;
	struct db *got;
	atomic_int done;
};

static void *get_one(void *arg)
{
	struct getter *g = arg;

	g->got = db_pool_get(g->pool);
	atomic_store(&g->done, 1);
	return NULL;
}

struct worker {
	struct db_pool *pool;
	int id, failures;
};

static void *work(void *arg)
{
	struct worker *w = arg;

	for (int i = 0; i < 20; i++) {
		struct db *db = db_pool_get(w->pool);
		struct db_error err;
		char slug[32];
		snprintf(slug, sizeof(slug), "w%d-%d", w->id, i);
		if (db_begin(db, &err) || add_org(db, slug, &err) < 0 ||
		    db_commit(db, &err)) {
			w->failures++;
			db_rollback(db);
		}
		db_pool_put(w->pool, db);
	}
	return NULL;
}

TEST(pool)
{
	const char *url = testdb_url();
	struct db_pool *pool;
	struct db_error err;
	struct db *a, *b, *db;
	struct getter g = { 0 };
	struct worker w[4];
	pthread_t t[4];
	int failures = 0;

	ok(db_pool_open("nope://", 2, &pool, &err) == -1, "bad URL fails at once");
	ok(db_pool_open(url, 2, &pool, &err) == 0, "pool of two");
	a = db_pool_get(pool);
	b = db_pool_get(pool);
	ok(a && b && a != b, "two distinct connections");
	ok(db_migrate(a, &err) == 0, "migrate through one");
	g.pool = pool;
	pthread_create(&t[0], NULL, get_one, &g);
	usleep(200 * 1000);
	ok(!atomic_load(&g.done), "a third get blocks while none is free");
	db_pool_put(pool, a);
	pthread_join(t[0], NULL);
	ok(atomic_load(&g.done) && g.got == a, "and gets the one put back");
	db_pool_put(pool, g.got);
	ok(db_begin(b, &err) == 0, "b begins");
	db_pool_put(pool, b);
	db = db_pool_get(pool);
	ok(!db_in_transaction(db), "a connection comes back without a transaction");
	db_pool_put(pool, db);

	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){ pool, i, 0 };
		pthread_create(&t[i], NULL, work, &w[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		failures += w[i].failures;
	}
	is_int(failures, 0, "four threads, two connections, no failure");
	db = db_pool_get(pool);
	is_int(count_orgs(db), 80, "every write arrived");
	db_pool_put(pool, db);
	db_pool_close(pool);
}

/* SQLite's plan for one reporter's rows of plan_t, its steps joined. */
static void query_plan(struct db *db, struct arena *a, char *plan, size_t size)
{
	struct db_rows r;
	struct db_error err;

	plan[0] = 0;
	if (db_exec(db, a, "EXPLAIN QUERY PLAN SELECT at FROM plan_t WHERE org = 1"
		    " AND reporter = 7 AND archived = 0 LIMIT 10", DB_NOARGS, &r, &err) == 0)
		for (size_t i = 0; i < r.nrows; i++)
			snprintf(plan + strlen(plan), size - strlen(plan), "%s;",
				 db_cell(&r, i, r.ncols - 1));
}

/* covers issue 14: the planner's statistics.  Two indexes of the same
 * width: without statistics SQLite takes the one declared last (here the
 * one that selects nothing, as the incidents' were); after db_analyze it
 * takes the one that selects (the start page's "my open reports" at
 * 100,000 incidents). */
TEST(analyze_lets_the_planner_choose_the_selective_index)
{
	struct arena a = ARENA_INIT;
	struct db_error err;
	struct db_rows r;
	struct db *db;
	char plan[512];

	if (db_open(testdb_url(), &db, &err) != 0) {
		ok(0, "open: %s", err.msg);
		return;
	}
	if (testdb_is_pg()) {
		ok(db_analyze(db, &err) == 0, "on PostgreSQL ANALYZE runs: %s", err.msg);
		db_close(db);
		return;
	}
	ok(db_exec_script(db,
		"DROP TABLE IF EXISTS plan_t;"
		"CREATE TABLE plan_t (org INTEGER, archived INTEGER, reporter INTEGER, at INTEGER);"
		"CREATE INDEX plan_t_reporter ON plan_t(org, reporter, at);"
		"CREATE INDEX plan_t_archived ON plan_t(org, archived, at);"
		"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 20000)"
		" INSERT INTO plan_t SELECT 1, 0, n % 5000, n FROM k;", &err) == 0,
	   "20,000 rows, every reporter's few among them");
	query_plan(db, &a, plan, sizeof(plan));
	ok(strstr(plan, "plan_t_archived") != NULL, "without statistics the wrong one: %s", plan);
	ok(db_analyze(db, &err) == 0, "db_analyze: %s", err.msg);
	ok(db_exec(db, &a, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'plan_t'", DB_NOARGS,
		   &r, &err) == 0 && db_cell_i64(&r, 0, 0) >= 2, "the table's indexes are measured");
	query_plan(db, &a, plan, sizeof(plan));
	ok(strstr(plan, "plan_t_reporter") != NULL, "the reporter's index is chosen: %s", plan);
	db_exec_script(db, "DROP TABLE plan_t;", &err);
	db_close(db);
	arena_release(&a);
}

int main(void)
{
	log_quiet = 1;
	return tap_run();
}
