/* module.c - the sign-in module (core/module.h): the identity sources'
 * tables and pages, and the kinds of source there are. */
#include "base/base.h"

#include "core/module.h"
#include "modules/signin/identity.h"
#include "modules/signin/signin.h"
#include "web/router.h"

/* Every kind of identity source; a new protocol is a file that declares
 * its struct identity_kind, and one line here. */
const struct identity_kind *const identity_kinds[] = {
	&ldap_kind,
	&oidc_kind,
	NULL,
};

static const struct audit_label audit_labels[] = {
	{ "identity_sync", M_IDENTITY_A_SYNC },
	{ "map_group", M_IDENTITY_A_MAP },
	{ "unmap_group", M_IDENTITY_A_UNMAP },
	{ NULL, 0 },
};

extern const struct route signin_routes[]; /* pages.c: the settings pages */
static const struct route *const routes[] = { signin_routes, signin_oidc_routes, NULL };

static const char *const tables[] = { "identity_source", "identity_group_role",
				      "external_identity", "oidc_pending", NULL };

const struct module signin_module = {
	.name = "signin",
	.routes = routes,
	.audit_labels = audit_labels,
	.tables = tables,
};
