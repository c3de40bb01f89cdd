/* openapi.c - the OpenAPI 3.1 document of the JSON API.
 *
 * Generated from the two things that also drive the API itself: the entity
 * declarations (fields, types, bounds, choices, required flags) and the
 * route list of api_routes().  A register added to module_entities()[] therefore
 * appears here with no further work, and the HTTP tests check every real
 * response against this document, so it cannot silently drift.
 *
 * Schemas use JSON Schema 2020-12 as OpenAPI 3.1 does: an optional value is
 * a type list with "null".  For every register NAME there are
 *   NAME_record  what the API returns (all keys always present),
 *   NAME_create  the body of POST (required fields listed),
 *   NAME_patch   the body of PATCH (every key optional, plus version),
 *   NAME_list    a page of records with the cursor of the next page.
 * Read-only keys of a record are accepted and ignored in request bodies, so
 * a fetched record can be sent back; they are declared readOnly there.
 */
#include "base/base.h"

#include <inttypes.h>

#include <jansson.h>

#include "api/api.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/i18n.h"
#include "web/router.h"

static void put(json_t *o, const char *key, json_t *v)
{
	if (!v || json_object_set_new(o, key, v))
		BUG("openapi: cannot set %s", key);
}

static json_t *str(const char *s)
{
	json_t *v = json_string(s);

	if (!v)
		BUG("openapi: bad string");
	return v;
}

static json_t *ref(const char *target)
{
	json_t *o = json_object();

	put(o, "$ref", str(target));
	return o;
}

static json_t *schema_ref(struct arena *a, const char *name)
{
	return ref(arena_printf(a, "#/components/schemas/%s", name));
}

/* {"type": t} or {"type": [t, "null"]}. */
static json_t *typed(const char *t, int nullable)
{
	json_t *o = json_object();

	if (nullable)
		put(o, "type", json_pack("[s,s]", t, "null"));
	else
		put(o, "type", str(t));
	return o;
}

static json_t *strings(const char *const *list, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, str(list[i]));
	return a;
}

static const char *en(int msg)
{
	return msg ? msg_text(LANG_EN, msg) : NULL;
}

/* A register's Swedish name in lower case for running text ("enheter"):
 * the label, its first letter lowered when the second is too (so "IT-system"
 * stays). */
