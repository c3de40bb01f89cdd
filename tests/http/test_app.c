/* test_app.c - the application through the real router, in process, on the
 * engine chosen by VARN_TEST_DB: the newcomer's walk, forms that keep work,
 * Swedish order and search, paging, protected identities, CSRF, roles and
 * organisation isolation, CSV export/import, concurrency, the audit trail. */
#include "base/base.h"

#include <unistd.h>

#include "core/audit.h"
#include "core/auth.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"
#define ADMIN_B "admin@b.se"

static int64_t make_unit(const char *who, const char *org, const char *form)
{
	struct fx_resp r = fx_post(fx, who, arena_printf(&fx->a, "/o/%s/units", org), form);
	if (r.status != 303)
		printf("# make_unit %s -> %d\n", form, r.status);
	return fx_location_id(&r);
}

TEST(health_and_static)
{
	struct fx_resp r = fx_get(fx, NULL, "/healthz");
	is_int(r.status, 200, "/healthz answers 200 without sign-in");
	is_str(r.body, "ok\n", "and says ok");
	r = fx_get(fx, NULL, "/static/style.css");
	is_int(r.status, 200, "the stylesheet is served");
	has_str(r.content_type, "text/css", "as CSS");
	r = fx_get(fx, NULL, "/static/nope.css");
	is_int(r.status, 404, "an unknown static file is 404");
}

TEST(sign_in_required)
{
	struct fx_resp r = fx_get(fx, NULL, "/o/alfa/units");
	is_int(r.status, 303, "a page without a session redirects");
	has_str(r.location, "/logga-in?next=%2Fo%2Falfa%2Funits", "to the sign-in page, keeping where to go");
	r = fx_request(fx, NULL, "POST", "/o/alfa/units", "name=x", "application/x-www-form-urlencoded",
		       NULL, NULL);
	is_int(r.status, 403, "a POST without a session is refused");
	r = fx_get(fx, NULL, "/o/alfa/units?x=%zz");
	ok(r.status == 303 || r.status == 400, "a malformed query is refused or redirected (%d)", r.status);
}

TEST(error_pages_in_swedish)
{
	struct fx_resp r = fx_get(fx, COORD, "/finns/inte");
	is_int(r.status, 404, "unknown path is 404");
	has_str(r.body, "Sidan finns inte", "with a Swedish page");
	has_str(r.body, "lang=\"sv\"", "marked as Swedish");
	r = fx_request(fx, COORD, "DELETE", "/o/alfa/units", NULL, NULL, NULL, NULL);
	is_int(r.status, 405, "wrong method is 405");
	has_str(r.body, "Metoden stöds inte", "in Swedish");
	r = fx_request(fx, COORD, "GET", "/finns/inte", NULL, NULL, "Accept-Language", "en");
	has_str(r.body, "lang=\"sv\"", "a signed-in user's own language choice (sv) wins over the browser's");
}

TEST(start_page_shows_what_waits)
{
	struct fx_resp r = fx_get(fx, COORD, "/");
	is_int(r.status, 200, "the coordinator of two organisations chooses one");
	has_str(r.body, "Alfa kommun", "alfa is offered");
	has_str(r.body, "Beta kommun", "beta is offered");
	r = fx_get(fx, USER, "/");
	is_int(r.status, 303, "a user of one organisation goes straight to it");
	is_str(r.location, "/o/alfa/", "to alfa");
	r = fx_get(fx, COORD, "/o/alfa/");
	is_int(r.status, 200, "the organisation's start page");
	has_str(r.body, "Väntar på dig", "shows what waits");
	has_str(r.body, "Informationssäkerhetssamordnare", "and the person's roles");
}

TEST(newcomer_walk)
{
	int64_t unit, person, role;
	struct fx_resp r;
	const char *form;

	unit = make_unit(COORD, "alfa", "name=Socialf%C3%B6rvaltningen&kind=forvaltning&code=SOC");
	ok(unit > 0, "the coordinator adds a unit");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/units/%lld?created=1", (long long)unit));
	is_int(r.status, 200, "the unit's page");
	has_str(r.body, "Socialförvaltningen", "shows its name");
	has_str(r.body, "Posten är skapad", "and says it was created");

	form = arena_printf(&fx->a, "name=Kim+Karlsson&email=KIM%%40alfa.se&unit_id=%lld&employment=active",
			    (long long)unit);
	r = fx_post(fx, COORD, "/o/alfa/people", form);
	is_int(r.status, 303, "the coordinator adds a person");
	person = fx_location_id(&r);
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)person));
	has_str(r.body, "kim@alfa.se", "the e-mail is stored lower-cased");
	has_str(r.body, "Socialförvaltningen", "the person's unit is shown by name");

	form = arena_printf(&fx->a, "person_id=%lld&role=systemagare&unit_id=%lld", (long long)person,
			    (long long)unit);
	r = fx_post(fx, COORD, "/o/alfa/roles", form);
	is_int(r.status, 303, "the coordinator gives the person a role");
	role = fx_location_id(&r);
	ok(role > 0, "the role assignment has an id");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)person));
	has_str(r.body, "Systemägare", "the person's page lists the role");

	r = fx_get(fx, COORD, "/o/alfa/audit");
	is_int(r.status, 200, "the coordinator reads the audit trail");
	has_str(r.body, "Socialförvaltningen", "the unit's creation is there");
	has_str(r.body, "Kim Karlsson", "the person's creation is there");
	has_str(r.body, "roles", "the role assignment is there");
	has_str(r.body, COORD, "with who did it");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/audit?entity=people&entity_id=%lld",
					   (long long)person));
	has_str(r.body, "kim@alfa.se", "a record's history shows its values");
	lacks_str(r.body, "Socialförvaltningen</td>", "and only that record");
}

