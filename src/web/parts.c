/* parts.c - page parts (parts.h). */
#include "base/base.h"

#include "base/clock.h"
#include "base/utf8.h"

#include <stdarg.h>

#include "core/ctx.h"
#include "core/entity.h"
#include "core/i18n.h"
#include "db/db.h"
#include "web/app.h"
#include "web/parts.h"

static struct arena *mem(struct html *h)
{
	return h->q->cx.a;
}

/* ---- form fields ---- */

static void label_text(struct html *h, const struct part_field *f)
{
	if (f->label_lead) {
		h_lit(h, "<strong>");
		h_msg(h, f->label_lead);
		h_lit(h, ":</strong> ");
	}
	if (f->label_text)
		h_text(h, f->label_text);
	else
		h_msg(h, f->label);
	if (f->required) {
		h_lit(h, " <span class=\"req\">(");
		h_msg(h, M_REQUIRED_MARK);
		h_lit(h, ")</span>");
	}
}

static void hint_and_error(struct html *h, const struct part_field *f, const char *id)
{
	if (f->help) {
		h_lit(h, "<p class=\"hint\"");
		h_attr(h, "id", arena_printf(mem(h), "%s-help", id));
		h_lit(h, ">");
		h_msg(h, f->help);
		h_lit(h, "</p>");
	}
	if (f->error) {
		h_lit(h, "<p class=\"error\"");
		h_attr(h, "id", arena_printf(mem(h), "%s-error", id));
		h_lit(h, ">");
		h_msg(h, f->error);
		h_lit(h, "</p>");
	}
}

/* aria-describedby: the hint, the error, a form-level message. */
static void described_by(struct html *h, const struct part_field *f, const char *id)
{
	const char *d = NULL;

	if (f->help)
		d = arena_printf(mem(h), "%s-help", id);
	if (f->error)
		d = arena_printf(mem(h), "%s%s%s-error", d ? d : "", d ? " " : "", id);
	if (f->describedby)
		d = arena_printf(mem(h), "%s%s%s", d ? d : "", d ? " " : "", f->describedby);
	if (d)
		h_attr(h, "aria-describedby", d);
}

/* What every control ends with: required, invalid, described. */
static void control_state(struct html *h, const struct part_field *f, const char *id)
{
	if (f->required && f->type != PI_CHECKBOX)
		h_lit(h, " required");
	if (f->error)
		h_lit(h, " aria-invalid=\"true\"");
	described_by(h, f, id);
}

static void ref_option(struct html *h, const struct entity *ref, const struct record *rec,
		       const char *selected);

/* The first PART_REF_PICK_MAX choices of a register (its live records by
 * title) and the ones it offers first (ref_first), read once per request:
 * a list page's filters and a form offer the same people in several
 * pickers, each read anew before. */
struct parts_cache {
	const struct entity *ref;
	struct list_result first_page;
	int64_t *first;
	size_t nfirst;
	int have_first;
	struct parts_cache *next;
};

/* NULL (the request failed) when the database cannot say.  want_first:
 * the ones offered first too (a large register's picker needs none). */
static const struct parts_cache *ref_choices(struct req *q, const struct entity *ref,
					     int want_first)
{
	struct ctx *cx = &q->cx;
	struct list_query lq = { .sort_field = ref->title_field, .limit = PART_REF_PICK_MAX,
				 .no_total = 1 };
	struct parts_cache *c;
	struct db_error err;
	int64_t n;

	for (c = q->parts_cache; c && c->ref != ref; c = c->next)
		;
	if (!c) {
		c = arena_alloc(cx->a, sizeof(*c));
		memset(c, 0, sizeof(*c));
		c->ref = ref;
		/* a bounded count first: a large register's first page would be
		 * read (two hundred whole records, their references named) only
		 * to learn that it is large; at L that was most of a list page */
		if (entity_count_upto(cx, ref, &lq, PART_REF_PICK_MAX, &n, &err) != 0 ||
		    (n <= PART_REF_PICK_MAX &&
		     entity_list(cx, ref, &lq, &c->first_page, &err) != 0)) {
			req_fail(q, arena_printf(cx->a, "choices of %s", ref->name), &err);
			return NULL;
		}
		if (n > PART_REF_PICK_MAX)
			c->first_page.next = ""; /* large: no rows, the pages from the start */
		c->next = q->parts_cache;
		q->parts_cache = c;
	}
	if (want_first && !c->have_first) {
		if (ref->ref_first && ref->ref_first(cx, ref, &c->first, &c->nfirst, &err) != 0) {
			req_fail(q, arena_printf(cx->a, "first choices of %s", ref->name), &err);
			return NULL;
		}
		c->have_first = 1;
	}
	return c;
}

/* More live records than a picker offers (a bounded query: at most
 * PART_REF_PICK_MAX + 1 rows are looked at). */
