/* test_approvals.c - the operational approval through the real router, on
 * the engine chosen by VARN_TEST_DB: a system in operation without an
 * approval flagged (overview, list, start pages), prepared and proposed
 * by the coordinator with the measures' snapshot, refused to anyone but
 * the owner, decided with conditions that become action-plan activities,
 * frozen, superseded by the next decision, marked for review by a rise in
 * the classification, by the change-management call and by a condition's
 * deadline passing (the owner mailed once), expired by the daily job, the
 * overview's counts equal to the lists behind them, another organisation
 * kept out, and the decision as a PDF read back with pdftotext (and
 * timed). */
#include "base/base.h"

#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "fixture.h"
#include "modules/approvals/approvals.h"
#include "modules/systems/systems.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

extern char **environ;

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define OWNER "agare@a.se"
#define OTHER_OWNER "agare2@a.se"
#define ADMIN_B "admin@b.se"

/* 2027-03-15 12:00 in Stockholm */
#define NOW 1805108400

static int64_t owner_id, other_id, sys_id, sys2_id, plan_id, inf_id;
static int64_t appr1, appr2, cond1, cond2;

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

static int64_t stat_n(const char *name)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, "SELECT n FROM approval_stat WHERE org_id = $1 AND stat = $2",
		    DB_ARGS(DB_INT(fx->org_alfa), DB_TEXT(name)), &r, &err) != 0 || r.nrows != 1)
		return 0;
	return db_cell_i64(&r, 0, 0);
}

static int64_t version(const char *table, int64_t id)
{
	return q1(arena_printf(&fx->a, "SELECT version FROM %s WHERE id = $1", table), id);
}

static struct fx_resp transition(const char *who, int64_t id, const char *name, const char *form)
{
	return fx_post(fx, who, arena_printf(&fx->a, "/o/alfa/operational-approvals/%lld/%s",
					     (long long)id, name),
		       arena_printf(&fx->a, "version=%lld%s%s", (long long)version("approval", id),
				    form ? "&" : "", form ? form : ""));
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A context acting as the system in alfa (another module's call). */
static void alfa_ctx(struct ctx *cx, struct org_ctx *oc)
{
	memset(oc, 0, sizeof(*oc));
	oc->id = fx->org_alfa;
	oc->slug = "alfa";
	oc->roles = oc->org_roles = ROLES_ANY;
	ctx_system(cx, &fx->a, fx->db, "test", VIA_CLI);
	cx->org = oc;
}

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

/* the daily job, run by the scheduler for the period of now */
static int run_job(void)
{
	struct db_error err;
	struct buf log = BUF_INIT;
	int n, rc;

	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "approval-review", &log,
			      NULL, &err);
	if (n < 0)
		printf("# scheduler: %s\n", err.msg);
	rc = n == 1 && log.p && strstr(log.p, ": ok") ? 0 : -1;
	if (rc)
		printf("# %s", log.p ? log.p : "(nothing ran)\n");
	buf_release(&log);
	return rc;
}

TEST(setup_systems_in_operation)
{
	struct db_rows r;
	struct db_error err;

	clock_set(NOW);
	fx_new_sessions(fx);
	owner_id = fx_add_member(fx, fx->org_alfa, OWNER, "Olle Ägare", "systemagare", 0);
	other_id = fx_add_member(fx, fx->org_alfa, OTHER_OWNER, "Greta Annan", "systemagare", 0);
	is_int(fx_post(fx, COORD, "/o/alfa/measures/catalogue", "source=builtin").status, 303,
	       "Värn's catalogue loaded");
	inf_id = fx_post_id(fx, COORD, "/o/alfa/information", "name=Journaler");
	ok(fx_post_id(fx, COORD, "/o/alfa/classifications",
		   arena_printf(&fx->a, "infoset_id=%lld&level_k=1&level_r=1&level_t=1&level_s=1"
				"&decided_on=2027-01-10", (long long)inf_id)) > 0,
	   "its information classified at level 1");
	sys_id = fx_post_id(fx, COORD, "/o/alfa/systems",
			 arena_printf(&fx->a, "name=Procapita&hosting=joint&lifecycle=operation"
				      "&personal_data=none&owner_id=%lld", (long long)owner_id));
	ok(sys_id > 0, "a system in operation with an owner");
	ok(fx_post_id(fx, COORD, "/o/alfa/system-information",
		   arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys_id,
				(long long)inf_id)) > 0, "handling the information");
	sys2_id = fx_post_id(fx, COORD, "/o/alfa/systems",
			  arena_printf(&fx->a, "name=Lifecare&hosting=joint&lifecycle=planned"
				       "&personal_data=none&owner_id=%lld", (long long)other_id));
	ok(sys2_id > 0, "and a planned one of another owner");
	ok(db_exec(fx->db, &fx->a, "SELECT id FROM measure_assessment WHERE system_id = $1"
		   " AND required = 1 ORDER BY id LIMIT 5", DB_ARGS(DB_INT(sys_id)), &r, &err) == 0 &&
	   r.nrows == 5, "its baseline measures");
	for (size_t i = 0; i < 4; i++)
		is_int(save_assessment(db_cell_i64(&r, i, 0), i % 2 ? "not_met" : "partly",
				       i == 0 ? "serious" : "moderate"), 303, "a gap assessed");
	is_int(save_assessment(db_cell_i64(&r, 4, 0), "met", NULL), 303, "a met measure");
	plan_id = fx_post_id(fx, COORD, "/o/alfa/action-plans", "title=Handlingsplan+2027"
			  "&period_start=2027-01-01&period_end=2027-12-31");
	ok(plan_id > 0, "an action plan for the year");
}

