/* test_followup.c - follow-up through the real router, on the engine
 * chosen by VARN_TEST_DB: every module's review source in the calendar on
 * its day and in the overdue list once late (R-15-19), one person's only
 * with owner=me, nothing for a viewer who may not read the registers nor
 * for another organisation; a follow-up done with its conclusion, the
 * action plan's numbers kept and the next one planned (R-15-01..05); a
 * deviation made an activity in one step (R-15-07); annual goals decided
 * and followed up with their activities (R-15-04, R-15-16); IT needs
 * (R-15-14/15); the reminders mailed once; the start page's line; the
 * report's section and the overview's; the calendar's queries the same
 * for a large and a small organisation. */
#include "base/base.h"

#include "base/buf.h"
#include "base/clock.h"
#include "chart/chart.h"
#include "core/ctx.h"
#include "core/module.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "fixture.h"
#include "modules/followup/followup.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define OWNER "agare@a.se"
#define BOARD "ledning@a.se"
#define ADMIN_B "admin@b.se"

/* 2027-03-15 12:00 in Stockholm */
#define NOW 1805108400
#define DAY 86400

static int64_t owner_id, coord_id, sys_id, inf_id, plan_id, act_id, appr_id, cond_id, sp_id;
static int64_t fu_id, goal_id;

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

