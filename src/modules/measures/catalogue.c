/* catalogue.c - a catalogue of measures as data: Värn's own, compiled into
 * the program (catalogue.json), or one the organisation holds a licence
 * for, in the same JSON form.  Comparing a catalogue with what the
 * organisation has loaded, loading it, and exporting the organisation's
 * measures in that form.
 *
 * The form (tools/check-catalogue.py checks Värn's own):
 *   { "catalogue": CODE, "version": V, "title_sv", "title_en", "licence",
 *     "measures": [ { "code", "area", "type", "scope", "levels": {"k":0..3,
 *     "r", "t", "s"} (an aspect left out is not protected), "title_sv",
 *     "title_en", "text_sv", "text_en", "req_sv", "refs": { "iso27001":
 *     [..], "msbfs", "nis2", "seed" }, "req": [..] } ] }
 *
 * Loading never rewrites an assessment: a changed measure's assessments
 * are marked "changed since assessed" for their owners to look at again;
 * a measure the new version no longer has is archived, with its
 * assessments kept. */
#include "base/base.h"

#include <jansson.h>

#include "base/embedded.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/measures/measures.h"

extern const struct embedded_file measures_catalogue_files[]; /* meson: catalogue.json */

const char *catalogue_builtin(size_t *len)
{
	const struct embedded_file *f = embedded_find(measures_catalogue_files, "catalogue.json");

	*len = f ? f->len : 0;
	return f ? f->data : NULL;
}

/* ---- reading a catalogue ---- */

static const char *const aspect_keys[ASPECTS] = { "k", "r", "t", "s" };

/* One measure as the catalogue states it, in the columns' terms. */
struct cat_measure {
	const char *code, *area, *mtype, *scope, *title, *title_en, *text, *text_en, *req_text;
	const char *ref_iso, *ref_msbfs, *ref_nis2, *ref_seed, *ref_req;
	int min[ASPECTS];
};

struct cat {
	const char *code, *version, *title, *licence;
	struct cat_measure *m;
	size_t n;
};

static const char *jtext(struct arena *a, json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s && *s ? arena_strdup(a, s) : NULL;
}

/* An array of strings as "a, b, c"; a string as itself. */
static const char *jlist(struct arena *a, json_t *v)
{
	struct buf b = BUF_INIT;
	const char *out;
	size_t i;
	json_t *x;

	if (json_is_string(v))
		return *json_string_value(v) ? arena_strdup(a, json_string_value(v)) : NULL;
	if (!json_is_array(v) || json_array_size(v) == 0)
		return NULL;
	json_array_foreach(v, i, x) {
		if (!json_is_string(x))
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, json_string_value(x));
	}
	out = b.len ? arena_strdup(a, b.p) : NULL;
	buf_release(&b);
	return out;
}

static int known(const struct choice *c, const char *v)
{
	for (; v && c->value; c++)
		if (strcmp(c->value, v) == 0)
			return 1;
	return 0;
}

/* Reads text as a catalogue; NULL with *problem (Swedish, for the person
 * loading it: which measure and what is wrong). */
static struct cat *cat_read(struct arena *a, const char *text, size_t len, const char **problem)
{
	json_error_t je;
	json_t *root = json_loadb(text, len, 0, &je), *ms, *x;
	struct cat *c = arena_alloc(a, sizeof(*c));
	size_t i;

