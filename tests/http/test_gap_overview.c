/* test_gap_overview.c - the gap overviews (modules/measures/overview.c)
 * and the statements of applicability and procurement requirements
 * (documents.c), on the demo (`varn init --demo` on a fresh database of
 * the engine under test):
 *   - every number on /gap that links to a list equals the count of
 *     measure_assessment rows its filters select, counted here from the
 *     rows themselves (the page reads the trigger-kept counts), and the
 *     list it opens says as many;
 *   - the heat map's coverage per area and level is that of the rows;
 *   - /gap/systems?show=new&owner_id=X lists exactly the owner's systems
 *     with new measures after one of them had its level raised;
 *   - another organisation's data never shows;
 *   - the statement of applicability and the procurement requirements as
 *     PDF (pdftotext), XLSX (unzip) and plain text, audited. */
#include "base/base.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "core/auth.h"
#include "db/db.h"
#include "fixture.h"
#include "tap.h"
#include "testdb.h"

extern char **environ;

static struct fixture *fx;
static int64_t org, other_org;

#define COORD "samordnare@exempelstad.se"
#define OWNER "socialchef@exempelstad.se"

/* ---- helpers ---- */

static int run(char *const argv[], const char *out_path, struct buf *out)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status, fds[2], rc = -1;
	char chunk[4096];
	ssize_t n;

	if (pipe(fds))
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
	posix_spawn_file_actions_addclose(&fa, fds[0]);
	/* the tools' own chatter (varn init logs) is not the test's output */
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	(void)out_path;
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ) == 0) {
		close(fds[1]);
		while ((n = read(fds[0], chunk, sizeof(chunk))) > 0)
			if (out)
				buf_add(out, chunk, (size_t)n);
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
			rc = WEXITSTATUS(status);
	} else {
		close(fds[1]);
	}
	close(fds[0]);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/* The body in a temporary file, then `tool ARGS file`: its output. */
static const char *tool_text(const struct fx_resp *r, const char *tool, const char *arg1,
			     const char *arg2, const char *suffix)
{
	char path[64];
	struct buf b = BUF_INIT;
	const char *s = "";
	int fd;

	snprintf(path, sizeof(path), "/tmp/varn-test-gap-XXXXXX%s", suffix);
	fd = mkstemps(path, (int)strlen(suffix));
	if (fd < 0)
		return s;
	if (write(fd, r->body, r->len) == (ssize_t)r->len) {
		char *argv[6];
		int k = 0;
		argv[k++] = (char *)tool;
		argv[k++] = (char *)arg1;
		if (arg2)
			argv[k++] = (char *)arg2;
		argv[k++] = path;
		if (strcmp(tool, "pdftotext") == 0)
			argv[k++] = "-";
		argv[k] = NULL;
		if (run(argv, NULL, &b) == 0)
			s = arena_strndup(&fx->a, b.p ? b.p : "", b.len);
	}
	close(fd);
	unlink(path);
	buf_release(&b);
	return s;
}

static const char *pdf_text(const struct fx_resp *r)
{
	return tool_text(r, "pdftotext", "-enc", "UTF-8", ".pdf");
}

/* The workbook's shared strings (libxlsxwriter writes every text there). */
static const char *xlsx_strings(const struct fx_resp *r)
{
	return tool_text(r, "unzip", "-p", NULL, ".xlsx");
}

static int is_pdf(const struct fx_resp *r)
{
	return r->status == 200 && r->content_type &&
	       strcmp(r->content_type, "application/pdf") == 0 && r->len > 5 &&
	       memcmp(r->body, "%PDF-", 5) == 0;
}

static int64_t scalar(const char *sql, const struct db_val *p, size_t n)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, p, n, &rows, &err) != 0 || rows.nrows != 1) {
		printf("# %s: %s\n", sql, err.msg);
		return -1;
	}
	return db_cell_i64(&rows, 0, 0);
}

