/* risks.h - risk analysis (issue 12; seed 001 §2, 004 §3, 000 ¶5;
 * R-7-01..R-7-05).
 *
 * The rules:
 *
 *  - Each organisation has one risk model (risk_model, made with its
 *    defaults on first use): consequence 1..4 on the classification's
 *    scale (begränsad, måttlig, allvarlig, mycket allvarlig), likelihood
 *    1..4 (osannolik, möjlig, sannolik, mycket sannolik), a 4x4 matrix
 *    giving each cell a risk level (1 Låg, 2 Medel, 3 Hög, 4 Mycket hög),
 *    and per level who may accept a risk (the risk's owner or an owner of
 *    systems or information; management; the chief executive; nobody) and
 *    for how many months at most.  The consequence categories are a
 *    register of their own (risk-categories), five made on first use.
 *    Changing the matrix writes the stored levels of the organisation's
 *    risks anew in the same transaction (one UPDATE), so a level is
 *    always the model's as it is now; the change is one audit event.
 *
 *  - An analysis (risk-analyses) is of the organisation (its riskbild), a
 *    system, a process, a project, a change or remote work; draft ->
 *    ongoing -> decided (management, the chief executive, the analysis's
 *    risk owner, or the keepers recording their decision: who, when,
 *    the decision) -> revised (ongoing again).  Its next review day is a
 *    review source of the follow-up calendar.
 *
 *  - A risk (risks) is a part of its analysis: cause, event, consequence,
 *    category, the aspects it threatens, the systems and information it
 *    concerns (R-7-01), consequence and likelihood giving the level, the
 *    treatment (reduce, accept, avoid, transfer) with its reason, the
 *    residual consequence and likelihood giving the residual level, the
 *    owner and how management decided it is to be handled (R-7-04).
 *    The levels are computed by validate from the model, never entered.
 *
 *  - "accept" is the conscious risk decision (R-7-05): made only by one
 *    whom the model allows for the risk's level (the residual one when
 *    assessed), or recorded by the keepers naming who decided; always
 *    with the reason; it keeps who, when, why and until when (the
 *    model's longest validity).  A level nobody may accept is refused.
 *    The daily risk-acceptance job marks acceptances past their day as
 *    expired and mails the risk's owner once (the outbox's dedup key).
 *
 *  - A risk's measures become activities of the open action plan in one
 *    step ("Gör till åtgärd"), linked in risk_activity.
 *
 *  - The heat maps read risk_stat (per organisation and analysis, inherent
 *    and residual, consequence x likelihood), kept by migration 0022's
 *    triggers: at most 32 rows a picture whatever the size of the register.
 */
#ifndef VARN_RISKS_H
#define VARN_RISKS_H

#include "base/base.h"
#include "core/entity.h"
#include "core/module.h"
#include "core/roles.h"

struct buf;
struct ctx;
struct db_error;
struct req;
struct html;
struct record;
struct chart;
struct route;

extern const struct module risks_module;  /* module.c */
extern struct entity rk_analyses;         /* risks.c */
extern struct entity rk_risks;
extern struct entity rk_categories;

/* Who keeps the register; who decides; who writes risks (narrowed by the
 * risk's may to their own for owners). */
#define ROLES_RISK_KEEP ROLES_REGISTER_ADMIN
#define ROLES_RISK_DECIDE (RB(ROLE_MANAGEMENT) | RB(ROLE_MUNICIPAL_CHIEF))
#define ROLES_RISK_WRITE \
	(ROLES_RISK_KEEP | ROLES_RISK_DECIDE | RB(ROLE_SYSTEM_OWNER) | RB(ROLE_INFO_OWNER))

enum analysis_field {
	RA_TITLE = 0, RA_KIND, RA_SYSTEM, RA_PURPOSE, RA_PARTICIPANTS, RA_OWNER, RA_METHOD,
	RA_PERFORMED_ON, RA_REVIEW_ON, RA_STATE, RA_DECIDED_BY, RA_DECIDED_ON, RA_DECISION,
	RA__COUNT
};

