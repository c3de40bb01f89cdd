/* test_conformance.c - every declared register, whatever module brings it,
 * gets the same product from the engine: pages, API, CSV and Excel, the
 * OpenAPI document, audit events on create, update and each transition,
 * archive and restore through the rules, and per-record access in list,
 * read, export and search; on the engine chosen by VARN_TEST_DB.
 *
 * The registry here is the product's plus the example module of
 * tests/example/ (a confidential register with a state machine): this
 * file's modules[] takes the place of src/modules/registry.c's. */
#include "base/base.h"

#include <jansson.h>

#include "core/auth.h"
#include "core/module.h"
#include "core/roles.h"
#include "db/db.h"
#include "example/observations.h"
#include "fixture.h"
#include "modules/actions/actions.h"
#include "modules/measures/measures.h"
#include "modules/org/org.h"
#include "modules/secplans/secplans.h"
#include "modules/systems/systems.h"
#include "parse/form.h"
#include "tap.h"
#include "testdb.h"

const struct module *const modules[] = {
	&org_module, &systems_module, &measures_module, &actions_module, &secplans_module,
	&observations_module, NULL,
};

static struct fixture *fx;
static const char *admin_token;

#define ADMIN "admin@a.se"
#define COORD "samordnare@a.se"
#define USER "anvandare@a.se"

static const char *bearer(const char *email)
{
	struct db_error err = { 0 };
	const char *t = api_token_create(fx->db, &fx->a, fx_user_id(fx, email), "test", 1, &err);

	if (!t) {
		printf("Bail out! api_token_create: %s\n", err.msg);
		exit(1);
	}
	return arena_printf(&fx->a, "Bearer %s", t);
}

static struct fx_resp api(const char *token, const char *method, const char *path,
			  const char *json)
{
	return fx_request(fx, NULL, method, path, json, json ? "application/json" : NULL,
			  "Authorization", token);
}

/* ---- a record of any register, made through the API ---- */

static int counter;

static int64_t make(const struct entity *e);

static json_t *value_for(const struct entity *e, const struct entity_field *f)
{
	if (strcmp(e->name, "scales") == 0 && strcmp(f->name, "levels_json") == 0)
		return json_string(klassa_default_scale);
	switch (f->type) {
	case F_TEXT:
	case F_LONGTEXT:
		return json_string(arena_printf(&fx->a, "Prov %s %d", e->name, ++counter));
	case F_EMAIL:
		return json_string(arena_printf(&fx->a, "prov%d@example.se", ++counter));
	case F_INT:
		return json_integer(f->min);
	case F_BOOL:
		return json_false();
	case F_ENUM:
		return json_string(f->choices[0].value);
	case F_DATE:
		/* later fields later: a review date after its decision */
		return json_string(arena_printf(&fx->a, "%d-06-15", 2000 + (int)(f - e->fields)));
	case F_DATETIME:
		/* earlier fields earlier too: awareness after the event */
		return json_string(arena_printf(&fx->a, "%d-06-15T10:00:00Z",
						2000 + (int)(f - e->fields)));
	case F_REF:
		/* a unit's parent would be made forever: optional self-refs stay empty */
		if (f->ref == e && !(f->flags & FF_REQUIRED))
			return NULL;
		return json_integer(make(f->ref));
	}
	return NULL;
}

static int64_t make(const struct entity *e)
{
	json_t *o = json_object();
	struct fx_resp r;
	json_t *got;
	char *body;
	int64_t id = 0;

	for (size_t i = 0; i < e->nfields; i++) {
		const struct entity_field *f = &e->fields[i];
		json_t *v;
		if ((f->flags & FF_NO_FORM) || entity_field_is_state(e, i))
			continue;
		if ((v = value_for(e, f)))
			json_object_set_new(o, f->name, v);
	}
	body = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	r = api(admin_token, "POST", arena_printf(&fx->a, "/api/v1/orgs/alfa/%s", e->name), body);
	free(body);
	got = json_loads(r.body, 0, NULL);
	if (r.status == 201 && got)
		id = json_integer_value(json_object_get(got, "id"));
	else
		printf("# make %s: %d %.400s\n", e->name, r.status, r.body);
	json_decref(got);
	return id;
}

static int64_t audits(const char *action, const struct entity *e, int64_t id)
{
	return fx_scalar(fx, arena_printf(&fx->a, "SELECT count(*) FROM audit_event WHERE"
					  " action = '%s' AND entity = '%s' AND entity_id = $1",
					  action, e->name), id);
}

