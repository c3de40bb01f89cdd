/* report_section.c - the incidents' section of the management report
 * (core/module.h struct report_section, R-15-13, R-8-24..26): the
 * incidents of the period by category against the previous period of the
 * same length, and the reporting duties met on time.
 *
 * The numbers are the compilation's (compilation.c ic_read): one range of
 * the summary incident_month_stat and one of the duties due in the
 * period, by the organisation's key, never the incidents; the picture is
 * the compilation's own.  The summary counts whole Stockholm months, so
 * the period is read as the months it touches. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/report.h"
#include "core/roles.h"
#include "modules/incidents/compilation.h"
#include "modules/incidents/incidents.h"

static const char *month_of(struct arena *a, int64_t t)
{
	const char *day = report_day(a, t);

	return arena_printf(a, "%.7s", day);
}

/* The categories with the most incidents in the period (or the one
 * before), the rest as one bar: the period against the one before.  The
 * compilation's own picture (ic_chart_categories) shows every category;
 * a report for management shows the few that matter. */
#define CHART_CATS 5

static struct chart *categories_chart(struct ctx *cx, const struct ic_data *d)
{
	const char **cats = arena_alloc(cx->a, (CHART_CATS + 1) * sizeof(*cats));
	double now[CHART_CATS + 1], prev[CHART_CATS + 1];
	int top[CHART_CATS];
	int64_t rest = d->total, rest_prev = d->prev_total;
	size_t n = 0;
	struct chart *c;

	for (int k = 0; k < CHART_CATS; k++)
		top[k] = -1;
	for (int i = 0; i < IC_CATS; i++) {
		int k;
		if (d->cat[i] == 0 && d->prev_cat[i] == 0)
			continue;
		for (k = 0; k < CHART_CATS; k++)
			if (top[k] < 0 || d->cat[i] > d->cat[top[k]] ||
			    (d->cat[i] == d->cat[top[k]] && d->prev_cat[i] > d->prev_cat[top[k]]))
				break;
		if (k == CHART_CATS)
			continue;
		memmove(&top[k + 1], &top[k], (size_t)(CHART_CATS - 1 - k) * sizeof(int));
		top[k] = i;
	}
	for (int k = 0; k < CHART_CATS && top[k] >= 0; k++) {
		cats[n] = ic_category_short(cx->lang, (size_t)top[k]);
		now[n] = (double)d->cat[top[k]];
		prev[n] = (double)d->prev_cat[top[k]];
		rest -= d->cat[top[k]];
		rest_prev -= d->prev_cat[top[k]];
		n++;
	}
	if (rest > 0 || rest_prev > 0) {
		cats[n] = msg_text(cx->lang, M_IN_RP_OTHER);
		now[n] = (double)rest;
		prev[n] = (double)rest_prev;
		n++;
	}
	c = chart_new(cx->a, CHART_BAR, "rp-incidents");
	c->title = msg_text(cx->lang, M_IN_RP_HEADING);
	c->cat_title = msg_text(cx->lang, M_IN_RP_CATEGORY);
	c->x_label = msg_text(cx->lang, M_IN_RP_NUMBER);
	c->empty = msg_text(cx->lang, M_IN_RP_EMPTY);
	c->cats = cats;
	c->ncat = n;
	c->horizontal = 1;
	chart_add_series(cx->a, c, msg_text(cx->lang, M_IN_RP_SERIES_NOW), now);
	chart_add_series(cx->a, c, msg_text(cx->lang, M_IN_RP_SERIES_PREV), prev);
	return c;
}

static int incidents(struct ctx *cx, const struct report_period *p, struct report_part *out,
		     struct db_error *err)
{
	struct ic_data *d = arena_alloc(cx->a, sizeof(*d));
	const char *from = month_of(cx->a, p->from);
	const char *to = month_of(cx->a, report_add_days(p->to, -1));
	int64_t due = 0, on_time = 0, late = 0, overdue = 0;
	size_t top = 0;
	const char *reading, *duties;
	int msg;

	memset(d, 0, sizeof(*d));
	if (ic_read(cx, from, to, 0, d, err) != 0)
		return -1;
	for (size_t i = 0; i < d->nrecv; i++) {
		on_time += d->recv[i].on_time;
		late += d->recv[i].late;
		overdue += d->recv[i].overdue;
		due += d->recv[i].on_time + d->recv[i].late + d->recv[i].overdue;
	}
	for (size_t i = 1; i < IC_CATS; i++)
		if (d->cat[i] > d->cat[top])
			top = i;
	out->chart = categories_chart(cx, d);

	if (d->total == 0)
		msg = d->prev_total ? M_IN_RP_READ_NONE_NOW : M_IN_RP_READ_NONE;
	else if (d->total > d->prev_total)
		msg = M_IN_RP_READ_MORE;
	else if (d->total < d->prev_total)
		msg = M_IN_RP_READ_FEWER;
	else
		msg = M_IN_RP_READ_SAME;
	reading = report_say(cx, msg, "{n}", d->total, "{prev}", d->prev_total, "{top_n}",
			     d->cat[top], NULL, 0);
	reading = msg_fill(cx->a, reading, "{top}", ic_category_short(cx->lang, top));
	if (due == 0)
		duties = msg_text(cx->lang, M_IN_RP_DUTIES_NONE);
	else if (on_time == due)
		duties = report_say(cx, M_IN_RP_DUTIES_ALL, "{due}", due, NULL, 0, NULL, 0, NULL, 0);
	else
		duties = report_say(cx, M_IN_RP_DUTIES_SOME, "{on_time}", on_time, "{due}", due,
				    "{late}", late + overdue, NULL, 0);
	out->reading = arena_printf(cx->a, "%s; %s", reading, duties);
	out->chart->alt = out->reading;

	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_IN_RP_TOTAL, .n = d->total,
		.path = arena_printf(cx->a, "/incidents/compilation?from=%s&to=%s", from, to) };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_IN_RP_PREV, .n = d->prev_total };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_IN_RP_INTRUSIONS, .n = d->intrusions };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_IN_RP_BREACHES, .n = d->breaches };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_IN_RP_DISRUPTIONS, .n = d->disruptions };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_IN_RP_ON_TIME, .n = on_time,
		.path = arena_printf(cx->a, "/incidents/compilation?from=%s&to=%s", from, to) };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_IN_RP_LATE, .n = late + overdue, .attention = 1,
		.path = arena_printf(cx->a, "/incidents/compilation?from=%s&to=%s", from, to) };
	return 0;
}

const struct report_section incidents_report[] = {
	{ 30, ROLES_OVERVIEW, M_IN_RP_HEADING, incidents },
	{ 0, 0, 0, NULL },
};
