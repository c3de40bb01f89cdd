/* incidents.c - the registers of incident handling: incidents, the systems
 * and information sets they affect; the states, the assessment, the
 * timeline and who may read them (incidents.h states the rules). */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/incidents/compilation.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/obligations.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int flag(const char *v)
{
	return v && strcmp(v, "1") == 0;
}

static int64_t int_or(const char *v, int64_t dflt)
{
	int64_t x;

	return v && parse_i64(v, &x) == 0 ? x : dflt;
}

/* ---- the categories (R-8-04..R-8-09), non-IT first ---- */

const struct incident_category incident_categories[] = {
	{ "lost_equipment", M_IN_CAT_LOST, M_IN_ADVICE_LOST,
	  "information-content-security/data-loss", "human_error" },
	{ "wrong_recipient", M_IN_CAT_WRONG_RECIPIENT, M_IN_ADVICE_WRONG_RECIPIENT,
	  "information-content-security/data-leak", "human_error" },
	{ "left_visible", M_IN_CAT_LEFT_VISIBLE, M_IN_ADVICE_LEFT_VISIBLE,
	  "information-content-security/unauthorised-information-access", "human_error" },
	{ "talked", M_IN_CAT_TALKED, M_IN_ADVICE_TALKED,
	  "information-content-security/data-leak", "human_error" },
	{ "suspicious_call", M_IN_CAT_CALL, M_IN_ADVICE_CALL,
	  "information-gathering/social-engineering", "malicious" },
	{ "phishing", M_IN_CAT_PHISHING, M_IN_ADVICE_PHISHING, "fraud/phishing", "malicious" },
	{ "unauthorised_access", M_IN_CAT_INTRUSION, M_IN_ADVICE_INTRUSION,
	  "intrusions/system-compromise", "malicious" },
	{ "malware", M_IN_CAT_MALWARE, M_IN_ADVICE_MALWARE, "malicious-code/infected-system",
	  "malicious" },
	{ "outage", M_IN_CAT_OUTAGE, M_IN_ADVICE_OUTAGE, "availability/outage", "system_failure" },
	{ "vulnerability", M_IN_CAT_VULNERABILITY, M_IN_ADVICE_VULNERABILITY,
	  "vulnerable/vulnerable-system", "system_failure" },
	{ "other", M_IN_CAT_OTHER, M_IN_ADVICE_OTHER, "other/undetermined", NULL },
	{ NULL, 0, 0, NULL, NULL },
};

const struct choice incident_category_choices[] = {
	{ "lost_equipment", M_IN_CAT_LOST },
	{ "wrong_recipient", M_IN_CAT_WRONG_RECIPIENT },
	{ "left_visible", M_IN_CAT_LEFT_VISIBLE },
	{ "talked", M_IN_CAT_TALKED },
	{ "suspicious_call", M_IN_CAT_CALL },
	{ "phishing", M_IN_CAT_PHISHING },
	{ "unauthorised_access", M_IN_CAT_INTRUSION },
	{ "malware", M_IN_CAT_MALWARE },
	{ "outage", M_IN_CAT_OUTAGE },
	{ "vulnerability", M_IN_CAT_VULNERABILITY },
	{ "other", M_IN_CAT_OTHER },
	{ NULL, 0 },
};

const struct incident_category *incident_category(const char *code)
{
	for (const struct incident_category *c = incident_categories; code && c->code; c++)
		if (strcmp(c->code, code) == 0)
			return c;
	return NULL;
}

const struct choice incident_state_choices[] = {
	{ INC_REPORTED, M_IN_ST_REPORTED },
	{ INC_RECEIVED, M_IN_ST_RECEIVED },
	{ INC_ASSESSED, M_IN_ST_ASSESSED },
	{ INC_REMEDIATING, M_IN_ST_REMEDIATING },
	{ INC_RESTORED, M_IN_ST_RESTORED },
	{ INC_INVESTIGATED, M_IN_ST_INVESTIGATED },
	{ INC_CLOSED, M_IN_ST_CLOSED },
	{ INC_NOT_INCIDENT, M_IN_ST_NOT_INCIDENT },
	{ NULL, 0 },
};

/* MSB's groups of root causes */
const struct choice incident_root_group_choices[] = {
	{ "system_failure", M_IN_ROOT_SYSTEM },
	{ "natural", M_IN_ROOT_NATURAL },
	{ "human_error", M_IN_ROOT_HUMAN },
	{ "malicious", M_IN_ROOT_MALICIOUS },
	{ "third_party", M_IN_ROOT_THIRD_PARTY },
	{ NULL, 0 },
};

static const struct choice personal_choices[] = {
	{ "unknown", M_IN_PD_UNKNOWN }, { "yes", M_YES }, { "no", M_NO }, { NULL, 0 },
};

static const struct choice channel_choices[] = {
	{ "web", M_IN_CH_WEB },
	{ "intake", M_IN_CH_INTAKE },
	{ "phone", M_IN_CH_PHONE },
	{ "email", M_IN_CH_EMAIL },
	{ "monitoring", M_IN_CH_MONITORING },
	{ "api", M_IN_CH_API },
	{ NULL, 0 },
};

static const struct choice spread_choices[] = {
	{ "one", M_IN_SPREAD_ONE },
	{ "unit", M_IN_SPREAD_UNIT },
	{ "several_units", M_IN_SPREAD_SEVERAL },
	{ "organisation", M_IN_SPREAD_ORG },
	{ "external", M_IN_SPREAD_EXTERNAL },
	{ NULL, 0 },
};

static const struct choice urgency_choices[] = {
	{ "low", M_IN_URG_LOW },
	{ "normal", M_IN_URG_NORMAL },
	{ "high", M_IN_URG_HIGH },
	{ "immediate", M_IN_URG_IMMEDIATE },
	{ NULL, 0 },
};

/* ---- incidents ---- */

#define NOFORM (FF_NO_FORM | FF_NO_IMPORT)
#define MOMENT(col, label, more) \
	{ col, label, 0, F_DATETIME, 0, 0, NOFORM | (more), NULL, NULL, M_IN_G_PROGRESS }
