/* entity.h - registers declared once, served everywhere.
 *
 * A register (units, people, role assignments, later systems, incidents...)
 * is a static struct entity: its table, its fields with labels, types and
 * validation, who may read and write it, and optional rule hooks.  From that
 * one description the engine derives the SQL (generated once at start-up
 * from the declaration, never from input), the list, form, detail, CSV and
 * JSON views, import, archive/restore, optimistic concurrency and the audit
 * trail.  A new register is a declaration plus its own rules.
 *
 * Table conventions the engine relies on (see migrations): id, org_id,
 * version, archived, created_at, updated_at, created_by, updated_by, search,
 * one column per field (F_REF fields store the referenced id), and
 * <name>_sk for every FF_SORT text field.
 */
#ifndef VARN_ENTITY_H
#define VARN_ENTITY_H

#include "base/base.h"

struct ctx;
struct req;
struct route;
struct html;
struct db;
struct db_error;

enum field_type {
	F_TEXT = 0,   /* one line */
	F_LONGTEXT,   /* several lines */
	F_EMAIL,
	F_INT,
	F_BOOL,       /* 0/1, a checkbox */
	F_ENUM,       /* one of choices[] */
	F_REF,        /* id of a record of `ref` in the same organisation */
	F_DATE,       /* YYYY-MM-DD */
	F_DATETIME,   /* a moment: stored and in the API as RFC 3339 UTC
			 ("2026-12-05T14:30:00Z"), shown and entered in
			 Stockholm time ("2026-12-05 15:30") */
};

enum field_flag {
	FF_REQUIRED = 1 << 0,
	FF_LIST = 1 << 1,      /* a column in the list */
	FF_SEARCH = 1 << 2,    /* part of the folded search text */
	FF_SORT = 1 << 3,      /* list sortable by it (text: has <name>_sk) */
	FF_UNIQUE = 1 << 4,    /* a unique index covers it (per org) */
	FF_FILTER = 1 << 5,    /* list filter (F_ENUM, F_REF, F_BOOL) */
	FF_NO_FORM = 1 << 6,   /* set by rules, never by forms, import or API;
				  kept as it is on update, 0 on create */
	FF_NO_IMPORT = 1 << 7, /* not in CSV import */
	FF_PRIVATE = 1 << 8,   /* masked by the entity's mask() rule */
	FF_LEVEL = 1 << 9,     /* F_INT: a level (K3), shown as a chip with its
				  number; empty reads "Ej klassad", never 0 */
	FF_DUE = 1 << 10,      /* F_DATE: a due or review date; past today it
				  reads "(försenad)" and stands out */
	FF_SUMMARY = 1 << 11,  /* shown by the register's show_summary (e.g. a
				  system's levels in its profile), so left out
				  of the fields on the record's page */
	FF_SET = 1 << 12,      /* never empty once written (the rules set it on
				  create, the column is NOT NULL): sorted by the
				  column as it is, so an index serves the list */
};

struct choice {
	const char *value; /* stored code */
	int label;         /* message id */
};

struct entity;

struct entity_field {
	const char *name;     /* column and parameter name */
	int label;            /* message id */
	int help;             /* message id of a hint under the input, or 0 */
	enum field_type type;
	int64_t min, max;     /* text: length in characters; int: range */
	unsigned flags;
	const struct choice *choices;  /* F_ENUM, NULL-value terminated */
	const struct entity *ref;      /* F_REF */
	int group;            /* message id of the group it belongs to, or 0:
				 the form puts a run of fields of one group in
				 a <fieldset> with the group as its <legend>,
				 the record's page under the group as heading */
};

/* A record as text, as the forms and the database see it. */
struct record {
	int64_t id, org_id, version;
	int archived;
	int64_t created_at, updated_at;
	const char **v;         /* one per field, NULL for empty */
	const char **ref_title; /* F_REF fields: the referenced record's title */
	int masked;             /* private fields were hidden from the viewer */
	int title_private;      /* the title comes from a private record (kept
				   out of audit summaries whoever writes) */
};

/* A link in a register's list toolbar (e.g. an interchange export). */
struct entity_link {
	int label;         /* message id; 0 ends the list */
	const char *path;  /* under /o/{org}, e.g. "/units.xlsx" */
	unsigned roles;
	/* When the list is filtered by this F_REF field (FF_FILTER), the
	 * link carries the filter's record id as ?carry_as= (a document of
	 * the unit the list shows); NULL: never. */
	const char *carry;
	const char *carry_as;
};

