/* test_mail.c - the outbox, SMTP and the review reminders (issue 8) against
 * a real SMTP server on loopback (tests/mail/smtp_sink.py, Debian's
 * python3-aiosmtpd), on the engine chosen by VARN_TEST_DB: what arrives
 * (To, an encoded Subject with å ä ö, both bodies), dedup, a refusing
 * server (failed at once, the answer on the outbox page), a server that is
 * down (queued, retried with growing back-off, sent once it is back),
 * resend (audited), the outbox page's access, and the reminders sent once
 * per new thing due, and the coordinators' weekly summary. */
#include "base/base.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <libgen.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/outbox.h"
#include "core/scheduler.h"
#include "core/smtp.h"
#include "db/db.h"
#include "fixture.h"
#include "mail_sink.h"
#include "modules/systems/reminders.h"
#include "tap.h"

#define T0 1780308000  /* 2026-06-01 12:00 in Stockholm */
#define ADMIN "admin@a.se"
#define COORD "samordnare@a.se"
#define ADMIN_B "admin@b.se"

static struct fixture *fx;
static struct mail_sink sink;

/* The server refuses every recipient (550) while on. */
static void refuse(int on)
{
	mail_sink_refuse(&sink, "refuse", on);
}

static int received(void)
{
	return mail_sink_count(&sink);
}

/* The n-th message the server saved (1-based), in fx->a. */
static const char *message(int n)
{
	return mail_sink_file(&sink, &fx->a, n, "eml");
}

/* Its subject and text part, decoded as a mail reader shows them. */
static const char *message_text(int n)
{
	return mail_sink_file(&sink, &fx->a, n, "txt");
}

static void sink_start(void)
{
	ok(mail_sink_start(&sink) == 0, "the SMTP server listens on port %d", sink.port);
}

/* A context like a job's, acting in org (or none). */
static void job_ctx(struct ctx *cx, struct org_ctx *oc, int64_t org)
{
	ctx_system(cx, &fx->a, fx->db, "job:test", VIA_JOB);
	cx->now = clock_now();
	if (org) {
		memset(oc, 0, sizeof *oc);
		oc->id = org;
		oc->slug = org == fx->org_alfa ? "alfa" : "beta";
		oc->name = org == fx->org_alfa ? "Alfa kommun" : "Beta kommun";
		cx->org = oc;
	}
}

static int send_due(void)
{
	struct ctx cx;
	struct db_error err;
	int n;

	job_ctx(&cx, NULL, 0);
	n = outbox_send_due(&cx, 100, &err);
	if (n < 0)
		printf("# send_due: %s\n", err.msg);
	return n;
}

static int64_t queue(const char *to, const char *subject, const char *dedup)
{
	struct ctx cx;
	struct org_ctx oc;
	struct db_error err;
	struct outbox_msg m = {
		.to = to, .subject = subject, .text = "Hej på dig, åäö!\n",
		.html = "<p>Hej på dig, <b>åäö</b>!</p>", .dedup_key = dedup,
	};

	job_ctx(&cx, &oc, fx->org_alfa);
	return outbox_enqueue(&cx, &m, &err);
}

static const char *cell(const char *sql, int64_t id)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(id)), &r, &err) != 0 || !r.nrows)
		return "";
	return db_cell(&r, 0, 0) ? db_cell(&r, 0, 0) : "";
}

/* The From header: a plain name as it is; one with a comma, quote or
 * angle bracket as an encoded word, so it cannot change the address. */
TEST(from_names_cannot_change_the_header)
{
	struct smtp_server srv = { .host = "h", .port = 25, .from_addr = "varn@alfa.se" };
	struct smtp_message msg = { .to = "a@alfa.se", .subject = "S", .text = "t", .id = 1,
				    .now = T0 };
	struct buf b = BUF_INIT;

	srv.from_name = "Varn Alfa";
	ok(smtp_format(&srv, &msg, &b) == 0, "formatted");
	has_str(b.p, "\r\nFrom: Varn Alfa <varn@alfa.se>\r\n", "a plain name as it is");
	buf_release(&b);
	srv.from_name = "IT, \"Alfa\" <evil@x.se>";
	ok(smtp_format(&srv, &msg, &b) == 0, "formatted");
	has_str(b.p, "\r\nFrom: =?UTF-8?B?", "a name with specials as an encoded word");
	lacks_str(b.p, "evil@x.se>", "whose address never reaches the header as one");
	buf_release(&b);
}

