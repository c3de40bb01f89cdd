/* test_engine.c - the engine's transitions and per-record access through
 * the real router, pages and API, on the engine chosen by VARN_TEST_DB:
 * archive and restore run the register's rules (the administrator-role
 * escalation of issue 6 is a regression test here, in pages and API), a
 * person with an account is archived only with a decision about it, a
 * declared transition ("reviewed") with its version and state checks and
 * audit event, and roles held for one unit act on that unit's records
 * (and the units below it) only. */
#include "base/base.h"

#include "core/auth.h"
#include "db/db.h"
#include "fixture.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"

static int64_t scalar(const char *sql, int64_t arg)
{
	return fx_scalar(fx, sql, arg);
}

static const char *token_for(const char *email)
{
	struct db_error err = { 0 };
	const char *t = api_token_create(fx->db, &fx->a, fx_user_id(fx, email), "test", 1, &err);

	if (!t) {
		printf("Bail out! api_token_create: %s\n", err.msg);
		exit(1);
	}
	return arena_printf(&fx->a, "Bearer %s", t);
}

static struct fx_resp api_post(const char *who, const char *path, const char *json)
{
	return fx_request(fx, NULL, "POST", path, json, "application/json", "Authorization",
			  token_for(who));
}

static int64_t version_of(const char *table, int64_t id)
{
	return scalar(arena_printf(&fx->a, "SELECT version FROM %s WHERE id = $1", table), id);
}

static int64_t role_id(const char *email, const char *role)
{
	return scalar(arena_printf(&fx->a, "SELECT ra.id FROM role_assignment ra JOIN person p"
				   " ON p.id = ra.person_id WHERE p.email = '%s'"
				   " AND ra.role = '%s' AND ra.org_id = $1", email, role),
		      fx->org_alfa);
}

static int64_t person_id(const char *email)
{
	return scalar(arena_printf(&fx->a, "SELECT id FROM person WHERE email = '%s'"
				   " AND org_id = $1", email), fx->org_alfa);
}

/* covers the escalation named in issue 6: archive then restore another
 * person's administrator role assignment as a coordinator */
TEST(administrator_role_cannot_be_archived_by_a_coordinator)
{
	int64_t ra = role_id(ADMIN, "administrator");
	int64_t v = version_of("role_assignment", ra);
	struct fx_resp r;

	ok(ra > 0, "the administrator's role assignment exists");
	r = api_post(COORD, arena_printf(&fx->a, "/api/v1/orgs/alfa/roles/%lld/archive",
					 (long long)ra),
		     arena_printf(&fx->a, "{\"version\":%lld}", (long long)v));
	is_int(r.status, 422, "API: the coordinator's archive is refused");
	ok(strstr(r.body, "forbidden") != NULL, "API: with the code forbidden: %.200s", r.body);
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/roles/%lld/archive", (long long)ra),
		    arena_printf(&fx->a, "version=%lld", (long long)v));
	is_int(r.status, 422, "page: the coordinator's archive is refused");
	ok(strstr(r.body, "Bara en administratör") != NULL, "page: and says why in Swedish");
	is_int(scalar("SELECT archived FROM role_assignment WHERE id = $1", ra), 0,
	       "the assignment is still live");
	is_int(version_of("role_assignment", ra), v, "and unchanged");

	/* an archived administrator assignment cannot be restored by one */
	r = api_post(ADMIN, "/api/v1/orgs/alfa/roles",
		     arena_printf(&fx->a, "{\"person_id\":%lld,\"role\":\"administrator\","
				  "\"note\":\"andra\"}", (long long)person_id(COORD)));
	is_int(r.status, 201, "an administrator gives the coordinator the role too");
	{
		int64_t second = scalar("SELECT max(id) FROM role_assignment WHERE org_id = $1",
					fx->org_alfa);
		r = api_post(ADMIN, arena_printf(&fx->a, "/api/v1/orgs/alfa/roles/%lld/archive",
						 (long long)second), "{\"version\":1}");
		is_int(r.status, 200, "and archives it again");
		/* the coordinator restoring their own archived admin role */
		r = api_post(COORD, arena_printf(&fx->a, "/api/v1/orgs/alfa/roles/%lld/restore",
						 (long long)second), "{\"version\":2}");
		is_int(r.status, 422, "API: the coordinator cannot restore an administrator role");
		r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/roles/%lld/restore",
						    (long long)second), "version=2");
		is_int(r.status, 422, "page: nor through the page");
		is_int(scalar("SELECT archived FROM role_assignment WHERE id = $1", second), 1,
		       "the coordinator did not become administrator");
	}
}

