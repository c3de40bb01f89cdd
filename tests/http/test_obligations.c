/* test_obligations.c - the reporting duties of an incident through the real
 * router, on the engine chosen by VARN_TEST_DB: an employee reports a lost
 * laptop with personal data; assessed with duty_personal the IMY obligation
 * appears, due 72 real hours after awareness; the API gives it with the
 * names integrations rely on (and 404 to a caller who may not read the
 * incident); the countdown on the incident's page; warnings at 50, 75 and
 * 90 % of the time, once each, across the spring DST change, delivered to a
 * real SMTP server; a late discharge refused without the reason, recorded
 * with it and put on the timeline; the NIS2 final report due one calendar
 * month after the notification was sent; an answer taken back waives what
 * it brought. */
#include "base/base.h"

#include <libgen.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "fixture.h"
#include "mail_sink.h"
#include "tap.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"

/* 2027-03-26 12:00 in Stockholm (11:00 UTC), two days before the clocks
 * go forward (28 March 02:00 -> 03:00) */
#define NOW 1806058800
/* 2027-05-31 09:00 in Stockholm (07:00 UTC): a month's last day */
#define MAY31 1811746800

static int64_t inc1, inc2, imy_id;
static struct mail_sink sink;

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

static struct fx_resp transition(const char *who, const char *reg, int64_t id, const char *name,
				 const char *form)
{
	int64_t v = q1(arena_printf(&fx->a, "SELECT version FROM %s WHERE id = $1",
				    strcmp(reg, "incidents") == 0 ? "incident" : "incident_obligation"),
		       id);
	return fx_post(fx, who, arena_printf(&fx->a, "/o/alfa/%s/%lld/%s", reg, (long long)id,
					     name),
		       arena_printf(&fx->a, "version=%lld%s%s", (long long)v, form ? "&" : "",
				    form ? form : ""));
}

static struct fx_resp api_get(const char *who, const char *path)
{
	struct db_error err = { 0 };
	const char *t = api_token_create(fx->db, &fx->a, fx_user_id(fx, who), "test", 1, &err);

	return fx_request(fx, NULL, "GET", path, NULL, NULL, "Authorization",
			  arena_printf(&fx->a, "Bearer %s", t ? t : "none"));
}

static struct fx_resp api_patch(const char *who, const char *path, const char *json)
{
	struct db_error err = { 0 };
	const char *t = api_token_create(fx->db, &fx->a, fx_user_id(fx, who), "test", 1, &err);

	return fx_request(fx, NULL, "PATCH", path, json, "application/json", "Authorization",
			  arena_printf(&fx->a, "Bearer %s", t ? t : "none"));
}

/* ---- the SMTP server (mail_sink.h) ---- */

/* The n-th message's subject and text, in fx->a. */
static const char *saved(int n)
{
	return mail_sink_file(&sink, &fx->a, n, "txt");
}

static void job_ctx(struct ctx *cx)
{
	ctx_system(cx, &fx->a, fx->db, "job:test", VIA_JOB);
	cx->now = clock_now();
}

/* The warnings job in the period of now: 0 when it ran and succeeded. */
static int run_warnings(void)
{
	struct db_error err;
	struct buf log = BUF_INIT;
	int n, rc;

	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "obligation-warnings", &log,
			      NULL, &err);
	if (n < 0)
		printf("# scheduler: %s\n", err.msg);
	rc = n == 1 && log.p && strstr(log.p, ": ok") ? 0 : -1;
	if (rc)
		printf("# %s", log.p ? log.p : "(nothing ran)\n");
	buf_release(&log);
	return rc;
}

static int64_t warnings(const char *pct)
{
	return q1(arena_printf(&fx->a, "SELECT count(*) FROM outbox WHERE org_id = $1"
			       " AND dedup_key LIKE 'obligation-warning:%%:%s:%%'", pct),
		  fx->org_alfa);
}

