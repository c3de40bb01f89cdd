/* compilation.c - the incidents' compilation for management
 * (/o/{org}/incidents/compilation; issue 11, seed 004 §4, R-8-24..26):
 * a period of months and a unit; by month against the previous period of
 * the same length, by category, root cause, severity (the organisation's
 * terms) and unit; the mean times to assess and to restore; the seed 004
 * compilation; the reporting duties met on time per receiver; the numbers
 * as CSV and Excel; and the incidents' section of the coordinator's
 * overview.  compilation.h states the rules.
 *
 * Costs: the period and the one before it are one range of
 * incident_month_stat (org_id, month, ...) - months x a few rows, never
 * the incidents; the duties are one range of incident_obligation_period
 * (the duties due in the period); unit names one query per 32 units.  So
 * the page makes the same number of queries for 10 incidents as for a
 * million. */
#include "base/base.h"

#include "base/arena.h"
#include "base/clock.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/incidents/compilation.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/obligations.h"
#include "modules/org/org.h"
#include "parse/csv.h"
#include "web/chart_svg.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"
#include "web/xlsx.h"

/* ---- the period ---- */

static int month_parse(const char *s, int *y, int *m)
{
	if (!s || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	return *m >= 1 && *m <= 12 && *y >= 2000 && *y <= 2999 ? 0 : -1;
}

/* months counted from year 0 */
static int month_index(int y, int m)
{
	return y * 12 + m - 1;
}

static void month_name(char out[8], int idx)
{
	int y = idx / 12 % 10000, m = idx % 12 + 1;

	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = 0;
}

/* The first moment of the month idx in Stockholm, RFC 3339 UTC */
static const char *month_start(struct arena *a, int idx)
{
	struct clock_local l = { idx / 12, idx % 12 + 1, 1, 0, 0, 0 };

	return clock_format_iso(a, clock_from_local(&l));
}

/* ---- reading the summary ---- */

static const char sql_stat[] =
	"SELECT month, unit_id, category, severity, root_group, state_group, breach, disrupt,"
	" n, assess_n, assess_s, restore_n, restore_s"
	" FROM incident_month_stat WHERE org_id = $1 AND month >= $2 AND month <= $3"
	" AND n > 0 AND ($4 = 0 OR unit_id = $4)";

/* Duties with a deadline in the period, per receiver: on time, late,
 * not reported though the time is up, time left, waived. */
static const char sql_duties[] =
	"SELECT receiver, count(*),"
	" sum(CASE WHEN status = 'discharged' AND discharged_at <= due_at THEN 1 ELSE 0 END),"
	" sum(CASE WHEN status = 'discharged' AND discharged_at > due_at THEN 1 ELSE 0 END),"
	" sum(CASE WHEN status = 'pending' AND due_at < $4 THEN 1 ELSE 0 END),"
	" sum(CASE WHEN status = 'pending' AND due_at >= $4 THEN 1 ELSE 0 END),"
	" sum(CASE WHEN status = 'waived' THEN 1 ELSE 0 END)"
	" FROM incident_obligation WHERE org_id = $1 AND archived = 0"
	" AND due_at >= $2 AND due_at < $3 GROUP BY receiver ORDER BY receiver LIMIT 16";

static const char *const intrusion_cats[] = {
	"unauthorised_access", "malware", "phishing", "suspicious_call", NULL,
};

static int is_intrusion(const char *cat)
{
	for (size_t i = 0; intrusion_cats[i]; i++)
		if (strcmp(cat, intrusion_cats[i]) == 0)
			return 1;
	return 0;
}

static size_t category_index(const char *code)
{
	size_t i;

	for (i = 0; incident_categories[i].code && i < IC_CATS - 1; i++)
		if (strcmp(incident_categories[i].code, code) == 0)
			return i;
	return i; /* an unknown code: the last slot */
}

static size_t root_index(const char *code)
{
	size_t i;

	for (i = 0; incident_root_group_choices[i].value && i < IC_ROOTS - 1; i++)
		if (code && strcmp(incident_root_group_choices[i].value, code) == 0)
			return i;
	return IC_ROOTS - 1;
}

static void add_unit(struct ic_data *d, int64_t unit, int64_t n)
{
	for (size_t i = 0; i < d->nunits; i++)
		if (d->unit_ids[i] == unit) {
			d->unit_n[i] += n;
			return;
		}
	if (d->nunits < IC_UNITS) {
		d->unit_ids[d->nunits] = unit;
		d->unit_n[d->nunits++] = n;
	}
}

int ic_read(struct ctx *cx, const char *from, const char *to, int64_t unit,
	    struct ic_data *d, struct db_error *err)
{
	struct clock_local now;
	struct db_rows r;
	int y, m, last, first, prev_first;
	char pto[8];

	memset(d, 0, sizeof(*d));
	d->unit = unit;
	clock_to_local(cx->now, &now);
	last = month_parse(to, &y, &m) == 0 ? month_index(y, m) : month_index(now.y, now.m);
	first = month_parse(from, &y, &m) == 0 ? month_index(y, m) : last - 11;
	if (first > last || last - first >= IC_MONTHS_MAX)
		first = last - 11;
	d->nmonths = last - first + 1;
	d->y0 = first / 12;
	d->m0 = first % 12 + 1;
	prev_first = first - d->nmonths;
	month_name(d->from, first);
	month_name(d->to, last);
	month_name(d->prev_from, prev_first);
	for (int i = 0; i < d->nmonths; i++) {
		char *s = arena_alloc(cx->a, 8);
		month_name(s, first + i);
		d->months[i] = s;
	}
	(void)pto;
	d->queries++;
	if (db_exec(cx->db, cx->a, sql_stat,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(d->prev_from), DB_TEXT(d->to),
			    DB_INT(unit)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *mo = db_cell(&r, i, 0);
		int idx = month_parse(mo, &y, &m) == 0 ? month_index(y, m) : -1;
		int cur = idx >= first;
		const char *cat = db_cell(&r, i, 2);
		int64_t n = db_cell_i64(&r, i, 8);
		int64_t sev = db_cell_i64(&r, i, 3);

		if (idx < prev_first || idx > last)
			continue;
		if (strcmp(db_cell(&r, i, 5), "not_incident") == 0) {
			if (cur)
				d->not_incident += n;
			continue;
		}
		if (!cur) {
			d->prev_total += n;
			d->prev_month[idx - prev_first] += n;
			d->prev_cat[category_index(cat)] += n;
			d->prev_assess_n += db_cell_i64(&r, i, 9);
			d->prev_assess_s += db_cell_i64(&r, i, 10);
			d->prev_restore_n += db_cell_i64(&r, i, 11);
			d->prev_restore_s += db_cell_i64(&r, i, 12);
			d->prev_intrusions += is_intrusion(cat) ? n : 0;
			d->prev_breaches += db_cell_i64(&r, i, 6) ? n : 0;
			d->prev_disruptions += db_cell_i64(&r, i, 7) ? n : 0;
			continue;
		}
		d->total += n;
		d->month[idx - first] += n;
		d->cat[category_index(cat)] += n;
		d->root[root_index(db_cell(&r, i, 4)[0] ? db_cell(&r, i, 4) : NULL)] += n;
		d->sev[sev >= 1 && sev <= 4 ? sev : 0] += n;
		add_unit(d, db_cell_i64(&r, i, 1), n);
		if (strcmp(db_cell(&r, i, 5), "closed") == 0)
			d->closed += n;
		else
			d->open += n;
		d->assess_n += db_cell_i64(&r, i, 9);
		d->assess_s += db_cell_i64(&r, i, 10);
		d->restore_n += db_cell_i64(&r, i, 11);
		d->restore_s += db_cell_i64(&r, i, 12);
		d->intrusions += is_intrusion(cat) ? n : 0;
		d->breaches += db_cell_i64(&r, i, 6) ? n : 0;
		d->disruptions += db_cell_i64(&r, i, 7) ? n : 0;
	}
	d->queries++;
	if (db_exec(cx->db, cx->a, sql_duties,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(month_start(cx->a, first)),
			    DB_TEXT(month_start(cx->a, last + 1)),
			    DB_TEXT(clock_format_iso(cx->a, cx->now))), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows && d->nrecv < IC_RECEIVERS; i++) {
		struct ic_receiver *v = &d->recv[d->nrecv++];
		v->receiver = db_cell(&r, i, 0);
		v->total = db_cell_i64(&r, i, 1);
		v->on_time = db_cell_i64(&r, i, 2);
		v->late = db_cell_i64(&r, i, 3);
		v->overdue = db_cell_i64(&r, i, 4);
		v->pending = db_cell_i64(&r, i, 5);
		v->waived = db_cell_i64(&r, i, 6);
	}
	/* the most first, then by id */
	for (size_t i = 1; i < d->nunits; i++)
		for (size_t k = i; k > 0 && d->unit_n[k] > d->unit_n[k - 1]; k--) {
			int64_t t = d->unit_n[k];
			d->unit_n[k] = d->unit_n[k - 1];
			d->unit_n[k - 1] = t;
			t = d->unit_ids[k];
			d->unit_ids[k] = d->unit_ids[k - 1];
			d->unit_ids[k - 1] = t;
		}
	return 0;
}

/* ---- words ---- */

static const int cat_short[] = {
	M_IC_CAT_LOST, M_IC_CAT_WRONG, M_IC_CAT_VISIBLE, M_IC_CAT_TALKED, M_IC_CAT_CALL,
	M_IC_CAT_PHISHING, M_IC_CAT_INTRUSION, M_IC_CAT_MALWARE, M_IC_CAT_OUTAGE,
	M_IC_CAT_VULN, M_IC_CAT_OTHER,
};

const char *ic_category_short(int lang, size_t i)
{
	return i < ARRAY_SIZE(cat_short) ? msg_text(lang, cat_short[i]) :
		msg_text(lang, M_IC_CAT_OTHER);
}

static size_t ncats(void)
{
	size_t n = 0;

	while (incident_categories[n].code && n < IC_CATS)
		n++;
	return n;
}

static const char *root_label(int lang, size_t i)
{
	return i < IC_ROOTS - 1 && incident_root_group_choices[i].value ?
		msg_text(lang, incident_root_group_choices[i].label) : msg_text(lang, M_IC_NO_ROOT);
}

static const char *receiver_label(int lang, const char *code)
{
	static const struct { const char *code; int msg; } known[] = {
		{ "imy", M_IC_REC_IMY }, { "csirt", M_IC_REC_CSIRT }, { "sapo", M_IC_REC_SAPO },
		{ "data_subjects", M_IC_REC_SUBJECTS }, { "ivo", M_IC_REC_IVO },
		{ "police", M_IC_REC_POLICE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (strcmp(known[i].code, code) == 0)
			return msg_text(lang, known[i].msg);
	return code;
}

const char *ic_duration(struct arena *a, int lang, int64_t sum, int64_t n)
{
	int64_t s, mins;
	const char *t;

	if (n <= 0)
		return "–";
	s = sum / n;
	mins = (s + 30) / 60;
	if (mins < 60)
		return msg_fill(a, msg_text(lang, M_IC_MINUTES), "{m}",
				arena_printf(a, "%lld", (long long)mins));
	if (mins < 48 * 60) {
		t = msg_fill(a, msg_text(lang, M_IC_HOURS), "{h}",
			     arena_printf(a, "%lld", (long long)(mins / 60)));
		return msg_fill(a, t, "{m}", arena_printf(a, "%lld", (long long)(mins % 60)));
	}
	t = msg_fill(a, msg_text(lang, M_IC_DAYS), "{d}",
		     arena_printf(a, "%lld", (long long)(mins / 1440)));
	return msg_fill(a, t, "{h}", arena_printf(a, "%lld", (long long)(mins % 1440 / 60)));
}

const char *ic_change(struct arena *a, int lang, int64_t now, int64_t prev)
{
	int64_t pct;

	if (prev == 0)
		return now ? msg_text(lang, M_IC_NEW_CAT) : "±0 %";
	pct = ((now - prev) * 100 + (now >= prev ? prev / 2 : -(prev / 2))) / prev;
	if (pct > 0)
		return arena_printf(a, "+%lld %%", (long long)pct);
	if (pct < 0)
		return arena_printf(a, "−%lld %%", (long long)-pct);
	return "±0 %";
}

static const char *num(struct arena *a, int64_t n)
{
	return arena_printf(a, "%lld", (long long)n);
}

/* ---- the numbers as one table ---- */

const char *const *ic_table_head(int lang)
{
	static const char *head[2][IC_COLS];

	if (!head[lang][0]) {
		head[lang][0] = msg_text(lang, M_IC_PART);
		head[lang][1] = msg_text(lang, M_IC_WHAT);
		head[lang][2] = msg_text(lang, M_IC_PERIOD);
		head[lang][3] = msg_text(lang, M_IC_PREV);
	}
	return head[lang];
}

struct rows {
	struct arena *a;
	const char **cells;
	size_t n, cap;
};

static void row(struct rows *t, const char *part, const char *what, const char *now,
		const char *prev)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		const char **c = arena_alloc(t->a, cap * IC_COLS * sizeof(*c));
		if (t->n)
			memcpy(c, t->cells, t->n * IC_COLS * sizeof(*c));
		t->cells = c;
		t->cap = cap;
	}
	t->cells[t->n * IC_COLS + 0] = part;
	t->cells[t->n * IC_COLS + 1] = what;
	t->cells[t->n * IC_COLS + 2] = now;
	t->cells[t->n * IC_COLS + 3] = prev;
	t->n++;
}

static int unit_names(struct ctx *cx, const struct ic_data *d, const char **names,
		      struct db_error *err)
{
	for (size_t from = 0; from < d->nunits; from += ENTITY_TITLES_MAX) {
		size_t n = d->nunits - from < ENTITY_TITLES_MAX ? d->nunits - from :
			ENTITY_TITLES_MAX;
		if (entity_titles(cx, &org_units, d->unit_ids + from, n, names + from, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < d->nunits; i++)
		if (!d->unit_ids[i] || !names[i])
			names[i] = msg_text(cx->lang, M_IC_NO_UNIT);
	return 0;
}

size_t ic_table(struct ctx *cx, const struct ic_data *d, const char ***cells)
{
	struct arena *a = cx->a;
	int lang = cx->lang;
	struct rows t = { a, NULL, 0, 0 };
	const char *units[IC_UNITS];
	struct db_error err;
	const char *p;

	p = msg_text(lang, M_IC_SUMMARY);
	row(&t, p, msg_text(lang, M_IC_TOTAL), num(a, d->total), num(a, d->prev_total));
	row(&t, p, msg_text(lang, M_IC_OPEN), num(a, d->open), "");
	row(&t, p, msg_text(lang, M_IC_CLOSED), num(a, d->closed), "");
	row(&t, p, msg_text(lang, M_IC_NOT_INCIDENT), num(a, d->not_incident), "");
	p = msg_text(lang, M_IC_TIMES);
	row(&t, p, msg_text(lang, M_IC_ASSESS_TIME), ic_duration(a, lang, d->assess_s, d->assess_n),
	    ic_duration(a, lang, d->prev_assess_s, d->prev_assess_n));
	row(&t, p, msg_text(lang, M_IC_RESTORE_TIME),
	    ic_duration(a, lang, d->restore_s, d->restore_n),
	    ic_duration(a, lang, d->prev_restore_s, d->prev_restore_n));
	p = msg_text(lang, M_IC_SEED);
	row(&t, p, msg_text(lang, M_IC_INTRUSIONS), num(a, d->intrusions),
	    num(a, d->prev_intrusions));
	row(&t, p, msg_text(lang, M_IC_BREACHES), num(a, d->breaches), num(a, d->prev_breaches));
	row(&t, p, msg_text(lang, M_IC_DISRUPTIONS), num(a, d->disruptions),
	    num(a, d->prev_disruptions));
	p = msg_text(lang, M_IC_BY_MONTH);
	for (int i = 0; i < d->nmonths; i++)
		row(&t, p, d->months[i], num(a, d->month[i]), num(a, d->prev_month[i]));
	p = msg_text(lang, M_IC_BY_CATEGORY);
	for (size_t i = 0; i < ncats(); i++)
		row(&t, p, ic_category_short(lang, i), num(a, d->cat[i]), num(a, d->prev_cat[i]));
	p = msg_text(lang, M_IC_BY_ROOT);
	for (size_t i = 0; i < IC_ROOTS; i++)
		row(&t, p, root_label(lang, i), num(a, d->root[i]), "");
	p = msg_text(lang, M_IC_BY_SEVERITY);
	for (int s = 4; s >= 0; s--)
		row(&t, p, s ? arena_printf(a, "%d %s", s, incident_severity_term(cx, s)) :
		    msg_text(lang, M_IC_NOT_ASSESSED), num(a, d->sev[s]), "");
	if (unit_names(cx, d, units, &err) == 0) {
		p = msg_text(lang, M_IC_BY_UNIT);
		for (size_t i = 0; i < d->nunits; i++)
			row(&t, p, units[i], num(a, d->unit_n[i]), "");
	}
	p = msg_text(lang, M_IC_DUTIES);
	for (size_t i = 0; i < d->nrecv; i++) {
		const struct ic_receiver *v = &d->recv[i];
		const char *who = receiver_label(lang, v->receiver);
		row(&t, p, arena_printf(a, "%s: %s", who, msg_text(lang, M_IC_ON_TIME)),
		    num(a, v->on_time), "");
		row(&t, p, arena_printf(a, "%s: %s", who, msg_text(lang, M_IC_LATE)),
		    num(a, v->late), "");
		row(&t, p, arena_printf(a, "%s: %s", who, msg_text(lang, M_IC_OVERDUE)),
		    num(a, v->overdue), "");
	}
	*cells = t.cells;
	return t.n;
}

/* ---- pictures ---- */

static const char *month_label(struct arena *a, const char *ym)
{
	static const char *const mon[] = { "jan", "feb", "mar", "apr", "maj", "jun", "jul",
					   "aug", "sep", "okt", "nov", "dec" };
	int y, m;

	if (month_parse(ym, &y, &m) != 0)
		return ym;
	return arena_printf(a, "%s %02d", mon[m - 1], y % 100);
}

struct chart *ic_chart_months(struct ctx *cx, const struct ic_data *d, int by_quarter)
{
	struct chart *c = chart_new(cx->a, CHART_BAR, "ic-months");
	int step = by_quarter && d->nmonths % 3 == 0 ? 3 : 1, n = d->nmonths / step;
	const char **cats = arena_alloc(cx->a, sizeof(*cats) * (size_t)n);
	double *now = arena_alloc(cx->a, sizeof(double) * (size_t)n);
	double *prev = arena_alloc(cx->a, sizeof(double) * (size_t)n);
	const char *alt;

	for (int i = 0; i < n; i++) {
		cats[i] = step == 1 ? month_label(cx->a, d->months[i]) :
			arena_printf(cx->a, "%s – %s", month_label(cx->a, d->months[i * 3]),
				     month_label(cx->a, d->months[i * 3 + 2]));
		now[i] = prev[i] = 0;
		for (int k = 0; k < step; k++) {
			now[i] += (double)d->month[i * step + k];
			prev[i] += (double)d->prev_month[i * step + k];
		}
	}
	c->title = msg_text(cx->lang, step == 3 ? M_IC_BY_QUARTER : M_IC_BY_MONTH);
	c->cats = cats;
	c->ncat = (size_t)n;
	c->cat_title = msg_text(cx->lang, step == 3 ? M_IC_QUARTER : M_IC_MONTH);
	c->y_label = msg_text(cx->lang, M_IC_COUNT);
	chart_add_series(cx->a, c, msg_text(cx->lang, M_IC_PERIOD), now);
	chart_add_series(cx->a, c, msg_text(cx->lang, M_IC_PREV), prev);
	alt = msg_fill(cx->a, msg_text(cx->lang, M_IC_ALT_MONTHS), "{n}", num(cx->a, d->total));
	c->alt = msg_fill(cx->a, alt, "{p}", num(cx->a, d->prev_total));
	c->empty = msg_text(cx->lang, M_IC_NONE);
	return c;
}

static size_t top_category(const struct ic_data *d)
{
	size_t best = 0;

	for (size_t i = 1; i < ncats(); i++)
		if (d->cat[i] > d->cat[best])
			best = i;
	return best;
}

struct chart *ic_chart_categories(struct ctx *cx, const struct ic_data *d, int with_prev)
{
	size_t n = ncats();
	struct chart *c = chart_new(cx->a, CHART_BAR, "ic-categories");
	const char **cats = arena_alloc(cx->a, sizeof(*cats) * n);
	double *now = arena_alloc(cx->a, sizeof(double) * n);
	double *prev = arena_alloc(cx->a, sizeof(double) * n);

	for (size_t i = 0; i < n; i++) {
		cats[i] = ic_category_short(cx->lang, i);
		now[i] = (double)d->cat[i];
		prev[i] = (double)d->prev_cat[i];
	}
	c->title = msg_text(cx->lang, M_IC_BY_CATEGORY);
	c->cats = cats;
	c->ncat = n;
	c->horizontal = 1;
	c->cat_title = msg_text(cx->lang, M_IC_CATEGORY);
	c->x_label = msg_text(cx->lang, M_IC_COUNT);
	chart_add_series(cx->a, c, msg_text(cx->lang, M_IC_PERIOD), now);
	if (with_prev)
		chart_add_series(cx->a, c, msg_text(cx->lang, M_IC_PREV), prev);
	c->alt = msg_fill(cx->a, msg_text(cx->lang, M_IC_ALT_CATEGORIES), "{top}",
			  d->total ? ic_category_short(cx->lang, top_category(d)) : "–");
	c->empty = msg_text(cx->lang, M_IC_NONE);
	return c;
}

struct chart *ic_chart_roots(struct ctx *cx, const struct ic_data *d)
{
	struct chart *c = chart_new(cx->a, CHART_BAR, "ic-roots");
	const char **cats = arena_alloc(cx->a, sizeof(*cats) * IC_ROOTS);
	double *now = arena_alloc(cx->a, sizeof(double) * IC_ROOTS);

	for (size_t i = 0; i < IC_ROOTS; i++) {
		cats[i] = root_label(cx->lang, i);
		now[i] = (double)d->root[i];
	}
	c->title = msg_text(cx->lang, M_IC_BY_ROOT);
	c->cats = cats;
	c->ncat = IC_ROOTS;
	c->horizontal = 1;
	c->cat_title = msg_text(cx->lang, M_IC_BY_ROOT);
	c->x_label = msg_text(cx->lang, M_IC_COUNT);
	chart_add_series(cx->a, c, msg_text(cx->lang, M_IC_PERIOD), now);
	c->alt = msg_text(cx->lang, M_IC_ALT_ROOTS);
	c->empty = msg_text(cx->lang, M_IC_NONE);
	return c;
}

/* ---- the page ---- */

static const char sql_units[] =
	"SELECT id, name FROM unit WHERE org_id = $1 AND archived = 0 ORDER BY name_sk, id"
	" LIMIT 300";

static void period_form(struct req *q, const struct ic_data *d, struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_units, DB_ARGS(DB_INT(cx->org->id)), &r, &err) != 0) {
		req_fail(q, "the units", &err);
		return;
	}
	h_lit(h, "<form method=\"get\" class=\"ic-period\" action=\"");
	h_url(h, "/o/%s/incidents/compilation", cx->org->slug);
	h_lit(h, "\"><div class=\"field\"><label for=\"ic-from\">");
	h_msg(h, M_IC_FROM);
	h_lit(h, "</label><p class=\"hint\" id=\"ic-month-hint\">");
	h_msg(h, M_IC_MONTH_HINT);
	h_lit(h, "</p><input id=\"ic-from\" name=\"from\" type=\"text\" size=\"8\""
		 " autocomplete=\"off\" pattern=\"[0-9]{4}-[0-9]{2}\""
		 " aria-describedby=\"ic-month-hint\"");
	h_attr(h, "value", d->from);
	h_lit(h, "></div><div class=\"field\"><label for=\"ic-to\">");
	h_msg(h, M_IC_TO);
	h_lit(h, "</label><input id=\"ic-to\" name=\"to\" type=\"text\" size=\"8\""
		 " autocomplete=\"off\" pattern=\"[0-9]{4}-[0-9]{2}\""
		 " aria-describedby=\"ic-month-hint\"");
	h_attr(h, "value", d->to);
	h_lit(h, "></div><div class=\"field\"><label for=\"ic-unit\">");
	h_msg(h, M_IC_UNIT);
	h_lit(h, "</label><select id=\"ic-unit\" name=\"unit\"><option value=\"0\">");
	h_msg(h, M_IC_ALL_UNITS);
	h_lit(h, "</option>");
	for (size_t i = 0; i < r.nrows; i++) {
		h_lit(h, "<option");
		h_attr(h, "value", db_cell(&r, i, 0));
		if (db_cell_i64(&r, i, 0) == d->unit)
			h_lit(h, " selected");
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 1));
		h_lit(h, "</option>");
	}
	h_lit(h, "</select></div><button type=\"submit\">");
	h_msg(h, M_IC_SHOW);
	h_lit(h, "</button></form>");
}