	memset(c, 0, sizeof(*c));
	*problem = NULL;
	if (!root || !json_is_object(root)) {
		*problem = root ? "Filen är inte en katalog (ett JSON-objekt väntades)."
				: arena_printf(a, "Filen är inte giltig JSON (rad %d: %s).", je.line,
					       je.text);
		json_decref(root);
		return NULL;
	}
	c->code = jtext(a, root, "catalogue");
	c->version = jtext(a, root, "version");
	c->title = jtext(a, root, "title_sv");
	c->licence = jtext(a, root, "licence");
	ms = json_object_get(root, "measures");
	if (!c->code || !c->version || !c->title || !json_is_array(ms) ||
	    json_array_size(ms) == 0) {
		*problem = "Katalogen saknar något av catalogue, version, title_sv eller measures.";
		json_decref(root);
		return NULL;
	}
	if (strlen(c->code) > 60 || strlen(c->version) > 40 || strlen(c->title) > 200) {
		*problem = "Katalogens kod, version eller titel är för lång.";
		json_decref(root);
		return NULL;
	}
	c->m = arena_alloc(a, json_array_size(ms) * sizeof(*c->m));
	json_array_foreach(ms, i, x) {
		struct cat_measure *m = &c->m[c->n];
		json_t *lv = json_object_get(x, "levels"), *refs = json_object_get(x, "refs");
		int any = 0;

		memset(m, 0, sizeof(*m));
		m->code = jtext(a, x, "code");
		m->area = jtext(a, x, "area");
		m->mtype = jtext(a, x, "type");
		m->scope = jtext(a, x, "scope");
		m->title = jtext(a, x, "title_sv");
		m->title_en = jtext(a, x, "title_en");
		m->text = jtext(a, x, "text_sv");
		m->text_en = jtext(a, x, "text_en");
		m->req_text = jtext(a, x, "req_sv");
		m->ref_iso = jlist(a, json_object_get(refs, "iso27001"));
		m->ref_msbfs = jlist(a, json_object_get(refs, "msbfs"));
		m->ref_nis2 = jlist(a, json_object_get(refs, "nis2"));
		m->ref_seed = jlist(a, json_object_get(refs, "seed"));
		m->ref_req = jlist(a, json_object_get(x, "req"));
		for (int k = 0; k < ASPECTS; k++) {
			json_t *v = json_object_get(lv, aspect_keys[k]);
			m->min[k] = MIN_NONE;
			if (json_is_integer(v) && json_integer_value(v) >= 0 &&
			    json_integer_value(v) <= 3) {
				m->min[k] = (int)json_integer_value(v);
				any = 1;
			} else if (v && !json_is_null(v)) {
				*problem = arena_printf(a, "Åtgärd %zu (%s): nivån för %s ska vara 0–3.",
							i + 1, m->code ? m->code : "utan kod",
							aspect_keys[k]);
				break;
			}
		}
		if (!*problem && (!m->code || strlen(m->code) > 20))
			*problem = arena_printf(a, "Åtgärd %zu saknar kod (högst 20 tecken).", i + 1);
		else if (!*problem && (!m->title || strlen(m->title) > 300))
			*problem = arena_printf(a, "Åtgärd %s saknar titel (title_sv, högst 300 tecken).",
						m->code);
		else if (!*problem && measure_area_index(m->area) < 0)
			*problem = arena_printf(a, "Åtgärd %s: okänt område \"%s\".", m->code,
						m->area ? m->area : "");
		else if (!*problem && !known(measure_types, m->mtype))
			*problem = arena_printf(a, "Åtgärd %s: okänd typ \"%s\".", m->code,
						m->mtype ? m->mtype : "");
		else if (!*problem && !known(measure_scopes, m->scope))
			*problem = arena_printf(a, "Åtgärd %s: okänd omfattning \"%s\".", m->code,
						m->scope ? m->scope : "");
		else if (!*problem && !any)
			*problem = arena_printf(a, "Åtgärd %s skyddar ingen aspekt (levels).", m->code);
		for (size_t j = 0; !*problem && j < c->n; j++)
			if (strcmp(c->m[j].code, m->code) == 0)
				*problem = arena_printf(a, "Koden %s finns två gånger.", m->code);
		if (*problem) {
			json_decref(root);
			return NULL;
		}
		c->n++;
	}
	json_decref(root);
	return c;
}

/* ---- comparing with what is loaded ---- */

static const char sql_catalogue_by_code[] =
	"SELECT id, cat_version FROM measure_catalogue WHERE org_id = $1 AND code = $2";
