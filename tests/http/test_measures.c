/* test_measures.c - security measures and the gap analysis through the
 * real router, on the engine chosen by VARN_TEST_DB: loading Värn's
 * catalogue, the measures a system's levels select (new ones after a rise,
 * kept ones after a fall), assessing with the rules of each status,
 * shared assessments inherited, extra requirements of one system, a new
 * catalogue version that marks and never rewrites, bad catalogues refused
 * with a message, the JSON export loaded elsewhere, and the overviews'
 * counts equal to the rows after all of it. */
#include "base/base.h"

#include <jansson.h>

#include "db/db.h"
#include "fixture.h"
#include "modules/measures/measures.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"
#define ADMIN_B "admin@b.se"

static int64_t make_system(const char *name)
{
	return fx_post_id(fx, COORD, "/o/alfa/systems",
		       arena_printf(&fx->a, "name=%s&hosting=joint&lifecycle=operation"
				    "&personal_data=none", fx_enc(fx, name)));
}

static int64_t make_infoset(const char *name)
{
	return fx_post_id(fx, COORD, "/o/alfa/information", arena_printf(&fx->a, "name=%s", fx_enc(fx, name)));
}

static int64_t classify(int64_t inf, int k, int r, int t, int s)
{
	return fx_post_id(fx, COORD, "/o/alfa/classifications",
		       arena_printf(&fx->a, "infoset_id=%lld&level_k=%d&level_r=%d&level_t=%d"
				    "&level_s=%d&decided_on=2026-11-01", (long long)inf, k, r, t, s));
}

static int64_t link_info(int64_t sys, int64_t inf)
{
	return fx_post_id(fx, COORD, "/o/alfa/system-information",
		       arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				    (long long)inf));
}

static int64_t q1(const char *sql, int64_t arg)
{
	return fx_scalar(fx, sql, arg);
}

/* rows of a system that are required now */
static int64_t required_rows(int64_t sys)
{
	return q1("SELECT count(*) FROM measure_assessment WHERE system_id = $1 AND required = 1",
		  sys);
}

/* what the rule says, counted straight from the measures and the levels */
static int64_t expected_rows(int64_t sys)
{
	return q1("SELECT count(*) FROM measure m, it_system s WHERE s.id = $1"
		  " AND m.org_id = s.org_id AND m.archived = 0 AND m.scope = 'system'"
		  " AND ((m.system_id IS NULL AND ("
		  " m.min_k = 0 OR m.min_r = 0 OR m.min_t = 0 OR m.min_s = 0"
		  " OR m.min_k <= s.level_k OR m.min_r <= s.level_r OR m.min_t <= s.level_t"
		  " OR m.min_s <= s.level_s)) OR m.system_id = s.id)", sys);
}

static int64_t row_of(int64_t sys, const char *code)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a,
		    "SELECT a.id FROM measure_assessment a JOIN measure m ON m.id = a.measure_id"
		    " WHERE a.system_id = $1 AND m.code = $2",
		    DB_ARGS(DB_INT(sys), DB_TEXT(code)), &r, &err) != 0 || r.nrows != 1)
		return 0;
	return db_cell_i64(&r, 0, 0);
}

static int64_t measure_id(const char *org_slug, const char *code)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a,
		    "SELECT m.id FROM measure m JOIN organisation o ON o.id = m.org_id"
		    " WHERE o.slug = $1 AND m.code = $2",
		    DB_ARGS(DB_TEXT(org_slug), DB_TEXT(code)), &r, &err) != 0 || r.nrows != 1)
		return 0;
	return db_cell_i64(&r, 0, 0);
}

static const char *cell(const char *sql, int64_t arg)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(fx->db, &fx->a, sql, DB_ARGS(DB_INT(arg)), &r, &err) != 0 || r.nrows != 1)
		return NULL;
	return db_cell(&r, 0, 0);
}

/* A system measure required from K2 and from no level below: the rule's
 * plain case, found in the catalogue rather than named. */