TEST(configured)
{
	struct ctx cx;
	struct db_error err;
	struct mail_config mc = {
		.host = "127.0.0.1", .port = sink.port, .security = "none",
		.from_addr = "varn@alfa.se", .from_name = "Värn Alfa",
		.base_url = "https://varn.alfa.se/", .enabled = 1, .password = "hemligt-123",
	};

	job_ctx(&cx, NULL, 0);
	ok(db_begin(fx->db, &err) == 0 && outbox_config_save(&cx, &mc, &err) == 0 &&
	   db_commit(fx->db, &err) == 0, "mail configured: %s", err.msg);
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'mail_config'"
			 " AND after_json LIKE '%hemligt%' AND $1 = 1", 1), 0,
	       "the password is not in the audit trail");
	{
		struct mail_config got;
		ok(outbox_config_load(&cx, &got, 0, &err) == 0 && got.has_password == 1 &&
		   got.password == NULL, "a password is said to be stored, and not loaded");
		has_str(cell("SELECT after_json FROM audit_event WHERE action = 'mail_config'"
			     " AND $1 = 1 ORDER BY seq DESC LIMIT 1", 1),
			"\"password_changed\":true", "the audit says the password changed");
	}
}

TEST(a_queued_message_arrives)
{
	int64_t id = queue("mottagare@alfa.se", "Påminnelse: åäö", "test:1");
	const char *m;

	ok(id > 0, "queued");
	is_int(queue("mottagare@alfa.se", "Påminnelse: åäö", "test:1"), 0,
	       "the same dedup key again: nothing queued");
	is_int(send_due(), 1, "one sent");
	is_int(received(), 1, "the server has it");
	m = message(1);
	has_str(m, "X-Envelope-To: mottagare@alfa.se", "to the recipient");
	has_str(m, "\nTo: <mottagare@alfa.se>", "To header");
	has_str(m, "Subject: =?UTF-8?B?UMOlbWlubmVsc2U6IMOlw6TDtg==?=",
		"the subject with å ä ö as an RFC 2047 word");
	has_str(m, "From: =?UTF-8?B?VsOkcm4gQWxmYQ==?= <varn@alfa.se>", "From with its name");
	has_str(m, "multipart/alternative", "text and HTML");
	has_str(m, "SGVqIHDDpSBkaWcsIMOlw6TDtiEK", "the text body");
	has_str(m, "PHA+SGVqIHDDpSBkaWcsIDxiPsOlw6TDtjwvYj4hPC9wPg==", "the HTML body");
	has_str(m, "Message-ID: <outbox-", "a Message-ID");
	has_str(m, "Date: Mon, 01 Jun 2026 10:00:00 +0000", "a Date from the clock");
	lacks_str(m, "hemligt", "no password anywhere");
	is_str(cell("SELECT state FROM outbox WHERE id = $1", id), "sent", "marked sent");
	has_str(cell("SELECT last_error FROM outbox WHERE id = $1", id), "250",
		"the server's answer kept");
	is_int(send_due(), 0, "nothing more is due");
}

TEST(a_refusal_fails_at_once_and_resend_works)
{
	int64_t id;
	struct fx_resp r;

	refuse(1);
	id = queue("okand@alfa.se", "Vägrat", NULL);
	is_int(send_due(), 0, "nothing sent");
	is_str(cell("SELECT state FROM outbox WHERE id = $1", id), "failed",
	       "a 5xx fails at once");
	has_str(cell("SELECT last_error FROM outbox WHERE id = $1", id),
		"550 5.1.1 Mailbox unavailable", "with the server's answer");
	r = fx_get(fx, ADMIN, "/o/alfa/outbox");
	is_int(r.status, 200, "the administrator's outbox page");
	has_str(r.body, "Misslyckat", "the failed badge");
	has_str(r.body, "550 5.1.1 Mailbox unavailable (test)", "the answer on the page");
	has_str(r.body, "Skickat", "the sent one too");
	has_str(r.body, "Skicka igen", "a resend button");
	has_str(r.body, "127.0.0.1", "the configured server");
	lacks_str(r.body, "hemligt", "never the password");
	is_int(fx_get(fx, COORD, "/o/alfa/outbox").status, 403, "a coordinator may not");
	is_int(fx_get(fx, ADMIN_B, "/o/alfa/outbox").status, 404,
	       "another organisation's administrator does not see it");
	r = fx_get(fx, ADMIN_B, "/o/beta/outbox");
	is_int(r.status, 200, "beta's own page");
	lacks_str(r.body, "okand@alfa.se", "without alfa's mail");
	is_int(fx_post(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/outbox/%lld/resend",
						 (long long)id), "").status, 404,
	       "beta cannot resend alfa's message");

	refuse(0);
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/outbox/%lld/resend", (long long)id), "");
	is_int(r.status, 303, "resend");
	is_str(cell("SELECT state FROM outbox WHERE id = $1", id), "queued", "queued again");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'mail_resend'"
			 " AND entity_id = $1", id), 1, "audited");
	is_int(send_due(), 1, "sent this time");
	is_str(cell("SELECT state FROM outbox WHERE id = $1", id), "sent", "marked sent");
}

