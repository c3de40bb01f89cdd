/* test_actions.c - the action plan through the real router, on the engine
 * chosen by VARN_TEST_DB: activities made from gaps (one, many at once,
 * linked to the gap both ways), a plan submitted and decided by management
 * with every input required and then frozen, changes after the decision
 * recorded as deviations, overdue activities on the start pages of the
 * responsible person and the coordinator with counts equal to the lists
 * behind them, the overdue reminder mailed once, closing with carry-over
 * that keeps the history, another organisation kept out, and the plan as
 * a PDF read back with pdftotext. */
#include "base/base.h"

#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "fixture.h"
#include "modules/actions/actions.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

extern char **environ;

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define OWNER "agare@a.se"
#define BOARD "ledning@a.se"
#define INFO "infoagare@a.se"
#define ADMIN_B "admin@b.se"

/* 2027-03-15 12:00 in Stockholm */
#define NOW 1805108400

static int64_t owner_id, sys_id, plan1, plan2;
static int64_t gap[4];      /* partly/not met assessments of the system */
static int64_t met_row;     /* a met one: no gap */
static int64_t act1, act2, act3;

static int64_t q1(const char *sql, int64_t arg)
{
	return fx_scalar(fx, sql, arg);
}

static const char *cell(const char *sql, int64_t arg)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(arg)), &r, &err) != 0 || r.nrows != 1)
		return NULL;
	return db_cell(&r, 0, 0);
}

static int64_t version(const char *table, int64_t id)
{
	return q1(arena_printf(&fx->a, "SELECT version FROM %s WHERE id = $1", table), id);
}

static struct fx_resp transition(const char *who, const char *reg, const char *table, int64_t id,
				 const char *name, const char *form)
{
	return fx_post(fx, who, arena_printf(&fx->a, "/o/alfa/%s/%lld/%s", reg, (long long)id, name),
		       arena_printf(&fx->a, "version=%lld%s%s", (long long)version(table, id),
				    form ? "&" : "", form ? form : ""));
}

/* an activity's form with its current values, some replaced */
static struct fx_resp edit_activity(const char *who, int64_t id, const char *end,
				    const char *responsible)
{
	const char *start = cell("SELECT start_on FROM activity WHERE id = $1", id);
	return fx_post(fx, who, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)id),
		       arena_printf(&fx->a, "plan_id=%s&title=%s&kind=deficiency&priority=%s"
				    "&responsible_id=%s&start_on=%s&end_on=%s&version=%lld",
				    cell("SELECT plan_id FROM activity WHERE id = $1", id),
				    fx_enc(fx, cell("SELECT title FROM activity WHERE id = $1", id)),
				    cell("SELECT priority FROM activity WHERE id = $1", id),
				    responsible ? responsible :
				    cell("SELECT responsible_id FROM activity WHERE id = $1", id),
				    start && strcmp(start, end) <= 0 ? start : end, end,
				    (long long)version("activity", id)));
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The text of a PDF (pdftotext), or "" */
static int save_assessment(int64_t id, const char *status, const char *severity)
{
	struct fx_resp r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/assessments/%lld",
							   (long long)id),
		arena_printf(&fx->a, "measure_id=%lld&system_id=%lld&status=%s&severity=%s"
			     "&how=Delvis&version=%lld",
			     (long long)q1("SELECT measure_id FROM measure_assessment WHERE id = $1",
					   id),
			     (long long)sys_id, status, severity ? severity : "",
			     (long long)version("measure_assessment", id)));
	return r.status;
}

