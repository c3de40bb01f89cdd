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

#endif
