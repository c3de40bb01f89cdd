/* module.h - a part of the product, declared once.
 *
 * A module (the organisation register, the system register, later
 * incidents, risks, ...) is one static struct module in its own folder,
 * listed once in modules/registry.c.  The foundation iterates over the
 * modules and never names one: the pipeline collects their routes, the
 * layout their menu entries, the start page their "waiting for you" items,
 * search their search sources, the CLI their registers and interchange
 * formats, `varn init --demo` their demo data, backups their tables, the
 * audit trail their action labels.
 *
 * Adding a module: its folder (declaration, rules, pages, messages.def,
 * meson.build), its migrations, one line in registry.c and one subdir() in
 * src/modules/meson.build.  docs/ARCHITECTURE.md has the recipe, and
 * tests/example/ a module built by it.
 */
#ifndef VARN_MODULE_H
#define VARN_MODULE_H

#include "base/base.h"

struct buf;
struct chart;
struct ctx;
struct db_error;
struct demo_scale;
struct entity;
struct import_run;
struct csv_reader;
struct route;

/* An entry of the organisation's main menu. */
struct menu_item {
	int label;          /* message id; 0 ends a list */
	const char *path;   /* under /o/{org}, e.g. "/units" ("/" = start) */
	unsigned roles;     /* who sees it (held anywhere in the organisation) */
	int order;          /* place in the menu, smallest first (start 0,
			       the audit trail 900, settings 950) */
};

/* A line of "waiting for you" on the start page: what this person must do.
 * The query returns one row per thing waiting, with the bound parameters
 *   $1 organisation id, $2 the person's id in it (0 if none),
 *   $3 today "YYYY-MM-DD" (Europe/Stockholm), $4 a row limit,
 *   $5 a unit id (WAIT_UNIT lines; 0 otherwise),
 *   $6 the day WAIT_SOON_DAYS ahead "YYYY-MM-DD" (what is due "soon")
 * and ends with "LIMIT $4", so that its cost is bounded by the limit and
 * an index on what it asks (never a full count): the page shows the
 * number, or "fler än N" when the limit was reached.
 *
 * The link must open exactly the records counted (a list filtered the
 * same way), and the start page leaves out a line whose link the person
 * could not open (its route's roles).  In path, "{person}" becomes the
 * person's id and "{unit}" the unit's; in msg, "{unit}" the unit's name. */
enum waiting_scope {
	WAIT_MINE = 0,  /* the person's own records ($2); roles may be 0 */
	WAIT_ORG,       /* the organisation's: roles held organisation-wide */
	WAIT_UNIT,      /* one line per unit where the person holds one of
			   roles for that unit only (and each unit below it),
			   with $5 that unit; at most WAIT_UNITS_MAX units */
};
#define WAIT_UNITS_MAX 20
#define WAIT_SOON_DAYS 30

struct waiting_item {
	unsigned roles;     /* who is asked (0: everyone with a person record) */
	int msg;            /* "{n} ..." with the number */
	const char *path;   /* link under /o/{org} */
	const char *sql;
	int scope;          /* enum waiting_scope */
	int msg_one;        /* the text when the count is exactly 1 (Swedish
			       and English plurals: "1 informationsmängd"),
			       or 0: msg then too */
};

/* A section on the page of another register's record: the live records of
 * e whose field ref_field (an F_REF with FF_FILTER) refers to it, bounded
 * with a link to the filtered list past the first page (web/parts.h
 * part_related).  So a unit's page lists its systems and a person's page
 * the information they own, declared by the module that owns systems and
 * information, without the organisation module knowing it. */
struct related_list {
	const char *of;      /* the register whose record pages show it ("units") */
	const struct entity *e;
	int ref_field;
	const int *cols;     /* e's fields shown, ended by -1 */
	const char *id;      /* the heading's id */
	int heading;         /* message */
	int empty;           /* message when none, or 0: no section then */
	const char *sort;    /* an FF_SORT field of e, or NULL: by title */
};