/* Columns a register's exports add after its fields (CSV, Excel, `varn
 * export`): text about each record drawn from other registers (a system's
 * people, dependencies and information).  fill() is called once per page of
 * at most 200 records and answers for the whole page with a fixed number of
 * queries, never one per record: out[k * ncolumns + c] is record k's text
 * for column c (NULL: empty), from cx->a.  The import knows these headers
 * and reads past them, so an export imports back. */
struct entity_export_column {
	const char *name;  /* technical name; NULL ends the list */
	int label;         /* message id: the header */
};
struct entity_export_extra {
	const struct entity_export_column *columns;
	int (*fill)(struct ctx *cx, const struct entity *e, const struct record *rows,
		    size_t n, const char **out, struct db_error *err);
};

struct field_error {
	int field;    /* index into fields, or -1 for the whole record */
	int msg;      /* message id */
	const char *code; /* machine code for the API: "required", "too_long",
			     "invalid", "not_found", "unique", "conflict", ... */
};

#define ENTITY_MAX_ERRORS 32
struct field_errors {
	struct field_error e[ENTITY_MAX_ERRORS];
	size_t n;
};
void field_error_add(struct field_errors *errs, int field, int msg, const char *code);
/* The first error of field `field` (-1: the whole record), or NULL; errs
 * may be NULL. */
const struct field_error *field_error_find(const struct field_errors *errs, int field);

/* A state change of a record, declared (the engine's state machines).
 *
 * A transition moves `field` (an F_ENUM or F_BOOL field holding the state;
 * NULL: the record's archived flag) from one of `from` to `to`, and is
 * made only through entity_transition(): one transaction with the version
 * check, per-record access, the register's validate rule and the
 * transition's own rule, the fields it requires, the audit event (action =
 * the transition's name) and the register's after_write (derived data).
 *
 * Every register has "archive" and "restore" without declaring them; a
 * register declares them only to give them inputs or a rule.  Pages and
 * the API serve each declared transition at .../{id}/<name> (POST), with
 * a confirmation form when it takes inputs. */
struct entity_transition {
	const char *name;         /* "reviewed": URL segment, API verb, audit action */
	int label;                /* the button */
	int help;                 /* what happens, shown before it is made, or 0 */
	const char *field;        /* the state field, or NULL for archived */
	const char *const *from;  /* states it starts from (codes), NULL-terminated;
				     NULL: any state */
	const char *to;           /* the state it leads to (code; "1"/"0" for bools) */
	unsigned roles;           /* who may make it (0: those who may write);
				     per-record access applies too */
	/* Inputs it takes besides the version (a note, a decision): values of
	 * fields of the record, or of params only (kept in the audit event). */
	const struct entity_field *params;       /* NULL-name terminated, or NULL */
	const char *const *requires; /* fields that must be filled afterwards */
	/* Its own rule, inside the transaction after validate: may refuse
	 * (errs) or set fields of rec (FF_NO_FORM ones too).  pv: the params'
	 * values, one per params entry.  Non-zero with err set fails. */
	int (*rule)(struct ctx *cx, const struct entity *e,
		    const struct entity_transition *t, struct record *rec,
		    const struct record *old, const char *const *pv,
		    struct field_errors *errs, struct db_error *err);
	int own_button;           /* the register's page offers it where it
				     belongs; the generic actions leave it out */
	/* The values its page starts with, one per param (pv, all NULL on
	 * entry): a param that is a field of the record starts with the
	 * record's value anyway; this may suggest others (the root cause the
	 * incident's category suggests).  NULL: none. */
	void (*defaults)(struct ctx *cx, const struct entity *e, const struct record *rec,
			 const char **pv);
	/* Whether the transition's page asks for param i for this record
	 * (e.g. what happens to an account only of a person who has one);
	 * NULL: every param is asked. */
	int (*asks)(struct ctx *cx, const struct entity *e, const struct record *rec,
		    size_t i);
};

/* A record made from another register's record page linked to it at once,
 * in the same transaction: "Ny informationsmängd" on a system's page makes
 * the set and its system-information link (pages_entity.c).  The link is
 * made through the engine, so its register's access and rules apply. */
struct entity_create_link {
	const char *param;          /* the parameter naming the other record ("system_id") */
	const struct entity *link;  /* the linking register */
	int link_to_param;          /* its field that refers to the other record */
	int link_to_new;            /* its field that refers to the new record */
};

/* What an actor wants to do with a record (per-record access). */
enum entity_op { OP_READ = 0, OP_WRITE };

struct entity_sql; /* generated, private to entity.c */

