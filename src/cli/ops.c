/* ops.c - the command line's changes to the database (ops.h). */
#include "base/base.h"

#include <jansson.h>

#include "base/clock.h"
#include "base/utf8.h"
#include "cli/ops.h"
#include "core/audit.h"
#include "core/entity.h"
#include "core/roles.h"
#include "modules/org/org.h"
#include "core/i18n.h"

static void set_err(struct db_error *err, enum db_errcode code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(struct db_error *err, enum db_errcode code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void cli_ctx_init(struct cli_ctx *c, struct db *db)
{
	memset(c, 0, sizeof(*c));
	entity_prepare_all();
	c->db = db;
	ctx_system(&c->cx, &c->a, db, CLI_ACTOR, VIA_CLI);
}

void cli_ctx_release(struct cli_ctx *c)
{
	arena_release(&c->a);
}

/* ---- organisations ---- */

static const char sql_org_by_slug[] =
	"SELECT id, slug, name, kind, totp_roles FROM organisation"
	" WHERE slug = $1 AND archived = 0";

int cli_use_org(struct cli_ctx *c, const char *slug, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(c->db, &c->a, sql_org_by_slug, DB_ARGS(DB_TEXT(slug)), &r, err))
		return -1;
	if (r.nrows != 1) {
		set_err(err, DBE_NOTFOUND, "no organisation with the slug '%s'", slug);
		return -1;
	}
	memset(&c->org, 0, sizeof(c->org));
	c->org.id = db_cell_i64(&r, 0, 0);
	c->org.slug = db_cell(&r, 0, 1);
	c->org.name = db_cell(&r, 0, 2);
	c->org.kind = db_cell(&r, 0, 3);
	c->org.totp_roles = (unsigned)db_cell_i64(&r, 0, 4);
	c->org.roles = c->org.org_roles = RB(ROLE_ADMIN) | RB(ROLE_COORDINATOR);
	c->cx.org = &c->org;
	return 0;
}

int64_t cli_count_orgs(struct cli_ctx *c, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(c->db, &c->a, "SELECT count(*) FROM organisation", DB_NOARGS,
		    &r, err))
		return -1;
	return db_cell_i64(&r, 0, 0);
}

int cli_slug_ok(const char *slug)
{
	size_t n = strlen(slug);

	if (n < 2 || n > 40 || slug[0] == '-' || slug[n - 1] == '-')
		return 0;
	for (const char *p = slug; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return 0;
	return 1;
}

int cli_org_kind_ok(const char *kind)
{
	for (const struct choice *k = org_kinds; k->value; k++)
		if (strcmp(k->value, kind) == 0)
			return 1;
	return 0;
}

static char *json_text(struct arena *a, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	char *out;

	json_decref(o);
	if (!s)
		BUG("json_dumps failed");
	out = arena_strdup(a, s);
	free(s);
	return out;
}

int cli_audit_in(struct cli_ctx *c, int64_t org_id, const char *action,
		 const char *entity, int64_t entity_id, const char *summary,
		 const char *after, struct db_error *err)
{
	struct audit_event ev = { 0 };

	ev.org_id = org_id;
	ev.user_id = 0;
	ev.actor = CLI_ACTOR;
	ev.action = action;
	ev.entity = entity;
	ev.entity_id = entity_id;
	ev.summary = summary;
	ev.after = after;
	return audit_append(c->db, &c->a, &ev, err);
}

/* A change begins its own transaction (*own) when the caller holds none,
 * and otherwise joins the caller's (ops.h). */
static int tx_begin(struct cli_ctx *c, int *own, struct db_error *err)
{
	*own = !db_in_transaction(c->db);
	return *own ? db_begin(c->db, err) : 0;
}

/* Ends a change: its own transaction is committed, or rolled back keeping
 * the first error; in the caller's transaction the caller does either. */
static int finish(struct cli_ctx *c, int own, int rc, struct db_error *err)
{
	if (!own)
		return rc ? -1 : 0;
	if (rc == 0 && db_commit(c->db, err) == 0)
		return 0;
	db_rollback(c->db);
	return -1;
}

static const char sql_org_insert[] =
	"INSERT INTO organisation (slug, name, name_sk, kind, search, version,"
	" archived, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, 0, $6, $6)"
	" RETURNING id";

int64_t cli_org_create(struct cli_ctx *c, const char *slug, const char *name,
		       const char *kind, struct db_error *err)
{
	struct db_rows r;
	int64_t id = 0;
	int rc, own;

	if (tx_begin(c, &own, err))
		return 0;
	rc = db_exec(c->db, &c->a, sql_org_insert,
		     DB_ARGS(DB_TEXT(slug), DB_TEXT(name),
			     DB_TEXT(utf8_sortkey(&c->a, name)), DB_TEXT(kind),
			     DB_TEXT(utf8_fold(&c->a, arena_printf(&c->a, "%s %s", name, slug))),
			     DB_INT(clock_now())),
		     &r, err);
	if (rc == 0) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "slug", slug, "name", name,
				      "kind", kind);
		id = db_cell_i64(&r, 0, 0);
		json_object_set_new(o, "id", json_integer(id));
		rc = cli_audit_in(c, id, "create", "organisations", id, name,
				  json_text(&c->a, o), err);
	}
	if (finish(c, own, rc, err)) {
		if (err->code == DBE_UNIQUE)
			set_err(err, DBE_UNIQUE, "an organisation with the slug '%s' "
				"already exists", slug);
		return 0;
	}
	return id;
}

