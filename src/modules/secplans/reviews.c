/* reviews.c - the security plans' review days in the follow-up calendar
 * (core/module.h struct review_source): the newest version, signed, is
 * reviewed by review_on; its owner is the system's owner.
 *
 * Everyone's rows come from security_plan_review (org, latest, archived,
 * state, review_on, id); a person's start from their systems
 * (it_system_owner: "+s.org_id" keeps the organisation-wide indexes out
 * of the choice) and look each one's plan up by
 * security_plan_review_system (migration 0023).  The branch not asked for
 * is cut by its constant condition on $5. */
#include "base/base.h"

#include "core/i18n.h"
#include "core/module.h"
#include "modules/secplans/secplans.h"

const struct review_source secplans_reviews[] = {
	{ M_SSP_REVIEW_SOURCE, &sp_plans, 0, "/security-plans/{id}",
	  "SELECT * FROM (SELECT p.id, p.title, p.review_on, s.owner_id FROM security_plan p"
	  " JOIN it_system s ON s.id = p.system_id"
	  " WHERE $5 = 0 AND p.org_id = $1 AND p.latest = 1 AND p.archived = 0"
	  " AND p.state = 'signed' AND p.review_on >= $2 AND p.review_on < $3"
	  " ORDER BY p.review_on, p.id LIMIT $4) a"
	  " UNION ALL SELECT * FROM (SELECT p.id, p.title, p.review_on, s.owner_id"
	  " FROM it_system s CROSS JOIN security_plan p"
	  " WHERE $5 <> 0 AND s.owner_id = $5 AND +s.org_id = $1 AND p.system_id = s.id"
	  " AND p.latest = 1 AND p.archived = 0 AND p.state = 'signed'"
	  " AND p.review_on >= $2 AND p.review_on < $3 ORDER BY p.review_on, p.id LIMIT $4) b"
	  " ORDER BY 3, 1 LIMIT $4" },
	{ 0, NULL, 0, NULL, NULL },
};
