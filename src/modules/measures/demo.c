/* demo.c - the demo municipality's measures: Värn's catalogue loaded, the
 * organisation-wide measures mostly assessed, a few operations measures
 * assessed once by the joint IT unit and inherited, and a partly finished
 * gap analysis for every business-critical system - as a municipality
 * looks some months into the work.
 *
 * The assessments are made through the engine (validation, the status in
 * effect, the overviews' counts, the audit trail), then dated and signed
 * as their system's owner would have: the demo runs as the system. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/scale.h"
#include "core/report.h"
#include "core/entity.h"
#include "db/db.h"
#include "modules/measures/measures.h"

/* A stable pseudo-random number 0..99 for a pair: the same demo each time. */
static int roll(int64_t a, int64_t b)
{
	uint64_t x = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)b * 0xC2B2AE3D27D4EB4Full;

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 32;
	return (int)(x % 100);
}

struct demo_answer {
	const char *status, *severity, *how, *evidence, *motivation;
};

/* What an owner says, by the roll: met, partly, not met, the supplier's
 * word, not applicable. */
static struct demo_answer answer_for(int r, const char *area)
{
	struct demo_answer a = { ST_MET, NULL, NULL, NULL, NULL };

	if (r < 55) {
		a.how = strcmp(area, "operations") == 0 ?
			"Rutin i förvaltningsplanen; driften följer upp varje månad." :
			strcmp(area, "access") == 0 ?
			"Behörigheter beställs skriftligt av chef och följs upp två gånger per år." :
			"Dokumenterad rutin, känd av förvaltningen.";
		a.evidence = "Förvaltningsplan 2026, avsnitt 4";
	} else if (r < 75) {
		a.status = ST_PARTLY;
		a.severity = r < 68 ? "moderate" : "significant";
		a.how = "Görs, men rutinen är inte nedskriven och följs inte upp.";
	} else if (r < 87) {
		a.status = ST_NOT_MET;
		a.severity = r < 82 ? "significant" : "serious";
		a.how = "Saknas i dag.";
	} else if (r < 95) {
		a.status = ST_SUPPLIER;
		a.how = "Leverantören uppger att det görs; inte granskat.";
		a.evidence = "Leverantörens svar i avtalsuppföljningen";
	} else {
		a.status = ST_NA;
		a.motivation = "Systemet har ingen sådan funktion; bedömt vid förvaltningsmötet.";
	}
	return a;
}

static const char sql_rows[] =
	"SELECT a.id, a.area, m.code, a.system_id, s.owner_id, a.measure_id"
	" FROM measure_assessment a JOIN measure m ON m.id = a.measure_id"
	" LEFT JOIN it_system s ON s.id = a.system_id"
	" WHERE a.org_id = $1 AND a.required = 1 AND a.archived = 0"
	" AND ((a.system_id IS NULL AND m.scope = 'organisation') OR s.business_critical = 1)"
	" ORDER BY a.id";
/* signed and dated as the owner (the coordinator for the organisation's)
 * some weeks back: the demo itself acts as the system */
static const char sql_sign[] =
	"UPDATE measure_assessment SET assessed_by = $3, assessed_on = $4"
	" WHERE org_id = $1 AND id = $2";
static const char sql_coordinator[] =
	"SELECT p.id FROM person p JOIN role_assignment r ON r.person_id = p.id"
	" AND r.org_id = p.org_id AND r.role = 'samordnare' AND r.archived = 0"
	" WHERE p.org_id = $1 AND p.archived = 0 ORDER BY p.id LIMIT 1";

/* The date days before today (Europe/Stockholm). */
static const char *day_before(const struct ctx *cx, int days)
{
	struct ctx then = *cx;

	then.now -= (int64_t)days * 86400;
	return ctx_today(&then);
}

