/* pages_overview.c - the coordinator's overview: the state of the whole
 * information-security work at a glance (issue 10; seed 004 §8).
 *
 *   /o/{org}/overview  one organisation: each module's sections
 *                      (core/module.h struct follow_up_section), each
 *                      figure a number linking to the list behind it;
 *   /overview          the same sections side by side for a person who
 *                      follows several organisations (a shared
 *                      coordinator): a table per section, a column per
 *                      organisation.
 *
 * The figures are the modules' (kept counts or bounded queries), so the
 * page costs the same whatever the size of the registers; /overview costs
 * that times the person's organisations.  A number links only where the
 * viewer may open the list (the route admits one of their roles there).
 */
#include "base/base.h"

#include <pthread.h>

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "web/app.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"
#include "web/router.h"

/* The most sections all modules declare together (checked at the first
 * view: BUG beyond it). */
#define SECTIONS_MAX 64

/* The figures of one organisation, section by section (NULL sections the
 * viewer does not hold there). */
struct org_figures {
	const struct org_ctx *org;
	struct overview_figure *fig[SECTIONS_MAX]; /* per section */
	int n[SECTIONS_MAX];
};

/* Every declared section, in module order. */
static const struct follow_up_section *sections[SECTIONS_MAX];
static size_t nsections;
static pthread_once_t sections_once = PTHREAD_ONCE_INIT;

static void gather_sections(void)
{
	for (size_t m = 0; modules[m]; m++)
		for (const struct follow_up_section *s = modules[m]->follow_up; s && s->roles; s++) {
			if (nsections == ARRAY_SIZE(sections))
				BUG("more overview sections than the page holds");
			sections[nsections++] = s;
		}
}

/* The viewer may open path (under /o/{slug}) with the roles held there. */
int overview_may_open(struct req *q, const struct org_ctx *org, const char *path)
{
	const char *pathv[8];
	size_t npathv = 8;
	int mismatch = 0;
	const char *qm = strchr(path, '?');
	const char *p = arena_printf(q->cx.a, "/o/%s%.*s", org->slug,
				     (int)(qm ? qm - path : (ptrdiff_t)strlen(path)), path);
	const struct route *rt = router_match(&q->app->router, "GET", p, pathv,
					      &npathv, &mismatch);

	return rt && (!rt->roles || (rt->roles & org->roles));
}

/* Fills of's figures, acting in org with the request's clock and
 * language.  0, or -1 with the failure reported. */
static int load_figures(struct req *q, const struct org_ctx *org, struct org_figures *of)
{
	struct ctx cx = q->cx;

	cx.org = org;
	of->org = org;
	for (size_t i = 0; i < nsections; i++) {
		const struct follow_up_section *s = sections[i];
		struct db_error err;
		of->fig[i] = NULL;
		of->n[i] = 0;
		if (!(org->org_roles & s->roles))
			continue;
		of->fig[i] = arena_alloc(q->cx.a, OVERVIEW_FIGURES_MAX * sizeof(*of->fig[i]));
		memset(of->fig[i], 0, OVERVIEW_FIGURES_MAX * sizeof(*of->fig[i]));
		of->n[i] = s->figures(&cx, of->fig[i], OVERVIEW_FIGURES_MAX, &err);
		if (of->n[i] < 0) {
			req_fail(q, "the overview's figures", &err);
			return -1;
		}
	}
	return 0;
}

/* A number, as a link to its list when the viewer may open it; with the
 * label inside the link (the organisation's page), or the label and the
 * organisation for screen readers only (a table's cell, whose row and
 * column say them to the eye). */
void overview_figure_link(struct req *q, struct html *h, const struct org_ctx *org,
			  const struct overview_figure *f, int in_table)
{
	int link = f->path && overview_may_open(q, org, f->path);

	if (link) {
		/* the path is the module's own text, with its query: written
		 * as it is (escaped), not encoded as a value */
		h_lit(h, "<a");
		h_attr(h, "href", arena_printf(q->cx.a, "/o/%s%s", org->slug, f->path));
		h_lit(h, ">");
	}
	h_lit(h, "<span class=\"num\">");
	if (f->more)
		h_msg_n(h, M_MORE_THAN, f->n);
	else
		h_int(h, f->n);
	h_lit(h, "</span> <span");
	if (in_table)
		h_lit(h, " class=\"sr-only\"");
	else
		h_lit(h, " class=\"ov-label\"");
	h_lit(h, ">");
	h_msg(h, f->label);
	if (in_table) {
		h_lit(h, ", ");
		h_text(h, org->name);
	}
	h_lit(h, "</span>");
	if (link)
		h_lit(h, "</a>");
}

