/* accounts.c - an account's life cycle (accounts.h).
 *
 * The leaver rule.  An account may have a person in several organisations
 * (a coordinator shared by municipalities).  Its roles count only in the
 * organisations where its person's employment is "active" (web/app.c), so
 * a person who left or is on leave loses what they could do there at
 * once.  The account itself is closed only when no organisation needs it
 * any more:
 *   - "ended":  disabled (reason ended) when no other live person of the
 *               account is active or on leave; otherwise only the tokens
 *               made for this organisation are revoked;
 *   - "leave":  suspended (reason leave) when no other live person of the
 *               account is active;
 *   - "active": lifts a suspension for leave, never another: an ended
 *               employment or an administrator's decision is undone only
 *               by an administrator (enable).
 * Each step is audited in the write's transaction.
 */
#include "base/base.h"

#include <jansson.h>

#include "core/audit.h"
#include "core/ctx.h"
#include "core/i18n.h"
#include "db/db.h"
#include "modules/org/accounts.h"

const char *const account_check_methods[] = {
	"in_person_id", "callback_known_number", "via_manager", "other", NULL,
};

int account_check_label(const char *method)
{
	static const int labels[] = {
		M_CHECK_IN_PERSON, M_CHECK_CALLBACK, M_CHECK_MANAGER, M_CHECK_OTHER,
	};

	for (size_t i = 0; method && account_check_methods[i]; i++)
		if (!strcmp(method, account_check_methods[i]))
			return labels[i];
	return 0;
}

