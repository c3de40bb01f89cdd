/* test_start.c - what waits for each person on the start page, the unit
 * and person pages' lists, the owner pickers and "Kom igång", through the
 * real router on the engine chosen by VARN_TEST_DB (issue 7).
 *
 * Each start-page line is checked by following its link: it opens (no
 * 403) and lists exactly the records counted. */
#include "base/base.h"

#include "base/clock.h"
#include "db/db.h"
#include "fixture.h"
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

static int64_t make_unit(const char *org, const char *who, const char *name, int64_t parent)
{
	struct fx_resp r = fx_post(fx, who, arena_printf(&fx->a, "/o/%s/units", org),
				   arena_printf(&fx->a, "name=%s&kind=enhet%s", name,
						parent ? arena_printf(&fx->a, "&parent_id=%lld",
								      (long long)parent) : ""));
	return r.status == 303 ? fx_location_id(&r) : 0;
}

static int64_t make_system(const char *name, int64_t unit, int64_t owner)
{
	struct fx_resp r = fx_post(fx, COORD, "/o/alfa/systems",
		arena_printf(&fx->a, "name=%s&hosting=own&lifecycle=operation&personal_data=none"
			     "&unit_id=%lld%s", name, (long long)unit,
			     owner ? arena_printf(&fx->a, "&owner_id=%lld", (long long)owner) : ""));
	return r.status == 303 ? fx_location_id(&r) : 0;
}

static int64_t make_infoset(const char *name, int64_t unit, int64_t owner)
{
	struct fx_resp r = fx_post(fx, COORD, "/o/alfa/information",
		arena_printf(&fx->a, "name=%s&unit_id=%lld%s", name, (long long)unit,
			     owner ? arena_printf(&fx->a, "&owner_id=%lld", (long long)owner) : ""));
	return r.status == 303 ? fx_location_id(&r) : 0;
}

static void mark_for_review(int64_t system)
{
	scalar("UPDATE it_system SET needs_review = 1 WHERE id = $1 RETURNING id", system);
}

/* The "waiting" section of a start page. */
static const char *waiting_of(const char *body)
{
	const char *a = strstr(body, "id=\"waiting\"");
	const char *b = a ? strstr(a, "</section>") : NULL;

	return a && b ? arena_strndup(&fx->a, a, (size_t)(b - a)) : "";
}

/* The link (unescaped) of the line whose text contains `text`, or NULL. */
static const char *line_link(const char *section, const char *text)
{
	const char *t = strstr(section, text), *a, *e;
	struct buf b = BUF_INIT;
	char *s, *out;

	if (!t)
		return NULL;
	for (a = t; a > section && strncmp(a, "href=\"", 6) != 0; a--)
		;
	if (a == section)
		return NULL;
	a += 6;
	e = strchr(a, '"');
	for (const char *p = a; p < e; p++) {
		if (strncmp(p, "&amp;", 5) == 0) {
			buf_putc(&b, '&');
			p += 4;
		} else {
			buf_putc(&b, *p);
		}
	}
	s = buf_detach(&b, NULL);
	out = arena_strdup(&fx->a, s);
	free(s);
	return out;
}

/* Every href of the section opens for who (no 403, 404 or error). */
static int every_link_opens(const char *who, const char *section)
{
	const char *p = section;
	int bad = 0;

	while ((p = strstr(p, "href=\""))) {
		const char *e = strchr(p + 6, '"');
		const char *href = arena_strndup(&fx->a, p + 6, (size_t)(e - p - 6));
		struct buf b = BUF_INIT;
		char *s;
		for (const char *c = href; *c; c++) {
			if (strncmp(c, "&amp;", 5) == 0) {
				buf_putc(&b, '&');
				c += 4;
			} else {
				buf_putc(&b, *c);
			}
		}
		s = buf_detach(&b, NULL);
		if (s[0] == '/') {
			struct fx_resp r = fx_get(fx, who, s);
			if (r.status == 403 || r.status == 404 || r.status >= 500) {
				printf("# %s: %s answers %d\n", who, s, r.status);
				bad++;
			}
		}
		free(s);
		p = e;
	}
	return bad;
}

/* covers R-1-06 (roles per unit): the system owner of a unit, whose own
 * system needs a review, is told so - and of the other systems of the
 * units below theirs - with links that list exactly those records
 * (issue 7: "Inget väntar på dig just nu") */
