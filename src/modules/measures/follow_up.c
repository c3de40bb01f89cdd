/* follow_up.c - the gap analysis's section of the coordinator's overview
 * (core/module.h struct follow_up_section): the open gaps (required
 * measures partly or not met) per area, each a link to the gaps of that
 * area an action can be made from, then the totals.
 *
 * The numbers are gap_read_area_totals' (overview.c): the organisation's
 * sums the triggers keep in gap_org_area_stat, at most 14 x 6 rows by key. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/measures/measures.h"
#include "modules/measures/overview.h"

static int gap_figures(struct ctx *cx, struct overview_figure *out, int max,
		       struct db_error *err)
{
	struct gap_numbers *g = arena_alloc(cx->a, sizeof(*g));
	int n = 0;

	if (gap_read_area_totals(cx, g, err) != 0)
		return -1;
	for (int a = 0; a < AREA__COUNT && measure_areas[a].value && n < max - 2; a++)
		out[n++] = (struct overview_figure){
			.label = measure_areas[a].label,
			.n = g->area[a][GS_NOT_MET] + g->area[a][GS_PARTLY],
			.path = arena_printf(cx->a, "/actions/from-gaps?area=%s",
					     measure_areas[a].value),
		};
	out[n++] = (struct overview_figure){
		.label = M_GAP_OV_OPEN, .n = g->total[GS_NOT_MET] + g->total[GS_PARTLY],
		.path = "/actions/from-gaps",
	};
	out[n++] = (struct overview_figure){
		.label = M_GAP_OV_NOT_ASSESSED, .n = g->total[GS_NOT_ASSESSED], .attention = 1,
		.path = "/assessments?required=1&effective_status=not_assessed",
	};
	return n;
}

const struct follow_up_section measures_follow_up[] = {
	{ ROLES_OVERVIEW, M_GAP_OV_HEADING, gap_figures },
	{ 0, 0, NULL },
};
