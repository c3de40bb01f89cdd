/* db_impl.h - what db.c shares with the two backends, the migrations and
 * the backup code.  Not part of the storage interface: only src/db/ and the
 * storage tests include it.
 *
 * Each backend embeds struct db as its first member and fills in a
 * struct db_ops; db.c does the dispatch, the argument checks and the
 * transaction bookkeeping once for both engines.
 */
#ifndef VARN_DB_IMPL_H
#define VARN_DB_IMPL_H

#include "base/embedded.h"
#include "db/db.h"

struct db_ops {
	const char *name;          /* "sqlite", "postgresql" */
	/* Statement texts for db_begin() and db_begin_snapshot(). */
	const char *sql_begin;
	const char *sql_snapshot;
	int (*exec)(struct db *db, struct arena *a, const char *sql,
		    const struct db_val *params, size_t nparams,
		    struct db_rows *out, struct db_error *err);
	int (*exec_script)(struct db *db, const char *sql, struct db_error *err);
	/* COMMIT; on failure the transaction must be over (rolled back). */
	int (*commit)(struct db *db, struct db_error *err);
	int (*in_transaction)(const struct db *db);
	/* Drops a cached statement for sql (generated SQL about to be freed). */
	void (*forget)(struct db *db, const char *sql);
	int (*set_lock_timeout)(struct db *db, int ms, struct db_error *err);
	int (*set_time_limit)(struct db *db, int ms, struct db_error *err);
	void (*close)(struct db *db);
};

struct db {
	const struct db_ops *ops;
	enum db_kind kind;
	char *url;
	struct db_stats stats;
	/* db_trace(): the texts of the statements counted, when on */
	int tracing;
	char **trace;
	size_t ntrace, trace_cap;
	/* A statement failed inside the open transaction.  PostgreSQL then
	 * refuses everything but ROLLBACK; db.c makes SQLite do the same, so
	 * code tested on SQLite does not break on PostgreSQL. */
	int tx_failed;
};

/* Fills err (which may be NULL) and returns -1, so that error paths read
 * "return db_fail(err, DBE_OTHER, ...)". */
int db_fail(struct db_error *err, enum db_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts context in front of err's message ("migration 0002_x failed: "),
 * keeping the code; the end of a long message is cut. */
void db_error_prefix(struct db_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Counts one statement handed to the engine (stats.statements; its text
 * when tracing).  The backends call it next to each call that runs SQL. */
void db_count_statement(struct db *db, const char *sql);

/* Backend constructors, called by db_open().  The SQLite one takes a path
 * and flags; DBO_READONLY opens an existing file without writing to it
 * (restore reads backups so), DBO_SCRATCH uses a rollback journal without
 * syncing, for a file that is renamed into place only once it is complete
 * (backup writes so). */
enum { DBO_READONLY = 1, DBO_SCRATCH = 2 };
int db_sqlite_open(const char *path, int flags, struct db **out,
		   struct db_error *err);
int db_pg_open(const char *conninfo, struct db **out, struct db_error *err);

/* Forgets a cached prepared statement keyed by sql; for SQL generated at
 * run time (backup, restore, tests), before its text is freed. */
void db_forget(struct db *db, const char *sql);
/* How long a statement waits for a lock before failing with DBE_BUSY
 * (SQLite busy_timeout, PostgreSQL lock_timeout).  Default 5000 ms. */
int db_set_lock_timeout(struct db *db, int ms, struct db_error *err);
/* 1 if table exists in the current schema, 0 if not, -1 on error. */
int db_table_exists(struct db *db, const char *table, struct db_error *err);

/* Migrations (db_migrate.c).  The embedded files of each dialect, generated
 * by tools/embed from src/db/migrations/{sqlite,pg}/ (see meson.build). */
extern const struct embedded_file db_migrations_sqlite[];
extern const struct embedded_file db_migrations_pg[];
/* db_migrate() with an explicit list of files, for tests. */
int db_migrate_files(struct db *db, const struct embedded_file *files,
		     struct db_error *err);
/* Checks the applied migrations against files without changing anything:
 * returns the number pending (0 = up to date) or -1 with err set when an
 * applied migration is unknown or changed, or a pending one is older than
 * an applied one. */
int db_migrate_check(struct db *db, const struct embedded_file *files,
		     struct db_error *err);
/* The files for db's dialect. */
const struct embedded_file *db_migration_files(const struct db *db);
/* Highest version in files. */
int db_migration_latest(const struct embedded_file *files);

/* Canonical checksum of one table's rows (db_backup.c): BLAKE2b-256, hex,
 * over the column names and every row in id order, each cell as "N" for
 * NULL or "V<len>:<bytes>", cells as the engine returns them as text.  The
 * same rows give the same checksum on both engines.  hex needs 65 bytes. */
int db_table_checksum(struct db *db, const char *table, int64_t *rows,
		      char hex[65], struct db_error *err);

#endif
