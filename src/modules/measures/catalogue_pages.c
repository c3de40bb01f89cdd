/* catalogue_pages.c - the catalogue page: the catalogues the organisation
 * has loaded, what Värn's own version would change before it is loaded,
 * loading a catalogue the organisation holds a licence for (JSON, shown
 * first as what it would change), and the exports.
 *
 * Its cost is the catalogue's, not the registers': the comparison reads
 * the organisation's measures (a few hundred rows) and the catalogue. */
#include "base/base.h"

#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/measures/measures.h"
#include "parse/form.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

static const char sql_catalogues[] =
	"SELECT id, code, title, cat_version, source, loaded_on, is_baseline, licence"
	" FROM measure_catalogue WHERE org_id = $1 AND archived = 0 ORDER BY title_sk, id"
	" LIMIT 50";

static int may_load(struct req *q)
{
	return ctx_has_role(&q->cx, ROLES_MEASURES_ADMIN);
}

static void loaded_list(struct req *q, struct html *h)
{
	struct db_rows r;
	struct db_error err;

	part_section_begin(h, "cat-loaded", M_CAT_LOADED);
	if (db_exec(q->cx.db, q->cx.a, sql_catalogues, DB_ARGS(DB_INT(q->cx.org->id)), &r,
		    &err) != 0) {
		req_fail(q, "measure catalogues", &err);
		part_section_end(h);
		return;
	}
	if (r.nrows == 0) {
		part_empty(h, M_CAT_NONE_LOADED);
		part_section_end(h);
		return;
	}
	part_table_begin(h, 0, "cat-loaded");
	part_th(h, M_F_CAT_TITLE);
	part_th(h, M_F_CAT_VERSION);
	part_th(h, M_F_CAT_SOURCE);
	part_th(h, M_F_CAT_LOADED_ON);
	part_th(h, M_F_CAT_BASELINE);
	part_th(h, M_CAT_EXPORT);
	part_table_body(h);
	for (size_t i = 0; i < r.nrows; i++) {
		part_tr(h);
		part_th_row_begin(h);
		h_lit(h, "<a");
		h_href(h, "/o/%s/measure-catalogues/%s", q->cx.org->slug, db_cell(&r, i, 0));
		h_lit(h, ">");
		h_text(h, db_cell(&r, i, 2));
		h_lit(h, "</a>");
		part_th_row_end(h);
		part_td(h, db_cell(&r, i, 3));
		part_td(h, entity_choice_label(&q->cx, &ms_catalogues.fields[CF_SOURCE],
					       db_cell(&r, i, 4)));
		part_td(h, db_cell(&r, i, 5));
		part_td_msg(h, db_cell_i64(&r, i, 6) ? M_YES : M_NO);
		part_td_begin(h);
		h_lit(h, "<a");
		h_href(h, "/o/%s/measures/catalogue/%s/export.json", q->cx.org->slug, db_cell(&r, i, 0));
		h_lit(h, " download>");
		h_msg(h, M_CAT_EXPORT_JSON);
		h_lit(h, "</a>");
		part_td_end(h);
		part_tr_end(h);
	}
	part_table_end(h);
	part_section_end(h);
}

/* What a catalogue would change, as a table of the changed measures. */
static void diff_table(struct req *q, struct html *h, const struct catalogue_diff *d,
		       const char *id)
{
	static const int kind_msg[] = { M_CAT_KIND_NEW, M_CAT_KIND_CHANGED, M_CAT_KIND_REMOVED };

	h_lit(h, "<ul class=\"counts\">");
	h_lit(h, "<li>");
	h_msg_n(h, M_CAT_N_NEW, (int64_t)d->nnew);
	h_lit(h, "</li><li>");
	h_msg_n(h, M_CAT_N_CHANGED, (int64_t)d->nchanged);
	h_lit(h, "</li><li>");
	h_msg_n(h, M_CAT_N_REMOVED, (int64_t)d->nremoved);
	h_lit(h, "</li><li>");
	h_msg_n(h, M_CAT_N_SAME, (int64_t)d->nsame);
	h_lit(h, "</li></ul>");
	if (!d->n)
		return;
	h_lit(h, "<details><summary>");
	h_msg_n(h, M_CAT_SHOW_CHANGES, (int64_t)d->n);
	h_lit(h, "</summary>");
	part_table_begin(h, M_CAT_CHANGES, NULL);
	part_th(h, M_F_MEASURE_CODE);
	part_th(h, M_F_MEASURE_TITLE);
	part_th(h, M_CAT_CHANGE);
	part_table_body(h);
	for (size_t i = 0; i < d->n; i++) {
		const struct catalogue_change *c = &d->changes[i];
		part_tr(h);
		part_th_row_begin(h);
		h_text(h, c->code);
		part_th_row_end(h);
		part_td(h, c->title);
		part_td_begin(h);
		h_msg(h, kind_msg[c->kind]);
		if (c->what) {
			h_lit(h, ": ");
			h_text(h, c->what);
		}
		part_td_end(h);
		part_tr_end(h);
	}
	part_table_end(h);
	h_lit(h, "</details>");
	(void)id;
}

