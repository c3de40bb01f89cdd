/* links.c - what a risk analysis takes from and gives to the other
 * parts: the threats of a system's security plan become risks (R-7-02,
 * once each: the risk keeps the threat as its source_key, unique per
 * analysis), and a risk's measure becomes an activity of the open action
 * plan, linked in risk_activity (risks.h). */
#include "base/base.h"

#include "base/utf8.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/risks/risks.h"
#include "modules/secplans/secplans.h"

#define THREATS_MAX 50
#define TITLE_MAX 200

static void set_err(struct db_error *err, enum db_errcode code, const char *msg)
{
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

static const char *id_text(struct ctx *cx, int64_t id)
{
	return arena_printf(cx->a, "%lld", (long long)id);
}

static const char sql_threats[] =
	"SELECT threats FROM security_plan WHERE org_id = $1 AND id = $2";
static const char sql_known[] =
	"SELECT id FROM risk WHERE analysis_id = $1 AND source_key = $2";
static const char sql_mark[] =
	"UPDATE risk SET source_key = $3 WHERE org_id = $1 AND id = $2";

/* The threat's text cut at a character's start to at most TITLE_MAX
 * characters, with "…" when cut. */
static const char *title_of(struct ctx *cx, const char *t)
{
	size_t n = 0, i = 0, len = strlen(t);

	while (i < len && n < TITLE_MAX - 1) {
		i++;
		while (i < len && ((unsigned char)t[i] & 0xc0) == 0x80)
			i++;
		n++;
	}
	if (i >= len)
		return t;
	return arena_printf(cx->a, "%.*s…", (int)i, t);
}

int risk_import_threats(struct ctx *cx, int64_t analysis_id, struct db_error *err)
{
	struct record an;
	struct secplan_state st;
	struct db_rows r;
	int64_t system = 0, plan;
	char *text, *p;
	int added = 0, seen = 0;

	if (entity_get(cx, &rk_analyses, analysis_id, &an, err) != 0)
		return -1;
	if (!an.v[RA_SYSTEM] || parse_i64(an.v[RA_SYSTEM], &system) != 0 || !system) {
		set_err(err, DBE_CHECK, "the analysis is of no system");
		return -1;
	}
	if (secplan_current(cx, system, &st, err) != 0)
		return -1;
	/* the plan in force (signed), else the newest draft */
	plan = st.signed_id ? st.signed_id : st.id;
	if (!plan) {
		set_err(err, DBE_NOTFOUND, "the system has no security plan");
		return -1;
	}
	if (db_exec(cx->db, cx->a, sql_threats, DB_ARGS(DB_INT(cx->org->id), DB_INT(plan)), &r,
		    err) != 0)
		return -1;
	if (r.nrows != 1 || !db_cell(&r, 0, 0))
		return 0;
	text = arena_strdup(cx->a, db_cell(&r, 0, 0));
	/* one threat a line or between semicolons */
	for (p = text; p && *p && seen < THREATS_MAX;) {
		char *end = p + strcspn(p, ";\n"), *next = *end ? end + 1 : NULL, *s = p, *e;
		const char *key;
		struct db_rows k;
		const char *v[RK__COUNT] = { 0 };
		int64_t id;

		*end = 0;
		p = next;
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '-' || *s == '*')
			s++;
		e = s + strlen(s);
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '.'))
			*--e = 0;
		if (!*s || !utf8_valid_text(s, strlen(s)))
			continue;
		seen++;
		/* the first letter up, as a title */
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
		key = arena_printf(cx->a, "secplan:%s", utf8_fold(cx->a, s));
		if (db_exec(cx->db, cx->a, sql_known, DB_ARGS(DB_INT(analysis_id), DB_TEXT(key)), &k,
			    err) != 0)
			return -1;
		if (k.nrows)
			continue;
		v[RK_ANALYSIS] = id_text(cx, analysis_id);
		v[RK_TITLE] = title_of(cx, s);
		v[RK_EVENT] = s;
		v[RK_SYSTEM] = id_text(cx, system);
		v[RK_OWNER] = an.v[RA_OWNER];
		if (!(id = entity_create_values(cx, &rk_risks, v, err)) ||
		    db_exec(cx->db, cx->a, sql_mark,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(id), DB_TEXT(key)), NULL, err) != 0)
			return -1;
		added++;
	}
	return added;
}

static const char sql_link[] =
	"INSERT INTO risk_activity (org_id, risk_id, activity_id, created_at)"
	" VALUES ($1, $2, $3, $4)";

int64_t risk_make_activity(struct ctx *cx, int64_t risk_id, const char *title,
			   const char *end_on, struct db_error *err)
{
	static const char *const prio[] = { "3", "4", "3", "2", "1" };
	const char *v[AC__COUNT] = { 0 };
	const char *today = ctx_today(cx), *lv;
	struct record rec;
	struct field_errors errs = { 0 };
	int64_t plan, act;

	if (entity_get(cx, &rk_risks, risk_id, &rec, err) != 0)
		return -1;
	if ((plan = plan_open_default(cx, err)) <= 0)
		return plan;
	lv = rec.v[RK_RES_LEVEL] ? rec.v[RK_RES_LEVEL] : rec.v[RK_LEVEL];
	v[AC_PLAN] = id_text(cx, plan);
	v[AC_TITLE] = title;
	v[AC_KIND] = "deficiency";
	v[AC_GOAL] = rec.v[RK_TREATMENT_REASON];
	v[AC_DESCRIPTION] = msg_fill(cx->a, msg_text(cx->lang, M_RK_ACTION_FROM), "{title}",
				     rec.v[RK_TITLE]);
	v[AC_RESPONSIBLE] = rec.v[RK_OWNER];
	v[AC_PRIORITY] = prio[lv && lv[0] >= '1' && lv[0] <= '4' ? lv[0] - '0' : 0];
	v[AC_START] = strcmp(today, end_on) <= 0 ? today : end_on;
	v[AC_END] = end_on;
	if (!(act = entity_create_values(cx, &ap_activities, v, err)) ||
	    db_exec(cx->db, cx->a, sql_link,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(risk_id), DB_INT(act), DB_INT(cx->now)),
		    NULL, err) != 0)
		return -1;
	/* an open risk is now being treated */
	if (rec.v[RK_STATUS] && strcmp(rec.v[RK_STATUS], RISK_OPEN) == 0 &&
	    entity_transition(cx, &rk_risks, risk_id, rec.version, "treat", NULL, &errs, err) != 0)
		return -1;
	return act;
}
