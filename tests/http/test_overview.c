/* test_overview.c - the coordinator's overview (web/pages_overview.c and
 * the modules' struct follow_up_section) on the demo municipality,
 * through the real router, on the engine chosen by VARN_TEST_DB:
 *   - every number is the count of the records it names, counted here
 *     from the rows themselves, and the list it links to shows as many;
 *   - the numbers follow a change (a system archived, a level raised);
 *   - who may see it (the coordinator, management) and who may not (a
 *     plain user, a system owner of one unit);
 *   - a shared coordinator sees their organisations side by side, each
 *     number linking into its own organisation;
 *   - the page costs as many queries for a large organisation as for a
 *     small one. */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/clock.h"
#include "cli/demo.h"
#include "core/ctx.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"

static struct fixture *fx;
static int64_t org, other_org;

#define COORD "samordnare@exempelstad.se"
#define OWNER "socialchef@exempelstad.se"   /* system owner, and in management */
#define USER "anvandare@exempelstad.se"
#define CHIEF "kommunchef@exempelstad.se"
#define MANAGER "systemforvaltare@exempelstad.se"  /* a role for one unit only */

/* 2026-11-02 12:00 in Stockholm, in the demo's year */
#define T0 1793617200

static int64_t q1(const char *sql, int64_t arg)
{
	return fx_scalar(fx, sql, arg);
}

/* The number shown before the link to href (as the page writes it, "&"
 * as "&amp;"), or -1 when there is no such link. */
static int64_t num_at(const char *body, const char *href)
{
	const char *at = strstr(body, arena_printf(&fx->a, "href=\"%s\"><span class=\"num\">", href));

	if (!at)
		return -1;
	return atoll(strchr(at, '>') + strlen("><span class=\"num\">"));
}

/* The count a list page says ("12 träffar"), or -1. */
static int64_t list_total(const char *path)
{
	struct fx_resp r = fx_get(fx, COORD, path);
	const char *at;

	if (r.status != 200)
		return -1;
	at = strstr(r.body, "class=\"count\" role=\"status\">");
	return at ? atoll(at + strlen("class=\"count\" role=\"status\">")) : -1;
}

static const char *overview(const char *who)
{
	struct fx_resp r = fx_get(fx, who, "/o/exempelstad/overview");

	if (r.status != 200)
		printf("# overview as %s -> %d\n", who, r.status);
	return r.status == 200 ? r.body : "";
}

static int64_t systems_at(int64_t o, int lv)
{
	struct db_rows r;
	struct db_error err;
	int rc = lv < 5
		? db_exec(fx->db, &fx->a, "SELECT count(*) FROM it_system WHERE org_id = $1"
			  " AND archived = 0 AND level_max = $2", DB_ARGS(DB_INT(o), DB_INT(lv)), &r, &err)
		: db_exec(fx->db, &fx->a, "SELECT count(*) FROM it_system WHERE org_id = $1"
			  " AND archived = 0 AND level_max IS NULL", DB_ARGS(DB_INT(o)), &r, &err);

	return rc == 0 ? db_cell_i64(&r, 0, 0) : -1;
}

/* Each level's number is the count of the systems at it, and the list it
 * opens says as many. */
static int levels_right(const char *body, const char *when)
{
	int right = 1;

	for (int lv = 0; lv <= 5; lv++) {
		const char *v = lv < 5 ? arena_printf(&fx->a, "%d", lv) : "none";
		const char *href = arena_printf(&fx->a, "/o/exempelstad/systems?level_max=%s", v);
		int64_t shown = num_at(body, href), rows = systems_at(org, lv);
		int64_t listed = list_total(href);
		if (shown != rows || listed != rows) {
			printf("# %s: level %s shown %lld, rows %lld, list %lld\n", when, v,
			       (long long)shown, (long long)rows, (long long)listed);
			right = 0;
		}
	}
	return right;
}

