/* db_sqlite.c - the SQLite backend.
 *
 * One sqlite3 handle per struct db, used by one thread at a time (the pool
 * guarantees it), so the handle is opened without SQLite's own mutexes.
 * Statements are prepared once per connection and cached in a small
 * open-addressing table keyed by the SQL pointer (db.h: SQL texts live as
 * long as the process).  The cache also keeps a copy of the text and
 * compares it on every hit, so a caller that breaks that rule gets a fresh
 * prepare instead of somebody else's statement.
 */
#include "base/base.h"

#include <ctype.h>
#include <time.h>

#include <sqlite3.h>

#include "db/db_impl.h"

#define BUSY_TIMEOUT_MS 5000
/* Virtual machine steps between two looks at the clock when a statement
 * has a time limit (db_set_time_limit): a step is well under a
 * microsecond, a look at the monotonic clock a few tens of nanoseconds. */
#define PROGRESS_STEPS 2000
/* A caller generating SQL per request would grow the cache without end;
 * past this many statements it is emptied and starts again. */
#define CACHE_MAX 4096

struct stmt_slot {
	const char *key;      /* the caller's pointer; NULL = empty slot */
	char *text;           /* copy of the text, to catch reused pointers */
	sqlite3_stmt *st;
	int dml;              /* INSERT/UPDATE/DELETE: report changes */
};

struct sqlite_db {
	struct db base;       /* first: struct db * converts to this */
	sqlite3 *h;
	struct stmt_slot *slots;
	size_t cap, used;     /* cap is a power of two */
	int limit_ms;         /* db_set_time_limit(), 0: none */
	int64_t deadline_ns;  /* of the running statement (monotonic) */
};

static struct sqlite_db *S(struct db *db)
{
	return (struct sqlite_db *)db;
}

static const struct sqlite_db *CS(const struct db *db)
{
	return (const struct sqlite_db *)db;
}

static enum db_errcode map_code(int rc)
{
	switch (rc) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
		return DBE_UNIQUE;
	case SQLITE_CONSTRAINT_FOREIGNKEY:
		return DBE_FOREIGN;
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_DATATYPE:
		return DBE_CHECK;
	}
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DBE_BUSY;
	case SQLITE_INTERRUPT: /* only the time limit interrupts */
		return DBE_TIMEOUT;
	}
	return DBE_OTHER;
}

static int fail_rc(struct sqlite_db *s, int rc, struct db_error *err)
{
	return db_fail(err, map_code(rc), "sqlite: %s (%d)",
		       sqlite3_errmsg(s->h), rc);
}

/* Skips white space and SQL comments. */
static const char *skip_space(const char *p)
{
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else {
			return p;
		}
	}
}

/* Copies sql with every $N placeholder turned into ?N.  Both have the
 * same length and numbering, so only the sign changes.  String literals,
 * quoted identifiers and comments are copied untouched. */
static char *rewrite_params(const char *sql)
{
	char *out = xstrdup(sql);
	char *p = out;

	while (*p) {
		if (*p == '\'' || *p == '"') {
			/* a doubled quote inside is an escaped quote: the
			 * loop leaves and re-enters the literal, harmlessly */
			char q = *p++;
			while (*p && *p != q)
				p++;
			if (*p)
				p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else {
			if (*p == '$' && isdigit((unsigned char)p[1]))
				*p = '?';
			p++;
		}
	}
	return out;
}

static int is_dml(sqlite3_stmt *st)
{
	static const char *const words[] = { "INSERT", "UPDATE", "DELETE",
					     "REPLACE", "WITH" };
	const char *p;

	if (sqlite3_stmt_readonly(st))
		return 0;
	p = skip_space(sqlite3_sql(st));
	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i]);
		if (strncasecmp(p, words[i], n) == 0 &&
		    !isalnum((unsigned char)p[n]) && p[n] != '_')
			return 1;
	}
	return 0;
}

static size_t slot_hash(const char *key, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)key;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & (cap - 1);
}

static struct stmt_slot *slot_find(struct sqlite_db *s, const char *key)
{
	size_t i;

	if (!s->cap)
		return NULL;
	for (i = slot_hash(key, s->cap); s->slots[i].key; i = (i + 1) & (s->cap - 1))
		if (s->slots[i].key == key)
			return &s->slots[i];
	return NULL;
}

