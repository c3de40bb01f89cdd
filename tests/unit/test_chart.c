/* test_chart.c - pictures (chart/chart.h): every kind renders as
 * well-formed, accessible SVG with its text alternative and its numbers
 * as a table, and with cairo without an error; the palette passes WCAG
 * contrast; an empty chart says so instead of drawing a broken picture.
 *
 * VARN_CHART_PNG=DIR writes each cairo drawing as DIR/chart-KIND.png (to
 * look at them). */
#include "base/base.h"

#include <cairo.h>
#include <cairo-pdf.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "chart/chart.h"
#include "chart/chart_layout.h"
#include "tap.h"
#include "web/chart_svg.h"
#include "web/html.h"

static const char *const kinds[] = { "bar", "stacked", "line", "heatmap", "timeline", "graph" };

static struct chart *make(struct arena *a, int kind)
{
	static const char *const aspects[] = { "Konfidentialitet", "Riktighet", "Tillgänglighet",
					       "Spårbarhet" };
	static const char *const months[] = { "jan", "feb", "mar", "apr", "maj", "jun" };
	struct chart *c = chart_new(a, kind, arena_printf(a, "ch-%s", kinds[kind]));

	c->title = arena_printf(a, "Diagram %s", kinds[kind]);
	c->alt = "De flesta system har nivå 2 & några nivå 4 <ingen> är oklassade.";
	c->cat_title = "Aspekt";
	switch (kind) {
	case CHART_BAR:
	case CHART_STACKED_BAR: {
		static const char *const lv[] = { "Nivå 1", "Nivå 2", "Nivå 3", "Nivå 4", "Ej klassad" };
		double v[5][4] = { { 3, 5, 2, 1 }, { 12, 8, 10, 9 }, { 4, 6, 7, 8 },
				   { 1, 0, 2, 3 }, { 20000, 2, 1, 1 } };
		c->cats = aspects;
		c->ncat = 4;
		c->horizontal = kind == CHART_STACKED_BAR;
		if (kind == CHART_STACKED_BAR)
			v[4][0] = 2;
		for (int i = 0; i < (kind == CHART_BAR ? 2 : 5); i++) {
			struct chart_series *s = chart_add_series(a, c, lv[i], v[i]);
			s->colour = chart_level_colour[(i + 1) % 5];
		}
		break;
	}
	case CHART_LINE: {
		double v1[6] = { 1, 3, 2, 5, 8, 6 }, v2[6] = { 0, 1, 1, 2, 2, 4 };
		c->cats = months;
		c->ncat = 6;
		c->y_label = "Antal incidenter";
		chart_add_series(a, c, "Rapporterade", v1);
		chart_add_series(a, c, "Allvarliga", v2);
		break;
	}
	case CHART_HEATMAP: {
		static const char *const rows[] = { "Mycket hög", "Hög", "Måttlig", "Låg" };
		static const char *const cols[] = { "Osannolik", "Möjlig", "Sannolik", "Mycket sannolik" };
		static const char *const ll[] = { "Låg", "Medel", "Hög", "Mycket hög" };
		static const chart_rgb lc[] = { 0x2e7d32, 0x0b5cad, 0xa15c00, 0xb3261e };
		double *v = arena_alloc(a, 16 * sizeof(*v));
		int *lev = arena_alloc(a, 16 * sizeof(*lev));
		for (int r = 0; r < 4; r++)
			for (int k = 0; k < 4; k++) {
				v[r * 4 + k] = r * 3 + k;
				lev[r * 4 + k] = (3 - r + k) / 2 > 3 ? 3 : (3 - r + k) / 2;
			}
		c->heat = (struct chart_heat){ rows, 4, cols, 4, v, NULL, lev, ll, lc, 4 };
		c->y_label = "Konsekvens";
		c->x_label = "Sannolikhet";
		break;
	}
	case CHART_TIMELINE: {
		struct chart_item *it = arena_alloc(a, 3 * sizeof(*it));
		it[0] = (struct chart_item){ "Upphandling", 1767225600, 1772323200, "Klar",
					     chart_palette[2], CHART_PAT_SOLID };
		it[1] = (struct chart_item){ "Införande av nytt verksamhetssystem", 1770000000,
					     1780000000, "Pågår", chart_palette[0], CHART_PAT_HATCH };
		it[2] = (struct chart_item){ "Avveckling", 1778000000, 0, "Planerad",
					     chart_palette[1], CHART_PAT_DOTS };
		c->items = it;
		c->nitems = 3;
		c->cat_title = "Steg";
		break;
	}
	case CHART_GRAPH: {
		struct chart_node *n = arena_alloc(a, 5 * sizeof(*n));
		struct chart_edge *e = arena_alloc(a, 4 * sizeof(*e));
		n[0] = (struct chart_node){ "Procapita", NULL, 0, 0, 0 };
		n[1] = (struct chart_node){ "Lifecare", NULL, 1, 0, 0 };
		n[2] = (struct chart_node){ "Ekonomisystemet med ett mycket långt namn", NULL, 1, 0, 1 };
		n[3] = (struct chart_node){ "E-tjänsteplattformen", NULL, 1, 0, 0 };
		n[4] = (struct chart_node){ "Bankgirot", NULL, 2, 2, 0 };
		e[0] = (struct chart_edge){ 0, 1, CHART_FLOW_OUT, "Beslut" };
		e[1] = (struct chart_edge){ 0, 2, CHART_FLOW_IN | CHART_FLOW_OUT, "Fakturor" };
		e[2] = (struct chart_edge){ 0, 3, CHART_FLOW_IN, "Ansökningar" };
		e[3] = (struct chart_edge){ 2, 4, CHART_FLOW_OUT, "Betalningar" };
		c->nodes = n;
		c->nnodes = 5;
		c->edges = e;
		c->nedges = 4;
		c->cat_title = "Vad som flödar";
		break;
	}
	}
	return c;
}

