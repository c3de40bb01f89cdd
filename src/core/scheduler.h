/* scheduler.h - work that runs by itself on time (issue 8).
 *
 * A job (struct job, core/module.h) runs once per period.  Its periods:
 * shorter than a day they are counted from the epoch (a 60 s job's period
 * starts on each whole minute, UTC); a day starts at midnight in
 * Europe/Stockholm (23 or 25 hours on the DST change days); a week (604800)
 * on Monday 00:00 Stockholm time; other multiples of a day at the
 * Stockholm midnight of a day number divisible by the count.
 *
 * Exactly once: every run is a job_run row, UNIQUE(job, period_start).
 * The process whose INSERT adds the period's row runs the job; every
 * other process (another `varn serve` on the same PostgreSQL database, a
 * `varn jobs run` from cron) sees the row and does nothing.  A run whose
 * process died keeps outcome 'running' until its lease (LEASE seconds)
 * passes; then one process takes it over with an UPDATE conditional on
 * the attempt it saw.  A failed run is tried again after a back-off (5
 * minutes, then 10) while the period lasts, three attempts in all; then
 * it stays failed until the next period.  A job must therefore finish
 * well inside the lease (work in bounded batches) and be safe to run
 * again after a failure part-way (its own transactions decide what
 * stays).
 *
 * Catch-up: only the current period is ever run, so a server that was
 * down for five days runs a daily job once when it comes back.
 *
 * Who sees what: runs are installation-wide.  Their summary and error are
 * for the operator (`varn jobs list`); an organisation's administrators
 * see on /o/ORG/jobs when each job ran, how long and whether it
 * succeeded, and only the lines a job noted for their organisation
 * (scheduler_note()). */
#ifndef VARN_SCHEDULER_H
#define VARN_SCHEDULER_H

#include <stdint.h>

#include "core/ctx.h"
#include "core/module.h"
#include "db/db.h"

struct arena;
struct buf;

enum {
	SCHED_LEASE = 900,       /* seconds a run may take before takeover */
	SCHED_ATTEMPTS = 3,      /* per period, the first included */
	SCHED_BACKOFF = 300,     /* before the second attempt; doubles */
};

/* The start of the period of length period (seconds) that holds now. */
int64_t scheduler_period_start(int period, int64_t now);
/* The start of the period after the one starting at start. */
int64_t scheduler_next_period(int period, int64_t start);

/* The foundation's jobs and every module's, NULL-terminated, gathered
 * once; NULL after logging the name of a job declared twice (a
 * programming error the server refuses to start with). */
const struct job *const *scheduler_jobs(void);
/* Jobs the installation's configuration adds beside the foundation's
 * (varn serve --backup-dir: core/backup.h backup_job()), name NULL
 * terminated; must be called before scheduler_jobs() first gathers. */
void scheduler_add_jobs(const struct job *js);
/* The same gathering over given lists (tests): own, then each module's,
 * then last (each may be NULL).  Returns a malloc'd NULL-terminated list,
 * or NULL with *dup set to the name declared twice. */
const struct job **scheduler_gather(const struct job *own,
				    const struct module *const *mods,
				    const struct job *last, const char **dup);
/* The job called name in list, or NULL. */
const struct job *scheduler_find(const struct job *const *list, const char *name);

/* Runs every job of list (only the one called only, when not NULL) whose
 * current period at now has not run yet, or may be tried again; each
 * through its own ctx (ctx_system, VIA_JOB, actor "job:NAME") and arena.
 * Appends a line per run to log (may be NULL): "NAME: ok: summary" or
 * "NAME: failed: error".  stop (may be NULL) is checked between jobs.
 * Returns the number of runs made, -1 when the database failed. */
int scheduler_run_due(struct db *db, int64_t now, const struct job *const *list,
		      const char *only, struct buf *log, volatile int *stop,
		      struct db_error *err);

/* From inside a running job: a line saying what the run did for the
 * organisation org_id, shown to its administrators on the jobs page
 * ("2 påminnelser skickade").  Written in the job's transaction when one
 * is open (so it goes with the work if rolled back).  0, or -1 with err;
 * -1 (DBE_OTHER) outside a job run. */
int scheduler_note(struct ctx *cx, int64_t org_id, const char *line,
		   struct db_error *err);

/* A run as the jobs page and `varn jobs list` show it. */
struct job_run {
	int64_t id, period_start, started_at, ended_at; /* ended_at 0: running */
	int64_t lease_until, attempts, next_try_at;
	const char *outcome;   /* "running", "ok", "failed" */
	const char *summary, *error, *runner; /* installation-wide: CLI only */
};
/* The latest runs of job, newest first, with period_start < before (0:
 * from the newest), at most max.  Returns how many (into out), -1. */
int scheduler_runs(struct db *db, struct arena *a, const char *job, int64_t before,
		   struct job_run *out, int max, struct db_error *err);
/* The lines run noted for organisation org_id, NULL-terminated. */
const char **scheduler_org_lines(struct db *db, struct arena *a, int64_t run_id,
				 int64_t org_id, struct db_error *err);
/* When the job runs next after now, given its latest run (NULL: none). */
int64_t scheduler_next_due(const struct job *j, const struct job_run *last,
			   int64_t now);

#endif
