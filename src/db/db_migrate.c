/* db_migrate.c - embedded, numbered, checksummed, forward-only migrations.
 *
 * Each dialect has its own files (src/db/migrations/{sqlite,pg}/), named
 * NNNN_name.sql and numbered the same in both.  schema_migrations records
 * what was applied, with the BLAKE2b checksum of the file's text; a binary
 * refuses to touch a database whose applied migrations it does not know or
 * whose text has changed since, because either means the schema is not the
 * one this code was written for.  Each migration runs in its own
 * transaction together with its schema_migrations row, so a failed one
 * leaves no trace (DDL is transactional on both engines).
 */
#include "base/base.h"

#include <inttypes.h>
#include <time.h>

#include <sodium.h>

#include "base/clock.h"
#include "db/db_impl.h"

/* The application tables, parents before children.  Backup and restore
 * copy them in this order and the schema test checks that the list and
 * the migrated schema agree: a migration that adds a table adds it here.
 * Every table needs an integer primary key called id (rows are copied and
 * checksummed in id order). */
const char *const db_tables[] = {
	"organisation",
	"unit",
	"app_user",
	"person",
	"role_assignment",
	"recovery_code",
	"session",
	"api_token",
	"reset_token",
	"signin_failure",
	"audit_event",
	"audit_head",
	"job_run",
	"job_run_org",
	"outbox",
	NULL
};

/* WITHOUT ROWID: version is a plain key, never numbered by the engine,
 * exactly as in PostgreSQL (test_schema.c compares the two). */
static const char create_sqlite[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" checksum TEXT NOT NULL,"
	" applied_at INTEGER NOT NULL) STRICT, WITHOUT ROWID";
static const char create_pg[] =
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version bigint PRIMARY KEY,"
	" name text NOT NULL,"
	" checksum text NOT NULL,"
	" applied_at bigint NOT NULL)";
/* Two servers starting at once against one PostgreSQL database take turns
 * (SQLite's BEGIN IMMEDIATE already serialises them).  The key is an
 * arbitrary constant: "Värn" in ASCII-ish hex.  Tried rather than waited
 * for: a wait for the lock counts against the connection's lock_timeout
 * (5 s), and a migration that rewrites a large table takes longer, which
 * would stop the second server with "lock timeout" instead of letting it
 * go on once the first is done. */
static const char lock_pg[] =
	"SELECT CASE WHEN pg_try_advisory_xact_lock(1447121518) THEN 1 ELSE 0 END";
/* how long a server waits for another's migration before it gives up */
#define MIGRATE_LOCK_WAIT_S 3600

/* Takes the migration lock for the current transaction: 0, or -1 with err. */
static int take_lock(struct db *db, struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct timespec pause = { 0, 200 * 1000 * 1000 };
	int64_t waited_ms = 0;

	if (db_kind(db) != DB_PG)
		return 0;
	for (;;) {
		if (db_exec(db, &a, lock_pg, DB_NOARGS, &r, err)) {
			arena_release(&a);
			return -1;
		}
		if (r.nrows == 1 && db_cell_i64(&r, 0, 0) == 1) {
			arena_release(&a);
			return 0;
		}
		if (waited_ms == 0)
			log_info("db: another process is migrating the database; waiting");
		if (waited_ms >= (int64_t)MIGRATE_LOCK_WAIT_S * 1000) {
			arena_release(&a);
			return db_fail(err, DBE_TIMEOUT, "another process has been migrating"
				       " the database for over an hour");
		}
		nanosleep(&pause, NULL);
		waited_ms += 200;
	}
}

static const char sql_applied[] =
	"SELECT version, name, checksum, applied_at FROM schema_migrations "
	"ORDER BY version";
static const char sql_record[] =
	"INSERT INTO schema_migrations (version, name, checksum, applied_at) "
	"VALUES ($1, $2, $3, $4)";
static const char sql_max[] =
	"SELECT COALESCE(max(version), 0) FROM schema_migrations";

/* A migration file's name split into its parts. */
struct mig {
	int version;
	char name[96];
	char checksum[65];
	const struct embedded_file *file;
};

static int parse_name(const struct embedded_file *f, struct mig *m)
{
	const char *p = f->name;
	size_t n;
	int v = 0, digits = 0;

	for (; *p >= '0' && *p <= '9' && digits < 9; p++, digits++)
		v = v * 10 + (*p - '0');
	n = strlen(p);
	if (digits < 4 || v < 1 || *p != '_' || n < 6 ||
	    strcmp(p + n - 4, ".sql") != 0 || n - 5 >= sizeof(m->name))
		return -1;
	m->version = v;
	memcpy(m->name, p + 1, n - 5);
	m->name[n - 5] = '\0';
	m->file = f;
	return 0;
}

static void checksum_hex(const char *data, size_t len, char hex[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)data, len,
			   NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof(h));
}

