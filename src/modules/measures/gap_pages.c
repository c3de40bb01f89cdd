/* gap_pages.c - the assessment pages: a system's measures on one page,
 * the organisation's own, and what a measure's and an assessment's
 * record pages add.
 *
 * A system's self-assessment is one page: every required measure, grouped
 * by area, each a small form of its own that saves one assessment through
 * the engine (entity_update on ms_assessments: validation, per-record
 * access, the version check, the audit trail), then comes back to the
 * measure's anchor.  A refused save comes back as the same page with the
 * error beside that measure's field; a lost race says so and shows what
 * applies now, never overwriting it.
 *
 * What a page costs is bounded by the catalogue, not by the number of
 * systems or assessments: one query for the holder's rows (with their
 * measures), one for the organisation's shared rows, the names of the few
 * people who assessed in batches of ENTITY_TITLES_MAX, and the counts by
 * key from gap_system_stat. */
#include "base/base.h"

#include "core/ctx.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/measures/measures.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"
#include "web/html.h"
#include "web/layout.h"
#include "web/parts.h"
#include "web/router.h"

/* Who may save a system's assessments: as ms_assessments.roles_write (a
 * route's roles must be a constant); per-record access decides the rest. */
#define ROLES_ASSESS (ROLES_SYSTEMS_WRITE | RB(ROLE_SYSTEM_ADMIN))

/* A holder's rows: the catalogue bounds them (some 130 for a system);
 * this only stops an organisation with a runaway catalogue. */
#define GP_ROWS_MAX 2000
/* Rows no longer required, listed read-only under the required ones. */
#define GP_GONE_MAX 100
/* Texts as long as the body: too long gets the field's message, not a 400
 * that would lose what was typed. */
#define TEXT_MAX (64 * 1024)

static const int aspect_short[ASPECTS] = { M_ASPECT_K_SHORT, M_ASPECT_R_SHORT,
					   M_ASPECT_T_SHORT, M_ASPECT_S_SHORT };

/* ---- what a page reads ---- */

struct gp_row {
	int64_t id, version, measure, assessed_by, extra_for;
	const char *status, *how, *evidence, *severity, *motivation, *comment, *assessed_on;
	const char *effective, *area, *code, *title, *text, *req_text, *scope;
	const char *assessor;  /* who assessed, by name (masked as everywhere), or NULL */
	int inherit, required, fresh, changed;
	int min[ASPECTS];
};

struct gp_shared {
	int64_t id, measure, assessed_by;
	const char *status, *assessed_on, *code;
	const char *assessor;
};

#define ROW_COLUMNS \
	"SELECT a.id, a.version, a.measure_id, a.status, a.inherit, a.how, a.evidence," \
	" a.severity, a.motivation, a.comment, a.assessed_by, a.assessed_on, a.required," \
	" a.new_required, a.measure_changed, a.effective_status, m.area, m.code, m.title," \
	" m.title_en, m.description, m.description_en, m.req_text, m.scope, m.min_k, m.min_r," \
	" m.min_t, m.min_s, m.system_id"

/* a system's rows: by the index on (org_id, system_id, measure_id) */
static const char sql_system_rows[] = ROW_COLUMNS
	" FROM measure_assessment a JOIN measure m ON m.id = a.measure_id AND m.org_id = a.org_id"
	" WHERE a.org_id = $1 AND a.system_id = $2 AND a.archived = 0"
	" ORDER BY a.required DESC, m.code_sk, a.id LIMIT $3";
/* The organisation's rows (system_id NULL) are found from the measures,
 * one lookup each in the partial unique index on (org_id, measure_id):
 * "FROM measure_assessment WHERE system_id IS NULL" would read every
 * system's rows of the organisation on SQLite, a cost that grows with the
 * number of systems.  CROSS JOIN keeps that order on SQLite; PostgreSQL
 * reads it as the inner join it is. */
static const char sql_org_rows[] = ROW_COLUMNS
	" FROM measure m CROSS JOIN measure_assessment a"
	" WHERE m.org_id = $1 AND a.org_id = m.org_id AND a.measure_id = m.id"
	" AND a.system_id IS NULL AND a.archived = 0"
	" ORDER BY a.required DESC, m.code_sk, a.id LIMIT $2";
/* the organisation's rows, as the systems inherit them */
static const char sql_shared_rows[] =
	"SELECT a.id, a.measure_id, a.status, a.assessed_by, a.assessed_on, a.code"
	" FROM measure m CROSS JOIN measure_assessment a"
	" WHERE m.org_id = $1 AND a.org_id = m.org_id AND a.measure_id = m.id"
	" AND a.system_id IS NULL AND a.archived = 0 ORDER BY a.measure_id LIMIT $2";

static int is_on(const char *v)
{
	return v && strcmp(v, "1") == 0;
}

static int64_t to_i64(const char *v)
{
	int64_t x = 0;

	if (!v || parse_i64(v, &x) != 0)
		return 0;
	return x;
}

static const char *nonempty(const char *s)
{
	return s && *s ? s : NULL;
}

static int load_rows(struct ctx *cx, int64_t sid, struct gp_row **out, size_t *n,
		     struct db_error *err)
{
	struct db_rows r;
	struct gp_row *rows;
	int en = cx->lang == LANG_EN;
	int rc = sid ? db_exec(cx->db, cx->a, sql_system_rows,
			       DB_ARGS(DB_INT(cx->org->id), DB_INT(sid), DB_INT(GP_ROWS_MAX)), &r,
			       err)
		     : db_exec(cx->db, cx->a, sql_org_rows,
			       DB_ARGS(DB_INT(cx->org->id), DB_INT(GP_ROWS_MAX)), &r, err);

	if (rc != 0)
		return -1;
	rows = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*rows));
	for (size_t i = 0; i < r.nrows; i++) {
		struct gp_row *w = &rows[i];

		w->id = db_cell_i64(&r, i, 0);
		w->version = db_cell_i64(&r, i, 1);
		w->measure = db_cell_i64(&r, i, 2);
		w->status = db_cell(&r, i, 3);
		w->inherit = db_cell_i64(&r, i, 4) == 1;
		w->how = db_cell(&r, i, 5);
		w->evidence = db_cell(&r, i, 6);
		w->severity = db_cell(&r, i, 7);
		w->motivation = db_cell(&r, i, 8);
		w->comment = db_cell(&r, i, 9);
		w->assessed_by = db_cell_i64(&r, i, 10);
		w->assessed_on = db_cell(&r, i, 11);
		w->required = db_cell_i64(&r, i, 12) == 1;
		w->fresh = db_cell_i64(&r, i, 13) == 1;
		w->changed = db_cell_i64(&r, i, 14) == 1;
		w->effective = db_cell(&r, i, 15);
		w->area = db_cell(&r, i, 16);
		w->code = db_cell(&r, i, 17);
		/* the English text where the catalogue has one */
		w->title = en && nonempty(db_cell(&r, i, 19)) ? db_cell(&r, i, 19) : db_cell(&r, i, 18);
		w->text = en && nonempty(db_cell(&r, i, 21)) ? db_cell(&r, i, 21) : db_cell(&r, i, 20);
		w->req_text = db_cell(&r, i, 22);
		w->scope = db_cell(&r, i, 23);
		for (size_t a = 0; a < ASPECTS; a++)
			w->min[a] = db_cell(&r, i, 24 + a) ? (int)db_cell_i64(&r, i, 24 + a)
							    : MIN_NONE;
		w->extra_for = db_cell_i64(&r, i, 28);
	}
	*out = rows;
	*n = r.nrows;
	return 0;
}

