/* documents.c - a version of a system's security plan as a document
 * ("security-plan", ?id= the version; core/module.h struct document): the
 * contents seed 004 §3 lists, in its order, what Värn knew about the system - as
 * signed, or now for a draft -, and the signature block: who signed, when,
 * which version.
 *
 * Bounded by the system: one plan, its facts (facts.c). */
#include "base/base.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "db/db.h"
#include "doc/doc.h"
#include "modules/secplans/secplans.h"

static int is(const char *v, const char *code)
{
	return v && strcmp(v, code) == 0;
}

/* A field of the plan as a term and its text; "Inte ifyllt" when empty. */
static void field(struct ctx *cx, struct doc *d, struct doc_block *dl, const struct record *p,
		  int i)
{
	doc_def(d, dl, msg_text(cx->lang, sp_plans.fields[i].label),
		p->v[i] ? p->v[i] : msg_text(cx->lang, M_SSP_EMPTY));
}

/* A long field as a heading of its own and its paragraphs. */
static void text(struct ctx *cx, struct doc *d, const struct record *p, int i)
{
	doc_heading(d, 3, msg_text(cx->lang, sp_plans.fields[i].label));
	if (p->v[i])
		doc_para(d, p->v[i]);
	else
		doc_note(d, msg_text(cx->lang, M_SSP_EMPTY));
}

static int build_plan(struct ctx *cx, const struct doc_params *prm, struct doc *d,
		      struct db_error *err)
{
	int lang = cx->lang;
	struct record p;
	struct secplan_facts f;
	struct doc_block *dl;
	int signed_ = 0;
	const char *signer = NULL, *recorder = NULL;

	if (entity_get(cx, &sp_plans, prm->id, &p, err) != 0 ||
	    secplan_facts_of(cx, &p, &f, err) != 0)
		return -1;
	signed_ = is(p.v[SP_STATE], SECPLAN_SIGNED);
	if (signed_) {
		signer = entity_display(cx, &sp_plans, &p, SP_SIGNED_BY);
		recorder = p.v[SP_RECORDED_BY] ? entity_display(cx, &sp_plans, &p, SP_RECORDED_BY) :
			   NULL;
	}
	d->subtitle = f.system;
	d->subject = p.v[SP_TITLE];
	d->version = p.v[SP_PLAN_VERSION];
	d->marking = msg_text(lang, M_SSP_DOC_MARKING);

