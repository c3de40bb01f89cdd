/* test_web.c - the generic pages as their users meet them (issue 7), on
 * the engine chosen by VARN_TEST_DB: a list sorted by a reference sorts by
 * the referenced record's name; adding a linked record from its parent's
 * page returns there with a word about what was added, and a foreign
 * return address is refused; archiving asks first and an archived record
 * says so; the audit trail names records, says yes/no and who the command
 * line is, and a record's history holds its parts' events; Swedish plural
 * forms; levels as chips and overdue dates in words; the sign-in page in
 * Swedish with a language choice that lasts. */
#include "base/base.h"

#include <unistd.h>

#include "core/scheduler.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/i18n.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"

static const char *sv(int msg)
{
	return msg_text(LANG_SV, msg);
}

static int64_t created(struct fx_resp r)
{
	return r.status == 303 ? fx_location_id(&r) : 0;
}

static int64_t new_system(const char *name)
{
	return created(fx_post(fx, COORD, "/o/alfa/systems",
			       arena_printf(&fx->a, "name=%s&hosting=own&lifecycle=operation"
					    "&personal_data=none", name)));
}

static int64_t new_person(const char *name)
{
	return created(fx_post(fx, COORD, "/o/alfa/people",
			       arena_printf(&fx->a, "name=%s&employment=active", name)));
}

#define path(fmt, id) arena_printf(&fx->a, fmt, id)

/* issue 7: "the roles list sorts by Person in insertion order today" */
TEST(a_reference_column_sorts_by_the_referenced_name)
{
	/* made in the order Ö, A, M: insertion order is not name order */
	int64_t o = new_person("%C3%96rjan+Sist");
	int64_t a = new_person("Adam+F%C3%B6rst");
	int64_t m = new_person("Mats+Mitten");
	struct fx_resp r;
	const char *po, *pa, *pm, *after;
	int pages = 0, seen = 0;

	ok(o && a && m, "three people");
	ok(created(fx_post(fx, ADMIN, "/o/alfa/roles",
			   arena_printf(&fx->a, "person_id=%lld&role=systemforvaltare", (long long)o))) &&
	   created(fx_post(fx, ADMIN, "/o/alfa/roles",
			   arena_printf(&fx->a, "person_id=%lld&role=systemforvaltare", (long long)a))) &&
	   created(fx_post(fx, ADMIN, "/o/alfa/roles",
			   arena_printf(&fx->a, "person_id=%lld&role=systemforvaltare", (long long)m))),
	   "a role each");
	r = fx_get(fx, COORD, "/o/alfa/roles?sort=person_id&limit=200");
	is_int(r.status, 200, "the roles list sorted by person");
	pa = strstr(r.body, ">Adam Först</a></th>");
	pm = strstr(r.body, ">Mats Mitten</a></th>");
	po = strstr(r.body, ">Örjan Sist</a></th>");
	ok(pa && pm && po && pa < pm && pm < po, "by name: Adam, Mats, Örjan (Swedish order)");
	r = fx_get(fx, COORD, "/o/alfa/roles?sort=person_id&desc=1&limit=200");
	pa = strstr(r.body, ">Adam Först</a></th>");
	po = strstr(r.body, ">Örjan Sist</a></th>");
	ok(pa && po && po < pa, "and reversed on request");
	/* keyset paging on the name: one row a page, every role once */
	after = NULL;
	for (; pages < 50; pages++) {
		r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/roles?sort=person_id&limit=1%s%s",
						   after ? "&after=" : "", after ? after : ""));
		if (r.status != 200)
			break;
		if (strstr(r.body, ">Mats Mitten</a></th>"))
			seen++;
		after = strstr(r.body, "after=");
		if (!after)
			break;
		after = arena_strndup(&fx->a, after + 6, strcspn(after + 6, "\"&"));
	}
	is_int(r.status, 200, "every page of the name-sorted list reads");
	is_int(seen, 1, "Mats is on exactly one page");
	is_int(pages + 1, fx_scalar(fx, "SELECT count(*) FROM role_assignment WHERE org_id = $1"
				    " AND archived = 0", fx->org_alfa),
	       "one page per role: none lost, none twice");
}

