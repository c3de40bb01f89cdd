/* test_model.c - the system register as its users meet it (issue 7, part
 * "model"), through the real router on the engine chosen by VARN_TEST_DB:
 * never classified is not 0 (pages, lists, the API, the counts of
 * unclassified information); the legal floor of confidentiality for
 * sensitive or secret information; who classifies (the information owner,
 * the coordinator) and who raises (the system owner, their own system);
 * the "level changed" banner that says what changed and takes a note; the
 * kommunchef appointing system owners and system owners appointing the
 * system's people, with who and when; the new fields; what a system lacks
 * (roles, a security plan) as list filters; sorting by protection level. */
#include "base/base.h"

#include "core/auth.h"
#include "db/db.h"
#include "fixture.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;
static struct arena world = ARENA_INIT;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define SYSOWN "systemagare@a.se"
#define INFOWN "infoagare@a.se"
#define CHIEF "kommunchef@a.se"

static int64_t p_sysown, p_infown, p_chief, p_coord;

static int64_t post_as(const char *who, const char *path, const char *form)
{
	struct fx_resp r = fx_post(fx, who, path, form);
	if (r.status != 303)
		printf("# POST %s %s -> %d\n", path, form, r.status);
	return r.status == 303 ? fx_location_id(&r) : 0;
}

static int64_t make_system(const char *name, const char *more)
{
	return post_as(COORD, "/o/alfa/systems",
		       arena_printf(&fx->a, "name=%s&hosting=own&lifecycle=operation"
				    "&personal_data=none%s", fx_enc(fx, name), more ? more : ""));
}

static int64_t make_infoset(const char *name, const char *more)
{
	return post_as(COORD, "/o/alfa/information",
		       arena_printf(&fx->a, "name=%s%s", fx_enc(fx, name), more ? more : ""));
}

static const char *cls_form(int64_t inf, int k, int r, int t, int s, const char *more)
{
	return arena_printf(&fx->a, "infoset_id=%lld&level_k=%d&level_r=%d&level_t=%d"
			    "&level_s=%d&decided_on=2026-01-10%s", (long long)inf, k, r, t, s,
			    more ? more : "");
}

static int64_t classify(int64_t inf, int k, int r, int t, int s)
{
	return post_as(COORD, "/o/alfa/classifications", cls_form(inf, k, r, t, s, NULL));
}

static int64_t link_info(int64_t sys, int64_t inf)
{
	return post_as(COORD, "/o/alfa/system-information",
		       arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				    (long long)inf));
}

static int64_t version_of(const char *table, int64_t id)
{
	return fx_scalar(fx, arena_printf(&fx->a, "SELECT version FROM %s WHERE id = $1", table),
			 id);
}

static const char *page(const char *who, const char *path)
{
	struct fx_resp r = fx_get(fx, who, path);
	if (r.status != 200)
		printf("# GET %s -> %d\n", path, r.status);
	return r.body;
}

static const char *sys_page(int64_t id)
{
	return page(COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)id));
}

static int64_t is_null(const char *col, int64_t sys)
{
	return fx_scalar(fx, arena_printf(&fx->a, "SELECT CASE WHEN %s IS NULL THEN 1 ELSE 0 END"
					  " FROM it_system WHERE id = $1", col), sys);
}