TEST(unit_scoped_system_owner_sees_their_systems_to_review)
{
	int64_t soc = make_unit("alfa", ADMIN, "Socialforvaltning", 0);
	int64_t ifo = make_unit("alfa", ADMIN, "Familjeomsorg", soc);
	int64_t eko = make_unit("alfa", ADMIN, "Ekonomienhet", 0);
	int64_t owner = fx_add_member(fx, fx->org_alfa, "socialchef@a.se", "Sune Socialchef",
				      "systemagare", soc);
	int64_t mine = make_system("Omsorgsjournal", ifo, owner);
	int64_t other = make_system("Familjeregister", ifo, 0);
	int64_t elsewhere = make_system("Ekonomisystemet", eko, 0);
	const char *w, *link;
	struct fx_resp r;

	ok(soc && ifo && eko && mine && other && elsewhere, "units and systems made");
	r = fx_get(fx, "socialchef@a.se", "/o/alfa/");
	is_int(r.status, 200, "start page");
	/* (their system in operation lacks an operational approval: that waits) */
	ok(strstr(waiting_of(r.body), "granskas") == NULL, "no review waits before a review");
	mark_for_review(mine);
	mark_for_review(other);
	mark_for_review(elsewhere);
	r = fx_get(fx, "socialchef@a.se", "/o/alfa/");
	w = waiting_of(r.body);
	ok(strstr(w, "Inget väntar") == NULL, "something waits now: %.400s", w);
	link = line_link(w, "1 av dina system");
	ok(link != NULL, "one of your systems needs a review");
	ok(strstr(w, "1 av dina system har fått") != NULL && strstr(w, "2 system i Familjeomsorg har")
	   != NULL, "one in the singular, two in the plural");
	is_str(link, arena_printf(&fx->a, "/o/alfa/systems?needs_review=1&owner_id=%lld",
				  (long long)owner), "linked to the owner's systems to review");
	r = fx_get(fx, "socialchef@a.se", link ? link : "/");
	is_int(r.status, 200, "the link opens");
	ok(strstr(r.body, "Omsorgsjournal") && !strstr(r.body, "Familjeregister") &&
	   !strstr(r.body, "Ekonomisystemet"), "and lists exactly the owner's system");
	link = line_link(w, "2 system i Familjeomsorg");
	ok(link != NULL, "two systems of the unit below need a review: %.600s", w);
	is_str(link, arena_printf(&fx->a, "/o/alfa/systems?needs_review=1&unit_id=%lld",
				  (long long)ifo), "linked to the unit's systems to review");
	r = fx_get(fx, "socialchef@a.se", link ? link : "/");
	ok(r.status == 200 && strstr(r.body, "Omsorgsjournal") &&
	   strstr(r.body, "Familjeregister") && !strstr(r.body, "Ekonomisystemet"),
	   "the unit's list has both, not the other unit's");
	ok(strstr(w, "Ekonomienhet") == NULL, "no line of a unit the owner has no role in");
	is_int(every_link_opens("socialchef@a.se", w), 0, "every line opens");
}

/* A system's named owner is asked whatever their roles (the IT manager
 * owning a system was told nothing: the line asked for the owner role). */
TEST(an_owner_without_the_owner_role_is_asked_too)
{
	int64_t unit = make_unit("alfa", ADMIN, "Itenheten", 0);
	int64_t chef = fx_add_member(fx, fx->org_alfa, "it-chef@a.se", "Ida Itchef", "it_chef", 0);
	int64_t s = make_system("Brandvaggen", unit, chef);
	struct fx_resp r;

	mark_for_review(s);
	r = fx_get(fx, "it-chef@a.se", "/o/alfa/");
	ok(line_link(waiting_of(r.body), "1 av dina system") != NULL,
	   "the IT manager's own system to review: %.400s", waiting_of(r.body));
}

/* One account, a person in each organisation: the start page of each asks
 * with that organisation's person (the shared coordinator). */
TEST(a_shared_account_is_asked_per_organisation)
{
	int64_t unit = make_unit("alfa", ADMIN, "Samordning", 0);
	int64_t me = scalar("SELECT id FROM person WHERE email = 'samordnare@a.se'"
			    " AND org_id = $1", fx->org_alfa);
	int64_t s = make_system("Samordnarens system", unit, me);
	struct fx_resp r;

	mark_for_review(s);
	r = fx_get(fx, COORD, "/o/alfa/");
	ok(line_link(waiting_of(r.body), "1 av dina system") != NULL,
	   "in alfa: the coordinator's own system to review");
	r = fx_get(fx, COORD, "/o/beta/");
	ok(strstr(waiting_of(r.body), "av dina system") == NULL,
	   "in beta: not alfa's system (another person record)");
}

/* covers R-1-17 (the open tasks of a role holder): the information owner
 * sees their unclassified set, linked to exactly it */
