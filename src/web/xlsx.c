/* xlsx.c - a register's list as an Excel workbook (xlsx.h). */
#include "base/base.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/utf8.h"
#include "core/entity.h"
#include "core/entity_export.h"
#include "core/entity_import.h"
#include "db/db.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/pages_entity.h"
#include "web/xlsx.h"

#define WIDTH_MIN 6
#define WIDTH_MAX 60
/* Excel keeps at most 32,767 characters in a cell; libxlsxwriter refuses
 * longer strings (counted in bytes), which would leave the cell empty. */
#define CELL_MAX 32767

static void set_err(struct db_error *err, const char *msg)
{
	err->code = DBE_OTHER;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

/* A sheet name: at most 31 characters, none of []:*?/\ (Excel's rules). */
static const char *sheet_name(struct arena *a, const char *label)
{
	char *s = arena_strdup(a, label);
	size_t n = 0, chars = 0;

	for (char *p = s; *p; p++)
		if (strchr("[]:*?/\\", *p))
			*p = ' ';
	/* cut at a character boundary */
	while (s[n] && chars < 31) {
		n++;
		while ((s[n] & 0xC0) == 0x80)
			n++;
		chars++;
	}
	s[n] = 0;
	return *s ? s : "Blad1";
}

static const char *cell_text(struct arena *a, const char *v)
{
	size_t n = strlen(v);

	if (n <= CELL_MAX)
		return v;
	n = CELL_MAX;
	while (n && (v[n] & 0xC0) == 0x80)
		n--;
	return arena_strndup(a, v, n);
}

static void widen(double *width, const char *v)
{
	double w = (double)utf8_length(v, strlen(v)) + 2;

	if (w > WIDTH_MAX)
		w = WIDTH_MAX;
	if (w > *width)
		*width = w;
}

/* "YYYY-MM-DD" as Excel's date, or -1 when it is not one. */
static int parse_date(const char *v, lxw_datetime *dt)
{
	int y, m, d;
	char tail;

	if (strlen(v) != 10 || sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    y < 1900 || m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	memset(dt, 0, sizeof(*dt));
	dt->year = y;
	dt->month = m;
	dt->day = d;
	return 0;
}

/* One cell as what it is: a number, a date (Excel's serial with a date
 * format, so it sorts and filters as a date), or text - never a formula. */
static void write_cell(struct arena *a, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
		       const char *v, enum export_kind kind, lxw_format *date)
{
	lxw_datetime dt;
	int64_t x;

	/* a number only where the field is one: a text such as "0012"
	 * keeps its zeros */
	if (kind == EXPORT_INT && parse_i64(v, &x) == 0)
		worksheet_write_number(ws, row, col, (double)x, NULL);
	else if (kind == EXPORT_DATE && parse_date(v, &dt) == 0)
		worksheet_write_datetime(ws, row, col, &dt, date);
	else
		worksheet_write_string(ws, row, col, cell_text(a, v), NULL);
}

/* A new workbook that writes each row to a temporary file (unnamed, from
 * tmpfile()) as soon as the next begins, instead of keeping every cell in
 * memory: a register of 20,000 records costs the same memory as one of 200.
 * Its strings are written inline in the rows. */
static lxw_workbook *new_workbook(const char *path)
{
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };

	return workbook_new_opt(path, &opt);
}

static lxw_format *date_format(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_num_format(f, "yyyy-mm-dd");
	return f;
}

int64_t xlsx_write_entity(struct ctx *cx, const struct entity *e,
			  const struct list_query *lq, const char *path,
			  xlsx_progress_fn progress, void *arg, struct db_error *err)
{
	struct entity_export x;
	double *width;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *date;
	lxw_row_t row = 0;
	int failed = 0, rc;
	lxw_error xe;

	memset(err, 0, sizeof(*err));
	wb = new_workbook(path);
	if (!wb) {
		set_err(err, "cannot create the workbook");
		return -1;
	}
	entity_export_begin(&x, cx, e, lq);
	width = arena_alloc(cx->a, x.ncols * sizeof(double));
	ws = workbook_add_worksheet(wb, sheet_name(cx->a, msg_text(cx->lang, e->label_many)));
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	date = date_format(wb);

	for (size_t c = 0; c < x.ncols; c++) {
		const char *label = entity_export_header(&x, c);
		worksheet_write_string(ws, 0, (lxw_col_t)c, label, bold);
		width[c] = WIDTH_MIN;
		if (c)
			widen(&width[c], label);
	}
	while ((rc = entity_export_next(&x, err)) > 0) {
		for (size_t k = 0; k < x.n; k++) {
			row++;
			for (size_t c = 0; c < x.ncols; c++) {
				enum export_kind kind;
				const char *v = entity_export_cell(&x, k, c, &kind);

				if (!v)
					continue; /* empty, never 0 */
				write_cell(cx->a, ws, row, (lxw_col_t)c, v, kind, date);
				widen(&width[c], kind == EXPORT_DATE ? "yyyy-mm-dd" : v);
			}
		}
		if (progress)
			progress(arg, (int64_t)row, x.total);
	}
	entity_export_end(&x);
	failed = rc < 0;

	for (size_t c = 0; c < x.ncols; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, row, (lxw_col_t)(x.ncols - 1));
	/* closing writes the file (and frees the workbook) in every case */
	xe = workbook_close(wb);
	if (failed)
		return -1;
	if (xe != LXW_NO_ERROR) {
		set_err(err, lxw_strerror(xe));
		return -1;
	}
	return (int64_t)row;
}

/* Writes a workbook with write(ctx, path) into an anonymous file in
 * memory (the workbook never has a name on a disk, and goes away with the
 * descriptor) and answers with it as a download. */
static void respond_workbook(struct req *q, struct resp *r, const char *name,
			     int (*write)(struct req *q, const char *path, const void *arg,
					  struct db_error *err), const void *arg)
{
	struct db_error err;
	struct stat st;
	const char *path;
	char chunk[65536];
	ssize_t n;
	int fd;

	fd = memfd_create("varn-xlsx", MFD_CLOEXEC);
	if (fd < 0) {
		log_error("xlsx: memfd_create: %s", strerror(errno));
		respond_error(q, r, 500);
		return;
	}
	path = arena_printf(q->cx.a, "/proc/self/fd/%d", fd);
	if (write(q, path, arg, &err) != 0) {
		log_error("xlsx %s: %s", name, err.msg);
		close(fd);
		respond_error(q, r, err.code == DBE_CHECK ? 400 : 500);
		return;
	}
	if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		respond_error(q, r, 500);
		return;
	}
	buf_reset(&r->body);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&r->body, chunk, (size_t)n);
	close(fd);
	if (n < 0 || !buf_ok(&r->body) || r->body.len != (size_t)st.st_size) {
		respond_error(q, r, 500);
		return;
	}
	r->status = 200;
	r->content_type = XLSX_CONTENT_TYPE;
	r->download_name = name;
	resp_header(r, "Cache-Control", "no-store");
}

