/* demo.c - the demo municipalities (demo.h).
 *
 * The data is declared in tables, one per organisation, and created in
 * order: units (parents before children), people (with an account for
 * those who have a demo login), role assignments.  Names are realistic
 * Swedish names with å, ä and ö so that sorting and searching are shown
 * doing the right thing from the first page.
 */
#include "base/base.h"

#include "cli/demo.h"
#include "core/module.h"
#include "base/buf.h"
#include "base/clock.h"
#include "core/scale.h"
#include "core/search.h"
#include "cli/ops.h"
#include "core/entity.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"

struct demo_unit {
	const char *code;   /* unique per organisation; parents refer to it */
	const char *name;
	const char *kind;   /* unit kind code */
	const char *parent; /* code, or NULL for a root */
	const char *description;
};

struct demo_person {
	const char *name;   /* unique per organisation; roles refer to it */
	const char *title;
	const char *unit;   /* unit code */
	const char *email;
	const char *phone;
	const char *employment;
	int protected_identity;
	int login;          /* an account with DEMO_PASSWORD */
};

struct demo_role {
	const char *person; /* name */
	const char *role;   /* role code */
	const char *unit;   /* code, or NULL for the whole organisation */
	const char *note;
};

struct demo_org {
	const char *slug, *name, *kind;
	const struct demo_unit *units;
	const struct demo_person *people;
	const struct demo_role *roles;
};

/* ---- Exempelstads kommun ---- */

static const struct demo_unit exempelstad_units[] = {
	{ "KF", "Kommunfullmäktige", "namnd", NULL,
	  "Kommunens högsta beslutande församling." },
	{ "KS", "Kommunstyrelsen", "namnd", "KF",
	  "Leder och samordnar kommunens verksamhet; ansvarar för informationssäkerheten." },
	{ "SN", "Socialnämnden", "namnd", "KF", NULL },
	{ "BUN", "Barn- och utbildningsnämnden", "namnd", "KF", NULL },
	{ "SBN", "Samhällsbyggnadsnämnden", "namnd", "KF", NULL },
	{ "KFN", "Kultur- och fritidsnämnden", "namnd", "KF", NULL },
	{ "KLF", "Kommunledningsförvaltningen", "forvaltning", "KS", NULL },
	{ "IT", "IT-avdelningen", "avdelning", "KLF",
	  "Drift, nätverk, servrar och användarstöd för hela kommunen." },
	{ "HR", "HR-avdelningen", "avdelning", "KLF", NULL },
	{ "EKO", "Ekonomiavdelningen", "avdelning", "KLF", NULL },
	{ "KANS", "Kansliet", "avdelning", "KLF",
	  "Nämndadministration, registratur, arkiv och dataskydd." },
	{ "SOC", "Socialförvaltningen", "forvaltning", "SN", NULL },
	{ "IFO", "Individ- och familjeomsorg", "avdelning", "SOC", NULL },
	{ "AO", "Äldreomsorg", "avdelning", "SOC", NULL },
	{ "AO-SOL", "Solgårdens äldreboende", "enhet", "AO", NULL },
	{ "AO-HTN", "Hemtjänsten Norr", "enhet", "AO", NULL },
	{ "BUF", "Barn- och utbildningsförvaltningen", "forvaltning", "BUN", NULL },
	{ "GR", "Grundskola", "avdelning", "BUF", NULL },
	{ "GR-EKB", "Ekbackens skola", "enhet", "GR", NULL },
	{ "FSK", "Förskola", "avdelning", "BUF", NULL },
	{ "FSK-ROS", "Förskolan Rosen", "enhet", "FSK", NULL },
	{ "SBF", "Samhällsbyggnadsförvaltningen", "forvaltning", "SBN", NULL },
	{ "KFF", "Kultur- och fritidsförvaltningen", "forvaltning", "KFN", NULL },
	{ "KFF-BIB", "Stadsbiblioteket", "enhet", "KFF", NULL },
	{ NULL },
};

