/* charts.c - the system register's pictures on the start page (struct
 * overview_chart): the protection levels per aspect, and how far the
 * systems' information is classified.
 *
 * Both read system_stat (migrations 0011), the counts the triggers on
 * it_system keep in the writes' own transactions: one lookup of a few
 * rows by the organisation's key, whatever the size of the register. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "db/db.h"
#include "core/roles.h"
#include "modules/systems/systems.h"

static const char sql_stats[] =
	"SELECT stat, n FROM system_stat WHERE org_id = $1";

#define LEVELS 5  /* 0 (ej klassad), 1..4 */

struct stats {
	int64_t level[ASPECT__COUNT][LEVELS];
	int64_t cov_done, cov_open, cov_none;
};

static int read_stats(struct ctx *cx, struct stats *st, struct db_error *err)
{
	struct db_rows rows;
	static const char letters[] = "krts";

	memset(st, 0, sizeof(*st));
	if (db_exec(cx->db, cx->a, sql_stats, DB_ARGS(DB_INT(cx->org->id)), &rows, err) != 0)
		return -1;
	for (size_t i = 0; i < rows.nrows; i++) {
		const char *k = db_cell(&rows, i, 0);
		int64_t n = db_cell_i64(&rows, i, 1);
		const char *p;
		if (!k)
			continue;
		if (strcmp(k, "cov_done") == 0)
			st->cov_done = n;
		else if (strcmp(k, "cov_open") == 0)
			st->cov_open = n;
		else if (strcmp(k, "cov_none") == 0)
			st->cov_none = n;
		else if (k[0] && (p = strchr(letters, k[0])) && k[1] >= '0' && k[1] <= '4' && !k[2])
			st->level[p - letters][k[1] - '0'] = n;
	}
	return 0;
}

/* text with "{key}" replaced by n */
static const char *put(struct arena *a, const char *text, const char *key, int64_t n)
{
	const char *at = strstr(text, key);

	if (!at)
		return text;
	return arena_printf(a, "%.*s%lld%s", (int)(at - text), text, (long long)n,
			    at + strlen(key));
}

static const char *const *aspects(struct ctx *cx)
{
	const char **v = arena_alloc(cx->a, ASPECT__COUNT * sizeof(*v));

	for (int a = 0; a < ASPECT__COUNT; a++)
		v[a] = msg_text(cx->lang, aspect_label[a]);
	return v;
}

static int build_levels(struct ctx *cx, struct chart **out, struct db_error *err)
{
	static const int pattern[LEVELS] = { CHART_PAT_VLINES, CHART_PAT_SOLID, CHART_PAT_HATCH,
					     CHART_PAT_DOTS, CHART_PAT_CROSS };
	struct stats st;
	struct chart *c;
	struct chart_words *words;
	int64_t total = 0;
	const char *alt;

	if (read_stats(cx, &st, err) != 0)
		return -1;
	c = chart_new(cx->a, CHART_STACKED_BAR, "ch-levels");
	c->title = msg_text(cx->lang, M_CH_LEVELS);
	c->cat_title = msg_text(cx->lang, M_CH_ASPECT);
	c->x_label = msg_text(cx->lang, M_CH_NUMBER_OF_SYSTEMS);
	c->empty = msg_text(cx->lang, M_CHART_EMPTY);
	c->cats = aspects(cx);
	c->ncat = ASPECT__COUNT;
	c->horizontal = 1;
	words = arena_alloc(cx->a, sizeof(*words));
	words->total = msg_text(cx->lang, M_CHART_TOTAL);
	c->words = words;
	/* levels 1..4 in order, then those without a level */
	for (int k = 1; k <= LEVELS; k++) {
		int lv = k % LEVELS;
		double v[ASPECT__COUNT];
		struct chart_series *s;
		for (int a = 0; a < ASPECT__COUNT; a++)
			v[a] = (double)st.level[a][lv];
		s = chart_add_series(cx->a, c, lv ? put(cx->a, msg_text(cx->lang, M_CH_LEVEL_N), "{n}", lv)
					      : msg_text(cx->lang, M_SP_NOT_CLASSIFIED), v);
		s->colour = chart_level_colour[lv];
		s->pattern = pattern[lv];
	}
	for (int lv = 0; lv < LEVELS; lv++)
		total += st.level[ASPECT_K][lv];
	alt = put(cx->a, msg_text(cx->lang, M_CH_LEVELS_ALT), "{n}", total);
	alt = put(cx->a, alt, "{high}", st.level[ASPECT_K][3] + st.level[ASPECT_K][4]);
	alt = put(cx->a, alt, "{none}", st.level[ASPECT_K][0]);
	c->alt = alt;
	*out = c;
	return 0;
}

static int build_coverage(struct ctx *cx, struct chart **out, struct db_error *err)
{
	struct stats st;
	struct chart *c;
	const char **cats;
	double v[3];
	const char *alt;

	if (read_stats(cx, &st, err) != 0)
		return -1;
	c = chart_new(cx->a, CHART_BAR, "ch-coverage");
	c->title = msg_text(cx->lang, M_CH_COVERAGE);
	c->cat_title = msg_text(cx->lang, M_CH_INFORMATION);
	c->x_label = msg_text(cx->lang, M_CH_NUMBER_OF_SYSTEMS);
	c->empty = msg_text(cx->lang, M_CHART_EMPTY);
	cats = arena_alloc(cx->a, 3 * sizeof(*cats));
	cats[0] = msg_text(cx->lang, M_CH_COV_DONE);
	cats[1] = msg_text(cx->lang, M_CH_COV_OPEN);
	cats[2] = msg_text(cx->lang, M_CH_COV_NONE);
	c->cats = cats;
	c->ncat = 3;
	c->horizontal = 1;
	v[0] = (double)st.cov_done;
	v[1] = (double)st.cov_open;
	v[2] = (double)st.cov_none;
	chart_add_series(cx->a, c, msg_text(cx->lang, M_CH_NUMBER_OF_SYSTEMS), v);
	alt = put(cx->a, msg_text(cx->lang, M_CH_COVERAGE_ALT), "{n}",
		  st.cov_done + st.cov_open + st.cov_none);
	alt = put(cx->a, alt, "{done}", st.cov_done);
	alt = put(cx->a, alt, "{open}", st.cov_open);
	alt = put(cx->a, alt, "{none}", st.cov_none);
	c->alt = alt;
	*out = c;
	return 0;
}

/* Those who answer for the security work of the whole organisation. */
#define SYSTEMS_CHART_ROLES (RB(ROLE_COORDINATOR) | RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF))

const struct overview_chart systems_charts[] = {
	{ SYSTEMS_CHART_ROLES, M_CH_LEVELS, build_levels },
	{ SYSTEMS_CHART_ROLES, M_CH_COVERAGE, build_coverage },
	{ 0, 0, NULL },
};
