/* test_schema.c - the two dialects' migrations give the same schema.
 *
 * With VARN_TEST_DB set to a PostgreSQL URL, a fresh SQLite database and a
 * fresh PostgreSQL database are migrated and described in one neutral
 * text form (tables; columns with type, nullability and default, in
 * order; primary keys and unique constraints; indexes with their columns;
 * foreign keys; the rows the migrations insert), and the descriptions must
 * be equal.  PostgreSQL's own rules are checked too (COLLATE "C" key
 * columns, identity ids, deferrable foreign keys).  With SQLite alone the
 * schema is checked against db_tables[] and SQLite's rules.  The one
 * thing left out of the comparison is the full-text search machinery,
 * which necessarily differs (0003_search.sql): it is checked to be there
 * on each engine instead.
 */
#include "base/base.h"

#include <inttypes.h>

#include "core/module.h"
#include "db/db.h"
#include "db/db_impl.h"
#include "tap.h"
#include "testdb.h"

static struct arena A = ARENA_INIT;

static struct db_rows *q(struct db *db, const char *sql, const char *arg)
{
	struct db_rows *r = arena_alloc(&A, sizeof(*r));
	struct db_error err;
	int rc;

	if (arg)
		rc = db_exec(db, &A, sql, DB_ARGS(DB_TEXT(arg)), r, &err);
	else
		rc = db_exec(db, &A, sql, DB_NOARGS, r, &err);
	if (rc) {
		ok(0, "query failed: %s", err.msg);
		memset(r, 0, sizeof(*r));
	}
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Lines sorted bytewise and joined: order-independent comparison. */
struct lines {
	char *v[256];
	size_t n;
};

static void add_line(struct lines *l, char *s)
{
	if (l->n < ARRAY_SIZE(l->v))
		l->v[l->n++] = s;
}

static char *joined(struct lines *l, int sort)
{
	struct buf b = BUF_INIT;
	char *s;

	if (sort)
		qsort(l->v, l->n, sizeof(l->v[0]), cmp_str);
	for (size_t i = 0; i < l->n; i++)
		buf_printf(&b, "%s\n", l->v[i]);
	s = arena_strdup(&A, b.p);
	buf_release(&b);
	return s;
}

/* Full-text search (0003_search.sql).  SQLite: an FTS5 table per register
 * with the shadow tables FTS5 makes for it, the queue its triggers fill,
 * and the triggers; PostgreSQL: an expression GIN index per register of
 * the same name as SQLite's FTS5 table. */
static const struct {
	const char *name;   /* FTS5 table / GIN index */
	const char *table;  /* the register's table */
} fts[] = {
	{ "it_system_fts", "it_system" },
	{ "information_set_fts", "information_set" },
	{ "action_plan_fts", "action_plan" },
	{ "activity_fts", "activity" },
	{ "approval_fts", "approval" },
	{ "incident_fts", "incident" },
	{ "follow_up_fts", "follow_up" },
	{ "risk_analysis_fts", "risk_analysis" },
	{ "risk_fts", "risk" },
};
static const char *const fts_shadow[] = { "data", "idx", "content", "docsize", "config" };
static const char *const fts_triggers[] = {
	"it_system_search_ins", "it_system_search_upd", "it_system_search_del",
	"information_set_search_ins", "information_set_search_upd",
	"information_set_search_del",
	"action_plan_search_ins", "action_plan_search_upd", "action_plan_search_del",
	"activity_search_ins", "activity_search_upd", "activity_search_del",
	"approval_search_ins", "approval_search_upd", "approval_search_del",
	"incident_search_ins", "incident_search_upd", "incident_search_del",
};

/* A SQLite table of the search machinery (never one of db_tables). */
static int sqlite_search_table(const char *name)
{
	if (strcmp(name, "search_queue") == 0)
		return 1;
	for (size_t i = 0; i < ARRAY_SIZE(fts); i++) {
		size_t n = strlen(fts[i].name);
		if (strcmp(name, fts[i].name) == 0)
			return 1;
		if (strncmp(name, fts[i].name, n) != 0 || name[n] != '_')
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(fts_shadow); k++)
			if (strcmp(name + n + 1, fts_shadow[k]) == 0)
				return 1;
	}
	return 0;
}

/* A PostgreSQL index of the search machinery. */
static int pg_search_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(fts); i++)
		if (strcmp(name, fts[i].name) == 0)
			return 1;
	return 0;
}

