/* outbox.c - e-mail as rows, sent by a worker (outbox.h).
 *
 * Sending is outside any transaction: a row is claimed with a conditional
 * UPDATE (state queued -> sending, or a "sending" lease that ran out after
 * a crash), which only one process wins, also with several processes on
 * one PostgreSQL database; the SMTP conversation follows without holding
 * a lock; the outcome is a second UPDATE.  A lost answer after the server
 * accepted (a crash between the two) sends the message again once the
 * lease runs out: at least once, never lost. */
#include "base/base.h"

#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/outbox.h"
#include "core/smtp.h"
#include "db/db.h"

/* How long a claimed message may be in the sending state before another
 * worker may take it (longer than smtp.c's timeouts). */
#define SENDING_LEASE 600
/* how long one run of the worker sends before it leaves the rest to the
 * next minute's: well inside the scheduler's lease (SCHED_LEASE) */
#define OUTBOX_BATCH_SECONDS 300
#define OUTBOX_UNAVAILABLE_WAIT 60

int64_t outbox_backoff(int attempts)
{
	static const int64_t wait[] = { 60, 300, 1800, 7200, 43200 };

	if (attempts < 1)
		return 0;
	if (attempts > (int)ARRAY_SIZE(wait))
		return wait[ARRAY_SIZE(wait) - 1];
	return wait[attempts - 1];
}

static const char sql_enqueue[] =
	"INSERT INTO outbox (org_id, to_addr, subject, body_text, body_html,"
	" entity, entity_id, dedup_key, state, attempts, next_attempt_at, created_at)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', 0, $9, $9)"
	" ON CONFLICT DO NOTHING RETURNING id";

int64_t outbox_enqueue(struct ctx *cx, const struct outbox_msg *m, struct db_error *err)
{
	struct db_rows r;
	int64_t org = cx->org ? cx->org->id : 0;

	if (!m->to || !*m->to || !m->subject || !m->text) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof err->msg, "outbox: a message needs to, subject and text");
		return -1;
	}
	if (db_exec(cx->db, cx->a, sql_enqueue,
		    DB_ARGS(org ? DB_INT(org) : DB_NULL, DB_TEXT(m->to), DB_TEXT(m->subject),
			    DB_TEXT(m->text), DB_TEXT(m->html), DB_TEXT(m->entity),
			    m->entity_id ? DB_INT(m->entity_id) : DB_NULL,
			    DB_TEXT(m->dedup_key), DB_INT(cx->now)),
		    &r, err) != 0)
		return -1;
	return r.nrows ? db_cell_i64(&r, 0, 0) : 0;
}

/* ---- settings ---- */

static const char sql_config[] =
	"SELECT host, port, security, username, from_addr, from_name, base_url,"
	" enabled, CASE WHEN password IS NOT NULL AND password <> '' THEN 1 ELSE 0 END,"
	" password"
	" FROM mail_config WHERE id = 1";

int outbox_config_load(struct ctx *cx, struct mail_config *c, int load_password,
		       struct db_error *err)
{
	struct db_rows r;

	memset(c, 0, sizeof *c);
	if (db_exec(cx->db, cx->a, sql_config, DB_NOARGS, &r, err) != 0)
		return -1;
	if (!r.nrows)
		return 0;
	c->host = db_cell(&r, 0, 0);
	c->port = (int)db_cell_i64(&r, 0, 1);
	c->security = db_cell(&r, 0, 2);
	c->username = db_cell(&r, 0, 3);
	c->from_addr = db_cell(&r, 0, 4);
	c->from_name = db_cell(&r, 0, 5);
	c->base_url = db_cell(&r, 0, 6);
	c->enabled = (int)db_cell_i64(&r, 0, 7);
	c->has_password = (int)db_cell_i64(&r, 0, 8);
	if (load_password)
		c->password = db_cell(&r, 0, 9);
	return 0;
}

static const char sql_config_save[] =
	"UPDATE mail_config SET host = $1, port = $2, security = $3, username = $4,"
	" password = CASE WHEN $5 = 1 THEN $6 ELSE password END,"
	" from_addr = $7, from_name = $8, base_url = $9, enabled = $10, updated_at = $11"
	" WHERE id = 1";