static const char *k2_only_code(void)
{
	return cell("SELECT code FROM measure WHERE org_id = $1 AND scope = 'system'"
		    " AND min_k = 2 AND min_r IS NULL AND min_t IS NULL AND min_s IS NULL"
		    " AND system_id IS NULL ORDER BY code LIMIT 1", fx->org_alfa);
}

static int save_assessment(const char *who, int64_t id, const char *fields)
{
	struct fx_resp r = fx_post(fx, who, arena_printf(&fx->a, "/o/alfa/assessments/%lld",
							 (long long)id),
		arena_printf(&fx->a, "%s&version=%lld", fields,
			     (long long)q1("SELECT version FROM measure_assessment WHERE id = $1",
					   id)));
	return r.status;
}

static const char *assessment_form(int64_t id, const char *rest)
{
	int64_t sys = q1("SELECT coalesce(system_id, 0) FROM measure_assessment WHERE id = $1", id);

	return arena_printf(&fx->a, "measure_id=%lld&system_id=%s&%s",
			    (long long)q1("SELECT measure_id FROM measure_assessment WHERE id = $1",
					  id),
			    sys ? arena_printf(&fx->a, "%lld", (long long)sys) : "", rest);
}

static int64_t sys_a;   /* made before the catalogue */
static int64_t sys_b;   /* classified K3 after it */
static int64_t info_b;

/* covers R-4-01 (Värn's catalogue as the adopted baseline) */
TEST(catalogue_loads_once_and_selects)
{
	struct fx_resp r;

	sys_a = make_system("Diariet");
	ok(sys_a > 0, "a system before any catalogue");
	is_int(q1("SELECT count(*) FROM measure_assessment WHERE org_id = $1", fx->org_alfa), 0,
	       "no catalogue, no assessments");
	r = fx_get(fx, COORD, "/o/alfa/measures/catalogue");
	is_int(r.status, 200, "the catalogue page opens");
	has_str(r.body, "Läs in Värns katalog", "it offers Värn's catalogue");
	has_str(r.body, "208 nya åtgärder", "and says what loading it adds");
	r = fx_post(fx, USER, "/o/alfa/measures/catalogue", "source=builtin");
	is_int(r.status, 403, "a plain user may not load a catalogue");
	is_int(q1("SELECT count(*) FROM measure WHERE org_id = $1", fx->org_alfa), 0,
	       "and nothing was loaded");
	r = fx_post(fx, COORD, "/o/alfa/measures/catalogue", "source=builtin");
	is_int(r.status, 303, "the coordinator loads it");
	is_int(q1("SELECT count(*) FROM measure WHERE org_id = $1 AND archived = 0", fx->org_alfa),
	       208, "208 measures");
	is_int(q1("SELECT is_baseline FROM measure_catalogue WHERE org_id = $1", fx->org_alfa), 1,
	       "Värn's catalogue is recorded as the adopted baseline");
	is_int(q1("SELECT count(*) FROM audit_event WHERE org_id = $1"
		  " AND action = 'catalogue-load'", fx->org_alfa), 1, "one audit event for the load");
	ok(required_rows(sys_a) > 20, "the existing system got its baseline measures");
	is_int(required_rows(sys_a), expected_rows(sys_a),
	       "exactly the measures the rule selects for an unclassified system");
	is_int(q1("SELECT count(*) FROM measure_assessment WHERE system_id = $1"
		  " AND new_required = 1", sys_a), 0, "a first selection is not 'new after a rise'");
	is_int(q1("SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND system_id IS NULL",
		  fx->org_alfa),
	       q1("SELECT count(*) FROM measure WHERE org_id = $1 AND scope = 'organisation'",
		  fx->org_alfa), "the organisation has one row per organisation-wide measure");
	is_int(q1("SELECT count(*) FROM measure_assessment a JOIN measure m ON m.id = a.measure_id"
		  " WHERE a.system_id = $1 AND m.scope = 'organisation'", sys_a), 0,
	       "organisation-wide measures are not repeated per system");
	r = fx_get(fx, COORD, "/o/alfa/measures/catalogue");
	has_str(r.body, "Organisationen har den här versionen inläst",
		"loaded again it says the version is current");
	r = fx_post(fx, COORD, "/o/alfa/measures/catalogue", "source=builtin");
	is_int(r.status, 303, "loading the same version again");
	is_int(q1("SELECT count(*) FROM measure WHERE org_id = $1", fx->org_alfa), 208,
	       "changes nothing");
}

