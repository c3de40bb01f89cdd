/* demo.c - Exempelstad's report to management for the last quarter: the
 * summary, the current-state texts, and two decision items, the first
 * decided by the municipal chief at the meeting. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/report.h"
#include "db/db.h"
#include "modules/mgmtreport/mgmtreport.h"

static const char *id_text(struct ctx *cx, int64_t id)
{
	return arena_printf(cx->a, "%lld", (long long)id);
}

static int make(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	const char *v[MR__COUNT] = { 0 };
	const char *iv[DI__COUNT] = { 0 };
	struct report_period p;
	struct field_errors errs = { .n = 0 };
	struct record rec;
	int64_t report, item;
	const char *pv[3];

	report_preset(REPORT_LAST_QUARTER, cx->now, &p);
	v[MR_TITLE] = "Rapport till ledningens genomgång";
	v[MR_PERIOD_FROM] = report_day(cx->a, p.from);
	v[MR_PERIOD_TO] = report_last_day(cx->a, &p);
	v[MR_MEETING_ON] = report_day(cx->a, report_add_days(p.to, 7));
	v[MR_SUMMARY] = "Under kvartalet har klassningen av verksamhetssystemen fortsatt och "
		"handlingsplanens aktiviteter för behörighetsstyrning har påbörjats. Arbetet "
		"prioriteras efter skyddsnivå: system på nivå 3 och 4 först, eftersom ett "
		"avbrott eller en läcka där drabbar invånarnas vård och omsorg.";
	v[MR_THREATS] = "Nätfiskeförsök mot kommunens e-post ökade under perioden; ett "
		"konto kapades och spärrades samma dag. Leverantören av journalsystemet "
		"drabbades av ett avbrott på fyra timmar.";
	v[MR_LEGAL] = "Dataskyddsförordningen (GDPR) kräver att personuppgiftsincidenter "
		"anmäls till IMY inom 72 timmar. NIS2-lagen ställer nya krav på ledningens "
		"ansvar och utbildning.";
	v[MR_DIGITALISATION] = "E-tjänsterna för försörjningsstöd förutsätter stark "
		"inloggning och att behörigheterna i verksamhetssystemet IFO är genomgångna.";
	if (!(report = entity_create_values(cx, &mr_reports, v, err)))
		return -1;
	iv[DI_REPORT] = id_text(cx, report);
	iv[DI_TITLE] = "Ska flerfaktorsinloggning krävas för all personal med "
		       "åtkomst till personuppgifter?";
	iv[DI_PROPOSAL] = "Ledningen beslutar att flerfaktorsinloggning införs för all "
			  "personal senast vid årets slut.";
	iv[DI_RISK] = "Utan beslut kvarstår risken att kapade konton ger åtkomst till "
		      "känsliga uppgifter om invånare.";
	if (!(item = entity_create_values(cx, &mr_items, iv, err)))
		return -1;
	iv[DI_TITLE] = "Ska en kontinuitetsövning för trygghetslarmet genomföras i vår?";
	iv[DI_PROPOSAL] = "Ledningen avsätter två dagar för en övning med larmcentralen.";
	iv[DI_RISK] = "Ett avbrott utan övad reservrutin kan innebära att larm inte når fram.";
	if (!entity_create_values(cx, &mr_items, iv, err))
		return -1;
	/* presented, and the first item decided at the meeting */
	if (entity_get(cx, &mr_reports, report, &rec, err) != 0 ||
	    entity_transition(cx, &mr_reports, report, rec.version, "present", NULL, &errs, err))
		return -1;
	if (entity_get(cx, &mr_items, item, &rec, err) != 0)
		return -1;
	pv[0] = "Beslutas enligt förslaget.";
	pv[1] = "Kommunchef Eva Ek";
	pv[2] = ctx_today(cx);
	if (entity_transition(cx, &mr_items, item, rec.version, "decide", pv, &errs, err))
		return -1;
	buf_printf(summary, "1 ledningsrapport med 2 beslutsärenden\n");
	return 0;
}

int mgmtreport_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	int rc;

	memset(err, 0, sizeof(*err));
	if (strcmp(cx->org->slug, "exempelstad") != 0)
		return 0;
	if (db_begin(cx->db, err))
		return -1;
	rc = make(cx, summary, err);
	if (rc == 0 && db_commit(cx->db, err) == 0)
		return 0;
	db_rollback(cx->db);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "demo management report of %s: not created",
			 cx->org->slug);
	return -1;
}
