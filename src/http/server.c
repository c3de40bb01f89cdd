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
 * Slow clients.  libmicrohttpd's own defences are a total connection limit
 * and an inactivity time-out, and a client that opens many connections and
 * sends a byte now and then defeats both: it fills the connection slots and
 * every other user waits.  So this file adds, per connection (struct
 * conn_state, from MHD's connection notifications):
 *   - a limit per client address on open connections (on_accept refuses
 *     early, on_connection counts exactly), trusted proxies exempt;
 *   - a deadline for a request's line and headers, and another for its
 *     body, which a watchdog thread enforces by shutting the socket down
 *     (MHD then sees the end of the stream and cleans up as usual);
 *   - a limit per client on requests in progress, which also holds for
 *     the clients behind a trusted proxy, whose address comes from
 *     X-Forwarded-For (resolve_client); the excess gets 429.
 * MHD's own per-IP limit is not used: it cannot exempt the proxy and
 * counts every IPv6 address of a subscriber's /64 apart.
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
#include <sys/ioctl.h>
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
#define DEFAULT_PER_CLIENT 32u
#define DEFAULT_HEADER_SECONDS 10u
#define DEFAULT_BODY_SECONDS 60u
/* How often the watchdog looks for connections past their deadline. */
#define WATCH_MS 500
/* Warnings a client can provoke are logged at most this often. */
#define WARN_EVERY_MS 10000
/* Seconds a client told 429/503 is asked to wait. */
#define RETRY_AFTER "5"
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
	{ 429, PAGE("429 – För många förfrågningar",
		    "Du har för många förfrågningar igång samtidigt. Vänta "
		    "en stund och försök igen.") },
	{ 503, PAGE("503 – Tjänsten är upptagen",
		    "Servern har för mycket att göra just nu. Försök igen om "
		    "en stund.") },
	{ 500, PAGE("500 – Internt fel",
		    "Något gick fel hos oss. Försök igen om en stund.") },
};

/* The 413 of a route that takes the largest bodies there are (a file to
 * import): what to do instead. */
static const char page_413_upload[] =
	PAGE("413 – För stor fil",
	     "Filen är större än vad sidan tar emot. Större filer importeras med "
	     "kommandot varn import, som inte har någon gräns; be den som driftar "
	     "Värn.");

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

/* An IPv4 or IPv6 address.  IPv4-mapped IPv6 addresses (::ffff:a.b.c.d, as
 * a dual-stack socket reports IPv4 peers) are kept as IPv4, so that a peer
 * and a trusted-proxy entry compare equal however the peer came in. */
struct ipaddr {
	int family;              /* AF_INET or AF_INET6 */
	unsigned char b[16];     /* network order; IPv4 uses the first 4 */
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
	struct conn_state *cs;   /* its connection (conn_state_of) */
	struct ipaddr client;    /* remote_ip, when slot is set */
	int slot;                /* counted in req_tally */
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

/* ---- client addresses, limits and deadlines ------------------------------ */

/* A trusted-proxy entry: an address and how many leading bits must match. */
struct ipnet {
	struct ipaddr a;
	unsigned bits;
};

/* How many connections or requests one client has (see tally_take). */
struct tally {
	struct ipaddr key;
	unsigned n;
};

struct tally_table {
	struct tally *t;
	size_t len, cap;
};

/* What a connection is waiting for; each phase but PH_ANSWER has a
 * deadline counted from conn_state.since. */
enum phase {
	PH_HEAD,   /* a request's line and headers (or an idle keep-alive) */
	PH_BODY,   /* the body of a request whose headers are in */
	PH_ANSWER, /* the application or the response: MHD's inactivity
		      time-out is enough, a slow reader holds only itself */
};

/* One TCP connection, from MHD's NOTIFY_STARTED to NOTIFY_CLOSED; on the
 * list guard_conns.  Everything but fd, peer and trusted changes under
 * guard_lock. */
struct conn_state {
	struct conn_state *prev, *next;
	MHD_socket fd;
	struct ipaddr peer;
	int peer_ok;             /* peer is an IP address */
	int trusted;             /* peer is a trusted proxy */
	int counted;             /* counted in conn_tally */
	int cut;                 /* shut down (by the watchdog or the limit) */
	int requested;           /* a request line arrived in this PH_HEAD */
	enum phase phase;
	int64_t since;           /* ms (monotonic) when the phase began */
};

static unsigned srv_per_client;
static int64_t srv_header_ms, srv_body_ms;
static struct ipnet *srv_proxies;
static size_t srv_nproxies;

/* guard_lock protects the connection list, both tallies, the phases and
 * seen; the watchdog waits on guard_wake. */
static pthread_mutex_t guard_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t guard_wake;
static int guard_stop;
static struct conn_state *guard_conns;
static struct tally_table conn_tally; /* open connections per peer */
static struct tally_table req_tally;  /* requests in progress per client */
/* What clients were refused or cut off since the last report.  The
 * watchdog logs it at most every WARN_EVERY_MS: an attack cannot flood
 * the log, and still nothing goes unreported. */
static struct seen {
	unsigned long refused;   /* connections over the limit */
	unsigned long busy;      /* requests over the limit (429/503) */
	unsigned long slow_head, slow_body; /* cut by the watchdog */
	unsigned long bad_xff;   /* unusable X-Forwarded-For from a proxy */
	struct ipaddr refused_ip, busy_ip, slow_ip, xff_ip; /* the latest */
} seen;
static int64_t seen_reported;

static int64_t mono_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void ipaddr_set(struct ipaddr *ip, int family, const void *raw)
{
	static const unsigned char v4_mapped[12] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
	};