TEST(setup_a_system_with_gaps_and_a_plan)
{
	struct db_rows r;
	struct db_error err;

	clock_set(NOW);
	fx_new_sessions(fx);
	owner_id = fx_add_member(fx, fx->org_alfa, OWNER, "Olle Ägare", "systemagare", 0);
	fx_add_member(fx, fx->org_alfa, BOARD, "Karin Ledning", "ledning", 0);
	fx_add_member(fx, fx->org_alfa, INFO, "Ines Infoägare", "informationsagare", 0);
	is_int(fx_post(fx, COORD, "/o/alfa/measures/catalogue", "source=builtin").status, 303,
	       "Värn's catalogue loaded");
	sys_id = fx_post_id(fx, COORD, "/o/alfa/systems",
			 arena_printf(&fx->a, "name=Procapita&hosting=joint&lifecycle=operation"
				      "&personal_data=none&owner_id=%lld", (long long)owner_id));
	ok(sys_id > 0, "a system with an owner");
	ok(db_exec(fx->db, &fx->a, "SELECT id FROM measure_assessment WHERE system_id = $1"
		   " AND required = 1 ORDER BY id LIMIT 5", DB_ARGS(DB_INT(sys_id)), &r, &err) == 0 &&
	   r.nrows == 5, "its baseline measures");
	for (size_t i = 0; i < 4; i++) {
		gap[i] = db_cell_i64(&r, i, 0);
		is_int(save_assessment(gap[i], i % 2 ? "not_met" : "partly",
				       i == 0 ? "serious" : "moderate"), 303, "a gap assessed");
	}
	met_row = db_cell_i64(&r, 4, 0);
	is_int(save_assessment(met_row, "met", NULL), 303, "a met measure");
	plan1 = fx_post_id(fx, COORD, "/o/alfa/action-plans", "title=Handlingsplan+2027"
			"&period_start=2027-01-01&period_end=2027-12-31");
	ok(plan1 > 0, "a plan for 2027");
	is_str(cell("SELECT state FROM action_plan WHERE id = $1", plan1), "draft",
	       "it starts as a draft");
	plan2 = fx_post_id(fx, COORD, "/o/alfa/action-plans", "title=Handlingsplan+2028"
			"&period_start=2028-01-01&period_end=2028-12-31");
	ok(plan2 > 0, "and one for 2028");
}

/* covers R-4-20, R-7-06, R-7-09, R-7-10 */
/* The open gaps page costs its rows: no chooser of every system (a
 * select of the whole register); one system's gaps by ?system_id=, said
 * with a way back to all. */
TEST(the_open_gaps_of_one_system)
{
	int64_t other = fx_post_id(fx, COORD, "/o/alfa/systems", "name=Annat+system&hosting=own"
				"&lifecycle=operation&personal_data=none");
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/actions/from-gaps");

	is_int(r.status, 200, "the open gaps");
	lacks_str(r.body, "name=\"system_id\"", "no chooser of every system");
	lacks_str(r.body, ">Annat system<", "a system without gaps is not listed");
	has_str(r.body, "Procapita", "the system with gaps is");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/actions/from-gaps?system_id=%lld",
					   (long long)other));
	has_str(r.body, "Visar brister i systemet", "one system's gaps, said");
	has_str(r.body, ">Annat system</a>", "naming it");
	has_str(r.body, "Visa alla system", "with the way back to all");
	has_str(r.body, "type=\"hidden\" name=\"system_id\"", "the filter keeps the system");
	lacks_str(r.body, ">Procapita<", "another system's gaps are not shown");
}

