/* test_wizard.c - the classification wizard (issue 7) through the real
 * router on the engine chosen by VARN_TEST_DB: one aspect per step
 * (K -> R -> T -> S -> decision), answers kept across the steps and
 * through a refused decision, the proposal first on the decision step with
 * the focus, an aspect "not analysed" stored as NULL and shown as such
 * (never 0), information concerning Sweden's security, KLASSA's scale, the
 * CSRF token and who may classify. */
#include "base/base.h"

#include "base/clock.h"
#include "core/auth.h"
#include "db/db.h"
#include "parse/form.h"
#include "core/i18n.h"
#include "fixture.h"
#include "tap.h"

static struct fixture *fx;

#define COORD "samordnare@a.se"
#define ADMIN "admin@a.se"
#define USER "anvandare@a.se"

/* 2026-06-15 12:00 in Stockholm */
#define T0 INT64_C(1781517600)

/* K: operations 1, privacy 3; R: finances 2; T: life 1; S: legal 2 */
#define K_ANSWERS "a_k_operations=1&a_k_privacy=3"
#define R_ANSWERS "a_r_finances=2"
#define T_ANSWERS "a_t_life_health=1"
#define S_ANSWERS "a_s_legal=2"

static const char *sv(int msg)
{
	return msg_text(LANG_SV, msg);
}

static int64_t make_infoset(const char *name, const char *more)
{
	return fx_post_id(fx, COORD, "/o/alfa/information", arena_printf(&fx->a, "name=%s%s", name, more));
}

static const char *wz(int64_t id)
{
	return arena_printf(&fx->a, "/o/alfa/information/%lld/classify", (long long)id);
}

static struct fx_resp step(int64_t id, const char *form)
{
	return fx_post(fx, COORD, wz(id), form);
}

/* The hidden field name=value the page carries. */
static const char *hidden(const char *name, const char *value)
{
	return arena_printf(&fx->a, "type=\"hidden\" name=\"%s\" value=\"%s\">", name, value);
}

