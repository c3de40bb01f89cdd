/* pages.c - the security plan's pages: its state and versions above its
 * fields, what Värn knows about the system below them, the panel on the
 * system's page, starting and revising a plan, and the lists behind the
 * start page's lines and the coordinator's numbers.
 *
 * Bounded: a plan's page reads its system's versions (at most
 * VERSIONS_SHOWN) and its facts (facts.c); a list a page of LIST_PAGE
 * rows by keyset from an index (migration 0014). */
#include "base/base.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/secplans/secplans.h"
#include "modules/systems/systems.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define VERSIONS_SHOWN 20
#define LIST_PAGE 30 /* <= ENTITY_TITLES_MAX: owners' names in one query */

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static int64_t ref_of(const struct record *rec, int fi)
{
	int64_t x = 0;

	if (!rec->v[fi] || parse_i64(rec->v[fi], &x) != 0)
		return 0;
	return x;
}

static const char sql_versions[] =
	"SELECT id, plan_version, state, signed_on, archived FROM security_plan"
	" WHERE org_id = $1 AND system_id = $2 ORDER BY plan_version DESC LIMIT $3";

static void state_badge(struct html *h, const char *state)
{
	if (is(state, SECPLAN_SIGNED))
		part_badge(h, M_SSP_ST_SIGNED, "ok");
	else if (is(state, SECPLAN_DRAFT))
		part_badge(h, M_SSP_ST_DRAFT, "warning");
	else
		part_badge(h, M_SSP_NONE, NULL);
}

void secplan_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			  struct html *h)
{
	struct ctx *cx = &q->cx;
	const char *slug = cx->org->slug;
	int signed_ = is(rec->v[SP_STATE], SECPLAN_SIGNED);
	int latest = is(rec->v[SP_LATEST], "1");
	struct db_rows r;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_versions,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(ref_of(rec, SP_SYSTEM)),
			    DB_INT(VERSIONS_SHOWN)), &r, &err) != 0) {
		req_fail(q, "the plan's versions", &err);
		return;
	}
	part_card_begin(h, "ssp-state", M_SSP_STATE_HEADING);
	if (!latest && !rec->archived) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\">");
		h_msg(h, M_SSP_OLDER_VERSION);
		h_lit(h, "</p>");
	}
	if (is(rec->v[SP_NEEDS_NEW], "1")) {
		h_lit(h, "<div class=\"notice warning\" role=\"note\"><p><strong>");
		h_msg(h, M_SSP_NEEDS_NEW_NOTICE);
		h_lit(h, "</strong> ");
		h_text(h, rec->v[SP_NEW_REASON]);
		h_lit(h, "</p></div>");
	}
	part_dl_begin(h);
	part_dl_item_begin(h, M_SSP_F_STATE);
	state_badge(h, rec->v[SP_STATE]);
	part_dl_item_end(h);
	part_dl_item_begin(h, M_SSP_F_SYSTEM);
	part_value(h, e, rec, SP_SYSTEM);
	part_dl_item_end(h);
	part_dl_item(h, M_SSP_F_VERSION, rec->v[SP_PLAN_VERSION]);
	if (signed_) {
		part_dl_item_begin(h, M_SSP_F_SIGNED_BY);
		part_value(h, e, rec, SP_SIGNED_BY);
		if (rec->v[SP_RECORDED_BY]) {
			h_lit(h, " (");
			h_msg(h, M_SSP_RECORDED_BY_TEXT);
			h_lit(h, " ");
			part_value(h, e, rec, SP_RECORDED_BY);
			h_lit(h, ")");
		}
		part_dl_item_end(h);
		part_dl_item(h, M_SSP_F_SIGNED_ON, rec->v[SP_SIGNED_ON]);
		part_dl_item_begin(h, M_SSP_F_REVIEW_ON);
		part_value(h, e, rec, SP_REVIEW_ON);
		part_dl_item_end(h);
	}
	part_dl_end(h);
	h_lit(h, "<p class=\"toolbar\">");
	part_button_link(h, M_SSP_PRINT, 0, "/o/%s/documents/security-plan?id=%lld", slug,
			 (long long)rec->id);
	part_button_link(h, M_SSP_PDF, 0, "/o/%s/documents/security-plan.pdf?id=%lld", slug,
			 (long long)rec->id);
	h_lit(h, "</p>");
	if (signed_ && latest && !rec->archived && entity_may(cx, e, rec, OP_WRITE)) {
		h_lit(h, "<p>");
		h_msg(h, M_SSP_REVISE_HELP);
		h_lit(h, "</p>");
		part_post_button(h, &(struct part_post){ .label = M_SSP_REVISE, .cls = "primary" },
				 "/o/%s/security-plan-revise/%lld", slug, (long long)rec->id);
	} else if (is(rec->v[SP_STATE], SECPLAN_DRAFT) && !rec->archived) {
		h_lit(h, "<p>");
		h_msg(h, M_SSP_DRAFT_HELP);
		h_lit(h, "</p>");
	}
	part_section_end(h);

	if (r.nrows > 1) {
		part_section_begin(h, "ssp-versions", M_SSP_VERSIONS);
		h_lit(h, "<ul>");
		for (size_t i = 0; i < r.nrows; i++) {
			int self = db_cell_i64(&r, i, 0) == rec->id;
			h_lit(h, "<li>");
			if (!self) {
				h_lit(h, "<a");
				h_href(h, "/o/%s/security-plans/%s", slug, db_cell(&r, i, 0));
				h_lit(h, ">");
			}
			h_msg(h, M_SSP_F_VERSION);
			h_lit(h, " ");
			h_text(h, db_cell(&r, i, 1));
			if (!self) {
				h_lit(h, "</a>");
			} else {
				h_lit(h, " <span class=\"muted\">(");
				h_msg(h, M_SSP_THIS_VERSION);
				h_lit(h, ")</span>");
			}
			h_lit(h, ": ");
			h_text(h, entity_choice_label(cx, &e->fields[SP_STATE], db_cell(&r, i, 2)));
			if (db_cell(&r, i, 3)) {
				h_lit(h, " ");
				h_text(h, db_cell(&r, i, 3));
			}
			if (db_cell_i64(&r, i, 4)) {
				h_lit(h, " (");
				h_msg(h, M_SSP_ARCHIVED);
				h_lit(h, ")");
			}
			h_lit(h, "</li>");
		}
		h_lit(h, "</ul>");
		part_section_end(h);
	}
}