/* covers R-4-02 (the level from which a measure is required) and R-4-04
 * (the gap: what the protection needs require against what is there) */
TEST(a_rise_brings_new_measures_and_a_fall_keeps_them)
{
	const char *code = k2_only_code();
	int64_t before, row, sys_events;

	ok(code != NULL, "the catalogue has a measure required from K2 only");
	sys_b = make_system("Elevregistret");
	info_b = make_infoset("Elevuppgifter");
	before = required_rows(sys_b);
	is_int(before, expected_rows(sys_b), "a new unclassified system: the baseline");
	is_int(row_of(sys_b, code), 0, "no row yet for the K2 measure");
	ok(classify(info_b, 3, 1, 1, 0) > 0 && link_info(sys_b, info_b) > 0,
	   "the system now handles K3 information");
	ok(required_rows(sys_b) > before, "more measures are required");
	is_int(required_rows(sys_b), expected_rows(sys_b), "exactly those the rule selects at K3");
	row = row_of(sys_b, code);
	ok(row > 0, "the K2 measure appeared");
	is_str(cell("SELECT status FROM measure_assessment WHERE id = $1", row), "not_assessed",
	       "as not assessed");
	is_int(q1("SELECT new_required FROM measure_assessment WHERE id = $1", row), 1,
	       "marked new after the rise");
	is_int(q1("SELECT needs_review FROM it_system WHERE id = $1", sys_b), 1,
	       "and the system is marked for review");
	is_int(q1("SELECT n FROM gap_system_stat WHERE system_id = $1 AND stat = 'new'", sys_b),
	       required_rows(sys_b) - before, "the overview counts the new ones");
	{
		struct fx_resp r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/systems/%lld",
								  (long long)sys_b));
		has_str(r.body, "id=\"sp-measures\"", "the system's page shows its measures");
		has_str(r.body, arena_printf(&fx->a, "0 bedömda av %lld åtgärder",
					     (long long)required_rows(sys_b)),
			"how far the assessment has come");
		has_str(r.body, "väntar på bedömning", "that new measures wait after the rise");
		has_str(r.body, arena_printf(&fx->a, "/o/alfa/gap/systems/%lld", (long long)sys_b),
			"and links to the assessment");
	}
	sys_events = q1("SELECT count(*) FROM audit_event WHERE action = 'gap-sync'"
			" AND entity_id = $1", sys_b);
	ok(sys_events >= 1, "the change of required measures is audited");
	is_int(save_assessment(COORD, row, assessment_form(row, "status=met&how=Kryptering")), 303,
	       "the new measure is assessed");
	is_int(q1("SELECT new_required FROM measure_assessment WHERE id = $1", row), 0,
	       "and is no longer new");
	/* the fall: the information leaves the system */
	ok(fx_post_id(fx, COORD, arena_printf(&fx->a, "/o/alfa/system-information/%lld/archive",
				       (long long)q1("SELECT id FROM system_information"
						     " WHERE system_id = $1", sys_b)),
		   arena_printf(&fx->a, "version=%lld",
				(long long)q1("SELECT version FROM system_information"
					      " WHERE system_id = $1", sys_b))) >= 0,
	   "the information set is unlinked");
	is_int(required_rows(sys_b), before, "back to the baseline");
	is_int(q1("SELECT required FROM measure_assessment WHERE id = $1", row), 0,
	       "the K2 measure is no longer required");
	is_str(cell("SELECT status FROM measure_assessment WHERE id = $1", row), "met",
	       "but kept with its assessment");
	is_str(cell("SELECT how FROM measure_assessment WHERE id = $1", row), "Kryptering",
	       "word for word");
	ok(link_info(sys_b, info_b) > 0, "linked again");
	is_int(q1("SELECT required FROM measure_assessment WHERE id = $1", row), 1,
	       "required again");
	is_int(q1("SELECT new_required FROM measure_assessment WHERE id = $1", row), 0,
	       "and not new: it is assessed already");
}