TEST(bad_input_keeps_work)
{
	struct fx_resp r = fx_post(fx, COORD, "/o/alfa/units",
				   "name=&kind=enhet&code=K%C3%96K&description=L%C3%A5ng+text");
	is_int(r.status, 422, "a unit without a name is refused");
	has_str(r.body, "Fältet måste fyllas i.", "with a Swedish message");
	has_str(r.body, "value=\"KÖK\"", "the code comes back as typed");
	has_str(r.body, "Lång text</textarea>", "the description comes back as typed");
	has_str(r.body, "aria-invalid=\"true\"", "the wrong field is marked for screen readers");
	has_str(r.body, "href=\"#f-name\"", "the summary links to the field");
	r = fx_post(fx, COORD, "/o/alfa/units", "name=X&kind=slott");
	is_int(r.status, 422, "an unknown kind is refused");
	has_str(r.body, "Välj ett av alternativen.", "with its message");
	r = fx_post(fx, COORD, "/o/alfa/people", "name=Y&email=inte-en-adress&employment=active");
	is_int(r.status, 422, "a bad e-mail is refused");
	has_str(r.body, "Ange en giltig e-postadress", "with its message");
	is_int(fx_scalar(fx, "SELECT count(*) FROM person WHERE name = 'Y' AND org_id = $1",
			 fx->org_alfa), 0, "nothing was saved");
	r = fx_post(fx, COORD, "/o/alfa/units", "name=Kod1&kind=enhet&code=DUP");
	is_int(r.status, 303, "a code is saved");
	r = fx_post(fx, COORD, "/o/alfa/units", "name=Kod2&kind=enhet&code=DUP");
	is_int(r.status, 422, "the same code twice is refused");
	has_str(r.body, "Värdet används redan.", "as already in use");
	r = fx_post(fx, COORD, "/o/alfa/units", "name=%C3%A5%C3%A4%C3%B6%01&kind=enhet");
	is_int(r.status, 422, "control characters are refused");
}

TEST(xss_is_escaped_everywhere)
{
	const char *payload = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%22%27%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E";
	const char *form = arena_printf(&fx->a, "name=%s&kind=enhet&code=%s&description=%s",
					payload, "X%3Cb%3E", payload);
	int64_t id = make_unit(COORD, "alfa", form);
	struct fx_resp r;
	const char *pages[4];

	ok(id > 0, "a unit named with markup is saved as text");
	pages[0] = "/o/alfa/units?q=script";
	pages[1] = arena_printf(&fx->a, "/o/alfa/units/%lld", (long long)id);
	pages[2] = arena_printf(&fx->a, "/o/alfa/units/%lld/edit", (long long)id);
	pages[3] = "/o/alfa/audit";
	for (int i = 0; i < 4; i++) {
		r = fx_get(fx, COORD, pages[i]);
		is_int(r.status, 200, pages[i]);
		lacks_str(r.body, "<script>alert", "no live script tag");
		lacks_str(r.body, "<img src=x", "no live img tag");
		has_str(r.body, "&lt;script&gt;", "the text is escaped");
	}
	r = fx_get(fx, COORD, "/o/alfa/units?q=%3Cscript%3E");
	has_str(r.body, "value=\"&lt;script&gt;\"", "a search term is escaped in the search box");
	r = fx_post(fx, COORD, "/o/alfa/people",
		    arena_printf(&fx->a, "name=%s&title=%s&phone=%s&employment=active", payload,
				 payload, "%3Cscript%3E"));
	is_int(r.status, 303, "a person named with markup is saved");
	r = fx_get(fx, COORD, "/o/alfa/people?q=script");
	lacks_str(r.body, "<script>alert", "the person list escapes it");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)fx_location_id(&r)));
	lacks_str(r.body, "<img src=x", "the person's page escapes it");
}