static int ref_is_large(struct html *h, const struct entity *ref)
{
	const struct parts_cache *c = ref_choices(h->q, ref, 0);

	return c && c->first_page.next != NULL;
}

static const char *find_param(struct req *q, const char *name)
{
	const char *v = req_param(q, arena_printf(q->cx.a, "%s__find", name));

	return v && *v ? v : NULL;
}

/* A large register's picker: the record chosen, and the records whose
 * names match what was searched for (at most PART_REF_MATCHES). */
static void ref_few_options(struct html *h, const struct part_field *f, const char *text)
{
	struct ctx *cx = &h->q->cx;
	struct list_query lq = { .sort_field = f->ref->title_field, .limit = PART_REF_MATCHES,
				 .search = text };
	struct list_result res = { 0 };
	struct db_error err;
	const char *title = NULL;
	int64_t id = 0;

	if (f->value && parse_i64(f->value, &id) == 0 && id > 0 &&
	    entity_titles(cx, f->ref, &id, 1, &title, &err) == 0 && title) {
		h_lit(h, "<option selected");
		h_attr(h, "value", f->value);
		h_lit(h, ">");
		h_text(h, title);
		h_lit(h, "</option>");
	}
	if (!text)
		return;
	if (entity_list(cx, f->ref, &lq, &res, &err) != 0) {
		req_fail(h->q, arena_printf(cx->a, "matches of %s", f->ref->name), &err);
		return;
	}
	h_lit(h, "<optgroup");
	h_attr(h, "label", msg_text(cx->lang, M_PART_FIND_MATCHES));
	h_lit(h, ">");
	for (size_t i = 0; i < res.n; i++)
		if (res.rows[i].id != id)
			ref_option(h, f->ref, &res.rows[i], NULL);
	h_lit(h, "</optgroup>");
}

/* The search box under a large register's picker: what was searched for
 * stays in it, and the picker then offers the matches
 * (part_ref_resolve tells the form's handler which one was meant). */
static void ref_find(struct html *h, const struct part_field *f, const char *id)
{
	struct ctx *cx = &h->q->cx;
	const char *fid = arena_printf(cx->a, "%s-find", id);
	const char *text = find_param(h->q, f->name);

	if (text)
		part_hidden(h, arena_printf(cx->a, "%s__from", f->name), "matches");
	h_lit(h, "<div class=\"ref-find\"><label");
	h_attr(h, "for", fid);
	h_lit(h, ">");
	h_text(h, msg_fill(cx->a, msg_text(cx->lang, M_PART_FIND), "{what}",
			   f->label ? msg_text(cx->lang, f->label) : f->label_text));
	h_lit(h, "</label><p class=\"hint\"");
	h_attr(h, "id", arena_printf(cx->a, "%s-hint", fid));
	h_lit(h, ">");
	h_msg(h, M_PART_FIND_HINT);
	h_lit(h, "</p><input type=\"search\"");
	h_attr(h, "id", fid);
	h_attr(h, "name", arena_printf(cx->a, "%s__find", f->name));
	h_attr(h, "aria-describedby", arena_printf(cx->a, "%s-hint", fid));
	if (text)
		h_attr(h, "value", text);
	h_lit(h, " maxlength=\"200\"></div>");
}

int part_ref_resolve(struct req *q, const struct entity_field *f, int64_t *id, int *msg)
{
	struct ctx *cx = &q->cx;
	const char *text = find_param(q, f->name);
	const char *from = req_param(q, arena_printf(cx->a, "%s__from", f->name));
	const char *chosen = req_param(q, f->name);
	struct list_query lq = { .sort_field = f->ref->title_field, .limit = PART_REF_MATCHES };
	struct list_result res;
	struct db_error err;
	const char *fold;

	*id = 0;
	*msg = 0;
	/* nothing searched for, or a match chosen from the last search */
	if (!text || (from && strcmp(from, "matches") == 0 && chosen && *chosen))
		return 0;
	lq.search = text;
	if (entity_list(cx, f->ref, &lq, &res, &err) != 0) {
		*msg = M_V_REF_NONE;
		return -1;
	}
	fold = utf8_fold(cx->a, text);
	for (size_t i = 0; i < res.n; i++) {
		const char *t = entity_title(f->ref, &res.rows[i]);
		if (t && strcmp(utf8_fold(cx->a, t), fold) == 0) {
			*id = res.rows[i].id;
			return 1;
		}
	}
	if (res.n == 1) {
		*id = res.rows[0].id;
		return 1;
	}
	*msg = res.n ? M_V_REF_CHOOSE : M_V_REF_NONE;
	return -1;
}

