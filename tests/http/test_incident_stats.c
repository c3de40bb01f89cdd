/* test_incident_stats.c - the incidents' compilation for management
 * through the real router, on the engine chosen by VARN_TEST_DB: the
 * summary (incident_month_stat, kept by migration 0020's triggers) equals
 * counts over the rows after reports, transitions, archiving and a backup
 * restored; the month is Stockholm's; the page's, CSV's and Excel's
 * numbers for a constructed set, with the trend against the previous
 * period and the seed 004 compilation (intrusions, breaches, disruption);
 * the PDF's text; the duties met on time per receiver; the same number of
 * queries for 10 incidents and for 1,010; the coordinator's overview
 * section; who may see it. */
#include "base/base.h"

#include "base/buf.h"
#include "base/clock.h"
#include "core/module.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define ADMIN_B "admin@b.se"

/* 2027-03-15 12:00 in Stockholm */
#define NOW 1805108400

static int64_t inc_a, inc_b, inc_c, inc_d, inc_e, inc_g, inc_x;

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

/* Every row of a query as "a|b|c;" lines, for comparing. */
static const char *rows_of(struct db *db, const char *sql, int64_t arg)
{
	struct db_rows r;
	struct db_error err;
	struct buf b = BUF_INIT;
	const char *out;

	if (db_exec(db, &fx->a, sql, DB_ARGS(DB_INT(arg)), &r, &err) != 0)
		return arena_printf(&fx->a, "error: %s", err.msg);
	for (size_t i = 0; i < r.nrows; i++) {
		for (size_t c = 0; c < r.ncols; c++)
			buf_printf(&b, "%s%s", c ? "|" : "", db_cell(&r, i, c) ? db_cell(&r, i, c) : "");
		buf_puts(&b, ";\n");
	}
	out = arena_strdup(&fx->a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

static void at(int64_t t)
{
	clock_set(t);
	fx_new_sessions(fx);
}

static struct fx_resp transition(int64_t id, const char *name, const char *form)
{
	int64_t v = q1("SELECT version FROM incident WHERE id = $1", id);
	return fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents/%lld/%s", (long long)id,
					       name),
		       arena_printf(&fx->a, "version=%lld%s%s", (long long)v, form ? "&" : "",
				    form ? form : ""));
}

static int64_t report(int64_t t, const char *form)
{
	at(t);
	return fx_post_id(fx, COORD, "/o/alfa/incidents", form);
}

/* The summary against the rows: by month, category, state group, flags,
 * and the sums of the times. */
static const char sql_stat_rows[] =
	"SELECT month, category, severity, root_group, state_group, breach, disrupt, sum(n),"
	" sum(assess_n), sum(assess_s), sum(restore_n), sum(restore_s)"
	" FROM incident_month_stat WHERE org_id = $1 GROUP BY month, category, severity,"
	" root_group, state_group, breach, disrupt HAVING sum(n) > 0"
	" ORDER BY 1, 2, 3, 4, 5, 6, 7";
static const char sql_incident_rows[] =
	"SELECT stat_month, category, coalesce(severity, 0), coalesce(root_cause_group, ''),"
	" CASE state WHEN 'closed' THEN 'closed' WHEN 'not_incident' THEN 'not_incident'"
	"  ELSE 'open' END, stat_breach, stat_disrupt, count(*), count(stat_assess_s),"
	" coalesce(sum(stat_assess_s), 0), count(stat_restore_s), coalesce(sum(stat_restore_s), 0)"
	" FROM incident WHERE org_id = $1 AND archived = 0 AND stat_month IS NOT NULL"
	" GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7";

static void summary_matches(const char *when)
{
	const char *stat = rows_of(fx->db, sql_stat_rows, fx->org_alfa);
	is_str(stat, rows_of(fx->db, sql_incident_rows, fx->org_alfa),
	       arena_printf(&fx->a, "the summary equals the rows %s", when));
	is_int(q1("SELECT count(*) FROM incident_month_stat WHERE org_id = $1 AND n <= 0",
		  fx->org_alfa), 0, arena_printf(&fx->a, "and holds no emptied rows %s", when));
}

