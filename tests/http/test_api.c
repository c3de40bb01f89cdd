/* test_api.c - the JSON API through the real router, on a real database.
 *
 * Requests are built by hand and passed to app_handle(), as server.c does,
 * so everything but the socket is the production path: routing, Bearer
 * authentication, organisation and role checks, the handlers, the entity
 * engine and the database (SQLite, or PostgreSQL with VARN_TEST_DB).
 *
 * Every response is also checked against the OpenAPI document the server
 * publishes, with a small JSON Schema checker below (type, enum, required,
 * properties, additionalProperties, items, maxLength/minLength, minimum/
 * maximum, pattern, format date/date-time, $ref), so the document is
 * proven against real answers, not just well-formed.
 */
#include "base/base.h"

#include <inttypes.h>
#include <regex.h>

#include <jansson.h>

#include "base/utf8.h"
#include "core/auth.h"
#include "core/entity.h"
#include "core/roles.h"
#include "db/db.h"
#include "http/http.h"
#include "web/app.h"
#include "tap.h"
#include "fixture.h"
#include "testdb.h"

/* ---- the world: the fixture's organisations, with API tokens ----------
 *
 * fixture.h: "alfa" and "beta";  admin@a.se administrator in alfa,
 * anvandare@a.se plain user in alfa, samordnare@a.se coordinator (not
 * administrator) in alfa and beta, admin@b.se administrator in beta, who
 * reads English here. */

static struct fixture *fx;
static const char *t_admin_a, *t_user_a, *t_coord, *t_admin_b;
static struct arena world = ARENA_INIT;

static void must(int ok, const char *what, const struct db_error *err)
{
	if (!ok) {
		printf("Bail out! %s: %s\n", what, err ? err->msg : "");
		exit(1);
	}
}

static const char *token_for(const char *email)
{
	struct db_error err = { 0 };
	int64_t uid = fx_user_id(fx, email);
	const char *t;

	must(uid > 0, email, NULL);
	t = api_token_create(fx->db, &world, uid, "test", 1, &err);
	must(t != NULL, "api_token_create", &err);
	return t;
}

static void world_setup(void)
{
	struct db_error err = { 0 };

	fx = fixture_new();
	log_quiet = !getenv("TEST_VERBOSE");
	must(!db_exec(fx->db, &world,
		      "UPDATE app_user SET lang = 'en' WHERE email = 'admin@b.se'",
		      DB_NOARGS, NULL, &err), "lang", &err);
	t_admin_a = token_for("admin@a.se");
	t_user_a = token_for("anvandare@a.se");
	t_coord = token_for("samordnare@a.se");
	t_admin_b = token_for("admin@b.se");
}

/* ---- the OpenAPI checker -------------------------------------------- */

static json_t *doc;

static json_t *resolve(json_t *s)
{
	int guard = 0;

	while (json_is_object(s) && json_object_get(s, "$ref")) {
		const char *p = json_string_value(json_object_get(s, "$ref"));
		json_t *cur = doc;

		if (!p || strncmp(p, "#/", 2) || guard++ > 16)
			return NULL;
		p += 2;
		while (*p && cur) {
			size_t n = strcspn(p, "/");
			char part[256];

			if (n >= sizeof(part))
				return NULL;
			memcpy(part, p, n);
			part[n] = '\0';
			cur = json_object_get(cur, part);
			p += n;
			if (*p == '/')
				p++;
		}
		s = cur;
	}
	return s;
}

static int type_is(const char *t, json_t *v)
{
	if (!strcmp(t, "object"))
		return json_is_object(v);
	if (!strcmp(t, "array"))
		return json_is_array(v);
	if (!strcmp(t, "string"))
		return json_is_string(v);
	if (!strcmp(t, "integer"))
		return json_is_integer(v);
	if (!strcmp(t, "number"))
		return json_is_number(v);
	if (!strcmp(t, "boolean"))
		return json_is_boolean(v);
	if (!strcmp(t, "null"))
		return json_is_null(v);
	return 0;
}

static int matches_regex(const char *pattern, const char *s)
{
	regex_t re;
	int rc;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return 0;
	rc = regexec(&re, s, 0, NULL, 0);
	regfree(&re);
	return rc == 0;
}

static int check(json_t *schema, json_t *v, const char *at, struct buf *why);

static int fail(struct buf *why, const char *at, const char *what)
{
	if (!why->len)
		buf_printf(why, "%s: %s", at, what);
	return -1;
}

