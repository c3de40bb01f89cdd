/* cmd_reset_link.c - varn reset-link: makes a one-time password-reset link
 * for an account (valid 24 hours) and prints it; Värn never sends one. */
#include "base/base.h"

#include "cli/cli.h"
#include "cli/ops.h"
#include "core/auth.h"
#include "db/db.h"

/* The path of the page behind a reset link (web/pages_auth.c). */
#define RESET_PATH "/aterstall/"
#define DEFAULT_BASE_URL "http://127.0.0.1:8080"

const struct opt reset_link_opts[] = {
	OPT_DB_REQUIRED,
	{ "email", V_EMAIL, 1, "E", NULL, NULL, 0, 0, "the account" },
	{ "org", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0,
	  "the organisation the link is made for (the account must have a person "
	  "there); its audit page shows the link" },
	{ "base-url", V_HTTPURL, 0, "URL", "VARN_BASE_URL", DEFAULT_BASE_URL, 0, 0,
	  "the address users reach Värn at (default: $VARN_BASE_URL, else "
	  DEFAULT_BASE_URL ")" },
	OPT_END,
};

int cmd_reset_link(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_current(arg(a, "db"));
	const char *email = arg(a, "email"), *base = arg(a, "base-url"), *tok = NULL;
	size_t blen = strlen(base);
	int64_t uid;

	if (!db)
		return 1;
	if (blen && base[blen - 1] == '/')
		blen--;
	cli_ctx_init(&c, db);
	if (cli_use_org(&c, arg(a, "org"), &err)) {
		fail("%s", err.msg);
		uid = 0;
	} else if ((uid = find_account(&c, email)) && !cli_person_of_user(&c, uid, &err)) {
		fail("the account %s has no person in %s", auth_normalize_email(&c.a, email),
		     c.org.slug);
		uid = 0;
	}
	if (uid) {
		tok = cli_reset_token_create(&c, uid, auth_normalize_email(&c.a, email),
					     c.org.id, &err);
		if (tok) {
			printf("%.*s%s%s\n", (int)blen, base, RESET_PATH, tok);
			fprintf(stderr, "varn: the link works once within 24 hours; hand it "
				"over only to someone whose identity you have checked\n");
		} else {
			fail("cannot create the link: %s", err.msg);
		}
	}
	cli_ctx_release(&c);
	db_close(db);
	return tok ? 0 : 1;
}
