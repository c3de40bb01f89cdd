/* report.c - follow-up in the management report (struct report_section,
 * R-15-06) and in the coordinator's overview (struct follow_up_section).
 *
 * The report's section: what is overdue now, by kind (every module's
 * review sources, each a bounded count: a bar each), the follow-ups and
 * audits done in the period against the one before, and the year's goals
 * met; one sentence reads it.  The overview: overdue in all, the
 * follow-ups overdue and due within 30 days, the goals decided and met
 * this year.  Every number is a bounded count answered by an index
 * (follow_up_state, follow_up_due, annual_goal_year), so neither grows
 * with the registers. */
#include "base/base.h"

#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/followup/followup.h"

#define SOURCES_MAX 24

static const char sql_done[] =
	"SELECT count(*) FROM (SELECT id FROM follow_up WHERE org_id = $1 AND state = 'done'"
	" AND archived = 0 AND done_on >= $2 AND done_on < $3 LIMIT $4) x";
static const char sql_goals[] =
	"SELECT count(*) FROM (SELECT id FROM annual_goal WHERE org_id = $1 AND year = $2"
	" AND archived = 0 AND state IN ('met', 'partly', 'not_met', 'decided') LIMIT $3) x";
static const char sql_goals_met[] =
	"SELECT count(*) FROM (SELECT id FROM annual_goal WHERE org_id = $1 AND year = $2"
	" AND archived = 0 AND state = 'met' LIMIT $3) x";
static const char sql_fu_soon[] =
	"SELECT count(*) FROM (SELECT id FROM follow_up WHERE org_id = $1 AND archived = 0"
	" AND state IN ('planned', 'ongoing') AND planned_on >= $2 AND planned_on <= $3 LIMIT $4) x";

static const char *day_of(struct ctx *cx, int64_t t)
{
	struct ctx at = *cx;

	at.now = t;
	return ctx_today(&at);
}

static int year_of(const char *day)
{
	int y = 0;

	return sscanf(day, "%4d", &y) == 1 ? y : 0;
}

static const char *num(struct ctx *cx, int64_t n)
{
	return arena_printf(cx->a, "%lld", (long long)n);
}

static int report_build(struct ctx *cx, const struct report_period *p, struct report_part *out,
			struct db_error *err)
{
	const char *today = ctx_today(cx), *from = day_of(cx, p->from), *to = day_of(cx, p->to);
	const char *prev = day_of(cx, p->prev_from);
	const char *cats[SOURCES_MAX];
	double vals[SOURCES_MAX];
	size_t nc = 0;
	int64_t late = 0, year = year_of(day_of(cx, p->to - 1));
	struct overview_figure f;
	struct chart *c;
	int64_t done_now, done_before, goals, met, top_n = 0;
	const char *top = NULL;

	for (size_t m = 0; modules[m]; m++) {
		const struct review_source *s = modules[m]->reviews;
		for (; s && s->label && nc < SOURCES_MAX; s++) {
			if (!review_source_visible(cx, s))
				continue;
			memset(&f, 0, sizeof(f));
			if (review_count(cx, s, REVIEW_DAWN, today, 0, &f, err) != 0)
				return -1;
			late += f.n;
			if (f.n == 0)
				continue; /* the picture shows what is late */
			cats[nc] = msg_text(cx->lang, s->label);
			vals[nc++] = (double)f.n;
			if (!top || f.n > top_n)
				top = cats[nc - 1], top_n = f.n;
		}
	}
	c = chart_new(cx->a, CHART_BAR, "ch-fu-overdue");
	c->title = msg_text(cx->lang, M_FU_R_CHART);
	c->cats = arena_alloc(cx->a, (nc ? nc : 1) * sizeof(char *));
	memcpy((void *)c->cats, cats, nc * sizeof(char *));
	c->ncat = nc;
	c->horizontal = 1;
	c->cat_title = msg_text(cx->lang, M_FU_WHAT);
	chart_add_series(cx->a, c, msg_text(cx->lang, M_FU_R_SERIES), vals);
	c->alt = msg_fill(cx->a, msg_text(cx->lang, M_FU_R_CHART_ALT), "{n}", num(cx, late));
	out->chart = c;