TEST(csrf_and_origin)
{
	struct fx_resp r = fx_request(fx, COORD, "POST", "/o/alfa/units", "name=Utan&kind=enhet",
				      "application/x-www-form-urlencoded", NULL, NULL);
	is_int(r.status, 403, "a POST without the CSRF token is refused");
	has_str(r.body, "Formuläret har gått ut", "with a Swedish explanation");
	r = fx_request(fx, COORD, "POST", "/o/alfa/units", "name=Fel&kind=enhet&csrf=AAAA",
		       "application/x-www-form-urlencoded", NULL, NULL);
	is_int(r.status, 403, "a wrong CSRF token is refused");
	r = fx_request(fx, COORD, "POST", "/o/alfa/units",
		       arena_printf(&fx->a, "name=Annan&kind=enhet&csrf=%s", fx_csrf(fx, COORD)),
		       "application/x-www-form-urlencoded", "Origin", "https://evil.example");
	is_int(r.status, 403, "a foreign Origin is refused even with the token");
	r = fx_request(fx, COORD, "POST", "/o/alfa/units",
		       arena_printf(&fx->a, "name=Egen&kind=enhet&csrf=%s", fx_csrf(fx, COORD)),
		       "application/x-www-form-urlencoded", "Origin", "http://varn.test");
	is_int(r.status, 303, "our own Origin with the token is accepted");
	is_int(fx_scalar(fx, "SELECT count(*) FROM unit WHERE org_id = $1 AND name IN ('Utan','Fel','Annan')",
			 fx->org_alfa), 0, "nothing refused was saved");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'denied' AND user_id = $1",
		     fx_user_id(fx, COORD)) >= 3, "refusals are audited as denied");
}

TEST(organisations_are_invisible_to_each_other)
{
	int64_t a_unit = make_unit(COORD, "alfa", "name=Hemlig+enhet&kind=enhet");
	int64_t b_unit = make_unit(ADMIN_B, "beta", "name=Betas+enhet&kind=enhet");
	struct fx_resp r;

	ok(a_unit > 0 && b_unit > 0, "each organisation has a unit");
	r = fx_get(fx, ADMIN_B, "/o/alfa/units");
	is_int(r.status, 404, "beta's admin gets 404 for alfa's list");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/units/%lld", (long long)a_unit));
	is_int(r.status, 404, "alfa's unit by id under beta is 404");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/alfa/units/%lld", (long long)a_unit));
	is_int(r.status, 404, "and under alfa too");
	r = fx_post(fx, ADMIN_B, arena_printf(&fx->a, "/o/beta/units/%lld", (long long)a_unit),
		    "name=Kapad&kind=enhet&version=1");
	is_int(r.status, 404, "beta cannot update alfa's unit by id");
	r = fx_post(fx, ADMIN_B, "/o/beta/people",
		    arena_printf(&fx->a, "name=P&employment=active&unit_id=%lld", (long long)a_unit));
	is_int(r.status, 422, "beta cannot point a person at alfa's unit");
	has_str(r.body, "Posten finns inte i organisationen.", "the reference is not found");
	r = fx_get(fx, COORD, "/o/beta/units");
	is_int(r.status, 200, "the shared coordinator reads beta");
	has_str(r.body, "Betas enhet", "sees beta's unit");
	lacks_str(r.body, "Hemlig enhet", "and not alfa's there");
	r = fx_get(fx, COORD, "/o/alfa/units?q=betas");
	lacks_str(r.body, "Betas enhet", "nor beta's in alfa");
}

TEST(roles_guard_administration)
{
	struct fx_resp r = fx_get(fx, USER, "/o/alfa/people");
	is_int(r.status, 403, "a plain user cannot list people");
	r = fx_get(fx, USER, "/o/alfa/settings");
	is_int(r.status, 403, "nor open the settings");
	r = fx_get(fx, USER, "/o/alfa/audit");
	is_int(r.status, 403, "nor read the audit trail");
	r = fx_post(fx, USER, "/o/alfa/units", "name=Nope&kind=enhet");
	is_int(r.status, 403, "nor add units");
	r = fx_get(fx, USER, "/o/alfa/units");
	is_int(r.status, 200, "but can read the unit list");
	lacks_str(r.body, "/o/alfa/audit\"", "the menu does not offer the audit trail");
	lacks_str(r.body, "Ny enhet", "nor a new-unit button");
	r = fx_get(fx, COORD, "/o/alfa/settings");
	is_int(r.status, 403, "settings are for administrators only");
	r = fx_get(fx, ADMIN, "/o/alfa/settings");
	is_int(r.status, 200, "the administrator opens them");
	r = fx_post(fx, COORD, "/o/alfa/roles",
		    arena_printf(&fx->a, "person_id=%lld&role=administrator",
				 (long long)fx_scalar(fx, "SELECT id FROM person WHERE email = 'samordnare@a.se' AND org_id = $1", fx->org_alfa)));
	is_int(r.status, 422, "the coordinator cannot make anyone administrator");
	has_str(r.body, "Bara en administratör", "and is told why");
}

/* The settings form through the field parts: each error beside its field,
 * linked from the summary, and what was typed kept. */
