/* test_charts.c - the start page's pictures (issue 8, "Pictures"): the
 * coordinator sees the protection levels per aspect and the
 * classification coverage with the right numbers; a plain user does not;
 * the counts behind them (system_stat, kept by triggers) stay equal to a
 * count over the register after create, classify, reclassify, archive and
 * restore, on the engine chosen by VARN_TEST_DB. */
#include "base/base.h"

#include "db/db.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"

static int64_t make_system(const char *name)
{
	return fx_post_id(fx, COORD, "/o/alfa/systems",
		       arena_printf(&fx->a, "name=%s&hosting=own&lifecycle=operation"
				    "&personal_data=none", name));
}

static int64_t make_infoset(const char *name)
{
	return fx_post_id(fx, COORD, "/o/alfa/information", arena_printf(&fx->a, "name=%s", name));
}

static int64_t classify(int64_t inf, int k, int r, int t, int s, const char *date)
{
	return fx_post_id(fx, COORD, "/o/alfa/classifications",
		       arena_printf(&fx->a, "infoset_id=%lld&level_k=%d&level_r=%d&level_t=%d"
				    "&level_s=%d&decided_on=%s", (long long)inf, k, r, t, s, date));
}

static int64_t link_info(int64_t sys, int64_t inf)
{
	return fx_post_id(fx, COORD, "/o/alfa/system-information",
		       arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				    (long long)inf));
}

static int set_archived(int64_t id, int archived)
{
	struct fx_resp r = fx_post(fx, COORD,
		arena_printf(&fx->a, "/o/alfa/systems/%lld/%s", (long long)id,
			     archived ? "archive" : "restore"),
		arena_printf(&fx->a, "version=%lld", (long long)fx_scalar(fx,
			     "SELECT version FROM it_system WHERE id = $1", id)));
	return r.status;
}

static int64_t q2(const char *sql, int64_t a, int64_t b, const char *t)
{
	struct db_rows rows;
	struct db_error err;
	int rc = t ? db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(a), DB_TEXT(t)), &rows, &err)
		   : db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(a), DB_INT(b)), &rows, &err);

	if (rc != 0) {
		printf("# %s: %s\n", sql, err.msg);
		return -1;
	}
	return rows.nrows ? db_cell_i64(&rows, 0, 0) : 0;
}

/* The kept counts of alfa equal a count over it_system, every one. */
static int counts_right(const char *when)
{
	static const char *const recount[4] = {
		"SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		" AND CASE WHEN level_k BETWEEN 1 AND 4 THEN level_k ELSE 0 END = $2",
		"SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		" AND CASE WHEN level_r BETWEEN 1 AND 4 THEN level_r ELSE 0 END = $2",
		"SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		" AND CASE WHEN level_t BETWEEN 1 AND 4 THEN level_t ELSE 0 END = $2",
		"SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		" AND CASE WHEN level_s BETWEEN 1 AND 4 THEN level_s ELSE 0 END = $2",
	};
	static const char *const cov[3] = {
		"SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		" AND infosets_total > 0 AND infosets_unclassified = 0 AND $2 = 'cov_done'",
		"SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		" AND infosets_unclassified > 0 AND $2 = 'cov_open'",
		"SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		" AND infosets_total = 0 AND $2 = 'cov_none'",
	};
	static const char kept[] =
		"SELECT COALESCE(sum(n), 0) FROM system_stat WHERE org_id = $1 AND stat = $2";
	int right = 1;

	for (int a = 0; a < 4; a++)
		for (int lv = 0; lv <= 4; lv++) {
			const char *key = arena_printf(&fx->a, "%c%d", "krts"[a], lv);
			int64_t want = q2(recount[a], fx->org_alfa, lv, NULL);
			int64_t got = q2(kept, fx->org_alfa, 0, key);
			if (want != got) {
				printf("# %s: %s kept %lld, counted %lld\n", when, key,
				       (long long)got, (long long)want);
				right = 0;
			}
		}
	/* the highest level over the aspects (migration 0016), as the list
	 * sorts by it: the coordinator's overview's "systems by level" */
	for (int lv = 0; lv <= 5; lv++) {
		const char *key = lv < 5 ? arena_printf(&fx->a, "p%d", lv) : "pn";
		int64_t want = q2(lv < 5 ? "SELECT count(*) FROM it_system WHERE org_id = $1"
				  " AND archived = 0 AND level_max = $2"
				  : "SELECT count(*) FROM it_system WHERE org_id = $1"
				  " AND archived = 0 AND level_max IS NULL AND $2 = 5",
				  fx->org_alfa, lv, NULL);
		int64_t got = q2(kept, fx->org_alfa, 0, key);
		if (want != got) {
			printf("# %s: %s kept %lld, counted %lld\n", when, key, (long long)got,
			       (long long)want);
			right = 0;
		}
	}
	for (int k = 0; k < 3; k++) {
		static const char *const key[3] = { "cov_done", "cov_open", "cov_none" };
		int64_t want = q2(cov[k], fx->org_alfa, 0, key[k]);
		int64_t got = q2(kept, fx->org_alfa, 0, key[k]);
		if (want != got) {
			printf("# %s: %s kept %lld, counted %lld\n", when, key[k], (long long)got,
			       (long long)want);
			right = 0;
		}
	}
	return right;
}

