/* overview.c - the gap overviews: the organisation's (/gap: a heat map
 * of area x level, the numbers per status, unit, area and measure), the
 * systems' (/gap/systems) and the start page's picture.
 *
 * Every number comes from the count tables the triggers of migration 0012
 * keep (gap_area_stat, gap_measure_stat, gap_system_stat), read by the
 * organisation's key: a few hundred rows whatever the number of systems
 * and assessments.  Each number links to the list of assessments it
 * counts, filtered with the register's own filters (measures.c: area,
 * sys_level, system_id=none for the organisation's rows, unit_id,
 * measure_id, effective_status, always required=1), so the list shows as
 * many rows as the number says. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/measures/measures.h"
#include "modules/measures/overview.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"
#include "web/chart_svg.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

/* ---- the numbers ---- */

static const char sql_area_stat[] =
	"SELECT unit_id, area, level, stat, n FROM gap_area_stat WHERE org_id = $1 AND n > 0";
static const char sql_org_area_stat[] =
	"SELECT area, stat, n FROM gap_org_area_stat WHERE org_id = $1 AND n > 0";
static const char sql_has_catalogue[] =
	"SELECT id FROM measure_catalogue WHERE org_id = $1 AND archived = 0 LIMIT 1";

int gap_status_index(const char *st)
{
	for (int i = 0; st && measure_statuses[i].value; i++)
		if (strcmp(measure_statuses[i].value, st) == 0)
			return i;
	return -1;
}

int64_t gap_sum(const int64_t s[GAP_NSTAT])
{
	int64_t n = 0;

	for (int i = 0; i < GAP_NSTAT; i++)
		n += s[i];
	return n;
}

/* Met or not applicable, of those required: -1 when none are. */
int gap_coverage(const int64_t s[GAP_NSTAT])
{
	int64_t req = gap_sum(s);

	if (req == 0)
		return -1;
	return (int)((s[GS_MET] + s[GS_NA]) * 100 / req);
}

int gap_read_numbers(struct ctx *cx, struct gap_numbers *g, struct db_error *err)
{
	struct db_rows r;

	memset(g, 0, sizeof(*g));
	if (db_exec(cx->db, cx->a, sql_area_stat, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	g->units = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*g->units));
	for (size_t i = 0; i < r.nrows; i++) {
		int64_t unit = db_cell_i64(&r, i, 0), lv = db_cell_i64(&r, i, 2);
		int64_t n = db_cell_i64(&r, i, 4);
		int a = measure_area_index(db_cell(&r, i, 1));
		int s = gap_status_index(db_cell(&r, i, 3));
		int col = lv < 0 ? GAP_COL_ORG : (int)lv;
		size_t u;

		if (a < 0 || s < 0 || lv > 4)
			continue; /* a code this version does not know */
		g->cell[a][col][s] += n;
		g->area[a][s] += n;
		g->total[s] += n;
		for (u = 0; u < g->nunits && g->units[u].id != unit; u++)
			;
		if (u == g->nunits)
			g->units[g->nunits++].id = unit;
		g->units[u].n[s] += n;
	}
	return 0;
}

