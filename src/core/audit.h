/* audit.h - the security log and audit trail (seed 004 "Loggning och
 * spårbarhet").
 *
 * Every sign-in, sign-out, failed sign-in, denied access and every create,
 * change and archive is one audit_event row, written in the same transaction
 * as the change it records.  Rows form a hash chain:
 *   hash = BLAKE2b-256(prev_hash | seq | at | org_id | user_id | actor |
 *                      action | entity | entity_id | summary | before | after | ip)
 * with audit_head holding the last (seq, hash); updating the head in the
 * writer's transaction serialises writers on both engines.  audit_verify()
 * recomputes the chain and reports the first altered, removed or inserted row.
 */
#ifndef VARN_AUDIT_H
#define VARN_AUDIT_H

#include "base/base.h"

struct db;
struct db_error;
struct ctx;

struct audit_event {
	int64_t org_id;        /* 0: not bound to an organisation */
	int64_t user_id;       /* 0: anonymous / system */
	const char *actor;     /* e-mail or "system"; shown in the trail */
	const char *action;    /* "create", "update", "archive", "restore",
				  "signin", "signin_failed", "signout",
				  "denied", "import", ... */
	const char *entity;    /* "units", "people", ... or "" */
	int64_t entity_id;
	const char *summary;   /* short human text, e.g. the record's title */
	const char *before;    /* JSON or NULL */
	const char *after;     /* JSON or NULL */
	const char *ip;
};

/* The actor of a failed sign-in to an account that does not exist: what
 * was typed is not stored (it is often a password typed in the wrong
 * field); the trail reads it as "okänt konto". */
#define AUDIT_ACTOR_UNKNOWN "unknown-account"

/* A batch of many events in one transaction (an import of a million
 * rows): the head row is advanced by the first event, which locks it for
 * the rest of the transaction, and kept in memory after that; each event
 * is then one INSERT, and audit_batch_end writes the head back.  (On
 * PostgreSQL a row updated twice per event in one transaction makes each
 * update slower than the last: 20,000 rows took minutes.)  Only for work
 * without savepoints: a rollback to one would leave the memory ahead of
 * the table.  audit_batch_end before committing (0, or -1 with err);
 * audit_batch_abandon after rolling back.  One batch per thread. */
void audit_batch_begin(struct db *db);
int audit_batch_end(struct db *db, struct arena *a, struct db_error *err);
void audit_batch_abandon(void);

/* Appends an event.  Must run inside a transaction the caller commits. */
int audit_append(struct db *db, struct arena *a, const struct audit_event *ev,
		 struct db_error *err);
/* Many events in one transaction without a round trip to the head per
 * event (the scale generator's history): audit_history_begin reads and
 * locks the head, audit_history_add appends an event at the moment `at`
 * (history: when it happened, not now), audit_history_end writes the head.
 * All inside the caller's transaction; nothing else may append between
 * begin and end.  0, or -1 with err. */
struct audit_history {
	int64_t seq;
	char hash[65];
};
int audit_history_begin(struct db *db, struct arena *a, struct audit_history *b,
		      struct db_error *err);
int audit_history_add(struct db *db, struct arena *a, struct audit_history *b,
		    const struct audit_event *ev, int64_t at, struct db_error *err);
int audit_history_end(struct db *db, struct arena *a, struct audit_history *b,
		    struct db_error *err);
/* Appends in a transaction of its own (sign-in events, denials). */
int audit_append_now(struct db *db, struct arena *a, const struct audit_event *ev);
/* Fills actor, user, ip and organisation of ev from the context. */
void audit_from_ctx(const struct ctx *cx, struct audit_event *ev);
/* Verifies the whole chain.  Returns 0 when intact, otherwise the seq of the
 * first bad row (and prints what is wrong to out); -1 on database error.
 * Reads from a snapshot of its own, or inside the caller's transaction. */
int64_t audit_verify(struct db *db, FILE *out, struct db_error *err);
/* As audit_verify, and the chain must contain a head recorded elsewhere
 * earlier (expected "SEQ:HASH" as audit_head gives it, or a bare hash):
 * rewriting the newest events and the head row together keeps the chain
 * consistent, but not the head that was mailed or written out.  An
 * unparsable expected gives -1 (DBE_CHECK). */
int64_t audit_verify_expect(struct db *db, FILE *out, const char *expected,
			    struct db_error *err);
/* The head: the last event's sequence number and hash (hex, in a). */
int audit_head(struct db *db, struct arena *a, int64_t *seq, const char **hash,
	       struct db_error *err);
/* Where the daily job "audit-head" also appends the head ("TIME SEQ:HASH"
 * lines), set by `varn serve|jobs run --audit-head-file`; NULL: nowhere. */
extern const char *audit_head_file;
/* The job (core/audit_head.c; the scheduler lists it). */
struct buf;
int audit_head_job_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		       struct db_error *err);

#endif
