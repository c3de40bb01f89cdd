/* pages.c - the identity sources' settings pages, for the organisation's
 * administrators: /o/{org}/sign-in-sources.
 *
 * The forms are made from the kind's declared fields (identity.h), so a
 * new kind needs no page of its own: field i of the kind is the form
 * parameter "f<i>" (the route's parameter list is static, the keys are
 * the kind's).  A secret is a password input that never shows the stored
 * value; left empty it keeps it.  Saving goes through
 * identity_source_save (validation by the kind, the version check, the
 * audit event); its problems ("MSGID:key") are shown beside the field.
 */
#include "base/base.h"

#include "base/buf.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/signin/identity.h"
#include "web/app.h"
#include "modules/signin/signin.h"
#include "parse/form.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

#define FIELDS_MAX 32
#define SOURCES_MAX 100
#define MAPS_MAX 200

/* The form's controls: 0 the name, 1 the default role, 2 enabled, then the
 * kind's fields from 3 on. */
#define X_NAME 0
#define X_ROLE 1
#define X_ENABLED 2
#define X_FIELD 3

static const char *const field_param[FIELDS_MAX] = {
	"f0",  "f1",  "f2",  "f3",  "f4",  "f5",  "f6",  "f7",  "f8",  "f9",  "f10",
	"f11", "f12", "f13", "f14", "f15", "f16", "f17", "f18", "f19", "f20", "f21",
	"f22", "f23", "f24", "f25", "f26", "f27", "f28", "f29", "f30", "f31",
};

static size_t nfields(const struct identity_kind *k)
{
	size_t n = 0;

	while (k->fields && k->fields[n].key && n < FIELDS_MAX)
		n++;
	return n;
}

/* What the form shows: stored, or as typed. */
struct source_form {
	int64_t id, version;
	const struct identity_kind *k;
	const char *name, *default_role;
	int enabled;
	const char *values[FIELDS_MAX];
	int secret_set[FIELDS_MAX];
	struct field_errors errs;
	int saved, status;
	const char *report; /* the test's report, or NULL */
	int report_ok;
	int notice;
};

static const struct part_choice *role_choices(struct req *q)
{
	struct part_choice *c = arena_alloc(q->cx.a, (ROLE__COUNT + 1) * sizeof(*c));

	for (int i = 0; i < ROLE__COUNT; i++)
		c[i] = (struct part_choice){ role_code(i), msg_text(q->cx.lang, role_label(i)), NULL };
	c[ROLE__COUNT] = (struct part_choice){ NULL, NULL, NULL };
	return c;
}

static int err_of(const struct source_form *f, int x)
{
	const struct field_error *e = field_error_find(&f->errs, x);

	return e ? e->msg : 0;
}

static const char *source_path(struct req *q, int64_t id)
{
	return arena_printf(q->cx.a, "/o/%s/sign-in-sources/%lld", q->cx.org->slug, (long long)id);
}

/* The source id of this organisation, or NULL (after answering 404/500). */
static struct identity_source *load_here(struct req *q, struct resp *r, int64_t id)
{
	struct identity_source *s = NULL;
	struct db_error err;
	int rc = identity_source_load(q->cx.db, q->cx.a, id, &s, &err);

	if (rc < 0) {
		log_error("identity source %lld: %s", (long long)id, err.msg);
		respond_error(q, r, 500);
		return NULL;
	}
	if (rc || s->org_id != q->cx.org->id || !s->k) {
		respond_error(q, r, 404);
		return NULL;
	}
	return s;
}

/* The archived flag is not in struct identity_source: read it. */
static int source_archived(struct req *q, int64_t id)
{
	struct db_rows r;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, "SELECT archived FROM identity_source WHERE id = $1",
		    DB_ARGS(DB_INT(id)), &r, &err) || r.nrows != 1)
		return 1;
	return (int)db_cell_i64(&r, 0, 0);
}

