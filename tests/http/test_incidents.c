/* test_incidents.c - handling an incident through the real router, on the
 * engine chosen by VARN_TEST_DB: a report gets a receipt number and its
 * moments (awareness fixed for good), is received, handed over, assessed
 * with its severity and the reason in words (an affected system's level
 * raising it), remediated, restored, investigated, closed, reopened; not an
 * incident with a reason; escalated to the crisis organisation; every step
 * on the append-only timeline; confidential: the desk sees all, the
 * handler and the owner of an affected system through their grants, the
 * data protection officer a personal-data incident, everyone else nothing
 * (page, list, search, API, the system's panel), each read audited;
 * recurrence of a root cause; lessons made an activity of the action plan;
 * the queue with the time since reported; another organisation kept out. */
#include "base/base.h"

#include "base/buf.h"
#include "base/clock.h"
#include "db/db.h"
#include "fixture.h"
#include "modules/incidents/incidents.h"
#include "parse/form.h"
#include "web/parts.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define HANDLER "it@a.se"
#define OWNER "agare@a.se"
#define DPO "dpo@a.se"
#define STAFF "staff@a.se"
#define ADMIN_B "admin@b.se"

/* 2027-03-15 12:00 in Stockholm (11:00 UTC) */
#define NOW 1805108400

static int64_t handler_id, owner_id, sys_id, inf_id, inc1, inc2, plan_id;

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

static struct fx_resp transition(const char *who, int64_t id, const char *name, const char *form)
{
	int64_t v = q1("SELECT version FROM incident WHERE id = $1", id);
	return fx_post(fx, who, arena_printf(&fx->a, "/o/alfa/incidents/%lld/%s", (long long)id,
					     name),
		       arena_printf(&fx->a, "version=%lld%s%s", (long long)v, form ? "&" : "",
				    form ? form : ""));
}

static const char *state(int64_t id)
{
	return cell("SELECT state FROM incident WHERE id = $1", id);
}

static int64_t events(int64_t id, const char *kind)
{
	return fx_scalar(fx, arena_printf(&fx->a, "SELECT count(*) FROM incident_event"
					  " WHERE incident_id = $1 AND kind = '%s'", kind), id);
}

/* The incident's form as stored, with changes: the edit page's fields. */
static struct fx_resp edit(const char *who, int64_t id, const char *changes)
{
	struct db_rows r;
	struct db_error err;
	struct buf b = BUF_INIT;
	struct fx_resp out;
	static const char *const cols[] = {
		"title", "category", "description", "occurred_at", "aware_at", "location",
		"unit_id", "system_id", "information_text", "personal_data", "reporter_name",
		"reporter_contact", "channel", "handler_id", "consequence", "harm_c", "harm_i",
		"harm_a", "spread", "urgency", "duty_personal", "duty_high_risk", "duty_nis2",
		"duty_sapo", "duty_care", "duty_crime", "duty_reasoning", "remediation",
		"root_cause_group", "root_cause", "lessons", "version",
	};

	if (db_exec(fx->db, &fx->a,
		    "SELECT title, category, description, occurred_at, aware_at, location,"
		    " unit_id, system_id, information_text, personal_data, reporter_name,"
		    " reporter_contact, channel, handler_id, consequence, harm_c, harm_i, harm_a,"
		    " spread, urgency, duty_personal, duty_high_risk, duty_nis2, duty_sapo,"
		    " duty_care, duty_crime, duty_reasoning, remediation, root_cause_group,"
		    " root_cause, lessons, version FROM incident WHERE id = $1",
		    DB_ARGS(DB_INT(id)), &r, &err) != 0 || r.nrows != 1)
		return (struct fx_resp){ .status = -1 };
	for (size_t c = 0; c < ARRAY_SIZE(cols); c++) {
		const char *v = db_cell(&r, 0, c);
		char key[64];
		snprintf(key, sizeof(key), "%s=", cols[c]);
		/* a change given for this field wins */
		if (strstr(changes, key) == changes || strstr(changes, arena_printf(&fx->a, "&%s",
										  key)))
			continue;
		if (!v || ((c >= 15 && c <= 17) || (c >= 20 && c <= 25) ? strcmp(v, "0") == 0 : 0))
			continue;
		buf_printf(&b, "%s%s=%s", b.len ? "&" : "", cols[c], fx_enc(fx, v));
	}
	buf_printf(&b, "&%s", changes);
	out = fx_post(fx, who, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)id),
		      b.p);
	buf_release(&b);
	return out;
}

