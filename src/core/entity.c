/* entity.c - the register engine (entity.h).
 *
 * SQL is generated once per entity at start-up from its static declaration:
 * column and table names come from the code, never from input, and every
 * value is a bound parameter.  The list query has one variant per sortable
 * field, direction and "has a cursor"; filters and search are always bound
 * (with '' / 0 / -1 meaning "any"), so the set of statements is fixed.
 */
#include "base/base.h"

#include <jansson.h>
#include <pthread.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/roles.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/search.h"
#include "db/db.h"
#include "core/ctx.h"
#include "core/i18n.h"

#define NSYS 6 /* id, org_id, version, archived, created_at, updated_at */
/* Bound values of one write: 8 system values, every field and its sort key
 * (prepare() refuses a declaration that does not fit). */
#define ENTITY_MAX_PARAMS 160

struct list_variant {
	const char *sql;
};

struct entity_sql {
	const char *get;
	const char *count;
	const char *insert;
	const char *transition;  /* update: every field, the sort keys and archived */
	const char *exists;      /* used by others' F_REF checks */
	const char *by_title;    /* import: references by name */
	const char *titles;      /* entity_titles(): up to ENTITY_TITLES_MAX ids */
	/* list[sort slot][desc][has cursor]; slot 0 is the title */
	struct list_variant (*list)[2][2];
	/* grant_table registers: the same for a viewer who reads only the
	 * records granted to them, driven by their grants (an index range)
	 * instead of a scan of the register with a condition per row */
	const char *count_granted;
	struct list_variant (*list_granted)[2][2];
	int *sort_fields;        /* slot -> field index */
	int nsort;
	int nfilters;
	int *ref_private;        /* per field: 1 if the ref's private flag is selected */
	int *is_state;           /* per field: a transition's state field */
	int unit_fi, owner_fi, parent_fi; /* per-record access fields, or -1 */
	const char *grant;       /* the actor's grant of a record (grant_table) */
};

void field_error_add(struct field_errors *errs, int field, int msg, const char *code)
{
	if (errs->n < ENTITY_MAX_ERRORS) {
		errs->e[errs->n].field = field;
		errs->e[errs->n].msg = msg;
		errs->e[errs->n].code = code;
		errs->n++;
	}
}

const struct field_error *field_error_find(const struct field_errors *errs, int field)
{
	for (size_t k = 0; errs && k < errs->n; k++)
		if (errs->e[k].field == field)
			return &errs->e[k];
	return NULL;
}

int entity_field_index(const struct entity *e, const char *name)
{
	for (int i = 0; e->fields[i].name; i++)
		if (strcmp(e->fields[i].name, name) == 0)
			return i;
	return -1;
}

const struct entity *entity_by_name(const char *name)
{
	for (size_t i = 0; module_entities()[i]; i++)
		if (strcmp(module_entities()[i]->name, name) == 0)
			return module_entities()[i];
	return NULL;
}

static int is_int_type(enum field_type t)
{
	return t == F_INT || t == F_REF || t == F_BOOL;
}

/* Sortable free text has a Swedish sort key column; choices sort by code. */
static int has_sk(const struct entity_field *f)
{
	return (f->flags & FF_SORT) && (f->type == F_TEXT || f->type == F_EMAIL);
}

/* A reference sorts by the referenced record's title (its sort key), so
 * "Person" sorts by name, not by id; a reference whose register has no
 * sortable title sorts by id. */
static int ref_sorts_by_title(const struct entity_field *f)
{
	return f->type == F_REF && has_sk(&f->ref->fields[f->ref->title_field]);
}

/* The list's sort value is a number (the cursor holds an integer). */
static int sort_is_int(const struct entity_field *f)
{
	return is_int_type(f->type) && !ref_sorts_by_title(f);
}

/* ---- SQL generation ---- */

/* SELECT of the system columns, the fields, the referenced titles (and
 * their private flags), then `extra` (the list's sort column) if given. */
static void select_list(struct buf *b, const struct entity *e, struct entity_sql *s,
			const char *extra)
{
	buf_puts(b, "SELECT t.id, t.org_id, t.version, t.archived, t.created_at, t.updated_at");
	for (size_t i = 0; i < e->nfields; i++)
		buf_printf(b, ", t.%s", e->fields[i].name);
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		if (f->type != F_REF)
			continue;
		buf_printf(b, ", r%zu.%s", i, f->ref->fields[f->ref->title_field].name);
		if (f->ref->private_flag) {
			buf_printf(b, ", r%zu.%s", i, f->ref->private_flag);
			s->ref_private[i] = 1;
		}
	}
	if (extra)
		buf_printf(b, ", %s", extra);
	buf_printf(b, " FROM %s t", e->table);
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		if (f->type == F_REF)
			buf_printf(b, " LEFT JOIN %s r%zu ON r%zu.id = t.%s AND r%zu.org_id = t.org_id",
				   f->ref->table, i, i, f->name, i);
	}
}

/* The role codes of a mask as an SQL list: 'samordnare', 'ledning' (codes
 * come from the code, never from input). */
static void role_list(struct buf *b, unsigned roles)
{
	int first = 1;

	for (int i = 0; i < ROLE__COUNT; i++)
		if (roles & RB(i)) {
			buf_printf(b, "%s'%s'", first ? "" : ", ", role_code(i));
			first = 0;
		}
	if (first)
		buf_puts(b, "''");
}

/* The roles that cover every record of a read-scoped register when held
 * organisation-wide (a unit's, held for it). */
static unsigned roles_covering(const struct entity *e, unsigned roles)
{
	return e->grant_table ? roles & e->roles_all : roles;
}

/* A read-scoped register's condition (struct entity): $n+1 is 1 when the
 * actor reads every record (an organisation-wide role), $n+2 the actor's
 * person id (0 without a reading role), $n+3 the actor's person id for a
 * grant.  The units are those the actor holds a covering role for, and
 * every unit below them. */
static int read_scope_where(struct buf *b, const struct entity *e, int n)
{
	buf_printf(b, " AND ($%d = 1", n + 1);
	if (e->unit_field) {
		buf_printf(b, " OR t.%s IN (WITH RECURSIVE scope(id) AS"
			       " (SELECT ra.unit_id FROM role_assignment ra"
			       "  WHERE ra.org_id = $1 AND ra.person_id = $%d AND ra.archived = 0"
			       "  AND ra.unit_id IS NOT NULL AND ra.role IN (",
			   e->unit_field, n + 2);
		role_list(b, roles_covering(e, e->roles_read));
		buf_puts(b, ") UNION SELECT u.id FROM unit u JOIN scope s ON u.parent_id = s.id"
			    "  WHERE u.org_id = $1 AND u.archived = 0) SELECT id FROM scope)");
	}
	if (e->owner_field)
		buf_printf(b, " OR t.%s = $%d", e->owner_field, n + 2);
	if (e->grant_table)
		buf_printf(b, " OR t.id IN (SELECT g.record_id FROM %s g WHERE g.org_id = $1"
			       " AND g.person_id = $%d)", e->grant_table, n + 3);
	else
		buf_printf(b, " OR $%d = -1", n + 3); /* bound, never true */
	buf_puts(b, ")");
	return n + 3;
}

void entity_scope_sql(const struct entity *e, struct buf *b, int n)
{
	if (e->read_scoped)
		read_scope_where(b, e, n);
}

size_t entity_scope_bind(struct ctx *cx, const struct entity *e, struct db_val *p, size_t np)
{
	if (e->read_scoped) {
		p[np++] = DB_INT(ctx_has_role(cx, roles_covering(e, e->roles_read)) ? 1 : 0);
		/* the owner reads their own only with a reading role, as
		 * entity_may() says: without one, no person matches */
		p[np++] = DB_INT((cx->org->roles & e->roles_read) ? cx->org->person_id : 0);
		p[np++] = DB_INT(cx->org->person_id > 0 ? cx->org->person_id : 0);
	}
	return np;
}

/* The read scope of a viewer who covers no record by role: their grants
 * only (same parameters as read_scope_where). */
static int granted_scope_where(struct buf *b, const struct entity *e, int n)
{
	buf_printf(b, " AND $%d = 0 AND $%d >= 0 AND t.id IN (SELECT g.record_id FROM %s g"
		       " WHERE g.org_id = $1 AND g.person_id = $%d)", n + 1, n + 2,
		   e->grant_table, n + 3);
	return n + 3;
}