static const char *csv(const char *query)
{
	struct fx_resp r = fx_get(fx, COORD, arena_printf(&fx->a,
		"/o/alfa/incidents/compilation.csv?%s", query));
	return r.status == 200 ? r.body : "";
}

TEST(a_constructed_set)
{
	/* previous period (2026-10..12): a malware case */
	inc_d = report(1794733200, "title=Skadlig+kod&category=malware&personal_data=no");
	ok(inc_d > 0, "a malware case in November 2026");
	/* this period (2027-01..03) */
	inc_a = report(1799571600, "title=N%C3%A4tfiske&category=phishing&personal_data=no");
	at(1799571600 + 1800);
	is_int(transition(inc_a, "receive", NULL).status, 303, "received");
	at(1799571600 + 2 * 3600);
	is_int(transition(inc_a, "assess", "consequence=1&spread=one&urgency=low").status, 303,
	       "assessed two hours after the report");
	inc_b = report(1801641600, "title=Avbrott&category=outage&personal_data=no");
	at(1801641600 + 600);
	transition(inc_b, "receive", NULL);
	at(1801641600 + 3600);
	is_int(transition(inc_b, "assess", "consequence=3&harm_a=1&spread=organisation"
			  "&urgency=immediate").status, 303, "an outage assessed consequence 3");
	at(1801641600 + 5 * 3600);
	is_int(transition(inc_b, "recover", "remediation=Omstart").status, 303,
	       "restored five hours after the report");
	inc_c = report(1803902400, "title=Fel+mottagare&category=wrong_recipient&personal_data=yes");
	at(1803902400 + 600);
	transition(inc_c, "receive", NULL);
	at(1803902400 + 4 * 3600);
	is_int(transition(inc_c, "assess", "consequence=2&harm_c=1&spread=external&urgency=high"
			  "&duty_personal=1").status, 303, "a personal-data breach to report");
	inc_e = report(1804237200, "title=Samtal&category=suspicious_call&personal_data=no");
	at(1804237200 + 600);
	is_int(transition(inc_e, "not-incident", "reason=Det+var+leverant%C3%B6ren").status, 303,
	       "a call that was the supplier: not an incident");
	/* 2027-02-01 00:30 in Stockholm is still January in UTC */
	inc_g = report(1801438200, "title=Telefon&category=lost_equipment&personal_data=unknown");
	/* to be archived */
	inc_x = report(1803902400 + 7200, "title=Dubblett&category=other&personal_data=no");
	at(NOW);
	ok(inc_a && inc_b && inc_c && inc_e && inc_g && inc_x, "seven incidents");
	summary_matches("after reports and transitions");
}

/* The month is Stockholm's, whatever the UTC text says. */
TEST(the_month_is_stockholms)
{
	is_str(cell("SELECT reported_at FROM incident WHERE id = $1", inc_g),
	       "2027-01-31T23:30:00Z", "reported on 31 January in UTC");
	is_str(cell("SELECT stat_month FROM incident WHERE id = $1", inc_g), "2027-02",
	       "counted in February, as Stockholm's clocks showed");
	is_int(q1("SELECT stat_assess_s FROM incident WHERE id = $1", inc_a), 7200,
	       "the time to assess in seconds");
	is_int(q1("SELECT stat_restore_s FROM incident WHERE id = $1", inc_b), 5 * 3600,
	       "the time to restore in seconds");
}

TEST(archiving_takes_it_out)
{
	int64_t before = q1("SELECT coalesce(sum(n), 0) FROM incident_month_stat WHERE org_id = $1",
			    fx->org_alfa);

	is_int(transition(inc_x, "archive", NULL).status, 303, "the duplicate archived");
	is_int(q1("SELECT coalesce(sum(n), 0) FROM incident_month_stat WHERE org_id = $1",
		  fx->org_alfa), before - 1, "one fewer counted");
	summary_matches("after archiving");
}

/* covers R-8-24, R-8-25, R-8-26 (the seed 004 compilation), and the
 * trend against the previous period */
