/* clock.h - the injectable clock.  All times in Värn are int64 Unix seconds
 * (UTC) from clock_now(); never a database date function.  Tests set a fixed
 * time with clock_set() (or the VARN_FAKE_NOW environment variable, read by
 * clock_init()), so deadlines and time-outs are testable. */
#ifndef VARN_CLOCK_H
#define VARN_CLOCK_H

#include <stdint.h>

void clock_init(void);
int64_t clock_now(void);
void clock_set(int64_t t);      /* 0 returns to the real clock */
void clock_advance(int64_t s);  /* only while a fake time is set */
/* "2026-11-23 18:50" in Europe/Stockholm (CET/CEST rules computed here, not
 * from the system tz database) into the arena. */
struct arena;
char *clock_format_local(struct arena *a, int64_t t);
char *clock_format_iso(struct arena *a, int64_t t); /* "2026-11-23T17:50:00Z" */
/* The instant (UTC seconds) of the Stockholm midnight that starts the local
 * day holding t; *day (may be NULL) gets that day's number, 0 = 1970-01-01
 * (a Thursday).  A day is 23 or 25 hours long on the DST change days. */
int64_t clock_local_midnight(int64_t t, int64_t *day);

/* A moment as Stockholm's clocks show it (wall time). */
struct clock_local {
	int y, m, d, hh, mm, ss;
};
void clock_to_local(int64_t t, struct clock_local *out);
/* The instant (UTC seconds) Stockholm's clocks show l.  A time the spring
 * change skips (02:00-02:59 on the last Sunday of March) is read as
 * summer time, an hour later, as the clocks are moved; a time the autumn
 * change shows twice (02:00-02:59 on the last Sunday of October) is the
 * first of the two (summer time).  Fields out of range (31 April) are
 * the caller's to refuse (clock_valid_local). */
int64_t clock_from_local(const struct clock_local *l);
int clock_valid_local(const struct clock_local *l);
/* The days of month m of year y (28..31). */
int clock_days_in_month(int y, int m);
/* Reads a moment: RFC 3339 with "Z" or an offset ("2026-12-05T14:30:00Z",
 * "...+01:00"), or Stockholm wall time as forms send it ("2026-12-05T14:30",
 * "2026-12-05 14:30", seconds optional).  0, or -1 when s is none of these. */
int clock_parse_moment(const char *s, int64_t *t);
/* "2026-12-05T14:30" in Stockholm: the value of a datetime-local input. */
char *clock_format_local_input(struct arena *a, int64_t t);

#endif