static int list_where_scoped(struct buf *b, const struct entity *e, int granted);

/* WHERE for lists: $1 org, $2 archived, $3 search, then one per filter,
 * then the read scope's three (read-scoped registers). */
static int list_where(struct buf *b, const struct entity *e)
{
	return list_where_scoped(b, e, 0);
}

static int list_where_scoped(struct buf *b, const struct entity *e, int granted)
{
	int n = 3;

	buf_puts(b, " WHERE t.org_id = $1 AND t.archived = $2"
		    " AND ($3 = '' OR t.search LIKE $3 ESCAPE '!')");
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		if (!(f->flags & FF_FILTER))
			continue;
		n++;
		if (f->type == F_BOOL)
			buf_printf(b, " AND ($%d = -1 OR t.%s = $%d)", n, f->name, n);
		else if (f->type == F_INT)
			/* "none" (bound as -2): records without a value (a
			 * system no classification gives a level yet) */
			buf_printf(b, " AND ($%d = -1 OR t.%s = $%d OR ($%d = -2 AND t.%s IS NULL))",
				   n, f->name, n, n, f->name);
		else if (f->type == F_REF)
			/* "none" (bound as -1): records that refer to none */
			buf_printf(b, " AND ($%d = 0 OR t.%s = $%d OR ($%d = -1 AND t.%s IS NULL))",
				   n, f->name, n, n, f->name);
		else if (is_int_type(f->type))
			buf_printf(b, " AND ($%d = 0 OR t.%s = $%d)", n, f->name, n);
		else
			buf_printf(b, " AND ($%d = '' OR t.%s = $%d)", n, f->name, n);
	}
	if (granted)
		n = granted_scope_where(b, e, n);
	else if (e->read_scoped)
		n = read_scope_where(b, e, n);
	return n;
}

/* The column a list sorts by.  A field that may be empty sorts as '' (or
 * -1): NULL would order differently on the two engines, and a keyset
 * cursor cannot step past it (every empty row after the first page was
 * lost). */
static const char *sort_column(const struct entity *e, int field, struct arena *a)
{
	const struct entity_field *f = &e->fields[field];

	if (has_sk(f))
		return arena_printf(a, "t.%s_sk", f->name);
	/* The list's SELECT joins the referenced record as r<i> (select_list):
	 * its title's sort key, so the order is the names' (a sort of the
	 * organisation's rows of the list, after the WHERE; the referenced
	 * register's key is masked for protected identities). */
	if (ref_sorts_by_title(f))
		return arena_printf(a, "COALESCE(r%d.%s_sk, '')", field,
				    f->ref->fields[f->ref->title_field].name);
	if (f->flags & (FF_REQUIRED | FF_SET))
		return arena_printf(a, "t.%s", f->name);
	return arena_printf(a, is_int_type(f->type) ? "COALESCE(t.%s, -1)" : "COALESCE(t.%s, '')",
			    f->name);
}

/* ---- transitions and access, prepared ---- */

static const char *const from_live[] = { "0", NULL };
static const char *const from_archived[] = { "1", NULL };

/* Every register has these unless it declares its own of the same name. */
static const struct entity_transition builtin_archive = {
	"archive", M_ARCHIVE, 0, NULL, from_live, "1", 0, NULL, NULL, NULL,
};
static const struct entity_transition builtin_restore = {
	"restore", M_RESTORE, 0, NULL, from_archived, "0", 0, NULL, NULL, NULL,
};

static int field_index_or_bug(const struct entity *e, const char *name, const char *what)
{
	int i = entity_field_index(e, name);

	if (i < 0)
		BUG("register %s: %s names no field '%s'", e->name, what, name);
	return i;
}

static void prepare_access(struct entity *e, struct entity_sql *s)
{
	s->unit_fi = e->unit_field ? field_index_or_bug(e, e->unit_field, "unit_field") : -1;
	s->owner_fi = e->owner_field ? field_index_or_bug(e, e->owner_field, "owner_field") : -1;
	s->parent_fi = e->parent_field ?
		field_index_or_bug(e, e->parent_field, "parent_field") : -1;
	if (s->parent_fi >= 0 && e->fields[s->parent_fi].type != F_REF)
		BUG("register %s: parent_field %s is no reference", e->name, e->parent_field);
	if (e->read_scoped && s->parent_fi >= 0)
		BUG("register %s: a read-scoped register has its own unit or owner,"
		    " not a parent", e->name);
	if (e->grant_table && !e->read_scoped)
		BUG("register %s: grants are for a read-scoped register", e->name);
	if (e->grant_table) {
		struct buf b = BUF_INIT;
		buf_printf(&b, "SELECT max(may_write) FROM %s WHERE org_id = $1"
			       " AND record_id = $2 AND person_id = $3", e->grant_table);
		s->grant = buf_detach(&b, NULL);
	}
}

static void prepare_transitions(struct entity *e, struct entity_sql *s)
{
	struct entity_transition *all;
	size_t n = 0, k = 0;
	int has_archive = 0, has_restore = 0;

	for (const struct entity_transition *t = e->transitions; t && t->name; t++) {
		n++;
		if (t->field) {
			int fi = field_index_or_bug(e, t->field, t->name);
			if (e->fields[fi].type != F_ENUM && e->fields[fi].type != F_BOOL)
				BUG("register %s: state field %s is no choice", e->name, t->field);
			s->is_state[fi] = 1;
		} else if (strcmp(t->name, "archive") == 0) {
			has_archive = 1;
		} else if (strcmp(t->name, "restore") == 0) {
			has_restore = 1;
		} else {
			BUG("register %s: transition %s has no state field", e->name, t->name);
		}
		for (const char *const *r = t->requires; r && *r; r++)
			field_index_or_bug(e, *r, t->name);
		for (const struct entity_field *f = t->params; f && f->name; f++) {
			int fi = entity_field_index(e, f->name);
			/* a state moves by transitions only, derived values by rules */
			if (fi >= 0 && ((e->fields[fi].flags & FF_NO_FORM) || s->is_state[fi] ||
					(t->field && strcmp(t->field, f->name) == 0)))
				BUG("register %s: transition %s takes %s, which no input may set",
				    e->name, t->name, f->name);
			if (f->type == F_REF)
				BUG("register %s: transition %s: a reference as input is not "
				    "checked; make it a field change", e->name, t->name);
		}
	}
	all = xcalloc(n + 3, sizeof(*all));
	for (const struct entity_transition *t = e->transitions; t && t->name; t++) {
		all[k] = *t;
		/* a declared archive or restore keeps the built-in's states */
		if (!t->field && strcmp(t->name, "archive") == 0) {
			all[k].from = from_live;
			all[k].to = "1";
		} else if (!t->field && strcmp(t->name, "restore") == 0) {
			all[k].from = from_archived;
			all[k].to = "0";
		}
		k++;
	}
	if (!has_archive)
		all[k++] = builtin_archive;
	if (!has_restore)
		all[k++] = builtin_restore;
	e->all_transitions = all;
}