TEST(setup)
{
	struct ctx cx;
	struct db_error err;
	struct mail_config mc = {
		.host = "127.0.0.1", .port = 0, .security = "none",
		.from_addr = "varn@alfa.se", .from_name = "Värn Alfa",
		.base_url = "https://varn.alfa.se/", .enabled = 1,
	};

	clock_set(NOW);
	fx_new_sessions(fx);
	mc.port = sink.port;
	ok(mail_sink_start(&sink) == 0, "the SMTP server listens");
	job_ctx(&cx);
	ok(db_begin(fx->db, &err) == 0 && outbox_config_save(&cx, &mc, &err) == 0 &&
	   db_commit(fx->db, &err) == 0, "mail configured");
}

/* covers R-8-16, R-8-17 */
TEST(a_lost_laptop_with_personal_data_gets_its_imy_clock)
{
	struct fx_resp r;

	/* an employee's call, registered on their behalf (the report form of
	 * the reporting part makes the same record) */
	inc1 = fx_post_id(fx, COORD, "/o/alfa/incidents",
		       "title=Borttappad+b%C3%A4rbar+dator&category=lost_equipment"
		       "&channel=phone&reporter_name=Anna+Anst%C3%A4lld"
		       "&description=L%C3%A4mnad+p%C3%A5+bussen%2C+inneh%C3%B6ll+elevlistor"
		       "&personal_data=yes");
	ok(inc1 > 0, "an employee reports a lost laptop with personal data");
	is_str(cell("SELECT aware_at FROM incident WHERE id = $1", inc1), "2027-03-26T11:00:00Z",
	       "aware since the report");
	is_int(q1("SELECT count(*) FROM incident_obligation WHERE incident_id = $1", inc1), 0,
	       "no obligation before the assessment");
	clock_set(NOW + 1800);
	fx_new_sessions(fx);
	is_int(transition(COORD, "incidents", inc1, "receive", NULL).status, 303, "received");
	is_int(transition(COORD, "incidents", inc1, "assess",
			  "consequence=2&harm_c=1&spread=unit&urgency=high&duty_personal=1"
			  "&duty_reasoning=Elevers+namn+och+personnummer").status, 303,
	       "assessed: a personal-data breach to report");
	is_int(q1("SELECT count(*) FROM reporting_rule WHERE org_id = $1", fx->org_alfa), 8,
	       "the organisation got its copy of the rules");
	is_str(cell("SELECT rules_version FROM reporting_rule WHERE code = 'imy-notification'"
		    " AND org_id = $1", fx->org_alfa), "2026-1", "of the version");
	is_int(q1("SELECT count(*) FROM incident_obligation WHERE incident_id = $1", inc1), 1,
	       "one obligation: no high risk, so no communication to the data subjects");
	imy_id = q1("SELECT id FROM incident_obligation WHERE incident_id = $1"
		    " AND receiver = 'imy'", inc1);
	ok(imy_id > 0, "to IMY");
	is_str(cell("SELECT kind FROM incident_obligation WHERE id = $1", imy_id), "notification",
	       "a notification");
	is_str(cell("SELECT due_at FROM incident_obligation WHERE id = $1", imy_id),
	       "2027-03-29T11:00:00Z", "due 72 real hours after awareness");
	is_str(cell("SELECT starts_at FROM incident_obligation WHERE id = $1", imy_id),
	       "2027-03-26T11:00:00Z", "counted from awareness");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	is_int(r.status, 200, "the incident's page");
	has_str(r.body, "Anmälningar till myndigheter", "shows the reports to authorities");
	has_str(r.body, "2027-03-29 13:00", "due in Stockholm time (summer time by then)");
	has_str(r.body, "71 h 30 min kvar", "with the time left");
	has_str(r.body, "Registrera anmälan", "and the button to record it");
}