TEST(information_owner_sees_their_unclassified_set)
{
	int64_t unit = make_unit("alfa", ADMIN, "Skolenhet", 0);
	int64_t io = fx_add_member(fx, fx->org_alfa, "info@a.se", "Inga Informationsägare",
				   "informationsagare", unit);
	int64_t set = make_infoset("Elevakter", unit, io);
	int64_t other = make_infoset("Personalakter", unit, 0);
	const char *w, *link;
	struct fx_resp r;

	ok(set > 0 && other > 0, "two information sets");
	r = fx_get(fx, "info@a.se", "/o/alfa/");
	w = waiting_of(r.body);
	link = line_link(w, "1 av dina informationsmängder är inte klassad ännu");
	ok(link != NULL, "one of yours is not classified: %.400s", w);
	is_str(link, arena_printf(&fx->a, "/o/alfa/information-review?show=unclassified"
				  "&owner_id=%lld", (long long)io), "linked to exactly those");
	r = fx_get(fx, "info@a.se", link ? link : "/");
	ok(r.status == 200 && strstr(r.body, "Elevakter") && !strstr(r.body, "Personalakter"),
	   "the list has the owner's set only");
	/* the unit's line: both sets of the unit are unclassified */
	link = line_link(w, "2 informationsmängder i Skolenhet");
	ok(link != NULL, "the unit's unclassified sets: %.400s", w);
	r = fx_get(fx, "info@a.se", link ? link : "/");
	ok(r.status == 200 && strstr(r.body, "Elevakter") && strstr(r.body, "Personalakter"),
	   "the unit's list has both");
	is_int(every_link_opens("info@a.se", w), 0, "every line opens");
}

/* A review date "YYYY-MM-DD" days from today (Stockholm). */
static const char *days_from_today(int days)
{
	return arena_printf(&fx->a, "%.10s",
			    clock_format_local(&fx->a, clock_now() + (int64_t)days * 86400));
}

static void set_review_on(int64_t set, const char *date)
{
	struct db_error err;

	if (db_exec(fx->db, &fx->a, "UPDATE information_set SET review_on = $1 WHERE id = $2",
		    DB_ARGS(DB_TEXT(date), DB_INT(set)), NULL, &err) != 0)
		printf("# %s\n", err.msg);
}

/* The start page shows what the review reminders (issue 8) mail: the
 * owner's sets due within 30 days, the sets in the systems a person owns
 * that are due or overdue, and the organisation's for the coordinator;
 * each line opens exactly those. */
TEST(review_due_soon_and_in_my_systems)
{
	int64_t unit = make_unit("alfa", ADMIN, "Lonekontoret", 0);
	int64_t io = fx_add_member(fx, fx->org_alfa, "io2@a.se", "Ida Ägare",
				   "informationsagare", unit);
	int64_t so = fx_add_member(fx, fx->org_alfa, "so2@a.se", "Sven Systemägare",
				   "systemagare", 0);
	int64_t soon = make_infoset("Lonelistor", unit, io);
	int64_t late = make_infoset("Gamla%20listor", unit, io);
	int64_t held = make_infoset("Lonespecar", unit, 0);
	int64_t sys = make_system("Lonesystem", unit, so);
	struct fx_resp r;
	const char *w, *link;

	ok(soon && late && held && sys, "three sets and a system");
	set_review_on(soon, days_from_today(10));
	set_review_on(late, days_from_today(-3));
	set_review_on(held, days_from_today(5));
	r = fx_post(fx, COORD, "/o/alfa/system-information",
		    arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				 (long long)held));
	is_int(r.status, 303, "the system holds one of them");

	r = fx_get(fx, "io2@a.se", "/o/alfa/");
	w = waiting_of(r.body);
	link = line_link(w, "1 av dina informationsmängder ska omprövas inom 30 dagar");
	is_str(link, arena_printf(&fx->a, "/o/alfa/information-review?show=soon&owner_id=%lld",
				  (long long)io), "the owner's set due soon");
	r = fx_get(fx, "io2@a.se", link ? link : "/");
	ok(r.status == 200 && strstr(r.body, "Lonelistor") && !strstr(r.body, "Gamla listor"),
	   "lists the one due soon, not the overdue one");
	has_str(r.body, "inom 30 dagar", "and says what it lists");
	ok(line_link(w, "1 av dina informationsmängder ska omprövas – datumet har passerat")
	   != NULL, "the overdue one has its own line");

	r = fx_get(fx, "so2@a.se", "/o/alfa/");
	w = waiting_of(r.body);
	link = line_link(w, "1 informationsmängd i dina system ska omprövas");
	is_str(link, arena_printf(&fx->a, "/o/alfa/information-review?show=due"
				  "&system_owner_id=%lld", (long long)so),
	       "the system owner's line");
	r = fx_get(fx, "so2@a.se", link ? link : "/");
	ok(r.status == 200 && strstr(r.body, "Lonespecar") && !strstr(r.body, "Lonelistor"),
	   "lists the set the system holds, not the others");
	has_str(r.body, "som Sven Systemägare äger", "naming whose systems");
	is_int(every_link_opens("so2@a.se", w), 0, "every line opens");

	r = fx_get(fx, COORD, "/o/alfa/");
	w = waiting_of(r.body);
	link = line_link(w, "ska omprövas inom 30 dagar");
	is_str(link, "/o/alfa/information-review?show=soon", "the organisation's line");
	r = fx_get(fx, COORD, link ? link : "/");
	ok(strstr(r.body, "Lonelistor") && strstr(r.body, "Lonespecar") &&
	   !strstr(r.body, "Gamla listor"), "the organisation's sets due soon");
}

