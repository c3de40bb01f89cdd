/* test_server.c - the libmicrohttpd wrapper (http/server.c, http/resp.c)
 * tested alone, over real sockets.
 *
 * This file defines its own app_handle() and app_body_limit(), which echo
 * what arrived, so no router or database is involved.  Each test that needs
 * a server starts server_run() in a thread on 127.0.0.1 port 0; the
 * server's on_ready callback tells the bound port.  Requests are written by
 * hand (plain POSIX sockets), so malformed ones can be sent too; they say
 * "Connection: close" and the reply is read until the server closes.
 */
#include "base/base.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http/http.h"
#include "tap.h"

/* ---- the stand-in application ------------------------------------------ */

static int bad_header_rc = 1;        /* what resp_header said to CR/LF */
static pthread_mutex_t slow_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t slow_cond = PTHREAD_COND_INITIALIZER;
static int slow_entered;
/* /hold: the handler waits until hold_open (or 10 s), so a test can keep
 * requests in progress; hold_entered counts the handlers that got there. */
static pthread_mutex_t hold_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cond = PTHREAD_COND_INITIALIZER;
static int hold_entered, hold_open;

size_t app_body_limit(struct app *app, const char *method, const char *path)
{
	(void)app;
	if (strcmp(path, "/small") == 0)
		return 16;
	if (strcmp(path, "/upload") == 0)
		return 1 << 20; /* the server's ceiling: a file to import */
	if (strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
		return 0;
	return 65536;
}

static const char *nz(const char *s)
{
	return s ? s : "(null)";
}

static void echo(struct req *q, struct resp *r)
{
	r->content_type = "text/plain; charset=utf-8";
	buf_printf(&r->body,
		   "method=%s\npath=%s\nquery=%s\ncookie=%s\norigin=%s\n"
		   "host=%s\nct=%s\nauth=%s\nlang=%s\nsite=%s\nifmatch=%s\n"
		   "ip=%s\nbody_len=%zu\nbody=",
		   q->method, q->path, q->query, nz(q->h_cookie),
		   nz(q->h_origin), nz(q->h_host), nz(q->h_content_type),
		   nz(q->h_authorization), nz(q->h_accept_language),
		   nz(q->h_sec_fetch_site), nz(q->h_if_match), q->remote_ip,
		   q->body_len);
	buf_add(&r->body, q->body, q->body_len);
}

void app_handle(struct app *app, struct req *q, struct resp *r)
{
	(void)app;
	if (strcmp(q->path, "/slow") == 0) {
		pthread_mutex_lock(&slow_lock);
		slow_entered = 1;
		pthread_cond_broadcast(&slow_cond);
		pthread_mutex_unlock(&slow_lock);
		usleep(800 * 1000);
		buf_puts(&r->body, "slow done");
	} else if (strcmp(q->path, "/hold") == 0) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 10;
		pthread_mutex_lock(&hold_lock);
		hold_entered++;
		pthread_cond_broadcast(&hold_cond);
		while (!hold_open)
			if (pthread_cond_timedwait(&hold_cond, &hold_lock,
						   &until) != 0)
				break;
		pthread_mutex_unlock(&hold_lock);
		echo(q, r);
	} else if (strcmp(q->path, "/badheader") == 0) {
		__atomic_store_n(&bad_header_rc,
				 resp_header(r, "X-Evil", "a\r\nSet-Cookie: pwned=1"),
				 __ATOMIC_SEQ_CST);
		resp_header(r, "X-Good", "yes");
		buf_puts(&r->body, "ok");
	} else if (strcmp(q->path, "/csp") == 0) {
		resp_header(r, "Content-Security-Policy", "default-src 'none'");
		buf_puts(&r->body, "csp");
	} else if (strcmp(q->path, "/go") == 0) {
		resp_redirect(q, r, q->query);
	} else if (strcmp(q->path, "/download") == 0) {
		r->content_type = "text/csv; charset=utf-8";
		r->download_name = "Rapport åäö \"x\".csv";
		buf_puts(&r->body, "a;b\n");
	} else if (strncmp(q->path, "/echo", 5) == 0 ||
		   strcmp(q->path, "/small") == 0) {
		echo(q, r);
	} else {
		r->status = 404;
		buf_puts(&r->body, "<h1>404 – Sidan finns inte</h1>");
	}
}

/* ---- running a server in a thread --------------------------------------- */

static struct {
	pthread_t thread;
	struct server_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int port, ready, done, rc;
} srv = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static void on_ready(void *arg, int port)
{
	(void)arg;
	pthread_mutex_lock(&srv.lock);
	srv.port = port;
	srv.ready = 1;
	pthread_cond_broadcast(&srv.cond);
	pthread_mutex_unlock(&srv.lock);
}

static void *server_thread(void *arg)
{
	int rc;

	(void)arg;
	rc = server_run(NULL, &srv.cfg);
	pthread_mutex_lock(&srv.lock);
	srv.rc = rc;
	srv.done = 1;
	pthread_cond_broadcast(&srv.cond);
	pthread_mutex_unlock(&srv.lock);
	return NULL;
}

static void deadline_in(struct timespec *ts, int ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts->tv_nsec >= 1000000000) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000;
	}
}

/* The default test server; callers may change srv.cfg before start(). */
static void config_defaults(const char *host)
{
	memset(&srv.cfg, 0, sizeof(srv.cfg));
	srv.cfg.listen_host = host;
	srv.cfg.port = 0;
	srv.cfg.threads = 4;
	srv.cfg.max_connections = 64;
	srv.cfg.connection_timeout = 10;
	srv.cfg.max_header_bytes = 16384;
	srv.cfg.max_body_bytes = 1 << 20;
	srv.cfg.drain_seconds = 5;
	srv.cfg.on_ready = on_ready;
}

/* Starts server_run in a thread, waits until it listens; 0 or -1. */
static int start_configured(void)
{
	struct timespec until;

	srv.ready = srv.done = 0;
	srv.port = 0;
	srv.rc = -1;
	if (pthread_create(&srv.thread, NULL, server_thread, NULL) != 0)
		return -1;
	deadline_in(&until, 5000);
	pthread_mutex_lock(&srv.lock);
	while (!srv.ready && !srv.done)
		if (pthread_cond_timedwait(&srv.cond, &srv.lock, &until) != 0)
			break;
	pthread_mutex_unlock(&srv.lock);
	if (!srv.ready) {
		if (srv.done)
			pthread_join(srv.thread, NULL);
		return -1;
	}
	return 0;
}

static int start(void)
{
	config_defaults("127.0.0.1");
	return start_configured();
}

/* Takes the SIGTERM path; returns server_run's result. */
static int stop(void)
{
	server_stop();
	pthread_join(srv.thread, NULL);
	return srv.rc;
}

/* ---- a small HTTP client ------------------------------------------------- */

/* Connects from the local IPv4 address src (NULL: the system's choice).
 * Linux's loopback answers for all of 127.0.0.0/8, so one test can be
 * several clients: 127.0.0.1, 127.0.0.2, ... */
