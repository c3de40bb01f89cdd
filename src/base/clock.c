/* clock.c - the injectable clock and Swedish local time; see clock.h.
 *
 * Local time is computed here rather than with localtime_r() so that it
 * does not depend on the server's TZ setting or tz database, and is the
 * same in every test environment.  Europe/Stockholm is CET (UTC+1), with
 * CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last Sunday
 * of October 01:00 UTC (EU rule, 1996 on; 1981-1995 summer time ended on
 * the last Sunday of September; no summer time before 1981 here, which is
 * wrong only for 1980 and does not matter for Värn's data).
 */
#include "base/base.h"

#include <stdatomic.h>
#include <time.h>

#include "base/clock.h"

/* 0 = real time.  Atomic because request threads read it while a test's
 * main thread may move it. */
static _Atomic int64_t fake_now;

void clock_init(void)
{
	const char *env = getenv("VARN_FAKE_NOW");
	int64_t t;

	if (!env || !*env)
		return;
	if (parse_i64(env, &t) < 0) {
		log_warn("VARN_FAKE_NOW is not a number of seconds; ignored");
		return;
	}
	/* a test hook: say so loudly wherever it is honoured */
	log_warn("VARN_FAKE_NOW is set: the clock is frozen at %lld (for tests only;"
		 " sessions will not expire)", (long long)t);
	clock_set(t);
}

int64_t clock_now(void)
{
	int64_t t = atomic_load(&fake_now);
	struct timespec ts;

	if (t)
		return t;
	if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
		BUG("clock_gettime failed");
	return (int64_t)ts.tv_sec;
}

void clock_set(int64_t t)
{
	atomic_store(&fake_now, t);
}

void clock_advance(int64_t s)
{
	int64_t t = atomic_load(&fake_now);

	if (!t)
		BUG("clock_advance() needs a fake time (clock_set)");
	atomic_store(&fake_now, t + s);
}

/* Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian,
 * day 0 = 1970-01-01, correct for negative years too. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct civil {
	int64_t y;
	int m, d, hh, mm, ss;
};

static void civil_from_seconds(int64_t t, struct civil *c)
{
	int64_t z = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t secs = t - z * 86400, era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	c->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->y = yoe + era * 400 + (c->m <= 2);
	c->hh = (int)(secs / 3600);
	c->mm = (int)(secs / 60 % 60);
	c->ss = (int)(secs % 60);
}

/* The day number of the last Sunday of month m (which has 30 or 31 days). */
static int64_t last_sunday(int64_t y, int m, int days_in_month)
{
	int64_t last = days_from_civil(y, m, days_in_month);
	int64_t wd = ((last + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday */

	return last - wd;
}

/* Seconds east of UTC in Stockholm at the instant t. */
static int stockholm_offset(int64_t t)
{
	struct civil c;
	int64_t start, end;

	civil_from_seconds(t, &c); /* DST changes far from New Year: the UTC
				    * year is the local year */
	if (c.y < 1981)
		return 3600;
	start = last_sunday(c.y, 3, 31) * 86400 + 3600;
	end = c.y < 1996 ? last_sunday(c.y, 9, 30) : last_sunday(c.y, 10, 31);
	end = end * 86400 + 3600;
	return t >= start && t < end ? 7200 : 3600;
}

/* Years 0001..9999 only (in the time zone shown, east of UTC by at most
 * margin): beyond that the four-digit formats stop making sense, and
 * clamping also keeps t + offset from overflowing. */
static int64_t clamp_time(int64_t t, int64_t margin)
{
	const int64_t lo = -62135596800LL, hi = 253402300799LL - margin;

	return t < lo ? lo : t > hi ? hi : t;
}

/* v (0 <= v < 10^n) as n digits with leading zeros. */
static void put_digits(char *out, int64_t v, int n)
{
	while (n--) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

char *clock_format_local(struct arena *a, int64_t t)
{
	struct civil c;

	t = clamp_time(t, 3600); /* 31 December is winter time */
	civil_from_seconds(t + stockholm_offset(t), &c);
	/* by hand: a page formats a hundred of these (every date a waiting
	 * line compares with), and printf cost as much as the rest */
	if (c.y >= 0 && c.y <= 9999) {
		char *s = arena_alloc(a, 17);

		put_digits(s, c.y, 4);
		s[4] = '-';
		put_digits(s + 5, c.m, 2);
		s[7] = '-';
		put_digits(s + 8, c.d, 2);
		s[10] = ' ';
		put_digits(s + 11, c.hh, 2);
		s[13] = ':';
		put_digits(s + 14, c.mm, 2);
		s[16] = 0;
		return s;
	}
	return arena_printf(a, "%04lld-%02d-%02d %02d:%02d", (long long)c.y,
			    c.m, c.d, c.hh, c.mm);
}

char *clock_format_iso(struct arena *a, int64_t t)
{
	struct civil c;

	civil_from_seconds(clamp_time(t, 0), &c);
	if (c.y >= 0 && c.y <= 9999) { /* by hand: two per record of an API list */
		char *s = arena_alloc(a, 21);

		put_digits(s, c.y, 4);
		s[4] = '-';
		put_digits(s + 5, c.m, 2);
		s[7] = '-';
		put_digits(s + 8, c.d, 2);
		s[10] = 'T';
		put_digits(s + 11, c.hh, 2);
		s[13] = ':';
		put_digits(s + 14, c.mm, 2);
		s[16] = ':';
		put_digits(s + 17, c.ss, 2);
		s[19] = 'Z';
		s[20] = 0;
		return s;
	}
	return arena_printf(a, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
			    (long long)c.y, c.m, c.d, c.hh, c.mm, c.ss);
}

int64_t clock_local_midnight(int64_t t, int64_t *day)
{
	int64_t local, d, midnight;

	t = clamp_time(t, 3600);
	local = t + stockholm_offset(t);
	d = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	midnight = d * 86400;
	if (day)
		*day = d;
	/* Midnight is never near a change (they happen at 01:00 UTC, two or
	 * three hours later), so the offset an hour before it is its own. */
	return midnight - stockholm_offset(midnight - 3600);
}

void clock_to_local(int64_t t, struct clock_local *out)
{
	struct civil c;

	t = clamp_time(t, 3600);
	civil_from_seconds(t + stockholm_offset(t), &c);
	out->y = (int)c.y;
	out->m = c.m;
	out->d = c.d;
	out->hh = c.hh;
	out->mm = c.mm;
	out->ss = c.ss;
}

int clock_days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int clock_valid_local(const struct clock_local *l)
{
	return l->y >= 1 && l->y <= 9999 && l->m >= 1 && l->m <= 12 && l->d >= 1 &&
	       l->d <= clock_days_in_month(l->y, l->m) && l->hh >= 0 && l->hh <= 23 &&
	       l->mm >= 0 && l->mm <= 59 && l->ss >= 0 && l->ss <= 59;
}

int64_t clock_from_local(const struct clock_local *l)
{
	int64_t wall = days_from_civil(l->y, l->m, l->d) * 86400 + l->hh * 3600 + l->mm * 60 +
		       l->ss;
	int64_t summer = wall - 7200, winter = wall - 3600;

	/* the first reading that the offset at that instant confirms: summer
	 * time first (the autumn's doubled hour is its first pass) */
	if (stockholm_offset(summer) == 7200)
		return summer;
	if (stockholm_offset(winter) == 3600)
		return winter;
	/* the spring gap: no instant shows it; the clocks read an hour on
	 * (02:30 is 03:30 summer time, the instant winter time would give) */
	return winter;
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int clock_parse_moment(const char *s, int64_t *t)
{
	struct clock_local l = { 0 };
	const char *p;
	int oh, om, sign;

	if (!s || strlen(s) < 16 || digits(s, 4, &l.y) || s[4] != '-' || digits(s + 5, 2, &l.m) ||
	    s[7] != '-' || digits(s + 8, 2, &l.d) || (s[10] != 'T' && s[10] != ' ') ||
	    digits(s + 11, 2, &l.hh) || s[13] != ':' || digits(s + 14, 2, &l.mm))
		return -1;
	p = s + 16;
	if (*p == ':') {
		if (digits(p + 1, 2, &l.ss))
			return -1;
		p += 3;
		if (*p == '.') /* fractions of a second: dropped */
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
	}
	if (!clock_valid_local(&l))
		return -1;
	if (*p == '\0') {
		*t = clock_from_local(&l);
		return 0;
	}
	{
		int64_t utc = days_from_civil(l.y, l.m, l.d) * 86400 + l.hh * 3600 + l.mm * 60 + l.ss;
		if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
			*t = utc;
			return 0;
		}
		if ((*p != '+' && *p != '-') || digits(p + 1, 2, &oh) || p[3] != ':' ||
		    digits(p + 4, 2, &om) || p[6] != '\0' || oh > 23 || om > 59)
			return -1;
		sign = *p == '+' ? 1 : -1;
		*t = utc - sign * (oh * 3600 + om * 60);
	}
	return 0;
}

char *clock_format_local_input(struct arena *a, int64_t t)
{
	char *s = clock_format_local(a, t);

	s[10] = 'T';
	return s;
}