static void prepare(struct entity *e)
{
	struct entity_sql *s = xcalloc(1, sizeof(*s));
	struct arena a = ARENA_INIT;
	struct buf b = BUF_INIT;
	int n;

	e->nfields = 0;
	while (e->fields[e->nfields].name)
		e->nfields++;
	/* bind_fields() fills a fixed array: the declaration must fit it */
	if (8 + 2 * e->nfields > ENTITY_MAX_PARAMS)
		BUG("register %s has too many fields (%zu)", e->name, e->nfields);
	e->sql = s; /* entity_field_index() and friends below read it */
	s->ref_private = xcalloc(e->nfields + 1, sizeof(int));
	s->is_state = xcalloc(e->nfields + 1, sizeof(int));
	prepare_access(e, s);
	prepare_transitions(e, s);
	s->sort_fields = xcalloc(e->nfields + 1, sizeof(int));
	s->sort_fields[s->nsort++] = e->title_field;
	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & FF_SORT) && (int)i != e->title_field)
			s->sort_fields[s->nsort++] = (int)i;
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & FF_FILTER)
			s->nfilters++;

	select_list(&b, e, s, NULL);
	buf_puts(&b, " WHERE t.org_id = $1 AND t.id = $2");
	s->get = buf_detach(&b, NULL);

	/* the titles of a page's referenced records, in one query */
	select_list(&b, e, s, NULL);
	buf_puts(&b, " WHERE t.org_id = $1 AND t.id IN (");
	for (int k = 0; k < ENTITY_TITLES_MAX; k++)
		buf_printf(&b, "%s$%d", k ? ", " : "", k + 2);
	buf_puts(&b, ")");
	s->titles = buf_detach(&b, NULL);

	/* bounded: at most ENTITY_COUNT_MAX + 1 rows are counted */
	buf_printf(&b, "SELECT count(*) FROM (SELECT 1 FROM %s t", e->table);
	n = list_where(&b, e);
	buf_printf(&b, " LIMIT $%d) c", n + 1);
	s->count = buf_detach(&b, NULL);

	for (int granted = 0; granted < (e->grant_table && !e->owner_field ? 2 : 1); granted++) {
		struct list_variant (*list)[2][2] = xcalloc((size_t)s->nsort, sizeof(*list));
		if (granted) {
			buf_printf(&b, "SELECT count(*) FROM (SELECT 1 FROM %s t", e->table);
			n = list_where_scoped(&b, e, 1);
			buf_printf(&b, " LIMIT $%d) c", n + 1);
			s->count_granted = buf_detach(&b, NULL);
		}
		for (int k = 0; k < s->nsort; k++) {
			const char *col = sort_column(e, s->sort_fields[k], &a);
			for (int desc = 0; desc < 2; desc++) {
				for (int cur = 0; cur < 2; cur++) {
					const char *op = desc ? "<" : ">";
					select_list(&b, e, s, col);
					n = list_where_scoped(&b, e, granted);
					if (cur) {
						buf_printf(&b, " AND (%s %s $%d OR (%s = $%d AND t.id %s $%d))",
							   col, op, n + 1, col, n + 1, op, n + 2);
						n += 2;
					}
					buf_printf(&b, " ORDER BY %s%s, t.id%s LIMIT $%d", col,
						   desc ? " DESC" : "", desc ? " DESC" : "", n + 1);
					list[k][desc][cur].sql = buf_detach(&b, NULL);
				}
			}
		}
		if (granted)
			s->list_granted = list;
		else
			s->list = list;
	}

	/* INSERT: $1 org, $2 now, $3 user, $4 search, then fields, then keys. */
	buf_printf(&b, "INSERT INTO %s (org_id, version, archived, created_at, updated_at,"
		       " created_by, updated_by, search", e->table);
	for (size_t i = 0; i < e->nfields; i++)
		buf_printf(&b, ", %s", e->fields[i].name);
	for (size_t i = 0; i < e->nfields; i++)
		if (has_sk(&e->fields[i]))
			buf_printf(&b, ", %s_sk", e->fields[i].name);
	buf_puts(&b, ") VALUES ($1, 1, 0, $2, $2, $3, $3, $4");
	n = 4;
	for (size_t i = 0; i < e->nfields; i++)
		buf_printf(&b, ", $%d", ++n);
	for (size_t i = 0; i < e->nfields; i++)
		if (has_sk(&e->fields[i]))
			buf_printf(&b, ", $%d", ++n);
	buf_puts(&b, ") RETURNING id");
	s->insert = buf_detach(&b, NULL);

	/* an update or a transition: $1 org, $2 id, $3 version, $4 now,
	 * $5 user, $6 search, $7 archived, then fields and sort keys */
	buf_printf(&b, "UPDATE %s SET version = version + 1, updated_at = $4,"
		       " updated_by = $5, search = $6, archived = $7", e->table);
	n = 7;
	for (size_t i = 0; i < e->nfields; i++)
		buf_printf(&b, ", %s = $%d", e->fields[i].name, ++n);
	for (size_t i = 0; i < e->nfields; i++)
		if (has_sk(&e->fields[i]))
			buf_printf(&b, ", %s_sk = $%d", e->fields[i].name, ++n);
	buf_puts(&b, " WHERE org_id = $1 AND id = $2 AND version = $3");
	s->transition = buf_detach(&b, NULL);

	buf_printf(&b, "SELECT id FROM %s WHERE org_id = $1 AND id = $2 AND archived = 0",
		   e->table);
	s->exists = buf_detach(&b, NULL);

	if (!is_int_type(e->fields[e->title_field].type)) {
		buf_printf(&b, "SELECT id FROM %s WHERE org_id = $1 AND %s = $2"
			       " AND archived = 0 LIMIT 2", e->table,
			   e->fields[e->title_field].name);
		s->by_title = buf_detach(&b, NULL);
	}

	arena_release(&a);
	e->sql = s;
}

static pthread_once_t prepare_once = PTHREAD_ONCE_INIT;

static void prepare_all(void)
{
	for (size_t i = 0; module_entities()[i]; i++)
		prepare((struct entity *)module_entities()[i]);
}

void entity_prepare_all(void)
{
	pthread_once(&prepare_once, prepare_all);
}

/* ---- reading ---- */

static int viewer_may_see(struct ctx *cx, const struct entity *e, int64_t id)
{
	return e->need_to_know && e->need_to_know(cx, e, id);
}

static void apply_privacy(struct ctx *cx, const struct entity *e, struct record *rec)
{
	int flag;

	if (!e->private_flag)
		return;
	flag = entity_field_index(e, e->private_flag);
	if (flag < 0 || !rec->v[flag] || strcmp(rec->v[flag], "1") != 0)
		return;
	if (viewer_may_see(cx, e, rec->id))
		return;
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & FF_PRIVATE) {
			rec->v[i] = (int)i == e->title_field ?
				msg_text(cx->lang, M_PROTECTED_IDENTITY) : NULL;
		}
	rec->masked = 1;
}

/* Fills rec from row i; column layout as select_list() wrote it. */
static void row_to_record(struct ctx *cx, const struct entity *e,
			  const struct db_rows *rows, size_t i, struct record *rec)
{
	size_t c = NSYS + e->nfields;

	rec->id = db_cell_i64(rows, i, 0);
	rec->org_id = db_cell_i64(rows, i, 1);
	rec->version = db_cell_i64(rows, i, 2);
	rec->archived = (int)db_cell_i64(rows, i, 3);
	rec->created_at = db_cell_i64(rows, i, 4);
	rec->updated_at = db_cell_i64(rows, i, 5);
	rec->v = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	rec->ref_title = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	for (size_t k = 0; k < e->nfields; k++)
		rec->v[k] = db_cell(rows, i, NSYS + k);
	for (size_t k = 0; k < e->nfields; k++) {
		const struct entity_field *f = &e->fields[k];
		if (f->type != F_REF)
			continue;
		rec->ref_title[k] = db_cell(rows, i, c++);
		if (e->sql->ref_private[k]) {
			const char *p = db_cell(rows, i, c++);
			int64_t rid = db_cell_i64(rows, i, NSYS + k);
			if (p && strcmp(p, "1") == 0 && (int)k == e->title_field)
				rec->title_private = 1;
			if (p && strcmp(p, "1") == 0 && !viewer_may_see(cx, f->ref, rid))
				rec->ref_title[k] = msg_text(cx->lang, M_PROTECTED_IDENTITY);
		}
	}
	apply_privacy(cx, e, rec);
}

int entity_get(struct ctx *cx, const struct entity *e, int64_t id,
	       struct record *out, struct db_error *err)
{
	struct db_rows rows;

	memset(out, 0, sizeof(*out));
	if (db_exec(cx->db, cx->a, e->sql->get, DB_ARGS(DB_INT(cx->org->id), DB_INT(id)),
		    &rows, err) != 0)
		return -1;
	if (rows.nrows == 0) {
		err->code = DBE_NOTFOUND;
		return -1;
	}
	row_to_record(cx, e, &rows, 0, out);
	/* a confidential record one may not read does not exist */
	if (e->read_scoped && !entity_may(cx, e, out, OP_READ)) {
		memset(out, 0, sizeof(*out));
		err->code = DBE_NOTFOUND;
		return -1;
	}
	return 0;
}

int entity_read(struct ctx *cx, const struct entity *e, int64_t id,
		struct record *out, struct db_error *err)
{
	struct audit_event ev;

	if (entity_get(cx, e, id, out, err) != 0)
		return -1;
	if (!e->audit_reads)
		return 0;
	memset(&ev, 0, sizeof(ev));
	audit_from_ctx(cx, &ev);
	ev.action = "read";
	ev.entity = e->name;
	ev.entity_id = id;
	ev.summary = entity_title(e, out);
	if ((db_in_transaction(cx->db) ? audit_append(cx->db, cx->a, &ev, err)
				      : audit_append_now(cx->db, cx->a, &ev)) != 0) {
		/* a read that cannot be accounted for is not made */
		memset(out, 0, sizeof(*out));
		err->code = DBE_OTHER;
		snprintf(err->msg, sizeof(err->msg), "the read could not be audited");
		return -1;
	}
	return 0;
}

