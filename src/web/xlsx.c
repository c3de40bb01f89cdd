/* xlsx.c - a register's list as an Excel workbook (xlsx.h). */
#include "base/base.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/utf8.h"
#include "core/entity.h"
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

int64_t xlsx_write_entity(struct ctx *cx, const struct entity *e,
			  const struct list_query *lq_in, const char *path,
			  xlsx_progress_fn progress, void *arg, struct db_error *err)
{
	struct list_query lq = *lq_in;
	struct list_result res;
	size_t ncols = e->nfields + 1;
	double *width = arena_alloc(cx->a, ncols * sizeof(double));
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold;
	lxw_row_t row = 0;
	int pages = 0, failed = 0;
	lxw_error xe;

	memset(err, 0, sizeof(*err));
	wb = workbook_new(path);
	if (!wb) {
		set_err(err, "cannot create the workbook");
		return -1;
	}
	ws = workbook_add_worksheet(wb, sheet_name(cx->a, msg_text(cx->lang, e->label_many)));
	bold = workbook_add_format(wb);
	format_set_bold(bold);

	worksheet_write_string(ws, 0, 0, "id", bold);
	width[0] = WIDTH_MIN;
	for (size_t i = 0; i < e->nfields; i++) {
		const char *label = msg_text(cx->lang, e->fields[i].label);
		worksheet_write_string(ws, 0, (lxw_col_t)(i + 1), label, bold);
		width[i + 1] = WIDTH_MIN;
		widen(&width[i + 1], label);
	}

	lq.after = NULL;
	lq.limit = 200;
	do {
		if (entity_list(cx, e, &lq, &res, err) != 0) {
			failed = 1;
			break;
		}
		for (size_t k = 0; k < res.n; k++) {
			const struct record *rec = &res.rows[k];
			row++;
			worksheet_write_number(ws, row, 0, (double)rec->id, NULL);
			widen(&width[0], arena_printf(cx->a, "%lld", (long long)rec->id));
			for (size_t i = 0; i < e->nfields; i++) {
				const char *v = entity_display(cx, e, rec, i);
				lxw_col_t col = (lxw_col_t)(i + 1);
				int64_t x;

				if (!v || !*v)
					continue;
				/* a number only where the field is one: a text
				 * such as "0012" keeps its zeros */
				if (e->fields[i].type == F_INT && parse_i64(v, &x) == 0)
					worksheet_write_number(ws, row, col, (double)x, NULL);
				else
					worksheet_write_string(ws, row, col, cell_text(cx->a, v), NULL);
				widen(&width[i + 1], v);
			}
		}
		if (progress)
			progress(arg, (int64_t)row, res.total_more ? -1 : res.total);
		lq.after = res.next;
	} while (res.next && ++pages < 5000);

	for (size_t c = 0; c < ncols; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_autofilter(ws, 0, 0, row, (lxw_col_t)(ncols - 1));
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

/* The list's search, filters and sorting, as the list page reads them. */
void xlsx_export(struct req *q, struct resp *r)
{
	const struct entity *e = q->route->ctx;
	struct list_query lq;
	struct db_error err;
	struct stat st;
	const char *path;
	char chunk[65536];
	ssize_t n;
	int fd;

	list_query_from_req(q, e, &lq);
	/* An anonymous file in memory: the workbook never has a name on a
	 * disk, and goes away with the descriptor. */
	fd = memfd_create("varn-xlsx", MFD_CLOEXEC);
	if (fd < 0) {
		log_error("xlsx export: memfd_create: %s", strerror(errno));
		respond_error(q, r, 500);
		return;
	}
	path = arena_printf(q->cx.a, "/proc/self/fd/%d", fd);
	if (xlsx_write_entity(&q->cx, e, &lq, path, NULL, NULL, &err) < 0) {
		log_error("xlsx export of %s: %s", e->name, err.msg);
		close(fd);
		respond_error(q, r, 500);
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
	r->download_name = arena_printf(q->cx.a, "%s-%s.xlsx", q->cx.org->slug, e->name);
	resp_header(r, "Cache-Control", "no-store");
}
