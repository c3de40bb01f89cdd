/* xlsx.h - any register's list as an Excel workbook (libxlsxwriter).
 *
 * The same rows, columns and values as the CSV export (core/entity_export.h):
 * the id, every field under its label in the reader's language, the
 * register's extra columns, values as a person reads them (labels, Ja/Nej,
 * referenced titles), private fields masked by the engine exactly as in
 * every other view.  Cells are typed: numbers as numbers, dates as Excel
 * dates (a serial number shown as yyyy-mm-dd, so they sort and filter as
 * dates), an empty value as no cell (never 0), text always as text, never
 * as a formula.  The sheet has a bold, frozen header row, an autofilter and
 * column widths fitted to the contents.  Rows are written as they come
 * (libxlsxwriter's constant memory mode: each finished row goes to an
 * unnamed temporary file), so memory does not grow with the register.
 */
#ifndef VARN_XLSX_H
#define VARN_XLSX_H

#include "base/base.h"

struct req;
struct resp;
struct entity;
struct list_query;
struct db_error;

#define XLSX_CONTENT_TYPE \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Called after each page of rows: done of total. */
typedef void (*xlsx_progress_fn)(void *arg, int64_t done, int64_t total);

/* Writes the records of e that lq selects (every page; lq->after and
 * lq->limit are ignored) as a workbook to path.  Returns the number of
 * rows written, or -1 (err set). */
int64_t xlsx_write_entity(struct ctx *cx, const struct entity *e,
			  const struct list_query *lq, const char *path,
			  xlsx_progress_fn progress, void *arg, struct db_error *err);

/* GET /o/{org}/NAME.xlsx (route declared by entity_routes()): the list as
 * it is searched, filtered and sorted, as a download.  The workbook is
 * written to an anonymous file in memory (a memfd), never to a file with
 * a name. */
void xlsx_export(struct req *q, struct resp *r);

/* GET /o/{org}/NAME/import-template.xlsx: the import's template
 * (core/entity_import.h) as a workbook: the header row and the example
 * row, typed as the export types them, and a second sheet naming each
 * column, whether it is required and what it allows. */
void xlsx_template(struct req *q, struct resp *r);

/* A workbook of tables of text, one sheet each (a module's report: a
 * statement of applicability, a requirement list): a bold, frozen header
 * row, an autofilter, wrapped text and fitted column widths; cells are
 * written as text, never as formulas; NULL or "" is no cell.  Answers q
 * with it as the download name (built in a memfd, as xlsx_export). */
struct xlsx_table {
	const char *sheet;              /* the sheet's name (cut to Excel's 31) */
	size_t ncols, nrows;
	const char *const *head;        /* ncols */
	const char *const *cells;       /* nrows * ncols, row-major */
};
void xlsx_respond_tables(struct req *q, struct resp *r, const char *name,
			 const struct xlsx_table *t, size_t n);

#endif