/* A number that ought to be 0 and is not: said in words, not only by
 * colour. */
void overview_attention_mark(struct html *h, const struct overview_figure *f, int in_table)
{
	if (!f->attention || f->n <= 0)
		return;
	if (in_table) {
		/* narrow columns: a sign, the words for screen readers */
		h_lit(h, " <span class=\"ov-flag\" aria-hidden=\"true\">!</span>"
			 "<span class=\"sr-only\">");
		h_msg(h, M_OV_ATTENTION);
		h_lit(h, "</span>");
		return;
	}
	h_lit(h, " <span class=\"ov-flag\">");
	h_msg(h, M_OV_ATTENTION);
	h_lit(h, "</span>");
}

/* One organisation's sections: a list of figures under each heading. */
static void org_sections(struct req *q, struct html *h, const struct org_figures *of)
{
	h_lit(h, "<div class=\"ov-sections\">");
	for (size_t i = 0; i < nsections; i++) {
		const char *hid;
		if (!of->fig[i])
			continue;
		hid = arena_printf(q->cx.a, "ov-s%zu", i);
		h_lit(h, "<section class=\"ov-section\"");
		h_attr(h, "aria-labelledby", hid);
		h_lit(h, "><h2");
		h_attr(h, "id", hid);
		h_lit(h, ">");
		h_msg(h, sections[i]->heading);
		h_lit(h, "</h2><ul class=\"ov-figures\">");
		for (int k = 0; k < of->n[i]; k++) {
			const struct overview_figure *f = &of->fig[i][k];
			h_lit(h, "<li");
			if (f->attention && f->n > 0)
				h_lit(h, " class=\"ov-attention\"");
			h_lit(h, ">");
			overview_figure_link(q, h, of->org, f, 0);
			overview_attention_mark(h, f, 0);
			h_lit(h, "</li>");
		}
		if (of->n[i] == 0) {
			h_lit(h, "<li class=\"muted\">");
			h_msg(h, M_OV_NOTHING);
			h_lit(h, "</li>");
		}
		h_lit(h, "</ul></section>");
	}
	h_lit(h, "</div>");
}

/* The organisations the viewer follows: those where they hold an
 * overview role for the whole organisation. */
static struct org_ctx *followed_orgs(struct req *q, size_t *n)
{
	size_t all = 0, k = 0;
	struct org_ctx *orgs = app_user_orgs(q, &all);

	for (size_t i = 0; i < all; i++)
		if (orgs[i].org_roles & ROLES_OVERVIEW)
			orgs[k++] = orgs[i];
	*n = k;
	return orgs;
}

/* GET /o/{org}/overview */
static void org_overview(struct req *q, struct resp *r)
{
	struct org_figures *of = arena_alloc(q->cx.a, sizeof(*of));
	struct html h;
	size_t n = 0;

	pthread_once(&sections_once, gather_sections);
	if (!(q->cx.org->org_roles & ROLES_OVERVIEW)) {
		/* a role held for one unit only: the overview is the whole
		 * organisation's */
		respond_error(q, r, 403);
		return;
	}
	if (load_figures(q, q->cx.org, of) != 0)
		return;
	followed_orgs(q, &n);
	page_begin(q, r, &h, M_OV_TITLE);
	h_lit(&h, "<p class=\"lead\">");
	h_msg(&h, M_OV_INTRO);
	h_lit(&h, "</p>");
	if (n > 1) {
		h_lit(&h, "<p><a href=\"/overview\">");
		h_msg_n(&h, M_OV_COMPARE, (int64_t)n);
		h_lit(&h, "</a></p>");
	}
	org_sections(q, &h, of);
	page_end(q, r, &h);
}

/* The labels of section i in the order they first appear across the
 * organisations (each module gives the same labels to every one; this
 * keeps the table whole if one gives fewer). */