	memset(ip, 0, sizeof(*ip));
	if (family == AF_INET6 && memcmp(raw, v4_mapped, 12) != 0) {
		ip->family = AF_INET6;
		memcpy(ip->b, raw, 16);
	} else {
		ip->family = AF_INET;
		memcpy(ip->b, family == AF_INET6 ? (const unsigned char *)raw + 12
						 : raw, 4);
	}
}

static int ipaddr_from_sockaddr(const struct sockaddr *sa, struct ipaddr *ip)
{
	if (sa && sa->sa_family == AF_INET)
		ipaddr_set(ip, AF_INET,
			   &((const struct sockaddr_in *)(const void *)sa)->sin_addr);
	else if (sa && sa->sa_family == AF_INET6)
		ipaddr_set(ip, AF_INET6,
			   &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
	else
		return -1;
	return 0;
}

/* A numeric address of n bytes (no brackets, no port, no zone). */
static int ipaddr_parse(const char *s, size_t n, struct ipaddr *ip)
{
	char text[INET6_ADDRSTRLEN];
	unsigned char raw[16];

	if (n == 0 || n >= sizeof(text))
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	if (inet_pton(AF_INET, text, raw) == 1)
		ipaddr_set(ip, AF_INET, raw);
	else if (inet_pton(AF_INET6, text, raw) == 1)
		ipaddr_set(ip, AF_INET6, raw);
	else
		return -1;
	return 0;
}

static const char *ipaddr_text(const struct ipaddr *ip, char *out, size_t n)
{
	if (!inet_ntop(ip->family, ip->b, out, (socklen_t)n))
		snprintf(out, n, "-");
	return out;
}

static int ipnet_has(const struct ipnet *net, const struct ipaddr *ip)
{
	unsigned whole = net->bits / 8, rest = net->bits % 8;

	if (net->a.family != ip->family || memcmp(net->a.b, ip->b, whole) != 0)
		return 0;
	return rest == 0 ||
	       ((net->a.b[whole] ^ ip->b[whole]) & (0xff00u >> rest) & 0xff) == 0;
}

static int is_trusted(const struct ipaddr *ip)
{
	for (size_t i = 0; i < srv_nproxies; i++)
		if (ipnet_has(&srv_proxies[i], ip))
			return 1;
	return 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "ADDR[/BITS][,ADDR[/BITS]...]" into srv_proxies; -1 (logged) when an
 * item is not a numeric address with an optional prefix length. */
static int parse_proxies(const char *list)
{
	size_t cap = 1;

	srv_proxies = NULL;
	srv_nproxies = 0;
	if (!list || !list[strspn(list, " \t")])
		return 0;
	for (const char *p = list; *p; p++)
		cap += *p == ',';
	srv_proxies = xcalloc(cap, sizeof(*srv_proxies));
	for (const char *p = list;; p++) {
		const char *s = p, *e = p + strcspn(p, ","), *slash;
		struct ipnet *net = &srv_proxies[srv_nproxies];
		unsigned max;

		while (s < e && is_blank(*s))
			s++;
		while (e > s && is_blank(e[-1]))
			e--;
		slash = memchr(s, '/', (size_t)(e - s));
		if (ipaddr_parse(s, (size_t)((slash ? slash : e) - s), &net->a) < 0)
			goto bad;
		max = net->a.family == AF_INET ? 32 : 128;
		net->bits = max;
		if (slash) {
			char num[4];
			size_t n = (size_t)(e - slash - 1);
			int64_t bits;

			/* "::ffff:a.b.c.d/BITS" would need its bits recounted
			 * for the IPv4 form it is kept in: ask for that form. */
			if (n == 0 || n >= sizeof(num) ||
			    (net->a.family == AF_INET &&
			     memchr(s, ':', (size_t)(slash - s))))
				goto bad;
			memcpy(num, slash + 1, n);
			num[n] = '\0';
			if (parse_i64(num, &bits) || bits < 0 || bits > max)
				goto bad;
			net->bits = (unsigned)bits;
		}
		srv_nproxies++;
		p += strcspn(p, ",");
		if (!*p)
			return 0;
		continue;
bad:
		log_error("trusted proxies \"%s\": \"%.*s\" is not a numeric "
			  "address, or ADDR/BITS", list, (int)(e - s), s);
		free(srv_proxies);
		srv_proxies = NULL;
		srv_nproxies = 0;
		return -1;
	}
}

/* Clients are counted by address; IPv6 ones by their /64, since one
 * subscriber usually has a whole /64 and could use a new address for each
 * connection. */
static void client_key(struct ipaddr *k, const struct ipaddr *ip)
{
	*k = *ip;
	if (k->family == AF_INET6)
		memset(k->b + 8, 0, 8);
}

/* A small table, scanned linearly: it holds only clients with something
 * open, at most the connection limit, and each lookup is dwarfed by the
 * accept() or the request it guards. */
static struct tally *tally_find(struct tally_table *tt, const struct ipaddr *ip)
{
	struct ipaddr k;

	client_key(&k, ip);
	for (size_t i = 0; i < tt->len; i++)
		if (tt->t[i].key.family == k.family &&
		    memcmp(tt->t[i].key.b, k.b, sizeof(k.b)) == 0)
			return &tt->t[i];
	return NULL;
}

static unsigned tally_count(struct tally_table *tt, const struct ipaddr *ip)
{
	struct tally *e = tally_find(tt, ip);

	return e ? e->n : 0;
}

/* Counts one more for ip: 0; -1 when it has srv_per_client already; -2
 * when the table is full (the limits make that impossible, but a full
 * table must not mean "no limit").  Caller holds guard_lock. */
static int tally_take(struct tally_table *tt, const struct ipaddr *ip)
{
	struct tally *e = tally_find(tt, ip);

	if (!e) {
		if (tt->len == tt->cap)
			return -2;
		e = &tt->t[tt->len++];
		client_key(&e->key, ip);
		e->n = 0;
	}
	if (e->n >= srv_per_client)
		return -1;
	e->n++;
	return 0;
}

static void tally_put(struct tally_table *tt, const struct ipaddr *ip)
{
	struct tally *e = tally_find(tt, ip);

	if (!e)
		BUG("releasing a client that was not counted");
	if (--e->n == 0)
		*e = tt->t[--tt->len];
}

static void set_phase(struct conn_state *cs, enum phase ph)
{
	int64_t now = mono_ms();

	if (!cs)
		return;
	pthread_mutex_lock(&guard_lock);
	cs->phase = ph;
	cs->since = now;
	cs->requested = 0;
	pthread_mutex_unlock(&guard_lock);
}

static struct conn_state *conn_state_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/* MHD's accept policy: refuses, before MHD sets anything up, a peer that
 * already has its share of connections.  Only a first look: on_connection
 * counts, exactly, the connections MHD really keeps. */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *sa,
				 socklen_t len)
{
	struct ipaddr ip;
	int full;

	(void)cls;
	(void)len;
	if (ipaddr_from_sockaddr(sa, &ip) < 0 || is_trusted(&ip))
		return MHD_YES;
	pthread_mutex_lock(&guard_lock);
	full = tally_count(&conn_tally, &ip) >= srv_per_client;
	if (full) {
		seen.refused++;
		seen.refused_ip = ip;
	}
	pthread_mutex_unlock(&guard_lock);
	return full ? MHD_NO : MHD_YES;
}

/* MHD's connection notifications: the connection's state, its count and
 * its place on the watchdog's list. */
static void on_connection(void *cls, struct MHD_Connection *c,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct conn_state *cs;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ai, *fi;

		ai = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
		fi = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		cs = xcalloc(1, sizeof(*cs));
		cs->fd = fi ? fi->connect_fd : MHD_INVALID_SOCKET;
		cs->peer_ok = ai && ipaddr_from_sockaddr(ai->client_addr,
							  &cs->peer) == 0;
		cs->trusted = cs->peer_ok && is_trusted(&cs->peer);
		cs->phase = PH_HEAD;
		cs->since = mono_ms();
		pthread_mutex_lock(&guard_lock);
		if (cs->peer_ok && !cs->trusted) {
			if (tally_take(&conn_tally, &cs->peer) == 0) {
				cs->counted = 1;
			} else if (cs->fd != MHD_INVALID_SOCKET) {
				/* on_accept let it through, but others of
				 * this peer got in first */
				shutdown(cs->fd, SHUT_RDWR);
				cs->cut = 1;
				seen.refused++;
				seen.refused_ip = cs->peer;
			}
		}
		cs->next = guard_conns;
		if (guard_conns)
			guard_conns->prev = cs;
		guard_conns = cs;
		pthread_mutex_unlock(&guard_lock);
		*socket_context = cs;
		return;
	}
	cs = *socket_context;
	if (!cs)
		return;
	*socket_context = NULL;
	/* MHD closes the socket only after this returns: once cs is off the
	 * list, the watchdog cannot touch a descriptor that is reused. */
	pthread_mutex_lock(&guard_lock);
	if (cs->counted)
		tally_put(&conn_tally, &cs->peer);
	if (cs->prev)
		cs->prev->next = cs->next;
	else
		guard_conns = cs->next;
	if (cs->next)
		cs->next->prev = cs->prev;
	pthread_mutex_unlock(&guard_lock);
	free(cs);
}