#define DUTY(col, label, help) \
	{ col, label, help, F_BOOL, 0, 0, 0, NULL, NULL, M_IN_G_DUTIES }

static const struct entity_field incident_fields[] = {
	[IN_RECEIPT] = { "receipt", M_IN_F_RECEIPT, 0, F_TEXT, 0, 40,
			 NOFORM | FF_LIST | FF_SEARCH | FF_UNIQUE | FF_SUMMARY, NULL, NULL, 0 },
	[IN_TITLE] = { "title", M_IN_F_TITLE, M_IN_H_TITLE, F_TEXT, 1, 200,
		       FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL, 0 },
	[IN_CATEGORY] = { "category", M_IN_F_CATEGORY, 0, F_ENUM, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, incident_category_choices, NULL, 0 },
	[IN_DESCRIPTION] = { "description", M_IN_F_DESCRIPTION, M_IN_H_DESCRIPTION, F_LONGTEXT,
			     0, 8000, FF_SEARCH, NULL, NULL, 0 },
	[IN_OCCURRED] = { "occurred_at", M_IN_F_OCCURRED, M_IN_H_OCCURRED, F_DATETIME, 0, 0, 0,
			  NULL, NULL, 0 },
	[IN_AWARE] = { "aware_at", M_IN_F_AWARE, M_IN_H_AWARE, F_DATETIME, 0, 0,
		       FF_NO_IMPORT | FF_SUMMARY,
		       NULL, NULL, 0 },
	[IN_REPORTED] = { "reported_at", M_IN_F_REPORTED, 0, F_DATETIME, 0, 0,
			  NOFORM | FF_LIST | FF_SORT | FF_SUMMARY | FF_SET, NULL, NULL, 0 },
	[IN_LOCATION] = { "location", M_IN_F_LOCATION, M_IN_H_LOCATION, F_TEXT, 0, 300, FF_SEARCH,
			  NULL, NULL, 0 },
	[IN_UNIT] = { "unit_id", M_IN_F_UNIT, 0, F_REF, 0, 0, FF_FILTER, NULL, &org_units, 0 },
	[IN_SYSTEM] = { "system_id", M_IN_F_SYSTEM, M_IN_H_SYSTEM, F_REF, 0, 0, FF_FILTER, NULL,
			&sys_systems, 0 },
	[IN_INFORMATION] = { "information_text", M_IN_F_INFORMATION, M_IN_H_INFORMATION, F_TEXT,
			     0, 500, FF_SEARCH, NULL, NULL, 0 },
	[IN_PERSONAL] = { "personal_data", M_IN_F_PERSONAL, M_IN_H_PERSONAL, F_ENUM, 0, 0,
			  FF_REQUIRED | FF_FILTER, personal_choices, NULL, 0 },
	[IN_REPORTER] = { "reporter_id", M_IN_F_REPORTER, 0, F_REF, 0, 0, NOFORM, NULL,
			  &org_people, M_IN_G_REPORTER },
	[IN_REPORTER_NAME] = { "reporter_name", M_IN_F_REPORTER_NAME, 0, F_TEXT, 0, 200, 0, NULL,
			       NULL, M_IN_G_REPORTER },
	[IN_REPORTER_CONTACT] = { "reporter_contact", M_IN_F_REPORTER_CONTACT, 0, F_TEXT, 0, 200,
				  0, NULL, NULL, M_IN_G_REPORTER },
	[IN_CHANNEL] = { "channel", M_IN_F_CHANNEL, 0, F_ENUM, 0, 0, FF_FILTER, channel_choices,
			 NULL, M_IN_G_REPORTER },
	[IN_REGISTERED_BY] = { "registered_by", M_IN_F_REGISTERED_BY, 0, F_REF, 0, 0, NOFORM, NULL,
			       &org_people, M_IN_G_REPORTER },
	[IN_STATE] = { "state", M_IN_F_STATE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER | FF_SUMMARY,
		       incident_state_choices, NULL, 0 },
	[IN_HANDLER] = { "handler_id", M_IN_F_HANDLER, M_IN_H_HANDLER, F_REF, 0, 0,
			 FF_LIST | FF_FILTER | FF_SUMMARY, NULL, &org_people, 0 },
	/* the assessment (R-8-12) */
	[IN_CONSEQUENCE] = { "consequence", M_IN_F_CONSEQUENCE, M_IN_H_CONSEQUENCE, F_INT, 0, 4, 0,
			     NULL, NULL, M_IN_G_ASSESSMENT },
	[IN_HARM_C] = { "harm_c", M_IN_F_HARM_C, 0, F_BOOL, 0, 0, 0, NULL, NULL,
			M_IN_G_ASSESSMENT },
	[IN_HARM_I] = { "harm_i", M_IN_F_HARM_I, 0, F_BOOL, 0, 0, 0, NULL, NULL,
			M_IN_G_ASSESSMENT },
	[IN_HARM_A] = { "harm_a", M_IN_F_HARM_A, 0, F_BOOL, 0, 0, 0, NULL, NULL,
			M_IN_G_ASSESSMENT },
	[IN_SPREAD] = { "spread", M_IN_F_SPREAD, 0, F_ENUM, 0, 0, 0, spread_choices, NULL,
			M_IN_G_ASSESSMENT },
	[IN_URGENCY] = { "urgency", M_IN_F_URGENCY, 0, F_ENUM, 0, 0, 0, urgency_choices, NULL,
			 M_IN_G_ASSESSMENT },
	[IN_SEVERITY] = { "severity", M_IN_F_SEVERITY, 0, F_INT, 1, 4,
			  NOFORM | FF_LIST | FF_FILTER | FF_SUMMARY, NULL, NULL, M_IN_G_ASSESSMENT },
	[IN_SEVERITY_WHY] = { "severity_why", M_IN_F_SEVERITY_WHY, 0, F_LONGTEXT, 0, 2000,
			      NOFORM | FF_SUMMARY, NULL, NULL, M_IN_G_ASSESSMENT },
	[IN_CLASS_LEVEL] = { "class_level", M_IN_F_CLASS_LEVEL, 0, F_INT, 0, 4, NOFORM | FF_SUMMARY,
			     NULL, NULL, M_IN_G_ASSESSMENT },
	[IN_TAXONOMY] = { "taxonomy", M_IN_F_TAXONOMY, 0, F_TEXT, 0, 120, NOFORM, NULL, NULL,
			  M_IN_G_ASSESSMENT },
	/* the reporting duties' answers (part 8; the obligations follow them) */
	[IN_DUTY_PERSONAL] = DUTY("duty_personal", M_IN_F_DUTY_PERSONAL, M_IN_H_DUTY_PERSONAL),
	[IN_DUTY_HIGH_RISK] = DUTY("duty_high_risk", M_IN_F_DUTY_HIGH_RISK,
				   M_IN_H_DUTY_HIGH_RISK),
	[IN_DUTY_NIS2] = DUTY("duty_nis2", M_IN_F_DUTY_NIS2, M_IN_H_DUTY_NIS2),
	[IN_DUTY_SAPO] = DUTY("duty_sapo", M_IN_F_DUTY_SAPO, M_IN_H_DUTY_SAPO),
	[IN_DUTY_CARE] = DUTY("duty_care", M_IN_F_DUTY_CARE, M_IN_H_DUTY_CARE),
	[IN_DUTY_CRIME] = DUTY("duty_crime", M_IN_F_DUTY_CRIME, M_IN_H_DUTY_CRIME),
	[IN_DUTY_REASONING] = { "duty_reasoning", M_IN_F_DUTY_REASONING, M_IN_H_DUTY_REASONING,
				F_LONGTEXT, 0, 4000, 0, NULL, NULL, M_IN_G_DUTIES },
	/* remediation and investigation (R-8-13, R-8-14, R-8-23) */
	[IN_REMEDIATION] = { "remediation", M_IN_F_REMEDIATION, M_IN_H_REMEDIATION, F_LONGTEXT, 0,
			     8000, FF_SEARCH, NULL, NULL, M_IN_G_REMEDY },
	[IN_ROOT_GROUP] = { "root_cause_group", M_IN_F_ROOT_GROUP, 0, F_ENUM, 0, 0, FF_FILTER,
			    incident_root_group_choices, NULL, M_IN_G_INVESTIGATION },
	[IN_ROOT_CAUSE] = { "root_cause", M_IN_F_ROOT_CAUSE, M_IN_H_ROOT_CAUSE, F_LONGTEXT, 0, 4000,
			    FF_SEARCH, NULL, NULL, M_IN_G_INVESTIGATION },
	[IN_LESSONS] = { "lessons", M_IN_F_LESSONS, M_IN_H_LESSONS, F_LONGTEXT, 0, 4000, FF_SEARCH,
			 NULL, NULL, M_IN_G_INVESTIGATION },
	[IN_NOT_REASON] = { "not_incident_reason", M_IN_F_NOT_REASON, 0, F_TEXT, 0, 1000,
			    NOFORM | FF_SUMMARY, NULL, NULL, 0 },
	[IN_RECEIVED_AT] = MOMENT("received_at", M_IN_F_RECEIVED_AT, 0),
	[IN_ASSESSED_AT] = MOMENT("assessed_at", M_IN_F_ASSESSED_AT, 0),
	[IN_RESTORED_AT] = MOMENT("restored_at", M_IN_F_RESTORED_AT, 0),
	[IN_CLOSED_AT] = MOMENT("closed_at", M_IN_F_CLOSED_AT, 0),
	/* the hand-over to the crisis organisation (R-8-19) */
	[IN_ESCALATED] = { "escalated", M_IN_F_ESCALATED, 0, F_BOOL, 0, 0, NOFORM | FF_FILTER, NULL,
			   NULL, M_IN_G_CRISIS },
	[IN_ESCALATED_AT] = { "escalated_at", M_IN_F_ESCALATED_AT, 0, F_DATETIME, 0, 0, NOFORM,
			      NULL, NULL, M_IN_G_CRISIS },
	[IN_ESCALATED_BY] = { "escalated_by", M_IN_F_ESCALATED_BY, 0, F_REF, 0, 0, NOFORM, NULL,
			      &org_people, M_IN_G_CRISIS },
	[IN_ESCALATED_TO] = { "escalated_to", M_IN_F_ESCALATED_TO, 0, F_TEXT, 0, 300, NOFORM, NULL,
			      NULL, M_IN_G_CRISIS },
	{ NULL },
};

