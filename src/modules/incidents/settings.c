/* settings.c - the organisation's incident settings (incident_setting),
 * the security function's page /o/{org}/incident-settings: its own terms
 * for the severities (R-8-11), its assessment criteria (R-8-12), whom the
 * crisis organisation is reached through (R-8-19), and the intake link for
 * people without an account: turned on, it gets a random token (the link
 * /anmal/{token} to publish); made anew, the old one stops working.
 * Written by direct SQL, audited in the same transaction (the token never
 * in the audit trail).  Costs: one row by key. */
#include "base/base.h"

#include "base/utf8.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/incidents/incidents.h"
#include "web/app.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define TERM_MAX 60

/* The organisation's settings are the function's for the whole
 * organisation: one who holds the desk's role for a unit only may not. */
static int org_wide(struct req *q, struct resp *resp)
{
	if (ctx_has_role(&q->cx, ROLES_INCIDENT_DESK))
		return 1;
	respond_error(q, resp, 403);
	return 0;
}
#define TEXT_MAX 4000

static const char sql_get[] =
	"SELECT term_1, term_2, term_3, term_4, criteria, crisis_contact, intake_enabled,"
	" intake_token FROM incident_setting WHERE org_id = $1";
static const char sql_ensure[] =
	"INSERT INTO incident_setting (org_id, updated_at) VALUES ($1, $2)"
	" ON CONFLICT (org_id) DO NOTHING";
static const char sql_save[] =
	"UPDATE incident_setting SET term_1 = $2, term_2 = $3, term_3 = $4, term_4 = $5,"
	" criteria = $6, crisis_contact = $7, intake_enabled = $8,"
	" intake_token = CASE WHEN $8 = 1 AND intake_token IS NULL THEN $9 ELSE intake_token END,"
	" version = version + 1, updated_at = $10 WHERE org_id = $1";
static const char sql_new_token[] =
	"UPDATE incident_setting SET intake_token = $2, version = version + 1, updated_at = $3"
	" WHERE org_id = $1";

static const char *fresh_token(struct ctx *cx)
{
	char t[48];

	auth_random_token(t, sizeof(t));
	return arena_strdup(cx->a, t);
}

/* The address to publish: the installation's public address when known. */
static const char *intake_url(struct req *q, const char *token)
{
	struct ctx *cx = &q->cx;
	struct mail_config mc;
	struct db_error err;
	const char *base = NULL;
	size_t n;

	if (outbox_config_load(cx, &mc, 0, &err) == 0 && mc.base_url && *mc.base_url)
		base = mc.base_url;
	else if (q->app && q->app->base_url)
		base = q->app->base_url;
	n = base ? strlen(base) : 0;
	while (n && base[n - 1] == '/')
		n--;
	return arena_printf(cx->a, "%.*s/anmal/%s", (int)n, base ? base : "", token);
}

static void text_field(struct html *h, const char *name, int label, int help, int64_t max,
		       int longtext, const char *value)
{
	part_field(h, &(struct part_field){ .type = longtext ? PI_LONGTEXT : PI_TEXT,
					    .name = name, .label = label, .help = help,
					    .max = max, .rows = 4, .value = value });
}

