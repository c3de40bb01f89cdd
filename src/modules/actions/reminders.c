/* reminders.c - the daily "activity-overdue" job: the responsible person
 * of an activity that has become overdue (its end passed, neither done nor
 * cancelled, its plan not closed) gets one message about it, once: the
 * outbox's dedup key names the activity and its end date, so the next
 * days send nothing, and a new end date that passes again is told again.
 * People without an account or an e-mail address are counted, not mailed.
 *
 * Bounded: at most OVERDUE_BATCH activities an organisation a run, oldest
 * end first (activity_open_end); what is left is told the next day. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "web/letter.h"

#define OVERDUE_BATCH 500

static const char sql_overdue[] =
	"SELECT a.id, a.title, a.end_on, p.title, pe.name, u.email, u.lang, u.disabled"
	" FROM activity a JOIN action_plan p ON p.id = a.plan_id AND p.archived = 0"
	"  AND p.state <> 'closed'"
	" JOIN person pe ON pe.id = a.responsible_id AND pe.archived = 0"
	" LEFT JOIN app_user u ON u.id = pe.user_id"
	" WHERE a.org_id = $1 AND a.archived = 0 AND a.status IN ('planned', 'ongoing')"
	" AND a.end_on < $2 ORDER BY a.end_on, a.id LIMIT $3";

static const char *activity_url(struct ctx *cx, const char *base, const char *id)
{
	size_t n = base ? strlen(base) : 0;

	while (n && base[n - 1] == '/')
		n--;
	return arena_printf(cx->a, "%.*s/o/%s/activities/%s", (int)n, base ? base : "",
			    cx->org->slug, id);
}

/* One activity's message; 1 queued, 0 told before, -1 on error. */
static int tell(struct ctx *cx, const struct mail_config *mc, const struct db_rows *r, size_t i,
		struct db_error *err)
{
	int lang = lang_parse(db_cell(r, i, 6));
	const char *url = activity_url(cx, mc->base_url, db_cell(r, i, 0));
	struct outbox_msg m = { 0 };
	const char *hello = msg_fill(cx->a, msg_text(lang, M_AP_MAIL_HELLO), "{name}", db_cell(r, i, 4));
	const char *body = msg_fill(cx->a, msg_fill(cx->a, msg_text(lang, M_AP_MAIL_BODY), "{date}",
					   db_cell(r, i, 2)), "{plan}", db_cell(r, i, 3));

	m.to = db_cell(r, i, 5);
	m.subject = msg_fill(cx->a, msg_text(lang, M_AP_MAIL_SUBJECT), "{title}", db_cell(r, i, 1));
	m.entity = "activities";
	m.entity_id = db_cell_i64(r, i, 0);
	m.dedup_key = arena_printf(cx->a, "activity-overdue:%s:%s", db_cell(r, i, 0),
				   db_cell(r, i, 2));
	return letter_send(cx, lang, &(struct letter){ .hello = hello, .body = body,
				    .title = db_cell(r, i, 1), .url = url,
				    .outro = msg_text(lang, M_AP_MAIL_OUTRO) }, &m, err);
}

struct tally {
	int mailed, skipped;
};

static int remind_org(struct ctx *cx, const struct mail_config *mc, void *arg,
		      struct db_error *err)
{
	struct tally *t = arg;
	struct db_rows r;
	int m = 0, s = 0;

	if (db_exec(cx->db, cx->a, sql_overdue,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(ctx_today(cx)), DB_INT(OVERDUE_BATCH)), &r,
		    err) != 0)
		return -1;
	if (!r.nrows)
		return 0;
	if (db_begin(cx->db, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int k;
		if (!db_cell(&r, i, 5) || !*db_cell(&r, i, 5) || db_cell_i64(&r, i, 7) != 0) {
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
			"%d påminnelse om försenad åtgärd skickad" :
			"%d påminnelser om försenade åtgärder skickade", m), err) != 0) {
		db_rollback(cx->db);
		return -1;
	}
	if (db_commit(cx->db, err) != 0)
		return -1;
	t->mailed += m;
	t->skipped += s;
	return 0;
}

int activity_overdue_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			 struct db_error *err)
{
	struct tally t = { 0, 0 };

	(void)period_start;
	if (outbox_each_org(cx, remind_org, &t, err) != 0)
		return -1;
	buf_printf(summary, "%d påminnelser om försenade åtgärder, %d ansvariga utan konto"
		   " eller e-postadress", t.mailed, t.skipped);
	return 0;
}
