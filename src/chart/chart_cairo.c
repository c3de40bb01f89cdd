/* chart_cairo.c - a chart drawn with cairo (a PDF page, a PNG): the
 * shapes of chart_layout(), scaled to fit the caller's rectangle, text
 * set by pango in DejaVu Sans. */
#include "base/base.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "base/arena.h"
#include "chart/chart.h"
#include "chart/chart_layout.h"

static void set_rgb(cairo_t *cr, chart_rgb c)
{
	cairo_set_source_rgb(cr, ((c >> 16) & 0xff) / 255.0, ((c >> 8) & 0xff) / 255.0,
			     (c & 0xff) / 255.0);
}

/* White lines over a filled shape: the pattern that tells a series apart
 * without its colour (the SVG's <pattern>s draw the same, 8 units apart). */
static void fill_pattern(cairo_t *cr, const struct chart_shape *s)
{
	cairo_save(cr);
	cairo_rectangle(cr, s->x, s->y, s->w, s->h);
	cairo_clip(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, 2);
	switch (s->pattern) {
	case CHART_PAT_HATCH:
	case CHART_PAT_CROSS:
		for (double d = -s->h; d < s->w + s->h; d += 8) {
			cairo_move_to(cr, s->x + d, s->y + s->h);
			cairo_line_to(cr, s->x + d + s->h, s->y);
			if (s->pattern == CHART_PAT_CROSS) {
				cairo_move_to(cr, s->x + d, s->y);
				cairo_line_to(cr, s->x + d + s->h, s->y + s->h);
			}
		}
		cairo_stroke(cr);
		break;
	case CHART_PAT_DOTS:
		for (double y = s->y + 4; y < s->y + s->h; y += 8)
			for (double x = s->x + 4; x < s->x + s->w; x += 8) {
				cairo_new_sub_path(cr);
				cairo_arc(cr, x, y, 1.6, 0, 2 * M_PI);
			}
		cairo_fill(cr);
		break;
	case CHART_PAT_VLINES:
		for (double x = s->x + 4; x < s->x + s->w; x += 8) {
			cairo_move_to(cr, x, s->y);
			cairo_line_to(cr, x, s->y + s->h);
		}
		cairo_stroke(cr);
		break;
	case CHART_PAT_HLINES:
		for (double y = s->y + 4; y < s->y + s->h; y += 8) {
			cairo_move_to(cr, s->x, y);
			cairo_line_to(cr, s->x + s->w, y);
		}
		cairo_stroke(cr);
		break;
	}
	cairo_restore(cr);
}

static void path_rect(cairo_t *cr, const struct chart_shape *s)
{
	double r = fmin(s->rx, fmin(s->w, s->h) / 2);

	if (r <= 0) {
		cairo_rectangle(cr, s->x, s->y, s->w, s->h);
		return;
	}
	cairo_new_sub_path(cr);
	cairo_arc(cr, s->x + s->w - r, s->y + r, r, -M_PI / 2, 0);
	cairo_arc(cr, s->x + s->w - r, s->y + s->h - r, r, 0, M_PI / 2);
	cairo_arc(cr, s->x + r, s->y + s->h - r, r, M_PI / 2, M_PI);
	cairo_arc(cr, s->x + r, s->y + r, r, M_PI, 3 * M_PI / 2);
	cairo_close_path(cr);
}

static void stroke_style(cairo_t *cr, const struct chart_shape *s)
{
	static const double dash[] = { 5, 4 };

	set_rgb(cr, s->stroke);
	cairo_set_line_width(cr, s->stroke_w > 0 ? s->stroke_w : 1);
	cairo_set_dash(cr, dash, s->dash ? 2 : 0, 0);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
}

static void draw_mark(cairo_t *cr, const struct chart_shape *s)
{
	double r = s->w / 2;

	switch (s->marker) {
	case CHART_MARK_SQUARE:
		cairo_rectangle(cr, s->x - r, s->y - r, 2 * r, 2 * r);
		break;
	case CHART_MARK_TRIANGLE:
		cairo_move_to(cr, s->x, s->y - r * 1.2);
		cairo_line_to(cr, s->x + r * 1.1, s->y + r * 0.8);
		cairo_line_to(cr, s->x - r * 1.1, s->y + r * 0.8);
		cairo_close_path(cr);
		break;
	case CHART_MARK_DIAMOND:
		cairo_move_to(cr, s->x, s->y - r * 1.3);
		cairo_line_to(cr, s->x + r * 1.3, s->y);
		cairo_line_to(cr, s->x, s->y + r * 1.3);
		cairo_line_to(cr, s->x - r * 1.3, s->y);
		cairo_close_path(cr);
		break;
	default:
		cairo_arc(cr, s->x, s->y, r, 0, 2 * M_PI);
		break;
	}
	set_rgb(cr, s->fill);
	cairo_fill_preserve(cr);
	stroke_style(cr, s);
	cairo_stroke(cr);
}

