/* observations.h - the example module (observations.c). */
#ifndef VARN_EXAMPLE_OBSERVATIONS_H
#define VARN_EXAMPLE_OBSERVATIONS_H

#include "core/entity.h"
#include "core/module.h"

extern struct entity observations;
extern const struct module observations_module;

/* Its table, as a migration pair would make it (SQLite, PostgreSQL): the
 * engine's conventional columns, and on SQLite the FTS5 table and queue
 * triggers of a search source (migrations/sqlite/0003_search.sql). */
extern const char observations_schema_sqlite[];
extern const char observations_schema_pg[];

#endif
