/* cmd_export.c - varn export: writes a register's live records to a CSV or
 * XLSX file with the same columns and values as the export on its page,
 * or a module's interchange format as CSV, from one snapshot. */
#include "base/base.h"

#include <unistd.h>

#include "cli/cli.h"
#include "cli/ops.h"
#include "core/entity.h"
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

/* The register's live records as the CSV export of its page writes them. */
static int64_t export_csv(struct cli_ctx *c, const struct entity *e, struct buf *out,
			  struct db_error *err)
{
	struct list_query lq = { .sort_field = e->title_field, .limit = 200 };
	struct list_result res;
	int64_t n = 0;

	lq.filters = arena_alloc(&c->a, (e->nfields + 1) * sizeof(char *));
	csv_write_bom(out);
	csv_write_cell(out, "id", 1);
	for (size_t i = 0; i < e->nfields; i++)
		csv_write_cell(out, msg_text(c->cx.lang, e->fields[i].label), 0);
	csv_end_row(out);
	do {
		if (entity_list(&c->cx, e, &lq, &res, err) != 0)
			return -1;
		for (size_t k = 0; k < res.n; k++) {
			csv_write_cell(out, arena_printf(&c->a, "%lld",
				       (long long)res.rows[k].id), 1);
			for (size_t i = 0; i < e->nfields; i++)
				csv_write_cell(out, entity_display(&c->cx, e, &res.rows[k], i), 0);
			csv_end_row(out);
		}
		n += (int64_t)res.n;
		export_progress(NULL, n, res.total_more ? -1 : res.total);
		lq.after = res.next;
	} while (res.next);
	return n;
}

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
		n = export_csv(&c, e, &b, &err);
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
