/* test_classify.c - the guided classification through the real router on
 * the engine chosen by VARN_TEST_DB: the questions with the scale's names,
 * the proposal (the highest answer per aspect), a changed level that needs a
 * motivation, saving (levels of the information set, re-derived systems),
 * the scale stored with each classification and the scale's own rules, the
 * review list, and who may do what. */
#include "base/base.h"

#include "base/clock.h"
#include "parse/form.h"
#include "core/i18n.h"
#include "fixture.h"
#include "tap.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"
#define ADMIN_B "admin@b.se"

/* 2026-06-15 12:00 in Stockholm: every test runs at a fixed time */
#define T0 INT64_C(1781517600)
#define DAY INT64_C(86400)

/* K: operations 1, privacy 3; R: finances 2; T: operations 0, life 1;
 * S: legal 2.  Proposal K3 R2 T1 S2. */
#define ANSWERS "a_k_operations=1&a_k_privacy=3&a_r_finances=2&a_t_operations=0" \
	"&a_t_life_health=1&a_s_legal=2"
#define PROPOSED "&proposed_k=3&proposed_r=2&proposed_t=1&proposed_s=2"

static const char *sv(int msg)
{
	return msg_text(LANG_SV, msg);
}

static int64_t make_infoset(const char *org, const char *name, const char *more)
{
	return fx_post_id(fx, COORD, arena_printf(&fx->a, "/o/%s/information", org),
		       arena_printf(&fx->a, "name=%s%s", fx_enc(fx, name), more));
}

static const char *classify_path(const char *org, int64_t id)
{
	return arena_printf(&fx->a, "/o/%s/information/%lld/classify", org, (long long)id);
}

static struct fx_resp save(const char *org, int64_t id, const char *form)
{
	return fx_post(fx, COORD, classify_path(org, id),
		       arena_printf(&fx->a, "%s&step=4&go=save", form));
}

TEST(guided_page_shows_questions_with_klassa_names)
{
	int64_t id = make_infoset("alfa", "Elevakter",
				  "&personal_data=1&secrecy=1&secrecy_ref=23%20kap.%202%20%C2%A7%20OSL");
	struct fx_resp r = fx_get(fx, COORD, classify_path("alfa", id));

	is_int(r.status, 200, "the guided page answers");
	has_str(r.body, "Klassa: Elevakter", "titled after the information set");
	has_str(r.body, "0 Försumbar", "KLASSA's level 0");
	has_str(r.body, "1 Måttlig", "level 1");
	has_str(r.body, "2 Betydande", "level 2");
	has_str(r.body, "3 Allvarlig", "level 3");
	has_str(r.body, "4 Synnerligen allvarlig", "level 4");
	has_str(r.body, sv(M_Q_K_OPERATIONS), "the question on operations if disclosed");
	lacks_str(r.body, sv(M_Q_T_LIFE), "one aspect per step: not availability's questions");
	has_str(r.body, "Steg 1 av 5: Konfidentialitet", "the first step names itself");
	has_str(r.body, "<fieldset class=\"question\" id=\"f-a_k_operations\"><legend>",
		"each question is a fieldset with a legend");
	has_str(r.body, "type=\"radio\" id=\"a_k_privacy-4\" name=\"a_k_privacy\" value=\"4\"",
		"answered with radio buttons");
	has_str(r.body, "Nästa: Riktighet", "a button to the next step");
	lacks_str(r.body, "Spara klassning", "no saving before a proposal");
	has_str(r.body, "Sekretess (23 kap. 2 § OSL)", "the legal flags for reference");
	has_str(r.body, "name=\"csrf\"", "the form carries the CSRF token");

	r = fx_post(fx, COORD, classify_path("alfa", id), ANSWERS "&step=4&go=save");
	is_int(r.status, 200, "saving without having seen a proposal shows the proposal first");
	has_str(r.body, sv(M_CLS_PROPOSAL_CHANGED), "saying why");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1", id), 0,
	       "and saves nothing");
}

