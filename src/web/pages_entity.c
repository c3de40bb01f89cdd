/* pages_entity.c - the pages every register gets from its declaration:
 * list (search, filters, sorting, keyset paging), new/edit forms, the
 * record's page, archive/restore, CSV export and CSV import with preview.
 *
 * Forms never lose work: a refused form comes back with every field as
 * typed, a summary of the errors at the top and each message beside its
 * field.  Writes redirect (303) to the record's page.
 */
#include "base/base.h"

#include <ctype.h>

#include "base/clock.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/roles.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/entity_export.h"
#include "core/entity_import.h"
#include "db/db.h"
#include "parse/csv.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages_entity.h"
#include "web/parts.h"
#include "web/xlsx.h"

static const struct entity *ent(struct req *q)
{
	return q->route->ctx;
}

/* ---- list ---- */

void list_query_from_req(struct req *q, const struct entity *e, struct list_query *lq)
{
	const char *sort = req_param(q, "sort");

	memset(lq, 0, sizeof(*lq));
	lq->search = req_param(q, "q");
	lq->sort_field = e->title_field;
	if (sort) {
		int i = entity_field_index(e, sort);
		if (i >= 0 && (e->fields[i].flags & FF_SORT))
			lq->sort_field = i;
	}
	lq->desc = req_int(q, "desc", 0, 1, 0);
	lq->archived = req_int(q, "archived", 0, 1, 0);
	lq->after = req_param(q, "after");
	lq->limit = (int)req_int(q, "limit", 1, 200, 50);
	lq->filters = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(char *));
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & FF_FILTER)
			lq->filters[i] = req_param(q, e->fields[i].name);
}

/* Appends the list's current state (minus `after`) to a URL being written. */
static void list_state_url(struct html *h, const struct entity *e, const struct list_query *lq,
			   int sort_field, int desc)
{
	h_url(h, "?sort=%s&desc=%d", e->fields[sort_field].name, desc);
	if (lq->limit && lq->limit != 50)
		h_url(h, "&limit=%d", lq->limit);
	if (lq->search && *lq->search)
		h_url(h, "&q=%s", lq->search);
	if (lq->archived)
		h_lit(h, "&amp;archived=1");
	for (size_t i = 0; i < e->nfields; i++)
		if (lq->filters[i] && *lq->filters[i])
			h_url(h, "&%s=%s", e->fields[i].name, lq->filters[i]);
}

/* One select per filterable field, "Alla" first; a GET form keeps the
 * choices in the address. */
static void filter_controls(struct req *q, const struct entity *e, const struct list_query *lq,
			    struct html *h)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		struct part_field pf = { .type = PI_SELECT, .name = f->name, .label = f->label,
					 .value = lq->filters[i], .placeholder = M_ALL };
		if (!(f->flags & FF_FILTER))
			continue;
		if (f->type == F_ENUM) {
			pf.choices = part_choices(h, f->choices);
		} else if (f->type == F_BOOL) {
			struct part_choice *c = arena_alloc(q->cx.a, 3 * sizeof(*c));
			c[0] = (struct part_choice){ "1", msg_text(q->cx.lang, M_YES), NULL };
			c[1] = (struct part_choice){ "0", msg_text(q->cx.lang, M_NO), NULL };
			pf.choices = c;
		} else if (f->type == F_REF) {
			pf.type = PI_REF;
			pf.ref = f->ref;
			pf.none_option = !(f->flags & FF_REQUIRED);
		} else if (f->type == F_INT && f->max > 0 && f->max - f->min <= 20) {
			/* a small range (levels 0-4): one option per value,
			 * then "(saknas)" for records without one */
			size_t nv = (size_t)(f->max - f->min + 1);
			struct part_choice *c = arena_alloc(q->cx.a, (nv + 2) * sizeof(*c));
			for (int64_t v = f->min; v <= f->max; v++) {
				const char *t = arena_printf(q->cx.a, "%lld", (long long)v);
				c[v - f->min] = (struct part_choice){ t, t, NULL };
			}
			c[nv] = (struct part_choice){ ENTITY_FILTER_NONE,
						      msg_text(q->cx.lang, M_FILTER_NONE), NULL };
			c[nv + 1] = (struct part_choice){ NULL, NULL, NULL };
			pf.choices = c;
		}
		part_field(h, &pf);
	}
}

/* An export of what the list shows: its search, filters, sorting and
 * archive choice travel in the link. */
static void export_link(struct req *q, struct html *h, const struct entity *e,
			const struct list_query *lq, const char *ext, int label)
{
	h_lit(h, "<a class=\"button\" href=\"");
	h_url(h, "/o/%s/%s.%s", q->cx.org->slug, e->name, ext);
	list_state_url(h, e, lq, lq->sort_field, lq->desc);
	h_lit(h, "\">");
	h_msg(h, label);
	h_lit(h, "</a>");
}

