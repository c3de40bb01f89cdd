/* identity.c - identity sources: their settings, group mappings, and the
 * end of every external sign-in (identity.h). */
#include "base/base.h"

#include <jansson.h>
#include <sodium.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/ctx.h"
#include "core/entity.h"
#include "core/i18n.h"
#include "core/roles.h"
#include "db/db.h"
#include "modules/org/org.h"
#include "modules/signin/identity.h"
#include "modules/signin/signin.h"

const struct identity_kind *identity_kind_find(const char *code)
{
	for (size_t i = 0; code && identity_kinds[i]; i++)
		if (!strcmp(identity_kinds[i]->code, code))
			return identity_kinds[i];
	return NULL;
}

/* ---- secrets ------------------------------------------------------------ */

/* The secretbox key of source id: BLAKE2b keyed by the server key over
 * "identity-source:ID", so a copied secret does not open for another row. */
static int secret_key(int64_t id, unsigned char key[crypto_secretbox_KEYBYTES])
{
	static const unsigned char zero[32];
	char label[48];
	int n = snprintf(label, sizeof(label), "identity-source:%lld", (long long)id);

	if (sodium_memcmp(auth_cfg.key, zero, sizeof(zero)) == 0)
		return -1; /* no server key loaded: refuse rather than use a known key */
	return crypto_generichash(key, crypto_secretbox_KEYBYTES, (const unsigned char *)label,
				  (size_t)n, auth_cfg.key, sizeof(auth_cfg.key));
}

static char *secret_seal(struct arena *a, int64_t id, const char *plain)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	size_t len = strlen(plain), blen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	unsigned char *box = arena_alloc(a, blen);
	size_t b64len = sodium_base64_ENCODED_LEN(blen, sodium_base64_VARIANT_ORIGINAL);
	char *out = arena_alloc(a, b64len);

	if (secret_key(id, key))
		return NULL;
	randombytes_buf(box, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, len,
			      box, key);
	sodium_memzero(key, sizeof(key));
	return sodium_bin2base64(out, b64len, box, blen, sodium_base64_VARIANT_ORIGINAL);
}

static char *secret_open(struct arena *a, int64_t id, const char *sealed)
{
	unsigned char key[crypto_secretbox_KEYBYTES];
	size_t slen = strlen(sealed), blen;
	unsigned char *box = arena_alloc(a, slen + 1);
	char *plain;

	if (sodium_base642bin(box, slen + 1, sealed, slen, NULL, &blen, NULL,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    blen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES || secret_key(id, key))
		return NULL;
	plain = arena_alloc(a, blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain, box + crypto_secretbox_NONCEBYTES,
				       blen - crypto_secretbox_NONCEBYTES, box, key)) {
		sodium_memzero(key, sizeof(key));
		return NULL;
	}
	sodium_memzero(key, sizeof(key));
	plain[blen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES] = 0;
	return plain;
}

/* ---- loading ------------------------------------------------------------ */

#define SOURCE_COLS                                                                         \
	"s.id, s.org_id, o.slug, s.kind, s.name, s.enabled, s.default_role, s.config, "   \
	"s.secret, s.version, s.archived"

static const char sql_source_get[] =
	"SELECT " SOURCE_COLS " FROM identity_source s JOIN organisation o ON o.id = s.org_id"
	" WHERE s.id = $1";
static const char sql_sources_enabled[] =
	"SELECT " SOURCE_COLS " FROM identity_source s JOIN organisation o ON o.id = s.org_id"
	" WHERE s.enabled = 1 AND s.archived = 0 AND o.archived = 0"
	" AND ($1 = '' OR s.kind = $1) AND ($2 = 0 OR s.org_id = $2)"
	" ORDER BY s.org_id, s.name_sk, s.id LIMIT 50";

static const char *json_str(struct arena *a, json_t *o, const char *key)
{
	json_t *v = o ? json_object_get(o, key) : NULL;

	return json_is_string(v) ? arena_strdup(a, json_string_value(v)) : NULL;
}

/* Row i of rows (SOURCE_COLS) into a source. */
static struct identity_source *source_from_row(struct arena *a, const struct db_rows *r, size_t i)
{
	struct identity_source *s = arena_alloc(a, sizeof(*s));
	json_t *cfg, *sec = NULL;
	const char *sealed = db_cell(r, i, 8);
	size_t n = 0;

