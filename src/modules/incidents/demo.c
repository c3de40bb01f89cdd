/* demo.c - a year of Exempelstad's incidents (issue 11): about a hundred,
 * mostly lost phones and e-mail to the wrong recipient, two phishing
 * waves, suspicious calls, a few outages, one malware case, a
 * personal-data breach reported to IMY, an outage significant under the
 * cybersecurity act that was escalated to the crisis organisation.
 *
 * Deterministic: a fixed seed, no reading of the clock beyond cx->now;
 * every incident is reported, received, assessed, remediated, restored,
 * investigated and closed through the engine's transitions with cx->now
 * set to the moment of each step, so the timeline, the summary and
 * whatever else listens run as in real use.  The older an incident, the
 * further it has come. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/obligations.h"

#define DEMO_INCIDENTS 104
#define MIN 60
#define HOUR 3600
#define DAY 86400

static uint32_t seed;

static uint32_t rnd(uint32_t n)
{
	/* xorshift32: the same incidents every time */
	seed ^= seed << 13;
	seed ^= seed >> 17;
	seed ^= seed << 5;
	return n ? seed % n : 0;
}

struct kind {
	const char *category;
	int weight;
	const char *title, *description, *location;
	const char *personal;        /* yes, no, unknown */
	int consequence;             /* typical */
	const char *root, *cause, *lessons, *remedy;
};

static const struct kind kinds[] = {
	{ "lost_equipment", 28, "Borttappad mobiltelefon",
	  "Tjänstetelefonen tappades bort, troligen på bussen hem. Den har skärmlås med kod.",
	  "Kollektivtrafiken", "unknown", 1, "human_error",
	  "Telefonen glömdes kvar på bussen.",
	  "Påminn om att fjärrradering går att begära direkt via IT-supporten.",
	  "Telefonen spärrades och raderades på distans; ny telefon lämnades ut." },
	{ "wrong_recipient", 22, "E-post till fel mottagare",
	  "Ett e-postmeddelande med uppgifter om en brukare skickades till fel person med liknande namn.",
	  "Socialförvaltningen", "yes", 2, "human_error",
	  "Autokomplettering av mottagaradressen valde fel person.",
	  "Stäng av autokomplettering för externa adresser; utbilda i säker e-post.",
	  "Mottagaren ombads radera meddelandet och bekräftade det." },
	{ "phishing", 18, "Nätfiskemejl om lönespecifikation",
	  "Flera medarbetare fick ett mejl som såg ut att komma från lönekontoret med en länk "
	  "till en inloggningssida.",
	  "Hela kommunen", "no", 2, "malicious",
	  "Riktad nätfiskekampanj mot kommunens anställda.",
	  "Fortsätt med övningar i att känna igen nätfiske; snabbare spärr av länkar.",
	  "Länken spärrades i e-postfiltret och meddelandena togs bort ur inkorgarna." },
	{ "suspicious_call", 8, "Misstänkt samtal från ”IT-supporten”",
	  "En person som sa sig vara från IT-supporten ringde och bad om lösenord och en kod.",
	  "Växeln", "no", 1, "malicious",
	  "Försök till social manipulation via telefon.",
	  "Påminn alla om att IT-supporten aldrig frågar efter lösenord eller koder.",
	  "Ingen uppgift lämnades ut; varning skickades till alla medarbetare." },
	{ "left_visible", 6, "Papper med personuppgifter kvarlämnade i skrivaren",
	  "Utskrifter med personnummer låg kvar i en gemensam skrivare över natten.",
	  "Stadshuset, plan 3", "yes", 1, "human_error",
	  "Utskriften hämtades aldrig.",
	  "Inför utskrift som kräver inloggning vid skrivaren.",
	  "Papperen samlades in och förstördes." },
	{ "talked", 3, "Uppgifter berättade för obehörig",
	  "Uppgifter om en elev nämndes i ett samtal där obehöriga kunde höra.",
	  "Skola", "yes", 1, "human_error",
	  "Samtal på fel plats.",
	  "Påminn om tystnadsplikt och var samtal förs.",
	  "Samtal med berörd personal." },
	{ "outage", 7, "Avbrott i verksamhetssystemet",
	  "Verksamhetssystemet gick inte att nå under förmiddagen.",
	  "IT-enheten", "no", 2, "system_failure",
	  "En uppdatering hos leverantören gick fel.",
	  "Kräv att leverantören aviserar uppdateringar och har en plan för att backa.",
	  "Leverantören backade uppdateringen." },
	{ "unauthorised_access", 3, "Obehörig inloggning på konto",
	  "Ett användarkonto loggades in från utlandet utan att användaren var där.",
	  "IT-enheten", "unknown", 2, "malicious",
	  "Lösenordet hade läckt vid ett tidigare dataintrång hos en annan tjänst.",
	  "Inför tvåfaktorsinloggning för alla konton som nås utifrån.",
	  "Kontot spärrades, lösenordet byttes och inloggningarna granskades." },
	{ "vulnerability", 2, "Sårbarhet i webbpublicering",
	  "Leverantören meddelade en allvarlig sårbarhet i publiceringsverktyget.",
	  "IT-enheten", "no", 1, "third_party",
	  "Sårbarhet i leverantörens programvara.",
	  "Bevaka leverantörernas säkerhetsmeddelanden.",
	  "Säkerhetsuppdateringen installerades samma dag." },
	{ "other", 3, "Dörr till serverrum stod öppen",
	  "Dörren till serverrummet stod uppställd under en flytt.",
	  "Stadshuset, källaren", "no", 1, "human_error",
	  "Dörren ställdes upp för att underlätta flytten.",
	  "Rutin för tillträde vid flyttar och leveranser.",
	  "Dörren stängdes; loggen över tillträde granskades." },
};

