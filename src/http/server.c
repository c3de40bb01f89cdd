/* server.c - the one file that knows libmicrohttpd.
 *
 * libmicrohttpd (MHD, Debian's 0.9.75) does the sockets, HTTP parsing and
 * limits (connections, per-IP, inactivity, header memory).  This file turns
 * one MHD request into a struct req, calls app_handle(), and sends the
 * struct resp back with the security headers every page needs.
 *
 * A request's life, and who owns what:
 *
 *   on_uri()        MHD has read the request line.  We allocate the
 *                   request's state (struct conn_req, with its arena) and
 *                   keep a copy of the raw target, query and all: MHD
 *                   splits and decodes it right after this callback, and
 *                   we want both the undecoded query and our own, stricter
 *                   decoding of the path.
 *   on_request()    called first with the headers (we validate the target,
 *                   method and headers and learn the route's body cap), then
 *                   once per piece of body, then once more at the end (we
 *                   call the application and queue its response).
 *   on_completed()  the response is sent or the connection died: we write
 *                   the access log line and free everything.
 *
 * MHD lets a response be queued only before the body is read or after all
 * of it is, so a body that announces a length over the cap gets its 413 at
 * once (MHD then closes the connection without reading it), while a chunked
 * body that grows past the cap is read and discarded, up to DRAIN_MAX more,
 * and answered with 413 at its end; one that keeps going is cut off.
 *
 * Shutdown: SIGTERM, SIGINT and server_stop() write a byte to a pipe that
 * server_run() waits on (a self-pipe rather than sigwait(), because sigwait
 * needs the signals blocked in every thread of the process, including
 * threads started before us and test harness threads).  Then the listening
 * socket is closed (MHD_quiesce_daemon), requests in flight are counted down
 * to zero (at most drain_seconds), and the daemon is stopped.
 *
 * The access log has one line per request: method, path (never the query,
 * which may carry a token), status and milliseconds.  Headers are not
 * logged at all.
 */
#include "base/base.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "base/utf8.h"
#include "http/http.h"

#define DEFAULT_MAX_CONNECTIONS 256u
#define DEFAULT_TIMEOUT_SECONDS 30u
#define DEFAULT_HEADER_BYTES ((size_t)32 << 10)
#define DEFAULT_BODY_BYTES ((size_t)8 << 20)
#define DEFAULT_DRAIN_SECONDS 10u
/* A chunked body past its cap is read and dropped up to this much more, so
 * the client can read our 413; beyond it the connection is cut. */
#define DRAIN_MAX ((size_t)1 << 20)
#define LOG_PATH_MAX 200

/* Every response carries these unless the application set the same header
 * (a page that needs another CSP, an asset that may be cached). */
