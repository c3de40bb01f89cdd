/* search.c - full-text search over systems and information sets
 * (search.h; the indexes are in the migrations 0003_search.sql). */
#include "base/base.h"

#include <pthread.h>

#include "base/utf8.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/search.h"
#include "db/db.h"

/* The characters both engines must treat as word separators.  FTS5's
 * unicode61 tokenizer keeps only letters and digits (and private-use
 * characters) in words; PostgreSQL's parser keeps more (e-mail addresses,
 * host names, decimals, hyphenated words) and, under the C locale, takes
 * every non-ASCII character for a letter.  PostgreSQL's index therefore
 * replaces this set with spaces before parsing (PG_DOC below, the same
 * expression as in pg/0003_search.sql) and the user's words are split on
 * it too.  What remains different is rare in a register's text (symbols
 * and punctuation of other scripts outside these ranges). */
static int is_separator(uint32_t c)
{
	if (c < 0x80)
		return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
			 (c >= 'A' && c <= 'Z'));
	if (c <= 0xBF)  /* C1 controls, Latin-1 punctuation and signs... */
		return !(c == 0xAA || c == 0xB2 || c == 0xB3 || c == 0xB5 ||
			 c == 0xB9 || c == 0xBA || (c >= 0xBC && c <= 0xBE));
	return c == 0xD7 || c == 0xF7 ||
	       (c >= 0x2000 && c <= 0x206F) ||   /* general punctuation */
	       (c >= 0x20A0 && c <= 0x20CF) ||   /* currency signs */
	       (c >= 0x2190 && c <= 0x2BFF) ||   /* arrows .. symbols, shapes */
	       (c >= 0x2E00 && c <= 0x2E7F) ||   /* supplemental punctuation */
	       (c >= 0x3000 && c <= 0x303F) ||   /* CJK punctuation */
	       (c >= 0xFE00 && c <= 0xFE0F) ||   /* variation selectors */
	       c == 0xFEFF || c == 0xFFFD ||
	       (c >= 0x1F000 && c <= 0x1FAFF);   /* emoji and pictographs */
}

/* The separators above as a PostgreSQL regular expression bracket. */
#define PG_SEPARATORS \
	"[\\u0001-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u00a9" \
	"\\u00ab-\\u00b1\\u00b4\\u00b6-\\u00b8\\u00bb\\u00bf\\u00d7\\u00f7" \
	"\\u2000-\\u206f\\u20a0-\\u20cf\\u2190-\\u2bff\\u2e00-\\u2e7f" \
	"\\u3000-\\u303f\\ufe00-\\ufe0f\\ufeff\\ufffd\\U0001f000-\\U0001faff]"
/* The indexed expression, exactly as the index declares it (or the
 * planner would not use the index). */
#define PG_DOC \
	"to_tsvector('simple'::regconfig, regexp_replace(t.search, '" \
	PG_SEPARATORS "', ' ', 'g'))"

/* The queries of each search source are generated once from its register's
 * declaration (module.h): $1 organisation, $2 the engine's query text, $3
 * limit.  The columns after the title are the register's FF_SEARCH fields
 * a snippet may come from, never a private one (the engine leaves those
 * out of the indexed text too).
 *
 * Both queries start from the full-text index: the match is evaluated
 * once, and only the records that match are sorted.  Left to choose, both
 * planners walked the organisation's name index in title order instead,
 * testing the match record by record until the page was full: SQLite
 * evaluated the FTS5 MATCH once per record (1.4 s for "lön" at 20,000
 * systems), PostgreSQL computed to_tsvector() of every record passed
 * (0.3 s), because the hits sit at "L".  SQLite's CROSS JOIN and
 * PostgreSQL's MATERIALIZED candidates fix the order: 0.4 and 3 ms.  The
 * cost is now that of the records that match (a single letter matching
 * most of a register is the worst case: 12 and 36 ms at 20,000), bounded
 * further by the time limit in search_run.
 *
 * SQLite also keeps the FTS5 tables current at write time
 * (search_index_record): per source, the statements that take a row off
 * search_queue and replace its entry. */
struct source_sql {
	const struct entity *e;
	const char *sqlite, *pg;
	const char *queue_take, *fts_delete, *fts_insert;
};

static struct source_sql *sources;
static size_t nsources;
static const char *catch_up_sql;
static pthread_once_t sources_once = PTHREAD_ONCE_INIT;