/* ---- per-record access (entity.h) ---- */

static int64_t ref_value(const struct record *rec, int fi)
{
	int64_t x;

	if (fi < 0 || !rec->v || !rec->v[fi] || parse_i64(rec->v[fi], &x) != 0)
		return 0;
	return x;
}

/* Per-record access with the roles that count: a role of `roles` held for
 * the whole organisation, for the record's unit (or one above it), or - by
 * the record's owner - anywhere; or, for a part, access to its parent. */
static int may_with(struct ctx *cx, const struct entity *e, const struct record *rec,
		    enum entity_op op, unsigned roles)
{
	const struct entity_sql *s = e->sql;
	int ok;

	if (!cx->org)
		return 0;
	if (op == OP_READ && !e->read_scoped) {
		ok = (cx->org->roles & roles) != 0;
	} else {
		unsigned all = roles_covering(e, roles);
		/* the parts of a record granted one by one (an incident's
		 * systems) are covered as their parent is: else anyone with a
		 * role would write the parts of every one */
		if (s->parent_fi >= 0 && e->fields[s->parent_fi].ref->grant_table)
			all &= e->fields[s->parent_fi].ref->roles_all;
		ok = ctx_has_role(cx, all);
		if (!ok && s->unit_fi >= 0)
			ok = ctx_has_role_for_unit(cx, all, ref_value(rec, s->unit_fi));
		if (!ok && s->grant && rec->id > 0 && cx->org->person_id > 0 &&
		    (cx->org->roles & roles)) {
			struct db_rows r;
			struct db_error err;
			/* granted this record: to read it, or to work on it */
			ok = db_exec(cx->db, cx->a, s->grant,
				     DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id),
					     DB_INT(cx->org->person_id)), &r, &err) == 0 &&
			     r.nrows == 1 && db_cell(&r, 0, 0) &&
			     (op == OP_READ || db_cell_i64(&r, 0, 0) == 1);
		}
		/* the owner acts on their own record with whatever role of
		 * these they hold */
		if (!ok && s->owner_fi >= 0 && cx->org->person_id &&
		    ref_value(rec, s->owner_fi) == cx->org->person_id)
			ok = (cx->org->roles & roles) != 0;
		if (!ok && s->parent_fi >= 0 && (cx->org->roles & roles)) {
			const struct entity *pe = e->fields[s->parent_fi].ref;
			int64_t pid = ref_value(rec, s->parent_fi);
			struct record parent;
			struct db_error err;
			/* the parent decides, with its own rules */
			ok = pid > 0 && entity_get(cx, pe, pid, &parent, &err) == 0 &&
			     entity_may(cx, pe, &parent, op);
		}
	}
	if (ok && e->may)
		ok = e->may(cx, e, rec, op);
	return ok;
}

int entity_may(struct ctx *cx, const struct entity *e, const struct record *rec,
	       enum entity_op op)
{
	return may_with(cx, e, rec, op, op == OP_READ ? e->roles_read : e->roles_write);
}

int entity_may_create(struct ctx *cx, const struct entity *e)
{
	const struct entity_sql *s = e->sql;

	if (!cx->org || !(cx->org->roles & e->roles_write))
		return 0;
	if (ctx_has_role(cx, e->roles_write))
		return 1;
	/* a role held for a unit, or as an owner or through a parent: the
	 * record's own fields decide when it is made */
	return s->unit_fi >= 0 || s->owner_fi >= 0 || s->parent_fi >= 0;
}

int entity_field_is_state(const struct entity *e, size_t i)
{
	return i < e->nfields && e->sql->is_state[i];
}

int entity_param_error_index(const struct entity *e, const struct entity_transition *t,
			     const char *name)
{
	int fi = entity_field_index(e, name), i = 0;

	if (fi >= 0)
		return fi;
	for (const struct entity_field *f = t->params; f && f->name; f++, i++)
		if (strcmp(f->name, name) == 0)
			return (int)e->nfields + i;
	BUG("transition %s of %s has no param %s", t->name, e->name, name);
}

const struct entity_transition *entity_transition_by_name(const struct entity *e,
							 const char *name)
{
	for (const struct entity_transition *t = e->all_transitions; name && t && t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static const char *state_of(const struct entity *e, const struct entity_transition *t,
			    const struct record *rec)
{
	int fi;

	if (!t->field)
		return rec->archived ? "1" : "0";
	fi = entity_field_index(e, t->field);
	return rec->v[fi] ? rec->v[fi] : (e->fields[fi].type == F_BOOL ? "0" : "");
}

int entity_transition_applies(const struct entity *e, const struct entity_transition *t,
			      const struct record *rec)
{
	const char *st = state_of(e, t, rec);

	/* a record's own workflow stops while it is archived */
	if (t->field && rec->archived)
		return 0;
	if (!t->from)
		return strcmp(st, t->to) != 0;
	for (const char *const *f = t->from; *f; f++)
		if (strcmp(*f, st) == 0)
			return 1;
	return 0;
}

int entity_may_transition(struct ctx *cx, const struct entity *e,
			  const struct entity_transition *t, const struct record *rec)
{
	if (rec->masked)
		return 0; /* what one cannot see, one does not change */
	/* a transition's own roles count where the record is: a coordinator
	 * for one unit closes that unit's records, not another's */
	return may_with(cx, e, rec, OP_WRITE, t->roles ? t->roles : e->roles_write);
}

static const char *like_pattern(struct arena *a, const char *search)
{
	struct buf b = BUF_INIT;
	const char *folded;
	char *out;

	if (!search || !*search)
		return "";
	folded = utf8_fold(a, search);
	buf_putc(&b, '%');
	for (const char *p = folded; *p; p++) {
		if (*p == '!' || *p == '%' || *p == '_')
			buf_putc(&b, '!');
		buf_putc(&b, *p);
	}
	buf_putc(&b, '%');
	out = arena_strdup(a, b.p);
	buf_release(&b);
	return out;
}

/* Cursor: hex of the sort value, '.', id.  Opaque to clients. */
static const char *cursor_make(struct arena *a, const char *val, int64_t id)
{
	struct buf b = BUF_INIT;
	char *out;

	for (const unsigned char *p = (const unsigned char *)(val ? val : ""); *p; p++)
		buf_printf(&b, "%02x", *p);
	buf_printf(&b, ".%lld", (long long)id);
	out = arena_strdup(a, b.p);
	buf_release(&b);
	return out;
}

static int cursor_parse(struct arena *a, const char *c, const char **val, int64_t *id)
{
	const char *dot = strchr(c, '.');
	size_t n;
	char *v;

	if (!dot || (dot - c) % 2 != 0 || parse_i64(dot + 1, id) != 0 || *id <= 0)
		return -1;
	n = (size_t)(dot - c) / 2;
	v = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		int hi = hex_digit((unsigned char)c[2 * i]), lo = hex_digit((unsigned char)c[2 * i + 1]);
		if (hi < 0 || lo < 0 || (hi | lo) == 0)
			return -1;
		v[i] = (char)(hi << 4 | lo);
	}
	*val = v;
	return 0;
}

static struct db_val field_val(const struct entity_field *f, const char *v)
{
	int64_t x;

	if (!v)
		return f->type == F_BOOL ? DB_INT(0) : DB_NULL;
	if (is_int_type(f->type))
		return parse_i64(v, &x) == 0 ? DB_INT(x) : DB_NULL;
	return DB_TEXT(v);
}

/* The viewer reads only the records granted to them: no role covers any
 * record, for the organisation or a unit (entity.h grant_table). */
static int granted_only(struct ctx *cx, const struct entity *e)
{
	unsigned all = roles_covering(e, e->roles_read);

	if (!cx->org || ctx_has_role(cx, all))
		return 0;
	for (size_t k = 0; k < cx->org->n_unit_roles; k++)
		if (all & RB(cx->org->unit_roles[k].role))
			return 0;
	return 1;
}

/* The parameters every list statement of e starts with (organisation,
 * archived, search, the filters, the access scope); *granted: the
 * viewer reads only what was granted to them. */
static size_t list_params(struct ctx *cx, const struct entity *e, const struct list_query *lq,
			  struct db_val *params, int *granted)
{
	const struct entity_sql *s = e->sql;
	size_t np = 0;

	params[np++] = DB_INT(cx->org->id);
	params[np++] = DB_INT(lq->archived ? 1 : 0);
	params[np++] = DB_TEXT(like_pattern(cx->a, lq->search));
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		const char *fv = lq->filters ? lq->filters[i] : NULL;
		int64_t x;
		if (!(f->flags & FF_FILTER))
			continue;
		if (f->type == F_BOOL)
			params[np++] = DB_INT(fv && *fv ? (strcmp(fv, "1") == 0) : -1);
		else if (f->type == F_INT && fv && strcmp(fv, ENTITY_FILTER_NONE) == 0)
			params[np++] = DB_INT(-2);
		else if (f->type == F_INT)
			params[np++] = DB_INT(fv && parse_i64(fv, &x) == 0 ? x : -1);
		else if (f->type == F_REF && fv && strcmp(fv, ENTITY_FILTER_NONE) == 0)
			params[np++] = DB_INT(-1);
		else if (is_int_type(f->type))
			params[np++] = DB_INT(fv && parse_i64(fv, &x) == 0 ? x : 0);
		else
			params[np++] = DB_TEXT(fv ? fv : "");
	}
	np = entity_scope_bind(cx, e, params, np);
	*granted = s->list_granted && granted_only(cx, e);
	return np;
}

