/* classify.c - guided classification of an information set (seed 001 §5,
 * SKR's KLASSA) and what surrounds it:
 *
 *   /o/{org}/information/{id}/classify   questions per aspect and consequence
 *       category; the highest answer per aspect is the proposal, which the
 *       person classifying confirms or changes with a motivation.  Works
 *       without JavaScript: "Föreslå nivåer" posts the answers and the page
 *       comes back with the proposal, "Spara klassning" creates the
 *       classification through the engine (audit trail and re-derivation of
 *       the systems in the same transaction);
 *   the information set's page section (sys_infosets.show_extra): current
 *       classification, history, legal flags and the systems handling it;
 *   /o/{org}/information-review          sets never classified or overdue;
 *   the scale's rules (sys_scales.validate and .after_write).
 */
#include "base/base.h"

#include <jansson.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/systems/systems.h"
#include "parse/form.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/layout.h"
#include "web/pages.h"
#include "web/parts.h"

/* ---- the scale ---- */

#define SCALE_MIN_LEVELS 2
#define SCALE_MAX_LEVELS (LEVEL_MAX + 1) /* what classifications store: 0-4 */
#define SCALE_NAME_MAX 60

struct scale {
	const char *name;
	int n;
	const char *level_name[SCALE_MAX_LEVELS];
	const char *criteria[SCALE_MAX_LEVELS];
	int outside[SCALE_MAX_LEVELS];  /* "outside_baseline": true */
};

/* Reads a scale's JSON into s (strings copied into the arena).  Returns 0,
 * or the message saying what is wrong with it. */
static int scale_read(struct arena *a, const char *text, struct scale *s)
{
	json_error_t jerr;
	json_t *root, *levels, *name, *lv;
	size_t i;
	int msg = 0;

	memset(s, 0, sizeof(*s));
	root = text ? json_loads(text, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	if (!root)
		return M_V_SCALE_JSON;
	name = json_object_get(root, "name");
	levels = json_object_get(root, "levels");
	if (!json_is_object(root) || !json_is_string(name) || !json_is_array(levels)) {
		msg = M_V_SCALE_SHAPE;
		goto out;
	}
	if (json_array_size(levels) < SCALE_MIN_LEVELS ||
	    json_array_size(levels) > SCALE_MAX_LEVELS) {
		msg = M_V_SCALE_COUNT;
		goto out;
	}
	s->name = arena_strdup(a, json_string_value(name));
	json_array_foreach(levels, i, lv) {
		json_t *num = json_object_get(lv, "level");
		json_t *nm = json_object_get(lv, "name");
		json_t *cr = json_object_get(lv, "criteria");
		const char *t;
		size_t len;

		/* the level is the position: consecutive from 0 */
		if (!json_is_integer(num) || json_integer_value(num) != (json_int_t)i) {
			msg = M_V_SCALE_ORDER;
			goto out;
		}
		if (!json_is_string(nm)) {
			msg = M_V_SCALE_LEVEL_NAME;
			goto out;
		}
		t = json_string_value(nm);
		len = json_string_length(nm);
		if (!utf8_valid_text(t, len) || utf8_length(t, len) < 1 ||
		    utf8_length(t, len) > SCALE_NAME_MAX || strspn(t, " \t\r\n") == len) {
			msg = M_V_SCALE_LEVEL_NAME;
			goto out;
		}
		if (cr && !json_is_null(cr) &&
		    (!json_is_string(cr) ||
		     !utf8_valid_text(json_string_value(cr), json_string_length(cr)))) {
			msg = M_V_SCALE_CRITERIA;
			goto out;
		}
		s->level_name[i] = arena_strdup(a, t);
		s->criteria[i] = json_is_string(cr) && json_string_length(cr) ?
			arena_strdup(a, json_string_value(cr)) : NULL;
		s->outside[i] = json_is_true(json_object_get(lv, "outside_baseline"));
	}
	s->n = (int)json_array_size(levels);
out:
	json_decref(root);
	return msg;
}

/* A scale to show: a stored one that cannot be read (it was checked when
 * saved, so this is damage) reads as KLASSA's rather than as nothing. */
static void scale_for_display(struct arena *a, const char *text, struct scale *s)
{
	if (scale_read(a, text, s) != 0 && scale_read(a, klassa_default_scale, s) != 0)
		memset(s, 0, sizeof(*s));
}

/* The highest level a classification can take with this scale: the scale's
 * top, within what the register stores (0..LEVEL_MAX). */
static int scale_top(const struct scale *s)
{
	return s->n - 1 < LEVEL_MAX ? s->n - 1 : LEVEL_MAX;
}

static int outside_baseline(const struct scale *s, int lv)
{
	return lv >= LEVEL_OUTSIDE_BASELINE || (lv >= 0 && lv < s->n && s->outside[lv]);
}

/* "2 Betydande", or "2" when the scale does not name it. */
static const char *level_text(struct ctx *cx, const struct scale *s, int lv)
{
	if (lv >= 0 && lv < s->n && s->level_name[lv])
		return arena_printf(cx->a, "%d %s", lv, s->level_name[lv]);
	return arena_printf(cx->a, "%d", lv);
}

void scale_validate(struct ctx *cx, const struct entity *e, struct record *rec,
		    const struct record *old, struct field_errors *errs)
{
	struct scale s;
	int msg;

	if (!rec->v[SCL_LEVELS])
		return; /* required: the engine has said so */
	msg = scale_read(cx->a, rec->v[SCL_LEVELS], &s);
	if (msg)
		field_error_add(errs, SCL_LEVELS, msg, "invalid");
}

static const char sql_scale_others_not_current[] =
	"UPDATE classification_scale SET is_current = 0, version = version + 1, updated_at = $3"
	" WHERE org_id = $1 AND id <> $2 AND is_current = 1";

/* One scale is in force: saving one as current retires the others. */
int scale_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
		      const struct record *old, struct db_error *err)
{
	if (rec->archived || !rec->v[SCL_CURRENT] || strcmp(rec->v[SCL_CURRENT], "1") != 0)
		return 0;
	return db_exec(cx->db, cx->a, sql_scale_others_not_current,
		       DB_ARGS(DB_INT(cx->org->id), DB_INT(rec->id), DB_INT(clock_now())),
		       NULL, err);
}

