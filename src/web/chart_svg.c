/* chart_svg.c - a picture on a page: the shapes of chart_layout() as SVG,
 * its text alternative, and the numbers behind it as a table (see
 * chart_svg.h).  Everything goes through the HTML writer: markup as
 * literals, every text and number escaped. */
#include "base/base.h"

#include <math.h>

#include "base/arena.h"
#include "chart/chart.h"
#include "chart/chart_layout.h"
#include "core/i18n.h"
#include "web/chart_svg.h"
#include "web/html.h"

struct svg {
	struct html *h;
	struct arena *a;
	const char *id;
};

/* v with one decimal, as "%.1f" writes it (a picture has hundreds of
 * numbers; printf's floating point was a third of a start page's cost).
 * out has room for 24 characters. */
static char *dec1(char *out, double v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	long long t;
	int neg;

	if (!(v > -1e15 && v < 1e15))
		v = 0; /* NaN or out of range: never in a layout */
	t = llround(v * 10);
	neg = t < 0;
	if (neg)
		t = -t;
	*--p = 0;
	*--p = (char)('0' + t % 10);
	*--p = '.';
	t /= 10;
	do {
		*--p = (char)('0' + t % 10);
		t /= 10;
	} while (t);
	if (neg)
		*--p = '-';
	return memcpy(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void num(struct svg *s, const char *name, double v)
{
	char b[24];

	h_attr(s->h, name, dec1(b, v));
}

static void colour(struct svg *s, const char *name, chart_rgb c)
{
	static const char hex[] = "0123456789abcdef";
	char b[8] = "#";

	for (int i = 0; i < 6; i++)
		b[1 + i] = hex[((unsigned)c >> (20 - 4 * i)) & 0xf];
	b[7] = 0;
	h_attr(s->h, name, b);
}

static void stroke(struct svg *s, const struct chart_shape *sh)
{
	colour(s, "stroke", sh->stroke);
	num(s, "stroke-width", sh->stroke_w > 0 ? sh->stroke_w : 1);
	if (sh->dash)
		h_lit(s->h, " stroke-dasharray=\"5 4\"");
}

/* White lines on a transparent tile, laid over a fill: the same patterns
 * chart_cairo.c draws. */
static void pattern_defs(struct svg *s, const struct chart_layout *l)
{
	int used[CHART_PAT__COUNT] = { 0 };
	static const char *const path[CHART_PAT__COUNT] = {
		NULL,
		"M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6",
		NULL,
		"M-2,2 L2,-2 M0,8 L8,0 M6,10 L10,6 M-2,6 L2,10 M0,0 L8,8 M6,-2 L10,2",
		"M4,0 L4,8",
		"M0,4 L8,4",
	};

	for (size_t i = 0; i < l->n; i++)
		if (l->s[i].kind == CS_RECT && l->s[i].pattern > 0 &&
		    l->s[i].pattern < CHART_PAT__COUNT)
			used[l->s[i].pattern] = 1;
	h_lit(s->h, "<defs>");
	for (size_t i = 0; i < l->n; i++)
		if (l->s[i].kind == CS_LINE && l->s[i].arrows) {
			h_lit(s->h, "<marker");
			h_attr(s->h, "id", arena_printf(s->a, "%s-arrow", s->id));
			h_lit(s->h, " viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\""
			      " markerHeight=\"8\" markerUnits=\"strokeWidth\""
			      " orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"");
			colour(s, "fill", CHART_ARROW);
			h_lit(s->h, "/></marker>");
			break;
		}
	for (int k = 1; k < CHART_PAT__COUNT; k++) {
		if (!used[k])
			continue;
		h_lit(s->h, "<pattern patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\"");
		h_attr(s->h, "id", arena_printf(s->a, "%s-pat%d", s->id, k));
		h_lit(s->h, ">");
		if (k == CHART_PAT_DOTS) {
			h_lit(s->h, "<circle cx=\"4\" cy=\"4\" r=\"1.6\" fill=\"#ffffff\"/>");
		} else {
			h_lit(s->h, "<path stroke=\"#ffffff\" stroke-width=\"2\" fill=\"none\"");
			h_attr(s->h, "d", path[k]);
			h_lit(s->h, "/>");
		}
		h_lit(s->h, "</pattern>");
	}
	h_lit(s->h, "</defs>");
}

static void rect_attrs(struct svg *s, const struct chart_shape *sh)
{
	num(s, "x", sh->x);
	num(s, "y", sh->y);
	num(s, "width", sh->w);
	num(s, "height", sh->h);
	if (sh->rx > 0)
		num(s, "rx", sh->rx);
}

static void shape_rect(struct svg *s, const struct chart_shape *sh)
{
	if (sh->title) {
		h_lit(s->h, "<g><title>");
		h_text(s->h, sh->title);
		h_lit(s->h, "</title>");
	}
	h_lit(s->h, "<rect");
	rect_attrs(s, sh);
	if (sh->has_fill)
		colour(s, "fill", sh->fill);
	else
		h_lit(s->h, " fill=\"none\"");
	if (sh->has_stroke)
		stroke(s, sh);
	h_lit(s->h, "/>");
	if (sh->pattern > 0 && sh->pattern < CHART_PAT__COUNT) {
		h_lit(s->h, "<rect");
		rect_attrs(s, sh);
		h_attr(s->h, "fill", arena_printf(s->a, "url(#%s-pat%d)", s->id, sh->pattern));
		h_lit(s->h, "/>");
	}
	if (sh->title)
		h_lit(s->h, "</g>");
}

static void points(struct svg *s, const double *p, size_t n)
{
	struct buf b = BUF_INIT;

	char x[24], y[24];

	for (size_t k = 0; k < n; k++) {
		if (k)
			buf_putc(&b, ' ');
		buf_puts(&b, dec1(x, p[2 * k]));
		buf_putc(&b, ',');
		buf_puts(&b, dec1(y, p[2 * k + 1]));
	}
	h_attr(s->h, "points", b.p);
	buf_release(&b);
}

static void shape_mark(struct svg *s, const struct chart_shape *sh)
{
	double r = sh->w / 2, x = sh->x, y = sh->y;

	if (sh->title) {
		h_lit(s->h, "<g><title>");
		h_text(s->h, sh->title);
		h_lit(s->h, "</title>");
	}
	switch (sh->marker) {
	case CHART_MARK_SQUARE:
		h_lit(s->h, "<rect");
		num(s, "x", x - r);
		num(s, "y", y - r);
		num(s, "width", 2 * r);
		num(s, "height", 2 * r);
		break;
	case CHART_MARK_TRIANGLE: {
		double p[6] = { x, y - r * 1.2, x + r * 1.1, y + r * 0.8, x - r * 1.1, y + r * 0.8 };
		h_lit(s->h, "<polygon");
		points(s, p, 3);
		break;
	}
	case CHART_MARK_DIAMOND: {
		double p[8] = { x, y - r * 1.3, x + r * 1.3, y, x, y + r * 1.3, x - r * 1.3, y };
		h_lit(s->h, "<polygon");
		points(s, p, 4);
		break;
	}
	default:
		h_lit(s->h, "<circle");
		num(s, "cx", x);
		num(s, "cy", y);
		num(s, "r", r);
		break;
	}
	colour(s, "fill", sh->fill);
	stroke(s, sh);
	h_lit(s->h, "/>");
	if (sh->title)
		h_lit(s->h, "</g>");
}

static void shape_text(struct svg *s, const struct chart_shape *sh)
{
	static const char *const anchor[] = { "start", "middle", "end" };

	h_lit(s->h, "<text dominant-baseline=\"central\"");
	num(s, "x", sh->x);
	num(s, "y", sh->y);
	if (sh->anchor != CS_START)
		h_attr(s->h, "text-anchor", anchor[sh->anchor]);
	num(s, "font-size", sh->font);
	colour(s, "fill", sh->fill);
	if (sh->bold)
		h_lit(s->h, " font-weight=\"bold\"");
	if (sh->halo)
		h_lit(s->h, " stroke=\"#ffffff\" stroke-width=\"5\" stroke-linejoin=\"round\""
		      " paint-order=\"stroke\"");
	h_lit(s->h, ">");
	if (!sh->nlines)
		h_text(s->h, sh->text);
	for (size_t k = 0; k < sh->nlines; k++) {
		h_lit(s->h, "<tspan");
		num(s, "x", sh->x);
		num(s, "y", sh->y + ((double)k - (double)(sh->nlines - 1) / 2.0) * sh->line_h);
		h_lit(s->h, ">");
		h_text(s->h, sh->lines[k]);
		h_lit(s->h, "</tspan>");
	}
	h_lit(s->h, "</text>");
}

/* with_desc: the text alternative as the SVG's own <desc> (the picture
 * alone); else described by the paragraph h_chart writes under it. */
static void svg_picture(struct svg *s, const struct chart *c, const struct chart_layout *l,
			int with_desc, const char *css_class)
{
	h_lit(s->h, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""
	      " font-family=\"'DejaVu Sans', Verdana, sans-serif\"");
	h_attr(s->h, "class", css_class ? css_class : "chart-svg");
	if (with_desc) {
		h_attr(s->h, "aria-labelledby",
		       arena_printf(s->a, "%s-title %s-desc", s->id, s->id));
	} else {
		h_attr(s->h, "aria-labelledby", arena_printf(s->a, "%s-title", s->id));
		h_attr(s->h, "aria-describedby", arena_printf(s->a, "%s-alt", s->id));
	}
	h_attr(s->h, "width", arena_printf(s->a, "%.0f", l->w));
	h_attr(s->h, "viewBox", arena_printf(s->a, "0 0 %.0f %.0f", l->w, l->h));
	h_lit(s->h, "><title");
	h_attr(s->h, "id", arena_printf(s->a, "%s-title", s->id));
	h_lit(s->h, ">");
	h_text(s->h, c->title ? c->title : "");
	h_lit(s->h, "</title>");
	if (with_desc) {
		h_lit(s->h, "<desc");
		h_attr(s->h, "id", arena_printf(s->a, "%s-desc", s->id));
		h_lit(s->h, ">");
		h_text(s->h, c->alt ? c->alt : "");
		h_lit(s->h, "</desc>");
	}
	pattern_defs(s, l);
	for (size_t i = 0; i < l->n; i++) {
		const struct chart_shape *sh = &l->s[i];
		switch (sh->kind) {
		case CS_RECT:
			shape_rect(s, sh);
			break;
		case CS_LINE:
			h_lit(s->h, "<line");
			num(s, "x1", sh->x);
			num(s, "y1", sh->y);
			num(s, "x2", sh->x2);
			num(s, "y2", sh->y2);
			stroke(s, sh);
			if (sh->arrows & 1)
				h_attr(s->h, "marker-end", arena_printf(s->a, "url(#%s-arrow)", s->id));
			if (sh->arrows & 2)
				h_attr(s->h, "marker-start", arena_printf(s->a, "url(#%s-arrow)", s->id));
			h_lit(s->h, "/>");
			break;
		case CS_POLY:
			if (sh->has_fill) {
				h_lit(s->h, "<polygon");
				points(s, sh->pts, sh->npts);
				colour(s, "fill", sh->fill);
			} else {
				h_lit(s->h, "<polyline fill=\"none\" stroke-linejoin=\"round\"");
				points(s, sh->pts, sh->npts);
				stroke(s, sh);
			}
			h_lit(s->h, "/>");
			break;
		case CS_MARK:
			shape_mark(s, sh);
			break;
		case CS_TEXT:
			shape_text(s, sh);
			break;
		}
	}
	h_lit(s->h, "</svg>");
}

static void numbers_table(struct svg *s, const struct chart *c)
{
	struct chart_table t;

	chart_table(c, s->a, &t);
	h_lit(s->h, "<details class=\"chart-numbers\"><summary>");
	h_msg(s->h, M_CHART_SHOW_NUMBERS);
	h_lit(s->h, "</summary><div class=\"table-wrap\" tabindex=\"0\" role=\"region\"");
	h_attr(s->h, "aria-labelledby", arena_printf(s->a, "%s-cap", s->id));
	h_lit(s->h, "><table class=\"list\"><caption");
	h_attr(s->h, "id", arena_printf(s->a, "%s-cap", s->id));
	h_lit(s->h, ">");
	h_text(s->h, t.caption ? t.caption : "");
	h_lit(s->h, "</caption><thead><tr>");
	for (size_t k = 0; k < t.ncols; k++) {
		h_lit(s->h, "<th scope=\"col\"");
		if (t.numeric[k])
			h_lit(s->h, " class=\"num\"");
		h_lit(s->h, ">");
		h_text(s->h, t.head[k]);
		h_lit(s->h, "</th>");
	}
	h_lit(s->h, "</tr></thead><tbody>");
	for (size_t r = 0; r < t.nrows; r++) {
		h_lit(s->h, "<tr>");
		for (size_t k = 0; k < t.ncols; k++) {
			const char *v = t.cells[r * t.ncols + k];
			if (k == 0)
				h_lit(s->h, "<th scope=\"row\">");
			else if (t.numeric[k])
				h_lit(s->h, "<td class=\"num\">");
			else
				h_lit(s->h, "<td>");
			h_text(s->h, v ? v : "");
			if (k == 0)
				h_lit(s->h, "</th>");
			else
				h_lit(s->h, "</td>");
		}
		h_lit(s->h, "</tr>");
	}
	h_lit(s->h, "</tbody></table></div></details>");
}

void h_chart(struct html *h, const struct chart *c)
{
	struct arena a = ARENA_INIT;
	struct svg s = { h, &a, c->id ? c->id : "chart" };
	struct chart_layout l;

	h_lit(h, "<div class=\"chart\">");
	if (chart_is_empty(c)) {
		h_lit(h, "<p class=\"empty\">");
		h_text(h, chart_empty_text(c));
		h_lit(h, "</p></div>");
		arena_release(&a);
		return;
	}
	chart_layout(c, &a, CHART_SVG_W, &l);
	svg_picture(&s, c, &l, 0, NULL);
	h_lit(h, "<p class=\"chart-alt\"");
	h_attr(h, "id", arena_printf(&a, "%s-alt", s.id));
	h_lit(h, ">");
	h_text(h, c->alt ? c->alt : "");
	h_lit(h, "</p>");
	numbers_table(&s, c);
	h_lit(h, "</div>");
	arena_release(&a);
}

void h_chart_svg(struct html *h, const struct chart *c, const char *css_class)
{
	struct arena a = ARENA_INIT;
	struct svg s = { h, &a, c->id ? c->id : "chart" };
	struct chart_layout l;

	chart_layout(c, &a, CHART_SVG_W, &l);
	svg_picture(&s, c, &l, 1, css_class);
	arena_release(&a);
}
