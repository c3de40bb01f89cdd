/* report_section.c - the system register's section of the management
 * report (core/module.h struct report_section, R-15-13): classification
 * coverage - how many systems have classified information, and at which
 * protection level.
 *
 * One lookup of system_stat by the organisation's key (the 'p0'..'p4' and
 * 'pn' counts kept by migration 0016's triggers): the same cost for ten
 * systems as for ten thousand.  Coverage is the state now; the period
 * only names the report. */
#include "base/base.h"

#include "base/arena.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/report.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/systems/systems.h"

static const char sql_levels[] =
	"SELECT stat, n FROM system_stat WHERE org_id = $1 AND stat LIKE 'p%'";

/* highest level first, then the systems without a level */
static const struct {
	const char *stat;
	int level;          /* for the colour: 0..4, -1 none */
	int label;
	const char *path;
} levels[] = {
	{ "p4", 4, M_SYS_RP_L4, "/systems?level_max=4" },
	{ "p3", 3, M_SYS_RP_L3, "/systems?level_max=3" },
	{ "p2", 2, M_SYS_RP_L2, "/systems?level_max=2" },
	{ "p1", 1, M_SYS_RP_L1, "/systems?level_max=1" },
	{ "p0", 0, M_SYS_RP_L0, "/systems?level_max=0" },
	{ "pn", -1, M_SYS_RP_NONE, "/systems?level_max=none" },
};
#define NLEVELS (sizeof(levels) / sizeof(levels[0]))

static int coverage(struct ctx *cx, const struct report_period *p, struct report_part *out,
		    struct db_error *err)
{
	struct db_rows rows;
	int64_t n[NLEVELS] = { 0 }, total = 0, high;
	double v[NLEVELS];
	const char **cats = arena_alloc(cx->a, NLEVELS * sizeof(*cats));
	struct chart *c;
	int msg;

	(void)p;
	if (db_exec(cx->db, cx->a, sql_levels, DB_ARGS(DB_INT(cx->org->id)), &rows, err) != 0)
		return -1;
	for (size_t i = 0; i < NLEVELS; i++) {
		for (size_t r = 0; r < rows.nrows; r++)
			if (db_cell(&rows, r, 0) && strcmp(db_cell(&rows, r, 0), levels[i].stat) == 0)
				n[i] = db_cell_i64(&rows, r, 1);
		total += n[i];
		v[i] = (double)n[i];
		cats[i] = msg_text(cx->lang, levels[i].label);
	}
	high = n[0] + n[1];
	c = chart_new(cx->a, CHART_BAR, "rp-classification");
	c->title = msg_text(cx->lang, M_SYS_RP_HEADING);
	c->cat_title = msg_text(cx->lang, M_SYS_RP_LEVEL);
	c->x_label = msg_text(cx->lang, M_SYS_RP_SYSTEMS);
	c->empty = msg_text(cx->lang, M_CHART_EMPTY);
	c->cats = cats;
	c->ncat = NLEVELS;
	c->horizontal = 1;
	chart_add_series(cx->a, c, msg_text(cx->lang, M_SYS_RP_SYSTEMS), v);
	if (total == 0)
		msg = M_SYS_RP_READ_EMPTY;
	else if (n[NLEVELS - 1] == 0)
		msg = M_SYS_RP_READ_ALL;
	else if (n[NLEVELS - 1] * 2 > total)
		msg = M_SYS_RP_READ_MOST_NOT;
	else
		msg = M_SYS_RP_READ_SOME_NOT;
	out->reading = report_say(cx, msg, "{n}", total - n[NLEVELS - 1], "{total}", total,
				  "{none}", n[NLEVELS - 1], "{high}", high);
	c->alt = out->reading;
	out->chart = c;
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_SYS_RP_CLASSIFIED, .n = total - n[NLEVELS - 1], .path = "/systems" };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_SYS_RP_NOT_CLASSIFIED, .n = n[NLEVELS - 1],
		.path = "/systems?level_max=none", .attention = 1 };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_SYS_RP_HIGH, .n = high, .path = "/systems?level_max=3" };
	out->figures[out->nfigures++] = (struct overview_figure){
		.label = M_SYS_OV_ALL, .n = total, .path = "/systems" };
	return 0;
}

const struct report_section systems_report[] = {
	{ 10, ROLES_OVERVIEW, M_SYS_RP_HEADING, coverage },
	{ 0, 0, 0, NULL },
};