TEST(never_classified_is_not_zero)
{
	int64_t sys = make_system("Nyregistrerat system", NULL);
	int64_t a = make_infoset("Klassad mängd", NULL), b = make_infoset("Oklassad mängd", NULL);
	const char *body;
	struct fx_resp r;
	struct db_error err = { 0 };
	const char *tok;

	/* covers R-3-04 */
	ok(sys && a && b, "a new system and two information sets");
	is_int(is_null("level_k", sys) + is_null("level_r", sys) + is_null("level_t", sys) +
	       is_null("level_s", sys) + is_null("level_max", sys), 5,
	       "a new system's levels are NULL, not 0");
	is_int(fx_scalar(fx, "SELECT needs_review FROM it_system WHERE id = $1", sys), 0,
	       "a new system has nothing to review");
	body = sys_page(sys);
	has_str(body, "<strong>Ej klassad</strong>", "its page says Ej klassad");
	lacks_str(body, "K0 R0 T0 S0", "and not K0 R0 T0 S0");
	lacks_str(body, "Skyddsnivån har ändrats", "and has no 'level changed' banner");

	/* the API says null */
	tok = api_token_create(fx->db, &world, fx_user_id(fx, COORD), "model", 1, &err);
	ok(tok != NULL, "an API token");
	r = fx_request(fx, NULL, "GET", arena_printf(&fx->a, "/api/v1/orgs/alfa/systems/%lld",
						     (long long)sys), NULL, NULL, "Authorization",
		       arena_printf(&fx->a, "Bearer %s", tok));
	is_int(r.status, 200, "the API reads the system");
	has_str(r.body, "\"level_k\":null", "the API gives level_k null, not 0");
	has_str(r.body, "\"level_max\":null", "and level_max null");

	/* one of two sets classified: levels from it, the page says what is missing */
	classify(a, 2, 1, 1, 0);
	link_info(sys, a);
	link_info(sys, b);
	is_int(fx_scalar(fx, "SELECT level_k * 1000 + level_r * 100 + level_t * 10 + level_s"
			 " FROM it_system WHERE id = $1", sys), 2110,
	       "the classified set gives its levels");
	is_int(fx_scalar(fx, "SELECT infosets_total * 10 + infosets_unclassified FROM it_system"
			 " WHERE id = $1", sys), 21, "2 sets handled, 1 of them not classified");
	is_int(fx_scalar(fx, "SELECT level_max FROM it_system WHERE id = $1", sys), 2,
	       "the highest level over the aspects is kept for sorting");
	body = sys_page(sys);
	has_str(body, "Skyddsnivå saknas</strong> – 1 av 2 informationsmängder är inte klassade.",
		"the page says 1 of 2 information sets are not classified (plural)");

	/* archive the classified link: 1 of 1, singular */
	fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/system-information/%lld/archive",
					 (long long)fx_scalar(fx, "SELECT id FROM system_information"
							      " WHERE infoset_id = $1", a)),
		arena_printf(&fx->a, "version=%lld",
			     (long long)fx_scalar(fx, "SELECT version FROM system_information"
						  " WHERE infoset_id = $1", a)));
	body = sys_page(sys);
	has_str(body, "1 av 1 informationsmängd är inte klassad.", "singular with one set");
	is_int(is_null("level_k", sys), 1, "no classified set left: the level is NULL again");

	/* editing an unclassified set keeps it unclassified */
	is_int(fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/information/%lld", (long long)b),
		       arena_printf(&fx->a, "name=Oklassad+m%%C3%%A4ngd&description=x&version=%lld",
				    (long long)version_of("information_set", b))).status, 303,
	       "the unclassified set is edited");
	is_int(fx_scalar(fx, "SELECT CASE WHEN level_k IS NULL THEN 1 ELSE 0 END"
			 " FROM information_set WHERE id = $1", b), 1,
	       "and its levels stay NULL (an edit never writes 0)");
}

TEST(business_critical_from_levels_there_are)
{
	int64_t sys = make_system("Kritiskt system", NULL), a = make_infoset("Kritisk mängd", NULL);

	classify(a, 1, 3, 1, 1);
	link_info(sys, a);
	is_int(fx_scalar(fx, "SELECT business_critical FROM it_system WHERE id = $1", sys), 1,
	       "R3 makes it business-critical");
	has_str(sys_page(sys), "Riktighet eller tillgänglighet är på nivå 3 eller högre.",
		"and the page says why");
}

