/* db.h - the storage interface, with a SQLite and a PostgreSQL backend.
 *
 * One query text for both engines: SQL is written once with $1..$n
 * placeholders; the SQLite backend rewrites them to ?1..?n when it prepares.
 * Rules that keep the two engines honest (docs/ARCHITECTURE.md, "Data"):
 *   - only bound parameters; dynamic SQL only picks among fixed fragments;
 *   - integers are int64, booleans are integer 0/1, times are int64 Unix
 *     seconds from clock_now(), never a database date function;
 *   - text sorting and searching use columns computed by utf8_sortkey() and
 *     utf8_fold(), compared bytewise (PostgreSQL columns are COLLATE "C");
 *   - every domain row has an org_id and every query is scoped by it;
 *   - every record has a version; updates say "... AND version = $n" and a
 *     zero row count means a lost race (DBE_CONFLICT from the caller).
 *
 * SQL strings passed to db_exec() must live as long as the process (string
 * literals, or text generated once at start-up from static declarations):
 * the SQLite backend caches prepared statements keyed by the pointer.
 *
 * Results are copied into the caller's arena as text (NULL for SQL NULL),
 * so they outlive the statement.  A connection is used by one thread at a
 * time; the pool hands them out.
 */
#ifndef VARN_DB_H
#define VARN_DB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct arena;

enum db_kind { DB_SQLITE = 1, DB_PG = 2 };

enum db_type { DBT_NULL = 0, DBT_INT, DBT_TEXT };
struct db_val {
	enum db_type t;
	int64_t i;
	const char *s;
};
#define DB_NULL ((struct db_val){ DBT_NULL, 0, NULL })
#define DB_INT(x) ((struct db_val){ DBT_INT, (int64_t)(x), NULL })
/* A NULL pointer binds SQL NULL. */
#define DB_TEXT(x) db_text(x)
static inline struct db_val db_text(const char *s)
{
	struct db_val v = { s ? DBT_TEXT : DBT_NULL, 0, s };
	return v;
}
/* DB_ARGS(DB_INT(1), DB_TEXT("x")) expands to "params, count". */
#define DB_ARGS(...) ((const struct db_val[]){ __VA_ARGS__ }), \
	(sizeof((const struct db_val[]){ __VA_ARGS__ }) / sizeof(struct db_val))
#define DB_NOARGS NULL, 0

enum db_errcode {
	DBE_OK = 0,
	DBE_UNIQUE,    /* unique constraint violated */
	DBE_FOREIGN,   /* foreign key violated */
	DBE_CHECK,     /* check / not-null constraint violated */
	DBE_BUSY,      /* lock timeout, serialization failure */
	DBE_CONFLICT,  /* optimistic concurrency: version did not match (set by callers) */
	DBE_NOTFOUND,  /* set by callers */
	DBE_DENIED,    /* set by callers: the actor may not (per-record access) */
	DBE_TIMEOUT,   /* the statement ran out of its time (db_set_time_limit) */
	DBE_OTHER,
};
struct db_error {
	enum db_errcode code;
	char msg[512]; /* engine message, for logs only (never shown to users) */
};

struct db_rows {
	size_t nrows, ncols;
	const char **names;  /* ncols column names */
	const char **cells;  /* nrows * ncols, row-major; NULL for SQL NULL */
	int64_t changes;     /* rows changed by INSERT/UPDATE/DELETE */
};
static inline const char *db_cell(const struct db_rows *r, size_t row, size_t col)
{
	return r->cells[row * r->ncols + col];
}
int64_t db_cell_i64(const struct db_rows *r, size_t row, size_t col); /* NULL -> 0 */
/* Column index by name, or -1. */
int db_col(const struct db_rows *r, const char *name);

struct db;

/* url: "sqlite:PATH" or "postgresql://..." / "postgres://..." /
 * "host=... dbname=..." (libpq keyword form). */
int db_open(const char *url, struct db **out, struct db_error *err);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
const char *db_url(const struct db *db);

/* Runs one statement with params; fills out (may be NULL) from arena a.
 * Returns 0 or -1 with err set.  The number of params must match the
 * statement's highest $n.  After a failed statement inside a transaction
 * every further one is refused until db_rollback() (PostgreSQL's rule,
 * enforced on SQLite too). */
int db_exec(struct db *db, struct arena *a, const char *sql,
	    const struct db_val *params, size_t nparams,
	    struct db_rows *out, struct db_error *err);
/* Runs a script of several statements without parameters (DDL). */
int db_exec_script(struct db *db, const char *sql, struct db_error *err);

/* Brings the query planner's statistics up to date, outside a
 * transaction.  SQLite has none until ANALYZE is run, and without them it
 * chooses between two indexes of equal width by their order, not by what
 * they select: at 100,000 incidents "my open reports" walked every
 * incident of the organisation (0.1 s) instead of the reporter's few.  A
 * sampling ANALYZE (analysis_limit) takes 0.4 s on a 700 MB database.
 * PostgreSQL's autovacuum analyses a table some time after it changed;
 * right after a bulk load its plans are those of an empty table (the
 * start page's lines took 9 ms instead of under 1 until ANALYZE ran), so
 * ANALYZE is run there too.  Run daily (the job "statistics") and after
 * bulk writes (`varn demo --scale`, `varn import`, `varn restore`). */
int db_analyze(struct db *db, struct db_error *err);