static void select_options(struct html *h, const struct part_field *f)
{
	if (f->placeholder) {
		h_lit(h, "<option value=\"\">");
		h_msg(h, f->placeholder);
		h_lit(h, "</option>");
	}
	if (f->type == PI_REF) {
		if (f->none_option) {
			h_lit(h, "<option value=\"" ENTITY_FILTER_NONE "\"");
			if (f->value && strcmp(f->value, ENTITY_FILTER_NONE) == 0)
				h_lit(h, " selected");
			h_lit(h, ">");
			h_msg(h, M_FILTER_NONE);
			h_lit(h, "</option>");
		}
		if (ref_is_large(h, f->ref))
			ref_few_options(h, f, f->find ? find_param(h->q, f->name) : NULL);
		else
			part_ref_options(h, f->ref, f->value);
		return;
	}
	for (const struct part_choice *c = f->choices; c && c->value; c++) {
		h_lit(h, "<option");
		h_attr(h, "value", c->value);
		if (c->lang)
			h_attr(h, "lang", c->lang);
		if (f->value && strcmp(f->value, c->value) == 0)
			h_lit(h, " selected");
		h_lit(h, ">");
		h_text(h, c->text);
		h_lit(h, "</option>");
	}
}

static int is_checked(const struct part_field *f, const char *value)
{
	if (f->type == PI_RADIOS) /* no value: the choice "" (e.g. "does not apply") */
		return strcmp(f->value ? f->value : "", value) == 0;
	for (const char *const *v = f->checked; v && *v; v++)
		if (strcmp(*v, value) == 0)
			return 1;
	return 0;
}

/* PI_RADIOS and PI_CHECKS: a fieldset named by its legend, one box per
 * choice.  The error and hint are inside, named by aria-describedby. */
static void choice_group(struct html *h, const struct part_field *f, const char *id)
{
	h_lit(h, "<fieldset");
	if (f->cls || f->error) {
		h_lit(h, " class=\"");
		if (f->cls)
			h_text(h, f->cls);
		if (f->error && f->cls)
			h_lit(h, " has-error");
		else if (f->error)
			h_lit(h, "has-error");
		h_lit(h, "\"");
	}
	h_attr(h, "id", id);
	described_by(h, f, id);
	h_lit(h, "><legend>");
	label_text(h, f);
	h_lit(h, "</legend>");
	hint_and_error(h, f, id);
	for (const struct part_choice *c = f->choices; c && c->value; c++) {
		const char *cid = arena_printf(mem(h), "%s-%s", f->id ? f->id : f->name,
					       *c->value ? c->value : "none");
		h_lit(h, "<div class=\"field check\"><input");
		if (f->type == PI_RADIOS)
			h_lit(h, " type=\"radio\"");
		else
			h_lit(h, " type=\"checkbox\"");
		h_attr(h, "id", cid);
		h_attr(h, "name", f->name);
		h_attr(h, "value", c->value);
		if (is_checked(f, c->value))
			h_lit(h, " checked");
		h_lit(h, "><label");
		h_attr(h, "for", cid);
		if (c->lang)
			h_attr(h, "lang", c->lang);
		h_lit(h, ">");
		h_text(h, c->text);
		h_lit(h, "</label></div>");
	}
	h_lit(h, "</fieldset>");
}

/* One checkbox: the box, then its label beside it, then hint and error. */
static void checkbox(struct html *h, const struct part_field *f, const char *id)
{
	h_lit(h, "<div class=\"field check");
	if (f->error)
		h_lit(h, " has-error");
	h_lit(h, "\"><input type=\"checkbox\"");
	h_attr(h, "id", id);
	h_attr(h, "name", f->name);
	h_lit(h, " value=\"1\"");
	if (f->value && strcmp(f->value, "1") == 0)
		h_lit(h, " checked");
	control_state(h, f, id);
	h_lit(h, "><label");
	h_attr(h, "for", id);
	h_lit(h, ">");
	label_text(h, f);
	h_lit(h, "</label>");
	hint_and_error(h, f, id);
	h_lit(h, "</div>");
}

static const char *input_type(enum part_input t)
{
	switch (t) {
	case PI_EMAIL: return "email";
	case PI_INT: return "number";
	case PI_DATE: return "date";
	case PI_DATETIME: return "datetime-local";
	case PI_PASSWORD: return "password";
	case PI_FILE: return "file";
	case PI_SEARCH: return "search";
	default: return "text";
	}
}