static int seen_any(void)
{
	return seen.refused || seen.busy || seen.slow_head || seen.slow_body ||
	       seen.bad_xff;
}

/* Logs what seen holds and empties it.  Caller holds guard_lock, which is
 * let go while writing. */
static void report_seen(void)
{
	struct seen r = seen;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN],
		d[INET6_ADDRSTRLEN];

	memset(&seen, 0, sizeof(seen));
	seen_reported = mono_ms();
	pthread_mutex_unlock(&guard_lock);
	if (r.refused)
		log_warn("refused %lu connection(s) of clients that had %u open "
			 "already (latest %s; if that is a reverse proxy, make it "
			 "a trusted proxy)", r.refused, srv_per_client,
			 ipaddr_text(&r.refused_ip, a, sizeof(a)));
	if (r.busy)
		log_warn("answered 429 to %lu request(s) of clients that had %u "
			 "in progress already (latest %s)", r.busy,
			 srv_per_client, ipaddr_text(&r.busy_ip, b, sizeof(b)));
	if (r.slow_head || r.slow_body)
		log_warn("closed %lu connection(s) whose headers took over "
			 "%lld s and %lu whose body took over %lld s (latest "
			 "from %s)", r.slow_head,
			 (long long)(srv_header_ms / 1000), r.slow_body,
			 (long long)(srv_body_ms / 1000),
			 ipaddr_text(&r.slow_ip, c, sizeof(c)));
	if (r.bad_xff)
		log_warn("%lu request(s) from trusted proxy %s had an "
			 "X-Forwarded-For or Forwarded item that is not an address; they "
			 "count as the proxy's own", r.bad_xff,
			 ipaddr_text(&r.xff_ip, d, sizeof(d)));
	pthread_mutex_lock(&guard_lock);
}

