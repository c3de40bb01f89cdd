/* db_backup.c - engine-neutral backup and restore.
 *
 * A backup is a SQLite file with Värn's schema (the SQLite migrations),
 * whichever engine the rows came from.  Rows are copied table by table, in
 * id order, from one snapshot of the source, as the text both engines
 * return; a manifest records each table's row count and a BLAKE2b checksum
 * of those rows in a canonical form (db_impl.h, db_table_checksum).  The
 * file is written as FILE.tmp and renamed into place when complete, so a
 * backup that exists is whole.
 *
 * Restore reads a backup without writing to it, checks its integrity, its
 * schema version and every table against the manifest, and only then
 * copies the rows into an empty, migrated target in one transaction, checks
 * the target's rows against the manifest too, and commits.  Foreign keys
 * are deferred to the commit while copying, because a row may refer to a
 * later one of its own table (a unit moved under a newer unit).
 */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "base/clock.h"
#include "db/db_impl.h"

#define BACKUP_FORMAT "1"
/* Rows per batch: bounded memory whatever the size of the table. */
#define BATCH 500

static const char manifest_ddl[] =
	"CREATE TABLE backup_manifest ("
	" tbl TEXT PRIMARY KEY,"
	" rows INTEGER NOT NULL,"
	" checksum TEXT NOT NULL) STRICT;"
	"CREATE TABLE backup_info ("
	" key TEXT PRIMARY KEY,"
	" value TEXT NOT NULL) STRICT;";
static const char sql_manifest_put[] =
	"INSERT INTO backup_manifest (tbl, rows, checksum) VALUES ($1, $2, $3)";
static const char sql_manifest_get[] =
	"SELECT rows, checksum FROM backup_manifest WHERE tbl = $1";
static const char sql_manifest_count[] =
	"SELECT count(*) FROM backup_manifest";
static const char sql_info_put[] =
	"INSERT INTO backup_info (key, value) VALUES ($1, $2)";
static const char sql_info_get[] =
	"SELECT value FROM backup_info WHERE key = $1";

/* Table and column names go into generated SQL: only plain lower-case
 * identifiers are accepted (they all come from tables and the schema). */
static int safe_ident(const char *s)
{
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return 0;
	return 1;
}

static void hash_field(crypto_generichash_state *h, char tag, const char *s)
{
	char head[32];
	int n;

	if (!s) {
		crypto_generichash_update(h, (const unsigned char *)"N", 1);
		return;
	}
	n = snprintf(head, sizeof(head), "%c%zu:", tag, strlen(s));
	crypto_generichash_update(h, (const unsigned char *)head, (size_t)n);
	crypto_generichash_update(h, (const unsigned char *)s, strlen(s));
}

/* One pass over a table in id order: hashes every row and, when dst is
 * set, inserts it there. */
struct scan {
	struct db *src, *dst;
	const char *table;
	crypto_generichash_state h;
	int64_t rows;
	char *select_sql;   /* generated, forgotten and freed at the end */
	char *insert_sql;
	struct db_val *vals;
};

static int check_columns(struct scan *s, const struct db_rows *r,
			 struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows t;
	struct buf sql = BUF_INIT;
	int rc = -1;

	buf_printf(&sql, "SELECT * FROM %s WHERE 1 = 0", s->table);
	if (!buf_ok(&sql) || db_exec(s->dst, &a, sql.p, DB_NOARGS, &t, err))
		goto out;
	rc = 0;
	if (t.ncols != r->ncols)
		rc = -1;
	for (size_t c = 0; !rc && c < t.ncols; c++)
		rc = strcmp(t.names[c], r->names[c]) ? -1 : 0;
	if (rc)
		db_fail(err, DBE_OTHER, "table %s has other columns in the "
			"target than in the source", s->table);
out:
	db_forget(s->dst, sql.p);
	buf_release(&sql);
	arena_release(&a);
	return rc;
}

/* On the first batch: hashes the column names and prepares the INSERT. */
static int scan_start(struct scan *s, const struct db_rows *r,
		      struct db_error *err)
{
	struct buf sql = BUF_INIT;