struct entity {
	const char *name;        /* "units": URL segment, API resource, audit entity */
	const char *table;       /* "unit" */
	int label_one;           /* "Enhet" */
	int label_many;          /* "Enheter" */
	int label_new;           /* "Ny enhet" */
	int intro;               /* a sentence under the list heading, or 0 */
	const struct entity_link *list_links; /* extra toolbar links, or NULL */
	const struct entity_export_extra *export_extra; /* more export columns, or NULL */
	const struct entity_create_link *create_link; /* made linked, or NULL */
	const struct entity_field *fields; /* NULL-name terminated */
	int title_field;         /* index of the field that names a record */
	unsigned roles_read;
	unsigned roles_write;
	/* Per-record access (entity_may).  A role of roles_read/roles_write
	 * held for the whole organisation covers every record.  Held only for
	 * a unit, it covers the records whose unit_field is that unit or one
	 * below it.  The person that owner_field names may read and change
	 * their own record.  A register of a record's parts (a system's
	 * dependencies, its people) names parent_field instead: whoever may
	 * change the parent may change its parts.  Without any of the three,
	 * only organisation-wide roles write. */
	const char *unit_field;   /* F_REF to units, or NULL */
	const char *owner_field;  /* F_REF to people, or NULL */
	const char *parent_field; /* F_REF to the parent register, or NULL */
	/* A register of parts may also be served under its parent in the API:
	 * GET /api/v1/orgs/{org}/<parent>/{id}/<parent_path> lists the parts
	 * of that parent record (404 when the caller may not read it), with
	 * the parent's read roles ("obligations" of an incident).  NULL: not. */
	const char *parent_path;
	/* Confidential registers: reading is limited the same way, in lists,
	 * counts, exports and search (as a condition in the SQL, never after
	 * paging); a record one may not read does not exist (404).  Reading
	 * one writes an audit event when audit_reads is set. */
	int read_scoped;
	int audit_reads;
	/* The record's page leaves out a group of fields (struct
	 * entity_field.group) none of which holds a value yet (empty, or a
	 * flag not set): a workflow's later stages stay out of sight until
	 * they begin. */
	int hide_empty_groups;
	/* A read-scoped register whose records are granted one by one
	 * (incidents: their handlers, the owners of the systems they affect):
	 * then only roles_all covers every record (held organisation-wide) or
	 * a unit's records (held for the unit), and roles_read/roles_write are
	 * the gate to the register; anyone else reads a record only with a row
	 * (org_id, record_id, person_id, may_write) in grant_table for it, and
	 * changes it (with a role of roles_write, or of the transition's) only
	 * when that row has may_write 1.  The module keeps the rows. */
	const char *grant_table;
	unsigned roles_all;
	/* The register's own access rule on top (e.g. a decided plan is
	 * frozen); 0 refuses.  Optional. */
	int (*may)(struct ctx *cx, const struct entity *e, const struct record *rec,
		   enum entity_op op);
	/* Declared transitions, NULL-name terminated, or NULL (module.h). */
	const struct entity_transition *transitions;
	/* Rules, all optional. */
	/* Cross-field and database-dependent validation before a write. */
	void (*validate)(struct ctx *cx, const struct entity *e, struct record *rec,
			 const struct record *old, struct field_errors *errs);
	/* Protection of private fields (seed 004 "Skyddade identiteter"): when
	 * the F_BOOL field called private_flag is 1, the record's FF_PRIVATE
	 * fields are hidden from viewers for whom need_to_know() is 0, in every
	 * view, in references from other registers, in exports and in search
	 * (they are left out of the search text, and the sort key is computed
	 * from the masked title). */
	const char *private_flag;
	int (*need_to_know)(struct ctx *cx, const struct entity *e, int64_t id);
	/* Runs inside the write's transaction once the row is written (create,
	 * update, archive, restore), with the record as stored (`rec`) and as it
	 * was (`old`, NULL on create): derived data in other registers, with
	 * their own audit events.  Non-zero fails and rolls back the write. */
	int (*after_write)(struct ctx *cx, const struct entity *e, const struct record *rec,
			   const struct record *old, struct db_error *err);
	/* A summary above the record's fields (e.g. a system's protection
	 * profile), and extra sections below them (e.g. a person's roles). */
	void (*show_summary)(struct req *q, const struct entity *e,
			     const struct record *rec, struct html *h);
	void (*show_extra)(struct req *q, const struct entity *e,
			   const struct record *rec, struct html *h);
	/* A picker of this register's records (a reference to it in a form,
	 * a list filter) offers some first: people who can own a system or
	 * information before the rest.  Fills *ids with those records' ids in
	 * ascending order (n of them, in cx's arena); 0, or -1 with err set.
	 * The picker shows them in an <optgroup> labelled ref_first_label,
	 * then the others under ref_rest_label.  Optional. */
	int (*ref_first)(struct ctx *cx, const struct entity *e, int64_t **ids, size_t *n,
			 struct db_error *err);
	int ref_first_label, ref_rest_label;
	struct entity_sql *sql;  /* filled by entity_prepare() */
	size_t nfields;          /* filled by entity_prepare() */
	/* filled by entity_prepare(): the declared transitions and the built-in
	 * archive and restore (when not declared), NULL-name terminated */
	const struct entity_transition *all_transitions;
};

