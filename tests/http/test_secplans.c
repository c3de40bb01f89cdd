/* test_secplans.c - the system security plan on the demo municipality,
 * through the real router, on the engine chosen by VARN_TEST_DB: the
 * demo's plans and the coordinator's numbers equal to the lists behind
 * them, the start pages' lines, the panel on a system's page, a plan
 * started filled in from what Värn knows, written per section, signed by
 * its owner or by the coordinator on the owner's behalf and then frozen,
 * revised as a new version that leaves the signed one as it was, marked
 * for a new version when the system's levels change (and unmarked when
 * they change back), reviewed, the review reminder mailed once per review
 * date, the API, another organisation kept out, and the plan as a PDF read
 * back with pdftotext (and its render time measured). */
#include "base/base.h"

#include <jansson.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "cli/demo.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "core/scheduler.h"
#include "db/db.h"
#include "fixture.h"
#include "modules/secplans/secplans.h"
#include "modules/systems/systems.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

extern char **environ;

static struct fixture *fx;
static int64_t org, grannby;
static int64_t owner_pid, coord_pid;  /* socialchef's and the coordinator's persons */
static int64_t sys_new;               /* a system of socialchef's without a plan */
static int64_t plan_new;              /* its plan, started in the test */
static int64_t plan_ifo;              /* the demo's draft */

#define OWNER "socialchef@exempelstad.se"
#define COORD "samordnare@exempelstad.se"
#define USER "anvandare@exempelstad.se"
#define ITCHEF "it-chef@exempelstad.se"
#define GRANNBY_ADMIN "admin@grannby.se"

/* 2026-06-15 12:00 in Stockholm */
#define T0 INT64_C(1781517600)
#define TODAY "2026-06-15"

static const char *sv(int msg)
{
	return msg_text(LANG_SV, msg);
}

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

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static int64_t version(int64_t id)
{
	return q1("SELECT version FROM security_plan WHERE id = $1", id);
}

static struct fx_resp transition(const char *who, int64_t id, const char *name, const char *form)
{
	return fx_post(fx, who, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld/%s",
					     (long long)id, name),
		       arena_printf(&fx->a, "version=%lld%s%s", (long long)version(id),
				    form ? "&" : "", form ? form : ""));
}

/* the plan's form as saved from its edit page: every content field */
static struct fx_resp save(const char *who, int64_t id, const char *threats)
{
	struct buf b = BUF_INIT;
	struct fx_resp r;

	buf_printf(&b, "system_id=%s&version=%lld",
		   cell("SELECT system_id FROM security_plan WHERE id = $1", id),
		   (long long)version(id));
	for (int i = SP_CONTENT_FIRST; i <= SP_CONTENT_LAST; i++) {
		const char *name = sp_plans.fields[i].name;
		const char *v = i == SP_THREATS ? threats :
			cell(arena_printf(&fx->a, "SELECT %s FROM security_plan WHERE id = $1", name),
			     id);
		buf_printf(&b, "&%s=%s", name, fx_enc(fx, v));
	}
	r = fx_post(fx, who, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld",
					  (long long)id), b.p);
	buf_release(&b);
	return r;
}

/* A context acting as the command line in Exempelstad */
static void system_ctx(struct ctx *cx, struct org_ctx *oc)
{
	ctx_system(cx, &fx->a, fx->db, "test", VIA_CLI);
	memset(oc, 0, sizeof(*oc));
	oc->id = org;
	oc->slug = "exempelstad";
	oc->name = "Exempelstads kommun";
	oc->roles = oc->org_roles = ROLES_ANY; /* the command line acts for the organisation */
	cx->org = oc;
	cx->now = clock_now();
}

/* The text of a PDF (pdftotext), or "" */
static int64_t plan_of(const char *system)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, "SELECT p.id FROM security_plan p JOIN it_system s"
		    " ON s.id = p.system_id WHERE p.org_id = $1 AND s.name = $2 AND p.latest = 1",
		    DB_ARGS(DB_INT(org), DB_TEXT(system)), &r, &err) != 0 || r.nrows != 1)
		return 0;
	return db_cell_i64(&r, 0, 0);
}

