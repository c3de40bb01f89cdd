/* reminders.c - the daily "security-plan-review" job: the owner of a
 * system whose signed plan is due for review (its review date within
 * SECPLAN_DUE_DAYS, or passed) gets one message about it, once per review
 * date: the outbox's dedup key names the plan and the date, so the next
 * days send nothing, and a new review date is told again when it comes
 * near.  Owners without an account or an e-mail address are counted, not
 * mailed.
 *
 * Bounded: at most REVIEW_BATCH plans an organisation a run, the earliest
 * review date first (security_plan_review); the rest the next day. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "modules/secplans/secplans.h"
#include "web/letter.h"

#define REVIEW_BATCH 500

static const char sql_due[] =
	"SELECT p.id, p.title, p.review_on, pe.name, u.email, u.lang, u.disabled"
	" FROM security_plan p JOIN it_system s ON s.id = p.system_id AND s.archived = 0"
	" JOIN person pe ON pe.id = s.owner_id AND pe.archived = 0"
	" LEFT JOIN app_user u ON u.id = pe.user_id"
	" WHERE p.org_id = $1 AND p.latest = 1 AND p.archived = 0 AND p.state = 'signed'"
	" AND p.review_on <= $2 ORDER BY p.review_on, p.id LIMIT $3";

static const char *plan_url(struct ctx *cx, const char *base, const char *id)
{
	size_t n = base ? strlen(base) : 0;

	while (n && base[n - 1] == '/')
		n--;
	return arena_printf(cx->a, "%.*s/o/%s/security-plans/%s", (int)n, base ? base : "",
			    cx->org->slug, id);
}

/* One plan's message; 1 queued, 0 told before, -1 on error. */
static int tell(struct ctx *cx, const struct mail_config *mc, const struct db_rows *r, size_t i,
		struct db_error *err)
{
	int lang = lang_parse(db_cell(r, i, 5));
	const char *url = plan_url(cx, mc->base_url, db_cell(r, i, 0));
	struct outbox_msg m = { 0 };
	const char *hello = msg_fill(cx->a, msg_text(lang, M_SSP_MAIL_HELLO), "{name}",
				 db_cell(r, i, 3));
	const char *body = msg_fill(cx->a, msg_text(lang, M_SSP_MAIL_BODY), "{date}", db_cell(r, i, 2));

	m.to = db_cell(r, i, 4);
	m.subject = msg_fill(cx->a, msg_text(lang, M_SSP_MAIL_SUBJECT), "{title}", db_cell(r, i, 1));
	m.entity = sp_plans.name;
	m.entity_id = db_cell_i64(r, i, 0);
	m.dedup_key = arena_printf(cx->a, "security-plan-review:%s:%s", db_cell(r, i, 0),
				   db_cell(r, i, 2));
	return letter_send(cx, lang, &(struct letter){ .hello = hello, .body = body,
				    .title = db_cell(r, i, 1), .url = url,
				    .outro = msg_text(lang, M_SSP_MAIL_OUTRO) }, &m, err);
}

struct tally {
	int mailed, skipped;
};

static int remind_org(struct ctx *cx, const struct mail_config *mc, void *arg,
		      struct db_error *err)
{
	struct tally *t = arg;
	struct ctx then = *cx;
	struct db_rows r;
	int m = 0, s = 0;

	then.now += (int64_t)SECPLAN_DUE_DAYS * 86400;
	if (db_exec(cx->db, cx->a, sql_due,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(ctx_today(&then)), DB_INT(REVIEW_BATCH)),
		    &r, err) != 0)
		return -1;
	if (!r.nrows)
		return 0;
	if (db_begin(cx->db, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int k;
		if (!db_cell(&r, i, 4) || !*db_cell(&r, i, 4) || db_cell_i64(&r, i, 6) != 0) {
			s++;
			continue;
		}
		if ((k = tell(cx, mc, &r, i, err)) < 0) {
			db_rollback(cx->db);
			return -1;
		}
		m += k;
	}
	if (m && scheduler_note(cx, cx->org->id, arena_printf(cx->a, m == 1 ?
			"%d påminnelse om granskning av säkerhetsplan skickad" :
			"%d påminnelser om granskning av säkerhetsplaner skickade", m), err) != 0) {
		db_rollback(cx->db);
		return -1;
	}
	if (db_commit(cx->db, err) != 0)
		return -1;
	t->mailed += m;
	t->skipped += s;
	return 0;
}

int secplan_review_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		       struct db_error *err)
{
	struct tally t = { 0, 0 };

	(void)period_start;
	if (outbox_each_org(cx, remind_org, &t, err) != 0)
		return -1;
	buf_printf(summary, "%d påminnelser om granskning av säkerhetsplaner, %d systemägare"
		   " utan konto eller e-postadress", t.mailed, t.skipped);
	return 0;
}