	hash_field(&s->h, 'T', s->table);
	for (size_t c = 0; c < r->ncols; c++) {
		if (!safe_ident(r->names[c]))
			return db_fail(err, DBE_OTHER, "table %s: odd column "
				       "name", s->table);
		hash_field(&s->h, 'C', r->names[c]);
	}
	if (!s->dst)
		return 0;
	if (check_columns(s, r, err))
		return -1;
	buf_printf(&sql, "INSERT INTO %s (", s->table);
	for (size_t c = 0; c < r->ncols; c++)
		buf_printf(&sql, "%s%s", c ? ", " : "", r->names[c]);
	buf_puts(&sql, ") VALUES (");
	for (size_t c = 0; c < r->ncols; c++)
		buf_printf(&sql, "%s$%zu", c ? ", " : "", c + 1);
	buf_puts(&sql, ")");
	if (!buf_ok(&sql)) {
		buf_release(&sql);
		return db_fail(err, DBE_OTHER, "table %s: SQL too long", s->table);
	}
	s->insert_sql = buf_detach(&sql, NULL);
	s->vals = xcalloc(r->ncols ? r->ncols : 1, sizeof(*s->vals));
	return 0;
}

static int scan_batch(struct scan *s, const struct db_rows *r,
		      struct db_error *err)
{
	for (size_t i = 0; i < r->nrows; i++) {
		for (size_t c = 0; c < r->ncols; c++)
			hash_field(&s->h, 'V', db_cell(r, i, c));
		s->rows++;
		if (!s->dst)
			continue;
		/* Every cell travels as text; each engine converts it to
		 * the column's type as it would a literal. */
		for (size_t c = 0; c < r->ncols; c++)
			s->vals[c] = DB_TEXT(db_cell(r, i, c));
		if (db_exec(s->dst, NULL, s->insert_sql, s->vals, r->ncols,
			    NULL, err)) {
			db_error_prefix(err, "table %s, id %s: ", s->table,
					db_cell(r, i, 0));
			return -1;
		}
	}
	return 0;
}

static int scan_table(struct scan *s, int64_t *rows, char hex[65],
		      struct db_error *err)
{
	struct buf sql = BUF_INIT;
	int64_t last = INT64_MIN;
	int rc = 0, first = 1, idcol = -1;
	size_t got;

	if (!safe_ident(s->table))
		return db_fail(err, DBE_OTHER, "bad table name");
	crypto_generichash_init(&s->h, NULL, 0, 32);
	buf_printf(&sql, "SELECT * FROM %s WHERE id > $1 ORDER BY id LIMIT %d",
		   s->table, BATCH);
	s->select_sql = sql.p;
	do {
		struct arena a = ARENA_INIT;
		struct db_rows r;
		rc = db_exec(s->src, &a, s->select_sql, DB_ARGS(DB_INT(last)),
			     &r, err);
		if (!rc && first) {
			idcol = db_col(&r, "id");
			rc = idcol != 0 ? db_fail(err, DBE_OTHER, "table %s: the "
						  "first column must be id",
						  s->table)
					: scan_start(s, &r, err);
			first = 0;
		}
		if (!rc)
			rc = scan_batch(s, &r, err);
		got = rc ? 0 : r.nrows;
		if (got)
			last = db_cell_i64(&r, got - 1, (size_t)idcol);
		arena_release(&a);
	} while (!rc && got == BATCH);
	db_forget(s->src, s->select_sql);
	if (s->dst && s->insert_sql)
		db_forget(s->dst, s->insert_sql);
	buf_release(&sql);
	free(s->insert_sql);
	free(s->vals);
	if (!rc) {
		unsigned char h[32];
		crypto_generichash_final(&s->h, h, sizeof(h));
		sodium_bin2hex(hex, 65, h, sizeof(h));
		*rows = s->rows;
	}
	return rc;
}

int db_table_checksum(struct db *db, const char *table, int64_t *rows,
		      char hex[65], struct db_error *err)
{
	struct scan s = { .src = db, .table = table };

	return scan_table(&s, rows, hex, err);
}

static int copy_table(struct db *src, struct db *dst, const char *table,
		      int64_t *rows, char hex[65], struct db_error *err)
{
	struct scan s = { .src = src, .dst = dst, .table = table };

	return scan_table(&s, rows, hex, err);
}

static size_t count_tables(const char *const *tables)
{
	size_t n = 0;

	while (tables[n])
		n++;
	return n;
}

/* Empties the application tables of rows the migrations put there (the
 * audit head), children first, inside the caller's transaction. */
static int delete_seed_rows(struct db *db, const char *const *tables, struct db_error *err)
{
	for (size_t i = count_tables(tables); i-- > 0;) {
		char sql[128];
		snprintf(sql, sizeof(sql), "DELETE FROM %s", tables[i]);
		if (db_exec_script(db, sql, err))
			return -1;
	}
	return 0;
}