/* ---- the severity (R-8-12): the organisation's criteria, in words ---- */

static const struct { const char *code; int add; int msg; } spread_add[] = {
	{ "one", 0, M_IN_SPREAD_ONE }, { "unit", 0, M_IN_SPREAD_UNIT },
	{ "several_units", 1, M_IN_SPREAD_SEVERAL }, { "organisation", 1, M_IN_SPREAD_ORG },
	{ "external", 1, M_IN_SPREAD_EXTERNAL },
};
static const struct { const char *code; int add; int msg; } urgency_add[] = {
	{ "low", -1, M_IN_URG_LOW }, { "normal", 0, M_IN_URG_NORMAL },
	{ "high", 1, M_IN_URG_HIGH }, { "immediate", 1, M_IN_URG_IMMEDIATE },
};

int incident_severity(struct ctx *cx, const struct incident_assessment *in, const char **why)
{
	struct buf b = BUF_INIT;
	int s, lang = cx->lang;

	*why = NULL;
	if (in->consequence < 0)
		return 0;
	/* the consequence on the classification's scale is the ground:
	 * 0-1 a deviation, 2 an incident, 3 serious, 4 very serious */
	s = in->consequence <= 1 ? 1 : in->consequence;
	buf_puts(&b, msg_fill(cx->a, msg_text(lang, M_IN_WHY_CONSEQUENCE), "{n}",
			      arena_printf(cx->a, "%d", in->consequence)));
	for (size_t k = 0; k < sizeof(spread_add) / sizeof(spread_add[0]); k++)
		if (is(in->spread, spread_add[k].code) && spread_add[k].add) {
			s += spread_add[k].add;
			buf_puts(&b, msg_fill(cx->a, msg_text(lang, M_IN_WHY_SPREAD), "{what}",
					      msg_text(lang, spread_add[k].msg)));
		}
	for (size_t k = 0; k < sizeof(urgency_add) / sizeof(urgency_add[0]); k++)
		if (is(in->urgency, urgency_add[k].code) && urgency_add[k].add) {
			s += urgency_add[k].add;
			buf_puts(&b, msg_fill(cx->a, msg_text(lang, urgency_add[k].add > 0 ?
								   M_IN_WHY_URGENT : M_IN_WHY_NOT_URGENT),
					      "{what}", msg_text(lang, urgency_add[k].msg)));
		}
	if (s < 1)
		s = 1;
	if (s > 4)
		s = 4;
	/* harm to an aspect classified 3 or more is serious whatever else */
	if (in->class_level >= 3 && (in->harm_c || in->harm_i || in->harm_a) && s < 3) {
		s = 3;
		buf_puts(&b, msg_fill(cx->a, msg_text(lang, M_IN_WHY_CLASS), "{n}",
				      arena_printf(cx->a, "%d", in->class_level)));
	}
	buf_puts(&b, msg_fill(cx->a, msg_fill(cx->a, msg_text(lang, M_IN_WHY_RESULT), "{n}",
					      arena_printf(cx->a, "%d", s)),
			      "{term}", incident_severity_term(cx, s)));
	*why = arena_strdup(cx->a, buf_ok(&b) ? b.p : "");
	buf_release(&b);
	return s;
}