/* covers R-5-01, R-5-26 */
TEST(the_demo_plans_and_the_coordinators_numbers)
{
	struct ctx cx;
	struct org_ctx oc;
	struct secplan_counts c;
	struct db_error err;
	struct fx_resp r;
	int64_t alarm = plan_of("Trygghetslarm");

	plan_ifo = plan_of("Verksamhetssystem IFO");
	ok(plan_of("Journalsystem vård och omsorg") > 0, "the care records system has a plan");
	is_str(cell("SELECT state FROM security_plan WHERE id = $1", plan_ifo), "draft",
	       "the IFO system's is a draft");
	is_int(q1("SELECT needs_new_version FROM security_plan WHERE id = $1", alarm), 1,
	       "the alarm system's signed plan needs a new version");
	has_str(cell("SELECT new_version_reason FROM security_plan WHERE id = $1", alarm),
		"Skyddsnivåerna har ändrats från K2", "because its confidentiality was raised");
	system_ctx(&cx, &oc);
	ok(secplan_overview(&cx, &c, &err) == 0, "the coordinator's numbers are read");
	is_int(c.signed_n, 5, "five signed");
	is_int(c.draft, 1, "one draft");
	is_int(c.overdue_review, 1, "one overdue for review");
	is_int(c.due_review, 1, "one due within 30 days");
	is_int(c.needs_new_version, 1, "one needing a new version");
	is_int(c.missing, q1("SELECT count(*) FROM it_system s WHERE s.org_id = $1"
			     " AND s.archived = 0 AND s.lifecycle = 'operation'"
			     " AND (s.business_critical = 1 OR s.level_max IS NOT NULL)"
			     " AND NOT EXISTS (SELECT 1 FROM security_plan p WHERE p.system_id = s.id"
			     " AND p.archived = 0)", org),
	       "systems in operation without a plan, as the trigger-kept table says");
	ok(c.missing > 0 && c.more == 0, "some, fewer than the bound");

	r = fx_get(fx, COORD, "/o/exempelstad/security-plan-lists?show=overdue");
	is_int(r.status, 200, "the list of plans overdue for review");
	has_str(r.body, "Katalogtjänst och inloggning", "names the overdue one");
	is_int(count(r.body, "/o/exempelstad/security-plans/"), (int)c.overdue_review,
	       "as many rows as the number");
	r = fx_get(fx, COORD, "/o/exempelstad/security-plan-lists?show=due");
	has_str(r.body, "Ekonomisystem", "the one due soon");
	r = fx_get(fx, COORD, "/o/exempelstad/security-plan-lists?show=new-version");
	has_str(r.body, "Trygghetslarm", "the one needing a new version");
	r = fx_get(fx, COORD, "/o/exempelstad/security-plan-lists?show=signed");
	is_int(count(r.body, "<a href=\"/o/exempelstad/security-plans/"), (int)c.signed_n,
	       "the signed ones");
	r = fx_get(fx, COORD, "/o/exempelstad/security-plan-lists?show=missing");
	ok(count(r.body, "<a href=\"/o/exempelstad/systems/") == (c.missing > 30 ? 30 :
							(int)c.missing), "the systems without a plan, a page of them");
	if (c.missing > 30) {
		const char *next = strstr(r.body, "after_id=");
		ok(next != NULL, "and the next page");
	}
	r = fx_get(fx, USER, "/o/exempelstad/security-plan-lists?show=overdue");
	is_int(r.status, 403, "not for a plain user");
}

