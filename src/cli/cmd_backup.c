/* cmd_backup.c - varn backup|restore: writes a consistent, engine-neutral
 * backup of the database to a file (db/db_backup.c), and restores one into
 * a new, empty database, verifying the audit trail's hash chain inside the
 * restore's transaction. */
#include "base/base.h"

#include <sys/stat.h>

#include "cli/cli.h"
#include "core/audit.h"
#include "core/module.h"
#include "db/db.h"

int cmd_backup(const struct args *a)
{
	struct db_error err;
	struct db *db = open_current(arg(a, "db"));
	int rc;

	if (!db)
		return 1;
	rc = db_backup(db, module_tables(), a->pos, &err);
	db_close(db);
	if (rc)
		return fail("backup failed: %s", err.msg);
	printf("Backup written to %s.\n", a->pos);
	return 0;
}

static int restore_check_chain(struct db *db, void *ctx, struct db_error *err)
{
	int64_t bad = audit_verify(db, stdout, err);

	if (bad > 0) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof(err->msg),
			 "the backup's audit trail is broken at event %lld", (long long)bad);
	}
	return bad != 0;
}

int cmd_restore(const struct args *a)
{
	struct db_error err;
	struct stat st;
	struct db *db;
	int rc;

	/* before a new SQLite file is made for it */
	if (stat(a->pos, &st) != 0 || !S_ISREG(st.st_mode))
		return fail("there is no backup file %s", a->pos);
	if (!(db = open_db(arg(a, "db"), DB_CREATE)))
		return 1;
	if (migrate(db)) {
		db_close(db);
		return 1;
	}
	/* the audit chain is verified inside the restore's transaction: a
	 * backup whose trail does not verify is not restored at all */
	rc = db_restore_verified(db, module_tables(), a->pos, restore_check_chain, NULL, &err);
	db_close(db);
	if (rc)
		return fail("restore failed, nothing was restored: %s", err.msg);
	printf("Restored %s; its audit trail verifies.\n", a->pos);
	return 0;
}
