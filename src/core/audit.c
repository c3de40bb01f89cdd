/* audit.c - the hash-chained audit trail (audit.h). */
#include "base/base.h"

#include <sodium.h>

#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "db/db.h"
#include "core/ctx.h"

#define HASH_HEX (crypto_generichash_BYTES * 2 + 1)

/* Canonical form: each value as "<len>:<bytes>;" or "-;" for NULL, so no
 * two different events serialise alike. */
static void put_str(crypto_generichash_state *st, const char *s)
{
	char pre[32];
	int n;

	if (!s) {
		crypto_generichash_update(st, (const unsigned char *)"-;", 2);
		return;
	}
	n = snprintf(pre, sizeof(pre), "%zu:", strlen(s));
	crypto_generichash_update(st, (const unsigned char *)pre, (size_t)n);
	crypto_generichash_update(st, (const unsigned char *)s, strlen(s));
	crypto_generichash_update(st, (const unsigned char *)";", 1);
}

static void put_int(crypto_generichash_state *st, int64_t v, int is_null)
{
	char s[32];

	if (is_null) {
		put_str(st, NULL);
		return;
	}
	snprintf(s, sizeof(s), "%lld", (long long)v);
	put_str(st, s);
}

struct chain_row {
	int64_t seq, at, org_id, user_id, entity_id;
	int org_null, user_null, entity_null;
	const char *actor, *action, *entity, *summary, *before, *after, *ip;
	const char *prev_hash;
};

static void row_hash(const struct chain_row *c, char out[HASH_HEX])
{
	crypto_generichash_state st;
	unsigned char h[crypto_generichash_BYTES];

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	put_str(&st, c->prev_hash);
	put_int(&st, c->seq, 0);
	put_int(&st, c->at, 0);
	put_int(&st, c->org_id, c->org_null);
	put_int(&st, c->user_id, c->user_null);
	put_str(&st, c->actor);
	put_str(&st, c->action);
	put_str(&st, c->entity);
	put_int(&st, c->entity_id, c->entity_null);
	put_str(&st, c->summary);
	put_str(&st, c->before);
	put_str(&st, c->after);
	put_str(&st, c->ip);
	crypto_generichash_final(&st, h, sizeof(h));
	sodium_bin2hex(out, HASH_HEX, h, sizeof(h));
}

static const char sql_head_advance[] =
	"UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
static const char sql_head_set[] =
	"UPDATE audit_head SET hash = $1 WHERE id = 1";
static const char sql_insert[] =
	"INSERT INTO audit_event (seq, at, org_id, user_id, actor, action, entity,"
	" entity_id, summary, before_json, after_json, ip, prev_hash, hash)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

static struct db_val opt_int(int64_t v)
{
	return v ? DB_INT(v) : DB_NULL;
}

/* A batch: the head of the connection's transaction, held in memory
 * (audit.h).  A connection is used by one thread, so one per thread. */
static _Thread_local struct {
	const struct db *db;  /* the batch's connection, or NULL */
	int held;             /* the head row is advanced (and locked) */
	int64_t seq;
	char hash[HASH_HEX];
} batch;

static const char sql_head_put[] =
	"UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";

void audit_batch_begin(struct db *db)
{
	if (!db_in_transaction(db))
		BUG("audit_batch_begin outside a transaction");
	memset(&batch, 0, sizeof(batch));
	batch.db = db;
}

int audit_batch_end(struct db *db, struct arena *a, struct db_error *err)
{
	int held = batch.db == db && batch.held;
	char hash[HASH_HEX];
	int64_t seq = batch.seq;

	memcpy(hash, batch.hash, sizeof(hash));
	memset(&batch, 0, sizeof(batch));
	if (!held)
		return 0;
	return db_exec(db, a, sql_head_put, DB_ARGS(DB_INT(seq), DB_TEXT(hash)), NULL, err);
}

void audit_batch_abandon(void)
{
	memset(&batch, 0, sizeof(batch));
}

