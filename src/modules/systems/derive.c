/* derive.c - the derivation rule of systems.h: a system's levels from the
 * information it handles, and keeping them right after every change. */
#include "base/base.h"

#include <jansson.h>

#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/module.h"
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

/* The current levels of the live information sets a system handles through
 * live links.  A set's aspect without a level (never classified, or the
 * aspect not analysed) gives no level; the set counts as unclassified
 * while it has never been classified (classified_on, as the start page
 * and the list of sets to classify count it). */
static const char sql_info_levels[] =
	"SELECT i.id, i.level_k, i.level_r, i.level_t, i.level_s, i.classified_on"
	" FROM system_information l"
	" JOIN information_set i ON i.id = l.infoset_id AND i.org_id = l.org_id"
	"  AND i.archived = 0"
	" WHERE l.org_id = $1 AND l.system_id = $2 AND l.archived = 0"
	" ORDER BY i.id";

static const char sql_system_levels[] =
	"SELECT raise_k, raise_r, raise_t, raise_s, level_k, level_r, level_t, level_s,"
	" business_critical, name, infosets_total, infosets_unclassified, archived,"
	" needs_review, level_change_json, roles_missing, owner_id, business_owner_id,"
	" critical_society, lifecycle, security_plan_missing"
	" FROM it_system WHERE org_id = $1 AND id = $2";
enum { SL_RAISE = 0, SL_LEVEL = 4, SL_CRITICAL = 8, SL_NAME, SL_TOTAL, SL_UNCLASSIFIED,
       SL_ARCHIVED, SL_NEEDS_REVIEW, SL_CHANGE, SL_ROLES_MISSING, SL_OWNER,
       SL_BUSINESS_OWNER, SL_CRITICAL_SOCIETY, SL_LIFECYCLE, SL_PLAN_MISSING };

/* The system's roles in system_person that it has (R-1-18). */
static const char sql_system_roles[] =
	"SELECT DISTINCT role FROM system_person"
	" WHERE org_id = $1 AND system_id = $2 AND archived = 0";

static int cell_or_none(const struct db_rows *r, size_t row, size_t col)
{
	return db_cell(r, row, col) ? (int)db_cell_i64(r, row, col) : LEVEL_NONE;
}

int systems_compute(struct ctx *cx, int64_t system_id, struct derivation *d,
		    struct db_error *err)
{
	struct db_rows rows;

	memset(d, 0, sizeof(*d));
	for (int a = 0; a < ASPECT__COUNT; a++)
		d->info_max[a] = d->level[a] = LEVEL_NONE;
	d->level_max = LEVEL_NONE;
	if (db_exec(cx->db, cx->a, sql_info_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &rows, err) != 0)
		return -1;
	d->infosets_total = (int)rows.nrows;
	for (size_t i = 0; i < rows.nrows; i++) {
		for (int a = 0; a < ASPECT__COUNT; a++) {
			int lv = cell_or_none(&rows, i, 1 + (size_t)a);
			if (lv == LEVEL_NONE)
				continue;
			/* info_from also when the highest is 0 (it is still classified) */
			if (lv > d->info_max[a]) {
				d->info_max[a] = lv;
				d->info_from[a] = db_cell_i64(&rows, i, 0);
			}
		}
		d->infosets_unclassified += db_cell(&rows, i, 5) == NULL;
	}
	if (db_exec(cx->db, cx->a, sql_system_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &rows, err) != 0)
		return -1;
	if (rows.nrows != 1) {
		err->code = DBE_NOTFOUND;
		return -1;
	}
	for (int a = 0; a < ASPECT__COUNT; a++) {
		int raise = cell_or_none(&rows, 0, SL_RAISE + (size_t)a);
		d->level[a] = d->info_max[a];
		/* the owner may raise, never lower */
		if (raise > d->level[a]) {
			d->level[a] = raise;
			d->raised[a] = 1;
		}
		if (d->level[a] > d->level_max)
			d->level_max = d->level[a];
	}
	/* from the levels there are: an aspect not classified is not 0 */
	d->business_critical = d->level[ASPECT_R] >= LEVEL_BUSINESS_CRITICAL ||
			       d->level[ASPECT_T] >= LEVEL_BUSINESS_CRITICAL;
	return 0;
}

