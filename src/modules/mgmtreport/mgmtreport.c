/* mgmtreport.c - the registers of the reports brought to management and
 * their decision items (mgmtreport.h states the rules; R-15-08..R-15-12). */
#include "base/base.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "modules/mgmtreport/mgmtreport.h"
#include "modules/org/org.h"
#include "web/html.h"
#include "web/parts.h"
#include "web/router.h"

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---- the reports ---- */

static const struct choice report_states[] = {
	{ "draft", M_MR_DRAFT },
	{ "presented", M_MR_PRESENTED },
	{ "decided", M_MR_DECIDED },
	{ NULL, 0 },
};

static const struct entity_field report_fields[] = {
	[MR_TITLE] = { "title", M_MR_F_TITLE, M_MR_H_TITLE, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[MR_PERIOD_FROM] = { "period_from", M_MR_F_PERIOD_FROM, 0, F_DATE, 0, 0,
			     FF_REQUIRED | FF_LIST, NULL, NULL, 0 },
	[MR_PERIOD_TO] = { "period_to", M_MR_F_PERIOD_TO, 0, F_DATE, 0, 0, FF_REQUIRED | FF_LIST,
			   NULL, NULL, 0 },
	[MR_MEETING_ON] = { "meeting_on", M_MR_F_MEETING_ON, M_MR_H_MEETING_ON, F_DATE, 0, 0,
			    FF_LIST, NULL, NULL, 0 },
	[MR_STATE] = { "state", M_MR_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER,
		       report_states, NULL, 0 },
	/* R-15-08: what is being done and why, short */
	[MR_SUMMARY] = { "summary", M_MR_F_SUMMARY, M_MR_H_SUMMARY, F_LONGTEXT, 0, 4000, FF_SEARCH,
			 NULL, NULL, 0 },
	/* R-15-10..12: the current-state texts */
	[MR_THREATS] = { "threats", M_MR_F_THREATS, M_MR_H_THREATS, F_LONGTEXT, 0, 4000, 0, NULL,
			 NULL, M_MR_G_CURRENT },
	[MR_LEGAL] = { "legal", M_MR_F_LEGAL, M_MR_H_LEGAL, F_LONGTEXT, 0, 4000, 0, NULL, NULL,
		       M_MR_G_CURRENT },
	[MR_DIGITALISATION] = { "digitalisation", M_MR_F_DIGITALISATION, M_MR_H_DIGITALISATION,
				F_LONGTEXT, 0, 4000, 0, NULL, NULL, M_MR_G_CURRENT },
	[MR_PRESENTED_ON] = { "presented_on", M_MR_F_PRESENTED_ON, 0, F_DATE, 0, 0,
			      FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, 0 },
	[MR_DECIDED_ON] = { "decided_on", M_MR_F_DECIDED_ON, 0, F_DATE, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, 0 },
	{ NULL },
};

static void report_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			    const struct record *old, struct field_errors *errs)
{
	(void)cx;
	(void)e;
	(void)old;
	if (!old && !rec->v[MR_STATE])
		rec->v[MR_STATE] = "draft";
	if (rec->v[MR_PERIOD_FROM] && rec->v[MR_PERIOD_TO] &&
	    strcmp(rec->v[MR_PERIOD_TO], rec->v[MR_PERIOD_FROM]) < 0)
		field_error_add(errs, MR_PERIOD_TO, M_MR_V_END_BEFORE_START, "invalid");
}

static int present_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
			struct record *rec, const struct record *old, const char *const *pv,
			struct field_errors *errs, struct db_error *err)
{
	(void)e, (void)t, (void)old, (void)pv, (void)errs, (void)err;
	rec->v[MR_PRESENTED_ON] = ctx_today(cx);
	return 0;
}

static int report_decide_rule(struct ctx *cx, const struct entity *e,
			      const struct entity_transition *t, struct record *rec,
			      const struct record *old, const char *const *pv,
			      struct field_errors *errs, struct db_error *err)
{
	(void)e, (void)t, (void)old, (void)pv, (void)errs, (void)err;
	rec->v[MR_DECIDED_ON] = ctx_today(cx);
	return 0;
}

