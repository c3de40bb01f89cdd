/* pages_search.c - full-text search over the modules' search sources
 * (core/module.h): GET /o/{org}/search?q=, for ROLES_STAFF.
 * The hits of each register under its name, each title linked to the
 * record, with an excerpt around the word that matched.  The query is
 * core/search.c's; the header of every page has a form that comes here
 * (layout.c). */
#include "base/base.h"

#include <pthread.h>
#include <time.h>

#include "core/entity.h"
#include "core/roles.h"
#include "core/search.h"
#include "db/db.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"

/* Hits per register on the page: enough to scan, few enough to read. */
#define SEARCH_PAGE_LIMIT 50

static void hit_item(struct req *q, struct html *h, const struct entity *e,
		     const struct search_hit *hit)
{
	h_lit(h, "<li><a");
	h_href(h, "/o/%s/%s/%lld", q->cx.org->slug, e->name, (long long)hit->id);
	h_lit(h, ">");
	h_text(h, hit->title);
	h_lit(h, "</a>");
	if (hit->snippet) {
		h_lit(h, "<p class=\"snippet\">");
		if (hit->mark_len) {
			h_textn(h, hit->snippet, hit->mark_at);
			h_lit(h, "<mark>");
			h_textn(h, hit->snippet + hit->mark_at, hit->mark_len);
			h_lit(h, "</mark>");
			h_text(h, hit->snippet + hit->mark_at + hit->mark_len);
		} else {
			h_text(h, hit->snippet);
		}
		h_lit(h, "</p>");
	}
	h_lit(h, "</li>");
}

static void group_section(struct req *q, struct html *h, const struct search_group *g)
{
	const struct entity *e = entity_by_name(g->entity);

	if (!e || !(e->roles_read & q->cx.org->roles))
		return;
	h_lit(h, "<section class=\"search-group\"");
	h_attr(h, "aria-labelledby", arena_printf(q->cx.a, "hits-%s", e->name));
	h_lit(h, "><h2");
	h_attr(h, "id", arena_printf(q->cx.a, "hits-%s", e->name));
	h_lit(h, ">");
	h_msg(h, e->label_many);
	h_lit(h, " <span class=\"count\">(");
	h_int(h, (int64_t)g->n);
	if (g->more)
		h_lit(h, "+");
	h_lit(h, ")</span></h2>");
	if (g->n == 0) {
		h_lit(h, "<p class=\"empty\">");
		h_msg(h, M_SRCH_NONE_IN);
		h_lit(h, "</p></section>");
		return;
	}
	h_lit(h, "<ul class=\"hits\">");
	for (size_t i = 0; i < g->n; i++)
		hit_item(q, h, e, &g->hits[i]);
	h_lit(h, "</ul>");
	if (g->more) {
		h_lit(h, "<p class=\"more\">");
		h_msg_n(h, M_SRCH_MORE, (int64_t)g->n);
		h_lit(h, "</p>");
	}
	h_lit(h, "</section>");
}

/* The search gate: at most app->search_slots searches run at once.  When
 * all slots are taken, a search waits for one as long as the searches
 * running are quick (a search for a word takes about a millisecond, so a
 * burst of them waits its turn), up to SEARCH_WAIT_MS; once one of them has
 * run SEARCH_SLOW_MS it is slow work (a single letter, up to the statement
 * time limit), and the search is refused at once instead, so that no
 * worker waits behind slow searches while other requests wait behind it. */
#define SEARCH_WAIT_MS 20
#define SEARCH_SLOW_MS 5
#define GATE_MAX 64

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_free;
static pthread_once_t gate_once = PTHREAD_ONCE_INIT;
static int64_t running_since[GATE_MAX]; /* monotonic ns, 0: free */
static int searching;

