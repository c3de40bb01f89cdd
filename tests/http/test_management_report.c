/* test_management_report.c - the report to management (core/report.h,
 * web/pages_management_report.c, the modules' struct report_section and
 * the mgmtreport module) on the demo municipality, through the real
 * router, on the engine chosen by VARN_TEST_DB:
 *   - every existing module's section is there with a reading that says
 *     the numbers counted here from the rows;
 *   - the period: presets, custom days, and malformed days answered in
 *     Swedish (422 on the page, 400 for the PDF and the appendix);
 *   - who may read it: the coordinator and management, not a plain user,
 *     not another organisation's administrator; a shared coordinator gets
 *     both organisations, one report after the other;
 *   - the PDF (organisation, period, every heading, "Sida 1 av N" with N
 *     2..4) and the XLSX appendix (a zip with a sheet per section);
 *   - decision items decided by management (or recorded by the
 *     coordinator naming who decided), shown in the PDF;
 *   - the page costs as many queries for a large organisation as for a
 *     small one; the time to make the PDF is noted. */
#include "base/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "cli/demo.h"
#include "core/ctx.h"
#include "base/buf.h"
#include "db/db.h"
#include "modules/measures/measures.h"
#include "fixture.h"
#include "tap.h"

static struct fixture *fx;
static int64_t org, other_org;

#define COORD "samordnare@exempelstad.se"   /* coordinates both municipalities */
#define CHIEF "kommunchef@exempelstad.se"   /* management */
#define USER "anvandare@exempelstad.se"
#define OTHER "admin@grannby.se"            /* administrator of the other one */

/* 2026-11-02 12:00 in Stockholm: the last quarter is July-September */
#define T0 1793617200
#define REPORT "/o/exempelstad/management-report"
#define LAST_Q "from=2026-07-01&to=2026-09-30"
#define LAST_Q_HTML "from=2026-07-01&amp;to=2026-09-30"

static const char *const headings[] = {
	"Klassning av systemen",
	"Brister per område och hur de har utvecklats",
	"Incidenter och rapporteringsplikter",
	"Handlingsplanens framsteg",
	"Driftgodkännanden",
	"Risker",
	"Uppföljning",
};

static int64_t q1(const char *sql, int64_t arg)
{
	return fx_scalar(fx, sql, arg);
}

/* One text cell of a query with one integer parameter, or NULL. */
static const char *fx_cell(const char *sql, int64_t arg)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(arg)), &r, &err) != 0 || r.nrows != 1)
		return NULL;
	return db_cell(&r, 0, 0) ? arena_strdup(&fx->a, db_cell(&r, 0, 0)) : NULL;
}

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* covers R-15-08, R-15-13 */
TEST(every_section_with_its_reading)
{
	struct fx_resp r = fx_get(fx, COORD, REPORT);
	int64_t total = q1("SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0", org);
	int64_t none = q1("SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0"
			  " AND level_max IS NULL", org);

	is_int(r.status, 200, "the report opens for the coordinator");
	has_str(r.body, "<h1>Rapport till ledningen</h1>", "in Swedish");
	for (size_t i = 0; i < ARRAY_SIZE(headings); i++)
		has_str(r.body, arena_printf(&fx->a, ">%s</h2>", headings[i]), headings[i]);
	is_int(count_of(r.body, "<p class=\"rp-reading\">"), (int)ARRAY_SIZE(headings), "each section has a reading");
	is_int(count_of(r.body, "<svg"), (int)ARRAY_SIZE(headings), "and a picture");
	is_int(count_of(r.body, "<details class=\"chart-numbers\">"), (int)ARRAY_SIZE(headings), "with its numbers as a table");
	ok(none > 0, "the demo has systems not classified (%lld of %lld)", (long long)none,
	   (long long)total);
	has_str(r.body, arena_printf(&fx->a, "%lld av %lld system är klassade; %lld saknar",
				     (long long)(total - none), (long long)total, (long long)none),
		"the classification's reading says the rows' numbers");
	has_str(r.body, "De öppna bristerna har minskat från", "the gaps' trend from the snapshots");
	has_str(r.body, "incidenter rapporterades", "the incidents' reading");
	has_str(r.body, "rapporteringsplikter", "and the reporting duties'");
	has_str(r.body, "aktiviteter i den beslutade planen", "the action plan's");
	has_str(r.body, "giltigt driftgodkännande", "the approvals'");
	has_str(r.body, "href=\"/o/exempelstad/systems?level_max=none\"",
		"a figure links to the list behind it");
	has_str(r.body, "Perioden 2026-07-01 – 2026-09-30, jämförd med 2026-04-01 – 2026-06-30",
		"the last quarter by default, against the one before");
	has_str(r.body, "href=\"/o/exempelstad/documents/management-report.pdf?" LAST_Q_HTML "\"",
		"the PDF of that period");
	has_str(r.body, "href=\"/o/exempelstad/management-report.xlsx?" LAST_Q_HTML "\"",
		"and the appendix");
	has_str(fx_get(fx, COORD, "/o/exempelstad/").body, "href=\"/o/exempelstad/management-report\"",
		"the menu has it");
}

