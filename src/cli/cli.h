/* cli.h - what the varn command's files share.
 *
 * main.c holds the command table and the argument parser; each command
 * (or a tight family of them) lives in its own cmd_NAME.c, after git's
 * builtin/.  A command declares its options here as NAME_opts[] next to
 * the function that reads them, and main.c's commands[] names both.
 *
 * Adding an option to a command: one line in its NAME_opts[] (name, check,
 * required, metavar, environment variable, default, limits, help) and
 * arg(a, "name") in its function; main.c's parser checks the value and
 * prints the help from the declaration.  Adding a command: a cmd_NAME.c,
 * its declarations below, one row in main.c's commands[] and one line in
 * src/cli/meson.build.
 *
 * Handlers return 0 on success, 1 on a runtime failure (after fail()) and
 * EXIT_USAGE for a mistake in the arguments (after usage_error()).
 */
#ifndef VARN_CLI_H
#define VARN_CLI_H

#include "base/base.h"

#include <stdio.h>

struct arena;
struct buf;
struct cli_ctx;
struct db;
struct entity;
struct import_run;
struct interchange;

#define EXIT_USAGE 2

/* ---- declarations ---- */

/* How an option's value is checked before a command runs. */
enum check {
	V_NONE = 0,   /* a flag: no value */
	V_TEXT,       /* non-empty, valid UTF-8 text without control characters */
	V_DBURL,      /* sqlite:PATH or a PostgreSQL URL / key=value string */
	V_INT,        /* decimal in [min, max] */
	V_SLUG,       /* organisation slug */
	V_ORGKIND,    /* org_kinds[] code */
	V_ROLE,       /* role code */
	V_EMAIL,
	V_LISTEN,     /* HOST:PORT */
	V_HTTPURL,    /* http:// or https:// */
	V_PATH,       /* a file name */
	V_PAIRS,      /* KEY=VALUE; may be repeated: arg() gives one a line */
};

struct opt {
	const char *name;     /* --name */
	enum check check;
	int required;
	const char *metavar;  /* "URL" */
	const char *env;      /* environment variable used when absent */
	const char *def;      /* default when absent from both */
	int64_t min, max;     /* V_INT */
	const char *help;
};

/* The most options one command may declare (parse_args() refuses more). */
#define MAX_OPTS 16

struct cmd;
struct args {
	const struct cmd *cmd;
	const char *val[MAX_OPTS]; /* by index in cmd->opts; flags "1" or NULL */
	const char *pos;           /* the positional argument */
};

struct cmd {
	const char *name;       /* "org add": one or two words */
	int (*fn)(const struct args *a);
	const struct opt *opts; /* NULL-name terminated */
	const char *positional; /* "FILE", or NULL */
	const char *summary;    /* one line for the command list */
	const char *details;    /* more lines for `varn help CMD`, or NULL */
};

#define OPT_DB_REQUIRED \
	{ "db", V_DBURL, 1, "URL", "VARN_DB", NULL, 0, 0, \
	  "the database: sqlite:PATH or postgresql://... (default: $VARN_DB)" }
#define OPT_END { NULL, V_NONE, 0, NULL, NULL, NULL, 0, 0, NULL }

/* ---- the commands, one file each ---- */

/* --db alone (cli.c): db migrate, db status, backup, restore, audit verify */
extern const struct opt db_only_opts[];

extern const struct opt serve_opts[];       /* cmd_serve.c */
int cmd_serve(const struct args *a);
extern const struct opt init_opts[];        /* cmd_init.c */
int cmd_init(const struct args *a);
extern const struct opt demo_opts[];        /* cmd_demo.c */
int cmd_demo(const struct args *a);
extern const struct opt org_add_opts[];     /* cmd_org.c */
int cmd_org_add(const struct args *a);
extern const struct opt user_add_opts[];    /* cmd_user.c */
int cmd_user_add(const struct args *a);
extern const struct opt user_disable_opts[]; /* cmd_user.c */
extern const struct opt user_reset_totp_opts[];
int cmd_user_disable(const struct args *a);
int cmd_user_enable(const struct args *a);
int cmd_user_reset_totp(const struct args *a);
extern const struct opt token_create_opts[]; /* cmd_token.c */
int cmd_token_create(const struct args *a);
extern const struct opt reset_link_opts[];  /* cmd_reset_link.c */
int cmd_reset_link(const struct args *a);
int cmd_db_migrate(const struct args *a);   /* cmd_db.c */
int cmd_db_status(const struct args *a);
extern const struct opt backup_opts[];      /* cmd_backup.c */
int cmd_backup(const struct args *a);
extern const struct opt restore_opts[];
int cmd_restore(const struct args *a);
/* The backup key's default file for the database url: PATH.backup-key
 * beside a sqlite:PATH database, else ./varn.backup-key. */