static int defer_foreign_keys(struct db *db, struct db_error *err)
{
	return db_exec_script(db, db_kind(db) == DB_PG
			      ? "SET CONSTRAINTS ALL DEFERRED"
			      : "PRAGMA defer_foreign_keys = ON", err);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static int fsync_dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	char *dir;
	int rc;

	if (!slash)
		return fsync_path(".", O_DIRECTORY);
	dir = xstrdup(file);
	dir[slash == file ? 1 : slash - file] = '\0';
	rc = fsync_path(dir, O_DIRECTORY);
	free(dir);
	return rc;
}

static int source_is_current(struct db *db, const char *what,
			     struct db_error *err)
{
	int pending = db_migrate_check(db, db_migration_files(db), err);

	if (pending < 0)
		return -1;
	if (pending > 0)
		return db_fail(err, DBE_OTHER, "the %s database lacks %d "
			       "migration(s) of this Värn; run varn db migrate "
			       "first", what, pending);
	return 0;
}

static int write_rows(struct db *db, const char *const *tables, struct db *bk, struct db_error *err)
{
	char hex[65];
	int64_t rows;
	char now[24];

	if (db_begin_snapshot(db, err))
		return -1;
	if (db_begin(bk, err) || defer_foreign_keys(bk, err) ||
	    delete_seed_rows(bk, tables, err))
		goto fail;
	for (size_t i = 0; tables[i]; i++) {
		char got[65];
		int64_t ngot;
		if (copy_table(db, bk, tables[i], &rows, hex, err) ||
		    db_table_checksum(bk, tables[i], &ngot, got, err))
			goto fail;
		/* read back now: a backup that differs from its source must
		 * fail today, not on the day it is restored */
		if (ngot != rows || strcmp(got, hex) != 0) {
			db_fail(err, DBE_OTHER, "table %s reads back differently "
				"from the backup file", tables[i]);
			goto fail;
		}
		if (db_exec(bk, NULL, sql_manifest_put,
			    DB_ARGS(DB_TEXT(tables[i]), DB_INT(rows),
				    DB_TEXT(hex)), NULL, err))
			goto fail;
	}
	snprintf(now, sizeof(now), "%" PRId64, clock_now());
	if (db_exec(bk, NULL, sql_info_put, DB_ARGS(DB_TEXT("format"),
		    DB_TEXT(BACKUP_FORMAT)), NULL, err) ||
	    db_exec(bk, NULL, sql_info_put, DB_ARGS(DB_TEXT("source"),
		    DB_TEXT(db_kind(db) == DB_PG ? "postgresql" : "sqlite")),
		    NULL, err) ||
	    db_exec(bk, NULL, sql_info_put, DB_ARGS(DB_TEXT("created_at"),
		    DB_TEXT(now)), NULL, err) ||
	    db_commit(bk, err))
		goto fail;
	db_rollback(db);
	return 0;
fail:
	db_rollback(bk);
	db_rollback(db);
	return -1;
}

int db_backup(struct db *db, const char *const *tables, const char *file,
	      struct db_error *err)
{
	struct buf tmp = BUF_INIT, journal = BUF_INIT;
	struct db *bk = NULL;
	struct db_error local;
	int rc = -1;

	if (!err)
		err = &local;
	if (source_is_current(db, "source", err))
		return -1;
	buf_printf(&tmp, "%s.tmp", file);
	buf_printf(&journal, "%s.tmp-journal", file);
	if (!buf_ok(&tmp) || !buf_ok(&journal)) {
		db_fail(err, DBE_OTHER, "backup file name too long");
		goto out;
	}
	/* left over from an interrupted backup */
	unlink(tmp.p);
	unlink(journal.p);
	if (db_sqlite_open(tmp.p, DBO_SCRATCH, &bk, err) ||
	    db_migrate(bk, err) || db_exec_script(bk, manifest_ddl, err) ||
	    write_rows(db, tables, bk, err))
		goto out;
	db_close(bk);
	bk = NULL;
	if (fsync_path(tmp.p, 0) || rename(tmp.p, file) || fsync_dir_of(file)) {
		db_fail(err, DBE_OTHER, "cannot write backup %s: %s", file,
			strerror(errno));
		goto out;
	}
	rc = 0;
out:
	db_close(bk);
	if (rc)
		unlink(tmp.p);
	buf_release(&tmp);
	buf_release(&journal);
	return rc;
}

/* Restore. */

