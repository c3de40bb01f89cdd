/* accounts.h - an account's life cycle (issue 13; seed 004 §4 leavers,
 * 000 ¶5 fake reset calls): disable, enable, reset the second factor,
 * end sessions and revoke tokens, and the leaver rule of the people
 * register.
 *
 * Every change runs in the caller's transaction when it holds one (the
 * entity engine's write, for the leaver rule) and in its own otherwise,
 * and writes its audit event in it: in cx->org when there is one, on the
 * person's record (entity "people", person_id) when one is given, else on
 * the account ("users", user_id).  Disabling ends every session and
 * revokes every API token and open reset link of the account at once.
 */
#ifndef VARN_ORG_ACCOUNTS_H
#define VARN_ORG_ACCOUNTS_H

#include "base/base.h"

struct ctx;
struct db_error;

/* Why an account is disabled (app_user.disabled_reason). */
#define ACCOUNT_BY_ADMIN "admin"   /* an administrator or the operator */
#define ACCOUNT_ENDED "ended"      /* the person's employment ended */
#define ACCOUNT_LEAVE "leave"      /* suspended while on leave */

/* How the identity of whoever asked for a reset of the second factor was
 * checked (R-9-14); "other" needs a note. */
extern const char *const account_check_methods[]; /* NULL-terminated */
int account_check_label(const char *method);      /* message id, or 0 */

struct account_state {
	int64_t user_id;
	const char *email;
	int disabled;
	const char *reason;    /* or NULL */
	int64_t disabled_at, last_login_at;
	int totp_enabled;
};
/* 0, -1 with err (DBE_NOTFOUND: no such account). */
int account_get(struct ctx *cx, int64_t user_id, struct account_state *out,
		struct db_error *err);

/* Disables the account (reason one of the above, note optional) and ends
 * its sessions, tokens and reset links.  Already disabled: its sessions
 * and tokens are ended anyway and the reason is kept, but "leave" becomes
 * "ended" or "admin".  0, or -1 with err. */
int account_disable(struct ctx *cx, int64_t user_id, int64_t person_id,
		    const char *reason, const char *note, struct db_error *err);
/* Enables the account; only_reason non-NULL: only when disabled for that
 * reason (*changed says whether it did).  0, or -1 with err. */
int account_enable(struct ctx *cx, int64_t user_id, int64_t person_id,
		   const char *only_reason, const char *note, int *changed,
		   struct db_error *err);
/* Turns the second factor off (the person sets it up again at the next
 * sign-in where an organisation requires it), spends the recovery codes
 * and ends the account's sessions; the identity check is recorded in the
 * audit event.  checked_by and a known method are required, and a note
 * for "other": -1 with err->code DBE_CHECK otherwise. */
int account_reset_totp(struct ctx *cx, int64_t user_id, int64_t person_id,
		       const char *checked_by, const char *method, const char *note,
		       struct db_error *err);
/* Ends one session (session_id > 0) or all open sessions of the account. */
int account_end_sessions(struct ctx *cx, int64_t user_id, int64_t person_id,
			 int64_t session_id, struct db_error *err);
/* Revokes one token of the account (token_id); org_id > 0: only a token of
 * that organisation.  -1 with DBE_NOTFOUND when there is none such. */
int account_revoke_token(struct ctx *cx, int64_t user_id, int64_t person_id,
			 int64_t token_id, int64_t org_id, struct db_error *err);

/* The leaver rule (org_people.after_write): a person's employment changed
 * from was to now ("active", "leave", "ended").  See accounts.c. */
int account_employment_changed(struct ctx *cx, int64_t person_id, const char *was,
			       const char *now, struct db_error *err);

#endif