static void count_row(struct html *h, const char *label, int64_t now, const char *prev,
		      const char *change)
{
	part_tr(h);
	part_th_row_begin(h);
	h_text(h, label);
	part_th_row_end(h);
	part_td_begin(h);
	h_int(h, now);
	part_td_end(h);
	part_td(h, prev ? prev : "");
	part_td(h, change ? change : "");
	part_tr_end(h);
}

static void seed_section(struct ctx *cx, const struct ic_data *d, struct html *h)
{
	static const struct { int label, rule; } rules[] = {
		{ M_IC_INTRUSIONS, M_IC_INTRUSIONS_RULE },
		{ M_IC_BREACHES, M_IC_BREACHES_RULE },
		{ M_IC_DISRUPTIONS, M_IC_DISRUPTIONS_RULE },
	};
	const int64_t now[] = { d->intrusions, d->breaches, d->disruptions };
	const int64_t prev[] = { d->prev_intrusions, d->prev_breaches, d->prev_disruptions };

	part_section_begin(h, "ic-seed", M_IC_SEED);
	h_lit(h, "<p>");
	h_msg(h, M_IC_SEED_INTRO);
	h_lit(h, "</p><ul class=\"ic-rules\">");
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		h_lit(h, "<li><strong>");
		h_msg(h, rules[i].label);
		h_lit(h, "</strong>: ");
		h_msg(h, rules[i].rule);
		h_lit(h, "</li>");
	}
	h_lit(h, "</ul>");
	part_table_begin(h, M_IC_SEED, NULL);
	part_th(h, M_IC_WHAT);
	part_th(h, M_IC_PERIOD);
	part_th(h, M_IC_PREV);
	part_th(h, M_IC_CHANGE);
	part_table_body(h);
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		count_row(h, msg_text(cx->lang, rules[i].label), now[i], num(cx->a, prev[i]),
			  ic_change(cx->a, cx->lang, now[i], prev[i]));
	part_table_end(h);
	part_section_end(h);
}

