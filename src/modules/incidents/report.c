/* report.c - reporting an incident (R-8-01..R-8-09): the form any person
 * of the organisation fills in in about a minute, on a phone too (the
 * category first, in plain Swedish, non-IT ones first; what happened,
 * when, where, which system or information, whether personal data may be
 * involved); the receipt with the category's "what to do now" right after
 * sending (a redirect, so a reload sends nothing twice; only the reporter
 * opens it); and the security function's registration of a report that
 * came by phone or e-mail, with an earlier moment of awareness.
 *
 * A reporter may not create incidents through the engine (only the desk
 * covers every record): the report is made through the engine with the
 * desk's roles added to the context, as approvals makes its activities, so
 * the register's rules (receipt number, awareness, timeline, grants) all
 * apply and the audit trail names the real actor.
 *
 * Costs: the form reads at most REPORT_SYSTEMS_MAX of the reporter's own
 * systems (it_system_owner, system_person_person), never the register;
 * the POST one engine create; the receipt one row by key. */
#include "base/base.h"

#include "base/clock.h"
#include "base/utf8.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/report.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define TITLE_WORDS 8
#define TITLE_MAX 160     /* bytes of words taken from the description */

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

void report_read(struct req *q, struct report_input *in)
{
	memset(in, 0, sizeof(*in));
	in->category = req_param(q, "category");
	in->title = req_param(q, "title");
	in->description = req_param(q, "description");
	in->occurred = req_param(q, "occurred_at");
	in->location = req_param(q, "location");
	in->which = req_param(q, "information_text");
	in->personal = req_param(q, "personal_data");
	in->system_id = req_param(q, "system_id");
	in->channel = req_param(q, "channel");
	in->reporter_name = req_param(q, "reporter_name");
	in->reporter_contact = req_param(q, "reporter_contact");
	in->aware = req_param(q, "aware_at");
}

/* ---- the form ---- */

static int err_of(const struct field_errors *errs, int field)
{
	const struct field_error *fe = field_error_find(errs, field);

	return fe ? fe->msg : 0;
}

static const struct choice personal_choices[] = {
	{ "yes", M_YES }, { "no", M_NO }, { "unknown", M_IN_PD_UNKNOWN }, { NULL, 0 },
};

static const struct choice channel_choices[] = {
	{ "phone", M_IN_CH_PHONE }, { "email", M_IN_CH_EMAIL }, { NULL, 0 },
};

void report_errors(struct html *h, const struct field_errors *errs)
{
	const char *names[IN__COUNT];
	int labels[IN__COUNT];

	for (size_t i = 0; i < IN__COUNT; i++) {
		names[i] = in_incidents.fields[i].name;
		labels[i] = in_incidents.fields[i].label;
	}
	page_error_summary(h, names, labels, errs);
}

