/* test_risks.c - risk analysis through the real router, on the engine
 * chosen by VARN_TEST_DB: the organisation's risk model made with its
 * defaults and the levels computed from its matrix (and written anew when
 * the matrix changes); an analysis of a system drafted, started, decided
 * by management with who and when; risks linked to systems and
 * information; the conscious risk decision allowed only to the roles the
 * acceptance criteria name (refused otherwise, or recorded by the keepers
 * naming who decided), with its expiry; the daily job marking an expired
 * acceptance and mailing its owner once; a measure made an activity of the
 * action plan; the threats of the system's security plan imported once;
 * the heat-map summary equal to the rows; the analysis as a PDF; another
 * organisation kept out. */
#include "base/base.h"

#include "base/buf.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/scheduler.h"
#include "chart/chart.h"
#include "db/db.h"
#include "fixture.h"
#include "modules/risks/risks.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define OWNER "agare@a.se"
#define BOARD "ledning@a.se"
#define ADMIN_B "admin@b.se"

/* 2027-03-15 12:00 in Stockholm (11:00 UTC) */
#define NOW 1805108400

static int64_t owner_id, board_id, sys_id, inf_id, plan_id, analysis, r_low, r_high, r_top,
	r_other;

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

static struct fx_resp transition(const char *who, const char *reg, const char *table, int64_t id,
				 const char *name, const char *form)
{
	int64_t v = q1(arena_printf(&fx->a, "SELECT version FROM %s WHERE id = $1", table), id);
	return fx_post(fx, who, arena_printf(&fx->a, "/o/alfa/%s/%lld/%s", reg, (long long)id,
					     name),
		       arena_printf(&fx->a, "version=%lld%s%s", (long long)v, form ? "&" : "",
				    form ? form : ""));
}

static int64_t new_risk(const char *title, const char *c, const char *l, const char *more)
{
	return fx_post_id(fx, COORD, "/o/alfa/risks",
			  arena_printf(&fx->a, "analysis_id=%lld&title=%s&consequence=%s"
				       "&likelihood=%s&owner_id=%lld%s%s", (long long)analysis,
				       fx_enc(fx, title), c, l, (long long)owner_id,
				       more ? "&" : "", more ? more : ""));
}

static const char *level(int64_t id)
{
	return cell("SELECT level FROM risk WHERE id = $1", id);
}

/* The heat maps' summary holds what the rows hold, cell by cell. */
static int summary_matches(int64_t org)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a,
		    "SELECT consequence, likelihood, count(*) FROM risk WHERE org_id = $1"
		    " AND archived = 0 AND consequence IS NOT NULL AND likelihood IS NOT NULL"
		    " GROUP BY consequence, likelihood", DB_ARGS(DB_INT(org)), &r, &err) != 0)
		return 0;
	for (size_t i = 0; i < r.nrows; i++) {
		struct db_rows s;
		if (db_exec(fx->db, &fx->a,
			    "SELECT n FROM risk_stat WHERE org_id = $1 AND analysis_id = 0"
			    " AND phase = 'i' AND consequence = $2 AND likelihood = $3",
			    DB_ARGS(DB_INT(org), DB_TEXT(db_cell(&r, i, 0)),
				    DB_TEXT(db_cell(&r, i, 1))), &s, &err) != 0 || s.nrows != 1 ||
		    db_cell_i64(&s, 0, 0) != db_cell_i64(&r, i, 2))
			return 0;
	}
	return q1("SELECT COALESCE(sum(n), 0) FROM risk_stat WHERE org_id = $1 AND analysis_id = 0"
		  " AND phase = 'i'", org) ==
	       q1("SELECT count(*) FROM risk WHERE org_id = $1 AND archived = 0"
		  " AND consequence IS NOT NULL AND likelihood IS NOT NULL", org);
}