static const char sql_measures_all[] =
	"SELECT id, code, catalogue_id, archived, title, title_en, description, description_en,"
	" req_text, area, mtype, scope, min_k, min_r, min_t, min_s, ref_iso, ref_msbfs, ref_nis2,"
	" ref_seed, ref_req FROM measure WHERE org_id = $1 ORDER BY id";
enum { MA_ID = 0, MA_CODE, MA_CATALOGUE, MA_ARCHIVED, MA_TEXTS };

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The parts of m that differ from the stored row i: "" when none. */
static const char *changed_parts(struct arena *a, const struct cat_measure *m,
				 const struct db_rows *r, size_t i)
{
	const char *text[] = { m->title, m->title_en, m->text, m->text_en, m->req_text };
	const char *kind[] = { m->area, m->mtype, m->scope };
	const char *refs[] = { m->ref_iso, m->ref_msbfs, m->ref_nis2, m->ref_seed, m->ref_req };
	int t = 0, k = 0, l = 0, f = 0;
	struct buf b = BUF_INIT;
	const char *out;

	for (size_t j = 0; j < 5; j++)
		t |= !same(text[j], db_cell(r, i, MA_TEXTS + j));
	for (size_t j = 0; j < 3; j++)
		k |= !same(kind[j], db_cell(r, i, MA_TEXTS + 5 + j));
	for (size_t j = 0; j < ASPECTS; j++) {
		const char *v = db_cell(r, i, MA_TEXTS + 8 + j);
		l |= (v ? (int)db_cell_i64(r, i, MA_TEXTS + 8 + j) : MIN_NONE) != m->min[j];
	}
	for (size_t j = 0; j < 5; j++)
		f |= !same(refs[j], db_cell(r, i, MA_TEXTS + 12 + j));
	if (l)
		buf_puts(&b, "nivåer");
	if (k)
		buf_printf(&b, "%sområde/typ/omfattning", b.len ? ", " : "");
	if (t)
		buf_printf(&b, "%stext", b.len ? ", " : "");
	if (f)
		buf_printf(&b, "%sreferenser", b.len ? ", " : "");
	out = arena_strdup(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

/* The row of the stored measure with this code, or -1 (a few hundred
 * rows: looked through, not sorted, so that no engine's collation
 * matters). */
static int64_t stored_index(const struct db_rows *r, const char *code)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (strcmp(db_cell(r, i, MA_CODE), code) == 0)
			return (int64_t)i;
	return -1;
}

static int diff_of(struct ctx *cx, const struct cat *c, struct catalogue_diff *out,
		   struct db_rows *stored, int64_t *cat_id, struct db_error *err)
{
	struct db_rows r;
	size_t cap;

	memset(out, 0, sizeof(*out));
	out->code = c->code;
	out->title = c->title;
	out->version = c->version;
	out->nmeasures = c->n;
	*cat_id = 0;
	if (db_exec(cx->db, cx->a, sql_catalogue_by_code,
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(c->code)), &r, err) != 0)
		return -1;
	if (r.nrows == 1) {
		*cat_id = db_cell_i64(&r, 0, 0);
		out->loaded_version = db_cell(&r, 0, 1);
	}
	if (db_exec(cx->db, cx->a, sql_measures_all, DB_ARGS(DB_INT(cx->org->id)), stored, err) != 0)
		return -1;
	cap = c->n + stored->nrows + 1;
	out->changes = arena_alloc(cx->a, cap * sizeof(*out->changes));
	for (size_t i = 0; i < c->n; i++) {
		const struct cat_measure *m = &c->m[i];
		int64_t k = stored_index(stored, m->code);
		struct catalogue_change *ch = &out->changes[out->n];

		ch->code = m->code;
		ch->title = m->title;
		ch->what = NULL;
		if (k < 0) {
			ch->kind = CHANGE_NEW;
			out->nnew++;
			out->n++;
			continue;
		}
		if (db_cell_i64(stored, (size_t)k, MA_CATALOGUE) != *cat_id || !*cat_id) {
			out->problem = arena_printf(cx->a,
				"Koden %s används redan av en annan åtgärd i organisationen"
				" (egen eller från en annan katalog). Byt kod i filen.", m->code);
			err->code = DBE_CHECK;
			snprintf(err->msg, sizeof(err->msg), "catalogue code clash: %s", m->code);
			return -1;
		}
		ch->what = changed_parts(cx->a, m, stored, (size_t)k);
		if (*ch->what || db_cell_i64(stored, (size_t)k, MA_ARCHIVED)) {
			ch->kind = CHANGE_CHANGED;
			if (!*ch->what)
				ch->what = "åter i katalogen";
			out->nchanged++;
			out->n++;
		} else {
			out->nsame++;
		}
	}
	for (size_t i = 0; *cat_id && i < stored->nrows; i++) {
		const char *code = db_cell(stored, i, MA_CODE);
		size_t j;

		if (db_cell_i64(stored, i, MA_CATALOGUE) != *cat_id ||
		    db_cell_i64(stored, i, MA_ARCHIVED))
			continue;
		for (j = 0; j < c->n && strcmp(c->m[j].code, code) != 0; j++)
			;
		if (j < c->n)
			continue;
		out->changes[out->n].code = code;
		out->changes[out->n].title = db_cell(stored, i, MA_TEXTS);
		out->changes[out->n].kind = CHANGE_REMOVED;
		out->changes[out->n].what = NULL;
		out->n++;
		out->nremoved++;
	}
	return 0;
}

