/* module.c - risk analysis as a module (core/module.h; the rules in
 * risks.h). */
#include "base/base.h"

#include "chart/chart.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/risks/risks.h"
#include "web/router.h"

extern const struct route risk_routes[]; /* pages.c */

static const struct entity *const entities[] = {
	&rk_analyses, &rk_risks, &rk_categories, NULL,
};

static const struct route *const routes[] = {
	risk_routes, NULL,
};

static const struct menu_item menu[] = {
	{ M_RK_MENU, "/risk-analyses", ROLES_STAFF, 34 },
	{ 0, NULL, 0, 0 },
};

/* Each bounded by LIMIT $4 and answered by risk_owner (org, owner,
 * archived, status, id) or risk_analysis_state. */
static const struct waiting_item waiting[] = {
	{ 0, M_RK_WAIT_TREAT, "/risks?owner_id={person}&status=open",
	  "SELECT id FROM risk WHERE org_id = $1 AND owner_id = $2 AND archived = 0"
	  " AND status = 'open' LIMIT $4", WAIT_MINE, M_RK_WAIT_TREAT_ONE },
	{ 0, M_RK_WAIT_EXPIRING, "/risks?owner_id={person}&expiring=1",
	  "SELECT id FROM risk WHERE org_id = $1 AND expiring = 1 AND owner_id = $2"
	  " AND archived = 0 LIMIT $4",
	  WAIT_MINE, M_RK_WAIT_EXPIRING_ONE },
	{ 0, M_RK_WAIT_EXPIRED, "/risks?owner_id={person}&status=expired",
	  "SELECT id FROM risk WHERE org_id = $1 AND owner_id = $2 AND archived = 0"
	  " AND status = 'expired' LIMIT $4", WAIT_MINE, M_RK_WAIT_EXPIRED_ONE },
	{ ROLES_RISK_DECIDE, M_RK_WAIT_DECIDE, "/risk-analyses?state=ongoing",
	  "SELECT id FROM risk_analysis WHERE org_id = $1 AND state = 'ongoing' AND archived = 0"
	  " LIMIT $4", WAIT_ORG, M_RK_WAIT_DECIDE_ONE },
	{ 0, 0, NULL, NULL, 0, 0 },
};

/* Analyses and risks are found by the search page (migration 0022 keeps
 * their index). */
static const struct search_source search[] = {
	{ &rk_analyses },
	{ &rk_risks },
	{ NULL },
};

/* A system's page lists its risk analyses (an introduction project's
 * initial assessment among them, R-7-03: pages.c). */
static const struct record_panel panels[] = {
	{ "systems", risks_system_panel },
	{ NULL, NULL },
};

/* A person's page lists the risks they own. */
static const struct related_list related[] = {
	{ "people", &rk_risks, RK_OWNER,
	  (const int[]){ RK_TITLE, RK_LEVEL, RK_RES_LEVEL, RK_STATUS, -1 }, "rk-person-risks",
	  M_RK_OWNS, 0, NULL },
	{ NULL, NULL, 0, NULL, NULL, 0, 0, NULL },
};

static const struct job jobs[] = {
	{ "risk-acceptance", 86400, M_RK_JOB_EXPIRY, risk_expiry_run },
	{ NULL, 0, 0, NULL },
};

static const struct audit_label audit_labels[] = {
	{ "risk_model", M_RK_ACT_MODEL },
	{ "expire", M_RK_ACT_EXPIRE },
	{ "accept", M_RK_ACT_ACCEPT },
	{ NULL, 0 },
};

/* Foreign keys first: the model and categories, analyses, risks, links. */
static const char *const tables[] = {
	"risk_model", "risk_category", "risk_analysis", "risk", "risk_activity", NULL,
};

/* Kept by migration 0022's triggers from risk. */
static const char *const derived_tables[] = { "risk_stat", NULL };

/* The follow-up calendar: analyses by their next review day (dates as the
 * register keeps them, "YYYY-MM-DD"; risk_analysis_review). */
static const struct review_source reviews[] = {
	{ M_RK_ANALYSIS, &rk_analyses, 0, "/risk-analyses/{id}",
	  "SELECT id, title, review_on, owner_id FROM risk_analysis"
	  " WHERE org_id = $1 AND archived = 0 AND review_on >= $2 AND review_on < $3"
	  " AND ($5 = 0 OR owner_id = $5) ORDER BY review_on, id LIMIT $4" },
	{ 0, NULL, 0, NULL, NULL },
};

/* ---- the coordinator's overview and the management report ---- */

static const char sql_expired[] =
	"SELECT count(*) FROM (SELECT id FROM risk WHERE org_id = $1 AND status = 'expired'"
	" AND archived = 0 LIMIT $2) x";
static const char sql_accepted[] =
	"SELECT count(*) FROM (SELECT id FROM risk WHERE org_id = $1 AND status = 'accepted'"
	" AND archived = 0 LIMIT $2) x";
static const char sql_expiring[] =
	"SELECT count(*) FROM (SELECT id FROM risk WHERE org_id = $1 AND expiring = 1"
	" AND archived = 0 LIMIT $2) x";
static const char sql_review_overdue[] =
	"SELECT count(*) FROM (SELECT id FROM risk_analysis WHERE org_id = $1 AND archived = 0"
	" AND review_on < $2 LIMIT $3) x";