TEST(setup)
{
	clock_set(NOW);
	fx_new_sessions(fx);
	owner_id = fx_add_member(fx, fx->org_alfa, OWNER, "Olle Ägare", "systemagare", 0);
	board_id = fx_add_member(fx, fx->org_alfa, BOARD, "Karin Ledning", "ledning", 0);
	ok(owner_id > 0 && board_id > 0, "a system owner and management");
	inf_id = fx_post_id(fx, COORD, "/o/alfa/information", "name=Omsorgsjournaler");
	sys_id = fx_post_id(fx, COORD, "/o/alfa/systems",
			 arena_printf(&fx->a, "name=Omsorgssystemet&hosting=joint&lifecycle=operation"
				      "&personal_data=none&owner_id=%lld", (long long)owner_id));
	ok(inf_id > 0 && sys_id > 0, "information and a system with an owner");
	plan_id = fx_post_id(fx, COORD, "/o/alfa/action-plans", "title=Handlingsplan+2027"
			  "&period_start=2027-01-01&period_end=2027-12-31");
	ok(plan_id > 0, "an action plan for the year");
}

TEST(the_model_has_its_defaults)
{
	struct fx_resp r = fx_get(fx, USER, "/o/alfa/risk-model");

	is_int(r.status, 403, "not for a plain user");
	r = fx_get(fx, OWNER, "/o/alfa/risk-model");
	is_int(r.status, 200, "the model's page");
	has_str(r.body, "Mycket sannolik", "the likelihood scale");
	has_str(r.body, "Mycket allvarlig", "the consequence scale, as the classification's");
	has_str(r.body, "Kommunchefen", "who may accept the highest level");
	ok(strstr(r.body, "<select") == NULL, "read only for an owner");
	is_int(q1("SELECT count(*) FROM risk_model WHERE org_id = $1", fx->org_alfa), 0,
	       "reading the default model writes nothing");
	has_str(r.body, "<dd>24</dd>", "low risks accepted for 24 months by default");
	r = fx_get(fx, COORD, "/o/alfa/risk-model");
	has_str(r.body, "name=\"cell_4_4\"", "the coordinator edits the cells");
}

/* covers R-7-01 */
TEST(an_analysis_of_a_system_and_its_risks)
{
	struct fx_resp r;

	r = fx_post(fx, COORD, "/o/alfa/risk-analyses", "title=Riskanalys+omsorg&kind=system");
	is_int(r.status, 422, "an analysis of a system names the system");
	has_str(r.body, "Välj systemet", "saying so");
	analysis = fx_post_id(fx, COORD, "/o/alfa/risk-analyses",
			      arena_printf(&fx->a, "title=Riskanalys+omsorg&kind=system"
					   "&system_id=%lld&owner_id=%lld&review_on=2028-03-01"
					   "&participants=Olle%%2C+%%C3%%85sa", (long long)sys_id,
					   (long long)owner_id));
	ok(analysis > 0, "an analysis of the system");
	is_str(cell("SELECT state FROM risk_analysis WHERE id = $1", analysis), "draft", "a draft");
	is_int(q1("SELECT count(*) FROM risk_category WHERE org_id = $1", fx->org_alfa), 5,
	       "the five consequence categories are there");
	r_low = new_risk("Felregistrering", "1", "2", NULL);
	r_high = new_risk("Obehörig åtkomst", "3", "2",
			  arena_printf(&fx->a, "aspect_k=1&system_id=%lld&infoset_id=%lld"
				       "&cause=Delade+konton&event=N%%C3%%A5gon+l%%C3%%A4ser"
				       "&consequence_text=Integritetsintr%%C3%%A5ng",
				       (long long)sys_id, (long long)inf_id));
	r_top = new_risk("Utpressningsvirus", "4", "4", NULL);
	ok(r_low > 0 && r_high > 0 && r_top > 0, "three risks");
	is_str(level(r_low), "1", "consequence 1, possible: low");
	is_str(level(r_high), "3", "consequence 3, possible: high");
	is_str(level(r_top), "4", "consequence 4, very likely: very high");
	is_int(q1("SELECT system_id FROM risk WHERE id = $1", r_high), sys_id,
	       "the risk names the system it concerns");
	is_int(q1("SELECT infoset_id FROM risk WHERE id = $1", r_high), inf_id,
	       "and the information");
	r = fx_post(fx, COORD, "/o/alfa/risks",
		    arena_printf(&fx->a, "analysis_id=%lld&title=Utan+motivering&treatment=avoid",
				 (long long)analysis));
	is_int(r.status, 422, "a treatment without its reasoning refused");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_high));
	is_int(r.status, 200, "the risk's page");
	has_str(r.body, "Hög", "its level in words");
	has_str(r.body, "Omsorgssystemet", "the system it concerns");
	has_str(r.body, "Omsorgsjournaler", "the information it concerns");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/risk-analyses/%lld", (long long)analysis));
	has_str(r.body, "Utpressningsvirus", "the analysis lists its risks");
	has_str(r.body, "ch-risk-before", "with the heat map before treatment");
	has_str(r.body, "Inga bedömda risker ännu", "and after: none assessed yet");
	r = fx_get(fx, COORD, "/o/alfa/risks?level=3");
	ok(strstr(r.body, "Obehörig åtkomst") && !strstr(r.body, "Felregistrering"),
	   "the register filters by level");
}

