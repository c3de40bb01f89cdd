/* demo_scale.c - the system register at scale (core/scale.h): information
 * sets, most of them classified (levels skewed low: most 1-2, few 3-4),
 * systems owned by the organisation's system owners in their units, the
 * links that derive the systems' levels (and, through SYSTEM_CHANGED, the
 * measures each system needs), a manager per system, dependencies, and
 * the coordinator's review of most derived levels.  All through the
 * engine, many writes to a transaction, so the derivation, the summaries
 * and the audit trail are what use would have made. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/scale.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"

static const char *const products[] = {
	"Procapita", "Treserva", "Lifecare", "Pulsen Combine", "Visma Lön", "Heroma",
	"Agresso", "Raindance", "Public 360", "Ciceron", "W3D3", "Platina", "Evolution",
	"Castor", "Tieto Education", "Skolon", "Unikum", "IST Administration", "Vklass",
	"Edlevo", "Combine", "Mina Sidor", "E-tjänsteplattform", "Ärendehanteringssystem",
	"Journalsystem", "Larmsystem", "Passersystem", "Fastighetssystem", "GIS-plattform",
	"Bygglovssystem", "Miljöreda", "Debiteringssystem", "Bokningssystem", "Intranät",
	"Webbpublicering", "Växelsystem", "Telefoni", "Kvalitetssystem", "Avvikelsesystem",
	"Styrsystem", "Signeringstjänst", "Arkivsystem", "Lokalbokning", "Bibliotekssystem",
};
static const char *const areas[] = {
	"äldreomsorg", "hemtjänst", "individ- och familjeomsorg", "LSS", "grundskola",
	"förskola", "gymnasium", "vuxenutbildning", "ekonomi", "lön", "HR", "kansli",
	"registratur", "bygglov", "miljö", "VA", "gata och park", "bibliotek", "fritid",
	"kultur", "IT-drift", "kundtjänst", "räddningstjänst", "överförmyndare",
	"måltidsservice", "fastighet", "upphandling", "kommunikation", "krisberedskap",
	"näringsliv", "färdtjänst", "skolskjuts", "socialtjänst", "flyktingmottagning",
	"hälso- och sjukvård", "elevhälsa", "arbetsmarknad", "energi", "renhållning", "turism",
};
static const char *const suppliers[] = {
	"CGI", "Tietoevry", "Visma", "Pulsen", "Atea", "Sokigo", "Formpipe", "Netpublicator",
	"Microsoft", "Google", "Evry", "Dedu", "Hogia", "Unit4", "IST", "Egen utveckling",
};
static const char *const info_kinds[] = {
	"Personakter", "Ansökningar", "Beslut", "Journalanteckningar", "Fakturor",
	"Lönelistor", "Elevuppgifter", "Betyg", "Ritningar", "Avtal", "Protokoll",
	"Registerutdrag", "Loggar", "Kartdata", "Mätvärden", "Bokningar", "Ärenden",
	"Anmälningar", "Genomförandeplaner", "Utredningar", "Kontaktuppgifter",
	"Behörigheter", "Närvarouppgifter", "Tillsynsrapporter", "Dokumentation",
};
static const char *const info_types[] = {
	"Personuppgifter", "Ekonomisk information", "Verksamhetsinformation",
	"Teknisk information", "Allmänna handlingar",
};

static const char sql_pool[] =
	"SELECT p.id, p.unit_id FROM person p JOIN role_assignment r ON r.person_id = p.id"
	" AND r.org_id = p.org_id AND r.archived = 0 AND r.role = $2"
	" WHERE p.org_id = $1 AND p.archived = 0 ORDER BY p.id";
static const char sql_count[] =
	"SELECT (SELECT count(*) FROM it_system WHERE org_id = $1),"
	" (SELECT count(*) FROM information_set WHERE org_id = $1)";
static const char sql_version[] =
	"SELECT version, needs_review FROM it_system WHERE org_id = $1 AND id = $2";

struct pool {
	int64_t *id, *unit;
	size_t n;
};

struct sys_gen {
	struct ctx *cx;
	const struct demo_scale *s;
	struct scale_rng r;
	struct pool owners, managers, info_owners;
	int64_t *infoset, *system;
	int64_t ninfo, nsys, ncls, nlinks, ndeps, nreviewed, done, total;
};

static int load_pool(struct sys_gen *g, const char *role, struct pool *p, struct arena *a,
		     struct db_error *err)
{
	struct db_rows r;

	if (db_exec(g->cx->db, a, sql_pool, DB_ARGS(DB_INT(g->cx->org->id), DB_TEXT(role)), &r,
		    err) != 0)
		return -1;
	p->n = r.nrows;
	p->id = arena_alloc(a, (r.nrows + 1) * sizeof(*p->id));
	p->unit = arena_alloc(a, (r.nrows + 1) * sizeof(*p->unit));
	for (size_t i = 0; i < r.nrows; i++) {
		p->id[i] = db_cell_i64(&r, i, 0);
		p->unit[i] = db_cell_i64(&r, i, 1);
	}
	return 0;
}

static const char *id_text(struct arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : NULL;
}

static const char *num(struct arena *a, int v)
{
	return arena_printf(a, "%d", v);
}

/* Commits every SCALE_BATCH / 5 writes (the engine's writes are many
 * statements each) and frees the batch's memory. */