TEST(settings_errors_beside_their_fields)
{
	struct fx_resp r = fx_get(fx, ADMIN, "/o/alfa/settings");
	const char *v = strstr(r.body, "name=\"version\" value=\"");
	int64_t version = v ? atoll(v + 22) : 0;

	r = fx_post(fx, ADMIN, "/o/alfa/settings",
		    arena_printf(&fx->a, "name=&kind=stad&org_number=123456789012345678901"
				 "&totp_role=samordnare&version=%lld", (long long)version));
	is_int(r.status, 422, "an empty name, an unknown kind and a long number are refused");
	has_str(r.body, "href=\"#f-name\"", "the summary links to the name");
	has_str(r.body, "href=\"#f-kind\"", "to the kind");
	has_str(r.body, "href=\"#f-org_number\"", "and to the organisation number");
	has_str(r.body, "id=\"f-org_number-error\"", "whose error stands beside it");
	has_str(r.body, "aria-invalid=\"true\" aria-describedby=\"f-org_number-error\"",
		"named by the field");
	has_str(r.body, "value=\"123456789012345678901\"", "the number comes back as typed");
	has_str(r.body, "id=\"totp_role-samordnare\" name=\"totp_role\" value=\"samordnare\" checked",
		"and the TOTP roles as ticked");
	has_str(r.body, "<legend>Roller som måste använda tvåstegsverifiering", "in a group with a legend");
}

TEST(settings_require_totp)
{
	struct fx_resp r = fx_get(fx, ADMIN, "/o/alfa/settings");
	const char *v = strstr(r.body, "name=\"version\" value=\"");
	int64_t version = v ? atoll(v + 22) : 0;

	ok(version > 0, "the settings form carries a version");
	r = fx_post(fx, ADMIN, "/o/alfa/settings",
		    arena_printf(&fx->a, "name=Alfa+kommun&kind=kommun&totp_role=samordnare&totp_role=administrator&version=%lld",
				 (long long)version));
	is_int(r.status, 303, "the administrator requires TOTP for two roles");
	is_int(fx_scalar(fx, "SELECT totp_roles FROM organisation WHERE id = $1", fx->org_alfa),
	       (1 << 0) | (1 << 9), "stored as a role mask");
	r = fx_get(fx, COORD, "/o/alfa/");
	has_str(r.body, "Aktivera tvåstegsverifiering", "the coordinator's start page asks for TOTP");
	r = fx_post(fx, ADMIN, "/o/alfa/settings",
		    arena_printf(&fx->a, "name=Alfa+kommun&kind=kommun&version=%lld", (long long)version));
	is_int(r.status, 409, "saving with the old version is a conflict");
	r = fx_post(fx, ADMIN, "/o/alfa/settings",
		    arena_printf(&fx->a, "name=Alfa+kommun&kind=kommun&version=%lld", (long long)version + 1));
	is_int(r.status, 303, "the current version saves (requirement lifted)");
}

TEST(reset_links_only_for_accounts_one_administers)
{
	int64_t coord_person = fx_scalar(fx, "SELECT id FROM person WHERE email = 'samordnare@a.se' AND org_id = $1",
					 fx->org_alfa);
	int64_t user_person = fx_scalar(fx, "SELECT id FROM person WHERE email = 'anvandare@a.se' AND org_id = $1",
					fx->org_alfa);
	struct fx_resp r;

	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/people/%lld/reset-link", (long long)user_person), "");
	is_int(r.status, 200, "alfa's administrator makes a reset link for alfa's user");
	has_str(r.body, "/aterstall/", "and sees it once");
	r = fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/people/%lld/reset-link", (long long)coord_person), "");
	is_int(r.status, 403, "but not for the coordinator shared with beta");
	has_str(r.body, "varn reset-link", "and is told who can");
	is_int(fx_scalar(fx, "SELECT count(*) FROM reset_token WHERE user_id = $1", fx_user_id(fx, COORD)), 0,
	       "no link was made for the shared account");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/people/%lld/reset-link", (long long)user_person), "");
	is_int(r.status, 403, "a coordinator (not administrator) cannot make reset links");
}

TEST(concurrent_edits_are_detected)
{
	int64_t id = make_unit(COORD, "alfa", "name=Delad&kind=enhet");
	const char *path = arena_printf(&fx->a, "/o/alfa/units/%lld", (long long)id);
	struct fx_resp r;

	r = fx_post(fx, COORD, path, "name=F%C3%B6rsta&kind=enhet&version=1");
	is_int(r.status, 303, "the first edit saves");
	r = fx_post(fx, ADMIN, path, "name=Andra&kind=avdelning&version=1");
	is_int(r.status, 409, "the second edit from the same version is refused");
	has_str(r.body, "Någon annan har ändrat posten", "with an explanation");
	has_str(r.body, "value=\"Andra\"", "and the second person's text kept");
	has_str(r.body, "name=\"version\" value=\"2\"", "offering the current version");
	r = fx_get(fx, COORD, path);
	has_str(r.body, "Första", "the first edit stands");
}

