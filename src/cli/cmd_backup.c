/* cmd_backup.c - varn backup|restore: writes a consistent, engine-neutral
 * backup of the database (db/db_backup.c), sealed with the installation's
 * backup key, another key file or a passphrase (core/backup.c), and
 * restores one into a new, empty database: the sealed file is opened and
 * authenticated whole into a private temporary file before the target is
 * created or touched, and the audit trail's hash chain is verified inside
 * the restore's transaction. */
#include "base/base.h"

#include <sys/stat.h>

#include <sodium.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "core/audit.h"
#include "core/backup.h"
#include "core/module.h"
#include "db/db.h"

#define KEY_HELP "the backup key file (default: $VARN_BACKUP_KEY, else PATH.backup-key " \
	"beside a sqlite:PATH database, else ./varn.backup-key; varn init makes it)"

const struct opt backup_opts[] = {
	OPT_DB_REQUIRED,
	{ "key", V_PATH, 0, "FILE", "VARN_BACKUP_KEY", NULL, 0, 0, KEY_HELP },
	{ "passphrase-stdin", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "seal with a passphrase (at least 12 characters) read from the first "
	  "line of stdin instead of the key" },
	{ "dir", V_PATH, 0, "DIR", NULL, NULL, 0, 0,
	  "write the backup into DIR as varn-YYYYMMDDTHHMMSSZ.varnbackup (UTC), "
	  "instead of to FILE" },
	{ "keep", V_INT, 0, "N", NULL, NULL, 1, 100000,
	  "with --dir: then remove all but the newest N sealed backups of that "
	  "name in DIR (no other file is touched)" },
	{ "sign-key", V_PATH, 0, "FILE", NULL, NULL, 0, 0,
	  "also sign the backup (Ed25519) with the signing key in FILE (64 "
	  "hexadecimal digits); prints the verify key that checks it" },
	OPT_END,
};

const struct opt restore_opts[] = {
	OPT_DB_REQUIRED,
	{ "key", V_PATH, 0, "FILE", "VARN_BACKUP_KEY", NULL, 0, 0, KEY_HELP },
	{ "passphrase-stdin", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "the backup was sealed with a passphrase: read it from the first line of stdin" },
	{ "verify-key", V_PATH, 0, "FILE", NULL, NULL, 0, 0,
	  "demand a signature that verifies with the verify key in FILE (64 "
	  "hexadecimal digits, as varn backup --sign-key printed it)" },
	{ "unsealed", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "FILE is an unsealed backup made by an older Värn (a SQLite file): "
	  "restore it although nothing proves it unaltered" },
	OPT_END,
};

const char *default_backup_key(struct arena *ar, const char *url)
{
	const char *path = sqlite_path(url);

	return path ? arena_printf(ar, "%s.backup-key", path) : "varn.backup-key";
}

/* The passphrase from the first line of stdin into s (free s->pass). */
static int read_passphrase(const struct args *a, struct seal_secret *s)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	if (n <= 0) {
		free(line);
		return usage_error(a->cmd, "--passphrase-stdin: no passphrase on stdin");
	}
	s->mode = SEAL_PASSPHRASE;
	s->pass = line;
	s->pass_len = (size_t)n;
	return 0;
}

static void forget_secret(struct seal_secret *s)
{
	if (s->pass) {
		sodium_memzero((char *)s->pass, s->pass_len);
		free((char *)s->pass);
	}
	sodium_memzero(s, sizeof(*s));
}

/* The secret a backup is sealed with: a passphrase, --key, or the
 * installation's key.  0, or the exit status after saying why. */
static int backup_secret(const struct args *a, struct arena *ar, struct seal_secret *s,
			 const char **key_file, int restoring)
{
	struct db_error err;

	memset(s, 0, sizeof(*s));
	*key_file = NULL;
	if (arg(a, "passphrase-stdin"))
		return read_passphrase(a, s);
	s->mode = SEAL_KEY;
	*key_file = arg(a, "key") ? arg(a, "key") : default_backup_key(ar, arg(a, "db"));
	if (backup_key_load(*key_file, s->key, &err))
		return restoring
			? fail("restore failed, nothing was restored: %s (give --key FILE: "
			       "the backup key the backup was sealed with, e.g. the copy in "
			       "your vault)", err.msg)
			: fail("%s (varn init --db URL makes the installation's backup key; "
			       "or give --key FILE or --passphrase-stdin)", err.msg);
	return 0;
}

