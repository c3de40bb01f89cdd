/* test_demo_scale.c - `varn demo --scale` (cli/demo.h, core/scale.h) at
 * size S on the engine of VARN_TEST_DB: the registers hold what S
 * promises, the same seed gives the same rows in another database and
 * another seed other rows, the audit chain verifies, the summaries the
 * triggers keep agree with counts of the rows, the full-text search finds
 * generated records, and the coordinator's pages render over the data. */
#include "base/base.h"

#include <sodium.h>

#include "base/arena.h"
#include "base/clock.h"
#include "cli/demo.h"
#include "core/audit.h"
#include "core/scale.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

#define COORD "samordnare@exempelstad.se"

static struct fixture *fx;
static int64_t org;
static const struct demo_scale *S;
static struct demo_scale base;
/* the day the data is made on: 2026-12-01 12:00 in Stockholm (the
 * command's default) */
static int64_t now;

static struct db *open_migrated(const char *url)
{
	struct db *db;
	struct db_error err;

	if (db_open(url, &db, &err) != 0 || db_migrate(db, &err) != 0) {
		printf("Bail out! %s\n", err.msg);
		exit(1);
	}
	return db;
}

static void generate(struct db *db, const struct demo_scale *size, uint64_t seed)
{
	struct demo_scale s = *size;
	struct db_error err;
	FILE *out = fopen("/dev/null", "w");

	s.seed = seed;
	if (demo_scale_create(db, &s, 0, now, out, &err) != 0) {
		printf("Bail out! demo --scale S failed: %s\n", err.msg);
		exit(1);
	}
	fclose(out);
}

static int64_t scalar(struct db *db, const char *sql, int64_t arg)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct db_error err;
	int64_t v = -1;

	if (db_exec(db, &a, sql, DB_ARGS(DB_INT(arg)), &r, &err) == 0 && r.nrows)
		v = db_cell_i64(&r, 0, 0);
	else if (err.msg[0])
		printf("# %s: %s\n", sql, err.msg);
	arena_release(&a);
	return v;
}

/* What is compared between two runs: the records' own columns and the
 * whole audit trail (its hashes cover every event). */
static const char *const content[] = {
	"SELECT id, parent_id, name, kind, code FROM unit ORDER BY id",
	"SELECT id, unit_id, name, email, title, employment, protected_identity FROM person"
	" ORDER BY id",
	"SELECT id, person_id, unit_id, role FROM role_assignment ORDER BY id",
	"SELECT id, name, unit_id, owner_id, hosting, level_k, level_r, level_t, level_s,"
	" needs_review FROM it_system ORDER BY id",
	"SELECT id, name, owner_id, level_k, level_r, level_t, level_s, classified_on"
	" FROM information_set ORDER BY id",
	"SELECT id, system_id, measure_id, status, effective_status, assessed_by, assessed_on,"
	" search FROM measure_assessment ORDER BY id",
	"SELECT id, receipt, title, state, reported_at, closed_at, unit_id, reporter_id,"
	" handler_id, system_id, severity, stat_month, search FROM incident ORDER BY id",
	"SELECT id, incident_id, at, kind, body FROM incident_event ORDER BY id",
	"SELECT record_id, person_id, why FROM incident_grant ORDER BY record_id, person_id, why",
	"SELECT id, analysis_id, title, consequence, likelihood, treatment, owner_id FROM risk"
	" ORDER BY id",
	"SELECT id, plan_id, title, status FROM activity ORDER BY id",
	"SELECT seq, at, action, entity, entity_id, summary, hash FROM audit_event ORDER BY seq",
};

static void content_hash(struct db *db, size_t which, char out[65])
{
	crypto_generichash_state st;
	unsigned char h[32];

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	for (size_t q = 0; q < ARRAY_SIZE(content); q++) {
		struct arena a = ARENA_INIT;
		struct db_rows r;
		struct db_error err;

		if (which != (size_t)-1 && q != which)
			continue;
		if (db_exec(db, &a, content[q], DB_NOARGS, &r, &err) != 0) {
			printf("# %s: %s\n", content[q], err.msg);
			arena_release(&a);
			continue;
		}
		for (size_t i = 0; i < r.nrows * r.ncols; i++) {
			const char *c = r.cells[i] ? r.cells[i] : "\x01";
			crypto_generichash_update(&st, (const unsigned char *)c, strlen(c) + 1);
		}
		arena_release(&a);
	}
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, 65, h, sizeof(h));
}