static void list_page(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	struct list_query lq;
	struct list_result res;
	struct db_error err;
	struct html h;

	list_query_from_req(q, e, &lq);
	if (entity_list(&q->cx, e, &lq, &res, &err) != 0) {
		respond_error(q, r, err.code == DBE_CHECK ? 400 : 500);
		return;
	}
	page_begin(q, r, &h, e->label_many);
	if (req_param(q, "imported")) {
		h_lit(&h, "<div class=\"notice\" role=\"status\">");
		h_msg_n(&h, M_IMPORTED_N, req_int(q, "imported", 0, INT64_MAX, 0));
		h_lit(&h, "</div>");
	}
	if (e->intro) {
		h_lit(&h, "<p class=\"intro\">");
		h_msg(&h, e->intro);
		h_lit(&h, "</p>");
	}
	h_lit(&h, "<div class=\"toolbar\">");
	if (entity_may_create(&q->cx, e)) {
		part_button_link(&h, e->label_new, 1, "/o/%s/%s/new", q->cx.org->slug, e->name);
		part_button_link(&h, M_IMPORT_CSV, 0, "/o/%s/%s/import", q->cx.org->slug, e->name);
	}
	export_link(q, &h, e, &lq, "csv", M_EXPORT_CSV);
	export_link(q, &h, e, &lq, "xlsx", M_EXPORT_XLSX);
	for (const struct entity_link *l = e->list_links; l && l->label; l++) {
		if (!(q->cx.org->roles & l->roles))
			continue;
		/* l->path holds its own slashes: not one segment for h_url */
		h_lit(&h, "<a class=\"button\" href=\"");
		h_url(&h, "/o/%s", q->cx.org->slug);
		h_text(&h, l->path);
		if (l->carry) {
			int f = entity_field_index(e, l->carry);
			const char *v = f >= 0 ? lq.filters[f] : NULL;

			/* carried only as a record's id: nothing else can
			 * reach the link's query */
			if (v && *v && strspn(v, "0123456789") == strlen(v)) {
				h_lit(&h, "?");
				h_text(&h, l->carry_as);
				h_lit(&h, "=");
				h_text(&h, v);
			}
		}
		h_lit(&h, "\">");
		h_msg(&h, l->label);
		h_lit(&h, "</a>");
	}
	h_lit(&h, "</div>");

	/* search and filters: a GET form that works without JavaScript */
	h_lit(&h, "<form class=\"filters\" method=\"get\" role=\"search\"");
	h_attr(&h, "aria-label", msg_text(q->cx.lang, M_SEARCH_AND_FILTER));
	h_lit(&h, ">");
	part_field(&h, &(struct part_field){ .type = PI_SEARCH, .name = "q", .label = M_SEARCH,
					     .value = lq.search, .max = 200 });
	h_lit(&h, "<div class=\"field\"><button type=\"submit\">");
	h_msg(&h, M_SEARCH);
	h_lit(&h, "</button></div>");
	/* the filters fold away, so the table starts above the fold; the
	 * summary says how many are in use */
	{
		int active = lq.archived ? 1 : 0;
		for (size_t i = 0; i < e->nfields; i++)
			if ((e->fields[i].flags & FF_FILTER) && lq.filters[i] && *lq.filters[i])
				active++;
		h_lit(&h, "<details class=\"more-filters\"><summary>");
		if (active)
			h_msg_plural(&h, active, M_FILTERS_ACTIVE_ONE, M_FILTERS_ACTIVE);
		else
			h_msg(&h, M_FILTERS);
		h_lit(&h, "</summary><div class=\"fold\">");
		filter_controls(q, e, &lq, &h);
		part_field(&h, &(struct part_field){ .type = PI_CHECKBOX, .name = "archived",
						     .label = M_SHOW_ARCHIVED,
						     .value = lq.archived ? "1" : NULL });
		h_lit(&h, "<div class=\"field\"><button type=\"submit\">");
		h_msg(&h, M_FILTER_APPLY);
		h_lit(&h, "</button></div></div></details>");
	}
	h_lit(&h, "</form>");

	h_lit(&h, "<p class=\"count\" role=\"status\">");
	if (res.total_more)
		h_msg_n(&h, M_N_HITS_MORE, (long long)res.total);
	else
		h_msg_plural(&h, res.total, M_N_HIT_ONE, M_N_HITS);
	h_lit(&h, "</p>");
	if (res.n == 0) {
		h_lit(&h, "<p class=\"empty\">");
		h_msg(&h, M_NOTHING_FOUND);
		h_lit(&h, "</p>");
	} else {
		part_table_begin(&h, e->label_many, NULL);
		for (size_t i = 0; i < e->nfields; i++) {
			const struct entity_field *f = &e->fields[i];
			int sorted = lq.sort_field == (int)i;
			if (!(f->flags & FF_LIST))
				continue;
			part_th_begin(&h, !sorted ? NULL : lq.desc ? "descending" : "ascending");
			if (f->flags & FF_SORT || (int)i == e->title_field) {
				h_lit(&h, "<a href=\"");
				list_state_url(&h, e, &lq, (int)i, sorted ? !lq.desc : 0);
				h_lit(&h, "\">");
				h_msg(&h, f->label);
				if (sorted && lq.desc)
					h_lit(&h, " <span aria-hidden=\"true\">▼</span>");
				else if (sorted)
					h_lit(&h, " <span aria-hidden=\"true\">▲</span>");
				h_lit(&h, "</a>");
			} else {
				h_msg(&h, f->label);
			}
			part_th_end(&h);
		}
		part_table_body(&h);
		for (size_t k = 0; k < res.n; k++) {
			const struct record *rec = &res.rows[k];
			part_tr(&h);
			for (size_t i = 0; i < e->nfields; i++) {
				if (!(e->fields[i].flags & FF_LIST))
					continue;
				if ((int)i == e->title_field) {
					part_th_row_begin(&h);
					part_link(&h, entity_display(&q->cx, e, rec, i), "/o/%s/%s/%lld",
						  q->cx.org->slug, e->name, (long long)rec->id);
					part_th_row_end(&h);
				} else {
					part_td_value(&h, e, rec, i);
				}
			}
			part_tr_end(&h);
		}
		part_table_end(&h);
	}
	h_lit(&h, "<nav class=\"pager\"");
	h_attr(&h, "aria-label", msg_text(q->cx.lang, M_PAGES));
	h_lit(&h, ">");
	if (lq.after && *lq.after) {
		h_lit(&h, "<a href=\"");
		list_state_url(&h, e, &lq, lq.sort_field, lq.desc);
		h_lit(&h, "\">");
		h_msg(&h, M_FIRST_PAGE);
		h_lit(&h, "</a>");
	}
	if (res.next) {
		h_lit(&h, "<a rel=\"next\" href=\"");
		list_state_url(&h, e, &lq, lq.sort_field, lq.desc);
		h_url(&h, "&after=%s", res.next);
		h_lit(&h, "\">");
		h_msg(&h, M_NEXT_PAGE);
		h_lit(&h, "</a>");
	}
	h_lit(&h, "</nav>");
	page_end(q, r, &h);
}

/* ---- forms ---- */

/* Where a new record's form goes back to: `ret` when it is a page of this
 * organisation (a local path under /o/<slug>/, no other site, no tricks),
 * else NULL.  Never an open redirect: a foreign or odd address is
 * ignored, and the record's own page is shown instead. */
static const char *return_path(struct req *q, const char *ret)
{
	const char *pre = arena_printf(q->cx.a, "/o/%s/", q->cx.org->slug);

	if (!ret || strncmp(ret, pre, strlen(pre)) != 0 || strstr(ret, "//") ||
	    strstr(ret, "/.") || strlen(ret) > 512)
		return NULL;
	for (const char *c = ret; *c; c++)
		if (!(isalnum((unsigned char)*c) || strchr("/-_.", *c)))
			return NULL; /* a path: no query, fragment, escapes or markup */
	return ret;
}

/* The page a "new" form was opened from: the parent the form came filled
 * in with (a system's "add dependency" opens .../dependencies/new?
 * system_id=5), or else the one reference it came filled in with
 * (?infoset_id=7); NULL if none. */
