/* test_scheduler.c - scheduled work (core/scheduler.h): periods in
 * Stockholm time, once per period, catch-up once, retries, takeover of a
 * died run, per-organisation lines, duplicate names, and exactly once
 * with several processes on one database (both engines). */
#include "base/base.h"

#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/i18n.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "tap.h"
#include "testdb.h"

static struct arena A = ARENA_INIT;

static int64_t one_int(struct db *db, const char *sql, const char *job)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(db, &A, sql, DB_ARGS(DB_TEXT(job)), &r, &err) || !r.nrows)
		return -1;
	return db_cell_i64(&r, 0, 0);
}

static int64_t runs_of(struct db *db, const char *job)
{
	return one_int(db, "SELECT count(*) FROM job_run WHERE job = $1", job);
}

static int64_t new_org(struct db *db, const char *slug)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(db, &A, "INSERT INTO organisation (slug, name, name_sk, kind,"
		    " created_at, updated_at) VALUES ($1, $1, $1, 'kommun', 1, 1)"
		    " RETURNING id", DB_ARGS(DB_TEXT(slug)), &r, &err)) {
		fprintf(stderr, "# organisation: %s\n", err.msg);
		return 0;
	}
	return db_cell_i64(&r, 0, 0);
}

/* ---- test jobs ---- */

static int counted;
static int64_t org_a, org_b;

static int count_run(struct ctx *cx, int64_t start, struct buf *summary,
		     struct db_error *err)
{
	(void)start;
	counted++;
	buf_printf(summary, "run %d", counted);
	if (scheduler_note(cx, org_a, "2 påminnelser till A", err) ||
	    scheduler_note(cx, org_b, "1 påminnelse till B", err))
		return -1;
	return 0;
}

static int failures_left;

static int flaky_run(struct ctx *cx, int64_t start, struct buf *summary,
		     struct db_error *err)
{
	(void)cx; (void)start;
	counted++;
	if (failures_left > 0) {
		failures_left--;
		err->code = DBE_OTHER;
		snprintf(err->msg, sizeof(err->msg), "SMTP-servern svarar inte");
		return -1;
	}
	buf_puts(summary, "recovered");
	return 0;
}

static const struct job daily_job[] = {
	{ "test-daily", 86400, M_JOBS_DAILY, count_run }, { NULL, 0, 0, NULL } };
static const struct job flaky_job[] = {
	{ "test-flaky", 86400, M_JOBS_DAILY, flaky_run }, { NULL, 0, 0, NULL } };

static const struct job *const *list_of(const struct job *j)
{
	const char *dup = NULL;
	return (const struct job *const *)scheduler_gather(j, NULL, NULL, &dup);
}

/* ---- periods ---- */

TEST(periods)
{
	/* 2026-01-15 12:00 UTC: the day began 2026-01-15 00:00 CET */
	is_int(scheduler_period_start(86400, 1768478400), 1768431600, "day: Stockholm midnight in winter");
	is_int(scheduler_period_start(86400, 1768431600), 1768431600, "day: midnight is its own start");
	is_int(scheduler_period_start(86400, 1768431599), 1768431600 - 86400, "day: a second before is the day before");
	/* 29 March 2026, clocks forward: a 23-hour day */
	is_int(scheduler_period_start(86400, 1774785600), 1774738800, "spring change day starts 00:00 CET");
	is_int(scheduler_next_period(86400, 1774738800), 1774821600, "and lasts 23 hours");
	/* 25 October 2026, clocks back: a 25-hour day */
	is_int(scheduler_period_start(86400, 1792929600), 1792879200, "autumn change day starts 00:00 CEST");
	is_int(scheduler_next_period(86400, 1792879200), 1792969200, "and lasts 25 hours");
	is_int(scheduler_period_start(86400, 1792969199), 1792879200, "its 25th hour is still in it");
	/* Saturday 5 December 2026: the week began Monday 30 November */
	is_int(scheduler_period_start(604800, 1796472000), 1795993200, "week: Monday 00:00 Stockholm");
	is_int(scheduler_next_period(604800, 1795993200), 1796598000, "next week: the Monday after");
	is_int(scheduler_period_start(60, 1796472059), 1796472000, "minute: the whole minute");
	is_int(scheduler_next_period(60, 1796472000), 1796472060, "next minute");
	is_int(scheduler_period_start(3600, 1796472000 + 1799), 1796472000, "hour from the epoch");
}