void part_field(struct html *h, const struct part_field *f)
{
	const char *id = arena_printf(mem(h), "f-%s", f->id ? f->id : f->name);
	int plain = f->plain || f->type == PI_EMAIL || f->type == PI_PASSWORD;

	if (f->type == PI_RADIOS || f->type == PI_CHECKS) {
		choice_group(h, f, id);
		return;
	}
	if (f->type == PI_CHECKBOX) {
		checkbox(h, f, id);
		return;
	}
	h_lit(h, "<div class=\"field");
	if (f->error)
		h_lit(h, " has-error");
	if (f->cls) {
		h_lit(h, " ");
		h_text(h, f->cls);
	}
	h_lit(h, "\"><label");
	h_attr(h, "for", id);
	h_lit(h, ">");
	label_text(h, f);
	h_lit(h, "</label>");
	hint_and_error(h, f, id);
	switch (f->type) {
	case PI_LONGTEXT:
		h_lit(h, "<textarea");
		h_attr(h, "id", id);
		h_attr(h, "name", f->name);
		h_attr_int(h, "rows", f->rows ? f->rows : 5);
		if (f->max)
			h_attr_int(h, "maxlength", f->max);
		if (plain)
			h_lit(h, " autocapitalize=\"none\" spellcheck=\"false\"");
		control_state(h, f, id);
		h_lit(h, ">");
		h_text(h, f->value);
		h_lit(h, "</textarea>");
		break;
	case PI_SELECT:
	case PI_REF:
		h_lit(h, "<select");
		h_attr(h, "id", id);
		h_attr(h, "name", f->name);
		if (f->autocomplete)
			h_attr(h, "autocomplete", f->autocomplete);
		control_state(h, f, id);
		h_lit(h, ">");
		select_options(h, f);
		h_lit(h, "</select>");
		if (f->find && ref_is_large(h, f->ref))
			ref_find(h, f, id);
		break;
	default:
		h_lit(h, "<input");
		h_attr(h, "type", input_type(f->type));
		h_attr(h, "id", id);
		h_attr(h, "name", f->name);
		if (f->value && f->type != PI_PASSWORD && f->type != PI_FILE)
			h_attr(h, "value", f->value);
		if (f->type == PI_INT) {
			h_lit(h, " inputmode=\"numeric\"");
			if (f->max > f->min) {
				h_attr_int(h, "min", f->min);
				h_attr_int(h, "max", f->max);
			}
		} else if (f->max && f->type != PI_DATE && f->type != PI_DATETIME &&
			   f->type != PI_FILE) {
			h_attr_int(h, "maxlength", f->max);
		}
		if (f->inputmode && f->type != PI_INT)
			h_attr(h, "inputmode", f->inputmode);
		if (f->autocomplete)
			h_attr(h, "autocomplete", f->autocomplete);
		if (f->accept)
			h_attr(h, "accept", f->accept);
		if (plain)
			h_lit(h, " autocapitalize=\"none\" spellcheck=\"false\"");
		control_state(h, f, id);
		h_lit(h, ">");
		break;
	}
	h_lit(h, "</div>");
}

const struct part_choice *part_choices(struct html *h, const struct choice *c)
{
	size_t n = 0;
	struct part_choice *out;

	while (c && c[n].value)
		n++;
	out = arena_alloc(mem(h), (n + 1) * sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		out[i].value = c[i].value;
		out[i].text = msg_text(h->q->cx.lang, c[i].label);
	}
	return out;
}

void part_field_of(struct html *h, const struct entity_field *ef, const char *value, int error,
		   struct part_field *f)
{
	memset(f, 0, sizeof(*f));
	f->name = ef->name;
	f->label = ef->label;
	f->help = ef->help;
	f->error = error;
	f->value = value;
	f->required = (ef->flags & FF_REQUIRED) && ef->type != F_BOOL;
	f->max = ef->max;
	switch (ef->type) {
	case F_TEXT:
		f->type = PI_TEXT;
		break;
	case F_LONGTEXT:
		f->type = PI_LONGTEXT;
		break;
	case F_EMAIL:
		/* someone else's address: the browser should not offer the
		 * user's own */
		f->type = PI_EMAIL;
		f->autocomplete = "off";
		break;
	case F_INT:
		f->type = PI_INT;
		f->min = ef->min;
		break;
	case F_BOOL:
		f->type = PI_CHECKBOX;
		break;
	case F_ENUM:
		f->type = PI_SELECT;
		f->choices = part_choices(h, ef->choices);
		f->placeholder = M_CHOOSE;
		break;
	case F_REF:
		f->type = PI_REF;
		f->ref = ef->ref;
		f->find = 1;
		f->placeholder = f->required ? M_CHOOSE : M_NONE_CHOSEN;
		break;
	case F_DATE:
		f->type = PI_DATE;
		break;
	case F_DATETIME: {
		int64_t t;
		f->type = PI_DATETIME;
		/* the stored moment as Stockholm's clocks show it; what the
		 * person typed, when it could not be read, as typed */
		if (value && clock_parse_moment(value, &t) == 0)
			f->value = clock_format_local_input(mem(h), t);
		break;
	}
	}
}

void part_entity_field(struct html *h, const struct entity *e, size_t i, const char *value,
		       const struct field_errors *errs)
{
	const struct field_error *fe = field_error_find(errs, (int)i);
	struct part_field f;

	part_field_of(h, &e->fields[i], value, fe ? fe->msg : 0, &f);
	part_field(h, &f);
}