static const char *cell(const char *sql, int64_t a, int64_t b)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(a), DB_INT(b)), &rows, &err) != 0 ||
	    rows.nrows == 0 || !db_cell(&rows, 0, 0))
		return "";
	return db_cell(&rows, 0, 0);
}

/* "&amp;" back to "&" */
static char *unescape(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	char *out;

	for (size_t i = 0; i < n; i++) {
		if (strncmp(s + i, "&amp;", 5) == 0) {
			buf_putc(&b, '&');
			i += 4;
		} else {
			buf_putc(&b, s[i]);
		}
	}
	out = arena_strndup(&fx->a, b.p ? b.p : "", b.len);
	buf_release(&b);
	return out;
}

/* The count of the rows a list link selects, from measure_assessment
 * itself: the same filters the register's list applies (measures.c). */
static int64_t rows_behind(const char *query)
{
	static const char *const ints[] = { "sys_level", "unit_id", "measure_id", "system_id",
					    "new_required", "measure_changed", "required", NULL };
	struct buf sql = BUF_INIT;
	struct db_val p[16];
	size_t np = 0;
	char *q = arena_strdup(&fx->a, query), *save = NULL;
	int64_t n;

	p[np++] = DB_INT(org);
	buf_puts(&sql, "SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND archived = 0");
	for (char *kv = strtok_r(q, "&", &save); kv && np < 15; kv = strtok_r(NULL, "&", &save)) {
		char *v = strchr(kv, '=');
		int is_int = 0;
		if (!v)
			continue;
		*v++ = 0;
		for (int k = 0; ints[k]; k++)
			is_int |= strcmp(ints[k], kv) == 0;
		if (strcmp(kv, "area") && strcmp(kv, "effective_status") && !is_int) {
			printf("# unexpected filter %s\n", kv);
			buf_release(&sql);
			return -2;
		}
		if (strcmp(v, "none") == 0) {
			buf_printf(&sql, " AND %s IS NULL", kv);
			continue;
		}
		buf_printf(&sql, " AND %s = $%zu", kv, np + 1);
		p[np++] = is_int ? DB_INT(atoll(v)) : DB_TEXT(arena_strdup(&fx->a, v));
	}
	n = scalar(sql.p, p, np);
	buf_release(&sql);
	return n;
}

/* The number the list page says it holds ("N träffar"), or -1. */
static int64_t list_total(const char *path)
{
	struct fx_resp r = fx_get(fx, COORD, path);
	const char *at;

	if (r.status != 200)
		return -1;
	at = strstr(r.body, "class=\"count\" role=\"status\">");
	if (!at)
		return -1;
	return atoll(at + strlen("class=\"count\" role=\"status\">"));
}

static const char *api_token_for(const char *email)
{
	struct db_error err = { 0 };
	const char *t = api_token_create(fx->db, &fx->a, fx_user_id(fx, email), "test", 1, &err);

	if (!t)
		printf("# token: %s\n", err.msg);
	return t ? t : "";
}

/* ---- the demo ---- */

static void setup(void)
{
	const char *url = testdb_url();
	char self[4096], *slash;
	char *argv[6];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 20);
	struct buf out = BUF_INIT;

	if (n <= 0) {
		printf("Bail out! cannot find myself\n");
		exit(1);
	}
	self[n] = 0;
	/* build/tests/test_gap_overview -> build/varn */
	slash = strrchr(self, '/');
	*slash = 0;
	slash = strrchr(self, '/');
	snprintf(slash, sizeof(self) - (size_t)(slash - self), "/varn");
	/* the backup key init makes: in the test's folder, not the checkout */
	{
		char key[4200];
		snprintf(key, sizeof(key), "%s/demo.backup-key", testdb_dir());
		setenv("VARN_BACKUP_KEY", key, 1);
	}
	argv[0] = self;
	argv[1] = "init";
	argv[2] = "--db";
	argv[3] = (char *)url;
	argv[4] = "--demo";
	argv[5] = NULL;
	if (run(argv, NULL, &out) != 0) {
		printf("Bail out! varn init --demo failed: %.*s\n", (int)out.len, out.p);
		exit(1);
	}
	buf_release(&out);
	fx = fixture_open(url);
	org = scalar("SELECT id FROM organisation WHERE slug = 'exempelstad'", NULL, 0);
	other_org = scalar("SELECT id FROM organisation WHERE slug = 'grannby'", NULL, 0);
}