static void set_err(struct db_error *err, enum db_errcode code, const char *msg)
{
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

int account_get(struct ctx *cx, int64_t user_id, struct account_state *out,
		struct db_error *err)
{
	struct db_rows r;

	memset(out, 0, sizeof(*out));
	if (db_exec(cx->db, cx->a,
		    "SELECT id, email, disabled, disabled_reason, disabled_at, last_login_at,"
		    " totp_enabled FROM app_user WHERE id = $1",
		    DB_ARGS(DB_INT(user_id)), &r, err))
		return -1;
	if (r.nrows != 1) {
		set_err(err, DBE_NOTFOUND, "no such account");
		return -1;
	}
	out->user_id = db_cell_i64(&r, 0, 0);
	out->email = db_cell(&r, 0, 1);
	out->disabled = (int)db_cell_i64(&r, 0, 2);
	out->reason = db_cell(&r, 0, 3);
	out->disabled_at = db_cell_i64(&r, 0, 4);
	out->last_login_at = db_cell_i64(&r, 0, 5);
	out->totp_enabled = (int)db_cell_i64(&r, 0, 6);
	return 0;
}

/* The caller's transaction, or one of our own (cli/ops.c does the same). */
static int tx_begin(struct ctx *cx, int *own, struct db_error *err)
{
	*own = !db_in_transaction(cx->db);
	return *own ? db_begin(cx->db, err) : 0;
}

static int tx_end(struct ctx *cx, int own, int rc, struct db_error *err)
{
	if (!own)
		return rc ? -1 : 0;
	if (rc == 0 && db_commit(cx->db, err) == 0)
		return 0;
	db_rollback(cx->db);
	return -1;
}

static int audit(struct ctx *cx, int64_t user_id, int64_t person_id, const char *action,
		 const char *summary, json_t *after, struct db_error *err)
{
	struct audit_event ev = { 0 };
	char *text = after ? json_dumps(after, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	int rc;

	json_decref(after);
	audit_from_ctx(cx, &ev);
	ev.action = action;
	ev.entity = person_id ? "people" : "users";
	ev.entity_id = person_id ? person_id : user_id;
	ev.summary = summary ? summary : "";
	ev.after = text ? arena_strdup(cx->a, text) : NULL;
	free(text);
	rc = audit_append(cx->db, cx->a, &ev, err);
	return rc;
}

static const char sql_end_sessions[] =
	"UPDATE session SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL";
static const char sql_revoke_tokens[] =
	"UPDATE api_token SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL";
static const char sql_spend_links[] =
	"UPDATE reset_token SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL";

/* Ends everything the account has open; the numbers for the audit event. */
static int end_all(struct ctx *cx, int64_t user_id, int64_t *sessions, int64_t *tokens,
		   struct db_error *err)
{
	struct db_rows r;

	if (db_exec(cx->db, cx->a, sql_end_sessions, DB_ARGS(DB_INT(user_id), DB_INT(cx->now)),
		    &r, err))
		return -1;
	*sessions = r.changes;
	if (db_exec(cx->db, cx->a, sql_revoke_tokens, DB_ARGS(DB_INT(user_id), DB_INT(cx->now)),
		    &r, err))
		return -1;
	*tokens = r.changes;
	return db_exec(cx->db, cx->a, sql_spend_links,
		       DB_ARGS(DB_INT(user_id), DB_INT(cx->now)), NULL, err);
}

int account_disable(struct ctx *cx, int64_t user_id, int64_t person_id,
		    const char *reason, const char *note, struct db_error *err)
{
	struct account_state st;
	int64_t sessions = 0, tokens = 0;
	const char *keep;
	int own, rc;

	if (tx_begin(cx, &own, err))
		return -1;
	rc = account_get(cx, user_id, &st, err);
	if (rc == 0) {
		/* an administrator's decision or an ended employment is not
		 * weakened into a suspension for leave */
		keep = st.disabled && st.reason && strcmp(st.reason, ACCOUNT_LEAVE) &&
		       !strcmp(reason, ACCOUNT_LEAVE) ? st.reason : reason;
		rc = db_exec(cx->db, cx->a,
			     "UPDATE app_user SET disabled = 1, disabled_reason = $2,"
			     " disabled_at = CASE WHEN disabled = 1 THEN disabled_at ELSE $3 END,"
			     " version = version + 1, updated_at = $3 WHERE id = $1",
			     DB_ARGS(DB_INT(user_id), DB_TEXT(keep), DB_INT(cx->now)), NULL, err);
	}
	if (rc == 0)
		rc = end_all(cx, user_id, &sessions, &tokens, err);
	if (rc == 0)
		rc = audit(cx, user_id, person_id, "account_disable",
			   arena_printf(cx->a, "%s (%s)", st.email, reason),
			   json_pack("{s:s, s:s?, s:I, s:I, s:b}", "reason", reason, "note",
				     note && *note ? note : NULL, "sessions_ended",
				     (json_int_t)sessions, "tokens_revoked", (json_int_t)tokens,
				     "was_disabled", st.disabled),
			   err);
	return tx_end(cx, own, rc, err);
}

int account_enable(struct ctx *cx, int64_t user_id, int64_t person_id,
		   const char *only_reason, const char *note, int *changed,
		   struct db_error *err)
{
	struct account_state st;
	struct db_rows r;
	int own, rc;

	*changed = 0;
	if (tx_begin(cx, &own, err))
		return -1;
	rc = account_get(cx, user_id, &st, err);
	if (rc == 0 && st.disabled &&
	    (!only_reason || (st.reason && !strcmp(st.reason, only_reason)))) {
		rc = db_exec(cx->db, cx->a,
			     "UPDATE app_user SET disabled = 0, disabled_reason = NULL,"
			     " disabled_at = NULL, version = version + 1, updated_at = $2"
			     " WHERE id = $1 AND disabled = 1",
			     DB_ARGS(DB_INT(user_id), DB_INT(cx->now)), &r, err);
		if (rc == 0 && r.changes == 1) {
			*changed = 1;
			rc = audit(cx, user_id, person_id, "account_enable", st.email,
				   json_pack("{s:s?, s:s?}", "was_reason", st.reason, "note",
					     note && *note ? note : NULL),
				   err);
		}
	}
	return tx_end(cx, own, rc, err);
}

int account_reset_totp(struct ctx *cx, int64_t user_id, int64_t person_id,
		       const char *checked_by, const char *method, const char *note,
		       struct db_error *err)
{
	struct account_state st;
	struct db_rows r;
	int64_t sessions = 0;
	int own, rc;

	if (!checked_by || !*checked_by || !account_check_label(method) ||
	    (!strcmp(method, "other") && (!note || !*note))) {
		set_err(err, DBE_CHECK, "the identity check (who checked, and how) is required");
		return -1;
	}
	if (tx_begin(cx, &own, err))
		return -1;
	rc = account_get(cx, user_id, &st, err);
	if (rc == 0)
		rc = db_exec(cx->db, cx->a,
			     "UPDATE app_user SET totp_secret = NULL, totp_enabled = 0,"
			     " version = version + 1, updated_at = $2 WHERE id = $1",
			     DB_ARGS(DB_INT(user_id), DB_INT(cx->now)), NULL, err);
	if (rc == 0)
		rc = db_exec(cx->db, cx->a,
			     "UPDATE recovery_code SET used_at = $2 WHERE user_id = $1"
			     " AND used_at IS NULL",
			     DB_ARGS(DB_INT(user_id), DB_INT(cx->now)), NULL, err);
	if (rc == 0) {
		rc = db_exec(cx->db, cx->a, sql_end_sessions,
			     DB_ARGS(DB_INT(user_id), DB_INT(cx->now)), &r, err);
		sessions = r.changes;
	}
	if (rc == 0)
		rc = audit(cx, user_id, person_id, "totp_reset", st.email,
			   json_pack("{s:s, s:s, s:s?, s:b, s:I}", "checked_by", checked_by,
				     "checked_how", method, "note", note && *note ? note : NULL,
				     "was_enabled", st.totp_enabled, "sessions_ended",
				     (json_int_t)sessions),
			   err);
	return tx_end(cx, own, rc, err);
}

int account_end_sessions(struct ctx *cx, int64_t user_id, int64_t person_id,
			 int64_t session_id, struct db_error *err)
{
	struct db_rows r;
	int own, rc;

	if (tx_begin(cx, &own, err))
		return -1;
	if (session_id > 0)
		rc = db_exec(cx->db, cx->a,
			     "UPDATE session SET ended_at = $3 WHERE id = $2 AND user_id = $1"
			     " AND ended_at IS NULL",
			     DB_ARGS(DB_INT(user_id), DB_INT(session_id), DB_INT(cx->now)), &r,
			     err);
	else
		rc = db_exec(cx->db, cx->a, sql_end_sessions,
			     DB_ARGS(DB_INT(user_id), DB_INT(cx->now)), &r, err);
	if (rc == 0 && session_id > 0 && r.changes != 1) {
		set_err(err, DBE_NOTFOUND, "no such open session of the account");
		rc = -1;
	}
	if (rc == 0)
		rc = audit(cx, user_id, person_id, "sessions_end",
			   session_id > 0 ? arena_printf(cx->a, "session %lld", (long long)session_id)
					  : "all",
			   json_pack("{s:I}", "sessions_ended", (json_int_t)r.changes), err);
	return tx_end(cx, own, rc, err);
}

int account_revoke_token(struct ctx *cx, int64_t user_id, int64_t person_id,
			 int64_t token_id, int64_t org_id, struct db_error *err)
{
	struct db_rows r;
	int own, rc;

	if (tx_begin(cx, &own, err))
		return -1;
	rc = db_exec(cx->db, cx->a,
		     "UPDATE api_token SET revoked_at = $3 WHERE id = $2"
		     " AND ($1 = 0 OR user_id = $1) AND ($4 = 0 OR org_id = $4)"
		     " AND revoked_at IS NULL",
		     DB_ARGS(DB_INT(user_id), DB_INT(token_id), DB_INT(cx->now), DB_INT(org_id)),
		     &r, err);
	if (rc == 0 && r.changes != 1) {
		set_err(err, DBE_NOTFOUND, "no such live token");
		rc = -1;
	}
	if (rc == 0)
		rc = audit(cx, user_id, person_id, "api_token_revoke",
			   arena_printf(cx->a, "token %lld", (long long)token_id), NULL, err);
	return tx_end(cx, own, rc, err);
}

/* ---- the leaver rule ---- */

static const char sql_person_account[] =
	"SELECT user_id FROM person WHERE id = $1 AND user_id IS NOT NULL";
/* The account's other live people whose employment is one of $3, $4. */
static const char sql_others_working[] =
	"SELECT p.id FROM person p JOIN organisation o ON o.id = p.org_id AND o.archived = 0"
	" WHERE p.user_id = $1 AND p.id <> $2 AND p.archived = 0"
	" AND p.employment IN ($3, $4) LIMIT 1";

int account_employment_changed(struct ctx *cx, int64_t person_id, const char *was,
			       const char *now, struct db_error *err)
{
	struct db_rows r;
	int64_t user_id;
	int changed;

	if (!now || (was && !strcmp(was, now)))
		return 0;
	if (db_exec(cx->db, cx->a, sql_person_account, DB_ARGS(DB_INT(person_id)), &r, err))
		return -1;
	if (r.nrows != 1)
		return 0; /* no account: nothing to close */
	user_id = db_cell_i64(&r, 0, 0);
	if (!strcmp(now, "active"))
		return account_enable(cx, user_id, person_id, ACCOUNT_LEAVE, NULL, &changed, err);
	if (!strcmp(now, "ended")) {
		if (db_exec(cx->db, cx->a, sql_others_working,
			    DB_ARGS(DB_INT(user_id), DB_INT(person_id), DB_TEXT("active"),
				    DB_TEXT("leave")),
			    &r, err))
			return -1;
		if (r.nrows == 0)
			return account_disable(cx, user_id, person_id, ACCOUNT_ENDED, NULL, err);
		/* still working elsewhere: only what was made for here ends */
		r.changes = 0;
		if (cx->org &&
		    db_exec(cx->db, cx->a,
			    "UPDATE api_token SET revoked_at = $3 WHERE user_id = $1"
			    " AND org_id = $2 AND revoked_at IS NULL",
			    DB_ARGS(DB_INT(user_id), DB_INT(cx->org->id), DB_INT(cx->now)), &r,
			    err))
			return -1;
		return audit(cx, user_id, person_id, "account_left_org", NULL,
			     json_pack("{s:I}", "tokens_revoked", (json_int_t)r.changes), err);
	}
	if (!strcmp(now, "leave")) {
		if (db_exec(cx->db, cx->a, sql_others_working,
			    DB_ARGS(DB_INT(user_id), DB_INT(person_id), DB_TEXT("active"),
				    DB_TEXT("active")),
			    &r, err))
			return -1;
		if (r.nrows == 0)
			return account_disable(cx, user_id, person_id, ACCOUNT_LEAVE, NULL, err);
	}
	return 0;
}