static size_t count_files(const struct embedded_file *files)
{
	size_t n = 0;

	while (files[n].name)
		n++;
	return n;
}

/* Parses the files into an array (free() it); checks the numbering. */
static int load_files(const struct embedded_file *files, struct mig **out,
		      size_t *count, struct db_error *err)
{
	size_t n = count_files(files);
	struct mig *m = xcalloc(n ? n : 1, sizeof(*m));

	for (size_t i = 0; i < n; i++) {
		if (parse_name(&files[i], &m[i])) {
			free(m);
			return db_fail(err, DBE_OTHER, "migration file %s is "
				       "not named NNNN_name.sql", files[i].name);
		}
		if (i && m[i].version <= m[i - 1].version) {
			free(m);
			return db_fail(err, DBE_OTHER, "migration %s is out of "
				       "order", files[i].name);
		}
		checksum_hex(files[i].data, files[i].len, m[i].checksum);
	}
	*out = m;
	*count = n;
	return 0;
}

/* The two dialects must carry the same migrations, or a database would
 * get a different schema depending on its engine. */
static int check_pairing(struct db_error *err)
{
	const struct embedded_file *a = db_migrations_sqlite, *b = db_migrations_pg;
	size_t i;

	for (i = 0; a[i].name && b[i].name; i++)
		if (strcmp(a[i].name, b[i].name) != 0)
			return db_fail(err, DBE_OTHER, "this binary's migrations "
				       "differ between SQLite (%s) and PostgreSQL "
				       "(%s)", a[i].name, b[i].name);
	if (a[i].name || b[i].name)
		return db_fail(err, DBE_OTHER, "migration %s exists for one "
			       "engine only", a[i].name ? a[i].name : b[i].name);
	return 0;
}

static const struct mig *find_version(const struct mig *m, size_t n, int64_t v)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].version == v)
			return &m[i];
	return NULL;
}

static int find_version_applied(const struct db_rows *r, int v)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (db_cell_i64(r, i, 0) == v)
			return 1;
	return 0;
}

/* Compares the applied rows (from sql_applied) with the files.  Returns
 * the number pending, or -1 when the database cannot be trusted. */
static int verify_applied(const struct db_rows *r, const struct mig *m,
			  size_t n, struct db_error *err)
{
	int64_t max_applied = 0;
	int pending = 0;

	for (size_t i = 0; i < r->nrows; i++) {
		int64_t v = db_cell_i64(r, i, 0);
		const struct mig *f = find_version(m, n, v);
		if (!f)
			return db_fail(err, DBE_OTHER, "the database has "
				       "migration %04" PRId64 "_%s, which this "
				       "Värn does not know: it was upgraded by a "
				       "newer Värn; run that one", v,
				       db_cell(r, i, 1));
		if (strcmp(f->checksum, db_cell(r, i, 2)) != 0 ||
		    strcmp(f->name, db_cell(r, i, 1)) != 0)
			return db_fail(err, DBE_OTHER, "migration %04d_%s was "
				       "changed after it was applied to this "
				       "database (checksum %.12s... applied, "
				       "%.12s... in this Värn); migrations are "
				       "forward-only: add a new one instead",
				       f->version, f->name, db_cell(r, i, 2),
				       f->checksum);
		if (v > max_applied)
			max_applied = v;
	}
	for (size_t i = 0; i < n; i++) {
		if (find_version_applied(r, m[i].version))
			continue;
		if (m[i].version < max_applied)
			return db_fail(err, DBE_OTHER, "migration %04d_%s is not "
				       "applied although later ones are; "
				       "migrations must be numbered after the "
				       "last one released", m[i].version,
				       m[i].name);
		pending++;
	}
	return pending;
}

static int bootstrap(struct db *db, struct db_error *err)
{
	if (db_begin(db, err))
		return -1;
	if (take_lock(db, err) ||
	    db_exec_script(db, db_kind(db) == DB_PG ? create_pg : create_sqlite, err)) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db, err);
}

/* Prefixes err's message with the migration it came from. */
static void blame(struct db_error *err, const struct mig *m)
{
	db_error_prefix(err, "migration %04d_%s failed: ", m->version, m->name);
}

/* Applies the first pending migration in one transaction.  Returns 1 when
 * one was applied, 0 when none is pending, -1 on error. */