void report_fields(struct req *q, struct html *h, enum report_kind kind,
		   const struct report_input *in, const struct field_errors *errs,
		   const struct db_rows *systems)
{
	(void)q;
	part_field(h, &(struct part_field){ .type = PI_RADIOS, .name = "category",
					    .label = M_IR_CATEGORY, .required = 1,
					    .choices = part_choices(h, incident_category_choices),
					    .value = in->category,
					    .error = err_of(errs, IN_CATEGORY) });
	part_field(h, &(struct part_field){ .type = PI_LONGTEXT, .name = "description",
					    .label = M_IR_DESCRIPTION,
					    .help = M_IR_DESCRIPTION_HELP, .max = 8000, .rows = 4,
					    .value = in->description,
					    .error = err_of(errs, IN_DESCRIPTION) });
	part_field(h, &(struct part_field){ .type = PI_DATETIME, .name = "occurred_at",
					    .label = M_IR_WHEN, .help = M_IR_WHEN_HELP,
					    .value = in->occurred,
					    .error = err_of(errs, IN_OCCURRED) });
	part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "location",
					    .label = M_IR_WHERE, .help = M_IR_WHERE_HELP,
					    .max = 300, .value = in->location,
					    .error = err_of(errs, IN_LOCATION) });
	if (systems && systems->nrows) {
		struct part_choice *c = arena_alloc(h->q->cx.a,
						    (systems->nrows + 1) * sizeof(*c));
		for (size_t i = 0; i < systems->nrows; i++) {
			c[i].value = db_cell(systems, i, 0);
			c[i].text = db_cell(systems, i, 1);
		}
		part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "system_id",
						    .label = M_IR_MY_SYSTEM, .choices = c,
						    .placeholder = M_IR_MY_SYSTEM_NONE,
						    .value = in->system_id,
						    .error = err_of(errs, IN_SYSTEM) });
	}
	part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "information_text",
					    .label = M_IR_WHICH, .help = M_IR_WHICH_HELP,
					    .max = 500, .value = in->which,
					    .error = err_of(errs, IN_INFORMATION) });
	part_field(h, &(struct part_field){ .type = PI_RADIOS, .name = "personal_data",
					    .label = M_IR_PERSONAL, .help = M_IR_PERSONAL_HELP,
					    .required = 1, .choices = part_choices(h, personal_choices),
					    .value = in->personal ? in->personal : "unknown",
					    .error = err_of(errs, IN_PERSONAL) });
	part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "title",
					    .label = M_IR_HEADING, .help = M_IR_HEADING_HELP,
					    .max = 200, .value = in->title,
					    .error = err_of(errs, IN_TITLE) });
	if (kind == REPORT_INTAKE) {
		part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "reporter_name",
						    .label = M_IR_INTAKE_NAME, .max = 200,
						    .autocomplete = "name",
						    .value = in->reporter_name,
						    .error = err_of(errs, IN_REPORTER_NAME) });
		part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "reporter_contact",
						    .label = M_IR_INTAKE_CONTACT,
						    .help = M_IR_INTAKE_CONTACT_HELP, .max = 200,
						    .autocomplete = "email", .plain = 1,
						    .value = in->reporter_contact,
						    .error = err_of(errs, IN_REPORTER_CONTACT) });
	}
	if (kind == REPORT_REGISTER) {
		part_field(h, &(struct part_field){ .type = PI_RADIOS, .name = "channel",
						    .label = M_IR_CHANNEL, .required = 1,
						    .choices = part_choices(h, channel_choices),
						    .value = in->channel ? in->channel : "phone",
						    .error = err_of(errs, IN_CHANNEL) });
		part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "reporter_name",
						    .label = M_IR_REPORTER_NAME, .max = 200,
						    .value = in->reporter_name,
						    .error = err_of(errs, IN_REPORTER_NAME) });
		part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "reporter_contact",
						    .label = M_IR_REPORTER_CONTACT, .max = 200,
						    .plain = 1, .value = in->reporter_contact,
						    .error = err_of(errs, IN_REPORTER_CONTACT) });
		part_field(h, &(struct part_field){ .type = PI_DATETIME, .name = "aware_at",
						    .label = M_IR_AWARE, .help = M_IR_AWARE_HELP,
						    .value = in->aware,
						    .error = err_of(errs, IN_AWARE) });
	}
}

void report_advice(struct html *h, const char *category)
{
	const struct incident_category *c = incident_category(category);

	if (!c)
		c = incident_category("other");
	h_lit(h, "<section class=\"card ir-advice\" aria-labelledby=\"ir-advice\"><h2 id=\"ir-advice\">");
	h_msg(h, M_IR_ADVICE);
	h_lit(h, "</h2><p>");
	h_msg(h, c->advice);
	h_lit(h, "</p></section>");
}

/* ---- making it ---- */

/* "Borttappad eller stulen utrustning eller lagringsmedia: Glömde datorn
 * på bussen i morse": the category's words up to its example, and the
 * first words of the description (whole words, so whole characters). */
