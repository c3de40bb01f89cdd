/* doc_pdf.c - a document as PDF with cairo and pango (doc.h).
 *
 * Two passes over the same layout code: the first writes to nowhere and
 * counts the pages, the second writes the file with "Sida n av N" in the
 * footers.  The file is made in memory and appended to the caller's
 * buffer only when cairo reports success, so a failure never hands out
 * half a PDF.
 *
 * Text: DejaVu Sans (Debian fonts-dejavu-core) found through fontconfig,
 * Swedish as the pango language of every run (line breaking), pango's
 * insert-hyphens attribute on.  Pango (1.50, bookworm) has no hyphenation
 * dictionary: it breaks at spaces, hyphens, en dashes and soft hyphens
 * (U+00AD, shown as "-" where used), so Swedish text gets soft hyphens at
 * the points of Debian's Swedish patterns first (hyphenate.h); a word
 * still longer than its column is broken between letters with a hyphen
 * (PANGO_WRAP_WORD_CHAR), never drawn outside its cell.
 *
 * Accessibility where cairo 1.16 allows: headings are structure tags
 * (H1-H3) with a named destination each and an entry in the outline
 * (bookmarks), paragraphs are P; title, author, subject and creator are in
 * the metadata.  Cairo 1.16 has no way to set the document's language
 * (/Lang): pdf_lang.c adds "sv-SE" to the finished file.
 */
#include "base/base.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "base/arena.h"
#include "base/buf.h"
#include "doc/hyphenate.h"
#include "doc/pdf_lang.h"
#include "chart/chart.h"
#include "doc/doc.h"

/* A4 in points, margins 20 mm at the sides */
#define PAGE_W 595.276
#define PAGE_H 841.89
#define MARGIN_X 56.7
#define TOP 78.0              /* where the text starts under the header */
#define BOTTOM (PAGE_H - 62.0)/* where it must end above the footer */
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define CELL_PAD 3.5
#define FONT "DejaVu Sans"

#define INK 0.106, 0.153, 0.2 /* #1b2733 */
#define MUTED 0.333, 0.38, 0.427
#define RULE 0.75, 0.79, 0.83
#define HEAD_BG 0.88, 0.91, 0.94
#define ZEBRA_BG 0.96, 0.97, 0.98

static int fail_next;

void doc_pdf_fail_next(int on)
{
	__atomic_store_n(&fail_next, on, __ATOMIC_SEQ_CST);
}

struct pdf {
	const struct doc *d;
	cairo_surface_t *s;
	cairo_t *cr;
	int page;          /* the current page, from 1 */
	int pages;         /* the total: 0 in the counting pass */
	double y;
	struct doc_stats *st;
	int outline[4];    /* the last outline entry of each level */
};

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int n)
{
	return buf_add(closure, data, n) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_NO_MEMORY;
}

static cairo_status_t to_nowhere(void *closure, const unsigned char *data, unsigned int n)
{
	return CAIRO_STATUS_SUCCESS;
}

static PangoLayout *text_layout(struct pdf *p, const char *text, double width, double size,
				int bold, int align)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_new();
	PangoAttrList *attrs = pango_attr_list_new();

	pango_font_description_set_family(fd, FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_attr_list_insert(attrs, pango_attr_language_new(
		pango_language_from_string(p->d->lang ? "en" : "sv")));
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(TRUE));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align == DOC_RIGHT ? PANGO_ALIGN_RIGHT :
				      align == DOC_CENTER ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	if (!p->d->lang && text && *text) {
		/* Swedish: where a word may break (hyphenate.h) */
		struct buf b = BUF_INIT;
		doc_hyphenate(&b, text);
		pango_layout_set_text(l, buf_ok(&b) ? b.p : text, -1);
		buf_release(&b);
	} else {
		pango_layout_set_text(l, text ? text : "", -1);
	}
	return l;
}