static int check_string(json_t *s, json_t *v, const char *at, struct buf *why)
{
	const char *str = json_string_value(v);
	size_t len = utf8_length(str, json_string_length(v));
	json_t *k;
	const char *fmt;

	if ((k = json_object_get(s, "maxLength")) &&
	    (json_int_t)len > json_integer_value(k))
		return fail(why, at, "longer than maxLength");
	if ((k = json_object_get(s, "minLength")) &&
	    (json_int_t)len < json_integer_value(k))
		return fail(why, at, "shorter than minLength");
	if ((k = json_object_get(s, "pattern")) &&
	    !matches_regex(json_string_value(k), str))
		return fail(why, at, "does not match pattern");
	fmt = json_string_value(json_object_get(s, "format"));
	if (fmt && !strcmp(fmt, "date-time") && !matches_regex(
		"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$",
		str))
		return fail(why, at, "not a date-time");
	if (fmt && !strcmp(fmt, "date") &&
	    !matches_regex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$", str))
		return fail(why, at, "not a date");
	if (fmt && !strcmp(fmt, "email") && !strchr(str, '@'))
		return fail(why, at, "not an e-mail address");
	return 0;
}

static int check_object(json_t *s, json_t *v, const char *at, struct buf *why)
{
	json_t *props = json_object_get(s, "properties");
	json_t *req = json_object_get(s, "required");
	json_t *extra = json_object_get(s, "additionalProperties");
	const char *key;
	json_t *x;
	size_t i;

	json_array_foreach(req, i, x)
		if (!json_object_get(v, json_string_value(x)))
			return fail(why, at, json_string_value(x) ?
				    "a required key is missing" : "bad required");
	json_object_foreach(v, key, x) {
		json_t *ps = json_object_get(props, key);
		char *sub = arena_printf(&world, "%s.%s", at, key);

		if (ps) {
			if (check(ps, x, sub, why))
				return -1;
		} else if (json_is_false(extra)) {
			return fail(why, sub, "key not in the schema");
		} else if (json_is_object(extra) && check(extra, x, sub, why)) {
			return -1;
		}
	}
	return 0;
}

static int check(json_t *schema, json_t *v, const char *at, struct buf *why)
{
	json_t *s = resolve(schema), *t, *k, *x;
	size_t i;
	int hit;

	if (!json_is_object(s))
		return fail(why, at, "schema not found");
	if ((t = json_object_get(s, "type"))) {
		hit = 0;
		if (json_is_string(t))
			hit = type_is(json_string_value(t), v);
		json_array_foreach(t, i, x)
			hit |= type_is(json_string_value(x), v);
		if (!hit)
			return fail(why, at, "wrong type");
	}
	if ((k = json_object_get(s, "enum"))) {
		hit = 0;
		json_array_foreach(k, i, x)
			hit |= json_equal(x, v);
		if (!hit)
			return fail(why, at, "not one of enum");
	}
	if ((k = json_object_get(s, "const")) && !json_equal(k, v))
		return fail(why, at, "not the const");
	if (json_is_string(v))
		return check_string(s, v, at, why);
	if (json_is_integer(v)) {
		json_int_t n = json_integer_value(v);

		if ((k = json_object_get(s, "minimum")) && n < json_integer_value(k))
			return fail(why, at, "below minimum");
		if ((k = json_object_get(s, "maximum")) && n > json_integer_value(k))
			return fail(why, at, "above maximum");
	}
	if (json_is_object(v))
		return check_object(s, v, at, why);
	if (json_is_array(v) && (k = json_object_get(s, "items"))) {
		json_array_foreach(v, i, x)
			if (check(k, x, arena_printf(&world, "%s[%zu]", at, i), why))
				return -1;
	}
	return 0;
}

/* "/api/v1/orgs/{org}/units/{id}" matches "/api/v1/orgs/a/units/3". */
static int template_match(const char *tpl, const char *path)
{
	while (*tpl && *path) {
		if (*tpl == '{') {
			const char *end = strchr(tpl, '}');
			size_t n = strcspn(path, "/");

			if (!end || !n)
				return 0;
			tpl = end + 1;
			path += n;
			continue;
		}
		if (*tpl++ != *path++)
			return 0;
	}
	return !*tpl && !*path;
}

/* The schema the document promises for method path -> status; NULL when it
 * promises none.  Paths with no operation for the method (router errors:
 * unknown path, wrong method) must still use the error schema. */
static json_t *promised(const char *method, const char *path, int status)
{
	json_t *paths = json_object_get(doc, "paths"), *item, *op = NULL, *resp;
	const char *key;
	char m[16], st[8];
	size_t i;

	for (i = 0; method[i] && i < sizeof(m) - 1; i++)
		m[i] = (char)(method[i] | 0x20);
	m[i] = '\0';
	json_object_foreach(paths, key, item)
		if (template_match(key, path) && (op = json_object_get(item, m)))
			break;
	if (!op)
		return json_pack("{s:s}", "$ref", "#/components/schemas/error");
	snprintf(st, sizeof(st), "%d", status);
	resp = resolve(json_object_get(json_object_get(op, "responses"), st));
	if (!resp)
		return NULL;
	resp = json_object_get(json_object_get(json_object_get(resp, "content"),
					       "application/json"), "schema");
	return json_incref(resp);
}

/* ---- requests ------------------------------------------------------- */

struct res {
	int status;
	json_t *json;        /* parsed body, or NULL */
	char *etag, *location, *www_auth, *ctype;
	char *text;
};

static struct res last;
static int calls, calls_checked;

static void res_clear(struct res *r)
{
	json_decref(r->json);
	free(r->etag);
	free(r->location);
	free(r->www_auth);
	free(r->ctype);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

static char *dup_header(const struct resp *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (!strcasecmp(r->headers[i].name, name))
			return xstrdup(r->headers[i].value);
	return NULL;
}

/* One request; the answer is in `last` (and returned).  path may carry a
 * query after '?'; if_match and ctype may be NULL (ctype defaults to
 * application/json when there is a body). */
static struct res *req_full(const char *method, const char *url, const char *token,
			    const char *body, size_t body_len, const char *ctype,
			    const char *if_match)
{
	struct arena a = ARENA_INIT;
	struct req q;
	struct resp r;
	const char *qm = strchr(url, '?');
	json_t *schema;
	struct buf why = BUF_INIT;

	res_clear(&last);
	memset(&q, 0, sizeof(q));
	q.cx.a = &a;
	q.method = method;
	q.path = qm ? arena_strndup(&a, url, (size_t)(qm - url)) : url;
	q.query = qm ? qm + 1 : "";
	q.body = body ? body : "";
	q.body_len = body ? body_len : 0;
	q.h_content_type = body ? (ctype ? ctype : "application/json") : NULL;
	q.h_authorization = token ? arena_printf(&a, "Bearer %s", token) : NULL;
	q.h_if_match = if_match;
	q.h_host = "127.0.0.1:8080";
	q.remote_ip = "127.0.0.1";
	resp_init(&r);
	app_handle(&fx->app, &q, &r);

	last.status = r.status;
	last.text = xstrdup(r.body.p);
	last.etag = dup_header(&r, "ETag");
	last.location = dup_header(&r, "Location");
	last.www_auth = dup_header(&r, "WWW-Authenticate");
	last.ctype = r.content_type ? xstrdup(r.content_type) : NULL;
	last.json = json_loadb(r.body.p, r.body.len, JSON_REJECT_DUPLICATES, NULL);
	resp_release(&r);
	arena_release(&a);

	/* Every answer is JSON and keeps the promise of the document (from
	 * the first test on, which fetches it). */
	if (doc) {
		calls++;
		schema = promised(method, qm ? arena_strndup(&world, url,
				  (size_t)(qm - url)) : url, last.status);
		if (!schema) {
			ok(0, "%s %s -> %d is documented", method, url, last.status);
		} else if (!last.json) {
			ok(0, "%s %s -> %d has a JSON body", method, url, last.status);
		} else if (check(schema, last.json, "$", &why)) {
			ok(0, "%s %s -> %d matches the document: %s", method, url,
			   last.status, why.p);
			printf("# body: %.400s\n", last.text);
		} else {
			calls_checked++;
		}
		json_decref(schema);
	}
	buf_release(&why);
	if (!last.ctype || strcmp(last.ctype, "application/json; charset=utf-8"))
		ok(0, "%s %s: content type %s", method, url,
		   last.ctype ? last.ctype : "(none)");
	return &last;
}

static struct res *req_json(const char *method, const char *url, const char *token,
			    const char *body)
{
	return req_full(method, url, token, body, body ? strlen(body) : 0, NULL, NULL);
}

static struct res *get(const char *url, const char *token)
{
	return req_json("GET", url, token, NULL);
}

/* A packed JSON body (consumes v). */
static char *body_of(json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT);
	char *out = arena_strdup(&world, s);

	free(s);
	json_decref(v);
	return out;
}

static json_t *jget(json_t *o, const char *key)
{
	return json_object_get(o, key);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int64_t jint(json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

static json_t *err_obj(void)
{
	return jget(last.json, "error");
}

static const char *err_code(void)
{
	const char *c = jstr(err_obj(), "code");

	return c ? c : "(none)";
}

/* The entry of "fields" naming field, or NULL. */
static json_t *field_entry(const char *field)
{
	json_t *x;
	size_t i;

	json_array_foreach(jget(err_obj(), "fields"), i, x)
		if (jstr(x, "field") && !strcmp(jstr(x, "field"), field))
			return x;
	return NULL;
}

static int64_t create_unit(const char *token, const char *name, const char *kind)
{
	struct res *r = req_json("POST", "/api/v1/orgs/alfa/units", token,
				 body_of(json_pack("{s:s,s:s}", "name", name,
						   "kind", kind)));

	if (r->status != 201) {
		ok(0, "creating unit %s: %d %s", name, r->status, r->text);
		return 0;
	}
	return jint(r->json, "id");
}

/* ---- tests ---------------------------------------------------------- */

TEST(openapi_document_is_public_and_describes_the_registers)
{
	struct res *r = get("/api/v1/openapi.json", NULL);
	json_t *schemas, *unit, *name, *kind, *list;

	is_int(r->status, 200, "openapi.json without a token");
	ok(r->json && json_is_object(r->json), "the document is a JSON object");
	doc = json_incref(r->json);
	is_str(jstr(doc, "openapi"), "3.1.0", "OpenAPI 3.1");
	ok(jget(jget(doc, "paths"), "/api/v1/orgs/{org}/units/{id}/archive") != NULL,
	   "archive path documented");
	ok(jget(jget(jget(doc, "paths"), "/api/v1/orgs/{org}/people/{id}"), "patch")
	   != NULL, "PATCH of people documented");
	ok(jget(jget(jget(doc, "components"), "securitySchemes"), "bearer") != NULL,
	   "bearer security scheme");
	schemas = jget(jget(doc, "components"), "schemas");
	unit = jget(schemas, "units_record");
	name = jget(jget(unit, "properties"), "name");
	is_int(jint(name, "maxLength"), 200, "units.name maxLength from the declaration");
	kind = jget(jget(unit, "properties"), "kind");
	ok(json_array_size(jget(kind, "enum")) == 4, "units.kind enum of four kinds");
	list = jget(jget(schemas, "units_create"), "required");
	ok(json_array_size(list) == 2, "units_create requires name and kind");
	ok(jget(jget(jget(schemas, "units_record"), "properties"), "parent_id_title")
	   != NULL, "ref title in the record schema");
	ok(jget(schemas, "error") != NULL, "error schema");
	/* The checker itself must say no to what is wrong. */
	{
		struct buf why = BUF_INIT;
		json_t *bad = json_pack("{s:{s:i,s:s}}", "error", "status", 404,
					"code", "x");
		json_t *s = json_pack("{s:s}", "$ref", "#/components/schemas/error");

		ok(check(s, bad, "$", &why) != 0,
		   "checker refuses an error without message");
		json_decref(s);
		json_decref(bad);
		buf_release(&why);
	}
}

TEST(no_token_bad_token_and_revoked_token_are_refused)
{
	struct res *r;
	struct db_error err = { 0 };
	struct db_rows rows;
	const char *tok;
	int64_t tid, uid;

	r = get("/api/v1/orgs/alfa/units", NULL);
	is_int(r->status, 401, "no token -> 401");
	is_str(err_code(), "unauthorized", "code unauthorized");
	has_str(r->www_auth, "Bearer", "WWW-Authenticate: Bearer");
	is_int(jint(err_obj(), "status"), 401, "status in the body");

	r = get("/api/v1/orgs/alfa/units", "not-a-real-token");
	is_int(r->status, 401, "bad token -> 401");
	has_str(r->www_auth, "invalid_token", "WWW-Authenticate says invalid_token");

	tok = token_for("admin@a.se");
	uid = fx_user_id(fx, "admin@a.se");
	r = get("/api/v1/me", tok);
	is_int(r->status, 200, "fresh token works");
	must(!db_exec(fx->db, &world, "SELECT max(id) FROM api_token WHERE user_id = $1",
		      DB_ARGS(DB_INT(uid)), &rows, &err), "token id", &err);
	tid = db_cell_i64(&rows, 0, 0);
	ok(!api_token_revoke(fx->db, &world, uid, tid, &err), "token revoked");
	r = get("/api/v1/me", tok);
	is_int(r->status, 401, "revoked token -> 401");
}

/* The roles of the user in an organisation of /me, as "a,b". */
static const char *roles_of(json_t *org)
{
	struct buf b = BUF_INIT;
	json_t *x;
	size_t i;
	char *out;

	json_array_foreach(jget(org, "roles"), i, x)
		buf_printf(&b, "%s%s", i ? "," : "", json_string_value(x));
	out = arena_strdup(&world, b.p);
	buf_release(&b);
	return out;
}

TEST(me_lists_organisations_and_roles)
{
	struct res *r = get("/api/v1/me", t_admin_a);
	json_t *orgs;

	is_int(r->status, 200, "GET /me");
	is_str(jstr(r->json, "email"), "admin@a.se", "email");
	is_str(jstr(r->json, "lang"), "sv", "lang");
	orgs = jget(r->json, "organisations");
	is_int(json_array_size(orgs), 1, "one organisation");
	is_str(jstr(json_array_get(orgs, 0), "slug"), "alfa", "its slug");
	is_str(roles_of(json_array_get(orgs, 0)), role_code(ROLE_ADMIN),
	       "administrator there");

	/* A coordinator shared by two municipalities sees both. */
	r = get("/api/v1/me", t_coord);
	orgs = jget(r->json, "organisations");
	is_int(json_array_size(orgs), 2, "the shared coordinator: two organisations");
	is_str(jstr(json_array_get(orgs, 0), "slug"), "alfa", "alfa first");
	is_str(jstr(json_array_get(orgs, 1), "slug"), "beta", "then beta");
	is_str(roles_of(json_array_get(orgs, 1)), role_code(ROLE_COORDINATOR),
	       "coordinator in beta");
	r = get("/api/v1/me", t_admin_b);
	is_str(jstr(r->json, "lang"), "en", "admin@b.se reads English");
}

TEST(create_get_and_validation)
{
	struct res *r;
	int64_t id, child;
	char *url;

	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     "{\"name\":\"Kommunstyrelsen\",\"kind\":\"namnd\","
		     "\"code\":\"KS\",\"description\":\"Styr\"}");
	is_int(r->status, 201, "create -> 201");
	id = jint(r->json, "id");
	ok(id > 0, "has an id");
	is_int(jint(r->json, "version"), 1, "version 1");
	ok(json_is_false(jget(r->json, "archived")), "not archived");
	ok(json_is_null(jget(r->json, "parent_id")), "no parent: null");
	ok(json_is_null(jget(r->json, "parent_id_title")), "no parent title: null");
	url = arena_printf(&world, "/api/v1/orgs/alfa/units/%" PRId64, id);
	is_str(r->location, url, "Location names the record");
	is_str(r->etag, "\"1\"", "ETag is the version");

	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     body_of(json_pack("{s:s,s:s,s:I}", "name", "Kansliet",
				       "kind", "forvaltning", "parent_id",
				       (json_int_t)id)));
	is_int(r->status, 201, "create a child unit");
	child = jint(r->json, "id");
	is_int(jint(r->json, "parent_id"), id, "ref as integer id");
	is_str(jstr(r->json, "parent_id_title"), "Kommunstyrelsen",
	       "ref title beside it");

	r = get(url, t_admin_a);
	is_int(r->status, 200, "GET by id");
	is_str(jstr(r->json, "name"), "Kommunstyrelsen", "name read back");
	is_str(jstr(r->json, "code"), "KS", "code read back");
	is_str(r->etag, "\"1\"", "ETag on GET");

	/* One entry per wrong field: empty name, bad kind, code of the wrong
	 * type, a parent that does not exist is only found by the engine
	 * once the rest is right. */
	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     "{\"name\":\"\",\"kind\":\"planet\",\"code\":12,"
		     "\"description\":true}");
	is_int(r->status, 422, "invalid -> 422");
	is_str(err_code(), "validation", "code validation");
	is_int(json_array_size(jget(err_obj(), "fields")), 4, "one entry per wrong field");
	is_str(jstr(field_entry("name"), "code"), "required", "name required");
	is_str(jstr(field_entry("kind"), "code"), "invalid_choice", "kind not a choice");
	is_str(jstr(field_entry("code"), "code"), "invalid_type", "code not a string");
	is_str(jstr(field_entry("description"), "code"), "invalid_type",
	       "description not a string");
	is_str(jstr(field_entry("name"), "message"), "Fältet måste fyllas i.",
	       "Swedish message for a Swedish user");

	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     "{\"name\":\"X\",\"kind\":\"enhet\",\"parent_id\":999999}");
	is_int(r->status, 422, "unknown parent -> 422");
	is_str(jstr(field_entry("parent_id"), "code"), "not_found", "parent not found");

	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     "{\"name\":\"X\",\"kind\":\"enhet\",\"colour\":\"red\",\"size\":3}");
	is_int(r->status, 422, "unknown fields -> 422");
	is_str(jstr(field_entry("colour"), "code"), "unknown_field", "colour unknown");
	is_str(jstr(field_entry("size"), "code"), "unknown_field", "size unknown");
	is_int(json_array_size(jget(err_obj(), "fields")), 2, "one entry per key");

	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     "{\"name\":\"A\",\"name\":\"B\",\"kind\":\"enhet\"}");
	is_int(r->status, 400, "duplicate keys -> 400");
	is_str(err_code(), "malformed_json", "code malformed_json");

	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a, "{\"name\":");
	is_int(r->status, 400, "truncated JSON -> 400");
	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a, "[1,2]");
	is_int(r->status, 400, "an array -> 400");
	is_str(err_code(), "expected_object", "code expected_object");
	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     "{\"name\":\"a\\u0000b\",\"kind\":\"enhet\"}");
	is_int(r->status, 400, "NUL in a string -> 400");
	r = req_full("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     "name=x&kind=enhet", 17, "application/x-www-form-urlencoded", NULL);
	is_int(r->status, 415, "a form body -> 415");

	/* A unique code. */
	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     "{\"name\":\"Annan\",\"kind\":\"enhet\",\"code\":\"KS\"}");
	is_int(r->status, 422, "duplicate code -> 422");
	is_str(jstr(field_entry("code"), "code"), "unique", "code must be unique");

	/* A record sent back as fetched is accepted (read-only keys ignored). */
	r = get(arena_printf(&world, "/api/v1/orgs/alfa/units/%" PRId64, child),
		t_admin_a);
	{
		json_t *rec = json_deep_copy(r->json);

		json_object_set_new(rec, "name", json_string("Kansliavdelningen"));
		r = req_json("PATCH", arena_printf(&world,
			     "/api/v1/orgs/alfa/units/%" PRId64, child),
			     t_admin_a, body_of(rec));
		is_int(r->status, 200, "a fetched record sent back -> 200");
		is_str(jstr(r->json, "name"), "Kansliavdelningen", "name changed");
		is_str(jstr(r->json, "parent_id_title"), "Kommunstyrelsen",
		       "ref kept");
	}
}

