/* test_statements.c - how many SQL statements the main pages and API calls
 * cost (issue 14: "no N+1", the habit of verinice's tests), on the demo
 * municipality, through the real router, on the engine chosen by
 * VARN_TEST_DB.  For each page, signed in as the demo coordinator:
 *   - the statements the request hands the engine (db_statements(): every
 *     query, BEGIN/COMMIT, the session and roles look-ups, the audit
 *     trail) are at most the bound recorded below for the engine;
 *   - the number does not grow with the data: measured again after the
 *     registers the pages list have grown tenfold (copies of their rows
 *     written straight into the tables, the triggers keeping the
 *     summaries), it is the same.
 * A failure names the page, both counts and the statements it ran
 * (db_trace).  The bounds are what the pages cost when they were
 * recorded: a page that needs more must say why in its commit. */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/clock.h"
#include "cli/demo.h"
#include "core/auth.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"

static struct fixture *fx;
static int64_t org;
static const char *token;

#define COORD "samordnare@exempelstad.se"

/* 2026-11-02 12:00 in Stockholm, in the demo's year */
#define T0 1793617200

/* How many times each listed register grows. */
#define GROWTH 10

static int64_t q1(const char *sql, int64_t arg)
{
	return fx_scalar(fx, sql, arg);
}

static void must(int ok, const char *what, const struct db_error *err)
{
	if (!ok) {
		printf("Bail out! %s: %s\n", what, err ? err->msg : "");
		exit(1);
	}
}

/* ---- counting ---- */

/* The fixture's pool has two connections; a request uses one of them. */
#define POOL 2

static void pool_each(void (*fn)(struct db *, void *), void *arg)
{
	struct db *c[POOL];

	for (int i = 0; i < POOL; i++)
		c[i] = db_pool_get(fx->app.pool);
	for (int i = 0; i < POOL; i++)
		fn(c[i], arg);
	/* back in the order they came, so that the next request takes the
	 * connection the warm-up took */
	for (int i = POOL - 1; i >= 0; i--)
		db_pool_put(fx->app.pool, c[i]);
}

static void reset_one(struct db *db, void *arg)
{
	(void)arg;
	db_trace(db, 1);
	db_statements_reset(db);
}

static void sum_one(struct db *db, void *arg)
{
	*(uint64_t *)arg += db_statements(db);
}

/* The statements run, one line each, into the buffer given. */
static void list_one(struct db *db, void *arg)
{
	struct buf *b = arg;
	size_t n;
	const char *const *t = db_trace_list(db, &n);

	for (size_t i = 0; i < n; i++)
		buf_printf(b, "#   %.200s\n", t[i]);
}

struct page {
	const char *name;
	const char *path;   /* {id}: the record's, filled in by fill_paths */
	int api;
	int bound_sqlite, bound_pg;
	/* statements the page may need once whatever the size, but only
	 * with some data (the start page reads who has a protected identity
	 * when its recent events name a person) */
	int slack;
	/* measured */
	uint64_t small, large;
	const char *small_sql;
};

/* One request's statements (after a warm-up request, so that what a
 * process or a connection does once is not counted). */
static uint64_t measure(struct page *p, const char **sql)
{
	struct fx_resp r;
	uint64_t n = 0;
	struct buf b = BUF_INIT;

	for (int i = 0; i < 2; i++) {
		pool_each(reset_one, NULL);
		if (p->api)
			r = fx_request(fx, NULL, "GET", p->path, NULL, NULL, "Authorization",
				       arena_printf(&fx->a, "Bearer %s", token));
		else
			r = fx_get(fx, COORD, p->path);
		if (r.status != 200)
			ok(0, "%s: %s answers %d", p->name, p->path, r.status);
	}
	pool_each(sum_one, &n);
	pool_each(list_one, &b);
	*sql = arena_strdup(&fx->a, b.p ? b.p : "");
	buf_release(&b);
	return n;
}

/* ---- growing the registers ---- */

/* Copies every row of table in the organisation GROWTH-1 times, straight
 * into the table (the triggers keep the summaries and the search index).
 * The statement is made here, not at start-up: it lives in the fixture's
 * arena, as long as the connection that may cache it.
 * over: a column and the expression its copies take (k.n is the copy's
 * number). */