TEST(level_changed_banner_and_review_note)
{
	int64_t sys = make_system("Bannersystemet", NULL), a = make_infoset("Bannermängden", NULL);
	const char *body;
	struct fx_resp r;

	classify(a, 1, 1, 1, 1);
	link_info(sys, a);
	/* reviewed once, then the classification rises */
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)sys),
		    arena_printf(&fx->a, "version=%lld", (long long)version_of("it_system", sys)));
	is_int(r.status, 303, "marked reviewed without a note");
	classify(a, 3, 1, 2, 1);
	body = sys_page(sys);
	has_str(body, "Skyddsnivån har ändrats", "a changed level shows the banner");
	has_str(body, "Konfidentialitet: 1 Måttlig → 3 Allvarlig", "it says aspect, old → new");
	has_str(body, "Tillgänglighet: 1 Måttlig → 2 Betydande", "for each changed aspect");
	lacks_str(body, "Riktighet: 1", "not for the unchanged ones");
	has_str(body, "Orsak: klassningen av informationsmängden", "which classification caused it");
	has_str(body, ">Bannermängden</a>", "naming the information set");
	has_str(body, "Ändrad ", "and when");
	has_str(body, "name=\"note\"", "marking it reviewed takes a note");
	ok(fx_scalar(fx, "SELECT count(*) FROM it_system WHERE id = $1"
		     " AND level_change_json LIKE '%\"cause\":\"classification\"%'", sys) == 1,
	   "the stored change names a classification as its cause");

	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/reviewed", (long long)sys),
		    arena_printf(&fx->a, "version=%lld&note=%s", (long long)version_of("it_system", sys),
				 fx_enc(fx, "Kontrollerat åtkomstskyddet")));
	is_int(r.status, 303, "marked reviewed with a note");
	/* covers R-2-01 */
	has_str(sys_page(sys), "Skyddsnivån granskades senast", "the page says when it was last reviewed");
	has_str(sys_page(sys), "av samordnare@a.se.", "and by whom");
	is_int(fx_scalar(fx, "SELECT needs_review FROM it_system WHERE id = $1", sys), 0,
	       "the banner is gone");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'reviewed'"
		     " AND entity_id = $1 AND after_json LIKE '%Kontrollerat%'", sys) +
	   fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'reviewed'"
		     " AND entity_id = $1 AND before_json LIKE '%Kontrollerat%'", sys) >= 1,
	   "the note is in the history (the audit event)");
	has_str(page(COORD, arena_printf(&fx->a, "/o/alfa/audit?entity=systems&entity_id=%lld",
					 (long long)sys)),
		"Kontrollerat åtkomstskyddet", "and the history page shows it");

	/* an archived system gets no banner */
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/archive", (long long)sys),
		    arena_printf(&fx->a, "version=%lld", (long long)version_of("it_system", sys)));
	is_int(r.status, 303, "the system is archived");
	classify(a, 4, 1, 2, 1);
	is_int(fx_scalar(fx, "SELECT needs_review FROM it_system WHERE id = $1", sys), 0,
	       "an archived system is not marked for review");
	lacks_str(sys_page(sys), "Skyddsnivån har ändrats", "and shows no banner");
}