TEST(the_numbers_of_the_period)
{
	const char *c = csv("from=2027-01&to=2027-03");
	struct fx_resp r;

	has_str(c, "I korthet;Incidenter;4;1", "4 incidents against 1 in the previous period");
	has_str(c, "Bedömda som ej incident;1;", "the call counted apart");
	has_str(c, "Under hantering;4;", "all four still being handled");
	has_str(c, "Intrång och försök till intrång;1;1",
		"R-8-24: the phishing now, the malware before");
	has_str(c, "Brott mot lagar och interna regler;1;0",
		"R-8-25: the personal-data breach with a reporting duty");
	has_str(c, "Orsakade eller kunde ha orsakat betydande störningar;1;0",
		"R-8-26: the outage with availability harmed at consequence 3");
	has_str(c, "Incidenter per månad;2027-01;1;0", "January: the phishing");
	has_str(c, "Incidenter per månad;2027-03;1;0", "March: the wrong recipient (not the call)");
	has_str(c, "Incidenter per månad;2027-02;2;1", "beside November of the period before");
	has_str(c, "Incidenter per kategori;Nätfiske;1;0", "by category");
	has_str(c, "Incidenter per kategori;Skadlig kod;0;1", "against the previous period");
	has_str(c, "Tider;Tid till bedömning (medel);2 h 20 min;",
		"the mean time to assess: (2 h + 1 h + 4 h) / 3");
	has_str(c, "Tider;Tid till återställd drift (medel);5 h 0 min;", "and to restore");
	has_str(c, "Allvarlighet;Inte bedömd ännu;1;", "the phone not assessed yet");
	c = csv("from=2026-10&to=2027-03");
	has_str(c, "I korthet;Incidenter;5;0", "six months hold all five");
	c = csv("from=2026-10&to=2026-12");
	has_str(c, "I korthet;Incidenter;1;0", "the previous quarter alone: the malware");

	r = fx_get(fx, COORD, "/o/alfa/incidents/compilation?from=2027-01&to=2027-03");
	is_int(r.status, 200, "the page");
	has_str(r.body, "Perioden 2027-01 – 2027-03 jämförs med 2026-10 – 2026-12.",
		"says what it compares");
	has_str(r.body, "kategorierna obehörig åtkomst, skadlig kod, nätfiske och misstänkt samtal",
		"states the rule for intrusions");
	has_str(r.body, "mänskligt misstag som grundorsak när personuppgifter berördes",
		"and for breaches");
	has_str(r.body, "eskalerad till krisorganisationen", "and for disruption");
	has_str(r.body, "+300 %", "the trend in per cent");
	has_str(r.body, "<svg", "pictures");
	has_str(r.body, "Visa siffrorna", "with their numbers as tables");
	has_str(r.body, "compilation.csv?from=2027-01&amp;to=2027-03", "the CSV of the same period");
	r = fx_get(fx, COORD, "/o/alfa/incidents/compilation");
	is_int(r.status, 200, "the default period");
	has_str(r.body, "Perioden 2026-04 – 2027-03", "is the last twelve months");
	r = fx_get(fx, COORD, "/o/alfa/incidents/compilation?from=abc&to=2027-13");
	is_int(r.status, 200, "a malformed month is taken as missing");
}

