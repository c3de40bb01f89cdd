/* pages.c - the approval's own sections (the measures' review as it
 * stands while prepared, its conditions and how they are followed up,
 * the decision as a document), the panel on a system's page, and the
 * overview /approvals with the lists behind its numbers.
 *
 * Costs: the overview reads approval_stat by key; each list reads
 * approval_system (or approval_condition) by an index, keyset-paged on
 * the system's (or condition's) id, LIST_PAGE rows a page; the panel and
 * the sections read a system's or an approval's own rows. */
#include "base/base.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/actions/actions.h"
#include "modules/approvals/approvals.h"
#include "modules/org/org.h"
#include "modules/secplans/secplans.h"
#include "modules/systems/systems.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define LIST_PAGE 30        /* <= ENTITY_TITLES_MAX: names in one query */
#define CONDITION_ROWS 100

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

static const char *label(struct ctx *cx, const struct entity *e, int field, const char *code)
{
	return code ? entity_choice_label(cx, &e->fields[field], code) : NULL;
}

/* ---- an approval's conditions and their follow-up ---- */

static const char sql_condition_rows[] =
	"SELECT c.id, c.title, c.deadline, c.overdue, c.activity_id, x.title, x.status,"
	" c.responsible_id"
	" FROM approval_condition c LEFT JOIN activity x ON x.id = c.activity_id"
	" WHERE c.org_id = $1 AND c.approval_id = $2 AND c.archived = 0"
	" ORDER BY c.deadline, c.id LIMIT $3";

static void conditions_table(struct req *q, int64_t approval_id, int caption, struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;

	if (db_exec(cx->db, cx->a, sql_condition_rows,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(approval_id), DB_INT(CONDITION_ROWS)), &r,
		    &err) != 0) {
		req_fail(q, "the approval's conditions", &err);
		return;
	}
	if (!r.nrows) {
		part_empty(h, M_DG_NO_CONDITIONS);
		return;
	}
	part_table_begin(h, caption, NULL);
	part_th(h, M_DG_F_COND_TITLE);
	part_th(h, M_DG_F_COND_DEADLINE);
	part_th(h, M_DG_F_COND_ACTIVITY);
	part_th(h, M_DG_F_COND_STATUS);
	part_table_body(h);
	for (size_t i = 0; i < r.nrows; i++) {
		part_tr(h);
		part_th_row_begin(h);
		h_lit(h, "<a class=\"dg-condition\"");
		h_href(h, "/o/%s/approval-conditions/%s", cx->org->slug, db_cell(&r, i, 0));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 1));
		h_lit(h, "</a>");
		part_th_row_end(h);
		part_td_begin(h);
		if (db_cell_i64(&r, i, 3)) {
			h_lit(h, "<span class=\"overdue\">");
			h_text(h, db_cell(&r, i, 2));
			h_lit(h, " (");
			h_msg(h, M_DG_LATE);
			h_lit(h, ")</span>");
		} else {
			h_text(h, db_cell(&r, i, 2));
		}
		part_td_end(h);
		part_td_begin(h);
		if (db_cell(&r, i, 4)) {
			h_lit(h, "<a");
			h_href(h, "/o/%s/activities/%s", cx->org->slug, db_cell(&r, i, 4));
			h_lit(h, ">");
			h_text(h, db_cell(&r, i, 5));
			h_lit(h, "</a>");
		} else {
			h_msg(h, M_DG_NO_ACTIVITY_YET);
		}
		part_td_end(h);
		part_td(h, db_cell(&r, i, 6) ?
			label(cx, &ap_activities, AC_STATUS, db_cell(&r, i, 6)) : NULL);
		part_tr_end(h);
	}
	part_table_end(h);
}

/* While it is prepared: the measures and the security plan as they stand
 * now (proposing keeps them as they were then). */
