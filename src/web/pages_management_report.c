/* pages_management_report.c - the report to management (issue 12; seed
 * 000 ¶7 "kort och koncist", 001 §8, 004 §8; R-15-06, R-15-08, R-15-13).
 *
 *   /o/{org}/management-report       one organisation: a period form
 *                                    (presets and custom days) and every
 *                                    module's sections (core/module.h
 *                                    struct report_section) in their
 *                                    order, each a heading, its picture,
 *                                    a one-sentence reading and figures
 *                                    linking to the lists behind them;
 *   /o/{org}/management-report.xlsx  the appendix: a sheet per section
 *                                    with the picture's numbers
 *                                    (chart_table) and the figures;
 *   /management-report?org=a&org=b   the same reports one after another
 *                                    for organisations the viewer
 *                                    coordinates (chosen by checkboxes).
 *
 * The PDF is the mgmtreport module's document "management-report"
 * (/o/{org}/documents/management-report.pdf?from=&to=), built from the
 * same core/report.h, so page, appendix and PDF say the same.  The
 * sections' queries read summaries or bounded counts: a report costs the
 * same whatever the size of the registers, times the organisations.
 */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/report.h"
#include "core/roles.h"
#include "db/db.h"
#include "parse/form.h"
#include "web/app.h"
#include "web/chart_svg.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"
#include "web/router.h"
#include "web/xlsx.h"

#define ORGS_MAX 32

/* The period asked for: a preset (the default: the last quarter) or two
 * days; why is the message of a malformed one (0: fine). */
struct period_ask {
	int preset;               /* enum report_preset, or -1: custom */
	struct report_period p;
	const char *from, *to;    /* as typed (custom), for the form */
	int why;
};

static void read_period(struct req *q, struct period_ask *pa)
{
	const char *from = req_param(q, "from"), *to = req_param(q, "to");
	const char *preset = req_param(q, "preset");
	int custom = (preset && strcmp(preset, "custom") == 0) ||
		     (!preset && ((from && *from) || (to && *to)));

	memset(pa, 0, sizeof(*pa));
	pa->from = from;
	pa->to = to;
	if (custom) {
		pa->preset = -1;
		if (report_period_days(from ? from : "", to ? to : "", &pa->p, &pa->why) == 0)
			return;
		/* the page still shows something: the default period */
	}
	pa->preset = custom ? -1 : report_preset_by_name(preset);
	report_preset(pa->preset < 0 ? REPORT_LAST_QUARTER : pa->preset, q->cx.now, &pa->p);
	if (!custom && pa->preset < 0)
		pa->preset = REPORT_LAST_QUARTER;
}

/* The period's first and last days, for "...?from=%s&to=%s" */
#define PERIOD_ARGS(a, p) report_day((a), (p)->from), report_last_day((a), (p))

static const char *period_text(struct ctx *cx, const struct report_period *p)
{
	const char *t = msg_text(cx->lang, M_RP_PERIOD_TEXT);

	t = msg_fill(cx->a, t, "{from}", report_day(cx->a, p->from));
	t = msg_fill(cx->a, t, "{to}", report_last_day(cx->a, p));
	t = msg_fill(cx->a, t, "{prev_from}", report_day(cx->a, p->prev_from));
	return msg_fill(cx->a, t, "{prev_to}", report_day(cx->a, report_add_days(p->from, -1)));
}

static const int preset_label[REPORT__PRESETS] = {
	M_RP_LAST_QUARTER, M_RP_LAST_HALF, M_RP_LAST_YEAR, M_RP_THIS_YEAR,
};

static void radio(struct html *h, const char *value, int label, int checked)
{
	const char *id = arena_printf(h->q->cx.a, "rp-preset-%s", value);

	h_lit(h, "<div class=\"field check\"><input type=\"radio\" name=\"preset\"");
	h_attr(h, "id", id);
	h_attr(h, "value", value);
	if (checked)
		h_lit(h, " checked");
	h_lit(h, "><label");
	h_attr(h, "for", id);
	h_lit(h, ">");
	h_msg(h, label);
	h_lit(h, "</label></div>");
}

static void date_field(struct html *h, const char *name, int label, const char *value,
		       int error)
{
	const char *id = arena_printf(h->q->cx.a, "rp-%s", name);

	h_lit(h, "<div class=\"field\"><label");
	h_attr(h, "for", id);
	h_lit(h, ">");
	h_msg(h, label);
	h_lit(h, "</label><input type=\"date\"");
	h_attr(h, "id", id);
	h_attr(h, "name", name);
	if (value)
		h_attr(h, "value", value);
	if (error)
		h_lit(h, " aria-invalid=\"true\" aria-describedby=\"rp-period-error\"");
	h_lit(h, "></div>");
}