	memset(s, 0, sizeof(*s));
	s->id = db_cell_i64(r, i, 0);
	s->org_id = db_cell_i64(r, i, 1);
	s->org_slug = db_cell(r, i, 2);
	s->kind = db_cell(r, i, 3);
	s->name = db_cell(r, i, 4);
	s->enabled = db_cell_i64(r, i, 5) && !db_cell_i64(r, i, 10);
	s->default_role = db_cell(r, i, 6) && *db_cell(r, i, 6) ? db_cell(r, i, 6) : NULL;
	s->version = db_cell_i64(r, i, 9);
	s->k = identity_kind_find(s->kind);
	if (!s->k)
		return s;
	cfg = json_loads(db_cell(r, i, 7) ? db_cell(r, i, 7) : "{}", 0, NULL);
	if (sealed && *sealed) {
		char *plain = secret_open(a, s->id, sealed);

		if (plain) {
			sec = json_loads(plain, 0, NULL);
			sodium_memzero(plain, strlen(plain));
		} else {
			log_error("identity source %lld: its secret settings cannot be opened "
				  "(another server key?)", (long long)s->id);
		}
	}
	for (const struct identity_field *f = s->k->fields; f && f->key; f++)
		n++;
	s->keys = arena_alloc(a, (n + 1) * sizeof(*s->keys));
	s->values = arena_alloc(a, (n + 1) * sizeof(*s->values));
	for (size_t k = 0; k < n; k++) {
		const struct identity_field *f = &s->k->fields[k];

		s->keys[k] = f->key;
		s->values[k] = json_str(a, f->type == IF_SECRET ? sec : cfg, f->key);
	}
	s->nvalues = n;
	json_decref(cfg);
	json_decref(sec);
	return s;
}

int identity_source_load(struct db *db, struct arena *a, int64_t id,
			 struct identity_source **out, struct db_error *err)
{
	struct db_rows r;

	*out = NULL;
	if (db_exec(db, a, sql_source_get, DB_ARGS(DB_INT(id)), &r, err))
		return -1;
	if (r.nrows != 1)
		return 1;
	*out = source_from_row(a, &r, 0);
	return 0;
}

int identity_sources_enabled(struct db *db, struct arena *a, const char *kind,
			     int64_t org_id, struct identity_source ***out,
			     struct db_error *err)
{
	struct db_rows r;
	size_t n = 0;

	*out = NULL;
	if (db_exec(db, a, sql_sources_enabled, DB_ARGS(DB_TEXT(kind ? kind : ""), DB_INT(org_id)),
		    &r, err))
		return -1;
	*out = arena_alloc(a, (r.nrows + 1) * sizeof(**out));
	for (size_t i = 0; i < r.nrows; i++) {
		struct identity_source *s = source_from_row(a, &r, i);

		if (s->k)
			(*out)[n++] = s;
	}
	(*out)[n] = NULL;
	return (int)n;
}

const char *identity_get(const struct identity_source *src, const char *key)
{
	for (size_t i = 0; i < src->nvalues; i++)
		if (!strcmp(src->keys[i], key)) {
			if (src->values[i] && *src->values[i])
				return src->values[i];
			return src->k->fields[i].def;
		}
	return NULL;
}

/* ---- saving ------------------------------------------------------------- */

static const char *value_of(size_t n, const char *const *keys, const char *const *values,
			    const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i] && !strcmp(keys[i], key))
			return values[i];
	return NULL;
}

static int check_problem(struct db_error *err, int msg, const char *field)
{
	return db_error_set(err, DBE_CHECK, "%d:%s", msg, field ? field : "");
}

static const char sql_source_insert[] =
	"INSERT INTO identity_source (org_id, kind, name, name_sk, enabled, default_role, config,"
	" created_at, updated_at, created_by, updated_by)"
	" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, $9) RETURNING id";
static const char sql_source_update[] =
	"UPDATE identity_source SET name = $1, name_sk = $2, enabled = $3, default_role = $4,"
	" config = $5, secret = COALESCE($6, secret), version = version + 1, updated_at = $7,"
	" updated_by = $8 WHERE id = $9 AND org_id = $10 AND version = $11 RETURNING id";
static const char sql_source_secret[] =
	"UPDATE identity_source SET secret = $1 WHERE id = $2";

