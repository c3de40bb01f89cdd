/* test_systems.c - the system register through the real router, on the
 * engine chosen by VARN_TEST_DB: the derivation rule (the highest level of
 * the information, raised never lowered, business-critical at R or T 3),
 * re-derivation on re-classification and archiving, the system's page (the
 * profile and where each level comes from, level 4, the dependency
 * picture), "mark as reviewed" with its version check, what waits on the
 * start page, roles and organisation isolation, escaping; and a property
 * test of the rule over random changes. */
#include "base/base.h"

#include "db/db.h"
#include "fixture.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"
#include "web/parts.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"
#define ADMIN_B "admin@b.se"

static int64_t make_system(const char *name)
{
	return fx_post_id(fx, COORD, "/o/alfa/systems",
		       arena_printf(&fx->a, "name=%s&hosting=own&lifecycle=operation"
				    "&personal_data=none", fx_enc(fx, name)));
}

static int64_t make_infoset(const char *name)
{
	return fx_post_id(fx, COORD, "/o/alfa/information", arena_printf(&fx->a, "name=%s", fx_enc(fx, name)));
}

static int64_t classify(int64_t inf, int k, int r, int t, int s, const char *date)
{
	return fx_post_id(fx, COORD, "/o/alfa/classifications",
		       arena_printf(&fx->a, "infoset_id=%lld&level_k=%d&level_r=%d&level_t=%d"
				    "&level_s=%d&decided_on=%s", (long long)inf, k, r, t, s, date));
}

static int64_t link_info(int64_t sys, int64_t inf)
{
	return fx_post_id(fx, COORD, "/o/alfa/system-information",
		       arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				    (long long)inf));
}

static int64_t depend(int64_t sys, int64_t other, const char *dir, const char *flows)
{
	return fx_post_id(fx, COORD, "/o/alfa/dependencies",
		       arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction=%s&flows=%s",
				    (long long)sys, (long long)other, dir, fx_enc(fx, flows)));
}

/* Versions, for archive and update forms. */
static const char *const version_sql[] = {
	"SELECT version FROM it_system WHERE id = $1",
	"SELECT version FROM information_set WHERE id = $1",
	"SELECT version FROM classification WHERE id = $1",
	"SELECT version FROM system_information WHERE id = $1",
};
enum { V_SYSTEM, V_INFOSET, V_CLASS, V_LINK };
static const char *const register_name[] = {
	"systems", "information", "classifications", "system-information",
};

static int set_archived(int kind, int64_t id, int archived)
{
	struct fx_resp r = fx_post(fx, COORD,
		arena_printf(&fx->a, "/o/alfa/%s/%lld/%s", register_name[kind], (long long)id,
			     archived ? "archive" : "restore"),
		arena_printf(&fx->a, "version=%lld",
			     (long long)fx_scalar(fx, version_sql[kind], id)));
	if (r.status != 303 || (r.location && strstr(r.location, "conflict")))
		printf("# %s %s %lld -> %d\n", archived ? "archive" : "restore",
		       register_name[kind], (long long)id, r.status);
	return r.status;
}

/* raise: four levels, -1 for none. */
static int set_raise(int64_t sys, const char *name, const int *raise, const char *reason)
{
	struct buf b = BUF_INIT;
	struct fx_resp r;

	buf_printf(&b, "name=%s&hosting=own&lifecycle=operation&personal_data=none"
		   "&version=%lld", fx_enc(fx, name), (long long)fx_scalar(fx, version_sql[V_SYSTEM], sys));
	for (int a = 0; a < 4; a++)
		if (raise[a] >= 0)
			buf_printf(&b, "&raise_%c=%d", "krts"[a], raise[a]);
	if (reason)
		buf_printf(&b, "&raise_reason=%s", fx_enc(fx, reason));
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys), b.p);
	buf_release(&b);
	return r.status;
}

/* The stored profile as one number: K R T S and business-critical digits,
 * 9 for an aspect without a level (not classified, never 0). */
static int64_t profile(int64_t sys)
{
	return fx_scalar(fx, "SELECT coalesce(level_k, 9) * 10000 + coalesce(level_r, 9) * 1000"
			 " + coalesce(level_t, 9) * 100 + coalesce(level_s, 9) * 10"
			 " + business_critical FROM it_system WHERE id = $1", sys);
}

