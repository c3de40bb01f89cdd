/* obligations.c - the reporting rules and an incident's obligations (the
 * rules in obligations.h). */
#include "base/base.h"

#include <jansson.h>

#include "base/clock.h"
#include "base/embedded.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/incidents/deadline.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/obligations.h"

extern const struct embedded_file reporting_rules_files[]; /* meson: reporting_rules.json */

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static int flag(const char *v)
{
	return is(v, "1");
}

/* ---- the rules register ---- */

static const struct choice trigger_choices[] = {
	{ "duty_personal", M_IN_F_DUTY_PERSONAL },
	{ "duty_high_risk", M_IN_F_DUTY_HIGH_RISK },
	{ "duty_nis2", M_IN_F_DUTY_NIS2 },
	{ "duty_sapo", M_IN_F_DUTY_SAPO },
	{ "duty_care", M_IN_F_DUTY_CARE },
	{ "duty_crime", M_IN_F_DUTY_CRIME },
	{ NULL, 0 },
};

static const struct choice kind_choices[] = {
	{ "notification", M_IO_KIND_NOTIFICATION },
	{ "communication", M_IO_KIND_COMMUNICATION },
	{ "early_warning", M_IO_KIND_EARLY_WARNING },
	{ "final_report", M_IO_KIND_FINAL_REPORT },
	{ "progress_report", M_IO_KIND_PROGRESS_REPORT },
	{ "report", M_IO_KIND_REPORT },
	{ NULL, 0 },
};

static const struct choice unit_choices[] = {
	{ "hours", M_IO_UNIT_HOURS },
	{ "days", M_IO_UNIT_DAYS },
	{ "months", M_IO_UNIT_MONTHS },
	{ "without_delay", M_IO_UNIT_WITHOUT_DELAY },
	{ NULL, 0 },
};

#define RULE_DATA(col, label, type, flags, choices) \
	{ col, label, 0, type, 0, 8000, FF_NO_FORM | (flags), choices, NULL, 0 }

static const struct entity_field rule_fields[] = {
	[RR_CODE] = RULE_DATA("code", M_IO_F_CODE, F_TEXT, FF_LIST, NULL),
	[RR_TITLE] = RULE_DATA("title", M_IO_F_TITLE, F_TEXT, FF_LIST | FF_SORT | FF_SEARCH, NULL),
	[RR_TRIGGER] = RULE_DATA("trigger_on", M_IO_F_TRIGGER, F_ENUM, FF_LIST, trigger_choices),
	[RR_RECEIVER] = RULE_DATA("receiver", M_IO_F_RECEIVER, F_TEXT, 0, NULL),
	[RR_RECEIVER_NAME] = { "receiver_name", M_IO_F_RECEIVER_NAME, M_IO_H_RECEIVER_NAME, F_TEXT,
			       1, 200, FF_REQUIRED | FF_LIST | FF_SEARCH, NULL, NULL, 0 },
	[RR_CONTACT] = { "receiver_contact", M_IO_F_CONTACT, M_IO_H_CONTACT, F_TEXT, 0, 500, 0,
			 NULL, NULL, 0 },
	[RR_KIND] = RULE_DATA("kind", M_IO_F_KIND, F_ENUM, FF_LIST, kind_choices),
	[RR_AMOUNT] = { "deadline_amount", M_IO_F_AMOUNT, 0, F_INT, 0, 1200, FF_NO_FORM, NULL,
			NULL, 0 },
	[RR_UNIT] = RULE_DATA("deadline_unit", M_IO_F_UNIT, F_ENUM, 0, unit_choices),
	[RR_AFTER] = RULE_DATA("after_kind", M_IO_F_AFTER, F_ENUM, 0, kind_choices),
	[RR_CONTENT] = RULE_DATA("content", M_IO_F_CONTENT, F_LONGTEXT, 0, NULL),
	[RR_SOURCE] = RULE_DATA("source_ref", M_IO_F_SOURCE, F_TEXT, 0, NULL),
	[RR_DRAFT] = RULE_DATA("draft", M_IO_F_DRAFT, F_TEXT, 0, NULL),
	[RR_VERSION] = RULE_DATA("rules_version", M_IO_F_VERSION, F_TEXT, 0, NULL),
	[RR_ACTIVE] = { "active", M_IO_F_ACTIVE, M_IO_H_ACTIVE, F_BOOL, 0, 0, FF_LIST, NULL, NULL,
			0 },
	{ NULL },
};