TEST(walking_the_steps_keeps_the_answers)
{
	int64_t id = make_infoset("Bygglovsakter", "");
	struct fx_resp r = fx_get(fx, COORD, wz(id));

	/* covers R-3-02 */
	is_int(r.status, 200, "the wizard opens on its first step");
	has_str(r.body, "<h2 id=\"step-h\">Steg 1 av 5: Konfidentialitet</h2>",
		"the step says where it is");
	has_str(r.body, "<li aria-current=\"step\">Konfidentialitet</li>",
		"the list of steps marks the current one");
	has_str(r.body, "<ol class=\"cls-steps\"", "as an ordered list");
	has_str(r.body, sv(M_Q_K_PRIVACY), "confidentiality's questions");
	lacks_str(r.body, sv(M_Q_R_PRIVACY), "not integrity's");
	lacks_str(r.body, "name=\"a_r_", "nor any of the other aspects' answers");
	has_str(r.body, "Nästa: Riktighet", "the next step is named on its button");
	lacks_str(r.body, "value=\"back\"", "no way back from the first step");
	has_str(r.body, "name=\"csrf\"", "the form carries the CSRF token");

	r = step(id, "step=0&go=next&" K_ANSWERS);
	is_int(r.status, 200, "next");
	has_str(r.body, "Steg 2 av 5: Riktighet", "the second step");
	has_str(r.body, "<li aria-current=\"step\">Riktighet</li>", "marked in the list");
	has_str(r.body, "<li class=\"done\">Konfidentialitet</li>", "the first one done");
	has_str(r.body, sv(M_Q_R_FINANCES), "integrity's questions");
	lacks_str(r.body, sv(M_Q_K_PRIVACY), "not confidentiality's");
	has_str(r.body, hidden("a_k_privacy", "3"), "K's answers carried as hidden fields");
	has_str(r.body, hidden("a_k_operations", "1"), "all of them");
	has_str(r.body, "Tillbaka: Konfidentialitet", "a way back, named");

	r = step(id, "step=1&go=back&" K_ANSWERS "&" R_ANSWERS);
	is_int(r.status, 200, "back");
	has_str(r.body, "Steg 1 av 5: Konfidentialitet", "the first step again");
	has_str(r.body, "name=\"a_k_privacy\" value=\"3\" checked", "K's answer is checked");
	has_str(r.body, hidden("a_r_finances", "2"), "R's answer kept though not shown");

	r = step(id, "step=0&go=next&" K_ANSWERS "&" R_ANSWERS);
	has_str(r.body, "name=\"a_r_finances\" value=\"2\" checked", "forward again: R as answered");
	r = step(id, "step=1&go=next&" K_ANSWERS "&" R_ANSWERS);
	has_str(r.body, "Steg 3 av 5: Tillgänglighet", "the third step");
	r = step(id, "step=2&go=next&" K_ANSWERS "&" R_ANSWERS "&" T_ANSWERS);
	has_str(r.body, "Steg 4 av 5: Spårbarhet", "the fourth step");
	r = step(id, "step=3&go=next&" K_ANSWERS "&" R_ANSWERS "&" T_ANSWERS "&" S_ANSWERS);
	is_int(r.status, 200, "the decision");
	has_str(r.body, "Steg 5 av 5: Beslut", "the last step");
	{
		const char *prop = strstr(r.body, "id=\"proposal-h\"");
		const char *decision = strstr(r.body, "Steg 5 av 5: Beslut");
		const char *first_field = strstr(r.body, "name=\"level_k\"");
		ok(prop && decision && first_field && prop < decision && prop < first_field,
		   "the proposal comes first, above the decision's fields");
	}
	has_str(r.body, "<h2 id=\"proposal-h\" tabindex=\"-1\" autofocus>",
		"and takes the focus");
	has_str(r.body, "<abbr title=\"Konfidentialitet\">K</abbr>3 Allvarlig</span>",
		"K3 Allvarlig as a chip with text");
	has_str(r.body, "class=\"cls-chip lv3\"", "coloured by level");
	has_str(r.body, "<abbr title=\"Riktighet\">R</abbr>2 Betydande", "R2");
	has_str(r.body, "<abbr title=\"Tillgänglighet\">T</abbr>1 Måttlig", "T1");
	has_str(r.body, "<abbr title=\"Spårbarhet\">S</abbr>2 Betydande", "S2");
	has_str(r.body, "name=\"level_k\" value=\"3\" checked", "K preselected to the proposal");
	has_str(r.body, "name=\"level_t\" value=\"1\" checked", "T too");
	has_str(r.body, hidden("a_k_privacy", "3"), "every answer still carried");
	has_str(r.body, hidden("a_s_legal", "2"), "S's too");
	has_str(r.body, "name=\"decided_on\" value=\"2026-06-15\"", "decided today");
	has_str(r.body, "Spara klassning", "now it can be saved");

	/* saved as proposed, through the engine */
	r = step(id, "step=4&go=save&" K_ANSWERS "&" R_ANSWERS "&" T_ANSWERS "&" S_ANSWERS
		 "&proposed_k=3&proposed_r=2&proposed_t=1&proposed_s=2"
		 "&level_k=3&level_r=2&level_t=1&level_s=2&participants=Anna");
	is_int(r.status, 303, "saved");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1"
			 " AND level_k = 3 AND level_r = 2 AND level_t = 1 AND level_s = 2", id), 1,
	       "one level per aspect, each on the scale");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE entity = 'classifications'"
			 " AND action = 'create' AND entity_id = (SELECT max(id) FROM classification"
			 " WHERE infoset_id = $1)", id), 1, "in the audit trail");
}

TEST(a_step_left_without_answers_stays_with_its_error)
{
	int64_t id = make_infoset("Personalakter", "");
	struct fx_resp r = step(id, "step=1&go=next&" K_ANSWERS);

	is_int(r.status, 422, "next without an answer is refused");
	has_str(r.body, "Steg 2 av 5: Riktighet", "on the same step");
	has_str(r.body, sv(M_V_WZ_ANSWER_OR_NA), "saying what to do");
	has_str(r.body, "href=\"#f-q-r\"", "the summary links to the step's questions");
	has_str(r.body, "id=\"f-q-r-error\"", "the error is beside them");
	has_str(r.body, "aria-describedby=\"f-q-r-error\"", "and describes them");
	has_str(r.body, "autofocus id=\"errors\"", "the error summary takes the focus");
	has_str(r.body, hidden("a_k_privacy", "3"), "the other answers are kept");

	/* a crafted jump past an unanswered step lands on it */
	r = step(id, "step=3&go=next&" K_ANSWERS "&" T_ANSWERS "&" S_ANSWERS);
	is_int(r.status, 422, "the decision is not reached past an unanswered aspect");
	has_str(r.body, "Steg 2 av 5: Riktighet", "the step missing answers is shown");
}