/* covers issue 14: records and pages are written without a jansson tree
 * (src/api/json_out.c); the text must be what jansson's compact dump
 * wrote, every character that needs it escaped the same way, and read
 * back to the same value. */
TEST(records_are_written_as_compact_json_with_escapes)
{
	static const char text[] = "\"Citat\" och \\ bakstreck\tflik\nny rad\r"
				   " </script> / åäö ÅÄÖ \xf0\x9f\x99\x82";
	static const char want[] = "\"description\":\"\\\"Citat\\\" och \\\\ bakstreck"
				   "\\tflik\\nny rad\\r </script> / åäö ÅÄÖ \xf0\x9f\x99\x82\"";
	struct res *r;
	int64_t id;
	json_t *items;

	r = req_json("POST", "/api/v1/orgs/alfa/units", t_admin_a,
		     body_of(json_pack("{s:s,s:s,s:s}", "name", "Tecken\"enheten",
				       "kind", "enhet", "description", text)));
	is_int(r->status, 201, "a unit with every kind of character");
	id = jint(r->json, "id");
	r = get(arena_printf(&world, "/api/v1/orgs/alfa/units/%" PRId64, id), t_admin_a);
	is_int(r->status, 200, "read back");
	is_str(jstr(r->json, "description"), text, "the same text after the round trip");
	has_str(r->text, want, "escaped as jansson escapes it, UTF-8 kept");
	has_str(r->text, arena_printf(&world, "{\"id\":%" PRId64 ",\"version\":1,"
				      "\"archived\":false,\"created_at\":\"", id),
		"compact, in the declared order");
	r = get("/api/v1/orgs/alfa/units?q=Tecken&limit=5", t_admin_a);
	is_int(r->status, 200, "a page with it");
	items = jget(r->json, "items");
	is_int(json_array_size(items), 1, "one item");
	is_str(jstr(json_array_get(items, 0), "name"), "Tecken\"enheten", "its name");
	has_str(r->text, "\"name\":\"Tecken\\\"enheten\"", "escaped in the page too");
	has_str(r->text, "],\"next\":null,\"total\":1,\"total_is_lower_bound\":false}",
		"the page's members after the items");
}