TEST(what_waits_on_the_start_pages)
{
	struct fx_resp r = fx_get(fx, OWNER, "/o/exempelstad/");

	is_int(r.status, 200, "the owner's start page");
	has_str(r.body, sv(M_SSP_WAIT_MY_DRAFT_ONE), "a plan to finish and sign");
	has_str(r.body, arena_printf(&fx->a, "/o/exempelstad/security-plan-lists?show=draft&amp;"
				     "owner=%lld", (long long)owner_pid), "linking to exactly those");
	has_str(r.body, sv(M_SSP_WAIT_MY_REVIEW_ONE), "a plan needing a new version");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plan-lists?show=draft"
					   "&owner=%lld", (long long)owner_pid));
	is_int(count(r.body, "<a href=\"/o/exempelstad/security-plans/"), 1, "the list: one");
	has_str(r.body, "Verksamhetssystem IFO", "the IFO system's draft");
	r = fx_get(fx, COORD, "/o/exempelstad/");
	has_str(r.body, sv(M_SSP_WAIT_OVERDUE_ONE), "the coordinator: one overdue for review");
	has_str(r.body, sv(M_SSP_WAIT_NEW_VERSION_ONE), "and one needing a new version");
	r = fx_get(fx, USER, "/o/exempelstad/");
	ok(!strstr(r.body, "security-plan-lists"), "a plain user is asked nothing");
}

/* covers R-5-03, R-5-04, R-5-05, R-5-12, R-5-02 */
TEST(a_plan_starts_filled_in_from_what_varn_knows)
{
	struct fx_resp r;
	const char *info;

	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/systems/%lld",
					   (long long)sys_new));
	has_str(r.body, sv(M_SSP_PANEL_NONE), "the system's page says it has no plan");
	has_str(r.body, arena_printf(&fx->a, "/o/exempelstad/security-plan-start/%lld",
				     (long long)sys_new), "and offers to draw one up");
	r = fx_post(fx, USER, arena_printf(&fx->a, "/o/exempelstad/security-plan-start/%lld",
					   (long long)sys_new), "");
	is_int(r.status, 403, "not a plain user");
	r = fx_post(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plan-start/%lld",
					    (long long)sys_new), "");
	is_int(r.status, 303, "the owner draws one up");
	plan_new = fx_location_id(&r);
	ok(plan_new > 0, "and is taken to it");
	is_int(q1("SELECT plan_version FROM security_plan WHERE id = $1", plan_new), 1,
	       "version 1");
	is_str(cell("SELECT state FROM security_plan WHERE id = $1", plan_new), "draft", "a draft");
	info = cell("SELECT information FROM security_plan WHERE id = $1", plan_new);
	if (q1("SELECT count(*) FROM system_information WHERE system_id = $1 AND archived = 0",
	       sys_new))
		ok(info && strstr(info, cell("SELECT i.name FROM system_information l"
				 " JOIN information_set i ON i.id = l.infoset_id WHERE l.system_id = $1"
				 " AND l.archived = 0 ORDER BY i.name_sk LIMIT 1", sys_new)),
		   "the information it handles is filled in");
	else
		ok(info == NULL, "no information to fill in");
	has_str(cell("SELECT cia_requirements FROM security_plan WHERE id = $1", plan_new),
		"Skyddsnivåer enligt klassningen: K", "its levels");
	has_str(cell("SELECT organisation_roles FROM security_plan WHERE id = $1", plan_new),
		"Systemägare: ", "its owner in the organisation");
	is_int(q1("SELECT has_plan FROM secplan_need WHERE system_id = $1", sys_new), 1,
	       "the system no longer counts as without a plan");
	r = fx_post(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plan-start/%lld",
					    (long long)sys_new), "");
	is_int(fx_location_id(&r), plan_new, "drawing up again opens the same plan");
	r = fx_post(fx, OWNER, "/o/exempelstad/security-plans",
		    arena_printf(&fx->a, "system_id=%lld", (long long)sys_new));
	is_int(r.status, 422, "a second draft for the system is refused");
	has_str(r.body, sv(M_SSP_V_HAS_DRAFT), "saying why");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld",
					   (long long)plan_new));
	is_int(r.status, 200, "the plan's page");
	has_str(r.body, sv(M_SSP_FACTS_HEADING), "with what Värn knows about the system");
	has_str(r.body, sv(M_SSP_G_THREATS), "and its sections");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld/edit",
					   (long long)plan_new));
	is_int(r.status, 200, "its form");
	has_str(r.body, "<legend>Hotbild</legend>", "in sections");
}