static const char *parent_path(struct req *q, const struct entity *e, const struct record *rec)
{
	int pf = e->parent_field ? entity_field_index(e, e->parent_field) : -1;
	int64_t id;

	if (pf >= 0 && !rec->v[pf])
		pf = -1;
	for (size_t i = 0; pf < 0 && i < e->nfields; i++)
		if (e->fields[i].type == F_REF && (e->fields[i].flags & FF_FILTER) && rec->v[i])
			pf = (int)i;
	if (pf < 0 || !rec->v[pf] || parse_i64(rec->v[pf], &id) != 0 || id <= 0)
		return NULL;
	return arena_printf(q->cx.a, "/o/%s/%s/%lld", q->cx.org->slug, e->fields[pf].ref->name,
			    (long long)id);
}

/* The record a new one is made from and linked to (entity.h
 * entity_create_link), when the page was opened from it: its id, or 0. */
static int64_t create_link_other(struct req *q, const struct entity *e, struct record *other)
{
	const struct entity_create_link *cl = e->create_link;
	const struct entity *to = cl ? cl->link->fields[cl->link_to_param].ref : NULL;
	const char *v = cl ? req_param(q, cl->param) : NULL;
	struct record link = { 0 };
	struct db_error err;
	int64_t id;

	if (!to || !v || parse_i64(v, &id) != 0 || id <= 0 ||
	    entity_get(&q->cx, to, id, other, &err) != 0 || other->archived ||
	    !entity_may_create(&q->cx, cl->link))
		return 0;
	/* offered only to who may make the link too (the link's access is
	 * usually its parent's: may they change that system?) */
	link.v = arena_alloc(q->cx.a, (cl->link->nfields + 1) * sizeof(char *));
	link.ref_title = arena_alloc(q->cx.a, (cl->link->nfields + 1) * sizeof(char *));
	link.org_id = q->cx.org->id;
	link.v[cl->link_to_param] = arena_printf(q->cx.a, "%lld", (long long)id);
	return entity_may(&q->cx, cl->link, &link, OP_WRITE) ? id : 0;
}

/* The form says what the new record will be linked to, and carries it. */
static void create_link_note(struct req *q, struct html *h, const struct entity *e)
{
	const struct entity_create_link *cl = e->create_link;
	const struct entity *to = cl->link->fields[cl->link_to_param].ref;
	struct record other;
	int64_t id = create_link_other(q, e, &other);

	if (!id)
		return;
	part_hidden(h, cl->param, arena_printf(q->cx.a, "%lld", (long long)id));
	h_lit(h, "<p class=\"notice\">");
	h_msg(h, M_CREATE_LINKED_TO);
	h_lit(h, " <strong>");
	h_text(h, entity_title(to, &other));
	h_lit(h, "</strong> ");
	h_msg(h, M_CREATE_LINKED_WHEN);
	h_lit(h, "</p>");
}

/* A part made from its parent's page (an incident's affected system, a
 * system's dependency) names the parent as given, not in a picker of the
 * whole parent register (which may hold many thousands): the parent's
 * name and a hidden input.  0 when the field is no given parent (then the
 * picker is written). */
static int fixed_parent(struct req *q, const struct entity *e, size_t i,
			const struct record *rec, const struct field_errors *errs,
			struct html *h)
{
	const struct entity_field *f = &e->fields[i];
	const char *title = NULL;
	struct db_error err;
	int64_t id;

	if (!e->parent_field || strcmp(f->name, e->parent_field) != 0 || !rec || rec->id ||
	    !rec->v[i] || parse_i64(rec->v[i], &id) != 0 || id <= 0 ||
	    field_error_find(errs, (int)i))
		return 0;
	if (entity_titles(&q->cx, f->ref, &id, 1, &title, &err) != 0 || !title)
		return 0;
	h_lit(h, "<div class=\"field fixed\"><span class=\"label\">");
	h_msg(h, f->label);
	h_lit(h, "</span> <a");
	h_href(h, "/o/%s/%s/%lld", q->cx.org->slug, f->ref->name, (long long)id);
	h_lit(h, ">");
	h_text(h, title);
	h_lit(h, "</a></div>");
	part_hidden(h, f->name, rec->v[i]);
	return 1;
}

static void form_page(struct req *q, struct resp *r, const struct entity *e,
		      const struct record *rec, const struct field_errors *errs, int status,
		      const char *ret)
{
	struct html h;
	const char **names = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(char *));
	int *labels = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(int));
	int editing = rec && rec->id;
	int group = 0;

	for (size_t i = 0; i < e->nfields; i++) {
		names[i] = e->fields[i].name;
		labels[i] = e->fields[i].label;
	}
	if (editing)
		page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s",
			msg_text(q->cx.lang, M_EDIT), entity_title(e, rec)));
	else
		page_begin(q, r, &h, e->label_new);
	r->status = status;
	page_error_summary(&h, names, labels, errs);
	/* novalidate: the server's Swedish messages are the ones shown */
	h_lit(&h, "<form method=\"post\" class=\"record\" novalidate action=\"");
	if (editing)
		h_url(&h, "/o/%s/%s/%lld", q->cx.org->slug, e->name, (long long)rec->id);
	else
		h_url(&h, "/o/%s/%s", q->cx.org->slug, e->name);
	h_lit(&h, "\">");
	h_csrf(&h);
	part_hidden(&h, "return", ret);
	if (!editing && e->create_link)
		create_link_note(q, &h, e);
	if (editing)
		part_hidden(&h, "version", arena_printf(q->cx.a, "%lld", (long long)rec->version));
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		if ((f->flags & FF_NO_FORM) || entity_field_is_state(e, i))
			continue;
		/* a run of fields of one group is a fieldset (entity.h) */
		if (f->group != group) {
			if (group)
				h_lit(&h, "</fieldset>");
			if (f->group) {
				h_lit(&h, "<fieldset class=\"group\"><legend>");
				h_msg(&h, f->group);
				h_lit(&h, "</legend>");
			}
			group = f->group;
		}
		if (fixed_parent(q, e, i, rec, errs, &h))
			continue;
		part_entity_field(&h, e, i, rec ? rec->v[i] : NULL, errs);
	}
	if (group)
		h_lit(&h, "</fieldset>");
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_SAVE);
	h_lit(&h, "</button>");
	if (editing) {
		part_button_link(&h, M_CANCEL, 0, "/o/%s/%s/%lld", q->cx.org->slug, e->name,
				 (long long)rec->id);
	} else if (ret) {
		h_lit(&h, "<a class=\"button\" href=\"");
		h_text(&h, ret); /* return_path(): a plain local path */
		h_lit(&h, "\">");
		h_msg(&h, M_CANCEL);
		h_lit(&h, "</a>");
	} else {
		part_button_link(&h, M_CANCEL, 0, "/o/%s/%s", q->cx.org->slug, e->name);
	}
	h_lit(&h, "</div></form>");
	page_end(q, r, &h);
}

