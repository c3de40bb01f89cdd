/* test_search.c - full-text search over systems and information sets
 * (issue 3), through the real router, on the engine chosen by
 * VARN_TEST_DB.  The expected hits are written out once below and must be
 * what either engine finds, in the same order: whole words, any case, å/ä/ö
 * as letters of their own, several words together, prefixes, operators
 * and quotes as mere separators, archived records and other
 * organisations' never; the index follows changes and survives a backup
 * and restore; PostgreSQL's query uses its index. */
#include "base/base.h"

#include "core/module.h"
#include "core/roles.h"
#include "core/search.h"
#include "modules/systems/systems.h"
#include "db/db.h"
#include "fixture.h"
#include "http/http.h"
#include "tap.h"
#include "testdb.h"
#include "web/app.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"
#define ADMIN_B "admin@b.se"

static int64_t s_payroll, s_school, s_old;

static int64_t make(const char *who, const char *org, const char *reg, const char *form)
{
	struct fx_resp r = fx_post(fx, who, arena_printf(&fx->a, "/o/%s/%s", org, reg), form);
	if (r.status != 303)
		printf("# create %s %s -> %d\n", reg, form, r.status);
	return fx_location_id(&r);
}

static int64_t make_system(const char *who, const char *org, const char *fields)
{
	return make(who, org, "systems", arena_printf(&fx->a,
		    "hosting=own&lifecycle=operation&personal_data=none&%s", fields));
}

/* The hits of a search page as "systems: A, B | information: C", in page
 * order, from the links of the hit lists. */
static const char *hits_of(const char *body, const char *org)
{
	static const char *const regs[] = { "systems", "information" };
	struct buf b = BUF_INIT;
	const char *out;

	for (size_t k = 0; k < ARRAY_SIZE(regs); k++) {
		const char *needle = arena_printf(&fx->a, "<li><a href=\"/o/%s/%s/", org, regs[k]);
		const char *p = body;
		int n = 0;

		buf_printf(&b, "%s%s:", k ? " | " : "", regs[k]);
		while (p && (p = strstr(p, needle))) {
			const char *t = strchr(p + strlen(needle), '>'), *end = t ? strstr(t, "</a>") : NULL;
			if (!end)
				break;
			buf_printf(&b, "%s %.*s", n++ ? "," : "", (int)(end - t - 1), t + 1);
			p = end;
		}
	}
	out = arena_strdup(&fx->a, b.p);
	buf_release(&b);
	return out;
}

static struct fx_resp search_as(const char *who, const char *org, const char *text)
{
	struct buf b = BUF_INIT;
	const char *path;

	/* the query string, percent-encoded */
	for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_')
			buf_putc(&b, (char)*s);
		else
			buf_printf(&b, "%%%02X", *s);
	}
	path = arena_printf(&fx->a, "/o/%s/search?q=%s", org, b.p ? b.p : "");
	buf_release(&b);
	return fx_get(fx, who, path);
}

static const char *search_hits(const char *text)
{
	struct fx_resp r = search_as(COORD, "alfa", text);

	if (r.status != 200)
		return arena_printf(&fx->a, "status %d", r.status);
	return hits_of(r.body, "alfa");
}

static void expect(const char *text, const char *want)
{
	is_str(search_hits(text), want, arena_printf(&fx->a, "\"%s\" finds %s", text, want));
}