int64_t identity_source_save(struct ctx *cx, int64_t id, int64_t expected_version,
			     const char *kind, const char *name, int enabled,
			     const char *default_role, size_t n, const char *const *keys,
			     const char *const *values, struct db_error *err)
{
	const struct identity_kind *k = identity_kind_find(kind);
	struct identity_source probe, *old = NULL;
	json_t *cfg = json_object(), *sec = json_object(), *shown = json_object();
	size_t nf = 0;
	char *cfg_text = NULL, *sec_text = NULL, *shown_text = NULL;
	const char *sealed = NULL;
	int changed_secret = 0, rc = -1, problem = 0;
	const char *pfield = NULL;
	struct audit_event ev = { 0 };
	struct db_rows r;

	memset(err, 0, sizeof(*err));
	if (!cx->org)
		BUG("identity_source_save without an organisation");
	if (!k) {
		check_problem(err, M_IDENTITY_V_KIND, "kind");
		goto out;
	}
	if (!name || !*name || strlen(name) > 200) {
		check_problem(err, M_V_REQUIRED, "name");
		goto out;
	}
	if (default_role && *default_role && role_parse(default_role) < 0) {
		check_problem(err, M_IDENTITY_V_ROLE, "default_role");
		goto out;
	}
	if (id && identity_source_load(cx->db, cx->a, id, &old, err) != 0) {
		if (!err->code)
			db_error_set(err, DBE_NOTFOUND, "no identity source %lld", (long long)id);
		goto out;
	}
	if (old && (old->org_id != cx->org->id || strcmp(old->kind, kind))) {
		db_error_set(err, DBE_NOTFOUND, "no identity source %lld here", (long long)id);
		goto out;
	}
	for (const struct identity_field *f = k->fields; f && f->key; f++)
		nf++;
	/* The probe the kind validates: the new values, a kept secret kept. */
	memset(&probe, 0, sizeof(probe));
	probe.id = id;
	probe.org_id = cx->org->id;
	probe.org_slug = cx->org->slug;
	probe.kind = k->code;
	probe.name = name;
	probe.enabled = enabled;
	probe.default_role = default_role && *default_role ? default_role : NULL;
	probe.k = k;
	probe.nvalues = nf;
	probe.keys = arena_alloc(cx->a, (nf + 1) * sizeof(*probe.keys));
	probe.values = arena_alloc(cx->a, (nf + 1) * sizeof(*probe.values));
	for (size_t i = 0; i < nf; i++) {
		const struct identity_field *f = &k->fields[i];
		const char *v = value_of(n, keys, values, f->key);

		if (v && strlen(v) > (f->type == IF_LONGTEXT ? 20000u : 2000u)) {
			check_problem(err, M_IDENTITY_V_TOO_LONG, f->key);
			goto out;
		}
		if (f->type == IF_SECRET && (!v || !*v)) {
			v = old ? old->values[i] : NULL; /* kept */
		} else if (f->type == IF_SECRET) {
			changed_secret = 1;
		}
		if (f->type == IF_BOOL && v && *v && strcmp(v, "0") && strcmp(v, "1")) {
			check_problem(err, M_IDENTITY_V_BOOL, f->key);
			goto out;
		}
		if (f->required && (!v || !*v) && !(f->def && *f->def)) {
			check_problem(err, M_V_REQUIRED, f->key);
			goto out;
		}
		if (v && !utf8_valid_text(v, strlen(v))) {
			check_problem(err, M_IDENTITY_V_TOO_LONG, f->key);
			goto out;
		}
		probe.keys[i] = f->key;
		probe.values[i] = v;
		if (!v || !*v)
			continue;
		if (f->type == IF_SECRET) {
			json_object_set_new(sec, f->key, json_string(v));
			json_object_set_new(shown, f->key, json_string(changed_secret ? "(ändrad)" : "(oförändrad)"));
		} else {
			json_object_set_new(cfg, f->key, json_string(v));
			json_object_set_new(shown, f->key, json_string(v));
		}
	}
	if (k->validate && (problem = k->validate(&probe, cx->a, &pfield)) != 0) {
		check_problem(err, problem, pfield);
		goto out;
	}
	cfg_text = json_dumps(cfg, JSON_SORT_KEYS | JSON_COMPACT);
	shown_text = json_dumps(shown, JSON_SORT_KEYS | JSON_COMPACT);
	if (!cfg_text || !shown_text) {
		db_error_set(err, DBE_OTHER, "out of memory");
		goto out;
	}
	if (db_begin(cx->db, err))
		goto out;
	if (!id) {
		if (db_exec(cx->db, cx->a, sql_source_insert,
			    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(k->code), DB_TEXT(name),
				    DB_TEXT(utf8_sortkey(cx->a, name)), DB_INT(enabled ? 1 : 0),
				    DB_TEXT(probe.default_role), DB_TEXT(cfg_text), DB_INT(cx->now),
				    cx->user_id ? DB_INT(cx->user_id) : DB_NULL),
			    &r, err) || r.nrows != 1)
			goto fail;
		id = db_cell_i64(&r, 0, 0);
		changed_secret = json_object_size(sec) > 0;
	}
	if (changed_secret) {
		sec_text = json_dumps(sec, JSON_SORT_KEYS | JSON_COMPACT);
		if (!sec_text || !(sealed = secret_seal(cx->a, id, sec_text))) {
			db_error_set(err, DBE_OTHER, "the server key is missing: secrets cannot be sealed");
			goto fail;
		}
	}
	if (old) {
		if (db_exec(cx->db, cx->a, sql_source_update,
			    DB_ARGS(DB_TEXT(name), DB_TEXT(utf8_sortkey(cx->a, name)),
				    DB_INT(enabled ? 1 : 0), DB_TEXT(probe.default_role),
				    DB_TEXT(cfg_text), DB_TEXT(sealed), DB_INT(cx->now),
				    cx->user_id ? DB_INT(cx->user_id) : DB_NULL, DB_INT(id),
				    DB_INT(cx->org->id), DB_INT(expected_version)),
			    &r, err))
			goto fail;
		if (r.nrows != 1) {
			db_error_set(err, DBE_CONFLICT, "identity source %lld changed meanwhile",
				     (long long)id);
			goto fail;
		}
	} else if (sealed && db_exec(cx->db, cx->a, sql_source_secret,
				     DB_ARGS(DB_TEXT(sealed), DB_INT(id)), NULL, err)) {
		goto fail;
	}
	audit_from_ctx(cx, &ev);
	ev.action = old ? "update" : "create";
	ev.entity = "identity-sources";
	ev.entity_id = id;
	ev.summary = name;
	ev.after = shown_text;
	if (audit_append(cx->db, cx->a, &ev, err))
		goto fail;
	if (db_commit(cx->db, err))
		goto fail;
	rc = 0;
	goto out;
