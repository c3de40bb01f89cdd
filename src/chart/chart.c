/* chart.c - the chart model's helpers, its numbers as a table, and the
 * layout both renderers paint (chart_layout.h): one function per kind
 * turning the model into positioned shapes. */
#include "base/base.h"

#include <math.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"
#include "chart/chart.h"
#include "chart/chart_layout.h"

/* Each at least 4.5:1 against white (tests/unit/test_chart.c computes it):
 * usable as text and, with white text on it, as a fill. */
const chart_rgb chart_palette[CHART_PALETTE_N] = {
	0x1d4e6b, /* the brand's blue */
	0xa15c00, /* brown-orange */
	0x2e7d32, /* green */
	0x7b3fa0, /* purple */
	0xb3261e, /* red */
	0x55616d, /* grey */
};

/* "ej klassad", then levels 1..4: grey, green, blue, orange, red. */
const chart_rgb chart_level_colour[5] = {
	0x55616d, 0x2e7d32, 0x0b5cad, 0xa15c00, 0xb3261e,
};

#define WHITE 0xffffffu
#define FONT 14.0       /* labels */
#define FONT_SMALL 12.5 /* ticks, numbers */
#define EM 0.6         /* a character's width in em, generously */

static double channel(unsigned v)
{
	double c = (double)v / 255.0;
	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double chart_luminance(chart_rgb c)
{
	return 0.2126 * channel((c >> 16) & 0xff) + 0.7152 * channel((c >> 8) & 0xff) +
	       0.0722 * channel(c & 0xff);
}

double chart_contrast(chart_rgb a, chart_rgb b)
{
	double la = chart_luminance(a), lb = chart_luminance(b);
	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

struct chart *chart_new(struct arena *a, int kind, const char *id)
{
	struct chart *c = arena_alloc(a, sizeof(*c));

	c->kind = kind;
	c->id = id;
	return c;
}

struct chart_series *chart_add_series(struct arena *a, struct chart *c, const char *label,
				      const double *values)
{
	struct chart_series *s = arena_alloc(a, (c->nseries + 1) * sizeof(*s));
	double *v = arena_alloc(a, (c->ncat + 1) * sizeof(*v));
	size_t k = c->nseries;

	if (k)
		memcpy(s, c->series, k * sizeof(*s));
	if (c->ncat)
		memcpy(v, values, c->ncat * sizeof(*v));
	s[k].label = label;
	s[k].values = v;
	s[k].colour = chart_palette[k % CHART_PALETTE_N];
	s[k].pattern = (int)(k % CHART_PAT__COUNT);
	s[k].marker = (int)(k % CHART_MARK__COUNT);
	c->series = s;
	c->nseries = k + 1;
	return &s[k];
}

int chart_is_empty(const struct chart *c)
{
	switch (c->kind) {
	case CHART_BAR:
	case CHART_STACKED_BAR:
	case CHART_LINE:
		for (size_t s = 0; s < c->nseries; s++)
			for (size_t i = 0; i < c->ncat; i++)
				if (c->series[s].values[i] != 0)
					return 0;
		return 1;
	case CHART_HEATMAP:
		return c->heat.nrows == 0 || c->heat.ncols == 0;
	case CHART_TIMELINE:
		return c->nitems == 0;
	case CHART_GRAPH:
		return c->nnodes < 2;
	}
	return 1;
}

const char *chart_empty_text(const struct chart *c)
{
	return c->empty ? c->empty : "Inga uppgifter ännu";
}

const char *chart_num(struct arena *a, double v, int decimals)
{
	char raw[64], out[96];
	size_t n = 0, lead;
	int len = snprintf(raw, sizeof(raw), "%.*f", decimals, v);
	const char *p = raw;

	if (len < 0 || (size_t)len >= sizeof(raw))
		return arena_strdup(a, "?");
	if (*p == '-')
		out[n++] = *p++;
	for (lead = 0; p[lead] >= '0' && p[lead] <= '9'; lead++)
		;
	for (size_t i = 0; i < lead; i++) {
		if (i && (lead - i) % 3 == 0) {
			out[n++] = '\xc2'; /* U+00A0 */
			out[n++] = '\xa0';
		}
		out[n++] = p[i];
	}
	p += lead;
	if (*p == '.') {
		out[n++] = ',';
		p++;
	}
	while (*p && n + 1 < sizeof(out))
		out[n++] = *p++;
	return arena_strndup(a, out, n);
}

/* ---- shapes ---- */

static struct chart_shape *add(struct chart_layout *l, int kind)
{
	struct chart_shape *s;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct chart_shape *ns = arena_alloc(l->a, cap * sizeof(*ns));
		if (l->n)
			memcpy(ns, l->s, l->n * sizeof(*ns));
		l->s = ns;
		l->cap = cap;
	}
	s = &l->s[l->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	return s;
}

static struct chart_shape *rect(struct chart_layout *l, double x, double y, double w,
				double h, chart_rgb fill, int pattern)
{
	struct chart_shape *s = add(l, CS_RECT);

	s->x = x;
	s->y = y;
	s->w = w;
	s->h = h;
	s->has_fill = 1;
	s->fill = fill;
	s->pattern = pattern;
	if (pattern != CHART_PAT_SOLID) {
		/* the outline keeps the shape's edge whole under the pattern */
		s->has_stroke = 1;
		s->stroke = fill;
		s->stroke_w = 1.5;
	}
	return s;
}

static struct chart_shape *line(struct chart_layout *l, double x, double y, double x2,
				double y2, chart_rgb stroke, double sw)
{
	struct chart_shape *s = add(l, CS_LINE);

	s->x = x;
	s->y = y;
	s->x2 = x2;
	s->y2 = y2;
	s->has_stroke = 1;
	s->stroke = stroke;
	s->stroke_w = sw;
	return s;
}

static struct chart_shape *text(struct chart_layout *l, double x, double y, const char *t,
				int anchor, double font, chart_rgb colour)
{
	struct chart_shape *s = add(l, CS_TEXT);

	s->x = x;
	s->y = y;
	s->text = t;
	s->anchor = anchor;
	s->font = font;
	s->has_fill = 1;
	s->fill = colour;
	return s;
}

static double text_w(const char *s, double font)
{
	return s ? (double)utf8_length(s, strlen(s)) * font * EM : 0;
}

/* s cut into lines of at most width characters at spaces (a longer word
 * cut), at most max lines, the last ending in "…" when text is left. */
static size_t wrap(struct arena *a, const char *s, size_t width, const char **out, size_t max)
{
	size_t n = 0;

	if (width < 4)
		width = 4;
	while (s && *s && n < max) {
		const char *p = s, *cut = NULL;
		size_t cp = 0;

		while (*p && cp < width) {
			if (*p == ' ')
				cut = p;
			utf8_next(&p);
			cp++;
		}
		if (!*p) {
			out[n++] = s;
			break;
		}
		if (*p == ' ')
			cut = p;
		if (n + 1 == max) {
			out[n++] = arena_printf(a, "%.*s…", (int)((cut ? cut : p) - s), s);
			break;
		}
		if (!cut)
			cut = p;
		out[n++] = arena_printf(a, "%.*s", (int)(cut - s), s);
		s = *cut == ' ' ? cut + 1 : cut;
	}
	return n;
}

/* The width of the longest word of the labels. */
static double longest_word(const char *const *labels, size_t n, double font)
{
	double w = 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = labels[i];
		size_t cp = 0;
		while (p && *p) {
			if (*p == ' ')
				cp = 0;
			else
				w = fmax(w, (double)++cp * font * EM);
			utf8_next(&p);
		}
	}
	return w;
}

#define MAXLINES 3
#define LINE_H 15.0

/* Lines of text centred vertically on y. */
static void text_lines(struct chart_layout *l, double x, double y, const char **lines,
		       size_t n, int anchor, double font, chart_rgb colour)
{
	for (size_t k = 0; k < n; k++)
		text(l, x, y + ((double)k - (double)(n - 1) / 2.0) * LINE_H, lines[k], anchor,
		     font, colour);
}

/* A round top of the value axis and its step: 0..top in about 5 steps. */
static double nice_scale(double max, int decimals, double *step)
{
	double raw, mag, st;

	if (!(max > 0))
		max = 1;
	raw = max / 5;
	mag = pow(10, floor(log10(raw)));
	st = raw / mag <= 1 ? mag : raw / mag <= 2 ? 2 * mag : raw / mag <= 5 ? 5 * mag : 10 * mag;
	if (decimals == 0 && st < 1)
		st = 1;
	*step = st;
	return ceil(max / st - 1e-9) * st;
}

/* ---- legend ---- */

struct legend_entry {
	const char *label;
	chart_rgb colour;
	int pattern;
	int marker;      /* -1: a swatch, else a line with this marker */
};

static void swatch(struct chart_layout *l, double x, double y, const struct legend_entry *e)
{
	if (e->marker < 0) {
		rect(l, x, y - 7, 14, 14, e->colour, e->pattern);
	} else {
		struct chart_shape *m;
		line(l, x - 3, y, x + 17, y, e->colour, 2.5);
		m = add(l, CS_MARK);
		m->x = x + 7;
		m->y = y;
		m->w = 9;
		m->marker = e->marker;
		m->has_fill = 1;
		m->fill = e->colour;
		m->has_stroke = 1;
		m->stroke = WHITE;
		m->stroke_w = 1;
	}
}

/* Entries flowing left to right in rows; returns the y below them. */
static double legend(struct chart_layout *l, const struct legend_entry *e, size_t n, double y)
{
	double x = 4;

	if (n == 0)
		return y;
	y += 10;
	for (size_t i = 0; i < n; i++) {
		double iw = 22 + text_w(e[i].label, FONT) + 18;
		if (x > 4 && x + iw > l->w) {
			x = 4;
			y += 22;
		}
		swatch(l, x + 2, y, &e[i]);
		text(l, x + 24, y, e[i].label, CS_START, FONT, CHART_INK);
		x += iw;
	}
	return y + 22;
}

static size_t series_legend(const struct chart *c, struct legend_entry *e, int lines)
{
	for (size_t s = 0; s < c->nseries; s++) {
		e[s].label = c->series[s].label;
		e[s].colour = c->series[s].colour;
		e[s].pattern = c->series[s].pattern;
		e[s].marker = lines ? c->series[s].marker : -1;
	}
	return c->nseries;
}

/* ---- bars, categories down the side (horizontal) ---- */

static double cat_total(const struct chart *c, size_t i)
{
	double t = 0;

	for (size_t s = 0; s < c->nseries; s++)
		t += c->series[s].values[i];
	return t;
}

static double value_max(const struct chart *c, int stacked)
{
	double m = 0;

	for (size_t i = 0; i < c->ncat; i++) {
		if (stacked) {
			m = fmax(m, cat_total(c, i));
			continue;
		}
		for (size_t s = 0; s < c->nseries; s++)
			m = fmax(m, c->series[s].values[i]);
	}
	return m;
}

/* The number inside a segment on a pill of its own colour (white text
 * on a palette colour has 4.5:1), when it fits. */
static void segment_number(struct chart_layout *l, double x, double y, double w, double h,
			   const char *num, chart_rgb colour)
{
	double tw = text_w(num, FONT_SMALL) + 8;
	struct chart_shape *t;

	if (tw + 2 > w || h < 16)
		return;
	rect(l, x + (w - tw) / 2, y + (h - 16) / 2, tw, 16, colour, CHART_PAT_SOLID)->rx = 3;
	t = text(l, x + w / 2, y + h / 2, num, CS_MIDDLE, FONT_SMALL, WHITE);
	t->bold = 1;
}

static void layout_hbars(const struct chart *c, struct chart_layout *l)
{
	int stacked = c->kind == CHART_STACKED_BAR;
	struct legend_entry *le = arena_alloc(l->a, (c->nseries + 1) * sizeof(*le));
	double y = 0, labw = 0, step, top, x0, x1, grid_top, *band;
	const char ***lines = arena_alloc(l->a, (c->ncat + 1) * sizeof(*lines));
	size_t *nl = arena_alloc(l->a, (c->ncat + 1) * sizeof(*nl)), wrapc;
	double vmax = value_max(c, stacked);
	const char *maxnum;

	if (stacked || c->nseries > 1)
		y = legend(l, le, series_legend(c, le, 0), y);
	for (size_t i = 0; i < c->ncat; i++)
		labw = fmax(labw, text_w(c->cats[i], FONT));
	/* wrapped at spaces, never inside a word that fits */
	labw = fmin(fmax(fmin(labw, l->w * 0.36), longest_word(c->cats, c->ncat, FONT)), l->w * 0.5);
	wrapc = (size_t)(labw / (FONT * EM) + 1e-6); /* 9 characters, not 8.99 */
	top = nice_scale(vmax, c->decimals, &step);
	maxnum = chart_num(l->a, top, c->decimals);
	x0 = labw + 10;
	x1 = l->w - text_w(maxnum, FONT_SMALL) - 12;
	band = arena_alloc(l->a, (c->ncat + 1) * sizeof(*band));
	grid_top = y + 6;
	y = grid_top;
	for (size_t i = 0; i < c->ncat; i++) {
		lines[i] = arena_alloc(l->a, MAXLINES * sizeof(**lines));
		nl[i] = wrap(l->a, c->cats[i], wrapc, lines[i], MAXLINES);
		band[i] = fmax(stacked ? 34 : (double)c->nseries * 20 + 14, (double)nl[i] * LINE_H + 12);
	}
	for (size_t i = 0; i < c->ncat; i++)
		y += band[i];
	/* the grid under the bars, with the scale below it */
	for (double v = 0; v <= top + 1e-9; v += step) {
		double gx = x0 + (x1 - x0) * v / top;
		line(l, gx, grid_top, gx, y, v == 0 ? CHART_MUTED : CHART_GRID, 1);
		text(l, gx, y + 12, chart_num(l->a, v, c->decimals), CS_MIDDLE, FONT_SMALL,
		     CHART_MUTED);
	}
	y = grid_top;
	for (size_t i = 0; i < c->ncat; i++) {
		double mid = y + band[i] / 2, acc = 0;
		text_lines(l, labw, mid, lines[i], nl[i], CS_END, FONT, CHART_INK);
		for (size_t s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];
			double v = se->values[i], bx, bw, by, bh;
			const char *num = chart_num(l->a, v, c->decimals);
			if (stacked) {
				bx = x0 + (x1 - x0) * acc / top;
				bw = (x1 - x0) * v / top;
				by = y + 7;
				bh = band[i] - 14;
				acc += v;
			} else {
				bx = x0;
				bw = (x1 - x0) * v / top;
				by = y + 7 + (double)s * 20;
				bh = 16;
			}
			if (v > 0) {
				rect(l, bx, by, bw, bh, se->colour, se->pattern)->title =
					arena_printf(l->a, "%s, %s: %s", c->cats[i], se->label, num);
				if (stacked)
					segment_number(l, bx, by, bw, bh, num, se->colour);
			}
			if (!stacked)
				text(l, bx + bw + 5, by + bh / 2, num, CS_START, FONT_SMALL, CHART_INK);
		}
		if (stacked)
			text(l, x0 + (x1 - x0) * acc / top + 5, mid,
			     chart_num(l->a, acc, c->decimals), CS_START, FONT_SMALL, CHART_INK)->bold = 1;
		y += band[i];
	}
	y += 24;
	if (c->x_label) {
		text(l, (x0 + x1) / 2, y + 2, c->x_label, CS_MIDDLE, FONT, CHART_INK);
		y += 20;
	}
	l->h = y;
}