/* Closes the connections that are past their deadline, and reports.
 * shutdown(), not close(): the descriptor stays MHD's; MHD sees the stream
 * end, ends the request (on_completed runs) and closes the connection. */
static void *watchdog(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&guard_lock);
	while (!guard_stop) {
		struct timespec until;
		int64_t now;

		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += WATCH_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&guard_wake, &guard_lock, &until);
		now = mono_ms();
		for (struct conn_state *cs = guard_conns; cs; cs = cs->next) {
			int64_t allowed = cs->phase == PH_BODY ? srv_body_ms
							       : srv_header_ms;
			int unread = 0;

			if (cs->cut || cs->phase == PH_ANSWER ||
			    cs->fd == MHD_INVALID_SOCKET ||
			    now - cs->since < allowed)
				continue;
			/* Bytes the server has not read yet mean the server is
			 * behind, not the client: the connection's worker
			 * thread is busy with a long request (an import).
			 * The client is judged once they are read. */
			if (ioctl(cs->fd, FIONREAD, &unread) == 0 && unread > 0)
				continue;
			shutdown(cs->fd, SHUT_RDWR);
			cs->cut = 1;
			/* An idle keep-alive connection, or one that never
			 * sent a request line, is closed without a word:
			 * browsers leave those open all the time. */
			if (cs->phase == PH_BODY)
				seen.slow_body++;
			else if (cs->requested)
				seen.slow_head++;
			else
				continue;
			seen.slow_ip = cs->peer;
		}
		if (seen_any() &&
		    (!seen_reported || now - seen_reported >= WARN_EVERY_MS))
			report_seen();
	}
	if (seen_any())
		report_seen(); /* what the last interval saw */
	pthread_mutex_unlock(&guard_lock);
	return NULL;
}

