/* module.c - the reports brought to management as a module (core/module.h;
 * the rules in mgmtreport.h).  The report's sections are every module's
 * (struct report_section, core/report.h); this module keeps the record of
 * each report presented, its decision items, and the document. */
#include "base/base.h"

#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/mgmtreport/mgmtreport.h"

static const struct entity *const entities[] = { &mr_reports, &mr_items, NULL };

static const struct menu_item menu[] = {
	{ M_MR_MENU, "/management-reports", ROLES_OVERVIEW, 36 },
	{ 0, NULL, 0, 0 },
};

/* management's decisions waiting: the live open items, exactly those the
 * list ?state=open shows; bounded, by report_decision_item_state */
static const struct waiting_item waiting[] = {
	{ RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF), M_MR_WAIT_ITEMS,
	  "/report-decision-items?state=open",
	  "SELECT id FROM report_decision_item"
	  " WHERE org_id = $1 AND state = 'open' AND archived = 0 LIMIT $4", WAIT_ORG,
	  M_MR_WAIT_ITEMS_ONE },
	{ 0, 0, NULL, NULL, 0, 0 },
};

static const struct audit_label audit_labels[] = {
	{ "present", M_MR_T_PRESENT },
	{ NULL, 0 },
};

static const char *const tables[] = { "management_report", "report_decision_item", NULL };

const struct module mgmtreport_module = {
	.name = "mgmtreport",
	.entities = entities,
	.menu = menu,
	.waiting = waiting,
	.audit_labels = audit_labels,
	.tables = tables,
	.demo = mgmtreport_demo,
	.documents = mgmtreport_documents,
};