/* ---- shared bits ---- */

static const char *today(struct ctx *cx)
{
	/* the date part of the local time in Stockholm */
	return arena_strndup(cx->a, clock_format_local(cx->a, clock_now()), 10);
}

/* Classifying is changing the information set (its parts follow it):
 * the role may be held for the whole organisation, for the set's unit or
 * as its owner (per-record access, core/entity.h).  Without a set: may
 * the viewer classify any at all (for the review list's column). */
static int may_classify(struct req *q, const struct record *inf)
{
	if (!inf)
		return entity_may_create(&q->cx, &sys_classifications);
	return entity_may(&q->cx, &sys_infosets, inf, OP_WRITE);
}

/* "K3 R2 T3 S2" (the short letters in the reader's language); "–" for an
 * aspect without a level. */
static void profile(struct html *h, const char *const lv[ASPECT__COUNT])
{
	static const int short_label[ASPECT__COUNT] = {
		M_ASPECT_K_SHORT, M_ASPECT_R_SHORT, M_ASPECT_T_SHORT, M_ASPECT_S_SHORT,
	};

	for (int a = 0; a < ASPECT__COUNT; a++) {
		if (a)
			h_lit(h, " ");
		h_msg(h, short_label[a]);
		h_text(h, lv[a] ? lv[a] : "–");
	}
}

static void legal_flags(struct req *q, const struct record *inf, struct html *h)
{
	static const int flags[] = {
		INF_PERSONAL, INF_SENSITIVE, INF_SECRECY, INF_PROTECTED, INF_PATIENT,
		INF_SECURITY_PROTECTION,
	};
	const struct entity_field *f = sys_infosets.fields;
	int any = 0;

	part_section_begin(h, "cls-legal", M_CLS_LEGAL_HEADING);
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		const char *v = inf->v[flags[i]];
		if (!v || strcmp(v, "1") != 0)
			continue;
		if (!any)
			h_lit(h, "<ul>");
		any = 1;
		h_lit(h, "<li>");
		h_msg(h, f[flags[i]].label);
		if (flags[i] == INF_SECRECY && inf->v[INF_SECRECY_REF]) {
			h_lit(h, " (");
			h_text(h, inf->v[INF_SECRECY_REF]);
			h_lit(h, ")");
		}
		h_lit(h, "</li>");
	}
	if (any)
		h_lit(h, "</ul>");
	else
		part_empty(h, M_CLS_LEGAL_NONE);
	part_section_end(h);
}

/* ---- the guided classification ---- */

enum {
	CAT_OPERATIONS, CAT_FINANCES, CAT_TRUST, CAT_LEGAL, CAT_LIFE, CAT_PRIVACY,
	CAT__COUNT
};
static const char *const cat_code[CAT__COUNT] = {
	"operations", "finances", "trust", "legal", "life_health", "privacy",
};
static const int cat_label[CAT__COUNT] = {
	M_CAT_OPERATIONS, M_CAT_FINANCES, M_CAT_TRUST, M_CAT_LEGAL, M_CAT_LIFE, M_CAT_PRIVACY,
};
static const char *const aspect_code[ASPECT__COUNT] = { "k", "r", "t", "s" };
static const int aspect_intro[ASPECT__COUNT] = {
	M_CLS_ASPECT_INTRO_K, M_CLS_ASPECT_INTRO_R, M_CLS_ASPECT_INTRO_T, M_CLS_ASPECT_INTRO_S,
};
static const int question[ASPECT__COUNT][CAT__COUNT] = {
	{ M_Q_K_OPERATIONS, M_Q_K_FINANCES, M_Q_K_TRUST, M_Q_K_LEGAL, M_Q_K_LIFE, M_Q_K_PRIVACY },
	{ M_Q_R_OPERATIONS, M_Q_R_FINANCES, M_Q_R_TRUST, M_Q_R_LEGAL, M_Q_R_LIFE, M_Q_R_PRIVACY },
	{ M_Q_T_OPERATIONS, M_Q_T_FINANCES, M_Q_T_TRUST, M_Q_T_LEGAL, M_Q_T_LIFE, M_Q_T_PRIVACY },
	{ M_Q_S_OPERATIONS, M_Q_S_FINANCES, M_Q_S_TRUST, M_Q_S_LEGAL, M_Q_S_LIFE, M_Q_S_PRIVACY },
};

