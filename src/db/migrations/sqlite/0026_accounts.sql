-- 0026 the account life cycle and scoped API tokens (issue 13; seed 004 §4
-- accounts and leavers, "Loggning och spårbarhet"; 000 ¶5 fake reset calls).
--
-- app_user.disabled_reason says why an account is disabled: 'admin' (an
-- administrator or the operator did it), 'ended' (the person's employment
-- ended) or 'leave' (suspended while on leave: coming back lifts only
-- this one).  disabled_at is when.
ALTER TABLE app_user ADD COLUMN disabled_reason TEXT;
ALTER TABLE app_user ADD COLUMN disabled_at INTEGER;

-- api_token: the organisation it acts in (NULL: a token made before
-- tokens had one, which reaches every organisation of its account), its
-- scopes ("systems:read incidents:write", "*:read"; write implies read;
-- tokens made before scopes existed keep doing what they did: '*:write')
-- and its rate limit (requests per minute, counted in memory).  No foreign
-- key on org_id: organisations are archived, never deleted.
ALTER TABLE api_token ADD COLUMN org_id INTEGER;
ALTER TABLE api_token ADD COLUMN scopes TEXT NOT NULL DEFAULT '*:write';
ALTER TABLE api_token ADD COLUMN rate_per_min INTEGER NOT NULL DEFAULT 120;
-- Tokens made before rate limits had none: they get the highest limit,
-- so that no integration breaks at the upgrade.
UPDATE api_token SET rate_per_min = 6000;
-- An old token of an account with exactly one live person belongs to
-- that organisation from now on, so its administrator sees it.
UPDATE api_token SET org_id = (SELECT min(p.org_id) FROM person p
  WHERE p.user_id = api_token.user_id AND p.archived = 0)
  WHERE (SELECT count(*) FROM person p WHERE p.user_id = api_token.user_id
         AND p.archived = 0) = 1;
-- The administrator's list of an organisation's live tokens, and an
-- account's live tokens and open sessions: bounded by the live ones.
CREATE INDEX api_token_org_live ON api_token(org_id, id) WHERE revoked_at IS NULL;
CREATE INDEX api_token_user_live ON api_token(user_id, id) WHERE revoked_at IS NULL;
CREATE INDEX session_user_open ON session(user_id, id) WHERE ended_at IS NULL;
-- An account's recent sign-ins (the person's page): newest first by the
-- account, only the sign-in events.
CREATE INDEX audit_event_user_signin ON audit_event(user_id, seq)
  WHERE action IN ('signin', 'signin_failed', 'signout');