TEST(paging_with_cursors_across_three_pages)
{
	static const char *const names[] = {
		"Ödeshög", "Åsele", "Ängelholm", "Arboga", "Zinkgruvan",
		"Bollnäs", "Öckerö", "Eda", "Älvdalen", "Ystad", "Åre",
		"Kalmar", "Nora", "Mora", "Hjo", "Lund", "Umeå", "Vara",
		"Gnosjö", "Tibro", "Sala", "Falun", "Orsa", "Piteå", "Rättvik",
	};
	char *url = arena_printf(&world, "/api/v1/orgs/beta/units?limit=10");
	const char *next = NULL;
	json_t *seen = json_object(), *x;
	char prev_sk[256] = "";
	int pages = 0, in_order = 1;
	size_t i, count = 0;
	struct res *r;

	/* Organisation B starts empty, so the count is exact. */
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		r = req_json("POST", "/api/v1/orgs/beta/units", t_admin_b,
			     body_of(json_pack("{s:s,s:s}", "name", names[i],
					       "kind", "enhet")));
		if (r->status != 201)
			ok(0, "create %s: %d", names[i], r->status);
	}
	for (;;) {
		r = get(next ? arena_printf(&world, "%s&after=%s", url, next) : url,
			t_admin_b);
		if (r->status != 200) {
			ok(0, "page %d: %d %s", pages + 1, r->status, r->text);
			break;
		}
		pages++;
		is_int(jint(r->json, "total"), 25, "total over all pages");
		json_array_foreach(jget(r->json, "items"), i, x) {
			const char *n = jstr(x, "name");
			const char *sk = utf8_sortkey(&world, n);

			if (json_object_get(seen, n))
				ok(0, "%s seen twice", n);
			json_object_set_new(seen, n, json_true());
			if (strcmp(prev_sk, sk) > 0)
				in_order = 0;
			snprintf(prev_sk, sizeof(prev_sk), "%s", sk);
			count++;
		}
		if (json_is_null(jget(r->json, "next")))
			break;
		next = arena_strdup(&world, jstr(r->json, "next"));
		if (pages > 5)
			break;
	}
	is_int(pages, 3, "three pages of at most 10");
	is_int(count, 25, "every unit once");
	ok(in_order, "Swedish order across pages (z < å < ä < ö)");

	r = get("/api/v1/orgs/beta/units?limit=3&desc=true", t_admin_b);
	is_str(jstr(json_array_get(jget(r->json, "items"), 0), "name"), "Ödeshög",
	       "descending starts with Ödeshög (ö-d after ö-c)");

	r = get("/api/v1/orgs/beta/units?limit=0", t_admin_b);
	is_int(r->status, 400, "limit=0 -> 400");
	is_str(err_code(), "bad_parameter", "code bad_parameter");
	ok(field_entry("limit") != NULL, "entry for limit");
	r = get("/api/v1/orgs/beta/units?limit=500&sort=description&desc=maybe",
		t_admin_b);
	is_int(r->status, 400, "three bad parameters -> 400");
	is_int(json_array_size(jget(err_obj(), "fields")), 3, "one entry each");
	is_str(jstr(err_obj(), "message"),
	       "One or more parameters have invalid values.",
	       "English for an English user");
	r = get("/api/v1/orgs/beta/units?after=zz", t_admin_b);
	is_int(r->status, 400, "a bad cursor -> 400");
	is_str(err_code(), "bad_cursor", "code bad_cursor");
	r = get("/api/v1/orgs/beta/units?kind=planet", t_admin_b);
	is_int(r->status, 400, "a bad filter -> 400");
	r = get("/api/v1/orgs/beta/units?kind=namnd", t_admin_b);
	is_int(jint(r->json, "total"), 0, "filter by kind");
	json_decref(seen);
}