/* One event as row seq after prev_hash, at the moment at: its hash (in
 * hash) chained to the one before, the row inserted.  0, or -1 with err. */
static int insert_event(struct db *db, struct arena *a, const struct audit_event *ev,
			int64_t seq, const char *prev_hash, int64_t at, char hash[HASH_HEX],
			struct db_error *err)
{
	struct chain_row c = { 0 };

	c.seq = seq;
	c.prev_hash = prev_hash;
	c.at = at;
	c.org_id = ev->org_id;
	c.org_null = ev->org_id == 0;
	c.user_id = ev->user_id;
	c.user_null = ev->user_id == 0;
	c.actor = ev->actor ? ev->actor : "";
	c.action = ev->action;
	c.entity = ev->entity ? ev->entity : "";
	c.entity_id = ev->entity_id;
	c.entity_null = ev->entity_id == 0;
	c.summary = ev->summary ? ev->summary : "";
	c.before = ev->before;
	c.after = ev->after;
	c.ip = ev->ip;
	row_hash(&c, hash);
	if (db_exec(db, a, sql_insert,
		    DB_ARGS(DB_INT(c.seq), DB_INT(c.at), opt_int(ev->org_id),
			    opt_int(ev->user_id), DB_TEXT(c.actor), DB_TEXT(c.action),
			    DB_TEXT(c.entity), opt_int(ev->entity_id),
			    DB_TEXT(c.summary), DB_TEXT(c.before), DB_TEXT(c.after),
			    DB_TEXT(c.ip), DB_TEXT(c.prev_hash), DB_TEXT(hash)),
		    NULL, err) != 0)
		return -1;
	return 0;
}

int audit_append(struct db *db, struct arena *a, const struct audit_event *ev,
		 struct db_error *err)
{
	struct db_rows rows;
	const char *prev;
	char hash[HASH_HEX];
	int64_t seq;
	int in_batch = batch.db == db;

	if (!db_in_transaction(db))
		BUG("audit_append outside a transaction");
	if (in_batch && batch.held) {
		/* the row is this transaction's since the batch's first event */
		seq = batch.seq + 1;
		prev = batch.hash;
	} else {
		if (db_exec(db, a, sql_head_advance, DB_NOARGS, &rows, err) != 0)
			return -1;
		if (rows.nrows != 1)
			BUG("audit_head row missing");
		seq = db_cell_i64(&rows, 0, 0);
		prev = db_cell(&rows, 0, 1);
	}
	if (insert_event(db, a, ev, seq, prev, clock_now(), hash, err) != 0)
		return -1;
	if (in_batch) {
		/* the head is written once, by audit_batch_end */
		batch.held = 1;
		batch.seq = seq;
		memcpy(batch.hash, hash, sizeof(hash));
		return 0;
	}
	return db_exec(db, a, sql_head_set, DB_ARGS(DB_TEXT(hash)), NULL, err);
}

static const char sql_head_lock[] =
	"UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash";
static const char sql_head_write[] =
	"UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";

int audit_history_begin(struct db *db, struct arena *a, struct audit_history *b,
		      struct db_error *err)
{
	struct db_rows rows;

	if (!db_in_transaction(db))
		BUG("audit_history_begin outside a transaction");
	if (db_exec(db, a, sql_head_lock, DB_NOARGS, &rows, err) != 0)
		return -1;
	if (rows.nrows != 1 || strlen(db_cell(&rows, 0, 1)) != HASH_HEX - 1)
		BUG("audit_head row missing");
	b->seq = db_cell_i64(&rows, 0, 0);
	memcpy(b->hash, db_cell(&rows, 0, 1), HASH_HEX);
	return 0;
}

int audit_history_add(struct db *db, struct arena *a, struct audit_history *b,
		    const struct audit_event *ev, int64_t at, struct db_error *err)
{
	char hash[HASH_HEX];

	if (insert_event(db, a, ev, b->seq + 1, b->hash, at, hash, err) != 0)
		return -1;
	b->seq++;
	memcpy(b->hash, hash, HASH_HEX);
	return 0;
}