static const char *type_of(const char *t)
{
	if (strcmp(t, "INTEGER") == 0 || strcmp(t, "bigint") == 0)
		return "int";
	if (strcmp(t, "TEXT") == 0 || strcmp(t, "text") == 0)
		return "text";
	return t;  /* anything else differs on purpose */
}

/* "''::text" -> "''", "'sv'::text" -> "'sv'"; NULL stays NULL. */
static const char *default_of(const char *d)
{
	const char *cast;

	if (!d)
		return "none";
	cast = strstr(d, "::");
	return cast ? arena_strndup(&A, d, (size_t)(cast - d)) : d;
}

static char *tables(struct db *db)
{
	static const char sq[] =
		"SELECT name FROM sqlite_schema WHERE type = 'table' "
		"AND name NOT LIKE 'sqlite/_%' ESCAPE '/' ORDER BY name";
	static const char pg[] =
		"SELECT table_name FROM information_schema.tables "
		"WHERE table_schema = current_schema() "
		"AND table_type = 'BASE TABLE' ORDER BY 1";
	struct db_rows *r = q(db, db_kind(db) == DB_PG ? pg : sq, NULL);
	struct lines l = { .n = 0 };

	for (size_t i = 0; i < r->nrows; i++)
		if (db_kind(db) == DB_PG || !sqlite_search_table(db_cell(r, i, 0)))
			add_line(&l, (char *)db_cell(r, i, 0));
	return joined(&l, 1);
}

static char *columns(struct db *db, const char *table)
{
	static const char sq[] =
		"SELECT name, type, \"notnull\", dflt_value, pk "
		"FROM pragma_table_info($1) ORDER BY cid";
	static const char pg[] =
		"SELECT column_name, data_type, is_nullable, column_default, "
		"is_identity FROM information_schema.columns "
		"WHERE table_schema = current_schema() AND table_name = $1 "
		"ORDER BY ordinal_position";
	static const char sq_wr[] =
		"SELECT wr FROM pragma_table_list WHERE schema = 'main' "
		"AND name = $1";
	struct db_rows *r = q(db, db_kind(db) == DB_PG ? pg : sq, table);
	struct lines l = { .n = 0 };
	int rowid = 0;

	if (db_kind(db) == DB_SQLITE) {
		struct db_rows *w = q(db, sq_wr, table);
		rowid = w->nrows && db_cell_i64(w, 0, 0) == 0;
	}
	for (size_t i = 0; i < r->nrows; i++) {
		int notnull, identity;
		if (db_kind(db) == DB_PG) {
			notnull = strcmp(db_cell(r, i, 2), "NO") == 0;
			identity = strcmp(db_cell(r, i, 4), "YES") == 0;
		} else {
			/* an INTEGER PRIMARY KEY of a rowid table is the
			 * rowid: never NULL, numbered by the engine like an
			 * identity column; a WITHOUT ROWID table's key
			 * columns are NOT NULL */
			int pk = db_cell_i64(r, i, 4) > 0;
			identity = rowid && db_cell_i64(r, i, 4) == 1 &&
				   strcmp(db_cell(r, i, 1), "INTEGER") == 0;
			notnull = db_cell_i64(r, i, 2) || identity ||
				  (pk && !rowid);
		}
		add_line(&l, arena_printf(&A, "%s %s%s default=%s%s",
			 db_cell(r, i, 0), type_of(db_cell(r, i, 1)),
			 notnull ? " not null" : "",
			 default_of(db_cell(r, i, 3)),
			 identity ? " identity" : ""));
	}
	return joined(&l, 0);
}

static const char *sqlite_index_cols(struct db *db, const char *index)
{
	static const char sql[] =
		"SELECT COALESCE(name, 'expr') FROM pragma_index_info($1) ORDER BY seqno";
	struct db_rows *r = q(db, sql, index);
	struct buf b = BUF_INIT;
	const char *s;

	for (size_t i = 0; i < r->nrows; i++)
		buf_printf(&b, "%s%s", i ? "," : "", db_cell(r, i, 0));
	s = arena_strdup(&A, b.p);
	buf_release(&b);
	return s;
}