TEST(legal_floor_of_confidentiality)
{
	int64_t sens = make_infoset("Känslig mängd", "&sensitive_data=1");
	int64_t secret = make_infoset("Sekretessmängd", "&secrecy=1");
	int64_t plain = make_infoset("Vanlig mängd", NULL);
	int64_t sys = make_system("Känsligt system", NULL);
	struct fx_resp r;

	/* covers R-3-10 R-3-11 */
	r = fx_post(fx, COORD, "/o/alfa/classifications", cls_form(sens, 1, 1, 1, 1, NULL));
	is_int(r.status, 422, "sensitive personal data at K1 without a motivation is refused");
	has_str(r.body, "Motivera varför konfidentialiteten klassas under organisationens lägsta nivå",
		"with a Swedish message");
	r = fx_post(fx, COORD, "/o/alfa/classifications", cls_form(secret, 0, 1, 1, 1, NULL));
	is_int(r.status, 422, "secrecy at K0 without a motivation is refused");
	ok(post_as(COORD, "/o/alfa/classifications",
		   cls_form(secret, 0, 1, 1, 1, "&reason_k=Uppgifterna+%C3%A4r+avidentifierade")) > 0,
	   "with a motivation it is accepted");
	ok(post_as(COORD, "/o/alfa/classifications", cls_form(sens, 2, 1, 1, 1, NULL)) > 0,
	   "K2 needs none");
	ok(post_as(COORD, "/o/alfa/classifications", cls_form(plain, 0, 0, 0, 0, NULL)) > 0,
	   "information without those flags needs none");
	/* the organisation's own floor, on its settings page */
	has_str(page("admin@a.se", "/o/alfa/settings"), "name=\"min_k_sensitive\"",
		"the settings page has the floor");
	is_int(fx_post(fx, "admin@a.se", "/o/alfa/settings",
		       arena_printf(&fx->a, "name=Alfa+kommun&kind=kommun&min_k_sensitive=9"
				    "&version=%lld", (long long)version_of("organisation",
									   fx->org_alfa))).status,
	       422, "a floor outside 0-4 is refused");
	is_int(fx_post(fx, "admin@a.se", "/o/alfa/settings",
		       arena_printf(&fx->a, "name=Alfa+kommun&kind=kommun&min_k_sensitive=3"
				    "&version=%lld", (long long)version_of("organisation",
									   fx->org_alfa))).status,
	       303, "the administrator sets the floor to 3");
	is_int(fx_post(fx, COORD, "/o/alfa/classifications", cls_form(sens, 2, 1, 1, 1, NULL)).status,
	       422, "an organisation with floor 3 refuses K2 without a motivation");
	is_int(fx_post(fx, "admin@a.se", "/o/alfa/settings",
		       arena_printf(&fx->a, "name=Alfa+kommun&kind=kommun&min_k_sensitive=2"
				    "&version=%lld", (long long)version_of("organisation",
									   fx->org_alfa))).status,
	       303, "and back to 2");

	/* a system marked sensitive whose information is K0/K1 or unclassified */
	is_int(fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys),
		       arena_printf(&fx->a, "name=K%%C3%%A4nsligt+system&hosting=own"
				    "&lifecycle=operation&personal_data=sensitive&version=%lld",
				    (long long)version_of("it_system", sys))).status, 303,
	       "a system is marked as handling sensitive personal data");
	has_str(sys_page(sys), "id=\"sp-sensitive\"", "with no classified K it is pointed out");
	link_info(sys, plain);
	has_str(sys_page(sys), "id=\"sp-sensitive\"", "at K0 too");
	link_info(sys, sens);
	lacks_str(sys_page(sys), "id=\"sp-sensitive\"", "at K2 it is not");
}

TEST(who_classifies)
{
	int64_t mine = make_infoset("Informationsägarens mängd",
				    arena_printf(&fx->a, "&owner_id=%lld", (long long)p_infown));
	int64_t other = make_infoset("Någon annans mängd", NULL);
	int64_t own_sys = make_system("Systemägarens system",
				      arena_printf(&fx->a, "&owner_id=%lld", (long long)p_sysown));
	struct fx_resp r;

	/* covers R-3-01 */
	ok(post_as(INFOWN, "/o/alfa/classifications", cls_form(mine, 2, 2, 2, 2, NULL)) > 0,
	   "the information owner classifies their own set");
	r = fx_post(fx, INFOWN, "/o/alfa/classifications", cls_form(other, 2, 2, 2, 2, NULL));
	ok(r.status == 403 || r.status == 422, "but not someone else's");
	r = fx_post(fx, SYSOWN, "/o/alfa/classifications", cls_form(other, 1, 1, 1, 1, NULL));
	ok(r.status == 403 || r.status == 422, "a system owner does not classify others' sets");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1", other), 0,
	       "nothing was written for the other set");
	is_int(fx_get(fx, SYSOWN, arena_printf(&fx->a, "/o/alfa/information/%lld/edit",
					       (long long)other)).status, 403,
	       "nor edits them (403)");
	lacks_str(page(SYSOWN, arena_printf(&fx->a, "/o/alfa/information/%lld", (long long)other)),
		  arena_printf(&fx->a, "/o/alfa/information/%lld/edit", (long long)other),
		  "and gets no edit button");
	has_str(page(INFOWN, arena_printf(&fx->a, "/o/alfa/information/%lld", (long long)mine)),
		arena_printf(&fx->a, "/o/alfa/information/%lld/edit", (long long)mine),
		"the owner gets one");
	ok(post_as(COORD, "/o/alfa/classifications", cls_form(other, 1, 1, 1, 1, NULL)) > 0,
	   "the coordinator classifies any set");
	/* the system owner raises their own system */
	is_int(fx_post(fx, SYSOWN, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)own_sys),
		       arena_printf(&fx->a, "name=System%%C3%%A4garens+system&hosting=own"
				    "&lifecycle=operation&personal_data=none&owner_id=%lld"
				    "&raise_t=3&raise_reason=Akuta+l%%C3%%A4gen&version=%lld",
				    (long long)p_sysown,
				    (long long)version_of("it_system", own_sys))).status, 303,
	       "the system owner raises their own system's level");
	is_int(fx_scalar(fx, "SELECT level_t FROM it_system WHERE id = $1", own_sys), 3,
	       "the raise applies");
	is_int(fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/information/%lld",
					     (long long)mine)).status, 403,
	       "a plain user does not read the information register");
}