TEST(the_registers_hold_what_S_promises)
{
	struct db *db = fx->db;

	is_int(scalar(db, "SELECT count(*) FROM unit WHERE org_id = $1", org), S->units, "units");
	is_int(scalar(db, "SELECT count(*) FROM person WHERE org_id = $1", org), S->people,
	       "people");
	is_int(scalar(db, "SELECT count(*) FROM it_system WHERE org_id = $1", org), S->systems,
	       "systems");
	is_int(scalar(db, "SELECT count(*) FROM information_set WHERE org_id = $1", org),
	       S->infosets, "information sets");
	is_int(scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1", org), S->incidents,
	       "incidents");
	is_int(scalar(db, "SELECT count(*) FROM risk WHERE org_id = $1", org), S->risks, "risks");
	is_int(scalar(db, "SELECT count(*) FROM activity WHERE org_id = $1", org), S->activities,
	       "activities");
	ok(scalar(db, "SELECT count(*) FROM measure_assessment WHERE org_id = $1"
		  " AND system_id IS NOT NULL AND required = 1", org) >= S->systems * 30,
	   "every system has its required measures");
	{
		int64_t req = scalar(db, "SELECT count(*) FROM measure_assessment WHERE org_id = $1"
				     " AND system_id IS NOT NULL AND required = 1", org);
		int64_t done = scalar(db, "SELECT count(*) FROM measure_assessment WHERE org_id = $1"
				      " AND system_id IS NOT NULL AND required = 1"
				      " AND status <> 'not_assessed'", org);
		ok(done * 100 >= req * (S->assessed_pct - 15) && done < req,
		   "most of them are self-assessed (%lld of %lld), not all", (long long)done,
		   (long long)req);
	}
	/* ten years, more in the recent ones; old ones closed, recent open */
	ok(scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1"
		  " AND reported_at < '2017-12-01'", org) > 0, "incidents from ten years back");
	{
		int64_t last = scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1"
				      " AND reported_at >= '2025-12-01'", org);
		int64_t first = scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1"
				       " AND reported_at < '2017-12-01'", org);
		ok(last > 2 * first && last < 6 * first,
		   "more in the last year than the first, but not all (%lld, %lld)",
		   (long long)last, (long long)first);
	}
	is_int(scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1"
		      " AND reported_at < '2026-09-01' AND state NOT IN ('closed', 'not_incident')",
		      org), 0, "everything older than three months is closed");
	ok(scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1"
		  " AND state NOT IN ('closed', 'not_incident')", org) > 0, "recent ones are open");
	is_int(scalar(db, "SELECT count(*) FROM incident i WHERE org_id = $1 AND NOT EXISTS"
		      " (SELECT 1 FROM incident_event e WHERE e.incident_id = i.id"
		      " AND e.kind = 'reported')", org), 0, "every incident has its timeline");
	is_int(scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1"
		      " AND (closed_at > '2026-12-01T11:00:00Z' OR reported_at > closed_at)", org),
	       0, "no incident closes in the future or before its report");
	is_int(scalar(db, "SELECT count(*) FROM (SELECT receipt FROM incident WHERE org_id = $1"
		      " GROUP BY receipt HAVING count(*) > 1) x", org), 0, "receipts are unique");
	/* levels skewed low */
	ok(scalar(db, "SELECT count(*) FROM classification WHERE org_id = $1 AND level_k <= 2",
		  org) > 2 * scalar(db, "SELECT count(*) FROM classification WHERE org_id = $1"
				      " AND level_k >= 3", org), "most information at levels 1-2");
}

/* Three more runs at a fifth of S (the same code; S three times costs
 * minutes on PostgreSQL): two with one seed, one with another. */