void secplan_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h)
{
	struct ctx *cx = &q->cx;
	struct secplan_facts f;
	struct db_error err;
	int signed_ = is(rec->v[SP_STATE], SECPLAN_SIGNED);

	(void)e;
	if (secplan_facts_of(cx, rec, &f, &err) != 0) {
		req_fail(q, "the system's facts", &err);
		return;
	}
	part_section_begin(h, "ssp-facts", M_SSP_FACTS_HEADING);
	h_lit(h, "<p class=\"intro\">");
	h_msg(h, signed_ ? M_SSP_FACTS_SIGNED : M_SSP_FACTS_NOW);
	if (f.as_of) {
		h_lit(h, " (");
		h_text(h, f.as_of);
		h_lit(h, ")");
	}
	h_lit(h, "</p>");
	part_dl_begin(h);
	part_dl_item(h, M_SSP_FACT_OWNER, f.owner);
	part_dl_item(h, M_SSP_FACT_UNIT, f.unit);
	part_dl_item(h, M_SSP_FACT_SUPPLIER, f.supplier);
	part_dl_item(h, M_SSP_FACT_HOSTING, f.hosting);
	part_dl_item(h, M_SSP_FACT_PERSONAL, f.personal_data);
	part_dl_item(h, M_SSP_FACT_LIFECYCLE, f.lifecycle);
	part_dl_item_begin(h, M_SSP_FACT_LEVELS);
	for (int a = 0; a < 4; a++) {
		static const int letter[4] = { M_ASPECT_K_SHORT, M_ASPECT_R_SHORT, M_ASPECT_T_SHORT,
					       M_ASPECT_S_SHORT };
		part_level(h, letter[a], f.level[a] >= 0 ? arena_printf(cx->a, "%d", f.level[a]) :
				      NULL);
		h_lit(h, " ");
	}
	part_dl_item_end(h);
	part_dl_item(h, M_SSP_FACT_CRITICAL, f.business_critical);
	part_dl_item(h, M_SSP_FACT_GAP_PROGRESS, secplan_progress_text(cx, &f));
	part_dl_end(h);

	h_lit(h, "<h3 id=\"ssp-info\">");
	h_msg(h, M_SSP_FACT_INFO);
	h_lit(h, "</h3>");
	if (!f.ninfo) {
		part_empty(h, M_SSP_NO_INFO);
	} else {
		part_table_begin(h, 0, "ssp-info");
		part_th(h, M_SSP_COL_INFOSET);
		part_th(h, M_SSP_COL_LEVELS);
		part_th(h, M_SSP_COL_LAWS);
		part_table_body(h);
		for (size_t i = 0; i < f.ninfo; i++) {
			part_tr(h);
			part_td(h, f.info[i].name);
			part_td(h, f.info[i].levels);
			part_td(h, f.info[i].laws);
			part_tr_end(h);
		}
		part_table_end(h);
	}
	h_lit(h, "<h3>");
	h_msg(h, M_SSP_FACT_OPEN_GAPS);
	h_lit(h, "</h3>");
	if (!f.nopen) {
		part_empty(h, M_SSP_NO_OPEN_GAPS);
	} else {
		h_lit(h, "<ul>");
		for (size_t i = 0; i < f.nopen; i++) {
			h_lit(h, "<li>");
			h_text(h, f.open_gaps[i]);
			h_lit(h, "</li>");
		}
		h_lit(h, "</ul>");
		if (f.gaps > (int64_t)f.nopen) {
			h_lit(h, "<p>");
			h_msg_n(h, M_SSP_MORE_GAPS, f.gaps - (int64_t)f.nopen);
			h_lit(h, "</p>");
		}
	}
	part_section_end(h);
}