/* One X-Forwarded-For item: an address, "[v6]" or with a port ("a.b.c.d:p",
 * "[v6]:p"), which some proxies add. */
static int parse_forwarded_item(const char *s, size_t n, struct ipaddr *ip)
{
	const char *colon;

	if (n && s[0] == '[') {
		const char *rb = memchr(s, ']', n);
		size_t after;

		if (!rb)
			return -1;
		after = n - (size_t)(rb + 1 - s);
		if (after && (rb[1] != ':' || after < 2 ||
			      strspn(rb + 2, "0123456789") != after - 1))
			return -1;
		return ipaddr_parse(s + 1, (size_t)(rb - s - 1), ip);
	}
	colon = memchr(s, ':', n);
	if (colon && !memchr(colon + 1, ':', n - (size_t)(colon + 1 - s))) {
		size_t port = n - (size_t)(colon + 1 - s);

		if (port == 0 || strspn(colon + 1, "0123456789") != port)
			return -1;
		n = (size_t)(colon - s);
	}
	return ipaddr_parse(s, n, ip);
}

/*
 * The client a trusted proxy forwards for.  Each proxy appends the address
 * it got the request from, so X-Forwarded-For read from the right is
 * reliable only as far as the hops are our trusted proxies: the first
 * address from the right that is not one is the client, and anything left
 * of it may be made up by that client.  Returns 0 with *client set, 1 when
 * the header has no item, -1 when an item we would have to believe is not
 * an address (a misconfigured proxy): the caller keeps the peer.
 */
static int forwarded_client(const char *xff, struct ipaddr *client)
{
	const char *end = xff + strlen(xff);
	struct ipaddr ip;
	int found = 0;

	while (end > xff) {
		const char *start = end, *s, *e;

		while (start > xff && start[-1] != ',')
			start--;
		s = start;
		e = end;
		end = start > xff ? start - 1 : xff;
		while (s < e && is_blank(*s))
			s++;
		while (e > s && is_blank(e[-1]))
			e--;
		if (s == e)
			continue; /* an empty list item */
		if (parse_forwarded_item(s, (size_t)(e - s), &ip) < 0)
			return -1;
		found = 1;
		if (!is_trusted(&ip))
			break;
	}
	if (!found)
		return 1;
	/* Every hop trusted: the left-most is as close to the client as we
	 * can know. */
	*client = ip;
	return 0;
}

/*
 * Forwarded (RFC 7239) as an X-Forwarded-For list: the for= value of each
 * element, in order, unquoted ("for=\"[2001:db8::1]:4711\"" gives
 * "[2001:db8::1]:4711").  An element without for= gives an empty item
 * (skipped, as in X-Forwarded-For); "unknown", an obfuscated "_name" or a
 * malformed element gives "?", which forwarded_client() will not believe,
 * so the request counts as the proxy's own where it would have to.
 */