static void form_from_source(struct source_form *f, const struct identity_source *s)
{
	size_t n = nfields(s->k);

	memset(f, 0, sizeof(*f));
	f->id = s->id;
	f->version = s->version;
	f->k = s->k;
	f->name = s->name;
	f->default_role = s->default_role;
	f->enabled = s->enabled;
	f->status = 200;
	for (size_t i = 0; i < n && i < s->nvalues; i++) {
		if (s->k->fields[i].type == IF_SECRET)
			f->secret_set[i] = s->values[i] && *s->values[i];
		else
			f->values[i] = s->values[i] ? s->values[i] : s->k->fields[i].def;
	}
}

/* ---- the mappings ------------------------------------------------------- */

static void maps_section(struct req *q, struct html *h, int64_t id)
{
	struct db_rows r;
	struct db_error err;

	part_section_begin(h, "maps", M_SI_MAPS);
	h_lit(h, "<p>");
	h_msg(h, M_SI_MAPS_TEXT);
	h_lit(h, "</p>");
	if (db_exec(q->cx.db, q->cx.a,
		    "SELECT m.id, m.grp, m.role, u.name FROM identity_group_role m"
		    " LEFT JOIN unit u ON u.id = m.unit_id WHERE m.source_id = $1 AND m.archived = 0"
		    " ORDER BY m.grp_fold, m.id LIMIT 200",
		    DB_ARGS(DB_INT(id)), &r, &err)) {
		log_error("group mappings: %s", err.msg);
		r.nrows = 0;
	}
	if (!r.nrows) {
		part_empty(h, M_SI_MAPS_NONE);
	} else {
		part_table_begin(h, M_SI_MAPS, NULL);
		part_th(h, M_SI_COL_GROUP);
		part_th(h, M_SI_COL_ROLE);
		part_th(h, M_SI_COL_UNIT);
		part_th(h, M_SI_MAP_REMOVE);
		part_table_body(h);
		for (size_t i = 0; i < r.nrows; i++) {
			int role = role_parse(db_cell(&r, i, 2));

			part_tr(h);
			part_td(h, db_cell(&r, i, 1));
			if (role >= 0)
				part_td_msg(h, role_label(role));
			else
				part_td(h, db_cell(&r, i, 2));
			if (db_cell(&r, i, 3))
				part_td(h, db_cell(&r, i, 3));
			else
				part_td_msg(h, M_SI_WHOLE_ORG);
			part_td_begin(h);
			part_post_button(h, &(struct part_post){
				.label = M_SI_MAP_REMOVE, .cls = "link",
				.hidden = (const struct part_hidden[]){
					{ "map", arena_printf(q->cx.a, "%lld",
							      (long long)db_cell_i64(&r, i, 0)) },
					{ NULL, NULL } } },
				"/o/%s/sign-in-sources/%lld/unmap", q->cx.org->slug, (long long)id);
			part_td_end(h);
			part_tr_end(h);
		}
		part_table_end(h);
	}
	h_lit(h, "<form method=\"post\" class=\"record\" action=\"");
	h_url(h, "/o/%s/sign-in-sources/%lld/maps", q->cx.org->slug, (long long)id);
	h_lit(h, "\">");
	h_csrf(h);
	part_field(h, &(struct part_field){ .type = PI_TEXT, .name = "group", .label = M_SI_F_GROUP,
					    .value = "", .max = 500, .required = 1, .plain = 1 });
	part_field(h, &(struct part_field){ .type = PI_SELECT, .name = "role", .label = M_SI_F_ROLE,
					    .choices = role_choices(q), .placeholder = M_CHOOSE,
					    .required = 1, .value = "" });
	part_field(h, &(struct part_field){ .type = PI_REF, .name = "unit", .label = M_SI_F_UNIT,
					    .ref = &org_units, .placeholder = M_NONE_CHOSEN,
					    .value = "" });
	h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(h, M_SI_MAP_ADD);
	h_lit(h, "</button></div></form>");
	part_section_end(h);
}

/* ---- the form ----------------------------------------------------------- */