int outbox_config_save(struct ctx *cx, const struct mail_config *c, struct db_error *err)
{
	struct audit_event ev = { 0 };
	json_t *after;
	char *text;
	int rc;

	if (db_exec(cx->db, cx->a, sql_config_save,
		    DB_ARGS(DB_TEXT(c->host), DB_INT(c->port), DB_TEXT(c->security),
			    DB_TEXT(c->username), DB_INT(c->password != NULL),
			    DB_TEXT(c->password), DB_TEXT(c->from_addr),
			    DB_TEXT(c->from_name), DB_TEXT(c->base_url),
			    DB_INT(c->enabled), DB_INT(cx->now)),
		    NULL, err) != 0)
		return -1;
	/* what changed, without the password: only that one was given */
	after = json_pack("{s:s, s:i, s:s, s:b, s:b}", "host", c->host ? c->host : "",
			  "port", c->port, "security", c->security ? c->security : "",
			  "password_changed", c->password != NULL, "enabled", c->enabled != 0);
	/* NULL when a value is not UTF-8: the event then says only that the
	 * settings changed */
	text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(after);
	audit_from_ctx(cx, &ev);
	ev.action = "mail_config";
	ev.entity = "";
	ev.summary = c->host ? c->host : "";
	ev.after = text ? arena_strdup(cx->a, text) : NULL;
	free(text);
	rc = audit_append(cx->db, cx->a, &ev, err);
	return rc;
}

/* ---- resend ---- */

static const char sql_resend[] =
	"UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = $1"
	" WHERE id = $2 AND state = 'failed' AND ($3 = 0 OR org_id = $3)"
	" RETURNING org_id, to_addr";

int outbox_resend(struct ctx *cx, int64_t org_id, int64_t id, struct db_error *err)
{
	struct audit_event ev = { 0 };
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_resend,
		    DB_ARGS(DB_INT(cx->now), DB_INT(id), DB_INT(org_id)), &r, err) != 0)
		return -1;
	if (!r.nrows)
		return 0;
	audit_from_ctx(cx, &ev);
	ev.org_id = db_cell_i64(&r, 0, 0);
	ev.action = "mail_resend";
	ev.entity = "outbox";
	ev.entity_id = id;
	ev.summary = db_cell(&r, 0, 1);
	return audit_append(cx->db, cx->a, &ev, err) == 0 ? 1 : -1;
}

int64_t outbox_prune(struct ctx *cx, int64_t before, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, "DELETE FROM outbox WHERE state = 'sent' AND sent_at < $1",
		    DB_ARGS(DB_INT(before)), &r, err) != 0)
		return -1;
	return r.changes;
}

/* ---- the worker ---- */

static const char sql_due[] =
	"SELECT id FROM outbox WHERE state IN ('queued', 'sending')"
	" AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2";
/* Only one worker wins the row: the state and time it read must still hold. */
static const char sql_claim[] =
	"UPDATE outbox SET state = 'sending', attempts = attempts + 1,"
	" next_attempt_at = $2"
	" WHERE id = $1 AND state IN ('queued', 'sending') AND next_attempt_at <= $3"
	" RETURNING to_addr, subject, body_text, body_html, attempts";
static const char sql_sent[] =
	"UPDATE outbox SET state = 'sent', sent_at = $2, last_error = $3"
	" WHERE id = $1 AND state = 'sending'";
/* The server took nothing (down, sign-in or sender refused): the attempt
 * does not count against the message, which is tried again in a minute;
 * one connection a minute is all a server that is down costs. */
static const char sql_unavailable[] =
	"UPDATE outbox SET state = 'queued', attempts = attempts - 1,"
	" next_attempt_at = $2, last_error = $3 WHERE id = $1 AND state = 'sending'";
static const char sql_retry[] =
	"UPDATE outbox SET state = $2, next_attempt_at = $3, last_error = $4"
	" WHERE id = $1 AND state = 'sending'";

static int security_code(const char *s)
{
	if (s && strcmp(s, "tls") == 0)
		return SMTP_TLS;
	if (s && strcmp(s, "none") == 0)
		return SMTP_NONE;
	return SMTP_STARTTLS;
}

/* Claims and sends message id; 1 sent, 0 not (claimed elsewhere, retry,
 * failed), 2 not and the server takes none now (stop the batch), -1 on a
 * database error. */
static int send_one(struct ctx *cx, const struct smtp_server *srv, int64_t id,
		    struct db_error *err)
{
	struct smtp_message m = { 0 };
	struct db_rows r;
	const char *answer = "";
	int attempts, res;

	if (db_exec(cx->db, cx->a, sql_claim,
		    DB_ARGS(DB_INT(id), DB_INT(cx->now + SENDING_LEASE), DB_INT(cx->now)),
		    &r, err) != 0)
		return -1;
	if (!r.nrows)
		return 0;
	m.to = db_cell(&r, 0, 0);
	m.subject = db_cell(&r, 0, 1);
	m.text = db_cell(&r, 0, 2);
	m.html = db_cell(&r, 0, 3);
	attempts = (int)db_cell_i64(&r, 0, 4);
	m.id = id;
	m.now = cx->now;