/* issue 7 "Fewer detours": back to the system with a word */
TEST(adding_from_the_parent_returns_there_with_a_message)
{
	int64_t p = new_system("Procapita"), l = new_system("Lifecare");
	struct fx_resp r;
	int64_t dep;

	ok(p && l, "two systems");
	r = fx_get(fx, COORD, path("/o/alfa/dependencies/new?system_id=%lld", (long long)p));
	is_int(r.status, 200, "the new dependency form, opened from the system");
	has_str(r.body, arena_printf(&fx->a, "name=\"return\" value=\"/o/alfa/systems/%lld\"",
				     (long long)p), "carries the system's page as where to return");
	r = fx_post(fx, COORD, "/o/alfa/dependencies",
		    arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction=out"
				 "&return=%%2Fo%%2Falfa%%2Fsystems%%2F%lld",
				 (long long)p, (long long)l, (long long)p));
	is_int(r.status, 303, "saved");
	is_str(r.location, path("/o/alfa/systems/%lld", (long long)p), "back to the system");
	dep = fx_scalar(fx, "SELECT max(id) FROM system_dependency WHERE org_id = $1", fx->org_alfa);
	has_str(r.set_cookie ? r.set_cookie : "",
		arena_printf(&fx->a, "varn_flash=dependencies.%lld", (long long)dep),
		"with the added record to name");
	r = fx_request(fx, NULL, "GET", path("/o/alfa/systems/%lld", (long long)p), NULL, NULL,
		       "Cookie", arena_printf(&fx->a, "%s; varn_flash=dependencies.%lld",
					      fx_cookie(fx, COORD), (long long)dep));
	is_int(r.status, 200, "the system's page");
	has_str(r.body, "Beroende har lagts till: Procapita – Lifecare",
		"names what was added");
	has_str(r.set_cookie ? r.set_cookie : "", "varn_flash=; ", "once: the cookie is cleared");
	/* the cookie is the browser's: a forged one names nothing the person
	 * may not read, nor anything but what was just made */
	r = fx_request(fx, NULL, "GET", "/o/alfa/", NULL, NULL,
		       "Cookie", arena_printf(&fx->a, "%s; varn_flash=dependencies.%lld",
					      fx_cookie(fx, USER), (long long)dep));
	is_int(r.status, 200, "a plain user's start page with a forged message cookie");
	lacks_str(r.body, "Procapita", "names no system the plain user may not read");
	fx_scalar(fx, "UPDATE system_dependency SET created_at = created_at - 3600 WHERE id = $1"
		  " RETURNING id", dep);
	r = fx_request(fx, NULL, "GET", path("/o/alfa/systems/%lld", (long long)p), NULL, NULL,
		       "Cookie", arena_printf(&fx->a, "%s; varn_flash=dependencies.%lld",
					      fx_cookie(fx, COORD), (long long)dep));
	lacks_str(r.body, "har lagts till", "nor a record made long ago");

	/* a refused form keeps where to return */
	r = fx_post(fx, COORD, "/o/alfa/dependencies",
		    arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction="
				 "&return=%%2Fo%%2Falfa%%2Fsystems%%2F%lld",
				 (long long)p, (long long)l, (long long)p));
	is_int(r.status, 422, "without a direction it comes back");
	has_str(r.body, arena_printf(&fx->a, "name=\"return\" value=\"/o/alfa/systems/%lld\"",
				     (long long)p), "still knowing where to return");

	/* from an information set: the one reference given is the way back */
	r = fx_post(fx, COORD, "/o/alfa/information", "name=Journaler");
	{
		int64_t inf = created(r);
		ok(inf > 0, "an information set");
		r = fx_get(fx, COORD, path("/o/alfa/system-information/new?infoset_id=%lld",
					   (long long)inf));
		has_str(r.body, arena_printf(&fx->a, "name=\"return\" value=\"/o/alfa/information/%lld\"",
					     (long long)inf),
			"an information link opened from the set returns to the set");
	}
}

