/* cmd_import.c - varn import: imports a CSV file into a register, or a
 * file in an interchange format a module brings, all rows or none: the
 * same import as the register's import page (core/entity_import.c), with
 * progress and every problem on stderr.  A CSV file is read a row at a
 * time (any number of rows, memory that of a row); a format that is not
 * CSV (a catalogue's JSON) is read whole, at most 64 MiB. */
#include "base/base.h"

#include <errno.h>

#include "cli/cli.h"
#include "cli/ops.h"
#include "core/entity.h"
#include "core/entity_import.h"
#include "core/module.h"
#include "db/db.h"
#include "parse/csv.h"

const struct opt import_opts[] = {
	OPT_DB_REQUIRED,
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0, "the organisation" },
	{ "register", V_TEXT, 1, "NAME", NULL, NULL, 0, 100,
	  "the register as in its address (units, people, ...) or an interchange "
	  "format a module brings; a wrong name lists them all" },
	OPT_END,
};

static long file_read(void *arg, char *dst, size_t cap)
{
	FILE *f = arg;
	size_t n = fread(dst, 1, cap, f);

	return n == 0 && ferror(f) ? -1 : (long)n;
}

static int file_rewind(void *arg)
{
	FILE *f = arg;

	clearerr(f);
	return fseeko(f, 0, SEEK_SET);
}

int cmd_import(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct import_run run, *base = &run;
	struct import_progress progress;
	const struct interchange *x;
	const struct entity *e;
	struct csv_reader *reader = NULL;
	int rc = 1;
	size_t len = 0;
	char *text = NULL;
	FILE *f = NULL;
	struct db *db;

	e = find_register(a, &x);
	if (!e && !x)
		return EXIT_USAGE;
	if (x && !x->import_stream) {
		if (!(text = read_file(a->pos, 64u << 20, &len)))
			return 1;
	} else {
		struct csv_source src = { file_read, file_rewind, NULL };
		if (!(f = fopen(a->pos, "rb"))) {
			fail("cannot read %s: %s", a->pos, strerror(errno));
			return 1;
		}
		src.arg = f;
		reader = csv_reader_source(&src, 0, 0, IMPORT_MAX_COLS);
	}
	if (!(db = open_current(arg(a, "db")))) {
		rc = 1;
		goto out_file;
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
	import_progress_init(&progress);
	if (x && reader)
		base = x->import_stream(&c.cx, reader, import_progress, &progress);
	else if (x)
		base = x->import_run(&c.cx, text, len, import_progress, &progress);
	else
		entity_import_stream(&c.cx, e, reader, 0, import_progress, &progress, &run);
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
	if (db_analyze(db, &err) != 0) /* committed: a failure here loses nothing */
		fprintf(stderr, "varn import: warning: the statistics were not refreshed: %s\n",
			err.msg);
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
out_file:
	csv_reader_free(reader);
	if (f)
		fclose(f);
	free(text);
	return rc;
}