static void builtin_section(struct req *q, struct html *h)
{
	struct catalogue_diff d;
	struct db_error err = { 0 };
	size_t len;
	const char *json = catalogue_builtin(&len);
	static const struct part_hidden builtin[] = { { "source", "builtin" }, { NULL, NULL } };

	if (catalogue_diff(&q->cx, json, len, &d, &err) != 0) {
		req_fail(q, "the built-in catalogue", &err);
		return;
	}
	part_card_begin(h, "cat-builtin", M_CAT_BUILTIN);
	h_lit(h, "<p>");
	h_text(h, d.title);
	h_lit(h, ", ");
	h_msg(h, M_CAT_VERSION_LOWER);
	h_lit(h, " ");
	h_text(h, d.version);
	h_lit(h, ". ");
	h_msg_n(h, M_CAT_N_MEASURES, (int64_t)d.nmeasures);
	h_lit(h, "</p>");
	if (d.loaded_version && !d.n) {
		h_lit(h, "<p>");
		part_badge(h, M_CAT_CURRENT, "done");
		h_lit(h, " ");
		h_msg(h, M_CAT_CURRENT_TEXT);
		h_lit(h, "</p>");
		part_section_end(h);
		return;
	}
	h_lit(h, "<p>");
	if (d.loaded_version) {
		h_msg(h, M_CAT_LOADED_VERSION);
		h_lit(h, " ");
		h_text(h, d.loaded_version);
		h_lit(h, ". ");
	}
	h_msg(h, d.loaded_version ? M_CAT_NEWER_TEXT : M_CAT_FIRST_TEXT);
	h_lit(h, "</p>");
	diff_table(q, h, &d, "builtin");
	if (may_load(q))
		part_post_button(h, &(struct part_post){ .label = M_CAT_LOAD_BUILTIN,
							 .cls = "primary", .hidden = builtin },
				 "/o/%s/measures/catalogue", q->cx.org->slug);
	else
		part_empty(h, M_CAT_ASK_ADMIN);
	part_section_end(h);
}

static void import_section(struct req *q, struct html *h, const char *text)
{
	part_section_begin(h, "cat-import", M_CAT_IMPORT);
	h_lit(h, "<p>");
	h_msg(h, M_CAT_IMPORT_TEXT);
	h_lit(h, "</p>");
	h_lit(h, "<form method=\"post\" class=\"record\" enctype=\"multipart/form-data\" action=\"");
	h_url(h, "/o/%s/measures/catalogue", q->cx.org->slug);
	h_lit(h, "\">");
	h_csrf(h);
	part_hidden(h, "source", "imported");
	part_field(h, &(struct part_field){ .type = PI_FILE, .name = "file",
					    .label = M_CAT_FILE, .accept = ".json,application/json" });
	part_field(h, &(struct part_field){ .type = PI_LONGTEXT, .name = "json",
					    .label = M_CAT_PASTE, .help = M_CAT_PASTE_HINT,
					    .value = text, .rows = 6, .plain = 1 });
	h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(h, M_IMPORT_PREVIEW);
	h_lit(h, "</button></div></form>");
	part_section_end(h);
}

