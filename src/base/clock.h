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

#endif