TEST(fixture)
{
	/* alfa: systems */
	s_payroll = make_system(COORD, "alfa", "name=L%C3%B6nesystem+Heroma"
		"&description=Hanterar+l%C3%B6ner%2C+scheman+och+semester+f%C3%B6r+all+personal."
		"&supplier=CGI");
	make_system(COORD, "alfa", "name=Ekonomisystem+Raindance"
		"&description=Leverant%C3%B6rsfakturor%2C+bokf%C3%B6ring+och+budget."
		"&purpose=%C3%85rsbokslut+och+uppf%C3%B6ljning+av+ekonomin.");
	make_system(COORD, "alfa", "name=Procapita"
		"&description=Verksamhetssystem+f%C3%B6r+socialtj%C3%A4nstens+%C3%A4renden"
		"+inom+%C3%A4ldreomsorg+och+individ-+och+familjeomsorg.");
	s_school = make_system(COORD, "alfa", "name=Skolplattform"
		"&description=Elevernas+n%C3%A4rvaro%2C+betyg+och+scheman.");
	s_old = make_system(COORD, "alfa", "name=Gamla+diariet"
		"&description=Ersatt+av+nytt+system.+Inneh%C3%B6ll+xylofonregistret.");
	make_system(COORD, "alfa", "name=E-tj%C3%A4nsteplattform"
		"&description=Medborgarnas+e-tj%C3%A4nster%3B+kontakt+via+www.alfa.se"
		"+och+info%40alfa.se%2C+version+2.5.");
	/* alfa: information sets */
	make(COORD, "alfa", "information", "name=Personalakter&info_type=Personuppgifter"
	     "&description=Anst%C3%A4lldas+l%C3%B6ner%2C+avtal+och+sjukfr%C3%A5nvaro.");
	make(COORD, "alfa", "information", "name=Elevdokumentation"
	     "&description=Betyg+och+n%C3%A4rvaro+f%C3%B6r+elever+i+grundskolan.");
	make(COORD, "alfa", "information", "name=%C3%84renden+inom+socialtj%C3%A4nsten"
	     "&description=K%C3%A4nsliga+uppgifter+om+enskilda%2C+sekretess+enligt+OSL.");
	/* beta: the same words, and one of its own */
	make_system(ADMIN_B, "beta", "name=Zebrasystem&description=L%C3%B6ner+i+Beta+kommun.");
	make(ADMIN_B, "beta", "information", "name=Betaregister&description=zebra-uppgifter");
	is_int(fx_scalar(fx, "SELECT count(*) FROM it_system WHERE org_id = $1", fx->org_alfa), 6,
	       "alfa has six systems");
	ok(s_payroll > 0 && s_school > 0 && s_old > 0, "with ids");
}

TEST(whole_words_and_case)
{
	expect("löner", "systems: Lönesystem Heroma | information: Personalakter");
	expect("LÖNER", "systems: Lönesystem Heroma | information: Personalakter");
	expect("Löner", "systems: Lönesystem Heroma | information: Personalakter");
	expect("scheman", "systems: Lönesystem Heroma, Skolplattform | information:");
	expect("procapita", "systems: Procapita | information:");
	expect("cgi", "systems: Lönesystem Heroma | information:");
	expect("finnsinte", "systems: | information:");
}

TEST(swedish_letters)
{
	expect("årsbokslut", "systems: Ekonomisystem Raindance | information:");
	expect("ÅRSBOKSLUT", "systems: Ekonomisystem Raindance | information:");
	expect("arsbokslut", "systems: | information:");
	expect("närvaro", "systems: Skolplattform | information: Elevdokumentation");
	expect("narvaro", "systems: | information:");
	expect("ärenden", "systems: Procapita | information: Ärenden inom socialtjänsten");
	expect("ÄLDREOMSORG", "systems: Procapita | information:");
	/* a decomposed å (a + combining ring) is the same letter */
	expect("a\xcc\x8arsbokslut", "systems: Ekonomisystem Raindance | information:");
}

TEST(several_words_all_must_match)
{
	expect("betyg", "systems: Skolplattform | information: Elevdokumentation");
	expect("betyg grundskolan", "systems: | information: Elevdokumentation");
	expect("löner semester", "systems: Lönesystem Heroma | information:");
	expect("löner avtal", "systems: | information: Personalakter");
	expect("löner betyg", "systems: | information:");
}

TEST(prefixes)
{
	expect("löne", "systems: Lönesystem Heroma | information: Personalakter");
	expect("lön", "systems: Lönesystem Heroma | information: Personalakter");
	expect("social", "systems: Procapita | information: Ärenden inom socialtjänsten");
	expect("elev", "systems: Skolplattform | information: Elevdokumentation");
	/* a prefix of a word, not any part of it */
	expect("tjänst", "systems: E-tjänsteplattform | information:");
	expect("system", "systems: Gamla diariet | information:");
}

TEST(separators_as_both_engines_see_them)
{
	/* hyphens, addresses and decimals split words the same way on both */
	expect("e-tjänster", "systems: E-tjänsteplattform | information:");
	expect("alfa", "systems: E-tjänsteplattform | information:");
	expect("www.alfa.se", "systems: E-tjänsteplattform | information:");
	expect("info@alfa.se", "systems: E-tjänsteplattform | information:");
	expect("2.5", "systems: E-tjänsteplattform | information:");
	expect("5", "systems: E-tjänsteplattform | information:");
	expect("individ", "systems: Procapita | information:");
}