static double layout_h(PangoLayout *l)
{
	int w, h;

	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(struct pdf *p, PangoLayout *l, double x, double y)
{
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

/* One line of small text in a column of width w at x, placed by its
 * alignment there; cut short with an ellipsis when it is too long. */
static void small_cell(struct pdf *p, const char *text, double x, double w, double y, int bold,
		       int align)
{
	PangoLayout *l;

	if (!text || !*text || w <= 0)
		return;
	l = text_layout(p, text, w, 7.5, bold, align);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	show(p, l, x, y);
	g_object_unref(l);
}

/* A header or footer line: left and right texts, the marking in the
 * middle.  The sides share what the marking leaves, so a long title is cut
 * short rather than written over the marking. */
static void frame_line(struct pdf *p, const char *left, const char *right, double y)
{
	const char *mark = p->d->marking;
	double side = TEXT_W, gap = 12;

	if (mark && *mark) {
		/* the marking's own width: its first line's natural extent */
		PangoLayout *l = text_layout(p, mark, TEXT_W, 7.5, 1, DOC_LEFT);
		PangoRectangle ink, logical;
		pango_layout_line_get_extents(pango_layout_get_line_readonly(l, 0), &ink, &logical);
		g_object_unref(l);
		side = (TEXT_W - (double)logical.width / PANGO_SCALE) / 2 - gap;
		cairo_set_source_rgb(p->cr, INK);
		small_cell(p, mark, MARGIN_X, TEXT_W, y, 1, DOC_CENTER);
	}
	cairo_set_source_rgb(p->cr, MUTED);
	small_cell(p, left, MARGIN_X, side, y, 0, DOC_LEFT);
	small_cell(p, right, PAGE_W - MARGIN_X - side, side, y, 0, DOC_RIGHT);
}

static void page_frame(struct pdf *p)
{
	const struct doc *d = p->d;
	cairo_t *cr = p->cr;
	const char *left;

	frame_line(p, d->org, d->title, 30);
	cairo_set_source_rgb(cr, RULE);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, MARGIN_X, 44);
	cairo_line_to(cr, PAGE_W - MARGIN_X, 44);
	cairo_move_to(cr, MARGIN_X, PAGE_H - 46);
	cairo_line_to(cr, PAGE_W - MARGIN_X, PAGE_H - 46);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, MUTED);
	if (d->version)
		left = arena_printf(d->a, "%s \xc2\xb7 %s %s", d->date ? d->date : "",
				    "Version", d->version);
	else
		left = d->date;
	frame_line(p, left, doc_page_of(d->a, d->lang, p->page, p->pages ? p->pages : p->page),
		   PAGE_H - 40);
	cairo_set_source_rgb(cr, INK);
}

static void new_page(struct pdf *p)
{
	if (p->page)
		cairo_show_page(p->cr);
	p->page++;
	p->y = TOP;
	page_frame(p);
}

static void count(int *a, int page)
{
	if (page >= 1 && page <= DOC_STATS_PAGES)
		a[page - 1]++;
}

/* A layout's lines from the cursor on, to the next page where the page
 * ends: a paragraph longer than a page flows over. */
static void flow(struct pdf *p, PangoLayout *l, double x)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);

	do {
		PangoRectangle r;
		double lh, base;

		pango_layout_iter_get_line_extents(it, NULL, &r);
		lh = (double)r.height / PANGO_SCALE;
		base = (double)(pango_layout_iter_get_baseline(it) - r.y) / PANGO_SCALE;
		if (p->y + lh > BOTTOM)
			new_page(p);
		cairo_move_to(p->cr, x + (double)r.x / PANGO_SCALE, p->y + base);
		pango_cairo_show_layout_line(p->cr, pango_layout_iter_get_line_readonly(it));
		p->y += lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

static void title_block(struct pdf *p)
{
	const struct doc *d = p->d;
	PangoLayout *l;
	struct buf meta = BUF_INIT;

	l = text_layout(p, d->title, TEXT_W, 22, 1, DOC_LEFT);
	cairo_tag_begin(p->cr, "H1", NULL);
	show(p, l, MARGIN_X, p->y);
	cairo_tag_end(p->cr, "H1");
	p->y += layout_h(l) + 4;
	g_object_unref(l);
	if (d->subtitle) {
		l = text_layout(p, d->subtitle, TEXT_W, 13, 0, DOC_LEFT);
		show(p, l, MARGIN_X, p->y);
		p->y += layout_h(l) + 4;
		g_object_unref(l);
	}
	buf_puts(&meta, d->org ? d->org : "");
	if (d->date)
		buf_printf(&meta, "%s%s", meta.len ? " \xc2\xb7 " : "", d->date);
	if (d->version)
		buf_printf(&meta, "%sVersion %s", meta.len ? " \xc2\xb7 " : "", d->version);
	if (d->marking)
		buf_printf(&meta, "%s%s", meta.len ? " \xc2\xb7 " : "", d->marking);
	cairo_set_source_rgb(p->cr, MUTED);
	l = text_layout(p, meta.p, TEXT_W, 9, 0, DOC_LEFT);
	show(p, l, MARGIN_X, p->y);
	p->y += layout_h(l) + 8;
	g_object_unref(l);
	buf_release(&meta);
	cairo_set_source_rgb(p->cr, INK);
	cairo_set_line_width(p->cr, 1.2);
	cairo_move_to(p->cr, MARGIN_X, p->y);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y);
	cairo_stroke(p->cr);
	p->y += 14;
}