static void duties_section(struct ctx *cx, const struct ic_data *d, struct html *h)
{
	part_section_begin(h, "ic-duties", M_IC_DUTIES);
	h_lit(h, "<p>");
	h_msg(h, M_IC_DUTIES_INTRO);
	h_lit(h, "</p>");
	if (!d->nrecv) {
		part_empty(h, M_IC_NO_DUTIES);
		part_section_end(h);
		return;
	}
	part_table_begin(h, M_IC_DUTIES, NULL);
	part_th(h, M_IC_RECEIVER);
	part_th(h, M_IC_DUTY_TOTAL);
	part_th(h, M_IC_ON_TIME);
	part_th(h, M_IC_LATE);
	part_th(h, M_IC_OVERDUE);
	part_th(h, M_IC_PENDING);
	part_table_body(h);
	for (size_t i = 0; i < d->nrecv; i++) {
		const struct ic_receiver *v = &d->recv[i];
		part_tr(h);
		part_th_row_begin(h);
		h_text(h, receiver_label(cx->lang, v->receiver));
		part_th_row_end(h);
		part_td(h, num(cx->a, v->total));
		part_td(h, num(cx->a, v->on_time));
		part_td(h, num(cx->a, v->late));
		part_td_begin(h);
		if (v->overdue)
			h_lit(h, "<strong class=\"overdue\">");
		h_int(h, v->overdue);
		if (v->overdue)
			h_lit(h, "</strong>");
		part_td_end(h);
		part_td(h, num(cx->a, v->pending));
		part_tr_end(h);
	}
	part_table_end(h);
	part_section_end(h);
}