/* "SELECT t.id, t.title, t.field..." (p "t.") or without the prefix. */
static void source_columns(struct buf *b, const struct entity *e, const char *p)
{
	const struct entity_field *t = &e->fields[e->title_field];

	buf_printf(b, "SELECT %sid, %s%s", p, p, t->name);
	for (size_t i = 0; e->fields[i].name; i++) {
		const struct entity_field *f = &e->fields[i];
		if ((int)i != e->title_field && (f->flags & FF_SEARCH) &&
		    !(f->flags & FF_PRIVATE))
			buf_printf(b, ", %s%s", p, f->name);
	}
}

static void prepare_sources(void)
{
	struct buf b = BUF_INIT, up = BUF_INIT;

	for (size_t m = 0; modules[m]; m++)
		for (const struct search_source *x = modules[m]->search; x && x->entity; x++)
			nsources++;
	sources = xcalloc(nsources + 1, sizeof(*sources));
	nsources = 0;
	for (size_t m = 0; modules[m]; m++) {
		for (const struct search_source *x = modules[m]->search; x && x->entity; x++) {
			const struct entity *e = x->entity;
			const char *tbl = e->table;
			const char *sk = e->fields[e->title_field].name;
			struct source_sql *src = &sources[nsources++];

			src->e = e;
			source_columns(&b, e, "t.");
			buf_printf(&b, " FROM %s_fts CROSS JOIN %s t ON t.id = %s_fts.rowid"
				       " WHERE %s_fts MATCH $2 AND t.org_id = $1 AND t.archived = 0",
				   tbl, tbl, tbl, tbl);
			entity_scope_sql(e, &b, 3);
			buf_printf(&b, " ORDER BY t.%s_sk, t.id LIMIT $3", sk);
			src->sqlite = buf_detach(&b, NULL);
			buf_puts(&b, "WITH hits AS MATERIALIZED (");
			source_columns(&b, e, "t.");
			buf_printf(&b, ", t.%s_sk FROM %s t WHERE t.org_id = $1 AND t.archived = 0"
				       " AND " PG_DOC " @@ to_tsquery('simple'::regconfig, $2)", sk, tbl);
			entity_scope_sql(e, &b, 3);
			buf_puts(&b, ") ");
			source_columns(&b, e, "");
			buf_printf(&b, " FROM hits ORDER BY %s_sk, id LIMIT $3", sk);
			src->pg = buf_detach(&b, NULL);
			buf_printf(&b, "DELETE FROM search_queue WHERE tbl = '%s' AND row_id = $1", tbl);
			src->queue_take = buf_detach(&b, NULL);
			buf_printf(&b, "DELETE FROM %s_fts WHERE rowid = $1", tbl);
			src->fts_delete = buf_detach(&b, NULL);
			buf_printf(&b, "INSERT INTO %s_fts (rowid, search) SELECT id, search FROM %s"
				       " WHERE id = $1", tbl, tbl);
			src->fts_insert = buf_detach(&b, NULL);
			buf_printf(&up, "DELETE FROM %s_fts WHERE rowid IN"
					" (SELECT row_id FROM search_queue WHERE tbl = '%s');"
					"INSERT INTO %s_fts (rowid, search) SELECT id, search FROM %s"
					" WHERE id IN (SELECT row_id FROM search_queue WHERE tbl = '%s');",
				   tbl, tbl, tbl, tbl, tbl);
		}
	}
	buf_puts(&up, "DELETE FROM search_queue;");
	catch_up_sql = buf_detach(&up, NULL);
	buf_release(&b);
}

static void sources_ready(void)
{
	pthread_once(&sources_once, prepare_sources);
}

static const struct source_sql *source_of(const struct entity *e)
{
	sources_ready();
	for (size_t i = 0; i < nsources; i++)
		if (sources[i].e == e)
			return &sources[i];
	return NULL;
}

/* SQLite: bring the FTS5 tables up to date with the rows the triggers
 * noted (sqlite/0003_search.sql explains why triggers cannot do it).
 * Deleting by rowid and inserting the row as it is now handles inserts,
 * changes and deletes alike, and any number of them per row. */
static const char sql_queue_pending[] =
	"SELECT EXISTS (SELECT 1 FROM search_queue)";

const char *search_sql(int kind, const struct entity *e)
{
	const struct source_sql *src = source_of(e);

	if (!src)
		return NULL;
	return kind == DB_PG ? src->pg : src->sqlite;
}

