/* api.c - the JSON API: generic handlers over the entity engine.
 *
 * The handlers know no register: each route's ctx names the operation and
 * the entity, and everything else (fields, types, validation, SQL, audit)
 * comes from the entity's declaration and the engine.  This file only
 * translates between JSON and the engine's text values:
 *
 *   - request bodies are parsed by jansson with duplicate keys rejected,
 *     must be objects, and every key must be a declared field (or a
 *     read-only key of a record, which is ignored so that a fetched record
 *     can be sent back as it is);
 *   - each value must have its field's JSON type; it becomes the text the
 *     engine's forms use (F_BOOL "1"/"0", F_INT/F_REF decimal);
 *   - every wrong field gets its own entry in one 422 answer: ours (unknown
 *     key, wrong type) and the engine's (required, too long, unique...).
 */
#include "base/base.h"

#include <inttypes.h>
#include <pthread.h>
#include <strings.h>

#include <jansson.h>

#include "api/api.h"
#include "core/scope.h"
#include "base/clock.h"
#include "core/auth.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "http/http.h"
#include "web/app.h"
#include "core/i18n.h"
#include "web/router.h"
#include "api/json_out.h"

#define JSON_TYPE "application/json; charset=utf-8"

/* ---- JSON output --------------------------------------------------- */

/* Sends v (consumed) as the response body. */
static void send_json(struct req *q, struct resp *r, int status, json_t *v)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;

	json_decref(v);
	buf_reset(&r->body);
	if (!text) {
		/* Only allocation failure gets here; say so without jansson. */
		log_error("api: cannot encode the JSON response for %s %s",
			  q->method, q->path);
		status = 500;
		text = xstrdup("{\"error\":{\"status\":500,\"code\":\"internal\","
			       "\"message\":\"internal error\"}}");
	}
	buf_puts(&r->body, text);
	free(text);
	r->status = status;
	r->content_type = JSON_TYPE;
}

/* A JSON string, or null for NULL.  Stored text is valid UTF-8 (the engine
 * checks it on entry); should a bad row slip through, it becomes null
 * rather than a broken document. */
static json_t *jstr(const char *s)
{
	json_t *v;

	if (!s)
		return json_null();
	v = json_string(s);
	if (!v) {
		log_warn("api: text that is not UTF-8 left out of a response");
		return json_null();
	}
	return v;
}

static void set(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, v))
		BUG("api: cannot set %s", key);
}

/* ---- errors --------------------------------------------------------- */

struct status_default {
	int status;
	const char *code;
	int msg;
};

static const struct status_default status_defaults[] = {
	{ 400, "bad_request", M_API_ERR_BAD_REQUEST },
	{ 401, "unauthorized", M_API_ERR_UNAUTHORIZED },
	{ 403, "forbidden", M_API_ERR_FORBIDDEN },
	{ 404, "not_found", M_API_ERR_NOT_FOUND },
	{ 405, "method_not_allowed", M_API_ERR_METHOD },
	{ 409, "conflict", M_API_ERR_CONFLICT },
	{ 413, "too_large", M_API_ERR_TOO_LARGE },
	{ 415, "unsupported_media_type", M_API_ERR_MEDIA_TYPE },
	{ 422, "validation", M_API_ERR_VALIDATION },
	{ 429, "rate_limited", M_API_ERR_RATE },
	{ 500, "internal", M_API_ERR_INTERNAL },
	{ 503, "unavailable", M_API_ERR_UNAVAILABLE },
};

static const struct status_default *status_default(int status)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(status_defaults); i++)
		if (status_defaults[i].status == status)
			return &status_defaults[i];
	return status >= 500 ? &status_defaults[ARRAY_SIZE(status_defaults) - 2]
			     : &status_defaults[0];
}

/* Sends an error; fields (consumed, may be NULL) lists wrong fields. */
static void send_error(struct req *q, struct resp *r, int status,
		       const char *code, const char *message, json_t *fields)
{
	const struct status_default *d = status_default(status);
	json_t *e = json_object();

	set(e, "status", json_integer(status));
	set(e, "code", json_string(code ? code : d->code));
	set(e, "message", jstr(message ? message : msg_text(q->cx.lang, d->msg)));
	if (fields)
		set(e, "fields", fields);
	if (status == 401) {
		/* RFC 6750: say which scheme, and that a token was refused. */
		resp_header(r, "WWW-Authenticate", q->h_authorization
			    ? "Bearer realm=\"varn\", error=\"invalid_token\""
			    : "Bearer realm=\"varn\"");
	}
	send_json(q, r, status, json_pack("{s:o}", "error", e));
}

void api_error(struct req *q, struct resp *r, int status, const char *code,
	       const char *message)
{
	send_error(q, r, status, code, message, NULL);
}

void api_respond_error(struct req *q, struct resp *r, int status)
{
	send_error(q, r, status, NULL, NULL, NULL);
}

static void error_msg(struct req *q, struct resp *r, int status,
		      const char *code, int msg)
{
	send_error(q, r, status, code, msg_text(q->cx.lang, msg), NULL);
}