TEST(a_foreign_return_address_is_refused)
{
	int64_t p = new_system("Heroma"), l = new_system("Visma");
	static const char *const bad[] = {
		"https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example%2Fo%2Falfa%2F",
		"%2Fo%2Fbeta%2Fsystems%2F1", "%2Fo%2Falfa%2F..%2F..%2Flogga-ut",
		"%2Fo%2Falfa%2Fsystems%3Fx%3D%22%3E", "%2Flogga-in",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct fx_resp r = fx_post(fx, COORD, "/o/alfa/dependencies",
			arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction=in&return=%s",
				     (long long)p, (long long)l, bad[i]));
		is_int(r.status, 303, "saved despite a foreign return address");
		ok(r.location && strncmp(r.location, "/o/alfa/dependencies/", 21) == 0,
		   "but shown on its own page, not sent to %s: %s", bad[i],
		   r.location ? r.location : "-");
		ok(!r.set_cookie || !strstr(r.set_cookie, "varn_flash"), "and no message is kept");
	}
	{
		struct fx_resp r = fx_get(fx, COORD, "/o/alfa/dependencies/new?return=https%3A%2F%2Fevil.example%2F");
		lacks_str(r.body, "evil.example", "the form does not carry a foreign address");
	}
}

/* issue 7: "Archiving asks for confirmation and says what happens" */
TEST(archiving_asks_first_and_the_archived_record_says_so)
{
	struct fx_resp r = fx_post(fx, ADMIN, "/o/alfa/units", "name=Gamla+enheten&kind=enhet");
	int64_t u = created(r);

	ok(u > 0, "a unit");
	r = fx_get(fx, ADMIN, path("/o/alfa/units/%lld", (long long)u));
	has_str(r.body, arena_printf(&fx->a, "href=\"/o/alfa/units/%lld/archive\"", (long long)u),
		"the unit's page links to the archive page");
	lacks_str(r.body, arena_printf(&fx->a, "action=\"/o/alfa/units/%lld/archive\"", (long long)u),
		  "rather than archiving at a click");
	r = fx_get(fx, ADMIN, path("/o/alfa/units/%lld/archive", (long long)u));
	is_int(r.status, 200, "the confirmation page");
	has_str(r.body, sv(M_ARCHIVE_KEPT), "says the record stays");
	has_str(r.body, sv(M_ARCHIVE_HIDDEN), "that it leaves the lists");
	has_str(r.body, sv(M_ARCHIVE_RESTORABLE), "that it can be restored");
	has_str(r.body, sv(M_ARCHIVE_HISTORY), "and that the history stays");
	is_int(fx_scalar(fx, "SELECT archived FROM unit WHERE id = $1", u), 0, "nothing done yet");
	r = fx_post(fx, ADMIN, path("/o/alfa/units/%lld/archive", (long long)u), "version=1");
	is_int(r.status, 303, "confirmed");
	is_int(fx_scalar(fx, "SELECT archived FROM unit WHERE id = $1", u), 1, "archived");
	r = fx_get(fx, ADMIN, path("/o/alfa/units/%lld", (long long)u));
	has_str(r.body, sv(M_ARCHIVED_BANNER), "the archived unit says so");
	has_str(r.body, arena_printf(&fx->a, "action=\"/o/alfa/units/%lld/restore\"", (long long)u),
		"with the restore button");
	r = fx_get(fx, "anvandare@a.se", path("/o/alfa/units/%lld", (long long)u));
	if (r.status == 200)
		lacks_str(r.body, "/restore\"", "a reader sees no restore button");
	else
		ok(1, "a plain user does not read units");
}