TEST(setup)
{
	clock_set(NOW);
	fx_new_sessions(fx);
	handler_id = fx_add_member(fx, fx->org_alfa, HANDLER, "Ivar It", "systemforvaltare", 0);
	owner_id = fx_add_member(fx, fx->org_alfa, OWNER, "Olle Ägare", "systemagare", 0);
	ok(fx_add_member(fx, fx->org_alfa, STAFF, "Sara Staff", "systemforvaltare", 0) > 0,
	   "a system manager of other systems");
	ok(fx_add_member(fx, fx->org_alfa, DPO, "Dora Dataskydd", "dataskyddsombud", 0) > 0,
	   "a data protection officer");
	inf_id = fx_post_id(fx, COORD, "/o/alfa/information", "name=Omsorgsjournaler");
	ok(fx_post_id(fx, COORD, "/o/alfa/classifications",
		   arena_printf(&fx->a, "infoset_id=%lld&level_k=3&level_r=2&level_t=2&level_s=1"
				"&decided_on=2027-01-10", (long long)inf_id)) > 0,
	   "care records classified K3");
	sys_id = fx_post_id(fx, COORD, "/o/alfa/systems",
			 arena_printf(&fx->a, "name=Omsorgssystemet&hosting=joint&lifecycle=operation"
				      "&personal_data=none&owner_id=%lld", (long long)owner_id));
	ok(sys_id > 0, "a system with an owner");
	ok(fx_post_id(fx, COORD, "/o/alfa/system-information",
		   arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys_id,
				(long long)inf_id)) > 0, "handling the care records");
	plan_id = fx_post_id(fx, COORD, "/o/alfa/action-plans", "title=Handlingsplan+2027"
			  "&period_start=2027-01-01&period_end=2027-12-31");
	ok(plan_id > 0, "an action plan for the year");
}

/* covers R-8-01, R-8-12 (a report received by the function) */
TEST(a_report_gets_its_receipt_and_moments)
{
	struct fx_resp r;

	inc1 = fx_post_id(fx, COORD, "/o/alfa/incidents",
		       "title=Borttappad+b%C3%A4rbar+dator&category=lost_equipment"
		       "&description=L%C3%A4mnad+p%C3%A5+bussen&personal_data=yes"
		       "&occurred_at=2027-03-15T08:30");
	ok(inc1 > 0, "an incident registered");
	is_str(cell("SELECT receipt FROM incident WHERE id = $1", inc1), "IN-2027-0001",
	       "its receipt number, per organisation and year");
	is_str(state(inc1), "reported", "reported");
	is_str(cell("SELECT reported_at FROM incident WHERE id = $1", inc1),
	       "2027-03-15T11:00:00Z", "reported now, in UTC");
	is_str(cell("SELECT aware_at FROM incident WHERE id = $1", inc1), "2027-03-15T11:00:00Z",
	       "aware since the report");
	is_str(cell("SELECT occurred_at FROM incident WHERE id = $1", inc1),
	       "2027-03-15T07:30:00Z", "when it happened, from Stockholm time to UTC");
	is_str(cell("SELECT taxonomy FROM incident WHERE id = $1", inc1),
	       "information-content-security/data-loss", "its ENISA/TF-CSIRT class");
	is_int(events(inc1, "reported"), 1, "the report is the timeline's first entry");
	inc2 = fx_post_id(fx, COORD, "/o/alfa/incidents",
		       "title=Misst%C3%A4nkt+l%C3%A4nk&category=phishing&personal_data=no");
	is_str(cell("SELECT receipt FROM incident WHERE id = $1", inc2), "IN-2027-0002",
	       "the next number");
	r = fx_post(fx, COORD, "/o/alfa/incidents",
		    "title=Fel&category=other&personal_data=no&aware_at=2027-03-16T10:00");
	is_int(r.status, 422, "awareness in the future refused");
	ok(strstr(r.body, "framtiden") != NULL, "saying why in Swedish");
	r = fx_post(fx, COORD, "/o/alfa/incidents",
		    "title=Fel&category=other&personal_data=no&occurred_at=2027-03-15T13:00");
	is_int(r.status, 422, "occurred after it became known refused");
	r = fx_get(fx, COORD, "/");
	r = fx_get(fx, COORD, "/o/alfa/");
	ok(strstr(r.body, "2 nya incidentrapporter") != NULL,
	   "the coordinator's start page: 2 new reports wait");
}

