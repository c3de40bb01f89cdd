/* evaluation.c - the security plan an approval is evaluated against
 * (secplans.h): its state when the approval is proposed, kept with the
 * approval (R-6-04).  The plan that counts is the newest signed version
 * (a draft of a new version does not replace it until it is signed). */
#include "base/base.h"

#include "base/arena.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/approvals/approvals.h"
#include "modules/secplans/secplans.h"

const char *approval_secplan_text(struct ctx *cx, const struct secplan_state *s)
{
	if (!s->id)
		return msg_text(LANG_SV, M_DG_SP_NONE);
	if (!s->signed_id)
		return msg_text(LANG_SV, M_DG_SP_DRAFT);
	if (s->needs_new_version)
		return msg_text(LANG_SV, M_DG_SP_NEEDS_NEW);
	if (s->review_on[0] && strcmp(s->review_on, ctx_today(cx)) < 0)
		return msg_text(LANG_SV, M_DG_SP_REVIEW_OVERDUE);
	return msg_text(LANG_SV, M_DG_SP_SIGNED);
}

int approval_secplan_snapshot(struct ctx *cx, int64_t system_id, struct record *rec,
			      struct db_error *err)
{
	struct secplan_state s;

	if (secplan_current(cx, system_id, &s, err) != 0)
		return -1;
	rec->v[DG_SP_ID] = s.id ? arena_printf(cx->a, "%lld", (long long)(s.signed_id ? s.signed_id :
									     s.id)) : NULL;
	rec->v[DG_SP_VERSION] = s.id ? arena_printf(cx->a, "%d", s.signed_id ? s.signed_version :
							       s.version) : NULL;
	rec->v[DG_SP_STATE] = approval_secplan_text(cx, &s);
	/* signed_on and review_on are the newest version's: the signed one's
	 * when that is the newest */
	rec->v[DG_SP_SIGNED_ON] = s.signed_id && s.signed_id == s.id && s.signed_on[0] ?
				  arena_strdup(cx->a, s.signed_on) : NULL;
	rec->v[DG_SP_REVIEW_ON] = s.signed_id && s.signed_id == s.id && s.review_on[0] ?
				  arena_strdup(cx->a, s.review_on) : NULL;
	return 0;
}