/* covers R-7-03 (the analysis side: part 10's introduction projects will
 * make it) */
TEST(an_introduction_projects_assessment_is_an_analysis_of_the_new_system)
{
	struct fx_resp r;
	int64_t sys_new, an;

	sys_new = fx_post_id(fx, COORD, "/o/alfa/systems",
			     arena_printf(&fx->a, "name=Nytt+v%%C3%%A5rdsystem&hosting=joint"
					  "&lifecycle=planned&personal_data=none&owner_id=%lld",
					  (long long)owner_id));
	ok(sys_new > 0, "a system being introduced");
	an = fx_post_id(fx, COORD, "/o/alfa/risk-analyses",
			arena_printf(&fx->a, "title=Inledande+risk-+och+s%%C3%%A5rbarhetsbed%%C3%%B6mning"
				     "&kind=project&system_id=%lld&owner_id=%lld",
				     (long long)sys_new, (long long)owner_id));
	ok(an > 0, "the project's initial assessment, stored as an analysis of the new system");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys_new));
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/risk-analyses/%lld", (long long)an),
		"the system's page lists it");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)owner_id));
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_high),
		"the owner's page lists the risks they own");
	is_int(transition(COORD, "risk-analyses", "risk_analysis", an, "archive", NULL).status, 303,
	       "archived again, out of the way of the other tests");
}

TEST(changing_the_matrix_writes_the_levels_anew)
{
	const char *form =
		"cell_1_1=2&cell_1_2=2&cell_1_3=2&cell_1_4=2&cell_2_1=1&cell_2_2=2&cell_2_3=3"
		"&cell_2_4=3&cell_3_1=2&cell_3_2=3&cell_3_3=4&cell_3_4=4&cell_4_1=2&cell_4_2=3"
		"&cell_4_3=4&cell_4_4=4&accept_1=owner&accept_2=owner&accept_3=management"
		"&accept_4=chief&months_1=24&months_2=12&months_3=12&months_4=6";
	struct fx_resp r;

	int64_t unit = fx_post_id(fx, COORD, "/o/alfa/units",
				  "name=Socialf%C3%B6rvaltningen&kind=forvaltning");

	is_int(fx_post(fx, OWNER, "/o/alfa/risk-model", form).status, 403,
	       "an owner does not change the model");
	ok(fx_add_member(fx, fx->org_alfa, "enhet@a.se", "Enya Enhet", "samordnare", unit) > 0,
	   "a coordinator of one unit");
	is_int(fx_post(fx, "enhet@a.se", "/o/alfa/risk-model", form).status, 403,
	       "does not change the whole organisation's model");
	r = fx_post(fx, COORD, "/o/alfa/risk-model", form);
	is_int(r.status, 303, "the coordinator does");
	is_str(level(r_low), "2", "the low risk's cell is medium now");
	is_str(level(r_high), "3", "the others unchanged");
	ok(q1("SELECT count(*) FROM audit_event WHERE action = 'risk_model' AND org_id = $1",
	      fx->org_alfa) == 1, "the change is in the audit trail");
	r = fx_post(fx, COORD, "/o/alfa/risk-model",
		    "cell_1_1=9&cell_1_2=2&accept_1=owner&months_1=0");
	ok(r.status == 303 && r.location && strstr(r.location, "notice=invalid"),
	   "a model with holes is refused");
	is_str(level(r_low), "2", "and changes nothing");
}