/* ---- the organisation's overview ---- */

/* covers R-4-06, R-4-04 */
TEST(every_number_on_the_overview_is_its_list)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/exempelstad/gap");
	const char *s, *needle = "href=\"/o/exempelstad/assessments?";
	int links = 0, wrong = 0, lists_checked = 0, lists_wrong = 0;
	int64_t sum_heat = 0;

	is_int(r.status, 200, "the overview opens");
	has_str(r.body, "<svg", "with the heat map");
	has_str(r.body, "Visa siffrorna", "its numbers as a table");
	has_str(r.body, "Per enhet", "per unit");
	has_str(r.body, "Åtgärder med störst gap", "per measure");
	lacks_str(r.body, "Ingen åtgärdskatalog", "the catalogue is loaded");
	for (s = strstr(r.body, needle); s; s = strstr(s + 1, needle)) {
		const char *q0 = s + strlen(needle), *q1 = strchr(q0, '"');
		const char *num = strchr(q1, '>') + 1;
		char *query = unescape(q0, (size_t)(q1 - q0));
		int64_t shown = atoll(num), counted = rows_behind(query);

		links++;
		if (!strstr(query, "required=1"))
			wrong++, printf("# without required=1: %s\n", query);
		if (shown != counted) {
			wrong++;
			printf("# %s: page %lld, rows %lld\n", query, (long long)shown,
			       (long long)counted);
		}
		/* every tenth link opened: the list says as many (all of them
		 * would cost a list page each) */
		if (links % 10 == 1) {
			int64_t t = list_total(arena_printf(&fx->a, "/o/exempelstad/assessments?%s",
							    query));
			lists_checked++;
			if (t != shown) {
				lists_wrong++;
				printf("# list %s says %lld, link %lld\n", query, (long long)t,
				       (long long)shown);
			}
		}
		if (strstr(query, "sys_level=") || strstr(query, "system_id=none"))
			if (!strstr(query, "effective_status") && strstr(query, "area="))
				sum_heat += shown;
	}
	ok(links > 100, "the overview links its numbers (%d links)", links);
	is_int(wrong, 0, "each linked number is the count of the rows it names");
	ok(lists_checked > 10, "lists opened (%d)", lists_checked);
	is_int(lists_wrong, 0, "each list opened shows as many as its number");
	{
		int64_t req = scalar("SELECT count(*) FROM measure_assessment WHERE org_id = $1"
				     " AND required = 1 AND archived = 0", DB_ARGS(DB_INT(org)));
		int64_t met = scalar("SELECT count(*) FROM measure_assessment WHERE org_id = $1"
				     " AND required = 1 AND archived = 0"
				     " AND effective_status IN ('met', 'not_applicable')",
				     DB_ARGS(DB_INT(org)));
		ok(req > 1000, "the demo requires measures (%lld)", (long long)req);
		is_int(sum_heat, req, "the heat map's cells add up to every required row");
		has_str(r.body, arena_printf(&fx->a, "Täckning: %lld %%", (long long)(met * 100 / req)),
			"the organisation's coverage is that of the rows");
	}
}

/* The heat map's picture says the coverage of each cell as the rows give
 * it: one cell checked per level column and area. */