static int assess(struct ctx *cx, int64_t id, const struct demo_answer *ans, const char *inherit,
		  int64_t signer, int days_ago, struct db_error *err)
{
	struct record rec;
	struct field_errors errs;
	const char *by = signer ? arena_printf(cx->a, "%lld", (long long)signer) : NULL;

	if (entity_get(cx, &ms_assessments, id, &rec, err) != 0)
		return -1;
	rec.v[AF_STATUS] = ans->status;
	rec.v[AF_SEVERITY] = ans->severity;
	rec.v[AF_HOW] = ans->how;
	rec.v[AF_EVIDENCE] = ans->evidence;
	rec.v[AF_MOTIVATION] = ans->motivation;
	rec.v[AF_INHERIT] = inherit;
	memset(&errs, 0, sizeof(errs));
	if (entity_update(cx, &ms_assessments, &rec, &errs, err) != 0) {
		if (errs.n && !err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo assessment %lld: not valid",
				 (long long)id);
		return -1;
	}
	return db_exec(cx->db, cx->a, sql_sign,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(id), by ? DB_TEXT(by) : DB_NULL,
			       DB_TEXT(day_before(cx, days_ago))),
		       NULL, err);
}

/* The joint IT unit's shared assessments: the first system measures of
 * operations that every system needs (backups, patching ...), assessed
 * once for the organisation, inherited by the systems it runs (in the
 * municipality's own operation or the joint IT organisation's). */
static const char sql_shared_candidates[] =
	"SELECT id FROM measure WHERE org_id = $1 AND archived = 0 AND scope = 'system'"
	" AND area = 'operations' AND mtype = 'technical' AND system_id IS NULL"
	" AND (min_k = 0 OR min_r = 0 OR min_t = 0 OR min_s = 0) ORDER BY code_sk LIMIT 4";
static const char sql_inheritors[] =
	"SELECT a.id FROM measure_assessment a JOIN it_system s ON s.id = a.system_id"
	" WHERE a.org_id = $1 AND a.measure_id = $2 AND s.hosting IN ('own', 'joint')"
	" AND a.required = 1 ORDER BY a.id";

static int make_shared(struct ctx *cx, int64_t signer, size_t *n, struct db_error *err)
{
	struct db_rows m, r;
	static const struct demo_answer shared = {
		ST_MET, NULL, "IT-enheten gör det för alla system den driver, enligt driftrutinen.",
		"Driftrutin IT-enheten, version 3", NULL,
	};
	static const struct demo_answer inherited = { ST_NOT_ASSESSED, NULL, NULL, NULL, NULL };

	if (db_exec(cx->db, cx->a, sql_shared_candidates, DB_ARGS(DB_INT(cx->org->id)), &m,
		    err) != 0)
		return -1;
	for (size_t i = 0; i < m.nrows; i++) {
		int64_t mid = db_cell_i64(&m, i, 0);
		const char *vals[AF__COUNT] = { 0 };
		int64_t id;

		vals[AF_MEASURE] = db_cell(&m, i, 0);
		vals[AF_STATUS] = shared.status;
		vals[AF_HOW] = shared.how;
		vals[AF_EVIDENCE] = shared.evidence;
		id = entity_create_values(cx, &ms_assessments, vals, err);
		if (!id || db_exec(cx->db, cx->a, sql_sign,
				   DB_ARGS(DB_INT(cx->org->id), DB_INT(id),
					   signer ? DB_INT(signer) : DB_NULL,
					   DB_TEXT(day_before(cx, 40))),
				   NULL, err) != 0)
			return -1;
		(*n)++;
		if (db_exec(cx->db, cx->a, sql_inheritors,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(mid)), &r, err) != 0)
			return -1;
		for (size_t k = 0; k < r.nrows; k++)
			if (assess(cx, db_cell_i64(&r, k, 0), &inherited, "1", 0, 30, err) != 0)
				return -1;
	}
	return 0;
}

