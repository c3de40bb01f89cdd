/* reviews.c - the operational approvals' dates in the follow-up calendar
 * (core/module.h struct review_source): a decided approval is valid until
 * a day (a new decision is due by then; its owner, the system's owner,
 * decides), and a condition of a decided approval that was not made an
 * activity has its deadline (one that was is followed as the activity).
 *
 * Indexes: approval_valid_until and approval_review_owner (0023) for the
 * approvals; approval_condition_review and _review_mine (0023, partial:
 * live and without an activity) for the conditions, each looked up in
 * its approval by key.  The branch not asked for is cut by its constant
 * condition on $5. */
#include "base/base.h"

#include "core/i18n.h"
#include "core/module.h"
#include "modules/approvals/approvals.h"

const struct review_source approvals_reviews[] = {
	{ M_DG_REVIEW_VALID_UNTIL, &dg_approvals, 0, "/operational-approvals/{id}",
	  "SELECT * FROM (SELECT id, title, valid_until, owner_id FROM approval"
	  " WHERE $5 = 0 AND org_id = $1 AND state = 'decided' AND archived = 0"
	  " AND valid_until >= $2 AND valid_until < $3 ORDER BY valid_until, id LIMIT $4) a"
	  " UNION ALL SELECT * FROM (SELECT id, title, valid_until, owner_id FROM approval"
	  " WHERE $5 <> 0 AND org_id = $1 AND owner_id = $5 AND state = 'decided' AND archived = 0"
	  " AND valid_until >= $2 AND valid_until < $3 ORDER BY valid_until, id LIMIT $4) b"
	  " ORDER BY 3, 1 LIMIT $4" },
	{ M_DG_REVIEW_CONDITION, &dg_conditions, 0, "/approval-conditions/{id}",
	  "SELECT * FROM (SELECT c.id, c.title, c.deadline, c.responsible_id"
	  " FROM approval_condition c JOIN approval a ON a.id = c.approval_id"
	  " AND a.state = 'decided' AND a.archived = 0"
	  " WHERE $5 = 0 AND c.org_id = $1 AND c.archived = 0 AND c.activity_id IS NULL"
	  " AND c.deadline >= $2 AND c.deadline < $3 ORDER BY c.deadline, c.id LIMIT $4) x"
	  " UNION ALL SELECT * FROM (SELECT c.id, c.title, c.deadline, c.responsible_id"
	  " FROM approval_condition c JOIN approval a ON a.id = c.approval_id"
	  " AND a.state = 'decided' AND a.archived = 0"
	  " WHERE $5 <> 0 AND c.org_id = $1 AND c.responsible_id = $5 AND c.archived = 0"
	  " AND c.activity_id IS NULL AND c.deadline >= $2 AND c.deadline < $3"
	  " ORDER BY c.deadline, c.id LIMIT $4) y"
	  " ORDER BY 3, 1 LIMIT $4" },
	{ 0, NULL, 0, NULL, NULL },
};