/* covers R-8-15 */
TEST(the_queue_shows_time_since_reported)
{
	struct fx_resp r;

	clock_set(NOW + 3 * 3600 + 12 * 60);
	fx_new_sessions(fx);
	r = fx_get(fx, COORD, "/o/alfa/incident-queue?state=reported");
	is_int(r.status, 200, "the queue");
	ok(strstr(r.body, "IN-2027-0001") && strstr(r.body, "3 h 12 min"),
	   "oldest first with the time since the report");
	is_int(fx_get(fx, USER, "/o/alfa/incident-queue").status, 403, "not for a plain user");
	clock_set(NOW);
	fx_new_sessions(fx);
}

/* covers R-8-18, R-8-12 */
TEST(received_handed_over_and_assessed)
{
	struct fx_resp r;

	is_int(transition(COORD, inc1, "receive", NULL).status, 303, "received");
	is_str(state(inc1), "received", "in state received");
	is_int(q1("SELECT handler_id FROM incident WHERE id = $1", inc1),
	       q1("SELECT id FROM person WHERE email = 'samordnare@a.se' AND org_id = $1",
		  fx->org_alfa), "whoever received it handles it");
	is_int(events(inc1, "status"), 1, "the state change is on the timeline");
	is_int(events(inc1, "assigned"), 1, "and the handler assigned");
	is_int(transition(COORD, inc1, "receive", NULL).status, 422,
	       "received twice refused");
	r = fx_get(fx, COORD, "/o/alfa/audit?entity=incidents&action=receive");
	ok(r.body && strstr(r.body, "<td>Ta emot</td>") && !strstr(r.body, "<td>receive</td>"),
	   "the audit trail reads the transition as its button says");
	r = edit(COORD, inc1, arena_printf(&fx->a, "handler_id=%lld", (long long)handler_id));
	is_int(r.status, 303, "handed over to the IT handler");
	is_int(events(inc1, "handover"), 1, "the hand-over is on the timeline");
	is_int(q1("SELECT count(*) FROM incident_grant WHERE record_id = $1 AND why = 'handler'"
		  " AND may_write = 1", inc1), 1, "the handler is granted the incident");
	r = fx_get(fx, HANDLER, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	is_int(r.status, 200, "the handler reads it");
	r = edit(COORD, inc1, "aware_at=2027-03-14T10:00");
	is_int(r.status, 422, "awareness never changes");
	ok(r.body && strstr(r.body, "ändras aldrig"), "saying so");
	/* the handler assesses: a personal-data breach */
	r = transition(HANDLER, inc1, "assess",
		       "consequence=2&harm_c=1&spread=unit&urgency=high&duty_personal=1"
		       "&duty_reasoning=Datorn+var+okrypterad");
	is_int(r.status, 303, "the handler assesses it");
	is_str(state(inc1), "assessed", "assessed");
	is_int(q1("SELECT severity FROM incident WHERE id = $1", inc1), 3,
	       "consequence 2, urgent: severity 3");
	ok(strstr(cell("SELECT severity_why FROM incident WHERE id = $1", inc1),
		  "Brådska: Samma dag (+1)") != NULL, "the reason says why, in words");
	is_int(q1("SELECT count(*) FROM incident_grant WHERE record_id = $1 AND why = 'dpo'", inc1),
	       1, "a personal-data incident: the data protection officer granted");
	is_int(fx_get(fx, DPO, arena_printf(&fx->a, "/o/alfa/incidents/%lld",
					    (long long)inc1)).status, 200,
	       "and reads it");
	r = transition(COORD, inc2, "receive", NULL);
	r = transition(COORD, inc2, "assess", "harm_c=1&spread=one&urgency=low");
	is_int(r.status, 422, "an assessment without the consequence refused");
}

/* covers R-8-27, R-8-10, R-8-21 (owners read through the link) */
TEST(an_affected_system_brings_its_classification)
{
	struct fx_resp r;

	is_int(fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/incidents/%lld",
					      (long long)inc1)).status, 404,
	       "before the link the system's owner does not see it");
	ok(fx_post_id(fx, HANDLER, "/o/alfa/incident-systems",
		   arena_printf(&fx->a, "incident_id=%lld&system_id=%lld&note=Datorn+hade+"
				"inloggning", (long long)inc1, (long long)sys_id)) > 0,
	   "the handler links the affected system");
	is_int(q1("SELECT class_level FROM incident WHERE id = $1", inc1), 3,
	       "the system's confidentiality level K3 enters the assessment");
	is_int(q1("SELECT severity FROM incident WHERE id = $1", inc1), 3, "severity stays 3");
	is_int(events(inc1, "reassessment"), 0, "unchanged severity: no re-assessment entry");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	is_int(r.status, 200, "the system's owner reads it now");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys_id));
	ok(strstr(r.body, "Incidenter i systemet") && strstr(r.body, "IN-2027-0001"),
	   "the system's page lists its incident");
	r = fx_post(fx, OWNER, arena_printf(&fx->a, "/o/alfa/incidents/%lld/note",
					    (long long)inc1), "body=Jag+vill+skriva");
	is_int(r.status, 403, "the owner reads but does not write");
	/* with a lower consequence the level still lifts it to 3 */
	r = edit(HANDLER, inc1, "consequence=1&urgency=normal");
	is_int(r.status, 303, "re-assessed by the handler");
	is_int(q1("SELECT severity FROM incident WHERE id = $1", inc1), 3,
	       "harm to an aspect classified 3: at least severity 3");
	ok(strstr(cell("SELECT severity_why FROM incident WHERE id = $1", inc1), "nivå 3") != NULL,
	   "and the reason names the level");
	r = edit(HANDLER, inc1, "consequence=2&urgency=high");
	is_int(r.status, 303, "assessed back");
	r = fx_get(fx, STAFF, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys_id));
	ok(r.status == 200 && !strstr(r.body, "IN-2027-0001"),
	   "another system manager's view of the system does not show the incident");
}