TEST(search_is_case_insensitive_swedish)
{
	struct res *r;
	json_t *x;
	size_t i;
	int all = 1;

	/* Names with ö/Ö: Ödeshög, Öckerö, Gnosjö (see the paging test). */
	r = get("/api/v1/orgs/beta/units?q=%C3%B6&limit=50", t_admin_b);
	is_int(r->status, 200, "search");
	is_int(jint(r->json, "total"), 3, "\"ö\" finds Ödeshög, Öckerö, Gnosjö");
	json_array_foreach(jget(r->json, "items"), i, x) {
		const char *n = utf8_fold(&world, jstr(x, "name"));

		all &= strstr(n, "ö") != NULL;
	}
	ok(all, "only names with ö");
	r = get("/api/v1/orgs/beta/units?q=%C3%96DESH", t_admin_b);
	is_int(jint(r->json, "total"), 1, "\"ÖDESH\" finds Ödeshög");
	is_str(jstr(json_array_get(jget(r->json, "items"), 0), "name"), "Ödeshög",
	       "the right one");
	r = get("/api/v1/orgs/beta/units?q=%25", t_admin_b);
	is_int(jint(r->json, "total"), 0, "\"%\" is not a wildcard");
}

TEST(update_needs_the_current_version)
{
	int64_t id = create_unit(t_admin_a, "Miljöförvaltningen", "forvaltning");
	char *url = arena_printf(&world, "/api/v1/orgs/alfa/units/%" PRId64, id);
	struct res *r;

	r = req_json("PATCH", url, t_admin_a, "{\"code\":\"MF\"}");
	is_int(r->status, 422, "no version -> 422");
	is_str(jstr(field_entry("version"), "code"), "required", "version required");

	r = req_json("PATCH", url, t_admin_a, "{\"version\":1,\"code\":\"MF\"}");
	is_int(r->status, 200, "PATCH with the version");
	is_int(jint(r->json, "version"), 2, "version 2");
	is_str(jstr(r->json, "code"), "MF", "code set");
	is_str(jstr(r->json, "name"), "Miljöförvaltningen", "name kept (partial update)");
	is_str(r->etag, "\"2\"", "new ETag");

	r = req_json("PATCH", url, t_admin_a, "{\"version\":1,\"code\":\"XX\"}");
	is_int(r->status, 409, "stale version -> 409");
	is_str(err_code(), "conflict", "code conflict");

	r = req_full("PATCH", url, t_admin_a, "{\"code\":null}", 13, NULL, "\"2\"");
	is_int(r->status, 200, "If-Match instead of version");
	ok(json_is_null(jget(r->json, "code")), "null clears a field");
	r = req_full("PATCH", url, t_admin_a, "{\"code\":\"Y\"}", 12, NULL, "\"2\"");
	is_int(r->status, 409, "stale If-Match -> 409");
	r = req_full("PATCH", url, t_admin_a, "{\"version\":3}", 13, NULL, "\"2\"");
	is_int(r->status, 422, "version and If-Match disagree -> 422");

	r = req_json("PATCH", url, t_admin_a, "{\"version\":3,\"id\":1}");
	is_int(r->status, 422, "another id in the body -> 422");
	r = req_json("PATCH", url, t_admin_a, "{\"version\":3,\"name\":\"\"}");
	is_int(r->status, 422, "clearing a required field -> 422");
	r = req_json("PATCH", url, t_admin_a,
		     body_of(json_pack("{s:i,s:I}", "version", 3, "parent_id",
				       (json_int_t)id)));
	is_int(r->status, 422, "own parent -> 422 (the register's rule)");
	r = req_json("PATCH", "/api/v1/orgs/alfa/units/99999999", t_admin_a,
		     "{\"version\":1}");
	is_int(r->status, 404, "PATCH of a missing record -> 404");
}