/* ---- accounts ---- */

static const char sql_pw_hash_set[] =
	"UPDATE app_user SET pw_hash = $2, version = version + 1, updated_at = $3"
	" WHERE id = $1 AND pw_hash IS NULL";

/* Argon2id takes a while: hashes are made before a transaction begins, so
 * that a running server's writers never wait for one. */
int cli_password_hash(const char *password, char *out, size_t outlen,
		      struct db_error *err)
{
	if (auth_hash_password(password, out, outlen)) {
		set_err(err, DBE_OTHER, "password hashing failed");
		return -1;
	}
	return 0;
}

int64_t cli_account_ensure(struct cli_ctx *c, const char *email,
			   const char *pw_hash, int *created,
			   struct db_error *err)
{
	const char *em = auth_normalize_email(&c->a, email);
	struct db_rows r;
	int64_t id;
	int rc, own;

	*created = 0;
	id = user_find_by_email(c->db, &c->a, em);
	if (id)
		return id;
	if (tx_begin(c, &own, err))
		return 0;
	/* in the caller's transaction a savepoint, so that losing the race
	 * below does not abort the caller's work (PostgreSQL would) */
	if (!own && db_savepoint(c->db, err))
		return 0;
	id = user_create(c->db, &c->a, em, NULL, err);
	rc = id ? 0 : -1;
	if (rc == 0 && pw_hash)
		rc = db_exec(c->db, &c->a, sql_pw_hash_set,
			     DB_ARGS(DB_INT(id), DB_TEXT(pw_hash), DB_INT(clock_now())),
			     &r, err);
	if (rc == 0) {
		/* the password, even hashed, stays out of the trail */
		json_t *o = json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id,
				      "email", em, "password_set", pw_hash != NULL);
		rc = cli_audit_in(c, 0, "create", "users", id, em,
				  json_text(&c->a, o), err);
	}
	if (!own) {
		if (rc == 0)
			rc = db_release_savepoint(c->db, err);
		else
			db_rollback_to_savepoint(c->db);
	}
	if (finish(c, own, rc, err)) {
		/* a concurrent `user add` may have won the race: use its account */
		if (err->code == DBE_UNIQUE && (id = user_find_by_email(c->db, &c->a, em)))
			return id;
		return 0;
	}
	*created = 1;
	return id;
}

int cli_account_has_password(struct cli_ctx *c, int64_t user_id,
			     struct db_error *err)
{
	struct db_rows r;

	if (db_exec(c->db, &c->a, "SELECT pw_hash FROM app_user WHERE id = $1",
		    DB_ARGS(DB_INT(user_id)), &r, err))
		return -1;
	return r.nrows == 1 && db_cell(&r, 0, 0) != NULL;
}

int cli_account_set_password(struct cli_ctx *c, int64_t user_id,
			     const char *email, const char *pw_hash,
			     struct db_error *err)
{
	struct db_rows r;
	int rc, own;

	if (tx_begin(c, &own, err))
		return -1;
	rc = db_exec(c->db, &c->a, sql_pw_hash_set,
		     DB_ARGS(DB_INT(user_id), DB_TEXT(pw_hash), DB_INT(clock_now())),
		     &r, err);
	if (rc == 0 && r.changes != 1) {
		set_err(err, DBE_CONFLICT, "the account %s already has a password", email);
		rc = -1;
	}
	if (rc == 0)
		rc = cli_audit_in(c, 0, "password_set", "users", user_id, email, NULL, err);
	return finish(c, own, rc, err);
}

/* ---- records through the entity engine ---- */

int64_t cli_entity_create(struct cli_ctx *c, const struct entity *e,
			  const char **vals, struct db_error *err)
{
	if (!c->cx.org)
		BUG("cli_entity_create without an organisation");
	return entity_create_values(&c->cx, e, vals, err);
}

/* ---- people and accounts ---- */

int64_t cli_person_of_user(struct cli_ctx *c, int64_t user_id, struct db_error *err)
{
	struct db_rows r;

	memset(err, 0, sizeof(*err));
	if (db_exec(c->db, &c->a,
		    "SELECT id FROM person WHERE org_id = $1 AND user_id = $2",
		    DB_ARGS(DB_INT(c->org.id), DB_INT(user_id)), &r, err))
		return 0;
	return r.nrows ? db_cell_i64(&r, 0, 0) : 0;
}

