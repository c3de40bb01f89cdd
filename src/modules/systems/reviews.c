/* reviews.c - the system register's dates in the follow-up calendar
 * (core/module.h struct review_source): an information set's
 * classification is reviewed by its review day (review_on), the owner
 * being the information owner.  A system has no review day of its own
 * (needs_review is a flag without a date), so it has no source here.
 *
 * Everyone's rows come from information_set_review (org, archived,
 * review_on), a person's from information_set_owner_review (org, archived,
 * owner, review_on): the branch not asked for is cut by its constant
 * condition on $5 before it reads a row. */
#include "base/base.h"

#include "core/i18n.h"
#include "core/module.h"
#include "core/roles.h"
#include "modules/systems/systems.h"

const struct review_source systems_reviews[] = {
	{ M_SYS_REVIEW_CLASSIFICATION, &sys_infosets, 0, "/information/{id}",
	  "SELECT * FROM (SELECT id, name, review_on, owner_id FROM information_set"
	  " WHERE $5 = 0 AND org_id = $1 AND archived = 0 AND review_on >= $2 AND review_on < $3"
	  " ORDER BY review_on, id LIMIT $4) a"
	  " UNION ALL SELECT * FROM (SELECT id, name, review_on, owner_id FROM information_set"
	  " WHERE $5 <> 0 AND org_id = $1 AND archived = 0 AND owner_id = $5"
	  " AND review_on >= $2 AND review_on < $3 ORDER BY review_on, id LIMIT $4) b"
	  " ORDER BY 3, 1 LIMIT $4" },
	{ 0, NULL, 0, NULL, NULL },
};
