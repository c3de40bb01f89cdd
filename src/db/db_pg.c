/* db_pg.c - the PostgreSQL backend (libpq).
 *
 * Statements go through PQexecParams with text parameters; results come
 * back as text and are copied into the caller's arena, so both engines
 * hand the layers above the very same strings ("42", not 42).  Integer
 * parameters are typed int8, so that "$1 + 1" or "LIMIT $1" mean what they
 * mean in SQLite; text and NULL parameters are left for the server to type
 * from context, as SQLite's dynamic typing would.
 *
 * As the SQLite backend, each connection keeps its statements prepared
 * (named, PQprepare once, then PQexecPrepared), keyed by the text's
 * address (db.h: SQL lives as long as the process) and the parameters'
 * types, so the server parses a statement once per connection instead of
 * on every page.  Every execution is still planned for its values
 * (plan_cache_mode = force_custom_plan): the plans are what they were.
 * One round trip per statement either way.
 */
#include "base/base.h"

#include <inttypes.h>

#include <libpq-fe.h>

#include "db/db_impl.h"

#define INT8OID 20
#define FEW_PARAMS 16

/* Session settings for every connection.  statement_timeout stops a
 * runaway report; lock_timeout matches SQLite's busy_timeout, so a writer
 * stuck behind another fails as DBE_BUSY on both engines. */
#define STATEMENT_TIMEOUT "'60s'"
static const char session_setup[] =
	"SET TIME ZONE 'UTC';"
	"SET statement_timeout = " STATEMENT_TIMEOUT ";"
	"SET lock_timeout = '5s';"
	"SET idle_in_transaction_session_timeout = '10min';"
	"SET standard_conforming_strings = on;"
	"SET client_min_messages = warning;"
	"SET plan_cache_mode = force_custom_plan;";

/* Statements kept prepared per connection; past this many, new ones run
 * unprepared (PQexecParams) rather than evict. */
#define PREPARED_MAX 1024
/* Parameter types are part of the key: at most this many parameters. */
#define PREPARED_PARAMS 64

struct pg_stmt {
	const char *key;      /* the caller's text (its address) */
	uint64_t ints;        /* bit i: parameter i was typed int8 */
	size_t nparams;
	char *text;           /* a copy, to notice a reused buffer */
	char name[24];
};

struct pg_db {
	struct db base;       /* first: struct db * converts to this */
	PGconn *conn;
	/* Whether a transaction was open after the last command that
	 * reached the server: when the connection breaks, libpq no longer
	 * knows, and a lost transaction must not be replaced silently by a
	 * fresh connection in autocommit mode. */
	int tx_open;
	/* prepared statements: open addressing on key (a power of two) */
	struct pg_stmt *stmts;
	size_t cap, used;
	uint64_t next_name;
};

static struct pg_db *P(struct db *db)
{
	return (struct pg_db *)db;
}

static size_t stmt_hash(const char *key, uint64_t ints, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)key ^ (ints * 0x9e3779b97f4a7c15ULL);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

static struct pg_stmt *stmt_find(struct pg_db *p, const char *key, uint64_t ints,
				 size_t n)
{
	if (!p->cap)
		return NULL;
	for (size_t i = stmt_hash(key, ints, p->cap); p->stmts[i].key;
	     i = (i + 1) & (p->cap - 1))
		if (p->stmts[i].key == key && p->stmts[i].ints == ints &&
		    p->stmts[i].nparams == n)
			return &p->stmts[i];
	return NULL;
}

static void stmt_insert_raw(struct pg_stmt *v, size_t cap, const struct pg_stmt *e)
{
	size_t i = stmt_hash(e->key, e->ints, cap);

	while (v[i].key)
		i = (i + 1) & (cap - 1);
	v[i] = *e;
}

/* Rebuilds the table with capacity cap, leaving out skip (may be NULL). */
static void stmts_rebuild(struct pg_db *p, size_t cap, const struct pg_stmt *skip)
{
	struct pg_stmt *v = xcalloc(cap, sizeof(*v));

	p->used = 0;
	for (size_t i = 0; i < p->cap; i++) {
		if (!p->stmts[i].key || &p->stmts[i] == skip)
			continue;
		stmt_insert_raw(v, cap, &p->stmts[i]);
		p->used++;
	}
	free(p->stmts);
	p->stmts = v;
	p->cap = cap;
}

/* Forgets every prepared statement (the server's are gone with a lost
 * connection, or are about to be with the connection). */
static void stmts_clear(struct pg_db *p)
{
	for (size_t i = 0; i < p->cap; i++)
		free(p->stmts[i].text);
	free(p->stmts);
	p->stmts = NULL;
	p->cap = p->used = 0;
}