/* covers R-15-13 */
TEST(the_gaps_trend_is_the_snapshots)
{
	int64_t start = q1("SELECT sum(n_open) FROM gap_snapshot WHERE org_id = $1"
			   " AND day = '2026-07-01'", org);
	int64_t end = q1("SELECT sum(n_open) FROM gap_snapshot WHERE org_id = $1"
			 " AND day = '2026-09-30'", org);
	struct fx_resp r = fx_get(fx, COORD, REPORT "?" LAST_Q);

	ok(start > end && end > 0, "the demo kept the quarter's start and end (%lld, %lld)",
	   (long long)start, (long long)end);
	has_str(r.body, arena_printf(&fx->a, "minskat från %lld till %lld", (long long)start,
				     (long long)end), "the reading compares the end with the start");
	r = fx_get(fx, COORD, REPORT "?from=2025-01-01&to=2025-03-31");
	has_str(r.body, "någon tidigare mätning att jämföra med finns inte ännu",
		"a period before any snapshot says so");
}

TEST(the_period)
{
	struct fx_resp r = fx_get(fx, COORD, REPORT "?preset=last-year");

	is_int(r.status, 200, "last year");
	has_str(r.body, "Perioden 2025-01-01 – 2025-12-31, jämförd med 2024-01-01 – 2024-12-31",
		"is the calendar year before");
	has_str(fx_get(fx, COORD, REPORT "?preset=last-half").body, "Perioden 2026-01-01 – 2026-06-30",
		"the last half year");
	has_str(fx_get(fx, COORD, REPORT "?preset=this-year").body, "Perioden 2026-01-01 – 2026-11-02",
		"this year so far, today included");
	r = fx_get(fx, COORD, REPORT "?preset=custom&from=2026-03-01&to=2026-03-31");
	has_str(r.body, "Perioden 2026-03-01 – 2026-03-31, jämförd med 2026-02-01 – 2026-02-28",
		"a custom whole month, against the month before");
	has_str(fx_get(fx, COORD, REPORT "?preset=custom&from=2026-03-10&to=2026-03-19").body,
		"Perioden 2026-03-10 – 2026-03-19, jämförd med 2026-02-28 – 2026-03-09",
		"custom days, against as many days before");
	has_str(r.body, "value=\"custom\" checked", "the form says so");
	r = fx_get(fx, COORD, REPORT "?preset=custom&from=2026-02-30&to=2026-03-31");
	is_int(r.status, 422, "a day that does not exist");
	has_str(r.body, "Ange datum som ÅÅÅÅ-MM-DD", "is answered in Swedish");
	has_str(r.body, "aria-invalid=\"true\"", "the fields are marked");
	r = fx_get(fx, COORD, REPORT "?from=2026-05-01&to=2026-04-01");
	is_int(r.status, 422, "an end before the start");
	has_str(r.body, "kan inte ligga före", "says so");
	r = fx_get(fx, COORD, REPORT "?from=2010-01-01&to=2026-01-01");
	is_int(r.status, 422, "longer than five years");
	r = fx_get(fx, COORD, REPORT "?from=%3Cscript%3E&to=x");
	is_int(r.status, 422, "markup in a day");
	lacks_str(r.body, "<script>", "is not echoed as markup");
	is_int(fx_get(fx, COORD, REPORT "?from=2026-01-01&to=2026-01-01-and-more").status, 400,
	       "an overlong value is refused, not a crash");
	is_int(fx_get(fx, COORD, "/o/exempelstad/documents/management-report.pdf?from=2026-13-01&to=2026-12-31")
		       .status, 400, "the PDF refuses a malformed period");
	is_int(fx_get(fx, COORD, "/o/exempelstad/management-report.xlsx?from=2026-02-30&to=2026-03-01")
		       .status, 400, "the appendix too");
}

