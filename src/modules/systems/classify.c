/* classify.c - guided classification of an information set (seed 001 §5,
 * SKR's KLASSA) and what surrounds it:
 *
 *   /o/{org}/information/{id}/classify   a wizard, one step per aspect
 *       (K, R, T, S) with its questions per consequence category, then the
 *       decision: the highest answer per aspect is the proposal, which the
 *       person classifying confirms or changes with a motivation; an aspect
 *       may be left not analysed (stored as NULL, never 0).  Works without
 *       JavaScript: each step posts the whole form (the other steps' answers
 *       as hidden fields), "Spara klassning" creates the classification
 *       through the engine (audit trail and re-derivation of the systems in
 *       the same transaction);
 *   the information set's page section (sys_infosets.show_extra): current
 *       classification, history, legal flags and the systems handling it;
 *   /o/{org}/information-review          sets never classified or overdue;
 *   the scale's rules (sys_scales.validate and .after_write).
 */
#include "base/base.h"

#include <jansson.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "core/module.h"
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

/* ---- the guided classification: a wizard ----
 *
 * One step per aspect (K, R, T, S), then the decision: five pages of one
 * form, each a POST that carries the answers of the other steps as hidden
 * fields, so nothing is kept on the server and every answer survives going
 * back and forth and a refused decision.  Each step names itself ("Steg 2
 * av 5: Riktighet") and shows where it is in an ordered list with
 * aria-current="step".  An aspect may be left "not analysed" (R-3-04): no
 * level is stored for it (NULL), never 0.  The decision step opens with the
 * proposal, which takes the focus (autofocus on its heading). */

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

/* The steps: one per aspect (its index), then the decision. */
#define STEP_DECISION ASPECT__COUNT
#define STEPS (ASPECT__COUNT + 1)

/* A level, or one of these. */
#define LV_NONE (-1)  /* no answer, no choice */
#define LV_NA (-2)    /* the aspect is not analysed: stored as NULL */

struct cls_form {
	int answer[ASPECT__COUNT][CAT__COUNT]; /* level or LV_NONE */
	int na[ASPECT__COUNT];                 /* marked "not analysed" */
	int proposed[ASPECT__COUNT];           /* level, LV_NA, or LV_NONE: none */
	int shown[ASPECT__COUNT];              /* the proposal the decision step showed */
	int chosen[ASPECT__COUNT];             /* level, LV_NA or LV_NONE */
	const char *reason[ASPECT__COUNT];
	const char *participants, *decision, *decided_on, *review_on;
	int security;                          /* the set concerns Sweden's security */
	int sec_floor;                         /* its lowest K then */
	int sec_confirmed;
	int step;                              /* the step shown */
};

/* Error "fields" beyond the classification's own: one per aspect's
 * questions (anchor f-q-k ...), and the security confirmation. */
#define ERR_QUESTIONS(e, a) ((int)(e)->nfields + (a))
#define ERR_SECURITY(e) ((int)(e)->nfields + ASPECT__COUNT)

static int level_param(const char *v, int top, int na_allowed)
{
	int64_t x;

	if (na_allowed && v && strcmp(v, "na") == 0)
		return LV_NA;
	if (!v || parse_i64(v, &x) != 0 || x < 0 || x > top)
		return LV_NONE;
	return (int)x;
}

static const char *level_value(struct req *q, int lv)
{
	if (lv == LV_NA)
		return "na";
	return lv >= 0 ? arena_printf(q->cx.a, "%d", lv) : NULL;
}

static int flag_set(const struct record *inf, int field)
{
	return inf->v[field] && strcmp(inf->v[field], "1") == 0;
}

/* Where information concerning Sweden's security starts (R-3-06): the
 * scale's lowest level outside the baseline, or its top when it marks
 * none. */
static int security_floor(const struct scale *s)
{
	for (int lv = 0; lv <= scale_top(s); lv++)
		if (outside_baseline(s, lv))
			return lv;
	return scale_top(s);
}

/* The proposal per aspect: the highest answer, "not analysed" when so
 * marked; confidentiality of information concerning Sweden's security at
 * least at the level outside the baseline. */
static void propose(struct cls_form *f)
{
	for (int a = 0; a < ASPECT__COUNT; a++) {
		f->proposed[a] = LV_NONE;
		if (f->na[a]) {
			f->proposed[a] = LV_NA;
			continue;
		}
		for (int c = 0; c < CAT__COUNT; c++)
			if (f->answer[a][c] > f->proposed[a])
				f->proposed[a] = f->answer[a][c];
	}
	if (f->security && f->sec_floor > f->proposed[ASPECT_K])
		f->proposed[ASPECT_K] = f->sec_floor;
}