/* The period form (GET); orgs: the checkboxes of /management-report. */
static void period_form(struct req *q, struct html *h, const char *action,
			const struct period_ask *pa, const struct org_ctx *orgs, size_t norgs,
			const int *chosen)
{
	struct ctx *cx = &q->cx;
	int custom = pa->preset < 0;

	h_lit(h, "<form method=\"get\" class=\"rp-period\" action=\"");
	h_text(h, action);
	h_lit(h, "\">");
	if (pa->why) {
		h_lit(h, "<div class=\"error-summary\" role=\"alert\" id=\"rp-period-error\"><p>");
		h_msg(h, pa->why);
		h_lit(h, "</p></div>");
	}
	if (norgs) {
		h_lit(h, "<fieldset class=\"rp-orgs\"><legend>");
		h_msg(h, M_RP_ORGS_LEGEND);
		h_lit(h, "</legend>");
		for (size_t i = 0; i < norgs; i++) {
			const char *id = arena_printf(cx->a, "rp-org-%s", orgs[i].slug);
			h_lit(h, "<div class=\"field check\"><input type=\"checkbox\" name=\"org\"");
			h_attr(h, "id", id);
			h_attr(h, "value", orgs[i].slug);
			if (chosen[i])
				h_lit(h, " checked");
			h_lit(h, "><label");
			h_attr(h, "for", id);
			h_lit(h, ">");
			h_text(h, orgs[i].name);
			h_lit(h, "</label></div>");
		}
		h_lit(h, "</fieldset>");
	}
	h_lit(h, "<fieldset class=\"rp-presets\"><legend>");
	h_msg(h, M_RP_PERIOD_LEGEND);
	h_lit(h, "</legend>");
	for (int i = 0; i < REPORT__PRESETS; i++)
		radio(h, report_preset_name(i), preset_label[i], pa->preset == i);
	radio(h, "custom", M_RP_CUSTOM, custom);
	h_lit(h, "<div class=\"rp-days\">");
	date_field(h, "from", M_RP_FROM,
		   custom && pa->from ? pa->from : report_day(cx->a, pa->p.from), pa->why != 0);
	date_field(h, "to", M_RP_TO,
		   custom && pa->to ? pa->to : report_last_day(cx->a, &pa->p), pa->why != 0);
	h_lit(h, "</div></fieldset><button type=\"submit\">");
	h_msg(h, M_RP_SHOW);
	h_lit(h, "</button></form>");
}

/* The numbers behind a picture, as the start page's pictures show them. */
static void chart_numbers(struct html *h, struct arena *a, const struct chart *c)
{
	struct chart_table t;

	if (!c || chart_is_empty(c))
		return;
	chart_table(c, a, &t);
	h_lit(h, "<details class=\"chart-numbers\"><summary>");
	h_msg(h, M_CHART_SHOW_NUMBERS);
	h_lit(h, "</summary><div class=\"table-wrap\"><table class=\"list\"><caption>");
	h_text(h, t.caption);
	h_lit(h, "</caption><thead><tr>");
	for (size_t k = 0; k < t.ncols; k++) {
		if (t.numeric[k])
			h_lit(h, "<th scope=\"col\" class=\"num-col\">");
		else
			h_lit(h, "<th scope=\"col\">");
		h_text(h, t.head[k]);
		h_lit(h, "</th>");
	}
	h_lit(h, "</tr></thead><tbody>");
	for (size_t r = 0; r < t.nrows; r++) {
		h_lit(h, "<tr>");
		for (size_t k = 0; k < t.ncols; k++) {
			const char *v = t.cells[r * t.ncols + k];
			if (k == 0) {
				h_lit(h, "<th scope=\"row\">");
				h_text(h, v ? v : "");
				h_lit(h, "</th>");
				continue;
			}
			if (t.numeric[k])
				h_lit(h, "<td class=\"num-col\">");
			else
				h_lit(h, "<td>");
			h_text(h, v ? v : "");
			h_lit(h, "</td>");
		}
		h_lit(h, "</tr>");
	}
	h_lit(h, "</tbody></table></div></details>");
}