TEST(proposal_is_the_highest_answer_per_aspect)
{
	int64_t id = make_infoset("alfa", "Löneuppgifter", "");
	struct fx_resp r = fx_post(fx, COORD, classify_path("alfa", id), ANSWERS "&step=3&go=next");

	is_int(r.status, 200, "a proposal");
	has_str(r.body, "name=\"proposed_k\" value=\"3\"", "K: the highest of 1 and 3");
	has_str(r.body, "name=\"proposed_r\" value=\"2\"", "R: the only answer");
	has_str(r.body, "name=\"proposed_t\" value=\"1\"", "T: the highest of 0 and 1");
	has_str(r.body, "name=\"proposed_s\" value=\"2\"", "S");
	has_str(r.body, "<abbr title=\"Konfidentialitet\">K</abbr>3 Allvarlig</span>",
		"named with the scale, as a chip with text");
	has_str(r.body, "name=\"level_k\" value=\"3\" checked", "the chosen level defaults to the proposal");
	has_str(r.body, "name=\"a_k_privacy\" value=\"3\">", "the answers stay (hidden)");
	has_str(r.body, "Spara klassning", "now it can be saved");
	has_str(r.body, "id=\"f-reason_k\"", "with a motivation per aspect");
	lacks_str(r.body, "name=\"a_k_trust\"", "an unanswered question is not carried");
	has_str(r.body, "name=\"decided_on\" value=\"2026-06-15\"", "the decision date offered is today");
	lacks_str(r.body, sv(M_CLS_WARN_OUTSIDE), "no level-4 warning");

	r = fx_post(fx, COORD, classify_path("alfa", id),
		    "a_k_operations=2&a_r_trust=1&step=3&go=next");
	is_int(r.status, 422, "an aspect without any answer is refused");
	has_str(r.body, sv(M_V_WZ_ANSWER_OR_NA), "with a message");
	has_str(r.body, "href=\"#f-q-t\"", "linked from the summary to the aspect");
	has_str(r.body, "name=\"a_k_operations\" value=\"2\">", "keeping the answers");

	/* a level the person changed survives a new proposal; one that
	 * followed the proposal follows the new one */
	r = fx_post(fx, COORD, classify_path("alfa", id),
		    "a_k_operations=1&a_r_finances=2&a_t_operations=0&a_s_legal=2"
		    PROPOSED "&level_k=3&level_r=4&reason_r=Aggregering&step=3&go=next");
	has_str(r.body, "name=\"level_k\" value=\"1\" checked", "K follows the new proposal");
	has_str(r.body, "name=\"level_r\" value=\"4\" checked", "R keeps the changed level");
	has_str(r.body, ">Aggregering</textarea>", "and its motivation");
	has_str(r.body, sv(M_CLS_WARN_OUTSIDE), "level 4 chosen: outside the baseline");
}

TEST(changed_level_needs_motivation_and_keeps_input)
{
	int64_t id = make_infoset("alfa", "Bygglovsärenden", "");
	struct fx_resp r = save("alfa", id, ANSWERS PROPOSED
				"&level_k=2&level_r=2&level_t=1&level_s=2"
				"&participants=Anna%20och%20Bo&decision=Beslutat%20i%20ledningsgruppen");

	is_int(r.status, 422, "a lower level without a motivation is refused");
	has_str(r.body, sv(M_V_CLS_REASON_NEEDED), "with the message");
	has_str(r.body, "id=\"f-reason_k-error\"", "beside the field");
	has_str(r.body, "aria-invalid=\"true\"", "marked invalid");
	has_str(r.body, "name=\"level_k\" value=\"2\" checked", "the chosen level is kept");
	has_str(r.body, "value=\"Anna och Bo\"", "the participants are kept");
	has_str(r.body, ">Beslutat i ledningsgruppen</textarea>", "the decision is kept");
	has_str(r.body, "name=\"a_k_privacy\" value=\"3\">", "the answers are kept");
	lacks_str(r.body, "id=\"f-reason_r-error\"", "aspects at the proposal need none");

	r = save("alfa", id, ANSWERS PROPOSED "&level_k=2&level_r=2&level_t=1&level_s=2"
		 "&reason_k=%20%20");
	is_int(r.status, 422, "spaces are no motivation");

	r = save("alfa", id, ANSWERS PROPOSED "&level_k=2&level_r=2&level_t=1&level_s=2"
		 "&reason_k=Uppgifterna%20finns%20redan%20publicerade&decided_on=2026-13-01");
	is_int(r.status, 422, "a bad decision date is refused");
	has_str(r.body, sv(M_V_BAD_DATE), "with the engine's message");
	has_str(r.body, ">Uppgifterna finns redan publicerade</textarea>", "keeping the motivation");
	r = save("alfa", id, ANSWERS PROPOSED "&level_k=3&level_r=2&level_t=1&level_s=2"
		 "&decided_on=2026-06-15&review_on=2026-01-01");
	is_int(r.status, 422, "a review date before the decision is refused");
	has_str(r.body, sv(M_V_REVIEW_AFTER_DECISION), "by the classification's own rule");
	has_str(r.body, "value=\"2026-01-01\"", "keeping the date typed");
	r = fx_post(fx, COORD, classify_path("alfa", id),
		    "a_k_operations=&a_k_privacy=&a_r_finances=2&a_t_operations=0&a_s_legal=2"
		    "&step=3&go=next");
	is_int(r.status, 422, "\"not applicable\" takes answers back");
	has_str(r.body, "href=\"#f-q-k\"", "K has none left");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1", id), 0,
	       "nothing was saved");
}