TEST(heat_map_cells_are_the_rows_coverage)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/exempelstad/gap");
	static const char *const areas[] = { "access", "operations", "assets", NULL };
	static const char *const labels[] = { "Behörigheter och åtkomst", "Drift",
					      "Tillgångar och klassning" };
	int checked = 0, wrong = 0;

	for (int a = 0; areas[a]; a++)
		for (int lv = -1; lv <= 4; lv++) {
			struct db_val p[] = { DB_INT(org), DB_TEXT(areas[a]), DB_INT(lv) };
			int64_t req = scalar("SELECT count(*) FROM measure_assessment WHERE org_id = $1"
					     " AND required = 1 AND archived = 0 AND area = $2"
					     " AND sys_level = $3", p, 3);
			int64_t met = scalar("SELECT count(*) FROM measure_assessment WHERE org_id = $1"
					     " AND required = 1 AND archived = 0 AND area = $2"
					     " AND sys_level = $3"
					     " AND effective_status IN ('met', 'not_applicable')", p, 3);
			const char *col = lv < 0 ? "Org." : lv == 0 ? "0 eller ingen"
					  : arena_printf(&fx->a, "Nivå %d", lv);
			if (req == 0)
				continue;
			checked++;
			/* the svg cell's title: "Område, Kolumn: 63 % (band)" */
			if (!strstr(r.body, arena_printf(&fx->a, "%s, %s: %lld\xc2\xa0%%", labels[a],
							 col, (long long)(met * 100 / req))))
				wrong++, printf("# %s level %d: %lld %% not shown\n", areas[a], lv,
						(long long)(met * 100 / req));
		}
	ok(checked >= 6, "cells checked (%d)", checked);
	is_int(wrong, 0, "each cell's coverage appears in the picture");
}

TEST(another_organisation_never_shows)
{
	struct fx_resp r = fx_get(fx, COORD, "/o/exempelstad/gap");
	const char *grannby_sys = cell("SELECT name FROM it_system WHERE org_id = $1 AND id > $2"
				       " ORDER BY id LIMIT 1", other_org, 0);
	int64_t ex_sys = scalar("SELECT min(id) FROM it_system WHERE org_id = $1",
				DB_ARGS(DB_INT(org)));

	ok(*grannby_sys, "grannby has a system (%s)", grannby_sys);
	lacks_str(r.body, grannby_sys, "not on exempelstad's overview");
	r = fx_get(fx, COORD, "/o/exempelstad/gap/systems?unit_id=0");
	lacks_str(r.body, grannby_sys, "nor in its systems");
	r = fx_get(fx, COORD, "/o/grannby/gap/systems");
	is_int(r.status, 200, "grannby's own systems");
	has_str(r.body, grannby_sys, "with its system");
	lacks_str(r.body, "Verksamhetssystem IFO", "without exempelstad's");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/grannby/gap/systems/%lld/soa.xlsx",
					   (long long)ex_sys));
	is_int(r.status, 404, "exempelstad's system is not grannby's (xlsx)");
	r = fx_get(fx, COORD, arena_printf(&fx->a,
		"/o/grannby/documents/statement-of-applicability.pdf?id=%lld", (long long)ex_sys));
	is_int(r.status, 404, "nor its statement (pdf)");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/grannby/gap/systems/%lld/procurement.txt",
					   (long long)ex_sys));
	is_int(r.status, 404, "nor its requirements (text)");
	r = fx_get(fx, "anvandare@exempelstad.se", "/o/exempelstad/gap");
	is_int(r.status, 403, "a plain user does not see the overview");
}

/* ---- the systems ---- */

static int listed(const char *body, int64_t id)
{
	return strstr(body, arena_printf(&fx->a, "/o/exempelstad/gap/systems/%lld\"",
					 (long long)id)) != NULL;
}

/* The systems the list links ("/o/exempelstad/gap/systems/12\"") */
static int64_t count_listed(const char *body)
{
	static const char pre[] = "href=\"/o/exempelstad/gap/systems/";
	int64_t n = 0;

	for (const char *s = strstr(body, pre); s; s = strstr(s + 1, pre)) {
		const char *d = s + strlen(pre);
		while (*d >= '0' && *d <= '9')
			d++;
		n += d > s + strlen(pre) && *d == '"';
	}
	return n;
}