TEST(an_error_on_the_decision_keeps_every_answer)
{
	int64_t id = make_infoset("Elevakter", "");
	struct fx_resp r = step(id, "step=4&go=save&" K_ANSWERS "&" R_ANSWERS "&" T_ANSWERS
				"&" S_ANSWERS "&proposed_k=3&proposed_r=2&proposed_t=1&proposed_s=2"
				"&level_k=2&level_r=2&level_t=1&level_s=2&participants=Anna%20och%20Bo"
				"&decision=Ledningsgruppen&review_on=2027-01-01");

	is_int(r.status, 422, "a level other than the proposal without a motivation: refused");
	has_str(r.body, "Steg 5 av 5: Beslut", "the decision step again");
	has_str(r.body, sv(M_V_CLS_REASON_NEEDED), "with the message");
	has_str(r.body, "href=\"#f-reason_k\"", "linked from the summary");
	has_str(r.body, "aria-describedby=\"f-reason_k-help f-reason_k-error\"",
		"the error describes the field");
	has_str(r.body, "autofocus id=\"errors\"", "the summary takes the focus");
	lacks_str(r.body, "tabindex=\"-1\" autofocus>", "not the proposal then");
	has_str(r.body, "name=\"level_k\" value=\"2\" checked", "the chosen level is kept");
	has_str(r.body, "value=\"Anna och Bo\"", "the participants");
	has_str(r.body, ">Ledningsgruppen</textarea>", "the decision");
	has_str(r.body, "value=\"2027-01-01\"", "the review date");
	has_str(r.body, hidden("a_k_privacy", "3"), "K's answers");
	has_str(r.body, hidden("a_r_finances", "2"), "R's");
	has_str(r.body, hidden("a_t_life_health", "1"), "T's");
	has_str(r.body, hidden("a_s_legal", "2"), "S's");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1", id), 0,
	       "nothing saved");

	/* the engine's own rules apply (systems.c): a review before the decision */
	r = step(id, "step=4&go=save&" K_ANSWERS "&" R_ANSWERS "&" T_ANSWERS "&" S_ANSWERS
		 "&proposed_k=3&proposed_r=2&proposed_t=1&proposed_s=2"
		 "&level_k=3&level_r=2&level_t=1&level_s=2&decided_on=2026-06-15"
		 "&review_on=2026-01-01");
	is_int(r.status, 422, "the register's rule refuses a review date before the decision");
	has_str(r.body, sv(M_V_REVIEW_AFTER_DECISION), "with its message");
	has_str(r.body, hidden("a_k_privacy", "3"), "keeping the answers");

	/* back from the decision keeps what was typed there */
	r = step(id, "step=4&go=back&" K_ANSWERS "&" R_ANSWERS "&" T_ANSWERS "&" S_ANSWERS
		 "&proposed_k=3&proposed_r=2&proposed_t=1&proposed_s=2"
		 "&level_k=2&reason_k=Redan%20publicerat&level_r=2&level_t=1&level_s=2");
	has_str(r.body, "Steg 4 av 5: Spårbarhet", "back to the last aspect");
	has_str(r.body, hidden("level_k", "2"), "the chosen level carried");
	has_str(r.body, hidden("reason_k", "Redan publicerat"), "and the motivation");
}