/* covers R-4-06, R-3-03 */
TEST(systems_by_level_are_the_rows)
{
	const char *b = overview(COORD);
	int64_t total = q1("SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0", org);

	has_str(b, "<h1>Översikt över informations", "the overview opens, in Swedish");
	has_str(b, "Systemen efter skyddsnivå", "systems by protection level");
	has_str(b, "Klassning och omprövning", "classifications due for review");
	has_str(b, "Gap per område", "gaps by area");
	has_str(b, "Handlingsplanen", "the action plan");
	ok(systems_at(org, 3) > 0 && systems_at(org, 5) > 0,
	   "the demo has systems at level 3 and without a level");
	ok(levels_right(b, "demo"), "each level's number is its systems, and its list's");
	is_int(num_at(b, "/o/exempelstad/systems"), total, "the total is every live system");
	has_str(b, "class=\"ov-attention\"", "what ought to be zero and is not is marked");
	has_str(b, "behöver åtgärdas", "in words, not only by colour");
}

TEST(review_figures_are_the_rows)
{
	const char *b = overview(COORD);
	struct db_rows r;
	struct db_error err;
	const char *today, *soon;
	struct ctx cx = { .a = &fx->a, .now = clock_now() };

	today = ctx_today(&cx);
	soon = ctx_date_in(&cx, 30);
	is_int(num_at(b, "/o/exempelstad/information-review?show=unclassified"),
	       q1("SELECT count(*) FROM information_set WHERE org_id = $1 AND archived = 0"
		  " AND classified_on IS NULL", org), "information not classified");
	ok(db_exec(fx->db, &fx->a, "SELECT count(*) FROM information_set WHERE org_id = $1"
		   " AND archived = 0 AND review_on < $2", DB_ARGS(DB_INT(org), DB_TEXT(today)),
		   &r, &err) == 0, "counted");
	is_int(num_at(b, "/o/exempelstad/information-review?show=overdue"), db_cell_i64(&r, 0, 0),
	       "classifications overdue for review");
	ok(db_exec(fx->db, &fx->a, "SELECT count(*) FROM information_set WHERE org_id = $1"
		   " AND archived = 0 AND review_on >= $2 AND review_on <= $3",
		   DB_ARGS(DB_INT(org), DB_TEXT(today), DB_TEXT(soon)), &r, &err) == 0, "counted");
	is_int(num_at(b, "/o/exempelstad/information-review?show=soon"), db_cell_i64(&r, 0, 0),
	       "classifications due within 30 days");
	is_int(num_at(b, "/o/exempelstad/systems?needs_review=1"),
	       q1("SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		  " AND needs_review = 1", org), "systems marked for review");
	is_int(list_total("/o/exempelstad/systems?needs_review=1"),
	       num_at(b, "/o/exempelstad/systems?needs_review=1"), "and their list says as many");
	is_int(num_at(b, "/o/exempelstad/systems?owner_id=none"),
	       q1("SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
		  " AND owner_id IS NULL", org), "systems without an owner");
}

/* covers R-4-06 */
TEST(gaps_by_area_are_the_rows)
{
	const char *b = overview(COORD);
	struct db_rows r;
	struct db_error err;
	int wrong = 0, areas = 0;
	int64_t sum = 0;

	ok(db_exec(fx->db, &fx->a, "SELECT area, count(*) FROM measure_assessment"
		   " WHERE org_id = $1 AND archived = 0 AND required = 1"
		   " AND effective_status IN ('partly', 'not_met') GROUP BY area",
		   DB_ARGS(DB_INT(org)), &r, &err) == 0, "gaps counted per area");
	for (size_t i = 0; i < r.nrows; i++) {
		int64_t shown = num_at(b, arena_printf(&fx->a, "/o/exempelstad/actions/from-gaps?area=%s",
						       db_cell(&r, i, 0)));
		areas++;
		sum += db_cell_i64(&r, i, 1);
		if (shown != db_cell_i64(&r, i, 1)) {
			printf("# %s: shown %lld, rows %lld\n", db_cell(&r, i, 0), (long long)shown,
			       (long long)db_cell_i64(&r, i, 1));
			wrong++;
		}
	}
	ok(areas >= 10, "the demo has gaps in many areas (%d)", areas);
	is_int(wrong, 0, "each area's number is its open gaps, linking to making actions of them");
	is_int(num_at(b, "/o/exempelstad/actions/from-gaps"), sum, "the total is every open gap");
	is_int(num_at(b, "/o/exempelstad/assessments?required=1&amp;effective_status=not_assessed"),
	       q1("SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND archived = 0"
		  " AND required = 1 AND effective_status = 'not_assessed'", org),
	       "requirements not assessed");
}

/* covers R-7-11 */
TEST(action_plan_figures_are_the_rows)
{
	const char *b = overview(COORD);
	struct db_rows r;
	struct db_error err;
	struct ctx cx = { .a = &fx->a, .now = clock_now() };
	int64_t decided = q1("SELECT count(*) FROM action_plan WHERE org_id = $1"
			     " AND state = 'decided' AND archived = 0", org);

	ok(decided >= 1, "the demo has a decided plan");
	is_int(num_at(b, "/o/exempelstad/action-plans?state=decided"), decided, "decided plans");
	is_int(num_at(b, "/o/exempelstad/action-plans?state=submitted"),
	       q1("SELECT count(*) FROM action_plan WHERE org_id = $1 AND state = 'submitted'"
		  " AND archived = 0", org), "plans awaiting the decision");
	ok(db_exec(fx->db, &fx->a, "SELECT count(*) FROM activity a JOIN action_plan p"
		   " ON p.id = a.plan_id AND p.state = 'decided' AND p.archived = 0"
		   " WHERE a.org_id = $1 AND a.archived = 0 AND a.status IN ('planned', 'ongoing')"
		   " AND a.end_on < $2", DB_ARGS(DB_INT(org), DB_TEXT(ctx_today(&cx))), &r, &err) == 0,
	   "overdue activities counted");
	is_int(num_at(b, "/o/exempelstad/actions/activities?show=overdue&amp;decided=1"),
	       db_cell_i64(&r, 0, 0), "overdue activities of decided plans");
	ok(db_cell_i64(&r, 0, 0) > 0, "the demo has one (%lld)", (long long)db_cell_i64(&r, 0, 0));
	ok(db_exec(fx->db, &fx->a, "SELECT count(*) FROM activity a JOIN action_plan p"
		   " ON p.id = a.plan_id AND p.state = 'decided' AND p.archived = 0"
		   " WHERE a.org_id = $1 AND a.archived = 0 AND a.status = 'planned'"
		   " AND a.start_on >= $2 AND a.start_on <= $3",
		   DB_ARGS(DB_INT(org), DB_TEXT(ctx_today(&cx)), DB_TEXT(ctx_date_in(&cx, 30))),
		   &r, &err) == 0, "activities starting soon counted");
	is_int(num_at(b, "/o/exempelstad/actions/activities?show=starting&amp;decided=1"),
	       db_cell_i64(&r, 0, 0), "activities of decided plans starting within 30 days");
}

/* covers R-5-01 */
TEST(security_plan_figures_are_the_rows)
{
	const char *b = overview(COORD);
	struct db_rows r;
	struct db_error err;
	struct ctx cx = { .a = &fx->a, .now = clock_now() };
	int64_t missing = q1("SELECT count(*) FROM secplan_need WHERE org_id = $1"
			     " AND needs_plan = 1 AND has_plan = 0", org);

	has_str(b, "Systemsäkerhetsplaner", "a section for the security plans");
	ok(missing > 0, "the demo has systems without a plan (%lld)", (long long)missing);
	is_int(num_at(b, "/o/exempelstad/security-plan-lists?show=missing"), missing,
	       "systems that need a plan and have none");
	is_int(num_at(b, "/o/exempelstad/security-plan-lists?show=signed"),
	       q1("SELECT count(*) FROM security_plan WHERE org_id = $1 AND latest = 1"
		  " AND archived = 0 AND state = 'signed'", org), "signed plans");
	is_int(num_at(b, "/o/exempelstad/security-plan-lists?show=new-version"),
	       q1("SELECT count(*) FROM security_plan WHERE org_id = $1 AND latest = 1"
		  " AND archived = 0 AND needs_new_version = 1", org), "plans needing a new version");
	ok(db_exec(fx->db, &fx->a, "SELECT count(*) FROM security_plan WHERE org_id = $1"
		   " AND latest = 1 AND archived = 0 AND state = 'signed' AND review_on < $2",
		   DB_ARGS(DB_INT(org), DB_TEXT(ctx_today(&cx))), &r, &err) == 0, "overdue counted");
	is_int(num_at(b, "/o/exempelstad/security-plan-lists?show=overdue"), db_cell_i64(&r, 0, 0),
	       "plans overdue for review");
}

/* covers R-6-15 */
TEST(approval_figures_are_the_rows)
{
	const char *b = overview(COORD);
	int64_t missing = q1("SELECT count(*) FROM approval_system s JOIN it_system i"
			     " ON i.id = s.system_id AND i.archived = 0 WHERE s.org_id = $1"
			     " AND i.lifecycle = 'operation' AND s.valid = 0", org);
	int64_t proposed = num_at(b, "/o/exempelstad/operational-approvals?state=proposed");

	has_str(b, "Driftgodkännanden", "a section for the operational approvals");
	ok(missing > 0, "the demo has a system in operation without an approval (%lld)",
	   (long long)missing);
	is_int(num_at(b, "/o/exempelstad/approvals?show=missing"), missing,
	       "systems in operation without a valid approval");
	is_int(num_at(b, "/o/exempelstad/approvals?show=review"),
	       q1("SELECT count(*) FROM approval_system WHERE org_id = $1 AND review = 1", org),
	       "approvals marked for review");
	is_int(num_at(b, "/o/exempelstad/approvals?show=conditions-overdue"),
	       q1("SELECT count(*) FROM approval_system WHERE org_id = $1"
		  " AND conditions_overdue = 1", org), "conditions past their deadline");
	ok(proposed >= 1, "a proposal waits for its owner (%lld)", (long long)proposed);
	is_int(list_total("/o/exempelstad/operational-approvals?state=proposed"), proposed,
	       "and its list says as many");
}

/* The kept counts follow the register: a system archived leaves its
 * level, one raised moves to the higher level. */
TEST(the_numbers_follow_a_change)
{
	int64_t id = q1("SELECT min(id) FROM it_system WHERE org_id = $1 AND archived = 0"
			" AND level_max = 2", org);
	int64_t before = systems_at(org, 2);
	struct fx_resp r;
	const char *b;

	ok(id > 0, "a system at level 2");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/systems/%lld/archive", (long long)id),
		    arena_printf(&fx->a, "version=%lld",
				 (long long)q1("SELECT version FROM it_system WHERE id = $1", id)));
	is_int(r.status, 303, "archived");
	b = overview(COORD);
	is_int(num_at(b, "/o/exempelstad/systems?level_max=2"), before - 1, "one fewer at level 2");
	ok(levels_right(b, "archived"), "every level still its rows");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/systems/%lld/restore", (long long)id),
		    arena_printf(&fx->a, "version=%lld",
				 (long long)q1("SELECT version FROM it_system WHERE id = $1", id)));
	is_int(r.status, 303, "restored");
	b = overview(COORD);
	is_int(num_at(b, "/o/exempelstad/systems?level_max=2"), before, "counted again");
	ok(levels_right(b, "restored"), "every level its rows");
}

