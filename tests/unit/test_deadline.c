/* test_deadline.c - when a reporting duty falls due: hours are elapsed
 * time, days and months calendar time in Stockholm (deadline.h).
 * covers R-8-16 */
#include "base/base.h"

#include "base/clock.h"
#include "modules/incidents/deadline.h"
#include "tap.h"

static struct arena ar = ARENA_INIT;

/* The instant Stockholm's clocks show y-m-d hh:mm. */
static int64_t at(int y, int m, int d, int hh, int mm)
{
	struct clock_local l = { y, m, d, hh, mm, 0 };

	return clock_from_local(&l);
}

static const char *due_local(int64_t start, int64_t amount, const char *unit)
{
	int64_t due = 0;

	if (deadline_due(start, amount, unit, &due) != 0)
		return "none";
	return clock_format_local(&ar, due);
}

TEST(hours_are_elapsed_time)
{
	int64_t s, due;

	/* spring 2027: the clocks go 02:00 -> 03:00 on Sunday 28 March */
	s = at(2027, 3, 26, 10, 0);
	is_int(deadline_due(s, 72, "hours", &due), 0, "hours have a deadline");
	is_int(due - s, 72 * 3600, "72 hours are 72 real hours");
	is_str(clock_format_local(&ar, due), "2027-03-29 11:00",
	       "across the spring change the clock shows 73 hours later");
	/* autumn 2026: 03:00 -> 02:00 on Sunday 25 October */
	s = at(2026, 10, 23, 10, 0);
	is_int(deadline_due(s, 72, "hours", &due), 0, "autumn: a deadline");
	is_int(due - s, 72 * 3600, "still 72 real hours");
	is_str(clock_format_local(&ar, due), "2026-10-26 09:00",
	       "across the autumn change the clock shows 71 hours later");
	s = at(2026, 12, 5, 14, 30);
	is_str(due_local(s, 24, "hours"), "2026-12-06 14:30", "24 hours without a change");
}

TEST(days_are_calendar_time)
{
	int64_t s, due;

	s = at(2027, 3, 27, 10, 0);
	is_int(deadline_due(s, 1, "days", &due), 0, "days have a deadline");
	is_str(clock_format_local(&ar, due), "2027-03-28 10:00", "the same wall time a day later");
	is_int(due - s, 23 * 3600, "the spring day is 23 hours");
	s = at(2026, 10, 24, 10, 0);
	deadline_due(s, 1, "days", &due);
	is_int(due - s, 25 * 3600, "the autumn day is 25 hours");
	is_str(due_local(at(2026, 12, 31, 23, 30), 1, "days"), "2027-01-01 23:30",
	       "a day over the year end");
	is_str(due_local(at(2026, 2, 27, 8, 0), 3, "days"), "2026-03-02 08:00",
	       "days over the end of February");
	is_str(due_local(at(2028, 2, 27, 8, 0), 3, "days"), "2028-03-01 08:00",
	       "a leap year has 29 February");
	is_str(due_local(at(2026, 1, 1, 9, 0), 365, "days"), "2027-01-01 09:00",
	       "a year of days");
}

TEST(months_are_calendar_time)
{
	is_str(due_local(at(2027, 1, 31, 12, 0), 1, "months"), "2027-02-28 12:00",
	       "one month after 31 January is the last day of February");
	is_str(due_local(at(2028, 1, 31, 12, 0), 1, "months"), "2028-02-29 12:00",
	       "in a leap year 29 February");
	is_str(due_local(at(2026, 3, 31, 9, 15), 1, "months"), "2026-04-30 09:15",
	       "31 March + 1 month is 30 April");
	is_str(due_local(at(2026, 12, 15, 16, 0), 1, "months"), "2027-01-15 16:00",
	       "a month over the year end");
	is_str(due_local(at(2026, 11, 30, 16, 0), 3, "months"), "2027-02-28 16:00",
	       "three months over the year end to a short month");
	is_str(due_local(at(2027, 3, 10, 10, 0), 1, "months"), "2027-04-10 10:00",
	       "a month across the spring change keeps the wall time");
	is_str(due_local(at(2026, 10, 10, 10, 0), 1, "months"), "2026-11-10 10:00",
	       "a month across the autumn change keeps the wall time");
	/* 28 March 2027 02:30 does not exist: the clocks moved to 03:00 */
	is_str(due_local(at(2027, 2, 28, 2, 30), 1, "months"), "2027-03-28 03:30",
	       "a wall time in the spring gap moves forward an hour");
}

TEST(no_deadline_and_refusals)
{
	int64_t due = 42;

	is_int(deadline_due(1000, 0, "without_delay", &due), 1, "without delay: no deadline");
	is_int(due, 42, "and due is left alone");
	is_int(deadline_due(1000, 1, "weeks", &due), -1, "an unknown unit is refused");
	is_int(deadline_due(1000, -1, "hours", &due), -1, "a negative amount is refused");
	is_int(deadline_due(1000, 1, NULL, &due), -1, "no unit is refused");
}

TEST(percent_elapsed)
{
	is_int(deadline_percent(0, 100, 50), 50, "half way");
	is_int(deadline_percent(0, 100, -5), 0, "before the start");
	is_int(deadline_percent(0, 100, 150), 100, "past due is 100");
	is_int(deadline_percent(0, 0, 0), 100, "no time at all is due");
	is_int(deadline_percent(0, 72 * 3600, 54 * 3600), 75, "54 of 72 hours is 75 %");
}

int main(void)
{
	return tap_run();
}