size_t search_terms(struct arena *a, const char *text, const char **terms, size_t max)
{
	const char *p = utf8_fold(a, text ? text : "");
	size_t n = 0;

	while (n < max) {
		const char *start, *end, *next;
		uint32_t c;

		do {            /* start: the word's first byte */
			start = p;
			c = utf8_next(&p);
		} while (c && is_separator(c));
		if (!c)
			break;
		/* to the end of the word; end: where it is cut, after at
		 * most SEARCH_MAX_TERM bytes and at a character boundary */
		for (end = p;; p = next) {
			next = p;
			c = utf8_next(&next);
			if (!c || is_separator(c))
				break;
			if (next - start <= SEARCH_MAX_TERM)
				end = next;
		}
		terms[n++] = arena_strndup(a, start, (size_t)(end - start));
		if (!c)
			break;
	}
	return n;
}

const char *search_query_text(struct arena *a, int kind, const char *const *terms,
			      size_t nterms)
{
	struct buf b = BUF_INIT;
	char *out;

	/* Each word a quoted prefix term: FTS5 "word"* (a space is AND),
	 * tsquery 'word':* joined by &.  Words hold no quotes or backslashes
	 * (they are separators), but quoting stays correct if they did. */
	for (size_t i = 0; i < nterms; i++) {
		const char quote = kind == DB_PG ? '\'' : '"';
		if (i)
			buf_puts(&b, kind == DB_PG ? " & " : " ");
		buf_putc(&b, quote);
		for (const char *s = terms[i]; *s; s++) {
			if (*s == quote || (kind == DB_PG && *s == '\\'))
				buf_putc(&b, *s);
			buf_putc(&b, *s);
		}
		buf_putc(&b, quote);
		buf_puts(&b, kind == DB_PG ? ":*" : "*");
	}
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

int search_catch_up(struct ctx *cx, struct db_error *err)
{
	struct arena a = ARENA_INIT;
	struct db_rows r;
	int own = !db_in_transaction(cx->db), rc;

	if (db_kind(cx->db) != DB_SQLITE)
		return 0;
	sources_ready();
	rc = db_exec(cx->db, &a, sql_queue_pending, DB_NOARGS, &r, err);
	if (rc == 0 && r.nrows == 1 && db_cell_i64(&r, 0, 0)) {
		if (own && db_begin(cx->db, err)) {
			rc = -1;
		} else if (db_exec_script(cx->db, catch_up_sql, err)) {
			if (own)
				db_rollback(cx->db);
			rc = -1;
		} else if (own) {
			rc = db_commit(cx->db, err);
		}
	}
	arena_release(&a);
	return rc;
}

int search_index_record(struct ctx *cx, const struct entity *e, int64_t id,
			struct db_error *err)
{
	const struct source_sql *src;
	struct db_rows r;

	if (db_kind(cx->db) != DB_SQLITE || !(src = source_of(e)))
		return 0;
	/* the triggers queued the row if its search text changed (or it is
	 * new); nothing queued, nothing to do (an archive, a restore, an
	 * update of other fields) */
	if (db_exec(cx->db, cx->a, src->queue_take, DB_ARGS(DB_INT(id)), &r, err))
		return -1;
	if (r.changes == 0)
		return 0;
	if (db_exec(cx->db, cx->a, src->fts_delete, DB_ARGS(DB_INT(id)), NULL, err) ||
	    db_exec(cx->db, cx->a, src->fts_insert, DB_ARGS(DB_INT(id)), NULL, err))
		return -1;
	return 0;
}

/* The first word of text (a field's own, not folded) that starts with one
 * of the terms, and an excerpt around it. */
static int snippet_of(struct arena *a, const char *text, const char *const *terms,
		      size_t nterms, struct search_hit *hit)
{
	enum { BEFORE = 60, AFTER = 120 };
	const char *p = text, *ws = NULL, *we = NULL;
	size_t len = strlen(text), from, to;
	struct buf b = BUF_INIT;

	for (;;) {
		const char *start = p, *fold;
		uint32_t c = utf8_next(&p);

		if (!c)
			break;
		if (is_separator(c))
			continue;
		for (const char *next = p; (c = utf8_next(&next)) && !is_separator(c);)
			p = next;
		fold = utf8_fold(a, arena_strndup(a, start, (size_t)(p - start)));
		for (size_t i = 0; i < nterms && !ws; i++)
			if (strncmp(fold, terms[i], strlen(terms[i])) == 0) {
				ws = start;
				we = p;
			}
		if (ws)
			break;
	}
	if (!ws)
		return 0;
	/* the window, widened to whole words where it is cut */
	from = (size_t)(ws - text) > BEFORE ? (size_t)(ws - text) - BEFORE : 0;
	to = len - (size_t)(we - text) > AFTER ? (size_t)(we - text) + AFTER : len;
	if (from > 0) {
		while (from < (size_t)(ws - text) && text[from - 1] != ' ')
			from++;
	}
	if (to < len) {
		while (to > (size_t)(we - text) && text[to] != ' ')
			to--;
		while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
			to++;
	}
	if (from > 0)
		buf_puts(&b, "…");
	hit->mark_at = b.len + (size_t)(ws - text) - from;
	hit->mark_len = (size_t)(we - ws);
	buf_add(&b, text + from, to - from);
	if (to < len)
		buf_puts(&b, "…");
	hit->snippet = arena_strdup(a, b.p);
	buf_release(&b);
	return 1;
}

/* The start of the first non-empty field, when the match was elsewhere
 * (the title). */
static void opening_of(struct arena *a, const char *text, struct search_hit *hit)
{
	enum { LENGTH = 160 };
	size_t len = strlen(text), to = len;

	if (len > LENGTH) {
		to = LENGTH;
		while (to > 0 && text[to] != ' ')
			to--;
		if (to == 0)
			to = LENGTH;
		while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
			to++;
	}
	hit->snippet = to < len ? arena_printf(a, "%.*s…", (int)to, text)
				: arena_strdup(a, text);
	hit->mark_at = hit->mark_len = 0;
}

static void fill_hit(struct arena *a, const struct db_rows *r, size_t row,
		     const struct search_result *res, struct search_hit *hit)
{
	const char *first = NULL;

	hit->id = db_cell_i64(r, row, 0);
	hit->title = db_cell(r, row, 1);
	hit->snippet = NULL;
	for (size_t col = 2; col < r->ncols; col++) {
		const char *v = db_cell(r, row, col);
		if (!v || !*v)
			continue;
		if (snippet_of(a, v, res->terms, res->nterms, hit))
			return;
		if (!first)
			first = v;
	}
	if (first)
		opening_of(a, first, hit);
}

int search_run(struct ctx *cx, const char *text, int limit,
	       struct search_result *out, struct db_error *err)
{
	int kind = db_kind(cx->db), rc = 0;
	struct db_error reset;
	const char *query;

	memset(out, 0, sizeof(*out));
	sources_ready();
	out->ng = nsources;
	out->g = arena_alloc(cx->a, (nsources + 1) * sizeof(*out->g));
	for (size_t k = 0; k < nsources; k++) {
		memset(&out->g[k], 0, sizeof(out->g[k]));
		out->g[k].entity = sources[k].e->name;
	}
	out->nterms = search_terms(cx->a, text, out->terms, SEARCH_MAX_TERMS);
	if (out->nterms == 0)
		return 0;
	if (limit < 1)
		limit = 1;
	query = search_query_text(cx->a, kind, out->terms, out->nterms);
	if (db_set_time_limit(cx->db, SEARCH_TIME_LIMIT_MS, err))
		return -1;
	for (size_t k = 0; k < nsources && rc == 0; k++) {
		struct search_group *g = &out->g[k];
		struct db_val p[6];
		size_t np = 0;

		/* a register the actor may not read is not searched */
		if (!(cx->org->roles & sources[k].e->roles_read))
			continue;
		struct db_rows r;

		/* one more than asked: tells whether there are more */
		p[np++] = DB_INT(cx->org->id);
		p[np++] = DB_TEXT(query);
		p[np++] = DB_INT(limit + 1);
		np = entity_scope_bind(cx, sources[k].e, p, np);
		rc = db_exec(cx->db, cx->a, kind == DB_PG ? sources[k].pg : sources[k].sqlite,
			     p, np, &r, err);
		if (rc)
			break;
		g->more = r.nrows > (size_t)limit;
		g->n = g->more ? (size_t)limit : r.nrows;
		g->hits = arena_alloc(cx->a, (g->n ? g->n : 1) * sizeof(*g->hits));
		for (size_t i = 0; i < g->n; i++)
			fill_hit(cx->a, &r, i, out, &g->hits[i]);
	}
	/* the connection goes back to the pool without the limit */
	if (db_set_time_limit(cx->db, 0, &reset) && rc == 0) {
		*err = reset;
		rc = -1;
	}
	return rc;
}