static void slot_insert_raw(struct stmt_slot *slots, size_t cap,
			    const struct stmt_slot *e)
{
	size_t i = slot_hash(e->key, cap);

	while (slots[i].key)
		i = (i + 1) & (cap - 1);
	slots[i] = *e;
}

/* Rebuilds the table with capacity cap, leaving out skip (may be NULL). */
static void cache_rebuild(struct sqlite_db *s, size_t cap,
			  const struct stmt_slot *skip)
{
	struct stmt_slot *n = xcalloc(cap, sizeof(*n));

	s->used = 0;
	for (size_t i = 0; i < s->cap; i++) {
		if (!s->slots[i].key || &s->slots[i] == skip)
			continue;
		slot_insert_raw(n, cap, &s->slots[i]);
		s->used++;
	}
	free(s->slots);
	s->slots = n;
	s->cap = cap;
}

static void slot_free(struct stmt_slot *e)
{
	sqlite3_finalize(e->st);
	free(e->text);
	memset(e, 0, sizeof(*e));
}

static void cache_clear(struct sqlite_db *s)
{
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].key)
			slot_free(&s->slots[i]);
	free(s->slots);
	s->slots = NULL;
	s->cap = s->used = 0;
}

static void cache_add(struct sqlite_db *s, const struct stmt_slot *e)
{
	if (s->used >= CACHE_MAX)
		cache_clear(s);
	if (2 * (s->used + 1) > s->cap)
		cache_rebuild(s, s->cap ? 2 * s->cap : 64, NULL);
	slot_insert_raw(s->slots, s->cap, e);
	s->used++;
}

static void sq_forget(struct db *db, const char *sql)
{
	struct sqlite_db *s = S(db);
	struct stmt_slot *e = slot_find(s, sql);
	struct stmt_slot dead;

	if (!e)
		return;
	dead = *e;
	cache_rebuild(s, s->cap, e);
	slot_free(&dead);
}

static int prepare(struct sqlite_db *s, const char *sql,
		   struct stmt_slot **out, struct db_error *err)
{
	struct stmt_slot e = { 0 }, *hit = slot_find(s, sql);
	const char *tail;
	char *text;
	int rc;

	if (hit) {
		if (strcmp(hit->text, sql) == 0) {
			*out = hit;
			return 0;
		}
		log_warn("db: SQL text at a cached address changed; "
			 "SQL passed to db_exec must not be freed");
		sq_forget(&s->base, sql);
	}
	text = rewrite_params(sql);
	rc = sqlite3_prepare_v3(s->h, text, -1, SQLITE_PREPARE_PERSISTENT,
				&e.st, &tail);
	if (rc != SQLITE_OK) {
		db_fail(err, map_code(rc), "sqlite: %s in: %.160s",
			sqlite3_errmsg(s->h), sql);
		free(text);
		return -1;
	}
	if (!e.st || *skip_space(tail)) {
		sqlite3_finalize(e.st);
		free(text);
		return db_fail(err, DBE_OTHER, "db_exec takes exactly one "
			       "statement: %.160s", sql);
	}
	free(text);
	s->base.stats.prepares++;
	e.key = sql;
	e.text = xstrdup(sql);
	e.dml = is_dml(e.st);
	cache_add(s, &e);
	*out = slot_find(s, sql);
	return 0;
}

static int bind_params(struct sqlite_db *s, sqlite3_stmt *st,
		       const struct db_val *params, size_t n,
		       struct db_error *err)
{
	int want = sqlite3_bind_parameter_count(st);

	/* PostgreSQL refuses a parameter it cannot place; be as strict
	 * here, so a mistake shows on the default engine too. */
	if ((size_t)want != n)
		return db_fail(err, DBE_OTHER, "statement takes %d parameters, "
			       "%zu given: %.160s", want, n, sqlite3_sql(st));
	for (size_t i = 0; i < n; i++) {
		int rc, idx = (int)i + 1;
		switch (params[i].t) {
		case DBT_INT:
			rc = sqlite3_bind_int64(st, idx, params[i].i);
			break;
		case DBT_TEXT:
			/* SQLITE_STATIC: bindings are cleared before return */
			rc = sqlite3_bind_text(st, idx, params[i].s, -1,
					       SQLITE_STATIC);
			break;
		default:
			rc = sqlite3_bind_null(st, idx);
			break;
		}
		if (rc != SQLITE_OK)
			return fail_rc(s, rc, err);
	}
	return 0;
}