/* covers R-7-05 */
TEST(accepting_is_a_conscious_decision_by_whom_the_criteria_allow)
{
	struct fx_resp r;

	r = transition(OWNER, "risks", "risk", r_high, "accept",
		       "accept_reason_input=Vi+b%C3%A4r+den");
	is_int(r.status, 422, "the risk owner may not accept a high risk");
	has_str(r.body, "Din roll får inte acceptera", "saying why");
	is_str(cell("SELECT status FROM risk WHERE id = $1", r_high), "open", "still open");
	r = transition(BOARD, "risks", "risk", r_high, "accept", NULL);
	is_int(r.status, 422, "not without a reason");
	r = transition(COORD, "risks", "risk", r_high, "accept", "accept_reason_input=Kostnad");
	is_int(r.status, 422, "the coordinator records only naming who decided");
	r = transition(BOARD, "risks", "risk", r_high, "accept",
		       "accept_reason_input=Loggning+och+uppf%C3%B6ljning+r%C3%A4cker+tills+vidare");
	is_int(r.status, 303, "management accepts it");
	is_str(cell("SELECT status FROM risk WHERE id = $1", r_high), "accepted", "accepted");
	is_int(q1("SELECT accepted_by FROM risk WHERE id = $1", r_high), board_id, "who");
	is_str(cell("SELECT accepted_on FROM risk WHERE id = $1", r_high), "2027-03-15", "when");
	is_str(cell("SELECT accepted_until FROM risk WHERE id = $1", r_high), "2028-03-15",
	       "until when: 12 months for a high risk");
	has_str(cell("SELECT accept_reason FROM risk WHERE id = $1", r_high), "Loggning", "why");
	is_str(cell("SELECT treatment FROM risk WHERE id = $1", r_high), "accept",
	       "the treatment is acceptance");
	ok(q1("SELECT count(*) FROM audit_event WHERE action = 'accept' AND entity = 'risks'"
	      " AND entity_id = $1", r_high) == 1, "audited");
	r = transition(OWNER, "risks", "risk", r_low, "accept", "accept_reason_input=Liten");
	is_int(r.status, 303, "the risk owner accepts a medium risk");
	is_str(cell("SELECT accepted_until FROM risk WHERE id = $1", r_low), "2028-03-15",
	       "12 months");
	r_other = new_risk("Brand i serverrummet", "4", "3", NULL);
	r = transition(COORD, "risks", "risk", r_other, "accept",
		       "accept_reason_input=Sprinkler&accepted_for_input=Kommunchefen+Eva");
	is_int(r.status, 303, "the coordinator records the chief executive's decision");
	is_str(cell("SELECT accepted_for FROM risk WHERE id = $1", r_other), "Kommunchefen Eva",
	       "naming who decided");
	is_str(cell("SELECT accepted_until FROM risk WHERE id = $1", r_other), "2027-09-15",
	       "6 months for a very high risk");
	is_int(fx_post(fx, COORD, "/o/alfa/risk-model",
		       "cell_1_1=2&cell_1_2=2&cell_1_3=2&cell_1_4=2&cell_2_1=1&cell_2_2=2"
		       "&cell_2_3=3&cell_2_4=3&cell_3_1=2&cell_3_2=3&cell_3_3=4&cell_3_4=4"
		       "&cell_4_1=2&cell_4_2=3&cell_4_3=4&cell_4_4=4&accept_1=owner&accept_2=owner"
		       "&accept_3=management&accept_4=none&months_1=24&months_2=12&months_3=12"
		       "&months_4=6").status, 303, "nobody may accept a very high risk now");
	r = transition(COORD, "risks", "risk", r_top, "accept",
		       "accept_reason_input=Ok&accepted_for_input=Kommunchefen");
	is_int(r.status, 422, "so even recorded it is refused");
	has_str(r.body, "får ingen acceptera", "saying it must be treated");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_high));
	has_str(r.body, "Karin Ledning", "the risk's page names who accepted");
	has_str(r.body, "2028-03-15", "and until when");
}