static char *svg_of(const struct chart *c)
{
	struct buf b = BUF_INIT;
	struct html h = { &b, NULL };

	h_chart(&h, c);
	return buf_detach(&b, NULL);
}

/* Well-formed XML: xmllint when it is there (libxml2-utils, a test
 * package), else a balance check of the tags. */
static int well_formed(const char *frag)
{
	char path[] = "/tmp/varn-chart-XXXXXX";
	int fd = mkstemp(path), rc = -1, status;
	FILE *f;
	char *argv[] = { "xmllint", "--noout", path, NULL };
	pid_t pid;
	extern char **environ;

	if (fd < 0)
		return 0;
	f = fdopen(fd, "w");
	fputs("<root>", f);
	fputs(frag, f);
	fputs("</root>", f);
	fclose(f);
	if (posix_spawnp(&pid, "xmllint", NULL, NULL, argv, environ) == 0 &&
	    waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) != 127) {
		rc = WEXITSTATUS(status);
	} else {
		int depth = 0;
		rc = 0;
		for (const char *p = frag; *p; p++) {
			if (*p != '<')
				continue;
			if (p[1] == '/')
				depth--;
			else {
				const char *e = strchr(p, '>');
				if (!e)
					rc = 1;
				else if (e[-1] != '/')
					depth++;
			}
		}
		rc |= depth != 0;
	}
	unlink(path);
	return rc == 0;
}

