/* test_gap_pages.c - the self-assessment pages (modules/measures/gap_pages.c)
 * on the demo municipality, through the real router, on the engine chosen
 * by VARN_TEST_DB: a system owner's page with every required measure
 * grouped by area; saving one measure (status, who, when, the progress);
 * "not applicable" without a motivation refused beside its field; a stale
 * version refused without overwriting; who may write; another
 * organisation's system; inheriting a shared assessment; a raised level
 * bringing new measures, marked new; the organisation's page and its
 * waiting line; the measure's and the assessment's record pages. */
#include "base/base.h"

#include <stdio.h>
#include <time.h>

#include "base/clock.h"
#include "cli/demo.h"
#include "core/i18n.h"
#include "db/db.h"
#include "fixture.h"
#include "parse/form.h"
#include "tap.h"

static struct fixture *fx;
static int64_t org;         /* exempelstad */
static int64_t owner_pid;   /* socialchef's person there */
static int64_t sys_ifo;     /* a business-critical system socialchef owns */
static int64_t sys_low;     /* a system of socialchef's with low levels */

#define OWNER "socialchef@exempelstad.se"
#define COORD "samordnare@exempelstad.se"
#define USER "anvandare@exempelstad.se"
#define INFO_OWNER "informationsagare@exempelstad.se"
#define GRANNBY_ADMIN "admin@grannby.se"

/* 2026-06-15 12:00 in Stockholm */
#define T0 INT64_C(1781517600)
#define TODAY "2026-06-15"

static const char *sv(int msg)
{
	return msg_text(LANG_SV, msg);
}

/* One text cell of a query with one integer argument, or NULL. */
static const char *text1(const char *sql, int64_t arg)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(arg)), &r, &err) != 0 || r.nrows == 0)
		return NULL;
	return db_cell(&r, 0, 0);
}

static size_t count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static const char *gap_path(int64_t sid)
{
	return arena_printf(&fx->a, "/o/exempelstad/gap/systems/%lld", (long long)sid);
}

static const char *assess_path(int64_t sid)
{
	return arena_printf(&fx->a, "/o/exempelstad/gap/systems/%lld/assess", (long long)sid);
}

static int64_t version_of(int64_t aid)
{
	return fx_scalar(fx, "SELECT version FROM measure_assessment WHERE id = $1", aid);
}

/* A required, not assessed row of system sid whose measure the
 * organisation has no shared assessment of. */
static int64_t open_row(int64_t sid, int64_t skip)
{
	return fx_scalar(fx, arena_printf(&fx->a,
		"SELECT min(a.id) FROM measure_assessment a WHERE a.system_id = $1"
		" AND a.required = 1 AND a.archived = 0 AND a.status = 'not_assessed'"
		" AND a.inherit = 0 AND a.id > %lld AND NOT EXISTS (SELECT 1 FROM"
		" measure_assessment s WHERE s.org_id = a.org_id AND s.measure_id = a.measure_id"
		" AND s.system_id IS NULL)", (long long)skip), sid);
}

static const char *code_of(int64_t aid)
{
	return text1("SELECT m.code FROM measure_assessment a JOIN measure m ON m.id = a.measure_id"
		     " WHERE a.id = $1", aid);
}

static struct fx_resp assess(const char *who, int64_t sid, int64_t aid, int64_t version,
			     const char *more)
{
	return fx_post(fx, who, assess_path(sid),
		       arena_printf(&fx->a, "assessment=%lld&version=%lld%s", (long long)aid,
				    (long long)version, more));
}

static int64_t stat_of(int64_t sid, const char *stat)
{
	return fx_scalar(fx, arena_printf(&fx->a, "SELECT coalesce(sum(n), 0) FROM gap_system_stat"
					  " WHERE system_id = $1 AND stat = '%s'", stat), sid);
}

/* "<n> av <m> bedömda" as the page writes it */
static const char *progress_text(int64_t sid)
{
	int64_t req = 0;
	static const char *const st[] = { "met", "partly", "not_met", "not_applicable",
					  "supplier", "not_assessed" };

	for (size_t i = 0; i < ARRAY_SIZE(st); i++)
		req += stat_of(sid, st[i]);
	return arena_printf(&fx->a, "%lld av %lld bedömda", (long long)(req - stat_of(sid,
		"not_assessed")), (long long)req);
}