TEST(the_last_administrator_stays)
{
	int64_t ra = role_id(ADMIN, "administrator");
	struct fx_resp r;

	r = api_post(ADMIN, arena_printf(&fx->a, "/api/v1/orgs/alfa/roles/%lld/archive",
					 (long long)ra),
		     arena_printf(&fx->a, "{\"version\":%lld}",
				  (long long)version_of("role_assignment", ra)));
	is_int(r.status, 422, "the only administrator cannot archive their own role");
	ok(strstr(r.body, "last_admin") != NULL, "with the code last_admin");
	r = api_post(ADMIN, arena_printf(&fx->a, "/api/v1/orgs/alfa/people/%lld/archive",
					 (long long)person_id(ADMIN)),
		     arena_printf(&fx->a, "{\"version\":%lld,\"account\":\"unlink\"}",
				  (long long)version_of("person", person_id(ADMIN))));
	is_int(r.status, 422, "nor archive themself as a person");
}

TEST(archiving_a_person_with_an_account_needs_a_decision)
{
	int64_t pid = fx_add_member(fx, fx->org_alfa, "lamnar@a.se", "Lars Lämnar",
				    "systemforvaltare", 0);
	int64_t v = version_of("person", pid);
	struct fx_resp r;

	r = fx_get(fx, "lamnar@a.se", "/o/alfa/");
	is_int(r.status, 200, "the person uses Värn");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)pid));
	ok(strstr(r.body, arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)pid)) != NULL,
	   "the person's page links to the archive page");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)pid));
	is_int(r.status, 200, "the archive page");
	ok(strstr(r.body, "name=\"account\"") != NULL, "asks what happens to the account");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)pid),
		    arena_printf(&fx->a, "version=%lld", (long long)v));
	is_int(r.status, 422, "without a decision it is refused");
	ok(strstr(r.body, "Välj vad som ska hända med kontot") != NULL, "saying what to decide");
	ok(strstr(r.body, "href=\"#f-account\"") != NULL, "the summary links to the choice");
	is_int(scalar("SELECT archived FROM person WHERE id = $1", pid), 0, "not archived");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)pid),
		    arena_printf(&fx->a, "version=%lld&account=unlink", (long long)v));
	is_int(r.status, 303, "with the decision it is archived");
	is_int(scalar("SELECT archived FROM person WHERE id = $1", pid), 1, "archived");
	is_int(scalar("SELECT count(*) FROM person WHERE id = $1 AND user_id IS NULL", pid), 1,
	       "and the account is unlinked from the organisation");
	is_int(scalar("SELECT count(*) FROM audit_event WHERE action = 'archive'"
		      " AND entity = 'people' AND entity_id = $1 AND after_json LIKE"
		      " '%\"account\":\"unlink\"%'", pid), 1,
	       "the decision is in the audit event");
	r = fx_get(fx, "lamnar@a.se", "/o/alfa/");
	is_int(r.status, 404, "the account no longer reaches the organisation");

	/* without an account there is nothing to decide */
	r = fx_post(fx, COORD, "/o/alfa/people", "name=Utan+Konto&employment=active");
	pid = r.status == 303 ? fx_location_id(&r) : 0;
	ok(pid > 0, "a person without an account");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)pid));
	ok(r.status == 200 && !strstr(r.body, "name=\"account\""),
	   "their archive page does not ask about an account");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)pid),
		    "version=1");
	is_int(r.status, 303, "and archives them at once");

	/* someone who administers the organisation: only an administrator */
	pid = fx_add_member(fx, fx->org_alfa, "admin2@a.se", "Alma Admin", "administrator", 0);
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)pid),
		    arena_printf(&fx->a, "version=%lld&account=unlink",
				 (long long)version_of("person", pid)));
	is_int(r.status, 422, "a coordinator cannot archive an administrator");
	is_int(scalar("SELECT archived FROM person WHERE id = $1", pid), 0, "who stays");
}

static int64_t make_unit(const char *name, int64_t parent)
{
	struct fx_resp r = fx_post(fx, ADMIN, "/o/alfa/units",
		parent ? arena_printf(&fx->a, "name=%s&kind=enhet&parent_id=%lld", name,
				      (long long)parent)
		       : arena_printf(&fx->a, "name=%s&kind=enhet", name));
	return r.status == 303 ? fx_location_id(&r) : 0;
}

