/* intake.c - reports from people without an account (politicians,
 * temporary staff): the organisation's intake link /anmal/{token}, on only
 * when the security function turns it on (settings.c).  The form works
 * without signing in and without JavaScript; the answer is the receipt
 * number, the category's advice and a private status link
 * /anmal/{token}/status/{status-token} that shows the same reporter view
 * as "Mina rapporter" (only the status token's hash is stored:
 * incident_status_link).  Channel 'intake', audited as "intake:<org>".
 *
 * Cross-site posting: there is no session, so the form carries a
 * double-submit token, as the sign-in form does: the page sets a random
 * cookie (SameSite=Strict, this path only) that the form repeats; a post
 * without both the same, or from another origin, is refused.
 *
 * Rate limits (in this process's memory, as the sign-in throttle):
 * RATE_ADDR_MAX reports per client address per RATE_ADDR_WINDOW and
 * RATE_ORG_MAX per organisation per RATE_ORG_WINDOW; past them the answer
 * is 429 with Retry-After and a polite page.
 *
 * A status link outlives a new intake link: it is found by its own hash
 * (256 random bits), the {token} before it only routes.  Costs: the token's
 * setting by its unique index, the status link by its unique hash. */
#include "base/base.h"

#include <pthread.h>

#include "core/auth.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "http/http.h"
#include "modules/incidents/incidents.h"
#include "modules/incidents/report.h"
#include "parse/cookie.h"
#include "web/app.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define INTAKE_COOKIE "varn_intake"
#define TOKEN_LEN 43
#define RATE_ADDR_MAX 5
#define RATE_ADDR_WINDOW 600
#define RATE_ORG_MAX 30
#define RATE_ORG_WINDOW 3600

/* ---- the rate limits ---- */

struct rate_slot {
	char key[80];
	int64_t start;
	int n;
};
static struct rate_slot rate_addr[256], rate_org[64];
static pthread_mutex_t rate_lock = PTHREAD_MUTEX_INITIALIZER;

static struct rate_slot *rate_find(struct rate_slot *t, size_t n, const char *key)
{
	uint32_t hsh = 2166136261u;

	for (const char *p = key; *p; p++)
		hsh = (hsh ^ (unsigned char)*p) * 16777619u;
	return &t[hsh % n];
}

/* Seconds to wait before the slot takes one more, or 0 (and counted). */
static int64_t rate_take(struct rate_slot *s, const char *key, int max, int window, int64_t now,
			 int take)
{
	if (strcmp(s->key, key) != 0 || now - s->start >= window) {
		/* another key in the slot, or its window is over: a fresh one
		 * (a collision can only ever forgive, never refuse wrongly) */
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->start = now;
		s->n = 0;
	}
	if (s->n >= max)
		return s->start + window - now > 0 ? s->start + window - now : 1;
	if (take)
		s->n++;
	return 0;
}

static int64_t rate_check(const char *addr, int64_t org, int64_t now)
{
	char okey[32];
	struct rate_slot *a, *o;
	int64_t wa, wo;

	snprintf(okey, sizeof(okey), "%lld", (long long)org);
	if (!addr)
		addr = "-";
	pthread_mutex_lock(&rate_lock);
	a = rate_find(rate_addr, ARRAY_SIZE(rate_addr), addr);
	o = rate_find(rate_org, ARRAY_SIZE(rate_org), okey);
	wa = rate_take(a, addr, RATE_ADDR_MAX, RATE_ADDR_WINDOW, now, 0);
	wo = rate_take(o, okey, RATE_ORG_MAX, RATE_ORG_WINDOW, now, 0);
	if (!wa && !wo) {
		a->n++;
		o->n++;
	}
	pthread_mutex_unlock(&rate_lock);
	return wa > wo ? wa : wo;
}