/* ---- bars and lines, categories along the bottom ---- */

static void layout_columns(const struct chart *c, struct chart_layout *l)
{
	int stacked = c->kind == CHART_STACKED_BAR, lines_kind = c->kind == CHART_LINE;
	struct legend_entry *le = arena_alloc(l->a, (c->nseries + 1) * sizeof(*le));
	double y = 0, step, top, x0, x1, y0, y1, bw, maxlines = 1;
	double vmax = value_max(c, stacked);
	const char ***lab = arena_alloc(l->a, (c->ncat + 1) * sizeof(*lab));
	size_t *nl = arena_alloc(l->a, (c->ncat + 1) * sizeof(*nl)), wrapc;
	double *pts;

	if (stacked || c->nseries > 1 || lines_kind)
		y = legend(l, le, series_legend(c, le, lines_kind), y);
	top = nice_scale(vmax, c->decimals, &step);
	if (c->y_label) {
		text(l, 0, y + 8, c->y_label, CS_START, FONT, CHART_INK);
		y += 20;
	}
	x0 = text_w(chart_num(l->a, top, c->decimals), FONT_SMALL) + 10;
	x1 = l->w - 6;
	bw = (x1 - x0) / (double)(c->ncat ? c->ncat : 1);
	wrapc = (size_t)((bw - 4) / (FONT_SMALL * EM));
	for (size_t i = 0; i < c->ncat; i++) {
		lab[i] = arena_alloc(l->a, MAXLINES * sizeof(**lab));
		nl[i] = wrap(l->a, c->cats[i], wrapc, lab[i], MAXLINES);
		maxlines = fmax(maxlines, (double)nl[i]);
	}
	y0 = y + 10;
	y1 = y0 + 220;
	for (double v = 0; v <= top + 1e-9; v += step) {
		double gy = y1 - (y1 - y0) * v / top;
		line(l, x0, gy, x1, gy, v == 0 ? CHART_MUTED : CHART_GRID, 1);
		text(l, x0 - 5, gy, chart_num(l->a, v, c->decimals), CS_END, FONT_SMALL, CHART_MUTED);
	}
	for (size_t i = 0; i < c->ncat; i++) {
		double cx = x0 + bw * ((double)i + 0.5);
		for (size_t k = 0; k < nl[i]; k++)
			text(l, cx, y1 + 12 + (double)k * LINE_H, lab[i][k], CS_MIDDLE, FONT_SMALL,
			     CHART_INK);
	}
	if (lines_kind) {
		for (size_t s = 0; s < c->nseries; s++) {
			const struct chart_series *se = &c->series[s];
			struct chart_shape *p = add(l, CS_POLY);
			pts = arena_alloc(l->a, 2 * (c->ncat + 1) * sizeof(*pts));
			for (size_t i = 0; i < c->ncat; i++) {
				pts[2 * i] = x0 + bw * ((double)i + 0.5);
				pts[2 * i + 1] = y1 - (y1 - y0) * se->values[i] / top;
			}
			p->pts = pts;
			p->npts = c->ncat;
			p->has_stroke = 1;
			p->stroke = se->colour;
			p->stroke_w = 2.5;
			p->dash = s % 2 == 1;
			for (size_t i = 0; i < c->ncat; i++) {
				struct chart_shape *m = add(l, CS_MARK);
				m->x = pts[2 * i];
				m->y = pts[2 * i + 1];
				m->w = 9;
				m->marker = se->marker;
				m->has_fill = 1;
				m->fill = se->colour;
				m->has_stroke = 1;
				m->stroke = WHITE;
				m->stroke_w = 1;
				m->title = arena_printf(l->a, "%s, %s: %s", c->cats[i], se->label,
							chart_num(l->a, se->values[i], c->decimals));
			}
		}
		/* the last value of each line, labelled at its end */
		if (c->ncat && c->nseries == 1)
			text(l, pts[2 * (c->ncat - 1)], pts[2 * (c->ncat - 1) + 1] - 12,
			     chart_num(l->a, c->series[0].values[c->ncat - 1], c->decimals),
			     CS_MIDDLE, FONT_SMALL, CHART_INK)->halo = 1;
	} else {
		double gap = bw * 0.2, inner = bw - 2 * gap;
		for (size_t i = 0; i < c->ncat; i++) {
			double acc = 0, bx = x0 + bw * (double)i + gap;
			for (size_t s = 0; s < c->nseries; s++) {
				const struct chart_series *se = &c->series[s];
				double v = se->values[i], h = (y1 - y0) * v / top, rx, ry, rw;
				const char *num = chart_num(l->a, v, c->decimals);
				if (stacked) {
					rx = bx;
					rw = inner;
					ry = y1 - (y1 - y0) * (acc + v) / top;
					acc += v;
				} else {
					rw = inner / (double)c->nseries;
					rx = bx + rw * (double)s;
					ry = y1 - h;
				}
				if (v > 0) {
					rect(l, rx, ry, rw, h, se->colour, se->pattern)->title =
						arena_printf(l->a, "%s, %s: %s", c->cats[i], se->label, num);
					if (stacked)
						segment_number(l, rx, ry, rw, h, num, se->colour);
				}
				if (!stacked)
					text(l, rx + rw / 2, ry - 8, num, CS_MIDDLE, FONT_SMALL, CHART_INK);
			}
			if (stacked)
				text(l, bx + inner / 2, y1 - (y1 - y0) * acc / top - 8,
				     chart_num(l->a, acc, c->decimals), CS_MIDDLE, FONT_SMALL,
				     CHART_INK)->bold = 1;
		}
	}
	y = y1 + 12 + maxlines * LINE_H;
	if (c->x_label) {
		text(l, (x0 + x1) / 2, y + 4, c->x_label, CS_MIDDLE, FONT, CHART_INK);
		y += 22;
	}
	l->h = y;
}