static void read_form(struct req *q, const struct record *inf, const struct scale *s,
		      struct cls_form *f)
{
	const struct form *b = &q->body_form;
	int top = scale_top(s);
	int64_t step = 0;

	memset(f, 0, sizeof(*f));
	f->security = flag_set(inf, INF_SECURITY_PROTECTION);
	f->sec_floor = security_floor(s);
	for (int a = 0; a < ASPECT__COUNT; a++) {
		const char *x = aspect_code[a];

		for (int c = 0; c < CAT__COUNT; c++)
			f->answer[a][c] = level_param(
				form_get(b, arena_printf(q->cx.a, "a_%s_%s", x, cat_code[c])), top, 0);
		/* confidentiality of security-protected information is always assessed */
		f->na[a] = form_get(b, arena_printf(q->cx.a, "na_%s", x)) &&
			   !(f->security && a == ASPECT_K);
		f->shown[a] = level_param(form_get(b, arena_printf(q->cx.a, "proposed_%s", x)),
					  top, 1);
		f->chosen[a] = level_param(form_get(b, arena_printf(q->cx.a, "level_%s", x)), top, 1);
		f->reason[a] = form_get(b, arena_printf(q->cx.a, "reason_%s", x));
	}
	f->sec_confirmed = form_get(b, "sec_confirm") != NULL;
	f->participants = form_get(b, "participants");
	f->decision = form_get(b, "decision");
	f->decided_on = form_get(b, "decided_on");
	/* absent (not emptied): the decision step was not shown yet */
	if (!f->decided_on)
		f->decided_on = today(&q->cx);
	f->review_on = form_get(b, "review_on");
	if (parse_i64(form_get(b, "step"), &step) != 0 || step < 0 || step >= STEPS)
		step = 0;
	f->step = (int)step;
	propose(f);
}

/* A new form: nothing answered, the first step. */
static void empty_form(struct req *q, const struct record *inf, const struct scale *s,
		       struct cls_form *f)
{
	memset(f, 0, sizeof(*f));
	for (int a = 0; a < ASPECT__COUNT; a++) {
		for (int c = 0; c < CAT__COUNT; c++)
			f->answer[a][c] = LV_NONE;
		f->shown[a] = f->chosen[a] = LV_NONE;
	}
	f->security = flag_set(inf, INF_SECURITY_PROTECTION);
	f->sec_floor = security_floor(s);
	f->decided_on = today(&q->cx);
	propose(f);
}

/* "2 Betydande", "4 Synnerligen allvarlig (utanför basnivån)". */
static const char *level_label(struct req *q, const struct scale *s, int lv)
{
	if (outside_baseline(s, lv))
		return arena_printf(q->cx.a, "%s (%s)", level_text(&q->cx, s, lv),
				    msg_text(q->cx.lang, M_WZ_OUTSIDE));
	return level_text(&q->cx, s, lv);
}

/* The scale's levels as choices, from 0 to its top; with "Inte aktuell"
 * (the value "") last for a question, whose answer may be taken back
 * (without JavaScript a radio button cannot be unchecked), or "Inte
 * analyserad" ("na") for the decision on an aspect. */
static const struct part_choice *level_choices(struct req *q, const struct scale *s, int last)
{
	int top = scale_top(s);
	struct part_choice *c = arena_alloc(q->cx.a, (size_t)(top + 3) * sizeof(*c));

	for (int lv = 0; lv <= top; lv++)
		c[lv] = (struct part_choice){ arena_printf(q->cx.a, "%d", lv),
					      level_label(q, s, lv), NULL };
	if (last)
		c[top + 1] = (struct part_choice){ last == M_WZ_NOT_ANALYSED ? "na" : "",
						   msg_text(q->cx.lang, last), NULL };
	return c;
}

/* A level as a chip: the aspect's letter, the level and its name, framed
 * and coloured by level - the text says it all without the colour.  "K –
 * Inte analyserad" for an aspect not analysed. */