static int load_shared(struct ctx *cx, struct gp_shared **out, size_t *n, struct db_error *err)
{
	struct db_rows r;
	struct gp_shared *s;

	if (db_exec(cx->db, cx->a, sql_shared_rows,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(GP_ROWS_MAX)), &r, err) != 0)
		return -1;
	s = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*s));
	for (size_t i = 0; i < r.nrows; i++) {
		s[i].id = db_cell_i64(&r, i, 0);
		s[i].measure = db_cell_i64(&r, i, 1);
		s[i].status = db_cell(&r, i, 2);
		s[i].assessed_by = db_cell_i64(&r, i, 3);
		s[i].assessed_on = db_cell(&r, i, 4);
		s[i].code = db_cell(&r, i, 5);
	}
	*out = s;
	*n = r.nrows;
	return 0;
}

/* The shared row of a measure (rows by measure id, ascending). */
static const struct gp_shared *find_shared(const struct gp_shared *s, size_t n, int64_t measure)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s[mid].measure == measure)
			return &s[mid];
		if (s[mid].measure < measure)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The names of the people who assessed: few distinct ones, through the
 * engine so that a protected identity stays masked. */
struct name_set {
	int64_t ids[ENTITY_TITLES_MAX];
	const char *names[ENTITY_TITLES_MAX];
	size_t n;
	struct name_set *next;
};

static const char *name_of(const struct name_set *s, int64_t id)
{
	for (; s; s = s->next)
		for (size_t i = 0; i < s->n; i++)
			if (s->ids[i] == id)
				return s->names[i];
	return NULL;
}

static void name_add(struct ctx *cx, struct name_set **head, int64_t id)
{
	struct name_set *s;

	if (!id)
		return;
	for (s = *head; s; s = s->next)
		for (size_t i = 0; i < s->n; i++)
			if (s->ids[i] == id)
				return;
	if (!*head || (*head)->n == ENTITY_TITLES_MAX) {
		s = arena_alloc(cx->a, sizeof(*s));
		memset(s, 0, sizeof(*s));
		s->next = *head;
		*head = s;
	}
	(*head)->ids[(*head)->n++] = id;
}

static int name_fill(struct ctx *cx, struct name_set *s, struct db_error *err)
{
	for (; s; s = s->next)
		if (entity_titles(cx, &org_people, s->ids, s->n, s->names, err) != 0)
			return -1;
	return 0;
}

/* ---- small writers ---- */

/* A message with "{n}" and "{m}" ("7 av 12 bedömda"). */
static void msg_nm(struct html *h, int msg, int64_t n, int64_t m)
{
	const char *t = msg_text(h->q->cx.lang, msg);
	const char *a = strstr(t, "{n}"), *b = strstr(t, "{m}");

	if (!a || !b || b < a) {
		h_text(h, t);
		return;
	}
	h_textn(h, t, (size_t)(a - t));
	h_int(h, n);
	h_textn(h, a + 3, (size_t)(b - a - 3));
	h_int(h, m);
	h_text(h, b + 3);
}

static int status_index(const char *st)
{
	for (int i = 0; st && measure_statuses[i].value; i++)
		if (strcmp(measure_statuses[i].value, st) == 0)
			return i;
	return 0;
}

/* The classes of the statuses, in measure_statuses' order. */
static const char *const status_kind[] = { "st-open", "st-met", "st-partly", "st-not-met",
					   "st-na", "st-supplier" };

/* A status as a word in a frame; the class only colours it. */
static void status_badge(struct html *h, const char *st)
{
	int i = status_index(st);

	part_badge(h, measure_statuses[i].label, status_kind[i]);
}

/* "m-STY-01": the measure's anchor, from its code when the code is plain
 * (the catalogue's are), else from the measure's id. */
