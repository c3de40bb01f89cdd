/* scheduler.c - runs each job once per period (scheduler.h says how). */
#include "base/base.h"

#include <pthread.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "core/scheduler.h"

#define WEEK 604800
#define DAY 86400

/* ---- the foundation's jobs ---- */

/* Signed-out and expired sessions, reset links past their time and sign-in
 * failure counts that limit nothing any more are of no use to anyone;
 * removing them daily keeps the tables small. */
static int sessions_job_run(struct ctx *cx, int64_t period_start,
			    struct buf *summary, struct db_error *err)
{
	static const char del_sessions[] =
		"DELETE FROM session WHERE expires_at < $1";
	static const char del_resets[] =
		"DELETE FROM reset_token WHERE expires_at < $1";
	struct db_rows r1, r2;
	int64_t thr;

	(void)period_start;
	if (db_begin(cx->db, err) ||
	    db_exec(cx->db, cx->a, del_sessions, DB_ARGS(DB_INT(cx->now)), &r1, err) ||
	    db_exec(cx->db, cx->a, del_resets, DB_ARGS(DB_INT(cx->now)), &r2, err) ||
	    (thr = auth_throttle_prune(cx->db, cx->now, err)) < 0) {
		db_rollback(cx->db);
		return -1;
	}
	if (db_commit(cx->db, err))
		return -1;
	buf_printf(summary, "%lld expired sessions, %lld reset links, %lld sign-in"
		   " failure counts removed", (long long)r1.changes, (long long)r2.changes,
		   (long long)thr);
	return 0;
}

/* The record of runs is kept JOB_HISTORY_DAYS (the outbox alone makes
 * 1,440 a day), sent mail OUTBOX_KEEP_SENT_DAYS: removed daily, job by
 * job along the index (job, period_start). */
#define JOB_HISTORY_DAYS 90

static int history_job_run(struct ctx *cx, int64_t period_start,
			   struct buf *summary, struct db_error *err)
{
	static const char del_lines[] =
		"DELETE FROM job_run_org WHERE run_id IN"
		" (SELECT id FROM job_run WHERE job = $1 AND period_start < $2)";
	static const char del_runs[] =
		"DELETE FROM job_run WHERE job = $1 AND period_start < $2";
	const struct job *const *list = scheduler_jobs();
	int64_t runs = 0, mails, before = cx->now - (int64_t)JOB_HISTORY_DAYS * DAY;
	struct db_rows r;

	(void)period_start;
	if (db_begin(cx->db, err) != 0)
		return -1;
	for (size_t i = 0; list && list[i]; i++) {
		if (db_exec(cx->db, cx->a, del_lines,
			    DB_ARGS(DB_TEXT(list[i]->name), DB_INT(before)), NULL, err) != 0 ||
		    db_exec(cx->db, cx->a, del_runs,
			    DB_ARGS(DB_TEXT(list[i]->name), DB_INT(before)), &r, err) != 0) {
			db_rollback(cx->db);
			return -1;
		}
		runs += r.changes;
	}
	mails = outbox_prune(cx, cx->now - (int64_t)OUTBOX_KEEP_SENT_DAYS * DAY, err);
	if (mails < 0) {
		db_rollback(cx->db);
		return -1;
	}
	if (db_commit(cx->db, err) != 0)
		return -1;
	buf_printf(summary, "%lld runs older than %d days, %lld messages sent more than"
		   " %d days ago removed", (long long)runs, JOB_HISTORY_DAYS, (long long)mails,
		   OUTBOX_KEEP_SENT_DAYS);
	return 0;
}

/* The query planner's statistics (db_analyze): a register that grew
 * from a hundred rows to a hundred thousand is planned as what it is. */
static int statistics_job_run(struct ctx *cx, int64_t period_start,
			      struct buf *summary, struct db_error *err)
{
	(void)period_start;
	if (db_analyze(cx->db, err) != 0)
		return -1;
	buf_puts(summary, "statistics refreshed (ANALYZE)");
	return 0;
}