static const char *compose_title(struct ctx *cx, const char *category, const char *description)
{
	const struct incident_category *c = incident_category(category);
	const char *label = msg_text(LANG_SV, c ? c->label : M_IN_CAT_OTHER);
	const char *cut = strstr(label, " (");
	const char *comma = strstr(label, ", ");
	struct buf b = BUF_INIT;
	const char *out;

	if (comma && (!cut || comma < cut))
		cut = comma;
	buf_add(&b, label, cut ? (size_t)(cut - label) : strlen(label));
	if (description) {
		const char *p = description;
		int words = 0;
		buf_puts(&b, ": ");
		while (*p && words < TITLE_WORDS) {
			const char *w;
			while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
				p++;
			w = p;
			while (*p && *p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
				p++;
			if (p == w || (size_t)(p - w) + b.len > TITLE_MAX)
				break;
			if (words)
				buf_putc(&b, ' ');
			buf_add(&b, w, (size_t)(p - w));
			words++;
		}
		if (!words)
			b.len -= 2, b.p[b.len] = 0;
		else if (*p)
			buf_puts(&b, " …");
	}
	out = buf_ok(&b) ? arena_strdup(cx->a, b.p) : arena_strdup(cx->a, "Incident");
	buf_release(&b);
	return out;
}

static const char *blank_null(const char *s)
{
	const char *p = s;

	while (p && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p && *p ? s : NULL;
}

int64_t report_create(struct ctx *cx, const struct report_input *in, const char *channel,
		      int64_t reporter, int64_t registered_by, struct field_errors *errs,
		      struct db_error *err)
{
	const char *v[IN__COUNT] = { 0 };
	struct org_ctx desk = *cx->org;
	struct ctx as = *cx;
	struct record rec;

	memset(err, 0, sizeof(*err));
	/* the desk covers every incident: the report is made on its
	 * authority, whoever sends it (the actor stays cx's) */
	desk.org_roles |= RB(ROLE_COORDINATOR);
	desk.roles |= RB(ROLE_COORDINATOR);
	as.org = &desk;
	v[IN_CATEGORY] = blank_null(in->category);
	v[IN_DESCRIPTION] = blank_null(in->description);
	v[IN_TITLE] = blank_null(in->title);
	if (!v[IN_TITLE] && v[IN_CATEGORY])
		v[IN_TITLE] = compose_title(cx, v[IN_CATEGORY], v[IN_DESCRIPTION]);
	v[IN_OCCURRED] = blank_null(in->occurred);
	v[IN_LOCATION] = blank_null(in->location);
	v[IN_INFORMATION] = blank_null(in->which);
	v[IN_PERSONAL] = blank_null(in->personal) ? in->personal : "unknown";
	v[IN_SYSTEM] = blank_null(in->system_id);
	v[IN_CHANNEL] = channel;
	v[IN_REPORTER] = reporter > 0 ? arena_printf(cx->a, "%lld", (long long)reporter) : NULL;
	v[IN_REGISTERED_BY] = registered_by > 0 ?
		arena_printf(cx->a, "%lld", (long long)registered_by) : NULL;
	v[IN_REPORTER_NAME] = blank_null(in->reporter_name);
	v[IN_REPORTER_CONTACT] = blank_null(in->reporter_contact);
	/* awareness earlier than the report only as the desk registers it */
	v[IN_AWARE] = registered_by > 0 ? blank_null(in->aware) : NULL;
	entity_record_from_values(&as, &in_incidents, v, &rec, errs);
	if (errs->n)
		return 0;
	rec.id = 0;
	if (entity_create(&as, &in_incidents, &rec, errs, err) != 0)
		return errs->n && !err->code ? 0 : -1;
	return rec.id;
}

static const char sql_my_systems[] =
	"SELECT id, name, name_sk FROM it_system WHERE owner_id = $2 AND org_id = $1"
	" AND archived = 0"
	" UNION SELECT s.id, s.name, s.name_sk FROM system_person sp"
	" JOIN it_system s ON s.id = sp.system_id AND s.archived = 0"
	" WHERE sp.person_id = $2 AND sp.org_id = $1 AND sp.archived = 0"
	" AND sp.role IN ('manager', 'administrator')"
	" ORDER BY 3, 1 LIMIT $3";

int report_my_systems(struct ctx *cx, int64_t person, struct db_rows *out, struct db_error *err)
{
	if (person <= 0) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return db_exec(cx->db, cx->a, sql_my_systems,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(person), DB_INT(REPORT_SYSTEMS_MAX)),
		       out, err);
}

/* A system chosen must be one of the reporter's own: the form offers no
 * other, and its owner and administrators are told (R-8-21). */
static int own_system(const struct db_rows *systems, const char *id)
{
	for (size_t i = 0; id && i < systems->nrows; i++)
		if (is(db_cell(systems, i, 0), id))
			return 1;
	return !id || !*id;
}

/* ---- the pages ---- */

static void form_page(struct req *q, struct resp *resp, const struct report_input *in,
		      const struct field_errors *errs, const struct db_rows *systems)
{
	struct ctx *cx = &q->cx;
	struct html h;

	page_begin(q, resp, &h, M_IR_TITLE);
	if (errs && errs->n)
		resp->status = 422;
	report_errors(&h, errs);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_IR_INTRO);
	h_lit(&h, "</p><form method=\"post\" class=\"record ir-form\" action=\"");
	h_url(&h, "/o/%s/report", cx->org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	report_fields(q, &h, REPORT_EMPLOYEE, in, errs, systems);
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_IR_SEND);
	h_lit(&h, "</button></div></form><p><a");
	h_href(&h, "/o/%s/my-reports", cx->org->slug);
	h_lit(&h, ">");
	h_msg(&h, M_IR_MY_REPORTS_LINK);
	h_lit(&h, "</a></p>");
	/* the security function also takes reports by phone and e-mail */
	if (cx->org->roles & ROLES_INCIDENT_DESK) {
		h_lit(&h, "<p><a");
		h_href(&h, "/o/%s/incidents/register", cx->org->slug);
		h_lit(&h, ">");
		h_msg(&h, M_IR_REGISTER_LINK);
		h_lit(&h, "</a></p>");
	}
	page_end(q, resp, &h);
}