/* covers R-17-04 (before/after, in words), R-17-07 (by record, with its parts) */
TEST(the_audit_trail_in_words)
{
	int64_t p = new_system("Treserva"), l = new_system("Lifecare+SP");
	int64_t u = created(fx_post(fx, ADMIN, "/o/alfa/units", "name=Socialtj%C3%A4nsten&kind=enhet"));
	int64_t inf;
	struct fx_resp r;
	struct audit_event ev = { 0 };

	ok(p && l && u, "two systems and a unit");
	ok(created(fx_post(fx, COORD, "/o/alfa/dependencies",
			   arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction=both",
					(long long)p, (long long)l))), "a dependency");
	inf = created(fx_post(fx, COORD, "/o/alfa/information",
			      arena_printf(&fx->a, "name=Akter&personal_data=1&unit_id=%lld",
					   (long long)u)));
	ok(inf > 0, "an information set with personal data");

	r = fx_get(fx, COORD, path("/o/alfa/audit?entity=systems&entity_id=%lld", (long long)p));
	is_int(r.status, 200, "the system's history");
	has_str(r.body, "Historik: Treserva", "named by the system's name");
	has_str(r.body, "Beroenden och integrationer: Treserva", "holds its dependency's event");
	has_str(r.body, "<ins>Lifecare SP</ins>", "the other system by name");
	lacks_str(r.body, arena_printf(&fx->a, "#%lld", (long long)l), "not by number");

	r = fx_get(fx, COORD, path("/o/alfa/audit?entity=information&entity_id=%lld", (long long)inf));
	has_str(r.body, "Personuppgifter</span>: <ins>Ja</ins>", "a yes/no field reads Ja");
	has_str(r.body, "<ins>Socialtjänsten</ins>", "the unit by name");

	/* the command line writes as varn-cli */
	ev.org_id = fx->org_alfa;
	ev.actor = "varn-cli";
	ev.action = "update";
	ev.entity = "units";
	ev.entity_id = u;
	ev.summary = "Socialtjänsten";
	ev.before = "{\"name\":\"Socialtjänsten\"}";
	ev.after = "{\"name\":\"Socialtjänst\"}";
	ok(audit_append_now(fx->db, &fx->a, &ev) == 0, "an operator's change");
	r = fx_get(fx, COORD, path("/o/alfa/audit?entity=units&entity_id=%lld", (long long)u));
	has_str(r.body, "kommandoraden (operatör)", "the command line is named as the operator");
	lacks_str(r.body, ">varn-cli<", "not by its code");

	/* the trail by record, user and period, as CSV (R-17-07) */
	r = fx_get(fx, COORD, path("/o/alfa/audit.csv?entity=systems&entity_id=%lld", (long long)p));
	is_int(r.status, 200, "the record's history as CSV");
	has_str(r.body, "dependencies", "with its parts' events");
	lacks_str(r.body, "information", "and nothing else's");
	r = fx_get(fx, COORD, "/o/alfa/audit.csv?actor=varn-cli");
	has_str(r.body, "varn-cli", "by user");
	lacks_str(r.body, "samordnare@a.se", "only that user");
	r = fx_get(fx, COORD, "/o/alfa/audit.csv?from=2000-01-01&to=2000-01-02");
	lacks_str(r.body, "update", "a period without events has none");
}

TEST(swedish_plurals)
{
	struct fx_resp r;

	ok(created(fx_post(fx, ADMIN, "/o/alfa/units", "name=Pluralis+ett&kind=enhet")) > 0 &&
	   created(fx_post(fx, ADMIN, "/o/alfa/units", "name=Pluralis+tv%C3%A5&kind=enhet")) > 0,
	   "two units");
	r = fx_get(fx, ADMIN, "/o/alfa/units?q=pluralis+ett");
	has_str(r.body, ">1 träff<", "one hit: träff");
	r = fx_get(fx, ADMIN, "/o/alfa/units?q=pluralis");
	has_str(r.body, ">2 träffar<", "two: träffar");
	r = fx_get(fx, ADMIN, "/o/alfa/units?archived=1&kind=enhet");
	has_str(r.body, "Filter (2 aktiva)", "the folded filters say how many are in use");
	r = fx_get(fx, ADMIN, "/o/alfa/units?kind=enhet");
	has_str(r.body, "Filter (1 aktivt)", "one: aktivt");
}