static const struct demo_person exempelstad_people[] = {
	{ "Åsa Öberg", "Informationssäkerhetssamordnare", "KANS",
	  "samordnare@exempelstad.se", "010-123 40 01", "active", 0, 1 },
	{ "Jonas Lindqvist", "Systemadministratör för Värn", "IT",
	  "admin@exempelstad.se", "010-123 40 02", "active", 0, 1 },
	{ "Karin Söderström", "Kommunchef", "KLF",
	  "kommunchef@exempelstad.se", "010-123 40 03", "active", 0, 1 },
	{ "Anders Åkesson", "Socialchef", "SOC",
	  "socialchef@exempelstad.se", "010-123 40 04", "active", 0, 1 },
	{ "Lena Holmgren", "Verksamhetschef, individ- och familjeomsorg", "IFO",
	  "informationsagare@exempelstad.se", "010-123 40 05", "active", 0, 1 },
	{ "Erik Nyström", "Systemförvaltare, socialtjänstens verksamhetssystem", "SOC",
	  "systemforvaltare@exempelstad.se", "010-123 40 06", "active", 0, 1 },
	{ "Maria Björk", "IT-chef", "IT",
	  "it-chef@exempelstad.se", "010-123 40 07", "active", 0, 1 },
	{ "Johan Ekström", "Dataskyddsombud", "KANS",
	  "dataskyddsombud@exempelstad.se", "010-123 40 08", "active", 0, 1 },
	{ "Sara Lindström", "Undersköterska", "AO-SOL",
	  "anvandare@exempelstad.se", NULL, "active", 0, 1 },
	{ "Olof Bäckström", "Systemadministratör", "IT",
	  "olof.backstrom@exempelstad.se", "010-123 40 10", "active", 0, 0 },
	{ "Elin Strömberg", "Undersköterska", "AO-HTN",
	  NULL, NULL, "active", 1, 0 },
	{ "Göran Håkansson", "Ekonomichef", "EKO",
	  "goran.hakansson@exempelstad.se", "010-123 40 12", "active", 0, 0 },
	{ "Birgitta Sjögren", "HR-chef", "HR",
	  "birgitta.sjogren@exempelstad.se", "010-123 40 13", "active", 0, 0 },
	{ "Mikael Ågren", "Kanslichef", "KANS",
	  "mikael.agren@exempelstad.se", "010-123 40 14", "active", 0, 0 },
	{ "Helena Fröberg", "Barn- och utbildningschef", "BUF",
	  "helena.froberg@exempelstad.se", "010-123 40 15", "active", 0, 0 },
	{ "Per-Olof Dahlén", "Rektor", "GR-EKB",
	  "per-olof.dahlen@exempelstad.se", "010-123 40 16", "active", 0, 0 },
	{ "Annika Västlund", "Förskolechef", "FSK-ROS",
	  "annika.vastlund@exempelstad.se", NULL, "active", 0, 0 },
	{ "Stefan Öhman", "Samhällsbyggnadschef", "SBF",
	  "stefan.ohman@exempelstad.se", "010-123 40 18", "active", 0, 0 },
	{ "Linnea Åström", "Kultur- och fritidschef", "KFF",
	  "linnea.astrom@exempelstad.se", "010-123 40 19", "active", 0, 0 },
	{ "Fredrik Bergqvist", "Nätverkstekniker", "IT",
	  "fredrik.bergqvist@exempelstad.se", NULL, "active", 0, 0 },
	{ "Ulla Kjellberg", "Socialsekreterare", "IFO",
	  "ulla.kjellberg@exempelstad.se", NULL, "active", 0, 0 },
	{ "Ahmed Yilmaz", "Lärare", "GR-EKB",
	  "ahmed.yilmaz@exempelstad.se", NULL, "active", 0, 0 },
	{ "Nora Ekholm", "Förskollärare", "FSK-ROS",
	  "nora.ekholm@exempelstad.se", NULL, "active", 0, 0 },
	{ "Kristina Wallén", "Löneadministratör", "HR",
	  "kristina.wallen@exempelstad.se", NULL, "leave", 0, 0 },
	{ "Tomas Sandén", "Bibliotekarie", "KFF-BIB",
	  "tomas.sanden@exempelstad.se", NULL, "active", 0, 0 },
	{ "Ingela Hägg", "Enhetschef, Hemtjänsten Norr", "AO-HTN",
	  "ingela.hagg@exempelstad.se", "010-123 40 26", "active", 0, 0 },
	{ "Patrik Lövgren", "Controller", "EKO",
	  "patrik.lovgren@exempelstad.se", NULL, "ended", 0, 0 },
	{ "Margareta Åberg", "Registrator", "KANS",
	  "margareta.aberg@exempelstad.se", NULL, "active", 0, 0 },
	{ "Hanna Öst", "Bygglovshandläggare", "SBF",
	  "hanna.ost@exempelstad.se", NULL, "active", 0, 0 },
	{ "Jesper Näslund", "IT-tekniker", "IT",
	  "jesper.naslund@exempelstad.se", NULL, "active", 0, 0 },
	{ NULL },
};