/* issue 10: a system in operation without a valid approval is flagged */
TEST(a_system_in_operation_without_approval_is_flagged)
{
	struct fx_resp r;
	struct approval_counts c;
	struct ctx cx;
	struct org_ctx oc;
	struct db_error err;

	alfa_ctx(&cx, &oc);
	ok(approval_overview(&cx, &c, &err) == 0, "the overview's numbers");
	is_int(c.missing, 1, "one system in operation lacks an approval (not the planned one)");
	is_int(c.approved, 0, "none approved");
	r = fx_get(fx, COORD, "/o/alfa/approvals");
	is_int(r.status, 200, "the overview page");
	has_str(r.body, "1 system i drift saknar giltigt driftgodkännande", "says so");
	has_str(r.body, "/o/alfa/approvals?show=missing", "and links to the list");
	r = fx_get(fx, COORD, "/o/alfa/approvals?show=missing");
	is_int(count(r.body, "class=\"dg-row\""), 1, "the list holds as many as the number");
	has_str(r.body, "Procapita", "the system");
	ok(!strstr(r.body, "Lifecare"), "not the planned one");
	r = fx_get(fx, COORD, "/o/alfa/");
	has_str(r.body, "1 system i drift saknar giltigt driftgodkännande",
		"the coordinator's start page");
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "1 system du äger är i drift utan giltigt driftgodkännande",
		"the owner's start page");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys_id));
	has_str(r.body, "Systemet är i drift utan giltigt driftgodkännande", "the system's page");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/operational-approvals/new?system_id=%lld",
				     (long long)sys_id), "with the way to prepare one");
	is_int(q1("UPDATE it_system SET lifecycle = 'operation' WHERE id = $1 RETURNING id",
		  sys2_id) == sys2_id ? stat_n("missing") : -1, 2,
	       "a system put into operation is missing at once (kept by the trigger)");
	q1("UPDATE it_system SET lifecycle = 'planned' WHERE id = $1 RETURNING id", sys2_id);
	is_int(stat_n("missing"), 1, "and back");
}