TEST(not_analysed_is_null_never_zero)
{
	/* covers R-3-04 */
	int64_t id = make_infoset("Mötesinspelningar", "");
	int64_t cls;
	const char *all = K_ANSWERS "&" R_ANSWERS "&na_t=1&" S_ANSWERS
		"&proposed_k=3&proposed_r=2&proposed_t=na&proposed_s=2";
	struct fx_resp r = fx_get(fx, COORD, wz(id));

	has_str(r.body, "name=\"na_k\"", "each aspect step offers \"not analysed\"");
	has_str(r.body, sv(M_WZ_NA_CHECK), "named so");
	r = step(id, "step=2&go=next&" K_ANSWERS "&" R_ANSWERS "&na_t=1");
	is_int(r.status, 200, "a step marked not analysed needs no answers");
	has_str(r.body, "Steg 4 av 5: Spårbarhet", "and goes on");
	has_str(r.body, hidden("na_t", "1"), "the mark is carried");
	r = step(id, "step=3&go=next&" K_ANSWERS "&" R_ANSWERS "&na_t=1&" S_ANSWERS);
	has_str(r.body, "class=\"cls-chip na\"><abbr title=\"Tillgänglighet\">T</abbr> Inte analyserad",
		"the proposal says T is not analysed");
	lacks_str(r.body, "<abbr title=\"Tillgänglighet\">T</abbr>0", "not T0");
	has_str(r.body, "name=\"level_t\" value=\"na\" checked", "preselected as not analysed");
	has_str(r.body, hidden("proposed_t", "na"), "and so proposed");

	r = step(id, arena_printf(&fx->a, "step=4&go=save&%s&level_k=3&level_r=2&level_t=na"
				  "&level_s=2", all));
	is_int(r.status, 422, "not analysed needs a motivation");
	has_str(r.body, sv(M_V_WZ_NA_REASON), "saying so");
	has_str(r.body, "href=\"#f-reason_t\"", "linked");

	r = step(id, arena_printf(&fx->a, "step=4&go=save&%s&level_k=3&level_r=2&level_t=na"
				  "&level_s=2&reason_t=Ingen%%20tillg%%C3%%A4nglighetsanalys%%20gjord",
				  all));
	is_int(r.status, 303, "saved with a motivation");
	cls = fx_scalar(fx, "SELECT max(id) FROM classification WHERE infoset_id = $1", id);
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE id = $1"
			 " AND level_t IS NULL", cls), 1, "the classification stores NULL for T");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE id = $1"
			 " AND level_k = 3 AND level_s = 2", cls), 1, "and levels for the others");
	is_int(fx_scalar(fx, "SELECT count(*) FROM information_set WHERE id = $1"
			 " AND level_t IS NULL AND level_k = 3 AND classified_on IS NOT NULL", id), 1,
	       "the information set carries the NULL on, and is classified");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE id = $1"
			 " AND answers_json LIKE '%\"not_analysed\":[\"t\"]%'", cls), 1,
	       "the answers say which aspect was not analysed");

	r = fx_get(fx, COORD, arena_printf(&fx->a, "/o/alfa/information/%lld", (long long)id));
	is_int(r.status, 200, "the information set's page");
	has_str(r.body, "<abbr title=\"Tillgänglighet\">T</abbr> Inte analyserad",
		"shows T as not analysed");
	lacks_str(r.body, "<abbr title=\"Tillgänglighet\">T</abbr>0", "never as 0");
	has_str(r.body, "<abbr title=\"Konfidentialitet\">K</abbr>3 Allvarlig", "K as its level");
	lacks_str(r.body, sv(M_CLS_NONE), "and does not call the set unclassified");

	/* every aspect not analysed says nothing: refused */
	r = step(id, "step=4&go=save&na_k=1&na_r=1&na_t=1&na_s=1"
		 "&proposed_k=na&proposed_r=na&proposed_t=na&proposed_s=na"
		 "&level_k=na&level_r=na&level_t=na&level_s=na&reason_k=a&reason_r=b&reason_t=c"
		 "&reason_s=d");
	is_int(r.status, 422, "all four not analysed is refused");
	has_str(r.body, sv(M_V_WZ_ALL_NA), "saying why");
}

