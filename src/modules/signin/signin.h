/* signin.h - the sign-in module: identity sources (identity.h), Active
 * Directory/LDAP (ldap.c) and OpenID Connect (oidc.c), their settings
 * pages and their part of the sign-in page (issue 13). */
#ifndef VARN_SIGNIN_H
#define VARN_SIGNIN_H

#include "core/i18n.h"
#include "core/module.h"
#include "web/router.h"

extern const struct module signin_module;   /* module.c */

/* The kinds (identity.h), declared by their files. */
struct identity_kind;
extern const struct identity_kind ldap_kind; /* ldap.c */
extern const struct identity_kind oidc_kind; /* oidc.c */

/* The sign-in page's part (oidc_pages.c): a button "Logga in med NAME" per
 * enabled source that signs in by redirect, leading to
 * /logga-in/extern/{id} (with next, a local path, or NULL); nothing when
 * there is none. */
struct req;
struct html;
void signin_external_buttons(struct req *q, struct html *h, const char *next);

/* The routes of external sign-in (oidc_pages.c). */
extern const struct route signin_oidc_routes[];

/* A person's page, under their roles (org_pages.c calls it): which roles
 * came from which source (pages.c); nothing when none did. */
struct entity;
struct record;
void signin_person_panel(struct req *q, const struct entity *e, const struct record *rec,
			 struct html *h);

#endif