TEST(every_kind_renders_accessible_svg)
{
	for (int k = CHART_BAR; k <= CHART_GRAPH; k++) {
		struct arena a = ARENA_INIT;
		struct chart *c = make(&a, k);
		char *s = svg_of(c);
		char *want;

		ok(well_formed(s), "%s: the SVG and its table are well-formed XML", kinds[k]);
		has_str(s, "role=\"img\"", "the picture is an image to assistive technology");
		want = xprintf("aria-labelledby=\"ch-%s-title\"", kinds[k]);
		has_str(s, want, "named by its title");
		free(want);
		want = xprintf("aria-describedby=\"ch-%s-alt\"", kinds[k]);
		has_str(s, want, "described by the text alternative");
		free(want);
		has_str(s, "De flesta system har nivå 2 &amp; några nivå 4 &lt;ingen&gt;",
			"the text alternative is there, escaped");
		has_str(s, "<details class=\"chart-numbers\"><summary>Visa siffrorna</summary>",
			"the numbers open without JavaScript");
		has_str(s, "<table", "the numbers are a table");
		want = xprintf("<caption id=\"ch-%s-cap\">Diagram %s</caption>", kinds[k], kinds[k]);
		has_str(s, want, "the table has the chart's title as caption");
		free(want);
		lacks_str(s, "<script", "no script");
		lacks_str(s, "NaN", "no broken numbers");
		lacks_str(s, "inf\"", "no infinite coordinates");
		free(s);
		arena_release(&a);
	}
}

/* covers the table behind the picture: the numbers equal the input */
TEST(table_numbers_equal_input)
{
	struct arena a = ARENA_INIT;
	struct chart *c = make(&a, CHART_BAR);
	struct chart_table t;
	char *s;

	chart_table(c, &a, &t);
	is_int(t.ncols, 3, "a column for the categories and one per series");
	is_int(t.nrows, 4, "a row per category");
	is_str(t.head[1], "Nivå 1", "series named in the heading");
	for (size_t i = 0; i < 4; i++)
		for (size_t k = 0; k < 2; k++)
			is_str(t.cells[i * 3 + 1 + k], chart_num(&a, c->series[k].values[i], 0),
			       "a cell is the series' value");
	is_str(t.cells[1], "3", "Konfidentialitet, nivå 1: 3");
	is_str(t.cells[4], "5", "Riktighet, nivå 1: 5");
	s = svg_of(c);
	has_str(s, "<th scope=\"row\">Konfidentialitet</th><td class=\"num\">3</td>"
		"<td class=\"num\">12</td></tr>", "the page's table shows the same numbers");
	free(s);

	c = make(&a, CHART_STACKED_BAR);
	chart_table(c, &a, &t);
	is_str(t.head[t.ncols - 1], "Totalt", "a stacked bar has its total");
	is_str(t.cells[t.ncols - 1], "22", "Konfidentialitet: 3+12+4+1+2");
	{
		static const struct chart_words en = { .total = "Total" };
		c->words = &en;
		chart_table(c, &a, &t);
		is_str(t.head[t.ncols - 1], "Total", "the table's own words in the reader's language");
	}
	is_str(chart_num(&a, 20000, 0), "20\xc2\xa0" "000", "thousands with a no-break space");
	is_str(chart_num(&a, 1234.5, 1), "1\xc2\xa0" "234,5", "a decimal comma");
	is_str(chart_num(&a, -7, 0), "-7", "a negative number");

	c = make(&a, CHART_HEATMAP);
	chart_table(c, &a, &t);
	is_int(t.nrows, 4, "heat map: a row per row");
	is_str(t.cells[0 * 5 + 0], "Mycket hög", "the row's label first");
	is_str(t.cells[2 * 5 + 3], "8", "Måttlig x Sannolik: 2*3+2");

	c = make(&a, CHART_TIMELINE);
	chart_table(c, &a, &t);
	is_str(t.cells[1], "2026-01-01", "timeline: the start's date");
	is_str(t.cells[2], "2026-03-01", "and the end's");
	is_str(t.cells[2 * 4 + 2], "", "an open end is empty");

	c = make(&a, CHART_GRAPH);
	chart_table(c, &a, &t);
	is_int(t.nrows, 4, "graph: a row per link");
	is_str(t.cells[2 * 3], "E-tjänsteplattformen", "a link into the middle is read from the other");
	is_str(t.cells[1 * 3 + 1], "Ekonomisystemet med ett mycket långt namn (båda hållen)",
	       "both ways said in words");
	arena_release(&a);
}