/* The special cases, by their place in the year (index into the sequence). */
enum special { SP_NONE = 0, SP_MALWARE, SP_BREACH, SP_NIS2 };

static const char sql_people[] =
	"SELECT id FROM person WHERE org_id = $1 AND archived = 0 ORDER BY id LIMIT 40";
static const char sql_handlers[] =
	"SELECT DISTINCT p.id FROM person p JOIN role_assignment r ON r.person_id = p.id"
	" AND r.org_id = p.org_id AND r.archived = 0"
	" AND r.role IN ('samordnare', 'systemforvaltare', 'it_chef')"
	" WHERE p.org_id = $1 AND p.archived = 0 ORDER BY p.id LIMIT 8";
static const char sql_units[] =
	"SELECT id FROM unit WHERE org_id = $1 AND archived = 0 ORDER BY id LIMIT 20";
static const char sql_systems[] =
	"SELECT id FROM it_system WHERE org_id = $1 AND archived = 0 ORDER BY id LIMIT 20";

static const char *id_of(struct ctx *cx, const struct db_rows *r)
{
	return r->nrows ? db_cell(r, rnd((uint32_t)r->nrows), 0) : NULL;
	(void)cx;
}

static int step(struct ctx *cx, int64_t id, const char *name, const char *const *pv,
		struct db_error *err)
{
	struct record rec;
	struct field_errors errs = { .n = 0 };

	if (entity_get(cx, &in_incidents, id, &rec, err) != 0)
		return -1;
	if (entity_transition(cx, &in_incidents, id, rec.version, name, pv, &errs, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo incident %lld: %s (field %d)",
				 (long long)id, name, errs.n ? errs.e[0].field : -1);
		return -1;
	}
	return 0;
}

/* The reporting duties of the demo's reportable incidents were met in
 * time: each pending one with a deadline discharged now, through the
 * engine, with the receiver's reference. */
static const char sql_pending[] =
	"SELECT id, version, receiver FROM incident_obligation WHERE incident_id = $1"
	" AND status = 'pending' AND due_at IS NOT NULL AND archived = 0 ORDER BY id";

static int discharge_pending(struct ctx *cx, int64_t id, struct db_error *err)
{
	struct db_rows r;
	struct field_errors errs = { .n = 0 };

	if (db_exec(cx->db, cx->a, sql_pending, DB_ARGS(DB_INT(id)), &r, err) != 0)
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		const char *pv[] = {
			clock_format_iso(cx->a, cx->now), "e_service",
			arena_printf(cx->a, "%s-%lld-%lld",
				     strcmp(db_cell(&r, i, 2), "imy") == 0 ? "IMY" : "CERT-SE",
				     (long long)(cx->now / 86400 % 10000), (long long)id),
			NULL,
		};
		if (entity_transition(cx, &in_obligations, db_cell_i64(&r, i, 0),
				      db_cell_i64(&r, i, 1), "discharge", pv, &errs, err) != 0) {
			if (!err->msg[0])
				snprintf(err->msg, sizeof(err->msg), "demo obligation of %lld",
					 (long long)id);
			return -1;
		}
	}
	return 0;
}

