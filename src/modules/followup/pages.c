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
	part_related(h, &(struct part_related){ .e = &fu_findings, .ref_field = FN_FOLLOWUP,
		.cols = (const int[]){ FN_TITLE, FN_KIND, FN_SEVERITY, FN_STATE, FN_ACTIVITY, -1 },
		.id = "fu-findings", .heading = M_FU_FINDINGS, .empty = M_FU_NO_FINDINGS,
		.add = M_FU_FINDING_NEW }, rec);
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

/* A goal's page: the activities that serve it (R-15-04). */
void goal_show_extra(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h)
{
	(void)q;
	(void)e;
	part_related(h, &(struct part_related){ .e = &fu_goal_activities, .ref_field = GA_GOAL,
		.cols = (const int[]){ GA_ACTIVITY, GA_NOTE, -1 }, .id = "fu-goal-activities",
		.heading = M_FU_GOAL_ACTIVITIES, .empty = M_FU_NO_GOAL_ACTIVITIES,
		.add = M_FU_GOAL_ACTIVITY_NEW }, rec);
}

/* A system's page: its follow-ups, the system owner's among them
 * (R-15-17); the engine's list of follow-ups filtered by the system
 * (index follow_up_system), bounded as every related list. */
void followup_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			   struct html *h)
{
	(void)q;
	(void)e;
	part_related(h, &(struct part_related){ .e = &fu_followups, .ref_field = FU_SYSTEM,
		.cols = (const int[]){ FU_TITLE, FU_KIND, FU_PLANNED, FU_STATE, -1 },
		.id = "fu-system-followups", .heading = M_FU_SYSTEM_FOLLOWUPS,
		.sort = "planned_on", .add = M_FU_FOLLOWUP_NEW }, rec);
}