TEST(operators_are_only_separators)
{
	expect("löner: ^semester* \"", "systems: Lönesystem Heroma | information:");
	expect("\"löner\" OR betyg", "systems: | information:");
	expect("löner NOT", "systems: | information:");
	expect("(löner) & !betyg | x:*", "systems: | information:");
	expect("'); DROP TABLE it_system; --", "systems: | information:");
	expect("\\\" löner \\' \\", "systems: Lönesystem Heroma | information: Personalakter");
	expect("löner 😀 →", "systems: Lönesystem Heroma | information: Personalakter");
	is_int(fx_scalar(fx, "SELECT count(*) FROM it_system WHERE org_id = $1", fx->org_alfa), 6,
	       "the systems are all still there");
}

TEST(nothing_to_search_for)
{
	struct fx_resp r = search_as(COORD, "alfa", "");
	is_int(r.status, 200, "an empty search is a page");
	has_str(r.body, "Skriv ett eller flera ord", "that says what to write");
	lacks_str(r.body, "träffar", "and counts no hits");
	r = search_as(COORD, "alfa", " -- !! ** ");
	is_int(r.status, 200, "punctuation alone is a page too");
	lacks_str(r.body, "class=\"hits\"", "without hits");
	r = search_as(COORD, "alfa", "löner a b c d e f g h i j k l m n o p");
	is_int(r.status, 200, "many words are fine (the first eight count)");
	is_str(hits_of(r.body, "alfa"), "systems: | information:", "and all of them must match");
	r = search_as(COORD, "alfa", "lönerxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
	is_int(r.status, 200, "a very long word is fine");
}

TEST(archived_records_are_not_found)
{
	struct fx_resp r;

	expect("xylofon", "systems: Gamla diariet | information:");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/archive",
					    (long long)s_old), "version=1");
	is_int(r.status, 303, "the old system is archived");
	expect("xylofon", "systems: | information:");
	expect("system", "systems: | information:");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/restore",
					    (long long)s_old), "version=2");
	is_int(r.status, 303, "and restored");
	expect("xylofon", "systems: Gamla diariet | information:");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld/archive",
					    (long long)s_old), "version=3");
	is_int(r.status, 303, "and archived again");
	expect("xylofon", "systems: | information:");
}

TEST(changes_are_found_at_once)
{
	struct fx_resp r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld",
							   (long long)s_school),
		"version=1&name=Skolplattform&hosting=own&lifecycle=operation&personal_data=none"
		"&description=Elevernas+fr%C3%A5nvaro+och+omd%C3%B6men.");
	is_int(r.status, 303, "the school platform's description changes");
	expect("omdömen", "systems: Skolplattform | information:");
	expect("närvaro", "systems: | information: Elevdokumentation");
	expect("frånvaro", "systems: Skolplattform | information:");
}

TEST(other_organisations_are_never_found)
{
	struct fx_resp r;

	expect("zebra", "systems: | information:");
	expect("kommun", "systems: | information:");
	r = search_as(ADMIN_B, "beta", "zebra");
	is_int(r.status, 200, "beta searches its own");
	is_str(hits_of(r.body, "beta"), "systems: Zebrasystem | information: Betaregister",
	       "and finds them");
	r = search_as(ADMIN_B, "beta", "löner");
	is_str(hits_of(r.body, "beta"), "systems: Zebrasystem | information:",
	       "and not alfa's");
	r = search_as(ADMIN_B, "alfa", "löner");
	is_int(r.status, 404, "beta's administrator cannot search alfa");
}

TEST(who_may_search)
{
	struct fx_resp r = search_as(USER, "alfa", "löner");
	is_int(r.status, 403, "a plain user may not search the register");
	r = search_as(NULL, "alfa", "löner");
	is_int(r.status, 303, "without a session: sign in first");
	r = fx_get(fx, COORD, "/o/alfa/systems");
	has_str(r.body, "Sök i systemförteckningen", "the header has the search box");
	has_str(r.body, "action=\"/o/alfa/search\"", "that searches the organisation");
	r = fx_get(fx, USER, "/o/alfa/");
	lacks_str(r.body, "Sök i systemförteckningen", "not for a plain user");
	r = fx_get(fx, COORD, "/");
	lacks_str(r.body, "Sök i systemförteckningen", "nor outside an organisation");
}