static int64_t needs_review(int64_t sys)
{
	return fx_scalar(fx, "SELECT needs_review FROM it_system WHERE id = $1", sys);
}

static int64_t derive_events(int64_t sys)
{
	return fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'derive'"
			 " AND entity = 'systems' AND entity_id = $1", sys);
}

static int mark_reviewed(int64_t sys, int64_t version, const char **location)
{
	struct fx_resp r = fx_post(fx, COORD,
		arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)sys),
		arena_printf(&fx->a, "version=%lld", (long long)version));
	*location = r.location;
	return r.status;
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const char *page(const char *who, int64_t sys)
{
	struct fx_resp r = fx_get(fx, who, arena_printf(&fx->a, "/o/alfa/systems/%lld",
							(long long)sys));
	if (r.status != 200)
		printf("# system page %lld -> %d\n", (long long)sys, r.status);
	return r.body;
}

TEST(derivation_takes_the_highest_level)
{
	int64_t sys = make_system("Ekonomisystemet");
	int64_t a = make_infoset("Leverantörsfakturor"), b = make_infoset("Löneunderlag");

	ok(sys > 0 && a > 0 && b > 0, "a system and two information sets");
	is_int(profile(sys), 99990, "a new system without information has no level (not 0)"); /* covers R-3-04 */
	ok(classify(a, 3, 2, 1, 0, "2024-03-01") > 0, "the first set is classified K3 R2 T1 S0");
	ok(classify(b, 1, 2, 2, 2, "2024-03-01") > 0, "the second set K1 R2 T2 S2");
	ok(link_info(sys, a) > 0 && link_info(sys, b) > 0, "the system handles both");
	is_int(profile(sys), 32220, "K3 R2 T2 S2: the highest per aspect, not business-critical");
	is_int(needs_review(sys), 1, "a changed level asks for a review");
	ok(derive_events(sys) >= 1, "each change of level is an audit event 'derive'");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'derive'"
		     " AND entity_id = $1 AND after_json LIKE '%\"level_k\":3%'", sys) >= 1,
	   "the event records the levels after");
	ok(classify(b, 1, 3, 2, 2, "2024-04-01") > 0, "the second set is re-classified R3");
	is_int(profile(sys), 33221, "R3 makes the system business-critical");
	ok(classify(b, 1, 2, 3, 2, "2024-05-01") > 0, "and again, T3 instead of R3");
	is_int(profile(sys), 32321, "T3 alone is business-critical too");
	ok(classify(b, 1, 1, 1, 1, "2024-01-01") > 0, "an older decision entered later");
	is_int(profile(sys), 32321, "does not replace the latest decision");
}

TEST(raise_never_lowers)
{
	int64_t sys = make_system("Skolplattformen");
	int64_t a = make_infoset("Elevuppgifter");
	int raise[4] = { 1, -1, -1, 3 };

	classify(a, 3, 2, 2, 1, "2024-02-01");
	link_info(sys, a);
	is_int(profile(sys), 32210, "K3 R2 T2 S1 from the information");
	is_int(set_raise(sys, "Skolplattformen", raise, NULL), 422,
	       "a raise without a reason is refused");
	is_int(set_raise(sys, "Skolplattformen", raise, "Aggregering av elevdata"), 303,
	       "with a reason it is saved");
	is_int(profile(sys), 32230, "K stays 3 (a raise to 1 never lowers), S is raised to 3");
	raise[0] = 4;
	set_raise(sys, "Skolplattformen", raise, "Samlad information om skyddade elever");
	is_int(profile(sys), 42230, "K raised to 4 above the information");
	raise[0] = raise[3] = -1;
	set_raise(sys, "Skolplattformen", raise, NULL);
	is_int(profile(sys), 32210, "without raises it falls back to the information");
}