static const char sql_terms[] =
	"SELECT term_1, term_2, term_3, term_4 FROM incident_setting WHERE org_id = $1";

const char *incident_severity_term(struct ctx *cx, int s)
{
	static const int dflt[] = { M_IN_SEV_1, M_IN_SEV_2, M_IN_SEV_3, M_IN_SEV_4 };
	struct db_rows r;
	struct db_error err;

	if (s < 1 || s > 4)
		return "";
	if (cx->org && db_exec(cx->db, cx->a, sql_terms, DB_ARGS(DB_INT(cx->org->id)), &r,
			       &err) == 0 && r.nrows == 1) {
		const char *t = db_cell(&r, 0, (size_t)s - 1);
		if (t && *t)
			return t;
	}
	return msg_text(cx->lang, dflt[s - 1]);
}

/* The highest level of an aspect the incident harms among the systems and
 * information sets it affects (its own system_id included), or -1. */
static const char sql_class_level[] =
	"SELECT max(CASE WHEN $3 = 1 THEN COALESCE(level_k, -1) ELSE -1 END),"
	" max(CASE WHEN $4 = 1 THEN COALESCE(level_r, -1) ELSE -1 END),"
	" max(CASE WHEN $5 = 1 THEN COALESCE(level_t, -1) ELSE -1 END) FROM ("
	" SELECT s.level_k, s.level_r, s.level_t FROM it_system s"
	"  WHERE s.org_id = $1 AND s.archived = 0 AND (s.id = $6 OR s.id IN"
	"  (SELECT system_id FROM incident_system WHERE incident_id = $2 AND archived = 0))"
	" UNION ALL SELECT f.level_k, f.level_r, f.level_t FROM information_set f"
	"  WHERE f.org_id = $1 AND f.archived = 0 AND f.id IN"
	"  (SELECT infoset_id FROM incident_infoset WHERE incident_id = $2 AND archived = 0)) x";

static int class_level(struct ctx *cx, const struct record *rec, struct db_error *err)
{
	struct db_rows r;
	int best = -1;

	if (db_exec(cx->db, cx->a, sql_class_level,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id), DB_INT(flag(rec->v[IN_HARM_C])),
			    DB_INT(flag(rec->v[IN_HARM_I])), DB_INT(flag(rec->v[IN_HARM_A])),
			    DB_INT(int_or(rec->v[IN_SYSTEM], 0))), &r, err) != 0)
		return -2;
	for (size_t c = 0; r.nrows == 1 && c < 3; c++) {
		int64_t v = db_cell(&r, 0, c) ? db_cell_i64(&r, 0, c) : -1;
		if (v > best)
			best = (int)v;
	}
	return best;
}

/* ---- receipts ---- */

static const char sql_setting_ensure[] =
	"INSERT INTO incident_setting (org_id, updated_at) VALUES ($1, $2)"
	" ON CONFLICT (org_id) DO NOTHING";
static const char sql_next_seq[] =
	"UPDATE incident_setting SET receipt_seq = receipt_seq + 1 WHERE org_id = $1"
	" RETURNING receipt_seq";