int entity_count_upto(struct ctx *cx, const struct entity *e, const struct list_query *lq,
		      int64_t max, int64_t *n, struct db_error *err)
{
	const struct entity_sql *s = e->sql;
	struct db_val params[ENTITY_MAX_PARAMS];
	struct db_rows rows;
	int granted;
	size_t np = list_params(cx, e, lq, params, &granted);

	params[np] = DB_INT(max + 1);
	if (db_exec(cx->db, cx->a, granted ? s->count_granted : s->count, params, np + 1, &rows,
		    err) != 0)
		return -1;
	*n = db_cell_i64(&rows, 0, 0);
	return 0;
}

int entity_list(struct ctx *cx, const struct entity *e, const struct list_query *lq,
		struct list_result *out, struct db_error *err)
{
	const struct entity_sql *s = e->sql;
	struct db_val params[ENTITY_MAX_PARAMS];
	size_t np = 0;
	int slot = 0, cur = 0, limit = lq->limit < 1 ? 50 : lq->limit > 200 ? 200 : lq->limit;
	const char *cval = NULL;
	int64_t cid = 0;
	struct db_rows rows;
	int sortf, granted;

	memset(out, 0, sizeof(*out));
	for (int k = 0; k < s->nsort; k++)
		if (s->sort_fields[k] == lq->sort_field)
			slot = k;
	sortf = s->sort_fields[slot];
	if (lq->after && *lq->after) {
		int64_t x;
		if (cursor_parse(cx->a, lq->after, &cval, &cid) != 0 ||
		    (sort_is_int(&e->fields[sortf]) && parse_i64(cval, &x) != 0)) {
			/* DBE_CHECK: the client's mistake (400), not ours */
			err->code = DBE_CHECK;
			snprintf(err->msg, sizeof(err->msg), "bad cursor");
			return -1;
		}
		cur = 1;
	}
	np = list_params(cx, e, lq, params, &granted);
	params[np] = DB_INT(ENTITY_COUNT_MAX + 1);
	if (!lq->no_total) {
		if (db_exec(cx->db, cx->a, granted ? s->count_granted : s->count, params, np + 1,
			    &rows, err) != 0)
			return -1;
		out->total = db_cell_i64(&rows, 0, 0);
		out->total_more = out->total > ENTITY_COUNT_MAX;
		if (out->total_more)
			out->total = ENTITY_COUNT_MAX;
	}
	if (cur) {
		if (sort_is_int(&e->fields[sortf])) {
			int64_t x = 0;
			parse_i64(cval, &x); /* checked above */
			params[np++] = DB_INT(x);
		} else {
			params[np++] = DB_TEXT(cval);
		}
		params[np++] = DB_INT(cid);
	}
	params[np++] = DB_INT(limit + 1);
	if (db_exec(cx->db, cx->a,
		    (granted ? s->list_granted : s->list)[slot][lq->desc ? 1 : 0][cur].sql, params,
		    np, &rows, err) != 0)
		return -1;
	out->n = rows.nrows > (size_t)limit ? (size_t)limit : rows.nrows;
	out->rows = arena_alloc(cx->a, (out->n + 1) * sizeof(*out->rows));
	for (size_t i = 0; i < out->n; i++)
		row_to_record(cx, e, &rows, i, &out->rows[i]);
	if (rows.nrows > (size_t)limit) {
		/* the cursor is the sort column of the last row shown (the
		 * last column selected): a key, never the private value */
		const struct record *last = &out->rows[out->n - 1];
		const char *key = db_cell(&rows, out->n - 1, rows.ncols - 1);
		out->next = cursor_make(cx->a, key, last->id);
	}
	return 0;
}

/* ---- validation ---- */

static int valid_email(const char *s)
{
	const char *at = strchr(s, '@');
	const char *dot;

	if (!at || at == s || strchr(at + 1, '@'))
		return 0;
	dot = strrchr(at, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return 0;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == '<' || *p == '>' || *p == '"' ||
		    *p == ',' || *p == ';')
			return 0;
	return 1;
}

static int valid_date(const char *s)
{
	int y, m, d;
	char tail;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

/* Trims ASCII white space; collapses CRLF to LF in long texts. */
static const char *normalise(struct arena *a, const struct entity_field *f, const char *v)
{
	size_t n;
	const char *s = v;
	char *out, *w;

	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		     s[n - 1] == '\n'))
		n--;
	out = arena_strndup(a, s, n);
	if (f->type == F_LONGTEXT) {
		for (w = out, s = out; *s; s++)
			if (!(s[0] == '\r' && s[1] == '\n'))
				*w++ = *s;
		*w = 0;
	}
	if (f->type == F_EMAIL)
		out = (char *)utf8_fold(a, out);
	return out;
}

void entity_record_from_values(struct ctx *cx, const struct entity *e,
			       const char **vals, struct record *rec,
			       struct field_errors *errs)
{
	rec->v = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	rec->ref_title = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		const char *v = vals[i];
		int64_t x;

		if (f->type == F_BOOL) {
			rec->v[i] = v && (strcmp(v, "1") == 0 || strcmp(v, "on") == 0 ||
					  strcmp(v, "true") == 0) ? "1" : "0";
			continue;
		}
		if (v && !utf8_valid_text(v, strlen(v))) {
			field_error_add(errs, (int)i, M_V_BAD_TEXT, "invalid");
			rec->v[i] = NULL;
			continue;
		}
		v = v ? normalise(cx->a, f, v) : NULL;
		if (v && !*v)
			v = NULL;
		rec->v[i] = v;
		if (!v) {
			if (f->flags & FF_REQUIRED)
				field_error_add(errs, (int)i, M_V_REQUIRED, "required");
			continue;
		}
		switch (f->type) {
		case F_TEXT:
		case F_LONGTEXT:
		case F_EMAIL: {
			size_t len = utf8_length(v, strlen(v));
			if (f->max && (int64_t)len > f->max)
				field_error_add(errs, (int)i, M_V_TOO_LONG, "too_long");
			else if (f->min && (int64_t)len < f->min)
				field_error_add(errs, (int)i, M_V_TOO_SHORT, "too_short");
			else if (f->type == F_EMAIL && !valid_email(v))
				field_error_add(errs, (int)i, M_V_BAD_EMAIL, "invalid");
			break;
		}
		case F_INT:
			if (parse_i64(v, &x) != 0)
				field_error_add(errs, (int)i, M_V_NOT_INT, "invalid");
			else if ((f->min || f->max) && (x < f->min || x > f->max))
				field_error_add(errs, (int)i, M_V_OUT_OF_RANGE, "out_of_range");
			break;
		case F_REF:
			if (parse_i64(v, &x) != 0 || x <= 0)
				field_error_add(errs, (int)i, M_V_NOT_FOUND, "not_found");
			break;
		case F_ENUM: {
			int found = 0;
			for (const struct choice *c = f->choices; c && c->value; c++)
				if (strcmp(c->value, v) == 0)
					found = 1;
			if (!found)
				field_error_add(errs, (int)i, M_V_BAD_CHOICE, "invalid_choice");
			break;
		}
		case F_DATE:
			if (!valid_date(v))
				field_error_add(errs, (int)i, M_V_BAD_DATE, "invalid");
			break;
		case F_DATETIME: {
			int64_t t;
			/* one spelling stored: UTC, so text order is time order */
			if (clock_parse_moment(v, &t) != 0)
				field_error_add(errs, (int)i, M_V_BAD_DATETIME, "invalid");
			else
				rec->v[i] = clock_format_iso(cx->a, t);
			break;
		}
		case F_BOOL:
			break;
		}
	}
}

