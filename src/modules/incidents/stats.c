/* stats.c - what the incident carries for the compilation's summary
 * (migration 0020): its month in Stockholm time, the times to assess and
 * to restore, and the two flags of the seed 004 compilation
 * (compilation.h states them).  The triggers cannot compute these (the
 * month needs the Stockholm offset of the moment), so the module writes
 * them in every write's transaction and the triggers count the row. */
#include "base/base.h"

#include "base/arena.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "db/db.h"
#include "modules/incidents/compilation.h"
#include "modules/incidents/incidents.h"

static int yes(const char *v)
{
	return v && strcmp(v, "1") == 0;
}

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static int64_t num(const char *v)
{
	int64_t n;

	return v && parse_i64(v, &n) == 0 ? n : -1;
}

const char *incident_stat_month(struct arena *a, const char *moment)
{
	struct clock_local l;
	int64_t t;

	if (!moment || clock_parse_moment(moment, &t) != 0)
		return NULL;
	clock_to_local(t, &l);
	return arena_printf(a, "%04d-%02d", l.y, l.m);
}

/* R-8-25: a reporting duty answered yes, or a human error with personal data */
int incident_stat_breach(const struct record *rec)
{
	const char *const *v = rec->v;

	if (yes(v[IN_DUTY_PERSONAL]) || yes(v[IN_DUTY_HIGH_RISK]) || yes(v[IN_DUTY_NIS2]) ||
	    yes(v[IN_DUTY_SAPO]) || yes(v[IN_DUTY_CARE]) || yes(v[IN_DUTY_CRIME]))
		return 1;
	return is(v[IN_ROOT_GROUP], "human_error") && is(v[IN_PERSONAL], "yes");
}

/* R-8-26: availability harmed with consequence >= 3, an outage of
 * severity >= 3, or escalated to the crisis organisation */
int incident_stat_disrupt(const struct record *rec)
{
	const char *const *v = rec->v;

	if (yes(v[IN_ESCALATED]))
		return 1;
	if (yes(v[IN_HARM_A]) && num(v[IN_CONSEQUENCE]) >= 3)
		return 1;
	return is(v[IN_CATEGORY], "outage") && num(v[IN_SEVERITY]) >= 3;
}

static int64_t seconds_between(const char *from, const char *to)
{
	int64_t a, b;

	if (!from || !to || clock_parse_moment(from, &a) != 0 || clock_parse_moment(to, &b) != 0)
		return -1;
	return b >= a ? b - a : 0;
}

static const char sql_fill[] =
	"UPDATE incident SET stat_month = $3, stat_assess_s = $4, stat_restore_s = $5,"
	" stat_breach = $6, stat_disrupt = $7 WHERE org_id = $1 AND id = $2";

int incident_stat_fill(struct ctx *cx, const struct record *rec, struct db_error *err)
{
	const char *month = incident_stat_month(cx->a, rec->v[IN_REPORTED]);
	int64_t as = seconds_between(rec->v[IN_REPORTED], rec->v[IN_ASSESSED_AT]);
	int64_t rs = seconds_between(rec->v[IN_REPORTED], rec->v[IN_RESTORED_AT]);

	return db_exec(cx->db, cx->a, sql_fill,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id),
			       month ? DB_TEXT(month) : DB_NULL,
			       as >= 0 ? DB_INT(as) : DB_NULL, rs >= 0 ? DB_INT(rs) : DB_NULL,
			       DB_INT(incident_stat_breach(rec)),
			       DB_INT(incident_stat_disrupt(rec))),
		       NULL, err);
}