struct entity in_reporting_rules = {
	.name = "reporting-rules",
	.table = "reporting_rule",
	.label_one = M_IO_RULE,
	.label_many = M_IO_RULES,
	.label_new = M_IO_RULE_NEW,
	.intro = M_IO_RULES_INTRO,
	.fields = rule_fields,
	.title_field = RR_TITLE,
	.roles_read = ROLES_INCIDENT_DESK,
	.roles_write = ROLES_INCIDENT_DESK,
};

static const char *rules_json(size_t *len)
{
	const struct embedded_file *f = embedded_find(reporting_rules_files, "reporting_rules.json");

	*len = f ? f->len : 0;
	return f ? f->data : NULL;
}

const char *reporting_rules_version(void)
{
	return "2026-1";
}

static const char sql_has_rules[] = "SELECT id FROM reporting_rule WHERE org_id = $1 LIMIT 1";

static const char *jtext(struct arena *a, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? arena_strdup(a, s) : NULL;
}

/* The organisation's copy is Värn's data, not the actor's: it is written
 * with the security function's rights whoever's write needed it first
 * (an assessment by a handler), and audited as every engine write. */
struct as_desk {
	const struct org_ctx *saved;
	struct org_ctx desk;
};

static void desk_begin(struct ctx *cx, struct as_desk *d)
{
	d->saved = cx->org;
	d->desk = *cx->org;
	d->desk.roles |= ROLES_INCIDENT_DESK;
	d->desk.org_roles |= ROLES_INCIDENT_DESK;
	cx->org = &d->desk;
}

static void desk_end(struct ctx *cx, struct as_desk *d)
{
	cx->org = d->saved;
}