/* covers R-8-22 */
TEST(notes_on_an_append_only_timeline)
{
	struct fx_resp r;
	int64_t before = q1("SELECT count(*) FROM incident_event WHERE incident_id = $1", inc1);

	r = fx_post(fx, HANDLER, arena_printf(&fx->a, "/o/alfa/incidents/%lld/note",
					      (long long)inc1),
		    "kind=troubleshooting&body=Fj%C3%A4rrl%C3%A5sning+beg%C3%A4rd+hos+leverant%C3%B6ren");
	is_int(r.status, 303, "troubleshooting recorded");
	is_int(events(inc1, "troubleshooting"), 1, "on the timeline");
	r = fx_post(fx, HANDLER, arena_printf(&fx->a, "/o/alfa/incidents/%lld/note",
					      (long long)inc1), "body=+++");
	ok(r.status == 303 && strstr(r.location, "notice=note-empty"), "an empty note refused");
	is_int(q1("SELECT count(*) FROM incident_event WHERE incident_id = $1", inc1), before + 1,
	       "nothing else appended");
	is_int(q1("SELECT count(*) FROM audit_event WHERE entity = 'incidents' AND entity_id = $1"
		  " AND action = 'troubleshooting'", inc1), 1, "the note is audited");
	r = fx_post(fx, USER, arena_printf(&fx->a, "/o/alfa/incidents/%lld/note", (long long)inc1),
		    "body=hej");
	is_int(r.status, 404, "a plain user cannot write on it: it does not exist for them");
	r = fx_get(fx, HANDLER, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	ok(strstr(r.body, "Fjärrlåsning begärd hos leverantören") &&
	   strstr(r.body, "Felsökning"), "the page shows the timeline");
}

/* covers R-8-13, R-8-14, R-8-19, R-8-23, R-7-12 */
TEST(remediated_restored_investigated_and_lessons_become_actions)
{
	struct fx_resp r;

	is_int(transition(HANDLER, inc1, "remediate", NULL).status, 303, "remediation started");
	r = transition(HANDLER, inc1, "recover", "restored_when=2027-03-15T13:00");
	is_int(r.status, 422, "restored without saying what was done refused");
	r = transition(HANDLER, inc1, "recover",
		       "remediation=Datorn+sp%C3%A4rrad+och+fj%C3%A4rrraderad");
	is_int(r.status, 303, "operations restored");
	is_str(cell("SELECT restored_at FROM incident WHERE id = $1", inc1), "2027-03-15T11:00:00Z",
	       "restored now when no moment is given");
	r = transition(HANDLER, inc1, "escalate", "to_whom=Krisledningsn%C3%A4mnden");
	is_int(r.status, 303, "handed over to the crisis organisation");
	is_str(cell("SELECT escalated_to FROM incident WHERE id = $1", inc1), "Krisledningsnämnden",
	       "to whom");
	is_int(q1("SELECT escalated_by FROM incident WHERE id = $1", inc1), handler_id, "by whom");
	is_int(events(inc1, "escalation"), 1, "on the timeline");
	is_str(state(inc1), "restored", "the state is kept");
	is_int(transition(HANDLER, inc1, "escalate", "to_whom=Igen").status, 422,
	       "escalated once");
	r = fx_get(fx, HANDLER, arena_printf(&fx->a, "/o/alfa/incidents/%lld/investigate",
					     (long long)inc1));
	ok(r.status == 200 && strstr(r.body, "value=\"human_error\" selected"),
	   "the investigation starts from the root cause the category suggests");
	r = transition(HANDLER, inc1, "investigate", "root_cause_group=human_error");
	is_int(r.status, 422, "an investigation without cause and lessons refused");
	r = transition(HANDLER, inc1, "investigate",
		       "root_cause_group=human_error&root_cause=Ingen+diskkryptering"
		       "&lessons=Kryptera+alla+b%C3%A4rbara+datorer");
	is_int(r.status, 303, "investigated");
	is_int(transition(HANDLER, inc1, "close", NULL).status, 403,
	       "only the security function closes");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	ok(strstr(r.body, "Lägg till i handlingsplanen") != NULL,
	   "the coordinator is offered to turn the lessons into an activity");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld/action",
					    (long long)inc1),
		    "title=Kryptera+alla+b%C3%A4rbara+datorer&end_on=2027-06-30");
	is_int(r.status, 303, "an activity made from the lessons");
	ok(r.location && strstr(r.location, "/o/alfa/activities/"), "opening the activity");
	is_int(q1(arena_printf(&fx->a, "SELECT count(*) FROM activity a JOIN incident_activity l"
			       " ON l.activity_id = a.id WHERE l.source = 'incidents'"
			       " AND l.source_id = $1 AND a.plan_id = %lld"
			       " AND a.priority = 2 AND a.responsible_id = %lld", (long long)plan_id,
			       (long long)handler_id), inc1), 1,
	       "in the open plan, priority from severity 3, the handler responsible");
	is_int(events(inc1, "action"), 1, "on the timeline");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	ok(strstr(r.body, "Kryptera alla bärbara datorer") != NULL, "listed on the incident");
	is_int(transition(COORD, inc1, "close", NULL).status, 303, "closed");
	ok(cell("SELECT closed_at FROM incident WHERE id = $1", inc1) != NULL, "when");
	r = transition(COORD, inc1, "reopen", NULL);
	is_int(r.status, 422, "reopened only with a reason");
	is_int(transition(COORD, inc1, "reopen", "reason=Ny+uppgift").status, 303, "reopened");
	is_str(state(inc1), "received", "back to received");
}

