/* cmd_token.c - varn token create: makes an API token of an account for
 * one organisation, with scopes and a rate limit, and prints nothing but
 * the token (the database keeps only its hash).  Audited in that
 * organisation, so its audit page shows the token. */
#include "base/base.h"

#include "core/scope.h"
#include "cli/cli.h"
#include "cli/ops.h"
#include "core/auth.h"
#include "db/db.h"

const struct opt token_create_opts[] = {
	OPT_DB_REQUIRED,
	{ "email", V_EMAIL, 1, "E", NULL, NULL, 0, 0, "the account" },
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0,
	  "the organisation the token acts in (the account must have a person there)" },
	{ "scope", V_TEXT, 0, "SCOPES", NULL, "*:read", 0, 1000,
	  "what the token may do: MODULE:read or MODULE:write, separated by spaces or "
	  "commas, e.g. \"systems:read incidents:write\"; * is every module; write "
	  "includes read (default *:read)" },
	{ "rate", V_INT, 0, "N", NULL, "120", 1, API_TOKEN_RATE_MAX,
	  "requests per minute the token may make (default 120)" },
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
	const char *email = arg(a, "email"), *tok = NULL, *scopes, *bad;
	struct api_token_spec spec = { 0 };
	int64_t uid;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	if (scope_parse(&c.a, arg(a, "scope"), &scopes, &bad)) {
		fail("--scope: \"%s\" is not MODULE:read or MODULE:write of a module with "
		     "registers, or *", bad);
		goto out;
	}
	if (cli_use_org(&c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		goto out;
	}
	if (!(uid = find_account(&c, email)))
		goto out;
	if (!cli_person_of_user(&c, uid, &err)) {
		fail("the account %s has no person in %s", auth_normalize_email(&c.a, email),
		     c.org.slug);
		goto out;
	}
	spec.label = arg(a, "label");
	spec.days = arg_int(a, "days", API_TOKEN_DAYS_DEFAULT);
	spec.org_id = c.org.id;
	spec.scopes = scopes;
	spec.rate = (int)arg_int(a, "rate", API_TOKEN_RATE_DEFAULT);
	tok = cli_token_create(&c, uid, auth_normalize_email(&c.a, email), &spec, &err);
	if (tok)
		printf("%s\n", tok);
	else
		fail("cannot create the token: %s", err.msg);
out:
	cli_ctx_release(&c);
	db_close(db);
	return tok ? 0 : 1;
}