static int figures(struct ctx *cx, struct overview_figure *out, int max, int report,
		   struct db_error *err)
{
	struct risk_model m;
	int64_t before[5], after[5];
	struct db_val p1[2] = { DB_INT(cx->org->id) };
	struct db_val p2[3] = { DB_INT(cx->org->id), DB_TEXT(ctx_today(cx)) };
	int n = 0;

	if (max < 8)
		return 0;
	if (risk_model_get(cx, &m, err) != 0 ||
	    risk_level_counts(cx, &m, 0, 0, before, err) != 0 ||
	    risk_level_counts(cx, &m, 0, 1, after, err) != 0)
		return -1;
	/* one level a figure: each opens exactly the list it counts */
	out[n++] = (struct overview_figure){ .label = M_RK_OV_VHIGH_BEFORE, .n = before[4],
					     .path = "/risks?level=4" };
	out[n++] = (struct overview_figure){ .label = M_RK_OV_HIGH_BEFORE, .n = before[3],
					     .path = "/risks?level=3" };
	out[n++] = (struct overview_figure){ .label = M_RK_OV_VHIGH_AFTER, .n = after[4],
					     .path = "/risks?residual_level=4", .attention = 1 };
	out[n++] = (struct overview_figure){ .label = M_RK_OV_HIGH_AFTER, .n = after[3],
					     .path = "/risks?residual_level=3", .attention = 1 };
	out[n] = (struct overview_figure){ .label = M_RK_OV_ACCEPTED, .path = "/risks?status=accepted" };
	if (overview_count(cx, &out[n++], sql_accepted, p1, 1, err) != 0)
		return -1;
	out[n] = (struct overview_figure){ .label = M_RK_OV_EXPIRED, .path = "/risks?status=expired",
					   .attention = 1 };
	if (overview_count(cx, &out[n++], sql_expired, p1, 1, err) != 0)
		return -1;
	if (!report) {
		out[n] = (struct overview_figure){ .label = M_RK_OV_EXPIRING,
						   .path = "/risks?expiring=1" };
		if (overview_count(cx, &out[n++], sql_expiring, p1, 1, err) != 0)
			return -1;
		out[n] = (struct overview_figure){ .label = M_RK_OV_REVIEW_OVERDUE,
						   .path = "/follow-up/overdue?kind=risks",
						   .attention = 1 };
		if (overview_count(cx, &out[n++], sql_review_overdue, p2, 2, err) != 0)
			return -1;
	}
	return n;
}

static int follow_up_figures(struct ctx *cx, struct overview_figure *out, int max,
			     struct db_error *err)
{
	return figures(cx, out, max, 0, err);
}

const struct follow_up_section risk_follow_up[] = {
	{ ROLES_OVERVIEW, M_RK_OV_HEADING, follow_up_figures },
	{ 0, 0, NULL },
};

/* The report: the organisation's residual heat map, a sentence that reads
 * it, and the figures (risk_stat by key, bounded counts). */
static int report_build(struct ctx *cx, const struct report_period *p, struct report_part *out,
			struct db_error *err)
{
	struct risk_model m;
	int n;

	(void)p;
	if (risk_model_get(cx, &m, err) != 0 ||
	    !(out->chart = risk_heat(cx, &m, 0, 1, "ch-report-risk", err)))
		return -1;
	if ((n = figures(cx, out->figures, REPORT_FIGURES_MAX, 1, err)) < 0)
		return -1;
	out->nfigures = n;
	{
		int64_t high = out->figures[2].n + out->figures[3].n, gone = out->figures[5].n;
		const char *a = msg_fill(cx->a, msg_text(cx->lang, high == 1 ? M_RK_READ_HIGH_ONE :
							 M_RK_READ_HIGH), "{n}",
					 arena_printf(cx->a, "%lld", (long long)high));
		const char *b = msg_fill(cx->a, msg_text(cx->lang, gone == 1 ? M_RK_READ_GONE_ONE :
							 M_RK_READ_GONE), "{n}",
					 arena_printf(cx->a, "%lld", (long long)gone));
		out->reading = arena_printf(cx->a, "%s; %s.", a, b);
	}
	return 0;
}

const struct report_section risk_report[] = {
	{ 40, ROLES_OVERVIEW, M_RK_REPORT_HEADING, report_build },
	{ 0, 0, 0, NULL },
};

/* The start page: the organisation's risks after treatment. */
static int chart_residual(struct ctx *cx, struct chart **out, struct db_error *err)
{
	struct risk_model m;

	if (risk_model_get(cx, &m, err) != 0 ||
	    !(*out = risk_heat(cx, &m, 0, 1, "ch-risk-residual", err)))
		return -1;
	return 0;
}

static const struct overview_chart charts[] = {
	{ ROLES_OVERVIEW, M_RK_START_HEAT, chart_residual },
	{ 0, 0, NULL },
};

const struct module risks_module = {
	.name = "risks",
	.entities = entities,
	.routes = routes,
	.menu = menu,
	.waiting = waiting,
	.related = related,
	.panels = panels,
	.search = search,
	.audit_labels = audit_labels,
	.tables = tables,
	.demo = risks_demo,
	.demo_scale = risks_demo_scale,
	.jobs = jobs,
	.documents = risk_documents,
	.charts = charts,
	.derived_tables = derived_tables,
	.follow_up = risk_follow_up,
	.reviews = reviews,
	.report = risk_report,
};