/* CREATE INDEX indexes, by name: "name unique(a,b)" / "name (a,b)". */
static char *indexes(struct db *db, const char *table)
{
	static const char sq[] =
		"SELECT name, \"unique\" FROM pragma_index_list($1) "
		"WHERE origin = 'c' ORDER BY name";
	static const char pg[] =
		"SELECT i.relname, CASE WHEN x.indisunique THEN 1 ELSE 0 END, "
		"  (SELECT string_agg(COALESCE(a.attname, 'expr'), ',' ORDER BY k.ord) "
		"   FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord) "
		"   LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid "
		"   AND a.attnum = k.attnum) "
		"FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
		"WHERE x.indrelid = to_regclass($1) AND NOT EXISTS "
		"  (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
		"ORDER BY 1";
	int pgdb = db_kind(db) == DB_PG;
	struct db_rows *r = q(db, pgdb ? pg : sq, table);
	struct lines l = { .n = 0 };

	for (size_t i = 0; i < r->nrows; i++) {
		const char *name = db_cell(r, i, 0);
		if (pgdb && pg_search_index(name))
			continue;
		add_line(&l, arena_printf(&A, "%s %s(%s)", name,
			 db_cell_i64(r, i, 1) ? "unique" : "",
			 pgdb ? db_cell(r, i, 2) : sqlite_index_cols(db, name)));
	}
	return joined(&l, 1);
}

/* Primary keys and UNIQUE constraints: "primary(id)", "unique(slug)". */
static char *keys(struct db *db, const char *table)
{
	static const char sq_pk[] =
		"SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk";
	static const char sq_u[] =
		"SELECT name FROM pragma_index_list($1) WHERE origin = 'u'";
	static const char pg[] =
		"SELECT CASE c.contype WHEN 'p' THEN 'primary' ELSE 'unique' END, "
		"  (SELECT string_agg(a.attname, ',' ORDER BY k.ord) "
		"   FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) "
		"   JOIN pg_attribute a ON a.attrelid = c.conrelid "
		"   AND a.attnum = k.attnum) "
		"FROM pg_constraint c "
		"WHERE c.conrelid = to_regclass($1) AND c.contype IN ('p', 'u')";
	struct lines l = { .n = 0 };
	struct db_rows *r;

	if (db_kind(db) == DB_PG) {
		r = q(db, pg, table);
		for (size_t i = 0; i < r->nrows; i++)
			add_line(&l, arena_printf(&A, "%s(%s)", db_cell(r, i, 0),
						  db_cell(r, i, 1)));
		return joined(&l, 1);
	}
	r = q(db, sq_pk, table);
	if (r->nrows) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < r->nrows; i++)
			buf_printf(&b, "%s%s", i ? "," : "", db_cell(r, i, 0));
		add_line(&l, arena_printf(&A, "primary(%s)", b.p));
		buf_release(&b);
	}
	r = q(db, sq_u, table);
	for (size_t i = 0; i < r->nrows; i++)
		add_line(&l, arena_printf(&A, "unique(%s)",
			 sqlite_index_cols(db, db_cell(r, i, 0))));
	return joined(&l, 1);
}

/* "org_id -> organisation(id)" */
static char *foreign_keys(struct db *db, const char *table)
{
	static const char sq[] =
		"SELECT \"from\", \"table\", \"to\" "
		"FROM pragma_foreign_key_list($1)";
	static const char pg[] =
		"SELECT a.attname, r.relname, ra.attname "
		"FROM pg_constraint c "
		"JOIN pg_attribute a ON a.attrelid = c.conrelid "
		"  AND a.attnum = c.conkey[1] "
		"JOIN pg_class r ON r.oid = c.confrelid "
		"JOIN pg_attribute ra ON ra.attrelid = c.confrelid "
		"  AND ra.attnum = c.confkey[1] "
		"WHERE c.contype = 'f' AND c.conrelid = to_regclass($1)";
	struct db_rows *r = q(db, db_kind(db) == DB_PG ? pg : sq, table);
	struct lines l = { .n = 0 };

	for (size_t i = 0; i < r->nrows; i++)
		add_line(&l, arena_printf(&A, "%s -> %s(%s)", db_cell(r, i, 0),
					  db_cell(r, i, 1), db_cell(r, i, 2)));
	return joined(&l, 1);
}

/* A summary a module's triggers keep (struct module's derived_tables):
 * migrated, not backed up. */
static int derived_table(const char *name)
{
	for (size_t m = 0; modules[m]; m++)
		for (const char *const *t = modules[m]->derived_tables; t && *t; t++)
			if (strcmp(*t, name) == 0)
				return 1;
	return 0;
}

static int in_db_tables(const char *name)
{
	for (size_t i = 0; module_tables()[i]; i++)
		if (strcmp(module_tables()[i], name) == 0)
			return 1;
	return 0;
}