TEST(kommunchef_appoints_system_owners)
{
	int64_t sys = make_system("Utnämningssystemet",
				  arena_printf(&fx->a, "&owner_id=%lld", (long long)p_sysown));
	struct fx_resp r;
	const char *form;

	/* covers R-1-09 R-2-02 */
	is_int(fx_scalar(fx, "SELECT owner_appointed_by FROM it_system WHERE id = $1", sys), p_coord,
	       "the coordinator recorded the appointment: who");
	ok(fx_scalar(fx, "SELECT count(*) FROM it_system WHERE id = $1"
		     " AND owner_appointed_on IS NOT NULL", sys) == 1, "and when");
	form = arena_printf(&fx->a, "name=Utn%%C3%%A4mningssystemet&hosting=own&lifecycle=operation"
			    "&personal_data=none&owner_id=%lld&version=%lld", (long long)p_infown,
			    (long long)version_of("it_system", sys));
	r = fx_post(fx, SYSOWN, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys), form);
	is_int(r.status, 422, "a system owner cannot hand the system to someone else");
	has_str(r.body, "Bara kommunchefen utser systemägare", "and is told who can");
	r = fx_post(fx, CHIEF, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys), form);
	is_int(r.status, 303, "the kommunchef appoints a new system owner");
	is_int(fx_scalar(fx, "SELECT owner_id FROM it_system WHERE id = $1", sys), p_infown,
	       "the owner changed");
	is_int(fx_scalar(fx, "SELECT owner_appointed_by FROM it_system WHERE id = $1", sys), p_chief,
	       "appointed by the kommunchef");
	has_str(sys_page(sys), "Systemägaren utsedd av", "the page shows who appointed the owner");
}

TEST(system_owner_appoints_the_systems_people)
{
	int64_t sys = make_system("Rollsystemet",
				  arena_printf(&fx->a, "&owner_id=%lld", (long long)p_sysown));
	int64_t spr;

	/* covers R-1-10 R-2-04 R-2-05 */
	spr = post_as(SYSOWN, "/o/alfa/system-roles",
		      arena_printf(&fx->a, "system_id=%lld&person_id=%lld&role=manager",
				   (long long)sys, (long long)p_infown));
	ok(spr > 0, "the system owner appoints a system manager of their system");
	is_int(fx_scalar(fx, "SELECT appointed_by FROM system_person WHERE id = $1", spr), p_sysown,
	       "the appointing owner is recorded");
	is_int(fx_scalar(fx, "SELECT count(*) FROM system_person WHERE id = $1"
			 " AND appointed_on IS NOT NULL", spr), 1, "and the date");
}

TEST(systems_lacking_roles)
{
	int64_t full = make_system("Fullbemannat",
				   arena_printf(&fx->a, "&owner_id=%lld&business_owner_id=%lld",
						(long long)p_sysown, (long long)p_infown));
	int64_t bare = make_system("Obemannat", NULL);
	const char *roles[] = { "manager", "administrator" };
	const char *body;

	/* covers R-1-18 R-2-03 */
	is_int(fx_scalar(fx, "SELECT roles_missing FROM it_system WHERE id = $1", full), 1,
	       "without a manager and an administrator it lacks roles");
	for (int i = 0; i < 2; i++)
		post_as(COORD, "/o/alfa/system-roles",
			arena_printf(&fx->a, "system_id=%lld&person_id=%lld&role=%s",
				     (long long)full, (long long)p_infown, roles[i]));
	is_int(fx_scalar(fx, "SELECT roles_missing FROM it_system WHERE id = $1", full), 0,
	       "with owner, business owner, manager and administrator it lacks none");
	is_int(fx_scalar(fx, "SELECT roles_missing FROM it_system WHERE id = $1", bare), 1,
	       "the bare system lacks roles");
	body = page(COORD, "/o/alfa/systems?roles_missing=1&limit=200");
	has_str(body, ">Obemannat</a>", "the filter lists the system lacking roles");
	lacks_str(body, ">Fullbemannat</a>", "and not the one that has them all");
	has_str(sys_page(bare), "id=\"sp-roles\"", "the page says what it lacks");
}