/* Makes rec and, when asked for, its link to the record it was made from,
 * in one transaction: both or neither. */
static int create_linked(struct req *q, const struct entity *e, struct record *rec,
			 struct field_errors *errs, struct db_error *err, int64_t *link_id)
{
	const struct entity_create_link *cl = e->create_link;
	struct record other, link = { 0 };
	const char **vals;
	int64_t other_id = create_link_other(q, e, &other);
	int rc;

	*link_id = 0;
	if (!other_id)
		return entity_create(&q->cx, e, rec, errs, err);
	if (db_begin(q->cx.db, err) != 0)
		return -1;
	rc = entity_create(&q->cx, e, rec, errs, err);
	if (rc == 0) {
		struct field_errors lerrs = { .n = 0 };

		vals = arena_alloc(q->cx.a, (cl->link->nfields + 1) * sizeof(char *));
		vals[cl->link_to_param] = arena_printf(q->cx.a, "%lld", (long long)other_id);
		vals[cl->link_to_new] = arena_printf(q->cx.a, "%lld", (long long)rec->id);
		entity_record_from_values(&q->cx, cl->link, vals, &link, &lerrs);
		rc = lerrs.n == 0 ? entity_create(&q->cx, cl->link, &link, &lerrs, err) : -1;
		/* the link's refusal (access, a rule) is told at the name */
		for (size_t i = 0; i < lerrs.n; i++)
			field_error_add(errs, e->title_field, lerrs.e[i].msg, lerrs.e[i].code);
	}
	if (rc == 0 && db_commit(q->cx.db, err) == 0) {
		*link_id = link.id;
		return 0;
	}
	db_rollback(q->cx.db);
	rec->id = 0;
	return -1;
}

static void new_page(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	struct record rec = { 0 };
	const char *ret;

	rec.v = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(char *));
	rec.ref_title = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(char *));
	/* Prefill from the query (e.g. "new role for this person"). */
	for (size_t i = 0; i < e->nfields; i++)
		rec.v[i] = form_get(&q->query_form, e->fields[i].name);
	ret = return_path(q, req_param(q, "return"));
	form_page(q, r, e, &rec, NULL, 200, ret ? ret : parent_path(q, e, &rec));
}

/* The form's values, a reference searched by name resolved to its record
 * (parts.h part_ref_resolve); what could not be resolved is a problem of
 * that field in errs, and the form comes back offering the matches. */
static void values_from_form(struct req *q, const struct entity *e, const char **vals,
			     struct field_errors *errs)
{
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		int64_t id;
		int msg, rc;

		vals[i] = (f->flags & FF_NO_FORM) ? NULL : form_get(&q->body_form, f->name);
		if (f->type != F_REF || (f->flags & FF_NO_FORM))
			continue;
		rc = part_ref_resolve(q, f, &id, &msg);
		if (rc > 0) {
			vals[i] = arena_printf(q->cx.a, "%lld", (long long)id);
		} else if (rc < 0) {
			vals[i] = NULL;
			field_error_add(errs, (int)i, msg, "not_found");
		}
	}
}

static void redirect_to_record(struct req *q, struct resp *r, const struct entity *e,
			       int64_t id, const char *notice)
{
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/%s/%lld?%s", q->cx.org->slug, e->name,
					 (long long)id, notice));
}

static void create_action(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	const char **vals = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(char *));
	struct record rec = { 0 };
	struct field_errors errs = { .n = 0 };
	struct db_error err = { 0 };

	const char *ret = return_path(q, req_param(q, "return"));
	int64_t link_id = 0;

	values_from_form(q, e, vals, &errs);
	entity_record_from_values(&q->cx, e, vals, &rec, &errs);
	if (errs.n == 0 && create_linked(q, e, &rec, &errs, &err, &link_id) == 0) {
		if (link_id) {
			/* to the new record (its page names what it is linked to) */
			page_flash(q, r, e->name, rec.id);
			resp_redirect(q, r, ret ? ret : arena_printf(q->cx.a, "/o/%s/%s/%lld",
								     q->cx.org->slug, e->name,
								     (long long)rec.id));
			return;
		}
		if (ret) {
			/* back where the person was, with a word about what
			 * was added (layout.c shows it once) */
			page_flash(q, r, e->name, rec.id);
			resp_redirect(q, r, ret);
			return;
		}
		redirect_to_record(q, r, e, rec.id, "created=1");
		return;
	}
	if (errs.n == 0) {
		log_error("create %s: %s", e->name, err.msg);
		respond_error(q, r, 500);
		return;
	}
	rec.id = 0;
	form_page(q, r, e, &rec, &errs, 422, ret);
}

static int load_or_404(struct req *q, struct resp *r, const struct entity *e,
		       struct record *rec)
{
	struct db_error err = { 0 };

	if (entity_get(&q->cx, e, req_id(q), rec, &err) == 0)
		return 0;
	respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
	return -1;
}

/* The record shown to the person (its page): a read the register may
 * audit. */
static int read_or_404(struct req *q, struct resp *r, const struct entity *e,
		       struct record *rec)
{
	struct db_error err = { 0 };

	if (entity_read(&q->cx, e, req_id(q), rec, &err) == 0)
		return 0;
	respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
	return -1;
}

static void edit_page(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	struct record rec;

	if (read_or_404(q, r, e, &rec) != 0)
		return;
	/* never offer hidden values for editing, nor a form the actor may
	 * not save (per-record access) */
	if (rec.masked || rec.archived || !entity_may(&q->cx, e, &rec, OP_WRITE)) {
		respond_error(q, r, 403);
		return;
	}
	form_page(q, r, e, &rec, NULL, 200, NULL);
}

static void update_action(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	const char **vals = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(char *));
	struct record cur, rec = { 0 };
	struct field_errors errs = { .n = 0 };
	struct db_error err = { 0 };

	if (load_or_404(q, r, e, &cur) != 0)
		return;
	if (cur.masked) {
		respond_error(q, r, 403);
		return;
	}
	values_from_form(q, e, vals, &errs);
	entity_record_from_values(&q->cx, e, vals, &rec, &errs);
	rec.id = cur.id;
	rec.version = req_int(q, "version", 1, INT64_MAX, 0);
	if (errs.n == 0 && entity_update(&q->cx, e, &rec, &errs, &err) == 0) {
		redirect_to_record(q, r, e, rec.id, "saved=1");
		return;
	}
	if (err.code == DBE_DENIED) {
		respond_error(q, r, 403);
		return;
	}
	if (errs.n == 0) {
		log_error("update %s: %s", e->name, err.msg);
		respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
		return;
	}
	/* On a conflict the form keeps what the user typed, with the current
	 * version so that saving again is a deliberate overwrite. */
	if (err.code == DBE_CONFLICT)
		rec.version = cur.version;
	form_page(q, r, e, &rec, &errs, err.code == DBE_CONFLICT ? 409 : 422, NULL);
}