/* What a heading keeps on its page below it: room for a first line, or,
 * when a signature block follows (a paragraph between at most), the whole
 * block - a signature is never parted from the heading that says what is
 * signed. */
/* The height of a brief picture (doc_picture_brief): its width's share of
 * the text width at the chart's proportions, at most a quarter of a page. */
static double brief_h(const struct doc_block *b)
{
	double h = TEXT_W * (b->width > 0 ? b->width : 1) * chart_aspect(b->chart);

	return h > (BOTTOM - TOP) / 4 ? (BOTTOM - TOP) / 4 : h;
}

static double keep_with(const struct doc_block *b)
{
	const struct doc_block *n = b->next;

	if (n && n->kind == DOC_PARA)
		n = n->next;
	/* a heading, its reading and its picture on one page */
	if (n && n->kind == DOC_PICTURE && n->brief && n->chart)
		return 40 + brief_h(n);
	/* and a picture at a share of the width (doc_picture_at) */
	if (n && n->kind == DOC_PICTURE && n->chart && n->width > 0 && n->width < 1) {
		double h = TEXT_W * n->width * chart_aspect(n->chart);
		return 40 + (h > BOTTOM - TOP ? BOTTOM - TOP : h);
	}
	return n && n->kind == DOC_SIGNATURE ? 40 + 92 + 20 : 40;
}

static void heading(struct pdf *p, const struct doc_block *b)
{
	static const double size[] = { 0, 16, 13, 11 };
	static const char *const tag[] = { "", "H1", "H2", "H3" };
	PangoLayout *l = text_layout(p, b->text, TEXT_W, size[b->level], 1, DOC_LEFT);
	double h = layout_h(l);
	int parent;

	p->y += b->level == 1 ? 10 : 6;
	/* keep a heading with what follows it */
	if (p->y + h + keep_with(b) > BOTTOM)
		new_page(p);
	cairo_tag_begin(p->cr, CAIRO_TAG_DEST, arena_printf(p->d->a, "name='%s'", b->id));
	cairo_tag_begin(p->cr, tag[b->level], NULL);
	show(p, l, MARGIN_X, p->y);
	cairo_tag_end(p->cr, tag[b->level]);
	cairo_tag_end(p->cr, CAIRO_TAG_DEST);
	parent = b->level == 1 ? CAIRO_PDF_OUTLINE_ROOT : p->outline[b->level - 1];
	p->outline[b->level] = cairo_pdf_surface_add_outline(
		p->s, parent, b->text, arena_printf(p->d->a, "dest='%s'", b->id), 0);
	for (int k = b->level + 1; k <= 3; k++)
		p->outline[k] = p->outline[b->level];
	p->y += h + 4;
	g_object_unref(l);
}

static void para(struct pdf *p, const char *text, double size, int muted)
{
	PangoLayout *l = text_layout(p, text, TEXT_W, size, 0, DOC_LEFT);

	if (muted)
		cairo_set_source_rgb(p->cr, MUTED);
	cairo_tag_begin(p->cr, "P", NULL);
	flow(p, l, MARGIN_X);
	cairo_tag_end(p->cr, "P");
	cairo_set_source_rgb(p->cr, INK);
	p->y += size * 0.6;
	g_object_unref(l);
}