TEST(page_shows_registers_titles_and_snippets)
{
	struct fx_resp r = search_as(COORD, "alfa", "årsbokslut");

	has_str(r.body, "<h2 id=\"hits-systems\">System", "the systems' register is named");
	has_str(r.body, "<h2 id=\"hits-information\">Informationsmängder",
		"and the information sets'");
	has_str(r.body, "<mark>Årsbokslut</mark> och uppföljning av ekonomin.",
		"the snippet marks the word found, as written");
	has_str(r.body, "1 träff<", "the hits are counted (one, singular)");
	r = search_as(COORD, "alfa", "heroma");
	has_str(r.body, "<p class=\"snippet\">Hanterar löner",
		"a hit in the title shows the description's beginning");
	has_str(r.body, arena_printf(&fx->a, "<a href=\"/o/alfa/systems/%lld\">Lönesystem Heroma</a>",
				     (long long)s_payroll), "the title links to the record");
	r = search_as(COORD, "alfa", "<script>");
	lacks_str(r.body, "<script>", "the words are escaped on the page");
}

/* A search in a context that is not a request (a restored database has
 * no app). */
static const char *direct_hits(struct db *db, int64_t org, const char *text)
{
	struct org_ctx oc = { .id = org, .slug = "x", .roles = ROLES_ANY, .org_roles = ROLES_ANY };
	struct ctx cx;
	struct search_result res;
	struct db_error err = { 0 };
	struct buf b = BUF_INIT;
	const char *out;

	ctx_system(&cx, &fx->a, db, "test", VIA_CLI);
	cx.org = &oc;
	if (search_run(&cx, text, 50, &res, &err))
		return arena_printf(&fx->a, "error %s", err.msg);
	for (size_t k = 0, shown = 0; k < res.ng; k++) {
		/* the registers this test fills (as hits_of reads the page) */
		if (strcmp(res.g[k].entity, "systems") != 0 &&
		    strcmp(res.g[k].entity, "information") != 0)
			continue;
		buf_printf(&b, "%s%s:", shown++ ? " | " : "", res.g[k].entity);
		for (size_t i = 0; i < res.g[k].n; i++)
			buf_printf(&b, "%s %s", i ? "," : "", res.g[k].hits[i].title);
	}
	out = arena_strdup(&fx->a, b.p);
	buf_release(&b);
	return out;
}

TEST(backup_and_restore_keep_the_search)
{
	static const char *const queries[] = { "löner", "närvaro", "xylofon", "social", "zebra" };
	const char *file = arena_printf(&fx->a, "%s/search.backup", testdb_dir());
	struct db_error err = { 0 };
	struct db *db = testdb_open(1);

	ok(db_backup(fx->db, module_tables(), file, &err) == 0, "backup: %s", err.msg);
	ok(db_restore(db, module_tables(), file, &err) == 0, "restore: %s", err.msg);
	for (size_t i = 0; i < ARRAY_SIZE(queries); i++)
		is_str(direct_hits(db, fx->org_alfa, queries[i]),
		       search_hits(queries[i]),
		       arena_printf(&fx->a, "restored: \"%s\" finds the same", queries[i]));
	if (db_kind(db) == DB_SQLITE) {
		static const char check[] =
			"INSERT INTO it_system_fts (it_system_fts) VALUES ('integrity-check');"
			"INSERT INTO information_set_fts (information_set_fts)"
			" VALUES ('integrity-check');";
		static const char rows[] =
			"SELECT (SELECT count(*) FROM it_system_fts) -"
			" (SELECT count(*) FROM it_system) +"
			" (SELECT count(*) FROM search_queue)";
		struct db_rows r;
		ok(db_exec_script(db, check, &err) == 0, "the restored index is sound: %s", err.msg);
		ok(db_exec(db, &fx->a, rows, DB_NOARGS, &r, &err) == 0 &&
		   db_cell_i64(&r, 0, 0) == 0, "with every system once, and nothing queued");
		ok(db_exec_script(fx->db, check, &err) == 0, "and so is the original's: %s", err.msg);
	}
	db_close(db);
}