/* The foundation's jobs: the sessions' cleanup, the history's, and the outbox worker
 * (core/outbox.c) that sends what is due every minute.  The outbox runs
 * after the modules' jobs, so that what they queue in a round (the
 * review reminders) leaves in the same round.  A module declares its own
 * jobs in its struct module. */
static const struct job foundation_jobs[] = {
	{ "sessions", DAY, M_JOB_SESSIONS, sessions_job_run },
	{ "history", DAY, M_JOB_HISTORY, history_job_run },
	{ "audit-head", DAY, M_JOB_AUDIT_HEAD, audit_head_job_run },
	{ "statistics", DAY, M_JOB_STATISTICS, statistics_job_run },
	{ NULL, 0, 0, NULL },
};
static const struct job foundation_last[] = {
	{ "outbox", 60, M_JOB_OUTBOX, outbox_job_run },
	{ NULL, 0, 0, NULL },
};

/* ---- periods ---- */

int64_t scheduler_period_start(int period, int64_t now)
{
	int64_t day, days;

	if (period <= 0)
		BUG("job period %d", period);
	if (period < DAY || period % DAY)
		return now - (((now % period) + period) % period);
	clock_local_midnight(now, &day);
	if (period == WEEK) /* day 0 was a Thursday: (day + 3) % 7 == 0 on Mondays */
		day -= ((day + 3) % 7 + 7) % 7;
	else {
		days = period / DAY;
		day -= ((day % days) + days) % days;
	}
	/* noon of that day is in it whatever the offset */
	return clock_local_midnight(day * DAY + DAY / 2, NULL);
}

int64_t scheduler_next_period(int period, int64_t start)
{
	if (period < DAY || period % DAY)
		return start + period;
	/* two hours past the nominal length: beyond a 25-hour day's end, and
	 * short of the next period's end */
	return scheduler_period_start(period, start + period + 7200);
}

/* ---- the list of jobs ---- */

static size_t count(const struct job *j)
{
	size_t n = 0;

	while (j && j[n].name)
		n++;
	return n;
}

/* Appends the jobs js to list (k of them so far); 0, or -1 with *dup set
 * when one's name is taken. */
static int add_jobs(const struct job **list, size_t *k, const struct job *js,
		    const char **dup)
{
	for (size_t i = 0; js && js[i].name; i++) {
		if (js[i].period <= 0 || !js[i].run || !js[i].label)
			BUG("job %s needs a period, a label and a run", js[i].name);
		for (size_t o = 0; o < *k; o++)
			if (strcmp(list[o]->name, js[i].name) == 0) {
				*dup = js[i].name;
				return -1;
			}
		list[(*k)++] = &js[i];
	}
	return 0;
}

const struct job **scheduler_gather(const struct job *own,
				    const struct module *const *mods,
				    const struct job *last, const char **dup)
{
	size_t n = count(own) + count(last), k = 0;
	const struct job **list;

	for (size_t m = 0; mods && mods[m]; m++)
		n += count(mods[m]->jobs);
	list = xcalloc(n + 1, sizeof(*list));
	if (add_jobs(list, &k, own, dup))
		goto refuse;
	for (size_t m = 0; mods && mods[m]; m++)
		if (add_jobs(list, &k, mods[m]->jobs, dup))
			goto refuse;
	if (add_jobs(list, &k, last, dup))
		goto refuse;
	return list;
refuse:
	free(list);
	return NULL;
}

static const struct job **all_jobs;
static const char *all_dup;
static pthread_once_t gather_once = PTHREAD_ONCE_INIT;

/* Jobs the installation's configuration adds (scheduler_add_jobs). */
static const struct job *installation_jobs;

void scheduler_add_jobs(const struct job *js)
{
	installation_jobs = js;
}

static void gather(void)
{
	const struct job *own = foundation_jobs;
	struct job *both = NULL;

	if (installation_jobs) {
		size_t nf = count(foundation_jobs), ni = count(installation_jobs);
		/* lives as long as the process, like the gathered list */
		both = xcalloc(nf + ni + 1, sizeof(*both));
		memcpy(both, foundation_jobs, nf * sizeof(*both));
		memcpy(both + nf, installation_jobs, ni * sizeof(*both));
		own = both;
	}
	all_jobs = scheduler_gather(own, modules, foundation_last, &all_dup);
}

