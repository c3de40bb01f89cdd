/* test_incident_report.c - reporting an incident through the real router,
 * on the engine chosen by VARN_TEST_DB: a plain employee reports a lost
 * laptop in one POST, gets the receipt and the advice, follows it in "Mina
 * rapporter" without any internal detail and cannot open the incident
 * itself; the intake link for people without an account (off: 404; on: a
 * report without signing in, the cross-site token, the rate limit's 429,
 * the private status link, a new link killing the old one); the security
 * function's registration on someone's behalf with an earlier awareness;
 * the organisation's own severity terms in the severity's reason; a report
 * through the API with a token (monitoring); and the notifications
 * delivered on a local SMTP server (tests/mail/smtp_sink.py): the new
 * report to the coordinator, the hand-over to the handler, the new state to
 * the reporter without internal text, a system's owner and administrator
 * of a report naming it. */
#include "base/base.h"

#include <dirent.h>
#include <libgen.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/outbox.h"
#include "db/db.h"
#include "fixture.h"
#include "mail_sink.h"
#include "modules/incidents/report.h"
#include "tap.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define HANDLER "it@a.se"
#define OWNER "agare@a.se"
#define SYSADM "drift@a.se"
#define MANAGER "forvaltare@a.se"

/* 2027-03-15 12:00 in Stockholm (11:00 UTC) */
#define NOW 1805108400

static int64_t handler_id, owner_id, manager_id, sys_id, lost_id;
static const char *intake_token;
static const char *status_path;

/* ---- the SMTP server (as test_mail.c) ---- */

static struct mail_sink sink;

/* The newest message the server got for `to` (headers and text), or "". */
static const char *mail_to(const char *to)
{
	return mail_sink_to(&sink, &fx->a, to);
}

static int send_due(void)
{
	struct ctx cx;
	struct db_error err;
	int n;

	ctx_system(&cx, &fx->a, fx->db, "job:test", VIA_JOB);
	cx.now = clock_now();
	n = outbox_send_due(&cx, 100, &err);
	if (n < 0)
		printf("# send_due: %s\n", err.msg);
	return n;
}

/* ---- helpers ---- */

static int64_t q1(const char *sql, int64_t arg)
{
	return fx_scalar(fx, sql, arg);
}

static const char *cell(const char *sql, int64_t arg)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(arg)), &r, &err) != 0 || r.nrows != 1 ||
	    !db_cell(&r, 0, 0))
		return "";
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

/* The incident's own form sent back with the handler changed. */
static struct fx_resp hand_over(int64_t id, int64_t to)
{
	return fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)id),
		       arena_printf(&fx->a, "title=%s&category=%s&personal_data=%s&handler_id=%lld"
				    "&aware_at=%s&occurred_at=%s&channel=%s&version=%lld",
				    fx_enc(fx, cell("SELECT title FROM incident WHERE id = $1", id)),
				    cell("SELECT category FROM incident WHERE id = $1", id),
				    cell("SELECT personal_data FROM incident WHERE id = $1", id),
				    (long long)to,
				    cell("SELECT aware_at FROM incident WHERE id = $1", id),
				    cell("SELECT occurred_at FROM incident WHERE id = $1", id),
				    cell("SELECT channel FROM incident WHERE id = $1", id),
				    (long long)q1("SELECT version FROM incident WHERE id = $1", id)));
}

/* The cookie's value from a Set-Cookie header. */
static const char *cookie_value(const char *set_cookie, const char *name)
{
	const char *p = set_cookie ? strstr(set_cookie, name) : NULL;
	const char *end;

	if (!p)
		return NULL;
	p += strlen(name) + 1;
	end = strchr(p, ';');
	return arena_strndup(&fx->a, p, end ? (size_t)(end - p) : strlen(p));
}

static struct fx_resp intake_post(const char *token, const char *cookie, const char *pre,
				  const char *form)
{
	return fx_request(fx, NULL, "POST", arena_printf(&fx->a, "/anmal/%s", token),
			  arena_printf(&fx->a, "pre=%s&%s", pre ? pre : "", form),
			  "application/x-www-form-urlencoded", cookie ? "Cookie" : NULL,
			  cookie ? arena_printf(&fx->a, "varn_intake=%s", cookie) : NULL);
}