static const struct demo_role exempelstad_roles[] = {
	{ "Åsa Öberg", "samordnare", NULL,
	  "Säkerhetsfunktionen delas med Grannby kommun." },
	{ "Jonas Lindqvist", "administrator", NULL, NULL },
	{ "Karin Söderström", "ledning", NULL, "Ordförande i ledningsgruppen." },
	{ "Anders Åkesson", "systemagare", "SOC",
	  "Äger socialtjänstens verksamhetssystem." },
	{ "Anders Åkesson", "ledning", NULL, NULL },
	{ "Lena Holmgren", "informationsagare", "IFO", NULL },
	{ "Erik Nyström", "systemforvaltare", "SOC", NULL },
	{ "Maria Björk", "it_chef", NULL, NULL },
	{ "Johan Ekström", "dataskyddsombud", NULL, NULL },
	{ "Sara Lindström", "anvandare", NULL, NULL },
	{ "Olof Bäckström", "systemadministrator", "IT", NULL },
	{ "Fredrik Bergqvist", "systemadministrator", "IT", NULL },
	{ "Göran Håkansson", "systemagare", "EKO", "Äger ekonomisystemet." },
	{ "Birgitta Sjögren", "systemagare", "HR", "Äger lönesystemet." },
	{ "Helena Fröberg", "systemagare", "BUF", NULL },
	{ "Per-Olof Dahlén", "informationsagare", "GR-EKB", NULL },
	{ "Ingela Hägg", "informationsagare", "AO-HTN", NULL },
	{ "Stefan Öhman", "systemagare", "SBF", NULL },
	{ "Jesper Näslund", "anvandare", NULL, NULL },
	{ NULL },
};

/* ---- Grannby kommun ---- */

static const struct demo_unit grannby_units[] = {
	{ "KS", "Kommunstyrelsen", "namnd", NULL, NULL },
	{ "KLK", "Kommunledningskontoret", "forvaltning", "KS", NULL },
	{ "IT", "IT-enheten", "avdelning", "KLK", NULL },
	{ "SOC", "Socialtjänsten", "forvaltning", "KS", NULL },
	{ "BOS", "Barn och skola", "forvaltning", "KS", NULL },
	{ NULL },
};