TEST(duplicate_names)
{
	static const struct job twice[] = {
		{ "a", 60, M_JOBS_DAILY, count_run }, { NULL, 0, 0, NULL } };
	static const struct module m1 = { .name = "m1", .jobs = twice };
	static const struct module m2 = { .name = "m2", .jobs = twice };
	static const struct module *const mods[] = { &m1, &m2, NULL };
	static const struct module *const one[] = { &m1, NULL };
	const char *dup = NULL;
	const struct job **l;

	ok(scheduler_gather(daily_job, mods, NULL, &dup) == NULL, "two modules' jobs named alike are refused");
	is_str(dup, "a", "the duplicate is named");
	dup = NULL;
	ok(scheduler_gather(twice, one, NULL, &dup) == NULL, "a module's job named like the foundation's is refused");
	l = scheduler_gather(daily_job, one, NULL, &dup);
	ok(l && l[0] == &daily_job[0] && l[1] == &twice[0] && !l[2], "own jobs first, then the modules'");
	free(l);
	ok(scheduler_jobs() != NULL, "the real list has no duplicates");
	ok(scheduler_find(scheduler_jobs(), "sessions") != NULL, "the foundation's sessions job is listed");
	{
		const struct job *const *all = scheduler_jobs();
		size_t n = 0, rem = 0;
		while (all[n]) {
			if (strcmp(all[n]->name, "review-reminders") == 0)
				rem = n;
			n++;
		}
		ok(n > 2 && strcmp(all[n - 1]->name, "outbox") == 0 && rem > 0,
		   "the outbox worker runs last, after the modules' jobs that queue mail");
	}
	l = scheduler_gather(NULL, one, daily_job, &dup);
	ok(l && l[0] == &twice[0] && l[1] == &daily_job[0] && !l[2], "last after the modules'");
	free(l);
}

/* Issue 8: once per period; catch-up after downtime once. */
TEST(once_per_period_and_catch_up)
{
	struct db *db = testdb_open(1);
	const struct job *const *l = list_of(daily_job);
	struct db_error err;
	struct buf log = BUF_INIT;
	struct job_run run[4];
	const char **lines;
	int64_t now = 1768478400;

	org_a = new_org(db, "a");
	org_b = new_org(db, "b");
	clock_set(now);
	counted = 0;
	is_int(scheduler_run_due(db, now, l, NULL, &log, NULL, &err), 1, "a due job runs");
	has_str(log.p, "test-daily: ok: run 1", "the log says what it did");
	is_int(scheduler_run_due(db, now + 3600, l, NULL, NULL, NULL, &err), 0, "not again in the same period");
	is_int(counted, 1, "the job ran once");
	is_int(scheduler_runs(db, &A, "test-daily", 0, run, 4, &err), 1, "one run row");
	is_str(run[0].outcome, "ok", "outcome ok");
	is_int(run[0].period_start, 1768431600, "recorded for the period");
	is_str(run[0].summary, "run 1", "summary recorded");
	ok(run[0].ended_at >= run[0].started_at, "start and end recorded");
	lines = scheduler_org_lines(db, &A, run[0].id, org_a, &err);
	ok(lines && lines[0] && !lines[1], "one line for organisation A");
	is_str(lines ? lines[0] : NULL, "2 påminnelser till A", "A's own line");
	lines = scheduler_org_lines(db, &A, run[0].id, org_b, &err);
	is_str(lines ? lines[0] : NULL, "1 påminnelse till B", "B sees its own line, not A's");
	ok(scheduler_next_due(l[0], &run[0], now) == 1768431600 + 86400, "next due at the next midnight");

	/* five days down: one run, for today */
	now += 5 * 86400;
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 1, "after 5 days away: one run");
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 0, "and no more");
	is_int(counted, 2, "caught up once, not five times");
	is_int(runs_of(db, "test-daily"), 2, "two run rows in all");
	is_int(scheduler_runs(db, &A, "test-daily", 0, run, 4, &err), 2, "runs newest first");
	is_int(run[0].period_start, 1768431600 + 5 * 86400, "the newest is today's");
	is_int(scheduler_runs(db, &A, "test-daily", run[0].period_start, run, 4, &err), 1,
	       "keyset: runs before the newest");
	ok(scheduler_note(&(struct ctx){ .via = VIA_JOB }, org_a, "x", &err) < 0,
	   "scheduler_note outside a run is refused");
	buf_release(&log);
	free((void *)l);
	db_close(db);
	clock_set(0);
}