static int tick(struct sys_gen *g, struct arena *scratch, const char *what, int64_t done,
		int64_t total, struct db_error *err)
{
	if (++g->done % 1000 != 0)
		return 0;
	arena_release(scratch);
	scale_progress(g->s, what, done, total);
	return scale_batch_tick(g->cx, g->done, 1000, err);
}

static int make_infosets(struct sys_gen *g, int64_t have, struct arena *scratch,
			 struct db_error *err)
{
	struct ctx *cx = g->cx;

	for (int64_t i = 0; i < g->ninfo; i++) {
		const char *v[INF_REVIEW_ON + 1] = { 0 };
		const char *c[CLS_SCALE + 1] = { 0 };
		size_t o = g->info_owners.n ? scale_below(&g->r, (uint32_t)g->info_owners.n) : 0;
		int k = scale_level(&g->r), personal = scale_below(&g->r, 100) < 55;
		int sensitive = personal && k >= 2 && scale_below(&g->r, 3) == 0;
		int64_t id;

		v[INF_NAME] = arena_printf(cx->a, "%s %s%s",
					   info_kinds[(have + i) % ARRAY_SIZE(info_kinds)],
					   areas[(have + i) / ARRAY_SIZE(info_kinds) % ARRAY_SIZE(areas)],
					   (have + i) >= (int64_t)(ARRAY_SIZE(info_kinds) *
								   ARRAY_SIZE(areas)) ?
					   arena_printf(cx->a, " %lld", (long long)(have + i)) : "");
		v[INF_TYPE] = info_types[scale_below(&g->r, ARRAY_SIZE(info_types))];
		v[INF_DESCRIPTION] = "Uppgifter som verksamheten hanterar i sitt arbete.";
		v[INF_OWNER] = g->info_owners.n ? id_text(cx->a, g->info_owners.id[o]) : NULL;
		v[INF_UNIT] = g->info_owners.n ? id_text(cx->a, g->info_owners.unit[o]) : NULL;
		v[INF_FORM_DIGITAL] = "1";
		v[INF_FORM_PAPER] = scale_below(&g->r, 4) == 0 ? "1" : "0";
		v[INF_PERSONAL] = personal ? "1" : "0";
		v[INF_SENSITIVE] = sensitive ? "1" : "0";
		v[INF_SECRECY] = sensitive ? "1" : "0";
		v[INF_SECRECY_REF] = sensitive ? "26 kap. 1 § OSL" : NULL;
		if (!(id = entity_create_values(cx, &sys_infosets, v, err)))
			return -1;
		g->infoset[i] = id;
		/* most are classified, a few still waiting */
		if (scale_below(&g->r, 100) < 88) {
			int days = (int)scale_below(&g->r, 700);
			c[CLS_INFOSET] = id_text(cx->a, id);
			c[CLS_LEVEL_K] = num(cx->a, sensitive && k < 3 ? 3 : k);
			c[CLS_LEVEL_R] = num(cx->a, scale_level(&g->r));
			c[CLS_LEVEL_T] = num(cx->a, scale_level(&g->r));
			c[CLS_LEVEL_S] = num(cx->a, scale_level(&g->r) - (int)scale_below(&g->r, 2));
			c[CLS_PARTICIPANTS] = "Informationsägaren, systemförvaltaren och "
				"informationssäkerhetssamordnaren";
			c[CLS_DECISION] = "Fastställd av informationsägaren.";
			c[CLS_DECIDED_ON] = scale_date(cx->a, cx->now, -days);
			if (!entity_create_values(cx, &sys_classifications, c, err))
				return -1;
			g->ncls++;
		}
		if (tick(g, scratch, "information sets", i + 1, g->ninfo, err) != 0)
			return -1;
	}
	return 0;
}

