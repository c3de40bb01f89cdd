/* pages_outbox.c - /o/{org}/outbox: the organisation's e-mail as its
 * administrators see it (issue 8): each message's state (I kö, Skickat,
 * Misslyckat with the server's answer), attempts, next attempt, the record
 * it concerns, and "Skicka igen" for a failed one; whether mail is
 * configured (server and sender, never the password) and how to configure
 * it.  Newest first, a page at a time by id (keyset, no count). */
#include "base/base.h"

#include <string.h>

#include "base/arena.h"
#include "base/clock.h"
#include "core/entity.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/outbox.h"
#include "core/roles.h"
#include "db/db.h"
#include "web/app.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"

#define OUTBOX_PAGE 50

static const char sql_page[] =
	"SELECT id, to_addr, subject, state, attempts, next_attempt_at, last_error,"
	" entity, entity_id, created_at, sent_at FROM outbox"
	" WHERE org_id = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3";

static void config_card(struct req *q, struct html *h)
{
	struct mail_config mc;
	struct db_error err;

	if (outbox_config_load(&q->cx, &mc, 0, &err) != 0) {
		req_fail(q, "mail config", &err);
		return;
	}
	part_card_begin(h, "h-mail-config", M_OUTBOX_CONFIG);
	part_dl_begin(h);
	part_dl_item_begin(h, M_OUTBOX_STATUS);
	h_msg(h, mc.enabled && mc.host && mc.from_addr ? M_OUTBOX_ON : M_OUTBOX_OFF);
	part_dl_item_end(h);
	part_dl_item(h, M_OUTBOX_HOST, mc.host ? arena_printf(q->cx.a, "%s:%d (%s)", mc.host,
							       mc.port, mc.security)
		     : msg_text(q->cx.lang, M_OUTBOX_NOT_SET));
	part_dl_item(h, M_OUTBOX_FROM, mc.from_addr ? mc.from_addr
		     : msg_text(q->cx.lang, M_OUTBOX_NOT_SET));
	part_dl_end(h);
	h_lit(h, "<p>");
	h_msg(h, M_OUTBOX_HOWTO);
	h_lit(h, "</p><pre><code>varn mail config --host smtp.kommun.se --port 587"
	      " --security starttls --user varn --password-file /etc/varn/smtp-password"
	      " --from varn@kommun.se --from-name Värn --base-url https://varn.kommun.se"
	      "</code></pre>");
	part_section_end(h);
}

static int state_msg(const char *s, const char **kind)
{
	*kind = NULL;
	if (strcmp(s, "sent") == 0)
		return M_OUTBOX_SENT;
	if (strcmp(s, "failed") == 0) {
		*kind = "critical";
		return M_OUTBOX_FAILED;
	}
	if (strcmp(s, "sending") == 0)
		return M_OUTBOX_SENDING;
	return M_OUTBOX_QUEUED;
}

/* The titles of the records rows [0, n) concern (column 7 the register,
 * 8 the id), by register in batches of ENTITY_TITLES_MAX: titles[i] for
 * row i, NULL when none may be shown. */
static const char **concerned_titles(struct req *q, const struct db_rows *rows, size_t n)
{
	const char **titles = arena_alloc(q->cx.a, (n + 1) * sizeof(*titles));
	const struct entity *const *es = module_entities();

	memset(titles, 0, (n + 1) * sizeof(*titles));
	for (size_t k = 0; es[k]; k++) {
		int64_t ids[ENTITY_TITLES_MAX];
		size_t at[ENTITY_TITLES_MAX], m = 0;
		const char *got[ENTITY_TITLES_MAX];
		struct db_error err;

		for (size_t i = 0; i <= n; i++) {
			int last = i == n;
			if (!last && db_cell(rows, i, 7) && db_cell_i64(rows, i, 8) &&
			    strcmp(db_cell(rows, i, 7), es[k]->name) == 0) {
				ids[m] = db_cell_i64(rows, i, 8);
				at[m++] = i;
			}
			if (m && (m == ENTITY_TITLES_MAX || last)) {
				if (entity_titles(&q->cx, es[k], ids, m, got, &err) != 0) {
					log_error("outbox titles: %s", err.msg);
					return titles;
				}
				for (size_t j = 0; j < m; j++)
					titles[at[j]] = got[j];
				m = 0;
			}
		}
	}
	return titles;
}

/* The record a message concerns: its title linked to it, or the
 * register and id when its title may not be shown. */
static void concerns(struct req *q, struct html *h, const char *entity, int64_t id,
		     const char *title)
{
	const struct entity *const *es = module_entities();

	if (!entity || !id) {
		h_lit(h, "–");
		return;
	}
	for (size_t i = 0; es[i]; i++)
		if (strcmp(es[i]->name, entity) == 0) {
			part_link(h, title ? title : arena_printf(q->cx.a, "%s %lld",
						  audit_entity_label(q, entity), (long long)id),
				  "/o/%s/%s/%lld", q->cx.org->slug, entity, (long long)id);
			return;
		}
	h_text(h, entity);
}

