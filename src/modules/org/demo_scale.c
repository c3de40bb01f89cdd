/* demo_scale.c - the base of an organisation at scale (core/scale.h): a
 * tree of units (nämnder, förvaltningar, avdelningar and many enheter:
 * schools, care homes, libraries ...), its people and their roles, made
 * through the engine (rules, sort keys, search text, audit trail), many
 * to a transaction.  An organisation that has units already (Exempelstad)
 * keeps them and gets more enheter under its avdelningar. */
#include "base/base.h"

#include "base/arena.h"
#include "base/buf.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/scale.h"
#include "db/db.h"
#include "modules/org/org.h"

struct skeleton {
	const char *namnd, *forvaltning;
	const char *avdelningar[5];
};

static const struct skeleton skeleton[] = {
	{ "Kommunstyrelsen", "Kommunledningsförvaltningen",
	  { "IT-avdelningen", "HR-avdelningen", "Ekonomiavdelningen", "Kansliet", NULL } },
	{ "Socialnämnden", "Socialförvaltningen",
	  { "Äldreomsorg", "Individ- och familjeomsorg", "Funktionsstöd", NULL } },
	{ "Barn- och utbildningsnämnden", "Barn- och utbildningsförvaltningen",
	  { "Grundskola", "Förskola", "Gymnasium", NULL } },
	{ "Samhällsbyggnadsnämnden", "Samhällsbyggnadsförvaltningen",
	  { "Bygglov och miljö", "Gata och park", "Vatten och avlopp", NULL } },
	{ "Kultur- och fritidsnämnden", "Kultur- och fritidsförvaltningen",
	  { "Bibliotek", "Fritid", NULL } },
};

/* the enheter under an avdelning, by the avdelning's name */
struct leaf_kind {
	const char *under;  /* a word in the avdelning's name */
	const char *kinds[4];
};
static const struct leaf_kind leaf_kinds[] = {
	{ "Äldre", { "äldreboende", "hemtjänst", "dagverksamhet", NULL } },
	{ "familj", { "socialkontor", "familjecentral", "boende för ensamkommande", NULL } },
	{ "Funktion", { "LSS-boende", "daglig verksamhet", "korttidsboende", NULL } },
	{ "Grund", { "skola", "skola", "fritidshem", NULL } },
	{ "Förskol", { "förskola", NULL } },
	{ "Gymnas", { "gymnasieskola", "vuxenutbildning", NULL } },
	{ "Bibliotek", { "bibliotek", NULL } },
	{ "Fritid", { "fritidsgård", "sporthall", "simhall", NULL } },
	{ "IT", { "IT-drift", "IT-support", "nätverk", NULL } },
	{ NULL, { "team", "enhet", NULL } },
};

static const char *const place_a[] = {
	"Sol", "Ek", "Björk", "Lind", "Gran", "Ros", "Äng", "Sjö", "Berg", "Hag", "Al",
	"Lövs", "Rönn", "Vall", "Strand", "Norr", "Söder", "Väster", "Öster", "Kvarn",
};
static const char *const place_b[] = {
	"backen", "gården", "dalen", "ängen", "viken", "parken", "lunden", "höjden",
	"torp", "bo", "sätra", "vik", "holmen", "åsen",
};

static const char *const titles[] = {
	"Undersköterska", "Sjuksköterska", "Lärare", "Förskollärare", "Barnskötare",
	"Socialsekreterare", "Handläggare", "Enhetschef", "Administratör", "Fritidsledare",
	"Bibliotekarie", "Ingenjör", "Systemförvaltare", "IT-tekniker", "Ekonom",
	"Personalhandläggare", "Vårdbiträde", "Stödassistent", "Kock", "Lokalvårdare",
	"Bygglovshandläggare", "Miljöinspektör", "Rektor", "Registrator", "Controller",
};
static const int title_weights[] = {
	18, 6, 14, 8, 7, 5, 6, 3, 5, 2, 1, 2, 2, 2, 1, 1, 8, 6, 2, 3, 1, 1, 1, 1, 1,
};

static const char sql_units[] =
	"SELECT id, kind, name FROM unit WHERE org_id = $1 AND archived = 0 ORDER BY id";
static const char sql_people_count[] =
	"SELECT count(*) FROM person WHERE org_id = $1";
static const char sql_leaves[] =
	"SELECT id FROM unit WHERE org_id = $1 AND archived = 0 AND kind IN ('enhet', 'avdelning')"
	" ORDER BY id";
static const char sql_has_role[] =
	"SELECT count(*) FROM role_assignment WHERE org_id = $1 AND role = $2 AND archived = 0";
static const char sql_role_candidates[] =
	"SELECT p.id, p.unit_id FROM person p WHERE p.org_id = $1 AND p.archived = 0"
	" AND p.employment = 'active' AND p.protected_identity = 0"
	" AND NOT EXISTS (SELECT 1 FROM role_assignment r WHERE r.person_id = p.id)"
	" ORDER BY p.id LIMIT $2";