static const char *anchor_of(struct arena *a, const char *code, int64_t measure)
{
	int plain = code && *code && strlen(code) <= 40;

	for (const char *c = code; plain && *c; c++)
		plain = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
			(*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
	return plain ? arena_printf(a, "m-%s", code) : arena_printf(a, "m-%lld", (long long)measure);
}

/* "Bedömd av Anna Andersson 2026-10-01", or that it is not yet. */
static void assessed_line(struct html *h, const char *who, const char *on)
{
	if (!on && !who) {
		h_msg(h, M_GP_NOT_YET);
		return;
	}
	if (who) {
		h_msg(h, M_GP_ASSESSED_BY);
		h_lit(h, " ");
		h_text(h, who);
	} else {
		h_msg(h, M_GP_ASSESSED_ON);
	}
	if (on) {
		h_lit(h, " ");
		h_text(h, on);
	}
	h_lit(h, ".");
}

/* Why the measure is asked of this holder: the baseline, the aspects whose
 * level reaches the measure's minimum ("Krävs från K2, T3"), an extra
 * requirement, the organisation.  For a row no longer required: the
 * levels it would need. */
static void why_required(struct html *h, const struct gp_row *w, int64_t sid,
			 const int level[ASPECTS])
{
	int first = 1;

	if (!sid) {
		h_msg(h, strcmp(w->scope, "organisation") == 0 ? M_GP_WHY_ORG : M_GP_WHY_SHARED);
		return;
	}
	if (w->extra_for) {
		h_msg(h, M_GP_WHY_EXTRA);
		return;
	}
	for (int a = 0; a < ASPECTS; a++)
		if (w->min[a] == 0) {
			h_msg(h, M_GP_WHY_BASELINE);
			return;
		}
	h_msg(h, M_GP_WHY_FROM);
	for (int a = 0; a < ASPECTS; a++) {
		if (w->min[a] == MIN_NONE)
			continue;
		/* required: the aspects that make it so; else all it could */
		if (w->required && (level[a] == LEVEL_NOT_SET || level[a] < w->min[a]))
			continue;
		if (first)
			h_lit(h, " ");
		else
			h_lit(h, ", ");
		h_msg(h, aspect_short[a]);
		h_int(h, w->min[a]);
		first = 0;
	}
}

/* ---- the page ---- */

/* What a refused save brings back to the page: the assessment, what was
 * posted, the problems (beside the fields) or the lost race. */
struct gp_post {
	int64_t aid;
	const char **v;           /* the posted values, per field */
	int64_t version;
	struct field_errors errs;
	int conflict;
	const char *tried_status; /* on a conflict: what the person had chosen */
	/* the share form (the organisation's page) */
	int share;
	const char *share_measure;
};

struct gp_page {
	struct req *q;
	int64_t sid;                   /* 0: the organisation's page */
	const struct record *sys;
	int level[ASPECTS];
	int may_write;
	const char *show;              /* "all", "open", "new", "changed" */
	int64_t saved;
	const struct gp_post *post;
	const struct gp_shared *shared;
	size_t nshared;
	struct name_set *names;
};

static const char *const shows[] = { "all", "open", "new", "changed", NULL };

/* ?show=: open (also not_assessed, as the start page's lines say it),
 * new, changed, or all. */
static const char *show_of(struct req *q)
{
	const char *s = req_param(q, "show");

	if (s && strcmp(s, "not_assessed") == 0)
		return "open";
	for (size_t i = 0; s && shows[i]; i++)
		if (strcmp(s, shows[i]) == 0)
			return shows[i];
	return "all";
}

static int shown(const struct gp_page *pg, const struct gp_row *w)
{
	/* the measure just saved or refused stays in view whatever the
	 * selection, so the page comes back to it */
	if (w->id == pg->saved || (pg->post && w->id == pg->post->aid))
		return 1;
	if (strcmp(pg->show, "open") == 0)
		return strcmp(w->effective, ST_NOT_ASSESSED) == 0;
	if (strcmp(pg->show, "new") == 0)
		return w->fresh;
	if (strcmp(pg->show, "changed") == 0)
		return w->changed;
	return 1;
}

/* A link to this page narrowed by show ("all": not narrowed). */
static void show_link(const struct gp_page *pg, struct html *h, const char *text,
		      const char *show)
{
	const char *slug = pg->q->cx.org->slug;
	long long sid = (long long)pg->sid;

	if (strcmp(show, "all") == 0 && pg->sid)
		part_link(h, text, "/o/%s/gap/systems/%lld", slug, sid);
	else if (strcmp(show, "all") == 0)
		part_link(h, text, "/o/%s/gap/organisation", slug);
	else if (pg->sid)
		part_link(h, text, "/o/%s/gap/systems/%lld?show=%s", slug, sid, show);
	else
		part_link(h, text, "/o/%s/gap/organisation?show=%s", slug, show);
}

/* The field's control id in this measure's form: "f-a<id>-<name>". */
static const char *field_id(struct arena *a, int64_t aid, size_t fi)
{
	return arena_printf(a, "a%lld-%s", (long long)aid, ms_assessments.fields[fi].name);
}

static void form_field(struct gp_page *pg, struct html *h, int64_t aid, size_t fi,
		       const char *value, const struct field_errors *errs, struct part_field *f)
{
	const struct field_error *fe = field_error_find(errs, (int)fi);

	part_field_of(h, &ms_assessments.fields[fi], value, fe ? fe->msg : 0, f);
	f->id = field_id(pg->q->cx.a, aid, fi);
}

static void shared_note(struct gp_page *pg, struct html *h, const struct gp_shared *sh,
			int inherited)
{
	struct req *q = pg->q;

	h_lit(h, "<p class=\"gap-source\">");
	h_msg(h, inherited ? M_GP_SOURCE_SHARED : M_GP_HAS_SHARED);
	h_lit(h, ": ");
	status_badge(h, sh->status);
	h_lit(h, " ");
	assessed_line(h, sh->assessor, sh->assessed_on);
	h_lit(h, " ");
	part_link(h, msg_text(q->cx.lang, M_GP_SEE_SHARED), "/o/%s/gap/organisation#%s",
		  q->cx.org->slug, anchor_of(q->cx.a, sh->code, sh->measure));
	h_lit(h, "</p>");
}

/* The assessment's form: inheritance (when the organisation has a shared
 * row), status, how, evidence, severity, motivation, comment, one save. */
static void measure_form(struct gp_page *pg, struct html *h, const struct gp_row *w,
			 const struct gp_shared *sh)
{
	struct req *q = pg->q;
	const struct gp_post *post = pg->post && pg->post->aid == w->id ? pg->post : NULL;
	/* refused: what was posted; a lost race: what applies now */
	int typed = post && !post->conflict;
	const struct field_errors *errs = typed ? &post->errs : NULL;
	struct part_field f;
	const char *v[AF__COUNT] = { 0 };
	int64_t version = w->version;

	v[AF_STATUS] = w->status;
	v[AF_INHERIT] = w->inherit ? "1" : "0";
	v[AF_HOW] = w->how;
	v[AF_EVIDENCE] = w->evidence;
	v[AF_SEVERITY] = w->severity;
	v[AF_MOTIVATION] = w->motivation;
	v[AF_COMMENT] = w->comment;
	if (typed) {
		for (size_t i = 0; i < AF__COUNT; i++)
			v[i] = post->v[i];
		version = post->version;
	}
	h_lit(h, "<form method=\"post\" class=\"gap-form\" novalidate action=\"");
	if (pg->sid)
		h_url(h, "/o/%s/gap/systems/%lld/assess", q->cx.org->slug, (long long)pg->sid);
	else
		h_url(h, "/o/%s/gap/organisation/assess", q->cx.org->slug);
	h_lit(h, "\">");
	h_csrf(h);
	part_hidden(h, "assessment", arena_printf(q->cx.a, "%lld", (long long)w->id));
	part_hidden(h, "version", arena_printf(q->cx.a, "%lld", (long long)version));
	if (strcmp(pg->show, "all") != 0)
		part_hidden(h, "show", pg->show);
	if (pg->sid && (sh || w->inherit)) {
		h_lit(h, "<div class=\"gap-inherit\">");
		if (sh)
			shared_note(pg, h, sh, is_on(v[AF_INHERIT]));
		form_field(pg, h, w->id, AF_INHERIT, v[AF_INHERIT], errs, &f);
		f.type = PI_CHECKBOX;
		f.label = M_GP_INHERIT;
		f.help = M_GP_INHERIT_HINT;
		part_field(h, &f);
		h_lit(h, "</div>");
	}
	form_field(pg, h, w->id, AF_STATUS, v[AF_STATUS], errs, &f);
	f.type = PI_RADIOS;
	f.placeholder = 0;
	f.required = 0; /* a status is always chosen ("Ej bedömt" at first) */
	f.cls = "gap-status";
	part_field(h, &f);
	h_lit(h, "<div class=\"gap-fields\">");
	form_field(pg, h, w->id, AF_HOW, v[AF_HOW], errs, &f);
	f.rows = 2;
	part_field(h, &f);
	form_field(pg, h, w->id, AF_EVIDENCE, v[AF_EVIDENCE], errs, &f);
	part_field(h, &f);
	/* the severity of a gap; always there without script, and a style
	 * folds it away while the status is no gap (style.css) */
	form_field(pg, h, w->id, AF_SEVERITY, v[AF_SEVERITY], errs, &f);
	f.placeholder = M_GP_SEVERITY_NONE;
	f.cls = nonempty(v[AF_SEVERITY]) || f.error ? "gap-severity filled" : "gap-severity";
	part_field(h, &f);
	form_field(pg, h, w->id, AF_MOTIVATION, v[AF_MOTIVATION], errs, &f);
	f.rows = 2;
	f.cls = nonempty(v[AF_MOTIVATION]) || f.error ? "gap-motivation filled" : "gap-motivation";
	part_field(h, &f);
	form_field(pg, h, w->id, AF_COMMENT, v[AF_COMMENT], errs, &f);
	f.rows = 2;
	part_field(h, &f);
	h_lit(h, "</div><div class=\"actions\"><button type=\"submit\" class=\"primary\">");
	h_msg(h, M_SAVE);
	h_lit(h, "<span class=\"sr-only\"> – ");
	h_msg(h, M_GP_SAVE_MEASURE);
	h_lit(h, " ");
	h_text(h, w->code);
	h_lit(h, "</span></button></div></form>");
}

/* What a reader without the right to change it sees of the assessment. */
static void measure_values(struct html *h, const struct gp_row *w)
{
	static const size_t fields[] = { AF_HOW, AF_EVIDENCE, AF_SEVERITY, AF_MOTIVATION,
					 AF_COMMENT };
	const char *v[AF__COUNT] = { 0 };
	int any = 0;

	v[AF_HOW] = w->how;
	v[AF_EVIDENCE] = w->evidence;
	v[AF_SEVERITY] = w->severity;
	v[AF_MOTIVATION] = w->motivation;
	v[AF_COMMENT] = w->comment;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		any |= nonempty(v[fields[i]]) != NULL;
	if (!any)
		return;
	part_dl_begin(h);
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		const struct entity_field *f = &ms_assessments.fields[fields[i]];
		if (!nonempty(v[fields[i]]))
			continue;
		part_dl_item(h, f->label, f->type == F_ENUM ?
			     entity_choice_label(&h->q->cx, f, v[fields[i]]) : v[fields[i]]);
	}
	part_dl_end(h);
}