/* covers R-15-08 */
TEST(who_may_read_it)
{
	is_int(fx_get(fx, CHIEF, REPORT).status, 200, "management reads it");
	is_int(fx_get(fx, USER, REPORT).status, 403, "a plain user may not");
	is_int(fx_get(fx, USER, "/o/exempelstad/documents/management-report.pdf").status, 403,
	       "nor its PDF");
	is_int(fx_get(fx, USER, "/o/exempelstad/management-report.xlsx").status, 403,
	       "nor its appendix");
	is_int(fx_get(fx, USER, "/management-report").status, 403, "nor the several organisations'");
	is_int(fx_get(fx, OTHER, "/o/grannby/management-report").status, 200,
	       "the other municipality's administrator reads its own");
	ok(fx_get(fx, OTHER, REPORT).status / 100 == 4, "but not Exempelstad's");
	is_int(fx_get(fx, OTHER, "/management-report?org=exempelstad").status, 403,
	       "not even by naming it");
	lacks_str(fx_get(fx, USER, "/o/exempelstad/").body, "/management-report\"",
		  "a user's menu has no link to it");
}

TEST(a_shared_coordinator_gets_both)
{
	struct fx_resp r = fx_get(fx, COORD, "/management-report?" LAST_Q);

	is_int(r.status, 200, "the page of several organisations");
	has_str(r.body, "Exempelstads kommun</a></h2>", "the first organisation's report");
	has_str(r.body, "Grannby kommun</a></h2>", "and the second's");
	is_int(count_of(r.body, ">Klassning av systemen</h3>"), 2, "each with its sections");
	has_str(r.body, "type=\"checkbox\" name=\"org\" id=\"rp-org-grannby\" value=\"grannby\" checked",
		"chosen by checkboxes");
	has_str(r.body, "href=\"/o/grannby/systems?level_max=", "a figure links into its own");
	r = fx_get(fx, COORD, "/management-report?org=grannby&" LAST_Q);
	has_str(r.body, "Grannby kommun</a></h2>", "one chosen");
	lacks_str(r.body, "Exempelstads kommun</a></h2>", "only that one");
	has_str(fx_get(fx, COORD, REPORT).body, "href=\"/management-report?",
		"the organisation's report links to it");
}