TEST(the_same_seed_gives_the_same_data_another_seed_other_data)
{
	struct demo_scale small = *S;
	struct db *first = open_migrated(testdb_url());
	struct db *same = open_migrated(testdb_url());
	struct db *other = open_migrated(testdb_url());
	char a[65], b[65], c[65];

	small.units /= 2, small.people /= 5, small.systems /= 5, small.infosets /= 5;
	small.risks /= 5, small.incidents /= 5, small.activities /= 3;
	generate(first, &small, 7);
	generate(same, &small, 7);
	generate(other, &small, 8);
	for (size_t q = 0; q < ARRAY_SIZE(content); q++) {
		content_hash(first, q, a);
		content_hash(same, q, b);
		if (strcmp(a, b) != 0)
			printf("# differs: %s\n", content[q]);
	}
	content_hash(first, (size_t)-1, a);
	content_hash(same, (size_t)-1, b);
	content_hash(other, (size_t)-1, c);
	is_str(b, a, "a second run with seed 7 has the same rows and audit trail");
	ok(strcmp(a, c) != 0, "seed 8 gives other data");
	content_hash(first, 6, a);
	content_hash(other, 6, c);
	ok(strcmp(a, c) != 0, "other incidents in particular");
	content_hash(first, 1, a);
	content_hash(other, 1, c);
	ok(strcmp(a, c) != 0, "other people");
	is_int(scalar(same, "SELECT count(*) FROM incident WHERE org_id = $1", org),
	       small.incidents, "at the size asked");
	db_close(first);
	db_close(same);
	db_close(other);
}

TEST(the_audit_trail_verifies)
{
	struct db_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int64_t bad = audit_verify(fx->db, f, &err);

	fclose(f);
	is_int(bad, 0, "audit verify passes");
	has_str(text, "chain intact", "the chain is intact");
	free(text);
	ok(scalar(fx->db, "SELECT count(*) FROM audit_event WHERE org_id = $1"
		  " AND entity = 'incidents'", org) >= S->incidents * 2,
	   "the incidents' reports and steps are in it");
	ok(scalar(fx->db, "SELECT count(*) FROM audit_event WHERE org_id = $1"
		  " AND entity = 'assessments' AND action = 'update'", org) > S->systems * 20,
	   "and the self-assessments");
}