static void measure_article(struct gp_page *pg, struct html *h, const struct gp_row *w)
{
	struct req *q = pg->q;
	const char *anchor = anchor_of(q->cx.a, w->code, w->measure);
	const struct gp_shared *sh = pg->sid ? find_shared(pg->shared, pg->nshared, w->measure)
					     : NULL;
	const struct gp_post *post = pg->post && pg->post->aid == w->id ? pg->post : NULL;

	h_lit(h, "<article class=\"gap-measure ");
	h_text(h, status_kind[status_index(w->effective)]);
	if (post)
		h_lit(h, " has-error");
	h_lit(h, "\"");
	h_attr(h, "id", anchor);
	h_attr(h, "aria-labelledby", arena_printf(q->cx.a, "%s-h", anchor));
	h_lit(h, "><h3");
	h_attr(h, "id", arena_printf(q->cx.a, "%s-h", anchor));
	h_lit(h, "><span class=\"gap-code\">");
	h_text(h, w->code);
	h_lit(h, "</span> ");
	h_text(h, w->title);
	h_lit(h, "</h3><p class=\"gap-meta\">");
	status_badge(h, w->effective);
	if (w->inherit) {
		h_lit(h, " <span class=\"gap-inherited\">(");
		h_msg(h, M_GP_INHERITED);
		h_lit(h, ")</span>");
	}
	if (w->fresh) {
		h_lit(h, " ");
		part_badge(h, M_GP_BADGE_NEW, "gap-new");
	}
	if (w->changed) {
		h_lit(h, " ");
		part_badge(h, M_GP_BADGE_CHANGED, "gap-changed");
	}
	h_lit(h, " <span class=\"gap-why\">");
	why_required(h, w, pg->sid, pg->level);
	h_lit(h, "</span></p>");
	if (nonempty(w->text) || nonempty(w->req_text)) {
		h_lit(h, "<details class=\"gap-text\"><summary>");
		h_msg(h, M_GP_MEASURE_TEXT);
		h_lit(h, "</summary>");
		if (nonempty(w->text)) {
			h_lit(h, "<p>");
			h_text(h, w->text);
			h_lit(h, "</p>");
		}
		if (nonempty(w->req_text)) {
			h_lit(h, "<p><strong>");
			h_msg(h, M_F_REQ_TEXT);
			h_lit(h, ":</strong> ");
			h_text(h, w->req_text);
			h_lit(h, "</p>");
		}
		h_lit(h, "</details>");
	}
	h_lit(h, "<p class=\"hint gap-assessed\">");
	assessed_line(h, w->assessor, w->assessed_on);
	h_lit(h, "</p>");
	if (w->id == pg->saved && !post) {
		h_lit(h, "<p class=\"notice gap-saved\" role=\"status\">");
		h_msg(h, M_GP_SAVED);
		h_lit(h, "</p>");
	}
	if (post && post->conflict) {
		h_lit(h, "<div class=\"notice warning\" role=\"alert\"><p>");
		h_msg(h, M_GP_CONFLICT);
		h_lit(h, "</p>");
		if (post->tried_status) {
			h_lit(h, "<p>");
			h_msg(h, M_GP_CONFLICT_YOURS);
			h_lit(h, ": ");
			status_badge(h, post->tried_status);
			h_lit(h, "</p>");
		}
		h_lit(h, "</div>");
	} else if (post && post->errs.n) {
		h_lit(h, "<p class=\"error\">");
		h_msg(h, M_GP_NOT_SAVED);
		h_lit(h, "</p>");
	}
	if (pg->may_write && w->required) {
		measure_form(pg, h, w, sh);
	} else {
		if (sh && w->inherit)
			shared_note(pg, h, sh, 1);
		measure_values(h, w);
	}
	h_lit(h, "</article>");
}

/* The numbers: progress, counts per status in effect, what is new or
 * changed - all from gap_system_stat by key (selection.c). */
static void summary_section(struct gp_page *pg, struct html *h, const struct gap_counts *c)
{
	struct req *q = pg->q;
	static const int order[] = { 1, 2, 3, 5, 4, 0 }; /* met .. not assessed */
	int64_t n[6];

	n[0] = c->not_assessed;
	n[1] = c->met;
	n[2] = c->partly;
	n[3] = c->not_met;
	n[4] = c->na;
	n[5] = c->supplier;
	part_card_begin(h, "gap-summary", M_GP_SUMMARY);
	part_dl_begin(h);
	if (pg->sid) {
		part_dl_item_begin(h, M_GP_SYSTEM);
		part_link(h, entity_title(&sys_systems, pg->sys), "/o/%s/systems/%lld",
			  q->cx.org->slug, (long long)pg->sid);
		if (is_on(pg->sys->v[SYS_BUSINESS_CRITICAL])) {
			h_lit(h, " ");
			part_badge(h, M_F_BUSINESS_CRITICAL, "critical");
		}
		part_dl_item_end(h);
		part_dl_item_begin(h, M_GP_LEVELS);
		for (int a = 0; a < ASPECTS; a++) {
			if (a)
				h_lit(h, " ");
			part_level(h, aspect_short[a], pg->sys->v[SYS_LEVEL_K + a]);
		}
		part_dl_item_end(h);
	}
	part_dl_item_begin(h, M_GP_PROGRESS);
	h_lit(h, "<span class=\"gap-progress\"><progress");
	h_attr_int(h, "max", c->required > 0 ? c->required : 1);
	h_attr_int(h, "value", c->assessed);
	h_attr(h, "aria-label", msg_text(q->cx.lang, M_GP_PROGRESS));
	h_lit(h, "></progress> ");
	msg_nm(h, M_GP_N_OF_M, c->assessed, c->required);
	if (c->required > 0) {
		h_lit(h, " (");
		h_int(h, c->assessed * 100 / c->required);
		h_lit(h, "\u00a0%)");
	}
	h_lit(h, "</span>");
	part_dl_item_end(h);
	part_dl_item_begin(h, M_GP_COUNTS);
	h_lit(h, "<ul class=\"gap-counts\">");
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		int k = order[i];
		h_lit(h, "<li>");
		status_badge(h, measure_statuses[k].value);
		h_lit(h, " <span class=\"num\">");
		h_int(h, n[k]);
		h_lit(h, "</span></li>");
	}
	h_lit(h, "</ul>");
	part_dl_item_end(h);
	part_dl_end(h);
	if (c->fresh > 0) {
		h_lit(h, "<div class=\"notice warning\" role=\"note\"><p>");
		h_msg_plural(h, c->fresh, M_GP_NOTE_NEW_ONE, M_GP_NOTE_NEW);
		h_lit(h, " ");
		show_link(pg, h, msg_text(q->cx.lang, M_GP_SHOW_THEM), "new");
		h_lit(h, "</p></div>");
	}
	if (c->changed > 0) {
		h_lit(h, "<div class=\"notice warning\" role=\"note\"><p>");
		h_msg_plural(h, c->changed, M_GP_NOTE_CHANGED_ONE, M_GP_NOTE_CHANGED);
		h_lit(h, " ");
		show_link(pg, h, msg_text(q->cx.lang, M_GP_SHOW_THEM), "changed");
		h_lit(h, "</p></div>");
	}
	part_section_end(h);
}

/* Links that narrow the page: all, not assessed, new, changed (the last
 * two when there are any, or when chosen). */
static void filter_nav(struct gp_page *pg, struct html *h, const struct gap_counts *c)
{
	static const int label[] = { M_GP_SHOW_ALL, M_GP_SHOW_OPEN, M_GP_SHOW_NEW,
				     M_GP_SHOW_CHANGED };
	int64_t n[] = { c->required, c->not_assessed, c->fresh, c->changed };

	h_lit(h, "<nav class=\"gap-filter\"");
	h_attr(h, "aria-label", msg_text(pg->q->cx.lang, M_GP_FILTER));
	h_lit(h, "><ul>");
	for (size_t i = 0; shows[i]; i++) {
		int cur = strcmp(pg->show, shows[i]) == 0;
		if (i >= 2 && n[i] == 0 && !cur)
			continue;
		h_lit(h, "<li><a");
		if (i == 0 && pg->sid)
			h_href(h, "/o/%s/gap/systems/%lld", pg->q->cx.org->slug, (long long)pg->sid);
		else if (i == 0)
			h_href(h, "/o/%s/gap/organisation", pg->q->cx.org->slug);
		else if (pg->sid)
			h_href(h, "/o/%s/gap/systems/%lld?show=%s", pg->q->cx.org->slug,
			       (long long)pg->sid, shows[i]);
		else
			h_href(h, "/o/%s/gap/organisation?show=%s", pg->q->cx.org->slug, shows[i]);
		if (cur)
			h_lit(h, " aria-current=\"page\"");
		h_lit(h, ">");
		h_msg(h, label[i]);
		h_lit(h, " <span class=\"n\">(");
		h_int(h, n[i]);
		h_lit(h, ")</span></a></li>");
	}
	h_lit(h, "</ul></nav>");
	if (strcmp(pg->show, "all") != 0) {
		h_lit(h, "<p class=\"hint\">");
		h_msg(h, strcmp(pg->show, "open") == 0 ? M_GP_SHOWING_OPEN
			 : strcmp(pg->show, "new") == 0 ? M_GP_SHOWING_NEW : M_GP_SHOWING_CHANGED);
		h_lit(h, "</p>");
	}
}