TEST(archive_never_deletes)
{
	int64_t id = make_unit(COORD, "alfa", "name=Arkivenheten&kind=enhet");
	const char *path = arena_printf(&fx->a, "/o/alfa/units/%lld/archive", (long long)id);
	struct fx_resp r = fx_post(fx, COORD, path, "version=1");

	is_int(r.status, 303, "the unit is archived");
	r = fx_get(fx, COORD, "/o/alfa/units?q=arkivenheten");
	has_str(r.body, "0 träffar", "it leaves the list");
	r = fx_get(fx, COORD, "/o/alfa/units?q=arkivenheten&archived=1");
	has_str(r.body, "Arkivenheten", "and shows among the archived");
	is_int(fx_scalar(fx, "SELECT count(*) FROM unit WHERE id = $1", id), 1, "the row is still there");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/units/%lld/restore", (long long)id),
		    "version=2");
	is_int(r.status, 303, "it is restored");
	is_int(fx_scalar(fx, "SELECT archived FROM unit WHERE id = $1", id), 0, "and active again");
}

TEST(swedish_order_and_search)
{
	static const char *const names[] = { "%C3%96ster", "%C3%85sen", "%C3%84ngen", "Zeta",
					     "alfa+%C3%A5s", "%C3%A9pok" };
	struct fx_resp r;
	const char *o, *z, *aa, *ae, *oe, *ep;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		make_unit(ADMIN_B, "beta", arena_printf(&fx->a, "name=%s&kind=enhet", names[i]));
	r = fx_get(fx, ADMIN_B, "/o/beta/units?limit=200");
	/* rows end "NAME</a></th>"; the filter's options are another order */
	o = strstr(r.body, ">alfa ås</a></th>");
	ep = strstr(r.body, ">épok</a></th>");
	z = strstr(r.body, ">Zeta</a></th>");
	aa = strstr(r.body, ">Åsen</a></th>");
	ae = strstr(r.body, ">Ängen</a></th>");
	oe = strstr(r.body, ">Öster</a></th>");
	ok(o && ep && z && aa && ae && oe, "all units are listed");
	ok(o < ep && ep < z && z < aa && aa < ae && ae < oe, "in Swedish order: a, é (as e), z, å, ä, ö");
	r = fx_get(fx, ADMIN_B, "/o/beta/units?limit=200&desc=1");
	ok(strstr(r.body, ">Öster</a></th>") < strstr(r.body, ">Zeta</a></th>"),
	   "and reversed on request");
	r = fx_get(fx, ADMIN_B, "/o/beta/units?q=%C3%96ST");
	has_str(r.body, ">Öster<", "searching ÖST finds Öster");
	has_str(r.body, "1 träff<", "and only it (one hit, singular)");
	r = fx_get(fx, ADMIN_B, "/o/beta/units?q=%C3%A5s");
	has_str(r.body, "2 träffar", "searching ås finds Åsen and alfa ås");
	r = fx_get(fx, ADMIN_B, "/o/beta/units?q=100%25");
	has_str(r.body, "0 träffar", "a % in the search is literal, not a wildcard");
}

TEST(keyset_paging)
{
	struct fx_resp r;
	int seen = 0, pages = 0;
	const char *next = "/o/beta/people?limit=20&q=pagetest";

	for (int i = 0; i < 65; i++)
		fx_post(fx, ADMIN_B, "/o/beta/people",
			arena_printf(&fx->a, "name=Pagetest+%03d&employment=active", i));
	while (next && pages < 10) {
		const char *p, *n;
		r = fx_get(fx, ADMIN_B, next);
		pages++;
		for (p = r.body; (p = strstr(p, "\">Pagetest ")); p++)
			seen++;
		n = strstr(r.body, "rel=\"next\" href=\"");
		if (n) {
			const char *end = strchr(n + 17, '"');
			struct buf b = BUF_INIT;
			buf_puts(&b, "/o/beta/people");
			/* unescape &amp; */
			for (const char *c = n + 17; c < end; c++) {
				if (strncmp(c, "&amp;", 5) == 0) {
					buf_putc(&b, '&');
					c += 4;
				} else {
					buf_putc(&b, *c);
				}
			}
			next = arena_strdup(&fx->a, b.p);
			buf_release(&b);
		} else {
			next = NULL;
		}
	}
	is_int(pages, 4, "65 people in pages of 20 make 4 pages");
	is_int(seen, 65, "every person is seen exactly once");
	r = fx_get(fx, ADMIN_B, "/o/beta/people?after=zz");
	is_int(r.status, 400, "a forged cursor is a bad request");
}