static void deflist(struct pdf *p, const struct doc_block *b)
{
	double tw = TEXT_W * 0.32, dw = TEXT_W - tw - 8;

	for (size_t i = 0; i < b->ndefs; i++) {
		PangoLayout *t = text_layout(p, b->defs[i].term, tw, 9.5, 1, DOC_LEFT);
		PangoLayout *v = text_layout(p, b->defs[i].desc ? b->defs[i].desc : "\xe2\x80\x93",
					     dw, 9.5, 0, DOC_LEFT);
		double h = layout_h(t) > layout_h(v) ? layout_h(t) : layout_h(v);

		if (p->y + h > BOTTOM)
			new_page(p);
		show(p, t, MARGIN_X, p->y);
		show(p, v, MARGIN_X + tw + 8, p->y);
		p->y += h + 3;
		g_object_unref(t);
		g_object_unref(v);
	}
	p->y += 6;
}

/* ---- tables ---- */

struct tab {
	const struct doc_table *t;
	double x[32], w[32];
	size_t ncols;
	double size;         /* wide tables in a smaller size, words whole */
};

/* Lays out one row's cells (head: the column titles) into ls, and
 * returns the row's height.  A row taller than a page is cut to a page,
 * each cell ending with "..." (the only way a cell loses text). */
static double row_layouts(struct pdf *p, const struct tab *tb, const char *const *cells,
			  int head, PangoLayout **ls)
{
	double h = 0, max = BOTTOM - TOP - 40 - 2 * CELL_PAD;

	for (size_t c = 0; c < tb->ncols; c++) {
		ls[c] = text_layout(p, cells[c], tb->w[c] - 2 * CELL_PAD, tb->size, head,
				    tb->t->cols[c].align);
		if (layout_h(ls[c]) > max) {
			pango_layout_set_height(ls[c], (int)(max * PANGO_SCALE));
			pango_layout_set_ellipsize(ls[c], PANGO_ELLIPSIZE_END);
		}
		if (layout_h(ls[c]) > h)
			h = layout_h(ls[c]);
	}
	return h + 2 * CELL_PAD;
}

static void row_draw(struct pdf *p, const struct tab *tb, PangoLayout **ls, double h,
		     int shade, int head)
{
	cairo_t *cr = p->cr;

	if (shade) {
		if (head)
			cairo_set_source_rgb(cr, HEAD_BG);
		else
			cairo_set_source_rgb(cr, ZEBRA_BG);
		cairo_rectangle(cr, MARGIN_X, p->y, TEXT_W, h);
		cairo_fill(cr);
	}
	cairo_set_source_rgb(cr, INK);
	for (size_t c = 0; c < tb->ncols; c++) {
		show(p, ls[c], tb->x[c] + CELL_PAD, p->y + CELL_PAD);
		g_object_unref(ls[c]);
	}
	cairo_set_source_rgb(cr, head ? 0.4 : 0.8, head ? 0.45 : 0.83, head ? 0.5 : 0.86);
	cairo_set_line_width(cr, head ? 0.8 : 0.4);
	cairo_move_to(cr, MARGIN_X, p->y + h);
	cairo_line_to(cr, PAGE_W - MARGIN_X, p->y + h);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, INK);
	p->y += h;
}

static void table_head(struct pdf *p, const struct tab *tb)
{
	const char *heads[32];
	PangoLayout *ls[32];
	double h;

	for (size_t c = 0; c < tb->ncols; c++)
		heads[c] = tb->t->cols[c].title;
	h = row_layouts(p, tb, heads, 1, ls);
	row_draw(p, tb, ls, h, 1, 1);
	count(p->st->heads, p->page);
}