/* Per area: the required rows shown, assessed and in all. */
struct area_count {
	int64_t shown, assessed, total;
};

static int in_group(const struct gp_page *pg, const struct gp_row *w, int shared_group)
{
	if (!w->required)
		return 0;
	if (pg->sid)
		return 1;
	return (strcmp(w->scope, "organisation") != 0) == shared_group;
}

static void count_areas(const struct gp_page *pg, const struct gp_row *rows, size_t n,
			int shared_group, struct area_count *ac, int64_t *other_shown)
{
	memset(ac, 0, AREA__COUNT * sizeof(*ac));
	*other_shown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct gp_row *w = &rows[i];
		int k = measure_area_index(w->area);

		if (!in_group(pg, w, shared_group))
			continue;
		if (k < 0) {
			*other_shown += shown(pg, w);
			continue;
		}
		ac[k].total++;
		ac[k].assessed += strcmp(w->effective, ST_NOT_ASSESSED) != 0;
		ac[k].shown += shown(pg, w);
	}
}

static void area_nav(struct gp_page *pg, struct html *h, const struct area_count *ac)
{
	int any = !pg->sid;

	for (int k = 0; k < AREA__COUNT; k++)
		any |= ac[k].shown > 0;
	if (!any)
		return;
	h_lit(h, "<nav class=\"gap-areas\"");
	h_attr(h, "aria-label", msg_text(pg->q->cx.lang, M_GP_AREAS));
	h_lit(h, "><ul>");
	for (int k = 0; k < AREA__COUNT; k++) {
		if (!ac[k].shown)
			continue;
		h_lit(h, "<li><a");
		h_href(h, "#area-%s", measure_areas[k].value);
		h_lit(h, ">");
		h_msg(h, measure_areas[k].label);
		h_lit(h, " <span class=\"n\">");
		h_int(h, ac[k].assessed);
		h_lit(h, "/");
		h_int(h, ac[k].total);
		h_lit(h, "</span></a></li>");
	}
	if (!pg->sid) {
		/* the organisation's page: then the shared assessments */
		h_lit(h, "<li><a href=\"#gap-shared\">");
		h_msg(h, M_GP_SHARED);
		h_lit(h, "</a></li>");
	}
	h_lit(h, "</ul></nav>");
}

/* The required rows of one group, one section per area in the catalogue's
 * order, each with "7 av 12 bedömda". */
static void area_sections(struct gp_page *pg, struct html *h, const struct gp_row *rows,
			  size_t n, int shared_group, const struct area_count *ac)
{
	for (int k = 0; k < AREA__COUNT; k++) {
		if (!ac[k].shown)
			continue;
		part_section_begin(h, arena_printf(pg->q->cx.a, "area-%s", measure_areas[k].value),
				   measure_areas[k].label);
		h_lit(h, "<p class=\"gap-area-count\">");
		msg_nm(h, M_GP_N_OF_M, ac[k].assessed, ac[k].total);
		h_lit(h, "</p>");
		for (size_t i = 0; i < n; i++)
			if (in_group(pg, &rows[i], shared_group) &&
			    strcmp(rows[i].area, measure_areas[k].value) == 0 && shown(pg, &rows[i]))
				measure_article(pg, h, &rows[i]);
		part_section_end(h);
	}
}

/* The rows no longer required: kept with their assessment, read-only,
 * bounded (the list of assessments has them all). */
static void gone_section(struct gp_page *pg, struct html *h, const struct gp_row *rows, size_t n)
{
	struct req *q = pg->q;
	size_t count = 0, listed = 0;

	for (size_t i = 0; i < n; i++)
		count += !rows[i].required;
	if (!count)
		return;
	part_section_begin_n(h, "gap-gone", M_GP_NOT_REQUIRED, (int64_t)count);
	h_lit(h, "<p>");
	h_msg(h, M_GP_NOT_REQUIRED_INTRO);
	h_lit(h, "</p>");
	part_table_begin(h, 0, "gap-gone");
	part_th(h, M_MEASURE);
	part_th(h, M_F_EFFECTIVE);
	part_th(h, M_F_ASSESSED_ON);
	if (pg->sid)
		part_th(h, M_GP_WHY_FROM);
	part_table_body(h);
	for (size_t i = 0; i < n && listed < GP_GONE_MAX; i++) {
		const struct gp_row *w = &rows[i];
		if (w->required)
			continue;
		listed++;
		part_tr(h);
		part_th_row_begin(h);
		part_link(h, arena_printf(q->cx.a, "%s %s", w->code, w->title),
			  "/o/%s/assessments/%lld", q->cx.org->slug, (long long)w->id);
		part_th_row_end(h);
		part_td_begin(h);
		status_badge(h, w->effective);
		part_td_end(h);
		part_td_begin(h);
		assessed_line(h, w->assessor, w->assessed_on);
		part_td_end(h);
		if (pg->sid) {
			part_td_begin(h);
			why_required(h, w, pg->sid, pg->level);
			part_td_end(h);
		}
		part_tr_end(h);
	}
	part_table_end(h);
	if (count > listed) {
		h_lit(h, "<p class=\"hint\">");
		h_msg_n(h, M_GP_NOT_REQUIRED_MORE, (int64_t)listed);
		h_lit(h, " ");
		part_link(h, msg_text(q->cx.lang, M_ASSESSMENTS),
			  pg->sid ? "/o/%s/assessments?system_id=%lld&required=0"
				  : "/o/%s/assessments?required=0", q->cx.org->slug,
			  (long long)pg->sid);
		h_lit(h, "</p>");
	}
	part_section_end(h);
}

/* The system measures without a shared row, for the share form. */
static const char sql_shareable[] =
	"SELECT m.id, m.code, m.title FROM measure m WHERE m.org_id = $1 AND m.archived = 0"
	" AND m.scope = 'system' AND m.system_id IS NULL AND NOT EXISTS (SELECT 1"
	" FROM measure_assessment a WHERE a.org_id = m.org_id AND a.measure_id = m.id"
	" AND a.system_id IS NULL) ORDER BY m.code_sk, m.id LIMIT $2";

static void share_form(struct gp_page *pg, struct html *h)
{
	struct req *q = pg->q;
	struct db_rows r;
	struct db_error err;
	struct part_choice *ch;
	const struct gp_post *post = pg->post && pg->post->share ? pg->post : NULL;
	const struct field_error *fe = post ? field_error_find(&post->errs, AF_MEASURE) : NULL;

	if (db_exec(q->cx.db, q->cx.a, sql_shareable,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(GP_ROWS_MAX)), &r, &err) != 0) {
		req_fail(q, "the measures to share", &err);
		return;
	}
	part_card_begin(h, "gap-share", M_GP_SHARE_NEW);
	if (r.nrows == 0) {
		part_empty(h, M_GP_SHARE_NONE_LEFT);
		part_section_end(h);
		return;
	}
	ch = arena_alloc(q->cx.a, (r.nrows + 1) * sizeof(*ch));
	for (size_t i = 0; i < r.nrows; i++) {
		ch[i].value = db_cell(&r, i, 0);
		ch[i].text = arena_printf(q->cx.a, "%s %s", db_cell(&r, i, 1), db_cell(&r, i, 2));
	}
	h_lit(h, "<form method=\"post\" novalidate action=\"");
	h_url(h, "/o/%s/gap/organisation/share", q->cx.org->slug);
	h_lit(h, "\">");
	h_csrf(h);
	part_field(h, &(struct part_field){
		.type = PI_SELECT, .name = "measure_id", .label = M_GP_SHARE_MEASURE,
		.help = M_GP_SHARE_HINT, .error = fe ? fe->msg : 0, .required = 1,
		.value = post ? post->share_measure : NULL, .choices = ch,
		.placeholder = M_CHOOSE });
	h_lit(h, "<div class=\"actions\"><button type=\"submit\">");
	h_msg(h, M_GP_SHARE_BUTTON);
	h_lit(h, "</button></div></form>");
	part_section_end(h);
}