TEST(a_server_that_is_down_keeps_it_queued)
{
	int64_t id, next1;
	int before;

	mail_sink_stop(&sink);
	id = queue("vantar@alfa.se", "Väntar", NULL);
	is_int(send_due(), 0, "nothing sent while the server is down");
	is_str(cell("SELECT state FROM outbox WHERE id = $1", id), "queued", "still queued");
	next1 = fx_scalar(fx, "SELECT next_attempt_at FROM outbox WHERE id = $1", id);
	is_int(next1 - clock_now(), 60, "next attempt in a minute");
	ok(strlen(cell("SELECT last_error FROM outbox WHERE id = $1", id)) > 0,
	   "the reason is kept");
	is_int(fx_scalar(fx, "SELECT attempts FROM outbox WHERE id = $1", id), 0,
	       "a server that is down does not count against the message");
	for (int i = 0; i < 10; i++) {
		clock_advance(61);
		send_due();
	}
	is_str(cell("SELECT state FROM outbox WHERE id = $1", id), "queued",
	       "ten minutes down: still queued, not failed");
	before = received();
	sink_start();
	clock_advance(61);
	is_int(send_due(), 1, "sent within a minute once the server is back");
	is_int(received(), before + 1, "the server has it");
	is_str(cell("SELECT state FROM outbox WHERE id = $1", id), "sent", "marked sent");
}

/* "Try again later" (451) to a recipient: retried with a back-off that
 * grows (1 min, 5 min, ... 12 h), failed after the sixth attempt. */
TEST(a_temporary_refusal_is_retried_with_growing_back_off)
{
	int64_t id, next1, next2;

	mail_sink_refuse(&sink, "refuse-for-now", 1);
	id = queue("senare@alfa.se", "Senare", NULL);
	is_int(send_due(), 0, "not sent: try again later");
	next1 = fx_scalar(fx, "SELECT next_attempt_at FROM outbox WHERE id = $1", id);
	is_int(next1 - clock_now(), 60, "next attempt in a minute");
	has_str(cell("SELECT last_error FROM outbox WHERE id = $1", id), "451",
		"the server's answer is kept");
	send_due();
	is_int(fx_scalar(fx, "SELECT attempts FROM outbox WHERE id = $1", id), 1,
	       "not tried again before it is due");
	clock_advance(61);
	send_due();
	next2 = fx_scalar(fx, "SELECT next_attempt_at FROM outbox WHERE id = $1", id);
	is_int(next2 - clock_now(), 300, "the back-off grows: five minutes");
	is_int(outbox_backoff(5), 43200, "twelve hours at the fifth");
	for (int i = 0; i < 4; i++) {
		clock_advance(43201);
		send_due();
	}
	is_str(cell("SELECT state FROM outbox WHERE id = $1", id), "failed",
	       "failed after the sixth attempt");
	is_int(fx_scalar(fx, "SELECT attempts FROM outbox WHERE id = $1", id), 6, "six attempts");
	mail_sink_refuse(&sink, "refuse-for-now", 0);
	fx_new_sessions(fx); /* the clock moved past the sessions' end */
}

/* A sender refused (553 to MAIL FROM: the settings are wrong, not the
 * message) or a server that is down: no message fails for good, the batch
 * stops at the first instead of trying each, and all go once it is fixed. */