/* GET /o/{org}/incident-settings */
static void settings_get(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *notice = req_param(q, "notice");
	struct db_rows r;
	struct db_error err;
	struct html h;
	int on;

	if (!org_wide(q, resp))
		return;
	if (db_exec(cx->db, cx->a, sql_get, DB_ARGS(DB_INT(cx->org->id)), &r, &err) != 0) {
		req_fail(q, "the incident settings", &err);
		return;
	}
	on = r.nrows && db_cell_i64(&r, 0, 6) == 1 && db_cell(&r, 0, 7);
	page_begin(q, resp, &h, M_IR_SET_TITLE);
	if (notice && !strcmp(notice, "saved"))
		page_notice(&h, M_IR_SET_SAVED);
	else if (notice && !strcmp(notice, "new-link"))
		page_notice(&h, M_IR_SET_NEW_LINK);
	else if (notice && !strcmp(notice, "too-long"))
		page_notice(&h, M_IR_SET_TOO_LONG);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_IR_SET_INTRO);
	h_lit(&h, "</p><form method=\"post\" class=\"record\" action=\"");
	h_url(&h, "/o/%s/incident-settings", cx->org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	h_lit(&h, "<fieldset><legend>");
	h_msg(&h, M_IR_SET_TERMS);
	h_lit(&h, "</legend><p class=\"hint\">");
	h_msg(&h, M_IR_SET_TERMS_HELP);
	h_lit(&h, "</p>");
	for (int i = 0; i < 4; i++) {
		const char *name = arena_printf(cx->a, "term_%d", i + 1);
		part_field(&h, &(struct part_field){
			.type = PI_TEXT, .name = name,
			.label_text = msg_fill(cx->a, msg_text(cx->lang, M_IR_SET_TERM), "{n}",
					       arena_printf(cx->a, "%d", i + 1)),
			.max = TERM_MAX, .value = r.nrows ? db_cell(&r, 0, (size_t)i) : NULL });
	}
	h_lit(&h, "</fieldset>");
	text_field(&h, "criteria", M_IR_SET_CRITERIA, M_IR_SET_CRITERIA_HELP, TEXT_MAX, 1,
		   r.nrows ? db_cell(&r, 0, 4) : NULL);
	text_field(&h, "crisis_contact", M_IR_SET_CRISIS, M_IR_SET_CRISIS_HELP, 1000, 1,
		   r.nrows ? db_cell(&r, 0, 5) : NULL);
	h_lit(&h, "<fieldset><legend>");
	h_msg(&h, M_IR_SET_INTAKE);
	h_lit(&h, "</legend>");
	part_field(&h, &(struct part_field){ .type = PI_CHECKBOX, .name = "intake_enabled",
					     .label = M_IR_SET_INTAKE_ON,
					     .help = M_IR_SET_INTAKE_HELP,
					     .value = on ? "1" : NULL });
	h_lit(&h, "</fieldset><div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_IR_SET_SAVE);
	h_lit(&h, "</button></div></form>");
	part_section_begin(&h, "ir-intake", M_IR_SET_INTAKE);
	if (on) {
		h_lit(&h, "<p>");
		h_msg(&h, M_IR_SET_INTAKE_URL);
		h_lit(&h, ": <code class=\"ir-intake-url\">");
		h_text(&h, intake_url(q, db_cell(&r, 0, 7)));
		h_lit(&h, "</code></p>");
		part_post_button(&h, &(struct part_post){ .label = M_IR_SET_REGENERATE },
				 "/o/%s/incident-settings/new-link", cx->org->slug);
	} else {
		h_lit(&h, "<p>");
		h_msg(&h, M_IR_SET_INTAKE_OFF);
		h_lit(&h, "</p>");
	}
	part_section_end(&h);
	page_end(q, resp, &h);
}

static const char *trimmed(struct req *q, const char *name, size_t max, int *too_long)
{
	const char *v = req_param(q, name);

	while (v && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
		v++;
	if (!v || !*v)
		return NULL;
	if (!utf8_valid_text(v, strlen(v)) || utf8_length(v, strlen(v)) > max) {
		*too_long = 1;
		return NULL;
	}
	return v;
}

static void settings_audit(struct ctx *cx, struct audit_event *ev, const char *action,
			   const char *after)
{
	memset(ev, 0, sizeof(*ev));
	audit_from_ctx(cx, ev);
	ev->action = action;
	ev->entity = "incident-settings";
	ev->summary = cx->org->name;
	ev->after = after;
}

/* POST /o/{org}/incident-settings */
static void settings_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *t[4], *criteria, *crisis;
	int too_long = 0;
	int on = req_param(q, "intake_enabled") && !strcmp(req_param(q, "intake_enabled"), "1");
	struct audit_event ev;
	struct db_error err;

	if (!org_wide(q, resp))
		return;
	for (int i = 0; i < 4; i++)
		t[i] = trimmed(q, arena_printf(cx->a, "term_%d", i + 1), TERM_MAX, &too_long);
	criteria = trimmed(q, "criteria", TEXT_MAX, &too_long);
	crisis = trimmed(q, "crisis_contact", 1000, &too_long);
	if (too_long) {
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/incident-settings?notice=too-long",
						    cx->org->slug));
		return;
	}
	settings_audit(cx, &ev, "incident_settings",
		       arena_printf(cx->a, "{\"intake_enabled\":%s,\"terms\":%d}",
				    on ? "true" : "false",
				    !!t[0] + !!t[1] + !!t[2] + !!t[3]));