int audit_history_end(struct db *db, struct arena *a, struct audit_history *b,
		    struct db_error *err)
{
	return db_exec(db, a, sql_head_write, DB_ARGS(DB_INT(b->seq), DB_TEXT(b->hash)), NULL,
		       err);
}

int audit_append_now(struct db *db, struct arena *a, const struct audit_event *ev)
{
	struct db_error err;

	if (db_begin(db, &err) != 0)
		goto fail;
	if (audit_append(db, a, ev, &err) != 0) {
		db_rollback(db);
		goto fail;
	}
	if (db_commit(db, &err) != 0)
		goto fail;
	return 0;
fail:
	log_error("audit: cannot record %s: %s", ev->action, err.msg);
	return -1;
}

void audit_from_ctx(const struct ctx *cx, struct audit_event *ev)
{
	ev->user_id = cx->user_id;
	ev->actor = cx->actor ? cx->actor : "";
	ev->ip = cx->ip;
	if (cx->org)
		ev->org_id = cx->org->id;
}

/* ---- verification ---- */

static const char sql_page[] =
	"SELECT seq, at, org_id, user_id, actor, action, entity, entity_id,"
	" summary, before_json, after_json, ip, prev_hash, hash"
	" FROM audit_event WHERE seq > $1 ORDER BY seq LIMIT 1000";