/* cat_read, or a refusal: out says why (out->problem), err is DBE_CHECK. */
static struct cat *cat_read_or_refuse(struct ctx *cx, const char *json, size_t len,
				      struct catalogue_diff *out, struct db_error *err)
{
	const char *problem;
	struct cat *c = cat_read(cx->a, json, len, &problem);

	if (c)
		return c;
	memset(out, 0, sizeof(*out));
	out->problem = problem;
	err->code = DBE_CHECK;
	snprintf(err->msg, sizeof(err->msg), "catalogue not readable");
	return NULL;
}

int catalogue_diff(struct ctx *cx, const char *json, size_t len, struct catalogue_diff *out,
		   struct db_error *err)
{
	struct db_rows stored;
	int64_t cat_id;
	struct cat *c = cat_read_or_refuse(cx, json, len, out, err);

	return c ? diff_of(cx, c, out, &stored, &cat_id, err) : -1;
}

/* ---- loading ---- */

static const char sql_insert_catalogue[] =
	"INSERT INTO measure_catalogue (org_id, code, title, title_sk, cat_version, licence,"
	" source, is_baseline, loaded_on, content, search, version, archived, created_at,"
	" updated_at, created_by, updated_by)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, 0, $12, $12, $13, $13)"
	" RETURNING id";
static const char sql_update_catalogue[] =
	"UPDATE measure_catalogue SET title = $3, title_sk = $4, cat_version = $5, licence = $6,"
	" source = $7, loaded_on = $8, content = $9, search = $10, version = version + 1,"
	" archived = 0, updated_at = $11, updated_by = $12 WHERE org_id = $1 AND id = $2";
static const char sql_insert_measure[] =
	"INSERT INTO measure (org_id, code, code_sk, title, title_sk, title_en, description,"
	" description_en, req_text, area, mtype, scope, min_k, min_r, min_t, min_s, ref_iso,"
	" ref_msbfs, ref_nis2, ref_seed, ref_req, system_id, source, catalogue_id, changed_in,"
	" search, version, archived, created_at, updated_at, created_by, updated_by)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
	" $18, $19, $20, $21, NULL, 'catalogue', $22, $23, $24, 1, 0, $25, $25, $26, $26)";
