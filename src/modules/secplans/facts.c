/* facts.c - what Värn knows about a system, for its security plan
 * (secplans.h): the register's facts, the information it handles with its
 * levels and laws, its levels, the gap analysis's progress and open gaps.
 * A draft reads them now; signing keeps them as JSON (facts_json), so a
 * signed version shows what its signer saw.
 *
 * Bounded by the system: its register row, at most FACTS_INFO information
 * sets, its gap numbers by key (gap_system_stat) and at most SECPLAN_GAPS
 * open gaps from its own assessment rows. */
#include "base/base.h"

#include <jansson.h>

#include "base/arena.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/measures/measures.h"
#include "modules/org/org.h"
#include "modules/secplans/secplans.h"
#include "modules/systems/systems.h"

#define FACTS_INFO 100

static const char sql_info[] =
	"SELECT i.name, i.level_k, i.level_r, i.level_t, i.level_s, i.legal_basis,"
	" i.special_laws, i.secrecy, i.secrecy_ref, i.personal_data, i.sensitive_data"
	" FROM system_information l JOIN information_set i ON i.id = l.infoset_id"
	"  AND i.org_id = l.org_id AND i.archived = 0"
	" WHERE l.org_id = $1 AND l.system_id = $2 AND l.archived = 0"
	" ORDER BY i.name_sk, i.id LIMIT $3";

static const char sql_open_gaps[] =
	"SELECT m.code, m.title, a.effective_status FROM measure_assessment a"
	" JOIN measure m ON m.id = a.measure_id"
	" WHERE a.org_id = $1 AND a.system_id = $2 AND a.archived = 0 AND a.required = 1"
	" AND a.effective_status IN ('partly', 'not_met') ORDER BY a.code_sk, a.id LIMIT $3";

/* "K2 R3 T- S1" from four levels (-1: none) */
static const char *levels_text(struct ctx *cx, const int lv[4])
{
	static const char letters_sv[] = "KRTS", letters_en[] = "CITS";
	const char *l = cx->lang == LANG_EN ? letters_en : letters_sv;
	char s[4][16];

	for (int a = 0; a < 4; a++) {
		if (lv[a] < 0)
			snprintf(s[a], sizeof(s[a]), "%c-", l[a]);
		else
			snprintf(s[a], sizeof(s[a]), "%c%d", l[a], lv[a]);
	}
	return arena_printf(cx->a, "%s %s %s %s", s[0], s[1], s[2], s[3]);
}

static int level_of(const char *v)
{
	int64_t x;

	if (!v || parse_i64(v, &x) != 0)
		return -1;
	return (int)x;
}

static const char *join(struct ctx *cx, const char *a, const char *sep, const char *b)
{
	if (!b || !*b)
		return a;
	if (!a || !*a)
		return b;
	return arena_printf(cx->a, "%s%s%s", a, sep, b);
}

int secplan_facts_now(struct ctx *cx, int64_t system_id, struct secplan_facts *f,
		      struct db_error *err)
{
	struct record sys;
	struct db_rows r;
	struct gap_counts gc;
	int lang = cx->lang;

	memset(f, 0, sizeof(*f));
	if (entity_get(cx, &sys_systems, system_id, &sys, err) != 0)
		return -1;
	f->system = sys.v[SYS_NAME];
	f->unit = sys.v[SYS_UNIT] ? entity_display(cx, &sys_systems, &sys, SYS_UNIT) : NULL;
	f->owner = sys.v[SYS_OWNER] ? entity_display(cx, &sys_systems, &sys, SYS_OWNER) : NULL;
	f->supplier = sys.v[SYS_SUPPLIER];
	f->hosting = sys.v[SYS_HOSTING] ? entity_display(cx, &sys_systems, &sys, SYS_HOSTING) :
		     NULL;
	f->personal_data = sys.v[SYS_PERSONAL_DATA] ?
			   entity_display(cx, &sys_systems, &sys, SYS_PERSONAL_DATA) : NULL;
	f->lifecycle = sys.v[SYS_LIFECYCLE] ?
		       entity_display(cx, &sys_systems, &sys, SYS_LIFECYCLE) : NULL;
	f->level[0] = level_of(sys.v[SYS_LEVEL_K]);
	f->level[1] = level_of(sys.v[SYS_LEVEL_R]);
	f->level[2] = level_of(sys.v[SYS_LEVEL_T]);
	f->level[3] = level_of(sys.v[SYS_LEVEL_S]);
	f->levels = levels_text(cx, f->level);
	f->business_critical = msg_text(lang, sys.v[SYS_BUSINESS_CRITICAL] &&
				       strcmp(sys.v[SYS_BUSINESS_CRITICAL], "1") == 0 ?
				       M_SSP_YES : M_SSP_NO);
	f->as_of = ctx_today(cx);