static void source_page(struct req *q, struct resp *r, const struct source_form *f)
{
	struct html h;
	size_t n = nfields(f->k);
	const char **names = arena_alloc(q->cx.a, (n + X_FIELD) * sizeof(*names));
	int *labels = arena_alloc(q->cx.a, (n + X_FIELD) * sizeof(*labels));
	const char *title = f->id ? f->name : msg_text(q->cx.lang, M_SI_NEW);

	names[X_NAME] = "name";
	labels[X_NAME] = M_SI_F_NAME;
	names[X_ROLE] = "default_role";
	labels[X_ROLE] = M_SI_F_DEFAULT_ROLE;
	names[X_ENABLED] = "enabled";
	labels[X_ENABLED] = M_SI_F_ENABLED;
	for (size_t i = 0; i < n; i++) {
		names[X_FIELD + i] = field_param[i];
		labels[X_FIELD + i] = f->k->fields[i].label;
	}
	page_begin_text(q, r, &h, f->id ? arena_printf(q->cx.a, "%s – %s", title,
						       msg_text(q->cx.lang, f->k->label))
					: arena_printf(q->cx.a, "%s: %s", title,
						       msg_text(q->cx.lang, f->k->label)));
	r->status = f->status ? f->status : 200;
	h_lit(&h, "<p>");
	part_link(&h, msg_text(q->cx.lang, M_SI_BACK), "/o/%s/sign-in-sources", q->cx.org->slug);
	h_lit(&h, "</p>");
	if (f->saved)
		page_notice(&h, M_SI_SAVED);
	if (f->notice)
		page_notice(&h, f->notice);
	page_error_summary(&h, names, labels, &f->errs);
	if (f->k->registration) {
		h_lit(&h, "<p class=\"notice\">");
		h_text(&h, f->k->registration(q->cx.a, q->app ? q->app->base_url : "", q->cx.lang));
		h_lit(&h, "</p>");
	}
	if (f->report) {
		h_lit(&h, "<section class=\"card\" aria-labelledby=\"test-h\" role=\"status\">"
			  "<h2 id=\"test-h\">");
		h_msg(&h, f->report_ok ? M_SI_TEST_OK : M_SI_TEST_FAIL);
		h_lit(&h, "</h2><ul>");
		for (const char *p = f->report; *p;) {
			size_t len = strcspn(p, "\n");

			h_lit(&h, "<li>");
			h_textn(&h, p, len);
			h_lit(&h, "</li>");
			p += len + (p[len] == '\n');
		}
		h_lit(&h, "</ul></section>");
	}
	if (f->id) {
		/* what is done after saving first: test, then the groups */
		part_section_begin(&h, "test", M_SI_TEST);
		h_lit(&h, "<p>");
		h_msg(&h, f->k->test ? M_SI_TEST_TEXT : M_SI_TEST_NONE);
		h_lit(&h, "</p>");
		if (f->k->test)
			part_post_button(&h, &(struct part_post){ .label = M_SI_TEST },
					 "/o/%s/sign-in-sources/%lld/test", q->cx.org->slug,
					 (long long)f->id);
		part_section_end(&h);
		maps_section(q, &h, f->id);
		part_section_begin(&h, "settings", M_SI_SETTINGS);
	}
	h_lit(&h, "<form method=\"post\" class=\"record\" novalidate action=\"");
	if (f->id)
		h_url(&h, "/o/%s/sign-in-sources/%lld", q->cx.org->slug, (long long)f->id);
	else
		h_url(&h, "/o/%s/sign-in-sources/new", q->cx.org->slug);
	h_lit(&h, "\">");
	h_csrf(&h);
	part_hidden(&h, "kind", f->k->code);
	if (f->id)
		part_hidden(&h, "version", arena_printf(q->cx.a, "%lld", (long long)f->version));
	part_field(&h, &(struct part_field){ .type = PI_TEXT, .name = "name", .label = M_SI_F_NAME,
					     .help = M_SI_H_NAME, .value = f->name ? f->name : "",
					     .max = 200, .required = 1, .error = err_of(f, X_NAME) });
	part_field(&h, &(struct part_field){ .type = PI_CHECKBOX, .name = "enabled",
					     .label = M_SI_F_ENABLED, .value = f->enabled ? "1" : "0",
					     .error = err_of(f, X_ENABLED) });
	part_field(&h, &(struct part_field){ .type = PI_SELECT, .name = "default_role",
					     .label = M_SI_F_DEFAULT_ROLE, .help = M_SI_H_DEFAULT_ROLE,
					     .choices = role_choices(q), .placeholder = M_NONE_CHOSEN,
					     .value = f->default_role ? f->default_role : "",
					     .error = err_of(f, X_ROLE) });
	for (size_t i = 0; i < n; i++) {
		const struct identity_field *d = &f->k->fields[i];
		struct part_field pf = { .name = field_param[i], .label = d->label, .help = d->help,
					 .value = f->values[i] ? f->values[i] : "",
					 .required = d->required && !(d->def && *d->def),
					 .error = err_of(f, X_FIELD + (int)i), .plain = 1,
					 .max = d->type == IF_LONGTEXT ? 20000 : 2000 };

		switch (d->type) {
		case IF_SECRET:
			pf.type = PI_PASSWORD;
			pf.value = NULL;
			pf.help = M_SI_H_SECRET;
			pf.required = 0;
			pf.autocomplete = "new-password";
			if (f->secret_set[i])
				pf.label_text = arena_printf(q->cx.a, "%s (%s)",
							     msg_text(q->cx.lang, d->label),
							     msg_text(q->cx.lang, M_SI_SECRET_SET));
			break;
		case IF_BOOL:
			pf.type = PI_CHECKBOX;
			pf.required = 0;
			break;
		case IF_LONGTEXT:
			pf.type = PI_LONGTEXT;
			pf.rows = 6;
			break;
		default:
			pf.type = PI_TEXT;
			break;
		}
		if (pf.label_text)
			pf.label = 0;
		part_field(&h, &pf);
	}
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_SI_SAVE);
	h_lit(&h, "</button></div></form>");
	if (f->id)
		part_section_end(&h);
	page_end(q, r, &h);
}