static void table(struct pdf *p, const struct doc_table *t)
{
	struct tab tb = { .t = t, .ncols = t->ncols < 32 ? t->ncols : 32,
			  .size = t->ncols >= 7 ? 7.5 : 8.5 };
	double sum = 0, x = MARGIN_X;
	PangoLayout *ls[32];

	if (!tb.ncols)
		return;
	for (size_t c = 0; c < tb.ncols; c++)
		sum += t->cols[c].width;
	for (size_t c = 0; c < tb.ncols; c++) {
		tb.x[c] = x;
		tb.w[c] = TEXT_W * t->cols[c].width / sum;
		x += tb.w[c];
	}
	/* the caption, the header and a first row stay together; a table
	 * to keep whole, all its rows when a page holds them */
	if (p->y + 60 > BOTTOM)
		new_page(p);
	else if (t->keep) {
		double need = 24;
		for (size_t r = 0; r < t->nrows; r++) {
			need += row_layouts(p, &tb, &t->cells[r * t->ncols], 0, ls);
			for (size_t c = 0; c < tb.ncols; c++)
				g_object_unref(ls[c]);
		}
		if (p->y + need > BOTTOM && TOP + need <= BOTTOM)
			new_page(p);
	}
	if (t->caption) {
		PangoLayout *l = text_layout(p, t->caption, TEXT_W, 9.5, 1, DOC_LEFT);

		show(p, l, MARGIN_X, p->y);
		p->y += layout_h(l) + 3;
		g_object_unref(l);
	}
	table_head(p, &tb);
	for (size_t r = 0; r < t->nrows; r++) {
		double h = row_layouts(p, &tb, &t->cells[r * t->ncols], 0, ls);

		if (p->y + h > BOTTOM) {
			new_page(p);
			table_head(p, &tb);
		}
		row_draw(p, &tb, ls, h, t->zebra && r % 2 == 1, 0);
		count(p->st->rows, p->page);
	}
	p->y += 10;
}

static void picture(struct pdf *p, const struct doc_block *b)
{
	const struct chart *c = b->chart;
	double w = TEXT_W * (b->width > 0 ? b->width : 1), h = w * chart_aspect(c);
	struct chart_table ct;
	struct doc_table t = { 0 };

	if (b->brief) {
		/* a short document: at most a quarter of the page high, the
		 * picture scaled into it */
		h = brief_h(b);
		if (p->y + h + 8 > BOTTOM)
			new_page(p);
		cairo_save(p->cr);
		cairo_translate(p->cr, MARGIN_X, p->y);
		chart_draw_cairo(c, p->cr, w, h);
		cairo_restore(p->cr);
		p->y += h + 6;
		return;
	}
	if (h > BOTTOM - TOP) {
		w *= (BOTTOM - TOP) / h;
		h = BOTTOM - TOP;
	}
	if (p->y + h + 16 > BOTTOM)
		new_page(p);
	if (c->title) {
		PangoLayout *l = text_layout(p, c->title, TEXT_W, 9.5, 1, DOC_LEFT);

		show(p, l, MARGIN_X, p->y);
		p->y += layout_h(l) + 4;
		g_object_unref(l);
	}
	cairo_save(p->cr);
	cairo_translate(p->cr, MARGIN_X, p->y);
	chart_draw_cairo(c, p->cr, w, h);
	cairo_restore(p->cr);
	p->y += h + 4;
	if (c->alt)
		para(p, c->alt, 8, 1);
	/* the numbers behind the picture, as the page shows them under it */
	chart_table(c, p->d->a, &ct);
	if (!ct.ncols || !ct.nrows)
		return;
	t.ncols = ct.ncols;
	t.cols = arena_alloc(p->d->a, ct.ncols * sizeof(*t.cols));
	for (size_t i = 0; i < ct.ncols; i++) {
		t.cols[i].title = ct.head[i];
		t.cols[i].width = i == 0 ? 2 : 1;
		t.cols[i].align = ct.numeric && ct.numeric[i] ? DOC_RIGHT : DOC_LEFT;
	}
	t.cells = ct.cells;
	t.nrows = ct.nrows;
	t.zebra = 1;
	table(p, &t);
}

static void signature(struct pdf *p, const struct doc_block *b)
{
	const struct doc_signature *s = &b->sig;
	double colw = (TEXT_W - 30) / 2;
	const double h = 92;
	struct {
		const char *label, *line1, *line2;
	} box[2] = {
		{ s->label, s->name, s->role },
		{ s->date_place, NULL, NULL },
	};

	if (p->y + h > BOTTOM)
		new_page(p);
	for (int i = 0; i < 2; i++) {
		double x = MARGIN_X + i * (colw + 30), y = p->y;
		PangoLayout *l;

		cairo_set_source_rgb(p->cr, MUTED);
		l = text_layout(p, box[i].label, colw, 8, 0, DOC_LEFT);
		show(p, l, x, y);
		g_object_unref(l);
		cairo_set_source_rgb(p->cr, INK);
		cairo_set_line_width(p->cr, 0.8);
		cairo_move_to(p->cr, x, y + 46);
		cairo_line_to(p->cr, x + colw, y + 46);
		cairo_stroke(p->cr);
		if (box[i].line1) {
			l = text_layout(p, box[i].line1, colw, 9.5, 1, DOC_LEFT);
			show(p, l, x, y + 50);
			g_object_unref(l);
		}
		if (box[i].line2) {
			l = text_layout(p, box[i].line2, colw, 9, 0, DOC_LEFT);
			show(p, l, x, y + 64);
			g_object_unref(l);
		}
	}
	p->y += h;
}