TEST(the_summaries_agree_with_the_rows)
{
	struct db *db = fx->db;

	is_int(scalar(db, "SELECT coalesce(sum(n), 0) FROM incident_month_stat WHERE org_id = $1",
		      org),
	       scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1 AND archived = 0"
		      " AND stat_month IS NOT NULL", org), "incident_month_stat counts every incident");
	is_int(scalar(db, "SELECT coalesce(sum(n), 0) FROM incident_month_stat WHERE org_id = $1"
		      " AND state_group = 'open'", org),
	       scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1 AND archived = 0"
		      " AND state NOT IN ('closed', 'not_incident')", org), "and the open ones");
	is_int(scalar(db, "SELECT coalesce(sum(n), 0) FROM incident_month_stat WHERE org_id = $1"
		      " AND month = '2024-03'", org),
	       scalar(db, "SELECT count(*) FROM incident WHERE org_id = $1 AND archived = 0"
		      " AND stat_month = '2024-03'", org), "a month's figure is its rows");
	is_int(scalar(db, "SELECT count(*) FROM gap_system_stat g WHERE g.org_id = $1"
		      " AND g.stat NOT IN ('new', 'changed') AND g.n <> (SELECT count(*)"
		      " FROM measure_assessment a WHERE a.org_id = g.org_id AND a.required = 1"
		      " AND a.archived = 0 AND coalesce(a.system_id, 0) = g.system_id"
		      " AND a.effective_status = g.stat)", org), 0,
	       "gap_system_stat: every figure is its rows");
	is_int(scalar(db, "SELECT count(*) FROM (SELECT a.system_id, a.effective_status"
		      " FROM measure_assessment a WHERE a.org_id = $1 AND a.required = 1"
		      " AND a.archived = 0 AND a.system_id IS NOT NULL"
		      " GROUP BY a.system_id, a.effective_status) x WHERE NOT EXISTS (SELECT 1"
		      " FROM gap_system_stat g WHERE g.org_id = $1 AND g.system_id = x.system_id"
		      " AND g.stat = x.effective_status)", org), 0,
	       "and no rows are left uncounted");
	is_int(scalar(db, "SELECT count(*) FROM gap_measure_stat g WHERE g.org_id = $1"
		      " AND g.stat NOT IN ('new', 'changed') AND g.n <> (SELECT count(*)"
		      " FROM measure_assessment a WHERE a.org_id = g.org_id AND a.required = 1"
		      " AND a.archived = 0 AND a.measure_id = g.measure_id"
		      " AND a.effective_status = g.stat)", org), 0,
	       "gap_measure_stat: every figure is its rows");
	/* analysis 0 is the whole organisation; 'i' the inherent levels */
	is_int(scalar(db, "SELECT coalesce(sum(n), 0) FROM risk_stat WHERE org_id = $1"
		      " AND analysis_id = 0 AND phase = 'i'", org),
	       scalar(db, "SELECT count(*) FROM risk WHERE org_id = $1 AND archived = 0"
		      " AND consequence IS NOT NULL AND likelihood IS NOT NULL", org),
	       "risk_stat counts every assessed risk");
	is_int(scalar(db, "SELECT count(*) FROM risk_stat s WHERE s.org_id = $1"
		      " AND s.analysis_id <> 0 AND s.phase = 'i' AND s.n <> (SELECT count(*) FROM risk r"
		      " WHERE r.org_id = s.org_id AND r.analysis_id = s.analysis_id AND r.archived = 0"
		      " AND r.consequence = s.consequence AND r.likelihood = s.likelihood)", org), 0,
	       "and each analysis's heat map is its risks");
	is_int(scalar(db, "SELECT coalesce(sum(n), 0) FROM system_stat WHERE org_id = $1"
		      " AND stat LIKE 'k_'", org),
	       scalar(db, "SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0", org),
	       "system_stat counts every system once per aspect");
}

TEST(the_coordinator_sees_the_scaled_data)
{
	struct fx_resp r;
	const char *receipt = "IN-2019-";
	struct arena a = ARENA_INIT;
	struct db_rows rows;
	struct db_error err;

	r = fx_get(fx, COORD, "/o/exempelstad/");
	is_int(r.status, 200, "the start page renders");
	has_str(r.body, "Exempelstad", "for Exempelstad");
	r = fx_get(fx, COORD, "/o/exempelstad/incidents");
	is_int(r.status, 200, "the incident list renders");
	has_str(r.body, "IN-20", "with incidents");
	ok(db_exec(fx->db, &a, "SELECT receipt FROM incident WHERE org_id = $1"
		   " AND reported_at < '2020-01-01' ORDER BY id LIMIT 1",
		   DB_ARGS(DB_INT(org)), &rows, &err) == 0 && rows.nrows == 1, "an old incident");
	if (rows.nrows == 1)
		receipt = db_cell(&rows, 0, 0);
	r = fx_get(fx, COORD, arena_printf(&a, "/o/exempelstad/search?q=%s", receipt));
	is_int(r.status, 200, "the search page renders");
	has_str(r.body, receipt, "the full-text index finds a generated incident by its receipt");
	r = fx_get(fx, COORD, "/o/exempelstad/gap");
	is_int(r.status, 200, "the gap overview renders");
	arena_release(&a);
}

int main(void)
{
	int rc;

	struct clock_local day = { 2026, 12, 1, 12, 0, 0 };

	now = clock_from_local(&day);
	base = *demo_scale_size("S");
	if (testdb_is_pg()) {
		/* PostgreSQL: half of S (the same code; a statement is a round
		 * trip, and all of S took three minutes of the suite) */
		base.people /= 2, base.risks /= 2, base.incidents /= 2, base.activities /= 2;
	}
	S = &base;
	fx = fixture_open(testdb_url());
	generate(fx->db, S, 7);
	org = scalar(fx->db, "SELECT id FROM organisation WHERE slug = 'exempelstad' AND $1 = 1",
		     1);
	rc = tap_run();
	fixture_free(fx);
	testdb_cleanup();
	return rc;
}
