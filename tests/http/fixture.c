/* fixture.c - see fixture.h. */
#include "base/base.h"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "core/auth.h"
#include "db/db.h"
#include "fixture.h"
#include "parse/form.h"
#include "testdb.h"

#define MAX_USERS 32

static struct {
	const char *email;
	const char *cookie;
	const char *csrf;
} sessions[MAX_USERS];

static void must(int ok, const char *what)
{
	if (!ok) {
		printf("Bail out! fixture: %s\n", what);
		exit(1);
	}
}

static int64_t insert_id(struct fixture *fx, const char *sql, const struct db_val *p, size_t n)
{
	struct db_rows rows;
	struct db_error err;
	must(db_exec(fx->db, &fx->a, sql, p, n, &rows, &err) == 0, err.msg);
	return rows.nrows ? db_cell_i64(&rows, 0, 0) : 0;
}

static int64_t add_org(struct fixture *fx, const char *slug, const char *name)
{
	return insert_id(fx, "INSERT INTO organisation (slug, name, name_sk, kind, search,"
			 " created_at, updated_at) VALUES ($1, $2, $3, 'kommun', $4, $5, $5)"
			 " RETURNING id",
			 DB_ARGS(DB_TEXT(slug), DB_TEXT(name), DB_TEXT(utf8_sortkey(&fx->a, name)),
				 DB_TEXT(utf8_fold(&fx->a, name)), DB_INT(clock_now())));
}

/* A person linked to an account, with one role (for the whole
 * organisation when unit_id is 0). */
static int64_t add_person_in(struct fixture *fx, int64_t org, int64_t user, const char *name,
			     const char *email, const char *role, int64_t unit_id)
{
	int64_t pid = insert_id(fx,
		"INSERT INTO person (org_id, user_id, name, name_sk, email, employment, search,"
		" created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $7)"
		" RETURNING id",
		DB_ARGS(DB_INT(org), DB_INT(user), DB_TEXT(name),
			DB_TEXT(utf8_sortkey(&fx->a, name)), DB_TEXT(email),
			DB_TEXT(utf8_fold(&fx->a, name)), DB_INT(clock_now())));
	insert_id(fx, "INSERT INTO role_assignment (org_id, person_id, role, unit_id, created_at,"
		  " updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
		  DB_ARGS(DB_INT(org), DB_INT(pid), DB_TEXT(role),
			  unit_id ? DB_INT(unit_id) : DB_NULL, DB_INT(clock_now())));
	return pid;
}

static void add_person(struct fixture *fx, int64_t org, int64_t user, const char *name,
		       const char *email, const char *role)
{
	add_person_in(fx, org, user, name, email, role, 0);
}

static int64_t add_user(struct fixture *fx, const char *email)
{
	struct db_error err;
	int64_t id = user_create(fx->db, &fx->a, email, "correct horse battery staple", &err);
	must(id > 0, err.msg);
	return id;
}

int64_t fx_add_member(struct fixture *fx, int64_t org, const char *email, const char *name,
		      const char *role, int64_t unit_id)
{
	int64_t user = fx_user_id(fx, email);

	if (user <= 0)
		user = add_user(fx, email);
	return add_person_in(fx, org, user, name, email, role, unit_id);
}

struct fixture *fixture_new(void)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	int64_t coord, admin_a, user_a, admin_b;

	log_quiet = getenv("VARN_TEST_VERBOSE") == NULL;
	auth_cfg.fast_hash = 1;
	fx->url = testdb_url();
	{
		struct db_error err;
		must(db_open(fx->url, &fx->db, &err) == 0, err.msg);
		must(db_migrate(fx->db, &err) == 0, err.msg);
	}
	fx->org_alfa = add_org(fx, "alfa", "Alfa kommun");
	fx->org_beta = add_org(fx, "beta", "Beta kommun");
	coord = add_user(fx, "samordnare@a.se");
	admin_a = add_user(fx, "admin@a.se");
	user_a = add_user(fx, "anvandare@a.se");
	admin_b = add_user(fx, "admin@b.se");
	add_person(fx, fx->org_alfa, coord, "Åsa Öberg", "samordnare@a.se", "samordnare");
	add_person(fx, fx->org_beta, coord, "Åsa Öberg", "samordnare@a.se", "samordnare");
	add_person(fx, fx->org_alfa, admin_a, "Adam Admin", "admin@a.se", "administrator");
	add_person(fx, fx->org_alfa, user_a, "Ulla Användare", "anvandare@a.se", "anvandare");
	add_person(fx, fx->org_beta, admin_b, "Bertil Beta", "admin@b.se", "administrator");
	must(app_init(&fx->app, fx->url, 2) == 0, "app_init");
	fx->app.base_url = "http://varn.test";
	return fx;
}