	doc_heading(d, 1, msg_text(lang, M_SSP_DOC_ABOUT));
	doc_para(d, msg_text(lang, M_SSP_DOC_INTRO));
	if (!signed_)
		doc_note(d, msg_text(lang, M_SSP_DOC_DRAFT));
	else if (is(p.v[SP_NEEDS_NEW], "1"))
		doc_note(d, arena_printf(cx->a, "%s %s", msg_text(lang, M_SSP_NEEDS_NEW_NOTICE),
					 p.v[SP_NEW_REASON] ? p.v[SP_NEW_REASON] : ""));
	if (!is(p.v[SP_LATEST], "1"))
		doc_note(d, msg_text(lang, M_SSP_OLDER_VERSION));
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_SSP_F_SYSTEM), f.system);
	doc_def(d, dl, msg_text(lang, M_SSP_F_VERSION), p.v[SP_PLAN_VERSION]);
	doc_def(d, dl, msg_text(lang, M_SSP_F_STATE),
		entity_choice_label(cx, &sp_plans.fields[SP_STATE], p.v[SP_STATE]));
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_OWNER), f.owner);
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_UNIT), f.unit);
	if (signed_) {
		doc_def(d, dl, msg_text(lang, M_SSP_F_SIGNED_ON), p.v[SP_SIGNED_ON]);
		doc_def(d, dl, msg_text(lang, M_SSP_F_REVIEW_ON), p.v[SP_REVIEW_ON]);
	}

	/* the system as Värn knows it */
	doc_heading(d, 1, msg_text(lang, M_SSP_FACTS_HEADING));
	doc_note(d, arena_printf(cx->a, "%s (%s)", msg_text(lang, signed_ ? M_SSP_FACTS_SIGNED :
				 M_SSP_FACTS_NOW), f.as_of ? f.as_of : ""));
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_SUPPLIER), f.supplier);
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_HOSTING), f.hosting);
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_PERSONAL), f.personal_data);
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_LIFECYCLE), f.lifecycle);

	/* R-5-03, R-5-04 */
	doc_heading(d, 1, msg_text(lang, M_SSP_G_INFORMATION));
	if (f.ninfo) {
		struct doc_table *t = doc_table(d, 3, msg_text(lang, M_SSP_FACT_INFO));
		doc_col(t, 0, msg_text(lang, M_SSP_COL_INFOSET), 2.0, DOC_LEFT);
		doc_col(t, 1, msg_text(lang, M_SSP_COL_LEVELS), 1.2, DOC_LEFT);
		doc_col(t, 2, msg_text(lang, M_SSP_COL_LAWS), 3.0, DOC_LEFT);
		for (size_t i = 0; i < f.ninfo; i++) {
			const char **row = doc_row(d, t);
			row[0] = f.info[i].name;
			row[1] = f.info[i].levels;
			row[2] = f.info[i].laws;
		}
	} else {
		doc_note(d, msg_text(lang, M_SSP_NO_INFO));
	}
	text(cx, d, &p, SP_INFORMATION);
	text(cx, d, &p, SP_LAWS);

	/* R-5-05, R-5-02: the protection profile and what goes beyond the baseline */
	doc_heading(d, 1, msg_text(lang, M_SSP_G_PROTECTION));
	dl = doc_deflist(d);
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_LEVELS), f.levels);
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_CRITICAL), f.business_critical);
	doc_def(d, dl, msg_text(lang, M_SSP_FACT_GAP_PROGRESS), secplan_progress_text(cx, &f));
	text(cx, d, &p, SP_CIA);
	text(cx, d, &p, SP_EXTRA);
	if (f.nopen) {
		struct doc_table *t = doc_table(d, 1, msg_text(lang, M_SSP_FACT_OPEN_GAPS));
		doc_col(t, 0, msg_text(lang, M_SSP_COL_GAP), 6.0, DOC_LEFT);
		for (size_t i = 0; i < f.nopen; i++)
			doc_row(d, t)[0] = f.open_gaps[i];
	}

	/* R-5-06 */
	doc_heading(d, 1, msg_text(lang, M_SSP_G_THREATS));
	text(cx, d, &p, SP_THREATS);
	/* R-5-07 */
	doc_heading(d, 1, msg_text(lang, M_SSP_G_ACCESS));
	text(cx, d, &p, SP_ACCESS_PROFILES);
	dl = doc_deflist(d);
	field(cx, d, dl, &p, SP_ACCESS_DECIDED_BY);
	/* R-5-08, R-5-09 */
	doc_heading(d, 1, msg_text(lang, M_SSP_G_LOGGING));
	text(cx, d, &p, SP_LOG_SCOPE);
	dl = doc_deflist(d);
	field(cx, d, dl, &p, SP_LOG_WHO);
	field(cx, d, dl, &p, SP_LOG_OFTEN);
	text(cx, d, &p, SP_LOG_RETENTION);
	/* R-5-10, R-5-11, R-5-13, R-5-14 */
	doc_heading(d, 1, msg_text(lang, M_SSP_G_CONTINUITY));
	dl = doc_deflist(d);
	field(cx, d, dl, &p, SP_MAX_OUTAGE);
	field(cx, d, dl, &p, SP_MAX_LOSS);
	field(cx, d, dl, &p, SP_RESTORE_TIME);
	text(cx, d, &p, SP_BACKUP);
	text(cx, d, &p, SP_CONTINUITY);
	/* R-5-12 */
	doc_heading(d, 1, msg_text(lang, M_SSP_G_ORGANISATION));
	text(cx, d, &p, SP_ORGANISATION);

	/* R-5-25: the owner's sign-off */
	doc_heading(d, 1, msg_text(lang, M_SSP_DOC_SIGNATURE));
	if (signed_) {
		const char *t = msg_text(lang, M_SSP_DOC_SIGNED_TEXT);
		t = msg_fill(cx->a, t, "{name}", signer);
		t = msg_fill(cx->a, t, "{date}", p.v[SP_SIGNED_ON]);
		doc_para(d, msg_fill(cx->a, t, "{version}", p.v[SP_PLAN_VERSION]));
		if (recorder)
			doc_note(d, msg_fill(cx->a, msg_text(lang, M_SSP_DOC_RECORDED_TEXT), "{name}",
						 recorder));
		doc_signature(d, signer ? signer : "", msg_text(lang, M_SSP_ROLE_OWNER));
	} else {
		doc_note(d, msg_text(lang, M_SSP_DOC_NOT_SIGNED));
		doc_signature(d, f.owner ? f.owner : "", msg_text(lang, M_SSP_ROLE_OWNER));
	}
	return 0;
}

const struct document secplans_documents[] = {
	{ "security-plan", M_SSP_DOC_TITLE, "systemsakerhetsplan", ROLES_STAFF, 1, build_plan },
	{ NULL, 0, NULL, 0, 0, NULL },
};
