/* demo.h - the demo municipality that `varn init --demo` creates.
 *
 * Exempelstads kommun (a realistic unit tree, some thirty people, every
 * role) and its neighbour Grannby kommun, whose security coordinator is the
 * same account (a shared security function, seed 001 §1).  Everything is
 * made through the entity engine and ops.c, so the demo's records carry
 * the same audit trail as anything an operator or user creates.
 */
#ifndef VARN_CLI_DEMO_H
#define VARN_CLI_DEMO_H

#include <stdio.h>

struct db;
struct db_error;

/* The password every demo account gets.  A demo database is for trying
 * Värn out, never for real data; the logins are printed on purpose. */
#define DEMO_PASSWORD "demo-Exempelstad-2026"

/* Creates the demo in a migrated database without organisations and
 * prints a summary and the logins to out.  0, or -1 with err set. */
int demo_create(struct db *db, FILE *out, struct db_error *err);

/* `varn demo --scale` (core/scale.h): the demo as above with the clock
 * fixed at now, then Exempelstad filled to the size s by every module's
 * demo_scale hook, and `national` more organisations (289 for the
 * national database; 0: none) of mixed sizes (most S, some M, a few L),
 * each in batches of its own.  Prints a
 * line per module and organisation to out and progress to stderr (when
 * s->verbose).  0, or -1 with err set. */
struct demo_scale;
int demo_scale_create(struct db *db, const struct demo_scale *s, int national, int64_t now,
		      FILE *out, struct db_error *err);

#endif
