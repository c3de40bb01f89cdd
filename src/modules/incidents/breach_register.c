/* breach_register.c - the register of personal-data breaches that GDPR
 * art. 33(5) requires: every incident that involved personal data,
 * reported to IMY or not, with its facts, effects, the measures taken and
 * the reasoning, and when IMY was notified.  For the security function and
 * the data protection officer.
 *
 * Cost: a page is BREACH_PAGE rows by the partial index incident_personal
 * (migration 0021: exactly those incidents), keyset on (reported_at, id),
 * with each row's IMY notification looked up by incident_obligation_incident. */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/incidents/incidents.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define BREACH_PAGE 30

static const char sql_page[] =
	"SELECT t.id, t.receipt, t.title, t.reported_at, t.aware_at, t.duty_personal,"
	" t.remediation, t.duty_reasoning, t.state,"
	" (SELECT max(o.discharged_at) FROM incident_obligation o WHERE o.incident_id = t.id"
	"  AND o.receiver = 'imy' AND o.status = 'discharged' AND o.archived = 0)"
	" FROM incident t WHERE t.org_id = $1 AND t.archived = 0"
	" AND (t.personal_data = 'yes' OR t.duty_personal = 1)"
	" AND ($2 = '' OR t.reported_at < $2 OR (t.reported_at = $2 AND t.id < $3))"
	" ORDER BY t.reported_at DESC, t.id DESC LIMIT $4";

static const char *local(struct ctx *cx, const char *iso)
{
	int64_t t;

	return iso && clock_parse_moment(iso, &t) == 0 ? clock_format_local(cx->a, t) : NULL;
}

static void breach_register(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *after = req_param(q, "after_at");
	int64_t after_id = req_int(q, "after_id", 0, INT64_MAX, 0);
	struct db_rows r;
	struct db_error err;
	struct html h;
	size_t n;

	/* the whole organisation's register: its keepers, held for all of it */
	if (!ctx_has_role(cx, ROLES_INCIDENT_DESK | RB(ROLE_DPO))) {
		respond_error(q, resp, 403);
		return;
	}
	if (db_exec(cx->db, cx->a, sql_page,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(after ? after : ""), DB_INT(after_id),
			    DB_INT(BREACH_PAGE + 1)), &r, &err) != 0) {
		req_fail(q, "the breach register", &err);
		return;
	}
	n = r.nrows > BREACH_PAGE ? BREACH_PAGE : r.nrows;
	page_begin(q, resp, &h, M_IN_BR_TITLE);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_IN_BR_INTRO);
	h_lit(&h, "</p>");
	if (!n) {
		part_empty(&h, M_IN_BR_EMPTY);
	} else {
		part_table_begin(&h, M_IN_BR_TITLE, NULL);
		part_th(&h, M_IN_F_RECEIPT);
		part_th(&h, M_IN_F_TITLE);
		part_th(&h, M_IN_F_AWARE);
		part_th(&h, M_IN_BR_REPORTABLE);
		part_th(&h, M_IN_BR_NOTIFIED);
		part_th(&h, M_IN_F_REMEDIATION);
		part_th(&h, M_IN_F_DUTY_REASONING);
		part_table_body(&h);
		for (size_t i = 0; i < n; i++) {
			part_tr(&h);
			part_td(&h, db_cell(&r, i, 1));
			part_th_row_begin(&h);
			h_lit(&h, "<a");
			h_href(&h, "/o/%s/incidents/%s", cx->org->slug, db_cell(&r, i, 0));
			h_lit(&h, ">");
			h_text(&h, db_cell(&r, i, 2));
			h_lit(&h, "</a>");
			part_th_row_end(&h);
			part_td(&h, local(cx, db_cell(&r, i, 4)));
			part_td_msg(&h, db_cell_i64(&r, i, 5) ? M_YES : M_IN_BR_NOT_REPORTABLE);
			part_td(&h, db_cell(&r, i, 9) ? local(cx, db_cell(&r, i, 9)) :
				msg_text(cx->lang, db_cell_i64(&r, i, 5) ? M_IN_BR_NOT_YET
									  : M_IN_BR_NOT_NEEDED));
			part_td(&h, db_cell(&r, i, 6));
			part_td(&h, db_cell(&r, i, 7));
			part_tr_end(&h);
		}
		part_table_end(&h);
	}
	if (r.nrows > BREACH_PAGE)
		part_button_link(&h, M_NEXT_PAGE, 0, "/o/%s/breach-register?after_at=%s&after_id=%s",
				 cx->org->slug, db_cell(&r, n - 1, 3), db_cell(&r, n - 1, 0));
	page_end(q, resp, &h);
}

static const struct param page_params[] = {
	{ "after_at", P_STR, 40 },
	{ "after_id", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

const struct route incident_breach_routes[] = {
	{ "GET", "/o/{org}/breach-register", breach_register,
	  ROLES_INCIDENT_DESK | RB(ROLE_DPO), 0, 0, page_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