TEST(an_expired_acceptance_is_marked_and_its_owner_mailed_once)
{
	struct db_error err;
	struct buf log = BUF_INIT;
	const char *n_sql = "SELECT count(*) FROM outbox WHERE org_id = $1"
			    " AND dedup_key LIKE 'risk-expired:%'";
	int n;
	struct fx_resp r;

	/* two weeks before r_other's acceptance ends: it is "expiring", and
	 * the owner's line opens exactly the expiring ones */
	clock_set(1821600000 - 21 * 86400); /* 2027-09-01 */
	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "risk-acceptance", &log, NULL,
			      &err);
	ok(n == 1, "the job runs a fortnight before");
	buf_release(&log);
	log = (struct buf)BUF_INIT;
	is_int(q1("SELECT expiring FROM risk WHERE id = $1", r_other), 1,
	       "an acceptance ending within 30 days is expiring");
	is_int(q1("SELECT count(*) FROM risk WHERE org_id = $1 AND expiring = 1", fx->org_alfa),
	       q1("SELECT count(*) FROM risk WHERE org_id = $1 AND status = 'accepted'"
		  " AND archived = 0 AND accepted_until <= '2027-10-01'", fx->org_alfa),
	       "exactly those ending by 2027-10-01");
	fx_new_sessions(fx);
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "expiring=1", "the owner's start page has the line");
	r = fx_get(fx, OWNER, "/o/alfa/risks?expiring=1");
	has_str(r.body, cell("SELECT title FROM risk WHERE id = $1", r_other),
		"whose list holds the risk");
	clock_set(1821600000); /* 2027-09-22 */
	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "risk-acceptance", &log, NULL,
			      &err);
	ok(n == 1 && log.p && strstr(log.p, ": ok"), "the job runs");
	buf_release(&log);
	is_str(cell("SELECT status FROM risk WHERE id = $1", r_other), "expired",
	       "the acceptance that ran out is expired");
	is_int(q1("SELECT expiring FROM risk WHERE id = $1", r_other), 0, "and no longer expiring");
	is_str(cell("SELECT status FROM risk WHERE id = $1", r_high), "accepted",
	       "one still valid is not");
	is_int(q1(n_sql, fx->org_alfa), 1, "one message");
	is_str(cell("SELECT to_addr FROM outbox WHERE entity = 'risks' AND entity_id = $1",
		    r_other), OWNER, "to the risk's owner");
	ok(q1("SELECT count(*) FROM audit_event WHERE action = 'expire' AND entity_id = $1",
	      r_other) == 1, "audited");
	clock_set(1821600000 + 86400);
	log = (struct buf)BUF_INIT;
	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "risk-acceptance", &log, NULL,
			      &err);
	buf_release(&log);
	is_int(q1(n_sql, fx->org_alfa), 1, "the next day nothing more is sent");
	fx_new_sessions(fx);
	r = fx_get(fx, OWNER, "/o/alfa/");
	has_str(r.body, "1 riskacceptans har gått ut", "the owner's start page says so");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_other));
	has_str(r.body, "gällde till 2027-09-15", "the risk's page shows it expired, and since when");
	clock_set(NOW);
	fx_new_sessions(fx);
}

TEST(a_measure_becomes_an_activity_of_the_action_plan)
{
	struct fx_resp r;

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_top));
	has_str(r.body, "Gör till åtgärd", "the coordinator is offered the button");
	is_int(fx_post(fx, OWNER, arena_printf(&fx->a, "/o/alfa/risks/%lld/action",
					       (long long)r_top),
		       "title=X&end_on=2027-06-30").status, 403, "not for an owner");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/risks/%lld/action", (long long)r_top),
		    "title=Offline-backuper&end_on=2027-06-30");
	is_int(r.status, 303, "an activity made");
	is_int(q1(arena_printf(&fx->a, "SELECT count(*) FROM activity a JOIN risk_activity l"
			       " ON l.activity_id = a.id WHERE l.risk_id = $1 AND a.plan_id = %lld"
			       " AND a.priority = 1 AND a.responsible_id = %lld", (long long)plan_id,
			       (long long)owner_id), r_top), 1,
	       "in the open plan, linked, first priority, the risk's owner responsible");
	is_str(cell("SELECT status FROM risk WHERE id = $1", r_top), "treating",
	       "the risk is being treated");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_top));
	has_str(r.body, "Offline-backuper", "the risk lists its activity");
	has_str(r.body, "Planerad", "and its state");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/risks/%lld/action", (long long)r_top),
		    "title=&end_on=2027-06-30");
	ok(r.status == 303 && r.location && strstr(r.location, "action-missing"),
	   "without a title nothing is made");
}