struct cls_form {
	int answer[ASPECT__COUNT][CAT__COUNT]; /* -1: not answered */
	int proposed[ASPECT__COUNT];           /* highest answer, -1: none */
	int shown[ASPECT__COUNT];              /* the proposal the page showed, -1 */
	int chosen[ASPECT__COUNT];             /* -1: none or not a level */
	const char *reason[ASPECT__COUNT];
	const char *participants, *decision, *decided_on, *review_on;
	int proposing;                         /* the decision part is shown */
};

/* Error "fields" beyond the classification's own: one per aspect's
 * questions (anchor f-q-k ...). */
#define ERR_QUESTIONS(e, a) ((int)(e)->nfields + (a))

static int level_param(const char *v, int top)
{
	int64_t x;

	if (!v || parse_i64(v, &x) != 0 || x < 0 || x > top)
		return -1;
	return (int)x;
}

static void read_form(struct req *q, const struct scale *s, struct cls_form *f)
{
	int top = scale_top(s);

	for (int a = 0; a < ASPECT__COUNT; a++) {
		const char *name;

		f->proposed[a] = -1;
		for (int c = 0; c < CAT__COUNT; c++) {
			name = arena_printf(q->cx.a, "a_%s_%s", aspect_code[a], cat_code[c]);
			f->answer[a][c] = level_param(form_get(&q->body_form, name), top);
			if (f->answer[a][c] > f->proposed[a])
				f->proposed[a] = f->answer[a][c];
		}
		name = arena_printf(q->cx.a, "proposed_%s", aspect_code[a]);
		f->shown[a] = level_param(form_get(&q->body_form, name), top);
		name = arena_printf(q->cx.a, "level_%s", aspect_code[a]);
		f->chosen[a] = level_param(form_get(&q->body_form, name), top);
		name = arena_printf(q->cx.a, "reason_%s", aspect_code[a]);
		f->reason[a] = form_get(&q->body_form, name);
	}
	f->participants = form_get(&q->body_form, "participants");
	f->decision = form_get(&q->body_form, "decision");
	f->decided_on = form_get(&q->body_form, "decided_on");
	/* absent (not emptied): the decision part was not on the page yet */
	if (!f->decided_on)
		f->decided_on = today(&q->cx);
	f->review_on = form_get(&q->body_form, "review_on");
}

/* The scale's levels as choices ("2 Betydande"), from 0 to its top; with
 * "Inte aktuell" (the value "") last when an answer may be taken back:
 * without JavaScript a radio button cannot be unchecked. */
static const struct part_choice *level_choices(struct req *q, const struct scale *s,
					       int not_applicable)
{
	int top = scale_top(s);
	struct part_choice *c = arena_alloc(q->cx.a, (size_t)(top + 3) * sizeof(*c));

	for (int lv = 0; lv <= top; lv++)
		c[lv] = (struct part_choice){ arena_printf(q->cx.a, "%d", lv),
					      level_text(&q->cx, s, lv), NULL };
	if (not_applicable)
		c[top + 1] = (struct part_choice){ "", msg_text(q->cx.lang, M_CLS_NOT_APPLICABLE),
						   NULL };
	return c;
}

static const char *level_value(struct req *q, int lv)
{
	return lv >= 0 ? arena_printf(q->cx.a, "%d", lv) : NULL;
}

/* A text, long text or date field of the classification, with its own
 * label and hint on this page. */
static void input_field(struct req *q, struct html *h, const struct field_errors *errs,
			int field, int label, int help, const char *value)
{
	const struct field_error *fe = field_error_find(errs, field);
	struct part_field f;

	part_field_of(h, &sys_classifications.fields[field], value, fe ? fe->msg : 0, &f);
	f.label = label;
	f.help = help;
	f.rows = 3;
	part_field(h, &f);
}

static void error_summary(struct req *q, struct html *h, const struct field_errors *errs)
{
	const struct entity *e = &sys_classifications;
	size_t n = e->nfields + ASPECT__COUNT;
	const char **names = arena_alloc(q->cx.a, n * sizeof(char *));
	int *labels = arena_alloc(q->cx.a, n * sizeof(int));

	for (size_t i = 0; i < e->nfields; i++) {
		names[i] = e->fields[i].name;
		labels[i] = e->fields[i].label;
	}
	for (int a = 0; a < ASPECT__COUNT; a++) {
		/* the level fields' labels are single letters: name the aspect */
		labels[CLS_LEVEL_K + a] = aspect_label[a];
		names[ERR_QUESTIONS(e, a)] = arena_printf(q->cx.a, "q-%s", aspect_code[a]);
		labels[ERR_QUESTIONS(e, a)] = aspect_label[a];
	}
	page_error_summary(h, names, labels, errs);
}