TEST(protected_identity)
{
	struct fx_resp r = fx_post(fx, ADMIN, "/o/alfa/people",
				   "name=Hemliga+Hanna&email=hanna%40alfa.se&employment=active&protected_identity=1");
	int64_t id = fx_location_id(&r);
	const char *page = arena_printf(&fx->a, "/o/alfa/people/%lld", (long long)id);

	is_int(r.status, 303, "the administrator registers a person with protected identity");
	r = fx_get(fx, ADMIN, page);
	has_str(r.body, "Hemliga Hanna", "the administrator sees the name");
	r = fx_get(fx, COORD, page);
	lacks_str(r.body, "Hemliga", "the coordinator does not see the name");
	lacks_str(r.body, "hanna@alfa.se", "nor the e-mail");
	has_str(r.body, "Skyddad identitet", "but that the identity is protected");
	r = fx_get(fx, COORD, "/o/alfa/people?q=hemliga");
	has_str(r.body, "0 träffar", "searching the name does not reveal the person");
	r = fx_get(fx, COORD, "/o/alfa/people.csv");
	lacks_str(r.body, "Hemliga", "the CSV export does not reveal the name");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "%s/edit", page));
	is_int(r.status, 403, "the coordinator cannot open the hidden values for editing");
	r = fx_post(fx, ADMIN, "/o/alfa/roles",
		    arena_printf(&fx->a, "person_id=%lld&role=anvandare", (long long)id));
	is_int(r.status, 303, "the person gets a role");
	r = fx_get(fx, COORD, "/o/alfa/roles?limit=200");
	lacks_str(r.body, "Hemliga", "the role list does not reveal the name either");
	r = fx_get(fx, COORD, "/o/alfa/audit");
	lacks_str(r.body, "Hemliga", "the audit trail does not reveal it, in summary or changes");
	lacks_str(r.body, "hanna@alfa.se", "nor the e-mail");
	r = fx_get(fx, COORD, "/o/alfa/audit.csv");
	lacks_str(r.body, "Hemliga", "nor does the audit export");
	r = fx_get(fx, ADMIN, "/o/alfa/audit");
	has_str(r.body, "Hemliga Hanna", "the administrator, who needs to know, sees it");
}

TEST(csv_export)
{
	struct fx_resp r;

	make_unit(COORD, "alfa", "name=%3DHYPERLINK(%22http%3A%2F%2Fx%22)&kind=enhet");
	r = fx_get(fx, COORD, "/o/alfa/units.csv");
	is_int(r.status, 200, "units export as CSV");
	has_str(r.content_type, "text/csv", "with the CSV type");
	ok(r.len > 3 && memcmp(r.body, "\xEF\xBB\xBF", 3) == 0, "starting with a BOM for Excel");
	has_str(r.body, "Namn;Typ;Ingår i", "with Swedish headers, semicolon-separated");
	has_str(r.body, "'=HYPERLINK", "a formula is neutralised");
	has_str(r.body, "Förvaltning", "choices are written as their labels");
	ok(r.disposition && strstr(r.disposition, "alfa-units.csv"), "as a download");
}

TEST(csv_import_all_or_nothing)
{
	const char *bad = "Namn;Typ;Ingår i;Kod\r\nImporterad A;enhet;;IMP-A\r\n;Avdelning;;IMP-B\r\nImporterad C;slott;;IMP-C\r\n";
	const char *good = "Namn;Typ;Ingår i;Kod\r\nImportförvaltningen;Förvaltning;;IMP-F\r\nImportavdelningen;avdelning;Importförvaltningen;IMP-G\r\n";
	struct buf b = BUF_INIT;
	struct fx_resp r;
	int64_t before = fx_scalar(fx, "SELECT count(*) FROM unit WHERE org_id = $1", fx->org_alfa);

	buf_puts(&b, "csv=");
	url_encode(&b, bad);
	r = fx_post(fx, COORD, "/o/alfa/units/import", b.p);
	is_int(r.status, 422, "a file with bad rows is refused");
	has_str(r.body, "2 problem hittades", "listing the problems");
	has_str(r.body, "<td>3</td>", "by line number");
	has_str(r.body, "Ingenting har importerats", "saying nothing was imported");
	has_str(r.body, "Importerad A", "the pasted text comes back");
	is_int(fx_scalar(fx, "SELECT count(*) FROM unit WHERE org_id = $1", fx->org_alfa), before,
	       "and no row was saved, not even the good one");

	buf_reset(&b);
	buf_puts(&b, "csv=");
	url_encode(&b, good);
	r = fx_post(fx, COORD, "/o/alfa/units/import", b.p);
	is_int(r.status, 200, "a good file gives a preview");
	has_str(r.body, "2 rader kan importeras", "of two rows");
	is_int(fx_scalar(fx, "SELECT count(*) FROM unit WHERE org_id = $1", fx->org_alfa), before,
	       "the preview saves nothing");
	buf_puts(&b, "&confirm=1");
	r = fx_post(fx, COORD, "/o/alfa/units/import", b.p);
	is_int(r.status, 303, "confirming imports");
	is_int(fx_scalar(fx, "SELECT count(*) FROM unit WHERE org_id = $1", fx->org_alfa), before + 2,
	       "both rows are saved");
	is_int(fx_scalar(fx, "SELECT count(*) FROM unit u JOIN unit p ON p.id = u.parent_id"
			 " WHERE u.code = 'IMP-G' AND p.code = 'IMP-F' AND u.org_id = $1", fx->org_alfa),
	       1, "a parent named in the file is resolved to the row above it");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'import' AND org_id = $1",
		     fx->org_alfa) == 1, "the import is in the audit trail");
	/* a row the database refuses (a code already used) is reported like
	 * the rest, and the rows after it are still checked */
	r = fx_post(fx, COORD, "/o/alfa/units/import",
		    "csv=Namn%3BTyp%3BKod%0D%0AKrock%3Benhet%3BIMP-F%0D%0AEfter%3Bslott%3BIMP-X%0D%0A");
	is_int(r.status, 422, "a code already in use is refused in the preview");
	has_str(r.body, "&quot;IMP-F&quot; används redan", "as in use, naming the value");
	has_str(r.body, "&quot;slott&quot; är inte ett av: ", "and the next row is still checked");
	r = fx_post(fx, COORD, "/o/alfa/units/import", "csv=Slott%3Bx%0D%0A1%3B2%0D%0A");
	is_int(r.status, 422, "unknown columns are refused");
	has_str(r.body, "Okänd kolumn", "and named");
	buf_release(&b);
}