/* covers R-15-08, R-15-13 */
TEST(the_pdf)
{
	struct timespec t0;
	struct fx_resp r;
	const char *text, *at;
	double ms;
	int pages = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fx_get(fx, COORD, "/o/exempelstad/documents/management-report.pdf?" LAST_Q);
	ms = ms_since(&t0);
	printf("# the management report's PDF through the router: %.0f ms (%zu bytes)\n", ms, r.len);
	is_int(r.status, 200, "the PDF");
	is_str(r.content_type, "application/pdf", "is a PDF");
	text = fx_pdf_text(fx, &r);
	has_str(text, "Exempelstads kommun", "with the organisation");
	has_str(text, "2026-07-01 – 2026-09-30", "and the period");
	for (size_t i = 0; i < ARRAY_SIZE(headings); i++)
		has_str(text, headings[i], headings[i]);
	has_str(text, "Sida 1 av ", "page numbers");
	if ((at = strstr(text, "Sida 1 av ")))
		pages = atoi(at + strlen("Sida 1 av "));
	ok(pages >= 2 && pages <= 4, "two to four pages (%d)", pages);
	has_str(text, "system är klassade", "the readings");
	r = fx_get(fx, COORD, "/o/exempelstad/documents/management-report?" LAST_Q);
	is_int(r.status, 200, "the print view");
	has_str(r.body, "management-report.pdf?" LAST_Q_HTML, "whose download keeps the period");
}

/* covers R-15-13 */
TEST(the_appendix)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/exempelstad/management-report.xlsx?" LAST_Q);

	is_int(r.status, 200, "the appendix");
	has_str(r.content_type, "spreadsheetml", "is a workbook");
	ok(r.len > 4 && memcmp(r.body, "PK", 2) == 0, "a zip");
	ok(memmem(r.body, r.len, "xl/worksheets/sheet8.xml", 24) != NULL,
	   "a sheet about the report and one per section");
	ok(memmem(r.body, r.len, "xl/worksheets/sheet9.xml", 24) == NULL, "and no more");
	has_str(r.disposition ? r.disposition : "", "ledningsrapport-exempelstad-2026-07-01.xlsx",
		"named by organisation and period");
}

