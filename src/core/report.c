/* report.c - the management report's engine (core/report.h): periods of
 * Stockholm days, the presets, and every module's report_section built in
 * order.  The sections' own queries read summaries or bounded counts
 * (core/module.h), so a report costs the same whatever the registers'
 * size; this file adds no query of its own. */
#include "base/base.h"

#include <pthread.h>

#include "base/arena.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/report.h"

#define SECTIONS_MAX 64

static const struct report_section *sections[SECTIONS_MAX];
static size_t nsections;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void gather(void)
{
	for (size_t m = 0; modules[m]; m++)
		for (const struct report_section *s = modules[m]->report; s && s->order; s++) {
			size_t i;
			if (nsections == SECTIONS_MAX)
				BUG("more report sections than the report holds");
			/* insertion by order; equal orders keep module order */
			for (i = nsections; i > 0 && sections[i - 1]->order > s->order; i--)
				sections[i] = sections[i - 1];
			sections[i] = s;
			nsections++;
		}
}

size_t report_sections(const struct report_section *const **out)
{
	pthread_once(&once, gather);
	*out = sections;
	return nsections;
}

/* ---- days ---- */

static int64_t day_midnight(int64_t day)
{
	/* noon UTC of the day is 13:00 or 14:00 in Stockholm: the same day */
	return clock_local_midnight(day * 86400 + 43200, NULL);
}

int64_t report_add_days(int64_t t, int days)
{
	int64_t d;

	clock_local_midnight(t, &d);
	return day_midnight(d + days);
}

int report_days(int64_t from, int64_t to)
{
	int64_t a, b;

	clock_local_midnight(from, &a);
	clock_local_midnight(to, &b);
	return (int)(b - a);
}

static int64_t local_day(int y, int m, int d)
{
	struct clock_local l = { y, m, d, 12, 0, 0 };

	return clock_local_midnight(clock_from_local(&l), NULL);
}

int64_t report_day_start(const char *s)
{
	struct clock_local l = { 0, 0, 0, 12, 0, 0 };

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	l.y = atoi(s);
	l.m = atoi(s + 5);
	l.d = atoi(s + 8);
	if (l.y < 2000 || l.y > 2999 || !clock_valid_local(&l))
		return -1;
	return clock_local_midnight(clock_from_local(&l), NULL);
}

const char *report_day(struct arena *a, int64_t t)
{
	struct clock_local l;

	clock_to_local(t, &l);
	return arena_printf(a, "%04d-%02d-%02d", l.y, l.m, l.d);
}

const char *report_last_day(struct arena *a, const struct report_period *p)
{
	return report_day(a, report_add_days(p->to, -1));
}

int report_period_days(const char *from, const char *to, struct report_period *p, int *why)
{
	int64_t f = report_day_start(from), t = report_day_start(to);
	int days;

	if (f < 0 || t < 0) {
		*why = M_RP_BAD_DATE;
		return -1;
	}
	t = report_add_days(t, 1);
	if (t <= f) {
		*why = M_RP_BAD_ORDER;
		return -1;
	}
	days = report_days(f, t);
	if (days > REPORT_MAX_DAYS) {
		*why = M_RP_TOO_LONG;
		return -1;
	}
	p->from = f;
	p->to = t;
	p->prev_from = report_add_days(f, -days);
	/* whole months (a quarter, a year): the months before, as many */
	{
		struct clock_local a, b;
		clock_to_local(f, &a);
		clock_to_local(t, &b);
		if (a.d == 1 && b.d == 1) {
			int ma = a.y * 12 + a.m - 1, mb = b.y * 12 + b.m - 1, len = mb - ma;
			p->prev_from = local_day((ma - len) / 12, (ma - len) % 12 + 1, 1);
		}
	}
	return 0;
}

/* ---- presets ---- */

static const char *const preset_names[REPORT__PRESETS] = {
	"last-quarter", "last-half", "last-year", "this-year",
};

int report_preset_by_name(const char *name)
{
	for (int i = 0; name && i < REPORT__PRESETS; i++)
		if (strcmp(name, preset_names[i]) == 0)
			return i;
	return -1;
}

const char *report_preset_name(int preset)
{
	return preset >= 0 && preset < REPORT__PRESETS ? preset_names[preset] : NULL;
}

/* [months a, months b) counted from year 0, as days */
static void months(struct report_period *p, int a, int b, int len)
{
	p->from = local_day(a / 12, a % 12 + 1, 1);
	p->to = local_day(b / 12, b % 12 + 1, 1);
	p->prev_from = local_day((a - len) / 12, (a - len) % 12 + 1, 1);
}

void report_preset(int preset, int64_t now, struct report_period *p)
{
	struct clock_local l;
	int cur;

	clock_to_local(now, &l);
	cur = l.y * 12 + l.m - 1;
	switch (preset) {
	case REPORT_LAST_HALF: {
		int start = cur - cur % 6;
		months(p, start - 6, start, 6);
		break;
	}
	case REPORT_LAST_YEAR:
		months(p, (l.y - 1) * 12, l.y * 12, 12);
		break;
	case REPORT_THIS_YEAR: {
		int days;
		p->from = local_day(l.y, 1, 1);
		p->to = report_add_days(now, 1);
		days = report_days(p->from, p->to);
		p->prev_from = report_add_days(p->from, -days);
		break;
	}
	default: {
		int start = cur - cur % 3;
		months(p, start - 3, start, 3);
		break;
	}
	}
}

/* ---- readings ---- */

const char *report_fill(struct arena *a, const char *text, const char *key, int64_t n)
{
	const char *at;

	while (key && (at = strstr(text, key)))
		text = arena_printf(a, "%.*s%lld%s", (int)(at - text), text, (long long)n,
				    at + strlen(key));
	return text;
}

const char *report_say(struct ctx *cx, int msg, const char *k1, int64_t v1, const char *k2,
		       int64_t v2, const char *k3, int64_t v3, const char *k4, int64_t v4)
{
	const char *t = msg_text(cx->lang, msg);

	t = report_fill(cx->a, t, k1, v1);
	t = report_fill(cx->a, t, k2, v2);
	t = report_fill(cx->a, t, k3, v3);
	return report_fill(cx->a, t, k4, v4);
}

/* ---- building ---- */

int report_build(struct ctx *cx, const struct report_period *p, struct report_entry **out,
		 size_t *n, struct db_error *err)
{
	struct report_entry *e;
	size_t k = 0;

	pthread_once(&once, gather);
	e = arena_alloc(cx->a, (nsections + 1) * sizeof(*e));
	for (size_t i = 0; i < nsections; i++) {
		if (!cx->org || !(cx->org->org_roles & sections[i]->roles))
			continue;
		memset(&e[k], 0, sizeof(e[k]));
		e[k].section = sections[i];
		if (sections[i]->build(cx, p, &e[k].part, err) != 0)
			return -1;
		k++;
	}
	*out = e;
	*n = k;
	return 0;
}