/* Field-level problems gathered before answering once. */
struct problems {
	json_t *list;       /* array of {"field","code","message"} */
	unsigned char *bad; /* per entity field: already reported */
};

static void problems_init(struct req *q, struct problems *p, size_t nfields)
{
	p->list = json_array();
	p->bad = arena_alloc(q->cx.a, nfields + 1);
}

static void problem(struct req *q, struct problems *p, const char *field,
		    const char *code, int msg)
{
	json_t *o = json_object();

	set(o, "field", jstr(field));
	set(o, "code", json_string(code));
	set(o, "message", jstr(msg_text(q->cx.lang, msg)));
	json_array_append_new(p->list, o);
}

static void field_problem(struct req *q, struct problems *p,
			  const struct entity *e, int fi, const char *code, int msg)
{
	p->bad[fi] = 1;
	problem(q, p, e->fields[fi].name, code, msg);
}

/* Adds the engine's errors, skipping fields we have already reported (a
 * value of the wrong type reached the engine as absent, so "required"
 * there would be a second, misleading entry for the same field). */
static void add_engine_errors(struct req *q, struct problems *p,
			      const struct entity *e, const struct field_errors *fe)
{
	size_t i;

	for (i = 0; i < fe->n; i++) {
		const struct field_error *x = &fe->e[i];
		const char *code = x->code ? x->code : "invalid";

		if (x->field >= 0) {
			if (p->bad[x->field])
				continue;
			field_problem(q, p, e, x->field, code, x->msg);
		} else {
			problem(q, p, NULL, code, x->msg);
		}
	}
}

static int has_problems(const struct problems *p)
{
	return json_array_size(p->list) > 0;
}

/* Answers with the gathered problems (consumes them). */
static void send_problems(struct req *q, struct resp *r, struct problems *p,
			  int status, const char *code, int msg)
{
	json_t *list = p->list;

	p->list = NULL;
	send_error(q, r, status, code, msg_text(q->cx.lang, msg), list);
}

static void problems_release(struct problems *p)
{
	json_decref(p->list);
	p->list = NULL;
}

static void internal_error(struct req *q, struct resp *r, const char *what,
			   const struct db_error *err)
{
	log_error("api: %s %s: %s: %s", q->method, q->path, what,
		  err ? err->msg : "");
	/* A lock wait that ran out is worth retrying; say so (respond_error
	 * adds Retry-After). */
	respond_error(q, r, err && err->code == DBE_BUSY ? 503 : 500);
}

/* Maps a failed engine write to its answer: a lost race is 409, a record
 * that is gone 404, a database failure 500, everything else 422. */
static void write_failed(struct req *q, struct resp *r, const struct entity *e,
			 struct problems *p, const struct field_errors *fe,
			 const struct db_error *err)
{
	size_t i;

	if (err->code == DBE_CONFLICT)
		goto conflict;
	if (err->code == DBE_NOTFOUND)
		goto notfound;
	for (i = 0; i < fe->n; i++) {
		if (fe->e[i].field >= 0 || !fe->e[i].code)
			continue;
		if (!strcmp(fe->e[i].code, "conflict"))
			goto conflict;
		if (!strcmp(fe->e[i].code, "not_found"))
			goto notfound;
	}
	if (!fe->n) {
		problems_release(p);
		internal_error(q, r, "write", err);
		return;
	}
	add_engine_errors(q, p, e, fe);
	send_problems(q, r, p, 422, "validation", M_API_ERR_VALIDATION);
	return;
conflict:
	problems_release(p);
	error_msg(q, r, 409, "conflict", M_API_ERR_CONFLICT);
	return;
notfound:
	problems_release(p);
	api_error(q, r, 404, NULL, NULL);
}

/* ---- records -------------------------------------------------------- */

static size_t field_count(const struct entity *e)
{
	size_t n = 0;

	while (e->fields[n].name)
		n++;
	return n;
}

/* A string member whose text is not UTF-8 is written null (jo_str); the
 * log says which, never what. */
static void member_str(struct buf *b, int *first, const struct entity *e,
		       const char *key, const char *v)
{
	jo_key(b, first, key);
	if (jo_str(b, v))
		log_warn("api: %s.%s is not UTF-8: left out of a response", e->name, key);
}

/* A record as the API shows it (components/schemas/<name>_record),
 * written into b. */
static void record_write(struct req *q, const struct entity *e, const struct record *rec,
			 struct buf *b)
{
	int first = 1;
	size_t i;