TEST(a_server_that_refuses_us_stops_the_batch_and_fails_nothing)
{
	int64_t a, b;
	int before = received();

	a = queue("ett@alfa.se", "Första", "stop:1");
	b = queue("tva@alfa.se", "Andra", "stop:2");
	ok(a > 0 && b > 0, "two queued");
	mail_sink_refuse(&sink, "refuse-sender", 1);
	is_int(send_due(), 0, "none sent while the sender is refused");
	is_str(cell("SELECT state FROM outbox WHERE id = $1", a), "queued",
	       "the first stays queued (not failed: the fault is the settings')");
	has_str(cell("SELECT last_error FROM outbox WHERE id = $1", a), "553",
		"with the server's answer for the administrator");
	is_str(cell("SELECT last_error FROM outbox WHERE id = $1", b), "",
	       "the batch stopped: the second was not tried");
	mail_sink_refuse(&sink, "refuse-sender", 0);

	mail_sink_stop(&sink);
	clock_advance(3600);
	is_int(send_due(), 0, "a server that is down: none sent");
	is_int(fx_scalar(fx, "SELECT count(*) FROM outbox WHERE dedup_key LIKE 'stop:%'"
			 " AND state = 'queued' AND attempts = 0 AND $1 = 1", 1), 2,
	       "both queued, no attempt counted against them");
	/* the second is due first now (the first waits its minute) */
	ok(strlen(cell("SELECT last_error FROM outbox WHERE id = $1", b)) > 0 &&
	   strstr(cell("SELECT last_error FROM outbox WHERE id = $1", a), "553") != NULL,
	   "one connection attempt in the round (the second's), not one per message");
	sink_start();
	clock_advance(3600);
	is_int(send_due(), 2, "both sent once the server is back");
	is_int(received(), before + 2, "the server has both");
	fx_new_sessions(fx); /* the clock moved past the sessions' end */
}

static int64_t infoset(const char *name, int64_t owner, const char *review_on)
{
	struct fx_resp r = fx_post(fx, COORD, "/o/alfa/information",
				   owner ? arena_printf(&fx->a, "name=%s&owner_id=%lld", name,
							(long long)owner)
					 : arena_printf(&fx->a, "name=%s", name));
	int64_t id = fx_location_id(&r);
	struct db_error err;

	if (db_exec(fx->db, &fx->a, "UPDATE information_set SET review_on = $1 WHERE id = $2",
		    DB_ARGS(DB_TEXT(review_on), DB_INT(id)), NULL, &err) != 0)
		printf("# %s\n", err.msg);
	return id;
}

/* Runs the daily reminders (or the weekly summary) as the scheduler does
 * when its period is due: 0 when it ran and succeeded. */
static int run_job(int weekly)
{
	const char *name = weekly ? "review-summary" : "review-reminders";
	struct db_error err;
	struct buf log = BUF_INIT;
	int n, rc;

	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), name, &log, NULL, &err);
	if (n < 0)
		printf("# scheduler: %s\n", err.msg);
	printf("# %s", log.p ? log.p : "(nothing ran)\n");
	rc = n == 1 && log.p && strstr(log.p, ": ok") ? 0 : -1;
	buf_release(&log);
	return rc;
}

static int64_t mails_to(const char *addr)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, "SELECT count(*) FROM outbox WHERE to_addr = $1",
		    DB_ARGS(DB_TEXT(addr)), &r, &err) != 0)
		return -1;
	return db_cell_i64(&r, 0, 0);
}