TEST(csv_import_from_an_uploaded_file)
{
	const char *boundary = "----varntest";
	struct buf b = BUF_INIT;
	struct fx_resp r;
	int64_t before = fx_scalar(fx, "SELECT count(*) FROM unit WHERE org_id = $1", fx->org_alfa);

	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n",
		   boundary, fx_csrf(fx, COORD));
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"enheter.csv\"\r\n"
		       "Content-Type: text/csv\r\n\r\n", boundary);
	buf_puts(&b, "\xEF\xBB\xBFNamn;Typ;Kod\r\nUppladdad enhet;Enhet;UPL-1\r\n");
	buf_printf(&b, "\r\n--%s\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n\r\n--%s--\r\n",
		   boundary, boundary);
	r = fx_request(fx, COORD, "POST", "/o/alfa/units/import", b.p,
		       "multipart/form-data; boundary=----varntest", NULL, NULL);
	is_int(r.status, 200, "an uploaded CSV file (Excel's BOM and all) gives a preview");
	has_str(r.body, "1 rader kan importeras", "of its one row");
	has_str(r.body, "Uppladdad enhet", "and the file's text travels on for the confirmation");
	is_int(fx_scalar(fx, "SELECT count(*) FROM unit WHERE org_id = $1", fx->org_alfa), before,
	       "nothing is saved before confirming");
	buf_reset(&b);
	buf_printf(&b, "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\n\r\n"
		       "Namn;Typ\r\nX;enhet\r\n\r\n--%s--\r\n", boundary, boundary);
	r = fx_request(fx, COORD, "POST", "/o/alfa/units/import", b.p,
		       "multipart/form-data; boundary=----varntest", NULL, NULL);
	is_int(r.status, 403, "an upload without the CSRF token is refused");
	r = fx_request(fx, COORD, "POST", "/o/alfa/units/import", "garbage",
		       "multipart/form-data; boundary=----varntest", NULL, NULL);
	is_int(r.status, 400, "a malformed multipart body is a bad request");
	r = fx_get(fx, COORD, "/o/alfa/units/import");
	has_str(r.body, "enctype=\"multipart/form-data\"", "the import page offers a file upload");
	has_str(r.body, "type=\"file\"", "with a file input");
	buf_release(&b);
}

TEST(unit_tree_has_no_cycles)
{
	int64_t top = make_unit(COORD, "alfa", "name=Topp&kind=namnd");
	int64_t mid = make_unit(COORD, "alfa", arena_printf(&fx->a, "name=Mitt&kind=forvaltning&parent_id=%lld", (long long)top));
	struct fx_resp r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/units/%lld", (long long)top),
				   arena_printf(&fx->a, "name=Topp&kind=namnd&parent_id=%lld&version=1", (long long)mid));
	is_int(r.status, 422, "a unit cannot be placed under its own child");
	has_str(r.body, "kan inte ingå i sig själv", "with a Swedish message");
}

TEST(english_is_selectable)
{
	struct db_rows rows;
	struct db_error err;
	struct fx_resp r;

	db_exec(fx->db, &fx->a, "UPDATE app_user SET lang = 'en' WHERE email = $1",
		DB_ARGS(DB_TEXT(ADMIN_B)), &rows, &err);
	r = fx_get(fx, ADMIN_B, "/o/beta/units");
	has_str(r.body, "lang=\"en\"", "an English user's pages are marked English");
	has_str(r.body, ">Units<", "with English texts");
	db_exec(fx->db, &fx->a, "UPDATE app_user SET lang = 'sv' WHERE email = $1",
		DB_ARGS(DB_TEXT(ADMIN_B)), &rows, &err);
}

/* ---- the database cannot answer ---- */

static void sql(struct db *db, const char *text)
{
	struct db_error err;

	if (db_exec(db, &fx->a, text, DB_NOARGS, NULL, &err) != 0)
		printf("# %s: %s\n", text, err.msg);
}

/* What a page with a session cookie and the API with a valid token answer
 * while the database cannot say who they are: 503 with Retry-After, an
 * error page in Swedish or the API's JSON error, never "signed out" (a
 * redirect to the sign-in page, a 401). */