static int connect_from(const char *src, const char *host, int port)
{
	struct sockaddr_in v4 = { 0 }, from = { 0 };
	struct sockaddr_in6 v6 = { 0 };
	struct timeval tv = { 10, 0 };
	int fd, rc;

	if (inet_pton(AF_INET, host, &v4.sin_addr) == 1) {
		v4.sin_family = AF_INET;
		v4.sin_port = htons((uint16_t)port);
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		from.sin_family = AF_INET;
		if (src && (inet_pton(AF_INET, src, &from.sin_addr) != 1 ||
			    bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0)) {
			close(fd);
			return -1;
		}
		rc = connect(fd, (struct sockaddr *)&v4, sizeof(v4));
	} else {
		if (inet_pton(AF_INET6, host, &v6.sin6_addr) != 1)
			return -1;
		v6.sin6_family = AF_INET6;
		v6.sin6_port = htons((uint16_t)port);
		fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		rc = connect(fd, (struct sockaddr *)&v6, sizeof(v6));
	}
	if (rc < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

static int connect_to(const char *host, int port)
{
	return connect_from(NULL, host, port);
}

/* Sends all of data; stops quietly if the server closed early. */
static void send_all(int fd, const char *data, size_t n)
{
	while (n) {
		ssize_t w = send(fd, data, n, MSG_NOSIGNAL);
		if (w <= 0)
			return;
		data += w;
		n -= (size_t)w;
	}
}

/* Reads until EOF (or error/timeout) into b. */
static void read_all(int fd, struct buf *b)
{
	char tmp[8192];
	ssize_t r;

	while ((r = recv(fd, tmp, sizeof(tmp), 0)) > 0)
		buf_add(b, tmp, (size_t)r);
}

struct res {
	struct buf raw;
	int status;
	const char *body;   /* into raw, after the blank line */
	size_t body_len;
	size_t head_len;
};

static void res_parse(struct res *res)
{
	const char *end = strstr(res->raw.p, "\r\n\r\n");

	res->status = 0;
	if (strncmp(res->raw.p, "HTTP/1.", 7) == 0 && res->raw.len > 12)
		res->status = atoi(res->raw.p + 9);
	if (end) {
		res->head_len = (size_t)(end - res->raw.p) + 2;
		res->body = end + 4;
		res->body_len = res->raw.len - (size_t)(res->body - res->raw.p);
	} else {
		res->head_len = res->raw.len;
		res->body = "";
		res->body_len = 0;
	}
}

/* One exchange over a fresh connection from src (NULL: any address). */
static void request_from(const char *src, const char *host, int port,
			 const char *req, size_t n, struct res *res)
{
	int fd;

	buf_init(&res->raw, 0);
	fd = connect_from(src, host, port);
	if (fd >= 0) {
		send_all(fd, req, n);
		read_all(fd, &res->raw);
		close(fd);
	}
	res_parse(res);
}

static void request_n(const char *host, int port, const char *req, size_t n,
		      struct res *res)
{
	request_from(NULL, host, port, req, n, res);
}

static void request(const char *req, struct res *res)
{
	request_n("127.0.0.1", srv.port, req, strlen(req), res);
}

/* The value of the first header called name, copied into a static buffer
 * (or NULL); how many there are in *count. */
static const char *header(const struct res *res, const char *name, int *count)
{
	static char val[4096];
	const char *p = res->raw.p, *end = res->raw.p + res->head_len;
	size_t nlen = strlen(name);
	const char *found = NULL;
	int n = 0;

	while ((p = strstr(p, "\r\n")) && p < end) {
		p += 2;
		if (p + nlen + 1 < end && strncasecmp(p, name, nlen) == 0 &&
		    p[nlen] == ':') {
			if (!found)
				found = p + nlen + 1;
			n++;
		}
	}
	if (count)
		*count = n;
	if (!found)
		return NULL;
	while (*found == ' ')
		found++;
	size_t len = strcspn(found, "\r\n");
	if (len >= sizeof(val))
		len = sizeof(val) - 1;
	memcpy(val, found, len);
	val[len] = '\0';
	return val;
}

static int has_security_headers(const struct res *res)
{
	static const char *names[] = {
		"Content-Security-Policy", "X-Content-Type-Options",
		"X-Frame-Options", "Referrer-Policy", "Permissions-Policy",
		"Cross-Origin-Opener-Policy",
	};
	const char *csp;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		int n;
		if (!header(res, names[i], &n) || n != 1)
			return 0;
	}
	csp = header(res, "Content-Security-Policy", NULL);
	return csp && strstr(csp, "frame-ancestors 'none'") &&
	       strcmp(header(res, "X-Frame-Options", NULL), "DENY") == 0 &&
	       strcmp(header(res, "X-Content-Type-Options", NULL), "nosniff") == 0;
}

/* The "key=value" line of an echo body, copied into a static buffer. */
static const char *echoed(const struct res *res, const char *key)
{
	static char val[70000];
	size_t klen = strlen(key);
	const char *p = res->body;

	while (p && *p) {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t len = strcmp(key, "body") == 0
					     ? res->body_len - (size_t)(p + klen + 1 - res->body)
					     : strcspn(p + klen + 1, "\n");
			if (len >= sizeof(val))
				len = sizeof(val) - 1;
			memcpy(val, p + klen + 1, len);
			val[len] = '\0';
			return val;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

/* ---- resp.c on its own --------------------------------------------------- */

TEST(resp_header_refuses_splitting)
{
	struct resp r;

	log_quiet = 1;
	resp_init(&r);
	is_int(r.status, 200, "resp_init sets 200");
	is_int(resp_header(&r, "X-A", "fine value"), 0, "plain header accepted");
	is_int(resp_header(&r, "X-B", "a\r\nSet-Cookie: x=1"), -1, "CRLF in value refused");
	is_int(resp_header(&r, "X-C", "a\nb"), -1, "LF in value refused");
	is_int(resp_header(&r, "X-D", "a\rb"), -1, "CR in value refused");
	is_int(resp_header(&r, "X-E\r\nX-F", "v"), -1, "CRLF in name refused");
	is_int(resp_header(&r, "X G", "v"), -1, "space in name refused");
	is_int(resp_header(&r, "X:G", "v"), -1, "colon in name refused");
	is_int(resp_header(&r, "", "v"), -1, "empty name refused");
	is_int(resp_header(&r, "X-H", ""), -1, "empty value refused");
	is_int(resp_header(&r, "X-I", "tab\tok åäö"), 0, "tab and UTF-8 in value accepted");
	is_int((int)r.nheaders, 2, "only the accepted headers are kept");
	while (r.nheaders < HTTP_MAX_HEADERS)
		resp_header(&r, "X-Fill", "1");
	is_int(resp_header(&r, "X-Over", "1"), -1, "header table full is refused");
	resp_release(&r);
	log_quiet = 0;
}

TEST(resp_redirect_same_site_only)
{
	static const struct {
		const char *to, *want;
	} cases[] = {
		{ "/risker?sida=2", "/risker?sida=2" },
		{ "/org/Malmö", "/org/Malm%C3%B6" },
		{ "//evil.example/x", "/" },
		{ "/\\evil.example", "/" },
		{ "https://evil.example/", "/" },
		{ "javascript:alert(1)", "/" },
		{ "evil", "/" },
		{ "", "/" },
		{ "/a\r\nSet-Cookie: x=1", "/" },
		{ "/\t/evil.example", "/" },
		{ "/sok?q=a b", "/sok?q=a%20b" },
	};
	struct arena a = ARENA_INIT;
	struct req q = { .cx.a = &a };

	log_quiet = 1;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct resp r;
		int n;
		resp_init(&r);
		buf_puts(&r.body, "half a page");
		resp_redirect(&q, &r, cases[i].to);
		is_int(r.status, 303, "redirect is 303");
		n = 0;
		for (size_t j = 0; j < r.nheaders; j++)
			if (strcmp(r.headers[j].name, "Location") == 0) {
				n++;
				ok(strcmp(r.headers[j].value, cases[i].want) == 0,
				   "case %zu: Location is %s", i, cases[i].want);
			}
		is_int(n, 1, "exactly one Location");
		is_int((int)r.body.len, 0, "body discarded");
		resp_redirect(&q, &r, "/second");
		is_int((int)r.nheaders, 1, "a second redirect replaces Location");
		resp_release(&r);
	}
	arena_release(&a);
	log_quiet = 0;
}

TEST(req_header_summary_hides_secrets)
{
	struct arena a = ARENA_INIT;
	struct req q = {
		.cx.a = &a, .method = "POST", .path = "/logga-in",
		.h_cookie = "sid=SECRETSESSION", .h_authorization = "Bearer SECRETTOKEN",
		.h_host = "varn.example", .remote_ip = "192.0.2.7",
	};
	const char *s = req_header_summary(&q);

	has_str(s, "POST /logga-in", "method and path");
	has_str(s, "192.0.2.7", "peer address");
	has_str(s, "cookie=yes", "says a cookie came");
	lacks_str(s, "SECRETSESSION", "cookie value not in summary");
	lacks_str(s, "SECRETTOKEN", "authorization value not in summary");
	arena_release(&a);
}

/* ---- the server ---------------------------------------------------------- */

TEST(get_query_arrives_raw)
{
	struct res res;

	if (!ok(start() == 0, "server starts on a free port"))
		return;
	ok(srv.port > 0, "on_ready reports the bound port (%d)", srv.port);
	request("GET /echo?a=1&b=%C3%A5%26x&c=a+b&d=%2F HTTP/1.1\r\n"
		"Host: t\r\nConnection: close\r\n\r\n", &res);
	is_int(res.status, 200, "GET /echo 200");
	is_str(echoed(&res, "method"), "GET", "method");
	is_str(echoed(&res, "path"), "/echo", "path has no query");
	is_str(echoed(&res, "query"), "a=1&b=%C3%A5%26x&c=a+b&d=%2F",
	       "query string arrives raw and intact");
	is_str(header(&res, "Content-Type", NULL), "text/plain; charset=utf-8",
	       "Content-Type from the app");
	buf_release(&res.raw);

	request("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_str(echoed(&res, "query"), "", "no query is \"\"");
	buf_release(&res.raw);

	request("GET /echo/%C3%A5r%20och+dag HTTP/1.1\r\nHost: t\r\n"
		"Connection: close\r\n\r\n", &res);
	is_str(echoed(&res, "path"), "/echo/år och+dag",
	       "path is %-decoded, '+' stays a '+'");
	buf_release(&res.raw);
	is_int(stop(), 0, "server_run returns 0");
}

TEST(bad_targets_are_400)
{
	static const char *targets[] = {
		"/a%2Fb",           /* an encoded separator */
		"/a%00b",           /* NUL */
		"/a%0Ab",           /* control character */
		"/a%09b",           /* tab */
		"/%FF",             /* not UTF-8 */
		"/%C0%AF",          /* overlong */
		"/a%zz",            /* bad escape */
		"/a%4",             /* truncated escape */
		"/../etc/passwd",   /* dot segments */
		"/a/%2e%2e/b",
		"/a/./b",
		"/a b",             /* raw space (MHD tolerates it) */
		"/a\x01",           /* raw control character */
		"/a#frag",
		"http://t/abs",     /* absolute form */
		"*",
	};
	struct res res;
	char req[256];

	if (!ok(start() == 0, "server starts"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(targets); i++) {
		snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
			 targets[i]);
		request(req, &res);
		if (!is_int(res.status, 400, targets[i]))
			printf("# %s\n", res.raw.p);
		buf_release(&res.raw);
	}
	request("GET /a%2Fb HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	ok(has_security_headers(&res), "400 has the security headers");
	has_str(res.body, "400 – Felaktig begäran", "400 page is in Swedish");
	has_str(res.body, "lang=\"sv\"", "400 page is marked Swedish");
	buf_release(&res.raw);

	request("G\x01T /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_int(res.status, 400, "a method that is not a token is 400");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

TEST(headers_arrive)
{
	struct res res;

	if (!ok(start() == 0, "server starts"))
		return;
	request("GET /echo HTTP/1.1\r\n"
		"Host: varn.example:8080\r\n"
		"Cookie: sid=abc; theme=x\r\n"
		"cookie: second=2\r\n"
		"Origin: https://varn.example\r\n"
		"Content-Type: text/plain\r\n"
		"Authorization: Bearer tok\r\n"
		"Accept-Language: sv-SE,sv;q=0.9\r\n"
		"Sec-Fetch-Site: same-origin\r\n"
		"If-Match: \"7\"\r\n"
		"X-Other: ignored\r\n"
		"Connection: close\r\n\r\n", &res);
	is_int(res.status, 200, "200");
	is_str(echoed(&res, "host"), "varn.example:8080", "Host");
	is_str(echoed(&res, "cookie"), "sid=abc; theme=x; second=2",
	       "Cookie (two headers joined with \"; \")");
	is_str(echoed(&res, "origin"), "https://varn.example", "Origin");
	is_str(echoed(&res, "ct"), "text/plain", "Content-Type");
	is_str(echoed(&res, "auth"), "Bearer tok", "Authorization");
	is_str(echoed(&res, "lang"), "sv-SE,sv;q=0.9", "Accept-Language");
	is_str(echoed(&res, "site"), "same-origin", "Sec-Fetch-Site");
	is_str(echoed(&res, "ifmatch"), "\"7\"", "If-Match");
	is_str(echoed(&res, "ip"), "127.0.0.1", "remote_ip");
	buf_release(&res.raw);

	request("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_str(echoed(&res, "origin"), "(null)", "absent header is NULL");
	buf_release(&res.raw);

	request("GET /echo HTTP/1.1\r\nHost: a\r\nHost: b\r\n"
		"Connection: close\r\n\r\n", &res);
	is_int(res.status, 400, "two Host headers are 400");
	buf_release(&res.raw);
	request("GET /echo HTTP/1.1\r\nHost: a\r\nOrigin: x\x01y\r\n"
		"Connection: close\r\n\r\n", &res);
	is_int(res.status, 400, "control character in a read header is 400");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

TEST(post_body_arrives_exactly)
{
	struct res res;
	struct buf req = BUF_INIT, body = BUF_INIT;
	const char *got;

	if (!ok(start() == 0, "server starts"))
		return;
	/* 60000 bytes: several reads, UTF-8, CR/LF and other bytes but NUL. */
	for (size_t i = 0; body.len < 60000; i++) {
		if (i % 97 == 0)
			buf_puts(&body, "åäö\r\n");
		else
			buf_putc(&body, (char)(1 + i % 255));
	}
	buf_truncate(&body, 60000);
	buf_printf(&req, "POST /echo HTTP/1.1\r\nHost: t\r\n"
		   "Content-Type: application/x-www-form-urlencoded\r\n"
		   "Content-Length: %zu\r\nConnection: close\r\n\r\n", body.len);
	buf_add(&req, body.p, body.len);
	request_n("127.0.0.1", srv.port, req.p, req.len, &res);
	is_int(res.status, 200, "POST 200");
	is_str(echoed(&res, "body_len"), "60000", "body_len");
	got = echoed(&res, "body");
	ok(got && memcmp(got, body.p, body.len) == 0, "body arrives byte for byte");
	buf_release(&res.raw);

	/* Chunked, within the cap. */
	request("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
		"Connection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
		&res);
	is_int(res.status, 200, "chunked POST 200");
	is_str(echoed(&res, "body"), "hello world", "chunked body reassembled");
	buf_release(&res.raw);

	/* Exactly the cap is fine. */
	request("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 16\r\n"
		"Connection: close\r\n\r\n0123456789abcdef", &res);
	is_int(res.status, 200, "body of exactly the cap is accepted");
	is_str(echoed(&res, "body"), "0123456789abcdef", "and arrives");
	buf_release(&res.raw);

	buf_release(&req);
	buf_release(&body);
	is_int(stop(), 0, "stops");
}

TEST(body_over_cap_is_413)
{
	struct res res;
	struct buf req = BUF_INIT;

	if (!ok(start() == 0, "server starts"))
		return;
	request("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n"
		"Connection: close\r\n\r\n0123456789abcdefg", &res);
	is_int(res.status, 413, "Content-Length over the route cap: 413");
	has_str(res.body, "413 – För stor begäran", "Swedish 413 page");
	ok(has_security_headers(&res), "413 has the security headers");
	buf_release(&res.raw);

	/* Announced but not sent: the 413 comes before the body. */
	request("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 100000000\r\n"
		"Expect: 100-continue\r\n\r\n", &res);
	is_int(res.status, 413, "huge Content-Length answered at once");
	lacks_str(res.raw.p, "100 Continue", "no 100 Continue for a refused body");
	buf_release(&res.raw);

	buf_puts(&req, "POST /small HTTP/1.1\r\nHost: t\r\n"
		 "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
	for (int i = 0; i < 4; i++)
		buf_puts(&req, "a\r\n0123456789\r\n");
	buf_puts(&req, "0\r\n\r\n");
	request_n("127.0.0.1", srv.port, req.p, req.len, &res);
	is_int(res.status, 413, "chunked body growing past the cap: 413");
	ok(has_security_headers(&res), "with the security headers");
	buf_release(&res.raw);

	/* a file over the largest upload: what to do instead */
	request("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n"
		"Expect: 100-continue\r\n\r\n", &res);
	is_int(res.status, 413, "a file over the server's ceiling: 413");
	has_str(res.body, "413 – För stor fil", "saying a file is too large");
	has_str(res.body, "kommandot varn import", "and that varn import takes larger files");
	buf_release(&res.raw);
	request("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n"
		"Connection: close\r\n\r\n0123456789abcdefg", &res);
	lacks_str(res.body, "varn import", "a small form's 413 does not speak of imports");
	buf_release(&res.raw);

	request("GET /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
		"Connection: close\r\n\r\nabc", &res);
	is_int(res.status, 413, "a body where none is allowed (cap 0): 413");
	buf_release(&res.raw);
	request("GET /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n"
		"Connection: close\r\n\r\n", &res);
	is_int(res.status, 200, "Content-Length: 0 where none is allowed is fine");
	buf_release(&res.raw);

	buf_release(&req);
	is_int(stop(), 0, "stops");
}

TEST(nul_in_body_is_400)
{
	static const char req[] = "POST /echo HTTP/1.1\r\nHost: t\r\n"
				  "Content-Length: 3\r\nConnection: close\r\n\r\n"
				  "a\0b";
	struct res res;

	if (!ok(start() == 0, "server starts"))
		return;
	request_n("127.0.0.1", srv.port, req, sizeof(req) - 1, &res);
	is_int(res.status, 400, "NUL byte in body: 400");
	ok(has_security_headers(&res), "with the security headers");
	has_str(res.body, "Felaktig begäran", "Swedish 400 page");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

TEST(oversized_headers_431)
{
	struct res res;
	struct buf req = BUF_INIT;

	config_defaults("127.0.0.1");
	srv.cfg.max_header_bytes = 8192;
	if (!ok(start_configured() == 0, "server starts with an 8 KiB limit"))
		return;
	buf_puts(&req, "GET /echo HTTP/1.1\r\nHost: t\r\nX-Big: ");
	for (int i = 0; i < 20000; i++)
		buf_putc(&req, 'a');
	buf_puts(&req, "\r\nConnection: close\r\n\r\n");
	request_n("127.0.0.1", srv.port, req.p, req.len, &res);
	/* libmicrohttpd answers by itself, without our headers. */
	is_int(res.status, 431, "20 KB header: libmicrohttpd answers 431");
	buf_release(&res.raw);

	buf_reset(&req);
	buf_puts(&req, "GET /echo?");
	for (int i = 0; i < 20000; i++)
		buf_putc(&req, 'a');
	buf_puts(&req, " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
	request_n("127.0.0.1", srv.port, req.p, req.len, &res);
	is_int(res.status, 414, "20 KB request line: libmicrohttpd answers 414");
	buf_release(&res.raw);

	request("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_int(res.status, 200, "server still serves afterwards");
	buf_release(&res.raw);
	buf_release(&req);
	is_int(stop(), 0, "stops");
}

TEST(head_has_no_body)
{
	struct res get, head;
	const char *len;

	if (!ok(start() == 0, "server starts"))
		return;
	request("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &get);
	request("HEAD /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &head);
	is_int(head.status, 200, "HEAD 200");
	is_int((int)head.body_len, 0, "HEAD sends no body");
	ok(has_security_headers(&head), "HEAD has the security headers");
	len = header(&head, "Content-Length", NULL);
	ok(len != NULL, "HEAD has Content-Length");
	ok(get.body_len > 0, "GET has a body");
	buf_release(&get.raw);
	buf_release(&head.raw);
	is_int(stop(), 0, "stops");
}

TEST(security_headers_everywhere)
{
	static const struct {
		const char *req;
		int status;
	} cases[] = {
		{ "GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 200 },
		{ "GET /nowhere HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 404 },
		{ "GET /go?/risker HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 303 },
		{ "POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 99\r\n"
		  "Connection: close\r\n\r\n", 413 },
		{ "GET /%00 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 400 },
	};
	struct res res;
	int n;

	if (!ok(start() == 0, "server starts"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		request(cases[i].req, &res);
		is_int(res.status, cases[i].status, "status");
		ok(has_security_headers(&res), "security headers on %d", cases[i].status);
		is_str(header(&res, "Cache-Control", NULL), "no-store", "no-store by default");
		buf_release(&res.raw);
	}
	request("GET /nowhere HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	has_str(res.body, "Sidan finns inte", "app's 404 body is sent");
	buf_release(&res.raw);

	request("GET /go?/risker HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_str(header(&res, "Location", NULL), "/risker", "Location sent");
	buf_release(&res.raw);
	request("GET /go?//evil.example HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_str(header(&res, "Location", NULL), "/", "off-site redirect goes to /");
	buf_release(&res.raw);

	request("GET /csp HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_str(header(&res, "Content-Security-Policy", &n), "default-src 'none'",
	       "the app's own CSP wins");
	is_int(n, 1, "and is not doubled");
	is_str(header(&res, "X-Frame-Options", NULL), "DENY", "others still added");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

TEST(app_header_with_crlf_refused)
{
	struct res res;

	if (!ok(start() == 0, "server starts"))
		return;
	request("GET /badheader HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_int(__atomic_load_n(&bad_header_rc, __ATOMIC_SEQ_CST), -1,
	       "resp_header returned -1");
	is_int(res.status, 200, "the response is still sent");
	is_str(header(&res, "X-Good", NULL), "yes", "the valid header is there");
	ok(header(&res, "X-Evil", NULL) == NULL, "the bad header is not");
	ok(header(&res, "Set-Cookie", NULL) == NULL, "no injected Set-Cookie");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

TEST(download_name)
{
	struct res res;

	if (!ok(start() == 0, "server starts"))
		return;
	request("GET /download HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", &res);
	is_str(header(&res, "Content-Disposition", NULL),
	       "attachment; filename=\"Rapport ___ _x_.csv\"; "
	       "filename*=UTF-8''Rapport%20%C3%A5%C3%A4%C3%B6%20%22x%22.csv",
	       "Content-Disposition with ASCII fallback and UTF-8 name");
	is_str(header(&res, "Content-Type", NULL), "text/csv; charset=utf-8",
	       "Content-Type");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

TEST(keep_alive_and_pipelining)
{
	static const char two[] =
		"GET /echo?n=1 HTTP/1.1\r\nHost: t\r\n\r\n"
		"GET /echo?n=2 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	struct res res;
	const char *second;

	if (!ok(start() == 0, "server starts"))
		return;
	request(two, &res);
	has_str(res.raw.p, "query=n=1", "first response");
	second = strstr(res.raw.p, "query=n=1");
	ok(second && strstr(second, "HTTP/1.1 200") && strstr(second, "query=n=2"),
	   "second response on the same connection");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

/* Runs fn with file descriptor fd sent to a temporary file; returns the
 * file's contents (free them). */
static char *capture_fd(int fd, void (*fn)(void))
{
	char path[] = "/tmp/varn-test-XXXXXX";
	int tmp = mkstemp(path), saved;
	struct buf b = BUF_INIT;
	char chunk[4096];
	ssize_t r;

	if (tmp < 0)
		return xstrdup("");
	unlink(path);
	fflush(stdout);
	fflush(stderr);
	saved = dup(fd);
	dup2(tmp, fd);
	fn();
	fflush(stdout);
	fflush(stderr);
	dup2(saved, fd);
	close(saved);
	lseek(tmp, 0, SEEK_SET);
	while ((r = read(tmp, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)r);
	close(tmp);
	return buf_detach(&b, NULL);
}

static int log_status;

static void serve_one_secret_request(void)
{
	struct res res;

	log_status = -1;
	if (start() != 0)
		return;
	request("GET /echo?token=SECRETQUERY HTTP/1.1\r\nHost: t\r\n"
		"Cookie: sid=SECRETCOOKIE\r\nAuthorization: Bearer SECRETAUTH\r\n"
		"Connection: close\r\n\r\n", &res);
	log_status = res.status;
	buf_release(&res.raw);
	stop(); /* the log line is written when the request completes */
}

TEST(access_log_hides_secrets)
{
	char *log = capture_fd(2, serve_one_secret_request);

	is_int(log_status, 200, "request served");
	has_str(log, "GET /echo 200 ", "one access log line: method, path, status");
	has_str(log, "ms", "with the time taken");
	lacks_str(log, "SECRETQUERY", "no query string in the log");
	lacks_str(log, "SECRETCOOKIE", "no cookie in the log");
	lacks_str(log, "SECRETAUTH", "no Authorization in the log");
	free(log);
}

static void *slow_client(void *arg)
{
	struct res *res = arg;

	request("GET /slow HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", res);
	return NULL;
}

TEST(stop_lets_request_in_flight_finish)
{
	struct res res;
	pthread_t client;
	struct timespec until, t0, t1;
	int entered, port, fd;
	long ms;

	if (!ok(start() == 0, "server starts"))
		return;
	port = srv.port;
	slow_entered = 0;
	pthread_create(&client, NULL, slow_client, &res);
	deadline_in(&until, 5000);
	pthread_mutex_lock(&slow_lock);
	while (!slow_entered)
		if (pthread_cond_timedwait(&slow_cond, &slow_lock, &until) != 0)
			break;
	entered = slow_entered;
	pthread_mutex_unlock(&slow_lock);
	ok(entered, "slow handler is running");

	clock_gettime(CLOCK_MONOTONIC, &t0);
	is_int(stop(), 0, "server_run returns 0 after server_stop()");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ok(ms >= 300, "server_run waited for the request (%ld ms)", ms);
	pthread_join(client, NULL);
	is_int(res.status, 200, "request in flight got its answer");
	is_str(res.body, "slow done", "complete body");
	buf_release(&res.raw);

	fd = connect_to("127.0.0.1", port);
	ok(fd < 0, "new connections are refused once stopped");
	if (fd >= 0)
		close(fd);
}

TEST(sigterm_stops)
{
	struct sigaction now;

	if (!ok(start() == 0, "server starts"))
		return;
	kill(getpid(), SIGTERM);
	pthread_join(srv.thread, NULL);
	is_int(srv.rc, 0, "a real SIGTERM makes server_run return 0");
	sigaction(SIGTERM, NULL, &now);
	ok(now.sa_handler == SIG_DFL, "SIGTERM's old disposition is restored");
}

TEST(ipv6_literal)
{
	struct res res;
	int probe = socket(AF_INET6, SOCK_STREAM, 0);
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };

	if (probe < 0 || bind(probe, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (probe >= 0)
			close(probe);
		ok(1, "# SKIP no IPv6 loopback here");
		return;
	}
	close(probe);
	config_defaults("[::1]");
	if (!ok(start_configured() == 0, "server starts on [::1]"))
		return;
	request_n("::1", srv.port,
		  "GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
		  strlen("GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
		  &res);
	is_int(res.status, 200, "GET over IPv6");
	is_str(echoed(&res, "ip"), "::1", "remote_ip is ::1");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

TEST(start_failures)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	log_quiet = 1;
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	bind(fd, (struct sockaddr *)&a, sizeof(a));
	listen(fd, 1);
	getsockname(fd, (struct sockaddr *)&a, &len);
	config_defaults("127.0.0.1");
	srv.cfg.port = ntohs(a.sin_port);
	is_int(server_run(NULL, &srv.cfg), 1, "port in use: server_run returns 1");
	close(fd);

	config_defaults("varn.example");
	is_int(server_run(NULL, &srv.cfg), 1, "a host name is refused");
	config_defaults("127.0.0.1");
	srv.cfg.port = 70000;
	is_int(server_run(NULL, &srv.cfg), 1, "port out of range is refused");
	log_quiet = 0;
	server_stop(); /* no server: a no-op */
	ok(1, "server_stop without a server is harmless");
}

static int ready_port, ready_status;

/* Without on_ready, the server prints the line the black-box tests wait
 * for; parse the port from it. */
static void serve_with_ready_line(void)
{
	static const char get[] =
		"GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

	config_defaults("127.0.0.1");
	srv.cfg.on_ready = NULL;
	srv.ready = srv.done = 0;
	ready_port = ready_status = 0;
	if (pthread_create(&srv.thread, NULL, server_thread, NULL) != 0)
		return;
	/* Poll the file behind stdout until the line is there (pread: the
	 * shared file offset stays where the server writes). */
	for (int i = 0; i < 500 && !ready_port; i++) {
		char line[128];
		ssize_t n;
		usleep(10000);
		n = pread(1, line, sizeof(line) - 1, 0);
		if (n <= 0)
			continue;
		line[n] = '\0';
		if (strchr(line, '\n'))
			sscanf(line, "varn: serving on http://127.0.0.1:%d", &ready_port);
	}
	if (ready_port) {
		struct res res;
		request_n("127.0.0.1", ready_port, get, sizeof(get) - 1, &res);
		ready_status = res.status;
		buf_release(&res.raw);
	}
	server_stop();
	pthread_join(srv.thread, NULL);
}

TEST(ready_line_on_stdout)
{
	char *out = capture_fd(1, serve_with_ready_line);

	ok(strncmp(out, "varn: serving on http://127.0.0.1:", 34) == 0,
	   "stdout starts with the ready line");
	ok(ready_port > 0, "the line has the bound port (%d)", ready_port);
	is_int(ready_status, 200, "a request to that port is served");
	is_int(srv.rc, 0, "server_run returned 0");
	free(out);
}

/* ---- slow clients, client addresses and their limits -------------------- */

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Whether the server has closed fd (end of stream or reset), without
 * waiting. */
static int closed_by_server(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char tmp[512];
	ssize_t r;

	if (poll(&p, 1, 0) <= 0)
		return 0;
	r = recv(fd, tmp, sizeof(tmp), MSG_DONTWAIT);
	return r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

/* Opens n connections from src that each send a request line and part of
 * a header, and no more.  fds[i] is -1 where connect() itself failed. */
static void open_slow(const char *src, int *fds, int n)
{
	static const char part[] = "GET /echo HTTP/1.1\r\nHost: t\r\nX-Slow: a";

	for (int i = 0; i < n; i++) {
		fds[i] = connect_from(src, "127.0.0.1", srv.port);
		if (fds[i] >= 0)
			send_all(fds[i], part, sizeof(part) - 1);
	}
}

/* How many of fds the server keeps open, once closes that are under way
 * have arrived (checked until nothing changes for a second, at most
 * 5 s).  Closed ones are closed here too and set to -1. */
static int still_open(int *fds, int n)
{
	struct timespec t0, quiet;
	int open = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_MONOTONIC, &quiet);
	while (ms_since(&t0) < 5000 && ms_since(&quiet) < 1000) {
		usleep(50 * 1000);
		for (int i = 0; i < n; i++)
			if (fds[i] >= 0 && closed_by_server(fds[i])) {
				close(fds[i]);
				fds[i] = -1;
				clock_gettime(CLOCK_MONOTONIC, &quiet);
			}
	}
	for (int i = 0; i < n; i++)
		open += fds[i] >= 0;
	return open;
}

static void close_all(int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

#define SLOW_CLIENTS 300

/* Proves: 300 slowloris connections from one address (request line and
 * part of a header, then nothing) hold at most the per-client limit of
 * connections, the rest are refused at once, and a normal request from
 * another address is answered at once.  Before the limit, the slow ones
 * filled all 256 connections and the normal request waited for
 * libmicrohttpd's 30 s inactivity time-out (for ever if they trickled). */
TEST(slowloris_from_one_address_does_not_stall_others)
{
	static const char get[] =
		"GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	int fds[SLOW_CLIENTS], open;
	struct timespec t0;
	struct res res;
	long ms;

	config_defaults("127.0.0.1");
	srv.cfg.max_connections = 0;  /* the default: 256 */
	srv.cfg.max_per_client = 0;   /* the default: 32 */
	srv.cfg.header_timeout = 120; /* here only the limit is at work */
	if (!ok(start_configured() == 0, "server starts with the default limits"))
		return;
	open_slow("127.0.0.1", fds, SLOW_CLIENTS);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	request_from("127.0.0.2", "127.0.0.1", srv.port, get, sizeof(get) - 1,
		     &res);
	ms = ms_since(&t0);
	is_int(res.status, 200, "a normal request from 127.0.0.2 is answered");
	ok(ms < 5000, "within 5 s while 300 slow connections are open (%ld ms)", ms);
	is_str(echoed(&res, "ip"), "127.0.0.2", "and comes from 127.0.0.2");
	buf_release(&res.raw);

	open = still_open(fds, SLOW_CLIENTS);
	ok(open <= 32, "at most 32 of the 300 slow connections are kept (%d)", open);
	ok(open > 0, "slow clients are not refused below the limit (%d kept)", open);

	request_from("127.0.0.1", "127.0.0.1", srv.port, get, sizeof(get) - 1,
		     &res);
	is_int(res.status, 0, "the slow address gets no further connection");
	buf_release(&res.raw);
	close_all(fds, SLOW_CLIENTS);
	usleep(200 * 1000); /* the server sees the closes */
	request_from("127.0.0.1", "127.0.0.1", srv.port, get, sizeof(get) - 1,
		     &res);
	is_int(res.status, 200, "once they are closed, it is served again");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

/* Proves: connections that trickle their headers (a byte every 300 ms, so
 * the inactivity time-out never fires) are closed once header_timeout has
 * passed since they opened, and so is an idle keep-alive connection after
 * its response; a request sent in time is answered meanwhile. */
TEST(slow_headers_are_closed_after_the_header_timeout)
{
	static const char get[] =
		"GET /echo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	static const char keep[] = "GET /echo HTTP/1.1\r\nHost: t\r\n\r\n";
	enum { N = 5 };
	int fds[N], open = N, early = 0, fd;
	struct timespec t0;
	struct res res;
	long ms = 0;

	config_defaults("127.0.0.1");
	srv.cfg.header_timeout = 2;
	srv.cfg.connection_timeout = 30;
	if (!ok(start_configured() == 0, "server starts with a 2 s header time-out"))
		return;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	open_slow("127.0.0.1", fds, N);
	request_from("127.0.0.2", "127.0.0.1", srv.port, get, sizeof(get) - 1,
		     &res);
	is_int(res.status, 200, "a request sent at once is answered meanwhile");
	buf_release(&res.raw);
	while (open > 0 && ms_since(&t0) < 10000) {
		usleep(300 * 1000);
		for (int i = 0; i < N; i++) {
			if (fds[i] < 0)
				continue;
			if (closed_by_server(fds[i])) {
				early += ms_since(&t0) < 1000;
				close(fds[i]);
				fds[i] = -1;
				open--;
				ms = ms_since(&t0);
			} else {
				send_all(fds[i], "a", 1);
			}
		}
	}
	is_int(open, 0, "every trickling connection is closed");
	ok(ms < 8000, "within 8 s of opening with a 2 s time-out (last at %ld ms)", ms);
	is_int(early, 0, "none before 1 s: it is the time-out, not something else");
	close_all(fds, N);

	/* Keep-alive: the answer, then nothing; the server ends it. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	buf_init(&res.raw, 0);
	fd = connect_to("127.0.0.1", srv.port);
	send_all(fd, keep, sizeof(keep) - 1);
	read_all(fd, &res.raw); /* until the server closes (SO_RCVTIMEO 10 s) */
	close(fd);
	ms = ms_since(&t0);
	res_parse(&res);
	is_int(res.status, 200, "a keep-alive request is answered");
	ok(ms >= 1000 && ms < 8000,
	   "its idle connection is closed after the header time-out (%ld ms)", ms);
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

/* Proves: a request whose headers came in time but whose body trickles is
 * cut off body_timeout after its headers, before the application sees it
 * (no answer at all), however steadily the bytes come. */
TEST(slow_body_is_closed_after_the_body_timeout)
{
	static const char head[] = "POST /echo HTTP/1.1\r\nHost: t\r\n"
				   "Content-Length: 100\r\n\r\n";
	struct timespec t0;
	struct res res;
	int fd, closed = 0;
	long ms = 0;

	config_defaults("127.0.0.1");
	srv.cfg.header_timeout = 2;
	srv.cfg.body_timeout = 2;
	if (!ok(start_configured() == 0, "server starts with a 2 s body time-out"))
		return;
	fd = connect_to("127.0.0.1", srv.port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	send_all(fd, head, sizeof(head) - 1);
	buf_init(&res.raw, 0);
	for (int i = 0; i < 33 && !closed; i++) { /* at most 99 of 100 bytes */
		usleep(300 * 1000);
		closed = closed_by_server(fd);
		if (!closed)
			send_all(fd, "x", 1);
	}
	ms = ms_since(&t0);
	ok(closed, "the trickling body's connection is closed (after %ld ms)", ms);
	ok(ms >= 1000 && ms < 8000, "after the 2 s body time-out, within 8 s");
	close(fd);
	request("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n"
		"Connection: close\r\n\r\nabc", &res);
	is_int(res.status, 200, "a body sent at once is still taken");
	is_str(echoed(&res, "body"), "abc", "and arrives");
	buf_release(&res.raw);
	is_int(stop(), 0, "stops");
}

/* Lets the /hold handlers finish (go = 1), or makes the next ones wait. */
static void let_holds_go(int go)
{
	pthread_mutex_lock(&hold_lock);
	hold_open = go;
	pthread_cond_broadcast(&hold_cond);
	pthread_mutex_unlock(&hold_lock);
}

static void *hold_direct(void *arg)
{
	struct res *res = arg;
	static const char req[] =
		"GET /hold HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";

	request_n("127.0.0.1", srv.port, req, sizeof(req) - 1, res);
	return NULL;
}

/* Proves: the header time-out judges the client, not the server: a
 * request sent in time on a kept-alive connection whose only worker
 * thread is busy with a long request (3 s, time-out 2 s) waits and is
 * answered, rather than being closed as too slow.  (The time-out leaves
 * 2 s between the first answer and the second request's sending: with
 * 1 s a loaded machine starting the long request's thread took it all.) */
TEST(header_timeout_spares_requests_the_server_has_not_read)
{
	static const char keep[] = "GET /echo?n=1 HTTP/1.1\r\nHost: t\r\n\r\n";
	static const char last[] = "GET /echo?n=2 HTTP/1.1\r\nHost: t\r\n"
				   "Connection: close\r\n\r\n";
	struct timespec until;
	struct res first, held;
	pthread_t holder;
	char tmp[4096];
	ssize_t r;
	int fd, entered;

	config_defaults("127.0.0.1");
	srv.cfg.threads = 1; /* one worker: a long request blocks it */
	srv.cfg.header_timeout = 2;
	if (!ok(start_configured() == 0, "server starts with one thread, 2 s header time-out"))
		return;
	fd = connect_to("127.0.0.1", srv.port);
	send_all(fd, keep, sizeof(keep) - 1);
	r = recv(fd, tmp, sizeof(tmp) - 1, 0);
	tmp[r > 0 ? r : 0] = '\0';
	ok(strstr(tmp, "query=n=1") != NULL,
	   "a first request on a kept-alive connection");

	pthread_mutex_lock(&hold_lock);
	hold_entered = 0;
	pthread_mutex_unlock(&hold_lock);
	pthread_create(&holder, NULL, hold_direct, &held);
	deadline_in(&until, 5000);
	pthread_mutex_lock(&hold_lock);
	while (!hold_entered)
		if (pthread_cond_timedwait(&hold_cond, &hold_lock, &until) != 0)
			break;
	entered = hold_entered;
	pthread_mutex_unlock(&hold_lock);
	ok(entered, "a long request occupies the worker");
	send_all(fd, last, sizeof(last) - 1); /* complete, and in time */
	sleep(3);
	let_holds_go(1);
	pthread_join(holder, NULL);
	let_holds_go(0);
	buf_init(&first.raw, 0);
	read_all(fd, &first.raw);
	close(fd);
	res_parse(&first);
	is_int(first.status, 200, "the request sent meanwhile is answered");
	has_str(first.raw.p, "query=n=2", "it is the second request");
	is_int(held.status, 200, "and so is the long one");
	buf_release(&first.raw);
	buf_release(&held.raw);
	is_int(stop(), 0, "stops");
}

/* GET /echo from src with the given X-Forwarded-For lines (each a full
 * "X-Forwarded-For: ..." header, or "" for none); the address the
 * application saw, in a static buffer. */
static const char *seen_ip(const char *src, const char *xff)
{
	static char ip[64];
	struct buf req = BUF_INIT;
	struct res res;
	const char *got;

	buf_printf(&req, "GET /echo HTTP/1.1\r\nHost: t\r\n%sConnection: close\r\n\r\n",
		   xff);
	request_from(src, "127.0.0.1", srv.port, req.p, req.len, &res);
	got = res.status == 200 ? echoed(&res, "ip") : NULL;
	snprintf(ip, sizeof(ip), "%s", got ? got : "(no answer)");
	buf_release(&res.raw);
	buf_release(&req);
	return ip;
}

/* Proves: X-Forwarded-For is believed only from a trusted proxy, and then
 * read from the right past trusted hops, so the client cannot choose its
 * address by sending the header itself; from anyone else it is ignored. */
TEST(forwarded_for_only_from_trusted_proxies)
{
	static const struct {
		const char *xff, *want, *why;
	} cases[] = {
		{ "X-Forwarded-For: 203.0.113.5\r\n", "203.0.113.5",
		  "the proxy's client" },
		{ "X-Forwarded-For: 198.51.100.1, 203.0.113.5\r\n", "203.0.113.5",
		  "the right-most untrusted item, not what the client wrote" },
		{ "X-Forwarded-For: 203.0.113.5, 10.1.2.3\r\n", "203.0.113.5",
		  "past a trusted hop (10.0.0.0/8)" },
		{ "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-For: 203.0.113.5\r\n",
		  "203.0.113.5", "two headers are one list" },
		{ "X-Forwarded-For: 10.0.0.1,10.0.0.2\r\n", "10.0.0.1",
		  "all trusted: the left-most" },
		{ "X-Forwarded-For: 2001:db9::5, 2001:db8::7\r\n", "2001:db9::5",
		  "IPv6, past a trusted IPv6 hop" },
		{ "X-Forwarded-For: [2001:db9::5]:4711\r\n", "2001:db9::5",
		  "IPv6 with brackets and port" },
		{ "X-Forwarded-For: 203.0.113.5:8080\r\n", "203.0.113.5",
		  "IPv4 with port" },
		{ "X-Forwarded-For: ::ffff:203.0.113.5\r\n", "203.0.113.5",
		  "IPv4-mapped IPv6 is IPv4" },
		{ "X-Forwarded-For: nonsense, 203.0.113.5\r\n", "203.0.113.5",
		  "junk left of the client is the client's own business" },
		{ "X-Forwarded-For: 203.0.113.5, nonsense\r\n", "127.0.0.1",
		  "junk where a proxy should have written: the proxy's address" },
		{ "X-Forwarded-For: \r\n", "127.0.0.1", "an empty header: the proxy" },
		{ "", "127.0.0.1", "no header: the proxy itself" },
	};

	config_defaults("127.0.0.1");
	srv.cfg.trusted_proxies = " 127.0.0.1, 10.0.0.0/8,2001:db8::/32 ";
	if (!ok(start_configured() == 0, "server starts with three trusted proxies"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		is_str(seen_ip("127.0.0.1", cases[i].xff), cases[i].want,
		       cases[i].why);
	is_str(seen_ip("127.0.0.2", "X-Forwarded-For: 203.0.113.5\r\n"),
	       "127.0.0.2", "from an untrusted peer the header is ignored");
	is_str(seen_ip("127.0.0.2", "X-Forwarded-For: 127.0.0.1\r\n"),
	       "127.0.0.2", "even when it names a trusted proxy");
	is_int(stop(), 0, "stops");

	config_defaults("127.0.0.1");
	if (!ok(start_configured() == 0, "server starts without trusted proxies"))
		return;
	is_str(seen_ip("127.0.0.1", "X-Forwarded-For: 203.0.113.5\r\n"),
	       "127.0.0.1", "no trusted proxy: the header is ignored");
	is_int(stop(), 0, "stops");

	log_quiet = 1;
	config_defaults("127.0.0.1");
	srv.cfg.trusted_proxies = "127.0.0.1, proxy.example";
	is_int(server_run(NULL, &srv.cfg), 1, "a host name in the list: refused");
	srv.cfg.trusted_proxies = "10.0.0.0/33";
	is_int(server_run(NULL, &srv.cfg), 1, "a prefix too long: refused");
	srv.cfg.trusted_proxies = "127.0.0.1,,10.0.0.1";
	is_int(server_run(NULL, &srv.cfg), 1, "an empty item: refused");
	srv.cfg.trusted_proxies = "::ffff:10.0.0.0/104";
	is_int(server_run(NULL, &srv.cfg), 1, "an IPv4-mapped prefix: refused");
	log_quiet = 0;
}

/* Proves: Forwarded (RFC 7239) is read like X-Forwarded-For, only from a
 * trusted proxy and from the right; quoted IPv6 with a port, several
 * elements and pairs, "unknown" and obfuscated names where the proxy
 * should have written make the request the proxy's own; a trusted proxy
 * that sends Forwarded is read by it, not by X-Forwarded-For. */
TEST(forwarded_header_from_trusted_proxies)
{
	static const struct {
		const char *hdr, *want, *why;
	} cases[] = {
		{ "Forwarded: for=203.0.113.5\r\n", "203.0.113.5", "the proxy's client" },
		{ "Forwarded: for=198.51.100.1, for=203.0.113.5;proto=https\r\n", "203.0.113.5",
		  "the right-most untrusted element, pairs after for= ignored" },
		{ "Forwarded: for=203.0.113.5;by=10.1.2.3, for=10.1.2.3\r\n", "203.0.113.5",
		  "past a trusted hop" },
		{ "Forwarded: For=\"[2001:db9::5]:4711\"\r\n", "2001:db9::5",
		  "quoted IPv6 with a port, the key in any case" },
		{ "Forwarded: proto=https;for=\"203.0.113.5:8080\";host=varn.example\r\n",
		  "203.0.113.5", "for= among other pairs, quoted with a port" },
		{ "Forwarded: for=203.0.113.9\r\nForwarded: for=203.0.113.5\r\n", "203.0.113.5",
		  "two headers are one list" },
		{ "Forwarded: for=unknown\r\n", "127.0.0.1", "unknown: the proxy's own" },
		{ "Forwarded: for=_hidden\r\n", "127.0.0.1", "an obfuscated name: the proxy's own" },
		{ "Forwarded: for=\"203.0.113.5\r\n", "127.0.0.1", "an open quote: the proxy's own" },
		{ "Forwarded: nonsense\r\n", "127.0.0.1", "no pair at all: the proxy's own" },
		{ "Forwarded: for=203.0.113.5\r\nX-Forwarded-For: 198.51.100.7\r\n", "203.0.113.5",
		  "Forwarded wins over X-Forwarded-For" },
	};

	config_defaults("127.0.0.1");
	srv.cfg.trusted_proxies = "127.0.0.1, 10.0.0.0/8";
	if (!ok(start_configured() == 0, "server starts with trusted proxies"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		is_str(seen_ip("127.0.0.1", cases[i].hdr), cases[i].want, cases[i].why);
	is_str(seen_ip("127.0.0.2", "Forwarded: for=203.0.113.5\r\n"), "127.0.0.2",
	       "from an untrusted peer Forwarded is ignored");
	is_int(stop(), 0, "stops");
}

struct held {
	pthread_t thread;
	char req[256];
	struct res res;
};

static void *held_request(void *arg)
{
	struct held *h = arg;

	request_from("127.0.0.1", "127.0.0.1", srv.port, h->req, strlen(h->req),
		     &h->res);
	return NULL;
}

/* Starts GET /hold for the forwarded client xff through the proxy
 * 127.0.0.1 and waits until its handler runs (so the next connection
 * goes to another worker thread); 0, or -1 when it did not get there. */
static int hold_for(struct held *h, const char *xff)
{
	struct timespec until;
	int before, now;

	snprintf(h->req, sizeof(h->req), "GET /hold HTTP/1.1\r\nHost: t\r\n"
		 "X-Forwarded-For: %s\r\nConnection: close\r\n\r\n", xff);
	pthread_mutex_lock(&hold_lock);
	before = hold_entered;
	pthread_mutex_unlock(&hold_lock);
	if (pthread_create(&h->thread, NULL, held_request, h) != 0)
		return -1;
	deadline_in(&until, 5000);
	pthread_mutex_lock(&hold_lock);
	while (hold_entered == before)
		if (pthread_cond_timedwait(&hold_cond, &hold_lock, &until) != 0)
			break;
	now = hold_entered;
	pthread_mutex_unlock(&hold_lock);
	return now > before ? 0 : -1;
}

static void release_holds(struct held *h, int n)
{
	let_holds_go(1);
	for (int i = 0; i < n; i++)
		pthread_join(h[i].thread, NULL);
	let_holds_go(0);
}

static int status_via_proxy(const char *method, const char *xff,
			    const char **retry_after)
{
	static char retry[16];
	char req[256];
	struct res res;
	const char *h;
	int status;

	/* A body is announced but not sent: a refusal must come before it. */
	snprintf(req, sizeof(req), "%s /echo HTTP/1.1\r\nHost: t\r\n"
		 "X-Forwarded-For: %s\r\n%sConnection: close\r\n\r\n", method,
		 xff, strcmp(method, "POST") == 0 ? "Content-Length: 10\r\n" : "");
	request_from("127.0.0.1", "127.0.0.1", srv.port, req, strlen(req), &res);
	status = res.status;
	h = header(&res, "Retry-After", NULL);
	snprintf(retry, sizeof(retry), "%s", h ? h : "(none)");
	if (retry_after)
		*retry_after = retry;
	if (status == 429) {
		ok(has_security_headers(&res), "429 has the security headers");
		has_str(res.body, "För många förfrågningar", "Swedish 429 page");
	}
	buf_release(&res.raw);
	return status;
}

/* Proves: behind a trusted proxy, the limit on requests in progress
 * applies to each forwarded client, not to the proxy: with a limit of 2,
 * a client's third concurrent request gets 429 with Retry-After before
 * its body is read, while another client through the same proxy is
 * served and the proxy holds more connections than the limit; IPv6
 * clients count per /64; a finished request frees its place. */
TEST(forwarded_client_limit_is_per_client)
{
	static const struct {
		const char *a, *b, *same, *other;
	} rounds[] = {
		{ "203.0.113.5", "203.0.113.5", "203.0.113.5", "203.0.113.6" },
		{ "2001:db9:0:1::a", "2001:db9:0:1::b", "2001:db9:0:1::c",
		  "2001:db9:0:2::a" },
	};
	struct held h[2];
	const char *retry;

	config_defaults("127.0.0.1");
	srv.cfg.trusted_proxies = "127.0.0.1";
	srv.cfg.max_per_client = 2;
	srv.cfg.threads = 4;
	if (!ok(start_configured() == 0, "server starts: proxy 127.0.0.1, limit 2"))
		return;
	for (size_t i = 0; i < ARRAY_SIZE(rounds); i++) {
		int held_ok = hold_for(&h[0], rounds[i].a) == 0;

		held_ok = hold_for(&h[1], rounds[i].b) == 0 && held_ok;
		if (!ok(held_ok, "two requests of %s are in progress", rounds[i].a)) {
			release_holds(h, 2);
			break;
		}
		is_int(status_via_proxy("GET", rounds[i].same, &retry), 429,
		       "a third request of the same client: 429");
		is_str(retry, "5", "with Retry-After: 5");
		is_int(status_via_proxy("POST", rounds[i].same, NULL), 429,
		       "a POST gets its 429 without sending its body");
		is_int(status_via_proxy("GET", rounds[i].other, NULL), 200,
		       "another client through the same proxy is served");
		is_str(seen_ip("127.0.0.2", ""), "127.0.0.2",
		       "and so is a direct client");
		release_holds(h, 2);
		is_int(h[0].res.status, 200, "the held requests finish");
		is_int(h[1].res.status, 200, "both");
		is_str(echoed(&h[0].res, "ip"), rounds[i].a, "as the forwarded client");
		buf_release(&h[0].res.raw);
		buf_release(&h[1].res.raw);
		is_int(status_via_proxy("GET", rounds[i].same, NULL), 200,
		       "then the client is served again");
	}
	is_int(stop(), 0, "stops");
}

int main(void)
{
	return tap_run();
}
