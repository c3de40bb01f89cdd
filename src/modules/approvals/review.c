/* review.c - what an approval is judged on and how it is kept honest over
 * time: the review of a system's measures (the gap analysis as it stands),
 * and the daily "approval-review" job, which
 *
 *  - marks approvals due for re-approval (valid until within
 *    APPROVAL_DUE_DAYS) and expires those past their date (marked for
 *    review: the system is then "missing" if it is in operation);
 *  - flags each condition whose deadline passed while its activity is not
 *    done, marks the approval for review and mails the system's owner
 *    once (the outbox's dedup key names the condition and its deadline);
 *    a condition whose activity is done is no longer overdue.
 *
 * Bounded: at most BATCH rows of each kind an organisation a run, by the
 * indexes on (state, valid_until) and (overdue, deadline); what is left
 * is done the next day. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "modules/approvals/approvals.h"
#include "modules/measures/measures.h"
#include "web/letter.h"

#define BATCH 500
#define GAP_LINES 200

/* ---- the measures' review ---- */

static const char sql_open_gaps[] =
	"SELECT a.code, m.title, a.effective_status, a.severity"
	" FROM measure_assessment a JOIN measure m ON m.id = a.measure_id"
	" WHERE a.org_id = $1 AND a.system_id = $2 AND a.archived = 0 AND a.required = 1"
	" AND a.effective_status IN ('partly', 'not_met')"
	" ORDER BY CASE a.severity WHEN 'serious' THEN 0 WHEN 'significant' THEN 1"
	" WHEN 'moderate' THEN 2 WHEN 'negligible' THEN 3 ELSE 4 END, a.code_sk, a.id LIMIT $3";

static const char *choice_text(const struct choice *c, const char *code)
{
	for (size_t i = 0; code && c[i].value; i++)
		if (strcmp(c[i].value, code) == 0)
			return msg_text(LANG_SV, c[i].label);
	return code;
}

int approval_gaps_now(struct ctx *cx, int64_t system_id, struct approval_gaps *g,
		      struct db_error *err)
{
	struct gap_counts c;
	struct db_rows r;
	struct buf b = BUF_INIT;

	memset(g, 0, sizeof(*g));
	if (gap_system_counts(cx, system_id, &c, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_open_gaps,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), DB_INT(GAP_LINES)), &r,
		    err) != 0)
		return -1;
	g->required = c.required;
	g->assessed = c.assessed;
	g->met = c.met;
	g->open = c.partly + c.not_met;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *sev = db_cell(&r, i, 3);
		if (sev && strcmp(sev, "serious") == 0)
			g->serious++;
		buf_printf(&b, "%s%s %s \xe2\x80\x94 %s%s%s", i ? "\n" : "", db_cell(&r, i, 0),
			   db_cell(&r, i, 1), choice_text(measure_statuses, db_cell(&r, i, 2)),
			   sev ? ", " : "", sev ? choice_text(measure_severities, sev) : "");
	}
	g->snapshot = b.p && b.len <= 7900 ? arena_strdup(cx->a, b.p) :
		      b.p ? arena_strndup(cx->a, b.p, 7900) : NULL;
	buf_release(&b);
	return 0;
}

/* ---- the daily job ---- */

static const char sql_expired[] =
	"SELECT id, system_id, valid_until FROM approval WHERE org_id = $1 AND state = 'decided'"
	" AND archived = 0 AND valid_until < $2 AND validity IN ('valid', 'due')"
	" ORDER BY valid_until, id LIMIT $3";
static const char sql_expire[] =
	"UPDATE approval SET validity = 'expired', version = version + 1, updated_at = $3"
	" WHERE org_id = $1 AND id = $2";
static const char sql_due[] =
	"SELECT id FROM approval WHERE org_id = $1 AND state = 'decided' AND archived = 0"
	" AND valid_until <= $2 AND validity = 'valid' ORDER BY valid_until, id LIMIT $3";