/* ---- heat map ---- */

static void layout_heat(const struct chart *c, struct chart_layout *l)
{
	const struct chart_heat *hm = &c->heat;
	struct legend_entry *le = arena_alloc(l->a, (hm->nlevels + 1) * sizeof(*le));
	double y, labw = 0, x0, cw, chh = 40, head = 0;
	size_t wrapc;

	for (size_t k = 0; k < hm->nlevels; k++) {
		le[k].label = hm->level_labels ? hm->level_labels[k] : "";
		le[k].colour = hm->level_colours ? hm->level_colours[k] :
			       chart_palette[k % CHART_PALETTE_N];
		le[k].pattern = CHART_PAT_SOLID;
		le[k].marker = -1;
	}
	y = legend(l, le, hm->nlevels, 0);
	for (size_t r = 0; r < hm->nrows; r++)
		labw = fmax(labw, text_w(hm->rows[r], FONT));
	if (c->y_label)
		labw = fmax(labw, text_w(c->y_label, FONT) * 1.1 + 4); /* bold */
	labw = fmin(labw, l->w * 0.3);
	x0 = labw + 10;
	cw = (l->w - x0) / (double)hm->ncols;
	wrapc = (size_t)((cw - 4) / (FONT_SMALL * EM));
	if (c->x_label) {
		text(l, x0 + (l->w - x0) / 2, y + 8, c->x_label, CS_MIDDLE, FONT, CHART_INK)->bold = 1;
		y += 22;
	}
	for (size_t k = 0; k < hm->ncols; k++) {
		const char *lines[MAXLINES];
		size_t n = wrap(l->a, hm->cols[k], wrapc, lines, MAXLINES);
		head = fmax(head, (double)n);
	}
	for (size_t k = 0; k < hm->ncols; k++) {
		const char **lines = arena_alloc(l->a, MAXLINES * sizeof(*lines));
		size_t n = wrap(l->a, hm->cols[k], wrapc, lines, MAXLINES);
		for (size_t j = 0; j < n; j++)
			text(l, x0 + cw * ((double)k + 0.5), y + 8 + (double)j * LINE_H, lines[j],
			     CS_MIDDLE, FONT_SMALL, CHART_INK);
	}
	if (c->y_label)
		text(l, labw, y + 8 + (head - 1) * LINE_H, c->y_label, CS_END, FONT, CHART_INK)->bold = 1;
	y += head * LINE_H + 6;
	for (size_t r = 0; r < hm->nrows; r++) {
		const char *lines[2];
		size_t n = wrap(l->a, hm->rows[r], (size_t)(labw / (FONT * EM) + 1e-6), lines, 2);
		text_lines(l, labw, y + chh / 2, lines, n, CS_END, FONT, CHART_INK);
		for (size_t k = 0; k < hm->ncols; k++) {
			size_t i = r * hm->ncols + k;
			int lv = hm->level ? hm->level[i] : 0;
			chart_rgb col = lv >= 0 && (size_t)lv < hm->nlevels ? le[lv].colour : CHART_MUTED;
			const char *t = hm->texts && hm->texts[i] ? hm->texts[i] :
					chart_num(l->a, hm->values ? hm->values[i] : 0, c->decimals);
			struct chart_shape *s = rect(l, x0 + cw * (double)k + 1, y + 1, cw - 2, chh - 2,
						     col, CHART_PAT_SOLID);
			s->title = arena_printf(l->a, "%s, %s: %s (%s)", hm->rows[r], hm->cols[k], t,
						lv >= 0 && (size_t)lv < hm->nlevels ? le[lv].label : "");
			text(l, x0 + cw * ((double)k + 0.5), y + chh / 2, t, CS_MIDDLE, FONT, WHITE)->bold = 1;
		}
		y += chh;
	}
	l->h = y + 8;
}