enum risk_field {
	RK_ANALYSIS = 0, RK_TITLE, RK_CAUSE, RK_EVENT, RK_CONSEQUENCE_TEXT, RK_CATEGORY,
	RK_ASPECT_K, RK_ASPECT_R, RK_ASPECT_T, RK_ASPECT_S, RK_SYSTEM, RK_INFOSET,
	RK_CONSEQUENCE, RK_LIKELIHOOD, RK_LEVEL, RK_TREATMENT, RK_TREATMENT_REASON,
	RK_RES_CONSEQUENCE, RK_RES_LIKELIHOOD, RK_RES_LEVEL, RK_OWNER, RK_STATUS, RK_HANDLING,
	RK_ACCEPTED_BY, RK_ACCEPTED_FOR, RK_ACCEPTED_ON, RK_ACCEPTED_UNTIL, RK_ACCEPT_REASON,
	RK_EXPIRING, RK__COUNT
};

enum category_field { RC_TITLE = 0, RC_DESCRIPTION, RC__COUNT };

#define RISK_OPEN "open"
#define RISK_TREATING "treating"
#define RISK_ACCEPTED "accepted"
/* An acceptance that ends within WAIT_SOON_DAYS is "expiring" (a flag the
 * writes and the daily job keep, so that a list can filter on it). */
int risk_expiring(struct ctx *cx, const char *status, const char *until);
#define RISK_EXPIRED "expired"
#define RISK_CLOSED "closed"

/* Who may accept a level (risk_model.accept_N). */
#define TIER_OWNER "owner"
#define TIER_MANAGEMENT "management"
#define TIER_CHIEF "chief"
#define TIER_NONE "none"

struct risk_model {
	char matrix[17];        /* row consequence 1..4, column likelihood 1..4 */
	char accept[4][12];     /* per level 1..4: a TIER_ */
	int months[4];
	int64_t version;
};
/* The organisation's model, made with the defaults when it has none (in
 * the caller's transaction, if any).  0, or -1 with err. */
int risk_model_get(struct ctx *cx, struct risk_model *m, struct db_error *err);
/* The level 1..4 of consequence c and likelihood l (codes "1".."4"), or
 * NULL when either is missing. */
const char *risk_level_of(const struct risk_model *m, const char *c, const char *l);
/* Saves the model and writes the risks' levels anew, with an audit event,
 * in one transaction.  0, or -1 with err. */
int risk_model_save(struct ctx *cx, const struct risk_model *m, struct db_error *err);
/* The five default categories when the organisation has none. */
int risk_categories_ensure(struct ctx *cx, struct db_error *err);
/* A level's colour (chart_level_colour) and message. */
int risk_level_msg(int level);

/* The heat map of the live risks of analysis (0: the organisation),
 * inherent (residual 0) or residual, from risk_stat. */
struct chart *risk_heat(struct ctx *cx, const struct risk_model *m, int64_t analysis,
			int residual, const char *id, struct db_error *err);
/* Counts from risk_stat: risks in each level (index 1..4), inherent or
 * residual, of analysis (0: the organisation). */
int risk_level_counts(struct ctx *cx, const struct risk_model *m, int64_t analysis,
		      int residual, int64_t counts[5], struct db_error *err);

/* Imports the threats of the system's current security plan into the
 * analysis as risks (once each).  How many were added, or -1 with err. */
int risk_import_threats(struct ctx *cx, int64_t analysis_id, struct db_error *err);
/* Makes an activity of the open plan from the risk and links it; the
 * activity's id, 0 when there is no open plan, -1 with err. */
int64_t risk_make_activity(struct ctx *cx, int64_t risk_id, const char *title,
			   const char *end_on, struct db_error *err);

/* pages.c */
void analysis_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h);
void risks_system_panel(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h);
void risk_show_summary(struct req *q, const struct entity *e, const struct record *rec,
		       struct html *h);
void risk_show_extra(struct req *q, const struct entity *e, const struct record *rec,
		     struct html *h);
/* jobs.c */
int risk_expiry_run(struct ctx *cx, int64_t period_start, struct buf *summary,
		    struct db_error *err);
extern const struct document risk_documents[];
extern const struct follow_up_section risk_follow_up[];
extern const struct report_section risk_report[];
int risks_demo(struct ctx *cx, struct buf *summary, struct db_error *err);
struct demo_scale; /* core/scale.h: the analyses at scale (demo_scale.c) */
int risks_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
		     struct db_error *err);

#endif