const struct job *const *scheduler_jobs(void)
{
	pthread_once(&gather_once, gather);
	if (!all_jobs)
		log_warn("two jobs are called %s", all_dup);
	return all_jobs;
}

const struct job *scheduler_find(const struct job *const *list, const char *name)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcmp(list[i]->name, name) == 0)
			return list[i];
	return NULL;
}

/* ---- running ---- */

/* The run this thread is in (scheduler_note), 0 outside one. */
static _Thread_local int64_t current_run;

static const char *runner_name(struct arena *a)
{
	char host[128];

	if (gethostname(host, sizeof(host)) < 0)
		host[0] = 0;
	host[sizeof(host) - 1] = 0;
	return arena_printf(a, "%s:%ld", host, (long)getpid());
}

static int64_t lease_of(const struct job *j)
{
	return j->lease > 0 ? j->lease : SCHED_LEASE;
}

/* Claims the period: a new row (attempt 1), or the row of a died or failed
 * run whose time has come (the next attempt).  Returns the run's id and
 * sets *attempt, 0 when another process has it or it is done, -1. */
static int64_t claim(struct db *db, struct arena *a, const struct job *j,
		     int64_t start, int64_t now, int64_t *attempt,
		     struct db_error *err)
{
	/* ON CONFLICT DO NOTHING: a PostgreSQL INSERT racing another waits
	 * for it to commit and then adds nothing, without an error in
	 * either server's log; on SQLite the writers take turns.  No advisory
	 * lock: it would hold only while a session lives, so a long job
	 * would need its connection kept idle in a transaction, and the row
	 * must exist anyway to record the run and to survive a crash. */
	static const char ins[] =
		"INSERT INTO job_run (job, period_start, started_at, lease_until,"
		" outcome, attempts, runner) VALUES ($1, $2, $3, $4, 'running', 1, $5)"
		" ON CONFLICT (job, period_start) DO NOTHING RETURNING id";
	static const char sel[] =
		"SELECT id, outcome, lease_until, attempts, next_try_at FROM job_run"
		" WHERE job = $1 AND period_start = $2";
	/* conditional on the attempt seen: of two processes taking over the
	 * same run, one changes the row */
	static const char again[] =
		"UPDATE job_run SET outcome = 'running', attempts = attempts + 1,"
		" started_at = $1, ended_at = NULL, lease_until = $2, runner = $3,"
		" next_try_at = NULL WHERE id = $4 AND attempts = $5 AND"
		" ((outcome = 'running' AND lease_until < $1) OR"
		"  (outcome = 'failed' AND next_try_at IS NOT NULL AND next_try_at <= $1))";
	static const char gave_up[] =
		"UPDATE job_run SET outcome = 'failed', ended_at = lease_until,"
		" error = 'the process running it stopped' WHERE id = $1"
		" AND attempts = $2 AND outcome = 'running'";
	const char *runner = runner_name(a);
	struct db_rows r;
	int64_t id, n;
	const char *outcome;

	if (db_exec(db, a, ins, DB_ARGS(DB_TEXT(j->name), DB_INT(start), DB_INT(now),
					DB_INT(now + lease_of(j)), DB_TEXT(runner)), &r, err))
		return -1;
	if (r.nrows == 1) {
		*attempt = 1;
		return db_cell_i64(&r, 0, 0);
	}
	if (db_exec(db, a, sel, DB_ARGS(DB_TEXT(j->name), DB_INT(start)), &r, err))
		return -1;
	if (r.nrows != 1)
		return 0; /* cannot be: the insert saw it */
	id = db_cell_i64(&r, 0, 0);
	outcome = db_cell(&r, 0, 1);
	n = db_cell_i64(&r, 0, 3);
	if (strcmp(outcome, "ok") == 0)
		return 0;
	if (strcmp(outcome, "running") == 0 ? db_cell_i64(&r, 0, 2) >= now
	    : !db_cell(&r, 0, 4) || db_cell_i64(&r, 0, 4) > now)
		return 0;
	if (n >= SCHED_ATTEMPTS) {
		/* the last attempt's process died: say so, rather than
		 * "running" until the next period */
		if (db_exec(db, a, gave_up, DB_ARGS(DB_INT(id), DB_INT(n)), NULL, err))
			return -1;
		return 0;
	}
	if (db_exec(db, a, again, DB_ARGS(DB_INT(now), DB_INT(now + lease_of(j)),
					  DB_TEXT(runner), DB_INT(id), DB_INT(n)), &r, err))
		return -1;
	if (r.changes != 1)
		return 0;
	*attempt = n + 1;
	return id;
}

