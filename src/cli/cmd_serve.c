/* cmd_serve.c - varn serve: migrates the database, then serves the web
 * pages and the JSON API until SIGTERM or SIGINT.
 *
 * Adding an option: a row in serve_opts[] (main.c's parser checks the
 * value and prints the help from it) and arg(a, "name") below. */
#include "base/base.h"

#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "base/buf.h"
#include "base/clock.h"
#include "cli/cli.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/backup.h"
#include "core/scheduler.h"
#include "core/smtp.h"
#include "db/db.h"
#include "http/http.h"
#include "web/app.h"

#define DEFAULT_DB "sqlite:var/varn.db"
#define DEFAULT_LISTEN "127.0.0.1:8080"

const struct opt serve_opts[] = {
	{ "db", V_DBURL, 0, "URL", "VARN_DB", DEFAULT_DB, 0, 0,
	  "the database (default: $VARN_DB, else " DEFAULT_DB ")" },
	{ "listen", V_LISTEN, 0, "HOST:PORT", "VARN_LISTEN", DEFAULT_LISTEN, 0, 0,
	  "numeric address and port to listen on (default " DEFAULT_LISTEN
	  "; port 0 picks a free one)" },
	{ "threads", V_INT, 0, "N", NULL, "4", 1, 256,
	  "worker threads (default 4)" },
	{ "key", V_PATH, 0, "FILE", "VARN_KEY_FILE", NULL, 0, 0,
	  "server key file, created when missing (default: $VARN_KEY_FILE, else "
	  "PATH.key beside a sqlite:PATH database, else ./varn.key)" },
	{ "base-url", V_HTTPURL, 0, "URL", "VARN_BASE_URL", NULL, 0, 0,
	  "the address users reach Värn at, e.g. https://varn.kommun.se "
	  "(default: http://HOST:PORT)" },
	{ "secure-cookies", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "mark cookies Secure (set this behind a TLS reverse proxy)" },
	{ "trusted-proxy", V_TEXT, 0, "ADDR[,ADDR]", "VARN_TRUSTED_PROXY", NULL, 0,
	  1000, "reverse proxies (ADDR or ADDR/BITS) whose X-Forwarded-For "
	  "names the client (default: $VARN_TRUSTED_PROXY, else none)" },
	{ "max-per-client", V_INT, 0, "N", NULL, "32", 1, 65535,
	  "connections, and requests in progress, one client may have (default 32)" },
	{ "no-jobs", V_NONE, 0, NULL, NULL, NULL, 0, 0,
	  "do not run scheduled jobs in this process (only serve)" },
	{ "backup-dir", V_PATH, 0, "DIR", NULL, NULL, 0, 0,
	  "run a sealed backup into DIR as a scheduled job (see --backup-every, "
	  "--backup-keep, --backup-key)" },
	{ "backup-every", V_INT, 0, "HOURS", NULL, "24", 1, 8760,
	  "hours between scheduled backups (default 24: each night after midnight)" },
	{ "backup-keep", V_INT, 0, "N", NULL, "14", 1, 100000,
	  "scheduled backups kept in DIR; older ones of Värn's own naming are "
	  "removed (default 14)" },
	{ "backup-key", V_PATH, 0, "FILE", "VARN_BACKUP_KEY", NULL, 0, 0,
	  "the key scheduled backups are sealed with (default: $VARN_BACKUP_KEY, "
	  "else PATH.backup-key beside a sqlite:PATH database, else ./varn.backup-key)" },
	{ "audit-head-file", V_PATH, 0, "FILE", "VARN_AUDIT_HEAD_FILE", NULL, 0, 0,
	  "the daily job audit-head appends the audit trail's head to FILE "
	  "(default: $VARN_AUDIT_HEAD_FILE, else nowhere)" },
	OPT_END,
};

/* ---- the scheduler thread ----
 *
 * Wakes at start and every JOBS_WAKE seconds, runs what is due on a
 * connection of its own, and stops when the server does: a job that is
 * running finishes (and is recorded) before serve exits; none starts
 * after the stop.  Several serve processes on one PostgreSQL database
 * each run this; job_run's unique key makes one of them run each period.
 * On SQLite, run one serve process per database file (the file's lock
 * serialises writers, so a second would be safe but only wait). */
#define JOBS_WAKE 20

static pthread_mutex_t jobs_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t jobs_wake = PTHREAD_COND_INITIALIZER;
static volatile int jobs_stop;

