/* registry.c - every register Värn serves.  A new register is its module's
 * struct entity, a migration for its table, and one line here. */
#include "base/base.h"

#include "core/entity.h"
#include "modules/org/org.h"
#include "modules/systems/systems.h"

const struct entity *const entities[] = {
	&org_units,
	&org_people,
	&org_roles,
	&sys_systems,
	&sys_infosets,
	&sys_classifications,
	&sys_handles,
	&sys_people,
	&sys_dependencies,
	&sys_scales,
	NULL,
};
