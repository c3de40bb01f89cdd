/* state.c - a system's plan as other modules read it, and the
 * coordinator's numbers (secplans.h): each an indexed read, each count
 * bounded by SECPLAN_COUNT_MAX. */
#include "base/base.h"

#include "base/clock.h"
#include "core/ctx.h"
#include "db/db.h"
#include "modules/secplans/secplans.h"

static const char sql_current[] =
	"SELECT id, plan_version, state, signed_on, review_on, signed_by, needs_new_version"
	" FROM security_plan WHERE org_id = $1 AND system_id = $2 AND archived = 0"
	" ORDER BY plan_version DESC LIMIT 2";

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int secplan_current(struct ctx *cx, int64_t system_id, struct secplan_state *out,
		    struct db_error *err)
{
	struct db_rows r;

	memset(out, 0, sizeof(*out));
	if (db_exec(cx->db, cx->a, sql_current,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)), &r, err) != 0)
		return -1;
	if (!r.nrows)
		return 0;
	out->id = db_cell_i64(&r, 0, 0);
	out->version = (int)db_cell_i64(&r, 0, 1);
	copy(out->state, sizeof(out->state), db_cell(&r, 0, 2));
	copy(out->signed_on, sizeof(out->signed_on), db_cell(&r, 0, 3));
	copy(out->review_on, sizeof(out->review_on), db_cell(&r, 0, 4));
	out->signed_by = db_cell_i64(&r, 0, 5);
	out->needs_new_version = (int)db_cell_i64(&r, 0, 6);
	/* the valid plan while a new version is drafted: the one before */
	for (size_t i = 0; i < r.nrows; i++) {
		if (db_cell(&r, i, 2) && strcmp(db_cell(&r, i, 2), SECPLAN_SIGNED) == 0) {
			out->signed_id = db_cell_i64(&r, i, 0);
			out->signed_version = (int)db_cell_i64(&r, i, 1);
			break;
		}
	}
	return 0;
}

/* Each $1 the organisation, $2 today, $3 the day SECPLAN_DUE_DAYS ahead,
 * $4 the bound; answered by security_plan_review, security_plan_renew and
 * secplan_need_missing (migration 0014). */
/* PostgreSQL must know each parameter's type, so a query that does not need
 * a date still names it */
#define BOTH_DATES " AND CAST($2 AS TEXT) <> '' AND CAST($3 AS TEXT) <> ''"
#define SOON_DATE " AND CAST($3 AS TEXT) <> ''"
static const char *const sql_counts[] = {
	"SELECT count(*) FROM (SELECT id FROM security_plan WHERE org_id = $1 AND latest = 1"
	" AND archived = 0 AND state = 'signed'" BOTH_DATES " LIMIT $4) x",
	"SELECT count(*) FROM (SELECT id FROM security_plan WHERE org_id = $1 AND latest = 1"
	" AND archived = 0 AND state = 'draft'" BOTH_DATES " LIMIT $4) x",
	"SELECT count(*) FROM (SELECT id FROM security_plan WHERE org_id = $1 AND latest = 1"
	" AND archived = 0 AND state = 'signed' AND review_on < $2" SOON_DATE " LIMIT $4) x",
	"SELECT count(*) FROM (SELECT id FROM security_plan WHERE org_id = $1 AND latest = 1"
	" AND archived = 0 AND state = 'signed' AND review_on >= $2 AND review_on <= $3"
	" LIMIT $4) x",
	"SELECT count(*) FROM (SELECT id FROM security_plan WHERE org_id = $1 AND latest = 1"
	" AND archived = 0 AND needs_new_version = 1" BOTH_DATES " LIMIT $4) x",
	"SELECT count(*) FROM (SELECT system_id FROM secplan_need WHERE org_id = $1"
	" AND needs_plan = 1 AND has_plan = 0" BOTH_DATES " LIMIT $4) x",
};

int secplan_overview(struct ctx *cx, struct secplan_counts *c, struct db_error *err)
{
	int64_t *field[] = { &c->signed_n, &c->draft, &c->overdue_review, &c->due_review,
			     &c->needs_new_version, &c->missing };
	const char *today = ctx_today(cx);
	char *soon = clock_format_local(cx->a, cx->now + (int64_t)SECPLAN_DUE_DAYS * 86400);

	soon[10] = '\0';
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < ARRAY_SIZE(sql_counts); i++) {
		struct db_rows r;
		if (db_exec(cx->db, cx->a, sql_counts[i],
			    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(today), DB_TEXT(soon),
				    DB_INT(SECPLAN_COUNT_MAX + 1)), &r, err) != 0)
			return -1;
		*field[i] = db_cell_i64(&r, 0, 0);
		if (*field[i] > SECPLAN_COUNT_MAX) {
			*field[i] = SECPLAN_COUNT_MAX;
			c->more |= 1 << i;
		}
	}
	return 0;
}