static enum db_errcode map_state(const char *state)
{
	static const struct { const char *state; enum db_errcode code; } map[] = {
		{ "23505", DBE_UNIQUE },
		{ "23503", DBE_FOREIGN },
		{ "23514", DBE_CHECK },
		{ "23502", DBE_CHECK },
		/* a value that does not fit the column's type, as SQLite's
		 * STRICT tables report SQLITE_CONSTRAINT_DATATYPE */
		{ "22P02", DBE_CHECK },  /* invalid_text_representation */
		{ "22003", DBE_CHECK },  /* numeric_value_out_of_range */
		{ "40001", DBE_BUSY },   /* serialization_failure */
		{ "40P01", DBE_BUSY },   /* deadlock_detected */
		{ "55P03", DBE_BUSY },   /* lock_not_available */
		{ "57014", DBE_TIMEOUT },/* query_canceled: statement_timeout */
	};

	if (!state)
		return DBE_OTHER;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (strcmp(state, map[i].state) == 0)
			return map[i].code;
	return DBE_OTHER;
}

/* libpq messages end in a newline and may span lines; keep one line. */
static void copy_message(struct db_error *err, const char *state,
			 const char *msg)
{
	char *p;

	db_fail(err, map_state(state), "postgresql: %s%s%s",
		state ? state : "", state ? " " : "", msg ? msg : "");
	if (!err)
		return;
	for (p = err->msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	while (p > err->msg && p[-1] == ' ')
		*--p = '\0';
}

static int fail_result(struct pg_db *p, PGresult *res, struct db_error *err)
{
	if (res)
		copy_message(err, PQresultErrorField(res, PG_DIAG_SQLSTATE),
			     PQresultErrorMessage(res));
	else
		copy_message(err, NULL, PQerrorMessage(p->conn));
	PQclear(res);
	return -1;
}

static void notice_to_log(void *arg, const char *msg)
{
	(void)arg;
	log_warn("db: postgresql: %.*s", (int)strcspn(msg, "\n"), msg);
}

static int setup(struct pg_db *p, struct db_error *err)
{
	PGresult *res;

	PQsetNoticeProcessor(p->conn, notice_to_log, NULL);
	if (PQsetClientEncoding(p->conn, "UTF8") != 0)
		return db_fail(err, DBE_OTHER,
			       "postgresql: cannot set client encoding UTF8");
	db_count_statement(&p->base, session_setup);
	res = PQexec(p->conn, session_setup);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail_result(p, res, err);
	PQclear(res);
	return 0;
}

static void note_tx(struct pg_db *p)
{
	PGTransactionStatusType t = PQtransactionStatus(p->conn);

	if (PQstatus(p->conn) == CONNECTION_OK)
		p->tx_open = t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

/* A connection dropped by a server restart is re-opened before the next
 * statement; never inside a transaction, whose statements are gone: the
 * caller hears so and must roll back first. */
static int ensure_connected(struct pg_db *p, struct db_error *err)
{
	if (PQstatus(p->conn) == CONNECTION_OK)
		return 0;
	if (p->tx_open)
		return db_fail(err, DBE_OTHER, "postgresql: connection lost "
			       "inside a transaction");
	PQreset(p->conn);
	stmts_clear(p); /* the new session has none */
	if (PQstatus(p->conn) != CONNECTION_OK)
		return fail_result(p, NULL, err);
	log_warn("db: postgresql connection re-established");
	return setup(p, err);
}

static void copy_rows(PGresult *res, struct arena *a, struct db_rows *out)
{
	size_t nrows = (size_t)PQntuples(res), ncols = (size_t)PQnfields(res);
	size_t ncells = nrows * ncols;

	out->nrows = nrows;
	out->ncols = ncols;
	out->names = arena_alloc(a, (ncols ? ncols : 1) * sizeof(char *));
	out->cells = arena_alloc(a, (ncells ? ncells : 1) * sizeof(char *));
	for (size_t c = 0; c < ncols; c++)
		out->names[c] = arena_strdup(a, PQfname(res, (int)c));
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncols; c++)
			if (!PQgetisnull(res, (int)r, (int)c))
				out->cells[r * ncols + c] = arena_strndup(a,
					PQgetvalue(res, (int)r, (int)c),
					(size_t)PQgetlength(res, (int)r, (int)c));
}

/* Rows changed, for DML only: PQcmdTuples also counts a SELECT's rows,
 * which SQLite's changes() does not. */
static int64_t dml_changes(PGresult *res)
{
	static const char *const verbs[] = { "INSERT ", "UPDATE ", "DELETE ",
					     "MERGE " };
	const char *status = PQcmdStatus(res);
	int64_t n;

	for (size_t i = 0; i < ARRAY_SIZE(verbs); i++)
		if (strncmp(status, verbs[i], strlen(verbs[i])) == 0)
			return parse_i64(PQcmdTuples(res), &n) ? 0 : n;
	return 0;
}

/* Drops the statement e, here and on the server. */
static void stmt_drop(struct pg_db *p, struct pg_stmt *e)
{
	char sql[48];
	struct pg_stmt dead = *e;

	snprintf(sql, sizeof(sql), "DEALLOCATE %s", dead.name);
	stmts_rebuild(p, p->cap, e);
	/* in a failed transaction this fails too: the statement then
	 * stays on the server, unused, until the connection ends */
	PQclear(PQexec(p->conn, sql));
	free(dead.text);
}

/* Runs sql through its prepared statement, preparing it the first time
 * (db_stats.prepares counts that), or unprepared when it cannot be kept. */
static PGresult *run(struct pg_db *p, const char *sql, size_t n, const unsigned int *type,
		     const char *const *val)
{
	uint64_t ints = 0;
	struct pg_stmt *e;
	PGresult *res;

	if (n > PREPARED_PARAMS)
		return PQexecParams(p->conn, sql, (int)n, type, val, NULL, NULL, 0);
	for (size_t i = 0; i < n; i++)
		if (type[i] == INT8OID)
			ints |= (uint64_t)1 << i;
	e = stmt_find(p, sql, ints, n);
	if (e && strcmp(e->text, sql) != 0) {
		/* the caller reused a buffer for other SQL (against db.h) */
		stmt_drop(p, e);
		e = NULL;
	}
	if (!e) {
		struct pg_stmt fresh = { sql, ints, n, NULL, "" };
		if (p->used >= PREPARED_MAX)
			return PQexecParams(p->conn, sql, (int)n, type, val, NULL, NULL, 0);
		snprintf(fresh.name, sizeof(fresh.name), "varn_%" PRIu64, ++p->next_name);
		p->base.stats.prepares++;
		res = PQprepare(p->conn, fresh.name, sql, (int)n, type);
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			return res; /* the statement's error, as executing it would say */
		PQclear(res);
		fresh.text = xstrdup(sql);
		if (2 * (p->used + 1) > p->cap)
			stmts_rebuild(p, p->cap ? 2 * p->cap : 128, NULL);
		stmt_insert_raw(p->stmts, p->cap, &fresh);
		p->used++;
		e = stmt_find(p, sql, ints, n);
	}
	res = PQexecPrepared(p->conn, e->name, (int)n, val, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_FATAL_ERROR &&
	    PQtransactionStatus(p->conn) == PQTRANS_IDLE &&
	    strcmp(PQresultErrorField(res, PG_DIAG_SQLSTATE) ?
		   PQresultErrorField(res, PG_DIAG_SQLSTATE) : "", "0A000") == 0) {
		/* "cached plan must not change result type": a table's
		 * columns changed under the statement (a migration); prepare
		 * it anew next time, run it unprepared now */
		PQclear(res);
		stmt_drop(p, e);
		return PQexecParams(p->conn, sql, (int)n, type, val, NULL, NULL, 0);
	}
	return res;
}

static int pg_exec(struct db *db, struct arena *a, const char *sql,
		   const struct db_val *params, size_t n,
		   struct db_rows *out, struct db_error *err)
{
	struct pg_db *p = P(db);
	char few_num[FEW_PARAMS][24], (*num)[24] = few_num;
	const char *few_val[FEW_PARAMS], **val = few_val;
	unsigned int few_type[FEW_PARAMS], *type = few_type;
	PGresult *res;
	int rc = -1;

	if (n > 65535)
		return db_fail(err, DBE_OTHER, "too many parameters");
	if (ensure_connected(p, err))
		return -1;
	if (n > FEW_PARAMS) {
		num = xmalloc(n * sizeof(*num));
		val = xmalloc(n * sizeof(*val));
		type = xmalloc(n * sizeof(*type));
	}
	for (size_t i = 0; i < n; i++) {
		type[i] = 0;
		val[i] = NULL;
		if (params[i].t == DBT_INT) {
			snprintf(num[i], sizeof(num[i]), "%" PRId64, params[i].i);
			val[i] = num[i];
			type[i] = INT8OID;
		} else if (params[i].t == DBT_TEXT) {
			val[i] = params[i].s;
		}
	}
	db_count_statement(db, sql);
	res = run(p, sql, n, type, (const char *const *)val);
	note_tx(p);
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		if (out) {
			copy_rows(res, a, out);
			out->changes = dml_changes(res);
		}
		PQclear(res);
		rc = 0;
		break;
	default:
		fail_result(p, res, err);
		break;
	}
	if (num != few_num) {
		free(num);
		free(val);
		free(type);
	}
	return rc;
}