const char *incident_next_receipt(struct ctx *cx, struct db_error *err)
{
	struct db_rows r;
	struct clock_local l;

	if (db_exec(cx->db, cx->a, sql_setting_ensure,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(cx->now)), NULL, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_next_seq, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return NULL;
	if (r.nrows != 1) {
		err->code = DBE_OTHER;
		snprintf(err->msg, sizeof(err->msg), "no receipt number");
		return NULL;
	}
	clock_to_local(cx->now, &l);
	return arena_printf(cx->a, "IN-%04d-%04lld", l.y, (long long)db_cell_i64(&r, 0, 0));
}

/* ---- validation ---- */

/* Fills what the incident's own values decide: the receipt and the
 * moments of a new one, the taxonomy, the severity and its reason. */
static void incident_validate(struct ctx *cx, const struct entity *e, struct record *rec,
			      const struct record *old, struct field_errors *errs)
{
	const struct incident_category *cat = incident_category(rec->v[IN_CATEGORY]);
	struct incident_assessment in;
	struct db_error err;
	const char *why;
	int s;

	(void)e;
	if (!old) {
		const char *now = clock_format_iso(cx->a, cx->now);
		rec->v[IN_STATE] = INC_REPORTED;
		rec->v[IN_REPORTED] = now;
		/* awareness is the report unless an earlier moment is known */
		if (!rec->v[IN_AWARE])
			rec->v[IN_AWARE] = now;
		else if (strcmp(rec->v[IN_AWARE], now) > 0)
			field_error_add(errs, IN_AWARE, M_IN_V_AWARE_FUTURE, "invalid");
		if (!rec->v[IN_CHANNEL])
			rec->v[IN_CHANNEL] = "web";
		if (!rec->v[IN_RECEIPT]) {
			rec->v[IN_RECEIPT] = incident_next_receipt(cx, &err);
			if (!rec->v[IN_RECEIPT])
				field_error_add(errs, -1, M_IN_V_NO_RECEIPT, "conflict");
		}
	} else {
		/* the moments the deadlines count from never move (a form shows
		 * minutes: the same minute sent back is the moment kept) */
		if (rec->v[IN_AWARE] && old->v[IN_AWARE] &&
		    strncmp(rec->v[IN_AWARE], old->v[IN_AWARE], 16) == 0)
			rec->v[IN_AWARE] = old->v[IN_AWARE];
		if (!same(rec->v[IN_AWARE], old->v[IN_AWARE]))
			field_error_add(errs, IN_AWARE, M_IN_V_AWARE_FIXED, "immutable");
		if (!same(rec->v[IN_RECEIPT], old->v[IN_RECEIPT]) ||
		    !same(rec->v[IN_REPORTED], old->v[IN_REPORTED]))
			field_error_add(errs, -1, M_IN_V_AWARE_FIXED, "immutable");
	}
	if (rec->v[IN_OCCURRED] && rec->v[IN_AWARE] &&
	    strcmp(rec->v[IN_OCCURRED], rec->v[IN_AWARE]) > 0)
		field_error_add(errs, IN_OCCURRED, M_IN_V_OCCURRED_AFTER, "invalid");
	rec->v[IN_TAXONOMY] = cat ? cat->taxonomy : NULL;
	/* computed on every write: a linked system's level may have moved */
	memset(&in, 0, sizeof(in));
	in.consequence = (int)int_or(rec->v[IN_CONSEQUENCE], -1);
	in.harm_c = flag(rec->v[IN_HARM_C]);
	in.harm_i = flag(rec->v[IN_HARM_I]);
	in.harm_a = flag(rec->v[IN_HARM_A]);
	in.spread = rec->v[IN_SPREAD];
	in.urgency = rec->v[IN_URGENCY];
	in.class_level = class_level(cx, rec, &err);
	if (in.class_level < -1) {
		field_error_add(errs, -1, M_IN_V_NO_RECEIPT, "conflict");
		return;
	}
	rec->v[IN_CLASS_LEVEL] = in.class_level >= 0 ?
		arena_printf(cx->a, "%d", in.class_level) : NULL;
	s = incident_severity(cx, &in, &why);
	rec->v[IN_SEVERITY] = s ? arena_printf(cx->a, "%d", s) : NULL;
	rec->v[IN_SEVERITY_WHY] = why;
}

/* ---- the timeline ---- */

static const char sql_event_add[] =
	"INSERT INTO incident_event (org_id, incident_id, at, kind, from_state, to_state, body,"
	" person_id, actor, internal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

int incident_event_add(struct ctx *cx, int64_t incident_id, const char *kind,
		       const char *from_state, const char *to_state, const char *body,
		       int internal, struct db_error *err)
{
	int64_t person = cx->org ? cx->org->person_id : 0;

	return db_exec(cx->db, cx->a, sql_event_add,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(incident_id), DB_INT(cx->now),
			       DB_TEXT(kind), from_state ? DB_TEXT(from_state) : DB_NULL,
			       to_state ? DB_TEXT(to_state) : DB_NULL,
			       body ? DB_TEXT(body) : DB_NULL,
			       person > 0 ? DB_INT(person) : DB_NULL,
			       DB_TEXT(cx->actor ? cx->actor : "system"), DB_INT(internal)),
		       NULL, err);
}

/* ---- who is granted an incident ---- */

static const char sql_grants_clear[] =
	"DELETE FROM incident_grant WHERE org_id = $1 AND record_id = $2";
/* the handler works on it; the data protection officers read a
 * personal-data incident; the owners of the systems and information it
 * affects read it (and, for a system, its manager: R-8-21) */
static const char sql_grants_fill[] =
	"INSERT INTO incident_grant (org_id, record_id, person_id, why, may_write)"
	" SELECT $1, $2, handler_id, 'handler', 1 FROM incident"
	"  WHERE id = $2 AND handler_id IS NOT NULL"
	" UNION SELECT DISTINCT $1, $2, ra.person_id, 'dpo', 0 FROM role_assignment ra"
	"  WHERE ra.org_id = $1 AND ra.role = 'dataskyddsombud' AND ra.archived = 0"
	"  AND EXISTS (SELECT 1 FROM incident WHERE id = $2"
	"   AND (personal_data = 'yes' OR duty_personal = 1))"
	" UNION SELECT DISTINCT $1, $2, s.owner_id, 'system_owner', 0 FROM it_system s"
	"  WHERE s.org_id = $1 AND s.owner_id IS NOT NULL AND (s.id IN"
	"   (SELECT system_id FROM incident WHERE id = $2) OR s.id IN"
	"   (SELECT system_id FROM incident_system WHERE incident_id = $2 AND archived = 0))"
	" UNION SELECT DISTINCT $1, $2, sp.person_id, 'system_manager', 0 FROM system_person sp"
	"  WHERE sp.org_id = $1 AND sp.archived = 0 AND sp.role = 'manager' AND (sp.system_id IN"
	"   (SELECT system_id FROM incident WHERE id = $2) OR sp.system_id IN"
	"   (SELECT system_id FROM incident_system WHERE incident_id = $2 AND archived = 0))"
	" UNION SELECT DISTINCT $1, $2, f.owner_id, 'information_owner', 0 FROM information_set f"
	"  WHERE f.org_id = $1 AND f.owner_id IS NOT NULL AND f.id IN"
	"   (SELECT infoset_id FROM incident_infoset WHERE incident_id = $2 AND archived = 0)";

int incident_grants_refresh(struct ctx *cx, int64_t incident_id, struct db_error *err)
{
	struct db_val p[] = { DB_INT(cx->org->id), DB_INT(incident_id) };

	if (db_exec(cx->db, cx->a, sql_grants_clear, p, 2, NULL, err) != 0)
		return -1;
	return db_exec(cx->db, cx->a, sql_grants_fill, p, 2, NULL, err);
}