static void basis_now(struct req *q, const struct record *rec, struct html *h)
{
	struct ctx *cx = &q->cx;
	struct approval_gaps g;
	struct secplan_state s;
	struct db_error err;
	int64_t sys = 0;

	if (!rec->v[DG_SYSTEM] || parse_i64(rec->v[DG_SYSTEM], &sys) != 0)
		return;
	if (approval_gaps_now(cx, sys, &g, &err) != 0 ||
	    secplan_current(cx, sys, &s, &err) != 0) {
		req_fail(q, "the approval's basis", &err);
		return;
	}
	part_section_begin(h, "dg-now", M_DG_NOW);
	h_lit(h, "<p>");
	h_msg(h, M_DG_NOW_INTRO);
	h_lit(h, "</p>");
	part_dl_begin(h);
	part_dl_item(h, M_DG_F_GAP_REQUIRED, arena_printf(cx->a, "%lld", (long long)g.required));
	part_dl_item(h, M_DG_F_GAP_ASSESSED, arena_printf(cx->a, "%lld", (long long)g.assessed));
	part_dl_item(h, M_DG_F_GAP_MET, arena_printf(cx->a, "%lld", (long long)g.met));
	part_dl_item(h, M_DG_F_GAP_OPEN, arena_printf(cx->a, "%lld", (long long)g.open));
	part_dl_item(h, M_DG_F_GAP_SERIOUS, arena_printf(cx->a, "%lld", (long long)g.serious));
	part_dl_item(h, M_DG_F_SP_STATE, approval_secplan_text(cx, &s));
	part_dl_end(h);
	h_lit(h, "<p class=\"toolbar\">");
	part_button_link(h, M_DG_TO_GAPS, 0, "/o/%s/gap/systems/%lld", cx->org->slug,
			 (long long)sys);
	if (s.id)
		part_button_link(h, M_DG_TO_SECPLAN, 0, "/o/%s/security-plans/%lld",
				 cx->org->slug, (long long)s.id);
	h_lit(h, "</p>");
	part_section_end(h);
}

void approval_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	struct ctx *cx = &q->cx;
	int prepared = is(rec->v[DG_STATE], DG_DRAFT) || is(rec->v[DG_STATE], DG_PROPOSED);
	static const int cols[] = { DC_TITLE, DC_DEADLINE, DC_RESPONSIBLE, -1 };
	const struct part_related conditions = {
		&dg_conditions, DC_APPROVAL, cols, "dg-conditions", M_DG_CONDITIONS,
		M_DG_NO_CONDITIONS, M_DG_CONDITION_NEW, "title", 0, NULL,
	};

	(void)e;
	if (rec->v[DG_REVIEW] && is(rec->v[DG_REVIEW], "1") && is(rec->v[DG_STATE], DG_DECIDED)) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\"><strong>");
		h_msg(h, M_DG_MARKED);
		h_lit(h, "</strong> ");
		h_text(h, rec->v[DG_REVIEW_REASON]);
		h_lit(h, "</p>");
	}
	if (is(rec->v[DG_STATE], DG_DRAFT))
		basis_now(q, rec, h);
	if (prepared) {
		part_related(h, &conditions, rec);
	} else {
		part_section_begin(h, "dg-conditions", M_DG_CONDITIONS_FOLLOW_UP);
		conditions_table(q, rec->id, M_DG_CONDITIONS, h);
		part_section_end(h);
	}
	part_section_begin(h, "dg-document", M_DG_DOC_HEADING);
	h_lit(h, "<p class=\"toolbar\">");
	part_button_link(h, M_DG_DOC_VIEW, 0, "/o/%s/documents/approval-decision?id=%lld",
			 cx->org->slug, (long long)rec->id);
	part_button_link(h, M_DG_DOC_PDF, 0, "/o/%s/documents/approval-decision.pdf?id=%lld",
			 cx->org->slug, (long long)rec->id);
	h_lit(h, "</p>");
	part_section_end(h);
}

/* ---- the panel on a system's page ---- */

static const char sql_panel[] =
	"SELECT x.in_operation, x.approval_id, x.decision, x.valid, x.valid_until, x.due,"
	" x.review, x.conditions_overdue, x.pending_id, x.pending_state, a.review_reason"
	" FROM approval_system x LEFT JOIN approval a ON a.id = x.approval_id"
	" WHERE x.org_id = $1 AND x.system_id = $2";