/* One organisation's report: its sections in order.  hlevel 2 on the
 * organisation's page, 3 under an organisation's heading. */
static void org_report(struct req *q, struct html *h, const struct org_ctx *org,
		       const struct report_entry *e, size_t n, int hlevel)
{
	struct ctx *cx = &q->cx;

	if (n == 0) {
		part_empty(h, M_RP_NO_SECTIONS);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct report_part *pt = &e[i].part;
		const char *hid = arena_printf(cx->a, "rp-%s-%d", org->slug, e[i].section->order);
		h_lit(h, "<section class=\"rp-section\"");
		h_attr(h, "aria-labelledby", hid);
		if (hlevel == 2)
			h_lit(h, "><h2");
		else
			h_lit(h, "><h3");
		h_attr(h, "id", hid);
		h_lit(h, ">");
		h_msg(h, e[i].section->heading);
		if (hlevel == 2)
			h_lit(h, "</h2>");
		else
			h_lit(h, "</h3>");
		if (pt->reading) {
			h_lit(h, "<p class=\"rp-reading\">");
			h_text(h, pt->reading);
			h_lit(h, "</p>");
		}
		h_lit(h, "<div class=\"rp-body\">");
		if (pt->chart) {
			struct chart *c = pt->chart;
			/* ids unique on a page of several organisations */
			c->id = arena_printf(cx->a, "%s-%s", org->slug, c->id ? c->id : "chart");
			h_lit(h, "<div class=\"rp-chart chart\">");
			h_chart_svg(h, c, NULL);
			chart_numbers(h, cx->a, c);
			h_lit(h, "</div>");
		}
		if (pt->nfigures) {
			h_lit(h, "<ul class=\"ov-figures rp-figures\"");
			h_attr(h, "aria-label", msg_text(cx->lang, M_RP_FIGURES));
			h_lit(h, ">");
			for (int k = 0; k < pt->nfigures; k++) {
				const struct overview_figure *f = &pt->figures[k];
				h_lit(h, "<li");
				if (f->attention && f->n > 0)
					h_lit(h, " class=\"ov-attention\"");
				h_lit(h, ">");
				overview_figure_link(q, h, org, f, 0);
				overview_attention_mark(h, f, 0);
				h_lit(h, "</li>");
			}
			h_lit(h, "</ul>");
		}
		h_lit(h, "</div></section>");
	}
}

static int build_for(struct req *q, const struct org_ctx *org, const struct report_period *p,
		     struct report_entry **e, size_t *n)
{
	struct ctx cx = q->cx;
	struct db_error err;

	cx.org = org;
	if (report_build(&cx, p, e, n, &err) != 0) {
		req_fail(q, "the management report", &err);
		return -1;
	}
	return 0;
}

static void downloads(struct req *q, struct html *h, const struct org_ctx *org,
		      const struct report_period *p)
{
	struct arena *a = q->cx.a;

	h_lit(h, "<p class=\"doc-downloads rp-downloads\"><a class=\"button\"");
	h_href(h, "/o/%s/documents/management-report.pdf?from=%s&to=%s", org->slug,
	       PERIOD_ARGS(a, p));
	h_lit(h, " download>");
	h_msg(h, M_RP_PDF);
	h_lit(h, "</a> <a");
	h_href(h, "/o/%s/management-report.xlsx?from=%s&to=%s", org->slug, PERIOD_ARGS(a, p));
	h_lit(h, " download>");
	h_msg(h, M_RP_XLSX);
	h_lit(h, "</a></p>");
}

/* The organisations the viewer coordinates: an overview role held for
 * the whole organisation (pages_overview.c's "followed"). */
static struct org_ctx *coordinated(struct req *q, size_t *n)
{
	size_t all = 0, k = 0;
	struct org_ctx *orgs = app_user_orgs(q, &all);

	for (size_t i = 0; i < all; i++)
		if (orgs[i].org_roles & ROLES_OVERVIEW)
			orgs[k++] = orgs[i];
	*n = k;
	return orgs;
}