static int64_t version(const struct entity *e, int64_t id)
{
	return fx_scalar(fx, arena_printf(&fx->a, "SELECT version FROM %s WHERE id = $1",
					  e->table), id);
}

static int has(const struct fx_resp *r, const char *s)
{
	return r->body && strstr(r->body, s) != NULL;
}

/* covers R-17-04 (every change audited with before and after, transitions
 * too) and R-1-02 (each organisation's records invisible to another) */
TEST(every_register_is_served_alike)
{
	const struct entity *const *all = module_entities();
	struct fx_resp doc = api(admin_token, "GET", "/api/v1/openapi.json", NULL);

	is_int(doc.status, 200, "the OpenAPI document");
	for (size_t k = 0; all[k]; k++) {
		const struct entity *e = all[k];
		const char *n = e->name;
		int64_t id;

		/* a register its module alone writes (a decided plan's
		 * deviations): read like any other, written by nobody */
		if (!e->roles_write) {
			struct fx_resp w = api(admin_token, "POST", arena_printf(&fx->a,
					       "/api/v1/orgs/alfa/%s", n), "{}");
			is_int(w.status, 403, arena_printf(&fx->a, "%s: nobody writes it", n));
			w = fx_get(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/%s", n));
			is_int(w.status, 200, arena_printf(&fx->a, "%s: the list", n));
			w = api(admin_token, "GET", arena_printf(&fx->a, "/api/v1/orgs/alfa/%s", n), NULL);
			is_int(w.status, 200, arena_printf(&fx->a, "%s: API list", n));
			continue;
		}
		id = make(e);
		struct record rec;
		struct db_error err;
		struct ctx cx;
		struct org_ctx oc = { .id = fx->org_alfa, .slug = "alfa",
				      .roles = ROLES_ANY, .org_roles = ROLES_ANY };
		const char *title;
		struct fx_resp r;

		ok(id > 0, "%s: a record made through the API", n);
		if (id <= 0)
			continue;
		ctx_system(&cx, &fx->a, fx->db, "test", VIA_CLI);
		cx.org = &oc;
		ok(entity_get(&cx, e, id, &rec, &err) == 0, "%s: read back", n);
		title = entity_title(e, &rec);
		is_int(audits("create", e, id), 1, arena_printf(&fx->a, "%s: audited create", n));

		r = fx_get(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/%s/%lld", n, (long long)id));
		is_int(r.status, 200, arena_printf(&fx->a, "%s: its page", n));
		ok(has(&r, title), "%s: the page names it (%s)", n, title);
		r = fx_get(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/%s", n));
		is_int(r.status, 200, arena_printf(&fx->a, "%s: the list", n));
		r = fx_get(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/%s/new", n));
		is_int(r.status, 200, arena_printf(&fx->a, "%s: the new form", n));
		r = fx_get(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/%s.csv", n));
		ok(r.status == 200 && has(&r, arena_printf(&fx->a, "%lld", (long long)id)),
		   "%s: CSV export with the record", n);
		r = fx_get(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/%s.xlsx", n));
		ok(r.status == 200 && r.len > 4 && memcmp(r.body, "PK", 2) == 0,
		   "%s: Excel export", n);
		r = api(admin_token, "GET", arena_printf(&fx->a, "/api/v1/orgs/alfa/%s/%lld", n,
							 (long long)id), NULL);
		is_int(r.status, 200, arena_printf(&fx->a, "%s: API read", n));
		r = api(admin_token, "GET", arena_printf(&fx->a, "/api/v1/orgs/alfa/%s", n), NULL);
		is_int(r.status, 200, arena_printf(&fx->a, "%s: API list", n));
		ok(has(&doc, arena_printf(&fx->a, "\"/api/v1/orgs/{org}/%s/{id}\"", n)),
		   "%s: in the OpenAPI document", n);
		for (const struct entity_transition *t = e->all_transitions; t->name; t++)
			ok(has(&doc, arena_printf(&fx->a, "\"/api/v1/orgs/{org}/%s/{id}/%s\"", n,
						  t->name)),
			   "%s: transition %s in the OpenAPI document", n, t->name);

		r = api(admin_token, "PATCH", arena_printf(&fx->a, "/api/v1/orgs/alfa/%s/%lld", n,
							   (long long)id),
			arena_printf(&fx->a, "{\"version\":%lld}", (long long)version(e, id)));
		is_int(r.status, 200, arena_printf(&fx->a, "%s: API update", n));
		is_int(audits("update", e, id), 1, arena_printf(&fx->a, "%s: audited update", n));
		r = api(admin_token, "POST", arena_printf(&fx->a, "/api/v1/orgs/alfa/%s/%lld/archive",
							  n, (long long)id),
			arena_printf(&fx->a, "{\"version\":%lld%s}", (long long)version(e, id),
				     e == &org_people ? ",\"account\":\"unlink\"" : ""));
		is_int(r.status, 200, arena_printf(&fx->a, "%s: archived through its rules", n));
		is_int(audits("archive", e, id), 1, arena_printf(&fx->a, "%s: audited archive", n));
		r = fx_post(fx, ADMIN, arena_printf(&fx->a, "/o/alfa/%s/%lld/restore", n,
						    (long long)id),
			    arena_printf(&fx->a, "version=%lld", (long long)version(e, id)));
		is_int(r.status, 303, arena_printf(&fx->a, "%s: restored from its page", n));
		is_int(audits("restore", e, id), 1, arena_printf(&fx->a, "%s: audited restore", n));

		/* someone without a role that reads it */
		r = fx_get(fx, USER, arena_printf(&fx->a, "/o/alfa/%s/%lld", n, (long long)id));
		ok(r.status == 403 || (e->roles_read & RB(ROLE_USER)),
		   "%s: closed to those without a reading role (%d)", n, r.status);
		/* and the other organisation never sees it */
		r = fx_get(fx, "admin@b.se", arena_printf(&fx->a, "/o/alfa/%s/%lld", n,
							  (long long)id));
		is_int(r.status, 404, arena_printf(&fx->a, "%s: invisible to another organisation", n));
	}
}

/* ---- the example: confidential per unit, with a state machine ---- */

static int64_t unit(const char *name)
{
	struct fx_resp r = fx_post(fx, ADMIN, "/o/alfa/units",
				   arena_printf(&fx->a, "name=%s&kind=enhet", name));
	return r.status == 303 ? fx_location_id(&r) : 0;
}

static int64_t observation(const char *title, int64_t u)
{
	struct fx_resp r = fx_post(fx, ADMIN, "/o/alfa/observations",
				   arena_printf(&fx->a, "title=%s&unit_id=%lld", title, (long long)u));
	return r.status == 303 ? fx_location_id(&r) : 0;
}

/* covers R-17-07 (reads of confidential records are traceable per user
 * and record) */
TEST(a_confidential_register_hides_what_one_may_not_read)
{
	int64_t u1 = unit("Hemtjanst"), u2 = unit("Skola");
	int64_t mine = observation("Olast+dator+hemtjanst", u1);
	int64_t other = observation("Olast+dator+skola", u2);
	const char *tok;
	struct fx_resp r;

	ok(mine && other, "two observations in two units");
	fx_add_member(fx, fx->org_alfa, "forvaltare@a.se", "Frida Förvaltare",
		      "systemforvaltare", u1);
	tok = bearer("forvaltare@a.se");
	r = fx_get(fx, "forvaltare@a.se", "/o/alfa/observations");
	ok(r.status == 200 && has(&r, "hemtjanst") && !has(&r, "skola"),
	   "the list shows the unit's own only (in the SQL, before paging)");
	r = fx_get(fx, "forvaltare@a.se", "/o/alfa/observations.csv");
	ok(r.status == 200 && has(&r, "hemtjanst") && !has(&r, "skola"), "so does the CSV");
	r = fx_get(fx, "forvaltare@a.se",
		   arena_printf(&fx->a, "/o/alfa/observations/%lld", (long long)other));
	is_int(r.status, 404, "another unit's observation does not exist for them");
	r = api(tok, "GET", arena_printf(&fx->a, "/api/v1/orgs/alfa/observations/%lld",
					 (long long)other), NULL);
	is_int(r.status, 404, "not in the API either");
	r = api(tok, "GET", "/api/v1/orgs/alfa/observations", NULL);
	ok(r.status == 200 && has(&r, "hemtjanst") && !has(&r, "skola"), "the API list filters too");
	r = fx_get(fx, "forvaltare@a.se", "/o/alfa/search?q=olast");
	ok(r.status == 200 && has(&r, "hemtjanst") && !has(&r, "skola"),
	   "search finds only what they may read");
	r = fx_get(fx, COORD, "/o/alfa/search?q=olast");
	ok(has(&r, "hemtjanst") && has(&r, "skola"), "the coordinator's search finds both");
	r = fx_post(fx, "forvaltare@a.se",
		    arena_printf(&fx->a, "/o/alfa/observations/%lld/handle", (long long)other),
		    "version=1&action_taken=x");
	is_int(r.status, 404, "nor can they act on it");

	r = fx_get(fx, "forvaltare@a.se",
		   arena_printf(&fx->a, "/o/alfa/observations/%lld", (long long)mine));
	is_int(r.status, 200, "their unit's observation");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'read'"
		     " AND entity = 'observations' AND entity_id = $1", mine) >= 1,
	   "reading it is in the audit trail");
	r = fx_post(fx, "forvaltare@a.se",
		    arena_printf(&fx->a, "/o/alfa/observations/%lld/handle", (long long)mine),
		    "version=1");
	is_int(r.status, 422, "handled needs the action taken");
	r = fx_post(fx, "forvaltare@a.se",
		    arena_printf(&fx->a, "/o/alfa/observations/%lld/handle", (long long)mine),
		    "version=1&action_taken=Datorn+l%C3%A5stes");
	is_int(r.status, 303, "handled with it");
	is_int(fx_scalar(fx, "SELECT count(*) FROM observation WHERE id = $1 AND state = 'handled'"
			 " AND action_taken IS NOT NULL", mine), 1, "state and field written");
	r = fx_post(fx, "forvaltare@a.se",
		    arena_printf(&fx->a, "/o/alfa/observations/%lld/close", (long long)mine),
		    "version=2");
	is_int(r.status, 403, "closing is the coordinator's");
	/* found in review: a transition's role held for another unit */
	{
		int64_t pid = fx_add_member(fx, fx->org_alfa, "tva@a.se", "Tove Två",
					    "systemforvaltare", u1);
		struct db_error e2;
		struct db_rows rows;
		(void)db_exec(fx->db, &fx->a, "INSERT INTO role_assignment (org_id, person_id, role,"
			      " unit_id, created_at, updated_at) VALUES ($1, $2, 'samordnare', $3, 0, 0)",
			      DB_ARGS(DB_INT(fx->org_alfa), DB_INT(pid), DB_INT(u2)), &rows, &e2);
		r = fx_post(fx, "tva@a.se", arena_printf(&fx->a, "/o/alfa/observations/%lld/close",
							 (long long)mine), "version=2");
		is_int(r.status, 403, "a coordinator of another unit does not close this unit's");
	}
	r = fx_get(fx, "forvaltare@a.se",
		   arena_printf(&fx->a, "/o/alfa/observations/%lld/edit", (long long)mine));
	is_int(r.status, 200, "the edit page shows it too");
	ok(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'read'"
		     " AND entity = 'observations' AND entity_id = $1", mine) >= 2,
	   "and that read is audited as well");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/observations/%lld/close",
					    (long long)mine), "version=2");
	is_int(r.status, 303, "the coordinator closes it");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/observations/%lld/handle",
					    (long long)mine), "version=3&action_taken=y");
	is_int(r.status, 422, "a closed one is not handled again");
	r = api(bearer(COORD), "POST", arena_printf(&fx->a,
		"/api/v1/orgs/alfa/observations/%lld/reopen", (long long)mine), "{\"version\":3}");
	is_int(r.status, 422, "reopening needs a reason");
	ok(has(&r, "reason"), "which the API names");
	r = api(bearer(COORD), "POST", arena_printf(&fx->a,
		"/api/v1/orgs/alfa/observations/%lld/reopen", (long long)mine),
		"{\"version\":3,\"reason\":\"Hände igen\"}");
	is_int(r.status, 200, "reopened with one");
	is_int(fx_scalar(fx, "SELECT count(*) FROM audit_event WHERE action = 'reopen'"
			 " AND entity_id = $1 AND after_json LIKE '%Hände igen%'", mine), 1,
	       "the reason is in the audit event");
	r = fx_post(fx, COORD, arena_printf(&fx->a, "/o/alfa/observations/%lld", (long long)mine),
		    arena_printf(&fx->a, "version=4&title=X&unit_id=%lld&state=closed",
				 (long long)u1));
	is_int(r.status, 303, "an edit");
	is_int(fx_scalar(fx, "SELECT count(*) FROM observation WHERE id = $1 AND state = 'open'",
			 mine), 1, "never changes the state");
}

int main(void)
{
	struct db_error err;
	int rc;

	fx = fixture_new();
	if (db_exec_script(fx->db, db_kind(fx->db) == DB_PG ? observations_schema_pg
							    : observations_schema_sqlite, &err)) {
		printf("Bail out! example schema: %s\n", err.msg);
		return 1;
	}
	admin_token = bearer(ADMIN);
	rc = tap_run();
	fixture_free(fx);
	testdb_cleanup();
	return rc;
}