/* The error summary of a refused save: each problem links to its field in
 * that measure's form, and the measure is named (one of a hundred). */
static void error_summary(struct gp_page *pg, struct html *h, const struct gp_row *rows,
			  size_t n)
{
	const struct gp_post *post = pg->post;
	const char *names[AF__COUNT];
	int labels[AF__COUNT];
	struct field_errors conflict = { .n = 0 };

	if (!post)
		return;
	if (post->share) {
		static const char *const share_names[AF__COUNT] = { [AF_MEASURE] = "measure_id" };
		int share_labels[AF__COUNT] = { [AF_MEASURE] = M_GP_SHARE_MEASURE };
		page_error_summary(h, share_names, share_labels, &post->errs);
		return;
	}
	for (size_t i = 0; i < AF__COUNT; i++) {
		/* a problem with what the form does not show is told at the status */
		size_t at = i == AF_INHERIT || i == AF_HOW || i == AF_EVIDENCE ||
			    i == AF_SEVERITY || i == AF_MOTIVATION || i == AF_COMMENT ? i : AF_STATUS;
		names[i] = field_id(pg->q->cx.a, post->aid, at);
		labels[i] = ms_assessments.fields[i].label;
	}
	if (post->conflict) {
		field_error_add(&conflict, -1, M_GP_CONFLICT, "conflict");
		page_error_summary(h, names, labels, &conflict);
	} else {
		page_error_summary(h, names, labels, &post->errs);
	}
	for (size_t i = 0; i < n; i++) {
		if (rows[i].id != post->aid)
			continue;
		h_lit(h, "<p class=\"gap-error-at\">");
		h_msg(h, M_GP_ERROR_AT);
		h_lit(h, " ");
		part_link(h, arena_printf(pg->q->cx.a, "%s %s", rows[i].code, rows[i].title), "#%s",
			  anchor_of(pg->q->cx.a, rows[i].code, rows[i].measure));
		h_lit(h, "</p>");
	}
}