static void ref_option(struct html *h, const struct entity *ref, const struct record *rec,
		       const char *selected)
{
	const char *id = arena_printf(mem(h), "%lld", (long long)rec->id);

	h_lit(h, "<option");
	h_attr(h, "value", id);
	if (selected && strcmp(selected, id) == 0)
		h_lit(h, " selected");
	h_lit(h, ">");
	h_text(h, entity_title(ref, rec));
	h_lit(h, "</option>");
}

static int id_in(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ids[mid] == id)
			return 1;
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The records by title; when the register offers some first (struct
 * entity ref_first: people who can own), those in an <optgroup>, then the
 * others in another. */
void part_ref_options(struct html *h, const struct entity *ref, const char *selected)
{
	struct ctx *cx = &h->q->cx;
	struct list_query lq = { .sort_field = ref->title_field, .limit = PART_REF_PICK_MAX,
				 .no_total = 1 };
	const struct parts_cache *c = ref_choices(h->q, ref, 1);
	struct list_result res;
	struct db_error err;
	int pages = 0;
	int64_t *first;
	size_t nfirst, nall = 0, cap = 0;
	struct record *all = NULL;

	if (!c)
		return;
	first = c->first;
	nfirst = c->nfirst;
	res = c->first_page;
	do {
		if (pages > 0 && entity_list(cx, ref, &lq, &res, &err) != 0) {
			req_fail(h->q, arena_printf(cx->a, "choices of %s", ref->name), &err);
			return;
		}
		if (!nfirst) {
			for (size_t i = 0; i < res.n; i++)
				ref_option(h, ref, &res.rows[i], selected);
		} else {
			if (nall + res.n > cap) {
				struct record *grown;
				cap = (nall + res.n) * 2;
				grown = arena_alloc(cx->a, cap * sizeof(*grown));
				if (nall)
					memcpy(grown, all, nall * sizeof(*grown));
				all = grown;
			}
			memcpy(all + nall, res.rows, res.n * sizeof(*all));
			nall += res.n;
		}
		lq.after = res.next;
	} while (res.next && ++pages < 25);
	if (!nfirst)
		return;
	for (int pass = 0; pass < 2; pass++) {
		int open = 0;
		for (size_t i = 0; i < nall; i++) {
			if (id_in(first, nfirst, all[i].id) != (pass == 0))
				continue;
			if (!open) {
				h_lit(h, "<optgroup");
				h_attr(h, "label", msg_text(cx->lang, pass == 0 ? ref->ref_first_label
									       : ref->ref_rest_label));
				h_lit(h, ">");
				open = 1;
			}
			ref_option(h, ref, &all[i], selected);
		}
		if (open)
			h_lit(h, "</optgroup>");
	}
}

void part_hidden(struct html *h, const char *name, const char *value)
{
	if (!value)
		return;
	h_lit(h, "<input type=\"hidden\"");
	h_attr(h, "name", name);
	h_attr(h, "value", value);
	h_lit(h, ">");
}

/* ---- actions ---- */

void part_post_button(struct html *h, const struct part_post *p, const char *fmt, ...)
{
	va_list ap;

	h_lit(h, "<form method=\"post\" class=\"inline\" action=\"");
	va_start(ap, fmt);
	h_urlv(h, fmt, ap);
	va_end(ap);
	h_lit(h, "\">");
	h_csrf(h);
	if (p->version > 0) {
		h_lit(h, "<input type=\"hidden\" name=\"version\"");
		h_attr_int(h, "value", p->version);
		h_lit(h, ">");
	}
	for (const struct part_hidden *x = p->hidden; x && x->name; x++)
		part_hidden(h, x->name, x->value);
	h_lit(h, "<button type=\"submit\"");
	if (p->cls)
		h_attr(h, "class", p->cls);
	h_lit(h, ">");
	h_msg_n(h, p->label, p->n);
	h_lit(h, "</button></form>");
}

void part_link(struct html *h, const char *text, const char *fmt, ...)
{
	va_list ap;

	h_lit(h, "<a href=\"");
	va_start(ap, fmt);
	h_urlv(h, fmt, ap);
	va_end(ap);
	h_lit(h, "\">");
	h_text(h, text);
	h_lit(h, "</a>");
}