/* Every migrated table is in db_tables (or is schema_migrations), and
 * every db_tables entry exists, with id first. */
static void check_table_list(struct db *db)
{
	char *all = tables(db);
	struct lines l = { .n = 0 };
	size_t n = 0;

	for (char *p = all, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
		*nl = '\0';
		if (derived_table(p))
			continue;
		/* mail_config holds the SMTP password: never in a backup
		 * (migration 0009) */
		if (strcmp(p, "schema_migrations") != 0 && strcmp(p, "mail_config") != 0)
			ok(in_db_tables(p), "%s: table %s is listed in module_tables()",
			   db_kind(db) == DB_PG ? "pg" : "sqlite", p);
		add_line(&l, p);
	}
	for (n = 0; module_tables()[n]; n++) {
		static const char id[] = "id int not null default=none identity\n";
		char *cols = columns(db, module_tables()[n]);
		ok(strncmp(cols, id, strlen(id)) == 0, "%s: %s has an identity id first",
		   db_kind(db) == DB_PG ? "pg" : "sqlite", module_tables()[n]);
	}
	is_int(l.n, n + 2, "module_tables(), schema_migrations and mail_config are all the tables");
	/* parents before children */
	for (size_t i = 0; module_tables()[i]; i++) {
		char *fk = foreign_keys(db, module_tables()[i]);
		for (size_t j = i + 1; module_tables()[j]; j++) {
			char *ref = arena_printf(&A, "-> %s(", module_tables()[j]);
			ok(!strstr(fk, ref), "%s refers to no later table %s (module_tables() order)",
			   module_tables()[i], module_tables()[j]);
		}
	}
}

static void check_sqlite_rules(struct db *db)
{
	static const char sql[] =
		"SELECT name, strict FROM pragma_table_list "
		"WHERE schema = 'main' AND type = 'table' "
		"AND name NOT LIKE 'sqlite/_%' ESCAPE '/'";
	struct db_rows *r = q(db, sql, NULL);

	for (size_t i = 0; i < r->nrows; i++)
		ok(db_cell_i64(r, i, 1) == 1, "sqlite: %s is STRICT",
		   db_cell(r, i, 0));
}

/* The machinery left out of the comparison is there, and is what it
 * should be. */
static void check_search_machinery(struct db *db)
{
	static const char sq_fts[] =
		"SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = $1";
	static const char sq_trigger[] =
		"SELECT tbl_name FROM sqlite_schema WHERE type = 'trigger' AND name = $1";
	static const char sq_tables[] =
		"SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name";
	static const char pg_index[] =
		"SELECT tablename || ' ' || indexdef FROM pg_indexes "
		"WHERE schemaname = current_schema() AND indexname = $1";
	struct db_rows *r;

	if (db_kind(db) == DB_PG) {
		for (size_t i = 0; i < ARRAY_SIZE(fts); i++) {
			const char *def;
			r = q(db, pg_index, fts[i].name);
			def = r->nrows == 1 ? db_cell(r, 0, 0) : "";
			ok(strncmp(def, fts[i].table, strlen(fts[i].table)) == 0 &&
			   strstr(def, "USING gin") && strstr(def, "to_tsvector"),
			   "pg: %s is a full-text GIN index on %s", fts[i].name, fts[i].table);
		}
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(fts); i++) {
		r = q(db, sq_fts, fts[i].name);
		ok(r->nrows == 1 && strstr(db_cell(r, 0, 0), "USING fts5") &&
		   strstr(db_cell(r, 0, 0), "remove_diacritics 0"),
		   "sqlite: %s is an FTS5 table keeping å, ä and ö", fts[i].name);
	}
	for (size_t i = 0; i < ARRAY_SIZE(fts_triggers); i++) {
		r = q(db, sq_trigger, fts_triggers[i]);
		ok(r->nrows == 1, "sqlite: trigger %s exists", fts_triggers[i]);
	}
	r = q(db, sq_tables, NULL);
	{
		size_t n = 0;
		for (size_t i = 0; i < r->nrows; i++)
			n += sqlite_search_table(db_cell(r, i, 0));
		/* the queue, and each FTS5 table with its shadow tables (an
		 * FTS5 of a later SQLite with other shadow tables shows here) */
		is_int(n, 1 + ARRAY_SIZE(fts) * (1 + ARRAY_SIZE(fts_shadow)),
		       "sqlite: the search tables are all there");
	}
}

