/* demo.c - Exempelstad's risk analyses: the organisation's risk picture
 * (decided by management) and an analysis of the care records system
 * whose first risks are the threats of its security plan (R-7-02), eight
 * risks in all, one accepted, two made activities of the action plan.
 * Driven through the engine and the module's own functions, so every
 * rule (levels, acceptance, links) applies as in use. */
#include "base/base.h"

#include "base/buf.h"
#include "core/ctx.h"
#include "db/db.h"
#include "modules/risks/risks.h"

struct demo_risk {
	const char *title, *cause, *event, *consequence;
	const char *c, *l, *k, *t;  /* consequence, likelihood, aspects K and T threatened */
	const char *treatment, *reason, *rc, *rl, *handling;
};

static const struct demo_risk org_risks[] = {
	{ "Nätfiske ger angripare inloggningsuppgifter", "Riktade nätfiskemejl",
	  "En anställd lämnar ut sitt lösenord", "Intrång i e-post och verksamhetssystem",
	  "3", "4", "1", NULL, "reduce", "Flerfaktorsinloggning för alla och övningar i nätfiske.",
	  "3", "2", "Reduceras: flerfaktorsinloggning införs under året." },
	{ "Utpressningsvirus slår ut verksamhetssystemen", "Sårbarhet i system mot internet",
	  "Skadlig kod krypterar servrar och kopior", "Verksamheter står still i dagar",
	  "4", "3", NULL, "1", "reduce", "Frånkopplade säkerhetskopior och övad återläsning.",
	  "3", "1", "Reduceras: kopior offline och årlig återläsningsövning." },
	{ "Anställda saknar kunskap om informationssäkerhet", "Ingen grundutbildning",
	  "Information hanteras fel", "Personuppgiftsincidenter och förlorat förtroende",
	  "2", "3", "1", NULL, "reduce", "Webbutbildning för alla anställda.", "2", "2",
	  "Reduceras: utbildningen blir obligatorisk." },
	{ "Beroende av en enda leverantör av molntjänster", "Avtal utan exit-villkor",
	  "Leverantören höjer priset eller upphör", "Kostnader och avbrott",
	  "3", "2", NULL, "1", "transfer", "Exit-villkor i nästa upphandling.", NULL, NULL,
	  "Överförs: avtalet kompletteras med exit-villkor." },
};

static const struct demo_risk system_risks[] = {
	{ "Fel behörigheter efter omorganisation", "Behörigheter följer inte med när personal byter enhet",
	  "Personal läser journaler de inte ska", "Integritetsintrång för brukare",
	  "3", "3", "1", NULL, "reduce", "Kvartalsvis behörighetsgenomgång.", "3", "1", NULL },
	{ "Mobila enheter tappas bort", "Telefoner och surfplattor i hemtjänsten",
	  "En enhet med journalåtkomst kommer bort", "Uppgifter om brukare röjs",
	  "3", "2", "1", NULL, "reduce", "Mobilhantering med fjärradering.", "2", "1", NULL },
	{ "Loggar följs inte upp", "Ingen tid avsatt", "Otillåten läsning upptäcks inte",
	  "Intrång fortsätter", "2", "2", "1", NULL, "accept",
	  "Stickprov varje månad räcker i väntan på ny loggfunktion.", NULL, NULL, NULL },
	{ "Leverantören levererar uppdateringar sent", "Leverantörens utvecklingstakt",
	  "Känd sårbarhet ligger öppen", "Risk för intrång", "3", "2", NULL, NULL, "transfer",
	  "Krav på säkerhetsuppdateringar inom 30 dagar i avtalet.", "2", "2", NULL },
	{ "Journalen otillgänglig vid nätverksfel", "Ett enda nätverk till hemtjänsten",
	  "Personalen når inte journalen på plats", "Insatser dokumenteras i efterhand",
	  "2", "3", NULL, "1", "reduce", "Reservlösning via mobilnät.", "2", "1", NULL },
};

static const char sql_person_with_role[] =
	"SELECT person_id FROM role_assignment WHERE org_id = $1 AND role = $2 AND archived = 0"
	" ORDER BY id LIMIT 1";