static void breakdown(struct html *h, const char *id, int heading, const char *const *labels,
		      const int64_t *n, size_t count, int64_t total, struct arena *a)
{
	part_section_begin(h, id, heading);
	part_table_begin(h, heading, NULL);
	part_th(h, M_IC_WHAT);
	part_th(h, M_IC_COUNT);
	part_table_body(h);
	for (size_t i = 0; i < count; i++) {
		if (!n[i])
			continue;
		part_tr(h);
		part_th_row_begin(h);
		h_text(h, labels[i]);
		part_th_row_end(h);
		part_td(h, arena_printf(a, "%lld (%lld %%)", (long long)n[i],
					(long long)(total ? (n[i] * 100 + total / 2) / total : 0)));
		part_tr_end(h);
	}
	part_table_end(h);
	part_section_end(h);
}

static void compilation_page(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct ic_data d;
	struct db_error err;
	struct html h;
	char pto[8];
	const char *text, *labels[IC_UNITS > IC_ROOTS ? IC_UNITS : IC_ROOTS];
	int64_t sev[5];

	if (ic_read(cx, req_param(q, "from"), req_param(q, "to"),
		    req_int(q, "unit", 0, INT64_MAX, 0), &d, &err) != 0) {
		req_fail(q, "the incidents' compilation", &err);
		return;
	}
	page_begin(q, resp, &h, M_IC_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_IC_INTRO);
	h_lit(&h, "</p>");
	period_form(q, &d, &h);
	{
		int y, m;
		month_parse(d.from, &y, &m);
		month_name(pto, month_index(y, m) - 1);
	}
	text = msg_fill(cx->a, msg_text(cx->lang, M_IC_PERIOD_TEXT), "{from}", d.from);
	text = msg_fill(cx->a, text, "{to}", d.to);
	text = msg_fill(cx->a, text, "{pfrom}", d.prev_from);
	text = msg_fill(cx->a, text, "{pto}", pto);
	h_lit(&h, "<p class=\"ic-period-text\">");
	h_text(&h, text);
	h_lit(&h, "</p>");

	part_section_begin(&h, "ic-summary", M_IC_SUMMARY);
	part_table_begin(&h, M_IC_SUMMARY, NULL);
	part_th(&h, M_IC_WHAT);
	part_th(&h, M_IC_PERIOD);
	part_th(&h, M_IC_PREV);
	part_th(&h, M_IC_CHANGE);
	part_table_body(&h);
	count_row(&h, msg_text(cx->lang, M_IC_TOTAL), d.total, num(cx->a, d.prev_total),
		  ic_change(cx->a, cx->lang, d.total, d.prev_total));
	count_row(&h, msg_text(cx->lang, M_IC_OPEN), d.open, NULL, NULL);
	count_row(&h, msg_text(cx->lang, M_IC_CLOSED), d.closed, NULL, NULL);
	count_row(&h, msg_text(cx->lang, M_IC_NOT_INCIDENT), d.not_incident, NULL, NULL);
	part_tr(&h);
	part_th_row_begin(&h);
	h_msg(&h, M_IC_ASSESS_TIME);
	part_th_row_end(&h);
	part_td(&h, ic_duration(cx->a, cx->lang, d.assess_s, d.assess_n));
	part_td(&h, ic_duration(cx->a, cx->lang, d.prev_assess_s, d.prev_assess_n));
	part_td(&h, "");
	part_tr_end(&h);
	part_tr(&h);
	part_th_row_begin(&h);
	h_msg(&h, M_IC_RESTORE_TIME);
	part_th_row_end(&h);
	part_td(&h, ic_duration(cx->a, cx->lang, d.restore_s, d.restore_n));
	part_td(&h, ic_duration(cx->a, cx->lang, d.prev_restore_s, d.prev_restore_n));
	part_td(&h, "");
	part_tr_end(&h);
	part_table_end(&h);
	h_lit(&h, "<p class=\"hint\">");
	h_msg(&h, M_IC_TIMES_NOTE);
	h_lit(&h, "</p>");
	part_section_end(&h);

	seed_section(cx, &d, &h);

	part_section_begin(&h, "ic-charts", M_IC_BY_MONTH);
	h_chart(&h, ic_chart_months(cx, &d, 0));
	part_section_end(&h);
	part_section_begin(&h, "ic-categories", M_IC_BY_CATEGORY);
	h_chart(&h, ic_chart_categories(cx, &d, 1));
	part_section_end(&h);

	for (size_t i = 0; i < IC_ROOTS; i++)
		labels[i] = root_label(cx->lang, i);
	breakdown(&h, "ic-roots", M_IC_BY_ROOT, labels, d.root, IC_ROOTS, d.total, cx->a);
	for (int s = 0; s <= 4; s++) {
		labels[s] = s ? arena_printf(cx->a, "%d %s", 5 - s, incident_severity_term(cx, 5 - s)) :
			msg_text(cx->lang, M_IC_NOT_ASSESSED);
		sev[s] = s ? d.sev[5 - s] : d.sev[0];
	}
	/* most severe first, not assessed last */
	{
		const char *l0 = labels[0];
		int64_t n0 = sev[0];
		for (int s = 0; s < 4; s++) {
			labels[s] = labels[s + 1];
			sev[s] = sev[s + 1];
		}
		labels[4] = l0;
		sev[4] = n0;
	}
	breakdown(&h, "ic-severity", M_IC_BY_SEVERITY, labels, sev, 5, d.total, cx->a);
	if (unit_names(cx, &d, labels, &err) != 0) {
		req_fail(q, "the units' names", &err);
	} else {
		breakdown(&h, "ic-units", M_IC_BY_UNIT, labels, d.unit_n, d.nunits, d.total, cx->a);
	}
	duties_section(cx, &d, &h);

	part_section_begin(&h, "ic-export", M_IC_EXPORT);
	h_lit(&h, "<ul class=\"ic-export\"><li><a");
	h_href(&h, "/o/%s/incidents/compilation.csv?from=%s&to=%s&unit=%lld", cx->org->slug, d.from,
	       d.to, (long long)d.unit);
	h_lit(&h, ">");
	h_msg(&h, M_IC_CSV);
	h_lit(&h, "</a></li><li><a");
	h_href(&h, "/o/%s/incidents/compilation.xlsx?from=%s&to=%s&unit=%lld", cx->org->slug,
	       d.from, d.to, (long long)d.unit);
	h_lit(&h, ">");
	h_msg(&h, M_IC_XLSX);
	h_lit(&h, "</a></li><li><a");
	h_href(&h, "/o/%s/documents/incident-compilation.pdf?unit=%lld", cx->org->slug,
	       (long long)d.unit);
	h_lit(&h, ">");
	h_msg(&h, M_IC_PDF);
	h_lit(&h, "</a></li></ul>");
	part_section_end(&h);
	page_end(q, resp, &h);
}