TEST(who_sees_it)
{
	struct fx_resp r = fx_get(fx, CHIEF, "/o/exempelstad/overview");

	is_int(r.status, 200, "the chief executive sees the overview");
	is_int(fx_get(fx, USER, "/o/exempelstad/overview").status, 403, "a plain user does not");
	is_int(fx_get(fx, OWNER, "/o/exempelstad/overview").status, 200,
	       "the head of social services, who sits in management, does too");
	is_int(fx_get(fx, MANAGER, "/o/exempelstad/overview").status, 403,
	       "a system manager of one unit does not (it is the whole organisation's)");
	is_int(fx_get(fx, USER, "/overview").status, 403, "nor the side-by-side page");
	is_int(fx_get(fx, NULL, "/o/exempelstad/overview").status / 100, 3,
	       "without a session: to the sign-in");
	has_str(fx_get(fx, COORD, "/o/exempelstad/").body, "href=\"/o/exempelstad/overview\"",
		"the coordinator's menu has it");
	lacks_str(fx_get(fx, USER, "/o/exempelstad/").body, "/overview\"", "a user's has not");
}

TEST(side_by_side_for_a_shared_coordinator)
{
	struct fx_resp r = fx_get(fx, COORD, "/overview");
	int64_t g3 = systems_at(other_org, 3), gt = q1("SELECT count(*) FROM it_system"
						       " WHERE org_id = $1 AND archived = 0", other_org);

	is_int(r.status, 200, "the side-by-side page opens");
	has_str(r.body, "Exempelstads kommun", "the first organisation");
	has_str(r.body, "Grannby kommun", "and the second");
	is_int(num_at(r.body, "/o/grannby/systems?level_max=3"), g3,
	       "a number of the second is its own, linking into it");
	is_int(num_at(r.body, "/o/grannby/systems"), gt, "its total");
	is_int(num_at(r.body, "/o/exempelstad/systems"),
	       q1("SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0", org),
	       "and the first's");
	has_str(r.body, "<th scope=\"row\">Nivå 3 – allvarlig</th>", "a row per figure");
	has_str(r.body, "<span class=\"sr-only\">Nivå 3 – allvarlig, Grannby kommun</span>",
		"each number read out with what and where");
	has_str(fx_get(fx, COORD, "/o/exempelstad/overview").body, "href=\"/overview\"",
		"the organisation's overview links to the comparison");
	lacks_str(fx_get(fx, CHIEF, "/o/exempelstad/overview").body, "href=\"/overview\"",
		  "not for one who follows one organisation");
	r = fx_get(fx, CHIEF, "/overview");
	is_int(r.status, 303, "who follows one is sent to its overview");
	has_str(r.location, "/o/exempelstad/overview", "there");
}