/* covers R-4-02 */
TEST(new_measures_list_after_a_raised_level)
{
	int64_t owner = scalar("SELECT id FROM person WHERE org_id = $1 AND email = $2",
			       DB_ARGS(DB_INT(org), DB_TEXT(OWNER)));
	int64_t sys = scalar("SELECT id FROM it_system WHERE org_id = $1 AND owner_id = $2"
			     " AND archived = 0 ORDER BY level_max, id LIMIT 1",
			     DB_ARGS(DB_INT(org), DB_INT(owner)));
	int64_t version = scalar("SELECT version FROM it_system WHERE id = $1",
				 DB_ARGS(DB_INT(sys)));
	const char *path = arena_printf(&fx->a, "/o/exempelstad/gap/systems?show=new&owner_id=%lld",
					(long long)owner);
	const char *token;
	struct fx_resp r;
	struct db_rows rows;
	struct db_error err;
	int missing = 0;

	r = fx_get(fx, OWNER, path);
	is_int(r.status, 200, "the owner's list of systems with new measures");
	ok(!listed(r.body, sys), "the system is not there before");

	/* the owner raises availability to 4 (the systems module's raise) */
	token = api_token_for(OWNER);
	r = fx_request(fx, NULL, "PATCH",
		       arena_printf(&fx->a, "/api/v1/orgs/exempelstad/systems/%lld", (long long)sys),
		       arena_printf(&fx->a, "{\"version\":%lld,\"raise_t\":4,\"raise_r\":4,"
				    "\"raise_reason\":\"Larmkedjan\"}", (long long)version),
		       "application/json", "Authorization",
		       arena_printf(&fx->a, "Bearer %s", token));
	is_int(r.status, 200, "the level raised");
	ok(scalar("SELECT count(*) FROM measure_assessment WHERE system_id = $1 AND new_required = 1"
		  " AND required = 1 AND archived = 0", DB_ARGS(DB_INT(sys))) > 0,
	   "new measures appeared");

	r = fx_get(fx, OWNER, path);
	ok(listed(r.body, sys), "the system is listed now");
	/* exactly the owner's live systems with a new, required row */
	if (db_exec(fx->db, &fx->a,
		    "SELECT DISTINCT a.system_id FROM measure_assessment a JOIN it_system s"
		    " ON s.id = a.system_id WHERE a.org_id = $1 AND s.owner_id = $2"
		    " AND s.archived = 0 AND a.new_required = 1 AND a.required = 1 AND a.archived = 0",
		    DB_ARGS(DB_INT(org), DB_INT(owner)), &rows, &err) != 0) {
		ok(0, "rows: %s", err.msg);
		return;
	}
	for (size_t i = 0; i < rows.nrows; i++)
		missing += !listed(r.body, db_cell_i64(&rows, i, 0));
	is_int(missing, 0, "every such system listed");
	is_int(count_listed(r.body), (int64_t)rows.nrows, "and no other");

	r = fx_get(fx, COORD, "/o/exempelstad/gap/systems?show=new");
	ok(listed(r.body, sys), "the coordinator's list of every system with new measures");
	r = fx_get(fx, COORD, arena_printf(&fx->a,
		"/o/exempelstad/gap/systems?show=not_assessed&owner_id=%lld", (long long)owner));
	ok(listed(r.body, sys), "and it has measures not assessed");
	r = fx_get(fx, COORD, "/o/exempelstad/gap/systems");
	is_int(r.status, 200, "every system");
	{
		const char *needle = "href=\"/o/exempelstad/assessments?";
		int links = 0, wrong = 0;
		for (const char *s = strstr(r.body, needle); s; s = strstr(s + 1, needle)) {
			const char *q0 = s + strlen(needle), *q1 = strchr(q0, '"');
			char *query = unescape(q0, (size_t)(q1 - q0));
			links++;
			if (atoll(strchr(q1, '>') + 1) != rows_behind(query))
				wrong++, printf("# %s\n", query);
		}
		ok(links > 50, "the systems' numbers link their lists (%d)", links);
		is_int(wrong, 0, "each is the count of its rows");
	}
	is_int(count_listed(r.body),
	       scalar("SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0",
		      DB_ARGS(DB_INT(org))) > 50 ? 50 :
	       scalar("SELECT count(*) FROM it_system WHERE org_id = $1 AND archived = 0",
		      DB_ARGS(DB_INT(org))), "a page of the live systems");
}

