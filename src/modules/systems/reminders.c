/* reminders.c - the review reminders (issue 8): the systems module's jobs.
 *
 * "review-reminders" (daily): information sets whose review date is
 * within 30 days or past.  Their information owner and the owners of the
 * systems that hold them get ONE message listing their items, in their
 * account's language, with links.  review_reminder remembers per person,
 * set, review date and stage (soon, overdue) what was told, so the next
 * day sends nothing unless something new is due or an item became
 * overdue.  People without an account or e-mail address are skipped and
 * counted.
 *
 * "review-summary" (weekly): each coordinator (organisation-wide role)
 * gets the organisation's whole list, with who owns what and how many
 * owners could not be reminded. */
#include "base/base.h"

#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/outbox.h"
#include "core/roles.h"
#include "core/scheduler.h"
#include "modules/systems/reminders.h"
#include "web/html.h"

/* the start page's "soon" (core/module.h): the same lists */
#define REVIEW_AHEAD_DAYS WAIT_SOON_DAYS

/* Who should hear about which set: its owner, and the owners of the live
 * systems that hold it.  Served by information_set_review. */
static const char sql_due[] =
	"SELECT x.infoset_id, i.name, i.review_on, x.person_id, p.name, u.email,"
	" u.lang, u.disabled FROM ("
	"  SELECT id AS infoset_id, owner_id AS person_id FROM information_set"
	"  WHERE org_id = $1 AND archived = 0 AND review_on <= $2 AND owner_id IS NOT NULL"
	" UNION"
	"  SELECT i2.id, s.owner_id FROM information_set i2"
	"  JOIN system_information l ON l.org_id = i2.org_id AND l.infoset_id = i2.id"
	"   AND l.archived = 0"
	"  JOIN it_system s ON s.id = l.system_id AND s.archived = 0"
	"  WHERE i2.org_id = $1 AND i2.archived = 0 AND i2.review_on <= $2"
	"   AND s.owner_id IS NOT NULL"
	" ) x JOIN information_set i ON i.id = x.infoset_id"
	" JOIN person p ON p.id = x.person_id AND p.archived = 0"
	" LEFT JOIN app_user u ON u.id = p.user_id"
	" ORDER BY x.person_id, i.review_on, i.id";

static const char sql_remember[] =
	"INSERT INTO review_reminder (org_id, person_id, infoset_id, review_on, stage,"
	" reminded_at) VALUES ($1, $2, $3, $4, $5, $6)"
	" ON CONFLICT DO NOTHING RETURNING id";

/* text with each "{key}" replaced by value */
static const char *fill(struct arena *a, const char *text, const char *key,
			const char *value)
{
	struct buf b = BUF_INIT;
	size_t kl = strlen(key);
	const char *p, *out;

	for (p = text; *p; p++) {
		if (*p == '{' && strncmp(p + 1, key, kl) == 0 && p[kl + 1] == '}') {
			buf_puts(&b, value);
			p += kl + 1;
		} else {
			buf_putc(&b, *p);
		}
	}
	out = arena_strdup(a, b.p);
	buf_release(&b);
	return out;
}

static const char *fill_n(struct arena *a, const char *text, int64_t n)
{
	return fill(a, text, "n", arena_printf(a, "%lld", (long long)n));
}

static const char *today_plus(struct ctx *cx, int days)
{
	char *s = clock_format_local(cx->a, cx->now + (int64_t)days * 86400);
	s[10] = '\0';
	return s;
}

/* The link to an information set: absolute with the configured base. */
static const char *infoset_url(struct ctx *cx, const char *base, int64_t id)
{
	size_t n = base ? strlen(base) : 0;

	while (n && base[n - 1] == '/')
		n--;
	return arena_printf(cx->a, "%.*s/o/%s/information/%lld", (int)n, base ? base : "",
			    cx->org->slug, (long long)id);
}

struct item {
	int64_t id;
	const char *name, *review_on, *url;
	int overdue, is_new;
	const char *owner;      /* the summary's */
};

/* One message listing items, in both bodies. */
static void compose(struct ctx *cx, int lang, const char *hello, const char *intro,
		    const struct item *it, size_t n, const char *outro,
		    struct buf *text, struct buf *html_b)
{
	struct html h = { html_b, NULL };