	f = (struct overview_figure){ .label = M_FU_R_DONE, .path = "/follow-ups?state=done" };
	if (overview_count(cx, &f, sql_done, (struct db_val[4]){ DB_INT(cx->org->id),
			   DB_TEXT(from), DB_TEXT(to) }, 3, err) != 0)
		return -1;
	done_now = f.n;
	out->figures[out->nfigures++] = f;
	f = (struct overview_figure){ .label = M_FU_R_DONE_BEFORE, .path = NULL };
	if (overview_count(cx, &f, sql_done, (struct db_val[4]){ DB_INT(cx->org->id),
			   DB_TEXT(prev), DB_TEXT(from) }, 3, err) != 0)
		return -1;
	done_before = f.n;
	out->figures[out->nfigures++] = f;
	f = (struct overview_figure){ .label = M_FU_R_GOALS, .path = "/annual-goals" };
	if (overview_count(cx, &f, sql_goals, (struct db_val[3]){ DB_INT(cx->org->id),
			   DB_INT(year) }, 2, err) != 0)
		return -1;
	goals = f.n;
	out->figures[out->nfigures++] = f;
	f = (struct overview_figure){ .label = M_FU_R_GOALS_MET, .path = "/annual-goals?state=met" };
	if (overview_count(cx, &f, sql_goals_met, (struct db_val[3]){ DB_INT(cx->org->id),
			   DB_INT(year) }, 2, err) != 0)
		return -1;
	met = f.n;
	out->figures[out->nfigures++] = f;
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_FU_R_LATE, .n = late, .path = "/follow-up/overdue", .attention = 1 };
	{
		const char *late_part = late == 0 ? msg_text(cx->lang, M_FU_R_READ_NONE_LATE)
			: msg_fill(cx->a, msg_fill(cx->a, msg_fill(cx->a,
				msg_text(cx->lang, late == 1 ? M_FU_R_READ_LATE_ONE :
					   top_n == 1 ? M_FU_R_READ_LATE_EACH : M_FU_R_READ_LATE),
				"{late}", num(cx, late)), "{top}", top), "{n}", num(cx, top_n));
		const char *rest = msg_fill(cx->a, msg_fill(cx->a, msg_fill(cx->a, msg_fill(cx->a,
			msg_text(cx->lang, done_now > done_before ? M_FU_R_READING_MORE :
					   done_now < done_before ? M_FU_R_READING_FEWER :
					   M_FU_R_READING_SAME),
			"{done}", num(cx, done_now)), "{before}", num(cx, done_before)),
			"{met}", num(cx, met)), "{goals}", num(cx, goals));

		out->reading = arena_printf(cx->a, "%s %s", late_part, rest);
	}
	return 0;
}

const struct report_section followup_report[] = {
	{ 70, ROLES_OVERVIEW, M_FU_R_HEADING, report_build },
	{ 0, 0, 0, NULL },
};

static int overview_figures(struct ctx *cx, struct overview_figure *out, int max,
			    struct db_error *err)
{
	const char *today = ctx_today(cx);
	int64_t late = 0, year = year_of(today);
	int more = 0, n = 0;

	if (max < 5)
		return 0;
	for (size_t m = 0; modules[m]; m++) {
		const struct review_source *s = modules[m]->reviews;
		for (; s && s->label; s++) {
			struct overview_figure f = { 0 };
			if (!review_source_visible(cx, s))
				continue;
			if (review_count(cx, s, REVIEW_DAWN, today, 0, &f, err) != 0)
				return -1;
			late += f.n;
			more |= f.more;
		}
	}
	out[n++] = (struct overview_figure){ .label = M_FU_OV_LATE, .n = late, .more = more,
					     .path = "/follow-up/overdue", .attention = 1 };
	out[n] = (struct overview_figure){ .label = M_FU_OV_SOON, .path = "/follow-up" };
	if (overview_count(cx, &out[n++], sql_fu_soon, (struct db_val[4]){
			   DB_INT(cx->org->id), DB_TEXT(today),
			   DB_TEXT(ctx_date_in(cx, WAIT_SOON_DAYS)) }, 3, err) != 0)
		return -1;
	out[n] = (struct overview_figure){ .label = M_FU_R_GOALS, .path = "/annual-goals" };
	if (overview_count(cx, &out[n++], sql_goals, (struct db_val[3]){ DB_INT(cx->org->id),
			   DB_INT(year) }, 2, err) != 0)
		return -1;
	out[n] = (struct overview_figure){ .label = M_FU_R_GOALS_MET,
					   .path = "/annual-goals?state=met" };
	if (overview_count(cx, &out[n++], sql_goals_met, (struct db_val[3]){
			   DB_INT(cx->org->id), DB_INT(year) }, 2, err) != 0)
		return -1;
	return n;
}

const struct follow_up_section followup_overview[] = {
	{ ROLES_OVERVIEW, M_FU_OV_HEADING, overview_figures },
	{ 0, 0, NULL },
};