static const char sql_make_due[] =
	"UPDATE approval SET validity = 'due', version = version + 1, updated_at = $3"
	" WHERE org_id = $1 AND id = $2";

static const char sql_overdue[] =
	"SELECT c.id, c.title, c.deadline, a.id, a.system_id, s.name, pe.name, u.email, u.lang,"
	" u.disabled"
	" FROM approval_condition c"
	" JOIN approval a ON a.id = c.approval_id AND a.state = 'decided' AND a.archived = 0"
	" JOIN it_system s ON s.id = a.system_id"
	" LEFT JOIN activity x ON x.id = c.activity_id"
	" LEFT JOIN person pe ON pe.id = a.owner_id AND pe.archived = 0"
	" LEFT JOIN app_user u ON u.id = pe.user_id"
	" WHERE c.org_id = $1 AND c.archived = 0 AND c.overdue = 0 AND c.deadline < $2"
	" AND (x.id IS NULL OR x.status <> 'done')"
	" ORDER BY c.deadline, c.id LIMIT $3";
static const char sql_flag[] =
	"UPDATE approval_condition SET overdue = $3, version = version + 1, updated_at = $4"
	" WHERE org_id = $1 AND id = $2";
static const char sql_met_late[] =
	"SELECT c.id FROM approval_condition c JOIN activity x ON x.id = c.activity_id"
	" WHERE c.org_id = $1 AND c.archived = 0 AND c.overdue = 1 AND x.status = 'done'"
	" ORDER BY c.deadline, c.id LIMIT $2";

/* The owner's message about one overdue condition (row i of sql_overdue):
 * 1 queued, 0 told before or nobody to tell, -1 on error. */
static int tell_owner(struct ctx *cx, const struct mail_config *mc, const struct db_rows *r,
		      size_t i, struct db_error *err)
{
	int lang = lang_parse(db_cell(r, i, 8));
	size_t n = mc->base_url ? strlen(mc->base_url) : 0;
	const char *url, *hello, *body;
	struct outbox_msg m = { 0 };

	if (!db_cell(r, i, 7) || !*db_cell(r, i, 7) || db_cell_i64(r, i, 9) != 0)
		return 0;
	while (n && mc->base_url[n - 1] == '/')
		n--;
	url = arena_printf(cx->a, "%.*s/o/%s/operational-approvals/%s", (int)n,
			   mc->base_url ? mc->base_url : "", cx->org->slug, db_cell(r, i, 3));
	hello = msg_fill(cx->a, msg_text(lang, M_DG_MAIL_HELLO), "{name}", db_cell(r, i, 6));
	body = msg_fill(cx->a, msg_fill(cx->a, msg_text(lang, M_DG_MAIL_BODY), "{date}",
				db_cell(r, i, 2)), "{system}", db_cell(r, i, 5));
	m.to = db_cell(r, i, 7);
	m.subject = msg_fill(cx->a, msg_text(lang, M_DG_MAIL_SUBJECT), "{system}", db_cell(r, i, 5));
	m.entity = dg_approvals.name;
	m.entity_id = db_cell_i64(r, i, 3);
	m.dedup_key = arena_printf(cx->a, "approval-condition-overdue:%s:%s", db_cell(r, i, 0),
				   db_cell(r, i, 2));
	return letter_send(cx, lang, &(struct letter){ .hello = hello, .body = body,
				    .title = db_cell(r, i, 1), .url = url,
				    .outro = msg_text(lang, M_DG_MAIL_OUTRO) }, &m, err);
}

struct run_counts {
	int due, expired, overdue, mailed, met;
};

static const char *day_ahead(struct ctx *cx, int days)
{
	struct ctx then = *cx;

	then.now += (int64_t)days * 86400;
	return ctx_today(&then);
}