/* covers R-6-01, R-6-02, R-6-03, R-6-05, R-6-06, R-6-09, R-6-14 */
TEST(the_coordinator_prepares_and_proposes)
{
	struct fx_resp r;

	r = fx_post(fx, USER, "/o/alfa/operational-approvals",
		    arena_printf(&fx->a, "system_id=%lld", (long long)sys_id));
	is_int(r.status, 403, "a plain user prepares nothing");
	r = fx_post(fx, OWNER, "/o/alfa/operational-approvals",
		    arena_printf(&fx->a, "system_id=%lld", (long long)sys_id));
	is_int(r.status, 403, "nor does the owner: the coordinator prepares");
	appr1 = fx_post_id(fx, COORD, "/o/alfa/operational-approvals",
			arena_printf(&fx->a, "system_id=%lld&scope_version=8.2"
				     "&scope_environments=Produktion&scope_integrations=%s",
				     (long long)sys_id, fx_enc(fx, "Kommunens inloggning")));
	ok(appr1 > 0, "the coordinator prepares one");
	is_str(cell("SELECT state FROM approval WHERE id = $1", appr1), "draft", "a draft");
	is_int(q1("SELECT owner_id FROM approval WHERE id = $1", appr1), owner_id,
	       "the system's owner is the one to decide");
	has_str(cell("SELECT title FROM approval WHERE id = $1", appr1), "Procapita",
		"named after the system");
	r = fx_post(fx, COORD, "/o/alfa/operational-approvals",
		    arena_printf(&fx->a, "system_id=%lld", (long long)sys_id));
	ok(r.status != 303, "a second one under way for the system is refused (%d)", r.status);
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/operational-approvals/%lld",
					   (long long)appr1));
	has_str(r.body, "Underlaget just nu", "the draft shows the basis as it stands");
	r = transition(COORD, appr1, "propose", NULL);
	ok(r.status != 303, "no proposal, no proposing (%d)", r.status);
	is_str(cell("SELECT state FROM approval WHERE id = $1", appr1), "draft", "still a draft");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/operational-approvals/%lld",
					    (long long)appr1),
		    arena_printf(&fx->a, "system_id=%lld&scope_version=8.2&scope_environments="
				 "Produktion&proposal=conditions&proposal_text=%s&version=%lld",
				 (long long)sys_id, fx_enc(fx, "Två brister återstår."),
				 (long long)version("approval", appr1)));
	is_int(r.status, 303, "the proposal written");
	r = transition(COORD, appr1, "propose", NULL);
	ok(r.status != 303, "approved with conditions needs a condition first (%d)", r.status);
	cond1 = fx_post_id(fx, COORD, "/o/alfa/approval-conditions",
			arena_printf(&fx->a, "approval_id=%lld&title=%s&deadline=2027-03-01",
				     (long long)appr1, fx_enc(fx, "Tvåfaktorsinloggning")));
	cond2 = fx_post_id(fx, COORD, "/o/alfa/approval-conditions",
			arena_printf(&fx->a, "approval_id=%lld&title=%s&deadline=2027-06-30",
				     (long long)appr1, fx_enc(fx, "Återläsningstest")));
	ok(cond1 > 0 && cond2 > 0, "two conditions with deadlines");
	r = fx_post(fx, OWNER, "/o/alfa/approval-conditions",
		    arena_printf(&fx->a, "approval_id=%lld&title=X&deadline=2027-06-30",
				 (long long)appr1));
	is_int(r.status, 403, "the owner does not add conditions to a draft");
	is_int(transition(COORD, appr1, "propose", NULL).status, 303, "proposed");
	is_str(cell("SELECT state FROM approval WHERE id = $1", appr1), "proposed", "proposed");
	is_int(q1("SELECT gap_open FROM approval WHERE id = $1", appr1), 4,
	       "the open gaps kept with it");
	is_int(q1("SELECT gap_serious FROM approval WHERE id = $1", appr1), 1,
	       "one of them serious");
	ok(q1("SELECT gap_required FROM approval WHERE id = $1", appr1) >= 5,
	   "the required measures counted");
	has_str(cell("SELECT gap_snapshot FROM approval WHERE id = $1", appr1), "Allvarlig",
		"each open gap with its severity");
	is_str(cell("SELECT secplan_state FROM approval WHERE id = $1", appr1), "Saknas",
	       "the security plan's state: none yet");
	is_str(cell("SELECT proposed_on FROM approval WHERE id = $1", appr1), "2027-03-15",
	       "proposed today");
	is_int(stat_n("proposed"), 1, "counted as waiting for a decision");
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "1 driftgodkännande väntar på ditt beslut", "the owner is told");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/operational-approvals?state=proposed"
				     "&amp;owner_id=%lld", (long long)owner_id), "with the list");
}

