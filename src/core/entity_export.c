/* entity_export.c - a register's records as its exports write them
 * (entity_export.h). */
#include "base/base.h"

#include "core/entity_export.h"
#include "core/i18n.h"
#include "db/db.h"
#include "parse/csv.h"

/* At most this many pages of 200: 1,000,000 rows, far past any register. */
#define EXPORT_MAX_PAGES 5000

static size_t count_extra(const struct entity *e)
{
	size_t n = 0;

	for (const struct entity_export_column *c = e->export_extra ? e->export_extra->columns : NULL;
	     c && c->name; c++)
		n++;
	return n;
}

void entity_export_begin(struct entity_export *x, struct ctx *cx, const struct entity *e,
			 const struct list_query *lq)
{
	memset(x, 0, sizeof(*x));
	x->e = e;
	x->cx = cx;
	x->nextra = count_extra(e);
	x->ncols = 1 + e->nfields + x->nextra;
	x->lq = *lq;
	x->lq.after = NULL;
	x->lq.limit = 200;
	x->pcx = *cx;
	x->pcx.a = &x->page;
}

int entity_export_next(struct entity_export *x, struct db_error *err)
{
	struct list_result res;

	memset(err, 0, sizeof(*err));
	x->rows = NULL;
	x->n = 0;
	x->extra = NULL;
	if (x->pages && !x->next)
		return 0;
	if (x->pages >= EXPORT_MAX_PAGES)
		return 0;
	/* the previous page's memory goes before the next is read */
	arena_release(&x->page);
	x->lq.after = x->next;
	if (entity_list(&x->pcx, x->e, &x->lq, &res, err) != 0)
		return -1;
	x->pages++;
	free(x->next);
	x->next = res.next ? xstrdup(res.next) : NULL;
	x->rows = res.rows;
	x->n = res.n;
	x->done += (int64_t)res.n;
	if (x->pages == 1)
		x->total = res.total_more ? -1 : res.total;
	if (x->nextra && res.n) {
		x->extra = arena_alloc(&x->page, res.n * x->nextra * sizeof(char *));
		if (x->e->export_extra->fill(&x->pcx, x->e, res.rows, res.n, x->extra, err) != 0)
			return -1;
	}
	return res.n || x->next ? 1 : 0;
}

void entity_export_end(struct entity_export *x)
{
	arena_release(&x->page);
	free(x->next);
	x->next = NULL;
}

const char *entity_export_header(const struct entity_export *x, size_t c)
{
	if (c == 0)
		return "id";
	if (c <= x->e->nfields)
		return msg_text(x->cx->lang, x->e->fields[c - 1].label);
	return msg_text(x->cx->lang, x->e->export_extra->columns[c - 1 - x->e->nfields].label);
}

const char *entity_export_name(const struct entity_export *x, size_t c)
{
	if (c == 0)
		return "id";
	if (c <= x->e->nfields)
		return x->e->fields[c - 1].name;
	return x->e->export_extra->columns[c - 1 - x->e->nfields].name;
}

const char *entity_export_cell(struct entity_export *x, size_t k, size_t c,
			       enum export_kind *kind)
{
	const struct record *rec = &x->rows[k];
	enum export_kind kd = EXPORT_TEXT;
	const char *v;

	if (c == 0) {
		kd = EXPORT_INT;
		v = arena_printf(&x->page, "%lld", (long long)rec->id);
	} else if (c <= x->e->nfields) {
		const struct entity_field *f = &x->e->fields[c - 1];
		v = entity_display(&x->pcx, x->e, rec, c - 1);
		if (f->type == F_INT)
			kd = EXPORT_INT;
		else if (f->type == F_DATE)
			kd = EXPORT_DATE;
	} else {
		v = x->extra ? x->extra[k * x->nextra + (c - 1 - x->e->nfields)] : NULL;
	}
	if (kind)
		*kind = kd;
	return v && *v ? v : NULL;
}

int64_t entity_export_csv(struct ctx *cx, const struct entity *e, const struct list_query *lq,
			  struct buf *out, void (*progress)(void *arg, int64_t done, int64_t total),
			  void *arg, struct db_error *err)
{
	struct entity_export x;
	int rc;

	entity_export_begin(&x, cx, e, lq);
	csv_write_bom(out);
	for (size_t c = 0; c < x.ncols; c++)
		csv_write_cell(out, entity_export_header(&x, c), c == 0);
	csv_end_row(out);
	while ((rc = entity_export_next(&x, err)) > 0) {
		for (size_t k = 0; k < x.n; k++) {
			for (size_t c = 0; c < x.ncols; c++)
				csv_write_cell(out, entity_export_cell(&x, k, c, NULL), c == 0);
			csv_end_row(out);
		}
		if (progress)
			progress(arg, x.done, x.total);
	}
	entity_export_end(&x);
	if (rc < 0)
		return -1;
	if (!buf_ok(out)) {
		err->code = DBE_OTHER;
		snprintf(err->msg, sizeof(err->msg), "the export is larger than a response may be");
		return -1;
	}
	return x.done;
}