/* covers R-4-03 (each status, evidence, the supplier's word unverified) */
TEST(assessing_follows_the_rules_of_each_status)
{
	int64_t row = q1("SELECT min(id) FROM measure_assessment WHERE system_id = $1"
			 " AND status = 'not_assessed'", sys_a);
	int64_t coord = q1("SELECT id FROM person WHERE email = 'samordnare@a.se'"
			   " AND org_id = $1", fx->org_alfa);
	struct fx_resp r;
	int64_t version = q1("SELECT version FROM measure_assessment WHERE id = $1", row);

	ok(row > 0, "an unassessed measure of the first system");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)row),
		    arena_printf(&fx->a, "%s&version=%lld",
				 assessment_form(row, "status=not_applicable"), (long long)version));
	is_int(r.status, 422, "not applicable without a justification is refused");
	has_str(r.body, "Motivera varför åtgärden inte är tillämplig", "with the reason in Swedish");
	is_str(cell("SELECT status FROM measure_assessment WHERE id = $1", row), "not_assessed",
	       "and nothing was written");
	is_int(save_assessment(COORD, row,
			       assessment_form(row, "status=not_applicable&motivation=Ingen+e-post")),
	       303, "with a justification it is saved");
	is_int(q1("SELECT assessed_by FROM measure_assessment WHERE id = $1", row), coord,
	       "who assessed it");
	ok(cell("SELECT assessed_on FROM measure_assessment WHERE id = $1", row) != NULL,
	   "and when");
	is_int(save_assessment(COORD, row,
			       assessment_form(row, "status=supplier&evidence=Avtal+2024-117")),
	       303, "relied on the supplier, not verified");
	is_str(cell("SELECT effective_status FROM measure_assessment WHERE id = $1", row),
	       "supplier", "is a status of its own");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)row),
		    arena_printf(&fx->a, "%s&version=%lld",
				 assessment_form(row, "status=met"), (long long)version));
	ok(r.status == 409 || (r.status == 303 && r.location && strstr(r.location, "conflict")),
	   "an edit made from an old version is a conflict, not an overwrite");
	is_str(cell("SELECT status FROM measure_assessment WHERE id = $1", row), "supplier",
	       "the newer assessment stands");
	r = fx_post(fx, USER, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)row),
		    assessment_form(row, "status=met&version=1"));
	ok(r.status == 403 || r.status == 404, "a plain user may not assess");
	r = fx_get(fx, ADMIN_B, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)row));
	is_int(r.status, 404, "another organisation does not see it");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)row),
		    arena_printf(&fx->a, "measure_id=%lld&system_id=&status=met&version=%lld",
				 (long long)q1("SELECT measure_id FROM measure_assessment"
					       " WHERE id = $1", row),
				 (long long)q1("SELECT version FROM measure_assessment"
					       " WHERE id = $1", row)));
	is_int(r.status, 422, "an assessment cannot be moved to another holder");
	has_str(r.body, "alltid samma åtgärd och samma system", "saying why");
	is_int(q1("SELECT system_id FROM measure_assessment WHERE id = $1", row), sys_a,
	       "it stays the system's");
	r = fx_post(fx, COORD, "/o/alfa/assessments",
		    arena_printf(&fx->a, "measure_id=%s&system_id=%lld&status=met",
				 cell("SELECT measure_id FROM measure_assessment WHERE id = $1", row),
				 (long long)sys_a));
	is_int(r.status, 422, "a second assessment of the same measure and system is refused");
	has_str(r.body, "redan bedömd för systemet", "saying where the first one is");
}

/* covers R-4-03 (shared measures assessed once) and R-13-14's pattern of
 * a source shown with the status */