fail:
	db_rollback(cx->db);
out:
	if (sec_text) {
		sodium_memzero(sec_text, strlen(sec_text));
		free(sec_text);
	}
	free(cfg_text);
	free(shown_text);
	json_decref(cfg);
	json_decref(sec);
	json_decref(shown);
	return rc ? 0 : id;
}

/* ---- group mappings ----------------------------------------------------- */

int64_t identity_map_add(struct ctx *cx, int64_t source_id, const char *group,
			 const char *role, int64_t unit_id, struct db_error *err)
{
	struct db_rows r;
	struct audit_event ev = { 0 };
	const char *fold;
	int64_t id;

	memset(err, 0, sizeof(*err));
	if (!group || !*group || strlen(group) > 500 || !utf8_valid_text(group, strlen(group)))
		return check_problem(err, M_V_REQUIRED, "group"), 0;
	if (!role || role_parse(role) < 0)
		return check_problem(err, M_IDENTITY_V_ROLE, "role"), 0;
	fold = utf8_fold(cx->a, group);
	if (db_begin(cx->db, err))
		return 0;
	if (db_exec(cx->db, cx->a,
		    "SELECT id FROM identity_source WHERE id = $1 AND org_id = $2 AND archived = 0",
		    DB_ARGS(DB_INT(source_id), DB_INT(cx->org->id)), &r, err))
		goto fail;
	if (r.nrows != 1) {
		db_error_set(err, DBE_NOTFOUND, "no identity source %lld here", (long long)source_id);
		goto fail;
	}
	if (unit_id) {
		if (db_exec(cx->db, cx->a,
			    "SELECT id FROM unit WHERE id = $1 AND org_id = $2 AND archived = 0",
			    DB_ARGS(DB_INT(unit_id), DB_INT(cx->org->id)), &r, err))
			goto fail;
		if (r.nrows != 1) {
			check_problem(err, M_IDENTITY_V_UNIT, "unit");
			goto fail;
		}
	}
	if (db_exec(cx->db, cx->a,
		    "SELECT id FROM identity_group_role WHERE source_id = $1 AND archived = 0"
		    " AND grp_fold = $2 AND role = $3 AND COALESCE(unit_id, 0) = $4",
		    DB_ARGS(DB_INT(source_id), DB_TEXT(fold), DB_TEXT(role), DB_INT(unit_id)), &r, err))
		goto fail;
	if (r.nrows) {
		id = db_cell_i64(&r, 0, 0);
		db_rollback(cx->db);
		return id;
	}
	if (db_exec(cx->db, cx->a,
		    "INSERT INTO identity_group_role (org_id, source_id, grp, grp_fold, role, unit_id,"
		    " created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(source_id), DB_TEXT(group), DB_TEXT(fold),
			    DB_TEXT(role), unit_id ? DB_INT(unit_id) : DB_NULL, DB_INT(cx->now),
			    cx->user_id ? DB_INT(cx->user_id) : DB_NULL),
		    &r, err) || r.nrows != 1)
		goto fail;
	id = db_cell_i64(&r, 0, 0);
	audit_from_ctx(cx, &ev);
	ev.action = "map_group";
	ev.entity = "identity-sources";
	ev.entity_id = source_id;
	ev.summary = arena_printf(cx->a, "%s -> %s", group, role);
	if (audit_append(cx->db, cx->a, &ev, err) || db_commit(cx->db, err))
		goto fail;
	return id;