TEST(reclassification_rederives_every_system)
{
	int64_t s1 = make_system("Verksamhetssystem socialtjänst");
	int64_t s2 = make_system("E-arkivet");
	int64_t s3 = make_system("Diariet");
	int64_t inf = make_infoset("Personakter socialtjänst");
	int64_t other = make_infoset("Diarieförda ärenden");
	int64_t e1, e2, e3, l2;
	const char *loc;

	classify(inf, 2, 2, 2, 2, "2024-01-10");
	classify(other, 1, 1, 1, 1, "2024-01-10");
	link_info(s1, inf);
	l2 = link_info(s2, inf);
	link_info(s3, other);
	link_info(s2, other);
	for (int64_t *s = (int64_t[]){ s1, s2, s3, 0 }; *s; s++)
		mark_reviewed(*s, fx_scalar(fx, version_sql[V_SYSTEM], *s), &loc);
	ok(!needs_review(s1) && !needs_review(s2) && !needs_review(s3),
	   "all three systems are reviewed");
	e1 = derive_events(s1);
	e2 = derive_events(s2);
	e3 = derive_events(s3);

	ok(classify(inf, 4, 3, 2, 2, "2024-06-01") > 0, "the personal files are re-classified K4 R3");
	is_int(profile(s1), 43221, "the first system follows at once");
	is_int(profile(s2), 43221, "and so does the second");
	is_int(profile(s3), 11110, "a system without that set is untouched");
	ok(needs_review(s1) && needs_review(s2), "both are marked for review");
	is_int(needs_review(s3), 0, "the other is not");
	is_int(derive_events(s1), e1 + 1, "one audit event for the first");
	is_int(derive_events(s2), e2 + 1, "and one for the second");
	is_int(derive_events(s3), e3, "none for the untouched system");

	/* archiving what made the level lowers it again */
	is_int(set_archived(V_LINK, l2, 1), 303, "the second system stops handling the set");
	is_int(profile(s2), 11110, "its level falls back to what it still handles");
	is_int(set_archived(V_INFOSET, inf, 1), 303, "the information set is archived");
	is_int(profile(s1), 99990, "the first system has no live information left: no level");
	is_int(set_archived(V_INFOSET, inf, 0), 303, "and restored");
	is_int(profile(s1), 43221, "the level comes back");
	is_int(profile(s2), 11110, "but not through the archived link");
	{
		int64_t c = fx_scalar(fx, "SELECT max(id) FROM classification WHERE infoset_id = $1",
				      inf);
		is_int(set_archived(V_CLASS, c, 1), 303, "the latest classification is archived");
		is_int(profile(s1), 22220, "the earlier decision applies again");
	}
}

