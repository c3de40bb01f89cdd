/* selection.c - which measures a system needs (the rule of measures.h),
 * and keeping every system's assessment rows in step with it.
 *
 * The rows are written here with plain SQL, not through the engine: they
 * are derived from the measures and the systems' levels, not said by a
 * person (as systems_derive writes a system's levels).  A person's
 * assessment (status, how, evidence ...) is never touched; only whether
 * the measure is required now, whether it came with a rise of the level,
 * and the copies the overviews group by.  The rows' version is left alone,
 * so an owner's open form does not meet a conflict for a change they
 * cannot see; the engine's validate recomputes the same facts on save.
 * One audit event per system whose required measures changed. */
#include "base/base.h"

#include <stdlib.h>

#include "core/audit.h"
#include "core/ctx.h"
#include "db/db.h"
#include "modules/measures/measures.h"

int measure_required(const int min[ASPECTS], const int level[ASPECTS])
{
	for (int a = 0; a < ASPECTS; a++) {
		if (min[a] == MIN_NONE)
			continue;
		if (min[a] == 0 || (level[a] != LEVEL_NOT_SET && level[a] >= min[a]))
			return 1;
	}
	return 0;
}

int measure_recommended(const int min[ASPECTS], const int level[ASPECTS])
{
	if (measure_required(min, level))
		return 0;
	for (int a = 0; a < ASPECTS; a++)
		if (min[a] != MIN_NONE && level[a] != LEVEL_NOT_SET && level[a] + 1 >= min[a])
			return 1;
	return 0;
}

/* ---- what the rule reads ---- */

struct sel_measure {
	int64_t id;
	int min[ASPECTS];
	int64_t extra_for;   /* an extra requirement of this system, or 0 */
	int org_scope;
	int live;
	const char *area, *code, *code_sk;
};

struct sel_system {
	int64_t id;
	int level[ASPECTS];
	int level_max;
	int64_t unit;        /* 0: none */
	int live;
	const char *name;
};

static const char sql_measures[] =
	"SELECT id, min_k, min_r, min_t, min_s, system_id, scope, archived, area, code, code_sk"
	" FROM measure WHERE org_id = $1 AND ($2 = 0 OR id = $2) ORDER BY id";
/* One system by its id, or all: two statements, since "($2 = 0 OR id =
 * $2)" keeps both engines from the primary key and read every system of
 * the organisation for one (an import of n systems read n^2/2). */
#define SQL_SYSTEMS \
	"SELECT id, level_k, level_r, level_t, level_s, level_max, unit_id, archived, name" \
	" FROM it_system WHERE org_id = $1"
static const char sql_systems[] = SQL_SYSTEMS " ORDER BY id";
static const char sql_system[] = SQL_SYSTEMS " AND id = $2";

static int load_measures(struct ctx *cx, int64_t only, struct sel_measure **out, size_t *n,
			 struct db_error *err)
{
	struct db_rows r;
	struct sel_measure *m;

	if (db_exec(cx->db, cx->a, sql_measures, DB_ARGS(DB_INT(cx->org->id), DB_INT(only)), &r,
		    err) != 0)
		return -1;
	m = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*m));
	for (size_t i = 0; i < r.nrows; i++) {
		m[i].id = db_cell_i64(&r, i, 0);
		for (size_t a = 0; a < ASPECTS; a++)
			m[i].min[a] = db_cell(&r, i, 1 + a) ? (int)db_cell_i64(&r, i, 1 + a)
							   : MIN_NONE;
		m[i].extra_for = db_cell_i64(&r, i, 5);
		m[i].org_scope = strcmp(db_cell(&r, i, 6), "organisation") == 0;
		m[i].live = db_cell_i64(&r, i, 7) == 0;
		m[i].area = db_cell(&r, i, 8);
		m[i].code = db_cell(&r, i, 9);
		m[i].code_sk = db_cell(&r, i, 10);
	}
	*out = m;
	*n = r.nrows;
	return 0;
}

static int load_systems(struct ctx *cx, int64_t only, struct sel_system **out, size_t *n,
			struct db_error *err)
{
	struct db_rows r;
	struct sel_system *s;

