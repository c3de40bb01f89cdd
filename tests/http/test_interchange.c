/* test_interchange.c - moving data in and out, through the real router on
 * the engine chosen by VARN_TEST_DB: every register's XLSX export (a real
 * workbook, masked like the CSV), the KLASSA export of a small register
 * (names, levels and dates, never a motivation), the KLASSA import with its
 * preview, refusal of bad files and the commit, the round trip, protected
 * identities in every export, and the page import of 2,000 systems (timed:
 * the figure is printed as a diagnostic). */
#include "base/base.h"

#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "fixture.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"
#define ADMIN_B "admin@b.se"
#define XLSX_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
				    "&level_s=%d&decided_on=%s&reason_k=%s", (long long)inf,
				    k, r, t, s, date, fx_enc(fx, "Hemlig motivering om kravet")));
}

static int64_t link_info(int64_t sys, int64_t inf)
{
	return fx_post_id(fx, COORD, "/o/alfa/system-information",
		       arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				    (long long)inf));
}

static struct fx_resp klassa_post(const char *who, const char *csv, int confirm)
{
	return fx_post(fx, who, "/o/alfa/klassa/import",
		       arena_printf(&fx->a, "csv=%s%s", fx_enc(fx, csv), confirm ? "&confirm=1" : ""));
}

/* The text of a workbook's shared strings and first sheet (its text cells:
 * the export writes them inline in the rows), read with
 * unzip from a copy of the response in a temporary file. */