/* ---- documents ---- */

static int64_t critical_system(void)
{
	return scalar("SELECT min(s.id) FROM it_system s WHERE s.org_id = $1"
		      " AND s.business_critical = 1 AND s.archived = 0 AND EXISTS (SELECT 1 FROM"
		      " measure_assessment a WHERE a.system_id = s.id AND a.effective_status = 'met')",
		      DB_ARGS(DB_INT(org)));
}

/* covers R-4-03 */
TEST(statement_of_applicability_pdf_and_xlsx)
{
	int64_t sys = critical_system();
	int64_t before = scalar("SELECT count(*) FROM audit_event WHERE org_id = $1"
				" AND action = 'document'", DB_ARGS(DB_INT(org)));
	struct fx_resp r;
	const char *t, *code, *org_code;

	r = fx_get(fx, COORD, arena_printf(&fx->a,
		"/o/exempelstad/documents/statement-of-applicability.pdf?id=%lld", (long long)sys));
	ok(is_pdf(&r), "the system's statement is a PDF (%d)", r.status);
	t = pdf_text(&r);
	has_str(t, "Tillämpningsförklaring", "its title");
	code = cell("SELECT code FROM measure_assessment WHERE system_id = $1 AND required = 1"
		    " AND archived = 0 AND effective_status = 'met' AND $2 = 0 ORDER BY code_sk"
		    " LIMIT 1", sys, 0);
	ok(*code, "a met measure (%s)", code);
	has_str(t, code, "its code");
	has_str(t, "Uppfyllt", "a status");
	org_code = cell("SELECT a.code FROM measure_assessment a JOIN measure m ON m.id = a.measure_id"
			" WHERE a.org_id = $1 AND a.system_id IS NULL AND m.scope = 'organisation'"
			" AND a.required = 1 AND $2 = 0 ORDER BY a.code_sk LIMIT 1", org, 0);
	has_str(t, org_code, "the organisation-wide measures it inherits");
	has_str(t, "Organisationsgemensamma", "as a section");

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/gap/systems/%lld/soa.xlsx",
					   (long long)sys));
	is_int(r.status, 200, "the statement as a workbook");
	ok(r.content_type && strstr(r.content_type, "spreadsheetml"), "typed as one");
	t = xlsx_strings(&r);
	has_str(t, code, "the workbook opens and has the code");
	has_str(t, "Uppfyllt", "and the status");
	is_int(scalar("SELECT count(*) FROM audit_event WHERE org_id = $1 AND action = 'document'",
		      DB_ARGS(DB_INT(org))), before + 2, "both downloads audited");

	r = fx_get(fx, COORD, "/o/exempelstad/documents/statement-of-applicability-org.pdf");
	ok(is_pdf(&r), "the organisation's statement");
	t = pdf_text(&r);
	has_str(t, org_code, "with its measures");
	has_str(t, "Per område", "and the numbers per area");
	r = fx_get(fx, COORD, "/o/exempelstad/gap/organisation/soa.xlsx");
	is_int(r.status, 200, "the organisation's as a workbook");
	has_str(xlsx_strings(&r), org_code, "with its measures");
}