TEST(security_plan_before_operation)
{
	int64_t crit = make_system("Samhällsviktigt i drift", "&critical_society=1");
	int64_t planned = post_as(COORD, "/o/alfa/systems",
				  "name=Samh%C3%A4llsviktigt+planerat&hosting=own&lifecycle=planned"
				  "&personal_data=none&critical_society=1");
	const char *body;

	/* covers R-2-09 */
	has_str(sys_page(crit), "Signerad säkerhetsplan saknas – krävs före drift.",
		"a system critical to society in operation without a plan is flagged");
	lacks_str(sys_page(planned), "säkerhetsplan saknas", "a planned one is not (yet)");
	body = page(COORD, "/o/alfa/systems?security_plan_missing=1&limit=200");
	has_str(body, ">Samhällsviktigt i drift</a>", "the list filter finds it");
	lacks_str(body, ">Samhällsviktigt planerat</a>", "and not the planned one");
}

TEST(new_fields_of_a_system)
{
	struct fx_resp r;
	int64_t sys;
	const char *body;

	/* covers R-2-06 R-2-10 R-2-11 R-2-12 R-2-13 R-2-14 R-2-18 R-2-07 */
	r = fx_post(fx, COORD, "/o/alfa/systems",
		    "name=F%C3%A4ltsystemet&hosting=cloud&lifecycle=operation&personal_data=ordinary"
		    "&third_country=1");
	is_int(r.status, 422, "a transfer to a third country needs the country and safeguard");
	has_str(r.body, "Ange vilket land och vilken skyddsmekanism", "and says so");
	has_str(r.body, "<fieldset class=\"group\"><legend>Ansvar</legend>",
		"the form groups its fields (Ansvar)");
	has_str(r.body, "<legend>Leverantör och avtal</legend>", "(Leverantör och avtal)");
	sys = post_as(COORD, "/o/alfa/systems",
		      arena_printf(&fx->a, "name=F%%C3%%A4ltsystemet&hosting=cloud&lifecycle=operation"
				   "&personal_data=ordinary&third_country=1"
				   "&third_country_detail=USA%%2C+standardavtalsklausuler"
				   "&dpa=yes&dpa_date=2025-02-01&patch_status=behind"
				   "&patch_checked_on=2026-01-02&patch_checked_by=%lld"
				   "&backup_by=Leverant%%C3%%B6ren&backup_how=Dagligen"
				   "&test_environment=1&remote_access=mobile"
				   "&external_auth=BankID&doc_system=https%%3A%%2F%%2Fdoc.example"
				   "&doc_operations=Driftp%%C3%%A4rmen&operations_agreement=Drift%%C3%%B6verenskommelse+2026"
				   "&support_ends=2028-12-31&business_owner_id=%lld",
				   (long long)p_sysown, (long long)p_infown));
	ok(sys > 0, "a system with every new field");
	body = sys_page(sys);
	has_str(body, "Personuppgiftsbiträdesavtal (PuB-avtal)", "PuB-avtal");
	has_str(body, "Ja, finns", "its value");
	has_str(body, "Efter med uppdateringar", "patch status");
	has_str(body, "Med stationär och mobil utrustning", "remote handling");
	has_str(body, "USA, standardavtalsklausuler", "third country");
	has_str(body, "Driftöverenskommelse 2026", "operations agreement");
	has_str(body, "<h2 class=\"field-group\">Drift och förvaltning</h2>",
		"the page groups the fields under headings");
	lacks_str(body, "Höjd nivå, konfidentialitet", "empty raise rows are not shown");
	has_str(body, "Vad skyddsnivåerna betyder", "a legend of the levels");
	has_str(body, "Synnerligen allvarlig", "tied to KLASSA's consequence levels");
}