static void button_link(struct html *h, int label, int primary, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
void part_show_link(struct html *h, int label, const char *fmt, ...)
{
	va_list ap;

	h_lit(h, "<a class=\"show-link\" href=\"");
	va_start(ap, fmt);
	h_urlv(h, fmt, ap);
	va_end(ap);
	h_lit(h, "\">");
	h_msg(h, label);
	h_lit(h, "</a>");
}

static void button_link(struct html *h, int label, int primary, const char *fmt, va_list ap)
{
	if (primary)
		h_lit(h, "<a class=\"button primary\" href=\"");
	else
		h_lit(h, "<a class=\"button\" href=\"");
	h_urlv(h, fmt, ap);
	h_lit(h, "\">");
	h_msg(h, label);
	h_lit(h, "</a>");
}

void part_button_link(struct html *h, int label, int primary, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	button_link(h, label, primary, fmt, ap);
	va_end(ap);
}

void part_add_link(struct html *h, int label, const char *fmt, ...)
{
	va_list ap;

	h_lit(h, "<p>");
	va_start(ap, fmt);
	button_link(h, label, 0, fmt, ap);
	va_end(ap);
	h_lit(h, "</p>");
}

/* ---- status ---- */

void part_badge(struct html *h, int msg, const char *kind)
{
	h_lit(h, "<span class=\"badge");
	if (kind) {
		h_lit(h, " ");
		h_text(h, kind);
	}
	h_lit(h, "\">");
	h_msg(h, msg);
	h_lit(h, "</span>");
}

void part_empty(struct html *h, int msg)
{
	h_lit(h, "<p class=\"muted\">");
	h_msg(h, msg);
	h_lit(h, "</p>");
}

/* ---- sections ---- */

static void section_open(struct html *h, const char *id, int heading, int card, int64_t n)
{
	if (card)
		h_lit(h, "<section class=\"card\"");
	else
		h_lit(h, "<section");
	h_attr(h, "aria-labelledby", id);
	h_lit(h, "><h2");
	h_attr(h, "id", id);
	h_lit(h, ">");
	h_msg(h, heading);
	if (n >= 0) {
		h_lit(h, " <span class=\"n\">(");
		h_int(h, n);
		h_lit(h, ")</span>");
	}
	h_lit(h, "</h2>");
}

void part_section_begin(struct html *h, const char *id, int heading)
{
	section_open(h, id, heading, 0, -1);
}

void part_section_begin_n(struct html *h, const char *id, int heading, int64_t n)
{
	/* none: the section's empty text says so */
	section_open(h, id, heading, 0, n > 0 ? n : -1);
}

void part_card_begin(struct html *h, const char *id, int heading)
{
	section_open(h, id, heading, 1, -1);
}

void part_section_end(struct html *h)
{
	h_lit(h, "</section>");
}

/* ---- a record's definition list ---- */

void part_dl_begin(struct html *h)
{
	h_lit(h, "<dl class=\"record\">");
}

void part_dl_item_begin(struct html *h, int label)
{
	h_lit(h, "<div><dt>");
	h_msg(h, label);
	h_lit(h, "</dt><dd>");
}

void part_dl_item_end(struct html *h)
{
	h_lit(h, "</dd></div>");
}

static void text_or_dash(struct html *h, const char *text)
{
	if (text && *text)
		h_text(h, text);
	else
		h_lit(h, "<span class=\"muted\">–</span>");
}

void part_dl_item(struct html *h, int label, const char *text)
{
	part_dl_item_begin(h, label);
	text_or_dash(h, text);
	part_dl_item_end(h);
}

void part_dl_end(struct html *h)
{
	h_lit(h, "</dl>");
}

void part_level(struct html *h, int aspect, const char *v)
{
	int64_t n;

	if (!v || !*v || parse_i64(v, &n) != 0 || n < 0 || n > 9) {
		h_lit(h, "<span class=\"level none\">");
		h_msg(h, M_PART_NOT_CLASSIFIED);
		h_lit(h, "</span>");
		return;
	}
	h_lit(h, "<span");
	h_attr(h, "class", arena_printf(mem(h), "level l%lld", (long long)n));
	h_attr(h, "title", arena_printf(mem(h), "%s %lld", msg_text(h->q->cx.lang, M_PART_LEVEL),
					(long long)n));
	h_lit(h, ">");
	if (aspect)
		h_msg(h, aspect);
	h_int(h, n);
	h_lit(h, "</span>");
}

void part_value(struct html *h, const struct entity *e, const struct record *rec, size_t i)
{
	struct ctx *cx = &h->q->cx;
	const struct entity_field *f = &e->fields[i];
	const char *v = entity_display(cx, e, rec, i);

	if (f->type == F_INT && (f->flags & FF_LEVEL)) {
		/* the column's label is the aspect's letter: "K3" */
		part_level(h, f->label, rec->v[i]);
	} else if (f->type == F_REF && rec->v[i]) {
		part_link(h, v, "/o/%s/%s/%s", cx->org->slug, f->ref->name, rec->v[i]);
	} else if (f->type == F_DATE && (f->flags & FF_DUE) && v && *v && !rec->archived &&
		   strcmp(v, ctx_today(cx)) < 0) {
		/* past due: said in words, the colour only underlines it */
		h_lit(h, "<span class=\"overdue\">");
		h_text(h, v);
		h_lit(h, " (");
		h_msg(h, M_PART_OVERDUE);
		h_lit(h, ")</span>");
	} else {
		text_or_dash(h, v);
	}
}

void part_td_value(struct html *h, const struct entity *e, const struct record *rec, size_t i)
{
	part_td_begin(h);
	part_value(h, e, rec, i);
	part_td_end(h);
}

static int has_value(const struct entity_field *f, const char *v)
{
	return v && *v && !(f->type == F_BOOL && strcmp(v, "0") == 0);
}

/* Whether the group starting at field i holds any value to show. */
static int group_has_value(const struct entity *e, const struct record *rec, size_t i)
{
	int group = e->fields[i].group;

	for (; i < e->nfields && e->fields[i].group == group; i++)
		if (!(e->fields[i].flags & FF_SUMMARY) && has_value(&e->fields[i], rec->v[i]))
			return 1;
	return 0;
}

void part_record_items(struct html *h, const struct entity *e, const struct record *rec)
{
	int group = 0, skip = 0;

	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];

		if (f->group != group)
			skip = e->hide_empty_groups && f->group && !group_has_value(e, rec, i);
		if (skip) {
			group = f->group;
			continue;
		}
		if (f->flags & FF_SUMMARY)
			continue;
		/* a new group: its heading between two lists */
		if (f->group && f->group != group) {
			h_lit(h, "</dl><h2 class=\"field-group\">");
			h_msg(h, f->group);
			h_lit(h, "</h2><dl class=\"record\">");
		}
		group = f->group;
		part_dl_item_begin(h, f->label);
		part_value(h, e, rec, i);
		part_dl_item_end(h);
	}
}