static int apply_next(struct db *db, const struct mig *m, size_t n,
		      struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	const struct mig *next = NULL;
	int rc = -1;

	if (db_begin(db, err))
		return -1;
	if (take_lock(db, err))
		goto out;
	/* read inside the lock: another process may have just migrated */
	if (db_exec(db, &a, sql_applied, DB_NOARGS, &r, err) ||
	    verify_applied(&r, m, n, err) < 0)
		goto out;
	for (size_t i = 0; i < n && !next; i++)
		if (!find_version_applied(&r, m[i].version))
			next = &m[i];
	if (!next) {
		rc = 0;
		goto out;
	}
	if (db_exec_script(db, next->file->data, err) ||
	    db_exec(db, NULL, sql_record,
		    DB_ARGS(DB_INT(next->version), DB_TEXT(next->name),
			    DB_TEXT(next->checksum), DB_INT(clock_now())),
		    NULL, err)) {
		blame(err, next);
		goto out;
	}
	if (db_commit(db, err)) {
		blame(err, next);
		arena_release(&a);
		return -1;
	}
	log_info("db: applied migration %04d_%s", next->version, next->name);
	arena_release(&a);
	return 1;
out:
	db_rollback(db);
	arena_release(&a);
	return rc;
}

int db_migrate_files(struct db *db, const struct embedded_file *files,
		     struct db_error *err)
{
	struct mig *m;
	size_t n;
	int rc;

	if (db_in_transaction(db))
		return db_fail(err, DBE_OTHER, "db_migrate inside a transaction");
	if (load_files(files, &m, &n, err))
		return -1;
	rc = bootstrap(db, err);
	while (!rc && (rc = apply_next(db, m, n, err)) == 1)
		rc = 0;
	free(m);
	return rc;
}

const struct embedded_file *db_migration_files(const struct db *db)
{
	return db_kind(db) == DB_PG ? db_migrations_pg : db_migrations_sqlite;
}

int db_migration_latest(const struct embedded_file *files)
{
	struct mig m;
	size_t n = count_files(files);

	return n && !parse_name(&files[n - 1], &m) ? m.version : 0;
}

int db_migrate(struct db *db, struct db_error *err)
{
	if (check_pairing(err))
		return -1;
	return db_migrate_files(db, db_migration_files(db), err);
}

int db_migrate_check(struct db *db, const struct embedded_file *files,
		     struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct mig *m;
	size_t n;
	int rc;

	if (load_files(files, &m, &n, err))
		return -1;
	rc = db_table_exists(db, "schema_migrations", err);
	if (rc == 0)
		rc = (int)n;
	else if (rc > 0)
		rc = db_exec(db, &a, sql_applied, DB_NOARGS, &r, err) ? -1 :
		     verify_applied(&r, m, n, err);
	free(m);
	arena_release(&a);
	return rc;
}

int db_schema_version(struct db *db, struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	int rc = db_table_exists(db, "schema_migrations", err);

	if (rc > 0)
		rc = db_exec(db, &a, sql_max, DB_NOARGS, &r, err) ? -1 :
		     (int)db_cell_i64(&r, 0, 0);
	arena_release(&a);
	return rc;
}

static const char *applied_row(const struct db_rows *r, int v, size_t *row)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (db_cell_i64(r, i, 0) == v) {
			*row = i;
			return db_cell(r, i, 2);
		}
	return NULL;
}

int db_status(struct db *db, FILE *out, struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r = { 0 };
	struct mig *m;
	size_t n;
	int exists, pending = 0, bad = 0;

	if (load_files(db_migration_files(db), &m, &n, err))
		return -1;
	exists = db_table_exists(db, "schema_migrations", err);
	if (exists < 0 ||
	    (exists && db_exec(db, &a, sql_applied, DB_NOARGS, &r, err))) {
		free(m);
		arena_release(&a);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t row;
		const char *sum = applied_row(&r, m[i].version, &row);
		if (!sum) {
			fprintf(out, "%04d_%-28s pending\n", m[i].version, m[i].name);
			pending++;
		} else if (strcmp(sum, m[i].checksum) != 0) {
			fprintf(out, "%04d_%-28s applied %s  CHANGED SINCE "
				"(checksum differs)\n", m[i].version, m[i].name,
				clock_format_iso(&a, db_cell_i64(&r, row, 3)));
			bad++;
		} else {
			fprintf(out, "%04d_%-28s applied %s  checksum ok\n",
				m[i].version, m[i].name,
				clock_format_iso(&a, db_cell_i64(&r, row, 3)));
		}
	}
	for (size_t i = 0; i < r.nrows; i++) {
		if (find_version(m, n, db_cell_i64(&r, i, 0)))
			continue;
		fprintf(out, "%04" PRId64 "_%-28s applied, UNKNOWN to this "
			"Värn (a newer one migrated this database)\n",
			db_cell_i64(&r, i, 0), db_cell(&r, i, 1));
		bad++;
	}
	free(m);
	arena_release(&a);
	if (bad)
		return db_fail(err, DBE_OTHER, "%d applied migration(s) do not "
			       "match this Värn", bad);
	return pending;
}