static const char *forwarded_as_list(struct arena *a, const char *fwd)
{
	struct buf b = BUF_INIT;
	const char *p = fwd, *out;

	while (*p) {
		const char *val = NULL;
		size_t vlen = 0;
		int bad = 0;

		/* one element: pairs separated by ';' up to a ',' outside quotes */
		while (*p && *p != ',') {
			const char *k;
			size_t klen;

			while (*p == ' ' || *p == '\t' || *p == ';')
				p++;
			k = p;
			while (*p && *p != '=' && *p != ';' && *p != ',')
				p++;
			klen = (size_t)(p - k);
			while (klen && (k[klen - 1] == ' ' || k[klen - 1] == '\t'))
				klen--;
			if (*p != '=') {
				if (klen)
					bad = 1;
				continue;
			}
			p++;
			if (*p == '"') {
				const char *q = ++p;

				while (*p && *p != '"')
					p++;
				if (!*p)
					return "?";
				if (klen == 3 && !strncasecmp(k, "for", 3)) {
					val = q;
					vlen = (size_t)(p - q);
				}
				p++;
			} else {
				const char *q = p;

				while (*p && *p != ';' && *p != ',' && *p != ' ' && *p != '\t')
					p++;
				if (klen == 3 && !strncasecmp(k, "for", 3)) {
					val = q;
					vlen = (size_t)(p - q);
				}
			}
		}
		if (b.len)
			buf_puts(&b, ", ");
		if (bad || (val && (!vlen || memchr(val, ',', vlen) || val[0] == '_' ||
				    (vlen == 7 && !strncasecmp(val, "unknown", 7)))))
			buf_puts(&b, "?");
		else if (val)
			buf_printf(&b, "%.*s", (int)vlen, val);
		if (*p == ',')
			p++;
	}
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
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
	const char *xff;         /* X-Forwarded-For, repeats joined by ", " */
	const char *fwd;         /* Forwarded (RFC 7239), repeats joined by ", " */
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
	if (strcasecmp(key, "X-Forwarded-For") == 0) {
		/* Believed only from trusted proxies, and parsed strictly
		 * then; a repeat continues the list (RFC 9110, 5.3). */
		hs->xff = hs->xff ? arena_printf(a, "%s, %.*s", hs->xff,
						 (int)value_size, value)
				  : arena_strndup(a, value, value_size);
		return MHD_YES;
	}
	if (strcasecmp(key, "Forwarded") == 0) {
		hs->fwd = hs->fwd ? arena_printf(a, "%s, %.*s", hs->fwd,
						 (int)value_size, value)
				  : arena_strndup(a, value, value_size);
		return MHD_YES;
	}
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

/* Sets q.remote_ip: the peer, or the client a trusted peer forwards for. */
static void resolve_client(struct conn_req *cr, const char *xff)
{
	struct conn_state *cs = cr->cs;
	char text[INET6_ADDRSTRLEN];

	if (!cs || !cs->peer_ok) {
		cr->q.remote_ip = "-";
		return;
	}
	cr->client = cs->peer;
	if (cs->trusted && xff && forwarded_client(xff, &cr->client) < 0) {
		pthread_mutex_lock(&guard_lock);
		seen.bad_xff++;
		seen.xff_ip = cs->peer;
		pthread_mutex_unlock(&guard_lock);
	}
	cr->q.remote_ip = arena_strdup(&cr->arena, ipaddr_text(&cr->client, text,
							       sizeof(text)));
}

/* Counts the request against its client's share; -1 (429) when the client
 * has srv_per_client in progress, -2 (503) when the table is full. */
static int take_slot(struct conn_req *cr)
{
	int rc;

	if (!cr->cs || !cr->cs->peer_ok)
		return 0;
	pthread_mutex_lock(&guard_lock);
	rc = tally_take(&req_tally, &cr->client);
	cr->slot = rc == 0;
	if (rc < 0) {
		seen.busy++;
		seen.busy_ip = cr->client;
	}
	pthread_mutex_unlock(&guard_lock);
	return rc;
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
	/* A client that reads its answer slowly holds only its own
	 * connection; MHD's inactivity time-out covers one that stops. */
	set_phase(cr->cs, PH_ANSWER);
	return ret;
}

static enum MHD_Result send_builtin(struct MHD_Connection *c,
				    struct conn_req *cr, int status)
{
	const struct builtin_page *page = &builtin_pages[ARRAY_SIZE(builtin_pages) - 1];
	struct MHD_Response *mr;

	const char *html;

	for (size_t i = 0; i < ARRAY_SIZE(builtin_pages); i++)
		if (builtin_pages[i].status == status)
			page = &builtin_pages[i];
	html = status == 413 && cr->cap && cr->cap == srv_max_body ? page_413_upload : page->html;
	mr = MHD_create_response_from_buffer(strlen(html), (void *)html,
					     MHD_RESPMEM_PERSISTENT);
	if (!mr)
		return MHD_NO;
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
				"text/html; charset=utf-8");
	if (status == 429 || status == 503)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_RETRY_AFTER,
					RETRY_AFTER);
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
	clock_gettime(CLOCK_MONOTONIC, &cr->start);
	cr->cs = conn_state_of(c);
	if (cr->cs) {
		/* The headers' deadline still counts from the connection's
		 * start or the previous response; this only says the client
		 * is sending a request, not idling (for the watchdog's log). */
		pthread_mutex_lock(&guard_lock);
		cr->cs->requested = 1;
		pthread_mutex_unlock(&guard_lock);
	}
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
	const char *why;
	long ms;
	int cut = 0;

	(void)cls;
	(void)c;
	if (!cr)
		return;
	*con_cls = NULL;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(now.tv_sec - cr->start.tv_sec) * 1000 +
	     (now.tv_nsec - cr->start.tv_nsec) / 1000000;
	if (cr->cs) {
		pthread_mutex_lock(&guard_lock);
		cut = cr->cs->cut;
		pthread_mutex_unlock(&guard_lock);
	}
	why = cut ? "too slow" : termination_reason(toe);
	/* No status means MHD answered by itself (431, 414, a malformed
	 * request) or the connection ended first. */
	if (cr->status && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		log_info("%s %s %d %ldms", cr->q.method ? cr->q.method : "-",
			 cr->log_path, cr->status, ms);
	else if (cr->status)
		log_info("%s %s %d %ldms (%s)", cr->q.method ? cr->q.method : "-",
			 cr->log_path, cr->status, ms, why);
	else
		log_info("%s %s - %ldms (%s)", cr->q.method ? cr->q.method : "-",
			 cr->log_path, ms, why);
	if (cr->slot) {
		pthread_mutex_lock(&guard_lock);
		tally_put(&req_tally, &cr->client);
		pthread_mutex_unlock(&guard_lock);
	}
	/* The next request on this connection has header_timeout from now. */
	set_phase(cr->cs, PH_HEAD);
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
	struct header_scan hs = { cr, NULL, 0 };
	const char *clen, *te;
	unsigned long long declared = 0;
	int has_body;

	cr->started = 1;
	set_phase(cr->cs, PH_BODY);
	cr->q.cx.a = &cr->arena;
	cr->q.app = srv_app;
	cr->q.method = arena_strdup(&cr->arena, method);
	if (!valid_method(method) || parse_target(cr) < 0)
		return send_builtin(c, cr, 400);
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, scan_header, &hs);
	if (hs.bad)
		return send_builtin(c, cr, 400);
	/* A trusted proxy that sends Forwarded is read by it; X-Forwarded-For
	 * otherwise (a proxy sending both keeps them the same). */
	resolve_client(cr, hs.fwd ? forwarded_as_list(&cr->arena, hs.fwd) : hs.xff);
	switch (take_slot(cr)) {
	case 0:
		break;
	case -1:
		return send_builtin(c, cr, 429);
	default:
		return send_builtin(c, cr, 503);
	}

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