TEST(postgresql_uses_the_index)
{
	struct db_error err = { 0 };

	if (db_kind(fx->db) != DB_PG) {
		printf("# skipped: PostgreSQL only\n");
		return;
	}
	/* With the organisation's index out of the way (dropped in a
	 * transaction that is rolled back) and table scans off, only the
	 * full-text index is left: the plan uses it if and only if the query's
	 * expression is the index's. */
	for (int k = 0; k < 2; k++) {
		static const struct entity *const source[] = { &sys_systems, &sys_infosets };
		static const char *const index[] = { "it_system_fts", "information_set_fts" };
		static const char *const drop[] = {
			"SET LOCAL enable_seqscan = off; DROP INDEX it_system_org_name;"
			" DROP INDEX it_system_level_max",
			"SET LOCAL enable_seqscan = off; DROP INDEX information_set_org_name;"
			" DROP INDEX information_set_review; DROP INDEX information_set_owner_review",
		};
		const char *terms[] = { "löner" };
		/* lives as long as the fixture's arena, to the end of the test */
		const char *sql = arena_printf(&fx->a, "EXPLAIN %s", search_sql(DB_PG, source[k]));
		const char *q = search_query_text(&fx->a, DB_PG, terms, 1);
		struct db_rows r;
		struct buf plan = BUF_INIT;

		ok(db_begin(fx->db, &err) == 0 && db_exec_script(fx->db, drop[k], &err) == 0 &&
		   db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(fx->org_alfa), DB_TEXT(q), DB_INT(51)),
			   &r, &err) == 0, "explain: %s", err.msg);
		db_rollback(fx->db);
		for (size_t i = 0; i < r.nrows; i++)
			buf_printf(&plan, "%s\n", db_cell(&r, i, 0));
		ok(plan.p && strstr(plan.p, index[k]), "the query uses %s", index[k]);
		if (!plan.p || !strstr(plan.p, index[k]))
			printf("# %s", plan.p ? plan.p : "");
		buf_release(&plan);
	}
}

TEST(words_and_query_text)
{
	const char *t[SEARCH_MAX_TERMS];
	size_t n = search_terms(&fx->a, " Lön-System, \"x\" OR ÅÄÖ e-post@a.se ", t, SEARCH_MAX_TERMS);
	struct buf b = BUF_INIT;
	char longword[200];

	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s[%s]", i ? " " : "", t[i]);
	is_str(b.p, "[lön] [system] [x] [or] [åäö] [e] [post] [a]",
	       "words are folded, split on punctuation, at most eight");
	buf_release(&b);
	is_str(search_query_text(&fx->a, DB_SQLITE, t, 2), "\"lön\"* \"system\"*",
	       "FTS5: quoted prefix terms, all required");
	is_str(search_query_text(&fx->a, DB_PG, t, 2), "'lön':* & 'system':*",
	       "tsquery: quoted prefix terms, all required");
	{
		const char *odd[] = { "a\"b'c\\" };
		is_str(search_query_text(&fx->a, DB_SQLITE, odd, 1), "\"a\"\"b'c\\\"*",
		       "FTS5 quoting doubles a quote");
		is_str(search_query_text(&fx->a, DB_PG, odd, 1), "'a\"b''c\\\\':*",
		       "tsquery quoting doubles a quote and a backslash");
	}
	memset(longword, 0, sizeof(longword));
	for (size_t i = 0; i + 2 < 150; i += 2)
		memcpy(longword + i, "ö", 2);
	n = search_terms(&fx->a, longword, t, SEARCH_MAX_TERMS);
	ok(n == 1 && strlen(t[0]) == SEARCH_MAX_TERM, "a long word is cut at %d bytes (%zu)",
	   SEARCH_MAX_TERM, n ? strlen(t[0]) : 0);
	is_int(search_terms(&fx->a, "–— “” «» … → ★ 😀", t, SEARCH_MAX_TERMS), 0,
	       "dashes, quotes, ellipses, arrows, symbols and emoji are separators");
	n = search_terms(&fx->a, "löner😀x", t, SEARCH_MAX_TERMS);
	ok(n == 2 && strcmp(t[0], "löner") == 0 && strcmp(t[1], "x") == 0,
	   "an emoji splits words, as FTS5 does");
}