/* The roles a system must have all its life (R-1-18): a system owner, a
 * business owner (the system's verksamhetsansvarig or one in its roles), a
 * system manager and an administrator. */
static int roles_missing(struct ctx *cx, int64_t system_id, const struct db_rows *sys,
			 int *missing, struct db_error *err)
{
	struct db_rows rows;
	int business = db_cell(sys, 0, SL_BUSINESS_OWNER) != NULL, manager = 0, admin = 0;

	if (db_exec(cx->db, cx->a, sql_system_roles,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &rows, err) != 0)
		return -1;
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *r = db_cell(&rows, i, 0);
		business |= strcmp(r, "business_owner") == 0;
		manager |= strcmp(r, "manager") == 0;
		admin |= strcmp(r, "administrator") == 0;
	}
	*missing = !db_cell(sys, 0, SL_OWNER) || !business || !manager || !admin;
	return 0;
}

/* R-2-09: critical to society, in operation or on its way there, and no
 * system security plan (the plans come with a later part, so none has one
 * yet). */
static int plan_missing(const struct db_rows *sys)
{
	const char *life = db_cell(sys, 0, SL_LIFECYCLE);

	return db_cell_i64(sys, 0, SL_CRITICAL_SOCIETY) == 1 && life &&
	       (strcmp(life, "operation") == 0 || strcmp(life, "introducing") == 0);
}

static const char sql_store_levels[] =
	"UPDATE it_system SET level_k = $3, level_r = $4, level_t = $5, level_s = $6,"
	" business_critical = $7, needs_review = $8, version = version + 1, updated_at = $9,"
	" level_max = $10, infosets_total = $11, infosets_unclassified = $12,"
	" level_change_json = $13, roles_missing = $14, security_plan_missing = $15"
	" WHERE org_id = $1 AND id = $2";

/* Bookkeeping that is no change of level: the counts and the flags. */
static const char sql_store_counts[] =
	"UPDATE it_system SET infosets_total = $3, infosets_unclassified = $4,"
	" roles_missing = $5, security_plan_missing = $6"
	" WHERE org_id = $1 AND id = $2";

static json_t *level_json(int lv)
{
	return lv == LEVEL_NONE ? json_null() : json_integer(lv);
}

static const char *levels_json(struct ctx *cx, const int *lv, int critical)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:b}", "level_k", level_json(lv[0]),
			      "level_r", level_json(lv[1]), "level_t", level_json(lv[2]),
			      "level_s", level_json(lv[3]), "business_critical", critical);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	const char *out = text ? arena_strdup(cx->a, text) : NULL;

	free(text);
	json_decref(o);
	return out;
}

/* What changed since the system was last reviewed, for its banner:
 * {"at":..,"from":[k,r,t,s],"to":[..],"infoset_id":..,"infoset":..}.
 * While a review is pending the levels it started from are kept, so the
 * banner says old -> new since the last review; `from` of a fresh change
 * is the levels stored before it. */
static const char *change_json(struct ctx *cx, const struct db_rows *sys, const int *was,
			       const int *now, int64_t cause, int link)
{
	json_t *o = json_object(), *from = json_array(), *to = json_array();
	json_t *prev = NULL;
	char *text;
	const char *out;
	struct db_rows rows;
	struct db_error err;

	if (db_cell_i64(sys, 0, SL_NEEDS_REVIEW) == 1 && db_cell(sys, 0, SL_CHANGE))
		prev = json_loads(db_cell(sys, 0, SL_CHANGE), 0, NULL);
	for (int a = 0; a < ASPECT__COUNT; a++) {
		json_t *pf = prev ? json_array_get(json_object_get(prev, "from"), (size_t)a) : NULL;
		json_array_append_new(from, pf ? json_incref(pf) : level_json(was[a]));
		json_array_append_new(to, level_json(now[a]));
	}
	json_object_set_new(o, "at", json_integer(clock_now()));
	json_object_set_new(o, "from", from);
	json_object_set_new(o, "to", to);
	if (cause && db_exec(cx->db, cx->a,
			     "SELECT name FROM information_set WHERE org_id = $1 AND id = $2",
			     DB_ARGS(DB_INT(cx->org->id), DB_INT(cause)), &rows, &err) == 0 &&
	    rows.nrows == 1) {
		json_object_set_new(o, "infoset_id", json_integer(cause));
		json_object_set_new(o, "infoset", json_string(db_cell(&rows, 0, 0)));
		json_object_set_new(o, "cause", json_string(link ? "link" : "classification"));
	}
	json_decref(prev);
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	out = text ? arena_strdup(cx->a, text) : NULL;
	free(text);
	json_decref(o);
	return out;
}

