/* http.h - a request and its response, independent of libmicrohttpd.
 *
 * http/server.c is the only file that knows libmicrohttpd: it fills a
 * struct req, calls app_handle(), and sends the struct resp.  Everything
 * else (router, pages, API) works on these structs, so the in-process HTTP
 * tests drive the real router without a socket (tests/http/).
 *
 * Ownership: everything a request points at lives in req->a (its arena) or
 * in the server's connection state, and dies when the response is sent.
 */
#ifndef VARN_HTTP_H
#define VARN_HTTP_H

#include "../base/base.h"
#include "../parse/form.h"
#include "../core/ctx.h" /* the struct only: a request carries a context */

#define HTTP_MAX_HEADERS 24

struct app;
struct db;
struct route;
struct session;
struct org_ctx;

struct req {
	/* The context domain code runs in (core/ctx.h): cx.a is the request's
	 * arena (set by the server), cx.db its pooled connection, cx.org the
	 * organisation from {org}, cx.lang its language; the pipeline fills
	 * the actor once the session is known.  Pages pass &q->cx to the
	 * engine; nothing below the page layer sees the request. */
	struct ctx cx;
	struct app *app;
	const char *method;      /* "GET", "POST", "HEAD", ... */
	/* The server answers 400 itself, before app_handle, for a request
	 * target that does not start with '/', has raw spaces or control
	 * characters, a bad %-escape, or whose decoded path is not valid
	 * UTF-8 or holds NUL, a control character, %2F or a "." / ".."
	 * segment.  So path is clean text and its '/'s are real separators. */
	const char *path;        /* decoded path, no query */
	const char *query;       /* raw query string (still %-encoded) or "" */
	const char *body;        /* NUL-terminated; may contain no NULs (checked) */
	size_t body_len;
	/* Request headers Värn reads (NULL when absent). */
	const char *h_cookie, *h_origin, *h_host, *h_content_type;
	const char *h_authorization, *h_accept_language, *h_sec_fetch_site;
	const char *h_if_match;
	/* The client's address as text: the peer's, or, when the peer is a
	 * trusted proxy (server_config.trusted_proxies), the one its
	 * X-Forwarded-For names.  The sign-in throttle, sessions and the
	 * audit trail record this. */
	const char *remote_ip;

	/* Set by the router. */
	const struct route *route;
	const char *pathv[8];    /* values of {...} segments, in order */
	size_t npathv;
	struct form query_form;  /* only declared parameters survive */
	struct form body_form;
	struct session *sess;    /* signed-in session, or NULL */
	int is_api;
	int csrf_refused;        /* refused for a missing or wrong CSRF token
				    or Origin (the error page says so) */
	/* Set by req_fail() (web/router.h): 0, or the status (500, 503) that
	 * replaces whatever the handler wrote. */
	int failed;
	/* The e-mail addresses of the organisation's people with a protected
	 * identity, loaded once by the audit trail's pages when the viewer
	 * has no need to know them (web/pages_audit.c), NULL-terminated. */
	const char **protected_actors;
	/* The signed-in user's organisations with their roles (without the
	 * units below a unit's role), read once per request by the pipeline
	 * or the first page part that asks (web/app.c app_user_orgs). */
	const struct org_ctx *user_orgs;
	size_t n_user_orgs;
	/* What the page parts read once per request: the first page of
	 * choices of each register a picker offers (web/parts.c). */
	struct parts_cache *parts_cache;
};

struct http_header {
	const char *name;
	const char *value;
};

struct resp {
	int status;
	const char *content_type;
	struct buf body;
	struct http_header headers[HTTP_MAX_HEADERS];
	size_t nheaders;
	const char *download_name;   /* Content-Disposition: attachment */
};

void resp_init(struct resp *r);
void resp_release(struct resp *r);
/* Adds a header; refuses (returns -1, logs) names or values containing CR,
 * LF or NUL, so no response splitting is possible.  name and value must
 * outlive the response (literals or the request's arena). */
int resp_header(struct resp *r, const char *name, const char *value);
void resp_redirect(struct req *q, struct resp *r, const char *location); /* 303 */
const char *req_header_summary(const struct req *q); /* for logs */

/* The application entry point (web/app.c). */
void app_handle(struct app *app, struct req *q, struct resp *r);

/* The server (http/server.c).  One server per process (server_stop() and the
 * signal handlers reach it through a static). */
struct server_config {
	const char *listen_host;   /* "127.0.0.1", "::1" or "[::1]"; numeric
				      only ("localhost" means 127.0.0.1) */
	int port;                  /* 8080; 0 = any free port (see on_ready) */
	int threads;               /* worker threads (pool); < 2 = one thread */
	unsigned max_connections;  /* 0 = 256 */
	/* One client may have at most this many (0 = 32) connections open,
	 * unless it is a trusted proxy (more are closed as soon as they are
	 * accepted), and this many requests in progress, counted by the
	 * address in remote_ip, so also per client behind a proxy (more are
	 * answered 429 with Retry-After before their body is read).  IPv6
	 * clients count per /64. */
	unsigned max_per_client;
	/* Peers whose X-Forwarded-For names the client: "ADDR[/BITS]" items
	 * separated by commas (spaces allowed), numeric only; NULL or "" =
	 * none.  server_run refuses to start on a list it cannot parse. */
	const char *trusted_proxies;
	unsigned connection_timeout; /* seconds of inactivity; 0 = 30 */
	/* Slow clients: a request's line and headers must be complete within
	 * header_timeout seconds (0 = 10) of the connection's start or of the
	 * previous response on it, and its body within body_timeout seconds
	 * (0 = 60) of its headers; else the connection is closed.  The
	 * inactivity time-out alone would let a client that sends a byte now
	 * and then hold its connection for ever. */
	unsigned header_timeout;
	unsigned body_timeout;
	size_t max_header_bytes;   /* per-connection memory limit: request
				      line + headers must fit (0 = 32 KiB);
				      libmicrohttpd answers 431 (414 for a
				      long URI) itself when they do not */
	size_t max_body_bytes;     /* absolute cap; routes may set less
				      (0 = 8 MiB) */
	unsigned drain_seconds;    /* on stop, wait this long for requests in
				      flight (0 = 10) */
	/* Called once the socket listens, with the bound port (useful with
	 * port 0).  When NULL, server_run prints instead the one line
	 * "varn: serving on http://HOST:PORT" to stdout (and flushes), which
	 * the black-box tests wait for. */
	void (*on_ready)(void *arg, int port);
	void *ready_arg;
};
/* Serves until SIGTERM/SIGINT (or server_stop()), then stops accepting,
 * finishes requests in flight (at most drain_seconds) and returns 0;
 * returns 1 when it cannot start (bad address, port in use). */
int server_run(struct app *app, const struct server_config *cfg);
/* Takes the same path as SIGTERM: makes server_run stop as above.
 * Async-signal-safe; a no-op when no server is running. */
void server_stop(void);
/* Body cap for a method+path before the body is read (router lookup). */
size_t app_body_limit(struct app *app, const char *method, const char *path);

#endif
