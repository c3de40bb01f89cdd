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
 */
#ifndef VARN_ENTITY_IMPORT_H
#define VARN_ENTITY_IMPORT_H

#include "base/base.h"

struct ctx;
struct entity;
struct entity_field;
struct db_error;

/* Rows below the header line one file may hold. */
#define IMPORT_MAX_ROWS 10000

struct import_problem {
	size_t line;        /* 1-based line of the file */
	const char *column; /* the column's label, or NULL for the whole row */
	const char *msg;
};

struct import_run {
	size_t total;       /* data rows in the file */
	size_t rows;        /* data rows tried */
	size_t ok;          /* rows written (in the open transaction) */
	struct import_problem *problems;
	size_t nproblems, cap;
	int fatal;          /* the file itself is unusable (syntax, columns) */
};

/* Called after each row: done of total rows tried.  Callers throttle. */
typedef void (*import_progress_fn)(void *arg, size_t done, size_t total);

/* Reads text (len bytes) and creates one record of e per row, inside the
 * transaction the caller has begun.  Fills run (memory from cx->a). */
void entity_import_run(struct ctx *cx, const struct entity *e, const char *text,
		       size_t len, import_progress_fn progress, void *arg,
		       struct import_run *run);

/* Records the import in the audit trail and commits the transaction.
 * Returns 0, or -1 after rolling back (err set). */
int entity_import_commit(struct ctx *cx, const struct entity *e,
			 const struct import_run *run, struct db_error *err);

/* Adds a problem to run (memory from cx->a). */
void import_problem_add(struct ctx *cx, struct import_run *run, size_t line,
			const char *column, const char *msg);

/* The field a header cell names (label in either language or technical
 * name, case-insensitive), or -1. */
int entity_import_column(const struct entity *e, const char *cell);

/* A cell as the value field f takes (see above), NULL when empty.  An
 * unknown reference becomes "0", which the engine refuses as not found. */
const char *entity_import_value(struct ctx *cx, const struct entity_field *f,
				const char *cell);

#endif