/* References must point at live records of the same organisation. */
static int check_refs(struct ctx *cx, const struct entity *e, struct record *rec,
		      struct field_errors *errs, struct db_error *err)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		struct db_rows rows;
		int64_t x;

		if (f->type != F_REF || !rec->v[i] || parse_i64(rec->v[i], &x) != 0)
			continue;
		if (db_exec(cx->db, cx->a, f->ref->sql->exists,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(x)), &rows, err) != 0)
			return -1;
		if (rows.nrows == 0)
			field_error_add(errs, (int)i, M_V_NOT_FOUND, "not_found");
	}
	return 0;
}

/* ---- writing ---- */

static int is_private(const struct entity *e, const struct record *rec)
{
	int flag = e->private_flag ? entity_field_index(e, e->private_flag) : -1;
	return flag >= 0 && rec->v[flag] && strcmp(rec->v[flag], "1") == 0;
}

static const char *search_text(struct arena *a, const struct entity *e,
			       const struct record *rec)
{
	struct buf b = BUF_INIT;
	int priv = is_private(e, rec);
	char *out;

	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		if (!(f->flags & FF_SEARCH) || !rec->v[i])
			continue;
		if (priv && (f->flags & FF_PRIVATE))
			continue;
		if (b.len)
			buf_putc(&b, ' ');
		buf_puts(&b, rec->v[i]);
	}
	out = utf8_fold(a, b.p);
	buf_release(&b);
	return out;
}

const char *entity_search_text(struct arena *a, const struct entity *e,
			       const struct record *rec)
{
	return search_text(a, e, rec);
}

/* Binds fields then sort keys, as the INSERT and UPDATE expect. */
static size_t bind_fields(struct ctx *cx, const struct entity *e,
			  const struct record *rec, struct db_val *p, size_t np)
{
	int priv = is_private(e, rec);

	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		/* a derived flag the rules left unset is 0; a derived number
		 * (a level) may be unknown, and stays NULL */
		if ((f->flags & FF_NO_FORM) && !rec->v[i] && f->type == F_BOOL)
			p[np++] = DB_INT(0);
		else
			p[np++] = field_val(f, rec->v[i]);
	}
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		const char *v = rec->v[i];
		if (!has_sk(f))
			continue;
		if (priv && (f->flags & FF_PRIVATE))
			v = (int)i == e->title_field ? msg_text(LANG_SV, M_PROTECTED_IDENTITY) : "";
		p[np++] = DB_TEXT(utf8_sortkey(cx->a, v ? v : ""));
	}
	return np;
}

static void audit_for(struct ctx *cx, struct audit_event *ev, const struct entity *e,
		      const char *action, const struct record *rec)
{
	memset(ev, 0, sizeof(*ev));
	audit_from_ctx(cx, ev);
	ev->org_id = cx->org->id;
	ev->action = action;
	ev->entity = e->name;
	ev->entity_id = rec->id;
	ev->summary = is_private(e, rec) || rec->title_private ?
		msg_text(LANG_SV, M_PROTECTED_IDENTITY) : entity_title(e, rec);
}

static int validate_all(struct ctx *cx, const struct entity *e, struct record *rec,
			const struct record *old, struct field_errors *errs,
			struct db_error *err)
{
	if (check_refs(cx, e, rec, errs, err) != 0)
		return -1;
	if (e->validate)
		e->validate(cx, e, rec, old, errs);
	return 0;
}

/* A write owns its transaction, or - inside a caller's (an import) - a
 * savepoint, so that one failed row does not abort the caller's work
 * (PostgreSQL aborts a whole transaction on any error otherwise). */
static int write_begin(struct ctx *cx, int *own, struct db_error *err)
{
	*own = !db_in_transaction(cx->db);
	if (*own)
		return db_begin(cx->db, err);
	/* a bulk caller retries without bulk when a row fails in the
	 * database: PostgreSQL slows sharply past 64 subtransactions */
	return cx->bulk ? 0 : db_savepoint(cx->db, err);
}

static void write_abort(struct ctx *cx, int own)
{
	if (own)
		db_rollback(cx->db);
	else if (!cx->bulk)
		db_rollback_to_savepoint(cx->db);
}

static int finish_write(struct ctx *cx, const struct entity *e, int own, int rc,
			struct field_errors *errs, struct db_error *err)
{
	if (rc == 0) {
		if (own && db_commit(cx->db, err) == 0)
			return 0;
		if (!own && (cx->bulk || db_release_savepoint(cx->db, err) == 0))
			return 0;
	}
	write_abort(cx, own);
	if (err->code == DBE_UNIQUE) {
		int marked = 0;
		for (size_t i = 0; i < e->nfields; i++)
			if (e->fields[i].flags & FF_UNIQUE) {
				field_error_add(errs, (int)i, M_V_UNIQUE, "unique");
				marked = 1;
			}
		if (!marked)
			field_error_add(errs, -1, M_V_UNIQUE, "unique");
	}
	return -1;
}

int entity_create(struct ctx *cx, const struct entity *e, struct record *rec,
		  struct field_errors *errs, struct db_error *err)
{
	struct db_val p[ENTITY_MAX_PARAMS];
	size_t np = 0;
	struct db_rows rows;
	struct audit_event ev;
	int64_t now = clock_now();
	int rc, own;

	memset(err, 0, sizeof(*err));
	/* a state is reached by transitions only: a new record starts in the
	 * first one */
	for (size_t i = 0; i < e->nfields; i++)
		if (e->sql->is_state[i])
			rec->v[i] = e->fields[i].type == F_BOOL ? "0" :
				    e->fields[i].choices[0].value;
	if (write_begin(cx, &own, err) != 0)
		return -1;
	if (validate_all(cx, e, rec, NULL, errs, err) != 0 || errs->n) {
		write_abort(cx, own);
		return -1;
	}
	if (!entity_may(cx, e, rec, OP_WRITE)) {
		/* where it would be placed is the mistake: the form comes back
		 * with the message beside the unit (or the parent) */
		const struct entity_sql *s = e->sql;
		int at = s->unit_fi >= 0 ? s->unit_fi : s->parent_fi;
		field_error_add(errs, at, at >= 0 ? M_V_DENIED_MOVE : M_V_DENIED, "forbidden");
		write_abort(cx, own);
		return -1;
	}
	p[np++] = DB_INT(cx->org->id);
	p[np++] = DB_INT(now);
	p[np++] = DB_INT(cx->user_id);
	p[np++] = DB_TEXT(search_text(cx->a, e, rec));
	np = bind_fields(cx, e, rec, p, np);
	rc = db_exec(cx->db, cx->a, e->sql->insert, p, np, &rows, err);
	if (rc == 0) {
		struct record fresh;
		rec->id = db_cell_i64(&rows, 0, 0);
		rec->org_id = cx->org->id;
		rec->version = 1;
		rec->created_at = rec->updated_at = now;
		/* read back for the referenced titles the summary may need */
		rc = entity_get(cx, e, rec->id, &fresh, err);
		if (rc == 0) {
			audit_for(cx, &ev, e, "create", &fresh);
			ev.after = entity_record_json(cx->a, e, rec);
			rc = audit_append(cx->db, cx->a, &ev, err);
		}
		if (rc == 0 && e->after_write)
			rc = e->after_write(cx, e, &fresh, NULL, err);
	}
	if (rc == 0)
		rc = search_index_record(cx, e, rec->id, err);
	return finish_write(cx, e, own, rc, errs, err);
}

int entity_update(struct ctx *cx, const struct entity *e, struct record *rec,
		  struct field_errors *errs, struct db_error *err)
{
	struct db_val p[ENTITY_MAX_PARAMS];
	size_t np = 0;
	struct db_rows rows;
	struct record old;
	struct audit_event ev;
	int64_t now = clock_now();
	int rc, own;