const char *default_backup_key(struct arena *ar, const char *url);
extern const struct opt audit_verify_opts[]; /* cmd_audit.c */
int cmd_audit_verify(const struct args *a);
extern const struct opt audit_head_opts[];
int cmd_audit_head(const struct args *a);
extern const struct opt import_opts[];      /* cmd_import.c */
int cmd_import(const struct args *a);
extern const struct opt export_opts[];      /* cmd_export.c */
int cmd_export(const struct args *a);
extern const struct opt jobs_run_opts[];    /* cmd_jobs.c */
int cmd_jobs_run(const struct args *a);
int cmd_jobs_list(const struct args *a);
extern const struct opt mail_config_opts[]; /* cmd_mail.c */
int cmd_mail_config(const struct args *a);
int cmd_mail_show(const struct args *a);
extern const struct opt mail_test_opts[];
int cmd_mail_test(const struct args *a);
int cmd_mail_send_due(const struct args *a);
extern const struct opt mail_list_opts[];
int cmd_mail_list(const struct args *a);
int cmd_mail_resend(const struct args *a);
extern const struct opt signin_add_opts[];  /* cmd_signin.c */
int cmd_signin_add(const struct args *a);
extern const struct opt signin_list_opts[];
int cmd_signin_list(const struct args *a);
extern const struct opt signin_test_opts[];
int cmd_signin_test(const struct args *a);
extern const struct opt signin_map_opts[];
int cmd_signin_map(const struct args *a);

/* ---- shared helpers (cli.c) ---- */

/* "varn: MESSAGE" on stderr; returns 1, the status of a runtime failure. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "varn CMD: MESSAGE" and "Try 'varn help CMD'." on stderr; returns
 * EXIT_USAGE.  cmd may be NULL. */
int usage_error(const struct cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The value of a declared option (NULL when absent and without default);
 * a name the command does not declare is a bug. */
const char *arg(const struct args *a, const char *name);
int64_t arg_int(const struct args *a, const char *name, int64_t def);

/* HOST:PORT or [V6]:PORT, numeric (or "localhost"), into host and port. */
int parse_listen(const char *v, char *host, size_t hostlen, int *port);

/* The database.  open_db() says why not and returns NULL on failure;
 * DB_EXISTING refuses to create a SQLite file by accident (a typo in a
 * path would otherwise give an empty database and confusing errors). */
enum { DB_EXISTING = 0, DB_CREATE = 1 };
const char *sqlite_path(const char *url);
struct db *open_db(const char *url, int mode);
/* An existing database with every migration applied: commands that read
 * or change records do not migrate behind the operator's back (serve,
 * init, db migrate and restore do). */
struct db *open_current(const char *url);
/* Applies the missing migrations; 0, or 1 after saying why. */
int migrate(struct db *db);

/* The account with this e-mail address, or 0 after saying there is none. */
int64_t find_account(struct cli_ctx *c, const char *email);

/* The register --register names, or a module's interchange format (*x).
 * NULL (with *x NULL) after printing what there is. */
const struct entity *find_register(const struct args *a,
				   const struct interchange **x);

/* Reads a whole file (at most max bytes); NULL after saying why. */
char *read_file(const char *path, size_t max, size_t *len);
/* Writes b to path; 0, or 1 after saying why (no partial file is left). */
int write_file(const char *path, const struct buf *b);

/* An import's progress on stderr (arg: a struct import_progress): on a
 * terminal one line "importing: 1200/2000 rows (60 %), 4000 rows/s"
 * redrawn at most four times a second; otherwise (a log, a test) a line
 * per 100,000 rows and one at the end.  "exporting: 3000/5000 rows" every
 * 1000 rows and at the end. */
struct import_progress {
	int tty;
	double start, last; /* seconds (monotonic) */
	size_t done;
};
void import_progress_init(struct import_progress *p);
void import_progress(void *arg, size_t done, size_t total);
void export_progress(void *arg, int64_t done, int64_t total);
/* An import's problems on stderr, "line N: column: message", the first
 * 100 and "and N more problem(s)". */
void print_problems(const struct import_run *run);

#endif