TEST(saving_sets_levels_and_rederives_systems)
{
	int64_t id = make_infoset("alfa", "Elevhälsans journaler", "&personal_data=1&sensitive_data=1");
	int64_t sys = fx_post_id(fx, COORD, "/o/alfa/systems",
			      "name=Elevhälsosystemet&hosting=own&lifecycle=operation&personal_data=none");
	int64_t cls;
	struct fx_resp r;

	ok(sys > 0, "a system");
	ok(fx_post_id(fx, COORD, "/o/alfa/system-information",
		   arena_printf(&fx->a, "system_id=%lld&infoset_id=%lld", (long long)sys,
				(long long)id)) > 0, "linked to the information");
	is_int(fx_scalar(fx, "SELECT level_k FROM it_system WHERE id = $1", sys), 0,
	       "the system starts at 0");

	r = save("alfa", id, ANSWERS PROPOSED "&level_k=3&level_r=3&level_t=1&level_s=2"
		 "&reason_r=Felaktiga%20uppgifter%20kan%20leda%20till%20fel%20behandling"
		 "&participants=Skolsk%C3%B6terska%20och%20rektor");
	is_int(r.status, 303, "saved");
	is_str(r.location, arena_printf(&fx->a, "/o/alfa/information/%lld?saved=1", (long long)id),
	       "back to the information set");
	cls = fx_scalar(fx, "SELECT max(id) FROM classification WHERE infoset_id = $1", id);
	ok(cls > 0, "one classification");
	is_int(fx_scalar(fx, "SELECT level_r FROM classification WHERE id = $1", cls), 3,
	       "with the chosen (raised) level");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE id = $1"
			 " AND decided_on = '2026-06-15' AND review_on = '2027-06-15'", cls), 1,
	       "decided today in Stockholm, reviewed in a year");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE id = $1 AND answers_json"
			 " LIKE '%\"privacy\":3%' AND answers_json LIKE '%\"proposed\":{\"k\":3%'",
			 cls), 1, "the answers and the proposal are kept as JSON");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE id = $1"
			 " AND scale_json LIKE '%Synnerligen allvarlig%'", cls), 1,
	       "with the scale used");
	is_int(fx_scalar(fx, "SELECT level_k FROM information_set WHERE id = $1", id), 3,
	       "the information set's K");
	is_int(fx_scalar(fx, "SELECT level_r FROM information_set WHERE id = $1", id), 3,
	       "and R");
	is_int(fx_scalar(fx, "SELECT level_k FROM it_system WHERE id = $1", sys), 3,
	       "the linked system is re-derived: K");
	is_int(fx_scalar(fx, "SELECT business_critical FROM it_system WHERE id = $1", sys), 1,
	       "and is business-critical (R 3)");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE entity = 'classifications'"
			 " AND action = 'create' AND entity_id = $1", cls), 1,
	       "the classification is in the audit trail");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE entity = 'systems'"
			 " AND action = 'derive' AND entity_id = $1", sys), 1,
	       "and so is the derivation");

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/information/%lld?saved=1", (long long)id));
	is_int(r.status, 200, "the information set's page");
	has_str(r.body, sv(M_CLS_CURRENT), "shows the current classification");
	has_str(r.body, "3 Allvarlig", "with the scale's names");
	has_str(r.body, "2027-06-15", "the review date");
	lacks_str(r.body, sv(M_CLS_OVERDUE), "not overdue");
	has_str(r.body, sv(M_CLS_HISTORY), "the history");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/classifications/%lld\"", (long long)cls),
		"links the classification");
	has_str(r.body, "Skolsköterska och rektor", "with its participants");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/systems/%lld\">Elevhälsosystemet</a>",
				     (long long)sys), "the system handling it");
	has_str(r.body, "K3 R3 T1 S2", "with its profile");
	has_str(r.body, "Känsliga personuppgifter", "the legal flags");
	has_str(r.body, classify_path("alfa", id), "and the way to classify again");

	/* a second classification is the current one; the first stays */
	r = save("alfa", id, "a_k_operations=4&a_r_finances=1&a_t_operations=1&a_s_legal=1"
		 "&proposed_k=4&proposed_r=1&proposed_t=1&proposed_s=1"
		 "&level_k=4&level_r=1&level_t=1&level_s=1");
	is_int(r.status, 303, "level 4 can still be saved");
	is_int(fx_scalar(fx, "SELECT level_k FROM it_system WHERE id = $1", sys), 4,
	       "the system follows");
	is_int(fx_scalar(fx, "SELECT business_critical FROM it_system WHERE id = $1", sys), 0,
	       "and is no longer business-critical");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/information/%lld", (long long)id));
	has_str(r.body, sv(M_CLS_OUTSIDE_NOTE), "level 4 is flagged on the page");
	{
		/* a column per aspect: K, R, T, S */
		/* levels are chips with their letter (web/parts.c part_level) */
		const char *newest = strstr(r.body, ">K4</span></td><td><span class=\"level l1\" title=\"Nivå 1\">R1</span></td><td><span class=\"level l1\" title=\"Nivå 1\">T1</span></td><td><span class=\"level l1\" title=\"Nivå 1\">S1<");
		const char *older = strstr(r.body, ">K3</span></td><td><span class=\"level l3\" title=\"Nivå 3\">R3</span></td><td><span class=\"level l1\" title=\"Nivå 1\">T1</span></td><td><span class=\"level l2\" title=\"Nivå 2\">S2<");
		ok(newest && older && newest < older, "history newest first");
	}
}