/* covers R-5-06, R-5-25 */
TEST(the_owner_writes_and_signs_and_the_version_is_frozen)
{
	struct fx_resp r;
	int64_t v;

	is_int(save(OWNER, plan_new, "Obehörig åtkomst och avbrott").status, 303,
	       "the owner writes the threats");
	is_str(cell("SELECT threats FROM security_plan WHERE id = $1", plan_new),
	       "Obehörig åtkomst och avbrott", "saved");
	v = version(plan_new);
	r = fx_post(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld",
					    (long long)plan_new),
		    arena_printf(&fx->a, "system_id=%lld&threats=Annat&version=%lld",
				 (long long)sys_new, (long long)(v - 1)));
	is_int(r.status, 409, "an edit from an older page is refused");
	is_int(transition(USER, plan_new, "sign", NULL).status, 403, "a plain user cannot sign");
	r = transition(OWNER, plan_new, "sign", "next_review=2026-01-01");
	is_int(r.status, 422, "a review date in the past is refused");
	r = transition(OWNER, plan_new, "sign", NULL);
	is_int(r.status, 303, "the owner signs");
	is_str(cell("SELECT state FROM security_plan WHERE id = $1", plan_new), "signed", "signed");
	is_int(q1("SELECT signed_by FROM security_plan WHERE id = $1", plan_new), owner_pid,
	       "by the owner");
	ok(cell("SELECT signed_recorded_by FROM security_plan WHERE id = $1", plan_new) == NULL,
	   "themselves");
	is_str(cell("SELECT signed_on FROM security_plan WHERE id = $1", plan_new), TODAY, "today");
	is_str(cell("SELECT review_on FROM security_plan WHERE id = $1", plan_new), "2027-06-15",
	       "to be reviewed a year later");
	has_str(cell("SELECT facts_json FROM security_plan WHERE id = $1", plan_new),
		"\"levels\":\"K", "what Värn knew is kept");
	is_int(q1("SELECT count(*) FROM audit_event WHERE entity = 'security-plans'"
		  " AND entity_id = $1 AND action = 'sign'", plan_new), 1, "audited");
	r = save(OWNER, plan_new, "Något nytt");
	is_int(r.status, 422, "a signed version cannot be changed");
	has_str(r.body, sv(M_SSP_V_FROZEN), "saying to start a new version");
	is_str(cell("SELECT threats FROM security_plan WHERE id = $1", plan_new),
	       "Obehörig åtkomst och avbrott", "it is as signed");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/systems/%lld",
					   (long long)sys_new));
	has_str(r.body, sv(M_SSP_ST_SIGNED), "the system's panel says signed");
	has_str(r.body, "2027-06-15", "with its review date");
}

/* covers R-5-24, R-5-25 */
TEST(the_coordinator_signs_on_the_owners_behalf)
{
	struct fx_resp r = transition(COORD, plan_ifo, "sign", "next_review=2027-03-01");

	is_int(r.status, 303, "the coordinator records the owner's sign-off");
	is_int(q1("SELECT signed_by FROM security_plan WHERE id = $1", plan_ifo), owner_pid,
	       "signed by the owner");
	is_int(q1("SELECT signed_recorded_by FROM security_plan WHERE id = $1", plan_ifo),
	       coord_pid, "recorded by the coordinator");
	is_str(cell("SELECT review_on FROM security_plan WHERE id = $1", plan_ifo), "2027-03-01",
	       "with the review date they set");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld",
					   (long long)plan_ifo));
	has_str(r.body, sv(M_SSP_RECORDED_BY_TEXT), "the page says it was recorded on their behalf");
	r = transition(ITCHEF, plan_of("Journalsystem vård och omsorg"), "reviewed", NULL);
	ok(r.status == 403 || r.status == 422, "someone else's system's plan is not theirs to review");
}

