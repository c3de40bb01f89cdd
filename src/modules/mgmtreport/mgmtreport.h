/* mgmtreport.h - the reports brought to management (issue 12; seed 000
 * ¶7, 001 §3, §8; R-15-08..R-15-12): a register of the reports presented
 * at management's review (ledningens genomgång) with their summary and
 * current-state texts, and the decision items management decides.
 *
 * Rules:
 *   - a report covers a period (its first and last day) and moves
 *     draft -> presented -> decided; its page links to the management
 *     report of that period (web/pages_management_report.c) and its PDF
 *     (the document "management-report" with ?id=) carries its summary,
 *     texts and decision items;
 *   - a decision item (a part of the report) asks management a question
 *     with a proposed decision and the risk or consequence; management
 *     (ROLE_MANAGEMENT, the municipal chief) records the decision, or the
 *     coordinator records it on management's behalf, naming who decided;
 *     a decided item is frozen. */
#ifndef VARN_MGMTREPORT_H
#define VARN_MGMTREPORT_H

#include "base/base.h"
#include "core/entity.h"
#include "core/module.h"

enum mr_field {
	MR_TITLE = 0, MR_PERIOD_FROM, MR_PERIOD_TO, MR_MEETING_ON, MR_STATE, MR_SUMMARY,
	MR_THREATS, MR_LEGAL, MR_DIGITALISATION, MR_PRESENTED_ON, MR_DECIDED_ON, MR__COUNT
};
enum di_field {
	DI_REPORT = 0, DI_TITLE, DI_PROPOSAL, DI_RISK, DI_STATE, DI_DECISION, DI_DECIDED_BY,
	DI_DECIDED_ON, DI_RECORDED_BY, DI__COUNT
};

/* Who decides the items (and may present and decide a report). */
#define ROLES_MR_DECIDE (RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF) | RB(ROLE_COORDINATOR))

extern struct entity mr_reports;
extern struct entity mr_items;
extern const struct document mgmtreport_documents[];
extern const struct module mgmtreport_module;

struct buf;
struct ctx;
struct db_error;
int mgmtreport_demo(struct ctx *cx, struct buf *summary, struct db_error *err);

#endif