TEST(failure_and_retries)
{
	struct db *db = testdb_open(1);
	const struct job *const *l = list_of(flaky_job);
	struct db_error err;
	struct job_run run;
	int64_t now = 1768431600 + 3600;

	clock_set(now);
	counted = 0;
	failures_left = 10;
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 1, "the failing job ran");
	scheduler_runs(db, &A, "test-flaky", 0, &run, 1, &err);
	is_str(run.outcome, "failed", "recorded as failed");
	is_str(run.error, "SMTP-servern svarar inte", "with its error");
	is_int(run.next_try_at, now + 300, "tried again after 5 minutes");
	is_int(scheduler_run_due(db, now + 299, l, NULL, NULL, NULL, &err), 0, "not before the back-off");
	now += 300;
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 1, "second attempt");
	scheduler_runs(db, &A, "test-flaky", 0, &run, 1, &err);
	is_int(run.attempts, 2, "attempt 2");
	is_int(run.next_try_at, now + 600, "then after 10 minutes");
	now += 600;
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 1, "third attempt");
	scheduler_runs(db, &A, "test-flaky", 0, &run, 1, &err);
	is_int(run.attempts, 3, "attempt 3");
	ok(run.next_try_at == 0, "no fourth attempt in this period");
	is_int(scheduler_run_due(db, now + 7200, l, NULL, NULL, NULL, &err), 0, "left failed for the day");
	is_int(counted, 3, "three attempts in all");
	is_int(runs_of(db, "test-flaky"), 1, "one row for the period");

	/* the next day it runs again, and a success after a failure is ok */
	failures_left = 1;
	now = 1768431600 + 86400 + 60;
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 1, "next period: runs");
	now += 300;
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 1, "retried");
	scheduler_runs(db, &A, "test-flaky", 0, &run, 1, &err);
	is_str(run.outcome, "ok", "the retry succeeded");
	ok(run.error == NULL, "no error kept on success");
	free((void *)l);
	db_close(db);
	clock_set(0);
}

TEST(died_run_taken_over)
{
	struct db *db = testdb_open(1);
	const struct job *const *l = list_of(daily_job);
	struct db_error err;
	struct job_run run;
	int64_t now = 1768431600 + 7200, start = 1768431600;

	org_a = new_org(db, "a");
	org_b = new_org(db, "b");
	/* another process claimed the period an hour ago and died */
	ok(db_exec(db, &A, "INSERT INTO job_run (job, period_start, started_at,"
		   " lease_until, outcome, attempts, runner) VALUES ('test-daily', $1,"
		   " $2, $3, 'running', 1, 'gone:1')",
		   DB_ARGS(DB_INT(start), DB_INT(now - 3600), DB_INT(now + 60)), NULL, &err) == 0,
	   "a run in progress elsewhere");
	counted = 0;
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 0, "its lease holds: left alone");
	now += 61;
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 1, "lease passed: taken over");
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 0, "once");
	scheduler_runs(db, &A, "test-daily", 0, &run, 1, &err);
	is_str(run.outcome, "ok", "the takeover finished it");
	is_int(run.attempts, 2, "as the second attempt");
	ok(strcmp(run.runner, "gone:1") != 0, "by this process");
	is_int(counted, 1, "the job ran once here");

	/* the third and last attempt dies too: failed, not "running" for ever */
	ok(db_exec(db, &A, "UPDATE job_run SET outcome = 'running', attempts = 3,"
		   " ended_at = NULL, lease_until = $1 WHERE job = 'test-daily'",
		   DB_ARGS(DB_INT(now + 10)), NULL, &err) == 0, "a last attempt in progress");
	now += 11;
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 0, "no fourth attempt");
	scheduler_runs(db, &A, "test-daily", 0, &run, 1, &err);
	is_str(run.outcome, "failed", "its lease passed: recorded as failed");
	is_str(run.error, "the process running it stopped", "saying why");
	is_int(counted, 1, "and not run again");
	free((void *)l);
	db_close(db);
	clock_set(0);
}