/* ---- tables ---- */

void part_table_begin(struct html *h, int caption, const char *labelledby)
{
	/* a wide table scrolls inside its frame, which the keyboard can
	 * reach and a screen reader names (WCAG 1.4.10, 2.1.1) */
	h_lit(h, "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\"");
	if (labelledby)
		h_attr(h, "aria-labelledby", labelledby);
	else
		h_attr(h, "aria-label", msg_text(h->q->cx.lang, caption ? caption : M_PART_TABLE));
	h_lit(h, "><table class=\"list\"");
	if (labelledby)
		h_attr(h, "aria-labelledby", labelledby);
	h_lit(h, ">");
	if (caption) {
		h_lit(h, "<caption class=\"sr-only\">");
		h_msg(h, caption);
		h_lit(h, "</caption>");
	}
	h_lit(h, "<thead><tr>");
}

void part_th(struct html *h, int label)
{
	h_lit(h, "<th scope=\"col\">");
	h_msg(h, label);
	h_lit(h, "</th>");
}

void part_th_begin(struct html *h, const char *sort)
{
	h_lit(h, "<th scope=\"col\"");
	if (sort)
		h_attr(h, "aria-sort", sort);
	h_lit(h, ">");
}

void part_th_end(struct html *h)
{
	h_lit(h, "</th>");
}

void part_th_abbr(struct html *h, int abbr, int title)
{
	h_lit(h, "<th scope=\"col\"><abbr");
	h_attr(h, "title", msg_text(h->q->cx.lang, title));
	h_lit(h, ">");
	h_msg(h, abbr);
	h_lit(h, "</abbr></th>");
}

void part_table_body(struct html *h)
{
	h_lit(h, "</tr></thead><tbody>");
}

void part_tr(struct html *h)
{
	h_lit(h, "<tr>");
}

void part_tr_end(struct html *h)
{
	h_lit(h, "</tr>");
}

void part_td(struct html *h, const char *text)
{
	h_lit(h, "<td>");
	text_or_dash(h, text);
	h_lit(h, "</td>");
}

void part_td_msg(struct html *h, int msg)
{
	h_lit(h, "<td>");
	h_msg(h, msg);
	h_lit(h, "</td>");
}

void part_td_begin(struct html *h)
{
	h_lit(h, "<td>");
}

void part_td_end(struct html *h)
{
	h_lit(h, "</td>");
}

void part_th_row_begin(struct html *h)
{
	h_lit(h, "<th scope=\"row\">");
}

void part_th_row_end(struct html *h)
{
	h_lit(h, "</th>");
}

void part_table_end(struct html *h)
{
	h_lit(h, "</tbody></table></div>");
}

/* ---- related records ---- */

static int field_named(const struct entity *e, const char *name)
{
	int i = entity_field_index(e, name);

	if (i < 0)
		BUG("%s has no field %s", e->name, name);
	return i;
}

static int choice_rank(const struct entity_field *f, const char *v)
{
	int k = 0;

	for (const struct choice *c = f->choices; c && c->value; c++, k++)
		if (v && strcmp(c->value, v) == 0)
			return k;
	return k;
}

