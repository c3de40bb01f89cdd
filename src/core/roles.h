/* roles.h - the roles of seed 004 §3 and 001 §1, and role masks.
 *
 * A person holds roles through role_assignment rows, per organisation and
 * optionally per unit.  Routes and entities declare which roles may act with
 * a mask (RB(ROLE_X) | ...).  In the database a role is stored by its code.
 */
#ifndef VARN_ROLES_H
#define VARN_ROLES_H

enum role {
	ROLE_COORDINATOR = 0, /* informationssäkerhetssamordnare */
	ROLE_MANAGEMENT,      /* ledning */
	ROLE_SYSTEM_OWNER,    /* systemägare */
	ROLE_INFO_OWNER,      /* verksamhetsansvarig / informationsägare */
	ROLE_SYSTEM_MANAGER,  /* systemförvaltare */
	ROLE_SYSTEM_ADMIN,    /* systemadministratör */
	ROLE_IT_MANAGER,      /* IT-chef */
	ROLE_DPO,             /* dataskyddsombud */
	ROLE_USER,            /* användare */
	ROLE_ADMIN,           /* administratör (of Värn, for the organisation) */
	ROLE_MUNICIPAL_CHIEF, /* kommunchef: overall responsibility for the IT
				 systems, appoints system owners (R-1-09) */
	ROLE__COUNT
};

#define RB(r) (1u << (r))
#define ROLES_ANY ((1u << ROLE__COUNT) - 1)
/* Who runs the register work of an organisation. */
#define ROLES_REGISTER_ADMIN (RB(ROLE_ADMIN) | RB(ROLE_COORDINATOR))
/* Who reads the audit trail: the coordinator, the administrator and the
 * data protection officer. */
#define ROLES_AUDIT_READ (RB(ROLE_ADMIN) | RB(ROLE_COORDINATOR) | RB(ROLE_DPO))
/* Who appoints system owners (R-1-09): the municipal chief executive, and
 * the coordinator and the administrator as keepers of the register, who
 * record an appointment the chief executive made. */
#define ROLES_APPOINT_OWNER (RB(ROLE_MUNICIPAL_CHIEF) | ROLES_REGISTER_ADMIN)
/* Everyone but the plain employee. */
#define ROLES_STAFF (ROLES_ANY & ~RB(ROLE_USER))
/* Who sees the coordinator's overview (web/pages_overview.c): the
 * coordinator and the administrator, management and the chief executive,
 * the IT manager. */
#define ROLES_OVERVIEW (ROLES_REGISTER_ADMIN | RB(ROLE_MANAGEMENT) | \
			RB(ROLE_MUNICIPAL_CHIEF) | RB(ROLE_IT_MANAGER))

const char *role_code(int role);   /* "samordnare" */
int role_parse(const char *code);  /* -1 if unknown */
int role_label(int role);          /* message id */
/* Bit mask from a comma-separated list of codes; -1 if one is unknown. */
long roles_parse_list(const char *codes);

#endif