static int sql(const char *s, int64_t arg)
{
	struct db_error err;

	if (db_exec(fx->db, &fx->a, s, DB_ARGS(DB_INT(arg)), NULL, &err) != 0) {
		printf("# sql: %s\n", err.msg);
		return -1;
	}
	return 0;
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

/* title is listed under the day's heading (between its <time> and the
 * next day's section) */
static int on_day(const char *body, const char *day, const char *title)
{
	const char *p, *end;

	if (!body || !(p = strstr(body, arena_printf(&fx->a, "datetime=\"%s\"", day))))
		return 0;
	end = strstr(p, "<section");
	p = strstr(p, title);
	return p && (!end || p < end);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* The titles, one per source, and their days in March 2027. */
static const struct {
	const char *title, *day;
} item[] = {
	{ "Journaler", "2027-03-03" },                 /* classification review */
	{ "Säkerhetsplan Procapita", "2027-03-05" },   /* security plan review */
	{ "Driftgodkännande Procapita", "2027-03-10" },/* approval valid until */
	{ "Villkor om loggning", "2027-03-12" },       /* approval condition */
	{ "Byt lösenordsregler", "2027-03-18" },       /* activity end */
	{ "Handlingsplan mars", "2027-03-31" },        /* the plan's period end */
	{ "Internrevision", "2027-03-22" },            /* a follow-up */
	{ "Alla system har en säkerhetsplan", "2027-03-25" }, /* a goal */
};
#define NITEMS (sizeof(item) / sizeof(item[0]))

TEST(setup_one_thing_to_review_from_every_source)
{
	clock_set(NOW);
	fx_new_sessions(fx);
	owner_id = fx_add_member(fx, fx->org_alfa, OWNER, "Olle Ägare", "systemagare", 0);
	fx_add_member(fx, fx->org_alfa, BOARD, "Karin Ledning", "ledning", 0);
	coord_id = q1("SELECT p.id FROM person p JOIN app_user u ON u.id = p.user_id"
		      " WHERE u.email = 'samordnare@a.se' AND p.org_id = $1", fx->org_alfa);
	ok(coord_id > 0, "the coordinator's person");
	sys_id = fx_post_id(fx, COORD, "/o/alfa/systems",
			    arena_printf(&fx->a, "name=Procapita&hosting=joint&lifecycle=operation"
					 "&personal_data=none&owner_id=%lld", (long long)owner_id));
	inf_id = fx_post_id(fx, COORD, "/o/alfa/information",
			    arena_printf(&fx->a, "name=Journaler&owner_id=%lld",
					 (long long)owner_id));
	ok(sys_id > 0 && inf_id > 0, "a system and an information set owned by the owner");
	ok(sql("UPDATE information_set SET review_on = '2027-03-03' WHERE id = $1", inf_id) == 0,
	   "its classification is to be reviewed on 3 March");
	/* a signed plan and a decided approval, written as their modules would */
	ok(sql("INSERT INTO security_plan (org_id, system_id, plan_version, latest, title, title_sk,"
	       " state, review_on, created_at, updated_at) SELECT org_id, id, 1, 1,"
	       " 'Säkerhetsplan Procapita', 'sakerhetsplan procapita', 'signed', '2027-03-05',"
	       " 1, 1 FROM it_system WHERE id = $1", sys_id) == 0, "a signed security plan");
	sp_id = q1("SELECT id FROM security_plan WHERE system_id = $1", sys_id);
	ok(sql("INSERT INTO approval (org_id, system_id, owner_id, title, title_sk, state,"
	       " valid_until, created_at, updated_at) SELECT org_id, id, owner_id,"
	       " 'Driftgodkännande Procapita', 'driftgodkannande procapita', 'decided',"
	       " '2027-03-10', 1, 1 FROM it_system WHERE id = $1", sys_id) == 0,
	   "a decided approval valid until 10 March");
	appr_id = q1("SELECT id FROM approval WHERE system_id = $1", sys_id);
	ok(sql(arena_printf(&fx->a, "INSERT INTO approval_condition (org_id, approval_id, title,"
			    " title_sk, deadline, responsible_id, created_at, updated_at)"
			    " SELECT org_id, id, 'Villkor om loggning', 'villkor om loggning',"
			    " '2027-03-12', %lld, 1, 1 FROM approval WHERE id = $1",
			    (long long)owner_id), appr_id) == 0,
	   "a condition due 12 March, not made an activity");
	cond_id = q1("SELECT id FROM approval_condition WHERE approval_id = $1", appr_id);
	plan_id = fx_post_id(fx, COORD, "/o/alfa/action-plans", "title=Handlingsplan+mars"
			     "&period_start=2026-04-01&period_end=2027-03-31");
	act_id = fx_post_id(fx, COORD, "/o/alfa/activities",
			    arena_printf(&fx->a, "plan_id=%lld&title=Byt+l%%C3%%B6senordsregler"
					 "&kind=deficiency&priority=2&responsible_id=%lld"
					 "&start_on=2027-01-01&end_on=2027-03-18",
					 (long long)plan_id, (long long)owner_id));
	ok(plan_id > 0 && act_id > 0, "a plan ending 31 March, its activity ending 18 March");
	is_int(transition(COORD, "action-plans", "action_plan", plan_id, "submit", NULL).status,
	       303, "the plan submitted");
	is_int(transition(BOARD, "action-plans", "action_plan", plan_id, "decide",
			  "decider=Kommunstyrelsen&decision_date=2027-02-10"
			  "&decision_text=Fastst%C3%A4lls&minutes=KS+%C2%A7+14").status, 303,
	       "and decided by management");
	fu_id = fx_post_id(fx, COORD, "/o/alfa/follow-ups",
			   arena_printf(&fx->a, "title=Internrevision&kind=audit&scope=Policyn"
					"&responsible_id=%lld&planned_on=2027-03-22"
					"&recurrence_months=12", (long long)coord_id));
	ok(fu_id > 0, "an internal audit planned for 22 March, recurring yearly");
	goal_id = fx_post_id(fx, COORD, "/o/alfa/annual-goals",
			     arena_printf(&fx->a, "year=2027&title=Alla+system+har+en+s%%C3%%A4kerhetsplan"
					  "&responsible_id=%lld&follow_up_on=2027-03-25",
					  (long long)coord_id));
	ok(goal_id > 0, "an annual goal followed up on 25 March");
	ok(fx_post_id(fx, ADMIN_B, "/o/beta/follow-ups",
		      arena_printf(&fx->a, "title=Betas+revision&kind=audit&responsible_id=%lld"
				   "&planned_on=2027-03-10",
				   (long long)q1("SELECT p.id FROM person p JOIN app_user u"
						 " ON u.id = p.user_id WHERE u.email = 'admin@b.se'"
						 " AND p.org_id = $1", fx->org_beta))) > 0,
	   "another organisation's follow-up");
}

/* covers R-15-01 */
TEST(every_source_is_in_the_calendar_on_its_day)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/follow-up?month=2027-03");

	is_int(r.status, 200, "the calendar of March");
	has_str(r.body, "mars 2027", "named by its month");
	for (size_t i = 0; i < NITEMS; i++)
		ok(on_day(r.body, item[i].day, item[i].title), "%s on %s", item[i].title,
		   item[i].day);
	has_str(r.body, "Vecka 10", "grouped by week");
	{
		const char *w9 = strstr(r.body, "Vecka 9<"), *d3 = strstr(r.body, "datetime=\"2027-03-03\"");
		const char *w10 = strstr(r.body, "Vecka 10<");
		ok(w9 && d3 && w10 && w9 < d3 && d3 < w10, "3 March 2027 under ISO week 9");
	}
	has_str(r.body, "onsdag 3 mars", "the day by its name");
	has_str(r.body, "/o/alfa/follow-up?month=2027-02", "a link to the month before");
	has_str(r.body, "/o/alfa/follow-up?month=2027-04", "and after");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/security-plans/%lld", (long long)sp_id),
		"each linked to its record");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/approval-conditions/%lld",
				     (long long)cond_id), "the condition too");
	ok(!strstr(r.body, "Betas revision"), "nothing of another organisation");
	r = fx_get(fx, COORD, "/o/alfa/follow-up?month=2027-04");
	ok(!strstr(r.body, "Internrevision"), "April holds none of them");
	r = fx_get(fx, COORD, "/o/alfa/search?q=internrevision");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/follow-ups/%lld", (long long)fu_id),
		"the search page finds the follow-up");
	r = fx_get(fx, ADMIN_B, "/o/beta/search?q=internrevision");
	ok(!strstr(r.body, "/follow-ups/"), "but not in another organisation");
}