static const char *id_text(struct arena *a, int64_t id)
{
	return id ? arena_printf(a, "%lld", (long long)id) : NULL;
}

struct org_gen {
	struct ctx *cx;
	const struct demo_scale *s;
	struct scale_rng r;
	int64_t units, people, roles, code;
};

static int64_t unit_add(struct org_gen *g, const char *name, const char *kind, int64_t parent,
			struct db_error *err)
{
	const char *v[UNIT_DESCRIPTION + 2] = { 0 };
	int64_t id;

	v[UNIT_NAME] = name;
	v[UNIT_KIND] = kind;
	v[UNIT_PARENT] = id_text(g->cx->a, parent);
	v[UNIT_CODE] = arena_printf(g->cx->a, "E%04lld", (long long)++g->code);
	id = entity_create_values(g->cx, &org_units, v, err);
	if (id)
		g->units++;
	return id;
}

static int make_skeleton(struct org_gen *g, struct db_error *err)
{
	int64_t root = unit_add(g, "Kommunfullmäktige", "namnd", 0, err);

	if (!root)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(skeleton); i++) {
		int64_t n = unit_add(g, skeleton[i].namnd, "namnd", root, err), f;
		if (!n || !(f = unit_add(g, skeleton[i].forvaltning, "forvaltning", n, err)))
			return -1;
		for (size_t k = 0; skeleton[i].avdelningar[k]; k++)
			if (!unit_add(g, skeleton[i].avdelningar[k], "avdelning", f, err))
				return -1;
	}
	return 0;
}

static const struct leaf_kind *kind_of(const char *avdelning)
{
	const struct leaf_kind *k = leaf_kinds;

	while (k->under && !strstr(avdelning, k->under))
		k++;
	return k;
}

static int make_units(struct org_gen *g, struct db_error *err)
{
	struct ctx *cx = g->cx;
	struct db_rows u;
	int64_t *avd = NULL;
	const char **avd_name = NULL;
	size_t navd = 0;

	if (db_exec(cx->db, cx->a, sql_units, DB_ARGS(DB_INT(cx->org->id)), &u, err) != 0)
		return -1;
	if (u.nrows == 0) {
		if (make_skeleton(g, err) != 0 ||
		    db_exec(cx->db, cx->a, sql_units, DB_ARGS(DB_INT(cx->org->id)), &u, err) != 0)
			return -1;
	}
	g->units = (int64_t)u.nrows;
	avd = arena_alloc(cx->a, (u.nrows + 1) * sizeof(*avd));
	avd_name = arena_alloc(cx->a, (u.nrows + 1) * sizeof(*avd_name));
	for (size_t i = 0; i < u.nrows; i++)
		if (strcmp(db_cell(&u, i, 1), "avdelning") == 0) {
			avd[navd] = db_cell_i64(&u, i, 0);
			avd_name[navd++] = db_cell(&u, i, 2);
		}
	for (int64_t i = 0; navd && g->units < g->s->units; i++) {
		size_t k = (size_t)scale_below(&g->r, (uint32_t)navd);
		const struct leaf_kind *lk = kind_of(avd_name[k]);
		size_t nk = 0;
		const char *name;

		while (lk->kinds[nk])
			nk++;
		name = arena_printf(cx->a, "%s%s%s %s",
				    place_a[scale_below(&g->r, ARRAY_SIZE(place_a))],
				    place_b[scale_below(&g->r, ARRAY_SIZE(place_b))],
				    scale_below(&g->r, 3) == 0 ? "s" : "",
				    lk->kinds[scale_below(&g->r, (uint32_t)nk)]);
		if (!unit_add(g, name, "enhet", avd[k], err))
			return -1;
	}
	return 0;
}

