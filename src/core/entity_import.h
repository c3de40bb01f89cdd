/* entity_import.h - CSV import into any register, one implementation for
 * the import page (web/pages_entity.c) and `varn import` (cli/cmd_import.c).
 *
 * An import is all or nothing: entity_import_run() writes every row through
 * the engine (entity_create, so validation, rules, derived data and audit
 * events are exactly those of the form) inside the caller's transaction,
 * each row in a savepoint so that one refused row does not stop the rest
 * from being checked.  The caller then commits with entity_import_commit()
 * only when there are no problems, and otherwise rolls back.  The preview is
 * therefore the real import rolled back: what it shows is what a confirmed
 * import does.
 *
 * The file: RFC 4180 CSV as Excel writes it (csv.h); the first line names
 * the columns by a field's label in Swedish or English or its technical
 * name ("id" is accepted and ignored); references are given by id or by the
 * referenced record's exact title, choices by code or label, booleans as
 * Ja/Nej, 1/0 or x.  Problems are kept per row and column in the request's
 * language, with the file's line number.
 *
 * A file is read a row at a time (parse/csv.h's reader), twice: first the
 * file alone (its syntax, its rows counted), then each row is written, in
 * an arena of its own that is let go when the row is done.  So memory is
 * that of a row whatever the file's length; `varn import` has no row limit
 * (one transaction of the whole file on either engine), the import page
 * takes IMPORT_MAX_ROWS and says so.  Every problem is counted, the first
 * IMPORT_PROBLEMS_KEPT are kept.
 */
#ifndef VARN_ENTITY_IMPORT_H
#define VARN_ENTITY_IMPORT_H

#include "base/base.h"

struct ctx;
struct entity;
struct entity_field;
struct db_error;
struct buf;

struct csv_reader;
struct csv_row;

/* Rows below the header line a file on the import page may hold (the
 * upload is at most BODY_IMPORT, 8 MiB); `varn import` takes any number. */
#define IMPORT_MAX_ROWS 10000
/* Columns a row may have. */
#define IMPORT_MAX_COLS 64
/* Problems kept to be shown (all are counted). */
#define IMPORT_PROBLEMS_KEPT 500

struct import_problem {
	size_t line;        /* 1-based line of the file */
	const char *column; /* the column's header, or NULL for the whole row */
	const char *msg;    /* in the reader's language, naming the value and
			       what is allowed where the problem is a value */
	/* The same, structured (for the command line and later the API);
	 * NULL when the problem is not about one value. */
	const char *field;  /* the field's technical name */
	const char *value;  /* the cell as the file has it */
	const char *allowed;/* what may stand there, in the reader's language */
};

struct import_run {
	size_t total;       /* data rows in the file */
	size_t rows;        /* data rows tried */
	size_t ok;          /* rows written (in the open transaction) */
	struct import_problem *problems; /* the first nkept problems */
	size_t nproblems;   /* problems found */
	size_t nkept, cap;
	int fatal;          /* the file itself is unusable (syntax, columns) */
	struct arena *a;    /* where the problems are kept (the run's caller's
			       arena; NULL: cx->a) */
};

/* Called after each row: done of total rows tried.  Callers throttle. */
typedef void (*import_progress_fn)(void *arg, size_t done, size_t total);

/* Reads the rows of r and creates one record of e per row, inside the
 * transaction the caller has begun.  Fills run (memory from cx->a, a
 * row's own let go after it).  max_rows 0: no limit.  r must rewind. */
void entity_import_stream(struct ctx *cx, const struct entity *e, struct csv_reader *r,
			  size_t max_rows, import_progress_fn progress, void *arg,
			  struct import_run *run);
/* The same for text (len bytes), at most IMPORT_MAX_ROWS rows: the page. */
void entity_import_run(struct ctx *cx, const struct entity *e, const char *text,
		       size_t len, import_progress_fn progress, void *arg,
		       struct import_run *run);

/* For an import of another CSV format (a module's interchange): clears
 * run, reads the header line into header (cx->a), then reads the rest of
 * the file once (syntax; run->total counted; more than max_rows, unless 0,
 * is a problem) and rewinds r to the first row below the header.  0, or
 * -1 with the problem in run (fatal). */
int import_read_header(struct ctx *cx, struct csv_reader *r, size_t max_rows,
		       struct import_run *run, struct csv_row *header);
/* Rewinds r to the first row below the header: 0, or -1 (a problem). */
int import_rewind(struct ctx *cx, struct csv_reader *r, struct import_run *run);

/* Records the import in the audit trail and commits the transaction.
 * Returns 0, or -1 after rolling back (err set). */
int entity_import_commit(struct ctx *cx, const struct entity *e,
			 const struct import_run *run, struct db_error *err);

/* Adds a problem to run (copied into run->a): the problem kept, or NULL
 * when IMPORT_PROBLEMS_KEPT are (it is counted). */
struct import_problem *import_problem_add(struct ctx *cx, struct import_run *run, size_t line,
					  const char *column, const char *msg);
/* Adds a problem about one value: msg (a message id whose text may hold
 * {value} and {allowed}) with them filled in, and the structured parts. */
void import_problem_value(struct ctx *cx, struct import_run *run, size_t line,
			  const char *column, const char *field, const char *value,
			  const char *allowed, int msg);
/* What a cell of field f may hold, in cx's language: the choices' labels
 * ("Planerad, Införande, ..."), "Ja, Nej", "0–4", "datum ÅÅÅÅ-MM-DD", ...;
 * for the import page, templates and problems. */
const char *import_allowed(struct ctx *cx, const struct entity_field *f);
/* What a column of field f holds, in words for a person preparing a file:
 * the choices, "datum ÅÅÅÅ-MM-DD", "heltal 0–4", "namnet på en post i
 * Enheter", "text, högst 200 tecken". */
const char *import_column_hint(struct ctx *cx, const struct entity_field *f);
/* The field is one an import reads (not derived, not a state). */
int entity_import_reads(const struct entity *e, size_t i);
/* The header cell names one of e's extra export columns (entity.h): a
 * column an export wrote that an import reads past. */
int entity_import_extra_column(const struct entity *e, const char *cell);

/* The field a header cell names (label in either language or technical
 * name, case-insensitive), or -1. */
int entity_import_column(const struct entity *e, const char *cell);

/* A cell as the value field f takes (see above), NULL when empty.  An
 * unknown reference becomes "0", which the engine refuses as not found; a
 * boolean that is neither yes nor no becomes "?" (refused by the import). */
const char *entity_import_value(struct ctx *cx, const struct entity_field *f,
				const char *cell);

/* The import's template for e: one column per field an import reads
 * (header: its label in cx's language) and an example row of values the
 * import accepts - a choice's label, Nej, today, the first record of a
 * referenced register, "Exempel: ..." for a required text.  The example
 * is checked by the import itself, inside a transaction that is rolled
 * back (as the preview is); optional values it refuses (a rule across
 * fields, a reference the actor may not use) are left empty and it is
 * checked again.  ok is 1 when the final example imports cleanly. */
struct import_template {
	size_t n;
	const struct entity_field **fields;
	const char **header;
	const char **example;  /* NULL: empty */
	int ok;
};
int entity_import_template(struct ctx *cx, const struct entity *e, struct import_template *t,
			   struct db_error *err);
/* The template as CSV (BOM, ';', CRLF) appended to out. */
void entity_import_template_csv(const struct import_template *t, struct buf *out);

#endif