static const char *yes(int v)
{
	return v ? "1" : "0";
}

/* One incident: reported at t, moved as far as its age allows. */
/* the stages, in order: how far the newest incidents have come */
enum stage { ST_REPORTED = 0, ST_RECEIVED, ST_ASSESSED, ST_REMEDIATING, ST_RESTORED,
	     ST_INVESTIGATED, ST_CLOSED };

static int one(struct ctx *cx, int i, int stop, int64_t t, int64_t end, const struct kind *k,
	       enum special sp, const struct db_rows *people, const struct db_rows *handlers,
	       const struct db_rows *units, const struct db_rows *systems, struct db_error *err)
{
	const char *v[IN__COUNT] = { 0 };
	int consequence = k->consequence + (int)rnd(2);
	int harm_a = strcmp(k->category, "outage") == 0, duty_personal = 0, duty_nis2 = 0;
	const char *spread = "one", *urgency = "normal";
	const char *system = NULL;
	int64_t id;

	cx->now = t;
	v[IN_TITLE] = k->title;
	v[IN_DESCRIPTION] = k->description;
	v[IN_LOCATION] = k->location;
	v[IN_CATEGORY] = k->category;
	v[IN_PERSONAL] = k->personal;
	v[IN_OCCURRED] = clock_format_iso(cx->a, t - (int64_t)(MIN * (10 + rnd(180))));
	v[IN_REPORTER] = id_of(cx, people);
	v[IN_UNIT] = id_of(cx, units);
	v[IN_CHANNEL] = rnd(6) == 0 ? "phone" : "web";
	if (strcmp(k->category, "outage") == 0 || strcmp(k->category, "unauthorised_access") == 0 ||
	    strcmp(k->category, "vulnerability") == 0 || sp == SP_MALWARE)
		system = id_of(cx, systems);
	v[IN_SYSTEM] = system;
	switch (sp) {
	case SP_MALWARE:
		v[IN_CATEGORY] = "malware";
		v[IN_TITLE] = "Skadlig kod på dator i ekonomienheten";
		v[IN_DESCRIPTION] = "Antivirusprogrammet larmade om skadlig kod efter att en bilaga "
			"öppnats; datorn började kryptera filer på en delad katalog.";
		v[IN_PERSONAL] = "unknown";
		consequence = 3;
		harm_a = 1;
		spread = "several_units";
		urgency = "immediate";
		break;
	case SP_BREACH:
		v[IN_CATEGORY] = "lost_equipment";
		v[IN_TITLE] = "Stulen bärbar dator med uppgifter om brukare";
		v[IN_DESCRIPTION] = "En bärbar dator stals ur en bil. Den innehöll en lokal kopia av "
			"en lista över brukare i hemtjänsten; disken var inte krypterad.";
		v[IN_PERSONAL] = "yes";
		consequence = 3;
		duty_personal = 1;
		spread = "external";
		urgency = "high";
		break;
	case SP_NIS2:
		v[IN_CATEGORY] = "outage";
		v[IN_TITLE] = "Totalt avbrott i vattenverkets styrsystem";
		v[IN_DESCRIPTION] = "Styrsystemet för vattenverket slutade svara; driften gick över "
			"till manuell övervakning.";
		v[IN_PERSONAL] = "no";
		consequence = 4;
		harm_a = 1;
		duty_nis2 = 1;
		spread = "organisation";
		urgency = "immediate";
		system = id_of(cx, systems);
		v[IN_SYSTEM] = system;
		break;
	default:
		if (consequence >= 3 && rnd(2))
			spread = "unit";
		break;
	}
	if (strcmp(v[IN_CATEGORY], "wrong_recipient") == 0 && rnd(3) == 0)
		duty_personal = 0; /* most went to another employee: no risk */
	id = entity_create_values(cx, &in_incidents, v, err);
	if (!id)
		return -1;
	if (system) {
		const char *l[IL__COUNT] = { 0 };
		l[IL_INCIDENT] = arena_printf(cx->a, "%lld", (long long)id);
		l[IL_OTHER] = system;
		if (!entity_create_values(cx, &in_incident_systems, l, err))
			return -1;
	}
	/* received within minutes to a few hours, by the desk */
	t += MIN * (5 + rnd(sp ? 20 : 240));
	if (t > end || stop <= ST_REPORTED)
		return 0;
	cx->now = t;
	if (step(cx, id, "receive", NULL, err) != 0)
		return -1;
	{
		struct record rec;
		struct field_errors errs = { .n = 0 };
		if (entity_get(cx, &in_incidents, id, &rec, err) != 0)
			return -1;
		rec.v[IN_HANDLER] = id_of(cx, handlers);
		if (entity_update(cx, &in_incidents, &rec, &errs, err) != 0)
			return -1;
	}
	/* a suspicious call now and then was the real supplier */
	if (strcmp(v[IN_CATEGORY], "suspicious_call") == 0 && rnd(4) == 0) {
		const char *pv[] = { "Samtalet kom från vår leverantör, som bekräftade det." };
		cx->now = t + HOUR;
		return cx->now > end ? 0 : step(cx, id, "not-incident", pv, err);
	}
	t += sp ? HOUR * (1 + rnd(2)) : HOUR * (1 + rnd(30));
	if (t > end || stop <= ST_RECEIVED)
		return 0;
	cx->now = t;
	{
		const char *pv[] = {
			arena_printf(cx->a, "%d", consequence > 4 ? 4 : consequence),
			yes(strcmp(v[IN_PERSONAL], "yes") == 0), yes(0), yes(harm_a), spread, urgency,
			yes(duty_personal), yes(0), yes(duty_nis2), yes(0), yes(0), yes(0),
			duty_personal || duty_nis2 ? "Anmälningspliktig enligt bedömningen." :
			"Ingen rapporteringsplikt: ingen risk för de registrerade.",
		};
		if (step(cx, id, "assess", pv, err) != 0)
			return -1;
	}
	if (sp == SP_NIS2 || sp == SP_MALWARE) {
		const char *pv[] = { sp == SP_NIS2 ? "Krisledningsnämndens ordförande via "
				     "tjänsteman i beredskap" : "Kommunens krisledningsgrupp", NULL };
		cx->now = t + 30 * MIN;
		if (sp == SP_NIS2 && step(cx, id, "escalate", pv, err) != 0)
			return -1;
	}
	/* reported to IMY or the CSIRT within hours of the assessment */
	cx->now = t + 3 * HOUR;
	if (sp && cx->now <= end && discharge_pending(cx, id, err) != 0)
		return -1;
	t += HOUR * (1 + rnd(sp ? 20 : 6));
	if (t > end || stop <= ST_ASSESSED)
		return 0;
	cx->now = t;
	if (step(cx, id, "remediate", NULL, err) != 0)
		return -1;
	t += sp ? HOUR * (10 + rnd(30)) : HOUR * (1 + rnd(48));
	if (t > end || stop <= ST_REMEDIATING)
		return 0;
	cx->now = t;
	{
		const char *pv[] = { k->remedy, NULL };
		if (sp == SP_MALWARE)
			pv[0] = "Datorn isolerades och installerades om; filerna återställdes från "
				"säkerhetskopian.";
		else if (sp == SP_NIS2)
			pv[0] = "Styrsystemet startades om från en ren installation; leverantören "
				"kontrollerade loggarna.";
		else if (sp == SP_BREACH)
			pv[0] = "Datorn spärrades; anmälan till IMY och polisen; de berörda informerades.";
		if (step(cx, id, "recover", pv, err) != 0)
			return -1;
	}
	t += DAY * (2 + rnd(14));
	if (t > end || stop <= ST_RESTORED)
		return 0;
	cx->now = t;
	{
		const char *pv[] = { k->root, k->cause, k->lessons };
		if (sp == SP_MALWARE) {
			pv[0] = "malicious";
			pv[1] = "En bilaga i ett riktat mejl innehöll utpressningsprogram.";
			pv[2] = "Begränsa rättigheterna till delade kataloger; öva återläsning.";
		} else if (sp == SP_NIS2) {
			pv[0] = "third_party";
			pv[1] = "Ett fel i leverantörens fjärruppdatering.";
			pv[2] = "Avtala om testmiljö och godkännande innan uppdateringar.";
		} else if (sp == SP_BREACH) {
			pv[0] = "human_error";
			pv[1] = "Datorn lämnades i bilen och disken var inte krypterad.";
			pv[2] = "Kryptera alla bärbara datorer; förbjud lokala kopior av brukarlistor.";
		}
		if (step(cx, id, "investigate", pv, err) != 0)
			return -1;
	}
	t += DAY * (1 + rnd(10));
	if (t > end || stop <= ST_INVESTIGATED)
		return 0;
	cx->now = t;
	(void)i;
	/* the final report before the case is closed */
	if (sp && discharge_pending(cx, id, err) != 0)
		return -1;
	return step(cx, id, "close", NULL, err);
}