static int pg_exec_script(struct db *db, const char *sql, struct db_error *err)
{
	struct pg_db *p = P(db);
	PGresult *res;

	if (PQstatus(p->conn) != CONNECTION_OK && p->tx_open &&
	    strcmp(sql, "ROLLBACK") == 0) {
		/* the server ended the transaction with the connection */
		p->tx_open = 0;
		return 0;
	}
	if (ensure_connected(p, err))
		return -1;
	db_count_statement(db, sql);
	res = PQexec(p->conn, sql);
	note_tx(p);
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
	case PGRES_COMMAND_OK:
		PQclear(res);
		return 0;
	default:
		return fail_result(p, res, err);
	}
}

static int pg_in_transaction(const struct db *db)
{
	const struct pg_db *p = (const struct pg_db *)db;
	PGTransactionStatusType t = PQtransactionStatus(p->conn);

	if (PQstatus(p->conn) != CONNECTION_OK)
		return p->tx_open;
	return t == PQTRANS_INTRANS || t == PQTRANS_INERROR;
}

static int pg_commit(struct db *db, struct db_error *err)
{
	struct pg_db *p = P(db);
	PGresult *res;

	/* COMMIT of a failed transaction "succeeds" as a ROLLBACK; the
	 * caller must hear that nothing was written. */
	if (PQstatus(p->conn) != CONNECTION_OK) {
		p->tx_open = 0;
		return db_fail(err, DBE_OTHER, "postgresql: connection lost; "
			       "transaction rolled back");
	}
	if (PQtransactionStatus(p->conn) == PQTRANS_INERROR) {
		pg_exec_script(db, "ROLLBACK", NULL);
		return db_fail(err, DBE_OTHER, "postgresql: COMMIT of a failed "
			       "transaction; rolled back");
	}
	db_count_statement(db, "COMMIT");
	res = PQexec(p->conn, "COMMIT");
	note_tx(p);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		return fail_result(p, res, err);
	if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
		PQclear(res);
		return db_fail(err, DBE_OTHER, "postgresql: transaction was "
			       "rolled back at COMMIT");
	}
	PQclear(res);
	return 0;
}