static const char *home(const char *who)
{
	struct fx_resp r = fx_get(fx, who, "/o/alfa/");
	if (r.status != 200)
		printf("# start page -> %d\n", r.status);
	return r.body ? r.body : "";
}

/* The row of a picture's table: "<th scope="row">NAME</th><td...>N</td>...". */
static const char *row(const char *name, const char *cells)
{
	return arena_printf(&fx->a, "<th scope=\"row\">%s</th>%s</tr>", name, cells);
}

static const char *tds(int n, const int *v)
{
	struct buf b = BUF_INIT;
	const char *s;

	for (int i = 0; i < n; i++)
		buf_printf(&b, "<td class=\"num\">%d</td>", v[i]);
	s = arena_strdup(&fx->a, b.p);
	buf_release(&b);
	return s;
}

/* covers R-pictures: the coordinator's overview shows the distribution of
 * protection levels per aspect and the classification coverage */
TEST(start_page_pictures)
{
	const char *b;
	int64_t a, s2, x, y;

	b = home(COORD);
	has_str(b, "Skyddsnivåer per aspekt", "the coordinator sees the levels picture's heading");
	has_str(b, "Klassad information i systemen", "and the coverage picture's");
	has_str(b, "Inga uppgifter ännu", "an empty register says so instead of drawing");
	ok(counts_right("empty"), "the counts of an empty register are right");
	lacks_str(home(USER), "Skyddsnivåer per aspekt", "a plain user gets no pictures");

	a = make_system("Procapita");
	ok(a > 0, "a system");
	ok(counts_right("created"), "counts right after create");
	b = home(COORD);
	has_str(b, "role=\"img\"", "now a picture");
	has_str(b, "aria-labelledby=\"ch-levels-title\"", "named by its title");
	has_str(b, "<details class=\"chart-numbers\"><summary>Visa siffrorna</summary>",
		"its numbers behind a toggle that needs no JavaScript");
	/* levels 1..4, ej klassad, total */
	has_str(b, row("Konfidentialitet", tds(6, (int[]){ 0, 0, 0, 0, 1, 1 })),
		"one system, not classified in confidentiality");
	has_str(b, row("Inga informationsmängder", tds(1, (int[]){ 1 })),
		"and it has no information sets");

	x = make_infoset("Journaler");
	ok(x > 0 && link_info(a, x) > 0, "an information set linked to it");
	ok(counts_right("linked"), "counts right after linking unclassified information");
	b = home(COORD);
	has_str(b, row("Information som inte är klassad", tds(1, (int[]){ 1 })),
		"its information is not classified yet");
	has_str(b, row("Inga informationsmängder", tds(1, (int[]){ 0 })), "so it has some");

	ok(classify(x, 3, 2, 1, 2, "2026-01-10") > 0, "the set is classified K3 R2 T1 S2");
	ok(counts_right("classified"), "counts right after classification");
	b = home(COORD);
	has_str(b, row("Konfidentialitet", tds(6, (int[]){ 0, 0, 1, 0, 0, 1 })), "K: level 3");
	has_str(b, row("Riktighet", tds(6, (int[]){ 0, 1, 0, 0, 0, 1 })), "R: level 2");
	has_str(b, row("Tillgänglighet", tds(6, (int[]){ 1, 0, 0, 0, 0, 1 })), "T: level 1");
	has_str(b, row("All information klassad", tds(1, (int[]){ 1 })), "all its information classified");
	has_str(b, "I konfidentialitet har 1 system nivå 3 eller 4 och 0 är ännu inte klassade.",
		"the text alternative says the main reading with the numbers");

	s2 = make_system("Lifecare");
	y = make_infoset("Beslut");
	ok(s2 > 0 && y > 0 && link_info(s2, y) > 0 && link_info(a, y) > 0,
	   "a second system; a second set in both");
	ok(counts_right("second"), "counts right");
	ok(classify(y, 4, 1, 1, 1, "2026-01-11") > 0, "the second set K4");
	ok(classify(x, 1, 1, 1, 1, "2026-01-12") > 0, "the first reclassified down to 1");
	ok(counts_right("reclassified"), "counts right after reclassification");
	b = home(COORD);
	has_str(b, row("Konfidentialitet", tds(6, (int[]){ 0, 0, 0, 2, 0, 2 })), "K: both level 4");
	has_str(b, row("Riktighet", tds(6, (int[]){ 2, 0, 0, 0, 0, 2 })), "R: both level 1");

	is_int(set_archived(a, 1), 303, "the first system is archived");
	ok(counts_right("archived"), "counts right after archiving");
	b = home(COORD);
	has_str(b, row("Konfidentialitet", tds(6, (int[]){ 0, 0, 0, 1, 0, 1 })),
		"an archived system is not counted");
	is_int(set_archived(a, 0), 303, "and restored");
	ok(counts_right("restored"), "counts right after restoring");
	b = home(COORD);
	has_str(b, row("Konfidentialitet", tds(6, (int[]){ 0, 0, 0, 2, 0, 2 })), "counted again");

	/* the other organisation's counts are its own */
	ok(q2("SELECT COALESCE(sum(n), 0) FROM system_stat WHERE org_id = $1 AND stat = $2",
	      fx->org_beta, 0, "k0") == 0, "beta has no systems counted");
}