/* Queries the app's connections have run (the fixture's pool has two). */
static uint64_t app_queries(void)
{
	struct db *a = db_pool_get(fx->app.pool), *b = db_pool_get(fx->app.pool);
	struct db_stats sa, sb;

	db_get_stats(a, &sa);
	db_get_stats(b, &sb);
	db_pool_put(fx->app.pool, a);
	db_pool_put(fx->app.pool, b);
	return sa.queries + sb.queries;
}

/* The same sections cost the same queries whatever the size of the
 * registers: 43 systems and thousands of assessments, or 5 and a few
 * hundred; only the decided plans (a handful) add one each. */
TEST(the_page_costs_the_same_for_a_large_organisation)
{
	int64_t big_sys = q1("SELECT count(*) FROM measure_assessment WHERE org_id = $1", org);
	int64_t small_sys = q1("SELECT count(*) FROM measure_assessment WHERE org_id = $1", other_org);
	int64_t big_plans = q1("SELECT count(*) FROM action_plan WHERE org_id = $1"
			       " AND state = 'decided' AND archived = 0", org);
	int64_t small_plans = q1("SELECT count(*) FROM action_plan WHERE org_id = $1"
				 " AND state = 'decided' AND archived = 0", other_org);
	uint64_t q0, big, small;

	fx_get(fx, COORD, "/o/exempelstad/overview"); /* the same warm-up for both */
	fx_get(fx, COORD, "/o/grannby/overview");
	q0 = app_queries();
	fx_get(fx, COORD, "/o/exempelstad/overview");
	big = app_queries() - q0;
	q0 = app_queries();
	fx_get(fx, COORD, "/o/grannby/overview");
	small = app_queries() - q0;
	ok(big_sys > 4 * small_sys, "the one has many more assessments (%lld, %lld)",
	   (long long)big_sys, (long long)small_sys);
	ok((int64_t)big - big_plans == (int64_t)small - small_plans,
	   "as many queries for both, but one per decided plan (%llu, %llu)",
	   (unsigned long long)big, (unsigned long long)small);
	ok(big <= 50, "a handful of queries (%llu)", (unsigned long long)big);
}

int main(void)
{
	struct db_error err;
	FILE *quiet;
	int rc;

	clock_set(T0);
	fx = fixture_new();
	quiet = fopen("/dev/null", "w");
	if (!quiet || demo_create(fx->db, quiet, &err) != 0) {
		printf("Bail out! the demo: %s\n", quiet ? err.msg : "no /dev/null");
		return 1;
	}
	fclose(quiet);
	org = q1("SELECT id FROM organisation WHERE slug = 'exempelstad' AND id > $1", 0);
	other_org = q1("SELECT id FROM organisation WHERE slug = 'grannby' AND id > $1", 0);
	rc = tap_run();
	fixture_free(fx);
	return rc;
}