static struct fx_resp new_system(const char *who, const char *name, int64_t unit)
{
	return fx_post(fx, who, "/o/alfa/systems",
		       arena_printf(&fx->a, "name=%s&hosting=own&lifecycle=operation"
				    "&personal_data=none%s", name, unit ?
				    arena_printf(&fx->a, "&unit_id=%lld", (long long)unit) : ""));
}

/* covers R-1-06 (roles per organisation and per unit) and R-1-07 (a
 * system's responsibility follows its owning unit in the line
 * organisation) */
TEST(a_unit_role_acts_on_its_units_records)
{
	int64_t soc = make_unit("Socialtjanst", 0), ifo = make_unit("IFO", soc);
	int64_t eko = make_unit("Ekonomi", 0);
	int64_t a, b, c;
	struct fx_resp r;

	ok(soc && ifo && eko, "three units, IFO under Socialtjanst");
	fx_add_member(fx, fx->org_alfa, "agare@a.se", "Sam Systemägare", "systemagare", soc);
	r = new_system(COORD, "Procapita", soc);
	a = fx_location_id(&r);
	r = new_system(COORD, "Treserva", ifo);
	b = fx_location_id(&r);
	r = new_system(COORD, "Raindance", eko);
	c = fx_location_id(&r);
	ok(a && b && c, "the coordinator makes systems in every unit");

	r = fx_post(fx, "agare@a.se", arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)a),
		    arena_printf(&fx->a, "version=1&name=Procapita+2&hosting=own"
				 "&lifecycle=operation&personal_data=none&unit_id=%lld",
				 (long long)soc));
	is_int(r.status, 303, "the unit's system owner changes the unit's system");
	r = fx_post(fx, "agare@a.se", arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)b),
		    arena_printf(&fx->a, "version=1&name=Treserva+2&hosting=own"
				 "&lifecycle=operation&personal_data=none&unit_id=%lld",
				 (long long)ifo));
	is_int(r.status, 303, "and a system of a unit below it");
	r = fx_post(fx, "agare@a.se", arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)c),
		    arena_printf(&fx->a, "version=1&name=Raindance+2&hosting=own"
				 "&lifecycle=operation&personal_data=none&unit_id=%lld",
				 (long long)eko));
	is_int(r.status, 403, "but not another unit's system");
	is_int(scalar("SELECT count(*) FROM it_system WHERE name = 'Raindance' AND org_id = $1",
		      fx->org_alfa), 1,
	       "which is unchanged");
	r = fx_get(fx, "agare@a.se", arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)c));
	is_int(r.status, 200, "reads it (the register is open to staff)");
	ok(!strstr(r.body, "/edit\""), "without an edit button");
	ok(!strstr(r.body, "/archive\""), "or an archive button");
	r = fx_post(fx, "agare@a.se", arena_printf(&fx->a, "/o/alfa/systems/%lld/archive",
						   (long long)c), "version=1");
	is_int(r.status, 403, "cannot archive it");
	r = new_system("agare@a.se", "Egen", eko);
	is_int(r.status, 422, "cannot make a system in another unit");
	r = new_system("agare@a.se", "Egen", soc);
	is_int(r.status, 303, "makes one in their own unit");
	r = fx_post(fx, "agare@a.se", arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)a),
		    arena_printf(&fx->a, "version=2&name=Procapita+2&hosting=own"
				 "&lifecycle=operation&personal_data=none&unit_id=%lld",
				 (long long)eko));
	is_int(r.status, 422, "cannot move their system to another unit");
	/* parts of a system follow the system */
	r = fx_post(fx, "agare@a.se", "/o/alfa/dependencies",
		    arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction=out",
				 (long long)c, (long long)a));
	is_int(r.status, 422, "cannot add a dependency to another unit's system");
	r = fx_post(fx, "agare@a.se", "/o/alfa/dependencies",
		    arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction=out",
				 (long long)a, (long long)c));
	is_int(r.status, 303, "adds one to their own");
	if (r.status != 303)
		printf("# %.3000s\n", r.body);
	/* the owner named on a system elsewhere changes it too */
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)c),
		    arena_printf(&fx->a, "version=1&name=Raindance&hosting=own"
				 "&lifecycle=operation&personal_data=none&unit_id=%lld&owner_id=%lld",
				 (long long)eko, (long long)person_id("agare@a.se")));
	is_int(r.status, 303, "the coordinator names them owner of Raindance");
	r = fx_post(fx, "agare@a.se", arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)c),
		    arena_printf(&fx->a, "version=2&name=Raindance+3&hosting=own"
				 "&lifecycle=operation&personal_data=none&unit_id=%lld&owner_id=%lld",
				 (long long)eko, (long long)person_id("agare@a.se")));
	is_int(r.status, 303, "and now they change it");
	/* the API answers the same */
	r = api_post("agare@a.se", arena_printf(&fx->a, "/api/v1/orgs/alfa/systems/%lld/archive",
						(long long)b), "{\"version\":2}");
	is_int(r.status, 200, "API: archives the unit's system");
	{
		int64_t d;
		r = new_system(COORD, "Agresso", eko);
		d = fx_location_id(&r);
		r = api_post("agare@a.se", arena_printf(&fx->a, "/api/v1/orgs/alfa/systems/%lld/archive",
							(long long)d), "{\"version\":1}");
		is_int(r.status, 403, "API: not another unit's");
	}
}