/* ---- the panel on a system's page ---- */

void secplan_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			  struct html *h)
{
	struct ctx *cx = &q->cx;
	struct secplan_state st;
	struct db_error err;
	const char *slug = cx->org->slug;

	if (rec->archived || rec->masked)
		return;
	if (secplan_current(cx, rec->id, &st, &err) != 0) {
		req_fail(q, "the system's security plan", &err);
		return;
	}
	part_card_begin(h, "ssp-panel", M_SSP_PLAN);
	if (!st.id || !st.signed_on[0]) {
		/* R-2-09: one critical to society (systems' flag: in operation
		 * or being introduced) must have a signed plan before operation */
		const char *crit = rec->v[SYS_PLAN_MISSING];
		if (crit && strcmp(crit, "1") == 0) {
			h_lit(h, "<div class=\"notice warning\" role=\"note\" id=\"sp-plan\"><p><strong>");
			h_msg(h, M_SSP_REQUIRED_MISSING);
			h_lit(h, "</strong> ");
			h_msg(h, M_SSP_REQUIRED_WHY);
			h_lit(h, "</p></div>");
		}
	}
	if (!st.id) {
		h_lit(h, "<p>");
		h_msg(h, M_SSP_PANEL_NONE);
		h_lit(h, "</p>");
		if (entity_may(cx, e, rec, OP_WRITE))
			part_post_button(h, &(struct part_post){ .label = M_SSP_START,
								 .cls = "primary" },
					 "/o/%s/security-plan-start/%lld", slug,
					 (long long)rec->id);
		part_section_end(h);
		return;
	}
	part_dl_begin(h);
	part_dl_item_begin(h, M_SSP_F_STATE);
	state_badge(h, st.state);
	part_dl_item_end(h);
	part_dl_item(h, M_SSP_F_VERSION, arena_printf(cx->a, "%d", st.version));
	if (st.signed_on[0])
		part_dl_item(h, M_SSP_F_SIGNED_ON, st.signed_on);
	if (st.review_on[0]) {
		part_dl_item_begin(h, M_SSP_F_REVIEW_ON);
		h_text(h, st.review_on);
		if (strcmp(st.review_on, ctx_today(cx)) < 0) {
			h_lit(h, " <span class=\"overdue\">(");
			h_msg(h, M_SSP_LATE);
			h_lit(h, ")</span>");
		}
		part_dl_item_end(h);
	}
	if (st.signed_id && st.signed_id != st.id)
		part_dl_item(h, M_SSP_VALID_VERSION, arena_printf(cx->a, "%d", st.signed_version));
	part_dl_end(h);
	if (st.needs_new_version) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\">");
		h_msg(h, M_SSP_NEEDS_NEW_NOTICE);
		h_lit(h, "</p>");
	}
	h_lit(h, "<p class=\"toolbar\">");
	part_button_link(h, M_SSP_OPEN, 1, "/o/%s/security-plans/%lld", slug, (long long)st.id);
	part_button_link(h, M_SSP_PDF, 0, "/o/%s/documents/security-plan.pdf?id=%lld", slug,
			 (long long)st.id);
	h_lit(h, "</p>");
	part_section_end(h);
}