/* Steps st to the end, collecting the rows (when out) into the arena. */
static int collect(struct sqlite_db *s, sqlite3_stmt *st, struct arena *a,
		   struct db_rows *out, struct db_error *err)
{
	size_t ncols = (size_t)sqlite3_column_count(st);
	size_t ncells = 0, capcells = 0;
	const char **cells = NULL;
	int rc;

	if (out) {
		out->ncols = ncols;
		out->names = arena_alloc(a, (ncols ? ncols : 1) * sizeof(char *));
		for (size_t c = 0; c < ncols; c++)
			out->names[c] = arena_strdup(a, sqlite3_column_name(st, (int)c));
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!out)
			continue;
		if (ncells + ncols > capcells) {
			capcells = capcells ? 2 * capcells : 16 * (ncols ? ncols : 1);
			cells = xrealloc(cells, capcells * sizeof(*cells));
		}
		for (size_t c = 0; c < ncols; c++) {
			const char *v = NULL;
			if (sqlite3_column_type(st, (int)c) != SQLITE_NULL) {
				const unsigned char *t = sqlite3_column_text(st, (int)c);
				int len = sqlite3_column_bytes(st, (int)c);
				v = arena_strndup(a, t ? (const char *)t : "",
						  (size_t)len);
			}
			cells[ncells++] = v;
		}
		out->nrows++;
	}
	if (rc != SQLITE_DONE) {
		free(cells);
		if (out)
			out->nrows = 0;
		return fail_rc(s, rc, err);
	}
	if (out) {
		out->cells = arena_alloc(a, (ncells ? ncells : 1) * sizeof(char *));
		if (ncells)
			memcpy(out->cells, cells, ncells * sizeof(char *));
	}
	free(cells);
	return 0;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		BUG("clock_gettime failed");
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* SQLite's progress handler: non-zero interrupts the statement. */
static int past_deadline(void *arg)
{
	return mono_ns() > ((struct sqlite_db *)arg)->deadline_ns;
}

static int sq_exec(struct db *db, struct arena *a, const char *sql,
		   const struct db_val *params, size_t n,
		   struct db_rows *out, struct db_error *err)
{
	struct sqlite_db *s = S(db);
	struct stmt_slot *e = NULL;
	int rc;

	db_count_statement(db, sql);
	if (prepare(s, sql, &e, err))
		return -1;
	if (s->limit_ms)
		s->deadline_ns = mono_ns() + (int64_t)s->limit_ms * 1000000;
	rc = bind_params(s, e->st, params, n, err);
	if (!rc)
		rc = collect(s, e->st, a, out, err);
	if (!rc && out && e->dml)
		out->changes = sqlite3_changes64(s->h);
	sqlite3_reset(e->st);
	sqlite3_clear_bindings(e->st);
	return rc;
}