	buf_putc(b, '{');
	jo_key(b, &first, "id");
	jo_int(b, rec->id);
	jo_key(b, &first, "version");
	jo_int(b, rec->version);
	jo_key(b, &first, "archived");
	jo_bool(b, rec->archived);
	member_str(b, &first, e, "created_at", clock_format_iso(q->cx.a, rec->created_at));
	member_str(b, &first, e, "updated_at", clock_format_iso(q->cx.a, rec->updated_at));
	for (i = 0; e->fields[i].name; i++) {
		const struct entity_field *f = &e->fields[i];
		const char *v = rec->v ? rec->v[i] : NULL;
		int64_t n;

		switch (f->type) {
		case F_INT:
		case F_REF:
			jo_key(b, &first, f->name);
			if (v && !parse_i64(v, &n)) {
				jo_int(b, n);
			} else {
				if (v)
					log_warn("api: %s.%s is not a number",
						 e->name, f->name);
				jo_null(b);
			}
			if (f->type == F_REF) {
				const char *t = rec->ref_title ? rec->ref_title[i] : NULL;

				member_str(b, &first, e,
					   arena_printf(q->cx.a, "%s_title", f->name),
					   v ? t : NULL);
			}
			break;
		case F_BOOL:
			jo_key(b, &first, f->name);
			jo_bool(b, v && *v && strcmp(v, "0"));
			break;
		default:
			member_str(b, &first, e, f->name, v);
			break;
		}
	}
	if (rec->masked) {
		jo_key(b, &first, "masked");
		jo_bool(b, 1);
	}
	buf_putc(b, '}');
}

/* A page of records: {"items":[...],"next":...,"total":N,
 * "total_is_lower_bound":B}, written straight into the body. */
static void send_page(struct req *q, struct resp *r, const struct entity *e,
		      const struct list_result *lr)
{
	struct buf *b = &r->body;
	int first = 1;

	buf_reset(b);
	buf_puts(b, "{\"items\":[");
	for (size_t i = 0; i < lr->n; i++) {
		if (i)
			buf_putc(b, ',');
		record_write(q, e, &lr->rows[i], b);
	}
	buf_putc(b, ']');
	first = 0;
	member_str(b, &first, e, "next", lr->next);
	jo_key(b, &first, "total");
	jo_int(b, lr->total);
	jo_key(b, &first, "total_is_lower_bound");
	jo_bool(b, lr->total_more);
	buf_putc(b, '}');
	r->status = 200;
	r->content_type = JSON_TYPE;
}

static void set_etag(struct req *q, struct resp *r, int64_t version)
{
	resp_header(r, "ETag", arena_printf(q->cx.a, "\"%" PRId64 "\"", version));
}

/* Answers with the current state of record id (after a write). */
static void send_record(struct req *q, struct resp *r, const struct entity *e,
			int64_t id, int status)
{
	struct record rec;
	struct db_error err = { 0 };

	memset(&rec, 0, sizeof(rec));
	if (entity_read(&q->cx, e, id, &rec, &err)) {
		if (err.code == DBE_NOTFOUND)
			api_error(q, r, 404, NULL, NULL);
		else
			internal_error(q, r, "read", &err);
		return;
	}
	if (status == 201)
		resp_header(r, "Location", arena_printf(q->cx.a,
			    "/api/v1/orgs/%s/%s/%" PRId64, q->cx.org->slug, e->name, id));
	set_etag(q, r, rec.version);
	buf_reset(&r->body);
	record_write(q, e, &rec, &r->body);
	r->status = status;
	r->content_type = JSON_TYPE;
}

/* ---- request bodies ------------------------------------------------- */

static int is_json_type(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;

	while (*ct == ' ')
		ct++;
	if (strncasecmp(ct, want, n))
		return 0;
	return ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ';
}

/* The body as a JSON object, or NULL after answering 400/415.  An empty body
 * is {} when allow_empty (archive/restore may take the version from
 * If-Match alone). */
static json_t *body_object(struct req *q, struct resp *r, int allow_empty)
{
	json_error_t je;
	json_t *v;

	if (!q->body_len) {
		if (allow_empty)
			return json_object();
		error_msg(q, r, 400, "expected_object", M_API_ERR_NOT_OBJECT);
		return NULL;
	}
	if (!q->h_content_type || !is_json_type(q->h_content_type)) {
		error_msg(q, r, 415, "unsupported_media_type", M_API_ERR_MEDIA_TYPE);
		return NULL;
	}
	/* Duplicate keys are refused: two values for one field would make
	 * the outcome depend on which one a reader happens to take. */
	v = json_loadb(q->body, q->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!v) {
		json_t *e = json_object();

		set(e, "status", json_integer(400));
		set(e, "code", json_string("malformed_json"));
		set(e, "message", jstr(msg_text(q->cx.lang, M_API_ERR_BAD_JSON)));
		/* jansson's own words help a developer find the spot. */
		set(e, "detail", jstr(arena_printf(q->cx.a, "%s (line %d, column %d)",
					      je.text, je.line, je.column)));
		send_json(q, r, 400, json_pack("{s:o}", "error", e));
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		error_msg(q, r, 400, "expected_object", M_API_ERR_NOT_OBJECT);
		return NULL;
	}
	return v;
}

static int field_by_name(const struct entity *e, const char *name)
{
	int i;

	for (i = 0; e->fields[i].name; i++)
		if (!strcmp(e->fields[i].name, name))
			return i;
	return -1;
}