TEST(a_shared_assessment_is_inherited)
{
	const char *code = cell("SELECT m.code FROM measure_assessment a JOIN measure m"
				" ON m.id = a.measure_id WHERE a.system_id = $1"
				" AND a.status = 'not_assessed' ORDER BY m.code LIMIT 1", sys_a);
	int64_t mid = measure_id("alfa", code), shared, row_a = row_of(sys_a, code);
	struct fx_resp r;

	ok(mid > 0 && row_a > 0, "a system measure to share");
	r = fx_post(fx, USER, "/o/alfa/assessments",
		    arena_printf(&fx->a, "measure_id=%lld&status=met", (long long)mid));
	ok(r.status == 403 || r.status == 404, "a plain user may not make the shared assessment");
	is_int(save_assessment(COORD, row_a, assessment_form(row_a, "status=met&inherit=1")), 422,
	       "nothing to inherit before it exists");
	shared = fx_post_id(fx, COORD, "/o/alfa/assessments",
			 arena_printf(&fx->a, "measure_id=%lld&status=partly&how=%s",
				      (long long)mid, fx_enc(fx, "IT-enheten gör det för alla")));
	ok(shared > 0, "the IT unit's shared assessment");
	is_int(save_assessment(COORD, row_a, assessment_form(row_a, "status=not_assessed&inherit=1")),
	       303, "the system inherits it");
	is_str(cell("SELECT effective_status FROM measure_assessment WHERE id = $1", row_a),
	       "partly", "the status in effect is the shared one");
	is_int(save_assessment(COORD, shared,
			       arena_printf(&fx->a, "measure_id=%lld&system_id=&status=met",
					    (long long)mid)), 303, "the shared assessment improves");
	is_str(cell("SELECT effective_status FROM measure_assessment WHERE id = $1", row_a), "met",
	       "and the system follows");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/assessments/%lld", (long long)row_a));
	is_int(r.status, 200, "the inheriting assessment's page");
}

/* covers R-4-05 (the owner's extra requirements, assessed like the rest) */
TEST(an_extra_requirement_binds_one_system)
{
	int64_t m = fx_post_id(fx, COORD, "/o/alfa/measures",
			    arena_printf(&fx->a, "code=EXTRA-1&title=%s&area=access&mtype=technical"
					 "&scope=system&system_id=%lld",
					 fx_enc(fx, "Tvåfaktorsinloggning för alla elevkonton"),
					 (long long)sys_b));
	struct fx_resp r;

	ok(m > 0, "an extra requirement of one system");
	is_int(q1("SELECT count(*) FROM measure_assessment WHERE measure_id = $1 AND required = 1",
		  m), 1, "it binds that system alone");
	ok(row_of(sys_b, "EXTRA-1") > 0, "as a row of its assessment");
	is_int(row_of(sys_a, "EXTRA-1"), 0, "not the other system");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/measures/%lld", (long long)m),
		    arena_printf(&fx->a, "code=EXTRA-1&title=%s&area=access&mtype=technical"
				 "&scope=system&system_id=%lld&version=%lld",
				 fx_enc(fx, "Tvåfaktorsinloggning för alla elevkonton"), (long long)sys_a,
				 (long long)q1("SELECT version FROM measure WHERE id = $1", m)));
	is_int(r.status, 303, "the extra requirement is moved to the other system");
	is_int(q1("SELECT required FROM measure_assessment WHERE id = $1", row_of(sys_b, "EXTRA-1")),
	       0, "the first system no longer needs it");
	ok(row_of(sys_a, "EXTRA-1") > 0 &&
	   q1("SELECT required FROM measure_assessment WHERE id = $1", row_of(sys_a, "EXTRA-1")) == 1,
	   "the other one does");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/measures/%lld", (long long)m),
		    arena_printf(&fx->a, "code=EXTRA-1&title=%s&area=access&mtype=technical"
				 "&scope=system&system_id=%lld&version=%lld",
				 fx_enc(fx, "Tvåfaktorsinloggning för alla elevkonton"), (long long)sys_b,
				 (long long)q1("SELECT version FROM measure WHERE id = $1", m)));
	is_int(q1("SELECT required FROM measure_assessment WHERE id = $1", row_of(sys_b, "EXTRA-1")),
	       1, "and back");
	r = fx_post(fx, COORD, "/o/alfa/measures",
		    "code=EXTRA-2&title=Utan+niv%C3%A5&area=access&mtype=technical&scope=system");
	is_int(r.status, 422, "an own measure needs a level or a system");
	has_str(r.body, "från vilken nivå", "and says so");
	r = fx_post(fx, COORD,
		    arena_printf(&fx->a, "/o/alfa/measures/%lld", (long long)measure_id("alfa",
											k2_only_code())),
		    "code=X&title=Y&area=access&mtype=technical&scope=system&min_k=1&version=1");
	ok(r.status == 403 || r.status == 404, "a catalogue measure is not edited by hand");
}

