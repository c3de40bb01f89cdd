/* test_clock.c - the fake clock and Stockholm local time. */
#include "base/base.h"

#include <time.h>

#include "base/clock.h"
#include "tap.h"

static struct arena ar = ARENA_INIT;

static const char *local(int64_t t)
{
	return clock_format_local(&ar, t);
}

TEST(fake_clock)
{
	int64_t real = clock_now();

	ok(real > 1700000000, "the real clock is after 2023");
	clock_set(1000);
	is_int(clock_now(), 1000, "clock_set fixes the time");
	clock_advance(59);
	is_int(clock_now(), 1059, "clock_advance moves it");
	clock_set(0);
	ok(clock_now() >= real, "clock_set(0) returns to the real clock");
	setenv("VARN_FAKE_NOW", "1798389000", 1);
	clock_init();
	is_int(clock_now(), 1798389000, "VARN_FAKE_NOW is read by clock_init");
	clock_set(0);
	setenv("VARN_FAKE_NOW", "12x", 1);
	log_quiet = 1;
	clock_init();
	log_quiet = 0;
	ok(clock_now() >= real, "a bad VARN_FAKE_NOW is ignored");
	unsetenv("VARN_FAKE_NOW");
}

TEST(iso)
{
	is_str(clock_format_iso(&ar, 0), "1970-01-01T00:00:00Z", "epoch");
	is_str(clock_format_iso(&ar, 1795456200), "2026-11-23T17:50:00Z",
	       "the example in clock.h");
	is_str(clock_format_iso(&ar, 951782400), "2000-02-29T00:00:00Z", "leap day 2000");
	is_str(clock_format_iso(&ar, -1), "1969-12-31T23:59:59Z", "before the epoch");
	is_str(clock_format_iso(&ar, INT64_MAX), "9999-12-31T23:59:59Z",
	       "huge times are clamped, not overflowed");
	is_str(clock_format_iso(&ar, INT64_MIN), "0001-01-01T00:00:00Z",
	       "very negative times are clamped");
}

TEST(local_winter_summer)
{
	is_str(local(1795456200), "2026-11-23 18:50", "November: CET, UTC+1");
	is_str(local(1784894400), "2026-07-24 14:00", "July: CEST, UTC+2");
	is_str(local(1767225599), "2026-01-01 00:59", "New Year's Eve in UTC is next year here");
	is_str(local(INT64_MAX), "9999-12-31 23:59", "clamped");
}

TEST(dst_2026)
{
	/* 2026: summer time from Sunday 29 March 01:00 UTC to Sunday
	 * 25 October 01:00 UTC. */
	const int64_t start = 1774746000, end = 1792890000;

	is_str(local(start - 1), "2026-03-29 01:59", "last second of CET");
	is_str(local(start), "2026-03-29 03:00", "clocks jump 02:00 -> 03:00");
	is_str(local(end - 1), "2026-10-25 02:59", "last second of CEST");
	is_str(local(end), "2026-10-25 02:00", "clocks fall back 03:00 -> 02:00");
	is_str(local(end + 3600), "2026-10-25 03:00", "an hour later");
}

TEST(dst_other_years)
{
	/* 2024: 31 March and 27 October (both the 31st/27th are Sundays). */
	is_str(local(1711846800 - 60), "2024-03-31 01:59", "2024 before spring");
	is_str(local(1711846800), "2024-03-31 03:00", "2024 spring forward");
	is_str(local(1729990800 - 60), "2024-10-27 02:59", "2024 before autumn");
	is_str(local(1729990800), "2024-10-27 02:00", "2024 fall back");
	/* 2029: 25 March, 28 October. */
	is_str(local(1869094800), "2029-03-25 03:00", "2029 spring forward");
	is_str(local(1887843600 - 1), "2029-10-28 02:59", "2029 before autumn");
	/* 1995 still ended in September (24 Sep 1995 01:00 UTC). */
	is_str(local(811904400 - 1), "1995-09-24 02:59", "1995: CEST until September");
	is_str(local(811904400), "1995-09-24 02:00", "1995: CET from late September");
}

/* Cross-check against the C library with TZ set, for every hour of a few
 * years, so the computed rules and the tz database agree. */
