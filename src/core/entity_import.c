/* entity_import.c - CSV import into any register (entity_import.h). */
#include "base/base.h"

#include <strings.h>

#include "base/clock.h"
#include "core/audit.h"
#include "core/entity.h"
#include "core/entity_import.h"
#include "db/db.h"
#include "parse/csv.h"
#include "core/ctx.h"
#include "core/i18n.h"

static const char *kept(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

struct import_problem *import_problem_add(struct ctx *cx, struct import_run *run, size_t line,
					  const char *column, const char *msg)
{
	struct arena *a = run->a ? run->a : cx->a;
	struct import_problem *p;

	run->nproblems++;
	if (run->nkept == IMPORT_PROBLEMS_KEPT)
		return NULL; /* counted, not kept */
	if (run->nkept == run->cap) {
		size_t ncap = run->cap ? run->cap * 2 : 32;
		p = arena_alloc(a, ncap * sizeof(*p));
		if (run->nkept)
			memcpy(p, run->problems, run->nkept * sizeof(*p));
		run->problems = p;
		run->cap = ncap;
	}
	/* the row's memory goes when the row is done; the problem stays */
	p = &run->problems[run->nkept++];
	memset(p, 0, sizeof(*p));
	p->line = line;
	p->column = kept(a, column);
	p->msg = kept(a, msg);
	return p;
}

/* A value as a problem quotes it: at most 60 characters. */
static const char *quoted_value(struct arena *a, const char *v)
{
	size_t n = 0, chars = 0;

	while (v[n] && chars < 60) {
		n++;
		while ((v[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	return v[n] ? arena_printf(a, "%.*s…", (int)n, v) : v;
}

/* text with {value} and {allowed} filled in */
static const char *fill_in(struct arena *a, const char *text, const char *value,
			   const char *allowed)
{
	struct buf b = BUF_INIT;
	char *out;

	for (const char *p = text; *p; p++) {
		if (strncmp(p, "{value}", 7) == 0) {
			buf_puts(&b, value ? value : "");
			p += 6;
		} else if (strncmp(p, "{allowed}", 9) == 0) {
			buf_puts(&b, allowed ? allowed : "");
			p += 8;
		} else {
			buf_putc(&b, *p);
		}
	}
	out = arena_strdup(a, buf_ok(&b) ? b.p : text);
	buf_release(&b);
	return out;
}

void import_problem_value(struct ctx *cx, struct import_run *run, size_t line,
			  const char *column, const char *field, const char *value,
			  const char *allowed, int msg)
{
	struct arena *a = run->a ? run->a : cx->a;
	struct import_problem *p;

	value = value ? quoted_value(cx->a, value) : NULL;
	p = import_problem_add(cx, run, line, column,
			       fill_in(cx->a, msg_text(cx->lang, msg), value, allowed));
	if (!p)
		return;
	p->field = kept(a, field);
	p->value = kept(a, value);
	p->allowed = kept(a, allowed);
}

static const char *range_text(struct arena *a, const struct entity_field *f)
{
	if (f->min || f->max)
		return arena_printf(a, "%lld–%lld", (long long)f->min, (long long)f->max);
	return "…";
}

const char *import_allowed(struct ctx *cx, const struct entity_field *f)
{
	struct buf b = BUF_INIT;
	const char *out;

	switch (f->type) {
	case F_ENUM:
		for (const struct choice *c = f->choices; c && c->value; c++) {
			if (c != f->choices)
				buf_puts(&b, ", ");
			buf_puts(&b, msg_text(cx->lang, c->label));
		}
		break;
	case F_BOOL:
		buf_printf(&b, "%s, %s", msg_text(cx->lang, M_YES), msg_text(cx->lang, M_NO));
		break;
	case F_INT:
		buf_puts(&b, range_text(cx->a, f));
		break;
	case F_DATE:
		/* a date as an example: today */
		buf_add(&b, clock_format_local(cx->a, cx->now), 10);
		break;
	case F_DATETIME:
		buf_puts(&b, clock_format_local(cx->a, cx->now));
		break;
	case F_EMAIL:
		buf_puts(&b, "namn@kommun.se");
		break;
	case F_REF:
		buf_puts(&b, msg_text(cx->lang, f->ref->label_many));
		break;
	default:
		buf_printf(&b, "%lld", (long long)f->max);
		break;
	}
	out = arena_strdup(cx->a, buf_ok(&b) ? b.p : "");
	buf_release(&b);
	return out;
}

const char *import_column_hint(struct ctx *cx, const struct entity_field *f)
{
	switch (f->type) {
	case F_ENUM:
	case F_BOOL:
		return import_allowed(cx, f);
	case F_DATE:
		return msg_text(cx->lang, M_IMPORT_A_DATE);
	case F_DATETIME:
		return msg_text(cx->lang, M_IMPORT_A_DATETIME);
	case F_EMAIL:
		return msg_text(cx->lang, M_IMPORT_AN_EMAIL);
	case F_INT:
		return fill_in(cx->a, msg_text(cx->lang, M_IMPORT_A_NUMBER), NULL,
			       range_text(cx->a, f));
	case F_REF:
		return fill_in(cx->a, msg_text(cx->lang, M_IMPORT_A_REF), NULL,
			       msg_text(cx->lang, f->ref->label_many));
	default:
		return fill_in(cx->a, msg_text(cx->lang, M_IMPORT_ANY_TEXT), NULL,
			       arena_printf(cx->a, "%lld", (long long)f->max));
	}
}

int entity_import_reads(const struct entity *e, size_t i)
{
	return !(e->fields[i].flags & (FF_NO_IMPORT | FF_NO_FORM)) && !entity_field_is_state(e, i);
}

int entity_import_extra_column(const struct entity *e, const char *cell)
{
	for (const struct entity_export_column *c = e->export_extra ? e->export_extra->columns : NULL;
	     c && c->name; c++)
		if (strcasecmp(cell, c->name) == 0 ||
		    strcasecmp(cell, msg_text(LANG_SV, c->label)) == 0 ||
		    strcasecmp(cell, msg_text(LANG_EN, c->label)) == 0)
			return 1;
	return 0;
}

/* The engine's problem with a field, said with the value the file gave
 * and what is allowed there. */
static void field_problem(struct ctx *cx, struct import_run *run, size_t line,
			  const struct entity *e, const struct field_error *fe,
			  const char *column, const char *raw)
{
	const struct entity_field *f = &e->fields[fe->field];
	const char *code = fe->code ? fe->code : "";
	int msg = 0;

	if (!raw) {
		msg = 0;
	} else if (strcmp(code, "invalid_choice") == 0) {
		msg = M_IMPORT_BAD_CHOICE;
	} else if (strcmp(code, "out_of_range") == 0) {
		msg = M_IMPORT_OUT_OF_RANGE;
	} else if (strcmp(code, "not_found") == 0 && f->type == F_REF) {
		msg = M_IMPORT_REF_NOT_FOUND;
	} else if (strcmp(code, "unique") == 0) {
		msg = M_IMPORT_UNIQUE;
	} else if (strcmp(code, "too_long") == 0) {
		msg = M_IMPORT_TOO_LONG;
	} else if (strcmp(code, "invalid") == 0) {
		msg = f->type == F_INT ? M_IMPORT_BAD_INT : f->type == F_DATE ? M_IMPORT_BAD_DATE :
		      f->type == F_DATETIME ? M_V_BAD_DATETIME :
		      f->type == F_EMAIL ? M_IMPORT_BAD_EMAIL : 0;
	}
	if (!msg) {
		struct import_problem *p = import_problem_add(cx, run, line, column,
							      msg_text(cx->lang, fe->msg));
		if (p)
			p->field = f->name;
		return;
	}
	import_problem_value(cx, run, line, column, f->name, raw,
			     msg == M_IMPORT_UNIQUE ? NULL : import_allowed(cx, f), msg);
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
		if (!strcasecmp(cell, "ja") || !strcasecmp(cell, "yes") || !strcasecmp(cell, "true") ||
		    !strcmp(cell, "1") || !strcasecmp(cell, "x") || !strcasecmp(cell, "sant"))
			return "1";
		if (!strcasecmp(cell, "nej") || !strcasecmp(cell, "no") || !strcasecmp(cell, "false") ||
		    !strcmp(cell, "0") || !strcasecmp(cell, "falskt"))
			return "0";
		return "?";
	default:
		return cell;
	}
}

/* The reader's problem with the file: fatal. */
static void file_problem(struct ctx *cx, struct import_run *run, const struct csv_error *cerr)
{
	import_problem_add(cx, run, cerr->line, NULL,
			   cx->lang == LANG_EN ? cerr->msg_en : cerr->msg_sv);
	run->fatal = 1;
}

int import_read_header(struct ctx *cx, struct csv_reader *r, size_t max_rows,
		       struct import_run *run, struct csv_row *header)
{
	struct arena rowa = ARENA_INIT;
	struct csv_error cerr;
	struct csv_row row;
	int got;

	memset(run, 0, sizeof(*run));
	run->a = cx->a;
	if (csv_next(r, cx->a, header, &cerr) < 0) {
		file_problem(cx, run, &cerr);
		return -1;
	}
	/* the file only, a row at a time: its syntax, and its rows
	 * counted for the progress and the limit */
	while ((got = csv_next(r, &rowa, &row, &cerr)) > 0) {
		if (max_rows && run->total == max_rows) {
			const char *n = arena_printf(cx->a, "%zu", max_rows);
			import_problem_add(cx, run, row.line, NULL,
					   msg_fill(cx->a, msg_text(cx->lang, M_IMPORT_TOO_MANY_ROWS),
						    "{n}", n));
			run->fatal = 1;
			break;
		}
		run->total++;
		if (run->total % 1024 == 0)
			arena_release(&rowa);
	}
	arena_release(&rowa);
	if (got < 0)
		file_problem(cx, run, &cerr);
	else if (!run->fatal && run->total == 0) {
		import_problem_add(cx, run, 1, NULL, msg_text(cx->lang, M_IMPORT_EMPTY));
		run->fatal = 1;
	}
	if (run->fatal)
		return -1;
	return import_rewind(cx, r, run);
}

int import_rewind(struct ctx *cx, struct csv_reader *r, struct import_run *run)
{
	struct arena rowa = ARENA_INIT;
	struct csv_error cerr;
	struct csv_row head;
	int got = -2;

	if (csv_rewind(r) == 0)
		got = csv_next(r, &rowa, &head, &cerr);
	arena_release(&rowa);
	if (got == -1) {
		file_problem(cx, run, &cerr);
		return -1;
	}
	if (got != 1) {
		import_problem_add(cx, run, 1, NULL, msg_text(cx->lang, M_IMPORT_REREAD));
		run->fatal = 1;
		return -1;
	}
	return 0;
}

void entity_import_stream(struct ctx *cx, const struct entity *e, struct csv_reader *r,
			  size_t max_rows, import_progress_fn progress, void *arg,
			  struct import_run *run)
{
	struct arena *keep = cx->a, rowa = ARENA_INIT;
	struct csv_error cerr;
	struct csv_row head, row;
	int *map, got;
	const char **vals, **header, **raw;

	if (import_read_header(cx, r, max_rows, run, &head) != 0)
		return;
	map = arena_alloc(cx->a, (head.n + 1) * sizeof(int));
	header = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	raw = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	for (size_t c = 0; c < head.n; c++) {
		const char *h = head.cells[c];
		map[c] = entity_import_column(e, h);
		if (map[c] >= 0 && !header[map[c]])
			header[map[c]] = h;
		/* what an export adds (the id, a system's people...) is read past */
		if (map[c] < 0 && strcasecmp(h, "id") != 0 && !entity_import_extra_column(e, h)) {
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
	if (cx->bulk)
		audit_batch_begin(cx->db);
again:
	/* each row in an arena of its own, let go when the row is done:
	 * memory is that of a row, however long the file */
	while ((got = csv_next(r, &rowa, &row, &cerr)) > 0) {
		struct record rec = { 0 };
		struct field_errors errs = { .n = 0 };
		struct db_error err = { 0 };
		size_t before = run->nproblems;

		cx->a = &rowa;
		memset(vals, 0, (e->nfields + 1) * sizeof(char *));
		memset(raw, 0, (e->nfields + 1) * sizeof(char *));
		for (size_t c = 0; c < row.n && c < head.n; c++)
			if (map[c] >= 0 && !(e->fields[map[c]].flags & FF_NO_IMPORT)) {
				const struct entity_field *f = &e->fields[map[c]];
				raw[map[c]] = row.cells[c];
				vals[map[c]] = entity_import_value(cx, f, row.cells[c]);
				/* a yes/no that is neither is not taken as no */
				if (f->type == F_BOOL && vals[map[c]] && !strcmp(vals[map[c]], "?"))
					import_problem_value(cx, run, row.line, header[map[c]],
							     f->name, row.cells[c],
							     import_allowed(cx, f),
							     M_IMPORT_BAD_CHOICE);
			}
		run->rows++;
		entity_record_from_values(cx, e, vals, &rec, &errs);
		if (run->nproblems > before) {
			/* the row's own problems are said; nothing is written */
		} else if (errs.n == 0 && entity_create(cx, e, &rec, &errs, &err) == 0) {
			run->ok++;
		} else if (cx->bulk && db_failed(cx->db)) {
			struct db_error e2;
			size_t line = row.line;
			audit_batch_abandon();
			db_rollback(cx->db);
			cx->a = keep;
			arena_release(&rowa);
			cx->bulk = 0;
			run->rows = run->ok = 0;
			run->nproblems = run->nkept = 0;
			if (db_begin(cx->db, &e2) != 0) {
				import_problem_add(cx, run, line, NULL,
						   msg_text(cx->lang, M_ERR_500_TEXT));
				run->fatal = 1;
				return;
			}
			if (import_rewind(cx, r, run) != 0)
				return;
			goto again;
		}
		else if (errs.n == 0) {
			/* the reader gets the apology, the log the reason */
			log_error("import into %s, line %zu: %s", e->name, row.line, err.msg);
			import_problem_add(cx, run, row.line, NULL,
					   msg_text(cx->lang, M_ERR_500_TEXT));
		}
		for (size_t i = 0; i < errs.n; i++) {
			int fi = errs.e[i].field;
			if (fi < 0 || fi >= (int)e->nfields)
				import_problem_add(cx, run, row.line, NULL,
						   msg_text(cx->lang, errs.e[i].msg));
			else
				field_problem(cx, run, row.line, e, &errs.e[i],
					      header[fi] ? header[fi] :
					      msg_text(cx->lang, e->fields[fi].label), raw[fi]);
		}
		cx->a = keep;
		arena_release(&rowa);
		if (progress)
			progress(arg, run->rows, run->total);
	}
	if (cx->bulk) {
		struct db_error e2;
		if (audit_batch_end(cx->db, keep, &e2) != 0) {
			log_error("import into %s: the audit trail's head: %s", e->name, e2.msg);
			import_problem_add(cx, run, 1, NULL, msg_text(cx->lang, M_ERR_500_TEXT));
			run->fatal = 1;
		}
	}
	/* the file changed between the readings */
	if (got < 0)
		file_problem(cx, run, &cerr);
	else if (run->rows != run->total) {
		import_problem_add(cx, run, 1, NULL, msg_text(cx->lang, M_IMPORT_REREAD));
		run->fatal = 1;
	}
	cx->a = keep;
	arena_release(&rowa);
	cx->bulk = 0;
}

void entity_import_run(struct ctx *cx, const struct entity *e, const char *text,
		       size_t len, import_progress_fn progress, void *arg,
		       struct import_run *run)
{
	struct csv_reader *r = csv_reader_mem(text, len, 0, 0, IMPORT_MAX_COLS);

	entity_import_stream(cx, e, r, IMPORT_MAX_ROWS, progress, arg, run);
	csv_reader_free(r);
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

/* ---- templates ---- */

static const char *example_value(struct ctx *cx, const struct entity *e,
				 const struct entity_field *f, size_t i)
{
	size_t nth = 0; /* a second reference to one register names another record */
	for (size_t k = 0; k < i; k++)
		if (e->fields[k].type == F_REF && e->fields[k].ref == f->ref)
			nth++;
	struct list_query lq = { 0 };
	struct list_result res;
	struct db_error err;

	switch (f->type) {
	case F_ENUM:
		return f->choices && f->choices[0].value ?
			msg_text(cx->lang, f->choices[0].label) : NULL;
	case F_BOOL:
		return msg_text(cx->lang, M_NO);
	case F_DATE:
		return arena_strndup(cx->a, clock_format_local(cx->a, cx->now), 10);
	case F_DATETIME:
		return clock_format_local(cx->a, cx->now);
	case F_REF:
		/* the first live record of the register, by its title */
		lq.sort_field = f->ref->title_field;
		lq.limit = (int)nth + 1;
		lq.filters = arena_alloc(cx->a, (f->ref->nfields + 1) * sizeof(char *));
		if (entity_list(cx, f->ref, &lq, &res, &err) != 0 || res.n <= nth)
			return NULL;
		return entity_title(f->ref, &res.rows[nth]);
	case F_INT: {
		/* a required number and one the list shows (a classification's
		 * levels) get an example: a small scale (a level 0-4) its middle,
		 * a count its least; other optional ones stay empty */
		long long lo = f->min > 0 ? f->min : 0;
		if (!(f->flags & (FF_REQUIRED | FF_LIST)))
			return NULL;
		return arena_printf(cx->a, "%lld", f->max > lo && f->max - lo <= 10 ?
				    (lo + f->max) / 2 : lo);
	}
	case F_EMAIL:
		return f->flags & FF_REQUIRED ? "namn@example.se" : NULL;
	default:
		if ((int)i == e->title_field || (f->flags & FF_REQUIRED))
			return arena_printf(cx->a, "%s: %s",
					    msg_text(cx->lang, M_IMPORT_TEMPLATE_EXAMPLE),
					    msg_text(cx->lang, (int)i == e->title_field ?
						     e->label_one : f->label));
		return NULL;
	}
}

void entity_import_template_csv(const struct import_template *t, struct buf *out)
{
	csv_write_bom(out);
	for (size_t c = 0; c < t->n; c++)
		csv_write_cell(out, t->header[c], c == 0);
	csv_end_row(out);
	for (size_t c = 0; c < t->n; c++)
		csv_write_cell(out, t->example[c], c == 0);
	csv_end_row(out);
}

int entity_import_template(struct ctx *cx, const struct entity *e, struct import_template *t,
			   struct db_error *err)
{
	memset(t, 0, sizeof(*t));
	t->fields = arena_alloc(cx->a, (e->nfields + 1) * sizeof(*t->fields));
	t->header = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	t->example = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	for (size_t i = 0; i < e->nfields; i++) {
		if (!entity_import_reads(e, i))
			continue;
		t->fields[t->n] = &e->fields[i];
		t->header[t->n] = msg_text(cx->lang, e->fields[i].label);
		t->example[t->n] = example_value(cx, e, &e->fields[i], i);
		t->n++;
	}
	/* the import says whether it takes the example: rolled back, always */
	for (int round = 0; round < 4 && !t->ok; round++) {
		struct buf text = BUF_INIT;
		struct import_run run;
		int changed = 0;

		entity_import_template_csv(t, &text);
		if (!buf_ok(&text) || db_begin(cx->db, err) != 0) {
			buf_release(&text);
			return -1;
		}
		entity_import_run(cx, e, text.p, text.len, NULL, NULL, &run);
		db_rollback(cx->db);
		buf_release(&text);
		t->ok = run.nproblems == 0 && run.ok == 1;
		for (size_t k = 0; k < run.nkept; k++)
			for (size_t c = 0; c < t->n; c++)
				if (run.problems[k].field &&
				    strcmp(run.problems[k].field, t->fields[c]->name) == 0 &&
				    !(t->fields[c]->flags & FF_REQUIRED) && t->example[c]) {
					t->example[c] = NULL;
					changed = 1;
				}
		if (!changed)
			break;
	}
	return 0;
}