static int section_labels(const struct org_figures *ofs, size_t norg, size_t i, int *labels,
			  int max)
{
	int n = 0;

	for (size_t o = 0; o < norg; o++)
		for (int k = 0; ofs[o].fig[i] && k < ofs[o].n[i]; k++) {
			int l = ofs[o].fig[i][k].label, j;
			for (j = 0; j < n && labels[j] != l; j++)
				;
			if (j == n && n < max)
				labels[n++] = l;
		}
	return n;
}

static const struct overview_figure *find_figure(const struct org_figures *of, size_t i,
						 int label)
{
	for (int k = 0; of->fig[i] && k < of->n[i]; k++)
		if (of->fig[i][k].label == label)
			return &of->fig[i][k];
	return NULL;
}

/* GET /overview: the followed organisations side by side. */
static void overview_all(struct req *q, struct resp *r)
{
	struct org_figures *ofs;
	size_t n = 0;
	struct org_ctx *orgs = followed_orgs(q, &n);
	struct html h;

	pthread_once(&sections_once, gather_sections);
	if (q->failed)
		return;
	if (n == 0) {
		respond_error(q, r, 403);
		return;
	}
	if (n == 1) {
		resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/overview", orgs[0].slug));
		return;
	}
	ofs = arena_alloc(q->cx.a, n * sizeof(*ofs));
	for (size_t o = 0; o < n; o++)
		if (load_figures(q, &orgs[o], &ofs[o]) != 0)
			return;
	page_begin(q, r, &h, M_OV_ALL_TITLE);
	h_lit(&h, "<p class=\"lead\">");
	h_msg(&h, M_OV_ALL_INTRO);
	h_lit(&h, "</p>");
	for (size_t i = 0; i < nsections; i++) {
		int labels[OVERVIEW_FIGURES_MAX * 2];
		int nl = section_labels(ofs, n, i, labels, (int)ARRAY_SIZE(labels));
		const char *hid;
		if (nl == 0)
			continue;
		hid = arena_printf(q->cx.a, "ov-s%zu", i);
		h_lit(&h, "<section class=\"ov-compare\"");
		h_attr(&h, "aria-labelledby", hid);
		h_lit(&h, "><h2");
		h_attr(&h, "id", hid);
		h_lit(&h, ">");
		h_msg(&h, sections[i]->heading);
		h_lit(&h, "</h2><div class=\"table-wrap\" tabindex=\"0\" role=\"region\"");
		h_attr(&h, "aria-labelledby", hid);
		h_lit(&h, "><table class=\"list\"><thead><tr><th scope=\"col\">");
		h_msg(&h, M_OV_WHAT);
		h_lit(&h, "</th>");
		for (size_t o = 0; o < n; o++) {
			h_lit(&h, "<th scope=\"col\" class=\"num-col\"><a");
			h_href(&h, "/o/%s/overview", orgs[o].slug);
			h_lit(&h, ">");
			h_text(&h, orgs[o].name);
			h_lit(&h, "</a></th>");
		}
		h_lit(&h, "</tr></thead><tbody>");
		for (int l = 0; l < nl; l++) {
			h_lit(&h, "<tr><th scope=\"row\">");
			h_msg(&h, labels[l]);
			h_lit(&h, "</th>");
			for (size_t o = 0; o < n; o++) {
				const struct overview_figure *f = find_figure(&ofs[o], i, labels[l]);
				h_lit(&h, "<td");
				if (f && f->attention && f->n > 0)
					h_lit(&h, " class=\"ov-attention\"");
				h_lit(&h, ">");
				if (f) {
					overview_figure_link(q, &h, &orgs[o], f, 1);
					overview_attention_mark(&h, f, 1);
				} else {
					h_lit(&h, "<span class=\"muted\">–</span>");
				}
				h_lit(&h, "</td>");
			}
			h_lit(&h, "</tr>");
		}
		h_lit(&h, "</tbody></table></div></section>");
	}
	page_end(q, r, &h);
}

const struct route overview_routes[] = {
	{ "GET", "/overview", overview_all, 0, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/overview", org_overview, ROLES_OVERVIEW, 0, 0, NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