static void aspect_questions(struct req *q, struct html *h, const struct scale *s,
			     const struct cls_form *f, const struct field_errors *errs, int a)
{
	const struct field_error *fe =
		field_error_find(errs, ERR_QUESTIONS(&sys_classifications, a));
	const struct part_choice *answers = level_choices(q, s, 1);

	h_lit(h, "<section class=\"aspect\"");
	h_attr(h, "id", arena_printf(q->cx.a, "f-q-%s", aspect_code[a]));
	h_attr(h, "aria-labelledby", arena_printf(q->cx.a, "h-%s", aspect_code[a]));
	h_lit(h, "><h2");
	h_attr(h, "id", arena_printf(q->cx.a, "h-%s", aspect_code[a]));
	h_lit(h, ">");
	h_msg(h, aspect_label[a]);
	h_lit(h, "</h2><p class=\"hint\">");
	h_msg(h, aspect_intro[a]);
	h_lit(h, "</p>");
	if (fe) {
		h_lit(h, "<p class=\"error\" role=\"alert\">");
		h_msg(h, fe->msg);
		h_lit(h, "</p>");
	}
	for (int c = 0; c < CAT__COUNT; c++)
		part_field(h, &(struct part_field){
			.type = PI_RADIOS, .cls = "question",
			.name = arena_printf(q->cx.a, "a_%s_%s", aspect_code[a], cat_code[c]),
			.label_lead = cat_label[c], .label = question[a][c],
			.choices = answers, .value = level_value(q, f->answer[a][c]) });
	h_lit(h, "</section>");
}

static void aspect_decision(struct req *q, struct html *h, const struct scale *s,
			    const struct cls_form *f, const struct field_errors *errs, int a)
{
	const struct field_error *fe = field_error_find(errs, CLS_LEVEL_K + a);
	const char *name = arena_printf(q->cx.a, "level_%s", aspect_code[a]);

	h_lit(h, "<div class=\"aspect-decision\"><h3>");
	h_msg(h, aspect_label[a]);
	h_lit(h, "</h3>");
	if (f->proposed[a] >= 0) {
		part_hidden(h, arena_printf(q->cx.a, "proposed_%s", aspect_code[a]),
			    level_value(q, f->proposed[a]));
		h_lit(h, "<p>");
		h_msg(h, M_CLS_PROPOSED);
		h_lit(h, ": <strong class=\"proposal\">");
		h_text(h, level_text(&q->cx, s, f->proposed[a]));
		h_lit(h, "</strong></p>");
	}
	part_field(h, &(struct part_field){
		.type = PI_RADIOS, .name = name, .choices = level_choices(q, s, 0),
		.label_text = arena_printf(q->cx.a, "%s: %s", msg_text(q->cx.lang, M_CLS_CHOSEN),
					   msg_text(q->cx.lang, aspect_label[a])),
		.value = level_value(q, f->chosen[a]), .error = fe ? fe->msg : 0 });
	input_field(q, h, errs, CLS_REASON_K + a,
		    sys_classifications.fields[CLS_REASON_K + a].label, M_H_CLS_REASON,
		    f->reason[a]);
	h_lit(h, "</div>");
}

static void classify_form(struct req *q, struct resp *r, const struct record *inf,
			  const struct scale *s, const struct cls_form *f,
			  const struct field_errors *errs, int notice, int status)
{
	struct html h;
	int outside = 0;

	page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s", msg_text(q->cx.lang, M_CLS_TITLE),
					       inf->v[INF_NAME]));
	r->status = status;
	if (notice)
		page_notice(&h, notice);
	error_summary(q, &h, errs);
	h_lit(&h, "<p>");
	h_msg(&h, M_CLS_INTRO);
	h_lit(&h, "</p>");
	if (inf->v[INF_SECURITY_PROTECTION] && strcmp(inf->v[INF_SECURITY_PROTECTION], "1") == 0) {
		h_lit(&h, "<div class=\"notice warning\" role=\"note\"><p>");
		h_msg(&h, M_CLS_WARN_SECURITY_FLAG);
		h_lit(&h, "</p></div>");
	}
	legal_flags(q, inf, &h);

	/* the scale, with its criteria; <details> opens without JavaScript */
	h_lit(&h, "<details class=\"scale\"><summary>");
	h_msg(&h, M_CLS_SCALE_USED);
	h_lit(&h, ": ");
	h_text(&h, s->name);
	h_lit(&h, "</summary><dl>");
	for (int lv = 0; lv <= scale_top(s); lv++) {
		h_lit(&h, "<dt>");
		h_text(&h, level_text(&q->cx, s, lv));
		h_lit(&h, "</dt><dd>");
		if (s->criteria[lv])
			h_text(&h, s->criteria[lv]);
		else
			h_lit(&h, "<span class=\"muted\">–</span>");
		h_lit(&h, "</dd>");
	}
	h_lit(&h, "</dl></details>");

	h_lit(&h, "<form method=\"post\" class=\"record classify\" novalidate action=\"");
	h_url(&h, "/o/%s/information/%lld/classify", q->cx.org->slug, (long long)inf->id);
	h_lit(&h, "\">");
	h_csrf(&h);
	for (int a = 0; a < ASPECT__COUNT; a++)
		aspect_questions(q, &h, s, f, errs, a);
	/* first in the form, so Enter in a field asks for a proposal, which
	 * keeps everything typed, rather than saving */
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"propose\"");
	if (!f->proposing)
		h_lit(&h, " class=\"primary\"");
	h_lit(&h, ">");
	h_msg(&h, M_CLS_PROPOSE);
	h_lit(&h, "</button>");
	if (!f->proposing)
		part_button_link(&h, M_CANCEL, 0, "/o/%s/information/%lld", q->cx.org->slug,
				 (long long)inf->id);
	h_lit(&h, "</div>");

	if (f->proposing) {
		part_section_begin(&h, "h-decision", M_CLS_DECISION_HEADING);
		h_lit(&h, "<p>");
		h_msg(&h, M_CLS_DECISION_INTRO);
		h_lit(&h, "</p>");
		for (int a = 0; a < ASPECT__COUNT; a++)
			outside |= outside_baseline(s, f->chosen[a]) ||
				   outside_baseline(s, f->proposed[a]);
		if (outside) {
			h_lit(&h, "<div class=\"notice warning\" role=\"alert\"><p><strong>");
			h_msg(&h, M_CLS_WARN_OUTSIDE);
			h_lit(&h, "</strong></p></div>");
		}
		for (int a = 0; a < ASPECT__COUNT; a++)
			aspect_decision(q, &h, s, f, errs, a);
		input_field(q, &h, errs, CLS_PARTICIPANTS, M_F_PARTICIPANTS, M_H_PARTICIPANTS,
			    f->participants);
		input_field(q, &h, errs, CLS_DECISION, M_F_DECISION, 0, f->decision);
		input_field(q, &h, errs, CLS_DECIDED_ON, M_F_DECIDED_ON, M_H_CLS_DECIDED_ON,
			    f->decided_on);
		input_field(q, &h, errs, CLS_REVIEW_ON, M_F_REVIEW_ON, M_H_REVIEW_ON, f->review_on);
		h_lit(&h, "<div class=\"actions\"><button type=\"submit\" name=\"action\""
		      " value=\"save\" class=\"primary\">");
		h_msg(&h, M_CLS_SAVE);
		h_lit(&h, "</button>");
		part_button_link(&h, M_CANCEL, 0, "/o/%s/information/%lld", q->cx.org->slug,
				 (long long)inf->id);
		h_lit(&h, "</div>");
		part_section_end(&h);
	}
	h_lit(&h, "</form>");
	page_end(q, r, &h);
}

