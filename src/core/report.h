/* report.h - the management report's engine (core/module.h struct
 * report_section): the period, and every module's sections built in their
 * order for one organisation.  The page (web/pages_management_report.c),
 * its XLSX appendix and the PDF (the mgmtreport module's document) all
 * read it, so the three say the same.
 *
 * A period is whole days in Europe/Stockholm: [from, to) between two
 * Stockholm midnights; the previous period is the one of the same length
 * just before (the presets' previous quarter, half year or year). */
#ifndef VARN_REPORT_H
#define VARN_REPORT_H

#include "base/base.h"
#include "core/module.h"

struct arena;
struct ctx;
struct db_error;

enum report_preset {
	REPORT_LAST_QUARTER = 0,  /* the previous whole calendar quarter */
	REPORT_LAST_HALF,         /* the previous whole half year */
	REPORT_LAST_YEAR,         /* the previous calendar year */
	REPORT_THIS_YEAR,         /* 1 January up to and including today */
	REPORT__PRESETS
};

/* The preset's period as seen at now. */
void report_preset(int preset, int64_t now, struct report_period *p);
/* The preset called name ("last-quarter", "last-half", "last-year",
 * "this-year"), or -1. */
int report_preset_by_name(const char *name);
const char *report_preset_name(int preset);

/* Reads "YYYY-MM-DD" from and to, both days included.  0, or -1 with
 * *why a message id saying what is wrong (a day that does not exist,
 * to before from, longer than REPORT_MAX_DAYS). */
#define REPORT_MAX_DAYS (5 * 366)
int report_period_days(const char *from, const char *to, struct report_period *p, int *why);

/* The Stockholm midnight of the day "YYYY-MM-DD", or -1. */
int64_t report_day_start(const char *day);
/* "2026-12-05": the day t falls on, and the last day of p (to - 1 day). */
const char *report_day(struct arena *a, int64_t t);
const char *report_last_day(struct arena *a, const struct report_period *p);
/* The number of days [from, to) holds. */
int report_days(int64_t from, int64_t to);
/* The Stockholm midnight days after (or before, days < 0) t's day. */
int64_t report_add_days(int64_t t, int days);

/* text with every "{key}" replaced by n ("{n} av {total}"), into a. */
const char *report_fill(struct arena *a, const char *text, const char *key, int64_t n);
/* A reading "{n} ..." in cx's language with up to four keys. */
const char *report_say(struct ctx *cx, int msg, const char *k1, int64_t v1, const char *k2,
		       int64_t v2, const char *k3, int64_t v3, const char *k4, int64_t v4);

/* One section of one organisation's report. */
struct report_entry {
	const struct report_section *section;
	struct report_part part;
};

/* Every section of every module whose roles cx holds for the whole
 * organisation, built for p in order (cx->a).  0, or -1 with err. */
int report_build(struct ctx *cx, const struct report_period *p, struct report_entry **out,
		 size_t *n, struct db_error *err);

/* The sections declared, in order (for tests and the page's heading ids). */
size_t report_sections(const struct report_section *const **out);

#endif