/* Every change that matters to the incident's history is an entry of its
 * timeline, in the write's transaction; and who may read it follows. */
static int incident_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
				const struct record *old, struct db_error *err)
{
	const char *st = rec->v[IN_STATE];

	if (incident_stat_fill(cx, rec, err) != 0) /* the compilation's summary */
		return -1;
	if (!old) {
		if (incident_event_add(cx, rec->id, "reported", NULL, st, NULL, 0, err) != 0)
			return -1;
	} else {
		if (!same(st, old->v[IN_STATE]) &&
		    incident_event_add(cx, rec->id, "status", old->v[IN_STATE], st, NULL, 0, err))
			return -1;
		/* the first handler is assigned; a later one takes it over */
		if (!same(rec->v[IN_HANDLER], old->v[IN_HANDLER]) &&
		    incident_event_add(cx, rec->id, old->v[IN_HANDLER] ? "handover" : "assigned",
				       NULL, NULL,
				       entity_display(cx, e, rec, IN_HANDLER), 1, err) != 0)
			return -1;
		if (old->v[IN_SEVERITY] && !same(rec->v[IN_SEVERITY], old->v[IN_SEVERITY]) &&
		    incident_event_add(cx, rec->id, "reassessment", NULL, NULL,
				       rec->v[IN_SEVERITY_WHY], 1, err) != 0)
			return -1;
		if (!flag(old->v[IN_ESCALATED]) && flag(rec->v[IN_ESCALATED]) &&
		    incident_event_add(cx, rec->id, "escalation", NULL, NULL,
				       rec->v[IN_ESCALATED_TO], 1, err) != 0)
			return -1;
	}
	if (incident_obligations_sync(cx, rec, old, err) != 0)
		return -1;
	if (!(old && same(rec->v[IN_HANDLER], old->v[IN_HANDLER]) &&
	      same(rec->v[IN_SYSTEM], old->v[IN_SYSTEM]) &&
	      same(rec->v[IN_PERSONAL], old->v[IN_PERSONAL]) &&
	      same(rec->v[IN_DUTY_PERSONAL], old->v[IN_DUTY_PERSONAL])) &&
	    incident_grants_refresh(cx, rec->id, err) != 0)
		return -1;
	return incident_notify(cx, rec, old, err);
}

/* ---- transitions ---- */

static const char *const from_reported[] = { INC_REPORTED, NULL };
static const char *const from_received[] = { INC_RECEIVED, NULL };
static const char *const from_assessed[] = { INC_ASSESSED, NULL };
static const char *const from_remedy[] = { INC_ASSESSED, INC_REMEDIATING, NULL };
static const char *const from_restored[] = { INC_RESTORED, NULL };
static const char *const from_investigated[] = { INC_INVESTIGATED, NULL };
static const char *const from_early[] = { INC_REPORTED, INC_RECEIVED, INC_ASSESSED, NULL };
static const char *const from_ended[] = { INC_CLOSED, INC_NOT_INCIDENT, NULL };
static const char *const from_not_escalated[] = { "0", NULL };

static const char *const needs_assessment[] = { "consequence", "spread", "urgency", NULL };
static const char *const needs_remediation[] = { "remediation", NULL };
static const char *const needs_investigation[] = { "root_cause_group", "root_cause", "lessons",
						   NULL };

static const struct entity_field assess_params[] = {
	{ "consequence", M_IN_F_CONSEQUENCE, M_IN_H_CONSEQUENCE, F_INT, 0, 4, FF_REQUIRED, NULL,
	  NULL, 0 },
	{ "harm_c", M_IN_F_HARM_C, 0, F_BOOL, 0, 0, 0, NULL, NULL, 0 },
	{ "harm_i", M_IN_F_HARM_I, 0, F_BOOL, 0, 0, 0, NULL, NULL, 0 },
	{ "harm_a", M_IN_F_HARM_A, 0, F_BOOL, 0, 0, 0, NULL, NULL, 0 },
	{ "spread", M_IN_F_SPREAD, 0, F_ENUM, 0, 0, FF_REQUIRED, spread_choices, NULL, 0 },
	{ "urgency", M_IN_F_URGENCY, 0, F_ENUM, 0, 0, FF_REQUIRED, urgency_choices, NULL, 0 },
	DUTY("duty_personal", M_IN_F_DUTY_PERSONAL, M_IN_H_DUTY_PERSONAL),
	DUTY("duty_high_risk", M_IN_F_DUTY_HIGH_RISK, M_IN_H_DUTY_HIGH_RISK),
	DUTY("duty_nis2", M_IN_F_DUTY_NIS2, M_IN_H_DUTY_NIS2),
	DUTY("duty_sapo", M_IN_F_DUTY_SAPO, M_IN_H_DUTY_SAPO),
	DUTY("duty_care", M_IN_F_DUTY_CARE, M_IN_H_DUTY_CARE),
	DUTY("duty_crime", M_IN_F_DUTY_CRIME, M_IN_H_DUTY_CRIME),
	{ "duty_reasoning", M_IN_F_DUTY_REASONING, M_IN_H_DUTY_REASONING, F_LONGTEXT, 0, 4000, 0,
	  NULL, NULL, 0 },
	{ NULL },
};

static const struct entity_field restore_params[] = {
	{ "remediation", M_IN_F_REMEDIATION, M_IN_H_REMEDIATION, F_LONGTEXT, 1, 8000, FF_REQUIRED,
	  NULL, NULL, 0 },
	{ "restored_when", M_IN_F_RESTORED_AT, M_IN_H_RESTORED_WHEN, F_DATETIME, 0, 0, 0, NULL,
	  NULL, 0 },
	{ NULL },
};

static const struct entity_field investigate_params[] = {
	{ "root_cause_group", M_IN_F_ROOT_GROUP, 0, F_ENUM, 0, 0, FF_REQUIRED,
	  incident_root_group_choices, NULL, 0 },
	{ "root_cause", M_IN_F_ROOT_CAUSE, M_IN_H_ROOT_CAUSE, F_LONGTEXT, 1, 4000, FF_REQUIRED, NULL,
	  NULL, 0 },
	{ "lessons", M_IN_F_LESSONS, M_IN_H_LESSONS, F_LONGTEXT, 1, 4000, FF_REQUIRED, NULL, NULL,
	  0 },
	{ NULL },
};