/* Keys of a record that a client may send back but cannot change. */
static int read_only_key(const struct entity *e, const char *key)
{
	static const char *const fixed[] = {
		"archived", "created_at", "updated_at", "masked",
	};
	size_t i, n;
	int fi;

	for (i = 0; i < ARRAY_SIZE(fixed); i++)
		if (!strcmp(key, fixed[i]))
			return 1;
	n = strlen(key);
	if (n > 6 && !strcmp(key + n - 6, "_title")) {
		for (fi = 0; e->fields[fi].name; fi++)
			if (e->fields[fi].type == F_REF &&
			    strlen(e->fields[fi].name) == n - 6 &&
			    !memcmp(e->fields[fi].name, key, n - 6))
				return 1;
	}
	return 0;
}

/* A positive version from a JSON value; 0 if it is not one. */
static int64_t version_value(json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return 0;
	return json_integer_value(v);
}

/* If-Match: "3", W/"3" or 3.  0 when absent or not a version ("*"). */
static int64_t if_match_version(struct req *q)
{
	const char *s = q->h_if_match;
	char tmp[24];
	size_t n;
	int64_t v;

	if (!s)
		return 0;
	while (*s == ' ')
		s++;
	if (!strncmp(s, "W/", 2))
		s += 2;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s++;
		n -= 2;
	}
	if (!n || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (parse_i64(tmp, &v) || v < 1)
		return -1;
	return v;
}

/* The version a write is based on: the body's "version" and/or If-Match,
 * which must agree.  Returns it, or 0 after recording a problem. */
static int64_t write_version(struct req *q, json_t *obj, struct problems *p)
{
	json_t *jv = json_object_get(obj, "version");
	int64_t body = 0, hdr = if_match_version(q);

	if (jv) {
		body = version_value(jv);
		if (!body) {
			problem(q, p, "version", "invalid", M_API_V_VERSION_BAD);
			return 0;
		}
	}
	if (hdr < 0 || (hdr && body && hdr != body)) {
		problem(q, p, "version", "invalid", M_API_V_VERSION_BAD);
		return 0;
	}
	if (!body && !hdr) {
		problem(q, p, "version", "required", M_API_V_VERSION_REQUIRED);
		return 0;
	}
	return body ? body : hdr;
}

/* Converts a body's values into vals[] (one per field; entries not in the
 * body are left as they are, so an update starts from the stored record).
 * "version" is handled by the caller; path_id > 0 lets "id" be sent back if
 * it names the same record. */
static void body_values(struct req *q, const struct entity *e, json_t *obj,
			const char **vals, int64_t path_id, struct problems *p)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		int fi = field_by_name(e, key);
		const struct entity_field *f;

		if (!strcmp(key, "version"))
			continue;
		if (!strcmp(key, "id")) {
			if (path_id && !(json_is_integer(v) &&
					 json_integer_value(v) == path_id))
				problem(q, p, "id", "invalid", M_API_V_ID_MISMATCH);
			continue;
		}
		if (fi < 0) {
			if (!read_only_key(e, key))
				problem(q, p, key, "unknown_field",
					M_API_V_UNKNOWN_FIELD);
			continue;
		}
		f = &e->fields[fi];
		/* Fields the rules set are read-only here as in the forms. */
		if (f->flags & FF_NO_FORM)
			continue;
		if (json_is_null(v)) {
			vals[fi] = NULL;
			continue;
		}
		switch (f->type) {
		case F_INT:
		case F_REF:
			if (!json_is_integer(v)) {
				field_problem(q, p, e, fi, "invalid_type", M_API_V_WANT_INT);
				vals[fi] = NULL;
				break;
			}
			vals[fi] = arena_printf(q->cx.a, "%" JSON_INTEGER_FORMAT,
						json_integer_value(v));
			break;
		case F_BOOL:
			if (!json_is_boolean(v)) {
				field_problem(q, p, e, fi, "invalid_type", M_API_V_WANT_BOOL);
				vals[fi] = NULL;
				break;
			}
			vals[fi] = json_is_true(v) ? "1" : "0";
			break;
		default:
			if (!json_is_string(v)) {
				field_problem(q, p, e, fi, "invalid_type", M_API_V_WANT_STRING);
				vals[fi] = NULL;
				break;
			}
			/* jansson refuses \u0000 unless asked, so the text
			 * has no NUL and strlen() is its length. */
			vals[fi] = arena_strdup(q->cx.a, json_string_value(v));
			break;
		}
	}
}

/* ---- query parameters ----------------------------------------------- */

static const char *param(struct req *q, const char *name)
{
	const char *s = req_param(q, name);

	return s && *s ? s : NULL;
}

/* "true"/"1" -> 1, "false"/"0" -> 0, else -1. */
static int parse_bool(const char *s)
{
	if (!strcmp(s, "1") || !strcmp(s, "true"))
		return 1;
	if (!strcmp(s, "0") || !strcmp(s, "false"))
		return 0;
	return -1;
}

static int bool_param(struct req *q, const char *name, struct problems *p)
{
	const char *s = param(q, name);
	int b;

	if (!s)
		return 0;
	b = parse_bool(s);
	if (b < 0) {
		problem(q, p, name, "invalid", M_API_V_BAD_PARAM);
		return 0;
	}
	return b;
}