/* covers R-8-17 */
TEST(the_api_gives_the_obligations_with_their_names)
{
	struct fx_resp r;
	const char *path = arena_printf(&fx->a, "/api/v1/orgs/alfa/incidents/%lld/obligations",
					(long long)inc1);

	r = api_get(COORD, path);
	is_int(r.status, 200, "GET .../incidents/{id}/obligations");
	has_str(r.body, "\"receiver\":\"imy\"", "receiver");
	has_str(r.body, "\"kind\":\"notification\"", "kind");
	has_str(r.body, "\"due_at\":\"2027-03-29T11:00:00Z\"", "due_at in RFC 3339 UTC");
	has_str(r.body, "\"status\":\"pending\"", "status");
	has_str(r.body, "\"discharged_at\":null", "discharged_at, not yet");
	has_str(r.body, "\"starts_at\":\"2027-03-26T11:00:00Z\"", "and when it counts from");
	r = api_get(COORD, arena_printf(&fx->a, "/api/v1/orgs/alfa/incidents/%lld", (long long)inc1));
	has_str(r.body, "\"aware_at\":\"2027-03-26T11:00:00Z\"", "the incident has aware_at");
	r = api_get(USER, path);
	is_int(r.status, 404, "a plain user may not read the incident: 404");
	r = api_get(USER, "/api/v1/orgs/alfa/incidents/999999/obligations");
	is_int(r.status, 404, "an incident that does not exist: 404");
	r = fx_get(fx, NULL, "/api/v1/openapi.json");
	has_str(r.body, "\"/api/v1/orgs/{org}/incidents/{id}/obligations\"",
		"the route is in the OpenAPI document");
	has_str(r.body, "incident-obligations_of_parent", "with its operation");
	has_str(r.body, "\"incident-obligations_list\"", "and its schema");
	is_int(fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/incident-obligations/%lld",
					      (long long)imy_id)).status == 200, 0,
	       "the obligation's page is not a plain user's");
}

/* covers R-8-17 (warnings at 50, 75 and 90 %, once each) */
TEST(warnings_fire_once_per_threshold_across_the_dst_change)
{
	struct ctx cx;
	struct db_error err;
	const char *text;

	clock_set(NOW + 30 * 3600);
	is_int(run_warnings(), 0, "the job runs at 42 %");
	is_int(warnings("%"), 0, "nothing to warn of");
	clock_set(NOW + 36 * 3600 + 60);
	is_int(run_warnings(), 0, "the job runs at 50 %");
	is_int(warnings("50"), 2, "one message to each of the desk (coordinator and admin)");
	is_int(q1("SELECT warned FROM incident_obligation WHERE id = $1", imy_id), 1,
	       "the threshold marked");
	clock_set(NOW + 36 * 3600 + 400);
	is_int(run_warnings(), 0, "the next period");
	is_int(warnings("%"), 2, "nothing more");
	/* 28 March 03:00 summer time has come: 54 real hours after 12:00 on
	 * 26 March is 19:00 on the 28th by the clock, not 18:00 */
	clock_set(NOW + 54 * 3600 + 30);
	is_str(clock_format_local(&fx->a, clock_now()), "2027-03-28 19:00",
	       "the clocks moved forward in between");
	is_int(run_warnings(), 0, "the job runs at 75 %");
	is_int(warnings("75"), 2, "the 75 % warning, once to each");
	clock_set(NOW + 54 * 3600 + 330);
	is_int(run_warnings(), 0, "run again in the next period (after a restart)");
	is_int(warnings("%"), 4, "nothing more");
	/* a second process that missed the bookkeeping: the dedup key holds */
	ok(db_exec(fx->db, &fx->a, "UPDATE incident_obligation SET warned = 1 WHERE id = $1",
		   DB_ARGS(DB_INT(imy_id)), NULL, &err) == 0, "as if another process had not seen it");
	clock_set(NOW + 54 * 3600 + 700);
	is_int(run_warnings(), 0, "the job runs again");
	is_int(warnings("%"), 4, "still no second message");
	clock_set(NOW + 65 * 3600);
	is_int(run_warnings(), 0, "the job runs at 90 %");
	is_int(warnings("90"), 2, "the 90 % warning");
	is_int(q1("SELECT warned FROM incident_obligation WHERE id = $1", imy_id), 7,
	       "every threshold marked");
	job_ctx(&cx);
	is_int(outbox_send_due(&cx, 100, &err), 6, "the six messages are sent");
	text = saved(1);
	has_str(text, "50 % av tiden", "the first says 50 % of the time has passed");
	has_str(text, "IN-2027-0001", "names the receipt number");
	has_str(text, "Anmälan av personuppgiftsincident till IMY", "and the report");
	has_str(text, "2027-03-29 13:00", "due in Stockholm time");
	has_str(text, "https://varn.alfa.se/o/alfa/incidents/", "with a link to the incident");
	lacks_str(text, "elevlistor", "never the incident's details");
	has_str(saved(5), "90 % av tiden", "the last says 90 %");
}