/* A step of "Kom igång", the guide for a new organisation: done when its
 * bounded query (the parameters of struct waiting_item, "LIMIT $4") finds
 * a row - or, with done_when_none, when it finds none and every step
 * before it is done (nothing left to review).  The count is shown with
 * count_msg ("{n} enheter"). */
struct guide_step {
	int label;           /* message: the step's name */
	int text;            /* message: what to do */
	int count_msg;       /* message with {n} */
	const char *path;    /* where to do it, under /o/{org} */
	int link;            /* message of that link */
	const char *path2;   /* a second way (an import page), or NULL */
	int link2;
	const char *sql;
	int done_when_none;
};

/* A register searched by the search page: its FF_SEARCH text is indexed
 * (SQLite FTS5 table <table>_fts, PostgreSQL GIN index <table>_fts; see
 * migrations/sqlite/0003_search.sql for what the migration must create). */
struct search_source {
	const struct entity *entity;
};

/* A file format other than the register's own CSV, for `varn import` and
 * `varn export --register NAME` (e.g. a classification interchange). */
struct interchange {
	const char *name;   /* what --register names */
	const char *title;  /* how the operator's messages call it: "KLASSA" */
	const char *help;   /* one line for `varn import --help` */
	int (*export_csv)(struct ctx *cx, struct buf *out, struct db_error *err);
	/* Runs the import in the caller's transaction (entity_import.h). */
	struct import_run *(*import_run)(struct ctx *cx, const char *text, size_t len,
					 void (*progress)(void *, size_t, size_t),
					 void *arg);
	/* Audits and commits a run without problems; -1 after rolling back. */
	int (*import_commit)(struct ctx *cx, struct import_run *run, struct db_error *err);
	/* What the import did, for the operator (English, one line). */
	const char *(*import_summary)(struct ctx *cx, const struct import_run *run);
	/* The same reading a CSV file a row at a time (r rewinds; no row
	 * limit), or NULL: the format is not CSV and is read whole. */
	struct import_run *(*import_stream)(struct ctx *cx, struct csv_reader *r,
					    void (*progress)(void *, size_t, size_t),
					    void *arg);
};

/* Work that runs by itself on time (core/scheduler.h runs it): inside
 * `varn serve` or from `varn jobs run` (cron).  A job runs once per period
 * for the whole installation, exactly once even with several processes on
 * one database (the run row of the period is the lease); periods missed
 * while nothing ran are caught up once, not one run per missed period.
 * The run gets a context of its own (ctx_system, via VIA_JOB, actor
 * "job:NAME", no organisation: the job loops over the organisations it
 * concerns) and one transaction is the caller's business: run commits
 * what it does itself, so that a failure half-way keeps what was done.
 *
 * What the scheduler does with the outcome: a failed run (-1) is tried
 * again after 5, then 10 minutes while its period lasts (three attempts),
 * then left failed until the next period; so a run must be safe to repeat
 * after a failure part-way.  A run must end well inside the lease (15
 * minutes; work in bounded batches), or another process takes it over.
 * summary and err are the operator's (`varn jobs list`): they may speak of
 * every organisation.  What an organisation's administrators see on
 * /o/ORG/jobs are only the lines the run notes for their organisation
 * with scheduler_note(cx, org_id, "2 påminnelser skickade", err)
 * (core/scheduler.h), written in the job's transaction when one is open.
 * Names are unique across the foundation and every module (checked at
 * start-up). */
struct job {
	const char *name;   /* "review-reminders": unique, stable (run rows) */
	int period;         /* seconds: 60, 3600, 86400, 604800 (a week) */
	int label;          /* message: what the jobs page calls it */
	/* One period's work, period_start the start of that period (Unix
	 * seconds; periods shorter than a day counted from the epoch, a day
	 * from midnight in Europe/Stockholm, a week from Monday 00:00 there).  Appends one line saying what it
	 * did to summary ("3 påminnelser till 2 ägare").  0, or -1 with err. */
	int (*run)(struct ctx *cx, int64_t period_start, struct buf *summary,
		   struct db_error *err);
	/* Seconds a run may take before another process, on the same
	 * database, takes it for dead and runs it again (0: SCHED_LEASE, 15
	 * minutes).  A job that can take longer (a backup of a large
	 * database) says so, or it would run twice. */
	int lease;
};