static int draw_png(const struct chart *c, const char *name, double w, double *ink)
{
	double hgt = w * chart_aspect(c);
	cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)hgt + 1);
	cairo_t *cr = cairo_create(sf);
	const char *dir = getenv("VARN_CHART_PNG");
	int st, dark = 0, stride, hh;
	unsigned char *px;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	chart_draw_cairo(c, cr, w, hgt);
	st = cairo_status(cr);
	cairo_surface_flush(sf);
	px = cairo_image_surface_get_data(sf);
	stride = cairo_image_surface_get_stride(sf);
	hh = cairo_image_surface_get_height(sf);
	for (int y = 0; y < hh; y++)
		for (int x = 0; x < (int)w; x++)
			dark += px[y * stride + 4 * x + 1] < 128;
	*ink = (double)dark / (w * hh);
	if (dir) {
		char *p = xprintf("%s/chart-%s.png", dir, name);
		cairo_surface_write_to_png(sf, p);
		free(p);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(sf);
	return st;
}

TEST(every_kind_draws_with_cairo)
{
	char path[] = "/tmp/varn-chart-pdf-XXXXXX";
	int fd = mkstemp(path);
	cairo_surface_t *pdf;
	cairo_t *cr;
	long size;
	FILE *f;

	close(fd);
	pdf = cairo_pdf_surface_create(path, 595, 842);
	cr = cairo_create(pdf);
	for (int k = CHART_BAR; k <= CHART_GRAPH; k++) {
		struct arena a = ARENA_INIT;
		struct chart *c = make(&a, k);
		double ink = 0, asp = chart_aspect(c);

		ok(asp > 0.05 && asp < 3, "%s: a sensible aspect (%.2f)", kinds[k], asp);
		is_int(draw_png(c, kinds[k], 800, &ink), CAIRO_STATUS_SUCCESS,
		       "drawn on an image without a cairo error");
		ok(ink > 0.002, "%s: something was drawn (%.3f of the pixels dark)", kinds[k], ink);
		chart_draw_cairo(c, cr, 480, 480 * asp);
		cairo_show_page(cr);
		is_int(cairo_status(cr), CAIRO_STATUS_SUCCESS, "and on a PDF page");
		arena_release(&a);
	}
	cairo_destroy(cr);
	cairo_surface_finish(pdf);
	is_int(cairo_surface_status(pdf), CAIRO_STATUS_SUCCESS, "the PDF is finished");
	cairo_surface_destroy(pdf);
	f = fopen(path, "rb");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	ok(size > 2000, "a PDF with six pictures (%ld bytes)", size);
	unlink(path);
}

/* WCAG 2.1: 1.4.11 (3:1 for graphical objects), 1.4.3 (4.5:1 for text) */
TEST(palette_contrast)
{
	is_int((int)(chart_contrast(0xffffff, 0x000000) * 10 + 0.5), 210, "black on white is 21:1");
	is_int((int)(chart_contrast(0x777777, 0xffffff) * 100 + 0.5), 448, "#777 on white is 4.48:1");
	for (int i = 0; i < CHART_PALETTE_N; i++) {
		double r = chart_contrast(chart_palette[i], 0xffffff);
		ok(r >= 4.5, "palette #%06x against white: %.2f:1 (text 4.5, shapes 3)",
		   (unsigned)chart_palette[i], r);
	}
	for (int i = 0; i < 5; i++) {
		double r = chart_contrast(chart_level_colour[i], 0xffffff);
		ok(r >= 4.5, "level %d #%06x: white text on it %.2f:1", i,
		   (unsigned)chart_level_colour[i], r);
	}
	ok(chart_contrast(CHART_INK, 0xffffff) >= 7, "ink on white");
	ok(chart_contrast(CHART_MUTED, 0xffffff) >= 4.5, "muted text on white");
	/* neighbouring levels differ by more than their colour: patterns */
	for (int i = 0; i + 1 < CHART_PALETTE_N; i++)
		ok(chart_palette[i] != chart_palette[i + 1], "palette colours differ");
}

