/* cmd_org.c - varn org add: adds an organisation (a municipality, a joint
 * IT organisation, ...), with its audit event. */
#include "base/base.h"

#include "cli/cli.h"
#include "cli/ops.h"
#include "db/db.h"

const struct opt org_add_opts[] = {
	OPT_DB_REQUIRED,
	{ "slug", V_SLUG, 1, "SLUG", NULL, NULL, 0, 0,
	  "short name in addresses: 2-40 of a-z, 0-9 and '-'" },
	{ "name", V_TEXT, 1, "NAME", NULL, NULL, 0, 200, "full name, e.g. \"Exempelstads kommun\"" },
	{ "kind", V_ORGKIND, 1, "KIND", NULL, NULL, 0, 0,
	  "kommun, kommunalforbund, bolag, raddningstjanst or it_organisation" },
	OPT_END,
};

int cmd_org_add(const struct args *a)
{
	struct db_error err;
	struct cli_ctx c;
	struct db *db = open_current(arg(a, "db"));
	int64_t id;

	if (!db)
		return 1;
	cli_ctx_init(&c, db);
	id = cli_org_create(&c, arg(a, "slug"), arg(a, "name"), arg(a, "kind"), &err);
	if (id)
		printf("Created organisation %s (%s), id %lld.\n", arg(a, "name"),
		       arg(a, "slug"), (long long)id);
	else
		fail("%s", err.msg);
	cli_ctx_release(&c);
	db_close(db);
	return id ? 0 : 1;
}
