/* pages_doc.c - every declared document's print view and PDF
 * (pages_doc.h). */
#include "base/base.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/report.h"
#include "db/db.h"
#include "doc/doc.h"
#include "web/app.h"
#include "web/doc_html.h"
#include "web/layout.h"
#include "web/pages_doc.h"

/* ---- the gate: at most DOC_SLOTS documents are made at once ---- */

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_free = PTHREAD_COND_INITIALIZER;
static int making;

int doc_gate_enter(void)
{
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += DOC_WAIT;
	pthread_mutex_lock(&gate_lock);
	while (making >= DOC_SLOTS && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&gate_free, &gate_lock, &until);
	if (making < DOC_SLOTS) {
		making++;
		rc = 1;
	} else {
		rc = 0;
	}
	pthread_mutex_unlock(&gate_lock);
	return rc;
}

void doc_gate_leave(void)
{
	pthread_mutex_lock(&gate_lock);
	making--;
	pthread_cond_signal(&gate_free);
	pthread_mutex_unlock(&gate_lock);
}

/* ---- filling ---- */

int doc_period(const char *from, const char *to, struct doc_params *p)
{
	struct report_period rp;
	int why;

	if ((!from || !*from) && (!to || !*to))
		return 0;
	if (report_period_days(from ? from : "", to ? to : "", &rp, &why) != 0)
		return -1;
	p->from = rp.from;
	p->to = rp.to;
	p->prev_from = rp.prev_from;
	return 0;
}

int document_fill(struct ctx *cx, const struct document *dd, const struct doc_params *p,
		  struct doc *d, struct db_error *err)
{
	doc_init(d, cx->a);
	d->lang = cx->lang;
	d->title = msg_text(cx->lang, dd->title);
	d->org = cx->org->name;
	d->date = ctx_today(cx);
	d->author = cx->org->name;
	d->version = "1.0";
	return dd->build(cx, p, d, err);
}

const char *document_file_name(struct ctx *cx, const struct document *dd)
{
	return arena_printf(cx->a, "%s-%s-%s.pdf", dd->file, cx->org->slug, ctx_today(cx));
}

static int fill_from_req(struct req *q, const struct document *dd, struct doc *d,
			 struct doc_params *p, struct db_error *err)
{
	int rc;

	p->unit = req_int(q, "unit", 1, INT64_MAX, 0);
	p->id = req_int(q, "id", 1, INT64_MAX, 0);
	if (doc_period(req_param(q, "from"), req_param(q, "to"), p) != 0) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof(err->msg), "a malformed period");
		return -1;
	}
	if (dd->needs_id && !p->id) {
		err->code = DBE_NOTFOUND;
		return -1;
	}
	/* one snapshot: the document is consistent even while others write */
	if (db_begin_snapshot(q->cx.db, err))
		return -1;
	rc = document_fill(&q->cx, dd, p, d, err);
	db_rollback(q->cx.db);
	return rc;
}

static int status_of(const struct db_error *err)
{
	if (err->code == DBE_CHECK)
		return 400;
	return err->code == DBE_NOTFOUND || err->code == DBE_DENIED ? 404 :
	       err->code == DBE_BUSY || err->code == DBE_TIMEOUT ? 503 : 500;
}

static void print_view(struct req *q, struct resp *r)
{
	const struct document *dd = q->route->ctx;
	struct doc_params p = { 0 };
	struct db_error err = { 0 };
	struct html h;
	struct doc d;

	if (!doc_gate_enter()) {
		respond_error(q, r, 503);
		return;
	}
	if (fill_from_req(q, dd, &d, &p, &err)) {
		doc_gate_leave();
		log_error("document %s: %s", dd->name, err.msg);
		respond_error(q, r, status_of(&err));
		return;
	}
	doc_gate_leave();
	page_begin_text(q, r, &h, d.title);
	h_lit(&h, "<p class=\"doc-downloads\"><a class=\"button\"");
	if (p.from)
		h_href(&h, "/o/%s/documents/%s.pdf?from=%s&to=%s%s%lld", q->cx.org->slug, dd->name,
		       report_day(q->cx.a, p.from), report_day(q->cx.a, report_add_days(p.to, -1)),
		       p.id ? "&id=" : "", (long long)p.id);
	else if (p.unit || p.id)
		h_href(&h, "/o/%s/documents/%s.pdf?%s=%lld", q->cx.org->slug, dd->name,
		       p.id ? "id" : "unit", (long long)(p.id ? p.id : p.unit));
	else
		h_href(&h, "/o/%s/documents/%s.pdf", q->cx.org->slug, dd->name);
	h_lit(&h, " download>");
	h_msg(&h, M_DOC_DOWNLOAD_PDF);
	h_lit(&h, "</a></p>");
	h_doc(&h, &d);
	page_end(q, r, &h);
}

static void pdf_download(struct req *q, struct resp *r)
{
	const struct document *dd = q->route->ctx;
	struct doc_params p = { 0 };
	struct db_error err = { 0 };
	struct audit_event ev = { 0 };
	const char *why;
	struct doc d;
	int rc;

	if (!doc_gate_enter()) {
		respond_error(q, r, 503);
		return;
	}
	if (fill_from_req(q, dd, &d, &p, &err)) {
		doc_gate_leave();
		log_error("document %s: %s", dd->name, err.msg);
		respond_error(q, r, status_of(&err));
		return;
	}
	buf_reset(&r->body);
	rc = doc_pdf(&d, &r->body, NULL, &why);
	doc_gate_leave();
	if (rc) {
		log_error("document %s: %s", dd->name, why);
		respond_error(q, r, 500);
		return;
	}
	/* who got which document: in the audit trail */
	audit_from_ctx(&q->cx, &ev);
	ev.action = "document";
	ev.entity = dd->name;
	ev.entity_id = p.id ? p.id : p.unit;
	ev.summary = d.subtitle ? arena_printf(q->cx.a, "%s: %s", d.title, d.subtitle) : d.title;
	audit_append_now(q->cx.db, q->cx.a, &ev);
	r->status = 200;
	r->content_type = "application/pdf";
	r->download_name = document_file_name(&q->cx, dd);
	resp_header(r, "Cache-Control", "no-store");
}

static const struct param doc_params_decl[] = {
	{ "unit", P_INT, INT64_MAX },
	{ "id", P_INT, INT64_MAX },
	{ "from", P_STR, 10 },
	{ "to", P_STR, 10 },
	{ NULL },
};

size_t doc_routes(const struct route ***out)
{
	static const struct route **list;
	static size_t n;

	if (list) {
		*out = list;
		return n;
	}
	for (size_t m = 0; modules[m]; m++)
		for (const struct document *dd = modules[m]->documents; dd && dd->name; dd++) {
			struct route *rt = xmalloc(2 * sizeof(*rt));
			struct buf b = BUF_INIT;

			memset(rt, 0, 2 * sizeof(*rt));
			buf_printf(&b, "/o/{org}/documents/%s", dd->name);
			rt[0] = (struct route){ "GET", buf_detach(&b, NULL), print_view, dd->roles,
						0, 0, doc_params_decl, dd };
			buf_printf(&b, "/o/{org}/documents/%s.pdf", dd->name);
			rt[1] = (struct route){ "GET", buf_detach(&b, NULL), pdf_download, dd->roles,
						0, 0, doc_params_decl, dd };
			list = xrealloc(list, (n + 2) * sizeof(*list));
			list[n++] = &rt[0];
			list[n++] = &rt[1];
		}
	*out = list;
	return n;
}