static const char sql_update_measure[] =
	"UPDATE measure SET code_sk = $3, title = $4, title_sk = $5, title_en = $6,"
	" description = $7, description_en = $8, req_text = $9, area = $10, mtype = $11,"
	" scope = $12, min_k = $13, min_r = $14, min_t = $15, min_s = $16, ref_iso = $17,"
	" ref_msbfs = $18, ref_nis2 = $19, ref_seed = $20, ref_req = $21, catalogue_id = $22,"
	" changed_in = $23, search = $24, archived = 0, version = version + 1, updated_at = $25,"
	" updated_by = $26 WHERE org_id = $1 AND id = $2";
static const char sql_archive_measure[] =
	"UPDATE measure SET archived = 1, changed_in = $3, version = version + 1,"
	" updated_at = $4, updated_by = $5 WHERE org_id = $1 AND id = $2";
/* assessed against the old text: to be looked at again; never rewritten */
static const char sql_mark_changed[] =
	"UPDATE measure_assessment SET measure_changed = 1"
	" WHERE org_id = $1 AND measure_id = $2 AND status <> 'not_assessed'";

static struct db_val text_or_null(const char *s)
{
	return s ? DB_TEXT(s) : DB_NULL;
}

static struct db_val min_val(int v)
{
	return v == MIN_NONE ? DB_NULL : DB_INT(v);
}

/* The folded search text, as the engine makes it for the measures'
 * FF_SEARCH fields. */
static const char *measure_search(struct arena *a, const struct cat_measure *m)
{
	const char *parts[] = { m->code, m->title, m->title_en, m->text, m->req_text,
				m->ref_iso, m->ref_msbfs, m->ref_nis2, m->ref_seed, m->ref_req };
	struct buf b = BUF_INIT;
	const char *out;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!parts[i])
			continue;
		if (b.len)
			buf_putc(&b, ' ');
		buf_puts(&b, parts[i]);
	}
	out = utf8_fold(a, b.p ? b.p : "");
	buf_release(&b);
	return out;
}

static int write_measure(struct ctx *cx, const struct cat_measure *m, int64_t id,
			 int64_t cat_id, const char *version, struct db_error *err)
{
	int64_t actor = cx->user_id;
	struct db_val p[26] = {
		DB_INT(cx->org->id), DB_INT(id), DB_TEXT(utf8_sortkey(cx->a, m->code)),
		DB_TEXT(m->title), DB_TEXT(utf8_sortkey(cx->a, m->title)), text_or_null(m->title_en),
		text_or_null(m->text), text_or_null(m->text_en), text_or_null(m->req_text),
		DB_TEXT(m->area), DB_TEXT(m->mtype), DB_TEXT(m->scope), min_val(m->min[0]),
		min_val(m->min[1]), min_val(m->min[2]), min_val(m->min[3]),
		text_or_null(m->ref_iso), text_or_null(m->ref_msbfs), text_or_null(m->ref_nis2),
		text_or_null(m->ref_seed), text_or_null(m->ref_req), DB_INT(cat_id),
		DB_TEXT(version), DB_TEXT(measure_search(cx->a, m)), DB_INT(cx->now),
		actor ? DB_INT(actor) : DB_NULL,
	};

	if (id)
		return db_exec(cx->db, cx->a, sql_update_measure, p, 26, NULL, err);
	p[1] = DB_TEXT(m->code); /* the insert has no id: code in its place */
	return db_exec(cx->db, cx->a, sql_insert_measure, p, 26, NULL, err);
}

int catalogue_load(struct ctx *cx, const char *json, size_t len, const char *source,
		   struct catalogue_diff *out, struct db_error *err)
{
	struct db_rows stored, r;
	struct audit_event ev = { 0 };
	int64_t cat_id, actor = cx->user_id;
	const char *csearch;
	struct cat *c = cat_read_or_refuse(cx, json, len, out, err);