void intake_rate_reset(void)
{
	pthread_mutex_lock(&rate_lock);
	memset(rate_addr, 0, sizeof(rate_addr));
	memset(rate_org, 0, sizeof(rate_org));
	pthread_mutex_unlock(&rate_lock);
}

/* ---- the organisation behind a link ---- */

static const char sql_intake_org[] =
	"SELECT o.id, o.slug, o.name, o.kind FROM incident_setting s"
	" JOIN organisation o ON o.id = s.org_id AND o.archived = 0"
	" WHERE s.intake_token = $1 AND s.intake_enabled = 1";

/* The organisation whose intake link token is, in q's context (the
 * header names it), acting as "intake:<slug>"; or an answer (404, 503). */
static int intake_org(struct req *q, struct resp *resp, int need_enabled)
{
	struct ctx *cx = &q->cx;
	const char *token = q->pathv[0];
	struct org_ctx *oc;
	struct db_rows r;
	struct db_error err;

	(void)need_enabled;
	if (!token || strlen(token) != TOKEN_LEN) {
		respond_error(q, resp, 404);
		return -1;
	}
	if (db_exec(cx->db, cx->a, sql_intake_org, DB_ARGS(DB_TEXT(token)), &r, &err) != 0) {
		respond_error(q, resp, 503);
		return -1;
	}
	if (r.nrows != 1) {
		respond_error(q, resp, 404);
		return -1;
	}
	oc = arena_alloc(cx->a, sizeof(*oc));
	memset(oc, 0, sizeof(*oc));
	oc->id = db_cell_i64(&r, 0, 0);
	oc->slug = db_cell(&r, 0, 1);
	oc->name = db_cell(&r, 0, 2);
	oc->kind = db_cell(&r, 0, 3);
	cx->org = oc;
	cx->user_id = 0;
	cx->actor = arena_printf(cx->a, "intake:%s", oc->slug);
	return 0;
}

/* ---- cross-site posting ---- */

static const char *form_token(struct req *q, struct resp *resp)
{
	const char *v = cookie_get(q->cx.a, q->h_cookie, INTAKE_COOKIE);
	char fresh[48];

	if (!v || strlen(v) != TOKEN_LEN) {
		auth_random_token(fresh, sizeof(fresh));
		v = arena_strdup(q->cx.a, fresh);
	}
	resp_header(resp, "Set-Cookie",
		    arena_printf(q->cx.a, "%s=%s; Path=/anmal/; HttpOnly; SameSite=Strict;"
				 " Max-Age=7200%s", INTAKE_COOKIE, v,
				 auth_cfg.cookie_secure ? "; Secure" : ""));
	return v;
}

static int starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int same_origin(struct req *q)
{
	const char *o = q->h_origin, *host = q->h_host;

	if (q->h_sec_fetch_site && !strcmp(q->h_sec_fetch_site, "cross-site"))
		return 0;
	if (!o)
		return 1;
	if (!host)
		return 0;
	return (starts_with(o, "http://") && !strcmp(o + 7, host)) ||
	       (starts_with(o, "https://") && !strcmp(o + 8, host));
}

static int form_token_ok(struct req *q)
{
	const char *c = cookie_get(q->cx.a, q->h_cookie, INTAKE_COOKIE);
	const char *f = req_param(q, "pre");

	if (!same_origin(q) || !c || !f || strlen(c) != TOKEN_LEN || strlen(f) != TOKEN_LEN)
		return 0;
	return ct_equal(c, f, TOKEN_LEN);
}

/* ---- the pages ---- */