TEST(archive_and_restore)
{
	int64_t id = create_unit(t_admin_a, "Tillfälliga enheten", "enhet");
	char *url = arena_printf(&world, "/api/v1/orgs/alfa/units/%" PRId64, id);
	struct res *r;
	int found;
	json_t *x;
	size_t i;

	r = req_json("POST", arena_printf(&world, "%s/archive", url), t_admin_a,
		     "{\"version\":1}");
	is_int(r->status, 200, "archive");
	ok(json_is_true(jget(r->json, "archived")), "archived");
	is_int(jint(r->json, "version"), 2, "archiving is a change");

	r = get("/api/v1/orgs/alfa/units?q=tillf", t_admin_a);
	is_int(jint(r->json, "total"), 0, "gone from the active list");
	r = get("/api/v1/orgs/alfa/units?q=tillf&archived=true", t_admin_a);
	found = 0;
	json_array_foreach(jget(r->json, "items"), i, x)
		found |= jint(x, "id") == id;
	ok(found, "in the archived list");

	r = req_json("POST", arena_printf(&world, "%s/restore", url), t_admin_a,
		     "{\"version\":1}");
	is_int(r->status, 409, "restore with a stale version -> 409");
	r = req_json("POST", arena_printf(&world, "%s/restore", url), t_admin_a,
		     "{\"version\":2,\"name\":\"x\"}");
	is_int(r->status, 422, "other keys -> 422");
	r = req_json("POST", arena_printf(&world, "%s/restore", url), t_admin_a, NULL);
	is_int(r->status, 422, "no version at all -> 422");
	r = req_full("POST", arena_printf(&world, "%s/restore", url), t_admin_a,
		     NULL, 0, NULL, "\"2\"");
	is_int(r->status, 200, "restore with If-Match");
	ok(json_is_false(jget(r->json, "archived")), "active again");
}