/* ---- the record's page ---- */

/* Archiving always asks first and says what it means (the built-in one
 * and a register's own): a transition with a page of its own. */
static int is_archive(const struct entity_transition *t)
{
	return !t->field && strcmp(t->name, "archive") == 0;
}

static int has_page(const struct entity_transition *t)
{
	return t->params || t->help || is_archive(t);
}


void archived_banner(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h)
{
	const struct entity_transition *t = entity_transition_by_name(e, "restore");

	h_lit(h, "<div class=\"notice warning archived-banner\" role=\"note\"><p>");
	part_badge(h, M_IS_ARCHIVED, "archived");
	h_lit(h, " ");
	h_msg(h, M_ARCHIVED_BANNER);
	h_lit(h, "</p>");
	if (t && entity_transition_applies(e, t, rec) && entity_may_transition(&q->cx, e, t, rec)) {
		if (has_page(t))
			part_button_link(h, t->label, 1, "/o/%s/%s/%lld/%s", q->cx.org->slug,
					 e->name, (long long)rec->id, t->name);
		else
			part_post_button(h, &(struct part_post){ .label = t->label, .cls = "primary",
								 .version = rec->version },
					 "/o/%s/%s/%lld/%s", q->cx.org->slug, e->name,
					 (long long)rec->id, t->name);
	}
	h_lit(h, "</div>");
}

static void show_page(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	struct record rec;
	struct html h;

	if (read_or_404(q, r, e, &rec) != 0)
		return;
	page_begin_text(q, r, &h, entity_title(e, &rec));
	if (req_param(q, "saved"))
		page_notice(&h, M_SAVED);
	else if (req_param(q, "created"))
		page_notice(&h, M_CREATED);
	else if (req_param(q, "conflict"))
		page_notice(&h, M_ARCHIVE_CONFLICT);
	if (rec.archived)
		archived_banner(q, e, &rec, &h);
	if (e->show_summary)
		e->show_summary(q, e, &rec, &h);
	for (size_t m = 0; modules[m]; m++)
		for (const struct record_panel *p = modules[m]->panels; p && p->of; p++)
			if (strcmp(p->of, e->name) == 0)
				p->show(q, e, &rec, &h);
	part_dl_begin(&h);
	part_record_items(&h, e, &rec);
	part_dl_item(&h, M_UPDATED_AT, arena_printf(q->cx.a, "%s (%s %lld)",
		     clock_format_local(q->cx.a, rec.updated_at), msg_text(q->cx.lang, M_VERSION),
		     (long long)rec.version));
	part_dl_end(&h);

	if (e->show_extra)
		e->show_extra(q, e, &rec, &h);

	h_lit(&h, "<div class=\"actions\">");
	if (!rec.archived && !rec.masked && entity_may(&q->cx, e, &rec, OP_WRITE))
		part_button_link(&h, M_EDIT, 1, "/o/%s/%s/%lld/edit", q->cx.org->slug, e->name,
				 (long long)rec.id);
	if (!rec.archived) /* the banner above offers the restore */
		entity_transition_buttons(q, e, &rec, &h);
	if (q->cx.org->roles & ROLES_AUDIT_READ)
		part_button_link(&h, M_HISTORY, 0, "/o/%s/audit?entity=%s&entity_id=%lld",
				 q->cx.org->slug, e->name, (long long)rec.id);
	part_button_link(&h, M_BACK_TO_LIST, 0, "/o/%s/%s", q->cx.org->slug, e->name);
	h_lit(&h, "</div>");
	page_end(q, r, &h);
}

/* ---- transitions (core/entity.h) ---- */

struct transition_route {
	const struct entity *e;
	const struct entity_transition *t;
};

int entity_transition_button(struct req *q, const struct entity *e,
			     const struct entity_transition *t, const struct record *rec,
			     int primary, struct html *h)
{
	if (!entity_transition_applies(e, t, rec) || !entity_may_transition(&q->cx, e, t, rec))
		return 0;
	if (has_page(t)) /* inputs or something to say first: its own page */
		part_button_link(h, t->label, primary, "/o/%s/%s/%lld/%s", q->cx.org->slug,
				 e->name, (long long)rec->id, t->name);
	else
		part_post_button(h, &(struct part_post){ .label = t->label,
							 .cls = primary ? "primary" : NULL,
							 .version = rec->version },
				 "/o/%s/%s/%lld/%s", q->cx.org->slug, e->name,
				 (long long)rec->id, t->name);
	return 1;
}

void entity_transition_buttons(struct req *q, const struct entity *e,
			       const struct record *rec, struct html *h)
{
	for (const struct entity_transition *t = e->all_transitions; t && t->name; t++)
		if (!t->own_button)
			entity_transition_button(q, e, t, rec, 0, h);
}