	if (!c || diff_of(cx, c, out, &stored, &cat_id, err) != 0)
		return -1;
	csearch = utf8_fold(cx->a, arena_printf(cx->a, "%s %s", c->code, c->title));
	if (cat_id) {
		if (db_exec(cx->db, cx->a, sql_update_catalogue,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(cat_id), DB_TEXT(c->title),
				    DB_TEXT(utf8_sortkey(cx->a, c->title)), DB_TEXT(c->version),
				    text_or_null(c->licence), DB_TEXT(source), DB_TEXT(ctx_today(cx)),
				    DB_TEXT(json), DB_TEXT(csearch), DB_INT(cx->now),
				    actor ? DB_INT(actor) : DB_NULL),
			    NULL, err) != 0)
			return -1;
	} else {
		/* Värn's own is the baseline every system reaches (R-4-01) */
		if (db_exec(cx->db, cx->a, sql_insert_catalogue,
			    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(c->code), DB_TEXT(c->title),
				    DB_TEXT(utf8_sortkey(cx->a, c->title)), DB_TEXT(c->version),
				    text_or_null(c->licence), DB_TEXT(source),
				    DB_INT(strcmp(source, "builtin") == 0), DB_TEXT(ctx_today(cx)),
				    DB_TEXT(json), DB_TEXT(csearch), DB_INT(cx->now),
				    actor ? DB_INT(actor) : DB_NULL),
			    &r, err) != 0)
			return -1;
		cat_id = db_cell_i64(&r, 0, 0);
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct cat_measure *m = &c->m[i];
		int64_t k = stored_index(&stored, m->code);
		int64_t id = k >= 0 ? db_cell_i64(&stored, (size_t)k, MA_ID) : 0;
		const char *what;

		if (k >= 0) {
			what = changed_parts(cx->a, m, &stored, (size_t)k);
			if (!*what && !db_cell_i64(&stored, (size_t)k, MA_ARCHIVED))
				continue;
		}
		if (write_measure(cx, m, id, cat_id, c->version, err) != 0)
			return -1;
		if (id && db_exec(cx->db, cx->a, sql_mark_changed,
				  DB_ARGS(DB_INT(cx->org->id), DB_INT(id)), NULL, err) != 0)
			return -1;
	}
	for (size_t i = 0; i < out->n; i++) {
		int64_t k;
		if (out->changes[i].kind != CHANGE_REMOVED)
			continue;
		k = stored_index(&stored, out->changes[i].code);
		if (db_exec(cx->db, cx->a, sql_archive_measure,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(db_cell_i64(&stored, (size_t)k, MA_ID)),
				    DB_TEXT(c->version), DB_INT(cx->now),
				    actor ? DB_INT(actor) : DB_NULL),
			    NULL, err) != 0)
			return -1;
	}
	audit_from_ctx(cx, &ev);
	ev.org_id = cx->org->id;
	ev.action = "catalogue-load";
	ev.entity = "measure-catalogues";
	ev.entity_id = cat_id;
	ev.summary = arena_printf(cx->a, "%s %s", c->title, c->version);
	ev.before = out->loaded_version ?
		arena_printf(cx->a, "{\"version\":\"%s\"}", out->loaded_version) : NULL;
	ev.after = arena_printf(cx->a,
				"{\"new\":%zu,\"changed\":%zu,\"removed\":%zu,\"unchanged\":%zu}",
				out->nnew, out->nchanged, out->nremoved, out->nsame);
	if (audit_append(cx->db, cx->a, &ev, err) != 0)
		return -1;
	/* every system's required measures, and the organisation's, anew */
	return gap_sync_organisation(cx, err);
}

/* ---- export ---- */

static const char sql_export[] =
	"SELECT code, area, mtype, scope, min_k, min_r, min_t, min_s, title, title_en, description,"
	" description_en, req_text, ref_iso, ref_msbfs, ref_nis2, ref_seed, ref_req"
	" FROM measure WHERE org_id = $1 AND archived = 0"
	" AND (($2 = 0 AND catalogue_id IS NULL) OR catalogue_id = $2) ORDER BY code_sk, id";
