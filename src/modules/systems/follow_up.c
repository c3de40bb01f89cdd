/* follow_up.c - the system register's sections of the coordinator's
 * overview (core/module.h struct follow_up_section): the systems by their
 * protection level, and what the classification's follow-up waits for.
 *
 * The levels are read from system_stat (migrations 0011 and 0016), kept by
 * triggers in the writes' transactions: one lookup by the organisation's
 * key.  The rest are bounded counts answered by the indexes the start
 * page's lines use (0004, 0005), and each links to the list that shows
 * exactly what it counts. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/systems/systems.h"

static const char sql_levels[] =
	"SELECT stat, n FROM system_stat WHERE org_id = $1 AND stat LIKE 'p%'";

/* Highest level first, then those with none: the order a coordinator
 * reads them in. */
static const struct {
	const char *stat;
	int label;
	const char *path;
	int attention;
} levels[] = {
	{ "p4", M_SYS_OV_LEVEL_4, "/systems?level_max=4", 0 },
	{ "p3", M_SYS_OV_LEVEL_3, "/systems?level_max=3", 0 },
	{ "p2", M_SYS_OV_LEVEL_2, "/systems?level_max=2", 0 },
	{ "p1", M_SYS_OV_LEVEL_1, "/systems?level_max=1", 0 },
	{ "p0", M_SYS_OV_LEVEL_0, "/systems?level_max=0", 0 },
	{ "pn", M_SYS_OV_LEVEL_NONE, "/systems?level_max=none", 1 },
};

static int level_figures(struct ctx *cx, struct overview_figure *out, int max,
			 struct db_error *err)
{
	struct db_rows rows;
	int64_t total = 0;
	int n = 0;

	if (db_exec(cx->db, cx->a, sql_levels, DB_ARGS(DB_INT(cx->org->id)), &rows, err) != 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(levels) && n < max - 1; i++) {
		struct overview_figure *f = &out[n++];
		*f = (struct overview_figure){ .label = levels[i].label, .path = levels[i].path,
					       .attention = levels[i].attention };
		for (size_t r = 0; r < rows.nrows; r++)
			if (db_cell(&rows, r, 0) && strcmp(db_cell(&rows, r, 0), levels[i].stat) == 0)
				f->n = db_cell_i64(&rows, r, 1);
		total += f->n;
	}
	out[n++] = (struct overview_figure){ .label = M_SYS_OV_ALL, .n = total, .path = "/systems" };
	return n;
}

/* $1 the organisation, then (np of them in all) $2 today and $3 the day
 * 30 days on; the bound is the last parameter. */
static const struct {
	int label;
	const char *path;
	int attention;
	size_t np;
	const char *sql;
} reviews[] = {
	{ M_SYS_OV_INFO_UNCLASSIFIED, "/information-review?show=unclassified", 1, 1,
	  "SELECT count(*) FROM (SELECT id FROM information_set WHERE org_id = $1"
	  " AND archived = 0 AND classified_on IS NULL LIMIT $2) x" },
	{ M_SYS_OV_INFO_OVERDUE, "/information-review?show=overdue", 1, 2,
	  "SELECT count(*) FROM (SELECT id FROM information_set WHERE org_id = $1"
	  " AND archived = 0 AND review_on < $2 LIMIT $3) x" },
	{ M_SYS_OV_INFO_SOON, "/information-review?show=soon", 0, 3,
	  "SELECT count(*) FROM (SELECT id FROM information_set WHERE org_id = $1"
	  " AND archived = 0 AND review_on >= $2 AND review_on <= $3 LIMIT $4) x" },
	{ M_SYS_OV_SYSTEMS_REVIEW, "/systems?needs_review=1", 1, 1,
	  "SELECT count(*) FROM (SELECT id FROM it_system WHERE org_id = $1"
	  " AND archived = 0 AND needs_review = 1 LIMIT $2) x" },
	{ M_SYS_OV_NO_OWNER, "/systems?owner_id=none", 1, 1,
	  "SELECT count(*) FROM (SELECT id FROM it_system WHERE org_id = $1"
	  " AND archived = 0 AND owner_id IS NULL LIMIT $2) x" },
};

static int review_figures(struct ctx *cx, struct overview_figure *out, int max,
			  struct db_error *err)
{
	const char *today = ctx_today(cx), *soon = ctx_date_in(cx, WAIT_SOON_DAYS);
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(reviews) && n < max; i++) {
		struct db_val p[4] = { DB_INT(cx->org->id), DB_TEXT(today), DB_TEXT(soon) };
		struct overview_figure *f = &out[n++];
		*f = (struct overview_figure){ .label = reviews[i].label, .path = reviews[i].path,
					       .attention = reviews[i].attention };
		if (overview_count(cx, f, reviews[i].sql, p, reviews[i].np, err) != 0)
			return -1;
	}
	return n;
}

const struct follow_up_section systems_follow_up[] = {
	{ ROLES_OVERVIEW, M_SYS_OV_LEVELS, level_figures },
	{ ROLES_OVERVIEW, M_SYS_OV_REVIEW, review_figures },
	{ 0, 0, NULL },
};
