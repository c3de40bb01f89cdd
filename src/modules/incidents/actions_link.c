/* actions_link.c - what incidents teach becomes work in the action plan:
 * an investigated incident's lessons (R-8-23, R-7-12) and a
 * self-assessment's findings (R-8-30) are made activities of the open plan
 * in one step, linked to where they came from (incident_activity) and
 * listed there.  The security function makes them (it keeps the plan). */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/actions/actions.h"
#include "modules/incidents/incidents.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define ACTION_ROWS 50

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static const char sql_activities[] =
	"SELECT x.id, x.title, x.status, x.end_on FROM incident_activity l"
	" JOIN activity x ON x.id = l.activity_id"
	" WHERE l.org_id = $1 AND l.source = $2 AND l.source_id = $3 ORDER BY l.id LIMIT $4";
static const char sql_link[] =
	"INSERT INTO incident_activity (org_id, source, source_id, activity_id, created_at)"
	" VALUES ($1, $2, $3, $4, $5)";

void incident_actions_section(struct req *q, const struct entity *e, const struct record *rec,
			      int may_make, struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *notice = req_param(q, "notice");
	struct db_rows r;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_activities,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(e->name), DB_INT(rec->id),
			    DB_INT(ACTION_ROWS)), &r, &err) != 0) {
		req_fail(q, "the activities made", &err);
		return;
	}
	if (!r.nrows && !may_make)
		return;
	part_section_begin(h, "in-actions", M_IN_ACTIONS);
	if (is(notice, "action-missing"))
		page_notice(h, M_IN_ACTION_MISSING);
	else if (is(notice, "action-refused"))
		page_notice(h, M_IN_ACTION_REFUSED);
	if (!r.nrows)
		part_empty(h, e == &in_incidents ? M_IN_NO_ACTIONS : M_IN_SA_NO_ACTIONS);
	for (size_t i = 0; i < r.nrows; i++) {
		h_lit(h, "<p><a");
		h_href(h, "/o/%s/activities/%s", cx->org->slug, db_cell(&r, i, 0));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 1));
		h_lit(h, "</a> (");
		h_text(h, entity_choice_label(cx, &ap_activities.fields[AC_STATUS], db_cell(&r, i, 2)));
		if (db_cell(&r, i, 3)) {
			h_lit(h, ", ");
			h_msg(h, M_IN_ACTION_DUE);
			h_lit(h, " ");
			h_text(h, db_cell(&r, i, 3));
		}
		h_lit(h, ")</p>");
	}
	if (may_make) {
		h_lit(h, "<form method=\"post\" class=\"record\" action=\"");
		h_url(h, "/o/%s/%s/%lld/action", cx->org->slug, e->name, (long long)rec->id);
		h_lit(h, "\">");
		h_csrf(h);
		part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "title",
						    .label = M_IN_ACTION_TITLE,
						    .help = e == &in_incidents ? M_IN_ACTION_TITLE_HELP
									       : M_IN_SA_ACTION_HELP,
						    .required = 1, .max = 200 });
		part_field(h, &(struct part_field){ .type = PI_DATE, .name = "end_on",
						    .label = M_IN_ACTION_END, .required = 1,
						    .value = ctx_date_in(cx, 90) });
		h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
		h_msg(h, M_IN_ACTION_MAKE);
		h_lit(h, "</button></div></form>");
	}
	part_section_end(h);
}

static const char *id_text(struct ctx *cx, int64_t id)
{
	return arena_printf(cx->a, "%lld", (long long)id);
}

/* What the activity takes from its source: its goal, where it came from,
 * who is responsible and how urgent it is; 0 when the source has nothing
 * to act on yet. */