/* A picture on the start page (chart/chart.h), for those who hold one of
 * roles for the whole organisation.  build fills a chart in cx->a from
 * numbers that cost the same whatever the size of the register (a
 * summary the writes keep, read by its key: never a count over the
 * register per view); the start page draws it with its text alternative
 * and its numbers as a table.  0, or -1 with err. */
struct overview_chart {
	unsigned roles;     /* held organisation-wide */
	int heading;        /* message: the picture's heading; 0 ends a list */
	int (*build)(struct ctx *cx, struct chart **out, struct db_error *err);
};

/* The coordinator's overview (web/pages_overview.c, /o/{org}/overview):
 * the state of the whole information-security work at a glance - a
 * section per subject (systems by protection level, gaps by area,
 * approvals, plans, actions), each figure a number and a link to the list
 * behind it; and the same sections side by side for a coordinator of
 * several organisations (/overview).  A module declares its sections;
 * figures fills at most max of out (in cx->a) and returns how many, or -1
 * with err.  Its queries read counts the writes keep, or are bounded
 * (LIMIT) and answered by an index, so the page costs the same whatever
 * the size of the registers. */
struct overview_figure {
	int label;          /* message: what is counted ("Nivå 3", "Saknar godkännande") */
	int64_t n;
	int more;           /* n is a bound: shown "fler än n" */
	const char *path;   /* the list behind the number, under /o/{org}; or NULL */
	int attention;      /* a number that ought to be 0: marked when it is not */
};
struct follow_up_section {
	unsigned roles;     /* held organisation-wide; 0 ends a list */
	int heading;        /* message */
	int (*figures)(struct ctx *cx, struct overview_figure *out, int max,
		       struct db_error *err);
};
/* The most figures one section has (gaps by area: 14 areas and a total). */
#define OVERVIEW_FIGURES_MAX 24
/* A figure's count, bounded: sql is "SELECT count(*) FROM (SELECT ...
 * LIMIT $k) x" with $k its last parameter, which this binds to
 * OVERVIEW_COUNT_MAX + 1 (params has room for it at params[np]); f->n
 * and f->more are set.  0, or -1 with err. */
#define OVERVIEW_COUNT_MAX 999
struct db_val;
int overview_count(struct ctx *cx, struct overview_figure *f, const char *sql,
		   struct db_val *params, size_t np, struct db_error *err);

/* Something that must be kept current and has a next-review day (a
 * classification, a security plan, an approval, a risk analysis, the
 * action plan, later governance documents and continuity plans): the
 * follow-up calendar, the overdue lists and the review reminders read
 * every module's sources, so a module that keeps a review date only
 * declares its query.  sql is bound to
 *   $1 the organisation, $2 the first day, $3 the day after the last
 *   ("YYYY-MM-DD", as every F_DATE is stored: due >= $2 AND due < $3),
 *   $4 a row limit, $5 a person (0: everyone's; else only those whose
 *   owner is that person),
 * and returns rows (id, title, due, owner) ordered by due, id with LIMIT
 * $4, answered by an index (due "YYYY-MM-DD", owner a person id or
 * NULL).  Everyone's and a person's rows usually want different indexes:
 * two branches "WHERE $5 = 0 AND ..." and "WHERE $5 <> 0 AND owner = $5
 * ...", each ordered and LIMITed, joined by UNION ALL (the branch not
 * asked for is cut by its constant condition before it reads a row).  path is the record's address under /o/{org} with
 * "{id}" for its id.  A source is shown only to those who may open
 * its register (entity's read roles; roles 0: the entity decides). */
