/* demo.c - Exempelstad's action plans: this year's, decided by the
 * municipal executive board, with ten activities made from its most
 * serious gaps and one governance document (some done, some under way, one
 * overdue, one moved after the decision: a deviation), and next year's
 * plan as a draft.  Made through the engine, as a coordinator would. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/entity.h"
#include "db/db.h"
#include "modules/actions/actions.h"

static const char sql_gaps[] =
	"SELECT a.id FROM measure_assessment a WHERE a.org_id = $1 AND a.archived = 0"
	" AND a.required = 1 AND a.effective_status IN ('partly', 'not_met')"
	" AND a.system_id IS NOT NULL"
	" ORDER BY CASE a.severity WHEN 'serious' THEN 0 WHEN 'significant' THEN 1"
	" WHEN 'moderate' THEN 2 ELSE 3 END, a.id LIMIT 12";
static const char sql_coordinator[] =
	"SELECT p.id FROM person p JOIN role_assignment r ON r.person_id = p.id"
	" AND r.org_id = p.org_id AND r.role = 'samordnare' AND r.archived = 0"
	" WHERE p.org_id = $1 AND p.archived = 0 ORDER BY p.id LIMIT 1";

static const char *day(const struct ctx *cx, int offset)
{
	struct ctx then = *cx;

	then.now += (int64_t)offset * 86400;
	return ctx_today(&then);
}

/* start and end, days from today, and what has become of it */
struct demo_step {
	int start, end;
	const char *status;
	const char *cost, *resources;
};

static const struct demo_step steps[] = {
	{ -300, -220, ACT_DONE, "45000", "IT-enheten, 5 dagar; leverantören" },
	{ -280, -200, ACT_DONE, "0", "Systemförvaltaren, 3 dagar" },
	{ -250, -150, ACT_DONE, "20000", NULL },
	{ -200, -120, ACT_DONE, "0", "Förvaltningschefen" },
	{ -150, -60, ACT_DONE, "0", "Systemägaren och informationsägaren, 2 dagar" },
	{ -120, -20, ACT_ONGOING, "15000", "Utbildning genom leverantören" }, /* overdue */
	{ -90, 25, ACT_ONGOING, "60000", "Leverantören; systemförvaltaren, 10 dagar" },
	{ -60, 20, ACT_ONGOING, "80000", "Leverantören" }, /* moved after the decision */
	{ -30, 26, ACT_ONGOING, "120000", "IT-enheten, 15 dagar" },
	{ 5, 26, ACT_PLANNED, "0", "Systemägaren" },
};
#define MOVED 7

static int set_dates(struct ctx *cx, int64_t id, const char *start, const char *end,
		     const struct demo_step *cost, struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (entity_get(cx, &ap_activities, id, &rec, err) != 0)
		return -1;
	rec.v[AC_START] = start;
	rec.v[AC_END] = end;
	if (cost) {
		rec.v[AC_COST] = cost->cost;
		rec.v[AC_RESOURCES] = cost->resources;
	}
	if (entity_update(cx, &ap_activities, &rec, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo activity %lld: dates",
				 (long long)id);
		return -1;
	}
	return 0;
}

static int move(struct ctx *cx, const struct entity *e, int64_t id, const char *name,
		const char *const *pv, struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (entity_get(cx, e, id, &rec, err) != 0)
		return -1;
	if (entity_transition(cx, e, id, rec.version, name, pv, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo %s %lld: %s", e->name,
				 (long long)id, name);
		return -1;
	}
	return 0;
}

static int64_t plan(struct ctx *cx, const char *year, const char *text, struct db_error *err)
{
	const char *v[PF__COUNT] = { 0 };

	v[PF_TITLE] = arena_printf(cx->a, "Handlingsplan för informationssäkerhet %s", year);
	v[PF_START] = arena_printf(cx->a, "%s-01-01", year);
	v[PF_END] = arena_printf(cx->a, "%s-12-31", year);
	v[PF_DESCRIPTION] = text;
	return entity_create_values(cx, &ap_plans, v, err);
}

