/* module.c - what the foundation gathers from the modules (module.h). */
#include "base/base.h"

#include <pthread.h>

#include "core/ctx.h"
#include "core/entity.h"
#include "core/module.h"
#include "db/db.h"

static const struct entity **all_entities;
static const char **all_tables;
static pthread_once_t gather_once = PTHREAD_ONCE_INIT;

static void gather(void)
{
	size_t ne = 0, nt = 0, k;

	while (db_tables[nt])
		nt++;
	for (size_t m = 0; modules[m]; m++) {
		for (k = 0; modules[m]->entities && modules[m]->entities[k]; k++)
			ne++;
		for (k = 0; modules[m]->tables && modules[m]->tables[k]; k++)
			nt++;
	}
	all_entities = xcalloc(ne + 1, sizeof(*all_entities));
	all_tables = xcalloc(nt + 1, sizeof(*all_tables));
	ne = nt = 0;
	for (k = 0; db_tables[k]; k++)
		all_tables[nt++] = db_tables[k];
	for (size_t m = 0; modules[m]; m++) {
		for (k = 0; modules[m]->entities && modules[m]->entities[k]; k++) {
			const struct entity *e = modules[m]->entities[k];
			for (size_t i = 0; i < ne; i++)
				if (strcmp(all_entities[i]->name, e->name) == 0)
					BUG("two registers are called %s", e->name);
			all_entities[ne++] = e;
		}
		for (k = 0; modules[m]->tables && modules[m]->tables[k]; k++)
			all_tables[nt++] = modules[m]->tables[k];
	}
}

const struct entity *const *module_entities(void)
{
	pthread_once(&gather_once, gather);
	return all_entities;
}

const char *const *module_tables(void)
{
	pthread_once(&gather_once, gather);
	return all_tables;
}

const struct interchange *module_interchange(const char *name)
{
	for (size_t m = 0; name && modules[m]; m++)
		for (const struct interchange *x = modules[m]->interchange; x && x->name; x++)
			if (strcmp(x->name, name) == 0)
				return x;
	return NULL;
}

const struct document *module_document(const char *name)
{
	for (size_t m = 0; name && modules[m]; m++)
		for (const struct document *d = modules[m]->documents; d && d->name; d++)
			if (strcmp(d->name, name) == 0)
				return d;
	return NULL;
}

int module_audit_label(const char *action)
{
	for (size_t m = 0; action && modules[m]; m++)
		for (const struct audit_label *l = modules[m]->audit_labels; l && l->action; l++)
			if (strcmp(l->action, action) == 0)
				return l->label;
	return 0;
}

int module_emit(struct ctx *cx, const char *event, int64_t id, struct db_error *err)
{
	for (size_t m = 0; modules[m]; m++)
		for (const struct module_listener *l = modules[m]->listeners; l && l->event; l++)
			if (strcmp(l->event, event) == 0 && l->handle(cx, id, err) != 0)
				return -1;
	return 0;
}

int overview_count(struct ctx *cx, struct overview_figure *f, const char *sql,
		   struct db_val *params, size_t np, struct db_error *err)
{
	struct db_rows rows;

	params[np] = DB_INT(OVERVIEW_COUNT_MAX + 1);
	if (db_exec(cx->db, cx->a, sql, params, np + 1, &rows, err) != 0)
		return -1;
	f->n = rows.nrows ? db_cell_i64(&rows, 0, 0) : 0;
	f->more = f->n > OVERVIEW_COUNT_MAX;
	if (f->more)
		f->n = OVERVIEW_COUNT_MAX;
	return 0;
}