	buf_printf(text, "%s\n\n%s\n\n", hello, intro);
	h_lit(&h, "<!doctype html><html><body><p>");
	h_text(&h, hello);
	h_lit(&h, "</p><p>");
	h_text(&h, intro);
	h_lit(&h, "</p><ul>");
	for (size_t i = 0; i < n; i++) {
		const char *when = fill(cx->a, msg_text(lang, it[i].overdue ?
					M_MAIL_REVIEW_OVERDUE : M_MAIL_REVIEW_SOON),
					"date", it[i].review_on);
		buf_printf(text, "- %s: %s%s%s%s\n  %s\n", it[i].name, when,
			   it[i].is_new ? " (" : "",
			   it[i].is_new ? msg_text(lang, M_MAIL_REVIEW_NEW) : "",
			   it[i].is_new ? ")" : "", it[i].url);
		if (it[i].owner)
			buf_printf(text, "  %s\n", it[i].owner);
		h_lit(&h, "<li><a");
		h_attr(&h, "href", it[i].url);
		h_lit(&h, ">");
		h_text(&h, it[i].name);
		h_lit(&h, "</a>: ");
		h_text(&h, when);
		if (it[i].is_new) {
			h_lit(&h, " <strong>(");
			h_text(&h, msg_text(lang, M_MAIL_REVIEW_NEW));
			h_lit(&h, ")</strong>");
		}
		if (it[i].owner) {
			h_lit(&h, "<br>");
			h_text(&h, it[i].owner);
		}
		h_lit(&h, "</li>");
	}
	h_lit(&h, "</ul>");
	if (outro) {
		buf_printf(text, "\n%s\n", outro);
		h_lit(&h, "<p>");
		h_text(&h, outro);
		h_lit(&h, "</p>");
	}
	buf_printf(text, "\n-- \n%s\n", msg_text(lang, M_MAIL_FOOTER));
	h_lit(&h, "<p><small>");
	h_text(&h, msg_text(lang, M_MAIL_FOOTER));
	h_lit(&h, "</small></p></body></html>");
}

/* The person's reminder: rows [from, to) of r are theirs.  Remembers each
 * item and stage; mails only when one of them is new.  In a transaction
 * of its own.  1 mailed, 0 not, -1 on error. */
static int remind_person(struct ctx *cx, const struct mail_config *mc,
			 const struct db_rows *r, size_t from, size_t to,
			 const char *today, struct db_error *err)
{
	size_t n = to - from, fresh = 0;
	struct item *it = arena_alloc(cx->a, n * sizeof *it);
	int64_t person = db_cell_i64(r, from, 3);
	int lang = lang_parse(db_cell(r, from, 6));
	struct buf text = BUF_INIT, html_b = BUF_INIT;
	struct outbox_msg m = { 0 };
	struct db_rows ins;
	int64_t id;

	if (db_begin(cx->db, err) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t row = from + i;
		it[i].id = db_cell_i64(r, row, 0);
		it[i].name = db_cell(r, row, 1);
		it[i].review_on = db_cell(r, row, 2);
		it[i].overdue = strcmp(it[i].review_on, today) < 0;
		it[i].url = infoset_url(cx, mc->base_url, it[i].id);
		if (db_exec(cx->db, cx->a, sql_remember,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(person), DB_INT(it[i].id),
				    DB_TEXT(it[i].review_on),
				    DB_TEXT(it[i].overdue ? "overdue" : "soon"), DB_INT(cx->now)),
			    &ins, err) != 0)
			goto fail;
		it[i].is_new = ins.nrows > 0;
		fresh += it[i].is_new;
	}
	if (!fresh)
		return db_commit(cx->db, err) == 0 ? 0 : -1;
	compose(cx, lang,
		fill(cx->a, msg_text(lang, M_MAIL_REVIEW_HELLO), "name", db_cell(r, from, 4)),
		msg_text(lang, M_MAIL_REVIEW_INTRO), it, n,
		msg_text(lang, M_MAIL_REVIEW_OUTRO), &text, &html_b);
	m.to = db_cell(r, from, 5);
	m.subject = fill(cx->a, msg_text(lang, M_MAIL_REVIEW_SUBJECT), "org", cx->org->name);
	m.text = arena_strdup(cx->a, text.p);
	m.html = arena_strdup(cx->a, html_b.p);
	m.entity = "people";
	m.entity_id = person;
	m.dedup_key = arena_printf(cx->a, "review:%lld:%s", (long long)person, today);
	buf_release(&text);
	buf_release(&html_b);
	if ((id = outbox_enqueue(cx, &m, err)) < 0)
		goto fail;
	if (id == 0) {
		/* already mailed today (a retry after something new became
		 * due): remember nothing, so tomorrow's message tells it */
		db_rollback(cx->db);
		return 0;
	}
	return db_commit(cx->db, err) == 0 ? 1 : -1;