/* The index is written with the records, never by a search. */
TEST(writes_index_searches_only_read)
{
	static const char sql_queued[] = "SELECT count(*) FROM search_queue WHERE $1 = $1";
	static const char sql_behind[] =
		"SELECT (SELECT count(*) FROM it_system) - (SELECT count(*) FROM it_system_fts)"
		" + (SELECT count(*) FROM information_set)"
		" - (SELECT count(*) FROM information_set_fts) + 0 * $1";
	struct db_error err = { 0 };
	struct org_ctx oc = { .id = fx->org_alfa, .slug = "alfa" };
	struct ctx cx;
	int sqlite = db_kind(fx->db) == DB_SQLITE;

	if (sqlite) {
		is_int(fx_scalar(fx, sql_queued, 0), 0,
		       "sqlite: the engine's writes leave nothing queued");
		is_int(fx_scalar(fx, sql_behind, 0), 0, "and every record is in the index");
	}
	/* a write that bypasses the engine (as a migration would) */
	ok(db_exec(fx->db, &fx->a, "UPDATE it_system SET search = search || ' kvastfening'"
		   " WHERE id = $1", DB_ARGS(DB_INT(s_payroll)), NULL, &err) == 0,
	   "a system's text changes behind the engine's back: %s", err.msg);
	if (sqlite) {
		expect("kvastfening", "systems: | information:");
		is_int(fx_scalar(fx, sql_queued, 0), 1, "sqlite: the search left it queued");
		ctx_system(&cx, &fx->a, fx->db, "test", VIA_JOB);
		cx.org = &oc;
		ok(search_catch_up(&cx, &err) == 0, "start-up catches up: %s", err.msg);
		is_int(fx_scalar(fx, sql_queued, 0), 0, "the queue is empty");
	}
	expect("kvastfening", "systems: Lönesystem Heroma | information:");
	ok(db_exec(fx->db, &fx->a, "UPDATE it_system SET search = replace(search,"
		   " ' kvastfening', '') WHERE id = $1", DB_ARGS(DB_INT(s_payroll)), NULL, &err) == 0,
	   "and back");
	if (sqlite)
		ok(search_catch_up(&cx, &err) == 0, "caught up: %s", err.msg);
	expect("kvastfening", "systems: | information:");
}

TEST(sqlite_starts_from_the_index)
{
	struct db_error err = { 0 };
	const char *terms[] = { "löner" };
	struct db_rows r;
	struct buf plan = BUF_INIT;

	if (db_kind(fx->db) != DB_SQLITE) {
		printf("# skipped: SQLite only\n");
		return;
	}
	/* the FTS5 match runs once, then each candidate by its id; the other
	 * way round the match ran once per record of the organisation */
	ok(db_exec(fx->db, &fx->a, arena_printf(&fx->a, "EXPLAIN QUERY PLAN %s",
						search_sql(DB_SQLITE, &sys_systems)),
		   DB_ARGS(DB_INT(fx->org_alfa), DB_TEXT(search_query_text(&fx->a, DB_SQLITE,
									    terms, 1)),
			   DB_INT(51)), &r, &err) == 0, "explain: %s", err.msg);
	for (size_t i = 0; i < r.nrows; i++)
		buf_printf(&plan, "%s\n", db_cell(&r, i, 3));
	ok(plan.p && strncmp(plan.p, "SCAN it_system_fts VIRTUAL TABLE", 32) == 0 &&
	   strstr(plan.p, "SEARCH t USING INTEGER PRIMARY KEY"),
	   "the plan starts from the index");
	if (!plan.p || !strstr(plan.p, "INTEGER PRIMARY KEY"))
		printf("# %s", plan.p ? plan.p : "");
	buf_release(&plan);
}

TEST(searches_at_once_are_bounded)
{
	int slots = fx->app.search_slots;
	struct fx_resp r;

	ok(slots >= 1, "at least one search may run (%d)", slots);
	fx->app.search_slots = 0;
	r = search_as(COORD, "alfa", "löner");
	is_int(r.status, 503, "with every slot taken a search is refused after a short wait");
	has_str(r.body, "Många söker just nu", "saying why");
	has_str(r.body, "name=\"q\"", "with the form to try again");
	r = search_as(COORD, "alfa", " -- ");
	is_int(r.status, 200, "nothing to search for costs nothing and is not refused");
	fx->app.search_slots = slots;
	expect("löner", "systems: Lönesystem Heroma | information: Personalakter");
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