fail:
	db_rollback(cx->db);
	return 0;
}

int identity_map_archive(struct ctx *cx, int64_t map_id, struct db_error *err)
{
	struct db_rows r;
	struct audit_event ev = { 0 };

	memset(err, 0, sizeof(*err));
	if (db_begin(cx->db, err))
		return -1;
	if (db_exec(cx->db, cx->a,
		    "UPDATE identity_group_role SET archived = 1 WHERE id = $1 AND org_id = $2"
		    " AND archived = 0 RETURNING source_id, grp, role",
		    DB_ARGS(DB_INT(map_id), DB_INT(cx->org->id)), &r, err))
		goto fail;
	if (r.nrows != 1) {
		db_error_set(err, DBE_NOTFOUND, "no group mapping %lld here", (long long)map_id);
		goto fail;
	}
	audit_from_ctx(cx, &ev);
	ev.action = "unmap_group";
	ev.entity = "identity-sources";
	ev.entity_id = db_cell_i64(&r, 0, 0);
	ev.summary = arena_printf(cx->a, "%s -> %s", db_cell(&r, 0, 1), db_cell(&r, 0, 2));
	if (audit_append(cx->db, cx->a, &ev, err) || db_commit(cx->db, err))
		goto fail;
	return 0;
fail:
	db_rollback(cx->db);
	return -1;
}

/* ---- the end of a sign-in ---------------------------------------------- */

struct want_role {
	const char *role;
	int64_t unit_id;
	int have;
};

/* The roles the claims' groups (and the default role) give in src's
 * organisation: at most 64. */
static int wanted_roles(struct ctx *cx, const struct identity_source *src,
			const struct identity_claims *c, struct want_role *w, size_t *nw,
			struct db_error *err)
{
	struct db_rows r;

	*nw = 0;
	if (src->default_role)
		w[(*nw)++] = (struct want_role){ src->default_role, 0, 0 };
	if (db_exec(cx->db, cx->a,
		    "SELECT grp_fold, role, COALESCE(unit_id, 0) FROM identity_group_role"
		    " WHERE source_id = $1 AND archived = 0 ORDER BY id LIMIT 500",
		    DB_ARGS(DB_INT(src->id)), &r, err))
		return -1;
	for (size_t i = 0; i < r.nrows && *nw < 64; i++) {
		const char *g = db_cell(&r, i, 0);
		int member = 0;

		for (size_t k = 0; k < c->ngroups && !member; k++)
			member = c->groups[k] && !strcmp(utf8_fold(cx->a, c->groups[k]), g);
		if (!member)
			continue;
		for (size_t k = 0; k < *nw; k++)
			if (!strcmp(w[k].role, db_cell(&r, i, 1)) &&
			    w[k].unit_id == db_cell_i64(&r, i, 2))
				member = 0;
		if (member)
			w[(*nw)++] = (struct want_role){ db_cell(&r, i, 1), db_cell_i64(&r, i, 2), 0 };
	}
	return 0;
}