static unsigned connection_limit(const struct server_config *cfg)
{
	unsigned threads = cfg->threads > 1 ? (unsigned)cfg->threads : 0;
	unsigned limit = cfg->max_connections ? cfg->max_connections
					      : DEFAULT_MAX_CONNECTIONS;

	return limit < threads ? threads : limit;
}

/* The limits and tallies for a server with at most limit connections;
 * -1 (logged) on a bad trusted-proxy list. */
static int guard_init(const struct server_config *cfg, unsigned limit)
{
	pthread_condattr_t ca;

	if (parse_proxies(cfg->trusted_proxies) < 0)
		return -1;
	srv_per_client = cfg->max_per_client ? cfg->max_per_client
					     : DEFAULT_PER_CLIENT;
	srv_header_ms = 1000 * (int64_t)(cfg->header_timeout
						 ? cfg->header_timeout
						 : DEFAULT_HEADER_SECONDS);
	srv_body_ms = 1000 * (int64_t)(cfg->body_timeout
					       ? cfg->body_timeout
					       : DEFAULT_BODY_SECONDS);
	/* A client in either table has a connection open or a request in
	 * progress, so neither can hold more than limit clients. */
	conn_tally = (struct tally_table){ xcalloc(limit, sizeof(struct tally)),
					   0, limit };
	req_tally = (struct tally_table){ xcalloc(limit, sizeof(struct tally)),
					  0, limit };
	guard_stop = 0;
	guard_conns = NULL;
	memset(&seen, 0, sizeof(seen));
	seen_reported = 0;
	/* Deadlines are monotonic; so is the watchdog's sleep. */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&guard_wake, &ca);
	pthread_condattr_destroy(&ca);
	return 0;
}