/* covers R-6-08, R-6-11, R-6-13, R-7-10 */
TEST(only_the_owner_decides_and_conditions_become_activities)
{
	struct fx_resp r;
	const char *form = "decision_input=conditions&decision_text_input=Godk%C3%A4nt"
			   "+med+villkor.";
	int64_t act1, act2, deviations;

	r = transition(USER, appr1, "decide", form);
	is_int(r.status, 403, "a plain user does not decide");
	r = transition(OTHER_OWNER, appr1, "decide", form);
	is_int(r.status, 403, "nor another system's owner");
	r = transition(OWNER, appr1, "decide", "decision_input=conditions");
	ok(r.status != 303, "a decision needs its text (%d)", r.status);
	r = transition(OWNER, appr1, "decide",
		       "decision_input=conditions&decision_text_input=X&decided_on_input=2027-04-01");
	ok(r.status != 303, "and is not made in the future (%d)", r.status);
	deviations = q1("SELECT count(*) FROM plan_deviation WHERE plan_id = $1", plan_id);
	r = transition(OWNER, appr1, "decide", form);
	is_int(r.status, 303, "the owner decides");
	is_str(cell("SELECT state FROM approval WHERE id = $1", appr1), "decided", "decided");
	is_str(cell("SELECT decision FROM approval WHERE id = $1", appr1), "conditions",
	       "approved with conditions");
	is_int(q1("SELECT decided_by FROM approval WHERE id = $1", appr1), owner_id,
	       "by the owner");
	ok(cell("SELECT recorded_by FROM approval WHERE id = $1", appr1) == NULL,
	   "recorded by nobody else");
	is_str(cell("SELECT valid_until FROM approval WHERE id = $1", appr1), "2030-03-15",
	       "valid three years by default");
	is_str(cell("SELECT decided_levels FROM approval WHERE id = $1", appr1), "K1 R1 T1 S1",
	       "the levels it was decided at");
	act1 = q1("SELECT activity_id FROM approval_condition WHERE id = $1", cond1);
	act2 = q1("SELECT activity_id FROM approval_condition WHERE id = $1", cond2);
	ok(act1 > 0 && act2 > 0 && act1 != act2, "each condition became an activity");
	is_str(cell("SELECT end_on FROM activity WHERE id = $1", act1), "2027-03-01",
	       "due on the condition's deadline");
	is_int(q1("SELECT plan_id FROM activity WHERE id = $1", act2), plan_id,
	       "in the plan of the period");
	is_int(q1("SELECT responsible_id FROM activity WHERE id = $1", act1), owner_id,
	       "the owner responsible");
	has_str(cell("SELECT title FROM activity WHERE id = $1", act1), "Tvåfaktorsinloggning",
		"named after the condition");
	is_int(q1("SELECT count(*) FROM plan_deviation WHERE plan_id = $1", plan_id), deviations,
	       "a plan not yet decided records no deviation");
	is_int(stat_n("approved_with_conditions"), 1, "counted approved with conditions");
	is_int(stat_n("missing"), 0, "the system is no longer missing");
	is_int(stat_n("proposed"), 0, "nor waiting");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys_id));
	has_str(r.body, "Godkänt med villkor", "the system's panel says so");
	has_str(r.body, "giltigt till 2030-03-15", "with its validity");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/activities/%lld", (long long)act1),
		"and its conditions' activities");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/operational-approvals/%lld",
					   (long long)appr1));
	has_str(r.body, "Villkor och uppföljning", "the approval follows its conditions up");
}

/* covers R-6-08 */
TEST(a_decision_is_frozen_and_superseded_by_the_next)
{
	struct fx_resp r;

	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/operational-approvals/%lld",
					    (long long)appr1),
		    arena_printf(&fx->a, "system_id=%lld&scope_version=9.0&proposal=approved"
				 "&proposal_text=x&version=%lld", (long long)sys_id,
				 (long long)version("approval", appr1)));
	ok(r.status != 303, "the decision is not changed (%d)", r.status);
	is_str(cell("SELECT scope_version FROM approval WHERE id = $1", appr1), "8.2",
	       "what was approved stays");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/approval-conditions/%lld",
					    (long long)cond2),
		    arena_printf(&fx->a, "approval_id=%lld&title=Y&deadline=2027-12-31"
				 "&version=%lld", (long long)appr1,
				 (long long)version("approval_condition", cond2)));
	is_int(r.status, 403, "nor are its conditions");
}