/* covers R-8-17 (discharged only with when, how and reference; late with
 * the reason) */
TEST(a_late_discharge_needs_the_reason_and_goes_on_the_timeline)
{
	struct fx_resp r;

	clock_set(NOW + 75 * 3600);
	fx_new_sessions(fx);
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)inc1));
	has_str(r.body, "försenad 3 h 0 min", "the countdown says how late");
	r = transition(COORD, "incident-obligations", imy_id, "discharge",
		       "when=2027-03-29T16:00&how=e_service&reference=IMY-2027-1234");
	is_int(r.status, 422, "late without the reason: refused");
	has_str(r.body, "skälet till förseningen", "saying why");
	r = transition(COORD, "incident-obligations", imy_id, "discharge",
		       "when=2027-03-30T16:00&how=e_service&reference=IMY-2027-1234"
		       "&reason_for_delay=Omfattningen+utreddes");
	is_int(r.status, 422, "a moment in the future: refused");
	r = transition(COORD, "incident-obligations", imy_id, "discharge",
		       "when=2027-03-29T16:00&how=e_service&reference=IMY-2027-1234"
		       "&reason_for_delay=Omfattningen+utreddes+f%C3%B6rst");
	is_int(r.status, 303, "with the reason: recorded");
	is_str(cell("SELECT status FROM incident_obligation WHERE id = $1", imy_id), "discharged",
	       "discharged");
	is_str(cell("SELECT discharged_at FROM incident_obligation WHERE id = $1", imy_id),
	       "2027-03-29T14:00:00Z", "when, from Stockholm time");
	is_str(cell("SELECT receiver_ref FROM incident_obligation WHERE id = $1", imy_id),
	       "IMY-2027-1234", "the receiver's reference");
	is_str(cell("SELECT delay_reason FROM incident_obligation WHERE id = $1", imy_id),
	       "Omfattningen utreddes först", "the reason for the delay");
	is_int(q1("SELECT count(*) FROM incident_event WHERE incident_id = $1"
		  " AND kind = 'obligation' AND body LIKE '%IMY-2027-1234%'", inc1), 1,
	       "on the incident's timeline");
	r = api_get(COORD, arena_printf(&fx->a, "/api/v1/orgs/alfa/incidents/%lld/obligations",
					(long long)inc1));
	has_str(r.body, "\"discharged_at\":\"2027-03-29T14:00:00Z\"", "the API says when");
	has_str(r.body, "\"status\":\"discharged\"", "and the status");
	clock_set(NOW + 80 * 3600);
	is_int(run_warnings(), 0, "the job runs");
	is_int(warnings("%"), 6, "a discharged obligation is not warned of");
}

/* covers R-8-16 (the final report a calendar month after the notification
 * was sent) */