int gap_read_area_totals(struct ctx *cx, struct gap_numbers *g, struct db_error *err)
{
	struct db_rows r;

	memset(g, 0, sizeof(*g));
	if (db_exec(cx->db, cx->a, sql_org_area_stat, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int a = measure_area_index(db_cell(&r, i, 0));
		int s = gap_status_index(db_cell(&r, i, 1));
		int64_t n = db_cell_i64(&r, i, 2);

		if (a < 0 || s < 0)
			continue; /* a code this version does not know */
		g->area[a][s] += n;
		g->total[s] += n;
	}
	return 0;
}

/* ---- links to the list behind a number ---- */

struct gap_filter {
	const char *area;     /* or NULL */
	int col;              /* 0..4 a level, GAP_COL_ORG the organisation's
				 rows, -1 any */
	int64_t unit;         /* > 0 a unit, -1 none, 0 any */
	int64_t measure;      /* or 0 */
	int64_t system;       /* or 0 */
	const char *status;   /* effective_status, or NULL: all required */
	int fresh;            /* new_required=1 */
	int changed;          /* measure_changed=1 */
};

/* The number n, a link to the assessments it counts (0: no link, there
 * is nothing behind it). */
static void count_link(struct html *h, const struct gap_filter *f, int64_t n)
{
	const char *slug = h->q->cx.org->slug;

	if (n == 0) {
		h_lit(h, "0");
		return;
	}
	h_lit(h, "<a href=\"");
	h_url(h, "/o/%s/assessments?required=1", slug);
	if (f->area)
		h_url(h, "&area=%s", f->area);
	if (f->col == GAP_COL_ORG)
		h_lit(h, "&amp;system_id=none");
	else if (f->col >= 0)
		h_url(h, "&sys_level=%d", f->col);
	if (f->unit > 0)
		h_url(h, "&unit_id=%lld", (long long)f->unit);
	else if (f->unit < 0)
		h_lit(h, "&amp;unit_id=none");
	if (f->measure)
		h_url(h, "&measure_id=%lld", (long long)f->measure);
	if (f->system)
		h_url(h, "&system_id=%lld", (long long)f->system);
	if (f->status)
		h_url(h, "&effective_status=%s", f->status);
	if (f->fresh)
		h_lit(h, "&amp;new_required=1");
	if (f->changed)
		h_lit(h, "&amp;measure_changed=1");
	h_lit(h, "\">");
	h_int(h, n);
	h_lit(h, "</a>");
}

static const char *pct_text(struct arena *a, int pct)
{
	return pct < 0 ? "\xe2\x80\x93" : arena_printf(a, "%d\xc2\xa0%%", pct);
}

static const char *put_n(struct arena *a, const char *text, const char *key, const char *v)
{
	const char *at = strstr(text, key);

	if (!at)
		return text;
	return arena_printf(a, "%.*s%s%s", (int)(at - text), text, v, at + strlen(key));
}

const char *gap_col_label(struct ctx *cx, int col)
{
	if (col == GAP_COL_ORG)
		return msg_text(cx->lang, M_GO_ORG_COL);
	if (col == 0)
		return msg_text(cx->lang, M_GO_LEVEL_NONE);
	return put_n(cx->a, msg_text(cx->lang, M_GO_LEVEL_N), "{n}",
		     arena_printf(cx->a, "%d", col));
}

/* ---- the heat map ---- */

static const chart_rgb band_colour[4] = {
	CHART_MUTED, 0xb3261e, 0xa15c00, 0x2e7d32,
};

static int band(int pct)
{
	return pct < 0 ? 0 : pct < 50 ? 1 : pct < 80 ? 2 : 3;
}

struct chart *gap_heat_chart(struct ctx *cx, const struct gap_numbers *g)
{
	struct chart *c = chart_new(cx->a, CHART_HEATMAP, "ch-gap-heat");
	const char **rows = arena_alloc(cx->a, AREA__COUNT * sizeof(*rows));
	const char **cols = arena_alloc(cx->a, GAP_NCOL * sizeof(*cols));
	const char **texts = arena_alloc(cx->a, AREA__COUNT * GAP_NCOL * sizeof(*texts));
	const char **bands = arena_alloc(cx->a, 4 * sizeof(*bands));
	double *values = arena_alloc(cx->a, AREA__COUNT * GAP_NCOL * sizeof(*values));
	int *level = arena_alloc(cx->a, AREA__COUNT * GAP_NCOL * sizeof(*level));
	const char *alt;

	for (int a = 0; a < AREA__COUNT; a++)
		rows[a] = msg_text(cx->lang, measure_areas[a].label);
	/* short column heads in the picture, under an axis title; the table
	 * under it (and the cells' titles) name them in full */
	for (int k = 0; k < GAP_NCOL; k++)
		cols[k] = k == 0 ? msg_text(cx->lang, M_GO_COL_NONE_SHORT)
			: k == GAP_COL_ORG ? msg_text(cx->lang, M_GO_COL_ORG_SHORT)
			: gap_col_label(cx, k);
	for (int a = 0; a < AREA__COUNT; a++)
		for (int k = 0; k < GAP_NCOL; k++) {
			int pct = gap_coverage(g->cell[a][k]);
			size_t i = (size_t)a * GAP_NCOL + (size_t)k;
			values[i] = pct < 0 ? 0 : pct;
			texts[i] = pct_text(cx->a, pct);
			level[i] = band(pct);
		}
	bands[0] = msg_text(cx->lang, M_GO_BAND_NONE);
	bands[1] = msg_text(cx->lang, M_GO_BAND_LOW);
	bands[2] = msg_text(cx->lang, M_GO_BAND_MID);
	bands[3] = msg_text(cx->lang, M_GO_BAND_HIGH);
	c->title = msg_text(cx->lang, M_GO_HEAT);
	c->cat_title = msg_text(cx->lang, M_GO_AREA);
	c->x_label = msg_text(cx->lang, M_GO_HEAT_X);
	c->empty = msg_text(cx->lang, M_GO_NOTHING);
	c->heat = (struct chart_heat){ .rows = rows, .nrows = AREA__COUNT, .cols = cols,
				       .ncols = GAP_NCOL, .values = values, .texts = texts,
				       .level = level, .level_labels = bands,
				       .level_colours = band_colour, .nlevels = 4 };
	alt = put_n(cx->a, msg_text(cx->lang, M_GO_HEAT_ALT), "{n}",
		    arena_printf(cx->a, "%lld", (long long)gap_sum(g->total)));
	c->alt = put_n(cx->a, alt, "{pct}",
		       arena_printf(cx->a, "%d", gap_coverage(g->total) < 0 ? 0
						 : gap_coverage(g->total)));
	if (gap_sum(g->total) == 0) {
		c->heat.nrows = 0; /* nothing to draw: the empty text */
	}
	return c;
}

/* ---- the organisation's overview ---- */

static void th_text(struct html *h, int msg)
{
	h_lit(h, "<th scope=\"col\">");
	h_msg(h, msg);
	h_lit(h, "</th>");
}

static void heat_table(struct req *q, struct html *h, const struct gap_numbers *g)
{
	h_lit(h, "<p class=\"note\">");
	h_msg(h, M_GO_HEAT_HOW);
	h_lit(h, "</p><div class=\"table-wrap\"><table class=\"list gap-heat\"><caption>");
	h_msg(h, M_GO_HEAT_TABLE);
	h_lit(h, "</caption><thead><tr>");
	th_text(h, M_GO_AREA);
	for (int k = 0; k < GAP_NCOL; k++) {
		h_lit(h, "<th scope=\"col\">");
		h_text(h, gap_col_label(&q->cx, k));
		h_lit(h, "</th>");
	}
	h_lit(h, "</tr></thead><tbody>");
	for (int a = 0; a < AREA__COUNT; a++) {
		h_lit(h, "<tr><th scope=\"row\">");
		h_msg(h, measure_areas[a].label);
		h_lit(h, "</th>");
		for (int k = 0; k < GAP_NCOL; k++) {
			const int64_t *s = g->cell[a][k];
			int pct = gap_coverage(s);
			struct gap_filter f = { .area = measure_areas[a].value, .col = k };

			if (pct < 0) {
				h_lit(h, "<td class=\"num muted\">\xe2\x80\x93</td>");
				continue;
			}
			h_lit(h, "<td class=\"num gap-band-");
			h_int(h, band(pct));
			h_lit(h, "\"><strong>");
			h_text(h, pct_text(q->cx.a, pct));
			h_lit(h, "</strong><br><span class=\"gap-nums\">");
			f.status = ST_MET;
			count_link(h, &f, s[GS_MET]);
			if (s[GS_NA]) {
				h_lit(h, " + ");
				f.status = ST_NA;
				count_link(h, &f, s[GS_NA]);
			}
			h_lit(h, " ");
			h_msg(h, M_GO_OF);
			h_lit(h, " ");
			f.status = NULL;
			count_link(h, &f, gap_sum(s));
			h_lit(h, "</span></td>");
		}
		h_lit(h, "</tr>");
	}
	h_lit(h, "</tbody></table></div>");
}

/* The columns of a row of numbers: required, then each status. */
static const int status_cols[] = { GS_MET, GS_PARTLY, GS_NOT_MET, GS_NOT_ASSESSED, GS_NA,
				   GS_SUPPLIER };
static const int status_heads[] = { M_GO_MET, M_GO_PARTLY, M_GO_NOT_MET, M_GO_NOT_ASSESSED,
				    M_GO_NA, M_GO_SUPPLIER };
#define NSTATUS_COLS (sizeof(status_cols) / sizeof(status_cols[0]))

static void numbers_head(struct html *h, int first)
{
	h_lit(h, "<thead><tr>");
	th_text(h, first);
	th_text(h, M_GO_REQUIRED);
	for (size_t k = 0; k < NSTATUS_COLS; k++)
		th_text(h, status_heads[k]);
	th_text(h, M_GO_COVERAGE);
	h_lit(h, "</tr></thead><tbody>");
}

static void numbers_cells(struct req *q, struct html *h, struct gap_filter f,
			  const int64_t s[GAP_NSTAT])
{
	h_lit(h, "<td class=\"num\">");
	f.status = NULL;
	count_link(h, &f, gap_sum(s));
	h_lit(h, "</td>");
	for (size_t k = 0; k < NSTATUS_COLS; k++) {
		h_lit(h, "<td class=\"num\">");
		f.status = measure_statuses[status_cols[k]].value;
		count_link(h, &f, s[status_cols[k]]);
		h_lit(h, "</td>");
	}
	h_lit(h, "<td class=\"num\">");
	h_text(h, pct_text(q->cx.a, gap_coverage(s)));
	h_lit(h, "</td>");
}

static void status_section(struct req *q, struct html *h, const struct gap_numbers *g)
{
	int64_t total = gap_sum(g->total);

	part_section_begin(h, "gap-status", M_GO_STATUS);
	h_lit(h, "<p class=\"gap-coverage\"><strong>");
	h_text(h, put_n(q->cx.a, msg_text(q->cx.lang, M_GO_COVERAGE_IS), "{pct}",
			arena_printf(q->cx.a, "%d", gap_coverage(g->total))));
	h_lit(h, "</strong></p>");
	part_table_begin(h, 0, "gap-status");
	part_th(h, M_GO_STATUS_COL);
	part_th(h, M_GO_COUNT);
	part_th(h, M_GO_SHARE);
	part_table_body(h);
	for (size_t k = 0; k < NSTATUS_COLS; k++) {
		struct gap_filter f = { .col = -1, .status = measure_statuses[status_cols[k]].value };
		int64_t n = g->total[status_cols[k]];

		part_tr(h);
		part_th_row_begin(h);
		h_msg(h, measure_statuses[status_cols[k]].label);
		part_th_row_end(h);
		h_lit(h, "<td class=\"num\">");
		count_link(h, &f, n);
		h_lit(h, "</td><td class=\"num\">");
		h_text(h, pct_text(q->cx.a, (int)(n * 100 / total)));
		h_lit(h, "</td>");
		part_tr_end(h);
	}
	{
		struct gap_filter f = { .col = -1 };
		part_tr(h);
		part_th_row_begin(h);
		h_msg(h, M_GO_TOTAL);
		part_th_row_end(h);
		h_lit(h, "<td class=\"num\">");
		count_link(h, &f, total);
		h_lit(h, "</td><td class=\"num\">100\xc2\xa0%</td>");
		part_tr_end(h);
	}
	part_table_end(h);
	part_section_end(h);
}

static void unit_section(struct req *q, struct html *h, const struct gap_numbers *g)
{
	const char **names = arena_alloc(q->cx.a, (g->nunits + 1) * sizeof(*names));
	struct db_error err;

	for (size_t at = 0; at < g->nunits; at += ENTITY_TITLES_MAX) {
		int64_t ids[ENTITY_TITLES_MAX];
		size_t n = g->nunits - at < ENTITY_TITLES_MAX ? g->nunits - at : ENTITY_TITLES_MAX;
		for (size_t k = 0; k < n; k++)
			ids[k] = g->units[at + k].id;
		if (entity_titles(&q->cx, &org_units, ids, n, names + at, &err) != 0) {
			req_fail(q, "gap overview: unit names", &err);
			return;
		}
	}
	part_section_begin(h, "gap-units", M_GO_UNITS);
	part_table_begin(h, 0, "gap-units");
	numbers_head(h, M_GO_UNIT);
	/* the units by name, the rows without one last */
	for (int pass = 0; pass < 2; pass++)
		for (size_t u = 0; u < g->nunits; u++) {
			struct gap_filter f = { .col = -1 };
			if ((g->units[u].id == 0) != pass)
				continue;
			f.unit = g->units[u].id ? g->units[u].id : -1;
			part_tr(h);
			part_th_row_begin(h);
			if (g->units[u].id)
				h_text(h, names[u] ? names[u] : "?");
			else
				h_msg(h, M_GO_NO_UNIT);
			part_th_row_end(h);
			numbers_cells(q, h, f, g->units[u].n);
			part_tr_end(h);
		}
	part_table_end(h);
	part_section_end(h);
}

static void area_section(struct req *q, struct html *h, const struct gap_numbers *g)
{
	part_section_begin(h, "gap-areas", M_GO_AREAS);
	part_table_begin(h, 0, "gap-areas");
	numbers_head(h, M_GO_AREA);
	for (int a = 0; a < AREA__COUNT; a++) {
		struct gap_filter f = { .col = -1, .area = measure_areas[a].value };
		if (gap_sum(g->area[a]) == 0)
			continue;
		part_tr(h);
		part_th_row_begin(h);
		h_msg(h, measure_areas[a].label);
		part_th_row_end(h);
		numbers_cells(q, h, f, g->area[a]);
		part_tr_end(h);
	}
	part_table_end(h);
	part_section_end(h);
}

/* The measures most often not met or partly met: gap_measure_stat has at
 * most one row per measure and status, so this reads a few hundred rows
 * whatever the number of systems. */
#define TOP_MEASURES 20
static const char sql_top_measures[] =
	"SELECT g.measure_id, m.code, m.title,"
	" sum(CASE WHEN g.stat = 'not_met' THEN g.n ELSE 0 END),"
	" sum(CASE WHEN g.stat = 'partly' THEN g.n ELSE 0 END), sum(g.n)"
	" FROM gap_measure_stat g JOIN measure m ON m.org_id = g.org_id AND m.id = g.measure_id"
	" WHERE g.org_id = $1 AND g.stat IN ('not_met', 'partly') AND g.n > 0"
	" GROUP BY g.measure_id, m.code, m.title, m.code_sk"
	" ORDER BY sum(g.n) DESC, m.code_sk, g.measure_id LIMIT $2";

static void measure_section(struct req *q, struct html *h)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, sql_top_measures,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(TOP_MEASURES)), &r, &err) != 0) {
		req_fail(q, "gap overview: measures", &err);
		return;
	}
	part_section_begin(h, "gap-measures", M_GO_MEASURES);
	if (r.nrows == 0) {
		part_empty(h, M_GO_MEASURES_NONE);
		part_section_end(h);
		return;
	}
	h_lit(h, "<p>");
	h_msg_n(h, M_GO_MEASURES_HOW, (int64_t)r.nrows);
	h_lit(h, "</p>");
	part_table_begin(h, 0, "gap-measures");
	part_th(h, M_GO_CODE);
	part_th(h, M_GO_MEASURE);
	part_th(h, M_GO_NOT_MET);
	part_th(h, M_GO_PARTLY);
	part_table_body(h);
	for (size_t i = 0; i < r.nrows; i++) {
		struct gap_filter f = { .col = -1, .measure = db_cell_i64(&r, i, 0) };
		part_tr(h);
		part_th_row_begin(h);
		part_link(h, db_cell(&r, i, 1), "/o/%s/measures/%s", q->cx.org->slug,
			  db_cell(&r, i, 0));
		part_th_row_end(h);
		part_td(h, db_cell(&r, i, 2));
		h_lit(h, "<td class=\"num\">");
		f.status = ST_NOT_MET;
		count_link(h, &f, db_cell_i64(&r, i, 3));
		h_lit(h, "</td><td class=\"num\">");
		f.status = ST_PARTLY;
		count_link(h, &f, db_cell_i64(&r, i, 4));
		h_lit(h, "</td>");
		part_tr_end(h);
	}
	part_table_end(h);
	part_section_end(h);
}