TEST(the_duties_met_on_time)
{
	const char *c;
	struct db_error err;
	static const char ins[] =
		"INSERT INTO incident_obligation (org_id, incident_id, title, title_sk, receiver, kind,"
		" due_at, status, discharged_at, created_at, updated_at)"
		" VALUES ($1, $2, 'IMY', 'imy', $3, 'notification', $4, $5, $6, 0, 0)";
	struct { const char *receiver, *due, *status, *done; } o[] = {
		{ "imy", "2027-03-04T11:00:00Z", "discharged", "2027-03-03T09:00:00Z" }, /* on time */
		{ "imy", "2027-02-06T11:00:00Z", "discharged", "2027-02-07T09:00:00Z" }, /* late */
		{ "csirt", "2027-03-10T11:00:00Z", "pending", NULL },                    /* overdue */
		{ "csirt", "2027-03-20T11:00:00Z", "pending", NULL },                    /* time left */
		{ "imy", "2026-12-01T11:00:00Z", "discharged", "2026-11-30T09:00:00Z" }, /* before */
	};

	for (size_t i = 0; i < ARRAY_SIZE(o); i++)
		ok(db_exec(fx->db, &fx->a, ins,
			   DB_ARGS(DB_INT(fx->org_alfa), DB_INT(inc_c), DB_TEXT(o[i].receiver),
				   DB_TEXT(o[i].due), DB_TEXT(o[i].status),
				   o[i].done ? DB_TEXT(o[i].done) : DB_NULL), NULL, &err) == 0,
		   "a duty: %s", err.msg);
	c = csv("from=2027-01&to=2027-03");
	has_str(c, "IMY (personuppgiftsincidenter): I tid;1;", "IMY: one on time");
	has_str(c, "IMY (personuppgiftsincidenter): För sent;1;", "one late");
	has_str(c, "\"CERT-SE (betydande incidenter): Ej rapporterade, tiden ute\";1;",
		"CERT-SE: one not reported though the time is up");
	has_str(c, "CERT-SE (betydande incidenter): I tid;0;", "none on time");
}

TEST(excel_and_the_document)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/incidents/compilation.xlsx?from=2027-01"
				  "&to=2027-03");
	const char *text;
	int64_t t0;

	is_int(r.status, 200, "the Excel file");
	has_str(r.content_type, "spreadsheetml", "as a workbook");
	ok(r.len > 1000 && memcmp(r.body, "PK", 2) == 0, "a zip");
	has_str(r.disposition, "alfa-incidenter-2027-01-2027-03.xlsx", "named for the period");
	t0 = (int64_t)clock_now();
	r = fx_get(fx, COORD, "/o/alfa/documents/incident-compilation.pdf");
	is_int(r.status, 200, "the document for management");
	text = fx_pdf_text(fx, &r);
	has_str(text, "Incidenter – sammanställning för ledningen", "its title");
	has_str(text, "Intrång och försök till", "the seed 004 compilation");
	has_str(text, "Så räknas det: kategorierna obehörig", "with its rule");
	has_str(text, "Under perioden rapporterades 5 incidenter", "a sentence reads the months");
	has_str(text, "Vanligast var", "and the categories");
	has_str(text, "finns att hämta som CSV och Excel", "and where every number is");
	has_str(text, "Sida 1 av 4", "four pages: the text, then each picture with its numbers");
	(void)t0;
	r = fx_get(fx, COORD, "/o/alfa/documents/incident-compilation");
	is_int(r.status, 200, "the print view");
}

TEST(the_overview_section)
{
	struct fx_resp r;
	int64_t sev = q1("SELECT severity FROM incident WHERE id = $1", inc_b);

	at(1803902400 + 3 * 3600); /* in March 2027 */
	r = fx_get(fx, COORD, "/o/alfa/overview");
	is_int(r.status, 200, "the coordinator's overview");
	has_str(r.body, "Rapporterade denna månad", "incidents this month");
	has_str(r.body, arena_printf(&fx->a, "Under hantering, allvarlighet %lld", (long long)sev),
		"open by severity");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/incidents?severity=%lld", (long long)sev),
		"linking to the filtered list");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/incidents?severity=%lld"
					   "&sort=reported_at&desc=1", (long long)sev));
	is_int(r.status, 200, "which opens");
	has_str(r.body, "Avbrott", "with the outage");
	at(NOW);
}

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