/* The whole page: a system's (sid) or the organisation's (0). */
static void gap_page(struct req *q, struct resp *r, int64_t sid, const struct gp_post *post,
		     int status)
{
	struct gp_page pg = { .q = q, .sid = sid, .post = post };
	struct record sys = { 0 }, stub = { 0 };
	struct db_error err = { 0 };
	struct gap_counts c;
	struct gp_row *rows;
	struct gp_shared *shared = NULL;
	struct area_count ac[AREA__COUNT];
	int64_t other = 0;
	size_t n, nshared = 0;
	struct html h;

	if (sid) {
		if (entity_get(&q->cx, &sys_systems, sid, &sys, &err) != 0) {
			respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
			return;
		}
		pg.sys = &sys;
		for (int a = 0; a < ASPECTS; a++) {
			int64_t lv;
			pg.level[a] = sys.v[SYS_LEVEL_K + a] &&
				      parse_i64(sys.v[SYS_LEVEL_K + a], &lv) == 0 ? (int)lv
										 : LEVEL_NOT_SET;
		}
	}
	/* one rule for every row of the page: they share their holder */
	stub.v = arena_alloc(q->cx.a, (ms_assessments.nfields + 1) * sizeof(char *));
	stub.ref_title = arena_alloc(q->cx.a, (ms_assessments.nfields + 1) * sizeof(char *));
	stub.org_id = q->cx.org->id;
	stub.v[AF_SYSTEM] = sid ? arena_printf(q->cx.a, "%lld", (long long)sid) : NULL;
	pg.may_write = (!sid || !sys.archived) && entity_may(&q->cx, &ms_assessments, &stub, OP_WRITE);
	pg.show = show_of(q);
	pg.saved = post ? 0 : req_int(q, "saved", 1, INT64_MAX, 0);
	if (load_rows(&q->cx, sid, &rows, &n, &err) != 0 ||
	    (sid && load_shared(&q->cx, &shared, &nshared, &err) != 0) ||
	    gap_system_counts(&q->cx, sid, &c, &err) != 0) {
		log_error("gap page: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	pg.shared = shared;
	pg.nshared = nshared;
	for (size_t i = 0; i < n; i++)
		name_add(&q->cx, &pg.names, rows[i].assessed_by);
	for (size_t i = 0; i < nshared; i++)
		name_add(&q->cx, &pg.names, shared[i].assessed_by);
	if (name_fill(&q->cx, pg.names, &err) != 0) {
		log_error("gap page: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	for (size_t i = 0; i < n; i++)
		rows[i].assessor = name_of(pg.names, rows[i].assessed_by);
	for (size_t i = 0; i < nshared; i++)
		shared[i].assessor = name_of(pg.names, shared[i].assessed_by);

	if (sid)
		page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s",
			msg_text(q->cx.lang, M_GP_TITLE), entity_title(&sys_systems, &sys)));
	else
		page_begin(q, r, &h, M_GP_ORG_TITLE);
	r->status = status;
	error_summary(&pg, &h, rows, n);
	h_lit(&h, "<p class=\"intro\">");
	h_msg(&h, sid ? M_GP_INTRO_SYSTEM : M_GP_INTRO_ORG);
	h_lit(&h, "</p>");
	if (sid && sys.archived) {
		h_lit(&h, "<div class=\"notice warning\" role=\"note\"><p>");
		h_msg(&h, M_GP_ARCHIVED);
		h_lit(&h, "</p></div>");
	} else if (!pg.may_write) {
		h_lit(&h, "<p class=\"notice\">");
		h_msg(&h, M_GP_READONLY);
		h_lit(&h, "</p>");
	}
	h_lit(&h, "<p class=\"gap-links\">");
	if (sid) {
		part_link(&h, msg_text(q->cx.lang, M_GP_TO_SYSTEM), "/o/%s/systems/%lld",
			  q->cx.org->slug, (long long)sid);
		h_lit(&h, " · ");
		part_link(&h, msg_text(q->cx.lang, M_GP_ORG_LINK), "/o/%s/gap/organisation",
			  q->cx.org->slug);
		h_lit(&h, " · ");
	}
	part_link(&h, msg_text(q->cx.lang, M_GP_TO_OVERVIEW), "/o/%s/gap", q->cx.org->slug);
	h_lit(&h, "</p>");
	summary_section(&pg, &h, &c);
	filter_nav(&pg, &h, &c);
	if (n == GP_ROWS_MAX) {
		h_lit(&h, "<p class=\"notice\">");
		h_msg_n(&h, M_GP_ROWS_LIMIT, GP_ROWS_MAX);
		h_lit(&h, "</p>");
	}

	count_areas(&pg, rows, n, 0, ac, &other);
	area_nav(&pg, &h, ac);
	{
		int64_t any = 0;
		for (int k = 0; k < AREA__COUNT; k++)
			any += ac[k].shown;
		if (!any && c.required == 0 && sid)
			part_empty(&h, M_GP_NONE_REQUIRED);
		else if (!any && (sid || strcmp(pg.show, "all") != 0))
			part_empty(&h, M_GP_FILTER_NONE);
	}
	area_sections(&pg, &h, rows, n, 0, ac);
	if (!sid) {
		/* the shared assessments of system measures, then a new one */
		int64_t shared_shown = 0;
		count_areas(&pg, rows, n, 1, ac, &other);
		for (int k = 0; k < AREA__COUNT; k++)
			shared_shown += ac[k].shown;
		part_section_begin(&h, "gap-shared", M_GP_SHARED);
		h_lit(&h, "<p>");
		h_msg(&h, M_GP_SHARED_INTRO);
		h_lit(&h, "</p>");
		if (!shared_shown)
			part_empty(&h, M_GP_SHARED_NONE);
		for (int k = 0; k < AREA__COUNT; k++)
			for (size_t i = 0; ac[k].shown && i < n; i++)
				if (in_group(&pg, &rows[i], 1) &&
				    strcmp(rows[i].area, measure_areas[k].value) == 0 &&
				    shown(&pg, &rows[i]))
					measure_article(&pg, &h, &rows[i]);
		part_section_end(&h);
		if (pg.may_write)
			share_form(&pg, &h);
	}
	gone_section(&pg, &h, rows, n);
	page_end(q, r, &h);
}

static void system_page(struct req *q, struct resp *r)
{
	gap_page(q, r, req_id(q), NULL, 200);
}

static void org_page(struct req *q, struct resp *r)
{
	gap_page(q, r, 0, NULL, 200);
}

/* ---- saving one assessment ---- */

/* The assessment posted, if it is this page's (the system's, or the
 * organisation's); 0 with a refusal answered. */
static int64_t posted_assessment(struct req *q, struct resp *r, int64_t sid, struct record *cur)
{
	struct db_error err = { 0 };
	int64_t aid = req_int(q, "assessment", 1, INT64_MAX, 0);
	int64_t holder;

	if (sid) {
		struct record sys;
		if (entity_get(&q->cx, &sys_systems, sid, &sys, &err) != 0) {
			respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
			return 0;
		}
	}
	if (!aid || entity_get(&q->cx, &ms_assessments, aid, cur, &err) != 0) {
		respond_error(q, r, !aid || err.code == DBE_NOTFOUND ? 404 : 500);
		return 0;
	}
	holder = to_i64(cur->v[AF_SYSTEM]);
	if (holder != sid || cur->archived) {
		respond_error(q, r, 404);
		return 0;
	}
	return aid;
}

static void assess(struct req *q, struct resp *r, int64_t sid)
{
	static const size_t said[] = { AF_STATUS, AF_INHERIT, AF_HOW, AF_EVIDENCE, AF_SEVERITY,
				       AF_MOTIVATION, AF_COMMENT };
	struct gp_post *post = arena_alloc(q->cx.a, sizeof(*post));
	const char **vals = arena_alloc(q->cx.a, (ms_assessments.nfields + 1) * sizeof(char *));
	struct record cur, rec = { 0 };
	struct db_error err = { 0 };
	const char *show;
	int64_t aid = posted_assessment(q, r, sid, &cur);

	if (!aid)
		return;
	memset(post, 0, sizeof(*post));
	/* what the form says, over the rest as it is (what the rules keep,
	 * FF_NO_FORM, the engine keeps itself) */
	for (size_t i = 0; i < ms_assessments.nfields; i++)
		vals[i] = (ms_assessments.fields[i].flags & FF_NO_FORM) ? NULL : cur.v[i];
	for (size_t i = 0; i < ARRAY_SIZE(said); i++)
		vals[said[i]] = form_get(&q->body_form, ms_assessments.fields[said[i]].name);
	post->aid = aid;
	post->v = vals;
	post->version = req_int(q, "version", 1, INT64_MAX, 0);
	entity_record_from_values(&q->cx, &ms_assessments, vals, &rec, &post->errs);
	rec.id = aid;
	rec.version = post->version;
	if (post->errs.n == 0 &&
	    entity_update(&q->cx, &ms_assessments, &rec, &post->errs, &err) == 0) {
		show = show_of(q);
		resp_redirect(q, r, arena_printf(q->cx.a, "%s?saved=%lld%s%s#%s",
			sid ? arena_printf(q->cx.a, "/o/%s/gap/systems/%lld", q->cx.org->slug,
					   (long long)sid)
			    : arena_printf(q->cx.a, "/o/%s/gap/organisation", q->cx.org->slug),
			(long long)aid, strcmp(show, "all") ? "&show=" : "",
			strcmp(show, "all") ? show : "",
			anchor_of(q->cx.a, cur.v[AF_CODE], to_i64(cur.v[AF_MEASURE]))));
		return;
	}
	if (err.code == DBE_DENIED) {
		respond_error(q, r, 403);
		return;
	}
	if (post->errs.n == 0) {
		log_error("assessment %lld: %s", (long long)aid, err.msg);
		respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
		return;
	}
	if (err.code == DBE_CONFLICT) {
		/* never over what someone else saved: the page shows it */
		post->conflict = 1;
		post->tried_status = form_get(&q->body_form, "status");
		if (post->tried_status && status_index(post->tried_status) == 0 &&
		    strcmp(post->tried_status, ST_NOT_ASSESSED) != 0)
			post->tried_status = NULL;
	}
	gap_page(q, r, sid, post, post->conflict ? 409 : 422);
}

static void system_assess(struct req *q, struct resp *r)
{
	assess(q, r, req_id(q));
}

static void org_assess(struct req *q, struct resp *r)
{
	assess(q, r, 0);
}

/* A shared assessment of a system measure, made by the organisation's
 * keepers; the systems then choose to inherit it. */
static void share_action(struct req *q, struct resp *r)
{
	struct gp_post *post = arena_alloc(q->cx.a, sizeof(*post));
	const char **vals = arena_alloc(q->cx.a, (ms_assessments.nfields + 1) * sizeof(char *));
	struct record rec = { 0 }, made;
	struct db_error err = { 0 };
	int64_t mid = req_int(q, "measure_id", 1, INT64_MAX, 0);

	memset(post, 0, sizeof(*post));
	post->share = 1;
	post->share_measure = req_param(q, "measure_id");
	if (!mid) {
		field_error_add(&post->errs, AF_MEASURE, M_GP_V_PICK_MEASURE, "required");
		gap_page(q, r, 0, post, 422);
		return;
	}
	vals[AF_MEASURE] = arena_printf(q->cx.a, "%lld", (long long)mid);
	vals[AF_STATUS] = ST_NOT_ASSESSED;
	entity_record_from_values(&q->cx, &ms_assessments, vals, &rec, &post->errs);
	if (post->errs.n == 0 &&
	    entity_create(&q->cx, &ms_assessments, &rec, &post->errs, &err) == 0 &&
	    entity_get(&q->cx, &ms_assessments, rec.id, &made, &err) == 0) {
		resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/gap/organisation?saved=%lld#%s",
			q->cx.org->slug, (long long)rec.id,
			anchor_of(q->cx.a, made.v[AF_CODE], mid)));
		return;
	}
	if (err.code == DBE_DENIED) {
		respond_error(q, r, 403);
		return;
	}
	if (post->errs.n == 0) {
		log_error("shared assessment: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	/* every problem of a new shared row is the measure's */
	for (size_t i = 0; i < post->errs.n; i++)
		post->errs.e[i].field = AF_MEASURE;
	gap_page(q, r, 0, post, 422);
}

/* ---- on a measure's and an assessment's record pages ---- */

static const char sql_measure_stat[] =
	"SELECT stat, n FROM gap_measure_stat WHERE org_id = $1 AND measure_id = $2 AND n > 0";
static const char sql_org_row[] =
	"SELECT id, status, assessed_by, assessed_on, code FROM measure_assessment"
	" WHERE org_id = $1 AND measure_id = $2 AND system_id IS NULL AND archived = 0";

/* The organisation's row of a measure as a line: status, who and when,
 * and where it is assessed.  rows: sql_org_row's. */
static void org_row_line(struct req *q, struct html *h, const struct db_rows *rows, int64_t mid)
{
	const char *who = NULL;
	int64_t by = db_cell_i64(rows, 0, 2);
	struct db_error err;

	if (by && entity_titles(&q->cx, &org_people, &by, 1, &who, &err) != 0) {
		req_fail(q, "who assessed", &err);
		return;
	}
	status_badge(h, db_cell(rows, 0, 1));
	h_lit(h, " ");
	assessed_line(h, who, db_cell(rows, 0, 3));
	h_lit(h, " ");
	part_link(h, msg_text(q->cx.lang, M_GP_OPEN_IN_GAP), "/o/%s/gap/organisation#%s",
		  q->cx.org->slug, anchor_of(q->cx.a, db_cell(rows, 0, 4), mid));
}

void measure_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h)
{
	struct db_rows st, org;
	struct db_error err;
	int org_scope = rec->v[MF_SCOPE] && strcmp(rec->v[MF_SCOPE], "organisation") == 0;
	int64_t by_status[6] = { 0 }, total = 0;

	(void)e;
	if (db_exec(q->cx.db, q->cx.a, sql_measure_stat,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), &st, &err) != 0 ||
	    db_exec(q->cx.db, q->cx.a, sql_org_row,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), &org, &err) != 0) {
		req_fail(q, "how the measure stands", &err);
		return;
	}
	for (size_t i = 0; i < st.nrows; i++) {
		int k = status_index(db_cell(&st, i, 0));
		by_status[k] += db_cell_i64(&st, i, 1);
		total += db_cell_i64(&st, i, 1);
	}
	part_section_begin_n(h, "gap-standing", M_GP_STANDING, total);
	if (org_scope || org.nrows) {
		part_dl_begin(h);
		part_dl_item_begin(h, org_scope ? M_GP_ORG_ASSESSMENT : M_GP_SHARED_ASSESSMENT);
		if (org.nrows)
			org_row_line(q, h, &org, rec->id);
		else
			h_msg(h, M_GP_NO_ORG_ASSESSMENT);
		part_dl_item_end(h);
		part_dl_end(h);
	}
	if (total == 0) {
		part_empty(h, M_GP_STANDING_NONE);
	} else {
		h_lit(h, "<p>");
		h_msg(h, M_GP_STANDING_INTRO);
		h_lit(h, "</p>");
		part_table_begin(h, 0, "gap-standing");
		part_th(h, M_F_EFFECTIVE);
		part_th(h, M_GP_NUMBER);
		part_table_body(h);
		for (int k = 0; measure_statuses[k].value; k++) {
			if (!by_status[k])
				continue;
			part_tr(h);
			part_th_row_begin(h);
			status_badge(h, measure_statuses[k].value);
			part_th_row_end(h);
			part_td_begin(h);
			/* the number opens exactly what it counts */
			part_link(h, arena_printf(q->cx.a, "%lld", (long long)by_status[k]),
				  "/o/%s/assessments?measure_id=%lld&effective_status=%s&required=1",
				  q->cx.org->slug, (long long)rec->id, measure_statuses[k].value);
			part_td_end(h);
			part_tr_end(h);
		}
		part_table_end(h);
	}
	h_lit(h, "<p>");
	part_link(h, msg_text(q->cx.lang, M_GP_ALL_ASSESSMENTS), "/o/%s/assessments?measure_id=%lld",
		  q->cx.org->slug, (long long)rec->id);
	if (!org_scope && org.nrows) {
		h_lit(h, " · ");
		part_link(h, msg_text(q->cx.lang, M_GP_INHERITORS),
			  "/o/%s/assessments?measure_id=%lld&inherit=1", q->cx.org->slug,
			  (long long)rec->id);
	}
	h_lit(h, "</p>");
	part_section_end(h);
}