/* A catalogue made from Värn's: one measure's levels changed, one's text,
 * one removed, one added. */
static const char *next_version(const char *changed_levels, const char *changed_text,
				const char *removed)
{
	size_t len;
	const char *text = catalogue_builtin(&len);
	json_t *root = json_loadb(text, len, 0, NULL), *ms = json_object_get(root, "measures");
	json_t *m, *add;
	size_t i;
	char *out;
	const char *res;

	json_object_set_new(root, "version", json_string("2027.1"));
	json_array_foreach(ms, i, m) {
		const char *c = json_string_value(json_object_get(m, "code"));
		if (strcmp(c, changed_levels) == 0)
			json_object_set_new(m, "levels", json_pack("{s:i}", "k", 1));
		if (strcmp(c, changed_text) == 0)
			json_object_set_new(m, "title_sv", json_string("Ny lydelse av åtgärden"));
	}
	json_array_foreach(ms, i, m)
		if (strcmp(json_string_value(json_object_get(m, "code")), removed) == 0)
			break;
	json_array_remove(ms, i);
	add = json_pack("{s:s,s:s,s:s,s:s,s:{s:i},s:s}", "code", "NYA-01", "area", "crypto",
			"type", "technical", "scope", "system", "levels", "k", 0, "title_sv",
			"Ny åtgärd i version 2027.1");
	json_array_append_new(ms, add);
	out = json_dumps(root, JSON_COMPACT);
	res = arena_strdup(&fx->a, out);
	free(out);
	json_decref(root);
	return res;
}

/* covers R-4-01 and R-10-54's habit: a framework is data that changes by
 * version, never silently */
TEST(a_new_version_marks_and_never_rewrites)
{
	const char *k2 = k2_only_code();
	int64_t row_k2 = row_of(sys_b, k2);
	const char *text_code = cell("SELECT m.code FROM measure_assessment a JOIN measure m"
				     " ON m.id = a.measure_id WHERE a.system_id = $1"
				     " AND a.status = 'supplier' LIMIT 1", sys_a);
	const char *gone = cell("SELECT m.code FROM measure_assessment a JOIN measure m"
				" ON m.id = a.measure_id WHERE a.system_id = $1"
				" AND a.status = 'not_applicable' LIMIT 1", sys_a);
	const char *json;
	struct fx_resp r;
	int64_t row_text, before_a;

	if (!gone)
		gone = cell("SELECT code FROM measure WHERE org_id = $1 AND scope = 'organisation'"
			    " ORDER BY code DESC LIMIT 1", fx->org_alfa);
	ok(row_k2 > 0 && text_code && gone, "measures to change and remove");
	row_text = row_of(sys_a, text_code);
	json = next_version(k2, text_code, gone);
	r = fx_post(fx, COORD, "/o/alfa/measures/catalogue",
		    arena_printf(&fx->a, "source=imported&json=%s", fx_enc(fx, json)));
	is_int(r.status, 200, "a new version is first shown");
	has_str(r.body, "1 nya åtgärder", "with what it adds");
	has_str(r.body, "2 ändrade åtgärder", "what it changes");
	has_str(r.body, "1 åtgärder tas bort", "and what it removes");
	has_str(r.body, "nivåer", "naming what changed in a measure");
	is_int(q1("SELECT count(*) FROM measure WHERE org_id = $1 AND code = 'NYA-01'",
		  fx->org_alfa), 0, "the preview wrote nothing");
	before_a = required_rows(sys_a);
	r = fx_post(fx, COORD, "/o/alfa/measures/catalogue",
		    arena_printf(&fx->a, "source=imported&confirm=1&json=%s", fx_enc(fx, json)));
	is_int(r.status, 303, "confirmed, it is loaded");
	is_str(cell("SELECT cat_version FROM measure_catalogue WHERE org_id = $1", fx->org_alfa),
	       "2027.1", "the organisation has the new version");
	is_str(cell("SELECT status FROM measure_assessment WHERE id = $1", row_text), "supplier",
	       "an assessment of a changed measure is not rewritten");
	is_int(q1("SELECT measure_changed FROM measure_assessment WHERE id = $1", row_text), 1,
	       "but marked: the measure changed since it was assessed");
	is_str(cell("SELECT status FROM measure_assessment WHERE id = $1", row_k2), "met",
	       "the K2 measure (now K1) keeps its assessment");
	is_int(q1("SELECT archived FROM measure WHERE org_id = $1 AND code = 'NYA-01'",
		  fx->org_alfa), 0, "the new measure is there");
	ok(row_of(sys_a, "NYA-01") > 0 && row_of(sys_b, "NYA-01") > 0,
	   "and every system got it (required from K0)");
	is_int(required_rows(sys_a), expected_rows(sys_a), "the first system: exactly the rule");
	is_int(required_rows(sys_b), expected_rows(sys_b), "the second: exactly the rule");
	is_int(q1("SELECT archived FROM measure WHERE id = $1", measure_id("alfa", gone)), 1,
	       "the removed measure is archived, not deleted");
	is_int(q1("SELECT count(*) FROM measure_assessment WHERE measure_id = $1",
		  measure_id("alfa", gone)) > 0, 1, "its assessments are kept");
	is_int(q1("SELECT count(*) FROM measure_assessment WHERE measure_id = $1 AND required = 1",
		  measure_id("alfa", gone)), 0, "and no longer required");
	ok(before_a != 0, "the first system still has its measures");
}