TEST(new_fields_of_an_information_set)
{
	int64_t inf = make_infoset("Fältmängden",
				   arena_printf(&fx->a, "&secrecy=1&personal_data=1&secrecy_decided_by=%lld"
						"&secrecy_decided_on=2026-01-05"
						"&special_laws=HSLF-FS+2016%%3A40"
						"&public_access=L%%C3%%A4mnas+ut+efter+pr%%C3%%B6vning"
						"&retention=Gallras+efter+5+%%C3%%A5r&info_plan_ref=IHP+3.2"
						"&legal_basis=Art.+6.1+e&entry_how=Handl%%C3%%A4ggare",
						(long long)p_infown));
	const char *body;

	/* covers R-3-07 R-3-08 R-3-09 R-3-10 R-3-13 */
	ok(inf > 0, "an information set with the new fields");
	body = page(COORD, arena_printf(&fx->a, "/o/alfa/information/%lld", (long long)inf));
	has_str(body, "Sekretessbedömningen gjord av", "who decided on secrecy");
	has_str(body, "2026-01-05", "and when");
	has_str(body, "HSLF-FS 2016:40", "laws with special demands");
	has_str(body, "Lämnas ut efter prövning", "public access");
	has_str(body, "Gallras efter 5 år", "retention and disposal");
	has_str(body, "IHP 3.2", "the information management plan");
	has_str(body, "Handläggare", "how and by whom it is entered");
	is_int(fx_scalar(fx, "SELECT personal_data FROM information_set WHERE id = $1", inf), 1,
	       "flagged as containing personal data");
}

TEST(sorted_by_protection_level)
{
	int64_t hi = make_system("Sortering hög", NULL), lo = make_system("Sortering låg", NULL);
	int64_t none = make_system("Sortering ingen", NULL);
	int64_t a = make_infoset("Sortering hög mängd", NULL), b = make_infoset("Sortering låg mängd", NULL);
	const char *body, *p_hi, *p_lo, *p_none;

	/* covers R-3-03 */
	classify(a, 3, 3, 3, 3);
	classify(b, 1, 1, 1, 1);
	link_info(hi, a);
	link_info(lo, b);
	body = page(COORD, "/o/alfa/systems?q=Sortering&sort=level_max&desc=1&limit=200");
	p_hi = strstr(body, ">Sortering hög</a>");
	p_lo = strstr(body, ">Sortering låg</a>");
	p_none = strstr(body, ">Sortering ingen</a>");
	ok(p_hi && p_lo && p_none && p_hi < p_lo && p_lo < p_none,
	   "highest protection level first, unclassified last");
	ok(none > 0, "(the unclassified one exists)");
	has_str(page(COORD, "/o/alfa/systems"), "sort=level_max", "the list's column sorts by it");
}

TEST(two_levels_of_dependencies)
{
	int64_t a = make_system("Beroende A med ett riktigt långt namn som inte får kortas", NULL);
	int64_t b = make_system("Beroende B", NULL), c = make_system("Beroende C i andra ledet", NULL);
	const char *body;

	/* covers R-2-08 */
	post_as(COORD, "/o/alfa/dependencies",
		arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction=out&flows=Fakturor",
			     (long long)a, (long long)b));
	post_as(COORD, "/o/alfa/dependencies",
		arena_printf(&fx->a, "system_id=%lld&other_id=%lld&direction=in&flows=Kunder",
			     (long long)b, (long long)c));
	body = sys_page(a);
	has_str(body, "<title>Beroende A med ett riktigt långt namn som inte får kortas</title>",
		"the picture names the system in full");
	lacks_str(body, "…</tspan>", "no name is cut short in the picture");
	has_str(body, "<title>Beroende C i andra ledet</title>", "the second level is in the picture");
	has_str(body, ">Beroende C i andra</tspan>", "its name wrapped over lines, not cut");
	has_str(body, "Och i andra ledet", "and in the text alternative");
	ok(strstr(body, ">Beroende B</a>: Tar emot från <a") != NULL,
	   "B receives from C, seen from B");
}

