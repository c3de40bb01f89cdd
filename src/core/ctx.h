/* ctx.h - who acts, where and when: the context domain code runs in.
 *
 * The engine, the modules' rules, imports, documents and scheduled jobs take
 * a struct ctx, never an HTTP request.  A request carries one (req->cx,
 * filled by the pipeline once it knows the session and the organisation);
 * the command line and a scheduled job make one for themselves (ctx_system).
 *
 * Ownership: a ctx points at memory it does not own.  The arena and the
 * database connection belong to whoever made the ctx (the request, the CLI
 * command, the job run); org and actor live in that arena or in the maker's
 * own variables, and die with it.
 */
#ifndef VARN_CTX_H
#define VARN_CTX_H

#include "base/base.h"

struct db;

/* A role held for one unit only (role_assignment.unit_id set). */
struct unit_role {
	int role;          /* enum role */
	int64_t unit_id;
};

/* An organisation as the actor sees it: which it is and the actor's roles
 * there.  Loaded per request from the session's person records. */
struct org_ctx {
	int64_t id;
	const char *slug;
	const char *name;
	const char *kind;
	unsigned roles;        /* roles held anywhere here, for the whole
				  organisation or a unit (RB mask): what the
				  routes and the menu ask */
	unsigned org_roles;    /* roles held for the whole organisation */
	const struct unit_role *unit_roles; /* roles held for one unit only,
				  repeated for each unit below it */
	size_t n_unit_roles;
	int64_t person_id;     /* the actor's person record here, or 0 */
	unsigned totp_roles;   /* roles that must use TOTP here */
};

enum ctx_via { VIA_WEB = 0, VIA_API, VIA_CLI, VIA_JOB };

struct ctx {
	struct arena *a;       /* everything the work allocates */
	struct db *db;         /* one connection, used by one thread */
	const struct org_ctx *org; /* the organisation acted in, or NULL */
	int64_t user_id;       /* the acting account; 0: the system (CLI, job) */
	const char *actor;     /* name in the audit trail: e-mail, "varn-cli", "job:NAME" */
	const char *ip;        /* client address for the audit trail, or NULL */
	int via;               /* enum ctx_via: how the work came in */
	int lang;              /* LANG_SV or LANG_EN: texts the work produces */
	int64_t now;           /* Unix seconds: one clock reading for the whole
				  unit of work (a request, a job run) */
	int bulk;              /* many engine writes in one transaction without
				  savepoints (entity_import.c) */
	int quiet;             /* writes of history that happened elsewhere (the
				  demo's year of incidents): no e-mail is queued
				  for them */
};

/* A context for the system itself (the command line, a scheduled job):
 * no account, actor name given, Swedish, now = clock_now(). */
void ctx_system(struct ctx *c, struct arena *a, struct db *db, const char *actor, int via);

/* Today's date in Europe/Stockholm as "YYYY-MM-DD" (for queries on date
 * fields), from c->now. */
const char *ctx_today(const struct ctx *c);
/* The date days from today, the same way ("within 30 days"). */
const char *ctx_date_in(const struct ctx *c, int days);

/* The actor holds one of `roles` for the whole organisation. */
int ctx_has_role(const struct ctx *c, unsigned roles);
/* The actor holds one of `roles` for the whole organisation or for unit
 * `unit_id` (0: no unit, so only organisation-wide roles count). */
int ctx_has_role_for_unit(const struct ctx *c, unsigned roles, int64_t unit_id);

#endif