/* A filter value checked against its field's type; NULL when bad. */
static const char *filter_value(const struct entity_field *f, const char *s)
{
	const struct choice *c;
	int64_t n;
	int b;

	switch (f->type) {
	case F_ENUM:
		for (c = f->choices; c && c->value; c++)
			if (!strcmp(c->value, s))
				return s;
		return NULL;
	case F_REF:
	case F_INT:
		if (parse_i64(s, &n) || (f->type == F_REF && n < 1))
			return NULL;
		return s;
	case F_BOOL:
		b = parse_bool(s);
		return b < 0 ? NULL : b ? "1" : "0";
	default:
		return s;
	}
}

/* ---- handlers ------------------------------------------------------- */

static const struct api_route_ctx *op_ctx(struct req *q)
{
	return q->route->ctx;
}

static void h_list(struct req *q, struct resp *r)
{
	const struct entity *e = op_ctx(q)->e;
	size_t i, nf = field_count(e);
	struct list_query lq;
	struct list_result lr;
	struct db_error err = { 0 };
	struct problems p;
	const char *s;

	memset(&lq, 0, sizeof(lq));
	memset(&lr, 0, sizeof(lr));
	problems_init(q, &p, nf);
	lq.sort_field = -1;
	lq.limit = API_LIMIT_DEFAULT;
	if ((s = param(q, "limit"))) {
		int64_t n;

		if (parse_i64(s, &n) || n < 1 || n > API_LIMIT_MAX)
			problem(q, &p, "limit", "invalid", M_API_V_BAD_PARAM);
		else
			lq.limit = (int)n;
	}
	lq.after = param(q, "after");
	lq.search = param(q, "q");
	if ((s = param(q, "sort"))) {
		int fi = field_by_name(e, s);

		if (fi < 0 || !(e->fields[fi].flags & FF_SORT))
			problem(q, &p, "sort", "invalid", M_API_V_BAD_PARAM);
		else
			lq.sort_field = fi;
	}
	lq.desc = bool_param(q, "desc", &p);
	lq.archived = bool_param(q, "archived", &p);
	lq.filters = arena_alloc(q->cx.a, (nf + 1) * sizeof(*lq.filters));
	for (i = 0; i < nf; i++) {
		const struct entity_field *f = &e->fields[i];

		if (!(f->flags & FF_FILTER) || !(s = param(q, f->name)))
			continue;
		lq.filters[i] = filter_value(f, s);
		if (!lq.filters[i])
			problem(q, &p, f->name, "invalid", M_API_V_BAD_PARAM);
	}
	if (has_problems(&p)) {
		send_problems(q, r, &p, 400, "bad_parameter", M_API_ERR_BAD_PARAM);
		return;
	}
	problems_release(&p);

	if (entity_list(&q->cx, e, &lq, &lr, &err)) {
		/* A cursor the engine cannot read is the client's mistake,
		 * not ours; the engine says so with DBE_CHECK. */
		if (lq.after && err.code == DBE_CHECK)
			error_msg(q, r, 400, "bad_cursor", M_API_ERR_BAD_CURSOR);
		else
			internal_error(q, r, "list", &err);
		return;
	}
	send_page(q, r, e, &lr);
}

/* The parts of one parent record (entity.parent_path): the parent must be
 * readable by the caller, else it does not exist (404); then its parts,
 * paged as any list, whatever roles the parts' own register reads with. */
static void h_children(struct req *q, struct resp *r)
{
	const struct entity *e = op_ctx(q)->e;
	int pf = field_by_name(e, e->parent_field);
	const struct entity *pe = e->fields[pf].ref;
	size_t nf = field_count(e);
	struct record parent;
	struct list_query lq;
	struct list_result lr;
	struct db_error err = { 0 };
	const char *s;

	memset(&parent, 0, sizeof(parent));
	if (entity_read(&q->cx, pe, req_id(q), &parent, &err) != 0 ||
	    !entity_may(&q->cx, pe, &parent, OP_READ)) {
		if (err.code && err.code != DBE_NOTFOUND)
			internal_error(q, r, "read", &err);
		else
			api_error(q, r, 404, NULL, NULL);
		return;
	}
	memset(&lq, 0, sizeof(lq));
	memset(&lr, 0, sizeof(lr));
	lq.sort_field = -1;
	lq.limit = API_LIMIT_DEFAULT;
	if ((s = param(q, "limit"))) {
		int64_t n;

		if (parse_i64(s, &n) || n < 1 || n > API_LIMIT_MAX) {
			error_msg(q, r, 400, "bad_parameter", M_API_ERR_BAD_PARAM);
			return;
		}
		lq.limit = (int)n;
	}
	lq.after = param(q, "after");
	lq.filters = arena_alloc(q->cx.a, (nf + 1) * sizeof(*lq.filters));
	memset(lq.filters, 0, (nf + 1) * sizeof(*lq.filters));
	lq.filters[pf] = arena_printf(q->cx.a, "%" PRId64, parent.id);
	if (entity_list(&q->cx, e, &lq, &lr, &err)) {
		if (lq.after && err.code == DBE_CHECK)
			error_msg(q, r, 400, "bad_cursor", M_API_ERR_BAD_CURSOR);
		else
			internal_error(q, r, "list", &err);
		return;
	}
	send_page(q, r, e, &lr);
}

