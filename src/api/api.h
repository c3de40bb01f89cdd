/* api.h - the JSON API under /api/v1.
 *
 * The API is generic over the entity engine (core/entity.h): for every
 * register in entities[] api_routes() declares
 *
 *   GET   /api/v1/orgs/{org}/<name>               list (keyset paging)
 *   POST  /api/v1/orgs/{org}/<name>               create -> 201 + Location
 *   GET   /api/v1/orgs/{org}/<name>/{id}          one record, ETag "<version>"
 *   PATCH /api/v1/orgs/{org}/<name>/{id}          partial update; needs the
 *                                                 version (body or If-Match)
 *   POST  /api/v1/orgs/{org}/<name>/{id}/archive  body {"version": n}
 *   POST  /api/v1/orgs/{org}/<name>/{id}/restore  body {"version": n}
 *
 * plus GET /api/v1/me and the public GET /api/v1/openapi.json, which is
 * generated from the same declarations (openapi.c), so the document cannot
 * drift from what is served.  Reading needs one of entity->roles_read,
 * writing one of entity->roles_write; the router checks both.
 *
 * Every error, whoever detects it (router or handler), has one shape:
 *
 *   {"error": {"status": 422, "code": "validation", "message": "...",
 *              "fields": [{"field": "name", "code": "required",
 *                          "message": "..."}]}}
 *
 * with "fields" only on 422.  Messages are in the user's language; codes are
 * stable, for programs.  Bodies are built with jansson only, never by
 * string concatenation.
 */
#ifndef VARN_API_H
#define VARN_API_H

#include "base/base.h"

struct req;
struct resp;
struct route;
struct entity;

/* The API's routes, built once (thread-safely) on first call from
 * entities[]; the array and the routes live for the whole process. */
size_t api_routes(const struct route ***out);

/* Answers q with the JSON error shape above.  code and message may be NULL
 * for the defaults of status ("not_found", the translated text).  401 adds
 * WWW-Authenticate: Bearer. */
void api_error(struct req *q, struct resp *r, int status, const char *code,
	       const char *message);
/* The API's error_responder (web/app.h): api_error with the defaults.  The
 * pipeline's respond_error() calls it for RF_API routes and paths under
 * /api/, so 401, 403, 404, 405, 413 and 503 found before a handler runs
 * look the same as handler errors. */
void api_respond_error(struct req *q, struct resp *r, int status);

/* The OpenAPI 3.1 document as JSON text, in the arena (openapi.c). */
char *openapi_document(struct arena *a);

/* What a route of api_routes() does: route->ctx points at one of these.
 * openapi.c reads it to describe each route; nothing else should. */
enum api_op {
	API_LIST = 0,
	API_CREATE,
	API_GET,
	API_UPDATE,
	API_TRANSITION,   /* archive, restore and the register's own */
	API_CHILDREN,     /* a parent's parts (entity.parent_path) */
	API_ME,
	API_OPENAPI,
};
struct api_route_ctx {
	enum api_op op;
	const struct entity *e;   /* NULL for API_ME and API_OPENAPI */
	const struct entity_transition *t; /* API_TRANSITION */
	void (*fn)(struct req *q, struct resp *r); /* the handler behind the
						    token gate (api.c) */
};

/* Largest request body an API route accepts (413 above). */
#define API_BODY_MAX (64 * 1024)
/* Page size bounds of list routes. */
#define API_LIMIT_DEFAULT 50
#define API_LIMIT_MAX 200

#endif