static void level_chip(struct req *q, struct html *h, const struct scale *s, int a, int lv,
		       int note)
{
	h_lit(h, "<span class=\"cls-chip ");
	if (lv >= 0)
		h_textf(h, "lv%d", lv > LEVEL_MAX ? LEVEL_MAX : lv);
	else
		h_lit(h, "na");
	h_lit(h, "\"><abbr");
	h_attr(h, "title", msg_text(q->cx.lang, aspect_label[a]));
	h_lit(h, ">");
	h_textf(h, "%c", aspect_letter[a]);
	h_lit(h, "</abbr>");
	if (lv >= 0) {
		h_text(h, level_text(&q->cx, s, lv));
		if (outside_baseline(s, lv)) {
			h_lit(h, " (");
			h_msg(h, M_WZ_OUTSIDE);
			h_lit(h, ")");
		}
	} else {
		h_lit(h, " ");
		h_msg(h, M_WZ_NOT_ANALYSED);
	}
	if (note) {
		h_lit(h, " – ");
		h_msg(h, note);
	}
	h_lit(h, "</span>");
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
	size_t n = e->nfields + ASPECT__COUNT + 1;
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
	names[ERR_SECURITY(e)] = "sec_confirm";
	labels[ERR_SECURITY(e)] = M_WZ_SEC_HEADING;
	page_error_summary(h, names, labels, errs);
}

static int step_label(int step)
{
	return step == STEP_DECISION ? M_WZ_DECISION : aspect_label[step];
}

/* "Steg 2 av 5" and the list of the steps, the current one marked. */
static void step_list(struct req *q, struct html *h, int step)
{
	h_lit(h, "<ol class=\"cls-steps\"");
	h_attr(h, "aria-label", msg_text(q->cx.lang, M_WZ_STEPS));
	h_lit(h, ">");
	for (int i = 0; i < STEPS; i++) {
		h_lit(h, "<li");
		if (i == step)
			h_lit(h, " aria-current=\"step\"");
		else if (i < step)
			h_lit(h, " class=\"done\"");
		h_lit(h, ">");
		h_msg(h, step_label(i));
		h_lit(h, "</li>");
	}
	h_lit(h, "</ol>");
}

static void step_heading(struct req *q, struct html *h, int step)
{
	h_lit(h, "<h2 id=\"step-h\">");
	h_textf(h, "%s %d %s %d: %s", msg_text(q->cx.lang, M_WZ_STEP), step + 1,
		msg_text(q->cx.lang, M_WZ_OF), STEPS, msg_text(q->cx.lang, step_label(step)));
	h_lit(h, "</h2>");
}

/* Everything the page does not show as a control, as hidden fields: the
 * answers of the other aspects, the decision's fields before and after it. */
static void hidden_state(struct req *q, struct html *h, const struct cls_form *f)
{
	part_hidden(h, "step", arena_printf(q->cx.a, "%d", f->step));
	for (int a = 0; a < ASPECT__COUNT; a++) {
		const char *x = aspect_code[a];

		if (a != f->step) {
			for (int c = 0; c < CAT__COUNT; c++)
				part_hidden(h, arena_printf(q->cx.a, "a_%s_%s", x, cat_code[c]),
					    level_value(q, f->answer[a][c]));
			if (f->na[a])
				part_hidden(h, arena_printf(q->cx.a, "na_%s", x), "1");
		}
		part_hidden(h, arena_printf(q->cx.a, "proposed_%s", x),
			    level_value(q, f->step == STEP_DECISION ? f->proposed[a] : f->shown[a]));
		if (f->step != STEP_DECISION) {
			part_hidden(h, arena_printf(q->cx.a, "level_%s", x),
				    level_value(q, f->chosen[a]));
			part_hidden(h, arena_printf(q->cx.a, "reason_%s", x), f->reason[a]);
		}
	}
	if (f->sec_confirmed && f->step != ASPECT_K)
		part_hidden(h, "sec_confirm", "1");
	if (f->step != STEP_DECISION) {
		part_hidden(h, "participants", f->participants);
		part_hidden(h, "decision", f->decision);
		part_hidden(h, "decided_on", f->decided_on);
		part_hidden(h, "review_on", f->review_on);
	}
}

/* Information concerning Sweden's security (R-3-06): said on the first
 * step, which is not left without confirming that it was escalated. */
static void security_notice(struct req *q, struct html *h, const struct cls_form *f,
			    const struct field_errors *errs, int confirm)
{
	const struct field_error *fe = field_error_find(errs, ERR_SECURITY(&sys_classifications));

	if (!f->security)
		return;
	h_lit(h, "<div class=\"notice warning\" role=\"note\"><p><strong>");
	h_msg(h, M_WZ_SEC_HEADING);
	h_lit(h, "</strong></p><p>");
	h_msg(h, M_WZ_SEC_TEXT);
	h_lit(h, "</p>");
	if (confirm)
		part_field(h, &(struct part_field){
			.type = PI_CHECKBOX, .name = "sec_confirm", .label = M_WZ_SEC_CONFIRM,
			.required = 1, .value = f->sec_confirmed ? "1" : NULL,
			.error = fe ? fe->msg : 0 });
	h_lit(h, "</div>");
}