static void compilation_csv(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *const *head = ic_table_head(cx->lang);
	const char **cells;
	struct ic_data d;
	struct db_error err;
	size_t n;

	if (ic_read(cx, req_param(q, "from"), req_param(q, "to"),
		    req_int(q, "unit", 0, INT64_MAX, 0), &d, &err) != 0) {
		req_fail(q, "the incidents' compilation", &err);
		return;
	}
	n = ic_table(cx, &d, &cells);
	csv_write_bom(&resp->body);
	for (size_t c = 0; c < IC_COLS; c++)
		csv_write_cell(&resp->body, head[c], c == 0);
	csv_end_row(&resp->body);
	for (size_t i = 0; i < n; i++) {
		for (size_t c = 0; c < IC_COLS; c++)
			csv_write_cell(&resp->body, cells[i * IC_COLS + c], c == 0);
		csv_end_row(&resp->body);
	}
	resp->content_type = "text/csv; charset=utf-8";
	resp->download_name = arena_printf(cx->a, "%s-incidenter-%s-%s.csv", cx->org->slug,
					   d.from, d.to);
}

static void compilation_xlsx(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct xlsx_table t;
	const char **cells;
	struct ic_data d;
	struct db_error err;

	if (ic_read(cx, req_param(q, "from"), req_param(q, "to"),
		    req_int(q, "unit", 0, INT64_MAX, 0), &d, &err) != 0) {
		req_fail(q, "the incidents' compilation", &err);
		return;
	}
	t.sheet = msg_text(cx->lang, M_IC_SHEET);
	t.ncols = IC_COLS;
	t.nrows = ic_table(cx, &d, &cells);
	t.head = ic_table_head(cx->lang);
	t.cells = cells;
	xlsx_respond_tables(q, resp, arena_printf(cx->a, "%s-incidenter-%s-%s.xlsx",
						  cx->org->slug, d.from, d.to), &t, 1);
}