static void h_get(struct req *q, struct resp *r)
{
	send_record(q, r, op_ctx(q)->e, req_id(q), 200);
}

static void h_create(struct req *q, struct resp *r)
{
	const struct entity *e = op_ctx(q)->e;
	size_t nf = field_count(e);
	const char **vals;
	struct record rec;
	struct field_errors fe;
	struct db_error err = { 0 };
	struct problems p;
	json_t *obj;

	if (!(obj = body_object(q, r, 0)))
		return;
	problems_init(q, &p, nf);
	vals = arena_alloc(q->cx.a, (nf + 1) * sizeof(*vals));
	body_values(q, e, obj, vals, 0, &p);
	json_decref(obj); /* vals are arena copies */

	memset(&rec, 0, sizeof(rec));
	memset(&fe, 0, sizeof(fe));
	/* Run the engine's checks even when ours failed, so the client
	 * hears about every wrong field at once. */
	entity_record_from_values(&q->cx, e, vals, &rec, &fe);
	add_engine_errors(q, &p, e, &fe);
	if (has_problems(&p)) {
		send_problems(q, r, &p, 422, "validation", M_API_ERR_VALIDATION);
		return;
	}
	memset(&fe, 0, sizeof(fe));
	if (entity_create(&q->cx, e, &rec, &fe, &err)) {
		write_failed(q, r, e, &p, &fe, &err);
		return;
	}
	problems_release(&p);
	if (rec.id < 1)
		BUG("entity_create gave %s no id", e->name);
	send_record(q, r, e, rec.id, 201);
}

static void h_update(struct req *q, struct resp *r)
{
	const struct entity *e = op_ctx(q)->e;
	size_t i, nf = field_count(e);
	int64_t id = req_id(q), version;
	const char **vals;
	struct record old, rec;
	struct field_errors fe;
	struct db_error err = { 0 };
	struct problems p;
	json_t *obj;

	if (!(obj = body_object(q, r, 0)))
		return;
	memset(&old, 0, sizeof(old));
	if (entity_get(&q->cx, e, id, &old, &err)) {
		json_decref(obj);
		if (err.code == DBE_NOTFOUND)
			api_error(q, r, 404, NULL, NULL);
		else
			internal_error(q, r, "read", &err);
		return;
	}
	/* What the viewer sees of a masked record is not what is stored;
	 * merging it into an update would overwrite the hidden values. */
	if (old.masked) {
		json_decref(obj);
		error_msg(q, r, 403, "masked", M_API_ERR_MASKED);
		return;
	}
	problems_init(q, &p, nf);
	version = write_version(q, obj, &p);
	/* PATCH: fields not in the body keep their stored values. */
	vals = arena_alloc(q->cx.a, (nf + 1) * sizeof(*vals));
	for (i = 0; i < nf; i++)
		vals[i] = old.v ? old.v[i] : NULL;
	body_values(q, e, obj, vals, id, &p);
	json_decref(obj);
	if (version && version != old.version && !has_problems(&p)) {
		problems_release(&p);
		error_msg(q, r, 409, "conflict", M_API_ERR_CONFLICT);
		return;
	}

	memset(&rec, 0, sizeof(rec));
	memset(&fe, 0, sizeof(fe));
	entity_record_from_values(&q->cx, e, vals, &rec, &fe);
	add_engine_errors(q, &p, e, &fe);
	if (has_problems(&p)) {
		send_problems(q, r, &p, 422, "validation", M_API_ERR_VALIDATION);
		return;
	}
	rec.id = id;
	rec.org_id = old.org_id;
	rec.version = version;
	memset(&fe, 0, sizeof(fe));
	if (entity_update(&q->cx, e, &rec, &fe, &err)) {
		if (err.code == DBE_DENIED) { /* not theirs to change: as the page says */
			problems_release(&p);
			error_msg(q, r, 403, "forbidden", M_V_DENIED);
			return;
		}
		write_failed(q, r, e, &p, &fe, &err);
		return;
	}
	problems_release(&p);
	send_record(q, r, e, id, 200);
}