/* A plain user is offered no line whose page they may not open, even for
 * records named as theirs; the coordinator's lines all open, and refused
 * requests are not the coordinator's "recent events". */
TEST(no_line_links_to_a_refusal)
{
	int64_t unit = make_unit("alfa", ADMIN, "Kultur", 0);
	int64_t user = scalar("SELECT id FROM person WHERE email = 'anvandare@a.se'"
			      " AND org_id = $1", fx->org_alfa);
	struct fx_resp r;
	const char *w;

	ok(make_infoset("Lanekort", unit, user) > 0, "a set named as the plain user's");
	r = fx_get(fx, USER, "/o/alfa/");
	is_int(r.status, 200, "the plain user's start page");
	w = waiting_of(r.body);
	ok(strstr(w, "information-review") == NULL, "no line to a page they may not open");
	ok(strstr(w, "Inget väntar") != NULL, "nothing waits for them");
	is_int(every_link_opens(USER, r.body), 0, "no link of the page is refused");
	is_int(fx_get(fx, USER, "/o/alfa/people").status, 403, "a refused request");
	ok(make_system("Agarlost", unit, 0) > 0 && make_system("Agarfast", unit, user) > 0,
	   "a system without an owner and one with");
	r = fx_get(fx, COORD, "/o/alfa/");
	w = waiting_of(r.body);
	ok(strstr(w, "saknar systemägare") != NULL, "the coordinator's organisation lines");
	{
		const char *link = line_link(w, "saknar systemägare");
		struct fx_resp l = fx_get(fx, COORD, link ? link : "/");
		is_str(link, "/o/alfa/systems?owner_id=none", "linked to the systems without owner");
		ok(strstr(l.body, "Agarlost") && !strstr(l.body, "Agarfast"),
		   "which lists the one without, not the one with");
		ok(strstr(l.body, "value=\"none\" selected") != NULL,
		   "and its filter says so");
	}
	is_int(every_link_opens(COORD, w), 0, "each of the coordinator's lines opens");
	ok(strstr(r.body, "Nekad åtkomst") == NULL, "no refusal among the recent events");
	r = fx_get(fx, ADMIN, "/o/alfa/");
	is_int(every_link_opens(ADMIN, waiting_of(r.body)), 0, "each of the administrator's opens");
}

/* Counts are bounded: past 99, "fler än 99". */
TEST(counts_are_bounded)
{
	int64_t unit = make_unit("alfa", ADMIN, "Storenhet", 0);
	int64_t owner = fx_add_member(fx, fx->org_alfa, "manga@a.se", "Måns Många", "systemagare",
				      0);
	struct fx_resp r;

	for (int i = 0; i < 100; i++)
		mark_for_review(make_system(arena_printf(&fx->a, "Massystem%03d", i), unit, owner));
	r = fx_get(fx, "manga@a.se", "/o/alfa/");
	ok(line_link(waiting_of(r.body), "fler än 99 av dina system") != NULL,
	   "fler än 99: %.300s", waiting_of(r.body));
}

/* A unit's page lists its sub-units, people with roles, systems and
 * information; a person's page what they own and their roles. */