/* The information set of the URL, live, in the request's organisation;
 * answers the error itself otherwise. */
static int load_infoset(struct req *q, struct resp *r, struct record *inf)
{
	struct db_error err = { 0 };

	if (entity_get(&q->cx, &sys_infosets, req_id(q), inf, &err) != 0) {
		respond_error(q, r, err.code == DBE_NOTFOUND ? 404 : 500);
		return -1;
	}
	if (!may_classify(q, inf)) {
		respond_error(q, r, 403);
		return -1;
	}
	if (inf->archived) { /* restore it first; nothing derives from it now */
		respond_error(q, r, 404);
		return -1;
	}
	return 0;
}

static void classify_page(struct req *q, struct resp *r)
{
	struct record inf;
	struct scale s;
	struct cls_form f;

	if (load_infoset(q, r, &inf) != 0)
		return;
	scale_for_display(q->cx.a, scale_current(&q->cx), &s);
	memset(&f, 0, sizeof(f));
	for (int a = 0; a < ASPECT__COUNT; a++) {
		for (int c = 0; c < CAT__COUNT; c++)
			f.answer[a][c] = -1;
		f.proposed[a] = f.shown[a] = f.chosen[a] = -1;
	}
	classify_form(q, r, &inf, &s, &f, NULL, 0, 200);
}

static const char *answers_json(struct req *q, const struct cls_form *f)
{
	json_t *root = json_object(), *answers = json_object(), *proposed = json_object();
	char *text;
	const char *out;

	for (int a = 0; a < ASPECT__COUNT; a++) {
		json_t *o = json_object();
		for (int c = 0; c < CAT__COUNT; c++)
			if (f->answer[a][c] >= 0)
				json_object_set_new(o, cat_code[c], json_integer(f->answer[a][c]));
		json_object_set_new(answers, aspect_code[a], o);
		json_object_set_new(proposed, aspect_code[a], json_integer(f->proposed[a]));
	}
	json_object_set_new(root, "answers", answers);
	json_object_set_new(root, "proposed", proposed);
	text = json_dumps(root, JSON_COMPACT);
	out = text ? arena_strdup(q->cx.a, text) : NULL;
	free(text);
	json_decref(root);
	return out;
}