static int get_one(struct db *db, const char *sql, const char *arg,
		   struct arena *a, const char **val, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(db, a, sql, DB_ARGS(DB_TEXT(arg)), &r, err))
		return -1;
	*val = r.nrows ? db_cell(&r, 0, 0) : NULL;
	return 0;
}

/* The backup file: a sound SQLite file, a Värn backup of this format,
 * with exactly this Värn's schema. */
static int check_backup_file(struct db *bk, const char *file,
			     struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	const char *v;
	int rc = -1, pending, has;

	if (db_exec(bk, &a, "PRAGMA quick_check", DB_NOARGS, &r, err))
		goto out;
	v = r.nrows ? db_cell(&r, 0, 0) : NULL;
	if (!v || strcmp(v, "ok") != 0) {
		db_fail(err, DBE_OTHER, "backup %s is damaged: %s", file,
			v ? v : "no answer from the integrity check");
		goto out;
	}
	has = db_table_exists(bk, "backup_info", err);
	if (has < 0)
		goto out;
	if (!has || get_one(bk, sql_info_get, "format", &a, &v, err) || !v ||
	    strcmp(v, BACKUP_FORMAT) != 0) {
		db_fail(err, DBE_OTHER, "%s is not a Värn backup of a format "
			"this Värn reads", file);
		goto out;
	}
	pending = db_migrate_check(bk, db_migrations_sqlite, err);
	if (pending < 0) {
		db_error_prefix(err, "backup %s does not fit this Värn: ", file);
		goto out;
	}
	if (pending > 0) {
		db_fail(err, DBE_OTHER, "backup %s was made by an older Värn "
			"(schema version %d, this one has %d): restore it with "
			"that version, then upgrade", file,
			db_schema_version(bk, NULL),
			db_migration_latest(db_migrations_sqlite));
		goto out;
	}
	rc = 0;
out:
	arena_release(&a);
	return rc;
}

static int check_manifest(struct db *bk, const char *const *tables, const char *file,
			  struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	int rc = -1;

	if (db_exec(bk, &a, sql_manifest_count, DB_NOARGS, &r, err))
		goto out;
	if ((size_t)db_cell_i64(&r, 0, 0) != count_tables(tables)) {
		db_fail(err, DBE_OTHER, "backup %s is damaged: its manifest "
			"lists %s tables, this Värn has %zu", file,
			db_cell(&r, 0, 0), count_tables(tables));
		goto out;
	}
	for (size_t i = 0; tables[i]; i++) {
		char hex[65];
		int64_t rows;
		if (db_exec(bk, &a, sql_manifest_get,
			    DB_ARGS(DB_TEXT(tables[i])), &r, err) ||
		    db_table_checksum(bk, tables[i], &rows, hex, err))
			goto out;
		if (r.nrows != 1 || db_cell_i64(&r, 0, 0) != rows ||
		    strcmp(db_cell(&r, 0, 1), hex) != 0) {
			db_fail(err, DBE_OTHER, "backup %s is damaged: table %s "
				"does not match its manifest checksum (%" PRId64
				" rows)", file, tables[i], rows);
			goto out;
		}
	}
	rc = 0;
out:
	arena_release(&a);
	return rc;
}

/* The target must hold nothing but what the migrations put there: each
 * table matches the same table in a freshly migrated database. */
static int check_target_empty(struct db *db, const char *const *tables, struct db_error *err)
{
	struct db *fresh;
	int rc = -1;

	if (source_is_current(db, "target", err))
		return -1;
	if (db_sqlite_open(":memory:", 0, &fresh, err))
		return -1;
	if (db_migrate(fresh, err))
		goto out;
	for (size_t i = 0; tables[i]; i++) {
		char want[65], got[65];
		int64_t nwant, ngot;
		if (db_table_checksum(fresh, tables[i], &nwant, want, err) ||
		    db_table_checksum(db, tables[i], &ngot, got, err))
			goto out;
		if (strcmp(want, got) != 0) {
			db_fail(err, DBE_OTHER, "the target database is not "
				"empty (table %s has %" PRId64 " rows): restore "
				"needs a new, migrated database", tables[i],
				ngot);
			goto out;
		}
	}
	rc = 0;
out:
	db_close(fresh);
	return rc;
}

/* PostgreSQL's identity sequences know nothing of the ids restore wrote. */
static int reset_sequences(struct db *db, const char *const *tables, struct db_error *err)
{
	if (db_kind(db) != DB_PG)
		return 0;
	for (size_t i = 0; tables[i]; i++) {
		char sql[256];
		snprintf(sql, sizeof(sql),
			 "SELECT setval(pg_get_serial_sequence('%s', 'id'), "
			 "COALESCE((SELECT max(id) FROM %s), 0) + 1, false)",
			 tables[i], tables[i]);
		if (db_exec_script(db, sql, err))
			return -1;
	}
	return 0;
}