/* ---- timeline ---- */

/* "2026-03-01" of a Unix time (UTC days: the axis' dates, not clock
 * times). */
static const char *date_of(struct arena *a, int64_t t)
{
	int64_t z = (t >= 0 ? t : t - 86399) / 86400 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;

	return arena_printf(a, "%04lld-%02lld-%02lld", (long long)(yoe + era * 400 + (m <= 2)),
			    (long long)m, (long long)d);
}

static void layout_timeline(const struct chart *c, struct chart_layout *l)
{
	int64_t t0 = c->t0, t1 = c->t1;
	double labw = 0, statew = 0, x0, x1, y = 8, row = 30;
	size_t wrapc;

	if (t0 == 0 && t1 == 0) {
		t0 = INT64_MAX;
		t1 = INT64_MIN;
		for (size_t i = 0; i < c->nitems; i++) {
			t0 = c->items[i].start < t0 ? c->items[i].start : t0;
			t1 = c->items[i].end > t1 ? c->items[i].end : t1;
			t1 = c->items[i].start > t1 ? c->items[i].start : t1;
		}
	}
	if (t1 <= t0)
		t1 = t0 + 86400;
	for (size_t i = 0; i < c->nitems; i++) {
		labw = fmax(labw, text_w(c->items[i].label, FONT));
		statew = fmax(statew, text_w(c->items[i].state, FONT_SMALL));
	}
	labw = fmin(labw, l->w * 0.3);
	statew = fmin(statew, l->w * 0.2);
	wrapc = (size_t)(labw / (FONT * EM) + 1e-6);
	x0 = labw + 10;
	x1 = l->w - statew - 14;
	/* dates along the top, as many as fit, lines down through the rows */
	int nt = (int)((x1 - x0) / (text_w("2026-01-01", FONT_SMALL) + 24));
	nt = nt < 1 ? 1 : nt > 4 ? 4 : nt;
	for (int k = 0; k <= nt; k++) {
		double gx = x0 + (x1 - x0) * k / nt;
		int64_t t = t0 + (t1 - t0) * k / nt;
		text(l, gx, y, date_of(l->a, t), k == 0 ? CS_START : k == nt ? CS_END : CS_MIDDLE,
		     FONT_SMALL, CHART_MUTED);
		line(l, gx, y + 10, gx, y + 16 + row * (double)c->nitems, CHART_GRID, 1);
	}
	y += 16;
	for (size_t i = 0; i < c->nitems; i++) {
		const struct chart_item *it = &c->items[i];
		int64_t e = it->end ? it->end : t1, s = it->start;
		double bx, bw;
		const char *lines[2];
		size_t n = wrap(l->a, it->label, wrapc, lines, 2);
		s = s < t0 ? t0 : s;
		e = e > t1 ? t1 : e;
		bx = x0 + (x1 - x0) * (double)(s - t0) / (double)(t1 - t0);
		bw = fmax(3, (x1 - x0) * (double)(e - s) / (double)(t1 - t0));
		text_lines(l, labw, y + row / 2, lines, n, CS_END, FONT, CHART_INK);
		rect(l, bx, y + 6, bw, row - 12, it->colour ? it->colour : chart_palette[0],
		     it->pattern)->title =
			arena_printf(l->a, "%s: %s – %s%s%s", it->label, date_of(l->a, it->start),
				     it->end ? date_of(l->a, it->end) : "", it->state ? ", " : "",
				     it->state ? it->state : "");
		if (it->state)
			text(l, bx + bw + 5, y + row / 2, it->state, CS_START, FONT_SMALL, CHART_INK);
		y += row;
	}
	l->h = y + 8;
}

