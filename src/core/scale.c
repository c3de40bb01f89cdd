/* scale.c - the scale generator's shared parts (scale.h). */
#include "base/base.h"

#include <time.h>

#include "base/arena.h"
#include "base/clock.h"
#include "core/ctx.h"
#include "core/scale.h"
#include "db/db.h"

/*                                units people systems infosets risks incidents activities */
static const struct demo_scale sizes[] = {
	{ "S", 0, 40, 1000, 80, 200, 150, 2000, 60, 10, 70, 0 },
	{ "M", 0, 120, 5000, 300, 800, 600, 20000, 200, 10, 75, 0 },
	{ "L", 0, 400, 25000, 1500, 4000, 3000, 100000, 1000, 10, 80, 0 },
};

const struct demo_scale *demo_scale_size(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		if (strcmp(sizes[i].size, name) == 0)
			return &sizes[i];
	return NULL;
}

/* ---- the generator ---- */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xBF58476D1CE4E5B9ull;
	x ^= x >> 27;
	x *= 0x94D049BB133111EBull;
	x ^= x >> 31;
	return x;
}

void scale_rng_init(struct scale_rng *r, uint64_t seed, int64_t org_id, const char *name)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a of the name */

	for (const char *p = name; p && *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	r->s = mix(seed ^ mix((uint64_t)org_id + 0x9E3779B97F4A7C15ull) ^ h);
	if (!r->s)
		r->s = 0x2545F4914F6CDD1Dull;
}

uint64_t scale_next(struct scale_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1Dull;
}

uint32_t scale_below(struct scale_rng *r, uint32_t n)
{
	return n ? (uint32_t)((scale_next(r) >> 32) % n) : 0;
}

size_t scale_weighted(struct scale_rng *r, const int *weights, size_t n)
{
	int total = 0, w;

	for (size_t i = 0; i < n; i++)
		total += weights[i];
	w = (int)scale_below(r, (uint32_t)total);
	for (size_t i = 0; i < n; i++) {
		if (w < weights[i])
			return i;
		w -= weights[i];
	}
	return n - 1;
}

int scale_level(struct scale_rng *r)
{
	static const int w[] = { 40, 35, 18, 7 };

	return (int)scale_weighted(r, w, ARRAY_SIZE(w)) + 1;
}

int scale_days_ago(struct scale_rng *r, int days)
{
	/* u*u is dense near 0: the recent years hold more (more reported as
	 * the work matures) */
	double u = (double)(scale_next(r) >> 11) / 9007199254740992.0;

	return (int)(u * u * days) % (days > 0 ? days : 1);
}

/* ---- names ---- */

static const char *const first_names[] = {
	"Anna", "Eva", "Maria", "Karin", "Sara", "Christina", "Lena", "Emma", "Kerstin",
	"Marie", "Malin", "Ingrid", "Jenny", "Hanna", "Linnéa", "Åsa", "Elin", "Sofia",
	"Annika", "Ida", "Birgitta", "Märta", "Britt-Marie", "Ebba", "Agneta", "Margareta",
	"Lars", "Mikael", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Thomas",
	"Jan", "Daniel", "Fredrik", "Hans", "Andreas", "Stefan", "Mohammed", "Magnus",
	"Mats", "Jonas", "Mattias", "Björn", "Göran", "Örjan", "Åke", "Bengt", "Oskar",
	"Ali", "Ahmed", "Fatima", "Amina", "Nils", "Olof", "Gustav", "Håkan",
};

static const char *const last_names[] = {
	"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
	"Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
	"Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Olofsson",
	"Lindström", "Lindqvist", "Lindgren", "Axelsson", "Berg", "Bergström", "Lundberg",
	"Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg",
	"Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund", "Danielsson",
	"Håkansson", "Lundin", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström",
	"Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg",
	"Arvidsson", "Löfgren", "Söderberg", "Nyberg", "Blomqvist", "Claesson", "Nordström",
	"Mårtensson", "Lundström", "Åberg", "Öberg", "Hedlund", "Dahlberg", "Hellström",
	"Sundberg", "Sjögren", "Ek", "Yilmaz", "Hassan", "Ali", "Åström", "Östlund",
};

const char *scale_person_name(struct scale_rng *r, struct arena *a)
{
	const char *f = first_names[scale_below(r, ARRAY_SIZE(first_names))];
	const char *l = last_names[scale_below(r, ARRAY_SIZE(last_names))];

	/* one in eight has a double surname, as many do */
	if (scale_below(r, 8) == 0)
		return arena_printf(a, "%s %s-%s", f, l,
				    last_names[scale_below(r, ARRAY_SIZE(last_names))]);
	return arena_printf(a, "%s %s", f, l);
}

const char *scale_email_local(struct arena *a, const char *name)
{
	size_t n = strlen(name);
	char *out = arena_alloc(a, n + 1), *o = out;
	const unsigned char *p = (const unsigned char *)name;

	while (*p) {
		if (p[0] == 0xC3 && p[1]) {
			/* å ä Å Ä -> a, ö Ö -> o, é -> e */
			unsigned char c = p[1];
			*o++ = (c == 0xA5 || c == 0xA4 || c == 0x85 || c == 0x84) ? 'a' :
				(c == 0xB6 || c == 0x96) ? 'o' : 'e';
			p += 2;
			continue;
		}
		if (*p == ' ')
			*o++ = '.';
		else if ((*p >= 'a' && *p <= 'z') || *p == '-')
			*o++ = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			*o++ = (char)(*p - 'A' + 'a');
		p++;
	}
	*o = 0;
	return out;
}

const char *scale_date(struct arena *a, int64_t now, int days)
{
	struct clock_local l;

	clock_to_local(now + (int64_t)days * 86400, &l);
	return arena_printf(a, "%04d-%02d-%02d", l.y, l.m, l.d);
}

double scale_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void scale_progress(const struct demo_scale *s, const char *what, int64_t done,
		    int64_t total)
{
	static double last;
	double t;

	if (!s->verbose)
		return;
	t = scale_clock();
	if (done < total && t - last < 1.0)
		return;
	last = t;
	fprintf(stderr, "  %s: %lld/%lld\n", what, (long long)done, (long long)total);
}

/* ---- engine writes in batches ---- */

int scale_batch_begin(struct ctx *cx, struct db_error *err)
{
	if (db_begin(cx->db, err) != 0)
		return -1;
	cx->bulk = 1;
	cx->quiet = 1;
	return 0;
}

int scale_batch_tick(struct ctx *cx, int64_t done, int64_t every, struct db_error *err)
{
	if (done % every != 0)
		return 0;
	if (db_commit(cx->db, err) != 0)
		return -1;
	return db_begin(cx->db, err);
}

int scale_batch_end(struct ctx *cx, int rc, struct db_error *err)
{
	cx->bulk = 0;
	cx->quiet = 0;
	if (rc == 0 && db_commit(cx->db, err) == 0)
		return 0;
	if (db_in_transaction(cx->db))
		db_rollback(cx->db);
	return -1;
}
