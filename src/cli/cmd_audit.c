/* cmd_audit.c - varn audit verify: recomputes the audit trail's hash chain;
 * exit 0 with the report on stdout when it is intact, 1 with the report
 * on stderr naming the first altered, removed or inserted event. */
#include "base/base.h"

#include "cli/cli.h"
#include "core/audit.h"
#include "db/db.h"

/* Prints audit_verify()'s report to stdout when the chain is intact and to
 * stderr when it is not.  Returns 0 intact, 1 broken or unreadable. */
static int verify_chain(struct db *db)
{
	struct db_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int64_t bad;

	if (!f)
		return fail("out of memory");
	bad = audit_verify(db, f, &err);
	fclose(f);
	if (bad < 0) {
		free(text);
		return fail("cannot read the audit trail: %s", err.msg);
	}
	fputs(text, bad ? stderr : stdout);
	free(text);
	if (bad)
		return fail("the audit trail is broken at event %lld", (long long)bad);
	return 0;
}

int cmd_audit_verify(const struct args *a)
{
	struct db *db = open_current(arg(a, "db"));
	int rc;

	if (!db)
		return 1;
	rc = verify_chain(db);
	db_close(db);
	return rc;
}