TEST(setup)
{
	struct ctx cx;
	struct db_error err;
	struct mail_config mc = {
		.host = "127.0.0.1", .port = sink.port, .security = "none",
		.from_addr = "varn@alfa.se", .from_name = "Värn", .base_url = "https://varn.alfa.se",
		.enabled = 1,
	};

	clock_set(NOW);
	fx_new_sessions(fx);
	ok(mail_sink_start(&sink) == 0, "the SMTP server listens on port %d", sink.port);
	ctx_system(&cx, &fx->a, fx->db, "job:test", VIA_JOB);
	ok(db_begin(fx->db, &err) == 0 && outbox_config_save(&cx, &mc, &err) == 0 &&
	   db_commit(fx->db, &err) == 0, "mail configured");
	handler_id = fx_add_member(fx, fx->org_alfa, HANDLER, "Ivar It", "systemforvaltare", 0);
	owner_id = fx_add_member(fx, fx->org_alfa, OWNER, "Olle Ägare", "systemagare", 0);
	manager_id = fx_add_member(fx, fx->org_alfa, MANAGER, "Fia Förvaltare", "systemforvaltare",
				   0);
	sys_id = fx_post_id(fx, COORD, "/o/alfa/systems",
			    arena_printf(&fx->a, "name=Omsorgssystemet&hosting=joint"
					 "&lifecycle=operation&personal_data=none&owner_id=%lld",
					 (long long)owner_id));
	ok(sys_id > 0, "a system with an owner");
	ok(fx_post_id(fx, COORD, "/o/alfa/system-roles",
		      arena_printf(&fx->a, "system_id=%lld&person_id=%lld&role=manager",
				   (long long)sys_id, (long long)manager_id)) > 0,
	   "its manager");
	ok(fx_post_id(fx, COORD, "/o/alfa/system-roles",
		      arena_printf(&fx->a, "system_id=%lld&person_id=%lld&role=administrator",
				   (long long)sys_id,
				   (long long)fx_add_member(fx, fx->org_alfa, SYSADM, "Dan Drift",
							    "systemadministrator", 0))) > 0,
	   "its administrator");
}

