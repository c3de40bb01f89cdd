/* ops.h - the changes the command line makes, shared by the commands
 * (cli/cmd_*.c) and the demo (cli/demo.c).
 *
 * The command line acts as the "system": a session with user id 0 (no
 * account; audit_append stores NULL) and the actor name CLI_ACTOR.  Every
 * change goes either through the entity engine, which writes its audit
 * event in the same transaction, or through a function here that does the
 * same by hand.
 *
 * Transactions: a change opens and commits its own transaction when the
 * caller holds none (the demo, the other commands), and otherwise joins the
 * caller's, which then commits or rolls back everything together (the
 * engine does the same with a savepoint per record).  So `user add` makes
 * the account, the person and the role in one transaction: all of them or
 * none.  Password hashes are made before a transaction begins
 * (cli_password_hash), so that a running server's writers never wait for
 * Argon2id.
 *
 * Errors come back in a struct db_error whose msg is written for an
 * operator (field problems included: "name: Fältet måste fyllas i").
 */
#ifndef VARN_CLI_OPS_H
#define VARN_CLI_OPS_H

#include "base/base.h"
#include "core/auth.h"
#include "db/db.h"
#include "core/ctx.h"

struct entity;

#define CLI_ACTOR "varn-cli"

/* The command line's context for the engine: the system itself (user id
 * 0, actor CLI_ACTOR), no request.  Roles in the selected organisation are
 * those of an administrator, so the engine's rules (only an administrator
 * hands out the administrator role, protected identities visible to those
 * with a need to know) let the operator do what the operator may do anyway
 * with the database. */
struct cli_ctx {
	struct arena a;
	struct db *db;
	struct org_ctx org;
	struct ctx cx;
};

void cli_ctx_init(struct cli_ctx *c, struct db *db);
void cli_ctx_release(struct cli_ctx *c);

/* Selects the organisation the entity engine works in.  0, or -1 with
 * err->code DBE_NOTFOUND when there is no live organisation called slug. */
int cli_use_org(struct cli_ctx *c, const char *slug, struct db_error *err);

/* Number of organisations (archived too), or -1. */
int64_t cli_count_orgs(struct cli_ctx *c, struct db_error *err);

/* Slug rule of organisations: [a-z0-9-]{2,40}, not starting or ending
 * with '-' (it is a URL segment: /o/SLUG/...). */
int cli_slug_ok(const char *slug);
/* 1 if kind is one of org_kinds[]. */
int cli_org_kind_ok(const char *kind);

/* Creates an organisation with its audit event.  Returns the id, or 0
 * (err->code DBE_UNIQUE when the slug is taken). */
int64_t cli_org_create(struct cli_ctx *c, const char *slug, const char *name,
		       const char *kind, struct db_error *err);

/* The Argon2id hash of a password for the functions below, into out
 * (char[256] holds it; explicit_bzero it after use).  Slow on purpose:
 * call it before the transaction begins.  0, or -1 with err set. */
int cli_password_hash(const char *password, char *out, size_t outlen,
		      struct db_error *err);

/* The account of email, created (with the password hash pw_hash, which
 * may be NULL) when there is none.  *created says which.  Returns the id
 * or 0.  A concurrent creation of the same account is not an error: its
 * account is used (in a caller's transaction too: the creation runs in a
 * savepoint). */
int64_t cli_account_ensure(struct cli_ctx *c, const char *email,
			   const char *pw_hash, int *created,
			   struct db_error *err);
/* 1 if the account has a password, 0 if not, -1 on error. */
int cli_account_has_password(struct cli_ctx *c, int64_t user_id,
			     struct db_error *err);
/* Sets the password (its hash) of an account that has none, with its
 * audit event. */
int cli_account_set_password(struct cli_ctx *c, int64_t user_id,
			     const char *email, const char *pw_hash,
			     struct db_error *err);

/* Creates a record through the entity engine in the selected organisation;
 * vals has one text per field (NULL: empty).  Returns the id, or 0 with
 * err->msg listing the problems (err->code DBE_CHECK for bad values). */
int64_t cli_entity_create(struct cli_ctx *c, const struct entity *e,
			  const char **vals, struct db_error *err);

/* The person linked to the account in the selected organisation, or 0
 * (also on error: then err->code is set). */
int64_t cli_person_of_user(struct cli_ctx *c, int64_t user_id,
			   struct db_error *err);
/* A live person of the selected organisation with this e-mail and no
 * account yet, or 0. */
int64_t cli_person_unlinked_by_email(struct cli_ctx *c, const char *email,
				     struct db_error *err);
/* Links a person to an account (person.user_id), with its audit event. */
int cli_person_link(struct cli_ctx *c, int64_t person_id, int64_t user_id,
		    const char *email, struct db_error *err);

/* 1 if a live unit id exists in the selected organisation, 0 if not, -1. */
int cli_unit_exists(struct cli_ctx *c, int64_t unit_id, struct db_error *err);
/* The id of a live assignment of role to person (at unit, 0: the whole
 * organisation), or 0. */
int64_t cli_role_find(struct cli_ctx *c, int64_t person_id, const char *role,
		      int64_t unit_id, struct db_error *err);

/* An audit event by the command line (actor CLI_ACTOR, no user), inside
 * a transaction the caller holds and commits with the change it records. */
int cli_audit_in(struct cli_ctx *c, int64_t org_id, const char *action,
		 const char *entity, int64_t entity_id, const char *summary,
		 const char *after, struct db_error *err);

/* An API token for the account, with its audit event in the token's
 * organisation; the token in c->a. */
const char *cli_token_create(struct cli_ctx *c, int64_t user_id, const char *email,
			     const struct api_token_spec *spec, struct db_error *err);
/* A one-time password-reset link token, with its audit event in org_id
 * (0: none). */
const char *cli_reset_token_create(struct cli_ctx *c, int64_t user_id,
				   const char *email, int64_t org_id, struct db_error *err);

#endif
