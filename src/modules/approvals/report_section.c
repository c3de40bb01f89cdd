/* report_section.c - the operational approvals' section of the management
 * report (core/module.h struct report_section, R-15-13): systems with a
 * valid approval, those in operation without one, approvals about to
 * expire, and conditions past their deadline.
 *
 * approval_overview's counts: a few rows of approval_stat by key (kept by
 * migration 0015's triggers), the same cost whatever the register's size. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/report.h"
#include "core/roles.h"
#include "modules/approvals/approvals.h"

static int approvals(struct ctx *cx, const struct report_period *p, struct report_part *out,
		     struct db_error *err)
{
	struct approval_counts k;
	const char **cats = arena_alloc(cx->a, 4 * sizeof(*cats));
	double v[4];
	int64_t valid;
	struct chart *c;
	int msg;

	(void)p;
	if (approval_overview(cx, &k, err) != 0)
		return -1;
	valid = k.approved + k.approved_with_conditions;
	cats[0] = msg_text(cx->lang, M_DG_RP_VALID);
	cats[1] = msg_text(cx->lang, M_DG_RP_MISSING);
	cats[2] = msg_text(cx->lang, M_DG_RP_DUE);
	cats[3] = msg_text(cx->lang, M_DG_RP_CONDITIONS);
	v[0] = (double)valid;
	v[1] = (double)k.missing;
	v[2] = (double)k.due;
	v[3] = (double)k.conditions_overdue;
	c = chart_new(cx->a, CHART_BAR, "rp-approvals");
	c->title = msg_text(cx->lang, M_DG_RP_HEADING);
	c->cat_title = msg_text(cx->lang, M_DG_RP_WHAT);
	c->x_label = msg_text(cx->lang, M_DG_RP_NUMBER);
	c->empty = msg_text(cx->lang, M_CHART_EMPTY);
	c->cats = cats;
	c->ncat = 4;
	c->horizontal = 1;
	chart_add_series(cx->a, c, msg_text(cx->lang, M_DG_RP_NUMBER), v);
	if (valid == 0 && k.missing == 0)
		msg = M_DG_RP_READ_EMPTY;
	else if (valid == 0)
		msg = M_DG_RP_READ_NONE_VALID;
	else if (k.missing == 0 && k.conditions_overdue == 0)
		msg = M_DG_RP_READ_GOOD;
	else if (k.conditions_overdue == 0)
		msg = M_DG_RP_READ_MISSING;
	else if (k.missing == 0)
		msg = M_DG_RP_READ_CONDITIONS;
	else
		msg = M_DG_RP_READ_BOTH;
	out->reading = report_say(cx, msg, "{valid}", valid, "{missing}", k.missing, "{due}", k.due,
				  "{conditions}", k.conditions_overdue);
	c->alt = out->reading;
	out->chart = c;
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_DG_RP_VALID, .n = valid, .path = "/approvals" };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_DG_OV_MISSING, .n = k.missing, .path = "/approvals?show=missing",
		.attention = 1 };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_DG_OV_DUE, .n = k.due, .path = "/approvals?show=due" };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_DG_OV_CONDITIONS_OVERDUE, .n = k.conditions_overdue,
		.path = "/approvals?show=conditions-overdue", .attention = 1 };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_DG_OV_REVIEW, .n = k.for_review, .path = "/approvals?show=review",
		.attention = 1 };
	return 0;
}

const struct report_section approvals_report[] = {
	{ 60, ROLES_OVERVIEW, M_DG_RP_HEADING, approvals },
	{ 0, 0, 0, NULL },
};
