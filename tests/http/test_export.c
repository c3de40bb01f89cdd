/* test_export.c - exports, import problems and import templates, through the
 * real router on the engine chosen by VARN_TEST_DB (issue 7, "Fewer
 * detours"): an export follows the list's filter and search and the list's
 * export links carry them; the systems' export names their people,
 * dependencies and information sets, with as many queries for thirty
 * systems as for one (read per page, not per row); Excel cells are typed (a date is a
 * date, a number a number, an empty value an empty cell); import problems
 * name the value and what is allowed, in the generic import and the KLASSA
 * import; every register's template imports cleanly in a preview. */
#include "base/base.h"

#include <unistd.h>

#include "core/entity_import.h"
#include "db/db.h"
#include "fixture.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

static int64_t sys_a, sys_b, sys_c, inf;

static int64_t make_system(const char *name, const char *lifecycle, const char *more)
{
	return fx_post_id(fx, COORD, "/o/alfa/systems",
		       arena_printf(&fx->a, "name=%s&hosting=own&lifecycle=%s"
				    "&personal_data=none%s", fx_enc(fx, name), lifecycle, more));
}

static struct fx_resp import_post(const char *path, const char *csv)
{
	return fx_post(fx, COORD, path, arena_printf(&fx->a, "csv=%s", fx_enc(fx, csv)));
}

/* One part of a workbook (a copy of the response in a temporary file,
 * read with unzip). */
