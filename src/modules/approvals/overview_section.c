/* overview_section.c - the operational approvals' section of the
 * coordinator's overview (core/module.h struct follow_up_section): systems
 * in operation without a valid approval, approvals marked for review,
 * conditions past their deadline, renewals due, decisions waiting for the
 * owner, and the valid approvals - approval_overview's counts (a few rows
 * of approval_stat by key, kept by migration 0015's triggers), each
 * that needs acting on a link to its list (pages.c). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/approvals/approvals.h"

static int approval_figures(struct ctx *cx, struct overview_figure *out, int max,
			    struct db_error *err)
{
	struct approval_counts c;
	int n = 0;

	if (approval_overview(cx, &c, err) != 0)
		return -1;
	const struct overview_figure f[] = {
		{ M_DG_OV_MISSING, c.missing, 0, "/approvals?show=missing", 1 },
		{ M_DG_OV_REVIEW, c.for_review, 0, "/approvals?show=review", 1 },
		{ M_DG_OV_CONDITIONS_OVERDUE, c.conditions_overdue, 0,
		  "/approvals?show=conditions-overdue", 1 },
		{ M_DG_OV_DUE, c.due, 0, "/approvals?show=due", 0 },
		{ M_DG_OV_PROPOSED, c.proposed, 0, "/operational-approvals?state=proposed", 0 },
		/* valid approvals: the approvals page tells them apart */
		{ M_DG_OV_APPROVED, c.approved, 0, "/approvals", 0 },
		{ M_DG_OV_APPROVED_CONDITIONS, c.approved_with_conditions, 0, "/approvals", 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(f) && n < max; i++)
		out[n++] = f[i];
	return n;
}

const struct follow_up_section approvals_follow_up[] = {
	{ ROLES_OVERVIEW, M_DG_OV_HEADING, approval_figures },
	{ 0, 0, NULL },
};