TEST(the_page_lists_the_required_measures_by_area) /* covers R-4-03, R-4-04 */
{
	struct fx_resp r = fx_get(fx, OWNER, gap_path(sys_ifo));
	int64_t required = fx_scalar(fx, "SELECT count(*) FROM measure_assessment WHERE system_id = $1"
				     " AND required = 1 AND archived = 0", sys_ifo);
	int64_t gone = fx_scalar(fx, "SELECT count(*) FROM measure_assessment WHERE system_id = $1"
				 " AND required = 0 AND archived = 0", sys_ifo);
	const char *name = text1("SELECT name FROM it_system WHERE id = $1", sys_ifo);
	const char *p_org, *p_access, *p_ops;

	is_int(r.status, 200, "the system owner opens the system's self-assessment");
	has_str(r.body, arena_printf(&fx->a, "<h1>%s: %s</h1>", sv(M_GP_TITLE), name),
		"titled with the system's name");
	has_str(r.body, arena_printf(&fx->a, "href=\"/o/exempelstad/systems/%lld\"", (long long)sys_ifo),
		"links the system's record");
	ok(required > 60, "the demo system needs many measures (%lld)", (long long)required);
	is_int(count_str(r.body, "<article class=\"gap-measure"), required,
	       "every required measure on the one page, once");
	is_int(count_str(r.body, "<form method=\"post\" class=\"gap-form\""), required,
	       "each a form of its own");
	is_int(count_str(r.body, "<button type=\"submit\" class=\"primary\">Spara<span"), required,
	       "with one save button each");
	has_str(r.body, progress_text(sys_ifo), "the progress, from the counts");
	has_str(r.body, "<progress", "as a bar too");
	p_org = strstr(r.body, "id=\"area-organisation\"");
	p_access = strstr(r.body, "id=\"area-access\"");
	p_ops = strstr(r.body, "id=\"area-operations\"");
	ok(p_org && p_access && p_ops && p_org < p_access && p_access < p_ops,
	   "grouped by area in the catalogue's order");
	has_str(r.body, "<h2 id=\"area-access\">Behörigheter och åtkomst</h2>",
		"each area a section with its heading");
	ok(strstr(r.body, "bedömda</p>") != NULL, "and its count of assessed");
	has_str(r.body, "type=\"radio\"", "statuses as radio buttons");
	has_str(r.body, sv(M_GP_WHY_BASELINE), "says why a measure is required (the baseline)");
	has_str(r.body, sv(M_GP_WHY_FROM), "or from which level");
	has_str(r.body, "<details class=\"gap-text\"><summary>", "the measure's text folded");
	has_str(r.body, "Bedömd av ", "who assessed, where someone did");
	if (gone)
		has_str(r.body, sv(M_GP_NOT_REQUIRED), "rows no longer required, apart");
	else
		lacks_str(r.body, "id=\"gap-gone\"", "no section of rows no longer required");
	lacks_str(r.body, sv(M_GP_READONLY), "the owner may write");

	r = fx_get(fx, OWNER, arena_printf(&fx->a, "%s?show=open", gap_path(sys_ifo)));
	is_int(count_str(r.body, "<article class=\"gap-measure"), stat_of(sys_ifo, "not_assessed"),
	       "?show=open lists exactly the measures not assessed");
	has_str(r.body, "aria-current=\"page\">Ej bedömda", "and marks its choice");

	r = fx_get(fx, INFO_OWNER, gap_path(sys_ifo));
	is_int(r.status, 200, "staff without the right to change it may read it");
	has_str(r.body, sv(M_GP_READONLY), "told so");
	lacks_str(r.body, "class=\"gap-form\"", "and get no forms");
}

