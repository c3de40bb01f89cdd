/* reminders.c - the daily "follow-up-reminders" job (R-15-01): the
 * responsible person of a follow-up or an annual goal due within
 * REMIND_DAYS days gets one message, and one more once it is overdue; the
 * outbox's dedup key names the record, its day and the stage, so the next
 * days send nothing and a new day is told again.  People without an
 * account or an e-mail address are counted, not mailed.
 *
 * Bounded: at most BATCH records of each register an organisation a run,
 * oldest day first (follow_up_due, annual_goal_due: partial indexes of
 * the open ones); what is left is told the next day. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "modules/followup/followup.h"
#include "web/letter.h"

#define BATCH 500

static const char sql_followups[] =
	"SELECT f.id, f.title, f.planned_on, pe.name, u.email, u.lang, u.disabled"
	" FROM follow_up f JOIN person pe ON pe.id = f.responsible_id AND pe.archived = 0"
	" LEFT JOIN app_user u ON u.id = pe.user_id"
	" WHERE f.org_id = $1 AND f.archived = 0 AND f.state IN ('planned', 'ongoing')"
	" AND f.planned_on < $2 ORDER BY f.planned_on, f.id LIMIT $3";
static const char sql_goals[] =
	"SELECT g.id, g.title, g.follow_up_on, pe.name, u.email, u.lang, u.disabled"
	" FROM annual_goal g JOIN person pe ON pe.id = g.responsible_id AND pe.archived = 0"
	" LEFT JOIN app_user u ON u.id = pe.user_id"
	" WHERE g.org_id = $1 AND g.archived = 0 AND g.state IN ('proposed', 'decided')"
	" AND g.follow_up_on < $2 ORDER BY g.follow_up_on, g.id LIMIT $3";

struct kind {
	const char *sql, *entity, *path;
};
static const struct kind kinds[] = {
	{ sql_followups, "follow-ups", "follow-ups" },
	{ sql_goals, "annual-goals", "annual-goals" },
};

static int tell(struct ctx *cx, const struct mail_config *mc, const struct kind *k,
		const struct db_rows *r, size_t i, int late, struct db_error *err)
{
	int lang = lang_parse(db_cell(r, i, 5));
	const char *base = mc->base_url ? mc->base_url : "";
	size_t bn = strlen(base);
	const char *url, *hello, *body;
	struct outbox_msg m = { 0 };

	while (bn && base[bn - 1] == '/')
		bn--;
	url = arena_printf(cx->a, "%.*s/o/%s/%s/%s", (int)bn, base, cx->org->slug, k->path,
			   db_cell(r, i, 0));
	hello = msg_fill(cx->a, msg_text(lang, M_FU_MAIL_HELLO), "{name}", db_cell(r, i, 3));
	body = msg_fill(cx->a, msg_text(lang, late ? M_FU_MAIL_LATE : M_FU_MAIL_SOON), "{date}",
			db_cell(r, i, 2));
	m.to = db_cell(r, i, 4);
	m.subject = msg_fill(cx->a, msg_text(lang, late ? M_FU_MAIL_SUBJECT_LATE :
					     M_FU_MAIL_SUBJECT_SOON), "{title}", db_cell(r, i, 1));
	m.entity = k->entity;
	m.entity_id = db_cell_i64(r, i, 0);
	m.dedup_key = arena_printf(cx->a, "follow-up-%s:%s:%s:%s", late ? "late" : "soon",
				   k->entity, db_cell(r, i, 0), db_cell(r, i, 2));
	return letter_send(cx, lang, &(struct letter){ .hello = hello, .body = body,
				    .title = db_cell(r, i, 1), .url = url,
				    .outro = NULL }, &m, err);
}

struct tally {
	int mailed, skipped;
};

static int remind_org(struct ctx *cx, const struct mail_config *mc, void *arg,
		      struct db_error *err)
{
	struct tally *t = arg;
	const char *today = ctx_today(cx), *horizon = ctx_date_in(cx, REMIND_DAYS + 1);
	int m = 0, s = 0;

	if (db_begin(cx->db, err) != 0)
		return -1;
	for (size_t ki = 0; ki < sizeof(kinds) / sizeof(kinds[0]); ki++) {
		struct db_rows r;
		if (db_exec(cx->db, cx->a, kinds[ki].sql,
			    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(horizon), DB_INT(BATCH)), &r,
			    err) != 0) {
			db_rollback(cx->db);
			return -1;
		}
		for (size_t i = 0; i < r.nrows; i++) {
			int k;
			if (!db_cell(&r, i, 4) || !*db_cell(&r, i, 4) ||
			    db_cell_i64(&r, i, 6) != 0) {
				s++;
				continue;
			}
			k = tell(cx, mc, &kinds[ki], &r, i, strcmp(db_cell(&r, i, 2), today) < 0,
				 err);
			if (k < 0) {
				db_rollback(cx->db);
				return -1;
			}
			m += k;
		}
	}
	if (m && scheduler_note(cx, cx->org->id, arena_printf(cx->a, m == 1 ?
			"%d påminnelse om uppföljning skickad" :
			"%d påminnelser om uppföljningar skickade", m), err) != 0) {
		db_rollback(cx->db);
		return -1;
	}
	if (db_commit(cx->db, err) != 0)
		return -1;
	t->mailed += m;
	t->skipped += s;
	return 0;
}

int followup_reminders_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			   struct db_error *err)
{
	struct tally t = { 0, 0 };

	(void)period_start;
	if (outbox_each_org(cx, remind_org, &t, err) != 0)
		return -1;
	buf_printf(summary, "%d påminnelser om uppföljningar och mål, %d ansvariga utan konto"
		   " eller e-postadress", t.mailed, t.skipped);
	return 0;
}