	if ((only ? db_exec(cx->db, cx->a, sql_system,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(only)), &r, err) :
		    db_exec(cx->db, cx->a, sql_systems, DB_ARGS(DB_INT(cx->org->id)), &r,
			    err)) != 0)
		return -1;
	s = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*s));
	for (size_t i = 0; i < r.nrows; i++) {
		s[i].id = db_cell_i64(&r, i, 0);
		for (size_t a = 0; a < ASPECTS; a++)
			s[i].level[a] = db_cell(&r, i, 1 + a) ? (int)db_cell_i64(&r, i, 1 + a)
							     : LEVEL_NOT_SET;
		s[i].level_max = db_cell(&r, i, 5) ? (int)db_cell_i64(&r, i, 5) : 0;
		s[i].unit = db_cell_i64(&r, i, 6);
		s[i].live = db_cell_i64(&r, i, 7) == 0;
		s[i].name = db_cell(&r, i, 8);
	}
	*out = s;
	*n = r.nrows;
	return 0;
}

/* Whether system s needs measure m now. */
static int needs(const struct sel_measure *m, const struct sel_system *s)
{
	if (!m->live || !s->live || m->org_scope)
		return 0;
	if (m->extra_for)
		return m->extra_for == s->id;
	return measure_required(m->min, s->level);
}

/* ---- the rows ---- */

struct sel_row {
	int64_t id, measure;
	int required, fresh, level;
	int64_t unit;
	const char *area, *status;
};

static const char sql_rows_of_system[] =
	"SELECT id, measure_id, required, new_required, sys_level, unit_id, area, status"
	" FROM measure_assessment WHERE org_id = $1 AND system_id = $2"
	" AND ($3 = 0 OR measure_id = $3) ORDER BY measure_id";
static const char sql_rows_of_org[] =
	"SELECT id, measure_id, required, new_required, sys_level, unit_id, area, status"
	" FROM measure_assessment WHERE org_id = $1 AND system_id IS NULL"
	" AND ($2 = 0 OR measure_id = $2) ORDER BY measure_id";

static const char sql_insert_row[] =
	"INSERT INTO measure_assessment (org_id, measure_id, system_id, status, inherit, required,"
	" new_required, measure_changed, area, unit_id, sys_level, effective_status, code,"
	" code_sk, search, version, archived, created_at, updated_at, created_by, updated_by)"
	" VALUES ($1, $2, $3, 'not_assessed', 0, 1, $4, 0, $5, $6, $7, 'not_assessed', $8, $9,"
	" '', 1, 0, $10, $10, $11, $11)";
static const char sql_update_row[] =
	"UPDATE measure_assessment SET required = $3, new_required = $4, sys_level = $5,"
	" unit_id = $6, area = $7 WHERE org_id = $1 AND id = $2";

static struct sel_row *load_rows(struct ctx *cx, const char *sql, const struct db_val *p,
				 size_t np, size_t *n, struct db_error *err)
{
	struct db_rows r;
	struct sel_row *rows;

	if (db_exec(cx->db, cx->a, sql, p, np, &r, err) != 0)
		return NULL;
	rows = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*rows));
	for (size_t i = 0; i < r.nrows; i++) {
		rows[i].id = db_cell_i64(&r, i, 0);
		rows[i].measure = db_cell_i64(&r, i, 1);
		rows[i].required = (int)db_cell_i64(&r, i, 2);
		rows[i].fresh = (int)db_cell_i64(&r, i, 3);
		rows[i].level = (int)db_cell_i64(&r, i, 4);
		rows[i].unit = db_cell_i64(&r, i, 5);
		rows[i].area = db_cell(&r, i, 6);
		rows[i].status = db_cell(&r, i, 7);
	}
	*n = r.nrows;
	return rows;
}

static struct sel_row *find_row(struct sel_row *rows, size_t n, int64_t measure)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rows[mid].measure == measure)
			return &rows[mid];
		if (rows[mid].measure < measure)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct sel_change {
	size_t added, dropped;
};

/* Brings one holder's rows (a system, or the organisation: s NULL) for
 * the measures m[0..nm) in step.  first: the holder had no rows before
 * (a new system, a first catalogue): nothing is "new after a rise". */