static void aspect_step(struct req *q, struct html *h, const struct record *inf,
			const struct scale *s, const struct cls_form *f,
			const struct field_errors *errs)
{
	int a = f->step;
	const struct field_error *fe =
		field_error_find(errs, ERR_QUESTIONS(&sys_classifications, a));
	const struct part_choice *answers = level_choices(q, s, M_CLS_NOT_APPLICABLE);
	const char *err_id = fe ? arena_printf(q->cx.a, "f-q-%s-error", aspect_code[a]) : NULL;

	h_lit(h, "<section class=\"aspect\" aria-labelledby=\"step-h\"");
	h_attr(h, "id", arena_printf(q->cx.a, "f-q-%s", aspect_code[a]));
	h_lit(h, ">");
	step_heading(q, h, a);
	h_lit(h, "<p class=\"hint\">");
	h_msg(h, aspect_intro[a]);
	h_lit(h, " ");
	h_msg(h, M_WZ_SCALE_NOTE);
	h_lit(h, "</p>");
	if (a == ASPECT_K)
		security_notice(q, h, f, errs, 1);
	if (fe) {
		h_lit(h, "<p class=\"error\"");
		h_attr(h, "id", err_id);
		h_lit(h, ">");
		h_msg(h, fe->msg);
		h_lit(h, "</p>");
	}
	for (int c = 0; c < CAT__COUNT; c++)
		part_field(h, &(struct part_field){
			.type = PI_RADIOS, .cls = "question",
			.name = arena_printf(q->cx.a, "a_%s_%s", aspect_code[a], cat_code[c]),
			.label_lead = cat_label[c], .label = question[a][c],
			.choices = answers, .value = level_value(q, f->answer[a][c]),
			.describedby = err_id });
	/* security-protected information: confidentiality is always assessed */
	if (!(f->security && a == ASPECT_K))
		part_field(h, &(struct part_field){
			.type = PI_CHECKBOX, .name = arena_printf(q->cx.a, "na_%s", aspect_code[a]),
			.label = M_WZ_NA_CHECK, .help = M_WZ_NA_HINT,
			.value = f->na[a] ? "1" : NULL, .describedby = err_id });
	h_lit(h, "</section>");
}

static void proposal_section(struct req *q, struct html *h, const struct scale *s,
			     const struct cls_form *f, int focus)
{
	h_lit(h, "<section class=\"cls-proposal\" aria-labelledby=\"proposal-h\">"
	      "<h2 id=\"proposal-h\" tabindex=\"-1\"");
	if (focus)
		h_lit(h, " autofocus");
	h_lit(h, ">");
	h_msg(h, M_WZ_PROPOSAL);
	h_lit(h, "</h2><p>");
	h_msg(h, M_WZ_PROPOSAL_INTRO);
	h_lit(h, "</p><ul class=\"cls-chips\">");
	for (int a = 0; a < ASPECT__COUNT; a++) {
		int floor = a == ASPECT_K && f->security && f->proposed[a] == f->sec_floor;
		h_lit(h, "<li>");
		level_chip(q, h, s, a, f->proposed[a], floor ? M_WZ_SEC_FLOOR : 0);
		h_lit(h, "</li>");
	}
	h_lit(h, "</ul></section>");
}

static void aspect_decision(struct req *q, struct html *h, const struct scale *s,
			    const struct cls_form *f, const struct field_errors *errs, int a)
{
	const struct field_error *fe = field_error_find(errs, CLS_LEVEL_K + a);

	h_lit(h, "<div class=\"aspect-decision\">");
	part_field(h, &(struct part_field){
		.type = PI_RADIOS, .cls = "question",
		.name = arena_printf(q->cx.a, "level_%s", aspect_code[a]),
		.choices = level_choices(q, s, f->security && a == ASPECT_K ? 0 : M_WZ_NOT_ANALYSED),
		.label_text = arena_printf(q->cx.a, "%s: %s", msg_text(q->cx.lang, M_CLS_CHOSEN),
					   msg_text(q->cx.lang, aspect_label[a])),
		.value = level_value(q, f->chosen[a]), .error = fe ? fe->msg : 0 });
	input_field(q, h, errs, CLS_REASON_K + a,
		    sys_classifications.fields[CLS_REASON_K + a].label,
		    f->proposed[a] == LV_NA || f->chosen[a] == LV_NA ? M_H_WZ_REASON_NA :
		    M_H_CLS_REASON, f->reason[a]);
	h_lit(h, "</div>");
}

