/* scale.h - what the scale generator (`varn demo --scale`) hands each
 * module, and the few things every module's generator shares.
 *
 * `varn demo --scale S|M|L|national` makes the demo municipalities as
 * `varn init --demo` does, then calls each module's demo_scale hook
 * (core/module.h) for Exempelstad (and, for national, for 289 more
 * organisations): each module generates its own rows, as many as struct
 * demo_scale asks, from the seed only.  The same seed and the same "now"
 * give the same rows; the clock is fixed for the whole run.
 *
 * The volumes (L: a large municipality): 25,000 people, 1,500 systems,
 * 4,000 information sets, every required measure of every system and
 * most of them self-assessed (some 200,000 assessment rows), 3,000 risks,
 * 100,000 incidents over ten years with their timelines, 1,000 action-plan
 * activities; M a fifth of it, S a small municipality.
 *
 * Records of moderate volume are made through the engine (its rules,
 * derived data, search text and audit events as in use), many to a
 * transaction (scale_batch); the large registers (incidents, assessments)
 * are written with prepared statements in batches of SCALE_BATCH rows,
 * with the values the engine would have written, and their audit events
 * through audit_batch (core/audit.h). */
#ifndef VARN_SCALE_H
#define VARN_SCALE_H

#include "base/base.h"

struct arena;
struct ctx;
struct db_error;

struct demo_scale {
	const char *size;      /* "S", "M", "L" */
	uint64_t seed;         /* --seed; mixed with the organisation and module */
	int64_t units;         /* organisational units (a tree) */
	int64_t people;
	int64_t systems;
	int64_t infosets;
	int64_t risks;
	int64_t incidents;
	int64_t activities;
	int years;             /* incidents spread over the last `years` years */
	int assessed_pct;      /* share of required measures self-assessed */
	int verbose;           /* progress on stderr */
};

/* The sizes by name ("S", "M", "L"); NULL when unknown. */
const struct demo_scale *demo_scale_size(const char *name);

/* Rows per transaction for the large registers. */
#define SCALE_BATCH 5000

/* A seeded generator (xorshift64*): the same seed, the same sequence. */
struct scale_rng {
	uint64_t s;
};
/* Seeds r from the run's seed, the organisation and a name (the module's),
 * so each module's sequence does not depend on another's. */
void scale_rng_init(struct scale_rng *r, uint64_t seed, int64_t org_id, const char *name);
uint64_t scale_next(struct scale_rng *r);
/* 0..n-1 (n > 0). */
uint32_t scale_below(struct scale_rng *r, uint32_t n);
/* Index into weights[n] drawn by weight. */
size_t scale_weighted(struct scale_rng *r, const int *weights, size_t n);
/* A classification level 1..4 skewed low (most 1-2, few 3-4). */
int scale_level(struct scale_rng *r);
/* A day in the last `days` days, more recent ones likelier (the square of
 * a uniform number), as days before now (0..days-1). */
int scale_days_ago(struct scale_rng *r, int days);

/* A Swedish name "Förnamn Efternamn" (from combined lists). */
const char *scale_person_name(struct scale_rng *r, struct arena *a);
/* A plain e-mail local part of a name ("asa.oberg"), folded to a-z. */
const char *scale_email_local(struct arena *a, const char *name);

/* "YYYY-MM-DD" (Europe/Stockholm) of the day `days` from now (negative:
 * before). */
const char *scale_date(struct arena *a, int64_t now, int days);

/* Progress on stderr: "  systems: 1200/1500" at most once a second and
 * at the end, when s->verbose. */
void scale_progress(const struct demo_scale *s, const char *what, int64_t done,
		    int64_t total);

/* Many engine writes in one transaction: scale_batch_begin opens one (and
 * sets cx->bulk and cx->quiet), scale_batch_tick commits and opens the
 * next every `every` calls, scale_batch_end commits (or, with rc != 0,
 * rolls back).  0, or -1 with err. */
int scale_batch_begin(struct ctx *cx, struct db_error *err);
int scale_batch_tick(struct ctx *cx, int64_t done, int64_t every, struct db_error *err);
int scale_batch_end(struct ctx *cx, int rc, struct db_error *err);

/* Seconds since t0 (a monotonic clock reading from scale_clock()). */
double scale_clock(void);

#endif