int64_t cli_person_unlinked_by_email(struct cli_ctx *c, const char *email,
				     struct db_error *err)
{
	struct db_rows r;

	memset(err, 0, sizeof(*err));
	/* the engine stores person e-mails folded (utf8_fold) */
	if (db_exec(c->db, &c->a,
		    "SELECT id FROM person WHERE org_id = $1 AND email = $2"
		    " AND user_id IS NULL AND archived = 0 ORDER BY id",
		    DB_ARGS(DB_INT(c->org.id), DB_TEXT(utf8_fold(&c->a, email))),
		    &r, err))
		return 0;
	return r.nrows ? db_cell_i64(&r, 0, 0) : 0;
}

static const char sql_person_link[] =
	"UPDATE person SET user_id = $3, version = version + 1, updated_at = $4"
	" WHERE org_id = $1 AND id = $2 AND user_id IS NULL";

int cli_person_link(struct cli_ctx *c, int64_t person_id, int64_t user_id,
		    const char *email, struct db_error *err)
{
	struct db_rows r;
	int rc, own;

	if (tx_begin(c, &own, err))
		return -1;
	rc = db_exec(c->db, &c->a, sql_person_link,
		     DB_ARGS(DB_INT(c->org.id), DB_INT(person_id), DB_INT(user_id),
			     DB_INT(clock_now())),
		     &r, err);
	if (rc == 0 && r.changes != 1) {
		set_err(err, DBE_CONFLICT, "person %lld is already linked to an account",
			(long long)person_id);
		rc = -1;
	}
	if (rc == 0) {
		/* the summary names the account, not the person: the person
		 * may have a protected identity */
		json_t *o = json_pack("{s:I, s:s}", "user_id", (json_int_t)user_id,
				      "account", email);
		rc = cli_audit_in(c, c->org.id, "link_account", "people", person_id,
				  email, json_text(&c->a, o), err);
	}
	if (finish(c, own, rc, err)) {
		if (err->code == DBE_UNIQUE)
			set_err(err, DBE_UNIQUE, "the account %s already has a person "
				"in %s", email, c->org.slug);
		return -1;
	}
	return 0;
}

int cli_unit_exists(struct cli_ctx *c, int64_t unit_id, struct db_error *err)
{
	struct db_rows r;

	if (db_exec(c->db, &c->a,
		    "SELECT id FROM unit WHERE org_id = $1 AND id = $2 AND archived = 0",
		    DB_ARGS(DB_INT(c->org.id), DB_INT(unit_id)), &r, err))
		return -1;
	return r.nrows == 1;
}

int64_t cli_role_find(struct cli_ctx *c, int64_t person_id, const char *role,
		      int64_t unit_id, struct db_error *err)
{
	struct db_rows r;

	memset(err, 0, sizeof(*err));
	if (db_exec(c->db, &c->a,
		    "SELECT id FROM role_assignment WHERE org_id = $1 AND person_id = $2"
		    " AND role = $3 AND archived = 0"
		    " AND (($4 = 0 AND unit_id IS NULL) OR unit_id = $4)",
		    DB_ARGS(DB_INT(c->org.id), DB_INT(person_id), DB_TEXT(role),
			    DB_INT(unit_id)),
		    &r, err))
		return 0;
	return r.nrows ? db_cell_i64(&r, 0, 0) : 0;
}

/* ---- tokens ---- */

const char *cli_token_create(struct cli_ctx *c, int64_t user_id, const char *email,
			     const struct api_token_spec *spec, struct db_error *err)
{
	const char *tok;
	int64_t id = 0;
	int rc = -1, own;

	if (tx_begin(c, &own, err))
		return NULL;
	tok = api_token_create_spec(c->db, &c->a, user_id, spec, &id, err);
	if (tok) {
		json_t *o = json_pack("{s:s, s:I, s:s, s:i}", "label", spec->label,
				      "days", (json_int_t)spec->days, "scopes", spec->scopes,
				      "rate_per_min", spec->rate);
		/* in the organisation it belongs to, so its audit page shows it */
		rc = cli_audit_in(c, spec->org_id, "token_create", "users", user_id,
				  arena_printf(&c->a, "API token \"%s\" for %s", spec->label, email),
				  json_text(&c->a, o), err);
	}
	return finish(c, own, rc, err) ? NULL : tok;
}

const char *cli_reset_token_create(struct cli_ctx *c, int64_t user_id,
				   const char *email, int64_t org_id, struct db_error *err)
{
	const char *tok;
	int rc = -1, own;

	if (tx_begin(c, &own, err))
		return NULL;
	tok = reset_token_create(c->db, &c->a, user_id, 0, err);
	if (tok)
		rc = cli_audit_in(c, org_id, "reset_link", "users", user_id,
				  arena_printf(&c->a, "password reset link for %s", email),
				  NULL, err);
	return finish(c, own, rc, err) ? NULL : tok;
}