static void outbox_page(struct req *q, struct resp *r)
{
	struct html h;
	struct db_rows rows;
	struct db_error err;
	int64_t before = req_int(q, "before", 0, INT64_MAX, 0);
	const char **titles;
	size_t n;

	if (db_exec(q->cx.db, q->cx.a, sql_page,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(before), DB_INT(OUTBOX_PAGE + 1)),
		    &rows, &err) != 0) {
		log_error("outbox page: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	page_begin(q, r, &h, M_OUTBOX_TITLE);
	h_lit(&h, "<p>");
	h_msg(&h, M_OUTBOX_INTRO);
	h_lit(&h, "</p>");
	config_card(q, &h);
	n = rows.nrows > OUTBOX_PAGE ? OUTBOX_PAGE : rows.nrows;
	titles = concerned_titles(q, &rows, n);
	part_section_begin(&h, "h-outbox", M_OUTBOX_MESSAGES);
	if (!n) {
		part_empty(&h, M_OUTBOX_EMPTY);
	} else {
		part_table_begin(&h, 0, "h-outbox");
		part_th(&h, M_OUTBOX_CREATED);
		part_th(&h, M_OUTBOX_TO);
		part_th(&h, M_OUTBOX_SUBJECT);
		part_th(&h, M_OUTBOX_STATE);
		part_th(&h, M_OUTBOX_ATTEMPTS);
		part_th(&h, M_OUTBOX_NEXT);
		part_th(&h, M_OUTBOX_CONCERNS);
		part_table_body(&h);
		for (size_t i = 0; i < n; i++) {
			const char *state = db_cell(&rows, i, 3), *kind = NULL;
			const char *answer = db_cell(&rows, i, 6);
			int64_t id = db_cell_i64(&rows, i, 0);

			part_tr(&h);
			part_td(&h, clock_format_local(q->cx.a, db_cell_i64(&rows, i, 9)));
			part_td(&h, db_cell(&rows, i, 1));
			part_td(&h, db_cell(&rows, i, 2));
			part_td_begin(&h);
			part_badge(&h, state_msg(state, &kind), kind);
			if (answer && *answer) {
				h_lit(&h, "<br><span class=\"hint\">");
				h_msg(&h, M_OUTBOX_ANSWER);
				h_lit(&h, " ");
				h_text(&h, answer);
				h_lit(&h, "</span>");
			}
			if (strcmp(state, "failed") == 0)
				part_post_button(&h, &(struct part_post){ .label = M_OUTBOX_RESEND },
						 "/o/%s/outbox/%lld/resend", q->cx.org->slug,
						 (long long)id);
			part_td_end(&h);
			part_td(&h, db_cell(&rows, i, 4));
			part_td(&h, strcmp(state, "queued") == 0
				? clock_format_local(q->cx.a, db_cell_i64(&rows, i, 5)) : "–");
			part_td_begin(&h);
			concerns(q, &h, db_cell(&rows, i, 7), db_cell_i64(&rows, i, 8), titles[i]);
			part_td_end(&h);
			part_tr_end(&h);
		}
		part_table_end(&h);
		if (rows.nrows > OUTBOX_PAGE) {
			h_lit(&h, "<p>");
			part_link(&h, msg_text(q->cx.lang, M_OUTBOX_OLDER), "/o/%s/outbox?before=%lld",
				  q->cx.org->slug, (long long)db_cell_i64(&rows, n - 1, 0));
			h_lit(&h, "</p>");
		}
	}
	part_section_end(&h);
	page_end(q, r, &h);
}

static void resend_action(struct req *q, struct resp *r)
{
	struct db_error err;
	int k;

	if (db_begin(q->cx.db, &err) != 0) {
		respond_error(q, r, 503);
		return;
	}
	k = outbox_resend(&q->cx, q->cx.org->id, req_id(q), &err);
	if (k < 0 || db_commit(q->cx.db, &err) != 0) {
		if (db_in_transaction(q->cx.db))
			db_rollback(q->cx.db);
		log_error("outbox resend: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	if (k == 0) {
		respond_error(q, r, 404);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/outbox", q->cx.org->slug));
}

static const struct param page_params[] = {
	{ "before", P_STR, 20 }, { NULL, 0, 0 },
};
static const struct param resend_params[] = {
	{ "csrf", P_STR, 128 }, { NULL, 0, 0 },
};

const struct route outbox_routes[] = {
	{ "GET", "/o/{org}/outbox", outbox_page, RB(ROLE_ADMIN), 0, 0, page_params, NULL },
	{ "POST", "/o/{org}/outbox/{id}/resend", resend_action, RB(ROLE_ADMIN), 0, 8 * 1024,
	  resend_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