/* GET /o/{org}/report */
static void report_get(struct req *q, struct resp *resp)
{
	struct report_input in;
	struct db_rows systems;
	struct db_error err;

	memset(&in, 0, sizeof(in));
	if (report_my_systems(&q->cx, q->cx.org->person_id, &systems, &err) != 0) {
		req_fail(q, "the reporter's systems", &err);
		return;
	}
	form_page(q, resp, &in, NULL, &systems);
}

/* POST /o/{org}/report: the incident, then the receipt (303). */
static void report_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct report_input in;
	struct field_errors errs = { .n = 0 };
	struct db_rows systems;
	struct db_error err;
	int64_t id;

	report_read(q, &in);
	if (report_my_systems(cx, cx->org->person_id, &systems, &err) != 0) {
		respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	if (!own_system(&systems, in.system_id)) {
		field_error_add(&errs, IN_SYSTEM, M_V_NOT_FOUND, "not_found");
		form_page(q, resp, &in, &errs, &systems);
		return;
	}
	id = report_create(cx, &in, "web", cx->org->person_id, 0, &errs, &err);
	if (id < 0) {
		respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	if (!id) {
		if (!errs.n)
			field_error_add(&errs, -1, M_IR_V_REFUSED, "conflict");
		form_page(q, resp, &in, &errs, &systems);
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/report/%lld", cx->org->slug,
					    (long long)id));
}

static const char sql_receipt[] =
	"SELECT receipt, category FROM incident WHERE id = $1 AND org_id = $2 AND reporter_id = $3";

/* GET /o/{org}/report/{id}: the receipt, for the reporter only. */
static void receipt_get(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;
	struct html h;

	if (cx->org->person_id <= 0) {
		respond_error(q, resp, 404);
		return;
	}
	if (db_exec(cx->db, cx->a, sql_receipt,
		    DB_ARGS(DB_INT(req_id(q)), DB_INT(cx->org->id), DB_INT(cx->org->person_id)), &r,
		    &err) != 0) {
		req_fail(q, "the receipt", &err);
		return;
	}
	if (r.nrows != 1) {
		respond_error(q, resp, 404);
		return;
	}
	page_begin(q, resp, &h, M_IR_RECEIPT_TITLE);
	h_lit(&h, "<div class=\"notice ir-receipt\" role=\"status\"><p>");
	h_msg(&h, M_IR_RECEIPT_NUMBER);
	h_lit(&h, ": <strong class=\"ir-number\">");
	h_text(&h, db_cell(&r, 0, 0));
	h_lit(&h, "</strong></p><p>");
	h_msg(&h, M_IR_RECEIPT_KEEP);
	h_lit(&h, "</p></div>");
	report_advice(&h, db_cell(&r, 0, 1));
	h_lit(&h, "<p>");
	h_msg(&h, M_IR_WHAT_NEXT);
	h_lit(&h, "</p><p class=\"actions\"><a class=\"button\"");
	h_href(&h, "/o/%s/my-reports/%lld", cx->org->slug, (long long)req_id(q));
	h_lit(&h, ">");
	h_msg(&h, M_IR_MINE_TITLE);
	h_lit(&h, "</a> <a");
	h_href(&h, "/o/%s/report", cx->org->slug);
	h_lit(&h, ">");
	h_msg(&h, M_IR_ANOTHER);
	h_lit(&h, "</a></p>");
	page_end(q, resp, &h);
}

