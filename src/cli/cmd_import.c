/* cmd_import.c - varn import: imports a CSV file into a register, or a
 * file in an interchange format a module brings, all rows or none: the
 * same import as the register's import page (core/entity_import.c), with
 * progress and every problem on stderr. */
#include "base/base.h"

#include "cli/cli.h"
#include "cli/ops.h"
#include "core/entity.h"
#include "core/entity_import.h"
#include "core/module.h"
#include "db/db.h"

const struct opt import_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	{ "register", V_TEXT, 1, "NAME", NULL, NULL, 0, 100,
	  "the register as in its address (units, people, ...) or an interchange "
	  "format a module brings; a wrong name lists them all" },
	OPT_END,
};

int cmd_import(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct import_run run, *base = &run;
	const struct interchange *x;
	const struct entity *e;
	int rc = 1;
	size_t len;
	char *text;
	struct db *db;

	e = find_register(a, &x);
	if (!e && !x)
		return EXIT_USAGE;
	if (!(text = read_file(a->pos, 64u << 20, &len)))
		return 1;
	if (!(db = open_current(arg(a, "db")))) {
		free(text);
		return 1;
	}
	cli_ctx_init(&c, db);
	if (cli_use_org(&c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (db_begin(db, &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (x) {
		base = x->import_run(&c.cx, text, len, import_progress, NULL);
	} else {
		entity_import_run(&c.cx, e, text, len, import_progress, NULL, &run);
	}
	if (base->nproblems || base->rows == 0) {
		db_rollback(db);
		print_problems(base);
		fail("nothing was imported: %zu problem(s) in %s", base->nproblems, a->pos);
		goto out;
	}
	if (x ? x->import_commit(&c.cx, base, &err) :
	    entity_import_commit(&c.cx, e, &run, &err)) {
		fail("nothing was imported: %s", err.msg);
		goto out;
	}
	if (x)
		printf("Imported %s into %s: %s.\n", a->pos, c.org.slug,
		       x->import_summary(&c.cx, base));
	else
		printf("Imported %zu rows of %s into %s in %s.\n", base->ok, a->pos,
		       e->name, c.org.slug);
	rc = 0;
out:
	cli_ctx_release(&c);
	db_close(db);
	free(text);
	return rc;
}
