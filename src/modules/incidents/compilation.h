/* compilation.h - the incidents' compilation for management (issue 11,
 * seed 004 §4, R-8-24..26): what the summary incident_month_stat (migration
 * 0020, kept by triggers) holds for a period, read by key, never the
 * incidents.
 *
 * The rules of the seed 004 compilation, as the page states them:
 *   intrusions and attempts (R-8-24): the categories unauthorised_access,
 *     malware, phishing and suspicious_call;
 *   breaches of law or internal rules (R-8-25): a reporting duty answered
 *     yes in the assessment, or a root cause of human error in an
 *     incident with personal data (stat_breach);
 *   significant disruption, caused or possible (R-8-26): availability
 *     harmed with a consequence of 3 or more, an outage of severity 3 or
 *     more, or escalated to the crisis organisation (stat_disrupt).
 * "Not an incident" is counted apart and in none of the others. */
#ifndef VARN_INCIDENTS_COMPILATION_H
#define VARN_INCIDENTS_COMPILATION_H

#include "base/base.h"

struct ctx;
struct db_error;
struct record;
struct doc;

/* Writes the incident's stat_* columns (its Stockholm month, the times to
 * assess and to restore, the two flags) from rec, in the write's
 * transaction; the triggers count the row.  0, or -1 with err. */
int incident_stat_fill(struct ctx *cx, const struct record *rec, struct db_error *err);
/* The two flags, from the record's values (stats.c; tested). */
int incident_stat_breach(const struct record *rec);
int incident_stat_disrupt(const struct record *rec);
/* "2026-03", the Stockholm month of an RFC 3339 moment (into a), or NULL. */
const char *incident_stat_month(struct arena *a, const char *moment);

#define IC_MONTHS_MAX 36
#define IC_CATS 12        /* incident_categories[] has 11 */
#define IC_ROOTS 6        /* 5 groups and none */
#define IC_UNITS 100
#define IC_RECEIVERS 16

struct ic_receiver {
	const char *receiver;
	int64_t total, on_time, late, overdue, pending, waived;
};

struct ic_data {
	int y0, m0, nmonths;                  /* the period: from y0-m0, nmonths long */
	int64_t unit;                         /* 0: the whole organisation */
	char from[8], to[8], prev_from[8];    /* "2026-01" */
	const char *months[IC_MONTHS_MAX];    /* "2026-01" of each month */
	int64_t month[IC_MONTHS_MAX], prev_month[IC_MONTHS_MAX];
	int64_t total, prev_total, open, closed, not_incident;
	int64_t cat[IC_CATS], prev_cat[IC_CATS];
	int64_t root[IC_ROOTS];               /* in incident_root_group_choices order, then none */
	int64_t sev[5];                       /* 0: not assessed */
	int64_t unit_ids[IC_UNITS], unit_n[IC_UNITS];
	size_t nunits;
	int64_t assess_n, assess_s, restore_n, restore_s;
	int64_t prev_assess_n, prev_assess_s, prev_restore_n, prev_restore_s;
	int64_t intrusions, breaches, disruptions;
	int64_t prev_intrusions, prev_breaches, prev_disruptions;
	struct ic_receiver recv[IC_RECEIVERS];
	size_t nrecv;
	int queries;                          /* how many it took */
};

/* The period ending with the month to (its Stockholm "YYYY-MM"; NULL: this
 * month), from the month from (NULL: 12 months long), and unit (0: all).
 * 0, or -1 with err; a malformed month is taken as missing. */
int ic_read(struct ctx *cx, const char *from, const char *to, int64_t unit,
	    struct ic_data *d, struct db_error *err);

/* The category's short name for pictures and tables (cx->lang). */
const char *ic_category_short(int lang, size_t i);
/* "3 h 20 min" for a mean of sum / n seconds, or "–" */
const char *ic_duration(struct arena *a, int lang, int64_t sum, int64_t n);
/* "+25 %", "−10 %", "ny" for the change from prev to now */
const char *ic_change(struct arena *a, int lang, int64_t now, int64_t prev);

/* The table of every number (for CSV, Excel and the document): ncols 4
 * (part, what, the period, the previous period), rows into *cells. */
#define IC_COLS 4
size_t ic_table(struct ctx *cx, const struct ic_data *d, const char ***cells);
const char *const *ic_table_head(int lang);

/* The pictures (cx->a). */
struct chart;
/* by_quarter: three months a bar (for a period of whole quarters) */
struct chart *ic_chart_months(struct ctx *cx, const struct ic_data *d, int by_quarter);
/* with_prev: the previous period as a second series */
struct chart *ic_chart_categories(struct ctx *cx, const struct ic_data *d, int with_prev);
struct chart *ic_chart_roots(struct ctx *cx, const struct ic_data *d);

#endif
