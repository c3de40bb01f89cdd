/* letter.c - a reminder's letter, text and HTML (letter.h). */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "web/html.h"
#include "web/letter.h"

int letter_send(struct ctx *cx, int lang, const struct letter *l, struct outbox_msg *m,
		struct db_error *err)
{
	struct buf text = BUF_INIT, hb = BUF_INIT;
	struct html h = { &hb, NULL };
	const char *footer = msg_text(lang, M_MAIL_FOOTER);
	int64_t id;

	buf_printf(&text, "%s\n\n%s\n\n%s\n%s\n\n", l->hello, l->body, l->title, l->url);
	if (l->outro)
		buf_printf(&text, "%s\n\n", l->outro);
	buf_printf(&text, "-- \n%s\n", footer);
	h_lit(&h, "<!doctype html><html><body><p>");
	h_text(&h, l->hello);
	h_lit(&h, "</p><p>");
	h_text(&h, l->body);
	h_lit(&h, "</p><p><a");
	h_attr(&h, "href", l->url);
	h_lit(&h, ">");
	h_text(&h, l->title);
	h_lit(&h, "</a></p>");
	if (l->outro) {
		h_lit(&h, "<p>");
		h_text(&h, l->outro);
		h_lit(&h, "</p>");
	}
	h_lit(&h, "<p><small>");
	h_text(&h, footer);
	h_lit(&h, "</small></p></body></html>");
	m->text = arena_strdup(cx->a, text.p);
	m->html = arena_strdup(cx->a, hb.p);
	buf_release(&text);
	buf_release(&hb);
	id = outbox_enqueue(cx, m, err);
	return id < 0 ? -1 : id > 0;
}
