/* registry.c - every module of Värn, in menu and start-page order.  A new
 * module is its folder, its migrations, one line here and one subdir() in
 * meson.build (core/module.h). */
#include "base/base.h"

#include "core/module.h"
#include "modules/actions/actions.h"
#include "modules/approvals/approvals.h"
#include "modules/incidents/incidents.h"
#include "modules/followup/followup.h"
#include "modules/org/org.h"
#include "modules/measures/measures.h"
#include "modules/risks/risks.h"
#include "modules/mgmtreport/mgmtreport.h"
#include "modules/secplans/secplans.h"
#include "modules/signin/signin.h"
#include "modules/systems/systems.h"

const struct module *const modules[] = {
	&org_module,
	&systems_module,
	&measures_module,
	&actions_module,
	&secplans_module,
	&approvals_module,
	&incidents_module,
	&risks_module,
	&followup_module,
	&mgmtreport_module,
	&signin_module,
	NULL,
};