/* issue 10: a rise in classification or an accepted major change marks
 * the approval for review */
TEST(a_rise_in_classification_marks_it_for_review)
{
	struct fx_resp r;
	struct ctx cx;
	struct org_ctx oc;
	struct db_error err;

	is_int(stat_n("for_review"), 0, "nothing to review yet");
	ok(fx_post_id(fx, COORD, "/o/alfa/classifications",
		   arena_printf(&fx->a, "infoset_id=%lld&level_k=3&level_r=1&level_t=1&level_s=1"
				"&decided_on=2027-03-15", (long long)inf_id)) > 0,
	   "the information is classified anew, K3");
	is_int(q1("SELECT review FROM approval WHERE id = $1", appr1), 1, "marked for review");
	has_str(cell("SELECT review_reason FROM approval WHERE id = $1", appr1),
		"Systemets klassning har höjts: K1 \xe2\x86\x92 K3", "saying what rose");
	is_int(stat_n("for_review"), 1, "counted");
	is_int(q1("SELECT count(*) FROM audit_event WHERE action = 'review' AND entity_id = $1",
		  appr1), 1, "audited");
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "1 system du äger har ett driftgodkännande som ska omprövas",
		"the owner is told");
	r = fx_get(fx, COORD, "/o/alfa/approvals?show=review");
	is_int(count(r.body, "class=\"dg-row\""), 1, "the list behind the number");
	has_str(r.body, "klassning har höjts", "with why");

	/* an accepted major change (the change-management module's call) */
	alfa_ctx(&cx, &oc);
	ok(db_begin(fx->db, &err) == 0 &&
	   approval_mark_for_review(&cx, sys_id, "Större förändring godtagen: ny version 9.0",
				    &err) == 0 && db_commit(fx->db, &err) == 0,
	   "another module marks it");
	has_str(cell("SELECT review_reason FROM approval WHERE id = $1", appr1),
		"Större förändring godtagen", "the reason added");
	has_str(cell("SELECT review_reason FROM approval WHERE id = $1", appr1),
		"klassning har höjts", "the earlier one kept");
	ok(db_begin(fx->db, &err) == 0 &&
	   approval_mark_for_review(&cx, sys2_id, "Större förändring", &err) == 0 &&
	   db_commit(fx->db, &err) == 0, "a system without a decision");
	is_int(q1("SELECT count(*) FROM approval WHERE system_id = $1", sys2_id), 0,
	       "has nothing to mark");
	is_int(stat_n("for_review"), 1, "still one to review");
}

/* covers R-6-15 */
TEST(a_condition_past_its_deadline_marks_it_and_mails_the_owner_once)
{
	const char *n_sql = "SELECT count(*) FROM outbox WHERE org_id = $1"
			    " AND dedup_key LIKE 'approval-condition-overdue:%'";
	int64_t act1 = q1("SELECT activity_id FROM approval_condition WHERE id = $1", cond1);
	struct fx_resp r;

	is_int(run_job(), 0, "the daily job runs");
	is_int(q1("SELECT overdue FROM approval_condition WHERE id = $1", cond1), 1,
	       "the condition past its deadline is overdue");
	is_int(q1("SELECT overdue FROM approval_condition WHERE id = $1", cond2), 0,
	       "the other is not");
	is_int(stat_n("conditions_overdue"), 1, "counted");
	has_str(cell("SELECT review_reason FROM approval WHERE id = $1", appr1),
		"Villkoret ”Tvåfaktorsinloggning” var inte uppfyllt 2027-03-01",
		"and the approval marked for it");
	is_int(q1(n_sql, fx->org_alfa), 1, "the owner is mailed");
	is_str(cell("SELECT to_addr FROM outbox WHERE dedup_key LIKE"
		    " 'approval-condition-overdue:%' AND org_id = $1", fx->org_alfa), OWNER,
	       "the owner");
	r = fx_get(fx, COORD, "/o/alfa/approvals?show=conditions-overdue");
	is_int(count(r.body, "class=\"dg-row\""), 1, "the list of overdue conditions");
	r = fx_get(fx, COORD, "/o/alfa/");
	has_str(r.body, "1 villkor i ett driftgodkännande är försenat",
		"the coordinator's start page");
	r = fx_get(fx, OWNER, "/o/alfa/");
	ok(!strstr(r.body, "ska vara uppfyllt inom 30 dagar"), "the other is not due soon yet");
	clock_set(NOW + 86400);
	is_int(run_job(), 0, "the next day");
	is_int(q1(n_sql, fx->org_alfa), 1, "nothing more is sent");
	/* R-6-15: warned before the deadline passes */
	clock_set(NOW + 90 * 86400);
	fx_new_sessions(fx);
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "1 villkor i dina driftgodkännanden ska vara uppfyllt inom 30 dagar",
		"two weeks before the other's deadline the owner is warned");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/approvals?show=conditions-soon&amp;owner=%lld",
				     (long long)owner_id), "with the list");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/approvals?show=conditions-soon"
					   "&owner=%lld", (long long)owner_id));
	is_int(count(r.body, "class=\"dg-row\""), 1, "which holds that condition");
	has_str(r.body, "Återläsningstest", "by name");
	q1("UPDATE activity SET status = 'done' WHERE id = $1 RETURNING id", act1);
	clock_set(NOW + 2 * 86400);
	is_int(run_job(), 0, "the day after the activity is done");
	is_int(q1("SELECT overdue FROM approval_condition WHERE id = $1", cond1), 0,
	       "the condition is met, late");
	is_int(stat_n("conditions_overdue"), 0, "nothing overdue");
	is_int(q1("SELECT review FROM approval WHERE id = $1", appr1), 1,
	       "the approval stays marked until the owner decides anew");
	clock_set(NOW);
	fx_new_sessions(fx);
}