static void doc_links(struct req *q, struct html *h)
{
	const char *slug = q->cx.org->slug;

	h_lit(h, "<nav class=\"gap-links\"");
	h_attr(h, "aria-label", msg_text(q->cx.lang, M_GO_LINKS));
	h_lit(h, "><ul><li>");
	part_link(h, msg_text(q->cx.lang, M_GO_SYSTEMS_LINK), "/o/%s/gap/systems", slug);
	h_lit(h, "</li><li>");
	part_link(h, msg_text(q->cx.lang, M_GO_ORG_LINK), "/o/%s/gap/organisation", slug);
	h_lit(h, "</li><li>");
	part_link(h, msg_text(q->cx.lang, M_GO_SOA_ORG),
		  "/o/%s/documents/statement-of-applicability-org", slug);
	h_lit(h, " (");
	part_link(h, msg_text(q->cx.lang, M_GO_PDF),
		  "/o/%s/documents/statement-of-applicability-org.pdf", slug);
	h_lit(h, ", ");
	part_link(h, msg_text(q->cx.lang, M_GO_XLSX), "/o/%s/gap/organisation/soa.xlsx", slug);
	h_lit(h, ")</li></ul></nav>");
}

static void overview_page(struct req *q, struct resp *r)
{
	struct gap_numbers g;
	struct db_rows cat;
	struct db_error err;
	struct html h;

	if (gap_read_numbers(&q->cx, &g, &err) != 0 ||
	    db_exec(q->cx.db, q->cx.a, sql_has_catalogue, DB_ARGS(DB_INT(q->cx.org->id)), &cat,
		    &err) != 0) {
		log_error("gap overview: %s", err.msg);
		respond_error(q, r, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	page_begin(q, r, &h, M_GO_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_GO_INTRO);
	h_lit(&h, "</p>");
	if (cat.nrows == 0) {
		h_lit(&h, "<div class=\"notice\" role=\"status\"><p>");
		h_msg(&h, M_GO_NO_CATALOGUE);
		h_lit(&h, "</p><p>");
		part_button_link(&h, M_GO_LOAD_CATALOGUE, 1, "/o/%s/measures/catalogue",
				 q->cx.org->slug);
		h_lit(&h, "</p></div>");
	}
	doc_links(q, &h);
	if (gap_sum(g.total) == 0) {
		part_empty(&h, M_GO_NOTHING);
		page_end(q, r, &h);
		return;
	}
	part_section_begin(&h, "gap-heat", M_GO_HEAT);
	/* drawn 400 wide: shown larger where there is room (style.css) */
	h_lit(&h, "<div class=\"gap-heat-chart\">");
	h_chart(&h, gap_heat_chart(&q->cx, &g));
	h_lit(&h, "</div>");
	heat_table(q, &h, &g);
	part_section_end(&h);
	status_section(q, &h, &g);
	area_section(q, &h, &g);
	unit_section(q, &h, &g);
	measure_section(q, &h);
	page_end(q, r, &h);
}

/* ---- the systems and their gaps ---- */

#define SYSTEMS_PAGE 50

/* One page of live systems by name, narrowed by owner, unit and a kind of
 * gap (a key of gap_system_stat with n > 0, as the start page's lines
 * count), with each system's numbers from gap_system_stat by key. */
static const char sql_systems[] =
	"SELECT p.id, p.name, p.owner_id, p.level_max, g.stat, g.n FROM ("
	" SELECT s.id, s.name, s.name_sk, s.owner_id, s.level_max FROM it_system s"
	" WHERE s.org_id = $1 AND s.archived = 0"
	" AND ($2 = 0 OR s.owner_id = $2) AND ($3 = 0 OR s.unit_id = $3)"
	" AND ($4 = '' OR EXISTS (SELECT 1 FROM gap_system_stat x WHERE x.org_id = s.org_id"
	"  AND x.system_id = s.id AND x.stat = $4 AND x.n > 0))"
	" AND (s.name_sk > $5 OR (s.name_sk = $5 AND s.id > $6))"
	" ORDER BY s.name_sk, s.id LIMIT $7) p"
	" LEFT JOIN gap_system_stat g ON g.org_id = $1 AND g.system_id = p.id"
	" ORDER BY p.name_sk, p.id";
static const char sql_after[] =
	"SELECT name_sk FROM it_system WHERE org_id = $1 AND id = $2";

struct sys_row {
	int64_t id, owner;
	const char *name, *level;
	struct gap_counts c;
};

static const struct { const char *value; int label, showing; } shows[] = {
	{ "new", M_GS_SHOW_NEW, M_GS_SHOWING_NEW },
	{ "not_assessed", M_GS_SHOW_OPEN, M_GS_SHOWING_OPEN },
	{ "changed", M_GS_SHOW_CHANGED, M_GS_SHOWING_CHANGED },
	{ NULL, 0, 0 },
};

/* A system's document (its print view, which offers the PDF), named
 * with the system for those who list the links. */
static void doc_link(struct req *q, struct html *h, int label, const char *doc, int64_t id,
		     const char *name)
{
	h_lit(h, "<a");
	h_href(h, "/o/%s/documents/%s?id=%lld", q->cx.org->slug, doc, (long long)id);
	h_attr(h, "aria-label", arena_printf(q->cx.a, "%s: %s", msg_text(q->cx.lang, label),
					     name));
	h_lit(h, ">");
	h_msg(h, label);
	h_lit(h, "</a>");
}

/* A system's export: "Excel", named in full for those who list links. */
static void file_link(struct req *q, struct html *h, int label, int what, const char *file,
		      int64_t id, const char *name)
{
	h_lit(h, "<a");
	h_href(h, "/o/%s/gap/systems/%lld/%s", q->cx.org->slug, (long long)id, file);
	h_attr(h, "aria-label", arena_printf(q->cx.a, "%s: %s (%s)", msg_text(q->cx.lang, what),
					     name, msg_text(q->cx.lang, label)));
	h_lit(h, " download>");
	h_msg(h, label);
	h_lit(h, "</a>");
}

static void systems_filters(struct req *q, struct html *h, const char *show, int64_t owner,
			    int64_t unit)
{
	struct part_choice *sc = arena_alloc(q->cx.a, 5 * sizeof(*sc));
	size_t k;

	for (k = 0; shows[k].value; k++)
		sc[k] = (struct part_choice){ shows[k].value, msg_text(q->cx.lang, shows[k].label),
					      NULL };
	h_lit(h, "<form class=\"filters gap-filters\" method=\"get\" role=\"search\"");
	h_attr(h, "aria-label", msg_text(q->cx.lang, M_GS_FILTER));
	h_lit(h, ">");
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "show", .label = M_GS_SHOW,
					    .value = show, .choices = sc,
					    .placeholder = M_GS_SHOW_ALL });
	part_field(h, &(struct part_field){ .type = PI_REF, .name = "owner_id", .label = M_GS_OWNER,
					    .ref = &org_people, .placeholder = M_ALL,
					    .value = owner ? arena_printf(q->cx.a, "%lld",
									  (long long)owner) : NULL });
	part_field(h, &(struct part_field){ .type = PI_REF, .name = "unit_id", .label = M_GS_UNIT,
					    .ref = &org_units, .placeholder = M_ALL,
					    .value = unit ? arena_printf(q->cx.a, "%lld",
									 (long long)unit) : NULL });
	h_lit(h, "<div class=\"field\"><button type=\"submit\">");
	h_msg(h, M_GS_FILTER);
	h_lit(h, "</button></div></form>");
}