static const char sql_system[] =
	"SELECT id, owner_id FROM it_system WHERE org_id = $1 AND name = $2 AND archived = 0";
static const char sql_risk_by_title[] =
	"SELECT id FROM risk WHERE org_id = $1 AND analysis_id = $2 AND title = $3";

static const char *id_text(struct ctx *cx, int64_t id)
{
	return id ? arena_printf(cx->a, "%lld", (long long)id) : NULL;
}

static int64_t person_with_role(struct ctx *cx, const char *role, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_person_with_role,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(role)), &r, err) != 0)
		return -1;
	return r.nrows ? db_cell_i64(&r, 0, 0) : 0;
}

static int transition(struct ctx *cx, const struct entity *e, int64_t id, const char *name,
		      const char *const *pv, struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (entity_get(cx, e, id, &rec, err) != 0)
		return -1;
	if (entity_transition(cx, e, id, rec.version, name, pv, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo %s %lld: %s refused", e->name,
				 (long long)id, name);
		return -1;
	}
	return 0;
}

static int64_t add_risk(struct ctx *cx, int64_t analysis, const struct demo_risk *d,
			int64_t system, int64_t owner, struct db_error *err)
{
	const char *v[RK__COUNT] = { 0 };

	v[RK_ANALYSIS] = id_text(cx, analysis);
	v[RK_TITLE] = d->title;
	v[RK_CAUSE] = d->cause;
	v[RK_EVENT] = d->event;
	v[RK_CONSEQUENCE_TEXT] = d->consequence;
	v[RK_CONSEQUENCE] = d->c;
	v[RK_LIKELIHOOD] = d->l;
	v[RK_ASPECT_K] = d->k;
	v[RK_ASPECT_T] = d->t;
	v[RK_TREATMENT] = d->treatment;
	v[RK_TREATMENT_REASON] = d->reason;
	v[RK_RES_CONSEQUENCE] = d->rc;
	v[RK_RES_LIKELIHOOD] = d->rl;
	v[RK_HANDLING] = d->handling;
	v[RK_SYSTEM] = id_text(cx, system);
	v[RK_OWNER] = id_text(cx, owner);
	return entity_create_values(cx, &rk_risks, v, err);
}

/* An imported threat assessed: the values of a risk written on it. */
static int assess(struct ctx *cx, int64_t analysis, const char *title, const char *c,
		  const char *l, const char *treatment, const char *reason, struct db_error *err)
{
	struct db_rows r;
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (db_exec(cx->db, cx->a, sql_risk_by_title,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(analysis), DB_TEXT(title)), &r, err) != 0)
		return -1;
	if (r.nrows != 1 || entity_get(cx, &rk_risks, db_cell_i64(&r, 0, 0), &rec, err) != 0)
		return 0;
	rec.v[RK_CONSEQUENCE] = c;
	rec.v[RK_LIKELIHOOD] = l;
	rec.v[RK_TREATMENT] = treatment;
	rec.v[RK_TREATMENT_REASON] = reason;
	if (entity_update(cx, &rk_risks, &rec, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo risk %s: assess refused", title);
		return -1;
	}
	return 0;
}

