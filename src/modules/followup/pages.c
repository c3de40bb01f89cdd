/* pages.c - a follow-up's page: while it is not done, the decided action
 * plan's numbers as they stand now (R-15-03; done keeps them in the
 * record); its findings are a related list (module.c).  One grouped query
 * on the plan's own rows (plan_progress). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/followup/followup.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

void followup_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	struct ctx *cx = &q->cx;
	struct plan_progress pp;
	struct db_error err;
	int64_t plan;

	(void)e;
	if (rec->v[FU_STATE] && strcmp(rec->v[FU_STATE], FU_DONE_S) == 0)
		return;
	if ((plan = plan_decided_current(cx, &err)) < 0 ||
	    (plan && plan_progress(cx, plan, &pp, &err) != 0)) {
		req_fail(q, "the action plan's progress", &err);
		return;
	}
	part_section_begin(h, "fu-actions-now", M_FU_ACTIONS_NOW);
	if (!plan) {
		part_empty(h, M_FU_NO_DECIDED_PLAN);
	} else {
		h_lit(h, "<p>");
		h_text(h, msg_fill(cx->a, msg_fill(cx->a, msg_fill(cx->a,
			msg_text(cx->lang, M_FU_ACTIONS_NOW_TEXT),
			"{done}", arena_printf(cx->a, "%lld", (long long)pp.done)),
			"{total}", arena_printf(cx->a, "%lld", (long long)pp.total)),
			"{overdue}", arena_printf(cx->a, "%lld", (long long)pp.overdue)));
		h_lit(h, " <a");
		h_href(h, "/o/%s/action-plans/%lld", cx->org->slug, (long long)plan);
		h_lit(h, ">");
		h_msg(h, M_FU_TO_PLAN);
		h_lit(h, "</a></p><p class=\"hint\">");
		h_msg(h, M_FU_ACTIONS_NOW_HINT);
		h_lit(h, "</p>");
	}
	part_section_end(h);
}
