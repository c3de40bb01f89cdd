/* entity_import.c - CSV import into any register (entity_import.h). */
#include "base/base.h"

#include <strings.h>

#include "core/audit.h"
#include "core/entity.h"
#include "core/entity_import.h"
#include "db/db.h"
#include "parse/csv.h"
#include "core/ctx.h"
#include "core/i18n.h"

void import_problem_add(struct ctx *cx, struct import_run *run, size_t line,
			const char *column, const char *msg)
{
	if (run->nproblems == run->cap) {
		size_t ncap = run->cap ? run->cap * 2 : 32;
		struct import_problem *p = arena_alloc(cx->a, ncap * sizeof(*p));
		if (run->nproblems)
			memcpy(p, run->problems, run->nproblems * sizeof(*p));
		run->problems = p;
		run->cap = ncap;
	}
	run->problems[run->nproblems].line = line;
	run->problems[run->nproblems].column = column;
	run->problems[run->nproblems].msg = msg;
	run->nproblems++;
}

int entity_import_column(const struct entity *e, const char *cell)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		if (strcasecmp(cell, f->name) == 0 ||
		    strcasecmp(cell, msg_text(LANG_SV, f->label)) == 0 ||
		    strcasecmp(cell, msg_text(LANG_EN, f->label)) == 0)
			return (int)i;
	}
	return -1;
}

const char *entity_import_value(struct ctx *cx, const struct entity_field *f,
				const char *cell)
{
	int64_t x;

	if (!cell || !*cell)
		return NULL;
	switch (f->type) {
	case F_REF:
		if (parse_i64(cell, &x) == 0)
			return cell;
		x = entity_id_by_title(cx, f->ref, cell);
		return x ? arena_printf(cx->a, "%lld", (long long)x) : "0";
	case F_ENUM: {
		const char *code = entity_choice_code(f, cell);
		return code ? code : cell;
	}
	case F_BOOL:
		if (!strcasecmp(cell, "ja") || !strcasecmp(cell, "yes") ||
		    !strcmp(cell, "1") || !strcasecmp(cell, "x") || !strcasecmp(cell, "sant"))
			return "1";
		return "0";
	default:
		return cell;
	}
}

void entity_import_run(struct ctx *cx, const struct entity *e, const char *text,
		       size_t len, import_progress_fn progress, void *arg,
		       struct import_run *run)
{
	struct csv csv;
	struct csv_error cerr;
	int *map;
	const char **vals;

	memset(run, 0, sizeof(*run));
	if (csv_parse(cx->a, text, len, 0, IMPORT_MAX_ROWS + 1, 64, &csv, &cerr) != 0) {
		import_problem_add(cx, run, cerr.line, NULL,
				   cx->lang == LANG_EN ? cerr.msg_en : cerr.msg_sv);
		run->fatal = 1;
		return;
	}
	if (csv.n < 2) {
		import_problem_add(cx, run, 1, NULL, msg_text(cx->lang, M_IMPORT_EMPTY));
		run->fatal = 1;
		return;
	}
	run->total = csv.n - 1;
	map = arena_alloc(cx->a, (csv.rows[0].n + 1) * sizeof(int));
	for (size_t c = 0; c < csv.rows[0].n; c++) {
		const char *h = csv.rows[0].cells[c];
		map[c] = entity_import_column(e, h);
		if (map[c] < 0 && strcasecmp(h, "id") != 0) {
			import_problem_add(cx, run, 1, h,
					   msg_text(cx->lang, M_IMPORT_UNKNOWN_COLUMN));
			run->fatal = 1;
		}
	}
	if (run->fatal)
		return;
	vals = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	/* First without a savepoint per row (fast on PostgreSQL); a row the
	 * database refuses fails the whole transaction, and then the import
	 * runs again from the start with savepoints, to report every row. */
	cx->bulk = db_in_transaction(cx->db);
again:
	for (size_t k = 1; k < csv.n; k++) {
		struct record rec = { 0 };
		struct field_errors errs = { .n = 0 };
		struct db_error err = { 0 };
		const struct csv_row *row = &csv.rows[k];

		memset(vals, 0, (e->nfields + 1) * sizeof(char *));
		for (size_t c = 0; c < row->n && c < csv.rows[0].n; c++)
			if (map[c] >= 0 && !(e->fields[map[c]].flags & FF_NO_IMPORT))
				vals[map[c]] = entity_import_value(cx, &e->fields[map[c]],
								   row->cells[c]);
		run->rows++;
		entity_record_from_values(cx, e, vals, &rec, &errs);
		if (errs.n == 0 && entity_create(cx, e, &rec, &errs, &err) == 0) {
			run->ok++;
		} else if (cx->bulk && db_failed(cx->db)) {
			struct db_error e2;
			db_rollback(cx->db);
			cx->bulk = 0;
			run->rows = run->ok = 0;
			run->nproblems = 0;
			if (db_begin(cx->db, &e2) != 0) {
				import_problem_add(cx, run, row->line, NULL,
						   msg_text(cx->lang, M_ERR_500_TEXT));
				run->fatal = 1;
				return;
			}
			goto again;
		}
		else if (errs.n == 0) {
			/* the reader gets the apology, the log the reason */
			log_error("import into %s, line %zu: %s", e->name, row->line, err.msg);
			import_problem_add(cx, run, row->line, NULL,
					   msg_text(cx->lang, M_ERR_500_TEXT));
		}
		for (size_t i = 0; i < errs.n; i++)
			import_problem_add(cx, run, row->line,
				errs.e[i].field >= 0 ?
				msg_text(cx->lang, e->fields[errs.e[i].field].label) : NULL,
				msg_text(cx->lang, errs.e[i].msg));
		if (progress)
			progress(arg, run->rows, run->total);
	}
	cx->bulk = 0;
}

int entity_import_commit(struct ctx *cx, const struct entity *e,
			 const struct import_run *run, struct db_error *err)
{
	struct audit_event ev = { 0 };

	audit_from_ctx(cx, &ev);
	ev.org_id = cx->org->id;
	ev.action = "import";
	ev.entity = e->name;
	ev.summary = arena_printf(cx->a, "%zu", run->ok);
	if (audit_append(cx->db, cx->a, &ev, err) != 0 || db_commit(cx->db, err) != 0) {
		db_rollback(cx->db);
		return -1;
	}
	return 0;
}
