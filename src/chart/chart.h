/* chart.h - pictures: one model, drawn as SVG on a page and with cairo in
 * a PDF, so that both say the same thing.
 *
 * A chart is filled by whoever has the numbers (a module's build function,
 * a document), in an arena, and then handed to a renderer:
 *   h_chart(h, c)                  web/chart_svg.h: accessible SVG + the
 *                                  numbers as a <table> (page layer);
 *   chart_draw_cairo(c, cr, w, h)  chart_cairo.c: the same picture on any
 *                                  cairo surface (PDF, PNG), pangocairo
 *                                  text in DejaVu Sans;
 *   chart_table(c, a, &t)          the numbers as rows of strings, for a
 *                                  document's table under the picture.
 * Both renderers take their geometry from chart_layout() (chart.c), so
 * scales, ticks, label wrapping and positions are computed once.
 *
 * Every picture has a title, a text alternative (alt: one or two
 * sentences saying what it shows and its main reading) and its numbers
 * as a table.  Colour never carries meaning alone: bars have patterns,
 * lines markers, heat-map cells their number, timeline items their state
 * as text, and series are labelled directly or in a legend.
 *
 * Layer: chart/ sits between base/ and web/: it includes base/ only
 * (no web/, no db/), so a document or a job can draw without a request.
 * Texts it shows come from the caller (already in the reader's language);
 * the renderers add none of their own except the caller's `empty` text.
 */
#ifndef VARN_CHART_H
#define VARN_CHART_H

#include "base/base.h"

struct arena;

enum chart_kind {
	CHART_BAR = 0,      /* one bar per category and series, side by side */
	CHART_STACKED_BAR,  /* one bar per category, the series stacked */
	CHART_LINE,         /* one line per series over the categories (time) */
	CHART_HEATMAP,      /* rows x columns of cells, coloured by level */
	CHART_TIMELINE,     /* items from start to end on a time axis (Gantt) */
	CHART_GRAPH,        /* the dependency picture: a node in the middle,
			       the nodes it is linked to around it, theirs
			       further out */
};

/* Fills of bars and timeline items, so colour is not the only carrier. */
enum chart_pattern {
	CHART_PAT_SOLID = 0,
	CHART_PAT_HATCH,    /* diagonal lines */
	CHART_PAT_DOTS,
	CHART_PAT_CROSS,    /* cross-hatch */
	CHART_PAT_VLINES,   /* vertical lines */
	CHART_PAT_HLINES,   /* horizontal lines */
	CHART_PAT__COUNT
};

/* Markers on the points of a line. */
enum chart_marker {
	CHART_MARK_CIRCLE = 0,
	CHART_MARK_SQUARE,
	CHART_MARK_TRIANGLE,
	CHART_MARK_DIAMOND,
	CHART_MARK__COUNT
};

/* An sRGB colour, 0xRRGGBB. */
typedef uint32_t chart_rgb;

/* The palette: every colour has at least 4.5:1 contrast against white
 * (so it can be text as well as a graphical object, which needs 3:1);
 * white text on it has the same.  chart_palette[i % CHART_PALETTE_N]. */
#define CHART_PALETTE_N 6
extern const chart_rgb chart_palette[CHART_PALETTE_N];
/* Protection levels: [0] "ej klassad", [1]..[4] levels 1..4; the same
 * rules.  Used by heat maps of levels and by the level distribution. */
extern const chart_rgb chart_level_colour[5];
#define CHART_INK   0x1b2733u  /* text, axes */
#define CHART_MUTED 0x55616du  /* grid labels, secondary text */
#define CHART_GRID  0xd5dbe1u  /* grid lines (decoration, not meaning) */

/* WCAG 2 relative luminance and contrast ratio (1..21). */
double chart_luminance(chart_rgb c);
double chart_contrast(chart_rgb a, chart_rgb b);

/* A series of a bar, stacked bar or line chart: one value per category. */
struct chart_series {
	const char *label;
	const double *values;    /* ncat values */
	chart_rgb colour;
	int pattern;             /* enum chart_pattern (bars) */
	int marker;              /* enum chart_marker (lines) */
};

/* A heat map: nrows x ncols cells, row-major.  Each cell shows its value
 * (or its text) and is coloured by its level, level_labels naming the
 * levels in the legend ("Låg", "Hög" or "Nivå 1".."Nivå 4"). */
struct chart_heat {
	const char *const *rows;      /* row labels, top to bottom */
	size_t nrows;
	const char *const *cols;      /* column labels, left to right */
	size_t ncols;
	const double *values;         /* nrows * ncols: the number in the cell */
	const char *const *texts;     /* nrows * ncols, or NULL: shown instead
					 of the number when set */
	const int *level;             /* nrows * ncols: 0..nlevels-1 */
	const char *const *level_labels;
	const chart_rgb *level_colours;
	size_t nlevels;
};