/* One organisation's day, in the caller's transaction. */
static int review_org_in(struct ctx *cx, const struct mail_config *mc, struct run_counts *k,
			 struct db_error *err)
{
	const char *today = ctx_today(cx);
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_expired,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(today), DB_INT(BATCH)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		if (db_exec(cx->db, cx->a, sql_expire,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&r, i, 0)),
				    DB_INT(cx->now)), NULL, err) != 0 ||
		    approval_mark_for_review(cx, db_cell_i64(&r, i, 1),
					     msg_fill(cx->a, msg_text(LANG_SV, M_DG_WHY_EXPIRED),
						  "{date}", db_cell(&r, i, 2)), err) != 0)
			return -1;
		k->expired++;
	}
	if (db_exec(cx->db, cx->a, sql_due,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(day_ahead(cx, APPROVAL_DUE_DAYS)),
			    DB_INT(BATCH)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++, k->due++)
		if (db_exec(cx->db, cx->a, sql_make_due,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&r, i, 0)),
				    DB_INT(cx->now)), NULL, err) != 0)
			return -1;
	if (db_exec(cx->db, cx->a, sql_overdue,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(today), DB_INT(BATCH)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int told = 0;
		const char *why = msg_fill(cx->a, msg_fill(cx->a, msg_text(LANG_SV, M_DG_WHY_CONDITION),
						   "{title}", db_cell(&r, i, 1)),
				       "{date}", db_cell(&r, i, 2));
		if (db_exec(cx->db, cx->a, sql_flag,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&r, i, 0)), DB_INT(1),
				    DB_INT(cx->now)), NULL, err) != 0 ||
		    approval_mark_for_review(cx, db_cell_i64(&r, i, 4), why, err) != 0)
			return -1;
		if (mc && (told = tell_owner(cx, mc, &r, i, err)) < 0)
			return -1;
		k->overdue++;
		k->mailed += mc ? told : 0;
	}
	if (db_exec(cx->db, cx->a, sql_met_late, DB_ARGS(DB_INT(cx->org->id), DB_INT(BATCH)), &r,
		    err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++, k->met++)
		if (db_exec(cx->db, cx->a, sql_flag,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&r, i, 0)), DB_INT(0),
				    DB_INT(cx->now)), NULL, err) != 0)
			return -1;
	return 0;
}

int approval_review_org(struct ctx *cx, const struct mail_config *mc, struct db_error *err)
{
	struct run_counts k = { 0 };

	return review_org_in(cx, mc, &k, err);
}

/* One organisation's review, in its own transaction with its line on the
 * jobs page; the counts added to the run's (arg). */
static int review_org(struct ctx *cx, const struct mail_config *mc, void *arg,
		      struct db_error *err)
{
	struct run_counts *total = arg, k = { 0 };
	int rc;

	if (db_begin(cx->db, err) != 0)
		return -1;
	rc = review_org_in(cx, mc, &k, err);
	if (rc == 0 && (k.due || k.expired || k.overdue || k.met))
		rc = scheduler_note(cx, cx->org->id, arena_printf(cx->a,
			"Driftgodkännanden: %d snart för omprövning, %d har gått ut,"
			" %d villkor försenade (%d meddelanden), %d villkor uppfyllda",
			k.due, k.expired, k.overdue, k.mailed, k.met), err);
	if (rc == 0)
		rc = db_commit(cx->db, err);
	else
		db_rollback(cx->db);
	total->due += k.due;
	total->expired += k.expired;
	total->overdue += k.overdue;
	total->mailed += k.mailed;
	total->met += k.met;
	return rc;
}

int approval_daily_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		       struct db_error *err)
{
	struct run_counts total = { 0 };

	(void)period_start;
	if (outbox_each_org(cx, review_org, &total, err) != 0)
		return -1;
	buf_printf(summary, "approvals: %d due, %d expired, %d conditions overdue (%d mailed),"
		   " %d met", total.due, total.expired, total.overdue, total.mailed, total.met);
	return 0;
}