/* covers R-5-25, R-5-26 */
TEST(a_signed_plan_is_revised_as_a_new_version)
{
	struct fx_resp r;
	int64_t v1 = plan_new, v1_version = version(plan_new), v2;

	r = fx_post(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plan-revise/%lld",
					    (long long)v1), "");
	is_int(r.status, 303, "the owner starts a new version");
	v2 = fx_location_id(&r);
	ok(v2 > 0 && v2 != v1, "a new record");
	is_int(q1("SELECT plan_version FROM security_plan WHERE id = $1", v2), 2, "version 2");
	is_str(cell("SELECT state FROM security_plan WHERE id = $1", v2), "draft", "a draft");
	is_str(cell("SELECT threats FROM security_plan WHERE id = $1", v2),
	       "Obehörig åtkomst och avbrott", "with the content copied");
	is_int(q1("SELECT previous_id FROM security_plan WHERE id = $1", v2), v1,
	       "naming the one before");
	is_int(q1("SELECT latest FROM security_plan WHERE id = $1", v1), 0, "v1 is no longer newest");
	is_str(cell("SELECT state FROM security_plan WHERE id = $1", v1), "signed",
	       "but still signed");
	is_int(version(v1), v1_version, "and not rewritten");
	r = fx_post(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plan-revise/%lld",
					    (long long)v1), "");
	is_int(r.status, 422, "an older version cannot be revised again");
	is_int(save(OWNER, v2, "Ny hotbild efter omorganisationen").status, 303,
	       "the new version is written");
	is_int(transition(OWNER, v2, "sign", NULL).status, 303, "and signed");
	is_str(cell("SELECT threats FROM security_plan WHERE id = $1", v1),
	       "Obehörig åtkomst och avbrott", "version 1 reads as it was signed");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld",
					   (long long)v1));
	has_str(r.body, sv(M_SSP_OLDER_VERSION), "its page says it is an older version");
	has_str(r.body, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld", (long long)v2),
		"and links the newer one");
	is_int(transition(OWNER, v1, "reviewed", NULL).status, 422,
	       "an older version is not reviewed");
	plan_new = v2;
}

/* the listener of the systems module's "system-changed" */
TEST(a_level_change_calls_for_a_new_version)
{
	struct ctx cx;
	struct org_ctx oc;
	struct record rec;
	struct field_errors errs = { .n = 0 };
	struct db_error err;
	const char *was;
	int k;

	system_ctx(&cx, &oc);
	ok(entity_get(&cx, &sys_systems, sys_new, &rec, &err) == 0, "the system");
	was = rec.v[SYS_RAISE_S];
	k = rec.v[SYS_LEVEL_S] ? atoi(rec.v[SYS_LEVEL_S]) : 0;
	rec.v[SYS_RAISE_S] = k < 3 ? arena_printf(&fx->a, "%d", k + 1) : "4";
	rec.v[SYS_RAISE_REASON] = "Test: högre spårbarhet";
	ok(entity_update(&cx, &sys_systems, &rec, &errs, &err) == 0, "its traceability raised");
	is_int(q1("SELECT needs_new_version FROM security_plan WHERE id = $1", plan_new), 1,
	       "the signed plan needs a new version");
	has_str(cell("SELECT new_version_reason FROM security_plan WHERE id = $1", plan_new),
		"Skyddsnivåerna har ändrats", "saying why");
	is_int(q1("SELECT count(*) FROM audit_event WHERE entity = 'security-plans'"
		  " AND entity_id = $1 AND action = 'needs-new-version'", plan_new), 1, "audited");
	is_int(transition(OWNER, plan_new, "reviewed", NULL).status, 422,
	       "it cannot just be marked reviewed");
	ok(entity_get(&cx, &sys_systems, sys_new, &rec, &err) == 0, "the system again");
	rec.v[SYS_RAISE_S] = was;
	ok(entity_update(&cx, &sys_systems, &rec, &errs, &err) == 0, "the raise taken back");
	is_int(q1("SELECT needs_new_version FROM security_plan WHERE id = $1", plan_new), 0,
	       "the plan fits the system again");
}