static const char *sv_lower(struct arena *a, int msg)
{
	char *s = arena_strdup(a, msg ? msg_text(LANG_SV, msg) : "poster");

	if (s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z'))
		s[0] = (char)(s[0] - 'A' + 'a');
	else if (!strncmp(s, "Å", 2) || !strncmp(s, "Ä", 2) || !strncmp(s, "Ö", 2))
		s[1] = (char)(s[1] + 0x20); /* U+00C5/C4/D6 -> E5/E4/F6 */
	return s;
}

/* ---- field schemas -------------------------------------------------- */

enum use { FOR_RECORD, FOR_INPUT };

/* The schema of one field's value.  In records an optional field is null
 * when empty; in input null clears it. */
static json_t *field_schema(struct arena *a, const struct entity_field *f,
			    enum use use)
{
	int nullable = !(f->flags & FF_REQUIRED);
	const struct choice *c;
	json_t *s = NULL, *list;

	switch (f->type) {
	case F_TEXT:
	case F_LONGTEXT:
	case F_EMAIL:
	case F_DATE:
	case F_DATETIME:
		s = typed("string", nullable);
		if (f->max > 0)
			put(s, "maxLength", json_integer(f->max));
		/* Stored text may be masked; only input promises minLength. */
		if (use == FOR_INPUT && f->min > 0)
			put(s, "minLength", json_integer(f->min));
		if (f->type == F_EMAIL)
			put(s, "format", str("email"));
		if (f->type == F_DATETIME)
			put(s, "format", str("date-time"));
		if (f->type == F_DATE) {
			put(s, "format", str("date"));
			put(s, "pattern", str("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"));
		}
		break;
	case F_INT:
		s = typed("integer", nullable);
		if (f->min < f->max) {
			put(s, "minimum", json_integer(f->min));
			put(s, "maximum", json_integer(f->max));
		}
		break;
	case F_BOOL:
		/* Never null in records: an empty checkbox is false. */
		s = typed("boolean", use == FOR_INPUT);
		break;
	case F_ENUM:
		s = typed("string", nullable);
		list = json_array();
		for (c = f->choices; c && c->value; c++)
			json_array_append_new(list, str(c->value));
		if (nullable)
			json_array_append_new(list, json_null());
		put(s, "enum", list);
		break;
	case F_REF:
		s = typed("integer", nullable);
		put(s, "minimum", json_integer(1));
		/* Say where the id points, so a client knows what to list. */
		if (f->ref)
			put(s, "description", str(arena_printf(a,
				"The id of a record of %s (/api/v1/orgs/{org}/%s).",
				f->ref->name, f->ref->name)));
		break;
	}
	if (!s)
		BUG("openapi: field %s has an unknown type", f->name);
	if (f->label)
		put(s, "title", str(en(f->label)));
	if (f->help && !json_object_get(s, "description"))
		put(s, "description", str(en(f->help)));
	return s;
}

static json_t *read_only(json_t *s)
{
	put(s, "readOnly", json_true());
	return s;
}

static json_t *date_time(void)
{
	json_t *s = typed("string", 0);

	put(s, "format", str("date-time"));
	return s;
}

static json_t *positive(void)
{
	json_t *s = typed("integer", 0);

	put(s, "minimum", json_integer(1));
	return s;
}

/* The keys every record has besides its fields. */
static void record_meta(json_t *props, int ro)
{
	json_t *(*mark)(json_t *) = ro ? read_only : NULL;
	json_t *v[5];
	size_t i;
	static const char *const keys[] = {
		"id", "version", "archived", "created_at", "updated_at",
	};

	v[0] = positive();
	v[1] = positive();
	v[2] = typed("boolean", 0);
	v[3] = date_time();
	v[4] = date_time();
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		put(props, keys[i], mark ? mark(v[i]) : v[i]);
}

static json_t *record_schema(struct arena *a, const struct entity *e)
{
	json_t *s = typed("object", 0), *props = json_object(), *req = json_array();
	static const char *const meta[] = {
		"id", "version", "archived", "created_at", "updated_at",
	};
	json_t *masked;
	size_t i;

	record_meta(props, 0);
	for (i = 0; i < ARRAY_SIZE(meta); i++)
		json_array_append_new(req, str(meta[i]));
	for (i = 0; e->fields[i].name; i++) {
		const struct entity_field *f = &e->fields[i];

		put(props, f->name, field_schema(a, f, FOR_RECORD));
		json_array_append_new(req, str(f->name));
		if (f->type == F_REF) {
			char *k = arena_printf(a, "%s_title", f->name);
			json_t *t = typed("string", 1);

			put(t, "description", str("The title of the referenced record."));
			put(props, k, t);
			json_array_append_new(req, str(k));
		}
	}
	masked = typed("boolean", 0);
	put(masked, "description", str("Present and true when details are hidden "
					"from the viewer (protected identity)."));
	put(props, "masked", masked);
	if (e->label_one)
		put(s, "title", str(en(e->label_one)));
	put(s, "properties", props);
	put(s, "required", req);
	put(s, "additionalProperties", json_false());
	return s;
}

/* POST and PATCH bodies: writable fields, read-only keys tolerated. */
static json_t *input_schema(struct arena *a, const struct entity *e, int patch)
{
	json_t *s = typed("object", 0), *props = json_object(), *req = json_array();
	json_t *t, *v;
	size_t i;

	record_meta(props, 1);
	if (patch) {
		/* version is the one key PATCH both needs and may change
		 * nothing with: it names the state the change is based on. */
		v = positive();
		put(v, "description", str("The version the change is based on; "
					  "required unless If-Match is sent."));
		put(props, "version", v);
	}
	for (i = 0; e->fields[i].name; i++) {
		const struct entity_field *f = &e->fields[i];

		if (f->flags & FF_NO_FORM) {
			put(props, f->name, read_only(field_schema(a, f, FOR_RECORD)));
		} else {
			put(props, f->name, field_schema(a, f, FOR_INPUT));
			if (!patch && (f->flags & FF_REQUIRED))
				json_array_append_new(req, str(f->name));
		}
		if (f->type == F_REF) {
			t = read_only(typed("string", 1));
			put(props, arena_printf(a, "%s_title", f->name), t);
		}
	}
	put(props, "masked", read_only(typed("boolean", 0)));
	put(s, "properties", props);
	if (json_array_size(req))
		put(s, "required", req);
	else
		json_decref(req);
	put(s, "additionalProperties", json_false());
	return s;
}

static json_t *list_schema(struct arena *a, const struct entity *e)
{
	json_t *s = typed("object", 0), *props = json_object(), *items;
	json_t *next = typed("string", 1), *total = typed("integer", 0);
	json_t *lower = typed("boolean", 0);
	static const char *const req[] = { "items", "next", "total", "total_is_lower_bound" };

	items = typed("array", 0);
	put(items, "items", schema_ref(a, arena_printf(a, "%s_record", e->name)));
	put(next, "description", str("Cursor of the next page (the after "
				     "parameter), null on the last page."));
	put(total, "minimum", json_integer(0));
	put(total, "maximum", json_integer(ENTITY_COUNT_MAX));
	put(total, "description", str(arena_printf(a, "Records matching, over all pages, "
						   "counted up to %d: with total_is_lower_bound "
						   "true there are more.", ENTITY_COUNT_MAX)));
	put(lower, "description", str("true: more records than total match (the count "
				      "stops there, so that a page costs the same "
				      "whatever the register's size)."));
	put(props, "items", items);
	put(props, "next", next);
	put(props, "total", total);
	put(props, "total_is_lower_bound", lower);
	put(s, "properties", props);
	put(s, "required", strings(req, ARRAY_SIZE(req)));
	put(s, "additionalProperties", json_false());
	return s;
}

static json_t *error_schema(void)
{
	json_t *s = typed("object", 0), *props = json_object();
	json_t *e = typed("object", 0), *ep = json_object();
	json_t *status = typed("integer", 0), *fields = typed("array", 0);
	json_t *entry = typed("object", 0), *fp = json_object();
	static const char *const ereq[] = { "status", "code", "message" };
	static const char *const freq[] = { "field", "code", "message" };
	static const char *const top[] = { "error" };

	put(fp, "field", typed("string", 1));
	put(fp, "code", typed("string", 0));
	put(fp, "message", typed("string", 0));
	put(entry, "properties", fp);
	put(entry, "required", strings(freq, ARRAY_SIZE(freq)));
	put(entry, "additionalProperties", json_false());
	put(fields, "items", entry);
	put(fields, "description", str("One entry per wrong field or parameter "
				       "(422, and 400 for parameters)."));

	put(status, "minimum", json_integer(400));
	put(status, "maximum", json_integer(599));
	put(ep, "status", status);
	put(ep, "code", json_pack("{s:s,s:s}", "type", "string", "description",
				  "Stable machine code: bad_request, malformed_json, "
				  "expected_object, bad_parameter, bad_cursor, "
				  "unauthorized, forbidden, masked, not_found, "
				  "method_not_allowed, conflict, too_large, "
				  "unsupported_media_type, validation, internal, "
				  "unavailable."));
	put(ep, "message", json_pack("{s:s,s:s}", "type", "string", "description",
				     "For people, in the user's language."));
	put(ep, "detail", typed("string", 0));
	put(ep, "fields", fields);
	put(e, "properties", ep);
	put(e, "required", strings(ereq, ARRAY_SIZE(ereq)));
	put(e, "additionalProperties", json_false());

	put(props, "error", e);
	put(s, "properties", props);
	put(s, "required", strings(top, ARRAY_SIZE(top)));
	put(s, "additionalProperties", json_false());
	return s;
}

/* A transition's body: the version and its params (strings, as forms send
 * them; integers and booleans are taken too). */
static json_t *transition_schema(struct arena *a, const struct entity_transition *t)
{
	json_t *s = typed("object", 0), *props = json_object(), *v = positive();

	put(v, "description", str("The version the change is based on; "
				  "required unless If-Match is sent."));
	put(props, "version", v);
	for (const struct entity_field *f = t->params; f && f->name; f++)
		put(props, f->name, field_schema(a, f, FOR_INPUT));
	put(s, "properties", props);
	put(s, "additionalProperties", json_false());
	if (t->help)
		put(s, "description", str(en(t->help)));
	return s;
}

static json_t *me_schema(void)
{
	json_t *s = typed("object", 0), *props = json_object();
	json_t *org = typed("object", 0), *op = json_object(), *orgs, *roles, *lang;
	static const char *const oreq[] = { "id", "slug", "name", "kind", "roles" };
	static const char *const req[] = {
		"id", "email", "name", "lang", "organisations",
	};
	static const char *const langs[] = { "sv", "en" };

	roles = typed("array", 0);
	put(roles, "items", typed("string", 0));
	put(roles, "description", str("Role codes the user holds there."));
	put(op, "id", positive());
	put(op, "slug", typed("string", 0));
	put(op, "name", typed("string", 0));
	put(op, "kind", typed("string", 0));
	put(op, "roles", roles);
	put(org, "properties", op);
	put(org, "required", strings(oreq, ARRAY_SIZE(oreq)));
	put(org, "additionalProperties", json_false());
	orgs = typed("array", 0);
	put(orgs, "items", org);

	lang = typed("string", 0);
	put(lang, "enum", strings(langs, ARRAY_SIZE(langs)));
	put(props, "id", positive());
	put(props, "email", typed("string", 0));
	put(props, "name", typed("string", 1));
	put(props, "lang", lang);
	put(props, "organisations", orgs);
	put(s, "properties", props);
	put(s, "required", strings(req, ARRAY_SIZE(req)));
	put(s, "additionalProperties", json_false());
	return s;
}

/* ---- operations ----------------------------------------------------- */

static json_t *param_obj(const char *name, const char *in, int required,
			 json_t *schema, const char *desc)
{
	json_t *p = json_object();

	put(p, "name", str(name));
	put(p, "in", str(in));
	if (required)
		put(p, "required", json_true());
	if (desc)
		put(p, "description", str(desc));
	put(p, "schema", schema);
	return p;
}

static json_t *string_max(int64_t max)
{
	json_t *s = typed("string", 0);

	put(s, "maxLength", json_integer(max));
	return s;
}

static json_t *list_parameters(struct arena *a, const struct entity *e)
{
	json_t *ps = json_array(), *limit = typed("integer", 0), *sort, *sorts;
	size_t i;

	json_array_append_new(ps, ref("#/components/parameters/org"));
	put(limit, "minimum", json_integer(1));
	put(limit, "maximum", json_integer(API_LIMIT_MAX));
	put(limit, "default", json_integer(API_LIMIT_DEFAULT));
	json_array_append_new(ps, param_obj("limit", "query", 0, limit,
					    "Records per page."));
	json_array_append_new(ps, param_obj("after", "query", 0, string_max(1024),
					    "The next cursor of the previous page."));
	json_array_append_new(ps, param_obj("q", "query", 0, string_max(200),
					    "Search text, case-insensitive."));
	sorts = json_array();
	for (i = 0; e->fields[i].name; i++)
		if (e->fields[i].flags & FF_SORT)
			json_array_append_new(sorts, str(e->fields[i].name));
	sort = typed("string", 0);
	if (json_array_size(sorts))
		put(sort, "enum", sorts);
	else
		json_decref(sorts);
	json_array_append_new(ps, param_obj("sort", "query", 0, sort,
					    "Field to sort by (Swedish order); "
					    "default the title."));
	json_array_append_new(ps, param_obj("desc", "query", 0, typed("boolean", 0),
					    "Descending order."));
	json_array_append_new(ps, param_obj("archived", "query", 0,
					    typed("boolean", 0),
					    "List archived records instead."));
	for (i = 0; e->fields[i].name; i++) {
		const struct entity_field *f = &e->fields[i];
		json_t *s = field_schema(a, f, FOR_RECORD);

		if (!(f->flags & FF_FILTER)) {
			json_decref(s);
			continue;
		}
		/* A filter value is never null: absent means no filter. */
		if (json_is_array(json_object_get(s, "type")))
			put(s, "type", json_incref(json_array_get(
				json_object_get(s, "type"), 0)));
		if (json_object_get(s, "enum")) {
			json_t *vals = json_object_get(s, "enum");
			size_t n = json_array_size(vals);

			if (n && json_is_null(json_array_get(vals, n - 1)))
				json_array_remove(vals, n - 1);
		}
		json_array_append_new(ps, param_obj(f->name, "query", 0, s,
						    "Only records with this value."));
	}
	return ps;
}

static json_t *if_match_param(void)
{
	return param_obj("If-Match", "header", 0, typed("string", 0),
			 "\"<version>\": the version the change is based on, "
			 "instead of the version key of the body.");
}

static json_t *json_content(json_t *schema)
{
	json_t *c = json_object(), *m = json_object();

	put(m, "schema", schema);
	put(c, "application/json", m);
	return c;
}

static json_t *header(const char *desc)
{
	json_t *h = json_object();

	put(h, "description", str(desc));
	put(h, "schema", typed("string", 0));
	return h;
}

static json_t *response(const char *desc, json_t *schema, int etag, int location)
{
	json_t *r = json_object(), *hs = json_object();

	put(r, "description", str(desc));
	if (etag)
		put(hs, "ETag", header("\"<version>\" of the record."));
	if (location)
		put(hs, "Location", header("The address of the new record."));
	if (json_object_size(hs))
		put(r, "headers", hs);
	else
		json_decref(hs);
	if (schema)
		put(r, "content", json_content(schema));
	return r;
}

static void error_responses(json_t *rs, const int *statuses, size_t n)
{
	char key[8];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%d", statuses[i]);
		put(rs, key, ref("#/components/responses/error"));
	}
	put(rs, "default", ref("#/components/responses/error"));
}