/* The transition's page: what happens, its inputs, the button. */
static void transition_form(struct req *q, struct resp *r, const struct transition_route *tr,
			    const struct record *rec, const char *const *pv,
			    const struct field_errors *errs, int status)
{
	const struct entity *e = tr->e;
	const struct entity_transition *t = tr->t;
	struct html h;
	size_t n = 0;
	const char **names;
	int *labels;

	for (const struct entity_field *f = t->params; f && f->name; f++)
		n++;
	/* the summary links each problem to its input: record fields by
	 * their own index, the other params at nfields + i */
	names = arena_alloc(q->cx.a, (e->nfields + n + 1) * sizeof(char *));
	labels = arena_alloc(q->cx.a, (e->nfields + n + 1) * sizeof(int));
	for (size_t i = 0; i < e->nfields; i++) {
		names[i] = e->fields[i].name;
		labels[i] = e->fields[i].label;
	}
	for (size_t i = 0; i < n; i++) {
		names[e->nfields + i] = t->params[i].name;
		labels[e->nfields + i] = t->params[i].label;
	}
	page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s",
		msg_text(q->cx.lang, t->label), entity_title(e, rec)));
	r->status = status;
	page_error_summary(&h, names, labels, errs);
	if (is_archive(t)) {
		/* what archiving does, before it is done */
		h_lit(&h, "<div class=\"notice warning\"><p>");
		h_msg(&h, M_ARCHIVE_WHAT);
		h_lit(&h, "</p><ul><li>");
		h_msg(&h, M_ARCHIVE_KEPT);
		h_lit(&h, "</li><li>");
		h_msg(&h, M_ARCHIVE_HIDDEN);
		h_lit(&h, "</li><li>");
		h_msg(&h, M_ARCHIVE_RESTORABLE);
		h_lit(&h, "</li><li>");
		h_msg(&h, M_ARCHIVE_HISTORY);
		h_lit(&h, "</li></ul></div>");
	}
	if (t->help) {
		h_lit(&h, "<p class=\"intro\">");
		h_msg(&h, t->help);
		h_lit(&h, "</p>");
	}
	h_lit(&h, "<form method=\"post\" class=\"record\" novalidate action=\"");
	h_url(&h, "/o/%s/%s/%lld/%s", q->cx.org->slug, e->name, (long long)rec->id, t->name);
	h_lit(&h, "\">");
	h_csrf(&h);
	part_hidden(&h, "version", arena_printf(q->cx.a, "%lld", (long long)rec->version));
	for (size_t i = 0; i < n; i++) {
		const struct field_error *fe =
			field_error_find(errs, entity_param_error_index(e, t, t->params[i].name));
		struct part_field f;

		if (t->asks && !fe && !t->asks(&q->cx, e, rec, i))
			continue;
		part_field_of(&h, &t->params[i], pv ? pv[i] : NULL, fe ? fe->msg : 0, &f);
		part_field(&h, &f);
	}
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\"");
	h_attr(&h, "class", is_archive(t) ? "danger" : "primary");
	h_lit(&h, ">");
	h_msg(&h, t->label);
	h_lit(&h, "</button>");
	part_button_link(&h, M_CANCEL, 0, "/o/%s/%s/%lld", q->cx.org->slug, e->name,
			 (long long)rec->id);
	h_lit(&h, "</div></form>");
	page_end(q, r, &h);
}

static const char **transition_values(struct req *q, const struct entity_transition *t)
{
	size_t n = 0;
	const char **pv;

	for (const struct entity_field *f = t->params; f && f->name; f++)
		n++;
	pv = arena_alloc(q->cx.a, (n + 1) * sizeof(char *));
	for (size_t i = 0; i < n; i++)
		pv[i] = req_param(q, t->params[i].name);
	return pv;
}

/* What the transition's page starts with: the record's own values of
 * the params that are its fields (a re-assessment shows the assessment),
 * then the transition's suggestions. */
static const char **transition_defaults(struct req *q, const struct transition_route *tr,
					const struct record *rec)
{
	const struct entity_transition *t = tr->t;
	size_t n = 0;
	const char **pv;

	for (const struct entity_field *f = t->params; f && f->name; f++)
		n++;
	if (!n)
		return NULL;
	pv = arena_alloc(q->cx.a, (n + 1) * sizeof(*pv));
	for (size_t i = 0; i < n; i++) {
		int fi = entity_field_index(tr->e, t->params[i].name);
		pv[i] = fi >= 0 ? rec->v[fi] : NULL;
	}
	if (t->defaults)
		t->defaults(&q->cx, tr->e, rec, pv);
	return pv;
}

static void transition_page(struct req *q, struct resp *r)
{
	const struct transition_route *tr = q->route->ctx;
	struct field_errors errs = { .n = 0 };
	struct db_error err;
	struct record rec;

	if (entity_read(&q->cx, tr->e, req_id(q), &rec, &err) != 0) {
		respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
		return;
	}
	if (!entity_may_transition(&q->cx, tr->e, tr->t, &rec)) {
		respond_error(q, r, 403);
		return;
	}
	if (!entity_transition_applies(tr->e, tr->t, &rec)) {
		/* made already (by someone else, or in another tab) */
		redirect_to_record(q, r, tr->e, rec.id, "conflict=1");
		return;
	}
	transition_form(q, r, tr, &rec, transition_defaults(q, tr, &rec), &errs, 200);
}

static void transition_action(struct req *q, struct resp *r)
{
	const struct transition_route *tr = q->route->ctx;
	const struct entity *e = tr->e;
	struct field_errors errs = { .n = 0 };
	struct db_error err = { 0 };
	int64_t id = req_id(q);
	const char **pv = transition_values(q, tr->t);
	struct record rec;

	if (entity_transition(&q->cx, e, id, req_int(q, "version", 1, INT64_MAX, 0),
			      tr->t->name, pv, &errs, &err) == 0) {
		redirect_to_record(q, r, e, id, "saved=1");
		return;
	}
	switch (err.code) {
	case DBE_CONFLICT:
		/* someone changed it meanwhile: show the current record */
		redirect_to_record(q, r, e, id, "conflict=1");
		return;
	case DBE_NOTFOUND:
		respond_error(q, r, 404);
		return;
	case DBE_DENIED:
		respond_error(q, r, 403);
		return;
	default:
		break;
	}
	if (!errs.n || entity_read(&q->cx, e, id, &rec, &err) != 0) {
		respond_error(q, r, err.code == DBE_BUSY ? 503 : 500);
		return;
	}
	/* the rules refused: the form again, with what was given and why */
	transition_form(q, r, tr, &rec, pv, &errs, 422);
}

/* ---- CSV export ---- */

static void csv_export(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	struct list_query lq;
	struct db_error err;

	list_query_from_req(q, e, &lq);
	if (entity_export_csv(&q->cx, e, &lq, &r->body, NULL, NULL, &err) < 0) {
		log_error("csv export of %s: %s", e->name, err.msg);
		respond_error(q, r, err.code == DBE_CHECK ? 400 : 500);
		return;
	}
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	r->download_name = arena_printf(q->cx.a, "%s-%s.csv", q->cx.org->slug, e->name);
	resp_header(r, "Cache-Control", "no-store");
}

/* ---- CSV import (the work is core/entity_import.c's) ---- */

/* The refusal of an import: how many problems, that nothing was saved, and
 * one row per problem with its line and column (also the modules' own
 * interchange imports). */
void import_problems_table(struct html *h, const struct import_run *run)
{
	h_lit(h, "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus id=\"errors\"><h2>");
	h_msg_n(h, M_IMPORT_N_PROBLEMS, (long long)run->nproblems);
	h_lit(h, "</h2><p>");
	h_msg(h, M_IMPORT_NOTHING_SAVED);
	h_lit(h, "</p>");
	part_table_begin(h, M_IMPORT_PROBLEMS, NULL);
	part_th(h, M_IMPORT_LINE);
	part_th(h, M_IMPORT_COLUMN);
	part_th(h, M_IMPORT_PROBLEM);
	part_table_body(h);
	/* the first IMPORT_PROBLEMS_KEPT; the heading counts them all */
	for (size_t i = 0; i < run->nkept; i++) {
		part_tr(h);
		part_td(h, arena_printf(h->q->cx.a, "%zu", run->problems[i].line));
		part_td(h, run->problems[i].column);
		part_td(h, run->problems[i].msg);
		part_tr_end(h);
	}
	part_table_end(h);
	h_lit(h, "</div>");
}