static void grow(const char *table, const char *const *over)
{
	struct db_rows cols;
	struct db_error err;
	struct buf ins = BUF_INIT, sel = BUF_INIT;
	const char *sql;
	int pg = db_kind(fx->db) == DB_PG;

	must(db_exec(fx->db, &fx->a,
		     pg ? "SELECT column_name FROM information_schema.columns"
			  " WHERE table_schema = current_schema() AND table_name = $1"
			  " AND is_generated = 'NEVER' AND identity_generation IS NULL"
			  " ORDER BY ordinal_position"
			: "SELECT name FROM pragma_table_info($1) WHERE name <> 'id' ORDER BY cid",
		     DB_ARGS(DB_TEXT(table)), &cols, &err) == 0, table, &err);
	for (size_t i = 0; i < cols.nrows; i++) {
		const char *c = db_cell(&cols, i, 0), *expr = c;
		if (strcmp(c, "id") == 0)
			continue;
		for (const char *const *o = over; o && *o; o += 2)
			if (strcmp(o[0], c) == 0)
				expr = o[1];
		buf_printf(&ins, "%s%s", ins.len ? ", " : "", c);
		buf_printf(&sel, "%s%s", sel.len ? ", " : "", expr);
	}
	sql = arena_printf(&fx->a,
		"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < $2)"
		" INSERT INTO %s (%s) SELECT %s FROM %s t, k WHERE t.org_id = $1",
		table, ins.p, sel.p, table);
	must(db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(org), DB_INT(GROWTH - 1)), NULL, &err) == 0,
	     table, &err);
	buf_release(&ins);
	buf_release(&sel);
}

static void grow_registers(void)
{
	static const char *const incident[] = {
		"receipt", "t.receipt || '-' || k.n", NULL };
	static const char *const person[] = { "user_id", "NULL", NULL };
	static const char *const risk[] = { "source_key", "NULL", NULL };
	struct db_error err;

	must(db_begin(fx->db, &err) == 0, "begin", &err);
	grow("it_system", NULL);
	grow("information_set", NULL);
	grow("person", person);
	grow("incident", incident);
	grow("risk", risk);
	grow("activity", NULL);
	must(db_commit(fx->db, &err) == 0, "commit", &err);
}

/* ---- the pages ---- */

/* The bounds: what each page cost when it was recorded, on SQLite and on
 * PostgreSQL.  They differ where PostgreSQL runs a statement that SQLite
 * does with a call: search sets and resets statement_timeout (SET), where
 * SQLite sets a progress handler.  A list page's filters count each
 * register they pick from before reading it (a bounded count: a large
 * register is never read only to learn that it is large), one statement
 * more per small register picked from.  PAGE(name, path, api, sqlite, pg, slack) */
#define PAGE(name, path, api, bs, bp, slack) { name, path, api, bs, bp, slack, 0, 0, NULL }
static struct page pages[] = {
	PAGE("the start page", "/o/exempelstad/", 0, 11, 11, 1),
	PAGE("the overview", "/o/exempelstad/overview", 0, 45, 45, 0),
	PAGE("the system list", "/o/exempelstad/systems", 0, 9, 9, 0),
	PAGE("a system", "/o/exempelstad/systems/{id}", 0, 21, 21, 0),
	PAGE("an information set", "/o/exempelstad/information/{id}", 0, 7, 7, 0),
	PAGE("the incident list", "/o/exempelstad/incidents?sort=reported_at&desc=1", 0, 11, 11, 0),
	PAGE("the incident list, filtered and sorted",
	     "/o/exempelstad/incidents?category=phishing&sort=title", 0, 11, 11, 0),
	PAGE("an incident", "/o/exempelstad/incidents/{id}", 0, 16, 16, 0),
	PAGE("the risk list", "/o/exempelstad/risks", 0, 15, 15, 0),
	PAGE("a risk", "/o/exempelstad/risks/{id}", 0, 4, 4, 0),
	PAGE("the gap overview", "/o/exempelstad/gap", 0, 6, 6, 0),
	PAGE("the action plans", "/o/exempelstad/action-plans", 0, 4, 4, 0),
	PAGE("an action plan", "/o/exempelstad/action-plans/{id}", 0, 8, 8, 0),
	PAGE("the activities", "/o/exempelstad/actions/activities", 0, 4, 4, 0),
	PAGE("search", "/o/exempelstad/search?q=system", 0, 11, 13, 0),
	PAGE("the management report", "/o/exempelstad/management-report", 0, 32, 32, 0),
	PAGE("API: systems", "/api/v1/orgs/exempelstad/systems?limit=50", 1, 4, 4, 0),
	PAGE("API: people", "/api/v1/orgs/exempelstad/people?limit=50", 1, 4, 4, 0),
	PAGE("API: incidents", "/api/v1/orgs/exempelstad/incidents?limit=50", 1, 4, 4, 0),
	PAGE("API: a system", "/api/v1/orgs/exempelstad/systems/{id}", 1, 3, 3, 0),
};