TEST(unit_and_person_pages_list_what_belongs_to_them)
{
	int64_t top = make_unit("alfa", ADMIN, "Samhallsbyggnad", 0);
	int64_t sub = make_unit("alfa", ADMIN, "Bygglovsenheten", top);
	int64_t boss = fx_add_member(fx, fx->org_alfa, "sbchef@a.se", "Sixten Byggchef",
				     "systemagare", top);
	struct fx_resp r;

	int64_t other;

	scalar("UPDATE person SET unit_id = $1 WHERE email = 'sbchef@a.se' RETURNING id", top);
	ok(make_system("Bygglovsregistret", top, boss) > 0, "a system of the unit");
	other = make_system("Kartportalen", sub, 0);
	r = fx_post(fx, COORD, "/o/alfa/system-roles",
		    arena_printf(&fx->a, "system_id=%lld&person_id=%lld&role=business_owner",
				 (long long)other, (long long)boss));
	is_int(r.status, 303, "the person is business owner of another system");
	ok(make_infoset("Bygglovsakter", top, boss) > 0, "an information set of the unit");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/units/%lld", (long long)top));
	is_int(r.status, 200, "the unit's page");
	ok(strstr(r.body, "id=\"u-units\"") && strstr(r.body, "Bygglovsenheten"),
	   "lists the sub-unit");
	ok(strstr(r.body, "id=\"u-people\"") && strstr(r.body, "Sixten Byggchef"),
	   "lists the person");
	ok(strstr(r.body, "id=\"u-roles\"") && strstr(r.body, "Systemägare"),
	   "lists the roles held for the unit");
	ok(strstr(r.body, "id=\"u-systems\"") && strstr(r.body, "Bygglovsregistret"),
	   "lists the unit's systems");
	ok(strstr(r.body, "id=\"u-information\"") && strstr(r.body, "Bygglovsakter"),
	   "lists the unit's information sets");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)boss));
	is_int(r.status, 200, "the person's page");
	ok(strstr(r.body, "id=\"p-roles\"") && strstr(r.body, "id=\"p-systems\"") &&
	   strstr(r.body, "Bygglovsregistret"), "lists their roles and the systems they own");
	ok(strstr(r.body, "id=\"p-information\"") && strstr(r.body, "Bygglovsakter"),
	   "lists the information they own");
	ok(strstr(r.body, "id=\"p-system-roles\"") && strstr(r.body, "Kartportalen"),
	   "lists the systems where they hold a role (business owner)");
	(void)sub;
}

/* A unit with more people than the page lists links to the filtered list. */
TEST(related_lists_are_bounded)
{
	int64_t u = make_unit("alfa", ADMIN, "Stormottagning", 0);
	struct fx_resp r;

	for (int i = 0; i < 55; i++)
		scalar(arena_printf(&fx->a, "INSERT INTO person (org_id, name, name_sk, unit_id,"
				    " employment, search, created_at, updated_at) VALUES (%lld,"
				    " 'Pelle %02d', 'PELLE %02d', $1, 'active', '', 1, 1) RETURNING id",
				    (long long)fx->org_alfa, i, i), u);
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/units/%lld", (long long)u));
	ok(strstr(r.body, arena_printf(&fx->a, "/o/alfa/people?unit_id=%lld", (long long)u)) != NULL,
	   "a link to the people of the unit past the first 50");
	ok(strstr(r.body, "Pelle 54") == NULL, "the page lists at most 50");
}

/* The owner pickers offer people who can own first (a role other than the
 * plain user's, no protected identity), then the others in a group. */
TEST(owner_picker_offers_who_can_own_first)
{
	struct fx_resp r;
	const char *sel, *first, *rest, *can, *plain, *hidden;

	scalar("INSERT INTO person (org_id, name, name_sk, employment, protected_identity, search,"
	       " created_at, updated_at) VALUES ($1, 'Hemlig Person', 'HEMLIG PERSON', 'active', 1,"
	       " '', 1, 1) RETURNING id", fx->org_alfa);
	scalar("INSERT INTO role_assignment (org_id, person_id, role, created_at, updated_at)"
	       " SELECT org_id, id, 'systemagare', 1, 1 FROM person WHERE name = 'Hemlig Person'"
	       " AND org_id = $1 RETURNING id", fx->org_alfa);
	r = fx_get(fx, COORD, "/o/alfa/systems/new");
	is_int(r.status, 200, "the new system form");
	sel = strstr(r.body, "name=\"owner_id\"");
	ok(sel != NULL, "an owner picker");
	first = sel ? strstr(sel, "<optgroup label=\"Kan ha ansvar") : NULL;
	rest = first ? strstr(first, "<optgroup label=\"Övriga personer\"") : NULL;
	ok(first && rest, "two groups, who can own first");
	can = sel ? strstr(sel, "Åsa Öberg") : NULL;
	plain = sel ? strstr(sel, "Ulla Användare") : NULL;
	hidden = sel ? strstr(sel, "Skyddad identitet") : NULL;
	ok(can && first && rest && can > first && can < rest, "the coordinator among who can own");
	ok(plain && rest && plain > rest, "the plain user among the others");
	ok(hidden && rest && hidden > rest, "a protected identity among the others");
}

