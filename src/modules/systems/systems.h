/* systems.h - the system register (seed 004 §3 "systemförteckning") and
 * information classification (seed 001 §5, SKR's KLASSA), with each
 * system's protection level derived from the information it handles.
 *
 * Registers (struct entity, declared in systems.c):
 *   sys_systems          it_system: the IT systems
 *   sys_infosets         information_set: information sets/types
 *   sys_classifications  classification: one decision on an information set
 *   sys_handles          system_information: which system handles what
 *   sys_people           system_person: business owners, managers, admins
 *   sys_dependencies     system_dependency: integrations and what flows
 *   sys_scales           classification_scale: the organisation's scale
 *
 * The derivation rule (derive.c): a system's level per aspect (K, R, T, S)
 * is the highest current level among the live information sets it handles,
 * raised by the owner's raise_x when that is higher - never lower.  A
 * system is business-critical when R or T is 3 or more.  Level 4 lies
 * outside the baseline (säkerhetsskydd) and is escalated, not derived into
 * measures.  Every write that can change a level re-derives the affected
 * systems in the same transaction, with audit events, and marks systems
 * whose level changed for review.
 */
#ifndef VARN_SYSTEMS_H
#define VARN_SYSTEMS_H

#include "core/entity.h"

struct buf;
struct db_error;
struct html;
struct module;

extern const struct module systems_module;       /* module.c */

/* The event (core/module.h module_emit) told, with the system's id, inside
 * the transaction of every write that may have changed a system's levels,
 * its unit or its archived flag: other modules keep what follows from them
 * (the measures a system needs). */
#define SYSTEM_CHANGED "system-changed"
/* The demo municipalities' register (demo.c), for cx->org. */
int systems_demo(struct ctx *cx, struct buf *summary, struct db_error *err);
/* The register at scale (demo_scale.c, core/scale.h). */
struct demo_scale;
int systems_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
		       struct db_error *err);

extern struct entity sys_systems;
/* sys_systems' transitions: [0] "reviewed" */
extern const struct entity_transition sys_transitions[];
extern struct entity sys_infosets;
extern struct entity sys_classifications;
extern struct entity sys_handles;
extern struct entity sys_people;
extern struct entity sys_dependencies;
extern struct entity sys_scales;

enum aspect { ASPECT_K, ASPECT_R, ASPECT_T, ASPECT_S, ASPECT__COUNT };
extern const char aspect_letter[ASPECT__COUNT];   /* 'K', 'R', 'T', 'S' */
extern const int aspect_label[ASPECT__COUNT];     /* messages */
#define LEVEL_MAX 4          /* KLASSA: 0 försumbar .. 4 synnerligen allvarlig */
#define LEVEL_OUTSIDE_BASELINE 4
#define LEVEL_BUSINESS_CRITICAL 3

/* Field indexes (the order of the declarations: the form and the record's
 * page show them in this order, in their groups). */
enum {
	SYS_NAME, SYS_DESCRIPTION, SYS_PURPOSE, SYS_UNIT,
	/* ansvar */
	SYS_OWNER, SYS_OWNER_APPOINTED_BY, SYS_OWNER_APPOINTED_ON, SYS_BUSINESS_OWNER,
	/* leverantör och avtal */
	SYS_SUPPLIER, SYS_AGREEMENT, SYS_AGREEMENT_SECURITY, SYS_AGREEMENT_EXPIRES,
	SYS_OPS_AGREEMENT, SYS_DPA, SYS_DPA_DATE,
	/* drift */
	SYS_HOSTING, SYS_HOSTING_COUNTRY, SYS_USERS, SYS_TEST_ENV, SYS_PATCH_STATUS,
	SYS_PATCH_CHECKED_ON, SYS_PATCH_CHECKED_BY, SYS_LAST_UPDATE, SYS_BACKUP_BY,
	SYS_BACKUP_HOW, SYS_REMOTE, SYS_EXT_AUTH, SYS_DOC_SYSTEM, SYS_DOC_OPERATIONS,
	SYS_KEY_PERSON,
	/* personuppgifter */
	SYS_PERSONAL_DATA, SYS_GDPR_REF, SYS_THIRD_COUNTRY, SYS_THIRD_COUNTRY_DETAIL,
	/* livscykel */
	SYS_LIFECYCLE, SYS_CRITICAL_SOCIETY, SYS_SUPPORT_ENDS,
	/* skyddsnivå */
	SYS_RAISE_K, SYS_RAISE_R, SYS_RAISE_T, SYS_RAISE_S, SYS_RAISE_REASON,
	SYS_LEVEL_K, SYS_LEVEL_R, SYS_LEVEL_T, SYS_LEVEL_S, SYS_LEVEL_MAX,
	SYS_BUSINESS_CRITICAL, SYS_NEEDS_REVIEW, SYS_ROLES_MISSING, SYS_PLAN_MISSING,
};
enum {
	INF_NAME, INF_TYPE, INF_DESCRIPTION, INF_OWNER, INF_UNIT, INF_SOURCES,
	INF_ENTRY_HOW, INF_STORAGE, INF_OUTPUTS, INF_FORM_DIGITAL, INF_FORM_PAPER,
	INF_FORM_SPOKEN, INF_PERSONAL, INF_SENSITIVE, INF_SECRECY, INF_SECRECY_REF,
	INF_SECRECY_BY, INF_SECRECY_ON, INF_PROTECTED, INF_PATIENT,
	INF_SECURITY_PROTECTION, INF_LEGAL_BASIS, INF_SPECIAL_LAWS, INF_PUBLIC_ACCESS,
	INF_RETENTION, INF_INFO_PLAN_REF,
	INF_LEVEL_K, INF_LEVEL_R, INF_LEVEL_T, INF_LEVEL_S, INF_CLASSIFIED_ON,
	INF_REVIEW_ON,
};
enum {
	CLS_INFOSET, CLS_LEVEL_K, CLS_LEVEL_R, CLS_LEVEL_T, CLS_LEVEL_S,
	CLS_REASON_K, CLS_REASON_R, CLS_REASON_T, CLS_REASON_S, CLS_PARTICIPANTS,
	CLS_DECISION, CLS_DECIDED_ON, CLS_REVIEW_ON, CLS_ANSWERS, CLS_SCALE,
};
enum { HND_SYSTEM, HND_INFOSET, HND_NOTE };
enum { SPR_SYSTEM, SPR_PERSON, SPR_ROLE, SPR_APPOINTED_BY, SPR_APPOINTED_ON };
enum { DEP_SYSTEM, DEP_OTHER, DEP_DIRECTION, DEP_FLOWS };
enum { SCL_NAME, SCL_LEVELS, SCL_CURRENT };

