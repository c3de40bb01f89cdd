/* outbox.h - e-mail as rows in the database, sent by a worker (issue 8).
 *
 * A module never talks SMTP: it enqueues a message in the same transaction
 * as the change it is about, and the outbox worker (a scheduled job) sends
 * what is due through SMTP (libcurl), retrying with back-off.  A message
 * carries links, never secrets; it is written in the recipient's language
 * by the caller.
 *
 * The contract other parts code against; outbox.c implements it. */
#ifndef VARN_OUTBOX_H
#define VARN_OUTBOX_H

#include <stdint.h>

#include "core/ctx.h"
#include "db/db.h"

struct buf;

struct outbox_msg {
	const char *to;          /* one address */
	const char *subject;
	const char *text;        /* plain-text body */
	const char *html;        /* HTML body, or NULL */
	const char *entity;      /* the register of the record it concerns, or NULL */
	int64_t entity_id;       /* that record, or 0 */
	const char *dedup_key;   /* with the organisation: at most one message
				    per key ("review:infoset:12:2026-12"), or NULL */
};

/* Queues a message for cx's organisation, inside the caller's transaction
 * when there is one.  Returns the outbox id, 0 when dedup_key was already
 * queued or sent (nothing written), -1 on error. */
int64_t outbox_enqueue(struct ctx *cx, const struct outbox_msg *m, struct db_error *err);

/* Sends up to limit due messages of every organisation (the worker's
 * job); returns how many were sent, -1 on error. */
int outbox_send_due(struct ctx *cx, int limit, struct db_error *err);

/* The worker as a scheduled job (struct job in core/module.h): sends
 * what is due; the scheduler lists it among the foundation's jobs. */
int outbox_job_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		   struct db_error *err);

#endif