static const struct param params[] = {
	{ "from", P_STR, 7 },
	{ "to", P_STR, 7 },
	{ "unit", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

const struct route incident_compilation_routes[] = {
	{ "GET", "/o/{org}/incidents/compilation", compilation_page, ROLES_OVERVIEW, 0, 0, params,
	  NULL },
	{ "GET", "/o/{org}/incidents/compilation.csv", compilation_csv, ROLES_OVERVIEW, 0, 0,
	  params, NULL },
	{ "GET", "/o/{org}/incidents/compilation.xlsx", compilation_xlsx, ROLES_OVERVIEW, 0, 0,
	  params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};

/* ---- the coordinator's overview ---- */

static const char sql_month_now[] =
	"SELECT coalesce(sum(n), 0) FROM incident_month_stat WHERE org_id = $1 AND month = $2"
	" AND state_group <> 'not_incident'";
/* the open ones by severity: the organisation's summary rows (months x a
 * few), never the incidents */
static const char sql_open_by_severity[] =
	"SELECT severity, sum(n) FROM incident_month_stat WHERE org_id = $1"
	" AND state_group = 'open' GROUP BY severity";
static const char sql_new[] =
	"SELECT count(*) FROM (SELECT 1 FROM incident WHERE org_id = $1 AND state = 'reported'"
	" AND archived = 0 LIMIT $2) x";

static int incident_figures(struct ctx *cx, struct overview_figure *out, int max,
			    struct db_error *err)
{
	static const int sev_label[] = { M_IC_OV_SEV4, M_IC_OV_SEV3, M_IC_OV_SEV2, M_IC_OV_SEV1 };
	const char *month = incident_stat_month(cx->a, clock_format_iso(cx->a, cx->now));
	struct overview_figure f;
	struct db_val p[2];
	struct db_rows r;
	int64_t by_sev[5] = { 0 }, open = 0;
	int n = 0;

	if (db_exec(cx->db, cx->a, sql_month_now,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(month)), &r, err) != 0)
		return -1;
	if (n < max)
		out[n++] = (struct overview_figure){ M_IC_OV_MONTH, db_cell_i64(&r, 0, 0), 0,
						     "/incidents/compilation", 0 };
	memset(&f, 0, sizeof(f));
	p[0] = DB_INT(cx->org->id);
	if (overview_count(cx, &f, sql_new, p, 1, err) != 0)
		return -1;
	f.label = M_IC_OV_NEW;
	f.path = "/incident-queue?state=reported";
	f.attention = 1;
	if (n < max)
		out[n++] = f;
	if (db_exec(cx->db, cx->a, sql_open_by_severity, DB_ARGS(DB_INT(cx->org->id)), &r,
		    err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int64_t s = db_cell_i64(&r, i, 0);
		by_sev[s >= 1 && s <= 4 ? s : 0] += db_cell_i64(&r, i, 1);
		open += db_cell_i64(&r, i, 1);
	}
	if (n < max)
		out[n++] = (struct overview_figure){ M_IC_OV_OPEN, open, 0, "/incident-queue", 0 };
	for (int s = 4; s >= 1 && n < max; s--)
		out[n++] = (struct overview_figure){
			sev_label[4 - s], by_sev[s], 0,
			arena_printf(cx->a, "/incidents?severity=%d&sort=reported_at&desc=1", s),
			s >= 3 };
	return n;
}

const struct follow_up_section incident_follow_up[] = {
	{ ROLES_OVERVIEW, M_IC_OV_HEADING, incident_figures },
	{ ROLES_INCIDENT_DESK, M_IO_OV_HEADING, obligation_figures },
	{ 0, 0, NULL },
};