TEST(systems_no_longer_needed)
{
	int64_t old = post_as(COORD, "/o/alfa/systems",
			      "name=Avvecklas&hosting=own&lifecycle=decommissioning&personal_data=none");
	const char *body = page(COORD, "/o/alfa/systems?lifecycle=decommissioning&limit=200");

	/* covers R-2-16 R-2-07 */
	ok(old > 0, "a system being decommissioned");
	has_str(body, ">Avvecklas</a>", "the life-cycle filter lists it");
	lacks_str(body, ">Beroende B</a>", "and not the systems in operation");
}

/* "Ny informationsmängd i systemet": the set and its link in one
 * transaction, both or neither; the link's access is the system's. */
TEST(an_information_set_made_from_a_system_is_linked_to_it)
{
	/* covers R-2-08, R-3-01 */
	int64_t sys = make_system("Länkande system", NULL);
	int64_t others = make_system("Annans system", NULL);
	int64_t before = fx_scalar(fx, "SELECT count(*) FROM information_set WHERE org_id = $1",
				   fx->org_alfa);
	struct fx_resp r;

	has_str(page(COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld", (long long)sys)),
		arena_printf(&fx->a, "/o/alfa/information/new?system_id=%lld", (long long)sys),
		"the system page offers a new set in the system");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/information/new?system_id=%lld",
					   (long long)sys));
	has_str(r.body, "Länkande system", "the form says what the set will be linked to");
	has_str(r.body, arena_printf(&fx->a, "name=\"system_id\" value=\"%lld\"", (long long)sys),
		"and carries it");
	r = fx_post(fx, COORD, "/o/alfa/information",
		    arena_printf(&fx->a, "name=Ny+m%%C3%%A4ngd&system_id=%lld", (long long)sys));
	is_int(r.status, 303, "saved");
	is_int(fx_scalar(fx, "SELECT count(*) FROM system_information si JOIN information_set i"
			 " ON i.id = si.infoset_id WHERE si.system_id = $1 AND i.name = 'Ny mängd'"
			 " AND si.archived = 0", sys), 1, "the set is linked to the system");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE entity = 'system-information'"
			 " AND action = 'create' AND entity_id = (SELECT id FROM system_information"
			 " WHERE system_id = $1)", sys), 1, "and the link is audited");
	/* the information owner may make sets, but not change someone else's
	 * system: the form does not offer the link, and a crafted one makes
	 * the set alone */
	r = fx_get(fx, INFOWN, arena_printf(&fx->a, "/o/alfa/information/new?system_id=%lld",
					    (long long)others));
	is_int(r.status, 200, "the information owner's form");
	lacks_str(r.body, "Annans system", "does not promise a link they may not make");
	r = fx_post(fx, INFOWN, "/o/alfa/information",
		    arena_printf(&fx->a, "name=Obeh%%C3%%B6rig&system_id=%lld&unit_id=%lld",
				 (long long)others,
				 (long long)fx_scalar(fx, "SELECT unit_id FROM role_assignment"
						      " WHERE person_id = $1", p_infown)));
	is_int(r.status, 303, "the set alone is made, in their unit");
	is_int(fx_scalar(fx, "SELECT count(*) FROM information_set WHERE org_id = $1",
			 fx->org_alfa), before + 2, "one set more");
	is_int(fx_scalar(fx, "SELECT count(*) FROM system_information WHERE system_id = $1",
			 others), 0, "and no link to the system they may not change");
}

int main(void)
{
	int rc;
	int64_t unit;

	fx = fixture_new();
	p_coord = fx_scalar(fx, "SELECT id FROM person WHERE org_id = $1 AND email = 'samordnare@a.se'",
			    fx->org_alfa);
	p_sysown = fx_add_member(fx, fx->org_alfa, SYSOWN, "Sam Systemägare", "systemagare", 0);
	/* the information owner holds the role for their unit */
	unit = post_as(COORD, "/o/alfa/units", "name=Socialtj%C3%A4nsten&kind=forvaltning");
	p_infown = fx_add_member(fx, fx->org_alfa, INFOWN, "Ines Informationsägare",
				 "informationsagare", unit);
	p_chief = fx_add_member(fx, fx->org_alfa, CHIEF, "Kim Kommunchef", "kommunchef", 0);
	rc = tap_run();
	fixture_free(fx);
	testdb_cleanup();
	return rc;
}