struct fixture *fixture_open(const char *url)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct db_error err;

	log_quiet = getenv("VARN_TEST_VERBOSE") == NULL;
	auth_cfg.fast_hash = 1;
	fx->url = url;
	must(db_open(fx->url, &fx->db, &err) == 0, err.msg);
	must(db_migrate(fx->db, &err) == 0, err.msg);
	must(app_init(&fx->app, fx->url, 2) == 0, "app_init");
	fx->app.base_url = "http://varn.test";
	return fx;
}

void fixture_free(struct fixture *fx)
{
	app_release(&fx->app);
	db_close(fx->db);
	arena_release(&fx->a);
	free(fx);
}

int64_t fx_user_id(struct fixture *fx, const char *email)
{
	return user_find_by_email(fx->db, &fx->a, email);
}

static int session_for(struct fixture *fx, const char *who)
{
	struct db_error err;
	int i;

	for (i = 0; i < MAX_USERS && sessions[i].email; i++)
		if (strcmp(sessions[i].email, who) == 0)
			return i;
	must(i < MAX_USERS, "too many sessions");
	{
		int64_t uid = fx_user_id(fx, who);
		const char *tok;
		struct session *s;
		must(uid > 0, who);
		tok = session_create(fx->db, &fx->a, uid, 0, "127.0.0.1", &err);
		must(tok != NULL, err.msg);
		must(session_lookup(fx->db, &fx->a, tok, &s, &err) == 0 && s,
		     "session_lookup");
		sessions[i].email = xstrdup(who);
		sessions[i].cookie = xstrdup(arena_printf(&fx->a, "varn_session=%s", tok));
		sessions[i].csrf = xstrdup(s->csrf);
	}
	return i;
}

void fx_new_sessions(struct fixture *fx)
{
	(void)fx;
	for (int i = 0; i < MAX_USERS && sessions[i].email; i++) {
		free((char *)sessions[i].email);
		free((char *)sessions[i].cookie);
		free((char *)sessions[i].csrf);
		sessions[i].email = sessions[i].cookie = sessions[i].csrf = NULL;
	}
}

const char *fx_csrf(struct fixture *fx, const char *who)
{
	return sessions[session_for(fx, who)].csrf;
}

const char *fx_cookie(struct fixture *fx, const char *who)
{
	return sessions[session_for(fx, who)].cookie;
}

struct fx_resp fx_request(struct fixture *fx, const char *who, const char *method,
			  const char *path, const char *body, const char *content_type,
			  const char *xname, const char *xvalue)
{
	struct arena a = ARENA_INIT;
	struct req q = { 0 };
	struct resp r;
	struct fx_resp out = { 0 };
	const char *qm = strchr(path, '?');

	resp_init(&r);
	q.cx.a = &a;
	q.method = method;
	q.path = qm ? arena_strndup(&a, path, (size_t)(qm - path)) : path;
	q.query = qm ? qm + 1 : "";
	q.body = body ? body : "";
	q.body_len = body ? strlen(body) : 0;
	q.h_content_type = content_type;
	q.h_host = "varn.test";
	q.remote_ip = "127.0.0.1";
	if (who)
		q.h_cookie = sessions[session_for(fx, who)].cookie;
	if (xname && strcasecmp(xname, "Origin") == 0)
		q.h_origin = xvalue;
	if (xname && strcasecmp(xname, "Authorization") == 0)
		q.h_authorization = xvalue;
	if (xname && strcasecmp(xname, "Accept-Language") == 0)
		q.h_accept_language = xvalue;
	if (xname && strcasecmp(xname, "Cookie") == 0)
		q.h_cookie = xvalue;
	app_handle(&fx->app, &q, &r);
	out.status = r.status;
	out.len = r.body.len;
	out.body = arena_strndup(&fx->a, r.body.p, r.body.len);
	out.content_type = r.content_type ? arena_strdup(&fx->a, r.content_type) : NULL;
	out.disposition = r.download_name ? arena_strdup(&fx->a, r.download_name) : NULL;
	for (size_t i = 0; i < r.nheaders; i++)
		if (strcasecmp(r.headers[i].name, "Location") == 0)
			out.location = arena_strdup(&fx->a, r.headers[i].value);
		else if (strcasecmp(r.headers[i].name, "Retry-After") == 0)
			out.retry_after = arena_strdup(&fx->a, r.headers[i].value);
		else if (strcasecmp(r.headers[i].name, "Set-Cookie") == 0)
			out.set_cookie = arena_strdup(&fx->a, r.headers[i].value);
	resp_release(&r);
	arena_release(&a);
	return out;
}

