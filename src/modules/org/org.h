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

/* Organisation kinds (organisation.kind). */
extern const struct choice org_kinds[];

/* The roles and account sections of a person's page (org_pages.c). */
struct html;
void org_person_extra(struct req *q, const struct entity *e,
		      const struct record *rec, struct html *h);

/* Field indexes the rules and pages use. */
enum { UNIT_NAME, UNIT_KIND, UNIT_PARENT, UNIT_CODE, UNIT_DESCRIPTION };
enum { PERSON_NAME, PERSON_EMAIL, PERSON_PHONE, PERSON_TITLE, PERSON_UNIT,
       PERSON_EMPLOYMENT, PERSON_PROTECTED };
enum { ROLEA_PERSON, ROLEA_ROLE, ROLEA_UNIT, ROLEA_NOTE };

#endif