static json_t *request_body(json_t *schema, int required)
{
	json_t *b = json_object();

	if (required)
		put(b, "required", json_true());
	put(b, "content", json_content(schema));
	return b;
}

static json_t *operation(struct arena *a, const struct route *rt)
{
	const struct api_route_ctx *cx = rt->ctx;
	const struct entity *e = cx->e;
	json_t *op = json_object(), *ps = json_array(), *rs = json_object();
	const char *one = e && e->label_one ? en(e->label_one) : "record";
	const char *many = e && e->label_many ? en(e->label_many) : "records";
	/* 403 also a token without the scope (insufficient_scope), 429 its
	 * rate limit (rate_limited, with Retry-After) */
	static const int e_list[] = { 400, 401, 403, 404, 429, 500, 503 };
	static const int e_get[] = { 401, 403, 404, 429, 500, 503 };
	static const int e_write[] = { 400, 401, 403, 404, 409, 413, 415, 422,
				       429, 500, 503 };
	static const int e_me[] = { 401, 429, 500 };
	static const int e_openapi[] = { 429 };
	const char *id = NULL, *summary = NULL, *sv = NULL;
	const char *sv_one = e ? sv_lower(a, e->label_one) : "post";
	const char *sv_many = e ? sv_lower(a, e->label_many) : "poster";

	if (e) {
		put(op, "tags", json_pack("[s]", e->name));
		if (cx->op != API_LIST) {
			json_array_append_new(ps, ref("#/components/parameters/org"));
			if (cx->op != API_CREATE)
				json_array_append_new(ps, ref("#/components/parameters/id"));
		}
	}
	switch (cx->op) {
	case API_LIST:
		id = "list";
		summary = arena_printf(a, "List %s", many);
		sv = arena_printf(a, "Listar organisationens %s sidvis (högst %d per sida), "
				  "med sökning, sortering och filter. Arkiverade poster med "
				  "archived=true.", sv_many, API_LIMIT_MAX);
		json_decref(ps);
		ps = list_parameters(a, e);
		put(rs, "200", response("A page of records.", schema_ref(a,
			arena_printf(a, "%s_list", e->name)), 0, 0));
		error_responses(rs, e_list, ARRAY_SIZE(e_list));
		break;
	case API_CREATE:
		id = "create";
		summary = arena_printf(a, "Create: %s", one);
		sv = arena_printf(a, "Skapar en ny post i registret %s. Svarar 201 med posten, "
				  "ETag och Location; fel fält får 422 med ett fel per fält.",
				  sv_many);
		put(op, "requestBody", request_body(schema_ref(a,
			arena_printf(a, "%s_create", e->name)), 1));
		put(rs, "201", response("Created.", schema_ref(a,
			arena_printf(a, "%s_record", e->name)), 1, 1));
		error_responses(rs, e_write, ARRAY_SIZE(e_write));
		break;
	case API_GET:
		id = "get";
		summary = arena_printf(a, "Get: %s", one);
		sv = arena_printf(a, "Hämtar en post (%s) med dess version i ETag. 404 när den "
				  "inte finns eller inte får läsas.", sv_one);
		put(rs, "200", response("The record.", schema_ref(a,
			arena_printf(a, "%s_record", e->name)), 1, 0));
		error_responses(rs, e_get, ARRAY_SIZE(e_get));
		break;
	case API_UPDATE:
	case API_TRANSITION:
		id = cx->op == API_UPDATE ? "update" : cx->t->name;
		summary = arena_printf(a, "%s: %s", cx->op == API_UPDATE ? "Change"
				       : en(cx->t->label), one);
		sv = cx->op == API_UPDATE
			? arena_printf(a, "Ändrar en post (%s): bara de fält som skickas. Kräver "
				       "postens version (i kroppen eller If-Match); en äldre "
				       "version avvisas med 409.", sv_one)
			: arena_printf(a, "Steget \"%s\" för en post (%s), med postens version. "
				       "Ett steg som inte går från postens läge avvisas med 422.",
				       msg_text(LANG_SV, cx->t->label), sv_one);
		json_array_append_new(ps, if_match_param());
		put(op, "requestBody", request_body(cx->op == API_UPDATE
			? schema_ref(a, arena_printf(a, "%s_patch", e->name))
			: transition_schema(a, cx->t), cx->op == API_UPDATE));
		put(rs, "200", response("The record as it is now.", schema_ref(a,
			arena_printf(a, "%s_record", e->name)), 1, 0));
		error_responses(rs, e_write, ARRAY_SIZE(e_write));
		break;
	case API_CHILDREN: {
		json_t *limit = typed("integer", 0);

		id = "of_parent";
		summary = arena_printf(a, "List %s of one %s", many,
				       en(e->fields[entity_field_index(e, e->parent_field)]
					  .ref->label_one));
		put(limit, "minimum", json_integer(1));
		put(limit, "maximum", json_integer(API_LIMIT_MAX));
		put(limit, "default", json_integer(API_LIMIT_DEFAULT));
		json_array_append_new(ps, param_obj("limit", "query", 0, limit,
						    "Records per page."));
		json_array_append_new(ps, param_obj("after", "query", 0, string_max(1024),
						    "The next cursor of the previous page."));
		sv = arena_printf(a, "Listar %s som hör till en överordnad post, sidvis. 404 när "
				  "den överordnade posten inte får läsas.", sv_many);
		put(rs, "200", response("A page of records.", schema_ref(a,
			arena_printf(a, "%s_list", e->name)), 0, 0));
		error_responses(rs, e_list, ARRAY_SIZE(e_list));
		break;
	}
	case API_ME:
		id = "me";
		summary = "The token's user, their organisations and roles";
		sv = "Tokenets användare, dess organisationer och roller i dem.";
		put(rs, "200", response("The user.", schema_ref(a, "me"), 0, 0));
		error_responses(rs, e_me, ARRAY_SIZE(e_me));
		break;
	case API_OPENAPI:
		id = "openapi";
		summary = "This document";
		sv = "Det här dokumentet: API:ets beskrivning i OpenAPI 3.1. Kräver ingen "
		     "inloggning.";
		put(op, "security", json_array());
		put(rs, "200", response("The OpenAPI document.",
					typed("object", 0), 0, 0));
		error_responses(rs, e_openapi, ARRAY_SIZE(e_openapi));
		break;
	}
	put(op, "operationId", str(e ? arena_printf(a, "%s_%s", e->name, id) : id));
	put(op, "summary", str(summary));
	if (sv)
		put(op, "description", str(sv));
	if (json_array_size(ps))
		put(op, "parameters", ps);
	else
		json_decref(ps);
	put(op, "responses", rs);
	return op;
}