TEST(a_gap_becomes_an_activity_in_one_step)
{
	struct fx_resp r;
	const char *code = cell("SELECT code FROM measure_assessment WHERE id = $1", gap[0]);

	r = fx_get(fx, COORD, "/o/alfa/actions/from-gaps");
	is_int(r.status, 200, "the page of open gaps");
	has_str(r.body, arena_printf(&fx->a, "name=\"gap\" value=\"%lld\"", (long long)gap[0]),
		"it offers the gap with a checkbox");
	ok(!strstr(r.body, arena_printf(&fx->a, "value=\"%lld\"", (long long)met_row)),
	   "a met measure is no gap");
	r = fx_get(fx, COORD, "/o/alfa/actions/from-gaps?severity=serious");
	ok(strstr(r.body, arena_printf(&fx->a, "value=\"%lld\"", (long long)gap[0])) &&
	   !strstr(r.body, arena_printf(&fx->a, "value=\"%lld\"", (long long)gap[1])),
	   "filtered by severity");
	r = fx_get(fx, USER, "/o/alfa/actions/from-gaps");
	is_int(r.status, 403, "not for a plain user");

	r = fx_post(fx, COORD, "/o/alfa/actions/from-gaps",
		    arena_printf(&fx->a, "one=%lld&plan_id=%lld", (long long)gap[0],
				 (long long)plan1));
	is_int(r.status, 303, "one click makes the activity");
	act1 = fx_location_id(&r);
	ok(act1 > 0 && strstr(r.location, "/activities/"), "and opens it");
	has_str(cell("SELECT title FROM activity WHERE id = $1", act1),
		arena_printf(&fx->a, "Åtgärda: %s", code), "titled after the measure");
	has_str(cell("SELECT title FROM activity WHERE id = $1", act1), "Procapita",
		"and its system");
	is_int(q1("SELECT priority FROM activity WHERE id = $1", act1), 1,
	       "a serious gap has the highest priority");
	is_int(q1("SELECT responsible_id FROM activity WHERE id = $1", act1), owner_id,
	       "the system's owner is responsible");
	ok(cell("SELECT goal FROM activity WHERE id = $1", act1) != NULL,
	   "the goal comes from the measure");
	is_str(cell("SELECT end_on FROM activity WHERE id = $1", act1), "2027-12-31",
	       "due at the end of the plan's period");
	is_int(q1("SELECT count(*) FROM activity_gap WHERE activity_id = $1 AND archived = 0",
		  act1), 1, "linked to its gap");
	is_int(q1("SELECT assessment_id FROM activity_gap WHERE activity_id = $1", act1), gap[0],
	       "that gap");

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)gap[0]));
	has_str(r.body, "Åtgärd planerad:", "the gap's page says an action is planned");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)act1),
		"and links to it");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)gap[1]));
	has_str(r.body, "Åtgärda i handlingsplanen", "an unplanned gap offers the one step");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)act1));
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)gap[0]),
		"the activity links to the gap it addresses");

	r = fx_post(fx, COORD, "/o/alfa/actions/from-gaps",
		    arena_printf(&fx->a, "one=%lld&plan_id=%lld", (long long)met_row,
				 (long long)plan1));
	is_int(r.status, 422, "a measure that is met makes no activity");
	is_int(q1("SELECT count(*) FROM activity WHERE plan_id = $1", plan1), 1, "none made");
}

/* covers R-4-20, R-7-06 */
TEST(many_gaps_at_once)
{
	struct fx_resp r;

	r = fx_post(fx, COORD, "/o/alfa/actions/from-gaps",
		    arena_printf(&fx->a, "gap=%lld&gap=%lld&gap=%lld&plan_id=%lld&many=1",
				 (long long)gap[0], (long long)gap[1], (long long)gap[2],
				 (long long)plan1));
	is_int(r.status, 303, "three checked gaps posted");
	has_str(r.location, "added=2&skipped=1", "two made, the planned one skipped");
	is_int(q1("SELECT count(*) FROM activity WHERE plan_id = $1", plan1), 3,
	       "the plan has three activities");
	is_int(q1("SELECT count(*) FROM activity_gap g JOIN activity a ON a.id = g.activity_id"
		  " WHERE a.plan_id = $1", plan1), 3, "each linked to its gap");
	act2 = q1("SELECT a.id FROM activity a JOIN activity_gap g ON g.activity_id = a.id"
		  " WHERE g.assessment_id = $1", gap[1]);
	act3 = q1("SELECT a.id FROM activity a JOIN activity_gap g ON g.activity_id = a.id"
		  " WHERE g.assessment_id = $1", gap[2]);
	ok(act2 > 0 && act3 > 0, "found by their gaps");
	r = fx_post(fx, COORD, "/o/alfa/actions/from-gaps",
		    arena_printf(&fx->a, "gap=%lld&activity=%lld", (long long)gap[3],
				 (long long)act3));
	is_int(r.status, 303, "a gap linked to an existing activity");
	is_int(q1("SELECT count(*) FROM activity_gap WHERE activity_id = $1 AND archived = 0",
		  act3), 2, "which now addresses two gaps");
	is_int(q1("SELECT count(*) FROM activity WHERE plan_id = $1", plan1), 3,
	       "and no activity was added");
	r = fx_post(fx, USER, "/o/alfa/actions/from-gaps",
		    arena_printf(&fx->a, "gap=%lld&plan_id=%lld", (long long)gap[3],
				 (long long)plan1));
	is_int(r.status, 403, "a plain user makes none");
}