/* Queries the app's connections have run (the fixture's pool has two). */
static uint64_t app_queries(void)
{
	struct db *a = db_pool_get(fx->app.pool), *b = db_pool_get(fx->app.pool);
	struct db_stats sa, sb;

	db_get_stats(a, &sa);
	db_get_stats(b, &sb);
	db_pool_put(fx->app.pool, a);
	db_pool_put(fx->app.pool, b);
	return sa.queries + sb.queries;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

TEST(the_page_costs_the_same_for_few_or_many_measures)
{
	int64_t other = fx_scalar(fx, "SELECT min(id) FROM it_system WHERE owner_id = $1"
				  " AND business_critical = 1 AND archived = 0 AND id > (SELECT min(id)"
				  " FROM it_system WHERE owner_id = $1 AND business_critical = 1)",
				  owner_pid);
	uint64_t q0, many, fewer, org_q;
	double t0, ms;
	int64_t n_ifo = fx_scalar(fx, "SELECT count(*) FROM measure_assessment WHERE system_id = $1",
				  sys_ifo);
	int64_t n_other = fx_scalar(fx, "SELECT count(*) FROM measure_assessment WHERE system_id = $1",
				    other);
	const int rounds = 20;

	ok(other > 0 && n_other != n_ifo, "two systems with different numbers of measures"
	   " (%lld, %lld)", (long long)n_ifo, (long long)n_other);
	fx_get(fx, OWNER, gap_path(sys_ifo)); /* the same warm-up for both */
	q0 = app_queries();
	fx_get(fx, OWNER, gap_path(sys_ifo));
	many = app_queries() - q0;
	q0 = app_queries();
	fx_get(fx, OWNER, gap_path(other));
	fewer = app_queries() - q0;
	ok(many > 0 && many == fewer && many <= 20, "as many queries for %lld measures as for %lld"
	   " (%llu, %llu): one for the rows, one for the shared rows, not one per measure",
	   (long long)n_ifo, (long long)n_other, (unsigned long long)many,
	   (unsigned long long)fewer);
	q0 = app_queries();
	fx_get(fx, COORD, "/o/exempelstad/gap/organisation");
	org_q = app_queries() - q0;
	ok(org_q > 0 && org_q <= 20, "the organisation's page: %llu queries",
	   (unsigned long long)org_q);
	t0 = now_ms();
	for (int i = 0; i < rounds; i++)
		fx_get(fx, OWNER, gap_path(sys_ifo));
	ms = (now_ms() - t0) / rounds;
	printf("# a system's page (%lld measures): %.1f ms, %llu queries\n", (long long)n_ifo, ms,
	       (unsigned long long)many);
	ok(ms < 1000, "a system's page in well under a second (%.1f ms)", ms);
}

TEST(saving_one_measure)  /* covers R-4-03 */
{
	int64_t aid = open_row(sys_ifo, 0), v = version_of(aid);
	int64_t open_before = stat_of(sys_ifo, "not_assessed"), met_before = stat_of(sys_ifo, "met");
	const char *code = code_of(aid);
	struct fx_resp r;

	ok(aid > 0 && code, "a measure not assessed (%s)", code ? code : "?");
	r = assess(OWNER, sys_ifo, aid, v,
		   "&status=met&how=Beh%C3%B6righeter%20best%C3%A4lls%20skriftligt"
		   "&evidence=Rutin%20R-12&severity=&motivation=&comment=");
	is_int(r.status, 303, "saved, and sent back");
	is_str(r.location, arena_printf(&fx->a, "%s?saved=%lld#m-%s", gap_path(sys_ifo),
					(long long)aid, code),
	       "to the page at the measure's anchor");
	is_str(text1("SELECT status FROM measure_assessment WHERE id = $1", aid), "met",
	       "the status is stored");
	is_str(text1("SELECT effective_status FROM measure_assessment WHERE id = $1", aid), "met",
	       "and is the status in effect");
	is_int(fx_scalar(fx, "SELECT assessed_by FROM measure_assessment WHERE id = $1", aid),
	       owner_pid, "assessed by the system owner");
	is_str(text1("SELECT assessed_on FROM measure_assessment WHERE id = $1", aid), TODAY,
	       "today");
	is_str(text1("SELECT how FROM measure_assessment WHERE id = $1", aid),
	       "Behörigheter beställs skriftligt", "how it is done");
	is_int(version_of(aid), v + 1, "a new version");
	is_int(stat_of(sys_ifo, "not_assessed"), open_before - 1, "one fewer not assessed");
	is_int(stat_of(sys_ifo, "met"), met_before + 1, "one more met");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE entity = 'assessments'"
			 " AND action = 'update' AND entity_id = $1", aid), 1,
	       "in the audit trail");

	r = fx_get(fx, OWNER, arena_printf(&fx->a, "%s?saved=%lld", gap_path(sys_ifo), (long long)aid));
	is_int(r.status, 200, "the page after saving");
	has_str(r.body, "<p class=\"notice gap-saved\" role=\"status\">Sparat.</p>",
		"says it is saved");
	ok(strstr(r.body, "Sparat.") > strstr(r.body, arena_printf(&fx->a, "id=\"m-%s\"", code)),
	   "beside the measure");
	has_str(r.body, progress_text(sys_ifo), "the progress has moved");
	has_str(r.body, arena_printf(&fx->a, "Bedömd av Anders Åkesson %s.", TODAY),
		"who assessed and when");

	r = fx_get(fx, OWNER, arena_printf(&fx->a, "%s?show=open&saved=%lld", gap_path(sys_ifo),
					   (long long)aid));
	has_str(r.body, arena_printf(&fx->a, "id=\"m-%s\"", code),
		"the measure just saved stays in view under the filter");
}

