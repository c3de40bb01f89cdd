/* pages_jobs.c - /o/{org}/jobs: what the scheduled jobs did for this
 * organisation (core/scheduler.h).
 *
 * Runs are installation-wide, but an organisation sees only its own part:
 * each job's Swedish name, how often it runs, its latest run (start,
 * duration, outcome) and the lines the run noted for this organisation;
 * never a run's summary or error, which may speak of other organisations
 * (those are for the operator: varn jobs list).  For the administrators
 * and the coordinator, who answer for what Värn sends in the
 * organisation's name. */
#include "base/base.h"

#include "base/clock.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "web/app.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"

#define HISTORY_PAGE 20

static int period_words(int period)
{
	switch (period) {
	case 60: return M_JOBS_EVERY_MINUTE;
	case 3600: return M_JOBS_EVERY_HOUR;
	case 86400: return M_JOBS_DAILY;
	case 604800: return M_JOBS_WEEKLY;
	default: return M_JOBS_OTHER_PERIOD;
	}
}

static void outcome_badge(struct html *h, const char *outcome)
{
	if (strcmp(outcome, "ok") == 0)
		part_badge(h, M_JOBS_OK, "ok");
	else if (strcmp(outcome, "failed") == 0)
		part_badge(h, M_JOBS_FAILED, "critical");
	else
		part_badge(h, M_JOBS_RUNNING, NULL);
}

static void duration(struct html *h, const struct job_run *run)
{
	int64_t s;

	if (!run->ended_at) {
		h_lit(h, "–");
		return;
	}
	s = run->ended_at - run->started_at;
	if (s < 60)
		h_textf(h, "%lld s", (long long)s);
	else
		h_textf(h, "%lld min %lld s", (long long)(s / 60), (long long)(s % 60));
}

/* The lines run noted for this organisation, or "Inget att göra". */
static int org_lines(struct req *q, struct html *h, const struct job_run *run)
{
	struct db_error err;
	const char **l = scheduler_org_lines(q->cx.db, q->cx.a, run->id, q->cx.org->id, &err);

	if (!l)
		return -1;
	if (!l[0])
		h_msg(h, M_JOBS_NOTHING);
	for (size_t i = 0; l[i]; i++) {
		if (i)
			h_lit(h, "<br>");
		h_text(h, l[i]);
	}
	return 0;
}

static void jobs_page(struct req *q, struct resp *r)
{
	const struct job *const *list = scheduler_jobs();
	struct db_error err;
	struct html h;

	page_begin(q, r, &h, M_JOBS_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_JOBS_INTRO);
	h_lit(&h, "</p>");
	part_table_begin(&h, M_JOBS_TITLE, NULL);
	part_th(&h, M_JOBS_JOB);
	part_th(&h, M_JOBS_PERIOD);
	part_th(&h, M_JOBS_LAST);
	part_th(&h, M_JOBS_DURATION);
	part_th(&h, M_JOBS_OUTCOME);
	part_th(&h, M_JOBS_DID);
	part_th(&h, M_JOBS_NEXT);
	part_table_body(&h);
	for (size_t i = 0; list && list[i]; i++) {
		const struct job *j = list[i];
		struct job_run run;
		int n = scheduler_runs(q->cx.db, q->cx.a, j->name, 0, &run, 1, &err);
		int64_t next;

		if (n < 0) {
			respond_error(q, r, 500);
			return;
		}
		part_tr(&h);
		part_th_row_begin(&h);
		h_lit(&h, "<a href=\"");
		h_url(&h, "/o/%s/jobs/runs?job=%s", q->cx.org->slug, j->name);
		h_lit(&h, "\">");
		h_msg(&h, j->label);
		h_lit(&h, "</a>");
		part_th_row_end(&h);
		part_td_msg(&h, period_words(j->period));
		if (!n) {
			part_td_msg(&h, M_JOBS_NEVER);
			part_td(&h, NULL);
			part_td(&h, NULL);
			part_td(&h, NULL);
		} else {
			part_td(&h, clock_format_local(q->cx.a, run.started_at));
			part_td_begin(&h);
			duration(&h, &run);
			part_td_end(&h);
			part_td_begin(&h);
			outcome_badge(&h, run.outcome);
			part_td_end(&h);
			part_td_begin(&h);
			if (org_lines(q, &h, &run)) {
				respond_error(q, r, 500);
				return;
			}
			part_td_end(&h);
		}
		next = scheduler_next_due(j, n ? &run : NULL, q->cx.now);
		if (next <= q->cx.now)
			part_td_msg(&h, M_JOBS_NOW);
		else
			part_td(&h, clock_format_local(q->cx.a, next));
		part_tr_end(&h);
	}
	part_table_end(&h);
	page_end(q, r, &h);
}