	memset(err, 0, sizeof(*err));
	if (write_begin(cx, &own, err) != 0)
		return -1;
	if (entity_get(cx, e, rec->id, &old, err) != 0) {
		write_abort(cx, own);
		return -1;
	}
	if (old.version != rec->version) {
		field_error_add(errs, -1, M_V_CONFLICT, "conflict");
		err->code = DBE_CONFLICT;
		write_abort(cx, own);
		return -1;
	}
	for (size_t i = 0; i < e->nfields; i++)
		if ((e->fields[i].flags & FF_NO_FORM) || e->sql->is_state[i])
			rec->v[i] = old.v[i]; /* derived values and states stay the
						 rules' and the transitions' */
	if (old.masked || !entity_may(cx, e, &old, OP_WRITE)) {
		err->code = DBE_DENIED;
		snprintf(err->msg, sizeof(err->msg), "%s %lld: not yours to change",
			 e->name, (long long)old.id);
		field_error_add(errs, -1, M_V_DENIED, "forbidden");
		write_abort(cx, own);
		return -1;
	}
	if (validate_all(cx, e, rec, &old, errs, err) != 0 || errs->n) {
		write_abort(cx, own);
		return -1;
	}
	if (!entity_may(cx, e, rec, OP_WRITE)) {
		/* e.g. moved to a unit the actor does not cover */
		field_error_add(errs, e->sql->unit_fi, M_V_DENIED_MOVE, "forbidden");
		write_abort(cx, own);
		return -1;
	}
	p[np++] = DB_INT(cx->org->id);
	p[np++] = DB_INT(rec->id);
	p[np++] = DB_INT(rec->version);
	p[np++] = DB_INT(now);
	p[np++] = DB_INT(cx->user_id);
	p[np++] = DB_TEXT(search_text(cx->a, e, rec));
	p[np++] = DB_INT(old.archived); /* an edit never archives or restores */
	np = bind_fields(cx, e, rec, p, np);
	rc = db_exec(cx->db, cx->a, e->sql->transition, p, np, &rows, err);
	if (rc == 0 && rows.changes != 1) {
		/* lost a race between the read above and this write */
		field_error_add(errs, -1, M_V_CONFLICT, "conflict");
		err->code = DBE_CONFLICT;
		rc = -1;
	}
	if (rc == 0) {
		rec->org_id = cx->org->id;
		rec->version++;
		rec->created_at = old.created_at;
		rec->updated_at = now;
		struct record fresh;
		rc = entity_get(cx, e, rec->id, &fresh, err);
		if (rc == 0) {
			audit_for(cx, &ev, e, "update", &fresh);
			ev.before = entity_record_json(cx->a, e, &old);
			ev.after = entity_record_json(cx->a, e, rec);
			rc = audit_append(cx->db, cx->a, &ev, err);
		}
		if (rc == 0 && e->after_write)
			rc = e->after_write(cx, e, &fresh, &old, err);
	}
	if (rc == 0)
		rc = search_index_record(cx, e, rec->id, err);
	return finish_write(cx, e, own, rc, errs, err);
}

/* The params' values checked like fields; those naming a field of the
 * record go into it. */
static void transition_params(struct ctx *cx, const struct entity *e,
			      const struct entity_transition *t, const char *const *pv,
			      struct record *rec, const char **out,
			      struct field_errors *errs)
{
	size_t n = 0;

	for (const struct entity_field *f = t->params; f && f->name; f++)
		n++;
	for (size_t i = 0; i < n; i++) {
		/* a one-field register for the engine's own checks */
		struct entity_field one[2] = { t->params[i], { NULL } };
		struct entity tmp = { .name = e->name, .fields = one, .nfields = 1 };
		struct field_errors fe = { .n = 0 };
		struct record r1;
		const char *v1[1] = { pv ? pv[i] : NULL };
		int fi = entity_field_index(e, t->params[i].name);

		memset(&r1, 0, sizeof(r1));
		entity_record_from_values(cx, &tmp, v1, &r1, &fe);
		for (size_t k = 0; k < fe.n; k++)
			field_error_add(errs, fi >= 0 ? fi : (int)(e->nfields + i),
					fe.e[k].msg, fe.e[k].code);
		out[i] = r1.v[0];
		if (fi >= 0 && !fe.n)
			rec->v[fi] = r1.v[0];
	}
}

/* o as compact JSON text with sorted keys, in the arena; o is released. */
static char *json_to_arena(struct arena *a, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS), *out;

	json_decref(o);
	if (!s)
		BUG("json_dumps failed");
	out = arena_strdup(a, s);
	free(s);
	return out;
}

/* The record's JSON with the params that are not fields of it (a note, a
 * decision), for the audit event's "after". */
static const char *with_params(struct arena *a, const struct entity *e,
			       const struct entity_transition *t, const char *record_json,
			       const char **pv)
{
	json_t *o = json_loads(record_json, 0, NULL);
	size_t i = 0;

	if (!o)
		BUG("entity_record_json gave no object");
	for (const struct entity_field *f = t->params; f && f->name; f++, i++)
		if (entity_field_index(e, f->name) < 0 && pv[i])
			json_object_set_new(o, f->name, json_string(pv[i]));
	return json_to_arena(a, o);
}

int entity_transition(struct ctx *cx, const struct entity *e, int64_t id,
		      int64_t version, const char *name, const char *const *pv,
		      struct field_errors *errs, struct db_error *err)
{
	const struct entity_transition *t = entity_transition_by_name(e, name);
	struct db_val p[ENTITY_MAX_PARAMS];
	size_t np = 0, nparams = 0;
	struct db_rows rows;
	struct record old, rec, fresh;
	struct audit_event ev;
	const char **vals;
	int rc, own;

	memset(err, 0, sizeof(*err));
	if (!t) {
		err->code = DBE_NOTFOUND;
		snprintf(err->msg, sizeof(err->msg), "%s has no transition %s", e->name,
			 name ? name : "");
		return -1;
	}
	for (const struct entity_field *f = t->params; f && f->name; f++)
		nparams++;
	if (write_begin(cx, &own, err) != 0)
		return -1;
	if (entity_get(cx, e, id, &old, err) != 0)
		goto abort;
	if (!entity_may_transition(cx, e, t, &old)) {
		err->code = DBE_DENIED;
		snprintf(err->msg, sizeof(err->msg), "%s %lld: %s is not yours to make",
			 e->name, (long long)id, t->name);
		field_error_add(errs, -1, M_V_DENIED, "forbidden");
		goto abort;
	}
	if (old.version != version) {
		field_error_add(errs, -1, M_V_CONFLICT, "conflict");
		err->code = DBE_CONFLICT;
		goto abort;
	}
	if (!entity_transition_applies(e, t, &old)) {
		field_error_add(errs, -1, M_V_BAD_STATE, "invalid_state");
		err->code = DBE_CHECK;
		goto abort;
	}
	/* the record as it will be */
	rec = old;
	rec.v = arena_alloc(cx->a, (e->nfields + 1) * sizeof(char *));
	memcpy(rec.v, old.v, e->nfields * sizeof(char *));
	if (!t->field)
		rec.archived = strcmp(t->to, "1") == 0;
	else
		rec.v[entity_field_index(e, t->field)] = t->to;
	vals = arena_alloc(cx->a, (nparams + 1) * sizeof(char *));
	transition_params(cx, e, t, pv, &rec, vals, errs);
	for (const char *const *r = t->requires; r && *r; r++) {
		int fi = entity_field_index(e, *r);
		if (!rec.v[fi])
			field_error_add(errs, fi, M_V_REQUIRED, "required");
	}
	/* the register's rules see every change, archiving too; references
	 * must be live when a record comes back, not when it goes */
	if (!(t->field == NULL && rec.archived)) {
		if (check_refs(cx, e, &rec, errs, err) != 0)
			goto abort;
	}
	if (e->validate)
		e->validate(cx, e, &rec, &old, errs);
	if (!errs->n && t->rule && t->rule(cx, e, t, &rec, &old, vals, errs, err) != 0)
		goto abort;
	/* an input or a rule may have moved the record (its unit, owner or
	 * parent): the actor must still be allowed to have it so */
	if (!errs->n && !may_with(cx, e, &rec, OP_WRITE, t->roles ? t->roles : e->roles_write)) {
		field_error_add(errs, -1, M_V_DENIED_MOVE, "forbidden");
		err->code = DBE_DENIED;
		goto abort;
	}
	if (errs->n) {
		err->code = DBE_CHECK;
		goto abort;
	}
	p[np++] = DB_INT(cx->org->id);
	p[np++] = DB_INT(id);
	p[np++] = DB_INT(version);
	p[np++] = DB_INT(clock_now());
	p[np++] = DB_INT(cx->user_id);
	p[np++] = DB_TEXT(search_text(cx->a, e, &rec));
	p[np++] = DB_INT(rec.archived ? 1 : 0);
	np = bind_fields(cx, e, &rec, p, np);
	rc = db_exec(cx->db, cx->a, e->sql->transition, p, np, &rows, err);
	if (rc == 0 && rows.changes != 1) {
		field_error_add(errs, -1, M_V_CONFLICT, "conflict");
		err->code = DBE_CONFLICT;
		rc = -1;
	}
	if (rc == 0)
		rc = entity_get(cx, e, id, &fresh, err);
	if (rc == 0) {
		audit_for(cx, &ev, e, t->name, &old);
		ev.before = entity_record_json(cx->a, e, &old);
		ev.after = entity_record_json(cx->a, e, &fresh);
		if (nparams)
			ev.after = with_params(cx->a, e, t, ev.after, vals);
		rc = audit_append(cx->db, cx->a, &ev, err);
	}
	if (rc == 0 && e->after_write)
		rc = e->after_write(cx, e, &fresh, &old, err);
	if (rc == 0)
		rc = search_index_record(cx, e, id, err);
	return finish_write(cx, e, own, rc, errs, err);
abort:
	write_abort(cx, own);
	return -1;
}