/* covers R-15-09, R-15-10, R-15-11, R-15-12 */
TEST(decisions_recorded_by_management)
{
	int64_t report = q1("SELECT min(id) FROM management_report WHERE org_id = $1", org);
	int64_t item = q1("SELECT max(id) FROM report_decision_item WHERE org_id = $1", org);
	const char *path = arena_printf(&fx->a, "/o/exempelstad/report-decision-items/%lld/decide",
					(long long)item);
	struct fx_resp r;
	const char *text, *chief;
	int64_t v;

	ok(report > 0 && item > 0, "the demo has a report with decision items");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/management-reports/%lld",
					   (long long)report));
	is_int(r.status, 200, "the record's page");
	has_str(r.body, "management-report?preset=custom&amp;from=", "links to its period's report");
	has_str(r.body, "Beslutsärenden", "lists its decision items");
	r = fx_get(fx, CHIEF, "/o/exempelstad/");
	has_str(r.body, "1 beslutsärende väntar på ledningens beslut",
		"management's start page says what waits for its decision");
	has_str(r.body, "href=\"/o/exempelstad/report-decision-items?state=open\"", "linking the list");
	lacks_str(fx_get(fx, USER, "/o/exempelstad/").body, "väntar på ledningens beslut",
		  "not a plain user's");
	v = q1("SELECT version FROM report_decision_item WHERE id = $1", item);
	r = fx_post(fx, USER, path, arena_printf(&fx->a, "version=%lld&decision_text=Ja"
						 "&decision_date=2026-11-02", (long long)v));
	is_int(r.status, 403, "a plain user decides nothing");
	r = fx_post(fx, COORD, path, arena_printf(&fx->a, "version=%lld&decision_text=Ja"
						  "&decision_date=2026-11-02", (long long)v));
	is_int(r.status, 422, "the coordinator must name who decided");
	r = fx_post(fx, CHIEF, path, arena_printf(&fx->a, "version=%lld&decision_text=%s"
						  "&decision_date=2026-11-02", (long long)v,
						  fx_enc(fx, "Övningen genomförs i april.")));
	is_int(r.status, 303, "management records its decision");
	chief = fx_cell("SELECT p.name FROM person p JOIN app_user u ON u.id = p.user_id"
			" WHERE u.email = 'kommunchef@exempelstad.se' AND p.org_id = $1", org);
	is_int(q1("SELECT count(*) FROM report_decision_item WHERE id = $1 AND state = 'decided'"
		  " AND recorded_by = 'kommunchef@exempelstad.se'", item), 1,
	       "decided, recorded by the one who decided");
	ok(chief && *chief, "management's person (%s)", chief ? chief : "none");
	v = q1("SELECT version FROM report_decision_item WHERE id = $1", item);
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/report-decision-items/%lld",
					    (long long)item),
		    arena_printf(&fx->a, "version=%lld&report_id=%lld&title=Annat", (long long)v,
				 (long long)report));
	ok(r.status == 422 || r.status == 409, "a decided item is frozen (%d)", r.status);
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/documents/management-report.pdf"
					   "?id=%lld", (long long)report));
	is_int(r.status, 200, "the report's PDF");
	text = fx_pdf_text(fx, &r);
	has_str(text, "Sammanfattning: vad görs och varför", "has its summary");
	has_str(text, "Reella hot och inträffade incidenter", "the threats and incidents");
	has_str(text, "Viktiga lagkrav", "the legal requirements");
	has_str(text, "(GDPR)", "such as GDPR");
	has_str(text, "Förutsättningar för säker digitalisering", "secure digitalisation");
	has_str(text, "Övningen genomförs i april.", "the decision just recorded");
	has_str(text, arena_printf(&fx->a, "beslutat av %s", chief ? chief : "?"),
		"and who decided, by name");
	has_str(text, "Beslutas enligt förslaget.", "the demo's decision too");
	has_str(text, "beslutat av Kommunchef Eva Ek", "recorded on management's behalf by name");
	ok(strstr(text, "Sida 1 av 2") || strstr(text, "Sida 1 av 3") || strstr(text, "Sida 1 av 4"),
	   "with the record's texts and items still two to four pages");
	is_int(fx_get(fx, OTHER, arena_printf(&fx->a, "/o/grannby/documents/management-report.pdf"
					      "?id=%lld", (long long)report)).status, 404,
	       "another organisation's report does not exist for them");

	/* a new item from the report's page, and the report decided */
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/report-decision-items/new"
					   "?report_id=%lld", (long long)report));
	is_int(r.status, 200, "a new decision item's form, from the report");
	item = fx_post_id(fx, COORD, "/o/exempelstad/report-decision-items",
			  arena_printf(&fx->a, "report_id=%lld&title=%s&proposal=%s&risk=%s",
				       (long long)report, fx_enc(fx, "Ska IT-budgeten öka?"),
				       fx_enc(fx, "Ja, med 5 procent."),
				       fx_enc(fx, "Utan ökning skjuts krypteringen upp ett år.")));
	ok(item > 0, "the coordinator adds a decision item");
	v = q1("SELECT version FROM report_decision_item WHERE id = $1", item);
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/report-decision-items/%lld/decide",
					    (long long)item),
		    arena_printf(&fx->a, "version=%lld&decision_text=Avslås&decider=%s"
				 "&decision_date=2026-11-02", (long long)v, fx_enc(fx, "Kommunstyrelsen")));
	is_int(r.status, 303, "and records management's decision on its behalf, naming who decided");
	is_int(q1("SELECT count(*) FROM report_decision_item WHERE id = $1 AND decided_by ="
		  " 'Kommunstyrelsen' AND recorded_by = 'samordnare@exempelstad.se'", item), 1,
	       "who decided and who recorded it");
	v = q1("SELECT version FROM management_report WHERE id = $1", report);
	r = fx_post(fx, USER, arena_printf(&fx->a, "/o/exempelstad/management-reports/%lld/decide",
					   (long long)report),
		    arena_printf(&fx->a, "version=%lld", (long long)v));
	is_int(r.status, 403, "a plain user does not decide the report");
	r = fx_post(fx, CHIEF, arena_printf(&fx->a, "/o/exempelstad/management-reports/%lld/decide",
					    (long long)report),
		    arena_printf(&fx->a, "version=%lld", (long long)v));
	is_int(r.status, 303, "management marks the report decided");
	is_int(q1("SELECT count(*) FROM management_report WHERE id = $1 AND state = 'decided'"
		  " AND decided_on = '2026-11-02'", report), 1, "decided, today");
}

