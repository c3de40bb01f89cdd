/* doc.h - a document: filled by a module, rendered to PDF (doc_pdf.c)
 * and to the page's print view (web/doc_html.c), so the two say the same.
 *
 * A document is a title block (organisation, title, subtitle, date,
 * version, the document's own classification marking) and a list of
 * blocks in reading order: headings (levels 1-3), paragraphs, small
 * notes, definition lists, tables, pictures (chart/chart.h), signature
 * blocks and page-break hints.  Everything lives in the arena given to
 * doc_init(); the strings handed in must live as long (the arena's, or
 * literals): the model keeps pointers, it copies nothing.
 *
 * This layer stands on base/ and chart/ only (no engine, no database),
 * so a page, the command line or a scheduled job renders the same way.
 */
#ifndef VARN_DOC_H
#define VARN_DOC_H

#include "base/base.h"

struct arena;
struct buf;
struct chart;

enum doc_block_kind {
	DOC_HEADING = 0,
	DOC_PARA,
	DOC_NOTE,        /* small text: explanations, sources */
	DOC_DEFLIST,     /* term - description pairs */
	DOC_TABLE,
	DOC_PICTURE,
	DOC_SIGNATURE,
	DOC_PAGE_BREAK,  /* a hint: the PDF starts a new page, print CSS too */
};

enum doc_align { DOC_LEFT = 0, DOC_RIGHT, DOC_CENTER };

struct doc_column {
	const char *title;
	double width;        /* a share of the text width; shares are scaled
				to fill it */
	int align;           /* enum doc_align: numbers right */
};

struct doc_table {
	struct doc_column *cols;
	size_t ncols;
	const char *caption; /* above the table, or NULL */
	const char **cells;  /* nrows * ncols, row-major; NULL: empty */
	size_t nrows, cap;
	int zebra;           /* shaded every other row */
	int keep;            /* a short table kept on one page when it fits
				on one (the PDF starts a new page before it) */
};

struct doc_def {
	const char *term, *desc;
};

struct doc_signature {
	const char *name;    /* printed under the line */
	const char *role;    /* "Systemägare" */
	const char *label;   /* "Underskrift" */
	const char *date_place; /* "Datum och ort" */
};

struct doc_block {
	int kind;            /* enum doc_block_kind */
	int level;           /* DOC_HEADING: 1..3 */
	const char *text;    /* heading, paragraph, note */
	const char *id;      /* DOC_HEADING: anchor (HTML id, PDF destination) */
	struct doc_def *defs;
	size_t ndefs, capdefs;
	struct doc_table *table;
	const struct chart *chart;
	double width;        /* DOC_PICTURE: a share of the text width (0: all) */
	int brief;           /* DOC_PICTURE: the picture alone - no title, text
				alternative or table under it (the document
				says them itself: a reading, a figures table) */
	struct doc_signature sig;
	struct doc_block *next;
};

struct doc {
	struct arena *a;
	const char *title;        /* "Systemförteckning" */
	const char *org;          /* "Exempelstads kommun" */
	const char *subtitle;     /* "Socialförvaltningen", or NULL */
	const char *date;         /* "2026-12-05" */
	const char *version;      /* "1.0", or NULL */
	const char *marking;      /* "Skyddsklass: intern", or NULL */
	const char *author;       /* PDF metadata: who made it, or NULL */
	const char *subject;      /* PDF metadata, or NULL */
	int lang;                 /* 0 Swedish, 1 English (core/i18n.h order) */
	struct doc_block *first, *last;
	size_t nblocks;
};

void doc_init(struct doc *d, struct arena *a);
struct doc_block *doc_heading(struct doc *d, int level, const char *text);
struct doc_block *doc_para(struct doc *d, const char *text);
struct doc_block *doc_note(struct doc *d, const char *text);
void doc_page_break(struct doc *d);
/* A definition list; add its pairs with doc_def(). */
struct doc_block *doc_deflist(struct doc *d);
void doc_def(struct doc *d, struct doc_block *list, const char *term, const char *desc);
/* A table of ncols columns (set them with doc_col) and its rows. */
struct doc_table *doc_table(struct doc *d, size_t ncols, const char *caption);
void doc_col(struct doc_table *t, size_t i, const char *title, double width, int align);
/* A new row, its ncols cells NULL, to fill in; valid until the next row. */
const char **doc_row(struct doc *d, struct doc_table *t);
void doc_picture(struct doc *d, const struct chart *c);
/* The same at a share of the text width (0..1): a picture whose words
 * need not be as large as the page is wide (a heat map). */
void doc_picture_at(struct doc *d, const struct chart *c, double width);
/* The picture alone at width (a share of the text width, 0..1): for a
 * short document that writes its reading and figures itself (the
 * management report); the print view shows it as doc_picture does. */
void doc_picture_brief(struct doc *d, const struct chart *c, double width);
void doc_signature(struct doc *d, const char *name, const char *role);

/* "2 043": thousands grouped with a no-break space (U+00A0), as Swedish
 * typography writes numbers; negative numbers with a minus sign. */
const char *doc_number(struct arena *a, int64_t n);

/* The footer's "Sida 3 av 7" in the document's language. */
const char *doc_page_of(struct arena *a, int lang, int page, int pages);

/* ---- PDF (doc_pdf.c) ---- */

/* What the layout did, for tests and measurements. */
#define DOC_STATS_PAGES 64
struct doc_stats {
	int pages;
	/* per page (the first DOC_STATS_PAGES): table body rows and
	 * header rows drawn on it */
	int rows[DOC_STATS_PAGES];
	int heads[DOC_STATS_PAGES];
};

/* The whole PDF appended to out (A4, DejaVu Sans, page header and footer
 * "Sida n av N", metadata, outline).  0, or -1 with out as it was and a
 * reason in *why (static text): never half a file.  stats may be NULL. */
int doc_pdf(const struct doc *d, struct buf *out, struct doc_stats *stats, const char **why);

/* Test hook: the next doc_pdf() calls fail (as a broken renderer would);
 * 0 turns it off. */
void doc_pdf_fail_next(int on);

#endif