TEST(reviewed_is_a_transition)
{
	struct fx_resp r = new_system(COORD, "Granskas", 0);
	int64_t id = fx_location_id(&r), v;

	ok(id > 0, "a system");
	fx_scalar(fx, "UPDATE it_system SET needs_review = 1 WHERE id = $1 RETURNING id", id);
	v = version_of("it_system", id);
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)id),
		    arena_printf(&fx->a, "version=%lld", (long long)v - 1));
	is_int(r.status, 303, "an old version");
	ok(r.location && strstr(r.location, "conflict=1"), "is a conflict");
	r = fx_post(fx, USER, arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)id),
		    arena_printf(&fx->a, "version=%lld", (long long)v));
	is_int(r.status, 403, "a plain user may not");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)id),
		    arena_printf(&fx->a, "version=%lld", (long long)v));
	is_int(r.status, 303, "the coordinator marks it reviewed");
	is_int(scalar("SELECT needs_review FROM it_system WHERE id = $1", id), 0, "cleared");
	is_int(scalar("SELECT count(*) FROM audit_event WHERE action = 'reviewed'"
		      " AND entity_id = $1", id), 1, "with its audit event");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)id),
		    arena_printf(&fx->a, "version=%lld", (long long)v + 1));
	is_int(r.status, 422, "not again: it is not in that state");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)id),
		    arena_printf(&fx->a, "version=%lld&name=Granskas&hosting=own&lifecycle=operation"
				 "&personal_data=none&needs_review=1", (long long)v + 1));
	is_int(r.status, 303, "an edit that sends the state field");
	is_int(scalar("SELECT needs_review FROM it_system WHERE id = $1", id), 0,
	       "does not change the state: only transitions do");
}

/* found in review: a role held for one unit must not reach people whose
 * roles lie outside it, nor a transition's own role another unit */
TEST(unit_roles_stop_at_their_units)
{
	int64_t u1 = make_unit("Kultur", 0), u2 = make_unit("Fritid", 0);
	int64_t boss, pid;
	struct fx_resp r;

	fx_add_member(fx, fx->org_alfa, "enhetssamordnare@a.se", "Ella Enhet", "samordnare", u1);
	boss = fx_add_member(fx, fx->org_alfa, "hela@a.se", "Hugo Hela", "samordnare", 0);
	fx_scalar(fx, arena_printf(&fx->a, "UPDATE person SET unit_id = %lld WHERE id = $1"
				   " RETURNING id", (long long)u1), boss);
	r = fx_post(fx, "enhetssamordnare@a.se",
		    arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)boss),
		    arena_printf(&fx->a, "version=%lld&account=unlink",
				 (long long)version_of("person", boss)));
	is_int(r.status, 422, "a unit's coordinator cannot archive the organisation's");
	ok(strstr(r.body, "roller som du inte har behörighet") != NULL, "and is told why");
	r = fx_get(fx, "hela@a.se", "/o/alfa/");
	is_int(r.status, 200, "who still reaches the organisation");
	pid = fx_add_member(fx, fx->org_alfa, "kultur@a.se", "Kim Kultur", "anvandare", u1);
	fx_scalar(fx, arena_printf(&fx->a, "UPDATE person SET unit_id = %lld WHERE id = $1"
				   " RETURNING id", (long long)u1), pid);
	r = fx_post(fx, "enhetssamordnare@a.se",
		    arena_printf(&fx->a, "/o/alfa/people/%lld/archive", (long long)pid),
		    arena_printf(&fx->a, "version=%lld", (long long)version_of("person", pid)));
	is_int(r.status, 422, "nor someone of the unit whose role is organisation-wide");
	(void)u2;
}