int cmd_backup(const struct args *a)
{
	struct arena ar = ARENA_INIT;
	struct buf summary = BUF_INIT;
	struct seal_secret s;
	struct db_error err;
	const char *dir = arg(a, "dir"), *key_file, *file = a->pos;
	struct db *db;
	unsigned char pk[32], sk[64];
	char id[17], pkhex[65];
	int rc;

	if (!a->pos && !dir)
		return usage_error(a->cmd, "FILE is missing (or give --dir DIR)");
	if (a->pos && dir)
		return usage_error(a->cmd, "give FILE or --dir DIR, not both");
	if (arg(a, "keep") && !dir)
		return usage_error(a->cmd, "--keep goes with --dir");
	if ((rc = backup_secret(a, &ar, &s, &key_file, 0)))
		goto out;
	rc = 1;
	if (arg(a, "sign-key")) {
		unsigned char seed[32];
		if (backup_hex_load(arg(a, "sign-key"), "signing key", seed, &err)) {
			rc = fail("%s", err.msg);
			goto out;
		}
		backup_sign_keypair(seed, pk, sk);
		sodium_memzero(seed, sizeof(seed));
		s.sign_sk = sk;
	}
	if (!(db = open_current(arg(a, "db"))))
		goto out;
	if (dir)
		rc = backup_to_dir(db, module_tables(), dir,
				   arg(a, "keep") ? (int)arg_int(a, "keep", 1) : INT32_MAX,
				   clock_now(), &s, &ar, &file, &summary, &err);
	else
		rc = backup_sealed(db, module_tables(), file, &s, &err);
	db_close(db);
	if (rc) {
		rc = fail("backup failed: %s", err.msg);
		goto out;
	}
	if (s.mode == SEAL_KEY) {
		backup_key_id(s.key, id);
		printf("Backup written to %s, sealed with the backup key %s (key id %s).\n",
		       file, key_file, id);
	} else {
		printf("Backup written to %s, sealed with a passphrase.\n", file);
	}
	if (s.sign_sk) {
		sodium_bin2hex(pkhex, sizeof(pkhex), pk, sizeof(pk));
		printf("Signed; its verify key is %s.\n", pkhex);
	}
	if (dir && arg(a, "keep"))
		printf("%s\n", summary.p);
	rc = 0;
out:
	sodium_memzero(sk, sizeof(sk));
	forget_secret(&s);
	buf_release(&summary);
	arena_release(&ar);
	return rc;
}

static int restore_check_chain(struct db *db, void *ctx, struct db_error *err)
{
	int64_t bad = audit_verify(db, stdout, err);

	(void)ctx;
	if (bad > 0) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof(err->msg),
			 "the backup's audit trail is broken at event %lld", (long long)bad);
	}
	return bad != 0;
}

/* Is the file one restore may read, given --unsealed?  0, or 1 after
 * saying why not. */
static int restore_kind(const struct args *a, enum backup_kind *kind)
{
	const char *file = a->pos;
	int unsealed = arg(a, "unsealed") != NULL;

	switch ((*kind = backup_sniff(file))) {
	case BACKUP_MISSING:
		return fail("there is no backup file %s", file);
	case BACKUP_EMPTY:
		return fail("restore failed, nothing was restored: backup %s is empty", file);
	case BACKUP_OTHER:
		return fail("restore failed, nothing was restored: %s is not a Värn backup",
			    file);
	case BACKUP_UNSEALED:
		if (!unsealed)
			return fail("restore failed, nothing was restored: %s is an "
				    "unsealed backup made by an older Värn; if it was kept "
				    "where nobody could change it, restore it with --unsealed",
				    file);
		return 0;
	case BACKUP_SEALED:
		if (unsealed)
			return fail("%s is a sealed backup: leave out --unsealed", file);
		return 0;
	}
	return 1;
}

int cmd_restore(const struct args *a)
{
	struct arena ar = ARENA_INIT;
	struct seal_secret s;
	struct backup_tmp t = { .dir = "" };
	struct db_error err;
	enum backup_kind kind;
	const char *plain = a->pos, *key_file;
	unsigned char pk[32];
	struct db *db;
	int rc;

	memset(&s, 0, sizeof(s));
	if (arg(a, "verify-key") && arg(a, "unsealed"))
		return usage_error(a->cmd, "an unsealed backup carries no signature: "
				   "--verify-key and --unsealed do not go together");
	if ((rc = restore_kind(a, &kind)))
		goto out;
	if (kind == BACKUP_SEALED) {
		/* open and authenticate the whole file before the target is
		 * created or touched */
		if (!arg(a, "passphrase-stdin") &&
		    backup_sealed_mode(a->pos) == SEAL_PASSPHRASE) {
			rc = fail("restore failed, nothing was restored: backup %s was "
				  "sealed with a passphrase: give it with --passphrase-stdin",
				  a->pos);
			goto out;
		}
		if ((rc = backup_secret(a, &ar, &s, &key_file, 1)))
			goto out;
		rc = 1;
		if (arg(a, "verify-key")) {
			if (backup_hex_load(arg(a, "verify-key"), "verify key", pk, &err)) {
				fail("restore failed, nothing was restored: %s", err.msg);
				goto out;
			}
			s.verify_pk = pk;
		}
		if (backup_tmp_make(&t, &err) ||
		    backup_open_file(a->pos, t.file, &s, &err)) {
			fail("restore failed, nothing was restored: %s", err.msg);
			goto out;
		}
		plain = t.file;
	}
	rc = 1;
	if (!(db = open_db(arg(a, "db"), DB_CREATE)))
		goto out;
	if (migrate(db)) {
		db_close(db);
		goto out;
	}
	/* the audit chain is verified inside the restore's transaction: a
	 * backup whose trail does not verify is not restored at all */
	rc = db_restore_verified(db, module_tables(), plain, restore_check_chain, NULL, &err);
	if (rc == 0 && db_analyze(db, &err) != 0) /* restored: only the planner's loss */
		fprintf(stderr, "varn restore: warning: the statistics were not refreshed: %s\n",
			err.msg);
	db_close(db);
	if (rc) {
		rc = fail("restore failed, nothing was restored: %s", err.msg);
		goto out;
	}
	printf("Restored %s; %s%sits audit trail verifies.\n", a->pos,
	       kind == BACKUP_SEALED ? "it authenticates and " : "",
	       s.verify_pk ? "its signature verifies and " :
	       kind == BACKUP_SEALED && backup_signed(a->pos)
	       ? "(its signature was not checked: --verify-key) " : "");
	rc = 0;
out:
	backup_tmp_remove(&t);
	forget_secret(&s);
	arena_release(&ar);
	return rc;
}
