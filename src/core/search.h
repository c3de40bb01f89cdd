/* search.h - full-text search over the registers the modules name as
 * search sources (core/module.h): SQLite FTS5 and PostgreSQL full text,
 * with the same hits on both engines.
 *
 * What is searched is each record's `search` column (the entity engine's
 * folded text of the register's FF_SEARCH fields, private fields left
 * out), indexed as the migrations 0003_search.sql describe.  The user's
 * text is folded (utf8_fold) and split into words here, never by either
 * engine's query parser; each word is matched as a prefix of a word of the
 * record ("löne" finds "lönesystem" and "löner"), and a record must match
 * every word.  Words are split on the characters both engines treat as
 * separators, so an operator or a quote in the input is only a separator:
 * it can neither change nor break the query, which is bound as a value.
 *
 * Hits come in Swedish alphabetical order of their titles (name_sk, then
 * id): the engines' relevance ranks (bm25, ts_rank) differ, the order must
 * not.
 */
#ifndef VARN_SEARCH_H
#define VARN_SEARCH_H

#include "base/base.h"

struct ctx;
struct db_error;
struct entity;

#define SEARCH_MAX_TERMS 8   /* words used from the user's text */
#define SEARCH_MAX_TERM 64   /* bytes of one word (a longer one is cut, and
				still matches as a prefix) */

struct search_hit {
	int64_t id;
	const char *title;
	/* An excerpt of the record's searched text around the first word
	 * that matched (plain text, "…" where it was cut), or NULL; the match
	 * is snippet[mark_at .. mark_at + mark_len) (mark_len 0: none shown). */
	const char *snippet;
	size_t mark_at, mark_len;
};

struct search_group {
	const char *entity;       /* the register's entity name: "systems" */
	struct search_hit *hits;
	size_t n;
	int more;                 /* there were more than `limit` hits */
};

struct search_result {
	const char *terms[SEARCH_MAX_TERMS];
	size_t nterms;            /* 0: nothing to search for (no query run) */
	struct search_group *g;   /* one per search source, in module order */
	size_t ng;
};

/* Folds text and splits it into at most max words (allocated from a).
 * Returns the number of words. */
size_t search_terms(struct arena *a, const char *text, const char **terms, size_t max);

/* The longest one search source's query may run (db_set_time_limit): a
 * search the index cannot narrow (a single letter in a large register)
 * fails with DBE_TIMEOUT instead of holding a worker. */
#define SEARCH_TIME_LIMIT_MS 250

/* Searches the live (not archived) records of every search source in
 * cx->org, at most limit hits per register.  Only reads: the index is
 * kept current by the writes (search_index_record).  Returns 0 or -1 with
 * err set (DBE_TIMEOUT: over SEARCH_TIME_LIMIT_MS). */
int search_run(struct ctx *cx, const char *text, int limit,
	       struct search_result *out, struct db_error *err);

/* Brings the index entry of record id of register e up to date, inside
 * the caller's write transaction; the register engine calls it after each
 * create, update, archive and restore.  On SQLite the FTS5 entry is
 * replaced when the triggers of sqlite/0003_search.sql queued the row
 * (its search text is new or changed) and the row leaves the queue; on
 * PostgreSQL, and for a register that is no search source, nothing is to
 * be done (the GIN expression index is part of the row's write).  0, or
 * -1 with err set (the write must then fail). */
int search_index_record(struct ctx *cx, const struct entity *e, int64_t id,
			struct db_error *err);

/* SQLite: indexes every row left in search_queue by writes that bypass
 * the engine (a migration; restore rebuilds the index itself), in one
 * transaction of its own (or the caller's).  The server runs it once at
 * start-up; searches never do.  A no-op on PostgreSQL.  0, or -1 with err
 * set. */
int search_catch_up(struct ctx *cx, struct db_error *err);

/* The query of one search source on one engine (enum db_kind), with $1
 * the organisation, $2 the engine's query text and $3 the limit, or NULL
 * when e is no search source: for tests that check the plan uses the
 * full-text index. */
const char *search_sql(int db_kind, const struct entity *e);
/* The engine's query text for the words (FTS5 MATCH or tsquery). */
const char *search_query_text(struct arena *a, int db_kind, const char *const *terms,
			      size_t nterms);

#endif