/* found in review: the last administrator's assignment handed to someone
 * else is the last administrator leaving */
TEST(the_administrator_role_is_not_handed_away_by_its_last_holder)
{
	int64_t ra = role_id(ADMIN, "administrator");
	int64_t other = role_id("admin2@a.se", "administrator");
	struct fx_resp r;

	/* an earlier test made a second administrator: ADMIN takes the role
	 * back, so that ADMIN is the last one again */
	r = api_post(ADMIN, arena_printf(&fx->a, "/api/v1/orgs/alfa/roles/%lld/archive",
					 (long long)other),
		     arena_printf(&fx->a, "{\"version\":%lld}",
				  (long long)version_of("role_assignment", other)));
	is_int(r.status, 200, "the second administrator's role is archived");
	r = fx_request(fx, NULL, "PATCH", arena_printf(&fx->a, "/api/v1/orgs/alfa/roles/%lld",
						      (long long)ra),
		       arena_printf(&fx->a, "{\"version\":%lld,\"person_id\":%lld}",
				    (long long)version_of("role_assignment", ra),
				    (long long)person_id(USER)),
		       "application/json", "Authorization", token_for(ADMIN));
	is_int(r.status, 422, "moving the only administrator role to another person is refused");
	ok(strstr(r.body, "last_admin") != NULL, "as the last administrator");
}

/* found in review: the API reports a problem with a transition's input
 * once, under the input's name, and answers 403 like the page */
TEST(api_reports_transition_inputs_once_and_denials_as_403)
{
	int64_t pid = fx_add_member(fx, fx->org_alfa, "inputs@a.se", "Ivar Input", "anvandare", 0);
	int64_t sys;
	struct fx_resp r;
	const char *p;
	int n = 0;

	r = api_post(COORD, arena_printf(&fx->a, "/api/v1/orgs/alfa/people/%lld/archive",
					 (long long)pid),
		     arena_printf(&fx->a, "{\"version\":%lld}", (long long)version_of("person", pid)));
	is_int(r.status, 422, "an archive without the account decision");
	for (p = r.body; (p = strstr(p, "\"code\":\"required\"")); p++)
		n++;
	is_int(n, 1, "is one problem");
	ok(strstr(r.body, "\"field\":\"account\"") != NULL, "named account");
	r = new_system(COORD, "Annans", make_unit("Annan", 0));
	sys = fx_location_id(&r);
	fx_add_member(fx, fx->org_alfa, "smal@a.se", "Siv Smal", "systemagare",
		      make_unit("Smal", 0));
	r = fx_request(fx, NULL, "PATCH", arena_printf(&fx->a, "/api/v1/orgs/alfa/systems/%lld",
						      (long long)sys),
		       "{\"version\":1,\"name\":\"Mitt\"}", "application/json", "Authorization",
		       token_for("smal@a.se"));
	is_int(r.status, 403, "another unit's system through the API: 403, as the page");
}

/* found in review: paging by a field that may be empty lost the empty rows
 * after the first page */
TEST(paging_by_a_field_that_may_be_empty_keeps_every_row)
{
	int64_t n0 = scalar("SELECT count(*) FROM information_set WHERE org_id = $1 AND archived = 0",
			    fx->org_alfa);
	int64_t seen = 0;
	const char *after = NULL;

	for (int i = 0; i < 5; i++) {
		struct fx_resp r = fx_post(fx, COORD, "/o/alfa/information",
					   arena_printf(&fx->a, "name=Tom%d", i));
		ok(r.status == 303, "an information set without review date");
	}
	for (int guard = 0; guard < 50; guard++) {
		struct fx_resp r = fx_request(fx, NULL, "GET",
			arena_printf(&fx->a, "/api/v1/orgs/alfa/information?sort=review_on&limit=2%s%s",
				     after ? "&after=" : "", after ? after : ""),
			NULL, NULL, "Authorization", token_for(COORD));
		const char *p = r.body, *nx;
		if (r.status != 200)
			break;
		for (; (p = strstr(p, "\"review_on\"")); p++)
			seen++;
		nx = strstr(r.body, "\"next\":\"");
		if (!nx)
			break;
		nx += 8;
		after = arena_strndup(&fx->a, nx, strcspn(nx, "\""));
	}
	is_int(seen, n0 + 5, "every information set is on some page");
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