/* Records how the attempt ended, unless another process took the run over
 * meanwhile (its lease ran out): then that process's attempt counts. */
static int finish(struct db *db, struct arena *a, const struct job *j,
		  int64_t id, int64_t attempt, int64_t start, int ok,
		  const char *summary, const char *error, struct db_error *err)
{
	static const char upd[] =
		"UPDATE job_run SET outcome = $1, ended_at = $2, summary = $3,"
		" error = $4, next_try_at = $5 WHERE id = $6 AND attempts = $7"
		" AND outcome = 'running'";
	int64_t end = clock_now(), retry = 0;
	struct db_rows r;

	if (!ok && attempt < SCHED_ATTEMPTS) {
		retry = end + ((int64_t)SCHED_BACKOFF << (attempt - 1));
		if (retry >= scheduler_next_period(j->period, start))
			retry = 0; /* the next period comes first */
	}
	return db_exec(db, a, upd, DB_ARGS(DB_TEXT(ok ? "ok" : "failed"), DB_INT(end),
					   DB_TEXT(summary), DB_TEXT(error),
					   retry ? DB_INT(retry) : DB_NULL,
					   DB_INT(id), DB_INT(attempt)), &r, err);
}

static int run_one(struct db *db, const struct job *j, int64_t now,
		   struct buf *log, struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct buf summary = BUF_INIT;
	struct db_error jerr;
	struct ctx cx;
	int64_t start = scheduler_period_start(j->period, now), id, attempt = 0;
	int rc, ran = 0;

	id = claim(db, &a, j, start, now, &attempt, err);
	if (id <= 0) {
		arena_release(&a);
		return (int)id;
	}
	/* a run taken over or tried again says only what this attempt did */
	if (attempt > 1 &&
	    db_exec(db, &a, "DELETE FROM job_run_org WHERE run_id = $1",
		    DB_ARGS(DB_INT(id)), NULL, err) != 0) {
		arena_release(&a);
		return -1;
	}
	ctx_system(&cx, &a, db, arena_printf(&a, "job:%s", j->name), VIA_JOB);
	cx.now = now;
	memset(&jerr, 0, sizeof(jerr));
	current_run = id;
	rc = j->run(&cx, start, &summary, &jerr);
	current_run = 0;
	if (db_in_transaction(db)) {
		/* a job that leaves a transaction open has a bug; what it did
		 * is not kept */
		db_rollback(db);
		if (rc == 0) {
			rc = -1;
			jerr.code = DBE_OTHER;
			snprintf(jerr.msg, sizeof(jerr.msg), "left a transaction open");
		}
	}
	if (rc && !jerr.msg[0])
		snprintf(jerr.msg, sizeof(jerr.msg), "failed without saying why");
	if (finish(db, &a, j, id, attempt, start, rc == 0,
		   buf_ok(&summary) ? summary.p : "", rc ? jerr.msg : NULL, err) == 0)
		ran = 1;
	if (rc)
		log_warn("job %s failed (attempt %lld): %s", j->name,
			 (long long)attempt, jerr.msg);
	if (log)
		buf_printf(log, "%s: %s: %s\n", j->name, rc ? "failed" : "ok",
			   rc ? jerr.msg : summary.p);
	buf_release(&summary);
	arena_release(&a);
	return ran ? 1 : -1;
}