/* ---- the dependency picture ---- */

#define BOX_W 200.0
#define BOX_LINE 17.0
#define BOX_WRAP 22
#define EDGE_WRAP 26

static double box_h(size_t lines)
{
	return (double)lines * BOX_LINE + 16;
}

/* How far from a box's centre a ray (ux, uy) leaves the box. */
static double box_exit(double ux, double uy, double bh)
{
	double tx = fabs(ux) > 1e-9 ? (BOX_W / 2.0) / fabs(ux) : 1e9;
	double ty = fabs(uy) > 1e-9 ? (bh / 2.0) / fabs(uy) : 1e9;
	return tx < ty ? tx : ty;
}

struct gnode {
	double x, y, h;
	const char *lines[4];
	size_t nl;
};

/* Lines of text as one shape (an SVG <text> of <tspan>s). */
static struct chart_shape *text_block(struct chart_layout *l, double x, double y,
				      const char **lines, size_t n, double line_h, int anchor,
				      double font, chart_rgb colour)
{
	const char **copy = arena_alloc(l->a, (n + 1) * sizeof(*copy));
	struct chart_shape *t;

	memcpy(copy, lines, n * sizeof(*copy));
	t = text(l, x, y, n ? copy[0] : "", anchor, font, colour);
	t->lines = copy;
	t->nlines = n;
	t->line_h = line_h;
	return t;
}

