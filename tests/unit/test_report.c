/* test_report.c - the management report's periods and sections
 * (core/report.c): Stockholm days, the presets as seen on a given day,
 * the previous period (whole months against as many months, other days
 * against as many days), malformed periods refused with the message
 * that says why, and every module's sections in their order. */
#include "base/base.h"

#include "base/arena.h"
#include "base/clock.h"
#include "core/i18n.h"
#include "core/report.h"
#include "tap.h"

static struct arena a = ARENA_INIT;

/* "from – last, prev_from" of p */
static const char *show(const struct report_period *p)
{
	return arena_printf(&a, "%s – %s, %s", report_day(&a, p->from), report_last_day(&a, p),
			    report_day(&a, p->prev_from));
}

static int64_t noon(int y, int m, int d)
{
	struct clock_local l = { y, m, d, 12, 0, 0 };

	return clock_from_local(&l);
}

static const char *preset_at(int preset, int64_t now)
{
	struct report_period p;

	report_preset(preset, now, &p);
	return show(&p);
}

static const char *days(const char *from, const char *to)
{
	struct report_period p;
	int why = 0;

	if (report_period_days(from, to, &p, &why) != 0)
		return msg_text(LANG_SV, why);
	return show(&p);
}

/* covers R-15-08 */
TEST(presets)
{
	is_str(preset_at(REPORT_LAST_QUARTER, noon(2026, 11, 2)), "2026-07-01 – 2026-09-30, 2026-04-01",
	       "last quarter in November");
	is_str(preset_at(REPORT_LAST_QUARTER, noon(2026, 1, 15)), "2025-10-01 – 2025-12-31, 2025-07-01",
	       "last quarter in January: the year before's");
	is_str(preset_at(REPORT_LAST_HALF, noon(2026, 7, 1)), "2026-01-01 – 2026-06-30, 2025-07-01",
	       "last half year on 1 July");
	is_str(preset_at(REPORT_LAST_HALF, noon(2026, 3, 3)), "2025-07-01 – 2025-12-31, 2025-01-01",
	       "last half year in March");
	is_str(preset_at(REPORT_LAST_YEAR, noon(2026, 12, 31)), "2025-01-01 – 2025-12-31, 2024-01-01",
	       "last year");
	is_str(preset_at(REPORT_THIS_YEAR, noon(2026, 3, 10)), "2026-01-01 – 2026-03-10, 2025-10-24",
	       "this year so far, today included, against as many days before");
	is_int(report_preset_by_name("last-half"), REPORT_LAST_HALF, "a preset by its name");
	is_int(report_preset_by_name("next-year"), -1, "an unknown one");
}

TEST(custom_days)
{
	is_str(days("2026-03-01", "2026-03-31"), "2026-03-01 – 2026-03-31, 2026-02-01",
	       "a whole month against the month before");
	is_str(days("2026-01-01", "2026-06-30"), "2026-01-01 – 2026-06-30, 2025-07-01",
	       "a whole half year against the one before");
	is_str(days("2026-03-10", "2026-03-19"), "2026-03-10 – 2026-03-19, 2026-02-28",
	       "ten days against the ten before");
	is_str(days("2026-03-29", "2026-03-29"), "2026-03-29 – 2026-03-29, 2026-03-28",
	       "the day the clocks go forward (23 hours) is one day");
	is_str(days("2026-10-25", "2026-10-26"), "2026-10-25 – 2026-10-26, 2026-10-23",
	       "and the day they go back (25 hours)");
	is_int(report_days(report_day_start("2026-03-29"), report_day_start("2026-03-30")), 1,
	       "a 23-hour day counts once");
	is_str(days("2026-02-29", "2026-03-31"), "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-01-31.",
	       "a day that does not exist");
	is_str(days("2026-1-01", "2026-03-31"), "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-01-31.",
	       "a day written otherwise");
	is_str(days("", "2026-03-31"), "Ange datum som ÅÅÅÅ-MM-DD, till exempel 2026-01-31.",
	       "a day missing");
	is_str(days("2026-04-01", "2026-03-31"), "Periodens slut kan inte ligga före dess början.",
	       "an end before the start");
	is_str(days("2019-01-01", "2026-03-31"), "Perioden får vara högst fem år.", "too long");
	ok(report_day_start("1999-12-31") < 0 && report_day_start("2026-12-32") < 0,
	   "days out of range");
}

/* covers R-15-13 */
TEST(sections_in_order)
{
	const struct report_section *const *s;
	size_t n = report_sections(&s);
	int sorted = 1, have[7] = { 0 };

	for (size_t i = 0; i < n; i++) {
		if (i && s[i - 1]->order > s[i]->order)
			sorted = 0;
		if (s[i]->order % 10 == 0 && s[i]->order / 10 < 7)
			have[s[i]->order / 10] = 1;
	}
	ok(n >= 5, "the existing modules' sections (%zu)", n);
	ok(sorted, "in their order");
	ok(have[1] && have[2] && have[3] && have[5] && have[6],
	   "classification 10, gaps 20, incidents 30, actions 50, approvals 60");
}

int main(void)
{
	int rc = tap_run();

	arena_release(&a);
	return rc;
}
