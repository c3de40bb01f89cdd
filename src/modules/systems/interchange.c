/* interchange.c - the KLASSA-compatible interchange (interchange.h): the
 * export, the import with its preview, and their pages. */
#include "base/base.h"

#include <pthread.h>
#include <strings.h>

#include "base/clock.h"
#include "core/entity.h"
#include "core/entity_import.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/systems/interchange.h"
#include "modules/systems/systems.h"
#include "parse/csv.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/pages_entity.h"
#include "web/parts.h"

/* Who imports: those who classify (systems.c's ROLES_CLASSIFY); the links
 * the import makes are theirs to make too. */
#define ROLES_KLASSA_IMPORT (ROLES_REGISTER_ADMIN | RB(ROLE_INFO_OWNER) | \
			     RB(ROLE_SYSTEM_OWNER))

/* ---- export ---- */

/* A set never classified has no levels (its columns hold 0 until then). */
#define LEVELS \
	" CASE WHEN i.classified_on IS NULL THEN NULL ELSE i.level_k END," \
	" CASE WHEN i.classified_on IS NULL THEN NULL ELSE i.level_r END," \
	" CASE WHEN i.classified_on IS NULL THEN NULL ELSE i.level_t END," \
	" CASE WHEN i.classified_on IS NULL THEN NULL ELSE i.level_s END,"

/* Live links between live systems and live sets, then the live sets no
 * live system handles; in Swedish order of the system, then the set. */
static const char sql_export[] =
	"SELECT DISTINCT 0, s.name_sk, i.name_sk, s.name, i.name," LEVELS
	"  i.classified_on"
	" FROM system_information l"
	" JOIN it_system s ON s.id = l.system_id AND s.org_id = l.org_id AND s.archived = 0"
	" JOIN information_set i ON i.id = l.infoset_id AND i.org_id = l.org_id"
	"  AND i.archived = 0"
	" WHERE l.org_id = $1 AND l.archived = 0"
	" UNION ALL"
	" SELECT 1, '', i.name_sk, NULL, i.name," LEVELS " i.classified_on"
	" FROM information_set i"
	" WHERE i.org_id = $1 AND i.archived = 0 AND NOT EXISTS ("
	"  SELECT 1 FROM system_information l"
	"  JOIN it_system s ON s.id = l.system_id AND s.org_id = l.org_id AND s.archived = 0"
	"  WHERE l.org_id = i.org_id AND l.infoset_id = i.id AND l.archived = 0)"
	" ORDER BY 1, 2, 3, 4, 5";

static const char *const aspect_col[ASPECT__COUNT] = { "K", "R", "T", "S" };

int klassa_export(struct ctx *cx, struct buf *out, struct db_error *err)
{
	struct db_rows rows;

	if (db_exec(cx->db, cx->a, sql_export, DB_ARGS(DB_INT(cx->org->id)), &rows, err) != 0)
		return -1;
	csv_write_bom(out);
	csv_write_cell(out, msg_text(cx->lang, M_KLASSA_COL_SYSTEM), 1);
	csv_write_cell(out, msg_text(cx->lang, M_KLASSA_COL_INFOSET), 0);
	for (int a = 0; a < ASPECT__COUNT; a++)
		csv_write_cell(out, aspect_col[a], 0);
	csv_write_cell(out, msg_text(cx->lang, M_KLASSA_COL_DATE), 0);
	csv_end_row(out);
	for (size_t k = 0; k < rows.nrows; k++) {
		for (size_t c = 3; c <= 9; c++)
			csv_write_cell(out, db_cell(&rows, k, c), c == 3);
		csv_end_row(out);
	}
	return buf_ok(out) ? 0 : -1;
}

static void export_page(struct req *q, struct resp *r)
{
	struct db_error err;

	if (klassa_export(&q->cx, &r->body, &err) != 0) {
		respond_error(q, r, 500);
		return;
	}
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	r->download_name = arena_printf(q->cx.a, "%s-klassa.csv", q->cx.org->slug);
	resp_header(r, "Cache-Control", "no-store");
}

/* ---- the system register's export: people, dependencies, information ---- */

/* A page of the export holds at most this many systems (entity_export.h);
 * the queries name them all at once in an IN list of as many parameters
 * (unused ones bound to 0, which no record has). */