/* covers issue 14: the SVG's numbers are written without printf; each
 * bar's place and size must read exactly as "%.1f" would write them */
TEST(svg_numbers_as_printf_writes_them)
{
	struct arena a = ARENA_INIT;
	struct chart *c = make(&a, CHART_STACKED_BAR);
	struct chart_layout l;
	char *s = svg_of(c);
	char want[160];
	int rects = 0, found = 0;

	chart_layout(c, &a, CHART_SVG_W, &l);
	for (size_t i = 0; i < l.n; i++) {
		const struct chart_shape *sh = &l.s[i];

		if (sh->kind != CS_RECT)
			continue;
		rects++;
		snprintf(want, sizeof(want), " x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"",
			 sh->x, sh->y, sh->w, sh->h);
		found += strstr(s, want) != NULL;
	}
	ok(rects > 5, "the picture has bars (%d)", rects);
	is_int(found, rects, "every bar's numbers as printf writes them");
	free(s);
	arena_release(&a);
}

TEST(not_only_colour)
{
	struct arena a = ARENA_INIT;
	struct chart *c = make(&a, CHART_STACKED_BAR);
	char *s = svg_of(c);

	has_str(s, "<pattern", "bars carry patterns as well as colours");
	has_str(s, "fill=\"url(#ch-stacked-pat1)\"", "a pattern laid over a bar");
	has_str(s, ">Nivå 4</text>", "a legend names the series in text");
	has_str(s, ">22</text>", "the total at the end of each bar");
	free(s);
	c = make(&a, CHART_LINE);
	s = svg_of(c);
	has_str(s, "<circle", "the first line has round markers");
	has_str(s, "fill=\"#a15c00\" stroke=\"#ffffff\" stroke-width=\"1.0\"/>", "the second its own (square) ones");
	has_str(s, "stroke-dasharray", "and the second line is dashed");
	free(s);
	c = make(&a, CHART_HEATMAP);
	s = svg_of(c);
	has_str(s, "font-weight=\"bold\">8</text>", "a heat map's cell shows its number");
	free(s);
	arena_release(&a);
}

TEST(empty_chart)
{
	struct arena a = ARENA_INIT;
	double z[4] = { 0, 0, 0, 0 };
	struct chart *c = chart_new(&a, CHART_STACKED_BAR, "ch-empty");
	static const char *const cats[] = { "K", "R", "T", "S" };
	char *s;
	double ink;

	c->title = "Skyddsnivåer";
	c->alt = "Inga system";
	c->cats = cats;
	c->ncat = 4;
	chart_add_series(&a, c, "Nivå 1", z);
	ok(chart_is_empty(c), "all zero is empty");
	s = svg_of(c);
	has_str(s, "<p class=\"empty\">Inga uppgifter ännu</p>", "says there is nothing yet");
	lacks_str(s, "<svg", "and draws no picture");
	ok(well_formed(s), "well-formed");
	free(s);
	is_int(draw_png(c, "empty", 400, &ink), CAIRO_STATUS_SUCCESS, "cairo draws the empty text");
	c->empty = "No data yet";
	s = svg_of(c);
	has_str(s, "No data yet", "the caller's text, in the reader's language");
	free(s);
	c = chart_new(&a, CHART_HEATMAP, "ch-e2");
	ok(chart_is_empty(c), "a heat map without cells is empty");
	c = chart_new(&a, CHART_GRAPH, "ch-e3");
	ok(chart_is_empty(c), "a graph without links is empty");
	arena_release(&a);
}

int main(void)
{
	return tap_run();
}