static const char *const from_draft[] = { "draft", NULL };
static const char *const from_presented[] = { "presented", NULL };

static const struct entity_transition report_transitions[] = {
	{ .name = "present", .label = M_MR_T_PRESENT, .help = M_MR_T_PRESENT_HELP,
	  .field = "state", .from = from_draft, .to = "presented", .rule = present_rule },
	{ .name = "decide", .label = M_MR_T_DECIDE, .help = M_MR_T_DECIDE_HELP, .field = "state",
	  .from = from_presented, .to = "decided", .roles = ROLES_MR_DECIDE,
	  .rule = report_decide_rule },
	{ .name = NULL },
};

static const int item_cols[] = { DI_TITLE, DI_STATE, DI_DECISION, DI_DECIDED_BY, -1 };

/* The report's page: the management report of its period, its PDF, and
 * its decision items. */
static void report_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	const char *slug = q->cx.org->slug;
	const struct part_related items = {
		.e = &mr_items, .ref_field = DI_REPORT, .cols = item_cols, .id = "mr-items",
		.heading = M_MR_ITEMS, .empty = M_MR_NO_ITEMS, .add = M_MR_ITEM_NEW,
		.sort = NULL,
	};

	(void)e;
	h_lit(h, "<section class=\"mr-links\" aria-labelledby=\"mr-links\"><h2 id=\"mr-links\">");
	h_msg(h, M_MR_REPORT_OF_PERIOD);
	h_lit(h, "</h2><p><a");
	h_href(h, "/o/%s/management-report?preset=custom&from=%s&to=%s", slug,
	       rec->v[MR_PERIOD_FROM], rec->v[MR_PERIOD_TO]);
	h_lit(h, ">");
	h_msg(h, M_MR_SHOW_REPORT);
	h_lit(h, "</a></p><p><a class=\"button\"");
	h_href(h, "/o/%s/documents/management-report.pdf?id=%lld&from=%s&to=%s", slug,
	       (long long)rec->id, rec->v[MR_PERIOD_FROM], rec->v[MR_PERIOD_TO]);
	h_lit(h, " download>");
	h_msg(h, M_MR_PDF);
	h_lit(h, "</a></p></section>");
	part_related(h, &items, rec);
}

struct entity mr_reports = {
	.name = "management-reports",
	.table = "management_report",
	.label_one = M_MR_REPORT,
	.label_many = M_MR_REPORTS,
	.label_new = M_MR_REPORT_NEW,
	.intro = M_MR_REPORTS_INTRO,
	.fields = report_fields,
	.title_field = MR_TITLE,
	.roles_read = ROLES_OVERVIEW,
	.roles_write = ROLES_REGISTER_ADMIN,
	.validate = report_validate,
	.transitions = report_transitions,
	.show_extra = report_extra,
};

/* ---- the decision items ---- */

static const struct choice item_states[] = {
	{ "open", M_MR_ITEM_OPEN },
	{ "decided", M_MR_ITEM_DECIDED },
	{ NULL, 0 },
};

#define DECISION(col, label, type) \
	{ col, label, 0, type, 0, 4000, FF_NO_FORM | FF_NO_IMPORT | FF_LIST, NULL, \
	  NULL, M_MR_G_DECISION }