/* After MHD_stop_daemon: every connection has been closed and uncounted. */
static void guard_release(void)
{
	pthread_cond_destroy(&guard_wake);
	free(conn_tally.t);
	free(req_tally.t);
	memset(&conn_tally, 0, sizeof(conn_tally));
	memset(&req_tally, 0, sizeof(req_tally));
	free(srv_proxies);
	srv_proxies = NULL;
	srv_nproxies = 0;
}

static void stop_watchdog(pthread_t t)
{
	pthread_mutex_lock(&guard_lock);
	guard_stop = 1;
	pthread_cond_signal(&guard_wake);
	pthread_mutex_unlock(&guard_lock);
	pthread_join(t, NULL);
}

/* Starts the watchdog, then the daemon; NULL when either fails. */
static struct MHD_Daemon *start_daemon(const struct server_config *cfg,
				       unsigned limit, union any_addr *addr,
				       int is_v6, int *use_epoll,
				       pthread_t *watch)
{
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
			 MHD_USE_ERROR_LOG;
	unsigned threads = cfg->threads > 1 ? (unsigned)cfg->threads : 0;
	/* MHD splits the connection limit between pool threads. */
	struct MHD_OptionItem pool[] = {
		{ MHD_OPTION_THREAD_POOL_SIZE, threads, NULL },
		{ MHD_OPTION_END, 0, NULL },
	};
	sigset_t stop_sigs, old_mask;
	struct MHD_Daemon *d;

	if (threads == 0)
		pool[0].option = MHD_OPTION_END; /* MHD warns about 0 and 1 */
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
	if (pthread_create(watch, NULL, watchdog, NULL) != 0) {
		log_error("cannot start the watchdog thread");
		pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
		return NULL;
	}
	d = MHD_start_daemon(
		flags, (uint16_t)cfg->port, on_accept, NULL, on_request, NULL,
		MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, &addr->sa,
		MHD_OPTION_CONNECTION_LIMIT, limit,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
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
	if (!d)
		stop_watchdog(*watch);
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
	pthread_t watch;
	unsigned limit = connection_limit(cfg);

	if (parse_listen(cfg->listen_host, cfg->port, &addr, &is_v6, shown,
			 sizeof(shown)) < 0) {
		log_error("cannot listen on \"%s\" port %d: not a numeric address",
			  cfg->listen_host ? cfg->listen_host : "", cfg->port);
		return 1;
	}
	if (guard_init(cfg, limit) < 0)
		return 1;
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		log_error("pipe: %s", strerror(errno));
		guard_release();
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

	d = start_daemon(cfg, limit, &addr, is_v6, &use_epoll, &watch);
	if (!d) {
		log_error("cannot listen on %s:%d (in use, or not an address "
			  "of this machine?)", shown, cfg->port);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGINT, &old_int, NULL);
		srv_wake_fd = -1;
		close(wake[0]);
		close(wake[1]);
		guard_release();
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
	/* The watchdog keeps closing slow clients while requests drain. */
	drain(cfg->drain_seconds ? cfg->drain_seconds : DEFAULT_DRAIN_SECONDS);
	stop_watchdog(watch);
	MHD_stop_daemon(d);
	if (listen_fd != MHD_INVALID_SOCKET)
		close(listen_fd);
	guard_release();

	srv_wake_fd = -1;
	close(wake[0]);
	close(wake[1]);
	srv_app = NULL;
	log_info("stopped");
	return 0;
}