/* SQLite's full-text index (migrations/sqlite/0003_search.sql): an FTS5
 * table <table>_fts beside each searched table, which the engine keeps
 * current at write time.  The restore's INSERTs bypass the engine (the
 * triggers only queued the rows), so the index is rebuilt here from the
 * restored rows, inside the restore's transaction, and the queue emptied:
 * a restored database is searchable at once, and searches never write.
 * PostgreSQL's GIN expression index needs nothing. */
static int rebuild_search_index(struct db *db, const char *const *tables,
				struct db_error *err)
{
	static const char sql_fts[] =
		"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = $1";
	struct arena a = ARENA_INIT;
	int rc = 0;

	if (db_kind(db) != DB_SQLITE)
		return 0;
	for (size_t i = 0; tables[i] && rc == 0; i++) {
		struct db_rows r;
		char sql[256];
		const char *fts = arena_printf(&a, "%s_fts", tables[i]);

		if (!safe_ident(tables[i]))
			rc = db_fail(err, DBE_OTHER, "bad table name %s", tables[i]);
		else if (db_exec(db, &a, sql_fts, DB_ARGS(DB_TEXT(fts)), &r, err))
			rc = -1;
		else if (db_cell_i64(&r, 0, 0) > 0) {
			snprintf(sql, sizeof(sql), "DELETE FROM %s;"
				 "INSERT INTO %s (rowid, search) SELECT id, search FROM %s",
				 fts, fts, tables[i]);
			rc = db_exec_script(db, sql, err);
		}
	}
	if (rc == 0) {
		int queue = db_table_exists(db, "search_queue", err);
		rc = queue < 0 ? -1 : queue ? db_exec_script(db, "DELETE FROM search_queue", err) : 0;
	}
	arena_release(&a);
	return rc;
}

static int copy_in(struct db *db, const char *const *tables, struct db *bk, const char *file,
		   db_restore_verify_fn *verify, void *ctx,
		   struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;

	if (db_begin(db, err))
		return -1;
	if (defer_foreign_keys(db, err) || delete_seed_rows(db, tables, err))
		goto fail;
	for (size_t i = 0; tables[i]; i++) {
		char hex[65], got[65];
		int64_t rows, ngot;
		if (copy_table(bk, db, tables[i], &rows, hex, err) ||
		    db_table_checksum(db, tables[i], &ngot, got, err) ||
		    db_exec(bk, &a, sql_manifest_get,
			    DB_ARGS(DB_TEXT(tables[i])), &r, err))
			goto fail;
		/* what arrived must be what the manifest promised */
		if (r.nrows != 1 || strcmp(db_cell(&r, 0, 1), hex) != 0 ||
		    strcmp(got, hex) != 0 || ngot != rows) {
			db_fail(err, DBE_OTHER, "restore of table %s from %s "
				"does not match the manifest", tables[i], file);
			goto fail;
		}
	}
	if (reset_sequences(db, tables, err) || rebuild_search_index(db, tables, err) ||
	    (verify && verify(db, ctx, err)) ||
	    db_commit(db, err))
		goto fail;
	arena_release(&a);
	return 0;
fail:
	db_rollback(db);
	arena_release(&a);
	return -1;
}

int db_restore_verified(struct db *db, const char *const *tables, const char *file,
			db_restore_verify_fn *verify, void *ctx,
			struct db_error *err)
{
	struct stat st;
	struct db *bk = NULL;
	struct db_error local;
	int rc = -1;

	if (!err)
		err = &local;
	if (stat(file, &st) || !S_ISREG(st.st_mode))
		return db_fail(err, DBE_OTHER, "no backup file %s", file);
	if (db_sqlite_open(file, DBO_READONLY, &bk, err))
		return -1;
	if (check_backup_file(bk, file, err) || check_manifest(bk, tables, file, err) ||
	    check_target_empty(db, tables, err) ||
	    copy_in(db, tables, bk, file, verify, ctx, err))
		goto out;
	rc = 0;
out:
	db_close(bk);
	return rc;
}

int db_restore(struct db *db, const char *const *tables, const char *file,
	       struct db_error *err)
{
	return db_restore_verified(db, tables, file, NULL, NULL, err);
}
