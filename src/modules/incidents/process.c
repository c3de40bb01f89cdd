/* process.c - the incident process itself: documented in versions that
 * say what changed and why (R-8-28), with the analyses already made at hand
 * as its inputs (R-8-29); the self-assessment of the current way of working
 * with seed 003's questions, whose findings become actions (R-8-30..38);
 * and an incident shared with another incident-handling area (R-8-20). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/incidents/incidents.h"
#include "modules/org/org.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

/* ---- the process, in versions ---- */

enum { PR_TITLE, PR_VERSION, PR_ADOPTED, PR_DESCRIPTION, PR_ROLES, PR_CHANGES, PR_WHY,
       PR_EVALUATION, PR_REVIEW };

static const struct entity_field process_fields[] = {
	[PR_TITLE] = { "title", M_IN_PR_TITLE, 0, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[PR_VERSION] = { "version_label", M_IN_PR_VERSION, M_IN_PR_VERSION_HELP, F_TEXT, 1, 40,
			 FF_REQUIRED | FF_LIST, NULL, NULL, 0 },
	[PR_ADOPTED] = { "adopted_on", M_IN_PR_ADOPTED, 0, F_DATE, 0, 0, FF_LIST, NULL, NULL, 0 },
	[PR_DESCRIPTION] = { "description", M_IN_PR_DESCRIPTION, M_IN_PR_DESCRIPTION_HELP,
			     F_LONGTEXT, 0, 20000, FF_SEARCH, NULL, NULL, 0 },
	[PR_ROLES] = { "roles_text", M_IN_PR_ROLES, M_IN_PR_ROLES_HELP, F_LONGTEXT, 0, 8000,
		       FF_SEARCH, NULL, NULL, 0 },
	[PR_CHANGES] = { "changes", M_IN_PR_CHANGES, M_IN_PR_CHANGES_HELP, F_LONGTEXT, 1, 4000,
			 FF_REQUIRED, NULL, NULL, M_IN_PR_G_CHANGE },
	[PR_WHY] = { "why", M_IN_PR_WHY, M_IN_PR_WHY_HELP, F_LONGTEXT, 1, 4000, FF_REQUIRED, NULL,
		     NULL, M_IN_PR_G_CHANGE },
	[PR_EVALUATION] = { "evaluation", M_IN_PR_EVALUATION, M_IN_PR_EVALUATION_HELP, F_LONGTEXT,
			    0, 4000, 0, NULL, NULL, M_IN_PR_G_CHANGE },
	[PR_REVIEW] = { "review_on", M_IN_PR_REVIEW, 0, F_DATE, 0, 0, FF_LIST | FF_DUE, NULL, NULL,
			M_IN_PR_G_CHANGE },
	{ NULL },
};

/* The inputs seed 003 names for designing the process: the analyses
 * already made, a link each (R-8-29). */
static void process_inputs(struct req *q, const struct entity *e, const struct record *rec,
			   struct html *h)
{
	struct ctx *cx = &q->cx;
	static const struct { int label; const char *path; } in[] = {
		{ M_IN_PR_IN_ORG, "/bodies" },
		{ M_IN_PR_IN_SYSTEMS, "/systems" },
		{ M_IN_PR_IN_GAP, "/gap" },
		{ M_IN_PR_IN_PLAN, "/action-plans" },
		{ M_IN_PR_IN_INCIDENTS, "/incidents/compilation" },
		{ M_IN_PR_IN_SELF, "/incident-self-assessments" },
	};

	(void)e, (void)rec;
	part_section_begin(h, "in-process-inputs", M_IN_PR_INPUTS);
	h_lit(h, "<p class=\"intro\">");
	h_msg(h, M_IN_PR_INPUTS_INTRO);
	h_lit(h, "</p><ul>");
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		h_lit(h, "<li><a");
		h_href(h, "/o/%s%s", cx->org->slug, in[i].path);
		h_lit(h, ">");
		h_msg(h, in[i].label);
		h_lit(h, "</a></li>");
	}
	h_lit(h, "</ul>");
	part_section_end(h);
}

static const struct entity_link process_links[] = {
	{ M_IN_SA_MANY, "/incident-self-assessments", ROLES_STAFF },
	{ 0, NULL, 0 },
};

struct entity in_processes = {
	.name = "incident-processes",
	.table = "incident_process",
	.label_one = M_IN_PR_ONE,
	.label_many = M_IN_PR_MANY,
	.label_new = M_IN_PR_NEW,
	.intro = M_IN_PR_INTRO,
	.list_links = process_links,
	.fields = process_fields,
	.title_field = PR_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_INCIDENT_DESK,
	.show_extra = process_inputs,
};

/* ---- the self-assessment of the current way of working ---- */

#define QUESTION(col, label) \
	{ col, label, 0, F_LONGTEXT, 0, 4000, FF_SEARCH, NULL, NULL, M_IN_SA_G_QUESTIONS }