static const struct demo_person grannby_people[] = {
	/* the same account as in Exempelstad: one coordinator, two
	 * municipalities, each one's data its own */
	{ "Åsa Öberg", "Informationssäkerhetssamordnare (delad med Exempelstad)", "KLK",
	  "samordnare@exempelstad.se", "010-123 40 01", "active", 0, 1 },
	{ "Ingrid Wästberg", "IT-samordnare", "IT",
	  "admin@grannby.se", "0470-55 10 02", "active", 0, 1 },
	{ "Gunnar Sjöberg", "Kommundirektör", "KLK",
	  "gunnar.sjoberg@grannby.se", "0470-55 10 03", "active", 0, 0 },
	{ "Ali Karimi", "Socialchef", "SOC",
	  "ali.karimi@grannby.se", NULL, "active", 0, 0 },
	{ "Ebba Grönlund", "Rektor", "BOS",
	  "ebba.gronlund@grannby.se", NULL, "active", 0, 0 },
	{ "Lars Ölund", "Systemförvaltare", "SOC",
	  "lars.olund@grannby.se", NULL, "active", 0, 0 },
	{ NULL },
};

static const struct demo_role grannby_roles[] = {
	{ "Åsa Öberg", "samordnare", NULL,
	  "Delad säkerhetsfunktion med Exempelstads kommun." },
	{ "Ingrid Wästberg", "administrator", NULL, NULL },
	{ "Ingrid Wästberg", "it_chef", NULL, NULL },
	{ "Gunnar Sjöberg", "ledning", NULL, NULL },
	{ "Ali Karimi", "systemagare", "SOC", NULL },
	{ "Lars Ölund", "systemforvaltare", "SOC", NULL },
	{ NULL },
};

static const struct demo_org demo_orgs[] = {
	{ "exempelstad", "Exempelstads kommun", "kommun",
	  exempelstad_units, exempelstad_people, exempelstad_roles },
	{ "grannby", "Grannby kommun", "kommun",
	  grannby_units, grannby_people, grannby_roles },
};

/* ---- creation ---- */

#define MAX_UNITS 64
#define MAX_PEOPLE 64

struct demo_ids {
	int64_t unit[MAX_UNITS];
	int64_t person[MAX_PEOPLE];
	size_t nunits, npeople, nroles;
};

static const char *unit_id_text(struct cli_ctx *c, const struct demo_org *o,
				const struct demo_ids *ids, const char *code)
{
	if (!code)
		return NULL;
	for (size_t i = 0; i < ids->nunits; i++)
		if (strcmp(o->units[i].code, code) == 0)
			return arena_printf(&c->a, "%lld", (long long)ids->unit[i]);
	BUG("demo: unit %s of %s is not declared before its use", code, o->slug);
}

static int64_t person_id(const struct demo_org *o, const struct demo_ids *ids,
			 const char *name)
{
	for (size_t i = 0; i < ids->npeople; i++)
		if (strcmp(o->people[i].name, name) == 0)
			return ids->person[i];
	BUG("demo: person %s of %s is not declared", name, o->slug);
}

/* A login in the printed list, once per account. */
struct login {
	const char *email;
	struct buf where; /* "samordnare (exempelstad), samordnare (grannby)" */
};

static void note_login(struct login *logins, size_t *n, const char *email,
		       const char *role, const char *slug)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp(logins[i].email, email) == 0)
			break;
	if (i == *n) {
		if (*n == MAX_PEOPLE)
			BUG("demo: too many logins");
		logins[i].email = email;
		buf_init(&logins[i].where, 4096);
		(*n)++;
	}
	buf_printf(&logins[i].where, "%s%s in %s", logins[i].where.len ? ", " : "",
		   role, slug);
}

static int make_org(struct cli_ctx *c, const struct demo_org *o, struct demo_ids *ids,
		    struct login *logins, size_t *nlogins, struct db_error *err)
{
	size_t i;

