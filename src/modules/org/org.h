/* org.h - the organisation register (seed 001 §1, seed 004 §3): units in a
 * tree, people, and role assignments.  Organisations themselves are the
 * tenants: created with `varn org add`, edited on the settings page. */
#ifndef VARN_ORG_H
#define VARN_ORG_H

#include "core/entity.h"

struct module;

extern const struct module org_module;      /* module.c */

extern struct entity org_units;
extern struct entity org_people;
extern struct entity org_roles;
/* The bodies of the security work: the information-security function,
 * the management group, the IT preparation group (org_body), and their
 * members (org_body_member). */
extern struct entity org_bodies;
extern struct entity org_body_members;

/* The demo's bodies for cx->org (module.h demo). */
struct buf;
struct db_error;
int org_demo(struct ctx *cx, struct buf *summary, struct db_error *err);
/* The units, people and roles at scale (demo_scale.c, core/scale.h). */
struct demo_scale;
int org_demo_scale(struct ctx *cx, const struct demo_scale *s, struct buf *summary,
		   struct db_error *err);

/* Organisation kinds (organisation.kind). */
extern const struct choice org_kinds[];

/* The roles and account sections of a person's page (org_pages.c). */
struct html;
void org_person_extra(struct req *q, const struct entity *e,
		      const struct record *rec, struct html *h);

/* A unit's page: the related lists the modules declare (org_pages.c). */
void org_unit_extra(struct req *q, const struct entity *e,
		    const struct record *rec, struct html *h);

/* A body's page: what the function record says about reporting and
 * working time, and its members (org_pages.c). */
void org_body_summary(struct req *q, const struct entity *e,
		      const struct record *rec, struct html *h);
void org_body_extra(struct req *q, const struct entity *e,
		    const struct record *rec, struct html *h);

/* Field indexes the rules and pages use. */
enum { UNIT_NAME, UNIT_KIND, UNIT_PARENT, UNIT_CODE, UNIT_DESCRIPTION };
enum { PERSON_NAME, PERSON_EMAIL, PERSON_PHONE, PERSON_TITLE, PERSON_UNIT,
       PERSON_EMPLOYMENT, PERSON_PROTECTED };
enum { ROLEA_PERSON, ROLEA_ROLE, ROLEA_UNIT, ROLEA_NOTE };
enum { BODY_NAME, BODY_KIND, BODY_UNIT, BODY_CHAIR, BODY_REPORTS_TO_TOP, BODY_TIME_SHARE,
       BODY_ADVISORY, BODY_PARTNERS, BODY_DESCRIPTION };
enum { MEMBER_BODY, MEMBER_PERSON, MEMBER_TASK };
/* A function that gives its assignment at most this share of its time
 * (percent) spends less than a majority on it (R-1-03). */
#define BODY_MAJORITY 50

#endif
