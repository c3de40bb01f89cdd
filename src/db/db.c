/* db.c - the storage interface: URL dispatch, argument checks, transactions
 * and the connection pool.  The engines live in db_sqlite.c and db_pg.c
 * behind struct db_ops (db_impl.h). */
#include "base/base.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>

#include <sodium.h>

#include "db/db_impl.h"

int db_fail(struct db_error *err, enum db_errcode code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void db_error_prefix(struct db_error *err, const char *fmt, ...)
{
	char pre[sizeof(err->msg)], msg[sizeof(err->msg)];
	size_t np, nm;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	memcpy(msg, err->msg, sizeof(msg));
	msg[sizeof(msg) - 1] = '\0';
	np = strlen(pre);
	nm = strlen(msg);
	if (np + nm >= sizeof(err->msg))
		nm = sizeof(err->msg) - 1 - np;
	memcpy(err->msg, pre, np);
	memcpy(err->msg + np, msg, nm);
	err->msg[np + nm] = '\0';
}

static void clear_error(struct db_error *err)
{
	if (err) {
		err->code = DBE_OK;
		err->msg[0] = '\0';
	}
}

static int has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int db_open(const char *url, struct db **out, struct db_error *err)
{
	int rc;

	*out = NULL;
	clear_error(err);
	if (!url || !*url)
		return db_fail(err, DBE_OTHER, "no database URL given");
	/* libsodium hashes the migrations and backups; sodium_init() is
	 * idempotent and thread-safe. */
	if (sodium_init() < 0)
		return db_fail(err, DBE_OTHER, "libsodium failed to initialise");
	if (has_prefix(url, "sqlite:")) {
		const char *path = url + strlen("sqlite:");
		if (!*path)
			return db_fail(err, DBE_OTHER,
				       "sqlite: URL without a file name");
		rc = db_sqlite_open(path, 0, out, err);
	} else if (has_prefix(url, "postgresql://") ||
		   has_prefix(url, "postgres://") ||
		   (strchr(url, '=') && !strstr(url, "://"))) {
		rc = db_pg_open(url, out, err);
	} else {
		return db_fail(err, DBE_OTHER,
			       "unknown database URL (want sqlite:FILE or "
			       "postgresql://...)");
	}
	if (rc)
		return rc;
	(*out)->url = xstrdup(url);
	return 0;
}

void db_close(struct db *db)
{
	char *url;

	if (!db)
		return;
	db_trace(db, 0);
	url = db->url;
	db->ops->close(db);
	free(url);
}

enum db_kind db_kind(const struct db *db)
{
	return db->kind;
}

const char *db_url(const struct db *db)
{
	return db->url;
}

void db_get_stats(const struct db *db, struct db_stats *out)
{
	*out = db->stats;
}

uint64_t db_statements(const struct db *db)
{
	return db->stats.statements;
}

static void trace_forget(struct db *db)
{
	for (size_t i = 0; i < db->ntrace; i++)
		free(db->trace[i]);
	db->ntrace = 0;
}

void db_statements_reset(struct db *db)
{
	db->stats.statements = 0;
	trace_forget(db);
}

void db_trace(struct db *db, int on)
{
	trace_forget(db);
	if (!on) {
		free(db->trace);
		db->trace = NULL;
		db->trace_cap = 0;
	}
	db->tracing = !!on;
}

const char *const *db_trace_list(const struct db *db, size_t *n)
{
	*n = db->ntrace;
	return (const char *const *)db->trace;
}

void db_count_statement(struct db *db, const char *sql)
{
	db->stats.statements++;
	if (!db->tracing)
		return;
	if (db->ntrace == db->trace_cap) {
		db->trace_cap = db->trace_cap ? 2 * db->trace_cap : 64;
		db->trace = xrealloc(db->trace, db->trace_cap * sizeof(*db->trace));
	}
	db->trace[db->ntrace++] = xstrdup(sql);
}

static int tx_failed(struct db_error *err)
{
	return db_fail(err, DBE_OTHER, "a statement failed in this "
		       "transaction; roll it back first");
}

/* in_tx is whether a transaction was open before the statement: SQLite
 * rolls back by itself on some errors (disk full), and what follows must
 * not quietly run outside the transaction the caller believes open. */
static int note_failure(struct db *db, int in_tx)
{
	if (in_tx)
		db->tx_failed = 1;
	return -1;
}

int db_exec(struct db *db, struct arena *a, const char *sql,
	    const struct db_val *params, size_t nparams,
	    struct db_rows *out, struct db_error *err)
{
	int in_tx;

	clear_error(err);
	if (out) {
		if (!a)
			BUG("db_exec: rows wanted but no arena");
		memset(out, 0, sizeof(*out));
	}
	if (nparams && !params)
		BUG("db_exec: %zu parameters but no array", nparams);
	for (size_t i = 0; i < nparams; i++)
		if (params[i].t == DBT_TEXT && !params[i].s)
			BUG("db_exec: text parameter $%zu is a NULL pointer "
			    "(use DB_TEXT(), which binds NULL)", i + 1);
	if (db->tx_failed)
		return tx_failed(err);
	db->stats.queries++;
	in_tx = db->ops->in_transaction(db);
	if (db->ops->exec(db, a, sql, params, nparams, out, err))
		return note_failure(db, in_tx);
	return 0;
}

int db_analyze(struct db *db, struct db_error *err)
{
	return db_exec_script(db, db_kind(db) == DB_SQLITE ? "PRAGMA analysis_limit = 1000; ANALYZE;"
							   : "ANALYZE", err);
}

int db_exec_script(struct db *db, const char *sql, struct db_error *err)
{
	int in_tx;

	clear_error(err);
	if (db->tx_failed)
		return tx_failed(err);
	in_tx = db->ops->in_transaction(db);
	if (db->ops->exec_script(db, sql, err))
		return note_failure(db, in_tx);
	return 0;
}

int64_t db_cell_i64(const struct db_rows *r, size_t row, size_t col)
{
	const char *s = db_cell(r, row, col);
	int64_t v;

	if (!s || parse_i64(s, &v))
		return 0;
	return v;
}

int db_col(const struct db_rows *r, const char *name)
{
	for (size_t i = 0; i < r->ncols; i++)
		if (strcmp(r->names[i], name) == 0)
			return (int)i;
	return -1;
}

static int begin_with(struct db *db, const char *sql, struct db_error *err)
{
	clear_error(err);
	/* PostgreSQL only warns about a nested BEGIN; refuse it on both
	 * engines, since the caller's idea of its transaction is wrong. */
	if (db->ops->in_transaction(db))
		return db_fail(err, DBE_OTHER, "a transaction is already open");
	db->tx_failed = 0;
	return db->ops->exec_script(db, sql, err);
}

int db_begin(struct db *db, struct db_error *err)
{
	return begin_with(db, db->ops->sql_begin, err);
}

int db_begin_snapshot(struct db *db, struct db_error *err)
{
	return begin_with(db, db->ops->sql_snapshot, err);
}

int db_commit(struct db *db, struct db_error *err)
{
	clear_error(err);
	if (!db->ops->in_transaction(db))
		return db_fail(err, DBE_OTHER, "COMMIT without a transaction");
	if (db->tx_failed) {
		db_rollback(db);
		return db_fail(err, DBE_OTHER, "a statement failed in this "
			       "transaction; it was rolled back");
	}
	return db->ops->commit(db, err);
}

void db_rollback(struct db *db)
{
	struct db_error err;

	db->tx_failed = 0;
	if (db->ops->in_transaction(db) &&
	    db->ops->exec_script(db, "ROLLBACK", &err))
		log_warn("db: ROLLBACK failed: %s", err.msg);
}

/* One savepoint name is enough: the engine's writes do not nest. */
int db_savepoint(struct db *db, struct db_error *err)
{
	if (!db->ops->in_transaction(db))
		BUG("db_savepoint outside a transaction");
	return db_exec_script(db, "SAVEPOINT varn_sp", err);
}

int db_release_savepoint(struct db *db, struct db_error *err)
{
	return db_exec_script(db, "RELEASE SAVEPOINT varn_sp", err);
}

void db_rollback_to_savepoint(struct db *db)
{
	struct db_error err;

	/* the one statement allowed after a failure: it undoes the failure */
	db->tx_failed = 0;
	if (db->ops->exec_script(db, "ROLLBACK TO SAVEPOINT varn_sp", &err) ||
	    db->ops->exec_script(db, "RELEASE SAVEPOINT varn_sp", &err)) {
		log_warn("db: ROLLBACK TO SAVEPOINT failed: %s", err.msg);
		db->tx_failed = 1;
	}
}

int db_error_set(struct db_error *err, enum db_errcode code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int db_failed(const struct db *db)
{
	return db->tx_failed;
}

int db_in_transaction(const struct db *db)
{
	return db->ops->in_transaction(db);
}

void db_forget(struct db *db, const char *sql)
{
	db->ops->forget(db, sql);
}

int db_set_lock_timeout(struct db *db, int ms, struct db_error *err)
{
	clear_error(err);
	return db->ops->set_lock_timeout(db, ms, err);
}

int db_set_time_limit(struct db *db, int ms, struct db_error *err)
{
	clear_error(err);
	return db->ops->set_time_limit(db, ms < 0 ? 0 : ms, err);
}

int db_table_exists(struct db *db, const char *table, struct db_error *err)
{
	static const char sql_sqlite[] =
		"SELECT count(*) FROM sqlite_schema "
		"WHERE type = 'table' AND name = $1";
	static const char sql_pg[] =
		"SELECT count(*) FROM information_schema.tables "
		"WHERE table_schema = current_schema() AND table_name = $1";
	struct arena a = ARENA_INIT;
	struct db_rows r;
	int rc;

	rc = db_exec(db, &a, db->kind == DB_PG ? sql_pg : sql_sqlite,
		     DB_ARGS(DB_TEXT(table)), &r, err);
	if (!rc)
		rc = db_cell_i64(&r, 0, 0) > 0;
	arena_release(&a);
	return rc;
}

/* The pool: a fixed set of connections opened at start (so a bad URL fails
 * at once, not on the first request) and a stack of the free ones. */
struct db_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int size, nfree;
	struct db **all;
	struct db **free;
};

int db_pool_open(const char *url, int size, struct db_pool **out,
		 struct db_error *err)
{
	struct db_pool *p;

	*out = NULL;
	if (size < 1)
		return db_fail(err, DBE_OTHER, "pool size must be at least 1");
	p = xcalloc(1, sizeof(*p));
	p->all = xcalloc((size_t)size, sizeof(*p->all));
	p->free = xcalloc((size_t)size, sizeof(*p->free));
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	for (int i = 0; i < size; i++) {
		if (db_open(url, &p->all[i], err)) {
			p->size = i;
			p->nfree = i;
			db_pool_close(p);
			return -1;
		}
		p->free[i] = p->all[i];
	}
	p->size = p->nfree = size;
	*out = p;
	return 0;
}

struct db *db_pool_get(struct db_pool *p)
{
	struct db *db;

	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	db = p->free[--p->nfree];
	pthread_mutex_unlock(&p->lock);
	return db;
}

void db_pool_put(struct db_pool *p, struct db *db)
{
	/* A handler that returns with an open transaction is a bug, but the
	 * next user of the connection must not inherit it. */
	if (db_in_transaction(db)) {
		log_warn("db: connection returned to the pool inside a "
			 "transaction; rolling back");
		db_rollback(db);
	}
	pthread_mutex_lock(&p->lock);
	if (p->nfree >= p->size)
		BUG("db_pool_put: more connections returned than taken");
	p->free[p->nfree++] = db;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

void db_pool_close(struct db_pool *p)
{
	if (!p)
		return;
	if (p->nfree != p->size)
		BUG("db_pool_close: %d connections still in use",
		    p->size - p->nfree);
	for (int i = 0; i < p->size; i++)
		db_close(p->all[i]);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->lock);
	free(p->all);
	free(p->free);
	free(p);
}