static char *lower(struct arena *a, const char *s)
{
	char *l = arena_strdup(a, s), *p;

	for (p = l; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return l;
}

static json_t *components(struct arena *a)
{
	json_t *c = json_object(), *schemas = json_object(), *params = json_object();
	json_t *sec = json_object(), *resps = json_object(), *bearer, *p;
	size_t i;

	put(schemas, "error", error_schema());
	put(schemas, "me", me_schema());
	for (i = 0; module_entities()[i]; i++) {
		const struct entity *e = module_entities()[i];

		put(schemas, arena_printf(a, "%s_record", e->name), record_schema(a, e));
		put(schemas, arena_printf(a, "%s_create", e->name), input_schema(a, e, 0));
		put(schemas, arena_printf(a, "%s_patch", e->name), input_schema(a, e, 1));
		put(schemas, arena_printf(a, "%s_list", e->name), list_schema(a, e));
	}

	p = typed("string", 0);
	put(p, "pattern", str("^[a-z0-9-]+$"));
	put(params, "org", param_obj("org", "path", 1, p,
				     "The organisation's slug."));
	put(params, "id", param_obj("id", "path", 1, positive(), "Record id."));

	put(resps, "error", response("An error; fields lists wrong fields.",
				     schema_ref(a, "error"), 0, 0));

	bearer = json_object();
	put(bearer, "type", str("http"));
	put(bearer, "scheme", str("bearer"));
	put(bearer, "description", str("An API token from `varn token create` "
				       "or the account page. A token belongs to one "
				       "organisation and has scopes (MODULE:read or "
				       "MODULE:write, * for every module; write includes "
				       "read): a GET needs read on the register's module, "
				       "other methods write, else 403 insufficient_scope. "
				       "Its requests per minute are limited: 429 "
				       "rate_limited with Retry-After."));
	put(sec, "bearer", bearer);

	put(c, "schemas", schemas);
	put(c, "parameters", params);
	put(c, "responses", resps);
	put(c, "securitySchemes", sec);
	return c;
}

char *openapi_document(struct arena *a)
{
	const struct route **routes;
	size_t n = api_routes(&routes), i;
	json_t *doc = json_object(), *info = json_object(), *paths = json_object();
	json_t *tags = json_array();
	char *text, *out;

	put(doc, "openapi", str("3.1.0"));
	put(info, "title", str("Värn API"));
	put(info, "version", str("1"));
	put(info, "description", str(
		"The registers of Värn, one resource per register, scoped by "
		"organisation. Lists are paged with opaque cursors (next/after). "
		"Changes need the record's version (optimistic concurrency); a "
		"stale version is refused with 409. Errors have one shape, with "
		"one entry per wrong field."));
	/* the licence meson.build declares for the project */
	put(info, "license", json_pack("{s:s,s:s}", "name", "GNU AGPL 3.0 or later",
					"identifier", "AGPL-3.0-or-later"));
	put(info, "x-description-sv", str(
		"Värns register, en resurs per register, per organisation. Listor "
		"bläddras med ogenomskinliga markörer (next/after). Ändringar kräver "
		"postens version; en äldre version avvisas med 409. Fel har en och "
		"samma form, med ett fel per fält. Varje operation beskrivs på svenska "
		"i sin description."));
	put(doc, "info", info);
	/* relative: the installation that serves the document */
	put(doc, "servers", json_pack("[{s:s,s:s}]", "url", "/", "description",
				      "Den här installationen (this installation)"));
	put(doc, "security", json_pack("[{s:[]}]", "bearer"));

	for (i = 0; module_entities()[i]; i++) {
		json_t *t = json_object();

		put(t, "name", str(module_entities()[i]->name));
		if (module_entities()[i]->label_many)
			put(t, "description", str(en(module_entities()[i]->label_many)));
		json_array_append_new(tags, t);
	}
	put(doc, "tags", tags);

	/* Route patterns already use OpenAPI's {name} template syntax. */
	for (i = 0; i < n; i++) {
		json_t *item = json_object_get(paths, routes[i]->pattern);

		if (!item) {
			item = json_object();
			put(paths, routes[i]->pattern, item);
		}
		put(item, lower(a, routes[i]->method), operation(a, routes[i]));
	}
	put(doc, "paths", paths);
	put(doc, "components", components(a));

	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text)
		BUG("openapi: cannot encode the document");
	out = arena_strdup(a, text);
	free(text);
	return out;
}