/* issue 7: "Never classified is not 0"; overdue review dates stand out */
TEST(levels_as_chips_and_overdue_dates)
{
	int64_t inf = created(fx_post(fx, COORD, "/o/alfa/information", "name=Oklassad+m%C3%A4ngd"));
	struct fx_resp r;
	struct db_error err;
	struct db_rows rows;

	ok(inf > 0, "an information set");
	/* never classified: no level at all (the engine still writes 0 on
	 * create; the systems module's part of issue 7 makes that NULL) */
	ok(db_exec(fx->db, &fx->a, "UPDATE information_set SET level_k = NULL, level_r = NULL,"
		   " level_t = NULL, level_s = NULL WHERE id = $1", DB_ARGS(DB_INT(inf)), &rows,
		   &err) == 0, "not classified");
	r = fx_get(fx, COORD, path("/o/alfa/information/%lld", (long long)inf));
	has_str(r.body, "<span class=\"level none\">Ej klassad</span>",
		"an unclassified level reads Ej klassad");
	lacks_str(r.body, ">K0<", "never K0");
	ok(db_exec(fx->db, &fx->a, "UPDATE information_set SET review_on = '2020-03-01',"
		   " level_k = 3 WHERE id = $1", DB_ARGS(DB_INT(inf)), &rows, &err) == 0,
	   "a review date in the past, K3");
	r = fx_get(fx, COORD, "/o/alfa/information?q=oklassad");
	has_str(r.body, "2020-03-01 (försenad)", "the overdue date says so in words");
	has_str(r.body, "class=\"overdue\"", "and stands out");
	has_str(r.body, "title=\"Nivå 3\">K3</span>", "the level is a chip with text");
}

TEST(sign_in_in_swedish_with_a_language_choice)
{
	struct fx_resp r = fx_request(fx, NULL, "GET", "/logga-in", NULL, NULL,
				      "Accept-Language", "en-GB,en");

	is_int(r.status, 200, "the sign-in page");
	has_str(r.body, "<html lang=\"sv\"", "in Swedish, the organisations' language");
	has_str(r.body, "href=\"/sprak?lang=en\"", "with a choice of English");
	has_str(r.body, "lang=\"en\"", "named in English");
	r = fx_get(fx, NULL, "/sprak?lang=en");
	is_int(r.status, 303, "choosing English");
	is_str(r.location, "/logga-in", "back to the sign-in page");
	has_str(r.set_cookie ? r.set_cookie : "", "varn_lang=en", "remembered by the browser");
	r = fx_request(fx, NULL, "GET", "/logga-in", NULL, NULL, "Cookie", "varn_lang=en");
	has_str(r.body, "<html lang=\"en\"", "the sign-in page in English");
	has_str(r.body, ">Sign in<", "saying Sign in");
	r = fx_get(fx, NULL, "/sprak?lang=en&next=%2Fo%2Falfa%2Fsystems");
	is_str(r.location, "/logga-in?next=%2Fo%2Falfa%2Fsystems", "keeps where to go after");
	r = fx_get(fx, NULL, "/sprak?lang=en&next=%2F%2Fevil.example");
	is_str(r.location, "/logga-in", "but never off the site");
	r = fx_get(fx, NULL, "/sprak?lang=xx");
	is_int(r.status, 400, "an unknown language is refused");
	/* after signing in: the choice stays unless the account has its own */
	r = fx_request(fx, COORD, "GET", "/o/alfa/", NULL, NULL, "Cookie",
		       arena_printf(&fx->a, "%s; varn_lang=en", fx_cookie(fx, COORD)));
	has_str(r.body, "<html lang=\"en\"", "signed in, the browser's choice is used");
	r = fx_get(fx, COORD, "/o/alfa/");
	has_str(r.body, "<html lang=\"sv\"", "without it, Swedish");
}