static const char sql_head[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
static const char sql_count[] = "SELECT count(*) FROM audit_event";

int audit_head(struct db *db, struct arena *a, int64_t *seq, const char **hash,
	       struct db_error *err)
{
	struct db_rows rows;

	if (db_exec(db, a, sql_head, DB_NOARGS, &rows, err) != 0)
		return -1;
	if (rows.nrows != 1)
		return db_error_set(err, DBE_NOTFOUND, "the audit trail has no head row");
	*seq = db_cell_i64(&rows, 0, 0);
	*hash = db_cell(&rows, 0, 1);
	return 0;
}

/* "SEQ:HASH" or "HASH" into its parts; -1 when it is neither. */
static int parse_expect(const char *s, int64_t *seq, char hash[HASH_HEX])
{
	const char *colon = strchr(s, ':');
	const char *h = colon ? colon + 1 : s;

	*seq = 0;
	if (colon) {
		char *end;
		long long v = strtoll(s, &end, 10);

		if (end != colon || v < 1)
			return -1;
		*seq = v;
	}
	if (strlen(h) != HASH_HEX - 1 || strspn(h, "0123456789abcdef") != HASH_HEX - 1)
		return -1;
	memcpy(hash, h, HASH_HEX);
	return 0;
}

int64_t audit_verify(struct db *db, FILE *out, struct db_error *err)
{
	return audit_verify_expect(db, out, NULL, err);
}

int64_t audit_verify_expect(struct db *db, FILE *out, const char *expected,
			    struct db_error *err)
{
	char running[HASH_HEX] = "0000000000000000000000000000000000000000000000000000000000000000";
	char want[HASH_HEX];
	int64_t expect = 1, last = 0, count, want_seq = 0;
	int met = 0;
	struct db_rows rows;
	int64_t bad = 0;

	if (expected && parse_expect(expected, &want_seq, want) != 0) {
		fprintf(out, "audit: --expect takes SEQ:HASH (as `varn audit head` prints it) or a"
			" 64-digit hash\n");
		return db_error_set(err, DBE_CHECK, "not a head: %.80s", expected);
	}

	/* its own snapshot, or the caller's transaction (a restore checks the
	 * chain before it commits) */
	int own = !db_in_transaction(db);

	if (own && db_begin_snapshot(db, err) != 0)
		return -1;
	for (;;) {
		struct arena a = ARENA_INIT;
		if (db_exec(db, &a, sql_page, DB_ARGS(DB_INT(last)), &rows, err) != 0) {
			arena_release(&a);
			if (own)
				db_rollback(db);
			return -1;
		}
		for (size_t i = 0; i < rows.nrows && !bad; i++) {
			struct chain_row c = { 0 };
			char h[HASH_HEX];
			c.seq = db_cell_i64(&rows, i, 0);
			c.at = db_cell_i64(&rows, i, 1);
			c.org_null = db_cell(&rows, i, 2) == NULL;
			c.org_id = db_cell_i64(&rows, i, 2);
			c.user_null = db_cell(&rows, i, 3) == NULL;
			c.user_id = db_cell_i64(&rows, i, 3);
			c.actor = db_cell(&rows, i, 4);
			c.action = db_cell(&rows, i, 5);
			c.entity = db_cell(&rows, i, 6);
			c.entity_null = db_cell(&rows, i, 7) == NULL;
			c.entity_id = db_cell_i64(&rows, i, 7);
			c.summary = db_cell(&rows, i, 8);
			c.before = db_cell(&rows, i, 9);
			c.after = db_cell(&rows, i, 10);
			c.ip = db_cell(&rows, i, 11);
			c.prev_hash = db_cell(&rows, i, 12);
			if (c.seq != expect) {
				fprintf(out, "audit: event %lld is missing (found %lld next)\n",
					(long long)expect, (long long)c.seq);
				bad = expect;
			} else if (strcmp(c.prev_hash, running) != 0) {
				fprintf(out, "audit: event %lld does not follow the one before it\n",
					(long long)c.seq);
				bad = c.seq;
			} else {
				row_hash(&c, h);
				if (strcmp(h, db_cell(&rows, i, 13)) != 0) {
					fprintf(out, "audit: event %lld has been altered\n",
						(long long)c.seq);
					bad = c.seq;
				}
				memcpy(running, h, HASH_HEX);
				if (expected && !met &&
				    (want_seq ? c.seq == want_seq : 1) && !strcmp(h, want))
					met = 1;
				else if (expected && want_seq == c.seq && !met) {
					fprintf(out, "audit: event %lld is not the one of the head kept"
						" elsewhere: it has been altered, or the chain after it"
						" rewritten\n", (long long)c.seq);
					bad = c.seq;
				}
			}
			last = c.seq;
			expect = c.seq + 1;
		}
		arena_release(&a);
		if (bad || rows.nrows < 1000)
			break;
	}
	if (!bad) {
		struct arena a = ARENA_INIT;
		if (db_exec(db, &a, sql_head, DB_NOARGS, &rows, err) != 0 ||
		    rows.nrows != 1) {
			arena_release(&a);
			if (own)
				db_rollback(db);
			return -1;
		}
		if (db_cell_i64(&rows, 0, 0) != last ||
		    strcmp(db_cell(&rows, 0, 1), running) != 0) {
			fprintf(out, "audit: the last events after %lld have been removed\n",
				(long long)last);
			bad = last + 1;
		}
		if (!bad && db_exec(db, &a, sql_count, DB_NOARGS, &rows, err) == 0) {
			count = db_cell_i64(&rows, 0, 0);
			if (count != last) {
				fprintf(out, "audit: %lld events but the chain has %lld\n",
					(long long)count, (long long)last);
				bad = 1;
			} else if (expected && !met) {
				if (want_seq > last)
					fprintf(out, "audit: the head kept elsewhere names event %lld,"
						" but the trail ends at %lld: newer events have been"
						" removed\n", (long long)want_seq, (long long)last);
				else
					fprintf(out, "audit: no event has the hash kept elsewhere: the"
						" newest events have been altered or removed\n");
				bad = want_seq ? (want_seq > last ? last + 1 : want_seq) : 1;
			} else {
				fprintf(out, "audit: %lld events, chain intact\n",
					(long long)count);
				fprintf(out, "audit: head %lld:%s\n", (long long)last, running);
				if (expected)
					fprintf(out, "audit: the head kept elsewhere (%s) is in the"
						" chain\n", expected);
			}
		}
		arena_release(&a);
	}
	if (own)
		db_rollback(db);
	return bad;
}