/* covers R-7-08, R-7-09 */
TEST(a_governance_document_by_hand_ranked_among_the_rest)
{
	struct fx_resp r;
	int64_t gov, dep;
	const char *body, *p1, *p2, *p3;

	gov = fx_post_id(fx, COORD, "/o/alfa/activities",
		      arena_printf(&fx->a, "plan_id=%lld&title=Revidera+policyn&kind=governance"
				   "&priority=2&responsible_id=%lld&start_on=2027-02-01"
				   "&end_on=2027-11-30&cost=25000&resources=Samordnaren",
				   (long long)plan1, (long long)owner_id));
	ok(gov > 0, "an activity producing a governance document, made by hand");
	is_str(cell("SELECT kind FROM activity WHERE id = $1", gov), "governance", "of that kind");
	is_str(cell("SELECT status FROM activity WHERE id = $1", gov), "planned", "planned");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/action-plans/%lld", (long long)plan1));
	body = r.body;
	p1 = strstr(body, arena_printf(&fx->a, "/o/alfa/activities/%lld\"", (long long)act1));
	p2 = strstr(body, arena_printf(&fx->a, "/o/alfa/activities/%lld\"", (long long)gov));
	p3 = strstr(body, arena_printf(&fx->a, "/o/alfa/activities/%lld\"", (long long)act2));
	ok(p1 && p2 && p3 && p1 < p2 && p2 < p3,
	   "the plan lists priority 1, then 2, then 3 (the moderate gap)");
	r = fx_post(fx, COORD, "/o/alfa/activities",
		    arena_printf(&fx->a, "plan_id=%lld&title=Fel&start_on=2027-05-01"
				 "&end_on=2027-04-01", (long long)plan1));
	is_int(r.status, 422, "an activity cannot end before it starts");
	dep = fx_post_id(fx, COORD, "/o/alfa/activity-dependencies",
		      arena_printf(&fx->a, "activity_id=%lld&depends_on_id=%lld", (long long)gov,
				   (long long)act1));
	ok(dep > 0, "the policy waits for another activity");
	r = fx_post(fx, COORD, "/o/alfa/activity-dependencies",
		    arena_printf(&fx->a, "activity_id=%lld&depends_on_id=%lld", (long long)gov,
				 (long long)gov));
	is_int(r.status, 422, "but not for itself");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)gov));
	has_str(r.body, "Beroenden", "its page lists what it waits for");
	is_int(transition(COORD, "activities", "activity", gov, "archive", NULL).status, 303,
	       "archived again (the rest of the tests count without it)");
}

