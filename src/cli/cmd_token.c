/* cmd_token.c - varn token create: makes an API token for an account and
 * prints nothing but the token (the database keeps only its hash). */
#include "base/base.h"

#include "cli/cli.h"
#include "cli/ops.h"
#include "core/auth.h"
#include "db/db.h"

const struct opt token_create_opts[] = {
	OPT_DB_REQUIRED,
	{ "email", V_EMAIL, 1, "E", NULL, NULL, 0, 0, "the account" },
	{ "days", V_INT, 0, "N", NULL, "90", 1, API_TOKEN_DAYS_MAX,
	  "days until the token expires (default 90, at most 366)" },
	{ "label", V_TEXT, 0, "TEXT", NULL, "varn-cli", 0, 100,
	  "a name for the token, shown on the account page (default varn-cli)" },
	OPT_END,
};

int cmd_token_create(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_current(arg(a, "db"));
	const char *email = arg(a, "email"), *tok = NULL;
	int64_t days = arg_int(a, "days", API_TOKEN_DAYS_DEFAULT), uid;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if ((uid = find_account(&c, email))) {
		tok = cli_token_create(&c, uid, auth_normalize_email(&c.a, email),
				       arg(a, "label"), days, &err);
		if (tok)
			printf("%s\n", tok);
		else
			fail("cannot create the token: %s", err.msg);
	}
	cli_ctx_release(&c);
	db_close(db);
	return tok ? 0 : 1;
}
