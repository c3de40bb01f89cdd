/* derive.c - the derivation rule of systems.h: a system's levels from the
 * information it handles, and keeping them right after every change. */
#include "base/base.h"

#include <jansson.h>

#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "db/db.h"
#include "modules/systems/systems.h"
#include "core/ctx.h"

const char klassa_default_scale[] =
	"{\"name\":\"KLASSA\",\"levels\":["
	"{\"level\":0,\"name\":\"Försumbar\"},"
	"{\"level\":1,\"name\":\"Måttlig\"},"
	"{\"level\":2,\"name\":\"Betydande\"},"
	"{\"level\":3,\"name\":\"Allvarlig\"},"
	"{\"level\":4,\"name\":\"Synnerligen allvarlig\",\"outside_baseline\":true}]}";

static const char sql_scale_current[] =
	"SELECT levels_json FROM classification_scale"
	" WHERE org_id = $1 AND archived = 0 AND is_current = 1 ORDER BY id DESC LIMIT 1";

const char *scale_current(struct ctx *cx)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_scale_current, DB_ARGS(DB_INT(cx->org->id)), &rows,
		    &err) == 0 && rows.nrows == 1)
		return db_cell(&rows, 0, 0);
	return klassa_default_scale;
}

/* The highest current level per aspect among the live information sets a
 * system handles through live links, and one set that gives each. */
static const char sql_info_levels[] =
	"SELECT i.id, i.level_k, i.level_r, i.level_t, i.level_s"
	" FROM system_information l"
	" JOIN information_set i ON i.id = l.infoset_id AND i.org_id = l.org_id"
	"  AND i.archived = 0"
	" WHERE l.org_id = $1 AND l.system_id = $2 AND l.archived = 0"
	" ORDER BY i.id";

static const char sql_system_levels[] =
	"SELECT raise_k, raise_r, raise_t, raise_s, level_k, level_r, level_t, level_s,"
	" business_critical, name FROM it_system WHERE org_id = $1 AND id = $2";

int systems_compute(struct ctx *cx, int64_t system_id, struct derivation *d,
		    struct db_error *err)
{
	struct db_rows rows;

	memset(d, 0, sizeof(*d));
	if (db_exec(cx->db, cx->a, sql_info_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &rows, err) != 0)
		return -1;
	for (size_t i = 0; i < rows.nrows; i++)
		for (int a = 0; a < ASPECT__COUNT; a++) {
			int lv = (int)db_cell_i64(&rows, i, 1 + (size_t)a);
			/* info_from also when the highest is 0 (it is still classified) */
			if (db_cell(&rows, i, 1 + (size_t)a) &&
			    (lv > d->info_max[a] || !d->info_from[a])) {
				d->info_max[a] = lv;
				d->info_from[a] = db_cell_i64(&rows, i, 0);
			}
		}
	if (db_exec(cx->db, cx->a, sql_system_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &rows, err) != 0)
		return -1;
	if (rows.nrows != 1) {
		err->code = DBE_NOTFOUND;
		return -1;
	}
	for (int a = 0; a < ASPECT__COUNT; a++) {
		int raise = db_cell(&rows, 0, (size_t)a) ? (int)db_cell_i64(&rows, 0, (size_t)a) : -1;
		d->level[a] = d->info_max[a];
		/* the owner may raise, never lower */
		if (raise > d->level[a]) {
			d->level[a] = raise;
			d->raised[a] = 1;
		}
	}
	d->business_critical = d->level[ASPECT_R] >= LEVEL_BUSINESS_CRITICAL ||
			       d->level[ASPECT_T] >= LEVEL_BUSINESS_CRITICAL;
	return 0;
}

static const char sql_store_levels[] =
	"UPDATE it_system SET level_k = $3, level_r = $4, level_t = $5, level_s = $6,"
	" business_critical = $7, needs_review = 1, version = version + 1, updated_at = $8"
	" WHERE org_id = $1 AND id = $2";

static const char *levels_json(struct ctx *cx, int k, int r, int t, int s, int critical)
{
	json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:b}", "level_k", k, "level_r", r,
			      "level_t", t, "level_s", s, "business_critical", critical);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	const char *out = text ? arena_strdup(cx->a, text) : NULL;

	free(text);
	json_decref(o);
	return out;
}

