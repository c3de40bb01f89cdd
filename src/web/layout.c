/* layout.c - the page shell (layout.h). */
#include "base/base.h"

#include "core/auth.h"
#include "core/entity.h"
#include "core/roles.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/menu.h"

static void head(struct req *q, struct html *h, const char *title)
{
	h_lit(h, "<!doctype html>\n<html");
	h_attr(h, "lang", lang_code(q->cx.lang));
	h_lit(h, "><head><meta charset=\"utf-8\">"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		 "<title>");
	h_text(h, title);
	h_lit(h, " – Värn</title>"
		 "<link rel=\"stylesheet\" href=\"/static/style.css\">"
		 "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">"
		 "</head>\n<body>"
		 "<a class=\"skip\" href=\"#main\">");
	h_msg(h, M_SKIP_TO_CONTENT);
	h_lit(h, "</a>\n");
}

static void header_bar(struct req *q, struct html *h)
{
	h_lit(h, "<header class=\"top\"><div class=\"bar\">"
		 "<a class=\"brand\" href=\"/\"><span class=\"logo\" aria-hidden=\"true\"></span>Värn</a>");
	if (q->cx.org) {
		h_lit(h, "<span class=\"org\">");
		h_text(h, q->cx.org->name);
		h_lit(h, "</span>");
	}
	/* full-text search (pages_search.c), for those who may use it */
	if (q->cx.org && q->sess && !q->sess->stage_totp && (q->cx.org->roles & ROLES_STAFF)) {
		h_lit(h, "<form class=\"site-search\" method=\"get\" role=\"search\"");
		h_attr(h, "aria-label", msg_text(q->cx.lang, M_SRCH_HEADER_LABEL));
		h_lit(h, " action=\"");
		h_url(h, "/o/%s/search", q->cx.org->slug);
		h_lit(h, "\"><label for=\"site-q\">");
		h_msg(h, M_SRCH_HEADER_LABEL);
		h_lit(h, "</label><input type=\"search\" id=\"site-q\" name=\"q\" maxlength=\"200\">"
			 "<button type=\"submit\">");
		h_msg(h, M_SEARCH);
		h_lit(h, "</button></form>");
	}
	if (q->sess && !q->sess->stage_totp) {
		h_lit(h, "<div class=\"me\"><a href=\"/konto\">");
		h_text(h, q->sess->name ? q->sess->name : q->sess->email);
		h_lit(h, "</a><form method=\"post\" action=\"/logga-ut\">");
		h_csrf(h);
		h_lit(h, "<button type=\"submit\" class=\"link\">");
		h_msg(h, M_SIGN_OUT);
		h_lit(h, "</button></form></div>");
	}
	h_lit(h, "</div>");
	if (q->cx.org && q->sess) {
		h_lit(h, "<nav class=\"menu\"");
		h_attr(h, "aria-label", msg_text(q->cx.lang, M_MAIN_NAV));
		h_lit(h, "><ul>");
		for (size_t i = 0; i < q->app->nmenu; i++) {
			const struct menu_item *m = q->app->menu[i];
			if (!(m->roles & q->cx.org->roles))
				continue;
			h_lit(h, "<li><a href=\"");
			h_url(h, "/o/%s", q->cx.org->slug);
			h_text(h, m->path);
			h_lit(h, "\"");
			if (menu_is_current(q, m))
				h_lit(h, " aria-current=\"page\"");
			h_lit(h, ">");
			h_msg(h, m->label);
			h_lit(h, "</a></li>");
		}
		h_lit(h, "</ul></nav>");
	}
	h_lit(h, "</header>\n");
}

void page_begin_text(struct req *q, struct resp *r, struct html *h, const char *title)
{
	h->b = &r->body;
	h->q = q;
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	if (q->sess)
		resp_header(r, "Cache-Control", "no-store");
	head(q, h, title);
	header_bar(q, h);
	h_lit(h, "<main id=\"main\" tabindex=\"-1\"><h1>");
	h_text(h, title);
	h_lit(h, "</h1>\n");
}

void page_begin(struct req *q, struct resp *r, struct html *h, int title_msg)
{
	page_begin_text(q, r, h, msg_text(q->cx.lang, title_msg));
}

void page_end(struct req *q, struct resp *r, struct html *h)
{
	h_lit(h, "</main>\n<footer class=\"foot\"><p>");
	h_msg(h, M_APP_NAME);
	h_lit(h, " · ");
	h_msg(h, M_APP_TAGLINE);
	h_lit(h, "</p></footer>\n</body></html>\n");
}

void page_notice(struct html *h, int msg)
{
	h_lit(h, "<div class=\"notice\" role=\"status\">");
	h_msg(h, msg);
	h_lit(h, "</div>");
}

void page_error_summary(struct html *h, const char *const *field_names,
			const int *field_labels, const struct field_errors *errs)
{
	if (!errs || errs->n == 0)
		return;
	h_lit(h, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"errors\"><h2>");
	h_msg(h, M_FORM_HAS_ERRORS);
	h_lit(h, "</h2><ul>");
	for (size_t i = 0; i < errs->n; i++) {
		const struct field_error *e = &errs->e[i];
		h_lit(h, "<li>");
		if (e->field >= 0 && field_names) {
			h_lit(h, "<a");
			h_href(h, "#f-%s", field_names[e->field]);
			h_lit(h, ">");
			h_msg(h, field_labels[e->field]);
			h_lit(h, ": ");
			h_msg(h, e->msg);
			h_lit(h, "</a>");
		} else {
			h_msg(h, e->msg);
		}
		h_lit(h, "</li>");
	}
	h_lit(h, "</ul></div>");
}