/* Working hours on a weekday, Stockholm time, day days before end. */
static int64_t moment(int64_t end, int days)
{
	int64_t day, t = clock_local_midnight(end - (int64_t)days * DAY, &day);
	struct clock_local l;

	clock_to_local(t + 12 * HOUR, &l);
	(void)l;
	return t + 7 * HOUR + 30 * MIN + (int64_t)rnd(9 * 60) * MIN;
}

int incidents_demo(struct ctx *cx, struct buf *summary, struct db_error *err);
int incidents_demo(struct ctx *cx, struct buf *summary, struct db_error *err)
{
	const int64_t end = cx->now;
	struct db_rows people, handlers, units, systems;
	int total = 0, rc = 0, stop;
	int weights = 0;

	memset(err, 0, sizeof(*err));
	if (strcmp(cx->org->slug, "exempelstad") != 0)
		return 0;
	seed = 20261205u;
	if (db_exec(cx->db, cx->a, sql_people, DB_ARGS(DB_INT(cx->org->id)), &people, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_handlers, DB_ARGS(DB_INT(cx->org->id)), &handlers,
		    err) != 0 ||
	    db_exec(cx->db, cx->a, sql_units, DB_ARGS(DB_INT(cx->org->id)), &units, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_systems, DB_ARGS(DB_INT(cx->org->id)), &systems, err) != 0)
		return -1;
	if (!people.nrows)
		return 0;
	if (db_begin(cx->db, err))
		return -1;
	cx->bulk = 1;
	/* a year of history: nobody is mailed about it */
	cx->quiet = 1;
	for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
		weights += kinds[k].weight;
	/* spread over the last 360 days, oldest first; the phishing waves
	 * in two months of their own */
	for (int i = 0; i < DEMO_INCIDENTS && rc == 0; i++) {
		int days = 360 - i * 360 / DEMO_INCIDENTS - (int)rnd(3);
		enum special sp = i == 30 ? SP_MALWARE : i == 55 ? SP_BREACH :
			i == 80 ? SP_NIS2 : SP_NONE;
		const struct kind *k = &kinds[0];
		int w = (int)rnd((uint32_t)weights);

		for (size_t x = 0; x < ARRAY_SIZE(kinds); x++) {
			if (w < kinds[x].weight) {
				k = &kinds[x];
				break;
			}
			w -= kinds[x].weight;
		}
		/* the waves: late winter and early autumn */
		if ((days > 270 && days < 290) || (days > 90 && days < 105))
			k = &kinds[2];
		if (days < 1)
			days = 1;
		/* the newest ten at every stage of the handling */
		stop = i >= DEMO_INCIDENTS - 10 ? (DEMO_INCIDENTS - 1 - i) % ST_CLOSED : ST_CLOSED;
		rc = one(cx, i, stop, moment(end, days), end, k, sp, &people, &handlers, &units, &systems,
			 err);
		total++;
	}
	cx->now = end;
	cx->bulk = 0;
	cx->quiet = 0;
	if (rc != 0 || db_commit(cx->db, err) != 0) {
		db_rollback(cx->db);
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "demo incidents of %s: not created",
				 cx->org->slug);
		return -1;
	}
	buf_puts(summary, msg_fill(cx->a, msg_text(cx->lang, M_IC_DEMO), "{n}",
				  arena_printf(cx->a, "%d", total)));
	buf_puts(summary, "\n");
	return 0;
}