/* covers R-6-04, R-6-10, R-6-12 */
TEST(a_new_decision_supersedes_and_the_validity_expires)
{
	struct fx_resp r;
	struct db_error err;
	int64_t appr3;

	/* the owner's signed security plan, version 2 (secplans' table) */
	ok(db_exec(fx->db, &fx->a, "INSERT INTO security_plan (org_id, system_id, title, title_sk,"
		   " plan_version, state, latest, signed_by, signed_on, review_on, created_at,"
		   " updated_at) VALUES ($1, $2, 'Plan', 'plan', 2, 'signed', 1, $3, '2027-03-10',"
		   " '2028-03-10', $4, $4)",
		   DB_ARGS(DB_INT(fx->org_alfa), DB_INT(sys_id), DB_INT(owner_id), DB_INT(NOW)), NULL,
		   &err) == 0, "the system's security plan signed, version 2");
	appr2 = fx_post_id(fx, COORD, "/o/alfa/operational-approvals",
			arena_printf(&fx->a, "system_id=%lld&scope_version=9.0&proposal=approved"
				     "&proposal_text=%s", (long long)sys_id,
				     fx_enc(fx, "Bristerna är åtgärdade.")));
	ok(appr2 > 0, "a new approval prepared");
	is_int(transition(COORD, appr2, "propose", NULL).status, 303, "proposed");
	/* R-6-04 */
	is_int(q1("SELECT secplan_version FROM approval WHERE id = $1", appr2), 2,
	       "tied to the security plan's version");
	is_str(cell("SELECT secplan_state FROM approval WHERE id = $1", appr2), "Undertecknad",
	       "signed");
	is_str(cell("SELECT secplan_signed_on FROM approval WHERE id = $1", appr2), "2027-03-10",
	       "on its day");
	r = transition(COORD, appr2, "decide",
		       "decision_input=approved&decision_text_input=Godk%C3%A4nt."
		       "&valid_until_input=2027-04-30");
	is_int(r.status, 303, "the coordinator records the owner's decision");
	is_int(q1("SELECT decided_by FROM approval WHERE id = $1", appr2), owner_id,
	       "the owner decided");
	is_str(cell("SELECT recorded_by FROM approval WHERE id = $1", appr2), COORD,
	       "the coordinator recorded it");
	is_str(cell("SELECT state FROM approval WHERE id = $1", appr1), "superseded",
	       "the earlier decision is superseded");
	is_int(q1("SELECT superseded_by FROM approval WHERE id = $1", appr1), appr2,
	       "by this one");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/operational-approvals/%lld",
					   (long long)appr1));
	is_int(r.status, 200, "and stays readable");
	is_int(stat_n("approved"), 1, "approved");
	is_int(stat_n("approved_with_conditions"), 0, "the superseded one no longer counts");
	is_int(stat_n("for_review"), 0, "nor its review");
	q1("UPDATE approval_condition SET overdue = 1 WHERE id = $1 RETURNING id", cond2);
	is_int(stat_n("conditions_overdue"), 0, "nor its conditions, overdue or not");
	r = fx_get(fx, COORD, "/o/alfa/approvals?show=conditions-overdue");
	is_int(count(r.body, "class=\"dg-row\""), 0, "the list of overdue conditions agrees");
	r = fx_get(fx, COORD, "/o/alfa/");
	ok(!strstr(r.body, "villkor i ett driftgodkännande är försenat"), "and the start page");
	q1("UPDATE approval_condition SET overdue = 0 WHERE id = $1 RETURNING id", cond2);
	is_str(cell("SELECT validity FROM approval WHERE id = $1", appr2), "due",
	       "valid for less than 60 days: due at once");
	is_int(stat_n("due"), 1, "counted due");
	r = fx_get(fx, COORD, "/o/alfa/approvals?show=due");
	is_int(count(r.body, "class=\"dg-row\""), 1, "the list behind it");
	clock_set(NOW + 50 * 86400);
	is_int(run_job(), 0, "the job after the validity ended");
	is_str(cell("SELECT validity FROM approval WHERE id = $1", appr2), "expired", "expired");
	is_int(q1("SELECT review FROM approval WHERE id = $1", appr2), 1, "marked for review");
	is_int(stat_n("missing"), 1, "the system in operation is missing an approval again");
	is_int(stat_n("approved"), 0, "no longer approved");

	/* R-6-12 */
	fx_new_sessions(fx);
	appr3 = fx_post_id(fx, COORD, "/o/alfa/operational-approvals",
			arena_printf(&fx->a, "system_id=%lld&proposal=rejected&proposal_text=%s",
				     (long long)sys_id, fx_enc(fx, "Loggningen saknas.")));
	ok(appr3 > 0 && transition(COORD, appr3, "propose", NULL).status == 303,
	   "a third proposed: not to approve");
	is_int(transition(OWNER, appr3, "decide", "decision_input=rejected&decision_text_input="
			  "Ej+godk%C3%A4nt.").status, 303, "the owner does not approve it");
	ok(cell("SELECT valid_until FROM approval WHERE id = $1", appr3) == NULL,
	   "a refusal has no validity");
	is_int(stat_n("rejected"), 1, "counted not approved");
	is_int(stat_n("missing"), 1, "the system is still missing an approval");
	is_int(stat_n("for_review"), 0, "the expired one's review is settled by the decision");
	is_str(cell("SELECT state FROM approval WHERE id = $1", appr2), "superseded",
	       "the expired one is superseded");
	clock_set(NOW);
	fx_new_sessions(fx);
}

