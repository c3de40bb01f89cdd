/* cmd_jobs.c - varn jobs run: runs the scheduled jobs that are due now
 * and exits (for cron, or with serve --no-jobs); varn jobs list: each job
 * with its period, latest run and when it is due next.  Both are
 * installation-wide: the operator's view, with the runs' summaries and
 * errors that the organisations' jobs pages do not show. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "core/audit.h"
#include "core/scheduler.h"
#include "db/db.h"

const struct opt jobs_run_opts[] = {
	OPT_DB_REQUIRED,
	{ "job", V_TEXT, 0, "NAME", NULL, NULL, 0, 200,
	  "only this job (default: every job that is due)" },
	{ "audit-head-file", V_PATH, 0, "FILE", "VARN_AUDIT_HEAD_FILE", NULL, 0, 0,
	  "the daily job audit-head appends the audit trail's head to FILE "
	  "(default: $VARN_AUDIT_HEAD_FILE, else nowhere)" },
	OPT_END,
};

int cmd_jobs_run(const struct args *a)
{
	const struct job *const *list = scheduler_jobs();
	const char *only = arg(a, "job");
	audit_head_file = arg(a, "audit-head-file");
	struct buf log = BUF_INIT;
	struct db_error err;
	struct db *db;
	int n;

	if (!list)
		return fail("two scheduled jobs have the same name");
	if (only && !scheduler_find(list, only))
		return fail("there is no job called %s (varn jobs list shows them)", only);
	if (!(db = open_current(arg(a, "db"))))
		return 1;
	n = scheduler_run_due(db, clock_now(), list, only, &log, NULL, &err);
	db_close(db);
	fputs(buf_ok(&log) ? log.p : "", stdout);
	buf_release(&log);
	if (n < 0)
		return fail("cannot run the jobs: %s", err.msg);
	if (n == 0)
		printf("nothing was due\n");
	return 0;
}

int cmd_jobs_list(const struct args *a)
{
	const struct job *const *list = scheduler_jobs();
	struct arena ar = ARENA_INIT;
	struct db_error err;
	struct db *db;
	int64_t now = clock_now();
	int rc = 0;

	if (!list)
		return fail("two scheduled jobs have the same name");
	if (!(db = open_current(arg(a, "db"))))
		return 1;
	printf("%-20s %8s  %-16s %-8s %-16s %s\n", "JOB", "PERIOD", "LAST RUN",
	       "OUTCOME", "NEXT DUE", "SUMMARY");
	for (size_t i = 0; list[i]; i++) {
		struct job_run last;
		int n = scheduler_runs(db, &ar, list[i]->name, 0, &last, 1, &err);

		if (n < 0) {
			rc = fail("cannot read the runs: %s", err.msg);
			break;
		}
		printf("%-20s %7ds  %-16s %-8s %-16s %s\n", list[i]->name, list[i]->period,
		       n ? clock_format_local(&ar, last.started_at) : "-",
		       n ? last.outcome : "-",
		       clock_format_local(&ar, scheduler_next_due(list[i], n ? &last : NULL, now)),
		       !n ? "" : last.error ? last.error : last.summary ? last.summary : "");
	}
	db_close(db);
	arena_release(&ar);
	return rc;
}