TEST(organisations_are_invisible_to_each_other)
{
	int64_t id = create_unit(t_admin_a, "Hemlig enhet", "enhet");
	struct res *r;

	r = get(arena_printf(&world, "/api/v1/orgs/beta/units/%" PRId64, id),
		t_admin_b);
	is_int(r->status, 404, "A's record through B's path -> 404");
	is_str(err_code(), "not_found", "code not_found");
	r = get(arena_printf(&world, "/api/v1/orgs/alfa/units/%" PRId64, id),
		t_admin_b);
	is_int(r->status, 404, "A's organisation for B's admin -> 404");
	r = get(arena_printf(&world, "/api/v1/orgs/beta/units/%" PRId64, id),
		t_coord);
	is_int(r->status, 404, "the shared coordinator: not through beta's path");
	r = get(arena_printf(&world, "/api/v1/orgs/alfa/units/%" PRId64, id),
		t_coord);
	is_int(r->status, 200, "the shared coordinator: through alfa's path");
	r = req_json("PATCH", arena_printf(&world,
		     "/api/v1/orgs/beta/units/%" PRId64, id), t_admin_b,
		     "{\"version\":1,\"name\":\"Stulen\"}");
	is_int(r->status, 404, "PATCH across organisations -> 404");
	r = req_json("POST", arena_printf(&world,
		     "/api/v1/orgs/beta/units/%" PRId64 "/archive", id), t_admin_b,
		     "{\"version\":1}");
	is_int(r->status, 404, "archive across organisations -> 404");
	r = get("/api/v1/orgs/beta/units?q=hemlig", t_admin_b);
	is_int(jint(r->json, "total"), 0, "not in B's search");
	r = get("/api/v1/orgs/nowhere/units", t_admin_a);
	is_int(r->status, 404, "an unknown organisation -> 404");
}

TEST(roles_decide_who_may_read_and_write)
{
	struct res *r;

	r = get("/api/v1/orgs/alfa/units", t_user_a);
	is_int(r->status, 200, "an employee may read units");
	r = req_json("POST", "/api/v1/orgs/alfa/units", t_user_a,
		     "{\"name\":\"Min enhet\",\"kind\":\"enhet\"}");
	is_int(r->status, 403, "an employee may not create");
	is_str(err_code(), "forbidden", "code forbidden");
	r = get("/api/v1/orgs/alfa/people", t_user_a);
	is_int(r->status, 403, "an employee may not list people");
	r = req_json("POST", "/api/v1/orgs/alfa/units", t_coord,
		     "{\"name\":\"Samordnarens enhet\",\"kind\":\"enhet\"}");
	is_int(r->status, 201, "a coordinator may create");
}