void approvals_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			    struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;
	const char *slug = cx->org->slug;

	(void)e;
	if (rec->archived || rec->masked)
		return;
	if (db_exec(cx->db, cx->a, sql_panel, DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id)), &r,
		    &err) != 0) {
		req_fail(q, "the system's approval", &err);
		return;
	}
	part_card_begin(h, "sp-approval", M_DG_ONE);
	if (r.nrows && db_cell(&r, 0, 1)) {
		h_lit(h, "<p>");
		part_badge(h, db_cell_i64(&r, 0, 3) ? M_DG_PANEL_VALID : M_DG_PANEL_NOT_VALID,
			   db_cell_i64(&r, 0, 3) ? NULL : "critical");
		h_lit(h, " <a");
		h_href(h, "/o/%s/operational-approvals/%s", slug, db_cell(&r, 0, 1));
		h_lit(h, ">");
		h_text(h, label(cx, &dg_approvals, DG_DECISION, db_cell(&r, 0, 2)));
		h_lit(h, "</a>");
		if (db_cell(&r, 0, 4)) {
			h_lit(h, ", ");
			h_msg(h, M_DG_PANEL_UNTIL);
			h_lit(h, " ");
			h_text(h, db_cell(&r, 0, 4));
		}
		h_lit(h, "</p>");
		if (db_cell_i64(&r, 0, 5) && db_cell_i64(&r, 0, 3)) {
			h_lit(h, "<p class=\"notice warning\" role=\"note\">");
			h_msg(h, M_DG_PANEL_DUE);
			h_lit(h, "</p>");
		}
		if (db_cell_i64(&r, 0, 6)) {
			h_lit(h, "<p class=\"notice warning\" role=\"note\"><strong>");
			h_msg(h, M_DG_MARKED);
			h_lit(h, "</strong> ");
			h_text(h, db_cell(&r, 0, 10));
			h_lit(h, "</p>");
		}
		if (is(db_cell(&r, 0, 2), DG_CONDITIONS))
			conditions_table(q, db_cell_i64(&r, 0, 1), M_DG_CONDITIONS, h);
	} else if (r.nrows && db_cell_i64(&r, 0, 0)) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\">");
		h_msg(h, M_DG_PANEL_MISSING);
		h_lit(h, "</p>");
	} else {
		h_lit(h, "<p>");
		h_msg(h, M_DG_PANEL_NONE);
		h_lit(h, "</p>");
	}
	if (r.nrows && db_cell_i64(&r, 0, 0) && db_cell(&r, 0, 1) && !db_cell_i64(&r, 0, 3)) {
		h_lit(h, "<p class=\"notice warning\" role=\"note\">");
		h_msg(h, M_DG_PANEL_MISSING);
		h_lit(h, "</p>");
	}
	h_lit(h, "<p class=\"toolbar\">");
	if (r.nrows && db_cell(&r, 0, 8)) {
		part_button_link(h, is(db_cell(&r, 0, 9), DG_PROPOSED) ? M_DG_PANEL_PROPOSED :
				 M_DG_PANEL_DRAFT, 1, "/o/%s/operational-approvals/%s", slug,
				 db_cell(&r, 0, 8));
	} else if (ctx_has_role(cx, ROLES_APPROVAL_PREPARE)) {
		part_button_link(h, M_DG_NEW, 0, "/o/%s/operational-approvals/new?system_id=%lld",
				 slug, (long long)rec->id);
	}
	part_button_link(h, M_DG_PANEL_ALL, 0, "/o/%s/operational-approvals?system_id=%lld", slug,
			 (long long)rec->id);
	h_lit(h, "</p>");
	part_section_end(h);
}

/* ---- the overview and its lists ---- */

enum show { SHOW_NONE = 0, SHOW_MISSING, SHOW_REVIEW, SHOW_DUE, SHOW_OVERDUE, SHOW_SOON };

static const struct {
	const char *name;
	int title, intro;
} shows[] = {
	[SHOW_NONE] = { "", 0, 0 },
	[SHOW_MISSING] = { "missing", M_DG_LIST_MISSING, M_DG_LIST_MISSING_INTRO },
	[SHOW_REVIEW] = { "review", M_DG_LIST_REVIEW, M_DG_LIST_REVIEW_INTRO },
	[SHOW_DUE] = { "due", M_DG_LIST_DUE, M_DG_LIST_DUE_INTRO },
	[SHOW_OVERDUE] = { "conditions-overdue", M_DG_LIST_OVERDUE, M_DG_LIST_OVERDUE_INTRO },
	[SHOW_SOON] = { "conditions-soon", M_DG_LIST_SOON, M_DG_LIST_SOON_INTRO },
};

/* $1 org, $2 owner (0: all), $3 after this system id, $4 the page + 1.
 * Each drives from an index of approval_system: (org, in_operation,
 * valid, system), (org, review, system), (org, due, system) or, for one
 * owner, (org, owner, system). */
