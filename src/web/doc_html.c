/* doc_html.c - a document as the print view (doc_html.h). */
#include "base/base.h"

#include "doc/doc.h"
#include "web/chart_svg.h"
#include "web/doc_html.h"
#include "web/html.h"

static void heading(struct html *h, const struct doc_block *b)
{
	/* the page's own h1 is the document's title: its headings start at h2 */
	switch (b->level) {
	case 1:
		h_lit(h, "<h2");
		h_attr(h, "id", b->id);
		h_lit(h, ">");
		h_text(h, b->text);
		h_lit(h, "</h2>");
		break;
	case 2:
		h_lit(h, "<h3");
		h_attr(h, "id", b->id);
		h_lit(h, ">");
		h_text(h, b->text);
		h_lit(h, "</h3>");
		break;
	default:
		h_lit(h, "<h4");
		h_attr(h, "id", b->id);
		h_lit(h, ">");
		h_text(h, b->text);
		h_lit(h, "</h4>");
		break;
	}
}

static void table(struct html *h, const struct doc_table *t)
{
	h_lit(h, "<div class=\"table-wrap\" tabindex=\"0\"><table class=\"list doc-table\">");
	if (t->caption) {
		h_lit(h, "<caption>");
		h_text(h, t->caption);
		h_lit(h, "</caption>");
	}
	h_lit(h, "<thead><tr>");
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->cols[c].align == DOC_RIGHT)
			h_lit(h, "<th scope=\"col\" class=\"num\">");
		else
			h_lit(h, "<th scope=\"col\">");
		h_text(h, t->cols[c].title);
		h_lit(h, "</th>");
	}
	h_lit(h, "</tr></thead><tbody>");
	for (size_t r = 0; r < t->nrows; r++) {
		h_lit(h, "<tr>");
		for (size_t c = 0; c < t->ncols; c++) {
			const char *v = t->cells[r * t->ncols + c];

			if (c == 0)
				h_lit(h, "<th scope=\"row\">");
			else if (t->cols[c].align == DOC_RIGHT)
				h_lit(h, "<td class=\"num\">");
			else
				h_lit(h, "<td>");
			h_text(h, v ? v : "");
			if (c == 0)
				h_lit(h, "</th>");
			else
				h_lit(h, "</td>");
		}
		h_lit(h, "</tr>");
	}
	h_lit(h, "</tbody></table></div>");
}

static void deflist(struct html *h, const struct doc_block *b)
{
	h_lit(h, "<dl class=\"record doc-defs\">");
	for (size_t i = 0; i < b->ndefs; i++) {
		h_lit(h, "<div><dt>");
		h_text(h, b->defs[i].term);
		h_lit(h, "</dt><dd>");
		h_text(h, b->defs[i].desc ? b->defs[i].desc : "\xe2\x80\x93");
		h_lit(h, "</dd></div>");
	}
	h_lit(h, "</dl>");
}

static void signature(struct html *h, const struct doc_block *b)
{
	h_lit(h, "<div class=\"doc-signature\"><div><p class=\"doc-sign-label\">");
	h_text(h, b->sig.label);
	h_lit(h, "</p><p class=\"doc-sign-line\"><strong>");
	h_text(h, b->sig.name ? b->sig.name : "");
	h_lit(h, "</strong><br>");
	h_text(h, b->sig.role ? b->sig.role : "");
	h_lit(h, "</p></div><div><p class=\"doc-sign-label\">");
	h_text(h, b->sig.date_place);
	h_lit(h, "</p><p class=\"doc-sign-line\">&nbsp;</p></div></div>");
}

void h_doc(struct html *h, const struct doc *d)
{
	h_lit(h, "<article class=\"doc\"><p class=\"doc-meta\">");
	h_text(h, d->org ? d->org : "");
	if (d->subtitle) {
		h_lit(h, " \xc2\xb7 ");
		h_text(h, d->subtitle);
	}
	if (d->date) {
		h_lit(h, " \xc2\xb7 ");
		h_text(h, d->date);
	}
	if (d->version) {
		h_lit(h, " \xc2\xb7 Version ");
		h_text(h, d->version);
	}
	if (d->marking) {
		h_lit(h, " \xc2\xb7 <strong class=\"doc-marking\">");
		h_text(h, d->marking);
		h_lit(h, "</strong>");
	}
	h_lit(h, "</p>");
	for (const struct doc_block *b = d->first; b; b = b->next) {
		switch (b->kind) {
		case DOC_HEADING:
			heading(h, b);
			break;
		case DOC_PARA:
			h_lit(h, "<p>");
			h_text(h, b->text);
			h_lit(h, "</p>");
			break;
		case DOC_NOTE:
			h_lit(h, "<p class=\"doc-note\">");
			h_text(h, b->text);
			h_lit(h, "</p>");
			break;
		case DOC_DEFLIST:
			deflist(h, b);
			break;
		case DOC_TABLE:
			table(h, b->table);
			break;
		case DOC_PICTURE:
			/* a brief picture: its reading and figures are the
			 * document's own blocks; the SVG carries the text
			 * alternative */
			if (b->chart && b->brief)
				h_chart_svg(h, b->chart, NULL);
			else if (b->chart)
				h_chart(h, b->chart);
			break;
		case DOC_SIGNATURE:
			signature(h, b);
			break;
		case DOC_PAGE_BREAK:
			h_lit(h, "<div class=\"doc-break\"></div>");
			break;
		}
	}
	h_lit(h, "</article>");
}