	res = smtp_send(srv, &m, cx->a, &answer);
	if (res == SMTP_SENT) {
		if (db_exec(cx->db, cx->a, sql_sent,
			    DB_ARGS(DB_INT(id), DB_INT(cx->now), DB_TEXT(answer)),
			    NULL, err) != 0)
			return -1;
		return 1;
	}
	if (res == SMTP_UNAVAILABLE) {
		if (db_exec(cx->db, cx->a, sql_unavailable,
			    DB_ARGS(DB_INT(id), DB_INT(cx->now + OUTBOX_UNAVAILABLE_WAIT),
				    DB_TEXT(answer)), NULL, err) != 0)
			return -1;
		return 2;
	}
	if (res == SMTP_REFUSED || attempts >= OUTBOX_MAX_ATTEMPTS) {
		log_warn("outbox: message %lld failed: %s", (long long)id, answer);
		if (db_exec(cx->db, cx->a, sql_retry,
			    DB_ARGS(DB_INT(id), DB_TEXT("failed"), DB_INT(cx->now),
				    DB_TEXT(answer)), NULL, err) != 0)
			return -1;
		return 0;
	}
	if (db_exec(cx->db, cx->a, sql_retry,
		    DB_ARGS(DB_INT(id), DB_TEXT("queued"),
			    DB_INT(cx->now + outbox_backoff(attempts)), DB_TEXT(answer)),
		    NULL, err) != 0)
		return -1;
	return 0;
}

/* The server to send through: 1, 0 when mail is not configured or not
 * enabled (everything stays queued until it is), -1 on error. */
static int load_server(struct ctx *cx, struct mail_config *c, struct smtp_server *srv,
		       struct db_error *err)
{
	if (outbox_config_load(cx, c, 1, err) != 0)
		return -1;
	if (!c->enabled || !c->host || !*c->host || !c->from_addr)
		return 0;
	memset(srv, 0, sizeof(*srv));
	srv->host = c->host;
	srv->port = c->port;
	srv->security = security_code(c->security);
	srv->username = c->username;
	srv->password = c->password;
	srv->from_addr = c->from_addr;
	srv->from_name = c->from_name;
	srv->ca_file = getenv("VARN_SMTP_CA_FILE");
	return 1;
}

int outbox_send_now(struct ctx *cx, int64_t id, struct db_error *err)
{
	struct mail_config c;
	struct smtp_server srv;
	int k = load_server(cx, &c, &srv, err);

	if (k <= 0)
		return k;
	k = send_one(cx, &srv, id, err);
	return k < 0 ? -1 : k == 1;
}

int outbox_send_due(struct ctx *cx, int limit, struct db_error *err)
{
	struct mail_config c;
	struct smtp_server srv;
	struct db_rows r;
	int64_t t0, now0;
	int sent = 0, k;

	if ((k = load_server(cx, &c, &srv, err)) <= 0)
		return k;
	if (db_exec(cx->db, cx->a, sql_due, DB_ARGS(DB_INT(cx->now), DB_INT(limit)),
		    &r, err) != 0)
		return -1;
	/* Each claim at the time it is made (a slow server makes the batch
	 * long, and a lease counted from the batch's start could run out
	 * before the message is sent, letting another worker send it too);
	 * the batch stops when the server takes nothing or after
	 * OUTBOX_BATCH_SECONDS, so a job never outlives its lease. */
	t0 = clock_now();
	now0 = cx->now;
	for (size_t i = 0; i < r.nrows; i++) {
		if (clock_now() - t0 >= OUTBOX_BATCH_SECONDS)
			break;
		cx->now = now0 + (clock_now() - t0);
		k = send_one(cx, &srv, db_cell_i64(&r, i, 0), err);
		if (k < 0) {
			cx->now = now0;
			return -1;
		}
		if (k == 2)
			break;
		sent += k;
	}
	cx->now = now0;
	return sent;
}

int outbox_job_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		   struct db_error *err)
{
	int n = outbox_send_due(cx, 100, err);

	(void)period_start;
	if (n < 0)
		return -1;
	buf_printf(summary, n == 1 ? "1 e-postmeddelande skickat"
		   : "%d e-postmeddelanden skickade", n);
	return 0;
}

static const char sql_live_orgs[] =
	"SELECT id, slug, name FROM organisation WHERE archived = 0 ORDER BY id";

int outbox_each_org(struct ctx *cx, outbox_org_fn fn, void *arg, struct db_error *err)
{
	const struct org_ctx *saved = cx->org;
	struct mail_config mc;
	struct db_rows orgs;
	int rc = 0;

	if (outbox_config_load(cx, &mc, 0, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_live_orgs, DB_NOARGS, &orgs, err) != 0)
		return -1;
	for (size_t i = 0; i < orgs.nrows && rc == 0; i++) {
		struct org_ctx oc = { 0 };
		oc.id = db_cell_i64(&orgs, i, 0);
		oc.slug = db_cell(&orgs, i, 1);
		oc.name = db_cell(&orgs, i, 2);
		cx->org = &oc;
		rc = fn(cx, &mc, arg, err);
	}
	cx->org = saved;
	return rc;
}