static int sq_exec_script(struct db *db, const char *sql, struct db_error *err)
{
	struct sqlite_db *s = S(db);
	char *msg = NULL;
	int rc;

	if (s->limit_ms)
		s->deadline_ns = mono_ns() + (int64_t)s->limit_ms * 1000000;
	db_count_statement(db, sql);
	rc = sqlite3_exec(s->h, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		rc = sqlite3_extended_errcode(s->h);
		db_fail(err, map_code(rc), "sqlite: %s (%d)",
			msg ? msg : sqlite3_errstr(rc), rc);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int sq_in_transaction(const struct db *db)
{
	return !sqlite3_get_autocommit(CS(db)->h);
}

static int sq_commit(struct db *db, struct db_error *err)
{
	if (!sq_exec_script(db, "COMMIT", err))
		return 0;
	/* A COMMIT refused for a deferred foreign key leaves the
	 * transaction open in SQLite; end it, as PostgreSQL does. */
	if (sq_in_transaction(db)) {
		db_count_statement(db, "ROLLBACK");
		sqlite3_exec(S(db)->h, "ROLLBACK", NULL, NULL, NULL);
	}
	return -1;
}

static int sq_set_lock_timeout(struct db *db, int ms, struct db_error *err)
{
	int rc = sqlite3_busy_timeout(S(db)->h, ms);

	return rc == SQLITE_OK ? 0 : fail_rc(S(db), rc, err);
}

static int sq_set_time_limit(struct db *db, int ms, struct db_error *err)
{
	struct sqlite_db *s = S(db);

	(void)err;
	s->limit_ms = ms;
	sqlite3_progress_handler(s->h, ms ? PROGRESS_STEPS : 0, ms ? past_deadline : NULL,
				 ms ? s : NULL);
	return 0;
}

static void sq_close(struct db *db)
{
	struct sqlite_db *s = S(db);

	cache_clear(s);
	if (sqlite3_close(s->h) != SQLITE_OK)
		log_warn("db: sqlite3_close: %s", sqlite3_errmsg(s->h));
	free(s);
}

static const struct db_ops sqlite_ops = {
	.name = "sqlite",
	.sql_begin = "BEGIN IMMEDIATE",
	/* A deferred transaction takes its snapshot at the first read. */
	.sql_snapshot = "BEGIN; SELECT count(*) FROM sqlite_schema",
	.exec = sq_exec,
	.exec_script = sq_exec_script,
	.commit = sq_commit,
	.in_transaction = sq_in_transaction,
	.forget = sq_forget,
	.set_lock_timeout = sq_set_lock_timeout,
	.set_time_limit = sq_set_time_limit,
	.close = sq_close,
};

static int configure(struct sqlite_db *s, int flags, struct db_error *err)
{
	static const struct { int op, on; } cfg[] = {
		/* no writable_schema and other ways to corrupt the file */
		{ SQLITE_DBCONFIG_DEFENSIVE, 1 },
		/* a schema (e.g. a restored backup) cannot run functions
		 * with side effects from views or triggers */
		{ SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0 },
		/* "x" is an identifier, never a string, as in PostgreSQL */
		{ SQLITE_DBCONFIG_DQS_DML, 0 },
		{ SQLITE_DBCONFIG_DQS_DDL, 0 },
	};
	const char *pragmas;

	for (size_t i = 0; i < ARRAY_SIZE(cfg); i++)
		if (sqlite3_db_config(s->h, cfg[i].op, cfg[i].on, NULL) != SQLITE_OK)
			return fail_rc(s, sqlite3_errcode(s->h), err);
	sqlite3_extended_result_codes(s->h, 1);
	sqlite3_busy_timeout(s->h, BUSY_TIMEOUT_MS);
	if (flags & DBO_READONLY)
		pragmas = "PRAGMA query_only = ON;";
	else if (flags & DBO_SCRATCH)
		pragmas = "PRAGMA foreign_keys = ON;"
			  "PRAGMA journal_mode = DELETE;"
			  "PRAGMA synchronous = OFF;";
	else
		/* WAL: readers never block the writer.  synchronous stays
		 * FULL: a committed audit event must survive a power cut. */
		pragmas = "PRAGMA foreign_keys = ON;"
			  "PRAGMA journal_mode = WAL;";
	/* Switching a new file to WAL takes an exclusive lock for which
	 * SQLite does not wait (no busy handler): several processes opening
	 * the same new database at once (migrations racing at start-up) may
	 * see SQLITE_BUSY.  The switch is quick; try again for a while. */
	for (int tries = 0;; tries++) {
		int rc = sq_exec_script(&s->base, pragmas, err);
		if (rc == 0 || err->code != DBE_BUSY || tries >= 250)
			return rc;
		sqlite3_sleep(20);
	}
}

int db_sqlite_open(const char *path, int flags, struct db **out,
		   struct db_error *err)
{
	struct sqlite_db *s = xcalloc(1, sizeof(*s));
	int oflags = SQLITE_OPEN_NOMUTEX;
	int rc;

	*out = NULL;
	oflags |= (flags & DBO_READONLY) ? SQLITE_OPEN_READONLY
					 : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	s->base.ops = &sqlite_ops;
	s->base.kind = DB_SQLITE;
	rc = sqlite3_open_v2(path, &s->h, oflags, NULL);
	if (rc != SQLITE_OK) {
		db_fail(err, DBE_OTHER, "sqlite: cannot open %s: %s", path,
			s->h ? sqlite3_errmsg(s->h) : sqlite3_errstr(rc));
		sqlite3_close(s->h);
		free(s);
		return -1;
	}
	if (configure(s, flags, err)) {
		sq_close(&s->base);
		return -1;
	}
	*out = &s->base;
	return 0;
}
