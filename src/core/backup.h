/* backup.h - sealed backups (issue 13): the engine-neutral backup file of
 * db/db_backup.c, encrypted and authenticated with libsodium before it is
 * written, and opened and authenticated as a whole before a restore
 * writes anything.  The file format is described in backup.c.
 *
 * A backup is sealed either with a key file (32 random bytes as 64
 * hexadecimal digits, like the server key; `varn init` makes the
 * installation's beside the database) or with a passphrase stretched by
 * Argon2id, whose salt and costs are in the file's header.  There is no
 * unsealed mode for new backups; an unsealed backup of an older Värn is
 * recognised by its SQLite header and restored only when asked for
 * explicitly (backup_sniff). */
#ifndef VARN_BACKUP_H
#define VARN_BACKUP_H

#include "base/base.h"

#include "db/db.h"

struct arena;
struct buf;
struct job;

enum seal_mode { SEAL_KEY = 1, SEAL_PASSPHRASE = 2 };

/* What seals or opens a backup.  For SEAL_PASSPHRASE, pass (not
 * necessarily NUL-terminated) and pass_len; for SEAL_KEY, key. */
struct seal_secret {
	enum seal_mode mode;
	unsigned char key[32];
	const char *pass;
	size_t pass_len;
	/* Optional signature (Ed25519 over the whole file): sealing signs
	 * with sign_sk when set; opening demands a signature that verifies
	 * with verify_pk when set (and ignores an unchecked one otherwise). */
	const unsigned char *sign_sk;   /* crypto_sign_SECRETKEYBYTES */
	const unsigned char *verify_pk; /* crypto_sign_PUBLICKEYBYTES */
};

/* Tests only: the minimal Argon2id cost for new passphrase-sealed files
 * (as auth_cfg.fast_hash); the real default is libsodium's MODERATE. */
extern int backup_fast_kdf;

/* A passphrase shorter than this is refused for sealing. */
#define BACKUP_PASS_MIN 12

/* The backup key file.  backup_key_create() makes path (0600, O_EXCL)
 * with a fresh random key: 1 made, 0 it existed already, -1 with err.
 * backup_key_load() reads one (64 hex digits): 0, or -1 with err. */
int backup_key_create(const char *path, struct db_error *err);
int backup_key_load(const char *path, unsigned char key[32], struct db_error *err);
/* The same for another 32-byte key file (a signing or verify key); what
 * names it in messages. */
int backup_hex_load(const char *path, const char *what, unsigned char key[32],
		    struct db_error *err);
/* A key's public identifier (16 hex digits), as backups and their error
 * messages name it: it tells which key a backup needs without revealing
 * the key. */
void backup_key_id(const unsigned char key[32], char out[17]);

/* What a file is, from its first bytes. */
enum backup_kind {
	BACKUP_MISSING = -1, /* no such regular file */
	BACKUP_EMPTY = 0,
	BACKUP_SEALED = 1,
	BACKUP_UNSEALED = 2, /* a SQLite file: an older Värn's plain backup */
	BACKUP_OTHER = 3,
};
enum backup_kind backup_sniff(const char *file);
/* How a sealed file says it was sealed (SEAL_KEY, SEAL_PASSPHRASE), 0 when
 * it does not say (not sealed, cut short). */
int backup_sealed_mode(const char *file);
/* 1 when a sealed file says it carries a signature, else 0. */
int backup_signed(const char *file);
/* A signing key pair from a key file's 32 bytes (the seed): the file
 * made like a backup key; the verify key is given to whoever checks. */
void backup_sign_keypair(const unsigned char seed[32], unsigned char pk[32],
			 unsigned char sk[64]);

/* Seals the plain file plain into out (written whole or not at all:
 * out.tmp, flushed, renamed).  0, or -1 with err. */
int backup_seal_file(const char *plain, const char *out,
		     const struct seal_secret *s, struct db_error *err);
/* Opens and authenticates every chunk of the sealed file in up to the end
 * mark and nothing after it, writing the plain text to plain (a new file,
 * 0600); on any failure plain is removed and err says why in words an
 * operator understands.  0, or -1. */
int backup_open_file(const char *in, const char *plain,
		     const struct seal_secret *s, struct db_error *err);

/* A private temporary folder (0700, under $TMPDIR or /tmp) holding the
 * one plain file of a backup being made or opened. */
struct backup_tmp {
	char dir[4096];
	char file[4200];
};
int backup_tmp_make(struct backup_tmp *t, struct db_error *err);
void backup_tmp_remove(struct backup_tmp *t);

/* db_backup() into a private temporary file, sealed into file.  0, or -1
 * with err (and no file, no temporary file left). */
int backup_sealed(struct db *db, const char *const *tables, const char *file,
		  const struct seal_secret *s, struct db_error *err);
/* Opens the sealed file into a private temporary file, then
 * db_restore_verified() from it; the temporary file is removed.  Nothing
 * is written to db unless the whole file authenticates. */
int restore_sealed(struct db *db, const char *const *tables, const char *file,
		   const struct seal_secret *s, db_restore_verify_fn *verify,
		   void *ctx, struct db_error *err);

/* ---- backups in a folder, kept N ----
 *
 * Named by the time they were made, varn-YYYYMMDDTHHMMSSZ.varnbackup
 * (UTC): the name sorts as the time does.  backup_prune() removes the
 * sealed backups of that name pattern beyond the newest keep, and never
 * any other file. */
#define BACKUP_PREFIX "varn-"
#define BACKUP_SUFFIX ".varnbackup"
/* dir/varn-...: the name for a backup made at now (Unix seconds). */
const char *backup_name(struct arena *a, const char *dir, int64_t now);
/* 1 when name (without the folder) is one backup_name() makes. */
int backup_name_ours(const char *name);
/* Removes ours beyond the newest keep (keep >= 1); *removed how many.
 * 0, or -1 with err. */
int backup_prune(const char *dir, int keep, int *removed, struct db_error *err);
/* backup_sealed() into dir under backup_name(now), then backup_prune();
 * what it did in summary ("varn-....varnbackup written, 2 older removed"),
 * the name in *made (may be NULL). */
int backup_to_dir(struct db *db, const char *const *tables, const char *dir,
		  int keep, int64_t now, const struct seal_secret *s,
		  struct arena *a, const char **made, struct buf *summary,
		  struct db_error *err);

/* ---- the scheduled backup (varn serve --backup-dir) ----
 *
 * Configured once, before the scheduler gathers its jobs: every hours
 * hours a sealed backup with the key in key_file goes into dir and all
 * but the newest keep of ours are removed.  Each run is recorded as the
 * scheduler records every job's (job_run: when, outcome, the summary
 * naming the file; never the key) and logged.  Returns the job to give
 * scheduler_add_job(). */
const struct job *backup_job(const char *dir, int hours, int keep,
			     const char *key_file);

#endif