TEST(review_list)
{
	int64_t never = make_infoset("alfa", "Aldrig klassad mängd", "");
	int64_t old, fresh;
	struct fx_resp r;

	/* classified 400 days ago: its review date has passed */
	clock_set(T0 - 400 * DAY);
	old = make_infoset("alfa", "Gammal mängd", "");
	r = save("alfa", old, ANSWERS PROPOSED "&level_k=3&level_r=2&level_t=1&level_s=2");
	is_int(r.status, 303, "classified in the past");
	clock_set(T0);
	fresh = make_infoset("alfa", "Färsk mängd", "");
	r = save("alfa", fresh, ANSWERS PROPOSED "&level_k=3&level_r=2&level_t=1&level_s=2");
	is_int(r.status, 303, "and one today");

	r = fx_get(fx, COORD, "/o/alfa/information-review");
	is_int(r.status, 200, "the review list");
	has_str(r.body, "Aldrig klassad mängd", "lists a set never classified");
	has_str(r.body, sv(M_CLS_NEVER), "saying so");
	has_str(r.body, "Gammal mängd", "lists one past its review date");
	has_str(r.body, arena_printf(&fx->a, "/o/alfa/information/%lld\"", (long long)old),
		"linked");
	lacks_str(r.body, "Färsk mängd", "not one classified today");
	ok(strstr(r.body, "Aldrig klassad mängd") < strstr(r.body, "Gammal mängd"),
	   "never classified first");
	(void)never;

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/information/%lld", (long long)old));
	has_str(r.body, sv(M_CLS_OVERDUE), "the overdue set's page says so");

}

