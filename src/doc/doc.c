/* doc.c - filling a document (doc.h). */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "doc/doc.h"

void doc_init(struct doc *d, struct arena *a)
{
	memset(d, 0, sizeof(*d));
	d->a = a;
}

static struct doc_block *add(struct doc *d, int kind)
{
	struct doc_block *b = arena_alloc(d->a, sizeof(*b));

	b->kind = kind;
	if (d->last)
		d->last->next = b;
	else
		d->first = b;
	d->last = b;
	d->nblocks++;
	return b;
}

struct doc_block *doc_heading(struct doc *d, int level, const char *text)
{
	struct doc_block *b = add(d, DOC_HEADING);

	b->level = level < 1 ? 1 : level > 3 ? 3 : level;
	b->text = text;
	b->id = arena_printf(d->a, "d%zu", d->nblocks);
	return b;
}

struct doc_block *doc_para(struct doc *d, const char *text)
{
	struct doc_block *b = add(d, DOC_PARA);

	b->text = text;
	return b;
}

struct doc_block *doc_note(struct doc *d, const char *text)
{
	struct doc_block *b = add(d, DOC_NOTE);

	b->text = text;
	return b;
}

void doc_page_break(struct doc *d)
{
	add(d, DOC_PAGE_BREAK);
}

struct doc_block *doc_deflist(struct doc *d)
{
	return add(d, DOC_DEFLIST);
}

void doc_def(struct doc *d, struct doc_block *list, const char *term, const char *desc)
{
	if (list->ndefs == list->capdefs) {
		size_t cap = list->capdefs ? list->capdefs * 2 : 8;
		struct doc_def *n = arena_alloc(d->a, cap * sizeof(*n));

		if (list->ndefs)
			memcpy(n, list->defs, list->ndefs * sizeof(*n));
		list->defs = n;
		list->capdefs = cap;
	}
	list->defs[list->ndefs].term = term;
	list->defs[list->ndefs].desc = desc;
	list->ndefs++;
}

struct doc_table *doc_table(struct doc *d, size_t ncols, const char *caption)
{
	struct doc_block *b = add(d, DOC_TABLE);
	struct doc_table *t = arena_alloc(d->a, sizeof(*t));

	t->ncols = ncols;
	t->cols = arena_alloc(d->a, ncols * sizeof(*t->cols));
	for (size_t i = 0; i < ncols; i++)
		t->cols[i].width = 1;
	t->caption = caption;
	t->zebra = 1;
	b->table = t;
	return t;
}

void doc_col(struct doc_table *t, size_t i, const char *title, double width, int align)
{
	if (i >= t->ncols)
		BUG("doc_col: column %zu of %zu", i, t->ncols);
	t->cols[i].title = title;
	t->cols[i].width = width > 0 ? width : 1;
	t->cols[i].align = align;
}

/* The rows grow by doubling in the arena: the old array stays behind
 * until the arena goes, at most as much again as the final one. */
const char **doc_row(struct doc *d, struct doc_table *t)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		const char **n = arena_alloc(d->a, cap * t->ncols * sizeof(*n));

		if (t->nrows)
			memcpy(n, t->cells, t->nrows * t->ncols * sizeof(*n));
		t->cells = n;
		t->cap = cap;
	}
	return &t->cells[t->nrows++ * t->ncols];
}

void doc_picture(struct doc *d, const struct chart *c)
{
	add(d, DOC_PICTURE)->chart = c;
}

void doc_picture_at(struct doc *d, const struct chart *c, double width)
{
	struct doc_block *b = add(d, DOC_PICTURE);

	b->chart = c;
	b->width = width > 0 && width <= 1 ? width : 1;
}

void doc_picture_brief(struct doc *d, const struct chart *c, double width)
{
	struct doc_block *b = add(d, DOC_PICTURE);

	b->chart = c;
	b->width = width > 0 && width <= 1 ? width : 1;
	b->brief = 1;
}

void doc_signature(struct doc *d, const char *name, const char *role)
{
	struct doc_block *b = add(d, DOC_SIGNATURE);

	b->sig.name = name;
	b->sig.role = role;
	b->sig.label = d->lang ? "Signature" : "Underskrift";
	b->sig.date_place = d->lang ? "Place and date" : "Ort och datum";
}

const char *doc_number(struct arena *a, int64_t n)
{
	char digits[32];
	struct buf b = BUF_INIT;
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	size_t len = 0;
	const char *s;

	do {
		digits[len++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		buf_puts(&b, "\xe2\x88\x92"); /* U+2212 minus sign */
	for (size_t i = len; i > 0; i--) {
		buf_putc(&b, digits[i - 1]);
		if (i > 1 && (i - 1) % 3 == 0)
			buf_puts(&b, "\xc2\xa0"); /* U+00A0 no-break space */
	}
	s = arena_strndup(a, b.p, b.len);
	buf_release(&b);
	return s;
}

const char *doc_page_of(struct arena *a, int lang, int page, int pages)
{
	return arena_printf(a, lang ? "Page %d of %d" : "Sida %d av %d", page, pages);
}
