/* cmd_db.c - varn db migrate|status: applies the missing migrations, or
 * lists them and exits 1 when some are pending. */
#include "base/base.h"

#include "cli/cli.h"
#include "db/db.h"

int cmd_db_migrate(const struct args *a)
{
	struct db_error err;
	struct db *db = open_db(arg(a, "db"), DB_CREATE);
	int rc;

	if (!db)
		return 1;
	rc = migrate(db);
	if (!rc)
		printf("Database up to date (schema version %d).\n",
		       db_schema_version(db, &err));
	db_close(db);
	return rc;
}

int cmd_db_status(const struct args *a)
{
	struct db_error err;
	struct db *db = open_db(arg(a, "db"), DB_EXISTING);
	int pending;

	if (!db)
		return 1;
	pending = db_status(db, stdout, &err);
	db_close(db);
	if (pending < 0)
		return fail("cannot read the migrations: %s", err.msg);
	if (pending > 0) {
		printf("%d migration(s) pending: run 'varn db migrate'.\n", pending);
		return 1;
	}
	printf("Up to date.\n");
	return 0;
}