	if (!cli_org_create(c, o->slug, o->name, o->kind, err) ||
	    cli_use_org(c, o->slug, err))
		return -1;
	for (i = 0; o->units[i].code; i++) {
		const struct demo_unit *u = &o->units[i];
		const char *v[16] = { 0 };

		if (i == MAX_UNITS)
			BUG("demo: too many units");
		v[UNIT_NAME] = u->name;
		v[UNIT_KIND] = u->kind;
		v[UNIT_PARENT] = unit_id_text(c, o, ids, u->parent);
		v[UNIT_CODE] = u->code;
		v[UNIT_DESCRIPTION] = u->description;
		if (!(ids->unit[i] = cli_entity_create(c, &org_units, v, err)))
			return -1;
		ids->nunits = i + 1;
	}
	for (i = 0; o->people[i].name; i++) {
		const struct demo_person *p = &o->people[i];
		const char *v[16] = { 0 };
		char hash[256];
		int created;
		int64_t uid;

		if (i == MAX_PEOPLE)
			BUG("demo: too many people");
		v[PERSON_NAME] = p->name;
		v[PERSON_EMAIL] = p->email;
		v[PERSON_PHONE] = p->phone;
		v[PERSON_TITLE] = p->title;
		v[PERSON_UNIT] = unit_id_text(c, o, ids, p->unit);
		v[PERSON_EMPLOYMENT] = p->employment;
		v[PERSON_PROTECTED] = p->protected_identity ? "1" : "0";
		if (!(ids->person[i] = cli_entity_create(c, &org_people, v, err)))
			return -1;
		ids->npeople = i + 1;
		if (!p->login)
			continue;
		if (cli_password_hash(DEMO_PASSWORD, hash, sizeof(hash), err))
			return -1;
		uid = cli_account_ensure(c, p->email, hash, &created, err);
		explicit_bzero(hash, sizeof(hash));
		if (!uid || cli_person_link(c, ids->person[i], uid, p->email, err))
			return -1;
	}
	for (i = 0; o->roles[i].person; i++) {
		const struct demo_role *r = &o->roles[i];
		const char *v[16] = { 0 };
		int64_t pid = person_id(o, ids, r->person);

		v[ROLEA_PERSON] = arena_printf(&c->a, "%lld", (long long)pid);
		v[ROLEA_ROLE] = r->role;
		v[ROLEA_UNIT] = unit_id_text(c, o, ids, r->unit);
		v[ROLEA_NOTE] = r->note;
		if (!cli_entity_create(c, &org_roles, v, err))
			return -1;
		ids->nroles++;
		for (size_t k = 0; k < ids->npeople; k++)
			if (ids->person[k] == pid && o->people[k].login)
				note_login(logins, nlogins, o->people[k].email, r->role,
					   o->slug);
	}
	return 0;
}

int demo_create(struct db *db, FILE *out, struct db_error *err)
{
	struct cli_ctx c;
	struct login logins[MAX_PEOPLE];
	size_t nlogins = 0;
	struct demo_ids ids[ARRAY_SIZE(demo_orgs)];
	struct buf registers = BUF_INIT;
	int rc = 0;

	memset(ids, 0, sizeof(ids));
	cli_ctx_init(&c, db);
	for (size_t i = 0; i < ARRAY_SIZE(demo_orgs) && rc == 0; i++) {
		rc = make_org(&c, &demo_orgs[i], &ids[i], logins, &nlogins, err);
		/* then each module's own demo data for this organisation */
		for (size_t m = 0; rc == 0 && modules[m]; m++)
			if (modules[m]->demo)
				rc = modules[m]->demo(&c.cx, &registers, err);
	}
	if (rc == 0) {
		fprintf(out, "Demo created:\n");
		for (size_t i = 0; i < ARRAY_SIZE(demo_orgs); i++)
			fprintf(out, "  %s (%s): %zu units, %zu people, %zu role assignments\n",
				demo_orgs[i].name, demo_orgs[i].slug, ids[i].nunits,
				ids[i].npeople, ids[i].nroles);
		fprintf(out, "Registers:\n%s", registers.p ? registers.p : "");
		fprintf(out, "\nDemo logins (every one with the password %s):\n",
			DEMO_PASSWORD);
		for (size_t i = 0; i < nlogins; i++)
			fprintf(out, "  %-34s %s\n", logins[i].email, logins[i].where.p);
		fprintf(out, "\nÅsa Öberg (samordnare@exempelstad.se) coordinates both "
			"municipalities; each one's data stays its own.\n");
	}
	for (size_t i = 0; i < nlogins; i++)
		buf_release(&logins[i].where);
	buf_release(&registers);
	cli_ctx_release(&c);
	return rc;
}