TEST(not_applicable_needs_a_motivation)  /* covers R-4-03 */
{
	int64_t aid = open_row(sys_ifo, 0), v = version_of(aid);
	struct fx_resp r = assess(OWNER, sys_ifo, aid, v,
				  "&status=not_applicable&how=Ingen%20s%C3%A5dan%20funktion"
				  "&motivation=");

	is_int(r.status, 422, "not applicable without a motivation is refused");
	has_str(r.body, arena_printf(&fx->a, "<p class=\"error\" id=\"f-a%lld-motivation-error\">%s</p>",
				     (long long)aid, sv(M_V_NA_MOTIVATION)),
		"the Swedish message beside the motivation");
	has_str(r.body, arena_printf(&fx->a, "href=\"#f-a%lld-motivation\"", (long long)aid),
		"the error summary links to it");
	has_str(r.body, "class=\"error-summary\"", "an error summary at the top");
	has_str(r.body, arena_printf(&fx->a, "%s <a href=\"#m-%s\">%s ", sv(M_GP_ERROR_AT),
				     code_of(aid), code_of(aid)), "naming the measure, linked");
	has_str(r.body, arena_printf(&fx->a, "id=\"a%lld-status-not_applicable\" name=\"status\""
				     " value=\"not_applicable\" checked", (long long)aid),
		"the chosen status kept");
	has_str(r.body, ">Ingen sådan funktion</textarea>", "what was typed kept");
	is_str(text1("SELECT status FROM measure_assessment WHERE id = $1", aid), "not_assessed",
	       "nothing written");
	is_int(version_of(aid), v, "the version unchanged");

	r = assess(OWNER, sys_ifo, aid, v, "&status=not_applicable&motivation=Ingen%20e-post");
	is_int(r.status, 303, "with a motivation it is saved");
	is_str(text1("SELECT motivation FROM measure_assessment WHERE id = $1", aid), "Ingen e-post",
	       "with its motivation");
}

TEST(a_stale_version_is_refused)
{
	int64_t aid = open_row(sys_ifo, 0), v = version_of(aid);
	struct fx_resp r = assess(OWNER, sys_ifo, aid, v, "&status=partly&severity=moderate"
				  "&how=F%C3%B6rst%20sparat");

	is_int(r.status, 303, "one save");
	r = assess(COORD, sys_ifo, aid, v, "&status=not_met&how=Andra%20sparat");
	is_int(r.status, 409, "a second from the old version is refused");
	has_str(r.body, sv(M_GP_CONFLICT), "saying so in Swedish");
	has_str(r.body, ">Först sparat</textarea>", "showing what applies now");
	lacks_str(r.body, "Andra sparat", "not what lost the race");
	has_str(r.body, arena_printf(&fx->a, "name=\"version\" value=\"%lld\"", (long long)(v + 1)),
		"with the current version to save against");
	is_str(text1("SELECT status FROM measure_assessment WHERE id = $1", aid), "partly",
	       "never overwritten");
	is_str(text1("SELECT how FROM measure_assessment WHERE id = $1", aid), "Först sparat",
	       "nor its text");
}

