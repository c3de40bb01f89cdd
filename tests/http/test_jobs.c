/* test_jobs.c - the jobs page (web/pages_jobs.c): for an organisation's
 * administrators and coordinator, showing what ran for it and nothing of
 * another organisation; the runs of a job paged by keyset. */
#include "base/base.h"

#include "base/clock.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"

static struct fixture *fx;

static void exec(const char *sql, const struct db_val *p, size_t n)
{
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, p, n, NULL, &err))
		fprintf(stderr, "# %s\n", err.msg);
}

/* A finished run of the sessions job for the period at start, with a
 * line for alfa and one for beta. */
static int64_t add_run(int64_t start, const char *outcome)
{
	exec("INSERT INTO job_run (job, period_start, started_at, ended_at, lease_until,"
	     " outcome, summary, error, runner) VALUES ('sessions', $1, $2, $3, $4, $5,"
	     " 'INSTALLATION-SUMMARY', 'INSTALLATION-ERROR', 'h:1')",
	     DB_ARGS(DB_INT(start), DB_INT(start + 10), DB_INT(start + 75),
		     DB_INT(start + 900), DB_TEXT(outcome)));
	return fx_scalar(fx, "SELECT id FROM job_run WHERE period_start = $1", start);
}

static void add_line(int64_t run, int64_t org, const char *line)
{
	exec("INSERT INTO job_run_org (run_id, org_id, line) VALUES ($1, $2, $3)",
	     DB_ARGS(DB_INT(run), DB_INT(org), DB_TEXT(line)));
}

TEST(jobs_page_per_organisation)
{
	int64_t day = 1768431600; /* 2026-01-15 00:00 Stockholm */
	int64_t run;
	struct fx_resp r;

	clock_set(day + 3600);
	run = add_run(day, "ok");
	add_line(run, fx->org_alfa, "ALFA: 3 påminnelser");
	add_line(run, fx->org_beta, "BETA: 1 påminnelse");

	r = fx_get(fx, "admin@a.se", "/o/alfa/jobs");
	is_int(r.status, 200, "an administrator sees the jobs page");
	has_str(r.body, "Schemalagda jobb", "titled in Swedish");
	has_str(r.body, "Rensa utgångna inloggningar", "the job's Swedish name");
	has_str(r.body, "Dagligen", "its period in words");
	has_str(r.body, "2026-01-15 01:00", "when the last run started (local time)");
	has_str(r.body, "1 min 5 s", "how long it took");
	has_str(r.body, ">Klar<", "its outcome");
	has_str(r.body, "ALFA: 3 påminnelser", "what it did for alfa");
	lacks_str(r.body, "BETA", "nothing of beta");
	lacks_str(r.body, "INSTALLATION", "not the installation's summary or error");
	has_str(r.body, "2026-01-16 00:00", "the next run: next midnight");
	has_str(r.body, "/o/alfa/jobs", "in the menu");

	r = fx_get(fx, "samordnare@a.se", "/o/beta/jobs");
	is_int(r.status, 200, "the coordinator sees it too");
	has_str(r.body, "BETA: 1 påminnelse", "beta's own line");
	lacks_str(r.body, "ALFA", "nothing of alfa");

	r = fx_get(fx, "admin@b.se", "/o/alfa/jobs");
	ok(r.status == 403 || r.status == 404, "beta's administrator: not alfa's page");
	r = fx_get(fx, "anvandare@a.se", "/o/alfa/jobs");
	is_int(r.status, 403, "a plain user may not");
	r = fx_get(fx, "anvandare@a.se", "/o/alfa/jobs/runs?job=sessions");
	is_int(r.status, 403, "nor the runs");
	r = fx_get(fx, "anvandare@a.se", "/o/alfa");
	lacks_str(r.body, "/o/alfa/jobs", "and has no menu entry for it");
	clock_set(0);
}

TEST(failed_and_running)
{
	int64_t day = 1768431600;
	struct fx_resp r;

	/* the same period: the sessions made above stay valid */
	clock_set(day + 3600);
	exec("UPDATE job_run SET outcome = 'failed' WHERE period_start = $1", DB_ARGS(DB_INT(day)));
	exec("DELETE FROM job_run_org WHERE org_id = $1", DB_ARGS(DB_INT(fx->org_alfa)));
	r = fx_get(fx, "admin@a.se", "/o/alfa/jobs");
	has_str(r.body, ">Misslyckades<", "a failed run says so");
	has_str(r.body, "Inget att göra", "no lines for alfa: nothing to do");
	lacks_str(r.body, "INSTALLATION-ERROR", "the error is the operator's");
	exec("UPDATE job_run SET outcome = 'running', ended_at = NULL WHERE period_start = $1",
	     DB_ARGS(DB_INT(day)));
	r = fx_get(fx, "admin@a.se", "/o/alfa/jobs");
	has_str(r.body, ">Pågår<", "a running run says so");
	clock_set(0);
}

TEST(runs_paged_by_keyset)
{
	int64_t day = 1768431600 - 25 * 86400;
	struct fx_resp r;
	const char *next;

	clock_set(1768431600 + 3600);
	exec("UPDATE job_run SET outcome = 'ok', ended_at = started_at + 1", DB_NOARGS);
	add_line(fx_scalar(fx, "SELECT id FROM job_run WHERE period_start = $1", 1768431600),
		 fx->org_alfa, "NEWEST-RUN");
	for (int i = 0; i < 25; i++)
		add_line(add_run(day + i * 86400, "ok"), fx->org_alfa,
			 i == 0 ? "OLDEST-RUN" : "x");
	r = fx_get(fx, "admin@a.se", "/o/alfa/jobs/runs?job=sessions");
	is_int(r.status, 200, "the runs of a job");
	has_str(r.body, "Tidigare körningar", "under their heading");
	has_str(r.body, "NEWEST-RUN", "newest first");
	lacks_str(r.body, "OLDEST-RUN", "the oldest is on a later page");
	next = r.body ? strstr(r.body, "rel=\"next\" href=\"") : NULL;
	ok(next != NULL, "a link to the next page");
	if (next) {
		char path[256];
		const char *q = next + strlen("rel=\"next\" href=\"");
		size_t n = strcspn(q, "\"");
		struct buf b = BUF_INIT;

		buf_printf(&b, "/o/alfa/jobs/runs%.*s", (int)n, q);
		/* undo the &amp; of the attribute */
		snprintf(path, sizeof(path), "%s", b.p);
		for (char *p; (p = strstr(path, "&amp;"));)
			memmove(p + 1, p + 5, strlen(p + 5) + 1);
		r = fx_get(fx, "admin@a.se", path);
		is_int(r.status, 200, "the next page");
		has_str(r.body, "OLDEST-RUN", "holds the oldest");
		lacks_str(r.body, "NEWEST-RUN", "and not the newest");
		buf_release(&b);
	}
	r = fx_get(fx, "admin@a.se", "/o/alfa/jobs/runs?job=nope");
	is_int(r.status, 404, "an unknown job: 404");
	clock_set(0);
}

int main(void)
{
	int rc;

	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	return rc;
}