static void many(int64_t org, int n)
{
	static const char ins[] =
		"INSERT INTO incident (org_id, receipt, title, title_sk, category, aware_at,"
		" reported_at, state, severity, stat_month, created_at, updated_at)"
		" VALUES ($1, $2, 'Mass', 'mass', $3, $4, $4, $5, $6, $7, 0, 0)";
	static const char *const cats[] = { "lost_equipment", "phishing", "wrong_recipient",
					    "outage" };
	struct db_error err = { 0 };
	int bad = 0;

	db_begin(fx->db, &err);
	for (int i = 0; i < n; i++) {
		int m = 4 + i % 12;
		const char *month = arena_printf(&fx->a, "%04d-%02d", 2026 + m / 13, (m - 1) % 12 + 1);
		bad |= db_exec(fx->db, &fx->a, ins,
			       DB_ARGS(DB_INT(org), DB_TEXT(arena_printf(&fx->a, "M-%lld-%d",
							(long long)org, i)),
				       DB_TEXT(cats[i % 4]),
				       DB_TEXT(arena_printf(&fx->a, "%s-10T10:00:00Z", month)),
				       DB_TEXT(i % 3 ? "closed" : "received"), DB_INT(1 + i % 4),
				       DB_TEXT(month)), NULL, &err);
	}
	ok(!bad && db_commit(fx->db, &err) == 0, "%d incidents: %s", n, err.msg);
}

/* The page reads the summary, never the incidents. */
TEST(the_cost_is_the_same_for_10_and_1000_incidents)
{
	uint64_t q0, big, small;

	many(fx->org_alfa, 1000);
	many(fx->org_beta, 10);
	summary_matches("after a thousand more");
	fx_get(fx, COORD, "/o/alfa/incidents/compilation");
	fx_get(fx, COORD, "/o/beta/incidents/compilation");
	q0 = app_queries();
	is_int(fx_get(fx, COORD, "/o/alfa/incidents/compilation").status, 200, "1,010 incidents");
	big = app_queries() - q0;
	q0 = app_queries();
	is_int(fx_get(fx, COORD, "/o/beta/incidents/compilation").status, 200, "10 incidents");
	small = app_queries() - q0;
	ok(big == small, "as many queries for both (%llu, %llu)", (unsigned long long)big,
	   (unsigned long long)small);
	ok(big <= 30, "a handful (%llu)", (unsigned long long)big);
	q0 = app_queries();
	fx_get(fx, COORD, "/o/alfa/overview");
	big = app_queries() - q0;
	q0 = app_queries();
	fx_get(fx, COORD, "/o/beta/overview");
	small = app_queries() - q0;
	ok(big == small, "the overview too (%llu, %llu)", (unsigned long long)big,
	   (unsigned long long)small);
}

/* A restore writes the incidents; the triggers count them again. */
TEST(a_restore_rebuilds_the_summary)
{
	const char *file = arena_printf(&fx->a, "%s/incident-stats.backup", testdb_dir());
	struct db_error err = { 0 };
	struct db *db = testdb_open(1);
	static const char all[] =
		"SELECT org_id, month, unit_id, category, severity, root_group, state_group, breach,"
		" disrupt, n, assess_n, assess_s, restore_n, restore_s FROM incident_month_stat"
		" WHERE n > 0 AND $1 = $1 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9";
	const char *const *t;
	int listed = 0;

	for (t = module_tables(); *t; t++)
		listed |= strcmp(*t, "incident_month_stat") == 0;
	ok(!listed, "the summary is not backed up");
	ok(db_backup(fx->db, module_tables(), file, &err) == 0, "backup: %s", err.msg);
	ok(db_restore(db, module_tables(), file, &err) == 0, "restore: %s", err.msg);
	is_str(rows_of(db, all, 0), rows_of(fx->db, all, 0), "the restored summary is the same");
	ok(strlen(rows_of(db, all, 0)) > 100, "and not empty");
	db_close(db);
}

TEST(who_may_see_it)
{
	is_int(fx_get(fx, USER, "/o/alfa/incidents/compilation").status, 403,
	       "not a plain user");
	is_int(fx_get(fx, USER, "/o/alfa/incidents/compilation.csv").status, 403, "nor its CSV");
	is_int(fx_get(fx, USER, "/o/alfa/documents/incident-compilation.pdf").status, 403,
	       "nor the document");
	is_int(fx_get(fx, ADMIN_B, "/o/alfa/incidents/compilation").status, 404,
	       "another organisation's administrator finds nothing");
	is_int(fx_get(fx, "admin@a.se", "/o/alfa/incidents/compilation").status, 200,
	       "the administrator may");
}

int main(void)
{
	int rc;

	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	clock_set(0);
	return rc;
}