static void intake_form(struct req *q, struct resp *resp, const struct report_input *in,
			const struct field_errors *errs, int notice, int status)
{
	struct ctx *cx = &q->cx;
	const char *pre = form_token(q, resp);
	struct html h;

	page_begin_text(q, resp, &h, msg_fill(cx->a, msg_text(cx->lang, M_IR_INTAKE_TITLE), "{org}",
					      cx->org->name));
	resp->status = status;
	resp_header(resp, "Cache-Control", "no-store");
	if (notice)
		page_notice(&h, notice);
	report_errors(&h, errs);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_IR_INTAKE_INTRO);
	h_lit(&h, "</p><form method=\"post\" class=\"record ir-form\" action=\"");
	h_url(&h, "/anmal/%s", q->pathv[0]);
	h_lit(&h, "\">");
	part_hidden(&h, "pre", pre);
	report_fields(q, &h, REPORT_INTAKE, in, errs, NULL);
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_IR_SEND);
	h_lit(&h, "</button></div></form>");
	page_end(q, resp, &h);
}

/* GET /anmal/{token} */
static void intake_get(struct req *q, struct resp *resp)
{
	struct report_input in;

	if (intake_org(q, resp, 1) != 0)
		return;
	memset(&in, 0, sizeof(in));
	intake_form(q, resp, &in, NULL, 0, 200);
}

static void too_many(struct req *q, struct resp *resp, int64_t wait)
{
	struct html h;

	page_begin(q, resp, &h, M_IR_RATE_TITLE);
	resp->status = 429;
	resp_header(resp, "Retry-After", arena_printf(q->cx.a, "%lld", (long long)wait));
	h_lit(&h, "<p>");
	h_msg(&h, M_IR_RATE_TEXT);
	h_lit(&h, "</p>");
	page_end(q, resp, &h);
}

static const char sql_link_add[] =
	"INSERT INTO incident_status_link (token_hash, org_id, incident_id, created_at)"
	" VALUES ($1, $2, $3, $4)";

/* POST /anmal/{token}: the incident, its status link, then the status
 * page with the receipt (303). */