int reporting_rules_ensure(struct ctx *cx, struct db_error *err)
{
	struct db_rows r;
	size_t len, i;
	const char *text = rules_json(&len);
	json_error_t je;
	json_t *root, *rules, *x;
	const char *version;
	struct as_desk d;
	int rc = 0;

	if (db_exec(cx->db, cx->a, sql_has_rules, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	if (r.nrows)
		return 0;
	if (!text || !(root = json_loadb(text, len, 0, &je)))
		BUG("reporting_rules.json does not read");
	version = jtext(cx->a, root, "version");
	rules = json_object_get(root, "rules");
	desk_begin(cx, &d);
	json_array_foreach(rules, i, x) {
		const char *v[RR__COUNT + 1] = { 0 };
		json_t *dl = json_object_get(x, "deadline");

		v[RR_CODE] = jtext(cx->a, x, "code");
		v[RR_TITLE] = jtext(cx->a, x, "title");
		v[RR_TRIGGER] = jtext(cx->a, x, "trigger");
		v[RR_RECEIVER] = jtext(cx->a, x, "receiver");
		v[RR_RECEIVER_NAME] = jtext(cx->a, x, "receiver_name");
		v[RR_CONTACT] = jtext(cx->a, x, "receiver_contact");
		v[RR_KIND] = jtext(cx->a, x, "kind");
		v[RR_AMOUNT] = arena_printf(cx->a, "%lld",
					    (long long)json_integer_value(json_object_get(dl, "amount")));
		v[RR_UNIT] = jtext(cx->a, dl, "unit");
		v[RR_AFTER] = jtext(cx->a, x, "after_kind");
		v[RR_CONTENT] = jtext(cx->a, x, "content");
		v[RR_SOURCE] = jtext(cx->a, x, "source");
		v[RR_DRAFT] = jtext(cx->a, x, "draft");
		v[RR_VERSION] = version;
		v[RR_ACTIVE] = "1";
		if (!entity_create_values(cx, &in_reporting_rules, v, err)) {
			rc = -1;
			break;
		}
	}
	desk_end(cx, &d);
	json_decref(root);
	return rc;
}

/* ---- the obligations register ---- */

static const struct choice status_choices[] = {
	{ OBL_PENDING, M_IO_ST_PENDING },
	{ OBL_DISCHARGED, M_IO_ST_DISCHARGED },
	{ OBL_WAIVED, M_IO_ST_WAIVED },
	{ NULL, 0 },
};

static const struct choice how_choices[] = {
	{ "e_service", M_IO_HOW_E_SERVICE },
	{ "email", M_IO_HOW_EMAIL },
	{ "phone", M_IO_HOW_PHONE },
	{ "letter", M_IO_HOW_LETTER },
	{ NULL, 0 },
};

#define DERIVED(col, label, type, flags, choices) \
	{ col, label, 0, type, 0, 8000, FF_NO_FORM | (flags), choices, NULL, 0 }

static const struct entity_field obligation_fields[] = {
	[OB_INCIDENT] = { "incident_id", M_IN_INCIDENT, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_NO_FORM | FF_LIST | FF_FILTER, NULL, &in_incidents, 0 },
	[OB_RULE] = { "rule_id", M_IO_RULE, 0, F_REF, 0, 0, FF_NO_FORM, NULL, &in_reporting_rules,
		      0 },
	[OB_TITLE] = DERIVED("title", M_IO_F_TITLE, F_TEXT, FF_LIST | FF_SORT | FF_SEARCH, NULL),
	[OB_RECEIVER] = DERIVED("receiver", M_IO_F_RECEIVER, F_TEXT, FF_LIST, NULL),
	[OB_KIND] = DERIVED("kind", M_IO_F_KIND, F_ENUM, FF_LIST | FF_FILTER, kind_choices),
	[OB_STARTS] = DERIVED("starts_at", M_IO_F_STARTS, F_DATETIME, 0, NULL),
	[OB_DUE] = DERIVED("due_at", M_IO_F_DUE, F_DATETIME, FF_LIST, NULL),
	[OB_STATUS] = { "status", M_IO_F_STATUS, 0, F_ENUM, 0, 0, FF_REQUIRED | FF_LIST | FF_FILTER,
			status_choices, NULL, 0 },
	[OB_DISCHARGED] = DERIVED("discharged_at", M_IO_F_DISCHARGED, F_DATETIME, FF_LIST, NULL),
	[OB_HOW] = DERIVED("discharged_how", M_IO_F_HOW, F_ENUM, 0, how_choices),
	[OB_REF] = DERIVED("receiver_ref", M_IO_F_REF, F_TEXT, 0, NULL),
	[OB_DELAY] = DERIVED("delay_reason", M_IO_F_DELAY, F_LONGTEXT, 0, NULL),
	[OB_WAIVE] = DERIVED("waive_reason", M_IO_F_WAIVE, F_LONGTEXT, 0, NULL),
	[OB_WARNED] = { "warned", M_IO_F_WARNED, 0, F_INT, 0, 7, FF_NO_FORM, NULL, NULL, 0 },
	{ NULL },
};

static const char *const from_pending[] = { OBL_PENDING, NULL };

static const struct entity_field discharge_params[] = {
	{ "when", M_IO_P_WHEN, M_IO_H_WHEN, F_DATETIME, 0, 0, FF_REQUIRED, NULL, NULL, 0 },
	{ "how", M_IO_F_HOW, 0, F_ENUM, 0, 0, FF_REQUIRED, how_choices, NULL, 0 },
	{ "reference", M_IO_F_REF, M_IO_H_REF, F_TEXT, 1, 200, FF_REQUIRED, NULL, NULL, 0 },
	{ "reason_for_delay", M_IO_F_DELAY, M_IO_H_DELAY, F_LONGTEXT, 0, 4000, 0, NULL, NULL, 0 },
	{ NULL },
};

static const struct entity_field waive_params[] = {
	{ "reason", M_IO_F_WAIVE, M_IO_H_WAIVE, F_LONGTEXT, 1, 4000, FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

static int moment(const char *v, int64_t *t)
{
	return v && clock_parse_moment(v, t) == 0 ? 0 : -1;
}

/* Discharged only with when (not in the future), how and the receiver's
 * reference; after the deadline only with the reason (GDPR art. 33.1). */
static int discharge_rule(struct ctx *cx, const struct entity *e,
			  const struct entity_transition *t, struct record *rec,
			  const struct record *old, const char *const *pv,
			  struct field_errors *errs, struct db_error *err)
{
	int64_t when, due;

	(void)t, (void)old, (void)err;
	if (moment(pv[0], &when) != 0) {
		field_error_add(errs, (int)e->nfields + 0, M_V_BAD_DATETIME, "invalid");
		return 0;
	}
	if (when > cx->now) {
		field_error_add(errs, (int)e->nfields + 0, M_IO_V_FUTURE, "invalid");
		return 0;
	}
	if (moment(rec->v[OB_DUE], &due) == 0 && when > due && (!pv[3] || !*pv[3])) {
		field_error_add(errs, (int)e->nfields + 3, M_IO_V_DELAY_REASON, "required");
		return 0;
	}
	rec->v[OB_DISCHARGED] = clock_format_iso(cx->a, when);
	rec->v[OB_HOW] = pv[1];
	rec->v[OB_REF] = pv[2];
	rec->v[OB_DELAY] = pv[3] && *pv[3] ? pv[3] : NULL;
	return 0;
}

static int waive_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		      struct record *rec, const struct record *old, const char *const *pv,
		      struct field_errors *errs, struct db_error *err)
{
	(void)cx, (void)e, (void)t, (void)old, (void)errs, (void)err;
	rec->v[OB_WAIVE] = pv[0];
	return 0;
}

static const struct entity_transition obligation_transitions[] = {
	{ .name = "discharge", .label = M_IO_T_DISCHARGE, .help = M_IO_T_DISCHARGE_HELP,
	  .field = "status", .from = from_pending, .to = OBL_DISCHARGED,
	  .params = discharge_params, .rule = discharge_rule, .own_button = 1 },
	{ .name = "waive", .label = M_IO_T_WAIVE, .help = M_IO_T_WAIVE_HELP, .field = "status",
	  .from = from_pending, .to = OBL_WAIVED, .params = waive_params, .rule = waive_rule,
	  .own_button = 1 },
	{ .name = NULL },
};

/* The reports counted from this one's discharge (the NIS2 final report
 * after the notification) get their deadline now: calendar time from
 * when it was actually sent. */
static const char sql_followers[] =
	"SELECT o.id, r.deadline_amount, r.deadline_unit, o.due_at, o.starts_at"
	" FROM incident_obligation o JOIN reporting_rule r ON r.id = o.rule_id"
	" WHERE o.incident_id = $1 AND o.archived = 0 AND o.status = 'pending'"
	" AND r.after_kind = $2 AND r.receiver = $3";
static const char sql_set_due[] =
	"UPDATE incident_obligation SET starts_at = $1, due_at = $2, version = version + 1,"
	" updated_at = $3 WHERE id = $4";

static int start_followers(struct ctx *cx, const struct record *rec, int64_t incident,
			   struct db_error *err)
{
	struct db_rows r;
	int64_t from;

	if (moment(rec->v[OB_DISCHARGED], &from) != 0)
		return 0;
	if (db_exec(cx->db, cx->a, sql_followers,
		    DB_ARGS(DB_INT(incident), DB_TEXT(rec->v[OB_KIND]), DB_TEXT(rec->v[OB_RECEIVER])),
		    &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int64_t due;
		const char *due_s, *from_s = clock_format_iso(cx->a, from);
		struct audit_event ev = { 0 };

		if (deadline_due(from, db_cell_i64(&r, i, 1), db_cell(&r, i, 2), &due) != 0)
			continue;
		due_s = clock_format_iso(cx->a, due);
		if (db_exec(cx->db, cx->a, sql_set_due,
			    DB_ARGS(DB_TEXT(from_s), DB_TEXT(due_s), DB_INT(cx->now),
				    DB_INT(db_cell_i64(&r, i, 0))), NULL, err) != 0)
			return -1;
		audit_from_ctx(cx, &ev);
		ev.action = "update";
		ev.entity = in_obligations.name;
		ev.entity_id = db_cell_i64(&r, i, 0);
		ev.summary = "due_at";
		ev.before = db_cell(&r, i, 3) ? arena_printf(cx->a, "{\"due_at\":\"%s\"}",
							      db_cell(&r, i, 3)) : NULL;
		ev.after = arena_printf(cx->a, "{\"starts_at\":\"%s\",\"due_at\":\"%s\"}", from_s,
					due_s);
		if (audit_append(cx->db, cx->a, &ev, err) != 0)
			return -1;
	}
	return 0;
}

/* A discharge is an entry of the incident's timeline; it may start the
 * clock of a report counted from it. */
static int obligation_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
				  const struct record *old, struct db_error *err)
{
	int64_t incident;
	const char *body;

	if (!old || is(old->v[OB_STATUS], rec->v[OB_STATUS]) ||
	    parse_i64(rec->v[OB_INCIDENT], &incident) != 0)
		return 0;
	if (is(rec->v[OB_STATUS], OBL_DISCHARGED)) {
		int64_t when = 0;

		moment(rec->v[OB_DISCHARGED], &when);
		body = msg_fill(cx->a, msg_fill(cx->a, msg_fill(cx->a,
				msg_text(cx->lang, M_IO_EV_DISCHARGED), "{title}", rec->v[OB_TITLE]),
				"{when}", clock_format_local(cx->a, when)),
				"{how}", entity_display(cx, e, rec, OB_HOW));
		body = msg_fill(cx->a, body, "{ref}", rec->v[OB_REF] ? rec->v[OB_REF] : "");
		if (rec->v[OB_DELAY])
			body = arena_printf(cx->a, "%s %s", body, rec->v[OB_DELAY]);
		if (incident_event_add(cx, incident, "obligation", NULL, NULL, body, 1, err) != 0)
			return -1;
		return start_followers(cx, rec, incident, err);
	}
	body = msg_fill(cx->a, msg_fill(cx->a, msg_text(cx->lang, M_IO_EV_WAIVED), "{title}",
					rec->v[OB_TITLE]), "{reason}",
			rec->v[OB_WAIVE] ? rec->v[OB_WAIVE] : "");
	return incident_event_add(cx, incident, "obligation", NULL, NULL, body, 1, err);
}

struct entity in_obligations = {
	.name = "incident-obligations",
	.table = "incident_obligation",
	.label_one = M_IO_OBLIGATION,
	.label_many = M_IO_OBLIGATIONS,
	.label_new = M_IO_OBLIGATION_NEW,
	.intro = M_IO_OBLIGATIONS_INTRO,
	.fields = obligation_fields,
	.title_field = OB_TITLE,
	.roles_read = ROLES_INCIDENT_DESK,
	.roles_write = ROLES_INCIDENT_GATE,
	.parent_field = "incident_id",
	.parent_path = "obligations",
	.transitions = obligation_transitions,
	.after_write = obligation_after_write,
};

/* ---- from the incident's answers ---- */

static const struct { int field; const char *trigger; } duties[] = {
	{ IN_DUTY_PERSONAL, "duty_personal" },
	{ IN_DUTY_HIGH_RISK, "duty_high_risk" },
	{ IN_DUTY_NIS2, "duty_nis2" },
	{ IN_DUTY_SAPO, "duty_sapo" },
	{ IN_DUTY_CARE, "duty_care" },
	{ IN_DUTY_CRIME, "duty_crime" },
};

static const char sql_rules_of[] =
	"SELECT r.id, r.title, r.receiver, r.kind, r.deadline_amount, r.deadline_unit,"
	" r.after_kind FROM reporting_rule r WHERE r.org_id = $1 AND r.trigger_on = $2"
	" AND r.active = 1 AND r.archived = 0"
	" AND NOT EXISTS (SELECT 1 FROM incident_obligation o WHERE o.incident_id = $3"
	"  AND o.rule_id = r.id AND o.archived = 0 AND o.status <> 'waived')"
	" ORDER BY r.id";
static const char sql_pending_of[] =
	"SELECT o.id, o.version FROM incident_obligation o JOIN reporting_rule r ON r.id = o.rule_id"
	" WHERE o.incident_id = $1 AND o.archived = 0 AND o.status = 'pending'"
	" AND r.trigger_on = $2 ORDER BY o.id";

static int obligations_add(struct ctx *cx, const struct record *inc, const char *trigger,
			   int64_t aware, struct db_error *err)
{
	struct db_rows r;

	if (reporting_rules_ensure(cx, err) != 0)
		return -1;
	if (db_exec(cx->db, cx->a, sql_rules_of,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(trigger), DB_INT(inc->id)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *v[OB__COUNT + 1] = { 0 };
		int64_t due;

		v[OB_INCIDENT] = arena_printf(cx->a, "%lld", (long long)inc->id);
		v[OB_RULE] = db_cell(&r, i, 0);
		v[OB_TITLE] = db_cell(&r, i, 1);
		v[OB_RECEIVER] = db_cell(&r, i, 2);
		v[OB_KIND] = db_cell(&r, i, 3);
		v[OB_STATUS] = OBL_PENDING;
		v[OB_WARNED] = "0";
		/* counted from another report: its clock starts when that
		 * one is sent */
		if (!db_cell(&r, i, 6)) {
			v[OB_STARTS] = clock_format_iso(cx->a, aware);
			if (deadline_due(aware, db_cell_i64(&r, i, 4), db_cell(&r, i, 5), &due) == 0)
				v[OB_DUE] = clock_format_iso(cx->a, due);
		}
		if (!entity_create_values(cx, &in_obligations, v, err))
			return -1;
	}
	return 0;
}

static int obligations_waive(struct ctx *cx, const struct record *inc, const char *trigger,
			     struct db_error *err)
{
	struct db_rows r;
	const char *reason = msg_text(cx->lang, M_IO_WAIVE_ASSESSMENT);

	if (db_exec(cx->db, cx->a, sql_pending_of, DB_ARGS(DB_INT(inc->id), DB_TEXT(trigger)), &r,
		    err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		struct field_errors errs = { .n = 0 };
		const char *pv[] = { reason };

		if (entity_transition(cx, &in_obligations, db_cell_i64(&r, i, 0),
				      db_cell_i64(&r, i, 1), "waive", pv, &errs, err) != 0) {
			if (!err->code) {
				err->code = DBE_CHECK;
				snprintf(err->msg, sizeof(err->msg), "an obligation could not be waived");
			}
			return -1;
		}
	}
	return 0;
}

int incident_obligations_sync(struct ctx *cx, const struct record *rec, const struct record *old,
			      struct db_error *err)
{
	struct as_desk d;
	int64_t aware;
	int rc = 0;

	if (moment(rec->v[IN_AWARE], &aware) != 0)
		return 0;
	/* the obligations follow from the incident the actor may change; they
	 * are the system's derivation, written with the desk's rights */
	desk_begin(cx, &d);
	for (size_t i = 0; i < ARRAY_SIZE(duties) && rc == 0; i++) {
		int now = flag(rec->v[duties[i].field]) && !rec->archived;
		int was = old && flag(old->v[duties[i].field]) && !old->archived;

		if (now && !was)
			rc = obligations_add(cx, rec, duties[i].trigger, aware, err);
		else if (!now && was)
			rc = obligations_waive(cx, rec, duties[i].trigger, err);
	}
	desk_end(cx, &d);
	return rc;
}