/* POST .../{id}/<transition>: {"version": N, and the transition's params}. */
static void h_transition(struct req *q, struct resp *r)
{
	const struct api_route_ctx *rc = op_ctx(q);
	const struct entity *e = rc->e;
	const struct entity_transition *t = rc->t;
	int64_t id = req_id(q), version;
	struct field_errors fe;
	struct db_error err = { 0 };
	struct problems p;
	const char *key, **pv;
	json_t *obj, *v;
	size_t n = 0;

	if (!(obj = body_object(q, r, 1)))
		return;
	for (const struct entity_field *f = t->params; f && f->name; f++)
		n++;
	pv = arena_alloc(q->cx.a, (n + 1) * sizeof(*pv));
	problems_init(q, &p, field_count(e));
	json_object_foreach(obj, key, v) {
		size_t i;
		if (!strcmp(key, "version"))
			continue;
		for (i = 0; i < n && strcmp(t->params[i].name, key); i++)
			;
		if (i == n)
			problem(q, &p, key, "unknown_field", M_API_V_UNKNOWN_FIELD);
		else if (json_is_string(v))
			pv[i] = arena_strdup(q->cx.a, json_string_value(v));
		else if (json_is_integer(v))
			pv[i] = arena_printf(q->cx.a, "%lld", (long long)json_integer_value(v));
		else if (json_is_boolean(v))
			pv[i] = json_is_true(v) ? "1" : "0";
		else if (!json_is_null(v))
			problem(q, &p, key, "invalid", M_API_V_WANT_STRING);
	}
	version = write_version(q, obj, &p);
	json_decref(obj);
	if (has_problems(&p)) {
		send_problems(q, r, &p, 422, "validation", M_API_ERR_VALIDATION);
		return;
	}
	memset(&fe, 0, sizeof(fe));
	if (entity_transition(&q->cx, e, id, version, t->name, pv, &fe, &err)) {
		size_t kept = 0;

		if (err.code == DBE_DENIED) {
			problems_release(&p);
			error_msg(q, r, 403, "forbidden", M_V_DENIED);
			return;
		}
		/* a problem with an input that is no field carries nfields + i:
		 * reported under the input's name, and taken out of fe so that
		 * it is neither listed twice nor read as the record's own */
		for (size_t k = 0; k < fe.n; k++) {
			if (fe.e[k].field >= (int)e->nfields)
				problem(q, &p, t->params[fe.e[k].field - (int)e->nfields].name,
					fe.e[k].code ? fe.e[k].code : "invalid", fe.e[k].msg);
			else
				fe.e[kept++] = fe.e[k];
		}
		fe.n = kept;
		if (!fe.n && has_problems(&p)) {
			send_problems(q, r, &p, 422, "validation", M_API_ERR_VALIDATION);
			return;
		}
		write_failed(q, r, e, &p, &fe, &err);
		return;
	}
	problems_release(&p);
	send_record(q, r, e, id, 200);
}

static void h_me(struct req *q, struct resp *r)
{
	struct session *s = q->sess;
	struct org_ctx *orgs;
	size_t i, n = 0;
	json_t *out, *list;
	int role;

	if (!s) {
		api_error(q, r, 401, NULL, NULL);
		return;
	}
	orgs = app_user_orgs(q, &n);
	list = json_array();
	for (i = 0; orgs && i < n; i++) {
		json_t *o, *roles;

		/* a token of one organisation tells only of that one */
		if (s->token_id && s->token_org_id && orgs[i].id != s->token_org_id)
			continue;
		o = json_object();
		roles = json_array();

		for (role = 0; role < ROLE__COUNT; role++)
			if (orgs[i].roles & RB(role))
				json_array_append_new(roles, json_string(role_code(role)));
		set(o, "id", json_integer(orgs[i].id));
		set(o, "slug", jstr(orgs[i].slug));
		set(o, "name", jstr(orgs[i].name));
		set(o, "kind", jstr(orgs[i].kind));
		set(o, "roles", roles);
		json_array_append_new(list, o);
	}
	out = json_object();
	set(out, "id", json_integer(s->user_id));
	set(out, "email", jstr(s->email));
	set(out, "name", jstr(s->name));
	set(out, "lang", json_string(lang_code(s->lang)));
	set(out, "organisations", list);
	send_json(q, r, 200, out);
}

/* The document depends only on the declarations, so it is made once. */
static pthread_once_t doc_once = PTHREAD_ONCE_INIT;
static struct arena doc_arena = ARENA_INIT;
static const char *doc_text;

static void make_doc(void)
{
	doc_text = openapi_document(&doc_arena);
}

static void h_openapi(struct req *q, struct resp *r)
{
	(void)q;
	pthread_once(&doc_once, make_doc);
	buf_reset(&r->body);
	buf_puts(&r->body, doc_text);
	r->status = 200;
	r->content_type = JSON_TYPE;
}

/* ---- the token gate ------------------------------------------------- */

/*
 * Every API route but the public OpenAPI document runs through here first
 * (build_routes): a request with an API token is counted against the
 * token's rate limit (429 with Retry-After), kept to the token's
 * organisation (another organisation is answered 404, as one the token
 * cannot see) and to its scopes (403 insufficient_scope): a GET needs read
 * on the module of the route's register, any other method write
 * (core/scope.h).  Sessions never reach the API (authenticate reads only a
 * Bearer token there), so every API request with a user is a token's.
 */
