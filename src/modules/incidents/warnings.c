/* warnings.c - the "obligation-warnings" job (every 5 minutes): a pending
 * report whose time (starts_at..due_at) has passed 50, 75 or 90 % is told
 * to its incident's handler and the security function, one message per
 * threshold, once: the outbox's dedup key names the obligation, the
 * threshold and the person, and the warned bitmask is set in the same
 * transaction, so neither a restart nor a second process tells it again.
 * A run that finds several thresholds passed (the job was stopped) tells
 * only the highest.  The message names the report and the receipt number,
 * never the incident's details (they are confidential); the link leads to
 * the incident, where access is checked.
 *
 * Bounded: WARN_BATCH pending obligations an organisation a run, nearest
 * deadline first (incident_obligation_due), and WARN_PEOPLE recipients. */
#include "base/base.h"

#include "base/buf.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "modules/incidents/deadline.h"
#include "modules/incidents/obligations.h"

#define WARN_BATCH 500
#define WARN_PEOPLE 50

static const char sql_pending[] =
	"SELECT o.id, o.title, o.starts_at, o.due_at, o.warned, o.incident_id, i.receipt,"
	" i.handler_id FROM incident_obligation o JOIN incident i ON i.id = o.incident_id"
	" WHERE o.org_id = $1 AND o.status = 'pending' AND o.archived = 0"
	" AND o.due_at IS NOT NULL AND o.warned < 7 ORDER BY o.due_at, o.id LIMIT $2";
static const char sql_people[] =
	"SELECT p.id, u.email, u.lang, p.name FROM person p JOIN app_user u ON u.id = p.user_id"
	" WHERE p.org_id = $1 AND p.archived = 0 AND u.disabled = 0 AND u.email IS NOT NULL"
	" AND (p.id = $2 OR p.id IN (SELECT ra.person_id FROM role_assignment ra"
	"  WHERE ra.org_id = $1 AND ra.role IN ('samordnare', 'administrator')"
	"  AND ra.unit_id IS NULL AND ra.archived = 0))"
	" ORDER BY p.id LIMIT $3";
static const char sql_warned[] =
	"UPDATE incident_obligation SET warned = $1 WHERE id = $2 AND org_id = $3";

static const struct { int pct, bit; } thresholds[] = { { 90, 4 }, { 75, 2 }, { 50, 1 } };

static const char *incident_url(struct ctx *cx, const char *base, const char *id)
{
	size_t n = base ? strlen(base) : 0;

	while (n && base[n - 1] == '/')
		n--;
	return arena_printf(cx->a, "%.*s/o/%s/incidents/%s", (int)n, base ? base : "",
			    cx->org->slug, id);
}

/* One person's message about obligation row i at pct; 1 queued, 0 told
 * before, -1 on error. */
static int tell(struct ctx *cx, const struct mail_config *mc, const struct db_rows *o, size_t i,
		const struct db_rows *p, size_t k, int pct, int64_t due, struct db_error *err)
{
	int lang = lang_parse(db_cell(p, k, 2));
	const char *url = incident_url(cx, mc->base_url, db_cell(o, i, 5));
	const char *n = arena_printf(cx->a, "%d", pct);
	const char *receipt = db_cell(o, i, 6) ? db_cell(o, i, 6) : "";
	struct outbox_msg m = { 0 };
	const char *body;
	int64_t id;

	body = msg_fill(cx->a, msg_fill(cx->a, msg_fill(cx->a, msg_fill(cx->a,
			msg_text(lang, M_IO_MAIL_BODY), "{n}", n), "{title}", db_cell(o, i, 1)),
			"{receipt}", receipt), "{due}", clock_format_local(cx->a, due));
	m.to = db_cell(p, k, 1);
	m.subject = msg_fill(cx->a, msg_fill(cx->a, msg_text(lang, M_IO_MAIL_SUBJECT), "{n}", n),
			     "{receipt}", receipt);
	m.text = arena_printf(cx->a, "%s\n\n%s\n\n%s\n%s\n\n-- \n%s\n",
			      msg_fill(cx->a, msg_text(lang, M_IO_MAIL_HELLO), "{name}",
				       db_cell(p, k, 3)),
			      body, msg_text(lang, M_IO_MAIL_OUTRO), url, msg_text(lang, M_MAIL_FOOTER));
	m.entity = in_obligations.name;
	m.entity_id = db_cell_i64(o, i, 0);
	m.dedup_key = arena_printf(cx->a, "obligation-warning:%s:%d:%s", db_cell(o, i, 0), pct,
				   db_cell(p, k, 0));
	id = outbox_enqueue(cx, &m, err);
	return id < 0 ? -1 : id > 0;
}