static void decision_step(struct req *q, struct html *h, const struct record *inf,
			  const struct scale *s, const struct cls_form *f,
			  const struct field_errors *errs)
{
	int outside = 0;

	proposal_section(q, h, s, f, !errs || errs->n == 0);
	legal_flags(q, inf, h);
	for (int a = 0; a < ASPECT__COUNT; a++)
		outside |= (f->chosen[a] >= 0 && outside_baseline(s, f->chosen[a])) ||
			   (f->proposed[a] >= 0 && outside_baseline(s, f->proposed[a]));
	if (outside) {
		h_lit(h, "<div class=\"notice warning\" role=\"note\"><p><strong>");
		h_msg(h, M_CLS_WARN_OUTSIDE);
		h_lit(h, "</strong></p></div>");
	}
	h_lit(h, "<section aria-labelledby=\"step-h\">");
	step_heading(q, h, STEP_DECISION);
	h_lit(h, "<p>");
	h_msg(h, M_CLS_DECISION_INTRO);
	h_lit(h, "</p>");
	for (int a = 0; a < ASPECT__COUNT; a++)
		aspect_decision(q, h, s, f, errs, a);
	input_field(q, h, errs, CLS_PARTICIPANTS, M_F_PARTICIPANTS, M_H_PARTICIPANTS,
		    f->participants);
	input_field(q, h, errs, CLS_DECISION, M_F_DECISION, 0, f->decision);
	input_field(q, h, errs, CLS_DECIDED_ON, M_F_DECIDED_ON, M_H_CLS_DECIDED_ON, f->decided_on);
	input_field(q, h, errs, CLS_REVIEW_ON, M_F_REVIEW_ON, M_H_REVIEW_ON, f->review_on);
	h_lit(h, "</section>");
}

static void classify_form(struct req *q, struct resp *r, const struct record *inf,
			  const struct scale *s, const struct cls_form *f,
			  const struct field_errors *errs, int notice, int status)
{
	struct html h;
	int first = f->step == 0, last = f->step == STEP_DECISION;

	page_begin_text(q, r, &h, arena_printf(q->cx.a, "%s: %s", msg_text(q->cx.lang, M_CLS_TITLE),
					       inf->v[INF_NAME]));
	r->status = status;
	if (notice)
		page_notice(&h, notice);
	error_summary(q, &h, errs);
	step_list(q, &h, f->step);
	if (first) {
		h_lit(&h, "<p>");
		h_msg(&h, M_WZ_INTRO);
		h_lit(&h, "</p>");
	}
	if (first)
		legal_flags(q, inf, &h);

	h_lit(&h, "<form method=\"post\" class=\"record classify\" novalidate action=\"");
	h_url(&h, "/o/%s/information/%lld/classify", q->cx.org->slug, (long long)inf->id);
	h_lit(&h, "\">");
	h_csrf(&h);
	hidden_state(q, &h, f);
	if (last)
		decision_step(q, &h, inf, s, f, errs);
	else
		aspect_step(q, &h, inf, s, f, errs);

	/* "Next" (or "Save") first in the form: Enter in the form goes on */
	h_lit(&h, "<div class=\"actions\"><button type=\"submit\" name=\"go\" class=\"primary\"");
	if (last) {
		h_lit(&h, " value=\"save\">");
		h_msg(&h, M_CLS_SAVE);
	} else {
		h_lit(&h, " value=\"next\">");
		h_textf(&h, "%s: %s", msg_text(q->cx.lang, M_WZ_NEXT),
			msg_text(q->cx.lang, step_label(f->step + 1)));
	}
	h_lit(&h, "</button>");
	if (!first) {
		h_lit(&h, "<button type=\"submit\" name=\"go\" value=\"back\">");
		h_textf(&h, "%s: %s", msg_text(q->cx.lang, M_WZ_BACK),
			msg_text(q->cx.lang, step_label(f->step - 1)));
		h_lit(&h, "</button>");
	}
	part_button_link(&h, M_CANCEL, 0, "/o/%s/information/%lld", q->cx.org->slug,
			 (long long)inf->id);
	h_lit(&h, "</div></form>");

	/* the scale, with its criteria; <details> opens without JavaScript */
	h_lit(&h, "<details class=\"scale\"><summary>");
	h_msg(&h, M_CLS_SCALE_USED);
	h_lit(&h, ": ");
	h_text(&h, s->name);
	h_lit(&h, "</summary><dl>");
	for (int lv = 0; lv <= scale_top(s); lv++) {
		h_lit(&h, "<dt>");
		h_text(&h, level_label(q, s, lv));
		h_lit(&h, "</dt><dd>");
		if (s->criteria[lv])
			h_text(&h, s->criteria[lv]);
		else
			h_lit(&h, "<span class=\"muted\">–</span>");
		h_lit(&h, "</dd>");
	}
	h_lit(&h, "</dl></details>");
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
	empty_form(q, &inf, &s, &f);
	classify_form(q, r, &inf, &s, &f, NULL, 0, 200);
}