static const char *xlsx_strings(const struct fx_resp *r)
{
	char path[] = "/tmp/varn-test-xlsx.XXXXXX";
	struct buf b = BUF_INIT;
	char chunk[4096], *cmd;
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
	cmd = arena_printf(&fx->a, "unzip -p %s xl/sharedStrings.xml xl/worksheets/sheet1.xml 2>/dev/null", path);
	p = popen(cmd, "r");
	while (p && (n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_add(&b, chunk, n);
	if (p)
		pclose(p);
	unlink(path);
	out = arena_strdup(&fx->a, b.p);
	buf_release(&b);
	return out;
}

static int64_t count(const char *table_sql)
{
	return fx_scalar(fx, table_sql, fx->org_alfa);
}

TEST(xlsx_for_every_register)
{
	static const char *const registers[] = {
		"units", "people", "roles", "systems", "information", "classifications",
		"system-information",
	};
	struct fx_resp r;

	fx_post_id(fx, COORD, "/o/alfa/units", "name=Kulturf%C3%B6rvaltningen&kind=forvaltning");
	for (size_t i = 0; i < ARRAY_SIZE(registers); i++) {
		r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/%s.xlsx", registers[i]));
		ok(r.status == 200 && r.content_type && strcmp(r.content_type, XLSX_TYPE) == 0 &&
		   r.len > 100 && memcmp(r.body, "PK", 2) == 0,
		   "%s.xlsx is a workbook (status %d, a ZIP)", registers[i], r.status);
	}
	r = fx_get(fx, COORD, "/o/alfa/units.xlsx");
	ok(r.disposition && strstr(r.disposition, "alfa-units.xlsx"), "downloaded as alfa-units.xlsx");
	has_str(xlsx_strings(&r), "Kulturförvaltningen", "its cells hold the records");
	has_str(xlsx_strings(&r), "Förvaltning", "choices as their labels, like the CSV");
	has_str(xlsx_strings(&r), "<t>Namn</t>", "under Swedish headers");
	r = fx_get(fx, COORD, "/o/alfa/units.xlsx?q=kultur");
	has_str(xlsx_strings(&r), "Kulturförvaltningen", "the list's search applies");
	r = fx_get(fx, COORD, "/o/alfa/units.xlsx?q=finnsinte");
	lacks_str(xlsx_strings(&r), "Kulturförvaltningen", "and leaves out what it does not match");
	r = fx_get(fx, USER, "/o/alfa/systems.xlsx");
	is_int(r.status, 403, "a plain user may not export the systems");
	r = fx_get(fx, ADMIN_B, "/o/alfa/units.xlsx");
	is_int(r.status, 404, "another organisation's export does not exist");
}

static int64_t sys_a, sys_b, inf_a, inf_b, inf_c, inf_d;

TEST(klassa_export)
{
	struct fx_resp r;

	sys_a = make_system("Ekonomisystemet");
	sys_b = make_system("Äldreomsorgens journal");
	inf_a = make_infoset("Leverantörsfakturor");
	inf_b = make_infoset("Omsorgsanteckningar");
	inf_c = make_infoset("Öppna data");
	inf_d = make_infoset("Oklassad information");
	ok(sys_a && sys_b && inf_a && inf_b && inf_c && inf_d, "two systems, four information sets");
	ok(classify(inf_a, 2, 3, 2, 2, "2025-03-01") > 0 &&
	   classify(inf_b, 3, 3, 2, 3, "2025-04-02") > 0 &&
	   classify(inf_c, 0, 1, 1, 0, "2025-05-03") > 0, "three are classified");
	ok(link_info(sys_a, inf_a) && link_info(sys_b, inf_a) && link_info(sys_b, inf_b),
	   "the systems handle information");

	r = fx_get(fx, COORD, "/o/alfa/klassa.csv");
	is_int(r.status, 200, "the KLASSA file is exported");
	has_str(r.content_type, "text/csv", "as CSV");
	ok(r.disposition && strstr(r.disposition, "alfa-klassa.csv"), "as alfa-klassa.csv");
	has_str(r.body, "\xEF\xBB\xBFSystem;Informationsmängd;K;R;T;S;Datum\r\n",
		"with the KLASSA columns");
	has_str(r.body, "\r\nEkonomisystemet;Leverantörsfakturor;2;3;2;2;2025-03-01\r\n"
		"Äldreomsorgens journal;Leverantörsfakturor;2;3;2;2;2025-03-01\r\n"
		"Äldreomsorgens journal;Omsorgsanteckningar;3;3;2;3;2025-04-02\r\n",
		"one line per system and information set, in Swedish order");
	has_str(r.body, "\r\n;Oklassad information;;;;;\r\n;Öppna data;0;1;1;0;2025-05-03\r\n",
		"then the information no system handles, unclassified ones without levels");
	lacks_str(r.body, "Hemlig motivering", "and never a motivation or requirement text");
	r = fx_get(fx, ADMIN_B, "/o/alfa/klassa.csv");
	is_int(r.status, 404, "another organisation cannot export it");
	r = fx_get(fx, ADMIN_B, "/o/beta/klassa.csv");
	lacks_str(r.body, "Ekonomisystemet", "and its own file holds none of alfa's");
}

TEST(klassa_import)
{
	const char *bad =
		"System;Informationsmängd;K;R;T;S;Datum\r\n"
		"Ekonomisystemet;Oklassad information;1;1;1;1;2025-06-01\r\n"
		"Finns inte;Oklassad information;1;1;1;1;2025-06-01\r\n"
		";Saknas;1;1;1;1;\r\n"
		";Öppna data;1;1;7;1;\r\n"
		";Öppna data;1;1;;1;\r\n"
		";Leverantörsfakturor;2;3;2;2;1.6.2025\r\n"
		"Ekonomisystemet;Oklassad information;2;1;1;1;2025-06-01\r\n";
	const char *good =
		"System;Informationsmängd;K;R;T;S;Datum;Krav\r\n"
		"Ekonomisystemet;Oklassad information;1;4;1;1;2025-06-01;Kravtext som inte läses\r\n"
		"Äldreomsorgens journal;Oklassad information;1;4;1;1;2025-06-01;\r\n"
		"Ekonomisystemet;Leverantörsfakturor;2;3;2;2;2025-03-01;\r\n";
	struct fx_resp r;
	const char *cls = "SELECT count(*) FROM classification WHERE org_id = $1";
	const char *links = "SELECT count(*) FROM system_information WHERE org_id = $1";
	int64_t c0 = count(cls), l0 = count(links);

	r = fx_get(fx, COORD, "/o/alfa/klassa/import");
	is_int(r.status, 200, "the import page opens");
	has_str(r.body, "Informationsmängd", "and explains the columns");
	r = fx_get(fx, USER, "/o/alfa/klassa/import");
	is_int(r.status, 403, "a plain user may not import");

	r = klassa_post(COORD, bad, 0);
	is_int(r.status, 422, "a file with bad lines is refused");
	has_str(r.body, "Ingenting har importerats", "saying nothing was imported");
	has_str(r.body, "<td>3</td><td>System</td><td>Det finns inget system med exakt namnet &quot;Finns inte&quot;.",
		"an unknown system is named by line and column, and by its name");
	has_str(r.body, "<td>4</td><td>Informationsmängd</td><td>Det finns ingen informationsmängd med exakt namnet &quot;Saknas&quot;",
		"an unknown information set too");
	has_str(r.body, "<td>5</td><td>T</td><td>&quot;7&quot; är inte en tillåten nivå (0–4).",
		"a level out of range names the value and the allowed levels");
	has_str(r.body, "<td>6</td><td><span class=\"muted\">–</span></td><td>Ange alla fyra nivåerna", "a missing level");
	has_str(r.body, "<td>7</td><td>Datum</td><td>&quot;1.6.2025&quot; är inte ett datum i formen ÅÅÅÅ-MM-DD",
		"a date in another form");
	has_str(r.body, "<td>8</td><td>Informationsmängd</td><td>Informationsmängden har andra nivåer",
		"and lines that disagree about one information set");
	is_int(count(cls), c0, "no classification was saved, not even the good line's");
	is_int(count(links), l0, "nor any link");

	r = klassa_post(COORD, "System;K;R\r\nX;1;1\r\n", 0);
	is_int(r.status, 422, "a file without the needed columns is refused");
	has_str(r.body, "Kolumnen saknas", "saying which are missing");

	r = klassa_post(COORD, good, 0);
	is_int(r.status, 200, "a good file gives a preview");
	has_str(r.body, "3 rader lästes", "of its three lines");
	has_str(r.body, "1 nya klassningar", "one new classification");
	has_str(r.body, "2 nya kopplingar", "two new links");
	has_str(r.body, "1 rader ändrar ingenting", "one line that changes nothing");
	has_str(r.body, "<code>Krav</code>", "naming the column that is not read");
	is_int(count(cls), c0, "the preview saves nothing");
	is_int(count(links), l0, "no links either");

	r = klassa_post(COORD, good, 1);
	is_int(r.status, 303, "confirming imports");
	has_str(r.location, "/o/alfa/klassa/import?done=3", "and says so");
	is_int(count(cls), c0 + 1, "the classification is saved");
	is_int(count(links), l0 + 2, "and both links");
	is_int(fx_scalar(fx, "SELECT level_r FROM it_system WHERE id = $1", sys_a), 4,
	       "the system's level is derived from the imported classification");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1"
			 " AND reason_k IS NULL AND decided_on = '2025-06-01'", inf_d), 1,
	       "with the file's date and no text of its own");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'import'"
		     " AND entity = 'classifications' AND org_id = $1", fx->org_alfa) == 1,
	   "the import is in the audit trail");
	r = fx_get(fx, COORD, "/o/alfa/klassa/import?done=3");
	has_str(r.body, "KLASSA-filen importerades: 3 rader.", "the page confirms it");
}