struct review_source {
	int label;          /* message: "Klassning"; 0 ends a list */
	const struct entity *entity; /* whose read access decides, or NULL */
	unsigned roles;     /* who sees it in the organisation's calendar */
	const char *path;   /* "/information/{id}" */
	const char *sql;
};

/* The management report (/o/{org}/management-report, its PDF and its
 * XLSX appendix): each module's sections, ordered by `order`, for a
 * period [from, to) and the previous period of the same length
 * [prev_from, from), so a trend can be read.  A section fills a picture
 * (or none), a one-sentence reading in plain words ("Tre av fyra
 * incidenter var nätfiske; fler än förra perioden.") and a few figures
 * with the list behind each; the foundation lays them out on the page
 * and in the PDF, and writes the picture's numbers (chart_table) and the
 * figures to the appendix.  Its queries read summaries the writes keep
 * or bounded counts, so the report costs the same whatever the size of
 * the registers. */
struct report_period {
	int64_t from, to;        /* [from, to): Stockholm midnights */
	int64_t prev_from;       /* the previous period: [prev_from, from) */
};
#define REPORT_FIGURES_MAX 8
struct report_part {
	struct chart *chart;     /* or NULL */
	const char *reading;     /* one sentence, or NULL */
	struct overview_figure figures[REPORT_FIGURES_MAX];
	int nfigures;
};
struct report_section {
	int order;               /* place in the report, smallest first;
				    0 ends a list */
	unsigned roles;          /* held organisation-wide */
	int heading;             /* message */
	int (*build)(struct ctx *cx, const struct report_period *p,
		     struct report_part *out, struct db_error *err);
};

/* A document a module declares (doc/doc.h): the foundation serves every
 * one at /o/{org}/documents/NAME (the print view, HTML) and
 * /o/{org}/documents/NAME.pdf (the PDF download, audited as "document"),
 * and `varn export --document NAME --format pdf` writes it; the module
 * only fills the model.  ?unit=, ?id= and ?from=&to= reach build as
 * params (`varn export --unit --id --from --to`). */
struct doc;
struct doc_params {
	int64_t unit;        /* ?unit=: a unit (and those below it), or 0 */
	int64_t id;          /* ?id=: the record it is about, or 0 */
	/* ?from=&to= ("YYYY-MM-DD", both days included; core/report.h): the
	 * period [from, to) between Stockholm midnights and the previous one
	 * of the same length; all 0 when not given.  A malformed period is
	 * refused (400) before build is called. */
	int64_t from, to, prev_from;
};
struct document {
	const char *name;    /* "system-register": the address, --document */
	int title;           /* message: the document's name */
	const char *file;    /* the PDF's file name starts with it
				("systemforteckning"), then the organisation
				and the date */
	unsigned roles;      /* who may get it; per-record access is build's */
	int needs_id;        /* ?id= is required (a record's document) */
	/* Fills d (its arena is cx->a; title, organisation and date are
	 * set).  0, or -1 with err: DBE_NOTFOUND for a record that does not
	 * exist or that the actor may not read (404). */
	int (*build)(struct ctx *cx, const struct doc_params *p, struct doc *d,
		     struct db_error *err);
};

/* Something one module tells the others, inside the transaction of the
 * write that caused it: the systems module says "system-changed"
 * (SYSTEM_CHANGED, systems.h) when a system's levels, unit or archived
 * flag may have changed, and the measures module brings the measures the
 * system needs up to date.  The emitter does not know who listens; a
 * listener keeps only its own data.  0, or -1 with err (the write fails). */
struct module_listener {
	const char *event;  /* NULL ends a list */
	int (*handle)(struct ctx *cx, int64_t id, struct db_error *err);
};

/* A panel on the page of another module's record, after its summary: the
 * measures module's "how far the self-assessment has come" on a system's
 * page, without the systems module knowing of measures.  show writes it
 * (web/parts.h parts; req_fail when its data cannot be read) and must cost
 * the same whatever the size of the registers: a few rows by key. */