static void expect_unavailable(const char *cookie, const char *bearer, const char *why)
{
	struct fx_resp r = fx_request(fx, NULL, "GET", "/o/alfa/units", NULL, NULL,
				      "Cookie", cookie);

	is_int(r.status, 503, arena_printf(&fx->a, "%s: a page with a session cookie is 503", why));
	ok(r.location == NULL, "%s: not sent to the sign-in page", why);
	has_str(r.retry_after, "10", "with Retry-After");
	has_str(r.body, "Tillfälligt otillgänglig", "on an error page in Swedish");
	has_str(r.body, "lang=\"sv\"", "marked Swedish");
	r = fx_request(fx, NULL, "POST", "/o/alfa/units", "name=x&kind=enhet",
		       "application/x-www-form-urlencoded", "Cookie", cookie);
	is_int(r.status, 503, arena_printf(&fx->a, "%s: a form sent is 503, not 403", why));
	r = fx_request(fx, NULL, "GET", "/api/v1/me", NULL, NULL, "Authorization", bearer);
	is_int(r.status, 503, arena_printf(&fx->a, "%s: the API with a valid token is 503, not 401",
					   why));
	has_str(r.content_type, "application/json", "as JSON");
	has_str(r.body, "\"code\":\"unavailable\"", "in the API's error shape");
	has_str(r.retry_after, "10", "with Retry-After");
}

static void expect_available(const char *cookie, const char *bearer, const char *why)
{
	struct fx_resp r = fx_request(fx, NULL, "GET", "/o/alfa/units", NULL, NULL,
				      "Cookie", cookie);

	is_int(r.status, 200, arena_printf(&fx->a, "%s: the page answers again", why));
	r = fx_request(fx, NULL, "GET", "/api/v1/me", NULL, NULL, "Authorization", bearer);
	is_int(r.status, 200, arena_printf(&fx->a, "%s: the API answers again", why));
}

TEST(a_database_error_is_503_not_signed_out)
{
	struct db_error err;
	const char *cookie = arena_printf(&fx->a, "varn_session=%s",
		session_create(fx->db, &fx->a, fx_user_id(fx, COORD), STAGE_FULL, "127.0.0.1", &err));
	const char *token = api_token_create(fx->db, &fx->a, fx_user_id(fx, COORD), "test", 0, &err);
	const char *bearer = arena_printf(&fx->a, "Bearer %s", token);
	struct fx_resp r;

	expect_available(cookie, bearer, "first");
	/* a look-up that fails in the database, on either engine */
	sql(fx->db, "ALTER TABLE session RENAME TO session_away");
	sql(fx->db, "ALTER TABLE api_token RENAME TO api_token_away");
	expect_unavailable(cookie, bearer, "tables missing");
	r = fx_get(fx, NULL, "/healthz");
	is_int(r.status, 200, "a public page does not need the look-up");
	r = fx_request(fx, NULL, "GET", "/o/alfa/units", NULL, NULL, NULL, NULL);
	is_int(r.status, 303, "without a cookie: still the sign-in page");
	sql(fx->db, "ALTER TABLE session_away RENAME TO session");
	r = fx_get(fx, COORD, "/konto");
	is_int(r.status, 500, "the account page that cannot list the tokens is 500, not \"none\"");
	sql(fx->db, "ALTER TABLE api_token_away RENAME TO api_token");
	expect_available(cookie, bearer, "tables back");

	if (testdb_is_pg()) {
		/* The server goes away as when it is stopped: it drops the
		 * application's connections and refuses new ones.  (Only this
		 * database: the server is shared with other tests.) */
		struct db *server;
		struct db_rows rows;
		const char *name;
		int64_t own;

		if (db_open(testdb_pg_server(), &server, &err) != 0) {
			ok(0, "cannot reach the server: %s", err.msg);
			return;
		}
		db_exec(fx->db, &fx->a, "SELECT current_database(), pg_backend_pid()", DB_NOARGS,
			&rows, &err);
		name = db_cell(&rows, 0, 0);
		own = db_cell_i64(&rows, 0, 1);
		sql(server, arena_printf(&fx->a, "ALTER DATABASE \"%s\" ALLOW_CONNECTIONS false", name));
		db_exec(server, &fx->a,
			"SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
			" WHERE datname = $1 AND pid <> $2",
			DB_ARGS(DB_TEXT(name), DB_INT(own)), NULL, &err);
		for (int i = 0; i < 100; i++) { /* until they are gone */
			db_exec(server, &fx->a, "SELECT count(*) FROM pg_stat_activity"
				" WHERE datname = $1 AND pid <> $2",
				DB_ARGS(DB_TEXT(name), DB_INT(own)), &rows, &err);
			if (db_cell_i64(&rows, 0, 0) == 0)
				break;
			usleep(20000);
		}
		expect_unavailable(cookie, bearer, "server gone");
		sql(server, arena_printf(&fx->a, "ALTER DATABASE \"%s\" ALLOW_CONNECTIONS true", name));
		expect_available(cookie, bearer, "server back");
		db_close(server);
	}
}

TEST(audit_chain_holds)
{
	struct db_error err;
	FILE *devnull = fopen("/dev/null", "w");

	is_int(audit_verify(fx->db, devnull, &err), 0, "after all of the above the audit chain verifies");
	fclose(devnull);
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