static int make_plans(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	struct db_rows g, c;
	char year[5];
	const char *next;
	const char *today = ctx_today(cx);
	int64_t p1, p2, ids[ARRAY_SIZE(steps)], gov;
	size_t n = 0;
	const char *decided_on;

	memcpy(year, today, 4);
	year[4] = '\0';
	next = arena_printf(cx->a, "%d", atoi(year) + 1);
	decided_on = strcmp(arena_printf(cx->a, "%s-01-28", year), today) <= 0 ?
		     arena_printf(cx->a, "%s-01-28", year) : today;
	if (db_exec(cx->db, cx->a, sql_gaps, DB_ARGS(DB_INT(cx->org->id)), &g, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_coordinator, DB_ARGS(DB_INT(cx->org->id)), &c, err) != 0)
		return -1;
	if (g.nrows < ARRAY_SIZE(steps))
		return 0; /* no gap analysis to speak of: no plan */
	if (!(p1 = plan(cx, year, "Åtgärder utifrån nulägesanalysen och gapanalysen av de"
			" verksamhetskritiska systemen, i prioritetsordning.", err)))
		return -1;
	for (n = 0; n < ARRAY_SIZE(steps); n++) {
		if (!(ids[n] = activity_from_gap(cx, db_cell_i64(&g, n, 0), p1, 0, err)) ||
		    set_dates(cx, ids[n], day(cx, steps[n].start), day(cx, steps[n].end), &steps[n],
			      err) != 0)
			return -1;
	}
	{
		/* R-7-08: a governance document */
		const char *v[AC__COUNT] = { 0 };
		v[AC_PLAN] = arena_printf(cx->a, "%lld", (long long)p1);
		v[AC_TITLE] = "Revidera informationssäkerhetspolicyn och riktlinjerna";
		v[AC_KIND] = "governance";
		v[AC_PRIORITY] = "2";
		v[AC_GOAL] = "Policyn och riktlinjerna speglar kommunens nuvarande organisation"
			     " och MSB:s föreskrifter, och är beslutade av kommunfullmäktige.";
		v[AC_RESOURCES] = "Samordnaren, 10 dagar; jurist, 2 dagar";
		v[AC_COST] = "0";
		v[AC_RESPONSIBLE] = c.nrows ? db_cell(&c, 0, 0) : NULL;
		v[AC_START] = day(cx, -200);
		v[AC_END] = day(cx, -100);
		if (!(gov = entity_create_values(cx, &ap_activities, v, err)))
			return -1;
	}
	{
		const char *decision[] = {
			"Kommunstyrelsen", decided_on,
			"Kommunstyrelsen fastställer handlingsplanen för informationssäkerhet och ger"
			" kommundirektören i uppdrag att redovisa genomförandet vid varje"
			" tertialuppföljning.",
			arena_printf(cx->a, "KS %s § 14", decided_on),
		};
		if (move(cx, &ap_plans, p1, "submit", NULL, err) != 0 ||
		    move(cx, &ap_plans, p1, "decide", decision, err) != 0)
			return -1;
	}
	for (n = 0; n < ARRAY_SIZE(steps); n++) {
		if (strcmp(steps[n].status, ACT_PLANNED) != 0 &&
		    move(cx, &ap_activities, ids[n], "start", NULL, err) != 0)
			return -1;
		if (strcmp(steps[n].status, ACT_DONE) == 0 &&
		    move(cx, &ap_activities, ids[n], "complete", NULL, err) != 0)
			return -1;
	}
	if (move(cx, &ap_activities, gov, "start", NULL, err) != 0 ||
	    move(cx, &ap_activities, gov, "complete", NULL, err) != 0)
		return -1;
	/* a deviation: the supplier needs another month */
	if (set_dates(cx, ids[MOVED], day(cx, steps[MOVED].start), day(cx, 50), NULL, err) != 0)
		return -1;
	/* next year's, a draft with the gaps left */
	if (!(p2 = plan(cx, next, "Utkast: de brister som återstår efter årets arbete.", err)))
		return -1;
	for (size_t k = n; k < g.nrows; k++)
		if (!activity_from_gap(cx, db_cell_i64(&g, k, 0), p2, 0, err))
			return -1;
	buf_printf(summary, "%s: action plan %s decided (%zu activities), %s as a draft\n",
		   cx->org->name, year, n + 1, next);
	return 0;
}

int actions_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	int rc;

	memset(err, 0, sizeof(*err));
	if (strcmp(cx->org->slug, "exempelstad") != 0)
		return 0;
	if (db_begin(cx->db, err))
		return -1;
	cx->bulk = 1;
	rc = make_plans(cx, summary, err);
	cx->bulk = 0;
	if (rc == 0 && db_commit(cx->db, err) == 0)
		return 0;
	db_rollback(cx->db);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "demo action plans of %s: not created",
			 cx->org->slug);
	return -1;
}
