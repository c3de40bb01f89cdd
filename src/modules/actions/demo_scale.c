/* demo_scale.c - the action plan at scale (core/scale.h): a plan for the
 * year made from the most serious gaps of the systems' self-assessments
 * (an activity per gap, as "Gör till aktivitet" makes it), decided by the
 * municipal executive board, and its activities at every stage: about a
 * third done, a third under way, the rest planned.  Through the engine,
 * many writes to a transaction. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/scale.h"
#include "db/db.h"
#include "modules/actions/actions.h"

static const char sql_count[] = "SELECT count(*) FROM activity WHERE org_id = $1";
/* gaps without an activity, the serious first */
static const char sql_gaps[] =
	"SELECT a.id FROM measure_assessment a WHERE a.org_id = $1 AND a.required = 1"
	" AND a.archived = 0 AND a.status IN ('not_met', 'partly') AND a.system_id IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM activity_gap g WHERE g.org_id = a.org_id"
	" AND g.assessment_id = a.id)"
	" ORDER BY CASE a.severity WHEN 'serious' THEN 0 WHEN 'significant' THEN 1 ELSE 2 END,"
	" a.id LIMIT $2";

static int move(struct ctx *cx, const struct entity *e, int64_t id, const char *name,
		const char *const *pv, struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (entity_get(cx, e, id, &rec, err) != 0)
		return -1;
	if (entity_transition(cx, e, id, rec.version, name, pv, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "scale %s %lld: %s refused", e->name,
				 (long long)id, name);
		return -1;
	}
	return 0;
}

int actions_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
		       struct db_error *err)
{
	struct arena *outer = cx->a, keep = ARENA_INIT, scratch = ARENA_INIT;
	struct scale_rng r;
	struct db_rows c, g;
	double t0 = scale_clock();
	const char *today = ctx_today(cx);
	int64_t want, plan, *ids, made = 0, done = 0, ongoing = 0;
	const char *v[PF__COUNT] = { 0 };
	int rc;

	memset(err, 0, sizeof(*err));
	scale_rng_init(&r, s->seed, cx->org->id, "actions");
	if (db_exec(cx->db, &keep, sql_count, DB_ARGS(DB_INT(cx->org->id)), &c, err) != 0)
		goto fail;
	want = s->activities - db_cell_i64(&c, 0, 0);
	if (want <= 0)
		goto out;
	if (db_exec(cx->db, &keep, sql_gaps, DB_ARGS(DB_INT(cx->org->id), DB_INT(want)), &g,
		    err) != 0)
		goto fail;
	if (!g.nrows)
		goto out;
	if (scale_batch_begin(cx, err) != 0)
		goto fail;
	v[PF_TITLE] = arena_printf(&keep, "Handlingsplan för verksamhetssystemen %.4s", today);
	v[PF_START] = arena_printf(&keep, "%.4s-01-01", today);
	v[PF_END] = arena_printf(&keep, "%.4s-12-31", today);
	v[PF_DESCRIPTION] = "Åtgärder utifrån gapanalyserna av kommunens system, de allvarligaste"
			    " bristerna först.";
	rc = (plan = entity_create_values(cx, &ap_plans, v, err)) ? 0 : -1;
	ids = arena_alloc(&keep, (g.nrows + 1) * sizeof(*ids));
	cx->a = &scratch;
	for (size_t i = 0; rc == 0 && i < g.nrows; i++) {
		if (!(ids[i] = activity_from_gap(cx, db_cell_i64(&g, i, 0), plan, 0, err)))
			rc = -1;
		made++;
		if (rc == 0 && made % 200 == 0) {
			rc = scale_batch_tick(cx, made, 200, err);
			arena_release(&scratch);
			scale_progress(s, "activities", made, (int64_t)g.nrows);
		}
	}
	if (rc == 0) {
		const char *decision[] = {
			"Kommunstyrelsen", scale_date(cx->a, cx->now, -300),
			"Kommunstyrelsen fastställer handlingsplanen för verksamhetssystemen.",
			"KS § 12",
		};
		rc = move(cx, &ap_plans, plan, "submit", NULL, err);
		if (rc == 0)
			rc = move(cx, &ap_plans, plan, "decide", decision, err);
	}
	for (size_t i = 0; rc == 0 && i < g.nrows; i++) {
		uint32_t roll = scale_below(&r, 3);

		if (roll >= 1) {
			rc = move(cx, &ap_activities, ids[i], "start", NULL, err);
			ongoing++;
		}
		if (rc == 0 && roll == 2) {
			rc = move(cx, &ap_activities, ids[i], "complete", NULL, err);
			ongoing--;
			done++;
		}
		if (rc == 0 && i % 200 == 199) {
			rc = scale_batch_tick(cx, 200, 200, err);
			arena_release(&scratch);
		}
	}
	if (scale_batch_end(cx, rc, err) != 0)
		goto fail;
out:
	cx->a = outer;
	arena_release(&scratch);
	arena_release(&keep);
	buf_printf(summary, "  %s: %lld activities from gaps (%lld done, %lld under way) (%.1f s)\n",
		   cx->org->slug, (long long)made, (long long)done, (long long)ongoing,
		   scale_clock() - t0);
	return 0;
fail:
	cx->a = outer;
	arena_release(&scratch);
	arena_release(&keep);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "scale activities of %s: not made",
			 cx->org->slug);
	return -1;
}
