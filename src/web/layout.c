/* layout.c - the page shell and the error page (layout.h). */
#include "base/base.h"

#include <pthread.h>

#include "core/auth.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/roles.h"
#include "core/i18n.h"
#include "core/ctx.h"
#include "base/clock.h"
#include "db/db.h"
#include "parse/cookie.h"
#include "web/app.h"
#include "web/layout.h"

/* ---- the main menu ---- */

/* The foundation's own entries; the modules bring theirs. */
static const struct menu_item core_menu[] = {
	{ M_HOME, "/", ROLES_ANY, 0 },
	{ M_OV_MENU, "/overview", ROLES_OVERVIEW, 5 },
	{ M_RP_MENU, "/management-report", ROLES_OVERVIEW, 6 },
	{ M_MENU_AUDIT, "/audit", ROLES_REGISTER_ADMIN, 900 },
	{ M_JOBS_TITLE, "/jobs", ROLES_REGISTER_ADMIN, 910 },
	{ 0, NULL, 0, 0 },
};

static const struct menu_item **menu, **actions;
static size_t nmenu, nactions;
static pthread_once_t menu_once = PTHREAD_ONCE_INIT;

static void add_menu(const struct menu_item ***list, size_t *n, const struct menu_item *m)
{
	for (; m && m->label; m++) {
		size_t i = (*n)++;
		*list = xrealloc(*list, *n * sizeof(**list));
		/* insertion by order; equal orders keep the modules' order */
		while (i > 0 && (*list)[i - 1]->order > m->order) {
			(*list)[i] = (*list)[i - 1];
			i--;
		}
		(*list)[i] = m;
	}
}

/* Gathered once, on the first page; lives for the whole process. */
static void gather_menu(void)
{
	add_menu(&menu, &nmenu, core_menu);
	for (size_t m = 0; modules[m]; m++) {
		add_menu(&menu, &nmenu, modules[m]->menu);
		add_menu(&actions, &nactions, modules[m]->header_actions);
	}
}

/* The modules' prominent actions (struct module header_actions) as links
 * that look like buttons, before the account's name. */
static void header_actions(struct req *q, struct html *h)
{
	int any = 0;

	pthread_once(&menu_once, gather_menu);
	for (size_t i = 0; i < nactions; i++) {
		const struct menu_item *m = actions[i];
		if (!(m->roles & q->cx.org->roles))
			continue;
		if (!any)
			h_lit(h, "<div class=\"header-actions\">");
		any = 1;
		h_lit(h, "<a class=\"button header-action\" href=\"");
		h_url(h, "/o/%s", q->cx.org->slug);
		h_text(h, m->path);
		h_lit(h, "\">");
		h_msg(h, m->label);
		h_lit(h, "</a>");
	}
	if (any)
		h_lit(h, "</div>");
}

static int menu_is_current(const struct req *q, const struct menu_item *m)
{
	/* /o/{slug}/units... is current for "/units"; "/" only for the start */
	const char *rest = q->path + 3 + strlen(q->cx.org->slug);
	size_t n = strlen(m->path);

	if (strcmp(m->path, "/") == 0)
		return strcmp(rest, "/") == 0 || *rest == 0;
	return strncmp(rest, m->path, n) == 0 && (rest[n] == 0 || rest[n] == '/' ||
						  rest[n] == '.');
}

/* ---- the shell ---- */

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

/* For people with several organisations: a list of links to the others'
 * start pages, folded in a <details> (no JavaScript).  One query of the
 * person's own organisations (app_user_orgs), bounded by them. */
static void org_switcher(struct req *q, struct html *h)
{
	size_t n = 0;
	struct org_ctx *orgs = app_user_orgs(q, &n);

	if (n < 2)
		return;
	h_lit(h, "<details class=\"org-switch\"><summary>");
	h_msg(h, M_ORG_SWITCH);
	h_lit(h, "</summary><ul>");
	for (size_t i = 0; i < n; i++) {
		h_lit(h, "<li><a");
		h_href(h, "/o/%s/", orgs[i].slug);
		if (orgs[i].id == q->cx.org->id)
			h_lit(h, " aria-current=\"true\"");
		h_lit(h, ">");
		h_text(h, orgs[i].name);
		h_lit(h, "</a></li>");
	}
	h_lit(h, "</ul></details>");
}