static void classify_action(struct req *q, struct resp *r)
{
	const struct entity *e = &sys_classifications;
	struct record inf, rec = { 0 };
	struct scale s;
	struct cls_form f;
	struct field_errors errs = { .n = 0 };
	struct db_error err = { 0 };
	const char *action = form_get(&q->body_form, "action");
	const char *scale_text = scale_current(&q->cx);
	const char **vals;
	int changed = 0;

	if (load_infoset(q, r, &inf) != 0)
		return;
	scale_for_display(q->cx.a, scale_text, &s);
	memset(&f, 0, sizeof(f));
	read_form(q, &s, &f);
	f.proposing = 1;
	for (int a = 0; a < ASPECT__COUNT; a++)
		if (f.proposed[a] < 0)
			field_error_add(&errs, ERR_QUESTIONS(e, a), M_V_CLS_ANSWER_ONE, "required");

	if (!action || strcmp(action, "save") != 0) {
		/* A proposal.  A chosen level that followed the previous
		 * proposal follows the new one; one the person changed stays. */
		for (int a = 0; a < ASPECT__COUNT; a++)
			if (f.chosen[a] < 0 || f.chosen[a] == f.shown[a])
				f.chosen[a] = f.proposed[a];
		classify_form(q, r, &inf, &s, &f, &errs, 0, errs.n ? 422 : 200);
		return;
	}

	/* Saving what the page did not show would record a level nobody saw:
	 * answers changed since the proposal bring the page back. */
	for (int a = 0; a < ASPECT__COUNT; a++)
		changed |= f.proposed[a] >= 0 && f.shown[a] != f.proposed[a];
	if (changed && errs.n == 0) {
		for (int a = 0; a < ASPECT__COUNT; a++)
			if (f.chosen[a] < 0 || f.chosen[a] == f.shown[a])
				f.chosen[a] = f.proposed[a];
		classify_form(q, r, &inf, &s, &f, NULL, M_CLS_PROPOSAL_CHANGED, 200);
		return;
	}

	vals = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(char *));
	vals[CLS_INFOSET] = arena_printf(q->cx.a, "%lld", (long long)inf.id);
	for (int a = 0; a < ASPECT__COUNT; a++) {
		if (f.chosen[a] < 0 && f.proposed[a] >= 0)
			field_error_add(&errs, CLS_LEVEL_K + a, M_V_CLS_BAD_LEVEL, "invalid");
		vals[CLS_LEVEL_K + a] = f.chosen[a] >= 0 ?
			arena_printf(q->cx.a, "%d", f.chosen[a]) : NULL;
		vals[CLS_REASON_K + a] = f.reason[a];
	}
	vals[CLS_PARTICIPANTS] = f.participants;
	vals[CLS_DECISION] = f.decision;
	vals[CLS_DECIDED_ON] = f.decided_on;
	vals[CLS_REVIEW_ON] = f.review_on;
	vals[CLS_ANSWERS] = answers_json(q, &f);
	vals[CLS_SCALE] = scale_text;
	{
		/* the engine's checks, less "required" on levels already
		 * explained above (no answers, or not a level) */
		struct field_errors more = { .n = 0 };
		entity_record_from_values(&q->cx, e, vals, &rec, &more);
		for (size_t i = 0; i < more.n; i++) {
			int fi = more.e[i].field;
			if (fi >= CLS_LEVEL_K && fi <= CLS_LEVEL_S && strcmp(more.e[i].code, "required") == 0)
				continue;
			field_error_add(&errs, fi, more.e[i].msg, more.e[i].code);
		}
	}
	/* a level other than the proposal needs a motivation (normalised:
	 * spaces alone are no motivation) */
	for (int a = 0; a < ASPECT__COUNT; a++)
		if (f.chosen[a] >= 0 && f.proposed[a] >= 0 && f.chosen[a] != f.proposed[a] &&
		    !rec.v[CLS_REASON_K + a] && !field_error_find(&errs, CLS_REASON_K + a))
			field_error_add(&errs, CLS_REASON_K + a, M_V_CLS_REASON_NEEDED, "required");
	if (errs.n == 0 && entity_create(&q->cx, e, &rec, &errs, &err) == 0) {
		resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/information/%lld?saved=1",
						 q->cx.org->slug, (long long)inf.id));
		return;
	}
	if (errs.n == 0) {
		log_error("classify information set %lld: %s", (long long)inf.id, err.msg);
		respond_error(q, r, 500);
		return;
	}
	classify_form(q, r, &inf, &s, &f, &errs, 0, 422);
}

/* ---- the information set's page ---- */

static const char sql_latest[] =
	"SELECT id, scale_json FROM classification"
	" WHERE org_id = $1 AND infoset_id = $2 AND archived = 0"
	" ORDER BY decided_on DESC, id DESC LIMIT 1";

static const char sql_handling_systems[] =
	"SELECT DISTINCT s.id, s.name, s.name_sk, s.level_k, s.level_r, s.level_t, s.level_s,"
	" s.business_critical"
	" FROM system_information l"
	" JOIN it_system s ON s.id = l.system_id AND s.org_id = l.org_id AND s.archived = 0"
	" WHERE l.org_id = $1 AND l.infoset_id = $2 AND l.archived = 0"
	" ORDER BY s.name_sk, s.id";