/* covers R-15-19 */
TEST(the_overdue_list_holds_what_is_late_from_every_source)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/follow-up/overdue");

	is_int(r.status, 200, "the overdue list");
	for (size_t i = 0; i < NITEMS; i++) {
		int late = strcmp(item[i].day, "2027-03-15") < 0;
		ok(!!strstr(r.body, item[i].title) == late, "%s %s", item[i].title,
		   late ? "is late" : "is not late yet");
	}
	clock_set(NOW + 30 * DAY);
	fx_new_sessions(fx);
	r = fx_get(fx, COORD, "/o/alfa/follow-up/overdue");
	for (size_t i = 0; i < NITEMS; i++)
		has_str(r.body, item[i].title, "a month later all are late");
	has_str(r.body, "Försenat per slag", "with the counts by kind");
	r = fx_get(fx, ADMIN_B, "/o/beta/follow-up/overdue");
	ok(strstr(r.body, "Betas revision") && !strstr(r.body, "Internrevision"),
	   "another organisation's list holds its own only");
	clock_set(NOW);
	fx_new_sessions(fx);
}

/* covers R-15-19 */
TEST(one_persons_reviews_with_owner_me)
{
	struct fx_resp r = fx_get(fx, OWNER, "/o/alfa/follow-up?month=2027-03&owner=me");

	is_int(r.status, 200, "the owner's calendar");
	has_str(r.body, "Journaler", "their information set");
	has_str(r.body, "Säkerhetsplan Procapita", "their system's plan");
	has_str(r.body, "Driftgodkännande Procapita", "their approval");
	has_str(r.body, "Villkor om loggning", "the condition they answer for");
	has_str(r.body, "Byt lösenordsregler", "their activity");
	ok(!strstr(r.body, "Internrevision") && !strstr(r.body, "Handlingsplan mars"),
	   "not the coordinator's audit nor the plan, which no one person owns");
	has_str(r.body, "href=\"/o/alfa/follow-up?month=2027-02&amp;owner=me\"",
		"the month before keeps the owner");
	has_str(r.body, "href=\"/o/alfa/follow-up?month=2027-04&amp;owner=me\"", "the month after too");
	has_str(r.body, "href=\"/o/alfa/follow-up/overdue?owner=me\"", "and the overdue list");
	has_str(r.body, "href=\"/o/alfa/follow-up?month=2027-03\"", "\"Alla\" keeps the month");
	ok(!strstr(r.body, "%3F") && !strstr(r.body, "%2F"), "no address with an escaped ? or /");
	r = fx_get(fx, COORD, "/o/alfa/follow-up/overdue?owner=me");
	ok(!strstr(r.body, "Journaler"), "the coordinator's overdue list leaves the owner's out");
}