#define BATCH 200

enum { XC_BUSINESS_OWNERS, XC_MANAGERS, XC_ADMINS, XC_DEPENDENCIES, XC_INFOSETS, XC__COUNT };

static const struct entity_export_column system_export_columns[] = {
	[XC_BUSINESS_OWNERS] = { "business_owners", M_X_BUSINESS_OWNERS },
	[XC_MANAGERS] = { "managers", M_X_MANAGERS },
	[XC_ADMINS] = { "administrators", M_X_ADMINS },
	[XC_DEPENDENCIES] = { "dependencies", M_X_DEPENDENCIES },
	[XC_INFOSETS] = { "information_sets", M_X_INFOSETS },
	{ NULL, 0 },
};

/* "@" stands for the IN list "$2,...,$201"; each statement is built once. */
static const char tmpl_people[] =
	"SELECT sp.system_id, sp.role, p.name, p.protected_identity, p.id"
	" FROM system_person sp"
	" JOIN person p ON p.id = sp.person_id AND p.org_id = sp.org_id AND p.archived = 0"
	" WHERE sp.org_id = $1 AND sp.archived = 0 AND sp.system_id IN (@)"
	" ORDER BY sp.system_id, p.name_sk, p.id";

/* Both ends of a dependency: seen from the other system, "sends to" is
 * "receives from". */
static const char tmpl_dependencies[] =
	"SELECT d.system_id, d.direction, o.name, o.name_sk, o.id"
	" FROM system_dependency d"
	" JOIN it_system o ON o.id = d.other_id AND o.org_id = d.org_id AND o.archived = 0"
	" WHERE d.org_id = $1 AND d.archived = 0 AND d.system_id IN (@)"
	" UNION ALL"
	" SELECT d.other_id,"
	"  CASE d.direction WHEN 'out' THEN 'in' WHEN 'in' THEN 'out' ELSE d.direction END,"
	"  o.name, o.name_sk, o.id"
	" FROM system_dependency d"
	" JOIN it_system o ON o.id = d.system_id AND o.org_id = d.org_id AND o.archived = 0"
	" WHERE d.org_id = $1 AND d.archived = 0 AND d.other_id IN (@)"
	" ORDER BY 1, 4, 5";

static const char tmpl_infosets[] =
	"SELECT l.system_id, i.name"
	" FROM system_information l"
	" JOIN information_set i ON i.id = l.infoset_id AND i.org_id = l.org_id"
	"  AND i.archived = 0"
	" WHERE l.org_id = $1 AND l.archived = 0 AND l.system_id IN (@)"
	" ORDER BY l.system_id, i.name_sk, i.id";

static const char *sql_people, *sql_dependencies, *sql_infosets;
static pthread_once_t sql_once = PTHREAD_ONCE_INIT;

static const char *with_ids(const char *tmpl)
{
	struct buf b = BUF_INIT;

	for (const char *p = tmpl; *p; p++) {
		if (*p != '@') {
			buf_putc(&b, *p);
			continue;
		}
		for (int i = 0; i < BATCH; i++)
			buf_printf(&b, i ? ",$%d" : "$%d", i + 2);
	}
	return buf_detach(&b, NULL);
}

static void build_sql(void)
{
	sql_people = with_ids(tmpl_people);
	sql_dependencies = with_ids(tmpl_dependencies);
	sql_infosets = with_ids(tmpl_infosets);
}

/* Appends "; text" to the row's cell for the system id (rows are few: a
 * page; the systems are found by a binary search over their ids). */
struct page_ids {
	int64_t id;
	size_t k;
};