TEST(who_may_write)
{
	int64_t aid = open_row(sys_ifo, 0), v = version_of(aid);
	int64_t other = fx_scalar(fx, "SELECT min(s.id) FROM it_system s WHERE s.org_id = $1"
				  " AND s.archived = 0 AND (s.owner_id IS NULL OR s.owner_id <> "
				  "(SELECT id FROM person WHERE email = 'socialchef@exempelstad.se'"
				  " AND org_id = s.org_id))", org);
	int64_t other_row = fx_scalar(fx, "SELECT min(id) FROM measure_assessment WHERE system_id = $1"
				      " AND required = 1", other);
	struct fx_resp r;

	r = assess(USER, sys_ifo, aid, v, "&status=met");
	is_int(r.status, 403, "a plain user may not save (403)");
	r = fx_get(fx, USER, gap_path(sys_ifo));
	is_int(r.status, 403, "nor open the page: it is for staff");
	r = assess(INFO_OWNER, sys_ifo, aid, v, "&status=met");
	is_int(r.status, 403, "an information owner may not save a system's assessment");
	ok(other > 0 && other_row > 0, "a system socialchef does not own");
	r = assess(OWNER, other, other_row, version_of(other_row), "&status=met");
	is_int(r.status, 403, "the owner of one system may not assess another's");
	r = assess(OWNER, sys_ifo, other_row, version_of(other_row), "&status=met");
	is_int(r.status, 404, "nor by posting another system's row to their own page");
	r = fx_post(fx, OWNER, "/o/exempelstad/gap/organisation/assess",
		    arena_printf(&fx->a, "assessment=%lld&version=1&status=met",
				 (long long)fx_scalar(fx, "SELECT min(id) FROM measure_assessment"
						      " WHERE org_id = $1 AND system_id IS NULL", org)));
	is_int(r.status, 403, "nor the organisation's own measures");
	is_str(text1("SELECT status FROM measure_assessment WHERE id = $1", aid), "not_assessed",
	       "nothing written");
	r = fx_request(fx, OWNER, "POST", assess_path(sys_ifo),
		       arena_printf(&fx->a, "assessment=%lld&version=%lld&status=met", (long long)aid,
				    (long long)v), "application/x-www-form-urlencoded", NULL, NULL);
	is_int(r.status, 403, "without the CSRF token: 403");
}

TEST(another_organisations_system_is_not_there)
{
	int64_t theirs = fx_scalar(fx, "SELECT min(id) FROM it_system WHERE org_id <> $1", org);
	int64_t their_row = fx_scalar(fx, "SELECT min(id) FROM measure_assessment WHERE system_id = $1",
				      theirs);
	struct fx_resp r;

	ok(theirs > 0 && their_row > 0, "Grannby has a system with measures");
	r = fx_get(fx, COORD, gap_path(theirs));
	is_int(r.status, 404, "another organisation's system id: 404 (even for a coordinator of both)");
	r = assess(COORD, theirs, their_row, version_of(their_row), "&status=met");
	is_int(r.status, 404, "and saving to it: 404");
	r = assess(COORD, sys_ifo, their_row, version_of(their_row), "&status=met");
	is_int(r.status, 404, "nor its row through one's own system");
	r = fx_get(fx, GRANNBY_ADMIN, gap_path(sys_ifo));
	is_int(r.status, 404, "Grannby's administrator does not see Exempelstad");
	r = fx_get(fx, OWNER, gap_path(999999));
	is_int(r.status, 404, "an unknown system: 404");
}

TEST(inheriting_a_shared_assessment)
{
	int64_t aid = fx_scalar(fx, "SELECT min(a.id) FROM measure_assessment a JOIN"
				" measure_assessment s ON s.measure_id = a.measure_id AND s.system_id"
				" IS NULL AND s.org_id = a.org_id AND s.status = 'met'"
				" WHERE a.system_id = $1 AND a.required = 1 AND a.inherit = 0",
				sys_ifo);
	const char *code = code_of(aid);
	struct fx_resp r;

	ok(aid > 0 && code, "a measure the IT unit assessed for everyone");
	r = fx_get(fx, OWNER, gap_path(sys_ifo));
	has_str(r.body, arena_printf(&fx->a, "id=\"f-a%lld-inherit\"", (long long)aid),
		"offers to inherit where a shared assessment exists");
	is_int(count_str(r.body, "name=\"inherit\""),
	       fx_scalar(fx, "SELECT count(*) FROM measure_assessment a WHERE a.system_id = $1"
			 " AND a.required = 1 AND (a.inherit = 1 OR EXISTS (SELECT 1 FROM"
			 " measure_assessment s WHERE s.measure_id = a.measure_id AND s.org_id ="
			 " a.org_id AND s.system_id IS NULL AND s.archived = 0))", sys_ifo),
	       "and only there");
	has_str(r.body, sv(M_GP_HAS_SHARED), "naming the shared assessment");
	r = assess(OWNER, sys_ifo, aid, version_of(aid), "&status=not_assessed&inherit=1");
	is_int(r.status, 303, "inherited");
	is_int(fx_scalar(fx, "SELECT inherit FROM measure_assessment WHERE id = $1", aid), 1,
	       "stored");
	is_str(text1("SELECT effective_status FROM measure_assessment WHERE id = $1", aid), "met",
	       "the status in effect is the shared one");
	r = fx_get(fx, OWNER, gap_path(sys_ifo));
	has_str(r.body, arena_printf(&fx->a, "%s: <span class=\"badge st-met\">Uppfyllt</span> Bedömd av ",
				     sv(M_GP_SOURCE_SHARED)),
		"the page shows the source, the status and who assessed it");
	has_str(r.body, "(ärvd)", "marked inherited");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/assessments/%lld", (long long)aid));
	is_int(r.status, 200, "the assessment's page");
	has_str(r.body, sv(M_GP_FROM_SHARED), "says where its status comes from");
	has_str(r.body, arena_printf(&fx->a, "href=\"/o/exempelstad/gap/systems/%lld#m-%s\"",
				     (long long)sys_ifo, code), "links the gap page at the measure");
	has_str(r.body, code, "names its measure");
}