int systems_derive(struct ctx *cx, int64_t system_id, struct db_error *err)
{
	struct derivation d;
	struct db_rows rows;
	struct audit_event ev = { 0 };
	int changed = 0;

	if (systems_compute(cx, system_id, &d, err) != 0)
		return -1;
	if (db_exec(cx->db, cx->a, sql_system_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &rows, err) != 0)
		return -1;
	for (int a = 0; a < ASPECT__COUNT; a++)
		changed |= db_cell_i64(&rows, 0, 4 + (size_t)a) != d.level[a];
	changed |= db_cell_i64(&rows, 0, 8) != d.business_critical;
	if (!changed)
		return 0;
	if (db_exec(cx->db, cx->a, sql_store_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), DB_INT(d.level[0]),
			    DB_INT(d.level[1]), DB_INT(d.level[2]), DB_INT(d.level[3]),
			    DB_INT(d.business_critical), DB_INT(clock_now())),
		    NULL, err) != 0)
		return -1;
	audit_from_ctx(cx, &ev);
	ev.org_id = cx->org->id;
	ev.action = "derive";
	ev.entity = "systems";
	ev.entity_id = system_id;
	ev.summary = db_cell(&rows, 0, 9);
	ev.before = levels_json(cx, (int)db_cell_i64(&rows, 0, 4), (int)db_cell_i64(&rows, 0, 5),
				(int)db_cell_i64(&rows, 0, 6), (int)db_cell_i64(&rows, 0, 7),
				(int)db_cell_i64(&rows, 0, 8));
	ev.after = levels_json(cx, d.level[0], d.level[1], d.level[2], d.level[3],
			       d.business_critical);
	return audit_append(cx->db, cx->a, &ev, err);
}

static const char sql_systems_of_infoset[] =
	"SELECT DISTINCT system_id FROM system_information"
	" WHERE org_id = $1 AND infoset_id = $2 ORDER BY system_id";

int systems_derive_for_infoset(struct ctx *cx, int64_t infoset_id, struct db_error *err)
{
	struct db_rows rows;

	/* archived links too: a system that stopped handling the set after
	 * its level rose still needs its level brought down */
	if (db_exec(cx->db, cx->a, sql_systems_of_infoset,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(infoset_id)), &rows, err) != 0)
		return -1;
	for (size_t i = 0; i < rows.nrows; i++)
		if (systems_derive(cx, db_cell_i64(&rows, i, 0), err) != 0)
			return -1;
	return 0;
}

static const char sql_latest_classification[] =
	"SELECT level_k, level_r, level_t, level_s, decided_on, review_on"
	" FROM classification WHERE org_id = $1 AND infoset_id = $2 AND archived = 0"
	" ORDER BY decided_on DESC, id DESC LIMIT 1";

static const char sql_set_infoset_levels[] =
	"UPDATE information_set SET level_k = $3, level_r = $4, level_t = $5, level_s = $6,"
	" classified_on = $7, review_on = $8, version = version + 1, updated_at = $9"
	" WHERE org_id = $1 AND id = $2";

static struct db_val cell_int(const struct db_rows *r, size_t col)
{
	return r->nrows && db_cell(r, 0, col) ? DB_INT(db_cell_i64(r, 0, col)) : DB_NULL;
}

int infoset_refresh(struct ctx *cx, int64_t infoset_id, struct db_error *err)
{
	struct db_rows rows;

	if (db_exec(cx->db, cx->a, sql_latest_classification,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(infoset_id)), &rows, err) != 0)
		return -1;
	if (db_exec(cx->db, cx->a, sql_set_infoset_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(infoset_id), cell_int(&rows, 0),
			    cell_int(&rows, 1), cell_int(&rows, 2), cell_int(&rows, 3),
			    DB_TEXT(rows.nrows ? db_cell(&rows, 0, 4) : NULL),
			    DB_TEXT(rows.nrows ? db_cell(&rows, 0, 5) : NULL),
			    DB_INT(clock_now())),
		    NULL, err) != 0)
		return -1;
	return systems_derive_for_infoset(cx, infoset_id, err);
}