fail:
	buf_release(&text);
	buf_release(&html_b);
	db_rollback(cx->db);
	return -1;
}

/* An account that can be mailed: one with an address, not disabled. */
static int mailable(const struct db_rows *r, size_t row)
{
	return db_cell(r, row, 5) && *db_cell(r, row, 5) && db_cell_i64(r, row, 7) == 0;
}

struct tally {
	int mailed, skipped, items;
};

static int remind_org(struct ctx *cx, const struct mail_config *mc, void *arg,
		      struct db_error *err)
{
	struct tally *t = arg;
	struct db_rows r;
	const char *today = ctx_today(cx);
	size_t i = 0;
	int mailed = t->mailed, skipped = t->skipped;

	if (db_exec(cx->db, cx->a, sql_due,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(today_plus(cx, REVIEW_AHEAD_DAYS))),
		    &r, err) != 0)
		return -1;
	while (i < r.nrows) {
		size_t j = i;
		while (j < r.nrows && db_cell_i64(&r, j, 3) == db_cell_i64(&r, i, 3))
			j++;
		if (!mailable(&r, i)) {
			t->skipped++;
		} else {
			int k = remind_person(cx, mc, &r, i, j, today, err);
			if (k < 0)
				return -1;
			t->mailed += k;
		}
		i = j;
	}
	/* what the organisation's administrators see on the jobs page */
	if (t->mailed > mailed || t->skipped > skipped)
		return scheduler_note(cx, cx->org->id, arena_printf(cx->a,
			t->mailed - mailed == 1
			? "%d påminnelse om omprövning skickad, %d ägare utan konto eller"
			  " e-postadress"
			: "%d påminnelser om omprövning skickade, %d ägare utan konto eller"
			  " e-postadress", t->mailed - mailed, t->skipped - skipped), err);
	return 0;
}

int review_reminders_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			 struct db_error *err)
{
	struct tally t = { 0 };

	(void)period_start;
	if (outbox_each_org(cx, remind_org, &t, err) != 0)
		return -1;
	buf_printf(summary, "%d påminnelser skickade, %d personer utan konto eller"
		   " e-postadress", t.mailed, t.skipped);
	return 0;
}

/* ---- the coordinators' weekly summary ---- */

static const char sql_org_due[] =
	"SELECT i.id, i.name, i.review_on, p.name FROM information_set i"
	" LEFT JOIN person p ON p.id = i.owner_id"
	" WHERE i.org_id = $1 AND i.archived = 0 AND i.review_on <= $2"
	" ORDER BY i.review_on, i.id LIMIT 501";
#define SUMMARY_MAX 500 /* listed; past it the message says "fler än 500" */
static const char sql_coordinators[] =
	"SELECT DISTINCT p.id, p.name, u.email, u.lang FROM role_assignment ra"
	" JOIN person p ON p.id = ra.person_id AND p.archived = 0"
	" JOIN app_user u ON u.id = p.user_id AND u.disabled = 0"
	" WHERE ra.org_id = $1 AND ra.role = $2 AND ra.unit_id IS NULL"
	" AND ra.archived = 0 ORDER BY p.id";

static int summary_org(struct ctx *cx, const struct mail_config *mc, void *arg,
		       struct db_error *err)
{
	struct tally *t = arg, owners = { 0 };
	struct db_rows due, co;
	const char *today = ctx_today(cx);
	struct item *it;
	size_t shown;