static int needs_c_collation(const char *col)
{
	size_t n = strlen(col);

	return (n > 3 && strcmp(col + n - 3, "_sk") == 0) ||
	       strcmp(col, "search") == 0 || strcmp(col, "slug") == 0 ||
	       strcmp(col, "email") == 0;
}

static void check_pg_rules(struct db *db)
{
	static const char cols[] =
		"SELECT table_name, column_name, data_type, "
		"  COALESCE(collation_name, '') "
		"FROM information_schema.columns "
		"WHERE table_schema = current_schema() ORDER BY 1, 2";
	static const char fks[] =
		"SELECT conrelid::regclass::text, conname, "
		"  CASE WHEN condeferrable THEN 1 ELSE 0 END "
		"FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
		"WHERE c.contype = 'f' AND n.nspname = current_schema()";
	struct db_rows *r = q(db, cols, NULL);

	for (size_t i = 0; i < r->nrows; i++) {
		const char *t = db_cell(r, i, 0), *c = db_cell(r, i, 1);
		const char *type = db_cell(r, i, 2);
		ok(strcmp(type, "bigint") == 0 || strcmp(type, "text") == 0,
		   "pg: %s.%s is bigint or text (%s)", t, c, type);
		if (needs_c_collation(c))
			is_str(db_cell(r, i, 3), "C",
			       arena_printf(&A, "pg: %s.%s is COLLATE \"C\"", t, c));
	}
	r = q(db, fks, NULL);
	ok(r->nrows > 0, "pg: has foreign keys");
	for (size_t i = 0; i < r->nrows; i++)
		ok(db_cell_i64(r, i, 2) == 1, "pg: %s %s is DEFERRABLE "
		   "(restore defers it)", db_cell(r, i, 0), db_cell(r, i, 1));
}

TEST(sqlite_schema)
{
	const char *url = testdb_url();
	struct db_error err;
	struct db *db;

	/* with PostgreSQL under test, testdb_url() is a PG database; the
	 * SQLite side gets a file of its own */
	if (testdb_is_pg())
		url = arena_printf(&A, "sqlite:%s/schema.sqlite", testdb_dir());
	ok(db_open(url, &db, &err) == 0 && db_migrate(db, &err) == 0,
	   "migrate SQLite: %s", err.msg);
	check_table_list(db);
	check_sqlite_rules(db);
	check_search_machinery(db);
	db_close(db);
}

TEST(pg_matches_sqlite)
{
	struct db *sq, *pg;
	struct db_error err;
	char *url;

	if (!testdb_is_pg()) {
		printf("# skipped PG comparison (set VARN_TEST_DB to a "
		       "postgresql:// URL; scripts/pg-test-server.sh starts one)\n");
		return;
	}
	url = arena_printf(&A, "sqlite:%s/compare.sqlite", testdb_dir());
	ok(db_open(url, &sq, &err) == 0 && db_migrate(sq, &err) == 0,
	   "migrate SQLite: %s", err.msg);
	pg = testdb_open(1);
	check_table_list(pg);
	check_pg_rules(pg);
	check_search_machinery(pg);

	is_str(tables(pg), tables(sq), "same tables");
	for (size_t i = 0; module_tables()[i]; i++) {
		const char *t = module_tables()[i];
		char hs[65], hp[65];
		int64_t ns = -1, np = -2;

		is_str(columns(pg, t), columns(sq, t),
		       arena_printf(&A, "%s: same columns", t));
		is_str(keys(pg, t), keys(sq, t),
		       arena_printf(&A, "%s: same keys", t));
		is_str(indexes(pg, t), indexes(sq, t),
		       arena_printf(&A, "%s: same indexes", t));
		is_str(foreign_keys(pg, t), foreign_keys(sq, t),
		       arena_printf(&A, "%s: same foreign keys", t));
		ok(db_table_checksum(sq, t, &ns, hs, &err) == 0 &&
		   db_table_checksum(pg, t, &np, hp, &err) == 0 &&
		   ns == np && strcmp(hs, hp) == 0,
		   "%s: the migrations insert the same rows (%" PRId64 ")", t, ns);
	}
	is_str(columns(pg, "schema_migrations"), columns(sq, "schema_migrations"),
	       "schema_migrations: same columns");
	db_close(sq);
	db_close(pg);
}

int main(void)
{
	int rc;

	log_quiet = 1;
	rc = tap_run();
	arena_release(&A);
	return rc;
}