/* covers R-7-02 */
TEST(the_threats_of_the_security_plan_become_risks_once)
{
	struct fx_resp r;
	struct db_error err;
	int64_t sp, before = q1("SELECT count(*) FROM risk WHERE analysis_id = $1", analysis);
	const char *path = arena_printf(&fx->a, "/o/alfa/risk-analyses/%lld/import-threats",
					(long long)analysis);

	r = fx_post(fx, COORD, path, "");
	ok(r.status == 303 && r.location && strstr(r.location, "no-plan"),
	   "no plan yet: said so");
	r = fx_post(fx, OWNER, arena_printf(&fx->a, "/o/alfa/security-plan-start/%lld",
					    (long long)sys_id), "");
	sp = fx_location_id(&r);
	ok(sp > 0, "the owner draws up the security plan");
	ok(db_exec(fx->db, &fx->a, "UPDATE security_plan SET threats = $2 WHERE id = $1",
		   DB_ARGS(DB_INT(sp), DB_TEXT("obehörig åtkomst till journaler;"
					       " utpressningsvirus hos leverantören\n"
					       "- avbrott i nätet.")), NULL, &err) == 0,
	   "three threats written in it");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/risk-analyses/%lld",
					   (long long)analysis));
	has_str(r.body, "Hämta hot från systemsäkerhetsplanen", "the analysis offers the import");
	r = fx_post(fx, COORD, path, "");
	ok(r.status == 303 && r.location && strstr(r.location, "notice=imported"), "imported");
	is_int(q1("SELECT count(*) FROM risk WHERE analysis_id = $1", analysis), before + 3,
	       "three draft risks");
	is_str(cell("SELECT event FROM risk WHERE analysis_id = $1 AND title = 'Avbrott i nätet'",
		    analysis), "Avbrott i nätet", "each threat is the event of its risk");
	is_int(q1("SELECT count(*) FROM risk WHERE analysis_id = $1 AND system_id IS NOT NULL"
		  " AND source_key IS NOT NULL AND status = 'open'", analysis), 3,
	       "naming the system, open to assess");
	r = fx_post(fx, COORD, path, "");
	ok(r.status == 303 && r.location && strstr(r.location, "import-none"), "again: nothing new");
	is_int(q1("SELECT count(*) FROM risk WHERE analysis_id = $1", analysis), before + 3,
	       "no duplicates");
	is_int(fx_post(fx, USER, path, "").status, 403, "not for a plain user");
}

TEST(the_heat_map_summary_counts_the_rows)
{
	struct fx_resp r;

	ok(summary_matches(fx->org_alfa), "the organisation's cells equal the rows");
	is_int(q1("SELECT COALESCE(sum(n), 0) FROM risk_stat WHERE analysis_id = $1"
		  " AND phase = 'i'", analysis), 4, "the analysis's four assessed risks");
	is_int(transition(COORD, "risks", "risk", r_low, "archive", NULL).status, 303,
	       "a risk archived");
	ok(summary_matches(fx->org_alfa), "still equal");
	is_int(q1("SELECT COALESCE(sum(n), 0) FROM risk_stat WHERE analysis_id = $1"
		  " AND phase = 'i'", analysis), 3, "one fewer");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_top),
		    arena_printf(&fx->a, "analysis_id=%lld&title=Utpressningsvirus&consequence=4"
				 "&likelihood=4&treatment=reduce&treatment_reason=Backuper"
				 "&residual_consequence=3&residual_likelihood=1&owner_id=%lld"
				 "&version=%lld", (long long)analysis, (long long)owner_id,
				 (long long)q1("SELECT version FROM risk WHERE id = $1", r_top)));
	is_int(r.status, 303, "the residual risk assessed");
	is_str(cell("SELECT residual_level FROM risk WHERE id = $1", r_top), "2",
	       "medium after treatment");
	is_int(q1("SELECT n FROM risk_stat WHERE org_id = $1 AND analysis_id = 0 AND phase = 'r'"
		  " AND consequence = '3' AND likelihood = '1'", fx->org_alfa), 1,
	       "counted after treatment");
	r = fx_get(fx, COORD, "/o/alfa/risk-overview");
	is_int(r.status, 200, "the organisation's heat maps");
	has_str(r.body, "Värmekarta över", "with their text alternative");
	r = fx_get(fx, COORD, "/o/alfa/overview");
	has_str(r.body, "Höga efter åtgärder", "the overview's risk figures");
	has_str(r.body, "/o/alfa/risks?residual_level=4", "each level a figure with its own list");
}

/* The management report's section: the residual heat map, a sentence
 * that reads it, and figures whose lists hold what they count. */
