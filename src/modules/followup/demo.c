/* demo.c - Exempelstad's follow-up: this year's internal audit, done,
 * with two findings (an observation, and a deviation made an activity of
 * the action plan) and next year's audit planned by its recurrence; a
 * quarterly log review ahead; an environment scan that is overdue; two
 * annual goals (one decided with two activities of the decided plan, one
 * proposed from a system owner's IT need).  Made through the engine. */
#include "base/base.h"

#include "base/buf.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/followup/followup.h"

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

static int64_t followup(struct ctx *cx, const char *title, const char *kind, const char *scope,
			const char *who, int when, const char *months, struct db_error *err)
{
	const char *v[FU__COUNT] = { 0 };

	v[FU_TITLE] = title;
	v[FU_KIND] = kind;
	v[FU_SCOPE] = scope;
	v[FU_RESPONSIBLE] = who;
	v[FU_PLANNED] = day(cx, when);
	v[FU_RECURRENCE] = months;
	return entity_create_values(cx, &fu_followups, v, err);
}

static int64_t finding(struct ctx *cx, int64_t fu, const char *title, const char *text,
		       const char *kind, const char *sev, struct db_error *err)
{
	const char *v[FN__COUNT] = { 0 };

	v[FN_FOLLOWUP] = arena_printf(cx->a, "%lld", (long long)fu);
	v[FN_TITLE] = title;
	v[FN_DESCRIPTION] = text;
	v[FN_KIND] = kind;
	v[FN_SEVERITY] = sev;
	return entity_create_values(cx, &fu_findings, v, err);
}

static int64_t goal(struct ctx *cx, int year, const char *title, const char *text,
		    const char *who, struct db_error *err)
{
	const char *v[GO__COUNT] = { 0 };

	v[GO_YEAR] = arena_printf(cx->a, "%d", year);
	v[GO_TITLE] = title;
	v[GO_DESCRIPTION] = text;
	v[GO_RESPONSIBLE] = who;
	return entity_create_values(cx, &fu_goals, v, err);
}

static int make(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	struct db_rows c, acts;
	const char *who, *today = ctx_today(cx);
	int year = atoi(today);
	int64_t audit, dev, g1, plan;
	struct record rec;
	struct field_errors errs = { .n = 0 };
	size_t linked = 0;

	if (db_exec(cx->db, cx->a, sql_coordinator, DB_ARGS(DB_INT(cx->org->id)), &c, err) != 0)
		return -1;
	if (!c.nrows)
		return 0;
	who = db_cell(&c, 0, 0);
	if (!(audit = followup(cx, "Årlig internrevision av informationssäkerhetsarbetet",
			       "audit", "Ledningssystemets efterlevnad: styrdokument, handlingsplanen, "
			       "årets mål och systemens säkerhetsplaner.", who, -20, "12", err)) ||
	    move(cx, &fu_followups, audit, "start", NULL, err) != 0 ||
	    !finding(cx, audit, "Loggar följs upp men uppföljningen protokollförs inte",
		     "Loggranskningen görs men resultatet sparas inte, så det går inte att visa i "
		     "efterhand.", "observation", "low", err) ||
	    !(dev = finding(cx, audit, "Behörigheterna i ekonomisystemet har inte setts över på ett år",
			    "Riktlinjen för behörighetshantering kräver översyn två gånger om året.",
			    "deviation", "high", err)))
		return -1;
	if ((plan = plan_open_default(cx, err)) < 0)
		return -1;
	if (plan && move(cx, &fu_findings, dev, "to-action",
			 (const char *[]){ "Se över behörigheterna i ekonomisystemet",
					   day(cx, 60) }, err) != 0)
		return -1;
	/* what the audit checked (R-15-02, R-15-04, R-15-05) */
	if (entity_get(cx, &fu_followups, audit, &rec, err) != 0)
		return -1;
	rec.v[FU_GUIDELINES] = "partly";
	rec.v[FU_GUIDELINES_NOTE] = "Informationssäkerhetspolicyn och riktlinjerna följs i stort; "
				    "behörighetsöversynen släpar.";
	rec.v[FU_GOALS] = "partly";
	rec.v[FU_GOALS_NOTE] = "Målet om säkerhetsplaner nås troligen; utbildningsmålet är inte beslutat.";
	rec.v[FU_REVISION] = "Säkerhetsplanen för ekonomisystemet behöver revideras efter bytet av "
			     "driftleverantör.";
	if (entity_update(cx, &fu_followups, &rec, &errs, err) != 0 ||
	    move(cx, &fu_followups, audit, "complete",
		 (const char *[]){ "Arbetet följer i huvudsak policyn. En avvikelse (behörigheter) "
				   "har blivit en åtgärd i handlingsplanen." }, err) != 0)
		return -1;
	if (!followup(cx, "Loggranskning, kvartal", "log_review",
		      "Granskning av behörighetsloggar i de verksamhetskritiska systemen.", who, 10,
		      "3", err) ||
	    !followup(cx, "Omvärldsbevakning till IT-beredningsgruppen", "scanning",
		      "Hot, sårbarheter och nya krav sedan förra rapporten.", who, -5, "6", err))
		return -1;
	if (!(g1 = goal(cx, year, "Alla verksamhetskritiska system har en signerad säkerhetsplan",
			"Systemägarna tar fram och signerar säkerhetsplaner för sina system.", who,
			err)) ||
	    move(cx, &fu_goals, g1, "decide",
		 (const char *[]){ "Kommunstyrelsen", day(cx, -200), arena_printf(cx->a, "KS %d/14 §3", year) }, err) != 0)
		return -1;
	if ((plan = plan_decided_current(cx, err)) < 0 ||
	    (plan && plan_rows(cx, plan, 2, &acts, err) != 0))
		return -1;
	for (size_t i = 0; plan && i < acts.nrows; i++) {
		const char *v[GA__COUNT] = { 0 };
		v[GA_GOAL] = arena_printf(cx->a, "%lld", (long long)g1);
		v[GA_ACTIVITY] = db_cell(&acts, i, 0);
		if (!entity_create_values(cx, &fu_goal_activities, v, err))
			return -1;
		linked++;
	}
	{
		const char *v[ND__COUNT] = { 0 };
		int64_t need;
		v[ND_YEAR] = arena_printf(cx->a, "%d", year + 1);
		v[ND_TITLE] = "Utbildning för nya användare av verksamhetssystemen";
		v[ND_AREA] = "operations";
		v[ND_OWNER] = who;
		v[ND_GOALS] = "Alla nya användare utbildas innan de får behörighet.";
		v[ND_REQUIREMENTS] = "En kort webbutbildning; uppföljning per kvartal.";
		if (!(need = entity_create_values(cx, &fu_needs, v, err)) ||
		    move(cx, &fu_needs, need, "compile",
			 (const char *[]){ "All personal har gått grundutbildningen i "
					   "informationssäkerhet" }, err) != 0)
			return -1;
	}
	buf_printf(summary, "%s: 4 follow-ups (an audit done, its next planned), 2 findings,"
		   " 2 annual goals (%zu activities linked), 1 IT need\n", cx->org->name, linked);
	return 0;
}

int followup_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	int rc;

	memset(err, 0, sizeof(*err));
	if (strcmp(cx->org->slug, "exempelstad") != 0)
		return 0;
	if (db_begin(cx->db, err))
		return -1;
	cx->bulk = 1;
	rc = make(cx, summary, err);
	cx->bulk = 0;
	if (rc == 0 && db_commit(cx->db, err) == 0)
		return 0;
	db_rollback(cx->db);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "demo follow-up of %s: not created",
			 cx->org->slug);
	return -1;
}