/* covers R-7-07 */
TEST(management_decides_and_the_plan_is_frozen)
{
	struct fx_resp r;
	const char *full = "decider=Kommunstyrelsen&decision_date=2027-02-10"
			   "&decision_text=Planen+fastst%C3%A4lls&minutes=KS+2027-02-10+%C2%A7+14";

	/* before the decision the dates may move freely */
	is_int(edit_activity(COORD, act1, "2027-06-30", NULL).status, 303, "a draft's activity moved");
	is_int(q1("SELECT count(*) FROM plan_deviation WHERE plan_id = $1", plan1), 0,
	       "no deviation before the decision");
	r = transition(BOARD, "action-plans", "action_plan", plan1, "decide", full);
	ok(r.status == 422 || r.status == 409, "a draft is not decided (%d)", r.status);
	is_str(cell("SELECT state FROM action_plan WHERE id = $1", plan1), "draft", "still a draft");
	is_int(transition(COORD, "action-plans", "action_plan", plan1, "submit", NULL).status, 303,
	       "the coordinator submits it");
	is_str(cell("SELECT state FROM action_plan WHERE id = $1", plan1), "submitted",
	       "it awaits the decision");
	r = fx_get(fx, BOARD, "/o/alfa/");
	has_str(r.body, "1 handlingsplan väntar på ledningens beslut",
		"management sees it waiting on the start page");
	has_str(r.body, "/o/alfa/action-plans?state=submitted", "linked to the list");
	r = fx_get(fx, BOARD, "/o/alfa/action-plans?state=submitted");
	ok(strstr(r.body, arena_printf(&fx->a, "/o/alfa/action-plans/%lld\"", (long long)plan1)) &&
	   !strstr(r.body, arena_printf(&fx->a, "/o/alfa/action-plans/%lld\"", (long long)plan2)),
	   "which holds the submitted plan and not the draft");
	r = transition(INFO, "action-plans", "action_plan", plan1, "decide", full);
	is_int(r.status, 403, "an information owner may not decide");
	r = transition(USER, "action-plans", "action_plan", plan1, "decide", full);
	is_int(r.status, 403, "nor a plain user");
	r = transition(BOARD, "action-plans", "action_plan", plan1, "decide",
		       "decider=Kommunstyrelsen&decision_date=2027-02-10");
	is_int(r.status, 422, "the decision's text and minutes are required");
	has_str(r.body, "f-decision_text", "the form points at the missing text");
	has_str(r.body, "f-minutes", "and at the minutes");
	r = transition(BOARD, "action-plans", "action_plan", plan1, "decide",
		       "decider=Kommunstyrelsen&decision_date=2027-04-01&decision_text=X&minutes=Y");
	is_int(r.status, 422, "a decision is not dated in the future");
	is_str(cell("SELECT state FROM action_plan WHERE id = $1", plan1), "submitted",
	       "nothing was decided");
	{
		int64_t v = version("action_plan", plan1);
		r = transition(BOARD, "action-plans", "action_plan", plan1, "decide", full);
		is_int(r.status, 303, "management decides");
		is_str(cell("SELECT state FROM action_plan WHERE id = $1", plan1), "decided",
		       "the plan is decided");
		is_str(cell("SELECT decided_by FROM action_plan WHERE id = $1", plan1),
		       "Kommunstyrelsen", "by whom");
		is_str(cell("SELECT decided_on FROM action_plan WHERE id = $1", plan1), "2027-02-10",
		       "when");
		is_str(cell("SELECT minutes_ref FROM action_plan WHERE id = $1", plan1),
		       "KS 2027-02-10 § 14", "where it is minuted");
		is_int(q1("SELECT decided_version FROM action_plan WHERE id = $1", plan1), v,
		       "and which version was decided");
	}
	is_int(q1("SELECT count(*) FROM audit_event WHERE entity = 'action-plans'"
		  " AND action = 'decide' AND entity_id = $1", plan1), 1, "the decision is audited");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/action-plans/%lld", (long long)plan1),
		    arena_printf(&fx->a, "title=Annan+plan&period_start=2027-01-01"
				 "&period_end=2027-12-31&version=%lld",
				 (long long)version("action_plan", plan1)));
	is_int(r.status, 422, "a decided plan is not changed");
	has_str(r.body, "Planen är beslutad och kan inte ändras", "and says why");
	is_str(cell("SELECT title FROM action_plan WHERE id = $1", plan1), "Handlingsplan 2027",
	       "its name is as decided");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/action-plans/%lld", (long long)plan1));
	has_str(r.body, "Kommunstyrelsen", "the plan's page shows the decision");
	has_str(r.body, "Tidslinje", "a timeline");
	has_str(r.body, "<table", "with its numbers as a table");
}

/* covers R-7-07, R-7-11 */
TEST(changes_after_the_decision_are_deviations)
{
	struct fx_resp r;

	r = edit_activity(OWNER, act1, "2027-09-30", NULL);
	is_int(r.status, 303, "the responsible person moves their activity");
	is_int(q1("SELECT count(*) FROM plan_deviation WHERE plan_id = $1 AND what = 'end'",
		  plan1), 1, "a deviation is recorded");
	is_str(cell("SELECT before_text FROM plan_deviation WHERE activity_id = $1", act1),
	       "2027-06-30", "with what was decided");
	is_str(cell("SELECT after_text FROM plan_deviation WHERE activity_id = $1", act1),
	       "2027-09-30", "and what it became");
	is_int(q1("SELECT count(*) FROM audit_event WHERE entity = 'activities' AND action = 'update'"
		  " AND entity_id = $1", act1), 2, "besides the audit events");
	r = transition(OWNER, "activities", "activity", act2, "cancel", NULL);
	is_int(r.status, 422, "cancelling needs a reason");
	r = transition(OWNER, "activities", "activity", act2, "cancel",
		       "cancel_reason_input=Systemet+avvecklas");
	is_int(r.status, 303, "cancelled with a reason");
	has_str(cell("SELECT after_text FROM plan_deviation WHERE activity_id = $1 AND what = 'status'",
		     act2), "Systemet avvecklas", "the cancellation is a deviation with its reason");
	r = transition(OWNER, "activities", "activity", act3, "start", NULL);
	is_int(r.status, 303, "an activity started");
	is_int(q1("SELECT count(*) FROM plan_deviation WHERE activity_id = $1", act3), 0,
	       "starting is progress, not a deviation");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/action-plans/%lld", (long long)plan1));
	has_str(r.body, "Avvikelser från beslutad plan", "the follow-up shows the deviations");
	has_str(r.body, "2027-09-30", "with the new date");
	has_str(r.body, "Systemet avvecklas", "and the reason");
	r = edit_activity(INFO, act3, "2027-10-01", NULL);
	is_int(r.status, 403, "someone else's activity is not theirs to change");
	{
		int64_t extra = fx_post_id(fx, COORD, "/o/alfa/activities",
			arena_printf(&fx->a, "plan_id=%lld&title=Tillkommen+efter+beslutet"
				     "&responsible_id=%lld", (long long)plan1, (long long)owner_id));
		ok(extra > 0, "an activity added after the decision");
		is_int(q1("SELECT count(*) FROM plan_deviation WHERE activity_id = $1"
			  " AND what = 'added'", extra), 1, "is a deviation");
		is_int(transition(COORD, "activities", "activity", extra, "archive", NULL).status, 303,
		       "and taken away again");
		is_int(q1("SELECT count(*) FROM plan_deviation WHERE activity_id = $1"
			  " AND what = 'archived'", extra), 1, "is one too");
	}
}