#define OPT(s) ((s) ? DB_TEXT(s) : DB_NULL)
	if (db_begin(cx->db, &err) != 0 ||
	    db_exec(cx->db, cx->a, sql_ensure, DB_ARGS(DB_INT(cx->org->id), DB_INT(cx->now)), NULL,
		    &err) != 0 ||
	    db_exec(cx->db, cx->a, sql_save,
		    DB_ARGS(DB_INT(cx->org->id), OPT(t[0]), OPT(t[1]), OPT(t[2]), OPT(t[3]),
			    OPT(criteria), OPT(crisis), DB_INT(on), DB_TEXT(fresh_token(cx)),
			    DB_INT(cx->now)), NULL, &err) != 0 ||
	    audit_append(cx->db, cx->a, &ev, &err) != 0 || db_commit(cx->db, &err) != 0) {
		db_rollback(cx->db);
		respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
#undef OPT
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/incident-settings?notice=saved",
					    cx->org->slug));
}

/* POST /o/{org}/incident-settings/new-link: the old link stops working. */
static void settings_new_link(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct audit_event ev;
	struct db_error err;

	if (!org_wide(q, resp))
		return;
	settings_audit(cx, &ev, "intake_link", NULL);
	if (db_begin(cx->db, &err) != 0 ||
	    db_exec(cx->db, cx->a, sql_ensure, DB_ARGS(DB_INT(cx->org->id), DB_INT(cx->now)), NULL,
		    &err) != 0 ||
	    db_exec(cx->db, cx->a, sql_new_token,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(fresh_token(cx)), DB_INT(cx->now)), NULL,
		    &err) != 0 ||
	    audit_append(cx->db, cx->a, &ev, &err) != 0 || db_commit(cx->db, &err) != 0) {
		db_rollback(cx->db);
		respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/incident-settings?notice=new-link",
					    cx->org->slug));
}

static const struct param get_params[] = {
	{ "notice", P_STR, 20 },
	{ NULL, 0, 0 },
};

static const struct param post_params[] = {
	{ "csrf", P_STR, 128 },
	{ "term_1", P_STR, 1000 },
	{ "term_2", P_STR, 1000 },
	{ "term_3", P_STR, 1000 },
	{ "term_4", P_STR, 1000 },
	{ "criteria", P_STR, 20000 },
	{ "crisis_contact", P_STR, 5000 },
	{ "intake_enabled", P_STR, 4 },
	{ NULL, 0, 0 },
};

static const struct param csrf_params[] = {
	{ "csrf", P_STR, 128 },
	{ NULL, 0, 0 },
};

const struct route incident_settings_routes[] = {
	{ "GET", "/o/{org}/incident-settings", settings_get, ROLES_INCIDENT_DESK, 0, 0, get_params,
	  NULL },
	{ "POST", "/o/{org}/incident-settings", settings_post, ROLES_INCIDENT_DESK, 0, BODY_FORM,
	  post_params, NULL },
	{ "POST", "/o/{org}/incident-settings/new-link", settings_new_link, ROLES_INCIDENT_DESK, 0,
	  BODY_FORM, csrf_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