/* The node in the middle, ring 1 on an ellipse around it, ring 2 beyond
 * each of its ring-1 nodes; lines first, then the boxes, then what flows
 * beside the lines with a white halo. */
static void layout_graph(const struct chart *c, struct chart_layout *l)
{
	struct gnode *g = arena_alloc(l->a, (c->nnodes + 1) * sizeof(*g));
	size_t n1 = 0, n2 = 0, centre = 0, i1 = 0;
	double rx, ry, rx2, ry2, bx0, by0, bx1, by1;

	for (size_t i = 0; i < c->nnodes; i++) {
		n1 += c->nodes[i].ring == 1;
		n2 += c->nodes[i].ring == 2;
		if (c->nodes[i].ring == 0)
			centre = i;
		g[i].nl = wrap(l->a, c->nodes[i].label, BOX_WRAP, g[i].lines, 4);
		g[i].h = box_h(g[i].nl);
	}
	rx = 330 + 14.0 * (double)(n1 > 8 ? n1 - 8 : 0);
	ry = 190 + 12.0 * (double)(n1 > 8 ? n1 - 8 : 0);
	rx2 = rx + (n2 ? 280 : 0);
	ry2 = ry + (n2 ? 190 : 0);
	g[centre].x = 0;
	g[centre].y = 0;
	for (size_t i = 0; i < c->nnodes; i++) {
		double ang;
		size_t k = 0, j = 0;
		if (c->nodes[i].ring != 1)
			continue;
		/* from the right, clockwise */
		ang = 2 * M_PI * (double)i1 / (double)n1;
		g[i].x = rx * cos(ang);
		g[i].y = ry * sin(ang);
		i1++;
		for (size_t f = 0; f < c->nnodes; f++)
			k += c->nodes[f].ring == 2 && c->nodes[f].parent == i;
		for (size_t f = 0; f < c->nnodes; f++) {
			double spread = fmin(0.42, 2 * M_PI / (double)n1 / (double)(k + 1)), a2;
			if (c->nodes[f].ring != 2 || c->nodes[f].parent != i)
				continue;
			a2 = ang + ((double)j - (double)(k - 1) / 2.0) * spread;
			g[f].x = rx2 * cos(a2);
			g[f].y = ry2 * sin(a2);
			j++;
		}
	}
	/* the picture is as large as what it shows */
	bx0 = by0 = 1e9;
	bx1 = by1 = -1e9;
	for (size_t i = 0; i < c->nnodes; i++) {
		bx0 = fmin(bx0, g[i].x - BOX_W / 2);
		bx1 = fmax(bx1, g[i].x + BOX_W / 2);
		by0 = fmin(by0, g[i].y - g[i].h / 2);
		by1 = fmax(by1, g[i].y + g[i].h / 2);
	}
	bx0 -= 20;
	bx1 += 20;
	by0 -= 40;
	by1 += 40;
	for (size_t i = 0; i < c->nnodes; i++) {
		g[i].x -= bx0;
		g[i].y -= by0;
	}
	l->w = bx1 - bx0;
	l->h = by1 - by0;
	for (int pass = 0; pass < 3; pass++) {
		for (size_t e = 0; e < c->nedges; e++) {
			const struct chart_edge *ed = &c->edges[e];
			const struct gnode *a = &g[ed->from], *b = &g[ed->to];
			int far = c->nodes[ed->from].ring >= 1 && c->nodes[ed->to].ring >= 1;
			double dx = b->x - a->x, dy = b->y - a->y, len = hypot(dx, dy);
			double ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
			double t1 = box_exit(ux, uy, a->h) + 3, t2 = box_exit(ux, uy, b->h) + 3;
			double ax = a->x + ux * t1, ay = a->y + uy * t1;
			double bx = b->x - ux * t2, by = b->y - uy * t2;
			chart_rgb col = far ? CHART_MUTED : 0x1d4e6b;
			if (pass == 0) {
				line(l, ax, ay, bx, by, col, far ? 1.5 : 2)->arrows =
					(ed->dirs & CHART_FLOW_OUT ? 1u : 0) |
					(ed->dirs & CHART_FLOW_IN ? 2u : 0);
			} else if (pass == 2 && ed->label && *ed->label) {
				const char *lines[3];
				size_t n = wrap(l->a, ed->label, EDGE_WRAP, lines, 3);
				double at = far ? 0.74 : 0.5, nx = -uy, ny = ux, off;
				double mx = ax + (bx - ax) * at, my = ay + (by - ay) * at;
				int anchor;
				if (ny > 0 || (fabs(ny) < 1e-9 && nx < 0)) {
					nx = -nx;
					ny = -ny;
				}
				if (fabs(nx) > 0.5) {
					anchor = nx > 0 ? CS_START : CS_END;
					off = 8;
				} else {
					anchor = CS_MIDDLE;
					off = 8 + (double)n * 14 / 2;
				}
				text_block(l, mx + nx * off, my + ny * off, lines, n, 14, anchor, 12,
					   CHART_INK)->halo = 1;
			}
		}
		if (pass != 1)
			continue;
		for (size_t i = 0; i < c->nnodes; i++) {
			const struct chart_node *nd = &c->nodes[i];
			struct chart_shape *r = add(l, CS_RECT);
			r->x = g[i].x - BOX_W / 2;
			r->y = g[i].y - g[i].h / 2;
			r->w = BOX_W;
			r->h = g[i].h;
			r->rx = 6;
			r->has_fill = r->has_stroke = 1;
			r->fill = nd->ring == 0 ? 0x1d4e6b : nd->ring == 2 ? 0xf4f6f8 : WHITE;
			r->stroke = nd->ring == 0 ? 0x123246 : CHART_MUTED;
			r->stroke_w = nd->ring == 0 ? 2 : nd->ring == 2 ? 1 : 1.5;
			r->dash = nd->muted;
			r->title = nd->label;
			r->href = nd->href;
			text_block(l, g[i].x, g[i].y, g[i].lines, g[i].nl, BOX_LINE, CS_MIDDLE, 14,
				   nd->ring == 0 ? WHITE : CHART_INK)->bold = nd->ring == 0;
		}
	}
}