/* A time budget for each statement that follows on this connection: one
 * that runs longer than ms milliseconds is stopped and fails with
 * DBE_TIMEOUT (SQLite: a progress handler that checks a deadline every few
 * thousand steps; PostgreSQL: statement_timeout).  0 returns to the
 * connection's default (no limit on SQLite, 60 s on PostgreSQL).  For
 * work whose cost the user's input decides (a search), so that one request
 * cannot hold a worker for long; the caller sets it back to 0 before the
 * connection goes back to the pool. */
int db_set_time_limit(struct db *db, int ms, struct db_error *err);

/* Counters for tests that assert how many queries a use case costs (the
 * habit of verinice's tests).  queries counts db_exec() calls; prepares
 * counts statements compiled (SQLite) or prepared (PostgreSQL), once per
 * connection and statement: a cache hit compiles nothing;
 * statements counts everything handed to the engine, one per call: every
 * db_exec(), every script (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, a SET on
 * PostgreSQL), whoever runs it (the pipeline, sign-in, the audit trail)
 * - on PostgreSQL each one a round trip to the server.  A plain increment
 * on the connection: a connection is used by one thread at a time. */
struct db_stats {
	uint64_t queries;
	uint64_t prepares;
	uint64_t statements;
};
void db_get_stats(const struct db *db, struct db_stats *out);
/* The statements counter alone, and setting it back to 0 (which also
 * forgets the texts kept by db_trace). */
uint64_t db_statements(const struct db *db);
void db_statements_reset(struct db *db);
/* For tests: on keeps a copy of the text of every statement counted from
 * now on (until db_statements_reset), so that a failed bound can say
 * which they were; off stops and forgets them.  Off by default. */
void db_trace(struct db *db, int on);
/* The texts kept, oldest first; *n their number.  Valid until the next
 * statement, reset or db_trace() on this connection. */
const char *const *db_trace_list(const struct db *db, size_t *n);

/* Transactions.  db_begin takes the write lock at once (SQLite BEGIN
 * IMMEDIATE; PostgreSQL READ COMMITTED, writers serialise on the rows they
 * touch and on the audit head row). */
int db_begin(struct db *db, struct db_error *err);
/* When COMMIT fails (a deferred constraint, a serialisation failure) the
 * transaction is rolled back: after db_commit() none is open either way. */
int db_commit(struct db *db, struct db_error *err);
void db_rollback(struct db *db);
int db_in_transaction(const struct db *db);
/* 1 when a statement failed in the open transaction (only a rollback, or
 * a rollback to a savepoint, may follow). */
int db_failed(const struct db *db);
/* Fills err (code and a printf message) and returns -1, for callers that
 * report their own problems in a struct db_error. */
int db_error_set(struct db_error *err, enum db_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A savepoint inside the current transaction, for work that may fail
 * without failing the caller's transaction (an import's rows): rolling back
 * to it undoes the work and clears the failed state.  Not nested. */
int db_savepoint(struct db *db, struct db_error *err);
int db_release_savepoint(struct db *db, struct db_error *err);
void db_rollback_to_savepoint(struct db *db);
/* A read-only snapshot (REPEATABLE READ / deferred read transaction) for
 * consistent backups and reports. */
int db_begin_snapshot(struct db *db, struct db_error *err);

/* Pool of connections shared by the server's threads. */
struct db_pool;
int db_pool_open(const char *url, int size, struct db_pool **out,
		 struct db_error *err);
struct db *db_pool_get(struct db_pool *p);   /* blocks until one is free */
void db_pool_put(struct db_pool *p, struct db *db);
void db_pool_close(struct db_pool *p);

/* Migrations (db_migrate.c): embedded, numbered the same for both dialects,
 * forward-only, checksummed.  db_migrate applies the missing ones, each in
 * its own transaction, and refuses to run when an applied migration's
 * checksum differs from the embedded one. */
int db_migrate(struct db *db, struct db_error *err);
/* Prints one line per migration: version, name, applied/pending, checksum
 * state.  Returns the number of pending migrations, -1 on error. */
int db_status(struct db *db, FILE *out, struct db_error *err);
int db_schema_version(struct db *db, struct db_error *err);
/* The foundation's tables in dependency order (parents first), for backup,
 * restore and the schema comparison test.  NULL-terminated.  The modules
 * add theirs (core/module.h: module_tables()). */
extern const char *const db_tables[];

/* Backup and restore (db_backup.c).  A backup is a SQLite database file with
 * Värn's schema, whichever engine it came from, written from one consistent
 * snapshot, with a manifest table (backup_manifest: table, rows, checksum)
 * and backup_info (format, source, created_at); written as FILE.tmp and
 * renamed into place.  Both ends must be fully migrated to this binary's
 * schema.  Restore requires an empty, migrated target (nothing but the rows
 * the migrations insert), checks the file against its manifest before
 * touching the target, copies every table in one transaction, checks the
 * copied rows against the manifest again, and (db_restore_verified) lets
 * the layer above verify the audit chain before the commit.  The manifest
 * detects damage and edits that do not recompute it; it is not a
 * signature.  tables: every table to carry, parents first (module_tables()),
 * NULL-terminated. */
int db_backup(struct db *db, const char *const *tables, const char *file,
	      struct db_error *err);
int db_restore(struct db *db, const char *const *tables, const char *file,
	       struct db_error *err);
/* db_restore() with a check run inside the restore transaction after the
 * rows are in (the audit chain verification lives above this layer); when
 * verify returns non-zero the restore is rolled back.  verify may be NULL. */
typedef int db_restore_verify_fn(struct db *db, void *ctx, struct db_error *err);
int db_restore_verified(struct db *db, const char *const *tables, const char *file,
			db_restore_verify_fn *verify, void *ctx,
			struct db_error *err);

#endif