/* covers R-15-19 */
TEST(a_viewer_who_may_not_read_the_registers_sees_nothing)
{
	struct fx_resp r = fx_get(fx, USER, "/o/alfa/follow-up?month=2027-03");

	is_int(r.status, 200, "a plain user may open the calendar");
	for (size_t i = 0; i < NITEMS; i++)
		ok(!strstr(r.body, item[i].title), "but does not see %s", item[i].title);
	r = fx_get(fx, USER, "/o/alfa/follow-up/overdue");
	ok(!strstr(r.body, "Journaler") && !strstr(r.body, "Internrevision"),
	   "nor anything in the overdue list");
	r = fx_get(fx, ADMIN_B, "/o/alfa/follow-up");
	is_int(r.status, 404, "another organisation's administrator finds no calendar here");
}

/* covers R-15-01 */
TEST(the_start_page_tells_the_responsible_person_what_is_late)
{
	struct fx_resp r;

	clock_set(NOW + 10 * DAY); /* the audit (22 March) is late on 25 March */
	fx_new_sessions(fx);
	r = fx_get(fx, COORD, "/o/alfa/");
	has_str(r.body, "1 sak att följa upp är försenad", "one line for the audit");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/follow-up/overdue?owner=%lld&amp;kind=followup",
				     (long long)coord_id), "linked to their overdue list");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/follow-up/overdue?owner=%lld"
					   "&kind=followup", (long long)coord_id));
	has_str(r.body, "Internrevision", "which holds the audit");
	ok(!strstr(r.body, "Byt lösenordsregler"), "and only follow-ups and goals");
	clock_set(NOW);
	fx_new_sessions(fx);
}

/* The scheduler runs the daily job once in the period of now. */
static int run_job(void)
{
	struct db_error err;
	struct buf log = BUF_INIT;
	int n, rc;

	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "follow-up-reminders", &log,
			      NULL, &err);
	if (n < 0)
		printf("# scheduler: %s\n", err.msg);
	rc = n == 1 && log.p && strstr(log.p, ": ok") ? 0 : -1;
	if (rc)
		printf("# %s", log.p ? log.p : "(nothing ran)\n");
	buf_release(&log);
	return rc;
}

/* covers R-15-01 */
TEST(reminders_are_mailed_once_when_due_soon_and_once_when_late)
{
	const char *soon = "SELECT count(*) FROM outbox WHERE org_id = $1"
			   " AND dedup_key LIKE 'follow-up-soon:%'";
	const char *late = "SELECT count(*) FROM outbox WHERE org_id = $1"
			   " AND dedup_key LIKE 'follow-up-late:%'";

	clock_set(NOW);
	is_int(run_job(), 0, "the job runs on 15 March");
	is_int(q1(soon, fx->org_alfa), 2, "the audit (22 March) and the goal (25 March) are due soon");
	is_int(q1(late, fx->org_alfa), 0, "nothing is late yet");
	has_str(cell("SELECT body_text FROM outbox WHERE entity = 'follow-ups' AND entity_id = $1",
		     fu_id), "/o/alfa/follow-ups/", "with a link to the follow-up");
	clock_set(NOW + DAY);
	is_int(run_job(), 0, "the next day");
	is_int(q1(soon, fx->org_alfa), 2, "nothing more is sent");
	clock_set(NOW + 8 * DAY);
	is_int(run_job(), 0, "on 23 March");
	is_int(q1(late, fx->org_alfa), 1, "the audit is late: told once");
	clock_set(NOW + 9 * DAY);
	is_int(run_job(), 0, "on 24 March");
	is_int(q1(late, fx->org_alfa), 1, "and not again");
	clock_set(NOW);
	fx_new_sessions(fx);
}