/* covers R-1-02 */
TEST(another_organisation_sees_nothing)
{
	struct fx_resp r;

	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/operational-approvals/%lld",
					     (long long)appr1));
	is_int(r.status, 404, "another organisation's approval does not exist");
	r = fx_get(fx, ADMIN_B, "/o/beta/approvals?show=review");
	ok(r.status == 200 && count(r.body, "class=\"dg-row\"") == 0, "its lists hold none");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a,
					     "/o/beta/documents/approval-decision.pdf?id=%lld",
					     (long long)appr1));
	is_int(r.status, 404, "nor its document");
}

/* covers R-6-05, R-6-06, R-6-07, R-6-08, R-6-11 */
TEST(the_decision_as_a_pdf)
{
	struct fx_resp r;
	const char *text;
	struct timespec t0, t1;
	double ms;
	FILE *f;

	r = fx_get(fx, COORD, arena_printf(&fx->a,
					   "/o/alfa/documents/approval-decision.pdf?id=%lld",
					   (long long)appr1));
	is_int(r.status, 200, "the decision as a PDF");
	ok(r.len > 5 && memcmp(r.body, "%PDF-", 5) == 0, "a PDF");
	if ((f = fopen("/tmp/approvals-decision.pdf", "wb"))) {
		fwrite(r.body, 1, r.len, f);
		fclose(f);
	}
	text = fx_pdf_text(fx, &r);
	has_str(text, "Beslut om driftgodkännande", "titled");
	has_str(text, "Procapita", "names the system");
	has_str(text, "Vad som godkänns", "the scope");
	has_str(text, "8.2", "with the version approved");
	has_str(text, "Genomgång av säkerhetsåtgärder", "the measures' review");
	has_str(text, "Allvarlig", "with the open gaps' severity");
	has_str(text, "Utvärdering mot systemsäkerhetsplanen", "the evaluation against the plan");
	has_str(text, "Två brister återstår", "the proposal");
	has_str(text, "Godkänt med villkor", "the decision");
	has_str(text, "Olle Ägare", "who decided");
	has_str(text, "2027-03-15", "and when");
	has_str(text, "Tvåfaktorsinloggning", "the conditions");
	has_str(text, "2027-06-30", "with their deadlines");
	has_str(text, "Ersatt av", "and what superseded it");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < 20; i++)
		r = fx_get(fx, COORD, arena_printf(&fx->a,
						   "/o/alfa/documents/approval-decision.pdf?id=%lld",
						   (long long)appr1));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / 20;
	printf("# approval decision PDF: %.1f ms per render (20 renders, through the router)\n", ms);
	ok(r.status == 200 && ms < 2000, "renders in bounded time (%.1f ms)", ms);
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/documents/approval-decision?id=%lld",
					   (long long)appr1));
	is_int(r.status, 200, "the print view");
	has_str(r.body, "Vad som godkänns", "with the same contents");
	r = fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/documents/approval-decision.pdf?id=%lld",
					  (long long)appr1));
	is_int(r.status, 403, "not for a plain user");
	r = fx_get(fx, COORD, "/o/alfa/search?q=Procapita");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/operational-approvals/%lld",
				     (long long)appr1), "the search page finds the approval");
}