/* covers R-15-13: the daily job keeps today's gaps per area, once a day */
TEST(the_daily_snapshot)
{
	struct ctx cx;
	struct buf summary = BUF_INIT;
	struct db_error err;
	int64_t open = q1("SELECT sum(n) FROM gap_area_stat WHERE org_id = $1"
			  " AND stat IN ('not_met', 'partly')", org);
	const char *today = "2026-11-02";

	ctx_system(&cx, &fx->a, fx->db, "job:gap-snapshot", VIA_JOB);
	ok(gap_snapshot_run(&cx, 0, &summary, &err) == 0, "the job runs (%s)",
	   summary.p ? summary.p : err.msg);
	ok(gap_snapshot_run(&cx, 0, &summary, &err) == 0, "and again the same day");
	buf_release(&summary);
	is_int(fx_scalar(fx, arena_printf(&fx->a, "SELECT count(*) FROM gap_snapshot WHERE"
					   " org_id = $1 AND day = '%s'", today), org),
	       14, "one row per area, not two");
	is_int(fx_scalar(fx, arena_printf(&fx->a, "SELECT sum(n_open) FROM gap_snapshot WHERE"
					   " org_id = $1 AND day = '%s'", today), org),
	       open, "the open gaps as gap_area_stat counts them");
	ok(fx_scalar(fx, arena_printf(&fx->a, "SELECT count(*) FROM gap_snapshot WHERE"
				       " org_id = $1 AND day = '%s'", today), other_org) > 0,
	   "every organisation's");
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

/* The same sections cost the same queries whatever the size of the
 * registers; only the decided plans (a handful) add one each. */
TEST(the_report_costs_the_same_for_a_large_organisation)
{
	int64_t big_a = q1("SELECT count(*) FROM measure_assessment WHERE org_id = $1", org);
	int64_t small_a = q1("SELECT count(*) FROM measure_assessment WHERE org_id = $1", other_org);
	int64_t big_i = q1("SELECT count(*) FROM incident WHERE org_id = $1", org);
	int64_t small_i = q1("SELECT count(*) FROM incident WHERE org_id = $1", other_org);
	int64_t big_plans = q1("SELECT count(*) FROM action_plan WHERE org_id = $1"
			       " AND state = 'decided' AND archived = 0", org);
	int64_t small_plans = q1("SELECT count(*) FROM action_plan WHERE org_id = $1"
				 " AND state = 'decided' AND archived = 0", other_org);
	uint64_t q0, big, small;

	fx_get(fx, COORD, REPORT "?" LAST_Q);
	fx_get(fx, COORD, "/o/grannby/management-report?" LAST_Q);
	q0 = app_queries();
	fx_get(fx, COORD, REPORT "?" LAST_Q);
	big = app_queries() - q0;
	q0 = app_queries();
	fx_get(fx, COORD, "/o/grannby/management-report?" LAST_Q);
	small = app_queries() - q0;
	ok(big_a > 4 * small_a && big_i > small_i,
	   "the one has many more assessments and incidents (%lld, %lld; %lld, %lld)",
	   (long long)big_a, (long long)small_a, (long long)big_i, (long long)small_i);
	ok((int64_t)big - big_plans == (int64_t)small - small_plans,
	   "as many queries for both, but one per decided plan (%llu, %llu)",
	   (unsigned long long)big, (unsigned long long)small);
	ok(big <= 40, "a handful of queries (%llu)", (unsigned long long)big);
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
	org = q1("SELECT id FROM organisation WHERE slug = 'exempelstad' AND id > $1", 0);
	other_org = q1("SELECT id FROM organisation WHERE slug = 'grannby' AND id > $1", 0);
	rc = tap_run();
	fixture_free(fx);
	return rc;
}