/* The organisation's lowest confidentiality level for information with
 * sensitive personal data or secrecy without a motivation (organisation.
 * min_k_sensitive, 2 unless the organisation set another). */
int systems_min_k_sensitive(struct ctx *cx);

/* derive.c */
#define LEVEL_NONE (-1)      /* an aspect without a level: not classified */
struct derivation {
	int level[ASPECT__COUNT];        /* the system's derived level, or LEVEL_NONE */
	int info_max[ASPECT__COUNT];     /* highest level of its information, or LEVEL_NONE */
	int64_t info_from[ASPECT__COUNT];/* an information set that gives it, or 0 */
	int raised[ASPECT__COUNT];       /* 1 when the owner's raise decides */
	int business_critical;           /* R or T >= 3, of the levels there are */
	int level_max;                   /* highest over the aspects, or LEVEL_NONE */
	int infosets_total;              /* live sets it handles */
	int infosets_unclassified;       /* of them, those lacking a level */
};
/* Computes (does not store) a system's levels. */
int systems_compute(struct ctx *cx, int64_t system_id, struct derivation *d,
		    struct db_error *err);
/* Re-derives and stores one system's levels, with an audit event when they
 * change.  Inside the caller's transaction. */
int systems_derive(struct ctx *cx, int64_t system_id, struct db_error *err);
/* The same, naming the information set whose change caused it (0: none)
 * for the "level changed" banner - its classification, or (link) its link
 * to the system; `creating`: the system is new, so its first levels are
 * nothing to review. */
int systems_derive_from(struct ctx *cx, int64_t system_id, int64_t cause, int link,
			int creating, struct db_error *err);
/* Every system that handles the information set. */
int systems_derive_for_infoset(struct ctx *cx, int64_t infoset_id, struct db_error *err);
/* Sets an information set's current levels from its latest live
 * classification (or none), then re-derives its systems. */
int infoset_refresh(struct ctx *cx, int64_t infoset_id, struct db_error *err);

/* classify.c */
/* Who classifies (the guided page's route table needs it as a constant).
 * Same text as systems.c's: a different redefinition would not compile. */
#define ROLES_CLASSIFY (ROLES_REGISTER_ADMIN | RB(ROLE_INFO_OWNER) | RB(ROLE_SYSTEM_OWNER))
/* The information set's page: current classification, history, legal
 * flags, the systems handling it (sys_infosets.show_extra). */
void infoset_show_extra(struct req *q, const struct entity *e, const struct record *rec,
			struct html *h);
/* A scale's levels_json: {"name":..,"levels":[{"level":0,"name":..,
 * "criteria":..},..]}, levels 0,1,2.. (2-5: classifications store 0-4),
 * names 1-60 characters. */
void scale_validate(struct ctx *cx, const struct entity *e, struct record *rec,
		    const struct record *old, struct field_errors *errs);
/* A scale saved as current makes the organisation's others not current. */
int scale_after_write(struct ctx *cx, const struct entity *e, const struct record *rec,
		      const struct record *old, struct db_error *err);

/* The default scale (KLASSA 0-4) as JSON, for organisations that have none. */
extern const char klassa_default_scale[];
/* The scale in force in the request's organisation (JSON text). */
const char *scale_current(struct ctx *cx);

/* system_pages.c */
/* Who keeps the register (the route table of system_pages.c needs it as a
 * constant).  Same text as in systems.c: a different redefinition would not
 * compile, so the two cannot drift apart; keep this one when systems.c's
 * copy is removed. */
#define ROLES_SYSTEMS_WRITE (ROLES_REGISTER_ADMIN | RB(ROLE_SYSTEM_OWNER) | \
			     RB(ROLE_IT_MANAGER) | RB(ROLE_SYSTEM_MANAGER) | \
			     RB(ROLE_MUNICIPAL_CHIEF))
/* The system's page: the profile and where each level comes from above the
 * fields (show_summary); information, people, dependencies below them. */
void system_show_summary(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h);
void system_show_extra(struct req *q, const struct entity *e, const struct record *rec,
		       struct html *h);

#endif