/* covers R-7-10, R-7-11 */
TEST(overdue_on_the_start_pages_with_the_list_behind)
{
	struct fx_resp r;
	const char *mine = arena_printf(&fx->a, "/o/alfa/actions/activities?show=overdue&amp;"
					"responsible=%lld", (long long)owner_id);

	/* act1 and act3 past due: act1 still planned, act3 ongoing */
	is_int(edit_activity(COORD, act1, "2027-03-01", NULL).status, 303, "one past due");
	is_int(edit_activity(COORD, act3, "2027-03-10", NULL).status, 303, "two past due");
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "2 av dina aktiviteter i handlingsplanen är försenade",
		"the responsible person sees them");
	has_str(r.body, mine, "with a link to the list");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/actions/activities?show=overdue"
					   "&responsible=%lld", (long long)owner_id));
	is_int(r.status, 200, "the list opens");
	is_int(count(r.body, "class=\"ap-row\""), 2, "and holds as many as the line said");
	r = fx_get(fx, COORD, "/o/alfa/");
	has_str(r.body, "2 aktiviteter i beslutade handlingsplaner är försenade",
		"the coordinator sees them too");
	r = fx_get(fx, COORD, "/o/alfa/actions/activities?show=overdue&decided=1");
	is_int(count(r.body, "class=\"ap-row\""), 2, "the same number behind the link");
	has_str(r.body, "(försenad)", "marked overdue");
	is_int(transition(OWNER, "activities", "activity", act3, "complete", NULL).status, 303,
	       "one is done");
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "1 av dina aktiviteter i handlingsplanen är försenad", "one left");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/action-plans/%lld", (long long)plan1));
	has_str(r.body, "1 klara", "the plan counts what is done");
	has_str(r.body, "1 försenade", "and what is late");
	r = fx_get(fx, INFO, "/o/alfa/");
	ok(!strstr(r.body, "i handlingsplanen är försenad"), "others are not told");

	/* starting soon: next year's draft, an activity moved to next week */
	r = fx_post(fx, COORD, "/o/alfa/actions/from-gaps",
		    arena_printf(&fx->a, "one=%lld&plan_id=%lld", (long long)gap[3],
				 (long long)plan2));
	is_int(r.status, 303, "a gap into next year's plan");
	{
		int64_t soon = fx_location_id(&r);
		is_int(fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/activities/%lld",
						       (long long)soon),
			       arena_printf(&fx->a, "plan_id=%lld&title=Snart&kind=deficiency"
					    "&priority=3&responsible_id=%lld&start_on=2027-03-22"
					    "&end_on=2027-05-31&version=%lld", (long long)plan2,
					    (long long)owner_id,
					    (long long)version("activity", soon))).status, 303,
		       "starting next week");
	}
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "1 av dina aktiviteter i handlingsplanen startar snart",
		"the responsible person is told it starts soon");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/actions/activities?show=starting"
					   "&responsible=%lld", (long long)owner_id));
	is_int(count(r.body, "class=\"ap-row\""), 1, "the list behind it holds that one");
	has_str(r.body, "Snart", "by name");
}

