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
				    per key ("review:PERSON:DAY", one reminder a
				    person a day), or NULL */
};

/* Queues a message for cx's organisation, inside the caller's transaction
 * when there is one.  Returns the outbox id, 0 when dedup_key was already
 * queued or sent (nothing written), -1 on error. */
int64_t outbox_enqueue(struct ctx *cx, const struct outbox_msg *m, struct db_error *err);

/* Sends up to limit due messages of every organisation (the worker's
 * job); returns how many were sent, -1 on error. */
int outbox_send_due(struct ctx *cx, int limit, struct db_error *err);
/* Sends the queued message id now, whatever else is due (`varn mail
 * test`): 1 sent, 0 not (not configured, refused, to be retried; its row
 * says why), -1 on a database error. */
int outbox_send_now(struct ctx *cx, int64_t id, struct db_error *err);

/* The installation's SMTP settings (table mail_config, one row). */
struct mail_config {
	const char *host;        /* NULL: not configured */
	int port;
	const char *security;    /* "none", "starttls", "tls" */
	const char *username;
	const char *password;    /* loaded only for sending (load_password) */
	const char *from_addr;
	const char *from_name;
	const char *base_url;    /* absolute links in messages: "https://varn.kommun.se" */
	int enabled;
	int has_password;
};

/* Reads the settings into c (in cx->a); the password only when
 * load_password.  0, or -1 with err. */
int outbox_config_load(struct ctx *cx, struct mail_config *c, int load_password,
		       struct db_error *err);
/* For the jobs that mail (reminders): runs fn for each live
 * organisation in id order, cx->org set to it (restored after), with the
 * installation's mail settings; stops at the first failure.  0, or -1
 * with err. */
typedef int (*outbox_org_fn)(struct ctx *cx, const struct mail_config *mc, void *arg,
			     struct db_error *err);
int outbox_each_org(struct ctx *cx, outbox_org_fn fn, void *arg, struct db_error *err);

/* Writes them in the caller's transaction, audited (action "mail_config",
 * the password never in the event: only whether one is set).  A NULL
 * password keeps the stored one. */
int outbox_config_save(struct ctx *cx, const struct mail_config *c, struct db_error *err);

/* Queues a failed message again (attempts from zero, due now), audited
 * ("mail_resend") in the caller's transaction.  org_id 0: any
 * organisation (the command line).  1 queued, 0 no failed message with
 * that id there, -1 on error. */
int outbox_resend(struct ctx *cx, int64_t org_id, int64_t id, struct db_error *err);

/* Removes messages sent before `before` (their addresses and bodies are
 * personal data with no use once delivered; queued and failed ones stay).
 * Returns how many, or -1. */
int64_t outbox_prune(struct ctx *cx, int64_t before, struct db_error *err);
#define OUTBOX_KEEP_SENT_DAYS 180

/* Attempts before a message is given up (failed), and the wait after the
 * n-th failed attempt (1 min, 5 min, 30 min, 2 h, 12 h). */
#define OUTBOX_MAX_ATTEMPTS 6
int64_t outbox_backoff(int attempts);

/* The worker as a scheduled job (struct job in core/module.h): sends
 * what is due; the scheduler lists it among the foundation's jobs. */
int outbox_job_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		   struct db_error *err);

#endif