static const struct entity_field item_fields[] = {
	[DI_REPORT] = { "report_id", M_MR_REPORT, 0, F_REF, 0, 0,
			FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &mr_reports, 0 },
	[DI_TITLE] = { "title", M_MR_F_QUESTION, M_MR_H_QUESTION, F_TEXT, 1, 300,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[DI_PROPOSAL] = { "proposal", M_MR_F_PROPOSAL, M_MR_H_PROPOSAL, F_LONGTEXT, 0, 4000,
			  FF_SEARCH, NULL, NULL, 0 },
	[DI_RISK] = { "risk", M_MR_F_RISK, M_MR_H_RISK, F_LONGTEXT, 0, 4000, 0, NULL, NULL, 0 },
	[DI_STATE] = { "state", M_MR_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER,
		       item_states, NULL, 0 },
	[DI_DECISION] = DECISION("decision", M_MR_F_DECISION, F_LONGTEXT),
	[DI_DECIDED_BY] = DECISION("decided_by", M_MR_F_DECIDED_BY, F_TEXT),
	[DI_DECIDED_ON] = { "decided_on", M_MR_F_DECIDED_ON, 0, F_DATE, 0, 0,
			    FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_MR_G_DECISION },
	[DI_RECORDED_BY] = { "recorded_by", M_MR_F_RECORDED_BY, 0, F_TEXT, 0, 300,
			     FF_NO_FORM | FF_NO_IMPORT, NULL, NULL, M_MR_G_DECISION },
	{ NULL },
};

/* A decided item is frozen: what management decided stays as decided. */
static void item_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	(void)cx;
	if (!old && !rec->v[DI_STATE])
		rec->v[DI_STATE] = "open";
	if (old && is(old->v[DI_STATE], "decided") && old->archived == rec->archived)
		for (size_t i = 0; i < e->nfields; i++)
			if (!same(old->v[i], rec->v[i])) {
				field_error_add(errs, -1, M_MR_V_FROZEN, "frozen");
				return;
			}
}

static const struct entity_field item_decide_params[] = {
	{ "decision_text", M_MR_F_DECISION, M_MR_H_DECISION, F_LONGTEXT, 1, 4000, FF_REQUIRED,
	  NULL, NULL, 0 },
	{ "decider", M_MR_F_DECIDED_BY, M_MR_H_DECIDED_BY, F_TEXT, 0, 300, 0, NULL, NULL, 0 },
	{ "decision_date", M_MR_F_DECIDED_ON, 0, F_DATE, 0, 0, FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

/* Management records its own decision (the decider defaults to the one
 * recording it); the coordinator records it on management's behalf and
 * must name who decided.  Never in the future. */
static int item_decide_rule(struct ctx *cx, const struct entity *e,
			    const struct entity_transition *t, struct record *rec,
			    const struct record *old, const char *const *pv,
			    struct field_errors *errs, struct db_error *err)
{
	int management = ctx_has_role(cx, RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF));
	const char *decider = pv[1] && *pv[1] ? pv[1] : NULL;

	(void)t, (void)old;
	/* management deciding itself: by its name in the register of people */
	if (!decider && management && cx->org->person_id > 0) {
		const char *name = NULL;
		if (entity_titles(cx, &org_people, &cx->org->person_id, 1, &name, err) != 0)
			return -1;
		decider = name;
	}
	if (pv[2] && strcmp(pv[2], ctx_today(cx)) > 0) {
		field_error_add(errs, (int)e->nfields + 2, M_MR_V_DECIDED_FUTURE, "invalid");
		return 0;
	}
	if (!decider && !management) {
		field_error_add(errs, (int)e->nfields + 1, M_MR_V_NAME_DECIDER, "required");
		return 0;
	}
	rec->v[DI_DECISION] = pv[0];
	rec->v[DI_DECIDED_BY] = decider ? decider : cx->actor;
	rec->v[DI_DECIDED_ON] = pv[2];
	rec->v[DI_RECORDED_BY] = cx->actor;
	return 0;
}

static const char *const from_open[] = { "open", NULL };

static const struct entity_transition item_transitions[] = {
	{ .name = "decide", .label = M_MR_T_ITEM_DECIDE, .help = M_MR_T_ITEM_DECIDE_HELP,
	  .field = "state", .from = from_open, .to = "decided", .roles = ROLES_MR_DECIDE,
	  .params = item_decide_params, .rule = item_decide_rule },
	{ .name = NULL },
};

struct entity mr_items = {
	.name = "report-decision-items",
	.table = "report_decision_item",
	.label_one = M_MR_ITEM,
	.label_many = M_MR_ITEMS,
	.label_new = M_MR_ITEM_NEW,
	.intro = M_MR_ITEMS_INTRO,
	.fields = item_fields,
	.title_field = DI_TITLE,
	.roles_read = ROLES_OVERVIEW,
	.roles_write = ROLES_REGISTER_ADMIN,
	.parent_field = "report_id",
	.validate = item_validate,
	.transitions = item_transitions,
};
