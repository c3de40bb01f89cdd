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

struct entity_sql; /* generated, private to entity.c */

struct entity {
	const char *name;        /* "units": URL segment, API resource, audit entity */
	const char *table;       /* "unit" */
	int label_one;           /* "Enhet" */
	int label_many;          /* "Enheter" */
	int label_new;           /* "Ny enhet" */
	int intro;               /* a sentence under the list heading, or 0 */
	const struct entity_link *list_links; /* extra toolbar links, or NULL */
	const struct entity_field *fields; /* NULL-name terminated */
	int title_field;         /* index of the field that names a record */
	unsigned roles_read;
	unsigned roles_write;
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
	struct entity_sql *sql;  /* filled by entity_prepare() */
	size_t nfields;          /* filled by entity_prepare() */
};

/* All registers are the modules' (core/module.h: module_entities()). */
const struct entity *entity_by_name(const char *name);
/* Generates the SQL of every entity; call once at start-up. */
void entity_prepare_all(void);
int entity_field_index(const struct entity *e, const char *name);

/* Listing with keyset paging. */
struct list_query {
	const char *search;      /* user text, folded and LIKE-escaped inside */
	int sort_field;          /* field index, or -1 for the title */
	int desc;
	int archived;            /* 0 active, 1 archived */
	const char *after;       /* opaque cursor from a previous page, or NULL */
	int limit;               /* 1..200 */
	const char **filters;    /* per field (FF_FILTER), NULL or value */
};
struct list_result {
	struct record *rows;
	size_t n;
	const char *next;        /* cursor for the next page, or NULL */
	int64_t total;           /* rows matching, over all pages */
};
/* A cursor that cannot be read fails with DBE_CHECK (a bad request). */
int entity_list(struct ctx *cx, const struct entity *e, const struct list_query *lq,
		struct list_result *out, struct db_error *err);
/* One record of the request's organisation; DBE_NOTFOUND if none. */
int entity_get(struct ctx *cx, const struct entity *e, int64_t id,
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
int entity_set_archived(struct ctx *cx, const struct entity *e, int64_t id,
			int64_t version, int archived, struct field_errors *errs,
			struct db_error *err);
/* Creates a record from raw values (one per field, NULL when empty), as
 * the CLI, the demo and scheduled jobs do: the id, or 0 with err holding
 * every field problem in one line for an operator. */
int64_t entity_create_values(struct ctx *cx, const struct entity *e,
			     const char **vals, struct db_error *err);
/* The record's display title (a referenced record's title for F_REF). */
const char *entity_title(const struct entity *e, const struct record *rec);
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

/* Record as a JSON object text (for audit before/after and the API). */
char *entity_record_json(struct arena *a, const struct entity *e,
			 const struct record *rec);

/* The routes the engine declares for every entity (pages and API). */
size_t entity_routes(const struct route ***out);

#endif