static void systems_page(struct req *q, struct resp *r)
{
	const char *show = req_param(q, "show"), *after_sk = "";
	int64_t owner = req_int(q, "owner_id", 1, INT64_MAX, 0);
	int64_t unit = req_int(q, "unit_id", 1, INT64_MAX, 0);
	int64_t after = req_int(q, "after", 1, INT64_MAX, 0);
	struct sys_row rows[SYSTEMS_PAGE + 1];
	const char *owners[SYSTEMS_PAGE + 1];
	size_t n = 0, k;
	struct db_rows db;
	struct db_error err;
	struct html h;
	int more;

	for (k = 0; shows[k].value && !(show && strcmp(show, shows[k].value) == 0); k++)
		;
	show = shows[k].value ? shows[k].value : "";
	if (after) {
		if (db_exec(q->cx.db, q->cx.a, sql_after,
			    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(after)), &db, &err) != 0)
			goto fail;
		if (db.nrows == 0) {
			respond_error(q, r, 404);
			return;
		}
		after_sk = db_cell(&db, 0, 0);
	}
	if (db_exec(q->cx.db, q->cx.a, sql_systems,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(owner), DB_INT(unit), DB_TEXT(show),
			    DB_TEXT(after_sk), DB_INT(after), DB_INT(SYSTEMS_PAGE + 1)),
		    &db, &err) != 0)
		goto fail;
	memset(rows, 0, sizeof(rows));
	for (size_t i = 0; i < db.nrows; i++) {
		int64_t id = db_cell_i64(&db, i, 0);
		if (n == 0 || rows[n - 1].id != id) {
			if (n == SYSTEMS_PAGE + 1)
				break;
			rows[n].id = id;
			rows[n].name = db_cell(&db, i, 1);
			rows[n].owner = db_cell_i64(&db, i, 2);
			rows[n].level = db_cell(&db, i, 3);
			n++;
		}
		gap_counts_add(&rows[n - 1].c, db_cell(&db, i, 4), db_cell_i64(&db, i, 5));
	}
	more = n > SYSTEMS_PAGE;
	if (more)
		n = SYSTEMS_PAGE;
	for (size_t at = 0; at < n; at += ENTITY_TITLES_MAX) {
		int64_t ids[ENTITY_TITLES_MAX];
		size_t m = n - at < ENTITY_TITLES_MAX ? n - at : ENTITY_TITLES_MAX;
		for (size_t j = 0; j < m; j++)
			ids[j] = rows[at + j].owner;
		if (entity_titles(&q->cx, &org_people, ids, m, owners + at, &err) != 0)
			goto fail;
	}

	page_begin(q, r, &h, M_GS_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_GS_INTRO);
	h_lit(&h, " ");
	part_link(&h, msg_text(q->cx.lang, M_GS_OVERVIEW), "/o/%s/gap", q->cx.org->slug);
	h_lit(&h, "</p>");
	if (shows[k].value) {
		h_lit(&h, "<p role=\"status\">");
		h_msg(&h, shows[k].showing);
		h_lit(&h, "</p>");
	}
	systems_filters(q, &h, show, owner, unit);
	if (n == 0) {
		part_empty(&h, M_GS_NONE);
		page_end(q, r, &h);
		return;
	}
	part_table_begin(&h, M_GS_TITLE, NULL);
	part_th(&h, M_GS_SYSTEM);
	part_th(&h, M_GS_OWNER);
	part_th(&h, M_GS_LEVEL);
	part_th(&h, M_GO_REQUIRED);
	part_th(&h, M_GO_COVERAGE);
	part_th(&h, M_GS_ASSESSED);
	part_th(&h, M_GO_MET);
	part_th(&h, M_GO_PARTLY);
	part_th(&h, M_GO_NOT_MET);
	part_th(&h, M_GS_NEW);
	part_th(&h, M_GS_CHANGED);
	part_table_body(&h);
	for (size_t i = 0; i < n; i++) {
		struct gap_filter f = { .col = -1, .system = rows[i].id };
		const struct gap_counts *c = &rows[i].c;
		int64_t s[GAP_NSTAT] = { 0 };

		s[GS_MET] = c->met;
		s[GS_NA] = c->na;
		s[GS_NOT_ASSESSED] = c->required - c->met - c->na;
		part_tr(&h);
		part_th_row_begin(&h);
		part_link(&h, rows[i].name, "/o/%s/gap/systems/%lld", q->cx.org->slug,
			  (long long)rows[i].id);
		/* its documents, small under the name */
		h_lit(&h, "<span class=\"gap-docs\">");
		doc_link(q, &h, M_SOA, "statement-of-applicability", rows[i].id, rows[i].name);
		h_lit(&h, " (");
		file_link(q, &h, M_GO_XLSX, M_SOA, "soa.xlsx", rows[i].id, rows[i].name);
		h_lit(&h, ")<br>");
		doc_link(q, &h, M_GS_PROC_SHORT, "procurement-requirements", rows[i].id,
			 rows[i].name);
		h_lit(&h, " (");
		file_link(q, &h, M_GO_XLSX, M_GS_PROC_SHORT, "procurement.xlsx", rows[i].id,
			  rows[i].name);
		h_lit(&h, ", ");
		file_link(q, &h, M_GO_TEXT, M_GS_PROC_SHORT, "procurement.txt", rows[i].id,
			  rows[i].name);
		h_lit(&h, ")</span>");
		part_th_row_end(&h);
		part_td(&h, rows[i].owner ? owners[i] : NULL);
		part_td(&h, rows[i].level);  /* "–" when not classified */
		h_lit(&h, "<td class=\"num\">");
		count_link(&h, &f, c->required);
		h_lit(&h, "</td><td class=\"num\">");
		h_text(&h, pct_text(q->cx.a, gap_coverage(s)));
		h_lit(&h, "</td><td class=\"num\">");
		h_int(&h, c->assessed);
		h_lit(&h, "</td><td class=\"num\">");
		f.status = ST_MET;
		count_link(&h, &f, c->met);
		h_lit(&h, "</td><td class=\"num\">");
		f.status = ST_PARTLY;
		count_link(&h, &f, c->partly);
		h_lit(&h, "</td><td class=\"num\">");
		f.status = ST_NOT_MET;
		count_link(&h, &f, c->not_met);
		h_lit(&h, "</td><td class=\"num\">");
		f.status = NULL;
		f.fresh = 1;
		count_link(&h, &f, c->fresh);
		h_lit(&h, "</td><td class=\"num\">");
		f.fresh = 0;
		f.changed = 1;
		count_link(&h, &f, c->changed);
		h_lit(&h, "</td>");
		part_tr_end(&h);
	}
	part_table_end(&h);
	if (more || after) {
		h_lit(&h, "<nav class=\"pager\"");
		h_attr(&h, "aria-label", msg_text(q->cx.lang, M_GS_NEXT));
		h_lit(&h, ">");
		if (after) {
			h_lit(&h, "<a");
			h_href(&h, "/o/%s/gap/systems?show=%s&owner_id=%lld&unit_id=%lld",
			       q->cx.org->slug, show, (long long)owner, (long long)unit);
			h_lit(&h, ">");
			h_msg(&h, M_GS_FIRST);
			h_lit(&h, "</a> ");
		}
		if (more) {
			h_lit(&h, "<a rel=\"next\"");
			h_href(&h, "/o/%s/gap/systems?show=%s&owner_id=%lld&unit_id=%lld&after=%lld",
			       q->cx.org->slug, show, (long long)owner, (long long)unit,
			       (long long)rows[n - 1].id);
			h_lit(&h, ">");
			h_msg(&h, M_GS_NEXT);
			h_lit(&h, "</a>");
		}
		h_lit(&h, "</nav>");
	}
	page_end(q, r, &h);
	return;