static void import_form(struct req *q, struct resp *r, const struct entity *e,
			const char *text, const struct import_run *run, int status)
{
	struct html h;

	page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s", msg_text(q->cx.lang, M_IMPORT_CSV),
					       msg_text(q->cx.lang, e->label_many)));
	r->status = status;
	if (run && run->nproblems) {
		import_problems_table(&h, run);
	} else if (run && run->rows) {
		/* confirming posts the text again: the preview was rolled back */
		const struct part_hidden again[] = {
			{ "confirm", "1" }, { "csv", text }, { NULL, NULL },
		};
		h_lit(&h, "<div class=\"notice\" role=\"status\"><p>");
		h_msg_n(&h, M_IMPORT_READY, (long long)run->rows);
		h_lit(&h, "</p>");
		part_post_button(&h, &(struct part_post){ .label = M_IMPORT_DO, .n = (int64_t)run->rows,
							  .cls = "primary", .hidden = again },
				 "/o/%s/%s/import", q->cx.org->slug, e->name);
		h_lit(&h, "</div>");
	}
	h_lit(&h, "<p>");
	h_msg(&h, M_IMPORT_HELP);
	h_lit(&h, "</p><p class=\"hint\" id=\"import-limit\">");
	h_msg_n(&h, M_IMPORT_LIMIT, IMPORT_MAX_ROWS);
	h_lit(&h, "</p><p>");
	h_msg(&h, M_IMPORT_TEMPLATES);
	h_lit(&h, "</p><p class=\"toolbar\">");
	part_button_link(&h, M_IMPORT_TEMPLATE_CSV, 0, "/o/%s/%s/import-template.csv",
			 q->cx.org->slug, e->name);
	part_button_link(&h, M_IMPORT_TEMPLATE_XLSX, 0, "/o/%s/%s/import-template.xlsx",
			 q->cx.org->slug, e->name);
	h_lit(&h, "</p><p class=\"hint\">");
	h_msg(&h, M_IMPORT_TEMPLATE_XLSX_HINT);
	h_lit(&h, "</p><p>");
	h_msg(&h, M_IMPORT_COLUMNS);
	h_lit(&h, "</p><ul class=\"columns\">");
	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		if (!entity_import_reads(e, i))
			continue;
		h_lit(&h, "<li><code>");
		h_msg(&h, f->label);
		h_lit(&h, "</code>");
		if (f->flags & FF_REQUIRED) {
			h_lit(&h, " (");
			h_msg(&h, M_REQUIRED_MARK);
			h_lit(&h, ")");
		}
		/* what may stand in it */
		h_lit(&h, ": ");
		h_text(&h, import_column_hint(&q->cx, f));
		h_lit(&h, "</li>");
	}
	h_lit(&h, "</ul><form method=\"post\" class=\"record\" enctype=\"multipart/form-data\" action=\"");
	h_url(&h, "/o/%s/%s/import", q->cx.org->slug, e->name);
	h_lit(&h, "\">");
	h_csrf(&h);
	part_field(&h, &(struct part_field){ .type = PI_FILE, .name = "file", .label = M_IMPORT_FILE,
					     .help = M_IMPORT_FILE_HINT, .accept = ".csv,text/csv" });
	part_field(&h, &(struct part_field){ .type = PI_LONGTEXT, .name = "csv",
					     .label = M_IMPORT_PASTE, .help = M_IMPORT_PASTE_HINT,
					     .value = text, .rows = 12, .plain = 1 });
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(&h, M_IMPORT_PREVIEW);
	h_lit(&h, "</button>");
	part_button_link(&h, M_CANCEL, 0, "/o/%s/%s", q->cx.org->slug, e->name);
	h_lit(&h, "</div></form>");
	page_end(q, r, &h);
}

static void import_page(struct req *q, struct resp *r)
{
	import_form(q, r, ent(q), NULL, NULL, 200);
}

static void import_action(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	const char *text = form_get(&q->body_form, "csv");
	const char *file = form_get(&q->body_form, "file");
	int confirm = req_int(q, "confirm", 0, 1, 0);
	struct import_run run;
	struct db_error err;

	/* an uploaded file wins over the text box; after the preview the
	 * file's text travels on in the hidden "csv" field */
	if (file && *file)
		text = file;
	if (!text)
		text = "";
	if (db_begin(q->cx.db, &err) != 0) {
		respond_error(q, r, 500);
		return;
	}
	/* No progress display: the page takes at most IMPORT_MAX_ROWS rows
	 * (2,000 take 0.2 s on SQLite and about 3 s on PostgreSQL;
	 * tests/blackbox/import.sh prints the figures); more is `varn
	 * import`'s, which the page and its refusal say. */
	entity_import_run(&q->cx, e, text, strlen(text), NULL, NULL, &run);
	if (!confirm || run.nproblems || run.rows == 0) {
		db_rollback(q->cx.db);
		import_form(q, r, e, text, &run, run.nproblems ? 422 : 200);
		return;
	}
	if (entity_import_commit(&q->cx, e, &run, &err) != 0) {
		respond_error(q, r, 500);
		return;
	}
	resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/%s?imported=%zu", q->cx.org->slug,
					 e->name, run.ok));
}

/* GET .../import-template.csv: the header line and an example row the
 * import accepts (core/entity_import.h). */
static void template_csv(struct req *q, struct resp *r)
{
	const struct entity *e = ent(q);
	struct import_template t;
	struct db_error err;

	if (entity_import_template(&q->cx, e, &t, &err) != 0) {
		log_error("import template of %s: %s", e->name, err.msg);
		respond_error(q, r, 500);
		return;
	}
	entity_import_template_csv(&t, &r->body);
	r->status = 200;
	r->content_type = "text/csv; charset=utf-8";
	r->download_name = arena_printf(q->cx.a, "%s-%s-mall.csv", q->cx.org->slug, e->name);
	resp_header(r, "Cache-Control", "no-store");
}

/* ---- routes ---- */