/* All registers are the modules' (core/module.h: module_entities()). */
const struct entity *entity_by_name(const char *name);
/* Generates the SQL of every entity; call once at start-up. */
void entity_prepare_all(void);
int entity_field_index(const struct entity *e, const char *name);

/* A reference filter's value for "refers to none" (a system without an
 * owner, a person without a unit). */
#define ENTITY_FILTER_NONE "none"

/* Listing with keyset paging. */
struct list_query {
	const char *search;      /* user text, folded and LIKE-escaped inside */
	int sort_field;          /* field index, or -1 for the title */
	int desc;
	int archived;            /* 0 active, 1 archived */
	const char *after;       /* opaque cursor from a previous page, or NULL */
	int limit;               /* 1..200 */
	const char **filters;    /* per field (FF_FILTER), NULL or value;
				    an F_REF's or F_INT's may be
				    ENTITY_FILTER_NONE */
	int no_total;            /* 1: the total is not wanted (left 0), one
				    statement fewer (a picker's choices) */
};
/* A list counts the rows matching up to this many, never all of them: a
 * page's cost must not grow with the register. */
#define ENTITY_COUNT_MAX 1000
struct list_result {
	struct record *rows;
	size_t n;
	const char *next;        /* cursor for the next page, or NULL */
	int64_t total;           /* rows matching, over all pages, at most
				    ENTITY_COUNT_MAX */
	int total_more;          /* there are more than total (shown as
				    "fler än 1 000") */
};
/* The rows lq matches, counted up to max + 1 and no further (a picker
 * asks whether a register has more than it offers before reading any):
 * one bounded statement.  0, or -1 with err. */
int entity_count_upto(struct ctx *cx, const struct entity *e, const struct list_query *lq,
		      int64_t max, int64_t *n, struct db_error *err);
/* A cursor that cannot be read fails with DBE_CHECK (a bad request). */
int entity_list(struct ctx *cx, const struct entity *e, const struct list_query *lq,
		struct list_result *out, struct db_error *err);
/* One record of cx's organisation; DBE_NOTFOUND if none (or, in a
 * read-scoped register, one the actor may not read). */
int entity_get(struct ctx *cx, const struct entity *e, int64_t id,
	       struct record *out, struct db_error *err);
/* entity_get() for showing the record to a person (its page, the API):
 * in a register with audit_reads the read is audited first. */
int entity_read(struct ctx *cx, const struct entity *e, int64_t id,
		struct record *out, struct db_error *err);

/* Reads the declared fields from the request's form/JSON values (vals, one
 * per field, NULL when absent), normalises and validates them. */
void entity_record_from_values(struct ctx *cx, const struct entity *e,
			       const char **vals, struct record *rec,
			       struct field_errors *errs);
/* Writes, each in one transaction with its audit event (inside a caller's
 * transaction they use a savepoint instead, so an import can run many and
 * roll them all back).  On a validation
 * problem errs is filled and nothing is written.  update needs rec->version
 * to match (else a "conflict" error).  Returns 0, or -1 (errs or err set). */
int entity_create(struct ctx *cx, const struct entity *e, struct record *rec,
		  struct field_errors *errs, struct db_error *err);
int entity_update(struct ctx *cx, const struct entity *e, struct record *rec,
		  struct field_errors *errs, struct db_error *err);
/* Makes the transition called name (entity_transition above) of record id
 * at version, with pv one value per the transition's params (NULL: none
 * given).  Returns 0, or -1 with errs (the user's mistakes, the form comes
 * back) or err set: DBE_NOTFOUND (no such record, or one the actor may not
 * read), DBE_DENIED (the actor may not make it), DBE_CONFLICT (version),
 * DBE_CHECK (not from this state: errs says so). */
int entity_transition(struct ctx *cx, const struct entity *e, int64_t id,
		      int64_t version, const char *name, const char *const *pv,
		      struct field_errors *errs, struct db_error *err);