TEST(the_report_section_reads_the_summary)
{
	struct org_ctx oc;
	struct ctx cx;
	struct report_part part;
	struct report_period p = { 0, 0, 0 };
	struct db_error err;
	int rc;

	memset(&oc, 0, sizeof(oc));
	oc.id = fx->org_alfa;
	oc.slug = "alfa";
	oc.roles = oc.org_roles = ROLES_ANY;
	ctx_system(&cx, &fx->a, fx->db, "test", VIA_CLI);
	cx.org = &oc;
	memset(&part, 0, sizeof(part));
	rc = risk_report[0].build(&cx, &p, &part, &err);
	is_int(rc, 0, "the section is built");
	is_int(risk_report[0].order, 40, "in its place in the report");
	ok(part.chart && part.chart->kind == CHART_HEATMAP, "the residual heat map");
	is_int(part.nfigures, 6, "six figures");
	is_int(part.figures[2].n + part.figures[3].n,
	       q1("SELECT count(*) FROM risk WHERE org_id = $1 AND archived = 0"
		  " AND residual_level IN ('3', '4')", fx->org_alfa), "high after treatment, as the rows");
	is_int(part.figures[5].n, q1("SELECT count(*) FROM risk WHERE org_id = $1 AND archived = 0"
				     " AND status = 'expired'", fx->org_alfa), "expired, as the rows");
	ok(part.reading && strstr(part.reading, "höga efter åtgärder; 1 accepterad risk har gått ut."),
	   "one sentence reads it: %s", part.reading ? part.reading : "(none)");
}

/* covers R-7-04 */
TEST(management_decides_and_the_handling_shows)
{
	struct fx_resp r;

	is_int(fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_top),
		       arena_printf(&fx->a, "analysis_id=%lld&title=Utpressningsvirus"
				    "&consequence=4&likelihood=4&treatment=reduce"
				    "&treatment_reason=Backuper&residual_consequence=3"
				    "&residual_likelihood=1&owner_id=%lld&handling=Reduceras+med"
				    "+offline-backuper+f%%C3%%B6re+juni&version=%lld",
				    (long long)analysis, (long long)owner_id,
				    (long long)q1("SELECT version FROM risk WHERE id = $1", r_top)))
		       .status, 303, "how management wants the risk handled is written on it");
	is_int(transition(COORD, "risk-analyses", "risk_analysis", analysis, "start", NULL).status,
	       303, "the analysis is started");
	is_int(transition(USER, "risk-analyses", "risk_analysis", analysis, "decide",
			  "decision_text=Ja&decision_date=2027-03-15").status, 403,
	       "a plain user does not decide");
	r = transition(BOARD, "risk-analyses", "risk_analysis", analysis, "decide",
		       "decision_text=Riskerna+hanteras+enligt+f%C3%B6rslaget"
		       "&decision_date=2027-03-20");
	is_int(r.status, 422, "not a decision in the future");
	r = transition(BOARD, "risk-analyses", "risk_analysis", analysis, "decide",
		       "decision_text=Riskerna+hanteras+enligt+f%C3%B6rslaget"
		       "&decision_date=2027-03-15");
	is_int(r.status, 303, "management decides");
	is_int(q1("SELECT decided_by FROM risk_analysis WHERE id = $1", analysis), board_id, "who");
	is_str(cell("SELECT decided_on FROM risk_analysis WHERE id = $1", analysis), "2027-03-15",
	       "when");
	r = fx_get(fx, BOARD, arena_printf(&fx->a, "/o/alfa/risk-analyses/%lld",
					   (long long)analysis));
	has_str(r.body, "Riskerna hanteras enligt förslaget", "the decision on the analysis");
	has_str(r.body, "Reduceras med offline-backuper före juni", "and the handling per risk");
	is_int(transition(COORD, "risk-analyses", "risk_analysis", analysis, "revise", NULL).status,
	       303, "revised later");
	is_str(cell("SELECT state FROM risk_analysis WHERE id = $1", analysis), "ongoing",
	       "ongoing again");
	is_int(transition(OWNER, "risk-analyses", "risk_analysis", analysis, "decide",
			  "decision_text=Ok&decision_date=2027-03-15").status, 303,
	       "the analysis's risk owner decides too");
}