static void h_gate(struct req *q, struct resp *r)
{
	const struct api_route_ctx *rc = op_ctx(q);
	const struct session *s = q->sess;

	if (s && s->token_id) {
		int64_t wait = scope_rate_take(s->token_id, s->token_rate, q->cx.now);

		if (wait > 0) {
			send_error(q, r, 429, NULL, NULL, NULL);
			resp_header(r, "Retry-After", arena_printf(q->cx.a, "%lld",
								     (long long)wait));
			return;
		}
		if (s->token_org_id && q->cx.org && q->cx.org->id != s->token_org_id) {
			send_error(q, r, 404, NULL, NULL, NULL);
			return;
		}
		if (rc->e) {
			const char *m = scope_module_of(rc->e);
			int write = strcmp(q->method, "GET") && strcmp(q->method, "HEAD");

			if (!scope_allows(s->token_scopes, m, write)) {
				send_error(q, r, 403, "insufficient_scope",
					   msg_text(q->cx.lang, M_API_ERR_SCOPE), NULL);
				resp_header(r, "WWW-Authenticate", arena_printf(q->cx.a,
					    "Bearer realm=\"varn\", error=\"insufficient_scope\", "
					    "scope=\"%s:%s\"", m ? m : "*", write ? "write" : "read"));
				return;
			}
		}
	}
	rc->fn(q, r);
}

/* ---- the route table ------------------------------------------------ */

static pthread_once_t routes_once = PTHREAD_ONCE_INIT;
static const struct route **api_table;
static size_t api_count;

/* The list route's parameters: paging, search, sort and one per filter
 * field.  The router drops everything else. */
static const struct param *list_params(const struct entity *e)
{
	static const struct param fixed[] = {
		{ "limit", P_STR, 8 },
		{ "after", P_STR, 1024 },
		{ "q", P_STR, 200 },
		{ "sort", P_STR, 64 },
		{ "desc", P_STR, 5 },
		{ "archived", P_STR, 5 },
	};
	size_t i, n = ARRAY_SIZE(fixed), nf = field_count(e);
	struct param *ps = xcalloc(n + nf + 1, sizeof(*ps));

	memcpy(ps, fixed, sizeof(fixed));
	for (i = 0; i < nf; i++)
		if (e->fields[i].flags & FF_FILTER)
			ps[n++] = (struct param){ e->fields[i].name, P_STR, 64 };
	return ps;
}

static void build_routes(void)
{
	size_t ne = 0, n = 0, i, max;
	struct route *rt;
	struct api_route_ctx *cx;
	const struct route **tab;

	while (module_entities()[ne])
		ne++;
	max = 2;
	for (i = 0; i < ne; i++) {
		max += 5;
		for (const struct entity_transition *t = module_entities()[i]->all_transitions;
		     t->name; t++)
			max++;
	}
	rt = xcalloc(max, sizeof(*rt));
	cx = xcalloc(max, sizeof(*cx));
	tab = xcalloc(max, sizeof(*tab));

#define ADD(m, pat, h, rl, fl, bm, ps, o, ent)                           \
	do {                                                              \
		cx[n] = (struct api_route_ctx){ (o), (ent), NULL, (h) };  \
		rt[n] = (struct route){ (m), (pat), h_gate, (rl), (fl), (bm), \
					(ps), &cx[n] };                   \
		tab[n] = &rt[n];                                          \
		n++;                                                      \
	} while (0)

	ADD("GET", "/api/v1/me", h_me, 0, RF_API, 0, NULL, API_ME, NULL);
	ADD("GET", "/api/v1/openapi.json", h_openapi, 0, RF_API | RF_PUBLIC, 0,
	    NULL, API_OPENAPI, NULL);
	for (i = 0; i < ne; i++) {
		const struct entity *e = module_entities()[i];
		char *coll = xprintf("/api/v1/orgs/{org}/%s", e->name);
		char *one = xprintf("%s/{id}", coll);

		ADD("GET", coll, h_list, e->roles_read, RF_API, 0,
		    list_params(e), API_LIST, e);
		ADD("POST", coll, h_create, e->roles_write, RF_API,
		    API_BODY_MAX, NULL, API_CREATE, e);
		ADD("GET", one, h_get, e->roles_read, RF_API, 0, NULL, API_GET, e);
		ADD("PATCH", one, h_update, e->roles_write, RF_API,
		    API_BODY_MAX, NULL, API_UPDATE, e);
		for (const struct entity_transition *t = e->all_transitions; t->name; t++) {
			ADD("POST", xprintf("%s/%s", one, t->name), h_transition,
			    t->roles ? t->roles : e->roles_write, RF_API, API_BODY_MAX,
			    NULL, API_TRANSITION, e);
			cx[n - 1].t = t;
		}
		if (e->parent_path) {
			int pf = entity_field_index(e, e->parent_field);
			const struct entity *pe = e->fields[pf].ref;
			static const struct param child_params[] = {
				{ "limit", P_STR, 8 }, { "after", P_STR, 1024 }, { NULL, 0, 0 },
			};

			ADD("GET", xprintf("/api/v1/orgs/{org}/%s/{id}/%s", pe->name,
					   e->parent_path),
			    h_children, pe->roles_read, RF_API, 0, child_params, API_CHILDREN, e);
		}
	}
#undef ADD
	api_table = tab;
	api_count = n;
}

size_t api_routes(const struct route ***out)
{
	pthread_once(&routes_once, build_routes);
	*out = api_table;
	return api_count;
}