/* covers the review reminders of issue 8 */
TEST(review_reminders_once_per_new_thing)
{
	int64_t owner = fx_add_member(fx, fx->org_alfa, "agare@a.se", "Örjan Ägare",
				      "informationsagare", 0);
	int64_t nomail = fx_add_member(fx, fx->org_alfa, "utan@a.se", "Utan Konto",
				       "informationsagare", 0);
	int before = received();
	const char *m;
	int64_t social;
	struct db_error err;

	/* an overdue set and one due in ten days; the owner without e-mail */
	infoset("Elevakter", owner, "2026-05-01");
	infoset("Bygglov", owner, "2026-06-11");
	{
		db_exec(fx->db, &fx->a, "UPDATE app_user SET disabled = 1 WHERE email = 'utan@a.se'",
			DB_NOARGS, NULL, &err);
	}
	infoset("Hemlig", nomail, "2026-05-02");
	/* made now (the coordinator's session would not last the days), due later */
	social = infoset("Socialakter", owner, NULL);

	is_int(run_job(0), 0, "the daily job runs");
	is_int(mails_to("agare@a.se"), 1, "exactly one message to the owner");
	is_int(mails_to("utan@a.se"), 0, "none to a disabled account");
	is_int(send_due(), 1, "sent");
	is_int(received(), before + 1, "the server has it");
	m = message(received());
	has_str(m, "X-Envelope-To: agare@a.se", "to the owner");

	clock_advance(86400);
	is_int(run_job(0), 0, "the next day");
	is_int(mails_to("agare@a.se"), 1, "no new message: nothing new is due");

	db_exec(fx->db, &fx->a, "UPDATE information_set SET review_on = '2026-05-20' WHERE id = $1",
		DB_ARGS(DB_INT(social)), NULL, &err);
	clock_advance(86400);
	run_job(0);
	is_int(mails_to("agare@a.se"), 2, "a newly overdue item: a new message");

	/* "Bygglov" (2026-06-11) becomes overdue */
	clock_advance(10 * 86400);
	run_job(0);
	is_int(mails_to("agare@a.se"), 3, "an item turned overdue: a new message");
	is_int(fx_scalar(fx, "SELECT count(*) FROM review_reminder WHERE person_id = $1",
			 owner), 4, "each item and stage remembered");

	is_int(run_job(1), 0, "the weekly summary runs");
	is_int(mails_to(COORD), 1, "the coordinator gets the summary");
	has_str(cell("SELECT body_text FROM outbox WHERE to_addr = 'samordnare@a.se'"
		     " AND $1 = 1", 1), "Elevakter", "listing the overdue set");
	has_str(cell("SELECT body_text FROM outbox WHERE to_addr = 'samordnare@a.se'"
		     " AND $1 = 1", 1), "saknar konto eller e-postadress: 1",
		"counting the owner who could not be reminded");
	has_str(cell("SELECT body_html FROM outbox WHERE to_addr = 'agare@a.se'"
		     " AND $1 = 1 ORDER BY id LIMIT 1", 1),
		"https://varn.alfa.se/o/alfa/information/", "absolute links to the records");
	send_due();
	has_str(message(received()), "X-Envelope-To: samordnare@a.se", "the summary arrived");
}

/* The "done when": a system owner is reminded about the overdue
 * classification of information their system holds, the message arrives
 * at the SMTP server, the start page shows the same, and the jobs page
 * says what the run did for the organisation. */
TEST(a_system_owner_is_reminded_of_an_overdue_classification)
{
	int64_t sysowner = fx_add_member(fx, fx->org_alfa, "sysagare@a.se", "Sara Systemägare",
					 "systemagare", 0);
	int64_t sys, inf;
	struct fx_resp r;
	const char *m, *page;
	int before = received();

	fx_new_sessions(fx); /* the earlier tests moved the clock days on */
	r = fx_post(fx, COORD, "/o/alfa/systems",
		    arena_printf(&fx->a, "name=Lonesystemet&hosting=own&lifecycle=operation"
				 "&personal_data=none&owner_id=%lld", (long long)sysowner));
	sys = fx_location_id(&r);
	inf = infoset("Loneuppgifter", 0, "2026-05-15");
	ok(sys > 0 && inf > 0, "a system with an owner, information without one");
	r = fx_post(fx, COORD, "/o/alfa/system-information",
		    arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				 (long long)inf));
	is_int(r.status, 303, "the system holds the information");

	r = fx_get(fx, "sysagare@a.se", "/o/alfa/");
	has_str(r.body, "1 informationsmängd i dina system ska omprövas",
		"the start page shows it before the mail does");

	clock_advance(86400);
	is_int(run_job(0), 0, "the daily reminders run through the scheduler");
	is_int(mails_to("sysagare@a.se"), 1, "one message to the system owner");
	is_int(send_due(), 1, "the outbox worker sends it");
	is_int(received(), before + 1, "the SMTP server has it");
	m = message(received());
	has_str(m, "X-Envelope-To: sysagare@a.se", "addressed to the system owner");
	m = message_text(received());
	has_str(m, "Subject: Värn: klassningar att se över i ", "a Swedish subject, decoded");
	has_str(m, "Hej Sara Systemägare!", "greeting the system owner by name");
	has_str(m, "Loneuppgifter", "naming the information");
	has_str(m, "2026-05-15", "and its review date");
	has_str(m, arena_printf(&fx->a, "https://varn.alfa.se/o/alfa/information/%lld",
				(long long)inf), "with a link to it");
	ok(strstr(m, "varn_session") == NULL && strstr(m, "csrf") == NULL, "and no secret");

	fx_new_sessions(fx);
	page = fx_get(fx, ADMIN, "/o/alfa/jobs/runs?job=review-reminders").body;
	has_str(page, "1 påminnelse om omprövning skickad",
		"the jobs page says what the run did for the organisation");
	page = fx_get(fx, ADMIN_B, "/o/beta/jobs/runs?job=review-reminders").body;
	ok(strstr(page, "om omprövning skickad") == NULL,
	   "another organisation's administrators do not see it");
	clock_advance(86400);
	is_int(run_job(0), 0, "the next day");
	is_int(mails_to("sysagare@a.se"), 1, "not reminded again of the same thing");
}