TEST(several_organisations_have_a_switcher)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/");

	has_str(r.body, "class=\"org-switch\"", "the coordinator of two organisations can switch");
	has_str(r.body, "href=\"/o/beta/\"", "to the other one");
	r = fx_get(fx, ADMIN, "/o/alfa/");
	lacks_str(r.body, "class=\"org-switch\"", "one organisation: no switcher");
}

TEST(phones_print_and_errors)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/systems");

	has_str(r.body, "class=\"table-wrap\" tabindex=\"0\" role=\"region\"",
		"a wide table scrolls in a region the keyboard reaches");
	has_str(r.body, "class=\"print-head\"", "a print header");
	has_str(r.body, "<details class=\"more-filters\">", "the filters fold away");
	r = fx_post(fx, COORD, "/o/alfa/systems", "name=");
	is_int(r.status, 422, "a refused form");
	has_str(r.body, "tabindex=\"-1\" autofocus id=\"errors\"",
		"its error summary takes the focus, without JavaScript");
	has_str(r.body, "href=\"#f-name\"", "and links to the field");
}

/* The value of a cookie named name in a Set-Cookie header. */
static const char *cookie_value(const char *set_cookie, const char *name)
{
	const char *p = set_cookie ? strstr(set_cookie, name) : NULL;

	if (!p || p[strlen(name)] != '=')
		return NULL;
	p += strlen(name) + 1;
	return arena_strndup(&fx->a, p, strcspn(p, ";"));
}

/* covers R-17-01 (the user identity of a session), R-17-02 (sign-in with
 * date and time), R-17-03 (sign-out with date and time): through the real
 * sign-in form, then read back in the audit trail and its export */
TEST(sign_in_and_sign_out_are_in_the_security_log)
{
	struct db_error err;
	struct fx_resp r;
	const char *pre, *sess, *csrf;
	int64_t uid = fx_user_id(fx, ADMIN);

	ok(user_set_password(fx->db, &fx->a, uid, "korrekt häst batteri", &err) == 0,
	   "the administrator has a password");
	r = fx_get(fx, NULL, "/logga-in");
	pre = cookie_value(r.set_cookie, "varn_pre");
	ok(pre != NULL, "the sign-in form's double-submit cookie");
	r = fx_request(fx, NULL, "POST", "/logga-in",
		       arena_printf(&fx->a, "pre=%s&email=admin%%40a.se&password=korrekt+h%%C3%%A4st+batteri", pre),
		       "application/x-www-form-urlencoded", "Cookie",
		       arena_printf(&fx->a, "varn_pre=%s", pre));
	is_int(r.status, 303, "signed in through the form");
	sess = cookie_value(r.set_cookie, "varn_session");
	ok(sess != NULL, "a session");
	r = fx_request(fx, NULL, "GET", "/konto", NULL, NULL, "Cookie",
		       arena_printf(&fx->a, "varn_session=%s", sess));
	csrf = strstr(r.body, "name=\"csrf\" value=\"");
	csrf = csrf ? arena_strndup(&fx->a, csrf + 19, strcspn(csrf + 19, "\"")) : "";
	r = fx_request(fx, NULL, "POST", "/logga-ut", arena_printf(&fx->a, "csrf=%s", csrf),
		       "application/x-www-form-urlencoded", "Cookie",
		       arena_printf(&fx->a, "varn_session=%s", sess));
	is_int(r.status, 303, "signed out");
	r = fx_get(fx, COORD, "/o/alfa/audit?actor=admin%40a.se&action=signin");
	has_str(r.body, ">Loggade in<", "the sign-in is in the trail");
	has_str(r.body, "admin@a.se", "with the user");
	ok(strstr(r.body, "<time>20") != NULL, "and the date and time");
	r = fx_get(fx, COORD, "/o/alfa/audit?actor=admin%40a.se&action=signout");
	has_str(r.body, ">Loggade ut<", "the sign-out too");
	r = fx_get(fx, COORD, "/o/alfa/audit.csv?actor=admin%40a.se");
	has_str(r.body, ";signin;", "and both in the export");
	has_str(r.body, ";signout;", "(sign-out)");
}