static const struct param *list_params(const struct entity *e)
{
	struct param *p = xcalloc(e->nfields + 12, sizeof(*p));
	size_t n = 0;
	static const char *const fixed[] = { "q", "sort", "desc", "archived", "after",
					     "limit", "saved", "created", "conflict",
					     "imported", "notice" /* a code the register's
					     own sections read (show_extra) */ };

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		p[n++] = (struct param){ fixed[i], P_STR, 1024 };
	for (size_t i = 0; i < e->nfields; i++)
		if (e->fields[i].flags & FF_FILTER)
			p[n++] = (struct param){ e->fields[i].name, P_STR, 1024 };
	return p;
}

/* "name" + suffix, for the life of the program (route parameters). */
static const char *suffixed(const char *name, const char *suffix)
{
	size_t a = strlen(name), b = strlen(suffix);
	char *out = xmalloc(a + b + 1);

	memcpy(out, name, a);
	memcpy(out + a, suffix, b + 1);
	return out;
}

static const struct param *form_params(const struct entity *e)
{
	struct param *p = xcalloc(3 * e->nfields + 5, sizeof(*p));
	size_t n = 0;

	p[n++] = (struct param){ "csrf", P_STR, 128 };
	p[n++] = (struct param){ "return", P_STR, 1024 };
	p[n++] = (struct param){ "version", P_STR, 24 };
	if (e->create_link) /* the record a new one is linked to */
		p[n++] = (struct param){ e->create_link->param, P_STR, 24 };
	for (size_t i = 0; i < e->nfields; i++) {
		p[n++] = (struct param){ e->fields[i].name, P_STR, 64 * 1024 };
		/* a large register searched by name (parts.h PART_REF_PICK_MAX) */
		if (e->fields[i].type == F_REF && !(e->fields[i].flags & FF_NO_FORM)) {
			p[n++] = (struct param){ suffixed(e->fields[i].name, "__find"),
						 P_STR, 800 };
			p[n++] = (struct param){ suffixed(e->fields[i].name, "__from"),
						 P_STR, 16 };
		}
	}
	return p;
}

static const struct param import_params[] = {
	{ "csrf", P_STR, 128 },
	{ "confirm", P_STR, 4 },
	{ "csv", P_STR, BODY_IMPORT },
	{ "file", P_FILE, BODY_IMPORT },
	{ NULL, 0, 0 },
};

/* POST .../{id}/<transition> (and GET for its page when it takes inputs
 * or has something to say first): csrf, version and its params. */
static size_t transition_routes(const struct entity *e, const struct route ***list, size_t n)
{
	for (const struct entity_transition *t = e->all_transitions; t && t->name; t++) {
		struct transition_route *tr = xmalloc(sizeof(*tr));
		size_t np = 2, k = 0;
		struct param *ps;
		struct route *post = xmalloc(sizeof(*post)), *get;
		unsigned roles = t->roles ? t->roles : e->roles_write;

		for (const struct entity_field *f = t->params; f && f->name; f++)
			np++;
		ps = xcalloc(np + 1, sizeof(*ps));
		ps[k++] = (struct param){ "csrf", P_STR, 128 };
		ps[k++] = (struct param){ "version", P_STR, 24 };
		for (const struct entity_field *f = t->params; f && f->name; f++)
			ps[k++] = (struct param){ f->name, P_STR,
				f->max && f->type != F_INT ? 4 * f->max : 1024 };
		tr->e = e;
		tr->t = t;
		*post = (struct route){ "POST", NULL, transition_action, roles, 0, BODY_FORM,
					ps, tr };
		post->pattern = xprintf("/o/{org}/%s/{id}/%s", e->name, t->name);
		*list = xrealloc(*list, (n + 2) * sizeof(**list));
		(*list)[n++] = post;
		if (has_page(t)) {
			get = xmalloc(sizeof(*get));
			*get = *post;
			get->method = "GET";
			get->fn = transition_page;
			get->body_max = 0;
			get->params = NULL;
			(*list)[n++] = get;
		}
	}
	return n;
}

/* "/o/{org}/%s/new" with "units" -> "/o/{org}/units/new" */
static const char *expand_pattern(const char *tmpl, const char *name)
{
	struct buf b = BUF_INIT;
	const char *at = strstr(tmpl, "%s");

	if (!at)
		BUG("route template without %%s: %s", tmpl);
	buf_add(&b, tmpl, (size_t)(at - tmpl));
	buf_puts(&b, name);
	buf_puts(&b, at + 2);
	return buf_detach(&b, NULL);
}

size_t entity_routes(const struct route ***out)
{
	static const struct route **list;
	static size_t n;

	if (list) {
		*out = list;
		return n;
	}
	for (size_t k = 0; module_entities()[k]; k++) {
		const struct entity *e = module_entities()[k];
		const struct param *lp = list_params(e), *fp = form_params(e);
		struct route tmpl[] = {
			{ "GET", "/o/{org}/%s", list_page, e->roles_read, 0, 0, lp, e },
			{ "GET", "/o/{org}/%s.csv", csv_export, e->roles_read, 0, 0, lp, e },
			{ "GET", "/o/{org}/%s.xlsx", xlsx_export, e->roles_read, 0, 0, lp, e },
			{ "GET", "/o/{org}/%s/new", new_page, e->roles_write, 0, 0, fp, e },
			{ "POST", "/o/{org}/%s", create_action, e->roles_write, 0, BODY_FORM, fp, e },
			{ "GET", "/o/{org}/%s/import", import_page, e->roles_write, 0, 0, NULL, e },
			{ "GET", "/o/{org}/%s/import-template.csv", template_csv, e->roles_write, 0,
			  0, NULL, e },
			{ "GET", "/o/{org}/%s/import-template.xlsx", xlsx_template, e->roles_write, 0,
			  0, NULL, e },
			{ "POST", "/o/{org}/%s/import", import_action, e->roles_write, 0,
			  BODY_IMPORT, import_params, e },
			{ "GET", "/o/{org}/%s/{id}", show_page, e->roles_read, 0, 0, lp, e },
			{ "GET", "/o/{org}/%s/{id}/edit", edit_page, e->roles_write, 0, 0, NULL, e },
			{ "POST", "/o/{org}/%s/{id}", update_action, e->roles_write, 0, BODY_FORM, fp, e },
		};
		list = xrealloc(list, (n + ARRAY_SIZE(tmpl)) * sizeof(*list));
		for (size_t i = 0; i < ARRAY_SIZE(tmpl); i++) {
			struct route *rt = xmalloc(sizeof(*rt));
			*rt = tmpl[i];
			rt->pattern = expand_pattern(tmpl[i].pattern, e->name);
			list[n++] = rt;
		}
		n = transition_routes(e, &list, n);
	}
	*out = list;
	return n;
}