/* covers R-5-26 */
TEST(reviewed_and_reminded_once_per_review_date)
{
	struct db_error err;
	struct buf log = BUF_INIT;
	int64_t kat = plan_of("Katalogtjänst och inloggning");
	const char *n_sql = "SELECT count(*) FROM outbox WHERE org_id = $1"
			    " AND dedup_key LIKE 'security-plan-review:%'";
	int n;

	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "security-plan-review", &log,
			      NULL, &err);
	ok(n == 1 && log.p && strstr(log.p, ": ok"), "the review reminder runs");
	ok(q1(n_sql, org) >= 1, "owners with due plans are mailed");
	is_str(cell("SELECT to_addr FROM outbox WHERE entity = 'security-plans' AND entity_id = $1",
		    kat), ITCHEF, "the overdue plan's owner");
	clock_set(T0 + 86400);
	buf_reset(&log);
	n = scheduler_run_due(fx->db, clock_now(), scheduler_jobs(), "security-plan-review", &log,
			      NULL, &err);
	ok(n == 1, "the next day");
	is_int(q1("SELECT count(*) FROM outbox WHERE entity = 'security-plans' AND entity_id = $1",
		  kat), 1, "nothing more is sent");
	clock_set(T0);
	fx_new_sessions(fx);
	is_int(transition(ITCHEF, kat, "reviewed", "note=Inget+har+%C3%A4ndrats").status, 303,
	       "its owner marks it reviewed");
	is_str(cell("SELECT review_on FROM security_plan WHERE id = $1", kat), "2027-06-15",
	       "the next review a year ahead");
	is_str(cell("SELECT state FROM security_plan WHERE id = $1", kat), "signed", "still signed");
	buf_release(&log);
}

TEST(the_api_and_another_organisation)
{
	struct db_error err = { 0 };
	const char *t = api_token_create(fx->db, &fx->a, fx_user_id(fx, COORD), "test", 1, &err);
	struct fx_resp r;
	json_t *j;

	ok(t != NULL, "a token");
	r = fx_request(fx, NULL, "GET", arena_printf(&fx->a, "/api/v1/orgs/exempelstad/"
		       "security-plans/%lld", (long long)plan_ifo), NULL, NULL, "Authorization",
		       arena_printf(&fx->a, "Bearer %s", t ? t : ""));
	is_int(r.status, 200, "a plan through the API");
	j = json_loads(r.body, 0, NULL);
	ok(j && json_is_string(json_object_get(json_object_get(j, "data") ?
		json_object_get(j, "data") : j, "state")), "as JSON with its state");
	json_decref(j);
	r = fx_get(fx, GRANNBY_ADMIN, arena_printf(&fx->a, "/o/exempelstad/security-plans/%lld",
						   (long long)plan_ifo));
	is_int(r.status, 404, "another organisation's administrator sees nothing");
	r = fx_get(fx, GRANNBY_ADMIN, arena_printf(&fx->a, "/o/grannby/documents/security-plan.pdf"
						   "?id=%lld", (long long)plan_ifo));
	is_int(r.status, 404, "nor its PDF through their own");
	is_int(q1("SELECT count(*) FROM security_plan WHERE org_id = $1", grannby), 0,
	       "Grannby has no plans");
}