static void gate_init(void)
{
	pthread_condattr_t at;

	pthread_condattr_init(&at);
	pthread_condattr_setclock(&at, CLOCK_MONOTONIC);
	pthread_cond_init(&gate_free, &at);
	pthread_condattr_destroy(&at);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A slot (1..GATE_MAX) for a search, or 0: refused. */
static int gate_enter(int slots)
{
	int64_t now = mono_ns(), give_up = now + SEARCH_WAIT_MS * 1000000LL;
	int slot = 0;

	pthread_once(&gate_once, gate_init);
	if (slots > GATE_MAX)
		slots = GATE_MAX;
	pthread_mutex_lock(&gate_lock);
	for (;;) {
		int64_t oldest = now, wake;
		struct timespec ts;

		if (searching < slots) {
			for (slot = 1; running_since[slot - 1]; slot++)
				;
			running_since[slot - 1] = now;
			searching++;
			break;
		}
		for (int i = 0; i < slots; i++)
			if (running_since[i] && running_since[i] < oldest)
				oldest = running_since[i];
		/* wait while the running searches are quick and time is left */
		wake = oldest + SEARCH_SLOW_MS * 1000000LL;
		if (wake > give_up)
			wake = give_up;
		if (now >= wake)
			break;
		ts.tv_sec = wake / 1000000000;
		ts.tv_nsec = wake % 1000000000;
		pthread_cond_timedwait(&gate_free, &gate_lock, &ts);
		now = mono_ns();
	}
	pthread_mutex_unlock(&gate_lock);
	return slot;
}

static void gate_leave(int slot)
{
	pthread_mutex_lock(&gate_lock);
	running_since[slot - 1] = 0;
	searching--;
	pthread_cond_signal(&gate_free);
	pthread_mutex_unlock(&gate_lock);
}

/* The search form, then the hits (res NULL: none, e.g. with a refusal
 * shown as `notice`). */
static void search_form(struct req *q, struct resp *r, const char *text,
			const struct search_result *res, int notice)
{
	struct html h;
	int64_t total = 0;

	page_begin(q, r, &h, M_SRCH_TITLE);
	h_lit(&h, "<form class=\"filters\" method=\"get\" role=\"search\"");
	h_attr(&h, "aria-label", msg_text(q->cx.lang, M_SRCH_TITLE));
	h_lit(&h, "><div class=\"field\"><label for=\"q\">");
	h_msg(&h, M_SRCH_WORDS);
	h_lit(&h, "</label><input type=\"search\" id=\"q\" name=\"q\" maxlength=\"200\" aria-describedby=\"q-help\"");
	h_attr(&h, "value", text);
	h_lit(&h, "><p class=\"hint\" id=\"q-help\">");
	h_msg(&h, M_SRCH_HINT);
	h_lit(&h, "</p></div><div class=\"field\"><button type=\"submit\">");
	h_msg(&h, M_SEARCH);
	h_lit(&h, "</button></div></form>");
	if (notice) {
		h_lit(&h, "<p class=\"notice warning\" role=\"status\">");
		h_msg(&h, notice);
		h_lit(&h, "</p>");
	}
	if (res && res->nterms) {
		for (size_t k = 0; k < res->ng; k++)
			total += (int64_t)res->g[k].n;
		h_lit(&h, "<p class=\"count\" role=\"status\">");
		h_msg_plural(&h, total, M_N_HIT_ONE, M_N_HITS);
		h_lit(&h, "</p>");
		for (size_t k = 0; k < res->ng; k++)
			group_section(q, &h, &res->g[k]);
	}
	page_end(q, r, &h);
}

/* A search costs what the index makes of the words.  It passes the gate
 * above (refused: 503 with Retry-After), and each of its statements has at
 * most SEARCH_TIME_LIMIT_MS (core/search.h), so that searches cannot
 * starve the other requests. */
static void search_page(struct req *q, struct resp *r)
{
	const char *text = req_param(q, "q");
	const char *words[SEARCH_MAX_TERMS];
	struct search_result res;
	struct db_error err;
	int gate = search_terms(q->cx.a, text, words, SEARCH_MAX_TERMS) > 0, slot = 0, rc;

	if (gate && !(slot = gate_enter(q->app->search_slots))) {
		search_form(q, r, text, NULL, M_SRCH_BUSY);
		r->status = 503;
		resp_header(r, "Retry-After", "1");
		return;
	}
	rc = search_run(&q->cx, text, SEARCH_PAGE_LIMIT, &res, &err);
	if (slot)
		gate_leave(slot);
	if (rc && err.code == DBE_TIMEOUT) {
		log_warn("search: over its time limit (%d words)", (int)res.nterms);
		search_form(q, r, text, NULL, M_SRCH_TOO_SLOW);
		r->status = 503;
		return;
	}
	if (rc) {
		log_error("search: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	search_form(q, r, text, &res, 0);
}

static const struct param search_params[] = {
	{ "q", P_STR, 1024 },
	{ NULL, 0, 0 },
};

const struct route search_routes[] = {
	{ "GET", "/o/{org}/search", search_page, ROLES_STAFF, 0, 0, search_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
