/* interchange.h - the KLASSA-compatible interchange of classifications,
 * for the pages (interchange.c) and `varn export/import --register klassa`.
 *
 * The format: CSV with the columns System; Informationsmängd; K; R; T; S;
 * Datum - one line per system and information set it handles, then one per
 * information set no system handles (System empty).  K..S are the set's
 * current levels (0-4, empty when unclassified), Datum the date of that
 * classification.  Requirement texts, motivations and answers never leave
 * or enter Värn this way: only names, levels and dates.
 *
 * Import matches systems and information sets by exact name (both must
 * exist), creates a classification through the engine when the levels or
 * the date differ from the set's current classification, and links the
 * system to the set when it is not.  Rows for the same set must agree.
 * All or nothing, like every import (core/entity_import.h).
 */
#ifndef VARN_INTERCHANGE_H
#define VARN_INTERCHANGE_H

#include "core/entity_import.h"

struct buf;
struct csv_reader;

struct klassa_run {
	struct import_run base;   /* rows, problems */
	size_t classified;        /* classifications created */
	size_t linked;            /* links created */
	size_t unchanged;         /* lines that changed nothing */
	const char **ignored;     /* header cells not read */
	size_t nignored;
};

/* The system register's extra export columns (entity.h, export_extra):
 * per system its business owners, managers and administrators
 * (system_person), its dependencies with their direction seen from it, and
 * the information sets it handles, each "; "-separated, three queries per
 * page of 200 systems. */
extern const struct entity_export_extra systems_export_extra;

/* The export as CSV (BOM, ';', CRLF) appended to out.  0 or -1. */
int klassa_export(struct ctx *cx, struct buf *out, struct db_error *err);

/* Runs the import inside the caller's transaction (see entity_import_run:
 * text at most IMPORT_MAX_ROWS rows; a reader, a row at a time, max_rows
 * 0 for no limit); commit with klassa_import_commit() when there are no
 * problems. */
void klassa_import_stream(struct ctx *cx, struct csv_reader *r, size_t max_rows,
			  import_progress_fn progress, void *arg, struct klassa_run *run);
void klassa_import_run(struct ctx *cx, const char *text, size_t len,
		       import_progress_fn progress, void *arg, struct klassa_run *run);
int klassa_import_commit(struct ctx *cx, const struct klassa_run *run,
			 struct db_error *err);

#endif
