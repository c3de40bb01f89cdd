/* demo_scale.c - risk analyses at scale (core/scale.h): a system analysis
 * for many of the organisation's systems, five risks each on average
 * (threats combined from a list, consequence and likelihood skewed to the
 * middle, most to be reduced), most analyses decided.  Through the
 * engine, many writes to a transaction: the levels, the summaries and the
 * audit trail as in use. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/scale.h"
#include "db/db.h"
#include "modules/risks/risks.h"

struct threat {
	const char *title, *cause, *event, *consequence, *k, *r, *t;
};

static const struct threat threats[] = {
	{ "Obehörig åtkomst till uppgifterna", "Behörigheter följs inte upp",
	  "Någon läser uppgifter utan att behöva", "Integritetsintrång och förlorat förtroende",
	  "1", NULL, NULL },
	{ "Utpressningsvirus", "Sårbarhet som inte åtgärdats", "Skadlig kod krypterar data",
	  "Verksamheten står still i dagar", NULL, "1", "1" },
	{ "Avbrott hos leverantören", "Ett enda driftställe", "Tjänsten går inte att nå",
	  "Ärenden blir liggande", NULL, "1", NULL },
	{ "Felaktiga uppgifter i registret", "Manuell inmatning utan kontroll",
	  "Beslut fattas på fel underlag", "Felaktiga beslut om enskilda", NULL, NULL, "1" },
	{ "Uppgifter skickas till fel mottagare", "Liknande namn i adressboken",
	  "Känsliga uppgifter når obehöriga", "Personuppgiftsincident", "1", NULL, NULL },
	{ "Nyckelperson slutar", "Kunskapen finns hos en person", "Ingen kan förvalta systemet",
	  "Fel rättas inte i tid", NULL, "1", "1" },
	{ "Loggar granskas inte", "Ingen tid avsatt", "Otillåten läsning upptäcks inte",
	  "Intrång pågår länge", "1", NULL, "1" },
	{ "Säkerhetskopior går inte att läsa tillbaka", "Återläsning övas aldrig",
	  "Data går förlorade vid haveri", "Uppgifter måste återskapas för hand", NULL, "1", "1" },
	{ "Mobila enheter tappas bort", "Enheter utan kryptering", "Uppgifter hamnar hos obehöriga",
	  "Personuppgiftsincident", "1", NULL, NULL },
	{ "Avtalet saknar säkerhetskrav", "Upphandlat utan kravställning",
	  "Leverantören skyddar inte uppgifterna", "Brister som inte kan krävas åtgärdade",
	  "1", "1", NULL },
	{ "Tredjelandsöverföring", "Molntjänst med underbiträden utanför EU",
	  "Uppgifter lämnas ut till utländsk myndighet", "Brott mot dataskyddsförordningen",
	  "1", NULL, NULL },
	{ "Fel i integrationen", "Ingen övervakning av överföringar", "Uppgifter kommer inte fram",
	  "Beslut på ofullständigt underlag", NULL, "1", "1" },
};

static const char sql_systems[] =
	"SELECT id, owner_id, name FROM it_system WHERE org_id = $1 AND archived = 0"
	" AND owner_id IS NOT NULL ORDER BY id";
static const char sql_count[] = "SELECT count(*) FROM risk WHERE org_id = $1";
static const char sql_version[] = "SELECT version FROM risk_analysis WHERE org_id = $1 AND id = $2";

static const char *id_text(struct arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : NULL;
}

static int move(struct ctx *cx, int64_t id, const char *name, const char *const *pv,
		struct db_error *err)
{
	struct field_errors errs = { .n = 0 };
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_version, DB_ARGS(DB_INT(cx->org->id), DB_INT(id)), &r,
		    err) != 0 || r.nrows != 1)
		return -1;
	if (entity_transition(cx, &rk_analyses, id, db_cell_i64(&r, 0, 0), name, pv, &errs,
			      err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "scale: analysis %lld: %s refused",
				 (long long)id, name);
		return -1;
	}
	return 0;
}

int risks_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
		     struct db_error *err)
{
	static const int cw[] = { 15, 40, 30, 15 };
	static const int tw[] = { 70, 15, 5, 10 };
	static const char *const treat[] = { "reduce", "accept", "avoid", "transfer" };
	struct arena *outer = cx->a, keep = ARENA_INIT, scratch = ARENA_INIT;
	struct scale_rng r;
	struct db_rows sys, c;
	double t0 = scale_clock();
	int64_t want, made = 0, analyses = 0, decided = 0;
	int rc = 0;

	memset(err, 0, sizeof(*err));
	scale_rng_init(&r, s->seed, cx->org->id, "risks");
	if (db_exec(cx->db, &keep, sql_systems, DB_ARGS(DB_INT(cx->org->id)), &sys, err) != 0 ||
	    db_exec(cx->db, &keep, sql_count, DB_ARGS(DB_INT(cx->org->id)), &c, err) != 0) {
		arena_release(&keep);
		return -1;
	}
	want = s->risks - db_cell_i64(&c, 0, 0);
	cx->a = &scratch;
	if (sys.nrows && scale_batch_begin(cx, err) != 0)
		rc = -1;
	for (size_t i = 0; sys.nrows && rc == 0 && made < want; i++) {
		const char *v[RA__COUNT] = { 0 };
		size_t k = i % sys.nrows;
		int nrisks = 2 + (int)scale_below(&r, 7), days = 20 + (int)scale_below(&r, 700);
		int64_t an;

		v[RA_TITLE] = arena_printf(cx->a, "Riskanalys %s%s", db_cell(&sys, k, 2),
					   i >= sys.nrows ? arena_printf(cx->a, " (%zu)",
									 i / sys.nrows + 1) : "");
		v[RA_KIND] = "system";
		v[RA_SYSTEM] = db_cell(&sys, k, 0);
		v[RA_PURPOSE] = "Riskerna för systemets information inför nästa förvaltningsår.";
		v[RA_PARTICIPANTS] = "Systemägaren, systemförvaltaren och "
			"informationssäkerhetssamordnaren";
		v[RA_OWNER] = db_cell(&sys, k, 1);
		v[RA_METHOD] = "Workshop";
		v[RA_PERFORMED_ON] = scale_date(cx->a, cx->now, -days);
		v[RA_REVIEW_ON] = scale_date(cx->a, cx->now, 365 - days);
		if (!(an = entity_create_values(cx, &rk_analyses, v, err))) {
			rc = -1;
			break;
		}
		analyses++;
		for (int j = 0; j < nrisks && made < want && rc == 0; j++) {
			const char *w[RK__COUNT] = { 0 };
			const struct threat *t = &threats[(scale_below(&r, ARRAY_SIZE(threats)) + (size_t)j) %
							  ARRAY_SIZE(threats)];
			size_t tr = scale_weighted(&r, tw, ARRAY_SIZE(tw));
			int cons = (int)scale_weighted(&r, cw, ARRAY_SIZE(cw)) + 1;
			int like = (int)scale_weighted(&r, cw, ARRAY_SIZE(cw)) + 1;

			w[RK_ANALYSIS] = id_text(cx->a, an);
			w[RK_TITLE] = t->title;
			w[RK_CAUSE] = t->cause;
			w[RK_EVENT] = t->event;
			w[RK_CONSEQUENCE_TEXT] = t->consequence;
			w[RK_ASPECT_K] = t->k;
			w[RK_ASPECT_R] = t->r;
			w[RK_ASPECT_T] = t->t;
			w[RK_CONSEQUENCE] = arena_printf(cx->a, "%d", cons);
			w[RK_LIKELIHOOD] = arena_printf(cx->a, "%d", like);
			w[RK_TREATMENT] = treat[tr];
			w[RK_TREATMENT_REASON] = tr == 1 ? "Kostnaden står inte i proportion till risken." :
				"Åtgärder beslutas i handlingsplanen.";
			if (tr != 1) {
				w[RK_RES_CONSEQUENCE] = arena_printf(cx->a, "%d", cons > 1 ? cons - 1 : 1);
				w[RK_RES_LIKELIHOOD] = arena_printf(cx->a, "%d", like > 1 ? like - 1 : 1);
			}
			w[RK_SYSTEM] = db_cell(&sys, k, 0);
			w[RK_OWNER] = db_cell(&sys, k, 1);
			if (!entity_create_values(cx, &rk_risks, w, err))
				rc = -1;
			made++;
		}
		/* most analyses are done and decided by their owner's management */
		if (rc == 0 && scale_below(&r, 10) < 8) {
			const char *pv[] = { "Riskerna och åtgärderna fastställs.",
					     scale_date(cx->a, cx->now, -days + 7) };
			rc = move(cx, an, "start", NULL, err);
			if (rc == 0 && days > 7)
				rc = move(cx, an, "decide", pv, err);
			decided += rc == 0 && days > 7;
		}
		if (rc == 0 && analyses % 100 == 0) {
			rc = scale_batch_tick(cx, analyses, 100, err);
			arena_release(&scratch);
			scale_progress(s, "risks", made, want);
		}
	}
	if (sys.nrows)
		rc = scale_batch_end(cx, rc, err);
	cx->a = outer;
	arena_release(&scratch);
	arena_release(&keep);
	if (rc != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "scale risks of %s: not made",
				 cx->org->slug);
		return -1;
	}
	buf_printf(summary, "  %s: %lld risk analyses (%lld decided), %lld risks (%.1f s)\n",
		   cx->org->slug, (long long)analyses, (long long)decided, (long long)made,
		   scale_clock() - t0);
	return 0;
}