/* ---- starting and revising ---- */

static void answer_failure(struct req *q, struct resp *resp, struct db_error *err)
{
	log_info("security plan: %s", err->msg);

	respond_error(q, resp, err->code == DBE_DENIED ? 403 : err->code == DBE_NOTFOUND ? 404 :
		      err->code == DBE_BUSY ? 503 : 422);
}

static void start_plan(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct secplan_state st;
	struct db_error err = { 0 };
	int64_t id;

	if (secplan_current(cx, req_id(q), &st, &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	if (st.id) { /* made meanwhile: show it */
		resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/security-plans/%lld",
						    cx->org->slug, (long long)st.id));
		return;
	}
	if (!(id = secplan_start(cx, req_id(q), &err))) {
		answer_failure(q, resp, &err);
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/security-plans/%lld?created=1",
					    cx->org->slug, (long long)id));
}

static void revise_plan(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct db_error err = { 0 };
	int64_t id = secplan_revise(cx, req_id(q), &err);

	if (!id) {
		answer_failure(q, resp, &err);
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/o/%s/security-plans/%lld?created=1",
					    cx->org->slug, (long long)id));
}

/* ---- the lists behind the numbers ---- */

/* $1 org, $2 today, $3 the day SECPLAN_DUE_DAYS ahead, $4 an owner or 0,
 * $5 and $6 the cursor (key, id), $7 the page's rows plus one.  Each list
 * twice: the organisation's from its index (migration 0014), an owner's
 * from the owner's systems (it_system_owner, then each one's plan by key:
 * CROSS JOIN fixes the order on SQLite, a unary plus or "|| ''" keeps a
 * column out of the index choice), so a page costs its rows or the
 * owner's systems, never the register. */
#define COLS(key) \
	"SELECT p.id, p.title, p.state, p.plan_version, p.signed_on, p.review_on," \
	" p.needs_new_version, s.owner_id, " key
#define ORG_PLANS \
	" FROM security_plan p JOIN it_system s ON s.id = p.system_id" \
	" WHERE p.org_id = $1 AND p.latest = 1 AND p.archived = 0 AND $4 = 0"
#define OWNER_PLANS \
	" FROM it_system s CROSS JOIN security_plan p" \
	" WHERE s.owner_id = $4 AND +s.org_id = $1 AND +s.archived = 0" \
	" AND p.org_id = s.org_id AND p.system_id = s.id AND +p.latest = 1 AND +p.archived = 0"
#define BY_TITLE \
	" AND (p.title_sk > $5 OR (p.title_sk = $5 AND p.id > $6))" \
	" AND CAST($2 AS TEXT) <> '' AND CAST($3 AS TEXT) <> ''" \
	" ORDER BY p.title_sk, p.id LIMIT $7"
#define BY_REVIEW \
	" AND (p.review_on > $5 OR (p.review_on = $5 AND p.id > $6))" \
	" ORDER BY p.review_on, p.id LIMIT $7"
#define REVIEW_KEY "coalesce(p.review_on, '')"
#define BY_REVIEW_KEY \
	" AND (" REVIEW_KEY " > $5 OR (" REVIEW_KEY " = $5 AND p.id > $6))" \
	" ORDER BY " REVIEW_KEY ", p.id LIMIT $7"
#define MISSING_COLS \
	"SELECT n.system_id, s.name, NULL, NULL, NULL, NULL, NULL, s.owner_id, n.name_sk"
#define BY_NAME \
	" AND (n.name_sk > $5 OR (n.name_sk = $5 AND n.system_id > $6))" \
	" AND CAST($2 AS TEXT) <> '' AND CAST($3 AS TEXT) <> ''" \
	" ORDER BY n.name_sk, n.system_id LIMIT $7"

struct list_kind {
	const char *show;
	int title, intro;
	const char *sql, *sql_owner;
	int missing; /* rows are systems, not plans */
};