TEST(a_raised_level_brings_new_measures)  /* covers R-4-02, R-4-04 */
{
	int64_t before = fx_scalar(fx, "SELECT count(*) FROM measure_assessment WHERE system_id = $1"
				   " AND required = 1", sys_low);
	int64_t k = fx_scalar(fx, "SELECT coalesce(level_k, -1) FROM it_system WHERE id = $1", sys_low);
	int64_t info, fresh;
	struct fx_resp r;

	ok(k >= 0 && k < 3, "the system starts below K3 (K%lld)", (long long)k);
	r = fx_post(fx, COORD, "/o/exempelstad/information",
		    "name=Skyddade%20personuppgifter%20i%20schemat&personal_data=1");
	info = fx_location_id(&r);
	ok(info > 0, "an information set");
	r = fx_post(fx, COORD, "/o/exempelstad/system-information",
		    arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys_low,
				 (long long)info));
	is_int(r.status, 303, "handled by the system");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/information/%lld/classify",
					    (long long)info),
		    "a_k_privacy=3&a_r_finances=1&a_t_operations=1&a_s_legal=1"
		    "&proposed_k=3&proposed_r=1&proposed_t=1&proposed_s=1"
		    "&level_k=3&level_r=1&level_t=1&level_s=1&step=4&go=save");
	is_int(r.status, 303, "classified K3 through the guided classification");
	is_int(fx_scalar(fx, "SELECT level_k FROM it_system WHERE id = $1", sys_low), 3,
	       "the system's K rises to 3");
	fresh = fx_scalar(fx, "SELECT count(*) FROM measure_assessment WHERE system_id = $1"
			  " AND required = 1 AND new_required = 1", sys_low);
	ok(fresh > 0, "measures newly required (%lld)", (long long)fresh);
	is_int(fx_scalar(fx, "SELECT count(*) FROM measure_assessment WHERE system_id = $1"
			 " AND required = 1", sys_low), before + fresh, "added to those required");
	is_int(stat_of(sys_low, "new"), fresh, "counted as new");

	r = fx_get(fx, OWNER, gap_path(sys_low));
	is_int(r.status, 200, "the owner's page");
	has_str(r.body, arena_printf(&fx->a, "%lld åtgärder krävs sedan systemets nivå höjdes",
				     (long long)fresh), "says how many are new");
	has_str(r.body, "?show=new\">", "with a link to them");
	is_int(count_str(r.body, arena_printf(&fx->a, "<span class=\"badge gap-new\">%s</span>",
					      sv(M_GP_BADGE_NEW))), fresh, "each new one is marked");
	has_str(r.body, arena_printf(&fx->a, "?show=new\">%s", sv(M_GP_SHOW_NEW)),
		"and the selection of the new ones is offered");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "%s?show=new", gap_path(sys_low)));
	is_int(count_str(r.body, "<article class=\"gap-measure"), fresh,
	       "?show=new lists exactly the new ones");
	has_str(r.body, "Krävs från K3", "each required from K3");
	{
		int64_t aid = fx_scalar(fx, "SELECT min(id) FROM measure_assessment WHERE system_id = $1"
					" AND new_required = 1", sys_low);
		r = assess(OWNER, sys_low, aid, version_of(aid), "&status=partly&severity=significant");
		is_int(r.status, 303, "one of them assessed");
		is_int(fx_scalar(fx, "SELECT new_required FROM measure_assessment WHERE id = $1", aid), 0,
		       "is no longer new");
		is_int(stat_of(sys_low, "new"), fresh - 1, "one fewer new");
	}
}