TEST(a_bad_catalogue_is_refused_with_a_reason)
{
	static const struct { const char *json, *says; } bad[] = {
		{ "{\"catalogue\": ", "inte giltig JSON" },
		{ "[1, 2]", "inte en katalog" },
		{ "{\"catalogue\":\"x\",\"version\":\"1\",\"title_sv\":\"X\",\"measures\":[]}",
		  "saknar något av" },
		{ "{\"catalogue\":\"x\",\"version\":\"1\",\"title_sv\":\"X\",\"measures\":[{\"code\":"
		  "\"A-1\",\"area\":\"nowhere\",\"type\":\"technical\",\"scope\":\"system\","
		  "\"levels\":{\"k\":1},\"title_sv\":\"A\"}]}", "okänt område" },
		{ "{\"catalogue\":\"x\",\"version\":\"1\",\"title_sv\":\"X\",\"measures\":[{\"code\":"
		  "\"A-1\",\"area\":\"access\",\"type\":\"technical\",\"scope\":\"system\","
		  "\"levels\":{\"k\":7},\"title_sv\":\"A\"}]}", "ska vara 0–3" },
		{ "{\"catalogue\":\"x\",\"version\":\"1\",\"title_sv\":\"X\",\"measures\":[{\"code\":"
		  "\"EXTRA-1\",\"area\":\"access\",\"type\":\"technical\",\"scope\":\"system\","
		  "\"levels\":{\"k\":1},\"title_sv\":\"A\"}]}", "används redan" },
	};
	int64_t measures = q1("SELECT count(*) FROM measure WHERE org_id = $1", fx->org_alfa);

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct fx_resp r = fx_post(fx, COORD, "/o/alfa/measures/catalogue",
					   arena_printf(&fx->a, "source=imported&confirm=%d&json=%s",
							(int)(i % 2), fx_enc(fx, bad[i].json)));
		is_int(r.status, 422, arena_printf(&fx->a, "bad catalogue %zu is refused", i));
		has_str(r.body, bad[i].says, arena_printf(&fx->a, "saying \"%s\"", bad[i].says));
	}
	is_int(q1("SELECT count(*) FROM measure WHERE org_id = $1", fx->org_alfa), measures,
	       "and nothing was written");
}