TEST(the_analysis_as_a_pdf)
{
	struct fx_resp r;
	const char *text;

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/documents/risk-analysis.pdf?id=%lld",
					   (long long)analysis));
	is_int(r.status, 200, "the PDF");
	text = fx_pdf_text(fx, &r);
	has_str(text, "Riskanalys omsorg", "names the analysis");
	has_str(text, "Utpressningsvirus", "its risks");
	has_str(text, "Före åtgärder", "the heat map before");
	has_str(text, "Efter åtgärder", "and after");
	has_str(text, "Reduceras med", "the handling per risk");
	has_str(text, "Accepterade risker", "the acceptances");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/documents/risk-analysis?id=%lld",
					   (long long)analysis));
	is_int(r.status, 200, "the print view");
}

TEST(another_organisation_sees_nothing)
{
	struct fx_resp r;

	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/risks/%lld", (long long)r_high));
	is_int(r.status, 404, "beta cannot open alfa's risk");
	r = fx_get(fx, ADMIN_B, "/o/beta/risks");
	is_int(r.status, 200, "beta's register");
	ok(strstr(r.body, "Obehörig åtkomst") == NULL, "without alfa's risks");
	is_int(fx_get(fx, ADMIN_B, "/o/alfa/risks").status, 404, "nor alfa's register");
	r = fx_post(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/risks/%lld/action",
					      (long long)r_high), "title=X&end_on=2027-06-30");
	is_int(r.status, 404, "nor make an activity of it");
	r = fx_post(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/risk-analyses/%lld/import-threats",
					      (long long)analysis), "");
	is_int(r.status, 404, "nor import into alfa's analysis");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/documents/risk-analysis.pdf?id=%lld",
					     (long long)analysis));
	is_int(r.status, 404, "nor get its PDF");
	is_int(q1("SELECT COALESCE(sum(n), 0) FROM risk_stat WHERE org_id = $1", fx->org_beta), 0,
	       "beta's heat map is empty");
	r = fx_get(fx, ADMIN_B, "/o/beta/search?q=utpressningsvirus");
	ok(!strstr(r.body, "/risks/"), "nor find alfa's risks by search");
}

TEST(the_search_page_finds_analyses_and_risks)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/search?q=utpressningsvirus");

	has_str(r.body, arena_printf(&fx->a, "/o/alfa/risks/%lld", (long long)r_top),
		"a risk by its title");
	r = fx_get(fx, COORD, "/o/alfa/search?q=omsorg");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/risk-analyses/%lld", (long long)analysis),
		"an analysis by its title");
}

/* The overview's "analyses past their review day" opens exactly those:
 * the follow-up's overdue list of this module's sources. */
TEST(analyses_past_their_review_day_open_the_overdue_list)
{
	int64_t late = fx_post_id(fx, COORD, "/o/alfa/risk-analyses",
				  "title=Gammal+riskbild&kind=organisation&review_on=2020-01-15");
	struct fx_resp r;
	int64_t n = q1("SELECT count(*) FROM risk_analysis WHERE org_id = $1 AND archived = 0"
		       " AND review_on < '2026-01-01'", fx->org_alfa);
	struct db_error err = { 0 };

	ok(late > 0, "an analysis whose review day has passed");
	ok(db_exec(fx->db, &fx->a, "UPDATE information_set SET review_on = '2020-02-01' WHERE id = $1",
		   DB_ARGS(DB_INT(inf_id)), NULL, &err) == 0, "and a classification: %s", err.msg);
	r = fx_get(fx, COORD, "/o/alfa/follow-up/overdue");
	has_str(r.body, "Klassning att se över", "the whole list has both kinds");
	r = fx_get(fx, COORD, "/o/alfa/overview");
	has_str(r.body, "/o/alfa/follow-up/overdue?kind=risks", "the overview's figure links the list");
	r = fx_get(fx, COORD, "/o/alfa/follow-up/overdue?kind=risks");
	is_int(r.status, 200, "which opens");
	has_str(r.body, "Bara det här slaget visas: Riskanalys", "saying it shows risk analyses only");
	has_str(r.body, "Gammal riskbild", "the late analysis is there");
	ok(n >= 1 && !strstr(r.body, "Klassning att se över"), "and nothing of another kind (%lld late)", (long long)n);
}

int main(void)
{
	int rc;

	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	clock_set(0);
	return rc;
}