TEST(an_extra_requirement_is_assessed_like_the_rest)  /* covers R-4-05 */
{
	struct fx_resp r = fx_post(fx, OWNER, "/o/exempelstad/measures", arena_printf(&fx->a,
		"code=EGN-IFO-1&title=%s&area=access&mtype=technical&scope=system&system_id=%lld",
		fx_enc(fx, "Tvåfaktorsinloggning för alla handläggare"), (long long)sys_ifo));
	int64_t mid = fx_location_id(&r), aid;

	is_int(r.status, 303, "the system owner adds an extra requirement for the system");
	aid = fx_scalar(fx, arena_printf(&fx->a, "SELECT id FROM measure_assessment WHERE"
		" system_id = $1 AND required = 1 AND measure_id = %lld", (long long)mid), sys_ifo);
	ok(aid > 0, "it is required of that system");
	r = fx_get(fx, OWNER, gap_path(sys_ifo));
	has_str(r.body, "id=\"m-EGN-IFO-1\"", "it is on the system's page");
	has_str(r.body, sv(M_GP_WHY_EXTRA), "said to be the system's extra requirement");
	has_str(r.body, arena_printf(&fx->a, "id=\"f-a%lld-how\"", (long long)aid),
		"with the same form as the rest");
	r = assess(OWNER, sys_ifo, aid, version_of(aid), "&status=not_met&severity=serious");
	is_int(r.status, 303, "assessed the same way");
	is_str(text1("SELECT effective_status FROM measure_assessment WHERE id = $1", aid), "not_met",
	       "stored");
	r = fx_get(fx, OWNER, gap_path(sys_low));
	lacks_str(r.body, "id=\"m-EGN-IFO-1\"", "and asked of no other system");
}

TEST(the_organisations_page)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/exempelstad/gap/organisation");
	/* exactly what the start page's line counts (modules/measures/module.c) */
	int64_t waiting = fx_scalar(fx, "SELECT count(*) FROM measure_assessment WHERE org_id = $1"
				    " AND system_id IS NULL AND effective_status = 'not_assessed'"
				    " AND required = 1 AND archived = 0", org);
	int64_t mid, aid;
	const char *code;

	is_int(r.status, 200, "the coordinator opens the organisation's page");
	has_str(r.body, sv(M_GP_ORG_TITLE), "titled");
	has_str(r.body, "id=\"area-governance\"", "organisation-wide measures by area");
	has_str(r.body, sv(M_GP_SHARED), "and the shared assessments");
	{
		const char *shared = text1("SELECT min(code) FROM measure_assessment a WHERE org_id = $1"
					   " AND system_id IS NULL AND EXISTS (SELECT 1 FROM measure m"
					   " WHERE m.id = a.measure_id AND m.scope = 'system')", org);
		const char *sec = strstr(r.body, "id=\"gap-shared\"");
		ok(shared && sec && strstr(sec, arena_printf(&fx->a, "id=\"m-%s\"", shared)),
		   "the IT unit's shared assessment among them");
	}
	has_str(r.body, "action=\"/o/exempelstad/gap/organisation/share\"", "a form to share one more");
	r = fx_get(fx, COORD, "/o/exempelstad/gap/organisation?show=not_assessed");
	ok(waiting > 0, "some of the organisation's measures wait (%lld)", (long long)waiting);
	is_int(count_str(r.body, "<article class=\"gap-measure"), waiting,
	       "?show=not_assessed lists exactly what the waiting line counts");

	mid = fx_scalar(fx, "SELECT min(m.id) FROM measure m WHERE m.org_id = $1 AND m.scope = 'system'"
			" AND m.archived = 0 AND m.system_id IS NULL AND NOT EXISTS (SELECT 1 FROM"
			" measure_assessment a WHERE a.measure_id = m.id AND a.system_id IS NULL)", org);
	code = text1("SELECT code FROM measure WHERE id = $1", mid);
	r = fx_post(fx, OWNER, "/o/exempelstad/gap/organisation/share",
		    arena_printf(&fx->a, "measure_id=%lld", (long long)mid));
	is_int(r.status, 403, "a system owner may not make a shared assessment");
	r = fx_post(fx, COORD, "/o/exempelstad/gap/organisation/share", "measure_id=");
	is_int(r.status, 422, "without a measure: refused");
	has_str(r.body, sv(M_GP_V_PICK_MEASURE), "saying what is missing");
	r = fx_post(fx, COORD, "/o/exempelstad/gap/organisation/share",
		    arena_printf(&fx->a, "measure_id=%lld", (long long)mid));
	is_int(r.status, 303, "the coordinator shares a system measure");
	aid = fx_scalar(fx, "SELECT id FROM measure_assessment WHERE measure_id = $1"
			" AND system_id IS NULL", mid);
	ok(aid > 0, "the organisation's row is made (through the engine)");
	is_str(r.location, arena_printf(&fx->a, "/o/exempelstad/gap/organisation?saved=%lld#m-%s",
					(long long)aid, code), "back at its anchor");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE entity = 'assessments'"
			 " AND action = 'create' AND entity_id = $1", aid), 1, "audited");
	r = fx_post(fx, COORD, "/o/exempelstad/gap/organisation/share",
		    arena_printf(&fx->a, "measure_id=%lld", (long long)mid));
	is_int(r.status, 422, "not twice");
	has_str(r.body, sv(M_V_ASSESSED_ALREADY_ORG), "with the engine's message");
	r = fx_post(fx, COORD, "/o/exempelstad/gap/organisation/assess",
		    arena_printf(&fx->a, "assessment=%lld&version=%lld&status=met&how=%s",
				 (long long)aid, (long long)version_of(aid),
				 fx_enc(fx, "IT-enheten för alla system")));
	is_int(r.status, 303, "and assesses it");
	is_str(text1("SELECT status FROM measure_assessment WHERE id = $1", aid), "met", "stored");
	if (fx_scalar(fx, arena_printf(&fx->a, "SELECT count(*) FROM measure_assessment WHERE"
				       " system_id = $1 AND required = 1 AND measure_id = %lld",
				       (long long)mid), sys_ifo)) {
		r = fx_get(fx, OWNER, gap_path(sys_ifo));
		has_str(r.body, arena_printf(&fx->a, "id=\"f-a%lld-inherit\"", (long long)
			fx_scalar(fx, arena_printf(&fx->a, "SELECT id FROM measure_assessment WHERE"
						   " system_id = $1 AND measure_id = %lld",
						   (long long)mid), sys_ifo)),
			"a system that needs the measure is offered to inherit it");
	}
}