TEST(not_an_incident_and_recurrence)
{
	struct fx_resp r;
	int64_t inc3;

	r = transition(COORD, inc2, "not-incident", "reason=Ett+legitimt+utskick");
	is_int(r.status, 303, "not an incident");
	is_str(cell("SELECT not_incident_reason FROM incident WHERE id = $1", inc2),
	       "Ett legitimt utskick", "with the reason");
	/* another lost computer, a month later, the same cause */
	clock_set(NOW + 30 * 86400);
	fx_new_sessions(fx);
	inc3 = fx_post_id(fx, COORD, "/o/alfa/incidents",
		       "title=Telefon+gl%C3%B6md&category=lost_equipment&personal_data=no");
	is_int(transition(COORD, inc3, "receive", NULL).status, 303, "received");
	is_int(transition(COORD, inc3, "assess", "consequence=1&spread=one&urgency=normal").status,
	       303, "assessed");
	is_int(q1("SELECT severity FROM incident WHERE id = $1", inc3), 1, "a deviation");
	is_int(transition(COORD, inc3, "recover", "remediation=Sp%C3%A4rrad").status, 303,
	       "restored");
	is_int(transition(COORD, inc3, "investigate",
			  "root_cause_group=human_error&root_cause=Gl%C3%B6mska&lessons=P%C3%A5minn")
		       .status, 303, "investigated: human error again");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc3));
	ok(strstr(r.body, "Samma grundorsak tidigare") && strstr(r.body, "IN-2027-0001"),
	   "the earlier incident of the same cause within six months is pointed out");
	clock_set(NOW + 200 * 86400);
	fx_new_sessions(fx);
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc3));
	ok(strstr(r.body, "Samma grundorsak tidigare") != NULL,
	   "pointed out relative to the incident, not to today");
	clock_set(NOW);
	fx_new_sessions(fx);
}