static const struct list_kind kinds[] = {
	{ "signed", M_SSP_LIST_SIGNED, M_SSP_LIST_SIGNED_INTRO,
	  COLS("p.title_sk") ORG_PLANS " AND p.state = 'signed'" BY_TITLE,
	  COLS("p.title_sk") OWNER_PLANS " AND p.state || '' = 'signed'" BY_TITLE, 0 },
	{ "draft", M_SSP_LIST_DRAFT, M_SSP_LIST_DRAFT_INTRO,
	  COLS("p.title_sk") ORG_PLANS " AND p.state = 'draft'" BY_TITLE,
	  COLS("p.title_sk") OWNER_PLANS " AND p.state || '' = 'draft'" BY_TITLE, 0 },
	{ "new-version", M_SSP_LIST_NEW, M_SSP_LIST_NEW_INTRO,
	  COLS("p.title_sk") ORG_PLANS " AND p.needs_new_version = 1" BY_TITLE,
	  COLS("p.title_sk") OWNER_PLANS " AND +p.needs_new_version = 1" BY_TITLE, 0 },
	{ "overdue", M_SSP_LIST_OVERDUE, M_SSP_LIST_OVERDUE_INTRO,
	  COLS("p.review_on") ORG_PLANS " AND p.state = 'signed' AND p.review_on < $2"
	  " AND CAST($3 AS TEXT) <> ''" BY_REVIEW,
	  COLS("p.review_on") OWNER_PLANS " AND p.state || '' = 'signed' AND p.review_on < $2"
	  " AND CAST($3 AS TEXT) <> ''" BY_REVIEW, 0 },
	{ "due", M_SSP_LIST_DUE, M_SSP_LIST_DUE_INTRO,
	  COLS("p.review_on") ORG_PLANS " AND p.state = 'signed' AND p.review_on >= $2"
	  " AND p.review_on <= $3" BY_REVIEW,
	  COLS("p.review_on") OWNER_PLANS " AND p.state || '' = 'signed' AND p.review_on >= $2"
	  " AND p.review_on <= $3" BY_REVIEW, 0 },
	/* the owner's line: due within the window, overdue, or needing a new version */
	{ "review", M_SSP_LIST_REVIEW, M_SSP_LIST_REVIEW_INTRO,
	  COLS(REVIEW_KEY) ORG_PLANS " AND p.state = 'signed'"
	  " AND (p.review_on <= $3 OR p.needs_new_version = 1) AND CAST($2 AS TEXT) <> ''"
	  BY_REVIEW_KEY,
	  COLS(REVIEW_KEY) OWNER_PLANS " AND p.state || '' = 'signed'"
	  " AND (p.review_on <= $3 OR p.needs_new_version = 1) AND CAST($2 AS TEXT) <> ''"
	  BY_REVIEW_KEY, 0 },
	{ "missing", M_SSP_LIST_MISSING, M_SSP_LIST_MISSING_INTRO,
	  MISSING_COLS " FROM secplan_need n JOIN it_system s ON s.id = n.system_id"
	  " WHERE n.org_id = $1 AND n.needs_plan = 1 AND n.has_plan = 0 AND $4 = 0" BY_NAME,
	  MISSING_COLS " FROM it_system s CROSS JOIN secplan_need n"
	  " WHERE s.owner_id = $4 AND +s.org_id = $1 AND +s.archived = 0"
	  " AND n.system_id = s.id AND n.needs_plan = 1 AND n.has_plan = 0" BY_NAME, 1 },
};

static const char *day_ahead(struct ctx *cx, int days)
{
	struct ctx then = *cx;

	then.now += (int64_t)days * 86400;
	return ctx_today(&then);
}