static void *jobs_thread(void *arg)
{
	const char *url = arg;
	const struct job *const *list = scheduler_jobs();
	struct db *db = NULL;
	struct db_error err;
	sigset_t stop_sigs;

	/* the server's handlers take SIGTERM and SIGINT on its own threads */
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGTERM);
	sigaddset(&stop_sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_sigs, NULL);
	while (!jobs_stop) {
		struct timespec until;

		if (!db && db_open(url, &db, &err)) {
			log_warn("scheduler: cannot open the database: %s", err.msg);
			db = NULL;
		}
		if (db && scheduler_run_due(db, clock_now(), list, NULL, NULL,
					    &jobs_stop, &err) < 0) {
			log_warn("scheduler: %s", err.msg);
			db_close(db); /* a fresh connection next time */
			db = NULL;
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += JOBS_WAKE;
		pthread_mutex_lock(&jobs_lock);
		if (!jobs_stop)
			pthread_cond_timedwait(&jobs_wake, &jobs_lock, &until);
		pthread_mutex_unlock(&jobs_lock);
	}
	if (db)
		db_close(db);
	return NULL;
}

static void jobs_thread_stop(pthread_t t)
{
	pthread_mutex_lock(&jobs_lock);
	jobs_stop = 1;
	pthread_cond_signal(&jobs_wake);
	pthread_mutex_unlock(&jobs_lock);
	pthread_join(t, NULL);
}

/* --backup-dir: the scheduled, sealed backup, checked before serving (the
 * folder exists, the key loads) and registered with the scheduler.  0,
 * or 1 after saying why. */
static int configure_backup(const struct args *a, struct arena *ar, int with_jobs)
{
	const char *dir = arg(a, "backup-dir"), *key = arg(a, "backup-key");
	unsigned char k[32];
	struct db_error err;
	struct stat st;
	char id[17];
	int hours = (int)arg_int(a, "backup-every", 24);
	int keep = (int)arg_int(a, "backup-keep", 14);

	if (!dir)
		return 0;
	if (!with_jobs)
		return fail("--backup-dir needs the scheduler: leave out --no-jobs, or "
			    "run varn backup --dir DIR --keep N from cron");
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return fail("--backup-dir %s is not a folder", dir);
	if (!key)
		key = default_backup_key(ar, arg(a, "db"));
	if (backup_key_load(key, k, &err))
		return fail("%s (varn init makes the installation's backup key)", err.msg);
	backup_key_id(k, id);
	sodium_memzero(k, sizeof(k));
	scheduler_add_jobs(backup_job(dir, hours, keep, key));
	log_info("scheduled backups every %d hour(s) into %s, newest %d kept, sealed "
		 "with the backup key %s (key id %s)", hours, dir, keep, key, id);
	return 0;
}

static const char *default_key_file(struct arena *a, const char *url)
{
	const char *path = sqlite_path(url);

	return path ? arena_printf(a, "%s.key", path) : "varn.key";
}

int cmd_serve(const struct args *a)
{
	const char *url = arg(a, "db");
	struct arena ar = ARENA_INIT;
	struct server_config cfg;
	struct app app;
	char host[64];
	int port, rc = 1;
	int threads = (int)arg_int(a, "threads", 4);
	const char *key = arg(a, "key");
	const char *base = arg(a, "base-url");
	struct db *db;
	pthread_t jobs;
	int with_jobs = arg(a, "no-jobs") == NULL;

	if (parse_listen(arg(a, "listen"), host, sizeof(host), &port))
		BUG("listen address passed the check but does not parse");
	if (!key)
		key = default_key_file(&ar, url);
	if (!(db = open_db(url, DB_CREATE)))
		goto out;
	rc = migrate(db);
	db_close(db);
	if (rc)
		goto out;
	rc = 1;
	if (auth_load_key(key)) {
		fail("cannot use the key file %s", key);
		goto out;
	}
	auth_cfg.cookie_secure = arg(a, "secure-cookies") != NULL;
	if (app_init(&app, url, threads + 2)) {
		fail("cannot start the application");
		goto out;
	}
	if (base)
		app.base_url = arena_strndup(&ar, base, strlen(base) -
					     (base[strlen(base) - 1] == '/'));
	else if (port)
		app.base_url = arena_printf(&ar, strchr(host, ':') ? "http://[%s]:%d" :
					    "http://%s:%d", host, port);
	memset(&cfg, 0, sizeof(cfg));
	cfg.listen_host = host;
	cfg.port = port;
	cfg.threads = threads;
	cfg.trusted_proxies = arg(a, "trusted-proxy");
	audit_head_file = arg(a, "audit-head-file");
	cfg.max_per_client = (unsigned)arg_int(a, "max-per-client", 32);
	if (configure_backup(a, &ar, with_jobs)) {
		app_release(&app);
		goto out;
	}
	if (with_jobs && !scheduler_jobs()) {
		fail("two scheduled jobs have the same name");
		app_release(&app);
		goto out;
	}
	if (with_jobs)
		smtp_global_init(); /* before the threads: libcurl asks it */
	if (with_jobs && pthread_create(&jobs, NULL, jobs_thread, (void *)url)) {
		fail("cannot start the scheduler");
		app_release(&app);
		goto out;
	}
	rc = server_run(&app, &cfg) ? 1 : 0;
	if (with_jobs)
		jobs_thread_stop(jobs);
	app_release(&app);
out:
	arena_release(&ar);
	return rc;
}