/* covers R-8-01, R-8-02, R-8-04, R-8-05, R-8-06, R-8-07, R-8-08, R-8-09 */
TEST(an_employee_reports_a_lost_laptop_in_one_post)
{
	struct fx_resp r;
	const char *loc;

	r = fx_get(fx, USER, "/o/alfa/");
	is_int(r.status, 200, "the plain employee's start page");
	has_str(r.body, "/o/alfa/report\"", "the menu offers the report form (R-8-02)");
	has_str(r.body, "Rapportera incident", "called so");
	has_str(r.body, "class=\"button header-action\" href=\"/o/alfa/report\"",
		"and a button in the header of every page");
	r = fx_get(fx, USER, "/o/alfa/report");
	is_int(r.status, 200, "the form");
	has_str(r.body, "type=\"radio\" id=\"category-lost_equipment\" name=\"category\"", "the categories as radio buttons");
	ok(strstr(r.body, "value=\"lost_equipment\"") &&
	   strstr(r.body, "value=\"lost_equipment\"") < strstr(r.body, "value=\"malware\""),
	   "non-IT categories first");
	has_str(r.body, "USB-minne", "lost storage media (R-8-04)");
	has_str(r.body, "whiteboard", "papers or whiteboards left visible (R-8-05)");
	has_str(r.body, "pratade om något", "someone talked (R-8-06)");
	has_str(r.body, "ber om ett nytt lösenord", "a call asking for a password reset (R-8-07)");
	has_str(r.body, "falsk inloggningssida", "a fake login link (R-8-08)");
	has_str(r.body, "misstänkt intrång", "a suspected intrusion (R-8-09)");
	has_str(r.body, "type=\"datetime-local\"", "when, as a date and time");
	has_str(r.body, "name=\"personal_data\"", "whether personal data may be involved");
	lacks_str(r.body, "Omsorgssystemet", "a plain employee is offered no system list");
	r = fx_post(fx, USER, "/o/alfa/report",
		    "category=lost_equipment&description=Gl%C3%B6mde+jobbdatorn+p%C3%A5+bussen"
		    "+i+morse%2C+den+har+elevlistor&occurred_at=2027-03-15T07%3A40"
		    "&location=Buss+4&information_text=Elevlistor&personal_data=yes");
	is_int(r.status, 303, "one POST");
	loc = r.location ? r.location : "";
	has_str(loc, "/o/alfa/report/", "to the receipt (PRG)");
	lost_id = fx_location_id(&r);
	ok(lost_id > 0, "the incident made");
	is_str(cell("SELECT channel FROM incident WHERE id = $1", lost_id), "web", "channel web");
	is_int(q1("SELECT reporter_id FROM incident WHERE id = $1", lost_id),
	       q1("SELECT id FROM person WHERE email = 'anvandare@a.se' AND org_id = $1",
		  fx->org_alfa), "the reporter is the employee");
	is_str(cell("SELECT title FROM incident WHERE id = $1", lost_id),
	       "Borttappad eller stulen utrustning eller lagringsmedia: Glömde jobbdatorn på"
	       " bussen i morse, den har …", "a heading from the category and the first words");
	is_str(cell("SELECT actor FROM audit_event WHERE entity = 'incidents' AND action = 'create'"
		    " AND entity_id = $1", lost_id), USER, "the audit trail names the real actor");
	r = fx_get(fx, USER, loc);
	is_int(r.status, 200, "the receipt");
	has_str(r.body, "IN-2027-0001", "with the receipt number");
	has_str(r.body, "fjärrraderas", "and the category's advice");
	is_int(fx_get(fx, COORD, loc).status, 404, "the receipt is the reporter's only");
	r = fx_post(fx, USER, "/o/alfa/report", "description=Något&personal_data=no");
	is_int(r.status, 422, "a report without a category comes back");
	has_str(r.body, "href=\"#f-category\"", "with the error linked to it");
	r = fx_post(fx, USER, "/o/alfa/report",
		    arena_printf(&fx->a, "category=outage&personal_data=no&system_id=%lld",
				 (long long)sys_id));
	is_int(r.status, 422, "a system that is not the reporter's is refused");
}

/* covers R-8-07 (malicious action: intrusion advice) */
TEST(intrusion_advice)
{
	struct fx_resp r = fx_post(fx, USER, "/o/alfa/report",
				   "category=unauthorised_access&personal_data=unknown");
	int64_t id = fx_location_id(&r);

	is_int(r.status, 303, "a suspected intrusion reported");
	r = fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/report/%lld", (long long)id));
	has_str(r.body, "koppla bort den från nätverket", "told to disconnect, not switch off");
	is_str(cell("SELECT title FROM incident WHERE id = $1", id),
	       "Obehörig åtkomst eller misstänkt intrång", "the category alone as heading");
}

/* covers R-8-01 (the reporter's own view, no internal details), R-8-03 */
TEST(my_reports_show_only_the_state)
{
	struct fx_resp r;
	const char *page = arena_printf(&fx->a, "/o/alfa/my-reports/%lld", (long long)lost_id);

	r = fx_get(fx, USER, "/o/alfa/my-reports");
	is_int(r.status, 200, "Mina rapporter");
	has_str(r.body, "IN-2027-0001", "the report listed");
	has_str(r.body, "Anmäld", "its state in words");
	r = fx_get(fx, USER, "/o/alfa/");
	has_str(r.body, "2 av dina incidentrapporter hanteras", "a start-page line leads there");
	is_int(fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/incidents/%lld",
					     (long long)lost_id)).status, 404,
	       "the reporter cannot open the incident itself");
	is_int(transition(COORD, lost_id, "receive", NULL).status, 303, "received");
	is_int(fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld/note",
					       (long long)lost_id),
		       "kind=note&body=Hemlig+intern+anteckning").status, 303, "an internal note");
	r = transition(COORD, lost_id, "assess",
		       "consequence=2&harm_c=1&spread=unit&urgency=normal&duty_personal=1"
		       "&duty_reasoning=Okrypterad+dator");
	is_int(r.status, 303, "assessed");
	r = fx_get(fx, USER, page);
	is_int(r.status, 200, "the report's status page");
	has_str(r.body, "Nytt läge: Mottagen", "the state changes on its history");
	has_str(r.body, "Nytt läge: Bedömd", "each of them");
	lacks_str(r.body, "Hemlig intern anteckning", "never the notes");
	lacks_str(r.body, "Okrypterad dator", "never the assessment's reasoning");
	lacks_str(r.body, "Konsekvens", "never the severity's reason");
	is_int(fx_get(fx, COORD, page).status, 404, "someone else's report is not on their page");
}