TEST(the_api_sends_null_for_not_analysed)
{
	/* covers R-3-04 */
	int64_t id = make_infoset("API-mängd", "");
	struct db_error err = { 0 };
	const char *tok = api_token_create(fx->db, &fx->a, fx_user_id(fx, COORD), "t", 1, &err);
	struct fx_resp r;

	ok(tok != NULL, "a token");
	r = fx_request(fx, NULL, "POST", "/api/v1/orgs/alfa/classifications",
		       arena_printf(&fx->a, "{\"infoset_id\":%lld,\"level_k\":2,\"level_r\":null,"
				    "\"level_t\":1,\"level_s\":0,\"reason_r\":\"Inte analyserad\"}",
				    (long long)id),
		       "application/json", "Authorization", arena_printf(&fx->a, "Bearer %s", tok));
	is_int(r.status, 201, "created with a null level");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1"
			 " AND level_r IS NULL AND level_s = 0", id), 1,
	       "null is stored as NULL, 0 as 0");
	r = fx_request(fx, NULL, "GET", arena_printf(&fx->a, "/api/v1/orgs/alfa/information/%lld",
						     (long long)id), NULL, NULL,
		       "Authorization", arena_printf(&fx->a, "Bearer %s", tok));
	has_str(r.body, "\"level_r\":null", "the information set's R reads null in the API");
	has_str(r.body, "\"level_s\":0", "its S reads 0");

	/* the register's own form: an empty level is not analysed */
	r = fx_get(fx, COORD, "/o/alfa/classifications/new");
	has_str(r.body, sv(M_H_CLS_LEVEL), "the form says an empty level is not analysed");
	lacks_str(r.body, "name=\"level_t\" required", "and does not require one");
	id = make_infoset("Formulärmängd", "");
	r = fx_post(fx, COORD, "/o/alfa/classifications",
		    arena_printf(&fx->a, "infoset_id=%lld&level_k=1&level_r=1&level_t=&level_s=1",
				 (long long)id));
	is_int(r.status, 422, "T left empty without saying why is refused");
	has_str(r.body, sv(M_V_WZ_NA_REASON), "asking for the motivation");
	r = fx_post(fx, COORD, "/o/alfa/classifications",
		    arena_printf(&fx->a, "infoset_id=%lld&level_k=&level_r=&level_t=&level_s="
				 "&reason_k=a&reason_r=b&reason_t=c&reason_s=d", (long long)id));
	is_int(r.status, 422, "nothing analysed is refused on every path");
	has_str(r.body, sv(M_V_WZ_ALL_NA), "saying why");
	r = fx_post(fx, COORD, "/o/alfa/classifications",
		    arena_printf(&fx->a, "infoset_id=%lld&level_k=1&level_r=1&level_t=&level_s=1"
				 "&reason_t=Tillg%%C3%%A4nglighet+bed%%C3%%B6ms+senare", (long long)id));
	is_int(r.status, 303, "saved with T left empty and a motivation");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1"
			 " AND level_t IS NULL AND level_k = 1", id), 1, "T stored as NULL, not 0");
}

TEST(security_protection_escalates)
{
	/* covers R-3-06 */
	int64_t id = make_infoset("Skyddsobjekt", "&security_protection=1");
	struct fx_resp r = fx_get(fx, COORD, wz(id));

	has_str(r.body, sv(M_WZ_SEC_TEXT), "the first step says it is not the normal scale");
	has_str(r.body, "name=\"sec_confirm\"", "and asks for a confirmation");
	lacks_str(r.body, "name=\"na_k\"", "confidentiality cannot be left unanalysed");
	r = step(id, "step=0&go=next&" K_ANSWERS);
	is_int(r.status, 422, "not without confirming");
	has_str(r.body, sv(M_V_WZ_SEC_CONFIRM), "saying so");
	has_str(r.body, "href=\"#f-sec_confirm\"", "linked to the box");
	r = step(id, "step=3&go=next&" K_ANSWERS "&" R_ANSWERS "&" T_ANSWERS "&" S_ANSWERS);
	is_int(r.status, 422, "nor past the first step by a crafted post");
	has_str(r.body, "Steg 1 av 5: Konfidentialitet", "which is shown");

	r = step(id, "step=0&go=next&sec_confirm=1&" K_ANSWERS);
	is_int(r.status, 200, "confirmed: on");
	has_str(r.body, hidden("sec_confirm", "1"), "the confirmation is carried");
	r = step(id, "step=3&go=next&sec_confirm=1&a_k_operations=1&" R_ANSWERS "&" T_ANSWERS
		 "&" S_ANSWERS);
	has_str(r.body, "<abbr title=\"Konfidentialitet\">K</abbr>4 Synnerligen allvarlig",
		"K is proposed at level 4 though the answers say 1");
	has_str(r.body, sv(M_WZ_SEC_FLOOR), "saying why");
	has_str(r.body, sv(M_CLS_WARN_OUTSIDE), "outside the baseline");
	r = step(id, "step=4&go=save&sec_confirm=1&a_k_operations=1&" R_ANSWERS "&" T_ANSWERS
		 "&" S_ANSWERS "&proposed_k=4&proposed_r=2&proposed_t=1&proposed_s=2"
		 "&level_k=1&level_r=2&level_t=1&level_s=2");
	is_int(r.status, 422, "the normal scale for K needs a motivation");
	lacks_str(r.body, "name=\"level_k\" value=\"na\"", "K cannot be decided as not analysed");
	r = step(id, "step=4&go=save&sec_confirm=1&a_k_operations=1&" R_ANSWERS "&" T_ANSWERS
		 "&" S_ANSWERS "&proposed_k=4&proposed_r=2&proposed_t=1&proposed_s=2"
		 "&level_k=na&reason_k=x&level_r=2&level_t=1&level_s=2");
	is_int(r.status, 422, "not even by a crafted post");
	has_str(r.body, "href=\"#f-level_k\"", "which names K");
	r = step(id, "step=4&go=save&sec_confirm=1&a_k_operations=1&" R_ANSWERS "&" T_ANSWERS
		 "&" S_ANSWERS "&proposed_k=4&proposed_r=2&proposed_t=1&proposed_s=2"
		 "&level_k=4&level_r=2&level_t=1&level_s=2");
	is_int(r.status, 303, "level 4 is saved");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1"
			 " AND level_k = 4 AND answers_json LIKE '%\"security_confirmed\":true%'",
			 id), 1, "with the confirmation kept");
}