TEST(scale_changes_do_not_touch_old_classifications)
{
	int64_t id = make_infoset("beta", "Räddningsrapporter", "");
	int64_t cls, s1, s2;
	struct fx_resp r;
	const char *own = "{\"name\":\"Egen\",\"levels\":[{\"level\":0,\"name\":\"Ingen\"},"
		"{\"level\":1,\"name\":\"Låg\",\"criteria\":\"Små följder\"},"
		"{\"level\":2,\"name\":\"Hög\"},{\"level\":3,\"name\":\"Kritisk\"}]}";

	r = save("beta", id, ANSWERS PROPOSED "&level_k=3&level_r=2&level_t=1&level_s=2");
	is_int(r.status, 303, "classified with KLASSA");
	cls = fx_scalar(fx, "SELECT max(id) FROM classification WHERE infoset_id = $1", id);

	s1 = fx_post_id(fx, ADMIN_B, "/o/beta/scales",
		     arena_printf(&fx->a, "name=Egen&is_current=1&levels_json=%s", fx_enc(fx, own)));
	ok(s1 > 0, "a scale of the organisation's own is saved as current");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE id = $1"
			 " AND scale_json LIKE '%Försumbar%' AND scale_json NOT LIKE '%Kritisk%'",
			 cls), 1, "the old classification keeps its scale");
	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/beta/information/%lld", (long long)id));
	has_str(r.body, "3 Allvarlig", "and its page its names");

	r = fx_get(fx, COORD, classify_path("beta", id));
	has_str(r.body, "3 Kritisk", "the guided page uses the new scale");
	has_str(r.body, "Små följder", "with its criteria");
	lacks_str(r.body, "value=\"4\"", "and only its levels");
	lacks_str(r.body, "Försumbar", "not KLASSA's names");
	r = save("beta", id, ANSWERS PROPOSED "&level_k=3&level_r=2&level_t=1&level_s=2");
	is_int(r.status, 303, "classified with the new scale");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1"
			 " AND scale_json LIKE '%Kritisk%'", id), 1, "which is stored with it");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE id = $1"
			 " AND scale_json LIKE '%Försumbar%'", cls), 1, "the first one unchanged");

	s2 = fx_post_id(fx, ADMIN_B, "/o/beta/scales",
		     arena_printf(&fx->a, "name=Andra&is_current=1&levels_json=%s", fx_enc(fx, own)));
	ok(s2 > 0, "a second current scale");
	is_int(fx_scalar(fx, "SELECT is_current FROM classification_scale WHERE id = $1", s1), 0,
	       "makes the first not current");
	is_int(fx_scalar(fx, "SELECT is_current FROM classification_scale WHERE id = $1", s2), 1,
	       "and is current itself");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification_scale WHERE is_current = 1"
			 " AND org_id = $1", fx->org_alfa), 0, "alfa's scales are untouched");
}

