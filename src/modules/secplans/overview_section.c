/* overview_section.c - the security plans' section of the coordinator's
 * overview (core/module.h struct follow_up_section): systems that need a
 * plan and have none, plans overdue or due for review, plans that need a
 * new version, drafts and signed plans - secplan_overview's bounded counts
 * (state.c), each a link to its list (pages.c). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/secplans/secplans.h"

static int plan_figures(struct ctx *cx, struct overview_figure *out, int max,
			struct db_error *err)
{
	struct secplan_counts c;
	const struct {
		int label;
		const int64_t *n;
		int bit;
		const char *path;
		int attention;
	} f[] = {
		{ M_SSP_OV_MISSING, &c.missing, 5, "/security-plan-lists?show=missing", 1 },
		{ M_SSP_OV_OVERDUE, &c.overdue_review, 2, "/security-plan-lists?show=overdue", 1 },
		{ M_SSP_OV_NEW_VERSION, &c.needs_new_version, 4,
		  "/security-plan-lists?show=new-version", 1 },
		{ M_SSP_OV_DUE, &c.due_review, 3, "/security-plan-lists?show=due", 0 },
		{ M_SSP_OV_DRAFT, &c.draft, 1, "/security-plan-lists?show=draft", 0 },
		{ M_SSP_OV_SIGNED, &c.signed_n, 0, "/security-plan-lists?show=signed", 0 },
	};
	int n = 0;

	if (secplan_overview(cx, &c, err) != 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(f) && n < max; i++)
		out[n++] = (struct overview_figure){
			.label = f[i].label, .n = *f[i].n, .more = (c.more >> f[i].bit) & 1,
			.path = f[i].path, .attention = f[i].attention,
		};
	return n;
}

const struct follow_up_section secplans_follow_up[] = {
	{ ROLES_OVERVIEW, M_SSP_OV_HEADING, plan_figures },
	{ 0, 0, NULL },
};
