/* module.c - the system security plan as a module (core/module.h; the
 * rules in secplans.h). */
#include "base/base.h"

#include "core/module.h"
#include "modules/secplans/secplans.h"

static const char *const tables[] = { "security_plan", NULL };
/* Kept by triggers from it_system and security_plan (migration 0014). */
static const char *const derived_tables[] = { "secplan_need", NULL };

const struct module secplans_module = {
	.name = "secplans",
	.tables = tables,
	.derived_tables = derived_tables,
};