/* covers R-8-20 */
TEST(shared_with_another_area)
{
	struct fx_resp r;

	r = fx_get(fx, HANDLER, arena_printf(&fx->a, "/o/alfa/incident-shares/new?incident_id=%lld",
					     (long long)inc1));
	ok(r.status == 200 && strstr(r.body, arena_printf(&fx->a, "name=\"incident_id\" value=\"%lld\"",
							  (long long)inc1)) &&
	   !strstr(r.body, "<select id=\"f-incident_id\""),
	   "the handler's form to share it names the incident, with no picker of every incident");
	ok(fx_post_id(fx, HANDLER, "/o/alfa/incident-shares",
		      arena_printf(&fx->a, "incident_id=%lld&area=it_support&contact=Servicedesk"
				   "&reference=SD-4711", (long long)inc1)) > 0,
	   "the handler shares the incident with IT support");
	is_int(events(inc1, "shared"), 1, "the sharing is on the timeline");
	r = fx_get(fx, HANDLER, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	ok(strstr(r.body, "Delad med andra områden") && strstr(r.body, "SD-4711"),
	   "the incident's page lists whom it is shared with and their case number");
	r = fx_post(fx, OWNER, "/o/alfa/incident-shares",
		    arena_printf(&fx->a, "incident_id=%lld&area=hr", (long long)inc1));
	ok(r.status == 403 || r.status == 422, "the owner, who only reads it, may not share it");
	is_int(q1("SELECT count(*) FROM incident_share WHERE incident_id = $1", inc1), 1,
	       "nothing shared by the owner");
}

/* covers R-8-28, R-8-29, R-8-30, R-8-31, R-8-32, R-8-33, R-8-34, R-8-35,
 * R-8-36, R-8-37, R-8-38 */
TEST(the_process_documented_and_the_way_of_working_assessed)
{
	struct fx_resp r;
	int64_t p1, p2, sa;

	r = fx_post(fx, COORD, "/o/alfa/incident-processes",
		    "title=Incidentprocess&version_label=1.0&description=Anm%C3%A4l+i+V%C3%A4rn");
	is_int(r.status, 422, "a version without what changed and why refused");
	p1 = fx_post_id(fx, COORD, "/o/alfa/incident-processes",
			"title=Incidentprocess&version_label=1.0&adopted_on=2027-01-15"
			"&description=Anm%C3%A4l+i+V%C3%A4rn&changes=F%C3%B6rsta+versionen"
			"&why=Ny+process&review_on=2028-01-15");
	p2 = fx_post_id(fx, COORD, "/o/alfa/incident-processes",
			"title=Incidentprocess&version_label=1.1&adopted_on=2027-03-01"
			"&description=Anm%C3%A4l+i+V%C3%A4rn%2C+%C3%B6verl%C3%A4mning+till+"
			"krisledningen&changes=%C3%96verl%C3%A4mning+till+krisorganisationen"
			"&why=Sj%C3%A4lvskattningen+visade+att+den+saknades");
	ok(p1 > 0 && p2 > 0, "two versions of the process, each with what changed and why");
	r = fx_get(fx, USER, "/o/alfa/incident-processes");
	is_int(r.status, 403, "the process register is for staff");
	r = fx_get(fx, HANDLER, arena_printf(&fx->a, "/o/alfa/incident-processes/%lld",
					     (long long)p2));
	ok(r.status == 200 && strstr(r.body, "Självskattningen visade att den saknades") &&
	   strstr(r.body, "Underlag") && strstr(r.body, "/o/alfa/gap"),
	   "a version says why it changed, with the analyses at hand as inputs");
	is_int(fx_post(fx, HANDLER, "/o/alfa/incident-processes",
		       "title=X&version_label=2&changes=a&why=b").status, 403,
	       "only the security function documents the process");
	sa = fx_post_id(fx, COORD, "/o/alfa/incident-self-assessments",
			"title=Sj%C3%A4lvskattning+2027&assessed_on=2027-02-10"
			"&q_employees=Ringer+IT-supporten&q_handling=Olika+per+f%C3%B6rvaltning"
			"&q_roles=Oklart+mandat&q_terms=Avvikelse+och+incident&q_awareness=Via+telefon"
			"&q_cooperation=Ingen+samverkan+med+dataskydd&q_remedy=IT-enheten"
			"&q_problems=Ingen+uppf%C3%B6ljning&q_crisis=Nej"
			"&findings=Best%C3%A4m+%C3%B6verl%C3%A4mning+till+krisledningen");
	ok(sa > 0, "a self-assessment answering the nine questions");
	is_int(q1("SELECT author_id FROM incident_self_assessment WHERE id = $1", sa),
	       q1("SELECT id FROM person WHERE email = 'samordnare@a.se' AND org_id = $1",
		  fx->org_alfa), "stored with its author");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incident-self-assessments/%lld",
					   (long long)sa));
	ok(strstr(r.body, "Vet medarbetarna hur de ska agera?") &&
	   strstr(r.body, "överlämningen till krisorganisationen ser ut?") &&
	   strstr(r.body, "Lägg till i handlingsplanen"),
	   "the questions in seed 003's words, and its findings may become actions");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/incident-self-assessments/%lld/action",
					    (long long)sa),
		    "title=Best%C3%A4m+%C3%B6verl%C3%A4mningen&end_on=2027-05-31");
	is_int(r.status, 303, "a finding made an activity");
	is_int(q1(arena_printf(&fx->a, "SELECT count(*) FROM incident_activity l JOIN activity a"
			       " ON a.id = l.activity_id WHERE l.source = 'incident-self-assessments'"
			       " AND l.source_id = $1 AND a.plan_id = %lld", (long long)plan_id), sa),
	       1, "in the action plan, linked to the self-assessment");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incident-self-assessments/%lld",
					   (long long)sa));
	ok(strstr(r.body, "Bestäm överlämningen") != NULL, "listed on the self-assessment");
}

