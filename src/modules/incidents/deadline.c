/* deadline.c - when a reporting duty falls due (the rules in deadline.h). */
#include "base/base.h"

#include "base/clock.h"
#include "modules/incidents/deadline.h"

/* The wall time l moved n calendar days (n >= 0), the time of day kept. */
static void add_days(struct clock_local *l, int64_t n)
{
	while (n > 0) {
		int left = clock_days_in_month(l->y, l->m) - l->d;

		if (n <= left) {
			l->d += (int)n;
			return;
		}
		n -= left + 1;
		l->d = 1;
		if (++l->m > 12) {
			l->m = 1;
			l->y++;
		}
	}
}

/* The wall time l moved n calendar months (n >= 0); a day the month lacks
 * becomes its last. */
static void add_months(struct clock_local *l, int64_t n)
{
	int64_t m = (int64_t)l->m - 1 + n;
	int last;

	l->y += (int)(m / 12);
	l->m = (int)(m % 12) + 1;
	last = clock_days_in_month(l->y, l->m);
	if (l->d > last)
		l->d = last;
}

int deadline_due(int64_t start, int64_t amount, const char *unit, int64_t *due)
{
	struct clock_local l;

	if (!unit)
		return -1;
	if (strcmp(unit, "without_delay") == 0)
		return 1;
	if (amount < 0 || amount > 1200)
		return -1;
	if (strcmp(unit, "hours") == 0) {
		*due = start + amount * 3600;
		return 0;
	}
	clock_to_local(start, &l);
	if (strcmp(unit, "days") == 0)
		add_days(&l, amount);
	else if (strcmp(unit, "months") == 0)
		add_months(&l, amount);
	else
		return -1;
	*due = clock_from_local(&l);
	return 0;
}

int deadline_percent(int64_t start, int64_t due, int64_t now)
{
	int64_t span = due - start, gone = now - start;

	if (span <= 0 || gone >= span)
		return 100;
	if (gone <= 0)
		return 0;
	return (int)(gone * 100 / span);
}