static const struct entity_field reason_params[] = {
	{ "reason", M_IN_F_REASON, 0, F_TEXT, 1, 1000, FF_REQUIRED, NULL, NULL, 0 },
	{ NULL },
};

static const struct entity_field escalate_params[] = {
	{ "to_whom", M_IN_F_ESCALATED_TO, M_IN_H_ESCALATED_TO, F_TEXT, 1, 300, FF_REQUIRED,
	  NULL, NULL, 0 },
	{ "escalated_when", M_IN_F_ESCALATED_AT, M_IN_H_ESCALATED_WHEN, F_DATETIME, 0, 0, 0, NULL,
	  NULL, 0 },
	{ NULL },
};

static const char *now_iso(struct ctx *cx)
{
	return clock_format_iso(cx->a, cx->now);
}

/* A moment given for when something happened: not in the future, not
 * before the incident was known; the stored spelling (UTC), or NULL. */
static const char *moment_param(struct ctx *cx, const struct entity *e, const struct record *rec,
				const char *v, int param, struct field_errors *errs)
{
	int64_t t;

	if (!v)
		return now_iso(cx);
	if (clock_parse_moment(v, &t) != 0) {
		field_error_add(errs, (int)e->nfields + param, M_V_BAD_DATETIME, "invalid");
		return NULL;
	}
	if (t > cx->now) {
		field_error_add(errs, (int)e->nfields + param, M_IN_V_MOMENT_FUTURE, "invalid");
		return NULL;
	}
	(void)rec;
	return clock_format_iso(cx->a, t);
}

static int receive_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
			struct record *rec, const struct record *old, const char *const *pv,
			struct field_errors *errs, struct db_error *err)
{
	(void)e, (void)t, (void)old, (void)pv, (void)errs, (void)err;
	rec->v[IN_RECEIVED_AT] = now_iso(cx);
	/* whoever receives it handles it until it is handed over */
	if (!rec->v[IN_HANDLER] && cx->org->person_id > 0)
		rec->v[IN_HANDLER] = arena_printf(cx->a, "%lld", (long long)cx->org->person_id);
	return 0;
}

static int assess_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		       struct record *rec, const struct record *old, const char *const *pv,
		       struct field_errors *errs, struct db_error *err)
{
	(void)e, (void)t, (void)old, (void)pv, (void)errs, (void)err;
	rec->v[IN_ASSESSED_AT] = now_iso(cx);
	return 0;
}

static int restore_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
			struct record *rec, const struct record *old, const char *const *pv,
			struct field_errors *errs, struct db_error *err)
{
	(void)t, (void)old, (void)err;
	rec->v[IN_RESTORED_AT] = moment_param(cx, e, rec, pv[1], 1, errs);
	return 0;
}

static int close_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		      struct record *rec, const struct record *old, const char *const *pv,
		      struct field_errors *errs, struct db_error *err)
{
	(void)e, (void)t, (void)old, (void)pv, (void)errs, (void)err;
	rec->v[IN_CLOSED_AT] = now_iso(cx);
	return 0;
}

static int not_incident_rule(struct ctx *cx, const struct entity *e,
			     const struct entity_transition *t, struct record *rec,
			     const struct record *old, const char *const *pv,
			     struct field_errors *errs, struct db_error *err)
{
	(void)e, (void)t, (void)old, (void)errs, (void)err;
	rec->v[IN_NOT_REASON] = pv[0];
	rec->v[IN_CLOSED_AT] = now_iso(cx);
	return 0;
}

static int reopen_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
		       struct record *rec, const struct record *old, const char *const *pv,
		       struct field_errors *errs, struct db_error *err)
{
	(void)e, (void)t, (void)old, (void)errs;
	rec->v[IN_CLOSED_AT] = NULL;
	/* why it was opened again belongs to its history */
	return incident_event_add(cx, rec->id, "note", NULL, NULL, pv[0], 1, err);
}

static int escalate_rule(struct ctx *cx, const struct entity *e, const struct entity_transition *t,
			 struct record *rec, const struct record *old, const char *const *pv,
			 struct field_errors *errs, struct db_error *err)
{
	(void)t, (void)old, (void)err;
	rec->v[IN_ESCALATED_TO] = pv[0];
	rec->v[IN_ESCALATED_AT] = moment_param(cx, e, rec, pv[1], 1, errs);
	rec->v[IN_ESCALATED_BY] = cx->org->person_id > 0 ?
		arena_printf(cx->a, "%lld", (long long)cx->org->person_id) : NULL;
	return 0;
}

/* The root cause the category suggests, until one is recorded. */
static void investigate_defaults(struct ctx *cx, const struct entity *e, const struct record *rec,
				 const char **pv)
{
	const struct incident_category *c = incident_category(rec->v[IN_CATEGORY]);

	(void)cx, (void)e;
	if (!pv[0] && c)
		pv[0] = c->root_group;
}

