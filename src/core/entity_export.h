/* entity_export.h - a register's records as its exports write them.
 *
 * The CSV and Excel downloads of the list pages and `varn export` read the
 * same rows, columns and values from here: the records the list's search,
 * filters, sorting and archive choice select (every page of them), as
 * columns the id, every field under its label in the reader's language and
 * the register's extra columns (entity.h, export_extra), values as a person
 * reads them (choice labels, Ja/Nej, referenced titles; private fields
 * masked by the engine as everywhere).  An empty value is an empty cell,
 * never 0.
 *
 * Bounded memory: each page of rows lives in an arena of its own, released
 * before the next page is read, so exporting 20,000 records holds one page
 * at a time (plus what the caller writes).
 */
#ifndef VARN_ENTITY_EXPORT_H
#define VARN_ENTITY_EXPORT_H

#include "base/base.h"
#include "core/ctx.h"
#include "core/entity.h"

struct buf;
struct db_error;

/* What a cell holds, for writers that type their cells (Excel). */
enum export_kind { EXPORT_TEXT = 0, EXPORT_INT, EXPORT_DATE };

struct entity_export {
	const struct entity *e;
	size_t ncols;            /* id, the fields, the extra columns */
	size_t nextra;
	/* the current page (entity_export_next), until the next call */
	struct record *rows;
	size_t n;
	const char **extra;      /* n * nextra texts, NULL when empty */
	int64_t done;            /* rows read so far */
	int64_t total;           /* rows matching (at most ENTITY_COUNT_MAX), or
				    -1 when there are more */
	/* private */
	struct ctx *cx;          /* the caller's */
	struct ctx pcx;          /* cx with the page's arena */
	struct arena page;
	struct list_query lq;
	char *next;
	int pages;
};

/* Starts an export of the records of e that lq selects (lq->after and
 * lq->limit are ignored). */
void entity_export_begin(struct entity_export *x, struct ctx *cx, const struct entity *e,
			 const struct list_query *lq);
/* Reads the next page: 1 with x->rows/x->n/x->extra filled, 0 when every
 * row has been read, -1 with err set. */
int entity_export_next(struct entity_export *x, struct db_error *err);
void entity_export_end(struct entity_export *x);

/* Column c's header in cx's language. */
const char *entity_export_header(const struct entity_export *x, size_t c);
/* Column c's technical name ("id", the field's or the extra column's). */
const char *entity_export_name(const struct entity_export *x, size_t c);
/* Row k's text in column c of the current page (NULL: empty), and what it
 * holds (kind may be NULL). */
const char *entity_export_cell(struct entity_export *x, size_t k, size_t c,
			       enum export_kind *kind);

/* The whole export as CSV (BOM, ';', CRLF) appended to out; progress (may
 * be NULL) after each page.  The number of rows, or -1 (err set). */
int64_t entity_export_csv(struct ctx *cx, const struct entity *e, const struct list_query *lq,
			  struct buf *out, void (*progress)(void *arg, int64_t done, int64_t total),
			  void *arg, struct db_error *err);

#endif