/* covers R-8-01 ("Mina rapporter" a page at a time) */
TEST(my_reports_are_paged)
{
	struct fx_resp r;
	const char *next;

	for (int i = 0; i < 30; i++)
		fx_post(fx, USER, "/o/alfa/report", "category=other&personal_data=no");
	r = fx_get(fx, USER, "/o/alfa/my-reports");
	lacks_str(r.body, "IN-2027-0001<", "the oldest is not on the first page");
	next = strstr(r.body, "/o/alfa/my-reports?before_at=");
	ok(next != NULL, "a link to the next page");
	if (next) {
		char *end = strchr(next, '"');
		const char *url = arena_strndup(&fx->a, next, end ? (size_t)(end - next) : 0);
		char *amp;
		while ((amp = strstr(url, "&amp;")))
			memmove(amp + 1, amp + 5, strlen(amp + 5) + 1);
		r = fx_get(fx, USER, url);
		is_int(r.status, 200, "the next page");
		has_str(r.body, "IN-2027-0001<", "holds the oldest");
	}
}

/* covers R-8-01 (the notifications), R-8-21 */
TEST(notifications_arrive)
{
	struct fx_resp r;
	struct db_error err;
	const char *m;
	int64_t id;

	ok(db_exec(fx->db, &fx->a, "UPDATE app_user SET lang = 'en' WHERE email = $1",
		   DB_ARGS(DB_TEXT(HANDLER)), NULL, &err) == 0, "the handler reads English");
	is_int(hand_over(lost_id, handler_id).status, 303, "handed over to the IT handler");
	is_int(send_due() > 0, 1, "the outbox sends");
	m = mail_to(COORD);
	has_str(m, "Ny incidentrapport IN-2027-00", "the coordinator told of the new report");
	has_str(m, "https://varn.alfa.se/o/alfa/incidents/", "with a link");
	lacks_str(m, "elevlistor", "without the report's words");
	m = mail_to(HANDLER);
	has_str(m, "You have become the handler of incident IN-2027-0001",
		"the handler told of the hand-over, in their language");
	m = mail_to(USER);
	has_str(m, "har nu läget: Bedömd", "the reporter told of the new state in words");
	has_str(m, "https://varn.alfa.se/o/alfa/my-reports/", "with the link to their page");
	lacks_str(m, "Hemlig", "without internal text");
	lacks_str(m, "Okrypterad", "or the assessment");
	/* a system's manager reports a fault in it */
	r = fx_get(fx, MANAGER, "/o/alfa/report");
	has_str(r.body, "Omsorgssystemet", "their own systems offered");
	r = fx_post(fx, MANAGER, "/o/alfa/report",
		    arena_printf(&fx->a, "category=outage&personal_data=no&system_id=%lld"
				 "&description=Systemet+svarar+inte", (long long)sys_id));
	id = fx_location_id(&r);
	ok(id > 0, "a fault reported in the system");
	is_int(q1("SELECT system_id FROM incident WHERE id = $1", id), sys_id, "naming it");
	ok(send_due() > 0, "sent");
	has_str(mail_to(OWNER), "system du ansvarar", "the system's owner told (R-8-21)");
	has_str(mail_to(SYSADM), "system du ansvarar", "and its administrator");
	is_int(q1("SELECT count(*) FROM outbox WHERE to_addr = 'forvaltare@a.se' AND $1 = 1", 1),
	       0, "the reporter is not told of their own report");
}