/* ---- at scale ---- */

/* The other organisations of a national database (289 by default),
 * named after places, most small. */

static const char *const nat_a[] = {
	"Norr", "Söder", "Väster", "Öster", "Sjö", "Berg", "Älv", "Skog", "Lund", "Ås",
	"Dal", "Strand", "Hav", "Mark", "Ängel", "Ek", "Björk", "Gran", "Sten", "Klint",
};
static const char *const nat_b[] = {
	"by", "köping", "hamn", "vik", "ås", "dal", "berga", "fors", "hult", "näs", "ö", "torp",
	"stad", "holm",
};

static int scale_org(struct db *db, const struct demo_scale *s, const char *slug, FILE *out,
		     struct db_error *err)
{
	struct cli_ctx c;
	struct buf lines = BUF_INIT;
	double t0 = scale_clock();
	int rc;

	cli_ctx_init(&c, db);
	rc = cli_use_org(&c, slug, err);
	for (size_t m = 0; rc == 0 && modules[m]; m++) {
		if (!modules[m]->demo_scale)
			continue;
		rc = modules[m]->demo_scale(&c.cx, s, &lines, err);
		if (lines.p)
			fputs(lines.p, out);
		buf_reset(&lines);
		fflush(out);
	}
	/* the full-text index covers every generated row (SQLite's queue),
	 * an organisation at a time */
	if (rc == 0)
		rc = search_catch_up(&c.cx, err);
	if (rc == 0)
		fprintf(out, "%s (size %s): done in %.1f s\n", slug, s->size, scale_clock() - t0);
	buf_release(&lines);
	cli_ctx_release(&c);
	return rc;
}

int demo_scale_create(struct db *db, const struct demo_scale *s, int national, int64_t now,
		      FILE *out, struct db_error *err)
{
	FILE *quiet = fopen("/dev/null", "w");
	struct cli_ctx c;
	int rc;

	memset(err, 0, sizeof(*err));
	/* SQLite's page cache (2,000 pages by default) spills the batches'
	 * index pages to the file and the journal long before a commit: a
	 * fixed 128 MB for this connection keeps a batch in memory */
	if (db_kind(db) == DB_SQLITE &&
	    db_exec_script(db, "PRAGMA cache_size = -131072;", err) != 0)
		return -1;
	clock_set(now);
	/* the demo's own records first (its logins: the coordinator of
	 * Exempelstad sees the scaled data) */
	rc = demo_create(db, quiet ? quiet : out, err);
	if (quiet)
		fclose(quiet);
	if (rc == 0)
		rc = scale_org(db, s, "exempelstad", out, err);
	for (int k = 1; rc == 0 && k <= national; k++) {
		struct scale_rng r;
		const struct demo_scale *size = demo_scale_size(
			k % 58 == 0 ? "L" : k % 7 == 0 ? "M" : "S");
		struct demo_scale each = *size;
		const char *a, *b;
		char slug[64], name[128];

		scale_rng_init(&r, s->seed, k, "national");
		a = nat_a[scale_below(&r, ARRAY_SIZE(nat_a))];
		b = nat_b[scale_below(&r, ARRAY_SIZE(nat_b))];
		each.seed = s->seed;
		each.verbose = s->verbose;
		snprintf(slug, sizeof(slug), "kommun-%03d", k);
		snprintf(name, sizeof(name), "%s%s kommun (%03d)", a, b, k);
		cli_ctx_init(&c, db);
		rc = cli_org_create(&c, slug, name, "kommun", err) ? 0 : -1;
		cli_ctx_release(&c);
		if (rc == 0)
			rc = scale_org(db, &each, slug, out, err);
		if (s->verbose)
			fprintf(stderr, "national: %d/%d organisations\n", k, national);
	}
	clock_set(0);
	return rc;
}