/* covers R-15-07 */
TEST(a_deviation_becomes_an_activity_in_one_step)
{
	struct fx_resp r;
	int64_t obs, dev, act;

	obs = fx_post_id(fx, COORD, "/o/alfa/follow-up-findings",
			 arena_printf(&fx->a, "follow_up_id=%lld&title=Loggar+protokollf%%C3%%B6rs+inte"
				      "&kind=observation&severity=low", (long long)fu_id));
	dev = fx_post_id(fx, COORD, "/o/alfa/follow-up-findings",
			 arena_printf(&fx->a, "follow_up_id=%lld&title=Beh%%C3%%B6righeter+ej+%%C3%%B6versedda"
				      "&description=Riktlinjen+kr%%C3%%A4ver+%%C3%%B6versyn"
				      "&kind=deviation&severity=high", (long long)fu_id));
	ok(obs > 0 && dev > 0, "an observation and a deviation recorded on the audit");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/follow-ups/%lld", (long long)fu_id));
	ok(strstr(r.body, "Loggar protokollförs inte") && strstr(r.body, "Behörigheter ej översedda"),
	   "the audit's page lists its findings");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/follow-up-findings/%lld/to-action",
					   (long long)dev));
	is_int(r.status, 200, "the step's page");
	has_str(r.body, "Behörigheter ej översedda", "starts from the finding's title");
	r = transition(COORD, "follow-up-findings", "follow_up_finding", obs, "to-action",
		       "action_title=X&action_end=2027-06-30");
	ok(r.status != 303, "an observation is not made an action (%d)", r.status);
	r = transition(USER, "follow-up-findings", "follow_up_finding", dev, "to-action",
		       "action_title=X&action_end=2027-06-30");
	ok(r.status == 403 || r.status == 404, "nor by a plain user (%d)", r.status);
	r = transition(COORD, "follow-up-findings", "follow_up_finding", dev, "to-action",
		       "action_title=Se+%C3%B6ver+beh%C3%B6righeterna&action_end=2027-06-30");
	is_int(r.status, 303, "the deviation made an action");
	act = q1("SELECT activity_id FROM follow_up_finding WHERE id = $1", dev);
	ok(act > 0, "linked to its activity");
	is_str(cell("SELECT title FROM activity WHERE id = $1", act), "Se över behörigheterna",
	       "an activity of that name");
	is_int(q1("SELECT plan_id FROM activity WHERE id = $1", act), plan_id, "in the open plan");
	is_str(cell("SELECT priority FROM activity WHERE id = $1", act), "1",
	       "first priority for a severe deviation");
	is_int(q1("SELECT responsible_id FROM activity WHERE id = $1", act), coord_id,
	       "the audit's responsible person responsible");
	is_str(cell("SELECT state FROM follow_up_finding WHERE id = $1", dev), "action",
	       "the finding's state says so");
	ok(q1("SELECT count(*) FROM audit_event WHERE entity = 'follow-up-findings'"
	      " AND entity_id = $1 AND action = 'to-action'", dev) == 1, "audited");
}