TEST(system_page)
{
	int64_t sys = make_system("Lönesystemet");
	int64_t hr = make_system("HR-portalen");
	int64_t bank = make_system("Bankfilsystemet");
	int64_t a = make_infoset("Löneuppgifter"), b = make_infoset("Skyddade adresser");
	int64_t z = make_infoset("Öppna uppgifter");
	int raise[4] = { -1, -1, 3, -1 };
	const char *body;

	classify(a, 2, 3, 1, 2, "2024-02-01");
	classify(b, 4, 1, 1, 1, "2024-02-01");
	classify(z, 0, 0, 0, 0, "2024-02-01");
	link_info(sys, a);
	link_info(sys, b);
	set_raise(sys, "Lönesystemet", raise, "Utbetalningar måste gå ut varje månad");
	depend(sys, bank, "out", "Betalfiler");
	depend(hr, sys, "out", "Anställda");
	depend(sys, hr, "both", "Frånvaro");

	body = page(COORD, sys);
	has_str(body, "K4 R3 T3 S2", "the profile is shown");
	has_str(body, "Verksamhetskritiskt</span>", "with the business-critical badge");
	has_str(body, "Nivå 4 ligger utanför basnivån (säkerhetsskydd)", "level 4 is escalated");
	has_str(body, "Informationsmängden <a href=\"/o/alfa/information/", "K and R come from a set");
	has_str(body, ">Skyddade adresser</a> ger nivå 4", "K from the protected addresses, level 4");
	has_str(body, ">Löneuppgifter</a> ger nivå 3", "R from the payroll data, level 3");
	has_str(body, "Höjd av systemägaren. Skäl: Utbetalningar måste gå ut varje månad",
		"T is raised by the owner, with the reason");
	has_str(body, "sedan systemet senast granskades", "the review notice");
	has_str(body, "/reviewed\"", "with the action to mark it reviewed");
	has_str(body, "/o/alfa/system-information/new?system_id=", "a link to add information");
	has_str(body, "/o/alfa/system-roles/new?system_id=", "a link to add a person");
	has_str(body, "/o/alfa/dependencies/new?system_id=", "a link to add a dependency");
	has_str(body, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\"",
		"the dependency picture is inline SVG with role img");
	has_str(body, "<title id=\"sp-dep-title\">Beroenden för Lönesystemet</title>",
		"titled by the system");
	has_str(body, "<desc id=\"sp-dep-desc\">", "and described");
	has_str(body, "marker-end=\"url(#sp-dep-arrow)\"", "arrows show the direction out");
	has_str(body, "marker-start=\"url(#sp-dep-arrow)\"", "and in");
	has_str(body, ">Betalfiler</tspan>", "what flows labels the arrow");
	has_str(body, "Anställda; Frånvaro", "two rows with the same system share a node");
	has_str(body, "Samma sak som bilden visar, i text:", "the text alternative says what it is");
	has_str(body, "Skickar till <a href=\"/o/alfa/systems/", "sends to ... in text");
	has_str(body, "Tar emot från <a href=\"/o/alfa/systems/", "receives from ... (turned round)");
	has_str(body, "Skickar till och tar emot från", "and both ways");

	body = page(COORD, bank);
	has_str(body, "Tar emot från <a", "the other end sees the dependency turned round");
	has_str(body, "<strong>Ej klassad</strong>", "a system without information is not classified, not level 0");
	lacks_str(body, "K0 R0 T0 S0", "and never reads K0 R0 T0 S0");
	has_str(body, "Ingen information är kopplad", "and says so");
	lacks_str(body, "Nivå 4 ligger utanför", "no level-4 note below level 4");

	link_info(hr, z);
	body = page(COORD, hr);
	has_str(body, ">Öppna uppgifter</a> ger nivå 0", "level 0 information is named as the source");

	is_int(fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys)).status,
	       403, "a plain user does not see the system page");
	body = page(ADMIN, sys);
	has_str(body, "K4 R3 T3 S2", "the administrator does");
}

TEST(people_in_roles_come_through_the_engine)
{
	int64_t sys = make_system("Ärendesystemet");
	struct fx_resp r = fx_post(fx, ADMIN, "/o/alfa/people",
				   "name=Skyddade+Sven&email=sven%40alfa.se&employment=active"
				   "&protected_identity=1");
	int64_t hidden = fx_location_id(&r), open;
	const char *body, *owner, *admin;

	r = fx_post(fx, ADMIN, "/o/alfa/people", "name=%C3%96ppna+Olle&employment=active");
	open = fx_location_id(&r);
	ok(sys && hidden && open, "a system, a person with protected identity and another");
	ok(fx_post_id(fx, COORD, "/o/alfa/system-roles",
		   arena_printf(&fx->a, "system_id=%lld&person_id=%lld&role=administrator",
				(long long)sys, (long long)open)) > 0, "one administers the system");
	ok(fx_post_id(fx, COORD, "/o/alfa/system-roles",
		   arena_printf(&fx->a, "system_id=%lld&person_id=%lld&role=business_owner",
				(long long)sys, (long long)hidden)) > 0, "the protected one owns it");

	body = page(COORD, sys);
	lacks_str(body, "Skyddade Sven", "the coordinator does not see the protected name there");
	lacks_str(body, "sven@alfa.se", "nor the e-mail");
	has_str(body, arena_printf(&fx->a, "/o/alfa/people/%lld\">Skyddad identitet</a>",
				   (long long)hidden), "but that the identity is protected");
	has_str(body, ">Öppna Olle</a>", "the other name is shown");
	has_str(body, "Personer med roller i systemet <span class=\"n\">(2)</span>",
		"the heading counts the people");
	owner = strstr(body, ">Verksamhetsansvarig/informationsägare</a>");
	admin = strstr(body, ">Systemadministratör</a>");
	ok(owner && admin && owner < admin, "the owner comes before the administrator");
	has_str(body, "<table class=\"list\" aria-labelledby=\"sp-people\">",
		"the table is named by the section's heading");

	body = page(ADMIN, sys);
	has_str(body, ">Skyddade Sven</a>", "the administrator, who needs to know, sees the name");

	is_int(set_archived(V_SYSTEM, sys, 1), 303, "the system is archived");
	body = page(COORD, sys);
	has_str(body, ">Öppna Olle</a>", "its people are still listed");
	lacks_str(body, "/o/alfa/system-roles/new?system_id=", "but no one is added to it");
}