/* The unit the claims' unit value names (code, then name), or 0. */
static int64_t unit_of_claim(struct ctx *cx, const char *v)
{
	struct db_rows r;
	struct db_error err;

	if (!v || !*v)
		return 0;
	if (db_exec(cx->db, cx->a,
		    "SELECT id FROM unit WHERE org_id = $1 AND archived = 0 AND (code = $2 OR name = $2)"
		    " ORDER BY (code = $2) DESC, id LIMIT 1",
		    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(v)), &r, &err) || r.nrows != 1)
		return 0;
	return db_cell_i64(&r, 0, 0);
}

static const char *i64s(struct arena *a, int64_t v)
{
	return v ? arena_printf(a, "%lld", (long long)v) : NULL;
}

/* The account of the claims: by the source's subject, else by e-mail
 * (linked then), else a new one without a password.  0 on error. */
static int64_t account_of(struct ctx *cx, const struct identity_source *src,
			  const struct identity_claims *c, struct db_error *err)
{
	struct db_rows r;
	int64_t uid;

	if (db_exec(cx->db, cx->a,
		    "SELECT user_id FROM external_identity WHERE source_id = $1 AND subject = $2",
		    DB_ARGS(DB_INT(src->id), DB_TEXT(c->subject)), &r, err))
		return 0;
	if (r.nrows == 1) {
		uid = db_cell_i64(&r, 0, 0);
		if (db_exec(cx->db, cx->a,
			    "UPDATE external_identity SET last_seen_at = $1 WHERE source_id = $2"
			    " AND subject = $3",
			    DB_ARGS(DB_INT(cx->now), DB_INT(src->id), DB_TEXT(c->subject)), NULL, err))
			return 0;
		return uid;
	}
	uid = user_find_by_email(cx->db, cx->a, c->email);
	if (!uid && !(uid = user_create(cx->db, cx->a, c->email, NULL, err)))
		return 0;
	if (db_exec(cx->db, cx->a,
		    "INSERT INTO external_identity (source_id, subject, user_id, created_at,"
		    " last_seen_at) VALUES ($1, $2, $3, $4, $4)",
		    DB_ARGS(DB_INT(src->id), DB_TEXT(c->subject), DB_INT(uid), DB_INT(cx->now)),
		    NULL, err))
		return 0;
	return uid;
}

/* The person of account uid in the organisation, linked or created and
 * brought up to date from the claims.  0 on error; *ended when the
 * person's employment has ended. */
static int64_t person_of(struct ctx *cx, int64_t uid, const struct identity_claims *c,
			 int *ended, int *changed, struct db_error *err)
{
	struct db_rows r;
	struct record rec;
	struct field_errors errs = { 0 };
	const char *name = c->name && *c->name ? c->name : c->email;
	int64_t unit = unit_of_claim(cx, c->unit), pid;

	*ended = 0;
	if (db_exec(cx->db, cx->a,
		    "SELECT id FROM person WHERE org_id = $1 AND user_id = $2",
		    DB_ARGS(DB_INT(cx->org->id), DB_INT(uid)), &r, err))
		return 0;
	if (r.nrows == 0) {
		if (db_exec(cx->db, cx->a,
			    "SELECT id FROM person WHERE org_id = $1 AND user_id IS NULL AND"
			    " archived = 0 AND lower(email) = $2 ORDER BY id LIMIT 1",
			    DB_ARGS(DB_INT(cx->org->id), DB_TEXT(auth_normalize_email(cx->a, c->email))),
			    &r, err))
			return 0;
	}
	if (r.nrows == 0) {
		const char *v[8] = { 0 };

		v[PERSON_NAME] = name;
		v[PERSON_EMAIL] = c->email;
		v[PERSON_UNIT] = i64s(cx->a, unit);
		v[PERSON_EMPLOYMENT] = "active";
		if (!(pid = entity_create_values(cx, &org_people, v, err)))
			return 0;
		*changed = 1;
	} else {
		pid = db_cell_i64(&r, 0, 0);
		if (entity_get(cx, &org_people, pid, &rec, err))
			return 0;
		if (rec.v[PERSON_EMPLOYMENT] && !strcmp(rec.v[PERSON_EMPLOYMENT], "ended")) {
			*ended = 1;
			return pid;
		}
		if (strcmp(rec.v[PERSON_NAME] ? rec.v[PERSON_NAME] : "", name) ||
		    strcmp(rec.v[PERSON_EMAIL] ? rec.v[PERSON_EMAIL] : "", c->email) ||
		    (unit && (!rec.v[PERSON_UNIT] || strtoll(rec.v[PERSON_UNIT], NULL, 10) != unit))) {
			rec.v[PERSON_NAME] = name;
			rec.v[PERSON_EMAIL] = c->email;
			if (unit)
				rec.v[PERSON_UNIT] = i64s(cx->a, unit);
			if (entity_update(cx, &org_people, &rec, &errs, err)) {
				if (!err->code)
					db_error_set(err, DBE_CHECK, "the person cannot be updated "
						     "from the source (%zu problems)", errs.n);
				return 0;
			}
			*changed = 1;
		}
	}
	if (db_exec(cx->db, cx->a,
		    "UPDATE person SET user_id = $1 WHERE id = $2 AND user_id IS NULL",
		    DB_ARGS(DB_INT(uid), DB_INT(pid)), NULL, err))
		return 0;
	return pid;
}