static void header_bar(struct req *q, struct html *h)
{
	h_lit(h, "<header class=\"top\"><div class=\"bar\">"
		 "<a class=\"brand\" href=\"/\"><span class=\"logo\" aria-hidden=\"true\"></span>Värn</a>");
	if (q->cx.org) {
		h_lit(h, "<span class=\"org\">");
		h_text(h, q->cx.org->name);
		h_lit(h, "</span>");
		if (q->sess && !q->sess->stage_totp)
			org_switcher(q, h);
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
	if (q->cx.org && q->sess && !q->sess->stage_totp)
		header_actions(q, h);
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
		pthread_once(&menu_once, gather_menu);
		for (size_t i = 0; i < nmenu; i++) {
			const struct menu_item *m = menu[i];
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

/* ---- the word after a write that went back to another page ----
 *
 * FLASH_COOKIE holds "<register>.<id>" of the record just added; the next
 * page of the organisation names it once and clears the cookie.  The
 * record is read as any other (organisation, read scope, privacy). */
#define FLASH_COOKIE "varn_flash"
/* how long the message waits for the next page (the cookie's Max-Age) */
#define FLASH_SECONDS 120
#define FLASH_MAX_AGE "120"

static void flash_cookie(struct req *q, struct resp *r, const char *value, const char *age)
{
	resp_header(r, "Set-Cookie",
		    arena_printf(q->cx.a, "%s=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%s%s",
				 FLASH_COOKIE, value, age, auth_cfg.cookie_secure ? "; Secure" : ""));
}

void page_flash(struct req *q, struct resp *r, const char *entity, int64_t id)
{
	flash_cookie(q, r, arena_printf(q->cx.a, "%s.%lld", entity, (long long)id),
		     FLASH_MAX_AGE);
}

static void flash_show(struct req *q, struct resp *r, struct html *h)
{
	const char *c = q->sess ? cookie_get(q->cx.a, q->h_cookie, FLASH_COOKIE) : NULL;
	const char *dot = c ? strrchr(c, '.') : NULL;
	const struct entity *e;
	struct record rec;
	struct db_error err;
	int64_t id;
	int first = 1;

	if (!dot || !q->cx.org)
		return;
	flash_cookie(q, r, "", "0"); /* once */
	e = entity_by_name(arena_strndup(q->cx.a, c, (size_t)(dot - c)));
	/* the cookie is the browser's to send: it names only what the person
	 * may read, made in the last minutes (what they just added) */
	if (!e || !(q->cx.org->roles & e->roles_read) || parse_i64(dot + 1, &id) != 0 ||
	    entity_get(&q->cx, e, id, &rec, &err) != 0 || !entity_may(&q->cx, e, &rec, OP_READ) ||
	    rec.created_at < q->cx.now - FLASH_SECONDS)
		return;
	h_lit(h, "<div class=\"notice\" role=\"status\"><p>");
	h_msg(h, e->label_one);
	h_lit(h, " ");
	h_msg(h, M_FLASH_ADDED);
	h_lit(h, ": ");
	/* what it links: its references' names ("Procapita – Lifecare") */
	for (size_t i = 0; i < e->nfields; i++) {
		const char *t = e->fields[i].type == F_REF ? entity_display(&q->cx, e, &rec, i) : NULL;
		if (!t || !*t)
			continue;
		if (!first)
			h_lit(h, " – ");
		h_text(h, t);
		first = 0;
	}
	if (first)
		h_text(h, entity_title(e, &rec));
	h_lit(h, "</p></div>");
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
	/* on paper only: what this is, whose, and when it was printed */
	h_lit(h, "<div class=\"print-head\" aria-hidden=\"true\">");
	if (q->cx.org) {
		h_text(h, q->cx.org->name);
		h_lit(h, " · ");
	}
	h_text(h, title);
	h_lit(h, " · ");
	h_msg(h, M_PRINTED);
	h_lit(h, " ");
	h_text(h, clock_format_local(q->cx.a, q->cx.now ? q->cx.now : clock_now()));
	h_lit(h, "</div>");
	h_lit(h, "<main id=\"main\" tabindex=\"-1\"><h1>");
	h_text(h, title);
	h_lit(h, "</h1>\n");
	flash_show(q, r, h);
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
	h_lit(h, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus id=\"errors\"><h2>");
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

/* ---- the error page ---- */

static const struct {
	int status, title, text;
} error_texts[] = {
	{ 400, M_ERR_400_TITLE, M_ERR_400_TEXT },
	{ 401, M_ERR_403_TITLE, M_ERR_403_TEXT },
	{ 403, M_ERR_403_TITLE, M_ERR_403_TEXT },
	{ 404, M_ERR_404_TITLE, M_ERR_404_TEXT },
	{ 405, M_ERR_405_TITLE, M_ERR_405_TEXT },
	{ 413, M_ERR_413_TITLE, M_ERR_413_TEXT },
	{ 500, M_ERR_500_TITLE, M_ERR_500_TEXT },
	{ 503, M_ERR_503_TITLE, M_ERR_503_TEXT },
};

void page_respond_error(struct req *q, struct resp *r, int status)
{
	struct html h;
	int title = M_ERR_500_TITLE, text = M_ERR_500_TEXT;

	for (size_t i = 0; i < ARRAY_SIZE(error_texts); i++)
		if (error_texts[i].status == status) {
			title = error_texts[i].title;
			text = error_texts[i].text;
		}
	page_begin(q, r, &h, title);
	r->status = status;
	h_lit(&h, "<p>");
	h_msg(&h, status == 403 && q->csrf_refused ? M_ERR_CSRF : text);
	h_lit(&h, "</p><p><a href=\"/\">");
	h_msg(&h, M_BACK_HOME);
	h_lit(&h, "</a></p>");
	page_end(q, r, &h);
	if (status == 405)
		resp_header(r, "Allow", "GET, POST");
}