static int basis(struct ctx *cx, const struct entity *e, const struct record *rec,
		 const char **v)
{
	if (e == &in_incidents) {
		const char *sev = rec->v[IN_SEVERITY];
		if (!rec->v[IN_LESSONS])
			return 0;
		v[AC_GOAL] = rec->v[IN_LESSONS];
		v[AC_DESCRIPTION] = msg_fill(cx->a, msg_fill(cx->a,
			msg_text(cx->lang, M_IN_ACTION_FROM), "{receipt}", rec->v[IN_RECEIPT]),
			"{cause}", rec->v[IN_ROOT_CAUSE] ? rec->v[IN_ROOT_CAUSE] : "");
		v[AC_RESPONSIBLE] = rec->v[IN_HANDLER];
		v[AC_PRIORITY] = is(sev, "4") ? "1" : is(sev, "3") ? "2" : "3";
		return 1;
	}
	if (!rec->v[SA_FINDINGS])
		return 0;
	v[AC_GOAL] = rec->v[SA_FINDINGS];
	v[AC_DESCRIPTION] = msg_fill(cx->a, msg_fill(cx->a,
		msg_text(cx->lang, M_IN_SA_ACTION_FROM), "{title}", rec->v[SA_TITLE]),
		"{date}", rec->v[SA_ON]);
	v[AC_RESPONSIBLE] = cx->org->person_id > 0 ? id_text(cx, cx->org->person_id) : NULL;
	v[AC_PRIORITY] = "3";
	return 1;
}

/* POST /o/{org}/{incidents|incident-self-assessments}/{id}/action: the
 * activity in the open plan, its link and (for an incident) a timeline
 * entry, in one transaction. */
static void action_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const struct entity *e = q->route->ctx;
	const char *title = req_param(q, "title"), *end = req_param(q, "end_on");
	const char *v[AC__COUNT] = { 0 };
	const char *today = ctx_today(cx);
	const char *back;
	struct record rec;
	struct db_error err = { 0 };
	int64_t plan, act;

	if (entity_get(cx, e, req_id(q), &rec, &err) != 0) {
		respond_error(q, resp, err.code == DBE_NOTFOUND ? 404 : 503);
		return;
	}
	if (rec.archived || rec.masked || !entity_may(cx, e, &rec, OP_WRITE)) {
		respond_error(q, resp, 403);
		return;
	}
	back = arena_printf(cx->a, "/o/%s/%s/%lld", cx->org->slug, e->name, (long long)rec.id);
	if (!title || !*title || !end || !*end || !basis(cx, e, &rec, v)) {
		resp_redirect(q, resp, arena_printf(cx->a, "%s?notice=action-missing#in-actions",
						    back));
		return;
	}
	if (db_begin(cx->db, &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	if ((plan = plan_open_default(cx, &err)) <= 0) {
		db_rollback(cx->db);
		if (plan < 0) {
			respond_error(q, resp, 503);
			return;
		}
		/* no plan to put it in: make one first */
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/action-plans/new", cx->org->slug));
		return;
	}
	v[AC_PLAN] = id_text(cx, plan);
	v[AC_TITLE] = title;
	v[AC_KIND] = "deficiency";
	v[AC_START] = strcmp(today, end) <= 0 ? today : end;
	v[AC_END] = end;
	if (!(act = entity_create_values(cx, &ap_activities, v, &err)) ||
	    db_exec(cx->db, cx->a, sql_link,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(e->name), DB_INT(rec.id), DB_INT(act),
			    DB_INT(cx->now)), NULL, &err) != 0 ||
	    (e == &in_incidents &&
	     incident_event_add(cx, rec.id, "action", NULL, NULL, title, 1, &err) != 0) ||
	    db_commit(cx->db, &err) != 0) {
		db_rollback(cx->db);
		log_info("incident action: %s", err.msg);
		resp_redirect(q, resp, arena_printf(cx->a, "%s?notice=action-refused#in-actions",
						    back));
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/activities/%lld?created=1",
					    cx->org->slug, (long long)act));
}

static const struct param action_params[] = {
	{ "csrf", P_STR, 128 },
	{ "title", P_STR, 800 },
	{ "end_on", P_STR, 10 },
	{ NULL, 0, 0 },
};

const struct route incident_action_routes[] = {
	{ "POST", "/o/{org}/incidents/{id}/action", action_post, ROLES_INCIDENT_DESK, 0,
	  BODY_FORM, action_params, &in_incidents },
	{ "POST", "/o/{org}/incident-self-assessments/{id}/action", action_post,
	  ROLES_INCIDENT_DESK, 0, BODY_FORM, action_params, &in_self_assessments },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