/* "Kom igång": each step done or not, and how far the organisation has
 * come, changing as steps are done. */
TEST(getting_started_shows_progress)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/beta/kom-igang");
	const char *home;
	int64_t unit;

	is_int(r.status, 200, "the guide");
	ok(strstr(r.body, "0 av 8 steg klara") != NULL, "a new organisation: none done");
	ok(strstr(r.body, "/o/beta/systems/import") != NULL, "systems by import too");
	home = fx_get(fx, COORD, "/o/beta/").body;
	ok(strstr(home, "/o/beta/kom-igang") && strstr(home, "0 av 8 steg klara"),
	   "the start page links to it while not complete");
	unit = make_unit("beta", "admin@b.se", "Betaenhet", 0);
	ok(unit > 0, "a unit in beta");
	r = fx_get(fx, COORD, "/o/beta/kom-igang");
	ok(strstr(r.body, "1 av 8 steg klara") != NULL, "a unit: one step done");
	fx_add_member(fx, fx->org_beta, "agare@b.se", "Bo Betaägare", "systemagare", unit);
	r = fx_get(fx, COORD, "/o/beta/kom-igang");
	ok(strstr(r.body, "2 av 8 steg klara") != NULL, "a system owner: two steps done");
	ok(strstr(r.body, "1 rolltilldelningar") != NULL, "with the count of roles given");
	{
		struct fx_resp s = fx_post(fx, COORD, "/o/beta/systems",
					   "name=Betasystem&hosting=own&lifecycle=operation"
					   "&personal_data=none");
		int64_t sys = fx_location_id(&s), inf;
		r = fx_get(fx, COORD, "/o/beta/kom-igang");
		ok(sys > 0 && strstr(r.body, "3 av 8 steg klara"), "a system: three steps done");
		s = fx_post(fx, COORD, "/o/beta/information", "name=Betainformation");
		inf = fx_location_id(&s);
		r = fx_get(fx, COORD, "/o/beta/kom-igang");
		ok(inf > 0 && strstr(r.body, "4 av 8 steg klara"), "information: four steps done");
		is_int(fx_post(fx, COORD, "/o/beta/system-information",
			       arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
					    (long long)inf)).status, 303, "the system handles it");
		is_int(fx_post(fx, COORD, "/o/beta/classifications",
			       arena_printf(&fx->a, "infoset_id=%lld&level_k=2&level_r=2&level_t=2"
					    "&level_s=2&decided_on=2026-01-05", (long long)inf)).status,
		       303, "classified");
		if (scalar("SELECT needs_review FROM it_system WHERE id = $1", sys) == 1) {
			r = fx_get(fx, COORD, "/o/beta/kom-igang");
			ok(strstr(r.body, "5 av 8 steg klara") != NULL,
			   "classified, the system to review: five steps done");
			is_int(fx_post(fx, COORD, arena_printf(&fx->a, "/o/beta/systems/%lld/reviewed",
							       (long long)sys),
				       arena_printf(&fx->a, "version=%lld", (long long)scalar(
						"SELECT version FROM it_system WHERE id = $1", sys))).status,
			       303, "reviewed");
		}
		r = fx_get(fx, COORD, "/o/beta/kom-igang");
		ok(strstr(r.body, "6 av 8 steg klara") != NULL, "the register's steps done");
		ok(strstr(r.body, "/o/beta/measures/catalogue") != NULL,
		   "the next: the measure catalogue");
		is_int(fx_post(fx, COORD, "/o/beta/measures/catalogue", "source=builtin").status, 303,
		       "the catalogue is loaded");
		r = fx_get(fx, COORD, "/o/beta/kom-igang");
		ok(strstr(r.body, "7 av 8 steg klara") != NULL, "seven steps done");
		{
			int64_t a = scalar("SELECT min(id) FROM measure_assessment WHERE system_id = $1",
					   sys);
			is_int(fx_post(fx, COORD, arena_printf(&fx->a, "/o/beta/assessments/%lld",
							       (long long)a),
				       arena_printf(&fx->a, "measure_id=%lld&system_id=%lld&status=met"
						    "&version=%lld",
						    (long long)scalar("SELECT measure_id FROM"
								      " measure_assessment WHERE id = $1",
								      a),
						    (long long)sys,
						    (long long)scalar("SELECT version FROM"
								      " measure_assessment WHERE id = $1",
								      a))).status,
			       303, "a measure of the system is assessed");
		}
		r = fx_get(fx, COORD, "/o/beta/kom-igang");
		ok(strstr(r.body, "8 av 8 steg klara") != NULL, "every step done");
		ok(strstr(fx_get(fx, COORD, "/o/beta/").body, "kom-igang") == NULL,
		   "a complete guide is no longer on the start page");
	}
	is_int(fx_get(fx, USER, "/o/alfa/kom-igang").status, 403,
	       "the guide is for those who build the register");
	ok(strstr(fx_get(fx, USER, "/o/alfa/").body, "kom-igang") == NULL,
	   "and not on a plain user's start page");
}