static void current_section(struct req *q, const struct record *rec, struct html *h)
{
	struct db_rows rows;
	struct db_error err;
	struct scale s;
	const char *lv[ASPECT__COUNT];
	const char *review = rec->v[INF_REVIEW_ON];
	int outside = 0;

	part_section_begin(h, "cls-current", M_CLS_CURRENT);
	for (int a = 0; a < ASPECT__COUNT; a++)
		lv[a] = rec->v[INF_LEVEL_K + a];
	if (!lv[0]) {
		part_empty(h, M_CLS_NONE);
	} else {
		/* the names of the scale the decision used, not today's */
		if (db_exec(q->cx.db, q->cx.a, sql_latest, DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)),
			    &rows, &err) != 0) {
			req_fail(q, "the latest classification", &err);
			rows.nrows = 0;
		}
		if (rows.nrows == 1)
			scale_for_display(q->cx.a, db_cell(&rows, 0, 1), &s);
		else
			scale_for_display(q->cx.a, klassa_default_scale, &s);
		h_lit(h, "<p class=\"profile\"><strong>");
		profile(h, lv);
		h_lit(h, "</strong></p>");
		part_dl_begin(h);
		for (int a = 0; a < ASPECT__COUNT; a++) {
			int64_t x = 0;
			if (lv[a])
				parse_i64(lv[a], &x);
			outside |= lv[a] && outside_baseline(&s, (int)x);
			part_dl_item(h, aspect_label[a],
				     lv[a] ? level_text(&q->cx, &s, (int)x) : NULL);
		}
		part_dl_item(h, M_F_DECIDED_ON, rec->v[INF_CLASSIFIED_ON]);
		part_dl_item(h, M_F_REVIEW_ON, review);
		part_dl_end(h);
		if (review && strcmp(review, today(&q->cx)) < 0) {
			h_lit(h, "<div class=\"notice warning\" role=\"note\"><p>");
			h_msg(h, M_CLS_OVERDUE);
			h_lit(h, "</p></div>");
		}
		if (outside) {
			h_lit(h, "<div class=\"notice warning\" role=\"note\"><p>");
			h_msg(h, M_CLS_OUTSIDE_NOTE);
			h_lit(h, "</p></div>");
		}
	}
	if (may_classify(q, rec) && !rec->archived)
		part_add_link(h, M_CLS_TITLE, "/o/%s/information/%lld/classify", q->cx.org->slug,
			      (long long)rec->id);
	part_section_end(h);
}

/* Every live classification, newest first; none: "not classified yet"
 * above says it already.  Classifying is the guided page's (above). */
static const int history_cols[] = {
	CLS_DECIDED_ON, CLS_LEVEL_K, CLS_LEVEL_R, CLS_LEVEL_T, CLS_LEVEL_S, CLS_REVIEW_ON,
	CLS_PARTICIPANTS, -1,
};

static void history_section(struct req *q, const struct record *rec, struct html *h)
{
	part_related(h, &(struct part_related){ .e = &sys_classifications, .ref_field = CLS_INFOSET,
						.cols = history_cols, .id = "cls-history",
						.heading = M_CLS_HISTORY, .sort = "decided_on",
						.desc = 1 },
		     rec);
}

/* The systems' levels and business-criticality come from a join: the
 * section keeps its query and writes through the table part. */
static void systems_section(struct req *q, const struct record *rec, struct html *h)
{
	struct db_rows rows;
	struct db_error err;

	if (db_exec(q->cx.db, q->cx.a, sql_handling_systems,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_INT(rec->id)), &rows, &err) != 0) {
		req_fail(q, "the systems of an information set", &err);
		return;
	}
	part_section_begin_n(h, "cls-systems", M_CLS_SYSTEMS, (int64_t)rows.nrows);
	if (rows.nrows == 0) {
		part_empty(h, M_CLS_SYSTEMS_NONE);
	} else {
		part_table_begin(h, 0, "cls-systems");
		part_th(h, M_SYSTEM);
		part_th(h, M_CLS_PROFILE);
		part_table_body(h);
		for (size_t i = 0; i < rows.nrows; i++) {
			const char *lv[ASPECT__COUNT];
			for (int a = 0; a < ASPECT__COUNT; a++)
				lv[a] = db_cell(&rows, i, 3 + (size_t)a);
			part_tr(h);
			part_th_row_begin(h);
			part_link(h, db_cell(&rows, i, 1), "/o/%s/%s/%s", q->cx.org->slug,
				  sys_systems.name, db_cell(&rows, i, 0));
			part_th_row_end(h);
			part_td_begin(h);
			profile(h, lv);
			if (db_cell_i64(&rows, i, 7)) {
				h_lit(h, " ");
				part_badge(h, M_F_BUSINESS_CRITICAL, "critical");
			}
			part_td_end(h);
			part_tr_end(h);
		}
		part_table_end(h);
	}
	if ((q->cx.org->roles & sys_handles.roles_write) && !rec->archived)
		part_add_link(h, M_CLS_LINK_SYSTEM, "/o/%s/%s/new?infoset_id=%lld", q->cx.org->slug,
			      sys_handles.name, (long long)rec->id);
	part_section_end(h);
}

void infoset_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h)
{
	current_section(q, rec, h);
	history_section(q, rec, h);
	legal_flags(q, rec, h);
	systems_section(q, rec, h);
}

/* ---- what is due for review ---- */

#define REVIEW_LIMIT 500

/* Never classified first (no date at all), then the oldest review date;
 * the CASE keeps NULLs first on both engines (SQLite and PostgreSQL order
 * them differently by default).  LIMIT is REVIEW_LIMIT + 1: the extra row
 * says there are more. */
static const char sql_review_due[] =
	"SELECT id, name, review_on, level_k, level_r, level_t, level_s"
	" FROM information_set WHERE org_id = $1 AND archived = 0"
	" AND (($3 = '' AND (review_on IS NULL OR review_on < $2))"
	"  OR ($3 = 'unclassified' AND classified_on IS NULL)"
	"  OR ($3 = 'overdue' AND review_on < $2))"
	" AND ($4 = 0 OR owner_id = $4) AND ($5 = 0 OR unit_id = $5)"
	" ORDER BY CASE WHEN review_on IS NULL THEN 0 ELSE 1 END, review_on, name_sk, id"
	" LIMIT 501";