TEST(against_tzdb)
{
	int mismatches = 0, checked = 0;
	char want[32];
	struct tm tm;

	setenv("TZ", "Europe/Stockholm", 1);
	tzset();
	for (int64_t t = 1704067200; t < 1893456000; t += 3600 - 7) {
		time_t tt = (time_t)t;

		if (!localtime_r(&tt, &tm) || tm.tm_zone == NULL ||
		    (strcmp(tm.tm_zone, "CET") != 0 &&
		     strcmp(tm.tm_zone, "CEST") != 0))
			break; /* no tz database here: skip */
		strftime(want, sizeof(want), "%Y-%m-%d %H:%M", &tm);
		checked++;
		if (strcmp(want, local(t)) != 0 && mismatches++ < 5)
			printf("# %lld: want %s got %s\n", (long long)t, want, local(t));
	}
	if (checked == 0)
		ok(1, "# SKIP no tz database for Europe/Stockholm");
	else
		ok(mismatches == 0, "agrees with the tz database for 2024-2029 (%d hours)",
		   checked);
	arena_release(&ar);
}

/* Wall time back to instants (the forms' datetime-local values), and the
 * moments the API takes. */
TEST(from_local_and_parse)
{
	int64_t t = 0;
	struct clock_local l;

	/* 2026-03-29: clocks go 02:00 -> 03:00 (01:00 UTC) */
	ok(clock_parse_moment("2026-03-29T01:59", &t) == 0 && t == 1774745940,
	   "01:59 before the spring change is CET");
	ok(clock_parse_moment("2026-03-29T03:00", &t) == 0 && t == 1774746000,
	   "03:00 after the spring change is CEST");
	ok(clock_parse_moment("2026-03-29T02:30", &t) == 0 && t == 1774746000 + 1800,
	   "02:30 (skipped) is read as 03:30 summer time");
	/* 2026-10-25: clocks go 03:00 -> 02:00 (01:00 UTC) */
	ok(clock_parse_moment("2026-10-25 02:30", &t) == 0 && t == 1792888200,
	   "02:30 shown twice in autumn is the first (CEST)");
	ok(clock_parse_moment("2026-10-25T03:30", &t) == 0 && t == 1792895400,
	   "03:30 after the autumn change is CET");
	ok(clock_parse_moment("2026-12-05T14:30:00Z", &t) == 0 && t == 1796481000, "UTC");
	ok(clock_parse_moment("2026-12-05T15:30:00+01:00", &t) == 0 && t == 1796481000,
	   "an offset");
	ok(clock_parse_moment("2026-12-05T14:30:00.123Z", &t) == 0 && t == 1796481000,
	   "fractions dropped");
	ok(clock_parse_moment("2026-12-05T15:30", &t) == 0 && t == 1796481000,
	   "local winter time");
	ok(clock_parse_moment("2026-02-30T10:00", &t) != 0, "30 February refused");
	ok(clock_parse_moment("2026-12-05", &t) != 0, "a date alone refused");
	ok(clock_parse_moment("2026-12-05T25:00", &t) != 0, "hour 25 refused");
	ok(clock_parse_moment("2026-12-05T10:00+1", &t) != 0, "a broken offset refused");
	ok(clock_parse_moment("2026-12-05T10:00Zx", &t) != 0, "trailing text refused");
	is_str(clock_format_local_input(&ar, 1796481000), "2026-12-05T15:30", "input value");
	clock_to_local(1792888200, &l);
	ok(l.y == 2026 && l.m == 10 && l.d == 25 && l.hh == 2 && l.mm == 30, "to local");
	ok(clock_days_in_month(2028, 2) == 29 && clock_days_in_month(2100, 2) == 28 &&
	   clock_days_in_month(2026, 4) == 30, "days in month");
	/* every hour of two years round-trips, outside the autumn's doubled hour */
	{
		int bad = 0;
		for (int64_t x = 1767225600; x < 1830297600; x += 3600) {
			clock_to_local(x, &l);
			if (clock_from_local(&l) != x && !(l.m == 10 && l.hh == 2))
				bad++;
		}
		ok(bad == 0, "wall time round-trips for 2026-2027 (%d wrong)", bad);
	}
}

int main(void)
{
	return tap_run();
}