static int make_systems(struct sys_gen *g, int64_t have, struct arena *scratch,
			struct db_error *err)
{
	struct ctx *cx = g->cx;
	static const int hosting_w[] = { 35, 20, 30, 15 };
	static const char *const hosting[] = { "own", "joint", "supplier", "cloud" };
	static const int life_w[] = { 3, 6, 80, 8, 3 };
	static const char *const life[] = { "planned", "introducing", "operation",
					    "decommissioning", "retired" };

	for (int64_t i = 0; i < g->nsys; i++) {
		const char *v[SYS_PLAN_MISSING + 1] = { 0 };
		int64_t n = have + i, np = ARRAY_SIZE(products), na = ARRAY_SIZE(areas);
		size_t o = g->owners.n ? scale_below(&g->r, (uint32_t)g->owners.n) : 0;
		size_t h = scale_weighted(&g->r, hosting_w, ARRAY_SIZE(hosting_w));
		uint32_t pd = scale_below(&g->r, 10);

		v[SYS_NAME] = n < np * na ?
			arena_printf(cx->a, "%s %s", products[n % np], areas[(n / np) % na]) :
			arena_printf(cx->a, "%s %s %lld", products[n % np], areas[(n / np) % na],
				     (long long)(n / (np * na) + 1));
		v[SYS_DESCRIPTION] = "Verksamhetssystem för handläggning och dokumentation.";
		v[SYS_PURPOSE] = "Stödjer verksamhetens handläggning.";
		v[SYS_UNIT] = g->owners.n ? id_text(cx->a, g->owners.unit[o]) : NULL;
		v[SYS_OWNER] = g->owners.n ? id_text(cx->a, g->owners.id[o]) : NULL;
		v[SYS_SUPPLIER] = suppliers[scale_below(&g->r, ARRAY_SIZE(suppliers))];
		v[SYS_AGREEMENT_SECURITY] = scale_below(&g->r, 3) ? "1" : "0";
		v[SYS_AGREEMENT_EXPIRES] = scale_below(&g->r, 2) ?
			scale_date(cx->a, cx->now, (int)scale_below(&g->r, 1500) - 200) : NULL;
		v[SYS_HOSTING] = hosting[h];
		v[SYS_HOSTING_COUNTRY] = h >= 2 ? "Sverige" : NULL;
		v[SYS_USERS] = num(cx->a, 5 + (int)scale_below(&g->r, 800));
		v[SYS_LIFECYCLE] = life[scale_weighted(&g->r, life_w, ARRAY_SIZE(life_w))];
		v[SYS_CRITICAL_SOCIETY] = scale_below(&g->r, 20) == 0 ? "1" : "0";
		v[SYS_PERSONAL_DATA] = pd < 3 ? "none" : pd < 8 ? "ordinary" : "sensitive";
		v[SYS_KEY_PERSON] = scale_below(&g->r, 6) == 0 ? "1" : "0";
		v[SYS_LAST_UPDATE] = scale_date(cx->a, cx->now, -(int)scale_below(&g->r, 400));
		if (!(g->system[i] = entity_create_values(cx, &sys_systems, v, err)))
			return -1;
		if (tick(g, scratch, "systems", i + 1, g->nsys, err) != 0)
			return -1;
	}
	return 0;
}

/* Each system handles one to four information sets (which derives its
 * levels), has a manager, and some depend on another. */
static int make_links(struct sys_gen *g, struct arena *scratch, struct db_error *err)
{
	struct ctx *cx = g->cx;

	for (int64_t i = 0; i < g->nsys; i++) {
		int links = 1 + (int)scale_below(&g->r, 4);
		int64_t first = g->ninfo ? (int64_t)scale_below(&g->r, (uint32_t)g->ninfo) : 0;

		for (int k = 0; k < links && g->ninfo; k++) {
			const char *v[HND_NOTE + 1] = { 0 };
			/* neighbours: distinct sets for one system */
			v[HND_SYSTEM] = id_text(cx->a, g->system[i]);
			v[HND_INFOSET] = id_text(cx->a, g->infoset[(first + k * 7) % g->ninfo]);
			if (k > 0 && (first + k * 7) % g->ninfo == first)
				break;
			if (!entity_create_values(cx, &sys_handles, v, err))
				return -1;
			g->nlinks++;
		}
		if (g->managers.n) {
			const char *v[SPR_APPOINTED_ON + 1] = { 0 };
			v[SPR_SYSTEM] = id_text(cx->a, g->system[i]);
			v[SPR_PERSON] = id_text(cx->a,
						g->managers.id[scale_below(&g->r, (uint32_t)g->managers.n)]);
			v[SPR_ROLE] = "manager";
			if (!entity_create_values(cx, &sys_people, v, err))
				return -1;
		}
		if (i > 0 && scale_below(&g->r, 3) == 0) {
			const char *v[DEP_FLOWS + 1] = { 0 };
			static const char *const dirs[] = { "out", "in", "both" };
			v[DEP_SYSTEM] = id_text(cx->a, g->system[i]);
			v[DEP_OTHER] = id_text(cx->a, g->system[scale_below(&g->r, (uint32_t)i)]);
			v[DEP_DIRECTION] = dirs[scale_below(&g->r, 3)];
			v[DEP_FLOWS] = "Personuppgifter och ärendeuppgifter";
			if (!entity_create_values(cx, &sys_dependencies, v, err))
				return -1;
			g->ndeps++;
		}
		if (tick(g, scratch, "system links", i + 1, g->nsys, err) != 0)
			return -1;
	}
	return 0;
}