/* The scheduler runs the daily job once in the period of now: 0 when it
 * ran and succeeded. */
static int run_reminder(void)
{
	struct db_error err;
	struct buf log = BUF_INIT;
	int n, rc;

	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "activity-overdue", &log,
			      NULL, &err);
	if (n < 0)
		printf("# scheduler: %s\n", err.msg);
	rc = n == 1 && log.p && strstr(log.p, ": ok") ? 0 : -1;
	if (rc)
		printf("# %s", log.p ? log.p : "(nothing ran)\n");
	buf_release(&log);
	return rc;
}

/* covers R-7-10 */
TEST(the_overdue_reminder_mails_once)
{
	const char *n_sql = "SELECT count(*) FROM outbox WHERE org_id = $1"
			    " AND dedup_key LIKE 'activity-overdue:%'";

	is_int(run_reminder(), 0, "the job runs");
	is_int(q1(n_sql, fx->org_alfa), 1, "one message for the one overdue activity");
	is_str(cell("SELECT to_addr FROM outbox WHERE entity = 'activities' AND entity_id = $1",
		    act1), OWNER, "to the responsible person");
	has_str(cell("SELECT body_text FROM outbox WHERE entity_id = $1 AND entity = 'activities'",
		     act1), "/o/alfa/activities/", "with a link to the activity");
	ok(q1("SELECT count(*) FROM job_run_org j JOIN job_run r ON r.id = j.run_id"
	      " WHERE r.job = 'activity-overdue' AND j.org_id = $1", fx->org_alfa) == 1,
	   "the organisation's jobs page says so");
	clock_set(NOW + 86400);
	is_int(run_reminder(), 0, "the next day");
	is_int(q1(n_sql, fx->org_alfa), 1, "nothing more is sent");
	fx_new_sessions(fx);
	is_int(edit_activity(COORD, act1, "2027-03-12", NULL).status, 303, "a new date, also past");
	clock_set(NOW + 2 * 86400);
	is_int(run_reminder(), 0, "the job the day after");
	is_int(q1(n_sql, fx->org_alfa), 2, "the new date is told once");
	clock_set(NOW);
	fx_new_sessions(fx);
}

/* covers R-7-11 */
TEST(closing_carries_unfinished_activities_over_with_their_history)
{
	struct fx_resp r;
	int64_t carried;

	r = transition(COORD, "action-plans", "action_plan", plan1, "close",
		       arena_printf(&fx->a, "carry_to=%lld", (long long)plan1));
	is_int(r.status, 422, "not into itself");
	is_str(cell("SELECT state FROM action_plan WHERE id = $1", plan1), "decided", "still open");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/action-plans/%lld", (long long)plan1));
	has_str(r.body, arena_printf(&fx->a, "<option value=\"%lld\">", (long long)plan2),
		"the plan's page offers next year's plan");
	r = transition(COORD, "action-plans", "action_plan", plan1, "close",
		       arena_printf(&fx->a, "carry_to=%lld", (long long)plan2));
	is_int(r.status, 303, "closed, carrying over");
	is_str(cell("SELECT state FROM action_plan WHERE id = $1", plan1), "closed", "closed");
	is_int(q1("SELECT carried_to FROM action_plan WHERE id = $1", plan1), plan2,
	       "it names where they went");
	is_str(cell("SELECT status FROM activity WHERE id = $1", act1), "carried",
	       "the unfinished one is marked carried");
	is_str(cell("SELECT status FROM activity WHERE id = $1", act3), "done",
	       "the done one stays done");
	is_str(cell("SELECT status FROM activity WHERE id = $1", act2), "cancelled",
	       "the cancelled one stays cancelled");
	carried = q1("SELECT id FROM activity WHERE carried_from = $1", act1);
	ok(carried > 0, "a new activity came from it");
	is_int(q1("SELECT plan_id FROM activity WHERE id = $1", carried), plan2, "in the next plan");
	is_int(q1("SELECT count(*) FROM activity_gap WHERE activity_id = $1 AND archived = 0",
		  carried), 1, "addressing the same gap");
	is_int(q1("SELECT count(*) FROM audit_event WHERE entity = 'activities' AND action = 'carry'"
		  " AND entity_id = $1", act1), 1, "the old one's history says it was carried");
	is_int(q1("SELECT count(*) FROM plan_deviation WHERE activity_id = $1 AND what = 'status'",
		  act1), 1, "and the closed plan's follow-up shows it");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)act1));
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)carried),
		"the old one links to the new");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)carried));
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)act1),
		"and the new one to where it came from");
	r = edit_activity(COORD, act3, "2027-03-20", NULL);
	is_int(r.status, 403, "a closed plan's activities do not change");
	r = fx_get(fx, COORD, "/o/alfa/");
	ok(!strstr(r.body, "i beslutade handlingsplaner är försenad"),
	   "a closed plan has nothing overdue");
}