/* A job that may run long (a backup) holds its run for its own lease, so
 * another process does not take it for dead after 15 minutes and run it
 * a second time. */
static const struct job long_job[] = {
	{ "test-long", 86400, M_JOBS_DAILY, count_run, 6 * 3600 }, { NULL, 0, 0, NULL } };

TEST(own_lease)
{
	struct db *db = testdb_open(1);
	const struct job *const *l = list_of(long_job);
	struct db_error err;
	int64_t now = 1768431600 + 7200;

	org_a = new_org(db, "a");
	org_b = new_org(db, "b");
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 1, "ran");
	is_int(one_int(db, "SELECT lease_until - started_at FROM job_run WHERE job = $1",
		       "test-long"), 6 * 3600, "its run held for the job's own lease");
	/* as if it were still running 16 minutes later: no takeover */
	ok(db_exec(db, &A, "UPDATE job_run SET outcome = 'running', ended_at = NULL"
		   " WHERE job = 'test-long'", DB_NOARGS, NULL, &err) == 0, "still running");
	now += 16 * 60;
	clock_set(now);
	counted = 0;
	is_int(scheduler_run_due(db, now, l, NULL, NULL, NULL, &err), 0,
	       "16 minutes on, another process leaves it alone");
	is_int(counted, 0, "not run twice");
	free((void *)l);
	db_close(db);
	clock_set(0);
}

TEST(sessions_job)
{
	struct db *db = testdb_open(1);
	const struct job *const *l = scheduler_jobs();
	struct db_error err;
	struct buf log = BUF_INIT;
	int64_t now = 1768431600 + 3600;
	static const char ins[] =
		"INSERT INTO session (token_hash, user_id, csrf_token, created_at,"
		" last_seen_at, expires_at) VALUES ($1, 1, 'c', 1, 1, $2)";

	ok(db_exec(db, &A, "INSERT INTO app_user (id, email, created_at, updated_at)"
		   " VALUES (1, 'a@b.se', 1, 1)", DB_NOARGS, NULL, &err) == 0 &&
	   db_exec(db, &A, ins, DB_ARGS(DB_TEXT("old"), DB_INT(now - 1)), NULL, &err) == 0 &&
	   db_exec(db, &A, ins, DB_ARGS(DB_TEXT("live"), DB_INT(now + 3600)), NULL, &err) == 0,
	   "an expired and a live session");
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, "sessions", &log, NULL, &err), 1, "the sessions job runs");
	has_str(log.p, "sessions: ok: 1 expired sessions, 0 reset links, 0 sign-in failure counts removed", "and says what it did");
	is_int(one_int(db, "SELECT count(*) FROM session WHERE token_hash = $1", "old"), 0,
	       "the expired session is gone");
	is_int(one_int(db, "SELECT count(*) FROM session WHERE token_hash = $1", "live"), 1,
	       "the live one is kept");
	buf_release(&log);
	db_close(db);
	clock_set(0);
}