/* Obligation row i: the highest threshold passed and not yet warned of,
 * told to each recipient; the thresholds up to it marked.  Messages
 * queued, or -1. */
static int warn_one(struct ctx *cx, const struct mail_config *mc, const struct db_rows *o,
		    size_t i, struct db_error *err)
{
	int64_t starts, due, warned = db_cell_i64(o, i, 4), mark = 0;
	int pct, at = 0, sent = 0;
	struct db_rows p;

	if (clock_parse_moment(db_cell(o, i, 3), &due) != 0)
		return 0;
	if (!db_cell(o, i, 2) || clock_parse_moment(db_cell(o, i, 2), &starts) != 0)
		starts = due;
	pct = deadline_percent(starts, due, cx->now);
	for (size_t t = 0; t < ARRAY_SIZE(thresholds); t++)
		if (pct >= thresholds[t].pct) {
			if (!at && !(warned & thresholds[t].bit))
				at = thresholds[t].pct;
			if (at)
				mark |= thresholds[t].bit;
		}
	if (!at)
		return 0;
	if (db_exec(cx->db, cx->a, sql_people,
		    DB_ARGS(DB_INT(cx->org->id),
			    db_cell(o, i, 7) ? DB_INT(db_cell_i64(o, i, 7)) : DB_INT(0),
			    DB_INT(WARN_PEOPLE)), &p, err) != 0)
		return -1;
	for (size_t k = 0; k < p.nrows; k++) {
		int rc = tell(cx, mc, o, i, &p, k, at, due, err);

		if (rc < 0)
			return -1;
		sent += rc;
	}
	if (db_exec(cx->db, cx->a, sql_warned,
		    DB_ARGS(DB_INT(warned | mark), DB_INT(db_cell_i64(o, i, 0)), DB_INT(cx->org->id)),
		    NULL, err) != 0)
		return -1;
	return sent;
}

static int warn_org(struct ctx *cx, const struct mail_config *mc, void *arg, struct db_error *err)
{
	int *total = arg, n = 0;
	struct db_rows o;

	if (db_exec(cx->db, cx->a, sql_pending, DB_ARGS(DB_INT(cx->org->id), DB_INT(WARN_BATCH)),
		    &o, err) != 0)
		return -1;
	if (!o.nrows)
		return 0;
	if (db_begin(cx->db, err) != 0)
		return -1;
	for (size_t i = 0; i < o.nrows; i++) {
		int k = warn_one(cx, mc, &o, i, err);

		if (k < 0) {
			db_rollback(cx->db);
			return -1;
		}
		n += k;
	}
	if (n && scheduler_note(cx, cx->org->id, arena_printf(cx->a, n == 1 ?
			"%d varning om tidsfrist för anmälan skickad" :
			"%d varningar om tidsfrister för anmälningar skickade", n), err) != 0) {
		db_rollback(cx->db);
		return -1;
	}
	if (db_commit(cx->db, err) != 0)
		return -1;
	*total += n;
	return 0;
}

int obligation_warnings_run(struct ctx *cx, int64_t period_start, struct buf *summary,
			    struct db_error *err)
{
	int n = 0;

	(void)period_start;
	if (outbox_each_org(cx, warn_org, &n, err) != 0)
		return -1;
	buf_printf(summary, "%d varningar om tidsfrister för anmälningar", n);
	return 0;
}
