/* testdb.c - see testdb.h. */
#include "base/base.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "db/db.h"
#include "testdb.h"

#define MAX_DBS 64

static char *dir;                 /* temporary folder, both engines */
static struct db *maint;          /* PostgreSQL maintenance connection */
static char *urls[MAX_DBS];
static char *pg_names[MAX_DBS];   /* databases to drop */
static int ndbs;
static int registered;
static pid_t owner;               /* a forked child must not clean up */

_Noreturn static void bail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void bail(const char *fmt, ...)
{
	va_list ap;

	printf("Bail out! testdb: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(1);
}

const char *testdb_pg_server(void)
{
	const char *e = getenv("VARN_TEST_DB");

	if (!e || !*e || strcmp(e, "sqlite") == 0)
		return NULL;
	return e;
}

int testdb_is_pg(void)
{
	return testdb_pg_server() != NULL;
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	struct buf b = BUF_INIT;

	if (!registered) {
		atexit(testdb_cleanup);
		registered = 1;
		owner = getpid();
	}
	if (dir)
		return;
	buf_printf(&b, "%s/varn-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!buf_ok(&b) || !mkdtemp(b.p))
		bail("cannot make a temporary folder: %s", strerror(errno));
	dir = buf_detach(&b, NULL);
}

const char *testdb_dir(void)
{
	setup();
	return dir;
}

/* Appends key='value' in libpq's quoting. */
static void put_option(struct buf *b, const char *key, const char *val)
{
	buf_printf(b, "%s%s='", b->len ? " " : "", key);
	for (; *val; val++) {
		if (*val == '\'' || *val == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *val);
	}
	buf_putc(b, '\'');
}

/* The server's URL with another database name, as a key=value string. */
static char *url_with_dbname(const char *server, const char *dbname)
{
	PQconninfoOption *opts, *o;
	struct buf b = BUF_INIT;
	char *msg = NULL;

	opts = PQconninfoParse(server, &msg);
	if (!opts)
		bail("cannot parse VARN_TEST_DB: %s", msg ? msg : "out of memory");
	for (o = opts; o->keyword; o++)
		if (o->val && *o->val && strcmp(o->keyword, "dbname") != 0)
			put_option(&b, o->keyword, o->val);
	put_option(&b, "dbname", dbname);
	PQconninfoFree(opts);
	if (!buf_ok(&b))
		bail("URL too long");
	return buf_detach(&b, NULL);
}

/* 1 if the server is reached through a Unix socket, i.e. runs here. */
static int is_local(const char *server)
{
	PQconninfoOption *opts = PQconninfoParse(server, NULL), *o;
	int local = 1;

	for (o = opts; o && o->keyword; o++)
		if (strcmp(o->keyword, "host") == 0 && o->val && *o->val &&
		    o->val[0] != '/')
			local = 0;
	PQconninfoFree(opts);
	return opts != NULL && local;
}

/* Drops the databases of test programs that died without cleaning up
 * (crash, time-out), so a long-lived test server does not fill up.  Only
 * on a local server, where the pid in the name means a process here. */
static void drop_stale(const char *server)
{
	static const char sql[] =
		"SELECT datname FROM pg_database "
		"WHERE datname LIKE 'varn/_test/_%' ESCAPE '/'";
	struct arena a = ARENA_INIT;
	struct db_rows r;
	struct db_error err;

	if (!is_local(server) ||
	    db_exec(maint, &a, sql, DB_NOARGS, &r, &err))
		goto out;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *name = db_cell(&r, i, 0);
		long pid = strtol(name + strlen("varn_test_"), NULL, 10);
		char drop[128];
		if (pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(drop, sizeof(drop),
			 "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
		db_exec_script(maint, drop, &err);
	}
out:
	arena_release(&a);
}

static char *new_pg_db(const char *server, int n)
{
	struct db_error err;
	char name[64], sql[128];

	if (!maint) {
		if (db_open(server, &maint, &err))
			bail("cannot connect to %s: %s", server, err.msg);
		drop_stale(server);
	}
	snprintf(name, sizeof(name), "varn_test_%ld_%d", (long)getpid(), n);
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
	if (db_exec_script(maint, sql, &err))
		bail("%s: %s", sql, err.msg);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0 "
		 "ENCODING 'UTF8'", name);
	if (db_exec_script(maint, sql, &err))
		bail("%s: %s", sql, err.msg);
	pg_names[n] = xstrdup(name);
	return url_with_dbname(server, name);
}

const char *testdb_url(void)
{
	const char *server = testdb_pg_server();
	struct buf b = BUF_INIT;

	setup();
	if (ndbs == MAX_DBS)
		bail("more than %d test databases", MAX_DBS);
	if (server) {
		urls[ndbs] = new_pg_db(server, ndbs);
	} else {
		buf_printf(&b, "sqlite:%s/db-%d.sqlite", dir, ndbs);
		urls[ndbs] = buf_detach(&b, NULL);
	}
	return urls[ndbs++];
}

struct db *testdb_open(int migrate)
{
	const char *url = testdb_url();
	struct db_error err;
	struct db *db;

	if (db_open(url, &db, &err))
		bail("cannot open %s: %s", url, err.msg);
	if (migrate && db_migrate(db, &err))
		bail("cannot migrate %s: %s", url, err.msg);
	return db;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path))
		fprintf(stderr, "testdb: cannot remove %s: %s\n", path,
			strerror(errno));
	return 0;
}

void testdb_cleanup(void)
{
	struct db_error err;

	if (owner && getpid() != owner)
		return;
	for (int i = 0; i < ndbs; i++) {
		if (pg_names[i] && maint) {
			char sql[128];
			snprintf(sql, sizeof(sql),
				 "DROP DATABASE IF EXISTS %s WITH (FORCE)",
				 pg_names[i]);
			if (db_exec_script(maint, sql, &err))
				fprintf(stderr, "testdb: %s: %s\n", sql, err.msg);
		}
		free(pg_names[i]);
		free(urls[i]);
		pg_names[i] = urls[i] = NULL;
	}
	ndbs = 0;
	db_close(maint);
	maint = NULL;
	if (dir) {
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(dir);
		dir = NULL;
	}
}
