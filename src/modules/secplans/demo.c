/* demo.c - Exempelstad's security plans: most of its business-critical
 * systems have a signed plan (one signed long enough ago to be overdue
 * for review, one due soon), the IFO system's plan is a draft, and the
 * safety-alarm system's signed plan needs a new version because its owner
 * has since raised its confidentiality.  Made through the engine, as an
 * owner would: version 1 filled in by Värn, the rest written, signed. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/entity.h"
#include "db/db.h"
#include "modules/secplans/secplans.h"
#include "modules/systems/systems.h"

struct demo_plan {
	const char *system;
	int signed_days_ago;  /* -1: left a draft */
	const char *threats, *access, *outage, *loss, *restore;
};

static const struct demo_plan plans[] = {
	{ "Journalsystem vård och omsorg", 120,
	  "Obehörig åtkomst till journaler (nyfikenhet, hot mot skyddade personer); utpressningsvirus"
	  " hos leverantören; avbrott i nätet till hemtjänstens mobila enheter.",
	  "Sjuksköterska (läsa och skriva i egna patienters journal), undersköterska (läsa och"
	  " signera insatser), enhetschef (läsa loggar), systemförvaltare (administrera"
	  " behörigheter, ingen journalåtkomst).", "4 timmar", "15 minuter", "8 timmar" },
	{ "Trygghetslarm", 200,
	  "Larm som inte når fram vid avbrott hos larmcentralen eller i mobilnätet; manipulerade"
	  " larmdosor; obehörig åtkomst till uppgifter om brukarnas hem och nycklar.",
	  "Larmoperatör (ta emot och kvittera larm), hemtjänstpersonal (se egna brukares larm),"
	  " systemförvaltare (administrera).", "15 minuter", "Inga larm får förloras", "1 timme" },
	{ "Verksamhetssystem IFO", -1,
	  "Obehörig åtkomst till uppgifter om barn och skyddade personer; felaktiga beslut på grund"
	  " av felaktiga uppgifter.", NULL, NULL, NULL, NULL },
	{ "Ekonomisystem", 350,
	  "Bedrägeri genom ändrade betalningsmottagare; obehöriga attester; avbrott vid"
	  " bokslut.", "Attestant, ekonom, redovisningsansvarig, systemförvaltare.", "2 arbetsdagar",
	  "1 arbetsdag", "1 arbetsdag" },
	{ "Katalogtjänst och inloggning", 400,
	  "Stulna inloggningsuppgifter (nätfiske); angrepp mot administratörskonton; avbrott som"
	  " stoppar all inloggning.", "Användare, servicedesk (återställa lösenord),"
	  " domänadministratör (få, personliga konton med MFA).", "1 timme", "Ingen", "4 timmar" },
	{ "Säkerhetskopiering", 30,
	  "Utpressningsvirus som krypterar även kopiorna; kopior som inte går att läsa tillbaka.",
	  "Driftstekniker (starta återläsning), IT-chef (godkänna ändrade rutiner).", "1 arbetsdag",
	  "24 timmar", "Enligt respektive systems plan" },
};
#define NEEDS_NEW 1 /* Trygghetslarm: its confidentiality is raised after signing */

static const char sql_system[] =
	"SELECT id FROM it_system WHERE org_id = $1 AND name = $2 AND archived = 0";

static int write_content(struct ctx *cx, int64_t id, const struct demo_plan *p,
			 struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (entity_get(cx, &sp_plans, id, &rec, err) != 0)
		return -1;
	rec.v[SP_THREATS] = p->threats;
	rec.v[SP_ACCESS_PROFILES] = p->access;
	rec.v[SP_LOG_SCOPE] = p->access ? "Transaktionslogg: varje läsning och ändring av"
		" uppgifter, med användare och tid. Säkerhetslogg: inloggningar, misslyckade"
		" inloggningar och ändrade behörigheter." : NULL;
	rec.v[SP_LOG_WHO] = p->access ? "Systemförvaltaren" : NULL;
	rec.v[SP_LOG_OFTEN] = p->access ? "Varje månad, och vid misstanke om obehörig åtkomst" :
			      NULL;
	rec.v[SP_LOG_RETENTION] = p->access ? "Loggarna sparas i två år och arkiveras enligt"
		" dokumenthanteringsplanen; de förvaras åtskilda från systemet." : NULL;
	rec.v[SP_MAX_OUTAGE] = p->outage;
	rec.v[SP_MAX_LOSS] = p->loss;
	rec.v[SP_RESTORE_TIME] = p->restore;
	rec.v[SP_CONTINUITY] = p->access ? "Reservrutin på papper finns och övas en gång om året;"
		" leverantörens kontinuitetsplan granskas vid avtalsuppföljningen." : NULL;
	if (entity_update(cx, &sp_plans, &rec, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo security plan %lld: content",
				 (long long)id);
		return -1;
	}
	return 0;
}

static int sign(struct ctx *cx, int64_t id, int days_ago, struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };
	int64_t now = cx->now;
	int rc;

	if (entity_get(cx, &sp_plans, id, &rec, err) != 0)
		return -1;
	/* signed back then: its review date a year after */
	cx->now -= (int64_t)days_ago * 86400;
	rc = entity_transition(cx, &sp_plans, id, rec.version, "sign", NULL, &errs, err);
	cx->now = now;
	if (rc != 0 && !err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "demo security plan %lld: sign%s", (long long)id,
			 errs.n ? " refused" : "");
	return rc;
}

/* The owner raises the confidentiality after the plan was signed: the
 * systems module tells it, and the plan is marked for a new version. */
static int raise_k(struct ctx *cx, int64_t system_id, struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (entity_get(cx, &sys_systems, system_id, &rec, err) != 0)
		return -1;
	rec.v[SYS_RAISE_K] = "3";
	rec.v[SYS_RAISE_REASON] = "Larmen avslöjar när brukarna inte är hemma och var nycklarna"
				  " finns.";
	if (entity_update(cx, &sys_systems, &rec, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo system %lld: raise",
				 (long long)system_id);
		return -1;
	}
	return 0;
}

static int make_plans(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	int made = 0, signed_n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(plans); i++) {
		struct db_rows r;
		int64_t id;

		if (db_exec(cx->db, cx->a, sql_system,
			    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(plans[i].system)), &r, err) != 0)
			return -1;
		if (r.nrows != 1)
			continue;
		if (!(id = secplan_start(cx, db_cell_i64(&r, 0, 0), err)) ||
		    write_content(cx, id, &plans[i], err) != 0)
			return -1;
		made++;
		if (plans[i].signed_days_ago < 0)
			continue;
		if (sign(cx, id, plans[i].signed_days_ago, err) != 0)
			return -1;
		signed_n++;
		if (i == NEEDS_NEW && raise_k(cx, db_cell_i64(&r, 0, 0), err) != 0)
			return -1;
	}
	buf_printf(summary, "%s: %d security plans (%d signed)\n", cx->org->name, made, signed_n);
	return 0;
}

int secplans_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	int rc;

	memset(err, 0, sizeof(*err));
	if (strcmp(cx->org->slug, "exempelstad") != 0)
		return 0;
	if (db_begin(cx->db, err))
		return -1;
	cx->bulk = 1;
	rc = make_plans(cx, summary, err);
	cx->bulk = 0;
	if (rc == 0 && db_commit(cx->db, err) == 0)
		return 0;
	db_rollback(cx->db);
	if (!err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "demo security plans of %s: not created",
			 cx->org->slug);
	return -1;
}