/* GET /o/{org}/management-report */
static void org_page(struct req *q, struct resp *r)
{
	struct period_ask pa;
	struct report_entry *e;
	size_t n = 0, norgs = 0;
	struct html h;

	if (!(q->cx.org->org_roles & ROLES_OVERVIEW)) {
		respond_error(q, r, 403);
		return;
	}
	read_period(q, &pa);
	if (build_for(q, q->cx.org, &pa.p, &e, &n) != 0)
		return;
	coordinated(q, &norgs);
	page_begin(q, r, &h, M_RP_TITLE);
	if (pa.why)
		r->status = 422;
	h_lit(&h, "<p class=\"lead\">");
	h_msg(&h, M_RP_INTRO);
	h_lit(&h, "</p>");
	period_form(q, &h, arena_printf(q->cx.a, "/o/%s/management-report", q->cx.org->slug), &pa,
		    NULL, 0, NULL);
	if (norgs > 1) {
		h_lit(&h, "<p><a");
		if (pa.preset >= 0)
			h_href(&h, "/management-report?preset=%s", report_preset_name(pa.preset));
		else
			h_href(&h, "/management-report?preset=custom&from=%s&to=%s",
			       PERIOD_ARGS(q->cx.a, &pa.p));
		h_lit(&h, ">");
		h_msg(&h, M_RP_ALL_LINK);
		h_lit(&h, "</a></p>");
	}
	h_lit(&h, "<p class=\"rp-period-text\"><strong>");
	h_text(&h, period_text(&q->cx, &pa.p));
	h_lit(&h, "</strong></p>");
	downloads(q, &h, q->cx.org, &pa.p);
	org_report(q, &h, q->cx.org, e, n, 2);
	page_end(q, r, &h);
}

/* GET /management-report?org=...: the chosen organisations' reports. */
static void all_page(struct req *q, struct resp *r)
{
	size_t norgs = 0, nasked;
	struct org_ctx *orgs = coordinated(q, &norgs);
	const char *asked[ORGS_MAX];
	int chosen[ORGS_MAX] = { 0 };
	struct period_ask pa;
	struct html h;

	if (q->failed)
		return;
	if (norgs == 0) {
		respond_error(q, r, 403);
		return;
	}
	if (norgs > ORGS_MAX)
		norgs = ORGS_MAX;
	nasked = form_get_all(&q->query_form, "org", asked, ORGS_MAX);
	for (size_t i = 0; i < nasked; i++) {
		size_t o;
		for (o = 0; o < norgs && strcmp(orgs[o].slug, asked[i]) != 0; o++)
			;
		if (o == norgs) {
			/* an organisation the viewer does not coordinate */
			respond_error(q, r, 403);
			return;
		}
		chosen[o] = 1;
	}
	if (nasked == 0)
		for (size_t o = 0; o < norgs; o++)
			chosen[o] = 1;
	read_period(q, &pa);
	page_begin(q, r, &h, M_RP_ALL_TITLE);
	if (pa.why)
		r->status = 422;
	h_lit(&h, "<p class=\"lead\">");
	h_msg(&h, M_RP_INTRO);
	h_lit(&h, "</p>");
	period_form(q, &h, "/management-report", &pa, orgs, norgs, chosen);
	h_lit(&h, "<p class=\"rp-period-text\"><strong>");
	h_text(&h, period_text(&q->cx, &pa.p));
	h_lit(&h, "</strong></p>");
	for (size_t o = 0; o < norgs; o++) {
		struct report_entry *e;
		size_t n = 0;
		const char *hid;
		if (!chosen[o])
			continue;
		if (build_for(q, &orgs[o], &pa.p, &e, &n) != 0)
			return;
		hid = arena_printf(q->cx.a, "rp-org-h-%s", orgs[o].slug);
		h_lit(&h, "<section class=\"rp-org\"");
		h_attr(&h, "aria-labelledby", hid);
		h_lit(&h, "><h2");
		h_attr(&h, "id", hid);
		h_lit(&h, "><a");
		h_href(&h, "/o/%s/management-report?from=%s&to=%s", orgs[o].slug,
		       PERIOD_ARGS(q->cx.a, &pa.p));
		h_lit(&h, ">");
		h_text(&h, orgs[o].name);
		h_lit(&h, "</a></h2>");
		downloads(q, &h, &orgs[o], &pa.p);
		org_report(q, &h, &orgs[o], e, n, 3);
		h_lit(&h, "</section>");
	}
	page_end(q, r, &h);
}

/* ---- the appendix ---- */

static const char *num(struct arena *a, const struct overview_figure *f)
{
	return f->more ? arena_printf(a, "> %lld", (long long)f->n)
		       : arena_printf(a, "%lld", (long long)f->n);
}

