/* interchange.c - a catalogue of measures for the command line:
 *   varn import --org X --register measure-catalogue FILE.json
 *   varn export --org X --register measure-catalogue FILE.json
 * (core/module.h struct interchange), with the rules of catalogue.c: the
 * same reading, the same refusals, never an assessment rewritten. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/entity_import.h"
#include "db/db.h"
#include "modules/measures/measures.h"

struct catalogue_run {
	struct import_run base;   /* first: the run the CLI sees */
	struct catalogue_diff diff;
};

struct import_run *catalogue_import_run(struct ctx *cx, const char *text, size_t len,
					void (*progress)(void *, size_t, size_t), void *arg)
{
	struct catalogue_run *run = arena_alloc(cx->a, sizeof(*run));
	struct db_error err = { 0 };

	memset(run, 0, sizeof(*run));
	if (catalogue_load(cx, text, len, "imported", &run->diff, &err) != 0) {
		import_problem_add(cx, &run->base, 0, NULL,
				   run->diff.problem ? run->diff.problem : err.msg);
		run->base.fatal = 1;
		return &run->base;
	}
	run->base.total = run->base.rows = run->base.ok = run->diff.nmeasures;
	if (progress)
		progress(arg, run->base.rows, run->base.total);
	return &run->base;
}

/* catalogue_load audited the load in the open transaction */
int catalogue_import_commit(struct ctx *cx, struct import_run *run, struct db_error *err)
{
	(void)run;
	return db_commit(cx->db, err);
}

const char *catalogue_import_summary(struct ctx *cx, const struct import_run *base)
{
	/* base is the first member of the catalogue_run made above */
	const struct catalogue_run *run = (const struct catalogue_run *)(const void *)base;

	return arena_printf(cx->a, "%s %s, %zu measures: %zu new, %zu changed, %zu removed",
			    run->diff.code, run->diff.version, run->diff.nmeasures,
			    run->diff.nnew, run->diff.nchanged, run->diff.nremoved);
}

static const char sql_baseline[] =
	"SELECT id FROM measure_catalogue WHERE org_id = $1 AND archived = 0"
	" ORDER BY is_baseline DESC, id LIMIT 1";

/* The adopted baseline catalogue (else the first loaded), as JSON. */
int catalogue_export(struct ctx *cx, struct buf *out, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_baseline, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	return catalogue_export_json(cx, r.nrows ? db_cell_i64(&r, 0, 0) : 0, out, err);
}