#define LIST_SELECT \
	"SELECT x.system_id, s.name, x.owner_id, x.approval_id, x.decision, x.valid_until," \
	" a.review_reason, x.pending_id, x.pending_state" \
	" FROM approval_system x JOIN it_system s ON s.id = x.system_id" \
	" LEFT JOIN approval a ON a.id = x.approval_id" \
	" WHERE x.org_id = $1 AND ($2 = 0 OR x.owner_id = $2) AND x.system_id > $3 AND "
static const char *const sql_lists[] = {
	[SHOW_MISSING] = LIST_SELECT "x.in_operation = 1 AND x.valid = 0"
			 " ORDER BY x.system_id LIMIT $4",
	[SHOW_REVIEW] = LIST_SELECT "x.review = 1 ORDER BY x.system_id LIMIT $4",
	[SHOW_DUE] = LIST_SELECT "x.due = 1 AND x.valid = 1 ORDER BY x.system_id LIMIT $4",
};

/* the conditions themselves, by (org, archived, overdue, deadline, id):
 * overdue ones, and those due within WAIT_SOON_DAYS ($6 .. $7), of the
 * decisions in force (a superseded decision's conditions are history, as
 * approval_stat counts them); $2 the owner (0: all), keyset on (deadline,
 * id) */
#define CONDITION_SELECT \
	"SELECT c.id, c.title, c.deadline, c.approval_id, s.id, s.name, c.activity_id, x.status," \
	" x.title FROM approval_condition c JOIN approval a ON a.id = c.approval_id" \
	" JOIN it_system s ON s.id = a.system_id LEFT JOIN activity x ON x.id = c.activity_id" \
	" WHERE c.org_id = $1 AND c.archived = 0 AND ($2 = 0 OR a.owner_id = $2)" \
	" AND a.state = 'decided' AND a.archived = 0" \
	" AND (c.deadline > $3 OR (c.deadline = $3 AND c.id > $4))"
static const char sql_overdue_list[] =
	CONDITION_SELECT " AND c.overdue = 1 AND $6 = $6 AND $7 = $7"
	" ORDER BY c.deadline, c.id LIMIT $5";
static const char sql_soon_list[] =
	CONDITION_SELECT " AND c.overdue = 0 AND c.deadline >= $6 AND c.deadline <= $7"
	" AND (x.id IS NULL OR x.status <> 'done')"
	" ORDER BY c.deadline, c.id LIMIT $5";

static const char *day_ahead(struct ctx *cx, int days)
{
	struct ctx then = *cx;

	then.now += (int64_t)days * 86400;
	return ctx_today(&then);
}

static void count_link(struct html *h, const char *slug, const char *show, int msg,
		       int one, int64_t n)
{
	h_lit(h, "<li>");
	if (show) {
		h_lit(h, "<a");
		h_href(h, "/o/%s/approvals?show=%s", slug, show);
		h_lit(h, ">");
	}
	if (n == 1)
		h_msg(h, one);
	else
		h_msg_n(h, msg, n);
	if (show)
		h_lit(h, "</a>");
	h_lit(h, "</li>");
}

static void overview_counts(struct req *q, struct html *h)
{
	struct ctx *cx = &q->cx;
	struct approval_counts c;
	struct db_error err;
	const char *slug = cx->org->slug;

	if (approval_overview(cx, &c, &err) != 0) {
		req_fail(q, "the approvals' numbers", &err);
		return;
	}
	part_section_begin(h, "dg-counts", M_DG_COUNTS);
	h_lit(h, "<ul class=\"counts dg-counts\">");
	count_link(h, slug, "missing", M_DG_N_MISSING, M_DG_N_MISSING_ONE, c.missing);
	count_link(h, slug, "review", M_DG_N_REVIEW, M_DG_N_REVIEW_ONE, c.for_review);
	count_link(h, slug, "due", M_DG_N_DUE, M_DG_N_DUE_ONE, c.due);
	count_link(h, slug, "conditions-overdue", M_DG_N_OVERDUE, M_DG_N_OVERDUE_ONE,
		   c.conditions_overdue);
	count_link(h, slug, NULL, M_DG_N_APPROVED, M_DG_N_APPROVED_ONE, c.approved);
	count_link(h, slug, NULL, M_DG_N_CONDITIONS, M_DG_N_CONDITIONS_ONE,
		   c.approved_with_conditions);
	count_link(h, slug, NULL, M_DG_N_REJECTED, M_DG_N_REJECTED_ONE, c.rejected);
	h_lit(h, "</ul>");
	h_lit(h, "<p class=\"toolbar\">");
	part_button_link(h, M_DG_N_PROPOSED_LINK, 0, "/o/%s/operational-approvals?state=proposed",
			 slug);
	part_button_link(h, M_DG_MANY, 0, "/o/%s/operational-approvals", slug);
	h_lit(h, "</p>");
	part_section_end(h);
}