/* More related records than a section shows: the first ones, the count of
 * all, and a link to the register's list filtered the same way. */
TEST(related_section_links_to_the_whole_list)
{
	int64_t sys = make_system("Stora systemet");
	const char *body, *all;
	int made = 0;

	for (int i = 0; i < PART_RELATED_MAX + 2; i++) {
		struct fx_resp r = fx_post(fx, ADMIN, "/o/alfa/people",
			arena_printf(&fx->a, "name=Person+%03d&employment=active", i));
		int64_t p = fx_location_id(&r);
		made += p && fx_post_id(fx, COORD, "/o/alfa/system-roles",
				     arena_printf(&fx->a, "system_id=%lld&person_id=%lld&role=manager",
						  (long long)sys, (long long)p)) > 0;
	}
	is_int(made, PART_RELATED_MAX + 2, "more people in roles than a section shows");
	body = page(COORD, sys);
	has_str(body, arena_printf(&fx->a, "<span class=\"n\">(%d)</span>", PART_RELATED_MAX + 2),
		"the heading counts them all");
	all = arena_printf(&fx->a, "/o/alfa/system-roles?system_id=%lld\">Visa alla %d i listan</a>",
			   (long long)sys, PART_RELATED_MAX + 2);
	has_str(body, all, "and links to the list filtered by the system");
	ok(count_str(body, ">Systemförvaltare</a></th>") == PART_RELATED_MAX,
	   "the section shows the first ones");
}

static void sql(const char *text)
{
	struct db_error err;

	if (db_exec(fx->db, &fx->a, text, DB_NOARGS, NULL, &err) != 0)
		printf("# %s: %s\n", text, err.msg);
}

/* A part of a page that cannot read its data fails the whole page: 500
 * and the error page, not a 200 with the part missing. */
static void expect_failed_page(const char *path, const char *table, const char *why)
{
	struct fx_resp r;

	sql(arena_printf(&fx->a, "ALTER TABLE %s RENAME TO broken_%s", table, table));
	r = fx_get(fx, COORD, path);
	is_int(r.status, 500, arena_printf(&fx->a, "%s: without %s the page is 500", why, table));
	has_str(r.body, "Internt fel", "the error page, in Swedish");
	lacks_str(r.body, "Lönesystemet", "and none of the page that was written");
	sql(arena_printf(&fx->a, "ALTER TABLE broken_%s RENAME TO %s", table, table));
	r = fx_get(fx, COORD, path);
	is_int(r.status, 200, arena_printf(&fx->a, "%s: with %s back, 200 again", why, table));
}

TEST(a_section_that_cannot_read_fails_the_page)
{
	int64_t sys = fx_scalar(fx, "SELECT id FROM it_system WHERE name = 'Lönesystemet'"
				" AND org_id = $1", fx->org_alfa);
	int64_t inf = fx_scalar(fx, "SELECT id FROM information_set WHERE name = 'Löneuppgifter'"
				" AND org_id = $1", fx->org_alfa);
	const char *sp = arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys);
	const char *ip = arena_printf(&fx->a, "/o/alfa/information/%lld", (long long)inf);

	expect_failed_page(sp, "system_dependency", "the system's dependencies");
	expect_failed_page(sp, "system_person", "the system's people");
	expect_failed_page(sp, "system_information", "the system's information");
	expect_failed_page(ip, "classification", "an information set's classifications");
	/* a form whose choices of a reference cannot be read */
	expect_failed_page(arena_printf(&fx->a, "/o/alfa/dependencies/new?system_id=%lld",
					(long long)sys), "it_system", "a form's choices");
}