static void intake_post(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	struct report_input in;
	struct field_errors errs = { .n = 0 };
	struct db_error err;
	char status[48];
	int64_t id, wait;

	if (intake_org(q, resp, 1) != 0)
		return;
	report_read(q, &in);
	in.system_id = NULL;
	in.aware = NULL;
	if (!form_token_ok(q)) {
		intake_form(q, resp, &in, NULL, M_IR_INTAKE_FORM_OLD, 403);
		return;
	}
	if ((wait = rate_check(cx->ip, cx->org->id, cx->now)) > 0) {
		too_many(q, resp, wait);
		return;
	}
	auth_random_token(status, sizeof(status));
	memset(&err, 0, sizeof(err));
	if (db_begin(cx->db, &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	id = report_create(cx, &in, "intake", 0, 0, &errs, &err);
	if (id > 0 && db_exec(cx->db, cx->a, sql_link_add,
			      DB_ARGS(DB_TEXT(auth_token_hash(cx->a, status)), DB_INT(cx->org->id),
				      DB_INT(id), DB_INT(cx->now)), NULL, &err) != 0)
		id = -1;
	if (id > 0 && db_commit(cx->db, &err) != 0)
		id = -1;
	if (id <= 0) {
		db_rollback(cx->db);
		if (id < 0) {
			respond_error(q, resp, err.code == DBE_BUSY ? 503 : 500);
			return;
		}
		intake_form(q, resp, &in, &errs, errs.n ? 0 : M_IR_V_REFUSED, 422);
		return;
	}
	resp_redirect(q, resp, arena_printf(cx->a, "/anmal/%s/status/%s?new=1", q->pathv[0],
					    status));
}

static const char sql_status[] =
	"SELECT " REPORT_VIEW_COLS ", o.slug, o.name FROM incident_status_link l"
	" JOIN incident i ON i.id = l.incident_id AND i.archived = 0"
	" JOIN organisation o ON o.id = i.org_id"
	" WHERE l.token_hash = $1";

/* GET /anmal/{token}/status/{status} */
static void intake_status(struct req *q, struct resp *resp)
{
	struct ctx *cx = &q->cx;
	const char *st = q->pathv[1];
	const char *isnew = req_param(q, "new");
	struct org_ctx *oc;
	struct db_rows r;
	struct db_error err;
	struct html h;

	if (!st || strlen(st) != TOKEN_LEN) {
		respond_error(q, resp, 404);
		return;
	}
	if (db_exec(cx->db, cx->a, sql_status, DB_ARGS(DB_TEXT(auth_token_hash(cx->a, st))), &r,
		    &err) != 0) {
		respond_error(q, resp, 503);
		return;
	}
	if (r.nrows != 1) {
		respond_error(q, resp, 404);
		return;
	}
	oc = arena_alloc(cx->a, sizeof(*oc));
	memset(oc, 0, sizeof(*oc));
	oc->id = db_cell_i64(&r, 0, 8);
	oc->slug = db_cell(&r, 0, 9);
	oc->name = db_cell(&r, 0, 10);
	cx->org = oc;
	page_begin_text(q, resp, &h, msg_fill(cx->a, msg_text(cx->lang, M_IR_INTAKE_STATUS_TITLE),
					      "{receipt}", db_cell(&r, 0, 1)));
	resp_header(resp, "Cache-Control", "no-store");
	/* the address is the key: never sent on to another site */
	resp_header(resp, "Referrer-Policy", "no-referrer");
	if (isnew) {
		h_lit(&h, "<div class=\"notice ir-receipt\" role=\"status\"><p>");
		h_msg(&h, M_IR_RECEIPT_NUMBER);
		h_lit(&h, ": <strong class=\"ir-number\">");
		h_text(&h, db_cell(&r, 0, 1));
		h_lit(&h, "</strong></p><p>");
		h_msg(&h, M_IR_RECEIPT_KEEP);
		h_lit(&h, "</p></div>");
		report_advice(&h, db_cell(&r, 0, 3));
		h_lit(&h, "<section class=\"card\" aria-labelledby=\"ir-link\"><h2 id=\"ir-link\">");
		h_msg(&h, M_IR_INTAKE_LINK);
		h_lit(&h, "</h2><p><a class=\"ir-intake-url\"");
		h_href(&h, "/anmal/%s/status/%s", q->pathv[0], st);
		h_lit(&h, ">");
		/* the whole address, to copy */
		h_text(&h, arena_printf(cx->a, "%s/anmal/%s/status/%s",
					q->app && q->app->base_url ? q->app->base_url : "",
					q->pathv[0], st));
		h_lit(&h, "</a></p><p class=\"hint\">");
		h_msg(&h, M_IR_INTAKE_LINK_HELP);
		h_lit(&h, "</p></section>");
	}
	report_view(q, &h, &r);
	page_end(q, resp, &h);
}

#define INTAKE_PARAMS \
	{ "pre", P_STR, 64 }, \
	{ "category", P_STR, 40 }, \
	{ "title", P_STR, 1000 }, \
	{ "description", P_STR, 40000 }, \
	{ "occurred_at", P_STR, 40 }, \
	{ "location", P_STR, 1500 }, \
	{ "information_text", P_STR, 2500 }, \
	{ "personal_data", P_STR, 20 }, \
	{ "reporter_name", P_STR, 1000 }, \
	{ "reporter_contact", P_STR, 1000 }

static const struct param intake_params[] = {
	INTAKE_PARAMS,
	{ NULL, 0, 0 },
};

static const struct param status_params[] = {
	{ "new", P_STR, 4 },
	{ NULL, 0, 0 },
};

const struct route incident_intake_routes[] = {
	{ "GET", "/anmal/{token}", intake_get, 0, RF_PUBLIC, 0, NULL, NULL },
	{ "POST", "/anmal/{token}", intake_post, 0, RF_PUBLIC | RF_NO_CSRF, BODY_FORM,
	  intake_params, NULL },
	{ "GET", "/anmal/{token}/status/{status}", intake_status, 0, RF_PUBLIC, 0, status_params,
	  NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
