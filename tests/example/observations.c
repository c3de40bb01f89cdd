/* observations.c - an example module: what a new register with one state
 * machine costs (docs/ARCHITECTURE.md, "Adding a module", did exactly this).
 *
 * Observations (iakttagelser) are noted during a follow-up: confidential
 * to the unit they concern (read-scoped: others do not see them at all,
 * and reading one is audited), open -> handled (with the action taken) ->
 * closed by the coordinator, or reopened with a reason.
 *
 * A real module would add its texts in its own messages.def; this one lives
 * in the tests, outside the message catalogue, so it borrows the
 * foundation's and the other modules' texts.  Its table is made by the
 * test (observations_schema below) where a real module has a migration
 * pair in src/db/migrations/.
 */
#include "base/base.h"

#include "core/entity.h"
#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/org/org.h"
#include "observations.h"

enum { OBS_TITLE, OBS_DESCRIPTION, OBS_UNIT, OBS_REPORTER, OBS_STATE, OBS_ACTION };

static const struct choice states[] = {
	{ "open", M_YES }, { "handled", M_NO }, { "closed", M_ARCHIVE }, { NULL, 0 },
};

static const struct entity_field fields[] = {
	[OBS_TITLE] = { "title", M_F_NAME, 0, F_TEXT, 1, 200,
			FF_REQUIRED | FF_LIST | FF_SEARCH | FF_SORT, NULL, NULL },
	[OBS_DESCRIPTION] = { "description", M_F_DESCRIPTION, 0, F_LONGTEXT, 0, 4000,
			      FF_SEARCH, NULL, NULL },
	[OBS_UNIT] = { "unit_id", M_F_UNIT, 0, F_REF, 0, 0,
		       FF_REQUIRED | FF_LIST | FF_FILTER, NULL, &org_units },
	[OBS_REPORTER] = { "reporter_id", M_F_PERSON, 0, F_REF, 0, 0, FF_LIST, NULL,
			   &org_people },
	[OBS_STATE] = { "state", M_F_LIFECYCLE, 0, F_ENUM, 0, 0, FF_LIST | FF_FILTER, states, NULL },
	[OBS_ACTION] = { "action_taken", M_F_NOTE, 0, F_LONGTEXT, 0, 4000, 0, NULL, NULL },
	{ NULL },
};

static const char *const from_open[] = { "open", NULL };
static const char *const from_handled[] = { "handled", NULL };
static const char *const from_closed[] = { "closed", NULL };
static const char *const needs_action[] = { "action_taken", NULL };

static const struct entity_field reopen_params[] = {
	{ "reason", M_F_NOTE, 0, F_TEXT, 1, 500, FF_REQUIRED, NULL, NULL },
	{ NULL },
};

static const struct entity_field handle_params[] = {
	{ "action_taken", M_F_NOTE, 0, F_LONGTEXT, 0, 4000, 0, NULL, NULL },
	{ NULL },
};

/* A closed observation is reopened only with a reason (params are checked
 * like fields: reopen_params says it is required). */
static const struct entity_transition transitions[] = {
	{ .name = "handle", .label = M_SAVE, .field = "state", .from = from_open,
	  .to = "handled", .params = handle_params, .requires = needs_action },
	{ .name = "close", .label = M_ARCHIVE, .field = "state", .from = from_handled,
	  .to = "closed", .roles = ROLES_REGISTER_ADMIN },
	{ .name = "reopen", .label = M_RESTORE, .field = "state", .from = from_closed,
	  .to = "open", .roles = ROLES_REGISTER_ADMIN, .params = reopen_params },
	{ .name = NULL },
};

struct entity observations = {
	.name = "observations",
	.table = "observation",
	.label_one = M_F_NOTE,
	.label_many = M_F_NOTE,
	.label_new = M_F_NOTE,
	.fields = fields,
	.title_field = OBS_TITLE,
	.roles_read = ROLES_STAFF,
	.roles_write = ROLES_STAFF,
	.unit_field = "unit_id",
	.owner_field = "reporter_id",
	.read_scoped = 1,
	.audit_reads = 1,
	.transitions = transitions,
};

static const struct entity *const entities[] = { &observations, NULL };
static const struct search_source search[] = { { &observations }, { NULL } };
static const char *const tables[] = { "observation", NULL };

const struct module observations_module = {
	.name = "observations",
	.entities = entities,
	.search = search,
	.tables = tables,
};

const char observations_schema_sqlite[] =
	"CREATE TABLE observation ("
	" id INTEGER PRIMARY KEY,"
	" org_id INTEGER NOT NULL REFERENCES organisation(id),"
	" title TEXT NOT NULL, title_sk TEXT NOT NULL DEFAULT '',"
	" description TEXT,"
	" unit_id INTEGER NOT NULL REFERENCES unit(id),"
	" reporter_id INTEGER REFERENCES person(id),"
	" state TEXT NOT NULL,"
	" action_taken TEXT,"
	" search TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1,"
	" archived INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL, created_by INTEGER, updated_by INTEGER) STRICT;"
	"CREATE INDEX observation_org_title ON observation(org_id, archived, title_sk, id);"
	"CREATE INDEX observation_unit ON observation(org_id, unit_id, archived);"
	"CREATE VIRTUAL TABLE observation_fts USING fts5(search,"
	" tokenize = 'unicode61 remove_diacritics 0');"
	"CREATE TRIGGER observation_search_ins AFTER INSERT ON observation BEGIN"
	" INSERT INTO search_queue (tbl, row_id) VALUES ('observation', new.id); END;"
	"CREATE TRIGGER observation_search_upd AFTER UPDATE OF search ON observation"
	" WHEN old.search IS NOT new.search BEGIN"
	" INSERT INTO search_queue (tbl, row_id) VALUES ('observation', new.id); END;";

const char observations_schema_pg[] =
	"CREATE TABLE observation ("
	" id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
	" org_id bigint NOT NULL REFERENCES organisation(id) DEFERRABLE,"
	" title text NOT NULL, title_sk text COLLATE \"C\" NOT NULL DEFAULT '',"
	" description text,"
	" unit_id bigint NOT NULL REFERENCES unit(id) DEFERRABLE,"
	" reporter_id bigint REFERENCES person(id) DEFERRABLE,"
	" state text NOT NULL,"
	" action_taken text,"
	" search text COLLATE \"C\" NOT NULL DEFAULT '', version bigint NOT NULL DEFAULT 1,"
	" archived bigint NOT NULL DEFAULT 0, created_at bigint NOT NULL,"
	" updated_at bigint NOT NULL, created_by bigint, updated_by bigint);"
	"CREATE INDEX observation_org_title ON observation(org_id, archived, title_sk, id);"
	"CREATE INDEX observation_unit ON observation(org_id, unit_id, archived);";