/* The records the record pages show (the demo's first of each). */
static void fill_paths(void)
{
	static const struct { const char *page, *sql; } ids[] = {
		{ "a system", "SELECT min(id) FROM it_system WHERE org_id = $1 AND archived = 0" },
		{ "API: a system", "SELECT min(id) FROM it_system WHERE org_id = $1 AND archived = 0" },
		{ "an information set", "SELECT min(id) FROM information_set WHERE org_id = $1"
					" AND archived = 0" },
		{ "an incident", "SELECT min(id) FROM incident WHERE org_id = $1 AND archived = 0" },
		{ "a risk", "SELECT min(id) FROM risk WHERE org_id = $1 AND archived = 0" },
		{ "an action plan", "SELECT min(id) FROM action_plan WHERE org_id = $1"
				    " AND archived = 0" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(pages); i++)
		for (size_t j = 0; j < ARRAY_SIZE(ids); j++)
			if (strcmp(pages[i].name, ids[j].page) == 0) {
				int64_t id = q1(ids[j].sql, org);
				const char *at = strstr(pages[i].path, "{id}");
				ok(id > 0 && at, "the demo has %s (%lld)", pages[i].name, (long long)id);
				if (at)
					pages[i].path = arena_printf(&fx->a, "%.*s%lld%s",
								     (int)(at - pages[i].path),
								     pages[i].path, (long long)id,
								     at + strlen("{id}"));
			}
}

TEST(the_pages_cost_a_few_statements_whatever_the_size)
{
	int pg = db_kind(fx->db) == DB_PG;
	int64_t systems = q1("SELECT count(*) FROM it_system WHERE org_id = $1", org);

	fill_paths();
	for (size_t i = 0; i < ARRAY_SIZE(pages); i++)
		pages[i].small = measure(&pages[i], &pages[i].small_sql);
	grow_registers();
	ok(q1("SELECT count(*) FROM it_system WHERE org_id = $1", org) == GROWTH * systems,
	   "the system register grew %d times", GROWTH);
	for (size_t i = 0; i < ARRAY_SIZE(pages); i++) {
		struct page *p = &pages[i];
		int bound = pg ? p->bound_pg : p->bound_sqlite;
		const char *large_sql;
		p->large = measure(p, &large_sql);
		/* fewer is allowed: a large register's picker is a search
		 * box, without the choices offered first */
		if (!ok(p->large <= p->small + (uint64_t)p->slack,
			"%s: no more statements with %d times the rows (%llu, then %llu)",
			p->name, GROWTH, (unsigned long long)p->small,
			(unsigned long long)p->large))
			printf("# %s, small:\n%s# large:\n%s", p->path, p->small_sql, large_sql);
		if (!ok(bound == 0 || p->small <= (uint64_t)bound,
			"%s: at most %d statements (%llu)", p->name, bound,
			(unsigned long long)p->small))
			printf("# %s:\n%s", p->path, p->small_sql);
		if (getenv("TEST_VERBOSE"))
			printf("# %-40s %llu %llu\n", p->name, (unsigned long long)p->small,
			       (unsigned long long)p->large);
		if (getenv("TEST_STATEMENTS")) /* every page's, to read them */
			printf("# %s:\n%s", p->path, p->small_sql);
	}
}

int main(void)
{
	struct db_error err;
	FILE *quiet;
	int rc;

	clock_set(T0);
	fx = fixture_new();
	log_quiet = !getenv("TEST_VERBOSE");
	quiet = fopen("/dev/null", "w");
	if (!quiet || demo_create(fx->db, quiet, &err) != 0) {
		printf("Bail out! the demo: %s\n", quiet ? err.msg : "no /dev/null");
		return 1;
	}
	fclose(quiet);
	org = q1("SELECT id FROM organisation WHERE slug = 'exempelstad' AND id > $1", 0);
	token = api_token_create(fx->db, &fx->a, fx_user_id(fx, COORD), "test", 1, &err);
	must(token != NULL, "api_token_create", &err);
	rc = tap_run();
	fixture_free(fx);
	return rc;
}