static const struct entity_field self_fields[] = {
	[SA_TITLE] = { "title", M_IN_SA_TITLE, M_IN_SA_TITLE_HELP, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[SA_ON] = { "assessed_on", M_IN_SA_ON, 0, F_DATE, 0, 0, FF_REQUIRED | FF_LIST, NULL, NULL,
		    0 },
	[SA_AUTHOR] = { "author_id", M_IN_SA_AUTHOR, 0, F_REF, 0, 0,
			FF_NO_FORM | FF_NO_IMPORT | FF_LIST, NULL, &org_people, 0 },
	[SA_EMPLOYEES] = QUESTION("q_employees", M_IN_SA_Q_EMPLOYEES),   /* R-8-30 */
	[SA_HANDLING] = QUESTION("q_handling", M_IN_SA_Q_HANDLING),      /* R-8-31 */
	[SA_ROLES] = QUESTION("q_roles", M_IN_SA_Q_ROLES),               /* R-8-32 */
	[SA_TERMS] = QUESTION("q_terms", M_IN_SA_Q_TERMS),               /* R-8-33 */
	[SA_AWARENESS] = QUESTION("q_awareness", M_IN_SA_Q_AWARENESS),   /* R-8-34 */
	[SA_COOPERATION] = QUESTION("q_cooperation", M_IN_SA_Q_COOPERATION), /* R-8-35 */
	[SA_REMEDY] = QUESTION("q_remedy", M_IN_SA_Q_REMEDY),            /* R-8-36 */
	[SA_PROBLEMS] = QUESTION("q_problems", M_IN_SA_Q_PROBLEMS),      /* R-8-37 */
	[SA_CRISIS] = QUESTION("q_crisis", M_IN_SA_Q_CRISIS),            /* R-8-38 */
	[SA_FINDINGS] = { "findings", M_IN_SA_FINDINGS, M_IN_SA_FINDINGS_HELP, F_LONGTEXT, 0, 8000,
			  FF_SEARCH, NULL, NULL, 0 },
	{ NULL },
};

/* Whoever writes it first is its author. */
static void self_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			  const struct record *old, struct field_errors *errs)
{
	(void)e, (void)errs;
	if (!old && cx->org->person_id > 0)
		rec->v[SA_AUTHOR] = arena_printf(cx->a, "%lld", (long long)cx->org->person_id);
	else if (old)
		rec->v[SA_AUTHOR] = old->v[SA_AUTHOR];
}

/* The findings made actions, and the form that makes one. */
static void self_extra(struct req *q, const struct entity *e, const struct record *rec,
		       struct html *h)
{
	struct ctx *cx = &q->cx;

	if (rec->masked)
		return;
	incident_actions_section(q, e, rec, rec->v[SA_FINDINGS] != NULL && !rec->archived &&
				 ctx_has_role(cx, ROLES_INCIDENT_DESK), h);
}

struct entity in_self_assessments = {
	.name = "incident-self-assessments",
	.table = "incident_self_assessment",
	.label_one = M_IN_SA_ONE,
	.label_many = M_IN_SA_MANY,
	.label_new = M_IN_SA_NEW,
	.intro = M_IN_SA_INTRO,
	.fields = self_fields,
	.title_field = SA_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_INCIDENT_DESK,
	.validate = self_validate,
	.show_extra = self_extra,
};

/* ---- an incident shared with another area (R-8-20) ---- */

enum { SH_INCIDENT, SH_AREA, SH_CONTACT, SH_REFERENCE, SH_NOTE };

static const struct choice areas[] = {
	{ "it_support", M_IN_SH_IT_SUPPORT },
	{ "data_protection", M_IN_SH_DATA_PROTECTION },
	{ "physical_security", M_IN_SH_PHYSICAL },
	{ "hr", M_IN_SH_HR },
	{ "supplier", M_IN_SH_SUPPLIER },
	{ "other", M_IN_SH_OTHER },
	{ NULL, 0 },
};

static const struct entity_field share_fields[] = {
	[SH_INCIDENT] = { "incident_id", M_IN_INCIDENT, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_FILTER, NULL, &in_incidents, 0 },
	[SH_AREA] = { "area", M_IN_SH_AREA, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER,
		      areas, NULL, 0 },
	[SH_CONTACT] = { "contact", M_IN_SH_CONTACT, M_IN_SH_CONTACT_HELP, F_TEXT, 0, 300,
			 FF_LIST | FF_SEARCH, NULL, NULL, 0 },
	[SH_REFERENCE] = { "reference", M_IN_SH_REFERENCE, M_IN_SH_REFERENCE_HELP, F_TEXT, 0, 200,
			   FF_LIST | FF_SEARCH, NULL, NULL, 0 },
	[SH_NOTE] = { "note", M_IN_SH_NOTE, 0, F_LONGTEXT, 0, 2000, 0, NULL, NULL, 0 },
	{ NULL },
};

/* Sharing is part of the incident's history. */
static int share_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			     const struct record *old, struct db_error *err)
{
	int64_t id = 0;

	if (old || parse_i64(rec->v[SH_INCIDENT], &id) != 0)
		return 0;
	return incident_event_add(cx, id, "shared", NULL, NULL,
				  arena_printf(cx->a, "%s%s%s", entity_display(cx, e, rec, SH_AREA),
					       rec->v[SH_CONTACT] ? ": " : "",
					       rec->v[SH_CONTACT] ? rec->v[SH_CONTACT] : ""),
				  1, err);
}

struct entity in_shares = {
	.name = "incident-shares",
	.table = "incident_share",
	.label_one = M_IN_SH_ONE,
	.label_many = M_IN_SH_MANY,
	.label_new = M_IN_SH_NEW,
	.fields = share_fields,
	.title_field = SH_AREA,
	.roles_read = ROLES_INCIDENT_DESK,
	.roles_write = ROLES_INCIDENT_GATE,
	.parent_field = "incident_id",
	.after_write = share_after_write,
};