	if (db_exec(cx->db, cx->a, sql_org_due,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(today_plus(cx, REVIEW_AHEAD_DAYS))),
		    &due, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_coordinators,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(role_code(ROLE_COORDINATOR))),
		    &co, err) != 0)
		return -1;
	if (!co.nrows)
		return 0;
	/* how many owners the daily job cannot reach */
	{
		struct db_rows r;
		size_t i = 0;
		if (db_exec(cx->db, cx->a, sql_due,
			    DB_ARGS(DB_INT(cx->org->id),
				    DB_TEXT(today_plus(cx, REVIEW_AHEAD_DAYS))),
			    &r, err) != 0)
			return -1;
		while (i < r.nrows) {
			size_t j = i;
			while (j < r.nrows && db_cell_i64(&r, j, 3) == db_cell_i64(&r, i, 3))
				j++;
			owners.skipped += !mailable(&r, i);
			i = j;
		}
	}
	/* an organisation with nothing to say is not mailed every week */
	if (!due.nrows && !owners.skipped)
		return 0;
	shown = due.nrows > SUMMARY_MAX ? SUMMARY_MAX : due.nrows;
	it = arena_alloc(cx->a, (shown + 1) * sizeof *it);
	for (size_t c = 0; c < co.nrows; c++) {
		int lang = lang_parse(db_cell(&co, c, 3));
		struct buf text = BUF_INIT, html_b = BUF_INIT;
		struct outbox_msg m = { 0 };
		const char *intro, *outro;

		for (size_t i = 0; i < shown; i++) {
			it[i].id = db_cell_i64(&due, i, 0);
			it[i].name = db_cell(&due, i, 1);
			it[i].review_on = db_cell(&due, i, 2);
			it[i].overdue = strcmp(it[i].review_on, today) < 0;
			it[i].url = infoset_url(cx, mc->base_url, it[i].id);
			it[i].is_new = 0;
			it[i].owner = db_cell(&due, i, 3)
				? fill(cx->a, msg_text(lang, M_MAIL_SUMMARY_OWNER), "owner",
				       db_cell(&due, i, 3))
				: msg_text(lang, M_MAIL_SUMMARY_NO_OWNER);
		}
		intro = due.nrows
			? fill(cx->a, fill(cx->a, msg_text(lang, M_MAIL_SUMMARY_INTRO), "org",
					   cx->org->name), "n", due.nrows > SUMMARY_MAX
				? fill_n(cx->a, msg_text(lang, M_MORE_THAN), SUMMARY_MAX)
				: arena_printf(cx->a, "%d", (int)due.nrows))
			: msg_text(lang, M_MAIL_SUMMARY_NONE);
		outro = fill_n(cx->a, msg_text(lang, M_MAIL_SUMMARY_SKIPPED), owners.skipped);
		compose(cx, lang, fill(cx->a, msg_text(lang, M_MAIL_REVIEW_HELLO), "name",
				       db_cell(&co, c, 1)),
			intro, it, shown, outro, &text, &html_b);
		m.to = db_cell(&co, c, 2);
		m.subject = fill(cx->a, msg_text(lang, M_MAIL_SUMMARY_SUBJECT), "org",
				 cx->org->name);
		m.text = arena_strdup(cx->a, text.p);
		m.html = arena_strdup(cx->a, html_b.p);
		m.entity = "people";
		m.entity_id = db_cell_i64(&co, c, 0);
		m.dedup_key = arena_printf(cx->a, "review-summary:%lld:%s",
					   (long long)m.entity_id, today);
		buf_release(&text);
		buf_release(&html_b);
		if (outbox_enqueue(cx, &m, err) < 0)
			return -1;
		t->mailed++;
	}
	t->items += (int)shown;
	t->skipped += owners.skipped;
	return scheduler_note(cx, cx->org->id, arena_printf(cx->a,
		"Sammanfattning till %d samordnare: %d informationsmängder att ompröva",
		(int)co.nrows, (int)due.nrows), err);
}

int review_summary_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		       struct db_error *err)
{
	struct tally t = { 0 };

	(void)period_start;
	if (outbox_each_org(cx, summary_org, &t, err) != 0)
		return -1;
	buf_printf(summary, "%d sammanställningar till samordnare (%d informationsmängder,"
		   " %d personer utan konto eller e-postadress)", t.mailed, t.items, t.skipped);
	return 0;
}
