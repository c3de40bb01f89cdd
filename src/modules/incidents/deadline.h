/* deadline.h - when a reporting duty falls due (issue 11, R-8-16).
 *
 * One function computes every deadline, from the moment it counts from
 * (awareness, or when another report was sent) and the rule's amount and
 * unit:
 *   "hours"   elapsed time: 72 hours are 72 real hours, so across the
 *             spring change Stockholm's clocks show 73 hours later, across
 *             the autumn change 71;
 *   "days"    calendar time in Europe/Stockholm: the same wall-clock time
 *             N days later;
 *   "months"  calendar time: the same day and time N months later, or the
 *             month's last day when it is shorter (31 January + 1 month =
 *             28 or 29 February);
 *   "without_delay"  no deadline: act at once.
 * A wall time the spring change skips is read an hour later, as the clocks
 * are moved (clock_from_local). */
#ifndef VARN_INCIDENTS_DEADLINE_H
#define VARN_INCIDENTS_DEADLINE_H

#include <stdint.h>

/* 0 with *due set; 1 when the unit has no deadline ("without_delay");
 * -1 for an unknown unit or an amount out of range (0..1200). */
int deadline_due(int64_t start, int64_t amount, const char *unit, int64_t *due);

/* How much of the time from start to due has passed at now, in percent
 * (0..100, clamped); 100 when due is not after start. */
int deadline_percent(int64_t start, int64_t due, int64_t now);

#endif