struct req;
struct html;
struct record;
struct record_panel {
	const char *of;     /* the register whose record pages show it ("systems");
			       NULL ends a list */
	void (*show)(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h);
};

/* An audit action a module writes, and how the trail reads it. */
struct audit_label {
	const char *action; /* "derive"; NULL ends a list */
	int label;          /* message id */
};

struct module {
	const char *name;                         /* "systems" */
	const struct entity *const *entities;     /* NULL-terminated, or NULL */
	const struct route *const *routes;        /* route tables, NULL-terminated */
	const struct menu_item *menu;             /* label 0 terminated, or NULL */
	/* The page header's prominent actions, on every page of the
	 * organisation for those who hold roles ("Rapportera incident"): the
	 * same struct as the menu's, order among the header's; label 0
	 * terminated, or NULL */
	const struct menu_item *header_actions;
	const struct waiting_item *waiting;       /* msg 0 terminated, or NULL */
	const struct waiting_item *overview;      /* the start page's numbers: the
						     same bounded queries, msg the
						     register's name; or NULL */
	const struct related_list *related;       /* sections on other registers'
						     record pages; of NULL terminated,
						     or NULL */
	const struct guide_step *guide;           /* "Kom igång" steps, in order;
						     label 0 terminated, or NULL */
	const struct search_source *search;       /* entity NULL terminated, or NULL */
	const struct interchange *interchange;    /* name NULL terminated, or NULL */
	const struct audit_label *audit_labels;   /* action NULL terminated, or NULL */
	const char *const *tables;                /* backed-up tables, in an order
						     that satisfies their foreign
						     keys; NULL-terminated */
	/* Demo data for the organisation cx->org (called by `varn init
	 * --demo` once the organisations and their people exist); appends a
	 * line to summary.  0, or -1 with err set. */
	int (*demo)(struct ctx *cx, struct buf *summary, struct db_error *err);
	/* Synthetic data at scale for the organisation cx->org (`varn demo
	 * --scale`, core/scale.h): as many of the module's records as s asks,
	 * from s->seed only, after the modules before it in modules[] made
	 * theirs; appends one line to summary.  Commits its own batches.  0,
	 * or -1 with err set.  NULL: the module adds nothing at scale. */
	int (*demo_scale)(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
			  struct db_error *err);
	const struct job *jobs;                   /* name NULL terminated, or NULL */
	const struct document *documents;         /* name NULL terminated, or NULL */
	const struct overview_chart *charts;      /* start-page pictures; heading 0
						     terminated, or NULL */
	const char *const *derived_tables;        /* tables the module's triggers
						     keep from its other tables
						     (summaries): not backed up,
						     rebuilt by restoring those;
						     NULL-terminated, or NULL */
	const struct module_listener *listeners;  /* event NULL terminated, or NULL */
	const struct record_panel *panels;        /* of NULL terminated, or NULL */
	const struct follow_up_section *follow_up; /* the coordinator's overview;
						     roles 0 terminated, or NULL */
	const struct review_source *reviews;      /* the follow-up calendar;
						     label 0 terminated, or NULL */
	const struct report_section *report;      /* the management report;
						     order 0 terminated, or NULL */
};

/* Every module, in menu and start-page order (modules/registry.c). */
extern const struct module *const modules[];

/* Every register of every module, NULL-terminated (built once). */
const struct entity *const *module_entities(void);
/* Every backed-up table: the foundation's, then each module's. */
const char *const *module_tables(void);
/* The interchange format called name, or NULL. */
const struct interchange *module_interchange(const char *name);
/* The document called name of any module, or NULL. */
const struct document *module_document(const char *name);
/* Calls every module's listener of event with id, in module order; the
 * first failure stops and fails. */
int module_emit(struct ctx *cx, const char *event, int64_t id, struct db_error *err);
/* How the audit trail reads a module's action, or 0. */
int module_audit_label(const char *action);

#endif
