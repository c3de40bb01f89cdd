/* measures.h - security measures and the gap analysis (issue 9; seeds 001
 * §2, 004 BITS, 002 "Krav från riskanalys").
 *
 * The rule (selection.c): a measure of scope "system" is required for a
 * system when, for one of the aspects it protects, the system's level is
 * at least the measure's minimum level for that aspect - or when the
 * minimum is 0, whatever the system's level (the baseline every system
 * reaches, classified or not).  An organisation's own measure written for
 * one system (an extra requirement, R-4-05) is required for that system
 * alone.  Measures of scope "organisation" are assessed once, for the
 * organisation, and every system shows that assessment as inherited.
 *
 * Every system's required measures are rows of measure_assessment, kept
 * by selection.c inside the transaction of every write that changes the
 * system's levels, unit or archived flag (the systems module's
 * SYSTEM_CHANGED event) or the organisation's measures: a measure newly
 * required appears "ej bedömt" and marked new; one no longer required is
 * kept, with its assessment, marked as no longer required.  A system's
 * assessment may inherit the organisation's shared assessment of the same
 * measure (done once by the IT unit for many systems): its status in
 * effect is then the shared one, and the source is shown.
 *
 * The catalogue (catalogue.c) is versioned data in the program
 * (catalogue.json): loading it, or a newer version, or a catalogue the
 * organisation holds a licence for, adds and changes measures and marks
 * the assessments of a changed measure - it never rewrites them.
 */
#ifndef VARN_MEASURES_H
#define VARN_MEASURES_H

#include "base/base.h"
#include "core/entity.h"
#include "core/module.h"

struct ctx;
struct db_error;
struct buf;

extern const struct module measures_module;  /* module.c */
extern struct entity ms_measures;             /* measures.c */
extern struct entity ms_assessments;
extern struct entity ms_catalogues;

/* Who keeps the catalogue and the organisation's own assessments. */
#define ROLES_MEASURES_ADMIN (ROLES_REGISTER_ADMIN | RB(ROLE_IT_MANAGER))

enum measure_field {
	MF_CODE = 0, MF_TITLE, MF_TITLE_EN, MF_AREA, MF_TYPE, MF_SCOPE,
	MF_MIN_K, MF_MIN_R, MF_MIN_T, MF_MIN_S,
	MF_DESCRIPTION, MF_DESCRIPTION_EN, MF_REQ_TEXT,
	MF_REF_ISO, MF_REF_MSBFS, MF_REF_NIS2, MF_REF_SEED, MF_REF_REQ,
	MF_SYSTEM, MF_SOURCE, MF_CATALOGUE, MF_CHANGED_IN,
	MF__COUNT
};

enum assessment_field {
	AF_MEASURE = 0, AF_SYSTEM, AF_STATUS, AF_INHERIT, AF_HOW, AF_EVIDENCE, AF_SEVERITY,
	AF_MOTIVATION, AF_COMMENT, AF_ASSESSED_BY, AF_ASSESSED_ON,
	AF_REQUIRED, AF_NEW, AF_CHANGED, AF_AREA, AF_UNIT, AF_SYS_LEVEL,
	AF_EFFECTIVE, AF_CODE,
	AF__COUNT
};

enum catalogue_field {
	CF_CODE = 0, CF_TITLE, CF_VERSION, CF_LICENCE, CF_SOURCE, CF_BASELINE, CF_LOADED_ON,
	CF__COUNT
};

/* The areas of the catalogue, in its order (codes as stored). */
#define AREA__COUNT 14
extern const struct choice measure_areas[];    /* NULL-value terminated */
extern const struct choice measure_statuses[];
extern const struct choice measure_severities[];
extern const struct choice measure_types[];
extern const struct choice measure_scopes[];
int measure_area_index(const char *code);      /* -1 if unknown */
/* The open gaps per area as they stand, kept as the snapshot of day
 * ("YYYY-MM-DD"; replaces that day's) in gap_snapshot for the management
 * report's trend (report_section.c); extra is added to each area with
 * gaps (the demo's history).  In the caller's transaction.  0, or -1. */
struct buf;
int gap_snapshot_write(struct ctx *cx, const char *day, int extra, struct db_error *err);
/* The daily job "gap-snapshot": every organisation's snapshot of today. */
int gap_snapshot_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		     struct db_error *err);

/* The statuses, as stored.  "supplier": relies on the supplier, not
 * verified (R-4-03). */
#define ST_NOT_ASSESSED "not_assessed"
#define ST_MET "met"
#define ST_PARTLY "partly"
#define ST_NOT_MET "not_met"
#define ST_NA "not_applicable"
#define ST_SUPPLIER "supplier"

/* ---- the rule (selection.c) ---- */

#define ASPECTS 4               /* K, R, T, S, as systems.h */
#define MIN_NONE (-1)           /* the measure does not protect the aspect */
#define LEVEL_NOT_SET (-1)      /* the system has no level for the aspect */
/* Whether a measure with these minimum levels is required at these levels
 * (the rule above, for a measure of scope system). */