static int sync_holder(struct ctx *cx, const struct sel_system *s, const struct sel_measure *m,
		       size_t nm, int64_t only_measure, struct sel_change *ch, struct db_error *err)
{
	struct sel_row *rows;
	size_t nrows;
	int first;
	int64_t actor = cx->user_id;
	int64_t sid = s ? s->id : 0;
	int level = s ? s->level_max : -1;
	int64_t unit = s ? s->unit : 0;

	if (s)
		rows = load_rows(cx, sql_rows_of_system,
				 DB_ARGS(DB_INT(cx->org->id), DB_INT(sid), DB_INT(only_measure)),
				 &nrows, err);
	else
		rows = load_rows(cx, sql_rows_of_org,
				 DB_ARGS(DB_INT(cx->org->id), DB_INT(only_measure)), &nrows, err);
	if (!rows)
		return -1;
	first = nrows == 0 && !only_measure;
	for (size_t i = 0; i < nm; i++) {
		int req = s ? needs(&m[i], s) : (m[i].live && m[i].org_scope);
		struct sel_row *row = find_row(rows, nrows, m[i].id);
		int fresh;

		if (!s && !m[i].org_scope)
			continue; /* a shared assessment is made by a person */
		if (!row) {
			if (!req)
				continue;
			if (db_exec(cx->db, cx->a, sql_insert_row,
				    DB_ARGS(DB_INT(cx->org->id), DB_INT(m[i].id),
					    sid ? DB_INT(sid) : DB_NULL, DB_INT(!first && s),
					    DB_TEXT(m[i].area), unit ? DB_INT(unit) : DB_NULL,
					    DB_INT(level), DB_TEXT(m[i].code), DB_TEXT(m[i].code_sk),
					    DB_INT(cx->now), actor ? DB_INT(actor) : DB_NULL),
				    NULL, err) != 0)
				return -1;
			ch->added++;
			continue;
		}
		/* newly required again and never assessed: new; no longer
		 * required: kept as it is, marked so */
		fresh = row->fresh;
		if (req && !row->required)
			fresh = s && strcmp(row->status, ST_NOT_ASSESSED) == 0;
		else if (!req)
			fresh = 0;
		if (req == row->required && fresh == row->fresh && level == row->level &&
		    unit == row->unit && strcmp(row->area, m[i].area) == 0)
			continue;
		if (db_exec(cx->db, cx->a, sql_update_row,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(row->id), DB_INT(req), DB_INT(fresh),
				    DB_INT(level), unit ? DB_INT(unit) : DB_NULL,
				    DB_TEXT(m[i].area)),
			    NULL, err) != 0)
			return -1;
		if (req && !row->required)
			ch->added++;
		else if (!req && row->required)
			ch->dropped++;
	}
	return 0;
}

/* One audit event for a holder whose required measures changed. */
static int audit_change(struct ctx *cx, const struct sel_system *s, const struct sel_change *ch,
			struct db_error *err)
{
	struct audit_event ev = { 0 };

	if (!ch->added && !ch->dropped)
		return 0;
	audit_from_ctx(cx, &ev);
	ev.org_id = cx->org->id;
	ev.action = "gap-sync";
	ev.entity = s ? "systems" : "";
	ev.entity_id = s ? s->id : 0;
	ev.summary = s ? s->name : cx->org->name;
	ev.after = arena_printf(cx->a, "{\"required_added\":%zu,\"required_dropped\":%zu}",
				ch->added, ch->dropped);
	return audit_append(cx->db, cx->a, &ev, err);
}

int gap_sync_system(struct ctx *cx, int64_t system_id, struct db_error *err)
{
	struct sel_measure *m;
	struct sel_system *s;
	struct sel_change ch = { 0 };
	size_t nm, ns;

	if (load_systems(cx, system_id, &s, &ns, err) != 0 ||
	    load_measures(cx, 0, &m, &nm, err) != 0)
		return -1;
	if (ns != 1)
		return 0;
	if (sync_holder(cx, &s[0], m, nm, 0, &ch, err) != 0)
		return -1;
	return audit_change(cx, &s[0], &ch, err);
}