/* ---- the empty picture and the entry ---- */

static void layout_empty(const struct chart *c, struct chart_layout *l)
{
	struct chart_shape *r = add(l, CS_RECT);

	r->x = 1;
	r->y = 1;
	r->w = l->w - 2;
	r->h = 78;
	r->rx = 6;
	r->has_stroke = 1;
	r->stroke = CHART_MUTED;
	r->stroke_w = 1;
	r->dash = 1;
	text(l, l->w / 2, 40, chart_empty_text(c), CS_MIDDLE, FONT, CHART_MUTED);
	l->h = 80;
}

void chart_layout(const struct chart *c, struct arena *a, double w, struct chart_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->a = a;
	l->w = w;
	if (chart_is_empty(c)) {
		layout_empty(c, l);
		return;
	}
	switch (c->kind) {
	case CHART_BAR:
	case CHART_STACKED_BAR:
		if (c->horizontal)
			layout_hbars(c, l);
		else
			layout_columns(c, l);
		break;
	case CHART_LINE:
		layout_columns(c, l);
		break;
	case CHART_HEATMAP:
		layout_heat(c, l);
		break;
	case CHART_TIMELINE:
		layout_timeline(c, l);
		break;
	case CHART_GRAPH:
		layout_graph(c, l);
		break;
	}
}

