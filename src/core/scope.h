/* scope.h - what an API token may do (issue 13): scopes and rate limits.
 *
 * A token's scopes are a space-separated list of MODULE:read or
 * MODULE:write, MODULE the name of a module that has registers
 * (core/module.h: "systems", "incidents", "org"...) or "*" for every
 * module; write implies read.  A GET (or HEAD) of an API route needs read
 * on the module whose register the route serves, every other method
 * write.  Routes that serve no register: /api/v1/me answers any valid
 * token (it tells the token's own account and organisation), the OpenAPI
 * document is public.  Tokens made before scopes existed have "*:write"
 * and no organisation (migration 0026): they keep doing what they did.
 *
 * The rate limit counts requests per token in memory, per minute (a fixed
 * window): with several server processes each counts its own.
 */
#ifndef VARN_SCOPE_H
#define VARN_SCOPE_H

#include "base/base.h"

struct entity;

/* Checks and normalises a list ("systems:read, incidents:write" ->
 * "systems:read incidents:write"; duplicates dropped, "write" kept over
 * "read" of the same module).  0 with *out in the arena, or -1 when an
 * item is not MODULE:read|write of a known module (*bad: that item). */
int scope_parse(struct arena *a, const char *text, const char **out, const char **bad);
/* 1 if scopes allow reading (write 0) or writing (write 1) module. */
int scope_allows(const char *scopes, const char *module, int write);
/* The name of the module that declares register e, or NULL. */
const char *scope_module_of(const struct entity *e);
/* The modules a scope can name (those with registers), NULL-terminated. */
const char *const *scope_modules(void);

/* One request of token_id against its limit per minute: 0 to go on, or
 * the seconds until the next request is allowed. */
int64_t scope_rate_take(int64_t token_id, int per_min, int64_t now);
void scope_rate_reset(void); /* tests */

#endif