	if (db_exec(cx->db, cx->a, sql_info,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), DB_INT(FACTS_INFO)), &r,
		    err) != 0)
		return -1;
	f->info = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*f->info));
	for (size_t i = 0; i < r.nrows; i++) {
		int lv[4];
		const char *laws = NULL;
		for (int a = 0; a < 4; a++)
			lv[a] = db_cell(&r, i, 1 + a) ? (int)db_cell_i64(&r, i, 1 + a) : -1;
		laws = join(cx, laws, "; ", db_cell(&r, i, 5));
		laws = join(cx, laws, "; ", db_cell(&r, i, 6));
		if (db_cell_i64(&r, i, 7) == 1)
			laws = join(cx, laws, "; ", db_cell(&r, i, 8) ?
				    arena_printf(cx->a, "%s (%s)", msg_text(lang, M_SSP_SECRECY),
						 db_cell(&r, i, 8)) :
				    msg_text(lang, M_SSP_SECRECY));
		if (db_cell_i64(&r, i, 10) == 1)
			laws = join(cx, laws, "; ", msg_text(lang, M_SSP_SENSITIVE));
		else if (db_cell_i64(&r, i, 9) == 1)
			laws = join(cx, laws, "; ", msg_text(lang, M_SSP_PERSONAL));
		f->info[i].name = db_cell(&r, i, 0);
		f->info[i].levels = levels_text(cx, lv);
		f->info[i].laws = laws;
	}
	f->ninfo = r.nrows;

	if (gap_system_counts(cx, system_id, &gc, err) != 0)
		return -1;
	f->required = gc.required;
	f->assessed = gc.assessed;
	f->met = gc.met;
	f->gaps = gc.partly + gc.not_met;
	f->supplier_gaps = gc.supplier;
	if (db_exec(cx->db, cx->a, sql_open_gaps,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id), DB_INT(SECPLAN_GAPS)), &r,
		    err) != 0)
		return -1;
	f->open_gaps = arena_alloc(cx->a, (r.nrows + 1) * sizeof(*f->open_gaps));
	for (size_t i = 0; i < r.nrows; i++)
		f->open_gaps[i] = arena_printf(cx->a, "%s %s (%s)", db_cell(&r, i, 0),
			db_cell(&r, i, 1), entity_choice_label(cx, &ms_assessments.fields[AF_EFFECTIVE],
							       db_cell(&r, i, 2)));
	f->nopen = r.nrows;
	return 0;
}

static const char *doc_number_text(struct ctx *cx, int64_t n)
{
	return arena_printf(cx->a, "%lld", (long long)n);
}

static json_t *str(const char *s)
{
	return s ? json_string(s) : json_null();
}

const char *secplan_facts_json(struct ctx *cx, const struct secplan_facts *f)
{
	json_t *o = json_object(), *info = json_array(), *gaps = json_array(), *lv = json_array();
	char *text;
	const char *out;

	json_object_set_new(o, "system", str(f->system));
	json_object_set_new(o, "unit", str(f->unit));
	json_object_set_new(o, "owner", str(f->owner));
	json_object_set_new(o, "supplier", str(f->supplier));
	json_object_set_new(o, "hosting", str(f->hosting));
	json_object_set_new(o, "personal_data", str(f->personal_data));
	json_object_set_new(o, "lifecycle", str(f->lifecycle));
	json_object_set_new(o, "levels", str(f->levels));
	json_object_set_new(o, "business_critical", str(f->business_critical));
	json_object_set_new(o, "as_of", str(f->as_of));
	for (int a = 0; a < 4; a++)
		json_array_append_new(lv, json_integer(f->level[a]));
	json_object_set_new(o, "level", lv);
	for (size_t i = 0; i < f->ninfo; i++)
		json_array_append_new(info, json_pack("{s:o, s:o, s:o}", "name",
			str(f->info[i].name), "levels", str(f->info[i].levels), "laws",
			str(f->info[i].laws)));
	json_object_set_new(o, "information", info);
	json_object_set_new(o, "gap_numbers", json_pack("{s:I, s:I, s:I, s:I, s:I}",
		"required", (json_int_t)f->required, "assessed", (json_int_t)f->assessed,
		"met", (json_int_t)f->met, "gaps", (json_int_t)f->gaps,
		"supplier", (json_int_t)f->supplier_gaps));
	for (size_t i = 0; i < f->nopen; i++)
		json_array_append_new(gaps, json_string(f->open_gaps[i]));
	json_object_set_new(o, "open_gaps", gaps);
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	out = arena_strdup(cx->a, text ? text : "{}");
	free(text);
	return out;
}

static const char *get_str(struct ctx *cx, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? arena_strdup(cx->a, s) : NULL;
}