static struct db_val level_val(int lv)
{
	return lv == LEVEL_NONE ? DB_NULL : DB_INT(lv);
}

int systems_derive_from(struct ctx *cx, int64_t system_id, int64_t cause, int link,
			int creating, struct db_error *err)
{
	struct derivation d;
	struct db_rows rows;
	struct audit_event ev = { 0 };
	int changed = 0, was[ASPECT__COUNT], missing, plan, review;

	if (systems_compute(cx, system_id, &d, err) != 0)
		return -1;
	if (db_exec(cx->db, cx->a, sql_system_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &rows, err) != 0)
		return -1;
	if (roles_missing(cx, system_id, &rows, &missing, err) != 0)
		return -1;
	plan = plan_missing(&rows);
	for (int a = 0; a < ASPECT__COUNT; a++) {
		was[a] = cell_or_none(&rows, 0, SL_LEVEL + (size_t)a);
		changed |= was[a] != d.level[a];
	}
	changed |= db_cell_i64(&rows, 0, SL_CRITICAL) != d.business_critical;
	if (!changed) {
		if (db_cell_i64(&rows, 0, SL_TOTAL) == d.infosets_total &&
		    db_cell_i64(&rows, 0, SL_UNCLASSIFIED) == d.infosets_unclassified &&
		    db_cell_i64(&rows, 0, SL_ROLES_MISSING) == missing &&
		    db_cell_i64(&rows, 0, SL_PLAN_MISSING) == plan)
			return 0;
		return db_exec(cx->db, cx->a, sql_store_counts,
			       DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id),
				       DB_INT(d.infosets_total), DB_INT(d.infosets_unclassified),
				       DB_INT(missing), DB_INT(plan)),
			       NULL, err);
	}
	/* a new system's first levels and an archived system's are nothing
	 * to review; a pending review stays pending */
	review = db_cell_i64(&rows, 0, SL_NEEDS_REVIEW) == 1 ||
		 (!creating && db_cell_i64(&rows, 0, SL_ARCHIVED) == 0);
	if (db_exec(cx->db, cx->a, sql_store_levels,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), level_val(d.level[0]),
			    level_val(d.level[1]), level_val(d.level[2]), level_val(d.level[3]),
			    DB_INT(d.business_critical), DB_INT(review), DB_INT(clock_now()),
			    level_val(d.level_max), DB_INT(d.infosets_total),
			    DB_INT(d.infosets_unclassified),
			    DB_TEXT(review ? change_json(cx, &rows, was, d.level, cause, link) : NULL),
			    DB_INT(missing), DB_INT(plan)),
		    NULL, err) != 0)
		return -1;
	audit_from_ctx(cx, &ev);
	ev.org_id = cx->org->id;
	ev.action = "derive";
	ev.entity = "systems";
	ev.entity_id = system_id;
	ev.summary = db_cell(&rows, 0, SL_NAME);
	ev.before = levels_json(cx, was, (int)db_cell_i64(&rows, 0, SL_CRITICAL));
	ev.after = levels_json(cx, d.level, d.business_critical);
	if (audit_append(cx->db, cx->a, &ev, err) != 0)
		return -1;
	return module_emit(cx, SYSTEM_CHANGED, system_id, err);
}

int systems_derive(struct ctx *cx, int64_t system_id, struct db_error *err)
{
	return systems_derive_from(cx, system_id, 0, 0, 0, err);
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
		if (systems_derive_from(cx, db_cell_i64(&rows, i, 0), infoset_id, 0, 0, err) != 0)
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