static int write_list(struct req *q, const char *path, const void *arg, struct db_error *err)
{
	const struct entity *e = q->route->ctx;
	struct list_query lq;

	list_query_from_req(q, e, &lq);
	return xlsx_write_entity(&q->cx, e, &lq, path, NULL, NULL, err) < 0 ? -1 : 0;
}

/* The list's search, filters and sorting, as the list page reads them. */
void xlsx_export(struct req *q, struct resp *r)
{
	const struct entity *e = q->route->ctx;

	respond_workbook(q, r, arena_printf(q->cx.a, "%s-%s.xlsx", q->cx.org->slug, e->name),
			 write_list, NULL);
}

static enum export_kind field_kind(const struct entity_field *f)
{
	return f->type == F_INT ? EXPORT_INT : f->type == F_DATE ? EXPORT_DATE : EXPORT_TEXT;
}

static int write_template(struct req *q, const char *path, const void *arg,
			  struct db_error *err)
{
	struct ctx *cx = &q->cx;
	const struct entity *e = q->route->ctx;
	struct import_template t;
	lxw_workbook *wb;
	lxw_worksheet *ws, *cols;
	lxw_format *bold, *date;
	lxw_error xe;

	if (entity_import_template(cx, e, &t, err) != 0)
		return -1;
	wb = workbook_new(path);
	if (!wb) {
		set_err(err, "cannot create the workbook");
		return -1;
	}
	ws = workbook_add_worksheet(wb, sheet_name(cx->a, msg_text(cx->lang, e->label_many)));
	cols = workbook_add_worksheet(wb, sheet_name(cx->a,
				      msg_text(cx->lang, M_IMPORT_TEMPLATE_COLUMNS)));
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	date = date_format(wb);
	worksheet_write_string(cols, 0, 0, msg_text(cx->lang, M_IMPORT_COLUMN), bold);
	worksheet_write_string(cols, 0, 1, msg_text(cx->lang, M_IMPORT_TEMPLATE_REQUIRED), bold);
	worksheet_write_string(cols, 0, 2, msg_text(cx->lang, M_IMPORT_ALLOWED), bold);
	for (size_t c = 0; c < t.n; c++) {
		const struct entity_field *f = t.fields[c];
		double w = WIDTH_MIN;
		const char *allowed;

		worksheet_write_string(ws, 0, (lxw_col_t)c, t.header[c], bold);
		widen(&w, t.header[c]);
		if (t.example[c]) {
			write_cell(cx->a, ws, 1, (lxw_col_t)c, t.example[c], field_kind(f), date);
			widen(&w, t.example[c]);
		}
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
		allowed = import_column_hint(cx, f);
		worksheet_write_string(cols, (lxw_row_t)(c + 1), 0, t.header[c], NULL);
		worksheet_write_string(cols, (lxw_row_t)(c + 1), 1,
				       msg_text(cx->lang, f->flags & FF_REQUIRED ? M_YES : M_NO), NULL);
		worksheet_write_string(cols, (lxw_row_t)(c + 1), 2, cell_text(cx->a, allowed), NULL);
	}
	worksheet_set_column(cols, 0, 0, 30, NULL);
	worksheet_set_column(cols, 1, 1, 14, NULL);
	worksheet_set_column(cols, 2, 2, 60, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	xe = workbook_close(wb);
	if (xe != LXW_NO_ERROR) {
		set_err(err, lxw_strerror(xe));
		return -1;
	}
	return 0;
}

void xlsx_template(struct req *q, struct resp *r)
{
	const struct entity *e = q->route->ctx;

	respond_workbook(q, r, arena_printf(q->cx.a, "%s-%s-mall.xlsx", q->cx.org->slug, e->name),
			 write_template, NULL);
}

struct tables {
	const struct xlsx_table *t;
	size_t n;
};

static int write_tables(struct req *q, const char *path, const void *arg, struct db_error *err)
{
	const struct tables *ts = arg;
	lxw_workbook *wb = workbook_new(path);
	lxw_format *bold, *wrap;
	lxw_error xe;

	if (!wb) {
		set_err(err, "cannot create the workbook");
		return -1;
	}
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	wrap = workbook_add_format(wb);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	for (size_t k = 0; k < ts->n; k++) {
		const struct xlsx_table *t = &ts->t[k];
		lxw_worksheet *ws = workbook_add_worksheet(wb, sheet_name(q->cx.a, t->sheet));
		double *width = arena_alloc(q->cx.a, (t->ncols + 1) * sizeof(double));

		for (size_t c = 0; c < t->ncols; c++) {
			worksheet_write_string(ws, 0, (lxw_col_t)c, t->head[c], bold);
			width[c] = WIDTH_MIN;
			widen(&width[c], t->head[c]);
		}
		for (size_t i = 0; i < t->nrows; i++)
			for (size_t c = 0; c < t->ncols; c++) {
				const char *v = t->cells[i * t->ncols + c];
				if (!v || !*v)
					continue; /* empty, never 0 */
				worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)c,
						       cell_text(q->cx.a, v), wrap);
				widen(&width[c], v);
			}
		for (size_t c = 0; c < t->ncols; c++)
			worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
		worksheet_freeze_panes(ws, 1, 0);
		if (t->ncols)
			worksheet_autofilter(ws, 0, 0, (lxw_row_t)t->nrows, (lxw_col_t)(t->ncols - 1));
	}
	xe = workbook_close(wb);
	if (xe != LXW_NO_ERROR) {
		set_err(err, lxw_strerror(xe));
		return -1;
	}
	return 0;
}

void xlsx_respond_tables(struct req *q, struct resp *r, const char *name,
			 const struct xlsx_table *t, size_t n)
{
	struct tables ts = { t, n };

	respond_workbook(q, r, name, write_tables, &ts);
}
