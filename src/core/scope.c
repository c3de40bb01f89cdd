/* scope.c - API token scopes and rate limits (scope.h). */
#include "base/base.h"

#include <pthread.h>

#include "core/scope.h"
#include "core/module.h"

const char *scope_module_of(const struct entity *e)
{
	for (size_t m = 0; modules[m]; m++)
		for (const struct entity *const *x = modules[m]->entities; x && *x; x++)
			if (*x == e)
				return modules[m]->name;
	return NULL;
}

static pthread_once_t names_once = PTHREAD_ONCE_INIT;
static const char *names[64];

static void names_make(void)
{
	size_t n = 0;

	for (size_t m = 0; modules[m] && n + 1 < ARRAY_SIZE(names); m++)
		if (modules[m]->entities && modules[m]->entities[0])
			names[n++] = modules[m]->name;
	names[n] = NULL;
}

const char *const *scope_modules(void)
{
	pthread_once(&names_once, names_make);
	return names;
}

static int known_module(const char *name, size_t len)
{
	if (len == 1 && name[0] == '*')
		return 1;
	for (const char *const *m = scope_modules(); *m; m++)
		if (strlen(*m) == len && !memcmp(*m, name, len))
			return 1;
	return 0;
}

#define SCOPES_MAX 64

int scope_parse(struct arena *a, const char *text, const char **out, const char **bad)
{
	struct {
		const char *name;
		size_t len;
		int write;
	} items[SCOPES_MAX];
	size_t n = 0;
	const char *p = text ? text : "";
	struct buf b = BUF_INIT;

	*out = NULL;
	if (bad)
		*bad = NULL;
	for (;;) {
		const char *start, *colon;
		size_t len, mlen;
		int write;

		while (*p == ' ' || *p == ',' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && *p != ' ' && *p != ',' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		len = (size_t)(p - start);
		colon = memchr(start, ':', len);
		if (!colon)
			goto refuse;
		mlen = (size_t)(colon - start);
		if (len - mlen - 1 == 4 && !memcmp(colon + 1, "read", 4))
			write = 0;
		else if (len - mlen - 1 == 5 && !memcmp(colon + 1, "write", 5))
			write = 1;
		else
			goto refuse;
		if (!known_module(start, mlen))
			goto refuse;
		{
			size_t i;

			for (i = 0; i < n; i++)
				if (items[i].len == mlen && !memcmp(items[i].name, start, mlen))
					break;
			if (i < n) {
				items[i].write |= write;
				continue;
			}
			if (n == SCOPES_MAX)
				goto refuse;
			items[n].name = start;
			items[n].len = mlen;
			items[n].write = write;
			n++;
		}
		continue;
refuse:
		if (bad)
			*bad = arena_strndup(a, start, len > 80 ? 80 : len);
		return -1;
	}
	if (!n) {
		if (bad)
			*bad = "";
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%.*s:%s", i ? " " : "", (int)items[i].len, items[i].name,
			   items[i].write ? "write" : "read");
	*out = arena_strdup(a, b.p);
	buf_release(&b);
	return 0;
}

int scope_allows(const char *scopes, const char *module, int write)
{
	const char *p = scopes ? scopes : "";
	size_t ml = module ? strlen(module) : 0;

	while (*p) {
		const char *start, *colon;
		size_t len, nl;

		while (*p == ' ')
			p++;
		start = p;
		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - start);
		colon = memchr(start, ':', len);
		if (!colon)
			continue;
		nl = (size_t)(colon - start);
		if (!((nl == 1 && *start == '*') || (module && nl == ml && !memcmp(start, module, ml))))
			continue;
		if (len - nl - 1 == 5 && !memcmp(colon + 1, "write", 5))
			return 1;
		if (!write && len - nl - 1 == 4 && !memcmp(colon + 1, "read", 4))
			return 1;
	}
	return 0;
}

/* ---- rate limits: a fixed window per token, in memory ---- */

#define RATE_SLOTS 1024
#define RATE_WINDOW 60

struct rate_slot {
	int64_t token_id;
	int64_t start;
	int count;
};

static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rate_slot rate_table[RATE_SLOTS];

int64_t scope_rate_take(int64_t token_id, int per_min, int64_t now)
{
	struct rate_slot *s;
	int64_t wait = 0;

	if (per_min <= 0)
		return 0;
	pthread_mutex_lock(&rate_lock);
	/* One slot per token id; two tokens sharing a slot (ids 1024 apart,
	 * both busy in the same minute) reset each other's window, which
	 * errs on the side of letting requests through. */
	s = &rate_table[(uint64_t)token_id % RATE_SLOTS];
	if (s->token_id != token_id || now - s->start >= RATE_WINDOW || now < s->start) {
		s->token_id = token_id;
		s->start = now;
		s->count = 0;
	}
	if (s->count >= per_min)
		wait = s->start + RATE_WINDOW - now;
	else
		s->count++;
	pthread_mutex_unlock(&rate_lock);
	return wait > 0 ? wait : 0;
}

void scope_rate_reset(void)
{
	pthread_mutex_lock(&rate_lock);
	memset(rate_table, 0, sizeof(rate_table));
	pthread_mutex_unlock(&rate_lock);
}