TEST(the_export_loads_elsewhere)
{
	int64_t cat = q1("SELECT id FROM measure_catalogue WHERE org_id = $1", fx->org_alfa);
	struct fx_resp r = fx_get(fx, COORD, arena_printf(&fx->a,
		"/o/alfa/measures/catalogue/%lld/export.json", (long long)cat));
	json_t *root;

	is_int(r.status, 200, "the catalogue exports as JSON");
	root = json_loads(r.body ? r.body : "", 0, NULL);
	ok(root != NULL, "that parses");
	is_int(json_array_size(json_object_get(root, "measures")), 208,
	       "the live measures of the new version (one out, one in)");
	json_decref(root);
	is_int(fx_get(fx, ADMIN_B, arena_printf(&fx->a,
		"/o/beta/measures/catalogue/%lld/export.json", (long long)cat)).status, 404,
	       "another organisation cannot export it by its id");
	r = fx_post(fx, ADMIN_B, "/o/beta/measures/catalogue",
		    arena_printf(&fx->a, "source=imported&confirm=1&json=%s", fx_enc(fx, r.body)));
	is_int(r.status, 303, "loaded in the other organisation");
	is_int(q1("SELECT count(*) FROM measure WHERE org_id = $1", fx->org_beta), 208,
	       "with all its measures");
	r = fx_get(fx, COORD, "/o/alfa/measures/catalogue/own.json");
	is_int(r.status, 200, "the own measures export");
	has_str(r.body, "EXTRA-1", "with the extra requirement");
	lacks_str(r.body, "NYA-01", "and none of the catalogue's");
}

/* The overviews' counts (triggers) against the rows, after all the above. */
TEST(the_counts_match_the_rows)
{
	static const char *const pairs[][2] = {
		{ "SELECT coalesce(sum(n), 0) FROM gap_system_stat WHERE org_id = $1"
		  " AND stat NOT IN ('new', 'changed')",
		  "SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND required = 1"
		  " AND archived = 0" },
		{ "SELECT coalesce(sum(n), 0) FROM gap_system_stat WHERE org_id = $1 AND stat = 'new'",
		  "SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND required = 1"
		  " AND archived = 0 AND new_required = 1" },
		{ "SELECT coalesce(sum(n), 0) FROM gap_system_stat WHERE org_id = $1"
		  " AND stat = 'changed'",
		  "SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND required = 1"
		  " AND archived = 0 AND measure_changed = 1" },
		{ "SELECT coalesce(sum(n), 0) FROM gap_area_stat WHERE org_id = $1 AND stat = 'met'",
		  "SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND required = 1"
		  " AND archived = 0 AND effective_status = 'met'" },
		/* covers issue 14: the organisation's sums (0031) */
		{ "SELECT coalesce(sum(n), 0) FROM gap_org_area_stat WHERE org_id = $1 AND stat = 'met'",
		  "SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND required = 1"
		  " AND archived = 0 AND effective_status = 'met'" },
		{ "SELECT coalesce(sum(n), 0) FROM gap_org_area_stat WHERE org_id = $1",
		  "SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND required = 1"
		  " AND archived = 0" },
		{ "SELECT count(*) FROM (SELECT area, stat, sum(n) AS n FROM gap_area_stat"
		  " WHERE org_id = $1 GROUP BY area, stat) a JOIN gap_org_area_stat o"
		  " ON o.org_id = $1 AND o.area = a.area AND o.stat = a.stat AND o.n <> a.n",
		  "SELECT 0 WHERE $1 > 0" },
		{ "SELECT coalesce(sum(n), 0) FROM gap_measure_stat WHERE org_id = $1"
		  " AND stat = 'not_assessed'",
		  "SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND required = 1"
		  " AND archived = 0 AND effective_status = 'not_assessed'" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(pairs); i++)
		is_int(q1(pairs[i][0], fx->org_alfa), q1(pairs[i][1], fx->org_alfa),
		       arena_printf(&fx->a, "summary %zu equals the rows", i));
	ok(q1("SELECT count(*) FROM measure_assessment WHERE org_id = $1 AND required = 1",
	      fx->org_alfa) > 50, "over a real number of rows");
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