/* The coordinator has looked at nine in ten of the derived levels. */
static int mark_reviewed(struct sys_gen *g, struct arena *scratch, struct db_error *err)
{
	struct ctx *cx = g->cx;

	for (int64_t i = 0; i < g->nsys; i++) {
		struct field_errors errs = { .n = 0 };
		struct db_rows r;

		if (scale_below(&g->r, 10) == 0)
			continue;
		if (db_exec(cx->db, cx->a, sql_version,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(g->system[i])), &r, err) != 0)
			return -1;
		if (r.nrows != 1 || db_cell_i64(&r, 0, 1) != 1)
			continue;
		if (entity_transition(cx, &sys_systems, g->system[i], db_cell_i64(&r, 0, 0),
				      "reviewed", NULL, &errs, err) != 0) {
			if (!err->msg[0])
				snprintf(err->msg, sizeof(err->msg), "scale: system %lld not reviewed",
					 (long long)g->system[i]);
			return -1;
		}
		g->nreviewed++;
		if (tick(g, scratch, "reviews", i + 1, g->nsys, err) != 0)
			return -1;
	}
	return 0;
}

int systems_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
		       struct db_error *err)
{
	struct sys_gen g;
	struct arena keep = ARENA_INIT, scratch = ARENA_INIT;
	struct arena *outer = cx->a;
	struct db_rows c;
	double t0 = scale_clock();
	int rc;

	memset(&g, 0, sizeof(g));
	memset(err, 0, sizeof(*err));
	g.cx = cx;
	g.s = s;
	scale_rng_init(&g.r, s->seed, cx->org->id, "systems");
	if (load_pool(&g, "systemagare", &g.owners, &keep, err) != 0 ||
	    load_pool(&g, "systemforvaltare", &g.managers, &keep, err) != 0 ||
	    load_pool(&g, "informationsagare", &g.info_owners, &keep, err) != 0 ||
	    db_exec(cx->db, &keep, sql_count, DB_ARGS(DB_INT(cx->org->id)), &c, err) != 0) {
		arena_release(&keep);
		return -1;
	}
	g.nsys = s->systems - db_cell_i64(&c, 0, 0);
	g.ninfo = s->infosets - db_cell_i64(&c, 0, 1);
	if (g.nsys < 0)
		g.nsys = 0;
	if (g.ninfo < 0)
		g.ninfo = 0;
	g.system = arena_alloc(&keep, (size_t)(g.nsys + 1) * sizeof(*g.system));
	g.infoset = arena_alloc(&keep, (size_t)(g.ninfo + 1) * sizeof(*g.infoset));
	cx->a = &scratch;
	rc = scale_batch_begin(cx, err);
	if (rc == 0) {
		rc = make_infosets(&g, db_cell_i64(&c, 0, 1), &scratch, err);
		if (rc == 0)
			rc = make_systems(&g, db_cell_i64(&c, 0, 0), &scratch, err);
		if (rc == 0)
			rc = make_links(&g, &scratch, err);
		if (rc == 0)
			rc = mark_reviewed(&g, &scratch, err);
		rc = scale_batch_end(cx, rc, err);
	}
	cx->a = outer;
	arena_release(&scratch);
	arena_release(&keep);
	if (rc != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "scale systems of %s: not created",
				 cx->org->slug);
		return -1;
	}
	buf_printf(summary, "  %s: %lld systems, %lld information sets, %lld classifications,"
		   " %lld links, %lld dependencies, %lld levels reviewed (%.1f s)\n",
		   cx->org->slug, (long long)g.nsys, (long long)g.ninfo, (long long)g.ncls,
		   (long long)g.nlinks, (long long)g.ndeps, (long long)g.nreviewed,
		   scale_clock() - t0);
	return 0;
}
