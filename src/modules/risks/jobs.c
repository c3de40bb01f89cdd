/* jobs.c - the daily "risk-acceptance" job: an accepted risk whose
 * acceptance has run out (accepted_until before today) is marked expired
 * (audited as "expire", the engine's version moved on) and its owner is
 * mailed once: the outbox's dedup key names the risk and the day the
 * acceptance ran out.  Owners without an account or address are counted.
 *
 * Bounded: at most EXPIRY_BATCH risks an organisation a run, by
 * risk_status (org, status, archived, accepted_until); the rest the next
 * day. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "modules/risks/risks.h"
#include "web/letter.h"

#define EXPIRY_BATCH 500

static const char sql_expired[] =
	"SELECT r.id, r.title, r.accepted_until, pe.name, u.email, u.lang, u.disabled"
	" FROM risk r LEFT JOIN person pe ON pe.id = r.owner_id AND pe.archived = 0"
	" LEFT JOIN app_user u ON u.id = pe.user_id"
	" WHERE r.org_id = $1 AND r.status = 'accepted' AND r.archived = 0"
	" AND r.accepted_until < $2 ORDER BY r.accepted_until, r.id LIMIT $3";
static const char sql_expire[] =
	"UPDATE risk SET status = 'expired', expiring = 0, expiry_mailed = $3, version = version + 1,"
	" updated_at = $4 WHERE org_id = $1 AND id = $2 AND status = 'accepted'";

/* acceptances that come within WAIT_SOON_DAYS of their end today: an
 * index range of the accepted risks ending by then (risk_status) */
static const char sql_mark_expiring[] =
	"UPDATE risk SET expiring = 1 WHERE org_id = $1 AND status = 'accepted' AND archived = 0"
	" AND accepted_until <= $2 AND expiring = 0";

static const char *risk_url(struct ctx *cx, const char *base, const char *id)
{
	size_t n = base ? strlen(base) : 0;

	while (n && base[n - 1] == '/')
		n--;
	return arena_printf(cx->a, "%.*s/o/%s/risks/%s", (int)n, base ? base : "", cx->org->slug,
			    id);
}

static int tell(struct ctx *cx, const struct mail_config *mc, const struct db_rows *r, size_t i,
		struct db_error *err)
{
	int lang = lang_parse(db_cell(r, i, 5));
	const char *url = risk_url(cx, mc->base_url, db_cell(r, i, 0));
	struct outbox_msg m = { 0 };
	const char *hello = msg_fill(cx->a, msg_text(lang, M_RK_MAIL_HELLO), "{name}",
				     db_cell(r, i, 3));
	const char *body = msg_fill(cx->a, msg_text(lang, M_RK_MAIL_BODY), "{date}",
				    db_cell(r, i, 2));

	m.to = db_cell(r, i, 4);
	m.subject = msg_fill(cx->a, msg_text(lang, M_RK_MAIL_SUBJECT), "{title}", db_cell(r, i, 1));
	m.entity = "risks";
	m.entity_id = db_cell_i64(r, i, 0);
	m.dedup_key = arena_printf(cx->a, "risk-expired:%s:%s", db_cell(r, i, 0),
				   db_cell(r, i, 2));
	return letter_send(cx, lang, &(struct letter){ .hello = hello, .body = body,
				    .title = db_cell(r, i, 1), .url = url,
				    .outro = msg_text(lang, M_RK_MAIL_OUTRO) }, &m, err);
}

struct tally {
	int expired, mailed, skipped;
};

static int expire_org(struct ctx *cx, const struct mail_config *mc, void *arg,
		      struct db_error *err)
{
	struct tally *t = arg;
	struct db_rows r;
	int x = 0, m = 0, s = 0;

	if (db_exec(cx->db, cx->a, sql_mark_expiring,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(ctx_date_in(cx, WAIT_SOON_DAYS))), NULL,
		    err) != 0 ||
	    db_exec(cx->db, cx->a, sql_expired,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(ctx_today(cx)), DB_INT(EXPIRY_BATCH)), &r,
		    err) != 0)
		return -1;
	if (!r.nrows)
		return 0;
	if (db_begin(cx->db, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		struct audit_event ev = { 0 };
		struct db_rows u;
		int k;

		if (db_exec(cx->db, cx->a, sql_expire,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&r, i, 0)),
				    DB_TEXT(ctx_today(cx)), DB_INT(cx->now)), &u, err) != 0)
			goto fail;
		if (u.changes != 1)
			continue;
		audit_from_ctx(cx, &ev);
		ev.action = "expire";
		ev.entity = "risks";
		ev.entity_id = db_cell_i64(&r, i, 0);
		ev.summary = db_cell(&r, i, 1);
		ev.after = arena_printf(cx->a, "{\"status\":\"expired\",\"accepted_until\":\"%s\"}",
					db_cell(&r, i, 2));
		if (audit_append(cx->db, cx->a, &ev, err) != 0)
			goto fail;
		x++;
		if (!db_cell(&r, i, 4) || !*db_cell(&r, i, 4) || db_cell_i64(&r, i, 6) != 0) {
			s++;
			continue;
		}
		if ((k = tell(cx, mc, &r, i, err)) < 0)
			goto fail;
		m += k;
	}
	if (x && scheduler_note(cx, cx->org->id, arena_printf(cx->a, x == 1 ?
			"%d riskacceptans har gått ut" : "%d riskacceptanser har gått ut", x),
			err) != 0)
		goto fail;
	if (db_commit(cx->db, err) != 0)
		return -1;
	t->expired += x;
	t->mailed += m;
	t->skipped += s;
	return 0;
fail:
	db_rollback(cx->db);
	return -1;
}

int risk_expiry_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		    struct db_error *err)
{
	struct tally t = { 0, 0, 0 };

	(void)period_start;
	if (outbox_each_org(cx, expire_org, &t, err) != 0)
		return -1;
	buf_printf(summary, "%d riskacceptanser har gått ut, %d ägare meddelade, %d utan konto"
		   " eller e-postadress", t.expired, t.mailed, t.skipped);
	return 0;
}