TEST(scale_validation)
{
	static const struct {
		const char *json;
		int msg;
		const char *what;
	} bad[] = {
		{ "inte json", M_V_SCALE_JSON, "not JSON" },
		{ "[1,2]", M_V_SCALE_SHAPE, "not an object" },
		{ "{\"levels\":[]}", M_V_SCALE_SHAPE, "no name" },
		{ "{\"name\":\"X\",\"levels\":[{\"level\":0,\"name\":\"A\"}]}", M_V_SCALE_COUNT,
		  "one level" },
		{ "{\"name\":\"X\",\"levels\":[{\"level\":0,\"name\":\"A\"},{\"level\":2,"
		  "\"name\":\"B\"}]}", M_V_SCALE_ORDER, "a gap" },
		{ "{\"name\":\"X\",\"levels\":[{\"level\":1,\"name\":\"A\"},{\"level\":2,"
		  "\"name\":\"B\"}]}", M_V_SCALE_ORDER, "not from 0" },
		{ "{\"name\":\"X\",\"levels\":[{\"level\":0,\"name\":\"\"},{\"level\":1,"
		  "\"name\":\"B\"}]}", M_V_SCALE_LEVEL_NAME, "an empty name" },
		{ "{\"name\":\"X\",\"levels\":[{\"level\":0,\"name\":\"A\"},{\"level\":1,"
		  "\"name\":\"0123456789012345678901234567890123456789012345678901234567890\"}]}",
		  M_V_SCALE_LEVEL_NAME, "a name of 61 characters" },
		{ "{\"name\":\"X\",\"levels\":[{\"level\":0,\"name\":\"A\",\"criteria\":3},"
		  "{\"level\":1,\"name\":\"B\"}]}", M_V_SCALE_CRITERIA, "criteria not text" },
	};
	struct buf eleven = BUF_INIT;
	struct fx_resp r;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		r = fx_post(fx, ADMIN, "/o/alfa/scales",
			    arena_printf(&fx->a, "name=Fel&levels_json=%s", fx_enc(fx, bad[i].json)));
		is_int(r.status, 422, bad[i].what);
		/* the start of the message: the rest holds quotes, escaped */
		has_str(r.body, arena_strndup(&fx->a, sv(bad[i].msg), 24), "with its message");
	}
	buf_puts(&eleven, "{\"name\":\"X\",\"levels\":[");
	for (int i = 0; i < 11; i++)
		buf_printf(&eleven, "%s{\"level\":%d,\"name\":\"N%d\"}", i ? "," : "", i, i);
	buf_puts(&eleven, "]}");
	r = fx_post(fx, ADMIN, "/o/alfa/scales",
		    arena_printf(&fx->a, "name=Fel&levels_json=%s", fx_enc(fx, eleven.p)));
	is_int(r.status, 422, "eleven levels are too many");
	buf_release(&eleven);
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification_scale WHERE org_id = $1",
			 fx->org_alfa), 0, "none was saved");
}

TEST(who_may_classify)
{
	int64_t id = make_infoset("alfa", "Personalakter", "");
	struct fx_resp r;

	r = fx_get(fx, ADMIN_B, classify_path("alfa", id));
	is_int(r.status, 404, "another organisation's administrator: 404");
	r = fx_get(fx, COORD, classify_path("beta", id));
	is_int(r.status, 404, "alfa's information set through beta: 404");
	r = fx_post(fx, COORD, classify_path("beta", id), ANSWERS PROPOSED
		    "&level_k=3&level_r=2&level_t=1&level_s=2&step=4&go=save");
	is_int(r.status, 404, "and cannot be classified there");
	r = fx_get(fx, USER, classify_path("alfa", id));
	is_int(r.status, 403, "a plain user: 403");
	r = fx_post(fx, USER, classify_path("alfa", id), ANSWERS PROPOSED
		    "&level_k=3&level_r=2&level_t=1&level_s=2&step=4&go=save");
	is_int(r.status, 403, "also when posting");
	r = fx_get(fx, USER, "/o/alfa/information-review");
	is_int(r.status, 403, "and the review list is for staff");
	r = fx_request(fx, COORD, "POST", classify_path("alfa", id),
		       ANSWERS PROPOSED "&level_k=3&level_r=2&level_t=1&level_s=2&step=4&go=save",
		       "application/x-www-form-urlencoded", NULL, NULL);
	is_int(r.status, 403, "without the CSRF token: 403");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1", id), 0,
	       "nothing saved");
	r = fx_get(fx, COORD, classify_path("alfa", 999999));
	is_int(r.status, 404, "an unknown information set: 404");
}

TEST(names_are_escaped)
{
	int64_t id = make_infoset("alfa", "<script>alert(1)</script>", "");
	struct fx_resp r = fx_get(fx, COORD, classify_path("alfa", id));

	is_int(r.status, 200, "the guided page");
	lacks_str(r.body, "<script>alert(1)", "does not carry the markup");
	has_str(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;", "it is escaped");
	r = fx_get(fx, COORD, "/o/alfa/information-review");
	lacks_str(r.body, "<script>alert(1)", "nor does the review list");
	has_str(r.body, "&lt;script&gt;", "escaped there too");
}

int main(void)
{
	int rc;

	clock_set(T0);
	fx = fixture_new();
	rc = tap_run();
	fixture_free(fx);
	return rc;
}
