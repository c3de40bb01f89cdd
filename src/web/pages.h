/* pages.h - the route tables of the page modules, collected by app.c. */
#ifndef VARN_PAGES_H
#define VARN_PAGES_H

#include "web/router.h"

extern const struct route core_routes[];  /* web/pages_core.c: /, /healthz, static */
extern const struct route auth_routes[];  /* web/pages_auth.c: sign-in, account */
extern const struct route audit_routes[]; /* web/pages_audit.c: the audit trail */
extern const struct route org_routes[];   /* modules/org/org_pages.c: settings */
extern const struct route system_page_routes[]; /* modules/systems/system_pages.c */
extern const struct route classify_routes[];    /* modules/systems/classify.c */
extern const struct route interchange_routes[]; /* modules/systems/interchange.c: KLASSA, XLSX */
extern const struct route search_routes[];      /* web/pages_search.c: full-text search */

/* How an audit action and a register name read (pages_audit.c). */
const char *audit_action_label(struct req *q, const char *code);
const char *audit_entity_label(struct req *q, const char *name);

#endif