static void own_section(struct req *q, struct html *h)
{
	part_section_begin(h, "cat-own", M_CAT_OWN);
	h_lit(h, "<p>");
	h_msg(h, M_CAT_OWN_TEXT);
	h_lit(h, "</p><p class=\"toolbar\">");
	part_button_link(h, M_MEASURE_NEW, 0, "/o/%s/measures/new", q->cx.org->slug);
	part_button_link(h, M_CAT_OWN_CSV_IMPORT, 0, "/o/%s/measures/import", q->cx.org->slug);
	part_button_link(h, M_CAT_ALL_CSV, 0, "/o/%s/measures.csv", q->cx.org->slug);
	part_button_link(h, M_CAT_OWN_JSON, 0, "/o/%s/measures/catalogue/own.json",
			 q->cx.org->slug);
	h_lit(h, "</p>");
	part_section_end(h);
}

static void catalogue_form(struct req *q, struct resp *r, const char *text,
			   const struct catalogue_diff *preview, int status)
{
	struct html h;

	page_begin(q, r, &h, M_CAT_TITLE);
	r->status = status;
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, M_CAT_INTRO);
	h_lit(&h, "</p>");
	if (req_param(q, "loaded") && !preview) {
		h_lit(&h, "<div class=\"notice\" role=\"status\" id=\"cat-done\"><p>");
		h_msg(&h, M_CAT_LOADED_DONE);
		h_lit(&h, "</p><ul><li>");
		h_msg_n(&h, M_CAT_N_NEW, req_int(q, "new", 0, 100000, 0));
		h_lit(&h, "</li><li>");
		h_msg_n(&h, M_CAT_N_CHANGED, req_int(q, "changed", 0, 100000, 0));
		h_lit(&h, "</li><li>");
		h_msg_n(&h, M_CAT_N_REMOVED, req_int(q, "removed", 0, 100000, 0));
		h_lit(&h, "</li></ul></div>");
	}
	if (preview && preview->problem) {
		h_lit(&h, "<div class=\"notice error\" role=\"alert\" id=\"cat-problem\"><p><strong>");
		h_msg(&h, M_CAT_PROBLEM);
		h_lit(&h, "</strong> ");
		h_text(&h, preview->problem);
		h_lit(&h, "</p></div>");
	} else if (preview) {
		const struct part_hidden again[] = {
			{ "source", "imported" }, { "confirm", "1" }, { "json", text },
			{ NULL, NULL },
		};
		part_card_begin(&h, "cat-preview", M_CAT_PREVIEW);
		h_lit(&h, "<p>");
		h_text(&h, preview->title);
		h_lit(&h, ", ");
		h_msg(&h, M_CAT_VERSION_LOWER);
		h_lit(&h, " ");
		h_text(&h, preview->version);
		if (preview->loaded_version) {
			h_lit(&h, " (");
			h_msg(&h, M_CAT_LOADED_VERSION);
			h_lit(&h, " ");
			h_text(&h, preview->loaded_version);
			h_lit(&h, ")");
		}
		h_lit(&h, ".</p>");
		diff_table(q, &h, preview, "preview");
		h_lit(&h, "<p>");
		h_msg(&h, M_CAT_LICENCE_CONFIRM);
		h_lit(&h, "</p>");
		part_post_button(&h, &(struct part_post){ .label = M_CAT_LOAD_THIS, .cls = "primary",
							  .hidden = again },
				 "/o/%s/measures/catalogue", q->cx.org->slug);
		part_section_end(&h);
	}
	builtin_section(q, &h);
	loaded_list(q, &h);
	if (may_load(q))
		import_section(q, &h, preview && preview->problem ? text : NULL);
	own_section(q, &h);
	page_end(q, r, &h);
}

static void catalogue_page(struct req *q, struct resp *r)
{
	catalogue_form(q, r, NULL, NULL, 200);
}

/* POST: Värn's own catalogue loaded at once (the page showed what it
 * changes); a file first shown as what it would change, then loaded when
 * confirmed (its text travels on in a hidden field). */