/* Runs older than 90 days and their lines go; newer ones stay. */
TEST(history_job)
{
	struct db *db = testdb_open(1);
	const struct job *const *l = scheduler_jobs();
	struct db_error err;
	struct buf log = BUF_INIT;
	int64_t now = 1768431600 + 3600, old = now - 91 * 86400, recent = now - 89 * 86400;
	static const char run[] =
		"INSERT INTO job_run (job, period_start, started_at, lease_until, outcome, runner)"
		" VALUES ('sessions', $1, $1, $1, 'ok', 'test') RETURNING id";
	static const char line[] =
		"INSERT INTO job_run_org (run_id, org_id, line) VALUES ($1, $2, 'x')";
	struct db_rows r1, r2, org;

	ok(db_exec(db, &A, "INSERT INTO organisation (slug, name, name_sk, kind, created_at,"
		   " updated_at) VALUES ('h', 'H', 'h', 'kommun', 1, 1) RETURNING id", DB_NOARGS,
		   &org, &err) == 0 &&
	   db_exec(db, &A, run, DB_ARGS(DB_INT(old)), &r1, &err) == 0 &&
	   db_exec(db, &A, run, DB_ARGS(DB_INT(recent)), &r2, &err) == 0 &&
	   db_exec(db, &A, line, DB_ARGS(DB_INT(db_cell_i64(&r1, 0, 0)),
					 DB_INT(db_cell_i64(&org, 0, 0))), NULL, &err) == 0 &&
	   db_exec(db, &A, line, DB_ARGS(DB_INT(db_cell_i64(&r2, 0, 0)),
					 DB_INT(db_cell_i64(&org, 0, 0))), NULL, &err) == 0,
	   "a run 91 days old and one 89 days old, each with a line: %s", err.msg);
	clock_set(now);
	is_int(scheduler_run_due(db, now, l, "history", &log, NULL, &err), 1, "the history job runs");
	has_str(log.p, "history: ok: 1 runs older than 90 days", "and says what it did");
	is_int(one_int(db, "SELECT count(*) FROM job_run WHERE job = $1 AND runner = 'test'",
		       "sessions"), 1, "the old run is gone, the recent one kept");
	is_int(one_int(db, "SELECT count(*) FROM job_run_org WHERE line = $1", "x"), 1,
	       "and the old run's line with it");
	buf_release(&log);
	db_close(db);
	clock_set(0);
}

/* ---- several processes ---- */

static int slow_run(struct ctx *cx, int64_t start, struct buf *summary,
		    struct db_error *err)
{
	(void)start; (void)summary;
	usleep(50000); /* a window for the others to try */
	return scheduler_note(cx, org_a, arena_printf(cx->a, "pid %ld", (long)getpid()), err);
}

static const struct job slow_job[] = {
	{ "test-race", 60, M_JOBS_EVERY_MINUTE, slow_run }, { NULL, 0, 0, NULL } };

/* nproc processes, each with its own connection, released together by
 * closing a pipe; each exits with the number of runs it made (9: error). */
static int race(const char *url, int nproc, int64_t now)
{
	const struct job *const *l = list_of(slow_job);
	int gate[2], total = 0;
	pid_t pids[16];

	if (pipe(gate) < 0)
		return -1;
	for (int i = 0; i < nproc; i++) {
		if ((pids[i] = fork()) == 0) {
			struct db *db;
			struct db_error err;
			char c;
			int n;

			close(gate[1]);
			if (db_open(url, &db, &err))
				_exit(9);
			(void)!read(gate[0], &c, 1); /* returns at EOF: all go */
			n = scheduler_run_due(db, now, l, NULL, NULL, NULL, &err);
			db_close(db);
			_exit(n < 0 ? 9 : n);
		}
	}
	close(gate[0]);
	usleep(200000); /* let every child connect */
	close(gate[1]);
	for (int i = 0; i < nproc; i++) {
		int st;
		waitpid(pids[i], &st, 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) == 9)
			return -1;
		total += WEXITSTATUS(st);
	}
	free((void *)l);
	return total;
}

/* Issue 8: exactly once with several processes on one database. */
TEST(exactly_once_with_several_processes)
{
	const char *url = testdb_url();
	struct db *db;
	struct db_error err;
	int64_t now = 1796472000;

	ok(db_open(url, &db, &err) == 0 && db_migrate(db, &err) == 0, "a database");
	org_a = new_org(db, "a");
	db_close(db); /* no connection across fork */
	clock_set(now);
	for (int round = 0; round < 5; round++, now += 60) {
		int n = race(url, 4, now);
		is_int(n, 1, arena_printf(&A, "round %d (%s): four processes, one run",
					  round, testdb_is_pg() ? "pg" : "sqlite"));
	}
	ok(db_open(url, &db, &err) == 0, "reopened");
	is_int(runs_of(db, "test-race"), 5, "one run row per period");
	is_int(one_int(db, "SELECT count(*) FROM job_run_org o JOIN job_run r ON r.id = o.run_id"
		       " WHERE r.job = $1", "test-race"), 5, "one effect per period");
	is_int(one_int(db, "SELECT count(*) FROM job_run WHERE job = $1 AND outcome <> 'ok'",
		       "test-race"), 0, "every run finished ok");
	db_close(db);
	clock_set(0);
}

int main(void)
{
	int rc = tap_run();
	arena_release(&A);
	return rc;
}