TEST(klassa_round_trip)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/alfa/klassa.csv");
	const char *exported = arena_strdup(&fx->a, r.body + 3); /* without the BOM */
	int64_t c0 = count("SELECT count(*) FROM classification WHERE org_id = $1");

	r = klassa_post(COORD, exported, 0);
	is_int(r.status, 200, "the exported file imports back");
	has_str(r.body, "0 nya klassningar", "without a new classification");
	has_str(r.body, "0 nya kopplingar", "or a new link");
	r = klassa_post(COORD, exported, 1);
	is_int(r.status, 303, "and confirming it");
	is_int(count("SELECT count(*) FROM classification WHERE org_id = $1"), c0,
	       "changes nothing");
	r = fx_get(fx, COORD, "/o/alfa/klassa.csv");
	is_str(r.body + 3, exported, "the export is the same afterwards");
}

TEST(protected_identity_never_exported)
{
	struct fx_resp r = fx_post(fx, ADMIN, "/o/alfa/people",
				   "name=Skyddade+Sara&email=sara%40alfa.se&employment=active"
				   "&protected_identity=1");
	int64_t pid = fx_location_id(&r);
	int64_t sys;

	ok(pid > 0, "the administrator registers a person with protected identity");
	sys = fx_post_id(fx, ADMIN, "/o/alfa/systems",
		      arena_printf(&fx->a, "name=Skyddat+system&hosting=own&lifecycle=operation"
				   "&personal_data=none&owner_id=%lld", (long long)pid));
	ok(sys > 0, "who owns a system");
	link_info(sys, inf_a);
	r = fx_get(fx, ADMIN, "/o/alfa/people.xlsx");
	has_str(xlsx_strings(&r), "Skyddade Sara", "the administrator, who needs to know, exports the name");
	r = fx_get(fx, COORD, "/o/alfa/people.xlsx");
	is_int(r.status, 200, "the coordinator exports the people");
	lacks_str(xlsx_strings(&r), "Skyddade", "without the protected name");
	lacks_str(xlsx_strings(&r), "sara@alfa.se", "or e-mail");
	r = fx_get(fx, COORD, "/o/alfa/systems.xlsx");
	lacks_str(xlsx_strings(&r), "Skyddade", "the systems' workbook does not name the owner");
	has_str(xlsx_strings(&r), "Skyddat system", "though it lists the system");
	r = fx_get(fx, COORD, "/o/alfa/systems.csv");
	lacks_str(r.body, "Skyddade", "nor does the systems' CSV");
	r = fx_get(fx, COORD, "/o/alfa/roles.xlsx");
	lacks_str(xlsx_strings(&r), "Skyddade", "nor the roles' workbook");
	r = fx_get(fx, COORD, "/o/alfa/klassa.csv");
	has_str(r.body, "Skyddat system;Leverantörsfakturor", "the KLASSA file lists the system");
	lacks_str(r.body, "Skyddade", "and never a person");
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The page's import of 2,000 systems, timed: whether the page needs a
 * progress display is decided by this figure. */
TEST(page_import_2000_systems)
{
	struct buf csv = BUF_INIT, form = BUF_INIT;
	struct timespec t0;
	struct fx_resp r;
	int64_t before = count("SELECT count(*) FROM it_system WHERE org_id = $1");
	double preview, commit;

	buf_puts(&csv, "Namn;Enhet;Drift;Livscykel;Personuppgifter\r\n");
	for (int i = 1; i <= 2000; i++)
		buf_printf(&csv, "Sjöräddningens system %04d;%s;Egen drift;I drift;Inga personuppgifter\r\n",
			   i, i % 4 == 0 ? "Kulturförvaltningen" : "");
	buf_puts(&form, "csv=");
	url_encode(&form, csv.p);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fx_post(fx, COORD, "/o/alfa/systems/import", form.p);
	preview = seconds_since(&t0);
	is_int(r.status, 200, "the preview of 2,000 systems");
	has_str(r.body, "2000 rader kan importeras", "finds every row importable");
	buf_puts(&form, "&confirm=1");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = fx_post(fx, COORD, "/o/alfa/systems/import", form.p);
	commit = seconds_since(&t0);
	is_int(r.status, 303, "confirming imports them");
	is_int(count("SELECT count(*) FROM it_system WHERE org_id = $1"), before + 2000,
	       "all 2,000");
	printf("# page import of 2000 systems: preview %.2f s, import %.2f s\n", preview, commit);
	buf_release(&csv);
	buf_release(&form);
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
