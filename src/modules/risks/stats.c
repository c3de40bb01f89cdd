/* stats.c - the heat maps and the counts by level, read from risk_stat
 * (migration 0022's triggers keep it): at most 16 rows by the key
 * (org_id, analysis_id, phase), whatever the size of the register. */
#include "base/base.h"

#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/risks/risks.h"

/* Låg, Medel, Hög, Mycket hög: each at least 4.5:1 against white, and white
 * text on it the same (chart.h); the level is also written in the cell's
 * title and the table, never by colour alone. */
static const chart_rgb level_colour[4] = { 0x2e7d32, 0x8a5a00, 0xb3261e, 0x6d1020 };

static const char sql_stat[] =
	"SELECT consequence, likelihood, n FROM risk_stat"
	" WHERE org_id = $1 AND analysis_id = $2 AND phase = $3 AND n > 0";

static int read_cells(struct ctx *cx, int64_t analysis, int residual, int64_t cells[4][4],
		      struct db_error *err)
{
	struct db_rows r;

	memset(cells, 0, sizeof(int64_t) * 16);
	if (db_exec(cx->db, cx->a, sql_stat,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(analysis), DB_TEXT(residual ? "r" : "i")),
		    &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *c = db_cell(&r, i, 0), *l = db_cell(&r, i, 1);
		if (c && l && c[0] >= '1' && c[0] <= '4' && l[0] >= '1' && l[0] <= '4')
			cells[c[0] - '1'][l[0] - '1'] += db_cell_i64(&r, i, 2);
	}
	return 0;
}

int risk_level_counts(struct ctx *cx, const struct risk_model *m, int64_t analysis,
		      int residual, int64_t counts[5], struct db_error *err)
{
	int64_t cells[4][4];

	memset(counts, 0, sizeof(int64_t) * 5);
	if (read_cells(cx, analysis, residual, cells, err) != 0)
		return -1;
	for (int c = 0; c < 4; c++)
		for (int l = 0; l < 4; l++)
			counts[m->matrix[c * 4 + l] - '0'] += cells[c][l];
	return 0;
}

struct chart *risk_heat(struct ctx *cx, const struct risk_model *m, int64_t analysis,
			int residual, const char *id, struct db_error *err)
{
	static const int cons[] = { M_RK_C1, M_RK_C2, M_RK_C3, M_RK_C4 };
	struct chart *ch = chart_new(cx->a, CHART_HEATMAP, id);
	const char **rows = arena_alloc(cx->a, 4 * sizeof(*rows));
	const char **cols = arena_alloc(cx->a, 4 * sizeof(*cols));
	const char **labels = arena_alloc(cx->a, 4 * sizeof(*labels));
	double *values = arena_alloc(cx->a, 16 * sizeof(*values));
	const char **texts = arena_alloc(cx->a, 16 * sizeof(*texts));
	int *level = arena_alloc(cx->a, 16 * sizeof(*level));
	int64_t cells[4][4], total = 0, high = 0;

	if (read_cells(cx, analysis, residual, cells, err) != 0)
		return NULL;
	for (int i = 0; i < 4; i++) {
		/* the most serious consequence at the top */
		rows[i] = arena_printf(cx->a, "%d %s", 4 - i, msg_text(cx->lang, cons[3 - i]));
		/* the columns' words are in the axis title: a narrow cell
		 * would break "Osannolik" */
		cols[i] = arena_printf(cx->a, "%d", i + 1);
		labels[i] = msg_text(cx->lang, risk_level_msg(i + 1));
	}
	for (int r = 0; r < 4; r++)
		for (int l = 0; l < 4; l++) {
			int c = 3 - r, lv = m->matrix[c * 4 + l] - '0';
			values[r * 4 + l] = (double)cells[c][l];
			/* the number as text: the table under the picture
			 * then names each cell's level too */
			texts[r * 4 + l] = arena_printf(cx->a, "%lld", (long long)cells[c][l]);
			level[r * 4 + l] = lv - 1;
			total += cells[c][l];
			if (lv >= 3)
				high += cells[c][l];
		}
	ch->title = msg_text(cx->lang, residual ? M_RK_HEAT_RESIDUAL : M_RK_HEAT_INHERENT);
	ch->x_label = msg_text(cx->lang, M_RK_F_LIKELIHOOD);
	ch->y_label = msg_text(cx->lang, M_RK_F_CONSEQUENCE);
	ch->cat_title = msg_text(cx->lang, M_RK_F_CONSEQUENCE);
	ch->empty = msg_text(cx->lang, M_RK_HEAT_EMPTY);
	ch->alt = msg_fill(cx->a, msg_fill(cx->a, msg_text(cx->lang, M_RK_HEAT_ALT), "{n}",
					   arena_printf(cx->a, "%lld", (long long)total)),
			   "{high}", arena_printf(cx->a, "%lld", (long long)high));
	ch->heat = (struct chart_heat){ .rows = rows, .nrows = total ? 4 : 0, .cols = cols,
					.ncols = 4, .values = values, .texts = texts, .level = level,
					.level_labels = labels, .level_colours = level_colour,
					.nlevels = 4 };
	return ch;
}