TEST(a_measures_page_says_how_it_stands)
{
	int64_t mid = fx_scalar(fx, "SELECT min(measure_id) FROM gap_measure_stat WHERE org_id = $1"
				" AND stat = 'met' AND n > 1", org);
	int64_t met = fx_scalar(fx, "SELECT n FROM gap_measure_stat WHERE measure_id = $1"
				" AND stat = 'met'", mid);
	int64_t orgwide = fx_scalar(fx, "SELECT min(id) FROM measure WHERE org_id = $1"
				    " AND scope = 'organisation'", org);
	const char *link = arena_printf(&fx->a, "/o/exempelstad/assessments?measure_id=%lld"
					"&amp;effective_status=met&amp;required=1", (long long)mid);
	struct fx_resp r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/measures/%lld",
							   (long long)mid));

	is_int(r.status, 200, "a measure's page");
	has_str(r.body, sv(M_GP_STANDING), "how it stands");
	has_str(r.body, arena_printf(&fx->a, "href=\"%s\">%lld</a>", link, (long long)met),
		"the number met, linking to exactly those");
	has_str(r.body, arena_printf(&fx->a, "href=\"/o/exempelstad/assessments?measure_id=%lld\"",
				     (long long)mid), "and to all its assessments");
	r = fx_get(fx, OWNER, arena_printf(&fx->a, "/o/exempelstad/measures/%lld", (long long)orgwide));
	has_str(r.body, sv(M_GP_ORG_ASSESSMENT), "an organisation-wide measure shows its assessment");
	has_str(r.body, "href=\"/o/exempelstad/gap/organisation#m-", "linking the organisation's page");
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
	owner_pid = fx_scalar(fx, "SELECT id FROM person WHERE org_id = $1"
			      " AND email = 'socialchef@exempelstad.se'", org);
	/* the system owner's systems, found in the demo rather than assumed */
	sys_ifo = fx_scalar(fx, "SELECT min(id) FROM it_system WHERE owner_id = $1"
			    " AND business_critical = 1 AND archived = 0", owner_pid);
	sys_low = fx_scalar(fx, "SELECT min(id) FROM it_system WHERE owner_id = $1"
			    " AND archived = 0 AND coalesce(level_k, 0) < 3", owner_pid);
	rc = tap_run();
	fixture_free(fx);
	return rc;
}