/* covers R-15-02 R-15-03 R-15-04 R-15-05 R-15-01 */
TEST(a_follow_up_done_keeps_what_it_checked_and_plans_the_next)
{
	struct fx_resp r;
	int64_t next;

	is_int(transition(COORD, "follow-ups", "follow_up", fu_id, "start", NULL).status, 303,
	       "the audit under way");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/follow-ups/%lld", (long long)fu_id));
	has_str(r.body, "aktiviteter i den beslutade handlingsplanen är genomförda",
		"its page shows the decided plan's numbers as they stand");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/follow-ups/%lld", (long long)fu_id),
		    arena_printf(&fx->a, "title=Internrevision&kind=audit&scope=Policyn"
				 "&responsible_id=%lld&planned_on=2027-03-22&recurrence_months=12"
				 "&guidelines=partly&guidelines_note=Beh%%C3%%B6righeter+sl%%C3%%A4par"
				 "&goals=partly&revision_needed=S%%C3%%A4kerhetsplanen+f%%C3%%B6r+Procapita"
				 "&version=%lld", (long long)coord_id,
				 (long long)version("follow_up", fu_id)));
	is_int(r.status, 303, "what was checked recorded");
	r = transition(COORD, "follow-ups", "follow_up", fu_id, "complete", "conclusion=");
	ok(r.status != 303, "not done without a conclusion (%d)", r.status);
	is_str(cell("SELECT state FROM follow_up WHERE id = $1", fu_id), "ongoing", "still ongoing");
	is_int(transition(COORD, "follow-ups", "follow_up", fu_id, "complete",
			  "conclusion=Policyn+f%C3%B6ljs+i+stort").status, 303, "done with its conclusion");
	is_str(cell("SELECT state FROM follow_up WHERE id = $1", fu_id), "done", "done");
	is_str(cell("SELECT done_on FROM follow_up WHERE id = $1", fu_id), "2027-03-15", "today");
	is_str(cell("SELECT guidelines FROM follow_up WHERE id = $1", fu_id), "partly",
	       "guidelines partly followed (R-15-02)");
	is_int(q1("SELECT actions_total FROM follow_up WHERE id = $1", fu_id),
	       q1("SELECT count(*) FROM activity WHERE plan_id = $1 AND archived = 0", plan_id),
	       "the decided plan's activities kept (R-15-03)");
	is_int(q1("SELECT actions_done FROM follow_up WHERE id = $1", fu_id), 0, "none done");
	is_str(cell("SELECT goals FROM follow_up WHERE id = $1", fu_id), "partly",
	       "the goals partly met (R-15-04)");
	has_str(cell("SELECT revision_needed FROM follow_up WHERE id = $1", fu_id), "Procapita",
		"what needs revision (R-15-05)");
	next = q1("SELECT next_id FROM follow_up WHERE id = $1", fu_id);
	ok(next > 0, "the next one planned");
	is_str(cell("SELECT planned_on FROM follow_up WHERE id = $1", next), "2028-03-22",
	       "twelve months later");
	is_str(cell("SELECT state FROM follow_up WHERE id = $1", next), "planned", "planned");
	r = fx_get(fx, COORD, "/o/alfa/follow-up?month=2027-03");
	ok(!on_day(r.body, "2027-03-22", "Internrevision"), "a done audit leaves the calendar");
	r = fx_get(fx, COORD, "/o/alfa/follow-up?month=2028-03");
	ok(on_day(r.body, "2028-03-22", "Internrevision"), "the next one is in it a year on");
}

/* covers R-15-01 */
TEST(a_monthly_follow_up_from_the_last_of_january_recurs_on_the_last_of_february)
{
	int64_t id = fx_post_id(fx, COORD, "/o/alfa/follow-ups",
				arena_printf(&fx->a, "title=M%%C3%%A5nadsgranskning&kind=log_review"
					     "&responsible_id=%lld&planned_on=2027-01-31"
					     "&recurrence_months=1", (long long)coord_id));
	int64_t next;

	ok(id > 0, "a monthly log review on 31 January");
	is_int(transition(COORD, "follow-ups", "follow_up", id, "complete",
			  "conclusion=Inget+att+anm%C3%A4rka").status, 303, "done");
	next = q1("SELECT next_id FROM follow_up WHERE id = $1", id);
	is_str(cell("SELECT planned_on FROM follow_up WHERE id = $1", next), "2027-02-28",
	       "the next on the last of February");
	is_str(cell("SELECT kind FROM follow_up WHERE id = $1", next), "log_review", "of its kind");
	is_int(q1("SELECT count(*) FROM follow_up WHERE id = $1 AND next_id IS NULL", next), 1,
	       "itself not yet followed by another");
	ok(transition(COORD, "follow-ups", "follow_up", next, "archive", NULL).status == 303 &&
	   transition(COORD, "follow-ups", "follow_up", id, "archive", NULL).status == 303,
	   "both archived (the rest of the tests count without them)");
}