static void systems_list(struct req *q, enum show show, int64_t owner, int64_t after,
			 struct html *h)
{
	struct ctx *cx = &q->cx;
	int64_t ids[LIST_PAGE + 1];
	const char *names[LIST_PAGE + 1];
	struct db_rows r;
	struct db_error err;
	size_t n;

	if (db_exec(cx->db, cx->a, sql_lists[show],
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(owner), DB_INT(after),
			    DB_INT(LIST_PAGE + 1)), &r, &err) != 0) {
		req_fail(q, "the approvals' list", &err);
		return;
	}
	n = r.nrows > LIST_PAGE ? LIST_PAGE : r.nrows;
	for (size_t i = 0; i < n; i++)
		ids[i] = db_cell_i64(&r, i, 2);
	if (entity_titles(cx, &org_people, ids, n, names, &err) != 0) {
		req_fail(q, "the owners", &err);
		return;
	}
	if (!n) {
		part_empty(h, M_DG_LIST_NONE);
		return;
	}
	part_table_begin(h, shows[show].title, NULL);
	part_th(h, M_DG_F_SYSTEM);
	part_th(h, M_DG_F_OWNER);
	part_th(h, M_DG_F_DECISION);
	part_th(h, M_DG_F_VALID_UNTIL);
	part_th(h, show == SHOW_REVIEW ? M_DG_F_REVIEW_REASON : M_DG_F_PREPARED);
	part_table_body(h);
	for (size_t i = 0; i < n; i++) {
		part_tr(h);
		part_th_row_begin(h);
		h_lit(h, "<a class=\"dg-row\"");
		h_href(h, "/o/%s/systems/%s", cx->org->slug, db_cell(&r, i, 0));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 1));
		h_lit(h, "</a>");
		part_th_row_end(h);
		part_td(h, ids[i] ? names[i] : NULL);
		part_td_begin(h);
		if (db_cell(&r, i, 3)) {
			h_lit(h, "<a");
			h_href(h, "/o/%s/operational-approvals/%s", cx->org->slug, db_cell(&r, i, 3));
			h_lit(h, ">");
			h_text(h, label(cx, &dg_approvals, DG_DECISION, db_cell(&r, i, 4)));
			h_lit(h, "</a>");
		} else {
			h_msg(h, M_DG_NONE_DECIDED);
		}
		part_td_end(h);
		part_td(h, db_cell(&r, i, 5));
		part_td_begin(h);
		if (show == SHOW_REVIEW) {
			h_text(h, db_cell(&r, i, 6));
		} else if (db_cell(&r, i, 7)) {
			h_lit(h, "<a");
			h_href(h, "/o/%s/operational-approvals/%s", cx->org->slug, db_cell(&r, i, 7));
			h_lit(h, ">");
			h_text(h, label(cx, &dg_approvals, DG_STATE, db_cell(&r, i, 8)));
			h_lit(h, "</a>");
		}
		part_td_end(h);
		part_tr_end(h);
	}
	part_table_end(h);
	if (r.nrows > LIST_PAGE)
		part_button_link(h, M_NEXT_PAGE, 0, "/o/%s/approvals?show=%s&owner=%lld&after=%s",
				 cx->org->slug, shows[show].name, (long long)owner,
				 db_cell(&r, n - 1, 0));
}