TEST(nis2_final_report_counts_from_the_notification)
{
	int64_t note, fin, early;

	clock_set(MAY31);
	fx_new_sessions(fx);
	inc2 = fx_post_id(fx, COORD, "/o/alfa/incidents",
		       "title=Utpressningsvirus+i+ekonomisystemet&category=malware&personal_data=no");
	ok(inc2 > 0, "a ransomware incident");
	is_int(transition(COORD, "incidents", inc2, "receive", NULL).status, 303, "received");
	is_int(transition(COORD, "incidents", inc2, "assess",
			  "consequence=3&harm_a=1&spread=organisation&urgency=immediate"
			  "&duty_nis2=1").status, 303, "a significant incident");
	is_int(q1("SELECT count(*) FROM incident_obligation WHERE incident_id = $1", inc2), 3,
	       "early warning, notification and final report");
	early = q1("SELECT id FROM incident_obligation WHERE incident_id = $1"
		   " AND kind = 'early_warning'", inc2);
	note = q1("SELECT id FROM incident_obligation WHERE incident_id = $1"
		  " AND kind = 'notification'", inc2);
	fin = q1("SELECT id FROM incident_obligation WHERE incident_id = $1"
		 " AND kind = 'final_report'", inc2);
	is_str(cell("SELECT due_at FROM incident_obligation WHERE id = $1", early),
	       "2027-06-01T07:00:00Z", "the early warning within 24 hours");
	is_str(cell("SELECT due_at FROM incident_obligation WHERE id = $1", note),
	       "2027-06-03T07:00:00Z", "the notification within 72 hours");
	ok(cell("SELECT due_at FROM incident_obligation WHERE id = $1", fin) == NULL,
	   "the final report's clock has not started");
	clock_set(MAY31 + 3 * 3600);
	fx_new_sessions(fx);
	is_int(transition(COORD, "incident-obligations", note, "discharge",
			  "when=2027-05-31T10:30&how=e_service&reference=CERT-SE-77").status, 303,
	       "the notification sent at 10:30 on 31 May");
	is_str(cell("SELECT due_at FROM incident_obligation WHERE id = $1", fin),
	       "2027-06-30T08:30:00Z", "the final report due 30 June 10:30: a calendar month,"
	       " the month's last day");
	is_str(cell("SELECT starts_at FROM incident_obligation WHERE id = $1", fin),
	       "2027-05-31T08:30:00Z", "counted from when the notification was sent");
	ok(q1("SELECT count(*) FROM audit_event WHERE entity = 'incident-obligations'"
	      " AND entity_id = $1 AND action = 'update'", fin) >= 1, "the change audited");
}

/* covers R-8-16 (obligations follow the answers; never deleted) */
TEST(an_answer_taken_back_waives_what_it_brought)
{
	struct fx_resp r;
	const char *path = arena_printf(&fx->a, "/api/v1/orgs/alfa/incidents/%lld", (long long)inc2);
	int64_t police;

	r = api_patch(COORD, path, arena_printf(&fx->a, "{\"version\":%lld,\"duty_crime\":true}",
		     (long long)q1("SELECT version FROM incident WHERE id = $1", inc2)));
	is_int(r.status, 200, "a crime, on second thought");
	police = q1("SELECT id FROM incident_obligation WHERE incident_id = $1"
		    " AND receiver = 'police'", inc2);
	ok(police > 0, "a police report is due");
	ok(cell("SELECT due_at FROM incident_obligation WHERE id = $1", police) == NULL,
	   "without delay: no deadline");
	r = api_patch(COORD, path, arena_printf(&fx->a, "{\"version\":%lld,\"duty_crime\":false}",
		     (long long)q1("SELECT version FROM incident WHERE id = $1", inc2)));
	is_int(r.status, 200, "not a crime after all");
	is_str(cell("SELECT status FROM incident_obligation WHERE id = $1", police), "waived",
	       "the police report waived, not deleted");
	is_str(cell("SELECT waive_reason FROM incident_obligation WHERE id = $1", police),
	       "Bedömningen ändrades.", "because the assessment changed");
	is_int(q1("SELECT count(*) FROM incident_obligation WHERE incident_id = $1"
		  " AND status = 'discharged'", inc2), 1, "the discharged notification untouched");
}

int main(void)
{
	int rc;

	signal(SIGPIPE, SIG_IGN);
	if (mail_sink_init(&sink) != 0)
		return 1;
	fx = fixture_new();
	rc = tap_run();
	mail_sink_stop(&sink);
	fixture_free(fx);
	clock_set(0);
	return rc;
}
