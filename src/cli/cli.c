/* cli.c - what the varn command's files share (cli.h): messages, option
 * values, opening the database, files and progress. */
#include "base/base.h"

#include <errno.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/ops.h"
#include "core/auth.h"
#include "core/entity.h"
#include "core/entity_import.h"
#include "core/module.h"
#include "db/db.h"

const struct opt db_only_opts[] = {
	OPT_DB_REQUIRED,
	OPT_END,
};

/* ---- messages ---- */

int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("varn: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int usage_error(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "varn%s%s: ", cmd ? " " : "", cmd ? cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'varn help%s%s'.\n", cmd ? " " : "", cmd ? cmd->name : "");
	return EXIT_USAGE;
}

/* ---- option values ---- */

const char *arg(const struct args *a, const char *name)
{
	for (int k = 0; a->cmd->opts[k].name; k++)
		if (strcmp(a->cmd->opts[k].name, name) == 0)
			return a->val[k];
	BUG("command %s has no option --%s", a->cmd->name, name);
}

int64_t arg_int(const struct args *a, const char *name, int64_t def)
{
	const char *v = arg(a, name);
	int64_t x;

	return v && parse_i64(v, &x) == 0 ? x : def;
}

int parse_listen(const char *v, char *host, size_t hostlen, int *port)
{
	const char *colon = strrchr(v, ':');
	int64_t p;
	size_t n;

	if (!colon || colon == v || parse_i64(colon + 1, &p) || p < 0 || p > 65535)
		return -1;
	n = (size_t)(colon - v);
	if (v[0] == '[') {
		if (n < 3 || v[n - 1] != ']')
			return -1;
		v++;
		n -= 2;
	} else if (memchr(v, ':', n)) {
		return -1; /* an IPv6 address needs its brackets */
	}
	if (n + 1 > hostlen)
		return -1;
	memcpy(host, v, n);
	host[n] = 0;
	for (const char *c = host; *c; c++)
		if (!strchr("0123456789abcdefABCDEF.:", *c) &&
		    strcmp(host, "localhost") != 0)
			return -1;
	*port = (int)p;
	return 0;
}

/* ---- the database ---- */

const char *sqlite_path(const char *url)
{
	return strncmp(url, "sqlite:", 7) == 0 ? url + 7 : NULL;
}

/* Makes the folder a new SQLite file goes into (one level: "var/"), so that
 * `varn init --db sqlite:var/varn.db` works in a fresh checkout. */
static int make_parent(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];
	size_t n;

	if (!slash || slash == path)
		return 0;
	n = (size_t)(slash - path);
	if (n >= sizeof(dir))
		return fail("path too long: %s", path);
	memcpy(dir, path, n);
	dir[n] = 0;
	if (mkdir(dir, 0750) && errno != EEXIST)
		return fail("cannot create the folder %s: %s", dir, strerror(errno));
	return 0;
}

struct db *open_db(const char *url, int mode)
{
	const char *path = sqlite_path(url);
	struct db_error err;
	struct stat st;
	struct db *db;

	if (path && mode == DB_EXISTING && stat(path, &st) != 0) {
		fail("there is no database %s (create one with 'varn init --db %s')",
		     path, url);
		return NULL;
	}
	if (path && mode == DB_CREATE && make_parent(path))
		return NULL;
	if (db_open(url, &db, &err)) {
		fail("cannot open the database: %s", err.msg);
		return NULL;
	}
	return db;
}

static int require_current(struct db *db)
{
	struct db_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int pending;

	if (!f)
		return fail("out of memory");
	pending = db_status(db, f, &err);
	fclose(f);
	free(text);
	if (pending < 0)
		return fail("cannot read the schema version: %s", err.msg);
	if (pending > 0)
		return fail("the database lacks %d migration(s); run 'varn db migrate' "
			    "first", pending);
	return 0;
}

struct db *open_current(const char *url)
{
	struct db *db = open_db(url, DB_EXISTING);

	if (db && require_current(db)) {
		db_close(db);
		return NULL;
	}
	return db;
}

int migrate(struct db *db)
{
	struct db_error err;

	if (db_migrate(db, &err))
		return fail("migration failed: %s", err.msg);
	return 0;
}

/* ---- accounts and registers ---- */