/* A bar of a timeline: from start to end (Unix seconds; end 0 = open,
 * drawn to the axis' end), in a state shown as text beside it. */
struct chart_item {
	const char *label;
	int64_t start, end;
	const char *state;            /* "Pågår", "Klar", or NULL */
	chart_rgb colour;
	int pattern;                  /* enum chart_pattern */
};

/* A node of the graph.  ring 0 is the one in the middle (one node), ring
 * 1 the nodes linked to it, ring 2 those linked to a ring-1 node (parent:
 * its index).  The layout places them; x, y are filled by chart_layout. */
struct chart_node {
	const char *label;
	const char *href;             /* the SVG links the box, or NULL */
	int ring;                     /* 0, 1, 2 */
	size_t parent;                /* ring 2: index of its ring-1 node */
	int muted;                    /* archived: dashed outline */
};

/* A link between two nodes, with arrowheads at the receiving ends. */
#define CHART_FLOW_OUT 1u  /* from -> to */
#define CHART_FLOW_IN  2u  /* to -> from */
struct chart_edge {
	size_t from, to;              /* node indexes; from nearer the middle */
	unsigned dirs;                /* CHART_FLOW_* */
	const char *label;            /* what flows, beside the line, or NULL */
};

/* The few words chart_table() adds of its own, in the reader's language
 * (NULL, or a NULL member: the Swedish word). */
struct chart_words {
	const char *total;      /* "Totalt" (stacked bars) */
	const char *from, *to;  /* "Från", "Till" (timeline, graph) */
	const char *state;      /* "Läge" (timeline) */
	const char *both_ways;  /* "båda hållen" (graph) */
	const char *what;       /* "Vad" (graph, without cat_title) */
};

struct chart {
	int kind;                     /* enum chart_kind */
	const char *id;               /* unique on the page ("ch-levels"): the
					 SVG's ids derive from it */
	const char *title;
	const char *alt;              /* the text alternative */
	const char *x_label, *y_label; /* axis titles, or NULL */
	const char *cat_title;        /* the table's first column heading
					 ("Aspekt", "Månad"), or NULL */
	const char *empty;            /* shown instead of a picture when there
					 is nothing to show ("Inga uppgifter
					 ännu"); NULL: that Swedish text */
	int decimals;                 /* of the numbers shown (0: integers) */

	/* bar, stacked bar, line */
	const char *const *cats;      /* category labels */
	size_t ncat;
	const struct chart_series *series;
	size_t nseries;
	int horizontal;               /* bars: categories down, bars across */

	/* heat map */
	struct chart_heat heat;

	/* timeline */
	const struct chart_item *items;
	size_t nitems;
	int64_t t0, t1;               /* the axis; 0, 0: from the items */

	/* graph */
	const struct chart_node *nodes;
	size_t nnodes;
	const struct chart_edge *edges;
	size_t nedges;

	const struct chart_words *words; /* or NULL: Swedish */
};

/* A chart with kind and id set and everything else empty, in a. */
struct chart *chart_new(struct arena *a, int kind, const char *id);
/* Appends a series (values copied into a; ncat of them).  Returns it, so
 * the caller may set colour, pattern, marker (set from the series' index
 * by default). */
struct chart_series *chart_add_series(struct arena *a, struct chart *c, const char *label,
				      const double *values);

/* Whether there is anything to draw (else the renderers show `empty`). */
int chart_is_empty(const struct chart *c);

/* The height the picture wants for a width of 1 (height / width), so that
 * a document can reserve room before drawing. */
double chart_aspect(const struct chart *c);

/* The numbers behind the picture, as a table of strings: ncols headings
 * and nrows rows of ncols cells (row-major), all in a.  The first column
 * names the category (row label, item, link); numbers are formatted as
 * the picture shows them.  The same table under the SVG and in the PDF.
 * Bars/lines: one row per category, one column per series (+ "Totalt"
 * for stacked bars).  Heat map: one row per row, one column per column.
 * Timeline: item, start, end, state.  Graph: from, to, direction, what. */
struct chart_table {
	const char *caption;          /* the chart's title */
	size_t ncols, nrows;
	const char **head;            /* ncols */
	const char **cells;           /* nrows * ncols */
	const int *numeric;           /* ncols: right-aligned numbers */
};
void chart_table(const struct chart *c, struct arena *a, struct chart_table *t);

/* Draws the picture on cr into the rectangle (0,0)-(w,h) in the current
 * user space (points in a PDF), white background left to the caller.
 * Leaves cr's state as it was (save/restore). */
typedef struct _cairo cairo_t;
void chart_draw_cairo(const struct chart *c, cairo_t *cr, double w, double h);

#endif