/* One line of text, its middle on y. */
static void draw_line_of_text(cairo_t *cr, PangoLayout *pl, const struct chart_shape *s,
			      const char *text, double y)
{
	PangoFontDescription *fd = pango_font_description_new();
	PangoRectangle ink, logical;
	double x;

	pango_font_description_set_family(fd, "DejaVu Sans");
	pango_font_description_set_absolute_size(fd, s->font * 0.92 * PANGO_SCALE);
	pango_font_description_set_weight(fd, s->bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(pl, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(pl, text, -1);
	pango_layout_get_pixel_extents(pl, &ink, &logical);
	x = s->anchor == CS_MIDDLE ? s->x - logical.width / 2.0 :
	    s->anchor == CS_END ? s->x - logical.width : s->x;
	cairo_move_to(cr, x, y - logical.height / 2.0);
	if (s->halo) {
		pango_cairo_layout_path(cr, pl);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_set_line_width(cr, 5);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_set_dash(cr, NULL, 0, 0);
		cairo_stroke(cr);
		cairo_move_to(cr, x, y - logical.height / 2.0);
	}
	set_rgb(cr, s->fill);
	pango_cairo_show_layout(cr, pl);
}

static void draw_text(cairo_t *cr, PangoLayout *pl, const struct chart_shape *s)
{
	if (!s->nlines) {
		draw_line_of_text(cr, pl, s, s->text, s->y);
		return;
	}
	for (size_t k = 0; k < s->nlines; k++)
		draw_line_of_text(cr, pl, s, s->lines[k],
				  s->y + ((double)k - (double)(s->nlines - 1) / 2.0) * s->line_h);
}

/* An arrowhead with its tip at (x, y) pointing along (ux, uy): the SVG
 * marker's triangle, 8 stroke widths long and wide. */
static void arrowhead(cairo_t *cr, double x, double y, double ux, double uy, double sw)
{
	double len = 8 * sw, half = 4 * sw;

	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x - ux * len - uy * half, y - uy * len + ux * half);
	cairo_line_to(cr, x - ux * len + uy * half, y - uy * len - ux * half);
	cairo_close_path(cr);
	set_rgb(cr, CHART_ARROW);
	cairo_fill(cr);
}

static void draw_line(cairo_t *cr, const struct chart_shape *s)
{
	double dx = s->x2 - s->x, dy = s->y2 - s->y, len = hypot(dx, dy);
	double ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
	double sw = s->stroke_w > 0 ? s->stroke_w : 1;
	/* the line stops inside the arrowhead, so its end does not show */
	double a = s->arrows & 2 ? 4 * sw : 0, b = s->arrows & 1 ? 4 * sw : 0;

	cairo_move_to(cr, s->x + ux * a, s->y + uy * a);
	cairo_line_to(cr, s->x2 - ux * b, s->y2 - uy * b);
	stroke_style(cr, s);
	cairo_stroke(cr);
	if (s->arrows & 1)
		arrowhead(cr, s->x2, s->y2, ux, uy, sw);
	if (s->arrows & 2)
		arrowhead(cr, s->x, s->y, -ux, -uy, sw);
}

void chart_draw_cairo(const struct chart *c, cairo_t *cr, double w, double h)
{
	struct arena a = ARENA_INIT;
	struct chart_layout l;
	PangoLayout *pl;
	double sc;

	/* laid out as on the page (the same picture, chart_aspect()'s
	 * proportions), then scaled to the room given */
	chart_layout(c, &a, CHART_SVG_W, &l);
	sc = fmin(w / l.w, h / l.h);
	cairo_save(cr);
	cairo_translate(cr, (w - l.w * sc) / 2, 0);
	cairo_scale(cr, sc, sc);
	pl = pango_cairo_create_layout(cr);
	for (size_t i = 0; i < l.n; i++) {
		const struct chart_shape *s = &l.s[i];
		switch (s->kind) {
		case CS_RECT:
			path_rect(cr, s);
			if (s->has_fill) {
				set_rgb(cr, s->fill);
				cairo_fill_preserve(cr);
			}
			if (s->has_stroke) {
				stroke_style(cr, s);
				cairo_stroke(cr);
			}
			cairo_new_path(cr);
			if (s->pattern != CHART_PAT_SOLID)
				fill_pattern(cr, s);
			break;
		case CS_LINE:
			draw_line(cr, s);
			break;
		case CS_POLY:
			for (size_t k = 0; k < s->npts; k++)
				if (k == 0)
					cairo_move_to(cr, s->pts[0], s->pts[1]);
				else
					cairo_line_to(cr, s->pts[2 * k], s->pts[2 * k + 1]);
			if (s->has_fill) {
				cairo_close_path(cr);
				set_rgb(cr, s->fill);
				cairo_fill(cr);
			} else {
				stroke_style(cr, s);
				cairo_stroke(cr);
			}
			break;
		case CS_MARK:
			draw_mark(cr, s);
			break;
		case CS_TEXT:
			draw_text(cr, pl, s);
			break;
		}
	}
	g_object_unref(pl);
	cairo_restore(cr);
	arena_release(&a);
}
