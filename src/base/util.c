/* util.c - BUG(), allocation that cannot fail, logging, small helpers. */
#include "base/base.h"

#include <stdarg.h>
#include <time.h>

#include <sodium.h>

/* The static "" every empty buf points at.  It must stay "": writers check
 * b->cap before touching b->p, so nobody ever stores into it. */
char buf_empty[1];

int log_quiet;

_Noreturn void bug_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "BUG: %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
	abort();
}

/* Out of memory: a half-allocated request or object cannot be cleaned up
 * sensibly, so stop here with a clear message rather than crash later. */
static _Noreturn void die_oom(size_t n)
{
	fprintf(stderr, "fatal: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t n, size_t m)
{
	void *p;

	if (n == 0 || m == 0)
		n = m = 1;
	p = calloc(n, m); /* calloc checks n * m for overflow */
	if (!p)
		die_oom(n * m);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

/*
 * One line per message: control characters in the formatted text (a user
 * name with a newline, say) are replaced so that nobody can forge log lines.
 * The line is built first and written with one call so that lines from
 * different threads do not interleave.  Log times are the real wall clock,
 * not clock_now(): they tell operators when something happened.
 */
static void __attribute__((format(printf, 2, 0)))
log_line(const char *level, const char *fmt, va_list ap)
{
	char msg[2048], stamp[32];
	struct tm tm;
	time_t now;
	int n;

	if (log_quiet)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		snprintf(msg, sizeof(msg), "(unformattable log message)");
	for (char *c = msg; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	now = time(NULL);
	if (!gmtime_r(&now, &tm) ||
	    !strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(stamp, sizeof(stamp), "-");
	fprintf(stderr, "%s %s %s%s\n", stamp, level, msg,
		(size_t)n >= sizeof(msg) ? " [...]" : "");
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("INFO", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("WARN", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_line("ERROR", fmt, ap);
	va_end(ap);
}

/* Returns 1 when equal.  libsodium's comparison is written so that the
 * compiler cannot turn it into an early-exit loop (timing leaks of tokens). */
int ct_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

/* Stricter than strtoll: no leading spaces, no '+', no trailing text, no
 * empty string, and overflow is an error rather than a clamp. */
int parse_i64(const char *s, int64_t *out)
{
	uint64_t limit = (uint64_t)INT64_MAX, v = 0;
	int neg = 0;

	if (!s)
		return -1;
	if (*s == '-') {
		neg = 1;
		limit++; /* |INT64_MIN| */
		s++;
	}
	if (!*s)
		return -1;
	for (; *s; s++) {
		unsigned d;

		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (neg)
		*out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	else
		*out = (int64_t)v;
	return 0;
}

int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *xprintf(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!buf_ok(&b))
		BUG("xprintf: out of memory");
	return buf_detach(&b, NULL);
}