TEST(mark_reviewed)
{
	int64_t sys = make_system("Vårdjournalen");
	int64_t inf = make_infoset("Patientjournaler");
	int64_t v, events;
	const char *loc;
	struct fx_resp r;

	classify(inf, 3, 3, 3, 3, "2024-02-01");
	link_info(sys, inf);
	is_int(needs_review(sys), 1, "the system needs a review");
	v = fx_scalar(fx, version_sql[V_SYSTEM], sys);
	events = fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'reviewed'"
			   " AND entity_id = $1", sys);
	is_int(mark_reviewed(sys, v - 1, &loc), 303, "a stale version");
	has_str(loc, "conflict=1", "is refused with a conflict");
	is_int(needs_review(sys), 1, "and changes nothing");
	is_int(mark_reviewed(sys, v, &loc), 303, "the current version");
	has_str(loc, "saved=1", "is saved");
	is_int(needs_review(sys), 0, "the flag is cleared");
	is_int(fx_scalar(fx, version_sql[V_SYSTEM], sys), v + 1, "the version moves on");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'reviewed'"
			 " AND entity_id = $1", sys), events + 1, "with an audit event");
	lacks_str(page(COORD, sys), "sedan systemet senast granskades", "the notice is gone");

	r = fx_post(fx, USER, arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)sys),
		    arena_printf(&fx->a, "version=%lld", (long long)v + 1));
	is_int(r.status, 403, "a plain user may not mark it reviewed");
	r = fx_post(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/systems/%lld/reviewed",
					      (long long)sys),
		    arena_printf(&fx->a, "version=%lld", (long long)v + 1));
	is_int(r.status, 404, "another organisation cannot reach it");
	r = fx_request(fx, COORD, "POST",
		       arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)sys),
		       "version=1", "application/x-www-form-urlencoded", NULL, NULL);
	is_int(r.status, 403, "without the CSRF token it is refused");
}

TEST(roles_and_isolation)
{
	int64_t sys = make_system("GIS");
	struct fx_resp r;

	r = fx_get(fx, USER, "/o/alfa/systems");
	is_int(r.status, 403, "a plain user gets 403 on the system list");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/systems/%lld", (long long)sys));
	is_int(r.status, 404, "beta cannot see alfa's system by id");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/beta/systems/%lld", (long long)sys));
	is_int(r.status, 404, "not even the coordinator of both, through beta");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys));
	is_int(r.status, 404, "nor through alfa's address");
	r = fx_post(fx, ADMIN_B, "/o/beta/system-information",
		    arena_printf(&fx->a, "system_id=%lld&infoset_id=1", (long long)sys));
	is_int(r.status, 422, "beta cannot link information to alfa's system");
}

TEST(escaping)
{
	const char *evil = "<script>alert(\"x\")</script>";
	const char *evil2 = "<img src=x onerror=alert(1)>";
	int64_t sys = make_system(evil), other = make_system(evil2);
	int64_t inf = make_infoset("</text><svg onload=alert(2)>");
	const char *body;

	link_info(sys, inf);
	depend(sys, other, "out", "</text><script>alert(3)</script>");
	body = page(COORD, sys);
	lacks_str(body, "<script>alert", "no script tag from a name");
	lacks_str(body, "<img src=x", "no img tag from the other system's name");
	lacks_str(body, "<svg onload", "no svg tag from an information set's name");
	has_str(body, "Beroenden för &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</title>",
		"the name is escaped in the SVG title");
	has_str(body, "&lt;img src=x", "and in the SVG boxes and the list");
	has_str(body, "&lt;/text&gt;&lt;script&gt;alert(3)", "the flow text is escaped too");
}

TEST(waiting_for_you)
{
	int64_t sys = make_system("Säkerhetsskyddat system");
	int64_t inf = make_infoset("Säkerhetsskyddsklassade uppgifter");
	int64_t never = make_infoset("Ännu inte klassad");
	struct fx_resp r;

	ok(never > 0, "an information set nobody classified");
	classify(inf, 4, 2, 2, 2, "2024-02-01");
	link_info(sys, inf);
	r = fx_get(fx, COORD, "/o/alfa/");
	has_str(r.body, "på nivå 4 – säkerhetsskydd, utanför basnivån",
		"the coordinator sees information at level 4");
	has_str(r.body, "/o/alfa/outside-baseline", "linked to the list of it");
	has_str(r.body, "system har fått ändrad skyddsnivå och behöver granskas",
		"and the systems to review");
	has_str(r.body, "/o/alfa/systems?needs_review=1", "linked to the filtered list");
	has_str(r.body, "inte klassad", "and what is not classified");
	r = fx_get(fx, COORD, "/o/alfa/systems?needs_review=1");
	has_str(r.body, "Säkerhetsskyddat system", "the filtered list has the system");
	r = fx_get(fx, COORD, "/o/alfa/outside-baseline");
	is_int(r.status, 200, "the level-4 list");
	has_str(r.body, "Säkerhetsskyddsklassade uppgifter</a> – K4 R2 T2 S2", "names the set");
	has_str(r.body, "Säkerhetsskyddat system</a> – K4 R2 T2 S2", "and the system");
	r = fx_get(fx, ADMIN_B, "/o/beta/");
	lacks_str(r.body, "nivå 4", "beta's start page has none of alfa's");
	r = fx_get(fx, USER, "/o/alfa/");
	lacks_str(r.body, "behöver granskas", "a plain user is not asked to review systems");
}