static int64_t get_int(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

int secplan_facts_parse(struct ctx *cx, const char *text, struct secplan_facts *f)
{
	json_t *o = text ? json_loads(text, 0, NULL) : NULL, *a, *n;

	memset(f, 0, sizeof(*f));
	for (int k = 0; k < 4; k++)
		f->level[k] = -1;
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	f->system = get_str(cx, o, "system");
	f->unit = get_str(cx, o, "unit");
	f->owner = get_str(cx, o, "owner");
	f->supplier = get_str(cx, o, "supplier");
	f->hosting = get_str(cx, o, "hosting");
	f->personal_data = get_str(cx, o, "personal_data");
	f->lifecycle = get_str(cx, o, "lifecycle");
	f->levels = get_str(cx, o, "levels");
	f->business_critical = get_str(cx, o, "business_critical");
	f->as_of = get_str(cx, o, "as_of");
	a = json_object_get(o, "level");
	for (size_t k = 0; k < 4 && k < json_array_size(a); k++)
		f->level[k] = (int)json_integer_value(json_array_get(a, k));
	a = json_object_get(o, "information");
	f->info = arena_alloc(cx->a, (json_array_size(a) + 1) * sizeof(*f->info));
	for (size_t k = 0; k < json_array_size(a); k++) {
		json_t *e = json_array_get(a, k);
		f->info[k].name = get_str(cx, e, "name");
		f->info[k].levels = get_str(cx, e, "levels");
		f->info[k].laws = get_str(cx, e, "laws");
	}
	f->ninfo = json_array_size(a);
	n = json_object_get(o, "gap_numbers");
	f->required = get_int(n, "required");
	f->assessed = get_int(n, "assessed");
	f->met = get_int(n, "met");
	f->gaps = get_int(n, "gaps");
	f->supplier_gaps = get_int(n, "supplier");
	a = json_object_get(o, "open_gaps");
	f->open_gaps = arena_alloc(cx->a, (json_array_size(a) + 1) * sizeof(*f->open_gaps));
	for (size_t k = 0; k < json_array_size(a); k++) {
		const char *s = json_string_value(json_array_get(a, k));
		f->open_gaps[f->nopen++] = arena_strdup(cx->a, s ? s : "");
	}
	json_decref(o);
	return 0;
}

int secplan_facts_of(struct ctx *cx, const struct record *plan, struct secplan_facts *f,
		     struct db_error *err)
{
	int64_t sys = 0;

	if (plan->v[SP_STATE] && strcmp(plan->v[SP_STATE], SECPLAN_SIGNED) == 0 &&
	    secplan_facts_parse(cx, plan->v[SP_FACTS], f) == 0)
		return 0;
	if (!plan->v[SP_SYSTEM] || parse_i64(plan->v[SP_SYSTEM], &sys) != 0) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof(err->msg), "the plan names no system");
		return -1;
	}
	return secplan_facts_now(cx, sys, f, err);
}

static const char sql_basis[] =
	"SELECT level_k, level_r, level_t, level_s, unit_id, archived FROM it_system"
	" WHERE org_id = $1 AND id = $2";

/* "K2 R3 T3 S2|unit 5": what a signed plan was made for; the listener
 * compares it with the system as it is now.  Not translated: stored. */
int secplan_basis_now(struct ctx *cx, int64_t system_id, const char **basis,
		      struct db_error *err)
{
	struct db_rows r;
	int lv[4];
	const char *l;

	if (db_exec(cx->db, cx->a, sql_basis, DB_ARGS(DB_INT(cx->org->id), DB_INT(system_id)),
		    &r, err) != 0)
		return -1;
	if (r.nrows != 1) {
		*basis = NULL;
		return 0;
	}
	for (int a = 0; a < 4; a++)
		lv[a] = db_cell(&r, 0, a) ? (int)db_cell_i64(&r, 0, a) : -1;
	{
		int saved = cx->lang;
		cx->lang = LANG_SV;
		l = levels_text(cx, lv);
		cx->lang = saved;
	}
	*basis = arena_printf(cx->a, "%s|unit %lld", l, (long long)db_cell_i64(&r, 0, 4));
	return 0;
}

const char *secplan_progress_text(struct ctx *cx, const struct secplan_facts *f)
{
	const char *t = msg_text(cx->lang, M_SSP_GAP_PROGRESS_TEXT);

	t = msg_fill(cx->a, t, "{assessed}", doc_number_text(cx, f->assessed));
	t = msg_fill(cx->a, t, "{required}", doc_number_text(cx, f->required));
	t = msg_fill(cx->a, t, "{met}", doc_number_text(cx, f->met));
	return msg_fill(cx->a, t, "{gaps}", doc_number_text(cx, f->gaps));
}