static int make_assessments(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	struct db_rows r, c;
	size_t n = 0, shared = 0;
	int64_t coordinator = 0;

	if (db_exec(cx->db, cx->a, sql_coordinator, DB_ARGS(DB_INT(cx->org->id)), &c, err) != 0)
		return -1;
	if (c.nrows == 1)
		coordinator = db_cell_i64(&c, 0, 0);
	if (make_shared(cx, coordinator, &shared, err) != 0)
		return -1;
	if (db_exec(cx->db, cx->a, sql_rows, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int64_t id = db_cell_i64(&r, i, 0), sys = db_cell_i64(&r, i, 3);
		int64_t mid = db_cell_i64(&r, i, 5);
		struct demo_answer ans;
		/* each system half to three quarters done, by its own roll; the
		 * organisation's own measures seven in ten */
		int done = sys ? 45 + roll(sys, 7) / 3 : 70;

		if (roll(sys, mid) >= done)
			continue;
		ans = answer_for(roll(mid, sys + 1), db_cell(&r, i, 1));
		if (assess(cx, id, &ans, NULL, sys ? db_cell_i64(&r, i, 4) : coordinator,
			   5 + roll(id, 3), err) != 0)
			return -1;
		n++;
	}
	buf_printf(summary, "%s: %zu assessments of security measures, %zu shared by the IT unit\n",
		   cx->org->name, n, shared);
	return 0;
}

/* The management report's trend (report_section.c): the gaps as the
 * daily job would have kept them at the start of the last quarter (two
 * more open in each area with gaps) and at its end (as now). */
static int demo_history(struct ctx *cx, struct db_error *err)
{
	struct report_period p;

	report_preset(REPORT_LAST_QUARTER, cx->now, &p);
	if (gap_snapshot_write(cx, report_day(cx->a, p.from), 2, err) != 0)
		return -1;
	return gap_snapshot_write(cx, report_last_day(cx->a, &p), 0, err);
}

int measures_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	struct catalogue_diff d;
	size_t len;
	const char *json = catalogue_builtin(&len);
	int rc;

	memset(err, 0, sizeof(*err));
	if (db_begin(cx->db, err))
		return -1;
	cx->bulk = 1;
	rc = catalogue_load(cx, json, len, "builtin", &d, err);
	if (rc == 0)
		rc = make_assessments(cx, summary, err);
	if (rc == 0 && strcmp(cx->org->slug, "exempelstad") == 0)
		rc = demo_history(cx, err);
	cx->bulk = 0;
	if (rc == 0 && db_commit(cx->db, err) == 0)
		return 0;
	db_rollback(cx->db);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "demo measures of %s: not created",
			 cx->org->slug);
	return -1;
}

/* ---- at scale (core/scale.h) ---- */

/* The gap analyses of every system: the required rows exist (the systems'
 * levels made them, selection.c); most are self-assessed, each system
 * further along than another by its own roll.  Written with one prepared
 * UPDATE per row in batches, with the values the engine's validate would
 * have set (status in effect, signer, date, search text, version) and an
 * audit event each ("update" of the assessment, dated when it was made);
 * the summaries follow by their triggers. */
static const char sql_has_catalogue[] =
	"SELECT count(*) FROM measure WHERE org_id = $1";
/* system by system: each one's rows by the unique index on (org, system) */
static const char sql_scale_systems[] =
	"SELECT id, owner_id FROM it_system WHERE org_id = $1 AND archived = 0 ORDER BY id";
static const char sql_open_rows[] =
	"SELECT a.id, a.area, a.system_id, a.measure_id, m.title"
	" FROM measure_assessment a JOIN measure m ON m.id = a.measure_id"
	" WHERE a.org_id = $1 AND a.system_id = $2 AND a.required = 1 AND a.archived = 0"
	" AND a.status = 'not_assessed' AND a.inherit = 0"
	" ORDER BY a.id";
static const char sql_assess_row[] =
	"UPDATE measure_assessment SET status = $3, effective_status = $3, how = $4,"
	" evidence = $5, severity = $6, motivation = $7, assessed_by = $8, assessed_on = $9,"
	" new_required = 0, measure_changed = 0, search = $10, version = version + 1,"
	" updated_at = $11 WHERE org_id = $1 AND id = $2";

int measures_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
			struct db_error *err)
{
	struct arena *outer = cx->a, scratch = ARENA_INIT;
	struct audit_history ab;
	struct db_rows r, sys;
	double t0 = scale_clock();
	int64_t last = 0, n = 0, seen = 0;
	int rc = 0;

