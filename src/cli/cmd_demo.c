/* cmd_demo.c - varn demo --scale S|M|L|national: a database of synthetic
 * data for benchmarks (cli/demo.h, core/scale.h).  The demo
 * municipalities as `varn init --demo` makes them, Exempelstad filled to
 * the size asked (national: and 289 more organisations), the same data
 * for the same --seed and --now. */
#include "base/base.h"

#include "base/clock.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/ops.h"
#include "core/scale.h"
#include "db/db.h"

const struct opt demo_opts[] = {
	OPT_DB_REQUIRED,
	{ "scale", V_TEXT, 1, "S|M|L|national", NULL, NULL, 0, 20,
	  "how much: S a small municipality, M a fifth of L, L a large one"
	  " (25,000 people, 1,500 systems, 100,000 incidents); national 290"
	  " organisations of mixed sizes (meant for PostgreSQL)" },
	{ "seed", V_INT, 0, "N", NULL, "1", 0, INT64_MAX,
	  "the generator's seed: the same seed gives the same data" },
	{ "now", V_TEXT, 0, "YYYY-MM-DD", NULL, "2026-12-01", 0, 10,
	  "the day the data is made on (its clock is fixed: noon that day)" },
	{ "orgs", V_INT, 0, "N", NULL, "289", 1, 10000,
	  "with national: how many organisations besides Exempelstad" },
	{ "quiet", V_NONE, 0, NULL, NULL, NULL, 0, 0, "no progress on stderr" },
	OPT_END,
};

int cmd_demo(const struct args *a)
{
	const char *scale = arg(a, "scale"), *day = arg(a, "now");
	struct demo_scale s;
	const struct demo_scale *size;
	struct clock_local l = { 0 };
	struct db_error err;
	struct cli_ctx c;
	struct db *db;
	int national = strcmp(scale, "national") == 0;
	double t0 = scale_clock();
	int64_t n;
	int rc = 1;

	size = demo_scale_size(national ? "L" : scale);
	if (!size)
		return usage_error(a->cmd, "--scale takes S, M, L or national, not '%s'", scale);
	l.hh = 12;
	if (strlen(day) != 10 || sscanf(day, "%4d-%2d-%2d", &l.y, &l.m, &l.d) != 3 ||
	    !clock_valid_local(&l))
		return usage_error(a->cmd, "--now takes a day YYYY-MM-DD, not '%s'", day);
	if (arg(a, "orgs") && !national && arg_int(a, "orgs", 0) != 289)
		return usage_error(a->cmd, "--orgs goes with --scale national");
	s = *size;
	s.seed = (uint64_t)arg_int(a, "seed", 1);
	s.verbose = !arg(a, "quiet");
	if (!(db = open_db(arg(a, "db"), DB_CREATE)))
		return 1;
	if (migrate(db))
		goto out;
	cli_ctx_init(&c, db);
	n = cli_count_orgs(&c, &err);
	cli_ctx_release(&c);
	if (n != 0) {
		if (n < 0)
			fail("%s", err.msg);
		else
			fail("refusing --scale: the database already holds %lld organisation(s);"
			     " the generator needs a new database", (long long)n);
		goto out;
	}
	if (demo_scale_create(db, &s, national ? (int)arg_int(a, "orgs", 289) : 0,
			      clock_from_local(&l), stdout, &err) != 0) {
		fail("generating the data failed: %s", err.msg);
		goto out;
	}
	/* the planner's statistics for data that was not there a minute ago */
	if (db_analyze(db, &err) != 0)
		fprintf(stderr, "varn demo: warning: the statistics were not refreshed: %s\n",
			err.msg);
	printf("Generated %s (seed %llu) in %.1f s; sign in as samordnare@exempelstad.se with"
	       " the password %s.\n", scale, (unsigned long long)s.seed, scale_clock() - t0,
	       DEMO_PASSWORD);
	rc = 0;
out:
	db_close(db);
	return rc;
}