double chart_aspect(const struct chart *c)
{
	struct arena a = ARENA_INIT;
	struct chart_layout l;
	double r;

	chart_layout(c, &a, CHART_SVG_W, &l);
	r = l.h / l.w;
	arena_release(&a);
	return r;
}

/* ---- the numbers as a table ---- */

static void table_alloc(struct arena *a, struct chart_table *t, size_t ncols, size_t nrows)
{
	t->ncols = ncols;
	t->nrows = nrows;
	t->head = arena_alloc(a, (ncols + 1) * sizeof(*t->head));
	t->cells = arena_alloc(a, (ncols * nrows + 1) * sizeof(*t->cells));
	t->numeric = arena_alloc(a, (ncols + 1) * sizeof(*t->numeric));
}

#define WORD(c, m, sv) ((c)->words && (c)->words->m ? (c)->words->m : (sv))

void chart_table(const struct chart *c, struct arena *a, struct chart_table *t)
{
	const char *first = c->cat_title ? c->cat_title : "";
	int *num;

	memset(t, 0, sizeof(*t));
	t->caption = c->title;
	switch (c->kind) {
	case CHART_BAR:
	case CHART_STACKED_BAR:
	case CHART_LINE: {
		int total = c->kind == CHART_STACKED_BAR && c->nseries > 1;
		size_t nc = 1 + c->nseries + (size_t)total;
		table_alloc(a, t, nc, c->ncat);
		num = (int *)t->numeric;
		t->head[0] = first;
		for (size_t s = 0; s < c->nseries; s++) {
			t->head[1 + s] = c->series[s].label;
			num[1 + s] = 1;
		}
		if (total) {
			t->head[nc - 1] = WORD(c, total, "Totalt");
			num[nc - 1] = 1;
		}
		for (size_t i = 0; i < c->ncat; i++) {
			t->cells[i * nc] = c->cats[i];
			for (size_t s = 0; s < c->nseries; s++)
				t->cells[i * nc + 1 + s] =
					chart_num(a, c->series[s].values[i], c->decimals);
			if (total)
				t->cells[i * nc + nc - 1] = chart_num(a, cat_total(c, i), c->decimals);
		}
		break;
	}
	case CHART_HEATMAP: {
		const struct chart_heat *hm = &c->heat;
		size_t nc = 1 + hm->ncols;
		table_alloc(a, t, nc, hm->nrows);
		num = (int *)t->numeric;
		t->head[0] = c->y_label ? c->y_label : first;
		for (size_t k = 0; k < hm->ncols; k++) {
			t->head[1 + k] = hm->cols[k];
			num[1 + k] = !hm->texts;
		}
		for (size_t r = 0; r < hm->nrows; r++) {
			t->cells[r * nc] = hm->rows[r];
			for (size_t k = 0; k < hm->ncols; k++) {
				size_t i = r * hm->ncols + k;
				const char *v = hm->texts && hm->texts[i] ? hm->texts[i] :
						chart_num(a, hm->values ? hm->values[i] : 0, c->decimals);
				int lv = hm->level ? hm->level[i] : -1;
				if (hm->level_labels && lv >= 0 && (size_t)lv < hm->nlevels && hm->texts)
					v = arena_printf(a, "%s (%s)", v, hm->level_labels[lv]);
				t->cells[i + r + 1] = v;
			}
		}
		break;
	}
	case CHART_TIMELINE:
		table_alloc(a, t, 4, c->nitems);
		t->head[0] = first;
		t->head[1] = WORD(c, from, "Från");
		t->head[2] = WORD(c, to, "Till");
		t->head[3] = WORD(c, state, "Läge");
		for (size_t i = 0; i < c->nitems; i++) {
			const struct chart_item *it = &c->items[i];
			t->cells[i * 4] = it->label;
			t->cells[i * 4 + 1] = date_of(a, it->start);
			t->cells[i * 4 + 2] = it->end ? date_of(a, it->end) : "";
			t->cells[i * 4 + 3] = it->state ? it->state : "";
		}
		break;
	case CHART_GRAPH:
		table_alloc(a, t, 3, c->nedges);
		t->head[0] = WORD(c, from, "Från");
		t->head[1] = WORD(c, to, "Till");
		t->head[2] = first[0] ? first : WORD(c, what, "Vad");
		for (size_t e = 0; e < c->nedges; e++) {
			const struct chart_edge *ed = &c->edges[e];
			const char *from = c->nodes[ed->from].label, *to = c->nodes[ed->to].label;
			if (ed->dirs == CHART_FLOW_IN) {
				const char *x = from;
				from = to;
				to = x;
			}
			t->cells[e * 3] = from;
			t->cells[e * 3 + 1] = ed->dirs == (CHART_FLOW_IN | CHART_FLOW_OUT) ?
					      arena_printf(a, "%s (%s)", to, WORD(c, both_ways, "båda hållen")) : to;
			t->cells[e * 3 + 2] = ed->label ? ed->label : "";
		}
		break;
	}
}