static const char *xlsx_part(const struct fx_resp *r, const char *part)
{
	char path[] = "/tmp/varn-test-export.XXXXXX";
	struct buf b = BUF_INIT;
	char chunk[4096];
	const char *out;
	size_t n;
	FILE *p;
	int fd = mkstemp(path);

	if (fd < 0)
		return "";
	if (write(fd, r->body, r->len) != (ssize_t)r->len) {
		close(fd);
		unlink(path);
		return "";
	}
	close(fd);
	p = popen(arena_printf(&fx->a, "unzip -p %s %s 2>/dev/null", path, part), "r");
	while (p && (n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&b, chunk, n);
	if (p)
		pclose(p);
	unlink(path);
	out = arena_strdup(&fx->a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

/* The CSV line that starts with the record's id. */
static const char *csv_line(const char *body, int64_t id)
{
	const char *want = arena_printf(&fx->a, "\n%lld;", (long long)id);
	const char *at = strstr(body, want), *end;

	if (!at)
		return "";
	at++;
	end = strstr(at, "\r\n");
	return arena_strndup(&fx->a, at, end ? (size_t)(end - at) : strlen(at));
}

TEST(setup)
{
	int64_t fia, adam, vera;

	fia = fx_post_id(fx, ADMIN, "/o/alfa/people", "name=F%C3%B6rvaltar+Fia&employment=active");
	adam = fx_post_id(fx, ADMIN, "/o/alfa/people", "name=Admin+Adam&employment=active");
	vera = fx_post_id(fx, ADMIN, "/o/alfa/people", "name=Verksam+Vera&employment=active");
	sys_a = make_system("Ekonomisystemet", "operation",
			    "&agreement_expires=2026-03-15&users_count=120");
	sys_b = make_system("Lönesystemet", "planned", "");
	sys_c = make_system("Arkivet", "planned", "");
	inf = fx_post_id(fx, COORD, "/o/alfa/information", "name=Leverant%C3%B6rsfakturor");
	ok(fia && adam && vera && sys_a && sys_b && sys_c && inf, "people, systems and information");
	fx_post_id(fx, COORD, "/o/alfa/system-roles", arena_printf(&fx->a,
		"system_id=%lld&person_id=%lld&role=manager", (long long)sys_a, (long long)fia));
	fx_post_id(fx, COORD, "/o/alfa/system-roles", arena_printf(&fx->a,
		"system_id=%lld&person_id=%lld&role=administrator", (long long)sys_a,
		(long long)adam));
	fx_post_id(fx, COORD, "/o/alfa/system-roles", arena_printf(&fx->a,
		"system_id=%lld&person_id=%lld&role=business_owner", (long long)sys_a,
		(long long)vera));
	fx_post_id(fx, COORD, "/o/alfa/system-roles", arena_printf(&fx->a,
		"system_id=%lld&person_id=%lld&role=manager", (long long)sys_a, (long long)adam));
	fx_post_id(fx, COORD, "/o/alfa/dependencies", arena_printf(&fx->a,
		"system_id=%lld&other_id=%lld&direction=out", (long long)sys_a, (long long)sys_b));
	fx_post_id(fx, COORD, "/o/alfa/system-information", arena_printf(&fx->a,
		"system_id=%lld&infoset_id=%lld", (long long)sys_a, (long long)inf));
	is_int(fx_scalar(fx, "SELECT count(*) FROM system_person WHERE org_id = $1", fx->org_alfa),
	       4, "four system roles");
}

TEST(export_follows_the_filter)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/systems.csv?lifecycle=planned");

	is_int(r.status, 200, "the filtered CSV export");
	has_str(r.body, "Lönesystemet", "holds the planned systems");
	has_str(r.body, "Arkivet", "all of them");
	is_str(csv_line(r.body, sys_a), "", "and not the one in operation");
	r = fx_get(fx, COORD, "/o/alfa/systems.csv?q=l%C3%B6ne");
	has_str(r.body, "Lönesystemet", "the search applies");
	lacks_str(r.body, "Arkivet", "to the CSV");
	r = fx_get(fx, COORD, "/o/alfa/systems.xlsx?lifecycle=planned");
	is_int(r.status, 200, "the filtered Excel export");
	has_str(xlsx_part(&r, "xl/worksheets/sheet1.xml"), "Arkivet", "holds the planned systems");
	lacks_str(xlsx_part(&r, "xl/worksheets/sheet1.xml"), "I drift",
		  "and not the one in operation");
	r = fx_get(fx, COORD, "/o/alfa/systems.csv?sort=name&desc=1&lifecycle=planned");
	ok(strstr(r.body, "Lönesystemet") && strstr(r.body, "Arkivet") &&
	   strstr(r.body, "Lönesystemet") < strstr(r.body, "Arkivet"),
	   "in the list's order (name, descending)");

	r = fx_get(fx, COORD, "/o/alfa/systems?lifecycle=planned&q=system");
	has_str(r.body, "href=\"/o/alfa/systems.csv?sort=name&amp;desc=0&amp;q=system"
		"&amp;lifecycle=planned\"", "the list's CSV link carries its search and filter");
	has_str(r.body, "href=\"/o/alfa/systems.xlsx?sort=name&amp;desc=0&amp;q=system"
		"&amp;lifecycle=planned\"", "and so does its Excel link");
	r = fx_get(fx, COORD, "/o/alfa/systems?archived=1");
	has_str(r.body, "href=\"/o/alfa/systems.csv?sort=name&amp;desc=0&amp;archived=1\"",
		"the archive choice too");
}

TEST(systems_export_names_people_dependencies_information)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/systems.csv");
	const char *a, *b;

	is_int(r.status, 200, "the systems' CSV");
	has_str(r.body, ";Verksamhetsansvariga;Systemförvaltare;Systemadministratörer;Beroenden;"
		"Informationsmängder som systemet hanterar\r\n", "ends with the extra columns");
	a = csv_line(r.body, sys_a);
	b = csv_line(r.body, sys_b);
	has_str(a, ";Verksam Vera;\"Admin Adam; Förvaltar Fia\";Admin Adam;"
		"Skickar till: Lönesystemet;Leverantörsfakturor", "a system's business owner, managers (in name order), "
		"administrator, dependency and information set");
	has_str(b, ";;;;Tar emot från: Ekonomisystemet;", "the other end of the dependency, "
		"seen from it, and empty cells where there is nothing");
	lacks_str(b, "Leverantörsfakturor", "no information it does not handle");
	has_str(a, ";2026-03-15;", "a date as YYYY-MM-DD in CSV");
	has_str(csv_line(r.body, sys_c), ";;", "an empty number stays empty (never 0)");

	/* an export imports back: its extra columns are read past */
	r = import_post("/o/alfa/systems/import", fx_get(fx, COORD, "/o/alfa/systems.csv").body + 3);
	lacks_str(r.body, "Okänd kolumn", "the export's own columns are known to the import");
	has_str(r.body, "3 rader kan importeras", "and every exported row imports back");
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

TEST(extra_columns_cost_the_same_for_one_system_or_many)
{
	uint64_t q0, one, many;
	struct fx_resp r;

	for (int i = 0; i < 30; i++) {
		int64_t s = make_system(arena_printf(&fx->a, "Fler system %02d", i), "introducing", "");
		fx_post_id(fx, COORD, "/o/alfa/system-information", arena_printf(&fx->a,
			"system_id=%lld&infoset_id=%lld", (long long)s, (long long)inf));
	}
	fx_get(fx, COORD, "/o/alfa/systems.csv?q=ekonomi"); /* the same warm-up for both */
	q0 = app_queries();
	r = fx_get(fx, COORD, "/o/alfa/systems.csv?q=ekonomi");
	one = app_queries() - q0;
	has_str(r.body, "Ekonomisystemet", "one system exported");
	q0 = app_queries();
	r = fx_get(fx, COORD, "/o/alfa/systems.csv?lifecycle=introducing");
	many = app_queries() - q0;
	has_str(r.body, "Fler system 29", "thirty systems exported");
	{
		int n = 0;
		for (const char *p = r.body; (p = strstr(p, ";Leverantörsfakturor\r\n")); p++)
			n++;
		is_int(n, 30, "each with its information set");
	}
	ok(one > 0 && many == one, "with as many queries for thirty systems as for one (%llu, %llu):"
	   " the extra columns are read for the page, not per system",
	   (unsigned long long)many, (unsigned long long)one);
}

TEST(excel_cells_are_typed)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/systems.xlsx?q=ekonomi");
	const char *sheet = xlsx_part(&r, "xl/worksheets/sheet1.xml");
	const char *styles = xlsx_part(&r, "xl/styles.xml");
	const char *d;

	ok(r.status == 200 && r.content_type && !strcmp(r.content_type, XLSX_TYPE),
	   "an Excel workbook");
	/* 2026-03-15 is day 46096 of Excel's calendar */
	d = strstr(sheet, "<v>46096</v>");
	ok(d != NULL, "the agreement's end is Excel's date serial 46096");
	if (d) {
		const char *c = d;
		while (c > sheet && strncmp(c, "<c ", 3) != 0)
			c--;
		ok(strstr(arena_strndup(&fx->a, c, (size_t)(d - c)), " s=\"") &&
		   !strstr(arena_strndup(&fx->a, c, (size_t)(d - c)), " t=\""),
		   "a numeric cell (no t=) with a style");
	} else {
		ok(0, "a numeric cell (no t=) with a style");
	}
	has_str(styles, "formatCode=\"yyyy-mm-dd\"", "whose style shows it as yyyy-mm-dd");
	ok(strstr(sheet, "<v>120</v>") != NULL, "the number of users is a number");
	has_str(sheet, "t=\"inlineStr\"", "text is written as strings");
	lacks_str(sheet, "<f>", "never as a formula");
}

TEST(import_problems_name_value_and_allowed)
{
	const char *bad =
		"Namn;Enhet;Drift;Livscykel;Personuppgifter;raise_k;agreement_security;"
		"agreement_expires\r\n"
		"Ett;;Egen drift;drift2;Inga personuppgifter;;;\r\n"
		"Två;Finns inte;Egen drift;I drift;Inga personuppgifter;;;\r\n"
		"Tre;;Egen drift;I drift;Inga personuppgifter;5;;\r\n"
		"Fyra;;Egen drift;I drift;Inga personuppgifter;;kanske;\r\n"
		"Fem;;Egen drift;I drift;Inga personuppgifter;;;2025-13-01\r\n";
	struct fx_resp r;

	r = fx_get(fx, COORD, "/o/alfa/systems/import");
	has_str(r.body, "<code>Avtalet löper ut</code>: datum ÅÅÅÅ-MM-DD",
		"the import page lists the columns and what they take");
	r = import_post("/o/alfa/systems/import", bad);
	is_int(r.status, 422, "a file with bad values is refused");
	has_str(r.body, "<td>2</td><td>Livscykel</td><td>&quot;drift2&quot; är inte ett av: "
		"Planerat, Under införande, I drift, Under avveckling, Avvecklat.",
		"a choice names the value and the options");
	has_str(r.body, "<td>3</td><td>Enhet</td><td>&quot;Finns inte&quot; finns inte bland "
		"Enheter", "a reference names the value and the register");
	has_str(r.body, "<td>4</td><td>raise_k</td><td>&quot;5&quot; är inte ett tillåtet "
		"värde (0–4).", "a level names the value and the range");
	has_str(r.body, "<td>5</td><td>agreement_security</td><td>&quot;kanske&quot; "
		"är inte ett av: Ja, Nej.", "a yes/no that is neither is refused, not taken as no");
	has_str(r.body, "<td>6</td><td>agreement_expires</td><td>&quot;2025-13-01&quot; är inte "
		"ett datum i formen ÅÅÅÅ-MM-DD", "a date names the value and the form");

	r = import_post("/o/alfa/klassa/import",
			"System;Informationsmängd;K;R;T;S\r\n"
			"Ekonomisystemet;Leverantörsfakturor;5;1;1;1\r\n");
	is_int(r.status, 422, "a KLASSA file with a bad level is refused");
	has_str(r.body, "<td>2</td><td>K</td><td>&quot;5&quot; är inte en tillåten nivå (0–4).",
		"naming the value and the levels");
	r = import_post("/o/alfa/klassa/import",
			"System;Informationsmängd;K;R;T;S\r\nNågot;Leverantörsfakturor;1;1;1;1\r\n");
	has_str(r.body, "Det finns inget system med exakt namnet &quot;Något&quot;.",
		"an unknown system is named");

	r = fx_get(fx, COORD, "/o/alfa/klassa/import");
	has_str(r.body, "href=\"/o/alfa/klassa/import-template.csv\"",
		"the KLASSA import links its template");
	r = fx_get(fx, COORD, "/o/alfa/klassa/import-template.csv");
	has_str(r.body, "System;Informationsmängd;K;R;T;S;Datum\r\nArkivet;Leverantörsfakturor;1;1;1;1;",
		"which has the columns and an example line");
	r = import_post("/o/alfa/klassa/import", r.body + 3);
	is_int(r.status, 200, "that passes the KLASSA preview");
	has_str(r.body, "1 rader lästes", "as one line");
}

/* The page takes IMPORT_MAX_ROWS rows and says so; a file with more is
 * refused before anything is written, pointing to `varn import`. */
TEST(import_page_limit)
{
	struct buf b = BUF_INIT;
	struct fx_resp r;

	r = fx_get(fx, COORD, "/o/alfa/systems/import");
	has_str(r.body, "Sidan tar emot högst 10000 rader och 8 MB per fil",
		"the page says its limit");
	has_str(r.body, "varn import", "and what takes more");
	r = fx_get(fx, COORD, "/o/alfa/klassa/import");
	has_str(r.body, "Sidan tar emot högst 10000 rader", "the KLASSA page too");

	buf_init(&b, 4u << 20);
	buf_puts(&b, "Namn;Drift;Livscykel;Personuppgifter\r\n");
	for (int i = 0; i <= IMPORT_MAX_ROWS; i++)
		buf_printf(&b, "Gränssystem %d;Egen drift;I drift;Inga personuppgifter\r\n", i);
	ok(buf_ok(&b), "a file of 10,001 rows");
	r = import_post("/o/alfa/systems/import", b.p);
	is_int(r.status, 422, "is refused");
	has_str(r.body, "<td>10002</td><td><span class=\"muted\">–</span></td><td>Filen har fler "
		"än 10000 rader, det största antal som sidan tar emot. Större filer importeras "
		"med kommandot varn import", "on the line past the limit, pointing to varn import");
	has_str(r.body, "<h2>1 problem hittades</h2>", "and no row's problems: none was tried");
	buf_truncate(&b, 0);
	buf_puts(&b, "Namn;Drift;Livscykel;Personuppgifter\r\n");
	for (int i = 0; i < IMPORT_MAX_ROWS; i++)
		buf_printf(&b, "Gränssystem %d;Egen drift;I drift;Inga personuppgifter\r\n", i);
	r = import_post("/o/alfa/systems/import", b.p);
	has_str(r.body, "10000 rader kan importeras", "10,000 rows are taken");
	buf_release(&b);
}

TEST(templates_import_cleanly)
{
	static const char *const registers[] = {
		"units", "people", "roles", "systems", "information", "classifications",
		"system-information", "system-roles", "dependencies",
	};
	struct fx_resp r;

	r = fx_get(fx, COORD, "/o/alfa/systems/import");
	has_str(r.body, "href=\"/o/alfa/systems/import-template.csv\"",
		"the import page links the CSV template");
	has_str(r.body, "href=\"/o/alfa/systems/import-template.xlsx\"", "and the Excel one");
	has_str(r.body, "<code>Livscykel</code> (obligatoriskt): Planerat, Under införande",
		"and says what each column allows");
	for (size_t i = 0; i < ARRAY_SIZE(registers); i++) {
		const char *path = arena_printf(&fx->a, "/o/alfa/%s/import-template.csv",
						registers[i]);
		r = fx_get(fx, COORD, path);
		ok(r.status == 200 && r.disposition && strstr(r.disposition, "-mall.csv"),
		   "%s: the CSV template downloads (%d)", registers[i], r.status);
		r = import_post(arena_printf(&fx->a, "/o/alfa/%s/import", registers[i]), r.body + 3);
		ok(r.status == 200 && strstr(r.body, "1 rader kan importeras"),
		   "%s: its example row imports cleanly in a preview (%d)", registers[i], r.status);
		if (r.status != 200)
			printf("# %s\n", strstr(r.body, "<table") ? strstr(r.body, "<table") : "");
	}
	r = fx_get(fx, COORD, "/o/alfa/systems/import-template.csv");
	has_str(r.body, "Namn;", "the systems' template starts with the name");
	has_str(r.body, "Exempel: System;", "its example is named as one");
	lacks_str(r.body, "Höjd nivå K;", "derived levels are no columns of it");
	r = fx_get(fx, COORD, "/o/alfa/systems/import-template.xlsx");
	ok(r.status == 200 && r.content_type && !strcmp(r.content_type, XLSX_TYPE) &&
	   memcmp(r.body, "PK", 2) == 0, "the Excel template is a workbook");
	has_str(xlsx_part(&r, "xl/sharedStrings.xml"), "Exempel: System", "with the example row");
	has_str(xlsx_part(&r, "xl/workbook.xml"), "name=\"Kolumner\"",
		"and a sheet that explains the columns");
	r = fx_get(fx, USER, "/o/alfa/systems/import-template.csv");
	is_int(r.status, 403, "a plain user, who may not import, gets no template");
	is_int(fx_scalar(fx, "SELECT count(*) FROM it_system WHERE org_id = $1 AND name LIKE "
			 "'Exempel%'", fx->org_alfa), 0, "checking the examples saved nothing");
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