/* covers R-1-01, R-1-03, R-1-04, R-1-13, R-1-15, R-1-16: the
 * information-security function as a record (where it sits, reporting,
 * share of time, partners, adviser), flagged when under a majority or not
 * reporting to the top; the management group with its chair; an IT
 * preparation group as a body with members */
TEST(security_function_and_bodies)
{
	int64_t klf = make_unit("alfa", ADMIN, "Kommunledning", 0);
	int64_t coord = scalar("SELECT id FROM person WHERE email = 'samordnare@a.se'"
			       " AND org_id = $1", fx->org_alfa);
	struct fx_resp r = fx_post(fx, COORD, "/o/alfa/bodies",
		arena_printf(&fx->a, "name=Informationssakerhetsfunktionen&kind=security_function"
			     "&unit_id=%lld&chair_id=%lld&time_share=40&partners=Grannby"
			     "&advisory=Projekt", (long long)klf, (long long)coord));
	int64_t fn = fx_location_id(&r), grp;

	is_int(r.status, 303, "the function is registered");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/bodies/%lld", (long long)fn));
	ok(strstr(r.body, "Rapporterar inte direkt till högsta ledningen"),
	   "not reporting to the top is pointed out");
	ok(strstr(r.body, "40 procent") && strstr(r.body, "mindre än en majoritet"),
	   "40 per cent is flagged as less than a majority");
	ok(strstr(r.body, "Grannby") && strstr(r.body, "Kommunledning"),
	   "partners and where it sits are shown");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/bodies/%lld", (long long)fn),
		    arena_printf(&fx->a, "version=1&name=Informationssakerhetsfunktionen"
				 "&kind=security_function&unit_id=%lld&chair_id=%lld"
				 "&time_share=60&reports_to_top=1", (long long)klf,
				 (long long)coord));
	is_int(r.status, 303, "updated: 60 per cent, reporting to the top");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/bodies/%lld", (long long)fn));
	ok(strstr(r.body, "som rekommenderat") && !strstr(r.body, "mindre än en majoritet"),
	   "no flags any more");
	r = fx_post(fx, COORD, "/o/alfa/bodies", "name=IT-beredningsgruppen&kind=it_preparation_group");
	grp = fx_location_id(&r);
	is_int(r.status, 303, "an IT preparation group");
	r = fx_post(fx, COORD, "/o/alfa/body-members",
		    arena_printf(&fx->a, "body_id=%lld&person_id=%lld&task=Sekreterare",
				 (long long)grp, (long long)coord));
	is_int(r.status, 303, "with a member");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/bodies/%lld", (long long)grp));
	ok(strstr(r.body, "id=\"b-members\"") && strstr(r.body, "Åsa Öberg"), "the group's members");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)coord));
	ok(strstr(r.body, "id=\"p-bodies\"") && strstr(r.body, "IT-beredningsgruppen"),
	   "the person's page names the body");
	r = fx_post(fx, COORD, "/o/alfa/bodies",
		    arena_printf(&fx->a, "name=Ledningsgruppen&kind=management_group&chair_id=%lld",
				 (long long)coord));
	grp = fx_location_id(&r);
	is_int(r.status, 303, "the management group with its chair");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/bodies/%lld", (long long)grp));
	ok(strstr(r.body, "Ledningsgruppen") && strstr(r.body, "Åsa Öberg"),
	   "its page names the chair");
	is_int(fx_post(fx, USER, "/o/alfa/bodies", "name=X&kind=other").status, 403,
	       "a plain user registers no body");
}

/* covers R-1-17: each role's duties from the instruction, with the way
 * to the holder's open tasks */
TEST(roles_and_duties_page)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/role-duties");

	is_int(r.status, 200, "the page");
	ok(strstr(r.body, "id=\"role-systemagare\"") &&
	   strstr(r.body, "systemsäkerhetsplan"), "the system owner's duties");
	ok(strstr(r.body, "direkt underställd kommunchefen"), "the coordinator's");
	ok(strstr(r.body, "Din roll") && strstr(r.body, "Det här väntar på dig"),
	   "the viewer's own role, with what waits for them");
	r = fx_get(fx, USER, "/o/alfa/role-duties");
	is_int(r.status, 200, "a plain user reads it too");
	ok(strstr(r.body, "/o/alfa/roles?role=") == NULL, "without a link they may not open");
}

