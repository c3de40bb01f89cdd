/* pages.h - the foundation's route tables, collected by app.c with the
 * modules' (core/module.h). */
#ifndef VARN_PAGES_H
#define VARN_PAGES_H

#include "web/router.h"

extern const struct route core_routes[];  /* web/pages_core.c: /, /healthz, static */
extern const struct route auth_routes[];  /* web/pages_auth.c: sign-in, account */
extern const struct route audit_routes[]; /* web/pages_audit.c: the audit trail */
extern const struct route outbox_routes[];      /* web/pages_outbox.c: the organisation's e-mail */
extern const struct route search_routes[];      /* web/pages_search.c: full-text search */
extern const struct route jobs_routes[];  /* web/pages_jobs.c: scheduled jobs */
extern const struct route overview_routes[]; /* web/pages_overview.c: the coordinator's overview */
extern const struct route report_routes[];   /* web/pages_management_report.c: the management report */

/* The overview's figures (pages_overview.c), shared with the management
 * report: whether the viewer may open path under /o/{org}; a figure's
 * number as a link to its list (in_table: the label for screen readers
 * only); and the words for a number that ought to be 0 and is not. */
struct html;
struct org_ctx;
struct overview_figure;
int overview_may_open(struct req *q, const struct org_ctx *org, const char *path);
void overview_figure_link(struct req *q, struct html *h, const struct org_ctx *org,
			  const struct overview_figure *f, int in_table);
void overview_attention_mark(struct html *h, const struct overview_figure *f, int in_table);

/* How an audit action and a register name read (pages_audit.c). */
/* How the audit trail reads an action: the foundation's words, a module's
 * audit_labels, or the button of the register's transition of that name. */
const char *audit_action_label(struct req *q, const char *code, const char *entity);
const char *audit_entity_label(struct req *q, const char *name);
/* The actor as a person reads it: "kommandoraden (operatör)" for the CLI. */
const char *audit_actor_label(struct req *q, const char *actor);

/* The end of a sign-in through an identity source (modules/signin,
 * pages_auth.c): a fresh session for user_id as a password sign-in makes
 * one - the TOTP step when the account has TOTP, its setup when a role
 * requires it - unless second_factor_done (the source's own sign-in counts
 * as the second factor); "signin" in the trail with method as its summary;
 * then on to next (a local path) or the start page. */
struct auth_external {
	int64_t user_id;
	int64_t org_id;          /* the source's organisation, for the trail */
	const char *actor;       /* the account's e-mail */
	const char *method;      /* the source's name */
	int second_factor_done;
	const char *next;        /* or NULL */
};
void auth_external_signin(struct req *q, struct resp *r, const struct auth_external *x);

#endif