int64_t find_account(struct cli_ctx *c, const char *email)
{
	int64_t uid = user_find_by_email(c->db, &c->a, email);

	if (!uid)
		fail("there is no account with the e-mail address %s",
		     auth_normalize_email(&c->a, email));
	return uid;
}

const struct entity *find_register(const struct args *a,
				   const struct interchange **x)
{
	const char *name = arg(a, "register");
	const struct entity *const *all = module_entities();
	const struct entity *e;
	struct buf b = BUF_INIT;

	if ((*x = module_interchange(name)))
		return NULL;
	if ((e = entity_by_name(name)))
		return e;
	for (size_t i = 0; all[i]; i++)
		buf_printf(&b, "%s, ", all[i]->name);
	for (size_t m = 0; modules[m]; m++)
		for (const struct interchange *f = modules[m]->interchange; f && f->name; f++)
			buf_printf(&b, "%s, ", f->name);
	if (b.len >= 2)
		b.p[b.len - 2] = 0;
	usage_error(a->cmd, "--register: no register '%s' (there are: %s)", name, b.p);
	buf_release(&b);
	return NULL;
}

/* ---- files and progress ---- */

char *read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;

	if (!f) {
		fail("cannot read %s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) != 0)
			break;
	if (ferror(f) || !buf_ok(&b)) {
		fail(buf_ok(&b) ? "cannot read %s" : "%s is larger than the import limit",
		     path);
		fclose(f);
		buf_release(&b);
		return NULL;
	}
	fclose(f);
	return buf_detach(&b, len);
}

int write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return fail("cannot write %s: %s", path, strerror(errno));
	if ((fwrite(b->p, 1, b->len, f) != b->len) | (fclose(f) != 0)) {
		unlink(path);
		return fail("cannot write %s", path);
	}
	return 0;
}

static double seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void import_progress_init(struct import_progress *p)
{
	memset(p, 0, sizeof(*p));
	p->tty = isatty(STDERR_FILENO);
	p->start = p->last = seconds_now();
}

void import_progress(void *arg, size_t done, size_t total)
{
	struct import_progress *p = arg;
	double now, rate;

	if (!p)
		return;
	if (done < p->done)
		p->start = seconds_now(); /* the import began again from the start */
	p->done = done;
	/* a terminal: one line, redrawn at most four times a second; a log:
	 * a line per 100,000 rows and the last */
	if (p->tty ? done != total && done % 64 != 0 : done != total && done % 100000 != 0)
		return;
	now = seconds_now();
	if (p->tty && done != total && now - p->last < 0.25)
		return;
	p->last = now;
	rate = now > p->start ? (double)done / (now - p->start) : 0;
	if (p->tty)
		fprintf(stderr, "\rimporting: %zu/%zu rows (%d %%), %.0f rows/s\033[K%s", done, total,
			total ? (int)(100.0 * (double)done / (double)total) : 100, rate,
			done == total ? "\n" : "");
	else
		fprintf(stderr, "importing: %zu/%zu rows, %.0f rows/s\n", done, total, rate);
	fflush(stderr);
}

/* total -1: more rows than the list counts (entity_list's bounded count) */
void export_progress(void *arg, int64_t done, int64_t total)
{
	if (total < 0 && done % 1000 == 0)
		fprintf(stderr, "exporting: %lld rows\n", (long long)done);
	else if (total >= 0 && (done % 1000 == 0 || done == total))
		fprintf(stderr, "exporting: %lld/%lld rows\n", (long long)done,
			(long long)total);
}

void print_problems(const struct import_run *run)
{
	size_t shown = run->nkept < 100 ? run->nkept : 100;

	for (size_t i = 0; i < shown; i++) {
		const struct import_problem *p = &run->problems[i];
		if (p->column)
			fprintf(stderr, "line %zu: %s: %s", p->line, p->column, p->msg);
		else
			fprintf(stderr, "line %zu: %s", p->line, p->msg);
		/* the same, structured, for scripts: which field, the value
		 * given and what is allowed */
		if (p->field)
			fprintf(stderr, "\t[field=%s", p->field);
		if (p->field && p->value)
			fprintf(stderr, " value=\"%s\"", p->value);
		if (p->field && p->allowed)
			fprintf(stderr, " allowed=\"%s\"", p->allowed);
		fprintf(stderr, "%s\n", p->field ? "]" : "");
	}
	if (run->nproblems > shown)
		fprintf(stderr, "and %zu more problem(s)\n", run->nproblems - shown);
}