void assessment_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			     struct html *h)
{
	struct record m;
	struct db_rows org;
	struct db_error err;
	int64_t mid = to_i64(rec->v[AF_MEASURE]), sid = to_i64(rec->v[AF_SYSTEM]);
	const char *anchor, *text;

	(void)e;
	if (entity_get(&q->cx, &ms_measures, mid, &m, &err) != 0) {
		req_fail(q, "the assessment's measure", &err);
		return;
	}
	anchor = anchor_of(q->cx.a, m.v[MF_CODE], mid);
	text = q->cx.lang == LANG_EN && nonempty(m.v[MF_DESCRIPTION_EN]) ? m.v[MF_DESCRIPTION_EN]
									 : m.v[MF_DESCRIPTION];
	part_card_begin(h, "gap-about", M_GP_ABOUT);
	part_dl_begin(h);
	part_dl_item_begin(h, M_MEASURE);
	part_link(h, arena_printf(q->cx.a, "%s %s", m.v[MF_CODE], entity_title(&ms_measures, &m)),
		  "/o/%s/measures/%lld", q->cx.org->slug, (long long)mid);
	part_dl_item_end(h);
	if (nonempty(text))
		part_dl_item(h, M_GP_MEASURE_TEXT, text);
	part_dl_item_begin(h, M_F_SYSTEM);
	if (sid)
		part_link(h, rec->ref_title[AF_SYSTEM] ? rec->ref_title[AF_SYSTEM] : "?",
			  "/o/%s/systems/%lld", q->cx.org->slug, (long long)sid);
	else
		h_msg(h, M_GP_ORGANISATION);
	part_dl_item_end(h);
	part_dl_item_begin(h, M_F_EFFECTIVE);
	status_badge(h, rec->v[AF_EFFECTIVE]);
	h_lit(h, " – ");
	if (sid && is_on(rec->v[AF_INHERIT])) {
		/* where the status in effect comes from: the shared row */
		if (db_exec(q->cx.db, q->cx.a, sql_org_row,
			    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(mid)), &org, &err) != 0) {
			req_fail(q, "the shared assessment", &err);
			return;
		}
		h_msg(h, M_GP_FROM_SHARED);
		if (org.nrows) {
			h_lit(h, ": ");
			org_row_line(q, h, &org, mid);
		} else {
			h_lit(h, ". ");
			h_msg(h, M_GP_SHARED_MISSING);
		}
	} else {
		h_msg(h, sid ? M_GP_FROM_OWN : M_GP_FROM_ORG);
	}
	part_dl_item_end(h);
	if (sid && !is_on(rec->v[AF_REQUIRED]))
		part_dl_item(h, M_F_REQUIRED, msg_text(q->cx.lang, M_GP_NO_LONGER));
	part_dl_end(h);
	h_lit(h, "<p>");
	if (sid)
		part_link(h, msg_text(q->cx.lang, M_GP_OPEN_IN_GAP), "/o/%s/gap/systems/%lld#%s",
			  q->cx.org->slug, (long long)sid, anchor);
	else
		part_link(h, msg_text(q->cx.lang, M_GP_OPEN_IN_GAP), "/o/%s/gap/organisation#%s",
			  q->cx.org->slug, anchor);
	h_lit(h, "</p>");
	part_section_end(h);
}

/* ---- routes ---- */

static const struct param page_params[] = {
	{ "show", P_STR, 16 }, { "saved", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

static const struct param assess_params[] = {
	{ "csrf", P_STR, 128 }, { "assessment", P_INT, INT64_MAX }, { "version", P_INT, INT64_MAX },
	{ "show", P_STR, 16 }, { "status", P_STR, 32 }, { "inherit", P_STR, 4 },
	{ "how", P_STR, TEXT_MAX }, { "evidence", P_STR, TEXT_MAX }, { "severity", P_STR, 32 },
	{ "motivation", P_STR, TEXT_MAX }, { "comment", P_STR, TEXT_MAX },
	{ NULL, 0, 0 },
};

static const struct param share_params[] = {
	{ "csrf", P_STR, 128 }, { "measure_id", P_STR, 24 },
	{ NULL, 0, 0 },
};

const struct route gap_page_routes[] = {
	{ "GET", "/o/{org}/gap/systems/{id}", system_page, ROLES_STAFF, 0, 0, page_params, NULL },
	{ "POST", "/o/{org}/gap/systems/{id}/assess", system_assess, ROLES_ASSESS, 0, BODY_FORM,
	  assess_params, NULL },
	{ "GET", "/o/{org}/gap/organisation", org_page, ROLES_STAFF, 0, 0, page_params, NULL },
	{ "POST", "/o/{org}/gap/organisation/assess", org_assess, ROLES_MEASURES_ADMIN, 0,
	  BODY_FORM, assess_params, NULL },
	{ "POST", "/o/{org}/gap/organisation/share", share_action, ROLES_MEASURES_ADMIN, 0,
	  BODY_FORM, share_params, NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