static void pg_forget(struct db *db, const char *sql)
{
	struct pg_db *p = P(db);
	int again = 1;

	while (again) { /* one per set of parameter types */
		again = 0;
		for (size_t i = 0; i < p->cap; i++)
			if (p->stmts[i].key == sql) {
				stmt_drop(p, &p->stmts[i]);
				again = 1;
				break;
			}
	}
}

static int pg_set_lock_timeout(struct db *db, int ms, struct db_error *err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "SET lock_timeout = %d", ms);
	return pg_exec_script(db, sql, err);
}

/* Always sent (no cached value): a SET made inside a transaction that is
 * rolled back is undone with it. */
static int pg_set_time_limit(struct db *db, int ms, struct db_error *err)
{
	char sql[64];

	if (ms > 0)
		snprintf(sql, sizeof(sql), "SET statement_timeout = %d", ms);
	else
		snprintf(sql, sizeof(sql), "SET statement_timeout = " STATEMENT_TIMEOUT);
	return pg_exec_script(db, sql, err);
}

static void pg_close(struct db *db)
{
	stmts_clear(P(db));
	PQfinish(P(db)->conn);
	free(db);
}

static const struct db_ops pg_ops = {
	.name = "postgresql",
	/* READ COMMITTED: writers serialise on the rows they touch and on
	 * the audit head row. */
	.sql_begin = "BEGIN",
	.sql_snapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
	.exec = pg_exec,
	.exec_script = pg_exec_script,
	.commit = pg_commit,
	.in_transaction = pg_in_transaction,
	.forget = pg_forget,
	.set_lock_timeout = pg_set_lock_timeout,
	.set_time_limit = pg_set_time_limit,
	.close = pg_close,
};

int db_pg_open(const char *conninfo, struct db **out, struct db_error *err)
{
	struct pg_db *p = xcalloc(1, sizeof(*p));

	*out = NULL;
	p->base.ops = &pg_ops;
	p->base.kind = DB_PG;
	p->conn = PQconnectdb(conninfo);
	if (!p->conn) {
		free(p);
		return db_fail(err, DBE_OTHER, "postgresql: out of memory");
	}
	if (PQstatus(p->conn) != CONNECTION_OK || setup(p, err)) {
		if (PQstatus(p->conn) != CONNECTION_OK)
			copy_message(err, NULL, PQerrorMessage(p->conn));
		pg_close(&p->base);
		return -1;
	}
	*out = &p->base;
	return 0;
}