static int make_people(struct org_gen *g, struct db_error *err)
{
	struct ctx *cx = g->cx;
	struct arena *keep = cx->a, scratch = ARENA_INIT;
	struct db_rows r, leaves;
	int64_t have, want = g->s->people, *leaf;
	size_t nleaf;
	int rc = 0;

	if (db_exec(cx->db, cx->a, sql_people_count, DB_ARGS(DB_INT(cx->org->id)), &r, err) != 0 ||
	    db_exec(cx->db, cx->a, sql_leaves, DB_ARGS(DB_INT(cx->org->id)), &leaves, err) != 0)
		return -1;
	have = db_cell_i64(&r, 0, 0);
	nleaf = leaves.nrows;
	leaf = arena_alloc(cx->a, (nleaf + 1) * sizeof(*leaf));
	for (size_t i = 0; i < nleaf; i++)
		leaf[i] = db_cell_i64(&leaves, i, 0);
	cx->a = &scratch;
	for (int64_t i = have; i < want && rc == 0; i++) {
		const char *v[PERSON_PROTECTED + 2] = { 0 };
		const char *name = scale_person_name(&g->r, cx->a);
		uint32_t e = scale_below(&g->r, 100);

		v[PERSON_NAME] = name;
		v[PERSON_EMAIL] = arena_printf(cx->a, "%s.%lld@%s.se",
					       scale_email_local(cx->a, name), (long long)i,
					       cx->org->slug);
		v[PERSON_PHONE] = scale_below(&g->r, 3) ? arena_printf(cx->a, "010-%03u %02u %02u",
			scale_below(&g->r, 1000), scale_below(&g->r, 100), scale_below(&g->r, 100)) :
			NULL;
		v[PERSON_TITLE] = titles[scale_weighted(&g->r, title_weights,
							ARRAY_SIZE(title_weights))];
		v[PERSON_UNIT] = nleaf ? id_text(cx->a, leaf[scale_below(&g->r, (uint32_t)nleaf)]) :
			NULL;
		v[PERSON_EMPLOYMENT] = e < 92 ? "active" : e < 97 ? "leave" : "ended";
		v[PERSON_PROTECTED] = scale_below(&g->r, 500) == 0 ? "1" : "0";
		if (!entity_create_values(cx, &org_people, v, err))
			rc = -1;
		else
			g->people++;
		if (rc == 0 && g->people % 1000 == 0) {
			rc = scale_batch_tick(cx, g->people, SCALE_BATCH, err);
			arena_release(&scratch);
			scale_progress(g->s, "people", i + 1, want);
		}
	}
	arena_release(&scratch);
	cx->a = keep;
	return rc;
}

/* The roles the other registers need owners and handlers from: system
 * owners and managers in proportion to the systems, information owners to
 * the information sets, and the organisation-wide ones once each. */
struct role_want {
	const char *role;
	int per_org;        /* 1: for the whole organisation */
	int64_t n;
};

static int make_roles(struct org_gen *g, struct db_error *err)
{
	struct ctx *cx = g->cx;
	const struct demo_scale *s = g->s;
	struct role_want want[] = {
		{ "samordnare", 1, 1 },
		{ "administrator", 1, 1 },
		{ "ledning", 1, 5 },
		{ "it_chef", 1, 1 },
		{ "dataskyddsombud", 1, 1 },
		{ "systemagare", 0, s->systems / 6 + 1 },
		{ "systemforvaltare", 0, s->systems / 3 + 1 },
		{ "systemadministrator", 0, s->systems / 10 + 1 },
		{ "informationsagare", 0, s->infosets / 12 + 1 },
		{ "anvandare", 1, s->people / 50 },
	};
	int64_t total = 0;
	struct db_rows c, p;
	size_t next = 0;

	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		if (db_exec(cx->db, cx->a, sql_has_role,
			    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(want[i].role)), &c, err) != 0)
			return -1;
		want[i].n -= db_cell_i64(&c, 0, 0);
		if (want[i].n < 0)
			want[i].n = 0;
		total += want[i].n;
	}
	if (db_exec(cx->db, cx->a, sql_role_candidates,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(total)), &p, err) != 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		for (int64_t k = 0; k < want[i].n && next < p.nrows; k++, next++) {
			const char *v[ROLEA_NOTE + 2] = { 0 };
			v[ROLEA_PERSON] = db_cell(&p, next, 0);
			v[ROLEA_ROLE] = want[i].role;
			/* the roles for a unit: the person's own */
			v[ROLEA_UNIT] = want[i].per_org ? NULL : db_cell(&p, next, 1);
			if (!entity_create_values(cx, &org_roles, v, err))
				return -1;
			g->roles++;
		}
	return 0;
}

int org_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
		   struct db_error *err)
{
	struct org_gen g;
	double t0 = scale_clock();
	int rc;

	memset(&g, 0, sizeof(g));
	memset(err, 0, sizeof(*err));
	g.cx = cx;
	g.s = s;
	scale_rng_init(&g.r, s->seed, cx->org->id, "org");
	if (scale_batch_begin(cx, err) != 0)
		return -1;
	rc = make_units(&g, err);
	if (rc == 0)
		rc = make_people(&g, err);
	if (rc == 0)
		rc = make_roles(&g, err);
	if (scale_batch_end(cx, rc, err) != 0) {
		if (!err->msg[0])
			snprintf(err->msg, sizeof(err->msg), "scale org of %s: not created",
				 cx->org->slug);
		return -1;
	}
	buf_printf(summary, "  %s: %lld units, %lld people made, %lld role assignments (%.1f s)\n",
		   cx->org->slug, (long long)g.units, (long long)g.people, (long long)g.roles,
		   scale_clock() - t0);
	return 0;
}