/* covers R-8-01 (the security function registers on someone's behalf) */
TEST(registered_on_someones_behalf)
{
	struct fx_resp r;
	int64_t id;

	is_int(fx_get(fx, USER, "/o/alfa/incidents/register").status, 403, "not for employees");
	has_str(fx_get(fx, COORD, "/o/alfa/report").body, "/o/alfa/incidents/register",
		"the function finds it beside the report form");
	lacks_str(fx_get(fx, USER, "/o/alfa/report").body, "/incidents/register",
		  "an employee is not offered it");
	r = fx_get(fx, COORD, "/o/alfa/incidents/register");
	is_int(r.status, 200, "the registration form");
	has_str(r.body, "name=\"aware_at\"", "asks when the organisation became aware");
	r = fx_post(fx, COORD, "/o/alfa/incidents/register",
		    "category=wrong_recipient&personal_data=yes&channel=phone"
		    "&reporter_name=Karin+Kommunal&reporter_contact=070-123+45+67"
		    "&aware_at=2027-03-14T16%3A00&description=Mejl+till+fel+mottagare");
	is_int(r.status, 303, "registered");
	id = fx_location_id(&r);
	is_str(cell("SELECT channel FROM incident WHERE id = $1", id), "phone", "by phone");
	is_str(cell("SELECT aware_at FROM incident WHERE id = $1", id), "2027-03-14T15:00:00Z",
	       "aware since yesterday (Stockholm 16:00)");
	is_str(cell("SELECT reported_at FROM incident WHERE id = $1", id), "2027-03-15T11:00:00Z",
	       "registered now");
	is_int(q1("SELECT registered_by FROM incident WHERE id = $1", id),
	       q1("SELECT id FROM person WHERE email = 'samordnare@a.se' AND org_id = $1",
		  fx->org_alfa), "registered by the coordinator");
	is_str(cell("SELECT reporter_name FROM incident WHERE id = $1", id), "Karin Kommunal",
	       "the reporter's name kept");
	r = fx_post(fx, COORD, "/o/alfa/incidents/register",
		    "category=other&personal_data=no&channel=email&aware_at=2027-03-16T10%3A00");
	is_int(r.status, 422, "awareness in the future refused");
}