TEST(klassa_scale_three_is_the_top_of_the_normal_scale)
{
	/* covers R-3-05 */
	int64_t id = make_infoset("Skalprov", "");
	struct fx_resp r = fx_get(fx, COORD, wz(id));

	has_str(r.body, sv(M_WZ_SCALE_NOTE), "each step says 0 is lowest, 3 highest, 4 outside");
	has_str(r.body, ">0 Försumbar</label>", "0 is the lowest level");
	has_str(r.body, ">3 Allvarlig</label>", "3 is a plain level");
	has_str(r.body, ">4 Synnerligen allvarlig (utanför basnivån)</label>",
		"4 is marked outside the baseline");
	r = step(id, "step=3&go=next&a_k_trust=3&" R_ANSWERS "&" T_ANSWERS "&" S_ANSWERS);
	lacks_str(r.body, sv(M_CLS_WARN_OUTSIDE), "3 gives no warning");
	r = step(id, "step=3&go=next&a_k_trust=4&" R_ANSWERS "&" T_ANSWERS "&" S_ANSWERS);
	has_str(r.body, sv(M_CLS_WARN_OUTSIDE), "4 does");
	has_str(r.body, "class=\"cls-chip lv4\"", "and its chip is level 4's");
}

TEST(csrf_and_who_may_classify)
{
	int64_t u1 = fx_post_id(fx, ADMIN, "/o/alfa/units", "name=Skolan&kind=enhet");
	int64_t u2 = fx_post_id(fx, ADMIN, "/o/alfa/units", "name=Socialtjansten&kind=enhet");
	int64_t mine, other;
	const char *save = "step=4&go=save&" K_ANSWERS "&" R_ANSWERS "&" T_ANSWERS "&" S_ANSWERS
		"&proposed_k=3&proposed_r=2&proposed_t=1&proposed_s=2"
		"&level_k=3&level_r=2&level_t=1&level_s=2";
	struct fx_resp r;

	ok(u1 > 0 && u2 > 0, "two units");
	fx_add_member(fx, fx->org_alfa, "agare@a.se", "Åsa Ägare", "informationsagare", u1);
	mine = make_infoset("Elevregister", arena_printf(&fx->a, "&unit_id=%lld", (long long)u1));
	other = make_infoset("Socialakter", arena_printf(&fx->a, "&unit_id=%lld", (long long)u2));

	r = fx_request(fx, COORD, "POST", wz(mine), save, "application/x-www-form-urlencoded",
		       NULL, NULL);
	is_int(r.status, 403, "a decision without the CSRF token: 403");
	r = fx_request(fx, COORD, "POST", wz(mine), "step=0&go=next&" K_ANSWERS,
		       "application/x-www-form-urlencoded", NULL, NULL);
	is_int(r.status, 403, "a step without it too");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1", mine), 0,
	       "nothing saved");

	r = fx_get(fx, USER, wz(mine));
	is_int(r.status, 403, "a plain user may not classify: 403");
	r = fx_post(fx, USER, wz(mine), save);
	is_int(r.status, 403, "not by posting either");
	r = fx_get(fx, "agare@a.se", wz(other));
	is_int(r.status, 403, "an information owner of another unit: 403");
	r = fx_post(fx, "agare@a.se", wz(other), "step=0&go=next&" K_ANSWERS);
	is_int(r.status, 403, "also for a step");
	r = fx_post(fx, "agare@a.se", wz(other), save);
	is_int(r.status, 403, "and for the decision");
	is_int(fx_scalar(fx, "SELECT count(*) FROM classification WHERE infoset_id = $1", other), 0,
	       "nothing saved");
	r = fx_get(fx, "agare@a.se", wz(mine));
	is_int(r.status, 200, "their own unit's information they may");
	r = fx_post(fx, "agare@a.se", wz(mine), save);
	is_int(r.status, 303, "and classify");
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