TEST(protected_identities_are_masked_and_not_overwritten)
{
	struct res *r;
	int64_t pid, rid;
	char *url;

	r = req_json("POST", "/api/v1/orgs/alfa/people", t_admin_a,
		     "{\"name\":\"Sara Skyddad\",\"email\":\"sara@a.se\","
		     "\"employment\":\"active\",\"protected_identity\":true}");
	is_int(r->status, 201, "the administrator creates a protected person");
	pid = jint(r->json, "id");
	is_str(jstr(r->json, "name"), "Sara Skyddad", "the administrator sees the name");
	ok(json_is_true(jget(r->json, "protected_identity")), "bool as true");
	url = arena_printf(&world, "/api/v1/orgs/alfa/people/%" PRId64, pid);

	r = get(url, t_coord);
	is_int(r->status, 200, "the coordinator reads the person");
	ok(json_is_true(jget(r->json, "masked")), "masked for the coordinator");
	ok(strcmp(jstr(r->json, "name") ? jstr(r->json, "name") : "", "Sara Skyddad"),
	   "name hidden");
	ok(json_is_null(jget(r->json, "email")), "e-mail hidden");
	r = req_json("PATCH", url, t_coord, "{\"version\":1,\"title\":\"Handläggare\"}");
	is_int(r->status, 403, "a masked record is not changed through the mask");
	is_str(err_code(), "masked", "code masked");
	r = get("/api/v1/orgs/alfa/people?q=sara", t_coord);
	is_int(jint(r->json, "total"), 0, "the hidden name is not searchable");

	r = req_json("POST", "/api/v1/orgs/alfa/roles", t_admin_a,
		     body_of(json_pack("{s:I,s:s}", "person_id", (json_int_t)pid,
				       "role", "systemagare")));
	is_int(r->status, 201, "a role for the person");
	is_str(jstr(r->json, "person_id_title"), "Sara Skyddad",
	       "the administrator sees the title");
	rid = jint(r->json, "id");
	r = get(arena_printf(&world, "/api/v1/orgs/alfa/roles?sort=role&person_id=%"
			     PRId64, pid), t_admin_a);
	is_int(jint(r->json, "total"), 1, "roles filtered by person, sorted by role");
	r = get(arena_printf(&world, "/api/v1/orgs/alfa/roles/%" PRId64, rid),
		t_coord);
	is_int(r->status, 200, "the coordinator reads the role");
	ok(strcmp(jstr(r->json, "person_id_title") ? jstr(r->json, "person_id_title")
		  : "", "Sara Skyddad"), "the reference's title is masked too");
}

TEST(router_errors_have_the_same_shape)
{
	struct res *r;
	char *big;
	size_t n = 70 * 1024;

	r = req_json("DELETE", "/api/v1/orgs/alfa/units/1", t_admin_a, NULL);
	is_int(r->status, 405, "DELETE -> 405");
	is_str(err_code(), "method_not_allowed", "code method_not_allowed");
	r = get("/api/v1/nothing-here", t_admin_a);
	is_int(r->status, 404, "unknown path -> 404 JSON");
	r = get("/api/v1/orgs/alfa/units/abc", t_admin_a);
	is_int(r->status, 404, "a non-numeric id -> 404");

	big = arena_alloc(&world, n + 1);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	r = req_full("POST", "/api/v1/orgs/alfa/units", t_admin_a, big, n,
		     NULL, NULL);
	is_int(r->status, 413, "a body over the cap -> 413");
	is_str(err_code(), "too_large", "code too_large");
}

TEST(lists_count_up_to_a_bound)
{
	/* 1,005 more units in beta, written straight into the table (their
	 * content does not matter, only their number) */
	static const char bulk[] =
		"INSERT INTO unit (org_id, name, name_sk, kind, code, search, created_at,"
		" updated_at) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
		" WHERE i < 1005) SELECT $1, 'Bulk ' || i, 'bulk ' || i, 'enhet', 'bulk' || i,"
		" 'bulk ' || i, 0, 0 FROM n";
	struct db_error err = { 0 };
	struct fx_resp page;
	struct res *r;

	must(!db_exec(fx->db, &world, bulk, DB_ARGS(DB_INT(fx->org_beta)), NULL, &err),
	     "bulk units", &err);
	r = get("/api/v1/orgs/beta/units?limit=5", t_admin_b);
	is_int(r->status, 200, "a list of more than 1000 units");
	is_int(jint(r->json, "total"), ENTITY_COUNT_MAX, "counts up to the bound");
	ok(json_is_true(json_object_get(r->json, "total_is_lower_bound")),
	   "and says there are more");
	is_int(json_array_size(jget(r->json, "items")), 5, "the page is still a page");
	r = get("/api/v1/orgs/beta/units?limit=5&q=bulk+100", t_admin_b);
	is_int(jint(r->json, "total"), 7, "a search below the bound is counted exactly"
	       " (bulk 100, 1000..1005)");
	ok(json_is_false(json_object_get(r->json, "total_is_lower_bound")),
	   "and says so");
	page = fx_get(fx, "admin@b.se", "/o/beta/units");
	has_str(page.body, "More than 1000 results", "the page says \"more than 1000\"");
	page = fx_get(fx, "admin@b.se", "/o/beta/units?q=bulk+100");
	has_str(page.body, ">7 results<", "and the exact number below it");
	must(!db_exec(fx->db, &world, "DELETE FROM unit WHERE code LIKE 'bulk%'", DB_NOARGS,
		      NULL, &err), "bulk units gone", &err);
}

TEST(every_response_matched_the_document)
{
	ok(calls > 50, "many responses checked (%d)", calls);
	is_int(calls_checked, calls, "every response matched its schema");
}

int main(void)
{
	int rc;

	world_setup();
	rc = tap_run();
	res_clear(&last);
	json_decref(doc);
	fixture_free(fx);
	arena_release(&world);
	testdb_cleanup();
	return rc;
}