/* covers R-16-01, R-16-03, R-16-04 */
TEST(procurement_requirements)
{
	/* a planned system with levels: the one raised above has both */
	int64_t sys = critical_system();
	struct fx_resp r;
	const char *t;

	r = fx_get(fx, COORD, arena_printf(&fx->a,
		"/o/exempelstad/documents/procurement-requirements.pdf?id=%lld", (long long)sys));
	ok(is_pdf(&r), "the requirements as a PDF (%d)", r.status);
	t = pdf_text(&r);
	has_str(t, "Kravspecifikation", "its title");
	has_str(t, "Ska", "shall requirements");
	has_str(t, "Bör", "should requirements");
	has_str(t, " ska ", "worded with ska");
	has_str(t, " bör ", "and bör for the recommended");

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/gap/systems/%lld/procurement.txt",
					   (long long)sys));
	is_int(r.status, 200, "as plain text");
	ok(r.content_type && strcmp(r.content_type, "text/plain; charset=utf-8") == 0,
	   "text/plain in UTF-8 (%s)", r.content_type ? r.content_type : "none");
	has_str(r.body, " ska ", "with ska");
	has_str(r.body, "(Ska, ", "each marked");
	lacks_str(r.body, "<", "no markup");
	{
		/* "ska" is what the selection requires of the system: as many
		 * as its required rows of system measures */
		int64_t shall = 0, rows = scalar("SELECT count(*) FROM measure_assessment a JOIN"
			" measure m ON m.id = a.measure_id WHERE a.system_id = $1 AND a.required = 1"
			" AND a.archived = 0 AND m.scope = 'system'", DB_ARGS(DB_INT(sys)));
		for (const char *p = strstr(r.body, "(Ska, "); p; p = strstr(p + 1, "(Ska, "))
			shall++;
		is_int(shall, rows, "each required measure a shall requirement");
	}

	/* a planned system, not yet classified: the baseline, and why */
	sys = scalar("SELECT min(id) FROM it_system WHERE org_id = $1 AND lifecycle = 'planned'"
		     " AND level_max IS NULL", DB_ARGS(DB_INT(org)));
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/exempelstad/gap/systems/%lld/procurement.txt",
					   (long long)sys));
	is_int(r.status, 200, "a planned system's requirements");
	has_str(r.body, "Alla system (grundnivå)", "the baseline every system meets");
	r = fx_get(fx, COORD, arena_printf(&fx->a,
		"/o/exempelstad/documents/procurement-requirements.pdf?id=%lld", (long long)sys));
	has_str(pdf_text(&r), "inga skyddsnivåer", "the document says it is not classified yet");

	r = fx_get(fx, COORD, arena_printf(&fx->a,
		"/o/exempelstad/gap/systems/%lld/procurement.xlsx", (long long)sys));
	is_int(r.status, 200, "as a workbook");
	t = xlsx_strings(&r);
	has_str(t, "Ska", "that opens with the requirements");
}

/* Without a catalogue the overview says so and where to load one (last:
 * it takes grannby's catalogue away). */
TEST(without_a_catalogue_the_overview_says_so)
{
	struct fx_resp r;
	struct db_rows rows;
	struct db_error err;

	ok(db_exec(fx->db, &fx->a, "UPDATE measure_catalogue SET archived = 1 WHERE org_id = $1",
		   DB_ARGS(DB_INT(other_org)), &rows, &err) == 0, "grannby's catalogue put away");
	r = fx_get(fx, COORD, "/o/grannby/gap");
	is_int(r.status, 200, "the overview opens");
	has_str(r.body, "Ingen åtgärdskatalog är inläst", "it says no catalogue is loaded");
	has_str(r.body, "href=\"/o/grannby/measures/catalogue\"", "and links to loading one");
	r = fx_get(fx, COORD, "/o/exempelstad/gap");
	lacks_str(r.body, "Ingen åtgärdskatalog", "exempelstad's still has its own");
}

int main(void)
{
	int rc;

	setup();
	rc = tap_run();
	fixture_free(fx);
	testdb_cleanup();
	return rc;
}