/* covers R-1-02 */
TEST(another_organisation_sees_nothing)
{
	struct fx_resp r;
	int64_t before = q1("SELECT count(*) FROM activity WHERE org_id = $1", fx->org_beta);

	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/alfa/action-plans/%lld", (long long)plan1));
	is_int(r.status, 404, "another organisation's plan does not exist");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/action-plans/%lld", (long long)plan1));
	is_int(r.status, 404, "not through its own address either");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/activities/%lld", (long long)act1));
	is_int(r.status, 404, "nor its activities");
	r = fx_post(fx, ADMIN_B, "/o/beta/actions/from-gaps",
		    arena_printf(&fx->a, "one=%lld", (long long)gap[3]));
	ok(r.status == 404 || r.status == 303, "another's gap is no gap here (%d)", r.status);
	is_int(q1("SELECT count(*) FROM activity WHERE org_id = $1", fx->org_beta), before,
	       "and makes no activity");
	r = fx_get(fx, ADMIN_B, "/o/beta/actions/activities?show=overdue");
	ok(r.status == 200 && count(r.body, "class=\"ap-row\"") == 0,
	   "its lists hold none of alfa's");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/documents/action-plan.pdf?id=%lld",
					     (long long)plan1));
	is_int(r.status, 404, "nor its document");
}

/* covers R-7-07, R-7-08, R-7-09, R-7-11 */
TEST(the_plan_as_a_pdf)
{
	struct fx_resp r;
	const char *text;
	FILE *f;

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/documents/action-plan.pdf?id=%lld",
					   (long long)plan1));
	is_int(r.status, 200, "the plan as a PDF");
	ok(r.len > 5 && memcmp(r.body, "%PDF-", 5) == 0, "a PDF");
	if ((f = fopen("/tmp/actions-plan.pdf", "wb"))) {
		fwrite(r.body, 1, r.len, f);
		fclose(f);
	}
	text = fx_pdf_text(fx, &r);
	has_str(text, "Handlingsplan 2027", "named");
	has_str(text, "Kommunstyrelsen", "with the decision");
	has_str(text, "KS 2027-02-10", "and the minutes");
	has_str(text, "Aktiviteter i prioritetsordning", "the activities ranked");
	has_str(text, "Olle", "with who is responsible");
	has_str(text, cell("SELECT code FROM measure_assessment WHERE id = $1", gap[0]),
		"and the gaps addressed");
	has_str(text, "Avvikelser", "and the deviations");
	has_str(text, "Tidslinje", "and the timeline");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/documents/action-plan?id=%lld",
					   (long long)plan1));
	is_int(r.status, 200, "the print view");
	has_str(r.body, "Aktiviteter i prioritetsordning", "with the same contents");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/activities.xlsx?plan_id=%lld",
					   (long long)plan1));
	ok(r.status == 200 && r.len > 4 && memcmp(r.body, "PK", 2) == 0,
	   "the activities as Excel, filtered by plan");
	r = fx_get(fx, COORD, "/o/alfa/search?q=handlingsplan");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/action-plans/%lld", (long long)plan1),
		"the search page finds the plan");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/search?q=%s",
					   fx_enc(fx, cell("SELECT code FROM measure_assessment"
						    " WHERE id = $1", gap[1]))));
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)act2),
		"and an activity by its measure's code");
	r = fx_get(fx, ADMIN_B, "/o/beta/search?q=handlingsplan");
	ok(!strstr(r.body, "/action-plans/"), "but not in another organisation");
	r = fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/documents/action-plan.pdf?id=%lld",
					  (long long)plan1));
	is_int(r.status, 403, "not for a plain user");
}

int main(void)
{
	int rc;

	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	clock_set(0);
	testdb_cleanup();
	return rc;
}