/* GET /o/{org}/management-report.xlsx?from=&to= */
static void xlsx_page(struct req *q, struct resp *r)
{
	struct ctx *cx = &q->cx;
	struct period_ask pa;
	struct report_entry *e;
	struct xlsx_table *t;
	size_t n = 0;
	const char **about;

	if (!(cx->org->org_roles & ROLES_OVERVIEW)) {
		respond_error(q, r, 403);
		return;
	}
	read_period(q, &pa);
	if (pa.why) {
		respond_error(q, r, 400);
		return;
	}
	if (build_for(q, cx->org, &pa.p, &e, &n) != 0)
		return;
	t = arena_alloc(cx->a, (n + 1) * sizeof(*t));
	memset(t, 0, (n + 1) * sizeof(*t));
	/* the first sheet: what the report is */
	about = arena_alloc(cx->a, 10 * sizeof(*about));
	{
		const char **head = arena_alloc(cx->a, 2 * sizeof(*head));
		head[0] = msg_text(cx->lang, M_RP_WHAT);
		head[1] = "";
		about[0] = msg_text(cx->lang, M_RP_ORG);
		about[1] = cx->org->name;
		about[2] = msg_text(cx->lang, M_RP_PERIOD);
		about[3] = arena_printf(cx->a, "%s – %s", report_day(cx->a, pa.p.from),
					report_last_day(cx->a, &pa.p));
		about[4] = msg_text(cx->lang, M_RP_PREV_PERIOD);
		about[5] = arena_printf(cx->a, "%s – %s", report_day(cx->a, pa.p.prev_from),
					report_day(cx->a, report_add_days(pa.p.from, -1)));
		about[6] = msg_text(cx->lang, M_RP_MADE);
		about[7] = ctx_today(cx);
		t[0] = (struct xlsx_table){ msg_text(cx->lang, M_RP_SHEET_ABOUT), 2, 4, head, about };
	}
	for (size_t i = 0; i < n; i++) {
		const struct report_part *pt = &e[i].part;
		struct chart_table ct = { 0 };
		size_t ncols, nrows, row = 0;
		const char **cells, **head;
		if (pt->chart)
			chart_table(pt->chart, cx->a, &ct);
		ncols = ct.ncols > 2 ? ct.ncols : 2;
		/* the picture's rows, a blank row, the reading, the figures */
		nrows = ct.nrows + 2 + (size_t)pt->nfigures + 1;
		head = arena_alloc(cx->a, ncols * sizeof(*head));
		cells = arena_alloc(cx->a, nrows * ncols * sizeof(*cells));
		memset(head, 0, ncols * sizeof(*head));
		memset(cells, 0, nrows * ncols * sizeof(*cells));
		for (size_t k = 0; k < ct.ncols; k++)
			head[k] = ct.head[k];
		if (!ct.ncols) {
			head[0] = msg_text(cx->lang, M_RP_WHAT);
			head[1] = msg_text(cx->lang, M_RP_NUMBER);
		}
		for (size_t k = 0; k < ct.nrows; k++, row++)
			for (size_t c = 0; c < ct.ncols; c++)
				cells[row * ncols + c] = ct.cells[k * ct.ncols + c];
		row++; /* blank */
		cells[row * ncols] = msg_text(cx->lang, M_RP_READING);
		cells[row * ncols + 1] = pt->reading;
		row++;
		cells[row * ncols] = msg_text(cx->lang, M_RP_FIGURES);
		row++;
		for (int k = 0; k < pt->nfigures; k++, row++) {
			cells[row * ncols] = msg_text(cx->lang, pt->figures[k].label);
			cells[row * ncols + 1] = num(cx->a, &pt->figures[k]);
		}
		t[i + 1] = (struct xlsx_table){ msg_text(cx->lang, e[i].section->heading), ncols, row,
						 head, cells };
	}
	xlsx_respond_tables(q, r, arena_printf(cx->a, "ledningsrapport-%s-%s.xlsx", cx->org->slug,
					       report_day(cx->a, pa.p.from)),
			    t, n + 1);
}

static const struct param params[] = {
	{ "preset", P_STR, 20 },
	{ "from", P_STR, 10 },
	{ "to", P_STR, 10 },
	{ "org", P_STR, 100 },
	{ NULL },
};

const struct route report_routes[] = {
	{ "GET", "/management-report", all_page, 0, 0, 0, params, NULL },
	{ "GET", "/o/{org}/management-report", org_page, ROLES_OVERVIEW, 0, 0, params, NULL },
	{ "GET", "/o/{org}/management-report.xlsx", xlsx_page, ROLES_OVERVIEW, 0, 0, params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