/* covers R-8-01 (people without an account), R-8-11, R-8-12, R-8-19 */
TEST(the_intake_link)
{
	struct fx_resp r;
	const char *cookie, *pre, *status;
	int64_t id;

	is_int(fx_get(fx, NULL, "/anmal/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").status, 404,
	       "no such link");
	is_int(fx_get(fx, USER, "/o/alfa/incident-settings").status, 403,
	       "the settings are the desk's");
	r = fx_post(fx, COORD, "/o/alfa/incident-settings",
		    "term_1=avvikelse&term_2=tillbud&term_3=incident&term_4=allvarlig+incident"
		    "&criteria=Konsekvens+enligt+klassningen&crisis_contact=Krisledningsn%C3%A4mnden"
		    "+via+TiB+070-000+00+00");
	is_int(r.status, 303, "settings saved with the intake link off");
	is_str(cell("SELECT term_4 FROM incident_setting WHERE org_id = $1", fx->org_alfa),
	       "allvarlig incident", "the organisation's own term kept (R-8-11)");
	has_str(cell("SELECT crisis_contact FROM incident_setting WHERE org_id = $1", fx->org_alfa),
		"Krisledningsnämnden", "the crisis organisation's contact kept (R-8-19)");
	is_int(q1("SELECT count(*) FROM audit_event WHERE action = 'incident_settings'"
		  " AND org_id = $1", fx->org_alfa), 1, "the change audited");
	is_int(q1("SELECT count(*) FROM incident_setting WHERE intake_token IS NOT NULL"
		  " AND org_id = $1", fx->org_alfa), 0, "no link while off");
	r = fx_post(fx, COORD, "/o/alfa/incident-settings",
		    "term_1=avvikelse&term_2=tillbud&term_3=incident&term_4=allvarlig+incident"
		    "&criteria=Konsekvens+enligt+klassningen&intake_enabled=1");
	is_int(r.status, 303, "intake turned on");
	intake_token = cell("SELECT intake_token FROM incident_setting WHERE org_id = $1",
			    fx->org_alfa);
	is_int((int64_t)strlen(intake_token), 43, "a random token");
	r = fx_get(fx, COORD, "/o/alfa/incident-settings");
	has_str(r.body, arena_printf(&fx->a, "/anmal/%s", intake_token), "the link to publish");
	r = fx_get(fx, NULL, arena_printf(&fx->a, "/anmal/%s", intake_token));
	is_int(r.status, 200, "the form without signing in");
	has_str(r.body, "Alfa", "naming the organisation");
	has_str(r.body, "name=\"reporter_contact\"", "asking for a contact");
	cookie = cookie_value(r.set_cookie, "varn_intake");
	ok(cookie && strlen(cookie) == 43, "with its form token cookie");
	pre = cookie;
	r = intake_post(intake_token, NULL, pre,
			"category=phishing&personal_data=no&description=L%C3%A4nk");
	is_int(r.status, 403, "a post without the cookie (cross-site) refused");
	r = intake_post(intake_token, cookie, pre,
			"category=phishing&personal_data=no&description=Konstig+l%C3%A4nk+i+sms"
			"&reporter_name=Per+Politiker&reporter_contact=per%40example.se");
	is_int(r.status, 303, "reported without an account");
	has_str(r.location, "/status/", "to the private status page");
	status_path = r.location;
	id = q1("SELECT max(id) FROM incident WHERE org_id = $1", fx->org_alfa);
	is_str(cell("SELECT channel FROM incident WHERE id = $1", id), "intake", "channel intake");
	is_str(cell("SELECT actor FROM audit_event WHERE entity = 'incidents' AND action = 'create'"
		    " AND entity_id = $1", id), "intake:alfa", "audited as the intake link");
	is_int(q1("SELECT count(*) FROM incident_status_link WHERE incident_id = $1", id), 1,
	       "a status link kept");
	status = strstr(status_path, "/status/") + 8;
	is_int(q1(arena_printf(&fx->a, "SELECT count(*) FROM incident_status_link"
			       " WHERE token_hash = '%.43s' AND $1 = 1", status), 1), 0,
	       "only the token's hash is stored");
	r = fx_get(fx, NULL, status_path);
	is_int(r.status, 200, "the status page");
	has_str(r.body, cell("SELECT receipt FROM incident WHERE id = $1", id), "the receipt number");
	has_str(r.body, "Klicka inte på länken", "the advice");
	has_str(r.body, "Anmäld", "the state");
	r = fx_get(fx, NULL, arena_printf(&fx->a, "/anmal/%s/status/"
					  "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", intake_token));
	is_int(r.status, 404, "a wrong status token: nothing");
	/* the state changes: the reporter left an address */
	is_int(transition(COORD, id, "receive", NULL).status, 303, "received");
	ok(send_due() > 0, "sent");
	has_str(mail_to("per@example.se"), "har nu läget: Mottagen", "the intake reporter told");
	lacks_str(mail_to("per@example.se"), status, "never the status link itself");
	/* the organisation's terms in the severity's reason (R-8-11) */
	is_int(transition(COORD, id, "assess", "consequence=4&spread=organisation&urgency=high")
	       .status, 303, "assessed as very serious");
	has_str(cell("SELECT severity_why FROM incident WHERE id = $1", id),
		"allvarlig incident", "the organisation's term for level 4 in the reason");
	r = fx_get(fx, NULL, status_path);
	lacks_str(r.body, "allvarlig incident", "not on the reporter's page");
}

/* covers R-8-01 (the intake link is rate-limited) */
TEST(the_intake_link_is_rate_limited)
{
	struct fx_resp r;
	const char *cookie;
	int n429 = 0, n303 = 0;

	intake_rate_reset();
	r = fx_get(fx, NULL, arena_printf(&fx->a, "/anmal/%s", intake_token));
	cookie = cookie_value(r.set_cookie, "varn_intake");
	for (int i = 0; i < 7; i++) {
		r = intake_post(intake_token, cookie, cookie, "category=other&personal_data=no");
		if (r.status == 429) {
			n429++;
			ok(r.retry_after && atoi(r.retry_after) > 0, "with Retry-After %s",
			   r.retry_after ? r.retry_after : "(none)");
			has_str(r.body, "Vänta en stund", "politely");
		} else {
			n303 += r.status == 303;
		}
	}
	is_int(n303, 5, "five reports from one address");
	is_int(n429, 2, "then 429");
	clock_set(NOW + 601);
	r = intake_post(intake_token, cookie, cookie, "category=other&personal_data=no");
	is_int(r.status, 303, "taken again when the window has passed");
	clock_set(NOW);
	intake_rate_reset();
	/* a new link kills the old one; the status link lives on */
	is_int(fx_post(fx, COORD, "/o/alfa/incident-settings/new-link", "").status, 303,
	       "a new link made");
	is_int(fx_get(fx, NULL, arena_printf(&fx->a, "/anmal/%s", intake_token)).status, 404,
	       "the old link is dead");
	is_int(fx_get(fx, NULL, status_path).status, 200, "the status link still works");
	is_int(fx_post(fx, COORD, "/o/alfa/incident-settings", "term_1=avvikelse").status, 303,
	       "intake turned off");
	is_int(fx_get(fx, NULL, arena_printf(&fx->a, "/anmal/%s",
					     cell("SELECT intake_token FROM incident_setting"
						  " WHERE org_id = $1", fx->org_alfa))).status,
	       404, "off: 404");
}