static const char *answers_json(struct req *q, const struct cls_form *f)
{
	json_t *root = json_object(), *answers = json_object(), *proposed = json_object();
	json_t *na = json_array();
	char *text;
	const char *out;

	for (int a = 0; a < ASPECT__COUNT; a++) {
		json_t *o = json_object();
		if (!f->na[a])
			for (int c = 0; c < CAT__COUNT; c++)
				if (f->answer[a][c] >= 0)
					json_object_set_new(o, cat_code[c],
							    json_integer(f->answer[a][c]));
		json_object_set_new(answers, aspect_code[a], o);
		json_object_set_new(proposed, aspect_code[a], f->proposed[a] >= 0 ?
				    json_integer(f->proposed[a]) : json_null());
		if (f->na[a])
			json_array_append_new(na, json_string(aspect_code[a]));
	}
	json_object_set_new(root, "answers", answers);
	json_object_set_new(root, "proposed", proposed);
	json_object_set_new(root, "not_analysed", na);
	if (f->security)
		json_object_set_new(root, "security_confirmed", json_boolean(f->sec_confirmed));
	text = json_dumps(root, JSON_COMPACT);
	out = text ? arena_strdup(q->cx.a, text) : NULL;
	free(text);
	json_decref(root);
	return out;
}

/* An aspect's step is done: answered, not analysed, or confidentiality of
 * security-protected information (proposed from the floor). */
static int aspect_done(const struct cls_form *f, int a)
{
	return f->proposed[a] != LV_NONE;
}

/* The first step that is not done before `until`, with its error; -1 when
 * all are. */
static int first_undone(const struct cls_form *f, int until, struct field_errors *errs)
{
	const struct entity *e = &sys_classifications;

	for (int a = 0; a < until && a < ASPECT__COUNT; a++) {
		if (a == ASPECT_K && f->security && !f->sec_confirmed) {
			field_error_add(errs, ERR_SECURITY(e), M_V_WZ_SEC_CONFIRM, "required");
			return a;
		}
		if (!aspect_done(f, a)) {
			field_error_add(errs, ERR_QUESTIONS(e, a), M_V_WZ_ANSWER_OR_NA, "required");
			return a;
		}
	}
	return -1;
}

/* Arriving at the decision: a chosen level that followed the proposal the
 * person saw follows the new one; one they changed stays. */
static void follow_proposal(struct cls_form *f)
{
	for (int a = 0; a < ASPECT__COUNT; a++)
		if (f->chosen[a] == LV_NONE || f->chosen[a] == f->shown[a])
			f->chosen[a] = f->proposed[a];
}

