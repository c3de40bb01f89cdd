/* cmd_audit.c - varn audit verify: recomputes the audit trail's hash chain;
 * exit 0 with the report on stdout when it is intact, 1 with the report
 * on stderr naming the first altered, removed or inserted event.  With
 * --expect SEQ:HASH the chain must also contain a head kept elsewhere (as
 * `varn audit head` printed it, or the daily job mailed or wrote it).
 * varn audit head: prints the head, or appends it to a file. */
#include "base/base.h"

#include "base/clock.h"
#include "cli/cli.h"
#include "core/audit.h"
#include "db/db.h"

/* Prints audit_verify()'s report to stdout when the chain is intact and to
 * stderr when it is not.  Returns 0 intact, 1 broken or unreadable. */
static int verify_chain(struct db *db, const char *expect)
{
	struct db_error err;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int64_t bad;

	if (!f)
		return fail("out of memory");
	bad = audit_verify_expect(db, f, expect, &err);
	fclose(f);
	if (bad < 0) {
		if (err.code == DBE_CHECK)
			fputs(text, stderr);
		free(text);
		if (err.code == DBE_CHECK)
			return fail("%s", err.msg);
		return fail("cannot read the audit trail: %s", err.msg);
	}
	fputs(text, bad ? stderr : stdout);
	free(text);
	if (bad)
		return fail("the audit trail is broken at event %lld", (long long)bad);
	return 0;
}

const struct opt audit_verify_opts[] = {
	OPT_DB_REQUIRED,
	{ "expect", V_TEXT, 0, "SEQ:HASH", NULL, NULL, 0, 200,
	  "a head kept outside the database (from `varn audit head`, the daily"
	  " mail or --audit-head-file) that the chain must contain" },
	OPT_END,
};

int cmd_audit_verify(const struct args *a)
{
	struct db *db = open_current(arg(a, "db"));
	int rc;

	if (!db)
		return 1;
	rc = verify_chain(db, arg(a, "expect"));
	db_close(db);
	return rc;
}

const struct opt audit_head_opts[] = {
	OPT_DB_REQUIRED,
	{ "append", V_PATH, 0, "FILE", NULL, NULL, 0, 0,
	  "append \"TIME SEQ:HASH\" to FILE instead of printing SEQ:HASH" },
	OPT_END,
};

int cmd_audit_head(const struct args *a)
{
	struct arena ar = ARENA_INIT;
	struct db_error err;
	struct db *db = open_current(arg(a, "db"));
	const char *hash, *file = arg(a, "append");
	int64_t seq;
	int rc = 0;

	if (!db)
		return 1;
	if (audit_head(db, &ar, &seq, &hash, &err)) {
		rc = fail("cannot read the audit trail's head: %s", err.msg);
	} else if (!file) {
		printf("%lld:%s\n", (long long)seq, hash);
	} else {
		FILE *f = fopen(file, "a");

		if (!f || fprintf(f, "%s %lld:%s\n", clock_format_iso(&ar, clock_now()),
				  (long long)seq, hash) < 0 || fclose(f) != 0)
			rc = fail("cannot append to %s", file);
	}
	arena_release(&ar);
	db_close(db);
	return rc;
}
