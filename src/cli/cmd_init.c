/* cmd_init.c - varn init: creates or migrates a database and makes the
 * installation's backup key beside it when there is none (core/backup.h);
 * with --demo also the demo municipalities (cli/demo.c), whose logins it
 * prints. */
#include "base/base.h"

#include <sodium.h>

#include "base/arena.h"
#include "cli/cli.h"
#include "cli/demo.h"
#include "cli/ops.h"
#include "core/backup.h"
#include "db/db.h"

const struct opt init_opts[] = {
	OPT_DB_REQUIRED,
	{ "demo", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "also create the demo municipalities and print their logins "
	  "(refused when the database holds organisations)" },
	{ "backup-key", V_PATH, 0, "FILE", "VARN_BACKUP_KEY", NULL, 0, 0,
	  "the backup key, made (0600) when missing (default: $VARN_BACKUP_KEY, "
	  "else PATH.backup-key beside a sqlite:PATH database, else ./varn.backup-key)" },
	OPT_END,
};

/* The installation's backup key: made once, never replaced (a new key
 * would not open the backups made with the old one). */
static int make_backup_key(const struct args *a)
{
	struct arena ar = ARENA_INIT;
	unsigned char key[32];
	struct db_error err;
	const char *path = arg(a, "backup-key");
	char id[17];
	int made;

	if (!path)
		path = default_backup_key(&ar, arg(a, "db"));
	made = backup_key_create(path, &err);
	if (made < 0 || backup_key_load(path, key, &err)) {
		fail("%s", err.msg);
		arena_release(&ar);
		return -1;
	}
	backup_key_id(key, id);
	sodium_memzero(key, sizeof(key));
	if (made)
		printf("Backup key made in %s (key id %s): keep a copy apart from the "
		       "backups, without it they cannot be restored.\n", path, id);
	else
		printf("Backup key %s (key id %s).\n", path, id);
	arena_release(&ar);
	return 0;
}

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
	if (make_backup_key(a))
		goto out;
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
