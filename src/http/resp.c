/* resp.c - building a response: headers that cannot split, safe redirects.
 *
 * These helpers know nothing of libmicrohttpd; http/server.c sends what they
 * build.  Every check here exists so that a handler cannot, by mistake or by
 * passing user input along, add a second header (response splitting) or send
 * the browser to another site (open redirect).
 */
#include "base/base.h"

#include <strings.h>

#include "http/http.h"

void resp_init(struct resp *r)
{
	memset(r, 0, sizeof(*r));
	r->status = 200;
	r->content_type = "text/html; charset=utf-8";
	buf_init(&r->body, BUF_DEFAULT_MAX);
}

void resp_release(struct resp *r)
{
	buf_release(&r->body);
	r->nheaders = 0;
}

/* RFC 9110 token characters: what a header name may consist of. */
static int is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return 1;
	return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int valid_name(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!is_tchar((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * A value may hold visible text, spaces, tabs and obs-text (bytes >= 0x80),
 * but no other control character: CR and LF would end the header, and the
 * rest have no business there.  Empty values are refused too, because
 * libmicrohttpd would silently drop them.
 */
static int valid_value(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
	}
	return 1;
}

int resp_header(struct resp *r, const char *name, const char *value)
{
	if (!valid_name(name)) {
		log_error("resp_header: refused a malformed header name \"%s\"",
			  name ? name : "(null)");
		return -1;
	}
	/* The value is not logged: it may be a cookie or a token. */
	if (!valid_value(value)) {
		log_error("resp_header: refused a value with control characters for %s",
			  name);
		return -1;
	}
	if (r->nheaders >= HTTP_MAX_HEADERS) {
		log_error("resp_header: more than %d headers, dropped %s",
			  HTTP_MAX_HEADERS, name);
		return -1;
	}
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = value;
	r->nheaders++;
	return 0;
}

/*
 * A redirect target must be a path on this site: one '/' and then no '/'
 * or '\' (browsers read "//host" and "/\host" as another host).  Control
 * characters and backslashes are refused outright, since browsers strip
 * tabs and newlines from URLs ("/\t/evil.example" becomes "//evil.example").
 * Returns 1 if location is acceptable; *needs_escape is set when it holds
 * spaces or bytes >= 0x80 (UTF-8 in a path), which we percent-encode rather
 * than refuse, so "/org/Malmö" works as a handler would expect.
 */
static int safe_location(const char *s, int *needs_escape)
{
	*needs_escape = 0;
	if (!s || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '\\')
			return 0;
		if (c == ' ' || c >= 0x80)
			*needs_escape = 1;
	}
	return 1;
}

static int needs_pct(unsigned char c)
{
	return c == ' ' || c >= 0x80;
}

static const char *escape_location(struct arena *a, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	char *out, *o;

	for (const char *p = s; *p; p++)
		n += needs_pct((unsigned char)*p) ? 3 : 1;
	out = o = arena_alloc(a, n + 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (needs_pct(c)) {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		} else {
			*o++ = (char)c;
		}
	}
	*o = '\0';
	return out;
}

void resp_redirect(struct req *q, struct resp *r, const char *location)
{
	const char *loc = location;
	int escape;

	if (!safe_location(location, &escape)) {
		log_warn("resp_redirect: refused an off-site or malformed target, "
			 "redirecting to /");
		loc = "/";
	} else if (q && q->cx.a) {
		/* Copy, so callers may pass a temporary. */
		loc = escape ? escape_location(q->cx.a, location)
			     : arena_strdup(q->cx.a, location);
	} else if (escape) {
		log_warn("resp_redirect: no arena to encode the target, redirecting to /");
		loc = "/";
	}

	r->status = 303;
	buf_reset(&r->body);
	r->download_name = NULL;
	/* A second redirect replaces the first rather than adding a header. */
	for (size_t i = 0; i < r->nheaders; i++) {
		if (strcasecmp(r->headers[i].name, "Location") == 0) {
			r->headers[i].value = loc;
			return;
		}
	}
	if (resp_header(r, "Location", loc) < 0)
		r->status = 500; /* only when the header table is full */
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* What a log line may tell about a request: never the cookie or the
 * Authorization value, only whether they were there. */
const char *req_header_summary(const struct req *q)
{
	return arena_printf(q->cx.a,
			    "%s %s from %s host=%s origin=%s fetch-site=%s "
			    "type=%s cookie=%s authorization=%s",
			    or_dash(q->method), or_dash(q->path),
			    or_dash(q->remote_ip), or_dash(q->h_host),
			    or_dash(q->h_origin), or_dash(q->h_sec_fetch_site),
			    or_dash(q->h_content_type),
			    q->h_cookie ? "yes" : "no",
			    q->h_authorization ? "yes" : "no");
}