static void conditions_list(struct req *q, enum show show, int64_t owner, const char *after_on,
			    int64_t after, struct html *h)
{
	struct ctx *cx = &q->cx;
	struct db_rows r;
	struct db_error err;
	size_t n;

	if (db_exec(cx->db, cx->a, show == SHOW_SOON ? sql_soon_list : sql_overdue_list,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(owner), DB_TEXT(after_on ? after_on : ""),
			    DB_INT(after), DB_INT(LIST_PAGE + 1), DB_TEXT(ctx_today(cx)),
			    DB_TEXT(day_ahead(cx, WAIT_SOON_DAYS))), &r, &err) != 0) {
		req_fail(q, "the approvals' conditions", &err);
		return;
	}
	n = r.nrows > LIST_PAGE ? LIST_PAGE : r.nrows;
	if (!n) {
		part_empty(h, M_DG_LIST_NONE);
		return;
	}
	part_table_begin(h, shows[show].title, NULL);
	part_th(h, M_DG_F_COND_TITLE);
	part_th(h, M_DG_F_SYSTEM);
	part_th(h, M_DG_F_COND_DEADLINE);
	part_th(h, M_DG_F_COND_ACTIVITY);
	part_th(h, M_DG_F_COND_STATUS);
	part_table_body(h);
	for (size_t i = 0; i < n; i++) {
		part_tr(h);
		part_th_row_begin(h);
		h_lit(h, "<a class=\"dg-row\"");
		h_href(h, "/o/%s/operational-approvals/%s", cx->org->slug, db_cell(&r, i, 3));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 1));
		h_lit(h, "</a>");
		part_th_row_end(h);
		part_td_begin(h);
		h_lit(h, "<a");
		h_href(h, "/o/%s/systems/%s", cx->org->slug, db_cell(&r, i, 4));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 5));
		h_lit(h, "</a>");
		part_td_end(h);
		part_td_begin(h);
		if (show == SHOW_OVERDUE) {
			h_lit(h, "<span class=\"overdue\">");
			h_text(h, db_cell(&r, i, 2));
			h_lit(h, " (");
			h_msg(h, M_DG_LATE);
			h_lit(h, ")</span>");
		} else {
			h_text(h, db_cell(&r, i, 2));
		}
		part_td_end(h);
		part_td_begin(h);
		if (db_cell(&r, i, 6)) {
			h_lit(h, "<a");
			h_href(h, "/o/%s/activities/%s", cx->org->slug, db_cell(&r, i, 6));
			h_lit(h, ">");
			h_text(h, db_cell(&r, i, 8));
			h_lit(h, "</a>");
		}
		part_td_end(h);
		part_td(h, db_cell(&r, i, 7) ?
			label(cx, &ap_activities, AC_STATUS, db_cell(&r, i, 7)) : NULL);
		part_tr_end(h);
	}
	part_table_end(h);
	if (r.nrows > LIST_PAGE)
		part_button_link(h, M_NEXT_PAGE, 0,
				 "/o/%s/approvals?show=%s&owner=%lld&after_on=%s&after=%s",
				 cx->org->slug, shows[show].name, (long long)owner,
				 db_cell(&r, n - 1, 2), db_cell(&r, n - 1, 0));
}

static void approvals_page(struct req *q, struct resp *resp)
{
	const char *name = req_param(q, "show");
	int64_t owner = req_int(q, "owner", 0, INT64_MAX, 0);
	int64_t after = req_int(q, "after", 0, INT64_MAX, 0);
	enum show show = SHOW_NONE;
	struct html h;

	for (size_t i = 1; name && i < ARRAY_SIZE(shows); i++)
		if (strcmp(name, shows[i].name) == 0)
			show = (enum show)i;
	page_begin(q, resp, &h, show ? shows[show].title : M_DG_OVERVIEW);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, show ? shows[show].intro : M_DG_OVERVIEW_INTRO);
	if (owner) {
		h_lit(&h, " ");
		h_msg(&h, M_DG_LIST_ONLY_OWNER);
	}
	h_lit(&h, "</p>");
	if (show == SHOW_NONE)
		overview_counts(q, &h);
	else if (show == SHOW_OVERDUE || show == SHOW_SOON)
		conditions_list(q, show, owner, req_param(q, "after_on"), after, &h);
	else
		systems_list(q, show, owner, after, &h);
	if (show) {
		h_lit(&h, "<p><a");
		h_href(&h, "/o/%s/approvals", q->cx.org->slug);
		h_lit(&h, ">");
		h_msg(&h, M_DG_BACK);
		h_lit(&h, "</a></p>");
	}
	page_end(q, resp, &h);
}

static const struct param list_params[] = {
	{ "show", P_STR, 24 },
	{ "owner", P_INT, INT64_MAX },
	{ "after", P_INT, INT64_MAX },
	{ "after_on", P_STR, 10 },
	{ NULL, 0, 0 },
};

extern const struct route approval_routes[];
const struct route approval_routes[] = {
	{ "GET", "/o/{org}/approvals", approvals_page, ROLES_STAFF, 0, 0, list_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