/* The lists are keyset-paged: a page of 30, the next holds the rest, none
 * twice; the number equals the rows of all pages. */
TEST(the_lists_are_paged)
{
	struct fx_resp r;
	struct ctx cx;
	struct org_ctx oc;
	struct db_error err;
	const char *next, *href;
	int first, second, ok_all = 1;
	int64_t before = stat_n("missing");

	alfa_ctx(&cx, &oc);
	ok(db_begin(fx->db, &err) == 0, "one transaction");
	for (int i = 0; i < 35 && ok_all; i++) {
		const char *v[SYS_PLAN_MISSING + 1] = { 0 };
		v[SYS_NAME] = arena_printf(&fx->a, "System %02d", i);
		v[SYS_HOSTING] = "joint";
		v[SYS_LIFECYCLE] = "operation";
		v[SYS_PERSONAL_DATA] = "none";
		ok_all = entity_create_values(&cx, &sys_systems, v, &err) > 0;
	}
	ok(ok_all && db_commit(fx->db, &err) == 0, "35 more systems in operation");
	is_int(stat_n("missing"), before + 35, "each counted missing");
	r = fx_get(fx, COORD, "/o/alfa/approvals?show=missing");
	first = count(r.body, "class=\"dg-row\"");
	is_int(first, 30, "a page of 30");
	next = strstr(r.body, "/o/alfa/approvals?show=missing&amp;owner=0&amp;after=");
	ok(next != NULL, "and a next page");
	href = next ? arena_strndup(&fx->a, next, strcspn(next, "\"")) : "";
	{
		/* the link as the browser reads it */
		struct buf b = BUF_INIT;
		for (const char *p = href; *p; p++) {
			if (strncmp(p, "&amp;", 5) == 0) {
				buf_putc(&b, '&');
				p += 4;
			} else {
				buf_putc(&b, *p);
			}
		}
		href = arena_strdup(&fx->a, b.p ? b.p : "");
		buf_release(&b);
	}
	r = fx_get(fx, COORD, href);
	second = count(r.body, "class=\"dg-row\"");
	is_int(first + second, before + 35, "the next page holds the rest");
	ok(!strstr(r.body, ">System 00<"), "none of the first page again");
	ok(!strstr(r.body, "/o/alfa/approvals?show=missing&amp;owner=0&amp;after="),
	   "and it is the last");
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