int risks_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	const char *v[RA__COUNT] = { 0 };
	const char *decide[] = { "Ledningsgruppen fastställer riskbilden och att riskerna"
				 " hanteras enligt analysen.", NULL };
	int64_t coord, board, org_an, sys_an, system, owner, id;
	struct db_rows r;
	int n = 0;

	if (strcmp(cx->org->slug, "exempelstad") != 0)
		return 0;
	if ((coord = person_with_role(cx, "samordnare", err)) < 0 ||
	    (board = person_with_role(cx, "ledning", err)) < 0 ||
	    db_exec(cx->db, cx->a, sql_system,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT("Journalsystem vård och omsorg")), &r,
		    err) != 0)
		return -1;
	if (r.nrows != 1)
		return 0;
	system = db_cell_i64(&r, 0, 0);
	owner = db_cell(&r, 0, 1) ? db_cell_i64(&r, 0, 1) : coord;
	if (db_begin(cx->db, err) != 0)
		return -1;

	/* the organisation's risk picture, decided by management */
	v[RA_TITLE] = "Övergripande riskbild 2027";
	v[RA_KIND] = "organisation";
	v[RA_PURPOSE] = "Organisationens samlade risker för informationen den hanterar, som"
			" grund för handlingsplanen.";
	v[RA_PARTICIPANTS] = "Informationssäkerhetssamordnaren, IT-chefen, förvaltningschefer";
	v[RA_OWNER] = id_text(cx, board ? board : coord);
	v[RA_METHOD] = "Workshop med ledningsgruppen";
	v[RA_PERFORMED_ON] = ctx_date_in(cx, -30);
	v[RA_REVIEW_ON] = ctx_date_in(cx, 335);
	if (!(org_an = entity_create_values(cx, &rk_analyses, v, err)))
		goto fail;
	for (size_t i = 0; i < ARRAY_SIZE(org_risks); i++, n++)
		if (!(id = add_risk(cx, org_an, &org_risks[i], 0, board ? board : coord, err)))
			goto fail;
	decide[1] = ctx_date_in(cx, -7);
	if (transition(cx, &rk_analyses, org_an, "start", NULL, err) != 0 ||
	    transition(cx, &rk_analyses, org_an, "decide", decide, err) != 0)
		goto fail;

	/* the care records system: its plan's threats, then the rest */
	memset(v, 0, sizeof(v));
	v[RA_TITLE] = "Riskanalys Journalsystem vård och omsorg";
	v[RA_KIND] = "system";
	v[RA_SYSTEM] = id_text(cx, system);
	v[RA_PURPOSE] = "Riskerna för journalerna i vård och omsorg inför nästa avtalsperiod.";
	v[RA_PARTICIPANTS] = "Systemägaren, systemförvaltaren, enhetschefer i hemtjänsten,"
			     " informationssäkerhetssamordnaren";
	v[RA_OWNER] = id_text(cx, owner);
	v[RA_METHOD] = "Två workshoppar";
	v[RA_PERFORMED_ON] = ctx_date_in(cx, -14);
	v[RA_REVIEW_ON] = ctx_date_in(cx, 20);
	if (!(sys_an = entity_create_values(cx, &rk_analyses, v, err)) ||
	    transition(cx, &rk_analyses, sys_an, "start", NULL, err) != 0)
		goto fail;
	if (risk_import_threats(cx, sys_an, err) < 0)
		goto fail;
	if (assess(cx, sys_an, "Obehörig åtkomst till journaler (nyfikenhet, hot mot skyddade"
		   " personer)", "3", "3", "reduce", "Loggranskning och behörighetsstyrning.",
		   err) != 0 ||
	    assess(cx, sys_an, "Utpressningsvirus hos leverantören", "4", "2", "transfer",
		   "Avtalskrav på leverantörens säkerhet och återställning.", err) != 0 ||
	    assess(cx, sys_an, "Avbrott i nätet till hemtjänstens mobila enheter", "2", "3",
		   "reduce", "Reservlösning via mobilnät.", err) != 0)
		goto fail;
	for (size_t i = 0; i < ARRAY_SIZE(system_risks); i++, n++) {
		if (!(id = add_risk(cx, sys_an, &system_risks[i], system, owner, err)))
			goto fail;
		if (i == 2) {
			/* the conscious risk decision, recorded for the owner */
			const char *pv[] = { system_risks[i].reason, "Anders Åkesson, systemägare" };
			if (transition(cx, &rk_risks, id, "accept", pv, err) != 0)
				goto fail;
		} else if (i < 2 && risk_make_activity(cx, id, i == 0 ?
				"Inför kvartalsvis behörighetsgenomgång i journalsystemet" :
				"Inför fjärradering på hemtjänstens mobila enheter",
				ctx_date_in(cx, 120), err) < 0) {
			goto fail;
		}
	}
	if (db_commit(cx->db, err) != 0)
		goto fail;
	buf_printf(summary, "%s: 2 riskanalyser, %d risker (1 accepterad, 2 åtgärder)\n",
		   cx->org->slug, n + 3);
	return 0;
fail:
	db_rollback(cx->db);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "demo risks");
	return -1;
}