/* Archive (archived 1) or restore (0): the transitions of those names. */
int entity_set_archived(struct ctx *cx, const struct entity *e, int64_t id,
			int64_t version, int archived, struct field_errors *errs,
			struct db_error *err);
/* The field is a transition's state (set by transitions, never by forms). */
int entity_field_is_state(const struct entity *e, size_t i);
/* The field index a transition's problem with its param `name` carries in
 * struct field_error: the record's field when the param is one, else
 * nfields + the param's index (so forms can put it beside its input). */
int entity_param_error_index(const struct entity *e, const struct entity_transition *t,
			     const char *name);
/* The transition called name of e (declared or built-in), or NULL. */
const struct entity_transition *entity_transition_by_name(const struct entity *e,
							 const char *name);
/* The transition may start from rec's state (not whether the actor may). */
int entity_transition_applies(const struct entity *e, const struct entity_transition *t,
			      const struct record *rec);
/* The actor may make transition t on rec (roles and per-record access). */
int entity_may_transition(struct ctx *cx, const struct entity *e,
			  const struct entity_transition *t, const struct record *rec);

/* A read-scoped register's condition for other queries of it (search):
 * appends " AND (...)" on the table alias t using parameters $n+1..$n+3,
 * which entity_scope_bind() then binds from cx (nothing for other
 * registers).  p must have room for three more. */
struct buf;
struct db_val;
void entity_scope_sql(const struct entity *e, struct buf *b, int n);
size_t entity_scope_bind(struct ctx *cx, const struct entity *e, struct db_val *p, size_t np);

/* Per-record access (see struct entity): may the actor read or change
 * rec?  For a new record (rec->id 0) OP_WRITE asks whether it may be
 * created as it is (its unit, owner or parent). */
int entity_may(struct ctx *cx, const struct entity *e, const struct record *rec,
	       enum entity_op op);
/* May the actor create records of e at all (some record)?  For the "new"
 * button: a role of roles_write held anywhere where records can be
 * placed. */
int entity_may_create(struct ctx *cx, const struct entity *e);
/* Creates a record from raw values (one per field, NULL when empty), as
 * the CLI, the demo and scheduled jobs do: the id, or 0 with err holding
 * every field problem in one line for an operator. */
int64_t entity_create_values(struct ctx *cx, const struct entity *e,
			     const char **vals, struct db_error *err);
/* The record's display title (a referenced record's title for F_REF). */
const char *entity_title(const struct entity *e, const struct record *rec);
/* The titles of up to ENTITY_TITLES_MAX records of e in cx's organisation
 * (archived ones too), in one query: titles[k] for ids[k], NULL when there
 * is none or the actor may not read it (read-scoped); private titles are
 * masked as everywhere.  For pages that name many records (the audit
 * trail). */
#define ENTITY_TITLES_MAX 32
int entity_titles(struct ctx *cx, const struct entity *e, const int64_t *ids, size_t n,
		  const char **titles, struct db_error *err);
/* entity_titles() for any number of ids: each distinct id asked once
 * (ids <= 0 give NULL), ENTITY_TITLES_MAX distinct ids a statement, so a
 * list whose rows name the same few people costs one statement however
 * long it is. */
int entity_titles_all(struct ctx *cx, const struct entity *e, const int64_t *ids, size_t n,
		      const char **titles, struct db_error *err);
/* Id of the live record of e whose title is exactly `title`, 0 if none or
 * ambiguous (for CSV import of references by name). */
int64_t entity_id_by_title(struct ctx *cx, const struct entity *e, const char *title);
/* The value of field i as a person reads it in cx->lang (choice labels,
 * Ja/Nej, referenced titles). */
const char *entity_display(struct ctx *cx, const struct entity *e,
			   const struct record *rec, size_t i);
/* A choice's label for its code, or the code itself when unknown. */
const char *entity_choice_label(struct ctx *cx, const struct entity_field *f,
				const char *v);
/* A choice's code from its code or its label in either language, or NULL. */
const char *entity_choice_code(const struct entity_field *f, const char *s);

/* The folded search text the engine stores for rec (its FF_SEARCH fields;
 * private ones left out of a private record), for writers that bypass
 * the engine with the values it would have written (core/scale.h). */
const char *entity_search_text(struct arena *a, const struct entity *e,
			       const struct record *rec);

/* Record as a JSON object text (for audit before/after and the API). */
char *entity_record_json(struct arena *a, const struct entity *e,
			 const struct record *rec);

/* The routes the engine declares for every entity (pages and API). */
size_t entity_routes(const struct route ***out);

#endif