static void set_metadata(struct pdf *p)
{
	const struct doc *d = p->d;

	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_TITLE, d->title ? d->title : "");
	if (d->author || d->org)
		cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_AUTHOR,
					       d->author ? d->author : d->org);
	if (d->subject || d->subtitle)
		cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_SUBJECT,
					       d->subject ? d->subject : d->subtitle);
	cairo_pdf_surface_set_metadata(p->s, CAIRO_PDF_METADATA_CREATOR, "V\xc3\xa4rn");
}

/* One pass: the whole document onto s. */
static void render(struct pdf *p)
{
	memset(p->outline, 0, sizeof(p->outline));
	p->page = 0;
	set_metadata(p);
	cairo_tag_begin(p->cr, "Document", NULL);
	new_page(p);
	title_block(p);
	for (const struct doc_block *b = p->d->first; b; b = b->next) {
		switch (b->kind) {
		case DOC_HEADING:
			heading(p, b);
			break;
		case DOC_PARA:
			para(p, b->text, 10, 0);
			break;
		case DOC_NOTE:
			para(p, b->text, 8, 1);
			break;
		case DOC_DEFLIST:
			deflist(p, b);
			break;
		case DOC_TABLE:
			table(p, b->table);
			break;
		case DOC_PICTURE:
			if (b->chart)
				picture(p, b);
			break;
		case DOC_SIGNATURE:
			signature(p, b);
			break;
		case DOC_PAGE_BREAK:
			if (p->y > TOP)
				new_page(p);
			break;
		}
	}
	cairo_tag_end(p->cr, "Document");
	cairo_show_page(p->cr);
}

static int pass(struct pdf *p, cairo_write_func_t write, void *closure)
{
	cairo_status_t st;

	p->s = cairo_pdf_surface_create_for_stream(write, closure, PAGE_W, PAGE_H);
	p->cr = cairo_create(p->s);
	render(p);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->s);
	st = cairo_surface_status(p->s);
	cairo_surface_destroy(p->s);
	if (st != CAIRO_STATUS_SUCCESS)
		log_error("doc_pdf: cairo: %s", cairo_status_to_string(st));
	return st == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

int doc_pdf(const struct doc *d, struct buf *out, struct doc_stats *stats, const char **why)
{
	struct doc_stats own;
	struct pdf p = { .d = d, .st = stats ? stats : &own };
	struct buf file = BUF_INIT;

	*why = NULL;
	if (__atomic_exchange_n(&fail_next, 0, __ATOMIC_SEQ_CST)) {
		*why = "rendering failed (test)";
		return -1;
	}
	memset(p.st, 0, sizeof(*p.st));
	if (pass(&p, to_nowhere, NULL)) {
		*why = "cairo could not lay out the document";
		return -1;
	}
	p.pages = p.page;
	memset(p.st, 0, sizeof(*p.st));
	if (pass(&p, to_buf, &file) || !buf_ok(&file)) {
		buf_release(&file);
		*why = "cairo could not write the PDF";
		return -1;
	}
	p.st->pages = p.pages;
	/* the language cairo 1.16 cannot write (pdf_lang.h); without it the
	 * file is still whole */
	if (pdf_set_lang(&file, d->lang ? "en" : "sv-SE") != 0)
		log_warn("document %s: no /Lang in the PDF", d->title ? d->title : "");
	buf_add(out, file.p, file.len);
	buf_release(&file);
	if (!buf_ok(out)) {
		*why = "the PDF is larger than allowed";
		return -1;
	}
	return 0;
}