int scheduler_run_due(struct db *db, int64_t now, const struct job *const *list,
		      const char *only, struct buf *log, volatile int *stop,
		      struct db_error *err)
{
	int64_t t0 = clock_now();
	int n = 0, rc;

	for (size_t i = 0; list && list[i] && !(stop && *stop); i++) {
		if (only && strcmp(only, list[i]->name) != 0)
			continue;
		/* each job at its own start: the round's reading plus the time
		 * the jobs before it took, so that its leases (the run's, the
		 * outbox's claims) are counted from when it really runs */
		if ((rc = run_one(db, list[i], now + (clock_now() - t0), log, err)) < 0)
			return -1;
		n += rc;
	}
	return n;
}

int scheduler_note(struct ctx *cx, int64_t org_id, const char *line,
		   struct db_error *err)
{
	static const char ins[] =
		"INSERT INTO job_run_org (run_id, org_id, line) VALUES ($1, $2, $3)";

	if (!current_run || cx->via != VIA_JOB) {
		err->code = DBE_OTHER;
		snprintf(err->msg, sizeof(err->msg), "scheduler_note outside a job run");
		return -1;
	}
	return db_exec(cx->db, cx->a, ins, DB_ARGS(DB_INT(current_run), DB_INT(org_id),
						   DB_TEXT(line)), NULL, err);
}

/* ---- what ran ---- */

int scheduler_runs(struct db *db, struct arena *a, const char *job, int64_t before,
		   struct job_run *out, int max, struct db_error *err)
{
	static const char sql[] =
		"SELECT id, period_start, started_at, ended_at, lease_until, attempts,"
		" next_try_at, outcome, summary, error, runner FROM job_run"
		" WHERE job = $1 AND ($2 = 0 OR period_start < $2)"
		" ORDER BY period_start DESC LIMIT $3";
	struct db_rows r;

	if (db_exec(db, a, sql, DB_ARGS(DB_TEXT(job), DB_INT(before), DB_INT(max)),
		    &r, err))
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		struct job_run *o = &out[i];
		o->id = db_cell_i64(&r, i, 0);
		o->period_start = db_cell_i64(&r, i, 1);
		o->started_at = db_cell_i64(&r, i, 2);
		o->ended_at = db_cell_i64(&r, i, 3);
		o->lease_until = db_cell_i64(&r, i, 4);
		o->attempts = db_cell_i64(&r, i, 5);
		o->next_try_at = db_cell_i64(&r, i, 6);
		o->outcome = db_cell(&r, i, 7);
		o->summary = db_cell(&r, i, 8);
		o->error = db_cell(&r, i, 9);
		o->runner = db_cell(&r, i, 10);
	}
	return (int)r.nrows;
}

const char **scheduler_org_lines(struct db *db, struct arena *a, int64_t run_id,
				 int64_t org_id, struct db_error *err)
{
	static const char sql[] =
		"SELECT line FROM job_run_org WHERE run_id = $1 AND org_id = $2"
		" ORDER BY id LIMIT 50";
	struct db_rows r;
	const char **l;

	if (db_exec(db, a, sql, DB_ARGS(DB_INT(run_id), DB_INT(org_id)), &r, err))
		return NULL;
	l = arena_alloc(a, (r.nrows + 1) * sizeof(*l));
	for (size_t i = 0; i < r.nrows; i++)
		l[i] = db_cell(&r, i, 0);
	return l;
}

int64_t scheduler_next_due(const struct job *j, const struct job_run *last,
			   int64_t now)
{
	int64_t cur = scheduler_period_start(j->period, now);

	if (!last || last->period_start < cur)
		return now; /* this period has not run: due now */
	if (strcmp(last->outcome, "failed") == 0 && last->next_try_at)
		return last->next_try_at;
	if (strcmp(last->outcome, "running") == 0 && last->attempts < SCHED_ATTEMPTS &&
	    last->lease_until < now)
		return now;
	return scheduler_next_period(j->period, cur);
}