int gap_sync_organisation(struct ctx *cx, struct db_error *err)
{
	struct sel_measure *m;
	struct sel_system *s;
	struct sel_change ch = { 0 };
	size_t nm, ns;

	if (load_measures(cx, 0, &m, &nm, err) != 0 ||
	    sync_holder(cx, NULL, m, nm, 0, &ch, err) != 0 ||
	    audit_change(cx, NULL, &ch, err) != 0)
		return -1;
	if (load_systems(cx, 0, &s, &ns, err) != 0)
		return -1;
	for (size_t i = 0; i < ns; i++) {
		struct sel_change c = { 0 };
		if (sync_holder(cx, &s[i], m, nm, 0, &c, err) != 0 ||
		    audit_change(cx, &s[i], &c, err) != 0)
			return -1;
	}
	return 0;
}

static const char sql_any_system_row[] =
	"SELECT id FROM measure_assessment WHERE org_id = $1 AND measure_id = $2"
	" AND system_id IS NOT NULL LIMIT 1";

int gap_sync_measure(struct ctx *cx, int64_t measure_id, struct db_error *err)
{
	struct sel_measure *m;
	struct sel_system *s;
	struct sel_change ch = { 0 };
	struct db_rows r;
	size_t nm, ns;

	if (load_measures(cx, measure_id, &m, &nm, err) != 0)
		return -1;
	if (nm != 1)
		return 0;
	if (sync_holder(cx, NULL, m, 1, measure_id, &ch, err) != 0)
		return -1;
	/* every system, for a measure that binds systems or did (its scope,
	 * its levels or the system of an extra requirement changed) */
	if (m[0].org_scope && m[0].live) {
		if (db_exec(cx->db, cx->a, sql_any_system_row,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(measure_id)), &r, err) != 0)
			return -1;
		if (r.nrows == 0)
			return 0;
	}
	if (load_systems(cx, 0, &s, &ns, err) != 0)
		return -1;
	for (size_t i = 0; i < ns; i++)
		if (sync_holder(cx, &s[i], m, 1, measure_id, &ch, err) != 0)
			return -1;
	return 0;
}

static const char sql_shared_row[] =
	"SELECT status, archived FROM measure_assessment"
	" WHERE org_id = $1 AND measure_id = $2 AND system_id IS NULL";
static const char sql_follow_shared[] =
	"UPDATE measure_assessment SET effective_status = $3"
	" WHERE org_id = $1 AND measure_id = $2 AND system_id IS NOT NULL AND inherit = 1"
	" AND effective_status <> $3";

int gap_sync_inherited(struct ctx *cx, int64_t measure_id, struct db_error *err)
{
	struct db_rows r;
	const char *st = ST_NOT_ASSESSED;

	if (db_exec(cx->db, cx->a, sql_shared_row,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(measure_id)), &r, err) != 0)
		return -1;
	if (r.nrows == 1 && db_cell_i64(&r, 0, 1) == 0)
		st = db_cell(&r, 0, 0);
	return db_exec(cx->db, cx->a, sql_follow_shared,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(measure_id), DB_TEXT(st)), NULL, err);
}

/* ---- a system's numbers ---- */

static const char sql_system_counts[] =
	"SELECT stat, n FROM gap_system_stat WHERE org_id = $1 AND system_id = $2";

void gap_counts_add(struct gap_counts *c, const char *st, int64_t n)
{
	if (!st)
		return;
	if (strcmp(st, "new") == 0)
		c->fresh = n;
	else if (strcmp(st, "changed") == 0)
		c->changed = n;
	else {
		c->required += n;
		if (strcmp(st, ST_MET) == 0)
			c->met = n;
		else if (strcmp(st, ST_PARTLY) == 0)
			c->partly = n;
		else if (strcmp(st, ST_NOT_MET) == 0)
			c->not_met = n;
		else if (strcmp(st, ST_NA) == 0)
			c->na = n;
		else if (strcmp(st, ST_SUPPLIER) == 0)
			c->supplier = n;
		else
			c->not_assessed = n;
	}
	c->assessed = c->required - c->not_assessed;
}

int gap_system_counts(struct ctx *cx, int64_t system_id, struct gap_counts *c,
		      struct db_error *err)
{
	struct db_rows r;

	memset(c, 0, sizeof(*c));
	if (db_exec(cx->db, cx->a, sql_system_counts,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++)
		gap_counts_add(c, db_cell(&r, i, 0), db_cell_i64(&r, i, 1));
	return 0;
}