/* ---- the list ----------------------------------------------------------- */

static void list_page(struct req *q, struct resp *r)
{
	struct html h;
	struct db_rows rows;
	struct db_error err;
	struct part_choice *kinds;
	size_t nk = 0;

	if (db_exec(q->cx.db, q->cx.a,
		    "SELECT id, kind, name, enabled FROM identity_source WHERE org_id = $1"
		    " AND archived = 0 ORDER BY name_sk, id LIMIT 100",
		    DB_ARGS(DB_INT(q->cx.org->id)), &rows, &err)) {
		log_error("identity sources: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	page_begin(q, r, &h, M_SI_TITLE);
	h_lit(&h, "<p>");
	h_msg(&h, M_SI_INTRO);
	h_lit(&h, "</p>");
	if (!rows.nrows) {
		part_empty(&h, M_SI_NONE);
	} else {
		part_table_begin(&h, M_SI_TITLE, NULL);
		part_th(&h, M_SI_COL_NAME);
		part_th(&h, M_SI_COL_KIND);
		part_th(&h, M_SI_COL_STATE);
		part_table_body(&h);
		for (size_t i = 0; i < rows.nrows; i++) {
			const struct identity_kind *k = identity_kind_find(db_cell(&rows, i, 1));

			part_th_row_begin(&h);
			part_link(&h, db_cell(&rows, i, 2), "/o/%s/sign-in-sources/%lld",
				  q->cx.org->slug, (long long)db_cell_i64(&rows, i, 0));
			part_th_row_end(&h);
			if (k)
				part_td_msg(&h, k->label);
			else
				part_td(&h, db_cell(&rows, i, 1));
			part_td_msg(&h, db_cell_i64(&rows, i, 3) ? M_SI_ON : M_SI_OFF);
			part_tr_end(&h);
		}
		part_table_end(&h);
	}
	part_section_begin(&h, "new", M_SI_NEW);
	for (size_t i = 0; identity_kinds[i]; i++)
		nk++;
	kinds = arena_alloc(q->cx.a, (nk + 1) * sizeof(*kinds));
	for (size_t i = 0; i < nk; i++)
		kinds[i] = (struct part_choice){ identity_kinds[i]->code,
						 msg_text(q->cx.lang, identity_kinds[i]->label), NULL };
	kinds[nk] = (struct part_choice){ NULL, NULL, NULL };
	h_lit(&h, "<form method=\"get\" class=\"record\" action=\"");
	h_url(&h, "/o/%s/sign-in-sources/new", q->cx.org->slug);
	h_lit(&h, "\">");
	part_field(&h, &(struct part_field){ .type = PI_RADIOS, .name = "kind",
					     .label = M_SI_NEW_KIND, .choices = kinds, .required = 1,
					     .value = nk ? kinds[0].value : "" });
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(&h, M_SI_CONTINUE);
	h_lit(&h, "</button></div></form>");
	part_section_end(&h);
	page_end(q, r, &h);
}

static void new_page(struct req *q, struct resp *r)
{
	const struct identity_kind *k = identity_kind_find(req_param(q, "kind"));
	struct source_form f;
	size_t n;

	if (!k) {
		respond_error(q, r, 404);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.k = k;
	f.enabled = 1;
	n = nfields(k);
	for (size_t i = 0; i < n; i++)
		f.values[i] = k->fields[i].type == IF_SECRET ? NULL : k->fields[i].def;
	source_page(q, r, &f);
}

/* Reads the form into f (over what was stored) and saves it. */
static void save(struct req *q, struct resp *r, const struct identity_source *old)
{
	const struct identity_kind *k = old ? old->k : identity_kind_find(req_param(q, "kind"));
	struct source_form f;
	const char **keys, **vals;
	struct db_error err;
	size_t n;
	int64_t id;

	if (!k || (old && strcmp(req_param(q, "kind") ? req_param(q, "kind") : "", k->code))) {
		respond_error(q, r, old ? 409 : 404);
		return;
	}
	memset(&f, 0, sizeof(f));
	if (old)
		form_from_source(&f, old);
	f.k = k;
	f.name = req_param(q, "name");
	f.default_role = req_param(q, "default_role");
	f.enabled = req_param(q, "enabled") && !strcmp(req_param(q, "enabled"), "1");
	f.version = req_int(q, "version", 0, INT64_MAX, 0);
	n = nfields(k);
	keys = arena_alloc(q->cx.a, (n + 1) * sizeof(*keys));
	vals = arena_alloc(q->cx.a, (n + 1) * sizeof(*vals));
	for (size_t i = 0; i < n; i++) {
		const char *v = req_param(q, field_param[i]);

		if (k->fields[i].type == IF_BOOL)
			v = v && !strcmp(v, "1") ? "1" : "0";
		keys[i] = k->fields[i].key;
		vals[i] = v ? v : "";
		if (k->fields[i].type != IF_SECRET)
			f.values[i] = vals[i];
	}
	id = identity_source_save(&q->cx, old ? old->id : 0, f.version, k->code,
				  f.name ? f.name : "", f.enabled, f.default_role, n, keys, vals, &err);
	if (id) {
		resp_redirect(q, r, arena_printf(q->cx.a, "%s?saved=1", source_path(q, id)));
		return;
	}
	if (err.code == DBE_CHECK && strchr(err.msg, ':')) {
		int msg = atoi(err.msg);
		const char *key = strchr(err.msg, ':') + 1;
		int x = -1;

		if (!strcmp(key, "name"))
			x = X_NAME;
		else if (!strcmp(key, "default_role"))
			x = X_ROLE;
		for (size_t i = 0; i < n; i++)
			if (!strcmp(key, k->fields[i].key))
				x = X_FIELD + (int)i;
		field_error_add(&f.errs, x, msg > 0 ? msg : M_V_REQUIRED, "invalid");
		f.status = 422;
	} else if (err.code == DBE_CONFLICT) {
		field_error_add(&f.errs, -1, M_V_CONFLICT, "conflict");
		f.status = 409;
		f.version = old ? old->version : 0;
	} else if (err.code == DBE_NOTFOUND) {
		respond_error(q, r, 404);
		return;
	} else {
		log_error("saving an identity source: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	source_page(q, r, &f);
}

static void create_post(struct req *q, struct resp *r)
{
	save(q, r, NULL);
}

static void source_get(struct req *q, struct resp *r)
{
	struct identity_source *s = load_here(q, r, req_id(q));
	struct source_form f;

	if (!s)
		return;
	if (source_archived(q, s->id)) {
		respond_error(q, r, 404);
		return;
	}
	form_from_source(&f, s);
	f.saved = req_param(q, "saved") != NULL;
	if (req_param(q, "mapped"))
		f.notice = !strcmp(req_param(q, "mapped"), "1") ? M_SI_MAP_ADDED : M_SI_MAP_REMOVED;
	source_page(q, r, &f);
}

static void source_post(struct req *q, struct resp *r)
{
	struct identity_source *s = load_here(q, r, req_id(q));

	if (s)
		save(q, r, s);
}

static void test_post(struct req *q, struct resp *r)
{
	struct identity_source *s = load_here(q, r, req_id(q));
	struct source_form f;
	struct buf b = BUF_INIT;

	if (!s)
		return;
	form_from_source(&f, s);
	if (s->k->test) {
		f.report_ok = s->k->test(s, q->cx.a, q->cx.lang, &b) == 0;
		f.report = arena_strdup(q->cx.a, b.p ? b.p : "");
		log_info("identity source %lld tested: %s", (long long)s->id,
			 f.report_ok ? "works" : "fails");
	}
	buf_release(&b);
	source_page(q, r, &f);
}

static void map_post(struct req *q, struct resp *r)
{
	struct identity_source *s = load_here(q, r, req_id(q));
	struct db_error err;
	int64_t unit = req_int(q, "unit", 1, INT64_MAX, 0);

	if (!s)
		return;
	if (!identity_map_add(&q->cx, s->id, req_param(q, "group"), req_param(q, "role"), unit,
			      &err)) {
		struct source_form f;
		const char *key = strchr(err.msg, ':');

		if (err.code != DBE_CHECK || !key) {
			respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
			return;
		}
		form_from_source(&f, s);
		field_error_add(&f.errs, -1, atoi(err.msg), "invalid");
		f.status = 422;
		source_page(q, r, &f);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "%s?mapped=1#maps", source_path(q, s->id)));
}

static void unmap_post(struct req *q, struct resp *r)
{
	struct identity_source *s = load_here(q, r, req_id(q));
	struct db_error err;
	struct db_rows rows;
	int64_t map = req_int(q, "map", 1, INT64_MAX, 0);

	if (!s)
		return;
	/* the mapping must be this source's */
	if (db_exec(q->cx.db, q->cx.a,
		    "SELECT id FROM identity_group_role WHERE id = $1 AND source_id = $2",
		    DB_ARGS(DB_INT(map), DB_INT(s->id)), &rows, &err) || rows.nrows != 1 ||
	    identity_map_archive(&q->cx, map, &err)) {
		respond_error(q, r, 404);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "%s?mapped=0#maps", source_path(q, s->id)));
}

/* ---- a person's page ----------------------------------------------------- */

/* Which of the person's roles came from a source ("från katalogen NAME");
 * the others were given by hand.  A few rows by the person's key
 * (role_assignment_source). */
void signin_person_panel(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h)
{
	struct db_rows r;
	struct db_error err;

	(void)e;
	if (rec->masked)
		return;
	if (db_exec(q->cx.db, q->cx.a,
		    "SELECT ra.role, s.name, u.name FROM role_assignment ra"
		    " JOIN identity_source s ON s.id = ra.source_id"
		    " LEFT JOIN unit u ON u.id = ra.unit_id"
		    " WHERE ra.person_id = $1 AND ra.source_id > 0 AND ra.archived = 0"
		    " AND s.org_id = $2 ORDER BY ra.role, ra.id LIMIT 20",
		    DB_ARGS(DB_INT(rec->id), DB_INT(q->cx.org->id)), &r, &err)) {
		req_fail(q, "the roles from sign-in sources", &err);
		return;
	}
	if (!r.nrows)
		return;
	part_section_begin(h, "p-source-roles", M_SI_PANEL);
	h_lit(h, "<ul>");
	for (size_t i = 0; i < r.nrows; i++) {
		int role = role_parse(db_cell(&r, i, 0));

		h_lit(h, "<li>");
		if (role >= 0)
			h_msg(h, role_label(role));
		else
			h_text(h, db_cell(&r, i, 0));
		if (db_cell(&r, i, 2)) {
			h_lit(h, " (");
			h_text(h, db_cell(&r, i, 2));
			h_lit(h, ")");
		}
		h_lit(h, " – ");
		h_text(h, msg_fill(q->cx.a, msg_text(q->cx.lang, M_SI_FROM_SOURCE), "{name}",
				   db_cell(&r, i, 1)));
		h_lit(h, "</li>");
	}
	h_lit(h, "</ul><p class=\"hint\">");
	h_msg(h, M_SI_PANEL_HINT);
	h_lit(h, "</p>");
	part_section_end(h);
}

/* ---- routes ------------------------------------------------------------- */

#define FIELD_PARAMS(n) { "f" #n, P_STR, 20000 }
static const struct param source_params[] = {
	{ "csrf", P_STR, 128 }, { "version", P_STR, 24 }, { "kind", P_STR, 32 },
	{ "name", P_STR, 1024 }, { "default_role", P_STR, 64 }, { "enabled", P_STR, 4 },
	{ "saved", P_STR, 4 }, { "mapped", P_STR, 4 },
	FIELD_PARAMS(0), FIELD_PARAMS(1), FIELD_PARAMS(2), FIELD_PARAMS(3), FIELD_PARAMS(4),
	FIELD_PARAMS(5), FIELD_PARAMS(6), FIELD_PARAMS(7), FIELD_PARAMS(8), FIELD_PARAMS(9),
	FIELD_PARAMS(10), FIELD_PARAMS(11), FIELD_PARAMS(12), FIELD_PARAMS(13),
	FIELD_PARAMS(14), FIELD_PARAMS(15), FIELD_PARAMS(16), FIELD_PARAMS(17),
	FIELD_PARAMS(18), FIELD_PARAMS(19), FIELD_PARAMS(20), FIELD_PARAMS(21),
	FIELD_PARAMS(22), FIELD_PARAMS(23), FIELD_PARAMS(24), FIELD_PARAMS(25),
	FIELD_PARAMS(26), FIELD_PARAMS(27), FIELD_PARAMS(28), FIELD_PARAMS(29),
	FIELD_PARAMS(30), FIELD_PARAMS(31),
	{ NULL, 0, 0 },
};
static const struct param map_params[] = {
	{ "csrf", P_STR, 128 }, { "group", P_STR, 1000 }, { "role", P_STR, 64 },
	{ "unit", P_STR, 24 }, { "map", P_STR, 24 }, { NULL, 0, 0 },
};
static const struct param csrf_only[] = { { "csrf", P_STR, 128 }, { NULL, 0, 0 } };

#define ADMIN RB(ROLE_ADMIN)
const struct route signin_routes[] = {
	{ "GET", "/o/{org}/sign-in-sources", list_page, ADMIN, 0, 0, NULL, NULL },
	{ "GET", "/o/{org}/sign-in-sources/new", new_page, ADMIN, 0, 0, source_params, NULL },
	{ "POST", "/o/{org}/sign-in-sources/new", create_post, ADMIN, 0, BODY_FORM, source_params,
	  NULL },
	{ "GET", "/o/{org}/sign-in-sources/{id}", source_get, ADMIN, 0, 0, source_params, NULL },
	{ "POST", "/o/{org}/sign-in-sources/{id}", source_post, ADMIN, 0, BODY_FORM,
	  source_params, NULL },
	{ "POST", "/o/{org}/sign-in-sources/{id}/test", test_post, ADMIN, 0, BODY_FORM, csrf_only,
	  NULL },
	{ "POST", "/o/{org}/sign-in-sources/{id}/maps", map_post, ADMIN, 0, BODY_FORM, map_params,
	  NULL },
	{ "POST", "/o/{org}/sign-in-sources/{id}/unmap", unmap_post, ADMIN, 0, BODY_FORM,
	  map_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