/* The runs of one job, newest first, HISTORY_PAGE at a time (keyset on
 * the period: no count of them all). */
static void runs_page(struct req *q, struct resp *r)
{
	const struct job *j = scheduler_find(scheduler_jobs(), req_param(q, "job") ?
					     req_param(q, "job") : "");
	int64_t before = req_int(q, "before", 0, INT64_MAX, 0);
	struct job_run run[HISTORY_PAGE + 1];
	struct db_error err;
	struct html h;
	int n;

	if (!j) {
		respond_error(q, r, 404);
		return;
	}
	if ((n = scheduler_runs(q->cx.db, q->cx.a, j->name, before, run,
				HISTORY_PAGE + 1, &err)) < 0) {
		respond_error(q, r, 500);
		return;
	}
	page_begin_text(q, r, &h, msg_text(q->cx.lang, j->label));
	h_lit(&h, "<p>");
	h_msg(&h, M_JOBS_PERIOD);
	h_lit(&h, ": ");
	h_msg(&h, period_words(j->period));
	h_lit(&h, ". <a href=\"");
	h_url(&h, "/o/%s/jobs", q->cx.org->slug);
	h_lit(&h, "\">");
	h_msg(&h, M_JOBS_TITLE);
	h_lit(&h, "</a></p>");
	part_section_begin(&h, "runs", M_JOBS_HISTORY);
	if (!n)
		part_empty(&h, M_JOBS_NONE);
	else {
		part_table_begin(&h, 0, "runs");
		part_th(&h, M_JOBS_STARTED);
		part_th(&h, M_JOBS_DURATION);
		part_th(&h, M_JOBS_OUTCOME);
		part_th(&h, M_JOBS_DID);
		part_table_body(&h);
		for (int i = 0; i < n && i < HISTORY_PAGE; i++) {
			part_tr(&h);
			part_th_row_begin(&h);
			h_text(&h, clock_format_local(q->cx.a, run[i].started_at));
			part_th_row_end(&h);
			part_td_begin(&h);
			duration(&h, &run[i]);
			part_td_end(&h);
			part_td_begin(&h);
			outcome_badge(&h, run[i].outcome);
			part_td_end(&h);
			part_td_begin(&h);
			if (org_lines(q, &h, &run[i])) {
				respond_error(q, r, 500);
				return;
			}
			part_td_end(&h);
			part_tr_end(&h);
		}
		part_table_end(&h);
	}
	part_section_end(&h);
	if (n > HISTORY_PAGE) {
		h_lit(&h, "<nav class=\"pager\"");
		h_attr(&h, "aria-label", msg_text(q->cx.lang, M_PAGES));
		h_lit(&h, "><a rel=\"next\" href=\"");
		h_url(&h, "?job=%s&before=%lld", j->name,
		      (long long)run[HISTORY_PAGE - 1].period_start);
		h_lit(&h, "\">");
		h_msg(&h, M_NEXT_PAGE);
		h_lit(&h, "</a></nav>");
	}
	page_end(q, r, &h);
}

static const struct param runs_params[] = {
	{ "job", P_STR, 200 }, { "before", P_INT, INT64_MAX }, { NULL, 0, 0 },
};

const struct route jobs_routes[] = {
	{ "GET", "/o/{org}/jobs", jobs_page, ROLES_REGISTER_ADMIN, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/jobs/runs", runs_page, ROLES_REGISTER_ADMIN, 0, 0, runs_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
