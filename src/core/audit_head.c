/* audit_head.c - the daily job "audit-head": the audit trail's head
 * (the last event's sequence number and hash) kept outside the database,
 * so that rewriting the newest events together with the head row is found
 * by `varn audit verify --expect SEQ:HASH` (audit.h).
 *
 * It appends "TIME SEQ:HASH" to audit_head_file when the server (or `varn
 * jobs run`) was given one, and mails the head to the address each
 * organisation gave on its audit settings page (organisation.audit_head_to,
 * migration 0030), once a day, through the outbox. */
#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "core/audit.h"
#include "core/i18n.h"
#include "core/outbox.h"
#include "core/scheduler.h"

const char *audit_head_file;

struct head_mail {
	const char *head;
	int64_t day;
	int sent;
};

static int mail_head(struct ctx *cx, const struct mail_config *mc, void *arg,
		     struct db_error *err)
{
	struct head_mail *hm = arg;
	struct db_rows r;
	struct outbox_msg m = { 0 };
	int64_t id;

	if (db_exec(cx->db, cx->a, "SELECT audit_head_to FROM organisation WHERE id = $1",
		    DB_ARGS(DB_INT(cx->org->id)), &r, err))
		return -1;
	if (r.nrows != 1 || !db_cell(&r, 0, 0) || !*db_cell(&r, 0, 0))
		return 0;
	m.to = db_cell(&r, 0, 0);
	m.subject = arena_printf(cx->a, "%s %s", msg_text(LANG_SV, M_AUDIT_HEAD_SUBJECT),
				 cx->org->name);
	m.text = arena_printf(cx->a, "%s %s, %s:\n\n    %s\n\n%s\n\n    varn audit verify --expect %s\n\n%s\n",
			      msg_text(LANG_SV, M_AUDIT_HEAD_TEXT1), cx->org->name,
			      clock_format_local(cx->a, cx->now), hm->head,
			      msg_text(LANG_SV, M_AUDIT_HEAD_TEXT2), hm->head,
			      msg_text(LANG_SV, M_AUDIT_HEAD_TEXT3));
	m.entity = "organisation";
	m.entity_id = cx->org->id;
	m.dedup_key = arena_printf(cx->a, "audit-head:%lld", (long long)hm->day);
	if ((id = outbox_enqueue(cx, &m, err)) < 0)
		return -1;
	hm->sent += id > 0;
	(void)mc;
	return 0;
}

static int write_head(const char *path, const char *line, struct db_error *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	size_t n = strlen(line);

	if (fd < 0)
		return db_error_set(err, DBE_OTHER, "cannot open %s: %s", path, strerror(errno));
	if (write(fd, line, n) != (ssize_t)n || fsync(fd) != 0) {
		db_error_set(err, DBE_OTHER, "cannot write %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return close(fd) ? db_error_set(err, DBE_OTHER, "closing %s: %s", path, strerror(errno)) : 0;
}

int audit_head_job_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		       struct db_error *err)
{
	struct head_mail hm = { 0 };
	int64_t seq;
	const char *hash;

	if (audit_head(cx->db, cx->a, &seq, &hash, err))
		return -1;
	hm.head = arena_printf(cx->a, "%lld:%s", (long long)seq, hash);
	hm.day = period_start;
	if (audit_head_file &&
	    write_head(audit_head_file, arena_printf(cx->a, "%s %s\n",
						     clock_format_iso(cx->a, cx->now), hm.head), err))
		return -1;
	if (db_begin(cx->db, err))
		return -1;
	if (outbox_each_org(cx, mail_head, &hm, err) || db_commit(cx->db, err)) {
		db_rollback(cx->db);
		return -1;
	}
	buf_printf(summary, "head %s%s%s; mailed to %d organisation(s)", hm.head,
		   audit_head_file ? ", written to " : "", audit_head_file ? audit_head_file : "",
		   hm.sent);
	return 0;
}