/* Brings the person's roles from src in line with w; the number of live
 * roles the person holds here afterwards, or -1. */
static int sync_roles(struct ctx *cx, const struct identity_source *src, int64_t pid,
		      struct want_role *w, size_t nw, int *changed, struct db_error *err)
{
	struct db_rows r;
	struct field_errors errs = { 0 };

	if (db_exec(cx->db, cx->a,
		    "SELECT id, role, COALESCE(unit_id, 0), version FROM role_assignment"
		    " WHERE person_id = $1 AND source_id = $2 AND archived = 0",
		    DB_ARGS(DB_INT(pid), DB_INT(src->id)), &r, err))
		return -1;
	for (size_t i = 0; i < r.nrows; i++) {
		int keep = 0;

		for (size_t k = 0; k < nw; k++)
			if (!strcmp(w[k].role, db_cell(&r, i, 1)) && w[k].unit_id == db_cell_i64(&r, i, 2))
				keep = w[k].have = 1;
		if (keep)
			continue;
		if (entity_set_archived(cx, &org_roles, db_cell_i64(&r, i, 0), db_cell_i64(&r, i, 3),
					1, &errs, err)) {
			/* the last administrator stays: logged, the sign-in goes on */
			log_warn("identity source %lld: role %s of person %lld kept (%s)",
				 (long long)src->id, db_cell(&r, i, 1), (long long)pid,
				 errs.n ? "a rule keeps it" : err->msg);
			if (!errs.n)
				return -1;
			memset(&errs, 0, sizeof(errs));
			memset(err, 0, sizeof(*err));
			continue;
		}
		*changed = 1;
	}
	for (size_t k = 0; k < nw; k++) {
		const char *v[4] = { 0 };
		int64_t rid;

		if (w[k].have)
			continue;
		v[ROLEA_PERSON] = i64s(cx->a, pid);
		v[ROLEA_ROLE] = w[k].role;
		v[ROLEA_UNIT] = i64s(cx->a, w[k].unit_id);
		v[ROLEA_NOTE] = arena_printf(cx->a, "%s", src->name);
		if (!(rid = entity_create_values(cx, &org_roles, v, err)))
			return -1;
		if (db_exec(cx->db, cx->a, "UPDATE role_assignment SET source_id = $1 WHERE id = $2",
			    DB_ARGS(DB_INT(src->id), DB_INT(rid)), NULL, err))
			return -1;
		*changed = 1;
	}
	if (db_exec(cx->db, cx->a,
		    "SELECT count(*) FROM (SELECT 1 FROM role_assignment WHERE person_id = $1"
		    " AND archived = 0 LIMIT 1) x",
		    DB_ARGS(DB_INT(pid)), &r, err))
		return -1;
	return (int)db_cell_i64(&r, 0, 0);
}

enum identity_result identity_signin(struct db *db, struct arena *a,
				     const struct identity_source *src,
				     const struct identity_claims *claims,
				     const char *ip, int64_t *user_id,
				     struct db_error *err)
{
	struct org_ctx org = { 0 };
	struct ctx cx;
	struct want_role w[64];
	size_t nw;
	struct db_rows r;
	int64_t uid, pid;
	int ended = 0, changed = 0, held;
	struct audit_event ev = { 0 };