/* The register is confidential: invisible to those without a grant. */
TEST(confidential_everywhere)
{
	struct fx_resp r;

	r = fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	is_int(r.status, 404, "a plain user: the incident does not exist");
	r = fx_get(fx, USER, "/o/alfa/incidents");
	ok(r.status == 200 && !strstr(r.body, "IN-2027-0001") && !strstr(r.body, "bärbar dator"),
	   "nor in the list");
	r = fx_get(fx, USER, "/o/alfa/search?q=b%C3%A4rbar");
	ok(!strstr(r.body, "IN-2027-0001") && !strstr(r.body, "Borttappad bärbar"),
	   "nor in search");
	r = fx_get(fx, COORD, "/o/alfa/search?q=b%C3%A4rbar");
	ok(strstr(r.body, "Borttappad bärbar dator") != NULL, "the coordinator finds it");
	r = fx_get(fx, HANDLER, "/o/alfa/incidents");
	ok(strstr(r.body, "Borttappad bärbar dator") && !strstr(r.body, "Misstänkt länk"),
	   "the handler's list: their own incident only");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/incidents/%lld", (long long)inc1));
	is_int(r.status, 404, "another organisation: not found");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	is_int(r.status, 404, "nor through the other's address");
	ok(q1("SELECT count(*) FROM audit_event WHERE entity = 'incidents' AND entity_id = $1"
	      " AND action = 'read'", inc1) >= 3, "each read of the incident is audited");
	r = fx_get(fx, USER, "/o/alfa/incident-systems");
	is_int(r.status, 403, "the links' register is the security function's");
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A form's picker of a register of thousands is a search by name: the
 * page's size and cost stay bounded, and the name finds the record. */
TEST(a_large_register_is_searched_by_name_in_a_form)
{
	struct fx_resp r;
	int64_t s17 = 0, s12 = 0, inc;

	for (int i = 0; i < PART_REF_PICK_MAX + 5; i++) {
		int64_t id = fx_post_id(fx, COORD, "/o/alfa/systems",
					arena_printf(&fx->a, "name=Massystem+%03d&hosting=joint"
						     "&lifecycle=operation&personal_data=none", i));
		if (i == 17)
			s17 = id;
		if (i == 12)
			s12 = id;
	}
	ok(s17 > 0 && s12 > 0, "more systems than a picker offers");
	r = fx_get(fx, COORD, "/o/alfa/incidents/new");
	ok(r.status == 200 && strstr(r.body, "name=\"system_id__find\""),
	   "the incident's form offers a search for the system");
	ok(count(r.body, "Massystem") == 0, "and lists none of the systems whole");
	inc = fx_post_id(fx, COORD, "/o/alfa/incidents",
			 "title=Avbrott&category=outage&personal_data=no"
			 "&system_id__find=massystem+017");
	is_int(q1("SELECT system_id FROM incident WHERE id = $1", inc), s17,
	       "the name (in any case) finds the system");
	r = fx_post(fx, COORD, "/o/alfa/incidents",
		    "title=Avbrott&category=outage&personal_data=no&system_id__find=Massystem+01");
	ok(r.status == 422 && strstr(r.body, "Flera träffar") && strstr(r.body, "Massystem 012") &&
	   strstr(r.body, "name=\"system_id__from\" value=\"matches\""),
	   "several matches: the form comes back offering them");
	ok(count(r.body, "Massystem 0") <= PART_REF_MATCHES + 2, "at most a page of matches");
	inc = fx_post_id(fx, COORD, "/o/alfa/incidents",
			 arena_printf(&fx->a, "title=Avbrott&category=outage&personal_data=no"
				      "&system_id=%lld&system_id__find=Massystem+01"
				      "&system_id__from=matches", (long long)s12));
	is_int(q1("SELECT system_id FROM incident WHERE id = $1", inc), s12,
	       "the one chosen among them is kept");
	r = fx_post(fx, COORD, "/o/alfa/incidents",
		    "title=Avbrott&category=outage&personal_data=no&system_id__find=Finns+inte");
	ok(r.status == 422 && strstr(r.body, "Inget hittades"), "no match: said so");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld/edit", (long long)inc));
	ok(r.status == 200 && count(r.body, "Massystem") == 1,
	   "editing: only the system chosen is offered, with the search beside it");
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