/* The page reads the counts by the organisation's key: an index lookup of
 * at most 29 rows, whatever the size of the register. */
TEST(counts_are_an_index_lookup)
{
	struct db_rows rows;
	struct db_error err;
	struct buf plan = BUF_INIT;
	int rc;

	if (db_kind(fx->db) == DB_SQLITE)
		rc = db_exec(fx->db, &fx->a, "EXPLAIN QUERY PLAN SELECT stat, n FROM system_stat"
			     " WHERE org_id = $1", DB_ARGS(DB_INT(fx->org_alfa)), &rows, &err);
	else
		rc = db_exec(fx->db, &fx->a, "EXPLAIN SELECT stat, n FROM system_stat"
			     " WHERE org_id = $1", DB_ARGS(DB_INT(fx->org_alfa)), &rows, &err);
	ok(rc == 0, "explain: %s", rc ? err.msg : "");
	for (size_t i = 0; rc == 0 && i < rows.nrows; i++)
		for (size_t k = 0; k < rows.ncols; k++)
			buf_printf(&plan, "%s ", db_cell(&rows, i, k) ? db_cell(&rows, i, k) : "");
	printf("# plan: %s\n", plan.p);
	if (db_kind(fx->db) == DB_SQLITE)
		has_str(plan.p, "SEARCH system_stat USING PRIMARY KEY (org_id=?)",
			"SQLite searches the primary key");
	else
		/* a tiny table may be scanned by the planner; the key is there */
		ok(strstr(plan.p, "system_stat_pkey") || strstr(plan.p, "Seq Scan on system_stat"),
		   "PostgreSQL reads system_stat by its key (or the whole of a tiny table)");
	buf_release(&plan);
}

int main(void)
{
	int rc;

	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	testdb_cleanup();
	return rc;
}