/* ---- on someone's behalf (the security function) ---- */

static void register_page(struct req *q, struct resp *resp, const struct report_input *in,
			  const struct field_errors *errs)
{
	struct ctx *cx = &q->cx;
	struct html h;

	page_begin(q, resp, &h, M_IR_REGISTER_TITLE);
	if (errs && errs->n)
		resp->status = 422;
	report_errors(&h, errs);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_IR_REGISTER_INTRO);
	h_lit(&h, "</p><form method=\"post\" class=\"record ir-form\" action=\"");
	h_url(&h, "/o/%s/incidents/register", cx->org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	report_fields(q, &h, REPORT_REGISTER, in, errs, NULL);
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_IR_REGISTER_SEND);
	h_lit(&h, "</button></div></form>");
	page_end(q, resp, &h);
}

static void register_get(struct req *q, struct resp *resp)
{
	struct report_input in;

	memset(&in, 0, sizeof(in));
	register_page(q, resp, &in, NULL);
}

/* POST /o/{org}/incidents/register: registered_by the actor; the
 * incident's own page next. */
static void register_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct report_input in;
	struct field_errors errs = { .n = 0 };
	struct db_error err;
	const char *channel;
	int64_t id;

	report_read(q, &in);
	channel = is(in.channel, "email") ? "email" : "phone";
	id = report_create(cx, &in, channel, 0, cx->org->person_id > 0 ? cx->org->person_id : 0,
			   &errs, &err);
	if (id < 0) {
		respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	if (!id) {
		if (!errs.n)
			field_error_add(&errs, -1, M_IR_V_REFUSED, "conflict");
		register_page(q, resp, &in, &errs);
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/incidents/%lld", cx->org->slug,
					    (long long)id));
}

#define REPORT_PARAMS \
	{ "csrf", P_STR, 128 }, \
	{ "category", P_STR, 40 }, \
	{ "title", P_STR, 1000 }, \
	{ "description", P_STR, 40000 }, \
	{ "occurred_at", P_STR, 40 }, \
	{ "location", P_STR, 1500 }, \
	{ "information_text", P_STR, 2500 }, \
	{ "personal_data", P_STR, 20 }, \
	{ "system_id", P_STR, 20 }

static const struct param report_params[] = {
	REPORT_PARAMS,
	{ NULL, 0, 0 },
};

static const struct param register_params[] = {
	REPORT_PARAMS,
	{ "channel", P_STR, 20 },
	{ "reporter_name", P_STR, 1000 },
	{ "reporter_contact", P_STR, 1000 },
	{ "aware_at", P_STR, 40 },
	{ NULL, 0, 0 },
};

const struct route incident_report_routes[] = {
	{ "GET", "/o/{org}/report", report_get, ROLES_ANY, 0, 0, NULL, NULL },
	{ "POST", "/o/{org}/report", report_post, ROLES_ANY, 0, BODY_FORM, report_params, NULL },
	{ "GET", "/o/{org}/report/{id}", receipt_get, ROLES_ANY, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/incidents/register", register_get, ROLES_INCIDENT_DESK, 0, 0, NULL,
	  NULL },
	{ "POST", "/o/{org}/incidents/register", register_post, ROLES_INCIDENT_DESK, 0, BODY_FORM,
	  register_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