/* covers R-8-03 (a monitoring system reports through the API) */
TEST(monitoring_through_the_api)
{
	struct db_error err;
	const char *token = api_token_create(fx->db, &fx->a, fx_user_id(fx, COORD), "larm", 30,
					     &err);
	struct fx_resp r;

	ok(token != NULL, "a token for the monitoring");
	r = fx_request(fx, NULL, "POST", "/api/v1/orgs/alfa/incidents",
		       "{\"title\":\"Larm: disken full\",\"category\":\"outage\","
		       "\"personal_data\":\"no\",\"channel\":\"monitoring\"}",
		       "application/json", "Authorization",
		       arena_printf(&fx->a, "Bearer %s", token ? token : ""));
	is_int(r.status, 201, "made through the API");
	is_int(q1("SELECT count(*) FROM incident WHERE channel = 'monitoring' AND org_id = $1",
		  fx->org_alfa), 1, "with channel monitoring");
}

/* Issue 11, "done when", from one end to the other: an employee reports a
 * lost laptop with citizens' personal data; the coordinator receives and
 * assesses it; the IMY obligation appears with its 72-hour clock, in the
 * API under its incident; the draft for IMY prints; the obligation is
 * discharged with IMY's reference; the root cause becomes an action; the
 * reporter is told each state on the SMTP server, without internal
 * details.  covers R-8-16, R-8-17 (with test_obligations.c) */