/* covers R-15-17 R-15-18 */
TEST(a_system_owners_follow_up_names_its_system_and_scanning_is_recorded)
{
	struct fx_resp r;
	int64_t id;

	r = fx_post(fx, OWNER, "/o/alfa/follow-ups",
		    arena_printf(&fx->a, "title=St%%C3%%B6der+systemet+verksamheten%%3F&kind=system_owner"
				 "&responsible_id=%lld&planned_on=2027-04-01", (long long)owner_id));
	ok(r.status != 303, "a system owner's follow-up needs its system (%d)", r.status);
	id = fx_post_id(fx, OWNER, "/o/alfa/follow-ups",
			arena_printf(&fx->a, "title=St%%C3%%B6der+systemet+verksamheten%%3F"
				     "&kind=system_owner&system_id=%lld&responsible_id=%lld"
				     "&planned_on=2027-04-01", (long long)sys_id, (long long)owner_id));
	ok(id > 0, "the owner records their own follow-up of the system");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys_id));
	has_str(r.body, "Stöder systemet verksamheten?", "the system's page lists it");
	r = fx_post(fx, OWNER, "/o/alfa/follow-ups",
		    arena_printf(&fx->a, "title=Andras&kind=follow_up&responsible_id=%lld"
				 "&planned_on=2027-04-01", (long long)coord_id));
	ok(r.status == 403 || r.status == 422, "but not one for someone else (%d)", r.status);
	id = fx_post_id(fx, COORD, "/o/alfa/follow-ups",
			arena_printf(&fx->a, "title=Omv%%C3%%A4rldsbevakning&kind=scanning"
				     "&responsible_id=%lld&planned_on=2027-04-05", (long long)coord_id));
	ok(id > 0, "environment scanning planned and visible to management");
	r = fx_get(fx, BOARD, "/o/alfa/follow-ups?kind=scanning");
	has_str(r.body, "Omvärldsbevakning", "management sees that scanning happens");
}

/* covers R-15-04 R-15-16 R-15-14 R-15-15 */
TEST(annual_goals_are_decided_linked_to_activities_and_followed_up)
{
	struct fx_resp r;
	int64_t need;

	r = transition(OWNER, "annual-goals", "annual_goal", goal_id, "decide",
		       "decider=X&decision_date=2027-03-01&minutes=Y");
	is_int(r.status, 403, "a system owner does not decide goals");
	is_int(transition(BOARD, "annual-goals", "annual_goal", goal_id, "decide",
			  "decider=Ledningsgruppen&decision_date=2027-03-01&minutes=LG+%C2%A7+3")
	       .status, 303, "management decides");
	is_str(cell("SELECT decided_by FROM annual_goal WHERE id = $1", goal_id), "Ledningsgruppen",
	       "who decided is recorded");
	is_str(cell("SELECT minutes_ref FROM annual_goal WHERE id = $1", goal_id), "LG § 3",
	       "and where");
	ok(fx_post_id(fx, COORD, "/o/alfa/annual-goal-activities",
		      arena_printf(&fx->a, "goal_id=%lld&activity_id=%lld", (long long)goal_id,
				   (long long)act_id)) > 0, "an activity linked to the goal");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/annual-goals/%lld", (long long)goal_id));
	has_str(r.body, "Byt lösenordsregler", "the goal's page lists its activity");
	r = transition(COORD, "annual-goals", "annual_goal", goal_id, "partly", "outcome=");
	ok(r.status != 303, "followed up only with a comment (%d)", r.status);
	is_int(transition(COORD, "annual-goals", "annual_goal", goal_id, "partly",
			  "outcome=Tv%C3%A5+system+saknar+plan").status, 303,
	       "followed up: partly met");
	is_str(cell("SELECT state FROM annual_goal WHERE id = $1", goal_id), "partly", "partly met");
	is_str(cell("SELECT followed_up_on FROM annual_goal WHERE id = $1", goal_id), "2027-03-15",
	       "on the day");
	need = fx_post_id(fx, OWNER, "/o/alfa/it-needs",
			  arena_printf(&fx->a, "year=2028&title=Ny+e-tj%%C3%%A4nst&area=introduction"
				       "&system_id=%lld&owner_id=%lld&goals=Kortare+handl%%C3%%A4ggning",
				       (long long)sys_id, (long long)owner_id));
	ok(need > 0, "a system owner submits an IT need for next year");
	r = fx_get(fx, BOARD, "/o/alfa/it-needs");
	has_str(r.body, "Ny e-tjänst", "the management group sees it");
	r = transition(OWNER, "it-needs", "it_need", need, "compile", "goal_title=X");
	is_int(r.status, 403, "the owner does not compile it into a goal");
	is_int(transition(BOARD, "it-needs", "it_need", need, "compile",
			  "goal_title=Ny+e-tj%C3%A4nst+i+drift").status, 303,
	       "the management group makes it a proposed goal");
	{
		int64_t g = q1("SELECT goal_id FROM it_need WHERE id = $1", need);
		ok(g > 0, "linked to the goal");
		is_str(cell("SELECT state FROM annual_goal WHERE id = $1", g), "proposed",
		       "a proposed goal");
		is_str(cell("SELECT title FROM annual_goal WHERE id = $1", g), "Ny e-tjänst i drift",
		       "by the name given");
		is_int(q1("SELECT year FROM annual_goal WHERE id = $1", g), 2028, "for the need's year");
		has_str(cell("SELECT description FROM annual_goal WHERE id = $1", g),
			"Kortare handläggning", "with the owner's goals");
	}
}