static const struct http_header security_headers[] = {
	{ "Content-Security-Policy",
	  "default-src 'self'; script-src 'self'; style-src 'self'; "
	  "img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
	  "base-uri 'none'; object-src 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "same-origin" },
	{ "Permissions-Policy",
	  "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	/* Pages show confidential registers: no copies in shared caches or
	 * the browser's disk cache unless a route says otherwise. */
	{ "Cache-Control", "no-store" },
};

/* The few answers given before the application can be asked: they need no
 * translation machinery, and Swedish is the default language. */
#define PAGE(title, text)                                                  \
	"<!doctype html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">" \
	"<meta name=\"viewport\" content=\"width=device-width, "            \
	"initial-scale=1\"><title>" title "</title></head>\n<body><h1>"     \
	title "</h1>\n<p>" text "</p></body></html>\n"

static const struct builtin_page {
	int status;
	const char *html;
} builtin_pages[] = {
	{ 400, PAGE("400 – Felaktig begäran",
		    "Begäran kunde inte tolkas. Kontrollera adressen och "
		    "försök igen.") },
	{ 413, PAGE("413 – För stor begäran",
		    "Det du skickade är större än vad som tillåts här.") },
	{ 500, PAGE("500 – Internt fel",
		    "Något gick fel hos oss. Försök igen om en stund.") },
};

/* Request headers Värn reads, where they go in struct req, and how
 * repeats are joined (NULL: a repeat is an error, as with two Hosts). */
static const struct {
	const char *name;
	size_t offset;
	const char *join;
} wanted_headers[] = {
	{ "Cookie", offsetof(struct req, h_cookie), "; " },
	{ "Origin", offsetof(struct req, h_origin), NULL },
	{ "Host", offsetof(struct req, h_host), NULL },
	{ "Content-Type", offsetof(struct req, h_content_type), NULL },
	{ "Authorization", offsetof(struct req, h_authorization), NULL },
	{ "Accept-Language", offsetof(struct req, h_accept_language), ", " },
	{ "Sec-Fetch-Site", offsetof(struct req, h_sec_fetch_site), NULL },
	{ "If-Match", offsetof(struct req, h_if_match), ", " },
};

/* One request.  Lives from on_uri() to on_completed(). */
struct conn_req {
	struct arena arena;
	struct req q;            /* filled in step by step */
	const char *raw_target;  /* "/path?query" as sent */
	const char *log_path;    /* raw path, no query, shortened */
	struct timespec start;
	int started;             /* the first on_request() call is done */
	size_t cap;              /* body cap of this route */
	struct buf body;
	int too_big;
	size_t dropped;          /* body bytes discarded after too_big */
	int status;              /* what we queued; 0 = nothing (yet) */
};

/* The running server.  A static, so that signal handlers and server_stop()
 * can reach it; there is one per process. */
static struct app *srv_app;
static size_t srv_max_body;
static pthread_mutex_t srv_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t srv_idle = PTHREAD_COND_INITIALIZER;
static unsigned srv_inflight;  /* requests between on_uri and on_completed */
static volatile sig_atomic_t srv_wake_fd = -1;

void server_stop(void)
{
	int fd = srv_wake_fd;

	if (fd >= 0) {
		/* Non-blocking: if the pipe is full, a stop is pending anyway. */
		ssize_t n = write(fd, "x", 1);
		(void)n;
	}
}

static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	server_stop();
	errno = saved;
}

/* ---- the request target, method and headers ---------------------------- */

static int is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

static int has_dot_segment(const char *p)
{
	while (*p == '/') {
		const char *seg = ++p;
		size_t n = strcspn(seg, "/");
		if ((n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 1;
		p = seg + n;
	}
	return 0;
}

/*
 * Percent-decodes the path part of the target (MHD's own decoding would
 * turn %2F into a separator and stop at %00).  Returns NULL when the path
 * is not something a router should see: see struct req in http.h.
 */
static const char *decode_path(struct arena *a, const char *raw, size_t n)
{
	char *out = arena_alloc(a, n + 1);
	size_t len = 0;

	if (n == 0 || raw[0] != '/')
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)raw[i];
		if (c == '%') {
			int hi, lo;
			if (n - i < 3)
				return NULL;
			hi = hex_digit((unsigned char)raw[i + 1]);
			lo = hex_digit((unsigned char)raw[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
			if (c == '/')
				return NULL;
		}
		if (is_ctl(c))
			return NULL;
		out[len++] = (char)c;
	}
	out[len] = '\0';
	if (!utf8_valid_text(out, len) || has_dot_segment(out))
		return NULL;
	return out;
}

/* Splits the raw target into q->path (decoded) and q->query (raw). */
static int parse_target(struct conn_req *cr)
{
	const char *t = cr->raw_target;
	size_t plen;

	/* Raw spaces, control characters and fragments do not belong in a
	 * request line; MHD tolerates some of them, we do not. */
	for (const char *p = t; *p; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '#')
			return -1;
	plen = strcspn(t, "?");
	cr->q.path = decode_path(&cr->arena, t, plen);
	if (!cr->q.path)
		return -1;
	cr->q.query = t[plen] ? t + plen + 1 : "";
	return 0;
}

static int valid_method(const char *m)
{
	size_t n = 0;

	for (; m[n]; n++) {
		unsigned char c = (unsigned char)m[n];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') ||
		      (c && strchr("!#$%&'*+-.^_`|~", c))))
			return 0;
	}
	return n > 0 && n <= 32;
}

struct header_scan {
	struct conn_req *cr;
	int bad;
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind,
				   const char *key, size_t key_size,
				   const char *value, size_t value_size)
{
	struct header_scan *hs = cls;
	struct arena *a = &hs->cr->arena;

	(void)kind;
	(void)key_size;
	for (size_t i = 0; i < ARRAY_SIZE(wanted_headers); i++) {
		const char **slot;

		if (strcasecmp(key, wanted_headers[i].name) != 0)
			continue;
		slot = (const char **)((char *)&hs->cr->q +
				       wanted_headers[i].offset);
		/* NUL or control characters in a header we hand on to the
		 * application: refuse rather than let a check see half. */
		for (size_t j = 0; j < value_size; j++) {
			unsigned char c = (unsigned char)value[j];
			if (is_ctl(c) && c != '\t') {
				hs->bad = 1;
				return MHD_NO;
			}
		}
		if (!*slot) {
			*slot = arena_strndup(a, value, value_size);
		} else if (wanted_headers[i].join) {
			*slot = arena_printf(a, "%s%s%.*s", *slot,
					     wanted_headers[i].join,
					     (int)value_size, value);
		} else {
			hs->bad = 1;
			return MHD_NO;
		}
		break;
	}
	return MHD_YES;
}

static const char *peer_ip(struct arena *a, struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci;
	char s[INET6_ADDRSTRLEN];
	const void *addr = NULL;
	int family;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return "-";
	family = ci->client_addr->sa_family;
	if (family == AF_INET)
		addr = &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr;
	else if (family == AF_INET6)
		addr = &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr;
	if (!addr || !inet_ntop(family, addr, s, sizeof(s)))
		return "-";
	return arena_strdup(a, s);
}

/* ---- sending ------------------------------------------------------------ */

static int resp_has(const struct resp *r, const char *name)
{
	if (!r)
		return 0;
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return 1;
	return 0;
}

/* Adds the security headers (those r did not set), queues mr, drops our
 * reference to it.  r is NULL for the built-in pages. */
static enum MHD_Result queue(struct MHD_Connection *c, struct conn_req *cr,
			     int status, struct MHD_Response *mr,
			     const struct resp *r)
{
	enum MHD_Result ret;

	for (size_t i = 0; i < ARRAY_SIZE(security_headers); i++)
		if (!resp_has(r, security_headers[i].name))
			MHD_add_response_header(mr, security_headers[i].name,
						security_headers[i].value);
	ret = MHD_queue_response(c, (unsigned)status, mr);
	MHD_destroy_response(mr);
	cr->status = status;
	return ret;
}

static enum MHD_Result send_builtin(struct MHD_Connection *c,
				    struct conn_req *cr, int status)
{
	const struct builtin_page *page = &builtin_pages[ARRAY_SIZE(builtin_pages) - 1];
	struct MHD_Response *mr;

	for (size_t i = 0; i < ARRAY_SIZE(builtin_pages); i++)
		if (builtin_pages[i].status == status)
			page = &builtin_pages[i];
	mr = MHD_create_response_from_buffer(strlen(page->html),
					     (void *)page->html,
					     MHD_RESPMEM_PERSISTENT);
	if (!mr)
		return MHD_NO;
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/html; charset=utf-8");
	return queue(c, cr, page->status, mr, NULL);
}

static int is_attr_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$&+-.^_`|~", c));
}

/*
 * Content-Disposition for a download name: an ASCII fallback with anything
 * doubtful replaced by '_', and the exact UTF-8 name in RFC 8187 form, which
 * every current browser prefers ("Riskanalys 2026 – Malmö.xlsx").
 */
static const char *content_disposition(struct arena *a, const char *name)
{
	struct buf b;
	const char *out;

	buf_init(&b, 8192);
	buf_puts(&b, "attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p >= 0x80 && *p < 0xc0)
			continue; /* one '_' per non-ASCII character */
		buf_putc(&b, (*p < 0x20 || *p >= 0x7f || *p == '"' ||
			      *p == '\\' || *p == '%') ? '_' : (char)*p);
	}
	buf_puts(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (is_attr_char(*p))
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	out = buf_ok(&b) ? arena_strdup(a, b.p) : "attachment";
	buf_release(&b);
	return out;
}

static enum MHD_Result send_resp(struct MHD_Connection *c,
				 struct conn_req *cr, struct resp *r)
{
	struct MHD_Response *mr;
	int status = r->status;
	size_t len;
	char *body;

	if (status < 200 || status > 599) {
		log_error("handler for %s set status %d; sending 500",
			  cr->log_path, status);
		return send_builtin(c, cr, 500);
	}
	if (!buf_ok(&r->body)) {
		log_error("response body for %s passed its cap; sending 500",
			  cr->log_path);
		return send_builtin(c, cr, 500);
	}
	/* MHD takes the body and frees it when sent; nothing is copied.  For
	 * HEAD it sends the headers (Content-Length included) and no body. */
	body = buf_detach(&r->body, &len);
	mr = MHD_create_response_from_buffer_with_free_callback(len, body, free);
	if (!mr) {
		free(body);
		return MHD_NO;
	}
	if (r->content_type && !resp_has(r, "Content-Type") &&
	    MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
				    r->content_type) != MHD_YES)
		log_error("refused Content-Type for %s", cr->log_path);
	for (size_t i = 0; i < r->nheaders; i++) {
		const struct http_header *h = &r->headers[i];
		/* MHD computes the framing itself. */
		if (strcasecmp(h->name, "Content-Length") == 0 ||
		    strcasecmp(h->name, "Transfer-Encoding") == 0)
			continue;
		if (MHD_add_response_header(mr, h->name, h->value) != MHD_YES)
			log_error("refused response header %s for %s", h->name,
				  cr->log_path);
	}
	if (r->download_name && *r->download_name)
		MHD_add_response_header(mr, "Content-Disposition",
					content_disposition(&cr->arena,
							    r->download_name));
	return queue(c, cr, status, mr, r);
}

/* ---- the MHD callbacks -------------------------------------------------- */

/* Paths that carry a secret (one-time password-reset links) are logged
 * without it: "/aterstall/<token>" becomes "/aterstall/…". */
static void redact_secret_path(char *p)
{
	static const char *const secret_prefixes[] = { "/aterstall/" };

	for (size_t i = 0; i < ARRAY_SIZE(secret_prefixes); i++) {
		size_t n = strlen(secret_prefixes[i]);
		if (strncmp(p, secret_prefixes[i], n) == 0 && strlen(p) > n + 3) {
			memcpy(p + n, "\xe2\x80\xa6", 4); /* "…" and the NUL */
			return;
		}
	}
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct conn_req *cr = xcalloc(1, sizeof(*cr));
	size_t plen;

	(void)cls;
	(void)c;
	clock_gettime(CLOCK_MONOTONIC, &cr->start);
	cr->raw_target = arena_strdup(&cr->arena, uri ? uri : "");
	plen = strcspn(cr->raw_target, "?");
	cr->log_path = arena_strndup(&cr->arena, cr->raw_target,
				     plen < LOG_PATH_MAX ? plen : LOG_PATH_MAX);
	redact_secret_path((char *)cr->log_path);
	buf_init(&cr->body, 1);
	pthread_mutex_lock(&srv_lock);
	srv_inflight++;
	pthread_mutex_unlock(&srv_lock);
	return cr;
}

static const char *termination_reason(enum MHD_RequestTerminationCode toe)
{
	switch (toe) {
	case MHD_REQUEST_TERMINATED_COMPLETED_OK:
		return "ok";
	case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
		return "timed out";
	case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
		return "server stopped";
	case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
	case MHD_REQUEST_TERMINATED_READ_ERROR:
		return "client went away";
	default:
		return "error";
	}
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_req *cr = *con_cls;
	struct timespec now;
	long ms;

	(void)cls;
	(void)c;
	if (!cr)
		return;
	*con_cls = NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(now.tv_sec - cr->start.tv_sec) * 1000 +
	     (now.tv_nsec - cr->start.tv_nsec) / 1000000;
	/* No status means MHD answered by itself (431, 414, a malformed
	 * request) or the connection ended first. */
	if (cr->status && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		log_info("%s %s %d %ldms", cr->q.method ? cr->q.method : "-",
			 cr->log_path, cr->status, ms);
	else if (cr->status)
		log_info("%s %s %d %ldms (%s)", cr->q.method ? cr->q.method : "-",
			 cr->log_path, cr->status, ms, termination_reason(toe));
	else
		log_info("%s %s - %ldms (%s)", cr->q.method ? cr->q.method : "-",
			 cr->log_path, ms, termination_reason(toe));
	buf_release(&cr->body);
	arena_release(&cr->arena);
	free(cr);

	pthread_mutex_lock(&srv_lock);
	if (--srv_inflight == 0)
		pthread_cond_broadcast(&srv_idle);
	pthread_mutex_unlock(&srv_lock);
}

/* First call: headers are in, no body read yet.  Anything refused here is
 * refused before the client sends its body. */
static enum MHD_Result first_call(struct MHD_Connection *c,
				  struct conn_req *cr, const char *method)
{
	struct header_scan hs = { cr, 0 };
	const char *clen, *te;
	unsigned long long declared = 0;
	int has_body;

	cr->started = 1;
	cr->q.cx.a = &cr->arena;
	cr->q.app = srv_app;
	cr->q.method = arena_strdup(&cr->arena, method);
	if (!valid_method(method) || parse_target(cr) < 0)
		return send_builtin(c, cr, 400);
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, scan_header, &hs);
	if (hs.bad)
		return send_builtin(c, cr, 400);
	cr->q.remote_ip = peer_ip(&cr->arena, c);

	cr->cap = app_body_limit(srv_app, cr->q.method, cr->q.path);
	if (cr->cap > srv_max_body)
		cr->cap = srv_max_body;
	/* MHD has already checked Content-Length's syntax. */
	clen = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_CONTENT_LENGTH);
	te = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
					 MHD_HTTP_HEADER_TRANSFER_ENCODING);
	if (clen)
		declared = strtoull(clen, NULL, 10);
	has_body = te != NULL || declared > 0;
	if ((has_body && cr->cap == 0) || declared > cr->cap)
		return send_builtin(c, cr, 413);
	buf_init(&cr->body, cr->cap ? cr->cap : 1);
	return MHD_YES;
}

/* A piece of body.  Returns 0, or -1 to cut the connection. */
static int take_body(struct conn_req *cr, const char *data, size_t n)
{
	if (!cr->too_big) {
		if (n <= cr->cap - cr->body.len && buf_add(&cr->body, data, n) == 0)
			return 0;
		cr->too_big = 1;
		buf_release(&cr->body);
	}
	cr->dropped += n;
	return cr->dropped > DRAIN_MAX ? -1 : 0;
}

/* Last call: the whole body is in. */
static enum MHD_Result last_call(struct MHD_Connection *c, struct conn_req *cr)
{
	struct resp r;
	enum MHD_Result ret;

	if (cr->too_big)
		return send_builtin(c, cr, 413);
	/* struct req promises a body without NULs (it is used as a string). */
	if (memchr(cr->body.p, '\0', cr->body.len))
		return send_builtin(c, cr, 400);
	cr->q.body = cr->body.p;
	cr->q.body_len = cr->body.len;

	resp_init(&r);
	app_handle(srv_app, &cr->q, &r);
	ret = send_resp(c, cr, &r);
	resp_release(&r);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct conn_req *cr = *con_cls;

	(void)cls;
	(void)url;     /* MHD's decoding; we decode raw_target ourselves */
	(void)version;
	if (!cr)
		return MHD_NO; /* on_uri always runs first; cannot happen */
	if (!cr->started)
		return first_call(c, cr, method);
	if (*upload_size) {
		int rc = take_body(cr, upload, *upload_size);
		*upload_size = 0;
		if (rc < 0)
			log_warn("%s %s: body far past its cap, connection cut",
				 cr->q.method, cr->log_path);
		return rc < 0 ? MHD_NO : MHD_YES;
	}
	return last_call(c, cr);
}

__attribute__((format(printf, 2, 0)))
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	log_warn("libmicrohttpd: %s", msg);
}

/* ---- starting and stopping ---------------------------------------------- */

union any_addr {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

/* Numeric addresses only: resolving names at start-up would make the
 * listening address depend on DNS. */
static int parse_listen(const char *host, int port, union any_addr *addr,
			int *is_v6, char *shown, size_t shown_len)
{
	char h[INET6_ADDRSTRLEN + 2];
	size_t n;

	if (!host || !*host || strcmp(host, "localhost") == 0)
		host = "127.0.0.1";
	n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host++;
		n -= 2;
	}
	if (n >= sizeof(h) || port < 0 || port > 65535)
		return -1;
	memcpy(h, host, n);
	h[n] = '\0';
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, h, &addr->v4.sin_addr) == 1) {
		addr->v4.sin_family = AF_INET;
		addr->v4.sin_port = htons((uint16_t)port);
		*is_v6 = 0;
		snprintf(shown, shown_len, "%s", h);
	} else if (inet_pton(AF_INET6, h, &addr->v6.sin6_addr) == 1) {
		addr->v6.sin6_family = AF_INET6;
		addr->v6.sin6_port = htons((uint16_t)port);
		*is_v6 = 1;
		snprintf(shown, shown_len, "[%s]", h);
	} else {
		return -1;
	}
	return 0;
}

static void wait_for_stop(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	while (read(fd, &c, 1) == 1)
		;
}

static void drain(unsigned seconds)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&srv_lock);
	while (srv_inflight > 0) {
		if (pthread_cond_timedwait(&srv_idle, &srv_lock, &until) ==
		    ETIMEDOUT) {
			log_warn("%u request(s) still running after %u s; "
				 "stopping anyway", srv_inflight, seconds);
			break;
		}
	}
	pthread_mutex_unlock(&srv_lock);
}

static struct MHD_Daemon *start_daemon(const struct server_config *cfg,
				       union any_addr *addr, int is_v6,
				       int *use_epoll)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	unsigned threads = cfg->threads > 1 ? (unsigned)cfg->threads : 0;
	unsigned limit = cfg->max_connections ? cfg->max_connections
					      : DEFAULT_MAX_CONNECTIONS;
	/* MHD splits the connection limit between pool threads. */
	struct MHD_OptionItem pool[] = {
		{ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	sigset_t stop_sigs, old_mask;
	struct MHD_Daemon *d;

	if (threads == 0)
		pool[0].option = MHD_OPTION_END; /* MHD warns about 0 and 1 */
	if (limit < threads)
		limit = threads;
	*use_epoll = MHD_is_feature_supported(MHD_FEATURE_EPOLL) == MHD_YES;
	flags |= *use_epoll ? MHD_USE_EPOLL : MHD_USE_POLL;
	if (is_v6)
		flags |= MHD_USE_IPv6;

	/* MHD's threads inherit this thread's mask: keep the stop signals
	 * away from them, so they reach the thread that waits for them or
	 * another of the application's, never a worker in mid-request. */
	sigemptyset(&stop_sigs);
	sigaddset(&stop_sigs, SIGTERM);
	sigaddset(&stop_sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_sigs, &old_mask);
	d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, NULL, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, &addr->sa,
		MHD_OPTION_CONNECTION_LIMIT, limit,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_connections_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT,
		cfg->connection_timeout ? cfg->connection_timeout
					: DEFAULT_TIMEOUT_SECONDS,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		cfg->max_header_bytes ? cfg->max_header_bytes
				      : DEFAULT_HEADER_BYTES,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
		MHD_OPTION_ARRAY, pool,
		MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	return d;
}

int server_run(struct app *app, const struct server_config *cfg)
{
	struct sigaction sa, old_term, old_int;
	union any_addr addr;
	char shown[INET6_ADDRSTRLEN + 4];
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	int is_v6, use_epoll, port, wake[2];
	MHD_socket listen_fd;

	if (parse_listen(cfg->listen_host, cfg->port, &addr, &is_v6, shown,
			 sizeof(shown)) < 0) {
		log_error("cannot listen on \"%s\" port %d: not a numeric address",
			  cfg->listen_host ? cfg->listen_host : "", cfg->port);
		return 1;
	}
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		log_error("pipe: %s", strerror(errno));
		return 1;
	}
	srv_app = app;
	srv_max_body = cfg->max_body_bytes ? cfg->max_body_bytes
					   : DEFAULT_BODY_BYTES;
	srv_wake_fd = wake[1];
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGINT, &sa, &old_int);

	d = start_daemon(cfg, &addr, is_v6, &use_epoll);
	if (!d) {
		log_error("cannot listen on %s:%d (in use, or not an address "
			  "of this machine?)", shown, cfg->port);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGINT, &old_int, NULL);
		srv_wake_fd = -1;
		close(wake[0]);
		close(wake[1]);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : cfg->port;
	if (cfg->on_ready) {
		cfg->on_ready(cfg->ready_arg, port);
	} else {
		printf("varn: serving on http://%s:%d\n", shown, port);
		fflush(stdout);
	}

	wait_for_stop(wake[0]);
	/* From here a second Ctrl-C acts at once, as the operator expects. */
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	log_info("stopping: no new connections, finishing requests in flight");
	/* Known libmicrohttpd 0.9.75 weakness (still in its master): with a
	 * thread pool and epoll, a worker that wakes at this very moment may
	 * remove the listening socket from its epoll set just before
	 * MHD_quiesce_daemon does, and the second removal's ENOENT is a
	 * MHD_PANIC (abort) there.  The window is a few instructions wide and
	 * only at shutdown; poll mode would avoid it at a cost in every
	 * request, so we accept it. */
	listen_fd = MHD_quiesce_daemon(d);
	/* With epoll, MHD has taken the socket out of every thread's set, so
	 * closing it now makes new clients see "refused" at once.  With poll
	 * a worker may still be polling it; close it after the stop. */
	if (use_epoll && listen_fd != MHD_INVALID_SOCKET) {
		close(listen_fd);
		listen_fd = MHD_INVALID_SOCKET;
	}
	drain(cfg->drain_seconds ? cfg->drain_seconds : DEFAULT_DRAIN_SECONDS);
	MHD_stop_daemon(d);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);

	srv_wake_fd = -1;
	close(wake[0]);
	close(wake[1]);
	srv_app = NULL;
	log_info("stopped");
	return 0;
}
