/* module.c - the system security plan as a module (core/module.h; the
 * rules in secplans.h). */
#include "base/base.h"

#include "core/module.h"
#include "modules/secplans/secplans.h"

const struct module secplans_module = {
	.name = "secplans",
};