/* covers R-15-06 */
TEST(the_reports_section_and_the_overview)
{
	struct ctx cx;
	struct org_ctx org = { 0 };
	struct report_period p;
	struct report_part part = { 0 };
	struct db_error err;
	struct fx_resp r;
	size_t nsrc = 0;

	for (size_t m = 0; modules[m]; m++)
		for (const struct review_source *s = modules[m]->reviews; s && s->label; s++)
			nsrc++;
	ctx_system(&cx, &fx->a, fx->db, "test", VIA_CLI);
	org.id = fx->org_alfa;
	org.slug = "alfa";
	cx.org = &org;
	p.from = NOW - 90 * DAY;
	p.to = NOW + DAY;
	p.prev_from = NOW - 180 * DAY;
	ok(followup_report[0].order == 70, "the report's section comes at 70");
	is_int(followup_report[0].build(&cx, &p, &part, &err), 0, "it builds");
	ok(part.chart && part.chart->ncat >= 1 && part.chart->ncat <= nsrc,
	   "a bar per review source with something late (%zu of %zu)",
	   part.chart ? part.chart->ncat : 0, nsrc);
	for (size_t i = 0; part.chart && i < part.chart->ncat; i++)
		ok(part.chart->series[0].values[i] > 0, "%s: late, so shown", part.chart->cats[i]);
	ok(part.reading && strstr(part.reading, "gjordes 1 uppföljningar och revisioner, fler än perioden före (0)"), "one sentence reads it: %s",
	   part.reading ? part.reading : "(none)");
	is_int(part.figures[0].n, 1, "one follow-up done in the period");
	r = fx_get(fx, COORD, "/o/alfa/overview");
	has_str(r.body, "Försenat att följa upp", "the overview has a follow-up section");
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

TEST(the_calendar_costs_the_same_for_a_large_organisation)
{
	uint64_t q0, big, small;

	/* alfa grows: 300 more activities in March */
	ok(sql("INSERT INTO activity (org_id, plan_id, title, title_sk, kind, priority,"
	       " responsible_id, start_on, end_on, status, created_at, updated_at)"
	       " SELECT a.org_id, a.plan_id, a.title, a.title_sk, a.kind, a.priority,"
	       " a.responsible_id, a.start_on, a.end_on, a.status, 1, 1 FROM activity a"
	       " CROSS JOIN (SELECT id FROM audit_event LIMIT 300) x WHERE a.id = $1", act_id) == 0,
	   "a grown register");
	fx_get(fx, COORD, "/o/alfa/follow-up?month=2027-03");
	fx_get(fx, COORD, "/o/beta/follow-up?month=2027-03");
	q0 = app_queries();
	fx_get(fx, COORD, "/o/alfa/follow-up?month=2027-03");
	big = app_queries() - q0;
	q0 = app_queries();
	fx_get(fx, COORD, "/o/beta/follow-up?month=2027-03");
	small = app_queries() - q0;
	is_int(big, small, "the same queries for the grown and the small organisation");
	ok(count(fx_get(fx, COORD, "/o/alfa/follow-up?month=2027-03").body, "Byt lösenordsregler")
	   <= 301, "the month is bounded");
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