/* covers R-17-07 (the trail as each viewer may read it)
 * The actor of a person with a protected identity is masked in the trail
 * and its export for those without a need to know (the coordinator), as
 * the person's record is; the administrators see it. */
TEST(a_protected_persons_actor_is_masked_in_the_trail)
{
	struct db_error err;
	struct fx_resp r;
	int64_t uid = fx_user_id(fx, ADMIN);
	struct audit_event ev = { 0 };

	ok(db_exec(fx->db, &fx->a, "UPDATE person SET protected_identity = 1 WHERE user_id = $1",
		   DB_ARGS(DB_INT(uid)), NULL, &err) == 0, "the administrator's person is protected");
	ev.user_id = uid;
	ev.actor = "admin@a.se";
	ev.action = "signin";
	ev.entity = "";
	ev.summary = "password";
	ev.ip = "192.0.2.44";
	ok(audit_append_now(fx->db, &fx->a, &ev) == 0, "a sign-in of theirs is in the trail");
	r = fx_get(fx, COORD, "/o/alfa/audit?action=signin");
	is_int(r.status, 200, "the coordinator reads the trail");
	has_str(r.body, "192.0.2.44", "the event is shown");
	lacks_str(r.body, "admin@a.se", "but not who it was");
	has_str(r.body, sv(M_PROTECTED_IDENTITY), "the actor reads as a protected identity");
	r = fx_get(fx, COORD, "/o/alfa/audit.csv?action=signin");
	lacks_str(r.body, "admin@a.se", "the export masks the actor too");
	has_str(r.body, sv(M_PROTECTED_IDENTITY), "(as a protected identity)");
	r = fx_get(fx, ADMIN, "/o/alfa/audit?action=signin");
	has_str(r.body, "admin@a.se", "an administrator has the need to know");
	ok(db_exec(fx->db, &fx->a, "UPDATE person SET protected_identity = 0 WHERE user_id = $1",
		   DB_ARGS(DB_INT(uid)), NULL, &err) == 0, "(protection lifted again)");
}

/* covers R-17-05 (who follows the log up and how often; each follow-up
 * recorded), R-17-06 (how long it is kept; nothing removed) */
TEST(the_log_is_followed_up_as_the_organisation_decided)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/audit");

	has_str(r.body, sv(M_LOG_FOLLOWUP), "the audit page has the follow-up card");
	has_str(r.body, sv(M_LOG_NO_FOLLOWUP), "never followed up yet");
	r = fx_get(fx, COORD, "/o/alfa/audit/settings");
	is_int(r.status, 200, "the coordinator sets the rules");
	r = fx_post(fx, COORD, "/o/alfa/audit/settings", "version=1&by=Samordnaren&days=0&years=x");
	is_int(r.status, 422, "a wrong number is refused");
	has_str(r.body, sv(M_LOG_V_DAYS), "saying what is allowed");
	has_str(r.body, "href=\"#f-days\"", "linked from the summary");
	r = fx_post(fx, COORD, "/o/alfa/audit/settings", "version=1&by=Samordnaren&days=30&years=5");
	is_int(r.status, 303, "saved");
	r = fx_post(fx, COORD, "/o/alfa/audit/settings", "version=1&by=N%C3%A5gon&days=7&years=1");
	is_int(r.status, 409, "an old version is refused");
	r = fx_get(fx, COORD, "/o/alfa/audit");
	has_str(r.body, "Samordnaren", "who follows up");
	has_str(r.body, "Var 30:e dag", "how often");
	has_str(r.body, "5 år.", "how long it is kept");
	has_str(r.body, sv(M_LOG_NEVER_REMOVED), "and that nothing is removed");
	has_str(r.body, "<ins>Samordnaren</ins>", "the change is itself in the trail");
	r = fx_post(fx, COORD, "/o/alfa/audit/followup", "note=Inga+avvikelser");
	is_int(r.status, 303, "a follow-up done");
	r = fx_get(fx, COORD, "/o/alfa/audit");
	has_str(r.body, "Inga avvikelser", "the last follow-up with its note");
	lacks_str(r.body, sv(M_LOG_NO_FOLLOWUP), "no longer never");
	has_str(r.body, ">Följde upp loggen<", "as an event of the trail");
	r = fx_get(fx, "anvandare@a.se", "/o/alfa/audit/settings");
	ok(r.status == 403 || r.status == 404, "a plain user cannot set them");
	r = fx_post(fx, "anvandare@a.se", "/o/alfa/audit/followup", "note=x");
	ok(r.status == 403 || r.status == 404, "nor record a follow-up");
}

