/* cmd_init.c - varn init: creates or migrates a database; with --demo also
 * the demo municipalities (cli/demo.c), whose logins it prints. */
#include "base/base.h"

#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/ops.h"
#include "db/db.h"

const struct opt init_opts[] = {
	OPT_DB_REQUIRED,
	{ "demo", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "also create the demo municipalities and print their logins "
	  "(refused when the database holds organisations)" },
	OPT_END,
};

int cmd_init(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_db(arg(a, "db"), DB_CREATE);
	int rc = 1;

	if (!db)
		return 1;
	if (migrate(db))
		goto out;
	printf("Database ready (schema version %d).\n", db_schema_version(db, &err));
	if (arg(a, "demo")) {
		int64_t n;
		cli_ctx_init(&c, db);
		n = cli_count_orgs(&c, &err);
		cli_ctx_release(&c);
		if (n < 0) {
			fail("%s", err.msg);
			goto out;
		}
		if (n > 0) {
			fail("refusing --demo: the database already holds %lld "
			     "organisation(s); the demo needs a new database", (long long)n);
			goto out;
		}
		fflush(stdout);
		if (demo_create(db, stdout, &err)) {
			fail("creating the demo failed: %s", err.msg);
			goto out;
		}
	}
	rc = 0;
out:
	db_close(db);
	return rc;
}