static int cmp_ids(const void *a, const void *b)
{
	const struct page_ids *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void add_text(struct arena *a, const struct page_ids *ids, size_t n, const char **out,
		     int64_t system, int col, const char *text)
{
	struct page_ids key = { system, 0 }, *hit;
	const char **cell;

	hit = bsearch(&key, ids, n, sizeof(*ids), cmp_ids);
	if (!hit || !text)
		return;
	cell = &out[hit->k * XC__COUNT + (size_t)col];
	*cell = *cell ? arena_printf(a, "%s; %s", *cell, text) : text;
}

static int system_export_fill(struct ctx *cx, const struct entity *e, const struct record *rows,
			      size_t n, const char **out, struct db_error *err)
{
	struct db_val p[BATCH + 1];
	struct page_ids *ids;
	struct db_rows r;

	if (n > BATCH)
		BUG("an export page of %zu systems (at most %d)", n, BATCH);
	pthread_once(&sql_once, build_sql);
	ids = arena_alloc(cx->a, n * sizeof(*ids));
	p[0] = DB_INT(cx->org->id);
	for (size_t k = 0; k < BATCH; k++)
		p[k + 1] = DB_INT(k < n ? rows[k].id : 0);
	for (size_t k = 0; k < n; k++)
		ids[k] = (struct page_ids){ rows[k].id, k };
	qsort(ids, n, sizeof(*ids), cmp_ids);

	if (db_exec(cx->db, cx->a, sql_people, p, BATCH + 1, &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *role = db_cell(&r, i, 1), *name = db_cell(&r, i, 2);
		int col = strcmp(role, "manager") == 0 ? XC_MANAGERS :
			  strcmp(role, "administrator") == 0 ? XC_ADMINS : XC_BUSINESS_OWNERS;
		/* a protected identity's name only for those who need to know
		 * (as the engine masks it everywhere) */
		if (db_cell_i64(&r, i, 3) == 1 &&
		    !(org_people.need_to_know &&
		      org_people.need_to_know(cx, &org_people, db_cell_i64(&r, i, 4))))
			name = msg_text(cx->lang, M_PROTECTED_IDENTITY);
		add_text(cx->a, ids, n, out, db_cell_i64(&r, i, 0), col, name);
	}
	if (db_exec(cx->db, cx->a, sql_dependencies, p, BATCH + 1, &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *dir = db_cell(&r, i, 1);
		int label = strcmp(dir, "out") == 0 ? M_DIR_OUT :
			    strcmp(dir, "in") == 0 ? M_DIR_IN : M_DIR_BOTH;
		add_text(cx->a, ids, n, out, db_cell_i64(&r, i, 0), XC_DEPENDENCIES,
			 arena_printf(cx->a, "%s: %s", msg_text(cx->lang, label),
				      db_cell(&r, i, 2)));
	}
	if (db_exec(cx->db, cx->a, sql_infosets, p, BATCH + 1, &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++)
		add_text(cx->a, ids, n, out, db_cell_i64(&r, i, 0), XC_INFOSETS,
			 db_cell(&r, i, 1));
	(void)e;
	return 0;
}

const struct entity_export_extra systems_export_extra = {
	.columns = system_export_columns,
	.fill = system_export_fill,
};

/* The import's template: the columns it reads and one example line, a
 * live system and information set of the organisation (the first by name)
 * classified 1 1 1 1 today. */
static const char sql_first_names[] =
	"SELECT (SELECT name FROM it_system WHERE org_id = $1 AND archived = 0"
	"  ORDER BY name_sk, id LIMIT 1),"
	" (SELECT name FROM information_set WHERE org_id = $1 AND archived = 0"
	"  ORDER BY name_sk, id LIMIT 1)";

static void template_page(struct req *q, struct resp *r)
{
	struct ctx *cx = &q->cx;
	struct db_error err;
	struct db_rows rows;
	struct buf *out = &r->body;

	if (db_exec(cx->db, cx->a, sql_first_names, DB_ARGS(DB_INT(cx->org->id)), &rows,
		    &err) != 0) {
		respond_error(q, r, 500);
		return;
	}
	csv_write_bom(out);
	csv_write_cell(out, msg_text(cx->lang, M_KLASSA_COL_SYSTEM), 1);
	csv_write_cell(out, msg_text(cx->lang, M_KLASSA_COL_INFOSET), 0);
	for (int a = 0; a < ASPECT__COUNT; a++)
		csv_write_cell(out, aspect_col[a], 0);
	csv_write_cell(out, msg_text(cx->lang, M_KLASSA_COL_DATE), 0);
	csv_end_row(out);
	csv_write_cell(out, db_cell(&rows, 0, 0), 1);
	csv_write_cell(out, db_cell(&rows, 0, 1), 0);
	for (int a = 0; a < ASPECT__COUNT; a++)
		csv_write_cell(out, "1", 0);
	csv_write_cell(out, arena_strndup(cx->a, clock_format_local(cx->a, cx->now), 10), 0);
	csv_end_row(out);
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	r->download_name = arena_printf(cx->a, "%s-klassa-mall.csv", cx->org->slug);
	resp_header(r, "Cache-Control", "no-store");
}

/* ---- import ---- */

enum { COL_SYSTEM, COL_INFOSET, COL_K, COL_R, COL_T, COL_S, COL_DATE, COL__COUNT };

/* What a header cell may say, per column (compared case-insensitively). */
static const char *const col_names[COL__COUNT][6] = {
	[COL_SYSTEM] = { "System", "Systemnamn", "IT-system", NULL },
	[COL_INFOSET] = { "Informationsmängd", "Information", "Informationstyp",
			  "Information set", "Informationsmängder", NULL },
	[COL_K] = { "K", "Konfidentialitet", "C", "Confidentiality", NULL },
	[COL_R] = { "R", "Riktighet", "I", "Integrity", NULL },
	[COL_T] = { "T", "Tillgänglighet", "A", "Availability", NULL },
	[COL_S] = { "S", "Spårbarhet", "Traceability", NULL },
	[COL_DATE] = { "Datum", "Klassad", "Beslutsdatum", "Date", "Klassningsdatum", NULL },
};

/* The columns' technical names (structured problems). */
static const char *const col_field[COL__COUNT] = {
	"system", "information_set", "level_k", "level_r", "level_t", "level_s", "date",
};

static int column_of(const char *cell)
{
	for (int c = 0; c < COL__COUNT; c++)
		for (int k = 0; col_names[c][k]; k++)
			if (strcasecmp(cell, col_names[c][k]) == 0)
				return c;
	return -1;
}

/* The column's name in the reader's language (for problems). */
static const char *col_label(struct ctx *cx, int c)
{
	switch (c) {
	case COL_SYSTEM:
		return msg_text(cx->lang, M_KLASSA_COL_SYSTEM);
	case COL_INFOSET:
		return msg_text(cx->lang, M_KLASSA_COL_INFOSET);
	case COL_DATE:
		return msg_text(cx->lang, M_KLASSA_COL_DATE);
	default:
		return aspect_col[c - COL_K];
	}
}

/* A name as typed in a spreadsheet: surrounding spaces are not part of it. */
static const char *trimmed(struct arena *a, const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	return n ? arena_strndup(a, s, n) : NULL;
}

static int date_shaped(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	int m, d;

	if (strlen(s) != 10)
		return 0;
	for (size_t i = 0; i < 10; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9') : s[i] != '-')
			return 0;
	/* a month and a day that can be (the engine checks the rest) */
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* The levels (and date) the file gives a set, to see that its rows agree:
 * a table by the set's id (open addressing, on the heap: one entry per set
 * the file classifies, however many lines name it). */
struct seen {
	int64_t infoset;    /* 0: a free slot */
	int level[ASPECT__COUNT];
	char date[11];      /* "" when the file gives none */
};

struct seen_table {
	struct seen *slot;
	size_t cap, n;
};

static struct seen *seen_find(struct seen_table *t, int64_t infoset)
{
	size_t i;

	if (!t->cap)
		return NULL;
	for (i = (size_t)infoset * 0x9E3779B97F4A7C15u & (t->cap - 1); t->slot[i].infoset;
	     i = (i + 1) & (t->cap - 1))
		if (t->slot[i].infoset == infoset)
			return &t->slot[i];
	return &t->slot[i]; /* the free slot it would go in */
}

static void seen_add(struct seen_table *t, int64_t infoset, const int *level, const char *date)
{
	struct seen *s;

	if (2 * (t->n + 1) > t->cap) {
		struct seen_table bigger = { xcalloc(t->cap ? 2 * t->cap : 64, sizeof(struct seen)),
					     t->cap ? 2 * t->cap : 64, 0 };
		for (size_t i = 0; i < t->cap; i++)
			if (t->slot[i].infoset)
				*seen_find(&bigger, t->slot[i].infoset) = t->slot[i];
		bigger.n = t->n;
		free(t->slot);
		*t = bigger;
	}
	s = seen_find(t, infoset);
	s->infoset = infoset;
	memcpy(s->level, level, sizeof(s->level));
	snprintf(s->date, sizeof(s->date), "%s", date ? date : "");
	t->n++;
}

static const char sql_infoset_current[] =
	"SELECT level_k, level_r, level_t, level_s, classified_on FROM information_set"
	" WHERE org_id = $1 AND id = $2";

static const char sql_link_exists[] =
	"SELECT id FROM system_information WHERE org_id = $1 AND system_id = $2"
	" AND infoset_id = $3 AND archived = 0";

/* Adds the engine's problems with a row, under the file's column names. */
static void engine_problems(struct ctx *cx, struct klassa_run *run, size_t line,
			    const struct entity *e, const struct field_errors *errs)
{
	if (errs->n == 0)
		import_problem_add(cx, &run->base, line, NULL, msg_text(cx->lang, M_ERR_500_TEXT));
	for (size_t i = 0; i < errs->n; i++) {
		int f = errs->e[i].field;
		const char *col = NULL;
		if (e == &sys_classifications && f >= CLS_LEVEL_K && f <= CLS_LEVEL_S)
			col = aspect_col[f - CLS_LEVEL_K];
		else if (e == &sys_classifications && (f == CLS_DECIDED_ON || f == CLS_REVIEW_ON))
			col = col_label(cx, COL_DATE);
		else if (f >= 0)
			col = msg_text(cx->lang, e->fields[f].label);
		import_problem_add(cx, &run->base, line, col, msg_text(cx->lang, errs->e[i].msg));
	}
}

/* Classifies the set when the file's levels or date differ from its
 * current classification.  Returns 1 classified, 0 unchanged, -1 problem. */
static int classify(struct ctx *cx, struct klassa_run *run, size_t line, int64_t infoset,
		    const int *level, const char *date)
{
	struct db_rows rows;
	struct db_error err = { 0 };
	struct field_errors errs = { .n = 0 };
	struct record rec = { 0 };
	const char *vals[CLS_SCALE + 2] = { 0 };
	const char *current_date;
	int same;

	if (db_exec(cx->db, cx->a, sql_infoset_current,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(infoset)), &rows, &err) != 0 ||
	    rows.nrows != 1) {
		import_problem_add(cx, &run->base, line, NULL, msg_text(cx->lang, M_ERR_500_TEXT));
		return -1;
	}
	current_date = db_cell(&rows, 0, 4);
	/* never classified: the level columns hold 0, not a decision */
	same = current_date != NULL;
	for (int a = 0; a < ASPECT__COUNT; a++)
		same &= db_cell(&rows, 0, (size_t)a) != NULL &&
			db_cell_i64(&rows, 0, (size_t)a) == level[a];
	if (same && (!date || (current_date && strcmp(date, current_date) == 0)))
		return 0;
	/* the latest decision is the one in force: an older date would be
	 * saved and never apply, which nobody importing means */
	if (date && current_date && strcmp(date, current_date) < 0) {
		import_problem_add(cx, &run->base, line, col_label(cx, COL_DATE),
				   msg_text(cx->lang, M_KLASSA_DATE_OLDER));
		return -1;
	}
	vals[CLS_INFOSET] = arena_printf(cx->a, "%lld", (long long)infoset);
	for (int a = 0; a < ASPECT__COUNT; a++)
		vals[CLS_LEVEL_K + a] = arena_printf(cx->a, "%d", level[a]);
	vals[CLS_DECIDED_ON] = date;
	entity_record_from_values(cx, &sys_classifications, vals, &rec, &errs);
	if (errs.n == 0 && entity_create(cx, &sys_classifications, &rec, &errs, &err) == 0)
		return 1;
	engine_problems(cx, run, line, &sys_classifications, &errs);
	return -1;
}

/* Links the system to the set unless a live link exists.  1, 0 or -1. */
static int link_system(struct ctx *cx, struct klassa_run *run, size_t line, int64_t system,
		       int64_t infoset)
{
	struct db_rows rows;
	struct db_error err = { 0 };
	struct field_errors errs = { .n = 0 };
	struct record rec = { 0 };
	const char *vals[HND_NOTE + 2] = { 0 };

	if (db_exec(cx->db, cx->a, sql_link_exists,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system), DB_INT(infoset)), &rows,
		    &err) != 0) {
		import_problem_add(cx, &run->base, line, NULL, msg_text(cx->lang, M_ERR_500_TEXT));
		return -1;
	}
	if (rows.nrows)
		return 0;
	vals[HND_SYSTEM] = arena_printf(cx->a, "%lld", (long long)system);
	vals[HND_INFOSET] = arena_printf(cx->a, "%lld", (long long)infoset);
	entity_record_from_values(cx, &sys_handles, vals, &rec, &errs);
	if (errs.n == 0 && entity_create(cx, &sys_handles, &rec, &errs, &err) == 0)
		return 1;
	engine_problems(cx, run, line, &sys_handles, &errs);
	return -1;
}

void klassa_import_stream(struct ctx *cx, struct csv_reader *r, size_t max_rows,
			  import_progress_fn progress, void *arg, struct klassa_run *run)
{
	struct import_run *base = &run->base;
	struct arena *keep = cx->a, rowa = ARENA_INIT;
	struct csv_error cerr;
	struct csv_row head, rowbuf;
	int map[IMPORT_MAX_COLS];
	int have[COL__COUNT] = { 0 };
	struct seen_table seen = { NULL, 0, 0 };
	int got;

	memset(run, 0, sizeof(*run));
	if (import_read_header(cx, r, max_rows, base, &head) != 0)
		return;
	run->ignored = arena_alloc(cx->a, (head.n + 1) * sizeof(char *));
	for (size_t c = 0; c < head.n; c++) {
		const char *h = trimmed(cx->a, head.cells[c]);
		map[c] = h ? column_of(h) : -1;
		if (map[c] >= 0 && have[map[c]])
			map[c] = -1; /* the first of two same-named columns counts */
		if (map[c] >= 0)
			have[map[c]] = 1;
		else if (h)
			/* KLASSA's own files carry more (requirements,
			 * motivations): named in the preview, never read */
			run->ignored[run->nignored++] = h;
	}
	for (int c = COL_INFOSET; c <= COL_S; c++)
		if (!have[c]) {
			import_problem_add(cx, base, 1, col_label(cx, c),
					   msg_text(cx->lang, M_KLASSA_MISSING_COLUMN));
			base->fatal = 1;
		}
	if (base->fatal)
		return;

	/* each line in an arena of its own, let go when it is done */
	while ((got = csv_next(r, &rowa, &rowbuf, &cerr)) > 0) {
		const struct csv_row *row = &rowbuf;
		const char *cell[COL__COUNT] = { 0 };
		size_t before = base->nproblems, line = row->line;
		int64_t system = 0, infoset = 0;
		int level[ASPECT__COUNT], nlevels = 0, changed = 0, rc;
		struct seen *prev = NULL;

		cx->a = &rowa;
		for (size_t c = 0; c < row->n && c < head.n; c++)
			if (map[c] >= 0)
				cell[map[c]] = trimmed(cx->a, row->cells[c]);
		base->rows++;

		if (!cell[COL_INFOSET])
			import_problem_add(cx, base, line, col_label(cx, COL_INFOSET),
					   msg_text(cx->lang, M_V_REQUIRED));
		else if (!(infoset = entity_id_by_title(cx, &sys_infosets, cell[COL_INFOSET])))
			import_problem_value(cx, base, line, col_label(cx, COL_INFOSET),
					     col_field[COL_INFOSET], cell[COL_INFOSET], NULL,
					     M_KLASSA_NO_INFOSET_NAMED);
		if (cell[COL_SYSTEM] &&
		    !(system = entity_id_by_title(cx, &sys_systems, cell[COL_SYSTEM])))
			import_problem_value(cx, base, line, col_label(cx, COL_SYSTEM),
					     col_field[COL_SYSTEM], cell[COL_SYSTEM], NULL,
					     M_KLASSA_NO_SYSTEM_NAMED);
		for (int a = 0; a < ASPECT__COUNT; a++) {
			const char *v = cell[COL_K + a];
			int64_t x;
			level[a] = -1;
			if (!v)
				continue;
			if (parse_i64(v, &x) != 0 || x < 0 || x > LEVEL_MAX) {
				import_problem_value(cx, base, line, col_label(cx, COL_K + a),
						     col_field[COL_K + a], v,
						     arena_printf(cx->a, "0–%d", LEVEL_MAX),
						     M_IMPORT_BAD_LEVEL);
				continue;
			}
			level[a] = (int)x;
			nlevels++;
		}
		if (nlevels && nlevels < ASPECT__COUNT && base->nproblems == before)
			import_problem_add(cx, base, line, NULL,
					   msg_text(cx->lang, M_KLASSA_LEVELS_ALL));
		if (cell[COL_DATE] && !date_shaped(cell[COL_DATE]))
			import_problem_value(cx, base, line, col_label(cx, COL_DATE),
					     col_field[COL_DATE], cell[COL_DATE],
					     arena_strndup(cx->a, clock_format_local(cx->a, cx->now), 10),
					     M_IMPORT_BAD_DATE);

		/* one set, one classification: its rows must agree */
		if (infoset && nlevels == ASPECT__COUNT) {
			prev = seen_find(&seen, infoset);
			if (prev && !prev->infoset)
				prev = NULL;
			if (prev && (memcmp(prev->level, level, sizeof(level)) != 0 ||
				     strcmp(prev->date, cell[COL_DATE] ? cell[COL_DATE] : "") != 0))
				import_problem_add(cx, base, line, col_label(cx, COL_INFOSET),
						   msg_text(cx->lang, M_KLASSA_LEVELS_DIFFER));
		}
		if (base->nproblems == before) {
			if (nlevels == ASPECT__COUNT && !prev) {
				seen_add(&seen, infoset, level, cell[COL_DATE]);
				rc = classify(cx, run, line, infoset, level, cell[COL_DATE]);
				if (rc > 0)
					run->classified++;
				changed |= rc > 0;
			}
			if (system && base->nproblems == before) {
				rc = link_system(cx, run, line, system, infoset);
				if (rc > 0)
					run->linked++;
				changed |= rc > 0;
			}
			if (!changed && base->nproblems == before)
				run->unchanged++;
		}
		if (base->nproblems == before)
			base->ok++;
		cx->a = keep;
		arena_release(&rowa);
		if (progress)
			progress(arg, base->rows, base->total);
	}
	if (got < 0) {
		import_problem_add(cx, base, cerr.line, NULL,
				   cx->lang == LANG_EN ? cerr.msg_en : cerr.msg_sv);
		base->fatal = 1;
	}
	cx->a = keep;
	arena_release(&rowa);
	free(seen.slot);
}

void klassa_import_run(struct ctx *cx, const char *text, size_t len,
		       import_progress_fn progress, void *arg, struct klassa_run *run)
{
	struct csv_reader *r = csv_reader_mem(text, len, 0, 0, IMPORT_MAX_COLS);

	klassa_import_stream(cx, r, IMPORT_MAX_ROWS, progress, arg, run);
	csv_reader_free(r);
}

int klassa_import_commit(struct ctx *cx, const struct klassa_run *run,
			 struct db_error *err)
{
	/* one "import" event for the file; each classification and link has
	 * its own event from the engine already */
	return entity_import_commit(cx, &sys_classifications, &run->base, err);
}

/* ---- the import page ---- */

static void import_form(struct req *q, struct resp *r, const char *text,
			const struct klassa_run *run, int status)
{
	const struct import_run *base = run ? &run->base : NULL;
	struct html h;

	page_begin(q, r, &h, M_KLASSA_IMPORT);
	r->status = status;
	if (req_param(q, "done")) {
		h_lit(&h, "<div class=\"notice\" role=\"status\">");
		h_msg_n(&h, M_KLASSA_DONE, req_int(q, "done", 0, INT64_MAX, 0));
		h_lit(&h, "</div>");
	}
	if (base && base->nproblems) {
		import_problems_table(&h, base);
	} else if (base && base->rows) {
		/* confirming posts the text again: the preview was rolled back */
		const struct part_hidden again[] = {
			{ "confirm", "1" }, { "csv", text }, { NULL, NULL },
		};
		h_lit(&h, "<div class=\"notice\" role=\"status\"><p>");
		h_msg_n(&h, M_KLASSA_READY, (long long)base->rows);
		h_lit(&h, "</p><ul><li>");
		h_msg_n(&h, M_KLASSA_N_CLASSIFIED, (long long)run->classified);
		h_lit(&h, "</li><li>");
		h_msg_n(&h, M_KLASSA_N_LINKED, (long long)run->linked);
		h_lit(&h, "</li><li>");
		h_msg_n(&h, M_KLASSA_N_UNCHANGED, (long long)run->unchanged);
		h_lit(&h, "</li></ul>");
		if (run->nignored) {
			h_lit(&h, "<p>");
			h_msg(&h, M_KLASSA_IGNORED);
			for (size_t i = 0; i < run->nignored; i++) {
				if (i)
					h_lit(&h, ",");
				h_lit(&h, " <code>");
				h_text(&h, run->ignored[i]);
				h_lit(&h, "</code>");
			}
			h_lit(&h, "</p>");
		}
		part_post_button(&h, &(struct part_post){ .label = M_KLASSA_DO, .cls = "primary",
							  .hidden = again },
				 "/o/%s/klassa/import", q->cx.org->slug);
		h_lit(&h, "</div>");
	}
	h_lit(&h, "<p>");
	h_msg(&h, M_KLASSA_HELP);
	h_lit(&h, "</p><p class=\"hint\" id=\"import-limit\">");
	h_msg_n(&h, M_IMPORT_LIMIT, IMPORT_MAX_ROWS);
	h_lit(&h, "</p>");
	h_lit(&h, "<p class=\"toolbar\">");
	part_button_link(&h, M_KLASSA_EXPORT, 0, "/o/%s/klassa.csv", q->cx.org->slug);
	part_button_link(&h, M_KLASSA_TEMPLATE, 0, "/o/%s/klassa/import-template.csv",
			 q->cx.org->slug);
	h_lit(&h, "</p>");
	h_lit(&h, "<form method=\"post\" class=\"record\" action=\"");
	h_url(&h, "/o/%s/klassa/import", q->cx.org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	part_field(&h, &(struct part_field){ .type = PI_LONGTEXT, .name = "csv",
					     .label = M_KLASSA_PASTE, .help = M_IMPORT_PASTE_HINT,
					     .value = text, .rows = 12, .plain = 1 });
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_IMPORT_PREVIEW);
	h_lit(&h, "</button>");
	part_button_link(&h, M_CANCEL, 0, "/o/%s/information", q->cx.org->slug);
	h_lit(&h, "</div></form>");
	page_end(q, r, &h);
}

static void import_page(struct req *q, struct resp *r)
{
	import_form(q, r, NULL, NULL, 200);
}

static void import_action(struct req *q, struct resp *r)
{
	const char *text = form_get(&q->body_form, "csv");
	int confirm = req_int(q, "confirm", 0, 1, 0);
	struct klassa_run run;
	struct db_error err;

	if (!text)
		text = "";
	if (db_begin(q->cx.db, &err) != 0) {
		respond_error(q, r, 500);
		return;
	}
	/* the preview is the real import, rolled back */
	klassa_import_run(&q->cx, text, strlen(text), NULL, NULL, &run);
	if (!confirm || run.base.nproblems || run.base.rows == 0) {
		db_rollback(q->cx.db);
		import_form(q, r, text, &run, run.base.nproblems ? 422 : 200);
		return;
	}
	if (klassa_import_commit(&q->cx, &run, &err) != 0) {
		respond_error(q, r, 500);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/klassa/import?done=%zu", q->cx.org->slug,
					 run.base.rows));
}

static const struct param page_params[] = {
	{ "done", P_STR, 24 },
	{ NULL, 0, 0 },
};

static const struct param import_params[] = {
	{ "csrf", P_STR, 128 },
	{ "confirm", P_STR, 4 },
	{ "csv", P_STR, BODY_IMPORT },
	{ NULL, 0, 0 },
};

const struct route interchange_routes[] = {
	{ "GET", "/o/{org}/klassa.csv", export_page, ROLES_STAFF, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/klassa/import", import_page, ROLES_KLASSA_IMPORT, 0, 0,
	  page_params, NULL },
	{ "GET", "/o/{org}/klassa/import-template.csv", template_page, ROLES_KLASSA_IMPORT, 0, 0,
	  NULL, NULL },
	{ "POST", "/o/{org}/klassa/import", import_action, ROLES_KLASSA_IMPORT, 0,
	  BODY_IMPORT, import_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