/* The chain's head kept outside the database: the organisation names an
 * address, the daily job mails the head there (once a day) and appends it
 * to the file the server was given; the audit page shows the head. */
TEST(the_audit_head_is_sent_out_daily)
{
	struct fx_resp r;
	struct db_error err;
	struct buf log = BUF_INIT;
	char path[] = "/tmp/varn-head-XXXXXX";
	int fd = mkstemp(path);
	int64_t version = fx_scalar(fx, "SELECT version FROM organisation WHERE id = $1",
				    fx_scalar(fx, "SELECT id FROM organisation WHERE slug = 'alfa' AND $1 = $1", 0));
	int n;
	FILE *f;
	char line[256] = "";

	ok(fd >= 0, "a file for the heads");
	close(fd);
	r = fx_post(fx, COORD, "/o/alfa/audit/settings",
		    arena_printf(&fx->a, "version=%lld&by=S&days=30&years=5&head_to=inte+en+adress",
				 (long long)version));
	is_int(r.status, 422, "an address that is none is refused");
	has_str(r.body, sv(M_LOG_V_HEAD_TO), "saying what to give");
	r = fx_post(fx, COORD, "/o/alfa/audit/settings",
		    arena_printf(&fx->a, "version=%lld&by=S&days=30&years=5&head_to=revision%%40a.se",
				 (long long)version));
	is_int(r.status, 303, "the address is saved");
	r = fx_get(fx, COORD, "/o/alfa/audit");
	has_str(r.body, "revision@a.se", "the audit page says where the head goes");
	has_str(r.body, "class=\"head-hash\">", "and shows the head now");
	audit_head_file = path;
	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "audit-head", &log, NULL, &err);
	audit_head_file = NULL;
	is_int(n, 1, "the daily job runs");
	has_str(log.p ? log.p : "", "mailed to 1 organisation", "and mails one organisation");
	buf_release(&log);
	is_int(fx_scalar(fx, "SELECT count(*) FROM outbox WHERE to_addr = 'revision@a.se'"
			     " AND body_text LIKE '%audit verify --expect %' AND $1 = $1", 0), 1,
	       "a message to the address with the head and how to check it");
	f = fopen(path, "r");
	ok(f && fgets(line, sizeof(line), f), "the file has a line");
	if (f)
		fclose(f);
	ok(strstr(line, "Z ") && strchr(line, ':'), "TIME SEQ:HASH");
	unlink(path);
}

TEST(no_value_repeats_its_label)
{
	int64_t s = created(fx_post(fx, COORD, "/o/alfa/systems",
				    "name=Skolwebben&hosting=own&lifecycle=operation&personal_data=ordinary"));
	struct fx_resp r;

	ok(s > 0, "a system with personal data");
	r = fx_get(fx, COORD, path("/o/alfa/systems/%lld", (long long)s));
	lacks_str(r.body, "Personuppgifter</dt><dd>Personuppgifter<",
		  "not \"Personuppgifter: Personuppgifter\"");
	has_str(r.body, "Ja, personuppgifter", "but yes, with what kind");
}

int main(void)
{
	int rc;

	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	testdb_cleanup();
	return rc;
}