int measure_required(const int min[ASPECTS], const int level[ASPECTS]);
/* Whether a measure with these minimum levels is recommended ("bör") one
 * level below where it becomes required ("ska"), for procurement lists. */
int measure_recommended(const int min[ASPECTS], const int level[ASPECTS]);

/* Brings system_id's assessment rows up to date (the SYSTEM_CHANGED
 * listener). */
int gap_sync_system(struct ctx *cx, int64_t system_id, struct db_error *err);
/* The organisation's rows for its organisation-wide measures, and every
 * system's rows for one measure (after the measure was added or changed). */
int gap_sync_organisation(struct ctx *cx, struct db_error *err);
int gap_sync_measure(struct ctx *cx, int64_t measure_id, struct db_error *err);
/* After the organisation's shared assessment of a measure changed: the
 * status in effect of the systems that inherit it. */
int gap_sync_inherited(struct ctx *cx, int64_t measure_id, struct db_error *err);

/* ---- the catalogue (catalogue.c) ---- */

/* Värn's own catalogue, compiled into the program. */
const char *catalogue_builtin(size_t *len);

/* What a catalogue would change in the organisation's measures. */
struct catalogue_change {
	const char *code, *title;
	int kind;                 /* CHANGE_NEW, CHANGE_CHANGED, CHANGE_REMOVED */
	const char *what;         /* changed: which parts ("nivåer, text") */
};
enum { CHANGE_NEW = 0, CHANGE_CHANGED, CHANGE_REMOVED };
struct catalogue_diff {
	const char *code, *title, *version;   /* of the new catalogue */
	const char *loaded_version;           /* the organisation's, or NULL */
	struct catalogue_change *changes;
	size_t n, nnew, nchanged, nremoved, nsame, nmeasures;
	const char *problem;                  /* why it cannot be loaded (Swedish,
						 for the person loading it), or NULL */
};
/* Compares a catalogue (JSON text) with what the organisation has loaded
 * of the catalogue with the same code.  -1 with err (DBE_CHECK and a
 * message naming the problem for a catalogue that cannot be read). */
int catalogue_diff(struct ctx *cx, const char *json, size_t len, struct catalogue_diff *out,
		   struct db_error *err);
/* Loads it: adds new measures, changes changed ones (marking their
 * assessments "changed since assessed"), archives removed ones; in the
 * caller's transaction, audited.  source: "builtin" or "imported". */
int catalogue_load(struct ctx *cx, const char *json, size_t len, const char *source,
		   struct catalogue_diff *out, struct db_error *err);
/* A loaded catalogue's live measures (catalogue_id), or the organisation's
 * own (0), as a catalogue in the same JSON form, for export. */
int catalogue_export_json(struct ctx *cx, int64_t catalogue_id, struct buf *out,
			  struct db_error *err);

/* interchange.c: the same for `varn import|export --register
 * measure-catalogue` (core/module.h struct interchange) */
struct import_run;
struct import_run *catalogue_import_run(struct ctx *cx, const char *text, size_t len,
					void (*progress)(void *, size_t, size_t), void *arg);
int catalogue_import_commit(struct ctx *cx, struct import_run *run, struct db_error *err);
const char *catalogue_import_summary(struct ctx *cx, const struct import_run *run);
int catalogue_export(struct ctx *cx, struct buf *out, struct db_error *err);

/* ---- pages and the rest ---- */

struct req;
struct html;
/* gap_pages.c: a measure's page lists who needs it and how it stands; an
 * assessment's page names its measure and where its status comes from */
void measure_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h);
void assessment_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			     struct html *h);
/* documents.c: the measure's code, title and text in the exports */
/* documents.c may add export columns (the measure's title) later */

/* The routes: gap_page_routes (gap_pages.c), gap_overview_routes
 * (overview.c), catalogue_routes (catalogue_pages.c), declared in
 * module.c. */
int measures_demo(struct ctx *cx, struct buf *summary, struct db_error *err); /* demo.c */
struct demo_scale; /* core/scale.h: the gap analyses at scale (demo.c) */
int measures_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
			struct db_error *err);
extern const struct document measures_documents[];    /* documents.c */
extern const struct overview_chart measures_charts[]; /* overview.c */

/* system_panel.c: how far a system's self-assessment has come, on its page */
void measures_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			   struct html *h);

/* A system's numbers (gap_system_stat): required, per status, new. */
struct gap_counts {
	int64_t required, assessed, met, partly, not_met, na, supplier, not_assessed;
	int64_t fresh, changed;
};
int gap_system_counts(struct ctx *cx, int64_t system_id, struct gap_counts *c,
		      struct db_error *err);
/* Adds one gap_system_stat row (its stat and n) to c; c zeroed first. */
void gap_counts_add(struct gap_counts *c, const char *stat, int64_t n);

#endif