static void catalogue_action(struct req *q, struct resp *r)
{
	const char *source = req_param(q, "source");
	const char *text = form_get(&q->body_form, "json");
	const char *file = form_get(&q->body_form, "file");
	int confirm = req_int(q, "confirm", 0, 1, 0);
	int builtin = source && strcmp(source, "builtin") == 0;
	struct catalogue_diff d;
	struct db_error err = { 0 };
	size_t len;

	if (!may_load(q)) {
		respond_error(q, r, 403);
		return;
	}
	if (file && *file)
		text = file;
	if (builtin)
		text = catalogue_builtin(&len);
	else if (!text)
		text = "";
	len = strlen(text);
	if (!builtin && !confirm) {
		if (catalogue_diff(&q->cx, text, len, &d, &err) != 0 && !d.problem) {
			req_fail(q, "catalogue preview", &err);
			return;
		}
		catalogue_form(q, r, text, &d, d.problem ? 422 : 200);
		return;
	}
	if (db_begin(q->cx.db, &err) != 0) {
		respond_error(q, r, 503);
		return;
	}
	if (catalogue_load(&q->cx, text, len, builtin ? "builtin" : "imported", &d, &err) != 0 ||
	    db_commit(q->cx.db, &err) != 0) {
		db_rollback(q->cx.db);
		if (d.problem) {
			catalogue_form(q, r, text, &d, 422);
			return;
		}
		log_error("catalogue load: %s", err.msg);
		respond_error(q, r, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a,
					 "/o/%s/measures/catalogue?loaded=1&new=%zu&changed=%zu"
					 "&removed=%zu", q->cx.org->slug, d.nnew, d.nchanged,
					 d.nremoved));
}

/* GET .../catalogue/{id}/export.json and .../catalogue/own.json: the measures as a
 * catalogue, to keep, share or load elsewhere; audited as an export. */
static void export_json(struct req *q, struct resp *r, int64_t catalogue_id)
{
	struct db_error err = { 0 };
	struct audit_event ev = { 0 };

	if (catalogue_export_json(&q->cx, catalogue_id, &r->body, &err) != 0) {
		if (err.code == DBE_NOTFOUND) {
			respond_error(q, r, 404);
			return;
		}
		req_fail(q, "catalogue export", &err);
		return;
	}
	audit_from_ctx(&q->cx, &ev);
	ev.org_id = q->cx.org->id;
	ev.action = "export";
	ev.entity = "measure-catalogues";
	ev.entity_id = catalogue_id;
	ev.summary = "JSON";
	if (audit_append_now(q->cx.db, q->cx.a, &ev) != 0) {
		respond_error(q, r, 503);
		return;
	}
	r->status = 200;
	r->content_type = "application/json; charset=utf-8";
	r->download_name = arena_printf(q->cx.a, "%s-atgarder-%s.json", q->cx.org->slug,
					catalogue_id ? "katalog" : "egna");
	resp_header(r, "Cache-Control", "no-store");
}

static void export_catalogue(struct req *q, struct resp *r)
{
	export_json(q, r, req_id(q));
}

static void export_own(struct req *q, struct resp *r)
{
	export_json(q, r, 0);
}

static const struct param page_params[] = {
	{ "loaded", P_STR, 4 },
	{ "new", P_STR, 8 },
	{ "changed", P_STR, 8 },
	{ "removed", P_STR, 8 },
	{ NULL, 0, 0 },
};

static const struct param load_params[] = {
	{ "csrf", P_STR, 128 },
	{ "source", P_STR, 16 },
	{ "confirm", P_STR, 4 },
	{ "json", P_STR, BODY_IMPORT },
	{ "file", P_FILE, BODY_IMPORT },
	{ NULL, 0, 0 },
};

const struct route catalogue_routes[] = {
	{ "GET", "/o/{org}/measures/catalogue", catalogue_page, ROLES_STAFF, 0, 0, page_params,
	  NULL },
	{ "POST", "/o/{org}/measures/catalogue", catalogue_action, ROLES_MEASURES_ADMIN, 0,
	  BODY_IMPORT, load_params, NULL },
	{ "GET", "/o/{org}/measures/catalogue/own.json", export_own, ROLES_STAFF, 0, 0, NULL,
	  NULL },
	{ "GET", "/o/{org}/measures/catalogue/{id}/export.json", export_catalogue, ROLES_STAFF, 0, 0,
	  NULL, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