static void plan_lists(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *show = req_param(q, "show");
	const struct list_kind *k = &kinds[0];
	int64_t owner = req_int(q, "owner", 0, INT64_MAX, 0);
	const char *after = req_param(q, "after");
	int64_t after_id = req_int(q, "after_id", 0, INT64_MAX, 0);
	const char *today = ctx_today(cx), *slug = cx->org->slug;
	int64_t ids[LIST_PAGE + 1];
	const char *names[LIST_PAGE + 1];
	struct db_rows r;
	struct db_error err;
	struct html h;
	size_t n;

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (is(show, kinds[i].show))
			k = &kinds[i];
	if (db_exec(cx->db, cx->a, owner ? k->sql_owner : k->sql,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(today),
			    DB_TEXT(day_ahead(cx, SECPLAN_DUE_DAYS)), DB_INT(owner),
			    DB_TEXT(after ? after : ""), DB_INT(after_id), DB_INT(LIST_PAGE + 1)),
		    &r, &err) != 0) {
		req_fail(q, "security plans", &err);
		return;
	}
	n = r.nrows > LIST_PAGE ? LIST_PAGE : r.nrows;
	for (size_t i = 0; i < n; i++)
		ids[i] = db_cell_i64(&r, i, 7);
	if (entity_titles(cx, &org_people, ids, n, names, &err) != 0) {
		req_fail(q, "system owners", &err);
		return;
	}
	page_begin(q, resp, &h, k->title);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, k->intro);
	if (owner) {
		h_lit(&h, " ");
		h_msg(&h, M_SSP_LIST_ONLY_OWNER);
	}
	h_lit(&h, "</p><nav aria-label=\"");
	h_msg(&h, M_SSP_LISTS);
	h_lit(&h, "\"><ul class=\"ssp-lists\">");
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		h_lit(&h, "<li><a");
		h_href(&h, "/o/%s/security-plan-lists?show=%s", slug, kinds[i].show);
		if (&kinds[i] == k)
			h_lit(&h, " aria-current=\"page\"");
		h_lit(&h, ">");
		h_msg(&h, kinds[i].title);
		h_lit(&h, "</a></li>");
	}
	h_lit(&h, "</ul></nav>");
	if (!n) {
		part_empty(&h, M_SSP_LIST_NONE);
	} else {
		part_table_begin(&h, k->title, NULL);
		part_th(&h, k->missing ? M_SSP_F_SYSTEM : M_SSP_PLAN);
		part_th(&h, M_SSP_FACT_OWNER);
		if (!k->missing) {
			part_th(&h, M_SSP_F_STATE);
			part_th(&h, M_SSP_F_SIGNED_ON);
			part_th(&h, M_SSP_F_REVIEW_ON);
		}
		part_table_body(&h);
		for (size_t i = 0; i < n; i++) {
			const char *review = db_cell(&r, i, 5);
			part_tr(&h);
			part_th_row_begin(&h);
			h_lit(&h, "<a");
			h_href(&h, k->missing ? "/o/%s/systems/%s" : "/o/%s/security-plans/%s", slug,
			       db_cell(&r, i, 0));
			h_lit(&h, ">");
			h_text(&h, db_cell(&r, i, 1));
			h_lit(&h, "</a>");
			if (!k->missing && db_cell_i64(&r, i, 6) == 1) {
				h_lit(&h, " ");
				part_badge(&h, M_SSP_F_NEEDS_NEW, "warning");
			}
			part_th_row_end(&h);
			part_td(&h, ids[i] ? names[i] : NULL);
			if (!k->missing) {
				part_td(&h, entity_choice_label(cx, &sp_plans.fields[SP_STATE],
								db_cell(&r, i, 2)));
				part_td(&h, db_cell(&r, i, 4));
				part_td_begin(&h);
				if (review && strcmp(review, today) < 0) {
					h_lit(&h, "<span class=\"overdue\">");
					h_text(&h, review);
					h_lit(&h, " (");
					h_msg(&h, M_SSP_LATE);
					h_lit(&h, ")</span>");
				} else {
					h_text(&h, review ? review : "\xe2\x80\x93");
				}
				part_td_end(&h);
			}
			part_tr_end(&h);
		}
		part_table_end(&h);
	}
	if (r.nrows > LIST_PAGE)
		part_button_link(&h, M_NEXT_PAGE, 0,
				 "/o/%s/security-plan-lists?show=%s&owner=%lld&after=%s&after_id=%s",
				 slug, k->show, (long long)owner, db_cell(&r, n - 1, 8),
				 db_cell(&r, n - 1, 0));
	page_end(q, resp, &h);
}

static const struct param list_params[] = {
	{ "show", P_STR, 16 },
	{ "owner", P_INT, INT64_MAX },
	{ "after", P_STR, 400 },
	{ "after_id", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

static const struct param post_params[] = {
	{ "csrf", P_STR, 128 },
	{ NULL, 0, 0 },
};

const struct route secplan_routes[] = {
	{ "GET", "/o/{org}/security-plan-lists", plan_lists, ROLES_STAFF, 0, 0, list_params,
	  NULL },
	{ "POST", "/o/{org}/security-plan-start/{id}", start_plan, ROLES_SYSTEMS_WRITE, 0,
	  BODY_FORM, post_params, NULL },
	{ "POST", "/o/{org}/security-plan-revise/{id}", revise_plan, ROLES_SYSTEMS_WRITE, 0,
	  BODY_FORM, post_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