static void review_page(struct req *q, struct resp *r)
{
	struct db_rows rows;
	struct db_error err;
	struct html h;
	size_t n;

	/* narrowed as the start page's lines link to it (modules/systems/module.c):
	 * never classified or overdue, someone's, a unit's */
	const char *show = req_param(q, "show");

	if (!show || (strcmp(show, "unclassified") != 0 && strcmp(show, "overdue") != 0))
		show = "";
	if (db_exec(q->cx.db, q->cx.a, sql_review_due,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_TEXT(today(&q->cx)), DB_TEXT(show),
			    DB_INT(req_int(q, "owner_id", 1, INT64_MAX, 0)),
			    DB_INT(req_int(q, "unit_id", 1, INT64_MAX, 0))),
		    &rows, &err) != 0) {
		log_error("review list: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	n = rows.nrows > REVIEW_LIMIT ? REVIEW_LIMIT : rows.nrows;
	page_begin(q, r, &h, M_CLS_REVIEW_TITLE);
	h_lit(&h, "<p>");
	h_msg(&h, M_CLS_REVIEW_INTRO);
	h_lit(&h, "</p>");
	if (n == 0) {
		part_empty(&h, M_CLS_REVIEW_NONE);
		page_end(q, r, &h);
		return;
	}
	if (rows.nrows > REVIEW_LIMIT) {
		h_lit(&h, "<p class=\"notice\" role=\"status\">");
		h_msg_n(&h, M_CLS_REVIEW_LIMIT, REVIEW_LIMIT);
		h_lit(&h, "</p>");
	}
	part_table_begin(&h, M_CLS_REVIEW_TITLE, NULL);
	part_th(&h, M_INFOSET);
	part_th(&h, M_F_REVIEW_ON);
	part_th(&h, M_CLS_LEVELS);
	if (may_classify(q, NULL))
		part_th(&h, M_CLS_TITLE);
	part_table_body(&h);
	for (size_t i = 0; i < n; i++) {
		const char *lv[ASPECT__COUNT];
		for (int a = 0; a < ASPECT__COUNT; a++)
			lv[a] = db_cell(&rows, i, 3 + (size_t)a);
		part_tr(&h);
		part_th_row_begin(&h);
		part_link(&h, db_cell(&rows, i, 1), "/o/%s/%s/%s", q->cx.org->slug,
			  sys_infosets.name, db_cell(&rows, i, 0));
		part_th_row_end(&h);
		if (db_cell(&rows, i, 2))
			part_td(&h, db_cell(&rows, i, 2));
		else
			part_td_msg(&h, M_CLS_NEVER);
		part_td_begin(&h);
		if (db_cell(&rows, i, 2))
			profile(&h, lv);
		part_td_end(&h);
		if (may_classify(q, NULL)) {
			part_td_begin(&h);
			part_link(&h, msg_text(q->cx.lang, M_CLS_TITLE),
				  "/o/%s/information/%s/classify", q->cx.org->slug,
				  db_cell(&rows, i, 0));
			part_td_end(&h);
		}
		part_tr_end(&h);
	}
	part_table_end(&h);
	page_end(q, r, &h);
}

/* ---- routes ---- */

/* Texts as long as the body: too long gets the field's message, not a 400
 * that would lose what was typed (as the generic forms do). */
#define TEXT_MAX (64 * 1024)
#define ANSWER_PARAMS(a) \
	{ "a_" a "_operations", P_STR, 4 }, { "a_" a "_finances", P_STR, 4 }, \
	{ "a_" a "_trust", P_STR, 4 }, { "a_" a "_legal", P_STR, 4 }, \
	{ "a_" a "_life_health", P_STR, 4 }, { "a_" a "_privacy", P_STR, 4 }, \
	{ "proposed_" a, P_STR, 4 }, { "level_" a, P_STR, 4 }, { "reason_" a, P_STR, TEXT_MAX }

static const struct param classify_params[] = {
	{ "csrf", P_STR, 128 }, { "action", P_STR, 16 },
	ANSWER_PARAMS("k"), ANSWER_PARAMS("r"), ANSWER_PARAMS("t"), ANSWER_PARAMS("s"),
	{ "participants", P_STR, TEXT_MAX }, { "decision", P_STR, TEXT_MAX },
	{ "decided_on", P_STR, 32 }, { "review_on", P_STR, 32 },
	{ NULL, 0, 0 },
};

static const struct param review_params[] = {
	{ "show", P_STR, 16 }, { "owner_id", P_INT, INT64_MAX }, { "unit_id", P_INT, INT64_MAX },
	{ NULL, 0, 0 },
};

const struct route classify_routes[] = {
	{ "GET", "/o/{org}/information/{id}/classify", classify_page, ROLES_CLASSIFY, 0, 0,
	  NULL, NULL },
	{ "POST", "/o/{org}/information/{id}/classify", classify_action, ROLES_CLASSIFY, 0,
	  BODY_FORM, classify_params, NULL },
	{ "GET", "/o/{org}/information-review", review_page, ROLES_STAFF, 0, 0, review_params,
	  NULL },
	{ NULL, NULL, NULL, 0, 0, 0, NULL, NULL },
};