	memset(err, 0, sizeof(*err));
	if (db_exec(cx->db, cx->a, sql_has_catalogue, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	if (db_cell_i64(&r, 0, 0) == 0) {
		/* a new organisation: Värn's catalogue, which makes every
		 * system's required rows */
		struct catalogue_diff d;
		size_t len;
		const char *json = catalogue_builtin(&len);

		if (scale_batch_begin(cx, err) != 0)
			return -1;
		rc = catalogue_load(cx, json, len, "builtin", &d, err);
		if (scale_batch_end(cx, rc, err) != 0)
			return -1;
	}
	if (db_exec(cx->db, cx->a, sql_scale_systems, DB_ARGS(DB_INT(cx->org->id)), &sys, err) != 0)
		return -1;
	cx->a = &scratch;
	if (db_begin(cx->db, err) != 0 || audit_history_begin(cx->db, cx->a, &ab, err) != 0) {
		cx->a = outer;
		db_rollback(cx->db);
		return -1;
	}
	for (size_t k = 0; k < sys.nrows && rc == 0; k++) {
		const char *owner = db_cell(&sys, k, 1);

		if (db_exec(cx->db, cx->a, sql_open_rows,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&sys, k, 0))), &r,
			    err) != 0) {
			rc = -1;
			break;
		}
		for (size_t i = 0; i < r.nrows && rc == 0; i++) {
			int64_t id = db_cell_i64(&r, i, 0), sys_id = db_cell_i64(&r, i, 2);
			int64_t mid = db_cell_i64(&r, i, 3);
			int done = s->assessed_pct - 15 + roll(sys_id ^ (int64_t)s->seed, 7) * 30 / 100;
			int days = 3 + roll(id, (int64_t)s->seed) * 5;
			const char *what[AF__COUNT] = { 0 };
			struct record rec = { .v = what };
			struct demo_answer ans;
			struct audit_event ev = { 0 };
			const char *on = scale_date(cx->a, cx->now, -days);

			seen++;
			if (roll(sys_id + (int64_t)s->seed, mid) >= done)
				continue;
			ans = answer_for(roll(mid + (int64_t)s->seed, sys_id + 1), db_cell(&r, i, 1));
			what[AF_HOW] = ans.how;
			what[AF_EVIDENCE] = ans.evidence;
			what[AF_MOTIVATION] = ans.motivation;
			rc = db_exec(cx->db, cx->a, sql_assess_row,
				     DB_ARGS(DB_INT(cx->org->id), DB_INT(id), DB_TEXT(ans.status),
					     DB_TEXT(ans.how), DB_TEXT(ans.evidence),
					     DB_TEXT(ans.severity), DB_TEXT(ans.motivation),
					     owner ? DB_INT(atoll(owner)) : DB_NULL,
					     DB_TEXT(on),
					     DB_TEXT(entity_search_text(cx->a, &ms_assessments, &rec)),
					     DB_INT(cx->now - (int64_t)days * 86400)),
				     NULL, err);
			audit_from_ctx(cx, &ev);
			ev.action = "update";
			ev.entity = ms_assessments.name;
			ev.entity_id = id;
			ev.summary = db_cell(&r, i, 4);
			if (rc == 0)
				rc = audit_history_add(cx->db, cx->a, &ab, &ev,
						     cx->now - (int64_t)days * 86400, err);
			n++;
		}
		if (rc != 0 || (n - last < SCALE_BATCH && k + 1 < sys.nrows))
			continue;
		/* the batch: its head, its commit, its memory */
		last = n;
		if (audit_history_end(cx->db, cx->a, &ab, err) != 0 || db_commit(cx->db, err) != 0) {
			rc = -1;
			break;
		}
		arena_release(&scratch);
		scale_progress(s, "assessed systems", (int64_t)k + 1, (int64_t)sys.nrows);
		if (k + 1 < sys.nrows &&
		    (db_begin(cx->db, err) != 0 || audit_history_begin(cx->db, cx->a, &ab, err) != 0))
			rc = -1;
	}
	if (db_in_transaction(cx->db))
		db_rollback(cx->db);
	arena_release(&scratch);
	cx->a = outer;
	if (rc != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "scale assessments of %s: not made",
				 cx->org->slug);
		return -1;
	}
	buf_printf(summary, "  %s: %lld of %lld required system measures self-assessed (%.1f s)\n",
		   cx->org->slug, (long long)n, (long long)seen, scale_clock() - t0);
	return 0;
}
