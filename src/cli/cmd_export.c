/* cmd_export.c - varn export: writes a register's live records to a CSV or
 * XLSX file with the same columns and values as the export on its page,
 * or a module's interchange format as CSV, from one snapshot. */
#include "base/base.h"

#include <unistd.h>

#include "cli/cli.h"
#include "cli/ops.h"
#include "core/entity.h"
#include "core/entity_export.h"
#include "core/i18n.h"
#include "core/module.h"
#include "db/db.h"
#include "parse/csv.h"
#include "web/xlsx.h"

const struct opt export_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	{ "register", V_TEXT, 1, "NAME", NULL, NULL, 0, 100,
	  "the register as in its address (units, people, ...) or an interchange "
	  "format; a wrong name lists them all" },
	{ "format", V_TEXT, 0, "FORMAT", NULL, "csv", 0, 10,
	  "csv (default) or xlsx" },
	OPT_END,
};

int cmd_export(const struct args *a)
{
	const char *format = arg(a, "format");
	struct db_error err;
	struct cli_ctx c;
	struct buf b = BUF_INIT;
	const struct interchange *x;
	const struct entity *e;
	int xlsx, rc = 1;
	int64_t n = 0;
	struct db *db;

	if (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)
		return usage_error(a->cmd, "--format: csv or xlsx, not '%s'", format);
	xlsx = strcmp(format, "xlsx") == 0;
	e = find_register(a, &x);
	if (!e && !x)
		return EXIT_USAGE;
	if (x && xlsx)
		return usage_error(a->cmd, "--register %s is written as CSV only", x->name);
	if (!(db = open_current(arg(a, "db"))))
		return 1;
	cli_ctx_init(&c, db);
	if (cli_use_org(&c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		goto out;
	}
	/* one snapshot: the file is consistent even while the server writes */
	if (db_begin_snapshot(db, &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (xlsx) {
		struct list_query lq = { .sort_field = e->title_field };
		lq.filters = arena_alloc(&c.a, (e->nfields + 1) * sizeof(char *));
		n = xlsx_write_entity(&c.cx, e, &lq, a->pos, export_progress, NULL, &err);
		if (n < 0)
			unlink(a->pos);
	} else if (x) {
		if (x->export_csv(&c.cx, &b, &err) == 0)
			n = (int64_t)(b.len ? 1 : 0);
		else
			n = -1;
	} else {
		/* the register's live records as the CSV export of its page
		 * writes them */
		struct list_query lq = { .sort_field = e->title_field };
		lq.filters = arena_alloc(&c.a, (e->nfields + 1) * sizeof(char *));
		n = entity_export_csv(&c.cx, e, &lq, &b, export_progress, NULL, &err);
	}
	db_rollback(db);
	if (n < 0) {
		fail("export failed: %s", err.msg);
		goto out;
	}
	if (!xlsx && write_file(a->pos, &b))
		goto out;
	if (x)
		printf("Wrote the %s file of %s to %s.\n", x->title, c.org.slug, a->pos);
	else
		printf("Wrote %lld %s of %s to %s.\n", (long long)n, e->name, c.org.slug,
		       a->pos);
	rc = 0;
out:
	buf_release(&b);
	cli_ctx_release(&c);
	db_close(db);
	return rc;
}