/* covers R-1-05: the kinds of organisation include a joint IT
 * organisation and a rescue service */
TEST(organisation_kinds)
{
	struct fx_resp r = fx_get(fx, ADMIN, "/o/alfa/settings");

	ok(strstr(r.body, "value=\"it_organisation\"") && strstr(r.body, "value=\"raddningstjanst\"")
	   && strstr(r.body, "value=\"kommun\""), "municipality, joint IT, rescue service");
}

/* covers R-1-18, R-2-09: the coordinator is told of systems that lack
 * roles and of systems critical to society without a security plan, each
 * line linked to exactly those systems */
TEST(coordinator_is_told_of_missing_roles_and_plans)
{
	int64_t unit = make_unit("alfa", ADMIN, "Raddning", 0);
	int64_t critical = make_system("Larmcentral", unit, 0);
	struct fx_resp r, l;
	const char *w, *link;

	ok(critical > 0, "a system");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)critical),
		    arena_printf(&fx->a, "version=%lld&name=Larmcentral&hosting=own"
				 "&lifecycle=operation&personal_data=none&critical_society=1",
				 (long long)scalar("SELECT version FROM it_system WHERE id = $1",
						   critical)));
	is_int(r.status, 303, "marked critical to society");
	w = waiting_of(fx_get(fx, COORD, "/o/alfa/").body);
	link = line_link(w, "saknar säkerhetsplan");
	is_str(link, "/o/alfa/security-plan-lists?show=missing", "the plan line (the security plans')");
	l = fx_get(fx, COORD, link ? link : "/");
	ok(l.status == 200 && strstr(l.body, "Larmcentral") != NULL, "lists the critical system");
	link = line_link(w, "saknar någon av rollerna");
	is_str(link, "/o/alfa/systems?roles_missing=1", "the roles line");
	l = fx_get(fx, COORD, link ? link : "/");
	ok(l.status == 200 && strstr(l.body, "Larmcentral") != NULL, "lists the system without roles");
	w = waiting_of(fx_get(fx, USER, "/o/alfa/").body);
	ok(strstr(w, "saknar säkerhetsplan") == NULL, "not a plain user's line");
}

/* Every module's start-page lines, numbers and guide steps, and every
 * section of the coordinator's overview, run on the engine under test: a
 * query the engine refuses (PostgreSQL has no unary + on text, say) fails
 * the page, so a person holding every role - for the whole organisation,
 * and one holding every role for one unit - gets each page whole. */
TEST(every_start_page_item_runs_on_this_engine)
{
	static const char *const roles[] = {
		"samordnare", "ledning", "systemagare", "informationsagare", "systemforvaltare",
		"systemadministrator", "it_chef", "dataskyddsombud", "anvandare", "administrator",
		"kommunchef",
	};
	int64_t unit = make_unit("alfa", ADMIN, "Allt", 0);
	struct fx_resp r;

	int64_t all = fx_add_member(fx, fx->org_alfa, "allt@a.se", "Alla Roller", roles[0], 0);
	int64_t one = fx_add_member(fx, fx->org_alfa, "enhet@a.se", "Enhetens Roller", roles[0],
				    unit);
	int added = 0;

	ok(unit > 0 && all > 0 && one > 0, "a unit and two people");
	for (size_t i = 1; i < ARRAY_SIZE(roles); i++) {
		added += fx_post(fx, ADMIN, "/o/alfa/roles", arena_printf(&fx->a,
				 "person_id=%lld&role=%s", (long long)all, roles[i])).status == 303;
		added += fx_post(fx, ADMIN, "/o/alfa/roles", arena_printf(&fx->a,
				 "person_id=%lld&role=%s&unit_id=%lld", (long long)one, roles[i],
				 (long long)unit)).status == 303;
	}
	ok(added >= 2 * ((int)ARRAY_SIZE(roles) - 2), "the other roles given (%d)", added);
	r = fx_get(fx, "allt@a.se", "/o/alfa/");
	is_int(r.status, 200, "every role for the organisation: the start page is whole");
	has_str(r.body, "Väntar på dig", "with its lines");
	is_int(fx_get(fx, "allt@a.se", "/o/alfa/overview").status, 200, "and the overview");
	is_int(fx_get(fx, "allt@a.se", "/o/alfa/kom-igang").status, 200, "and the guide");
	ok(fx_get(fx, "allt@a.se", "/overview").status < 400,
	   "and the organisations side by side (one: sent to its overview)");
	r = fx_get(fx, "enhet@a.se", "/o/alfa/");
	is_int(r.status, 200, "every role for one unit: the start page is whole");
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