/* covers R-5-07, R-5-08, R-5-09, R-5-10, R-5-11, R-5-12, R-5-13, R-5-14, R-5-25 */
TEST(the_plan_as_a_document)
{
	struct fx_resp r;
	const char *text;
	struct timespec a, b;
	double ms;
	FILE *f;
	int ok_all = 1;

	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/documents/security-plan?id=%lld",
					   (long long)plan_ifo));
	is_int(r.status, 200, "the print view");
	has_str(r.body, sv(M_SSP_DOC_SIGNATURE), "with the signature block");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/documents/security-plan.pdf"
					   "?id=%lld", (long long)plan_ifo));
	is_int(r.status, 200, "the PDF");
	is_str(r.content_type, "application/pdf", "is a PDF");
	if ((f = fopen("/tmp/secplans-plan.pdf", "wb"))) {
		fwrite(r.body, 1, r.len, f);
		fclose(f);
	}
	text = fx_pdf_text(fx, &r);
	has_str(text, "Systemsäkerhetsplan", "titled");
	has_str(text, "Verksamhetssystem IFO", "naming the system");
	has_str(text, "Hotbild", "the threats");
	has_str(text, "Behörighetsprofiler", "the access profiles");
	has_str(text, "Längsta acceptabla avbrott", "the outage");
	has_str(text, "Tid för återläsning", "the restore time");
	has_str(text, "Krav på säkerhetskopiering och lagring", "the backup requirements");
	has_str(text, "Loggningens omfattning", "the logging");
	has_str(text, "Arkivering, förvaring och gallring", "the logs' retention");
	has_str(text, "Avbrotts- och katastrofplanering", "outage and disaster planning");
	has_str(text, "Organisation och befattningar", "the organisation around the system");
	has_str(text, "Anders Åkesson", "the owner who signed");
	has_str(text, "Planen är fastställd av Anders Åkesson den 2026-06-15 (version 1)",
		"who signed, when, which version");
	has_str(text, "för systemägarens räkning", "recorded by the coordinator");
	has_str(text, "Sida 1 av", "numbered pages");
	{
		/* the signature block on the page of its heading (pdftotext
		 * parts pages with a form feed) */
		const char *at = strstr(text, "Planen är fastställd av");
		const char *start = at, *end;
		while (start && start > text && start[-1] != '\f')
			start--;
		end = at ? strchr(at, '\f') : NULL;
		ok(at && strstr(start, "Ort och datum") &&
		   (!end || strstr(start, "Ort och datum") < end),
		   "the signature block stays on the page of its heading");
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 20; i++) {
		r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/documents/"
			   "security-plan.pdf?id=%lld", (long long)plan_ifo));
		ok_all &= r.status == 200;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	ms = ((double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6) / 20;
	printf("# security plan PDF: %.1f ms per render (20 renders)\n", ms);
	ok(ok_all, "twenty renders");
	r = fx_get(fx, USER, arena_printf(&fx->a, "/o/exempelstad/documents/security-plan.pdf"
					  "?id=%lld", (long long)plan_ifo));
	is_int(r.status, 403, "not for a plain user");
}

int main(void)
{
	struct db_error err;
	FILE *quiet;
	int rc;

	clock_set(T0);
	fx = fixture_new();
	quiet = fopen("/dev/null", "w");
	if (!quiet || demo_create(fx->db, quiet, &err) != 0) {
		printf("Bail out! the demo: %s\n", quiet ? err.msg : "no /dev/null");
		return 1;
	}
	fclose(quiet);
	org = fx_scalar(fx, "SELECT id FROM organisation WHERE slug = 'exempelstad' AND id > $1", 0);
	grannby = fx_scalar(fx, "SELECT id FROM organisation WHERE slug = 'grannby' AND id > $1", 0);
	owner_pid = fx_scalar(fx, "SELECT id FROM person WHERE org_id = $1"
			      " AND email = 'socialchef@exempelstad.se'", org);
	coord_pid = fx_scalar(fx, "SELECT id FROM person WHERE org_id = $1"
			      " AND email = 'samordnare@exempelstad.se'", org);
	sys_new = fx_scalar(fx, "SELECT min(s.id) FROM it_system s JOIN secplan_need n"
			    " ON n.system_id = s.id AND n.has_plan = 0 AND n.needs_plan = 1"
			    " WHERE s.owner_id = $1 AND s.archived = 0", owner_pid);
	rc = tap_run();
	fixture_free(fx);
	clock_set(0);
	testdb_cleanup();
	return rc;
}