static void save_decision(struct req *q, struct resp *r, const struct record *inf,
			  const struct scale *s, const char *scale_text, struct cls_form *f)
{
	const struct entity *e = &sys_classifications;
	struct record rec = { 0 };
	struct field_errors errs = { .n = 0 }, more = { .n = 0 };
	struct db_error err = { 0 };
	const char **vals;
	int analysed = 0;

	vals = arena_alloc(q->cx.a, (e->nfields + 1) * sizeof(char *));
	vals[CLS_INFOSET] = arena_printf(q->cx.a, "%lld", (long long)inf->id);
	for (int a = 0; a < ASPECT__COUNT; a++) {
		/* security-protected information: K is always assessed */
		if (f->chosen[a] == LV_NONE || (f->chosen[a] == LV_NA && f->security && a == ASPECT_K))
			field_error_add(&errs, CLS_LEVEL_K + a, M_V_CLS_BAD_LEVEL, "invalid");
		analysed |= f->chosen[a] >= 0;
		/* not analysed: NULL, never 0 (R-3-04) */
		vals[CLS_LEVEL_K + a] = f->chosen[a] >= 0 ?
			arena_printf(q->cx.a, "%d", f->chosen[a]) : NULL;
		vals[CLS_REASON_K + a] = f->reason[a];
	}
	if (!analysed && errs.n == 0)
		field_error_add(&errs, CLS_LEVEL_K, M_V_WZ_ALL_NA, "invalid");
	vals[CLS_PARTICIPANTS] = f->participants;
	vals[CLS_DECISION] = f->decision;
	vals[CLS_DECIDED_ON] = f->decided_on;
	vals[CLS_REVIEW_ON] = f->review_on;
	vals[CLS_ANSWERS] = answers_json(q, f);
	vals[CLS_SCALE] = scale_text;
	/* the engine's checks and the register's rules (systems.c) */
	entity_record_from_values(&q->cx, e, vals, &rec, &more);
	for (size_t i = 0; i < more.n; i++)
		if (!field_error_find(&errs, more.e[i].field))
			field_error_add(&errs, more.e[i].field, more.e[i].msg, more.e[i].code);
	/* a level other than the proposal, and an aspect not analysed, need a
	 * motivation (normalised: spaces alone are no motivation) */
	for (int a = 0; a < ASPECT__COUNT; a++) {
		int need = f->chosen[a] == LV_NA ? M_V_WZ_NA_REASON :
			   f->chosen[a] != f->proposed[a] ? M_V_CLS_REASON_NEEDED : 0;
		if (need && f->chosen[a] != LV_NONE && !rec.v[CLS_REASON_K + a] &&
		    !field_error_find(&errs, CLS_REASON_K + a))
			field_error_add(&errs, CLS_REASON_K + a, need, "required");
	}
	if (errs.n == 0 && entity_create(&q->cx, e, &rec, &errs, &err) == 0) {
		resp_redirect(q, r, arena_printf(q->cx.a, "/o/%s/information/%lld?saved=1",
						 q->cx.org->slug, (long long)inf->id));
		return;
	}
	if (errs.n == 0) {
		log_error("classify information set %lld: %s", (long long)inf->id, err.msg);
		respond_error(q, r, 500);
		return;
	}
	classify_form(q, r, inf, s, f, &errs, 0, 422);
}