/* ---- property: a system is never below its information, and equals the
 * highest of its information and its raise ---- */

#define NS 5
#define NI 8
#define NC 400
#define STEPS 200

static struct {
	int64_t sys[NS], inf[NI];
	int inf_archived[NI];
	struct { int64_t id; int inf, date, lv[4], archived; } cls[NC];
	int ncls;
	int64_t link[NS][NI];
	int raise[NS][4];
} m;

/* The current levels of a set in the model: its latest live decision by
 * date, then by id; none when it has none. */
static int model_infoset(int i, int *lv)
{
	int best = -1;

	for (int c = 0; c < m.ncls; c++) {
		if (m.cls[c].inf != i || m.cls[c].archived)
			continue;
		if (best < 0 || m.cls[c].date > m.cls[best].date ||
		    (m.cls[c].date == m.cls[best].date && m.cls[c].id > m.cls[best].id))
			best = c;
	}
	if (best < 0)
		return 0;
	memcpy(lv, m.cls[best].lv, sizeof(m.cls[best].lv));
	return 1;
}

static void model_expect(int s, int *info_max, int *level)
{
	for (int a = 0; a < 4; a++)
		info_max[a] = -1; /* no level */
	for (int i = 0; i < NI; i++) {
		int lv[4];
		if (!m.link[s][i] || m.inf_archived[i] || !model_infoset(i, lv))
			continue;
		for (int a = 0; a < 4; a++)
			if (lv[a] > info_max[a])
				info_max[a] = lv[a];
	}
	for (int a = 0; a < 4; a++)
		level[a] = m.raise[s][a] > info_max[a] ? m.raise[s][a] : info_max[a];
}

static const char *step_name[] = { "classify", "link", "unlink", "raise", "archive set",
				   "restore set", "archive decision" };