	*user_id = 0;
	memset(err, 0, sizeof(*err));
	if (!claims->subject || !*claims->subject || !claims->email || !*claims->email) {
		db_error_set(err, DBE_CHECK, "the source gave no subject or no e-mail address");
		return ID_ERROR;
	}
	if (claims->disabled)
		return ID_DISABLED;
	org.id = src->org_id;
	org.slug = src->org_slug;
	org.roles = org.org_roles = RB(ROLE_ADMIN) | RB(ROLE_COORDINATOR);
	ctx_system(&cx, a, db, arena_printf(a, "%s (%s)", auth_normalize_email(a, claims->email),
					     src->name), VIA_WEB);
	cx.org = &org;
	cx.ip = ip;
	if (db_begin(db, err))
		return ID_ERROR;
	if (!(uid = account_of(&cx, src, claims, err)))
		goto fail;
	cx.user_id = uid;
	if (db_exec(db, a, "SELECT disabled FROM app_user WHERE id = $1", DB_ARGS(DB_INT(uid)),
		    &r, err) || r.nrows != 1)
		goto fail;
	if (db_cell_i64(&r, 0, 0)) {
		db_rollback(db);
		return ID_DISABLED;
	}
	if (!(pid = person_of(&cx, uid, claims, &ended, &changed, err)))
		goto fail;
	if (ended) {
		db_rollback(db);
		return ID_DISABLED;
	}
	if (wanted_roles(&cx, src, claims, w, &nw, err))
		goto fail;
	if ((held = sync_roles(&cx, src, pid, w, nw, &changed, err)) < 0)
		goto fail;
	if (held == 0) {
		db_rollback(db);
		return ID_NO_ROLE;
	}
	if (changed) {
		audit_from_ctx(&cx, &ev);
		ev.action = "identity_sync";
		ev.entity = "people";
		ev.entity_id = pid;
		ev.summary = src->name;
		if (audit_append(db, a, &ev, err))
			goto fail;
	}
	if (db_commit(db, err))
		goto fail;
	*user_id = uid;
	return ID_OK;
fail:
	db_rollback(db);
	log_error("identity source %lld: sign-in of a person failed: %s", (long long)src->id,
		  err->msg);
	return ID_ERROR;
}

/* ---- password sign-in through the directories -------------------------- */

static int domain_matches(const char *domains, const char *login)
{
	const char *at = strrchr(login, '@'), *p = domains;
	size_t dl;

	if (!domains || !*domains || !at)
		return 1;
	at++;
	dl = strlen(at);
	while (*p) {
		size_t n;

		while (*p == ',' || *p == ' ')
			p++;
		n = strcspn(p, ", ");
		if (n == dl && !strncasecmp(p, at, n))
			return 1;
		p += n;
	}
	return 0;
}

enum identity_result identity_password_signin(struct db *db, struct arena *a,
					      const char *login, const char *password,
					      const char *ip, int64_t *user_id,
					      const struct identity_source **src_out)
{
	struct identity_source **srcs;
	struct db_error err;
	int n, tried = 0, down = 0;
	enum identity_result last = ID_BAD;

	*user_id = 0;
	*src_out = NULL;
	if ((n = identity_sources_enabled(db, a, NULL, 0, &srcs, &err)) < 0) {
		log_error("identity sources: %s", err.msg);
		return ID_ERROR;
	}
	for (int i = 0; i < n; i++) {
		struct identity_claims c;
		const char *why = NULL;
		enum identity_result res;

		if (!srcs[i]->k->password || !domain_matches(identity_get(srcs[i], "domains"), login))
			continue;
		tried++;
		memset(&c, 0, sizeof(c));
		res = srcs[i]->k->password(srcs[i], a, login, password, &c, &why);
		if (why)
			log_info("identity source %lld: %s", (long long)srcs[i]->id, why);
		if (res == ID_UNAVAILABLE) {
			down++;
			continue;
		}
		if (res == ID_BAD)
			continue;
		*src_out = srcs[i];
		if (res != ID_OK)
			return res;
		return identity_signin(db, a, srcs[i], &c, ip, user_id, &err);
	}
	if (tried && down == tried)
		last = ID_UNAVAILABLE;
	return last;
}