static const char sql_export_catalogue[] =
	"SELECT code, title, cat_version, licence FROM measure_catalogue"
	" WHERE org_id = $1 AND id = $2";

/* "a, b" as ["a", "b"] */
static json_t *split_list(const char *s)
{
	json_t *arr = json_array();

	while (s && *s) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		while (n && s[n - 1] == ' ')
			n--;
		if (n)
			json_array_append_new(arr, json_stringn(s, n));
		if (!e)
			break;
		for (s = e + 1; *s == ' '; s++)
			;
	}
	return arr;
}

static void set_text(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

int catalogue_export_json(struct ctx *cx, int64_t catalogue_id, struct buf *out,
			  struct db_error *err)
{
	struct db_rows r, c;
	json_t *root = json_object(), *ms = json_array();
	char *text;

	if (catalogue_id) {
		if (db_exec(cx->db, cx->a, sql_export_catalogue,
			    DB_ARGS(DB_INT(cx->org->id), DB_INT(catalogue_id)), &c, err) != 0)
			goto fail;
		if (c.nrows != 1) {
			err->code = DBE_NOTFOUND;
			snprintf(err->msg, sizeof(err->msg), "no such catalogue");
			goto fail;
		}
		json_object_set_new(root, "catalogue", json_string(db_cell(&c, 0, 0)));
		json_object_set_new(root, "version", json_string(db_cell(&c, 0, 2)));
		json_object_set_new(root, "title_sv", json_string(db_cell(&c, 0, 1)));
		set_text(root, "licence", db_cell(&c, 0, 3));
	} else {
		/* the organisation's own measures, as a catalogue of its own */
		json_object_set_new(root, "catalogue",
				    json_string(arena_printf(cx->a, "%s-egna", cx->org->slug)));
		json_object_set_new(root, "version", json_string(ctx_today(cx)));
		json_object_set_new(root, "title_sv",
				    json_string(arena_printf(cx->a, "%s: egna åtgärder",
							     cx->org->name)));
	}
	if (db_exec(cx->db, cx->a, sql_export,
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(catalogue_id)), &r, err) != 0)
		goto fail;
	for (size_t i = 0; i < r.nrows; i++) {
		json_t *m = json_object(), *lv = json_object(), *refs = json_object();

		set_text(m, "code", db_cell(&r, i, 0));
		set_text(m, "area", db_cell(&r, i, 1));
		set_text(m, "type", db_cell(&r, i, 2));
		set_text(m, "scope", db_cell(&r, i, 3));
		for (size_t k = 0; k < ASPECTS; k++)
			if (db_cell(&r, i, 4 + k))
				json_object_set_new(lv, aspect_keys[k],
						    json_integer(db_cell_i64(&r, i, 4 + k)));
		json_object_set_new(m, "levels", lv);
		set_text(m, "title_sv", db_cell(&r, i, 8));
		set_text(m, "title_en", db_cell(&r, i, 9));
		set_text(m, "text_sv", db_cell(&r, i, 10));
		set_text(m, "text_en", db_cell(&r, i, 11));
		set_text(m, "req_sv", db_cell(&r, i, 12));
		json_object_set_new(refs, "iso27001", split_list(db_cell(&r, i, 13)));
		set_text(refs, "msbfs", db_cell(&r, i, 14));
		set_text(refs, "nis2", db_cell(&r, i, 15));
		set_text(refs, "seed", db_cell(&r, i, 16));
		json_object_set_new(m, "refs", refs);
		json_object_set_new(m, "req", split_list(db_cell(&r, i, 17)));
		json_array_append_new(ms, m);
	}
	json_object_set_new(root, "measures", ms);
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text) {
		err->code = DBE_CHECK;
		snprintf(err->msg, sizeof(err->msg), "catalogue export: out of memory");
		return -1;
	}
	buf_puts(out, text);
	buf_putc(out, '\n');
	free(text);
	return 0;
fail:
	json_decref(root);
	json_decref(ms);
	return -1;
}