struct fx_resp fx_get(struct fixture *fx, const char *who, const char *path)
{
	return fx_request(fx, who, "GET", path, NULL, NULL, NULL, NULL);
}

struct fx_resp fx_post(struct fixture *fx, const char *who, const char *path,
		       const char *form)
{
	struct buf b = BUF_INIT;
	struct fx_resp r;

	buf_puts(&b, form);
	if (who) {
		buf_puts(&b, *form ? "&csrf=" : "csrf=");
		url_encode(&b, fx_csrf(fx, who));
	}
	r = fx_request(fx, who, "POST", path, b.p, "application/x-www-form-urlencoded",
		       NULL, NULL);
	buf_release(&b);
	return r;
}

int64_t fx_location_id(const struct fx_resp *r)
{
	const char *p, *end;
	int64_t id = 0;

	if (!r->location)
		return 0;
	end = strchr(r->location, '?');
	if (!end)
		end = r->location + strlen(r->location);
	p = end;
	while (p > r->location && p[-1] >= '0' && p[-1] <= '9')
		p--;
	for (; p < end; p++)
		id = id * 10 + (*p - '0');
	return id;
}

int64_t fx_scalar(struct fixture *fx, const char *sql, int64_t arg)
{
	struct db_rows rows;
	struct db_error err;

	must(db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(arg)), &rows, &err) == 0, err.msg);
	return rows.nrows ? db_cell_i64(&rows, 0, 0) : -1;
}

const char *fx_enc(struct fixture *fx, const char *s)
{
	struct buf b = BUF_INIT;
	const char *out;

	url_encode(&b, s ? s : "");
	out = arena_strdup(&fx->a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

int64_t fx_post_id(struct fixture *fx, const char *who, const char *path, const char *form)
{
	struct fx_resp r = fx_post(fx, who, path, form);

	if (r.status != 303)
		printf("# POST %s %s -> %d\n", path, form, r.status);
	return r.status == 303 ? fx_location_id(&r) : 0;
}

extern char **environ;

const char *fx_pdf_text(struct fixture *fx, const struct fx_resp *r)
{
	char path[] = "/tmp/varn-test-pdf-XXXXXX";
	char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
	struct buf b = BUF_INIT;
	posix_spawn_file_actions_t fa;
	char chunk[4096];
	int fd = mkstemp(path), fds[2], status;
	ssize_t n;
	pid_t pid;
	const char *s = "";

	if (fd < 0 || write(fd, r->body, r->len) != (ssize_t)r->len || pipe(fds)) {
		if (fd >= 0)
			close(fd);
		if (fd >= 0)
			unlink(path);
		return s;
	}
	close(fd);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	if (posix_spawnp(&pid, "pdftotext", &fa, NULL, argv, environ) == 0) {
		close(fds[1]);
		while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
			buf_add(&b, chunk, (size_t)n);
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status))
			s = arena_strndup(&fx->a, b.p, b.len);
	} else {
		close(fds[1]);
	}
	close(fds[0]);
	posix_spawn_file_actions_destroy(&fa);
	unlink(path);
	buf_release(&b);
	return s;
}