/* The rows in the order of the group field's choices, otherwise as the
 * engine listed them (a stable insertion sort: at most PART_RELATED_MAX). */
static const struct record **grouped(struct arena *a, const struct entity *e, int group,
				     const struct list_result *res)
{
	const struct record **rows = arena_alloc(a, (res->n + 1) * sizeof(*rows));

	for (size_t i = 0; i < res->n; i++) {
		const struct record *r = &res->rows[i];
		size_t j = i;
		if (group >= 0)
			while (j > 0 && choice_rank(&e->fields[group], rows[j - 1]->v[group]) >
					choice_rank(&e->fields[group], r->v[group])) {
				rows[j] = rows[j - 1];
				j--;
			}
		rows[j] = r;
	}
	return rows;
}

static void related_row(struct html *h, const struct part_related *p, const struct record *rec)
{
	struct ctx *cx = &h->q->cx;
	const struct entity *e = p->e;

	part_tr(h);
	for (size_t k = 0; p->cols[k] >= 0; k++) {
		int c = p->cols[k];
		const char *v = entity_display(cx, e, rec, (size_t)c);

		if (k == 0) {
			part_th_row_begin(h);
			part_link(h, v && *v ? v : msg_text(cx->lang, M_PARTS_OPEN),
				  "/o/%s/%s/%lld", cx->org->slug, e->name, (long long)rec->id);
			part_th_row_end(h);
		} else {
			part_td_value(h, e, rec, (size_t)c);
		}
	}
	part_tr_end(h);
}

/* A record of p->e referring to cur could be added by the actor (roles,
 * and per-record access: a unit, an owner, the parent it would belong to). */
static int may_add(struct ctx *cx, const struct part_related *p, const struct record *cur)
{
	struct record r = { 0 };

	if (!p->add || cur->archived)
		return 0;
	r.v = arena_alloc(cx->a, (p->e->nfields + 1) * sizeof(*r.v));
	r.ref_title = arena_alloc(cx->a, (p->e->nfields + 1) * sizeof(*r.ref_title));
	r.v[p->ref_field] = arena_printf(cx->a, "%lld", (long long)cur->id);
	return entity_may(cx, p->e, &r, OP_WRITE);
}

void part_related(struct html *h, const struct part_related *p, const struct record *cur)
{
	struct ctx *cx = &h->q->cx;
	const struct entity *e = p->e;
	const struct entity_field *rf = &e->fields[p->ref_field];
	struct list_query lq = { .desc = p->desc, .limit = PART_RELATED_MAX };
	struct list_result res;
	struct db_error err;
	const struct record **rows;
	const char **filters;

	if (rf->type != F_REF || !(rf->flags & FF_FILTER))
		BUG("%s.%s: related records need an F_REF field with FF_FILTER", e->name, rf->name);
	if (!cx->org || !(cx->org->roles & e->roles_read))
		return;
	filters = arena_alloc(cx->a, (e->nfields + 1) * sizeof(*filters));
	filters[p->ref_field] = arena_printf(cx->a, "%lld", (long long)cur->id);
	lq.filters = filters;
	lq.sort_field = p->sort ? field_named(e, p->sort) : e->title_field;
	if (entity_list(cx, e, &lq, &res, &err) != 0) {
		req_fail(h->q, arena_printf(cx->a, "%s of record %lld", e->name,
					    (long long)cur->id), &err);
		return;
	}
	if (res.n == 0 && !p->empty)
		return;
	/* past the list's bounded count the heading carries no number */
	part_section_begin_n(h, p->id, p->heading, res.total_more ? -1 : res.total);
	if (res.n == 0) {
		part_empty(h, p->empty);
	} else {
		rows = grouped(cx->a, e, p->group ? field_named(e, p->group) : -1, &res);
		part_table_begin(h, 0, p->id);
		for (size_t k = 0; p->cols[k] >= 0; k++)
			part_th(h, e->fields[p->cols[k]].label);
		part_table_body(h);
		for (size_t i = 0; i < res.n; i++)
			related_row(h, p, rows[i]);
		part_table_end(h);
		if (res.total_more || res.total > (int64_t)res.n) {
			/* the register's own list, filtered the same way */
			h_lit(h, "<p><a href=\"");
			h_url(h, "/o/%s/%s?%s=%lld", cx->org->slug, e->name, rf->name,
			      (long long)cur->id);
			h_lit(h, "\">");
			h_msg_n(h, res.total_more ? M_PARTS_SHOW_ALL_MANY : M_PARTS_SHOW_ALL,
				res.total);
			h_lit(h, "</a></p>");
		}
	}
	if (may_add(cx, p, cur))
		part_add_link(h, p->add, "/o/%s/%s/new?%s=%lld", cx->org->slug, e->name, rf->name,
			      (long long)cur->id);
	part_section_end(h);
}