fail:
	log_error("gap systems: %s", err.msg);
	respond_error(q, r, err.code == DBE_BUSY ? 503 : 500);
}

static const struct param systems_params[] = {
	{ "show", P_STR, 16 }, { "owner_id", P_INT, INT64_MAX }, { "unit_id", P_INT, INT64_MAX },
	{ "after", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

const struct route gap_overview_routes[] = {
	{ "GET", "/o/{org}/gap", overview_page, ROLES_STAFF, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/gap/systems", systems_page, ROLES_STAFF, 0, 0, systems_params, NULL },
	{ "GET", "/o/{org}/gap/systems/{id}/soa.xlsx", gap_soa_xlsx, ROLES_STAFF, 0, 0, NULL,
	  NULL },
	{ "GET", "/o/{org}/gap/organisation/soa.xlsx", gap_soa_org_xlsx, ROLES_STAFF, 0, 0, NULL,
	  NULL },
	{ "GET", "/o/{org}/gap/systems/{id}/procurement.xlsx", gap_procurement_xlsx, ROLES_STAFF,
	  0, 0, NULL, NULL },
	{ "GET", "/o/{org}/gap/systems/{id}/procurement.txt", gap_procurement_text, ROLES_STAFF,
	  0, 0, NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

/* ---- the start page's picture ---- */

static int build_area_chart(struct ctx *cx, struct chart **out, struct db_error *err)
{
	struct gap_numbers g;
	struct chart *c;
	const char **cats;
	double *v;
	size_t n = 0;
	const char *alt;

	if (gap_read_area_totals(cx, &g, err) != 0)
		return -1;
	c = chart_new(cx->a, CHART_BAR, "ch-gap-areas");
	c->title = msg_text(cx->lang, M_CH_GAP_AREAS);
	c->cat_title = msg_text(cx->lang, M_GO_AREA);
	c->x_label = msg_text(cx->lang, M_CH_GAP_PCT);
	c->empty = msg_text(cx->lang, M_GO_NOTHING);
	c->horizontal = 1;
	cats = arena_alloc(cx->a, AREA__COUNT * sizeof(*cats));
	v = arena_alloc(cx->a, AREA__COUNT * sizeof(*v));
	for (int a = 0; a < AREA__COUNT; a++) {
		if (gap_sum(g.area[a]) == 0)
			continue;
		cats[n] = msg_text(cx->lang, measure_areas[a].label);
		v[n++] = gap_coverage(g.area[a]);
	}
	c->cats = cats;
	c->ncat = n;
	chart_add_series(cx->a, c, msg_text(cx->lang, M_GO_COVERAGE), v);
	alt = put_n(cx->a, msg_text(cx->lang, M_CH_GAP_AREAS_ALT), "{n}",
		    arena_printf(cx->a, "%lld", (long long)gap_sum(g.total)));
	c->alt = put_n(cx->a, alt, "{pct}",
		       arena_printf(cx->a, "%d", n ? gap_coverage(g.total) : 0));
	*out = c;
	return 0;
}

const struct overview_chart measures_charts[] = {
	{ ROLES_REGISTER_ADMIN | RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF), M_CH_GAP_AREAS,
	  build_area_chart },
	{ 0, 0, NULL },
};