TEST(the_whole_story)
{
	struct db_error err;
	const char *token = api_token_create(fx->db, &fx->a, fx_user_id(fx, COORD), "story", 30,
					     &err);
	struct fx_resp r;
	int64_t id, oid, aware, act_plan;
	const char *receipt, *due;

	act_plan = fx_post_id(fx, COORD, "/o/alfa/action-plans", "title=Handlingsplan+2027"
			      "&period_start=2027-01-01&period_end=2027-12-31");
	ok(act_plan > 0, "an action plan for the year");
	r = fx_post(fx, USER, "/o/alfa/report",
		    "category=lost_equipment&description=Hemtj%C3%A4nstens+dator+med+brukarnas"
		    "+personnummer+gl%C3%B6md+p%C3%A5+t%C3%A5get&personal_data=yes");
	id = fx_location_id(&r);
	ok(r.status == 303 && id > 0, "the employee reports the lost laptop");
	receipt = cell("SELECT receipt FROM incident WHERE id = $1", id);
	ok(clock_parse_moment(cell("SELECT aware_at FROM incident WHERE id = $1", id), &aware) == 0,
	   "aware from the report (%s)", receipt);
	is_int(transition(COORD, id, "receive", NULL).status, 303, "the coordinator receives it");
	is_int(transition(COORD, id, "assess",
			  "consequence=3&harm_c=1&spread=external&urgency=high&duty_personal=1"
			  "&duty_reasoning=Okrypterad+dator+med+personnummer").status, 303,
	       "and assesses a personal-data breach");
	oid = q1("SELECT id FROM incident_obligation WHERE incident_id = $1 AND receiver = 'imy'",
		 id);
	ok(oid > 0, "the IMY obligation appears");
	due = clock_format_iso(&fx->a, aware + 72 * 3600);
	is_str(cell("SELECT due_at FROM incident_obligation WHERE id = $1", oid), due,
	       "due 72 hours after awareness");
	r = fx_request(fx, NULL, "GET",
		       arena_printf(&fx->a, "/api/v1/orgs/alfa/incidents/%lld/obligations",
				    (long long)id), NULL, NULL, "Authorization",
		       arena_printf(&fx->a, "Bearer %s", token ? token : ""));
	ok(r.status == 200 && strstr(r.body, "\"receiver\":\"imy\"") &&
	   strstr(r.body, arena_printf(&fx->a, "\"due_at\":\"%s\"", due)) &&
	   strstr(r.body, "\"discharged_at\":null"),
	   "the API lists it under its incident with receiver, due_at and discharged_at");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld", (long long)id));
	ok(strstr(r.body, "72 h 0 min kvar") != NULL,
	   "the incident shows the 72-hour countdown");
	r = fx_get(fx, COORD, "/o/alfa/");
	ok(strstr(r.body, "1 anmälan till en myndighet (IMY, CSIRT m.fl.) är inte gjord") != NULL,
	   "the coordinator's start page says a report to an authority waits");
	r = fx_get(fx, COORD, "/o/alfa/overview");
	ok(strstr(r.body, "Anmälningar till myndigheter") && strstr(r.body, "Ska göras inom ett dygn"),
	   "and the overview counts the duties, those due within a day among them");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/documents/imy-breach-draft.pdf?id=%lld",
					   (long long)id));
	ok(r.status == 200 && strstr(fx_pdf_text(fx, &r), receipt),
	   "the draft for IMY prints, naming the incident");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/incident-obligations/%lld/discharge",
					    (long long)oid),
		    arena_printf(&fx->a, "version=%lld&when=%s&how=e_service&reference=IMY-2027-0042",
				 (long long)q1("SELECT version FROM incident_obligation WHERE id = $1",
					       oid),
				 fx_enc(fx, clock_format_iso(&fx->a, clock_now()))));
	is_int(r.status, 303, "the obligation is discharged with IMY's reference");
	is_str(cell("SELECT status FROM incident_obligation WHERE id = $1", oid), "discharged",
	       "discharged");
	r = fx_get(fx, COORD, "/o/alfa/");
	ok(!strstr(r.body, "anmälan till en myndighet"), "the start page's line is gone");
	/* covers R-8-17 (the register GDPR art. 33(5) requires) */
	r = fx_get(fx, COORD, "/o/alfa/breach-register");
	ok(r.status == 200 && strstr(r.body, receipt) && strstr(r.body, "Okrypterad dator") &&
	   strstr(r.body, "Register över personuppgiftsincidenter"),
	   "the breach register lists it with the reasoning and when IMY was notified");
	is_int(fx_get(fx, USER, "/o/alfa/breach-register").status, 403,
	       "the register is not a plain employee's");
	is_int(transition(COORD, id, "remediate", NULL).status, 303, "remediation");
	is_int(transition(COORD, id, "recover", "remediation=Datorn+sp%C3%A4rrad").status, 303,
	       "restored");
	is_int(transition(COORD, id, "investigate",
			  "root_cause_group=human_error&root_cause=Datorerna+%C3%A4r+inte+krypterade"
			  "&lessons=Kryptera+alla+b%C3%A4rbara+datorer").status, 303, "investigated");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld/action", (long long)id),
		    "title=Kryptera+hemtj%C3%A4nstens+datorer&end_on=2027-09-30");
	is_int(r.status, 303, "the root cause leads to an action");
	is_int(q1(arena_printf(&fx->a, "SELECT count(*) FROM incident_activity l JOIN activity a"
			       " ON a.id = l.activity_id WHERE l.source = 'incidents'"
			       " AND l.source_id = $1 AND a.plan_id = %lld", (long long)act_plan), id),
	       1, "in the action plan, linked to the incident");
	ok(send_due() >= 1, "the messages are sent");
	ok(strstr(mail_to(USER), receipt) && !strstr(mail_to(USER), "personnummer"),
	   "the reporter is told the state, without the incident's details");
}

TEST(teardown)
{
	mail_sink_stop(&sink);
}

int main(void)
{
	int rc;

	if (mail_sink_init(&sink) != 0)
		return 1;
	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	clock_set(0);
	return rc;
}
