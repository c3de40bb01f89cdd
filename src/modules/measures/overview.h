/* overview.h - the gap numbers the overviews and the documents share
 * (overview.c), and the exports of documents.c that overview.c routes. */
#ifndef VARN_MEASURES_OVERVIEW_H
#define VARN_MEASURES_OVERVIEW_H

#include "base/base.h"
#include "modules/measures/measures.h"

struct ctx;
struct chart;
struct db_error;
struct req;
struct resp;

/* The statuses in measure_statuses' order. */
enum { GS_NOT_ASSESSED = 0, GS_MET, GS_PARTLY, GS_NOT_MET, GS_NA, GS_SUPPLIER, GAP_NSTAT };
/* The heat map's columns: the systems' highest level 0..4, then the
 * organisation's own rows (level -1 in gap_area_stat). */
#define GAP_COL_ORG 5
#define GAP_NCOL 6

struct gap_unit {
	int64_t id;            /* 0: none (the organisation's rows and systems
				  without a unit) */
	int64_t n[GAP_NSTAT];
};

/* The organisation's numbers from gap_area_stat: required and live
 * assessments by the status in effect. */
struct gap_numbers {
	int64_t cell[AREA__COUNT][GAP_NCOL][GAP_NSTAT];
	int64_t area[AREA__COUNT][GAP_NSTAT];
	int64_t total[GAP_NSTAT];
	struct gap_unit *units;
	size_t nunits;
};

int gap_read_numbers(struct ctx *cx, struct gap_numbers *g, struct db_error *err);
/* Only area[] and total[] of the numbers, from the organisation's sums
 * (gap_org_area_stat, at most 14 areas x 6 statuses): what a picture of
 * coverage by area needs, at a cost that does not grow with the units. */
int gap_read_area_totals(struct ctx *cx, struct gap_numbers *g, struct db_error *err);
int gap_status_index(const char *status);      /* -1 if unknown */
int64_t gap_sum(const int64_t s[GAP_NSTAT]);
/* Met or not applicable, in per cent of those required; -1 if none are. */
int gap_coverage(const int64_t s[GAP_NSTAT]);
/* "Nivå 3", "Ingen nivå", "Organisationen". */
const char *gap_col_label(struct ctx *cx, int col);
/* The heat map of area x level. */
struct chart *gap_heat_chart(struct ctx *cx, const struct gap_numbers *g);

/* documents.c: the exports (audited downloads). */
void gap_soa_xlsx(struct req *q, struct resp *r);
void gap_soa_org_xlsx(struct req *q, struct resp *r);
void gap_procurement_xlsx(struct req *q, struct resp *r);
void gap_procurement_text(struct req *q, struct resp *r);

#endif
