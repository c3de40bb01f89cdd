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
#include "doc/doc.h"
#include "web/pages_doc.h"
#include "web/xlsx.h"

const struct opt export_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	{ "register", V_TEXT, 0, "NAME", NULL, NULL, 0, 100,
	  "the register as in its address (units, people, ...) or an interchange "
	  "format; a wrong name lists them all" },
	{ "document", V_TEXT, 0, "NAME", NULL, NULL, 0, 100,
	  "a document a module declares (system-register, classification-record), "
	  "written with --format pdf instead of a register" },
	{ "unit", V_INT, 0, "ID", NULL, NULL, 1, INT64_MAX,
	  "--document: the unit (and the units below it)" },
	{ "id", V_INT, 0, "ID", NULL, NULL, 1, INT64_MAX,
	  "--document: the record it is about (a system)" },
	{ "from", V_TEXT, 0, "YYYY-MM-DD", NULL, NULL, 0, 10,
	  "--document: the period's first day (management-report)" },
	{ "to", V_TEXT, 0, "YYYY-MM-DD", NULL, NULL, 0, 10,
	  "--document: the period's last day, included" },
	{ "format", V_TEXT, 0, "FORMAT", NULL, "csv", 0, 10,
	  "csv (default), xlsx, or pdf with --document" },
	OPT_END,
};

/* `varn export --document NAME --format pdf FILE`: the PDF the page's
 * download gives, made from one snapshot; FILE "-" is standard output. */
static int export_document(const struct args *a)
{
	const struct document *dd = module_document(arg(a, "document"));
	struct doc_params p = { arg_int(a, "unit", 0), arg_int(a, "id", 0) };
	struct db_error err = { 0 };
	struct cli_ctx c;
	struct buf b = BUF_INIT;
	struct doc d;
	const char *why = NULL;
	struct db *db;
	int rc = 1;

	if (!dd)
		return usage_error(a->cmd, "--document: no document called '%s' "
				   "(system-register, classification-record)", arg(a, "document"));
	if (strcmp(arg(a, "format"), "pdf") != 0)
		return usage_error(a->cmd, "--document is written with --format pdf");
	if (dd->needs_id && !p.id)
		return usage_error(a->cmd, "--document %s needs --id", dd->name);
	if (doc_period(arg(a, "from"), arg(a, "to"), &p) != 0)
		return usage_error(a->cmd, "--from and --to: two days YYYY-MM-DD, the first "
				   "not after the last, at most five years apart");
	if (!(db = open_current(arg(a, "db"))))
		return 1;
	cli_ctx_init(&c, db);
	if (cli_use_org(&c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (db_begin_snapshot(db, &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (document_fill(&c.cx, dd, &p, &d, &err)) {
		db_rollback(db);
		fail(err.code == DBE_NOTFOUND ? "not found: %s" : "document failed: %s", err.msg);
		goto out;
	}
	db_rollback(db);
	if (doc_pdf(&d, &b, NULL, &why)) {
		fail("document failed: %s", why);
		goto out;
	}
	if (strcmp(a->pos, "-") == 0) {
		if (fwrite(b.p, 1, b.len, stdout) != b.len || fflush(stdout) != 0) {
			fail("cannot write the PDF to standard output");
			goto out;
		}
	} else {
		if (write_file(a->pos, &b))
			goto out;
		printf("Wrote %s of %s to %s.\n", dd->name, c.org.slug, a->pos);
	}
	rc = 0;
out:
	buf_release(&b);
	cli_ctx_release(&c);
	db_close(db);
	return rc;
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

	if (arg(a, "document"))
		return export_document(a);
	if (!arg(a, "register"))
		return usage_error(a->cmd, "--register NAME or --document NAME is needed");
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