/* A message is in its recipient's language (the account's, chosen on the
 * account page): the same reminder in English. */
TEST(a_reminder_in_the_recipients_language)
{
	int64_t owner = fx_add_member(fx, fx->org_alfa, "owner-en@a.se", "Emma English",
				      "systemagare", 0);
	int64_t sys, inf;
	struct fx_resp r;
	struct db_error err;
	const char *m;
	int before;

	fx_new_sessions(fx);
	ok(db_exec(fx->db, &fx->a, "UPDATE app_user SET lang = 'en' WHERE email = 'owner-en@a.se'",
		   DB_NOARGS, NULL, &err) == 0, "her account reads English");
	r = fx_post(fx, COORD, "/o/alfa/systems",
		    arena_printf(&fx->a, "name=Payroll&hosting=own&lifecycle=operation"
				 "&personal_data=none&owner_id=%lld", (long long)owner));
	sys = fx_location_id(&r);
	inf = infoset("Salaries", 0, "2026-05-20");
	r = fx_post(fx, COORD, "/o/alfa/system-information",
		    arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				 (long long)inf));
	is_int(r.status, 303, "her system holds overdue information");
	clock_advance(86400);
	is_int(run_job(0), 0, "the daily reminders run");
	before = received();
	send_due();
	ok(received() > before, "a message arrived");
	m = message_text(received());
	has_str(m, "Subject: Värn: classifications to review in ", "an English subject");
	has_str(m, "Hello Emma English,", "an English greeting");
	lacks_str(m, "Hej ", "no Swedish greeting");
}

/* Sent mail is kept 180 days, then the daily history job removes it;
 * queued and failed messages stay. */
TEST(sent_mail_is_removed_after_180_days)
{
	struct db_error err;
	struct buf log = BUF_INIT;
	int64_t sent = fx_scalar(fx, "SELECT count(*) FROM outbox WHERE state = 'sent'"
				 " AND $1 = 1", 1);
	int64_t other = fx_scalar(fx, "SELECT count(*) FROM outbox WHERE state <> 'sent'"
				  " AND $1 = 1", 1);

	ok(sent > 0, "some messages were sent (%lld)", (long long)sent);
	clock_advance(181 * 86400);
	is_int(scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "history", &log, NULL,
				 &err), 1, "the history job runs");
	has_str(log.p, arena_printf(&fx->a, "%lld messages sent more than 180 days ago removed",
				    (long long)sent), "and says how many it removed");
	is_int(fx_scalar(fx, "SELECT count(*) FROM outbox WHERE state = 'sent' AND $1 = 1", 1),
	       0, "no sent message is left");
	is_int(fx_scalar(fx, "SELECT count(*) FROM outbox WHERE state <> 'sent' AND $1 = 1", 1),
	       other, "the queued and failed ones stay");
	buf_release(&log);
}

int main(void)
{
	int rc;

	signal(SIGPIPE, SIG_IGN);
	clock_set(T0);
	if (mail_sink_init(&sink) != 0)
		return 1;
	fx = fixture_new();
	sink_start();
	rc = tap_run();
	mail_sink_stop(&sink);
	fixture_free(fx);
	return rc;
}