static const struct entity_transition incident_transitions[] = {
	{ .name = "receive", .label = M_IN_T_RECEIVE, .help = M_IN_T_RECEIVE_HELP, .field = "state",
	  .from = from_reported, .to = INC_RECEIVED, .roles = ROLES_INCIDENT_DESK,
	  .rule = receive_rule, .own_button = 1 },
	{ .name = "assess", .label = M_IN_T_ASSESS, .help = M_IN_T_ASSESS_HELP, .field = "state",
	  .from = from_received, .to = INC_ASSESSED, .params = assess_params,
	  .requires = needs_assessment, .rule = assess_rule, .own_button = 1 },
	{ .name = "remediate", .label = M_IN_T_REMEDIATE, .field = "state", .from = from_assessed,
	  .to = INC_REMEDIATING, .own_button = 1 },
	{ .name = "recover", .label = M_IN_T_RESTORE, .help = M_IN_T_RESTORE_HELP,
	  .field = "state", .from = from_remedy, .to = INC_RESTORED, .params = restore_params,
	  .requires = needs_remediation, .rule = restore_rule, .own_button = 1 },
	{ .name = "investigate", .label = M_IN_T_INVESTIGATE, .help = M_IN_T_INVESTIGATE_HELP,
	  .field = "state", .from = from_restored, .to = INC_INVESTIGATED,
	  .params = investigate_params, .requires = needs_investigation,
	  .defaults = investigate_defaults, .own_button = 1 },
	{ .name = "close", .label = M_IN_T_CLOSE, .help = M_IN_T_CLOSE_HELP, .field = "state",
	  .from = from_investigated, .to = INC_CLOSED, .roles = ROLES_INCIDENT_DESK,
	  .rule = close_rule, .own_button = 1 },
	{ .name = "not-incident", .label = M_IN_T_NOT_INCIDENT, .help = M_IN_T_NOT_INCIDENT_HELP,
	  .field = "state", .from = from_early, .to = INC_NOT_INCIDENT,
	  .roles = ROLES_INCIDENT_DESK, .params = reason_params, .rule = not_incident_rule, .own_button = 1 },
	{ .name = "reopen", .label = M_IN_T_REOPEN, .field = "state", .from = from_ended,
	  .to = INC_RECEIVED, .roles = ROLES_INCIDENT_DESK, .params = reason_params,
	  .rule = reopen_rule, .own_button = 1 },
	{ .name = "escalate", .label = M_IN_T_ESCALATE, .help = M_IN_T_ESCALATE_HELP,
	  .field = "escalated", .from = from_not_escalated, .to = "1",
	  .params = escalate_params, .rule = escalate_rule , .own_button = 1 },
	{ .name = NULL },
};

/* The desk's ways in besides the list: the queue of open incidents and a
 * report received by phone or e-mail. */
static const struct entity_link incident_links[] = {
	{ M_IN_QUEUE, "/incident-queue", ROLES_INCIDENT_DESK },
	{ M_IR_REGISTER_LINK, "/incidents/register", ROLES_INCIDENT_DESK },
	{ M_IN_BR_TITLE, "/breach-register", ROLES_INCIDENT_DESK | RB(ROLE_DPO) },
	{ 0, NULL, 0 },
};

struct entity in_incidents = {
	.name = "incidents",
	.table = "incident",
	.label_one = M_IN_INCIDENT,
	.label_many = M_IN_INCIDENTS,
	.label_new = M_IN_NEW,
	.intro = M_IN_INTRO,
	.list_links = incident_links,
	.fields = incident_fields,
	.title_field = IN_TITLE,
	.roles_read = ROLES_INCIDENT_GATE,
	.roles_write = ROLES_INCIDENT_GATE,
	.unit_field = "unit_id",
	.read_scoped = 1,
	.audit_reads = 1,
	.hide_empty_groups = 1,
	.grant_table = "incident_grant",
	.roles_all = ROLES_INCIDENT_DESK,
	.transitions = incident_transitions,
	.validate = incident_validate,
	.after_write = incident_after_write,
	.show_summary = incident_show_summary,
	.show_extra = incident_show_extra,
};

/* ---- the systems and information sets it affects (R-8-27) ---- */

/* A link changes who may read the incident and what its assessment rests
 * on: the incident is written anew through the engine (audited, its
 * severity computed again) and its grants follow. */
static int link_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
			    const struct record *old, struct db_error *err)
{
	struct record inc;
	struct field_errors errs = { .n = 0 };
	int64_t id = int_or(rec->v[IL_INCIDENT], 0);

	(void)e;
	(void)old;
	if (entity_get(cx, &in_incidents, id, &inc, err) != 0)
		return -1;
	if (inc.v[IN_CONSEQUENCE] && entity_update(cx, &in_incidents, &inc, &errs, err) != 0) {
		if (errs.n && !err->code) {
			err->code = DBE_CHECK;
			snprintf(err->msg, sizeof(err->msg), "the incident could not be assessed again");
		}
		return -1;
	}
	return incident_grants_refresh(cx, id, err);
}

static const struct entity_field incident_system_fields[] = {
	[IL_INCIDENT] = { "incident_id", M_IN_INCIDENT, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &in_incidents, 0 },
	[IL_OTHER] = { "system_id", M_IN_F_SYSTEM, 0, F_REF, 0, 0,
		       FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_systems, 0 },
	[IL_NOTE] = { "note", M_IN_F_LINK_NOTE, 0, F_TEXT, 0, 500, FF_LIST | FF_SEARCH, NULL, NULL,
		      0 },
	{ NULL },
};

struct entity in_incident_systems = {
	.name = "incident-systems",
	.table = "incident_system",
	.label_one = M_IN_LINK_SYSTEM,
	.label_many = M_IN_LINK_SYSTEMS,
	.label_new = M_IN_LINK_SYSTEM_NEW,
	.fields = incident_system_fields,
	.title_field = IL_OTHER,
	.roles_read = ROLES_INCIDENT_DESK,
	.roles_write = ROLES_INCIDENT_GATE,
	.parent_field = "incident_id",
	.after_write = link_after_write,
};

static const struct entity_field incident_infoset_fields[] = {
	[IL_INCIDENT] = { "incident_id", M_IN_INCIDENT, 0, F_REF, 0, 0,
			  FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &in_incidents, 0 },
	[IL_OTHER] = { "infoset_id", M_IN_F_INFOSET, 0, F_REF, 0, 0,
		       FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &sys_infosets, 0 },
	[IL_NOTE] = { "note", M_IN_F_LINK_NOTE, 0, F_TEXT, 0, 500, FF_LIST | FF_SEARCH, NULL, NULL,
		      0 },
	{ NULL },
};

struct entity in_incident_infosets = {
	.name = "incident-information",
	.table = "incident_infoset",
	.label_one = M_IN_LINK_INFOSET,
	.label_many = M_IN_LINK_INFOSETS,
	.label_new = M_IN_LINK_INFOSET_NEW,
	.fields = incident_infoset_fields,
	.title_field = IL_OTHER,
	.roles_read = ROLES_INCIDENT_DESK,
	.roles_write = ROLES_INCIDENT_GATE,
	.parent_field = "incident_id",
	.after_write = link_after_write,
};