static void classify_action(struct req *q, struct resp *r)
{
	struct record inf;
	struct scale s;
	struct cls_form f;
	struct field_errors errs = { .n = 0 };
	const char *go = form_get(&q->body_form, "go");
	const char *scale_text = scale_current(&q->cx);
	int to, stop;

	if (load_infoset(q, r, &inf) != 0)
		return;
	scale_for_display(q->cx.a, scale_text, &s);
	read_form(q, &inf, &s, &f);

	if (go && strcmp(go, "back") == 0) {
		/* back needs nothing done: what is there is kept */
		f.step = f.step > 0 ? f.step - 1 : 0;
		classify_form(q, r, &inf, &s, &f, NULL, 0, 200);
		return;
	}
	to = go && strcmp(go, "save") == 0 && f.step == STEP_DECISION ? STEP_DECISION :
	     f.step + 1;
	/* forward only over steps that are done */
	stop = first_undone(&f, to, &errs);
	if (stop >= 0) {
		f.step = stop;
		classify_form(q, r, &inf, &s, &f, &errs, 0, 422);
		return;
	}
	if (f.step != STEP_DECISION || !go || strcmp(go, "save") != 0) {
		f.step = to > STEP_DECISION ? STEP_DECISION : to;
		if (f.step == STEP_DECISION)
			follow_proposal(&f);
		classify_form(q, r, &inf, &s, &f, NULL, 0, 200);
		return;
	}
	/* Saving what the page did not show would record a level nobody saw:
	 * answers changed since the proposal bring the decision back. */
	for (int a = 0; a < ASPECT__COUNT; a++)
		if (f.shown[a] != f.proposed[a]) {
			follow_proposal(&f);
			classify_form(q, r, &inf, &s, &f, NULL, M_CLS_PROPOSAL_CHANGED, 200);
			return;
		}
	save_decision(q, r, &inf, &s, scale_text, &f);
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
	/* classified or not by the date: a level may be NULL, not analysed */
	if (!rec->v[INF_CLASSIFIED_ON]) {
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
		/* "K3 Allvarlig" per aspect, "T Inte analyserad": never "0" */
		h_lit(h, "<ul class=\"cls-chips\">");
		for (int a = 0; a < ASPECT__COUNT; a++) {
			int64_t x = LV_NA;
			if (lv[a])
				parse_i64(lv[a], &x);
			outside |= lv[a] && outside_baseline(&s, (int)x);
			h_lit(h, "<li>");
			level_chip(q, h, &s, a, (int)x, 0);
			h_lit(h, "</li>");
		}
		h_lit(h, "</ul>");
		part_dl_begin(h);
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
	"  OR ($3 = 'overdue' AND review_on < $2)"
	"  OR ($3 = 'soon' AND review_on >= $2 AND review_on <= $6)"
	"  OR ($3 = 'due' AND review_on <= $6))"
	" AND ($4 = 0 OR owner_id = $4) AND ($5 = 0 OR unit_id = $5)"
	" AND ($7 = 0 OR id IN (SELECT l.infoset_id FROM it_system s"
	"  JOIN system_information l ON l.org_id = s.org_id AND l.system_id = s.id"
	"   AND l.archived = 0"
	"  WHERE s.org_id = $1 AND s.owner_id = $7 AND s.archived = 0))"
	" ORDER BY CASE WHEN review_on IS NULL THEN 0 ELSE 1 END, review_on, name_sk, id"
	" LIMIT 501";

static void review_page(struct req *q, struct resp *r)
{
	struct db_rows rows;
	struct db_error err;
	struct html h;
	size_t n;

	/* narrowed as the start page's lines link to it (modules/systems/module.c):
	 * never classified, overdue, due within 30 days (soon) or either
	 * (due); someone's, a unit's, those in the systems someone owns */
	static const char *const shows[] = { "unclassified", "overdue", "soon", "due", NULL };
	const char *show = req_param(q, "show"), *soon, *sys_owner = NULL;
	int64_t sys_owner_id = req_int(q, "system_owner_id", 1, INT64_MAX, 0);
	size_t k;

	for (k = 0; shows[k] && !(show && strcmp(show, shows[k]) == 0); k++)
		;
	show = shows[k] ? shows[k] : "";
	soon = clock_format_local(q->cx.a, q->cx.now + (int64_t)WAIT_SOON_DAYS * 86400);
	soon = arena_printf(q->cx.a, "%.10s", soon);
	if (sys_owner_id) {
		static const char sql_person[] =
			"SELECT name FROM person WHERE id = $1 AND org_id = $2";
		if (db_exec(q->cx.db, q->cx.a, sql_person,
			    DB_ARGS(DB_INT(sys_owner_id), DB_INT(q->cx.org->id)), &rows,
			    &err) != 0) {
			log_error("review list: %s", err.msg);
			respond_error(q, r, 500);
			return;
		}
		sys_owner = rows.nrows ? db_cell(&rows, 0, 0) : "?";
	}
	if (db_exec(q->cx.db, q->cx.a, sql_review_due,
		    DB_ARGS(DB_INT(q->cx.org->id), DB_TEXT(today(&q->cx)), DB_TEXT(show),
			    DB_INT(req_int(q, "owner_id", 1, INT64_MAX, 0)),
			    DB_INT(req_int(q, "unit_id", 1, INT64_MAX, 0)), DB_TEXT(soon),
			    DB_INT(sys_owner_id)),
		    &rows, &err) != 0) {
		log_error("review list: %s", err.msg);
		respond_error(q, r, 500);
		return;
	}
	n = rows.nrows > REVIEW_LIMIT ? REVIEW_LIMIT : rows.nrows;
	page_begin(q, r, &h, M_CLS_REVIEW_TITLE);
	h_lit(&h, "<p>");
	h_msg(&h, strcmp(show, "soon") == 0 ? M_CLS_REVIEW_SOON
		  : strcmp(show, "due") == 0 ? M_CLS_REVIEW_DUE : M_CLS_REVIEW_INTRO);
	if (sys_owner) {
		h_lit(&h, " ");
		const char *t = msg_text(q->cx.lang, M_CLS_REVIEW_IN_SYSTEMS_OF);
		const char *at = strstr(t, "{name}");
		h_textn(&h, t, (size_t)(at - t));
		h_text(&h, sys_owner);
		h_text(&h, at + 6);
	}
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
	{ "na_" a, P_STR, 4 }, { "proposed_" a, P_STR, 4 }, { "level_" a, P_STR, 4 }, \
	{ "reason_" a, P_STR, TEXT_MAX }

static const struct param classify_params[] = {
	{ "csrf", P_STR, 128 }, { "step", P_STR, 4 }, { "go", P_STR, 16 },
	{ "sec_confirm", P_STR, 4 },
	ANSWER_PARAMS("k"), ANSWER_PARAMS("r"), ANSWER_PARAMS("t"), ANSWER_PARAMS("s"),
	{ "participants", P_STR, TEXT_MAX }, { "decision", P_STR, TEXT_MAX },
	{ "decided_on", P_STR, 32 }, { "review_on", P_STR, 32 },
	{ NULL, 0, 0 },
};

static const struct param review_params[] = {
	{ "show", P_STR, 16 }, { "owner_id", P_INT, INT64_MAX }, { "unit_id", P_INT, INT64_MAX },
	{ "system_owner_id", P_INT, INT64_MAX },
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