int entity_set_archived(struct ctx *cx, const struct entity *e, int64_t id,
			int64_t version, int archived, struct field_errors *errs,
			struct db_error *err)
{
	return entity_transition(cx, e, id, version, archived ? "archive" : "restore",
				 NULL, errs, err);
}

/* Field problems as one line for an operator (English, technical names). */
static void describe_errors(const struct entity *e, const struct field_errors *errs,
			    struct db_error *err)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < errs->n; i++) {
		const struct field_error *fe = &errs->e[i];
		if (b.len)
			buf_puts(&b, "; ");
		if (fe->field >= 0)
			buf_printf(&b, "%s: ", e->fields[fe->field].name);
		buf_printf(&b, "%s (%s)", msg_text(LANG_EN, fe->msg),
			   fe->code ? fe->code : "invalid");
	}
	err->code = DBE_CHECK;
	snprintf(err->msg, sizeof(err->msg), "%s %s", e->name, b.p ? b.p : "");
	buf_release(&b);
}

int64_t entity_create_values(struct ctx *cx, const struct entity *e,
			     const char **vals, struct db_error *err)
{
	struct record rec;
	struct field_errors errs;

	memset(&rec, 0, sizeof(rec));
	memset(&errs, 0, sizeof(errs));
	memset(err, 0, sizeof(*err));
	entity_record_from_values(cx, e, vals, &rec, &errs);
	if (errs.n) {
		describe_errors(e, &errs, err);
		return 0;
	}
	if (entity_create(cx, e, &rec, &errs, err)) {
		if (errs.n)
			describe_errors(e, &errs, err);
		else if (!err->code) {
			err->code = DBE_OTHER;
			snprintf(err->msg, sizeof(err->msg), "%s: not created", e->name);
		}
		return 0;
	}
	return rec.id;
}

char *entity_record_json(struct arena *a, const struct entity *e,
			 const struct record *rec)
{
	json_t *o = json_object();

	if (rec->id)
		json_object_set_new(o, "id", json_integer(rec->id));
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		const char *v = rec->v[i];
		int64_t x;
		json_t *j;

		if (!v)
			j = f->type == F_BOOL ? json_false() : json_null();
		else if (f->type == F_BOOL)
			j = json_boolean(strcmp(v, "1") == 0);
		else if (is_int_type(f->type) && parse_i64(v, &x) == 0)
			j = json_integer(x);
		else
			j = json_string(v);
		json_object_set_new(o, f->name, j ? j : json_null());
	}
	return json_to_arena(a, o);
}

const char *entity_title(const struct entity *e, const struct record *rec)
{
	int t = e->title_field;

	if (e->fields[t].type == F_REF && rec->ref_title && rec->ref_title[t])
		return rec->ref_title[t];
	return rec->v[t] ? rec->v[t] : "";
}

int64_t entity_id_by_title(struct ctx *cx, const struct entity *e, const char *title)
{
	struct db_rows rows;
	struct db_error err;

	if (!e->sql->by_title || !title)
		return 0;
	if (db_exec(cx->db, cx->a, e->sql->by_title,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(title)), &rows, &err) != 0)
		return 0;
	return rows.nrows == 1 ? db_cell_i64(&rows, 0, 0) : 0;
}

const char *entity_choice_label(struct ctx *cx, const struct entity_field *f,
				const char *v)
{
	for (const struct choice *c = f->choices; v && c && c->value; c++)
		if (strcmp(c->value, v) == 0)
			return msg_text(cx->lang, c->label);
	return v;
}

const char *entity_display(struct ctx *cx, const struct entity *e,
			   const struct record *rec, size_t i)
{
	const struct entity_field *f = &e->fields[i];
	const char *v = rec->v[i];

	switch (f->type) {
	case F_BOOL:
		return msg_text(cx->lang, v && strcmp(v, "1") == 0 ? M_YES : M_NO);
	case F_ENUM:
		return entity_choice_label(cx, f, v);
	case F_REF:
		return rec->ref_title[i] ? rec->ref_title[i] : v;
	case F_DATETIME: {
		int64_t t;
		return v && clock_parse_moment(v, &t) == 0 ? clock_format_local(cx->a, t) : v;
	}
	default:
		return v;
	}
}

const char *entity_choice_code(const struct entity_field *f, const char *s)
{
	for (const struct choice *c = f->choices; s && c && c->value; c++)
		if (strcmp(c->value, s) == 0 || strcmp(msg_text(LANG_SV, c->label), s) == 0 ||
		    strcmp(msg_text(LANG_EN, c->label), s) == 0)
			return c->value;
	return NULL;
}

int entity_titles(struct ctx *cx, const struct entity *e, const int64_t *ids, size_t n,
		  const char **titles, struct db_error *err)
{
	struct db_val p[ENTITY_TITLES_MAX + 1];
	struct db_rows rows;

	if (n > ENTITY_TITLES_MAX)
		n = ENTITY_TITLES_MAX;
	p[0] = DB_INT(cx->org->id);
	for (size_t k = 0; k < ENTITY_TITLES_MAX; k++)
		p[k + 1] = DB_INT(k < n ? ids[k] : 0); /* 0 matches no record */
	for (size_t k = 0; k < n; k++)
		titles[k] = NULL;
	if (db_exec(cx->db, cx->a, e->sql->titles, p, ENTITY_TITLES_MAX + 1, &rows, err) != 0)
		return -1;
	for (size_t i = 0; i < rows.nrows; i++) {
		struct record rec;
		row_to_record(cx, e, &rows, i, &rec);
		if (e->read_scoped && !entity_may(cx, e, &rec, OP_READ))
			continue; /* a record one may not read has no name */
		for (size_t k = 0; k < n; k++)
			if (ids[k] == rec.id)
				titles[k] = entity_title(e, &rec);
	}
	return 0;
}

int entity_titles_all(struct ctx *cx, const struct entity *e, const int64_t *ids, size_t n,
		      const char **titles, struct db_error *err)
{
	int64_t *uniq = arena_alloc(cx->a, (n + 1) * sizeof(*uniq));
	const char **names = arena_alloc(cx->a, (n + 1) * sizeof(*names));
	size_t nu = 0;

	for (size_t i = 0; i < n; i++) {
		size_t k;
		if (ids[i] <= 0)
			continue;
		for (k = 0; k < nu && uniq[k] != ids[i]; k++)
			;
		if (k == nu)
			uniq[nu++] = ids[i];
	}
	for (size_t from = 0; from < nu; from += ENTITY_TITLES_MAX)
		if (entity_titles(cx, e, uniq + from,
				  nu - from < ENTITY_TITLES_MAX ? nu - from : ENTITY_TITLES_MAX,
				  names + from, err) != 0)
			return -1;
	for (size_t i = 0; i < n; i++) {
		size_t k;
		titles[i] = NULL;
		for (k = 0; k < nu && uniq[k] != ids[i]; k++)
			;
		if (k < nu)
			titles[i] = names[k];
	}
	return 0;
}
