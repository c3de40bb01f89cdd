/* chart_layout.h - a chart laid out once as a list of shapes, which the
 * SVG writer (web/chart_svg.c) and the cairo drawing (chart_cairo.c) both
 * paint one by one.  So the page and the PDF show the same picture: every
 * position, scale, tick, wrapped label and colour is decided here, and a
 * renderer only translates shapes into its own calls.
 *
 * Coordinates are in a box of width w (the caller's) and height h (what
 * the chart needs), y downwards, font sizes in the same units.  Text width
 * is estimated from the number of characters (DejaVu Sans averages about
 * 0.58 em), generous enough that labels do not collide in either renderer.
 */
#ifndef VARN_CHART_LAYOUT_H
#define VARN_CHART_LAYOUT_H

#include "chart/chart.h"

enum chart_shape_kind {
	CS_RECT = 0,  /* x, y, w, h; fill and/or stroke; rx rounded corners;
			 pattern laid over the fill in white */
	CS_LINE,      /* x, y -> x2, y2; stroke, width, dash; arrows: an
			 arrowhead at the end (1) and/or the start (2),
			 its tip on the end point, 8 stroke widths long */
	CS_POLY,      /* pts[0..npts) as a polyline (stroke) or, with a fill,
			 a closed polygon */
	CS_MARK,      /* a marker (enum chart_marker) of size w at x, y */
	CS_TEXT,      /* text at x (anchor) and y (its middle line); or,
			 with nlines, lines centred on y, line_h apart */
};

enum { CS_START = 0, CS_MIDDLE, CS_END };

struct chart_shape {
	int kind;
	double x, y, w, h, x2, y2;
	double rx;
	const double *pts;            /* CS_POLY: x0, y0, x1, y1, ... */
	size_t npts;
	int has_fill, has_stroke;
	chart_rgb fill, stroke;
	double stroke_w;
	int dash;                     /* dashed stroke */
	int pattern;                  /* enum chart_pattern over the fill */
	int marker;
	unsigned arrows;
	const char *text;
	const char *const *lines;
	size_t nlines;
	double line_h;
	int anchor;                   /* CS_START, CS_MIDDLE, CS_END */
	double font;                  /* font size */
	int bold;
	int halo;                     /* text: a white outline under it */
	const char *title;            /* SVG: a tooltip group around it */
	const char *href;             /* SVG: a link around it */
};

struct chart_layout {
	double w, h;
	struct chart_shape *s;
	size_t n, cap;
	struct arena *a;
};

/* Lays c out for width w.  An empty chart lays out its `empty` text. */
void chart_layout(const struct chart *c, struct arena *a, double w, struct chart_layout *l);

/* v as the picture shows it: decimals, a decimal comma, thousands
 * separated by a no-break space ("20 000"). */
const char *chart_num(struct arena *a, double v, int decimals);

/* The empty chart's text. */
const char *chart_empty_text(const struct chart *c);

/* The width the SVG lays a chart out in (its viewBox); it scales with the
 * page from there. */
#define CHART_SVG_W 400.0

/* The arrowheads' colour (the dependency picture's). */
#define CHART_ARROW 0x1d4e6bu

#endif