TEST(property_derivation)
{
	int mismatches = 0, below = 0, failed_writes = 0, steps_of[7] = { 0 };

	srand(20240603);
	memset(&m, 0, sizeof(m));
	for (int s = 0; s < NS; s++) {
		m.sys[s] = make_system(arena_printf(&fx->a, "Egenskapssystem %d", s));
		for (int a = 0; a < 4; a++)
			m.raise[s][a] = -1;
	}
	for (int i = 0; i < NI; i++)
		m.inf[i] = make_infoset(arena_printf(&fx->a, "Egenskapsmängd %d", i));

	for (int step = 0; step < STEPS; step++) {
		int op = rand() % 100, s = rand() % NS, i = rand() % NI, kind;
		int rc = 303;

		if (op < 30 && !m.inf_archived[i] && m.ncls < NC) {
			int c = m.ncls, date = 1 + rand() % 9;
			kind = 0;
			m.cls[c].inf = i;
			m.cls[c].date = date;
			for (int a = 0; a < 4; a++)
				m.cls[c].lv[a] = rand() % 5;
			m.cls[c].id = classify(m.inf[i], m.cls[c].lv[0], m.cls[c].lv[1],
					       m.cls[c].lv[2], m.cls[c].lv[3],
					       arena_printf(&fx->a, "2024-01-0%d", date));
			rc = m.cls[c].id ? 303 : 0;
			if (m.cls[c].id)
				m.ncls++;
		} else if (op < 55) {
			if (m.link[s][i]) {
				kind = 2;
				rc = set_archived(V_LINK, m.link[s][i], 1);
				m.link[s][i] = 0;
			} else if (!m.inf_archived[i]) {
				kind = 1;
				m.link[s][i] = link_info(m.sys[s], m.inf[i]);
				rc = m.link[s][i] ? 303 : 0;
			} else {
				continue;
			}
		} else if (op < 70) {
			int any = 0;
			kind = 3;
			for (int a = 0; a < 4; a++) {
				m.raise[s][a] = rand() % 3 == 0 ? rand() % 5 : -1;
				any |= m.raise[s][a] >= 0;
			}
			rc = set_raise(m.sys[s], arena_printf(&fx->a, "Egenskapssystem %d", s),
				       m.raise[s], any ? "Ackumulering" : NULL);
		} else if (op < 85) {
			kind = m.inf_archived[i] ? 5 : 4;
			m.inf_archived[i] = !m.inf_archived[i];
			rc = set_archived(V_INFOSET, m.inf[i], m.inf_archived[i]);
		} else {
			int live[NC], n = 0;
			for (int c = 0; c < m.ncls; c++)
				if (!m.cls[c].archived)
					live[n++] = c;
			if (!n)
				continue;
			kind = 6;
			n = live[rand() % n];
			m.cls[n].archived = 1;
			rc = set_archived(V_CLASS, m.cls[n].id, 1);
		}
		steps_of[kind]++;
		if (rc != 303) {
			failed_writes++;
			printf("# step %d (%s) failed: %d\n", step, step_name[kind], rc);
			continue;
		}
		for (int t = 0; t < NS; t++) {
			int info_max[4], level[4], critical;
			int64_t want, got = profile(m.sys[t]);
			model_expect(t, info_max, level);
			critical = level[1] >= 3 || level[2] >= 3;
#define DIGIT(x) ((x) < 0 ? 9 : (x))
			want = DIGIT(level[0]) * 10000 + DIGIT(level[1]) * 1000 +
			       DIGIT(level[2]) * 100 + DIGIT(level[3]) * 10 + critical;
#undef DIGIT
			if (got != want && mismatches++ < 5)
				printf("# step %d (%s): system %d is %05lld, expected %05lld\n",
				       step, step_name[kind], t, (long long)got, (long long)want);
			for (int a = 0; a < 4; a++) {
				int64_t g = got / (int64_t[]){ 10000, 1000, 100, 10 }[a] % 10;
				if (g < info_max[a] || (g == 9 && info_max[a] >= 0))
					below++;
			}
		}
	}
	printf("# steps: %d classify, %d link, %d unlink, %d raise, %d archive set,"
	       " %d restore set, %d archive decision\n", steps_of[0], steps_of[1], steps_of[2],
	       steps_of[3], steps_of[4], steps_of[5], steps_of[6]);
	is_int(failed_writes, 0, "every random change was accepted");
	is_int(mismatches, 0, "after every change each system's level per aspect is the highest"
	       " of its live information and its raise, and business-critical at R or T 3");
	is_int(below, 0, "no system is ever below the highest level of its information");
}

TEST(list_filters_by_level)
{
	int64_t sys = make_system("Nivåfiltret"), calm = make_system("Lugna systemet");
	int64_t inf = make_infoset("Nivåfiltrets information");
	int64_t zero = make_infoset("Lugna uppgifter");
	struct fx_resp r;

	ok(sys && calm && inf && zero, "two systems and two information sets");
	classify(inf, 3, 1, 2, 0, "2026-01-10");
	link_info(sys, inf);
	classify(zero, 0, 0, 0, 0, "2026-01-10");
	link_info(calm, zero);
	r = fx_get(fx, COORD, "/o/alfa/systems?level_k=3&limit=200");
	has_str(r.body, ">Nivåfiltret</a></th>", "the K filter finds the K3 system");
	lacks_str(r.body, ">Lugna systemet</a></th>", "and not the K0 one");
	has_str(r.body, "<option value=\"3\" selected>3</option>", "the level filter offers 0-4 and keeps the choice");
	r = fx_get(fx, COORD, "/o/alfa/systems?level_k=0&limit=200");
	has_str(r.body, ">Lugna systemet</a></th>", "level 0 is a real filter value");
	lacks_str(r.body, ">Nivåfiltret</a></th>", "that excludes the K3 system");
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
